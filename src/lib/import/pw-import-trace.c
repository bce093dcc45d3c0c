/* pw-import-trace.c: spans, ids and JSON streaming shared by the
 * distributed-trace importers (OTLP, Jaeger, Zipkin)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-trace"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-trace.h"
#include "pw-json-stream.h"

#define TRACE_PID 1

typedef struct
{
  guint   span;
  gint64  time;
  guint32 name;
} PendingEvent;

typedef struct
{
  guint   span;
  guint32 trace;
  guint32 id;
} PendingLink;

void
_pw_trace_set_init (PwTraceSet       *set,
                    PwProfileBuilder *builder)
{
  memset (set, 0, sizeof *set);
  set->builder = builder;
  set->spans = g_array_new (FALSE, FALSE, sizeof (PwTraceSpan));
  set->events = g_array_new (FALSE, FALSE, sizeof (PendingEvent));
  set->links = g_array_new (FALSE, FALSE, sizeof (PendingLink));
}

void
_pw_trace_set_clear (PwTraceSet *set)
{
  g_clear_pointer (&set->spans, g_array_unref);
  g_clear_pointer (&set->events, g_array_unref);
  g_clear_pointer (&set->links, g_array_unref);
}

guint
_pw_trace_set_next (PwTraceSet *set)
{
  return set->spans->len;
}

guint
_pw_trace_set_n_events (PwTraceSet *set)
{
  return set->events->len;
}

guint
_pw_trace_set_n_links (PwTraceSet *set)
{
  return set->links->len;
}

void
_pw_trace_set_rewind (PwTraceSet *set,
                      guint       n_events,
                      guint       n_links)
{
  if (n_events < set->events->len)
    g_array_set_size (set->events, n_events);
  if (n_links < set->links->len)
    g_array_set_size (set->links, n_links);
}

void
_pw_trace_set_add_span (PwTraceSet        *set,
                        const PwTraceSpan *span)
{
  g_array_append_vals (set->spans, span, 1);
}

void
_pw_trace_set_add_event (PwTraceSet *set,
                         guint       span,
                         gint64      time,
                         guint32     name)
{
  PendingEvent ev = { span, time, name };

  g_array_append_val (set->events, ev);
}

void
_pw_trace_set_add_link (PwTraceSet *set,
                        guint       span,
                        guint32     trace,
                        guint32     id)
{
  PendingLink link = { span, trace, id };

  if (id != 0)
    g_array_append_val (set->links, link);
}

/* Children hang below the server half of a Zipkin RPC when there is
 * one (both halves share the id), else below the only span of that id. */
static guint
lookup_span (GHashTable *plain,
             GHashTable *shared,
             guint32     trace,
             guint32     id)
{
  gint64 key = ((gint64) trace << 32) | id;
  gpointer found;

  if (id == 0)
    return G_MAXUINT;
  if (g_hash_table_lookup_extended (shared, &key, NULL, &found))
    return GPOINTER_TO_UINT (found);
  if (g_hash_table_lookup_extended (plain, &key, NULL, &found))
    return GPOINTER_TO_UINT (found);
  return G_MAXUINT;
}

static gint64
clamp_time (gint64 t,
            gint64 start,
            gint64 dur)
{
  return CLAMP (t, start, start + dur);
}

static void
set_count (PwProfileBuilder *builder,
           const char       *key,
           guint64           value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value);
  pw_profile_builder_set_metadata (builder, key, buf);
}

typedef struct
{
  guint    lane;
  gboolean has_root;
  gint64   first;
} LaneStart;

static int
compare_lane_starts (gconstpointer a,
                     gconstpointer b)
{
  const LaneStart *la = a;
  const LaneStart *lb = b;

  if (la->has_root != lb->has_root)
    return la->has_root ? -1 : 1;
  if (la->first != lb->first)
    return la->first < lb->first ? -1 : 1;
  return la->lane < lb->lane ? -1 : la->lane > lb->lane;
}

/* Services where traces start first, then in the order they join (by
 * time, which clock skew can bend): callers above the called, as trace
 * viewers show them. */
