/* test-import-pprof.c: the pprof importer against the corpus facts
 * (tests/data/SOURCES.md) and constructed edge cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pw-test-util.h"

#ifdef HAVE_PROTOBUF_C

#include "profile.pb-c.h"

typedef struct
{
  const char *file;
  const char *sample_types;
  const char *default_type;   /* the file's default_sample_type, else the last */
  guint64     samples;
  gint64      total;          /* of the default (last) sample type */
  const char *top_self;
  gint64      top_self_weight;
  gint64      duration_ns;    /* duration_nanos in whole ms; 0 when the file has none */
  const char *unit;
} Facts;

static const Facts facts[] = {
  /* This file names alloc_space as its default_sample_type, which pprof
   * shows first; SOURCES.md gives the facts of the last type, inuse_space:
   * its total is checked through the per-type totals below. */
  { "parca-alloc_objects.pb.gz",
    "alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes", "alloc_space/bytes",
    4661, 14730706, "compress/flate.NewWriter", 1848496, 0, "bytes" },
  { "parca-fgprof.pb.gz", "samples/count, time/nanoseconds", "time/nanoseconds",
    175, 2104393918350, "runtime.gopark", 2036929272560, 30001000000, "ns" },
  { "parca-profile1.pb.gz", "samples/count, cpu/nanoseconds", "cpu/nanoseconds",
    32, 480000000, "syscall.Syscall", 160000000, 30000000000, "ns" },
  { "pprof-report-sample.cpu.pb.gz", "samples/count, cpu/nanoseconds", "cpu/nanoseconds",
    76, 1760000000, "runtime.mapiternext", 1280000000, 2002000000, "ns" },
  /* go test -cpuprofile / -memprofile of Go 1.19 in this repository
   * (real-tools/work_test.go), figures from go tool pprof -unit */
  { "go1.19-test-cpu.pprof", "samples/count, cpu/nanoseconds", "cpu/nanoseconds",
    38, 380000000, "sort.Float64Slice.Less", 120000000, 955000000, "ns" },
  { "go1.19-test-mem.pprof",
    "alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes", "alloc_space/bytes",
    17, 1048832, "runtime.malg", 524496, 0, "bytes" },
  { "speedscope-simple.prof.pb.gz", "samples/count, cpu/nanoseconds", "cpu/nanoseconds",
    9, 1500000000, "main.alpha", 480000000, 1912000000, "ns" },
};

/* Sums sample weights by the leaf frame's name, the way pprof's "flat"
 * column does; returns the total. */
static gint64
self_weights (PwProfile   *profile,
              GHashTable  *by_name)
{
  gint64 total = 0;

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        {
          const char *name = "";
          gint64 sum;

          if (lane->sample_stack[s] != PW_NO_STACK)
            name = pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, lane->sample_stack[s]));
          sum = GPOINTER_TO_SIZE (g_hash_table_lookup (by_name, name)) + lane->sample_weight[s];
          g_hash_table_insert (by_name, (gpointer) name, GSIZE_TO_POINTER (sum));
          total += lane->sample_weight[s];
        }
    }

  return total;
}

static PwProfile *
load_with_sample_type (const char *name,
                       const char *sample_type)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PwInput) input = NULL;
  g_autoptr(GError) error = NULL;
  PwProfile *profile;

  input = pw_input_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  pw_input_set_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE, sample_type);
  profile = pw_import_input (input, NULL, &error);
  g_assert_no_error (error);

  return profile;
}

static void
test_sample_type_option (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "parca-alloc_objects.pb.gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PwInput) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) by_index = load_with_sample_type ("parca-alloc_objects.pb.gz", "2");
  g_autoptr(PwProfile) by_name = load_with_sample_type ("parca-alloc_objects.pb.gz", "inuse_objects");
  const char * const *types = pw_profile_get_sample_types (by_name);
  g_autoptr(GHashTable) weights = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) weights2 = g_hash_table_new (g_str_hash, g_str_equal);
  PwProfile *profile;

  g_assert_nonnull (types);
  g_assert_cmpuint (g_strv_length ((char **) types), ==, 4);
  g_assert_cmpstr (types[0], ==, "alloc_objects");
  g_assert_cmpstr (types[3], ==, "inuse_space");
  g_assert_cmpstr (pw_profile_get_sample_type (by_name), ==, "inuse_objects");
  g_assert_cmpstr (pw_profile_get_sample_type (by_index), ==, "inuse_objects");
  g_assert_cmpstr (pw_profile_get_sample_unit (by_name), ==, "count");
  /* the weights are that type's: its total, as "pprof.totals" gives it */
  g_assert_nonnull (strstr (pw_profile_get_metadata (by_name, "pprof.totals"), "inuse_objects/count="));
  {
    const char *at = strstr (pw_profile_get_metadata (by_name, "pprof.totals"), "inuse_objects/count=");

    g_assert_cmpint (self_weights (by_name, weights), ==, g_ascii_strtoll (at + strlen ("inuse_objects/count="), NULL, 10));
    g_assert_cmpint (self_weights (by_index, weights2), ==, g_ascii_strtoll (at + strlen ("inuse_objects/count="), NULL, 10));
  }

  input = pw_input_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  pw_input_set_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE, "cpu");
  profile = pw_import_input (input, NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "parca-alloc_objects.pb.gz: no sample type “cpu”"));
  g_assert_nonnull (strstr (error->message, "inuse_space/bytes"));
}

