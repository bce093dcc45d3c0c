/* pw-import-otlp.c: OpenTelemetry traces as OTLP/JSON (an export request,
 * Tempo's "batches", or JSON Lines of requests as the Collector's file
 * exporter writes them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-otlp"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-trace.h"

/* Nesting of a span in a request:
 * {resourceSpans:[{resource:{attributes:[{key,value:{…}}]},
 *                  scopeSpans:[{spans:[SPAN]}]}]}
 *  1 2            3 4          5           6 7
 * one level deeper in Tempo's {"trace": {resourceSpans: …}} */
#define BASE       (KEY (1) == K_TRACE ? 1 : 0)
#define D_RS       (3 + BASE)
#define D_RES_ATTR (6 + BASE)
#define D_SPAN     (7 + BASE)
#define D_SUB      (9 + BASE)    /* an attribute, event or link of a span */

typedef enum
{
  K_OTHER,
  K_RESOURCE_SPANS,
  K_RESOURCE_OTHER,    /* resourceMetrics, resourceLogs, resourceProfiles */
  K_RESOURCE,
  K_SCOPE_SPANS,
  K_SPANS,
  K_ATTRIBUTES,
  K_KEY,
  K_VALUE,
  K_STRING_VALUE,
  K_SCALAR_VALUE,      /* intValue, doubleValue, boolValue, bytesValue */
  K_COMPLEX_VALUE,     /* arrayValue, kvlistValue */
  K_TRACE_ID,
  K_SPAN_ID,
  K_PARENT_SPAN_ID,
  K_NAME,
  K_KIND,
  K_START,
  K_END,
  K_STATUS,
  K_EVENTS,
  K_LINKS,
  K_TIME,
  K_CODE,
  K_MESSAGE,
  K_TRACE,
} Key;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  PwTraceSet        set;
  PwJsonPath        path;

  /* the request being read */
  gboolean          doc_has_spans;
  gboolean          doc_has_other;
  guint64           n_docs;
  guint64           n_other_docs;
  guint             resource_first_span;
  guint32           service;

  /* the span being read */
  gboolean          in_span;
  gboolean          in_resource;
  PwTraceSpan       span;
  gboolean          have_start;
  gboolean          have_end;
  gboolean          bad_time;
  gint64            end;
  guint             span_events;
  guint             span_links;
  GString          *attrs;           /* "k":v,… of the span */
  PwJsonWriter      attrs_writer;
  GString          *status;
  guint32           kind_name;

  /* an attribute being read (of the resource, or the span) */
  GString          *attr_key;
  GString          *attr_value;
  PwJsonWriter      value_writer;
  int               capture_depth;   /* > 0 while copying a complex value */

  /* an event or link being read */
  gint64            sub_time;
  gboolean          sub_has_time;
  guint32           sub_name;
  guint32           sub_trace;
  guint32           sub_id;
} OtlpParser;

static Key
lookup_key (const unsigned char *key,
            size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  if (IS ("resourceSpans") || IS ("batches")) return K_RESOURCE_SPANS;
  if (IS ("resourceMetrics") || IS ("resourceLogs") || IS ("resourceProfiles")) return K_RESOURCE_OTHER;
  if (IS ("resource")) return K_RESOURCE;
  if (IS ("scopeSpans") || IS ("instrumentationLibrarySpans") || IS ("scope_spans")) return K_SCOPE_SPANS;
  if (IS ("spans")) return K_SPANS;
  if (IS ("attributes")) return K_ATTRIBUTES;
  if (IS ("key")) return K_KEY;
  if (IS ("value")) return K_VALUE;
  if (IS ("stringValue")) return K_STRING_VALUE;
  if (IS ("intValue") || IS ("doubleValue") || IS ("boolValue") || IS ("bytesValue")) return K_SCALAR_VALUE;
  if (IS ("arrayValue") || IS ("kvlistValue")) return K_COMPLEX_VALUE;
  if (IS ("traceId") || IS ("trace_id")) return K_TRACE_ID;
  if (IS ("spanId") || IS ("span_id")) return K_SPAN_ID;
  if (IS ("parentSpanId") || IS ("parent_span_id")) return K_PARENT_SPAN_ID;
  if (IS ("name")) return K_NAME;
  if (IS ("kind")) return K_KIND;
  if (IS ("startTimeUnixNano") || IS ("start_time_unix_nano")) return K_START;
  if (IS ("endTimeUnixNano") || IS ("end_time_unix_nano")) return K_END;
  if (IS ("status")) return K_STATUS;
  if (IS ("events")) return K_EVENTS;
  if (IS ("links")) return K_LINKS;
  if (IS ("timeUnixNano") || IS ("time_unix_nano")) return K_TIME;
  if (IS ("code")) return K_CODE;
  if (IS ("message")) return K_MESSAGE;
  if (IS ("trace")) return K_TRACE;
#undef IS
  return K_OTHER;
}

