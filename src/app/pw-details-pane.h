/* pw-details-pane.h: what the timeline knows about the selected span
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "pw-timeline-layout.h"

G_BEGIN_DECLS

#define PW_TYPE_DETAILS_PANE (pw_details_pane_get_type ())

G_DECLARE_FINAL_TYPE (PwDetailsPane, pw_details_pane, PW, DETAILS_PANE, GtkWidget)

GtkWidget  *pw_details_pane_new        (void);
/* Shows the span (or a hint when ref is PW_SPAN_REF_NONE). */
void        pw_details_pane_set_span   (PwDetailsPane          *self,
                                        PwTimelineLayout       *layout,
                                        PwSpanRef               ref);
/* Shows a time range's summary below the span, or hides it (NULL). */
void        pw_details_pane_set_range  (PwDetailsPane          *self,
                                        gint64                  begin,
                                        gint64                  end,
                                        const PwRangeSummary   *summary);
/* The text shown for a field: "name", "category", "lane", "start",
 * "wall", "cpu", "self", "children", "args", "range-wall", "range-cpu",
 * "range-task", "range-parallelism"; NULL when not shown. */
const char *pw_details_pane_get_value  (PwDetailsPane          *self,
                                        const char             *key);

G_END_DECLS
