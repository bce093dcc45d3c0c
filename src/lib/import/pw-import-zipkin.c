/* pw-import-zipkin.c: Zipkin v2 JSON, an array of spans (/api/v2/trace)
 * or an array of traces (/api/v2/traces)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-zipkin"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-trace.h"

typedef enum
{
  K_OTHER,
  K_TRACE_ID,
  K_ID,
  K_PARENT_ID,
  K_NAME,
  K_KIND,
  K_TIMESTAMP,
  K_DURATION,
  K_LOCAL_ENDPOINT,
  K_REMOTE_ENDPOINT,
  K_SERVICE_NAME,
  K_TAGS,
  K_ANNOTATIONS,
  K_VALUE,
  K_SHARED,
} Key;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  PwTraceSet        set;
  PwJsonPath        path;
  int               span_depth;      /* 2 or 3 once known */

  PwTraceSpan       span;
  gboolean          have_start;
  gboolean          bad_type;
  gint64            duration;
  guint             span_events;
  guint             span_links;
  GString          *args;            /* "key":value,… besides the ids */
  PwJsonWriter      writer;
  int               capture_depth;
  guint32           kind_name;

  gint64            annotation_time;
  gboolean          annotation_has_time;
  guint32           annotation_value;

  guint             n_bad_types;
} ZipkinParser;

static Key
lookup_key (const unsigned char *key,
            size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  if (IS ("traceId")) return K_TRACE_ID;
  if (IS ("id")) return K_ID;
  if (IS ("parentId")) return K_PARENT_ID;
  if (IS ("name")) return K_NAME;
  if (IS ("kind")) return K_KIND;
  if (IS ("timestamp")) return K_TIMESTAMP;
  if (IS ("duration")) return K_DURATION;
  if (IS ("localEndpoint")) return K_LOCAL_ENDPOINT;
  if (IS ("remoteEndpoint")) return K_REMOTE_ENDPOINT;
  if (IS ("serviceName")) return K_SERVICE_NAME;
  if (IS ("tags")) return K_TAGS;
  if (IS ("annotations")) return K_ANNOTATIONS;
  if (IS ("value")) return K_VALUE;
  if (IS ("shared")) return K_SHARED;
#undef IS
  return K_OTHER;
}

#define KEY(d) ((Key) _pw_path_key (&self->path, (d)))

static gboolean
at_span (ZipkinParser *self)
{
  PwJsonPath *path = &self->path;

  /* [span, …] or [[span, …], …] */
  if (path->depth == 2)
    return _pw_path_is_array (path, 1);
  if (path->depth == 3)
    return _pw_path_is_array (path, 1) && _pw_path_is_array (path, 2);
  return FALSE;
}

static gboolean
in_span (ZipkinParser *self,
         int           below)
{
  int s = self->span_depth;

  return s > 0 && self->path.depth == s + below && self->path.depth > s - 1 &&
         _pw_path_is_array (&self->path, s - 1) && !_pw_path_is_array (&self->path, s);
}

