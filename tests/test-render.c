/* test-render.c: the timeline as pixels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pw-colors.h"
#include "pw-profile-builder.h"
#include "pw-render-export.h"
#include "pw-test-util.h"
#include "pw-timeline-layout.h"
#include "pw-timeline-renderer.h"

#define MS PW_NSEC_PER_MSEC
/* 1000 pixels of time after the name column: 10 ms → 100 px per ms. */
#define WIDTH  (PW_TIMELINE_NAME_WIDTH + 1000)
#define HEIGHT 400

typedef struct
{
  PwProfile          *profile;
  PwTimelineLayout   *layout;
  cairo_surface_t    *surface;
  PwTimelineViewport  vp;
  PwTimelineStyle     style;
} Fixture;

/* Lane 1: alpha [1, 3) ms with no CPU time, work [4, 5) computing all the
 * time, work [6, 7) waiting all the time, a child beta [1.5, 2) under
 * alpha. Lane 2: origin [0, 10) ms, so that the profile starts at 0. */
static PwProfile *
make_profile (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  guint l1 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint l2 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  guint32 alpha = pw_profile_builder_intern (b, "alpha", -1);
  guint32 beta = pw_profile_builder_intern (b, "beta", -1);
  guint32 work = pw_profile_builder_intern (b, "work", -1);
  guint32 origin = pw_profile_builder_intern (b, "origin", -1);
  guint32 cat = pw_profile_builder_intern (b, "cat", -1);
  guint32 args = pw_profile_builder_add_args (b, "{\"n\": 3}", -1);

  pw_profile_builder_set_lane_name (b, l1, "worker");
  pw_profile_builder_add_span (b, l1, 1 * MS, 2 * MS, -1, alpha, cat, args);
  pw_profile_builder_add_span (b, l1, 1 * MS + MS / 2, MS / 2, -1, beta, cat, 0);
  pw_profile_builder_add_span (b, l1, 4 * MS, 1 * MS, 1 * MS, work, cat, 0);
  pw_profile_builder_add_span (b, l1, 6 * MS, 1 * MS, 0, work, cat, 0);
  pw_profile_builder_add_span (b, l2, 0, 10 * MS, -1, origin, cat, 0);

  return pw_profile_builder_build (b);
}

static void
fixture_render (Fixture *fx)
{
  cairo_t *cr = cairo_create (fx->surface);

  pw_timeline_render (fx->layout, cr, &fx->vp, &fx->style);
  cairo_destroy (cr);
  cairo_surface_flush (fx->surface);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->profile = make_profile ();
  fx->layout = pw_timeline_layout_new (fx->profile);
  fx->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  pw_timeline_viewport_init (&fx->vp, fx->layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&fx->style, GPOINTER_TO_INT (data));
  g_assert_cmpint (fx->vp.t1, ==, 10 * MS);
  fixture_render (fx);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  cairo_surface_destroy (fx->surface);
  pw_timeline_layout_unref (fx->layout);
  g_object_unref (fx->profile);
}

static guint32
pixel (cairo_surface_t *surface,
       double           x,
       double           y)
{
  const guint32 *data = (const guint32 *) (gpointer) cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface) / 4;

  return data[(int) y * stride + (int) x] & 0xffffff;
}

static guint32
rgb_of (const PwRgba *c)
{
  return pw_color_pack (c);
}

static guint32
name_color (const char *name,
            gboolean    dark)
{
  PwRgba c;

  pw_color_for_hash (pw_color_hash_string (name), dark, &c);
  return pw_color_pack (&c);
}

static PwSpanRef
find_ref (Fixture    *fx,
          const char *name,
          guint       nth)
{
  guint32 id = pw_profile_lookup_string (fx->profile, name);

  for (guint l = 0; l < pw_profile_get_n_lanes (fx->profile); l++)
    {
      const PwLane *lane = pw_timeline_layout_get_lane (fx->layout, l);

      for (guint s = 0; s < lane->n_spans; s++)
        if (lane->span_name[s] == id && nth-- == 0)
          return (PwSpanRef) { l, s };
    }
  g_assert_not_reached ();
}

/* Middle of a span's box on screen, row top and bottom. */
static double
span_mid_y (Fixture   *fx,
            PwSpanRef  ref)
{
  double y, h;

  g_assert_true (pw_timeline_layout_get_span_box (fx->layout, ref, &y, &h));
  return PW_TIMELINE_LANES_TOP - fx->vp.scroll_y + y + h / 2;
}

