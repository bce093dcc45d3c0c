/* test-phases.c: phases and their figures on traces with known answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "pw-phases.h"
#include "pw-profile-builder.h"
#include "pw-test-util.h"

#define MS(x) ((gint64) (x) * PW_NSEC_PER_MSEC)
/* Absolute clock of the constructed traces: real traces never start at 0. */
#define T0 (G_GINT64_CONSTANT (5231408117) * PW_NSEC_PER_USEC)

static guint32
intern (PwProfileBuilder *b,
        const char       *s)
{
  return pw_profile_builder_intern (b, s, -1);
}

static PwSpanHandle
span (PwProfileBuilder *b,
      guint             lane,
      const char       *name,
      gint64            start_ms,
      gint64            dur_ms,
      gint64            cpu_ms)
{
  return pw_profile_builder_add_span (b, lane, T0 + MS (start_ms), MS (dur_ms),
                                      cpu_ms < 0 ? -1 : MS (cpu_ms),
                                      intern (b, name), 0, 0);
}

static PwPhases *
compute (PwProfile       *profile,
         PwPhasesOptions *options)
{
  g_autoptr(GError) error = NULL;
  PwPhases *phases = pw_phases_compute (profile, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (phases);
  return phases;
}

static const PwPhase *
find_phase (PwPhases   *phases,
            const char *name)
{
  for (guint i = 0; i < pw_phases_get_n_phases (phases); i++)
    if (g_strcmp0 (pw_phases_get_phase (phases, i)->name, name) == 0)
      return pw_phases_get_phase (phases, i);

  g_error ("no phase named %s", name);
  return NULL;
}

static void
assert_names (PwPhases   *phases,
              const char *expected)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < pw_phases_get_n_phases (phases); i++)
    {
      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, pw_phases_get_phase (phases, i)->name);
    }
  g_assert_cmpstr (names->str, ==, expected);
}

/* main [0, 4 s]: load (a leaf) then compute, whose three tasks run one
 * after the other. */
static void
test_sequential (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  span (b, main_lane, "main", 0, 4000, -1);
  span (b, main_lane, "load", 0, 1000, -1);
  span (b, main_lane, "compute", 1000, 3000, -1);
  span (b, main_lane, "task-1", 1000, 1000, -1);
  span (b, main_lane, "task-2", 2000, 1000, -1);
  span (b, main_lane, "task-3", 3000, 1000, -1);
  profile = pw_profile_builder_build (b);

  phases = compute (profile, NULL);
  assert_names (phases, "load compute");
  g_assert_cmpint (pw_phases_get_total_wall_ns (phases), ==, MS (4000));
  g_assert_false (pw_phases_has_cpu (phases));

  p = find_phase (phases, "compute");
  g_assert_cmpint (p->start_ns, ==, MS (1000));
  g_assert_cmpint (p->wall_ns, ==, MS (3000));
  g_assert_cmpint (p->task_ns, ==, MS (3000));
  g_assert_cmpfloat_with_epsilon (p->parallelism, 1.0, 1e-9);
  g_assert_cmpint (p->idle_ns, ==, 0);
  g_assert_cmpuint (p->max_concurrency, ==, 1);
  g_assert_cmpint (p->cpu_ns, ==, -1);
  g_assert_cmpfloat_with_epsilon (p->share, 0.75, 1e-9);
  g_assert_cmpuint (p->n_spans, ==, 4);
  g_assert_null (p->explanation);

  /* a leaf phase is its own task */
  p = find_phase (phases, "load");
  g_assert_cmpint (p->task_ns, ==, MS (1000));
  g_assert_cmpint (p->idle_ns, ==, 0);
  g_assert_cmpuint (p->max_concurrency, ==, 1);
}

/* The trap of the design: an orchestrator waits 0.37 s for 32 workers
 * that each run 0.22 s at once. */
