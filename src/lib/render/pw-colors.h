/* pw-colors.h: span colours and the palettes the renderers draw with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} PwRgba;

typedef enum
{
  PW_COLOR_MODE_NAME,      /* a stable hash of the span name */
  PW_COLOR_MODE_CATEGORY,  /* a stable hash of the category */
  PW_COLOR_MODE_CPU,       /* the share of wall time spent on a CPU */
} PwColorMode;

/* The colours around the spans. The widget fills it from its style (light
 * or dark); the CLI uses the light default. */
typedef struct
{
  gboolean dark;
  PwRgba   background;
  PwRgba   header_background;   /* lane name column, process rows, axis */
  PwRgba   grid;
  PwRgba   text;
  PwRgba   dim_text;
  PwRgba   selection;           /* outline of the selected span */
  PwRgba   hover;
  PwRgba   search;              /* outline of spans that match the search */
  PwRgba   range;               /* shaded time range selection */
  PwRgba   accent;              /* concurrency area, overview window */
} PwPalette;

void         pw_palette_init_light        (PwPalette     *palette);
void         pw_palette_init_dark         (PwPalette     *palette);

guint32      pw_color_hash_string         (const char    *str);
/* A fill colour for a hash, tuned for the palette's background. */
void         pw_color_for_hash            (guint32        hash,
                                           gboolean       dark,
                                           PwRgba        *out);
/* 0 → waiting (cool), 1 → computing (warm); share < 0 means unknown. */
void         pw_color_for_cpu_share       (double         share,
                                           gboolean       dark,
                                           PwRgba        *out);
/* Mixes a towards b by t (0..1). */
void         pw_color_mix                 (const PwRgba  *a,
                                           const PwRgba  *b,
                                           double         t,
                                           PwRgba        *out);
double       pw_color_luminance           (const PwRgba  *color);
/* Black or white text, whichever reads better on fill. */
void         pw_color_text_on             (const PwRgba  *fill,
                                           PwRgba        *out);
guint32      pw_color_pack                (const PwRgba  *color);
void         pw_color_unpack              (guint32        packed,
                                           PwRgba        *out);

const char  *pw_color_mode_to_string      (PwColorMode    mode);
PwColorMode  pw_color_mode_from_string    (const char    *str);

G_END_DECLS
