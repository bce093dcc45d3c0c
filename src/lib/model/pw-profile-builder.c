/* pw-profile-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-profile-builder"

#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-profile-builder.h"
#include "pw-profile-private.h"

#define MAX_WARNINGS 100
#define LANE_SHIFT 40
#define SPAN_MASK ((G_GUINT64_CONSTANT (1) << LANE_SHIFT) - 1)

typedef struct
{
  gint64  start;
  gint64  dur;
  gint64  cpu;
  guint32 name;
  guint32 category;
  guint32 args;
  guint32 seq;       /* order of arrival, to keep sorting stable */
} PendingSpan;

typedef struct
{
  gint64  time;
  gint64  weight;
  guint32 stack;
  guint32 seq;
} PendingSample;

typedef struct
{
  gint64  time;
  guint32 name;
  guint32 seq;
} PendingInstant;

typedef struct
{
  PwLaneKind kind;
  gint64     pid;
  gint64     key;
  guint32    name;
  guint32    fallback_name;  /* shown when no name is ever set */
  gint32     sort_index;
  gboolean   has_sort_index;
  GArray    *spans;      /* PendingSpan */
  GArray    *samples;    /* PendingSample */
  GArray    *instants;   /* PendingInstant */
  guint32   *rank;       /* pending index -> sorted index, set while building */
  guint      index;      /* in self->lanes */
  guint      n_built;    /* spans laid out */
  GArray    *links;      /* ParentLink: explicit parents; NULL: nested by time */
  guint      n_outside;  /* explicit parents dropped: the child starts outside */
  guint      n_cycles;   /* explicit parents dropped to break a cycle */
} PendingLane;

/* An explicit parent (pw_profile_builder_set_span_parent()), by pending
 * index on the lane; parent is ROOT_LINK for a declared root. */
typedef struct
{
  guint32 child;
  guint32 parent;
} ParentLink;

#define NO_LINK   G_MAXUINT32          /* no explicit parent: nested by time */
#define ROOT_LINK (G_MAXUINT32 - 1)    /* a declared root: never nested */

typedef struct
{
  guint32 name;
  gint64  pid;
  GArray *points;        /* CounterPoint */
} PendingCounter;

typedef struct
{
  gint64 time;
  double value;
} CounterPoint;

typedef struct
{
  PwFlowKind   kind;
  guint32      name;
  guint        from_lane;
  gint64       from_time;
  PwSpanHandle from_span;
  guint        to_lane;
  gint64       to_time;
  PwSpanHandle to_span;
  PwFlowBind   from_bind;
  PwFlowBind   to_bind;
} PendingFlow;

typedef struct
{
  PwLaneKind kind;
  gint64     pid;
  gint64     key;
} LaneKey;

typedef struct
{
  guint32 parent;
  guint32 frame;
} StackKey;

typedef struct
{
  guint32 name;
  gint32  sort_index;
  guint   has_sort_index : 1;
} ProcessInfo;

struct _PwProfileBuilder
{
  char          *format;
  char          *format_name;
  char          *title;
  char          *sample_unit;
  GPtrArray     *sample_types;
  char          *sample_type;
  PwStringTable *strings;
  GPtrArray     *lanes;          /* PendingLane */
  GHashTable    *lane_index;     /* LaneKey -> index + 1 */
  GHashTable    *processes;      /* gint64 pid -> ProcessInfo */
  GPtrArray     *counters;       /* PendingCounter */
  GHashTable    *counter_index;  /* "pid\x1fname" -> index + 1 */
  GArray        *flows;          /* PendingFlow */
  GArray        *stack_keys;     /* StackKey by stack id */
  guint32       *stack_slots;    /* open addressing: id + 1, 0 when empty */
  gsize          stack_mask;     /* number of slots - 1, a power of two minus one */
  PwArgsStore   *args;
  GPtrArray     *warnings;
  guint          n_warnings_dropped;
  GHashTable    *metadata;
  gint64         min_time;
  gint64         max_time;
  guint64        n_spans;
  guint64        n_samples;
  gboolean       has_cpu_time;
};

static guint
lane_key_hash (gconstpointer data)
{
  const LaneKey *key = data;

  return g_int64_hash (&key->pid) ^ (g_int64_hash (&key->key) * 31) ^ key->kind;
}

static gboolean
lane_key_equal (gconstpointer a,
                gconstpointer b)
{
  const LaneKey *ka = a;
  const LaneKey *kb = b;

  return ka->kind == kb->kind && ka->pid == kb->pid && ka->key == kb->key;
}

/* Sampled profiles can have tens of millions of distinct stacks: a flat
 * table of ids probing into stack_keys costs 8 bytes a stack and no
 * allocation per stack, where a GHashTable with copied keys cost ~60. */
static inline gsize
stack_key_hash (guint32 parent,
                guint32 frame)
{
  guint64 h = ((guint64) parent << 32) | frame;

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;

  return (gsize) h;
}

static void
stack_slots_grow (PwProfileBuilder *self)
{
  gsize n_slots = (self->stack_mask + 1) * 2;
  guint32 *slots = g_new0 (guint32, n_slots);

  for (guint i = 0; i < self->stack_keys->len; i++)
    {
      const StackKey *key = &g_array_index (self->stack_keys, StackKey, i);
      gsize pos = stack_key_hash (key->parent, key->frame) & (n_slots - 1);

      while (slots[pos] != 0)
        pos = (pos + 1) & (n_slots - 1);
      slots[pos] = i + 1;
    }

  g_free (self->stack_slots);
  self->stack_slots = slots;
  self->stack_mask = n_slots - 1;
}

static void
pending_lane_free (gpointer data)
{
  PendingLane *lane = data;

  g_clear_pointer (&lane->spans, g_array_unref);
  g_clear_pointer (&lane->samples, g_array_unref);
  g_clear_pointer (&lane->instants, g_array_unref);
  g_clear_pointer (&lane->links, g_array_unref);
  g_free (lane->rank);
  g_free (lane);
}

static void
pending_counter_free (gpointer data)
{
  PendingCounter *counter = data;

  g_clear_pointer (&counter->points, g_array_unref);
  g_free (counter);
}

static void
pw_profile_builder_reset (PwProfileBuilder *self)
{
  self->strings = pw_string_table_new ();
  self->lanes = g_ptr_array_new_with_free_func (pending_lane_free);
  self->lane_index = g_hash_table_new_full (lane_key_hash, lane_key_equal, g_free, NULL);
  self->processes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->counters = g_ptr_array_new_with_free_func (pending_counter_free);
  self->counter_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->flows = g_array_new (FALSE, FALSE, sizeof (PendingFlow));
  self->stack_keys = g_array_new (FALSE, FALSE, sizeof (StackKey));
  self->stack_mask = 1023;
  self->stack_slots = g_new0 (guint32, self->stack_mask + 1);
  self->args = pw_args_store_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->min_time = G_MAXINT64;
  self->max_time = G_MININT64;
  self->n_spans = 0;
  self->n_samples = 0;
  self->n_warnings_dropped = 0;
  self->has_cpu_time = FALSE;
}

static void
pw_profile_builder_clear (PwProfileBuilder *self)
{
  g_clear_pointer (&self->strings, pw_string_table_free);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->lane_index, g_hash_table_unref);
  g_clear_pointer (&self->processes, g_hash_table_unref);
  g_clear_pointer (&self->counters, g_ptr_array_unref);
  g_clear_pointer (&self->counter_index, g_hash_table_unref);
  g_clear_pointer (&self->flows, g_array_unref);
  g_clear_pointer (&self->stack_keys, g_array_unref);
  g_clear_pointer (&self->stack_slots, g_free);
  g_clear_pointer (&self->args, pw_args_store_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
}