static PwProfile *
make_parallel (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);

  pw_profile_builder_set_lane_name (b, main_lane, "main");
  span (b, main_lane, "pipeline", 0, 1000, 100);
  span (b, main_lane, "prepare", 0, 300, 50);
  span (b, main_lane, "enrich", 300, 370, 5);
  span (b, main_lane, "finish", 670, 330, 40);
  for (guint i = 0; i < 32; i++)
    {
      guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 100 + i);

      span (b, lane, "call", 310 + i, 220, 10);
    }

  return pw_profile_builder_build (b);
}

static void
test_parallel (void)
{
  g_autoptr(PwProfile) profile = make_parallel ();
  g_autoptr(PwPhases) phases = compute (profile, NULL);
  const PwPhase *p;

  assert_names (phases, "prepare enrich finish");
  p = find_phase (phases, "enrich");
  g_assert_cmpint (p->wall_ns, ==, MS (370));
  /* 32 × 0.22 s, and not the orchestrator's 0.37 s of waiting on top */
  g_assert_cmpint (p->task_ns, ==, 32 * MS (220));
  g_assert_cmpfloat_with_epsilon (p->parallelism, 7040.0 / 370.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->mean_concurrency, 7040.0 / 370.0, 1e-9);
  g_assert_cmpuint (p->max_concurrency, ==, 32);
  /* no worker runs in [300, 310) nor in [561, 670) */
  g_assert_cmpint (p->idle_ns, ==, MS (10) + MS (109));
  /* the phase's own CPU and every worker's */
  g_assert_cmpint (p->cpu_ns, ==, MS (5) + 32 * MS (10));
  g_assert_cmpuint (p->n_spans, ==, 33);
  g_assert_nonnull (p->explanation);
  g_assert_nonnull (strstr (p->explanation,
                            "32 tasks ran in parallel: 7.040 s of task time in 370.0 ms of wall time (19.0×)"));
  g_assert_nonnull (strstr (p->explanation, "waiting"));
  g_assert_nonnull (strstr (p->explanation, "no lane was busy"));

  /* the strip: 32 lanes busy in the middle, none at the edges */
  g_assert_cmpfloat (p->concurrency[PW_PHASE_N_BUCKETS / 2], >, 31.9);
  g_assert_cmpfloat (p->concurrency[0], <, 0.01);
  g_assert_cmpfloat (p->concurrency[PW_PHASE_N_BUCKETS - 1], <, 0.01);

  p = find_phase (phases, "prepare");
  g_assert_cmpint (p->task_ns, ==, MS (300));
  g_assert_cmpint (p->cpu_ns, ==, MS (50));
}

/* A range equal to a phase gives the phase's figures. */
static void
test_range (void)
{
  g_autoptr(PwProfile) profile = make_parallel ();
  PwPhasesOptions options = { PW_PHASES_RANGE, .range_start = MS (300), .range_end = MS (670) };
  g_autoptr(PwPhases) phases = compute (profile, &options);
  const PwPhase *p;

  g_assert_cmpuint (pw_phases_get_n_phases (phases), ==, 1);
  p = pw_phases_get_phase (phases, 0);
  g_assert_cmpint (p->wall_ns, ==, MS (370));
  g_assert_cmpint (p->task_ns, ==, 32 * MS (220));
  g_assert_cmpuint (p->max_concurrency, ==, 32);
  g_assert_cmpint (p->idle_ns, ==, MS (119));
  g_assert_cmpint (p->cpu_ns, ==, 32 * MS (10));

  /* half of the workers' time, prorated CPU */
  options.range_start = MS (400);
  options.range_end = MS (450);
  g_clear_pointer (&phases, pw_phases_unref);
  phases = compute (profile, &options);
  p = pw_phases_get_phase (phases, 0);
  g_assert_cmpint (p->task_ns, ==, 32 * MS (50));
  g_assert_cmpint (p->idle_ns, ==, 0);
  g_assert_cmpint (p->cpu_ns, ==, 32 * (MS (10) * 50 / 220));
}

