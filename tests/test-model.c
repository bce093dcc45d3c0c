/* test-model.c: the profile builder and the immutable profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pw-args-store.h"
#include "pw-profile-builder.h"
#include "pw-string-table.h"

static void
test_string_table (void)
{
  g_autoptr(PwStringTable) table = pw_string_table_new ();
  guint32 a = pw_string_table_intern (table, "alpha", -1);
  guint32 b = pw_string_table_intern (table, "beta", 4);
  guint32 a2 = pw_string_table_intern (table, "alphabet", 5);
  guint32 bad = pw_string_table_intern (table, "bad\xff", 4);

  g_assert_cmpuint (pw_string_table_intern (table, "", 0), ==, 0);
  g_assert_cmpuint (a, ==, a2);
  g_assert_cmpuint (a, !=, b);
  g_assert_cmpstr (pw_string_table_get (table, a), ==, "alpha");
  g_assert_cmpstr (pw_string_table_get (table, b), ==, "beta");
  g_assert_cmpuint (pw_string_table_lookup (table, "beta"), ==, b);
  g_assert_cmpuint (pw_string_table_lookup (table, "gamma"), ==, G_MAXUINT32);
  /* invalid UTF-8 is made valid for display but still found by its bytes */
  g_assert_true (g_utf8_validate (pw_string_table_get (table, bad), -1, NULL));
  g_assert_cmpuint (pw_string_table_intern (table, "bad\xff", 4), ==, bad);
}

/* main [0, 100] ⊃ parse [10, 40] ⊃ read [10, 20]; then enrich [50, 90];
 * a partially overlapping span [35, 60] must get its own row. */
static void
test_nesting (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  const PwLane *lane;
  guint lane_id, first, last;
  guint32 n_main, n_parse, n_read, n_enrich, n_odd;

  lane_id = pw_profile_builder_get_lane (builder, PW_LANE_THREAD, 1, 1);
  n_main = pw_profile_builder_intern (builder, "main", -1);
  n_parse = pw_profile_builder_intern (builder, "parse", -1);
  n_read = pw_profile_builder_intern (builder, "read", -1);
  n_enrich = pw_profile_builder_intern (builder, "enrich", -1);
  n_odd = pw_profile_builder_intern (builder, "odd", -1);

  /* out of order on purpose; absolute times start at 1000 */
  pw_profile_builder_add_span (builder, lane_id, 1050, 40, 5, n_enrich, 0, 0);
  pw_profile_builder_add_span (builder, lane_id, 1010, 10, -1, n_read, 0, 0);
  pw_profile_builder_add_span (builder, lane_id, 1000, 100, 60, n_main, 0, 0);
  pw_profile_builder_add_span (builder, lane_id, 1010, 30, 30, n_parse, 0, 0);
  pw_profile_builder_add_span (builder, lane_id, 1035, 25, -1, n_odd, 0, 0);

  profile = pw_profile_builder_build (builder);
  g_assert_cmpint (pw_profile_get_start_ns (profile), ==, 1000);
  g_assert_cmpint (pw_profile_get_duration_ns (profile), ==, 100);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 5);
  g_assert_true (pw_profile_has_cpu_time (profile));

  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpuint (lane->n_spans, ==, 5);
  /* sorted by start, longer first */
  g_assert_cmpuint (lane->span_name[0], ==, n_main);
  g_assert_cmpuint (lane->span_name[1], ==, n_parse);
  g_assert_cmpuint (lane->span_name[2], ==, n_read);
  g_assert_cmpuint (lane->span_name[3], ==, n_odd);
  g_assert_cmpuint (lane->span_name[4], ==, n_enrich);
  g_assert_cmpint (lane->span_start[0], ==, 0);
  g_assert_cmpint (lane->span_parent[0], ==, PW_NO_PARENT);
  g_assert_cmpint (lane->span_parent[1], ==, 0);
  g_assert_cmpint (lane->span_parent[2], ==, 1);
  g_assert_cmpuint (lane->span_depth[2], ==, 2);
  /* odd overlaps parse without nesting: parented by main, one row deeper
   * than parse so that rows never overlap */
  g_assert_cmpint (lane->span_parent[3], ==, 0);
  g_assert_cmpuint (lane->span_depth[3], ==, 2);
  /* enrich starts after parse ended but while odd is open */
  g_assert_cmpint (lane->span_parent[4], ==, 0);
  g_assert_cmpint (lane->span_cpu[2], ==, -1);
  g_assert_cmpint (lane->span_cpu[4], ==, 5);

  g_assert_cmpint (pw_lane_span_self_time (lane, 0), ==, 100 - 30 - 25 - 40);
  g_assert_cmpuint (pw_lane_span_n_children (lane, 0), ==, 3);

  /* rows never overlap and are found by binary search */
  for (guint r = 0; r < lane->n_rows; r++)
    for (guint i = lane->row_offsets[r] + 1; i < lane->row_offsets[r + 1]; i++)
      g_assert_cmpint (pw_lane_span_end (lane, lane->row_spans[i - 1]), <=,
                       lane->span_start[lane->row_spans[i]]);

  g_assert_true (pw_lane_find_row_range (lane, 2, 0, 12, &first, &last));
  g_assert_cmpuint (last - first, ==, 1);
  g_assert_cmpuint (lane->row_spans[lane->row_offsets[2] + first], ==, 2);
  g_assert_false (pw_lane_find_row_range (lane, 2, 70, 80, &first, &last));
  g_assert_cmpint (pw_lane_find_span_at (lane, 1, 55), ==, 4);
  g_assert_cmpint (pw_lane_find_span_at (lane, 1, 45), ==, -1);
}