static void
order_lanes (PwProfileBuilder *builder,
             PwTraceSet       *set,
             const guint      *lanes)
{
  g_autoptr(GHashTable) firsts = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (LaneStart));

  for (guint i = 0; i < set->spans->len; i++)
    {
      const PwTraceSpan *span = &g_array_index (set->spans, PwTraceSpan, i);
      gpointer found;

      if (g_hash_table_lookup_extended (firsts, GUINT_TO_POINTER (lanes[i] + 1), NULL, &found))
        {
          LaneStart *ls = &g_array_index (order, LaneStart, GPOINTER_TO_UINT (found));
          ls->first = MIN (ls->first, span->start);
          ls->has_root |= span->parent == 0 && !span->shared;
        }
      else
        {
          LaneStart ls = { lanes[i], span->parent == 0 && !span->shared, span->start };

          g_hash_table_insert (firsts, GUINT_TO_POINTER (lanes[i] + 1), GUINT_TO_POINTER (order->len));
          g_array_append_val (order, ls);
        }
    }

  g_array_sort (order, compare_lane_starts);
  for (guint i = 0; i < order->len; i++)
    pw_profile_builder_set_lane_sort_index (builder, g_array_index (order, LaneStart, i).lane, (gint32) i);
}

void
_pw_trace_set_finish (PwTraceSet *set)
{
  PwProfileBuilder *builder = set->builder;
  guint n = set->spans->len;
  g_autofree guint *lanes = g_new (guint, MAX (n, 1));
  g_autofree PwSpanHandle *handles = g_new (PwSpanHandle, MAX (n, 1));
  g_autofree gint64 *keys = g_new (gint64, MAX (n, 1));
  g_autoptr(GHashTable) plain = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) shared = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) traces = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) named_lanes = g_hash_table_new (NULL, NULL);
  guint32 unknown = pw_profile_builder_intern (builder, "unknown", -1);
  guint n_roots = 0;
  guint n_orphans = 0;
  guint n_duplicates = 0;
  guint n_flows = 0;
  guint first_root = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      const PwTraceSpan *span = &g_array_index (set->spans, PwTraceSpan, i);
      guint32 service = span->service != 0 ? span->service : unknown;
      guint lane = pw_profile_builder_get_lane (builder, PW_LANE_SERVICE, TRACE_PID, service);

      if (!g_hash_table_contains (named_lanes, GUINT_TO_POINTER (lane + 1)))
        {
          pw_profile_builder_set_lane_name (builder, lane, pw_profile_builder_get_string (builder, service));
          g_hash_table_add (named_lanes, GUINT_TO_POINTER (lane + 1));
        }

      lanes[i] = lane;
      handles[i] = pw_profile_builder_add_span (builder, lane, span->start, span->dur, -1,
                                                span->name, span->kind, span->args);
      g_hash_table_add (traces, GUINT_TO_POINTER (span->trace + 1));

      keys[i] = ((gint64) span->trace << 32) | span->id;
      if (span->id != 0)
        {
          GHashTable *table = span->shared ? shared : plain;

          if (g_hash_table_contains (table, &keys[i]))
            n_duplicates++;
          else
            g_hash_table_insert (table, &keys[i], GUINT_TO_POINTER (i));
        }
    }

  order_lanes (builder, set, lanes);

  /* Every span of a service lane gets its parent on that lane explicitly,
   * or is declared a root of it (no parent, an unknown one, one on another
   * service, a follows-from link): nesting by time would put a parallel
   * call under its sibling, and a request under an unrelated one of
   * another trace that happens to enclose it. Roots are laid out by time
   * among themselves, one above the other where they overlap, never
   * inside another span; the links to their callers are flows. */
  for (guint i = 0; i < n; i++)
    {
      const PwTraceSpan *span = &g_array_index (set->spans, PwTraceSpan, i);
      PwSpanHandle lane_parent = PW_NO_SPAN_HANDLE;
      guint parent;

      /* Counted as the formats' own tools count roots: by the link. */
      if (span->parent == 0)
        {
          n_roots++;
          /* the title: the earliest root, a client half before its server */
          if (first_root == G_MAXUINT ||
              (g_array_index (set->spans, PwTraceSpan, first_root).shared && !span->shared) ||
              (span->shared == g_array_index (set->spans, PwTraceSpan, first_root).shared &&
               span->start < g_array_index (set->spans, PwTraceSpan, first_root).start))
            first_root = i;
        }

      if (span->shared && span->id != 0)
        {
          /* The client half with the same id is this span's caller. */
          gpointer found;

          if (g_hash_table_lookup_extended (plain, &keys[i], NULL, &found))
            {
              guint client = GPOINTER_TO_UINT (found);
              const PwTraceSpan *c = &g_array_index (set->spans, PwTraceSpan, client);

              if (lanes[client] != lanes[i])
                {
                  pw_profile_builder_add_flow (builder, PW_FLOW_PARENT, 0,
                                               lanes[client], clamp_time (span->start, c->start, c->dur),
                                               handles[client], lanes[i], span->start, handles[i]);
                  n_flows++;
                }
              else
                lane_parent = handles[client];
              goto next;
            }
        }

      if (span->parent == 0)
        goto next;

      parent = lookup_span (plain, shared, span->trace, span->parent);
      if (parent == G_MAXUINT || parent == i)
        {
          n_orphans++;
          goto next;
        }

      if (lanes[parent] != lanes[i] || span->parent_follows)
        {
          const PwTraceSpan *p = &g_array_index (set->spans, PwTraceSpan, parent);

          pw_profile_builder_add_flow (builder, span->parent_follows ? PW_FLOW_FOLLOWS : PW_FLOW_PARENT, 0,
                                       lanes[parent], clamp_time (span->start, p->start, p->dur),
                                       handles[parent], lanes[i], span->start, handles[i]);
          n_flows++;
        }
      else
        lane_parent = handles[parent];

    next:
      pw_profile_builder_set_span_parent (builder, lanes[i], handles[i], lane_parent);
    }

  for (guint i = 0; i < set->links->len; i++)
    {
      const PendingLink *link = &g_array_index (set->links, PendingLink, i);
      const PwTraceSpan *span;
      const PwTraceSpan *target;
      guint to;

      if (link->span >= n)
        continue;
      to = lookup_span (plain, shared, link->trace, link->id);
      if (to == G_MAXUINT || to == link->span)
        continue;

      span = &g_array_index (set->spans, PwTraceSpan, link->span);
      target = &g_array_index (set->spans, PwTraceSpan, to);
      pw_profile_builder_add_flow (builder, PW_FLOW_FOLLOWS, 0,
                                   lanes[to], target->start + target->dur, handles[to],
                                   lanes[link->span], span->start, handles[link->span]);
      n_flows++;
    }

  for (guint i = 0; i < set->events->len; i++)
    {
      const PendingEvent *ev = &g_array_index (set->events, PendingEvent, i);

      if (ev->span < n)
        pw_profile_builder_add_instant (builder, lanes[ev->span], ev->time, ev->name);
    }

  set_count (builder, "trace.spans", n);
  set_count (builder, "trace.traces", g_hash_table_size (traces));
  set_count (builder, "trace.root_spans", n_roots);
  set_count (builder, "trace.services", g_hash_table_size (named_lanes));
  set_count (builder, "trace.flows", n_flows);
  if (n_orphans > 0)
    set_count (builder, "trace.orphan_spans", n_orphans);
  if (n_duplicates > 0)
    {
      set_count (builder, "trace.duplicate_ids", n_duplicates);
      pw_profile_builder_add_warning (builder,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "%u span repeats the id of another span of its trace; "
                                                   "children link to the first one",
                                                   "%u spans repeat the id of another span of their trace; "
                                                   "children link to the first one",
                                                   n_duplicates),
                                      n_duplicates);
    }
  if (set->n_no_time > 0)
    {
      set_count (builder, "trace.spans_without_time", set->n_no_time);
      pw_profile_builder_add_warning (builder,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "%u span had no valid start time; it was skipped",
                                                   "%u spans had no valid start time; they were skipped",
                                                   set->n_no_time),
                                      set->n_no_time);
    }
  if (set->n_no_id > 0)
    set_count (builder, "trace.spans_without_id", set->n_no_id);

  if (g_hash_table_size (traces) == 1 && first_root != G_MAXUINT)
    {
      const PwTraceSpan *root = &g_array_index (set->spans, PwTraceSpan, first_root);

      if (root->name != 0)
        pw_profile_builder_set_title (builder, pw_profile_builder_get_string (builder, root->name));
    }
}

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int
base64_value (guint8 c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

guint32
_pw_trace_intern_id (PwProfileBuilder *builder,
                     const char       *str,
                     gsize             len)
{
  static const char digits[] = "0123456789abcdef";
  char buf[33];
  gboolean hex = len <= 32;
  gsize n_chars;
  gsize n_bytes;

  if (len == 0)
    return 0;

  for (gsize i = 0; hex && i < len; i++)
    hex = hex_value (str[i]) >= 0;

  if (hex)
    {
      for (gsize i = 0; i < len; i++)
        buf[i] = g_ascii_tolower (str[i]);
      return pw_profile_builder_intern (builder, buf, len);
    }

  /* base64 of 16 bytes (a trace id) or 8 bytes (a span id), as protobuf's
   * JSON mapping writes bytes, padded or not */
  n_chars = len == 24 || len == 22 ? 22 : len == 12 || len == 11 ? 11 : 0;
  n_bytes = n_chars == 22 ? 16 : 8;
  if (n_chars > 0)
    {
      guint8 bytes[18];
      guint32 acc = 0;
      int bits = 0;
      gsize out = 0;
      gboolean ok = TRUE;

      for (gsize i = 0; i < len && ok; i++)
        {
          int v;

          if (i >= n_chars)
            {
              ok = str[i] == '=';
              continue;
            }
          v = base64_value (str[i]);
          if (v < 0)
            {
              ok = FALSE;
              break;
            }
          acc = (acc << 6) | (guint32) v;
          bits += 6;
          if (bits >= 8)
            {
              bits -= 8;
              if (out < sizeof bytes)
                bytes[out++] = (acc >> bits) & 0xff;
            }
        }

      if (ok && out == n_bytes)
        {
          for (gsize i = 0; i < n_bytes; i++)
            {
              buf[2 * i] = digits[bytes[i] >> 4];
              buf[2 * i + 1] = digits[bytes[i] & 0xf];
            }
          return pw_profile_builder_intern (builder, buf, 2 * n_bytes);
        }
    }

  return pw_profile_builder_intern (builder, str, MIN (len, 256));
}

gboolean
_pw_trace_parse_int (const char *str,
                     gsize       len,
                     gint64     *value)
{
  char buf[64];
  char *end = NULL;
  double v;

  if (_pw_parse_int64 (str, len, value))
    return TRUE;

  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, str, len);
  buf[len] = '\0';
  v = g_ascii_strtod (buf, &end);
  if (end != buf + len || !isfinite (v) || fabs (v) > 9.2e18)
    return FALSE;
  *value = (gint64) llround (v);
  return TRUE;
}

