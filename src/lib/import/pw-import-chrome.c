/* pw-import-chrome.c: Chrome Trace Event Format (JSON object or array form)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-chrome"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <yajl/yajl_parse.h>

#include "pw-import-private.h"

#define READ_SIZE (256 * 1024)

typedef enum
{
  KEY_OTHER,
  KEY_NAME,
  KEY_CAT,
  KEY_PH,
  KEY_TS,
  KEY_DUR,
  KEY_TTS,
  KEY_TDUR,
  KEY_PID,
  KEY_TID,
  KEY_ID,
  KEY_ID2,
  KEY_ARGS,
  KEY_SCOPE,
  KEY_S,
  KEY_BP,
  KEY_SF,
  KEY_WEIGHT,
} EventKey;

typedef enum
{
  ROOT_OTHER,
  ROOT_TRACE_EVENTS,
  ROOT_DISPLAY_TIME_UNIT,
  ROOT_STACK_FRAMES,
  ROOT_OTHER_DATA,
} RootKey;

typedef struct
{
  char    ph;
  char    scope;
  char    bp;
  guint   has_ts : 1;
  guint   has_dur : 1;
  guint   has_tts : 1;
  guint   has_tdur : 1;
  guint   has_pid : 1;
  guint   has_tid : 1;
  gint64  ts;
  gint64  dur;
  gint64  tts;
  gint64  tdur;
  gint64  pid;
  gint64  tid;
  guint32 name;
  guint32 cat;
  guint32 id;          /* interned id, id2.local or id2.global; 0 when none */
  guint32 sf;          /* interned stack frame id */
  guint32 args;
  gint64  weight;
  /* from args, for metadata and counters */
  guint32 arg_name;
  gint64  arg_sort_index;
  guint   has_arg_sort_index : 1;
  guint   arg_key_is_name : 1;
  guint   arg_key_is_sort_index : 1;
  guint32 arg_key;
} Event;

typedef struct
{
  gint64  ts;
  gint64  tts;
  guint32 name;
  guint32 cat;
  guint32 args;
  guint32 seq;
  gboolean begin;
} BeginEnd;

typedef struct
{
  gint64  ts;
  gint64  pid;
  guint32 name;
  guint32 cat;
  guint32 args;
  guint32 seq;
  char    ph;
} AsyncEvent;

typedef struct
{
  guint   lane;
  gint64  ts;
} FlowPoint;

typedef struct
{
  guint32 name;
  guint32 parent;     /* interned parent frame id, 0 for none */
  guint32 resolved;   /* stack id + 1, 0 until resolved */
} StackFrame;

typedef struct
{
  guint   lane;
  gint64  ts;
  guint32 sf;
  gint64  weight;
} PendingSample;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  yajl_handle       parser;

  int               depth;
  int               events_depth;
  int               event_depth;
  int               args_depth;
  int               id2_depth;
  int               frames_depth;
  int               frame_depth;
  int               other_data_depth;
  gboolean          root_is_object;
  gboolean          events_closed;
  RootKey           root_key;
  EventKey          event_key;
  guint32           frame_key;       /* id of the frame being read */
  EventKey          frame_field;
  char              other_data_key[64];

  Event             ev;
  StackFrame        frame;

  /* raw args capture */
  const guint8     *chunk;
  gsize             args_chunk_start;
  GString          *args_text;
  GArray           *counter_values;  /* CounterValue */

  GHashTable       *begin_end;       /* lane -> GArray of BeginEnd */
  GHashTable       *async;           /* key string -> GArray of AsyncEvent */
  GHashTable       *flows;           /* key string -> FlowPoint */
  GHashTable       *frames;          /* frame id -> StackFrame */
  GArray           *samples;         /* PendingSample */
  GHashTable       *string_pids;     /* interned name -> synthetic pid */

  guint64           n_events;
  guint64           ph_counts[128];
  guint             n_bad_events;
  guint             n_unmatched_ends;
  guint             n_mismatched_ends;
  guint             n_unclosed;
  guint             n_unmatched_async;
  guint32           seq;
  gint64            max_time;
  gboolean          have_max_time;
} ChromeParser;

typedef struct
{
  guint32 key;
  double  value;
} CounterValue;

static EventKey
lookup_event_key (const unsigned char *key,
                  size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  switch (len)
    {
    case 1:
      if (key[0] == 's') return KEY_S;
      break;
    case 2:
      if (IS ("ph")) return KEY_PH;
      if (IS ("ts")) return KEY_TS;
      if (IS ("id")) return KEY_ID;
      if (IS ("bp")) return KEY_BP;
      if (IS ("sf")) return KEY_SF;
      break;
    case 3:
      if (IS ("cat")) return KEY_CAT;
      if (IS ("dur")) return KEY_DUR;
      if (IS ("tts")) return KEY_TTS;
      if (IS ("pid")) return KEY_PID;
      if (IS ("tid")) return KEY_TID;
      if (IS ("id2")) return KEY_ID2;
      break;
    case 4:
      if (IS ("name")) return KEY_NAME;
      if (IS ("tdur")) return KEY_TDUR;
      if (IS ("args")) return KEY_ARGS;
      break;
    case 5:
      if (IS ("scope")) return KEY_SCOPE;
      break;
    case 6:
      if (IS ("weight")) return KEY_WEIGHT;
      break;
    default:
      break;
    }
#undef IS
  return KEY_OTHER;
}

