/* test-import-chrome.c: the Chrome Trace Event importer against the
 * corpus facts (tests/data/SOURCES.md) and constructed edge cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pw-test-util.h"

typedef struct
{
  const char *file;
  guint64     spans;
  guint       lanes;
  guint       processes;
  gint64      duration_ns;
} Facts;

/* Spans are X events, B/E pairs and async pairs; lanes are threads and
 * tracks with spans or samples; durations from SOURCES.md (µs → ns). */
static const Facts facts[] = {
  { "catapult-big_trace.json", 933, 4, 4, 3616893000 },
  { "catapult-trivial_trace.json", 2, 1, 1, 107000 },
  { "catapult-nanoseconds.json", 8, 1, 1, 3021 },
  { "catapult-tall_trace.json", 18, 16, 2, 22000 },
  { "catapult-flow_simple.json", 5, 5, 5, 3731000 },
  { "catapult-x_event_trace.json", 2799 + 442, 0, 1, 1652495000 },
  { "catapult-webview.json.gz", 8041 + 568, 0, 1, 13530487000 },
  { "hta-cpu_only-rank-34.pt.trace.json.gz", 16, 4, 4, 1306917028 },
  { "edge-speedscope-simple.json", 4, 1, 1, 14000 },
  { "edge-speedscope-simple-object.json", 3, 1, 1, 14000 },
  { "edge-speedscope-x-events-matching-start.json", 9, 1, 1, 20000 },
};

static void
test_facts (gconstpointer data)
{
  const Facts *f = data;
  g_autoptr(PwProfile) profile = pw_test_load (f->file);

  g_assert_cmpstr (pw_profile_get_format (profile), ==, "chrome");
  /* the S/F legacy async pairs of some files add to the X and B/E spans */
  g_assert_cmpuint (pw_profile_get_n_spans (profile), >=, f->spans);
  if (f->lanes > 0)
    {
      g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, f->spans);
      g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, f->lanes);
    }
  g_assert_cmpuint (pw_profile_get_n_processes (profile), ==, f->processes);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, f->duration_ns);
}

static void
test_big_trace_nesting (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-big_trace.json");
  const PwLane *lane = NULL;
  guint span = 0;

  /* RenderWidget::OnUpdateRectAck [438877834451, 438877849547] encloses
   * DoDeferredUpdate [438877834469, 438877849541], the trace's first pair */
  g_assert_true (pw_test_find_span (profile, "RenderWidget::OnUpdateRectAck", &lane, &span));
  g_assert_cmpint (lane->span_start[span], ==, 0);
  g_assert_cmpint (lane->span_dur[span], ==, 15096000);
  g_assert_cmpint (lane->span_depth[span], ==, 0);
  g_assert_cmpint (lane->span_cpu[span], ==, -1);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[span + 1]), ==,
                   "RenderWidget::DoDeferredUpdate");
  g_assert_cmpint (lane->span_parent[span + 1], ==, (gint) span);
  g_assert_cmpint (lane->span_start[span + 1], ==, 18000);
}

static void
test_thread_names_and_metadata (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-simple_trace.json");
  gboolean found_name = FALSE;

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      if (lane->kind == PW_LANE_THREAD && *pw_profile_get_string (profile, lane->name))
        found_name = TRUE;
    }

  g_assert_true (found_name);
  g_assert_cmpuint (pw_profile_get_n_counters (profile), ==, 1);
  g_assert_cmpuint (pw_profile_get_n_instants (profile), ==, 6);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "events"), ==, "37");
}

static void
test_tts_tdur (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"traceEvents\": ["
    "{\"ph\":\"X\",\"name\":\"compute\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":1000,\"tts\":5,\"tdur\":900},"
    "{\"ph\":\"B\",\"name\":\"wait\",\"pid\":1,\"tid\":1,\"ts\":1000,\"tts\":905},"
    "{\"ph\":\"E\",\"pid\":1,\"tid\":1,\"ts\":3000.5,\"tts\":915}"
    "]}", &error);
  const PwLane *lane = NULL;
  guint span = 0;

  g_assert_no_error (error);
  g_assert_true (pw_profile_has_cpu_time (profile));
  g_assert_true (pw_test_find_span (profile, "compute", &lane, &span));
  g_assert_cmpint (lane->span_cpu[span], ==, 900000);
  g_assert_true (pw_test_find_span (profile, "wait", &lane, &span));
  g_assert_cmpint (lane->span_dur[span], ==, 2000500);
  g_assert_cmpint (lane->span_cpu[span], ==, 10000);
}

static void
test_truncated_array (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("edge-speedscope-simple-partial.json");

  /* The spec allows a missing closing bracket: no warning, all events */
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 4);
  g_assert_null (pw_profile_get_warnings (profile)[0]);
}

static void
test_truncated_inside_event (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"traceEvents\": ["
    "{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":10},"
    "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":20,\"du", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 1);
  g_assert_nonnull (pw_profile_get_warnings (profile)[0]);
  g_assert_nonnull (strstr (pw_profile_get_warnings (profile)[0], "ends early"));
}

static void
test_unbalanced (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("edge-speedscope-unbalanced-name.json");
  const char * const *warnings = pw_profile_get_warnings (profile);

  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 2);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "2 end events"));
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "[\n{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":10},\n"
    "{\"ph\":\"X\",\"name\":\"b\" \"pid\":1}\n]", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  /* the message names the file, the place and what was wrong */
  g_assert_nonnull (strstr (error->message, "test.json"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "byte"));
}

static void
test_not_a_trace (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string ("{\"hello\": \"world\"}", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  profile = pw_test_load_string ("   \n", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY);
}

static void
test_async_and_flows (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-nestable_async.json");
  gboolean has_async = FALSE;

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    if (pw_profile_get_lane (profile, l)->kind == PW_LANE_ASYNC &&
        pw_profile_get_lane (profile, l)->n_spans > 0)
      has_async = TRUE;
  g_assert_true (has_async);

  g_clear_object (&profile);
  profile = pw_test_load ("catapult-flow_simple.json");
  g_assert_cmpuint (pw_profile_get_n_flows (profile), >=, 2);
}

static void
test_gzip_truncated (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "hta-amd-mi250-kineto.json.gz", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* cut the compressed stream in half: what came before still opens */
  bytes = g_bytes_new (contents, len / 2);
  profile = pw_import_bytes (bytes, "cut.json.gz", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), >, 0);
  g_assert_nonnull (pw_profile_get_warnings (profile)[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/chrome/facts/%s", facts[i].file);
      g_test_add_data_func (path, &facts[i], test_facts);
    }

  g_test_add_func ("/import/chrome/big-trace-nesting", test_big_trace_nesting);
  g_test_add_func ("/import/chrome/metadata", test_thread_names_and_metadata);
  g_test_add_func ("/import/chrome/tts-tdur", test_tts_tdur);
  g_test_add_func ("/import/chrome/truncated-array", test_truncated_array);
  g_test_add_func ("/import/chrome/truncated-inside-event", test_truncated_inside_event);
  g_test_add_func ("/import/chrome/unbalanced", test_unbalanced);
  g_test_add_func ("/import/chrome/malformed", test_malformed);
  g_test_add_func ("/import/chrome/not-a-trace", test_not_a_trace);
  g_test_add_func ("/import/chrome/async-and-flows", test_async_and_flows);
  g_test_add_func ("/import/chrome/gzip-truncated", test_gzip_truncated);

  return g_test_run ();
}
