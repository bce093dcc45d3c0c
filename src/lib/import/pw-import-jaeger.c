/* pw-import-jaeger.c: Jaeger JSON traces, as the query API and the UI's
 * "Download JSON" give them ({data:[trace…]}) or as one bare trace object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-jaeger"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-trace.h"

typedef enum
{
  K_OTHER,
  K_DATA,
  K_TRACE_ID,
  K_SPANS,
  K_PROCESSES,
  K_SPAN_ID,
  K_OPERATION,
  K_START,
  K_DURATION,
  K_PROCESS_ID,
  K_PROCESS,
  K_REFERENCES,
  K_REF_TYPE,
  K_TAGS,
  K_LOGS,
  K_FIELDS,
  K_TIMESTAMP,
  K_KEY,
  K_VALUE,
  K_SERVICE_NAME,
} Key;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  PwTraceSet        set;
  PwJsonPath        path;

  /* the trace being read */
  int               trace_depth;
  guint             trace_first_span;
  guint32           trace_id;
  GHashTable       *processes;        /* process id → service name id */
  GArray           *span_process;     /* per span of the trace: process id, or 0 */
  guint32           process_key;
  guint64           n_traces;

  /* the span being read */
  PwTraceSpan       span;
  gboolean          have_start;
  gint64            duration;
  guint32           process_id;
  guint32           embedded_service;
  guint             span_events;
  guint             span_links;
  GString          *tags;
  gboolean          have_parent;

  /* a reference */
  guint32           ref_trace;
  guint32           ref_id;
  gboolean          ref_follows;

  /* a tag or log field */
  GString          *tag_key;
  GString          *tag_value;
  PwJsonWriter      value_writer;
  int               capture_depth;

  /* a log */
  gint64            log_time;
  gboolean          log_has_time;
  guint32           log_name;
} JaegerParser;

static Key
lookup_key (const unsigned char *key,
            size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  if (IS ("data")) return K_DATA;
  if (IS ("traceID") || IS ("traceId")) return K_TRACE_ID;
  if (IS ("spans")) return K_SPANS;
  if (IS ("processes")) return K_PROCESSES;
  if (IS ("spanID") || IS ("spanId")) return K_SPAN_ID;
  if (IS ("operationName")) return K_OPERATION;
  if (IS ("startTime")) return K_START;
  if (IS ("duration")) return K_DURATION;
  if (IS ("processID") || IS ("processId")) return K_PROCESS_ID;
  if (IS ("process")) return K_PROCESS;
  if (IS ("references")) return K_REFERENCES;
  if (IS ("refType")) return K_REF_TYPE;
  if (IS ("tags")) return K_TAGS;
  if (IS ("logs")) return K_LOGS;
  if (IS ("fields")) return K_FIELDS;
  if (IS ("timestamp")) return K_TIMESTAMP;
  if (IS ("key")) return K_KEY;
  if (IS ("value")) return K_VALUE;
  if (IS ("serviceName")) return K_SERVICE_NAME;
#undef IS
  return K_OTHER;
}

#define KEY(d) ((Key) _pw_path_key (&self->path, (d)))

/* The depth of trace objects: 3 in {data:[…]}, 1 for a bare trace. */
static int
trace_depth (JaegerParser *self)
{
  return KEY (1) == K_DATA ? 3 : 1;
}

static gboolean
in_spans (JaegerParser *self)
{
  int t = trace_depth (self);

  return self->path.depth >= t + 2 && KEY (t) == K_SPANS &&
         (t == 1 || _pw_path_is_array (&self->path, 2));
}

static gboolean
at_span (JaegerParser *self)
{
  return in_spans (self) && self->path.depth == trace_depth (self) + 2;
}

/* An element of a span's array (references, tags, logs) at depth S+2. */
static gboolean
at_span_item (JaegerParser *self,
              Key           array)
{
  int s = trace_depth (self) + 2;

  return in_spans (self) && self->path.depth == s + 2 && KEY (s) == array;
}

static gboolean
at_log_field (JaegerParser *self)
{
  int s = trace_depth (self) + 2;

  return in_spans (self) && self->path.depth == s + 4 && KEY (s) == K_LOGS && KEY (s + 2) == K_FIELDS;
}

static gboolean
at_process (JaegerParser *self)
{
  int t = trace_depth (self);

  return self->path.depth == t + 2 && KEY (t) == K_PROCESSES && (t == 1 || _pw_path_is_array (&self->path, 2));
}

