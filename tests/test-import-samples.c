/* test-import-samples.c: speedscope, folded stacks, perf script and V8
 * .cpuprofile importers against the facts of the corpus (tests/data/
 * SOURCES.md), the cross-format pairs and hostile input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pw-call-tree.h"
#include "pw-importer.h"
#include "pw-test-util.h"

#define NS_PER_SEC 1000000000.0

/* Helpers */

static PwProfile *
load_as (const char *name,
         const char *expected_format)
{
  PwProfile *profile = pw_test_load (name);

  g_assert_cmpstr (pw_profile_get_format (profile), ==, expected_format);
  return profile;
}

static PwProfile *
load_bytes (const char  *data,
            gsize        len,
            const char  *format,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  return pw_import_bytes (bytes, "test-input", format, error);
}

static const PwLane *
find_lane (PwProfile *profile,
           gint64     pid,
           gint64     tid)
{
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->pid == pid && lane->tid == tid)
        return lane;
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
has_warning (PwProfile  *profile,
             const char *needle)
{
  const char * const *warnings = pw_profile_get_warnings (profile);

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    if (strstr (warnings[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
append_stack (PwProfile *profile,
              guint32    stack,
              char     *(*tidy) (const char *frame, gpointer data),
              gpointer   data,
              GString   *out)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 s = stack; s != PW_NO_STACK; s = pw_profile_get_stack_parent (profile, s))
    g_array_append_val (frames, s);

  for (guint i = frames->len; i > 0; i--)
    {
      const char *name = pw_profile_get_string (profile,
                                                pw_profile_get_stack_frame (profile, g_array_index (frames, guint32, i - 1)));
      if (out->len > 0)
        g_string_append_c (out, ';');
      if (tidy != NULL)
        {
          g_autofree char *tidied = tidy (name, data);
          g_string_append (out, tidied);
        }
      else
        g_string_append (out, name);
    }
}

static guint
stack_depth (PwProfile *profile,
             guint32    stack)
{
  guint depth = 0;

  for (guint32 s = stack; s != PW_NO_STACK; s = pw_profile_get_stack_parent (profile, s))
    depth++;
  return depth;
}

static const char *
leaf_name (PwProfile *profile,
           guint32    stack)
{
  return pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, stack));
}

/* name -> summed weight (or count) of samples whose leaf is that name;
 * the "top self" of the corpus facts. */
static GHashTable *
leaf_totals (PwProfile *profile,
             gboolean   count_samples,
             char     *(*normalize) (const char *frame))
{
  GHashTable *totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        {
          const char *leaf = leaf_name (profile, lane->sample_stack[s]);
          g_autofree char *key = normalize ? normalize (leaf) : g_strdup (leaf);
          gint64 *total = g_hash_table_lookup (totals, key);

          if (total == NULL)
            {
              total = g_new0 (gint64, 1);
              g_hash_table_insert (totals, g_strdup (key), total);
            }
          *total += count_samples ? 1 : lane->sample_weight[s];
        }
    }

  return totals;
}

/* The corpus facts name one frame on ties; it must hold the top value. */
static void
assert_top (GHashTable *totals,
            const char *name,
            gint64      expected)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 *found = g_hash_table_lookup (totals, name);

  g_assert_nonnull (found);
  g_assert_cmpint (*found, ==, expected);

  g_hash_table_iter_init (&iter, totals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpint (*(gint64 *) value, <=, expected);
}

static gint64
total_weight (PwProfile *profile)
{
  gint64 total = 0;

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        total += lane->sample_weight[s];
    }
  return total;
}

static gint64
seconds_to_ns (double s)
{
  return (gint64) (s * NS_PER_SEC + (s >= 0 ? 0.5 : -0.5));
}

/* speedscope */

static gint64
lane_weight (const PwLane *lane)
{
  gint64 total = 0;

  for (guint s = 0; s < lane->n_samples; s++)
    total += lane->sample_weight[s];
  return total;
}

/* Self time per span name over all lanes: the facts' evented "top self". */
static GHashTable *
span_self_totals (PwProfile *profile)
{
  GHashTable *totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_spans; s++)
        {
          const char *name = pw_profile_get_string (profile, lane->span_name[s]);
          gint64 *total = g_hash_table_lookup (totals, name);

          if (total == NULL)
            {
              total = g_new0 (gint64, 1);
              g_hash_table_insert (totals, g_strdup (name), total);
            }
          *total += pw_lane_span_self_time (lane, s);
        }
    }

  return totals;
}

static void
test_speedscope_evented_simple (void)
{
  g_autoptr(PwProfile) profile = load_as ("speedscope-0.0.1-simple.speedscope.json", "speedscope");
  g_autoptr(GHashTable) self = span_self_totals (profile);
  const PwLane *lane;

  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.frames"), ==, "4");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.profiles"), ==, "1");
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 1);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "simple.txt");
  /* 10 events: 5 open/close pairs; unit "none": 0..14 */
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 5);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 14);
  g_assert_cmpuint (lane->n_rows, ==, 3);
  assert_top (self, "b", 5);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (self, "a"), ==, 0);
}

static void
test_speedscope_sampled_simple (void)
{
  g_autoptr(PwProfile) profile = load_as ("speedscope-0.1.2-simple-sampled.speedscope.json", "speedscope");
  g_autoptr(GHashTable) self = leaf_totals (profile, FALSE, NULL);

  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.frames"), ==, "4");
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 5);
  g_assert_cmpint (total_weight (profile), ==, 14 * PW_NSEC_PER_SEC);
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "ns");
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 14 * PW_NSEC_PER_SEC);
  assert_top (self, "c", 5 * PW_NSEC_PER_SEC);
}

static void
test_speedscope_two_sampled (void)
{
  g_autoptr(PwProfile) profile = load_as ("speedscope-0.6.0-two-sampled.speedscope.json", "speedscope");
  g_autoptr(GHashTable) self = leaf_totals (profile, FALSE, NULL);

  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.exporter"), ==, "speedscope@0.6.0");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.active_profile"), ==, "two");
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, l == 0 ? "one" : "two");
      g_assert_cmpuint (lane->n_samples, ==, 5);
      g_assert_cmpint (lane_weight (lane), ==, 14 * PW_NSEC_PER_SEC);
    }
  assert_top (self, "c", 10 * PW_NSEC_PER_SEC);
}

static void
test_speedscope_py_spy (void)
{
  g_autoptr(PwProfile) profile = load_as ("cs336-py-spy.speedscope.json", "speedscope");
  g_autoptr(GHashTable) self = leaf_totals (profile, FALSE, NULL);
  const guint samples[] = { 2, 3186, 3186, 3807 };
  const double seconds[] = { 0.02, 31.86, 31.86, 38.07 };

  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.exporter"), ==, "py-spy@0.4.2");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.frames"), ==, "86");
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 4);
  for (guint l = 0; l < 4; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      g_assert_cmpuint (lane->n_samples, ==, samples[l]);
      /* weights of 0.01 s summed in floating point: within a microsecond */
      g_assert_cmpint (ABS (lane_weight (lane) - seconds_to_ns (seconds[l])), <, 1000);
    }
  g_assert_true (strstr (pw_profile_get_string (profile, pw_profile_get_lane (profile, 3)->name), "MainThread"));
  {
    gint64 *top = g_hash_table_lookup (self, "_handle_tasks");
    GHashTableIter iter;
    gpointer key, value;

    g_assert_nonnull (top);
    g_assert_cmpint (ABS (*top - seconds_to_ns (31.86)), <, 1000);
    g_hash_table_iter_init (&iter, self);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_assert_cmpint (*(gint64 *) value, <=, *top + 1000);
  }
}

