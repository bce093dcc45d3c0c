/* test-import-firefox.c: the Firefox Profiler importer against the corpus
 * facts (tests/data/SOURCES.md) and constructed edge cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pw-test-util.h"

typedef struct
{
  const char *file;
  guint       threads;
  guint64     samples;
  const char *thread_names;   /* sorted, comma-separated */
  const char *version;
  gint64      duration_ns;    /* meta.startTime to the last event */
} Facts;

/* ffprofiler-gecko-1.json: SOURCES.md counts its 2 threads and 14 samples;
 * the file's third "thread" is a JSON string holding the content process's
 * profile (one more GeckoMain, 7 samples), which the Firefox Profiler
 * reads too: its processed form, ffprofiler-processed-1.json, has those 3
 * threads and 21 samples, and both end 1012 ms after the start (the
 * content process starts 1 s later; its last marker ends at 12 ms). */
static const Facts facts[] = {
  { "ffprofiler-gecko-1.json", 3, 21, "Compositor,GeckoMain,GeckoMain", "3", 1012000000 },
  { "ffprofiler-processed-1.json", 3, 21, "Compositor,Content,GeckoMain", "3", 1012000000 },
  { "speedscope-firefox59-simple-firefox.json", 1, 38, "GeckoMain", "9", -1 },
  { "speedscope-firefox63-simple-firefox.json", 1, 39, "GeckoMain", "12", -1 },
};

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
thread_names (PwProfile *profile)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->kind == PW_LANE_THREAD && lane->n_samples > 0)
        g_ptr_array_add (names, (gpointer) pw_profile_get_string (profile, lane->name));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (",", (char **) names->pdata);
}

static void
test_facts (gconstpointer data)
{
  const Facts *f = data;
  g_autoptr(PwProfile) profile = pw_test_load (f->file);
  g_autofree char *names = thread_names (profile);

  g_assert_cmpstr (pw_profile_get_format (profile), ==, "firefox");
  g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, f->threads);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, f->samples);
  g_assert_cmpstr (names, ==, f->thread_names);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.version"), ==, f->version);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.product"), ==, "Firefox");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.interval_ms"), ==, "1");
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "ns");
  if (f->duration_ns >= 0)
    g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, f->duration_ns);
}

static const PwLane *
lane_named (PwProfile  *profile,
            const char *name)
{
  guint32 id = pw_profile_lookup_string (profile, name);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    if (pw_profile_get_lane (profile, l)->name == id && pw_profile_get_lane (profile, l)->n_samples > 0)
      return pw_profile_get_lane (profile, l);

  g_assert_not_reached ();
}

static const char *
frame_at (PwProfile *profile,
          guint32    stack,
          guint      up)
{
  for (guint i = 0; i < up; i++)
    stack = pw_profile_get_stack_parent (profile, stack);
  g_assert_cmpuint (stack, !=, PW_NO_STACK);
  return pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, stack));
}

/* The processed file's last Compositor sample is stack 4: frame 4 → func 4
 * → "frobnicate (chrome://blargh:34)", below 0x100000f84 below (root). */
static void
test_stacks (void)
{
  const char *files[] = { "ffprofiler-processed-1.json", "ffprofiler-gecko-1.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(PwProfile) profile = pw_test_load (files[i]);
      const PwLane *lane = lane_named (profile, "Compositor");
      guint32 stack;

      g_assert_cmpuint (lane->n_samples, ==, 7);
      stack = lane->sample_stack[6];
      g_assert_cmpstr (frame_at (profile, stack, 0), ==, "frobnicate (chrome://blargh:34)");
      g_assert_cmpstr (frame_at (profile, stack, 1), ==, "0x100000f84");
      g_assert_cmpstr (frame_at (profile, stack, 2), ==, "(root)");
      g_assert_cmpint (lane->sample_time[6] - lane->sample_time[0], ==, 6 * 1000000);
      g_assert_cmpint (lane->sample_weight[0], ==, 1000000);
      /* the start/end and startTime/endTime markers become spans */
      g_assert_cmpuint (lane->n_spans, >, 0);
    }
}

