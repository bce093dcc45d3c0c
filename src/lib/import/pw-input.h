/* pw-input.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pw-import-error.h"

G_BEGIN_DECLS

/* The bytes an importer reads: a file or a buffer, gunzipped on the fly
 * when it starts with the gzip magic, with progress (compressed bytes read
 * of the total) and cancellation checked on every read. */
typedef struct _PwInput PwInput;

/* Called from the thread that reads, with 0 ≤ fraction ≤ 1. */
typedef void (*PwProgressFunc) (double   fraction,
                                gpointer user_data);

PwInput      *pw_input_new_for_file       (GFile         *file,
                                           GCancellable  *cancellable,
                                           GError       **error);
PwInput      *pw_input_new_for_bytes      (GBytes        *bytes,
                                           const char    *display_name,
                                           GCancellable  *cancellable);
void          pw_input_free               (PwInput       *self);

void          pw_input_set_progress_func  (PwInput       *self,
                                           PwProgressFunc func,
                                           gpointer       user_data);
const char   *pw_input_get_display_name   (PwInput       *self);

/* What the user asked of the import, as strings; an importer reads the
 * options it knows. PW_IMPORT_OPTION_SAMPLE_TYPE chooses which of a
 * file's sample types (pprof) or events (perf) the samples weigh. */
#define PW_IMPORT_OPTION_SAMPLE_TYPE "sample-type"
void          pw_input_set_option         (PwInput       *self,
                                           const char    *key,
                                           const char    *value);
const char   *pw_input_get_option         (PwInput       *self,
                                           const char    *key);
GCancellable *pw_input_get_cancellable    (PwInput       *self);
gboolean      pw_input_is_compressed      (PwInput       *self);
guint64       pw_input_get_size           (PwInput       *self);
guint64       pw_input_get_position       (PwInput       *self);

/* The first bytes of the (decompressed) content, for sniffing. Reading
 * afterwards still starts at the beginning. */
const guint8 *pw_input_peek               (PwInput       *self,
                                           gsize         *len,
                                           GError       **error);
gssize        pw_input_read               (PwInput       *self,
                                           void          *buffer,
                                           gsize          count,
                                           GError       **error);
/* A line without its terminator (\n or \r\n); NULL with no error at the
 * end. The pointer stays valid until the next read. */
char         *pw_input_read_line          (PwInput       *self,
                                           gsize         *len,
                                           GError       **error);
guint64       pw_input_get_line_number    (PwInput       *self);
/* The whole remaining content, failing past max_size bytes. */
GBytes       *pw_input_read_all           (PwInput       *self,
                                           gsize          max_size,
                                           GError       **error);
/* The whole content in memory without copying, when it is an
 * uncompressed local file or a buffer; NULL otherwise. */
GBytes       *pw_input_get_contiguous     (PwInput       *self);
void          pw_input_report_progress    (PwInput       *self,
                                           double         fraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwInput, pw_input_free)

G_END_DECLS
