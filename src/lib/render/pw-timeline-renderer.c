/* pw-timeline-renderer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-timeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "pw-timeline-layout-private.h"
#include "pw-timeline-renderer.h"
#include "pw-units.h"

#define DEFAULT_FONT      "Sans 9"
#define MAX_LABELS        20000
#define MAX_FLOWS_CHECKED 200000
#define MAX_FLOWS_SHOWN   24

/* Labels: shaped once per string and font, then drawn as glyphs, so a
 * frame with hundreds of labels costs no text layout at all. */

typedef struct
{
  PangoFont        *font;       /* NULL: use the fallback layout */
  PangoGlyphString *glyphs;
  PangoLayout      *layout;     /* text that needs several fonts */
  double            width;
} Label;

typedef struct
{
  char                 *font_name;
  PangoContext         *context;
  PangoFontDescription *desc;
  GHashTable           *by_string;   /* string id → Label */
  GHashTable           *by_pointer;  /* stable const char * → Label */
  Label                *ellipsis;
  double                ascent;
  double                height;
} LabelCache;

static void
label_free (gpointer data)
{
  Label *label = data;

  g_clear_object (&label->font);
  g_clear_pointer (&label->glyphs, pango_glyph_string_free);
  g_clear_object (&label->layout);
  g_free (label);
}

static void
label_cache_free (gpointer data)
{
  LabelCache *cache = data;

  g_free (cache->font_name);
  g_clear_object (&cache->context);
  g_clear_pointer (&cache->desc, pango_font_description_free);
  g_clear_pointer (&cache->by_string, g_hash_table_unref);
  g_clear_pointer (&cache->by_pointer, g_hash_table_unref);
  g_clear_pointer (&cache->ellipsis, label_free);
  g_free (cache);
}