static void
test_span_position (Fixture       *fx,
                    gconstpointer  data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  PwSpanRef alpha = find_ref (fx, "alpha", 0);
  PwSpanRef beta = find_ref (fx, "beta", 0);
  double y = span_mid_y (fx, alpha);
  double y_beta = span_mid_y (fx, beta);
  guint32 bg = rgb_of (&fx->style.palette.background);
  guint32 color = name_color ("alpha", dark);
  double x1ms = pw_timeline_time_to_x (&fx->vp, 1 * MS);
  double x3ms = pw_timeline_time_to_x (&fx->vp, 3 * MS);

  g_assert_cmpfloat_with_epsilon (x1ms, PW_TIMELINE_NAME_WIDTH + 100, 0.001);
  g_assert_cmpfloat_with_epsilon (x3ms, PW_TIMELINE_NAME_WIDTH + 300, 0.001);
  g_assert_cmpfloat (y_beta - y, ==, PW_TIMELINE_ROW_HEIGHT);

  /* alpha fills x ∈ [100, 300) px in its colour, on row 0 of its lane,
   * where beta is not (beta covers 1.5–2 ms on row 1 only). Its label
   * sits at the left in the middle: sample above it there, and right of
   * it in the middle. */
  for (double x = x1ms; x < x3ms - 2; x += 7)
    g_assert_cmphex (pixel (fx->surface, x, y - 7), ==, color);
  for (double x = x1ms + 60; x < x3ms - 2; x += 7)
    g_assert_cmphex (pixel (fx->surface, x, y), ==, color);
  g_assert_cmphex (pixel (fx->surface, x1ms - 2, y), !=, color);
  g_assert_cmphex (pixel (fx->surface, x3ms + 2, y), ==, bg);

  /* Row 1: beta at 1.5–2 ms, background at 2.5 ms. */
  g_assert_cmphex (pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 1 * MS + 9 * MS / 10), y_beta), ==,
                   name_color ("beta", dark));
  g_assert_cmphex (pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 2 * MS + MS / 2), y_beta), ==, bg);

  /* Zooming to 1–2 ms puts alpha's start at the left edge and it covers
   * the whole row. */
  fx->vp.t0 = MS;
  fx->vp.t1 = 2 * MS;
  fixture_render (fx);
  g_assert_cmphex (pixel (fx->surface, PW_TIMELINE_NAME_WIDTH + 500, y), ==, color);
  g_assert_cmphex (pixel (fx->surface, PW_TIMELINE_NAME_WIDTH + 990, y), ==, color);
}

static void
test_cpu_share (Fixture       *fx,
                gconstpointer  data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  PwSpanRef computing = find_ref (fx, "work", 0);
  PwSpanRef waiting = find_ref (fx, "work", 1);
  double y = span_mid_y (fx, computing);
  guint32 full = name_color ("work", dark);
  guint32 c = pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 4 * MS + 8 * MS / 10), y);
  guint32 w = pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 6 * MS + 8 * MS / 10), y);
  PwRgba wc, bgc;

  g_assert_cmpfloat (span_mid_y (fx, waiting), ==, y);
  /* Computing all the time: the full colour; waiting all the time: a pale
   * tint, visibly different and closer to the background. */
  g_assert_cmphex (c, ==, full);
  g_assert_cmphex (w, !=, full);
  pw_color_unpack (w, &wc);
  bgc = fx->style.palette.background;
  {
    PwRgba fc;
    double d_wait, d_full;

    pw_color_unpack (full, &fc);
    d_wait = fabs (pw_color_luminance (&wc) - pw_color_luminance (&bgc));
    d_full = fabs (pw_color_luminance (&fc) - pw_color_luminance (&bgc));
    g_assert_cmpfloat (d_wait, <, d_full);
  }

  /* In CPU colour mode the two differ in hue as well. */
  fx->style.color_mode = PW_COLOR_MODE_CPU;
  fixture_render (fx);
  {
    PwRgba hot, cold;

    pw_color_for_cpu_share (1.0, dark, &hot);
    pw_color_for_cpu_share (0.0, dark, &cold);
    g_assert_cmphex (pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 4 * MS + 8 * MS / 10), y), ==, pw_color_pack (&hot));
    g_assert_cmphex (pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 6 * MS + 8 * MS / 10), y), ==, pw_color_pack (&cold));
  }
}

static void
test_selection_and_search (Fixture       *fx,
                           gconstpointer  data)
{
  PwSpanRef alpha = find_ref (fx, "alpha", 0);
  double y = span_mid_y (fx, alpha);
  double x_edge = pw_timeline_time_to_x (&fx->vp, 1 * MS) + 1;
  double x_mid = pw_timeline_time_to_x (&fx->vp, 2 * MS + MS / 2);
  guint32 before = pixel (fx->surface, x_edge, y);
  double box_y, box_h;
  PwSpanRef match;

  g_assert_cmphex (before, !=, rgb_of (&fx->style.palette.selection));

  fx->style.selected = alpha;
  fixture_render (fx);
  /* The outline runs along the left edge, the middle keeps its colour. */
  g_assert_cmphex (pixel (fx->surface, x_edge, y), ==, rgb_of (&fx->style.palette.selection));
  g_assert_cmphex (pixel (fx->surface, x_mid, y), ==, before);

  fx->style.selected = PW_SPAN_REF_NONE;
  g_assert_cmpuint (pw_timeline_layout_set_search (fx->layout, "WOR"), ==, 2);
  g_assert_cmpuint (pw_timeline_layout_set_search (fx->layout, "ALP"), ==, 1);
  g_assert_true (pw_timeline_layout_get_match (fx->layout, 0, &match));
  g_assert_cmpuint (match.lane, ==, alpha.lane);
  g_assert_cmpuint (match.span, ==, alpha.span);
  fx->style.show_search = TRUE;
  fixture_render (fx);
  g_assert_true (pw_timeline_layout_get_span_box (fx->layout, alpha, &box_y, &box_h));
  g_assert_cmphex (pixel (fx->surface, x_mid, PW_TIMELINE_LANES_TOP + box_y + 2.5), ==,
                   rgb_of (&fx->style.palette.search));
  /* work does not match: no outline on it */
  g_assert_cmphex (pixel (fx->surface, pw_timeline_time_to_x (&fx->vp, 4 * MS + MS / 2), PW_TIMELINE_LANES_TOP + box_y + 2.5), !=,
                   rgb_of (&fx->style.palette.search));

  g_assert_cmpuint (pw_timeline_layout_set_search (fx->layout, "nothing like it"), ==, 0);
  g_assert_cmpuint (pw_timeline_layout_set_search (fx->layout, NULL), ==, 0);
}

