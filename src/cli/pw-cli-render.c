/* pw-cli-render.c: phasewise-cli render: a view of a profile to PNG/SVG/PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "phasewise-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pw-cli.h"
#include "pw-importer.h"
#include "pw-render-export.h"

int
pw_cli_render (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autofree char *view = NULL;
  g_autofree char *range = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  g_autofree char *sample_type = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(GString) views = g_string_new (NULL);
  const PwRenderView *const *all = pw_render_get_views ();
  PwRenderRequest request = { 0, 0, 1400, 0, FALSE };
  int width = 1400, height = 0;
  gboolean dark = FALSE;
  gboolean ok;
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, N_("The view to draw (default: timeline)"), N_("VIEW") },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range, N_("Time range from the profile start, e.g. 1.5s..2s, 200ms..300ms"), N_("START..END") },
    { "width", 'W', 0, G_OPTION_ARG_INT, &width, N_("Width in pixels (default: 1400)"), N_("W") },
    { "height", 'H', 0, G_OPTION_ARG_INT, &height, N_("Height in pixels (default: as tall as the view)"), N_("H") },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Use the dark palette"), NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Input format (default: detect)"), N_("FORMAT") },
    PW_CLI_SAMPLE_TYPE_OPTION (sample_type),
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Output file: .png, .svg or .pdf"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  for (guint i = 0; all[i] != NULL; i++)
    g_string_append_printf (views, "%s%s", i ? ", " : "", all[i]->name);

  context = g_option_context_new (_("FILE — draw a view of a profile"));
  g_option_context_set_summary (context, _("Writes a PNG, SVG or PDF of a view, chosen by the output's extension."));
  g_option_context_set_description (context, views->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* argv[1] is "render": let the option parser see it as the program. */
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("phasewise-cli render: %s\n", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      g_printerr ("phasewise-cli render: %s\n", _("expected exactly one FILE"));
      return 2;
    }
  if (output == NULL)
    {
      g_printerr ("phasewise-cli render: %s\n", _("missing -o OUT.png, OUT.svg or OUT.pdf"));
      return 2;
    }
  if (view != NULL && pw_render_find_view (view) == NULL)
    {
      g_printerr (_("phasewise-cli render: unknown view “%s”: expected one of %s\n"), view, views->str);
      return 2;
    }
  if (range != NULL && !pw_render_parse_range (range, &request.begin, &request.end, &error))
    {
      g_printerr ("phasewise-cli render: %s\n", error->message);
      return 2;
    }
  if (width < 200 || width > 32768 || (height != 0 && (height < 100 || height > 32768)))
    {
      g_printerr ("phasewise-cli render: %s\n", _("width must be 200 to 32768 and height 100 to 32768 pixels"));
      return 2;
    }
  request.width = width;
  request.height = height;
  request.dark = dark;

  profile = pw_cli_load_profile (files[0], format, sample_type, &error);
  if (profile == NULL)
    {
      g_printerr ("phasewise-cli render: %s\n", error->message);
      return 1;
    }

  ok = pw_render_export_request (profile, view, &request, output, &error);
  g_clear_object (&profile);
  pw_render_release_caches ();
  if (!ok)
    {
      g_printerr ("phasewise-cli render: %s\n", error->message);
      return g_error_matches (error, PW_RENDER_ERROR, PW_RENDER_ERROR_FAILED) ? 1 : 2;
    }

  return 0;
}
