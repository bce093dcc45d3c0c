/* pw-phases-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-phases-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pw-phases-renderer.h"
#include "pw-units.h"

#include "pw-phases-view.h"

/* One row of the table: a phase of the current result. */
#define PW_TYPE_PHASE_ROW (pw_phase_row_get_type ())
G_DECLARE_FINAL_TYPE (PwPhaseRow, pw_phase_row, PW, PHASE_ROW, GObject)

struct _PwPhaseRow
{
  GObject        parent_instance;
  PwPhases      *phases;
  guint          index;
  const PwPhase *phase;
};

G_DEFINE_FINAL_TYPE (PwPhaseRow, pw_phase_row, G_TYPE_OBJECT)

static void
pw_phase_row_finalize (GObject *object)
{
  PwPhaseRow *self = PW_PHASE_ROW (object);

  g_clear_pointer (&self->phases, pw_phases_unref);
  G_OBJECT_CLASS (pw_phase_row_parent_class)->finalize (object);
}

static void
pw_phase_row_class_init (PwPhaseRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_phase_row_finalize;
}

static void
pw_phase_row_init (PwPhaseRow *self)
{
}

static PwPhaseRow *
pw_phase_row_new (PwPhases *phases,
                  guint     index)
{
  PwPhaseRow *self = g_object_new (PW_TYPE_PHASE_ROW, NULL);

  self->phases = pw_phases_ref (phases);
  self->index = index;
  self->phase = pw_phases_get_phase (phases, index);
  return self;
}

typedef enum
{
  COL_NAME,
  COL_WALL,
  COL_CPU,
  COL_TASK,
  COL_PARALLELISM,
  COL_MAX_CONCURRENCY,
  COL_IDLE,
  COL_SHARE,
  N_COLUMNS
} Column;

static const struct
{
  const char *title;
  const char *tooltip;
  gboolean    expand;
} columns[N_COLUMNS] = {
  { N_("Phase"), N_("The phase: a top-level span of the main lane, below a span that covers the whole run"), TRUE },
  { N_("Wall"), N_("Wall-clock time: the phase's end minus its start"), FALSE },
  { N_("CPU"), N_("Thread CPU time of the phase and of the work that ran for it, on every lane"), FALSE },
  { N_("Task"), N_("Task time: summed over every lane, the time spent in spans that ran during the phase, the phase's own span and its containers excluded"), FALSE },
  { N_("Parallelism"), N_("Task time ÷ wall time: how many lanes were busy on average"), FALSE },
  { N_("Max conc."), N_("Maximum concurrency: the most lanes busy at the same moment"), FALSE },
  { N_("Idle"), N_("Time in the phase when no lane was busy, the phase's own span excluded"), FALSE },
  { N_("Share"), N_("Wall time ÷ the whole run's wall time"), FALSE },
};

struct _PwPhasesView
{
  GtkWidget           parent_instance;

  PwProfile          *profile;
  PwPhases           *phases;
  GCancellable       *cancellable;
  GListStore         *store;
  GtkSingleSelection *selection;
  gint                hovered;
  gboolean            selecting;
  gint64              range_start;
  gint64              range_end;
  guint               fit_source;
  guint               range_source;   /* recompute once a dragged range rests */

  /* Template widgets */
  GtkWidget          *content;
  GtkPaned           *paned;
  GtkLabel           *description_label;
  GtkDropDown        *mode_dropdown;
  GtkSearchEntry     *match_entry;
  GtkCheckButton     *group_check;
  GtkColumnView      *column_view;
  GtkDrawingArea     *chart;
  GtkLabel           *explanations_label;
};

/* The rows of mode_dropdown */
enum {
  MODE_DEFAULT,
  MODE_DEPTH_1,
  MODE_DEPTH_2,
  MODE_DEPTH_3,
  MODE_DISTRIBUTED,
  MODE_SELECTION,
};

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

enum {
  PHASE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PwPhasesView, pw_phases_view, GTK_TYPE_WIDGET)