static void
test_hit_test (Fixture       *fx,
               gconstpointer  data)
{
  PwSpanRef alpha = find_ref (fx, "alpha", 0);
  PwSpanRef beta = find_ref (fx, "beta", 0);
  PwSpanRef hit;
  double y = span_mid_y (fx, alpha);

  g_assert_true (pw_timeline_hit_test (fx->layout, &fx->vp, pw_timeline_time_to_x (&fx->vp, 2 * MS), y, &hit));
  g_assert_cmpuint (hit.lane, ==, alpha.lane);
  g_assert_cmpuint (hit.span, ==, alpha.span);
  g_assert_true (pw_timeline_hit_test (fx->layout, &fx->vp, pw_timeline_time_to_x (&fx->vp, 1 * MS + 3 * MS / 4),
                                       y + PW_TIMELINE_ROW_HEIGHT, &hit));
  g_assert_cmpuint (hit.span, ==, beta.span);
  g_assert_false (pw_timeline_hit_test (fx->layout, &fx->vp, pw_timeline_time_to_x (&fx->vp, 3 * MS + MS / 2), y, &hit));
  /* The name column and the axis are not spans. */
  g_assert_false (pw_timeline_hit_test (fx->layout, &fx->vp, 20, y, &hit));
  g_assert_false (pw_timeline_hit_test (fx->layout, &fx->vp, pw_timeline_time_to_x (&fx->vp, 2 * MS), 40, &hit));
}

static void
test_axis (Fixture       *fx,
           gconstpointer  data)
{
  double x;
  guint32 mark = rgb_of (&fx->style.palette.dim_text);

  /* 1-2-5 steps */
  g_assert_cmpint (pw_timeline_tick_step (10 * MS, 1000, 90), ==, 1 * MS);
  g_assert_cmpint (pw_timeline_tick_step (10 * MS, 1000, 150), ==, 2 * MS);
  g_assert_cmpint (pw_timeline_tick_step (10 * MS, 1000, 300), ==, 5 * MS);
  g_assert_cmpint (pw_timeline_tick_step (1000, 1000, 90), ==, 100);
  g_assert_cmpint (pw_timeline_tick_step (100 * PW_NSEC_PER_SEC, 1000, 90), ==, 10 * PW_NSEC_PER_SEC);

  /* A tick mark every millisecond at the bottom of the axis, none between. */
  for (int ms = 1; ms < 10; ms++)
    {
      x = pw_timeline_time_to_x (&fx->vp, ms * MS);
      g_assert_cmphex (pixel (fx->surface, x, PW_TIMELINE_OVERVIEW_HEIGHT + PW_TIMELINE_AXIS_HEIGHT - 2), ==, mark);
      g_assert_cmphex (pixel (fx->surface, x + 50, PW_TIMELINE_OVERVIEW_HEIGHT + PW_TIMELINE_AXIS_HEIGHT - 2), !=, mark);
    }
}

/* On a HiDPI surface (device scale 2) boxes land on the same logical
 * places, at twice the pixels. */
static void
test_hidpi (Fixture       *fx,
            gconstpointer  data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH * 2, HEIGHT * 2);
  PwSpanRef alpha = find_ref (fx, "alpha", 0);
  double y = span_mid_y (fx, alpha);
  double x1ms = pw_timeline_time_to_x (&fx->vp, 1 * MS);
  double x3ms = pw_timeline_time_to_x (&fx->vp, 3 * MS);
  guint32 color = name_color ("alpha", FALSE);
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, 2, 2);
  fx->vp.scale_factor = 2;
  cr = cairo_create (surface);
  pw_timeline_render (fx->layout, cr, &fx->vp, &fx->style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_cmphex (pixel (surface, 2 * (x1ms + 60), 2 * y), ==, color);
  g_assert_cmphex (pixel (surface, 2 * x3ms - 4, 2 * (y - 7)), ==, color);
  g_assert_cmphex (pixel (surface, 2 * x3ms + 4, 2 * y), ==, pw_color_pack (&fx->style.palette.background));
  g_assert_cmphex (pixel (surface, 2 * x1ms - 4, 2 * (y - 7)), !=, color);

  cairo_surface_destroy (surface);
}

