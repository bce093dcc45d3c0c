/* pw-timeline-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-timeline"

#include "config.h"

#include <inttypes.h>

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-timeline-layout-private.h"

/* Deep stacks are rare; beyond this the chart shows the outer frames. */
#define MAX_FLAME_DEPTH 512
/* A stack chart never grows past this many boxes (memory bound). */
#define MAX_FLAME_BOXES (32u * 1024u * 1024u)
#define MAX_MATCHES     (4u * 1024u * 1024u)

/* Step functions */

static void
step_function_clear (PwStepFunction *sf)
{
  g_clear_pointer (&sf->time, g_free);
  g_clear_pointer (&sf->value, g_free);
  g_clear_pointer (&sf->integral, g_free);
  sf->n = 0;
}

static void
step_function_finish (PwStepFunction *sf)
{
  sf->integral = g_new (double, MAX (sf->n, 1));
  sf->min = sf->n ? sf->value[0] : 0;
  sf->max = sf->n ? sf->value[0] : 0;
  if (sf->n)
    sf->integral[0] = 0;
  for (guint i = 1; i < sf->n; i++)
    sf->integral[i] = sf->integral[i - 1] + sf->value[i - 1] * (double) (sf->time[i] - sf->time[i - 1]);
  for (guint i = 0; i < sf->n; i++)
    {
      sf->min = MIN (sf->min, sf->value[i]);
      sf->max = MAX (sf->max, sf->value[i]);
    }
}

