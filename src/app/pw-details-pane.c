/* pw-details-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-details-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pw-units.h"

#include "pw-details-pane.h"

/* Args beyond this are cut: a details pane is not a JSON viewer. */
#define MAX_ARGS_TEXT (64 * 1024)

struct _PwDetailsPane
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *hint;
  GtkWidget  *title;
  GtkWidget  *grid;
  GtkWidget  *args_heading;
  GtkWidget  *args;
  GtkWidget  *range_heading;
  GtkWidget  *range_grid;
  GHashTable *values;      /* key → GtkLabel */
};

G_DEFINE_FINAL_TYPE (PwDetailsPane, pw_details_pane, GTK_TYPE_WIDGET)

static void
pw_details_pane_dispose (GObject *object)
{
  PwDetailsPane *self = PW_DETAILS_PANE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->values, g_hash_table_unref);

  G_OBJECT_CLASS (pw_details_pane_parent_class)->dispose (object);
}

static void
pw_details_pane_class_init (PwDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_details_pane_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pw-details-pane");
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static void
add_row (PwDetailsPane *self,
         GtkWidget     *grid,
         int            row,
         const char    *key,
         const char    *title)
{
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "numeric");
  gtk_grid_attach (GTK_GRID (grid), name, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), value, 1, row, 1, 1);
  g_hash_table_insert (self->values, g_strdup (key), value);
}

static void
pw_details_pane_init (PwDetailsPane *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->hint = gtk_label_new (_("Click a span to see its details. Shift-drag to measure a time range."));
  gtk_label_set_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
  gtk_widget_add_css_class (self->hint, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->hint);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->title), TRUE);
  gtk_widget_add_css_class (self->title, "title-4");
  gtk_box_append (GTK_BOX (self->box), self->title);
  g_hash_table_insert (self->values, g_strdup ("name"), self->title);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 4);
  add_row (self, self->grid, 0, "category", _("Category"));
  add_row (self, self->grid, 1, "lane", _("Lane"));
  add_row (self, self->grid, 2, "start", _("Start"));
  add_row (self, self->grid, 3, "wall", _("Wall time"));
  add_row (self, self->grid, 4, "cpu", _("CPU time"));
  add_row (self, self->grid, 5, "self", _("Self time"));
  add_row (self, self->grid, 6, "children", _("Children"));
  gtk_box_append (GTK_BOX (self->box), self->grid);

  self->args_heading = heading (_("Arguments"));
  gtk_box_append (GTK_BOX (self->box), self->args_heading);
  self->args = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->args), 0);
  gtk_label_set_selectable (GTK_LABEL (self->args), TRUE);
  gtk_label_set_wrap (GTK_LABEL (self->args), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->args), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (self->args, "monospace");
  gtk_box_append (GTK_BOX (self->box), self->args);
  g_hash_table_insert (self->values, g_strdup ("args"), self->args);

  self->range_heading = heading (_("Selected range"));
  gtk_box_append (GTK_BOX (self->box), self->range_heading);
  self->range_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->range_grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->range_grid), 4);
  add_row (self, self->range_grid, 0, "range-start", _("From"));
  add_row (self, self->range_grid, 1, "range-wall", _("Wall time"));
  add_row (self, self->range_grid, 2, "range-cpu", _("CPU time"));
  add_row (self, self->range_grid, 3, "range-task", _("Task time"));
  add_row (self, self->range_grid, 4, "range-parallelism", _("Parallelism"));
  gtk_box_append (GTK_BOX (self->box), self->range_grid);

  pw_details_pane_set_span (self, NULL, PW_SPAN_REF_NONE);
  pw_details_pane_set_range (self, 0, 0, NULL);
}

GtkWidget *
pw_details_pane_new (void)
{
  return g_object_new (PW_TYPE_DETAILS_PANE, NULL);
}

static void
set_value (PwDetailsPane *self,
           const char    *key,
           const char    *text)
{
  GtkLabel *label = g_hash_table_lookup (self->values, key);

  g_assert (label != NULL);
  gtk_label_set_text (label, text ? text : "");
}