static void
test_sub_pixel_merging (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint32 tiny = pw_profile_builder_intern (b, "tiny", -1);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  PwTimelineViewport vp;
  PwTimelineStyle style;
  cairo_t *cr;
  guint painted = 0, n_cols = 0;
  double y, h;
  gint64 t0;

  /* 100 000 spans of 10 ns with 10 ns gaps over the first 2 ms of 10 ms:
   * each pixel holds 250 of them. */
  for (guint i = 0; i < 100000; i++)
    pw_profile_builder_add_span (b, lane, i * 20, 10, -1, tiny, 0, 0);
  pw_profile_builder_extend (b, 10 * MS);
  profile = pw_profile_builder_build (b);
  g_assert_cmpuint (pw_profile_get_n_spans (profile), ==, 100000);
  layout = pw_timeline_layout_new (profile);
  pw_timeline_viewport_init (&vp, layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&style, FALSE);

  cr = cairo_create (surface);
  t0 = g_get_monotonic_time ();
  pw_timeline_render (layout, cr, &vp, &style);
  g_test_message ("100 000 tiny spans drawn in %.2f ms", (g_get_monotonic_time () - t0) / 1000.0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_true (pw_timeline_layout_get_span_box (layout, (PwSpanRef) { 0, 0 }, &y, &h));
  y += PW_TIMELINE_LANES_TOP + h / 2;
  for (double x = pw_timeline_time_to_x (&vp, 0) + 1; x < pw_timeline_time_to_x (&vp, 2 * MS) - 1; x++, n_cols++)
    painted += pixel (surface, x, y) != pw_color_pack (&style.palette.background);
  g_assert_cmpuint (n_cols, >=, 197);
  g_assert_cmpuint (painted, ==, n_cols);
  /* Nothing after 2 ms */
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 5 * MS + MS / 3), y), ==, pw_color_pack (&style.palette.background));

  /* Searching marks the columns whose merged spans match. */
  g_assert_cmpuint (pw_timeline_layout_set_search (layout, "tiny"), ==, 100000);
  style.show_search = TRUE;
  cr = cairo_create (surface);
  pw_timeline_render (layout, cr, &vp, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, MS) + 0.5, y), ==, pw_color_pack (&style.palette.search));

  cairo_surface_destroy (surface);
}

static double
contrast (const PwRgba *a,
          const PwRgba *b)
{
  double la = pw_color_luminance (a), lb = pw_color_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Labels stay readable on every span colour, computing or waiting, in the
 * light and the dark palette (WCAG AA: 4.5:1). */
static void
test_label_contrast (void)
{
  for (int dark = 0; dark <= 1; dark++)
    {
      PwPalette palette;

      if (dark)
        pw_palette_init_dark (&palette);
      else
        pw_palette_init_light (&palette);

      for (guint i = 0; i < 2000; i++)
        {
          g_autofree char *name = g_strdup_printf ("span_%u", i);
          PwRgba fill, pale, text;

          pw_color_for_hash (pw_color_hash_string (name), dark, &fill);
          pw_color_text_on (&fill, &text);
          g_assert_cmpfloat (contrast (&fill, &text), >=, 4.5);
          pw_color_mix (&fill, &palette.background, 0.62, &pale);
          pw_color_text_on (&pale, &text);
          g_assert_cmpfloat (contrast (&pale, &text), >=, 4.5);
        }
      for (double share = 0; share <= 1.0; share += 0.05)
        {
          PwRgba fill, text;

          pw_color_for_cpu_share (share, dark, &fill);
          pw_color_text_on (&fill, &text);
          g_assert_cmpfloat (contrast (&fill, &text), >=, 4.5);
        }
      /* Lane names and the axis on the palette's own background */
      g_assert_cmpfloat (contrast (&palette.text, &palette.background), >=, 7);
      g_assert_cmpfloat (contrast (&palette.text, &palette.header_background), >=, 7);
    }

  /* The same name always gets the same colour. */
  g_assert_cmpuint (pw_color_hash_string ("parse_batch"), ==, pw_color_hash_string ("parse_batch"));
  g_assert_cmpuint (pw_color_hash_string ("parse_batch"), !=, pw_color_hash_string ("parse_batcg"));
}

/* Counters are area charts, instants markers, in their own rows. */
static void
test_counters_and_instants (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint counter = pw_profile_builder_get_counter (b, 1, "memory");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  const PwTimelineTrack *track = NULL;
  PwTimelineViewport vp;
  PwTimelineStyle style;
  guint32 bg;
  double top, bottom;
  cairo_t *cr;

  pw_profile_builder_add_span (b, lane, 0, 10 * MS, -1, pw_profile_builder_intern (b, "run", -1), 0, 0);
  pw_profile_builder_add_instant (b, lane, 5 * MS, pw_profile_builder_intern (b, "mark", -1));
  /* 0 until 2 ms, 100 from 2 to 6 ms, 25 after */
  pw_profile_builder_add_counter_value (b, counter, 0, 0);
  pw_profile_builder_add_counter_value (b, counter, 2 * MS, 100);
  pw_profile_builder_add_counter_value (b, counter, 6 * MS, 25);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);

  for (guint i = 0; i < pw_timeline_layout_get_n_tracks (layout); i++)
    if (pw_timeline_layout_get_track (layout, i)->kind == PW_TRACK_COUNTER)
      track = pw_timeline_layout_get_track (layout, i);
  g_assert_nonnull (track);
  g_assert_cmpstr (track->label, ==, "memory");

  pw_timeline_viewport_init (&vp, layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&style, FALSE);
  style.show_flows = FALSE;
  cr = cairo_create (surface);
  pw_timeline_render (layout, cr, &vp, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bg = pw_color_pack (&style.palette.background);

  top = PW_TIMELINE_LANES_TOP + track->y + 2;
  bottom = top + PW_TIMELINE_COUNTER_HEIGHT - 4;
  /* At 4 ms the area reaches near the top; at 1 ms there is none; at 8 ms
   * (a quarter) the upper part is empty but the bottom is filled. */
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 4 * MS), top + 6), !=, bg);
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 1 * MS + MS / 3), bottom - 2), ==, bg);
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 8 * MS + MS / 3), top + 12), ==, bg);
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 8 * MS + MS / 3), bottom - 2), !=, bg);

  /* The instant's marker sits at 5 ms at the top of its lane, over the span. */
  {
    double y, h;
    PwRgba mark;

    g_assert_true (pw_timeline_layout_get_span_box (layout, (PwSpanRef) { lane, 0 }, &y, &h));
    pw_color_for_hash (pw_color_hash_string ("mark"), FALSE, &mark);
    g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 5 * MS), PW_TIMELINE_LANES_TOP + y + 6), ==,
                     pw_color_pack (&mark));
  }

  cairo_surface_destroy (surface);
}

