/* pw-summary-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-summary-view"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "pw-call-tree.h"
#include "pw-summary.h"
#include "pw-units.h"

#include "pw-summary-view.h"

#define N_LONGEST   10
#define N_TOP_FUNCTIONS 10
#define MAX_WARNING_ROWS 20
#define MAX_METADATA_ROWS 50

struct _PwSummaryView
{
  GtkWidget            parent_instance;

  PwProfile           *profile;
  /* Rows made for the current profile, removed when it changes. */
  GPtrArray           *warning_rows;
  GPtrArray           *longest_rows;
  GPtrArray           *top_rows;
  GPtrArray           *metadata_rows;
  /* The workers' scans of the current profile. */
  GCancellable        *cancellable;
  /* Set while the sample type row follows a new profile, so that its
   * selection is not taken for the user's. */
  gboolean             updating_sample_types;

  /* Template widgets */
  GtkScrolledWindow   *scroller;
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  AdwPreferencesGroup *warnings_group;
  AdwPreferencesGroup *longest_group;
  AdwPreferencesGroup *top_group;
  AdwComboRow         *sample_type_row;
  AdwPreferencesGroup *metadata_group;
  AdwExpanderRow      *metadata_row;
  GtkLabel            *format_label;
  GtkLabel            *duration_label;
  GtkLabel            *cpu_label;
  GtkWidget           *cpu_row;
  GtkLabel            *processes_label;
  GtkLabel            *threads_label;
  GtkLabel            *lanes_label;
  GtkLabel            *spans_label;
  GtkLabel            *samples_label;
  GtkWidget           *samples_row;
  GtkLabel            *instants_label;
  GtkWidget           *instants_row;
  GtkLabel            *counters_label;
  GtkWidget           *counters_row;
  GtkLabel            *flows_label;
  GtkWidget           *flows_row;
};

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PwSummaryView, pw_summary_view, GTK_TYPE_WIDGET)

static void
set_count (GtkLabel *label,
           guint64   count)
{
  g_autofree char *text = pw_format_count (count);
  gtk_label_set_label (label, text);
}

/* Rows that would only say 0 are hidden: not every format has them. */
static void
set_optional_count (GtkWidget *row,
                    GtkLabel  *label,
                    guint64    count)
{
  set_count (label, count);
  gtk_widget_set_visible (row, count > 0);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Names come from the file: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void
update_warnings (PwSummaryView *self)
{
  const char * const *warnings = pw_profile_get_warnings (self->profile);
  guint n = warnings ? g_strv_length ((char **) warnings) : 0;

  for (guint i = 0; i < n && i < MAX_WARNING_ROWS; i++)
    {
      GtkWidget *row = new_row (warnings[i], NULL);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->warnings_group, row);
      g_ptr_array_add (self->warning_rows, row);
    }

  if (n > MAX_WARNING_ROWS)
    {
      g_autofree char *more = NULL;
      GtkWidget *row;

      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u more warning",
                                           "%u more warnings",
                                           n - MAX_WARNING_ROWS),
                              n - MAX_WARNING_ROWS);
      row = new_row (more, NULL);
      adw_preferences_group_add (self->warnings_group, row);
      g_ptr_array_add (self->warning_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), n > 0);
}

static void
clear_metadata (PwSummaryView *self)
{
  for (guint i = 0; i < self->metadata_rows->len; i++)
    adw_expander_row_remove (self->metadata_row, g_ptr_array_index (self->metadata_rows, i));
  g_ptr_array_set_size (self->metadata_rows, 0);
}

