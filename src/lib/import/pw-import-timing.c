/* pw-import-timing.c: "timing JSON", the durations hand-rolled timers
 * write (see docs/timing-json.md):
 *   nested  {"load": 1.2, "train": {"epoch1": 3.0, "total": 6.1}}
 *   flat    {"phase1_total_seconds": 10, "phase1_tool_calls_seconds": 2}
 *   native  {"phasewise_timing": 1, "unit": "ms", "spans": [{…}]}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-timing"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pw-import-private.h"

#define MAX_SIZE (64 * 1024 * 1024)
#define MAX_DEPTH 256
#define MAX_PARSE_DEPTH 1000
#define TIMING_PID 1

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  GHashTable       *lanes;         /* lane name id → lane + 1 */
  guint             main_lane;
  guint             n_skipped;     /* values that are not durations */
  guint             n_negative;
  gboolean          too_deep;
} TimingLoader;

static const struct
{
  const char *suffix;
  double      scale;   /* to nanoseconds */
} suffixes[] = {
  { "_seconds", 1e9 },
  { "_secs", 1e9 },
  { "_sec", 1e9 },
  { "_s", 1e9 },
  { "_ms", 1e6 },
  { "_us", 1e3 },
  { "_ns", 1.0 },
};

/* The unit a key's suffix gives, and the name without it. */
static gboolean
split_suffix (const char *key,
              gsize      *name_len,
              double     *scale)
{
  gsize len = strlen (key);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize n = strlen (suffixes[i].suffix);

      if (len > n && g_str_has_suffix (key, suffixes[i].suffix))
        {
          *name_len = len - n;
          *scale = suffixes[i].scale;
          return TRUE;
        }
    }

  *name_len = len;
  *scale = 1e9;
  return FALSE;
}

/* json_object_iter_*() walks a hash table, and document order matters
 * here: members in the order they were written. */
typedef struct
{
  JsonObject *object;
  GList      *members;
  GList      *next;
} MemberIter;

static void
member_iter_clear (MemberIter *iter)
{
  g_clear_pointer (&iter->members, g_list_free);
  iter->next = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MemberIter, member_iter_clear)

static void
member_iter_init (MemberIter *iter,
                  JsonObject *object)
{
  member_iter_clear (iter);
  iter->object = object;
  iter->members = json_object_get_members (object);
  iter->next = iter->members;
}

static gboolean
member_iter_next (MemberIter  *iter,
                  const char **key,
                  JsonNode   **child)
{
  if (iter->next == NULL)
    return FALSE;
  *key = iter->next->data;
  *child = json_object_get_member (iter->object, *key);
  iter->next = iter->next->next;
  return TRUE;
}

static gboolean
is_total_key (const char *name,
              gsize       len)
{
  return (len == 5 && memcmp (name, "total", 5) == 0) ||
         (len == 4 && memcmp (name, "wall", 4) == 0) ||
         (len == 6 && memcmp (name, "_total", 6) == 0);
}

static gboolean
node_number (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static gint64
to_ns (TimingLoader *self,
       double        value,
       double        scale)
{
  double ns = value * scale;

  if (!isfinite (ns) || fabs (ns) > 9.0e18)
    {
      self->n_skipped++;
      return 0;
    }
  if (ns < 0)
    {
      self->n_negative++;
      return 0;
    }
  return (gint64) llround (ns);
}

static guint
lane_for (TimingLoader *self,
          const char   *name)
{
  guint32 id;
  gpointer found;
  guint lane;

  if (name == NULL)
    return self->main_lane;

  id = pw_profile_builder_intern (self->builder, name, MIN (strlen (name), 1024));
  if ((found = g_hash_table_lookup (self->lanes, GUINT_TO_POINTER (id + 1))))
    return GPOINTER_TO_UINT (found) - 1;

  lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, TIMING_PID, id);
  pw_profile_builder_set_lane_name (self->builder, lane, pw_profile_builder_get_string (self->builder, id));
  pw_profile_builder_set_lane_sort_index (self->builder, lane, (gint32) g_hash_table_size (self->lanes));
  g_hash_table_insert (self->lanes, GUINT_TO_POINTER (id + 1), GUINT_TO_POINTER (lane + 1));
  return lane;
}

