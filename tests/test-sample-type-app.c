/* test-sample-type-app.c: the summary's top functions and sample type
 * choice, under a virtual display
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
#include "pw-window.h"

static char *tmp_dir;

/* Widget tree helpers: the test reads what a user would read. */

static gboolean
is_group_titled (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_PREFERENCES_GROUP (widget) &&
         gtk_widget_is_drawable (widget) &&
         g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

static gboolean
is_action_row (GtkWidget *widget,
               gpointer   data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_is_drawable (widget);
}

static gboolean
is_label_with_class (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, data);
}

static const char *
label_with_class (GtkWidget  *root,
                  const char *css_class)
{
  GtkWidget *label = pw_test_find_widget (root, is_label_with_class, (gpointer) css_class);

  return label != NULL ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

/* What the first row of the visible "Top Functions" group says, or
 * FALSE while there is none. */
typedef struct
{
  const char *name;
  const char *weight;       /* self weight */
  const char *share;        /* of the whole */
  const char *with_callees; /* caption */
} TopRow;

static gboolean
read_first_top_row (GtkWidget *root,
                    TopRow    *out)
{
  GtkWidget *group = pw_test_find_widget (root, is_group_titled, (gpointer) "Top Functions");
  GtkWidget *row;

  memset (out, 0, sizeof *out);
  if (group == NULL)
    return FALSE;
  if ((row = pw_test_find_widget (group, is_action_row, NULL)) == NULL)
    return FALSE;

  out->name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  out->weight = label_with_class (row, "pw-value");
  out->share = label_with_class (row, "pw-share");
  out->with_callees = label_with_class (row, "pw-total-share");

  return TRUE;
}

typedef struct
{
  PwDocumentPage *page;
  const char     *name;
  const char     *weight;
} TopExpectation;

static gboolean
first_top_row_is (gpointer data)
{
  TopExpectation *expected = data;
  TopRow row;

  return !pw_document_page_get_loading (expected->page) &&
         read_first_top_row (GTK_WIDGET (expected->page), &row) &&
         g_strcmp0 (row.name, expected->name) == 0 &&
         g_strcmp0 (row.weight, expected->weight) == 0;
}

static gboolean
has_top_row (gpointer data)
{
  TopRow row;

  return read_first_top_row (GTK_WIDGET (data), &row);
}

static gboolean
has_longest_spans (gpointer data)
{
  return pw_test_find_widget (GTK_WIDGET (data), is_group_titled, (gpointer) "Longest Spans") != NULL;
}

static AdwComboRow *
find_sample_type_row (PwDocumentPage *page)
{
  GtkWidget *row = pw_test_find_widget (GTK_WIDGET (page), pw_test_is_row_titled, (gpointer) "Sample Type");

  return row != NULL ? ADW_COMBO_ROW (row) : NULL;
}

static const char *
selected_sample_type (AdwComboRow *row)
{
  gpointer item = adw_combo_row_get_selected_item (row);

  g_assert_true (GTK_IS_STRING_OBJECT (item));
  return gtk_string_object_get_string (item);
}

/* As the combo row's popover does when the user picks an entry. */
static void
choose_sample_type (AdwComboRow *row,
                    const char  *type)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), type) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("no sample type %s in the list", type);
}

/* Fixtures: one application for the run, as in test-app.c */

static PwApplication *the_app;

static void
close_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (the_app))))
    gtk_window_destroy (windows->data);

  pw_test_iterate_for (50);
}

static PwWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (the_app));

  g_assert_true (PW_IS_WINDOW (window));
  return PW_WINDOW (window);
}

static PwDocumentPage *
open_and_wait (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *files[] = { file };
  PwDocumentPage *page;

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));

  g_application_open (G_APPLICATION (the_app), files, 1, "");
  page = pw_window_get_current_page (get_window ());
  g_assert_nonnull (page);

  g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);
  pw_test_iterate_for (50);

  return page;
}

