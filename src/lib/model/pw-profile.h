/* pw-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Time everywhere is gint64 nanoseconds from the profile's start. */
#define PW_NSEC_PER_USEC G_GINT64_CONSTANT (1000)
#define PW_NSEC_PER_MSEC G_GINT64_CONSTANT (1000000)
#define PW_NSEC_PER_SEC  G_GINT64_CONSTANT (1000000000)

/* A string id that means "none" in places where 0 (the empty string) is a
 * legitimate value is never needed: the empty string stands for none. */
#define PW_NO_PARENT (-1)
#define PW_NO_STACK  G_MAXUINT32

typedef enum
{
  PW_LANE_THREAD,   /* a thread of a process */
  PW_LANE_ASYNC,    /* an async track (nestable or legacy async ids) */
  PW_LANE_SERVICE,  /* one service of a distributed trace */
} PwLaneKind;

typedef enum
{
  PW_FLOW_ARROW,    /* a flow event (s/t/f, bind ids) */
  PW_FLOW_PARENT,   /* a parent → child link between spans on different lanes */
  PW_FLOW_FOLLOWS,  /* a follows-from / link reference */
} PwFlowKind;

/* A lane is read-only once the profile is built. Spans are stored
 * struct-of-arrays, sorted by start (longer first on equal starts), so a
 * parent always precedes its children. Within one depth row spans never
 * overlap: row_spans lists span indices per row, sorted by start, so the
 * visible spans of a row are found by binary search. */
typedef struct
{
  PwLaneKind     kind;
  gint64         pid;
  gint64         tid;
  guint32        name;               /* string id; "" when unnamed */
  guint32        process_name;       /* string id; "" when unnamed */
  gint32         sort_index;
  gint32         process_sort_index;

  guint          n_spans;
  const gint64  *span_start;
  const gint64  *span_dur;           /* wall time */
  const gint64  *span_cpu;           /* thread CPU time, -1 when unknown */
  const guint32 *span_name;
  const guint32 *span_category;
  const guint32 *span_args;          /* 0: no args, else pw_profile_dup_args() id */
  const gint32  *span_parent;        /* PW_NO_PARENT for roots */
  const guint16 *span_depth;
  guint          n_rows;             /* max depth + 1 */
  const guint32 *row_offsets;        /* n_rows + 1 offsets into row_spans */
  const guint32 *row_spans;          /* span indices grouped by row, by start */

  guint          n_samples;          /* sorted by time */
  const gint64  *sample_time;        /* -1 when the format has no times */
  const gint64  *sample_weight;
  const guint32 *sample_stack;

  guint          n_instants;         /* sorted by time */
  const gint64  *instant_time;
  const guint32 *instant_name;
} PwLane;

typedef struct
{
  guint32        name;
  gint64         pid;
  guint          n_points;           /* sorted by time */
  const gint64  *time;
  const double  *value;
} PwCounter;

typedef struct
{
  guint32    from_lane;
  guint32    from_span;              /* G_MAXUINT32 when not bound to a span */
  guint32    to_lane;
  guint32    to_span;
  gint64     from_time;
  gint64     to_time;
  guint32    name;
  PwFlowKind kind;
} PwFlow;

#define PW_TYPE_PROFILE (pw_profile_get_type ())

G_DECLARE_FINAL_TYPE (PwProfile, pw_profile, PW, PROFILE, GObject)

const char      *pw_profile_get_format          (PwProfile  *self);
const char      *pw_profile_get_format_name     (PwProfile  *self);
const char      *pw_profile_get_title           (PwProfile  *self);
gint64           pw_profile_get_start_ns        (PwProfile  *self);
gint64           pw_profile_get_duration_ns     (PwProfile  *self);
const char      *pw_profile_get_string          (PwProfile  *self,
                                                 guint32     id);
guint32          pw_profile_lookup_string       (PwProfile  *self,
                                                 const char *str);
guint            pw_profile_get_n_strings       (PwProfile  *self);

guint            pw_profile_get_n_lanes         (PwProfile  *self);
const PwLane    *pw_profile_get_lane            (PwProfile  *self,
                                                 guint       lane);
guint            pw_profile_get_n_busy_lanes    (PwProfile  *self);
guint            pw_profile_get_n_processes     (PwProfile  *self);
guint            pw_profile_get_n_threads       (PwProfile  *self);
guint64          pw_profile_get_n_spans         (PwProfile  *self);
guint64          pw_profile_get_n_samples       (PwProfile  *self);
guint64          pw_profile_get_n_instants      (PwProfile  *self);
gboolean         pw_profile_has_cpu_time        (PwProfile  *self);

/* Samples share one stack table: a prefix tree of frames. */
guint            pw_profile_get_n_stacks        (PwProfile  *self);
guint32          pw_profile_get_stack_parent    (PwProfile  *self,
                                                 guint32     stack);
guint32          pw_profile_get_stack_frame     (PwProfile  *self,
                                                 guint32     stack);
guint            pw_profile_get_stack_depth     (PwProfile  *self,
                                                 guint32     stack);
const char      *pw_profile_get_sample_unit     (PwProfile  *self);
/* NULL unless the file measures several things and its samples weigh one
 * of them, the sample type; the others can be chosen when importing with
 * the "sample-type" option. */
const char * const *pw_profile_get_sample_types (PwProfile  *self);
const char      *pw_profile_get_sample_type     (PwProfile  *self);

guint            pw_profile_get_n_counters      (PwProfile  *self);
const PwCounter *pw_profile_get_counter         (PwProfile  *self,
                                                 guint       counter);
guint            pw_profile_get_n_flows         (PwProfile  *self);
const PwFlow    *pw_profile_get_flow            (PwProfile  *self,
                                                 guint       flow);

/* Args are kept compressed: this inflates them, so call it for what the
 * user looks at, not in a loop over all spans. */
char            *pw_profile_dup_args            (PwProfile  *self,
                                                 guint32     args);

const char * const *pw_profile_get_warnings     (PwProfile  *self);
const char      *pw_profile_get_metadata        (PwProfile  *self,
                                                 const char *key);
GHashTable      *pw_profile_get_all_metadata    (PwProfile  *self);
gsize            pw_profile_get_memory_size     (PwProfile  *self);

gint64           pw_lane_span_end               (const PwLane *lane,
                                                 guint         span);
gint64           pw_lane_span_self_time         (const PwLane *lane,
                                                 guint         span);
guint            pw_lane_span_n_children        (const PwLane *lane,
                                                 guint         span);
gboolean         pw_lane_find_row_range         (const PwLane *lane,
                                                 guint         row,
                                                 gint64        begin,
                                                 gint64        end,
                                                 guint        *first,
                                                 guint        *last);
gint             pw_lane_find_span_at           (const PwLane *lane,
                                                 guint         row,
                                                 gint64        time);

G_END_DECLS