PwProfileBuilder *
pw_profile_builder_new (void)
{
  PwProfileBuilder *self = g_new0 (PwProfileBuilder, 1);

  pw_profile_builder_reset (self);

  return self;
}

void
pw_profile_builder_free (PwProfileBuilder *self)
{
  if (self == NULL)
    return;

  pw_profile_builder_clear (self);
  g_free (self->format);
  g_free (self->format_name);
  g_free (self->title);
  g_free (self->sample_unit);
  g_clear_pointer (&self->sample_types, g_ptr_array_unref);
  g_free (self->sample_type);
  g_free (self);
}

void
pw_profile_builder_set_format (PwProfileBuilder *self,
                               const char       *format_id,
                               const char       *format_name)
{
  g_return_if_fail (self != NULL);

  g_free (self->format);
  self->format = g_strdup (format_id);
  g_free (self->format_name);
  self->format_name = g_strdup (format_name);
}

void
pw_profile_builder_set_title (PwProfileBuilder *self,
                              const char       *title)
{
  g_return_if_fail (self != NULL);

  g_free (self->title);
  self->title = g_strdup (title);
}

void
pw_profile_builder_set_metadata (PwProfileBuilder *self,
                                 const char       *key,
                                 const char       *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  if (value == NULL)
    g_hash_table_remove (self->metadata, key);
  else
    g_hash_table_insert (self->metadata, g_strdup (key), g_strdup (value));
}

void
pw_profile_builder_add_warning (PwProfileBuilder *self,
                                const char       *format,
                                ...)
{
  va_list args;

  g_return_if_fail (self != NULL);

  /* A broken file can have a problem per event; keep the first ones and
   * count the rest so that the list stays readable. */
  if (self->warnings->len >= MAX_WARNINGS)
    {
      self->n_warnings_dropped++;
      return;
    }

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

guint
pw_profile_builder_get_n_warnings (PwProfileBuilder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->warnings->len + self->n_warnings_dropped;
}

guint32
pw_profile_builder_intern (PwProfileBuilder *self,
                           const char       *str,
                           gssize            len)
{
  g_return_val_if_fail (self != NULL, 0);
  return pw_string_table_intern (self->strings, str, len);
}

const char *
pw_profile_builder_get_string (PwProfileBuilder *self,
                               guint32           id)
{
  g_return_val_if_fail (self != NULL, "");
  return pw_string_table_get (self->strings, id);
}

guint
pw_profile_builder_get_lane (PwProfileBuilder *self,
                             PwLaneKind        kind,
                             gint64            pid,
                             gint64            key)
{
  LaneKey lookup = { kind, pid, key };
  PendingLane *lane;
  gpointer found;

  g_return_val_if_fail (self != NULL, 0);

  if ((found = g_hash_table_lookup (self->lane_index, &lookup)))
    return GPOINTER_TO_UINT (found) - 1;

  lane = g_new0 (PendingLane, 1);
  lane->kind = kind;
  lane->pid = pid;
  lane->key = key;
  lane->index = self->lanes->len;
  g_ptr_array_add (self->lanes, lane);
  g_hash_table_insert (self->lane_index,
                       g_memdup2 (&lookup, sizeof lookup),
                       GUINT_TO_POINTER (self->lanes->len));

  return self->lanes->len - 1;
}

void
pw_profile_builder_set_lane_name (PwProfileBuilder *self,
                                  guint             lane,
                                  const char       *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  ((PendingLane *)g_ptr_array_index (self->lanes, lane))->name =
    pw_string_table_intern (self->strings, name, -1);
}

void
pw_profile_builder_set_lane_fallback_name (PwProfileBuilder *self,
                                           guint             lane,
                                           guint32           name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  ((PendingLane *)g_ptr_array_index (self->lanes, lane))->fallback_name = name;
}

void
pw_profile_builder_set_lane_sort_index (PwProfileBuilder *self,
                                        guint             lane,
                                        gint32            sort_index)
{
  PendingLane *pending;

  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  pending = g_ptr_array_index (self->lanes, lane);
  pending->sort_index = sort_index;
  pending->has_sort_index = TRUE;
}

static ProcessInfo *
get_process (PwProfileBuilder *self,
             gint64            pid)
{
  ProcessInfo *info = g_hash_table_lookup (self->processes, &pid);

  if (info == NULL)
    {
      info = g_new0 (ProcessInfo, 1);
      g_hash_table_insert (self->processes, g_memdup2 (&pid, sizeof pid), info);
    }

  return info;
}

void
pw_profile_builder_set_process_name (PwProfileBuilder *self,
                                     gint64            pid,
                                     const char       *name)
{
  g_return_if_fail (self != NULL);
  get_process (self, pid)->name = pw_string_table_intern (self->strings, name, -1);
}

void
pw_profile_builder_set_process_sort_index (PwProfileBuilder *self,
                                           gint64            pid,
                                           gint32            sort_index)
{
  ProcessInfo *info;

  g_return_if_fail (self != NULL);

  info = get_process (self, pid);
  info->sort_index = sort_index;
  info->has_sort_index = TRUE;
}

static inline void
extend (PwProfileBuilder *self,
        gint64            begin,
        gint64            end)
{
  if (begin < self->min_time)
    self->min_time = begin;
  if (end > self->max_time)
    self->max_time = end;
}

void
pw_profile_builder_extend (PwProfileBuilder *self,
                           gint64            time)
{
  g_return_if_fail (self != NULL);
  extend (self, time, time);
}

PwSpanHandle
pw_profile_builder_add_span (PwProfileBuilder *self,
                             guint             lane,
                             gint64            start,
                             gint64            dur,
                             gint64            cpu_dur,
                             guint32           name,
                             guint32           category,
                             guint32           args)
{
  PendingLane *pending;
  PendingSpan span;

  g_return_val_if_fail (self != NULL, PW_NO_SPAN_HANDLE);
  g_return_val_if_fail (lane < self->lanes->len, PW_NO_SPAN_HANDLE);

  pending = g_ptr_array_index (self->lanes, lane);
  if (pending->spans == NULL)
    pending->spans = g_array_new (FALSE, FALSE, sizeof (PendingSpan));

  if (pending->spans->len >= G_MAXUINT32 - 1)
    return PW_NO_SPAN_HANDLE;

  if (dur < 0)
    dur = 0;
  if (cpu_dur >= 0)
    self->has_cpu_time = TRUE;
  else
    cpu_dur = -1;

  span.start = start;
  span.dur = dur;
  span.cpu = cpu_dur;
  span.name = name;
  span.category = category;
  span.args = args;
  span.seq = pending->spans->len;
  g_array_append_val (pending->spans, span);

  extend (self, start, start + dur);
  self->n_spans++;

  return ((guint64) lane << LANE_SHIFT) | span.seq;
}

guint32
pw_profile_builder_add_args (PwProfileBuilder *self,
                             const char       *json,
                             gssize            len)
{
  g_return_val_if_fail (self != NULL, 0);

  if (json == NULL)
    return 0;
  if (len < 0)
    len = strlen (json);

  return pw_args_store_add (self->args, json, len);
}

guint32
pw_profile_builder_push_frame (PwProfileBuilder *self,
                               guint32           parent,
                               guint32           frame_name)
{
  StackKey key = { parent, frame_name };
  gsize pos;
  guint32 id;

  g_return_val_if_fail (self != NULL, PW_NO_STACK);
  /* parents come before their children: anything else is no stack */
  g_return_val_if_fail (parent == PW_NO_STACK || parent < self->stack_keys->len, PW_NO_STACK);

  pos = stack_key_hash (parent, frame_name) & self->stack_mask;
  while (self->stack_slots[pos] != 0)
    {
      const StackKey *other = &g_array_index (self->stack_keys, StackKey, self->stack_slots[pos] - 1);

      if (other->parent == parent && other->frame == frame_name)
        return self->stack_slots[pos] - 1;
      pos = (pos + 1) & self->stack_mask;
    }

  if (self->stack_keys->len >= G_MAXUINT32 - 1)
    return PW_NO_STACK;

  id = self->stack_keys->len;
  g_array_append_val (self->stack_keys, key);
  self->stack_slots[pos] = id + 1;

  /* keep the load under one half so probes stay short */
  if ((gsize) self->stack_keys->len * 2 > self->stack_mask + 1)
    stack_slots_grow (self);

  return id;
}

void
pw_profile_builder_add_sample (PwProfileBuilder *self,
                               guint             lane,
                               gint64            time,
                               gint64            weight,
                               guint32           stack)
{
  PendingLane *pending;
  PendingSample sample;

  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  pending = g_ptr_array_index (self->lanes, lane);
  if (pending->samples == NULL)
    pending->samples = g_array_new (FALSE, FALSE, sizeof (PendingSample));

  sample.time = time;
  sample.weight = weight;
  sample.stack = stack;
  sample.seq = pending->samples->len;
  g_array_append_val (pending->samples, sample);

  if (time >= 0)
    extend (self, time, time);
  self->n_samples++;
}

void
pw_profile_builder_set_sample_unit (PwProfileBuilder *self,
                                    const char       *unit)
{
  g_return_if_fail (self != NULL);

  g_free (self->sample_unit);
  self->sample_unit = g_strdup (unit);
}

void
pw_profile_builder_add_sample_type (PwProfileBuilder *self,
                                    const char       *name,
                                    gboolean          chosen)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (self->sample_types == NULL)
    self->sample_types = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->sample_types->len; i++)
    if (g_str_equal (g_ptr_array_index (self->sample_types, i), name))
      goto found;
  g_ptr_array_add (self->sample_types, g_strdup (name));