/* Nesting depth through the parent links (span_depth is the row). */
static guint
nesting_depth (const PwLane *lane,
               guint         span)
{
  guint depth = 0;

  for (gint32 p = lane->span_parent[span]; p != PW_NO_PARENT; p = lane->span_parent[p])
    depth++;
  return depth;
}

/* What every consumer relies on: spans sorted by start, a parent before
 * its children, which start within it on a deeper row; rows that never
 * overlap, list every span once and are found by binary search. */
static void
assert_lane_invariants (const PwLane *lane)
{
  guint n_listed = 0;

  for (guint i = 0; i < lane->n_spans; i++)
    {
      gint32 p = lane->span_parent[i];

      if (i > 0)
        g_assert_cmpint (lane->span_start[i - 1], <=, lane->span_start[i]);
      if (p == PW_NO_PARENT)
        continue;
      g_assert_cmpint (p, <, (gint32) i);
      g_assert_cmpint (lane->span_start[p], <=, lane->span_start[i]);
      g_assert_cmpint (pw_lane_span_end (lane, p), >=, lane->span_start[i]);
      g_assert_cmpuint (lane->span_depth[p], <, lane->span_depth[i]);
    }

  for (guint r = 0; r < lane->n_rows; r++)
    for (guint k = lane->row_offsets[r]; k < lane->row_offsets[r + 1]; k++)
      {
        guint s = lane->row_spans[k];

        g_assert_cmpuint (lane->span_depth[s], ==, r);
        if (k > lane->row_offsets[r])
          g_assert_cmpint (pw_lane_span_end (lane, lane->row_spans[k - 1]), <=, lane->span_start[s]);
        if (lane->span_dur[s] > 1)
          g_assert_cmpint (pw_lane_find_span_at (lane, r, lane->span_start[s] + lane->span_dur[s] / 2), ==, s);
        n_listed++;
      }
  g_assert_cmpuint (n_listed, ==, lane->n_spans);
}

static gint
find_named (PwProfile    *profile,
            const PwLane *lane,
            const char   *name)
{
  guint32 id = pw_profile_lookup_string (profile, name);

  for (guint i = 0; i < lane->n_spans; i++)
    if (lane->span_name[i] == id)
      return i;
  g_assert_not_reached ();
  return -1;
}