/* ∫ from time[0] to t */
static double
step_function_integral (const PwStepFunction *sf,
                        gint64                t)
{
  guint lo = 0, hi = sf->n;

  if (sf->n == 0 || t <= sf->time[0])
    return 0;

  /* The last point at or before t. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (sf->time[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  lo--;

  if (lo == sf->n - 1 && t > sf->end)
    t = MAX (sf->end, sf->time[lo]);

  return sf->integral[lo] + sf->value[lo] * (double) (t - sf->time[lo]);
}

double
_pw_step_function_average (const PwStepFunction *sf,
                           gint64                begin,
                           gint64                end)
{
  if (sf->n == 0)
    return 0;

  if (end <= begin)
    end = begin + 1;

  return (step_function_integral (sf, end) - step_function_integral (sf, begin)) / (double) (end - begin);
}

/* Stack charts from samples */

static void
flame_lane_free (PwFlameLane *fl)
{
  if (fl == NULL)
    return;
  g_free (fl->start);
  g_free (fl->dur);
  g_free (fl->cpu);
  g_free (fl->name);
  g_free (fl->zero);
  g_free (fl->parent);
  g_free (fl->depth);
  g_free (fl->row_offsets);
  g_free (fl->row_spans);
  g_free (fl);
}

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
typical_interval (const PwLane *lane)
{
  guint n = MIN (lane->n_samples - 1, 1001u);
  guint step = MAX ((lane->n_samples - 1) / MAX (n, 1u), 1u);
  g_autofree gint64 *d = NULL;
  guint k = 0;

  if (lane->n_samples < 2)
    return PW_NSEC_PER_MSEC;

  d = g_new (gint64, n);
  for (guint i = 0; i + 1 < lane->n_samples && k < n; i += step)
    {
      gint64 diff = lane->sample_time[i + 1] - lane->sample_time[i];

      if (diff > 0)
        d[k++] = diff;
    }
  if (k == 0)
    return PW_NSEC_PER_MSEC;
  qsort (d, k, sizeof (gint64), compare_int64);

  return MAX (d[k / 2], 1);
}

typedef struct
{
  GArray *start, *dur, *name, *parent, *depth;
  GArray *rows[MAX_FLAME_DEPTH];
  guint   n_rows;
} FlameBuild;

static void
flame_open (FlameBuild *b,
            guint       depth,
            gint64      t,
            guint32     frame,
            gint32      parent,
            guint32    *index_out)
{
  guint32 index = b->start->len;
  gint64 zero = 0;
  guint16 d = depth;

  g_array_append_val (b->start, t);
  g_array_append_val (b->dur, zero);
  g_array_append_val (b->name, frame);
  g_array_append_val (b->parent, parent);
  g_array_append_val (b->depth, d);
  if (b->rows[depth] == NULL)
    b->rows[depth] = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (b->rows[depth], index);
  b->n_rows = MAX (b->n_rows, depth + 1);
  *index_out = index;
}

static PwFlameLane *
flame_lane_build (PwProfile    *profile,
                  const PwLane *lane,
                  gboolean     *truncated)
{
  FlameBuild b = { 0 };
  PwFlameLane *fl;
  guint32 open_stack[MAX_FLAME_DEPTH];
  guint32 open_box[MAX_FLAME_DEPTH];
  guint32 path[MAX_FLAME_DEPTH];
  guint open_n = 0;
  gint64 interval = typical_interval (lane);
  gint64 prev_end = G_MININT64;
  guint n, off;

  *truncated = FALSE;
  b.start = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.dur = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.name = g_array_new (FALSE, FALSE, sizeof (guint32));
  b.parent = g_array_new (FALSE, FALSE, sizeof (gint32));
  b.depth = g_array_new (FALSE, FALSE, sizeof (guint16));

  for (guint i = 0; i < lane->n_samples; i++)
    {
      gint64 t = lane->sample_time[i];
      gint64 end;
      guint depth = 0, k = 0;
      guint32 s;
      guint total = 0;

      if (t < 0)
        continue;

      /* A sample lasts until the next one, as in speedscope's time order;
       * but a gap of many intervals means the thread was idle or off the
       * sampler's view: close the boxes after one interval rather than
       * stretching them across it. Samplers jitter, so only long gaps. */
      end = (i + 1 < lane->n_samples) ? lane->sample_time[i + 1] : t + interval;
      if (end < t || end - t > MAX (50 * interval, 10 * PW_NSEC_PER_MSEC))
        end = t + interval;

      for (s = lane->sample_stack[i]; s != PW_NO_STACK && total < 65536; s = pw_profile_get_stack_parent (profile, s))
        total++;
      depth = MIN (total, (guint) MAX_FLAME_DEPTH);
      /* Keep the outermost frames of over-deep stacks. */
      s = lane->sample_stack[i];
      for (guint skip = total; skip > depth; skip--)
        s = pw_profile_get_stack_parent (profile, s);
      for (guint d = depth; d > 0; d--)
        {
          path[d - 1] = s;
          s = pw_profile_get_stack_parent (profile, s);
        }

      if (prev_end == t)
        while (k < open_n && k < depth && open_stack[k] == path[k])
          k++;

      for (guint d = open_n; d > k; d--)
        {
          guint32 box = open_box[d - 1];
          g_array_index (b.dur, gint64, box) = prev_end - g_array_index (b.start, gint64, box);
        }

      if (b.start->len + (depth - k) > MAX_FLAME_BOXES)
        {
          *truncated = TRUE;
          open_n = k;
          break;
        }

      for (guint d = k; d < depth; d++)
        {
          open_stack[d] = path[d];
          flame_open (&b, d, t,
                      pw_profile_get_stack_frame (profile, path[d]),
                      d > 0 ? (gint32) open_box[d - 1] : PW_NO_PARENT,
                      &open_box[d]);
        }
      open_n = depth;
      prev_end = end;
    }

  for (guint d = open_n; d > 0; d--)
    {
      guint32 box = open_box[d - 1];
      g_array_index (b.dur, gint64, box) = prev_end - g_array_index (b.start, gint64, box);
    }

  fl = g_new0 (PwFlameLane, 1);
  n = b.start->len;
  fl->lane = *lane;
  fl->lane.n_spans = n;
  fl->start = (gint64 *) (gpointer) g_array_free (b.start, FALSE);
  fl->dur = (gint64 *) (gpointer) g_array_free (b.dur, FALSE);
  fl->name = (guint32 *) (gpointer) g_array_free (b.name, FALSE);
  fl->parent = (gint32 *) (gpointer) g_array_free (b.parent, FALSE);
  fl->depth = (guint16 *) (gpointer) g_array_free (b.depth, FALSE);
  fl->cpu = g_new (gint64, MAX (n, 1u));
  for (guint i = 0; i < n; i++)
    fl->cpu[i] = -1;
  fl->zero = g_new0 (guint32, MAX (n, 1u));
  fl->row_offsets = g_new (guint32, b.n_rows + 1);
  fl->row_spans = g_new (guint32, MAX (n, 1u));
  off = 0;
  for (guint r = 0; r < b.n_rows; r++)
    {
      fl->row_offsets[r] = off;
      if (b.rows[r])
        {
          memcpy (fl->row_spans + off, b.rows[r]->data, b.rows[r]->len * sizeof (guint32));
          off += b.rows[r]->len;
          g_array_free (b.rows[r], TRUE);
        }
    }
  fl->row_offsets[b.n_rows] = off;

  fl->lane.span_start = fl->start;
  fl->lane.span_dur = fl->dur;
  fl->lane.span_cpu = fl->cpu;
  fl->lane.span_name = fl->name;
  fl->lane.span_category = fl->zero;
  fl->lane.span_args = fl->zero;
  fl->lane.span_parent = fl->parent;
  fl->lane.span_depth = fl->depth;
  fl->lane.n_rows = b.n_rows;
  fl->lane.row_offsets = fl->row_offsets;
  fl->lane.row_spans = fl->row_spans;

  return fl;
}

/* Level of detail for dense rows */

static PwRowLod *
row_lod_build (const PwLane *lane,
               guint         row,
               gint64        duration)
{
  PwRowLod *lod = g_new0 (PwRowLod, 1);
  const guint32 *spans = &lane->row_spans[lane->row_offsets[row]];
  guint n = lane->row_offsets[row + 1] - lane->row_offsets[row];
  gint64 min_long;
  guint k = 0;

  lod->bucket_ns = MAX (duration >> PW_ROW_LOD_BUCKETS_LOG2, 1);
  lod->n_buckets = (guint) (duration / lod->bucket_ns) + 1;
  lod->bits = g_new0 (guint64, (lod->n_buckets + 63) / 64);
  /* The renderer switches to the LOD from four buckets per pixel on, so
   * only spans of that length can be a pixel wide. */
  min_long = 4 * lod->bucket_ns;

  for (guint i = 0; i < n; i++)
    {
      guint s = spans[i];
      gint64 st = MAX (lane->span_start[s], 0);
      gint64 en = st + MAX (lane->span_dur[s], 0);
      guint b0 = (guint) MIN (st / lod->bucket_ns, (gint64) lod->n_buckets - 1);
      guint b1 = (guint) MIN (en / lod->bucket_ns, (gint64) lod->n_buckets - 1);

      for (guint b = b0; b <= b1; b++)
        lod->bits[b / 64] |= G_GUINT64_CONSTANT (1) << (b % 64);
      if (lane->span_dur[s] >= min_long)
        lod->n_long++;
    }

  lod->long_start = g_new (gint64, MAX (lod->n_long, 1u));
  lod->long_end = g_new (gint64, MAX (lod->n_long, 1u));
  lod->long_span = g_new (guint32, MAX (lod->n_long, 1u));
  for (guint i = 0; i < n; i++)
    {
      guint s = spans[i];

      if (lane->span_dur[s] < min_long)
        continue;
      lod->long_start[k] = lane->span_start[s];
      lod->long_end[k] = lane->span_start[s] + lane->span_dur[s];
      lod->long_span[k] = s;
      k++;
    }

  return lod;
}

static void
row_lod_free (PwRowLod *lod)
{
  if (lod == NULL)
    return;
  g_free (lod->bits);
  g_free (lod->match_bits);
  g_free (lod->long_start);
  g_free (lod->long_end);
  g_free (lod->long_span);
  g_free (lod);
}

static void
build_lods (PwTimelineLayout *self)
{
  guint n_drawn = 2 * self->n_lanes;

  self->lod = g_new0 (PwRowLod **, MAX (n_drawn, 1u));
  for (guint l = 0; l < n_drawn; l++)
    {
      const PwLane *lane;

      if (l >= self->n_lanes && self->flame[l] == NULL)
        continue;
      lane = pw_timeline_layout_get_lane (self, l);
      for (guint r = 0; r < lane->n_rows; r++)
        if (lane->row_offsets[r + 1] - lane->row_offsets[r] >= PW_ROW_LOD_MIN_SPANS)
          {
            if (self->lod[l] == NULL)
              self->lod[l] = g_new0 (PwRowLod *, lane->n_rows);
            self->lod[l][r] = row_lod_build (lane, r, self->duration);
          }
    }
}

/* Tracks */

static int
lane_kind_order (PwLaneKind kind)
{
  switch (kind)
    {
    case PW_LANE_ASYNC: return 1;
    case PW_LANE_SERVICE: return 2;
    case PW_LANE_THREAD:
    default: return 0;
    }
}

static int
compare_lanes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  PwProfile *profile = user_data;
  const PwLane *x = pw_profile_get_lane (profile, *(const guint *) a);
  const PwLane *y = pw_profile_get_lane (profile, *(const guint *) b);

  if (x->process_sort_index != y->process_sort_index)
    return x->process_sort_index < y->process_sort_index ? -1 : 1;
  if (x->pid != y->pid)
    return x->pid < y->pid ? -1 : 1;
  if (lane_kind_order (x->kind) != lane_kind_order (y->kind))
    return lane_kind_order (x->kind) - lane_kind_order (y->kind);
  if (x->sort_index != y->sort_index)
    return x->sort_index < y->sort_index ? -1 : 1;
  if (x->tid != y->tid)
    return x->tid < y->tid ? -1 : 1;
  return (*(const guint *) a > *(const guint *) b) - (*(const guint *) a < *(const guint *) b);
}

