/* pw-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-profile"

#include "config.h"

#include <string.h>

#include "pw-profile-private.h"

struct _PwProfile
{
  GObject           parent_instance;
  PwProfileContents c;
  guint             n_busy_lanes;
  guint             n_processes;
  guint             n_threads;
  guint64           n_spans;
  guint64           n_samples;
  guint64           n_instants;
};

G_DEFINE_FINAL_TYPE (PwProfile, pw_profile, G_TYPE_OBJECT)

static void
pw_profile_finalize (GObject *object)
{
  PwProfile *self = (PwProfile *)object;
  PwProfileContents *c = &self->c;

  for (guint i = 0; i < c->n_lanes; i++)
    {
      PwLaneData *ld = &c->lanes[i];

      g_free (ld->span_start);
      g_free (ld->span_dur);
      g_free (ld->span_cpu);
      g_free (ld->span_name);
      g_free (ld->span_category);
      g_free (ld->span_args);
      g_free (ld->span_parent);
      g_free (ld->span_depth);
      g_free (ld->row_offsets);
      g_free (ld->row_spans);
      g_free (ld->sample_time);
      g_free (ld->sample_weight);
      g_free (ld->sample_stack);
      g_free (ld->instant_time);
      g_free (ld->instant_name);
    }
  g_free (c->lanes);

  for (guint i = 0; i < c->n_counters; i++)
    {
      g_free (c->counters[i].time);
      g_free (c->counters[i].value);
    }
  g_free (c->counters);

  g_free (c->flows);
  g_free (c->stack_parent);
  g_free (c->stack_frame);
  g_free (c->stack_depth);
  g_clear_pointer (&c->args, pw_args_store_free);
  g_clear_pointer (&c->warnings, g_ptr_array_unref);
  g_clear_pointer (&c->metadata, g_hash_table_unref);
  g_clear_pointer (&c->strings, pw_string_table_free);
  g_free (c->format);
  g_free (c->format_name);
  g_free (c->title);
  g_free (c->sample_unit);
  g_strfreev (c->sample_types);
  g_free (c->sample_type);

  G_OBJECT_CLASS (pw_profile_parent_class)->finalize (object);
}

static void
pw_profile_class_init (PwProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_profile_finalize;
}

static void
pw_profile_init (PwProfile *self)
{
}

PwProfile *
_pw_profile_new_take (PwProfileContents *contents)
{
  PwProfile *self = g_object_new (PW_TYPE_PROFILE, NULL);
  g_autoptr(GHashTable) pids = g_hash_table_new (g_int64_hash, g_int64_equal);

  self->c = *contents;
  memset (contents, 0, sizeof *contents);

  if (self->c.warnings == NULL)
    self->c.warnings = g_ptr_array_new_with_free_func (g_free);
  /* NULL-terminated for pw_profile_get_warnings() */
  g_ptr_array_add (self->c.warnings, NULL);
  if (self->c.metadata == NULL)
    self->c.metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < self->c.n_lanes; i++)
    {
      const PwLane *lane = &self->c.lanes[i].lane;

      self->n_spans += lane->n_spans;
      self->n_samples += lane->n_samples;
      self->n_instants += lane->n_instants;

      if (lane->n_spans > 0 || lane->n_samples > 0)
        {
          self->n_busy_lanes++;
          if (lane->kind == PW_LANE_THREAD)
            self->n_threads++;
        }

      if (lane->n_spans > 0 || lane->n_samples > 0 || lane->n_instants > 0)
        g_hash_table_add (pids, (gpointer) &lane->pid);
    }

  for (guint i = 0; i < self->c.n_counters; i++)
    g_hash_table_add (pids, &self->c.counters[i].counter.pid);

  self->n_processes = g_hash_table_size (pids);

  return self;
}

const char *
pw_profile_get_format (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.format ? self->c.format : "unknown";
}

const char *
pw_profile_get_format_name (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.format_name ? self->c.format_name : pw_profile_get_format (self);
}

const char *
pw_profile_get_title (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.title;
}

gint64
pw_profile_get_start_ns (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.start_ns;
}

gint64
pw_profile_get_duration_ns (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.duration_ns;
}

const char *
pw_profile_get_string (PwProfile *self,
                       guint32    id)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), "");
  return pw_string_table_get (self->c.strings, id);
}

guint32
pw_profile_lookup_string (PwProfile  *self,
                          const char *str)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), G_MAXUINT32);
  return pw_string_table_lookup (self->c.strings, str);
}

guint
pw_profile_get_n_strings (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return pw_string_table_get_size (self->c.strings);
}

guint
pw_profile_get_n_lanes (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.n_lanes;
}

const PwLane *
pw_profile_get_lane (PwProfile *self,
                     guint      lane)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  g_return_val_if_fail (lane < self->c.n_lanes, NULL);
  return &self->c.lanes[lane].lane;
}

guint
pw_profile_get_n_busy_lanes (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_busy_lanes;
}

guint
pw_profile_get_n_processes (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_processes;
}

guint
pw_profile_get_n_threads (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_threads;
}

guint64
pw_profile_get_n_spans (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_spans;
}

guint64
pw_profile_get_n_samples (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_samples;
}

guint64
pw_profile_get_n_instants (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->n_instants;
}

gboolean
pw_profile_has_cpu_time (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), FALSE);
  return self->c.has_cpu_time;
}

guint
pw_profile_get_n_stacks (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.n_stacks;
}

guint32
pw_profile_get_stack_parent (PwProfile *self,
                             guint32    stack)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), PW_NO_STACK);
  g_return_val_if_fail (stack < self->c.n_stacks, PW_NO_STACK);
  return self->c.stack_parent[stack];
}