static gboolean
parse_time (const char *str,
            gsize       len,
            gint64     *out)
{
  return _pw_parse_usec_to_nsec (str, len, out);
}

static gint64
pid_for_string (ChromeParser *self,
                const char   *str,
                gsize         len)
{
  guint32 id = pw_profile_builder_intern (self->builder, str, len);
  gpointer found;

  /* Names as pids ("Browser", "GPU") get stable negative numbers, far
   * from real ones; their name becomes the process name. */
  if ((found = g_hash_table_lookup (self->string_pids, GUINT_TO_POINTER (id + 1))))
    return -(gint64) GPOINTER_TO_UINT (found);

  g_hash_table_insert (self->string_pids, GUINT_TO_POINTER (id + 1),
                       GUINT_TO_POINTER (g_hash_table_size (self->string_pids) + 1));
  return -(gint64) g_hash_table_size (self->string_pids);
}

static void
reset_event (ChromeParser *self)
{
  memset (&self->ev, 0, sizeof self->ev);
  g_array_set_size (self->counter_values, 0);
}

/* yajl callbacks. */

static int
on_null (void *ctx)
{
  return 1;
}

static int
on_boolean (void *ctx,
            int   value)
{
  return 1;
}

static int
on_number (void       *ctx,
           const char *str,
           size_t      len)
{
  ChromeParser *self = ctx;

  if (self->event_depth > 0 && self->depth == self->event_depth)
    {
      Event *ev = &self->ev;

      switch (self->event_key)
        {
        case KEY_TS:
          ev->has_ts = parse_time (str, len, &ev->ts);
          break;
        case KEY_DUR:
          ev->has_dur = parse_time (str, len, &ev->dur);
          break;
        case KEY_TTS:
          ev->has_tts = parse_time (str, len, &ev->tts);
          break;
        case KEY_TDUR:
          ev->has_tdur = parse_time (str, len, &ev->tdur);
          break;
        case KEY_PID:
          ev->has_pid = _pw_parse_int64 (str, len, &ev->pid);
          break;
        case KEY_TID:
          ev->has_tid = _pw_parse_int64 (str, len, &ev->tid);
          break;
        case KEY_ID:
          ev->id = pw_profile_builder_intern (self->builder, str, len);
          break;
        case KEY_SF:
          ev->sf = pw_profile_builder_intern (self->builder, str, len);
          break;
        case KEY_WEIGHT:
          _pw_parse_int64 (str, len, &ev->weight);
          break;
        default:
          break;
        }
    }
  else if (self->args_depth > 0 && self->depth == self->args_depth)
    {
      if (self->ev.arg_key_is_sort_index)
        self->ev.has_arg_sort_index = _pw_parse_int64 (str, len, &self->ev.arg_sort_index);

      if (self->ev.ph == 'C' || self->ev.ph == 0)
        {
          char buf[64];
          CounterValue value;

          if (len < sizeof buf)
            {
              memcpy (buf, str, len);
              buf[len] = '\0';
              value.key = self->ev.arg_key;
              value.value = g_ascii_strtod (buf, NULL);
              g_array_append_val (self->counter_values, value);
            }
        }
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (self->frame_field == KEY_OTHER + 100)
        self->frame.parent = pw_profile_builder_intern (self->builder, str, len);
    }

  return 1;
}