static const char *
own_label (PwTimelineLayout *self,
           char             *label)
{
  g_ptr_array_add (self->labels, label);
  return label;
}

static const char *
lane_label (PwTimelineLayout *self,
            const PwLane     *lane,
            gboolean          flame)
{
  const char *name = pw_profile_get_string (self->profile, lane->name);
  char *label;

  if (name != NULL && *name != '\0')
    label = g_strdup (name);
  else if (lane->kind == PW_LANE_THREAD)
    label = g_strdup_printf (_("Thread %" PRId64), lane->tid);
  else if (lane->kind == PW_LANE_SERVICE)
    label = g_strdup (_("Service"));
  else if (lane->n_spans > 0 && *pw_profile_get_string (self->profile, lane->span_name[0]) != '\0')
    /* Unnamed async tracks are known by what they trace, as in Perfetto. */
    label = g_strdup (pw_profile_get_string (self->profile, lane->span_name[0]));
  else
    label = g_strdup_printf (_("Async %" PRId64), lane->tid);

  if (flame)
    {
      char *with = g_strdup_printf (_("%s (samples)"), label);
      g_free (label);
      label = with;
    }

  return own_label (self, label);
}

static void
add_process_header (PwTimelineLayout *self,
                    const PwLane     *lane,
                    guint             first_track)
{
  PwTimelineTrack t = { 0 };
  const char *name = pw_profile_get_string (self->profile, lane->process_name);

  t.kind = PW_TRACK_PROCESS;
  t.index = first_track;
  t.pid = lane->pid;
  if (name != NULL && *name != '\0')
    {
      g_autofree char *pid = g_strdup_printf ("%" G_GINT64_FORMAT, lane->pid);

      /* "python 119771", but not "Process 4242 4242" */
      if (strstr (name, pid) != NULL)
        t.label = own_label (self, g_strdup (name));
      else
        t.label = own_label (self, g_strdup_printf ("%s %s", name, pid));
    }
  else if (lane->kind == PW_LANE_SERVICE)
    t.label = own_label (self, g_strdup (_("Services")));
  else
    t.label = own_label (self, g_strdup_printf (_("Process %" PRId64), lane->pid));
  g_array_append_val (self->tracks, t);
}

