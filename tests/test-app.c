/* test-app.c: the application under a virtual display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "pw-app-test-util.h"
#include "pw-application.h"
#include "pw-document-page.h"
#include "pw-summary-view.h"
#include "pw-window.h"

static char *tmp_dir;

/* Widget tree helpers: the test looks for what a user would read. */

static gboolean
is_metadata_row (GtkWidget *widget,
                 gpointer   data)
{
  const char * const *key_value = data;

  /* Rows in a collapsed expander are in the tree but not drawn. */
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), key_value[0]) == 0 &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), key_value[1]) == 0;
}

static gboolean
is_value_label (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "pw-value");
}

static gboolean
is_visible_status_page (GtkWidget *widget,
                        gpointer   data)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         gtk_widget_is_drawable (widget) &&
         g_strcmp0 (adw_status_page_get_icon_name (ADW_STATUS_PAGE (widget)), data) == 0;
}

static gboolean
is_button_labelled (GtkWidget *widget,
                    gpointer   data)
{
  return GTK_IS_BUTTON (widget) &&
         gtk_widget_is_drawable (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* The value shown on the summary row titled TITLE. */
static const char *
summary_value (GtkWidget  *root,
               const char *title)
{
  GtkWidget *row = pw_test_find_widget (root, pw_test_is_row_titled, (gpointer) title);
  GtkWidget *label;

  g_assert_nonnull (row);
  label = pw_test_find_widget (row, is_value_label, NULL);
  g_assert_nonnull (label);

  return gtk_label_get_label (GTK_LABEL (label));
}

/* Fixtures */

/* One application for the whole run: an application stays exported on
 * the session bus for the life of the process. Each test starts from no
 * window and closes its windows at the end. */
static PwApplication *the_app;

static PwApplication *
start_app (void)
{
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));
  return the_app;
}

static void
stop_app (PwApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))))
    gtk_window_destroy (windows->data);

  pw_test_iterate_for (50);
}

static PwWindow *
get_window (PwApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (PW_IS_WINDOW (window));
  return PW_WINDOW (window);
}

static PwDocumentPage *
open_path (PwApplication *app,
           const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *files[] = { file };
  PwDocumentPage *page;

  g_application_open (G_APPLICATION (app), files, 1, "");
  page = pw_window_get_current_page (get_window (app));
  g_assert_nonnull (page);
  g_assert_true (g_file_equal (pw_document_page_get_file (page), file));

  return page;
}

/* Tests */

static gboolean
has_longest_row (gpointer data)
{
  GtkWidget *row = pw_test_find_widget (GTK_WIDGET (data), pw_test_is_row_titled, (gpointer) "RenderWidget::DoDeferredUpdate");

  return row != NULL &&
         g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "pid 21315 › thread 21315");
}

static void
test_open_summary (void)
{
  PwApplication *app = start_app ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "catapult-big_trace.json", NULL);
  PwDocumentPage *page = open_path (app, path);
  AdwTabView *tab_view = pw_window_get_tab_view (get_window (app));
  AdwTabPage *tab = adw_tab_view_get_page (tab_view, GTK_WIDGET (page));
  AdwViewStack *views;

  g_assert_cmpstr (adw_tab_page_get_title (tab), ==, "catapult-big_trace.json");
  g_assert_true (adw_tab_page_get_loading (tab));

  g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
  pw_test_iterate_for (100);

  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);
  g_assert_false (adw_tab_page_get_loading (tab));
  g_assert_nonnull (pw_document_page_get_profile (page));

  views = pw_document_page_get_view_stack (page);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, "summary");

  /* 933 B/E pairs on 4 threads of 4 processes (tests/data/SOURCES.md). */
  g_assert_cmpstr (summary_value (GTK_WIDGET (page), "Spans"), ==, "933");
  g_assert_cmpstr (summary_value (GTK_WIDGET (page), "Lanes"), ==, "4");
  g_assert_cmpstr (summary_value (GTK_WIDGET (page), "Processes"), ==, "4");
  g_assert_cmpstr (summary_value (GTK_WIDGET (page), "Format"), ==, "Chrome Trace Event JSON");

  /* The longest span of the trace, found on a worker, heads its list. */
  g_assert_true (pw_test_iterate_until (has_longest_row, page, 5000));

  /* Views that other parts of the app add follow the page's profile. */
  {
    GtkWidget *extra = pw_summary_view_new ();

    g_assert_nonnull (pw_document_page_add_view (page, extra, "extra", "Extra", "view-list-symbolic"));
    g_assert_true (pw_summary_view_get_profile (PW_SUMMARY_VIEW (extra)) == pw_document_page_get_profile (page));
    g_assert_nonnull (adw_view_stack_get_child_by_name (views, "extra"));
  }

  /* Opening the same file again shows its tab instead of a second one. */
  g_assert_true (open_path (app, path) == page);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);

  stop_app (app);
}