#define NAMED_SPAN(b, lane, name, start, dur) \
  pw_profile_builder_add_span ((b), (lane), (start), (dur), -1, pw_profile_builder_intern ((b), (name), -1), 0, 0)

/* A request whose three calls overlap, a call of the second call, and an
 * unrelated request that overlaps them all. By time, "rpc c" would nest
 * under "rpc b", "query" under "rpc c" and "other request" under
 * "request". */
static void
test_explicit_parents (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  const PwLane *lane;
  guint l = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, 1, 1);
  PwSpanHandle query = NAMED_SPAN (builder, l, "query", 1035, 10);
  PwSpanHandle c = NAMED_SPAN (builder, l, "rpc c", 1030, 20);
  PwSpanHandle other = NAMED_SPAN (builder, l, "other request", 1040, 50);
  PwSpanHandle request = NAMED_SPAN (builder, l, "request", 1000, 100);
  PwSpanHandle a = NAMED_SPAN (builder, l, "rpc a", 1010, 50);
  PwSpanHandle b = NAMED_SPAN (builder, l, "rpc b", 1020, 50);
  gint i_request, i_a, i_b, i_c, i_query, i_other;

  pw_profile_builder_set_span_parent (builder, l, request, PW_NO_SPAN_HANDLE);
  pw_profile_builder_set_span_parent (builder, l, other, PW_NO_SPAN_HANDLE);
  pw_profile_builder_set_span_parent (builder, l, a, request);
  pw_profile_builder_set_span_parent (builder, l, b, request);
  pw_profile_builder_set_span_parent (builder, l, c, request);
  pw_profile_builder_set_span_parent (builder, l, query, b);
  /* a refused span has nothing to parent */
  pw_profile_builder_set_span_parent (builder, l, PW_NO_SPAN_HANDLE, request);

  profile = pw_profile_builder_build (builder);
  lane = pw_profile_get_lane (profile, 0);
  assert_lane_invariants (lane);
  g_assert_null (pw_profile_get_warnings (profile)[0]);
  g_assert_null (pw_profile_get_metadata (profile, "model.parents_outside"));

  i_request = find_named (profile, lane, "request");
  i_a = find_named (profile, lane, "rpc a");
  i_b = find_named (profile, lane, "rpc b");
  i_c = find_named (profile, lane, "rpc c");
  i_query = find_named (profile, lane, "query");
  i_other = find_named (profile, lane, "other request");

  g_assert_cmpint (lane->span_parent[i_request], ==, PW_NO_PARENT);
  g_assert_cmpint (lane->span_parent[i_other], ==, PW_NO_PARENT);
  g_assert_cmpint (lane->span_parent[i_a], ==, i_request);
  g_assert_cmpint (lane->span_parent[i_b], ==, i_request);
  g_assert_cmpint (lane->span_parent[i_c], ==, i_request);
  g_assert_cmpint (lane->span_parent[i_query], ==, i_b);
  g_assert_cmpuint (nesting_depth (lane, i_a), ==, 1);
  g_assert_cmpuint (nesting_depth (lane, i_b), ==, 1);
  g_assert_cmpuint (nesting_depth (lane, i_c), ==, 1);
  g_assert_cmpuint (nesting_depth (lane, i_query), ==, 2);
  /* the calls overlap: a row each, right below the request, in order */
  g_assert_cmpuint (lane->span_depth[i_request], ==, 0);
  g_assert_cmpuint (lane->span_depth[i_a], ==, 1);
  g_assert_cmpuint (lane->span_depth[i_b], ==, 2);
  g_assert_cmpuint (lane->span_depth[i_c], ==, 3);
  /* below its parent and clear of "rpc c" */
  g_assert_cmpuint (lane->span_depth[i_query], ==, 4);
  /* the unrelated request overlaps every row above */
  g_assert_cmpuint (lane->span_depth[i_other], ==, 5);
  g_assert_cmpuint (lane->n_rows, ==, 6);
  g_assert_cmpuint (pw_lane_span_n_children (lane, i_request), ==, 3);
  g_assert_cmpint (pw_lane_span_self_time (lane, i_b), ==, 50 - 10);
}