static Label *
label_shape (LabelCache *cache,
             const char *text)
{
  Label *label = g_new0 (Label, 1);
  gsize len = strlen (text);
  GList *items;

  items = pango_itemize (cache->context, text, 0, len, NULL, NULL);
  if (items != NULL && items->next == NULL)
    {
      PangoItem *item = items->data;
      PangoRectangle logical;

      label->glyphs = pango_glyph_string_new ();
      pango_shape_with_flags (text + item->offset, item->length, text, len,
                              &item->analysis, label->glyphs, PANGO_SHAPE_NONE);
      label->font = g_object_ref (item->analysis.font);
      pango_glyph_string_extents (label->glyphs, label->font, NULL, &logical);
      label->width = logical.width / (double) PANGO_SCALE;
    }
  else
    {
      int w;

      label->layout = pango_layout_new (cache->context);
      pango_layout_set_text (label->layout, text, len);
      pango_layout_set_ellipsize (label->layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_size (label->layout, &w, NULL);
      label->width = w / (double) PANGO_SCALE;
    }
  g_list_free_full (items, (GDestroyNotify) pango_item_free);

  return label;
}

static LabelCache *
get_label_cache (PwTimelineLayout *layout,
                 const char       *font_name)
{
  LabelCache *cache = layout->label_cache;
  PangoFontMap *map;
  PangoFontMetrics *metrics;
  cairo_font_options_t *options;

  if (cache != NULL && g_strcmp0 (cache->font_name, font_name) == 0)
    return cache;

  g_clear_pointer (&layout->label_cache, label_cache_free);
  cache = g_new0 (LabelCache, 1);
  cache->font_name = g_strdup (font_name);
  map = pango_cairo_font_map_get_default ();
  cache->context = pango_font_map_create_context (map);
  /* Unhinted metrics: the same widths on screen, in PNG and in PDF. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  pango_cairo_context_set_font_options (cache->context, options);
  cairo_font_options_destroy (options);
  cache->desc = pango_font_description_from_string (font_name);
  pango_context_set_font_description (cache->context, cache->desc);
  metrics = pango_context_get_metrics (cache->context, cache->desc, NULL);
  cache->ascent = pango_font_metrics_get_ascent (metrics) / (double) PANGO_SCALE;
  cache->height = cache->ascent + pango_font_metrics_get_descent (metrics) / (double) PANGO_SCALE;
  pango_font_metrics_unref (metrics);
  cache->by_string = g_hash_table_new_full (NULL, NULL, NULL, label_free);
  cache->by_pointer = g_hash_table_new_full (NULL, NULL, NULL, label_free);
  cache->ellipsis = label_shape (cache, "…");

  layout->label_cache = cache;
  layout->label_cache_free = label_cache_free;

  return cache;
}

static Label *
label_for_string (LabelCache *cache,
                  PwProfile  *profile,
                  guint32     id)
{
  Label *label = g_hash_table_lookup (cache->by_string, GUINT_TO_POINTER (id));

  if (label == NULL)
    {
      if (g_hash_table_size (cache->by_string) > MAX_LABELS)
        g_hash_table_remove_all (cache->by_string);
      label = label_shape (cache, pw_profile_get_string (profile, id));
      g_hash_table_insert (cache->by_string, GUINT_TO_POINTER (id), label);
    }

  return label;
}

static Label *
label_for_text (LabelCache *cache,
                const char *text)
{
  Label *label = g_hash_table_lookup (cache->by_pointer, text);

  if (label == NULL)
    {
      if (g_hash_table_size (cache->by_pointer) > MAX_LABELS)
        g_hash_table_remove_all (cache->by_pointer);
      label = label_shape (cache, text);
      g_hash_table_insert (cache->by_pointer, (gpointer) text, label);
    }

  return label;
}

/* Draws label at (x, middle y) within width, ellipsized. FALSE when not
 * even one character fits. */
static gboolean
draw_label (cairo_t    *cr,
            LabelCache *cache,
            Label      *label,
            double      x,
            double      y_middle,
            double      width)
{
  double baseline = round (y_middle - cache->height / 2 + cache->ascent);

  if (width <= 4)
    return FALSE;

  if (label->layout != NULL)
    {
      pango_layout_set_width (label->layout, (int) (width * PANGO_SCALE));
      cairo_move_to (cr, x, round (y_middle - cache->height / 2));
      pango_cairo_show_layout (cr, label->layout);
      return TRUE;
    }

  if (label->width <= width)
    {
      cairo_move_to (cr, x, baseline);
      pango_cairo_show_glyph_string (cr, label->font, label->glyphs);
      return TRUE;
    }
  else
    {
      PangoGlyphString part = *label->glyphs;
      double avail = width - cache->ellipsis->width;
      double used = 0;
      int k = 0;

      while (k < part.num_glyphs)
        {
          double w = part.glyphs[k].geometry.width / (double) PANGO_SCALE;

          if (used + w > avail)
            break;
          used += w;
          k++;
        }
      if (k == 0)
        return FALSE;
      part.num_glyphs = k;
      cairo_move_to (cr, x, baseline);
      pango_cairo_show_glyph_string (cr, label->font, &part);
      if (cache->ellipsis->font != NULL)
        {
          cairo_move_to (cr, x + used, baseline);
          pango_cairo_show_glyph_string (cr, cache->ellipsis->font, cache->ellipsis->glyphs);
        }
      return TRUE;
    }
}

static PangoLayout *
text_layout (LabelCache *cache,
             const char *text)
{
  PangoLayout *layout = pango_layout_new (cache->context);

  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Geometry */

void
pw_timeline_style_init (PwTimelineStyle *style,
                        gboolean         dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    pw_palette_init_dark (&style->palette);
  else
    pw_palette_init_light (&style->palette);
  style->color_mode = PW_COLOR_MODE_NAME;
  style->show_flows = TRUE;
  style->selected = PW_SPAN_REF_NONE;
  style->hovered = PW_SPAN_REF_NONE;
  style->current_match = PW_SPAN_REF_NONE;
}

void
pw_timeline_viewport_init (PwTimelineViewport *viewport,
                           PwTimelineLayout   *layout,
                           double              width,
                           double              height)
{
  g_return_if_fail (viewport != NULL);

  memset (viewport, 0, sizeof *viewport);
  viewport->t0 = 0;
  viewport->t1 = layout ? pw_timeline_layout_get_duration (layout) : 1;
  viewport->width = width;
  viewport->height = height;
  viewport->scale_factor = 1;
}

static double
data_width (const PwTimelineViewport *vp)
{
  return MAX (vp->width - PW_TIMELINE_NAME_WIDTH, 1.0);
}

double
pw_timeline_time_to_x (const PwTimelineViewport *vp,
                       gint64                    time)
{
  double span = (double) MAX (vp->t1 - vp->t0, 1);

  return PW_TIMELINE_NAME_WIDTH + (double) (time - vp->t0) * data_width (vp) / span;
}

gint64
pw_timeline_x_to_time (const PwTimelineViewport *vp,
                       double                    x)
{
  double span = (double) MAX (vp->t1 - vp->t0, 1);

  return vp->t0 + (gint64) floor ((x - PW_TIMELINE_NAME_WIDTH) * span / data_width (vp));
}

PwTimelineArea
pw_timeline_area_at (const PwTimelineViewport *vp,
                     double                    x,
                     double                    y)
{
  if (x < 0 || y < 0 || x >= vp->width || y >= vp->height)
    return PW_TIMELINE_AREA_NONE;
  if (y < PW_TIMELINE_OVERVIEW_HEIGHT)
    return PW_TIMELINE_AREA_OVERVIEW;
  if (y < PW_TIMELINE_OVERVIEW_HEIGHT + PW_TIMELINE_AXIS_HEIGHT)
    return PW_TIMELINE_AREA_AXIS;
  if (y < PW_TIMELINE_LANES_TOP)
    return PW_TIMELINE_AREA_CONCURRENCY;
  if (x < PW_TIMELINE_NAME_WIDTH)
    return PW_TIMELINE_AREA_NAMES;
  return PW_TIMELINE_AREA_LANES;
}

/* The overview spans the data columns with the whole profile. */
double
pw_timeline_overview_time_to_x (const PwTimelineViewport *vp,
                                gint64                    duration,
                                gint64                    time)
{
  return PW_TIMELINE_NAME_WIDTH + (double) time / (double) MAX (duration, 1) * data_width (vp);
}

gint64
pw_timeline_overview_x_to_time (const PwTimelineViewport *vp,
                                gint64                    duration,
                                double                    x)
{
  double frac = CLAMP ((x - PW_TIMELINE_NAME_WIDTH) / data_width (vp), 0.0, 1.0);

  return (gint64) floor (frac * (double) MAX (duration, 1));
}

void
pw_timeline_overview_window (const PwTimelineViewport *vp,
                             gint64                    duration,
                             double                   *x0,
                             double                   *x1)
{
  double left = PW_TIMELINE_NAME_WIDTH, right = left + data_width (vp);
  double a = CLAMP (pw_timeline_overview_time_to_x (vp, duration, vp->t0), left, right);
  double b = pw_timeline_overview_time_to_x (vp, duration, vp->t1);

  /* However far in, the window stays wide enough to see. */
  *x0 = a;
  *x1 = CLAMP (b, a + 2, right + 2);
}

gint64
pw_timeline_tick_step (gint64 duration,
                       double width,
                       double min_spacing)
{
  double per_px = (double) MAX (duration, 1) / MAX (width, 1.0);
  double want = per_px * min_spacing;
  gint64 step = 1;

  for (;;)
    {
      if ((double) step >= want)
        return step;
      if ((double) step * 2 >= want)
        return step * 2;
      if ((double) step * 5 >= want)
        return step * 5;
      if (step > G_MAXINT64 / 100)
        return step * 10;
      step *= 10;
    }
}

static void
set_source (cairo_t      *cr,
            const PwRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

void
pw_timeline_span_color (PwTimelineLayout      *layout,
                        const PwTimelineStyle *style,
                        PwSpanRef              ref,
                        PwRgba                *out)
{
  const PwLane *lane = pw_timeline_layout_get_lane (layout, ref.lane);
  PwProfile *profile = layout->profile;

  switch (style->color_mode)
    {
    case PW_COLOR_MODE_CPU:
      {
        gint64 cpu = lane->span_cpu[ref.span], dur = lane->span_dur[ref.span];

        pw_color_for_cpu_share (cpu >= 0 && dur > 0 ? (double) cpu / (double) dur : (cpu >= 0 ? 1 : -1),
                                style->palette.dark, out);
      }
      break;

    case PW_COLOR_MODE_CATEGORY:
      pw_color_for_hash (pw_color_hash_string (pw_profile_get_string (profile, lane->span_category[ref.span])),
                         style->palette.dark, out);
      break;

    case PW_COLOR_MODE_NAME:
    default:
      pw_color_for_hash (pw_color_hash_string (pw_profile_get_string (profile, lane->span_name[ref.span])),
                         style->palette.dark, out);
      break;
    }
}

/* Per-frame state */

typedef struct
{
  PwTimelineLayout         *layout;
  cairo_t                  *cr;
  const PwTimelineViewport *vp;
  const PwTimelineStyle    *style;
  LabelCache               *labels;
  double                    px_per_ns;
  double                    device_px;   /* one device pixel, logical */
  double                    inv_device_px;
  double                    x_left;
  double                    x_right;
  GArray                   *boxes;       /* Box: opaque fills, drawn in one go */
  GArray                   *labels_todo; /* PendingLabel */
  guint32                   merged_rgb;
  guint32                   search_rgb;
} Frame;

typedef struct
{
  double  x, y, w;
  guint32 string_id;
  guint32 color;
} PendingLabel;

typedef struct
{
  float   x, y, w, h;
  guint32 rgb;
} Box;

static void
batch_rect (Frame   *f,
            guint32  rgb,
            double   x,
            double   y,
            double   w,
            double   h)
{
  Box box = { x, y, w, h, rgb };

  g_array_append_val (f->boxes, box);
}

static int
compare_boxes (const void *a,
               const void *b)
{
  guint32 x = ((const Box *) a)->rgb, y = ((const Box *) b)->rgb;

  return (x > y) - (x < y);
}

/* Colours per string, computed once per palette and kept with the layout. */
static void
ensure_string_colors (Frame *f)
{
  PwTimelineLayout *layout = f->layout;
  guint n = pw_profile_get_n_strings (layout->profile);
  guint64 key = ((guint64) f->style->palette.dark << 32) | pw_color_pack (&f->style->palette.background);

  if (layout->string_full != NULL && layout->string_colors_key == key && layout->n_string_colors == n)
    return;

  g_free (layout->string_full);
  g_free (layout->string_pale);
  layout->string_full = g_new (guint32, MAX (n, 1u));
  layout->string_pale = g_new (guint32, MAX (n, 1u));
  layout->n_string_colors = n;
  layout->string_colors_key = key;
  for (guint i = 0; i < n; i++)
    {
      PwRgba full, pale;

      pw_color_for_hash (pw_color_hash_string (pw_profile_get_string (layout->profile, i)),
                         f->style->palette.dark, &full);
      pw_color_mix (&full, &f->style->palette.background, 0.62, &pale);
      layout->string_full[i] = pw_color_pack (&full);
      layout->string_pale[i] = pw_color_pack (&pale);
    }
}

static inline guint32
frame_color_of (Frame   *f,
                guint32  string_id)
{
  return string_id < f->layout->n_string_colors ? f->layout->string_full[string_id] : 0x808080;
}

static void
span_fill (Frame        *f,
           const PwLane *lane,
           guint         s,
           PwRgba       *full)
{
  switch (f->style->color_mode)
    {
    case PW_COLOR_MODE_CPU:
      {
        gint64 cpu = lane->span_cpu[s], dur = lane->span_dur[s];

        pw_color_for_cpu_share (cpu >= 0 && dur > 0 ? (double) cpu / (double) dur : (cpu >= 0 ? 1 : -1),
                                f->style->palette.dark, full);
      }
      break;
    case PW_COLOR_MODE_CATEGORY:
      pw_color_unpack (frame_color_of (f, lane->span_category[s]), full);
      break;
    case PW_COLOR_MODE_NAME:
    default:
      pw_color_unpack (frame_color_of (f, lane->span_name[s]), full);
      break;
    }
}

static inline double
snap (Frame  *f,
      double  x)
{
  double d = x * f->inv_device_px;

  /* Far outside the view the exact rounding does not matter. */
  if (d < -1e15 || d > 1e15)
    return x;
  return (double) (gint64) (d + (d >= 0 ? 0.5 : -0.5)) * f->device_px;
}

static inline double
time_x (Frame  *f,
        gint64  t)
{
  return f->x_left + (double) (t - f->vp->t0) * f->px_per_ns;
}

/* Spans */

static void
draw_span_box (Frame        *f,
               const PwLane *lane,
               guint         lane_index,
               guint         s,
               double        x0,
               double        x1,
               double        y,
               double        h)
{
  PwRgba full, pale, text;
  guint32 full_rgb, pale_rgb;
  gint64 cpu = lane->span_cpu[s], dur = lane->span_dur[s];
  double share = -1;
  double w;
  double lx0, lx1;

  if (f->style->color_mode == PW_COLOR_MODE_NAME)
    {
      full_rgb = frame_color_of (f, lane->span_name[s]);
      pale_rgb = f->layout->string_pale[lane->span_name[s]];
    }
  else
    {
      span_fill (f, lane, s, &full);
      pw_color_mix (&full, &f->style->palette.background, 0.62, &pale);
      full_rgb = pw_color_pack (&full);
      pale_rgb = pw_color_pack (&pale);
    }
  if (cpu >= 0 && f->style->color_mode != PW_COLOR_MODE_CPU)
    share = dur > 0 ? CLAMP ((double) cpu / (double) dur, 0.0, 1.0) : 1.0;

  /* A one-pixel gap keeps neighbours apart once there is room for it. */
  w = x1 - x0;
  if (w >= 4)
    w -= f->device_px;

  if (share < 0)
    batch_rect (f, full_rgb, x0, y, w, h);
  else
    {
      /* Waiting time is the pale part; the CPU share fills from below. */
      double hc = snap (f, h * share);

      if (hc < h)
        batch_rect (f, pale_rgb, x0, y, w, h - hc);
      if (hc > 0)
        batch_rect (f, full_rgb, x0, y + h - hc, w, hc);
    }

  if (w < PW_TIMELINE_MIN_LABEL_WIDTH)
    return;

  lx0 = MAX (x0, f->x_left) + 3;
  lx1 = MIN (x0 + w, f->x_right) - 3;
  if (lx1 - lx0 < 12)
    return;

  pw_color_unpack (share < 0 || share >= 0.5 ? full_rgb : pale_rgb, &full);
  pw_color_text_on (&full, &text);
  {
    PendingLabel pending = { lx0, y + h / 2, lx1 - lx0, lane->span_name[s], pw_color_pack (&text) };

    g_array_append_val (f->labels_todo, pending);
  }
}

/* Image surfaces get the boxes written straight into their pixels: tens
 * of thousands of small opaque rectangles cost more in cairo's path and
 * box machinery than in memory. Other targets (SVG, PDF) get paths. */
typedef struct
{
  guint32 *data;
  int      stride;     /* in pixels */
  double   xx, yy, x0, y0;
  int      clip_x0, clip_y0, clip_x1, clip_y1;
} Direct;

static gboolean
direct_begin (Frame  *f,
              Direct *d)
{
  cairo_surface_t *target = cairo_get_target (f->cr);
  cairo_matrix_t m;
  double sx, sy, ox, oy;
  double cx0, cy0, cx1, cy1;
  int width, height;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  if (cairo_image_surface_get_format (target) != CAIRO_FORMAT_ARGB32 &&
      cairo_image_surface_get_format (target) != CAIRO_FORMAT_RGB24)
    return FALSE;
  cairo_get_matrix (f->cr, &m);
  if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || m.yy <= 0)
    return FALSE;

  cairo_surface_flush (target);
  cairo_surface_get_device_scale (target, &sx, &sy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  d->data = (guint32 *) (gpointer) cairo_image_surface_get_data (target);
  d->stride = cairo_image_surface_get_stride (target) / 4;
  d->xx = m.xx * sx;
  d->yy = m.yy * sy;
  d->x0 = m.x0 * sx + ox;
  d->y0 = m.y0 * sy + oy;
  width = cairo_image_surface_get_width (target);
  height = cairo_image_surface_get_height (target);

  /* The lanes' clip, intersected with the surface. */
  cairo_clip_extents (f->cr, &cx0, &cy0, &cx1, &cy1);
  d->clip_x0 = CLAMP ((int) lround (cx0 * d->xx + d->x0), 0, width);
  d->clip_x1 = CLAMP ((int) lround (cx1 * d->xx + d->x0), 0, width);
  d->clip_y0 = CLAMP ((int) lround (cy0 * d->yy + d->y0), 0, height);
  d->clip_y1 = CLAMP ((int) lround (cy1 * d->yy + d->y0), 0, height);

  return d->data != NULL;
}

static void
direct_fill (Direct *d,
             GArray *boxes)
{
  const Box *box = (const Box *) (gpointer) boxes->data;

  for (guint i = 0; i < boxes->len; i++)
    {
      guint32 pixel = 0xff000000u | box[i].rgb;
      int x0 = (int) floor (box[i].x * d->xx + d->x0 + 0.5);
      int x1 = (int) floor ((box[i].x + box[i].w) * d->xx + d->x0 + 0.5);
      int y0 = (int) floor (box[i].y * d->yy + d->y0 + 0.5);
      int y1 = (int) floor ((box[i].y + box[i].h) * d->yy + d->y0 + 0.5);

      x0 = MAX (x0, d->clip_x0);
      x1 = MIN (x1, d->clip_x1);
      y0 = MAX (y0, d->clip_y0);
      y1 = MIN (y1, d->clip_y1);
      if (x1 <= x0 || y1 <= y0)
        continue;
      {
        guint32 *first = d->data + (gsize) y0 * d->stride + x0;

        for (int x = 0; x < x1 - x0; x++)
          first[x] = pixel;
        for (int y = y0 + 1; y < y1; y++)
          memcpy (d->data + (gsize) y * d->stride + x0, first, (gsize) (x1 - x0) * 4);
      }
    }
}

static void
flush_batches (Frame *f)
{
  PwRgba c;
  Direct d;

  if (direct_begin (f, &d))
    {
      direct_fill (&d, f->boxes);
      cairo_surface_mark_dirty (cairo_get_target (f->cr));
    }
  else if (f->boxes->len > 0)
    {
      const Box *box = (const Box *) (gpointer) f->boxes->data;
      guint32 current;

      qsort (f->boxes->data, f->boxes->len, sizeof (Box), compare_boxes);
      current = box[0].rgb;
      for (guint i = 0; i <= f->boxes->len; i++)
        {
          if (i == f->boxes->len || box[i].rgb != current)
            {
              pw_color_unpack (current, &c);
              set_source (f->cr, &c);
              cairo_fill (f->cr);
              if (i == f->boxes->len)
                break;
              current = box[i].rgb;
            }
          cairo_rectangle (f->cr, box[i].x, box[i].y, box[i].w, box[i].h);
        }
    }
  g_array_set_size (f->boxes, 0);

  for (guint i = 0; i < f->labels_todo->len; i++)
    {
      const PendingLabel *l = &g_array_index (f->labels_todo, PendingLabel, i);

      pw_color_unpack (l->color, &c);
      set_source (f->cr, &c);
      draw_label (f->cr, f->labels, label_for_string (f->labels, f->layout->profile, l->string_id),
                  l->x, l->y, l->w);
    }
  g_array_set_size (f->labels_todo, 0);
}

/* The first index in [lo, hi) whose span starts at or after t. Gallops
 * from lo first: the answer is usually near, and nearby indices share
 * cache lines where a plain bisection of a long row would miss on every
 * step. */
static guint
lower_bound_start (const PwLane  *lane,
                   const guint32 *row,
                   guint          lo,
                   guint          hi,
                   gint64         t)
{
  guint step = 1;

  while (lo + step < hi && lane->span_start[row[lo + step]] < t)
    {
      lo += step;
      step *= 2;
    }
  hi = MIN (hi, lo + step + 1);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (lane->span_start[row[mid]] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
bits_any (const guint64 *bits,
          guint          b0,
          guint          b1)
{
  /* Any bit set in [b0, b1) */
  while (b0 < b1)
    {
      guint w = b0 / 64, bit = b0 % 64;
      guint n = MIN (64 - bit, b1 - b0);
      guint64 mask = (n == 64 ? ~G_GUINT64_CONSTANT (0) : ((G_GUINT64_CONSTANT (1) << n) - 1)) << bit;

      if (bits[w] & mask)
        return TRUE;
      b0 += n;
    }
  return FALSE;
}

/* A dense row from afar: coverage per pixel column from the bucket bits,
 * then the spans wide enough to show, from the short list of long ones.
 * Costs pixels plus long spans in view, whatever the row's size. */
static void
draw_row_lod (Frame          *f,
              const PwLane   *lane,
              guint           lane_index,
              const PwRowLod *lod,
              double          y,
              GArray         *search_boxes)
{
  double h = PW_TIMELINE_ROW_HEIGHT - 2;
  double run_x0 = 0, run_x1 = -1;
  gboolean searching = f->style->show_search && f->layout->string_matches != NULL;
  guint lo = 0, hi = lod->n_long;
  double x_start = MAX (f->x_left, snap (f, time_x (f, 0)));
  double x_end = MIN (f->x_right, time_x (f, f->layout->duration) + f->device_px);

  /* Bucket coordinates of the columns, stepped rather than recomputed. */
  double buckets_per_px = f->device_px / f->px_per_ns / (double) lod->bucket_ns;
  double b_at = ((double) f->vp->t0 + (x_start - f->x_left) / f->px_per_ns) / (double) lod->bucket_ns;

  y += 1;
  for (double x = x_start; x < x_end; x += f->device_px, b_at += buckets_per_px)
    {
      double bb = b_at + buckets_per_px;
      guint b0, b1;

      if (bb < 0)
        continue;
      b0 = (guint) CLAMP (b_at, 0.0, (double) lod->n_buckets);
      b1 = (guint) CLAMP (bb + 1, 0.0, (double) lod->n_buckets);
      if (searching && lod->match_bits != NULL && bits_any (lod->match_bits, b0, MAX (b1, b0 + 1)))
        {
          if (run_x1 > run_x0)
            batch_rect (f, f->merged_rgb, run_x0, y, run_x1 - run_x0, h);
          run_x1 = -1;
          batch_rect (f, f->search_rgb, x, y, f->device_px, h);
        }
      else if (bits_any (lod->bits, b0, MAX (b1, b0 + 1)))
        {
          if (run_x1 >= 0 && x <= run_x1 + 0.01)
            run_x1 = x + f->device_px;
          else
            {
              if (run_x1 > run_x0)
                batch_rect (f, f->merged_rgb, run_x0, y, run_x1 - run_x0, h);
              run_x0 = x;
              run_x1 = x + f->device_px;
            }
        }
    }
  if (run_x1 > run_x0)
    batch_rect (f, f->merged_rgb, run_x0, y, run_x1 - run_x0, h);

  /* The first long span that ends in view. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (lod->long_end[mid] < f->vp->t0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < lod->n_long && lod->long_start[i] <= f->vp->t1; i++)
    {
      double sx0, sx1;
      guint s;

      /* The true width decides: two snapped ends can be a pixel apart
       * for a span of a tenth of one. */
      if ((double) (lod->long_end[i] - lod->long_start[i]) * f->px_per_ns < f->device_px)
        continue;
      sx0 = snap (f, time_x (f, lod->long_start[i]));
      sx1 = snap (f, time_x (f, lod->long_end[i]));
      s = lod->long_span[i];
      if (sx1 - sx0 < f->device_px)
        sx1 = sx0 + f->device_px;
      draw_span_box (f, lane, lane_index, s, sx0, sx1, y, h);
      if (searching && f->layout->string_matches[lane->span_name[s]])
        {
          double box[4] = { sx0, y, sx1 - sx0, h };
          g_array_append_vals (search_boxes, box, 4);
        }
    }
}

static void
draw_row (Frame        *f,
          const PwLane *lane,
          guint         lane_index,
          guint         r,
          double        y,
          GArray       *search_boxes)
{
  const guint32 *row;
  guint first, last, i;
  double run_x0 = 0, run_x1 = -1;
  double h = PW_TIMELINE_ROW_HEIGHT - 2;
  gboolean searching = f->style->show_search && f->layout->string_matches != NULL;
  gint64 ns_per_px = (gint64) MAX (1.0, floor (f->device_px / f->px_per_ns));

  if (f->layout->lod[lane_index] != NULL && f->layout->lod[lane_index][r] != NULL &&
      f->device_px / f->px_per_ns >= 4.0 * (double) f->layout->lod[lane_index][r]->bucket_ns)
    {
      draw_row_lod (f, lane, lane_index, f->layout->lod[lane_index][r], y, search_boxes);
      return;
    }

  if (!pw_lane_find_row_range (lane, r, f->vp->t0, f->vp->t1, &first, &last))
    return;

  row = &lane->row_spans[lane->row_offsets[r]];
  y += 1;

#define FLUSH_RUN() G_STMT_START {                                  \
    if (run_x1 > run_x0)                                            \
      {                                                             \
        batch_rect (f, f->merged_rgb, run_x0, y, run_x1 - run_x0, h); \
      }                                                             \
    run_x1 = -1;                                                    \
  } G_STMT_END

  i = first;
  while (i < last)
    {
      guint s = row[i];
      gint64 st = lane->span_start[s];
      double x0 = time_x (f, st);
      double x1 = time_x (f, st + lane->span_dur[s]);
      double sx0 = snap (f, x0), sx1 = snap (f, x1);

      if (x1 - x0 >= f->device_px)
        {
          if (sx1 - sx0 < f->device_px)
            sx1 = sx0 + f->device_px;
          FLUSH_RUN ();
          draw_span_box (f, lane, lane_index, s, sx0, sx1, y, h);
          if (searching && f->layout->string_matches[lane->span_name[s]])
            {
              double box[4] = { sx0, y, sx1 - sx0, h };
              g_array_append_vals (search_boxes, box, 4);
            }
          i++;
        }
      else
        {
          /* Everything starting in this device pixel column becomes one
           * box; runs of such columns become one rectangle. */
          double col = floor (x0 / f->device_px) * f->device_px;
          gint64 t_next = pw_timeline_x_to_time (f->vp, col + f->device_px);
          guint j;

          if (t_next <= st)
            t_next = st + ns_per_px;
          j = lower_bound_start (lane, row, i + 1, last, t_next);
          if (j - 1 > i && snap (f, time_x (f, pw_lane_span_end (lane, row[j - 1]))) - col > 2 * f->device_px)
            j--;   /* the last one is wide: draw it on its own */

          if (run_x1 >= 0 && col <= run_x1 + 0.01)
            run_x1 = MAX (run_x1, col + f->device_px);
          else
            {
              FLUSH_RUN ();
              run_x0 = col;
              run_x1 = col + f->device_px;
            }

          /* A match among the merged spans marks its column, so that
           * search results show at any zoom (a bounded look per column). */
          if (searching)
            for (guint k = i; k < j && k < i + 64; k++)
              if (f->layout->string_matches[lane->span_name[row[k]]])
                {
                  FLUSH_RUN ();
                  batch_rect (f, f->search_rgb, col, y, f->device_px, h);
                  break;
                }
          i = j;
        }
    }
  FLUSH_RUN ();

#undef FLUSH_RUN
}

static void
draw_instants (Frame        *f,
               const PwLane *lane,
               double        y)
{
  cairo_t *cr = f->cr;
  guint lo = 0, hi = lane->n_instants;
  double last_x = -1e9;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (lane->instant_time[mid] < f->vp->t0)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < lane->n_instants && lane->instant_time[i] <= f->vp->t1; i++)
    {
      double x = snap (f, time_x (f, lane->instant_time[i]));
      PwRgba c;

      if (x - last_x < 8)
        {
          /* Skip ahead to the next instant that lands eight pixels on. */
          gint64 t = pw_timeline_x_to_time (f->vp, last_x + 8);
          guint a = i + 1, b = lane->n_instants;

          while (a < b)
            {
              guint mid = a + (b - a) / 2;
              if (lane->instant_time[mid] < t)
                a = mid + 1;
              else
                b = mid;
            }
          i = a - 1;
          continue;
        }
      last_x = x;
      pw_color_unpack (frame_color_of (f, lane->instant_name[i]), &c);
      set_source (f->cr, &c);
      cairo_move_to (cr, x, y + 2);
      cairo_line_to (cr, x + 3, y + 6);
      cairo_line_to (cr, x, y + 10);
      cairo_line_to (cr, x - 3, y + 6);
      cairo_close_path (cr);
      cairo_fill_preserve (cr);
      set_source (cr, &f->style->palette.text);
      cairo_set_line_width (cr, 0.5);
      cairo_stroke (cr);
    }
}

/* Column heights of an area chart: one integral per column boundary,
 * found by walking forward from the previous one. */
static void
area_heights (const PwStepFunction *sf,
              gint64                t0,
              gint64                t1,
              guint                 n_cols,
              double               *out)
{
  guint k = 0;   /* first point after the boundary */
  double prev = 0;
  gint64 prev_t = t0, last_time;

  if (sf->n == 0)
    {
      memset (out, 0, sizeof (double) * n_cols);
      return;
    }
  last_time = MAX (sf->end, sf->time[sf->n - 1]);

  for (guint c = 0; c <= n_cols; c++)
    {
      gint64 t = t0 + (gint64) ((double) c / n_cols * (double) (t1 - t0));
      double integral;

      if (k < sf->n && sf->time[k] <= t)
        {
          guint lo = k, hi, step = 1;

          /* Gallop, then bisect: lo is at or before t, hi after it. */
          while (lo + step < sf->n && sf->time[lo + step] <= t)
            {
              lo += step;
              step *= 2;
            }
          hi = MIN (sf->n, lo + step);
          lo++;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (sf->time[mid] <= t)
                lo = mid + 1;
              else
                hi = mid;
            }
          k = lo;
        }

      if (k == 0)
        integral = 0;
      else
        integral = sf->integral[k - 1] + sf->value[k - 1] * (double) (MIN (t, last_time) - sf->time[k - 1]);
      if (k > 0 && t < sf->time[k - 1])
        integral = sf->integral[k - 1];

      if (c > 0)
        out[c - 1] = t > prev_t ? (integral - prev) / (double) (t - prev_t) : 0;
      prev = integral;
      prev_t = t;
    }
}

/* An area chart as pixel columns: rectangles fill much faster than an
 * antialiased polygon with a vertex per pixel. Leaves the path to fill. */
static void
draw_area_heights (Frame        *f,
                   const double *heights,
                   guint         n_cols,
                   double        x_left,
                   double        step,
                   double        y,
                   double        h,
                   double        offset,
                   double        max)
{
  cairo_t *cr = f->cr;
  double run_x = x_left, run_y = -1;

  for (guint c = 0; c <= n_cols; c++)
    {
      double x = x_left + c * step;
      double vy = c < n_cols ? snap (f, y + h - CLAMP ((heights[c] - offset) / max, 0.0, 1.0) * h) : -2;

      if (vy != run_y)
        {
          if (run_y >= 0 && run_y < y + h)
            cairo_rectangle (cr, run_x, run_y, x - run_x, y + h - run_y);
          run_x = x;
          run_y = vy;
        }
    }
}

static void
draw_area (Frame                *f,
           const PwStepFunction *sf,
           gint64                t0,
           gint64                t1,
           double                x_left,
           double                x_right,
           double                y,
           double                h,
           double                max)
{
  double step = f->device_px;
  guint n_cols = (guint) MAX (1.0, ceil ((x_right - x_left) / step));
  g_autofree double *heights = NULL;

  if (max <= 0 || sf->n == 0)
    return;

  heights = g_new (double, n_cols);
  area_heights (sf, t0, t1, n_cols, heights);
  draw_area_heights (f, heights, n_cols, x_left, step, y, h, MIN (sf->min, 0.0), max);
}

static void
draw_counter (Frame           *f,
              guint            c,
              double           y,
              double           h)
{
  cairo_t *cr = f->cr;
  const PwStepFunction *sf = &f->layout->counters[c];
  double lo = MIN (sf->min, 0.0), hi = MAX (sf->max, 0.0);
  double range = hi - lo > 0 ? hi - lo : 1;
  g_autofree char *max_text = NULL;
  PwRgba fill;
  PangoLayout *pl;

  if (sf->n == 0)
    return;

  pw_color_for_hash (pw_color_hash_string (pw_profile_get_string (f->layout->profile,
                                                                  pw_profile_get_counter (f->layout->profile, c)->name)),
                     f->style->palette.dark, &fill);

  draw_area (f, sf, f->vp->t0, f->vp->t1, f->x_left, f->x_right, y, h - 2, range);
  fill.a = 0.75;
  set_source (cr, &fill);
  cairo_fill (cr);

  max_text = g_strdup_printf ("%.4g", sf->max);
  pl = text_layout (f->labels, max_text);
  set_source (cr, &f->style->palette.dim_text);
  cairo_move_to (cr, f->x_left + 4, y + 1);
  pango_cairo_show_layout (cr, pl);
  g_object_unref (pl);
}

static void
draw_lane (Frame                 *f,
           const PwTimelineTrack *t,
           double                 y,
           double                 clip_top,
           double                 clip_bottom,
           GArray                *search_boxes)
{
  const PwLane *lane = pw_timeline_layout_get_lane (f->layout, t->index);
  guint r0, r1;

  if (t->note != NULL)
    {
      PangoLayout *pl = text_layout (f->labels, t->note);

      set_source (f->cr, &f->style->palette.dim_text);
      cairo_move_to (f->cr, f->x_left + 8, y + 1);
      pango_cairo_show_layout (f->cr, pl);
      g_object_unref (pl);
      return;
    }

  r0 = (guint) MAX (0.0, floor ((clip_top - y) / PW_TIMELINE_ROW_HEIGHT));
  r1 = (guint) MAX (0.0, ceil ((clip_bottom - y) / PW_TIMELINE_ROW_HEIGHT));
  for (guint r = r0; r < MIN (r1, lane->n_rows); r++)
    draw_row (f, lane, t->index, r, y + r * PW_TIMELINE_ROW_HEIGHT, search_boxes);
}

/* Around the lanes */

static void
draw_ticks (Frame  *f,
            double  top,
            double  bottom,
            gboolean labels)
{
  cairo_t *cr = f->cr;
  gint64 span = MAX (f->vp->t1 - f->vp->t0, 1);
  gint64 step = pw_timeline_tick_step (span, f->x_right - f->x_left, 90);
  /* One unit for the whole axis, chosen by the largest label, with as
   * many decimals as the step needs: "1.085837 s", not "1085837 µs". */
  gint64 unit = pw_duration_unit_for (MAX (f->vp->t1, step));
  int decimals = 0;
  gint64 first = (f->vp->t0 / step) * step;

  for (gint64 u = unit; u > step && decimals < 9; u /= 10)
    decimals++;

  if (first < f->vp->t0)
    first += step;

  for (gint64 t = first; t <= f->vp->t1; t += step)
    {
      double x = snap (f, time_x (f, t)) + f->device_px / 2;

      if (!labels)
        {
          cairo_move_to (cr, x, top);
          cairo_line_to (cr, x, bottom);
          continue;
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("%.*f %s", decimals, (double) t / (double) unit,
                                                   pw_duration_unit_name (unit));
          PangoLayout *pl = text_layout (f->labels, text);

          cairo_move_to (cr, x, bottom - 6);
          cairo_line_to (cr, x, bottom);
          cairo_set_line_width (cr, f->device_px);
          set_source (cr, &f->style->palette.dim_text);
          cairo_stroke (cr);
          cairo_move_to (cr, x + 3, top + 2);
          set_source (cr, &f->style->palette.text);
          pango_cairo_show_layout (cr, pl);
          g_object_unref (pl);
        }
      if (t > G_MAXINT64 - step)
        break;
    }

  if (!labels)
    {
      cairo_set_line_width (cr, f->device_px);
      set_source (cr, &f->style->palette.grid);
      cairo_stroke (cr);
    }
}

static void
draw_top (Frame *f)
{
  cairo_t *cr = f->cr;
  const PwPalette *p = &f->style->palette;
  gint64 duration = pw_timeline_layout_get_duration (f->layout);
  double max = MAX (f->layout->concurrency.max, 1.0);
  double ov_left = f->x_left, ov_right = f->x_right;
  double ay = PW_TIMELINE_OVERVIEW_HEIGHT;
  double cy = ay + PW_TIMELINE_AXIS_HEIGHT;
  PwRgba area = p->accent;
  PangoLayout *pl;
  g_autofree char *text = NULL;
  double wx0, wx1;

  set_source (cr, &p->header_background);
  cairo_rectangle (cr, 0, 0, f->vp->width, PW_TIMELINE_LANES_TOP);
  cairo_fill (cr);

  /* Overview: the whole profile, and where the view is. */
  area.a = 0.45;
  set_source (cr, &area);
  {
    /* The overview never changes while the view moves: keep its columns. */
    guint n_cols = (guint) MAX (1.0, ceil ((ov_right - ov_left) / f->device_px));
    PwTimelineLayout *layout = f->layout;

    if (layout->overview_heights == NULL || layout->n_overview != n_cols)
      {
        g_free (layout->overview_heights);
        layout->overview_heights = g_new (double, n_cols);
        layout->n_overview = n_cols;
        area_heights (&layout->concurrency, 0, duration, n_cols, layout->overview_heights);
      }
    if (layout->concurrency.n > 0)
      draw_area_heights (f, layout->overview_heights, n_cols, ov_left, f->device_px,
                         3, PW_TIMELINE_OVERVIEW_HEIGHT - 6, 0, max);
    cairo_fill (cr);
  }
  pw_timeline_overview_window (f->vp, duration, &wx0, &wx1);
  /* What is out of view is dimmed, so that the window, which can be
   * dragged, stands out of a busy overview. */
  area = p->text;
  area.a = 0.07;
  set_source (cr, &area);
  cairo_rectangle (cr, ov_left, 0, MAX (wx0 - ov_left, 0), PW_TIMELINE_OVERVIEW_HEIGHT);
  cairo_rectangle (cr, MIN (wx1, ov_right), 0, MAX (ov_right - wx1, 0), PW_TIMELINE_OVERVIEW_HEIGHT);
  cairo_fill (cr);
  area = p->accent;
  area.a = 0.18;
  set_source (cr, &area);
  cairo_rectangle (cr, wx0, 1, wx1 - wx0, PW_TIMELINE_OVERVIEW_HEIGHT - 2);
  cairo_fill_preserve (cr);
  set_source (cr, &p->accent);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  text = pw_format_duration (duration);
  pl = text_layout (f->labels, text);
  set_source (cr, &p->dim_text);
  cairo_move_to (cr, 8, 7);
  pango_cairo_show_layout (cr, pl);
  g_object_unref (pl);

  /* Axis */
  set_source (cr, &p->background);
  cairo_rectangle (cr, f->x_left, ay, f->x_right - f->x_left, PW_TIMELINE_AXIS_HEIGHT);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_rectangle (cr, f->x_left, ay, f->x_right - f->x_left, PW_TIMELINE_AXIS_HEIGHT);
  cairo_clip (cr);
  draw_ticks (f, ay, ay + PW_TIMELINE_AXIS_HEIGHT, TRUE);
  cairo_restore (cr);

  /* Concurrency in the visible window */
  area = p->accent;
  area.a = 0.7;
  set_source (cr, &area);
  draw_area (f, &f->layout->concurrency, f->vp->t0, f->vp->t1, f->x_left, f->x_right,
             cy + 2, PW_TIMELINE_CONCURRENCY_HEIGHT - 4, max);
  cairo_fill (cr);

  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (_("Busy lanes (max %.0f)"), f->layout->concurrency.max);
  pl = text_layout (f->labels, text);
  set_source (cr, &p->dim_text);
  cairo_move_to (cr, 8, cy + 7);
  pango_cairo_show_layout (cr, pl);
  g_object_unref (pl);

  set_source (cr, &p->grid);
  cairo_set_line_width (cr, f->device_px);
  cairo_move_to (cr, 0, PW_TIMELINE_OVERVIEW_HEIGHT - f->device_px / 2);
  cairo_line_to (cr, f->vp->width, PW_TIMELINE_OVERVIEW_HEIGHT - f->device_px / 2);
  cairo_move_to (cr, 0, PW_TIMELINE_LANES_TOP - f->device_px / 2);
  cairo_line_to (cr, f->vp->width, PW_TIMELINE_LANES_TOP - f->device_px / 2);
  cairo_move_to (cr, PW_TIMELINE_NAME_WIDTH - f->device_px / 2, 0);
  cairo_line_to (cr, PW_TIMELINE_NAME_WIDTH - f->device_px / 2, f->vp->height);
  cairo_stroke (cr);
}

static void
draw_flows (Frame *f)
{
  PwProfile *profile = f->layout->profile;
  guint n = MIN (pw_profile_get_n_flows (profile), (guint) MAX_FLOWS_CHECKED);
  cairo_t *cr = f->cr;
  double top = PW_TIMELINE_LANES_TOP - f->vp->scroll_y;
  PwRgba c = f->style->palette.text;

  guint n_visible = 0;
  gboolean only_selected;
  PwSpanRef sel = f->style->selected;

  /* Hundreds of arrows hide the spans: past a few dozen in view, only the
   * selected span's flows are drawn (as Perfetto does). */
  for (guint i = 0; i < n && n_visible <= MAX_FLOWS_SHOWN; i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);

      if (MAX (flow->from_time, flow->to_time) >= f->vp->t0 && MIN (flow->from_time, flow->to_time) <= f->vp->t1)
        n_visible++;
    }
  only_selected = n_visible > MAX_FLOWS_SHOWN;
  if (only_selected && !PW_SPAN_REF_IS_SET (sel))
    return;

  c = f->style->palette.accent;
  c.a = 0.5;
  set_source (cr, &c);
  cairo_set_line_width (cr, 1.0);

  for (guint i = 0; i < n; i++)
    {
      const PwFlow *flow = pw_profile_get_flow (profile, i);
      double y0, y1, h, x0, x1, ang;
      gint t0, t1;

      if (MAX (flow->from_time, flow->to_time) < f->vp->t0 || MIN (flow->from_time, flow->to_time) > f->vp->t1)
        continue;
      if (only_selected &&
          !(flow->from_lane == sel.lane && flow->from_span == sel.span) &&
          !(flow->to_lane == sel.lane && flow->to_span == sel.span))
        continue;
      t0 = pw_timeline_layout_find_lane_track (f->layout, flow->from_lane);
      t1 = pw_timeline_layout_find_lane_track (f->layout, flow->to_lane);
      if (t0 < 0 || t1 < 0)
        continue;
      if (flow->from_span == G_MAXUINT32 ||
          !pw_timeline_layout_get_span_box (f->layout, (PwSpanRef) { flow->from_lane, flow->from_span }, &y0, &h))
        y0 = pw_timeline_layout_get_track (f->layout, t0)->y;
      if (flow->to_span == G_MAXUINT32 ||
          !pw_timeline_layout_get_span_box (f->layout, (PwSpanRef) { flow->to_lane, flow->to_span }, &y1, &h))
        y1 = pw_timeline_layout_get_track (f->layout, t1)->y;
      y0 += top + PW_TIMELINE_ROW_HEIGHT / 2;
      y1 += top + PW_TIMELINE_ROW_HEIGHT / 2;
      x0 = time_x (f, flow->from_time);
      x1 = time_x (f, flow->to_time);

      cairo_move_to (cr, x0, y0);
      cairo_curve_to (cr, x0 + 20, y0, x1 - 20, y1, x1, y1);
      cairo_stroke (cr);
      ang = atan2 (0, 20) ;
      cairo_move_to (cr, x1, y1);
      cairo_line_to (cr, x1 - 7 * cos (ang - 0.45), y1 - 7 * sin (ang - 0.45));
      cairo_line_to (cr, x1 - 7 * cos (ang + 0.45), y1 - 7 * sin (ang + 0.45));
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static gboolean
span_rect (Frame     *f,
           PwSpanRef  ref,
           double    *x,
           double    *y,
           double    *w,
           double    *h)
{
  const PwLane *lane;
  double by, bh;

  if (!PW_SPAN_REF_IS_SET (ref) || pw_timeline_layout_find_lane_track (f->layout, ref.lane) < 0)
    return FALSE;
  if (!pw_timeline_layout_get_span_box (f->layout, ref, &by, &bh))
    return FALSE;
  lane = pw_timeline_layout_get_lane (f->layout, ref.lane);
  *x = snap (f, time_x (f, lane->span_start[ref.span]));
  *w = MAX (snap (f, time_x (f, pw_lane_span_end (lane, ref.span))) - *x, f->device_px);
  *y = PW_TIMELINE_LANES_TOP - f->vp->scroll_y + by + 1;
  *h = bh - 2;
  return TRUE;
}

static void
draw_names (Frame *f,
            guint  first_track,
            double top,
            double bottom)
{
  cairo_t *cr = f->cr;
  const PwPalette *p = &f->style->palette;
  double base = PW_TIMELINE_LANES_TOP - f->vp->scroll_y;

  set_source (cr, &p->header_background);
  cairo_rectangle (cr, 0, top, PW_TIMELINE_NAME_WIDTH, bottom - top);
  cairo_fill (cr);

  for (guint i = first_track; i < pw_timeline_layout_get_n_tracks (f->layout); i++)
    {
      const PwTimelineTrack *t = pw_timeline_layout_get_track (f->layout, i);
      double y = base + t->y;

      if (y >= bottom)
        break;
      if (t->height <= 0)
        continue;

      if (t->kind == PW_TRACK_PROCESS)
        {
          /* The arrow says whether the process is open. */
          set_source (cr, &p->text);
          if (t->collapsed)
            {
              cairo_move_to (cr, 8, y + 6);
              cairo_line_to (cr, 13, y + 11);
              cairo_line_to (cr, 8, y + 16);
            }
          else
            {
              cairo_move_to (cr, 6, y + 8);
              cairo_line_to (cr, 11, y + 13);
              cairo_line_to (cr, 16, y + 8);
            }
          cairo_close_path (cr);
          cairo_fill (cr);
          draw_label (cr, f->labels, label_for_text (f->labels, t->label), 20, y + PW_TIMELINE_PROCESS_HEIGHT / 2,
                      PW_TIMELINE_NAME_WIDTH - 24);
        }
      else
        {
          set_source (cr, t->kind == PW_TRACK_COUNTER ? &p->dim_text : &p->text);
          draw_label (cr, f->labels, label_for_text (f->labels, t->label), 14, y + PW_TIMELINE_ROW_HEIGHT / 2,
                      PW_TIMELINE_NAME_WIDTH - 18);
        }
    }
}

void
pw_timeline_render (PwTimelineLayout         *layout,
                    cairo_t                  *cr,
                    const PwTimelineViewport *vp,
                    const PwTimelineStyle    *style)
{
  Frame f = { 0 };
  const PwPalette *p;
  double top = PW_TIMELINE_LANES_TOP;
  double bottom;
  double base;
  guint n_tracks, first_track;
  gint found;
  g_autoptr(GArray) search_boxes = NULL;
  double x, y, w, h;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (vp != NULL);
  g_return_if_fail (style != NULL);

  p = &style->palette;
  f.layout = layout;
  f.cr = cr;
  f.vp = vp;
  f.style = style;
  f.labels = get_label_cache (layout, style->font ? style->font : DEFAULT_FONT);
  f.x_left = PW_TIMELINE_NAME_WIDTH;
  f.x_right = MAX (vp->width, f.x_left + 1);
  f.px_per_ns = data_width (vp) / (double) MAX (vp->t1 - vp->t0, 1);
  f.device_px = 1.0 / MAX (vp->scale_factor, 1.0);
  f.inv_device_px = MAX (vp->scale_factor, 1.0);
  f.boxes = g_array_sized_new (FALSE, FALSE, sizeof (Box), 4096);
  f.labels_todo = g_array_new (FALSE, FALSE, sizeof (PendingLabel));
  /* Many spans in one pixel: a neutral tone, since no one colour is true. */
  {
    PwRgba merged;

    pw_color_mix (&p->text, &p->background, p->dark ? 0.6 : 0.68, &merged);
    f.merged_rgb = pw_color_pack (&merged);
    f.search_rgb = pw_color_pack (&p->search);
  }
  ensure_string_colors (&f);
  search_boxes = g_array_new (FALSE, FALSE, sizeof (double));
  bottom = vp->height;
  base = top - vp->scroll_y;

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);

  set_source (cr, &p->background);
  cairo_paint (cr);

  /* Lanes */
  cairo_save (cr);
  cairo_rectangle (cr, f.x_left, top, f.x_right - f.x_left, MAX (bottom - top, 0));
  cairo_clip (cr);

  draw_ticks (&f, top, bottom, FALSE);

  n_tracks = pw_timeline_layout_get_n_tracks (layout);
  found = pw_timeline_layout_find_track_at (layout, MAX (vp->scroll_y, 0.0));
  first_track = found < 0 ? 0 : (guint) found;
  for (guint i = first_track; i < n_tracks; i++)
    {
      const PwTimelineTrack *t = pw_timeline_layout_get_track (layout, i);
      double ty = base + t->y;

      if (ty >= bottom)
        break;
      if (t->height <= 0 || ty + t->height <= top)
        continue;

      switch (t->kind)
        {
        case PW_TRACK_PROCESS:
          set_source (cr, &p->header_background);
          cairo_rectangle (cr, f.x_left, ty, f.x_right - f.x_left, t->height);
          cairo_fill (cr);
          break;
        case PW_TRACK_COUNTER:
          draw_counter (&f, t->index, ty + 2, PW_TIMELINE_COUNTER_HEIGHT - 2);
          break;
        case PW_TRACK_LANE:
        default:
          draw_lane (&f, t, ty, top, bottom, search_boxes);
          break;
        }

      /* A hairline under each lane */
      if (t->kind != PW_TRACK_PROCESS)
        {
          set_source (cr, &p->grid);
          cairo_rectangle (cr, f.x_left, ty + t->height - f.device_px, f.x_right - f.x_left, f.device_px);
          cairo_fill (cr);
        }
    }

  flush_batches (&f);

  /* Instants go on top of the spans. */
  for (guint i = first_track; i < n_tracks; i++)
    {
      const PwTimelineTrack *t = pw_timeline_layout_get_track (layout, i);
      double ty = base + t->y;

      if (ty >= bottom)
        break;
      if (t->kind == PW_TRACK_LANE && t->height > 0 && ty + t->height > top && t->note == NULL &&
          pw_timeline_layout_get_lane (layout, t->index)->n_instants > 0)
        draw_instants (&f, pw_timeline_layout_get_lane (layout, t->index), ty);
    }

  if (style->show_flows && pw_profile_get_n_flows (layout->profile) > 0)
    draw_flows (&f);

  /* Highlights on top: search, range, hover, selection. */
  if (search_boxes->len > 0)
    {
      const double *b = (const double *) (gpointer) search_boxes->data;

      for (guint i = 0; i + 3 < search_boxes->len; i += 4)
        cairo_rectangle (cr, b[i] + 1, b[i + 1] + 1, MAX (b[i + 2] - 2, 1), b[i + 3] - 2);
      set_source (cr, &p->search);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  if (span_rect (&f, style->current_match, &x, &y, &w, &h))
    {
      set_source (cr, &p->search);
      cairo_set_line_width (cr, 3);
      cairo_rectangle (cr, x - 1.5, y - 1.5, w + 3, h + 3);
      cairo_stroke (cr);
    }

  if (span_rect (&f, style->hovered, &x, &y, &w, &h))
    {
      set_source (cr, &p->hover);
      cairo_rectangle (cr, x, y, w, h);
      cairo_fill (cr);
    }

  if (span_rect (&f, style->selected, &x, &y, &w, &h))
    {
      set_source (cr, &p->selection);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, x + 1, y + 1, MAX (w - 2, 1), h - 2);
      cairo_stroke (cr);
    }

  cairo_restore (cr);

  if (style->range_end > style->range_begin)
    {
      double rx0 = CLAMP (time_x (&f, style->range_begin), f.x_left, f.x_right);
      double rx1 = CLAMP (time_x (&f, style->range_end), f.x_left, f.x_right);

      set_source (cr, &p->range);
      cairo_rectangle (cr, rx0, PW_TIMELINE_OVERVIEW_HEIGHT, MAX (rx1 - rx0, 1), bottom - PW_TIMELINE_OVERVIEW_HEIGHT);
      cairo_fill (cr);
    }

  draw_names (&f, first_track, top, bottom);
  draw_top (&f);

  if (style->range_end > style->range_begin)
    {
      double rx0 = CLAMP (time_x (&f, style->range_begin), f.x_left, f.x_right);
      double rx1 = CLAMP (time_x (&f, style->range_end), f.x_left, f.x_right);
      g_autofree char *text = pw_format_duration (style->range_end - style->range_begin);
      PangoLayout *pl = text_layout (f.labels, text);
      int tw, th;

      set_source (cr, &p->selection);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, rx0 + 0.5, PW_TIMELINE_OVERVIEW_HEIGHT);
      cairo_line_to (cr, rx0 + 0.5, bottom);
      cairo_move_to (cr, rx1 - 0.5, PW_TIMELINE_OVERVIEW_HEIGHT);
      cairo_line_to (cr, rx1 - 0.5, bottom);
      cairo_stroke (cr);
      pango_layout_get_pixel_size (pl, &tw, &th);
      cairo_rectangle (cr, (rx0 + rx1 - tw) / 2 - 4, PW_TIMELINE_OVERVIEW_HEIGHT + 1, tw + 8, th + 2);
      cairo_fill (cr);
      set_source (cr, &p->background);
      cairo_move_to (cr, (rx0 + rx1 - tw) / 2, PW_TIMELINE_OVERVIEW_HEIGHT + 2);
      pango_cairo_show_layout (cr, pl);
      g_object_unref (pl);
    }

  cairo_restore (cr);
  g_array_unref (f.boxes);
  g_array_unref (f.labels_todo);
}

void
pw_timeline_render_hover (PwTimelineLayout         *layout,
                          cairo_t                  *cr,
                          const PwTimelineViewport *vp,
                          const PwTimelineStyle    *style)
{
  Frame f = { 0 };
  double x, y, w, h;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);

  f.layout = layout;
  f.cr = cr;
  f.vp = vp;
  f.style = style;
  f.x_left = PW_TIMELINE_NAME_WIDTH;
  f.x_right = MAX (vp->width, f.x_left + 1);
  f.px_per_ns = data_width (vp) / (double) MAX (vp->t1 - vp->t0, 1);
  f.device_px = 1.0 / MAX (vp->scale_factor, 1.0);
  f.inv_device_px = MAX (vp->scale_factor, 1.0);

  if (!span_rect (&f, style->hovered, &x, &y, &w, &h))
    return;

  cairo_save (cr);
  cairo_rectangle (cr, f.x_left, PW_TIMELINE_LANES_TOP, f.x_right - f.x_left, MAX (vp->height - PW_TIMELINE_LANES_TOP, 0));
  cairo_clip (cr);
  set_source (cr, &style->palette.hover);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  set_source (cr, &style->palette.text);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (w - 1, 1), h - 1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Hit testing */

gboolean
pw_timeline_hit_test (PwTimelineLayout         *layout,
                      const PwTimelineViewport *vp,
                      double                    x,
                      double                    y,
                      PwSpanRef                *out)
{
  const PwTimelineTrack *t;
  const PwLane *lane;
  double cy;
  gint track, sp;
  guint row;
  gint64 time, slop;

  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (vp != NULL, FALSE);

  if (pw_timeline_area_at (vp, x, y) != PW_TIMELINE_AREA_LANES)
    return FALSE;

  cy = y - PW_TIMELINE_LANES_TOP + vp->scroll_y;
  track = pw_timeline_layout_find_track_at (layout, cy);
  if (track < 0)
    return FALSE;
  t = pw_timeline_layout_get_track (layout, track);
  if (t->kind != PW_TRACK_LANE || t->hidden || t->note != NULL)
    return FALSE;

  lane = pw_timeline_layout_get_lane (layout, t->index);
  row = (guint) floor ((cy - t->y) / PW_TIMELINE_ROW_HEIGHT);
  if (row >= lane->n_rows)
    return FALSE;

  time = pw_timeline_x_to_time (vp, x);
  sp = pw_lane_find_span_at (lane, row, time);
  if (sp < 0)
    {
      /* Tiny spans are hard to hit: take the nearest within two pixels. */
      guint first, last;
      gint64 best = G_MAXINT64;

      slop = pw_timeline_x_to_time (vp, x + 2) - time;
      if (pw_lane_find_row_range (lane, row, time - slop, time + slop, &first, &last))
        for (guint i = first; i < last; i++)
          {
            guint s = lane->row_spans[lane->row_offsets[row] + i];
            gint64 st = lane->span_start[s], en = pw_lane_span_end (lane, s);
            gint64 d = time < st ? st - time : (time > en ? time - en : 0);

            if (d < best)
              best = d, sp = (gint) s;
          }
    }
  if (sp < 0)
    return FALSE;

  if (out != NULL)
    {
      out->lane = t->index;
      out->span = (guint) sp;
    }
  return TRUE;
}

gint
pw_timeline_hit_test_process (PwTimelineLayout         *layout,
                              const PwTimelineViewport *vp,
                              double                    x,
                              double                    y)
{
  gint track;
  PwTimelineArea area = pw_timeline_area_at (vp, x, y);

  g_return_val_if_fail (layout != NULL, -1);

  if (area != PW_TIMELINE_AREA_LANES && area != PW_TIMELINE_AREA_NAMES)
    return -1;
  track = pw_timeline_layout_find_track_at (layout, y - PW_TIMELINE_LANES_TOP + vp->scroll_y);
  if (track < 0 || pw_timeline_layout_get_track (layout, track)->kind != PW_TRACK_PROCESS)
    return -1;
  return track;
}
