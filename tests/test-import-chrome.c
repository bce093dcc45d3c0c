/* test-import-chrome.c: the Chrome Trace Event importer against the
 * corpus facts (tests/data/SOURCES.md) and constructed edge cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "pw-import-chrome-private.h"
#include "pw-summary.h"
#include "pw-test-util.h"

/* pw_test_find_span, failing the test when the span is missing. */
static const PwLane *
find_span (PwProfile  *profile,
           const char *name,
           guint      *span)
{
  const PwLane *lane = NULL;

  if (!pw_test_find_span (profile, name, &lane, span) || lane == NULL)
    g_error ("no span named %s", name);

  return lane;
}

typedef struct
{
  const char *file;
  guint64     spans;
  guint       lanes;
  guint       processes;
  gint64      duration_ns;
  guint64     samples;
  guint       flows;
} Facts;

/* Spans are X events, B/E pairs, b/e and S/F async pairs (SOURCES.md's
 * ph_counts: X + B + b + S); processes are its pids; durations its
 * ts_span (µs → ns, exact); lanes are threads and async tracks with spans
 * or samples. Samples: P events (with sf, or their name as the only
 * frame: simple_trace has 3, one with sf), the root "samples" array, and
 * ProfileChunk samples (1600 in one profile in chrome116; 1980 + 1400 in
 * two profiles in chrome70). Flows: s→t→f pairs matched by cat and id in
 * time order (chrome116: 13 s, 13 f; Kineto writes f before s) and flow v2
 * bind_id pairs (webview: 624 flow_out, 624 flow_in, 590 of them pair up
 * in time order). */
static const Facts facts[] = {
  { "catapult-async_begin_end.json", 15, 8, 3, 900000, 0, 0 },
  { "catapult-big_trace.json", 933, 4, 4, 3616893000, 0, 0 },
  { "catapult-flow_simple.json", 5, 5, 5, 3731000, 0, 3 },
  { "catapult-instance_counters.json", 2, 1, 1, 107000, 0, 0 },
  { "catapult-instant_events.json", 0, 0, 2, 72697000, 0, 0 },
  { "catapult-nanoseconds.json", 8, 1, 1, 3021, 0, 0 },
  { "catapult-nestable_async.json", 9, 4, 1, 190000, 0, 0 },
  { "catapult-simple_trace.json", 12, 2, 2, 62000, 3, 0 },
  { "catapult-tall_trace.json", 18, 16, 2, 22000, 0, 0 },
  { "catapult-trivial_trace.json", 2, 1, 1, 107000, 0, 0 },
  { "catapult-webview.json.gz", 8041 + 568 + 5, 41, 1, 13530487000, 0, 590 },
  { "catapult-x_event_trace.json", 2799 + 442 + 53, 5, 1, 1652495000, 0, 0 },
  { "edge-speedscope-multi-thread-with-samples.json", 2, 2, 1, 1995671000, 8, 0 },
  { "edge-speedscope-simple-hermes.json", 2, 1, 1, 14000, 0, 0 },
  { "edge-speedscope-simple-object.json", 3, 1, 1, 14000, 0, 0 },
  { "edge-speedscope-simple.json", 4, 1, 1, 14000, 0, 0 },
  { "edge-speedscope-unbalanced-name.json", 2, 1, 1, 10000, 0, 0 },
  { "edge-speedscope-x-events-matching-start.json", 9, 1, 1, 20000, 0, 0 },
  { "edge-speedscope-zero-duration-events.json", 4, 1, 1, 10000, 0, 0 },
  { "ffprofiler-test.chrome-unchunked.json", 39 + 30 + 6 + 4, 8, 2, 6484695000, 0, 0 },
  { "hta-alexnet-critical-path.json.gz", 868, 5, 5, 43458933000, 0, 139 },
  { "hta-amd-mi250-kineto.json.gz", 113, 4, 5, 10156947, 0, 20 },
  { "hta-cpu_only-rank-34.pt.trace.json.gz", 16, 4, 4, 1306917028, 0, 0 },
  /* 14 lanes: the samples are on CrRendererMain, which has spans, not on
   * V8's unnamed profiler thread that wrote the chunks */
  { "speedscope-chrome116-Trace-20230603T221323.json.gz", 2456 + 234, 14, 3, 314498000, 1600, 13 },
  /* node 20 --trace-events-enabled in this repository (real-tools/node-app.js):
   * 91 X + 30 B + 330 b; the main thread and 10 async_hooks tracks */
  { "node20-trace-events.json.gz", 91 + 30 + 330, 11, 1, 666728000, 0, 0 },
  /* 26 lanes: the samples of its two profiles are on CrRendererMain and
   * the DedicatedWorker thread, both with spans */
  { "speedscope-chrome70-worker.json.gz", 1988 + 190 + 8, 26, 3, 306823000, 1980 + 1400, 0 },
};

/* Read from the shared corpus when it is there (too big to ship). */
static const Facts corpus_facts[] = {
  { "LARGE-hta-mtia-rank0.json.gz", 138373, 10, 5, 13621658448, 0, 3658 },
  { "kineto-resnet50-num_workers_0.pt.trace.json.gz", 54320, 4, 4, 971573000, 0, 9282 },
  { "hta-mtia-inference-rank0.json.gz", 14179, 60, 5, 459666360, 0, 619 },
};

static void
check_facts (PwProfile   *profile,
             const Facts *f)
{
  guint bound = 0;

  g_assert_cmpstr (pw_profile_get_format (profile), ==, "chrome");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, f->spans);
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, f->lanes);
  g_assert_cmpuint (pw_profile_get_n_processes (profile), ==, f->processes);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, f->duration_ns);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, f->samples);
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, f->flows);

  /* every flow found the slices at both of its ends */
  for (guint i = 0; i < pw_profile_get_n_flows (profile); i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);

      if (flow->from_span != G_MAXUINT32 && flow->to_span != G_MAXUINT32)
        bound++;
      g_assert_cmpint (flow->from_time, <=, flow->to_time);
    }
  g_assert_cmpuint (bound, ==, f->flows);
}

static void
test_facts (gconstpointer data)
{
  const Facts *f = data;
  g_autoptr(PwProfile) profile = pw_test_load (f->file);

  check_facts (profile, f);
}

