/* test-json-stream.c: the JSON driver every JSON importer runs on, and the
 * one position convention of their messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pw-import-error.h"
#include "pw-importer.h"
#include "pw-json-stream.h"

/* Every importer that reads JSON through the driver. */
static const char * const json_formats[] = {
  "chrome", "speedscope", "cpuprofile", "firefox", "jaeger", "zipkin", "otlp",
};

static gboolean
is_single_document (const char *format)
{
  /* Chrome allows trailing garbage (as its parallel reader does); OTLP
   * reads JSON Lines, where it is one more broken line. */
  return !g_str_equal (format, "chrome") && !g_str_equal (format, "otlp");
}

static char *
import_error (const char *text,
              const char *format)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "doc.json", format, &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "doc.json"));
  return g_strdup (error->message);
}

/* The same broken document gives the same byte, line and column in every
 * importer: 0-based byte offset just past the token yajl refused, 1-based
 * line and byte column of that same byte. */
static void
test_same_position_everywhere (void)
{
  /* "4" (offset 17, line 2, column 5) lacks its comma */
  const char *broken = "{\"a\": [1, 2,\n  3 4]}";
  /* ends inside the array: byte 20 is the end */
  const char *cut = "{\"a\": [1, 2,\n  3, 4]";

  for (guint i = 0; i < G_N_ELEMENTS (json_formats); i++)
    {
      g_autofree char *m1 = import_error (broken, json_formats[i]);
      g_autofree char *m2 = import_error (cut, json_formats[i]);

      g_test_message ("%s: %s | %s", json_formats[i], m1, m2);
      g_assert_nonnull (strstr (m1, "invalid JSON at byte 18 (line 2, column 6): "
                                    "after array element, I expect ',' or ']'"));
      g_assert_nonnull (strstr (m2, "at byte 20 (line 2, column 8)"));
    }
}

/* A complete document followed by more than whitespace is malformed for
 * the formats that hold one document. */
static void
test_trailing_garbage (void)
{
  const char *doc = "{\"a\": [1, 2,\n  3, 4]}  x";
  const char *spaces = "{\"a\": [1, 2,\n  3, 4]} \n\t\n";

  for (guint i = 0; i < G_N_ELEMENTS (json_formats); i++)
    {
      g_autofree char *m = import_error (doc, json_formats[i]);
      g_autofree char *s = import_error (spaces, json_formats[i]);

      g_test_message ("%s: %s | %s", json_formats[i], m, s);
      if (is_single_document (json_formats[i]))
        g_assert_nonnull (strstr (m, "invalid JSON at byte 24 (line 2, column 12): trailing garbage"));
      else
        g_assert_null (strstr (m, "trailing garbage"));
      /* whitespace after the document is never garbage (these documents
       * are not profiles, hence an error still) */
      g_assert_null (strstr (s, "invalid JSON"));
    }

  /* a real profile with garbage after it */
  {
    static const char cpuprofile[] =
      "{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"(root)\"}},"
      "{\"id\":2,\"parent\":1,\"callFrame\":{\"functionName\":\"f\"}}],"
      "\"startTime\":0,\"endTime\":2000,\"samples\":[2,2],\"timeDeltas\":[1000,1000]}\n";
    g_autofree char *garbage = g_strconcat (cpuprofile, "}\n", NULL);
    g_autoptr(GBytes) good = g_bytes_new_static (cpuprofile, strlen (cpuprofile));
    g_autoptr(GError) error = NULL;
    g_autoptr(PwProfile) profile = pw_import_bytes (good, "doc.json", "cpuprofile", &error);
    g_autofree char *message = NULL;
    g_autofree char *where = g_strdup_printf ("invalid JSON at byte %zu (line 2, column 2): trailing garbage",
                                              strlen (cpuprofile) + 1);

    g_assert_no_error (error);
    g_assert_cmpuint (pw_profile_get_n_lanes (profile), >, 0);

    message = import_error (garbage, "cpuprofile");
    g_assert_nonnull (strstr (message, where));
  }
}

