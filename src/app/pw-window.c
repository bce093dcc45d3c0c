/* pw-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pw-importer.h"

#include "pw-window-private.h"

#define MAX_RECENT 5
#define RECENT_APP_NAME "phasewise"

G_DEFINE_FINAL_TYPE (PwWindow, pw_window, ADW_TYPE_APPLICATION_WINDOW)

static void on_page_profile_changed (PwWindow       *self,
                                     GParamSpec     *pspec,
                                     PwDocumentPage *page);

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Uninstalled runs and tests may have no compiled schema: the window
   * then simply does not remember its size. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_debug ("GSettings schema %s not found, window state is not saved", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
load_window_state (PwWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (PwWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* The unmaximized size, so that unmaximizing after a restart works. */
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
pw_window_close_request (GtkWindow *window)
{
  save_window_state (PW_WINDOW (window));

  return GTK_WINDOW_CLASS (pw_window_parent_class)->close_request (window);
}

/* Recent files */

static char *
describe_folder (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = NULL;
  const char *home = g_get_home_dir ();

  if (parent == NULL)
    return NULL;

  path = g_file_get_parse_name (parent);
  if (home != NULL && g_str_has_prefix (path, home) &&
      (path[strlen (home)] == '/' || path[strlen (home)] == '\0'))
    return g_strconcat ("~", path + strlen (home), NULL);

  return g_steal_pointer (&path);
}

static void
update_recent (PwWindow *self)
{
  GList *items = gtk_recent_manager_get_items (self->recent_manager);
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, RECENT_APP_NAME) &&
          gtk_recent_info_is_local (info) &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (mine, info);
    }

  /* Newest first. */
  for (guint i = 1; i < mine->len; i++)
    for (guint j = i; j > 0; j--)
      {
        GtkRecentInfo *a = g_ptr_array_index (mine, j - 1);
        GtkRecentInfo *b = g_ptr_array_index (mine, j);

        if (g_date_time_compare (gtk_recent_info_get_modified (a),
                                 gtk_recent_info_get_modified (b)) >= 0)
          break;
        mine->pdata[j - 1] = b;
        mine->pdata[j] = a;
      }

  for (guint i = 0; i < mine->len && i < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (mine, i);
      const char *uri = gtk_recent_info_get_uri (info);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *folder = describe_folder (file);
      GtkWidget *row;

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (folder != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), folder);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pw-file", g_steal_pointer (&file), g_object_unref);
      gtk_widget_set_tooltip_text (row, uri);
      gtk_list_box_append (self->recent_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), mine->len > 0);

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
on_recent_row_activated (PwWindow      *self,
                         GtkListBoxRow *row)
{
  GFile *file = g_object_get_data (G_OBJECT (row), "pw-file");

  if (file != NULL)
    pw_window_open_file (self, file);
}

static void
add_to_recent (PwWindow *self,
               GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  GtkRecentData data = { 0 };

  /* The bundled demo is not something the user opened from disk. */
  if (!g_file_is_native (file))
    return;

  /* From the name alone: no blocking I/O on the main thread. */
  content_type = g_content_type_guess (name, NULL, 0, NULL);
  mime_type = g_content_type_get_mime_type (content_type);

  data.mime_type = mime_type ? mime_type : (char *) "application/octet-stream";
  data.app_name = (char *) RECENT_APP_NAME;
  data.app_exec = (char *) "phasewise %u";

  gtk_recent_manager_add_full (self->recent_manager, uri, &data);
}

/* Tabs */

static void
update_switcher (PwWindow *self)
{
  PwDocumentPage *page = pw_window_get_current_page (self);
  AdwViewStack *stack = NULL;

  if (page != NULL && pw_document_page_get_profile (page) != NULL)
    stack = pw_document_page_get_view_stack (page);

  adw_view_switcher_title_set_stack (self->switcher_title, stack);
  adw_view_switcher_bar_set_stack (self->switcher_bar, stack);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        page ? pw_document_page_get_title (page) : NULL);

  if (page != NULL)
    {
      /* Translators: the window title, %s is a file name */
      g_autofree char *title = g_strdup_printf (_("%s — Phasewise"), pw_document_page_get_title (page));
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Phasewise"));
    }
}

static void
on_selected_page_changed (PwWindow *self)
{
  PwDocumentPage *page = pw_window_get_current_page (self);

  if (self->switcher_page != page)
    {
      if (self->switcher_page != NULL)
        g_signal_handlers_disconnect_by_func (self->switcher_page, update_switcher, self);
      g_set_weak_pointer (&self->switcher_page, page);
      if (page != NULL)
        g_signal_connect_object (page, "notify::profile",
                                 G_CALLBACK (update_switcher), self,
                                 G_CONNECT_SWAPPED);
    }

  update_switcher (self);
  _pw_window_actions_update (self);
}

static void
on_setup_tab_menu (PwWindow   *self,
                   AdwTabPage *page)
{
  /* NULL when the menu closes. */
  self->menu_page = page;
}