/* Ties, clock skew, cycles, spans without links on a lane with some, and
 * links that travel through a merge. */
static void
test_explicit_parents_edges (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfileBuilder) chunk = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  const PwLane *lane;
  guint l = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, 1, 1);
  guint lc = pw_profile_builder_get_lane (chunk, PW_LANE_SERVICE, 1, 1);
  PwSpanHandle twin_child = NAMED_SPAN (builder, l, "twin child", 2000, 10);
  PwSpanHandle twin = NAMED_SPAN (builder, l, "twin", 2000, 10);
  PwSpanHandle skewed = NAMED_SPAN (builder, l, "skewed", 1995, 5);
  PwSpanHandle m = NAMED_SPAN (builder, l, "m", 3000, 20);
  PwSpanHandle n = NAMED_SPAN (builder, l, "n", 3005, 5);
  PwSpanHandle self_parent = NAMED_SPAN (builder, l, "self", 3500, 5);
  PwSpanHandle outer, inner, merged_parent, merged_child;

  NAMED_SPAN (builder, l, "plain outer", 4000, 100);
  NAMED_SPAN (builder, l, "plain inner", 4010, 10);
  outer = NAMED_SPAN (builder, l, "declared root", 4030, 10);

  pw_profile_builder_set_span_parent (builder, l, twin_child, twin);
  pw_profile_builder_set_span_parent (builder, l, skewed, twin);
  pw_profile_builder_set_span_parent (builder, l, m, n);
  pw_profile_builder_set_span_parent (builder, l, n, m);
  pw_profile_builder_set_span_parent (builder, l, self_parent, self_parent);
  pw_profile_builder_set_span_parent (builder, l, outer, PW_NO_SPAN_HANDLE);

  /* a chunk of a parallel parse: its handles are its own */
  merged_parent = NAMED_SPAN (chunk, lc, "merged parent", 5000, 100);
  inner = NAMED_SPAN (chunk, lc, "merged sibling", 5010, 80);
  merged_child = NAMED_SPAN (chunk, lc, "merged child", 5020, 10);
  pw_profile_builder_set_span_parent (chunk, lc, inner, merged_parent);
  pw_profile_builder_set_span_parent (chunk, lc, merged_child, merged_parent);
  pw_profile_builder_merge (builder, chunk);

  profile = pw_profile_builder_build (builder);
  lane = pw_profile_get_lane (profile, 0);
  assert_lane_invariants (lane);

  /* same start and length: the parent still comes first */
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "twin child")], ==,
                   find_named (profile, lane, "twin"));
  /* starts before its parent: a root, counted */
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "skewed")], ==, PW_NO_PARENT);
  /* m ↔ n: the link that closes the cycle goes (n's), then m starts
   * before its parent n; a span that is its own parent is a cycle too */
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "m")], ==, PW_NO_PARENT);
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "n")], ==, PW_NO_PARENT);
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "self")], ==, PW_NO_PARENT);
  g_assert_cmpstr (pw_profile_get_metadata (profile, "model.parent_cycles"), ==, "2");
  g_assert_cmpstr (pw_profile_get_metadata (profile, "model.parents_outside"), ==, "2");
  g_assert_nonnull (pw_profile_get_warnings (profile));
  g_assert_nonnull (strstr (pw_profile_get_warnings (profile)[0], "2 spans do not start within"));

  /* spans without links nest by time among themselves only */
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "plain inner")], ==,
                   find_named (profile, lane, "plain outer"));
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "declared root")], ==, PW_NO_PARENT);

  /* by time the child would nest in its sibling */
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "merged child")], ==,
                   find_named (profile, lane, "merged parent"));
  g_assert_cmpint (lane->span_parent[find_named (profile, lane, "merged sibling")], ==,
                   find_named (profile, lane, "merged parent"));
}

