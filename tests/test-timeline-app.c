/* test-timeline-app.c: the timeline view under a virtual display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "pw-app-test-util.h"
#include "pw-application.h"
#include "pw-document-page.h"
#include "pw-importer.h"
#include "pw-timeline-view.h"
#include "pw-timeline-view-private.h"
#include "pw-units.h"
#include "pw-window.h"

static gboolean
view_drawn (gpointer data)
{
  PwTimelineViewport vp;

  if (!pw_timeline_view_get_ready (data))
    return FALSE;
  pw_timeline_view_get_viewport (data, &vp);
  return vp.width > 400 && vp.height > 200;
}

static PwProfile *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PwProfile *profile = pw_import_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return profile;
}

/* The longest span of catapult-big_trace.json: RenderWidget::DoDeferredUpdate
 * on pid 21315, 156.181 ms from 1531.966 ms (computed from the file's B/E
 * pairs, independently of Phasewise). */
static PwSpanRef
find_longest (PwTimelineLayout *layout,
              const char       *name)
{
  PwProfile *profile = pw_timeline_layout_get_profile (layout);
  guint32 id = pw_profile_lookup_string (profile, name);
  PwSpanRef best = PW_SPAN_REF_NONE;
  gint64 best_dur = -1;

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_timeline_layout_get_lane (layout, l);

      for (guint s = 0; s < lane->n_spans; s++)
        if (lane->span_name[s] == id && lane->span_dur[s] > best_dur)
          {
            best_dur = lane->span_dur[s];
            best = (PwSpanRef) { l, s };
          }
    }
  return best;
}

static void
assert_range (PwTimelineView *view,
              gint64          t0,
              gint64          t1)
{
  gint64 a, b;

  pw_timeline_view_get_visible_range (view, &a, &b);
  g_assert_cmpint (llabs (a - t0), <=, 2);
  g_assert_cmpint (llabs (b - t1), <=, 2);
}

