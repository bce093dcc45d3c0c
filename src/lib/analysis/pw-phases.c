/* pw-phases.c: phases of a run and their wall, CPU and task time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-phases"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-phases.h"
#include "pw-summary.h"
#include "pw-units.h"

/* A root that covers this much of its lane's busy time is a wrapper
 * (`main`, `pipeline`, a profiler's own root span), not a phase. */
#define DOMINANT_FRACTION 0.90
/* Phases beyond this many are dropped with a note: a pattern that matches
 * every span is a mistake, not a phase list. */
#define MAX_PHASES 100000
/* Guards walks up parent links, which flows may turn into cycles. */
#define MAX_CHAIN 65536

/* Thresholds of the explanations; docs/phases.md lists them. */
#define PARALLEL_MIN        1.5    /* parallelism from which tasks "ran in parallel" */
#define WAITING_MAX_CPU     0.30   /* CPU below this fraction of wall (or task) time: waiting */
#define MULTICORE_MIN       1.5    /* CPU above this many times the wall: several cores */
#define IDLE_MIN_FRACTION   0.10   /* idle gaps worth a line */
#define EXPLAIN_MIN_NS      (PW_NSEC_PER_MSEC)

#define OWNER_NONE        (-1)
#define OWNER_UNRESOLVED  (-2)
#define OWNER_VISITING    (-3)

#define ABOVE_UNKNOWN  0
#define ABOVE_NO       1
#define ABOVE_YES      2
#define ABOVE_VISITING 3

#define FLAG_CONTAINER 1u
#define FLAG_PHASE     2u
#define FLAG_CPU_TOP   4u

struct _PwPhases
{
  gatomicrefcount  ref_count;
  PwProfile       *profile;
  gint64           total_wall;
  gboolean         has_cpu;
  char            *description;
  GArray          *phases;      /* PwPhase */
  GStringChunk    *strings;
};

G_DEFINE_BOXED_TYPE (PwPhases, pw_phases, pw_phases_ref, pw_phases_unref)

static PwPhases *
pw_phases_new (PwProfile *profile)
{
  PwPhases *self = g_new0 (PwPhases, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->profile = g_object_ref (profile);
  self->total_wall = pw_profile_get_duration_ns (profile);
  self->phases = g_array_new (FALSE, TRUE, sizeof (PwPhase));
  self->strings = g_string_chunk_new (1024);

  return self;
}

PwPhases *
pw_phases_ref (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pw_phases_unref (PwPhases *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_object (&self->profile);
      g_clear_pointer (&self->phases, g_array_unref);
      g_clear_pointer (&self->strings, g_string_chunk_free);
      g_free (self->description);
      g_free (self);
    }
}

PwProfile *
pw_phases_get_profile (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->profile;
}

gint64
pw_phases_get_total_wall_ns (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->total_wall;
}

gboolean
pw_phases_has_cpu (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_cpu;
}

const char *
pw_phases_get_description (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

guint
pw_phases_get_n_phases (PwPhases *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->phases->len;
}

const PwPhase *
pw_phases_get_phase (PwPhases *self,
                     guint     index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->phases->len, NULL);
  return &g_array_index (self->phases, PwPhase, index);
}

/* ------------------------------------------------------------------ */
/* The profile seen as one forest: global span ids and parent links.  */

typedef struct
{
  gsize  parent;
  gsize  child;
} FlowLink;

typedef struct
{
  PwProfile      *profile;
  guint           n_lanes;
  gsize           n_spans;
  gsize          *lane_offset;    /* n_lanes + 1 */
  FlowLink       *links;          /* PW_FLOW_PARENT links, sorted by child */
  guint           n_links;
  FlowLink       *links_by_parent;
} Forest;

static int
compare_link_child (gconstpointer a,
                    gconstpointer b)
{
  const FlowLink *la = a, *lb = b;

  if (la->child != lb->child)
    return la->child < lb->child ? -1 : 1;
  return la->parent < lb->parent ? -1 : la->parent > lb->parent;
}

static int
compare_link_parent (gconstpointer a,
                     gconstpointer b)
{
  const FlowLink *la = a, *lb = b;

  if (la->parent != lb->parent)
    return la->parent < lb->parent ? -1 : 1;
  return la->child < lb->child ? -1 : la->child > lb->child;
}

static void
forest_init (Forest    *forest,
             PwProfile *profile)
{
  guint n_flows = pw_profile_get_n_flows (profile);
  GArray *links = g_array_new (FALSE, FALSE, sizeof (FlowLink));

  forest->profile = profile;
  forest->n_lanes = pw_profile_get_n_lanes (profile);
  forest->lane_offset = g_new0 (gsize, forest->n_lanes + 1);
  for (guint l = 0; l < forest->n_lanes; l++)
    forest->lane_offset[l + 1] = forest->lane_offset[l] + pw_profile_get_lane (profile, l)->n_spans;
  forest->n_spans = forest->lane_offset[forest->n_lanes];

  for (guint f = 0; f < n_flows; f++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, f);
      const PwLane *from, *to;
      FlowLink link;

      if (flow->kind != PW_FLOW_PARENT ||
          flow->from_lane >= forest->n_lanes || flow->to_lane >= forest->n_lanes)
        continue;
      from = pw_profile_get_lane (profile, flow->from_lane);
      to = pw_profile_get_lane (profile, flow->to_lane);
      if (flow->from_span >= from->n_spans || flow->to_span >= to->n_spans)
        continue;
      /* A span that nests on its own lane already has its parent. */
      if (to->span_parent[flow->to_span] != PW_NO_PARENT)
        continue;
      link.parent = forest->lane_offset[flow->from_lane] + flow->from_span;
      link.child = forest->lane_offset[flow->to_lane] + flow->to_span;
      if (link.parent == link.child)
        continue;
      g_array_append_val (links, link);
    }

  g_array_sort (links, compare_link_child);
  /* One parent per child: the first link wins. */
  if (links->len > 1)
    {
      guint out = 1;

      for (guint i = 1; i < links->len; i++)
        if (g_array_index (links, FlowLink, i).child != g_array_index (links, FlowLink, out - 1).child)
          g_array_index (links, FlowLink, out++) = g_array_index (links, FlowLink, i);
      g_array_set_size (links, out);
    }

  forest->n_links = links->len;
  forest->links_by_parent = g_memdup2 (links->data, sizeof (FlowLink) * links->len);
  if (forest->n_links > 0)
    qsort (forest->links_by_parent, forest->n_links, sizeof (FlowLink), compare_link_parent);
  forest->links = (FlowLink *) (void *) g_array_free (links, FALSE);
}

static void
forest_clear (Forest *forest)
{
  g_clear_pointer (&forest->lane_offset, g_free);
  g_clear_pointer (&forest->links, g_free);
  g_clear_pointer (&forest->links_by_parent, g_free);
}

static inline guint
forest_lane_of (const Forest *forest,
                gsize         g)
{
  guint lo = 0, hi = forest->n_lanes;

  /* the last lane whose offset is <= g */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (forest->lane_offset[mid] <= g)
        lo = mid;
      else
        hi = mid;
    }
  while (lo + 1 < forest->n_lanes && forest->lane_offset[lo + 1] <= g)
    lo++;
  return lo;
}