/* Random trees of many overlapping requests, some children outside their
 * parent: rows are the first free row below the parent's (checked here
 * by scanning every row), parents are kept whenever the child starts
 * inside. */
static void
test_explicit_parents_random (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) row_end = g_array_new (FALSE, FALSE, sizeof (gint64));
  const guint n = 3000;
  g_autofree PwSpanHandle *handles = g_new (PwSpanHandle, n);
  g_autofree gint *parent_of = g_new (gint, n);
  g_autofree gint64 *starts = g_new (gint64, n);
  g_autofree gint64 *durs = g_new (gint64, n);
  g_autofree gint *index_of = g_new (gint, n);
  guint l = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, 1, 1);
  const PwLane *lane;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", i);

      parent_of[i] = i == 0 || g_rand_int_range (rand, 0, 5) == 0 ? -1 : g_rand_int_range (rand, 0, i);
      if (parent_of[i] < 0)
        {
          starts[i] = 1000000 + g_rand_int_range (rand, 0, 100000);
          durs[i] = g_rand_int_range (rand, 0, 5000);
        }
      else
        {
          gint p = parent_of[i];

          starts[i] = starts[p] + g_rand_int_range (rand, -50, durs[p] + 50);
          durs[i] = g_rand_int_range (rand, 0, 2000);
        }
      handles[i] = pw_profile_builder_add_span (builder, l, starts[i], durs[i], -1,
                                                pw_profile_builder_intern (builder, name, -1), 0, 0);
    }
  for (guint i = 0; i < n; i++)
    pw_profile_builder_set_span_parent (builder, l, handles[i],
                                        parent_of[i] < 0 ? PW_NO_SPAN_HANDLE : handles[parent_of[i]]);

  profile = pw_profile_builder_build (builder);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpuint (lane->n_spans, ==, n);
  assert_lane_invariants (lane);
  /* the case is not trivial: stacked rows, and children outside */
  g_assert_cmpuint (lane->n_rows, >, 10);
  g_assert_nonnull (pw_profile_get_metadata (profile, "model.parents_outside"));

  for (guint i = 0; i < n; i++)
    index_of[atoi (pw_profile_get_string (profile, lane->span_name[i]))] = i;

  for (guint i = 0; i < n; i++)
    {
      guint k = atoi (pw_profile_get_string (profile, lane->span_name[i]));
      gint p = parent_of[k] < 0 ? -1 : index_of[parent_of[k]];
      gint64 start = lane->span_start[i];
      guint row;

      if (p >= 0 && (p > (gint) i || start < lane->span_start[p] || start > pw_lane_span_end (lane, p)))
        p = -1;
      g_assert_cmpint (lane->span_parent[i], ==, p);

      row = p < 0 ? 0 : lane->span_depth[p] + 1u;
      while (row < row_end->len && g_array_index (row_end, gint64, row) > start)
        row++;
      if (row == row_end->len)
        g_array_append_val (row_end, start);
      g_assert_cmpuint (lane->span_depth[i], ==, row);
      g_array_index (row_end, gint64, row) = MAX (g_array_index (row_end, gint64, row),
                                                  pw_lane_span_end (lane, i));
    }
}

/* A chain of parents as deep as rows go, added leaf first: built without
 * recursion, each span under the one before. */
static void
test_explicit_parents_deep (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  const guint n = 60000;
  g_autofree PwSpanHandle *handles = g_new (PwSpanHandle, n);
  const PwLane *lane;
  guint l = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, 1, 1);

  for (guint i = n; i > 0; i--)
    handles[i - 1] = pw_profile_builder_add_span (builder, l, i - 1, 2 * (gint64) n - 2 * (i - 1), -1, 0, 0, 0);
  for (guint i = 0; i < n; i++)
    pw_profile_builder_set_span_parent (builder, l, handles[i], i == 0 ? PW_NO_SPAN_HANDLE : handles[i - 1]);

  profile = pw_profile_builder_build (builder);
  lane = pw_profile_get_lane (profile, 0);
  g_assert_cmpuint (lane->n_rows, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (lane->span_parent[i], ==, (gint32) i - 1);
      g_assert_cmpuint (lane->span_depth[i], ==, i);
    }
}