static void
add_counters_of (PwTimelineLayout *self,
                 gint64            pid,
                 guint8           *done)
{
  guint n = pw_profile_get_n_counters (self->profile);

  for (guint c = 0; c < n; c++)
    {
      const PwCounter *counter = pw_profile_get_counter (self->profile, c);
      PwTimelineTrack t = { 0 };

      if (done[c] || counter->pid != pid || counter->n_points == 0)
        continue;
      done[c] = TRUE;
      t.kind = PW_TRACK_COUNTER;
      t.index = c;
      t.pid = pid;
      t.n_rows = 1;
      t.label = pw_profile_get_string (self->profile, counter->name);
      if (t.label == NULL || *t.label == '\0')
        t.label = _("Counter");
      g_array_append_val (self->tracks, t);
    }
}

static void
build_tracks (PwTimelineLayout *self)
{
  guint n_lanes = pw_profile_get_n_lanes (self->profile);
  guint n_counters = pw_profile_get_n_counters (self->profile);
  g_autofree guint *order = g_new (guint, MAX (n_lanes, 1u));
  g_autofree guint8 *counter_done = g_new0 (guint8, MAX (n_counters, 1u));
  gboolean have_pid = FALSE;
  gint64 pid = 0;

  for (guint i = 0; i < n_lanes; i++)
    order[i] = i;
  g_qsort_with_data (order, n_lanes, sizeof (guint), compare_lanes, self->profile);

  for (guint i = 0; i < n_lanes; i++)
    {
      guint l = order[i];
      const PwLane *lane = pw_profile_get_lane (self->profile, l);
      const PwLane *drawn = pw_timeline_layout_get_lane (self, l);
      PwTimelineTrack t = { 0 };

      if (lane->n_spans == 0 && lane->n_samples == 0 && lane->n_instants == 0)
        continue;

      if (!have_pid || lane->pid != pid)
        {
          if (have_pid)
            add_counters_of (self, pid, counter_done);
          add_process_header (self, lane, self->tracks->len + 1);
          have_pid = TRUE;
          pid = lane->pid;
        }

      t.kind = PW_TRACK_LANE;
      t.index = l;
      t.pid = lane->pid;
      t.flame = lane->n_spans == 0 && lane->n_samples > 0;
      t.n_rows = MAX (drawn->n_rows, 1u);
      t.label = lane_label (self, lane, t.flame);
      if (t.flame && self->flame[l] == NULL)
        t.note = _("Samples without timestamps: see the flame graph");
      self->lane_track[l] = self->tracks->len;
      g_array_append_val (self->tracks, t);

      if (self->flame[n_lanes + l] != NULL)
        {
          PwTimelineTrack st = t;

          st.index = n_lanes + l;
          st.flame = TRUE;
          st.n_rows = MAX (self->flame[n_lanes + l]->lane.n_rows, 1u);
          st.label = lane_label (self, lane, TRUE);
          st.note = NULL;
          self->lane_track[n_lanes + l] = self->tracks->len;
          g_array_append_val (self->tracks, st);
        }
    }
  if (have_pid)
    add_counters_of (self, pid, counter_done);

  /* Counters of processes without lanes get their own group. */
  for (guint c = 0; c < n_counters; c++)
    {
      const PwCounter *counter = pw_profile_get_counter (self->profile, c);
      PwTimelineTrack t = { 0 };

      if (counter_done[c] || counter->n_points == 0)
        continue;
      t.kind = PW_TRACK_PROCESS;
      t.index = self->tracks->len + 1;
      t.pid = counter->pid;
      t.label = own_label (self, g_strdup_printf (_("Process %" PRId64), counter->pid));
      g_array_append_val (self->tracks, t);
      add_counters_of (self, counter->pid, counter_done);
    }
}