static char *
cell_text (const PwPhase *p,
           Column         column)
{
  switch (column)
    {
    case COL_NAME:
      if (p->n_iterations > 1)
        return g_strdup_printf ("%s ×%u", p->name, p->n_iterations);
      return g_strdup (p->name[0] ? p->name : _("(unnamed)"));
    case COL_WALL:
      return pw_format_duration (p->wall_ns);
    case COL_CPU:
      return p->cpu_ns >= 0 ? pw_format_duration (p->cpu_ns) : g_strdup (_("unknown"));
    case COL_TASK:
      return pw_format_duration (p->task_ns);
    case COL_PARALLELISM:
      return g_strdup_printf ("%.2f×", p->parallelism);
    case COL_MAX_CONCURRENCY:
      return g_strdup_printf ("%u", p->max_concurrency);
    case COL_IDLE:
      return pw_format_duration (p->idle_ns);
    case COL_SHARE:
      return g_strdup_printf ("%.1f %%", 100.0 * p->share);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COL_NAME ? 0.0 : 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), column == COL_NAME ? PANGO_ELLIPSIZE_END
                                                                 : PANGO_ELLIPSIZE_NONE);
  if (column != COL_NAME)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  PwPhaseRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (row->phase, column);

  gtk_label_set_text (GTK_LABEL (label), text);
  if (column == COL_CPU && row->phase->cpu_ns < 0)
    {
      gtk_widget_set_tooltip_text (label, _("unknown: this format records no CPU time"));
      gtk_widget_add_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_set_tooltip_text (label, _(columns[column].tooltip));
      gtk_widget_remove_css_class (label, "dim-label");
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const PwPhase *pa = PW_PHASE_ROW ((gpointer) a)->phase;
  const PwPhase *pb = PW_PHASE_ROW ((gpointer) b)->phase;
  double va = 0, vb = 0;

  switch ((Column) GPOINTER_TO_UINT (user_data))
    {
    case COL_NAME:
      return g_utf8_collate (pa->name, pb->name);
    case COL_WALL: va = pa->wall_ns; vb = pb->wall_ns; break;
    case COL_CPU: va = pa->cpu_ns; vb = pb->cpu_ns; break;
    case COL_TASK: va = pa->task_ns; vb = pb->task_ns; break;
    case COL_PARALLELISM: va = pa->parallelism; vb = pb->parallelism; break;
    case COL_MAX_CONCURRENCY: va = pa->max_concurrency; vb = pb->max_concurrency; break;
    case COL_IDLE: va = pa->idle_ns; vb = pb->idle_ns; break;
    case COL_SHARE: va = pa->share; vb = pb->share; break;
    case N_COLUMNS:
    default:
      break;
    }

  return va < vb ? GTK_ORDERING_SMALLER : va > vb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
setup_columns (PwPhasesView *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), g_steal_pointer (&factory));
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static void
chart_style (PwPhasesView       *self,
             PwPhasesChartStyle *style)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  pw_phases_chart_style_init (style, adw_style_manager_get_dark (manager));
  /* the page's background, so the chart sits on it like the table */
  style->palette.background.a = 0.0;
  style->hovered = self->hovered;
  style->selected = -1;
  if (self->selection != NULL)
    {
      PwPhaseRow *row = gtk_single_selection_get_selected_item (self->selection);

      if (row != NULL)
        style->selected = row->index;
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  PwPhasesView *self = user_data;
  PwPhasesChartStyle style;
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (area));
  g_autofree char *font = pango_font_description_to_string (pango_context_get_font_description (context));

  if (self->phases == NULL)
    return;
  chart_style (self, &style);
  /* the UI's font, so the chart reads like the table above it */
  style.font = font;
  pw_phases_chart_draw (self->phases, cr, &style, width, height);
}

