/* pw-import-chrome-private.h: the Chrome importer's modes, for tests and
 * benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-importer.h"

G_BEGIN_DECLS

typedef enum
{
  PW_CHROME_MODE_AUTO,        /* parallel for large uncompressed input */
  PW_CHROME_MODE_SEQUENTIAL,  /* the streaming parser only */
  PW_CHROME_MODE_PARALLEL,    /* split whenever the input is contiguous */
} PwChromeMode;

/* n_chunks 0 means one per processor. */
gboolean _pw_import_chrome_load (PwInput           *input,
                                 PwProfileBuilder  *builder,
                                 PwChromeMode       mode,
                                 guint              n_chunks,
                                 GError           **error);

/* How the last load went: the number of chunks parsed in parallel, 0 when
 * it ran sequentially (for tests of the fallback). */
guint    _pw_import_chrome_get_last_n_chunks (void);

G_END_DECLS