static void
test_corpus_facts (gconstpointer data)
{
  const Facts *f = data;
  const char *dir = g_getenv ("PW_CORPUS_DIR");
  g_autofree char *path = dir ? g_build_filename (dir, "chrome-trace", f->file, NULL) : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared corpus is not here");
      return;
    }

  file = g_file_new_for_path (path);
  profile = pw_import_file (file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_facts (profile, f);
}

static void
test_big_trace_nesting (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-big_trace.json");
  const PwLane *lane;
  guint span = 0;

  /* RenderWidget::OnUpdateRectAck [438877834451, 438877849547] encloses
   * DoDeferredUpdate [438877834469, 438877849541], the trace's first pair */
  lane = find_span (profile, "RenderWidget::OnUpdateRectAck", &span);
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

/* Kineto names GPU streams by string tids; a thread_name still wins. */
static void
test_string_tids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"traceEvents\": ["
    "{\"ph\":\"X\",\"name\":\"kernel\",\"pid\":0,\"tid\":\"stream 7\",\"ts\":0,\"dur\":5},"
    "{\"ph\":\"X\",\"name\":\"step\",\"pid\":0,\"tid\":\"main\",\"ts\":0,\"dur\":9},"
    "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":0,\"tid\":\"main\",\"args\":{\"name\":\"trainer\"}}"
    "]}", &error);
  const PwLane *lane = NULL;
  guint span = 0;
  g_autofree char *described = NULL;

  g_assert_no_error (error);
  g_assert_true (pw_test_find_span (profile, "kernel", &lane, &span));
  g_assert_cmpstr (lane ? pw_profile_get_string (profile, lane->name) : NULL, ==, "stream 7");
  described = pw_lane_describe (profile, lane);
  g_assert_cmpstr (described, ==, "pid 0 › stream 7");
  g_assert_true (pw_test_find_span (profile, "step", &lane, &span));
  g_assert_cmpstr (lane ? pw_profile_get_string (profile, lane->name) : NULL, ==, "trainer");
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
  const PwLane *lane;
  guint span = 0;

  g_assert_no_error (error);
  g_assert_true (pw_profile_has_cpu_time (profile));
  lane = find_span (profile, "compute", &span);
  g_assert_cmpint (lane->span_cpu[span], ==, 900000);
  lane = find_span (profile, "wait", &span);
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

/* Cut before the first complete event: an error that says so, not "empty". */
static void
test_truncated_before_events (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string ("{\"traceEvents\": [1,", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "test.json"));
  g_assert_nonnull (strstr (error->message, "byte 19"));
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

static void
test_equal_starts (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("edge-speedscope-x-events-matching-start.json");
  const PwLane *lane = pw_profile_get_lane (profile, 0);
  /* equal starts: longer first, then file order; all inside alpha */
  static const char *names[] = { "alpha", "beta", "gamma", "gamma", "beta", "gamma", "beta", "beta", "gamma" };
  static const guint depths[] = { 0, 1, 2, 1, 2, 1, 2, 1, 2 };

  g_assert_cmpuint (lane->n_spans, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < lane->n_spans; i++)
    {
      g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[i]), ==, names[i]);
      g_assert_cmpuint (lane->span_depth[i], ==, depths[i]);
    }
}

static void
test_zero_duration (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("edge-speedscope-zero-duration-events.json");
  const PwLane *lane;
  guint span = 0;

  lane = find_span (profile, "D", &span);
  g_assert_cmpint (lane->span_dur[span], ==, 0);
  g_assert_cmpuint (lane->n_spans, ==, 4);
}

static const PwLane *
find_thread (PwProfile *profile,
             gint64     tid)
{
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->kind == PW_LANE_THREAD && lane->tid == tid)
        return lane;
    }

  g_error ("no thread %" G_GINT64_FORMAT, tid);
}

static char *
stack_path (PwProfile *profile,
            guint32    stack)
{
  GString *path = g_string_new (NULL);

  for (guint n = 0; stack != PW_NO_STACK && n < 1000; n++, stack = pw_profile_get_stack_parent (profile, stack))
    {
      if (path->len > 0)
        g_string_prepend (path, ";");
      g_string_prepend (path, pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, stack)));
    }

  return g_string_free (path, FALSE);
}

static void
test_samples_array (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("edge-speedscope-multi-thread-with-samples.json");
  const PwLane *t1 = find_thread (profile, 1);
  const PwLane *t2 = find_thread (profile, 2);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  /* the root "samples" array: 3 on tid "1", 5 on tid "2", stacks from
   * the root "stackFrames" */
  g_assert_cmpuint (t1->n_samples, ==, 3);
  g_assert_cmpuint (t2->n_samples, ==, 5);
  first = stack_path (profile, t1->sample_stack[1]);
  g_assert_cmpstr (first, ==, "[root];function1");
  last = stack_path (profile, t2->sample_stack[2]);
  g_assert_cmpstr (last, ==, "[root thread 2];function4");
  g_assert_cmpstr (pw_profile_get_string (profile, t1->name), ==, "mqt_js");
}

