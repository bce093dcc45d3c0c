/* test-phases-view.c: the phases view under a virtual display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "pw-app-test-util.h"
#include "pw-document-page.h"
#include "pw-importer.h"
#include "pw-phases-view.h"
#include "pw-timeline-view.h"

static gboolean
has_phases (gpointer data)
{
  return pw_phases_view_get_phases (data) != NULL;
}

static gboolean
has_one_phase (gpointer data)
{
  PwPhases *phases = pw_phases_view_get_phases (data);

  return phases != NULL && pw_phases_get_n_phases (phases) == 1;
}

static PwProfile *
load_demo (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                 "pipeline-after.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PwProfile *profile = pw_import_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return profile;
}

typedef struct
{
  gint64 start;
  gint64 end;
  guint  count;
} Activated;

static void
on_activated (PwPhasesView *view,
              gint64        start,
              gint64        end,
              Activated    *out)
{
  out->start = start;
  out->end = end;
  out->count++;
}

static void
test_demo (void)
{
  g_autoptr(PwProfile) profile = load_demo ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = pw_phases_view_new ();
  GtkColumnView *column_view;
  GtkSelectionModel *model;
  GtkDropDown *dropdown;
  PwPhase enrich = { 0 };
  PwPhases *phases;
  Activated activated = { 0 };
  guint position = GTK_INVALID_LIST_POSITION;

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (view, "phase-activated", G_CALLBACK (on_activated), &activated);

  pw_phases_view_set_profile (PW_PHASES_VIEW (view), profile);
  g_assert_true (pw_test_iterate_until (has_phases, view, PW_TEST_TIMEOUT_MS));
  phases = pw_phases_view_get_phases (PW_PHASES_VIEW (view));
  g_assert_cmpuint (pw_phases_get_n_phases (phases), ==, 6);

  /* the table lists them */
  column_view = GTK_COLUMN_VIEW (pw_test_find_child (view, GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (column_view);
  model = gtk_column_view_get_model (column_view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (column_view)), ==, 8);

  for (guint i = 0; i < pw_phases_get_n_phases (phases); i++)
    if (g_str_equal (pw_phases_get_phase (phases, i)->name, "enrich"))
      {
        enrich = *pw_phases_get_phase (phases, i);
        position = i;
      }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (enrich.max_concurrency, ==, 32);

  /* selecting a row selects its range in the timeline */
  gtk_selection_model_select_item (model, position, TRUE);
  g_assert_cmpuint (activated.count, ==, 1);
  g_assert_cmpint (activated.start, ==, enrich.start_ns);
  g_assert_cmpint (activated.end, ==, enrich.end_ns);

  /* another rule: the timeline's selection */
  pw_phases_view_set_range (PW_PHASES_VIEW (view), enrich.start_ns, enrich.end_ns);
  dropdown = GTK_DROP_DOWN (pw_test_find_child (view, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (dropdown, 5);
  g_assert_true (pw_test_iterate_until (has_one_phase, view, PW_TEST_TIMEOUT_MS));
  phases = pw_phases_view_get_phases (PW_PHASES_VIEW (view));
  g_assert_cmpuint (pw_phases_get_n_phases (phases), ==, 1);
  /* the range equal to enrich has enrich's task time */
  g_assert_cmpint (pw_phases_get_phase (phases, 0)->task_ns, ==, enrich.task_ns);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
page_loaded (gpointer data)
{
  return pw_document_page_get_state (data) != PW_DOCUMENT_STATE_LOADING &&
         pw_document_page_get_state (data) != PW_DOCUMENT_STATE_EMPTY;
}

static gboolean
timeline_ready (gpointer data)
{
  return pw_timeline_view_get_ready (data);
}

/* In a document page, clicking a phase shows its range in the timeline. */
typedef struct
{
  PwPhasesView *view;
  gint64        start;
  gint64        end;
} RangeWanted;

static gboolean
shows_range (gpointer data)
{
  RangeWanted *wanted = data;
  PwPhases *phases = pw_phases_view_get_phases (wanted->view);
  const PwPhase *phase;

  if (phases == NULL || pw_phases_get_n_phases (phases) != 1)
    return FALSE;
  phase = pw_phases_get_phase (phases, 0);
  return phase->start_ns == wanted->start && phase->end_ns == wanted->end;
}

static void
test_document_page (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                 "pipeline-after.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *window = gtk_window_new ();
  PwDocumentPage *page = pw_document_page_new (file);
  AdwViewStack *stack;
  GtkWidget *view;
  GtkWidget *timeline;
  GtkSelectionModel *model;
  PwPhases *phases;
  gint64 begin = 0, end = 0;
  gint64 enrich_start = -1, enrich_end = -1;
  guint position = 0;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  pw_document_page_load (page);
  g_assert_true (pw_test_iterate_until (page_loaded, page, PW_TEST_TIMEOUT_MS));
  g_assert_cmpint (pw_document_page_get_state (page), ==, PW_DOCUMENT_STATE_LOADED);

  stack = pw_document_page_get_view_stack (page);
  view = adw_view_stack_get_child_by_name (stack, "phases");
  timeline = adw_view_stack_get_child_by_name (stack, "timeline");
  g_assert_true (PW_IS_PHASES_VIEW (view));
  g_assert_true (PW_IS_TIMELINE_VIEW (timeline));
  adw_view_stack_set_visible_child_name (stack, "phases");
  g_assert_true (pw_test_iterate_until (has_phases, view, PW_TEST_TIMEOUT_MS));
  g_assert_true (pw_test_iterate_until (timeline_ready, timeline, PW_TEST_TIMEOUT_MS));

  phases = pw_phases_view_get_phases (PW_PHASES_VIEW (view));
  for (guint i = 0; i < pw_phases_get_n_phases (phases); i++)
    if (g_str_equal (pw_phases_get_phase (phases, i)->name, "enrich"))
      {
        enrich_start = pw_phases_get_phase (phases, i)->start_ns;
        enrich_end = pw_phases_get_phase (phases, i)->end_ns;
        position = i;
      }
  g_assert_cmpint (enrich_start, >=, 0);

  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (pw_test_find_child (view, GTK_TYPE_COLUMN_VIEW)));
  gtk_selection_model_select_item (model, position, TRUE);
  pw_timeline_view_get_visible_range (PW_TIMELINE_VIEW (timeline), &begin, &end);
  g_assert_cmpint (begin, <=, enrich_start);
  g_assert_cmpint (end, >=, enrich_end);
  g_assert_cmpint (end - begin, <, 2 * (enrich_end - enrich_start));

  /* The "timeline selection" rule follows the timeline: a range selected
   * there (here the first half of enrich) becomes the one phase, and a
   * new selection replaces it. */
  {
    GtkDropDown *dropdown = GTK_DROP_DOWN (pw_test_find_child (view, GTK_TYPE_DROP_DOWN));
    gint64 half = enrich_start + (enrich_end - enrich_start) / 2;
    RangeWanted wanted = { PW_PHASES_VIEW (view), enrich_start, half };

    gtk_drop_down_set_selected (dropdown, 5);
    pw_timeline_view_select_range (PW_TIMELINE_VIEW (timeline), enrich_start, half);
    g_assert_true (pw_test_iterate_until (shows_range, &wanted, PW_TEST_TIMEOUT_MS));

    wanted.start = half;
    wanted.end = enrich_end;
    pw_timeline_view_select_range (PW_TIMELINE_VIEW (timeline), half, enrich_end);
    g_assert_true (pw_test_iterate_until (shows_range, &wanted, PW_TEST_TIMEOUT_MS));
    g_assert_cmpuint (pw_phases_get_n_phases (pw_phases_view_get_phases (PW_PHASES_VIEW (view))), ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/phases-view/demo", test_demo);
  g_test_add_func ("/phases-view/document-page", test_document_page);

  return g_test_run ();
}
