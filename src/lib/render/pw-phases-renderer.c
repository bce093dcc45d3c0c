/* pw-phases-renderer.c: the phases bar chart on any cairo_t
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-phases-renderer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "pw-phases-renderer.h"
#include "pw-units.h"

#define MARGIN       12.0
#define HEADER       34.0
#define ROW          58.0
#define BAR          11.0
#define BAR_GAP       3.0
#define STRIP_WIDTH 160.0
#define STRIP_LABEL  50.0
#define STRIP_HEIGHT 34.0
#define LABEL_ROOM   72.0
/* Beyond this many rows a chart stops being read; it also bounds the
 * surface a widget allocates for it. */
#define MAX_ROWS     60

static void
set_rgb (PwRgba  *c,
         guint32  rgb)
{
  c->r = ((rgb >> 16) & 0xff) / 255.0;
  c->g = ((rgb >> 8) & 0xff) / 255.0;
  c->b = (rgb & 0xff) / 255.0;
  c->a = 1.0;
}

void
pw_phases_chart_style_init (PwPhasesChartStyle *style,
                            gboolean            dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    pw_palette_init_dark (&style->palette);
  else
    pw_palette_init_light (&style->palette);

  /* GNOME palette: blue wall, orange CPU, green task time; the dark
   * variants are lighter so they read on a dark background. */
  set_rgb (&style->wall, dark ? 0x62a0ea : 0x3584e4);
  set_rgb (&style->cpu, dark ? 0xffa348 : 0xe66100);
  set_rgb (&style->task, dark ? 0x57e389 : 0x26a269);
  style->selected = -1;
  style->hovered = -1;
}

double
pw_phases_chart_get_height (PwPhases *phases)
{
  guint n = phases ? pw_phases_get_n_phases (phases) : 0;

  if (n > MAX_ROWS)
    return HEADER + MAX_ROWS * ROW + 2 * ROW / 3 + MARGIN;
  return HEADER + MAX (n, 1) * ROW + MARGIN;
}

static void
set_color (cairo_t      *cr,
           const PwRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static PangoLayout *
make_layout (cairo_t                  *cr,
             const PwPhasesChartStyle *style,
             gboolean                  bold,
             double                    scale)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font =
    pango_font_description_from_string (style->font ? style->font : "Sans 9");

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  /* GTK hands out absolute (pixel) sizes: keep the kind of size */
  if (scale != 1.0 && pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, pango_font_description_get_size (font) * scale);
  else if (scale != 1.0)
    pango_font_description_set_size (font, (gint) (pango_font_description_get_size (font) * scale));
  pango_layout_set_font_description (layout, font);
  return layout;
}

/* Draws text with its top-left (or top-right) at (x, y); returns its width. */
static double
draw_text (cairo_t      *cr,
           PangoLayout  *layout,
           const char   *text,
           double        x,
           double        y,
           double        max_width,
           gboolean      right_aligned,
           const PwRgba *color)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, max_width > 0 ? (int) (max_width * PANGO_SCALE) : -1);
  pango_layout_set_ellipsize (layout, max_width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, color);
  cairo_move_to (cr, right_aligned ? x - w : x, y);
  pango_cairo_show_layout (cr, layout);
  return w;
}

typedef struct
{
  double name_width;
  double bars_x;
  double bars_width;
  double strip_x;
} Columns;

static void
columns_for (double   width,
             Columns *c)
{
  double strip = width > 520 ? STRIP_WIDTH : 0;

  c->name_width = CLAMP (width * 0.22, 90.0, 220.0);
  c->bars_x = MARGIN + c->name_width + MARGIN;
  c->strip_x = width - MARGIN - strip;
  c->bars_width = MAX (20.0, c->strip_x - (strip > 0 ? MARGIN + STRIP_LABEL : 0) - LABEL_ROOM - c->bars_x);
}

