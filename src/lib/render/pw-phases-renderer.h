/* pw-phases-renderer.h: the phases bar chart on any cairo_t
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "pw-colors.h"
#include "pw-phases.h"
#include "pw-render-export.h"

G_BEGIN_DECLS

typedef struct
{
  PwPalette    palette;
  PwRgba       wall;          /* bar colours, shared with the table's legend */
  PwRgba       cpu;
  PwRgba       task;
  const char  *font;          /* Pango font description; NULL: "Sans 9" */
  gint         selected;      /* phase index, or -1 */
  gint         hovered;
} PwPhasesChartStyle;

void    pw_phases_chart_style_init  (PwPhasesChartStyle       *style,
                                     gboolean                  dark);

/* The height the chart needs for all phases at this width. */
double  pw_phases_chart_get_height  (PwPhases                 *phases);

void    pw_phases_chart_draw        (PwPhases                 *phases,
                                     cairo_t                  *cr,
                                     const PwPhasesChartStyle *style,
                                     double                    width,
                                     double                    height);

/* The phase drawn at (x, y), or -1. */
gint    pw_phases_chart_hit_test    (PwPhases                 *phases,
                                     double                    width,
                                     double                    x,
                                     double                    y);

/* "phases" for pw_render_export() and `phasewise-cli render --view phases`:
 * the default phases of the profile. */
extern const PwRenderView pw_phases_render_view;

G_END_DECLS