static void
test_speedscope_pyinstrument (void)
{
  const char *dir = g_getenv ("PW_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(GHashTable) self = NULL;
  gint64 *top;

  /* GPL-3.0 test input that is not shipped: read from the corpus. */
  if (dir == NULL)
    {
      g_test_skip ("PW_CORPUS_DIR is not set");
      return;
    }
  path = g_build_filename (dir, "speedscope", "sardine-pyinstrument.speedscope.json", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the corpus has no sardine-pyinstrument.speedscope.json");
      return;
    }

  file = g_file_new_for_path (path);
  profile = pw_import_file (file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "speedscope");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.exporter"), ==, "pyinstrument");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "speedscope.frames"), ==, "24");
  /* 60 events, 0.0..20.982762 s */
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 30);
  g_assert_cmpint (ABS (pw_profile_get_duration_ns (profile) - seconds_to_ns (20.982762)), <, 1000);
  self = span_self_totals (profile);
  top = g_hash_table_lookup (self, "_run_once");
  g_assert_nonnull (top);
  g_assert_cmpint (ABS (*top - seconds_to_ns (16.988257)), <, 1000);
}

/* Profiles before shared.frames, several units, unbalanced events. */
static void
test_speedscope_key_order_and_units (void)
{
  const char *doc =
    "{\"profiles\": ["
    "  {\"type\": \"sampled\", \"name\": \"ms\", \"unit\": \"milliseconds\", \"startValue\": 10, \"endValue\": 20,"
    "   \"weights\": [2, 3], \"samples\": [[0, 1], [0]]},"
    "  {\"type\": \"evented\", \"name\": \"us\", \"unit\": \"microseconds\", \"startValue\": 0, \"endValue\": 50,"
    "   \"events\": [{\"type\": \"O\", \"frame\": 0, \"at\": 0}, {\"type\": \"O\", \"frame\": 1, \"at\": 10},"
    "                {\"type\": \"C\", \"frame\": 1, \"at\": 20}, {\"type\": \"C\", \"frame\": 1, \"at\": 30}]}],"
    " \"shared\": {\"frames\": [{\"name\": \"main\"}, {\"name\": \"work\", \"file\": \"w.c\", \"line\": 3}]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (doc, strlen (doc), NULL, &error);
  const PwLane *ms, *us;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "speedscope");
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 2);
  ms = pw_profile_get_lane (profile, 0);
  us = pw_profile_get_lane (profile, 1);
  g_assert_cmpstr (pw_profile_get_string (profile, ms->name), ==, "ms");
  g_assert_cmpuint (ms->n_samples, ==, 2);
  g_assert_cmpint (ms->sample_weight[0], ==, 2 * PW_NSEC_PER_MSEC);
  g_assert_cmpint (ms->sample_weight[1], ==, 3 * PW_NSEC_PER_MSEC);
  /* cumulative weights from startValue: 10 ms and 12 ms */
  g_assert_cmpint (ms->sample_time[1] - ms->sample_time[0], ==, 2 * PW_NSEC_PER_MSEC);
  g_assert_cmpstr (leaf_name (profile, ms->sample_stack[0]), ==, "work");
  g_assert_cmpstr (leaf_name (profile, ms->sample_stack[1]), ==, "main");

  /* main opens at 0, work 10..20; the second close of work is unbalanced
   * and main, never closed, ends at endValue (50 µs) */
  g_assert_cmpuint (us->n_spans, ==, 2);
  g_assert_cmpint (us->span_dur[0], ==, 50 * PW_NSEC_PER_USEC);
  g_assert_cmpint (us->span_dur[1], ==, 10 * PW_NSEC_PER_USEC);
  g_assert_cmpint (us->span_parent[1], ==, 0);
  g_assert_true (has_warning (profile, "1 close event (C) had no open frame"));
  g_assert_true (has_warning (profile, "1 frame was never closed"));
}

/* A close for a frame below the top closes the frames above it too. */
static void
test_speedscope_mismatched_close (void)
{
  const char *doc =
    "{\"shared\": {\"frames\": [{\"name\": \"a\"}, {\"name\": \"b\"}]},"
    " \"profiles\": [{\"type\": \"evented\", \"name\": \"p\", \"unit\": \"nanoseconds\","
    " \"startValue\": 0, \"endValue\": 10, \"events\": ["
    "  {\"type\": \"O\", \"frame\": 0, \"at\": 0}, {\"type\": \"O\", \"frame\": 1, \"at\": 2},"
    "  {\"type\": \"C\", \"frame\": 0, \"at\": 5}, {\"type\": \"C\", \"frame\": 7, \"at\": 6}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (doc, strlen (doc), NULL, &error);
  const PwLane *lane;

  g_assert_no_error (error);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpuint (lane->n_spans, ==, 2);
  g_assert_cmpint (lane->span_dur[0], ==, 5);
  g_assert_cmpint (lane->span_dur[1], ==, 3);
  g_assert_true (has_warning (profile, "1 close event (C) closed frames opened after its own"));
  g_assert_true (has_warning (profile, "1 close event (C) had no open frame"));
}

static void
test_speedscope_units (void)
{
  const struct {
    const char *unit;
    const char *sample_unit;
    gint64      weight;     /* of a weight of 3 */
    gint64      dt;         /* between the two samples */
  } cases[] = {
    { "nanoseconds", "ns", 3, 3 },
    { "microseconds", "ns", 3000, 3000 },
    { "milliseconds", "ns", 3000000, 3000000 },
    { "seconds", "ns", 3000000000, 3000000000 },
    { "none", "count", 3, 1 },
    { "bytes", "bytes", 3, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = g_strdup_printf (
        "{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\","
        " \"shared\": {\"frames\": [{\"name\": \"f\"}]},"
        " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"%s\","
        " \"startValue\": 0, \"endValue\": 6, \"samples\": [[0], [0]], \"weights\": [3, 3]}]}",
        cases[i].unit);
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = load_bytes (doc, strlen (doc), NULL, &error);
      const PwLane *lane;

      g_assert_no_error (error);
      g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, cases[i].sample_unit);
      lane = pw_profile_get_lane (profile, 0);
      g_assert_cmpuint (lane->n_samples, ==, 2);
      g_assert_cmpint (lane->sample_weight[0], ==, cases[i].weight);
      g_assert_cmpint (lane->sample_time[1] - lane->sample_time[0], ==, cases[i].dt);
    }
}

static void
test_speedscope_truncated (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "cs336-py-spy.speedscope.json", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  /* Cut inside the third profile: the frames come last in py-spy's
   * output, so nothing can be shown and the error says where. */
  profile = load_bytes (contents, len / 2, "speedscope", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "byte"));
}