static void
draw_legend (cairo_t                  *cr,
             PangoLayout              *layout,
             const PwPhasesChartStyle *style,
             const Columns            *cols,
             double                    width)
{
  const struct { const PwRgba *color; const char *label; } items[] = {
    { &style->wall, N_("wall") },
    { &style->cpu, N_("CPU") },
    { &style->task, N_("task time (summed over lanes)") },
  };
  double x = cols->bars_x;
  double y = 10;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      set_color (cr, items[i].color);
      cairo_rectangle (cr, x, y + 3, 10, 10);
      cairo_fill (cr);
      x += 14;
      x += draw_text (cr, layout, _(items[i].label), x, y, -1, FALSE, &style->palette.text) + 16;
    }

  draw_text (cr, layout, _("phase"), MARGIN, y, cols->name_width, FALSE, &style->palette.dim_text);
  if (cols->strip_x < width - MARGIN)
    draw_text (cr, layout, _("lanes busy (concurrency)"), width - MARGIN, y,
               -1, TRUE, &style->palette.dim_text);

  set_color (cr, &style->palette.grid);
  cairo_rectangle (cr, MARGIN, HEADER - 4, width - 2 * MARGIN, 1);
  cairo_fill (cr);
}

static void
draw_bar (cairo_t                  *cr,
          PangoLayout              *layout,
          const PwPhasesChartStyle *style,
          const Columns            *cols,
          double                    y,
          gint64                    value,
          gint64                    max_value,
          const PwRgba             *color)
{
  double w;
  g_autofree char *label = NULL;

  if (value < 0)
    {
      /* unknown is not zero: an outlined, dashed placeholder */
      double dash[] = { 3, 3 };

      set_color (cr, color);
      cairo_save (cr);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_rectangle (cr, cols->bars_x + 0.5, y + 0.5, 28, BAR - 1);
      cairo_stroke (cr);
      cairo_restore (cr);
      draw_text (cr, layout, _("CPU unknown"), cols->bars_x + 34, y - 2, -1, FALSE,
                 &style->palette.dim_text);
      return;
    }

  w = max_value > 0 ? cols->bars_width * (double) value / (double) max_value : 0;
  if (value > 0)
    w = MAX (w, 1.0);
  set_color (cr, color);
  cairo_rectangle (cr, cols->bars_x, y, w, BAR);
  cairo_fill (cr);

  label = pw_format_duration (value);
  draw_text (cr, layout, label, cols->bars_x + w + 4, y - 2, -1, FALSE, &style->palette.text);
}

static void
draw_strip (cairo_t                  *cr,
            PangoLayout              *layout,
            const PwPhasesChartStyle *style,
            const PwPhase            *phase,
            double                    x,
            double                    y,
            double                    w)
{
  double h = STRIP_HEIGHT;
  double top = MAX (1.0, (double) phase->max_concurrency);
  g_autofree char *label = g_strdup_printf (_("max %u"), phase->max_concurrency);
  /* its area is the task time, hence the task colour */
  PwRgba fill = style->task;

  set_color (cr, &style->palette.header_background);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);

  fill.a = 0.55;
  set_color (cr, &fill);
  cairo_move_to (cr, x, y + h);
  for (guint k = 0; k < PW_PHASE_N_BUCKETS; k++)
    {
      double x0 = x + w * k / PW_PHASE_N_BUCKETS;
      double x1 = x + w * (k + 1) / PW_PHASE_N_BUCKETS;
      double v = MIN (phase->concurrency[k] / top, 1.0);

      cairo_line_to (cr, x0, y + h - v * (h - 2));
      cairo_line_to (cr, x1, y + h - v * (h - 2));
    }
  cairo_line_to (cr, x + w, y + h);
  cairo_close_path (cr);
  cairo_fill (cr);

  set_color (cr, &style->palette.grid);
  cairo_rectangle (cr, x, y + h - 1, w, 1);
  cairo_fill (cr);

  draw_text (cr, layout, label, x - 6, y + h / 2 - 7, -1, TRUE, &style->palette.text);
}