static int
on_string (void                *ctx,
           const unsigned char *str,
           size_t               len)
{
  ChromeParser *self = ctx;

  if (self->event_depth > 0 && self->depth == self->event_depth)
    {
      Event *ev = &self->ev;

      switch (self->event_key)
        {
        case KEY_PH:
          ev->ph = len > 0 ? (char) str[0] : 0;
          break;
        case KEY_NAME:
          ev->name = pw_profile_builder_intern (self->builder, (const char *)str, len);
          break;
        case KEY_CAT:
          ev->cat = pw_profile_builder_intern (self->builder, (const char *)str, len);
          break;
        case KEY_ID:
          ev->id = pw_profile_builder_intern (self->builder, (const char *)str, len);
          break;
        case KEY_SF:
          ev->sf = pw_profile_builder_intern (self->builder, (const char *)str, len);
          break;
        case KEY_S:
        case KEY_SCOPE:
          if (self->event_key == KEY_S)
            ev->scope = len > 0 ? (char) str[0] : 0;
          break;
        case KEY_BP:
          ev->bp = len > 0 ? (char) str[0] : 0;
          break;
        case KEY_PID:
          {
            gint64 v;
            if (_pw_parse_int64 ((const char *)str, len, &v))
              ev->pid = v;
            else
              ev->pid = pid_for_string (self, (const char *)str, len);
            ev->has_pid = TRUE;
          }
          break;
        case KEY_TID:
          {
            gint64 v;
            if (_pw_parse_int64 ((const char *)str, len, &v))
              ev->tid = v;
            else
              ev->tid = -(gint64) pw_profile_builder_intern (self->builder, (const char *)str, len) - 1;
            ev->has_tid = TRUE;
          }
          break;
        case KEY_TS:
          ev->has_ts = parse_time ((const char *)str, len, &ev->ts);
          break;
        case KEY_DUR:
          ev->has_dur = parse_time ((const char *)str, len, &ev->dur);
          break;
        default:
          break;
        }
    }
  else if (self->args_depth > 0 && self->depth == self->args_depth)
    {
      if (self->ev.arg_key_is_name)
        self->ev.arg_name = pw_profile_builder_intern (self->builder, (const char *)str, len);
    }
  else if (self->id2_depth > 0 && self->depth == self->id2_depth)
    {
      self->ev.id = pw_profile_builder_intern (self->builder, (const char *)str, len);
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (self->frame_field == KEY_NAME)
        self->frame.name = pw_profile_builder_intern (self->builder, (const char *)str, len);
      else if (self->frame_field == KEY_OTHER + 100)
        self->frame.parent = pw_profile_builder_intern (self->builder, (const char *)str, len);
    }
  else if (self->depth == 1 && self->root_is_object)
    {
      if (self->root_key == ROOT_DISPLAY_TIME_UNIT)
        {
          g_autofree char *unit = g_strndup ((const char *)str, len);
          pw_profile_builder_set_metadata (self->builder, "displayTimeUnit", unit);
        }
    }
  else if (self->other_data_depth > 0 && self->depth == self->other_data_depth)
    {
      g_autofree char *value = g_strndup ((const char *)str, MIN (len, 1024));
      pw_profile_builder_set_metadata (self->builder, self->other_data_key, value);
    }

  return 1;
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  ChromeParser *self = ctx;

  if (self->event_depth > 0 && self->depth == self->event_depth)
    {
      self->event_key = lookup_event_key (key, len);
    }
  else if (self->args_depth > 0 && self->depth == self->args_depth)
    {
      self->ev.arg_key_is_name = len == 4 && memcmp (key, "name", 4) == 0;
      self->ev.arg_key_is_sort_index = len == 10 && memcmp (key, "sort_index", 10) == 0;
      if (self->ev.ph == 'C')
        self->ev.arg_key = pw_profile_builder_intern (self->builder, (const char *)key, len);
    }
  else if (self->frames_depth > 0 && self->depth == self->frames_depth)
    {
      self->frame_key = pw_profile_builder_intern (self->builder, (const char *)key, len);
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (len == 4 && memcmp (key, "name", 4) == 0)
        self->frame_field = KEY_NAME;
      else if (len == 6 && memcmp (key, "parent", 6) == 0)
        self->frame_field = KEY_OTHER + 100;
      else
        self->frame_field = KEY_OTHER;
    }
  else if (self->depth == 1 && self->root_is_object)
    {
      if (len == 11 && memcmp (key, "traceEvents", 11) == 0)
        self->root_key = ROOT_TRACE_EVENTS;
      else if (len == 15 && memcmp (key, "displayTimeUnit", 15) == 0)
        self->root_key = ROOT_DISPLAY_TIME_UNIT;
      else if (len == 11 && memcmp (key, "stackFrames", 11) == 0)
        self->root_key = ROOT_STACK_FRAMES;
      else if ((len == 9 && memcmp (key, "otherData", 9) == 0) ||
               (len == 8 && memcmp (key, "metadata", 8) == 0))
        self->root_key = ROOT_OTHER_DATA;
      else
        self->root_key = ROOT_OTHER;
    }
  else if (self->other_data_depth > 0 && self->depth == self->other_data_depth)
    {
      gsize n = MIN (len, sizeof self->other_data_key - 1);
      memcpy (self->other_data_key, key, n);
      self->other_data_key[n] = '\0';
    }

  return 1;
}