static void
test_waiting (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 7, 7);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  span (b, main_lane, "main", 0, 40000, 4000);
  span (b, main_lane, "build", 0, 5500, 5400);
  span (b, main_lane, "upload", 5500, 34500, 1300);
  profile = pw_profile_builder_build (b);

  phases = compute (profile, NULL);
  assert_names (phases, "build upload");
  p = find_phase (phases, "upload");
  g_assert_cmpint (p->wall_ns, ==, MS (34500));
  g_assert_cmpint (p->cpu_ns, ==, MS (1300));
  g_assert_cmpstr (p->explanation, ==,
                   "wall 34.50 s but CPU 1.300 s: this phase is waiting (I/O, network, locks), not computing");
  /* computing: no explanation */
  g_assert_null (find_phase (phases, "build")->explanation);
}

/* Wrappers are descended while one span dominates its lane. */
static void
test_nested (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint worker = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  PwPhasesOptions depth = { PW_PHASES_DEPTH, .depth = 1 };
  PwPhasesOptions match = { PW_PHASES_MATCH, .pattern = "b*" };
  const PwPhase *p;

  span (b, main_lane, "main", 0, 10000, -1);
  span (b, main_lane, "run", 100, 9800, -1);
  span (b, main_lane, "a", 100, 4900, -1);
  span (b, main_lane, "a.1", 200, 1000, -1);
  span (b, main_lane, "b", 5000, 4900, -1);
  span (b, main_lane, "b.1", 5000, 2000, -1);
  span (b, main_lane, "atexit", 10000, 50, -1);
  /* a worker busy across the a/b boundary: attributed by time overlap */
  span (b, worker, "job", 4000, 2000, -1);
  profile = pw_profile_builder_build (b);

  phases = compute (profile, NULL);
  assert_names (phases, "a b atexit");
  g_assert_nonnull (strstr (pw_phases_get_description (phases), "run"));

  p = find_phase (phases, "a");
  g_assert_cmpint (p->task_ns, ==, MS (1000) + MS (1000));
  g_assert_cmpint (p->idle_ns, ==, MS (4900) - MS (2000));
  p = find_phase (phases, "b");
  g_assert_cmpint (p->task_ns, ==, MS (2000) + MS (1000));
  g_assert_cmpuint (p->max_concurrency, ==, 2);
  /* the worker's job started in a, so it is counted there */
  g_assert_cmpuint (p->n_spans, ==, 2);

  g_clear_pointer (&phases, pw_phases_unref);
  phases = compute (profile, &depth);
  assert_names (phases, "run");

  g_clear_pointer (&phases, pw_phases_unref);
  phases = compute (profile, &match);
  assert_names (phases, "b");
}

static void
test_group (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint worker = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  PwPhasesOptions options = { PW_PHASES_DEFAULT, .group = TRUE };
  const PwPhase *p;

  span (b, main_lane, "setup", 0, 100, -1);
  for (guint i = 0; i < 3; i++)
    {
      span (b, main_lane, "step", 100 + i * 200, 200, -1);
      span (b, worker, "kernel", 100 + i * 200, 150, -1);
    }
  profile = pw_profile_builder_build (b);

  phases = compute (profile, &options);
  assert_names (phases, "setup step");
  p = find_phase (phases, "step");
  g_assert_cmpuint (p->n_iterations, ==, 3);
  g_assert_cmpint (p->wall_ns, ==, MS (600));
  g_assert_cmpint (p->task_ns, ==, MS (450));
  g_assert_cmpint (p->idle_ns, ==, MS (150));
  g_assert_cmpfloat_with_epsilon (p->parallelism, 0.75, 1e-9);

  /* ungrouped: one phase per iteration */
  options.group = FALSE;
  g_clear_pointer (&phases, pw_phases_unref);
  phases = compute (profile, &options);
  assert_names (phases, "setup step step step");
}

#define CHROME_HEAD \
  "{\"traceEvents\":[" \
  "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"main\"}}," \
  "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"worker\"}},"

/* main: main [0, 3 s] → p1 [0, 2 s], p2 [2 s, 3 s]; a worker runs
 * [1.5 s, 2.5 s] across the boundary. */