found:
  if (chosen)
    {
      g_free (self->sample_type);
      self->sample_type = g_strdup (name);
    }
}

void
pw_profile_builder_add_instant (PwProfileBuilder *self,
                                guint             lane,
                                gint64            time,
                                guint32           name)
{
  PendingLane *pending;
  PendingInstant instant;

  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  pending = g_ptr_array_index (self->lanes, lane);
  if (pending->instants == NULL)
    pending->instants = g_array_new (FALSE, FALSE, sizeof (PendingInstant));

  instant.time = time;
  instant.name = name;
  instant.seq = pending->instants->len;
  g_array_append_val (pending->instants, instant);

  extend (self, time, time);
}

guint
pw_profile_builder_get_counter (PwProfileBuilder *self,
                                gint64            pid,
                                const char       *name)
{
  g_autofree char *key = NULL;
  PendingCounter *counter;
  gpointer found;

  g_return_val_if_fail (self != NULL, 0);

  key = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s", pid, name ? name : "");
  if ((found = g_hash_table_lookup (self->counter_index, key)))
    return GPOINTER_TO_UINT (found) - 1;

  counter = g_new0 (PendingCounter, 1);
  counter->name = pw_string_table_intern (self->strings, name, -1);
  counter->pid = pid;
  counter->points = g_array_new (FALSE, FALSE, sizeof (CounterPoint));
  g_ptr_array_add (self->counters, counter);
  g_hash_table_insert (self->counter_index, g_steal_pointer (&key),
                       GUINT_TO_POINTER (self->counters->len));

  return self->counters->len - 1;
}

void
pw_profile_builder_add_counter_value (PwProfileBuilder *self,
                                      guint             counter,
                                      gint64            time,
                                      double            value)
{
  PendingCounter *pending;
  CounterPoint point = { time, value };

  g_return_if_fail (self != NULL);
  g_return_if_fail (counter < self->counters->len);

  pending = g_ptr_array_index (self->counters, counter);
  g_array_append_val (pending->points, point);
  extend (self, time, time);
}

void
pw_profile_builder_add_flow (PwProfileBuilder *self,
                             PwFlowKind        kind,
                             guint32           name,
                             guint             from_lane,
                             gint64            from_time,
                             PwSpanHandle      from_span,
                             guint             to_lane,
                             gint64            to_time,
                             PwSpanHandle      to_span)
{
  PendingFlow flow = { kind, name, from_lane, from_time, from_span, to_lane, to_time, to_span,
                       PW_FLOW_BIND_NONE, PW_FLOW_BIND_NONE };

  g_return_if_fail (self != NULL);
  g_return_if_fail (from_lane < self->lanes->len);
  g_return_if_fail (to_lane < self->lanes->len);

  g_array_append_val (self->flows, flow);
}

void
pw_profile_builder_add_flow_bind (PwProfileBuilder *self,
                                  PwFlowKind        kind,
                                  guint32           name,
                                  guint             from_lane,
                                  gint64            from_time,
                                  PwFlowBind        from_bind,
                                  guint             to_lane,
                                  gint64            to_time,
                                  PwFlowBind        to_bind)
{
  PendingFlow flow = { kind, name, from_lane, from_time, PW_NO_SPAN_HANDLE, to_lane, to_time,
                       PW_NO_SPAN_HANDLE, from_bind, to_bind };

  g_return_if_fail (self != NULL);
  g_return_if_fail (from_lane < self->lanes->len);
  g_return_if_fail (to_lane < self->lanes->len);

  g_array_append_val (self->flows, flow);
}

guint64
pw_profile_builder_get_n_spans (PwProfileBuilder *self)
{
  return self->n_spans;
}

guint64
pw_profile_builder_get_n_samples (PwProfileBuilder *self)
{
  return self->n_samples;
}

void
pw_profile_builder_set_span_parent (PwProfileBuilder *self,
                                    guint             lane,
                                    PwSpanHandle      child,
                                    PwSpanHandle      parent)
{
  PendingLane *pending;
  ParentLink link;

  g_return_if_fail (self != NULL);
  g_return_if_fail (lane < self->lanes->len);

  /* add_span() refused the span (a full lane): nothing to parent */
  if (child == PW_NO_SPAN_HANDLE)
    return;
  g_return_if_fail ((child >> LANE_SHIFT) == lane);
  g_return_if_fail (parent == PW_NO_SPAN_HANDLE || (parent >> LANE_SHIFT) == lane);

  pending = g_ptr_array_index (self->lanes, lane);
  link.child = child & SPAN_MASK;
  link.parent = parent == PW_NO_SPAN_HANDLE ? ROOT_LINK : (guint32) (parent & SPAN_MASK);
  if (pending->spans == NULL || link.child >= pending->spans->len ||
      (link.parent != ROOT_LINK && link.parent >= pending->spans->len))
    return;

  if (pending->links == NULL)
    pending->links = g_array_new (FALSE, FALSE, sizeof (ParentLink));
  g_array_append_val (pending->links, link);
}

static inline gboolean
span_before (const PendingSpan *a,
             const PendingSpan *b)
{
  if (a->start != b->start)
    return a->start < b->start;
  if (a->dur != b->dur)
    return a->dur > b->dur;
  return a->seq < b->seq;
}

/* A merge sort on the structs themselves: qsort()'s calls through a
 * pointer and per-element memcpy() cost more than the comparisons. Runs
 * that come sorted (most of a thread's spans) are found and kept. */