#define NO_SPAN G_MAXSIZE

static gsize
forest_parent (const Forest *forest,
               gsize         g)
{
  guint l = forest_lane_of (forest, g);
  const PwLane *lane = pw_profile_get_lane (forest->profile, l);
  guint s = g - forest->lane_offset[l];
  guint lo = 0, hi = forest->n_links;

  if (lane->span_parent[s] != PW_NO_PARENT)
    return forest->lane_offset[l] + lane->span_parent[s];

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (forest->links[mid].child < g)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < forest->n_links && forest->links[lo].child == g)
    return forest->links[lo].parent;

  return NO_SPAN;
}

static inline gint64
span_start (const Forest *forest,
            gsize         g)
{
  guint l = forest_lane_of (forest, g);

  return pw_profile_get_lane (forest->profile, l)->span_start[g - forest->lane_offset[l]];
}

static inline gint64
span_dur (const Forest *forest,
          gsize         g)
{
  guint l = forest_lane_of (forest, g);

  return pw_profile_get_lane (forest->profile, l)->span_dur[g - forest->lane_offset[l]];
}

static inline gint64
span_cpu (const Forest *forest,
          gsize         g)
{
  guint l = forest_lane_of (forest, g);

  return pw_profile_get_lane (forest->profile, l)->span_cpu[g - forest->lane_offset[l]];
}

static inline const char *
span_name (const Forest *forest,
           gsize         g)
{
  guint l = forest_lane_of (forest, g);

  return pw_profile_get_string (forest->profile,
                                pw_profile_get_lane (forest->profile, l)->span_name[g - forest->lane_offset[l]]);
}

static int
compare_span_start (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const Forest *forest = user_data;
  gsize ga = *(const gsize *) a, gb = *(const gsize *) b;
  gint64 sa = span_start (forest, ga), sb = span_start (forest, gb);

  if (sa != sb)
    return sa < sb ? -1 : 1;
  return ga < gb ? -1 : ga > gb;
}

/* Children on the span's own lane, then those linked by parent flows. */
static void
forest_append_children (const Forest *forest,
                        gsize         g,
                        GArray       *out)
{
  guint l = forest_lane_of (forest, g);
  const PwLane *lane = pw_profile_get_lane (forest->profile, l);
  guint s = g - forest->lane_offset[l];
  gint64 end = lane->span_start[s] + lane->span_dur[s];
  guint lo = 0, hi = forest->n_links;

  for (guint i = s + 1; i < lane->n_spans && lane->span_start[i] <= end; i++)
    if (lane->span_parent[i] == (gint32) s)
      {
        gsize child = forest->lane_offset[l] + i;
        g_array_append_val (out, child);
      }

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (forest->links_by_parent[mid].parent < g)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (; lo < forest->n_links && forest->links_by_parent[lo].parent == g; lo++)
    g_array_append_val (out, forest->links_by_parent[lo].child);
}

/* ------------------------------------------------------------------ */
/* Choosing the phases                                                 */

/* Time the lane's root spans cover (their union). */
static gint64
lane_root_coverage (const PwLane *lane)
{
  gint64 covered = 0, cur_start = 0, cur_end = G_MININT64;

  for (guint i = 0; i < lane->n_spans; i++)
    {
      gint64 start = lane->span_start[i], end = start + lane->span_dur[i];

      if (lane->span_parent[i] != PW_NO_PARENT)
        continue;
      if (start > cur_end)
        {
          if (cur_end > cur_start)
            covered += cur_end - cur_start;
          cur_start = start;
          cur_end = end;
        }
      else if (end > cur_end)
        cur_end = end;
    }
  if (cur_end > cur_start)
    covered += cur_end - cur_start;

  return covered;
}

/* A lane that holds nothing but one span covering nearly the whole run,
 * with no children anywhere: a profiler's own window ("PyTorch Profiler
 * (0)" on a lane of its own). It wraps the run instead of doing work. */
static gboolean
is_wrapper_lane (const Forest *forest,
                 guint         l)
{
  const PwLane *lane = pw_profile_get_lane (forest->profile, l);
  gint64 duration = pw_profile_get_duration_ns (forest->profile);
  g_autoptr(GArray) children = NULL;

  if (lane->n_spans != 1 || (double) lane->span_dur[0] < DOMINANT_FRACTION * (double) duration)
    return FALSE;
  children = g_array_new (FALSE, FALSE, sizeof (gsize));
  forest_append_children (forest, forest->lane_offset[l], children);
  return children->len == 0;
}

static gint
find_main_lane (const Forest *forest,
                gint64       *busy_out)
{
  PwProfile *profile = forest->profile;
  gint best = -1;
  gint64 best_busy = -1;
  gboolean only_async = TRUE;
  guint n_working = 0;

  /* Async tracks often hold state markers that last the whole run
   * ("visible", "audio playing"): a thread or a service is the main lane
   * whenever one has spans. */
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->n_spans > 0 && lane->kind != PW_LANE_ASYNC)
        only_async = FALSE;
    }
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->n_spans > 0 && (only_async || lane->kind != PW_LANE_ASYNC) &&
          !is_wrapper_lane (forest, l))
        n_working++;
    }

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      gint64 busy;

      if (lane->n_spans == 0 || (!only_async && lane->kind == PW_LANE_ASYNC))
        continue;
      if (n_working > 0 && is_wrapper_lane (forest, l))
        continue;
      busy = lane_root_coverage (lane);
      if (busy > best_busy)
        {
          best_busy = busy;
          best = l;
        }
    }

  *busy_out = MAX (best_busy, 0);
  return best;
}

static char *
lane_label (PwProfile *profile,
            guint      l)
{
  return pw_lane_describe (profile, pw_profile_get_lane (profile, l));
}

/* Default rule: the main lane's roots; a root that dominates the lane is
 * replaced by its children, as long as one span dominates. */
static void
select_default (const Forest *forest,
                GArray       *phases,
                char        **description)
{
  PwProfile *profile = forest->profile;
  gint64 busy = 0;
  gint main_lane = find_main_lane (forest, &busy);
  const PwLane *lane;
  g_autofree char *label = NULL;
  g_autofree char *descended = NULL;

  if (main_lane < 0)
    {
      *description = g_strdup (_("no spans: this profile has no phases"));
      return;
    }

  lane = pw_profile_get_lane (profile, main_lane);
  label = lane_label (profile, main_lane);
  for (guint i = 0; i < lane->n_spans; i++)
    if (lane->span_parent[i] == PW_NO_PARENT)
      {
        gsize g = forest->lane_offset[main_lane] + i;
        g_array_append_val (phases, g);
      }

  for (guint round = 0; round < MAX_CHAIN; round++)
    {
      g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (gsize));
      guint dominant = G_MAXUINT;
      gint64 longest = -1;

      for (guint i = 0; i < phases->len; i++)
        {
          gint64 dur = span_dur (forest, g_array_index (phases, gsize, i));

          if (dur > longest)
            {
              longest = dur;
              dominant = i;
            }
        }
      if (dominant == G_MAXUINT || (double) longest < DOMINANT_FRACTION * (double) busy)
        break;

      forest_append_children (forest, g_array_index (phases, gsize, dominant), children);
      if (children->len == 0)
        break;

      g_free (descended);
      descended = g_strdup (span_name (forest, g_array_index (phases, gsize, dominant)));
      g_array_remove_index (phases, dominant);
      g_array_append_vals (phases, children->data, children->len);
      g_array_sort_with_data (phases, compare_span_start, (gpointer) forest);
    }

  if (descended != NULL)
    /* Translators: the phases are the children of a span named %s */
    *description = g_strdup_printf (_("children of “%s” on lane %s"), descended, label);
  else
    *description = g_strdup_printf (_("top-level spans of lane %s"), label);
}

