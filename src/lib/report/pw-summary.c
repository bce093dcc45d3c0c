/* pw-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "pw-call-tree.h"
#include "pw-summary.h"
#include "pw-units.h"

#define N_LONGEST 10
#define N_TOP_FUNCTIONS 10

GArray *
pw_summary_longest_spans (PwProfile *profile,
                          guint      max_spans)
{
  GArray *longest = g_array_sized_new (FALSE, FALSE, sizeof (PwSpanRef), max_spans + 1);
  guint n_lanes = pw_profile_get_n_lanes (profile);

  if (max_spans == 0)
    return longest;

  /* A small sorted array: n spans times k, with k tiny. */
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_spans; s++)
        {
          gint64 dur = lane->span_dur[s];
          PwSpanRef ref = { l, s };
          guint pos;

          if (longest->len == max_spans)
            {
              const PwSpanRef *last = &g_array_index (longest, PwSpanRef, longest->len - 1);
              if (dur <= pw_profile_get_lane (profile, last->lane)->span_dur[last->span])
                continue;
            }

          pos = longest->len;
          while (pos > 0)
            {
              const PwSpanRef *prev = &g_array_index (longest, PwSpanRef, pos - 1);
              if (pw_profile_get_lane (profile, prev->lane)->span_dur[prev->span] >= dur)
                break;
              pos--;
            }

          g_array_insert_val (longest, pos, ref);
          if (longest->len > max_spans)
            g_array_set_size (longest, max_spans);
        }
    }

  return longest;
}

gboolean
pw_summary_has_duration (PwProfile *profile)
{
  g_return_val_if_fail (PW_IS_PROFILE (profile), FALSE);

  return pw_profile_get_duration_ns (profile) > 0 || pw_profile_get_n_spans (profile) > 0 ||
         pw_profile_get_n_samples (profile) == 0;
}

GArray *
pw_summary_top_functions (PwProfile *profile,
                          guint      max_frames,
                          gint64    *total_weight)
{
  GArray *totals;
  gint64 total = 0;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_samples; s++)
        total += lane->sample_weight[s];
    }
  if (total_weight != NULL)
    *total_weight = total;

  if (pw_profile_get_n_samples (profile) == 0)
    return g_array_new (FALSE, FALSE, sizeof (PwFrameTotals));

  totals = pw_call_tree_frame_totals (profile, PW_CALL_TREE_ALL_LANES);
  if (totals->len > max_frames)
    g_array_set_size (totals, max_frames);

  return totals;
}

char *
pw_lane_describe (PwProfile    *profile,
                  const PwLane *lane)
{
  const char *name = pw_profile_get_string (profile, lane->name);
  const char *process = pw_profile_get_string (profile, lane->process_name);
  g_autofree char *thread = NULL;

  switch (lane->kind)
    {
    case PW_LANE_SERVICE:
      return g_strdup (*name ? name : process);
    case PW_LANE_ASYNC:
      thread = g_strdup_printf (_("async: %s"), name);
      break;
    case PW_LANE_THREAD:
    default:
      /* negative tids stand for names ("stream 7"): the name says it all */
      if (*name && lane->tid < 0)
        thread = g_strdup (name);
      else if (*name)
        thread = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", name, lane->tid);
      else
        thread = g_strdup_printf (_("thread %" PRId64), lane->tid);
      break;
    }

  if (*process)
    return g_strdup_printf ("%s › %s", process, thread);

  return g_strdup_printf (_("pid %" PRId64 " › %s"), lane->pid, thread);
}