static void
sort_spans (PendingSpan *spans,
            guint        n)
{
  g_autofree PendingSpan *tmp = NULL;
  PendingSpan *src = spans, *dst;
  guint width;

  for (guint i = 1; i < n; i++)
    if (span_before (&spans[i], &spans[i - 1]))
      goto unsorted;
  return;

unsorted:
  /* insertion sort of runs of 16, then merges of doubling width */
  for (guint base = 0; base < n; base += 16)
    {
      guint end = MIN (base + 16, n);

      for (guint i = base + 1; i < end; i++)
        {
          PendingSpan v = spans[i];
          guint j = i;

          while (j > base && span_before (&v, &spans[j - 1]))
            {
              spans[j] = spans[j - 1];
              j--;
            }
          spans[j] = v;
        }
    }

  tmp = g_new (PendingSpan, n);
  dst = tmp;
  for (width = 16; width < n; width *= 2)
    {
      for (guint lo = 0; lo < n; lo += 2 * width)
        {
          guint mid = MIN (lo + width, n);
          guint hi = MIN (lo + 2 * width, n);
          guint a = lo, b = mid, k = lo;

          if (mid == hi || !span_before (&src[mid], &src[mid - 1]))
            {
              memcpy (&dst[lo], &src[lo], (hi - lo) * sizeof (PendingSpan));
              continue;
            }
          while (a < mid && b < hi)
            dst[k++] = span_before (&src[b], &src[a]) ? src[b++] : src[a++];
          while (a < mid)
            dst[k++] = src[a++];
          while (b < hi)
            dst[k++] = src[b++];
        }
      {
        PendingSpan *swap = src;
        src = dst;
        dst = swap;
      }
    }

  if (src != spans)
    memcpy (spans, src, n * sizeof (PendingSpan));
}

static int
compare_samples (gconstpointer a,
                 gconstpointer b)
{
  const PendingSample *sa = a;
  const PendingSample *sb = b;

  if (sa->time != sb->time)
    return sa->time < sb->time ? -1 : 1;
  return sa->seq < sb->seq ? -1 : sa->seq > sb->seq;
}

static int
compare_instants (gconstpointer a,
                  gconstpointer b)
{
  const PendingInstant *ia = a;
  const PendingInstant *ib = b;

  if (ia->time != ib->time)
    return ia->time < ib->time ? -1 : 1;
  return ia->seq < ib->seq ? -1 : ia->seq > ib->seq;
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const CounterPoint *pa = a;
  const CounterPoint *pb = b;

  return pa->time < pb->time ? -1 : pa->time > pb->time;
}

/* Lists the spans of each row (span_depth), in start order. */
static void
group_rows (PwLaneData *ld,
            guint       n,
            guint       n_rows)
{
  g_autofree guint32 *row_counts = g_new0 (guint32, n_rows + 1);

  ld->lane.n_spans = n;
  ld->lane.n_rows = n_rows;
  ld->row_offsets = g_new0 (guint32, n_rows + 1);
  ld->row_spans = g_new (guint32, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    ld->row_offsets[ld->span_depth[i] + 1]++;
  for (guint r = 0; r < n_rows; r++)
    ld->row_offsets[r + 1] += ld->row_offsets[r];
  for (guint i = 0; i < n; i++)
    {
      guint r = ld->span_depth[i];
      ld->row_spans[ld->row_offsets[r] + row_counts[r]++] = i;
    }
}

/* A pending span's fields into the lane's arrays, at its sorted index. */
static inline void
copy_span (PwLaneData        *ld,
           guint              i,
           const PendingSpan *span,
           gint64             origin)
{
  ld->span_start[i] = span->start - origin;
  ld->span_dur[i] = span->dur;
  ld->span_cpu[i] = span->cpu;
  ld->span_name[i] = span->name;
  ld->span_category[i] = span->category;
  ld->span_args[i] = span->args;
}

/* Nesting by time: stack holds the indices of the spans still open
 * before span, outermost first; the ones that ended are popped, and the
 * innermost that encloses span is its parent. */
static gint32
time_parent (const PendingSpan *spans,
             GArray            *stack,
             const PendingSpan *span)
{
  gint64 end = span->start + span->dur;

  while (stack->len > 0)
    {
      const PendingSpan *top = &spans[g_array_index (stack, guint32, stack->len - 1)];

      if (top->start + top->dur > span->start ||
          /* a zero-length span at the start of another is inside it */
          (top->start == span->start && top->dur > 0))
        break;
      g_array_set_size (stack, stack->len - 1);
    }

  for (guint j = stack->len; j > 0; j--)
    {
      guint32 open = g_array_index (stack, guint32, j - 1);

      if (spans[open].start + spans[open].dur >= end)
        return open;
    }

  return PW_NO_PARENT;
}

/* Lays out sorted spans into rows. The parent of a span is the innermost
 * open span that encloses it; the span goes into the first row below its
 * parent that is free at its start. A span that overlaps another without
 * being enclosed by it (async tracks, clock skew) thus still gets a row of
 * its own: rows never overlap and can be binary searched. */
static void
layout_spans (PwLaneData *ld,
              PendingSpan *spans,
              guint        n,
              gint64       origin,
              gboolean     need_rank,
              guint32    **rank_out)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) row_end = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_rows = 0;
  guint32 *rank = NULL;

  ld->span_start = g_new (gint64, n);
  ld->span_dur = g_new (gint64, n);
  ld->span_cpu = g_new (gint64, n);
  ld->span_name = g_new (guint32, n);
  ld->span_category = g_new (guint32, n);
  ld->span_args = g_new (guint32, n);
  ld->span_parent = g_new (gint32, n);
  ld->span_depth = g_new (guint16, n);

  if (need_rank)
    rank = g_new (guint32, n);

  for (guint i = 0; i < n; i++)
    {
      const PendingSpan *span = &spans[i];
      gint64 end = span->start + span->dur;
      gint32 parent = PW_NO_PARENT;
      guint row;

      copy_span (ld, i, span, origin);
      if (rank != NULL)
        rank[span->seq] = i;

      parent = time_parent (spans, stack, span);

      row = parent == PW_NO_PARENT ? 0 : ld->span_depth[parent] + 1u;
      while (row < row_end->len && g_array_index (row_end, gint64, row) > span->start)
        row++;
      row = MIN (row, G_MAXUINT16);
      while (row >= row_end->len)
        {
          gint64 never = G_MININT64;
          g_array_append_val (row_end, never);
        }
      g_array_index (row_end, gint64, row) = MAX (end, g_array_index (row_end, gint64, row));

      ld->span_parent[i] = parent;
      ld->span_depth[i] = row;
      if (row + 1 > n_rows)
        n_rows = row + 1;

      g_array_append_val (stack, i);
    }

  group_rows (ld, n, n_rows);

  *rank_out = rank;
}

/* Explicit parents (distributed traces). A lane whose spans were given
 * parents with pw_profile_builder_set_span_parent() is laid out as the
 * trees those links describe, not by time containment: spans of one
 * service that overlap in time are often siblings (a parallel fan-out) or
 * belong to unrelated requests, and containment would nest them into
 * each other.
 *
 * - A child goes under its parent, on the first row below the parent's
 *   that is free at its start: overlapping siblings get rows of their
 *   own, and rows still never overlap.
 * - A declared root (no parent on this lane) is never nested under
 *   another span: it takes the first free row from the top, so requests
 *   that overlap sit one above the other instead of inside each other.
 * - A span given no link at all is nested by time as on other lanes, but
 *   only among other such spans, so that it never joins an explicit tree.
 * - A child must start inside its parent (it may end after it: async work
 *   that outlives its caller) for the model's order to hold: a parent
 *   precedes its children, which start within it. One that does not
 *   (clock skew, a parent without a duration, a job that starts after its
 *   caller returned) is laid out as a root and counted. It gets no parent
 *   flow either: the phases analysis counts a descendant as inside its
 *   ancestor's phase, and such links chain the message handlers of a
 *   messaging trace into one phase as long as its first poll (26 µs).
 * - A cycle of links is broken at the link that closes it.
 *
 * Nothing recurses: chains as deep as the lane cost no stack. */

#define CHAIN_VISITING G_MAXUINT32

/* How many links up each span's root is (1 for a root), by pending
 * index; a link that closes a cycle becomes ROOT_LINK. */
