/* pw-timeline-renderer.h: draws a timeline on any cairo_t
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "pw-colors.h"
#include "pw-timeline-layout.h"

G_BEGIN_DECLS

/* The bands above the lanes, in logical pixels from the top. */
#define PW_TIMELINE_NAME_WIDTH          180.0
#define PW_TIMELINE_OVERVIEW_HEIGHT      30.0
#define PW_TIMELINE_AXIS_HEIGHT          22.0
#define PW_TIMELINE_CONCURRENCY_HEIGHT   30.0
#define PW_TIMELINE_LANES_TOP (PW_TIMELINE_OVERVIEW_HEIGHT + PW_TIMELINE_AXIS_HEIGHT + PW_TIMELINE_CONCURRENCY_HEIGHT)

/* Spans are drawn with their label from this width on. */
#define PW_TIMELINE_MIN_LABEL_WIDTH      24.0

typedef struct
{
  gint64 t0;             /* visible time range, ns from the profile start */
  gint64 t1;
  double width;          /* logical pixels of the whole picture */
  double height;
  double scroll_y;       /* lanes scrolled up by this much */
  double scale_factor;   /* device pixels per logical pixel */
} PwTimelineViewport;

typedef struct
{
  PwPalette    palette;
  PwColorMode  color_mode;
  gboolean     show_flows;
  const char  *font;             /* Pango font description; NULL: "Sans 9" */
  PwSpanRef    selected;
  PwSpanRef    hovered;
  PwSpanRef    current_match;    /* the search result the user is on */
  gboolean     show_search;      /* outline the layout's search matches */
  gint64       range_begin;      /* shaded time range when end > begin */
  gint64       range_end;
} PwTimelineStyle;

typedef enum
{
  PW_TIMELINE_AREA_NONE,
  PW_TIMELINE_AREA_OVERVIEW,
  PW_TIMELINE_AREA_AXIS,
  PW_TIMELINE_AREA_CONCURRENCY,
  PW_TIMELINE_AREA_NAMES,
  PW_TIMELINE_AREA_LANES,
} PwTimelineArea;

void            pw_timeline_style_init        (PwTimelineStyle          *style,
                                               gboolean                  dark);
void            pw_timeline_viewport_init     (PwTimelineViewport       *viewport,
                                               PwTimelineLayout         *layout,
                                               double                    width,
                                               double                    height);

double          pw_timeline_time_to_x         (const PwTimelineViewport *viewport,
                                               gint64                    time);
gint64          pw_timeline_x_to_time         (const PwTimelineViewport *viewport,
                                               double                    x);
PwTimelineArea  pw_timeline_area_at           (const PwTimelineViewport *viewport,
                                               double                    x,
                                               double                    y);
/* The overview strip maps the whole profile onto the data columns;
 * its window (x0 to x1) is where the visible range is, as drawn. */
double          pw_timeline_overview_time_to_x (const PwTimelineViewport *viewport,
                                                gint64                    duration,
                                                gint64                    time);
gint64          pw_timeline_overview_x_to_time (const PwTimelineViewport *viewport,
                                                gint64                    duration,
                                                double                    x);
void            pw_timeline_overview_window    (const PwTimelineViewport *viewport,
                                                gint64                    duration,
                                                double                   *x0,
                                                double                   *x1);

/* The colour a span is filled with (its full, computing colour). */
void            pw_timeline_span_color        (PwTimelineLayout         *layout,
                                               const PwTimelineStyle    *style,
                                               PwSpanRef                 ref,
                                               PwRgba                   *out);

void            pw_timeline_render            (PwTimelineLayout         *layout,
                                               cairo_t                  *cr,
                                               const PwTimelineViewport *viewport,
                                               const PwTimelineStyle    *style);

/* Only the hovered span's highlight, for widgets that cache the rest. */
void            pw_timeline_render_hover      (PwTimelineLayout         *layout,
                                               cairo_t                  *cr,
                                               const PwTimelineViewport *viewport,
                                               const PwTimelineStyle    *style);

/* The span under (x, y), by binary search; tiny spans within two pixels
 * count. */
gboolean        pw_timeline_hit_test          (PwTimelineLayout         *layout,
                                               const PwTimelineViewport *viewport,
                                               double                    x,
                                               double                    y,
                                               PwSpanRef                *out);
/* The process header row under (x, y): its track index, or -1. */
gint            pw_timeline_hit_test_process  (PwTimelineLayout         *layout,
                                               const PwTimelineViewport *viewport,
                                               double                    x,
                                               double                    y);

/* Tick spacing for a visible duration over a width: 1-2-5 steps. */
gint64          pw_timeline_tick_step         (gint64                    duration,
                                               double                    width,
                                               double                    min_spacing);

G_END_DECLS