static void
relayout (PwTimelineLayout *self)
{
  double y = 0;
  gboolean collapsed = FALSE;

  for (guint i = 0; i < self->tracks->len; i++)
    {
      PwTimelineTrack *t = &g_array_index (self->tracks, PwTimelineTrack, i);

      if (t->kind == PW_TRACK_PROCESS)
        {
          collapsed = t->collapsed;
          t->hidden = FALSE;
          t->height = PW_TIMELINE_PROCESS_HEIGHT;
        }
      else
        {
          t->hidden = collapsed;
          if (collapsed)
            t->height = 0;
          else if (t->kind == PW_TRACK_COUNTER)
            t->height = PW_TIMELINE_COUNTER_HEIGHT + PW_TIMELINE_LANE_GAP;
          else
            t->height = t->n_rows * PW_TIMELINE_ROW_HEIGHT + PW_TIMELINE_LANE_GAP;
        }
      t->y = y;
      y += t->height;
    }

  self->height = y;
}

/* Concurrency: the union of each lane's root spans, summed over lanes. */
static void
build_concurrency (PwTimelineLayout *self)
{
  guint n_lanes = pw_profile_get_n_lanes (self->profile);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  PwStepFunction *sf = &self->concurrency;
  guint i = 0, j = 0, n = 0;
  double count = 0;

  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane = pw_timeline_layout_get_lane (self, l);
      guint32 idle = self->flame[l] != NULL ? self->idle_frame : 0;
      gint64 cur_start = 0, cur_end = G_MININT64;

      for (guint s = 0; s < lane->n_spans; s++)
        {
          gint64 st, en;

          if (lane->span_parent[s] != PW_NO_PARENT || (idle != 0 && lane->span_name[s] == idle))
            continue;
          st = lane->span_start[s];
          en = st + MAX (lane->span_dur[s], 0);
          if (st > cur_end)
            {
              if (cur_end != G_MININT64 && cur_end > cur_start)
                {
                  g_array_append_val (starts, cur_start);
                  g_array_append_val (ends, cur_end);
                }
              cur_start = st;
              cur_end = en;
            }
          else
            cur_end = MAX (cur_end, en);
        }
      if (cur_end != G_MININT64 && cur_end > cur_start)
        {
          g_array_append_val (starts, cur_start);
          g_array_append_val (ends, cur_end);
        }
    }

  /* An empty GArray has no data: qsort must not see its NULL. */
  if (starts->len > 0)
    qsort (starts->data, starts->len, sizeof (gint64), compare_int64);
  if (ends->len > 0)
    qsort (ends->data, ends->len, sizeof (gint64), compare_int64);

  sf->time = g_new (gint64, starts->len + ends->len + 1);
  sf->value = g_new (double, starts->len + ends->len + 1);
  while (i < starts->len || j < ends->len)
    {
      gint64 t;

      if (j >= ends->len || (i < starts->len && g_array_index (starts, gint64, i) < g_array_index (ends, gint64, j)))
        t = g_array_index (starts, gint64, i);
      else
        t = g_array_index (ends, gint64, j);

      while (i < starts->len && g_array_index (starts, gint64, i) == t)
        count++, i++;
      while (j < ends->len && g_array_index (ends, gint64, j) == t)
        count--, j++;

      if (n > 0 && sf->value[n - 1] == count)
        continue;
      sf->time[n] = t;
      sf->value[n] = count;
      n++;
    }
  sf->n = n;
  sf->end = n ? sf->time[n - 1] : 0;
  step_function_finish (sf);
}