static void
test_prefix_cycle (void)
{
  /* stack 0's prefix is 2, 2's is 1, 1's is 0: a loop */
  static const char doc[] =
    "{\"meta\":{\"version\":3,\"interval\":1,\"startTime\":1000,\"product\":\"Firefox\"},"
    "\"threads\":[{\"name\":\"Loop\",\"tid\":7,\"pid\":1,"
    "\"samples\":{\"schema\":{\"stack\":0,\"time\":1},\"data\":[[0,0],[1,1],[2,2],[3,3]]},"
    "\"stackTable\":{\"schema\":{\"prefix\":0,\"frame\":1},\"data\":[[2,0],[0,1],[1,2],[3,0]]},"
    "\"frameTable\":{\"schema\":{\"location\":0},\"data\":[[0],[1],[2]]},"
    "\"stringTable\":[\"a\",\"b\",\"c\"]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (doc, &error);
  const PwLane *lane;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "firefox");
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 4);
  g_assert_nonnull (pw_profile_get_warnings (profile)[0]);
  lane = lane_named (profile, "Loop");
  for (guint s = 0; s < lane->n_samples; s++)
    g_assert_cmpuint (pw_profile_get_stack_depth (profile, lane->sample_stack[s]), <=, 2);
  /* stack 3 is its own prefix: a root frame */
  g_assert_cmpuint (pw_profile_get_stack_depth (profile, lane->sample_stack[3]), ==, 0);
}

static void
test_threads_as_strings (void)
{
  static const char doc[] =
    "{\"meta\":{\"version\":3,\"interval\":2,\"startTime\":5000,\"product\":\"Firefox\"},"
    "\"threads\":[\"{\\\"name\\\":\\\"Worker\\\",\\\"tid\\\":3,"
    "\\\"samples\\\":{\\\"schema\\\":{\\\"stack\\\":0,\\\"time\\\":1},\\\"data\\\":[[1,0],[1,4.5]]},"
    "\\\"stackTable\\\":{\\\"schema\\\":{\\\"prefix\\\":0,\\\"frame\\\":1},\\\"data\\\":[[null,0],[0,1]]},"
    "\\\"frameTable\\\":{\\\"schema\\\":{\\\"location\\\":0},\\\"data\\\":[[0],[1]]},"
    "\\\"stringTable\\\":[\\\"outer\\\",\\\"inner\\\"]}\","
    "\"not json\"]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (doc, &error);

  const PwLane *lane;

  /* a thread string that is not JSON is skipped with a warning that
   * says why; the other thread stays */
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 1);
  g_assert_nonnull (pw_profile_get_warnings (profile)[0]);
  g_assert_nonnull (strstr (pw_profile_get_warnings (profile)[0], "JSON strings"));
  g_assert_nonnull (strstr (pw_profile_get_warnings (profile)[0], "not valid JSON"));

  lane = lane_named (profile, "Worker");
  g_assert_cmpuint (lane->n_samples, ==, 2);
  g_assert_cmpint (lane->sample_weight[0], ==, 2000000);
  g_assert_cmpint (lane->sample_time[1] - lane->sample_time[0], ==, 4500000);
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[0], 0), ==, "inner");
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[0], 1), ==, "outer");
}

static void
test_processed_modern (void)
{
  static const char doc[] =
    "{\"meta\":{\"version\":27,\"preprocessedProfileVersion\":48,\"interval\":0.5,\"startTime\":1000,"
    "\"product\":\"Firefox\"},\"shared\":{\"stringArray\":[\"outer\",\"inner\",\"Load\"]},"
    "\"threads\":[{\"name\":\"GeckoMain\",\"pid\":\"42\",\"tid\":43,\"processName\":\"Web Content\","
    "\"samples\":{\"length\":3,\"stack\":[1,0,null],\"timeDeltas\":[1,2,3],\"weight\":[1,2,1],\"weightType\":\"samples\"},"
    "\"stackTable\":{\"length\":2,\"prefix\":[null,0],\"frame\":[0,1]},"
    "\"frameTable\":{\"length\":2,\"func\":[0,1]},"
    "\"funcTable\":{\"length\":2,\"name\":[0,1]},"
    "\"markers\":{\"length\":1,\"name\":[2],\"startTime\":[1.5],\"endTime\":[4],\"phase\":[1],\"data\":[null]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_test_load_string (doc, &error);
  const PwLane *lane;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.format"), ==, "processed");
  lane = lane_named (profile, "GeckoMain");
  g_assert_cmpint (lane->pid, ==, 42);
  g_assert_cmpint (lane->tid, ==, 43);
  g_assert_cmpuint (lane->n_samples, ==, 3);
  /* 1, 3 and 6 ms after startTime, which the profile starts at */
  g_assert_cmpint (lane->sample_time[0], ==, 1000000);
  g_assert_cmpint (lane->sample_time[2], ==, 6000000);
  g_assert_cmpint (lane->sample_weight[0], ==, 500000);
  g_assert_cmpint (lane->sample_weight[1], ==, 1000000);
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[0], 0), ==, "inner");
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[0], 1), ==, "outer");
  g_assert_cmpuint (lane->sample_stack[2], ==, PW_NO_STACK);
  g_assert_cmpuint (lane->n_spans, ==, 1);
  g_assert_cmpint (lane->span_start[0], ==, 1500000);
  g_assert_cmpint (lane->span_dur[0], ==, 2500000);
  g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[0]), ==, "Load");
}

