/* pw-document-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-document-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pw-loader.h"

#include "pw-document-page.h"
#include "pw-phases-view.h"
#include "pw-summary-view.h"
#include "pw-timeline-view.h"

struct _PwDocumentPage
{
  GtkWidget        parent_instance;

  GFile           *file;
  char            *title;
  PwProfile       *profile;
  PwLoader        *loader;
  GCancellable    *cancellable;
  GBinding        *fraction_binding;
  GBinding        *message_binding;
  char            *error_message;
  PwDocumentState  state;
  /* Import options every load of this page passes on, key -> value:
   * what the user chose stays chosen on F5 or Try Again. */
  GHashTable      *options;

  /* Template widgets */
  GtkStack        *stack;
  GtkLabel        *loading_title;
  GtkProgressBar  *progress_bar;
  GtkLabel        *progress_message;
  AdwStatusPage   *error_page;
  AdwStatusPage   *cancelled_page;
  AdwViewStack    *view_stack;
  PwSummaryView   *summary_view;
};

enum {
  PROP_0,
  PROP_FILE,
  PROP_TITLE,
  PROP_PROFILE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PwDocumentPage, pw_document_page, GTK_TYPE_WIDGET)

static const char * const state_names[] = {
  [PW_DOCUMENT_STATE_EMPTY] = "empty",
  [PW_DOCUMENT_STATE_LOADING] = "loading",
  [PW_DOCUMENT_STATE_ERROR] = "error",
  [PW_DOCUMENT_STATE_CANCELLED] = "cancelled",
  [PW_DOCUMENT_STATE_LOADED] = "loaded",
};

static void
set_state (PwDocumentPage  *self,
           PwDocumentState  state)
{
  gboolean was_loading = self->state == PW_DOCUMENT_STATE_LOADING;

  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, state_names[state]);

  if (was_loading != (state == PW_DOCUMENT_STATE_LOADING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
release_loader (PwDocumentPage *self)
{
  /* The bindings live as long as the loader, which the task may keep. */
  if (self->fraction_binding != NULL)
    g_binding_unbind (self->fraction_binding);
  if (self->message_binding != NULL)
    g_binding_unbind (self->message_binding);
  self->fraction_binding = NULL;
  self->message_binding = NULL;
  g_clear_object (&self->loader);
  g_clear_object (&self->cancellable);
}

static void
set_profile (PwDocumentPage *self,
             PwProfile      *profile)
{
  if (g_set_object (&self->profile, profile))
    {
      pw_summary_view_set_profile (self->summary_view, profile);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
}

static void
show_error (PwDocumentPage *self,
            const GError   *error)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);

  /* Translators: %s is a file name */
  title = g_strdup_printf (_("Could not open %s"), self->title);
  description = g_markup_escape_text (error->message, -1);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);

  set_state (self, PW_DOCUMENT_STATE_ERROR);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PwLoader *loader = PW_LOADER (object);
  g_autoptr(PwDocumentPage) self = user_data;
  g_autoptr(PwProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = pw_loader_load_finish (loader, result, &error);

  /* Cancelled by the user, superseded by a reload, or the tab is gone. */
  if (loader != self->loader)
    return;

  release_loader (self);

  if (profile != NULL)
    {
      set_profile (self, profile);
      set_state (self, PW_DOCUMENT_STATE_LOADED);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, PW_DOCUMENT_STATE_CANCELLED);
    }
  else
    {
      show_error (self, error);
    }
}

void
pw_document_page_load (PwDocumentPage *self)
{
  g_autofree char *loading = NULL;

  g_return_if_fail (PW_IS_DOCUMENT_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  release_loader (self);
  g_clear_pointer (&self->error_message, g_free);

  self->cancellable = g_cancellable_new ();
  self->loader = pw_loader_new (self->file);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->options);
    while (g_hash_table_iter_next (&iter, &key, &value))
      pw_loader_set_option (self->loader, key, value);
  }

  /* Translators: %s is a file name */
  loading = g_strdup_printf (_("Opening %s…"), self->title);
  gtk_label_set_label (self->loading_title, loading);
  self->fraction_binding = g_object_bind_property (self->loader, "fraction",
                                                   self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  self->message_binding = g_object_bind_property (self->loader, "message",
                                                  self->progress_message, "label",
                                                  G_BINDING_SYNC_CREATE);

  set_state (self, PW_DOCUMENT_STATE_LOADING);

  pw_loader_load_async (self->loader, self->cancellable, load_cb, g_object_ref (self));
}

void
pw_document_page_reload_with_option (PwDocumentPage *self,
                                     const char     *key,
                                     const char     *value)
{
  g_return_if_fail (PW_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (key != NULL);

  if (value != NULL)
    g_hash_table_insert (self->options, g_strdup (key), g_strdup (value));
  else
    g_hash_table_remove (self->options, key);

  pw_document_page_load (self);
}

const char *
pw_document_page_get_option (PwDocumentPage *self,
                             const char     *key)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->options, key);
}

/* Views inside the page ask for another sample type with this action,
 * without knowing the page. */
static void
sample_type_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PwDocumentPage *self = PW_DOCUMENT_PAGE (widget);

  pw_document_page_reload_with_option (self, PW_IMPORT_OPTION_SAMPLE_TYPE,
                                       g_variant_get_string (parameter, NULL));
}