static void
select_depth (const Forest *forest,
              guint         depth,
              GArray       *phases,
              char        **description)
{
  gint64 busy = 0;
  gint main_lane = find_main_lane (forest, &busy);
  const PwLane *lane;
  g_autofree guint16 *nest = NULL;
  g_autofree char *label = NULL;

  if (main_lane < 0)
    {
      *description = g_strdup (_("no spans: this profile has no phases"));
      return;
    }

  lane = pw_profile_get_lane (forest->profile, main_lane);
  label = lane_label (forest->profile, main_lane);
  /* Nesting depth, not the row: overlapping siblings get rows of their own. */
  nest = g_new (guint16, MAX (lane->n_spans, 1));
  for (guint i = 0; i < lane->n_spans; i++)
    {
      gint32 p = lane->span_parent[i];

      nest[i] = p == PW_NO_PARENT ? 0 : MIN (nest[p] + 1, G_MAXUINT16);
      if (nest[i] == depth)
        {
          gsize g = forest->lane_offset[main_lane] + i;
          g_array_append_val (phases, g);
        }
    }

  *description = g_strdup_printf (_("spans at depth %u of lane %s"), depth, label);
}

static gboolean
name_matches (GPatternSpec *spec,
              const char   *pattern,
              const char   *name)
{
  if (spec != NULL)
    return g_pattern_spec_match_string (spec, name);
  return strstr (name, pattern) != NULL;
}

static void
select_match (const Forest *forest,
              const char   *pattern,
              GArray       *phases,
              char        **description)
{
  PwProfile *profile = forest->profile;
  guint n_strings = pw_profile_get_n_strings (profile);
  g_autofree guint8 *memo = g_new0 (guint8, MAX (n_strings, 1));  /* 0 unknown, 1 no, 2 yes */
  g_autoptr(GPatternSpec) spec = NULL;

  if (pattern == NULL)
    pattern = "";
  if (strpbrk (pattern, "*?") != NULL)
    spec = g_pattern_spec_new (pattern);

  for (guint l = 0; l < forest->n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      g_autofree guint8 *inside = g_new0 (guint8, MAX (lane->n_spans, 1));

      for (guint i = 0; i < lane->n_spans; i++)
        {
          guint32 name = lane->span_name[i];
          gint32 p = lane->span_parent[i];
          gboolean match;

          if (name < n_strings && memo[name] != 0)
            match = memo[name] == 2;
          else
            {
              match = name_matches (spec, pattern, pw_profile_get_string (profile, name));
              if (name < n_strings)
                memo[name] = match ? 2 : 1;
            }

          /* Only the outermost match: a phase never holds another. */
          if (p != PW_NO_PARENT && inside[p])
            {
              inside[i] = 1;
              continue;
            }
          if (match)
            {
              gsize g = forest->lane_offset[l] + i;

              inside[i] = 1;
              g_array_append_val (phases, g);
            }
        }
    }

  g_array_sort_with_data (phases, compare_span_start, (gpointer) forest);
  *description = g_strdup_printf (_("spans matching “%s”"), pattern);
}

/* The children of the longest span that has no parent at all (not even a
 * parent link from another service). */
static void
select_distributed (const Forest *forest,
                    GArray       *phases,
                    char        **description)
{
  PwProfile *profile = forest->profile;
  gsize root = NO_SPAN;
  gint64 longest = -1;
  gboolean services = FALSE;

  for (guint l = 0; l < forest->n_lanes; l++)
    services |= pw_profile_get_lane (profile, l)->kind == PW_LANE_SERVICE;

  for (guint l = 0; l < forest->n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (services && lane->kind != PW_LANE_SERVICE)
        continue;
      for (guint i = 0; i < lane->n_spans; i++)
        {
          gsize g = forest->lane_offset[l] + i;

          if (lane->span_parent[i] != PW_NO_PARENT || lane->span_dur[i] <= longest)
            continue;
          if (forest_parent (forest, g) != NO_SPAN)
            continue;
          longest = lane->span_dur[i];
          root = g;
        }
    }

  if (root == NO_SPAN)
    {
      *description = g_strdup (_("no spans: this profile has no phases"));
      return;
    }

  forest_append_children (forest, root, phases);
  g_array_sort_with_data (phases, compare_span_start, (gpointer) forest);
  if (phases->len == 0)
    g_array_append_val (phases, root);
  *description = g_strdup_printf (_("children of the trace root “%s”"), span_name (forest, root));
}

/* ------------------------------------------------------------------ */
/* Figures                                                             */

typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

typedef struct
{
  gint64 start;
  gint64 end;
  gint64 cpu;
} CpuSpan;

typedef struct
{
  guint32 phase;
  guint32 lane;
  gint64  start;
  gint64  end;
  gint64  cpu;        /* -1 unless the span is the root-most with CPU time */
} Owned;

typedef struct
{
  gint64 time;
  gint   delta;
} Edge;

typedef struct
{
  GArray  *busy;       /* Interval: union of unowned spans, disjoint, sorted */
  GArray  *cpu;        /* CpuSpan: root-most unowned spans with CPU, by start */
  gint64  *cpu_max_end; /* running maximum of cpu[].end */
  guint32 *n_unowned;  /* prefix counts of unowned spans, n_spans + 1 */
} LaneIndex;

static int
compare_edge (gconstpointer a,
              gconstpointer b)
{
  const Edge *ea = a, *eb = b;

  if (ea->time != eb->time)
    return ea->time < eb->time ? -1 : 1;
  /* ends before starts: touching intervals are not concurrent */
  return ea->delta - eb->delta;
}

