/* pw-cli.h: the commands of phasewise-cli that live in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-profile.h"

G_BEGIN_DECLS

/* Opens PATH ("-" for standard input) as FORMAT, or detects the format. */
PwProfile *pw_cli_load_profile (const char  *path,
                                const char  *format,
                                GError     **error);

int pw_cli_phases (int    argc,
                   char **argv);

int pw_cli_render (int    argc,
                   char **argv);

G_END_DECLS
