/* pw-json-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-json-stream"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-json-stream.h"

#define READ_SIZE (256 * 1024)

struct _PwJsonStream
{
  PwInput              *input;
  const yajl_callbacks *callbacks;
  gpointer              ctx;
  PwJsonStreamFlags     flags;
  PwJsonResyncFunc      resync;
  PwJsonChunkFunc       chunk_begin;
  PwJsonChunkFunc       chunk_end;
  GError              **callback_error;

  yajl_handle           parser;
  /* a new parser after resync that has seen only whitespace: the end of
   * the input there is not the end of a value cut short */
  gboolean              fresh;

  /* the bytes yajl is parsing (NULL outside yajl_parse()) and the
   * position of their first byte */
  const guint8         *segment;
  gsize                 segment_len;
  PwJsonPosition        segment_pos;

  /* once run: the position of the error or of the end */
  PwJsonPosition        end_pos;
  char                 *detail;

  guint64               n_skipped_lines;
  guint64               first_skipped_line;
  char                 *first_skipped_detail;
};

/* Moves pos over data[0..len), counting lines with memchr: this runs
 * over every byte of every JSON file. */
static void
advance (PwJsonPosition *pos,
         const guint8   *data,
         gsize           len)
{
  const guint8 *p = data;
  const guint8 *end = data + len;
  const guint8 *last_nl = NULL;
  const guint8 *nl;

  while (p < end && (nl = memchr (p, '\n', end - p)) != NULL)
    {
      pos->line++;
      last_nl = nl;
      p = nl + 1;
    }
  pos->column = last_nl != NULL ? (guint64) (end - last_nl) : pos->column + len;
  pos->offset += len;
}

char *
_pw_json_describe_error (yajl_handle parser)
{
  unsigned char *raw = yajl_get_error (parser, 0, NULL, 0);
  g_autofree char *message = g_strstrip (g_strdup ((const char *)raw));

  yajl_free_error (parser, raw);

  /* yajl says "parse error: …" or "lexical error: …"; the kind of
   * error matters less to a user than what was found. */
  if (g_str_has_prefix (message, "parse error: "))
    return g_strdup (message + strlen ("parse error: "));
  if (g_str_has_prefix (message, "lexical error: "))
    return g_strdup (message + strlen ("lexical error: "));

  return g_steal_pointer (&message);
}

static yajl_handle
new_parser (PwJsonStream *self)
{
  yajl_handle parser = yajl_alloc (self->callbacks, NULL, self->ctx);

  yajl_config (parser, yajl_dont_validate_strings, 1);
  if (self->flags & PW_JSON_STREAM_ALLOW_TRAILING_GARBAGE)
    yajl_config (parser, yajl_allow_trailing_garbage, 1);
  if (self->flags & PW_JSON_STREAM_MULTIPLE_VALUES)
    yajl_config (parser, yajl_allow_multiple_values, 1);

  return parser;
}

PwJsonStream *
_pw_json_stream_new (PwInput              *input,
                     const yajl_callbacks *callbacks,
                     gpointer              ctx,
                     PwJsonStreamFlags     flags)
{
  PwJsonStream *self = g_new0 (PwJsonStream, 1);

  self->input = input;
  self->callbacks = callbacks;
  self->ctx = ctx;
  self->flags = flags;
  self->segment_pos.line = 1;
  self->segment_pos.column = 1;
  self->end_pos = self->segment_pos;

  return self;
}

void
_pw_json_stream_free (PwJsonStream *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->parser, yajl_free);
  g_free (self->detail);
  g_free (self->first_skipped_detail);
  g_free (self);
}

void
_pw_json_stream_set_resync (PwJsonStream     *self,
                            PwJsonResyncFunc  resync)
{
  self->resync = resync;
}

void
_pw_json_stream_set_chunk_funcs (PwJsonStream    *self,
                                 PwJsonChunkFunc  begin,
                                 PwJsonChunkFunc  end)
{
  self->chunk_begin = begin;
  self->chunk_end = end;
}

void
_pw_json_stream_set_callback_error (PwJsonStream  *self,
                                    GError       **callback_error)
{
  self->callback_error = callback_error;
}