static int
on_start_map (void *ctx)
{
  ChromeParser *self = ctx;

  self->depth++;

  if (self->depth == 1)
    {
      self->root_is_object = TRUE;
    }
  else if (self->events_depth > 0 && !self->events_closed &&
           self->event_depth == 0 && self->depth == self->events_depth + 1)
    {
      self->event_depth = self->depth;
      reset_event (self);
    }
  else if (self->event_depth > 0 && self->depth == self->event_depth + 1)
    {
      if (self->event_key == KEY_ARGS)
        {
          self->args_depth = self->depth;
          self->args_chunk_start = yajl_get_bytes_consumed (self->parser) - 1;
          g_string_truncate (self->args_text, 0);
        }
      else if (self->event_key == KEY_ID2)
        {
          self->id2_depth = self->depth;
        }
    }
  else if (self->depth == 2 && self->root_is_object)
    {
      if (self->root_key == ROOT_STACK_FRAMES)
        self->frames_depth = self->depth;
      else if (self->root_key == ROOT_OTHER_DATA)
        self->other_data_depth = self->depth;
    }
  else if (self->frames_depth > 0 && self->depth == self->frames_depth + 1)
    {
      self->frame_depth = self->depth;
      memset (&self->frame, 0, sizeof self->frame);
    }

  return 1;
}

static int
on_start_array (void *ctx)
{
  ChromeParser *self = ctx;

  self->depth++;

  if (self->events_depth == 0)
    {
      if (self->depth == 1)
        self->events_depth = 1;
      else if (self->depth == 2 && self->root_is_object && self->root_key == ROOT_TRACE_EVENTS)
        self->events_depth = 2;
    }

  return 1;
}

static int
on_end_array (void *ctx)
{
  ChromeParser *self = ctx;

  if (self->depth == self->events_depth)
    self->events_closed = TRUE;

  self->depth--;

  return 1;
}

static void commit_event (ChromeParser *self);

static int
on_end_map (void *ctx)
{
  ChromeParser *self = ctx;

  if (self->depth == self->args_depth)
    {
      gsize end = yajl_get_bytes_consumed (self->parser);

      g_string_append_len (self->args_text,
                           (const char *)self->chunk + self->args_chunk_start,
                           end - self->args_chunk_start);
      self->args_depth = 0;

      /* "{}" and friends carry nothing worth keeping */
      if (self->args_text->len > 2)
        {
          const char *p = self->args_text->str + 1;
          while (g_ascii_isspace (*p))
            p++;
          if (*p != '}')
            self->ev.args = pw_profile_builder_add_args (self->builder, self->args_text->str,
                                                         self->args_text->len);
        }
    }
  else if (self->depth == self->id2_depth)
    {
      self->id2_depth = 0;
    }
  else if (self->depth == self->event_depth)
    {
      commit_event (self);
      self->event_depth = 0;
    }
  else if (self->depth == self->frame_depth)
    {
      StackFrame *frame = g_new (StackFrame, 1);

      *frame = self->frame;
      g_hash_table_replace (self->frames, GUINT_TO_POINTER (self->frame_key + 1), frame);
      self->frame_depth = 0;
    }
  else if (self->depth == self->frames_depth)
    {
      self->frames_depth = 0;
    }
  else if (self->depth == self->other_data_depth)
    {
      self->other_data_depth = 0;
    }

  self->depth--;

  return 1;
}

static const yajl_callbacks callbacks = {
  on_null,
  on_boolean,
  NULL,
  NULL,
  on_number,
  on_string,
  on_start_map,
  on_map_key,
  on_end_map,
  on_start_array,
  on_end_array,
};

/* Event handling. */

static void
note_time (ChromeParser *self,
           gint64        time)
{
  if (!self->have_max_time || time > self->max_time)
    {
      self->max_time = time;
      self->have_max_time = TRUE;
    }
}

static guint
thread_lane (ChromeParser *self,
             const Event  *ev)
{
  return pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, ev->pid, ev->tid);
}

static GArray *
get_list (GHashTable *table,
          gpointer    key,
          gsize       element_size)
{
  GArray *list = g_hash_table_lookup (table, key);

  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, element_size);
      g_hash_table_insert (table, key, list);
    }

  return list;
}

static char *
async_key (ChromeParser *self,
           const Event  *ev,
           gboolean      with_name)
{
  /* Nestable async events match by category and id within a process;
   * legacy ones by name as well. */
  return g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%u\x1f%u\x1f%u",
                          ev->pid, ev->cat, ev->id, with_name ? ev->name : 0);
}

static void
handle_metadata (ChromeParser *self,
                 const Event  *ev)
{
  const char *name = pw_profile_builder_get_string (self->builder, ev->name);

  if (strcmp (name, "process_name") == 0 && ev->arg_name != 0)
    pw_profile_builder_set_process_name (self->builder, ev->pid,
                                         pw_profile_builder_get_string (self->builder, ev->arg_name));
  else if (strcmp (name, "process_sort_index") == 0 && ev->has_arg_sort_index)
    pw_profile_builder_set_process_sort_index (self->builder, ev->pid, (gint32) ev->arg_sort_index);
  else if (strcmp (name, "thread_name") == 0 && ev->arg_name != 0)
    pw_profile_builder_set_lane_name (self->builder, thread_lane (self, ev),
                                      pw_profile_builder_get_string (self->builder, ev->arg_name));
  else if (strcmp (name, "thread_sort_index") == 0 && ev->has_arg_sort_index)
    pw_profile_builder_set_lane_sort_index (self->builder, thread_lane (self, ev),
                                            (gint32) ev->arg_sort_index);
}