static void
update_metadata (PwSummaryView *self)
{
  GHashTable *metadata = pw_profile_get_all_metadata (self->profile);
  g_autofree const char **keys = NULL;
  g_autofree char *count = NULL;
  guint n_keys = 0;

  if (metadata != NULL)
    keys = (const char **) g_hash_table_get_keys_as_array (metadata, &n_keys);

  gtk_widget_set_visible (GTK_WIDGET (self->metadata_group), n_keys > 0);
  if (n_keys == 0)
    return;

  qsort (keys, n_keys, sizeof (char *), compare_strings);

  for (guint i = 0; i < n_keys && i < MAX_METADATA_ROWS; i++)
    {
      const char *value = g_hash_table_lookup (metadata, keys[i]);
      GtkWidget *row = new_row (keys[i], value);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      adw_expander_row_add_row (self->metadata_row, row);
      g_ptr_array_add (self->metadata_rows, row);
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n_keys), n_keys);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->metadata_row), count);
}

static void
fill_longest (PwSummaryView *self,
              GArray        *longest)
{
  for (guint i = 0; i < longest->len; i++)
    {
      const PwSpanRef *ref = &g_array_index (longest, PwSpanRef, i);
      const PwLane *lane = pw_profile_get_lane (self->profile, ref->lane);
      const char *name = pw_profile_get_string (self->profile, lane->span_name[ref->span]);
      g_autofree char *lane_name = pw_lane_describe (self->profile, lane);
      g_autofree char *wall = pw_format_duration (lane->span_dur[ref->span]);
      g_autofree char *start = NULL;
      g_autofree char *where = NULL;
      GtkWidget *row;
      GtkWidget *box;
      GtkWidget *wall_label;

      start = pw_format_duration (lane->span_start[ref->span]);
      /* Translators: where a span ran, then when it started:
       * "docpipe › main (4317) · at 1.20 s" */
      where = g_strdup_printf (_("%s · at %s"), lane_name, start);
      row = new_row (name[0] ? name : _("(unnamed)"), where);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      wall_label = gtk_label_new (wall);
      gtk_label_set_xalign (GTK_LABEL (wall_label), 1.0);
      gtk_widget_add_css_class (wall_label, "numeric");
      gtk_widget_add_css_class (wall_label, "heading");
      gtk_widget_add_css_class (wall_label, "pw-value");
      gtk_box_append (GTK_BOX (box), wall_label);

      /* When the format has no CPU time at all, the Run group says so once. */
      if (pw_profile_has_cpu_time (self->profile))
        {
          g_autofree char *cpu = NULL;
          GtkWidget *cpu_label;

          if (lane->span_cpu[ref->span] >= 0)
            {
              g_autofree char *cpu_time = pw_format_duration (lane->span_cpu[ref->span]);
              /* Translators: %s is a duration such as "12.3 ms" */
              cpu = g_strdup_printf (_("CPU %s"), cpu_time);
            }
          else
            {
              cpu = g_strdup (_("CPU unknown"));
            }

          cpu_label = gtk_label_new (cpu);
          gtk_label_set_xalign (GTK_LABEL (cpu_label), 1.0);
          gtk_widget_add_css_class (cpu_label, "numeric");
          gtk_widget_add_css_class (cpu_label, "caption");
          gtk_widget_add_css_class (cpu_label, "dim-label");
          gtk_box_append (GTK_BOX (box), cpu_label);
        }

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

      adw_preferences_group_add (self->longest_group, row);
      g_ptr_array_add (self->longest_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->longest_group), longest->len > 0);
}

static void
longest_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PwProfile *profile = task_data;

  g_task_return_pointer (task,
                         pw_summary_longest_spans (profile, N_LONGEST),
                         (GDestroyNotify) g_array_unref);
}

static void
longest_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PwSummaryView *self = PW_SUMMARY_VIEW (object);
  g_autoptr(GArray) longest = g_task_propagate_pointer (G_TASK (result), NULL);

  /* NULL when cancelled: the profile changed or the view went away. */
  if (longest != NULL && g_task_get_task_data (G_TASK (result)) == self->profile)
    fill_longest (self, longest);
}

/* A scan of every span: on a worker, since a profile may hold millions. */
static void
update_longest (PwSummaryView *self)
{
  g_autoptr(GTask) task = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->longest_group), FALSE);

  task = g_task_new (self, self->cancellable, longest_cb, NULL);
  g_task_set_source_tag (task, update_longest);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, g_object_ref (self->profile), g_object_unref);
  g_task_run_in_thread (task, longest_worker);
}