/* First index whose start is >= t. */
static guint
lower_bound_start (const gint64 *starts,
                   guint         n,
                   gint64        t)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (starts[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gint64
prorate (gint64 start,
         gint64 end,
         gint64 cpu,
         gint64 w0,
         gint64 w1)
{
  gint64 a = MAX (start, w0), b = MIN (end, w1);

  if (end <= start)
    return (start >= w0 && start < w1) ? cpu : 0;
  if (b <= a)
    return 0;
  if (a == start && b == end)
    return cpu;
  return (gint64) llround ((double) cpu * (double) (b - a) / (double) (end - start));
}

/* Adds a clipped interval to a running union; flushes finished pieces
 * into the task sum and the sweep's edges. */
typedef struct
{
  gint64  cur_start;
  gint64  cur_end;
  gboolean open;
  gint64  sum;
  GArray *edges;
} Union;

static void
union_flush (Union *u)
{
  if (u->open && u->cur_end > u->cur_start)
    {
      Edge e1 = { u->cur_start, +1 }, e2 = { u->cur_end, -1 };

      u->sum += u->cur_end - u->cur_start;
      g_array_append_val (u->edges, e1);
      g_array_append_val (u->edges, e2);
    }
  u->open = FALSE;
}

static void
union_add (Union  *u,
           gint64  start,
           gint64  end)
{
  if (end <= start)
    return;
  if (u->open && start <= u->cur_end)
    {
      u->cur_end = MAX (u->cur_end, end);
      return;
    }
  union_flush (u);
  u->open = TRUE;
  u->cur_start = start;
  u->cur_end = end;
}

static void
sweep (GArray  *edges,
       gint64   w0,
       gint64   w1,
       PwPhase *phase)
{
  gint count = 0;
  gint64 last = w0;
  gint64 wall = w1 - w0;

  g_array_sort (edges, compare_edge);
  phase->max_concurrency = 0;
  phase->idle_ns = 0;
  memset (phase->concurrency, 0, sizeof phase->concurrency);

  for (guint i = 0; i <= edges->len; i++)
    {
      gint64 t = i < edges->len ? g_array_index (edges, Edge, i).time : w1;

      if (t > last && wall > 0)
        {
          if (count == 0)
            phase->idle_ns += t - last;
          else
            {
              /* spread count × (last, t) over the buckets it covers */
              double b0 = (double) (last - w0) * PW_PHASE_N_BUCKETS / (double) wall;
              double b1 = (double) (t - w0) * PW_PHASE_N_BUCKETS / (double) wall;
              guint k0 = MIN ((guint) b0, PW_PHASE_N_BUCKETS - 1);
              guint k1 = MIN ((guint) b1, PW_PHASE_N_BUCKETS - 1);

              for (guint k = k0; k <= k1; k++)
                {
                  double lo = MAX (b0, (double) k), hi = MIN (b1, (double) k + 1.0);

                  if (hi > lo)
                    phase->concurrency[k] += (float) (count * (hi - lo));
                }
            }
          last = t;
        }
      if (i < edges->len)
        {
          count += g_array_index (edges, Edge, i).delta;
          if (count > 0 && (guint) count > phase->max_concurrency)
            phase->max_concurrency = count;
        }
    }
}

static void
explain (PwPhases *self,
         PwPhase  *phase)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *wall = pw_format_duration (phase->wall_ns);
  g_autofree char *task = pw_format_duration (phase->task_ns);
  g_autofree char *cpu = phase->cpu_ns >= 0 ? pw_format_duration (phase->cpu_ns) : NULL;
  g_autofree char *idle = pw_format_duration (phase->idle_ns);
  gboolean parallel = phase->parallelism >= PARALLEL_MIN;

  if (phase->wall_ns < EXPLAIN_MIN_NS)
    return;

  if (parallel)
    g_string_append_printf (text,
                            /* Translators: "32 tasks ran in parallel: 7.10 s of task time in 0.37 s of wall time (19.4×)" */
                            _("%u tasks ran in parallel: %s of task time in %s of wall time (%.1f×)"),
                            phase->max_concurrency, task, wall, phase->parallelism);

  if (phase->cpu_ns >= 0)
    {
      gint64 busy = MAX (phase->wall_ns, phase->task_ns);

      if ((double) phase->cpu_ns < WAITING_MAX_CPU * (double) busy)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          if (parallel)
            g_string_append_printf (text,
                                    _("task time %s but CPU %s: the tasks are waiting (I/O, network, locks), not computing"),
                                    task, cpu);
          else
            g_string_append_printf (text,
                                    _("wall %s but CPU %s: this phase is waiting (I/O, network, locks), not computing"),
                                    wall, cpu);
        }
      else if ((double) phase->cpu_ns > MULTICORE_MIN * (double) phase->wall_ns)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text,
                                  _("CPU %s in %s of wall time: %.1f cores busy on average"),
                                  cpu, wall, (double) phase->cpu_ns / (double) phase->wall_ns);
        }
    }

  if (phase->idle_ns >= EXPLAIN_MIN_NS &&
      (double) phase->idle_ns >= IDLE_MIN_FRACTION * (double) phase->wall_ns)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("for %s of the phase (%.0f %%) no lane was busy, apart from the phase's own span"),
                              idle, 100.0 * (double) phase->idle_ns / (double) phase->wall_ns);
    }

  if (text->len > 0)
    phase->explanation = g_string_chunk_insert (self->strings, text->str);
}

static void
finish_phase (PwPhases *self,
              PwPhase  *phase)
{
  phase->parallelism = phase->wall_ns > 0 ? (double) phase->task_ns / (double) phase->wall_ns : 0.0;
  phase->mean_concurrency = phase->parallelism;
  phase->share = self->total_wall > 0 ? (double) phase->wall_ns / (double) self->total_wall : 0.0;
  explain (self, phase);
}

/* Merges same-named phases: one row per name, in order of first start. */
static void
group_phases (PwPhases *self)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *grouped = g_array_new (FALSE, TRUE, sizeof (PwPhase));

  for (guint i = 0; i < self->phases->len; i++)
    {
      const PwPhase *p = &g_array_index (self->phases, PwPhase, i);
      gpointer found;
      PwPhase *g;

      if (g_hash_table_lookup_extended (by_name, p->name, NULL, &found))
        {
          g = &g_array_index (grouped, PwPhase, GPOINTER_TO_UINT (found));
          g->end_ns = MAX (g->end_ns, p->end_ns);
          g->wall_ns += p->wall_ns;
          if (p->cpu_ns >= 0)
            g->cpu_ns = MAX (g->cpu_ns, 0) + p->cpu_ns;
          g->task_ns += p->task_ns;
          g->idle_ns += p->idle_ns;
          g->max_concurrency = MAX (g->max_concurrency, p->max_concurrency);
          g->n_spans += p->n_spans;
          g->n_iterations++;
          g->span = -1;
          for (guint k = 0; k < PW_PHASE_N_BUCKETS; k++)
            g->concurrency[k] += p->concurrency[k];
        }
      else
        {
          g_hash_table_insert (by_name, (gpointer) p->name, GUINT_TO_POINTER (grouped->len));
          g_array_append_val (grouped, *p);
        }
    }

  for (guint i = 0; i < grouped->len; i++)
    {
      PwPhase *g = &g_array_index (grouped, PwPhase, i);

      for (guint k = 0; k < PW_PHASE_N_BUCKETS; k++)
        g->concurrency[k] /= (float) g->n_iterations;
      g->explanation = NULL;
      finish_phase (self, g);
    }

  g_array_unref (self->phases);
  self->phases = grouped;
}