void
pw_document_page_cancel (PwDocumentPage *self)
{
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (PW_IS_DOCUMENT_PAGE (self));

  if (self->state != PW_DOCUMENT_STATE_LOADING)
    return;

  /* The worker stops at its next read; the tab need not wait for it. */
  g_cancellable_cancel (self->cancellable);
  release_loader (self);

  /* Status page descriptions are markup; file names are not. */
  escaped = g_markup_escape_text (self->title, -1);
  /* Translators: %s is a file name */
  description = g_strdup_printf (_("%s was not opened."), escaped);
  adw_status_page_set_description (self->cancelled_page, description);

  set_state (self, PW_DOCUMENT_STATE_CANCELLED);
}

static void
on_cancel_clicked (PwDocumentPage *self)
{
  pw_document_page_cancel (self);
}

static void
on_retry_clicked (PwDocumentPage *self)
{
  pw_document_page_load (self);
}

static void
pw_document_page_dispose (GObject *object)
{
  PwDocumentPage *self = (PwDocumentPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  release_loader (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_DOCUMENT_PAGE);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (pw_document_page_parent_class)->dispose (object);
}

static void
pw_document_page_finalize (GObject *object)
{
  PwDocumentPage *self = (PwDocumentPage *)object;

  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->error_message);
  g_hash_table_unref (self->options);

  G_OBJECT_CLASS (pw_document_page_parent_class)->finalize (object);
}

static void
pw_document_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwDocumentPage *self = PW_DOCUMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, pw_document_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_document_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwDocumentPage *self = PW_DOCUMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      if (self->file != NULL)
        {
          self->title = g_file_get_basename (self->file);
          if (self->title == NULL || self->title[0] == '\0')
            {
              g_free (self->title);
              self->title = g_file_get_parse_name (self->file);
            }
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_document_page_class_init (PwDocumentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_document_page_dispose;
  object_class->finalize = pw_document_page_finalize;
  object_class->get_property = pw_document_page_get_property;
  object_class->set_property = pw_document_page_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, PW_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_SUMMARY_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/phasewise/Phasewise/pw-document-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, loading_title);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, progress_message);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, cancelled_page);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PwDocumentPage, summary_view);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);

  gtk_widget_class_install_action (widget_class, "page.sample-type", "s", sample_type_action);
}

/* A phase clicked in the phases view: the timeline selects its range. */
static void
on_phase_activated (PwDocumentPage *self,
                    gint64          start_ns,
                    gint64          end_ns)
{
  GtkWidget *timeline = adw_view_stack_get_child_by_name (self->view_stack, "timeline");
  gint64 margin = (end_ns - start_ns) / 20;

  if (!PW_IS_TIMELINE_VIEW (timeline))
    return;
  pw_timeline_view_select_range (PW_TIMELINE_VIEW (timeline), start_ns, end_ns);
  pw_timeline_view_set_visible_range (PW_TIMELINE_VIEW (timeline),
                                      MAX (0, start_ns - margin), end_ns + margin);
}

static void
pw_document_page_init (PwDocumentPage *self)
{
  self->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* More views of a loaded profile go here, after the summary, with
   * pw_document_page_add_view(): they are GtkWidgets with a "profile"
   * property, which the page keeps up to date. */
  {
    GtkWidget *timeline = pw_timeline_view_new ();
    GtkWidget *phases = pw_phases_view_new ();

    pw_document_page_add_view (self, timeline, "timeline", _("Timeline"),
                               "format-justify-left-symbolic");
    pw_document_page_add_view (self, phases, "phases", _("Phases"), "view-list-bullet-symbolic");
    g_signal_connect_object (phases, "phase-activated", G_CALLBACK (on_phase_activated),
                             self, G_CONNECT_SWAPPED);
    /* the phases view's "Timeline selection" rule follows it */
    g_signal_connect_object (timeline, "range-changed", G_CALLBACK (pw_phases_view_set_range),
                             phases, G_CONNECT_SWAPPED);
  }
}

PwDocumentPage *
pw_document_page_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (PW_TYPE_DOCUMENT_PAGE,
                       "file", file,
                       NULL);
}

GFile *
pw_document_page_get_file (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  return self->file;
}

const char *
pw_document_page_get_title (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  return self->title;
}

PwProfile *
pw_document_page_get_profile (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  return self->profile;
}

gboolean
pw_document_page_get_loading (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), FALSE);
  return self->state == PW_DOCUMENT_STATE_LOADING;
}

PwDocumentState
pw_document_page_get_state (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), PW_DOCUMENT_STATE_EMPTY);
  return self->state;
}

const char *
pw_document_page_get_error_message (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  return self->error_message;
}

AdwViewStack *
pw_document_page_get_view_stack (PwDocumentPage *self)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  return self->view_stack;
}

AdwViewStackPage *
pw_document_page_add_view (PwDocumentPage *self,
                           GtkWidget      *view,
                           const char     *name,
                           const char     *title,
                           const char     *icon_name)
{
  g_return_val_if_fail (PW_IS_DOCUMENT_PAGE (self), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* Views with a "profile" property follow the page's profile. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (view), "profile") != NULL)
    g_object_bind_property (self, "profile", view, "profile", G_BINDING_SYNC_CREATE);

  return adw_view_stack_add_titled_with_icon (self->view_stack, view, name, title, icon_name);
}
