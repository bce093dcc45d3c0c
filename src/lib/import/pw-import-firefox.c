/* pw-import-firefox.c: Firefox Profiler (Gecko and processed formats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-firefox"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pw-import-private.h"

/* Firefox profiles are small (a few MB); the whole document is parsed into
 * a json-glib tree, so it is capped. */
#define MAX_DOCUMENT_SIZE  ((gsize) 256 * 1024 * 1024)
#define MAX_JSON_DEPTH     256
#define MAX_PROCESS_DEPTH  8
#define MAX_THREADS        10000
#define MAX_OPEN_MARKERS   10000
/* Times are milliseconds, startTime since the Unix epoch: beyond this
 * (the year 2096) a time is nonsense, and twice it still fits in gint64
 * nanoseconds. */
#define MAX_TIME_MS        4e12

typedef struct
{
  PwProfileBuilder *builder;
  PwInput          *input;
  JsonArray        *shared_strings;  /* processed: profile.shared.stringArray */
  guint             n_threads;
  guint64           n_samples;
  guint             n_processes;
  gint64            interval_ns;
  gboolean          skip_markers;
  guint             n_cycles;
  guint             n_bad_times;
  guint             n_skipped_threads;
  guint             n_bad_strings;
  char             *first_bad_string;
} FirefoxLoader;

/* A table in either layout: the Gecko one ({schema: {col: index}, data:
 * [[row], ...]}) or the processed one ({col: [values], length}). */
typedef struct
{
  JsonArray  *rows;     /* Gecko */
  JsonObject *schema;   /* Gecko */
  JsonObject *columns;  /* processed */
  guint       length;
} Table;

typedef struct
{
  JsonArray *rows;
  gint       index;     /* Gecko: the column's position in a row, -1 absent */
  JsonArray *values;    /* processed */
} Column;

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
node_double (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;

  return isfinite (*value);
}

static gboolean
node_int (JsonNode *node,
          gint64   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!isfinite (d) || d < -9e18 || d > 9e18)
        return FALSE;
      *value = (gint64) d;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      return str != NULL && _pw_parse_int64 (str, strlen (str), value);
    }

  return FALSE;
}

static gboolean
member_double (JsonObject *object,
               const char *name,
               double     *value)
{
  return object != NULL && node_double (json_object_get_member (object, name), value);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *value)
{
  return object != NULL && node_int (json_object_get_member (object, name), value);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
table_init (Table      *table,
            JsonObject *object,
            const char *key_column)
{
  memset (table, 0, sizeof *table);
  if (object == NULL)
    return FALSE;

  table->schema = get_object (object, "schema");
  table->rows = get_array (object, "data");
  if (table->schema != NULL && table->rows != NULL)
    {
      table->length = json_array_get_length (table->rows);
      return TRUE;
    }

  table->schema = NULL;
  table->rows = NULL;
  table->columns = object;
  {
    gint64 length;
    JsonArray *key = get_array (object, key_column);

    if (key == NULL)
      return FALSE;
    table->length = json_array_get_length (key);
    /* "length" may be smaller than a column, never larger. */
    if (member_int (object, "length", &length) && length >= 0 && (guint64) length < table->length)
      table->length = length;
  }

  return TRUE;
}

static Column
table_column (const Table *table,
              const char  *name)
{
  Column column = { NULL, -1, NULL };

  if (table->rows != NULL)
    {
      gint64 index;

      column.rows = table->rows;
      if (member_int (table->schema, name, &index) && index >= 0 && index < G_MAXINT)
        column.index = index;
    }
  else
    {
      column.values = get_array (table->columns, name);
    }

  return column;
}

static gboolean
column_present (const Column *column)
{
  return column->values != NULL || (column->rows != NULL && column->index >= 0);
}

static JsonNode *
column_get (const Column *column,
            guint         row)
{
  if (column->values != NULL)
    return row < json_array_get_length (column->values) ? json_array_get_element (column->values, row) : NULL;

  if (column->rows != NULL && column->index >= 0 && row < json_array_get_length (column->rows))
    {
      JsonNode *node = json_array_get_element (column->rows, row);
      JsonArray *cells;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return NULL;
      cells = json_node_get_array (node);
      if ((guint) column->index < json_array_get_length (cells))
        return json_array_get_element (cells, column->index);
    }

  return NULL;
}

static gboolean
column_int (const Column *column,
            guint         row,
            gint64       *value)
{
  return node_int (column_get (column, row), value);
}

static gboolean
column_double (const Column *column,
               guint         row,
               double       *value)
{
  return node_double (column_get (column, row), value);
}

static const char *
string_at (JsonArray *strings,
           gint64     index)
{
  JsonNode *node;

  if (strings == NULL || index < 0 || index >= json_array_get_length (strings))
    return NULL;
  node = json_array_get_element (strings, index);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Milliseconds since the profile start to absolute nanoseconds, keeping
 * sub-microsecond precision that a double of epoch nanoseconds would lose. */
static gboolean
ms_to_ns (double  ms,
          gint64 *ns)
{
  double whole;

  if (!isfinite (ms) || fabs (ms) > MAX_TIME_MS)
    return FALSE;
  whole = floor (ms);
  *ns = (gint64) whole * PW_NSEC_PER_MSEC + (gint64) llround ((ms - whole) * 1e6);
  return TRUE;
}

/* Whether JSON nesting stays below MAX_JSON_DEPTH, so that the recursive
 * parser cannot run out of stack on hostile input. */
static gboolean
depth_ok (const char *data,
          gsize       len,
          gsize      *where)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
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
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              *where = i;
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

static JsonNode *
parse_json (FirefoxLoader *self,
            const char    *data,
            gsize          len,
            const char    *what,
            GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize where = 0;
  JsonNode *root;

  if (!depth_ok (data, len, &where))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                   _("%s: %s nests deeper than %d levels at byte %" "zu"),
                   pw_input_get_display_name (self->input), what, MAX_JSON_DEPTH, where);
      return NULL;
    }

  if (len > 0 && !json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                   _("%s: %s is not valid JSON: %s"),
                   pw_input_get_display_name (self->input), what,
                   local_error != NULL ? local_error->message : _("no value"));
      return NULL;
    }

  root = len > 0 ? json_parser_get_root (parser) : NULL;
  if (root == NULL)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY,
                   _("%s: %s is empty"), pw_input_get_display_name (self->input), what);
      return NULL;
    }

  return json_node_ref (root);
}