static void
test_samples_and_flows (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  guint a, b;
  guint32 s_main, s_work, s_main2;
  PwSpanHandle from, to;
  const PwFlow *flow;
  const PwLane *lane_b;

  a = pw_profile_builder_get_lane (builder, PW_LANE_THREAD, 7, 1);
  b = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, 7, 99);
  g_assert_cmpuint (pw_profile_builder_get_lane (builder, PW_LANE_THREAD, 7, 1), ==, a);

  s_main = pw_profile_builder_push_frame (builder, PW_NO_STACK, pw_profile_builder_intern (builder, "main", -1));
  s_work = pw_profile_builder_push_frame (builder, s_main, pw_profile_builder_intern (builder, "work", -1));
  s_main2 = pw_profile_builder_push_frame (builder, PW_NO_STACK, pw_profile_builder_intern (builder, "main", -1));
  g_assert_cmpuint (s_main, ==, s_main2);

  pw_profile_builder_add_sample (builder, a, 30, 1, s_work);
  pw_profile_builder_add_sample (builder, a, 10, 2, s_main);

  to = pw_profile_builder_add_span (builder, b, 20, 5, -1, 0, 0, 0);
  pw_profile_builder_add_span (builder, b, 15, 1, -1, 0, 0, 0);
  from = pw_profile_builder_add_span (builder, a, 10, 30, -1, 0, 0, 0);
  pw_profile_builder_add_flow (builder, PW_FLOW_PARENT, 0, a, 10, from, b, 20, to);

  profile = pw_profile_builder_build (builder);
  g_assert_cmpuint (pw_profile_get_n_samples (profile), ==, 2);
  g_assert_cmpuint (pw_profile_get_n_stacks (profile), ==, 2);
  g_assert_cmpuint (pw_profile_get_stack_depth (profile, s_work), ==, 1);
  g_assert_cmpuint (pw_profile_get_stack_parent (profile, s_work), ==, s_main);
  g_assert_cmpstr (pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, s_work)), ==, "work");
  g_assert_cmpuint (pw_profile_get_n_busy_lanes (profile), ==, 2);
  g_assert_cmpuint (pw_profile_get_n_threads (profile), ==, 1);
  g_assert_cmpuint (pw_profile_get_n_processes (profile), ==, 1);

  /* samples are sorted by time and rebased to the first event */
  g_assert_cmpint (pw_profile_get_lane (profile, 0)->sample_time[0], ==, 0);
  g_assert_cmpint (pw_profile_get_lane (profile, 0)->sample_weight[0], ==, 2);

  /* the flow's span handles resolve to sorted indices */
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, 1);
  flow = pw_profile_get_flow (profile, 0);
  lane_b = pw_profile_get_lane (profile, flow->to_lane);
  g_assert_cmpint (lane_b->kind, ==, PW_LANE_SERVICE);
  g_assert_cmpuint (flow->to_span, ==, 1);
  g_assert_cmpint (lane_b->span_start[flow->to_span], ==, 10);
  g_assert_cmpuint (flow->from_span, ==, 0);
}

static void
test_warnings_capped (void)
{
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  const char * const *warnings;
  guint n = 0;

  for (guint i = 0; i < 1000; i++)
    pw_profile_builder_add_warning (builder, "problem %u", i);
  g_assert_cmpuint (pw_profile_builder_get_n_warnings (builder), ==, 1000);

  profile = pw_profile_builder_build (builder);
  warnings = pw_profile_get_warnings (profile);
  while (warnings[n] != NULL)
    n++;
  g_assert_cmpuint (n, <=, 101);
  g_assert_nonnull (strstr (warnings[n - 1], "900 more"));
}

