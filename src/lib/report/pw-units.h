/* pw-units.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "3.62 s", "12.3 ms", "450 µs", "80 ns": three significant digits, the
 * unit chosen so the number reads naturally. */
char *pw_format_duration (gint64 nsec);
/* Like pw_format_duration() with a fixed unit chosen for a range, so that
 * numbers in one column or axis line up. */
char *pw_format_duration_in (gint64 nsec,
                             gint64 unit_nsec);
gint64 pw_duration_unit_for (gint64 nsec);
const char *pw_duration_unit_name (gint64 unit_nsec);
char *pw_format_count (guint64 count);
/* A sample weight in a profile's sample unit ("ns", "bytes", "count" or
 * what the file says): "12.3 ms", "4.5 MB", "1 234", "17 cycles". */
char *pw_format_weight (gint64      weight,
                        const char *unit);

G_END_DECLS