/* A flow is an arrow from one lane to another, and the toggle hides it. */
static void
test_flows (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint l1 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint l2 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  guint32 n = pw_profile_builder_intern (b, "send", -1);
  PwSpanHandle from, to;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  PwTimelineViewport vp;
  PwTimelineStyle style;
  double y0, y1, h, x0, x1, mx, my;
  guint32 bg, with_flows;
  cairo_t *cr;

  from = pw_profile_builder_add_span (b, l1, 0, 2 * MS, -1, n, 0, 0);
  to = pw_profile_builder_add_span (b, l2, 7 * MS, 3 * MS, -1, n, 0, 0);
  pw_profile_builder_add_flow (b, PW_FLOW_ARROW, n, l1, 2 * MS, from, l2, 7 * MS, to);
  profile = pw_profile_builder_build (b);
  g_assert_cmpuint (pw_profile_get_n_flows (profile), ==, 1);
  layout = pw_timeline_layout_new (profile);
  pw_timeline_viewport_init (&vp, layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&style, FALSE);
  bg = pw_color_pack (&style.palette.background);

  g_assert_true (pw_timeline_layout_get_span_box (layout, (PwSpanRef) { l1, 0 }, &y0, &h));
  g_assert_true (pw_timeline_layout_get_span_box (layout, (PwSpanRef) { l2, 0 }, &y1, &h));
  y0 += PW_TIMELINE_LANES_TOP + PW_TIMELINE_ROW_HEIGHT / 2;
  y1 += PW_TIMELINE_LANES_TOP + PW_TIMELINE_ROW_HEIGHT / 2;
  x0 = pw_timeline_time_to_x (&vp, 2 * MS);
  x1 = pw_timeline_time_to_x (&vp, 7 * MS);
  /* A quarter along the cubic from (x0, y0) through (x0 + 20, y0) and
   * (x1 - 20, y1) to (x1, y1): past the first span's end, off the grid. */
  mx = 27.0 / 64 * x0 + 27.0 / 64 * (x0 + 20) + 9.0 / 64 * (x1 - 20) + 1.0 / 64 * x1;
  my = 54.0 / 64 * y0 + 10.0 / 64 * y1;

  cr = cairo_create (surface);
  pw_timeline_render (layout, cr, &vp, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  with_flows = pixel (surface, mx, my);
  g_assert_cmphex (with_flows, !=, bg);

  style.show_flows = FALSE;
  cr = cairo_create (surface);
  pw_timeline_render (layout, cr, &vp, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel (surface, mx, my), ==, bg);

  cairo_surface_destroy (surface);
}

static void
test_flame_chart (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint untimed = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  guint32 s_main = pw_profile_builder_push_frame (b, PW_NO_STACK, pw_profile_builder_intern (b, "main", -1));
  guint32 s_a = pw_profile_builder_push_frame (b, s_main, pw_profile_builder_intern (b, "a", -1));
  guint32 s_b = pw_profile_builder_push_frame (b, s_a, pw_profile_builder_intern (b, "b", -1));
  guint32 s_c = pw_profile_builder_push_frame (b, s_a, pw_profile_builder_intern (b, "c", -1));
  guint32 s_d = pw_profile_builder_push_frame (b, s_main, pw_profile_builder_intern (b, "d", -1));
  const PwLane *fl;
  const PwTimelineTrack *track;
  static const struct { const char *name; gint64 start, dur; guint depth; } expected[] = {
    { "main", 0, 4 * MS, 0 }, { "a", 0, 2 * MS, 1 }, { "b", 0, 1 * MS, 2 },
    { "c", 1 * MS, 1 * MS, 2 }, { "d", 2 * MS, 2 * MS, 1 },
  };

  pw_profile_builder_add_sample (b, lane, 0, 1, s_b);
  pw_profile_builder_add_sample (b, lane, 1 * MS, 1, s_c);
  pw_profile_builder_add_sample (b, lane, 2 * MS, 1, s_d);
  pw_profile_builder_add_sample (b, lane, 3 * MS, 1, s_d);
  pw_profile_builder_add_sample (b, untimed, -1, 5, s_b);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);

  /* Consecutive samples with the same frame at a depth are one box. */
  fl = pw_timeline_layout_get_lane (layout, lane);
  g_assert_cmpuint (fl->n_spans, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (fl->n_rows, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (pw_profile_get_string (profile, fl->span_name[i]), ==, expected[i].name);
      g_assert_cmpint (fl->span_start[i], ==, expected[i].start);
      g_assert_cmpint (fl->span_dur[i], ==, expected[i].dur);
      g_assert_cmpuint (fl->span_depth[i], ==, expected[i].depth);
    }
  g_assert_cmpint (pw_lane_find_span_at (fl, 2, 1 * MS + 10), ==, 3);
  g_assert_cmpint (pw_lane_span_self_time (fl, 0), ==, 0);

  track = pw_timeline_layout_get_track (layout, pw_timeline_layout_find_lane_track (layout, lane));
  g_assert_true (track->flame);
  g_assert_null (track->note);
  /* Samples without times: no stack chart, a note instead. */
  track = pw_timeline_layout_get_track (layout, pw_timeline_layout_find_lane_track (layout, untimed));
  g_assert_true (track->flame);
  g_assert_nonnull (track->note);
}

/* A thread with spans and samples both (a browser's main thread: its
 * tasks, and the JavaScript they ran): the samples get a stack chart of
 * their own under the spans, which is drawn, searched and hit like any
 * lane, but does not count as a second busy thread. */
static void
test_samples_under_spans (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint32 task = pw_profile_builder_intern (b, "RunTask", -1);
  guint32 s_main = pw_profile_builder_push_frame (b, PW_NO_STACK, pw_profile_builder_intern (b, "main", -1));
  guint32 s_hot = pw_profile_builder_push_frame (b, s_main, pw_profile_builder_intern (b, "hotLoop", -1));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  PwTimelineViewport vp;
  PwTimelineStyle style;
  const PwTimelineTrack *spans_track, *samples_track;
  const PwLane *chart;
  PwRangeSummary sum;
  PwSpanRef match;
  gint spans_index = -1, samples_index = -1;
  cairo_t *cr;
  double y;

  pw_profile_builder_add_span (b, lane, 0, 10 * MS, -1, task, 0, 0);
  for (guint i = 0; i < 8; i++)
    pw_profile_builder_add_sample (b, lane, (1 + i) * MS, 1, i < 4 ? s_main : s_hot);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);

  for (guint t = 0; t < pw_timeline_layout_get_n_tracks (layout); t++)
    {
      const PwTimelineTrack *track = pw_timeline_layout_get_track (layout, t);

      if (track->kind != PW_TRACK_LANE)
        continue;
      if (track->flame)
        samples_index = t;
      else
        spans_index = t;
    }
  g_assert_cmpint (spans_index, >=, 0);
  g_assert_cmpint (samples_index, ==, spans_index + 1);
  spans_track = pw_timeline_layout_get_track (layout, spans_index);
  samples_track = pw_timeline_layout_get_track (layout, samples_index);
  g_assert_cmpuint (spans_track->index, ==, lane);
  g_assert_cmpuint (pw_timeline_layout_get_profile_lane (layout, samples_track->index), ==, lane);
  g_assert_true (g_str_has_suffix (samples_track->label, "(samples)"));
  g_assert_cmpint (pw_timeline_layout_find_lane_track (layout, samples_track->index), ==, samples_index);

  /* the lane itself is still its spans; the chart is main over hotLoop */
  g_assert_cmpuint (pw_timeline_layout_get_lane (layout, lane)->n_spans, ==, 1);
  chart = pw_timeline_layout_get_lane (layout, samples_track->index);
  g_assert_cmpuint (chart->n_spans, ==, 2);
  g_assert_cmpstr (pw_profile_get_string (profile, chart->span_name[0]), ==, "main");
  g_assert_cmpstr (pw_profile_get_string (profile, chart->span_name[1]), ==, "hotLoop");
  g_assert_cmpuint (chart->span_depth[1], ==, 1);
  g_assert_cmpuint (chart->n_instants, ==, 0);

  g_assert_cmpuint (pw_timeline_layout_set_search (layout, "hotloop"), ==, 1);
  g_assert_true (pw_timeline_layout_get_match (layout, 0, &match));
  g_assert_cmpuint (match.lane, ==, samples_track->index);
  g_assert_true (pw_timeline_layout_span_matches (layout, match));
  pw_timeline_layout_set_search (layout, NULL);

  pw_timeline_layout_summarize_range (layout, 0, 10 * MS, &sum);
  g_assert_cmpuint (sum.n_lanes_busy, ==, 1);
  g_assert_cmpint (sum.task, ==, 10 * MS);
  g_assert_cmpfloat (pw_timeline_layout_get_max_concurrency (layout), ==, 1);

  /* drawn: hotLoop's colour in the chart's second row, at 7 ms */
  pw_timeline_viewport_init (&vp, layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&style, FALSE);
  cr = cairo_create (surface);
  pw_timeline_render (layout, cr, &vp, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  y = PW_TIMELINE_LANES_TOP - vp.scroll_y + samples_track->y + 1.5 * PW_TIMELINE_ROW_HEIGHT;
  g_assert_cmphex (pixel (surface, pw_timeline_time_to_x (&vp, 7 * MS), y), ==, name_color ("hotLoop", FALSE));
  cairo_surface_destroy (surface);
}

/* V8 samples an idle thread as "(idle)": its stack chart shows it, but
 * the thread is not busy then. */
static void
test_idle_samples_not_busy (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint32 s_idle = pw_profile_builder_push_frame (b, PW_NO_STACK, pw_profile_builder_intern (b, "(idle)", -1));
  guint32 s_run = pw_profile_builder_push_frame (b, PW_NO_STACK, pw_profile_builder_intern (b, "(root)", -1));
  PwRangeSummary sum;

  /* 0–4 ms idle, 4–8 ms running, then idle to 10 ms */
  for (guint i = 0; i < 10; i++)
    pw_profile_builder_add_sample (b, lane, i * MS, 1, i >= 4 && i < 8 ? s_run : s_idle);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);

  g_assert_cmpuint (pw_timeline_layout_get_lane (layout, lane)->n_spans, ==, 3);
  pw_timeline_layout_summarize_range (layout, 0, 2 * MS, &sum);
  g_assert_cmpuint (sum.n_lanes_busy, ==, 0);
  g_assert_cmpint (sum.task, ==, 0);
  pw_timeline_layout_summarize_range (layout, 0, 9 * MS, &sum);
  g_assert_cmpuint (sum.n_lanes_busy, ==, 1);
  g_assert_cmpint (sum.task, ==, 4 * MS);
}