static void
test_open_malformed (void)
{
  PwApplication *app = start_app ();
  g_autofree char *path = g_build_filename (tmp_dir, "broken-trace.json", NULL);
  const char *broken = "{\"traceEvents\": [{\"name\": \"a\", \"ph\": \"X\", \"ts\": 1,, }]}";
  PwDocumentPage *page;
  GtkWidget *status;
  const char *description;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, broken, -1, &error);
  g_assert_no_error (error);

  page = open_path (app, path);
  g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
  pw_test_iterate_for (100);

  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_ERROR);
  g_assert_null (pw_document_page_get_profile (page));

  status = pw_test_find_widget (GTK_WIDGET (page), is_visible_status_page, (gpointer) "dialog-error-symbolic");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==,
                   "Could not open broken-trace.json");

  /* The importer's message, verbatim: file name, position, expectation. */
  description = adw_status_page_get_description (ADW_STATUS_PAGE (status));
  g_assert_nonnull (strstr (description, "broken-trace.json"));
  g_assert_nonnull (strstr (description, "byte"));
  g_assert_cmpstr (description, ==, pw_document_page_get_error_message (page));

  g_assert_nonnull (pw_test_find_widget (status, is_button_labelled, (gpointer) "_Try Again"));

  /* The tab says so too, for when another tab is in front. */
  {
    AdwTabView *tab_view = pw_window_get_tab_view (get_window (app));
    GIcon *icon = adw_tab_page_get_icon (adw_tab_view_get_page (tab_view, GTK_WIDGET (page)));

    g_assert_true (G_IS_THEMED_ICON (icon));
    g_assert_cmpstr (g_themed_icon_get_names (G_THEMED_ICON (icon))[0], ==, "dialog-error-symbolic");
  }

  /* Fixed on disk, the same file opens when it is opened again. */
  g_file_set_contents (path, "{\"traceEvents\": [{\"name\": \"a\", \"ph\": \"X\", \"ts\": 1, \"dur\": 5}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (open_path (app, path) == page);
  g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);
  g_assert_cmpuint (pw_profile_get_n_spans (pw_document_page_get_profile (page)), ==, 1);

  g_unlink (path);
  stop_app (app);
}

static void
test_cancel_and_retry (void)
{
  PwApplication *app = start_app ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "catapult-big_trace.json", NULL);
  PwDocumentPage *page = open_path (app, path);
  GtkWidget *button;
  GtkWidget *status;

  /* No main loop iteration yet: the worker is running or its result is
   * still queued, either way unseen by the page. */
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADING);

  /* What the user presses, not the API behind it. */
  button = pw_test_find_widget (GTK_WIDGET (page), is_button_labelled, (gpointer) "_Cancel");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_CANCELLED);
  g_assert_false (pw_document_page_get_loading (page));

  /* The worker's late answer must not replace the cancelled state. */
  pw_test_iterate_for (500);
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_CANCELLED);
  g_assert_null (pw_document_page_get_profile (page));

  status = pw_test_find_widget (GTK_WIDGET (page), is_visible_status_page, (gpointer) "process-stop-symbolic");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Loading Cancelled");

  button = pw_test_find_widget (status, is_button_labelled, (gpointer) "_Retry");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (pw_document_page_get_loading (page));

  g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);

  stop_app (app);
}

static gboolean
all_tabs_loaded (gpointer data)
{
  AdwTabView *tab_view = data;

  for (int i = 0; i < adw_tab_view_get_n_pages (tab_view); i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (tab_view, i);

      if (pw_document_page_get_loading (PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab))))
        return FALSE;
    }

  return TRUE;
}

static void
test_demo (void)
{
  PwApplication *app = start_app ();
  AdwTabView *tab_view;
  const char *expected[] = { "pipeline-before.json", "pipeline-after.json" };
  PwDocumentPage *pages[2];
  PwProfile *profiles[2];

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-demo", NULL);
  tab_view = pw_window_get_tab_view (get_window (app));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);

  g_assert_true (pw_test_iterate_until (all_tabs_loaded, tab_view, PW_TEST_TIMEOUT_MS));

  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (tab_view, i);
      PwDocumentPage *page = PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab));
      PwProfile *profile = pw_document_page_get_profile (page);

      g_assert_cmpstr (adw_tab_page_get_title (tab), ==, expected[i]);
      g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);
      g_assert_nonnull (profile);
      g_assert_cmpuint (pw_profile_get_n_spans (profile), >, 0);

      /* The summary lists what the file says about itself. */
      {
        GHashTable *metadata = pw_profile_get_all_metadata (profile);
        GHashTableIter iter;
        gpointer key, value;

        g_assert_nonnull (metadata);
        g_assert_cmpuint (g_hash_table_size (metadata), >, 0);
        g_hash_table_iter_init (&iter, metadata);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            const char *key_value[] = { key, value };
            g_assert_nonnull (pw_test_find_widget (GTK_WIDGET (page), is_metadata_row, key_value));
          }
      }
    }

  /* Closing the tabs brings back the start page, and frees the profiles:
   * they can be hundreds of megabytes. */
  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (tab_view, i);
      PwDocumentPage *page = PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab));

      pages[i] = page;
      profiles[i] = pw_document_page_get_profile (page);
      g_object_add_weak_pointer (G_OBJECT (pages[i]), (gpointer *) &pages[i]);
      g_object_add_weak_pointer (G_OBJECT (profiles[i]), (gpointer *) &profiles[i]);
    }

  gtk_widget_activate_action (GTK_WIDGET (get_window (app)), "win.close-tab", NULL);
  gtk_widget_activate_action (GTK_WIDGET (get_window (app)), "win.close-tab", NULL);
  pw_test_iterate_for (100);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);
  for (int i = 0; i < 2; i++)
    {
      g_assert_null (pages[i]);
      g_assert_null (profiles[i]);
    }

  stop_app (app);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *target = find_drop_target (child);

      if (target != NULL)
        return target;
    }

  return NULL;
}