static void
handle_counter (ChromeParser *self,
                const Event  *ev)
{
  const char *base = pw_profile_builder_get_string (self->builder, ev->name);
  g_autofree char *with_id = NULL;

  if (ev->id != 0)
    base = with_id = g_strdup_printf ("%s %s", base, pw_profile_builder_get_string (self->builder, ev->id));

  for (guint i = 0; i < self->counter_values->len; i++)
    {
      const CounterValue *value = &g_array_index (self->counter_values, CounterValue, i);
      g_autofree char *series = NULL;
      guint counter;

      /* One series keeps the event's name; several are told apart by key. */
      if (self->counter_values->len == 1)
        series = g_strdup (base);
      else
        series = g_strdup_printf ("%s.%s", base, pw_profile_builder_get_string (self->builder, value->key));

      counter = pw_profile_builder_get_counter (self->builder, ev->pid, series);
      pw_profile_builder_add_counter_value (self->builder, counter, ev->ts, value->value);
    }
}

static void
handle_flow (ChromeParser *self,
             const Event  *ev)
{
  g_autofree char *key = g_strdup_printf ("%u\x1f%u", ev->cat, ev->id);
  guint lane = thread_lane (self, ev);
  FlowPoint *previous = g_hash_table_lookup (self->flows, key);

  if (ev->ph == 's')
    {
      FlowPoint *point = g_new (FlowPoint, 1);

      point->lane = lane;
      point->ts = ev->ts;
      g_hash_table_replace (self->flows, g_steal_pointer (&key), point);
      return;
    }

  if (previous == NULL)
    return;

  pw_profile_builder_add_flow (self->builder, PW_FLOW_ARROW, ev->name,
                               previous->lane, previous->ts, PW_NO_SPAN_HANDLE,
                               lane, ev->ts, PW_NO_SPAN_HANDLE);

  if (ev->ph == 't')
    {
      previous->lane = lane;
      previous->ts = ev->ts;
    }
  else
    {
      g_hash_table_remove (self->flows, key);
    }
}

static void
commit_event (ChromeParser *self)
{
  Event *ev = &self->ev;

  self->n_events++;
  self->ph_counts[(guchar) ev->ph & 127]++;

  if (ev->ph == 'M')
    {
      handle_metadata (self, ev);
      return;
    }

  if (!ev->has_ts)
    {
      /* Only metadata may go without a time. */
      if (ev->ph != 0)
        self->n_bad_events++;
      return;
    }

  switch (ev->ph)
    {
    case 'X':
      {
        gint64 cpu = ev->has_tdur ? ev->tdur : -1;

        pw_profile_builder_add_span (self->builder, thread_lane (self, ev), ev->ts,
                                     ev->has_dur ? ev->dur : 0, cpu, ev->name, ev->cat, ev->args);
        note_time (self, ev->ts + (ev->has_dur ? MAX (ev->dur, 0) : 0));
      }
      break;

    case 'B':
    case 'E':
      {
        GArray *list = get_list (self->begin_end, GUINT_TO_POINTER (thread_lane (self, ev) + 1),
                                 sizeof (BeginEnd));
        BeginEnd be = { ev->ts, ev->has_tts ? ev->tts : -1, ev->name, ev->cat, ev->args,
                        self->seq++, ev->ph == 'B' };

        g_array_append_val (list, be);
        note_time (self, ev->ts);
      }
      break;

    case 'b':
    case 'e':
    case 'n':
    case 'S':
    case 'F':
    case 'T':
    case 'p':
      {
        gboolean legacy = ev->ph == 'S' || ev->ph == 'F' || ev->ph == 'T' || ev->ph == 'p';
        char *key = async_key (self, ev, legacy);
        GArray *list = g_hash_table_lookup (self->async, key);
        AsyncEvent ae = { ev->ts, ev->pid, ev->name, ev->cat, ev->args, self->seq++, ev->ph };

        if (list == NULL)
          {
            list = g_array_new (FALSE, FALSE, sizeof (AsyncEvent));
            g_hash_table_insert (self->async, key, list);
          }
        else
          {
            g_free (key);
          }

        g_array_append_val (list, ae);
        note_time (self, ev->ts);
      }
      break;

    case 'i':
    case 'I':
    case 'R':
      pw_profile_builder_add_instant (self->builder, thread_lane (self, ev), ev->ts, ev->name);
      note_time (self, ev->ts);
      break;

    case 'C':
      handle_counter (self, ev);
      note_time (self, ev->ts);
      break;

    case 's':
    case 't':
    case 'f':
      handle_flow (self, ev);
      note_time (self, ev->ts);
      break;

    case 'P':
      if (ev->sf != 0)
        {
          PendingSample sample = { thread_lane (self, ev), ev->ts, ev->sf, ev->weight > 0 ? ev->weight : 1 };

          g_array_append_val (self->samples, sample);
        }
      note_time (self, ev->ts);
      break;

    case 'N':
    case 'O':
    case 'D':
      /* Object snapshots: counted, not shown. */
      break;

    default:
      break;
    }
}

