/* test-import-timing.c: the timing JSON importer, its three forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "pw-importer.h"
#include "pw-test-util.h"

#define SEC PW_NSEC_PER_SEC
#define MS  PW_NSEC_PER_MSEC

static PwProfile *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  PwProfile *profile = pw_test_load_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "timing");
  return profile;
}

/* Asserts where the span named name is, and returns its index. */
static guint
assert_span (PwProfile    *profile,
             const char   *name,
             gint64        start,
             gint64        dur,
             const char   *parent,
             const PwLane **lane_out)
{
  const PwLane *lane = NULL;
  guint span = 0;

  g_assert_true (pw_test_find_span (profile, name, &lane, &span));
  g_assert_nonnull (lane);
  if (lane == NULL)
    return 0;

  g_assert_cmpint (lane->span_start[span], ==, start);
  g_assert_cmpint (lane->span_dur[span], ==, dur);
  if (parent == NULL)
    g_assert_cmpint (lane->span_parent[span], ==, PW_NO_PARENT);
  else
    {
      g_assert_cmpint (lane->span_parent[span], !=, PW_NO_PARENT);
      g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[lane->span_parent[span]]), ==, parent);
    }

  if (lane_out != NULL)
    *lane_out = lane;
  return span;
}

static void
test_nested (void)
{
  g_autoptr(PwProfile) profile =
    load ("{\"total\": 12.3, \"load\": 1.2, \"train\": {\"epoch1\": 3.0, \"epoch2\": 2.9}}");

  g_assert_cmpstr (pw_profile_get_metadata (profile, "timing.form"), ==, "nested");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 5);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 12300 * MS);
  assert_span (profile, "total", 0, 12300 * MS, NULL, NULL);
  assert_span (profile, "load", 0, 1200 * MS, "total", NULL);
  /* a parent without a total lasts as long as its children */
  assert_span (profile, "train", 1200 * MS, 5900 * MS, "total", NULL);
  assert_span (profile, "epoch1", 1200 * MS, 3 * SEC, "train", NULL);
  assert_span (profile, "epoch2", 4200 * MS, 2900 * MS, "train", NULL);
  g_assert_false (pw_profile_has_cpu_time (profile));
}

static void
test_nested_own_total (void)
{
  g_autoptr(PwProfile) profile =
    load ("{\"setup\": 0.5, \"train\": {\"wall\": 7, \"epoch1\": 3.0, \"epoch2\": 2.5}, \"save_ms\": 250}");

  assert_span (profile, "setup", 0, 500 * MS, NULL, NULL);
  assert_span (profile, "train", 500 * MS, 7 * SEC, NULL, NULL);
  assert_span (profile, "epoch2", 3500 * MS, 2500 * MS, "train", NULL);
  /* a unit suffix is honoured in the nested form too */
  assert_span (profile, "save_ms", 7500 * MS, 250 * MS, NULL, NULL);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 7750 * MS);
}

static void
test_flat (void)
{
  g_autoptr(PwProfile) profile =
    load ("{\"phase1_total_seconds\": 10.0, \"phase1_agent_conversation_seconds\": 6.5, "
          "\"phase1_tool_calls_seconds\": 2.0, \"phase2_total_seconds\": 4.0, \"report_ms\": 125}");

  g_assert_cmpstr (pw_profile_get_metadata (profile, "timing.form"), ==, "flat");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 5);
  assert_span (profile, "phase1", 0, 10 * SEC, NULL, NULL);
  assert_span (profile, "agent_conversation", 0, 6500 * MS, "phase1", NULL);
  assert_span (profile, "tool_calls", 6500 * MS, 2 * SEC, "phase1", NULL);
  assert_span (profile, "phase2", 10 * SEC, 4 * SEC, NULL, NULL);
  assert_span (profile, "report", 14 * SEC, 125 * MS, NULL, NULL);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 14125 * MS);
}

static void
test_flat_groups_without_total (void)
{
  /* a token shared by two keys groups them; the group lasts their sum */
  g_autoptr(PwProfile) profile =
    load ("{\"load_data_s\": 1.5, \"fit_model_us\": 2000000, \"fit_eval_us\": 500000}");

  assert_span (profile, "load_data", 0, 1500 * MS, NULL, NULL);
  assert_span (profile, "fit", 1500 * MS, 2500 * MS, NULL, NULL);
  assert_span (profile, "model", 1500 * MS, 2 * SEC, "fit", NULL);
  assert_span (profile, "eval", 3500 * MS, 500 * MS, "fit", NULL);
}

