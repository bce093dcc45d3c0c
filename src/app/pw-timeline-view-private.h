/* pw-timeline-view-private.h: what the timeline's pointer gestures do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-timeline-view.h"

G_BEGIN_DECLS

/* The gesture handlers only turn events into these calls (canvas
 * coordinates, logical pixels), so that tests can drive zoom and pan
 * where no touchpad can be synthesized. */

/* Zooms the visible range by factor (below 1 zooms in) keeping the time
 * under x in place; x left of the lanes zooms around the middle. */
void        pw_timeline_view_zoom_at          (PwTimelineView  *self,
                                               double           x,
                                               double           factor);
/* Moves the visible range by dx pixels' worth of time (positive: later). */
void        pw_timeline_view_pan_pixels       (PwTimelineView  *self,
                                               double           dx);
/* A wheel or touchpad scroll with the pointer at x (negative: outside). */
gboolean    pw_timeline_view_scroll           (PwTimelineView  *self,
                                               double           x,
                                               double           dx,
                                               double           dy,
                                               GdkScrollUnit    unit,
                                               GdkModifierType  state);
/* A pinch: scale is relative to the range when it began, around x. */
void        pw_timeline_view_pinch_begin      (PwTimelineView  *self);
void        pw_timeline_view_pinch_update     (PwTimelineView  *self,
                                               double           x,
                                               double           scale);
/* A primary-button drag from (x, y): in the lanes it pans (selects a
 * range with select_range); in the overview it pans the window when it
 * starts inside it and selects a new visible range elsewhere, and a
 * press released where it began centres the view there. */
void        pw_timeline_view_drag_begin       (PwTimelineView  *self,
                                               double           x,
                                               double           y,
                                               gboolean         select_range);
void        pw_timeline_view_drag_update      (PwTimelineView  *self,
                                               double           x,
                                               double           y);
void        pw_timeline_view_drag_end         (PwTimelineView  *self,
                                               double           x,
                                               double           y);
/* The cursor the canvas shows at (x, y) now: NULL for the default. */
const char *pw_timeline_view_get_cursor_name  (PwTimelineView  *self,
                                               double           x,
                                               double           y);

G_END_DECLS