static void
test_facts (gconstpointer data)
{
  const Facts *f = data;
  g_autoptr(PwProfile) profile = pw_test_load (f->file);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  const char *top = NULL;
  gint64 top_weight = G_MININT64;

  g_assert_cmpstr (pw_profile_get_format (profile), ==, "pprof");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "pprof.sample_types"), ==, f->sample_types);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, f->samples);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "pprof.default_sample_type"), ==, f->default_type);

  /* the last type's total, whichever type is the default */
  {
    g_autofree char *last_total = g_strdup_printf ("%s=%" G_GINT64_FORMAT,
                                                   strrchr (f->sample_types, ' ') + 1, f->total);
    const char *totals = pw_profile_get_metadata (profile, "pprof.totals");

    g_assert_nonnull (totals);
    g_assert_true (g_str_has_suffix (totals, last_total));
  }

  if (!g_str_has_suffix (f->sample_types, f->default_type))
    {
      /* the weights are the default type's: its total in "pprof.totals" */
      g_autofree char *prefix = g_strdup_printf ("%s=", f->default_type);
      const char *at = strstr (pw_profile_get_metadata (profile, "pprof.totals"), prefix);

      g_assert_nonnull (at);
      g_assert_cmpint (self_weights (profile, by_name), ==, g_ascii_strtoll (at + strlen (prefix), NULL, 10));
      g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, f->unit);
      g_assert_cmpstr (pw_profile_get_sample_type (profile), ==, "alloc_space");

      /* SOURCES.md's facts are the last type's: the user chooses it */
      g_clear_object (&profile);
      g_hash_table_remove_all (by_name);
      profile = load_with_sample_type (f->file, strrchr (f->sample_types, ' ') + 1);
      g_assert_cmpstr (pw_profile_get_sample_type (profile), ==, "inuse_space");
    }
  else if (strchr (f->sample_types, ',') != NULL)
    {
      g_autofree char *type = g_strndup (f->default_type, strcspn (f->default_type, "/"));

      g_assert_cmpstr (pw_profile_get_sample_type (profile), ==, type);
    }

  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, f->unit);
  g_assert_cmpint (self_weights (profile, by_name), ==, f->total);

  g_hash_table_iter_init (&iter, by_name);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if ((gint64) GPOINTER_TO_SIZE (value) > top_weight)
      {
        top = key;
        top_weight = GPOINTER_TO_SIZE (value);
      }
  g_assert_cmpstr (top, ==, f->top_self);
  g_assert_cmpint (top_weight, ==, f->top_self_weight);

  /* SOURCES.md rounds duration_s to milliseconds */
  g_assert_cmpint ((pw_profile_get_duration_ns (profile) + 500000) / 1000000, ==, f->duration_ns / 1000000);
  if (f->duration_ns > 0)
    g_assert_nonnull (pw_profile_get_metadata (profile, "pprof.duration_nanos"));
}

static GBytes *
read_test_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static void
test_truncated (void)
{
  g_autoptr(GBytes) whole = read_test_file ("pprof-report-sample.cpu.pb.gz");
  gsize len = g_bytes_get_size (whole);

  /* Cut at several places of the gzip stream: never a crash, and either a
   * clear error or what was complete plus a warning. */
  for (guint cut = 10; cut < len; cut += len / 7)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = pw_import_bytes (part, "cut.pb.gz", "pprof", &error);

      if (profile == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == PW_IMPORT_ERROR);
          g_assert_nonnull (strstr (error->message, "cut.pb.gz"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (pw_profile_get_warnings (profile));
          g_assert_nonnull (pw_profile_get_warnings (profile)[0]);
          g_assert_cmpuint (pw_profile_get_n_samples (profile), <=, 76);
        }
    }
}