/* Form (a): a value's duration, its own "total" or its children's sum. */
static gint64
nested_duration (TimingLoader *self,
                 JsonNode     *node,
                 guint         depth)
{
  JsonObject *object;
  g_auto(MemberIter) iter = { 0 };
  const char *key;
  JsonNode *child;
  gint64 sum = 0;
  double value;

  if (node_number (node, &value))
    return to_ns (self, value, 1e9);
  if (!JSON_NODE_HOLDS_OBJECT (node) || depth > MAX_DEPTH)
    return 0;

  object = json_node_get_object (node);
  member_iter_init (&iter, object);
  while (member_iter_next (&iter, &key, &child))
    {
      gsize name_len;
      double scale;

      split_suffix (key, &name_len, &scale);
      if (is_total_key (key, name_len) && node_number (child, &value))
        return to_ns (self, value, scale);
    }

  member_iter_init (&iter, object);
  while (member_iter_next (&iter, &key, &child))
    {
      gsize name_len;
      double scale;

      split_suffix (key, &name_len, &scale);
      if (node_number (child, &value))
        sum += to_ns (self, value, scale);
      else if (JSON_NODE_HOLDS_OBJECT (child))
        sum += nested_duration (self, child, depth + 1);
      sum = MIN (sum, G_MAXINT64 / 4);
    }

  return sum;
}

/* Lays the members of an object out one after the other from start. */
static void
add_nested_children (TimingLoader *self,
                     JsonObject   *object,
                     gint64        start,
                     guint         depth)
{
  g_auto(MemberIter) iter = { 0 };
  const char *key;
  JsonNode *child;
  gint64 t = start;

  if (depth > MAX_DEPTH)
    {
      self->too_deep = TRUE;
      return;
    }

  member_iter_init (&iter, object);
  while (member_iter_next (&iter, &key, &child))
    {
      gsize name_len;
      double scale;
      double value;
      gint64 dur;
      guint32 name;

      split_suffix (key, &name_len, &scale);
      if (is_total_key (key, name_len))
        continue;

      if (node_number (child, &value))
        dur = to_ns (self, value, scale);
      else if (JSON_NODE_HOLDS_OBJECT (child))
        dur = nested_duration (self, child, depth + 1);
      else
        {
          self->n_skipped++;
          continue;
        }

      name = pw_profile_builder_intern (self->builder, key, MIN (strlen (key), 4096));
      pw_profile_builder_add_span (self->builder, self->main_lane, t, dur, -1, name, 0, 0);
      if (JSON_NODE_HOLDS_OBJECT (child))
        add_nested_children (self, json_node_get_object (child), t, depth + 1);
      t = MIN (t + dur, G_MAXINT64 / 4);
    }
}

static void
load_nested (TimingLoader *self,
             JsonObject   *root)
{
  g_auto(MemberIter) iter = { 0 };
  const char *key;
  JsonNode *child;

  /* A top-level total becomes the span that holds the others. */
  member_iter_init (&iter, root);
  while (member_iter_next (&iter, &key, &child))
    {
      gsize name_len;
      double scale;
      double value;

      split_suffix (key, &name_len, &scale);
      if (is_total_key (key, name_len) && node_number (child, &value))
        {
          guint32 name = pw_profile_builder_intern (self->builder, key, name_len);

          pw_profile_builder_add_span (self->builder, self->main_lane, 0, to_ns (self, value, scale), -1,
                                       name, 0, 0);
          break;
        }
    }

  add_nested_children (self, root, 0, 0);
}

/* Form (b): every key has a unit suffix and every value is a number. */
static gboolean
is_flat (JsonObject *root)
{
  g_auto(MemberIter) iter = { 0 };
  const char *key;
  JsonNode *child;
  guint n = 0;

  member_iter_init (&iter, root);
  while (member_iter_next (&iter, &key, &child))
    {
      gsize name_len;
      double scale;
      double value;

      if (!node_number (child, &value) || !split_suffix (key, &name_len, &scale))
        return FALSE;
      n++;
    }

  return n > 0;
}

typedef struct
{
  char   *name;       /* without the unit suffix */
  char   *token;      /* up to the first '_' */
  gint64  dur;
  guint   group;      /* index of the group's first key + 1, 0 for none */
  gboolean is_total;  /* "<token>_total" or "<token>" itself */
} FlatKey;

