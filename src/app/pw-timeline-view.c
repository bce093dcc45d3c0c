/* pw-timeline-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-timeline-view"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pw-phases.h"
#include "pw-render-export.h"
#include "pw-units.h"

#include "pw-timeline-view.h"
#include "pw-timeline-view-private.h"

/* The narrowest window: below this there is nothing left to see. */
#define MIN_SPAN_NS  100
#define ZOOM_STEP    0.6
#define PAN_STEP     0.2
/* A press in the overview that moves less than this is a click. */
#define OVERVIEW_CLICK_SLOP  3.0
/* The overview's window catches the pointer this far outside it, so that
 * a window zoomed down to a sliver can still be dragged. */
#define OVERVIEW_GRAB_SLOP   3.0

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,              /* the lanes follow the pointer */
  DRAG_RANGE,            /* Shift: a time range from the press */
  DRAG_OVERVIEW_PAN,     /* the overview's window follows the pointer */
  DRAG_OVERVIEW_BRUSH,   /* a new visible range from the press */
} DragMode;

/* The drawing area: a thin widget whose snapshot and input the view
 * handles, so that the view keeps all state in one place. */
#define PW_TYPE_TIMELINE_CANVAS (pw_timeline_canvas_get_type ())
G_DECLARE_FINAL_TYPE (PwTimelineCanvas, pw_timeline_canvas, PW, TIMELINE_CANVAS, GtkWidget)

struct _PwTimelineCanvas
{
  GtkWidget       parent_instance;
  PwTimelineView *view;   /* unowned: the view owns the canvas */
};

G_DEFINE_FINAL_TYPE (PwTimelineCanvas, pw_timeline_canvas, GTK_TYPE_WIDGET)

struct _PwTimelineView
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkWidget          *range_label;
  GtkWidget          *search_bar;
  GtkWidget          *search_entry;
  GtkWidget          *search_button;
  GtkWidget          *match_label;
  GtkWidget          *canvas;
  GtkWidget          *spinner;
  PwDetailsPane      *details;

  PwProfile          *profile;
  PwTimelineLayout   *layout;
  GCancellable       *cancellable;
  GCancellable       *range_cancellable;
  guint               range_refine_source;
  GSettings          *settings;

  PwTimelineViewport  vp;
  PwTimelineStyle     style;
  PwColorMode         color_mode;
  gboolean            show_flows;
  gboolean            fitted;          /* zoom-fit once the canvas has a size */

  /* The drawn picture without the hover, reused until something changes. */
  GdkTexture         *texture;
  gboolean            dirty;

  double              pointer_x;
  double              pointer_y;
  gboolean            pointer_inside;

  /* Drag: pan, or select a range with Shift held, or in the overview
   * move the window or brush a new one. */
  DragMode            drag_mode;
  gboolean            drag_moved;
  double              drag_x;
  double              drag_y;
  gint64              drag_t0;
  gint64              drag_t1;
  double              drag_scroll;
  gint64              range_anchor;

  gint64              pinch_t0;
  gint64              pinch_t1;

  guint               current_match;   /* 1-based, 0: none yet */
  const char         *cursor_name;     /* static; NULL: the default */
};

G_DEFINE_FINAL_TYPE (PwTimelineView, pw_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_READY,
  PROP_COLOR_MODE,
  PROP_SHOW_FLOWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RANGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
invalidate (PwTimelineView *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (self->canvas);
}

/* Geometry */

static gint64
duration_of (PwTimelineView *self)
{
  return self->layout ? pw_timeline_layout_get_duration (self->layout) : 1;
}

static double
max_scroll (PwTimelineView *self)
{
  double lanes_h = self->vp.height - PW_TIMELINE_LANES_TOP;

  if (self->layout == NULL)
    return 0;
  return MAX (0.0, pw_timeline_layout_get_height (self->layout) - lanes_h);
}

static void
set_scroll (PwTimelineView *self,
            double          scroll)
{
  scroll = CLAMP (scroll, 0.0, max_scroll (self));
  if (scroll != self->vp.scroll_y)
    {
      self->vp.scroll_y = scroll;
      invalidate (self);
    }
}

static void
update_range_label (PwTimelineView *self)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *w = NULL;
  g_autofree char *text = NULL;

  if (self->layout == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->range_label), "");
      return;
    }

  a = pw_format_duration (self->vp.t0);
  b = pw_format_duration (self->vp.t1);
  w = pw_format_duration (self->vp.t1 - self->vp.t0);
  /* Translators: the visible time window: start – end (width) */
  text = g_strdup_printf (_("%s – %s (%s shown)"), a, b, w);
  gtk_label_set_text (GTK_LABEL (self->range_label), text);
}

void
pw_timeline_view_set_visible_range (PwTimelineView *self,
                                    gint64          begin,
                                    gint64          end)
{
  gint64 duration, span;

  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  duration = duration_of (self);
  span = CLAMP (end - begin, (gint64) MIN_SPAN_NS, duration);
  if (span >= duration)
    begin = 0;
  else
    begin = CLAMP (begin, (gint64) 0, duration - span);

  if (begin == self->vp.t0 && begin + span == self->vp.t1)
    return;

  self->vp.t0 = begin;
  self->vp.t1 = begin + span;
  update_range_label (self);
  invalidate (self);
}