/* Traces lay overlapping roots of a service on rows of their own: a range
 * over the second root alone still finds the lane busy. */
static void
test_range_roots_on_lower_rows (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint lane = pw_profile_builder_get_lane (b, PW_LANE_SERVICE, 1, 1);
  guint32 req = pw_profile_builder_intern (b, "GET /", -1);
  PwSpanHandle first = pw_profile_builder_add_span (b, lane, 0, 4 * MS, -1, req, 0, 0);
  PwSpanHandle second = pw_profile_builder_add_span (b, lane, 2 * MS, 6 * MS, -1, req, 0, 0);
  const PwLane *l;
  PwRangeSummary sum;

  pw_profile_builder_set_span_parent (b, lane, first, PW_NO_SPAN_HANDLE);
  pw_profile_builder_set_span_parent (b, lane, second, PW_NO_SPAN_HANDLE);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);
  l = pw_timeline_layout_get_lane (layout, lane);
  g_assert_cmpuint (l->n_rows, ==, 2);
  g_assert_cmpint (l->span_parent[1], ==, PW_NO_PARENT);

  pw_timeline_layout_summarize_range (layout, 5 * MS, 7 * MS, &sum);
  g_assert_cmpuint (sum.n_lanes_busy, ==, 1);
  g_assert_cmpint (sum.task, ==, 2 * MS);
}