typedef struct
{
  GArray *frames;   /* PwFrameTotals */
  gint64  total;
} TopFunctions;

static void
top_functions_free (gpointer data)
{
  TopFunctions *top = data;

  g_clear_pointer (&top->frames, g_array_unref);
  g_free (top);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopFunctions, top_functions_free)

static char *
format_share (gint64 part,
              gint64 total)
{
  double share = total > 0 ? 100.0 * (double) part / (double) total : 0.0;

  /* "0.0 %" would say none */
  if (part > 0 && share < 0.05)
    return g_strdup (_("< 0.1 %"));

  /* Translators: a share of the profile's whole weight: "25.8 %" */
  return g_strdup_printf (_("%.1f %%"), share);
}

static GtkWidget *
new_value_label (const char *text,
                 const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);

  return label;
}

static gboolean
is_row_title (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title");
}

static GtkWidget *
find_row_title (GtkWidget *widget)
{
  if (is_row_title (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_title (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The whole name, when the row had to cut it short. */
static gboolean
on_top_row_query_tooltip (GtkWidget  *row,
                          int         x,
                          int         y,
                          gboolean    keyboard,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  GtkWidget *title = find_row_title (row);

  if (title != NULL && !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))))
    return FALSE;

  gtk_tooltip_set_text (tooltip, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return TRUE;
}

static void
fill_top_functions (PwSummaryView *self,
                    TopFunctions  *top)
{
  const char *unit = pw_profile_get_sample_unit (self->profile);
  g_autofree char *total_text = pw_format_weight (top->total, unit);
  /* The unit comes from the file; group descriptions are markup. */
  g_autofree char *total_markup = g_markup_escape_text (total_text, -1);
  g_autofree char *description = NULL;
  guint n_rows = 0;

  /* Translators: %s is the weight of all samples, such as "116.0 GB" or "3.62 s" */
  description = g_strdup_printf (_("The weight of the samples taken in each function’s own code, "
                                   "and its share of all %s. Below, its share with the "
                                   "functions it calls."),
                                 total_markup);
  adw_preferences_group_set_description (self->top_group, description);

  for (guint i = 0; i < top->frames->len; i++)
    {
      const PwFrameTotals *frame = &g_array_index (top->frames, PwFrameTotals, i);
      const char *name = pw_profile_get_string (self->profile, frame->name);
      g_autofree char *self_text = pw_format_weight (frame->self, unit);
      g_autofree char *self_share = format_share (frame->self, top->total);
      g_autofree char *total_share = format_share (frame->total, top->total);
      g_autofree char *with_callees = NULL;
      GtkWidget *row;
      GtkWidget *box;
      GtkWidget *line;
      GtkWidget *label;
      GtkWidget *title;

      /* Only callers, when fewer functions than rows were sampled. */
      if (frame->self == 0)
        continue;

      row = new_row (name[0] ? name : _("(unnamed)"), NULL);
      /* Long names (a Go package path, a C++ template) end on two lines;
       * the tooltip has all of it. */
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      if ((title = find_row_title (row)) != NULL)
        {
          /* A hyphen where an identifier breaks would read as a minus. */
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
          gtk_label_set_attributes (GTK_LABEL (title), attrs);
          pango_attr_list_unref (attrs);
        }
      gtk_widget_set_has_tooltip (row, TRUE);
      g_signal_connect (row, "query-tooltip", G_CALLBACK (on_top_row_query_tooltip), NULL);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

      line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_set_halign (line, GTK_ALIGN_END);
      label = new_value_label (self_text, "heading");
      gtk_widget_add_css_class (label, "pw-value");
      gtk_box_append (GTK_BOX (line), label);
      label = new_value_label (self_share, "pw-share");
      /* "100.0 %": the weights above each other line up */
      gtk_label_set_width_chars (GTK_LABEL (label), 7);
      gtk_box_append (GTK_BOX (line), label);
      gtk_box_append (GTK_BOX (box), line);

      /* Translators: %s is a share such as "44.6 %" */
      with_callees = g_strdup_printf (_("%s with callees"), total_share);
      label = new_value_label (with_callees, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "pw-total-share");
      gtk_box_append (GTK_BOX (box), label);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

      adw_preferences_group_add (self->top_group, row);
      g_ptr_array_add (self->top_rows, row);
      n_rows++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->top_group), n_rows > 0);
}

static void
top_functions_worker (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PwProfile *profile = task_data;
  TopFunctions *top = g_new0 (TopFunctions, 1);

  top->frames = pw_summary_top_functions (profile, N_TOP_FUNCTIONS, &top->total);
  g_task_return_pointer (task, top, top_functions_free);
}

static void
top_functions_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PwSummaryView *self = PW_SUMMARY_VIEW (object);
  g_autoptr(TopFunctions) top = g_task_propagate_pointer (G_TASK (result), NULL);

  if (top != NULL && g_task_get_task_data (G_TASK (result)) == self->profile)
    fill_top_functions (self, top);
}