static void
test_profile_chunks (void)
{
  g_autoptr(GError) error = NULL;
  /* the first chunk comes before its Profile event, lists children
   * rather than parents, and a second chunk adds a node; the chunks come
   * from V8's profiler thread (2), the samples belong to the thread of the
   * Profile event (9), as in DevTools */
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"traceEvents\": ["
    "{\"ph\":\"X\",\"name\":\"task\",\"pid\":1,\"tid\":2,\"ts\":1000,\"dur\":100},"
    "{\"ph\":\"P\",\"name\":\"ProfileChunk\",\"id\":\"0x1\",\"pid\":1,\"tid\":2,\"ts\":1010,"
    " \"args\":{\"data\":{\"cpuProfile\":{\"nodes\":["
    "  {\"id\":1,\"callFrame\":{\"functionName\":\"(root)\"},\"children\":[2]},"
    "  {\"id\":2,\"callFrame\":{\"functionName\":\"main\",\"url\":\"a.js\"},\"children\":[3]},"
    "  {\"id\":3,\"callFrame\":{\"functionName\":\"\"}}],"
    "  \"samples\":[2,3,3]},\"timeDeltas\":[5,10,10]}}},"
    "{\"ph\":\"P\",\"name\":\"Profile\",\"id\":\"0x1\",\"pid\":1,\"tid\":9,\"ts\":1000,"
    " \"args\":{\"data\":{\"startTime\":1000}}},"
    "{\"ph\":\"P\",\"name\":\"ProfileChunk\",\"id\":\"0x1\",\"pid\":1,\"tid\":2,\"ts\":1050,"
    " \"args\":{\"data\":{\"cpuProfile\":{\"nodes\":["
    "  {\"id\":4,\"parent\":2,\"callFrame\":{\"functionName\":\"draw\"}}],"
    "  \"samples\":[4,2]},\"timeDeltas\":[20,-3]}}}"
    "]}", &error);
  const PwLane *lane;
  static const gint64 times[] = { 5000, 15000, 25000, 42000, 45000 };
  static const char *stacks[] = { "main", "main;(anonymous)", "main;(anonymous)", "main", "main;draw" };

  g_assert_no_error (error);
  lane = find_thread (profile, 2);
  g_assert_cmpuint (lane->n_samples, ==, 0);
  lane = find_thread (profile, 9);
  g_assert_cmpuint (lane->n_samples, ==, 5);
  /* times: startTime + running sum of timeDeltas, sorted */
  for (guint i = 0; i < lane->n_samples; i++)
    {
      g_autofree char *path = stack_path (profile, lane->sample_stack[i]);

      g_assert_cmpint (lane->sample_time[i], ==, times[i]);
      g_assert_cmpstr (path, ==, stacks[i]);
    }
}

/* A trace recorded by Chromium itself: V8 writes the ProfileChunks from
 * its "v8:ProfEvntProc" thread, the Profile event from CrRendererMain,
 * whose JavaScript they sample; async tracks are named by their events. */
static void
test_real_chromium_trace (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("chromium156-headless-page.json.gz");
  const PwLane *main_thread = find_thread (profile, 29582);
  const PwLane *sampler = find_thread (profile, 29636);
  guint32 layout = pw_profile_lookup_string (profile, "layoutThrash");
  guint n_layout = 0;
  gboolean named_async = FALSE;

  /* 1192 X + 1 B + 14 b; 5 threads with spans and 3 async tracks with
   * spans (all, fib, AnimationFrame); 3 s/f pairs, none of whose s events
   * lies inside a slice, so none is bound to spans at both ends */
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 1192 + 1 + 14);
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, 8);
  g_assert_cmpuint (pw_profile_get_n_processes (profile), ==, 1);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 2097591000);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 8377);
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, 3);

  g_assert_cmpstr (pw_profile_get_string (profile, main_thread->name), ==, "CrRendererMain");
  g_assert_cmpstr (pw_profile_get_string (profile, sampler->name), ==, "v8:ProfEvntProc");
  g_assert_cmpuint (main_thread->n_samples, ==, 8377);
  g_assert_cmpuint (sampler->n_samples, ==, 0);
  /* the page's busy loop is the leaf of 380 of them */
  for (guint i = 0; i < main_thread->n_samples; i++)
    if (pw_profile_get_stack_frame (profile, main_thread->sample_stack[i]) == layout)
      n_layout++;
  g_assert_cmpuint (n_layout, ==, 380);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      g_autofree char *described = pw_lane_describe (profile, lane);

      if (lane->kind != PW_LANE_ASYNC || lane->n_spans == 0)
        continue;
      g_assert_cmpstr (pw_profile_get_string (profile, lane->name), !=, "");
      if (g_str_equal (described, "Renderer › async: AnimationFrame"))
        named_async = TRUE;
    }
  g_assert_true (named_async);
}

static void
test_flows_in_time_order (void)
{
  g_autoptr(GError) error = NULL;
  /* Kineto style: the f comes first in the file */
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"traceEvents\": ["
    "{\"ph\":\"X\",\"name\":\"kernel\",\"pid\":1,\"tid\":7,\"ts\":50,\"dur\":10},"
    "{\"ph\":\"f\",\"name\":\"ac2g\",\"cat\":\"ac2g\",\"id\":3,\"bp\":\"e\",\"pid\":1,\"tid\":7,\"ts\":50},"
    "{\"ph\":\"X\",\"name\":\"launch\",\"pid\":1,\"tid\":1,\"ts\":10,\"dur\":5},"
    "{\"ph\":\"X\",\"name\":\"outer\",\"pid\":1,\"tid\":1,\"ts\":5,\"dur\":20},"
    "{\"ph\":\"s\",\"name\":\"ac2g\",\"cat\":\"ac2g\",\"id\":3,\"pid\":1,\"tid\":1,\"ts\":11},"
    "{\"ph\":\"s\",\"name\":\"next\",\"cat\":\"c\",\"id\":4,\"pid\":1,\"tid\":1,\"ts\":12},"
    "{\"ph\":\"f\",\"name\":\"next\",\"cat\":\"c\",\"id\":4,\"pid\":1,\"tid\":7,\"ts\":40}"
    "]}", &error);
  const PwFlow *flow;
  const PwLane *from;
  const PwLane *to;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, 2);

  flow = pw_profile_get_flow (profile, 0);
  from = pw_profile_get_lane (profile, flow->from_lane);
  to = pw_profile_get_lane (profile, flow->to_lane);
  /* s binds to the innermost enclosing slice, f with bp e to its own */
  g_assert_cmpstr (pw_profile_get_string (profile, from->span_name[flow->from_span]), ==, "launch");
  g_assert_cmpstr (pw_profile_get_string (profile, to->span_name[flow->to_span]), ==, "kernel");

  /* an f without bp binds to the next slice */
  flow = pw_profile_get_flow (profile, 1);
  to = pw_profile_get_lane (profile, flow->to_lane);
  g_assert_cmpstr (pw_profile_get_string (profile, to->span_name[flow->to_span]), ==, "kernel");
  g_assert_cmpint (flow->to_time, ==, 35000);
}