static void
test_speedscope_truncated_after_frames (void)
{
  const char *doc =
    "{\"shared\": {\"frames\": [{\"name\": \"a\"}, {\"name\": \"b\"}]},"
    " \"profiles\": [{\"type\": \"sampled\", \"name\": \"one\", \"unit\": \"seconds\","
    " \"startValue\": 0, \"endValue\": 2, \"weights\": [1, 1, 1], \"samples\": [[0, 1], [0], [0,";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (doc, strlen (doc), NULL, &error);

  g_assert_no_error (error);
  /* two complete samples; the cut one is dropped */
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  g_assert_true (has_warning (profile, "ends early"));
}

/* folded */

typedef struct
{
  const char *file;
  guint       lines;           /* non-empty */
  guint       unparsable;
  guint       stacks;
  gint64      total;
  guint       frames;
  guint       max_depth;
  const char *top;
  gint64      top_value;
  gboolean    task_lanes;      /* first frame is comm-pid[/tid] */
} FoldedFacts;

static void
check_folded (const FoldedFacts *f)
{
  g_autoptr(PwProfile) profile = load_as (f->file, "folded");
  g_autoptr(GHashTable) self = leaf_totals (profile, FALSE, NULL);
  g_autoptr(GHashTable) stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) frames = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, f->total);
  guint max_depth = 0;
  guint n_task_frames = 0;

  g_test_message ("%s", f->file);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, f->lines - f->unparsable);
  g_assert_cmpint (total_weight (profile), ==, f->total);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "total_samples"), ==, total);
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "count");
  if (f->unparsable > 0)
    {
      g_autofree char *warning = g_strdup_printf ("%u lines were not", f->unparsable);
      g_assert_true (has_warning (profile, warning));
    }

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        {
          guint32 stack = lane->sample_stack[s];
          guint depth = stack_depth (profile, stack) + (f->task_lanes ? 1 : 0);

          g_hash_table_add (stacks, g_strdup_printf ("%u:%u", l, stack));
          for (guint32 k = stack; k != PW_NO_STACK; k = pw_profile_get_stack_parent (profile, k))
            g_hash_table_add (frames, (gpointer) leaf_name (profile, k));
          max_depth = MAX (max_depth, depth);
        }
      /* the comm-pid/tid frame of each lane */
      if (f->task_lanes)
        n_task_frames++;
    }

  g_assert_cmpuint (g_hash_table_size (stacks), ==, f->stacks);
  g_assert_cmpuint (g_hash_table_size (frames) + n_task_frames, ==, f->frames);
  g_assert_cmpuint (max_depth, ==, f->max_depth);
  assert_top (self, f->top, f->top_value);
}

static void
test_folded_facts (void)
{
  const FoldedFacts facts[] = {
    { "edge-speedscope-simple-crlf.txt", 5, 0, 3, 14, 4, 3, "c", 5, FALSE },
    { "edge-speedscope-simple-with-invalids.txt", 8, 3, 3, 14, 4, 3, "c", 5, FALSE },
    /* facts: 172 frames, among them "run-28797/28797" and
     * "multilog-28797/28797": one thread that exec'd, one lane */
    { "flamegraph-perf-iperf-stacks-pidtid-01-collapsed-tid.txt", 134, 0, 134, 200, 172 - 1, 37,
      "xen_hypercall_xen_version", 67, TRUE },
    { "flamegraph-perf-java-stacks-01-collapsed-all.txt", 33, 0, 33, 45, 164, 70,
      "native_write_msr_safe_[k]", 16, FALSE },
    { "flamegraph-perf-numa-stacks-01-collapsed-pid.txt", 17, 0, 17, 199, 50, 24,
      "xen_hypercall_event_channel_op", 90, TRUE },
    { "flamegraph-perf-vertx-stacks-01-collapsed-all.txt", 199, 0, 199, 285, 229, 69,
      "hypercall_page_[k]", 23, FALSE },
    { "inferno-async-profiler-collapsed-part.txt", 30, 0, 30, 3279, 170, 117,
      "PhaseIdealLoop::is_dominator(Node*, Node*) [clone .part.114]", 496, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    check_folded (&facts[i]);
}

/* austin writes "# key: value" lines and "P<pid>;T<tid>" first frames.
 * The corpus facts read those lines naively, as stacks ("# interval:"
 * 100, "# duration:" 23873) or unparsable lines; Phasewise reads them as
 * what they are: metadata and a thread. */
static void
test_folded_austin (void)
{
  g_autoptr(PwProfile) profile = load_as ("inferno-austin-flames.txt", "folded");
  const PwLane *lane;
  guint max_depth = 0;

  g_assert_cmpstr (pw_profile_get_metadata (profile, "folded.austin"), ==, "3.3.0");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "folded.interval"), ==, "100");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "folded.mode"), ==, "wall");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "folded.duration"), ==, "23873");
  /* facts: 6 lines, 24264 "samples" = 100 + 23873 + the 291 of the two stacks */
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  g_assert_cmpint (total_weight (profile), ==, 24264 - 100 - 23873);
  g_assert_false (has_warning (profile, "lines were not"));
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 1);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpint (lane->pid, ==, 6360);
  g_assert_cmpint (lane->tid, ==, 6360);
  /* facts: max depth 13 counting P6360 and T6360 */
  for (guint s = 0; s < lane->n_samples; s++)
    max_depth = MAX (max_depth, stack_depth (profile, lane->sample_stack[s]));
  g_assert_cmpuint (max_depth, ==, 13 - 2);
}

static void
test_folded_tasks (void)
{
  const char *text =
    "java-1234/1240;main;run 3\n"
    "java-1234/1241;main;gc 2\n"
    "java-1234/1240;main;run 1\n"
    "V8_WorkerThread-77;start 4\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (text, strlen (text), "folded", &error);
  guint found = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 3);
  for (guint l = 0; l < 3; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      const char *name = pw_profile_get_string (profile, lane->name);

      if (lane->pid == 1234 && lane->tid == 1240)
        {
          g_assert_cmpstr (name, ==, "java");
          g_assert_cmpint (lane_weight (lane), ==, 4);
          found++;
        }
      else if (lane->pid == 1234 && lane->tid == 1241)
        found++;
      else if (lane->pid == 77)
        {
          g_assert_cmpstr (name, ==, "V8_WorkerThread");
          g_assert_cmpstr (leaf_name (profile, lane->sample_stack[0]), ==, "start");
          g_assert_cmpuint (stack_depth (profile, lane->sample_stack[0]), ==, 1);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 3);
}

