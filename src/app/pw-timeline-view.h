/* pw-timeline-view.h: the timeline and flame chart of a profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-profile.h"
#include "pw-timeline-layout.h"
#include "pw-timeline-renderer.h"

#include "pw-details-pane.h"

G_BEGIN_DECLS

#define PW_TYPE_TIMELINE_VIEW (pw_timeline_view_get_type ())

G_DECLARE_FINAL_TYPE (PwTimelineView, pw_timeline_view, PW, TIMELINE_VIEW, GtkWidget)

/* Every lane of a profile over time. Lays out off the main thread: "ready"
 * turns TRUE when the layout of the current profile is in. */
GtkWidget        *pw_timeline_view_new               (void);
PwProfile        *pw_timeline_view_get_profile       (PwTimelineView      *self);
void              pw_timeline_view_set_profile       (PwTimelineView      *self,
                                                      PwProfile           *profile);
gboolean          pw_timeline_view_get_ready         (PwTimelineView      *self);
PwTimelineLayout *pw_timeline_view_get_layout        (PwTimelineView      *self);

void              pw_timeline_view_get_visible_range (PwTimelineView      *self,
                                                      gint64              *begin,
                                                      gint64              *end);
void              pw_timeline_view_set_visible_range (PwTimelineView      *self,
                                                      gint64               begin,
                                                      gint64               end);
/* Selects the time range (end <= begin clears it), as shift-drag does. */
void              pw_timeline_view_select_range      (PwTimelineView      *self,
                                                      gint64               begin,
                                                      gint64               end);
/* The viewport as last drawn (canvas coordinates). */
void              pw_timeline_view_get_viewport      (PwTimelineView      *self,
                                                      PwTimelineViewport  *viewport);
PwSpanRef         pw_timeline_view_get_selected      (PwTimelineView      *self);
void              pw_timeline_view_set_selected      (PwTimelineView      *self,
                                                      PwSpanRef            ref);
/* Scrolls to ref's row, pans to it, and with zoom fits it to the width. */
void              pw_timeline_view_reveal_span       (PwTimelineView      *self,
                                                      PwSpanRef            ref,
                                                      gboolean             zoom);
/* What a click with n_press presses does at canvas (x, y). */
void              pw_timeline_view_click             (PwTimelineView      *self,
                                                      double               x,
                                                      double               y,
                                                      int                  n_press);
PwDetailsPane    *pw_timeline_view_get_details_pane  (PwTimelineView      *self);
/* Searches as typing in the search bar does; returns the match count. */
guint             pw_timeline_view_search            (PwTimelineView      *self,
                                                      const char          *text);
const char       *pw_timeline_view_get_match_text    (PwTimelineView      *self);

G_END_DECLS