static void
test_view (void)
{
  g_autoptr(PwProfile) profile = load ("catapult-big_trace.json");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = pw_timeline_view_new ();
  PwTimelineView *tv = PW_TIMELINE_VIEW (view);
  PwTimelineLayout *layout;
  PwDetailsPane *details;
  PwTimelineViewport vp;
  PwSpanRef longest, hit;
  const PwLane *lane;
  gint64 d, span, start, dur, a, b;
  double y, h;

  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_set_child (GTK_WINDOW (window), view);
  pw_timeline_view_set_profile (tv, profile);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pw_test_iterate_until (view_drawn, view, PW_TEST_TIMEOUT_MS));

  layout = pw_timeline_view_get_layout (tv);
  d = pw_profile_get_duration_ns (profile);
  /* 3616.893 ms from the first to the last event (SOURCES.md) */
  g_assert_cmpint (d / 1000, ==, 3616893);
  assert_range (tv, 0, d);

  /* Zoom in around the middle (the pointer is not over the view). */
  g_assert_true (gtk_widget_activate_action (view, "timeline.zoom-in", NULL));
  span = (gint64) (d * 0.6);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - span), <=, 2);
  g_assert_cmpint (llabs (a - (d / 2 - span / 2)), <=, 2);

  /* Pan right by a fifth of the window, then back. */
  g_assert_true (gtk_widget_activate_action (view, "timeline.pan-right", NULL));
  assert_range (tv, a + (b - a) / 5, b + (b - a) / 5);
  g_assert_true (gtk_widget_activate_action (view, "timeline.pan-left", NULL));
  assert_range (tv, a, b);
  /* Panning stops at the ends. */
  for (int i = 0; i < 10; i++)
    gtk_widget_activate_action (view, "timeline.pan-left", NULL);
  assert_range (tv, 0, b - a);

  /* Zooming out never shows more than the whole profile. */
  for (int i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (view, "timeline.zoom-out", NULL));
  assert_range (tv, 0, d);
  g_assert_true (gtk_widget_activate_action (view, "timeline.zoom-in", NULL));
  g_assert_true (gtk_widget_activate_action (view, "timeline.zoom-fit", NULL));
  assert_range (tv, 0, d);

  /* Search: 145 DoDeferredUpdate spans (counted from the file's B/E pairs). */
  g_assert_cmpuint (pw_timeline_view_search (tv, "DoDeferredUpdate"), ==, 145);
  g_assert_cmpstr (pw_timeline_view_get_match_text (tv), ==, "145 matches");
  g_assert_true (gtk_widget_activate_action (view, "timeline.next-match", NULL));
  g_assert_cmpstr (pw_timeline_view_get_match_text (tv), ==, "1 of 145");
  g_assert_true (gtk_widget_activate_action (view, "timeline.previous-match", NULL));
  g_assert_true (gtk_widget_activate_action (view, "timeline.previous-match", NULL));
  g_assert_cmpstr (pw_timeline_view_get_match_text (tv), ==, "144 of 145");
  g_assert_cmpuint (pw_timeline_view_search (tv, "no such span anywhere"), ==, 0);
  g_assert_cmpstr (pw_timeline_view_get_match_text (tv), ==, "No matches");
  pw_timeline_view_search (tv, "");

  /* Click on the longest span where it is drawn: the details pane shows it. */
  longest = find_longest (layout, "RenderWidget::DoDeferredUpdate");
  g_assert_true (PW_SPAN_REF_IS_SET (longest));
  lane = pw_timeline_layout_get_lane (layout, longest.lane);
  start = lane->span_start[longest.span];
  dur = lane->span_dur[longest.span];
  g_assert_cmpint (dur, ==, 156181000);
  g_assert_cmpint (start, ==, 1531966000);

  pw_timeline_view_reveal_span (tv, longest, FALSE);
  pw_timeline_view_set_selected (tv, PW_SPAN_REF_NONE);
  pw_test_iterate_until (view_drawn, view, PW_TEST_TIMEOUT_MS);
  pw_timeline_view_get_viewport (tv, &vp);
  g_assert_true (pw_timeline_layout_get_span_box (layout, longest, &y, &h));
  y = PW_TIMELINE_LANES_TOP - vp.scroll_y + y + h / 2;
  g_assert_cmpfloat (y, >, PW_TIMELINE_LANES_TOP);
  g_assert_cmpfloat (y, <, vp.height);
  g_assert_true (pw_timeline_hit_test (layout, &vp, pw_timeline_time_to_x (&vp, start + dur / 2), y, &hit));

  pw_timeline_view_click (tv, pw_timeline_time_to_x (&vp, start + dur / 2), y, 1);
  hit = pw_timeline_view_get_selected (tv);
  g_assert_cmpuint (hit.lane, ==, longest.lane);
  g_assert_cmpuint (hit.span, ==, longest.span);

  details = pw_timeline_view_get_details_pane (tv);
  g_assert_cmpstr (pw_details_pane_get_value (details, "name"), ==, "RenderWidget::DoDeferredUpdate");
  g_assert_cmpstr (pw_details_pane_get_value (details, "wall"), ==, "156.2 ms");
  g_assert_cmpstr (pw_details_pane_get_value (details, "start"), ==, "1.532 s");
  g_assert_cmpstr (pw_details_pane_get_value (details, "cpu"), ==, "not recorded");
  {
    g_autofree char *children = g_strdup_printf ("%u", pw_lane_span_n_children (lane, longest.span));
    g_autofree char *self_time = pw_format_duration (pw_lane_span_self_time (lane, longest.span));

    g_assert_cmpstr (pw_details_pane_get_value (details, "children"), ==, children);
    g_assert_cmpstr (pw_details_pane_get_value (details, "self"), ==, self_time);
  }

  /* Double-click zooms to the span, with a twentieth of margin each side. */
  pw_timeline_view_click (tv, pw_timeline_time_to_x (&vp, start + dur / 2), y, 2);
  assert_range (tv, start - dur / 20, start + dur + dur / 20);

  /* Clicking empty space clears the selection. */
  pw_timeline_view_get_viewport (tv, &vp);
  pw_timeline_view_click (tv, vp.width - 2, vp.height - 2, 1);
  g_assert_false (PW_SPAN_REF_IS_SET (pw_timeline_view_get_selected (tv)));
  g_assert_null (pw_details_pane_get_value (details, "wall"));

  /* A range over the span: its wall time, and the summary is shown. */
  pw_timeline_view_select_range (tv, start, start + dur);
  g_assert_cmpstr (pw_details_pane_get_value (details, "range-wall"), ==, "156.2 ms");
  g_assert_nonnull (pw_details_pane_get_value (details, "range-parallelism"));

  /* Clicking a process header folds its lanes away, and back. */
  {
    gint first = -1;
    const PwTimelineTrack *t;
    double height = pw_timeline_layout_get_height (layout);

    for (guint i = 0; i < pw_timeline_layout_get_n_tracks (layout) && first < 0; i++)
      if (pw_timeline_layout_get_track (layout, i)->kind == PW_TRACK_PROCESS)
        first = (gint) i;
    g_assert_cmpint (first, >=, 0);
    gtk_widget_activate_action (view, "timeline.zoom-fit", NULL);
    t = pw_timeline_layout_get_track (layout, first);
    pw_timeline_view_click (tv, 40, PW_TIMELINE_LANES_TOP + t->y + PW_TIMELINE_PROCESS_HEIGHT / 2, 1);
    g_assert_true (pw_timeline_layout_get_track (layout, first)->collapsed);
    g_assert_true (pw_timeline_layout_get_track (layout, first + 1)->hidden);
    g_assert_cmpfloat (pw_timeline_layout_get_height (layout), <, height);
    pw_timeline_view_click (tv, 40, PW_TIMELINE_LANES_TOP + t->y + PW_TIMELINE_PROCESS_HEIGHT / 2, 1);
    g_assert_false (pw_timeline_layout_get_track (layout, first)->collapsed);
    g_assert_cmpfloat (pw_timeline_layout_get_height (layout), ==, height);
  }

  /* Colour mode and flows are actions with state. */
  g_assert_true (gtk_widget_activate_action (view, "timeline.color-mode", "s", "cpu"));
  {
    g_autofree char *mode = NULL;

    g_object_get (view, "color-mode", &mode, NULL);
    g_assert_cmpstr (mode, ==, "cpu");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Nanoseconds per pixel of the lanes, and of the overview strip. */
static double
lanes_ns_per_px (PwTimelineView *tv)
{
  PwTimelineViewport vp;

  pw_timeline_view_get_viewport (tv, &vp);
  return (double) (vp.t1 - vp.t0) / (vp.width - PW_TIMELINE_NAME_WIDTH);
}

static double
overview_ns_per_px (PwTimelineView *tv,
                    gint64          duration)
{
  PwTimelineViewport vp;

  pw_timeline_view_get_viewport (tv, &vp);
  return (double) duration / (vp.width - PW_TIMELINE_NAME_WIDTH);
}

/* The time drawn at x in the lanes. */
static gint64
time_at (PwTimelineView *tv,
         double          x)
{
  PwTimelineViewport vp;

  pw_timeline_view_get_viewport (tv, &vp);
  return pw_timeline_x_to_time (&vp, x);
}

/* Where time t is in the overview strip, computed here from the strip's
 * geometry: it spans the lanes' columns with the whole profile. */
static double
overview_x (PwTimelineView *tv,
            gint64          duration,
            gint64          t)
{
  PwTimelineViewport vp;

  pw_timeline_view_get_viewport (tv, &vp);
  return PW_TIMELINE_NAME_WIDTH + (double) t / (double) duration * (vp.width - PW_TIMELINE_NAME_WIDTH);
}

static void
assert_range_near (PwTimelineView *view,
                   gint64          t0,
                   gint64          t1,
                   gint64          tolerance)
{
  gint64 a, b;

  pw_timeline_view_get_visible_range (view, &a, &b);
  if (llabs (a - t0) > tolerance || llabs (b - t1) > tolerance)
    g_error ("visible range %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ns, expected %" G_GINT64_FORMAT
             "-%" G_GINT64_FORMAT " ns +/- %" G_GINT64_FORMAT, a, b, t0, t1, tolerance);
}

static void
on_range_changed (PwTimelineView *view,
                  gint64          begin,
                  gint64          end,
                  gint64         *range)
{
  range[0] = begin;
  range[1] = end;
}

#define OV_Y (PW_TIMELINE_OVERVIEW_HEIGHT / 2)

/* Zoom and pan by wheel, touchpad, pinch, drag and the overview, through
 * the functions the gesture handlers call: Xvfb has no touchpad. */
static void
test_gestures (void)
{
  g_autoptr(PwProfile) profile = load ("catapult-big_trace.json");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = pw_timeline_view_new ();
  PwTimelineView *tv = PW_TIMELINE_VIEW (view);
  PwTimelineViewport vp;
  gint64 d, a, b, span, t, selected[2] = { 0, 0 };
  double x, x2, nspp, ov_nspp, lanes_y;

  /* Short enough that the lanes scroll. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 360);
  gtk_window_set_child (GTK_WINDOW (window), view);
  g_signal_connect (view, "range-changed", G_CALLBACK (on_range_changed), selected);
  pw_timeline_view_set_profile (tv, profile);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pw_test_iterate_until (view_drawn, view, PW_TEST_TIMEOUT_MS));
  d = pw_profile_get_duration_ns (profile);
  pw_timeline_view_get_viewport (tv, &vp);
  lanes_y = PW_TIMELINE_LANES_TOP + 20;
  assert_range (tv, 0, d);

  /* Zoom at the pointer: the time under it stays under it. */
  x = PW_TIMELINE_NAME_WIDTH + 0.3 * (vp.width - PW_TIMELINE_NAME_WIDTH);
  t = time_at (tv, x);
  pw_timeline_view_zoom_at (tv, x, 0.5);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - d / 2), <=, 2);
  g_assert_cmpint (a, >, 0);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  x = PW_TIMELINE_NAME_WIDTH + 0.8 * (vp.width - PW_TIMELINE_NAME_WIDTH);
  t = time_at (tv, x);
  pw_timeline_view_zoom_at (tv, x, 0.1);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - d / 20), <=, 2);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  /* Zooming out again around the same point comes back. */
  pw_timeline_view_zoom_at (tv, x, 10);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);

  /* Zooming stops at the whole profile and at 100 ns. */
  pw_timeline_view_zoom_at (tv, x, 1000);
  assert_range (tv, 0, d);
  x = PW_TIMELINE_NAME_WIDTH + 0.25 * (vp.width - PW_TIMELINE_NAME_WIDTH);
  t = time_at (tv, x);
  pw_timeline_view_zoom_at (tv, x, 1e-12);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (b - a, ==, 100);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  /* Zooming at the very start keeps the start in view. */
  pw_timeline_view_set_visible_range (tv, 0, d / 4);
  pw_timeline_view_zoom_at (tv, PW_TIMELINE_NAME_WIDTH, 0.5);
  assert_range (tv, 0, d / 8);

  /* Ctrl+wheel: a notch zooms by √0.6 at the pointer, the next one back. */
  pw_timeline_view_set_visible_range (tv, d / 4, d / 2);
  x = PW_TIMELINE_NAME_WIDTH + 0.6 * (vp.width - PW_TIMELINE_NAME_WIDTH);
  t = time_at (tv, x);
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, -1, GDK_SCROLL_UNIT_WHEEL, GDK_CONTROL_MASK));
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - (gint64) llround (d / 4 * sqrt (0.6))), <=, 2);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, 1, GDK_SCROLL_UNIT_WHEEL, GDK_CONTROL_MASK));
  assert_range (tv, d / 4, d / 2);
  /* Ctrl and a touchpad: 50 pixels of scrolling zoom in by 0.6. */
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, -50, GDK_SCROLL_UNIT_SURFACE, GDK_CONTROL_MASK));
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - (gint64) llround (d / 4 * 0.6)), <=, 2);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);

  /* Pan by pixels: N pixels move the range by N × ns per pixel. */
  pw_timeline_view_set_visible_range (tv, d / 4, d / 2);
  nspp = lanes_ns_per_px (tv);
  pw_timeline_view_pan_pixels (tv, 100);
  assert_range_near (tv, d / 4 + llround (100 * nspp), d / 2 + llround (100 * nspp), 2);
  pw_timeline_view_pan_pixels (tv, -100);
  assert_range (tv, d / 4, d / 2);
  /* Shift+wheel pans 40 pixels a notch, a touchpad's dx pans sideways. */
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, 1, GDK_SCROLL_UNIT_WHEEL, GDK_SHIFT_MASK));
  assert_range_near (tv, d / 4 + llround (40 * nspp), d / 2 + llround (40 * nspp), 2);
  g_assert_true (pw_timeline_view_scroll (tv, x, -65, 0, GDK_SCROLL_UNIT_SURFACE, 0));
  assert_range_near (tv, d / 4 - llround (25 * nspp), d / 2 - llround (25 * nspp), 2);
  /* The plain wheel scrolls the lanes and leaves the time alone. */
  pw_timeline_view_set_visible_range (tv, d / 4, d / 2);
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, 1, GDK_SCROLL_UNIT_WHEEL, 0));
  assert_range (tv, d / 4, d / 2);
  pw_timeline_view_get_viewport (tv, &vp);
  g_assert_cmpfloat (vp.scroll_y, >, 0);
  g_assert_true (pw_timeline_view_scroll (tv, x, 0, -1, GDK_SCROLL_UNIT_WHEEL, 0));
  pw_timeline_view_get_viewport (tv, &vp);
  g_assert_cmpfloat (vp.scroll_y, ==, 0);
  /* Panning stops at both ends with the width kept. */
  pw_timeline_view_pan_pixels (tv, -1e6);
  assert_range (tv, 0, d / 4);
  pw_timeline_view_pan_pixels (tv, 1e6);
  assert_range (tv, d - d / 4, d);

  /* Dragging the lanes: the time under the pointer follows it. */
  pw_timeline_view_set_visible_range (tv, d / 4, d / 2);
  t = time_at (tv, 500);
  pw_timeline_view_drag_begin (tv, 500, lanes_y, FALSE);
  g_assert_null (pw_timeline_view_get_cursor_name (tv, 500, lanes_y));
  pw_timeline_view_drag_update (tv, 620, lanes_y);
  pw_timeline_view_drag_end (tv, 620, lanes_y);
  assert_range_near (tv, d / 4 - llround (120 * nspp), d / 2 - llround (120 * nspp), 2);
  g_assert_cmpint (llabs (time_at (tv, 620) - t), <=, 2);
  /* With Shift it selects a range and leaves the view. */
  pw_timeline_view_get_visible_range (tv, &a, &b);
  pw_timeline_view_drag_begin (tv, 700, lanes_y, TRUE);
  pw_timeline_view_drag_update (tv, 400, lanes_y);
  pw_timeline_view_drag_end (tv, 400, lanes_y);
  assert_range (tv, a, b);
  g_assert_cmpint (selected[0], ==, time_at (tv, 400));
  g_assert_cmpint (selected[1], ==, time_at (tv, 700));
  pw_timeline_view_select_range (tv, 0, 0);

  /* A pinch scales the range it began with, around its centre. */
  pw_timeline_view_set_visible_range (tv, d / 4, d / 2);
  x = PW_TIMELINE_NAME_WIDTH + 0.4 * (vp.width - PW_TIMELINE_NAME_WIDTH);
  t = time_at (tv, x);
  pw_timeline_view_pinch_begin (tv);
  pw_timeline_view_pinch_update (tv, x, 2.0);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - d / 8), <=, 2);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  pw_timeline_view_pinch_update (tv, x, 4.0);
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (llabs ((b - a) - d / 16), <=, 2);
  g_assert_cmpint (llabs (time_at (tv, x) - t), <=, 2);
  pw_timeline_view_pinch_update (tv, x, 1.0);
  assert_range (tv, d / 4, d / 2);
  pw_timeline_view_pinch_update (tv, x, 0.01);
  assert_range (tv, 0, d);

  /* The overview: the cursor offers to grab the window, elsewhere to
   * draw a new one, and nothing over its label or the lanes. */
  ov_nspp = overview_ns_per_px (tv, d);
  pw_timeline_view_set_visible_range (tv, d / 5, d / 5 + d / 10);
  span = d / 10;
  x = overview_x (tv, d, d / 5 + d / 20);
  x2 = overview_x (tv, d, d * 6 / 10);
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x, OV_Y), ==, "grab");
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x2, OV_Y), ==, "crosshair");
  g_assert_null (pw_timeline_view_get_cursor_name (tv, 40, OV_Y));
  g_assert_null (pw_timeline_view_get_cursor_name (tv, x, lanes_y));

  /* Dragging the window pans by the overview's scale, keeping the width,
   * wherever the pointer goes vertically. */
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x, OV_Y), ==, "grabbing");
  pw_timeline_view_drag_update (tv, x + 150, OV_Y);
  assert_range_near (tv, d / 5 + llround (150 * ov_nspp), d / 5 + span + llround (150 * ov_nspp), 2);
  pw_timeline_view_drag_update (tv, x + 200, lanes_y + 100);
  pw_timeline_view_drag_end (tv, x + 200, lanes_y + 100);
  assert_range_near (tv, d / 5 + llround (200 * ov_nspp), d / 5 + span + llround (200 * ov_nspp), 2);
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, overview_x (tv, d, d / 5 + llround (200 * ov_nspp) + span / 2), OV_Y),
                   ==, "grab");
  /* It stops at both ends of the profile. */
  pw_timeline_view_set_visible_range (tv, d / 5, d / 5 + span);
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, vp.width + 500, OV_Y);
  assert_range (tv, d - span, d);
  pw_timeline_view_drag_update (tv, -500, OV_Y);
  pw_timeline_view_drag_end (tv, -500, OV_Y);
  assert_range (tv, 0, span);

  /* A click centres the view where it was, keeping the width; a press
   * that moves less than 3 pixels is still a click. */
  pw_timeline_view_drag_begin (tv, x2, OV_Y, FALSE);
  pw_timeline_view_drag_end (tv, x2, OV_Y);
  assert_range_near (tv, d * 6 / 10 - span / 2, d * 6 / 10 - span / 2 + span, (gint64) ov_nspp + 2);
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, x + 2, OV_Y);
  pw_timeline_view_drag_end (tv, x + 2, OV_Y);
  assert_range_near (tv, d / 5 + d / 20 - span / 2, d / 5 + d / 20 - span / 2 + span, (gint64) ov_nspp + 2);
  /* as pw_timeline_view_click() does */
  pw_timeline_view_click (tv, x2, OV_Y, 1);
  assert_range_near (tv, d * 6 / 10 - span / 2, d * 6 / 10 - span / 2 + span, (gint64) ov_nspp + 2);

  /* Dragging outside the window brushes a new range, either way. */
  pw_timeline_view_set_visible_range (tv, d / 5, d / 5 + span);
  x = overview_x (tv, d, d / 2);
  x2 = overview_x (tv, d, d * 8 / 10);
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x, OV_Y), ==, "crosshair");
  pw_timeline_view_drag_update (tv, x2, OV_Y);
  assert_range_near (tv, d / 2, d * 8 / 10, (gint64) ov_nspp + 1);
  pw_timeline_view_drag_end (tv, x2, OV_Y);
  assert_range_near (tv, d / 2, d * 8 / 10, (gint64) ov_nspp + 1);
  g_assert_null (pw_timeline_view_get_cursor_name (tv, x, lanes_y));
  pw_timeline_view_drag_begin (tv, x2 + 20, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, x, OV_Y);
  pw_timeline_view_drag_end (tv, x, OV_Y);
  assert_range_near (tv, d / 2, d * 8 / 10 + llround (20 * ov_nspp), (gint64) ov_nspp + 1);
  /* Past the ends it stops there. */
  pw_timeline_view_set_visible_range (tv, d / 5, d / 5 + span);
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, vp.width + 300, OV_Y);
  pw_timeline_view_drag_end (tv, vp.width + 300, OV_Y);
  assert_range_near (tv, d / 2, d, (gint64) ov_nspp + 1);
  pw_timeline_view_drag_begin (tv, x, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, 0, OV_Y);
  pw_timeline_view_drag_end (tv, 0, OV_Y);
  assert_range_near (tv, 0, d / 2, (gint64) ov_nspp + 1);
  /* With everything shown the window cannot move: a drag brushes. */
  g_assert_true (gtk_widget_activate_action (view, "timeline.zoom-fit", NULL));
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x, OV_Y), ==, "crosshair");
  pw_timeline_view_drag_begin (tv, x2, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, x, OV_Y);
  pw_timeline_view_drag_end (tv, x, OV_Y);
  assert_range_near (tv, d / 2, d * 8 / 10, (gint64) ov_nspp + 1);

  /* Zoomed in to 100 ns the window is a sliver, still to be grabbed
   * next to it and dragged. */
  pw_timeline_view_set_visible_range (tv, d / 2, d / 2 + 100);
  x = overview_x (tv, d, d / 2);
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x + 4, OV_Y), ==, "grab");
  g_assert_cmpstr (pw_timeline_view_get_cursor_name (tv, x + 10, OV_Y), ==, "crosshair");
  pw_timeline_view_drag_begin (tv, x + 4, OV_Y, FALSE);
  pw_timeline_view_drag_update (tv, x + 54, OV_Y);
  pw_timeline_view_drag_end (tv, x + 54, OV_Y);
  assert_range_near (tv, d / 2 + llround (50 * ov_nspp), d / 2 + llround (50 * ov_nspp) + 100, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

#ifdef GDK_WINDOWING_X11
static GtkWidget *
find_canvas (GtkWidget *widget)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "PwTimelineCanvas"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_canvas (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *canvas;
  gboolean   done;
} RealEvents;

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
xdotool_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* Runs xdotool on the canvas: "move X Y" (canvas coordinates), "down",
 * "up", each followed by a pause so that GTK sees every step. */
static void
xdotool (RealEvents *re,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (re->window));
  graphene_point_t origin;
  double sx, sy;
  const char *step;
  va_list args;

  g_assert_true (gtk_widget_compute_point (re->canvas, re->window, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_native_get_surface_transform (GTK_NATIVE (re->window), &sx, &sy);

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (args, re);
  while ((step = va_arg (args, const char *)) != NULL)
    {
      if (g_str_equal (step, "move"))
        {
          double x = va_arg (args, double);
          double y = va_arg (args, double);

          g_ptr_array_add (argv, g_strdup ("mousemove"));
          g_ptr_array_add (argv, g_strdup ("--window"));
          g_ptr_array_add (argv, g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface)));
          g_ptr_array_add (argv, g_strdup_printf ("%.0f", origin.x + sx + x));
          g_ptr_array_add (argv, g_strdup_printf ("%.0f", origin.y + sy + y));
        }
      else
        {
          g_ptr_array_add (argv, g_strdup (g_str_equal (step, "down") ? "mousedown" : "mouseup"));
          g_ptr_array_add (argv, g_strdup ("1"));
        }
      g_ptr_array_add (argv, g_strdup ("sleep"));
      g_ptr_array_add (argv, g_strdup ("0.1"));
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  re->done = FALSE;
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, xdotool_done, &re->done);
  g_assert_true (pw_test_iterate_until (flag_set, &re->done, PW_TEST_TIMEOUT_MS));
  /* Let the last events in. */
  for (int i = 0; i < 10; i++)
    {
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE));
    }
}

