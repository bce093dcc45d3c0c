/* pw-app-test-util.h: main loop and widget tree helpers for the tests
 * that run the app's widgets under a virtual display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pw-document-page.h"

G_BEGIN_DECLS

/* Loads and layouts run on workers: generous for a loaded CI machine. */
#define PW_TEST_TIMEOUT_MS 20000

typedef gboolean (*PwTestCondition) (gpointer data);
typedef gboolean (*PwTestWidgetMatch) (GtkWidget *widget,
                                       gpointer   data);

static inline gboolean
pw_test_wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until condition holds or timeout_ms pass; a timer
 * wakes the loop, so a condition that no event changes is seen too. */
static inline gboolean
pw_test_iterate_until (PwTestCondition condition,
                       gpointer        data,
                       guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake_source = g_timeout_add (20, pw_test_wake_up, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_source);
  return met;
}

static inline gboolean
pw_test_never (gpointer data)
{
  return FALSE;
}

static inline void
pw_test_iterate_for (guint ms)
{
  pw_test_iterate_until (pw_test_never, NULL, ms);
}

/* Depth-first: root itself, then its descendants. */
static inline GtkWidget *
pw_test_find_widget (GtkWidget         *root,
                     PwTestWidgetMatch  match,
                     gpointer           data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pw_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline gboolean
pw_test_is_of_type (GtkWidget *widget,
                    gpointer   data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (data));
}

/* The first descendant of a type, not widget itself. */
static inline GtkWidget *
pw_test_find_child (GtkWidget *widget,
                    GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pw_test_find_widget (child, pw_test_is_of_type, GSIZE_TO_POINTER (type));

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A preferences row a user sees, by its title. */
static inline gboolean
pw_test_is_row_titled (GtkWidget *widget,
                       gpointer   data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         gtk_widget_is_drawable (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static inline gboolean
pw_test_page_done_loading (gpointer data)
{
  return !pw_document_page_get_loading (PW_DOCUMENT_PAGE (data));
}

G_END_DECLS