static void
test_folded_edge_cases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  const char *fractional = "a;b 2.5\na;c 1.0\n\n\na;b 3\n";
  const char *cut = "a;b;c 10\r\na;b 5\r\na;b;d 1";
  const char garbage[] = "a;b 1\n\x01\x02\x00\xff\xfe junk\n";

  /* fractional counts keep their whole part, with one warning */
  profile = load_bytes (fractional, strlen (fractional), "folded", &error);
  g_assert_no_error (error);
  g_assert_cmpint (total_weight (profile), ==, 2 + 1 + 3);
  g_assert_true (has_warning (profile, "Fractional counts"));
  g_clear_object (&profile);

  /* a file cut inside its last line: what is complete shows */
  profile = load_bytes (cut, strlen (cut) - 2, "folded", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  g_assert_true (has_warning (profile, "1 line was not"));
  g_clear_object (&profile);

  /* binary data: an error with the line */
  profile = load_bytes (garbage, sizeof garbage - 1, "folded", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  /* nothing but invalid lines */
  profile = load_bytes ("hello world\nfoo\n", 16, "folded", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);
}

/* A 10 MB line: one frame of 10 MB in folded, a 10 MB symbol in perf. */
static void
test_long_line (void)
{
  gsize big = 10 * 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (big + 64);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;

  g_string_append (text, "main;");
  for (gsize i = 0; i < big; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, " 7\nmain;y 1\n");

  profile = load_bytes (text->str, text->len, "folded", &error);
  g_assert_no_error (error);
  g_assert_cmpint (total_weight (profile), ==, 8);
  g_clear_object (&profile);

  /* too long a first line for the content to tell: the name does */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (text->str, text->len);

    profile = pw_import_bytes (bytes, "stacks.folded", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (pw_profile_get_format (profile), ==, "folded");
    g_clear_object (&profile);
  }

  g_string_assign (text, "prog 12 1.000000: cpu-clock:\n\t1 ");
  for (gsize i = 0; i < big; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, " (/bin/prog)\n\n");
  profile = load_bytes (text->str, text->len, "perf-script", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 1);
  g_assert_cmpuint (strlen (leaf_name (profile, pw_profile_get_lane (profile, 0)->sample_stack[0])), ==, big);
}

/* perf script */

typedef struct
{
  const char *file;
  guint       samples;
  guint       comms;
  guint       pids;
  guint       tids;
  const char *events;
  double      span_s;
  const char *top;
  gint64      top_value;
} PerfFacts;

/* The facts name leaves by their raw symbol; the importer names them as
 * stackcollapse-perf.pl does (kernel "_[k]", JIT "_[j]", an unknown
 * symbol by its binary "[libc.so]"). */
static char *
raw_symbol (const char *name)
{
  gsize len = strlen (name);

  if (len > 4 && (g_str_has_suffix (name, "_[k]") || g_str_has_suffix (name, "_[j]")))
    len -= 4;
  if (len >= 2 && name[0] == '[' && name[len - 1] == ']')
    return g_strdup ("[unknown]");
  return g_strndup (name, len);
}

static void
check_perf (const PerfFacts *f)
{
  g_autoptr(PwProfile) profile = load_as (f->file, "perf-script");
  g_autoptr(GHashTable) leaves = leaf_totals (profile, TRUE, raw_symbol);
  g_autoptr(GHashTable) pids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_auto(GStrv) comms = NULL;

  g_test_message ("%s", f->file);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, f->samples);
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "count");
  g_assert_cmpint (total_weight (profile), ==, f->samples);
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, f->tids);
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    g_hash_table_add (pids, (gpointer) &pw_profile_get_lane (profile, l)->pid);
  g_assert_cmpuint (g_hash_table_size (pids), ==, f->pids);
  comms = g_strsplit (pw_profile_get_metadata (profile, "perf.comms"), "\n", -1);
  g_assert_cmpuint (g_strv_length (comms), ==, f->comms);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "perf.events"), ==, f->events);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, seconds_to_ns (f->span_s));
  assert_top (leaves, f->top, f->top_value);
}

static void
test_perf_facts (void)
{
  const PerfFacts facts[] = {
    { "flamegraph-example-perf-stacks.txt.gz", 1315, 6, 7, 15, "cycles=1315", 9.990342,
      "Lorg/mozilla/javascript/ScriptableObject;.createSlot", 91 },
    { "flamegraph-perf-funcab-cmd-01.txt", 169, 1, 1, 1, "cpu-clock=169", 2.053094, "func_b", 88 },
    { "flamegraph-perf-iperf-stacks-pidtid-01.txt", 201, 3, 4, 10, "cpu-clock=201", 0.50505,
      "xen_hypercall_xen_version", 67 },
    { "flamegraph-perf-java-stacks-01.txt", 46, 4, 7, 7, "cycles=46", 0.206002, "native_write_msr_safe", 16 },
    { "flamegraph-perf-numa-stacks-01.txt", 200, 2, 21, 21, "cpu-clock=200", 0.060733,
      "xen_hypercall_event_channel_op", 90 },
    { "inferno-go-stacks.txt", 5, 1, 1, 1, "cpu-clock:uhH=5", 0.01718, "runtime.growslice", 2 },
    { "speedscope-forks.linux-perf.txt", 561, 2, 4, 4, "cpu-clock=561", 0.140079, "[unknown]", 327 },
    { "speedscope-simple-with-header.linux-perf.txt", 136, 1, 1, 1, "cpu-clock=136", 0.135382, "_Z4betav", 47 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    check_perf (&facts[i]);
}

static void
test_perf_no_callchain (void)
{
  const char *text =
    "# ========\n"
    "# captured on: today\n"
    "# ========\n"
    "#\n"
    "Web Content 4242/4243 [001] 100.000100:     250000 cpu-clock:  ffffffff81001408 do_idle+0x10 ([kernel.kallsyms])\n"
    "Web Content 4242/4243 [001] 100.000350:     250000 cpu-clock:  7f00aa render+0x2f (/usr/lib/libxul.so)\n"
    "Web Content 4242/4243 [001] 100.000600:     250000 cpu-clock: \n"
    "bash 17 cpu-clock:\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (text, strlen (text), NULL, &error);
  const PwLane *lane;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "perf-script");
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 4);
  g_assert_cmpuint (pw_profile_get_n_lanes (profile), ==, 2);
  lane = find_lane (profile, 4242, 4243);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "Web Content");
  g_assert_cmpuint (lane->n_samples, ==, 3);
  g_assert_cmpstr (leaf_name (profile, lane->sample_stack[0]), ==, "do_idle_[k]");
  g_assert_cmpstr (leaf_name (profile, lane->sample_stack[1]), ==, "render");
  g_assert_cmpstr (leaf_name (profile, lane->sample_stack[2]), ==, "[unknown]");
  g_assert_cmpint (lane->sample_time[1] - lane->sample_time[0], ==, 250 * PW_NSEC_PER_USEC);
  /* the old header without time: a sample without a time */
  lane = find_lane (profile, 17, 17);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "bash");
  g_assert_cmpint (lane->sample_time[0], ==, -1);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "perf.events"), !=, NULL);
}

static PwProfile *
load_perf_events (const char  *sample_type,
                  GError     **error)
{
  /* a cpu-clock and a page-faults sample, interleaved, as perf record
   * -e cpu-clock,page-faults writes them */
  static const char text[] =
    "app 10/10 [000] 1.000000: 250000 cpu-clock:\n"
    "\t  1111 compute (/app)\n"
    "\t  2222 main (/app)\n"
    "\n"
    "app 10/10 [000] 1.000100: 1 page-faults:\n"
    "\t  3333 memset (/libc.so)\n"
    "\t  2222 main (/app)\n"
    "\n"
    "app 10/11 [001] 1.000200: 1 page-faults:\n"
    "\t  3333 memset (/libc.so)\n"
    "\n"
    "app 10/10 [000] 1.000250: 250000 cpu-clock:\n"
    "\t  1111 compute (/app)\n"
    "\n"
    "app 10/10 [000] 1.000500: 250000 cpu-clock:\n"
    "\t  4444 parse (/app)\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "events.perf", NULL);

  if (sample_type != NULL)
    pw_input_set_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE, sample_type);

  return pw_import_input (input, NULL, error);
}

