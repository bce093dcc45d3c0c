/* pw-summary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "pw-profile.h"

G_BEGIN_DECLS

typedef struct
{
  guint lane;
  guint span;
} PwSpanRef;

/* The longest spans of the whole profile, longest first. */
GArray     *pw_summary_longest_spans (PwProfile *profile,
                                      guint      max_spans);
/* The frames with the most self weight over all lanes of a sampled
 * profile, PwFrameTotals, at most max_frames; and the total weight. */
GArray     *pw_summary_top_functions (PwProfile *profile,
                                      guint      max_frames,
                                      gint64    *total_weight);
/* FALSE for a profile whose samples carry no times (a heap profile,
 * folded stacks): its duration of 0 means "not recorded". */
gboolean    pw_summary_has_duration  (PwProfile *profile);
JsonNode   *pw_summary_to_json       (PwProfile *profile);
char       *pw_summary_to_text       (PwProfile *profile);
char       *pw_lane_describe         (PwProfile    *profile,
                                      const PwLane *lane);

G_END_DECLS