typedef struct
{
  FirefoxLoader *loader;
  Table          stacks;
  Column         stack_prefix;
  Column         stack_frame;
  Table          frames;
  Column         frame_location;  /* Gecko: string index */
  Column         frame_func;      /* processed: funcTable row */
  Table          funcs;
  Column         func_name;
  JsonArray     *strings;
  guint32       *resolved;        /* stack index -> builder stack */
  guint8        *state;           /* 0 new, 1 being resolved, 2 done */
  guint32       *frame_names;     /* frame index -> interned name + 1, 0 unknown */
} ThreadTables;

static guint32
frame_name (ThreadTables *t,
            gint64        frame)
{
  FirefoxLoader *self = t->loader;
  const char *name = NULL;
  gint64 index;
  guint32 id;

  if (frame < 0 || frame >= t->frames.length)
    return pw_profile_builder_intern (self->builder, _("(unknown frame)"), -1);
  if (t->frame_names[frame] != 0)
    return t->frame_names[frame] - 1;

  if (column_present (&t->frame_func))
    {
      if (column_int (&t->frame_func, frame, &index) && index >= 0 && index < t->funcs.length
          && column_int (&t->func_name, index, &index))
        name = string_at (t->strings, index);
    }
  else if (column_int (&t->frame_location, frame, &index))
    {
      name = string_at (t->strings, index);
    }

  id = pw_profile_builder_intern (self->builder, name != NULL ? name : _("(unknown frame)"), -1);
  t->frame_names[frame] = id + 1;

  return id;
}

/* Stack indices are resolved once each, root first, without recursion;
 * a prefix chain that loops back is cut where it closes. */
static guint32
resolve_stack (ThreadTables *t,
               gint64        stack,
               GArray       *chain)
{
  guint32 parent = PW_NO_STACK;

  if (stack < 0 || stack >= t->stacks.length)
    return PW_NO_STACK;
  if (t->state[stack] == 2)
    return t->resolved[stack];

  g_array_set_size (chain, 0);
  for (gint64 s = stack; ; )
    {
      gint64 prefix;

      g_array_append_val (chain, s);
      t->state[s] = 1;
      if (!column_int (&t->stack_prefix, s, &prefix) || prefix < 0 || prefix >= t->stacks.length)
        break;
      if (t->state[prefix] == 2)
        {
          parent = t->resolved[prefix];
          break;
        }
      if (t->state[prefix] == 1)
        {
          t->loader->n_cycles++;
          break;
        }
      s = prefix;
    }

  for (guint i = chain->len; i > 0; i--)
    {
      gint64 s = g_array_index (chain, gint64, i - 1);
      gint64 frame = -1;

      column_int (&t->stack_frame, s, &frame);
      parent = pw_profile_builder_push_frame (t->loader->builder, parent, frame_name (t, frame));
      t->resolved[s] = parent;
      t->state[s] = 2;
    }

  return parent;
}