void
pw_timeline_view_get_visible_range (PwTimelineView *self,
                                    gint64         *begin,
                                    gint64         *end)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (begin)
    *begin = self->vp.t0;
  if (end)
    *end = self->vp.t1;
}

static double
data_width (PwTimelineView *self)
{
  return MAX (self->vp.width - PW_TIMELINE_NAME_WIDTH, 1.0);
}

/* Zooms the range t0–t1 keeping the time at x where it is: a pinch
 * scales the range it began with, the wheel the current one. */
static void
zoom_range_at (PwTimelineView *self,
               gint64          t0,
               gint64          t1,
               double          x,
               double          factor)
{
  double span = (double) (t1 - t0);
  double frac = x >= PW_TIMELINE_NAME_WIDTH ? CLAMP ((x - PW_TIMELINE_NAME_WIDTH) / data_width (self), 0.0, 1.0) : 0.5;
  double new_span = MAX (span * factor, (double) MIN_SPAN_NS);
  double begin = (double) t0 + frac * span - frac * new_span;

  pw_timeline_view_set_visible_range (self, (gint64) llround (begin), (gint64) llround (begin + new_span));
}

void
pw_timeline_view_zoom_at (PwTimelineView *self,
                          double          x,
                          double          factor)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout != NULL && factor > 0)
    zoom_range_at (self, self->vp.t0, self->vp.t1, x, factor);
}

/* Keys zoom at the pointer when it is over the lanes, else the middle. */
static double
zoom_x (PwTimelineView *self)
{
  return self->pointer_inside ? self->pointer_x : -1;
}

void
pw_timeline_view_pan_pixels (PwTimelineView *self,
                             double          dx)
{
  gint64 shift;

  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout == NULL)
    return;
  shift = (gint64) llround (dx / data_width (self) * (double) (self->vp.t1 - self->vp.t0));
  pw_timeline_view_set_visible_range (self, self->vp.t0 + shift, self->vp.t1 + shift);
}

static void
pan_by (PwTimelineView *self,
        double          fraction)
{
  gint64 shift = (gint64) (fraction * (double) (self->vp.t1 - self->vp.t0));

  pw_timeline_view_set_visible_range (self, self->vp.t0 + shift, self->vp.t1 + shift);
}

/* Overview */

/* A press here pans the window rather than brushing a new one. A window
 * over the whole profile cannot move: there every press brushes. */
static gboolean
overview_window_contains (PwTimelineView *self,
                          double          x)
{
  double x0, x1;

  if (self->vp.t1 - self->vp.t0 >= duration_of (self))
    return FALSE;
  pw_timeline_overview_window (&self->vp, duration_of (self), &x0, &x1);
  return x >= x0 - OVERVIEW_GRAB_SLOP && x <= x1 + OVERVIEW_GRAB_SLOP;
}

static gboolean
in_overview (PwTimelineView *self,
             double          x,
             double          y)
{
  return pw_timeline_area_at (&self->vp, x, y) == PW_TIMELINE_AREA_OVERVIEW && x >= PW_TIMELINE_NAME_WIDTH;
}

/* Centres the window, keeping its width, on the time at x. */
static void
overview_center (PwTimelineView *self,
                 double          x)
{
  gint64 center = pw_timeline_overview_x_to_time (&self->vp, duration_of (self), x);
  gint64 span = self->vp.t1 - self->vp.t0;

  pw_timeline_view_set_visible_range (self, center - span / 2, center - span / 2 + span);
}

const char *
pw_timeline_view_get_cursor_name (PwTimelineView *self,
                                  double          x,
                                  double          y)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), NULL);

  switch (self->drag_mode)
    {
    case DRAG_OVERVIEW_PAN:
      return "grabbing";
    case DRAG_OVERVIEW_BRUSH:
      return "crosshair";
    case DRAG_PAN:
    case DRAG_RANGE:
      return NULL;
    case DRAG_NONE:
    default:
      break;
    }

  if (self->layout == NULL || !in_overview (self, x, y))
    return NULL;
  return overview_window_contains (self, x) ? "grab" : "crosshair";
}

static void
update_cursor (PwTimelineView *self)
{
  const char *name = NULL;

  if (self->pointer_inside || self->drag_mode != DRAG_NONE)
    name = pw_timeline_view_get_cursor_name (self, self->pointer_x, self->pointer_y);
  if (g_strcmp0 (name, self->cursor_name) != 0)
    {
      self->cursor_name = name;
      gtk_widget_set_cursor_from_name (self->canvas, name);
    }
}

/* Drags */