static void
on_scalar (JaegerParser *self,
           const char   *str,
           gsize         len,
           gboolean      is_string)
{
  int depth = self->path.depth;
  int t = trace_depth (self);
  int s = t + 2;

  if (self->capture_depth > 0)
    {
      if (is_string)
        _pw_jw_string (&self->value_writer, str, len);
      else
        _pw_jw_raw (&self->value_writer, str, len);
      return;
    }

  if (depth == t && KEY (t) == K_TRACE_ID && is_string && (t == 1 || _pw_path_is_array (&self->path, 2)))
    {
      self->trace_id = _pw_trace_intern_id (self->builder, str, len);
      return;
    }

  if (at_span (self))
    {
      switch (KEY (s))
        {
        case K_TRACE_ID:
          self->span.trace = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_SPAN_ID:
          self->span.id = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_OPERATION:
          self->span.name = pw_profile_builder_intern (self->builder, str, MIN (len, 4096));
          break;
        case K_START:
          self->have_start = _pw_parse_usec_to_nsec (str, len, &self->span.start);
          break;
        case K_DURATION:
          if (!_pw_parse_usec_to_nsec (str, len, &self->duration))
            self->duration = 0;
          break;
        case K_PROCESS_ID:
          self->process_id = pw_profile_builder_intern (self->builder, str, MIN (len, 1024));
          break;
        default:
          break;
        }
      return;
    }

  if (depth == s + 1 && in_spans (self) && KEY (s) == K_PROCESS && KEY (s + 1) == K_SERVICE_NAME)
    {
      self->embedded_service = pw_profile_builder_intern (self->builder, str, MIN (len, 1024));
      return;
    }

  if (at_span_item (self, K_REFERENCES))
    {
      switch (KEY (depth))
        {
        case K_REF_TYPE:
          self->ref_follows = len == 12 && memcmp (str, "FOLLOWS_FROM", 12) == 0;
          break;
        case K_TRACE_ID:
          self->ref_trace = _pw_trace_intern_id (self->builder, str, len);
          break;
        case K_SPAN_ID:
          self->ref_id = _pw_trace_intern_id (self->builder, str, len);
          break;
        default:
          break;
        }
      return;
    }

  if (at_span_item (self, K_TAGS) || at_log_field (self))
    {
      if (KEY (depth) == K_KEY)
        {
          g_string_truncate (self->tag_key, 0);
          g_string_append_len (self->tag_key, str, MIN (len, 1024));
        }
      else if (KEY (depth) == K_VALUE)
        {
          g_string_truncate (self->tag_value, 0);
          if (is_string)
            _pw_json_append_string (self->tag_value, str, len, PW_JSON_MAX_STRING);
          else
            g_string_append_len (self->tag_value, str, len);
        }
      return;
    }

  if (at_span_item (self, K_LOGS) && KEY (depth) == K_TIMESTAMP)
    {
      self->log_has_time = _pw_parse_usec_to_nsec (str, len, &self->log_time);
      return;
    }

  if (at_process (self) && KEY (depth) == K_SERVICE_NAME)
    {
      guint32 service = pw_profile_builder_intern (self->builder, str, MIN (len, 1024));

      g_hash_table_insert (self->processes, GUINT_TO_POINTER (self->process_key + 1),
                           GUINT_TO_POINTER (service));
    }
}

static int
on_null (void *ctx)
{
  JaegerParser *self = ctx;

  if (self->capture_depth > 0)
    _pw_jw_raw (&self->value_writer, "null", 4);
  return 1;
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  JaegerParser *self = ctx;
  int t;

  if (self->capture_depth > 0)
    {
      _pw_jw_key (&self->value_writer, (const char *) key, len);
      return 1;
    }

  _pw_path_set_key (&self->path, lookup_key (key, len));

  t = trace_depth (self);
  if (self->path.depth == t + 1 && KEY (t) == K_PROCESSES)
    self->process_key = pw_profile_builder_intern (self->builder, (const char *) key, MIN (len, 1024));

  return 1;
}

static void
begin_trace (JaegerParser *self)
{
  self->trace_first_span = _pw_trace_set_next (&self->set);
  self->trace_id = 0;
  g_hash_table_remove_all (self->processes);
  g_array_set_size (self->span_process, 0);
}