static void
test_concurrency (void)
{
  g_autoptr(PwProfileBuilder) b = pw_profile_builder_new ();
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwTimelineLayout) layout = NULL;
  guint l1 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 1);
  guint l2 = pw_profile_builder_get_lane (b, PW_LANE_THREAD, 1, 2);
  guint32 n = pw_profile_builder_intern (b, "job", -1);
  PwRangeSummary sum;

  pw_profile_builder_add_span (b, l1, 0, 4 * MS, 2 * MS, n, 0, 0);
  pw_profile_builder_add_span (b, l1, 1 * MS, 1 * MS, -1, n, 0, 0);  /* nested: not counted twice */
  pw_profile_builder_add_span (b, l2, 2 * MS, 4 * MS, 4 * MS, n, 0, 0);
  profile = pw_profile_builder_build (b);
  layout = pw_timeline_layout_new (profile);

  g_assert_cmpfloat (pw_timeline_layout_get_max_concurrency (layout), ==, 2);
  g_assert_cmpfloat_with_epsilon (pw_timeline_layout_get_concurrency (layout, 2 * MS, 4 * MS), 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (pw_timeline_layout_get_concurrency (layout, 0, 2 * MS), 1, 1e-9);

  pw_timeline_layout_summarize_range (layout, 0, 6 * MS, &sum);
  g_assert_cmpint (sum.wall, ==, 6 * MS);
  g_assert_cmpint (sum.task, ==, 8 * MS);
  g_assert_cmpint (sum.cpu, ==, 6 * MS);
  g_assert_true (sum.cpu_known);
  g_assert_cmpfloat_with_epsilon (sum.parallelism, 8.0 / 6.0, 1e-9);
  g_assert_cmpuint (sum.n_lanes_busy, ==, 2);

  /* Clipped: 3–5 ms holds 1 ms of lane 1 and 2 ms of lane 2. */
  pw_timeline_layout_summarize_range (layout, 3 * MS, 5 * MS, &sum);
  g_assert_cmpint (sum.task, ==, 3 * MS);
  g_assert_cmpint (sum.cpu, ==, 2 * MS / 4 + 2 * MS);
  g_assert_cmpfloat_with_epsilon (sum.parallelism, 1.5, 1e-9);
}

static void
test_parse_range (void)
{
  gint64 t, a, b;
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_render_parse_time ("1.5s", &t));
  g_assert_cmpint (t, ==, 1500000000);
  g_assert_true (pw_render_parse_time ("200ms", &t));
  g_assert_cmpint (t, ==, 200000000);
  g_assert_true (pw_render_parse_time ("30us", &t));
  g_assert_cmpint (t, ==, 30000);
  g_assert_true (pw_render_parse_time ("30µs", &t));
  g_assert_cmpint (t, ==, 30000);
  g_assert_true (pw_render_parse_time ("12", &t));
  g_assert_cmpint (t, ==, 12);
  g_assert_false (pw_render_parse_time ("12 parsecs", &t));
  g_assert_false (pw_render_parse_time ("-1ms", &t));
  g_assert_false (pw_render_parse_time ("", &t));

  g_assert_true (pw_render_parse_range ("1ms..2.5ms", &a, &b, NULL));
  g_assert_cmpint (a, ==, 1000000);
  g_assert_cmpint (b, ==, 2500000);
  g_assert_true (pw_render_parse_range ("..2ms", &a, &b, NULL));
  g_assert_cmpint (a, ==, 0);
  g_assert_false (pw_render_parse_range ("2ms..1ms", &a, &b, &error));
  g_assert_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE);
  g_clear_error (&error);
  g_assert_false (pw_render_parse_range ("soon", &a, &b, &error));
  g_assert_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE);
}