void
pw_timeline_view_drag_begin (PwTimelineView *self,
                             double          x,
                             double          y,
                             gboolean        select_range)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  self->drag_mode = DRAG_NONE;
  if (self->layout == NULL)
    return;

  self->drag_x = x;
  self->drag_y = y;
  self->drag_moved = FALSE;
  self->drag_t0 = self->vp.t0;
  self->drag_t1 = self->vp.t1;
  self->drag_scroll = self->vp.scroll_y;

  if (pw_timeline_area_at (&self->vp, x, y) == PW_TIMELINE_AREA_OVERVIEW)
    {
      /* Left of the strip is its label: nothing to drag there. */
      if (x < PW_TIMELINE_NAME_WIDTH)
        return;
      self->drag_mode = overview_window_contains (self, x) ? DRAG_OVERVIEW_PAN : DRAG_OVERVIEW_BRUSH;
      self->range_anchor = pw_timeline_overview_x_to_time (&self->vp, duration_of (self), x);
    }
  else if (select_range)
    {
      self->drag_mode = DRAG_RANGE;
      self->range_anchor = pw_timeline_x_to_time (&self->vp, MAX (x, PW_TIMELINE_NAME_WIDTH));
    }
  else
    self->drag_mode = DRAG_PAN;

  update_cursor (self);
}

void
pw_timeline_view_drag_update (PwTimelineView *self,
                              double          x,
                              double          y)
{
  double dx = x - self->drag_x;
  double dy = y - self->drag_y;

  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout == NULL)
    return;

  if (fabs (dx) >= OVERVIEW_CLICK_SLOP)
    self->drag_moved = TRUE;

  switch (self->drag_mode)
    {
    case DRAG_RANGE:
      {
        gint64 t = pw_timeline_x_to_time (&self->vp, MAX (x, PW_TIMELINE_NAME_WIDTH));

        pw_timeline_view_select_range (self, MIN (t, self->range_anchor), MAX (t, self->range_anchor));
      }
      break;

    case DRAG_PAN:
      {
        gint64 shift = (gint64) llround (-dx / data_width (self) * (double) (self->drag_t1 - self->drag_t0));

        pw_timeline_view_set_visible_range (self, self->drag_t0 + shift, self->drag_t1 + shift);
        set_scroll (self, self->drag_scroll - dy);
      }
      break;

    case DRAG_OVERVIEW_PAN:
      /* The window keeps its width and moves as far as the pointer. */
      if (self->drag_moved)
        {
          gint64 shift = (gint64) llround (dx / data_width (self) * (double) duration_of (self));

          pw_timeline_view_set_visible_range (self, self->drag_t0 + shift, self->drag_t1 + shift);
        }
      break;

    case DRAG_OVERVIEW_BRUSH:
      if (self->drag_moved)
        {
          gint64 t = pw_timeline_overview_x_to_time (&self->vp, duration_of (self), x);

          pw_timeline_view_set_visible_range (self, MIN (t, self->range_anchor), MAX (t, self->range_anchor));
        }
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

void
pw_timeline_view_drag_end (PwTimelineView *self,
                           double          x,
                           double          y)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  pw_timeline_view_drag_update (self, x, y);

  /* A click in the overview centres the view there, window or not. */
  if ((self->drag_mode == DRAG_OVERVIEW_PAN || self->drag_mode == DRAG_OVERVIEW_BRUSH) && !self->drag_moved)
    overview_center (self, self->drag_x);

  self->drag_mode = DRAG_NONE;
  update_cursor (self);
}

/* Wheel and pinch */

gboolean
pw_timeline_view_scroll (PwTimelineView  *self,
                         double           x,
                         double           dx,
                         double           dy,
                         GdkScrollUnit    unit,
                         GdkModifierType  state)
{
  double px = unit == GDK_SCROLL_UNIT_WHEEL ? 40 : 1;

  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), FALSE);

  if (self->layout == NULL)
    return FALSE;

  /* As in Perfetto: Ctrl+wheel zooms at the pointer, Shift+wheel pans,
   * the plain wheel scrolls the lanes; touchpads pan sideways with dx. */
  if (state & GDK_CONTROL_MASK)
    pw_timeline_view_zoom_at (self, x, pow (1.0 / ZOOM_STEP, dy * (unit == GDK_SCROLL_UNIT_WHEEL ? 0.5 : 0.02)));
  else if (state & GDK_SHIFT_MASK)
    pw_timeline_view_pan_pixels (self, (dy + dx) * px);
  else
    {
      if (dx != 0)
        pw_timeline_view_pan_pixels (self, dx * px);
      if (dy != 0)
        set_scroll (self, self->vp.scroll_y + dy * px);
    }

  return TRUE;
}

void
pw_timeline_view_pinch_begin (PwTimelineView *self)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  self->pinch_t0 = self->vp.t0;
  self->pinch_t1 = self->vp.t1;
}

void
pw_timeline_view_pinch_update (PwTimelineView *self,
                               double          x,
                               double          scale)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout != NULL && scale > 0)
    zoom_range_at (self, self->pinch_t0, self->pinch_t1, x, 1.0 / scale);
}