static void
test_truncated_plain (void)
{
  g_autoptr(GBytes) packed = read_test_file ("speedscope-simple.prof.pb.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) whole = NULL;
  g_autoptr(GBytes) part = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) conv = NULL;
  g_autoptr(GBytes) raw = NULL;

  in = g_memory_input_stream_new_from_bytes (packed);
  conv = g_converter_input_stream_new (in, G_CONVERTER (gunzip));
  out = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (out, conv, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  raw = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  /* Uncompressed, the same content is detected by its first bytes. */
  whole = pw_import_bytes (raw, "simple", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (whole), ==, "pprof");
  g_assert_cmpuint (pw_profile_get_n_samples (whole), ==, 9);

  /* Protobuf has no end marker: a cut between two fields looks complete,
   * a cut inside a field is noticed and what came before is kept. */
  {
    guint n_warned = 0;

    for (gsize cut = g_bytes_get_size (raw) / 2; cut < g_bytes_get_size (raw); cut++)
      {
        g_autoptr(PwProfile) cut_profile = NULL;

        g_clear_pointer (&part, g_bytes_unref);
        part = g_bytes_new_from_bytes (raw, 0, cut);
        cut_profile = pw_import_bytes (part, "simple.pprof", "pprof", &error);
        if (cut_profile == NULL)
          {
            g_assert_true (error->domain == PW_IMPORT_ERROR);
            g_clear_error (&error);
            continue;
          }
        g_assert_cmpuint (pw_profile_get_n_samples (cut_profile), <=, 9);
        if (pw_profile_get_warnings (cut_profile)[0] != NULL)
          {
            g_assert_nonnull (strstr (pw_profile_get_warnings (cut_profile)[0], "ends early"));
            n_warned++;
          }
      }
    g_assert_cmpuint (n_warned, >, 0);
  }
}

static void
test_not_protobuf (void)
{
  static const guint8 junk[] = { 0xff, 0xfe, 0x00, 0x01, 0x80, 0x80, 0x07, 0x13, 0x37, 0x00, 0xee, 0x0b };
  g_autoptr(GBytes) bytes = g_bytes_new_static (junk, sizeof junk);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) detected = pw_import_bytes (bytes, "junk.bin", NULL, &error);
  g_autoptr(PwProfile) forced = NULL;

  g_assert_null (detected);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  forced = pw_import_bytes (bytes, "junk.bin", "pprof", &error);
  g_assert_null (forced);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "junk.bin"));
  g_assert_nonnull (strstr (error->message, "not a pprof profile: protobuf decoding failed"));
  g_assert_nonnull (strstr (error->message, "12 bytes"));
}

static void
test_corrupt_varint (void)
{
  /* sample_type whose length varint never ends */
  static const guint8 bad[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (bad, sizeof bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "bad.pb", "pprof", &error);

  g_assert_null (profile);
  g_assert_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "protobuf decoding failed"));
  g_assert_nonnull (strstr (error->message, "byte 0"));
}

static void
test_text_not_claimed (void)
{
  static const char text[] = "\nmain;alpha;beta 10\nmain;gamma 5\n";

  g_assert_cmpuint (pw_importers_find ("pprof")->sniff ((const guint8 *) text, strlen (text), "x.prof"), ==, 0);
}

/* A small profile built with protobuf-c: strings, two sample types, an
 * inlined location and two samples. */
