/* pw-import-cpuprofile.c: V8 CPU profiles (.cpuprofile)
 *
 * Two shapes: the current one (Chrome DevTools, Node --cpu-prof) lists
 * nodes flat with children ids, samples as node ids and timeDeltas in
 * microseconds; the legacy one (Node ≤ 10, old DevTools) nests nodes
 * under "head", with times in seconds and absolute sample timestamps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-cpuprofile"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"
#include "pw-json-stream.h"

#define MAX_DEPTH 4096

typedef enum
{
  C_IGNORE,
  C_ROOT,
  C_NODES,
  C_NODE,
  C_CALLFRAME,
  C_CHILDREN,
  C_SAMPLES,
  C_DELTAS,
  C_TIMESTAMPS,
} Context;

typedef enum
{
  K_OTHER,
  K_NODES,
  K_HEAD,
  K_START,
  K_END,
  K_SAMPLES,
  K_DELTAS,
  K_TIMESTAMPS,
  K_ID,
  K_CALLFRAME,
  K_FUNCTION,
  K_CHILDREN,
  K_PARENT,
} Key;

#define NO_NODE G_MAXUINT32

/* Times beyond ±73 years are not real; bounding them keeps every sum and
 * difference of two times inside 64 bits. */
#define MAX_TIME_NS (G_GINT64_CONSTANT (1) << 61)

static gint64
clamp_time (gint64 t)
{
  return CLAMP (t, -MAX_TIME_NS, MAX_TIME_NS);
}

typedef struct
{
  gint64  id;
  gint64  parent_id;
  guint32 name;
  guint32 parent;        /* node index, NO_NODE while unknown */
  guint32 stack;
  guint8  has_id : 1;
  guint8  has_parent_id : 1;
  guint8  has_name : 1;
  guint8  state : 2;     /* 0 unresolved, 1 being resolved, 2 resolved */
} Node;

typedef struct
{
  guint32 parent;        /* node index */
  gint64  child_id;
} Edge;

typedef struct
{
  PwProfileBuilder *builder;

  int               depth;
  Context          *ctx;             /* MAX_DEPTH + 1 */
  Key              *key;
  gboolean          root_seen;
  gboolean          legacy;

  GArray           *nodes;           /* Node */
  GArray           *node_stack;      /* guint32 node index per open node map */
  GArray           *edges;           /* Edge */
  GArray           *samples;         /* gint64 node id */
  GArray           *deltas;          /* gint64 ns */
  GArray           *timestamps;      /* gint64 ns */
  double            start_time;
  double            end_time;
  gboolean          has_start;
  gboolean          has_end;

  guint64           n_unknown;
  guint64           n_cycles;
  guint64           n_bad_times;
} Parser;

/* Node ids are most of a big file: plain decimals read without strtoll;
 * anything else goes through _pw_parse_int64. */
static gboolean
parse_id (const char *str,
          size_t      len,
          gint64     *value)
{
  gint64 v = 0;

  if (len == 0 || len > 18)
    return _pw_parse_int64 (str, len, value);
  for (size_t i = 0; i < len; i++)
    {
      if (str[i] < '0' || str[i] > '9')
        return _pw_parse_int64 (str, len, value);
      v = v * 10 + (str[i] - '0');
    }

  *value = v;
  return TRUE;
}

static Key
lookup_key (const unsigned char *key,
            size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  if (IS ("id")) return K_ID;
  if (IS ("callFrame")) return K_CALLFRAME;
  if (IS ("functionName")) return K_FUNCTION;
  if (IS ("children")) return K_CHILDREN;
  if (IS ("parent")) return K_PARENT;
  if (IS ("nodes")) return K_NODES;
  if (IS ("head")) return K_HEAD;
  if (IS ("startTime")) return K_START;
  if (IS ("endTime")) return K_END;
  if (IS ("samples")) return K_SAMPLES;
  if (IS ("timeDeltas")) return K_DELTAS;
  if (IS ("timestamps")) return K_TIMESTAMPS;
#undef IS
  return K_OTHER;
}

static Node *
current_node (Parser *self)
{
  if (self->node_stack->len == 0)
    return NULL;
  return &g_array_index (self->nodes, Node,
                         g_array_index (self->node_stack, guint32, self->node_stack->len - 1));
}

