/* pw-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pw-application.h"
#include "pw-window.h"

struct _PwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (PwApplication, pw_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the bundled demo profiles"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

static PwWindow *
get_or_create_window (PwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (PW_IS_WINDOW (window))
    return PW_WINDOW (window);

  return pw_window_new (self);
}

static void
pw_application_activate (GApplication *app)
{
  PwApplication *self = PW_APPLICATION (app);
  PwWindow *window = get_or_create_window (self);
  const char *debug_show = g_getenv ("PHASEWISE_DEBUG_SHOW");

  gtk_window_present (GTK_WINDOW (window));

  /* Lets screenshots and manual checks reach a dialog without input. */
  if (debug_show != NULL && debug_show[0] != '\0')
    g_action_group_activate_action (G_ACTION_GROUP (self), debug_show, NULL);
}

static void
pw_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  PwApplication *self = PW_APPLICATION (app);
  PwWindow *window = get_or_create_window (self);

  for (int i = 0; i < n_files; i++)
    pw_window_open_file (window, files[i]);

  gtk_window_present (GTK_WINDOW (window));
}

static int
pw_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      /* Runs in the primary instance, wherever that is. */
      g_action_group_activate_action (G_ACTION_GROUP (app), "open-demo", NULL);

      if (g_application_get_is_remote (app))
        return 0;
    }

  return G_APPLICATION_CLASS (pw_application_parent_class)->handle_local_options (app, options);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  PwApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows saves their state, unlike g_application_quit(). */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PwApplication *self = user_data;
  static const char *developers[] = {
    "The Phasewise developers",
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-icon", APP_ID,
                        "application-name", _("Phasewise"),
                        "developer-name", _("The Phasewise developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_WEBSITE "/issues",
                        "comments", _("Explore where the time of a program went, "
                                      "phase by phase, and what an optimization changed."),
                        "copyright", _("© 2026 The Phasewise developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  PwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  builder = gtk_builder_new_from_resource ("/io/github/phasewise/Phasewise/pw-shortcuts-window.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  PwApplication *self = user_data;
  PwWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  pw_window_choose_files (window);
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  PwApplication *self = user_data;
  PwWindow *window = get_or_create_window (self);

  pw_window_open_demo (window);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "open", open_action },
  { "open-demo", open_demo_action },
};

static void
pw_application_startup (GApplication *app)
{
  PwApplication *self = PW_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *close_tab_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (pw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.close-tab", close_tab_accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
pw_application_class_init (PwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pw_application_activate;
  app_class->open = pw_application_open;
  app_class->startup = pw_application_startup;
  app_class->handle_local_options = pw_application_handle_local_options;
}

static void
pw_application_init (PwApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
}

PwApplication *
pw_application_new (void)
{
  return g_object_new (PW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/phasewise/Phasewise",
                       NULL);
}