/* Shows ref: zooms so that it fills most of the width, scrolls to its row. */
static void
reveal_span (PwTimelineView *self,
             PwSpanRef       ref,
             gboolean        zoom)
{
  const PwLane *lane = pw_timeline_layout_get_lane (self->layout, ref.lane);
  gint64 start = lane->span_start[ref.span];
  gint64 dur = MAX (lane->span_dur[ref.span], (gint64) MIN_SPAN_NS);
  double y, h;

  if (zoom)
    pw_timeline_view_set_visible_range (self, start - dur / 20, start + dur + dur / 20);
  else if (start + dur < self->vp.t0 || start > self->vp.t1)
    {
      gint64 span = self->vp.t1 - self->vp.t0;

      if (dur > span)
        pw_timeline_view_set_visible_range (self, start - dur / 20, start + dur + dur / 20);
      else
        pw_timeline_view_set_visible_range (self, start + dur / 2 - span / 2, start + dur / 2 + span / 2);
    }

  /* A hidden lane's process opens to show it. */
  if (!pw_timeline_layout_get_span_box (self->layout, ref, &y, &h))
    {
      gint track = pw_timeline_layout_find_lane_track (self->layout, ref.lane);

      if (track >= 0)
        pw_timeline_layout_set_process_collapsed (self->layout, pw_timeline_layout_get_track (self->layout, track)->pid, FALSE);
      if (!pw_timeline_layout_get_span_box (self->layout, ref, &y, &h))
        return;
    }
  /* Before the first frame the height is unknown: put the row near the top. */
  if (self->vp.height < PW_TIMELINE_LANES_TOP + 3 * PW_TIMELINE_ROW_HEIGHT)
    self->vp.scroll_y = MAX (0.0, y - 2 * PW_TIMELINE_ROW_HEIGHT);
  else if (y < self->vp.scroll_y || y + h > self->vp.scroll_y + self->vp.height - PW_TIMELINE_LANES_TOP)
    set_scroll (self, y - (self->vp.height - PW_TIMELINE_LANES_TOP) / 3);
  invalidate (self);
}

void
pw_timeline_view_reveal_span (PwTimelineView *self,
                              PwSpanRef       ref,
                              gboolean        zoom)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout != NULL && PW_SPAN_REF_IS_SET (ref))
    reveal_span (self, ref, zoom);
}

/* Selection and details */

void
pw_timeline_view_set_selected (PwTimelineView *self,
                               PwSpanRef       ref)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  self->style.selected = ref;
  pw_details_pane_set_span (self->details, self->layout, self->layout ? ref : PW_SPAN_REF_NONE);
  invalidate (self);
}

PwSpanRef
pw_timeline_view_get_selected (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), PW_SPAN_REF_NONE);
  return self->style.selected;
}

/* The quick summary counts every lane's root spans as busy; the phases
 * analysis then refines task and CPU time with the definitions of the
 * phases view (an enclosing container such as "pipeline" is not work), so
 * that a range and the phase it covers show the same figures. */
static void
range_phases_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PwTimelineView) self = user_data;
  g_autoptr(PwPhases) phases = pw_phases_compute_finish (result, NULL);
  const PwPhase *phase;
  PwRangeSummary summary;

  if (phases == NULL || pw_phases_get_n_phases (phases) != 1 || self->layout == NULL)
    return;

  /* a newer selection cancelled this one, so it cannot be stale here */
  phase = pw_phases_get_phase (phases, 0);

  pw_timeline_layout_summarize_range (self->layout, phase->start_ns, phase->end_ns, &summary);
  summary.task = phase->task_ns;
  summary.parallelism = phase->parallelism;
  if (phase->cpu_ns >= 0)
    {
      summary.cpu = phase->cpu_ns;
      summary.cpu_known = TRUE;
    }
  pw_details_pane_set_range (self->details, phase->start_ns, phase->end_ns, &summary);
}

/* A shift-drag moves the range on every motion event: refine only once it
 * has stayed put for a moment, so that one worker runs, not one per event. */
static gboolean
refine_range (gpointer user_data)
{
  PwTimelineView *self = user_data;
  PwPhasesOptions options = {
    .mode = PW_PHASES_RANGE,
    .range_start = self->style.range_begin,
    .range_end = self->style.range_end,
  };

  self->range_refine_source = 0;
  self->range_cancellable = g_cancellable_new ();
  pw_phases_compute_async (self->profile, &options, self->range_cancellable,
                           range_phases_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

void
pw_timeline_view_select_range (PwTimelineView *self,
                               gint64          begin,
                               gint64          end)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (end <= begin)
    begin = end = 0;
  if (self->style.range_begin == begin && self->style.range_end == end)
    return;

  self->style.range_begin = begin;
  self->style.range_end = end;

  g_clear_handle_id (&self->range_refine_source, g_source_remove);
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);

  if (self->layout != NULL && end > begin)
    {
      PwRangeSummary summary;

      pw_timeline_layout_summarize_range (self->layout, begin, end, &summary);
      pw_details_pane_set_range (self->details, begin, end, &summary);
      self->range_refine_source = g_timeout_add (150, refine_range, self);
    }
  else
    pw_details_pane_set_range (self->details, 0, 0, NULL);
  invalidate (self);

  g_signal_emit (self, signals[RANGE_CHANGED], 0, begin, end);
}