void
_pw_json_stream_get_position (PwJsonStream   *self,
                              PwJsonPosition *position)
{
  if (self->segment != NULL && self->parser != NULL)
    {
      *position = self->segment_pos;
      advance (position, self->segment,
               MIN (yajl_get_bytes_consumed (self->parser), self->segment_len));
    }
  else
    *position = self->end_pos;
}

guint64
_pw_json_stream_get_offset (PwJsonStream *self)
{
  PwJsonPosition pos;

  _pw_json_stream_get_position (self, &pos);
  return pos.offset;
}

gsize
_pw_json_stream_get_chunk_consumed (PwJsonStream *self)
{
  return yajl_get_bytes_consumed (self->parser);
}

const char *
_pw_json_stream_get_error_detail (PwJsonStream *self)
{
  return self->detail != NULL ? self->detail : "";
}

guint64
_pw_json_stream_get_n_skipped_lines (PwJsonStream  *self,
                                     guint64       *first_line,
                                     const char   **first_detail)
{
  if (first_line != NULL)
    *first_line = self->first_skipped_line;
  if (first_detail != NULL)
    *first_detail = self->first_skipped_detail != NULL ? self->first_skipped_detail : "";
  return self->n_skipped_lines;
}

/* Where to start over after an error at chunk[at]: the start of the line
 * when its opening brace is what failed (the previous line ended early),
 * else the next line; n when the line goes on in the next chunk. */
static gsize
resync_point (const guint8 *chunk,
              gsize         n,
              gsize         at,
              gboolean     *line_start)
{
  gsize line = MIN (at, n);
  gsize first;
  const guint8 *nl;

  while (line > 0 && chunk[line - 1] != '\n')
    line--;
  first = line;
  while (first < n && (chunk[first] == ' ' || chunk[first] == '\t' || chunk[first] == '\r'))
    first++;

  /* yajl counts the token that failed as consumed */
  if (line > 0 && first < n && chunk[first] == '{' && at <= first + 1)
    {
      *line_start = TRUE;
      return line;
    }

  *line_start = FALSE;
  nl = at < n ? memchr (chunk + at, '\n', n - at) : NULL;
  return nl != NULL ? (gsize) (nl - chunk) + 1 : n;
}

static PwJsonStreamResult
stopped (PwJsonStream  *self,
         GError       **error)
{
  if (self->callback_error != NULL && *self->callback_error != NULL)
    g_propagate_error (error, g_steal_pointer (self->callback_error));
  else
    g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                 _("%s: reading stopped at byte %" PRIu64 " (line %" PRIu64 ", column %"
                   PRIu64 ")"),
                 pw_input_get_display_name (self->input), self->end_pos.offset,
                 self->end_pos.line, self->end_pos.column);
  return PW_JSON_STREAM_FAILED;
}

static PwJsonStreamResult
malformed (PwJsonStream  *self,
           GError       **error)
{
  g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
               _("%s: invalid JSON at byte %" PRIu64 " (line %" PRIu64
                 ", column %" PRIu64 "): %s"),
               pw_input_get_display_name (self->input), self->end_pos.offset,
               self->end_pos.line, self->end_pos.column, self->detail);
  return PW_JSON_STREAM_MALFORMED;
}

