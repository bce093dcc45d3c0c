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

static void
advance_position (const guint8 *chunk,
                  gsize         len,
                  guint64      *line,
                  guint64      *column)
{
  for (gsize i = 0; i < len; i++)
    {
      if (chunk[i] == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else
        (*column)++;
    }
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

PwJsonStreamResult
_pw_json_stream (PwInput               *input,
                 const yajl_callbacks  *callbacks,
                 gpointer               ctx,
                 GError               **callback_error,
                 guint64               *end_offset,
                 GError               **error)
{
  g_autofree guint8 *chunk = g_malloc (READ_SIZE);
  yajl_handle parser;
  guint64 offset = 0;
  guint64 line = 1;
  guint64 column = 1;
  PwJsonStreamResult result = PW_JSON_STREAM_FAILED;
  yajl_status status;

  parser = yajl_alloc (callbacks, NULL, ctx);
  yajl_config (parser, yajl_dont_validate_strings, 1);
  yajl_config (parser, yajl_allow_trailing_garbage, 1);

  for (;;)
    {
      gssize n = pw_input_read (input, chunk, READ_SIZE, error);

      if (n < 0)
        goto out;
      if (n == 0)
        break;

      status = yajl_parse (parser, chunk, n);

      if (status == yajl_status_client_canceled)
        {
          if (callback_error != NULL && *callback_error != NULL)
            g_propagate_error (error, g_steal_pointer (callback_error));
          else
            g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                         _("%s: reading stopped at byte %" PRIu64),
                         pw_input_get_display_name (input),
                         offset + yajl_get_bytes_consumed (parser));
          goto out;
        }

      if (status != yajl_status_ok)
        {
          gsize at = MIN (yajl_get_bytes_consumed (parser), (gsize) n);
          g_autofree char *what = _pw_json_describe_error (parser);

          advance_position (chunk, at, &line, &column);
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                       _("%s: invalid JSON at byte %" PRIu64 " (line %" PRIu64
                         ", column %" PRIu64 "): %s"),
                       pw_input_get_display_name (input), offset + at, line, column, what);
          goto out;
        }

      advance_position (chunk, n, &line, &column);
      offset += n;
    }

  status = yajl_complete_parse (parser);

  if (status == yajl_status_client_canceled)
    {
      if (callback_error != NULL && *callback_error != NULL)
        g_propagate_error (error, g_steal_pointer (callback_error));
      else
        g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                     _("%s: reading stopped at the end"), pw_input_get_display_name (input));
      goto out;
    }

  if (status != yajl_status_ok)
    {
      g_autofree char *what = _pw_json_describe_error (parser);

      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                   _("%s: the JSON ends early, at byte %" PRIu64 " (line %" PRIu64
                     "): %s"),
                   pw_input_get_display_name (input), offset, line, what);
      result = PW_JSON_STREAM_TRUNCATED;
      goto out;
    }

  result = PW_JSON_STREAM_OK;

out:
  if (end_offset != NULL)
    *end_offset = offset;
  yajl_free (parser);

  return result;
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
