/* pw-importer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pw-import-error.h"
#include "pw-input.h"
#include "pw-profile-builder.h"

G_BEGIN_DECLS

/* One importer per format. sniff() looks at the first bytes of the
 * decompressed content (and the file name, which may be NULL) and answers
 * how sure it is, 0 (not this format) to 100; content decides, the name
 * only breaks ties. load() streams the input into the builder. */
typedef struct
{
  const char         *id;
  const char         *name;
  const char * const *patterns;      /* globs for file choosers */
  const char * const *mime_types;
  guint             (*sniff) (const guint8 *head,
                              gsize         len,
                              const char   *filename);
  gboolean          (*load)  (PwInput          *input,
                              PwProfileBuilder *builder,
                              GError          **error);
} PwImporter;

const PwImporter * const *pw_importers_get_all    (guint        *n_importers);
const PwImporter         *pw_importers_find       (const char   *id);
const PwImporter         *pw_importers_sniff      (const guint8 *head,
                                                   gsize         len,
                                                   const char   *filename);

/* Reads a whole profile. format_id NULL means: detect it. */
PwProfile *pw_import_input       (PwInput       *input,
                                  const char    *format_id,
                                  GError       **error);
PwProfile *pw_import_file        (GFile         *file,
                                  const char    *format_id,
                                  GCancellable  *cancellable,
                                  PwProgressFunc progress,
                                  gpointer       progress_data,
                                  GError       **error);
PwProfile *pw_import_bytes       (GBytes        *bytes,
                                  const char    *display_name,
                                  const char    *format_id,
                                  GError       **error);

G_END_DECLS