/* The args as indented JSON; the raw text when it does not parse. */
static char *
pretty_args (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  gsize len = strlen (json);

  if (len > MAX_ARGS_TEXT || !json_parser_load_from_data (parser, json, len, NULL))
    return g_strndup (json, MIN (len, (gsize) MAX_ARGS_TEXT));

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

void
pw_details_pane_set_span (PwDetailsPane    *self,
                          PwTimelineLayout *layout,
                          PwSpanRef         ref)
{
  PwProfile *profile;
  const PwLane *lane;
  const PwTimelineTrack *track;
  const char *category;
  g_autofree char *args = NULL;
  gint track_index;
  gint64 dur, cpu;
  g_autofree char *start = NULL;
  g_autofree char *wall = NULL;
  g_autofree char *cpu_text = NULL;
  g_autofree char *self_text = NULL;
  g_autofree char *children = NULL;
  g_autofree char *lane_text = NULL;

  g_return_if_fail (PW_IS_DETAILS_PANE (self));

  if (layout == NULL || !PW_SPAN_REF_IS_SET (ref))
    {
      gtk_widget_set_visible (self->hint, TRUE);
      gtk_widget_set_visible (self->title, FALSE);
      gtk_widget_set_visible (self->grid, FALSE);
      gtk_widget_set_visible (self->args_heading, FALSE);
      gtk_widget_set_visible (self->args, FALSE);
      set_value (self, "name", NULL);
      return;
    }

  profile = pw_timeline_layout_get_profile (layout);
  lane = pw_timeline_layout_get_lane (layout, ref.lane);
  g_return_if_fail (ref.span < lane->n_spans);

  dur = lane->span_dur[ref.span];
  cpu = lane->span_cpu[ref.span];
  track_index = pw_timeline_layout_find_lane_track (layout, ref.lane);
  track = track_index >= 0 ? pw_timeline_layout_get_track (layout, track_index) : NULL;
  category = pw_profile_get_string (profile, lane->span_category[ref.span]);
  if (lane->span_args[ref.span] != 0)
    args = pw_profile_dup_args (profile, lane->span_args[ref.span]);

  start = pw_format_duration (lane->span_start[ref.span]);
  wall = pw_format_duration (dur);
  if (cpu >= 0)
    {
      g_autofree char *c = pw_format_duration (cpu);

      /* Translators: CPU time and its share of the wall time */
      cpu_text = dur > 0 ? g_strdup_printf (_("%s (%.0f %% of wall)"), c, 100.0 * (double) cpu / (double) dur)
                         : g_strdup (c);
    }
  else
    cpu_text = g_strdup (_("not recorded"));
  self_text = pw_format_duration (pw_lane_span_self_time (lane, ref.span));
  children = g_strdup_printf ("%u", pw_lane_span_n_children (lane, ref.span));
  lane_text = g_strdup (track ? track->label : "");

  gtk_widget_set_visible (self->hint, FALSE);
  gtk_widget_set_visible (self->title, TRUE);
  gtk_widget_set_visible (self->grid, TRUE);
  set_value (self, "name", pw_profile_get_string (profile, lane->span_name[ref.span]));
  set_value (self, "category", category && *category ? category : "—");
  set_value (self, "lane", lane_text);
  set_value (self, "start", start);
  set_value (self, "wall", wall);
  set_value (self, "cpu", cpu_text);
  set_value (self, "self", self_text);
  set_value (self, "children", children);

  gtk_widget_set_visible (self->args_heading, args != NULL);
  gtk_widget_set_visible (self->args, args != NULL);
  if (args != NULL)
    {
      g_autofree char *pretty = pretty_args (args);

      set_value (self, "args", pretty);
    }
  else
    set_value (self, "args", NULL);
}

void
pw_details_pane_set_range (PwDetailsPane        *self,
                           gint64                begin,
                           gint64                end,
                           const PwRangeSummary *summary)
{
  g_return_if_fail (PW_IS_DETAILS_PANE (self));

  gtk_widget_set_visible (self->range_heading, summary != NULL);
  gtk_widget_set_visible (self->range_grid, summary != NULL);
  if (summary != NULL)
    {
      g_autofree char *from_s = pw_format_duration (begin);
      g_autofree char *to_s = pw_format_duration (end);
      g_autofree char *from = g_strdup_printf ("%s – %s", from_s, to_s);
      g_autofree char *wall = pw_format_duration (summary->wall);
      g_autofree char *cpu = summary->cpu_known ? pw_format_duration (summary->cpu) : g_strdup (_("not recorded"));
      g_autofree char *task = pw_format_duration (summary->task);
      g_autofree char *par = g_strdup_printf (_("%.2f× (%u lanes busy)"), summary->parallelism, summary->n_lanes_busy);

      set_value (self, "range-start", from);
      set_value (self, "range-wall", wall);
      set_value (self, "range-cpu", cpu);
      set_value (self, "range-task", task);
      set_value (self, "range-parallelism", par);
    }
}

const char *
pw_details_pane_get_value (PwDetailsPane *self,
                           const char    *key)
{
  GtkWidget *label;

  g_return_val_if_fail (PW_IS_DETAILS_PANE (self), NULL);

  label = g_hash_table_lookup (self->values, key);
  if (label == NULL || !gtk_widget_get_visible (label) ||
      !gtk_widget_get_visible (gtk_widget_get_parent (label)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}