static PwPhases *
compute (PwProfile             *profile,
         const PwPhasesOptions *options,
         GCancellable          *cancellable,
         GError               **error)
{
  g_autoptr(PwPhases) self = pw_phases_new (profile);
  Forest forest = { 0 };
  g_autoptr(GArray) selected = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) owned = NULL;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autoptr(GHashTable) phase_set = g_hash_table_new (NULL, NULL);
  g_autofree gint32 *owner = NULL;
  g_autofree guint8 *flags = NULL;
  g_autofree guint8 *cpu_above = NULL;
  g_autofree guint *owned_offset = NULL;
  LaneIndex *index = NULL;
  gboolean is_range = options->mode == PW_PHASES_RANGE;
  gint main_lane = -1;
  gint64 main_busy = 0;
  guint n_phases;
  gboolean truncated = FALSE;
  gboolean only_async = TRUE;

  forest_init (&forest, profile);
  for (guint l = 0; l < forest.n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      if (lane->n_spans > 0 && lane->kind != PW_LANE_ASYNC)
        only_async = FALSE;
    }

  switch (options->mode)
    {
    case PW_PHASES_DEPTH:
      select_depth (&forest, options->depth, selected, &self->description);
      break;
    case PW_PHASES_MATCH:
      select_match (&forest, options->pattern, selected, &self->description);
      break;
    case PW_PHASES_DISTRIBUTED:
      select_distributed (&forest, selected, &self->description);
      break;
    case PW_PHASES_RANGE:
      {
        g_autofree char *a = pw_format_duration (options->range_start);
        g_autofree char *b = pw_format_duration (options->range_end);

        if (options->range_end < options->range_start)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("The range ends (%s) before it starts (%s)"), b, a);
            forest_clear (&forest);
            return NULL;
          }
        self->description = g_strdup_printf (_("the range %s – %s"), a, b);
        main_lane = find_main_lane (&forest, &main_busy);
      }
      break;
    case PW_PHASES_DEFAULT:
    default:
      select_default (&forest, selected, &self->description);
      break;
    }

  /* Instants recorded as zero-length spans are no phases of the run. */
  if (options->mode == PW_PHASES_DEFAULT || options->mode == PW_PHASES_DEPTH)
    {
      guint out = 0;

      for (guint i = 0; i < selected->len; i++)
        if (span_dur (&forest, g_array_index (selected, gsize, i)) > 0)
          g_array_index (selected, gsize, out++) = g_array_index (selected, gsize, i);
      if (out > 0)
        g_array_set_size (selected, out);
    }

  if (selected->len > MAX_PHASES)
    {
      g_array_set_size (selected, MAX_PHASES);
      truncated = TRUE;
    }

  /* Phases never nest: drop one that sits inside another (through flows,
   * or a pattern that matches on several lanes), and mark the containers
   * of the rest, which are never task time. */
  owner = g_new (gint32, MAX (forest.n_spans, 1));
  flags = g_new0 (guint8, MAX (forest.n_spans, 1));
  for (gsize g = 0; g < forest.n_spans; g++)
    owner[g] = OWNER_UNRESOLVED;
  for (guint i = 0; i < selected->len; i++)
    g_hash_table_add (phase_set, (gpointer) (guintptr) (g_array_index (selected, gsize, i) + 1));

  n_phases = 0;
  for (guint i = 0; i < selected->len; i++)
    {
      gsize g = g_array_index (selected, gsize, i);
      gsize p = g;
      gboolean nested = FALSE;

      if (flags[g] & FLAG_PHASE)
        continue;  /* listed twice */
      for (guint steps = 0; steps < MAX_CHAIN; steps++)
        {
          p = forest_parent (&forest, p);
          if (p == NO_SPAN || p == g)
            break;
          if (g_hash_table_contains (phase_set, (gpointer) (guintptr) (p + 1)))
            {
              nested = TRUE;
              break;
            }
        }
      if (nested)
        continue;

      flags[g] |= FLAG_PHASE;
      owner[g] = n_phases;
      g_array_index (selected, gsize, n_phases++) = g;
    }
  g_array_set_size (selected, n_phases);

  for (guint i = 0; i < n_phases; i++)
    {
      gsize p = g_array_index (selected, gsize, i);

      for (guint steps = 0; steps < MAX_CHAIN; steps++)
        {
          p = forest_parent (&forest, p);
          if (p == NO_SPAN || (flags[p] & FLAG_CONTAINER))
            break;
          flags[p] |= FLAG_CONTAINER;
          owner[p] = OWNER_NONE;
        }
    }

  /* A profiler's own window wraps every phase like an ancestor. */
  if (options->mode == PW_PHASES_DEFAULT || options->mode == PW_PHASES_DEPTH || is_range)
    for (guint l = 0; l < forest.n_lanes; l++)
      if (is_wrapper_lane (&forest, l) && !(flags[forest.lane_offset[l]] & FLAG_PHASE))
        {
          flags[forest.lane_offset[l]] |= FLAG_CONTAINER;
          owner[forest.lane_offset[l]] = OWNER_NONE;
        }

  /* A range's containers: what encloses the whole range on the main lane. */
  if (is_range && main_lane >= 0)
    {
      const PwLane *lane = pw_profile_get_lane (profile, main_lane);

      for (guint i = 0; i < lane->n_spans && lane->span_start[i] <= options->range_start; i++)
        if (lane->span_start[i] + lane->span_dur[i] >= options->range_end)
          flags[forest.lane_offset[main_lane] + i] |= FLAG_CONTAINER;
    }

  /* Every span's phase: the nearest phase up its parent links. */
  {
    g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (gsize));

    for (gsize g = 0; g < forest.n_spans; g++)
      {
        gsize cur = g;
        gint32 value = OWNER_NONE;

        if (owner[g] != OWNER_UNRESOLVED)
          continue;
        g_array_set_size (path, 0);
        while (path->len < MAX_CHAIN)
          {
            if (owner[cur] == OWNER_VISITING)
              {
                value = OWNER_NONE;  /* a cycle of parent flows */
                break;
              }
            if (owner[cur] != OWNER_UNRESOLVED)
              {
                value = owner[cur];
                break;
              }
            owner[cur] = OWNER_VISITING;
            g_array_append_val (path, cur);
            cur = forest_parent (&forest, cur);
            if (cur == NO_SPAN)
              {
                value = OWNER_NONE;
                break;
              }
          }
        for (guint k = 0; k < path->len; k++)
          owner[g_array_index (path, gsize, k)] = value;
      }
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      forest_clear (&forest);
      return NULL;
    }

  /* CPU already counted by an enclosing span of the same phase: up the
   * parent links, flows included (a timing JSON parent's CPU time holds
   * its children's on worker lanes). */
  cpu_above = g_new0 (guint8, MAX (forest.n_spans, 1));
  {
    g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (gsize));

    for (gsize g = 0; g < forest.n_spans; g++)
      {
        gsize cur = g;
        guint8 value = ABOVE_NO;

        if (cpu_above[g] != ABOVE_UNKNOWN)
          continue;
        g_array_set_size (path, 0);
        while (path->len < MAX_CHAIN)
          {
            gsize p = forest_parent (&forest, cur);

            g_array_append_val (path, cur);
            cpu_above[cur] = ABOVE_VISITING;
            if (p == NO_SPAN || (flags[p] & FLAG_CONTAINER) || owner[p] != owner[cur])
              {
                value = ABOVE_NO;
                break;
              }
            if (span_cpu (&forest, p) >= 0)
              {
                value = ABOVE_YES;
                break;
              }
            if (cpu_above[p] == ABOVE_VISITING)
              {
                value = ABOVE_NO;  /* a cycle of parent flows */
                break;
              }
            if (cpu_above[p] != ABOVE_UNKNOWN)
              {
                value = cpu_above[p];
                break;
              }
            cur = p;
          }
        /* path[k]'s parent is path[k + 1]: the answer carries down */
        for (guint k = path->len; k > 0; k--)
          {
            gsize node = g_array_index (path, gsize, k - 1);

            if (k < path->len)
              {
                gsize up = g_array_index (path, gsize, k);

                value = (span_cpu (&forest, up) >= 0 || value == ABOVE_YES) ? ABOVE_YES : ABOVE_NO;
              }
            cpu_above[node] = value;
          }
      }
  }

  /* Per lane: the union of the spans that belong to no phase, their
   * root-most CPU spans, and prefix counts; spans that belong to a phase
   * go into one list grouped by phase, then lane, then start. */
  index = g_new0 (LaneIndex, MAX (forest.n_lanes, 1));
  owned = g_array_new (FALSE, FALSE, sizeof (Owned));
  for (guint l = 0; l < forest.n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);
      LaneIndex *li = &index[l];
      /* Async tracks are logical operations ("visible", "animation",
       * a request in flight), not a thread at work: they are no task time
       * when the profile has threads. */
      gboolean skip = lane->kind == PW_LANE_ASYNC && !only_async;
      gsize base = forest.lane_offset[l];
      Interval cur = { 0, G_MININT64 };
      gint64 max_end = G_MININT64;

      li->busy = g_array_new (FALSE, FALSE, sizeof (Interval));
      li->cpu = g_array_new (FALSE, FALSE, sizeof (CpuSpan));
      li->n_unowned = g_new (guint32, lane->n_spans + 1);
      li->n_unowned[0] = 0;

      for (guint i = 0; i < lane->n_spans; i++)
        {
          gsize g = base + i;
          gint64 start = lane->span_start[i], end = start + lane->span_dur[i];
          gboolean container = (flags[g] & FLAG_CONTAINER) != 0;
          gboolean top;

          top = lane->span_cpu[i] >= 0 && cpu_above[g] != ABOVE_YES && !container;
          if (lane->span_cpu[i] >= 0)
            self->has_cpu = TRUE;

          li->n_unowned[i + 1] = li->n_unowned[i];
          if (skip || container || (flags[g] & FLAG_PHASE))
            continue;

          if (owner[g] >= 0)
            {
              Owned o = { owner[g], l, start, end, top ? lane->span_cpu[i] : -1 };
              g_array_append_val (owned, o);
              continue;
            }

          li->n_unowned[i + 1]++;
          if (top)
            {
              CpuSpan c = { start, end, lane->span_cpu[i] };
              g_array_append_val (li->cpu, c);
            }
          if (end > start)
            {
              if (start > cur.end)
                {
                  if (cur.end > cur.start)
                    g_array_append_val (li->busy, cur);
                  cur.start = start;
                  cur.end = end;
                }
              else if (end > cur.end)
                cur.end = end;
            }
        }
      if (cur.end > cur.start)
        g_array_append_val (li->busy, cur);

      li->cpu_max_end = g_new (gint64, MAX (li->cpu->len, 1));
      for (guint k = 0; k < li->cpu->len; k++)
        {
          max_end = MAX (max_end, g_array_index (li->cpu, CpuSpan, k).end);
          li->cpu_max_end[k] = max_end;
        }
    }

  /* Counting sort by phase keeps (lane, start) order inside each phase. */
  owned_offset = g_new0 (guint, n_phases + 1);
  {
    g_autofree Owned *sorted = g_new (Owned, MAX (owned->len, 1));
    g_autofree guint *fill = g_new0 (guint, n_phases + 1);

    for (guint k = 0; k < owned->len; k++)
      owned_offset[g_array_index (owned, Owned, k).phase + 1]++;
    for (guint i = 0; i < n_phases; i++)
      owned_offset[i + 1] += owned_offset[i];
    for (guint k = 0; k < owned->len; k++)
      {
        const Owned *o = &g_array_index (owned, Owned, k);
        sorted[owned_offset[o->phase] + fill[o->phase]++] = *o;
      }
    if (owned->len > 0)
      memcpy (owned->data, sorted, sizeof (Owned) * owned->len);
  }

  for (guint i = 0; i < (is_range ? 1u : n_phases); i++)
    {
      PwPhase phase = { 0 };
      gint64 w0, w1;
      gboolean any_cpu = FALSE;
      gint64 cpu = 0;
      guint o = is_range ? 0 : owned_offset[i];
      guint o_end = is_range ? 0 : owned_offset[i + 1];
      gboolean has_own_span = !is_range;

      if (i % 64 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        break;

      if (is_range)
        {
          w0 = options->range_start;
          w1 = options->range_end;
          phase.name = g_string_chunk_insert (self->strings, _("selection"));
          phase.lane = G_MAXUINT;
          phase.span = -1;
          for (gsize g = 0; g < forest.n_spans && !has_own_span; g++)
            has_own_span = (flags[g] & FLAG_CONTAINER) != 0;
        }
      else
        {
          gsize g = g_array_index (selected, gsize, i);
          guint l = forest_lane_of (&forest, g);
          const PwLane *lane = pw_profile_get_lane (profile, l);
          guint s = g - forest.lane_offset[l];

          w0 = lane->span_start[s];
          w1 = w0 + lane->span_dur[s];
          phase.name = pw_profile_get_string (profile, lane->span_name[s]);
          phase.lane = l;
          phase.span = s;
          if (lane->span_cpu[s] >= 0)
            {
              cpu += lane->span_cpu[s];
              any_cpu = TRUE;
            }
          phase.n_spans = 1 + (o_end - o);
        }

      phase.start_ns = w0;
      phase.end_ns = w1;
      phase.wall_ns = w1 - w0;
      phase.n_iterations = 1;
      g_array_set_size (edges, 0);

      for (guint l = 0; l < forest.n_lanes; l++)
        {
          const PwLane *lane = pw_profile_get_lane (profile, l);
          LaneIndex *li = &index[l];
          Union u = { 0, 0, FALSE, 0, edges };
          guint b = 0, b_end = li->busy->len;
          guint lo, hi;

          /* busy intervals are disjoint, so their ends are sorted too */
          {
            guint a = 0, z = b_end;

            while (a < z)
              {
                guint mid = a + (z - a) / 2;

                if (g_array_index (li->busy, Interval, mid).end <= w0)
                  a = mid + 1;
                else
                  z = mid;
              }
            b = a;
          }

          /* merge this phase's own spans on the lane with the unowned ones */
          while (TRUE)
            {
              const Owned *ow = (o < o_end && g_array_index (owned, Owned, o).lane == l)
                                ? &g_array_index (owned, Owned, o) : NULL;
              const Interval *iv = (b < b_end && g_array_index (li->busy, Interval, b).start < w1)
                                   ? &g_array_index (li->busy, Interval, b) : NULL;

              if (ow == NULL && iv == NULL)
                break;
              if (ow != NULL && (iv == NULL || ow->start <= iv->start))
                {
                  union_add (&u, MAX (ow->start, w0), MIN (ow->end, w1));
                  if (ow->cpu >= 0)
                    {
                      cpu += prorate (ow->start, ow->end, ow->cpu, w0, w1);
                      any_cpu = TRUE;
                    }
                  o++;
                }
              else
                {
                  union_add (&u, MAX (iv->start, w0), MIN (iv->end, w1));
                  b++;
                }
            }
          union_flush (&u);
          phase.task_ns += u.sum;

          /* root-most CPU spans that belong to no phase, prorated */
          if (li->cpu->len > 0)
            {
              const CpuSpan *cs = (const CpuSpan *) (void *) li->cpu->data;
              guint k;

              lo = 0, hi = li->cpu->len;
              while (lo < hi)
                {
                  guint mid = lo + (hi - lo) / 2;

                  if (cs[mid].start < w0)
                    lo = mid + 1;
                  else
                    hi = mid;
                }
              for (k = lo; k > 0 && li->cpu_max_end[k - 1] > w0; k--)
                if (cs[k - 1].end > w0)
                  {
                    cpu += prorate (cs[k - 1].start, cs[k - 1].end, cs[k - 1].cpu, w0, w1);
                    any_cpu = TRUE;
                  }
              for (k = lo; k < li->cpu->len && cs[k].start < w1; k++)
                {
                  cpu += prorate (cs[k].start, cs[k].end, cs[k].cpu, w0, w1);
                  any_cpu = TRUE;
                }
            }

          if (lane->n_spans > 0)
            {
              lo = lower_bound_start (lane->span_start, lane->n_spans, w0);
              hi = lower_bound_start (lane->span_start, lane->n_spans, w1);
              if (w1 == w0)
                hi = lo;
              phase.n_spans += li->n_unowned[hi] - li->n_unowned[lo];
            }
        }

      /* Nothing ran inside: the phase's own span is the work. */
      if (phase.task_ns == 0 && has_own_span && phase.wall_ns > 0)
        {
          Edge e1 = { w0, +1 }, e2 = { w1, -1 };

          phase.task_ns = phase.wall_ns;
          g_array_append_val (edges, e1);
          g_array_append_val (edges, e2);
        }

      sweep (edges, w0, w1, &phase);
      phase.cpu_ns = any_cpu ? cpu : -1;
      finish_phase (self, &phase);
      g_array_append_val (self->phases, phase);
    }

  for (guint l = 0; l < forest.n_lanes; l++)
    {
      g_clear_pointer (&index[l].busy, g_array_unref);
      g_clear_pointer (&index[l].cpu, g_array_unref);
      g_clear_pointer (&index[l].cpu_max_end, g_free);
      g_clear_pointer (&index[l].n_unowned, g_free);
    }
  g_free (index);
  forest_clear (&forest);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (options->group)
    group_phases (self);

  if (truncated)
    {
      g_autofree char *old = g_steal_pointer (&self->description);

      self->description = g_strdup_printf (_("%s (only the first %u)"), old, MAX_PHASES);
    }

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Cache and threading                                                 */

static GMutex cache_lock;

static PwPhases *phases_copy (PwPhases  *src,
                              PwProfile *profile);

static char *
options_key (const PwPhasesOptions *options)
{
  return g_strdup_printf ("pw-phases:%d:%u:%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%d",
                          options->mode,
                          options->mode == PW_PHASES_DEPTH ? options->depth : 0,
                          options->mode == PW_PHASES_MATCH && options->pattern ? options->pattern : "",
                          options->mode == PW_PHASES_RANGE ? options->range_start : 0,
                          options->mode == PW_PHASES_RANGE ? options->range_end : 0,
                          options->group ? 1 : 0);
}

PwPhases *
pw_phases_lookup_cached (PwProfile             *profile,
                         const PwPhasesOptions *options)
{
  g_autofree char *key = NULL;
  PwPhases *found;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  key = options_key (options);
  g_mutex_lock (&cache_lock);
  found = g_object_get_data (G_OBJECT (profile), key);
  if (found != NULL)
    found = phases_copy (found, profile);
  g_mutex_unlock (&cache_lock);

  return found;
}

/* A copy of a result; with profile NULL it refs no profile, which is how
 * the cache stores it on the profile itself without a reference cycle.
 * Names are copied since a profile-less copy may outlive nothing but is
 * simpler to reason about when it owns its strings. */
static PwPhases *
phases_copy (PwPhases  *src,
             PwProfile *profile)
{
  PwPhases *self = g_new0 (PwPhases, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->profile = profile ? g_object_ref (profile) : NULL;
  self->total_wall = src->total_wall;
  self->has_cpu = src->has_cpu;
  self->description = g_strdup (src->description);
  self->strings = g_string_chunk_new (1024);
  self->phases = g_array_sized_new (FALSE, TRUE, sizeof (PwPhase), src->phases->len);
  g_array_append_vals (self->phases, src->phases->data, src->phases->len);
  for (guint i = 0; i < self->phases->len; i++)
    {
      PwPhase *p = &g_array_index (self->phases, PwPhase, i);

      p->name = g_string_chunk_insert_const (self->strings, p->name);
      if (p->explanation != NULL)
        p->explanation = g_string_chunk_insert (self->strings, p->explanation);
    }

  return self;
}

static void
cache_store (PwProfile             *profile,
             const PwPhasesOptions *options,
             PwPhases              *phases)
{
  g_autofree char *key = options_key (options);

  g_mutex_lock (&cache_lock);
  if (g_object_get_data (G_OBJECT (profile), key) == NULL)
    g_object_set_data_full (G_OBJECT (profile), key, phases_copy (phases, NULL),
                            (GDestroyNotify) pw_phases_unref);
  g_mutex_unlock (&cache_lock);
}

static PwPhases *
from_cache (PwProfile             *profile,
            const PwPhasesOptions *options)
{
  return pw_phases_lookup_cached (profile, options);
}

PwPhases *
pw_phases_compute (PwProfile             *profile,
                   const PwPhasesOptions *options,
                   GCancellable          *cancellable,
                   GError               **error)
{
  PwPhasesOptions defaults = { PW_PHASES_DEFAULT };
  PwPhases *self;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  if (options == NULL)
    options = &defaults;

  if ((self = from_cache (profile, options)))
    return self;

  if (!(self = compute (profile, options, cancellable, error)))
    return NULL;

  /* Selections change with every drag: caching each would grow without
   * bound. */
  if (options->mode != PW_PHASES_RANGE)
    cache_store (profile, options, self);
  return self;
}

typedef struct
{
  PwProfile       *profile;
  PwPhasesOptions  options;
  char            *pattern;
} ComputeData;

static void
compute_data_free (gpointer data)
{
  ComputeData *cd = data;

  g_clear_object (&cd->profile);
  g_free (cd->pattern);
  g_free (cd);
}

static void
compute_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *cd = task_data;
  g_autoptr(GError) error = NULL;
  PwPhases *phases = pw_phases_compute (cd->profile, &cd->options, cancellable, &error);

  if (phases == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, phases, (GDestroyNotify) pw_phases_unref);
}

void
pw_phases_compute_async (PwProfile             *profile,
                         const PwPhasesOptions *options,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *cd;
  PwPhases *cached;

  g_return_if_fail (PW_IS_PROFILE (profile));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_phases_compute_async);

  cd = g_new0 (ComputeData, 1);
  cd->profile = g_object_ref (profile);
  if (options != NULL)
    cd->options = *options;
  cd->pattern = g_strdup (cd->options.pattern);
  cd->options.pattern = cd->pattern;
  g_task_set_task_data (task, cd, compute_data_free);

  /* A cached result needs no thread. */
  if ((cached = from_cache (profile, &cd->options)))
    {
      g_task_return_pointer (task, cached, (GDestroyNotify) pw_phases_unref);
      return;
    }

  g_task_run_in_thread (task, compute_worker);
}