static const char *
canvas_cursor (RealEvents *re)
{
  GdkCursor *cursor = gtk_widget_get_cursor (re->canvas);

  return cursor ? gdk_cursor_get_name (cursor) : NULL;
}
#endif

/* The same drags with real pointer events (xdotool on the X display), so
 * that the gesture handlers are checked, not only what they call. */
static void
test_overview_events (void)
{
#ifdef GDK_WINDOWING_X11
  g_autoptr(PwProfile) profile = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  GtkWidget *window, *view;
  PwTimelineView *tv;
  RealEvents re = { NULL, };
  gint64 d, a, b, t0, t1, span;
  double xa, xb, xc, ov_nspp, nspp;

  if (xdotool_path == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and an X display");
      return;
    }

  profile = load ("catapult-big_trace.json");
  window = gtk_window_new ();
  view = pw_timeline_view_new ();
  tv = PW_TIMELINE_VIEW (view);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 700);
  gtk_window_set_child (GTK_WINDOW (window), view);
  pw_timeline_view_set_profile (tv, profile);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pw_test_iterate_until (view_drawn, view, PW_TEST_TIMEOUT_MS));
  re.window = window;
  re.canvas = find_canvas (view);
  g_assert_nonnull (re.canvas);
  d = pw_profile_get_duration_ns (profile);
  ov_nspp = overview_ns_per_px (tv, d);

  /* Brush 30 % to 55 % of the profile in the overview. */
  xa = round (overview_x (tv, d, d * 3 / 10));
  xb = round (overview_x (tv, d, d * 55 / 100));
  xdotool (&re, "move", xa, OV_Y, "down", "move", xa + 20, OV_Y, "move", xb, OV_Y, "up", NULL);
  assert_range_near (tv, d * 3 / 10, d * 55 / 100, (gint64) (1.5 * ov_nspp));
  pw_timeline_view_get_visible_range (tv, &t0, &t1);
  span = t1 - t0;
  /* The pointer rests over the window: it offers to grab it. */
  g_assert_cmpstr (canvas_cursor (&re), ==, "grab");

  /* Drag the window 120 pixels back: the range moves as much. */
  xc = round ((overview_x (tv, d, t0) + overview_x (tv, d, t1)) / 2);
  xdotool (&re, "move", xc, OV_Y, "down", "move", xc - 10, OV_Y, "move", xc - 120, OV_Y, NULL);
  /* while the button is down */
  assert_range_near (tv, t0 - llround (120 * ov_nspp), t1 - llround (120 * ov_nspp), (gint64) (1.5 * ov_nspp));
  g_assert_cmpstr (canvas_cursor (&re), ==, "grabbing");
  xdotool (&re, "up", NULL);
  assert_range_near (tv, t0 - llround (120 * ov_nspp), t1 - llround (120 * ov_nspp), (gint64) (1.5 * ov_nspp));
  pw_timeline_view_get_visible_range (tv, &a, &b);
  g_assert_cmpint (b - a, ==, span);
  g_assert_cmpstr (canvas_cursor (&re), ==, "grab");

  /* A click at 80 % centres the view there. */
  xc = round (overview_x (tv, d, d * 8 / 10));
  xdotool (&re, "move", xc, OV_Y, "down", "up", NULL);
  assert_range_near (tv, d * 8 / 10 - span / 2, d * 8 / 10 - span / 2 + span, (gint64) (1.5 * ov_nspp));
  g_assert_cmpstr (canvas_cursor (&re), ==, "grab");

  /* The lanes still pan with the pointer, and show the default cursor. */
  pw_timeline_view_get_visible_range (tv, &t0, &t1);
  nspp = lanes_ns_per_px (tv);
  xdotool (&re, "move", 700.0, PW_TIMELINE_LANES_TOP + 30, "down", "move", 680.0, PW_TIMELINE_LANES_TOP + 30,
           "move", 600.0, PW_TIMELINE_LANES_TOP + 30, "up", NULL);
  assert_range_near (tv, t0 + llround (100 * nspp), t1 + llround (100 * nspp), (gint64) (1.5 * nspp));
  g_assert_null (canvas_cursor (&re));

  gtk_window_destroy (GTK_WINDOW (window));