#define KEY(d) ((Key) _pw_path_key (&self->path, (d)))

/* Where the parser is, from the keys that lead there. */
static gboolean
in_resource_spans (OtlpParser *self)
{
  return self->path.depth >= D_RS && KEY (1 + BASE) == K_RESOURCE_SPANS;
}

static gboolean
at_span (OtlpParser *self)
{
  return self->path.depth == D_SPAN && in_resource_spans (self) &&
         KEY (D_RS) == K_SCOPE_SPANS && KEY (D_RS + 2) == K_SPANS;
}

static gboolean
inside_span (OtlpParser *self)
{
  return self->path.depth > D_SPAN && in_resource_spans (self) &&
         KEY (D_RS) == K_SCOPE_SPANS && KEY (D_RS + 2) == K_SPANS;
}

/* A {key, value} element of attributes, at depth d. */
static gboolean
at_resource_attr (OtlpParser *self)
{
  return self->path.depth == D_RES_ATTR && in_resource_spans (self) &&
         KEY (D_RS) == K_RESOURCE && KEY (D_RS + 1) == K_ATTRIBUTES;
}

static gboolean
at_span_attr (OtlpParser *self)
{
  return self->path.depth == D_SUB && inside_span (self) && KEY (D_SPAN) == K_ATTRIBUTES;
}

static const char *
kind_name (gint64 kind)
{
  static const char * const names[] = { "unspecified", "internal", "server", "client", "producer", "consumer" };

  return kind >= 0 && kind < (gint64) G_N_ELEMENTS (names) ? names[kind] : "unspecified";
}

static void
set_kind (OtlpParser *self,
          const char *str,
          gsize       len)
{
  gint64 v;
  g_autofree char *lower = NULL;

  if (_pw_parse_int64 (str, len, &v))
    {
      self->kind_name = pw_profile_builder_intern (self->builder, kind_name (v), -1);
      return;
    }

  /* "SPAN_KIND_SERVER" */
  if (len > 10 && memcmp (str, "SPAN_KIND_", 10) == 0)
    {
      str += 10;
      len -= 10;
    }
  lower = g_ascii_strdown (str, MIN (len, 64));
  self->kind_name = pw_profile_builder_intern (self->builder, lower, -1);
}

static void
add_value_text (OtlpParser *self,
                const char *str,
                gsize       len,
                gboolean    is_string)
{
  g_string_truncate (self->attr_value, 0);
  if (is_string)
    _pw_json_append_string (self->attr_value, str, len, PW_JSON_MAX_STRING);
  else
    g_string_append_len (self->attr_value, str, len);
}