static void
build_counters (PwTimelineLayout *self)
{
  guint n = pw_profile_get_n_counters (self->profile);

  self->counters = g_new0 (PwStepFunction, MAX (n, 1u));
  for (guint c = 0; c < n; c++)
    {
      const PwCounter *counter = pw_profile_get_counter (self->profile, c);
      PwStepFunction *sf = &self->counters[c];

      sf->n = counter->n_points;
      sf->time = g_memdup2 (counter->time, sizeof (gint64) * MAX (counter->n_points, 1u));
      sf->value = g_memdup2 (counter->value, sizeof (double) * MAX (counter->n_points, 1u));
      sf->end = self->duration;
      step_function_finish (sf);
    }
}

PwTimelineLayout *
pw_timeline_layout_new (PwProfile *profile)
{
  PwTimelineLayout *self;
  guint n_lanes;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);

  self = g_new0 (PwTimelineLayout, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->profile = g_object_ref (profile);
  self->duration = MAX (pw_profile_get_duration_ns (profile), 1);
  self->tracks = g_array_new (FALSE, FALSE, sizeof (PwTimelineTrack));
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->matches = g_array_new (FALSE, FALSE, sizeof (PwSpanRef));

  n_lanes = self->n_lanes = pw_profile_get_n_lanes (profile);
  /* V8 samples the idle thread as a frame of this name (so do the
   * Firefox and DevTools importers): a stack chart is not busy there. */
  self->idle_frame = pw_profile_lookup_string (profile, "(idle)");
  self->lane_track = g_new (gint, MAX (2 * n_lanes, 1u));
  self->flame = g_new0 (PwFlameLane *, MAX (2 * n_lanes, 1u));
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      self->lane_track[l] = self->lane_track[n_lanes + l] = -1;
      if (lane->n_samples > 0 && lane->sample_time[0] >= 0)
        {
          guint drawn = lane->n_spans == 0 ? l : n_lanes + l;
          gboolean truncated;

          self->flame[drawn] = flame_lane_build (profile, lane, &truncated);
          /* the lane above draws them */
          if (drawn != l)
            self->flame[drawn]->lane.n_instants = 0;
          if (truncated)
            g_warning ("Stack chart of lane %u truncated at %u boxes", l, MAX_FLAME_BOXES);
        }
    }

  build_tracks (self);
  relayout (self);
  build_concurrency (self);
  build_counters (self);
  build_lods (self);

  return self;
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_task_return_pointer (task, pw_timeline_layout_new (task_data),
                         (GDestroyNotify) pw_timeline_layout_unref);
}

void
pw_timeline_layout_new_async (PwProfile           *profile,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_PROFILE (profile));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_timeline_layout_new_async);
  g_task_set_task_data (task, g_object_ref (profile), g_object_unref);
  g_task_run_in_thread (task, layout_thread);
}

PwTimelineLayout *
pw_timeline_layout_new_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PwTimelineLayout *
pw_timeline_layout_ref (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pw_timeline_layout_unref (PwTimelineLayout *self)
{
  guint n_lanes, n_counters;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  n_lanes = 2 * self->n_lanes;
  n_counters = pw_profile_get_n_counters (self->profile);
  for (guint l = 0; l < n_lanes; l++)
    {
      if (self->lod[l] != NULL)
        {
          const PwLane *lane = pw_timeline_layout_get_lane (self, l);

          for (guint r = 0; r < lane->n_rows; r++)
            row_lod_free (self->lod[l][r]);
          g_free (self->lod[l]);
        }
    }
  g_free (self->lod);
  for (guint l = 0; l < n_lanes; l++)
    flame_lane_free (self->flame[l]);
  for (guint c = 0; c < n_counters; c++)
    step_function_clear (&self->counters[c]);
  if (self->label_cache_free && self->label_cache)
    self->label_cache_free (self->label_cache);
  step_function_clear (&self->concurrency);
  g_free (self->counters);
  g_free (self->flame);
  g_free (self->lane_track);
  g_free (self->string_matches);
  g_free (self->string_full);
  g_free (self->overview_heights);
  g_free (self->string_pale);
  g_array_unref (self->matches);
  g_array_unref (self->tracks);
  g_ptr_array_unref (self->labels);
  g_object_unref (self->profile);
  g_free (self);
}

PwProfile *
pw_timeline_layout_get_profile (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->profile;
}

const PwLane *
pw_timeline_layout_get_lane (PwTimelineLayout *self,
                             guint             lane)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (lane < 2 * self->n_lanes, NULL);
  g_return_val_if_fail (lane < self->n_lanes || self->flame[lane] != NULL, NULL);

  if (self->flame[lane] != NULL)
    return &self->flame[lane]->lane;
  return pw_profile_get_lane (self->profile, lane);
}

guint
pw_timeline_layout_get_n_lanes (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return 2 * self->n_lanes;
}

guint
pw_timeline_layout_get_profile_lane (PwTimelineLayout *self,
                                     guint             lane)
{
  g_return_val_if_fail (self != NULL, 0);
  return lane < self->n_lanes ? lane : lane - self->n_lanes;
}