PwPhases *
pw_phases_compute_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_phases_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */

JsonNode *
pw_phases_to_json (PwPhases *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total_wall_ns");
  json_builder_add_int_value (builder, self->total_wall);
  json_builder_set_member_name (builder, "selection");
  json_builder_add_string_value (builder, self->description);
  json_builder_set_member_name (builder, "phases");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->phases->len; i++)
    {
      const PwPhase *p = &g_array_index (self->phases, PwPhase, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, p->name);
      json_builder_set_member_name (builder, "start_ns");
      json_builder_add_int_value (builder, p->start_ns);
      json_builder_set_member_name (builder, "wall_ns");
      json_builder_add_int_value (builder, p->wall_ns);
      json_builder_set_member_name (builder, "cpu_ns");
      if (p->cpu_ns >= 0)
        json_builder_add_int_value (builder, p->cpu_ns);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "task_ns");
      json_builder_add_int_value (builder, p->task_ns);
      json_builder_set_member_name (builder, "parallelism");
      json_builder_add_double_value (builder, p->parallelism);
      json_builder_set_member_name (builder, "mean_concurrency");
      json_builder_add_double_value (builder, p->mean_concurrency);
      json_builder_set_member_name (builder, "max_concurrency");
      json_builder_add_int_value (builder, p->max_concurrency);
      json_builder_set_member_name (builder, "idle_ns");
      json_builder_add_int_value (builder, p->idle_ns);
      json_builder_set_member_name (builder, "share");
      json_builder_add_double_value (builder, p->share);
      json_builder_set_member_name (builder, "spans");
      json_builder_add_int_value (builder, (gint64) p->n_spans);
      json_builder_set_member_name (builder, "iterations");
      json_builder_add_int_value (builder, p->n_iterations);
      json_builder_set_member_name (builder, "explanation");
      if (p->explanation != NULL)
        json_builder_add_string_value (builder, p->explanation);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
