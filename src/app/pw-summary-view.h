/* pw-summary-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-profile.h"

G_BEGIN_DECLS

#define PW_TYPE_SUMMARY_VIEW (pw_summary_view_get_type ())

G_DECLARE_FINAL_TYPE (PwSummaryView, pw_summary_view, PW, SUMMARY_VIEW, GtkWidget)

GtkWidget *pw_summary_view_new         (void);
PwProfile *pw_summary_view_get_profile (PwSummaryView *self);
void       pw_summary_view_set_profile (PwSummaryView *self,
                                        PwProfile     *profile);

G_END_DECLS