static void
flat_key_clear (gpointer data)
{
  FlatKey *key = data;

  g_free (key->name);
  g_free (key->token);
}

static void
load_flat (TimingLoader *self,
           JsonObject   *root)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, TRUE, sizeof (FlatKey));
  g_autoptr(GHashTable) token_count = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) token_total = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(MemberIter) iter = { 0 };
  const char *key;
  JsonNode *child;
  gint64 t = 0;

  g_array_set_clear_func (keys, flat_key_clear);

  member_iter_init (&iter, root);
  while (member_iter_next (&iter, &key, &child))
    {
      FlatKey fk = { 0 };
      gsize name_len;
      double scale;
      const char *underscore;

      split_suffix (key, &name_len, &scale);
      fk.name = g_strndup (key, name_len);
      underscore = strchr (fk.name, '_');
      fk.token = underscore ? g_strndup (fk.name, underscore - fk.name) : g_strdup (fk.name);
      fk.dur = to_ns (self, json_node_get_double (child), scale);
      fk.is_total = underscore == NULL || strcmp (underscore, "_total") == 0;
      g_array_append_val (keys, fk);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      FlatKey *fk = &g_array_index (keys, FlatKey, i);

      g_hash_table_insert (token_count, fk->token,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (token_count, fk->token)) + 1));
      if (fk->is_total && strchr (fk->name, '_') != NULL)
        g_hash_table_insert (token_total, fk->token, fk);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      FlatKey *fk = &g_array_index (keys, FlatKey, i);
      gboolean grouped = GPOINTER_TO_UINT (g_hash_table_lookup (token_count, fk->token)) >= 2 ||
                         g_hash_table_contains (token_total, fk->token);
      FlatKey *total;
      gint64 sum = 0;
      gint64 dur;
      gint64 c;
      guint32 name;

      if (!grouped)
        {
          name = pw_profile_builder_intern (self->builder, fk->name, -1);
          pw_profile_builder_add_span (self->builder, self->main_lane, t, fk->dur, -1, name, 0, 0);
          t = MIN (t + fk->dur, G_MAXINT64 / 4);
          continue;
        }

      /* the group is laid out where its first key is */
      if (g_hash_table_contains (done, fk->token))
        continue;
      g_hash_table_add (done, fk->token);

      total = g_hash_table_lookup (token_total, fk->token);
      if (total == NULL)
        for (guint j = i; j < keys->len && total == NULL; j++)
          {
            FlatKey *other = &g_array_index (keys, FlatKey, j);

            if (strcmp (other->name, fk->token) == 0)
              total = other;
          }

      for (guint j = i; j < keys->len; j++)
        {
          FlatKey *other = &g_array_index (keys, FlatKey, j);

          if (other != total && strcmp (other->token, fk->token) == 0)
            sum = MIN (sum + other->dur, G_MAXINT64 / 4);
        }

      dur = total != NULL ? total->dur : sum;
      name = pw_profile_builder_intern (self->builder, fk->token, -1);
      pw_profile_builder_add_span (self->builder, self->main_lane, t, dur, -1, name, 0, 0);

      c = t;
      for (guint j = i; j < keys->len; j++)
        {
          FlatKey *other = &g_array_index (keys, FlatKey, j);

          if (other == total || strcmp (other->token, fk->token) != 0)
            continue;
          name = pw_profile_builder_intern (self->builder,
                                            strlen (other->name) > strlen (fk->token)
                                            ? other->name + strlen (fk->token) + 1 : other->name, -1);
          pw_profile_builder_add_span (self->builder, self->main_lane, c, other->dur, -1, name, 0, 0);
          c = MIN (c + other->dur, G_MAXINT64 / 4);
        }

      t = MIN (t + dur, G_MAXINT64 / 4);
    }
}