static void
test_chrome_cpu (void)
{
  const char *with_cpu = CHROME_HEAD
    "{\"name\":\"main\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":1000000,\"dur\":3000000,\"tts\":0,\"tdur\":2000000},"
    "{\"name\":\"p1\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":1000000,\"dur\":2000000,\"tts\":0,\"tdur\":1800000},"
    "{\"name\":\"p2\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":3000000,\"dur\":1000000,\"tts\":1800000,\"tdur\":100000},"
    "{\"name\":\"work\",\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":2500000,\"dur\":1000000,\"tts\":0,\"tdur\":800000}"
    "]}";
  const char *without_cpu = CHROME_HEAD
    "{\"name\":\"main\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":1000000,\"dur\":3000000},"
    "{\"name\":\"p1\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":1000000,\"dur\":2000000},"
    "{\"name\":\"p2\",\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":3000000,\"dur\":1000000},"
    "{\"name\":\"work\",\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":2500000,\"dur\":1000000}"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (with_cpu, &error);
  g_autoptr(PwPhases) phases = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  const PwPhase *p;

  g_assert_no_error (error);
  phases = compute (profile, NULL);
  assert_names (phases, "p1 p2");
  g_assert_true (pw_phases_has_cpu (phases));
  p = find_phase (phases, "p1");
  /* own 1.8 s + half of the worker's 0.8 s */
  g_assert_cmpint (p->cpu_ns, ==, MS (1800) + MS (400));
  g_assert_cmpint (p->task_ns, ==, MS (500));
  p = find_phase (phases, "p2");
  g_assert_cmpint (p->cpu_ns, ==, MS (100) + MS (400));
  g_assert_cmpint (p->task_ns, ==, MS (500));
  g_assert_cmpint (p->idle_ns, ==, MS (500));

  json = pw_phases_to_json (phases);
  {
    JsonObject *root = json_node_get_object (json);
    JsonArray *array = json_object_get_array_member (root, "phases");
    JsonObject *first = json_array_get_object_element (array, 0);

    g_assert_cmpint (json_object_get_int_member (root, "total_wall_ns"), ==, MS (3000));
    g_assert_cmpint (json_object_get_int_member (first, "cpu_ns"), ==, MS (2200));
  }
  g_clear_pointer (&json, json_node_unref);
  g_clear_pointer (&phases, pw_phases_unref);
  g_clear_object (&profile);

  profile = pw_test_load_string (without_cpu, &error);
  g_assert_no_error (error);
  phases = compute (profile, NULL);
  g_assert_false (pw_phases_has_cpu (phases));
  p = find_phase (phases, "p1");
  g_assert_cmpint (p->cpu_ns, ==, -1);
  g_assert_cmpint (p->task_ns, ==, MS (500));

  json = pw_phases_to_json (phases);
  {
    JsonArray *array = json_object_get_array_member (json_node_get_object (json), "phases");
    JsonObject *first = json_array_get_object_element (array, 0);

    /* unknown is null, never 0 */
    g_assert_true (json_object_has_member (first, "cpu_ns"));
    g_assert_true (json_object_get_null_member (first, "cpu_ns"));
  }
  text = pw_phases_to_text (phases);
  g_assert_nonnull (strstr (text, "unknown"));
}

/* frontend: GET /checkout [0, 100 ms] → render [70, 100]; on auth
 * authorize [5, 60] and on db fetch-cart [20, 65] are children of the
 * root through parent links; db's query [10, 50] is authorize's child. */
static PwProfile *
make_distributed (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint frontend = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 1, intern (b, "frontend"));
  guint auth = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 2, intern (b, "auth"));
  guint db = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 3, intern (b, "db"));
  PwSpanHandle root, render, authorize, query, cart;

  pw_profile_builder_set_lane_name (b, frontend, "frontend");
  pw_profile_builder_set_lane_name (b, auth, "auth");
  pw_profile_builder_set_lane_name (b, db, "db");
  root = span (b, frontend, "GET /checkout", 0, 100, -1);
  render = span (b, frontend, "render", 70, 30, -1);
  authorize = span (b, auth, "authorize", 5, 55, -1);
  query = span (b, db, "query", 10, 40, -1);
  cart = span (b, db, "fetch-cart", 20, 45, -1);
  (void) render;
  pw_profile_builder_add_flow (b, PW_FLOW_PARENT, 0, frontend, T0 + MS (5), root,
                               auth, T0 + MS (5), authorize);
  pw_profile_builder_add_flow (b, PW_FLOW_PARENT, 0, auth, T0 + MS (10), authorize,
                               db, T0 + MS (10), query);
  pw_profile_builder_add_flow (b, PW_FLOW_PARENT, 0, frontend, T0 + MS (20), root,
                               db, T0 + MS (20), cart);

  return pw_profile_builder_build (b);
}