/* Tests */

static void
test_pprof_sample_types (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "parca-alloc_objects.pb.gz", NULL);
  PwDocumentPage *page = open_and_wait (path);
  AdwTabView *tab_view = pw_window_get_tab_view (get_window ());
  AdwTabPage *tab = adw_tab_view_get_page (tab_view, GTK_WIDGET (page));
  PwProfile *first_profile = pw_document_page_get_profile (page);
  /* g_format_size() keeps number and unit together with a no-break space */
  TopExpectation expected = { page, "compress/flate.NewWriter", "29.9\u00a0GB" };
  AdwComboRow *types;
  TopRow row;

  /* alloc_space is the file's default sample type, and
   * compress/flate.NewWriter allocated 29.9 GB of it itself. */
  g_assert_true (pw_test_iterate_until (first_top_row_is, &expected, 5000));
  g_assert_true (read_first_top_row (GTK_WIDGET (page), &row));
  g_assert_cmpstr (row.share, ==, "25.8 %");
  g_assert_cmpstr (row.with_callees, ==, "44.6 % with callees");

  /* All four types of the file, the current one selected. */
  types = find_sample_type_row (page);
  g_assert_nonnull (types);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (types)), ==, 4);
  g_assert_cmpstr (selected_sample_type (types), ==, "alloc_space");

  /* Another type reads the file again in the same tab, with the usual
   * progress, and the summary shows the new weights. */
  choose_sample_type (types, "inuse_space");
  g_assert_true (pw_document_page_get_loading (page));
  g_assert_true (adw_tab_page_get_loading (tab));

  expected.weight = "1.8\u00a0MB";
  g_assert_true (pw_test_iterate_until (first_top_row_is, &expected, PW_TEST_TIMEOUT_MS));
  g_assert_true (adw_tab_view_get_page (tab_view, GTK_WIDGET (page)) == tab);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);
  g_assert_true (pw_document_page_get_profile (page) != first_profile);
  g_assert_cmpstr (pw_profile_get_sample_type (pw_document_page_get_profile (page)), ==, "inuse_space");

  /* Of 14 730 706 bytes in use, NewWriter holds 1 848 496 itself
   * (tests/data/SOURCES.md): 12.5 %. */
  g_assert_true (read_first_top_row (GTK_WIDGET (page), &row));
  g_assert_cmpstr (row.share, ==, "12.5 %");

  types = find_sample_type_row (page);
  g_assert_nonnull (types);
  g_assert_cmpstr (selected_sample_type (types), ==, "inuse_space");

  /* Reloading (F5) keeps the chosen type. */
  first_profile = pw_document_page_get_profile (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.reload", NULL));
  g_assert_true (pw_document_page_get_loading (page));
  g_assert_true (pw_test_iterate_until (first_top_row_is, &expected, PW_TEST_TIMEOUT_MS));
  g_assert_true (pw_document_page_get_profile (page) != first_profile);
  g_assert_cmpstr (selected_sample_type (find_sample_type_row (page)), ==, "inuse_space");

  close_windows ();
}