guint
pw_timeline_layout_get_n_tracks (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tracks->len;
}

const PwTimelineTrack *
pw_timeline_layout_get_track (PwTimelineLayout *self,
                              guint             track)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (track < self->tracks->len, NULL);
  return &g_array_index (self->tracks, PwTimelineTrack, track);
}

gint
pw_timeline_layout_find_lane_track (PwTimelineLayout *self,
                                    guint             lane)
{
  g_return_val_if_fail (self != NULL, -1);
  if (lane >= 2 * self->n_lanes)
    return -1;
  return self->lane_track[lane];
}

gint
pw_timeline_layout_find_track_at (PwTimelineLayout *self,
                                  double            y)
{
  guint lo = 0, hi;
  const PwTimelineTrack *tracks;

  g_return_val_if_fail (self != NULL, -1);

  tracks = (const PwTimelineTrack *) (gpointer) self->tracks->data;
  hi = self->tracks->len;
  if (y < 0 || y >= self->height)
    return -1;

  /* The last track starting at or above y; hidden tracks have no height. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (tracks[mid].y <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  while (lo > 0 && tracks[lo - 1].height <= 0)
    lo--;

  return lo > 0 ? (gint) lo - 1 : -1;
}

double
pw_timeline_layout_get_height (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

gint64
pw_timeline_layout_get_duration (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->duration;
}

void
pw_timeline_layout_set_process_collapsed (PwTimelineLayout *self,
                                          gint64            pid,
                                          gboolean          collapsed)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->tracks->len; i++)
    {
      PwTimelineTrack *t = &g_array_index (self->tracks, PwTimelineTrack, i);

      if (t->kind == PW_TRACK_PROCESS && t->pid == pid)
        t->collapsed = !!collapsed;
    }
  relayout (self);
}

gboolean
pw_timeline_layout_get_process_collapsed (PwTimelineLayout *self,
                                          gint64            pid)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->tracks->len; i++)
    {
      const PwTimelineTrack *t = &g_array_index (self->tracks, PwTimelineTrack, i);

      if (t->kind == PW_TRACK_PROCESS && t->pid == pid)
        return t->collapsed;
    }
  return FALSE;
}

gboolean
pw_timeline_layout_get_span_box (PwTimelineLayout *self,
                                 PwSpanRef         ref,
                                 double           *y,
                                 double           *height)
{
  const PwTimelineTrack *t;
  const PwLane *lane;
  gint track;

  g_return_val_if_fail (self != NULL, FALSE);

  track = pw_timeline_layout_find_lane_track (self, ref.lane);
  if (track < 0)
    return FALSE;
  t = pw_timeline_layout_get_track (self, track);
  lane = pw_timeline_layout_get_lane (self, ref.lane);
  if (t->hidden || ref.span >= lane->n_spans)
    return FALSE;

  *y = t->y + lane->span_depth[ref.span] * PW_TIMELINE_ROW_HEIGHT;
  *height = PW_TIMELINE_ROW_HEIGHT;
  return TRUE;
}

/* Search */

static int
compare_matches (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  PwTimelineLayout *self = user_data;
  const PwSpanRef *x = a, *y = b;
  gint64 sx = pw_timeline_layout_get_lane (self, x->lane)->span_start[x->span];
  gint64 sy = pw_timeline_layout_get_lane (self, y->lane)->span_start[y->span];

  if (sx != sy)
    return sx < sy ? -1 : 1;
  if (x->lane != y->lane)
    return x->lane < y->lane ? -1 : 1;
  return (x->span > y->span) - (x->span < y->span);
}

guint
pw_timeline_layout_set_search (PwTimelineLayout *self,
                               const char       *text)
{
  guint n_strings, n_lanes;
  g_autofree char *needle = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (self != NULL, 0);

  g_clear_pointer (&self->string_matches, g_free);
  g_array_set_size (self->matches, 0);
  self->n_matches = 0;
  for (guint l = 0; l < 2 * self->n_lanes; l++)
    if (self->lod[l] != NULL)
      for (guint r = 0; r < pw_timeline_layout_get_lane (self, l)->n_rows; r++)
        if (self->lod[l][r] != NULL)
          g_clear_pointer (&self->lod[l][r]->match_bits, g_free);

  if (text == NULL || *text == '\0')
    return 0;

  needle = g_utf8_casefold (text, -1);
  n_strings = pw_profile_get_n_strings (self->profile);
  self->string_matches = g_new0 (guint8, MAX (n_strings, 1u));
  for (guint i = 1; i < n_strings; i++)
    {
      const char *s = pw_profile_get_string (self->profile, i);
      g_autofree char *folded = NULL;

      if (s == NULL)
        continue;
      folded = g_utf8_casefold (s, -1);
      if (strstr (folded, needle) != NULL)
        self->string_matches[i] = any = TRUE;
    }

  if (!any)
    return 0;

  n_lanes = 2 * self->n_lanes;
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane;

      if (self->lane_track[l] < 0)
        continue;
      lane = pw_timeline_layout_get_lane (self, l);
      for (guint s = 0; s < lane->n_spans; s++)
        if (self->string_matches[lane->span_name[s]])
          {
            PwSpanRef ref = { l, s };

            self->n_matches++;
            if (self->matches->len < MAX_MATCHES)
              g_array_append_val (self->matches, ref);
          }
    }

  g_array_sort_with_data (self->matches, compare_matches, self);

  /* Dense rows seen from afar mark the buckets that hold a match. */
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane;

      if (self->lod[l] == NULL)
        continue;
      lane = pw_timeline_layout_get_lane (self, l);
      for (guint r = 0; r < lane->n_rows; r++)
        {
          PwRowLod *lod = self->lod[l][r];

          if (lod == NULL)
            continue;
          lod->match_bits = g_new0 (guint64, (lod->n_buckets + 63) / 64);
          for (guint i = lane->row_offsets[r]; i < lane->row_offsets[r + 1]; i++)
            {
              guint sp = lane->row_spans[i];
              guint b;

              if (!self->string_matches[lane->span_name[sp]])
                continue;
              b = (guint) MIN (MAX (lane->span_start[sp], 0) / lod->bucket_ns, (gint64) lod->n_buckets - 1);
              lod->match_bits[b / 64] |= G_GUINT64_CONSTANT (1) << (b % 64);
            }
        }
    }

  return self->n_matches;
}