/* Events do not add up: a flame graph of cycles and page faults mixed
 * would be meaningless, so one is shown, and the others can be chosen. */
static void
test_perf_several_events (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) first = load_perf_events (NULL, &error);
  g_autoptr(PwProfile) faults = NULL;
  const char * const *types;
  const char * const *warnings;
  const PwLane *lane;

  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (first), ==, 3);
  types = pw_profile_get_sample_types (first);
  g_assert_nonnull (types);
  g_assert_cmpstr (types[0], ==, "cpu-clock");
  g_assert_cmpstr (types[1], ==, "page-faults");
  g_assert_null (types[2]);
  g_assert_cmpstr (pw_profile_get_sample_type (first), ==, "cpu-clock");
  warnings = pw_profile_get_warnings (first);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "2 different events"));
  /* the thread that only faulted has no samples to show */
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (first), ==, 1);

  faults = load_perf_events ("page-faults", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (faults), ==, 2);
  g_assert_cmpstr (pw_profile_get_sample_type (faults), ==, "page-faults");
  lane = find_lane (faults, 10, 10);
  g_assert_cmpuint (lane->n_samples, ==, 1);
  g_assert_cmpstr (leaf_name (faults, lane->sample_stack[0]), ==, "memset");
  lane = find_lane (faults, 10, 11);
  g_assert_cmpuint (lane->n_samples, ==, 1);

  g_assert_null (load_perf_events ("cycles", &error));
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "events.perf: no sample of the event “cycles”; the file samples “cpu-clock”, “page-faults”");
}

static guint
count_leaf (PwProfile    *profile,
            const PwLane *lane,
            const char   *name)
{
  guint n = 0;

  for (guint i = 0; i < lane->n_samples; i++)
    if (g_str_equal (leaf_name (profile, lane->sample_stack[i]), name))
      n++;
  return n;
}

/* Written by perf 6.1 in this repository (tests/data/real-tools): a
 * recording without -g prints one line per sample, comm right-aligned, so
 * every line starts with spaces like a frame line; -F …,srcline puts
 * "file.c:4" under each frame. Counts from the files themselves. */
static void
test_perf_real_output (void)
{
  g_autoptr(PwProfile) flat = load_as ("perf-6.1-no-callchain.txt", "perf-script");
  g_autoptr(PwProfile) srcline = load_as ("perf-6.1-fp-srcline.txt", "perf-script");
  g_autoptr(PwProfile) dwarf = load_as ("perf-6.1-dwarf-two-events.txt", "perf-script");
  const PwLane *lane;
  guint32 stack;

  g_assert_cmpuint (pw_profile_get_n_samples (flat), ==, 200);
  g_assert_cmpint (pw_profile_get_duration_ns (flat), ==, 729065000);
  lane = find_lane (flat, 8901, 8901);
  g_assert_cmpstr (pw_profile_get_string (flat, lane->name), ==, "work");
  g_assert_cmpuint (lane->n_samples, ==, 146);
  g_assert_cmpuint (find_lane (flat, 8903, 8903)->n_samples, ==, 54);
  g_assert_cmpuint (count_leaf (flat, lane, "leaf_a") + count_leaf (flat, find_lane (flat, 8903, 8903), "leaf_a"), ==, 113);
  g_assert_cmpuint (stack_depth (flat, lane->sample_stack[0]), ==, 1);

  g_assert_cmpuint (pw_profile_get_n_samples (srcline), ==, 196);
  g_assert_cmpint (pw_profile_get_duration_ns (srcline), ==, 716446000);
  lane = find_lane (srcline, 8907, 8907);
  g_assert_cmpuint (lane->n_samples, ==, 142);
  g_assert_cmpuint (find_lane (srcline, 8907, 8909)->n_samples, ==, 54);
  /* leaf_a < phase_one < main < __libc_start_call_main: no "work.c:4" */
  stack = lane->sample_stack[0];
  g_assert_cmpuint (stack_depth (srcline, stack), ==, 4);
  g_assert_cmpstr (leaf_name (srcline, stack), ==, "leaf_a");
  g_assert_cmpstr (leaf_name (srcline, pw_profile_get_stack_parent (srcline, stack)), ==, "phase_one");
  g_assert_cmpuint (count_leaf (srcline, lane, "leaf_b"), ==, 89);

  /* cpu-clock and task-clock, 98 samples each: the first event's, over
   * the whole recording (the last task-clock sample is 28 µs after the
   * last cpu-clock one) */
  g_assert_cmpuint (pw_profile_get_n_samples (dwarf), ==, 98);
  g_assert_cmpint (pw_profile_get_duration_ns (dwarf), ==, 1095552000);
  g_assert_cmpuint (find_lane (dwarf, 8999, 8999)->n_samples, ==, 71);
  g_assert_cmpuint (find_lane (dwarf, 9013, 9013)->n_samples, ==, 27);
  stack = find_lane (dwarf, 8999, 8999)->sample_stack[0];
  g_assert_cmpuint (stack_depth (dwarf, stack), ==, 7);
  g_assert_cmpstr (leaf_name (dwarf, stack), ==, "leaf_a");

  /* perf record -e sched:sched_switch, no -g: the tracepoint's fields
   * follow the event, and are no function */
  {
    const char *text =
      "            work  5312 [001] 10350.350442: sched:sched_switch: prev_comm=work prev_pid=5312 "
      "prev_prio=120 prev_state=R ==> next_comm=rcu_preempt next_pid=15 next_prio=120\n"
      "            work  5312 [001] 10350.353427: sched:sched_switch: prev_comm=work prev_pid=5312 "
      "prev_prio=120 prev_state=R ==> next_comm=tokio-rt-worker next_pid=68 next_prio=110\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(PwProfile) tracepoint = load_bytes (text, strlen (text), NULL, &error);

    g_assert_no_error (error);
    lane = find_lane (tracepoint, 5312, 5312);
    g_assert_cmpuint (lane->n_samples, ==, 2);
    g_assert_cmpstr (leaf_name (tracepoint, lane->sample_stack[0]), ==, "[unknown]");
    g_assert_cmpuint (lane->sample_stack[0], ==, lane->sample_stack[1]);
  }

  /* perf script --show-task-events --show-mmap-events: the records beside
   * the samples, some at time 0, are no samples and take no time */
  {
    const char *text =
      "swapper     0     0.000000: PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x120bb08) @ 0xffffffff81000000]: "
      "x [kernel.kallsyms]_text\n"
      "perf-exec     0     0.000000: PERF_RECORD_COMM: perf-exec:12235/12235\n"
      "work 12235  9104.962838: PERF_RECORD_COMM exec: work:12235/12235\n"
      "work 12235  9104.962868: PERF_RECORD_MMAP2 12235/12235: [0x55f306a76000(0x1000) @ 0x1000 fe:00 11165822 "
      "2225760916]: r-xp /usr/local/bin/work\n"
      "work 12235  9104.964904:    2004008 cpu-clock:pppH: \n"
      "\t            117e leaf_a+0x25 (/usr/local/bin/work)\n"
      "\t            1266 phase_one+0x15 (/usr/local/bin/work)\n"
      "\n"
      "work 12235  9104.966951:    2004008 cpu-clock:pppH: \n"
      "\t            1181 leaf_a+0x28 (/usr/local/bin/work)\n"
      "\t            1266 phase_one+0x15 (/usr/local/bin/work)\n"
      "\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(PwProfile) records = load_bytes (text, strlen (text), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pw_profile_get_n_samples (records), ==, 2);
    g_assert_cmpuint (pw_profile_get_n_lanes (records), ==, 1);
    g_assert_cmpint (pw_profile_get_duration_ns (records), ==, 2047000);
    g_assert_cmpstr (pw_profile_get_metadata (records, "perf.events"), ==, "cpu-clock:pppH=2");
  }
}