static gsize
read_head (const char *path,
           char       *buf,
           gsize       len)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  memcpy (buf, contents, MIN (size, len));
  return size;
}

static void
test_export (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-big_trace.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-render-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "t.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "t.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "t.PDF", NULL);
  g_autofree char *txt = g_build_filename (dir, "t.txt", NULL);
  cairo_surface_t *image;
  char head[16] = { 0 };
  gsize size;
  GHashTable *colors = g_hash_table_new (NULL, NULL);

  g_assert_true (pw_render_export (profile, "timeline", 0, 0, 800, 500, png, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 800);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 500);
  /* A real trace shows many span colours. */
  for (int y = (int) PW_TIMELINE_LANES_TOP; y < 500; y += 3)
    for (int x = (int) PW_TIMELINE_NAME_WIDTH; x < 800; x += 3)
      g_hash_table_add (colors, GUINT_TO_POINTER (pixel (image, x, y)));
  g_assert_cmpuint (g_hash_table_size (colors), >, 10);
  g_hash_table_unref (colors);
  cairo_surface_destroy (image);

  g_assert_true (pw_render_export (profile, NULL, 0, 0, 800, 0, svg, &error));
  g_assert_no_error (error);
  size = read_head (svg, head, sizeof head - 1);
  g_assert_true (g_str_has_prefix (head, "<?xml"));
  g_assert_cmpuint (size, >, 10000);

  g_assert_true (pw_render_export (profile, "timeline", 100 * MS, 200 * MS, 800, 600, pdf, &error));
  g_assert_no_error (error);
  size = read_head (pdf, head, sizeof head - 1);
  g_assert_true (g_str_has_prefix (head, "%PDF-"));
  g_assert_cmpuint (size, >, 2000);

  g_assert_false (pw_render_export (profile, "timeline", 0, 0, 800, 600, txt, &error));
  g_assert_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);
  g_assert_false (pw_render_export (profile, "no-such-view", 0, 0, 800, 600, png, &error));
  g_assert_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_UNKNOWN_VIEW);
  g_clear_error (&error);

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_real_trace_tracks (void)
{
  g_autoptr(PwProfile) profile = pw_test_load ("catapult-big_trace.json");
  g_autoptr(PwTimelineLayout) layout = pw_timeline_layout_new (profile);
  guint n_lanes = 0, n_process = 0;
  double h;

  for (guint i = 0; i < pw_timeline_layout_get_n_tracks (layout); i++)
    {
      const PwTimelineTrack *t = pw_timeline_layout_get_track (layout, i);

      n_lanes += t->kind == PW_TRACK_LANE;
      n_process += t->kind == PW_TRACK_PROCESS;
    }
  /* 4 lanes (SOURCES.md), each under its process header. */
  g_assert_cmpuint (n_lanes, ==, 4);
  g_assert_cmpuint (n_process, >=, 1);

  /* Collapsing a process hides its lanes and shortens the layout. */
  h = pw_timeline_layout_get_height (layout);
  pw_timeline_layout_set_process_collapsed (layout, pw_timeline_layout_get_track (layout, 0)->pid, TRUE);
  g_assert_cmpfloat (pw_timeline_layout_get_height (layout), <, h);
  g_assert_true (pw_timeline_layout_get_track (layout, 1)->hidden);
  pw_timeline_layout_set_process_collapsed (layout, pw_timeline_layout_get_track (layout, 0)->pid, FALSE);
  g_assert_cmpfloat (pw_timeline_layout_get_height (layout), ==, h);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/span-position/light", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_span_position, fixture_tear_down);
  g_test_add ("/render/span-position/dark", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_span_position, fixture_tear_down);
  g_test_add ("/render/cpu-share/light", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_cpu_share, fixture_tear_down);
  g_test_add ("/render/cpu-share/dark", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_cpu_share, fixture_tear_down);
  g_test_add ("/render/selection-search", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_selection_and_search, fixture_tear_down);
  g_test_add ("/render/hit-test", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_hit_test, fixture_tear_down);
  g_test_add ("/render/hidpi", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_hidpi, fixture_tear_down);
  g_test_add ("/render/axis", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_axis, fixture_tear_down);
  g_test_add_func ("/render/sub-pixel-merging", test_sub_pixel_merging);
  g_test_add_func ("/render/flame-chart", test_flame_chart);
  g_test_add_func ("/render/samples-under-spans", test_samples_under_spans);
  g_test_add_func ("/render/idle-samples-not-busy", test_idle_samples_not_busy);
  g_test_add_func ("/render/range-roots-on-lower-rows", test_range_roots_on_lower_rows);
  g_test_add_func ("/render/flows", test_flows);
  g_test_add_func ("/render/label-contrast", test_label_contrast);
  g_test_add_func ("/render/counters-instants", test_counters_and_instants);
  g_test_add_func ("/render/concurrency", test_concurrency);
  g_test_add_func ("/render/parse-range", test_parse_range);
  g_test_add_func ("/render/export", test_export);
  g_test_add_func ("/render/real-trace", test_real_trace_tracks);

  ret = g_test_run ();
  pw_render_release_caches ();
  return ret;
}