static void
test_distributed (void)
{
  g_autoptr(PwProfile) profile = make_distributed ();
  PwPhasesOptions modes[] = { { PW_PHASES_DEFAULT }, { PW_PHASES_DISTRIBUTED } };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(PwPhases) phases = compute (profile, &modes[m]);
      const PwPhase *p;

      assert_names (phases, "authorize fetch-cart render");
      p = find_phase (phases, "authorize");
      /* the query on db is authorize's; fetch-cart, running at the same
       * time on the same lane, belongs to another phase */
      g_assert_cmpint (p->task_ns, ==, MS (40));
      g_assert_cmpuint (p->max_concurrency, ==, 1);
      g_assert_cmpint (p->idle_ns, ==, MS (15));
      g_assert_cmpuint (p->n_spans, ==, 2);
      p = find_phase (phases, "fetch-cart");
      g_assert_cmpint (p->task_ns, ==, MS (45));
      p = find_phase (phases, "render");
      g_assert_cmpint (p->task_ns, ==, MS (30));
    }
}

/* An async track's state marker ("visible") lasts the whole run: it is
 * not a worker, so neither the main lane nor task time. */
static void
test_async_tracks (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint main_lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint track = pw_profile_builder_get_lane (b, PW_LANE_ASYNC, 1, intern (b, "visible"));
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  span (b, track, "RendererVisibility", 0, 1000, -1);
  span (b, main_lane, "frame", 100, 200, -1);
  span (b, main_lane, "layout", 100, 50, -1);
  span (b, main_lane, "frame", 500, 100, -1);
  profile = pw_profile_builder_build (b);

  phases = compute (profile, NULL);
  assert_names (phases, "frame frame");
  p = pw_phases_get_phase (phases, 0);
  g_assert_cmpint (p->task_ns, ==, MS (50));
  g_assert_cmpuint (p->max_concurrency, ==, 1);
  g_assert_cmpint (p->idle_ns, ==, MS (150));
}

/* A profiler's window on a lane of its own (Kineto) wraps the run: the
 * training steps on the Python thread are the phases, and the window is
 * no task time. */
static void
test_profiler_window (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint window = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 99, 1);
  guint python = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint stream = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 2, 7);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  span (b, window, "PyTorch Profiler (0)", 0, 1000, -1);
  span (b, python, "ProfilerStep#1", 10, 480, -1);
  span (b, python, "aten::conv2d", 20, 100, -1);
  span (b, python, "ProfilerStep#2", 500, 480, -1);
  span (b, stream, "kernel", 100, 300, -1);
  profile = pw_profile_builder_build (b);

  phases = compute (profile, NULL);
  assert_names (phases, "ProfilerStep#1 ProfilerStep#2");
  p = find_phase (phases, "ProfilerStep#1");
  /* conv2d, and the kernel; not the profiler's window */
  g_assert_cmpint (p->task_ns, ==, MS (100) + MS (300));
  g_assert_cmpuint (p->max_concurrency, ==, 2);
  p = find_phase (phases, "ProfilerStep#2");
  g_assert_cmpint (p->task_ns, ==, MS (480));
  g_assert_cmpuint (p->max_concurrency, ==, 1);
}

#define OTLP_SPAN(id, parent, name, start_ms, end_ms) \
  "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"" id "\"," \
  "\"parentSpanId\":\"" parent "\",\"name\":\"" name "\",\"kind\":2," \
  "\"startTimeUnixNano\":\"17000000" start_ms "000000\",\"endTimeUnixNano\":\"17000000" end_ms "000000\"}"
