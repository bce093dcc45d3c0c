/* pw-phases-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-phases.h"
#include "pw-profile.h"

G_BEGIN_DECLS

#define PW_TYPE_PHASES_VIEW (pw_phases_view_get_type ())

G_DECLARE_FINAL_TYPE (PwPhasesView, pw_phases_view, PW, PHASES_VIEW, GtkWidget)

/* The phases of a profile: a table of wall, CPU and task time per phase,
 * the bar chart, and the explanations. Emits "phase-activated" with the
 * phase's start and end (ns from the profile start) when the user clicks
 * a phase, so that the timeline can select its range. */
GtkWidget *pw_phases_view_new         (void);
PwProfile *pw_phases_view_get_profile (PwPhasesView *self);
void       pw_phases_view_set_profile (PwPhasesView *self,
                                       PwProfile    *profile);
/* The timeline's selection, offered as the "Timeline selection" phase;
 * end <= start: none. */
void       pw_phases_view_set_range   (PwPhasesView *self,
                                       gint64        start_ns,
                                       gint64        end_ns);
/* The phases shown, once computed; NULL before. */
PwPhases  *pw_phases_view_get_phases  (PwPhasesView *self);

G_END_DECLS