utf8_width (const char *s)
{
  return (int) g_utf8_strlen (s, -1);
}

/* printf pads by bytes; pad by characters so µ and × line up. */
static void
append_padded (GString    *out,
               const char *s,
               int         width,
               gboolean    right)
{
  int pad = MAX (0, width - utf8_width (s));

  if (right)
    for (int k = 0; k < pad; k++)
      g_string_append_c (out, ' ');
  g_string_append (out, s);
  if (!right)
    for (int k = 0; k < pad; k++)
      g_string_append_c (out, ' ');
}

char *
pw_phases_to_text (PwPhases *self)
{
  GString *out = g_string_new (NULL);
  g_autofree char *total = NULL;
  const char *headers[] = { N_("phase"), N_("wall"), N_("CPU"), N_("task"), N_("parallel"),
                            N_("max conc."), N_("idle"), N_("share"), N_("spans") };
  enum { N_COLS = G_N_ELEMENTS (headers) };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  int widths[N_COLS];
  guint n = self->phases->len;

  g_return_val_if_fail (self != NULL, NULL);

  total = pw_format_duration (self->total_wall);
  g_string_append_printf (out, _("Phases: %s; run wall time %s\n\n"), self->description, total);

  if (n == 0)
    {
      g_string_append (out, _("No phases.\n"));
      return g_string_free (out, FALSE);
    }

  for (guint c = 0; c < N_COLS; c++)
    g_ptr_array_add (cells, g_strdup (_(headers[c])));
  for (guint i = 0; i < n; i++)
    {
      const PwPhase *p = &g_array_index (self->phases, PwPhase, i);

      if (p->n_iterations > 1)
        g_ptr_array_add (cells, g_strdup_printf ("%s ×%u", p->name, p->n_iterations));
      else
        g_ptr_array_add (cells, g_strdup (p->name));
      g_ptr_array_add (cells, pw_format_duration (p->wall_ns));
      g_ptr_array_add (cells, p->cpu_ns >= 0 ? pw_format_duration (p->cpu_ns)
                                             : g_strdup (_("unknown")));
      g_ptr_array_add (cells, pw_format_duration (p->task_ns));
      g_ptr_array_add (cells, g_strdup_printf ("%.2f×", p->parallelism));
      g_ptr_array_add (cells, g_strdup_printf ("%u", p->max_concurrency));
      g_ptr_array_add (cells, pw_format_duration (p->idle_ns));
      g_ptr_array_add (cells, g_strdup_printf ("%.1f %%", 100.0 * p->share));
      g_ptr_array_add (cells, pw_format_count (p->n_spans));
    }

  for (guint c = 0; c < N_COLS; c++)
    {
      widths[c] = 0;
      for (guint r = 0; r <= n; r++)
        widths[c] = MAX (widths[c], utf8_width (g_ptr_array_index (cells, r * N_COLS + c)));
      if (c == 0)
        widths[c] = MIN (widths[c], 40);
    }

  for (guint r = 0; r <= n; r++)
    {
      for (guint c = 0; c < N_COLS; c++)
        {
          const char *cell = g_ptr_array_index (cells, r * N_COLS + c);
          g_autofree char *cut = NULL;

          if (c == 0 && utf8_width (cell) > widths[0])
            {
              g_autofree char *head = g_utf8_substring (cell, 0, widths[0] - 1);

              cell = cut = g_strconcat (head, "…", NULL);
            }
          if (c > 0)
            g_string_append (out, "  ");
          append_padded (out, cell, widths[c], c > 0);
        }
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < n; i++)
    {
      const PwPhase *p = &g_array_index (self->phases, PwPhase, i);
      g_auto(GStrv) lines = NULL;

      if (p->explanation == NULL)
        continue;
      lines = g_strsplit (p->explanation, "\n", -1);
      g_string_append_printf (out, "\n%s:\n", p->name);
      for (guint k = 0; lines[k]; k++)
        g_string_append_printf (out, "  • %s\n", lines[k]);
    }

  if (!self->has_cpu)
    g_string_append_printf (out, "\n%s\n", _("CPU: unknown: this format records no CPU time."));

  return g_string_free (out, FALSE);
}