static void
update_explanations (PwPhasesView *self)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  guint n = self->phases ? pw_phases_get_n_phases (self->phases) : 0;

  for (guint i = 0; i < n; i++)
    {
      const PwPhase *p = pw_phases_get_phase (self->phases, i);
      g_autofree char *name = NULL;
      g_auto(GStrv) lines = NULL;

      if (p->explanation == NULL)
        continue;
      name = g_markup_escape_text (p->name, -1);
      lines = g_strsplit (p->explanation, "\n", -1);
      if (markup->len > 0)
        g_string_append_c (markup, '\n');
      g_string_append_printf (markup, "<b>%s</b>", name);
      for (guint k = 0; lines[k]; k++)
        {
          g_autofree char *line = g_markup_escape_text (lines[k], -1);

          g_string_append_printf (markup, "\n  • %s", line);
        }
      if (markup->len > 20000)
        break;
    }

  if (self->phases != NULL && !pw_phases_has_cpu (self->phases))
    {
      if (markup->len > 0)
        g_string_append (markup, "\n\n");
      g_string_append_printf (markup, "<span alpha=\"70%%\">%s</span>",
                              _("CPU is unknown: this format records no CPU time."));
    }

  gtk_label_set_markup (self->explanations_label, markup->str);
  gtk_widget_set_visible (GTK_WIDGET (self->explanations_label), markup->len > 0);
}

/* The table as tall as its rows, up to half the view: the chart and the
 * explanations get the rest. */
static gboolean
fit_table (gpointer user_data)
{
  PwPhasesView *self = user_data;
  int natural = 0;
  int height = gtk_widget_get_height (GTK_WIDGET (self->paned));

  self->fit_source = 0;
  gtk_widget_measure (GTK_WIDGET (self->column_view), GTK_ORIENTATION_VERTICAL, -1,
                      NULL, &natural, NULL, NULL);
  if (height > 0)
    gtk_paned_set_position (self->paned, CLAMP (natural + 4, 80, height / 2));

  return G_SOURCE_REMOVE;
}

static void
set_phases (PwPhasesView *self,
            PwPhases     *phases)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_clear_pointer (&self->phases, pw_phases_unref);
  if (phases != NULL)
    self->phases = pw_phases_ref (phases);

  n = phases ? pw_phases_get_n_phases (phases) : 0;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, pw_phase_row_new (phases, i));
  self->selecting = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  self->hovered = -1;

  if (phases != NULL)
    {
      g_autofree char *total = pw_format_duration (pw_phases_get_total_wall_ns (phases));
      /* Translators: "Phases: children of “pipeline” on lane main · run 2.74 s" */
      g_autofree char *text = g_strdup_printf (_("Phases: %s · run %s"),
                                               pw_phases_get_description (phases), total);

      gtk_label_set_text (self->description_label, text);
    }
  else
    gtk_label_set_text (self->description_label, "");
  gtk_drawing_area_set_content_height (self->chart,
                                       (int) pw_phases_chart_get_height (phases));
  update_explanations (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
  if (self->fit_source == 0)
    self->fit_source = g_idle_add (fit_table, self);
}

static void
compute_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PwPhasesView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwPhases) phases = pw_phases_compute_finish (result, &error);

  if (phases == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->description_label, error->message);
      return;
    }
  /* a result for an older profile or older options */
  if (pw_phases_get_profile (phases) != self->profile)
    return;

  set_phases (self, phases);
}

static void recompute (PwPhasesView *self);

static gboolean
recompute_for_range (gpointer data)
{
  PwPhasesView *self = data;

  self->range_source = 0;
  recompute (self);
  return G_SOURCE_REMOVE;
}