/* Adds up every sample's stack: on a worker, like the longest spans. */
static void
update_top_functions (PwSummaryView *self)
{
  g_autoptr(GTask) task = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->top_group), FALSE);
  if (pw_profile_get_n_samples (self->profile) == 0)
    return;

  task = g_task_new (self, self->cancellable, top_functions_cb, NULL);
  g_task_set_source_tag (task, update_top_functions);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, g_object_ref (self->profile), g_object_unref);
  g_task_run_in_thread (task, top_functions_worker);
}

static void
update_sample_types (PwSummaryView *self)
{
  const char * const *types = self->profile ? pw_profile_get_sample_types (self->profile) : NULL;
  const char *current = self->profile ? pw_profile_get_sample_type (self->profile) : NULL;
  g_autoptr(GtkStringList) model = NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  self->updating_sample_types = TRUE;

  if (types != NULL)
    {
      model = gtk_string_list_new (types);
      for (guint i = 0; types[i] != NULL; i++)
        if (g_strcmp0 (types[i], current) == 0)
          selected = i;
    }
  adw_combo_row_set_model (self->sample_type_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->sample_type_row, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_type_row), types != NULL);

  self->updating_sample_types = FALSE;
}

static void
on_sample_type_selected (PwSummaryView *self)
{
  GtkStringObject *item;
  const char *type;

  if (self->updating_sample_types || self->profile == NULL)
    return;

  item = adw_combo_row_get_selected_item (self->sample_type_row);
  if (item == NULL)
    return;

  type = gtk_string_object_get_string (item);
  if (g_strcmp0 (type, pw_profile_get_sample_type (self->profile)) == 0)
    return;

  /* The document page reads the file again; the new profile comes back
   * through the "profile" property. */
  gtk_widget_activate_action (GTK_WIDGET (self), "page.sample-type", "s", type);
}

