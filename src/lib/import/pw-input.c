/* pw-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-input"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"

#define BUFFER_SIZE     (256 * 1024)
#define PEEK_SIZE       (64 * 1024)
#define MAX_LINE_LENGTH (64 * 1024 * 1024)

struct _PwInput
{
  GFile          *file;
  GBytes         *bytes;
  GInputStream   *raw;          /* compressed or plain bytes as stored */
  GInputStream   *stream;       /* what we read: raw, or raw through zlib */
  GCancellable   *cancellable;
  char           *display_name;
  guint64         size;         /* of raw, 0 when unknown */
  guint64         raw_read;
  guint64         position;     /* decompressed bytes handed out */
  guint64         line_number;
  guint8         *buf;
  gsize           buf_alloc;
  gsize           buf_start;
  gsize           buf_end;
  GHashTable     *options;
  PwProgressFunc  progress;
  gpointer        progress_data;
  double          last_fraction;
  guint           compressed : 1;
  guint           eof : 1;
  guint           truncated : 1;
};

G_DEFINE_QUARK (pw-import-error-quark, pw_import_error)

static gboolean
setup_stream (PwInput  *self,
              GError  **error)
{
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (self->raw);
  const guint8 *head;
  gsize head_len = 0;

  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 2,
                                    self->cancellable, error) < 0)
    return FALSE;

  head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &head_len);

  g_set_object (&self->raw, buffered);

  if (head_len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    {
      g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      self->compressed = TRUE;
      self->stream = g_converter_input_stream_new (self->raw, G_CONVERTER (zlib));
    }
  else
    {
      self->stream = g_object_ref (self->raw);
    }

  self->buf_alloc = BUFFER_SIZE;
  self->buf = g_malloc (self->buf_alloc);

  return TRUE;
}

PwInput *
pw_input_new_for_file (GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(PwInput) self = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_new0 (PwInput, 1);
  self->file = g_object_ref (file);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->display_name = g_file_get_basename (file);
  if (self->display_name == NULL || self->display_name[0] == '\0')
    {
      g_free (self->display_name);
      self->display_name = g_file_get_parse_name (file);
    }

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (info != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_IO,
                       _("%s: is a folder, not a profile"), self->display_name);
          return NULL;
        }
      self->size = g_file_info_get_size (info);
    }

  self->raw = G_INPUT_STREAM (g_file_read (file, cancellable, &local_error));
  if (self->raw == NULL)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_IO,
                   _("%s: cannot be read: %s"), self->display_name, local_error->message);
      return NULL;
    }

  if (!setup_stream (self, &local_error))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_IO,
                   _("%s: cannot be read: %s"), self->display_name, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

PwInput *
pw_input_new_for_bytes (GBytes       *bytes,
                        const char   *display_name,
                        GCancellable *cancellable)
{
  PwInput *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_new0 (PwInput, 1);
  self->bytes = g_bytes_ref (bytes);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->display_name = g_strdup (display_name ? display_name : _("(buffer)"));
  self->size = g_bytes_get_size (bytes);
  self->raw = g_memory_input_stream_new_from_bytes (bytes);

  /* A memory stream cannot fail to fill. */
  setup_stream (self, NULL);

  return self;
}

void
pw_input_free (PwInput *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_clear_object (&self->raw);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->display_name);
  g_free (self->buf);
  g_clear_pointer (&self->options, g_hash_table_unref);
  g_free (self);
}

void
pw_input_set_option (PwInput    *self,
                     const char *key,
                     const char *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  _pw_options_set (&self->options, key, value);
}

void
_pw_options_set (GHashTable **options,
                 const char  *key,
                 const char  *value)
{
  if (*options == NULL)
    *options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (value != NULL)
    g_hash_table_insert (*options, g_strdup (key), g_strdup (value));
  else
    g_hash_table_remove (*options, key);
}

const char *
pw_input_get_option (PwInput    *self,
                     const char *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return self->options != NULL ? g_hash_table_lookup (self->options, key) : NULL;
}

void
pw_input_set_progress_func (PwInput        *self,
                            PwProgressFunc  func,
                            gpointer        user_data)
{
  self->progress = func;
  self->progress_data = user_data;
}

const char *
pw_input_get_display_name (PwInput *self)
{
  return self->display_name;
}

GCancellable *
pw_input_get_cancellable (PwInput *self)
{
  return self->cancellable;
}

gboolean
pw_input_is_compressed (PwInput *self)
{
  return self->compressed;
}

guint64
pw_input_get_size (PwInput *self)
{
  return self->size;
}

guint64
pw_input_get_position (PwInput *self)
{
  return self->position;
}

guint64
pw_input_get_line_number (PwInput *self)
{
  return self->line_number;
}

gboolean
_pw_input_was_truncated (PwInput *self)
{
  return self->truncated;
}

void
pw_input_report_progress (PwInput *self,
                          double   fraction)
{
  if (self->progress == NULL)
    return;

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction - self->last_fraction >= 0.005 || fraction >= 1.0)
    {
      self->last_fraction = fraction;
      self->progress (fraction, self->progress_data);
    }
}

static void
update_progress (PwInput *self)
{
  if (self->size > 0)
    pw_input_report_progress (self, (double) self->raw_read / (double) self->size);
}

