/* pw-cli-phases.c: `phasewise-cli phases`, wall, CPU and task time per phase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "phasewise-cli"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "pw-cli.h"
#include "pw-importer.h"
#include "pw-phases.h"
#include "pw-phases-renderer.h"
#include "pw-render-export.h"


int
pw_cli_phases (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  g_autofree char *format = NULL;
  g_autofree char *sample_type = NULL;
  g_autofree char *match = NULL;
  g_autofree char *range = NULL;
  gboolean json = FALSE;
  gboolean group = FALSE;
  gboolean distributed = FALSE;
  gboolean dark = FALSE;
  g_autofree char *png = NULL;
  int width = 1000;
  int depth = -1;
  PwPhasesOptions options = { PW_PHASES_DEFAULT };
  int n_modes;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, N_("Phases are the spans at this depth of the main lane"), N_("N") },
    { "match", 0, 0, G_OPTION_ARG_STRING, &match, N_("Phases are the spans whose name matches (glob, or substring)"), N_("PATTERN") },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range, N_("One phase: this time range from the start (1.2s..3s, 200ms..450ms)"), N_("START..END") },
    { "distributed", 0, 0, G_OPTION_ARG_NONE, &distributed, N_("Phases are the children of the trace's root span, across services"), NULL },
    { "group", 0, 0, G_OPTION_ARG_NONE, &group, N_("Merge same-named phases (loop iterations)"), NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Read as this format instead of detecting it"), N_("ID") },
    PW_CLI_SAMPLE_TYPE_OPTION (sample_type),
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("Also draw the bar chart of these phases to a PNG file"), N_("OUT.png") },
    { "width", 'W', 0, G_OPTION_ARG_INT, &width, N_("Width of the PNG in pixels (default: 1000)"), N_("W") },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Draw the PNG with the dark palette"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("phases FILE — wall, CPU and task time for every phase"));
  g_option_context_set_summary (context,
                                _("Task time is the time spent in spans on every lane during a phase;\n"
                                  "parallelism is task time ÷ wall time. See docs/phases.md."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 2;
    }

  if (argc != 3)
    {
      g_printerr (_("Usage: phasewise-cli phases FILE [--json] [--depth N | --match PATTERN | --range START..END | --distributed] [--group]\n"));
      return 2;
    }

  n_modes = (depth >= 0) + (match != NULL) + (range != NULL) + (distributed != FALSE);
  if (n_modes > 1)
    {
      g_printerr (_("phasewise-cli: choose one of --depth, --match, --range and --distributed\n"));
      return 2;
    }

  if (depth >= 0)
    {
      options.mode = PW_PHASES_DEPTH;
      options.depth = depth;
    }
  else if (match != NULL)
    {
      options.mode = PW_PHASES_MATCH;
      options.pattern = match;
    }
  else if (distributed)
    options.mode = PW_PHASES_DISTRIBUTED;
  else if (range != NULL)
    {
      /* the same syntax as render --range: units, plain numbers in ns */
      if (!pw_render_parse_range (range, &options.range_start, &options.range_end, &error))
        {
          g_printerr ("phasewise-cli: %s\n", error->message);
          return 2;
        }
      options.mode = PW_PHASES_RANGE;
    }
  options.group = group;

  if (!(profile = pw_cli_load_profile (argv[2], format, sample_type, &error)))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 1;
    }

  /* an open end ("2s..") runs to the end of the profile */
  if (options.mode == PW_PHASES_RANGE)
    {
      options.range_end = MIN (options.range_end, pw_profile_get_duration_ns (profile));
      if (options.range_end <= options.range_start)
        {
          g_printerr (_("phasewise-cli: the range starts after the end of the profile (%s)\n"),
                      range);
          return 2;
        }
    }

  if (!(phases = pw_phases_compute (profile, &options, NULL, &error)))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 1;
    }

  if (png != NULL)
    {
      PwPhasesChartStyle style;
      double height = pw_phases_chart_get_height (phases);
      cairo_surface_t *surface;
      cairo_t *cr;
      cairo_status_t status;

      if (width < 200 || width > 16384)
        {
          g_printerr (_("phasewise-cli: --width must be between 200 and 16384\n"));
          return 2;
        }
      /* twice the pixels: sharp on high-density screens and in documents */
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * 2, (int) ceil (height) * 2);
      cairo_surface_set_device_scale (surface, 2, 2);
      cr = cairo_create (surface);
      pw_phases_chart_style_init (&style, dark);
      pw_phases_chart_draw (phases, cr, &style, width, height);
      cairo_destroy (cr);
      status = cairo_surface_write_to_png (surface, png);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_printerr (_("phasewise-cli: could not write %s: %s\n"), png, cairo_status_to_string (status));
          return 1;
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) node = pw_phases_to_json (phases);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = pw_phases_to_text (phases);

      g_print ("%s", text);
    }

  return 0;
}