static void
test_flow_v2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "[{\"ph\":\"X\",\"name\":\"post\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5,\"bind_id\":\"0xa\",\"flow_out\":true},"
    "{\"ph\":\"X\",\"name\":\"hop\",\"pid\":1,\"tid\":2,\"ts\":10,\"dur\":5,\"bind_id\":\"0xa\",\"flow_in\":true,\"flow_out\":true},"
    "{\"ph\":\"X\",\"name\":\"run\",\"pid\":2,\"tid\":3,\"ts\":20,\"dur\":5,\"bind_id\":\"0xa\",\"flow_in\":true},"
    "{\"ph\":\"X\",\"name\":\"lonely\",\"pid\":2,\"tid\":3,\"ts\":30,\"dur\":5,\"bind_id\":\"0xb\",\"flow_in\":true}]",
    &error);
  const char *expected[][2] = { { "post", "hop" }, { "hop", "run" } };

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);
      const PwLane *from = pw_profile_get_lane (profile, flow->from_lane);
      const PwLane *to = pw_profile_get_lane (profile, flow->to_lane);

      g_assert_cmpstr (pw_profile_get_string (profile, from->span_name[flow->from_span]), ==, expected[i][0]);
      g_assert_cmpstr (pw_profile_get_string (profile, to->span_name[flow->to_span]), ==, expected[i][1]);
    }
}

static void
test_counters_and_units (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (
    "{\"displayTimeUnit\":\"ns\",\"traceEvents\": ["
    "{\"ph\":\"C\",\"name\":\"heap\",\"id\":\"7\",\"pid\":1,\"ts\":1,\"args\":{\"used\":10}},"
    "{\"ph\":\"C\",\"name\":\"heap\",\"id\":\"8\",\"pid\":1,\"ts\":2,\"args\":{\"used\":20}},"
    "{\"ph\":\"C\",\"name\":\"mem\",\"pid\":1,\"ts\":3,\"args\":{\"a\":1,\"b\":2}},"
    "{\"ph\":\"O\",\"name\":\"obj\",\"id\":\"1\",\"pid\":1,\"ts\":3},"
    "{\"ph\":\"X\",\"name\":\"x\",\"pid\":1,\"tid\":1,\"ts\":3,\"dur\":1}"
    "]}", &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_assert_no_error (error);
  /* counters with an id are series of their own; keys split a series */
  for (guint i = 0; i < pw_profile_get_n_counters (profile); i++)
    g_ptr_array_add (names, (gpointer) pw_profile_get_string (profile, pw_profile_get_counter (profile, i)->name));
  g_assert_cmpuint (names->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "heap 7");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "heap 8");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "mem.a");
  /* ts stays in µs whatever displayTimeUnit says */
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 3000);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "displayTimeUnit"), ==, "ns");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "chrome.object_events"), ==, "1");
}

static void
test_object_events (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("speedscope-chrome116-Trace-20230603T221323.json.gz");

  /* O 2, N 1 */
  g_assert_cmpstr (pw_profile_get_metadata (profile, "chrome.object_events"), ==, "3");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "events"), ==, "3108");
}

/* Parallel parsing. */

static void
assert_same_profile (PwProfile *a,
                     PwProfile *b)
{
  const char * const *wa = pw_profile_get_warnings (a);
  const char * const *wb = pw_profile_get_warnings (b);

#define STR(p, id) pw_profile_get_string ((p), (id))
  g_assert_cmpint (pw_profile_get_start_ns (a), ==, pw_profile_get_start_ns (b));
  g_assert_cmpint (pw_profile_get_duration_ns (a), ==, pw_profile_get_duration_ns (b));
  g_assert_cmpuint (pw_profile_get_n_spans (a), ==, pw_profile_get_n_spans (b));
  g_assert_cmpuint (pw_profile_get_n_samples (a), ==, pw_profile_get_n_samples (b));
  g_assert_cmpuint (pw_profile_get_n_instants (a), ==, pw_profile_get_n_instants (b));
  g_assert_cmpuint (pw_profile_get_n_lanes (a), ==, pw_profile_get_n_lanes (b));
  g_assert_cmpstr (pw_profile_get_metadata (a, "events"), ==, pw_profile_get_metadata (b, "events"));
  g_assert_cmpstr (pw_profile_get_metadata (a, "chrome.phases"), ==, pw_profile_get_metadata (b, "chrome.phases"));
  g_assert_cmpstr (pw_profile_get_metadata (a, "displayTimeUnit"), ==, pw_profile_get_metadata (b, "displayTimeUnit"));

  for (guint l = 0; l < pw_profile_get_n_lanes (a); l++)
    {
      const PwLane *la = pw_profile_get_lane (a, l);
      const PwLane *lb = pw_profile_get_lane (b, l);

      g_assert_cmpint (la->kind, ==, lb->kind);
      g_assert_cmpint (la->pid, ==, lb->pid);
      g_assert_cmpint (la->tid, ==, lb->tid);
      g_assert_cmpstr (STR (a, la->name), ==, STR (b, lb->name));
      g_assert_cmpstr (STR (a, la->process_name), ==, STR (b, lb->process_name));
      g_assert_cmpuint (la->n_spans, ==, lb->n_spans);
      g_assert_cmpuint (la->n_rows, ==, lb->n_rows);
      for (guint s = 0; s < la->n_spans; s++)
        {
          g_assert_cmpint (la->span_start[s], ==, lb->span_start[s]);
          g_assert_cmpint (la->span_dur[s], ==, lb->span_dur[s]);
          g_assert_cmpint (la->span_cpu[s], ==, lb->span_cpu[s]);
          g_assert_cmpint (la->span_parent[s], ==, lb->span_parent[s]);
          g_assert_cmpuint (la->span_depth[s], ==, lb->span_depth[s]);
          g_assert_cmpstr (STR (a, la->span_name[s]), ==, STR (b, lb->span_name[s]));
          g_assert_cmpstr (STR (a, la->span_category[s]), ==, STR (b, lb->span_category[s]));
          g_assert_cmpstr (pw_test_args (a, la->span_args[s]), ==, pw_test_args (b, lb->span_args[s]));
        }
      g_assert_cmpuint (la->n_samples, ==, lb->n_samples);
      for (guint s = 0; s < la->n_samples; s++)
        {
          g_autofree char *pa = stack_path (a, la->sample_stack[s]);
          g_autofree char *pb = stack_path (b, lb->sample_stack[s]);

          g_assert_cmpint (la->sample_time[s], ==, lb->sample_time[s]);
          g_assert_cmpint (la->sample_weight[s], ==, lb->sample_weight[s]);
          g_assert_cmpstr (pa, ==, pb);
        }
      g_assert_cmpuint (la->n_instants, ==, lb->n_instants);
      for (guint s = 0; s < la->n_instants; s++)
        {
          g_assert_cmpint (la->instant_time[s], ==, lb->instant_time[s]);
          g_assert_cmpstr (STR (a, la->instant_name[s]), ==, STR (b, lb->instant_name[s]));
        }
    }

  g_assert_cmpuint (pw_profile_get_n_counters (a), ==, pw_profile_get_n_counters (b));
  for (guint c = 0; c < pw_profile_get_n_counters (a); c++)
    {
      const PwCounter *ca = pw_profile_get_counter (a, c);
      const PwCounter *cb = pw_profile_get_counter (b, c);

      g_assert_cmpstr (STR (a, ca->name), ==, STR (b, cb->name));
      g_assert_cmpint (ca->pid, ==, cb->pid);
      g_assert_cmpuint (ca->n_points, ==, cb->n_points);
      for (guint k = 0; k < ca->n_points; k++)
        {
          g_assert_cmpint (ca->time[k], ==, cb->time[k]);
          g_assert_cmpfloat (ca->value[k], ==, cb->value[k]);
        }
    }

  g_assert_cmpuint (pw_profile_get_n_flows (a), ==, pw_profile_get_n_flows (b));
  for (guint f = 0; f < pw_profile_get_n_flows (a); f++)
    {
      const PwFlow *fa = pw_profile_get_flow (a, f);
      const PwFlow *fb = pw_profile_get_flow (b, f);

      g_assert_cmpuint (fa->from_lane, ==, fb->from_lane);
      g_assert_cmpuint (fa->to_lane, ==, fb->to_lane);
      g_assert_cmpuint (fa->from_span, ==, fb->from_span);
      g_assert_cmpuint (fa->to_span, ==, fb->to_span);
      g_assert_cmpint (fa->from_time, ==, fb->from_time);
      g_assert_cmpint (fa->to_time, ==, fb->to_time);
      g_assert_cmpstr (STR (a, fa->name), ==, STR (b, fb->name));
    }

  for (guint w = 0; wa[w] != NULL || wb[w] != NULL; w++)
    g_assert_cmpstr (wa[w], ==, wb[w]);
#undef STR
}