static void
on_scalar (ZipkinParser *self,
           const char   *str,
           gsize         len,
           gboolean      is_string)
{
  int s = self->span_depth;

  if (self->capture_depth > 0)
    {
      if (is_string)
        _pw_jw_string (&self->writer, str, len);
      else
        _pw_jw_raw (&self->writer, str, len);
      return;
    }

  if (s > 0 && self->path.depth == s && at_span (self))
    {
      switch (KEY (s))
        {
        case K_TRACE_ID:
          if (is_string)
            self->span.trace = _pw_trace_intern_id (self->builder, str, len);
          else
            self->bad_type = TRUE;
          break;
        case K_ID:
          if (is_string)
            self->span.id = _pw_trace_intern_id (self->builder, str, len);
          else
            self->bad_type = TRUE;
          break;
        case K_PARENT_ID:
          if (is_string)
            self->span.parent = _pw_trace_intern_id (self->builder, str, len);
          else
            self->bad_type = TRUE;
          break;
        case K_NAME:
          self->span.name = pw_profile_builder_intern (self->builder, str, MIN (len, 4096));
          break;
        case K_KIND:
          {
            g_autofree char *lower = g_ascii_strdown (str, MIN (len, 64));
            self->kind_name = pw_profile_builder_intern (self->builder, lower, -1);
          }
          break;
        case K_TIMESTAMP:
          self->have_start = _pw_parse_usec_to_nsec (str, len, &self->span.start);
          break;
        case K_DURATION:
          if (!_pw_parse_usec_to_nsec (str, len, &self->duration))
            {
              self->duration = 0;
              self->bad_type = TRUE;
            }
          break;
        case K_SHARED:
          self->span.shared = len == 4 && memcmp (str, "true", 4) == 0;
          break;
        default:
          break;
        }
      return;
    }

  if (in_span (self, 1) && KEY (s) == K_LOCAL_ENDPOINT && KEY (s + 1) == K_SERVICE_NAME && is_string)
    {
      self->span.service = len > 0 ? pw_profile_builder_intern (self->builder, str, MIN (len, 1024)) : 0;
      return;
    }

  if (in_span (self, 2) && KEY (s) == K_ANNOTATIONS)
    {
      if (KEY (s + 2) == K_TIMESTAMP)
        self->annotation_has_time = _pw_parse_usec_to_nsec (str, len, &self->annotation_time);
      else if (KEY (s + 2) == K_VALUE)
        self->annotation_value = pw_profile_builder_intern (self->builder, str, MIN (len, 4096));
    }
}

static int
on_null (void *ctx)
{
  ZipkinParser *self = ctx;

  if (self->capture_depth > 0)
    _pw_jw_raw (&self->writer, "null", 4);
  return 1;
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  ZipkinParser *self = ctx;

  if (self->capture_depth > 0)
    {
      _pw_jw_key (&self->writer, (const char *) key, len);
      return 1;
    }

  _pw_path_set_key (&self->path, lookup_key (key, len));
  return 1;
}

static void
begin_span (ZipkinParser *self)
{
  memset (&self->span, 0, sizeof self->span);
  self->have_start = FALSE;
  self->bad_type = FALSE;
  self->duration = 0;
  self->kind_name = 0;
  self->span_events = _pw_trace_set_n_events (&self->set);
  self->span_links = _pw_trace_set_n_links (&self->set);
  g_string_truncate (self->args, 0);
  _pw_jw_init (&self->writer, self->args);
  /* the writer is inside the args object from the start */
  self->writer.depth = 1;
}

static void
end_span (ZipkinParser *self)
{
  PwTraceSpan *span = &self->span;
  g_autoptr(GString) args = NULL;
  const struct { const char *key; guint32 id; } ids[] = {
    { "traceId", span->trace }, { "id", span->id }, { "parentId", span->parent }, { "kind", self->kind_name },
  };

  if (self->bad_type)
    self->n_bad_types++;

  if (!self->have_start)
    {
      self->set.n_no_time++;
      _pw_trace_set_rewind (&self->set, self->span_events, self->span_links);
      return;
    }

  if (span->id == 0)
    self->set.n_no_id++;
  span->dur = MAX (self->duration, 0);
  span->kind = self->kind_name;
  if (span->name == 0)
    span->name = pw_profile_builder_intern (self->builder, "unknown", -1);

  args = g_string_new ("{");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (ids[i].id != 0)
      {
        const char *str = pw_profile_builder_get_string (self->builder, ids[i].id);

        g_string_append_printf (args, "%s\"%s\":", args->len > 1 ? "," : "", ids[i].key);
        _pw_json_append_string (args, str, strlen (str), 256);
      }
  if (span->shared)
    g_string_append_printf (args, "%s\"shared\":true", args->len > 1 ? "," : "");
  if (self->args->len > 0)
    g_string_append_printf (args, "%s%s", args->len > 1 ? "," : "", self->args->str);
  g_string_append_c (args, '}');
  span->args = pw_profile_builder_add_args (self->builder, args->str, args->len);

  _pw_trace_set_add_span (&self->set, span);
}

