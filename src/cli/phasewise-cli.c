/* phasewise-cli.c: headless reports, renders and checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "phasewise-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "pw-cli.h"
#include "pw-importer.h"
#include "pw-summary.h"

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} Command;

static int cmd_info    (int argc, char **argv);
static int cmd_formats (int argc, char **argv);

static const Command commands[] = {
  { "info",    cmd_info,    N_("Summarize a profile: format, duration, lanes, spans, samples") },
  { "formats", cmd_formats, N_("List the formats Phasewise reads") },
  { "render",  pw_cli_render, N_("Draw a view of a profile to PNG, SVG or PDF") },
  { "phases",  pw_cli_phases, N_("Wall, CPU and task time, parallelism and idle time per phase") },
};

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

PwProfile *
pw_cli_load_profile (const char  *path,
                     const char  *format,
                     const char  *sample_type,
                     GError     **error)
{
  g_autoptr(PwInput) input = NULL;

  if (g_strcmp0 (path, "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
      input = pw_input_new_for_bytes (bytes, _("standard input"), NULL);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      if (!(input = pw_input_new_for_file (file, NULL, error)))
        return NULL;
    }

  if (sample_type != NULL)
    pw_input_set_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE, sample_type);

  return pw_import_input (input, format, error);
}

static int
cmd_info (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  g_autofree char *format = NULL;
  g_autofree char *sample_type = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Read as this format instead of detecting it"), N_("ID") },
    PW_CLI_SAMPLE_TYPE_OPTION (sample_type),
    { NULL }
  };

  context = g_option_context_new (_("info FILE — summarize a profile"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 2;
    }

  if (argc != 3)
    {
      g_printerr (_("Usage: phasewise-cli info FILE [--json]\n"));
      return 2;
    }

  if (!(profile = pw_cli_load_profile (argv[2], format, sample_type, &error)))
    {
      g_printerr ("phasewise-cli: %s\n", error->message);
      return 1;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = pw_summary_to_json (profile);
      print_json (node);
    }
  else
    {
      g_autofree char *text = pw_summary_to_text (profile);
      g_print ("%s", text);
    }

  return 0;
}

static int
cmd_formats (int    argc,
             char **argv)
{
  guint n = 0;
  const PwImporter * const *importers = pw_importers_get_all (&n);
  gboolean json = argc > 2 && g_strcmp0 (argv[2], "--json") == 0;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, importers[i]->id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, _(importers[i]->name));
          json_builder_set_member_name (builder, "patterns");
          json_builder_begin_array (builder);
          for (guint p = 0; importers[i]->patterns && importers[i]->patterns[p]; p++)
            json_builder_add_string_value (builder, importers[i]->patterns[p]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *patterns = g_strjoinv (" ", (char **) importers[i]->patterns);
      g_print ("%-12s %-34s %s\n", importers[i]->id, _(importers[i]->name), patterns);
    }

  return 0;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: phasewise-cli COMMAND [OPTIONS…] FILE…"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “phasewise-cli COMMAND --help” for a command's options."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }

  if (g_strcmp0 (argv[1], "--version") == 0)
    {
      g_print ("phasewise-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].func (argc, argv);

  g_printerr (_("phasewise-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);

  return 2;
}