static void
on_n_pages_changed (PwWindow *self)
{
  gboolean has_pages = adw_tab_view_get_n_pages (self->tab_view) > 0;

  gtk_stack_set_visible_child_name (self->main_stack, has_pages ? "tabs" : "empty");
  _pw_window_actions_update (self);
}

static void
show_page (PwDocumentPage *page)
{
  GtkWidget *tab_view = gtk_widget_get_ancestor (GTK_WIDGET (page), ADW_TYPE_TAB_VIEW);
  AdwTabPage *tab;

  if (tab_view == NULL)
    return;

  tab = adw_tab_view_get_page (ADW_TAB_VIEW (tab_view), GTK_WIDGET (page));
  adw_tab_view_set_selected_page (ADW_TAB_VIEW (tab_view), tab);
  adw_view_stack_set_visible_child_name (pw_document_page_get_view_stack (page), "summary");
}

static void
on_page_profile_changed (PwWindow       *self,
                         GParamSpec     *pspec,
                         PwDocumentPage *page)
{
  PwProfile *profile = pw_document_page_get_profile (page);
  const char * const *warnings;
  guint n_warnings;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  AdwToast *toast;
  GFile *file;

  if (profile == NULL)
    return;

  if ((file = pw_document_page_get_file (page)))
    add_to_recent (self, file);

  warnings = pw_profile_get_warnings (profile);
  n_warnings = warnings ? g_strv_length ((char **) warnings) : 0;
  if (n_warnings == 0)
    return;

  /* The toast may show over another tab: it names the file. */
  if (n_warnings == 1)
    /* Translators: a file name, then a warning about its content */
    text = g_strdup_printf (_("%s: %s"), pw_document_page_get_title (page), warnings[0]);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s opened with %u warning",
                                         "%s opened with %u warnings",
                                         n_warnings),
                            pw_document_page_get_title (page), n_warnings);

  /* Toast titles are markup in libadwaita 1.2. */
  markup = g_markup_escape_text (text, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("_Show"));
  g_signal_connect_object (toast, "button-clicked",
                           G_CALLBACK (show_page), page,
                           G_CONNECT_SWAPPED);
  pw_window_add_toast (self, toast);
}

/* File chooser */

static void
add_filters (GtkFileChooser *chooser)
{
  guint n_importers = 0;
  const PwImporter * const *importers = pw_importers_get_all (&n_importers);
  GtkFileFilter *all_supported;
  GtkFileFilter *all_files;

  all_supported = gtk_file_filter_new ();
  gtk_file_filter_set_name (all_supported, _("All Supported Profiles"));
  for (guint i = 0; i < n_importers; i++)
    for (guint p = 0; importers[i]->patterns && importers[i]->patterns[p]; p++)
      gtk_file_filter_add_pattern (all_supported, importers[i]->patterns[p]);
  gtk_file_chooser_add_filter (chooser, all_supported);

  for (guint i = 0; i < n_importers; i++)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(importers[i]->name));
      for (guint p = 0; importers[i]->patterns && importers[i]->patterns[p]; p++)
        gtk_file_filter_add_pattern (filter, importers[i]->patterns[p]);
      gtk_file_chooser_add_filter (chooser, filter);
      g_object_unref (filter);
    }

  all_files = gtk_file_filter_new ();
  gtk_file_filter_set_name (all_files, _("All Files"));
  gtk_file_filter_add_pattern (all_files, "*");
  gtk_file_chooser_add_filter (chooser, all_files);

  gtk_file_chooser_set_filter (chooser, all_supported);

  g_object_unref (all_supported);
  g_object_unref (all_files);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  PwWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          pw_window_open_file (self, file);
        }
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

void
pw_window_choose_files (PwWindow *self)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Open Profiles"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Drag and drop */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  PwWindow *self = user_data;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    pw_window_open_file (self, l->data);
  g_slist_free (files);

  return files != NULL;
}

static void
setup_drop_target (PwWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay), GTK_EVENT_CONTROLLER (target));
}

static char *
describe_formats (void)
{
  guint n_importers = 0;
  const PwImporter * const *importers = pw_importers_get_all (&n_importers);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < n_importers; i++)
    {
      if (i > 0)
        g_string_append (names, i + 1 == n_importers ? _(" and ") : ", ");
      g_string_append (names, _(importers[i]->name));
    }

  /* Translators: %s is a list of profile formats */
  return g_strdup_printf (_("Drop a profile or trace here, or choose one to open. "
                            "Phasewise reads %s, also gzip-compressed."),
                          names->str);
}

static void
pw_window_dispose (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->recent_manager != NULL)
    g_signal_handlers_disconnect_by_func (self->recent_manager, update_recent, self);
  g_clear_object (&self->recent_manager);
  g_clear_weak_pointer (&self->switcher_page);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_WINDOW);

  G_OBJECT_CLASS (pw_window_parent_class)->dispose (object);
}

static void
pw_window_class_init (PwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pw_window_dispose;
  window_class->close_request = pw_window_close_request;

  g_type_ensure (PW_TYPE_DOCUMENT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/phasewise/Phasewise/pw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, tab_view);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_n_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_tab_menu);

  _pw_window_class_actions_init (klass);
}

