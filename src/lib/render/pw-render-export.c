/* pw-render-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-render"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "pw-phases-renderer.h"
#include "pw-render-export.h"
#include "pw-timeline-layout.h"
#include "pw-timeline-renderer.h"

#define MAX_SIDE 32768.0
#define MAX_AUTO_HEIGHT 16000.0

G_DEFINE_QUARK (pw-render-error-quark, pw_render_error)

/* Timeline */

static double
timeline_natural_height (PwProfile             *profile,
                         const PwRenderRequest *request)
{
  g_autoptr(PwTimelineLayout) layout = pw_timeline_layout_new (profile);

  return PW_TIMELINE_LANES_TOP + pw_timeline_layout_get_height (layout) + 4;
}

static gboolean
timeline_draw (PwProfile              *profile,
               cairo_t                *cr,
               const PwRenderRequest  *request,
               GError                **error)
{
  g_autoptr(PwTimelineLayout) layout = pw_timeline_layout_new (profile);
  PwTimelineViewport vp;
  PwTimelineStyle style;

  pw_timeline_viewport_init (&vp, layout, request->width, request->height);
  if (request->end > request->begin)
    {
      vp.t0 = request->begin;
      vp.t1 = request->end;
    }
  pw_timeline_style_init (&style, request->dark);
  pw_timeline_render (layout, cr, &vp, &style);

  return TRUE;
}

static const PwRenderView timeline_view = {
  "timeline", N_("Timeline"), timeline_natural_height, timeline_draw,
};

/* Views add themselves here. */
static const PwRenderView *const views[] = {
  &timeline_view,
  &pw_phases_render_view,
  NULL
};

const PwRenderView *const *
pw_render_get_views (void)
{
  return views;
}

const PwRenderView *
pw_render_find_view (const char *name)
{
  for (guint i = 0; views[i] != NULL; i++)
    if (g_strcmp0 (views[i]->name, name) == 0)
      return views[i];
  return NULL;
}

gboolean
pw_render_parse_time (const char *text,
                      gint64     *out)
{
  static const struct { const char *suffix; double factor; } units[] = {
    { "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
    { "min", 60e9 },
  };
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return FALSE;

  value = g_ascii_strtod (copy, &end);
  if (end == copy || !isfinite (value) || value < 0)
    return FALSE;
  while (*end == ' ')
    end++;

  if (*end == '\0')
    {
      *out = (gint64) llround (value);
      return value < 9.2e18;
    }

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].suffix) == 0)
      {
        double ns = value * units[i].factor;

        if (ns >= 9.2e18)
          return FALSE;
        *out = (gint64) llround (ns);
        return TRUE;
      }

  return FALSE;
}

gboolean
pw_render_parse_range (const char  *text,
                       gint64      *begin,
                       gint64      *end,
                       GError     **error)
{
  const char *dots;
  g_autofree char *a = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  dots = strstr (text, "..");
  if (dots == NULL)
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE,
                   _("Invalid range “%s”: expected START..END, for example 1.5s..2s"), text);
      return FALSE;
    }

  a = g_strndup (text, dots - text);
  *begin = 0;
  *end = G_MAXINT64;
  if (*g_strstrip (a) != '\0' && !pw_render_parse_time (a, begin))
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE,
                   _("Invalid range start “%s”: expected a duration such as 1.5s, 200ms, 30us or a number of ns"), a);
      return FALSE;
    }
  if (dots[2] != '\0' && !pw_render_parse_time (dots + 2, end))
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE,
                   _("Invalid range end “%s”: expected a duration such as 1.5s, 200ms, 30us or a number of ns"), dots + 2);
      return FALSE;
    }
  if (*end <= *begin)
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE,
                   _("Invalid range “%s”: the end must be after the start"), text);
      return FALSE;
    }

  return TRUE;
}

typedef enum { KIND_PNG, KIND_SVG, KIND_PDF } Kind;

