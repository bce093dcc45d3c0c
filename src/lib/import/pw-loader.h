/* pw-loader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pw-input.h"
#include "pw-profile.h"

G_BEGIN_DECLS

#define PW_TYPE_LOADER (pw_loader_get_type ())

G_DECLARE_FINAL_TYPE (PwLoader, pw_loader, PW, LOADER, GObject)

/* Loads one profile on a worker thread. "fraction" and "message" change
 * on the main context that called pw_loader_load_async(), so a window can
 * bind a progress bar to them. */
PwLoader   *pw_loader_new            (GFile                *file);
PwLoader   *pw_loader_new_for_bytes  (GBytes               *bytes,
                                      const char           *display_name);
GFile      *pw_loader_get_file       (PwLoader             *self);
const char *pw_loader_get_display_name (PwLoader           *self);
double      pw_loader_get_fraction   (PwLoader             *self);
const char *pw_loader_get_message    (PwLoader             *self);
void        pw_loader_set_format     (PwLoader             *self,
                                      const char           *format_id);
/* An import option (PW_IMPORT_OPTION_*, pw-input.h) for the next loads;
 * a NULL value unsets it. */
void        pw_loader_set_option     (PwLoader             *self,
                                      const char           *key,
                                      const char           *value);
const char *pw_loader_get_option     (PwLoader             *self,
                                      const char           *key);
void        pw_loader_load_async     (PwLoader             *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
PwProfile  *pw_loader_load_finish    (PwLoader             *self,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