guint
pw_timeline_layout_get_n_matches (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_matches;
}

gboolean
pw_timeline_layout_get_match (PwTimelineLayout *self,
                              guint             index,
                              PwSpanRef        *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (index >= self->matches->len)
    return FALSE;
  *out = g_array_index (self->matches, PwSpanRef, index);
  return TRUE;
}

gboolean
pw_timeline_layout_span_matches (PwTimelineLayout *self,
                                 PwSpanRef         ref)
{
  const PwLane *lane;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->string_matches == NULL || ref.lane >= 2 * self->n_lanes || self->lane_track[ref.lane] < 0)
    return FALSE;
  lane = pw_timeline_layout_get_lane (self, ref.lane);
  return ref.span < lane->n_spans && self->string_matches[lane->span_name[ref.span]];
}

double
pw_timeline_layout_get_concurrency (PwTimelineLayout *self,
                                    gint64            begin,
                                    gint64            end)
{
  g_return_val_if_fail (self != NULL, 0);
  return _pw_step_function_average (&self->concurrency, begin, end);
}

double
pw_timeline_layout_get_max_concurrency (PwTimelineLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->concurrency.max;
}

void
pw_timeline_layout_summarize_range (PwTimelineLayout *self,
                                    gint64            begin,
                                    gint64            end,
                                    PwRangeSummary   *summary)
{
  guint n_lanes;
  double cpu = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  if (end <= begin)
    return;

  summary->wall = end - begin;
  summary->task = (gint64) (_pw_step_function_average (&self->concurrency, begin, end) * (double) (end - begin) + 0.5);
  summary->parallelism = (double) summary->task / (double) summary->wall;

  n_lanes = pw_profile_get_n_lanes (self->profile);
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane = pw_timeline_layout_get_lane (self, l);
      guint32 idle = self->flame[l] != NULL ? self->idle_frame : 0;
      guint first, last;
      gboolean busy = FALSE;

      /* Roots are on row 0, except on lanes laid out by parent links
       * (traces), where overlapping roots take rows of their own. */
      for (guint r = 0; r < lane->n_rows; r++)
        {
          if (!pw_lane_find_row_range (lane, r, begin, end, &first, &last))
            continue;
          for (guint i = first; i < last; i++)
            {
              guint s = lane->row_spans[lane->row_offsets[r] + i];
              gint64 st = lane->span_start[s], dur = lane->span_dur[s];
              gint64 a = MAX (st, begin), b = MIN (st + dur, end);

              if (b <= a || lane->span_parent[s] != PW_NO_PARENT || (idle != 0 && lane->span_name[s] == idle))
                continue;
              busy = TRUE;
              if (lane->span_cpu[s] >= 0 && dur > 0)
                {
                  cpu += (double) lane->span_cpu[s] * (double) (b - a) / (double) dur;
                  summary->cpu_known = TRUE;
                }
            }
        }
      summary->n_lanes_busy += busy;
    }
  summary->cpu = (gint64) (cpu + 0.5);
}
