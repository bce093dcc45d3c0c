/* pw-cli.h: the commands of phasewise-cli that live in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-profile.h"

G_BEGIN_DECLS

/* --sample-type, for the commands that load a profile */
#define PW_CLI_SAMPLE_TYPE_OPTION(var) \
  { "sample-type", 0, 0, G_OPTION_ARG_STRING, &(var), \
    N_("What the samples weigh, when the file measures several things (pprof sample type, perf event)"), N_("NAME") }

/* Opens PATH ("-" for standard input) as FORMAT, or detects the format;
 * sample_type is the PW_IMPORT_OPTION_SAMPLE_TYPE option, or NULL. */
PwProfile *pw_cli_load_profile (const char  *path,
                                const char  *format,
                                const char  *sample_type,
                                GError     **error);

int pw_cli_phases (int    argc,
                   char **argv);

int pw_cli_render (int    argc,
                   char **argv);

G_END_DECLS