/* A text unlike its neighbours, so that a wrong block or offset shows. */
static char *
make_args_text (guint i)
{
  if (i % 1000 == 7)
    return g_strnfill (100000 + i, 'a' + i % 26);   /* bigger than a block */
  return g_strdup_printf ("{\"seq\":%u,\"url\":\"https://example.com/%u.js\"}", i, i * 7919);
}

static void
test_args_store (void)
{
  g_autoptr(PwArgsStore) store = pw_args_store_new ();
  g_autoptr(PwArgsStore) tail = pw_args_store_new ();
  const guint n = 20000, n_tail = 3000;
  guint64 text_size = 0;
  static const char with_nul[] = "x\0y";

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = make_args_text (i);

      g_assert_cmpuint (pw_args_store_add (store, text, strlen (text)), ==, i + 1);
      text_size += strlen (text);
    }
  /* read before sealing: the open block is read as it is */
  {
    g_autofree char *last = pw_args_store_dup (store, n);
    g_autofree char *expected = make_args_text (n - 1);

    g_assert_cmpstr (last, ==, expected);
  }

  for (guint i = 0; i < n_tail; i++)
    {
      g_autofree char *text = make_args_text (n + i);

      g_assert_cmpuint (pw_args_store_add (tail, text, strlen (text)), ==, i + 1);
      text_size += strlen (text);
    }
  g_assert_cmpuint (pw_args_store_add (tail, with_nul, 3), ==, n_tail + 1);
  text_size += 3;

  pw_args_store_append (store, tail);
  g_assert_cmpuint (pw_args_store_get_count (tail), ==, 0);
  g_assert_null (pw_args_store_dup (tail, 1));
  pw_args_store_finish (store);

  g_assert_cmpuint (pw_args_store_get_count (store), ==, n + n_tail + 1);
  g_assert_cmpuint (pw_args_store_get_text_size (store), ==, text_size);
  /* the texts repeat their keys: kept compressed, they are far smaller */
  g_assert_cmpuint (pw_args_store_get_memory_size (store), <, text_size / 4);

  /* in order, then out of order as a user clicks around */
  for (guint k = 0; k < 2 * (n + n_tail); k += k < n + n_tail ? 1 : 17)
    {
      guint i = k < n + n_tail ? k : (k * 7717) % (n + n_tail);
      g_autofree char *text = pw_args_store_dup (store, i + 1);
      g_autofree char *expected = make_args_text (i);

      g_assert_cmpstr (text, ==, expected);
    }
  {
    g_autofree char *text = pw_args_store_dup (store, n + n_tail + 1);

    g_assert_cmpmem (text, 3, "x\0y", 3);
  }
  g_assert_null (pw_args_store_dup (store, 0));
  g_assert_null (pw_args_store_dup (store, n + n_tail + 2));

  /* adding after finishing still works, in a block of its own */
  {
    g_autofree char *text = NULL;
    g_autofree char *first = NULL;
    g_autofree char *expected = make_args_text (0);

    g_assert_cmpuint (pw_args_store_add (store, "{\"late\":1}", 10), ==, n + n_tail + 2);
    pw_args_store_finish (store);
    text = pw_args_store_dup (store, n + n_tail + 2);
    first = pw_args_store_dup (store, 1);
    g_assert_cmpstr (text, ==, "{\"late\":1}");
    g_assert_cmpstr (first, ==, expected);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/string-table", test_string_table);
  g_test_add_func ("/model/nesting", test_nesting);
  g_test_add_func ("/model/explicit-parents", test_explicit_parents);
  g_test_add_func ("/model/explicit-parents-edges", test_explicit_parents_edges);
  g_test_add_func ("/model/explicit-parents-random", test_explicit_parents_random);
  g_test_add_func ("/model/explicit-parents-deep", test_explicit_parents_deep);
  g_test_add_func ("/model/samples-and-flows", test_samples_and_flows);
  g_test_add_func ("/model/warnings-capped", test_warnings_capped);
  g_test_add_func ("/model/args-store", test_args_store);

  return g_test_run ();
}