static guint32 *
chain_depths (guint32 *link,
              guint    n,
              guint   *n_cycles)
{
  guint32 *chain = g_new0 (guint32, MAX (n, 1));
  g_autoptr(GArray) walk = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint s = 0; s < n; s++)
    {
      guint32 x = s;
      guint32 d;

      if (chain[s] != 0)
        continue;

      /* up to a root or a span whose depth is known */
      for (;;)
        {
          guint32 p = link[x];

          chain[x] = CHAIN_VISITING;
          g_array_append_val (walk, x);
          if (p >= ROOT_LINK)
            {
              d = 0;
              break;
            }
          if (chain[p] == CHAIN_VISITING)
            {
              link[x] = ROOT_LINK;
              (*n_cycles)++;
              d = 0;
              break;
            }
          if (chain[p] != 0)
            {
              d = chain[p];
              break;
            }
          x = p;
        }

      /* and back down */
      while (walk->len > 0)
        {
          chain[g_array_index (walk, guint32, walk->len - 1)] = ++d;
          g_array_set_size (walk, walk->len - 1);
        }
    }

  return chain;
}

/* Where each row ends, as a min-tree over rows, so that the first row
 * from a given one that is free at a time is found in log(rows) steps:
 * a lane of many overlapping roots (requests of as many traces) would
 * otherwise cost rows² steps, as rows are scanned one by one. Rows
 * never used end at G_MININT64: always free. */
#define MAX_ROWS (G_MAXUINT16 + 1u)

typedef struct
{
  gint64 *node;   /* 2 * cap: node[1] the root, leaves from cap */
  guint   cap;    /* rows covered, a power of two */
} RowTree;

static void
row_tree_grow (RowTree *tree)
{
  guint cap = tree->cap == 0 ? 64 : tree->cap * 2;
  gint64 *node = g_new (gint64, 2 * cap);

  for (guint r = 0; r < cap; r++)
    node[cap + r] = r < tree->cap ? tree->node[tree->cap + r] : G_MININT64;
  for (guint i = cap - 1; i > 0; i--)
    node[i] = MIN (node[2 * i], node[2 * i + 1]);

  g_free (tree->node);
  tree->node = node;
  tree->cap = cap;
}

/* The first row from first that ends at or before time; MAX_ROWS - 1
 * when every row is busy, as layout_spans() clamps. */
static guint
row_tree_find (RowTree *tree,
               guint    first,
               gint64   time)
{
  for (;;)
    {
      guint i;

      if (first >= MAX_ROWS)
        return MAX_ROWS - 1;
      while (first >= tree->cap)
        row_tree_grow (tree);

      /* right from the leaf to the first subtree that holds a free row */
      i = tree->cap + first;
      while (tree->node[i] > time)
        {
          while (i & 1)
            i >>= 1;
          if (i == 0)
            break;
          i++;
        }

      if (i != 0)
        {
          while (i < tree->cap)
            {
              i *= 2;
              if (tree->node[i] > time)
                i++;
            }
          return i - tree->cap;
        }

      if (tree->cap >= MAX_ROWS)
        return MAX_ROWS - 1;
      first = tree->cap;
    }
}

static void
row_tree_extend (RowTree *tree,
                 guint    row,
                 gint64   end)
{
  guint i = tree->cap + row;

  if (tree->node[i] >= end)
    return;
  tree->node[i] = end;
  for (i >>= 1; i > 0; i >>= 1)
    tree->node[i] = MIN (tree->node[2 * i], tree->node[2 * i + 1]);
}

static gint
compare_tied_spans (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const guint32 *chain = user_data;
  const PendingSpan *sa = a;
  const PendingSpan *sb = b;

  if (chain[sa->seq] != chain[sb->seq])
    return chain[sa->seq] < chain[sb->seq] ? -1 : 1;
  return sa->seq < sb->seq ? -1 : sa->seq > sb->seq;
}

static void
layout_tree (PwLaneData  *ld,
             PendingLane *pending,
             PendingSpan *spans,
             guint        n,
             gint64       origin)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  RowTree rows = { NULL, 0 };
  g_autofree guint32 *link = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *chain = NULL;
  guint32 *rank = g_new (guint32, MAX (n, 1));
  guint n_rows = 0;

  for (guint i = 0; i < n; i++)
    link[i] = NO_LINK;
  /* the last link given for a span wins */
  for (guint k = 0; k < pending->links->len; k++)
    {
      const ParentLink *pl = &g_array_index (pending->links, ParentLink, k);

      if (pl->child < n && (pl->parent == ROOT_LINK || pl->parent < n))
        link[pl->child] = pl->parent;
    }
  chain = chain_depths (link, n, &pending->n_cycles);

  /* Spans that tie in start and length are in the order they were added:
   * a parent (fewer links up) must come before its child. */
  for (guint i = 0; i < n;)
    {
      guint j = i + 1;

      while (j < n && spans[j].start == spans[i].start && spans[j].dur == spans[i].dur)
        j++;
      if (j - i > 1)
        g_qsort_with_data (&spans[i], (gint) (j - i), sizeof (PendingSpan), compare_tied_spans, chain);
      i = j;
    }

  for (guint i = 0; i < n; i++)
    rank[spans[i].seq] = i;

  ld->span_start = g_new (gint64, n);
  ld->span_dur = g_new (gint64, n);
  ld->span_cpu = g_new (gint64, n);
  ld->span_name = g_new (guint32, n);
  ld->span_category = g_new (guint32, n);
  ld->span_args = g_new (guint32, n);
  ld->span_parent = g_new (gint32, n);
  ld->span_depth = g_new (guint16, n);

  for (guint i = 0; i < n; i++)
    {
      const PendingSpan *span = &spans[i];
      gint64 end = span->start + span->dur;
      guint32 l = link[span->seq];
      gint32 parent = PW_NO_PARENT;
      guint row;

      copy_span (ld, i, span, origin);

      if (l == NO_LINK)
        {
          /* as layout_spans() does, among the spans without links */
          parent = time_parent (spans, stack, span);

          g_array_append_val (stack, i);
        }
      else if (l != ROOT_LINK)
        {
          guint32 p = rank[l];
          const PendingSpan *ps = &spans[p];
          gint64 ps_end = ps->start + ps->dur;

          if (p < i && span->start >= ps->start && span->start <= ps_end)
            parent = p;
          else
            pending->n_outside++;
        }

      row = row_tree_find (&rows, parent == PW_NO_PARENT ? 0 : ld->span_depth[parent] + 1u, span->start);
      row_tree_extend (&rows, row, end);

      ld->span_parent[i] = parent;
      ld->span_depth[i] = row;
      if (row + 1 > n_rows)
        n_rows = row + 1;
    }

  group_rows (ld, n, n_rows);
  g_free (rows.node);

  /* for flows, which refer to spans by handle */
  pending->rank = rank;
}

/* Runs once the lanes are laid out, when no thread works on them. */
static void
finish_parent_links (PwProfileBuilder *self)
{
  guint64 n_outside = 0;
  guint64 n_cycles = 0;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const PendingLane *pending = g_ptr_array_index (self->lanes, i);

      n_outside += pending->n_outside;
      n_cycles += pending->n_cycles;
    }

  if (n_outside > 0)
    {
      char count[32];

      g_snprintf (count, sizeof count, "%" G_GUINT64_FORMAT, n_outside);
      g_hash_table_insert (self->metadata, g_strdup ("model.parents_outside"), g_strdup (count));
      pw_profile_builder_add_warning (self,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "%" PRIu64 " span does not start within its parent's time "
                                                   "(clock skew, or a parent without a duration); it is "
                                                   "shown as a root",
                                                   "%" PRIu64 " spans do not start within their parent's time "
                                                   "(clock skew, or a parent without a duration); they are "
                                                   "shown as roots",
                                                   n_outside),
                                      n_outside);
    }
  if (n_cycles > 0)
    {
      char count[32];

      g_snprintf (count, sizeof count, "%" G_GUINT64_FORMAT, n_cycles);
      g_hash_table_insert (self->metadata, g_strdup ("model.parent_cycles"), g_strdup (count));
      pw_profile_builder_add_warning (self,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "%" PRIu64 " parent link closed a cycle of parents; "
                                                   "the span it leads from is drawn as a root",
                                                   "%" PRIu64 " parent links closed a cycle of parents; "
                                                   "the spans they lead from are drawn as roots",
                                                   n_cycles),
                                      n_cycles);
    }
}