static int
compare_begin_end (gconstpointer a,
                   gconstpointer b)
{
  const BeginEnd *ba = a;
  const BeginEnd *bb = b;

  if (ba->ts != bb->ts)
    return ba->ts < bb->ts ? -1 : 1;
  return ba->seq < bb->seq ? -1 : ba->seq > bb->seq;
}

static int
compare_async (gconstpointer a,
               gconstpointer b)
{
  const AsyncEvent *aa = a;
  const AsyncEvent *ab = b;

  if (aa->ts != ab->ts)
    return aa->ts < ab->ts ? -1 : 1;
  return aa->seq < ab->seq ? -1 : aa->seq > ab->seq;
}

/* Pairs B with E per thread, as Chrome's own importer does: an E closes
 * the innermost open B whatever its name, and a different name counts as
 * a problem rather than an error. */
static void
match_begin_end (ChromeParser *self,
                 guint         lane,
                 GArray       *list)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (BeginEnd));

  g_array_sort (list, compare_begin_end);

  for (guint i = 0; i < list->len; i++)
    {
      const BeginEnd *be = &g_array_index (list, BeginEnd, i);
      BeginEnd open;
      gint64 cpu = -1;

      if (be->begin)
        {
          g_array_append_val (stack, *be);
          continue;
        }

      if (stack->len == 0)
        {
          self->n_unmatched_ends++;
          continue;
        }

      open = g_array_index (stack, BeginEnd, stack->len - 1);
      g_array_set_size (stack, stack->len - 1);

      if (be->name != 0 && be->name != open.name)
        self->n_mismatched_ends++;
      if (open.tts >= 0 && be->tts >= open.tts)
        cpu = be->tts - open.tts;

      pw_profile_builder_add_span (self->builder, lane, open.ts, be->ts - open.ts, cpu,
                                   open.name, open.cat, open.args ? open.args : be->args);
    }

  for (guint i = 0; i < stack->len; i++)
    {
      const BeginEnd *open = &g_array_index (stack, BeginEnd, i);

      pw_profile_builder_add_span (self->builder, lane, open->ts,
                                   MAX (self->max_time - open->ts, 0), -1,
                                   open->name, open->cat, open->args);
      self->n_unclosed++;
    }
}

static void
match_async (ChromeParser *self,
             GArray       *list)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (AsyncEvent));
  guint lane = G_MAXUINT;

  g_array_sort (list, compare_async);

  for (guint i = 0; i < list->len; i++)
    {
      const AsyncEvent *ae = &g_array_index (list, AsyncEvent, i);
      AsyncEvent open;

      switch (ae->ph)
        {
        case 'b':
        case 'S':
          /* The outermost event of an id names its track, so that
           * every request of one kind shares a track. */
          if (stack->len == 0)
            lane = pw_profile_builder_get_lane (self->builder, PW_LANE_ASYNC, ae->pid, ae->name);
          g_array_append_val (stack, *ae);
          break;

        case 'n':
          pw_profile_builder_add_instant (self->builder,
                                          stack->len > 0 ? lane
                                          : pw_profile_builder_get_lane (self->builder, PW_LANE_ASYNC,
                                                                         ae->pid, ae->name),
                                          ae->ts, ae->name);
          break;

        case 'e':
        case 'F':
          if (stack->len == 0)
            {
              self->n_unmatched_async++;
              break;
            }
          open = g_array_index (stack, AsyncEvent, stack->len - 1);
          g_array_set_size (stack, stack->len - 1);
          pw_profile_builder_add_span (self->builder, lane, open.ts, ae->ts - open.ts, -1,
                                       open.name, open.cat, open.args ? open.args : ae->args);
          break;

        default:
          /* 'T' and 'p' are steps inside a legacy async span. */
          break;
        }
    }

  for (guint i = 0; i < stack->len; i++)
    {
      const AsyncEvent *open = &g_array_index (stack, AsyncEvent, i);

      pw_profile_builder_add_span (self->builder, lane, open->ts,
                                   MAX (self->max_time - open->ts, 0), -1,
                                   open->name, open->cat, open->args);
      self->n_unclosed++;
    }
}