void
_pw_json_append_string (GString    *out,
                        const char *str,
                        gsize       len,
                        gsize       max)
{
  gboolean cut = FALSE;

  if (len > max)
    {
      /* back up to the start of a UTF-8 sequence */
      len = max;
      while (len > 0 && ((guint8) str[len] & 0xc0) == 0x80)
        len--;
      cut = TRUE;
    }

  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = str[i];

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  if (cut)
    g_string_append (out, "…");
  g_string_append_c (out, '"');
}

void
_pw_jw_init (PwJsonWriter *w,
             GString      *out)
{
  memset (w, 0, sizeof *w);
  w->out = out;
}

static gboolean
jw_before_value (PwJsonWriter *w)
{
  if (w->skip > 0)
    return FALSE;
  if (w->after_key)
    {
      w->after_key = FALSE;
      return TRUE;
    }
  if (w->n_items[w->depth]++ > 0)
    g_string_append_c (w->out, ',');
  return TRUE;
}

void
_pw_jw_key (PwJsonWriter *w,
            const char   *key,
            gsize         len)
{
  if (w->skip > 0)
    return;
  if (w->n_items[w->depth]++ > 0)
    g_string_append_c (w->out, ',');
  _pw_json_append_string (w->out, key, len, 1024);
  g_string_append_c (w->out, ':');
  w->after_key = TRUE;
}