static void
start_container (ZipkinParser *self,
                 gboolean      is_array)
{
  PwJsonPath *path = &self->path;
  int s = self->span_depth;

  if (self->capture_depth > 0)
    {
      _pw_path_push (path, is_array);
      _pw_jw_start (&self->writer, is_array ? '[' : '{');
      return;
    }

  /* tags and the remote endpoint go into the args as they are */
  if (!is_array && in_span (self, 0) && (KEY (s) == K_TAGS || KEY (s) == K_REMOTE_ENDPOINT))
    {
      const char *key = KEY (s) == K_TAGS ? "tags" : "remoteEndpoint";

      _pw_jw_key (&self->writer, key, strlen (key));
      _pw_path_push (path, is_array);
      self->capture_depth = path->depth;
      _pw_jw_start (&self->writer, '{');
      return;
    }

  _pw_path_push (path, is_array);
  if (is_array)
    return;

  if (at_span (self))
    {
      self->span_depth = path->depth;
      begin_span (self);
    }
  else if (in_span (self, 2) && KEY (s) == K_ANNOTATIONS)
    {
      self->annotation_has_time = FALSE;
      self->annotation_value = 0;
    }
}

static void
end_container (ZipkinParser *self,
               gboolean      is_array)
{
  PwJsonPath *path = &self->path;
  int s = self->span_depth;

  if (self->capture_depth > 0)
    {
      _pw_jw_end (&self->writer, is_array ? ']' : '}');
      if (path->depth == self->capture_depth)
        self->capture_depth = 0;
      path->depth--;
      return;
    }

  if (!is_array)
    {
      if (at_span (self) && path->depth == s)
        end_span (self);
      else if (in_span (self, 2) && KEY (s) == K_ANNOTATIONS && self->annotation_has_time)
        _pw_trace_set_add_event (&self->set, _pw_trace_set_next (&self->set), self->annotation_time,
                                 self->annotation_value);
    }

  path->depth--;
}

PW_TRACE_DEFINE_JSON_CALLBACKS ();

static gboolean
zipkin_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  ZipkinParser self = { 0 };
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) run_error = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  self.input = input;
  self.builder = builder;
  _pw_trace_set_init (&self.set, builder);
  self.args = g_string_new (NULL);

  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_DEFAULT);
  result = _pw_json_stream_run (stream, &run_error);
  if (result == PW_JSON_STREAM_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      goto out;
    }

  if (!_pw_json_run_conclude (input, builder, stream, result, &run_error,
                              self.set.spans->len, _("spans"), error))
    goto out;

  if (self.n_bad_types > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u span had an id or duration of the wrong type; "
                                                 "it was read without it",
                                                 "%u spans had an id or duration of the wrong type; "
                                                 "they were read without it",
                                                 self.n_bad_types),
                                    self.n_bad_types);

  _pw_trace_set_finish (&self.set);
  ok = TRUE;

out:
  _pw_trace_set_clear (&self.set);
  g_string_free (self.args, TRUE);
  return ok;
}

static guint
zipkin_sniff (const guint8 *head,
              gsize         len,
              const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '[')
    return 0;

  if (_pw_head_contains (p, len, "\"traceId\"") &&
      (_pw_head_contains (p, len, "\"timestamp\"") || _pw_head_contains (p, len, "\"localEndpoint\"") ||
       _pw_head_contains (p, len, "\"parentId\"")))
    return 88;

  return 0;
}

static const char * const zipkin_patterns[] = { "*.json", "*.json.gz", NULL };
static const char * const zipkin_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_zipkin = {
  .id = "zipkin",
  .name = N_("Zipkin v2 JSON trace"),
  .patterns = zipkin_patterns,
  .mime_types = zipkin_mime_types,
  .sniff = zipkin_sniff,
  .load = zipkin_load,
};
