/* pw-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "pw-window-private.h"

AdwTabPage *
_pw_window_get_action_page (PwWindow *self)
{
  if (self->menu_page != NULL)
    return self->menu_page;

  return adw_tab_view_get_selected_page (self->tab_view);
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PwWindow *self = PW_WINDOW (widget);
  AdwTabPage *page = _pw_window_get_action_page (self);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PwWindow *self = PW_WINDOW (widget);
  AdwTabPage *page = _pw_window_get_action_page (self);

  if (page != NULL)
    pw_document_page_load (PW_DOCUMENT_PAGE (adw_tab_page_get_child (page)));
}

/* Ctrl+1…3, the views by name (Alt+1…9 are the tabs), as Files switches
 * its views. */
static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PwWindow *self = PW_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);
  AdwViewStack *stack;
  const char *name = g_variant_get_string (param, NULL);

  if (page == NULL)
    return;
  stack = pw_document_page_get_view_stack (PW_DOCUMENT_PAGE (adw_tab_page_get_child (page)));
  if (stack != NULL && adw_view_stack_get_child_by_name (stack, name) != NULL)
    adw_view_stack_set_visible_child_name (stack, name);
}

void
_pw_window_class_actions_init (PwWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.show-view", "s", "summary");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.show-view", "s", "timeline");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.show-view", "s", "phases");
}

void
_pw_window_actions_update (PwWindow *self)
{
  gboolean has_page = adw_tab_view_get_selected_page (self->tab_view) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-view", has_page);
}