/* Parses buffer[0..n): FALSE when the parse is over (result set). */
static gboolean
parse_buffer (PwJsonStream       *self,
              const guint8       *buffer,
              gsize               n,
              PwJsonPosition     *pos,
              gboolean           *skipping,
              PwJsonStreamResult *result,
              GError            **error)
{
  gsize start = 0;

  while (start < n)
    {
      yajl_status status;
      gsize at;
      gsize next;
      gboolean line_start;

      if (*skipping)
        {
          const guint8 *nl = memchr (buffer + start, '\n', n - start);

          next = nl != NULL ? (gsize) (nl - buffer) + 1 : n;
          advance (pos, buffer + start, next - start);
          start = next;
          *skipping = nl == NULL;
          continue;
        }

      if (self->fresh)
        {
          gsize k = start;

          while (k < n && g_ascii_isspace (buffer[k]))
            k++;
          if (k == n)
            {
              advance (pos, buffer + start, n - start);
              return TRUE;
            }
          self->fresh = FALSE;
        }

      self->segment = buffer + start;
      self->segment_len = n - start;
      self->segment_pos = *pos;
      if (self->chunk_begin != NULL)
        self->chunk_begin (self->ctx, self->segment, self->segment_len);

      status = yajl_parse (self->parser, self->segment, self->segment_len);

      if (status == yajl_status_ok)
        {
          if (self->chunk_end != NULL)
            self->chunk_end (self->ctx, self->segment, self->segment_len);
          self->segment = NULL;
          advance (pos, buffer + start, n - start);
          return TRUE;
        }

      _pw_json_stream_get_position (self, &self->end_pos);
      self->segment = NULL;
      at = self->end_pos.offset - pos->offset;

      if (status == yajl_status_client_canceled)
        {
          *result = stopped (self, error);
          return FALSE;
        }

      if (self->resync == NULL || !self->resync (self->ctx))
        {
          self->detail = _pw_json_describe_error (self->parser);
          *result = malformed (self, error);
          return FALSE;
        }

      /* JSON Lines: drop the broken line, go on with the next */
      next = start + resync_point (buffer + start, n - start, at, &line_start);
      if (self->n_skipped_lines++ == 0)
        {
          self->first_skipped_line = line_start ? self->end_pos.line - 1 : self->end_pos.line;
          self->first_skipped_detail = _pw_json_describe_error (self->parser);
        }
      yajl_free (self->parser);
      self->parser = new_parser (self);
      self->fresh = TRUE;

      advance (pos, buffer + start, next - start);
      *skipping = next == n && !(next > 0 && buffer[next - 1] == '\n');
      start = next;
    }

  return TRUE;
}

PwJsonStreamResult
_pw_json_stream_run (PwJsonStream  *self,
                     GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  PwJsonPosition pos = { 0, 1, 1 };
  PwJsonStreamResult result = PW_JSON_STREAM_FAILED;
  gboolean skipping = FALSE;   /* dropping the rest of a broken line */
  yajl_status status;

  g_return_val_if_fail (self->parser == NULL, PW_JSON_STREAM_FAILED);

  self->parser = new_parser (self);

  for (;;)
    {
      gssize n = pw_input_read (self->input, buffer, READ_SIZE, error);

      if (n < 0)
        {
          self->end_pos = pos;
          return PW_JSON_STREAM_FAILED;
        }
      if (n == 0)
        break;

      if (!parse_buffer (self, buffer, n, &pos, &skipping, &result, error))
        return result;
    }

  self->end_pos = pos;
  if (self->fresh)
    return PW_JSON_STREAM_OK;
  status = yajl_complete_parse (self->parser);

  if (status == yajl_status_client_canceled)
    return stopped (self, error);

  if (status != yajl_status_ok)
    {
      self->detail = _pw_json_describe_error (self->parser);

      /* yajl's own words are the only way to tell garbage after the
       * document, cut short by the end, from a document cut short. */
      if (strstr (self->detail, "trailing garbage") != NULL)
        return malformed (self, error);

      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                   _("%s: the JSON ends early, at byte %" PRIu64 " (line %" PRIu64
                     ", column %" PRIu64 "): %s"),
                   pw_input_get_display_name (self->input), pos.offset, pos.line,
                   pos.column, self->detail);
      return PW_JSON_STREAM_TRUNCATED;
    }

  return PW_JSON_STREAM_OK;
}

gboolean
_pw_json_parse_double (const char *str,
                       gsize       len,
                       double     *value)
{
  char buf[64];
  char *end = NULL;
  double v;

  if (len == 0 || len >= sizeof buf)
    {
      g_autofree char *copy = g_strndup (str, len);

      v = g_ascii_strtod (copy, &end);
      if (end == copy || !isfinite (v))
        return FALSE;
      *value = v;
      return TRUE;
    }

  memcpy (buf, str, len);
  buf[len] = '\0';
  v = g_ascii_strtod (buf, &end);
  if (end == buf || !isfinite (v))
    return FALSE;

  *value = v;
  return TRUE;
}