static guint32
resolve_frame (ChromeParser *self,
               guint32       sf,
               guint         depth)
{
  StackFrame *frame = g_hash_table_lookup (self->frames, GUINT_TO_POINTER (sf + 1));
  guint32 parent;

  if (frame == NULL || depth > 4096)
    return PW_NO_STACK;
  if (frame->resolved != 0)
    return frame->resolved - 1;

  /* Marks the frame while its parents resolve, so a cycle ends. */
  frame->resolved = PW_NO_STACK;
  parent = frame->parent != 0 ? resolve_frame (self, frame->parent, depth + 1) : PW_NO_STACK;
  frame->resolved = pw_profile_builder_push_frame (self->builder, parent, frame->name) + 1;

  return frame->resolved - 1;
}

static void
finish (ChromeParser *self)
{
  GHashTableIter iter;
  gpointer key, value;
  GString *summary;

  g_hash_table_iter_init (&iter, self->begin_end);
  while (g_hash_table_iter_next (&iter, &key, &value))
    match_begin_end (self, GPOINTER_TO_UINT (key) - 1, value);

  g_hash_table_iter_init (&iter, self->async);
  while (g_hash_table_iter_next (&iter, &key, &value))
    match_async (self, value);

  for (guint i = 0; i < self->samples->len; i++)
    {
      const PendingSample *sample = &g_array_index (self->samples, PendingSample, i);
      guint32 stack = resolve_frame (self, sample->sf, 0);

      if (stack != PW_NO_STACK)
        pw_profile_builder_add_sample (self->builder, sample->lane, sample->ts, sample->weight, stack);
    }

  /* Processes named only by a string pid keep that string as their name. */
  g_hash_table_iter_init (&iter, self->string_pids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = pw_profile_builder_get_string (self->builder, GPOINTER_TO_UINT (key) - 1);
      pw_profile_builder_set_process_name (self->builder, -(gint64) GPOINTER_TO_UINT (value), name);
    }

  if (self->n_unmatched_ends > 0)
    pw_profile_builder_add_warning (self->builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u end event (E) had no begin event; it was ignored",
                                                 "%u end events (E) had no begin event; they were ignored",
                                                 self->n_unmatched_ends),
                                    self->n_unmatched_ends);
  if (self->n_mismatched_ends > 0)
    pw_profile_builder_add_warning (self->builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u end event (E) names another span than the one it closes",
                                                 "%u end events (E) name another span than the one they close",
                                                 self->n_mismatched_ends),
                                    self->n_mismatched_ends);
  if (self->n_unclosed > 0)
    pw_profile_builder_add_warning (self->builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%u span never ended; it is shown up to the end of the trace",
                                                 "%u spans never ended; they are shown up to the end of the trace",
                                                 self->n_unclosed),
                                    self->n_unclosed);
  if (self->n_unmatched_async > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("%u async end events had no begin event; they were ignored"),
                                    self->n_unmatched_async);
  if (self->n_bad_events > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("%u events had no timestamp (ts); they were skipped"),
                                    self->n_bad_events);

  summary = g_string_new (NULL);
  for (guint c = 0; c < G_N_ELEMENTS (self->ph_counts); c++)
    if (self->ph_counts[c] > 0)
      {
        if (c >= 32 && c < 127)
          g_string_append_printf (summary, "%s%c:%" G_GUINT64_FORMAT, summary->len ? " " : "", c,
                                  self->ph_counts[c]);
        else
          g_string_append_printf (summary, "%s?:%" G_GUINT64_FORMAT, summary->len ? " " : "",
                                  self->ph_counts[c]);
      }
  pw_profile_builder_set_metadata (self->builder, "chrome.phases", summary->str);
  g_string_free (summary, TRUE);

  {
    char buf[32];
    g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self->n_events);
    pw_profile_builder_set_metadata (self->builder, "events", buf);
    g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT,
                self->ph_counts['O'] + self->ph_counts['N'] + self->ph_counts['D']);
    pw_profile_builder_set_metadata (self->builder, "chrome.object_events", buf);
  }
}

static void
position_of (const guint8 *chunk,
             gsize         offset,
             guint64       lines_before,
             gsize         column_before,
             guint64      *line,
             guint64      *column)
{
  const guint8 *last_nl = NULL;

  *line = lines_before;
  for (gsize i = 0; i < offset; i++)
    if (chunk[i] == '\n')
      {
        (*line)++;
        last_nl = &chunk[i];
      }

  *column = last_nl ? (guint64)(&chunk[offset] - last_nl) : column_before + offset + 1;
}

static char *
describe_yajl_error (ChromeParser *self)
{
  unsigned char *raw = yajl_get_error (self->parser, 0, NULL, 0);
  g_autofree char *message = g_strstrip (g_strdup ((const char *)raw));

  yajl_free_error (self->parser, raw);

  /* yajl says "parse error: …" or "lexical error: …"; the kind of
   * error matters less to a user than what was found. */
  if (g_str_has_prefix (message, "parse error: "))
    return g_strdup (message + strlen ("parse error: "));
  if (g_str_has_prefix (message, "lexical error: "))
    return g_strdup (message + strlen ("lexical error: "));

  return g_steal_pointer (&message);
}