static void
test_native (void)
{
  /* a build whose two compiles run in parallel on workers */
  g_autoptr(PwProfile) profile =
    load ("{\"phasewise_timing\": 1, \"unit\": \"ms\", \"title\": \"build\", \"spans\": ["
          " {\"name\": \"build\", \"start\": 0, \"wall\": 100, \"cpu\": 180, \"children\": ["
          "   {\"name\": \"compile a\", \"lane\": \"worker-1\", \"start\": 0, \"wall\": 60, \"cpu\": 58},"
          "   {\"name\": \"compile b\", \"lane\": \"worker-2\", \"start\": 0, \"end\": 80, \"cpu\": 79},"
          "   {\"name\": \"link\", \"start\": 80, \"wall\": 20, \"cpu\": 19.5}]},"
          " {\"name\": \"test\", \"wall\": 30}]}");
  const PwLane *lane = NULL;
  guint span;
  guint n_parent_flows = 0;

  g_assert_cmpstr (pw_profile_get_metadata (profile, "timing.form"), ==, "native");
  g_assert_cmpstr (pw_profile_get_title (profile), ==, "build");
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 5);
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, 3);
  g_assert_true (pw_profile_has_cpu_time (profile));

  span = assert_span (profile, "build", 0, 100 * MS, NULL, &lane);
  g_assert_cmpint (lane->span_cpu[span], ==, 180 * MS);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "main");
  span = assert_span (profile, "compile a", 0, 60 * MS, NULL, &lane);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "worker-1");
  g_assert_cmpint (lane->span_cpu[span], ==, 58 * MS);
  span = assert_span (profile, "compile b", 0, 80 * MS, NULL, &lane);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->name), ==, "worker-2");
  g_assert_cmpint (lane->span_cpu[span], ==, 79 * MS);
  span = assert_span (profile, "link", 80 * MS, 20 * MS, "build", &lane);
  g_assert_cmpint (lane->span_cpu[span], ==, 19500000);
  /* without a start, a span follows its previous sibling */
  assert_span (profile, "test", 100 * MS, 30 * MS, NULL, NULL);

  for (guint i = 0; i < pw_profile_get_n_flows (profile); i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);
      const PwLane *from = pw_profile_get_lane (profile, flow->from_lane);

      g_assert_cmpint (flow->kind, ==, PW_FLOW_PARENT);
      g_assert_cmpstr (pw_profile_get_string (profile, from->span_name[flow->from_span]), ==, "build");
      n_parent_flows++;
    }
  g_assert_cmpuint (n_parent_flows, ==, 2);
}

static void
test_sniff (void)
{
  static const struct { const char *text; const char *format; } cases[] = {
    { "{\"a\": 1, \"b\": {\"c\": 2.5e-3}}", "timing" },
    { "{\"phasewise_timing\": 1, \"spans\": []}", "timing" },
    /* values that are not numbers: not timing JSON */
    { "{\"a\": 1, \"b\": \"x\"}", NULL },
    { "{\"a\": [1, 2]}", NULL },
    { "{\"traceEvents\": [], \"x\": 1}", "chrome" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PwImporter *importer = pw_importers_sniff ((const guint8 *) cases[i].text,
                                                       strlen (cases[i].text), "t.json");

      if (cases[i].format == NULL)
        g_assert_true (importer == NULL || g_strcmp0 (importer->id, "timing") != 0);
      else
        {
          g_assert_nonnull (importer);
          g_assert_cmpstr (importer->id, ==, cases[i].format);
        }
    }
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  const char *truncated_text = "{\"a\": 1,\n \"b\": {\"c\": 2";
  const char *strings_text = "{\"a\": 1, \"b\": \"slow\", \"c\": true, \"d\": -2}";
  const char *unit_text = "{\"phasewise_timing\": 1, \"unit\": \"min\", \"spans\": []}";
  g_autoptr(GBytes) truncated = g_bytes_new_static (truncated_text, strlen (truncated_text));
  g_autoptr(GBytes) strings = g_bytes_new_static (strings_text, strlen (strings_text));
  g_autoptr(GBytes) unit = g_bytes_new_static (unit_text, strlen (unit_text));
  const char * const *warnings;

  /* truncated: an error that says where */
  profile = pw_import_bytes (truncated, "t.json", "timing", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "t.json"));
  g_assert_nonnull (strstr (error->message, "line:column 2:"));
  g_clear_error (&error);

  /* wrong types are skipped and counted; negative durations shown as 0 */
  profile = pw_import_bytes (strings, "s.json", "timing", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 2);
  warnings = pw_profile_get_warnings (profile);
  g_assert_nonnull (warnings);
  g_assert_nonnull (strstr (warnings[0], "2 values"));
  g_assert_nonnull (strstr (warnings[1], "negative"));
  g_clear_object (&profile);

  profile = pw_import_bytes (unit, "u.json", "timing", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "min"));
}

static void
test_deep (void)
{
  /* deeper than the importer follows: no crash, a warning */
  GString *text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (text, "{\"a\": 1, \"b\": ");
  g_string_append (text, "1");
  for (guint i = 0; i < 2000; i++)
    g_string_append_c (text, '}');
  bytes = g_string_free_to_bytes (text);

  profile = pw_import_bytes (bytes, "deep.json", "timing", &error);
  if (profile == NULL)
    g_assert_nonnull (error);
  else
    g_assert_cmpuint (pw_profile_get_n_spans (profile), >, 0);
}

static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_test_skip ("no fuzz regressions recorded");
      return;
    }

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = NULL;
      gsize len;

      if (!g_str_has_prefix (name, "timing-") || !g_str_has_suffix (name, ".bin"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      bytes = g_bytes_new (data, len);
      profile = pw_import_bytes (bytes, "fuzz", "timing", &error);
      g_assert_true ((profile != NULL) != (error != NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/timing/nested", test_nested);
  g_test_add_func ("/import/timing/nested-own-total", test_nested_own_total);
  g_test_add_func ("/import/timing/flat", test_flat);
  g_test_add_func ("/import/timing/flat-groups-without-total", test_flat_groups_without_total);
  g_test_add_func ("/import/timing/native", test_native);
  g_test_add_func ("/import/timing/sniff", test_sniff);
  g_test_add_func ("/import/timing/errors", test_errors);
  g_test_add_func ("/import/timing/deep", test_deep);
  g_test_add_func ("/import/timing/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