static void
pw_window_init (PwWindow *self)
{
  GtkIconTheme *icon_theme;
  g_autofree char *formats = NULL;
  g_autofree char *formats_markup = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  icon_theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  adw_status_page_set_icon_name (self->empty_page,
                                 gtk_icon_theme_has_icon (icon_theme, APP_ID "-symbolic")
                                   ? APP_ID "-symbolic" : "document-open-symbolic");
  formats = describe_formats ();
  formats_markup = g_markup_escape_text (formats, -1);
  adw_status_page_set_description (self->empty_page, formats_markup);

  self->settings = create_settings ();
  load_window_state (self);

  self->recent_manager = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_swapped (self->recent_manager, "changed", G_CALLBACK (update_recent), self);
  update_recent (self);

  setup_drop_target (self);
  on_n_pages_changed (self);
}

PwWindow *
pw_window_new (PwApplication *application)
{
  return g_object_new (PW_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

AdwTabView *
pw_window_get_tab_view (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  return self->tab_view;
}

PwDocumentPage *
pw_window_get_current_page (PwWindow *self)
{
  AdwTabPage *page;

  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  if (!(page = adw_tab_view_get_selected_page (self->tab_view)))
    return NULL;

  return PW_DOCUMENT_PAGE (adw_tab_page_get_child (page));
}

void
pw_window_add_toast (PwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (PW_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static AdwTabPage *
find_tab_for_file (PwWindow *self,
                   GFile    *file)
{
  guint n = adw_tab_view_get_n_pages (self->tab_view);

  for (guint i = 0; i < n; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      GFile *other = pw_document_page_get_file (PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab)));

      if (other != NULL && g_file_equal (other, file))
        return tab;
    }

  return NULL;
}

/* The tab tells at a glance which files failed or opened with warnings. */
static void
on_page_loading_changed (PwDocumentPage *page,
                         GParamSpec     *pspec,
                         AdwTabPage     *tab)
{
  PwProfile *profile = pw_document_page_get_profile (page);
  const char *icon_name = NULL;
  g_autoptr(GIcon) icon = NULL;

  switch (pw_document_page_get_state (page))
    {
    case PW_DOCUMENT_STATE_ERROR:
      icon_name = "dialog-error-symbolic";
      break;
    case PW_DOCUMENT_STATE_CANCELLED:
      icon_name = "process-stop-symbolic";
      break;
    case PW_DOCUMENT_STATE_LOADED:
      if (profile != NULL)
        {
          const char * const *warnings = pw_profile_get_warnings (profile);

          if (warnings != NULL && warnings[0] != NULL)
            icon_name = "dialog-warning-symbolic";
        }
      break;
    case PW_DOCUMENT_STATE_EMPTY:
    case PW_DOCUMENT_STATE_LOADING:
    default:
      break;
    }

  if (icon_name != NULL)
    icon = g_themed_icon_new (icon_name);
  adw_tab_page_set_icon (tab, icon);
}

static void
on_page_title_changed (PwWindow       *self,
                       GParamSpec     *pspec,
                       PwDocumentPage *page)
{
  if (page == pw_window_get_current_page (self))
    update_switcher (self);
}

PwDocumentPage *
pw_window_open_file (PwWindow *self,
                     GFile    *file)
{
  PwDocumentPage *page;
  AdwTabPage *tab;
  g_autofree char *tooltip = NULL;

  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* A second open of the same file shows the tab it is in. */
  if ((tab = find_tab_for_file (self, file)))
    {
      PwDocumentPage *existing = PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab));
      PwDocumentState state = pw_document_page_get_state (existing);

      /* …and tries again if it did not open. */
      if (state == PW_DOCUMENT_STATE_ERROR || state == PW_DOCUMENT_STATE_CANCELLED)
        pw_document_page_load (existing);

      adw_tab_view_set_selected_page (self->tab_view, tab);
      return existing;
    }

  page = pw_document_page_new (file);
  tab = adw_tab_view_append (self->tab_view, GTK_WIDGET (page));

  g_object_bind_property (page, "title", tab, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "loading", tab, "loading", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (page, "notify::loading",
                           G_CALLBACK (on_page_loading_changed), tab, 0);
  tooltip = g_markup_escape_text (g_file_peek_path (file) ? g_file_peek_path (file)
                                                          : pw_document_page_get_title (page), -1);
  adw_tab_page_set_tooltip (tab, tooltip);

  g_signal_connect_object (page, "notify::profile",
                           G_CALLBACK (on_page_profile_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::title",
                           G_CALLBACK (on_page_title_changed), self,
                           G_CONNECT_SWAPPED);

  adw_tab_view_set_selected_page (self->tab_view, tab);
  pw_document_page_load (page);

  return page;
}

void
pw_window_open_demo (PwWindow *self)
{
  g_autoptr(GFile) before = g_file_new_for_uri (PW_DEMO_BEFORE_URI);
  g_autoptr(GFile) after = g_file_new_for_uri (PW_DEMO_AFTER_URI);

  g_return_if_fail (PW_IS_WINDOW (self));

  pw_window_open_file (self, before);
  pw_window_open_file (self, after);
}