void
_pw_jw_string (PwJsonWriter *w,
               const char   *str,
               gsize         len)
{
  if (jw_before_value (w))
    _pw_json_append_string (w->out, str, len, PW_JSON_MAX_STRING);
}

void
_pw_jw_raw (PwJsonWriter *w,
            const char   *text,
            gsize         len)
{
  if (jw_before_value (w))
    g_string_append_len (w->out, text, len);
}

void
_pw_jw_start (PwJsonWriter *w,
              char          bracket)
{
  if (w->skip > 0 || w->depth >= PW_JSON_WRITER_MAX_DEPTH)
    {
      /* too deep to be worth showing: keep the key valid with a null */
      if (w->skip == 0 && jw_before_value (w))
        g_string_append (w->out, "null");
      w->skip++;
      return;
    }
  jw_before_value (w);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->n_items[w->depth] = 0;
}

void
_pw_jw_end (PwJsonWriter *w,
            char          bracket)
{
  if (w->skip > 0)
    {
      w->skip--;
      return;
    }
  if (w->depth == 0)
    return;
  w->after_key = FALSE;
  g_string_append_c (w->out, bracket);
  w->depth--;
}

gboolean
_pw_json_run_conclude (PwInput             *input,
                       PwProfileBuilder    *builder,
                       PwJsonStream        *stream,
                       PwJsonStreamResult   result,
                       GError             **run_error,
                       guint64              n_complete,
                       const char          *what_complete,
                       GError             **error)
{
  PwJsonPosition pos;
  guint64 first_skipped_line;
  const char *skipped_what;
  guint64 n_skipped_lines = _pw_json_stream_get_n_skipped_lines (stream, &first_skipped_line,
                                                                 &skipped_what);

  _pw_json_stream_get_position (stream, &pos);

  if (n_skipped_lines > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%" PRIu64 " line was not valid JSON and was "
                                                 "skipped (first at line %" PRIu64 ": %s)",
                                                 "%" PRIu64 " lines were not valid JSON and were "
                                                 "skipped (first at line %" PRIu64 ": %s)",
                                                 n_skipped_lines),
                                    n_skipped_lines, first_skipped_line, skipped_what);

  switch (result)
    {
    case PW_JSON_STREAM_OK:
      return TRUE;

    case PW_JSON_STREAM_TRUNCATED:
      if (n_complete > 0)
        {
          pw_profile_builder_add_warning (builder,
                                          _("The file ends early, at byte %" PRIu64
                                            " (line %" PRIu64 "): showing the %"
                                            PRIu64 " complete %s"),
                                          pos.offset, pos.line, n_complete, what_complete);
          return TRUE;
        }
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                   _("%s: the JSON ends at byte %" PRIu64 " (line %" PRIu64
                     ", column %" PRIu64 ") before any complete %s"),
                   pw_input_get_display_name (input), pos.offset, pos.line, pos.column,
                   what_complete);
      return FALSE;

    case PW_JSON_STREAM_MALFORMED:
      if (n_complete > 0)
        {
          pw_profile_builder_add_warning (builder,
                                          _("Invalid JSON at byte %" PRIu64 " (line %"
                                            PRIu64 ", column %" PRIu64
                                            "): %s; showing the %" PRIu64
                                            " complete %s before it"),
                                          pos.offset, pos.line, pos.column,
                                          _pw_json_stream_get_error_detail (stream),
                                          n_complete, what_complete);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (run_error));
      return FALSE;

    case PW_JSON_STREAM_FAILED:
    default:
      g_propagate_error (error, g_steal_pointer (run_error));
      return FALSE;
    }
}