static Context
current (Parser *self)
{
  return self->depth <= MAX_DEPTH ? self->ctx[self->depth] : C_IGNORE;
}

static Key
current_key (Parser *self)
{
  return self->depth <= MAX_DEPTH ? self->key[self->depth] : K_OTHER;
}

static int
on_number (void       *ctx,
           const char *str,
           size_t      len)
{
  Parser *self = ctx;
  Context c = current (self);
  Key k = current_key (self);
  gint64 v;

  switch (c)
    {
    case C_ROOT:
      if (k == K_START)
        self->has_start = _pw_json_parse_double (str, len, &self->start_time);
      else if (k == K_END)
        self->has_end = _pw_json_parse_double (str, len, &self->end_time);
      break;

    case C_NODE:
      {
        Node *node = current_node (self);

        if (node == NULL)
          break;
        if (k == K_ID && parse_id (str, len, &node->id))
          node->has_id = TRUE;
        else if (k == K_PARENT && _pw_parse_int64 (str, len, &node->parent_id))
          node->has_parent_id = TRUE;
      }
      break;

    case C_CHILDREN:
      if (!self->legacy && self->node_stack->len > 0 && parse_id (str, len, &v))
        {
          Edge edge = { g_array_index (self->node_stack, guint32, self->node_stack->len - 1), v };
          g_array_append_val (self->edges, edge);
        }
      break;

    case C_SAMPLES:
      if (!parse_id (str, len, &v))
        v = G_MININT64;
      g_array_append_val (self->samples, v);
      break;

    case C_DELTAS:
    case C_TIMESTAMPS:
      if (!_pw_parse_usec_to_nsec (str, len, &v))
        {
          self->n_bad_times++;
          v = 0;
        }
      v = clamp_time (v);
      g_array_append_val (c == C_DELTAS ? self->deltas : self->timestamps, v);
      break;

    default:
      break;
    }

  return 1;
}

static int
on_string (void                *ctx,
           const unsigned char *str,
           size_t               len)
{
  Parser *self = ctx;
  Context c = current (self);
  Key k = current_key (self);

  if ((c == C_CALLFRAME || c == C_NODE) && k == K_FUNCTION)
    {
      Node *node = current_node (self);

      if (node != NULL)
        {
          node->name = len > 0
            ? pw_profile_builder_intern (self->builder, (const char *)str, len)
            : pw_profile_builder_intern (self->builder, _("(anonymous)"), -1);
          node->has_name = TRUE;
        }
    }
  else if (c == C_NODE && k == K_ID)
    {
      /* Some writers quote ids. */
      Node *node = current_node (self);

      if (node != NULL && _pw_parse_int64 ((const char *)str, len, &node->id))
        node->has_id = TRUE;
    }

  return 1;
}

static int
on_other (void *ctx)
{
  return 1;
}

static int
on_boolean (void *ctx,
            int   value)
{
  return 1;
}

static Context
child_context (Parser   *self,
               gboolean  is_map)
{
  Context parent;
  Key key;

  if (self->depth == 0)
    return is_map ? C_ROOT : C_IGNORE;
  if (self->depth >= MAX_DEPTH)
    return C_IGNORE;

  parent = self->ctx[self->depth];
  key = self->key[self->depth];

  switch (parent)
    {
    case C_ROOT:
      if (!is_map && key == K_NODES)
        return C_NODES;
      if (is_map && key == K_HEAD)
        {
          self->legacy = TRUE;
          return C_NODE;
        }
      if (!is_map && key == K_SAMPLES)
        return C_SAMPLES;
      if (!is_map && key == K_DELTAS)
        return C_DELTAS;
      if (!is_map && key == K_TIMESTAMPS)
        return C_TIMESTAMPS;
      break;
    case C_NODES:
      return is_map ? C_NODE : C_IGNORE;
    case C_NODE:
      if (is_map && key == K_CALLFRAME)
        return C_CALLFRAME;
      if (!is_map && key == K_CHILDREN)
        return C_CHILDREN;
      break;
    case C_CHILDREN:
      /* legacy: nodes nested in their parent */
      return is_map ? C_NODE : C_IGNORE;
    case C_IGNORE:
    case C_CALLFRAME:
    case C_SAMPLES:
    case C_DELTAS:
    case C_TIMESTAMPS:
    default:
      break;
    }

  return C_IGNORE;
}