static gboolean
check_extension (const char  *path,
                 Kind        *kind,
                 GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  Kind k;

  if (g_str_has_suffix (lower, ".png"))
    k = KIND_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    k = KIND_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    k = KIND_PDF;
  else
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_UNKNOWN_FORMAT,
                   _("Cannot tell the format of “%s”: use a .png, .svg or .pdf name"), path);
      return FALSE;
    }

  if (kind != NULL)
    *kind = k;
  return TRUE;
}

gboolean
pw_render_to_file (const char        *path,
                   double             width,
                   double             height,
                   PwRenderDrawFunc   draw,
                   gpointer           user_data,
                   GError           **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean ok;
  Kind kind;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);

  if (!check_extension (path, &kind, error))
    return FALSE;

  switch (kind)
    {
    case KIND_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case KIND_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case KIND_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
      break;
    }

  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_FAILED,
                   _("Cannot write “%s”: %s"), path, cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  ok = draw (cr, user_data, error);
  cairo_destroy (cr);

  if (ok && kind == KIND_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_FAILED,
                   _("Cannot write “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }

  return ok;
}

typedef struct
{
  const PwRenderView    *view;
  PwProfile             *profile;
  const PwRenderRequest *request;
} DrawView;

static gboolean
draw_view (cairo_t   *cr,
           gpointer   user_data,
           GError   **error)
{
  DrawView *closure = user_data;

  return closure->view->draw (closure->profile, cr, closure->request, error);
}

gboolean
pw_render_export (PwProfile   *profile,
                  const char  *view_name,
                  gint64       begin,
                  gint64       end,
                  double       width,
                  double       height,
                  const char  *path,
                  GError     **error)
{
  PwRenderRequest request = { begin, end, width, height, FALSE };

  return pw_render_export_request (profile, view_name, &request, path, error);
}

gboolean
pw_render_export_request (PwProfile              *profile,
                          const char             *view_name,
                          const PwRenderRequest  *in,
                          const char             *path,
                          GError                **error)
{
  const PwRenderView *view;
  PwRenderRequest request = *in;
  DrawView closure;

  g_return_val_if_fail (PW_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  view = pw_render_find_view (view_name ? view_name : "timeline");
  if (view == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; views[i] != NULL; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", views[i]->name);
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_UNKNOWN_VIEW,
                   _("Unknown view “%s”: expected one of %s"), view_name, names->str);
      return FALSE;
    }

  if (!check_extension (path, NULL, error))
    return FALSE;

  if (request.width <= 0)
    request.width = 1400;
  if (request.height <= 0 && view->natural_height != NULL)
    request.height = CLAMP (ceil (view->natural_height (profile, &request)), 200, MAX_AUTO_HEIGHT);
  if (request.height <= 0)
    request.height = 900;
  if (request.width < 200 || request.width > MAX_SIDE || request.height < 100 || request.height > MAX_SIDE)
    {
      g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_SIZE,
                   _("Invalid size %.0f×%.0f: width must be 200 to 32768 and height 100 to 32768 pixels"),
                   request.width, request.height);
      return FALSE;
    }
  if (request.end > request.begin)
    {
      gint64 duration = pw_profile_get_duration_ns (profile);

      if (request.begin >= duration)
        {
          g_set_error (error, PW_RENDER_ERROR, PW_RENDER_ERROR_INVALID_RANGE,
                       _("The range starts after the end of the profile (%" PRId64 " ns)"), duration);
          return FALSE;
        }
      if (request.end == G_MAXINT64)
        request.end = MAX (duration, request.begin + 1);
    }

  closure.view = view;
  closure.profile = profile;
  closure.request = &request;

  return pw_render_to_file (path, request.width, request.height, draw_view, &closure, error);
}

void
pw_render_release_caches (void)
{
  /* cairo_debug_reset_static_data() would free cairo's caches too, but it
   * asserts when a font face is still referenced anywhere, which made the
   * CLI abort now and then on exit. */
  pango_cairo_font_map_set_default (NULL);
}
