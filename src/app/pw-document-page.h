/* pw-document-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-profile.h"

G_BEGIN_DECLS

#define PW_TYPE_DOCUMENT_PAGE (pw_document_page_get_type ())

G_DECLARE_FINAL_TYPE (PwDocumentPage, pw_document_page, PW, DOCUMENT_PAGE, GtkWidget)

typedef enum
{
  PW_DOCUMENT_STATE_EMPTY,
  PW_DOCUMENT_STATE_LOADING,
  PW_DOCUMENT_STATE_ERROR,
  PW_DOCUMENT_STATE_CANCELLED,
  PW_DOCUMENT_STATE_LOADED,
} PwDocumentState;

/* One open profile: the content of a tab. Its "profile" property is NULL
 * until the file has loaded, then notifies once per (re)load.
 *
 * pw_document_page_add_view() adds a view of the loaded profile to the
 * page's AdwViewStack (the summary, named "summary", comes first); the
 * window's view switcher shows every view. When the view has a "profile"
 * property (PwProfile), the page binds its own "profile" to it. */
PwDocumentPage  *pw_document_page_new            (GFile          *file);
GFile           *pw_document_page_get_file       (PwDocumentPage *self);
const char      *pw_document_page_get_title      (PwDocumentPage *self);
PwProfile       *pw_document_page_get_profile    (PwDocumentPage *self);
gboolean         pw_document_page_get_loading    (PwDocumentPage *self);
PwDocumentState  pw_document_page_get_state      (PwDocumentPage *self);
/* The message of the last load error, NULL unless the state is ERROR. */
const char      *pw_document_page_get_error_message (PwDocumentPage *self);
void             pw_document_page_load           (PwDocumentPage *self);
void             pw_document_page_cancel         (PwDocumentPage *self);
/* Loads the file again with an import option (PW_IMPORT_OPTION_*) set,
 * or unset when value is NULL; later loads keep it. The action
 * "page.sample-type" (a string) does this for the sample type. */
void             pw_document_page_reload_with_option (PwDocumentPage *self,
                                                      const char     *key,
                                                      const char     *value);
const char      *pw_document_page_get_option     (PwDocumentPage *self,
                                                  const char     *key);
AdwViewStack    *pw_document_page_get_view_stack (PwDocumentPage *self);
AdwViewStackPage *pw_document_page_add_view      (PwDocumentPage *self,
                                                  GtkWidget      *view,
                                                  const char     *name,
                                                  const char     *title,
                                                  const char     *icon_name);

G_END_DECLS
