/* pw-timeline-layout-private.h: what the renderer reads of a layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-timeline-layout.h"

G_BEGIN_DECLS

/* A piecewise-constant function of time with its running integral, so
 * the average over any pixel column costs one binary search. */
typedef struct
{
  guint   n;
  gint64 *time;
  double *value;      /* holds from time[i] to time[i + 1] */
  double *integral;   /* ∫ from time[0] to time[i] */
  double  min;
  double  max;
  gint64  end;        /* the last value holds until here */
} PwStepFunction;

typedef struct
{
  PwLane   lane;
  gint64  *start;
  gint64  *dur;
  gint64  *cpu;
  guint32 *name;
  guint32 *zero;       /* categories and args: none */
  gint32  *parent;
  guint16 *depth;
  guint32 *row_offsets;
  guint32 *row_spans;
} PwFlameLane;

/* A dense row seen from afar: which time buckets hold any span, and the
 * spans long enough to be drawn on their own at that distance. */
typedef struct
{
  guint64 *bits;
  guint64 *match_bits;   /* buckets holding a search match, or NULL */
  guint    n_buckets;
  gint64   bucket_ns;
  guint    n_long;
  gint64  *long_start;
  gint64  *long_end;
  guint32 *long_span;
} PwRowLod;

/* Rows with fewer spans are drawn from the spans at any zoom. */
#define PW_ROW_LOD_MIN_SPANS 4096
#define PW_ROW_LOD_BUCKETS_LOG2 18

struct _PwTimelineLayout
{
  gatomicrefcount   ref_count;
  PwProfile        *profile;
  gint64            duration;

  GArray           *tracks;            /* PwTimelineTrack */
  GPtrArray        *labels;            /* owns the track labels */
  /* Drawn lanes: index l < n_lanes is the profile's lane l, or the
   * stack chart of its samples when it has no spans; n_lanes + l is the
   * stack chart drawn under lane l when it has spans and samples both
   * (a browser's main thread: its tasks, and the JavaScript they ran). */
  guint             n_lanes;
  guint32           idle_frame;        /* string id of "(idle)", or 0 */
  gint             *lane_track;        /* drawn lane → track or -1 */
  PwFlameLane     **flame;             /* drawn lane → derived stack chart or NULL */
  double            height;
  PwRowLod       ***lod;               /* drawn lane → row → LOD or NULL */

  PwStepFunction    concurrency;
  PwStepFunction   *counters;          /* one per counter */

  guint8           *string_matches;    /* string id → matches the search */
  GArray           *matches;           /* PwSpanRef by start */
  guint             n_matches;

  guint32          *string_full;       /* string id → fill colour (renderer's) */
  guint32          *string_pale;       /* … its waiting tint */
  guint             n_string_colors;
  guint64           string_colors_key; /* dark flag and background */

  double           *overview_heights;  /* renderer's cache, per column */
  guint             n_overview;

  gpointer          label_cache;       /* owned by the renderer */
  GDestroyNotify    label_cache_free;
};

double _pw_step_function_average  (const PwStepFunction *sf,
                                   gint64                begin,
                                   gint64                end);

G_END_DECLS