static GBytes *
pack_profile (gint64   default_sample_type,
              gboolean thread_labels)
{
  static char *strings[] = { (char *) "", (char *) "samples", (char *) "count", (char *) "cpu",
                             (char *) "nanoseconds", (char *) "main", (char *) "leaf", (char *) "inl",
                             (char *) "thread_id" };
  Perftools__Profiles__Profile profile = PERFTOOLS__PROFILES__PROFILE__INIT;
  Perftools__Profiles__ValueType t0 = PERFTOOLS__PROFILES__VALUE_TYPE__INIT, t1 = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
  Perftools__Profiles__ValueType *types[2] = { &t0, &t1 };
  Perftools__Profiles__Function f1 = PERFTOOLS__PROFILES__FUNCTION__INIT, f2 = PERFTOOLS__PROFILES__FUNCTION__INIT,
                                f3 = PERFTOOLS__PROFILES__FUNCTION__INIT;
  Perftools__Profiles__Function *functions[3] = { &f1, &f2, &f3 };
  Perftools__Profiles__Line inl = PERFTOOLS__PROFILES__LINE__INIT, leaf = PERFTOOLS__PROFILES__LINE__INIT,
                            main_line = PERFTOOLS__PROFILES__LINE__INIT;
  Perftools__Profiles__Line *lines1[2] = { &inl, &leaf };
  Perftools__Profiles__Line *lines2[1] = { &main_line };
  Perftools__Profiles__Location l1 = PERFTOOLS__PROFILES__LOCATION__INIT, l2 = PERFTOOLS__PROFILES__LOCATION__INIT;
  Perftools__Profiles__Location *locations[2] = { &l1, &l2 };
  Perftools__Profiles__Sample s1 = PERFTOOLS__PROFILES__SAMPLE__INIT, s2 = PERFTOOLS__PROFILES__SAMPLE__INIT;
  Perftools__Profiles__Sample *samples[2] = { &s1, &s2 };
  Perftools__Profiles__Label label1 = PERFTOOLS__PROFILES__LABEL__INIT, label2 = PERFTOOLS__PROFILES__LABEL__INIT;
  Perftools__Profiles__Label *labels1[1] = { &label1 };
  Perftools__Profiles__Label *labels2[1] = { &label2 };
  uint64_t stack1[2] = { 1, 2 }, stack2[1] = { 2 };
  int64_t values1[2] = { 3, 30 }, values2[2] = { 1, 10 };
  gsize size;
  guint8 *buf;

  t0.type = 1, t0.unit = 2;
  t1.type = 3, t1.unit = 4;
  f1.id = 10, f1.name = 5;
  f2.id = 11, f2.name = 6;
  f3.id = 12, f3.name = 7;
  /* leaf() had inl() inlined into it: innermost line first */
  inl.function_id = 12;
  leaf.function_id = 11;
  main_line.function_id = 10;
  l1.id = 1, l1.n_line = 2, l1.line = lines1;
  l2.id = 2, l2.n_line = 1, l2.line = lines2;
  s1.n_location_id = 2, s1.location_id = stack1, s1.n_value = 2, s1.value = values1;
  s2.n_location_id = 1, s2.location_id = stack2, s2.n_value = 2, s2.value = values2;
  if (thread_labels)
    {
      label1.key = 8, label1.num = 101;
      label2.key = 8, label2.num = 102;
      s1.n_label = 1, s1.label = labels1;
      s2.n_label = 1, s2.label = labels2;
    }

  profile.n_sample_type = 2, profile.sample_type = types;
  profile.n_sample = 2, profile.sample = samples;
  profile.n_location = 2, profile.location = locations;
  profile.n_function = 3, profile.function = functions;
  profile.n_string_table = G_N_ELEMENTS (strings), profile.string_table = strings;
  profile.time_nanos = 1700000000000000000;
  profile.duration_nanos = 5000000;
  profile.default_sample_type = default_sample_type;

  size = perftools__profiles__profile__get_packed_size (&profile);
  buf = g_malloc (size);
  perftools__profiles__profile__pack (&profile, buf);

  return g_bytes_new_take (buf, size);
}

static guint32
sample_stack_of_weight (PwProfile *profile,
                        gint64     weight)
{
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        if (lane->sample_weight[s] == weight)
          return lane->sample_stack[s];
    }

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

static void
test_default_sample_type (void)
{
  g_autoptr(GBytes) bytes = pack_profile (1, FALSE);  /* "samples" */
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "made.pb", NULL, &error);
  guint32 stack;

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_format (profile), ==, "pprof");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "pprof.default_sample_type"), ==, "samples/count");
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "count");
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 5000000);

  /* Inlined lines: the last line is the caller, so main → leaf → inl. */
  stack = sample_stack_of_weight (profile, 3);
  g_assert_cmpstr (frame_at (profile, stack, 0), ==, "inl");
  g_assert_cmpstr (frame_at (profile, stack, 1), ==, "leaf");
  g_assert_cmpstr (frame_at (profile, stack, 2), ==, "main");
  g_assert_cmpuint (pw_profile_get_stack_parent (profile, pw_profile_get_stack_parent (profile, pw_profile_get_stack_parent (profile, stack))), ==, PW_NO_STACK);
  stack = sample_stack_of_weight (profile, 1);
  g_assert_cmpstr (frame_at (profile, stack, 0), ==, "main");
}

static void
test_last_sample_type (void)
{
  g_autoptr(GBytes) bytes = pack_profile (0, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "made.pb", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "pprof.default_sample_type"), ==, "cpu/nanoseconds");
  g_assert_cmpstr (pw_profile_get_sample_unit (profile), ==, "ns");
  g_assert_cmpstr (frame_at (profile, sample_stack_of_weight (profile, 30), 0), ==, "inl");
  g_assert_cmpstr (frame_at (profile, sample_stack_of_weight (profile, 10), 0), ==, "main");
  /* thread_id labels give one lane per thread */
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, 2);
}