#define OTLP_SERVICE(service, spans) \
  "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" service "\"}}]}," \
  "\"scopeSpans\":[{\"scope\":{\"name\":\"test\"},\"spans\":[" spans "]}]}"

/* The distributed case again, as an OTLP JSON file: the importer's parent
 * links carry the attribution across services. */
static void
test_otlp (void)
{
  const char *otlp = "{\"resourceSpans\":["
    OTLP_SERVICE ("frontend",
                  OTLP_SPAN ("0000000000000001", "", "GET /checkout", "000", "100") ","
                  OTLP_SPAN ("0000000000000002", "0000000000000001", "render", "070", "100")) ","
    OTLP_SERVICE ("auth",
                  OTLP_SPAN ("0000000000000003", "0000000000000001", "authorize", "005", "060")) ","
    OTLP_SERVICE ("db",
                  OTLP_SPAN ("0000000000000004", "0000000000000003", "query", "010", "050") ","
                  OTLP_SPAN ("0000000000000005", "0000000000000001", "fetch-cart", "020", "065"))
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (otlp, &error);
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  if (profile == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no OTLP importer in this build (%s)", error->message);
      g_test_skip (why);
      return;
    }

  phases = compute (profile, NULL);
  assert_names (phases, "authorize fetch-cart render");
  p = find_phase (phases, "authorize");
  g_assert_cmpint (p->task_ns, ==, MS (40));
  g_assert_cmpint (p->idle_ns, ==, MS (15));
  p = find_phase (phases, "fetch-cart");
  g_assert_cmpint (p->task_ns, ==, MS (45));
  g_assert_cmpint (pw_phases_get_total_wall_ns (phases), ==, MS (100));
}

/* Timing JSON maps onto phases directly; children on worker lanes are
 * linked to their parent, whose CPU time already holds theirs. */
static void
test_timing_json (void)
{
  const char *native =
    "{\"phasewise_timing\": 1, \"unit\": \"ms\", \"spans\": ["
    " {\"name\": \"build\", \"start\": 0, \"wall\": 100, \"cpu\": 180, \"children\": ["
    "   {\"name\": \"compile a\", \"lane\": \"worker-1\", \"start\": 0, \"wall\": 60, \"cpu\": 58},"
    "   {\"name\": \"compile b\", \"lane\": \"worker-2\", \"start\": 0, \"end\": 80, \"cpu\": 79},"
    "   {\"name\": \"link\", \"start\": 80, \"wall\": 20, \"cpu\": 19}]},"
    " {\"name\": \"test\", \"wall\": 30}]}";
  const char *nested = "{\"total\": 12.3, \"load\": 1.2, \"train\": {\"epoch1\": 3.0, \"epoch2\": 2.9}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (native, &error);
  g_autoptr(PwPhases) phases = NULL;
  const PwPhase *p;

  if (profile == NULL || g_strcmp0 (pw_profile_get_format (profile), "timing") != 0)
    {
      g_autofree char *why = g_strdup_printf ("no timing JSON importer in this build (%s)",
                                              error ? error->message : pw_profile_get_format (profile));
      g_test_skip (why);
      return;
    }

  phases = compute (profile, NULL);
  assert_names (phases, "build test");
  p = find_phase (phases, "build");
  g_assert_cmpint (p->wall_ns, ==, MS (100));
  g_assert_cmpint (p->task_ns, ==, MS (60) + MS (80) + MS (20));
  g_assert_cmpfloat_with_epsilon (p->parallelism, 1.6, 1e-9);
  g_assert_cmpuint (p->max_concurrency, ==, 2);
  g_assert_cmpint (p->idle_ns, ==, 0);
  /* not 180 + 58 + 79: the workers' CPU is inside build's */
  g_assert_cmpint (p->cpu_ns, ==, MS (180));
  p = find_phase (phases, "test");
  g_assert_cmpint (p->task_ns, ==, MS (30));
  g_assert_cmpint (p->cpu_ns, ==, -1);

  g_clear_pointer (&phases, pw_phases_unref);
  g_clear_object (&profile);
  profile = pw_test_load_string (nested, &error);
  g_assert_no_error (error);
  phases = compute (profile, NULL);
  /* "total" holds everything: a wrapper, not a phase */
  assert_names (phases, "load train");
  p = find_phase (phases, "train");
  g_assert_cmpint (p->wall_ns, ==, MS (5900));
  g_assert_cmpint (p->task_ns, ==, MS (5900));
  g_assert_cmpfloat_with_epsilon (p->share, 5.9 / 12.3, 1e-6);
}