static gboolean
chrome_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  ChromeParser self = { 0 };
  g_autofree guint8 *chunk = g_malloc (READ_SIZE);
  guint64 offset = 0;
  guint64 lines = 1;
  gsize column = 0;
  gboolean ok = FALSE;
  yajl_status status;

  self.input = input;
  self.builder = builder;
  self.args_text = g_string_new (NULL);
  self.counter_values = g_array_new (FALSE, FALSE, sizeof (CounterValue));
  self.begin_end = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self.async = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self.flows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self.frames = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self.samples = g_array_new (FALSE, FALSE, sizeof (PendingSample));
  self.string_pids = g_hash_table_new (NULL, NULL);
  self.parser = yajl_alloc (&callbacks, NULL, &self);
  yajl_config (self.parser, yajl_dont_validate_strings, 1);
  yajl_config (self.parser, yajl_allow_trailing_garbage, 1);

  for (;;)
    {
      gssize n = pw_input_read (input, chunk, READ_SIZE, error);

      if (n < 0)
        goto out;
      if (n == 0)
        break;

      self.chunk = chunk;
      self.args_chunk_start = 0;
      status = yajl_parse (self.parser, chunk, n);

      if (status != yajl_status_ok)
        {
          gsize at = yajl_get_bytes_consumed (self.parser);
          g_autofree char *what = describe_yajl_error (&self);
          guint64 line, col;

          position_of (chunk, MIN (at, (gsize) n), lines, column, &line, &col);
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                       _("%s: invalid JSON at byte %" G_GUINT64_FORMAT " (line %" G_GUINT64_FORMAT
                         ", column %" G_GUINT64_FORMAT "): %s"),
                       pw_input_get_display_name (input), offset + at, line, col, what);
          goto out;
        }

      /* An args object that goes on in the next chunk: keep its start. */
      if (self.args_depth > 0)
        g_string_append_len (self.args_text, (const char *)chunk + self.args_chunk_start,
                             n - self.args_chunk_start);

      {
        guint64 line, col;
        position_of (chunk, n, lines, column, &line, &col);
        lines = line;
        column = col - 1;
      }
      offset += n;
    }

  self.chunk = NULL;
  status = yajl_complete_parse (self.parser);

  if (status != yajl_status_ok || self.depth > 0)
    {
      g_autofree char *what = describe_yajl_error (&self);

      if (self.events_depth > 0 && self.n_events > 0)
        {
          /* The format allows a trace to end without its closing
           * bracket (a crash, a cut recording): keep what was complete. */
          if (!(self.events_depth == 1 && self.depth == 1))
            pw_profile_builder_add_warning (builder,
                                            _("The trace ends early, at byte %" G_GUINT64_FORMAT
                                              ", inside an event: showing the %" G_GUINT64_FORMAT
                                              " complete events"),
                                            offset, self.n_events);
        }
      else if (self.events_depth == 0)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                       _("%s: the JSON ends at byte %" G_GUINT64_FORMAT " (line %" G_GUINT64_FORMAT
                         ") before any trace events: %s"),
                       pw_input_get_display_name (input), offset, lines, what);
          goto out;
        }
    }

  if (self.events_depth == 0)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: JSON, but not a Chrome trace: expected an array of events or an "
                     "object with “traceEvents”"),
                   pw_input_get_display_name (input));
      goto out;
    }

  finish (&self);
  ok = TRUE;

out:
  yajl_free (self.parser);
  g_string_free (self.args_text, TRUE);
  g_array_unref (self.counter_values);
  g_hash_table_unref (self.begin_end);
  g_hash_table_unref (self.async);
  g_hash_table_unref (self.flows);
  g_hash_table_unref (self.frames);
  g_array_unref (self.samples);
  g_hash_table_unref (self.string_pids);

  return ok;
}

static guint
chrome_sniff (const guint8 *head,
              gsize         len,
              const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0)
    return 0;

  if (p[0] == '{')
    {
      if (_pw_head_contains (p, len, "\"traceEvents\""))
        return 90;
      return 0;
    }

  if (p[0] == '[')
    {
      if (_pw_head_contains (p, len, "\"ph\""))
        return 80;
      /* An empty or still-open array is a trace only by its name. */
      if (filename != NULL && (g_str_has_suffix (filename, ".json") || g_str_has_suffix (filename, ".json.gz")))
        return 5;
    }

  return 0;
}

static const char * const chrome_patterns[] = { "*.json", "*.json.gz", "*.trace", NULL };
static const char * const chrome_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_chrome = {
  .id = "chrome",
  .name = N_("Chrome Trace Event JSON"),
  .patterns = chrome_patterns,
  .mime_types = chrome_mime_types,
  .sniff = chrome_sniff,
  .load = chrome_load,
};
