/* pw-render-export.h: any view of a profile to PNG, SVG or PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "pw-profile.h"

G_BEGIN_DECLS

#define PW_RENDER_ERROR (pw_render_error_quark ())

typedef enum
{
  PW_RENDER_ERROR_UNKNOWN_VIEW,
  PW_RENDER_ERROR_UNKNOWN_FORMAT,
  PW_RENDER_ERROR_INVALID_RANGE,
  PW_RENDER_ERROR_INVALID_SIZE,
  PW_RENDER_ERROR_FAILED,
} PwRenderError;

typedef struct
{
  gint64 begin;    /* ns from the profile start; end <= begin: everything */
  gint64 end;
  double width;
  double height;   /* 0: as tall as the view needs (bounded) */
  gboolean dark;
} PwRenderRequest;

/* A view that can be exported: draws the request on cr, whose surface
 * is width × height logical pixels. natural_height returns the height it
 * needs for the request's width (or 0 when any height suits). */
typedef struct
{
  const char *name;
  const char *title;
  double    (*natural_height) (PwProfile              *profile,
                               const PwRenderRequest  *request);
  gboolean  (*draw)           (PwProfile              *profile,
                               cairo_t                *cr,
                               const PwRenderRequest  *request,
                               GError                **error);
} PwRenderView;

GQuark              pw_render_error_quark   (void);

/* The views --view accepts, NULL-terminated. */
const PwRenderView *const *pw_render_get_views (void);
const PwRenderView *pw_render_find_view     (const char             *name);

/* Parses "1.5s", "200ms", "30us", "30µs", "12ns" or a plain number of ns. */
gboolean            pw_render_parse_time    (const char             *text,
                                             gint64                 *out);
/* Parses "START..END" (either may be empty: the start or end of the profile). */
gboolean            pw_render_parse_range   (const char             *text,
                                             gint64                 *begin,
                                             gint64                 *end,
                                             GError                **error);

typedef gboolean (*PwRenderDrawFunc) (cairo_t   *cr,
                                      gpointer   user_data,
                                      GError   **error);

/* Creates a PNG, SVG or PDF surface by path's extension, lets draw paint
 * it, and writes the file. For widgets that export what they show. */
gboolean            pw_render_to_file       (const char             *path,
                                             double                  width,
                                             double                  height,
                                             PwRenderDrawFunc        draw,
                                             gpointer                user_data,
                                             GError                **error);

/* Writes the view to path, PNG/SVG/PDF by its extension. */
gboolean            pw_render_export        (PwProfile              *profile,
                                             const char             *view_name,
                                             gint64                  begin,
                                             gint64                  end,
                                             double                  width,
                                             double                  height,
                                             const char             *path,
                                             GError                **error);
/* The same with every field of the request. */
gboolean            pw_render_export_request (PwProfile             *profile,
                                             const char             *view_name,
                                             const PwRenderRequest  *request,
                                             const char             *path,
                                             GError                **error);

/* Drops the font caches that cairo and Pango keep for the process, so that
 * leak checkers see only real leaks. Call last, from the main thread. */
void                pw_render_release_caches (void);

G_END_DECLS