static void
end_trace (JaegerParser *self)
{
  /* processes usually follow the spans: name the lanes now */
  for (guint i = self->trace_first_span; i < self->set.spans->len; i++)
    {
      PwTraceSpan *span = &g_array_index (self->set.spans, PwTraceSpan, i);
      guint j = i - self->trace_first_span;
      guint32 process = j < self->span_process->len ? g_array_index (self->span_process, guint32, j) : 0;

      if (span->trace == 0)
        span->trace = self->trace_id;
      if (process != 0)
        span->service = GPOINTER_TO_UINT (g_hash_table_lookup (self->processes, GUINT_TO_POINTER (process + 1)));
    }

  self->n_traces++;
  self->trace_first_span = _pw_trace_set_next (&self->set);
  g_array_set_size (self->span_process, 0);
}

static void
begin_span (JaegerParser *self)
{
  memset (&self->span, 0, sizeof self->span);
  self->have_start = FALSE;
  self->have_parent = FALSE;
  self->duration = 0;
  self->process_id = 0;
  self->embedded_service = 0;
  self->span_events = _pw_trace_set_n_events (&self->set);
  self->span_links = _pw_trace_set_n_links (&self->set);
  g_string_truncate (self->tags, 0);
}

static void
end_span (JaegerParser *self)
{
  PwTraceSpan *span = &self->span;
  g_autoptr(GString) args = NULL;
  guint32 process = 0;
  const char *str;

  if (!self->have_start)
    {
      self->set.n_no_time++;
      _pw_trace_set_rewind (&self->set, self->span_events, self->span_links);
      return;
    }

  if (span->id == 0)
    self->set.n_no_id++;
  span->dur = MAX (self->duration, 0);
  if (self->embedded_service != 0)
    span->service = self->embedded_service;
  else
    process = self->process_id;

  args = g_string_new ("{");
  if (span->trace != 0)
    {
      str = pw_profile_builder_get_string (self->builder, span->trace);
      g_string_append (args, "\"traceID\":");
      _pw_json_append_string (args, str, strlen (str), 256);
    }
  if (span->id != 0)
    {
      str = pw_profile_builder_get_string (self->builder, span->id);
      g_string_append_printf (args, "%s\"spanID\":", args->len > 1 ? "," : "");
      _pw_json_append_string (args, str, strlen (str), 256);
    }
  if (self->tags->len > 0)
    g_string_append_printf (args, "%s\"tags\":{%s}", args->len > 1 ? "," : "", self->tags->str);
  g_string_append_c (args, '}');
  span->args = pw_profile_builder_add_args (self->builder, args->str, args->len);

  _pw_trace_set_add_span (&self->set, span);
  g_array_append_val (self->span_process, process);
}

static void
end_reference (JaegerParser *self)
{
  guint32 trace = self->ref_trace != 0 ? self->ref_trace : self->span.trace;

  if (self->ref_id == 0)
    return;

  /* The first reference is the parent (as in Jaeger's UI); more of them
   * are links. */
  if (!self->have_parent && (trace == self->span.trace || self->span.trace == 0))
    {
      self->span.parent = self->ref_id;
      self->span.parent_follows = self->ref_follows;
      self->have_parent = TRUE;
    }
  else
    _pw_trace_set_add_link (&self->set, _pw_trace_set_next (&self->set), trace, self->ref_id);
}

static void
end_tag (JaegerParser *self)
{
  if (self->tag_key->len == 0)
    return;

  if (strcmp (self->tag_key->str, "span.kind") == 0 &&
      self->tag_value->len >= 2 && self->tag_value->str[0] == '"')
    {
      g_autofree char *kind = g_strndup (self->tag_value->str + 1, MIN (self->tag_value->len - 2, 64));
      self->span.kind = pw_profile_builder_intern (self->builder, kind, -1);
    }

  if (self->tags->len > 0)
    g_string_append_c (self->tags, ',');
  _pw_json_append_string (self->tags, self->tag_key->str, self->tag_key->len, 1024);
  g_string_append_c (self->tags, ':');
  if (self->tag_value->len > 0)
    g_string_append_len (self->tags, self->tag_value->str, self->tag_value->len);
  else
    g_string_append (self->tags, "null");
}

static void
end_log_field (JaegerParser *self)
{
  /* a log is named by its "event" (OpenTracing) or "message" field */
  if (self->log_name == 0 && self->tag_value->len >= 2 && self->tag_value->str[0] == '"' &&
      (strcmp (self->tag_key->str, "event") == 0 || strcmp (self->tag_key->str, "message") == 0))
    {
      g_autofree char *name = g_strndup (self->tag_value->str + 1, MIN (self->tag_value->len - 2, 4096));
      self->log_name = pw_profile_builder_intern (self->builder, name, -1);
    }
}

