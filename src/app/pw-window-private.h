/* pw-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-window.h"

G_BEGIN_DECLS

struct _PwWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkRecentManager     *recent_manager;
  GtkFileChooserNative *chooser;
  PwDocumentPage       *switcher_page;
  /* The tab whose context menu is open; else actions act on the selected one. */
  AdwTabPage           *menu_page;

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
  AdwTabBar            *tab_bar;
  AdwTabView           *tab_view;
};

void _pw_window_class_actions_init (PwWindowClass *klass);
void _pw_window_actions_update     (PwWindow      *self);
AdwTabPage *_pw_window_get_action_page (PwWindow   *self);

G_END_DECLS