static PwProfile *
load_mode (GBytes       *bytes,
           PwChromeMode  mode,
           guint         n_chunks,
           guint        *n_parsed_chunks)
{
  g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "generated.json", NULL);
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(GError) error = NULL;

  pw_profile_builder_set_format (builder, "chrome", "Chrome");
  g_assert_true (_pw_import_chrome_load (input, builder, mode, n_chunks, &error));
  g_assert_no_error (error);
  if (n_parsed_chunks)
    *n_parsed_chunks = _pw_import_chrome_get_last_n_chunks ();

  return pw_profile_builder_build (builder);
}

/* A trace with everything that must match across chunks: B/E pairs and
 * async spans open in one part and closed in another, flows whose f comes
 * first, samples, counters, metadata, and args whose strings and nested
 * arrays look like event boundaries. */
static GBytes *
generate_trace (guint n_events,
                gboolean object_form)
{
  GString *out = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 ts = 1000000;

  if (object_form)
    g_string_append (out, "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"version\":\"gen\"},\"traceEvents\":[\n");
  else
    g_string_append (out, "[\n");

  g_string_append (out, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"Browser\"}},\n");
  for (guint t = 1; t <= 4; t++)
    g_string_append_printf (out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%u,\"args\":{\"name\":\"worker %u\"}},\n", t, t);

  for (guint i = 0; i < n_events; i++)
    {
      guint tid = 1 + g_rand_int_range (rand, 0, 4);
      guint kind = g_rand_int_range (rand, 0, 20);

      ts += g_rand_int_range (rand, 0, 7);
      switch (kind)
        {
        case 0:
          g_string_append_printf (out, "{\"ph\":\"B\",\"name\":\"be%u\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  i % 5, tid, ts);
          break;
        case 1:
          g_string_append_printf (out, "{\"ph\":\"E\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT ",\"args\":{\"n\":%u}},\n",
                                  tid, ts, i);
          break;
        case 2:
          g_string_append_printf (out, "{\"ph\":\"b\",\"cat\":\"net\",\"name\":\"req\",\"id\":\"0x%x\",\"pid\":1,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  i % 13, ts);
          break;
        case 3:
          g_string_append_printf (out, "{\"ph\":\"e\",\"cat\":\"net\",\"name\":\"req\",\"id\":\"0x%x\",\"pid\":1,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  (i + 5) % 13, ts);
          break;
        case 4:
          g_string_append_printf (out, "{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":%u,\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  i / 40, tid, ts + 30);
          g_string_append_printf (out, "{\"ph\":\"s\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"id\":%u,\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  i / 40, tid, ts);
          break;
        case 5:
          g_string_append_printf (out, "{\"ph\":\"C\",\"name\":\"mem\",\"pid\":1,\"ts\":%" G_GINT64_FORMAT ",\"args\":{\"heap\":%u,\"gpu\":%u.5}},\n",
                                  ts, i % 1000, i % 77);
          break;
        case 6:
          g_string_append_printf (out, "{\"ph\":\"i\",\"name\":\"mark\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT "},\n",
                                  tid, ts);
          break;
        case 7:
          g_string_append_printf (out, "{\"ph\":\"P\",\"name\":\"sample\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT ",\"sf\":%u},\n",
                                  tid, ts, 1 + i % 3);
          break;
        case 8:
          /* strings and nested arrays that look like boundaries */
          g_string_append_printf (out, "{\"ph\":\"X\",\"name\":\"tricky \\\"},{\\\" %u\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT ",\"dur\":3,"
                                  "\"args\":{\"s\":\"},{\\\"ph\\\":\\\"X\\\"}\\\\\",\"list\":[{\"a\":1},\n{\"b\":[{},{}]}]}},\n",
                                  i % 3, tid, ts);
          break;
        case 9:
          g_string_append_printf (out, "{\"ph\":\"X\",\"name\":\"v2\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT ",\"dur\":2,\"bind_id\":\"0x%x\",\"%s\":true},\n",
                                  tid, ts, i / 30, i % 2 ? "flow_in" : "flow_out");
          break;
        default:
          g_string_append_printf (out, "{\"ph\":\"X\",\"cat\":\"c%u\",\"name\":\"work%u\",\"pid\":1,\"tid\":%u,\"ts\":%" G_GINT64_FORMAT ",\"dur\":%u,\"tdur\":%u%s},\n",
                                  kind, g_rand_int_range (rand, 0, 50), tid, ts, g_rand_int_range (rand, 0, 40),
                                  g_rand_int_range (rand, 0, 30),
                                  kind % 3 == 0 ? ",\"args\":{\"k\":\"v\",\"n\":[1,2,3]}" : "");
          break;
        }
    }

  g_string_append_printf (out, "{\"ph\":\"X\",\"name\":\"last\",\"pid\":1,\"tid\":1,\"ts\":%" G_GINT64_FORMAT ",\"dur\":1}\n]", ts);
  if (object_form)
    g_string_append (out, ",\"stackFrames\":{\"1\":{\"name\":\"main\"},\"2\":{\"name\":\"run\",\"parent\":1},"
                          "\"3\":{\"name\":\"draw\",\"parent\":\"2\"}},"
                          "\"samples\":[{\"tid\":2,\"pid\":1,\"ts\":1000001,\"sf\":3,\"weight\":\"2\"}]}");
  g_string_append_c (out, '\n');
  g_rand_free (rand);

  return g_string_free_to_bytes (out);
}

static void
test_parallel_matches_sequential (void)
{
  for (guint form = 0; form < 2; form++)
    {
      g_autoptr(GBytes) bytes = generate_trace (60000, form == 1);
      g_autoptr(PwProfile) sequential = load_mode (bytes, PW_CHROME_MODE_SEQUENTIAL, 1, NULL);
      static const guint chunk_counts[] = { 2, 3, 7, 16 };

      g_assert_cmpuint (pw_profile_get_n_spans (sequential), >, 40000);
      g_assert_cmpuint (pw_profile_get_n_flows (sequential), >, 1000);
      /* the bare array has no stackFrames to resolve the samples */
      if (form == 1)
        g_assert_cmpuint (pw_profile_get_n_samples (sequential), >, 2000);
      else
        g_assert_cmpuint (pw_profile_get_n_samples (sequential), ==, 0);

      for (guint i = 0; i < G_N_ELEMENTS (chunk_counts); i++)
        {
          guint n_parsed = 0;
          g_autoptr(PwProfile) parallel = load_mode (bytes, PW_CHROME_MODE_PARALLEL, chunk_counts[i], &n_parsed);

          /* it did split (and did not fall back) */
          g_assert_cmpuint (n_parsed, ==, chunk_counts[i]);
          assert_same_profile (sequential, parallel);
        }
    }
}

static void
test_parallel_corpus (void)
{
  static const char *files[] = {
    "catapult-big_trace.json", "catapult-x_event_trace.json", "catapult-simple_trace.json",
    "catapult-async_begin_end.json", "ffprofiler-test.chrome-unchunked.json",
    "edge-speedscope-multi-thread-with-samples.json", "edge-speedscope-simple-partial.json",
    "speedscope-chrome116-Trace-20230603T221323.json.gz", "speedscope-chrome70-worker.json.gz",
    "catapult-webview.json.gz", "hta-alexnet-critical-path.json.gz",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", files[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PwInput) input = pw_input_new_for_file (file, NULL, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PwProfile) sequential = NULL;
      g_autoptr(GError) error = NULL;

      /* gunzipped into memory, so that the parallel parser can split it */
      g_assert_nonnull (input);
      bytes = pw_input_read_all (input, G_MAXSIZE, &error);
      g_assert_no_error (error);
      sequential = load_mode (bytes, PW_CHROME_MODE_SEQUENTIAL, 1, NULL);

      for (guint n = 2; n <= 5; n += 3)
        {
          g_autoptr(PwProfile) parallel = load_mode (bytes, PW_CHROME_MODE_PARALLEL, n, NULL);

          g_test_message ("%s in %u chunks: %u", files[i], n, _pw_import_chrome_get_last_n_chunks ());
          assert_same_profile (sequential, parallel);
        }
    }
}

static void
test_parallel_bad_splits (void)
{
  /* events with long args made of "},{" inside strings and of nested
   * objects: every tentative cut lands in one; the result must still be
   * right, by splitting elsewhere or by reading sequentially */
  GString *text = g_string_new ("[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PwProfile) sequential = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_string_append_printf (text, "%s{\"ph\":\"X\",\"name\":\"e%u\",\"pid\":1,\"tid\":1,\"ts\":%u,\"dur\":1,\"args\":{\"s\":\"",
                              i ? "," : "", i, i * 10);
      for (guint k = 0; k < 2000; k++)
        g_string_append (text, "},{");
      g_string_append (text, "\",\"l\":[");
      for (guint k = 0; k < 2000; k++)
        g_string_append (text, k ? ",{}" : "{}");
      g_string_append (text, "]}}");
    }
  g_string_append (text, "]");
  bytes = g_string_free_to_bytes (text);

  sequential = load_mode (bytes, PW_CHROME_MODE_SEQUENTIAL, 1, NULL);
  g_assert_cmpuint (pw_profile_get_n_spans (sequential), ==, 20);
  for (guint n = 2; n < 9; n++)
    {
      g_autoptr(PwProfile) parallel = load_mode (bytes, PW_CHROME_MODE_PARALLEL, n, NULL);

      assert_same_profile (sequential, parallel);
    }
}

static void
test_parallel_errors (void)
{
  /* a syntax error in the middle: the same message as the streaming
   * parser gives, with its position */
  g_autoptr(GBytes) good = generate_trace (20000, TRUE);
  gsize len;
  const char *data = g_bytes_get_data (good, &len);
  g_autofree char *bad = g_memdup2 (data, len);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = len / 2; i < len; i++)
    if (bad[i] == ':')
      {
        bad[i] = ';';
        break;
      }
  bytes = g_bytes_new (bad, len);

  for (guint mode = PW_CHROME_MODE_SEQUENTIAL; mode <= PW_CHROME_MODE_PARALLEL; mode++)
    {
      g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "bad.json", NULL);
      g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (_pw_import_chrome_load (input, builder, mode, 4, &error));
      g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "bad.json"));
      g_assert_nonnull (strstr (error->message, "line "));
    }
}