static void
test_perf_edge_cases (void)
{
  const char *cut =
    "prog 10/11 [000] 5.000000: 1 cycles:\n"
    "\t1 a+0x1 (/bin/prog)\n"
    "\t2 main (/bin/prog)\n"
    "\n"
    "prog 10/11 [000] 5.001000: 1 cycles:\n"
    "\t1 b+0x1 (/bin/prog)\n"
    "\t2 ma";
  const char elf[] = "\x7f" "ELF\x02\x01\x01\x00\x00\n\x00\x00";
  const char *stray = "\t1 a (/bin/x)\nprog 1 2.0: cycles:\n\t1 a (/bin/x)\n\njunk line\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  const PwLane *lane;

  /* cut mid-line: the last, partial frame line still reads as a frame
   * "ma"; both samples are there */
  profile = load_bytes (cut, strlen (cut), "perf-script", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpstr (leaf_name (profile, lane->sample_stack[0]), ==, "a");
  g_clear_object (&profile);

  profile = load_bytes (stray, strlen (stray), "perf-script", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 1);
  g_assert_true (has_warning (profile, "2 lines were not part of a sample"));
  g_assert_true (has_warning (profile, "first at line 1"));
  g_clear_object (&profile);

  profile = load_bytes (elf, sizeof elf - 1, "perf-script", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "line 1"));
}

/* The call tree of a perf script file and of its stackcollapse-perf.pl
 * output: the same stacks with the same counts. */

typedef enum
{
  TASK_COMM,        /* --all: the comm is the first frame */
  TASK_COMM_NOPID,  /* --pid, with perf printing no pid: "comm-?" */
  TASK_PID_TID,     /* --tid: "comm-pid/tid" */
} TaskPrefix;

typedef struct
{
  const char *comm;
} TidyData;

/* stackcollapse-perf.pl's tidy_generic and tidy_java, without the
 * annotations, which are compared stripped on both sides. */
static char *
tidy_perf_frame (const char *frame,
                 gpointer    data)
{
  const TidyData *tidy = data;
  GString *out = g_string_new (frame);
  const char *paren;

  if (g_str_has_suffix (out->str, "_[k]") || g_str_has_suffix (out->str, "_[j]"))
    g_string_truncate (out, out->len - 4);

  for (gsize i = 0; i < out->len; i++)
    if (out->str[i] == ';')
      out->str[i] = ':';

  if (!g_regex_match_simple ("\\.\\(.*\\)\\.", out->str, 0, 0))
    {
      paren = out->str;
      while ((paren = strchr (paren, '(')) != NULL)
        {
          if (!g_str_has_prefix (paren, "(anonymous namespace)"))
            {
              g_string_truncate (out, paren - out->str);
              break;
            }
          paren++;
        }
    }

  for (gsize i = 0; i < out->len;)
    if (out->str[i] == '"' || out->str[i] == '\'')
      g_string_erase (out, i, 1);
    else
      i++;

  if (g_strcmp0 (tidy->comm, "java") == 0 && out->str[0] == 'L' && strchr (out->str, '/') != NULL)
    g_string_erase (out, 0, 1);

  return g_string_free (out, FALSE);
}

static char *
strip_annotation (const char *frame,
                  gpointer    data)
{
  if (g_str_has_suffix (frame, "_[k]") || g_str_has_suffix (frame, "_[j]"))
    return g_strndup (frame, strlen (frame) - 4);
  return g_strdup (frame);
}

static void
count_stack (GHashTable *folded,
             const char *stack,
             gint64      weight)
{
  gint64 *total = g_hash_table_lookup (folded, stack);

  if (total == NULL)
    {
      total = g_new0 (gint64, 1);
      g_hash_table_insert (folded, g_strdup (stack), total);
    }
  *total += weight;
}

static GHashTable *
fold_perf (PwProfile  *profile,
           TaskPrefix  prefix)
{
  GHashTable *folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      g_autofree char *comm = g_strdelimit (g_strdup (pw_profile_get_string (profile, lane->name)), " ", '_');
      TidyData data = { pw_profile_get_string (profile, lane->name) };

      for (guint s = 0; s < lane->n_samples; s++)
        {
          g_autoptr(GString) stack = g_string_new (NULL);

          /* Threads change comm when they exec; a lane keeps one name,
           * so the tid mode compares by pid/tid alone. */
          if (prefix == TASK_COMM)
            g_string_append (stack, comm);
          else if (prefix == TASK_COMM_NOPID)
            g_string_append_printf (stack, "%s-?", comm);
          else
            g_string_append_printf (stack, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, lane->pid, lane->tid);
          append_stack (profile, lane->sample_stack[s], tidy_perf_frame, &data, stack);
          count_stack (folded, stack->str, lane->sample_weight[s]);
        }
    }

  return folded;
}

static GHashTable *
fold_folded (PwProfile  *profile,
             TaskPrefix  prefix)
{
  GHashTable *folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        {
          g_autoptr(GString) stack = g_string_new (NULL);

          if (prefix == TASK_COMM_NOPID)
            g_string_append_printf (stack, "%s-?", pw_profile_get_string (profile, lane->name));
          else if (prefix == TASK_PID_TID)
            g_string_append_printf (stack, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, lane->pid, lane->tid);
          append_stack (profile, lane->sample_stack[s], strip_annotation, NULL, stack);
          count_stack (folded, stack->str, lane->sample_weight[s]);
        }
    }

  return folded;
}

static void
test_perf_folded_pairs (void)
{
  const struct {
    const char *perf;
    const char *folded;
    TaskPrefix  prefix;
    gint64      total;
  } pairs[] = {
    { "flamegraph-perf-java-stacks-01.txt", "flamegraph-perf-java-stacks-01-collapsed-all.txt", TASK_COMM, 45 },
    { "flamegraph-perf-iperf-stacks-pidtid-01.txt", "flamegraph-perf-iperf-stacks-pidtid-01-collapsed-tid.txt", TASK_PID_TID, 200 },
    { "flamegraph-perf-numa-stacks-01.txt", "flamegraph-perf-numa-stacks-01-collapsed-pid.txt", TASK_COMM_NOPID, 199 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(PwProfile) perf = load_as (pairs[i].perf, "perf-script");
      g_autoptr(PwProfile) folded = load_as (pairs[i].folded, "folded");
      g_autoptr(GHashTable) a = fold_perf (perf, pairs[i].prefix);
      g_autoptr(GHashTable) b = fold_folded (folded, pairs[i].prefix);
      GHashTableIter iter;
      gpointer key, value;
      gint64 extra = 0;
      guint n_extra = 0;

      g_test_message ("%s ↔ %s", pairs[i].perf, pairs[i].folded);
      g_assert_cmpint (total_weight (folded), ==, pairs[i].total);

      /* Every folded stack is in the perf profile with its count. */
      g_hash_table_iter_init (&iter, b);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 *other = g_hash_table_lookup (a, key);

          if (other == NULL)
            g_test_message ("only in folded: %s", (const char *) key);
          g_assert_nonnull (other);
          g_assert_cmpint (*other, >=, *(gint64 *) value);
          extra += *other - *(gint64 *) value;
          n_extra += *other != *(gint64 *) value;
        }
      g_hash_table_iter_init (&iter, a);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (b, key))
          {
            extra += *(gint64 *) value;
            n_extra++;
          }

      /* stackcollapse-perf.pl saves a stack at the blank line after it,
       * and these files end without one: their last sample is lost. */
      g_assert_cmpint (extra, ==, 1);
      g_assert_cmpuint (n_extra, ==, 1);
      g_assert_cmpint (total_weight (perf), ==, pairs[i].total + 1);
    }
}