static void
test_not_firefox (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"meta\":{}}", 11);

  profile = pw_import_bytes (bytes, "x.json", "firefox", &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "x.json"));
  g_clear_error (&error);

  /* hostile nesting is refused */
  {
    g_autoptr(GString) deep = g_string_new ("{\"meta\":{},\"threads\":");
    g_autoptr(GBytes) deep_bytes = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    deep_bytes = g_bytes_new (deep->str, deep->len);
    g_clear_object (&profile);
    profile = pw_import_bytes (deep_bytes, "deep.json", "firefox", &error);
    g_assert_null (profile);
    g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE);
  }
}

/* The frame with the most samples on top (self samples), and how many. */
static const char *
top_self (PwProfile    *profile,
          const PwLane *lane,
          guint        *count)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  gpointer best = NULL;
  guint best_count = 0;

  for (guint s = 0; s < lane->n_samples; s++)
    {
      gpointer frame;
      guint n;

      if (lane->sample_stack[s] == PW_NO_STACK)
        continue;
      frame = GUINT_TO_POINTER (pw_profile_get_stack_frame (profile, lane->sample_stack[s]));
      n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, frame)) + 1;
      g_hash_table_insert (counts, frame, GUINT_TO_POINTER (n));
      if (n > best_count)
        {
          best_count = n;
          best = frame;
        }
    }
  *count = best_count;

  return best_count > 0 ? pw_profile_get_string (profile, GPOINTER_TO_UINT (best)) : NULL;
}

