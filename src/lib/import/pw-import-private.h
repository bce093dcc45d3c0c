/* pw-import-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-importer.h"

G_BEGIN_DECLS

gboolean _pw_input_was_truncated (PwInput *self);
/* Sets (or with a NULL value, unsets) key in a table of import options,
 * made on first use; PwInput and PwLoader keep them this way. */
void     _pw_options_set          (GHashTable **options,
                                   const char  *key,
                                   const char  *value);

/* Helpers shared by importers. */

/* Parses a decimal number of microseconds ("1234", "1234.5678", "1e3")
 * into nanoseconds, exactly for plain decimals. */
gboolean _pw_parse_usec_to_nsec  (const char *str,
                                  gsize       len,
                                  gint64     *nsec);
gboolean _pw_parse_int64         (const char *str,
                                  gsize       len,
                                  gint64     *value);
/* Skips leading whitespace and a UTF-8 BOM. */
const guint8 *_pw_skip_space     (const guint8 *head,
                                  gsize        *len);
/* Whether needle occurs in the first len bytes of head. */
gboolean _pw_head_contains       (const guint8 *head,
                                  gsize         len,
                                  const char   *needle);

extern const PwImporter _pw_importer_chrome;
extern const PwImporter _pw_importer_firefox;
extern const PwImporter _pw_importer_otlp;
extern const PwImporter _pw_importer_jaeger;
extern const PwImporter _pw_importer_zipkin;
extern const PwImporter _pw_importer_timing;
extern const PwImporter _pw_importer_speedscope;
extern const PwImporter _pw_importer_cpuprofile;
extern const PwImporter _pw_importer_perf;
extern const PwImporter _pw_importer_folded;
#ifdef HAVE_PROTOBUF_C
extern const PwImporter _pw_importer_pprof;
#endif

G_END_DECLS