static void
on_scalar (OtlpParser *self,
           const char *str,
           gsize       len,
           gboolean    is_string)
{
  PwJsonPath *path = &self->path;

  if (self->capture_depth > 0)
    {
      if (is_string)
        _pw_jw_string (&self->value_writer, str, len);
      else
        _pw_jw_raw (&self->value_writer, str, len);
      return;
    }

  if (at_span (self))
    {
      switch (KEY (D_SPAN))
        {
        case K_TRACE_ID:
          self->span.trace = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_SPAN_ID:
          self->span.id = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_PARENT_SPAN_ID:
          self->span.parent = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_NAME:
          self->span.name = pw_profile_builder_intern (self->builder, str, MIN (len, 4096));
          break;
        case K_KIND:
          set_kind (self, str, len);
          break;
        case K_START:
          self->have_start = _pw_trace_parse_int (str, len, &self->span.start);
          self->bad_time |= !self->have_start;
          break;
        case K_END:
          self->have_end = _pw_trace_parse_int (str, len, &self->end);
          break;
        default:
          break;
        }
      return;
    }

  if (path->depth == D_SPAN + 1 && inside_span (self) && KEY (D_SPAN) == K_STATUS)
    {
      Key key = KEY (D_SPAN + 1);

      if (key == K_CODE || key == K_MESSAGE)
        {
          if (self->status->len > 0)
            g_string_append_c (self->status, ',');
          g_string_append (self->status, key == K_CODE ? "\"code\":" : "\"message\":");
          if (is_string || key == K_MESSAGE)
            _pw_json_append_string (self->status, str, len, 4096);
          else
            g_string_append_len (self->status, str, len);
        }
      return;
    }

  if (path->depth == D_SUB && inside_span (self) &&
      (KEY (D_SPAN) == K_EVENTS || KEY (D_SPAN) == K_LINKS))
    {
      switch (KEY (D_SUB))
        {
        case K_TIME:
          self->sub_has_time = _pw_trace_parse_int (str, len, &self->sub_time);
          break;
        case K_NAME:
          self->sub_name = pw_profile_builder_intern (self->builder, str, MIN (len, 4096));
          break;
        case K_TRACE_ID:
          self->sub_trace = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        case K_SPAN_ID:
          self->sub_id = is_string ? _pw_trace_intern_id (self->builder, str, len) : 0;
          break;
        default:
          break;
        }
      return;
    }

  /* {key: "…"} of an attribute, or a scalar inside its {value: {…}} */
  if (at_resource_attr (self) || at_span_attr (self))
    {
      if (KEY (path->depth) == K_KEY)
        {
          g_string_truncate (self->attr_key, 0);
          g_string_append_len (self->attr_key, str, MIN (len, 1024));
        }
      return;
    }

  if ((path->depth == D_RES_ATTR + 1 && KEY (D_RES_ATTR) == K_VALUE &&
       in_resource_spans (self) && KEY (D_RS) == K_RESOURCE && KEY (D_RS + 1) == K_ATTRIBUTES) ||
      (path->depth == D_SUB + 1 && KEY (D_SUB) == K_VALUE &&
       inside_span (self) && KEY (D_SPAN) == K_ATTRIBUTES))
    {
      Key key = KEY (path->depth);

      if (key == K_STRING_VALUE)
        add_value_text (self, str, len, TRUE);
      else if (key == K_SCALAR_VALUE)
        {
          gint64 v;

          /* intValue is a string in OTLP/JSON; a number reads better */
          if (is_string && _pw_parse_int64 (str, len, &v))
            add_value_text (self, str, len, FALSE);
          else
            add_value_text (self, str, len, is_string);
        }
    }
}

static int
on_null (void *ctx)
{
  OtlpParser *self = ctx;

  if (self->capture_depth > 0)
    _pw_jw_raw (&self->value_writer, "null", 4);
  return 1;
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  OtlpParser *self = ctx;

  if (self->capture_depth > 0)
    {
      _pw_jw_key (&self->value_writer, (const char *) key, len);
      return 1;
    }

  _pw_path_set_key (&self->path, lookup_key (key, len));

  if (self->path.depth == 1 + BASE)
    {
      Key k = KEY (self->path.depth);

      if (k == K_RESOURCE_SPANS)
        self->doc_has_spans = TRUE;
      else if (k == K_RESOURCE_OTHER)
        self->doc_has_other = TRUE;
    }

  return 1;
}

static void
begin_span (OtlpParser *self)
{
  memset (&self->span, 0, sizeof self->span);
  self->in_span = TRUE;
  self->have_start = FALSE;
  self->have_end = FALSE;
  self->bad_time = FALSE;
  self->end = 0;
  self->kind_name = 0;
  self->span_events = _pw_trace_set_n_events (&self->set);
  self->span_links = _pw_trace_set_n_links (&self->set);
  g_string_truncate (self->attrs, 0);
  g_string_truncate (self->status, 0);
}

static void
append_id (GString          *out,
           PwProfileBuilder *builder,
           const char       *key,
           guint32           id)
{
  const char *str;

  if (id == 0)
    return;
  str = pw_profile_builder_get_string (builder, id);
  g_string_append_printf (out, "%s\"%s\":", out->len > 1 ? "," : "", key);
  _pw_json_append_string (out, str, strlen (str), 256);
}