/* One location with 5000 inlined lines, sampled 1000 times: the stack
 * keeps its 4096 leaf-most frames, with a warning. */
static void
test_deep_stack (void)
{
  static char *strings[] = { (char *) "", (char *) "cpu", (char *) "nanoseconds", (char *) "f" };
  Perftools__Profiles__Profile profile = PERFTOOLS__PROFILES__PROFILE__INIT;
  Perftools__Profiles__ValueType type = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
  Perftools__Profiles__ValueType *types[1] = { &type };
  Perftools__Profiles__Function function = PERFTOOLS__PROFILES__FUNCTION__INIT;
  Perftools__Profiles__Function *functions[1] = { &function };
  Perftools__Profiles__Line line = PERFTOOLS__PROFILES__LINE__INIT;
  g_autofree Perftools__Profiles__Line **lines = g_new (Perftools__Profiles__Line *, 5000);
  Perftools__Profiles__Location location = PERFTOOLS__PROFILES__LOCATION__INIT;
  Perftools__Profiles__Location *locations[1] = { &location };
  Perftools__Profiles__Sample sample = PERFTOOLS__PROFILES__SAMPLE__INIT;
  g_autofree Perftools__Profiles__Sample **samples = g_new (Perftools__Profiles__Sample *, 1000);
  uint64_t stack[1] = { 1 };
  int64_t values[1] = { 7 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) loaded = NULL;
  const PwLane *lane;
  gsize size;
  guint8 *buf;

  type.type = 1, type.unit = 2;
  function.id = 1, function.name = 3;
  line.function_id = 1;
  for (guint i = 0; i < 5000; i++)
    lines[i] = &line;
  location.id = 1, location.n_line = 5000, location.line = lines;
  sample.n_location_id = 1, sample.location_id = stack, sample.n_value = 1, sample.value = values;
  for (guint i = 0; i < 1000; i++)
    samples[i] = &sample;
  profile.n_sample_type = 1, profile.sample_type = types;
  profile.n_sample = 1000, profile.sample = samples;
  profile.n_location = 1, profile.location = locations;
  profile.n_function = 1, profile.function = functions;
  profile.n_string_table = G_N_ELEMENTS (strings), profile.string_table = strings;

  size = perftools__profiles__profile__get_packed_size (&profile);
  buf = g_malloc (size);
  perftools__profiles__profile__pack (&profile, buf);
  bytes = g_bytes_new_take (buf, size);

  loaded = pw_import_bytes (bytes, "deep.pb", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_profile_get_n_samples (loaded), ==, 1000);
  lane = pw_profile_get_lane (loaded, 0);
  g_assert_cmpuint (pw_profile_get_stack_depth (loaded, lane->sample_stack[0]), ==, 4095);
  g_assert_cmpuint (lane->sample_stack[0], ==, lane->sample_stack[999]);
  g_assert_nonnull (pw_profile_get_warnings (loaded)[0]);
}

static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regress", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PwProfile) profile = NULL;
      char *contents = NULL;
      gsize len = 0;

      if (!g_str_has_prefix (name, "pprof-"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      bytes = g_bytes_new_take (contents, len);
      /* Must return, with a profile or with an error, and not crash. */
      profile = pw_import_bytes (bytes, "fuzz", "pprof", &error);
      g_assert_true (profile != NULL || error != NULL);
      n++;
    }

  g_test_message ("%u fuzz regression inputs", n);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/pprof/facts/%s", facts[i].file);
      g_test_add_data_func (path, &facts[i], test_facts);
    }
  g_test_add_func ("/import/pprof/truncated", test_truncated);
  g_test_add_func ("/import/pprof/truncated-plain", test_truncated_plain);
  g_test_add_func ("/import/pprof/not-protobuf", test_not_protobuf);
  g_test_add_func ("/import/pprof/corrupt-varint", test_corrupt_varint);
  g_test_add_func ("/import/pprof/text-not-claimed", test_text_not_claimed);
  g_test_add_func ("/import/pprof/default-sample-type", test_default_sample_type);
  g_test_add_func ("/import/pprof/last-sample-type", test_last_sample_type);
  g_test_add_func ("/import/pprof/sample-type-option", test_sample_type_option);
  g_test_add_func ("/import/pprof/deep-stack", test_deep_stack);
  g_test_add_func ("/import/pprof/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}

#else

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_skip ("built without protobuf-c: no pprof importer");
  return g_test_run ();
}

#endif
