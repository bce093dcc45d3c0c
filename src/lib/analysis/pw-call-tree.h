/* pw-call-tree.h: self and total weight per frame of sampled profiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "pw-profile.h"

G_BEGIN_DECLS

/* All lanes, for the lane argument below. */
#define PW_CALL_TREE_ALL_LANES G_MAXUINT

/* The weight of the samples whose leaf is a frame of this name (self)
 * and of the samples with this name anywhere on the stack (total; a
 * recursive frame counts once per sample), in the profile's sample unit,
 * and the number of samples behind each. */
typedef struct
{
  guint32 name;            /* string id in the profile */
  gint64  self;
  gint64  total;
  guint64 self_samples;
  guint64 total_samples;
} PwFrameTotals;

/* One entry per frame name that occurs in a sample, sorted by self
 * weight, then total weight, largest first. */
GArray *pw_call_tree_frame_totals  (PwProfile  *profile,
                                    guint       lane);

/* "root;…;leaf" of a stack, as folded-stack tools write it (frames are
 * joined as they are, even when they hold the separator). */
char   *pw_call_tree_stack_to_string (PwProfile  *profile,
                                      guint32     stack,
                                      const char *separator);

/* folded stack ("root;…;leaf") -> gint64 summed weight, over one lane or
 * all; the keys and values belong to the table. */
GHashTable *pw_call_tree_fold      (PwProfile  *profile,
                                    guint       lane);

G_END_DECLS
