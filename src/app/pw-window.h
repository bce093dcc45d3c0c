/* pw-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-application.h"
#include "pw-document-page.h"

G_BEGIN_DECLS

#define PW_TYPE_WINDOW (pw_window_get_type ())

G_DECLARE_FINAL_TYPE (PwWindow, pw_window, PW, WINDOW, AdwApplicationWindow)

PwWindow       *pw_window_new               (PwApplication *application);
PwDocumentPage *pw_window_open_file         (PwWindow      *self,
                                             GFile         *file);
void            pw_window_open_demo         (PwWindow      *self);
void            pw_window_choose_files      (PwWindow      *self);
AdwTabView     *pw_window_get_tab_view      (PwWindow      *self);
PwDocumentPage *pw_window_get_current_page  (PwWindow      *self);
void            pw_window_add_toast         (PwWindow      *self,
                                             AdwToast      *toast);

G_END_DECLS