/* Form (c). Returns the end of the span, for the next sibling. */
static gint64
add_native_span (TimingLoader *self,
                 JsonNode     *node,
                 double        scale,
                 gint64        default_start,
                 guint         parent_lane,
                 PwSpanHandle  parent,
                 gint64        parent_start,
                 guint         depth)
{
  JsonObject *object;
  JsonNode *member;
  const char *name = "(unnamed)";
  const char *lane_name = NULL;
  gint64 start = default_start;
  gint64 dur = 0;
  gint64 cpu = -1;
  double value;
  guint lane = parent_lane;
  PwSpanHandle handle;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      self->n_skipped++;
      return default_start;
    }
  if (depth > MAX_DEPTH)
    {
      self->too_deep = TRUE;
      return default_start;
    }

  object = json_node_get_object (node);

  if ((member = json_object_get_member (object, "name")) && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    name = json_node_get_string (member);
  if ((member = json_object_get_member (object, "lane")) && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    lane_name = json_node_get_string (member);
  if (lane_name != NULL)
    lane = lane_for (self, lane_name);

  if ((member = json_object_get_member (object, "start")))
    {
      if (node_number (member, &value))
        start = to_ns (self, value, scale);
      else
        self->n_skipped++;
    }
  if ((member = json_object_get_member (object, "wall")) ||
      (member = json_object_get_member (object, "dur")))
    {
      if (node_number (member, &value))
        dur = to_ns (self, value, scale);
      else
        self->n_skipped++;
    }
  else if ((member = json_object_get_member (object, "end")))
    {
      if (node_number (member, &value))
        dur = MAX (to_ns (self, value, scale) - start, 0);
      else
        self->n_skipped++;
    }
  if ((member = json_object_get_member (object, "cpu")))
    {
      if (node_number (member, &value))
        cpu = to_ns (self, value, scale);
      else
        self->n_skipped++;
    }

  handle = pw_profile_builder_add_span (self->builder, lane, start, dur, cpu,
                                        pw_profile_builder_intern (self->builder, name, MIN (strlen (name), 4096)),
                                        0, 0);

  /* work handed to another lane (a thread, a worker) links to its parent */
  if (parent != PW_NO_SPAN_HANDLE && lane != parent_lane)
    pw_profile_builder_add_flow (self->builder, PW_FLOW_PARENT, 0, parent_lane, MAX (start, parent_start),
                                 parent, lane, start, handle);

  if ((member = json_object_get_member (object, "children")) && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *children = json_node_get_array (member);
      gint64 t = start;

      for (guint i = 0; i < json_array_get_length (children); i++)
        t = add_native_span (self, json_array_get_element (children, i), scale, t, lane, handle, start,
                             depth + 1);
    }

  return MIN (start + dur, G_MAXINT64 / 4);
}

static gboolean
load_native (TimingLoader *self,
             JsonObject   *root,
             GError      **error)
{
  JsonNode *member;
  double scale = 1e9;
  JsonArray *spans;
  gint64 t = 0;

  if ((member = json_object_get_member (root, "unit")))
    {
      const char *unit = JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING
                         ? json_node_get_string (member) : "";

      if (g_str_equal (unit, "s"))
        scale = 1e9;
      else if (g_str_equal (unit, "ms"))
        scale = 1e6;
      else if (g_str_equal (unit, "us") || g_str_equal (unit, "µs"))
        scale = 1e3;
      else if (g_str_equal (unit, "ns"))
        scale = 1.0;
      else
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                       _("%s: unknown “unit” “%s”: expected “s”, “ms”, “us” or “ns”"),
                       pw_input_get_display_name (self->input), unit);
          return FALSE;
        }
    }

  if ((member = json_object_get_member (root, "title")) && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    pw_profile_builder_set_title (self->builder, json_node_get_string (member));

  member = json_object_get_member (root, "spans");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: a Phasewise timing document needs a “spans” array"),
                   pw_input_get_display_name (self->input));
      return FALSE;
    }

  spans = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (spans); i++)
    t = add_native_span (self, json_array_get_element (spans, i), scale, t, self->main_lane,
                         PW_NO_SPAN_HANDLE, 0, 0);

  return TRUE;
}

static gboolean
nesting_exceeds (const char *data,
                 gsize       size,
                 int         limit)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > limit)
            return TRUE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }

  return FALSE;
}