static gboolean
has_warning (PwProfile  *profile,
             const char *text)
{
  const char * const *warnings = pw_profile_get_warnings (profile);

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    if (strstr (warnings[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* One thread whose tables and meta come in whatever order: {{SAMPLES}}
 * and the like are replaced by a table with "schema" before or after
 * "data". Stacks: 0 main, 1 main>run, 2 main>run>hot, 3 main>run>cold. */
static char *
ordered_doc (gboolean schema_last,
             gboolean meta_last)
{
  static const char *tables[][3] = {
    { "samples", "{\"stack\":0,\"time\":1,\"responsiveness\":2}",
      "[[2,0.0,0],[2,1.0,0],[3,2.5,0],[2,3.0,0],[1,4.0,0,99]]" },
    { "stackTable", "{\"frame\":1,\"prefix\":0}", "[[null,0],[0,1],[1,2],[1,3]]" },
    { "frameTable", "{\"location\":0,\"line\":1}", "[[0,5],[1,6],[2],[3,null]]" },
    { "markers", "{\"name\":0,\"time\":1,\"data\":2}",
      "[[4,1.0,{\"startTime\":1.0,\"endTime\":2.5,\"category\":\"Graphics\"}],[5,3.0,null],"
      "[6,0.5,{\"interval\":\"start\",\"category\":\"GC\"}],[6,0.75,{\"interval\":\"end\",\"category\":\"GC\"}]]" },
  };
  static const char meta[] = "\"meta\":{\"version\":5,\"interval\":1,\"startTime\":2000,\"product\":\"Firefox\"}";
  GString *doc = g_string_new ("{");

  if (!meta_last)
    g_string_append_printf (doc, "%s,", meta);
  g_string_append (doc, "\"threads\":[{\"name\":\"Main\",\"tid\":11,\"pid\":5,");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      if (schema_last)
        g_string_append_printf (doc, "\"%s\":{\"data\":%s,\"schema\":%s},", tables[i][0], tables[i][2], tables[i][1]);
      else
        g_string_append_printf (doc, "\"%s\":{\"schema\":%s,\"data\":%s},", tables[i][0], tables[i][1], tables[i][2]);
    }
  g_string_append (doc, "\"stringTable\":[\"main\",\"run\",\"hot\",\"cold\",\"Paint\",\"Tick\",\"GCSlice\"]}]");
  if (meta_last)
    g_string_append_printf (doc, ",%s", meta);
  g_string_append (doc, "}");

  return g_string_free (doc, FALSE);
}

static void
test_schema_after_data (void)
{
  g_autoptr(PwProfile) reference = NULL;

  for (guint variant = 0; variant < 4; variant++)
    {
      g_autofree char *doc = ordered_doc (variant & 1, variant & 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = pw_test_load_string (doc, &error);
      const PwLane *lane;
      guint count = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.format"), ==, "gecko");
      g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.version"), ==, "5");
      lane = lane_named (profile, "Main");
      g_assert_cmpint (lane->pid, ==, 5);
      g_assert_cmpint (lane->tid, ==, 11);
      g_assert_cmpuint (lane->n_samples, ==, 5);
      g_assert_cmpstr (top_self (profile, lane, &count), ==, "hot");
      g_assert_cmpuint (count, ==, 3);
      g_assert_cmpstr (frame_at (profile, lane->sample_stack[2], 0), ==, "cold");
      g_assert_cmpstr (frame_at (profile, lane->sample_stack[2], 2), ==, "main");
      g_assert_cmpstr (frame_at (profile, lane->sample_stack[4], 0), ==, "run");
      /* meta.startTime is the start; samples are 0–4 ms after it */
      g_assert_cmpint (lane->sample_time[0], ==, 0);
      g_assert_cmpint (lane->sample_time[2], ==, 2500000);
      g_assert_cmpint (lane->sample_weight[0], ==, 1000000);
      /* the interval marker and the start/end pair: spans; "Tick": instant */
      g_assert_cmpuint (lane->n_spans, ==, 2);
      g_assert_cmpint (lane->span_start[0], ==, 500000);
      g_assert_cmpint (lane->span_dur[0], ==, 250000);
      g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[0]), ==, "GCSlice");
      g_assert_cmpint (lane->span_start[1], ==, 1000000);
      g_assert_cmpint (lane->span_dur[1], ==, 1500000);
      g_assert_cmpstr (pw_profile_get_string (profile, lane->span_name[1]), ==, "Paint");
      g_assert_cmpuint (lane->n_instants, ==, 1);

      if (reference == NULL)
        reference = g_object_ref (profile);
      else
        {
          const PwLane *ref = lane_named (reference, "Main");

          for (guint s = 0; s < lane->n_samples; s++)
            {
              g_assert_cmpint (lane->sample_time[s], ==, ref->sample_time[s]);
              g_assert_cmpuint (pw_profile_get_stack_depth (profile, lane->sample_stack[s]), ==,
                                pw_profile_get_stack_depth (reference, ref->sample_stack[s]));
              g_assert_cmpstr (frame_at (profile, lane->sample_stack[s], 0), ==,
                               frame_at (reference, ref->sample_stack[s], 0));
            }
        }
    }
}

/* A content process in "processes", as a JSON object and as a JSON
 * string (as Firefox wrote it before version 56): its threads, its start
 * time, its pid. */
static void
test_processes (void)
{
  static const char parent[] =
    "{\"meta\":{\"version\":3,\"interval\":1,\"startTime\":1000,\"product\":\"Firefox\",\"processType\":0},"
    "\"threads\":[{\"name\":\"GeckoMain\",\"tid\":1,"
    "\"samples\":{\"schema\":{\"stack\":0,\"time\":1},\"data\":[[0,1],[0,2]]},"
    "\"stackTable\":{\"schema\":{\"prefix\":0,\"frame\":1},\"data\":[[null,0]]},"
    "\"frameTable\":{\"schema\":{\"location\":0},\"data\":[[0]]},\"stringTable\":[\"parentWork\"]}],"
    "\"processes\":[%s]}";
  static const char content[] =
    "{\"meta\":{\"version\":3,\"interval\":1,\"startTime\":1500,\"processType\":2},"
    "\"threads\":[{\"name\":\"GeckoMain\",\"tid\":2,"
    "\"samples\":{\"schema\":{\"stack\":0,\"time\":1},\"data\":[[1,0],[1,1],[2,2]]},"
    "\"stackTable\":{\"schema\":{\"prefix\":0,\"frame\":1},\"data\":[[null,0],[0,1],[0,2]]},"
    "\"frameTable\":{\"schema\":{\"location\":0},\"data\":[[0],[1],[2]]},"
    "\"stringTable\":[\"contentMain\",\"layout\",\"script\"]}]}";

  for (guint as_string = 0; as_string < 2; as_string++)
    {
      g_autofree char *escaped = g_strescape (content, NULL);
      g_autofree char *inner = as_string ? g_strdup_printf ("\"%s\"", escaped) : g_strdup (content);
      g_autofree char *doc = g_strdup_printf (parent, inner);
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = pw_test_load_string (doc, &error);
      const PwLane *parent_lane = NULL, *content_lane = NULL;
      guint count = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 2);
      g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 5);
      g_assert_cmpstr (pw_profile_get_metadata (profile, "firefox.threads"), ==, "2");
      for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
        {
          const PwLane *lane = pw_profile_get_lane (profile, l);

          if (lane->kind == PW_LANE_THREAD && lane->tid == 1)
            parent_lane = lane;
          else if (lane->kind == PW_LANE_THREAD && lane->tid == 2)
            content_lane = lane;
        }
      g_assert_nonnull (parent_lane);
      g_assert_nonnull (content_lane);
      g_assert_cmpint (parent_lane->pid, !=, content_lane->pid);
      g_assert_cmpstr (pw_profile_get_string (profile, parent_lane->process_name), ==, "Parent Process");
      g_assert_cmpstr (pw_profile_get_string (profile, content_lane->process_name), ==, "Content Process");
      g_assert_cmpuint (content_lane->n_samples, ==, 3);
      g_assert_cmpstr (top_self (profile, content_lane, &count), ==, "layout");
      g_assert_cmpuint (count, ==, 2);
      g_assert_cmpstr (frame_at (profile, content_lane->sample_stack[0], 1), ==, "contentMain");
      /* the content process started 500 ms after the parent */
      g_assert_cmpint (parent_lane->sample_time[0], ==, 1000000);
      g_assert_cmpint (content_lane->sample_time[0], ==, 500000000);
      g_assert_cmpint (content_lane->sample_time[2], ==, 502000000);
    }
}