static const char *
process_label (JsonObject *thread,
               JsonObject *meta)
{
  const char *name = member_string (thread, "processName");
  const char *type = member_string (thread, "processType");
  gint64 type_num = -1;

  if (name != NULL)
    return name;
  if (type == NULL && !member_int (thread, "processType", &type_num))
    member_int (meta, "processType", &type_num);

  if (g_strcmp0 (type, "default") == 0 || type_num == 0)
    return _("Parent Process");
  if (g_strcmp0 (type, "tab") == 0 || type_num == 2)
    return _("Content Process");
  if (g_strcmp0 (type, "gpu") == 0)
    return _("GPU Process");
  return NULL;
}

static void
import_markers (FirefoxLoader *self,
                JsonObject    *thread,
                JsonArray     *strings,
                guint          lane,
                gint64         start_ns)
{
  Table markers;
  Column name_col, time_col, start_col, end_col, data_col;
  g_autoptr(GHashTable) open = NULL;   /* name id -> GArray of start ns */

  if (!table_init (&markers, get_object (thread, "markers"), "name"))
    return;

  name_col = table_column (&markers, "name");
  time_col = table_column (&markers, "time");
  start_col = table_column (&markers, "startTime");
  end_col = table_column (&markers, "endTime");
  data_col = table_column (&markers, "data");
  open = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < markers.length; i++)
    {
      JsonNode *data_node = column_get (&data_col, i);
      JsonObject *data = data_node != NULL && JSON_NODE_HOLDS_OBJECT (data_node) ? json_node_get_object (data_node) : NULL;
      const char *name = NULL;
      const char *interval;
      gint64 name_index;
      double t0, t1;
      gint64 ns0, ns1;
      guint32 name_id;

      if (column_int (&name_col, i, &name_index))
        name = string_at (strings, name_index);
      if (name == NULL)
        continue;
      name_id = pw_profile_builder_intern (self->builder, name, -1);

      /* An interval in one marker: data.startTime/endTime (Gecko) or the
       * startTime/endTime columns (newer processed). */
      if ((member_double (data, "startTime", &t0) && member_double (data, "endTime", &t1))
          || (column_double (&start_col, i, &t0) && column_double (&end_col, i, &t1)))
        {
          if (ms_to_ns (t0, &ns0) && ms_to_ns (t1, &ns1) && ns1 >= ns0)
            pw_profile_builder_add_span (self->builder, lane, start_ns + ns0, ns1 - ns0, -1, name_id,
                                         pw_profile_builder_intern (self->builder, member_string (data, "category"), -1), 0);
          continue;
        }

      if (!column_double (&time_col, i, &t0) && !column_double (&start_col, i, &t0))
        continue;
      if (!ms_to_ns (t0, &ns0))
        continue;

      /* Tracing markers come as start/end pairs of one name. */
      interval = member_string (data, "interval");
      if (g_strcmp0 (interval, "start") == 0)
        {
          GArray *stack = g_hash_table_lookup (open, GUINT_TO_POINTER (name_id));

          if (stack == NULL)
            {
              stack = g_array_new (FALSE, FALSE, sizeof (gint64));
              g_hash_table_insert (open, GUINT_TO_POINTER (name_id), stack);
            }
          if (stack->len < MAX_OPEN_MARKERS)
            g_array_append_val (stack, ns0);
        }
      else if (g_strcmp0 (interval, "end") == 0)
        {
          GArray *stack = g_hash_table_lookup (open, GUINT_TO_POINTER (name_id));

          if (stack != NULL && stack->len > 0)
            {
              gint64 begin = g_array_index (stack, gint64, stack->len - 1);

              g_array_set_size (stack, stack->len - 1);
              if (ns0 >= begin)
                pw_profile_builder_add_span (self->builder, lane, start_ns + begin, ns0 - begin, -1, name_id,
                                             pw_profile_builder_intern (self->builder, member_string (data, "category"), -1), 0);
            }
        }
      else
        {
          pw_profile_builder_add_instant (self->builder, lane, start_ns + ns0, name_id);
        }
    }
}

