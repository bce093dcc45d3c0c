/* pw-profile-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-args-store.h"
#include "pw-profile.h"
#include "pw-string-table.h"

G_BEGIN_DECLS

/* What the builder hands over to the profile: every array is owned by the
 * profile once built. */
typedef struct
{
  PwLane lane;
  /* the same arrays as in lane, owned */
  gint64  *span_start;
  gint64  *span_dur;
  gint64  *span_cpu;
  guint32 *span_name;
  guint32 *span_category;
  guint32 *span_args;
  gint32  *span_parent;
  guint16 *span_depth;
  guint32 *row_offsets;
  guint32 *row_spans;
  gint64  *sample_time;
  gint64  *sample_weight;
  guint32 *sample_stack;
  gint64  *instant_time;
  guint32 *instant_name;
} PwLaneData;

typedef struct
{
  PwCounter counter;
  gint64   *time;
  double   *value;
} PwCounterData;

typedef struct
{
  char          *format;
  char          *format_name;
  char          *title;
  char          *sample_unit;
  char         **sample_types;
  char          *sample_type;
  gint64         start_ns;
  gint64         duration_ns;
  PwStringTable *strings;
  PwLaneData    *lanes;
  guint          n_lanes;
  PwCounterData *counters;
  guint          n_counters;
  PwFlow        *flows;
  guint          n_flows;
  guint32       *stack_parent;
  guint32       *stack_frame;
  guint16       *stack_depth;
  guint          n_stacks;
  PwArgsStore   *args;
  GPtrArray     *warnings;
  GHashTable    *metadata;
  gboolean       has_cpu_time;
} PwProfileContents;

PwProfile *_pw_profile_new_take (PwProfileContents *contents);

G_END_DECLS