/* cpuprofile */

static gboolean
is_special (const char *name)
{
  return g_str_equal (name, "(program)") || g_str_equal (name, "(idle)") ||
         g_str_equal (name, "(garbage collector)") || g_str_equal (name, "(root)");
}

static void
check_cpuprofile (const char *file,
                  const char *shape,
                  const char *nodes,
                  guint       samples,
                  double      duration_ms,
                  const char *top,
                  gint64      top_count,
                  gint64      program,
                  gint64      gc)
{
  g_autoptr(PwProfile) profile = load_as (file, "cpuprofile");
  g_autoptr(GHashTable) counts = leaf_totals (profile, TRUE, NULL);
  g_autoptr(GHashTable) filtered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  gint64 *special;

  g_test_message ("%s", file);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "cpuprofile.shape"), ==, shape);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "cpuprofile.nodes"), ==, nodes);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, samples);
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "ns");
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, (gint64) (duration_ms * 1e6 + 0.5));

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!is_special (key))
      g_hash_table_insert (filtered, g_strdup (key), g_memdup2 (value, sizeof (gint64)));
  assert_top (filtered, top, top_count);

  special = g_hash_table_lookup (counts, "(program)");
  g_assert_cmpint (special ? *special : 0, ==, program);
  special = g_hash_table_lookup (counts, "(garbage collector)");
  g_assert_cmpint (special ? *special : 0, ==, gc);
}

static void
test_cpuprofile_facts (void)
{
  check_cpuprofile ("server-stopwatch-CPU-20181008T152003.cpuprofile", "nodes", "128", 34883, 4807.04,
                    "consoleCall", 150, 34629, 0);
  check_cpuprofile ("speedscope-chrome65-simple.cpuprofile", "nodes", "7", 29, 47.892, "d", 28, 0, 0);
  check_cpuprofile ("speedscope-chrome65-sucrase.cpuprofile", "nodes", "3493", 17138, 22012.29,
                    "Object.keys.forEach", 2602, 54, 2717);
  check_cpuprofile ("speedscope-node10-example.cpuprofile", "legacy", "7", 29, 45.92, "d", 28, 0, 0);
  /* node 20 --cpu-prof in this repository (real-tools/node-app.js) */
  check_cpuprofile ("node20-app.cpuprofile", "nodes", "130", 413, 517.171, "sortBig", 86, 1, 76);
}

static GHashTable *
fold_counts (PwProfile *profile)
{
  GHashTable *folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const PwLane *lane = pw_profile_get_lane (profile, 0);

  for (guint s = 0; s < lane->n_samples; s++)
    {
      g_autoptr(GString) stack = g_string_new (NULL);

      append_stack (profile, lane->sample_stack[s], NULL, NULL, stack);
      count_stack (folded, stack->str, 1);
    }
  return folded;
}

/* The same program in Chrome 65 (flat nodes) and Node 10 (legacy tree). */
static void
test_cpuprofile_shapes_agree (void)
{
  g_autoptr(PwProfile) current = load_as ("speedscope-chrome65-simple.cpuprofile", "cpuprofile");
  g_autoptr(PwProfile) legacy = load_as ("speedscope-node10-example.cpuprofile", "cpuprofile");
  g_autoptr(GHashTable) a = fold_counts (current);
  g_autoptr(GHashTable) b = fold_counts (legacy);
  GHashTableIter iter;
  gpointer key, value;
  gint64 total_weight_ns;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *other = g_hash_table_lookup (b, key);

      g_assert_nonnull (other);
      g_assert_cmpint (*other, ==, *(gint64 *) value);
    }
  /* the unnamed top function reads as "(anonymous)" */
  g_assert_true (g_hash_table_contains (a, "(anonymous);a;b;d"));

  /* weights are the time to the next sample: they add up to the time
   * from the first sample to the end */
  total_weight_ns = total_weight (current);
  g_assert_cmpint (total_weight_ns, ==, (163140647178 - (163140599286 + 11575)) * 1000);
}

static void
test_cpuprofile_hostile (void)
{
  /* ids out of order, a parent link by "parent", a cycle, an unknown
   * sample id, and a truncated end */
  const char *doc =
    "{\"nodes\": ["
    " {\"id\": 9, \"callFrame\": {\"functionName\": \"leaf\"}, \"parent\": 4},"
    " {\"id\": 4, \"callFrame\": {\"functionName\": \"\"}, \"children\": [9]},"
    " {\"id\": 1, \"callFrame\": {\"functionName\": \"(root)\"}, \"children\": [4]},"
    " {\"id\": 5, \"callFrame\": {\"functionName\": \"x\"}, \"children\": [6]},"
    " {\"id\": 6, \"callFrame\": {\"functionName\": \"y\"}, \"children\": [5]}],"
    " \"startTime\": 1000, \"endTime\": 1100,"
    " \"samples\": [9, 9, 77, 6, 4], \"timeDeltas\": [10, 10, 10, 10, 10]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = load_bytes (doc, strlen (doc), NULL, &error);
  const PwLane *lane;
  g_autoptr(GString) stack = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "cpuprofile");
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpuint (lane->n_samples, ==, 4);
  append_stack (profile, lane->sample_stack[0], NULL, NULL, stack);
  g_assert_cmpstr (stack->str, ==, "(anonymous);leaf");
  g_assert_true (has_warning (profile, "1 sample names a node that does not exist"));
  g_assert_true (has_warning (profile, "cycles"));
  g_clear_object (&profile);

  /* cut inside the samples: the complete ones show */
  profile = load_bytes (doc, strstr (doc, "77") - doc, "cpuprofile", &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (profile, "ends early"));
  g_clear_object (&profile);

  /* cut before any sample */
  profile = load_bytes (doc, 40, "cpuprofile", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
}

/* pw-call-tree */

static const PwFrameTotals *
find_totals (PwProfile  *profile,
             GArray     *totals,
             const char *name)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const PwFrameTotals *t = &g_array_index (totals, PwFrameTotals, i);

      if (g_str_equal (pw_profile_get_string (profile, t->name), name))
        return t;
    }

  {
    static const PwFrameTotals none = { 0 };

    g_assert_not_reached ();
    return &none;
  }
}