static void
compute_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PwPhases **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = pw_phases_compute_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_and_cache (void)
{
  g_autoptr(PwProfile) profile = make_parallel ();
  g_autoptr(PwPhases) blocking = NULL;
  g_autoptr(PwPhases) async = NULL;
  PwPhasesOptions options = { PW_PHASES_DEFAULT };

  g_assert_null (pw_phases_lookup_cached (profile, &options));
  pw_phases_compute_async (profile, &options, NULL, compute_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  blocking = pw_phases_lookup_cached (profile, &options);
  g_assert_nonnull (blocking);
  g_assert_true (pw_phases_get_profile (blocking) == profile);
  g_assert_cmpuint (pw_phases_get_n_phases (async), ==, pw_phases_get_n_phases (blocking));
  for (guint i = 0; i < pw_phases_get_n_phases (async); i++)
    {
      const PwPhase *a = pw_phases_get_phase (async, i);
      const PwPhase *c = pw_phases_get_phase (blocking, i);

      g_assert_cmpstr (a->name, ==, c->name);
      g_assert_cmpint (a->task_ns, ==, c->task_ns);
      g_assert_cmpint (a->cpu_ns, ==, c->cpu_ns);
      g_assert_cmpstr (a->explanation, ==, c->explanation);
    }
}

static void
test_empty (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  PwPhasesOptions range = { PW_PHASES_RANGE, .range_start = MS (2), .range_end = MS (1) };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwPhases) bad = NULL;

  pw_profile_builder_add_instant (b, pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1),
                                  T0, intern (b, "hello"));
  profile = pw_profile_builder_build (b);
  phases = compute (profile, NULL);
  g_assert_cmpuint (pw_phases_get_n_phases (phases), ==, 0);

  bad = pw_phases_compute (profile, &range, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Parent flows in a cycle (hostile input) must not hang. */
static void
test_flow_cycle (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint l1 = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 1, 1);
  guint l2 = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 2, 2);
  PwSpanHandle a = span (b, l1, "a", 0, 10, -1);
  PwSpanHandle c = span (b, l2, "c", 2, 5, -1);
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  PwPhasesOptions options = { PW_PHASES_DISTRIBUTED };

  pw_profile_builder_add_flow (b, PW_FLOW_PARENT, 0, l1, T0, a, l2, T0, c);
  pw_profile_builder_add_flow (b, PW_FLOW_PARENT, 0, l2, T0, c, l1, T0, a);
  profile = pw_profile_builder_build (b);
  phases = compute (profile, NULL);
  g_assert_cmpuint (pw_phases_get_n_phases (phases), >=, 1);
  g_clear_pointer (&phases, pw_phases_unref);
  phases = compute (profile, &options);
  g_assert_nonnull (phases);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/phases/sequential", test_sequential);
  g_test_add_func ("/phases/parallel", test_parallel);
  g_test_add_func ("/phases/range", test_range);
  g_test_add_func ("/phases/waiting", test_waiting);
  g_test_add_func ("/phases/nested", test_nested);
  g_test_add_func ("/phases/group", test_group);
  g_test_add_func ("/phases/chrome-cpu", test_chrome_cpu);
  g_test_add_func ("/phases/distributed", test_distributed);
  g_test_add_func ("/phases/async-tracks", test_async_tracks);
  g_test_add_func ("/phases/profiler-window", test_profiler_window);
  g_test_add_func ("/phases/otlp", test_otlp);
  g_test_add_func ("/phases/timing-json", test_timing_json);
  g_test_add_func ("/phases/async-and-cache", test_async_and_cache);
  g_test_add_func ("/phases/empty", test_empty);
  g_test_add_func ("/phases/flow-cycle", test_flow_cycle);

  return g_test_run ();
}