static void
update (PwSummaryView *self)
{
  const char *title;
  const char *format_name;
  g_autofree char *duration = NULL;
  g_autofree char *subtitle = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_rows (self->warnings_group, self->warning_rows);
  clear_rows (self->longest_group, self->longest_rows);
  clear_rows (self->top_group, self->top_rows);
  clear_metadata (self);
  update_sample_types (self);

  if (self->profile == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->scroller), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->scroller), TRUE);

  title = pw_profile_get_title (self->profile);
  format_name = pw_profile_get_format_name (self->profile);
  format_name = format_name ? _(format_name) : pw_profile_get_format (self->profile);
  gtk_label_set_label (self->title_label, title && title[0] ? title : _("Profile"));
  if (!pw_summary_has_duration (self->profile))
    {
      duration = g_strdup (_("Not recorded"));
      subtitle = g_strdup (format_name);
    }
  else
    {
      duration = pw_format_duration (pw_profile_get_duration_ns (self->profile));
      /* Translators: a format name, then a duration: "Chrome Trace Event JSON · 3.62 s" */
      subtitle = g_strdup_printf (_("%s · %s"), format_name, duration);
    }
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_label_set_label (self->format_label, format_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->format_label), format_name);
  gtk_label_set_label (self->duration_label, duration);
  gtk_label_set_label (self->cpu_label,
                       pw_profile_has_cpu_time (self->profile)
                         ? _("Recorded") : _("Unknown"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cpu_label),
                               pw_profile_has_cpu_time (self->profile)
                                 ? _("The profile records thread CPU time per span")
                                 : _("This format records no CPU time: it is unknown, not zero"));
  /* CPU time is a span's; samples say what they weigh themselves. */
  gtk_widget_set_visible (self->cpu_row,
                          pw_profile_get_n_spans (self->profile) > 0 ||
                          pw_profile_get_n_samples (self->profile) == 0);

  set_count (self->processes_label, pw_profile_get_n_processes (self->profile));
  set_count (self->threads_label, pw_profile_get_n_threads (self->profile));
  set_count (self->lanes_label, pw_profile_get_n_busy_lanes (self->profile));
  set_count (self->spans_label, pw_profile_get_n_spans (self->profile));
  set_optional_count (self->samples_row, self->samples_label, pw_profile_get_n_samples (self->profile));
  set_optional_count (self->instants_row, self->instants_label, pw_profile_get_n_instants (self->profile));
  set_optional_count (self->counters_row, self->counters_label, pw_profile_get_n_counters (self->profile));
  set_optional_count (self->flows_row, self->flows_label, pw_profile_get_n_flows (self->profile));

  update_warnings (self);
  update_metadata (self);
  update_top_functions (self);
  update_longest (self);
}

static void
pw_summary_view_dispose (GObject *object)
{
  PwSummaryView *self = (PwSummaryView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_SUMMARY_VIEW);

  g_clear_pointer (&self->warning_rows, g_ptr_array_unref);
  g_clear_pointer (&self->longest_rows, g_ptr_array_unref);
  g_clear_pointer (&self->top_rows, g_ptr_array_unref);
  g_clear_pointer (&self->metadata_rows, g_ptr_array_unref);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (pw_summary_view_parent_class)->dispose (object);
}

static void
pw_summary_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PwSummaryView *self = PW_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_summary_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PwSummaryView *self = PW_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      pw_summary_view_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_summary_view_class_init (PwSummaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_summary_view_dispose;
  object_class->get_property = pw_summary_view_get_property;
  object_class->set_property = pw_summary_view_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, PW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/phasewise/Phasewise/pw-summary-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, title_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, longest_group);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, top_group);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, sample_type_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, metadata_group);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, metadata_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, format_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, duration_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, cpu_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, processes_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, threads_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, lanes_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, spans_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, samples_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, samples_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, instants_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, instants_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, counters_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, counters_row);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, flows_label);
  gtk_widget_class_bind_template_child (widget_class, PwSummaryView, flows_row);
  gtk_widget_class_bind_template_callback (widget_class, on_sample_type_selected);
}

static void
pw_summary_view_init (PwSummaryView *self)
{
  self->warning_rows = g_ptr_array_new ();
  self->longest_rows = g_ptr_array_new ();
  self->top_rows = g_ptr_array_new ();
  self->metadata_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
pw_summary_view_new (void)
{
  return g_object_new (PW_TYPE_SUMMARY_VIEW, NULL);
}

PwProfile *
pw_summary_view_get_profile (PwSummaryView *self)
{
  g_return_val_if_fail (PW_IS_SUMMARY_VIEW (self), NULL);
  return self->profile;
}

void
pw_summary_view_set_profile (PwSummaryView *self,
                             PwProfile     *profile)
{
  g_return_if_fail (PW_IS_SUMMARY_VIEW (self));
  g_return_if_fail (!profile || PW_IS_PROFILE (profile));

  if (g_set_object (&self->profile, profile))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
}