static void
import_thread (FirefoxLoader *self,
               JsonObject    *thread,
               JsonObject    *meta,
               gint64         start_ns,
               gint64         default_pid,
               JsonArray     *shared_strings)
{
  ThreadTables t = { 0 };
  Table samples;
  Column sample_stack, sample_time, sample_delta, sample_weight;
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *name = member_string (thread, "name");
  const char *weight_type;
  const char *process;
  gint64 pid, tid;
  gint64 weight_scale = self->interval_ns;
  double time_ms = 0;
  guint lane;

  t.loader = self;
  if (!table_init (&samples, get_object (thread, "samples"), "stack"))
    {
      self->n_skipped_threads++;
      return;
    }

  table_init (&t.stacks, get_object (thread, "stackTable"), "frame");
  if (!table_init (&t.frames, get_object (thread, "frameTable"), "func"))
    table_init (&t.frames, get_object (thread, "frameTable"), "location");
  table_init (&t.funcs, get_object (thread, "funcTable"), "name");
  t.stack_prefix = table_column (&t.stacks, "prefix");
  t.stack_frame = table_column (&t.stacks, "frame");
  t.frame_location = table_column (&t.frames, "location");
  t.frame_func = table_column (&t.frames, "func");
  t.func_name = table_column (&t.funcs, "name");
  t.strings = get_array (thread, "stringTable");
  if (t.strings == NULL)
    t.strings = get_array (thread, "stringArray");
  if (t.strings == NULL)
    t.strings = shared_strings;

  t.resolved = g_new0 (guint32, MAX (t.stacks.length, 1));
  t.state = g_new0 (guint8, MAX (t.stacks.length, 1));
  t.frame_names = g_new0 (guint32, MAX (t.frames.length, 1));

  if (!member_int (thread, "pid", &pid))
    pid = default_pid;
  if (!member_int (thread, "tid", &tid))
    tid = self->n_threads;
  lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, pid, tid);
  pw_profile_builder_set_lane_name (self->builder, lane, name != NULL ? name : _("(unnamed thread)"));
  pw_profile_builder_set_lane_sort_index (self->builder, lane, self->n_threads);
  process = process_label (thread, meta);
  if (process != NULL)
    pw_profile_builder_set_process_name (self->builder, pid, process);
  self->n_threads++;

  sample_stack = table_column (&samples, "stack");
  sample_time = table_column (&samples, "time");
  sample_delta = table_column (&samples, "timeDeltas");
  sample_weight = table_column (&samples, "weight");
  weight_type = member_string (get_object (thread, "samples"), "weightType");
  if (g_strcmp0 (weight_type, "tracing-ms") == 0)
    weight_scale = PW_NSEC_PER_MSEC;

  for (guint i = 0; i < samples.length; i++)
    {
      gint64 stack_index = -1;
      gint64 time_ns;
      gint64 weight = self->interval_ns;
      double w;
      guint32 stack;

      if (column_present (&sample_time))
        {
          if (!column_double (&sample_time, i, &time_ms))
            {
              self->n_bad_times++;
              continue;
            }
        }
      else
        {
          double delta = 0;

          column_double (&sample_delta, i, &delta);
          time_ms += delta;
        }
      if (!ms_to_ns (time_ms, &time_ns) || time_ns > G_MAXINT64 / 2 - start_ns)
        {
          self->n_bad_times++;
          continue;
        }

      if (column_double (&sample_weight, i, &w) && w >= 0 && w * (double) weight_scale < 9e18)
        weight = (gint64) llround (w * (double) weight_scale);

      column_int (&sample_stack, i, &stack_index);
      stack = resolve_stack (&t, stack_index, chain);
      pw_profile_builder_add_sample (self->builder, lane, start_ns + time_ns, weight, stack);
      self->n_samples++;
    }

  if (!self->skip_markers)
    import_markers (self, thread, t.strings, lane, start_ns);

  g_free (t.resolved);
  g_free (t.state);
  g_free (t.frame_names);
}

static gboolean import_profile (FirefoxLoader *self,
                                JsonObject    *profile,
                                guint          depth,
                                GError       **error);

/* Threads of old Gecko profiles may be JSON strings: either a thread or a
 * whole sub-process profile. */