void
pw_timeline_view_click (PwTimelineView *self,
                        double          x,
                        double          y,
                        int             n_press)
{
  PwSpanRef hit;
  gint process;

  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));

  if (self->layout == NULL)
    return;

  process = pw_timeline_hit_test_process (self->layout, &self->vp, x, y);
  if (process >= 0)
    {
      const PwTimelineTrack *t = pw_timeline_layout_get_track (self->layout, process);

      pw_timeline_layout_set_process_collapsed (self->layout, t->pid, !t->collapsed);
      set_scroll (self, self->vp.scroll_y);
      invalidate (self);
      return;
    }

  if (pw_timeline_area_at (&self->vp, x, y) == PW_TIMELINE_AREA_OVERVIEW)
    {
      if (x >= PW_TIMELINE_NAME_WIDTH)
        overview_center (self, x);
      return;
    }

  if (!pw_timeline_hit_test (self->layout, &self->vp, x, y, &hit))
    {
      if (n_press == 1)
        {
          pw_timeline_view_set_selected (self, PW_SPAN_REF_NONE);
          pw_timeline_view_select_range (self, 0, 0);
        }
      return;
    }

  pw_timeline_view_set_selected (self, hit);
  if (n_press == 2)
    reveal_span (self, hit, TRUE);
}

/* Search */

static void
update_match_label (PwTimelineView *self)
{
  guint n = self->layout ? pw_timeline_layout_get_n_matches (self->layout) : 0;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *label = NULL;

  if (text == NULL || *text == '\0')
    label = g_strdup ("");
  else if (n == 0)
    label = g_strdup (_("No matches"));
  else if (self->current_match == 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  else
    /* Translators: the current search result of all */
    label = g_strdup_printf (_("%u of %u"), self->current_match, n);

  gtk_label_set_text (GTK_LABEL (self->match_label), label);
}

static void
run_search (PwTimelineView *self,
            const char     *text)
{
  guint n = 0;

  if (self->layout != NULL)
    n = pw_timeline_layout_set_search (self->layout, text);
  self->current_match = 0;
  self->style.current_match = PW_SPAN_REF_NONE;
  self->style.show_search = n > 0;
  update_match_label (self);
  invalidate (self);
}

static void
go_to_match (PwTimelineView *self,
             int             delta)
{
  guint n;
  PwSpanRef ref;

  if (self->layout == NULL)
    return;
  n = MIN (pw_timeline_layout_get_n_matches (self->layout), G_MAXUINT - 1);
  if (n == 0)
    return;

  if (self->current_match == 0)
    self->current_match = delta > 0 ? 1 : n;
  else
    self->current_match = (self->current_match - 1 + n + (guint) (delta > 0 ? 1 : n - 1)) % n + 1;

  if (!pw_timeline_layout_get_match (self->layout, self->current_match - 1, &ref))
    return;
  self->style.current_match = ref;
  pw_timeline_view_set_selected (self, ref);
  reveal_span (self, ref, FALSE);
  update_match_label (self);
}

static void
on_search_changed (PwTimelineView *self,
                   GtkSearchEntry *entry)
{
  run_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_activate (PwTimelineView *self)
{
  go_to_match (self, 1);
}

static void
on_search_next (PwTimelineView *self)
{
  go_to_match (self, 1);
}

static void
on_search_previous (PwTimelineView *self)
{
  go_to_match (self, -1);
}

static void
on_search_stop (PwTimelineView *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), FALSE);
  gtk_widget_grab_focus (self->canvas);
}

guint
pw_timeline_view_search (PwTimelineView *self,
                         const char     *text)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), 0);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
  run_search (self, text);

  return self->layout ? pw_timeline_layout_get_n_matches (self->layout) : 0;
}

const char *
pw_timeline_view_get_match_text (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->match_label));
}

/* Palette from the widget's style, so that dark mode and accent colours
 * follow the desktop. */
static void
update_palette (PwTimelineView *self)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (self->canvas);
  PwPalette *p = &self->style.palette;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA c;

  if (dark)
    pw_palette_init_dark (p);
  else
    pw_palette_init_light (p);

#define TAKE(name, field) \
  if (gtk_style_context_lookup_color (context, name, &c)) \
    p->field = (PwRgba) { c.red, c.green, c.blue, p->field.a };

  TAKE ("view_bg_color", background);
  TAKE ("window_bg_color", header_background);
  TAKE ("view_fg_color", text);
  TAKE ("accent_bg_color", selection);
  TAKE ("accent_color", accent);
#undef TAKE
  p->dim_text = p->text;
  pw_color_mix (&p->text, &p->background, 0.45, &p->dim_text);
  pw_color_mix (&p->text, &p->background, dark ? 0.82 : 0.86, &p->grid);
  p->range = p->accent;
  p->range.a = 0.18;
  G_GNUC_END_IGNORE_DEPRECATIONS

  invalidate (self);
}

/* Canvas */