static void
cancel_half_way (double   fraction,
                 gpointer user_data)
{
  if (fraction > 0.2)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(GBytes) bytes = generate_trace (600000, TRUE);

  g_assert_cmpuint (g_bytes_get_size (bytes), >, 40 * 1024 * 1024);

  for (guint mode = PW_CHROME_MODE_SEQUENTIAL; mode <= PW_CHROME_MODE_PARALLEL; mode++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "big.json", cancellable);
      g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
      g_autoptr(GError) error = NULL;

      pw_input_set_progress_func (input, cancel_half_way, cancellable);
      g_assert_false (_pw_import_chrome_load (input, builder, mode, 2, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

/* Hostile input: cycles and depth must end, and the parallel reader must
 * agree with the streaming one. */
static void
test_hostile (void)
{
  GString *deep = g_string_new ("{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1,\"args\":");
  const char *cyclic_frames =
    "{\"traceEvents\":[{\"ph\":\"P\",\"name\":\"s\",\"pid\":1,\"tid\":1,\"ts\":1,\"sf\":1},"
    "{\"ph\":\"X\",\"name\":\"x\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5}],"
    "\"stackFrames\":{\"1\":{\"name\":\"a\",\"parent\":2},\"2\":{\"name\":\"b\",\"parent\":1}}}";
  const char *cyclic_nodes =
    "[{\"ph\":\"P\",\"name\":\"ProfileChunk\",\"id\":\"1\",\"pid\":1,\"tid\":1,\"ts\":1,"
    "\"args\":{\"data\":{\"cpuProfile\":{\"nodes\":[{\"id\":1,\"parent\":2,\"callFrame\":{\"functionName\":\"a\"}},"
    "{\"id\":2,\"parent\":1,\"callFrame\":{\"functionName\":\"b\"}}],\"samples\":[1,2,3]},\"timeDeltas\":[1,1]}}},"
    "{\"ph\":\"X\",\"name\":\"x\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5}]";
  /* escapes that yajl decodes in its own way: both readers must agree */
  const char *escapes =
    "[{\"ph\":\"X\",\"name\":\"caf\\u00e9 \\ud83d\\ude00\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":9},"
    "{\"ph\":\"X\",\"name\":\"lone \\ud800xy\",\"pid\":1,\"tid\":1,\"ts\":2,\"dur\":1},"
    "{\"ph\":\"X\",\"name\":\"lone \\ud800\\nz\",\"pid\":1,\"tid\":1,\"ts\":3,\"dur\":1},"
    "{\"ph\":\"X\",\"name\":\"odd \\ud800\\u0041 \\udc00\",\"pid\":1,\"tid\":1,\"ts\":4,\"dur\":1},"
    "{\"ph\":\"X\",\"name\":\"end \\ud800\",\"pid\":1,\"tid\":1,\"ts\":5,\"dur\":1},"
    "{\"ph\":\"X\",\"name\":\"nul a\\u0000b \\\"q\\\" \\/ \\t\",\"pid\":1,\"tid\":1,\"ts\":6,\"dur\":1}]";
  const char *texts[4];

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "[");
  g_string_append (deep, "1");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "]");
  g_string_append (deep, "}]}");

  texts[0] = cyclic_frames;
  texts[1] = cyclic_nodes;
  texts[2] = deep->str;
  texts[3] = escapes;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (texts[i], strlen (texts[i]));
      g_autoptr(PwProfile) sequential = load_mode (bytes, PW_CHROME_MODE_SEQUENTIAL, 1, NULL);
      g_autoptr(PwProfile) parallel = load_mode (bytes, PW_CHROME_MODE_PARALLEL, 3, NULL);

      g_assert_cmpuint (pw_profile_get_n_spans (sequential), ==, i == 3 ? 6 : 1);
      assert_same_profile (sequential, parallel);
      /* a cycle stops where it closes: its samples keep a finite stack */
      for (guint l = 0; l < pw_profile_get_n_lanes (sequential); l++)
        {
          const PwLane *lane = pw_profile_get_lane (sequential, l);

          for (guint k = 0; k < lane->n_samples; k++)
            g_assert_cmpuint (pw_profile_get_stack_depth (sequential, lane->sample_stack[k]), <, 10);
        }
    }

  g_string_free (deep, TRUE);
}