static void
enter (Parser   *self,
       gboolean  is_map)
{
  Context c = child_context (self, is_map);

  self->depth++;
  if (self->depth > MAX_DEPTH)
    return;

  self->ctx[self->depth] = c;
  self->key[self->depth] = K_OTHER;

  if (c == C_ROOT)
    self->root_seen = TRUE;
  else if (c == C_NODE)
    {
      Node node = { 0 };
      guint32 index = self->nodes->len;

      node.parent = NO_NODE;
      /* Nested (legacy) nodes know their parent by where they are. */
      if (self->depth >= 2 && self->ctx[self->depth - 1] == C_CHILDREN && self->node_stack->len > 0)
        node.parent = g_array_index (self->node_stack, guint32, self->node_stack->len - 1);
      g_array_append_val (self->nodes, node);
      g_array_append_val (self->node_stack, index);
    }
}

static void
leave (Parser *self)
{
  if (current (self) == C_NODE && self->node_stack->len > 0)
    g_array_set_size (self->node_stack, self->node_stack->len - 1);
  self->depth--;
}

static int
on_start_map (void *ctx)
{
  enter (ctx, TRUE);
  return 1;
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  Parser *self = ctx;

  if (self->depth <= MAX_DEPTH)
    self->key[self->depth] = lookup_key (key, len);
  return 1;
}

static int
on_end (void *ctx)
{
  leave (ctx);
  return 1;
}

static int
on_start_array (void *ctx)
{
  enter (ctx, FALSE);
  return 1;
}

static const yajl_callbacks callbacks = {
  on_other,
  on_boolean,
  NULL,
  NULL,
  on_number,
  on_string,
  on_start_map,
  on_map_key,
  on_end,
  on_start_array,
  on_end,
};

/* Walks up to the first resolved ancestor, then pushes the frames down
 * again: no recursion, whatever the depth; a cycle is cut where found. */
static guint32
resolve (Parser  *self,
         guint32  index,
         GArray  *chain,
         guint32  root_name)
{
  Node *nodes = (Node *)(gpointer) self->nodes->data;
  guint32 parent_stack = PW_NO_STACK;
  guint32 i = index;

  g_array_set_size (chain, 0);

  while (i != NO_NODE && nodes[i].state != 2)
    {
      if (nodes[i].state == 1)
        {
          /* Back at a node of this very chain: a cycle, cut above the
           * last node walked, which becomes a root. */
          self->n_cycles++;
          nodes[g_array_index (chain, guint32, chain->len - 1)].parent = NO_NODE;
          i = NO_NODE;
          break;
        }
      nodes[i].state = 1;
      g_array_append_val (chain, i);
      i = nodes[i].parent;
    }

  if (i != NO_NODE)
    parent_stack = nodes[i].stack;

  for (guint k = chain->len; k > 0; k--)
    {
      Node *node = &nodes[g_array_index (chain, guint32, k - 1)];

      /* The "(root)" node above everything is not a frame. */
      if (node->parent == NO_NODE && node->name == root_name)
        node->stack = PW_NO_STACK;
      else
        node->stack = pw_profile_builder_push_frame (self->builder, parent_stack, node->name);
      node->state = 2;
      parent_stack = node->stack;
    }

  return nodes[index].stack;
}

