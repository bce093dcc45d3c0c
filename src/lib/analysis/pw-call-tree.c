/* pw-call-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-call-tree"

#include "config.h"

#include <string.h>

#include "pw-call-tree.h"

static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const PwFrameTotals *ta = a;
  const PwFrameTotals *tb = b;

  if (ta->self != tb->self)
    return ta->self > tb->self ? -1 : 1;
  if (ta->total != tb->total)
    return ta->total > tb->total ? -1 : 1;
  return ta->name < tb->name ? -1 : ta->name > tb->name;
}

GArray *
pw_call_tree_frame_totals (PwProfile *profile,
                           guint      lane)
{
  guint n_stacks, n_strings, n_lanes;
  g_autofree gint64 *stack_weight = NULL;
  g_autofree guint64 *stack_samples = NULL;
  g_autofree PwFrameTotals *by_name = NULL;
  g_autofree guint32 *last_stack = NULL;
  GArray *result;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);

  n_stacks = pw_profile_get_n_stacks (profile);
  n_strings = pw_profile_get_n_strings (profile);
  n_lanes = pw_profile_get_n_lanes (profile);
  result = g_array_new (FALSE, FALSE, sizeof (PwFrameTotals));
  if (n_stacks == 0)
    return result;

  /* The weight that ends at each stack node, then credited to names:
   * one pass over the samples and one over the stack tree. */
  stack_weight = g_new0 (gint64, n_stacks);
  stack_samples = g_new0 (guint64, n_stacks);
  for (guint l = 0; l < n_lanes; l++)
    {
      const PwLane *pl;

      if (lane != PW_CALL_TREE_ALL_LANES && l != lane)
        continue;
      pl = pw_profile_get_lane (profile, l);
      for (guint s = 0; s < pl->n_samples; s++)
        if (pl->sample_stack[s] < n_stacks)
          {
            stack_weight[pl->sample_stack[s]] += pl->sample_weight[s];
            stack_samples[pl->sample_stack[s]]++;
          }
    }

  by_name = g_new0 (PwFrameTotals, n_strings);
  last_stack = g_new (guint32, n_strings);
  memset (last_stack, 0xff, sizeof (guint32) * n_strings);

  for (guint32 stack = 0; stack < n_stacks; stack++)
    {
      guint32 leaf;

      if (stack_samples[stack] == 0)
        continue;

      leaf = pw_profile_get_stack_frame (profile, stack);
      if (leaf < n_strings)
        {
          by_name[leaf].self += stack_weight[stack];
          by_name[leaf].self_samples += stack_samples[stack];
        }

      /* Each name on the path once, however often it recurs. */
      for (guint32 s = stack; s != PW_NO_STACK; s = pw_profile_get_stack_parent (profile, s))
        {
          guint32 name = pw_profile_get_stack_frame (profile, s);

          if (name >= n_strings || last_stack[name] == stack)
            continue;
          last_stack[name] = stack;
          by_name[name].total += stack_weight[stack];
          by_name[name].total_samples += stack_samples[stack];
        }
    }

  for (guint32 name = 0; name < n_strings; name++)
    if (by_name[name].total_samples > 0)
      {
        by_name[name].name = name;
        g_array_append_val (result, by_name[name]);
      }

  g_array_sort (result, compare_totals);
  return result;
}

char *
pw_call_tree_stack_to_string (PwProfile  *profile,
                              guint32     stack,
                              const char *separator)
{
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);

  for (guint32 s = stack; s != PW_NO_STACK && s < pw_profile_get_n_stacks (profile);
       s = pw_profile_get_stack_parent (profile, s))
    g_array_append_val (path, s);

  for (guint i = path->len; i > 0; i--)
    {
      guint32 s = g_array_index (path, guint32, i - 1);

      if (i != path->len)
        g_string_append (out, separator);
      g_string_append (out, pw_profile_get_string (profile, pw_profile_get_stack_frame (profile, s)));
    }

  return g_string_free (out, FALSE);
}

GHashTable *
pw_call_tree_fold (PwProfile *profile,
                   guint      lane)
{
  GHashTable *folded;
  g_autoptr(GHashTable) by_stack = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PW_IS_PROFILE (profile), NULL);

  folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Equal stacks share an id: the strings are made once per id. */
  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *pl;

      if (lane != PW_CALL_TREE_ALL_LANES && l != lane)
        continue;
      pl = pw_profile_get_lane (profile, l);
      for (guint s = 0; s < pl->n_samples; s++)
        {
          gpointer k = GUINT_TO_POINTER (pl->sample_stack[s] + 1);
          gint64 *total = g_hash_table_lookup (by_stack, k);

          if (total == NULL)
            {
              total = g_new0 (gint64, 1);
              g_hash_table_insert (by_stack, k, total);
            }
          *total += pl->sample_weight[s];
        }
    }

  g_hash_table_iter_init (&iter, by_stack);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *name = pw_call_tree_stack_to_string (profile, GPOINTER_TO_UINT (key) - 1, ";");
      gint64 *total = g_hash_table_lookup (folded, name);

      /* Two ids give one string when a frame holds the separator. */
      if (total != NULL)
        {
          *total += *(gint64 *) value;
          g_free (value);
        }
      else
        g_hash_table_insert (folded, g_steal_pointer (&name), value);
    }

  return folded;
}