#else
  g_test_skip ("needs the X11 backend");
#endif
}

static gboolean
page_ready (gpointer data)
{
  AdwViewStack *views = pw_document_page_get_view_stack (data);
  GtkWidget *timeline = adw_view_stack_get_child_by_name (views, "timeline");

  return !pw_document_page_get_loading (data) && timeline != NULL &&
         pw_timeline_view_get_ready (PW_TIMELINE_VIEW (timeline));
}

/* Through the application: opening a file gives a Timeline view of it. */
static void
test_app_open (void)
{
  g_autoptr(PwApplication) app = pw_application_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "catapult-trivial_trace.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *files[] = { file };
  g_autoptr(GError) error = NULL;
  PwDocumentPage *page;
  GtkWidget *timeline;
  GList *windows;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_open (G_APPLICATION (app), files, 1, "");
  page = pw_window_get_current_page (PW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app))));
  g_assert_nonnull (page);
  g_assert_true (pw_test_iterate_until (page_ready, page, PW_TEST_TIMEOUT_MS));

  timeline = adw_view_stack_get_child_by_name (pw_document_page_get_view_stack (page), "timeline");
  g_assert_true (pw_timeline_view_get_profile (PW_TIMELINE_VIEW (timeline)) == pw_document_page_get_profile (page));

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))))
    gtk_window_destroy (windows->data);
}