static gboolean
finish (Parser  *self,
        PwInput *input,
        GError **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) times = NULL;
  Node *nodes = (Node *)(gpointer) self->nodes->data;
  guint32 root_name = pw_profile_builder_intern (self->builder, "(root)", -1);
  guint32 anonymous = pw_profile_builder_intern (self->builder, _("(anonymous)"), -1);
  gint64 start_ns = 0, end_ns = 0;
  gboolean has_start_ns = FALSE, has_end_ns = FALSE;
  guint n_samples = self->samples->len;
  guint lane;
  gint64 mean;
  char buf[32];

  if (self->nodes->len == 0)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: not a V8 CPU profile: expected “nodes” or “head”"),
                   pw_input_get_display_name (input));
      return FALSE;
    }

  for (guint i = 0; i < self->nodes->len; i++)
    {
      if (!nodes[i].has_name)
        {
          nodes[i].name = anonymous;
          nodes[i].has_name = TRUE;
        }
      if (nodes[i].has_id)
        g_hash_table_insert (by_id, &nodes[i].id, GUINT_TO_POINTER (i + 1));
    }

  /* Parents from children lists, then from "parent" ids. */
  for (guint i = 0; i < self->edges->len; i++)
    {
      const Edge *edge = &g_array_index (self->edges, Edge, i);
      gpointer found = g_hash_table_lookup (by_id, &edge->child_id);

      if (found != NULL && nodes[GPOINTER_TO_UINT (found) - 1].parent == NO_NODE &&
          GPOINTER_TO_UINT (found) - 1 != edge->parent)
        nodes[GPOINTER_TO_UINT (found) - 1].parent = edge->parent;
    }
  for (guint i = 0; i < self->nodes->len; i++)
    if (nodes[i].has_parent_id && nodes[i].parent == NO_NODE)
      {
        gpointer found = g_hash_table_lookup (by_id, &nodes[i].parent_id);

        if (found != NULL && GPOINTER_TO_UINT (found) - 1 != i)
          nodes[i].parent = GPOINTER_TO_UINT (found) - 1;
      }

  /* Times: the current shape counts microseconds, the legacy one
   * seconds. */
  if (self->has_start)
    {
      double factor = self->legacy ? 1e9 : 1e3;
      double v = self->start_time * factor;

      if (isfinite (v) && fabs (v) < (double) MAX_TIME_NS)
        {
          start_ns = (gint64) llround (v);
          has_start_ns = TRUE;
        }
    }
  if (self->has_end)
    {
      double factor = self->legacy ? 1e9 : 1e3;
      double v = self->end_time * factor;

      if (isfinite (v) && fabs (v) < (double) MAX_TIME_NS)
        {
          end_ns = (gint64) llround (v);
          has_end_ns = TRUE;
        }
    }

  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_samples);
  if (self->timestamps->len > 0)
    {
      if (self->timestamps->len < n_samples)
        n_samples = self->timestamps->len;
      g_array_append_vals (times, self->timestamps->data, n_samples);

      /* Legacy start and end times are whole seconds, coarser than the
       * samples: the timestamps give the extent, and the one after the
       * last sample (Node writes it) is the end. */
      has_start_ns = has_end_ns = FALSE;
      if (n_samples > 0)
        {
          start_ns = g_array_index (times, gint64, 0);
          has_start_ns = TRUE;
        }
      if (self->timestamps->len > n_samples)
        {
          end_ns = g_array_index (self->timestamps, gint64, n_samples);
          has_end_ns = TRUE;
        }
    }
  else if (self->deltas->len > 0)
    {
      gint64 t = start_ns;

      if (self->deltas->len < n_samples)
        n_samples = self->deltas->len;
      for (guint i = 0; i < n_samples; i++)
        {
          gint64 d = g_array_index (self->deltas, gint64, i);

          /* both within ±2^61: the sum fits */
          t = clamp_time (t + d);
          g_array_append_val (times, t);
        }
    }
  else
    {
      /* No times at all: spread the samples over the recording. */
      for (guint i = 0; i < n_samples; i++)
        {
          gint64 t = start_ns;

          if (has_end_ns && end_ns > start_ns && n_samples > 0)
            t += (gint64)(((double) end_ns - (double) start_ns) * i / n_samples);
          else
            t += i;
          g_array_append_val (times, t);
        }
    }

  if (n_samples < self->samples->len)
    pw_profile_builder_add_warning (self->builder,
                                    _("%u samples have no time; they were skipped"),
                                    self->samples->len - n_samples);

  mean = 0;
  if (n_samples > 1)
    {
      gint64 first = g_array_index (times, gint64, 0);
      gint64 last = g_array_index (times, gint64, n_samples - 1);

      if (last > first)
        mean = (last - first) / (n_samples - 1);
    }

  lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, 1, 1);
  pw_profile_builder_set_lane_name (self->builder, lane, _("JavaScript"));
  pw_profile_builder_set_sample_unit (self->builder, "ns");

  for (guint i = 0; i < n_samples; i++)
    {
      gint64 id = g_array_index (self->samples, gint64, i);
      gint64 t = g_array_index (times, gint64, i);
      gpointer found = g_hash_table_lookup (by_id, &id);
      guint32 stack, index;
      gint64 weight;

      if (found == NULL)
        {
          self->n_unknown++;
          continue;
        }
      index = GPOINTER_TO_UINT (found) - 1;
      stack = nodes[index].state == 2 ? nodes[index].stack : resolve (self, index, chain, root_name);
      if (stack == PW_NO_STACK)
        stack = pw_profile_builder_push_frame (self->builder, PW_NO_STACK, root_name);

      if (i + 1 < n_samples)
        weight = g_array_index (times, gint64, i + 1) - t;
      else if (has_end_ns && end_ns > t)
        weight = end_ns - t;
      else
        weight = mean;
      if (weight < 0)
        weight = 0;

      pw_profile_builder_add_sample (self->builder, lane, t, weight, stack);
    }

  if (has_start_ns)
    pw_profile_builder_extend (self->builder, start_ns);
  if (has_end_ns)
    pw_profile_builder_extend (self->builder, end_ns);

  if (self->n_unknown > 0)
    pw_profile_builder_add_warning (self->builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%lu sample names a node that does not exist; it was skipped",
                                                 "%lu samples name nodes that do not exist; they were skipped",
                                                 (gulong) self->n_unknown),
                                    (gulong) self->n_unknown);
  if (self->n_cycles > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("The node tree has cycles (%lu); they were cut"),
                                    (gulong) self->n_cycles);
  if (self->n_bad_times > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("%lu time values were not numbers; they count as 0"),
                                    (gulong) self->n_bad_times);

  g_snprintf (buf, sizeof buf, "%u", self->nodes->len);
  pw_profile_builder_set_metadata (self->builder, "cpuprofile.nodes", buf);
  pw_profile_builder_set_metadata (self->builder, "cpuprofile.shape", self->legacy ? "legacy" : "nodes");

  return TRUE;
}

