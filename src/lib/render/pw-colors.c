/* pw-colors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pw-colors.h"

static void
set_rgb (PwRgba  *c,
         guint32  rgb,
         double   a)
{
  c->r = ((rgb >> 16) & 0xff) / 255.0;
  c->g = ((rgb >> 8) & 0xff) / 255.0;
  c->b = (rgb & 0xff) / 255.0;
  c->a = a;
}

void
pw_palette_init_light (PwPalette *p)
{
  g_return_if_fail (p != NULL);

  p->dark = FALSE;
  set_rgb (&p->background, 0xffffff, 1);
  set_rgb (&p->header_background, 0xf2f2f4, 1);
  set_rgb (&p->grid, 0xdcdce0, 1);
  set_rgb (&p->text, 0x1e1e22, 1);
  set_rgb (&p->dim_text, 0x6a6a72, 1);
  set_rgb (&p->selection, 0x1c71d8, 1);
  set_rgb (&p->hover, 0x000000, 0.18);
  set_rgb (&p->search, 0xe01b24, 1);
  set_rgb (&p->range, 0x3584e4, 0.18);
  set_rgb (&p->accent, 0x3584e4, 1);
}

void
pw_palette_init_dark (PwPalette *p)
{
  g_return_if_fail (p != NULL);

  p->dark = TRUE;
  set_rgb (&p->background, 0x1e1e1e, 1);
  set_rgb (&p->header_background, 0x2a2a2e, 1);
  set_rgb (&p->grid, 0x3a3a40, 1);
  set_rgb (&p->text, 0xf0f0f2, 1);
  set_rgb (&p->dim_text, 0xa0a0a8, 1);
  set_rgb (&p->selection, 0x78aeed, 1);
  set_rgb (&p->hover, 0xffffff, 0.22);
  set_rgb (&p->search, 0xffbe6f, 1);
  set_rgb (&p->range, 0x78aeed, 0.22);
  set_rgb (&p->accent, 0x62a0ea, 1);
}

/* FNV-1a: stable across runs and machines, so a name keeps its colour. */
guint32
pw_color_hash_string (const char *str)
{
  guint32 h = 2166136261u;

  for (const guchar *p = (const guchar *) (str ? str : ""); *p; p++)
    {
      h ^= *p;
      h *= 16777619u;
    }

  /* Finalize so that names differing in the last byte spread over hues. */
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;

  return h;
}

static void
hsl_to_rgb (double  h,
            double  s,
            double  l,
            PwRgba *out)
{
  double c = (1 - fabs (2 * l - 1)) * s;
  double hp = fmod (h, 360.0) / 60.0;
  double x = c * (1 - fabs (fmod (hp, 2.0) - 1));
  double m = l - c / 2;
  double r = 0, g = 0, b = 0;

  if (hp < 1) r = c, g = x;
  else if (hp < 2) r = x, g = c;
  else if (hp < 3) g = c, b = x;
  else if (hp < 4) g = x, b = c;
  else if (hp < 5) r = x, b = c;
  else r = c, b = x;

  out->r = r + m;
  out->g = g + m;
  out->b = b + m;
  out->a = 1;
}

void
pw_color_for_hash (guint32   hash,
                   gboolean  dark,
                   PwRgba   *out)
{
  double hue = (hash % 360);
  double sat = 0.55 + ((hash >> 9) % 20) / 100.0;
  double light = (dark ? 0.50 : 0.62) + ((hash >> 17) % 12) / 100.0 - 0.06;

  g_return_if_fail (out != NULL);

  hsl_to_rgb (hue, sat, light, out);
}

void
pw_color_for_cpu_share (double    share,
                        gboolean  dark,
                        PwRgba   *out)
{
  g_return_if_fail (out != NULL);

  if (share < 0)
    {
      set_rgb (out, dark ? 0x5e5c64 : 0xc0bfbc, 1);
      return;
    }

  share = CLAMP (share, 0.0, 1.0);
  /* Blue (waiting) through violet to orange-red (computing). */
  hsl_to_rgb (fmod (215 + share * 165, 360.0), 0.70, dark ? 0.52 : 0.58, out);
}

void
pw_color_mix (const PwRgba *a,
              const PwRgba *b,
              double        t,
              PwRgba       *out)
{
  out->r = a->r + (b->r - a->r) * t;
  out->g = a->g + (b->g - a->g) * t;
  out->b = a->b + (b->b - a->b) * t;
  out->a = a->a + (b->a - a->a) * t;
}

static double
linear (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

double
pw_color_luminance (const PwRgba *c)
{
  return 0.2126 * linear (c->r) + 0.7152 * linear (c->g) + 0.0722 * linear (c->b);
}

void
pw_color_text_on (const PwRgba *fill,
                  PwRgba       *out)
{
  /* The contrast ratio against black is (L + 0.05) / 0.05 and against
   * white 1.05 / (L + 0.05); they are equal at L ≈ 0.179. */
  if (pw_color_luminance (fill) > 0.179)
    set_rgb (out, 0x000000, 1);
  else
    set_rgb (out, 0xffffff, 1);
}

guint32
pw_color_pack (const PwRgba *c)
{
  return ((guint32) lround (CLAMP (c->r, 0, 1) * 255) << 16) |
         ((guint32) lround (CLAMP (c->g, 0, 1) * 255) << 8) |
         (guint32) lround (CLAMP (c->b, 0, 1) * 255);
}

void
pw_color_unpack (guint32  packed,
                 PwRgba  *out)
{
  set_rgb (out, packed, 1);
}

const char *
pw_color_mode_to_string (PwColorMode mode)
{
  switch (mode)
    {
    case PW_COLOR_MODE_CATEGORY: return "category";
    case PW_COLOR_MODE_CPU: return "cpu";
    case PW_COLOR_MODE_NAME:
    default: return "name";
    }
}

PwColorMode
pw_color_mode_from_string (const char *str)
{
  if (g_strcmp0 (str, "category") == 0)
    return PW_COLOR_MODE_CATEGORY;
  if (g_strcmp0 (str, "cpu") == 0)
    return PW_COLOR_MODE_CPU;
  return PW_COLOR_MODE_NAME;
}