static void
end_span (OtlpParser *self)
{
  PwTraceSpan *span = &self->span;
  g_autoptr(GString) args = NULL;

  self->in_span = FALSE;
  if (!self->have_start)
    {
      self->set.n_no_time++;
      _pw_trace_set_rewind (&self->set, self->span_events, self->span_links);
      return;
    }

  if (span->id == 0)
    self->set.n_no_id++;

  span->dur = self->have_end && self->end > span->start ? self->end - span->start : 0;
  span->kind = self->kind_name;
  span->service = self->service;

  args = g_string_new ("{");
  append_id (args, self->builder, "traceId", span->trace);
  append_id (args, self->builder, "spanId", span->id);
  append_id (args, self->builder, "parentSpanId", span->parent);
  if (self->kind_name != 0)
    append_id (args, self->builder, "kind", self->kind_name);
  if (self->status->len > 0)
    g_string_append_printf (args, "%s\"status\":{%s}", args->len > 1 ? "," : "", self->status->str);
  if (self->attrs->len > 0)
    g_string_append_printf (args, "%s\"attributes\":{%s}", args->len > 1 ? "," : "", self->attrs->str);
  g_string_append_c (args, '}');
  span->args = pw_profile_builder_add_args (self->builder, args->str, args->len);

  _pw_trace_set_add_span (&self->set, span);
}

static void
end_attr (OtlpParser *self,
          gboolean    of_resource)
{
  if (of_resource)
    {
      if (strcmp (self->attr_key->str, "service.name") == 0 &&
          self->attr_value->len >= 2 && self->attr_value->str[0] == '"')
        {
          /* the value is a JSON string literal; services are plain names */
          g_autofree char *name = g_strndup (self->attr_value->str + 1, self->attr_value->len - 2);
          self->service = pw_profile_builder_intern (self->builder, name, -1);
        }
      return;
    }

  if (self->attr_key->len == 0 && self->attr_value->len == 0)
    return;

  if (self->attrs->len > 0)
    g_string_append_c (self->attrs, ',');
  _pw_json_append_string (self->attrs, self->attr_key->str, self->attr_key->len, 1024);
  g_string_append_c (self->attrs, ':');
  if (self->attr_value->len > 0)
    g_string_append_len (self->attrs, self->attr_value->str, self->attr_value->len);
  else
    g_string_append (self->attrs, "null");
}

static void
end_resource (OtlpParser *self)
{
  /* The resource may come after its spans: name them now. */
  for (guint i = self->resource_first_span; i < self->set.spans->len; i++)
    g_array_index (self->set.spans, PwTraceSpan, i).service = self->service;
  self->in_resource = FALSE;
}

/* A broken line of JSON Lines: keep its complete spans, forget the rest.
 * Only once a whole request was read is the input JSON Lines; an error
 * in a lone document ends the parse. */
static gboolean
resync (gpointer ctx)
{
  OtlpParser *self = ctx;

  if (self->n_docs == 0)
    return FALSE;

  if (self->in_span)
    _pw_trace_set_rewind (&self->set, self->span_events, self->span_links);
  self->in_span = FALSE;
  if (self->in_resource)
    end_resource (self);
  self->capture_depth = 0;
  self->path.depth = 0;
  return TRUE;
}

static void
start_container (OtlpParser *self,
                 gboolean    is_array)
{
  PwJsonPath *path = &self->path;

  if (self->capture_depth > 0)
    {
      _pw_path_push (path, is_array);
      _pw_jw_start (&self->value_writer, is_array ? '[' : '{');
      return;
    }

  /* an arrayValue or kvlistValue of an attribute: copy it as JSON */
  if (!is_array && KEY (path->depth) == K_COMPLEX_VALUE &&
      ((path->depth == D_RES_ATTR + 1 && in_resource_spans (self) && KEY (D_RS) == K_RESOURCE) ||
       (path->depth == D_SUB + 1 && inside_span (self) && KEY (D_SPAN) == K_ATTRIBUTES)))
    {
      g_string_truncate (self->attr_value, 0);
      _pw_jw_init (&self->value_writer, self->attr_value);
      _pw_path_push (path, is_array);
      self->capture_depth = path->depth;
      _pw_jw_start (&self->value_writer, '{');
      return;
    }

  _pw_path_push (path, is_array);

  if (is_array)
    return;

  if (path->depth == 1)
    {
      self->doc_has_spans = FALSE;
      self->doc_has_other = FALSE;
    }
  else if (path->depth == D_RS && in_resource_spans (self))
    {
      self->resource_first_span = _pw_trace_set_next (&self->set);
      self->service = 0;
      self->in_resource = TRUE;
    }
  else if (at_span (self))
    begin_span (self);
  else if (at_resource_attr (self) || at_span_attr (self))
    {
      g_string_truncate (self->attr_key, 0);
      g_string_truncate (self->attr_value, 0);
    }
  else if (path->depth == D_SUB && inside_span (self))
    {
      self->sub_has_time = FALSE;
      self->sub_name = 0;
      self->sub_trace = self->span.trace;
      self->sub_id = 0;
    }
}

