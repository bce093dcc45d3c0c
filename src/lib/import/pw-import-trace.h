/* pw-import-trace.h: what the distributed-trace importers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <yajl/yajl_parse.h>

#include "pw-import-private.h"
#include "pw-json-stream.h"

G_BEGIN_DECLS

/* A span as the trace formats give it: ids are interned, normalised
 * strings (lowercase hex when the id is hex or base64); 0 means none. */
typedef struct
{
  gint64  start;
  gint64  dur;
  guint32 trace;
  guint32 id;
  guint32 parent;
  guint32 name;
  guint32 service;    /* interned service name; 0: unknown */
  guint32 kind;       /* interned kind ("server", …), the span's category */
  guint32 args;
  guint   shared : 1;           /* Zipkin: the server half of a client span */
  guint   parent_follows : 1;   /* the parent link is a follows-from */
} PwTraceSpan;

typedef struct
{
  PwProfileBuilder *builder;
  GArray           *spans;      /* PwTraceSpan */
  GArray           *events;     /* pending instants */
  GArray           *links;      /* pending follows-from links */
  guint             n_no_time;  /* spans skipped: no or invalid start time */
  guint             n_no_id;
  guint             n_skipped_docs;
} PwTraceSet;

void     _pw_trace_set_init     (PwTraceSet   *set,
                                 PwProfileBuilder *builder);
void     _pw_trace_set_clear    (PwTraceSet   *set);
/* Index of the next span added: events and links of a span being read
 * refer to it before it is added. */
guint    _pw_trace_set_next     (PwTraceSet   *set);
/* Forgets events and links recorded for a span that is dropped. */
void     _pw_trace_set_rewind   (PwTraceSet   *set,
                                 guint         n_events,
                                 guint         n_links);
guint    _pw_trace_set_n_events (PwTraceSet   *set);
guint    _pw_trace_set_n_links  (PwTraceSet   *set);
void     _pw_trace_set_add_span (PwTraceSet   *set,
                                 const PwTraceSpan *span);
void     _pw_trace_set_add_event (PwTraceSet  *set,
                                 guint         span,
                                 gint64        time,
                                 guint32       name);
void     _pw_trace_set_add_link (PwTraceSet   *set,
                                 guint         span,
                                 guint32       trace,
                                 guint32       id);
/* Adds the spans to service lanes, resolves parents into flows, and sets
 * the metadata and title. */
void     _pw_trace_set_finish   (PwTraceSet   *set);

/* Interns an id, lowercase hex when it is hex or base64 of 8 or 16
 * bytes; other ids are kept as they are. */
guint32  _pw_trace_intern_id    (PwProfileBuilder *builder,
                                 const char   *str,
                                 gsize         len);

/* Parses an integer given as a JSON number or a string ("123", "1.5e3"). */
gboolean _pw_trace_parse_int    (const char   *str,
                                 gsize         len,
                                 gint64       *value);

/* Appends str as a JSON string literal, cut at max bytes (on a UTF-8
 * boundary) with an ellipsis when longer. */
void     _pw_json_append_string (GString      *out,
                                 const char   *str,
                                 gsize         len,
                                 gsize         max);

/* Writes compact JSON from SAX events, for the parts of a document that
 * become a span's args. Nesting deeper than PW_JSON_WRITER_MAX_DEPTH is
 * dropped. */
#define PW_JSON_WRITER_MAX_DEPTH 32
#define PW_JSON_MAX_STRING (64 * 1024)

typedef struct
{
  GString *out;
  int      depth;
  int      skip;                /* levels being dropped */
  gboolean after_key;
  guint8   n_items[PW_JSON_WRITER_MAX_DEPTH + 1];
} PwJsonWriter;

void     _pw_jw_init        (PwJsonWriter *w,
                             GString      *out);
void     _pw_jw_key         (PwJsonWriter *w,
                             const char   *key,
                             gsize         len);
void     _pw_jw_string      (PwJsonWriter *w,
                             const char   *str,
                             gsize         len);
void     _pw_jw_raw         (PwJsonWriter *w,
                             const char   *text,
                             gsize         len);