/* pw_profile_builder_merge: two builders merged give what one builder
 * given the same calls in the same order gives. */
static void
fill (PwProfileBuilder *builder,
      guint             part)
{
  guint lane = pw_profile_builder_get_lane (builder, PW_LANE_THREAD, 1, 10 + part);
  guint shared = pw_profile_builder_get_lane (builder, PW_LANE_THREAD, 1, 99);
  guint32 name = pw_profile_builder_intern (builder, part ? "second" : "first", -1);
  guint32 common = pw_profile_builder_intern (builder, "common", -1);
  guint32 args = pw_profile_builder_add_args (builder, part ? "{\"p\":2}" : "{\"p\":1}", -1);
  guint32 root = pw_profile_builder_push_frame (builder, PW_NO_STACK, common);
  guint32 leaf = pw_profile_builder_push_frame (builder, root, name);
  PwSpanHandle a, b;

  pw_profile_builder_set_lane_name (builder, lane, part ? "worker 2" : "worker 1");
  pw_profile_builder_set_process_name (builder, 1, "proc");
  a = pw_profile_builder_add_span (builder, lane, 1000 * (part + 1), 500, -1, name, common, args);
  b = pw_profile_builder_add_span (builder, shared, 100 + part, 50, 20, common, name, 0);
  pw_profile_builder_add_sample (builder, lane, 1100 * (part + 1), 1, leaf);
  pw_profile_builder_add_instant (builder, shared, 120, name);
  pw_profile_builder_add_counter_value (builder, pw_profile_builder_get_counter (builder, 1, "mem"), 10 * part, part);
  pw_profile_builder_add_flow (builder, PW_FLOW_ARROW, name, lane, 1000, a, shared, 100, b);
  pw_profile_builder_add_flow_bind (builder, PW_FLOW_ARROW, common, shared, 101, PW_FLOW_BIND_ENCLOSING,
                                    lane, 0, PW_FLOW_BIND_NEXT);
  pw_profile_builder_set_metadata (builder, part ? "b" : "a", "x");
}