static gint
compare_lanes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  PwProfileBuilder *self = user_data;
  const PendingLane *la = *(PendingLane * const *)a;
  const PendingLane *lb = *(PendingLane * const *)b;
  const ProcessInfo *pa = g_hash_table_lookup (self->processes, &la->pid);
  const ProcessInfo *pb = g_hash_table_lookup (self->processes, &lb->pid);
  gint32 psa = pa && pa->has_sort_index ? pa->sort_index : 0;
  gint32 psb = pb && pb->has_sort_index ? pb->sort_index : 0;

  if (psa != psb)
    return psa < psb ? -1 : 1;
  if (la->pid != lb->pid)
    return la->pid < lb->pid ? -1 : 1;
  if (la->kind != lb->kind)
    return la->kind < lb->kind ? -1 : 1;
  if (la->sort_index != lb->sort_index)
    return la->sort_index < lb->sort_index ? -1 : 1;
  if (la->key != lb->key)
    return la->key < lb->key ? -1 : 1;
  return 0;
}

static guint32
resolve_handle (PwProfileBuilder *self,
                const guint      *lane_order,
                PwSpanHandle      handle,
                guint            *lane_out)
{
  guint lane;
  guint64 index;
  PendingLane *pending;

  if (handle == PW_NO_SPAN_HANDLE)
    return G_MAXUINT32;

  lane = handle >> LANE_SHIFT;
  index = handle & SPAN_MASK;
  if (lane >= self->lanes->len)
    return G_MAXUINT32;

  pending = g_ptr_array_index (self->lanes, lane);
  if (pending->rank == NULL || index >= pending->n_built)
    return G_MAXUINT32;

  if (lane_out)
    *lane_out = lane_order[lane];

  return pending->rank[index];
}

typedef struct
{
  PwProfileBuilder *self;
  GPtrArray        *sorted;
  PwLaneData       *lanes;
  gint64            origin;
  gboolean          need_rank;
  gint              next;       /* the next lane to build, atomically */
} BuildContext;

static void
build_lane (BuildContext *ctx,
            guint         i)
{
  PendingLane *pending = g_ptr_array_index (ctx->sorted, i);
  PwLaneData *ld = &ctx->lanes[i];
  const ProcessInfo *process = g_hash_table_lookup (ctx->self->processes, &pending->pid);

  ld->lane.kind = pending->kind;
  ld->lane.pid = pending->pid;
  ld->lane.tid = pending->kind == PW_LANE_THREAD ? pending->key : 0;
  ld->lane.name = pending->name != 0 ? pending->name : pending->fallback_name;
  ld->lane.sort_index = pending->sort_index;
  if (process != NULL)
    {
      ld->lane.process_name = process->name;
      ld->lane.process_sort_index = process->sort_index;
    }

  if (pending->spans != NULL && pending->spans->len > 0)
    {
      sort_spans ((PendingSpan *)(gpointer)pending->spans->data, pending->spans->len);
      if (pending->links != NULL && pending->links->len > 0)
        layout_tree (ld, pending, (PendingSpan *)(gpointer)pending->spans->data,
                     pending->spans->len, ctx->origin);
      else
        layout_spans (ld, (PendingSpan *)(gpointer)pending->spans->data,
                      pending->spans->len, ctx->origin, ctx->need_rank, &pending->rank);
      g_clear_pointer (&pending->spans, g_array_unref);
      g_clear_pointer (&pending->links, g_array_unref);
      /* what span handles are range-checked against */
      pending->n_built = ld->lane.n_spans;
    }
  else
    {
      ld->row_offsets = g_new0 (guint32, 1);
    }

  if (pending->samples != NULL && pending->samples->len > 0)
    {
      guint n = pending->samples->len;
      const PendingSample *samples;

      g_array_sort (pending->samples, compare_samples);
      samples = (const PendingSample *)(gpointer)pending->samples->data;
      ld->sample_time = g_new (gint64, n);
      ld->sample_weight = g_new (gint64, n);
      ld->sample_stack = g_new (guint32, n);
      for (guint k = 0; k < n; k++)
        {
          ld->sample_time[k] = samples[k].time >= 0 ? samples[k].time - ctx->origin : -1;
          ld->sample_weight[k] = samples[k].weight;
          ld->sample_stack[k] = samples[k].stack;
        }
      ld->lane.n_samples = n;
      g_clear_pointer (&pending->samples, g_array_unref);
    }

  if (pending->instants != NULL && pending->instants->len > 0)
    {
      guint n = pending->instants->len;
      const PendingInstant *instants;

      g_array_sort (pending->instants, compare_instants);
      instants = (const PendingInstant *)(gpointer)pending->instants->data;
      ld->instant_time = g_new (gint64, n);
      ld->instant_name = g_new (guint32, n);
      for (guint k = 0; k < n; k++)
        {
          ld->instant_time[k] = instants[k].time - ctx->origin;
          ld->instant_name[k] = instants[k].name;
        }
      ld->lane.n_instants = n;
      g_clear_pointer (&pending->instants, g_array_unref);
    }

  ld->lane.span_start = ld->span_start;
  ld->lane.span_dur = ld->span_dur;
  ld->lane.span_cpu = ld->span_cpu;
  ld->lane.span_name = ld->span_name;
  ld->lane.span_category = ld->span_category;
  ld->lane.span_args = ld->span_args;
  ld->lane.span_parent = ld->span_parent;
  ld->lane.span_depth = ld->span_depth;
  ld->lane.row_offsets = ld->row_offsets;
  ld->lane.row_spans = ld->row_spans;
  ld->lane.sample_time = ld->sample_time;
  ld->lane.sample_weight = ld->sample_weight;
  ld->lane.sample_stack = ld->sample_stack;
  ld->lane.instant_time = ld->instant_time;
  ld->lane.instant_name = ld->instant_name;
}

static gpointer
build_lanes (gpointer data)
{
  BuildContext *ctx = data;
  gint i;

  while ((i = g_atomic_int_add (&ctx->next, 1)) < (gint) ctx->sorted->len)
    build_lane (ctx, i);

  return NULL;
}

/* The deepest span that encloses time, or the first that starts at or
 * after it: how Chrome's trace viewer binds flow events to slices. */
static guint32
bind_by_time (const PwLane *lane,
              gint64        time,
              PwFlowBind    bind)
{
  if (bind == PW_FLOW_BIND_NONE || lane->n_spans == 0)
    return G_MAXUINT32;

  if (bind == PW_FLOW_BIND_ENCLOSING)
    {
      for (guint row = lane->n_rows; row > 0; row--)
        {
          gint span = pw_lane_find_span_at (lane, row - 1, time);

          if (span >= 0)
            return span;
        }
      return G_MAXUINT32;
    }
  else
    {
      guint lo = 0, hi = lane->n_spans;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (lane->span_start[mid] < time)
            lo = mid + 1;
          else
            hi = mid;
        }
      return lo < lane->n_spans ? lo : G_MAXUINT32;
    }
}