static void
end_container (OtlpParser *self,
               gboolean    is_array)
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
      if (path->depth == 1)
        {
          self->n_docs++;
          if (self->doc_has_other && !self->doc_has_spans)
            self->n_other_docs++;
        }
      else if (path->depth == D_RS && in_resource_spans (self))
        {
          end_resource (self);
        }
      else if (at_span (self))
        end_span (self);
      else if (at_resource_attr (self))
        end_attr (self, TRUE);
      else if (at_span_attr (self))
        end_attr (self, FALSE);
      else if (path->depth == D_SUB && inside_span (self))
        {
          guint index = _pw_trace_set_next (&self->set);

          if (KEY (D_SPAN) == K_EVENTS && self->sub_has_time)
            _pw_trace_set_add_event (&self->set, index, self->sub_time, self->sub_name);
          else if (KEY (D_SPAN) == K_LINKS)
            _pw_trace_set_add_link (&self->set, index, self->sub_trace, self->sub_id);
        }
    }

  path->depth--;
}

PW_TRACE_DEFINE_JSON_CALLBACKS ();

static gboolean
otlp_load (PwInput           *input,
           PwProfileBuilder  *builder,
           GError           **error)
{
  OtlpParser self = { 0 };
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) run_error = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  self.input = input;
  self.builder = builder;
  _pw_trace_set_init (&self.set, builder);
  self.attrs = g_string_new (NULL);
  self.status = g_string_new (NULL);
  self.attr_key = g_string_new (NULL);
  self.attr_value = g_string_new (NULL);

  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_MULTIPLE_VALUES);
  _pw_json_stream_set_resync (stream, resync);
  result = _pw_json_stream_run (stream, &run_error);
  if (result == PW_JSON_STREAM_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      goto out;
    }

  /* a request cut short still names the spans it completed */
  if (self.in_resource)
    end_resource (&self);

  if (!_pw_json_run_conclude (input, builder, stream, result, &run_error,
                              self.set.spans->len, _("spans"), error))
    goto out;

  if (self.set.spans->len == 0 && self.n_docs > 0 && self.n_other_docs == self.n_docs)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNSUPPORTED,
                   _("%s: OpenTelemetry metrics or logs, but no traces: Phasewise reads the "
                     "“resourceSpans” of traces"),
                   pw_input_get_display_name (input));
      goto out;
    }

  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self.n_docs);
    pw_profile_builder_set_metadata (builder, "otlp.documents", buf);
    g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self.n_other_docs);
    pw_profile_builder_set_metadata (builder, "otlp.skipped_documents", buf);
  }
  if (self.n_other_docs > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%" PRIu64 " line held metrics or logs, not "
                                                 "traces; it was skipped",
                                                 "%" PRIu64 " lines held metrics or logs, not "
                                                 "traces; they were skipped",
                                                 self.n_other_docs),
                                    self.n_other_docs);

  _pw_trace_set_finish (&self.set);
  ok = TRUE;

out:
  _pw_trace_set_clear (&self.set);
  g_string_free (self.attrs, TRUE);
  g_string_free (self.status, TRUE);
  g_string_free (self.attr_key, TRUE);
  g_string_free (self.attr_value, TRUE);
  return ok;
}

static guint
otlp_sniff (const guint8 *head,
            gsize         len,
            const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "\"resourceSpans\""))
    return 92;
  if (_pw_head_contains (p, len, "\"batches\"") &&
      (_pw_head_contains (p, len, "\"scopeSpans\"") ||
       _pw_head_contains (p, len, "\"instrumentationLibrarySpans\"")))
    return 90;
  /* JSON Lines that start with other signals may hold traces further on */
  if (_pw_head_contains (p, len, "\"resourceMetrics\"") ||
      _pw_head_contains (p, len, "\"resourceLogs\""))
    return 60;

  return 0;
}

static const char * const otlp_patterns[] = { "*.json", "*.jsonl", "*.json.gz", "*.jsonl.gz", NULL };
static const char * const otlp_mime_types[] = { "application/json", "application/x-ndjson", NULL };

const PwImporter _pw_importer_otlp = {
  .id = "otlp",
  .name = N_("OpenTelemetry OTLP/JSON traces"),
  .patterns = otlp_patterns,
  .mime_types = otlp_mime_types,
  .sniff = otlp_sniff,
  .load = otlp_load,
};