static void
test_builder_merge (void)
{
  g_autoptr(PwProfileBuilder) one = pw_profile_builder_new ();
  g_autoptr(PwProfileBuilder) first = pw_profile_builder_new ();
  g_autoptr(PwProfileBuilder) second = pw_profile_builder_new ();
  g_autoptr(PwProfile) expected = NULL;
  g_autoptr(PwProfile) merged = NULL;

  fill (one, 0);
  fill (one, 1);
  fill (first, 0);
  fill (second, 1);
  pw_profile_builder_merge (first, second);
  g_assert_cmpuint (pw_profile_builder_get_n_spans (second), ==, 0);

  expected = pw_profile_builder_build (one);
  merged = pw_profile_builder_build (first);
  g_assert_cmpuint (pw_profile_get_n_spans (merged), ==, 4);
  g_assert_cmpuint (pw_profile_get_n_flows (merged), ==, 4);
  assert_same_profile (expected, merged);
  g_assert_cmpstr (pw_profile_get_metadata (merged, "b"), ==, "x");
  for (guint i = 0; i < pw_profile_get_n_flows (merged); i++)
    {
      const PwFlow *flow = pw_profile_get_flow (merged, i);

      g_assert_cmpuint (flow->from_span, !=, G_MAXUINT32);
      g_assert_cmpuint (flow->to_span, !=, G_MAXUINT32);
    }
}

/* Inputs the fuzzer found crashing once: they must open or fail cleanly. */
static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("no fuzz regressions yet");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize len;

      if (!g_str_has_prefix (name, "chrome-"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

      for (guint mode = PW_CHROME_MODE_SEQUENTIAL; mode <= PW_CHROME_MODE_PARALLEL; mode++)
        {
          g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, name, NULL);
          g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
          g_autoptr(GError) error = NULL;

          if (_pw_import_chrome_load (input, builder, mode, 3, &error))
            g_clear_object (&(PwProfile *){ pw_profile_builder_build (builder) });
          else
            g_assert_nonnull (error);
        }
      n++;
    }

  g_test_message ("%u regression inputs", n);
}

/* clang -ftime-trace's "Total …" summaries are metadata, not threads. */
static void
test_clang_totals (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("clang14-ftime-trace.json");
  const PwLane *lane = NULL;
  guint span = 0;

  g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 1);
  /* "Total Frontend": 180 590 µs in 2, as the file says */
  g_assert_cmpstr (pw_profile_get_metadata (profile, "clang.total.Frontend"), ==, "180.590 ms in 2");
  g_assert_nonnull (pw_profile_get_metadata (profile, "clang.total.ExecuteCompiler"));
  g_assert_false (pw_test_find_span (profile, "Total Frontend", &lane, &span));
  g_assert_true (pw_test_find_span (profile, "Frontend", &lane, &span));
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
  for (guint i = 0; i < G_N_ELEMENTS (corpus_facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/chrome/corpus/%s", corpus_facts[i].file);
      g_test_add_data_func (path, &corpus_facts[i], test_corpus_facts);
    }

  g_test_add_func ("/import/chrome/big-trace-nesting", test_big_trace_nesting);
  g_test_add_func ("/import/chrome/metadata", test_thread_names_and_metadata);
  g_test_add_func ("/import/chrome/tts-tdur", test_tts_tdur);
  g_test_add_func ("/import/chrome/string-tids", test_string_tids);
  g_test_add_func ("/import/chrome/truncated-before-events", test_truncated_before_events);
  g_test_add_func ("/import/chrome/truncated-array", test_truncated_array);
  g_test_add_func ("/import/chrome/truncated-inside-event", test_truncated_inside_event);
  g_test_add_func ("/import/chrome/unbalanced", test_unbalanced);
  g_test_add_func ("/import/chrome/malformed", test_malformed);
  g_test_add_func ("/import/chrome/not-a-trace", test_not_a_trace);
  g_test_add_func ("/import/chrome/async-and-flows", test_async_and_flows);
  g_test_add_func ("/import/chrome/gzip-truncated", test_gzip_truncated);
  g_test_add_func ("/import/chrome/equal-starts", test_equal_starts);
  g_test_add_func ("/import/chrome/zero-duration", test_zero_duration);
  g_test_add_func ("/import/chrome/samples-array", test_samples_array);
  g_test_add_func ("/import/chrome/profile-chunks", test_profile_chunks);
  g_test_add_func ("/import/chrome/real-chromium-trace", test_real_chromium_trace);
  g_test_add_func ("/import/chrome/flows-time-order", test_flows_in_time_order);
  g_test_add_func ("/import/chrome/flow-v2", test_flow_v2);
  g_test_add_func ("/import/chrome/counters-and-units", test_counters_and_units);
  g_test_add_func ("/import/chrome/object-events", test_object_events);
  g_test_add_func ("/import/chrome/parallel/generated", test_parallel_matches_sequential);
  g_test_add_func ("/import/chrome/parallel/corpus", test_parallel_corpus);
  g_test_add_func ("/import/chrome/parallel/bad-splits", test_parallel_bad_splits);
  g_test_add_func ("/import/chrome/parallel/errors", test_parallel_errors);
  g_test_add_func ("/import/chrome/cancel", test_cancel);
  g_test_add_func ("/import/chrome/hostile", test_hostile);
  g_test_add_func ("/import/chrome/builder-merge", test_builder_merge);
  g_test_add_func ("/import/chrome/fuzz-regressions", test_fuzz_regressions);
  g_test_add_func ("/import/chrome/clang-totals", test_clang_totals);

  return g_test_run ();
}