PwProfile *
pw_profile_builder_build (PwProfileBuilder *self)
{
  PwProfileContents c = { 0 };
  g_autofree guint *lane_order = NULL;   /* pending index -> built index */
  g_autoptr(GPtrArray) sorted = NULL;
  gboolean need_rank;
  gint64 origin;
  PwProfile *profile;

  g_return_val_if_fail (self != NULL, NULL);

  origin = self->min_time == G_MAXINT64 ? 0 : self->min_time;
  need_rank = self->flows->len > 0;

  c.format = g_strdup (self->format);
  c.format_name = g_strdup (self->format_name);
  c.title = g_strdup (self->title);
  c.sample_unit = g_strdup (self->sample_unit);
  if (self->sample_types != NULL)
    {
      c.sample_types = g_new0 (char *, self->sample_types->len + 1);
      for (guint i = 0; i < self->sample_types->len; i++)
        c.sample_types[i] = g_strdup (g_ptr_array_index (self->sample_types, i));
    }
  c.sample_type = g_strdup (self->sample_type);
  c.start_ns = origin;
  c.duration_ns = self->max_time >= origin ? self->max_time - origin : 0;
  c.has_cpu_time = self->has_cpu_time;

  /* Lanes are ordered by process (sort index, then pid), then kind, then
   * their own sort index, so that every consumer shows the same order. */
  sorted = g_ptr_array_new ();
  for (guint i = 0; i < self->lanes->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (self->lanes, i));
  g_ptr_array_sort_with_data (sorted, compare_lanes, self);

  lane_order = g_new (guint, self->lanes->len + 1);
  for (guint i = 0; i < sorted->len; i++)
    lane_order[((PendingLane *) g_ptr_array_index (sorted, i))->index] = i;

  c.n_lanes = sorted->len;
  c.lanes = g_new0 (PwLaneData, MAX (c.n_lanes, 1));

  {
    BuildContext ctx = { self, sorted, c.lanes, origin, need_rank, 0 };
    guint64 total = 0;
    guint n_threads = 1;
    GThread *threads[8];

    /* Lanes are independent: big profiles lay them out on every core. */
    for (guint i = 0; i < sorted->len; i++)
      {
        PendingLane *pending = g_ptr_array_index (sorted, i);
        total += pending->spans ? pending->spans->len : 0;
      }
    if (total > 100000 && sorted->len > 1)
      n_threads = CLAMP (g_get_num_processors (), 1, G_N_ELEMENTS (threads));

    for (guint t = 1; t < n_threads; t++)
      threads[t] = g_thread_new ("pw-build", build_lanes, &ctx);
    build_lanes (&ctx);
    for (guint t = 1; t < n_threads; t++)
      g_thread_join (threads[t]);
  }

  finish_parent_links (self);

  c.n_counters = self->counters->len;
  c.counters = g_new0 (PwCounterData, MAX (c.n_counters, 1));
  for (guint i = 0; i < self->counters->len; i++)
    {
      PendingCounter *pending = g_ptr_array_index (self->counters, i);
      PwCounterData *cd = &c.counters[i];
      guint n = pending->points->len;

      g_array_sort (pending->points, compare_points);
      cd->time = g_new (gint64, MAX (n, 1));
      cd->value = g_new (double, MAX (n, 1));
      for (guint k = 0; k < n; k++)
        {
          const CounterPoint *point = &g_array_index (pending->points, CounterPoint, k);

          cd->time[k] = point->time - origin;
          cd->value[k] = point->value;
        }
      cd->counter.name = pending->name;
      cd->counter.pid = pending->pid;
      cd->counter.n_points = n;
      cd->counter.time = cd->time;
      cd->counter.value = cd->value;
    }

  c.n_flows = self->flows->len;
  c.flows = g_new0 (PwFlow, MAX (c.n_flows, 1));
  for (guint i = 0; i < self->flows->len; i++)
    {
      const PendingFlow *pending = &g_array_index (self->flows, PendingFlow, i);
      PwFlow *flow = &c.flows[i];

      flow->kind = pending->kind;
      flow->name = pending->name;
      flow->from_lane = lane_order[pending->from_lane];
      flow->to_lane = lane_order[pending->to_lane];
      flow->from_time = pending->from_time - origin;
      flow->to_time = pending->to_time - origin;
      flow->from_span = resolve_handle (self, lane_order, pending->from_span, NULL);
      flow->to_span = resolve_handle (self, lane_order, pending->to_span, NULL);
      if (flow->from_span == G_MAXUINT32)
        flow->from_span = bind_by_time (&c.lanes[flow->from_lane].lane, flow->from_time, pending->from_bind);
      if (flow->to_span == G_MAXUINT32)
        flow->to_span = bind_by_time (&c.lanes[flow->to_lane].lane, flow->to_time, pending->to_bind);
    }

  c.n_stacks = self->stack_keys->len;
  c.stack_parent = g_new (guint32, MAX (c.n_stacks, 1));
  c.stack_frame = g_new (guint32, MAX (c.n_stacks, 1));
  c.stack_depth = g_new (guint16, MAX (c.n_stacks, 1));
  for (guint i = 0; i < c.n_stacks; i++)
    {
      const StackKey *key = &g_array_index (self->stack_keys, StackKey, i);

      c.stack_parent[i] = key->parent;
      c.stack_frame[i] = key->frame;
      /* parents are always created before their children */
      c.stack_depth[i] = key->parent == PW_NO_STACK ? 0
                         : MIN (c.stack_depth[key->parent] + 1, G_MAXUINT16);
    }

  pw_args_store_finish (self->args);
  c.args = g_steal_pointer (&self->args);

  if (self->n_warnings_dropped > 0)
    g_ptr_array_add (self->warnings,
                     g_strdup_printf ("… and %u more problems of the same kinds",
                                      self->n_warnings_dropped));
  c.warnings = g_steal_pointer (&self->warnings);
  c.metadata = g_steal_pointer (&self->metadata);
  c.strings = g_steal_pointer (&self->strings);

  profile = _pw_profile_new_take (&c);

  pw_profile_builder_clear (self);
  pw_profile_builder_reset (self);

  return profile;
}

/* Merging. */

struct _PwProfileBuilderMap
{
  guint32 *strings;
  guint    n_strings;
  guint   *lanes;
  guint64 *span_offsets;   /* per other lane: spans self held before */
  guint    n_lanes;
  guint32 *stacks;
  guint    n_stacks;
  guint32  args_offset;
  guint32  n_args;
};

guint32
pw_profile_builder_map_string (const PwProfileBuilderMap *map,
                               guint32                    id)
{
  return id < map->n_strings ? map->strings[id] : 0;
}

guint
pw_profile_builder_map_lane (const PwProfileBuilderMap *map,
                             guint                      lane)
{
  return lane < map->n_lanes ? map->lanes[lane] : 0;
}

guint32
pw_profile_builder_map_args (const PwProfileBuilderMap *map,
                             guint32                    args)
{
  return args == 0 || args > map->n_args ? 0 : args + map->args_offset;
}

guint32
pw_profile_builder_map_stack (const PwProfileBuilderMap *map,
                              guint32                    stack)
{
  return stack < map->n_stacks ? map->stacks[stack] : PW_NO_STACK;
}

PwSpanHandle
pw_profile_builder_map_span (const PwProfileBuilderMap *map,
                             PwSpanHandle               handle)
{
  guint lane;

  if (handle == PW_NO_SPAN_HANDLE)
    return handle;

  lane = handle >> LANE_SHIFT;
  if (lane >= map->n_lanes)
    return PW_NO_SPAN_HANDLE;

  return ((guint64) map->lanes[lane] << LANE_SHIFT) | ((handle & SPAN_MASK) + map->span_offsets[lane]);
}

void
pw_profile_builder_map_free (PwProfileBuilderMap *map)
{
  if (map == NULL)
    return;

  g_free (map->strings);
  g_free (map->lanes);
  g_free (map->span_offsets);
  g_free (map->stacks);
  g_free (map);
}