/* The file's contents, NUL-terminated after its end. */
static GBytes *
read_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

/* ffprofiler-gecko-1.json cut short: cut inside its third thread (the
 * content process, a JSON string), the first two threads open with a
 * warning; cut inside the first thread's samples, before its stacks,
 * nothing can be shown and the error says where the file ended. */
static void
test_truncated (void)
{
  gsize len = 0;
  g_autoptr(GBytes) file = read_data_file ("ffprofiler-gecko-1.json");
  const char *contents = g_bytes_get_data (file, &len);
  gsize third = strstr (contents, "\"{\\\"meta\\\"") - contents;
  gsize samples = strstr (contents, "\"samples\"") - contents;
  gsize cut;

  g_assert_cmpuint (third, <, len);
  g_assert_cmpuint (samples, <, third);

  {
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PwProfile) profile = NULL;
    const PwLane *lane;
    guint count = 0;

    cut = third + 200;
    bytes = g_bytes_new (contents, cut);
    profile = pw_import_bytes (bytes, "cut.json", "firefox", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 2);
    g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 14);
    g_assert_true (has_warning (profile, "ends early"));
    lane = lane_named (profile, "Compositor");
    g_assert_cmpuint (lane->n_samples, ==, 7);
    g_assert_cmpstr (frame_at (profile, lane->sample_stack[6], 0), ==, "frobnicate (chrome://blargh:34)");
    g_assert_nonnull (top_self (profile, lane, &count));
    g_assert_cmpuint (count, ==, 2);
  }

  {
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(PwProfile) profile = NULL;
    g_autofree char *where = NULL;

    cut = samples + 100;
    bytes = g_bytes_new (contents, cut);
    profile = pw_import_bytes (bytes, "cut.json", "firefox", &error);
    g_assert_null (profile);
    g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED);
    g_assert_nonnull (strstr (error->message, "cut.json"));
    where = g_strdup_printf ("byte %zu", cut);
    g_assert_nonnull (strstr (error->message, where));
  }
}

/* ffprofiler-processed-1.json cut in the "time" column of its last
 * thread, whose other tables came before: its first 4 samples are shown. */