static void
test_perf_events (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "two-events.perf.txt", NULL);
  /* cycles first, so cycles is what the samples weigh until the user
   * picks the page faults. */
  const char *text =
    "app  7 [000] 1.000000:        100 cycles: \n"
    "\t     401000 hot (/bin/app)\n"
    "\t     402000 main (/bin/app)\n"
    "\n"
    "app  7 [000] 1.001000:          1 page-faults: \n"
    "\t     403000 faulty (/bin/app)\n"
    "\t     402000 main (/bin/app)\n"
    "\n"
    "app  7 [000] 1.002000:        300 cycles: \n"
    "\t     401000 hot (/bin/app)\n"
    "\t     402000 main (/bin/app)\n"
    "\n";
  g_autoptr(GError) error = NULL;
  PwDocumentPage *page;
  TopExpectation expected = { NULL, "hot", "2" };
  AdwComboRow *types;
  TopRow row;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  page = open_and_wait (path);
  expected.page = page;
  g_assert_true (pw_test_iterate_until (first_top_row_is, &expected, 5000));
  g_assert_true (read_first_top_row (GTK_WIDGET (page), &row));
  g_assert_cmpstr (row.share, ==, "100.0 %");

  types = find_sample_type_row (page);
  g_assert_nonnull (types);
  g_assert_cmpstr (selected_sample_type (types), ==, "cycles");

  choose_sample_type (types, "page-faults");
  expected.name = "faulty";
  expected.weight = "1";
  g_assert_true (pw_test_iterate_until (first_top_row_is, &expected, PW_TEST_TIMEOUT_MS));
  g_assert_cmpstr (selected_sample_type (find_sample_type_row (page)), ==, "page-faults");

  g_unlink (path);
  close_windows ();
}

static void
test_single_event_perf (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "flamegraph-perf-funcab-cmd-01.txt", NULL);
  PwDocumentPage *page = open_and_wait (path);
  TopRow row;

  /* One event: nothing to choose, but the functions are listed. */
  g_assert_null (pw_profile_get_sample_types (pw_document_page_get_profile (page)));
  g_assert_true (pw_test_iterate_until (has_top_row, page, 5000));
  g_assert_true (read_first_top_row (GTK_WIDGET (page), &row));
  /* 88 of the 169 samples end in func_b. */
  g_assert_cmpstr (row.name, ==, "func_b");
  g_assert_cmpstr (row.weight, ==, "88");
  g_assert_cmpstr (row.share, ==, "52.1 %");
  g_assert_null (find_sample_type_row (page));

  close_windows ();
}

static void
test_trace_without_samples (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "catapult-big_trace.json", NULL);
  PwDocumentPage *page = open_and_wait (path);

  /* Spans, no samples: no functions to rank, no type to choose; the
   * longest spans are there to show that the summary did fill in. */
  g_assert_true (pw_test_iterate_until (has_longest_spans, page, 5000));
  g_assert_null (pw_test_find_widget (GTK_WIDGET (page), is_group_titled, (gpointer) "Top Functions"));
  g_assert_null (find_sample_type_row (page));

  close_windows ();
}

static void
test_demo (void)
{
  AdwTabView *tab_view;

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "open-demo", NULL);
  tab_view = pw_window_get_tab_view (get_window ());
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);

  /* The bundled traces have spans only: nothing to choose. */
  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (tab_view, i);
      PwDocumentPage *page = PW_DOCUMENT_PAGE (adw_tab_page_get_child (tab));

      adw_tab_view_set_selected_page (tab_view, tab);
      g_assert_true (pw_test_iterate_until (pw_test_page_done_loading, page, PW_TEST_TIMEOUT_MS));
      g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);
      g_assert_true (pw_test_iterate_until (has_longest_spans, page, 5000));
      g_assert_null (pw_profile_get_sample_types (pw_document_page_get_profile (page)));
      g_assert_null (find_sample_type_row (page));
      g_assert_null (pw_test_find_widget (GTK_WIDGET (page), is_group_titled, (gpointer) "Top Functions"));
    }

  close_windows ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("phasewise-test-sample-type-XXXXXX", &error);
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

  g_test_add_func ("/sample-type/pprof", test_pprof_sample_types);
  g_test_add_func ("/sample-type/perf-events", test_perf_events);
  g_test_add_func ("/sample-type/single-event-perf", test_single_event_perf);
  g_test_add_func ("/sample-type/trace-without-samples", test_trace_without_samples);
  g_test_add_func ("/sample-type/demo", test_demo);

  ret = g_test_run ();

  g_clear_object (&the_app);

  {
    g_autofree char *recent = g_build_filename (tmp_dir, "recently-used.xbel", NULL);
    g_unlink (recent);
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return ret;
}