static void
test_call_tree (void)
{
  g_autoptr(PwProfile) profile = load_as ("edge-speedscope-simple-crlf.txt", "folded");
  g_autoptr(GArray) totals = pw_call_tree_frame_totals (profile, PW_CALL_TREE_ALL_LANES);
  g_autoptr(GHashTable) folded = pw_call_tree_fold (profile, PW_CALL_TREE_ALL_LANES);
  const char *recursive = "a;b;a;b;a 3\na 1\n";
  g_autoptr(PwProfile) rec = NULL;
  g_autoptr(GArray) rec_totals = NULL;
  g_autoptr(GError) error = NULL;
  const PwFrameTotals *t;

  /* a;b;c 1, a;b;c 1, a;b;d 4, a;b;c 3, a;b 5 */
  g_assert_cmpuint (totals->len, ==, 4);
  t = &g_array_index (totals, PwFrameTotals, 0);
  g_assert_cmpint (t->self, ==, 5);
  t = find_totals (profile, totals, "a");
  g_assert_cmpint (t->self, ==, 0);
  g_assert_cmpint (t->total, ==, 14);
  g_assert_cmpuint (t->total_samples, ==, 5);
  t = find_totals (profile, totals, "b");
  g_assert_cmpint (t->self, ==, 5);
  g_assert_cmpint (t->total, ==, 14);
  t = find_totals (profile, totals, "c");
  g_assert_cmpint (t->self, ==, 5);
  g_assert_cmpint (t->total, ==, 5);
  g_assert_cmpuint (t->self_samples, ==, 3);
  t = find_totals (profile, totals, "d");
  g_assert_cmpint (t->self, ==, 4);

  g_assert_cmpuint (g_hash_table_size (folded), ==, 3);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (folded, "a;b;c"), ==, 5);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (folded, "a;b;d"), ==, 4);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (folded, "a;b"), ==, 5);

  /* a recursive frame counts once per sample in its total */
  rec = load_bytes (recursive, strlen (recursive), "folded", &error);
  g_assert_no_error (error);
  rec_totals = pw_call_tree_frame_totals (rec, PW_CALL_TREE_ALL_LANES);
  t = find_totals (rec, rec_totals, "a");
  g_assert_cmpint (t->total, ==, 4);
  g_assert_cmpint (t->self, ==, 4);
  t = find_totals (rec, rec_totals, "b");
  g_assert_cmpint (t->total, ==, 3);
  g_assert_cmpint (t->self, ==, 0);
}

/* All four formats */

static void
test_empty_and_garbage (void)
{
  const char *formats[] = { "speedscope", "folded", "perf-script", "cpuprofile" };
  const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01";

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = NULL;

      g_test_message ("%s", formats[i]);
      profile = load_bytes ("", 0, formats[i], &error);
      g_assert_null (profile);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PW_IMPORT_ERROR);
      g_clear_error (&error);

      profile = load_bytes (garbage, sizeof garbage - 1, formats[i], &error);
      g_assert_null (profile);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PW_IMPORT_ERROR);
      /* the message says where */
      g_assert_true (strstr (error->message, "byte") != NULL || strstr (error->message, "line") != NULL);
      g_assert_nonnull (strstr (error->message, "test-input"));
    }
}

/* Inputs that once crashed or hung a fuzzer: they must load or fail
 * cleanly. Named <format>-<n>.bin. */
static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  const char *formats[] = { "speedscope", "folded", "perf-script", "cpuprofile" };
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("no fuzz regression inputs");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autofree char *prefix = g_strconcat (formats[i], "-", NULL);
        g_autofree char *path = NULL;
        g_autofree char *contents = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(PwProfile) profile = NULL;
        gsize len;

        if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".bin"))
          continue;
        path = g_build_filename (dir_path, name, NULL);
        g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
        g_test_message ("%s", name);
        profile = load_bytes (contents, len, formats[i], &error);
        g_assert_true ((profile != NULL) != (error != NULL));
        n++;
      }

  g_test_message ("%u regression inputs", n);
}

static void
test_sniffing (void)
{
  const struct {
    const char *text;
    const char *format;
  } cases[] = {
    { "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"profiles\":[]}", "speedscope" },
    { "{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"(root)\"}}],\"samples\":[1],\"timeDeltas\":[1]}", "cpuprofile" },
    { "{\"head\":{\"functionName\":\"(root)\",\"id\":1},\"samples\":[1],\"timestamps\":[1]}", "cpuprofile" },
    { "main;a;b 10\nmain;a 3\n", "folded" },
    { "sleep 123 [000] 1.000000: cpu-clock:\n\t1 f (/bin/sleep)\n\n", "perf-script" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = load_bytes (cases[i].text, strlen (cases[i].text), NULL, &error);

      g_test_message ("%s", cases[i].text);
      if (profile == NULL)
        {
          /* an empty profile is an error, but it must be this format's */
          g_assert_nonnull (error);
          g_assert_false (g_error_matches (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNKNOWN_FORMAT));
          continue;
        }
      g_assert_cmpstr (pw_profile_get_format (profile), ==, cases[i].format);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/speedscope/evented-simple", test_speedscope_evented_simple);
  g_test_add_func ("/import/speedscope/sampled-simple", test_speedscope_sampled_simple);
  g_test_add_func ("/import/speedscope/two-sampled", test_speedscope_two_sampled);
  g_test_add_func ("/import/speedscope/py-spy", test_speedscope_py_spy);
  g_test_add_func ("/import/speedscope/pyinstrument", test_speedscope_pyinstrument);
  g_test_add_func ("/import/speedscope/key-order-and-units", test_speedscope_key_order_and_units);
  g_test_add_func ("/import/speedscope/mismatched-close", test_speedscope_mismatched_close);
  g_test_add_func ("/import/speedscope/units", test_speedscope_units);
  g_test_add_func ("/import/speedscope/truncated", test_speedscope_truncated);
  g_test_add_func ("/import/speedscope/truncated-after-frames", test_speedscope_truncated_after_frames);
  g_test_add_func ("/import/folded/facts", test_folded_facts);
  g_test_add_func ("/import/folded/austin", test_folded_austin);
  g_test_add_func ("/import/folded/tasks", test_folded_tasks);
  g_test_add_func ("/import/folded/edge-cases", test_folded_edge_cases);
  g_test_add_func ("/import/perf/facts", test_perf_facts);
  g_test_add_func ("/import/perf/no-callchain", test_perf_no_callchain);
  g_test_add_func ("/import/perf/several-events", test_perf_several_events);
  g_test_add_func ("/import/perf/real-output", test_perf_real_output);
  g_test_add_func ("/import/perf/edge-cases", test_perf_edge_cases);
  g_test_add_func ("/import/perf/folded-pairs", test_perf_folded_pairs);
  g_test_add_func ("/import/cpuprofile/facts", test_cpuprofile_facts);
  g_test_add_func ("/import/cpuprofile/shapes-agree", test_cpuprofile_shapes_agree);
  g_test_add_func ("/import/cpuprofile/hostile", test_cpuprofile_hostile);
  g_test_add_func ("/import/samples/call-tree", test_call_tree);
  g_test_add_func ("/import/samples/long-line", test_long_line);
  g_test_add_func ("/import/samples/empty-and-garbage", test_empty_and_garbage);
  g_test_add_func ("/import/samples/sniffing", test_sniffing);
  g_test_add_func ("/import/samples/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