/* Columns count bytes: "é" is two. */
static void
test_column_in_bytes (void)
{
  g_autofree char *m = import_error ("{\"é\": 1,\n \"ü\": 2 3}", "speedscope");

  /* line 2 starts at byte 10; yajl stops at the "3", byte 19: column
   * 10 in bytes (9 in characters) */
  g_assert_nonnull (strstr (m, "at byte 19 (line 2, column 10)"));
}

/* Firefox's depth limit names the byte of the bracket that goes too deep,
 * not the read buffer's end. */
static void
test_depth_position (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"meta\":{},\n\"threads\":");
  g_autofree char *m = NULL;

  for (guint i = 0; i < 300000; i++)
    g_string_append_c (deep, '[');
  m = import_error (deep->str, "firefox");
  /* the root object is level 1: the 256th bracket (offset 277) is 257 */
  g_assert_nonnull (strstr (m, "nests deeper than 256 levels at byte 278 (line 2, column 267)"));
}

typedef struct
{
  PwJsonStream *stream;
  GArray       *positions;   /* PwJsonPosition of each number */
  guint         n_resyncs;
  guint         stop_at;     /* stop the parse at this number (0: never) */
  GError       *error;
} Recorder;

static int
on_number (void       *ctx,
           const char *str,
           size_t      len)
{
  Recorder *self = ctx;
  PwJsonPosition pos;

  _pw_json_stream_get_position (self->stream, &pos);
  g_array_append_val (self->positions, pos);
  if (self->stop_at != 0 && self->positions->len == self->stop_at)
    {
      g_set_error (&self->error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID, "stopped at %" G_GUINT64_FORMAT,
                   pos.offset);
      return 0;
    }
  return 1;
}

static gboolean
resync (gpointer ctx)
{
  Recorder *self = ctx;

  self->n_resyncs++;
  return TRUE;
}

static const yajl_callbacks recorder_callbacks = {
  .yajl_number = on_number,
};

static PwJsonStreamResult
run (const char        *text,
     gsize              len,
     PwJsonStreamFlags  flags,
     gboolean           with_resync,
     Recorder          *self,
     PwJsonStream     **stream_out,
     GError           **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len);
  g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "rec.json", NULL);
  PwJsonStream *stream = _pw_json_stream_new (input, &recorder_callbacks, self, flags);
  PwJsonStreamResult result;

  self->stream = stream;
  if (with_resync)
    _pw_json_stream_set_resync (stream, resync);
  _pw_json_stream_set_callback_error (stream, &self->error);
  result = _pw_json_stream_run (stream, error);
  *stream_out = stream;
  return result;
}

/* In a callback, the position is exact (the byte just past the number),
 * also past the driver's read buffers (256 KB) and across lines. */
static void
test_callback_positions (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (PwJsonPosition));
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Recorder rec = { 0 };
  guint64 line = 1;
  gsize line_start = 0;

  for (guint i = 0; text->len < 1200 * 1024; i++)
    {
      PwJsonPosition pos;

      g_string_append_printf (text, "%s%u", i > 0 ? "," : "", i * 7919);
      pos.offset = text->len;
      pos.line = line;
      pos.column = text->len - line_start + 1;
      g_array_append_val (expected, pos);
      if (i % 13 == 0)
        {
          g_string_append (text, i % 2 ? "\n" : "\r\n  ");
          line++;
          line_start = text->len - (i % 2 ? 0 : 2);
        }
    }
  g_string_append (text, "]\n");

  rec.positions = g_array_new (FALSE, FALSE, sizeof (PwJsonPosition));
  g_assert_cmpint (run (text->str, text->len, PW_JSON_STREAM_DEFAULT, FALSE, &rec, &stream, &error),
                   ==, PW_JSON_STREAM_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (rec.positions->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      PwJsonPosition *a = &g_array_index (rec.positions, PwJsonPosition, i);
      PwJsonPosition *b = &g_array_index (expected, PwJsonPosition, i);

      g_assert_cmpuint (a->offset, ==, b->offset);
      g_assert_cmpuint (a->line, ==, b->line);
      g_assert_cmpuint (a->column, ==, b->column);
    }
  /* after the run: the end */
  g_assert_cmpuint (_pw_json_stream_get_offset (stream), ==, text->len);
  g_array_unref (rec.positions);
}