static void
pw_timeline_canvas_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  PwTimelineCanvas *canvas = PW_TIMELINE_CANVAS (widget);
  PwTimelineView *self = canvas->view;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  if (self == NULL || self->layout == NULL || width <= 0 || height <= 0)
    return;

  if (self->vp.width != width || self->vp.height != height || self->vp.scale_factor != scale)
    {
      self->vp.width = width;
      self->vp.height = height;
      self->vp.scale_factor = scale;
      self->vp.scroll_y = CLAMP (self->vp.scroll_y, 0.0, max_scroll (self));
      self->dirty = TRUE;
    }

  if (self->texture == NULL || self->dirty)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
      PwTimelineStyle style = self->style;
      g_autoptr(GBytes) bytes = NULL;
      cairo_t *cr;

      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      style.hovered = PW_SPAN_REF_NONE;
      style.color_mode = self->color_mode;
      style.show_flows = self->show_flows;
      pw_timeline_render (self->layout, cr, &self->vp, &style);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      /* The texture keeps the surface's pixels alive: no copy. */
      bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                          (gsize) cairo_image_surface_get_stride (surface) * height * scale,
                                          (GDestroyNotify) cairo_surface_destroy, surface);
      g_clear_object (&self->texture);
      self->texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT,
                                              bytes, cairo_image_surface_get_stride (surface));
      self->dirty = FALSE;
    }

  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (PW_SPAN_REF_IS_SET (self->style.hovered))
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      pw_timeline_render_hover (self->layout, cr, &self->vp, &self->style);
      cairo_destroy (cr);
    }
}

static void
pw_timeline_canvas_class_init (PwTimelineCanvasClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = pw_timeline_canvas_snapshot;
  gtk_widget_class_set_css_name (widget_class, "pw-timeline-canvas");

  /* The arrows while the lanes have the focus (W/S/A/D work anywhere in
   * the view but in text entries). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "timeline.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "timeline.pan-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "timeline.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "timeline.scroll-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "timeline.scroll-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "timeline.clear-selection", NULL);
}

static void
pw_timeline_canvas_init (PwTimelineCanvas *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/* Input */

static void
on_motion (PwTimelineView           *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  PwSpanRef hit = PW_SPAN_REF_NONE;

  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  update_cursor (self);

  if (self->layout != NULL && !pw_timeline_hit_test (self->layout, &self->vp, x, y, &hit))
    hit = PW_SPAN_REF_NONE;
  if (hit.lane != self->style.hovered.lane || hit.span != self->style.hovered.span)
    {
      self->style.hovered = hit;
      /* Only the hover layer changes: no re-render. */
      gtk_widget_queue_draw (self->canvas);
    }
}

static void
on_leave (PwTimelineView           *self,
          GtkEventControllerMotion *motion)
{
  self->pointer_inside = FALSE;
  update_cursor (self);
  if (PW_SPAN_REF_IS_SET (self->style.hovered))
    {
      self->style.hovered = PW_SPAN_REF_NONE;
      gtk_widget_queue_draw (self->canvas);
    }
}

static gboolean
on_scroll (PwTimelineView           *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));

  return pw_timeline_view_scroll (self, self->pointer_inside ? self->pointer_x : -1, dx, dy,
                                  gtk_event_controller_scroll_get_unit (scroll), state);
}

static void
on_drag_begin (PwTimelineView *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (drag));

  pw_timeline_view_drag_begin (self, x, y, (state & GDK_SHIFT_MASK) != 0);
  gtk_widget_grab_focus (self->canvas);
}

static void
on_drag_update (PwTimelineView *self,
                double          dx,
                double          dy,
                GtkGestureDrag *drag)
{
  double x0, y0;

  gtk_gesture_drag_get_start_point (drag, &x0, &y0);
  pw_timeline_view_drag_update (self, x0 + dx, y0 + dy);
}

static void
on_drag_end (PwTimelineView *self,
             double          dx,
             double          dy,
             GtkGestureDrag *drag)
{
  double x0, y0;

  gtk_gesture_drag_get_start_point (drag, &x0, &y0);
  pw_timeline_view_drag_end (self, x0 + dx, y0 + dy);
}

/* On release, so that a press that becomes a drag pans without selecting:
 * the click gesture gives up once the pointer moves past the threshold. */
static void
on_click_released (PwTimelineView  *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *click)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (click));

  /* Shift belongs to the range selection, and the overview's clicks to
   * its drag, which tells a click from a small move by its own slop. */
  if ((state & GDK_SHIFT_MASK) == 0 && pw_timeline_area_at (&self->vp, x, y) != PW_TIMELINE_AREA_OVERVIEW)
    pw_timeline_view_click (self, x, y, n_press);
}

static void
on_pinch_begin (PwTimelineView   *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  pw_timeline_view_pinch_begin (self);
}

static void
on_pinch_scale_changed (PwTimelineView *self,
                        double          scale,
                        GtkGestureZoom *gesture)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    cx = -1;
  pw_timeline_view_pinch_update (self, cx, scale);
}