/* A range's quick summary counts every lane's root span as busy; once the
 * range stays put, the phases analysis leaves the enclosing "pipeline" out,
 * as the phases view does: 10 ms of "load" plus two workers' 50 ms. */
static gboolean
range_task_refined (gpointer data)
{
  return g_strcmp0 (pw_details_pane_get_value (data, "range-task"), "110.0 ms") == 0;
}

static void
test_range_refined (void)
{
  static const char trace[] =
    "{\"traceEvents\":["
    "{\"ph\":\"X\",\"name\":\"pipeline\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":100000},"
    "{\"ph\":\"X\",\"name\":\"load\",\"pid\":1,\"tid\":1,\"ts\":10000,\"dur\":10000},"
    "{\"ph\":\"X\",\"name\":\"work\",\"pid\":1,\"tid\":2,\"ts\":10000,\"dur\":50000},"
    "{\"ph\":\"X\",\"name\":\"work\",\"pid\":1,\"tid\":3,\"ts\":10000,\"dur\":50000}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (trace, sizeof trace - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = pw_import_bytes (bytes, "range.json", NULL, &error);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = pw_timeline_view_new ();
  PwTimelineView *tv = PW_TIMELINE_VIEW (view);
  PwDetailsPane *details;

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_set_child (GTK_WINDOW (window), view);
  pw_timeline_view_set_profile (tv, profile);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pw_test_iterate_until (view_drawn, view, PW_TEST_TIMEOUT_MS));
  details = pw_timeline_view_get_details_pane (tv);

  pw_timeline_view_select_range (tv, 10 * PW_NSEC_PER_MSEC, 60 * PW_NSEC_PER_MSEC);
  g_assert_cmpstr (pw_details_pane_get_value (details, "range-task"), ==, "150.0 ms");
  g_assert_true (pw_test_iterate_until (range_task_refined, details, PW_TEST_TIMEOUT_MS));
  g_assert_nonnull (strstr (pw_details_pane_get_value (details, "range-parallelism"), "2.20×"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_dir = g_dir_make_tmp ("phasewise-test-timeline-XXXXXX", NULL);
  int ret;

  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/timeline/view", test_view);
  g_test_add_func ("/timeline/range-refined", test_range_refined);
  g_test_add_func ("/timeline/gestures", test_gestures);
  g_test_add_func ("/timeline/overview-events", test_overview_events);
  g_test_add_func ("/timeline/app-open", test_app_open);

  ret = g_test_run ();

  {
    g_autofree char *recent = g_build_filename (tmp_dir, "recently-used.xbel", NULL);
    g_unlink (recent);
    g_rmdir (tmp_dir);
  }
  return ret;
}