/* A callback that stops the parse gets its own error back, as is. */
static void
test_callback_stops (void)
{
  const char *text = "[1, 2,\n 3, 4]";
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Recorder rec = { 0 };

  rec.positions = g_array_new (FALSE, FALSE, sizeof (PwJsonPosition));
  rec.stop_at = 3;
  g_assert_cmpint (run (text, strlen (text), PW_JSON_STREAM_DEFAULT, FALSE, &rec, &stream, &error),
                   ==, PW_JSON_STREAM_FAILED);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "stopped at 9");
  g_assert_null (rec.error);
  g_array_unref (rec.positions);
}

/* JSON Lines: a broken line is skipped, counted, and named by its line;
 * a broken last line is not a document cut short. */
static void
test_json_lines (void)
{
  const char *text =
    "{\"n\":1}\n"
    "{\"n\":2,\n"        /* ends early: the next line's "{" fails */
    "{\"n\":3}\n"
    "x\n"
    "{\"n\":4} {\"n\":5}\n"
    "{\"n\":6,}\n";      /* broken last line */
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Recorder rec = { 0 };
  guint64 first_line = 0;
  const char *first_detail = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);

  rec.positions = g_array_new (FALSE, FALSE, sizeof (PwJsonPosition));
  g_assert_cmpint (run (text, strlen (text), PW_JSON_STREAM_MULTIPLE_VALUES, TRUE, &rec, &stream, &error),
                   ==, PW_JSON_STREAM_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (rec.n_resyncs, ==, 3);
  g_assert_cmpuint (_pw_json_stream_get_n_skipped_lines (stream, &first_line, &first_detail), ==, 3);
  g_assert_cmpuint (first_line, ==, 2);
  g_assert_cmpstr (first_detail, !=, "");
  for (guint i = 0; i < rec.positions->len; i++)
    {
      PwJsonPosition *p = &g_array_index (rec.positions, PwJsonPosition, i);

      g_string_append_printf (seen, "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT " ", p->line, p->column);
    }
  /* 1, 2 (of the broken line), 3, 4, 5, 6 (of the broken last line) */
  g_assert_cmpstr (seen->str, ==, "1:7 2:7 3:7 5:7 5:15 6:7 ");

  /* without resync the first broken line ends the parse */
  g_clear_pointer (&stream, _pw_json_stream_free);
  g_assert_cmpint (run (text, strlen (text), PW_JSON_STREAM_MULTIPLE_VALUES, FALSE, &rec, &stream, &error),
                   ==, PW_JSON_STREAM_MALFORMED);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "rec.json: invalid JSON at byte 17 (line 3, column 2): "));
  g_array_unref (rec.positions);
}

/* Input that ends early says so, with the position of the end. */
static void
test_truncated (void)
{
  const char *text = "{\"a\": [1,\n2";
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Recorder rec = { 0 };

  rec.positions = g_array_new (FALSE, FALSE, sizeof (PwJsonPosition));
  g_assert_cmpint (run (text, strlen (text), PW_JSON_STREAM_DEFAULT, FALSE, &rec, &stream, &error),
                   ==, PW_JSON_STREAM_TRUNCATED);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
  g_assert_cmpstr (error->message, ==, "rec.json: the JSON ends early, at byte 11 (line 2, column 2): premature EOF");
  g_assert_cmpstr (_pw_json_stream_get_error_detail (stream), ==, "premature EOF");
  g_array_unref (rec.positions);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-stream/same-position-everywhere", test_same_position_everywhere);
  g_test_add_func ("/json-stream/trailing-garbage", test_trailing_garbage);
  g_test_add_func ("/json-stream/column-in-bytes", test_column_in_bytes);
  g_test_add_func ("/json-stream/depth-position", test_depth_position);
  g_test_add_func ("/json-stream/callback-positions", test_callback_positions);
  g_test_add_func ("/json-stream/callback-stops", test_callback_stops);
  g_test_add_func ("/json-stream/json-lines", test_json_lines);
  g_test_add_func ("/json-stream/truncated", test_truncated);

  return g_test_run ();
}