static gboolean
import_thread_node (FirefoxLoader *self,
                    JsonNode      *node,
                    JsonObject    *meta,
                    gint64         start_ns,
                    gint64         pid,
                    JsonArray     *shared_strings,
                    guint          depth,
                    GError       **error)
{
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *thread;

  if (self->n_threads >= MAX_THREADS)
    {
      self->n_skipped_threads++;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      g_autoptr(GError) local_error = NULL;

      /* One damaged thread should not hide the others. */
      if (!(parsed = parse_json (self, text, strlen (text), _("a thread given as a string"), &local_error)))
        {
          if (self->n_bad_strings++ == 0)
            self->first_bad_string = g_strdup (local_error->message);
          return TRUE;
        }
      node = parsed;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      self->n_skipped_threads++;
      return TRUE;
    }
  thread = json_node_get_object (node);

  if (json_object_has_member (thread, "meta") && json_object_has_member (thread, "threads"))
    return import_profile (self, thread, depth + 1, error);

  import_thread (self, thread, meta, start_ns, pid, shared_strings);
  return TRUE;
}

static gboolean
import_profile (FirefoxLoader *self,
                JsonObject    *profile,
                guint          depth,
                GError       **error)
{
  JsonObject *meta = get_object (profile, "meta");
  JsonArray *threads = get_array (profile, "threads");
  JsonArray *processes = get_array (profile, "processes");
  JsonArray *shared_strings = get_array (get_object (profile, "shared"), "stringArray");
  gint64 pid = self->n_processes++;
  gint64 start_ns = 0;
  double start_ms, interval_ms;

  if (depth > MAX_PROCESS_DEPTH)
    {
      self->n_skipped_threads++;
      return TRUE;
    }

  if (shared_strings == NULL)
    shared_strings = self->shared_strings;
  if (member_double (meta, "startTime", &start_ms) && !ms_to_ns (start_ms, &start_ns))
    start_ns = 0;
  if (depth == 0 && self->interval_ns == 0)
    {
      if (member_double (meta, "interval", &interval_ms) && interval_ms > 0 && interval_ms < 1e6)
        self->interval_ns = MAX (1, llround (interval_ms * 1e6));
      else
        self->interval_ns = 1;
    }

  for (guint i = 0; threads != NULL && i < json_array_get_length (threads); i++)
    if (!import_thread_node (self, json_array_get_element (threads, i), meta, start_ns, pid,
                             shared_strings, depth, error))
      return FALSE;

  for (guint i = 0; processes != NULL && i < json_array_get_length (processes); i++)
    {
      JsonNode *node = json_array_get_element (processes, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          if (!import_profile (self, json_node_get_object (node), depth + 1, error))
            return FALSE;
        }
      else if (!import_thread_node (self, node, meta, start_ns, pid, shared_strings, depth, error))
        return FALSE;
    }

  return TRUE;
}

static void
set_meta (PwProfileBuilder *builder,
          JsonObject       *meta,
          const char       *member,
          const char       *key)
{
  JsonNode *node = meta != NULL ? json_object_get_member (meta, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return;

  switch (json_node_get_value_type (node) == G_TYPE_STRING ? 's' : 'n')
    {
    case 's':
      pw_profile_builder_set_metadata (builder, key, json_node_get_string (node));
      break;
    default:
      {
        double d;

        if (node_double (node, &d))
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            pw_profile_builder_set_metadata (builder, key, g_ascii_dtostr (buf, sizeof buf, d));
          }
      }
      break;
    }
}

/* The processed format keeps its tables as columns (no "schema"). */
static const char *
detect_layout (JsonObject *profile,
               JsonObject *meta)
{
  JsonArray *threads = get_array (profile, "threads");

  if (json_object_has_member (meta, "preprocessedProfileVersion"))
    return "processed";
  if (threads != NULL && json_array_get_length (threads) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (threads, 0)))
    {
      JsonObject *samples = get_object (json_array_get_object_element (threads, 0), "samples");

      if (samples != NULL && get_object (samples, "schema") == NULL)
        return "processed";
    }

  return "gecko";
}