static gboolean
has_recent_row (gpointer data)
{
  return pw_test_find_widget (GTK_WIDGET (data), pw_test_is_row_titled, (gpointer) "catapult-simple_trace.json") != NULL;
}

static void
test_drop_files (void)
{
  PwApplication *app = start_app ();
  g_autofree char *path1 = g_test_build_filename (G_TEST_DIST, "data", "catapult-simple_trace.json", NULL);
  g_autofree char *path2 = g_test_build_filename (G_TEST_DIST, "data", "catapult-big_trace.json", NULL);
  g_autoptr(GFile) file1 = g_file_new_for_path (path1);
  g_autoptr(GFile) file2 = g_file_new_for_path (path2);
  GFile *files[] = { file1, file2 };
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target;
  AdwTabView *tab_view;
  gboolean accepted = FALSE;

  g_application_activate (G_APPLICATION (app));
  tab_view = pw_window_get_tab_view (get_window (app));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);

  target = find_drop_target (GTK_WIDGET (get_window (app)));
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, G_N_ELEMENTS (files)));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);

  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  g_assert_true (pw_test_iterate_until (all_tabs_loaded, tab_view, PW_TEST_TIMEOUT_MS));
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tab_view, 0)), ==,
                   "catapult-simple_trace.json");
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tab_view, 1)), ==,
                   "catapult-big_trace.json");

  /* Without tabs, the start page lists the files under "Recent". */
  while (adw_tab_view_get_n_pages (tab_view) > 0)
    gtk_widget_activate_action (GTK_WIDGET (get_window (app)), "win.close-tab", NULL);
  g_assert_true (pw_test_iterate_until (has_recent_row, get_window (app), 5000));

  stop_app (app);
}

static gboolean
has_toplevel_of_type (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }

  return FALSE;
}

static void
destroy_toplevels_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        g_ptr_array_add (doomed, window);
    }

  for (guint i = 0; i < doomed->len; i++)
    gtk_window_destroy (g_ptr_array_index (doomed, i));
}

static void
test_dialogs (void)
{
  PwApplication *app = start_app ();

  g_application_activate (G_APPLICATION (app));
  get_window (app);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (pw_test_iterate_until (has_toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 2000));
  destroy_toplevels_of_type (ADW_TYPE_ABOUT_WINDOW);

  /* A broken .ui file would abort here. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  g_assert_true (pw_test_iterate_until (has_toplevel_of_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 2000));
  destroy_toplevels_of_type (GTK_TYPE_SHORTCUTS_WINDOW);

  stop_app (app);
}

static void
test_window_state (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  PwApplication *app;
  int width, height;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the GSettings schema is not compiled in GSETTINGS_SCHEMA_DIR");
      return;
    }

  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 700);

  app = start_app ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (get_window (app)), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 700);

  /* Closing the window remembers its size for the next start. */
  gtk_window_set_default_size (GTK_WINDOW (get_window (app)), 1000, 650);
  gtk_window_close (GTK_WINDOW (get_window (app)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  stop_app (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("phasewise-test-app-XXXXXX", &error);
  g_assert_no_error (error);

  /* Recent files go to a throwaway place, not the user's list. */
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  the_app = pw_application_new ();
  /* A test must not hand its files to a running Phasewise. */
  g_application_set_flags (G_APPLICATION (the_app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (the_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/app/open-summary", test_open_summary);
  g_test_add_func ("/app/open-malformed", test_open_malformed);
  g_test_add_func ("/app/cancel-and-retry", test_cancel_and_retry);
  g_test_add_func ("/app/demo", test_demo);
  g_test_add_func ("/app/drop-files", test_drop_files);
  g_test_add_func ("/app/dialogs", test_dialogs);
  g_test_add_func ("/app/window-state", test_window_state);

  ret = g_test_run ();

  g_clear_object (&the_app);

  /* Whatever the recent manager wrote, then the folder. */
  {
    g_autofree char *recent = g_build_filename (tmp_dir, "recently-used.xbel", NULL);
    g_unlink (recent);
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return ret;
}