void
pw_phases_chart_draw (PwPhases                 *phases,
                      cairo_t                  *cr,
                      const PwPhasesChartStyle *style,
                      double                    width,
                      double                    height)
{
  g_autoptr(PangoLayout) text = NULL;
  g_autoptr(PangoLayout) bold = NULL;
  g_autoptr(PangoLayout) small = NULL;
  Columns cols;
  gint64 max_value = 1;
  guint n;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  set_color (cr, &style->palette.background);
  cairo_paint (cr);

  text = make_layout (cr, style, FALSE, 1.0);
  bold = make_layout (cr, style, TRUE, 1.0);
  small = make_layout (cr, style, FALSE, 0.85);
  columns_for (width, &cols);
  draw_legend (cr, text, style, &cols, width);

  n = phases ? pw_phases_get_n_phases (phases) : 0;
  if (n == 0)
    {
      draw_text (cr, text, _("No phases: this profile has no spans to divide it into phases."),
                 MARGIN, HEADER + 8, width - 2 * MARGIN, FALSE, &style->palette.dim_text);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const PwPhase *p = pw_phases_get_phase (phases, i);

      max_value = MAX (max_value, MAX (p->wall_ns, MAX (p->cpu_ns, p->task_ns)));
    }

  if (n > MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "… and %u more phase. Group repeated phases to merge them.",
                                                            "… and %u more phases. Group repeated phases to merge them.",
                                                            n - MAX_ROWS),
                                               n - MAX_ROWS);

      draw_text (cr, text, more, MARGIN, HEADER + MAX_ROWS * ROW + 10, width - 2 * MARGIN, FALSE,
                 &style->palette.dim_text);
      n = MAX_ROWS;
    }

  for (guint i = 0; i < n; i++)
    {
      const PwPhase *p = pw_phases_get_phase (phases, i);
      double y = HEADER + i * ROW;
      double bar_y = y + 7;
      g_autofree char *name = NULL;
      g_autofree char *summary = NULL;
      g_autofree char *share = NULL;

      if (y > height)
        break;

      if ((gint) i == style->selected || (gint) i == style->hovered)
        {
          set_color (cr, (gint) i == style->selected ? &style->palette.range : &style->palette.hover);
          cairo_rectangle (cr, 0, y, width, ROW);
          cairo_fill (cr);
        }
      else if (i % 2 == 1)
        {
          PwRgba band = style->palette.header_background;

          band.a *= 0.5;
          set_color (cr, &band);
          cairo_rectangle (cr, 0, y, width, ROW);
          cairo_fill (cr);
        }

      name = p->n_iterations > 1 ? g_strdup_printf ("%s ×%u", p->name, p->n_iterations)
                                 : g_strdup (p->name);
      draw_text (cr, bold, name, MARGIN, bar_y - 2, cols.name_width, FALSE, &style->palette.text);
      summary = g_strdup_printf (_("%.1f× parallel"), p->parallelism);
      draw_text (cr, small, summary, MARGIN, bar_y + 15, cols.name_width, FALSE, &style->palette.dim_text);
      share = g_strdup_printf (_("%.1f %% of the run"), 100.0 * p->share);
      draw_text (cr, small, share, MARGIN, bar_y + 29, cols.name_width, FALSE, &style->palette.dim_text);

      draw_bar (cr, small, style, &cols, bar_y, p->wall_ns, max_value, &style->wall);
      draw_bar (cr, small, style, &cols, bar_y + BAR + BAR_GAP, p->cpu_ns, max_value, &style->cpu);
      draw_bar (cr, small, style, &cols, bar_y + 2 * (BAR + BAR_GAP), p->task_ns, max_value, &style->task);

      if (cols.strip_x < width - MARGIN)
        draw_strip (cr, small, style, p, cols.strip_x, bar_y + 2, width - MARGIN - cols.strip_x);
    }
}

gint
pw_phases_chart_hit_test (PwPhases *phases,
                          double    width,
                          double    x,
                          double    y)
{
  guint n = phases ? pw_phases_get_n_phases (phases) : 0;
  double row = (y - HEADER) / ROW;

  if (y < HEADER || x < 0 || x > width || row >= MIN (n, MAX_ROWS))
    return -1;
  return (gint) row;
}

/* Export */

static double
phases_natural_height (PwProfile             *profile,
                       const PwRenderRequest *request)
{
  g_autoptr(PwPhases) phases = pw_phases_compute (profile, NULL, NULL, NULL);

  return pw_phases_chart_get_height (phases);
}

static gboolean
phases_draw (PwProfile              *profile,
             cairo_t                *cr,
             const PwRenderRequest  *request,
             GError                **error)
{
  g_autoptr(PwPhases) phases = pw_phases_compute (profile, NULL, NULL, error);
  PwPhasesChartStyle style;

  if (phases == NULL)
    return FALSE;

  pw_phases_chart_style_init (&style, request->dark);
  pw_phases_chart_draw (phases, cr, &style, request->width, request->height);

  return TRUE;
}

const PwRenderView pw_phases_render_view = {
  "phases", N_("Phases: wall, CPU and task time"), phases_natural_height, phases_draw,
};