static gboolean
cpuprofile_load (PwInput           *input,
                 PwProfileBuilder  *builder,
                 GError           **error)
{
  Parser self = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PwJsonStream) stream = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  self.builder = builder;
  self.ctx = g_new0 (Context, MAX_DEPTH + 1);
  self.key = g_new0 (Key, MAX_DEPTH + 1);
  self.nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  self.node_stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  self.edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  self.samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  self.deltas = g_array_new (FALSE, FALSE, sizeof (gint64));
  self.timestamps = g_array_new (FALSE, FALSE, sizeof (gint64));

  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_DEFAULT);
  result = _pw_json_stream_run (stream, &local_error);

  if (result == PW_JSON_STREAM_FAILED || result == PW_JSON_STREAM_MALFORMED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  if (!self.root_seen)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: not a V8 CPU profile: expected a JSON object with “nodes” and “samples”"),
                   pw_input_get_display_name (input));
      goto out;
    }
  if (result == PW_JSON_STREAM_TRUNCATED)
    {
      if (self.nodes->len == 0 || self.samples->len == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      pw_profile_builder_add_warning (builder,
                                      _("The file ends early, at byte %" PRIu64
                                        ": showing the samples read before"),
                                      _pw_json_stream_get_offset (stream));
    }

  ok = finish (&self, input, error);

out:
  g_free (self.ctx);
  g_free (self.key);
  g_array_unref (self.nodes);
  g_array_unref (self.node_stack);
  g_array_unref (self.edges);
  g_array_unref (self.samples);
  g_array_unref (self.deltas);
  g_array_unref (self.timestamps);

  return ok;
}

static guint
cpuprofile_sniff (const guint8 *head,
                  gsize         len,
                  const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;
  if (_pw_head_contains (p, len, "\"traceEvents\""))
    return 0;

  if (_pw_head_contains (p, len, "\"nodes\"") && _pw_head_contains (p, len, "\"callFrame\""))
    return 85;
  if (_pw_head_contains (p, len, "\"head\"") && _pw_head_contains (p, len, "\"functionName\""))
    return 85;

  return 0;
}

static const char * const cpuprofile_patterns[] = { "*.cpuprofile", "*.cpuprofile.gz", NULL };
static const char * const cpuprofile_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_cpuprofile = {
  .id = "cpuprofile",
  .name = N_("V8 CPU profile"),
  .patterns = cpuprofile_patterns,
  .mime_types = cpuprofile_mime_types,
  .sniff = cpuprofile_sniff,
  .load = cpuprofile_load,
};