JsonNode *
pw_summary_to_json (PwProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GArray) longest = pw_summary_longest_spans (profile, N_LONGEST);
  const char * const *warnings = pw_profile_get_warnings (profile);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, pw_profile_get_format (profile));
  json_builder_set_member_name (builder, "format_name");
  json_builder_add_string_value (builder, pw_profile_get_format_name (profile));
  json_builder_set_member_name (builder, "start_ns");
  json_builder_add_int_value (builder, pw_profile_get_start_ns (profile));
  json_builder_set_member_name (builder, "duration_ns");
  json_builder_add_int_value (builder, pw_profile_get_duration_ns (profile));
  json_builder_set_member_name (builder, "processes");
  json_builder_add_int_value (builder, pw_profile_get_n_processes (profile));
  json_builder_set_member_name (builder, "threads");
  json_builder_add_int_value (builder, pw_profile_get_n_threads (profile));
  json_builder_set_member_name (builder, "lanes");
  json_builder_add_int_value (builder, pw_profile_get_n_busy_lanes (profile));
  json_builder_set_member_name (builder, "spans");
  json_builder_add_int_value (builder, pw_profile_get_n_spans (profile));
  json_builder_set_member_name (builder, "samples");
  json_builder_add_int_value (builder, pw_profile_get_n_samples (profile));
  json_builder_set_member_name (builder, "instants");
  json_builder_add_int_value (builder, pw_profile_get_n_instants (profile));
  json_builder_set_member_name (builder, "counters");
  json_builder_add_int_value (builder, pw_profile_get_n_counters (profile));
  json_builder_set_member_name (builder, "flows");
  json_builder_add_int_value (builder, pw_profile_get_n_flows (profile));
  json_builder_set_member_name (builder, "has_cpu_time");
  json_builder_add_boolean_value (builder, pw_profile_has_cpu_time (profile));

  if (pw_profile_get_n_samples (profile) > 0)
    {
      const char * const *types = pw_profile_get_sample_types (profile);
      gint64 total = 0;
      g_autoptr(GArray) top = pw_summary_top_functions (profile, N_TOP_FUNCTIONS, &total);

      json_builder_set_member_name (builder, "sample_unit");
      json_builder_add_string_value (builder, pw_profile_get_sample_unit (profile));
      json_builder_set_member_name (builder, "sample_weight");
      json_builder_add_int_value (builder, total);
      if (types != NULL)
        {
          json_builder_set_member_name (builder, "sample_type");
          json_builder_add_string_value (builder, pw_profile_get_sample_type (profile));
          json_builder_set_member_name (builder, "sample_types");
          json_builder_begin_array (builder);
          for (guint i = 0; types[i] != NULL; i++)
            json_builder_add_string_value (builder, types[i]);
          json_builder_end_array (builder);
        }

      json_builder_set_member_name (builder, "top_functions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < top->len; i++)
        {
          const PwFrameTotals *frame = &g_array_index (top, PwFrameTotals, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, pw_profile_get_string (profile, frame->name));
          json_builder_set_member_name (builder, "self");
          json_builder_add_int_value (builder, frame->self);
          json_builder_set_member_name (builder, "total");
          json_builder_add_int_value (builder, frame->total);
          json_builder_set_member_name (builder, "self_samples");
          json_builder_add_int_value (builder, frame->self_samples);
          json_builder_set_member_name (builder, "total_samples");
          json_builder_add_int_value (builder, frame->total_samples);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "longest_spans");
  json_builder_begin_array (builder);
  for (guint i = 0; i < longest->len; i++)
    {
      const PwSpanRef *ref = &g_array_index (longest, PwSpanRef, i);
      const PwLane *lane = pw_profile_get_lane (profile, ref->lane);
      g_autofree char *lane_name = pw_lane_describe (profile, lane);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, pw_profile_get_string (profile, lane->span_name[ref->span]));
      json_builder_set_member_name (builder, "lane");
      json_builder_add_string_value (builder, lane_name);
      json_builder_set_member_name (builder, "start_ns");
      json_builder_add_int_value (builder, lane->span_start[ref->span]);
      json_builder_set_member_name (builder, "wall_ns");
      json_builder_add_int_value (builder, lane->span_dur[ref->span]);
      json_builder_set_member_name (builder, "cpu_ns");
      if (lane->span_cpu[ref->span] >= 0)
        json_builder_add_int_value (builder, lane->span_cpu[ref->span]);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, warnings[i]);
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
pw_summary_to_text (PwProfile *profile)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) longest = pw_summary_longest_spans (profile, N_LONGEST);
  const char * const *warnings = pw_profile_get_warnings (profile);
  g_autofree char *duration = NULL;

  if (!pw_summary_has_duration (profile))
    duration = g_strdup (_("not recorded (the samples carry no times)"));
  else
    duration = pw_format_duration (pw_profile_get_duration_ns (profile));

  g_string_append_printf (out, "%-12s %s\n", _("Format:"), pw_profile_get_format_name (profile));
  g_string_append_printf (out, "%-12s %s\n", _("Duration:"), duration);
  g_string_append_printf (out, "%-12s %u\n", _("Processes:"), pw_profile_get_n_processes (profile));
  g_string_append_printf (out, "%-12s %u\n", _("Threads:"), pw_profile_get_n_threads (profile));
  g_string_append_printf (out, "%-12s %u\n", _("Lanes:"), pw_profile_get_n_busy_lanes (profile));
  g_string_append_printf (out, "%-12s %" G_GUINT64_FORMAT "\n", _("Spans:"), pw_profile_get_n_spans (profile));
  g_string_append_printf (out, "%-12s %" G_GUINT64_FORMAT "\n", _("Samples:"), pw_profile_get_n_samples (profile));
  if (pw_profile_get_n_instants (profile) > 0)
    g_string_append_printf (out, "%-12s %" G_GUINT64_FORMAT "\n", _("Instants:"), pw_profile_get_n_instants (profile));
  if (pw_profile_get_n_counters (profile) > 0)
    g_string_append_printf (out, "%-12s %u\n", _("Counters:"), pw_profile_get_n_counters (profile));
  /* of spans: a sampled profile's samples say it themselves */
  if (pw_profile_get_n_spans (profile) > 0)
    g_string_append_printf (out, "%-12s %s\n", _("CPU time:"),
                            pw_profile_has_cpu_time (profile) ? _("recorded") : _("unknown (not in this format)"));

  if (pw_profile_get_n_samples (profile) > 0)
    {
      const char * const *types = pw_profile_get_sample_types (profile);
      const char *unit = pw_profile_get_sample_unit (profile);
      gint64 total = 0;
      g_autoptr(GArray) top = pw_summary_top_functions (profile, N_TOP_FUNCTIONS, &total);
      g_autofree char *total_text = pw_format_weight (total, unit);

      if (types != NULL)
        {
          g_autofree char *all = g_strjoinv (", ", (char **) types);

          g_string_append_printf (out, "%-12s %s (%s %s)\n", _("Sample type:"),
                                  pw_profile_get_sample_type (profile), _("of"), all);
        }
      g_string_append_printf (out, "%-12s %s\n", _("Weight:"), total_text);

      if (top->len > 0)
        {
          g_string_append_printf (out, "\n%s\n", _("Top functions by self weight (self, share, total share):"));
          for (guint i = 0; i < top->len; i++)
            {
              const PwFrameTotals *frame = &g_array_index (top, PwFrameTotals, i);
              g_autofree char *self_text = pw_format_weight (frame->self, unit);

              glong width = g_utf8_strlen (self_text, -1);

              /* %12s would count bytes, and thin spaces are three */
              g_string_append (out, "  ");
              for (glong pad = width; pad < 12; pad++)
                g_string_append_c (out, ' ');
              g_string_append_printf (out, "%s  %5.1f %%  %5.1f %%  %s\n", self_text,
                                      total > 0 ? 100.0 * (double) frame->self / (double) total : 0.0,
                                      total > 0 ? 100.0 * (double) frame->total / (double) total : 0.0,
                                      pw_profile_get_string (profile, frame->name));
            }
        }
    }

  if (longest->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Longest spans:"));
      for (guint i = 0; i < longest->len; i++)
        {
          const PwSpanRef *ref = &g_array_index (longest, PwSpanRef, i);
          const PwLane *lane = pw_profile_get_lane (profile, ref->lane);
          g_autofree char *wall = pw_format_duration (lane->span_dur[ref->span]);
          g_autofree char *lane_name = pw_lane_describe (profile, lane);

          g_string_append_printf (out, "  %10s  %s  [%s]\n", wall,
                                  pw_profile_get_string (profile, lane->span_name[ref->span]),
                                  lane_name);
        }
    }

  if (warnings[0] != NULL)
    {
      g_string_append_printf (out, "\n%s\n", _("Warnings:"));
      for (guint i = 0; warnings[i] != NULL; i++)
        g_string_append_printf (out, "  %s\n", warnings[i]);
    }

  return g_string_free (out, FALSE);
}