static gboolean
on_query_tooltip (PwTimelineView *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip,
                  GtkWidget      *canvas)
{
  PwSpanRef hit;
  const PwLane *lane;
  g_autofree char *wall = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *self_time = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (self->layout == NULL || keyboard || !pw_timeline_hit_test (self->layout, &self->vp, x, y, &hit))
    return FALSE;

  lane = pw_timeline_layout_get_lane (self->layout, hit.lane);
  wall = pw_format_duration (lane->span_dur[hit.span]);
  cpu = lane->span_cpu[hit.span] >= 0 ? pw_format_duration (lane->span_cpu[hit.span]) : g_strdup ("—");
  self_time = pw_format_duration (pw_lane_span_self_time (lane, hit.span));
  escaped = g_markup_escape_text (pw_profile_get_string (self->profile, lane->span_name[hit.span]), -1);
  text = g_strdup_printf ("<b>%s</b>\n%s %s   %s %s   %s %s", escaped,
                          _("Wall"), wall, _("CPU"), cpu, _("Self"), self_time);
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

/* Actions */

static void
action_zoom (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (widget);

  if (self->layout == NULL)
    return;
  if (g_str_equal (name, "timeline.zoom-in"))
    pw_timeline_view_zoom_at (self, zoom_x (self), ZOOM_STEP);
  else if (g_str_equal (name, "timeline.zoom-out"))
    pw_timeline_view_zoom_at (self, zoom_x (self), 1.0 / ZOOM_STEP);
  else
    {
      pw_timeline_view_set_visible_range (self, 0, duration_of (self));
      set_scroll (self, 0);
    }
}

static void
action_pan (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (widget);

  if (self->layout == NULL)
    return;
  if (g_str_equal (name, "timeline.pan-left"))
    pan_by (self, -PAN_STEP);
  else if (g_str_equal (name, "timeline.pan-right"))
    pan_by (self, PAN_STEP);
  else if (g_str_equal (name, "timeline.scroll-up"))
    set_scroll (self, self->vp.scroll_y - 3 * PW_TIMELINE_ROW_HEIGHT);
  else
    set_scroll (self, self->vp.scroll_y + 3 * PW_TIMELINE_ROW_HEIGHT);
}

static void
action_search (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (widget);

  if (g_str_equal (name, "timeline.search"))
    {
      gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
      gtk_widget_grab_focus (self->search_entry);
    }
  else if (g_str_equal (name, "timeline.next-match"))
    go_to_match (self, 1);
  else
    go_to_match (self, -1);
}

static void
action_clear_selection (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (widget);

  pw_timeline_view_set_selected (self, PW_SPAN_REF_NONE);
  pw_timeline_view_select_range (self, 0, 0);
}

static gboolean
export_draw (cairo_t   *cr,
             gpointer   user_data,
             GError   **error)
{
  PwTimelineView *self = user_data;
  PwTimelineViewport vp = self->vp;
  PwTimelineStyle style = self->style;

  vp.scale_factor = 1;
  style.hovered = PW_SPAN_REF_NONE;
  style.color_mode = self->color_mode;
  style.show_flows = self->show_flows;
  pw_timeline_render (self->layout, cr, &vp, &style);
  return TRUE;
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(PwTimelineView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (file == NULL || self->layout == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL || !pw_render_to_file (path, self->vp.width, self->vp.height, export_draw, self, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *message = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   _("Could Not Export the Timeline"),
                                                   error ? error->message : _("The file is not on a local disk."));

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }
}

static void
action_export (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  static const struct { const char *name; const char *pattern; } formats[] = {
    { N_("PNG Image"), "*.png" }, { N_("SVG Drawing"), "*.svg" }, { N_("PDF Document"), "*.pdf" },
  };

  if (self->layout == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Timeline"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(formats[i].name));
      gtk_file_filter_add_pattern (filter, formats[i].pattern);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "timeline.png");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Profile and layout */

static void
on_layout_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PwTimelineView) self = user_data;
  g_autoptr(GError) error = NULL;
  PwTimelineLayout *layout = pw_timeline_layout_new_finish (result, &error);

  /* A newer profile replaced the one this layout is for. */
  if (layout == NULL || pw_timeline_layout_get_profile (layout) != self->profile)
    {
      g_clear_pointer (&layout, pw_timeline_layout_unref);
      return;
    }

  self->layout = layout;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
  gtk_widget_set_visible (self->spinner, FALSE);
  self->vp.t0 = 0;
  self->vp.t1 = pw_timeline_layout_get_duration (layout);
  self->vp.scroll_y = 0;
  update_range_label (self);
  run_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

void
pw_timeline_view_set_profile (PwTimelineView *self,
                              PwProfile      *profile)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));
  g_return_if_fail (profile == NULL || PW_IS_PROFILE (profile));

  if (self->profile == profile)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->profile, profile);
  g_clear_pointer (&self->layout, pw_timeline_layout_unref);
  g_clear_object (&self->texture);
  self->style.selected = PW_SPAN_REF_NONE;
  self->style.hovered = PW_SPAN_REF_NONE;
  self->style.current_match = PW_SPAN_REF_NONE;
  self->style.range_begin = self->style.range_end = 0;
  pw_details_pane_set_span (self->details, NULL, PW_SPAN_REF_NONE);
  pw_details_pane_set_range (self->details, 0, 0, NULL);
  update_range_label (self);

  if (profile != NULL)
    {
      self->cancellable = g_cancellable_new ();
      gtk_widget_set_visible (self->spinner, TRUE);
      gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
      pw_timeline_layout_new_async (profile, self->cancellable, on_layout_ready, g_object_ref (self));
    }

  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