static void
recompute (PwPhasesView *self)
{
  PwPhasesOptions options = { PW_PHASES_DEFAULT };
  const char *pattern = gtk_editable_get_text (GTK_EDITABLE (self->match_entry));
  g_autoptr(PwPhases) cached = NULL;

  /* the template's widgets notify while they are built */
  if (self->store == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->profile == NULL)
    {
      set_phases (self, NULL);
      return;
    }

  switch (gtk_drop_down_get_selected (self->mode_dropdown))
    {
    case MODE_DEPTH_1:
    case MODE_DEPTH_2:
    case MODE_DEPTH_3:
      options.mode = PW_PHASES_DEPTH;
      options.depth = gtk_drop_down_get_selected (self->mode_dropdown) - MODE_DEPTH_1 + 1;
      break;
    case MODE_DISTRIBUTED:
      options.mode = PW_PHASES_DISTRIBUTED;
      break;
    case MODE_SELECTION:
      if (self->range_end > self->range_start)
        {
          options.mode = PW_PHASES_RANGE;
          options.range_start = self->range_start;
          options.range_end = self->range_end;
        }
      else
        {
          set_phases (self, NULL);
          gtk_label_set_text (self->description_label,
                              _("Select a time range in the timeline to see its figures"));
          return;
        }
      break;
    case MODE_DEFAULT:
    default:
      break;
    }

  /* a pattern wins: typing one is the most explicit choice */
  if (pattern != NULL && *pattern != '\0')
    {
      options.mode = PW_PHASES_MATCH;
      options.pattern = pattern;
    }
  options.group = gtk_check_button_get_active (self->group_check);

  /* already computed for this profile: no thread, no flicker */
  if ((cached = pw_phases_lookup_cached (self->profile, &options)))
    {
      set_phases (self, cached);
      return;
    }

  gtk_label_set_text (self->description_label, _("Computing phases…"));
  self->cancellable = g_cancellable_new ();
  pw_phases_compute_async (self->profile, &options, self->cancellable,
                           compute_cb, g_object_ref (self));
}

static void
on_match_activate (PwPhasesView *self)
{
  recompute (self);
}

static void
on_match_stop (PwPhasesView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->match_entry), "");
  recompute (self);
}

static void
on_mode_changed (PwPhasesView *self)
{
  recompute (self);
}

static void
on_group_toggled (PwPhasesView *self)
{
  recompute (self);
}

static void
activate_phase (PwPhasesView  *self,
                const PwPhase *phase)
{
  /* a group spans from its first iteration to its last */
  g_signal_emit (self, signals[PHASE_ACTIVATED], 0, phase->start_ns, phase->end_ns);
}

static void
on_selection_changed (PwPhasesView *self)
{
  PwPhaseRow *row = gtk_single_selection_get_selected_item (self->selection);

  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
  if (row != NULL && !self->selecting)
    activate_phase (self, row->phase);
}

static void
select_index (PwPhasesView *self,
              gint          index)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint pos = 0; pos < g_list_model_get_n_items (model); pos++)
    {
      g_autoptr(PwPhaseRow) row = g_list_model_get_item (model, pos);

      if ((gint) row->index == index)
        {
          gtk_single_selection_set_selected (self->selection, pos);
          gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", pos);
          return;
        }
    }
}

static void
on_chart_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  PwPhasesView    *self)
{
  gint index = pw_phases_chart_hit_test (self->phases,
                                         gtk_widget_get_width (GTK_WIDGET (self->chart)), x, y);

  if (index >= 0)
    {
      PwPhaseRow *row = gtk_single_selection_get_selected_item (self->selection);

      /* clicking the selected phase again still selects its range */
      if (row != NULL && (gint) row->index == index)
        activate_phase (self, row->phase);
      else
        select_index (self, index);
    }
}

static void
on_chart_motion (GtkEventControllerMotion *motion,
                 double                    x,
                 double                    y,
                 PwPhasesView             *self)
{
  gint index = pw_phases_chart_hit_test (self->phases,
                                         gtk_widget_get_width (GTK_WIDGET (self->chart)), x, y);

  if (index != self->hovered)
    {
      self->hovered = index;
      gtk_widget_queue_draw (GTK_WIDGET (self->chart));
    }
}

static void
on_chart_leave (GtkEventControllerMotion *motion,
                PwPhasesView             *self)
{
  if (self->hovered != -1)
    {
      self->hovered = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self->chart));
    }
}