static void
merge_metadata (gpointer key,
                gpointer value,
                gpointer user_data)
{
  PwProfileBuilder *self = user_data;

  g_hash_table_insert (self->metadata, g_strdup (key), g_strdup (value));
}

PwProfileBuilderMap *
pw_profile_builder_merge_full (PwProfileBuilder *self,
                               PwProfileBuilder *other)
{
  PwProfileBuilderMap *map;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (other != NULL, NULL);
  g_return_val_if_fail (self != other, NULL);

  map = g_new0 (PwProfileBuilderMap, 1);

  if (self->format == NULL && other->format != NULL)
    pw_profile_builder_set_format (self, other->format, other->format_name);
  if (self->title == NULL && other->title != NULL)
    pw_profile_builder_set_title (self, other->title);
  if (self->sample_unit == NULL && other->sample_unit != NULL)
    pw_profile_builder_set_sample_unit (self, other->sample_unit);

  /* In id order, so that strings new to self get ids in the order other
   * first saw them, as if self had read other's input itself. */
  map->n_strings = pw_string_table_get_size (other->strings);
  map->strings = g_new (guint32, MAX (map->n_strings, 1));
  for (guint i = 0; i < map->n_strings; i++)
    map->strings[i] = pw_string_table_intern (self->strings, pw_string_table_get (other->strings, i), -1);

  map->n_stacks = other->stack_keys->len;
  map->stacks = g_new (guint32, MAX (map->n_stacks, 1));
  for (guint i = 0; i < map->n_stacks; i++)
    {
      const StackKey *sk = &g_array_index (other->stack_keys, StackKey, i);
      guint32 parent = sk->parent == PW_NO_STACK || sk->parent >= i ? PW_NO_STACK : map->stacks[sk->parent];

      map->stacks[i] = pw_profile_builder_push_frame (self, parent, map->strings[sk->frame]);
    }

  map->args_offset = pw_args_store_get_count (self->args);
  map->n_args = pw_args_store_get_count (other->args);
  pw_args_store_append (self->args, other->args);

  g_hash_table_iter_init (&iter, other->processes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const ProcessInfo *from = value;
      ProcessInfo *to = get_process (self, *(gint64 *) key);

      if (from->name != 0)
        to->name = map->strings[from->name];
      if (from->has_sort_index)
        {
          to->sort_index = from->sort_index;
          to->has_sort_index = TRUE;
        }
    }

  map->n_lanes = other->lanes->len;
  map->lanes = g_new (guint, MAX (map->n_lanes, 1));
  map->span_offsets = g_new0 (guint64, MAX (map->n_lanes, 1));
  for (guint i = 0; i < other->lanes->len; i++)
    {
      PendingLane *from = g_ptr_array_index (other->lanes, i);
      guint lane = pw_profile_builder_get_lane (self, from->kind, from->pid, from->key);
      PendingLane *to = g_ptr_array_index (self->lanes, lane);

      map->lanes[i] = lane;
      if (from->name != 0)
        to->name = map->strings[from->name];
      if (from->fallback_name != 0)
        to->fallback_name = map->strings[from->fallback_name];
      if (from->has_sort_index)
        {
          to->sort_index = from->sort_index;
          to->has_sort_index = TRUE;
        }

      if (from->spans != NULL && from->spans->len > 0)
        {
          guint base;

          /* Remapped in place: the chunks of a parallel parse hold most
           * of the spans, and copying them twice shows. */
          if (to->spans == NULL || to->spans->len == 0)
            {
              g_clear_pointer (&to->spans, g_array_unref);
              to->spans = g_steal_pointer (&from->spans);
              base = 0;
            }
          else
            {
              base = to->spans->len;
              g_array_append_vals (to->spans, from->spans->data, from->spans->len);
              g_clear_pointer (&from->spans, g_array_unref);
            }
          map->span_offsets[i] = base;
          for (guint k = base; k < to->spans->len; k++)
            {
              PendingSpan *span = &g_array_index (to->spans, PendingSpan, k);

              span->name = map->strings[span->name];
              span->category = map->strings[span->category];
              if (span->args != 0)
                span->args = pw_profile_builder_map_args (map, span->args);
              span->seq = k;
            }
        }

      /* explicit parents follow their spans */
      if (from->links != NULL && from->links->len > 0)
        {
          guint32 base = map->span_offsets[i];

          if (to->links == NULL)
            to->links = g_array_sized_new (FALSE, FALSE, sizeof (ParentLink), from->links->len);
          for (guint k = 0; k < from->links->len; k++)
            {
              ParentLink link = g_array_index (from->links, ParentLink, k);

              link.child += base;
              if (link.parent != ROOT_LINK)
                link.parent += base;
              g_array_append_val (to->links, link);
            }
          g_clear_pointer (&from->links, g_array_unref);
        }

      if (from->samples != NULL && from->samples->len > 0)
        {
          guint base;

          if (to->samples == NULL)
            to->samples = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), from->samples->len);
          base = to->samples->len;
          g_array_set_size (to->samples, base + from->samples->len);
          for (guint k = 0; k < from->samples->len; k++)
            {
              PendingSample *sample = &g_array_index (to->samples, PendingSample, base + k);

              *sample = g_array_index (from->samples, PendingSample, k);
              sample->stack = pw_profile_builder_map_stack (map, sample->stack);
              sample->seq = base + k;
            }
          g_clear_pointer (&from->samples, g_array_unref);
        }

      if (from->instants != NULL && from->instants->len > 0)
        {
          guint base;

          if (to->instants == NULL)
            to->instants = g_array_sized_new (FALSE, FALSE, sizeof (PendingInstant), from->instants->len);
          base = to->instants->len;
          g_array_set_size (to->instants, base + from->instants->len);
          for (guint k = 0; k < from->instants->len; k++)
            {
              PendingInstant *instant = &g_array_index (to->instants, PendingInstant, base + k);

              *instant = g_array_index (from->instants, PendingInstant, k);
              instant->name = map->strings[instant->name];
              instant->seq = base + k;
            }
          g_clear_pointer (&from->instants, g_array_unref);
        }
    }

  for (guint i = 0; i < other->counters->len; i++)
    {
      PendingCounter *from = g_ptr_array_index (other->counters, i);
      guint counter = pw_profile_builder_get_counter (self, from->pid,
                                                      pw_string_table_get (self->strings,
                                                                           map->strings[from->name]));
      PendingCounter *to = g_ptr_array_index (self->counters, counter);

      g_array_append_vals (to->points, from->points->data, from->points->len);
    }

  for (guint i = 0; i < other->flows->len; i++)
    {
      PendingFlow flow = g_array_index (other->flows, PendingFlow, i);

      flow.name = map->strings[flow.name];
      flow.from_lane = map->lanes[flow.from_lane];
      flow.to_lane = map->lanes[flow.to_lane];
      flow.from_span = pw_profile_builder_map_span (map, flow.from_span);
      flow.to_span = pw_profile_builder_map_span (map, flow.to_span);
      g_array_append_val (self->flows, flow);
    }

  for (guint i = 0; i < other->warnings->len; i++)
    {
      if (self->warnings->len >= MAX_WARNINGS)
        self->n_warnings_dropped++;
      else
        g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (other->warnings, i)));
    }
  self->n_warnings_dropped += other->n_warnings_dropped;

  g_hash_table_foreach (other->metadata, merge_metadata, self);

  if (other->min_time != G_MAXINT64)
    extend (self, other->min_time, other->max_time);
  self->n_spans += other->n_spans;
  self->n_samples += other->n_samples;
  self->has_cpu_time |= other->has_cpu_time;

  pw_profile_builder_clear (other);
  pw_profile_builder_reset (other);

  return map;
}

void
pw_profile_builder_merge (PwProfileBuilder *self,
                          PwProfileBuilder *other)
{
  pw_profile_builder_map_free (pw_profile_builder_merge_full (self, other));
}
