/* pw-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PW_TYPE_APPLICATION (pw_application_get_type ())

G_DECLARE_FINAL_TYPE (PwApplication, pw_application, PW, APPLICATION, AdwApplication)

/* The bundled demo runs, "before" and "after" an optimization. */
#define PW_DEMO_BEFORE_URI "resource:///io/github/phasewise/Phasewise/demo/pipeline-before.json"
#define PW_DEMO_AFTER_URI  "resource:///io/github/phasewise/Phasewise/demo/pipeline-after.json"

PwApplication *pw_application_new (void);

G_END_DECLS
