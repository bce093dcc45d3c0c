/* pw-cli.h: the commands of phasewise-cli that live in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int pw_cli_phases (int    argc,
                   char **argv);

int pw_cli_render (int    argc,
                   char **argv);

G_END_DECLS