PwProfile *
pw_timeline_view_get_profile (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), NULL);
  return self->profile;
}

gboolean
pw_timeline_view_get_ready (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), FALSE);
  return self->layout != NULL;
}

PwTimelineLayout *
pw_timeline_view_get_layout (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), NULL);
  return self->layout;
}

void
pw_timeline_view_get_viewport (PwTimelineView     *self,
                               PwTimelineViewport *viewport)
{
  g_return_if_fail (PW_IS_TIMELINE_VIEW (self));
  *viewport = self->vp;
}

PwDetailsPane *
pw_timeline_view_get_details_pane (PwTimelineView *self)
{
  g_return_val_if_fail (PW_IS_TIMELINE_VIEW (self), NULL);
  return self->details;
}

/* GObject */

static void
pw_timeline_view_dispose (GObject *object)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->range_refine_source, g_source_remove);
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  if (self->canvas)
    PW_TIMELINE_CANVAS (self->canvas)->view = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_TIMELINE_VIEW);
  g_clear_object (&self->settings);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->layout, pw_timeline_layout_unref);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (pw_timeline_view_parent_class)->dispose (object);
}

static void
pw_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->layout != NULL);
      break;
    case PROP_COLOR_MODE:
      g_value_set_string (value, pw_color_mode_to_string (self->color_mode));
      break;
    case PROP_SHOW_FLOWS:
      g_value_set_boolean (value, self->show_flows);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwTimelineView *self = PW_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      pw_timeline_view_set_profile (self, g_value_get_object (value));
      break;
    case PROP_COLOR_MODE:
      {
        PwColorMode mode = pw_color_mode_from_string (g_value_get_string (value));

        if (mode != self->color_mode)
          {
            self->color_mode = mode;
            invalidate (self);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    case PROP_SHOW_FLOWS:
      if (self->show_flows != g_value_get_boolean (value))
        {
          self->show_flows = g_value_get_boolean (value);
          invalidate (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_timeline_view_class_init (PwTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_timeline_view_dispose;
  object_class->get_property = pw_timeline_view_get_property;
  object_class->set_property = pw_timeline_view_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, PW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_MODE] =
    g_param_spec_string ("color-mode", NULL, NULL, "name",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_FLOWS] =
    g_param_spec_boolean ("show-flows", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwTimelineView::range-changed:
   * @begin: start of the selected range, ns from the profile start
   * @end: its end; not after @begin when the selection was cleared
   *
   * The selected time range changed, by a drag or by
   * pw_timeline_view_select_range(): other views follow it.
   */
  signals[RANGE_CHANGED] =
    g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  g_type_ensure (PW_TYPE_TIMELINE_CANVAS);
  g_type_ensure (PW_TYPE_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/phasewise/Phasewise/pw-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, box);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, range_label);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, search_button);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, match_label);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, canvas);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PwTimelineView, details);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pw-timeline-view");

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-fit", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "timeline.pan-left", NULL, action_pan);
  gtk_widget_class_install_action (widget_class, "timeline.pan-right", NULL, action_pan);
  gtk_widget_class_install_action (widget_class, "timeline.scroll-up", NULL, action_pan);
  gtk_widget_class_install_action (widget_class, "timeline.scroll-down", NULL, action_pan);
  gtk_widget_class_install_action (widget_class, "timeline.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "timeline.next-match", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "timeline.previous-match", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "timeline.clear-selection", NULL, action_clear_selection);
  gtk_widget_class_install_action (widget_class, "timeline.export", NULL, action_export);
  gtk_widget_class_install_property_action (widget_class, "timeline.color-mode", "color-mode");
  gtk_widget_class_install_property_action (widget_class, "timeline.show-flows", "show-flows");

  /* Chrome and Perfetto keys. Entries take their letters first: these
   * bindings only see keys that the focused widget did not use. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "timeline.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "timeline.pan-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "timeline.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "timeline.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "timeline.previous-match", NULL);
}

static void
pw_timeline_view_init (PwTimelineView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->color_mode = PW_COLOR_MODE_NAME;
  self->show_flows = TRUE;
  pw_timeline_style_init (&self->style, FALSE);
  pw_timeline_viewport_init (&self->vp, NULL, 1, 1);

  gtk_widget_init_template (GTK_WIDGET (self));
  PW_TIMELINE_CANVAS (self->canvas)->view = self;
  gtk_widget_set_visible (self->spinner, FALSE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (self->canvas, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (self->canvas, controller);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (gesture));

  g_signal_connect_swapped (self->canvas, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->canvas, "realize", G_CALLBACK (update_palette), self);

  /* Tests and uninstalled runs may have no schema: then nothing is saved. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "color-mode") && g_settings_schema_has_key (schema, "show-flows"))
    {
      self->settings = g_settings_new (APP_ID);
      g_settings_bind (self->settings, "color-mode", self, "color-mode", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "show-flows", self, "show-flows", G_SETTINGS_BIND_DEFAULT);
    }

  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));
}

GtkWidget *
pw_timeline_view_new (void)
{
  return g_object_new (PW_TYPE_TIMELINE_VIEW, NULL);
}
