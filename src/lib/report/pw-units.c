/* pw-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "pw-units.h"

gint64
pw_duration_unit_for (gint64 nsec)
{
  gint64 abs_nsec = nsec < 0 ? -nsec : nsec;

  if (abs_nsec >= G_GINT64_CONSTANT (1000000000))
    return G_GINT64_CONSTANT (1000000000);
  if (abs_nsec >= 1000000)
    return 1000000;
  if (abs_nsec >= 1000)
    return 1000;
  return 1;
}

const char *
pw_duration_unit_name (gint64 unit_nsec)
{
  switch (unit_nsec)
    {
    case G_GINT64_CONSTANT (1000000000): return "s";
    case 1000000: return "ms";
    case 1000: return "µs";
    default: return "ns";
    }
}

char *
pw_format_duration_in (gint64 nsec,
                       gint64 unit_nsec)
{
  double value = (double) nsec / (double) unit_nsec;
  double abs_value = fabs (value);
  int decimals;

  if (unit_nsec == 1)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ns", nsec);

  decimals = abs_value >= 100 ? 1 : abs_value >= 10 ? 2 : 3;
  if (abs_value >= 1000)
    decimals = 0;

  return g_strdup_printf ("%.*f %s", decimals, value, pw_duration_unit_name (unit_nsec));
}

char *
pw_format_duration (gint64 nsec)
{
  return pw_format_duration_in (nsec, pw_duration_unit_for (nsec));
}

char *
pw_format_count (guint64 count)
{
  GString *str = g_string_new (NULL);
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  gsize len = strlen (digits);

  /* A thin space groups digits without implying a locale. */
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (str, "\u2009");
      g_string_append_c (str, digits[i]);
    }

  return g_string_free (str, FALSE);
}

char *
pw_format_weight (gint64      weight,
                  const char *unit)
{
  g_autofree char *count = NULL;

  if (g_strcmp0 (unit, "ns") == 0)
    return pw_format_duration (weight);
  if (g_strcmp0 (unit, "bytes") == 0 && weight >= 0)
    return g_format_size (weight);

  count = weight < 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, weight) : pw_format_count (weight);
  if (unit == NULL || *unit == '\0' || g_str_equal (unit, "count"))
    return g_steal_pointer (&count);

  return g_strdup_printf ("%s %s", count, unit);
}