static gboolean
timing_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) lanes = g_hash_table_new (NULL, NULL);
  TimingLoader self = { input, builder, lanes, 0, 0, 0, FALSE };
  JsonNode *root;
  JsonObject *object;
  gsize size;
  const char *data;

  if (!(bytes = pw_input_read_all (input, MAX_SIZE, error)))
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || data == NULL)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY,
                   _("%s: the file is empty"), pw_input_get_display_name (input));
      return FALSE;
    }

  /* json-glib parses recursively: a hostile nesting would overflow the
   * stack before any limit of ours applied */
  if (nesting_exceeds (data, size, MAX_PARSE_DEPTH))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                   _("%s: objects or arrays are nested deeper than %d levels"),
                   pw_input_get_display_name (input), MAX_PARSE_DEPTH);
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      const char *message = local_error != NULL ? local_error->message : _("not JSON");

      /* json-glib says "<data>:LINE:COLUMN: Parse error: …" */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                   _("%s: invalid JSON at line:column %s"),
                   pw_input_get_display_name (input), message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: timing JSON is an object of names and durations; this is not an object"),
                   pw_input_get_display_name (input));
      return FALSE;
    }
  object = json_node_get_object (root);

  self.main_lane = lane_for (&self, "main");

  if (json_object_has_member (object, "phasewise_timing"))
    {
      pw_profile_builder_set_metadata (builder, "timing.form", "native");
      if (!load_native (&self, object, error))
        return FALSE;
    }
  else if (is_flat (object))
    {
      pw_profile_builder_set_metadata (builder, "timing.form", "flat");
      load_flat (&self, object);
    }
  else
    {
      pw_profile_builder_set_metadata (builder, "timing.form", "nested");
      load_nested (&self, object);
    }

  if (self.n_skipped > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u value was not a duration (a number); it was skipped",
                                                 "%u values were not durations (numbers); they were skipped",
                                                 self.n_skipped),
                                    self.n_skipped);
  if (self.n_negative > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u duration was negative; it is shown as zero",
                                                 "%u durations were negative; they are shown as zero",
                                                 self.n_negative),
                                    self.n_negative);
  if (self.too_deep)
    pw_profile_builder_add_warning (builder, _("Timings nested deeper than %d levels were left out"),
                                    MAX_DEPTH);

  return TRUE;
}

/* Whether the head is an object whose values are only numbers and
 * objects (the document may go on past the head). */
static gboolean
looks_like_numbers (const guint8 *p,
                    gsize         len)
{
  gsize i = 0;
  guint n_numbers = 0;
  int depth = 0;
  enum { KEY_OR_END, COLON, VALUE, COMMA_OR_END } state = KEY_OR_END;

  if (len == 0 || p[0] != '{')
    return FALSE;
  depth = 1;
  i = 1;

  while (i < len && depth > 0)
    {
      guint8 c = p[i];

      if (g_ascii_isspace (c))
        {
          i++;
          continue;
        }

      switch (state)
        {
        case KEY_OR_END:
          if (c == '}')
            {
              depth--;
              state = COMMA_OR_END;
              i++;
            }
          else if (c == '"')
            {
              for (i++; i < len && p[i] != '"'; i++)
                if (p[i] == '\\')
                  i++;
              i++;
              state = COLON;
            }
          else
            return FALSE;
          break;
        case COLON:
          if (c != ':')
            return FALSE;
          state = VALUE;
          i++;
          break;
        case VALUE:
          if (c == '{')
            {
              if (++depth > 64)
                return FALSE;
              state = KEY_OR_END;
              i++;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              while (i < len && (g_ascii_isdigit (p[i]) || p[i] == '.' || p[i] == 'e' || p[i] == 'E' ||
                                 p[i] == '-' || p[i] == '+'))
                i++;
              n_numbers++;
              state = COMMA_OR_END;
            }
          else
            return FALSE;
          break;
        case COMMA_OR_END:
          if (c == ',')
            state = KEY_OR_END;
          else if (c == '}')
            depth--;
          else
            return FALSE;
          i++;
          break;
        default:
          return FALSE;
        }
    }

  return n_numbers > 0;
}

static guint
timing_sniff (const guint8 *head,
              gsize         len,
              const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "\"phasewise_timing\""))
    return 95;

  /* Anything else that is only numbers is timing JSON by elimination:
   * the formats that own their keys answer with more confidence. */
  if (looks_like_numbers (p, len))
    return 20;

  return 0;
}

static const char * const timing_patterns[] = { "*.json", "*.timing.json", NULL };
static const char * const timing_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_timing = {
  .id = "timing",
  .name = N_("Timing JSON"),
  .patterns = timing_patterns,
  .mime_types = timing_mime_types,
  .sniff = timing_sniff,
  .load = timing_load,
};