static gboolean
on_chart_query_tooltip (GtkWidget    *widget,
                        int           x,
                        int           y,
                        gboolean      keyboard_mode,
                        GtkTooltip   *tooltip,
                        PwPhasesView *self)
{
  gint index = pw_phases_chart_hit_test (self->phases, gtk_widget_get_width (widget), x, y);
  const PwPhase *p;
  g_autofree char *wall = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *task = NULL;
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;

  p = pw_phases_get_phase (self->phases, index);
  wall = pw_format_duration (p->wall_ns);
  cpu = p->cpu_ns >= 0 ? pw_format_duration (p->cpu_ns) : g_strdup (_("unknown"));
  task = pw_format_duration (p->task_ns);
  /* Translators: a phase's name, then its wall, CPU and task time */
  text = g_strdup_printf (_("%s\nwall %s · CPU %s · task %s · %.1f× parallel%s%s"),
                          p->name, wall, cpu, task, p->parallelism,
                          p->explanation ? "\n" : "", p->explanation ? p->explanation : "");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_dark_changed (PwPhasesView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
pw_phases_view_dispose (GObject *object)
{
  PwPhasesView *self = PW_PHASES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_handle_id (&self->range_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_PHASES_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_pointer (&self->phases, pw_phases_unref);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (pw_phases_view_parent_class)->dispose (object);
}

static void
pw_phases_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PwPhasesView *self = PW_PHASES_VIEW (object);

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
pw_phases_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PwPhasesView *self = PW_PHASES_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      pw_phases_view_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_phases_view_class_init (PwPhasesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_phases_view_dispose;
  object_class->get_property = pw_phases_view_get_property;
  object_class->set_property = pw_phases_view_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, PW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwPhasesView::phase-activated:
   * @start_ns: the phase's start, ns from the profile start
   * @end_ns: its end
   *
   * The user clicked a phase; the timeline selects this range.
   */
  signals[PHASE_ACTIVATED] =
    g_signal_new ("phase-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/phasewise/Phasewise/pw-phases-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, content);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, paned);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, description_label);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, match_entry);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, group_check);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, chart);
  gtk_widget_class_bind_template_child (widget_class, PwPhasesView, explanations_label);
  gtk_widget_class_bind_template_callback (widget_class, on_match_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_match_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_group_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_changed);
}

static void
pw_phases_view_init (PwPhasesView *self)
{
  GtkSortListModel *sorted;
  GtkEventController *motion;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->hovered = -1;
  self->store = g_list_store_new (PW_TYPE_PHASE_ROW);
  setup_columns (self);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);

  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_chart_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_chart_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_chart_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->chart), TRUE);
  g_signal_connect (self->chart, "query-tooltip", G_CALLBACK (on_chart_query_tooltip), self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);

  set_phases (self, NULL);
}

GtkWidget *
pw_phases_view_new (void)
{
  return g_object_new (PW_TYPE_PHASES_VIEW, NULL);
}

PwProfile *
pw_phases_view_get_profile (PwPhasesView *self)
{
  g_return_val_if_fail (PW_IS_PHASES_VIEW (self), NULL);
  return self->profile;
}

PwPhases *
pw_phases_view_get_phases (PwPhasesView *self)
{
  g_return_val_if_fail (PW_IS_PHASES_VIEW (self), NULL);
  return self->phases;
}

void
pw_phases_view_set_profile (PwPhasesView *self,
                            PwProfile    *profile)
{
  g_return_if_fail (PW_IS_PHASES_VIEW (self));
  g_return_if_fail (!profile || PW_IS_PROFILE (profile));

  if (g_set_object (&self->profile, profile))
    {
      recompute (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
}

void
pw_phases_view_set_range (PwPhasesView *self,
                          gint64        start_ns,
                          gint64        end_ns)
{
  g_return_if_fail (PW_IS_PHASES_VIEW (self));

  if (self->range_start == start_ns && self->range_end == end_ns)
    return;
  self->range_start = start_ns;
  self->range_end = end_ns;

  /* The timeline sends every step of a drag: compute the range's phase
   * once it has stayed put, as the timeline does for its own figures. */
  g_clear_handle_id (&self->range_source, g_source_remove);
  if (gtk_drop_down_get_selected (self->mode_dropdown) == MODE_SELECTION)
    self->range_source = g_timeout_add (150, recompute_for_range, self);
}