/* Appends at most want bytes of content to the buffer. Returns the number
 * of bytes added; 0 at the end. */
static gssize
fill (PwInput  *self,
      gsize     want,
      GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->eof)
    return 0;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return -1;

  if (self->buf_start > 0 && self->buf_end + want > self->buf_alloc)
    {
      memmove (self->buf, self->buf + self->buf_start, self->buf_end - self->buf_start);
      self->buf_end -= self->buf_start;
      self->buf_start = 0;
    }

  if (self->buf_end + want > self->buf_alloc)
    {
      self->buf_alloc = MAX (self->buf_alloc * 2, self->buf_end + want);
      self->buf = g_realloc (self->buf, self->buf_alloc);
    }

  n = g_input_stream_read (self->stream, self->buf + self->buf_end, want,
                           self->cancellable, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      if (self->compressed && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        {
          /* A gzip stream cut short: hand out what was there and let the
           * importer see a truncated document. */
          self->truncated = TRUE;
          self->eof = TRUE;
          return 0;
        }

      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_IO,
                   self->compressed
                   ? _("%s: the compressed data is damaged after %" PRIu64 " bytes: %s")
                   : _("%s: reading failed after %" PRIu64 " bytes: %s"),
                   self->display_name, self->position + (self->buf_end - self->buf_start),
                   local_error->message);
      return -1;
    }

  if (n == 0)
    self->eof = TRUE;

  self->buf_end += n;

  if (G_IS_SEEKABLE (self->raw))
    self->raw_read = g_seekable_tell (G_SEEKABLE (self->raw));
  else
    self->raw_read += n;
  update_progress (self);

  return n;
}

const guint8 *
pw_input_peek (PwInput  *self,
               gsize    *len,
               GError  **error)
{
  while (self->buf_end - self->buf_start < PEEK_SIZE && !self->eof)
    {
      if (fill (self, PEEK_SIZE, error) < 0)
        return NULL;
    }

  *len = MIN (self->buf_end - self->buf_start, PEEK_SIZE);

  return self->buf + self->buf_start;
}

gssize
pw_input_read (PwInput  *self,
               void     *buffer,
               gsize     count,
               GError  **error)
{
  gsize avail;

  if (self->buf_start == self->buf_end)
    {
      self->buf_start = self->buf_end = 0;
      if (fill (self, MIN (self->buf_alloc, MAX (count, (gsize) BUFFER_SIZE)), error) < 0)
        return -1;
    }

  avail = MIN (count, self->buf_end - self->buf_start);
  memcpy (buffer, self->buf + self->buf_start, avail);
  self->buf_start += avail;
  self->position += avail;

  return avail;
}

char *
pw_input_read_line (PwInput  *self,
                    gsize    *len,
                    GError  **error)
{
  gsize scanned = 0;

  for (;;)
    {
      guint8 *start = self->buf + self->buf_start;
      gsize avail = self->buf_end - self->buf_start;
      guint8 *nl = scanned < avail ? memchr (start + scanned, '\n', avail - scanned) : NULL;

      if (nl != NULL || (self->eof && avail > 0))
        {
          gsize line_len = nl ? (gsize)(nl - start) : avail;
          gsize consumed = nl ? line_len + 1 : line_len;

          if (line_len > 0 && start[line_len - 1] == '\r')
            line_len--;
          start[line_len] = '\0';

          self->buf_start += consumed;
          self->position += consumed;
          self->line_number++;
          *len = line_len;

          return (char *)start;
        }

      if (self->eof)
        {
          *len = 0;
          return NULL;
        }

      if (avail > MAX_LINE_LENGTH)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                       _("%s: line %" PRIu64 " is longer than %d MB"),
                       self->display_name, self->line_number + 1,
                       MAX_LINE_LENGTH / (1024 * 1024));
          return NULL;
        }

      scanned = avail;
      /* keep room for the terminating NUL written above */
      if (fill (self, BUFFER_SIZE - 1, error) < 0)
        return NULL;
      if (self->eof && self->buf_end == self->buf_alloc)
        {
          self->buf = g_realloc (self->buf, ++self->buf_alloc);
        }
    }
}

GBytes *
pw_input_read_all (PwInput  *self,
                   gsize     max_size,
                   GError  **error)
{
  while (!self->eof)
    {
      if (self->buf_end - self->buf_start > max_size)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                       _("%s: is larger than %zu MB, the limit for this format"),
                       self->display_name, max_size / (1024 * 1024));
          return NULL;
        }
      if (fill (self, BUFFER_SIZE, error) < 0)
        return NULL;
    }

  {
    gsize n = self->buf_end - self->buf_start;
    GBytes *bytes = g_bytes_new (self->buf + self->buf_start, n);

    self->buf_start = self->buf_end;
    self->position += n;

    return bytes;
  }
}

GBytes *
pw_input_get_contiguous (PwInput *self)
{
  if (self->compressed)
    return NULL;

  if (self->bytes != NULL)
    return g_bytes_ref (self->bytes);

  if (self->file != NULL && g_file_is_native (self->file))
    {
      g_autofree char *path = g_file_get_path (self->file);
      g_autoptr(GMappedFile) mapped = path ? g_mapped_file_new (path, FALSE, NULL) : NULL;

      if (mapped != NULL)
        return g_mapped_file_get_bytes (mapped);
    }

  return NULL;
}