static void
start_container (JaegerParser *self,
                 gboolean      is_array)
{
  PwJsonPath *path = &self->path;

  if (self->capture_depth > 0)
    {
      _pw_path_push (path, is_array);
      _pw_jw_start (&self->value_writer, is_array ? '[' : '{');
      return;
    }

  /* a tag whose value is an object or array: copy it */
  if ((at_span_item (self, K_TAGS) || at_log_field (self)) && KEY (path->depth) == K_VALUE)
    {
      g_string_truncate (self->tag_value, 0);
      _pw_jw_init (&self->value_writer, self->tag_value);
      _pw_path_push (path, is_array);
      self->capture_depth = path->depth;
      _pw_jw_start (&self->value_writer, is_array ? '[' : '{');
      return;
    }

  _pw_path_push (path, is_array);
  if (is_array)
    return;

  if (path->depth == trace_depth (self) && (path->depth == 1 || _pw_path_is_array (path, 2)))
    begin_trace (self);
  else if (at_span (self))
    begin_span (self);
  else if (at_span_item (self, K_REFERENCES))
    {
      self->ref_trace = 0;
      self->ref_id = 0;
      self->ref_follows = FALSE;
    }
  else if (at_span_item (self, K_TAGS) || at_log_field (self))
    {
      g_string_truncate (self->tag_key, 0);
      g_string_truncate (self->tag_value, 0);
    }
  else if (at_span_item (self, K_LOGS))
    {
      self->log_has_time = FALSE;
      self->log_name = 0;
    }
}

static void
end_container (JaegerParser *self,
               gboolean      is_array)
{
  PwJsonPath *path = &self->path;

  if (self->capture_depth > 0)
    {
      _pw_jw_end (&self->value_writer, is_array ? ']' : '}');
      if (path->depth == self->capture_depth)
        self->capture_depth = 0;
      path->depth--;
      return;
    }

  if (!is_array)
    {
      if (path->depth == trace_depth (self) && (path->depth == 1 || _pw_path_is_array (path, 2)))
        end_trace (self);
      else if (at_span (self))
        end_span (self);
      else if (at_span_item (self, K_REFERENCES))
        end_reference (self);
      else if (at_span_item (self, K_TAGS))
        end_tag (self);
      else if (at_log_field (self))
        end_log_field (self);
      else if (at_span_item (self, K_LOGS) && self->log_has_time)
        _pw_trace_set_add_event (&self->set, _pw_trace_set_next (&self->set), self->log_time,
                                 self->log_name != 0 ? self->log_name
                                 : pw_profile_builder_intern (self->builder, "log", -1));
    }

  path->depth--;
}

PW_TRACE_DEFINE_JSON_CALLBACKS ();

static gboolean
jaeger_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  JaegerParser self = { 0 };
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) run_error = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  self.input = input;
  self.builder = builder;
  _pw_trace_set_init (&self.set, builder);
  self.processes = g_hash_table_new (NULL, NULL);
  self.span_process = g_array_new (FALSE, FALSE, sizeof (guint32));
  self.tags = g_string_new (NULL);
  self.tag_key = g_string_new (NULL);
  self.tag_value = g_string_new (NULL);

  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_DEFAULT);
  result = _pw_json_stream_run (stream, &run_error);
  if (result == PW_JSON_STREAM_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      goto out;
    }

  /* a trace cut short still has its spans: give them their services */
  if (result != PW_JSON_STREAM_OK && self.span_process->len > 0)
    end_trace (&self);

  if (!_pw_json_run_conclude (input, builder, stream, result, &run_error,
                              self.set.spans->len, _("spans"), error))
    goto out;

  _pw_trace_set_finish (&self.set);
  ok = TRUE;

out:
  _pw_trace_set_clear (&self.set);
  g_hash_table_unref (self.processes);
  g_array_unref (self.span_process);
  g_string_free (self.tags, TRUE);
  g_string_free (self.tag_key, TRUE);
  g_string_free (self.tag_value, TRUE);
  return ok;
}

static guint
jaeger_sniff (const guint8 *head,
              gsize         len,
              const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "\"traceID\"") &&
      (_pw_head_contains (p, len, "\"spanID\"") || _pw_head_contains (p, len, "\"operationName\"") ||
       _pw_head_contains (p, len, "\"processes\"")))
    return 88;

  return 0;
}

static const char * const jaeger_patterns[] = { "*.json", "*.json.gz", NULL };
static const char * const jaeger_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_jaeger = {
  .id = "jaeger",
  .name = N_("Jaeger JSON trace"),
  .patterns = jaeger_patterns,
  .mime_types = jaeger_mime_types,
  .sniff = jaeger_sniff,
  .load = jaeger_load,
};
