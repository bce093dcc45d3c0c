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

/* "1.5s", "200ms", "30us", "30µs", "100ns"; a plain number is seconds. */
static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;
  double scale = 1e9;

  if (*s == '\0')
    return FALSE;
  value = g_ascii_strtod (s, &end);
  if (end == s)
    return FALSE;
  while (*end == ' ')
    end++;
  if (*end == '\0' || g_str_equal (end, "s"))
    scale = 1e9;
  else if (g_str_equal (end, "ms"))
    scale = 1e6;
  else if (g_str_equal (end, "us") || g_str_equal (end, "µs"))
    scale = 1e3;
  else if (g_str_equal (end, "ns"))
    scale = 1;
  else
    return FALSE;
  if (value < 0 || value * scale > 9.2e18)
    return FALSE;

  *out = (gint64) (value * scale + 0.5);
  return TRUE;
}

static PwProfile *
load (const char  *path,
      const char  *format,
      GError     **error)
{
  if (g_strcmp0 (path, "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
      return pw_import_bytes (bytes, _("standard input"), format, error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      return pw_import_file (file, format, NULL, NULL, NULL, error);
    }
}

int
pw_cli_phases (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(PwPhases) phases = NULL;
  g_autofree char *format = NULL;
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
      const char *dots = strstr (range, "..");
      g_autofree char *a = dots ? g_strndup (range, dots - range) : NULL;

      if (dots == NULL || !parse_time (a, &options.range_start) ||
          !parse_time (dots + 2, &options.range_end) || options.range_end < options.range_start)
        {
          g_printerr (_("phasewise-cli: --range expects START..END with START ≤ END, "
                        "e.g. 1.2s..3s or 200ms..450ms, not “%s”\n"), range);
          return 2;
        }
      options.mode = PW_PHASES_RANGE;
    }
  options.group = group;

  if (!(profile = load (argv[2], format, &error)))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 1;
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
