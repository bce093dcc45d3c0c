/* pw-timeline-layout.h: where every lane, row and counter of a timeline goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pw-profile.h"

G_BEGIN_DECLS

/* Row geometry in logical pixels. */
#define PW_TIMELINE_ROW_HEIGHT      18.0
#define PW_TIMELINE_PROCESS_HEIGHT  22.0
#define PW_TIMELINE_COUNTER_HEIGHT  36.0
#define PW_TIMELINE_LANE_GAP         4.0

/* A span: lane is the profile's lane index, span an index into the lane
 * pw_timeline_layout_get_lane() returns (for sampled lanes, the derived
 * stack chart). */
typedef struct
{
  guint lane;
  guint span;
} PwSpanRef;

#define PW_SPAN_REF_NONE ((PwSpanRef) { G_MAXUINT, G_MAXUINT })
#define PW_SPAN_REF_IS_SET(r) ((r).lane != G_MAXUINT)

typedef enum
{
  PW_TRACK_PROCESS,   /* a process header row */
  PW_TRACK_LANE,      /* a thread, async track, service or stack chart */
  PW_TRACK_COUNTER,   /* an area chart */
} PwTrackKind;

typedef struct
{
  PwTrackKind  kind;
  guint        index;      /* lane or counter index; process: first track */
  gint64       pid;
  guint        n_rows;
  gboolean     flame;      /* a stack chart built from samples */
  gboolean     hidden;     /* inside a collapsed process */
  gboolean     collapsed;  /* process rows: their lanes are hidden */
  double       y;          /* content coordinates (0 = top of the lanes) */
  double       height;
  const char  *label;
  const char  *note;       /* shown in the lane instead of spans, or NULL */
} PwTimelineTrack;

typedef struct
{
  gint64   wall;
  gint64   task;         /* summed busy time of all lanes in the range */
  gint64   cpu;          /* CPU time of root spans, clipped proportionally */
  gboolean cpu_known;
  double   parallelism;  /* task / wall */
  guint    n_lanes_busy;
} PwRangeSummary;

typedef struct _PwTimelineLayout PwTimelineLayout;

/* Builds the layout: the stack charts of sampled lanes, the concurrency
 * step function, the counters' integrals. Costs O(spans + samples): use
 * the async variant from a UI. */
PwTimelineLayout      *pw_timeline_layout_new              (PwProfile          *profile);
void                   pw_timeline_layout_new_async        (PwProfile          *profile,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
PwTimelineLayout      *pw_timeline_layout_new_finish       (GAsyncResult       *result,
                                                            GError            **error);
PwTimelineLayout      *pw_timeline_layout_ref              (PwTimelineLayout   *self);
void                   pw_timeline_layout_unref            (PwTimelineLayout   *self);

PwProfile             *pw_timeline_layout_get_profile      (PwTimelineLayout   *self);
/* The lane as drawn: the profile's lane, or the stack chart derived from
 * its samples. */
const PwLane          *pw_timeline_layout_get_lane         (PwTimelineLayout   *self,
                                                            guint               lane);
/* Lane indices in PwSpanRef and tracks are drawn lanes: the profile's
 * lanes, then the stack charts drawn under lanes that have spans too;
 * this says which profile lane a drawn lane shows. */
guint                  pw_timeline_layout_get_n_lanes      (PwTimelineLayout   *self);
guint                  pw_timeline_layout_get_profile_lane (PwTimelineLayout   *self,
                                                            guint               lane);
guint                  pw_timeline_layout_get_n_tracks     (PwTimelineLayout   *self);
const PwTimelineTrack *pw_timeline_layout_get_track        (PwTimelineLayout   *self,
                                                            guint               track);
/* The track of a lane, or -1 when the lane is not shown. */
gint                   pw_timeline_layout_find_lane_track  (PwTimelineLayout   *self,
                                                            guint               lane);
/* The track at content y, or -1. */
gint                   pw_timeline_layout_find_track_at    (PwTimelineLayout   *self,
                                                            double              y);
double                 pw_timeline_layout_get_height       (PwTimelineLayout   *self);
gint64                 pw_timeline_layout_get_duration     (PwTimelineLayout   *self);

void                   pw_timeline_layout_set_process_collapsed (PwTimelineLayout *self,
                                                            gint64              pid,
                                                            gboolean            collapsed);
gboolean               pw_timeline_layout_get_process_collapsed (PwTimelineLayout *self,
                                                            gint64              pid);

/* Content y and height of a span's box; FALSE when its lane is hidden. */
gboolean               pw_timeline_layout_get_span_box     (PwTimelineLayout   *self,
                                                            PwSpanRef           ref,
                                                            double             *y,
                                                            double             *height);

/* Case-insensitive substring search over span names. Returns the number
 * of matching spans; matches are ordered by start time. NULL or "" clears. */
guint                  pw_timeline_layout_set_search       (PwTimelineLayout   *self,
                                                            const char         *text);
guint                  pw_timeline_layout_get_n_matches    (PwTimelineLayout   *self);
gboolean               pw_timeline_layout_get_match        (PwTimelineLayout   *self,
                                                            guint               index,
                                                            PwSpanRef          *out);
gboolean               pw_timeline_layout_span_matches     (PwTimelineLayout   *self,
                                                            PwSpanRef           ref);

/* Busy lanes over time: the average number in [begin, end). */
double                 pw_timeline_layout_get_concurrency  (PwTimelineLayout   *self,
                                                            gint64              begin,
                                                            gint64              end);
double                 pw_timeline_layout_get_max_concurrency (PwTimelineLayout *self);
void                   pw_timeline_layout_summarize_range  (PwTimelineLayout   *self,
                                                            gint64              begin,
                                                            gint64              end,
                                                            PwRangeSummary     *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwTimelineLayout, pw_timeline_layout_unref)

G_END_DECLS