static gboolean
firefox_load (PwInput           *input,
              PwProfileBuilder  *builder,
              GError           **error)
{
  FirefoxLoader self = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *profile;
  JsonObject *meta;
  const char *data;
  gsize len;
  double start_ms;

  self.builder = builder;
  self.input = input;

  if (!(bytes = pw_input_read_all (input, MAX_DOCUMENT_SIZE, error)))
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  if (!(root = parse_json (&self, data, len, _("the document"), error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: a Firefox profile is a JSON object with “meta” and “threads”"),
                   pw_input_get_display_name (input));
      return FALSE;
    }
  profile = json_node_get_object (root);

  /* The DevTools performance panel (Firefox 59–63) wrapped the profile. */
  if (get_object (profile, "profile") != NULL && get_object (profile, "meta") == NULL)
    {
      profile = get_object (profile, "profile");
      pw_profile_builder_set_metadata (builder, "firefox.wrapper", "devtools");
      /* Its marker times use another clock than its samples. */
      self.skip_markers = TRUE;
    }

  meta = get_object (profile, "meta");
  if (meta == NULL || (get_array (profile, "threads") == NULL && get_array (profile, "processes") == NULL))
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: not a Firefox profile: expected “meta” and “threads” at the top level"),
                   pw_input_get_display_name (input));
      return FALSE;
    }

  set_meta (builder, meta, "product", "firefox.product");
  set_meta (builder, meta, "version", "firefox.version");
  set_meta (builder, meta, "preprocessedProfileVersion", "firefox.preprocessedProfileVersion");
  set_meta (builder, meta, "interval", "firefox.interval_ms");
  set_meta (builder, meta, "platform", "firefox.platform");
  set_meta (builder, meta, "misc", "firefox.misc");
  pw_profile_builder_set_metadata (builder, "firefox.format", detect_layout (profile, meta));
  pw_profile_builder_set_sample_unit (builder, "ns");

  if (!import_profile (&self, profile, 0, error))
    {
      g_free (self.first_bad_string);
      return FALSE;
    }

  /* The recording starts at meta.startTime, not at its first sample. */
  {
    gint64 start_ns;

    if (member_double (meta, "startTime", &start_ms) && ms_to_ns (start_ms, &start_ns)
        && self.n_samples > 0)
      pw_profile_builder_extend (builder, start_ns);
  }

  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "%u", self.n_threads);
    pw_profile_builder_set_metadata (builder, "firefox.threads", buf);
  }

  if (self.n_cycles > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%u stack prefix chains loop back on themselves; they were cut where they close"),
                                    self.n_cycles);
  if (self.n_bad_times > 0)
    pw_profile_builder_add_warning (builder, _("%u samples without a usable time were left out"), self.n_bad_times);
  if (self.n_bad_strings > 0)
    pw_profile_builder_add_warning (builder, _("%u threads given as JSON strings could not be read; the first: %s"),
                                    self.n_bad_strings, self.first_bad_string);
  g_free (self.first_bad_string);
  if (self.n_skipped_threads > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%u threads or processes could not be read (no samples table, or too many or too deeply nested)"),
                                    self.n_skipped_threads);

  return TRUE;
}

static guint
firefox_sniff (const guint8 *head,
               gsize         len,
               const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "\"meta\"")
      && (_pw_head_contains (p, len, "\"threads\"") || _pw_head_contains (p, len, "\"processes\""))
      && (_pw_head_contains (p, len, "\"stackTable\"") || _pw_head_contains (p, len, "\"stringTable\"")
          || _pw_head_contains (p, len, "\"stringArray\"") || _pw_head_contains (p, len, "\"interval\"")))
    return 85;

  /* The DevTools wrapper: {label, duration, markers, ticks, allocations,
   * ..., profile: {libs, meta, threads}}; its libs can push meta far out. */
  if (_pw_head_contains (p, len, "\"profile\":{") && _pw_head_contains (p, len, "\"duration\"")
      && _pw_head_contains (p, len, "\"label\"")
      && (_pw_head_contains (p, len, "\"ticks\"") || _pw_head_contains (p, len, "\"allocations\"")
          || _pw_head_contains (p, len, "\"meta\"")))
    return 80;

  /* A Gecko profile whose shared-library list comes first. */
  if (len > 9 && memcmp (p, "{\"libs\":[", 9) == 0
      && (_pw_head_contains (p, len, "\"breakpadId\"") || _pw_head_contains (p, len, "\"debugName\"")))
    return 70;

  return 0;
}

static const char * const firefox_patterns[] = { "*.json", "*.json.gz", NULL };
static const char * const firefox_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_firefox = {
  .id = "firefox",
  .name = N_("Firefox Profiler"),
  .patterns = firefox_patterns,
  .mime_types = firefox_mime_types,
  .sniff = firefox_sniff,
  .load = firefox_load,
};