static void
test_truncated_processed (void)
{
  gsize len = 0;
  g_autoptr(GBytes) file = read_data_file ("ffprofiler-processed-1.json");
  const char *contents = g_bytes_get_data (file, &len);
  gsize cut = strstr (contents, "1000, 1001, 1002, 1003, ") - contents + strlen ("1000, 1001, 1002, 1003, ");
  g_autoptr(GBytes) bytes = g_bytes_new (contents, cut);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "cut.json", "firefox", &error);
  const PwLane *lane;

  g_assert_cmpuint (cut, <, len);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 3);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 18);
  g_assert_true (has_warning (profile, "ends early"));
  g_assert_false (has_warning (profile, "usable time"));
  lane = lane_named (profile, "Content");
  g_assert_cmpuint (lane->n_samples, ==, 4);
  g_assert_cmpint (lane->sample_time[3] - lane->sample_time[0], ==, 3 * 1000000);
  /* its stacks 1, 2, 2, 3 */
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[1], 0), ==, "0x100001a45");
  g_assert_cmpstr (frame_at (profile, lane->sample_stack[3], 0), ==, "Startup::XRE_Main");
}

static void
test_malformed (void)
{
  static const char doc[] =
    "{\"meta\":{\"version\":3,\"interval\":1},\n"
    "\"threads\":[\n"
    "  {\"name\":\"A\",\"tid\":1 \"pid\":2}]}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (doc, strlen (doc));
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "bad.json", "firefox", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "bad.json"));
  /* "pid" lacks the comma before it (column 23): yajl stops two bytes
   * into the key */
  g_assert_nonnull (strstr (error->message, "byte 72 (line 3, column 25)"));
}

static void
cancel_on_progress (double   fraction,
                    gpointer data)
{
  g_cancellable_cancel (data);
}

/* Cancelled before it starts, and by the first progress report: the
 * 12 KB file is one read, so the second is seen while building. */
static void
test_cancelled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ffprofiler-processed-1.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = NULL;

      if (i == 0)
        g_cancellable_cancel (cancellable);
      profile = pw_import_file (file, "firefox", cancellable, cancel_on_progress, cancellable, &error);
      g_assert_null (profile);
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                     || strstr (error->message, "cancelled") != NULL);
    }
}

static void
test_sniff (void)
{
  const PwImporter *firefox = pw_importers_find ("firefox");
  static const char *others[] = {
    "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"meta\",\"ts\":1,\"dur\":2,\"pid\":1,\"tid\":1}]}",
    "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"profiles\":[],\"shared\":{\"frames\":[]}}",
    "[{\"meta\":1,\"threads\":2,\"interval\":3}]",
  };
  static const char gecko[] = "{\"meta\":{\"interval\":1},\"threads\":[]}";

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_cmpuint (firefox->sniff ((const guint8 *) others[i], strlen (others[i]), "x.json"), ==, 0);
  g_assert_cmpuint (firefox->sniff ((const guint8 *) gecko, strlen (gecko), NULL), >, 50);
}

static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = NULL;
      char *contents = NULL;
      gsize len = 0;

      if (!g_str_has_prefix (name, "firefox-"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      bytes = g_bytes_new_take (contents, len);
      profile = pw_import_bytes (bytes, "fuzz", "firefox", &error);
      g_assert_true (profile != NULL || error != NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/firefox/facts/%s", facts[i].file);
      g_test_add_data_func (path, &facts[i], test_facts);
    }
  g_test_add_func ("/import/firefox/stacks", test_stacks);
  g_test_add_func ("/import/firefox/prefix-cycle", test_prefix_cycle);
  g_test_add_func ("/import/firefox/threads-as-strings", test_threads_as_strings);
  g_test_add_func ("/import/firefox/processed-modern", test_processed_modern);
  g_test_add_func ("/import/firefox/not-firefox", test_not_firefox);
  g_test_add_func ("/import/firefox/schema-after-data", test_schema_after_data);
  g_test_add_func ("/import/firefox/processes", test_processes);
  g_test_add_func ("/import/firefox/truncated", test_truncated);
  g_test_add_func ("/import/firefox/truncated-processed", test_truncated_processed);
  g_test_add_func ("/import/firefox/malformed", test_malformed);
  g_test_add_func ("/import/firefox/cancelled", test_cancelled);
  g_test_add_func ("/import/firefox/sniff", test_sniff);
  g_test_add_func ("/import/firefox/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