void     _pw_jw_start       (PwJsonWriter *w,
                             char          bracket);
void     _pw_jw_end         (PwJsonWriter *w,
                             char          bracket);

/* Tracks where a SAX parser is: the key being read at each depth and
 * whether the container at each depth is an array. */
#define PW_JSON_PATH_MAX 24

typedef struct
{
  int    depth;
  guint8 key[PW_JSON_PATH_MAX + 1];
  guint8 array[PW_JSON_PATH_MAX + 1];
} PwJsonPath;

static inline guint8
_pw_path_key (const PwJsonPath *p,
              int               depth)
{
  return depth >= 0 && depth <= PW_JSON_PATH_MAX ? p->key[depth] : 0;
}

static inline gboolean
_pw_path_is_array (const PwJsonPath *p,
                   int               depth)
{
  return depth >= 0 && depth <= PW_JSON_PATH_MAX && p->array[depth];
}

static inline void
_pw_path_push (PwJsonPath *p,
               gboolean    is_array)
{
  p->depth++;
  if (p->depth <= PW_JSON_PATH_MAX)
    {
      p->key[p->depth] = 0;
      p->array[p->depth] = is_array;
    }
}

static inline void
_pw_path_set_key (PwJsonPath *p,
                  guint8      key)
{
  if (p->depth >= 0 && p->depth <= PW_JSON_PATH_MAX)
    p->key[p->depth] = key;
}

/* Ends a load after _pw_json_stream_run(): TRUE when what was read can be
 * shown (with a warning when the input ended early or broke off, and one
 * for lines of JSON Lines that were skipped), FALSE with error (taken
 * from run_error, or saying that nothing was complete) otherwise. */
gboolean _pw_json_run_conclude (PwInput             *input,
                                PwProfileBuilder    *builder,
                                PwJsonStream        *stream,
                                PwJsonStreamResult   result,
                                GError             **run_error,
                                guint64              n_complete,
                                const char          *what_complete,
                                GError             **error);

/* The yajl callbacks the trace importers share, as static functions and
 * a `callbacks` table: the importer defines on_scalar (self, text, len,
 * is_string) for booleans, numbers and strings, start_container (self,
 * is_array) and end_container (self, is_array) for maps and arrays, and
 * on_null and on_map_key itself, then expands this once after them. */
#define PW_TRACE_DEFINE_JSON_CALLBACKS()                                        \
  static int                                                                   \
  on_boolean (void *ctx, int value)                                            \
  {                                                                            \
    on_scalar (ctx, value ? "true" : "false", value ? 4 : 5, FALSE);           \
    return 1;                                                                  \
  }                                                                            \
  static int                                                                   \
  on_number (void *ctx, const char *str, size_t len)                           \
  {                                                                            \
    on_scalar (ctx, str, len, FALSE);                                          \
    return 1;                                                                  \
  }                                                                            \
  static int                                                                   \
  on_string (void *ctx, const unsigned char *str, size_t len)                  \
  {                                                                            \
    on_scalar (ctx, (const char *) str, len, TRUE);                            \
    return 1;                                                                  \
  }                                                                            \
  static int on_start_map (void *ctx) { start_container (ctx, FALSE); return 1; } \
  static int on_end_map (void *ctx) { end_container (ctx, FALSE); return 1; }     \
  static int on_start_array (void *ctx) { start_container (ctx, TRUE); return 1; } \
  static int on_end_array (void *ctx) { end_container (ctx, TRUE); return 1; }     \
  static const yajl_callbacks callbacks = {                                    \
    .yajl_null = on_null,                                                      \
    .yajl_boolean = on_boolean,                                                \
    .yajl_number = on_number,                                                  \
    .yajl_string = on_string,                                                  \
    .yajl_start_map = on_start_map,                                            \
    .yajl_map_key = on_map_key,                                                \
    .yajl_end_map = on_end_map,                                                \
    .yajl_start_array = on_start_array,                                        \
    .yajl_end_array = on_end_array,                                            \
  }

G_END_DECLS