guint32
pw_profile_get_stack_frame (PwProfile *self,
                            guint32    stack)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  g_return_val_if_fail (stack < self->c.n_stacks, 0);
  return self->c.stack_frame[stack];
}

guint
pw_profile_get_stack_depth (PwProfile *self,
                            guint32    stack)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  g_return_val_if_fail (stack < self->c.n_stacks, 0);
  return self->c.stack_depth[stack];
}

const char *
pw_profile_get_sample_unit (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.sample_unit ? self->c.sample_unit : "count";
}

const char * const *
pw_profile_get_sample_types (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return (const char * const *) self->c.sample_types;
}

const char *
pw_profile_get_sample_type (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.sample_type;
}

guint
pw_profile_get_n_counters (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.n_counters;
}

const PwCounter *
pw_profile_get_counter (PwProfile *self,
                        guint      counter)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  g_return_val_if_fail (counter < self->c.n_counters, NULL);
  return &self->c.counters[counter].counter;
}

guint
pw_profile_get_n_flows (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), 0);
  return self->c.n_flows;
}

const PwFlow *
pw_profile_get_flow (PwProfile *self,
                     guint      flow)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  g_return_val_if_fail (flow < self->c.n_flows, NULL);
  return &self->c.flows[flow];
}

char *
pw_profile_dup_args (PwProfile *self,
                     guint32    args)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);

  if (self->c.args == NULL)
    return NULL;

  return pw_args_store_dup (self->c.args, args);
}

const char * const *
pw_profile_get_warnings (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return (const char * const *)self->c.warnings->pdata;
}

const char *
pw_profile_get_metadata (PwProfile  *self,
                         const char *key)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return g_hash_table_lookup (self->c.metadata, key);
}

GHashTable *
pw_profile_get_all_metadata (PwProfile *self)
{
  g_return_val_if_fail (PW_IS_PROFILE (self), NULL);
  return self->c.metadata;
}

gsize
pw_profile_get_memory_size (PwProfile *self)
{
  gsize size = sizeof *self;

  g_return_val_if_fail (PW_IS_PROFILE (self), 0);

  for (guint i = 0; i < self->c.n_lanes; i++)
    {
      const PwLane *lane = &self->c.lanes[i].lane;

      size += sizeof (PwLaneData);
      size += (gsize) lane->n_spans * (3 * sizeof (gint64) + 4 * sizeof (guint32) +
                                        sizeof (guint16) + sizeof (guint32));
      size += (gsize) (lane->n_rows + 1) * sizeof (guint32);
      size += (gsize) lane->n_samples * (2 * sizeof (gint64) + sizeof (guint32));
      size += (gsize) lane->n_instants * (sizeof (gint64) + sizeof (guint32));
    }

  for (guint i = 0; i < self->c.n_counters; i++)
    size += self->c.counters[i].counter.n_points * (sizeof (gint64) + sizeof (double));

  size += self->c.n_flows * sizeof (PwFlow);
  size += self->c.n_stacks * (2 * sizeof (guint32) + sizeof (guint16));
  if (self->c.args != NULL)
    size += pw_args_store_get_memory_size (self->c.args);
  size += pw_string_table_get_memory_size (self->c.strings);

  return size;
}

gint64
pw_lane_span_end (const PwLane *lane,
                  guint         span)
{
  return lane->span_start[span] + lane->span_dur[span];
}

guint
pw_lane_span_n_children (const PwLane *lane,
                         guint         span)
{
  guint n = 0;

  /* Children follow their parent in start order and lie within it. */
  for (guint i = span + 1; i < lane->n_spans; i++)
    {
      if (lane->span_start[i] > pw_lane_span_end (lane, span))
        break;
      if (lane->span_parent[i] == (gint32)span)
        n++;
    }

  return n;
}

gint64
pw_lane_span_self_time (const PwLane *lane,
                        guint         span)
{
  gint64 self_time = lane->span_dur[span];

  for (guint i = span + 1; i < lane->n_spans; i++)
    {
      if (lane->span_start[i] > pw_lane_span_end (lane, span))
        break;
      if (lane->span_parent[i] == (gint32)span)
        self_time -= lane->span_dur[i];
    }

  return MAX (self_time, 0);
}

gboolean
pw_lane_find_row_range (const PwLane *lane,
                        guint         row,
                        gint64        begin,
                        gint64        end,
                        guint        *first,
                        guint        *last)
{
  const guint32 *spans;
  guint n, lo, hi;

  g_return_val_if_fail (lane != NULL, FALSE);

  if (row >= lane->n_rows)
    return FALSE;

  spans = &lane->row_spans[lane->row_offsets[row]];
  n = lane->row_offsets[row + 1] - lane->row_offsets[row];

  /* Spans in a row never overlap, so their ends are sorted as well as
   * their starts: the first visible one is the first that ends after
   * begin (zero-length spans at begin included). */
  lo = 0, hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (pw_lane_span_end (lane, spans[mid]) < begin)
        lo = mid + 1;
      else
        hi = mid;
    }
  *first = lo;

  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (lane->span_start[spans[mid]] <= end)
        lo = mid + 1;
      else
        hi = mid;
    }
  *last = lo;

  return *first < *last;
}

gint
pw_lane_find_span_at (const PwLane *lane,
                      guint         row,
                      gint64        time)
{
  guint first, last;

  if (!pw_lane_find_row_range (lane, row, time, time, &first, &last))
    return -1;

  for (guint i = first; i < last; i++)
    {
      guint32 span = lane->row_spans[lane->row_offsets[row] + i];

      if (lane->span_start[span] <= time && time <= pw_lane_span_end (lane, span))
        return span;
    }

  return -1;
}
