/* pw-import-chrome.c: Chrome Trace Event Format (JSON object or array form)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-chrome"

#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <yajl/yajl_parse.h>

#include "pw-import-chrome-private.h"
#include "pw-import-private.h"
#include "pw-json-stream.h"

/* The parallel parser feeds yajl this much between cancellation checks. */
#define SLICE_SIZE (4 * 1024 * 1024)
/* Below this, splitting costs more than it saves. */
#define PARALLEL_MIN_SIZE (8 * 1024 * 1024)
#define MAX_CHUNKS 64
/* ProfileChunk args are parsed as a document: bound what one may hold. */
#define MAX_PROFILE_ARGS (64 * 1024 * 1024)
#define MAX_STACK_DEPTH 4096
/* StackFrame.resolved and ProfileNode.stack while their parents resolve */
#define RESOLVING G_MAXUINT32
#define CACHE_SLOTS 1024
#define CACHE_MAX_LEN 46

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
  KEY_BIND_ID,
  KEY_FLOW_IN,
  KEY_FLOW_OUT,
} EventKey;

typedef enum
{
  ROOT_OTHER,
  ROOT_TRACE_EVENTS,
  ROOT_DISPLAY_TIME_UNIT,
  ROOT_STACK_FRAMES,
  ROOT_OTHER_DATA,
  ROOT_SAMPLES,
} RootKey;

typedef enum
{
  FRAME_OTHER,
  FRAME_NAME,
  FRAME_PARENT,
} FrameField;

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
  guint32 tid_name;    /* the tid when it was a string such as "stream 7" */
  guint   has_args : 1;
  guint   flow_in : 1;
  guint   flow_out : 1;
  guint   is_sample : 1;   /* from the root "samples" array */
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
  guint32 bind_id;
  gint64  weight;
  /* from args, for metadata and counters */
  guint32 arg_name;
  gint64  arg_sort_index;
  guint   has_arg_sort_index : 1;
  guint   arg_key_is_name : 1;
  guint   arg_key_is_sort_index : 1;
  guint32 arg_key;
} Event;

/* Events that only make sense together are kept raw, with their order in
 * the file (seq), and matched once everything is read: the parallel parser
 * reads parts of the file out of order and merges these lists first. */
typedef struct
{
  guint    lane;
  guint32  seq;
  gint64   ts;
  gint64   tts;
  guint32  name;
  guint32  cat;
  guint32  args;
  gboolean begin;
} BeginEnd;

typedef struct
{
  gint64  pid;
  guint32 cat;
  guint32 id;
  guint32 key_name;    /* the name for legacy async events, which match by it */
  guint32 seq;
  gint64  ts;
  guint32 name;
  guint32 args;
  char    ph;
} AsyncEvent;

typedef struct
{
  guint32 cat;
  guint32 id;
  guint32 name;
  guint32 seq;
  gint64  ts;
  guint   lane;
  char    ph;
  char    bp;
} FlowEvent;

typedef struct
{
  guint32      bind_id;
  guint32      seq;
  gint64       ts;
  guint        lane;
  guint32      name;
  PwSpanHandle span;
  gboolean     in;
  gboolean     out;
} BoundFlow;

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
  guint32  seq;
  guint    lane;
  gint64   pid;
  guint32  id;
  gint64   ts;
  gboolean chunk;
  char    *json;
} ProfileRecord;

typedef struct
{
  guint32 key;
  double  value;
} CounterValue;

typedef struct
{
  guint32 id;
  guint8  len;
  char    bytes[CACHE_MAX_LEN + 1];
} CacheSlot;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  yajl_handle       parser;
  PwJsonStream     *stream;          /* the sequential path's (parser is NULL then) */

  int               depth;
  int               events_depth;
  int               samples_depth;
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
  FrameField        frame_field;
  char              other_data_key[64];

  Event             ev;
  StackFrame        frame;

  /* raw args capture */
  const guint8     *chunk;
  gsize             args_chunk_start;
  gboolean          fast;            /* driven by fast_parse(), not yajl */
  gsize             fast_pos;        /* offset in chunk just past the token */
  GString          *unescaped;
  GString          *args_text;
  GArray           *counter_values;  /* CounterValue */

  GArray           *begin_end;       /* BeginEnd */
  GArray           *async;           /* AsyncEvent */
  GArray           *flows;           /* FlowEvent */
  GArray           *bound_flows;     /* BoundFlow */
  GHashTable       *frames;          /* frame id + 1 -> StackFrame */
  GArray           *samples;         /* PendingSample */
  GArray           *profiles;        /* ProfileRecord */
  GHashTable       *string_pids;     /* synthetic pid (as gint64 *) -> name id */

  guint32           id_profile;
  guint             last_lane;       /* thread_lane()'s cache */
  gint64            last_pid;
  gint64            last_tid;
  guint32           id_profile_chunk;
  CacheSlot        *cache;

  guint64           n_events;
  guint64           ph_counts[128];
  guint             n_bad_events;
  guint             n_unmatched_ends;
  guint             n_mismatched_ends;
  guint             n_unclosed;
  guint             n_unmatched_async;
  guint             n_bad_profiles;
  guint32           seq;
  gint64            max_time;
  gboolean          have_max_time;
} ChromeParser;

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
    case 7:
      if (IS ("bind_id")) return KEY_BIND_ID;
      if (IS ("flow_in")) return KEY_FLOW_IN;
      break;
    case 8:
      if (IS ("flow_out")) return KEY_FLOW_OUT;
      break;
    default:
      break;
    }
#undef IS
  return KEY_OTHER;
}

/* pids and tids: plain decimals, short of strtoll's generality. */
static inline gboolean
parse_int (const char *str,
           gsize       len,
           gint64     *value)
{
  gsize i = 0;
  gboolean negative = FALSE;
  gint64 v = 0;

  if (len > 0 && str[0] == '-')
    {
      negative = TRUE;
      i = 1;
    }
  if (len == i || len - i > 18)
    return _pw_parse_int64 (str, len, value);
  for (; i < len; i++)
    {
      if (str[i] < '0' || str[i] > '9')
        return _pw_parse_int64 (str, len, value);
      v = v * 10 + (str[i] - '0');
    }

  *value = negative ? -v : v;
  return TRUE;
}

static gboolean
parse_time (const char *str,
            gsize       len,
            gint64     *out)
{
  return _pw_parse_usec_to_nsec (str, len, out);
}

/* Most events repeat a few names, categories and ids: a small cache in
 * front of the string table saves its copy and hash lookup. */
static guint32
intern (ChromeParser *self,
        const char   *str,
        gsize         len)
{
  guint32 h = 2166136261u;
  CacheSlot *slot;
  guint32 id;

  if (len > CACHE_MAX_LEN)
    return pw_profile_builder_intern (self->builder, str, len);

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) str[i]) * 16777619u;
  slot = &self->cache[(h ^ (h >> 15)) & (CACHE_SLOTS - 1)];

  if (slot->len == len && slot->id != G_MAXUINT32 && memcmp (slot->bytes, str, len) == 0)
    return slot->id;

  id = pw_profile_builder_intern (self->builder, str, len);
  slot->id = id;
  slot->len = len;
  memcpy (slot->bytes, str, len);

  return id;
}

/* Names as pids or tids ("Browser", "GPU") get stable negative numbers,
 * far from real ones, that do not depend on the order they are met in. */
static gint64
number_for_string (const char *str,
                   gsize       len)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) str[i]) * 16777619u;

  return -(gint64) (h & 0x7fffffff) - 1;
}

static gint64
pid_for_string (ChromeParser *self,
                const char   *str,
                gsize         len)
{
  gint64 pid = number_for_string (str, len);

  /* Their name becomes the process name. */
  if (!g_hash_table_contains (self->string_pids, &pid))
    g_hash_table_insert (self->string_pids, g_memdup2 (&pid, sizeof pid),
                         GUINT_TO_POINTER (intern (self, str, len)));

  return pid;
}

static inline gsize
bytes_consumed (ChromeParser *self)
{
  if (self->fast)
    return self->fast_pos;
  if (self->stream != NULL)
    return _pw_json_stream_get_chunk_consumed (self->stream);
  return yajl_get_bytes_consumed (self->parser);
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
  ChromeParser *self = ctx;

  if (self->event_depth > 0 && self->depth == self->event_depth)
    {
      if (self->event_key == KEY_FLOW_IN)
        self->ev.flow_in = value != 0;
      else if (self->event_key == KEY_FLOW_OUT)
        self->ev.flow_out = value != 0;
    }

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
          ev->has_pid = parse_int (str, len, &ev->pid);
          break;
        case KEY_TID:
          ev->has_tid = parse_int (str, len, &ev->tid);
          break;
        case KEY_ID:
          ev->id = intern (self, str, len);
          break;
        case KEY_SF:
          ev->sf = intern (self, str, len);
          break;
        case KEY_BIND_ID:
          ev->bind_id = intern (self, str, len);
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
  else if (self->id2_depth > 0 && self->depth == self->id2_depth)
    {
      self->ev.id = intern (self, str, len);
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (self->frame_field == FRAME_PARENT)
        self->frame.parent = intern (self, str, len);
    }

  return 1;
}

static int
on_string (void                *ctx,
           const unsigned char *ustr,
           size_t               len)
{
  ChromeParser *self = ctx;
  const char *str = (const char *) ustr;

  if (self->event_depth > 0 && self->depth == self->event_depth)
    {
      Event *ev = &self->ev;

      switch (self->event_key)
        {
        case KEY_PH:
          ev->ph = len > 0 ? str[0] : 0;
          break;
        case KEY_NAME:
          ev->name = intern (self, str, len);
          break;
        case KEY_CAT:
          ev->cat = intern (self, str, len);
          break;
        case KEY_ID:
          ev->id = intern (self, str, len);
          break;
        case KEY_SF:
          ev->sf = intern (self, str, len);
          break;
        case KEY_BIND_ID:
          ev->bind_id = intern (self, str, len);
          break;
        case KEY_S:
          ev->scope = len > 0 ? str[0] : 0;
          break;
        case KEY_BP:
          ev->bp = len > 0 ? str[0] : 0;
          break;
        case KEY_PID:
          if (!parse_int (str, len, &ev->pid))
            ev->pid = pid_for_string (self, str, len);
          ev->has_pid = TRUE;
          break;
        case KEY_TID:
          if (!parse_int (str, len, &ev->tid))
            {
              ev->tid = number_for_string (str, len);
              ev->tid_name = intern (self, str, len);
            }
          ev->has_tid = TRUE;
          break;
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
        case KEY_WEIGHT:
          _pw_parse_int64 (str, len, &ev->weight);
          break;
        default:
          break;
        }
    }
  else if (self->args_depth > 0 && self->depth == self->args_depth)
    {
      if (self->ev.arg_key_is_name)
        self->ev.arg_name = intern (self, str, len);
    }
  else if (self->id2_depth > 0 && self->depth == self->id2_depth)
    {
      self->ev.id = intern (self, str, len);
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (self->frame_field == FRAME_NAME)
        self->frame.name = intern (self, str, len);
      else if (self->frame_field == FRAME_PARENT)
        self->frame.parent = intern (self, str, len);
    }
  else if (self->depth == 1 && self->root_is_object)
    {
      /* Only a hint for display: ts stays microseconds per the spec. */
      if (self->root_key == ROOT_DISPLAY_TIME_UNIT)
        {
          g_autofree char *unit = g_strndup (str, MIN (len, 64));
          pw_profile_builder_set_metadata (self->builder, "displayTimeUnit", unit);
        }
    }
  else if (self->other_data_depth > 0 && self->depth == self->other_data_depth)
    {
      g_autofree char *value = g_strndup (str, MIN (len, 1024));
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
        self->ev.arg_key = intern (self, (const char *)key, len);
    }
  else if (self->frames_depth > 0 && self->depth == self->frames_depth)
    {
      self->frame_key = intern (self, (const char *)key, len);
    }
  else if (self->frame_depth > 0 && self->depth == self->frame_depth)
    {
      if (len == 4 && memcmp (key, "name", 4) == 0)
        self->frame_field = FRAME_NAME;
      else if (len == 6 && memcmp (key, "parent", 6) == 0)
        self->frame_field = FRAME_PARENT;
      else
        self->frame_field = FRAME_OTHER;
    }
  else if (self->depth == 1 && self->root_is_object)
    {
      if (len == 11 && memcmp (key, "traceEvents", 11) == 0)
        self->root_key = ROOT_TRACE_EVENTS;
      else if (len == 15 && memcmp (key, "displayTimeUnit", 15) == 0)
        self->root_key = ROOT_DISPLAY_TIME_UNIT;
      else if (len == 11 && memcmp (key, "stackFrames", 11) == 0)
        self->root_key = ROOT_STACK_FRAMES;
      else if (len == 7 && memcmp (key, "samples", 7) == 0)
        self->root_key = ROOT_SAMPLES;
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
  else if (self->event_depth == 0 &&
           ((self->events_depth > 0 && !self->events_closed && self->depth == self->events_depth + 1) ||
            (self->samples_depth > 0 && self->depth == self->samples_depth + 1)))
    {
      self->event_depth = self->depth;
      reset_event (self);
      self->ev.is_sample = self->samples_depth > 0 && self->depth == self->samples_depth + 1;
    }
  else if (self->event_depth > 0 && self->depth == self->event_depth + 1)
    {
      if (self->event_key == KEY_ARGS)
        {
          self->args_depth = self->depth;
          self->args_chunk_start = bytes_consumed (self) - 1;
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

  if (self->events_depth == 0 && self->depth == 1)
    self->events_depth = 1;
  else if (self->depth == 2 && self->root_is_object)
    {
      if (self->events_depth == 0 && self->root_key == ROOT_TRACE_EVENTS)
        self->events_depth = 2;
      else if (self->samples_depth == 0 && self->root_key == ROOT_SAMPLES)
        self->samples_depth = 2;
    }

  return 1;
}

static int
on_end_array (void *ctx)
{
  ChromeParser *self = ctx;

  if (self->depth == self->events_depth)
    self->events_closed = TRUE;
  if (self->depth == self->samples_depth)
    self->samples_depth = -1;

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
      gsize end = bytes_consumed (self);

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
          self->ev.has_args = *p != '}';
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
  /* Events of one thread come in runs. */
  if (self->last_lane == G_MAXUINT || self->last_pid != ev->pid || self->last_tid != ev->tid)
    {
      self->last_lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, ev->pid, ev->tid);
      if (ev->tid_name != 0)
        pw_profile_builder_set_lane_fallback_name (self->builder, self->last_lane, ev->tid_name);
      self->last_pid = ev->pid;
      self->last_tid = ev->tid;
    }

  return self->last_lane;
}

/* clang -ftime-trace ends with one "Total <activity>" X event per kind
 * of work, at time 0 on a made-up thread each, lasting the summed time
 * of that work ({"count": N, "avg ms": M}). They are sums, not activity:
 * as spans they would be read as threads running in parallel. They are
 * kept as metadata ("clang.total.<activity>"), which the summary lists. */
static gboolean
take_clang_total (ChromeParser *self,
                  const Event  *ev)
{
  const char *name = pw_profile_builder_get_string (self->builder, ev->name);
  const char *count_at;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  gint64 count = 0;

  if (!g_str_has_prefix (name, "Total ") || name[6] == '\0' || !ev->has_args ||
      strstr (self->args_text->str, "\"avg ms\"") == NULL)
    return FALSE;

  if ((count_at = strstr (self->args_text->str, "\"count\":")) != NULL)
    count = g_ascii_strtoll (count_at + strlen ("\"count\":"), NULL, 10);

  key = g_strdup_printf ("clang.total.%s", name + 6);
  value = g_strdup_printf ("%.3f ms in %" G_GINT64_FORMAT, (double) (ev->has_dur ? ev->dur : 0) / 1e6, count);
  pw_profile_builder_set_metadata (self->builder, key, value);
  return TRUE;
}

/* Args are kept only for what becomes a span. */
static guint32
take_args (ChromeParser *self)
{
  if (!self->ev.has_args)
    return 0;

  return pw_profile_builder_add_args (self->builder, self->args_text->str, self->args_text->len);
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

  /* Counters with an id are separate series of one name. */
  if (ev->id != 0)
    base = with_id = g_strdup_printf ("%s %s", base, pw_profile_builder_get_string (self->builder, ev->id));

  for (guint i = 0; i < self->counter_values->len; i++)
    {
      const CounterValue *value = &g_array_index (self->counter_values, CounterValue, i);
      g_autofree char *series = NULL;
      guint counter;

      /* One series keeps the event's name; several are told apart by key. */
      if (self->counter_values->len == 1)
        counter = pw_profile_builder_get_counter (self->builder, ev->pid, base);
      else
        {
          series = g_strdup_printf ("%s.%s", base, pw_profile_builder_get_string (self->builder, value->key));
          counter = pw_profile_builder_get_counter (self->builder, ev->pid, series);
        }

      pw_profile_builder_add_counter_value (self->builder, counter, ev->ts, value->value);
    }
}

static void
handle_profile (ChromeParser *self,
                const Event  *ev)
{
  ProfileRecord record = { 0 };

  /* The cpuProfile of a ProfileChunk is a small document of its own,
   * parsed once every chunk of its profile is known. */
  if (!ev->has_args || self->args_text->len > MAX_PROFILE_ARGS)
    {
      self->n_bad_profiles++;
      return;
    }

  record.seq = self->seq++;
  record.lane = thread_lane (self, ev);
  record.pid = ev->pid;
  record.id = ev->id;
  record.ts = ev->ts;
  record.chunk = ev->name == self->id_profile_chunk;
  record.json = g_strndup (self->args_text->str, self->args_text->len);
  g_array_append_val (self->profiles, record);
}

static void
commit_event (ChromeParser *self)
{
  Event *ev = &self->ev;

  if (ev->is_sample)
    {
      /* The root "samples" array: {cpu, tid, ts, name, sf, weight} */
      if (ev->has_ts && ev->sf != 0)
        {
          PendingSample sample = { thread_lane (self, ev), ev->ts, ev->sf, ev->weight > 0 ? ev->weight : 1 };

          g_array_append_val (self->samples, sample);
          note_time (self, ev->ts);
        }
      return;
    }

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
        guint lane;
        PwSpanHandle span;

        if (take_clang_total (self, ev))
          break;

        lane = thread_lane (self, ev);
        span = pw_profile_builder_add_span (self->builder, lane, ev->ts,
                                            ev->has_dur ? ev->dur : 0, cpu, ev->name, ev->cat,
                                            take_args (self));
        note_time (self, ev->ts + (ev->has_dur ? MAX (ev->dur, 0) : 0));

        /* Flow v2: the slice itself is the end point. */
        if (ev->bind_id != 0 && (ev->flow_in || ev->flow_out))
          {
            BoundFlow flow = { ev->bind_id, self->seq++, ev->ts, lane, ev->name, span,
                               ev->flow_in, ev->flow_out };

            g_array_append_val (self->bound_flows, flow);
          }
      }
      break;

    case 'B':
    case 'E':
      {
        BeginEnd be = { thread_lane (self, ev), self->seq++, ev->ts, ev->has_tts ? ev->tts : -1,
                        ev->name, ev->cat, take_args (self), ev->ph == 'B' };

        g_array_append_val (self->begin_end, be);
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
        /* Nestable async events match by category and id within a
         * process; legacy ones by name as well. */
        gboolean legacy = ev->ph == 'S' || ev->ph == 'F' || ev->ph == 'T' || ev->ph == 'p';
        gboolean spans = ev->ph == 'b' || ev->ph == 'e' || ev->ph == 'S' || ev->ph == 'F';
        AsyncEvent ae = { ev->pid, ev->cat, ev->id, legacy ? ev->name : 0, self->seq++, ev->ts,
                          ev->name, spans ? take_args (self) : 0, ev->ph };

        g_array_append_val (self->async, ae);
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
      {
        FlowEvent flow = { ev->cat, ev->id, ev->name, self->seq++, ev->ts, thread_lane (self, ev),
                           ev->ph, ev->bp };

        g_array_append_val (self->flows, flow);
        note_time (self, ev->ts);
      }
      break;

    case 'P':
      if (ev->sf != 0)
        {
          PendingSample sample = { thread_lane (self, ev), ev->ts, ev->sf, ev->weight > 0 ? ev->weight : 1 };

          g_array_append_val (self->samples, sample);
        }
      else if (ev->name != 0 && (ev->name == self->id_profile || ev->name == self->id_profile_chunk))
        handle_profile (self, ev);
      else if (ev->name != 0)
        {
          /* A sample without a stack frame is, as in Chrome's viewer, a
           * sample of its name alone. */
          guint32 stack = pw_profile_builder_push_frame (self->builder, PW_NO_STACK, ev->name);

          pw_profile_builder_add_sample (self->builder, thread_lane (self, ev), ev->ts,
                                         ev->weight > 0 ? ev->weight : 1, stack);
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

  if (ba->lane != bb->lane)
    return ba->lane < bb->lane ? -1 : 1;
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

  if (aa->pid != ab->pid)
    return aa->pid < ab->pid ? -1 : 1;
  if (aa->cat != ab->cat)
    return aa->cat < ab->cat ? -1 : 1;
  if (aa->id != ab->id)
    return aa->id < ab->id ? -1 : 1;
  if (aa->key_name != ab->key_name)
    return aa->key_name < ab->key_name ? -1 : 1;
  if (aa->ts != ab->ts)
    return aa->ts < ab->ts ? -1 : 1;
  return aa->seq < ab->seq ? -1 : aa->seq > ab->seq;
}

static int
flow_phase_rank (char ph)
{
  return ph == 's' ? 0 : ph == 't' ? 1 : 2;
}

static int
compare_flows (gconstpointer a,
               gconstpointer b)
{
  const FlowEvent *fa = a;
  const FlowEvent *fb = b;

  if (fa->cat != fb->cat)
    return fa->cat < fb->cat ? -1 : 1;
  if (fa->id != fb->id)
    return fa->id < fb->id ? -1 : 1;
  if (fa->ts != fb->ts)
    return fa->ts < fb->ts ? -1 : 1;
  if (flow_phase_rank (fa->ph) != flow_phase_rank (fb->ph))
    return flow_phase_rank (fa->ph) - flow_phase_rank (fb->ph);
  return fa->seq < fb->seq ? -1 : fa->seq > fb->seq;
}

static int
compare_bound_flows (gconstpointer a,
                     gconstpointer b)
{
  const BoundFlow *fa = a;
  const BoundFlow *fb = b;

  if (fa->bind_id != fb->bind_id)
    return fa->bind_id < fb->bind_id ? -1 : 1;
  if (fa->ts != fb->ts)
    return fa->ts < fb->ts ? -1 : 1;
  return fa->seq < fb->seq ? -1 : fa->seq > fb->seq;
}

/* Pairs B with E per thread, as Chrome's own importer does: an E closes
 * the innermost open B whatever its name, and a different name counts as
 * a problem rather than an error. */
static void
match_begin_end (ChromeParser *self)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (BeginEnd));
  GArray *list = self->begin_end;

  g_array_sort (list, compare_begin_end);

  for (guint i = 0; i <= list->len; i++)
    {
      const BeginEnd *be = i < list->len ? &g_array_index (list, BeginEnd, i) : NULL;
      BeginEnd open;
      gint64 cpu = -1;

      /* A thread's B events still open when its list ends never ended. */
      if (stack->len > 0 && (be == NULL || be->lane != g_array_index (stack, BeginEnd, 0).lane))
        {
          for (guint k = 0; k < stack->len; k++)
            {
              const BeginEnd *unclosed = &g_array_index (stack, BeginEnd, k);

              pw_profile_builder_add_span (self->builder, unclosed->lane, unclosed->ts,
                                           MAX (self->max_time - unclosed->ts, 0), -1,
                                           unclosed->name, unclosed->cat, unclosed->args);
              self->n_unclosed++;
            }
          g_array_set_size (stack, 0);
        }

      if (be == NULL)
        break;

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

      pw_profile_builder_add_span (self->builder, be->lane, open.ts, be->ts - open.ts, cpu,
                                   open.name, open.cat, open.args ? open.args : be->args);
    }
}

static gboolean
same_async_key (const AsyncEvent *a,
                const AsyncEvent *b)
{
  return a->pid == b->pid && a->cat == b->cat && a->id == b->id && a->key_name == b->key_name;
}

/* An async track is keyed and named by the name of its outermost event,
 * so that the summary and the timeline call it the same. */
static guint
async_lane (ChromeParser     *self,
            const AsyncEvent *ae)
{
  guint lane = pw_profile_builder_get_lane (self->builder, PW_LANE_ASYNC, ae->pid, ae->name);

  pw_profile_builder_set_lane_fallback_name (self->builder, lane, ae->name);
  return lane;
}

static void
match_async (ChromeParser *self)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (AsyncEvent));
  GArray *list = self->async;
  guint lane = G_MAXUINT;

  g_array_sort (list, compare_async);

  for (guint i = 0; i <= list->len; i++)
    {
      const AsyncEvent *ae = i < list->len ? &g_array_index (list, AsyncEvent, i) : NULL;
      AsyncEvent open;

      if (stack->len > 0 && (ae == NULL || !same_async_key (ae, &g_array_index (stack, AsyncEvent, 0))))
        {
          for (guint k = 0; k < stack->len; k++)
            {
              const AsyncEvent *unclosed = &g_array_index (stack, AsyncEvent, k);

              pw_profile_builder_add_span (self->builder, lane, unclosed->ts,
                                           MAX (self->max_time - unclosed->ts, 0), -1,
                                           unclosed->name, unclosed->cat, unclosed->args);
              self->n_unclosed++;
            }
          g_array_set_size (stack, 0);
        }

      if (ae == NULL)
        break;

      switch (ae->ph)
        {
        case 'b':
        case 'S':
          /* The outermost event of an id names its track, so that
           * every request of one kind shares a track. */
          if (stack->len == 0)
            lane = async_lane (self, ae);
          g_array_append_val (stack, *ae);
          break;

        case 'n':
          pw_profile_builder_add_instant (self->builder,
                                          stack->len > 0 ? lane : async_lane (self, ae),
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
}

/* Flow events (s, t, f) match by category and id in time order, not file
 * order: Kineto writes a flow's f before its s. An s binds to the slice
 * that encloses it on its thread; an f to the enclosing slice with "bp":
 * "e", else to the next slice, as in Chrome's trace viewer. The spans are
 * found by time when the profile is built (pw_profile_builder_add_flow_bind). */
static void
match_flows (ChromeParser *self)
{
  GArray *list = self->flows;
  const FlowEvent *open = NULL;

  g_array_sort (list, compare_flows);

  for (guint i = 0; i < list->len; i++)
    {
      const FlowEvent *fe = &g_array_index (list, FlowEvent, i);

      if (open != NULL && (open->cat != fe->cat || open->id != fe->id))
        open = NULL;

      if (fe->ph == 's')
        {
          open = fe;
          continue;
        }

      if (open == NULL)
        continue;

      pw_profile_builder_add_flow_bind (self->builder, PW_FLOW_ARROW, open->name,
                                        open->lane, open->ts, PW_FLOW_BIND_ENCLOSING,
                                        fe->lane, fe->ts,
                                        fe->ph == 't' || fe->bp == 'e' ? PW_FLOW_BIND_ENCLOSING
                                        : PW_FLOW_BIND_NEXT);

      open = fe->ph == 't' ? fe : NULL;
    }

  list = self->bound_flows;
  g_array_sort (list, compare_bound_flows);
  {
    const BoundFlow *out = NULL;

    for (guint i = 0; i < list->len; i++)
      {
        const BoundFlow *bf = &g_array_index (list, BoundFlow, i);

        if (out != NULL && out->bind_id != bf->bind_id)
          out = NULL;

        if (bf->in && out != NULL)
          pw_profile_builder_add_flow (self->builder, PW_FLOW_ARROW, out->name,
                                       out->lane, out->ts, out->span,
                                       bf->lane, bf->ts, bf->span);
        if (bf->out)
          out = bf;
        else if (bf->in)
          out = NULL;
      }
  }
}

static guint32
resolve_frame (ChromeParser *self,
               guint32       sf,
               guint         depth)
{
  StackFrame *frame = g_hash_table_lookup (self->frames, GUINT_TO_POINTER (sf + 1));
  guint32 parent;

  if (frame == NULL || depth > MAX_STACK_DEPTH)
    return PW_NO_STACK;
  /* A frame met again while its parents resolve closes a cycle: the
   * stack ends there. */
  if (frame->resolved == RESOLVING)
    return PW_NO_STACK;
  if (frame->resolved != 0)
    return frame->resolved - 1;

  frame->resolved = RESOLVING;
  parent = frame->parent != 0 ? resolve_frame (self, frame->parent, depth + 1) : PW_NO_STACK;
  frame->resolved = pw_profile_builder_push_frame (self->builder, parent, frame->name) + 1;

  return frame->resolved - 1;
}

/* CPU profiles that DevTools writes as Profile + ProfileChunk events. */

typedef struct
{
  gint64  parent;      /* node id, G_MININT64 for none */
  guint32 name;
  guint32 stack;       /* stack id + 1, 0 until resolved */
  gboolean root;
} ProfileNode;

typedef struct
{
  GHashTable *nodes;   /* gint64 node id -> ProfileNode */
  gint64      start;   /* ns */
  gboolean    has_start;
  gint64      elapsed; /* ns since start, summed over chunks */
  /* The thread of the Profile event: V8 writes the chunks from its
   * profiler thread, but they sample the thread that started the
   * profile, and DevTools shows them there. */
  guint       lane;
  gboolean    has_lane;
} CpuProfile;

static void
cpu_profile_free (gpointer data)
{
  CpuProfile *profile = data;

  g_hash_table_unref (profile->nodes);
  g_free (profile);
}

static guint32
resolve_node (ChromeParser *self,
              CpuProfile   *profile,
              gint64        id,
              guint         depth)
{
  ProfileNode *node = g_hash_table_lookup (profile->nodes, &id);
  guint32 parent;

  if (node == NULL || depth > MAX_STACK_DEPTH || node->stack == RESOLVING)
    return PW_NO_STACK;
  if (node->stack != 0)
    return node->stack - 1;

  node->stack = RESOLVING;
  parent = node->parent != G_MININT64 ? resolve_node (self, profile, node->parent, depth + 1) : PW_NO_STACK;
  /* (root) is every stack's bottom: it says nothing. */
  if (node->root)
    node->stack = parent + 1;
  else
    node->stack = pw_profile_builder_push_frame (self->builder, parent, node->name) + 1;

  return node->stack - 1;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name,
               gpointer    unused)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name,
              gpointer    unused)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
json_int (JsonNode *node,
          gint64   *out)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out = (gint64) json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static void
add_profile_nodes (ChromeParser *self,
                   CpuProfile   *profile,
                   JsonArray    *nodes)
{
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonNode *element = json_array_get_element (nodes, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonObject *call_frame;
      JsonArray *children;
      const char *function = "";
      ProfileNode *node;
      gint64 id, parent;

      if (object == NULL || !json_int (json_object_get_member (object, "id"), &id))
        continue;

      node = g_hash_table_lookup (profile->nodes, &id);
      if (node == NULL)
        {
          node = g_new0 (ProfileNode, 1);
          node->parent = G_MININT64;
          g_hash_table_insert (profile->nodes, g_memdup2 (&id, sizeof id), node);
        }

      if (json_int (json_object_get_member (object, "parent"), &parent))
        node->parent = parent;

      call_frame = object_member (object, "callFrame", NULL);
      if (call_frame != NULL)
        function = json_object_get_string_member_with_default (call_frame, "functionName", "");
      node->root = strcmp (function, "(root)") == 0;
      node->name = intern (self, *function ? function : "(anonymous)", *function ? strlen (function) : 11);

      /* Older chunks list children instead of parents. */
      children = array_member (object, "children", NULL);
      for (guint k = 0; children != NULL && k < json_array_get_length (children); k++)
        {
          gint64 child_id;
          ProfileNode *child;

          if (!json_int (json_array_get_element (children, k), &child_id))
            continue;
          child = g_hash_table_lookup (profile->nodes, &child_id);
          if (child == NULL)
            {
              child = g_new0 (ProfileNode, 1);
              g_hash_table_insert (profile->nodes, g_memdup2 (&child_id, sizeof child_id), child);
            }
          child->parent = id;
        }
    }
}

static void
finish_profiles (ChromeParser *self)
{
  g_autoptr(GHashTable) profiles = NULL;
  g_autoptr(JsonParser) parser = NULL;

  if (self->profiles->len == 0)
    return;

  profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cpu_profile_free);
  parser = json_parser_new_immutable ();

  /* Profile events, which give the start, first: a Profile event may come
   * after its first chunk in the file. */
  for (guint pass = 0; pass < 2; pass++)
  for (guint i = 0; i < self->profiles->len; i++)
    {
      const ProfileRecord *record = &g_array_index (self->profiles, ProfileRecord, i);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%u", record->pid, record->id);
      CpuProfile *profile = g_hash_table_lookup (profiles, key);
      JsonObject *data, *cpu_profile;
      JsonArray *nodes, *samples, *deltas;
      JsonNode *root;
      gint64 start;

      if (record->chunk != (pass == 1))
        continue;

      if (!json_parser_load_from_data (parser, record->json, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
          (data = object_member (json_node_get_object (root), "data", NULL)) == NULL)
        {
          self->n_bad_profiles++;
          continue;
        }

      if (profile == NULL)
        {
          profile = g_new0 (CpuProfile, 1);
          profile->nodes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
          g_hash_table_insert (profiles, g_steal_pointer (&key), profile);
        }

      if (json_int (json_object_get_member (data, "startTime"), &start))
        {
          profile->start = start * PW_NSEC_PER_USEC;
          profile->has_start = TRUE;
        }

      if (!record->chunk)
        {
          profile->lane = record->lane;
          profile->has_lane = TRUE;
          continue;
        }

      /* Without a Profile event, the first chunk's time is the start. */
      if (!profile->has_start)
        {
          profile->start = record->ts;
          profile->has_start = TRUE;
        }

      cpu_profile = object_member (data, "cpuProfile", NULL);
      if (cpu_profile == NULL)
        continue;

      nodes = array_member (cpu_profile, "nodes", NULL);
      if (nodes != NULL)
        add_profile_nodes (self, profile, nodes);

      samples = array_member (cpu_profile, "samples", NULL);
      deltas = array_member (data, "timeDeltas", NULL);
      if (deltas == NULL)
        deltas = array_member (cpu_profile, "timeDeltas", NULL);
      if (samples == NULL)
        continue;

      for (guint k = 0; k < json_array_get_length (samples); k++)
        {
          gint64 node_id, delta = 0;
          guint32 stack;

          if (deltas != NULL && k < json_array_get_length (deltas) &&
              json_int (json_array_get_element (deltas, k), &delta))
            profile->elapsed += delta * PW_NSEC_PER_USEC;

          if (!json_int (json_array_get_element (samples, k), &node_id))
            continue;
          stack = resolve_node (self, profile, node_id, 0);
          if (stack == PW_NO_STACK)
            continue;

          pw_profile_builder_add_sample (self->builder, profile->has_lane ? profile->lane : record->lane,
                                         profile->start + profile->elapsed, 1, stack);
          note_time (self, profile->start + profile->elapsed);
        }
    }
}

static void
finish (ChromeParser *self)
{
  GHashTableIter iter;
  gpointer key, value;
  GString *summary;

  match_begin_end (self);
  match_async (self);
  match_flows (self);

  for (guint i = 0; i < self->samples->len; i++)
    {
      const PendingSample *sample = &g_array_index (self->samples, PendingSample, i);
      guint32 stack = resolve_frame (self, sample->sf, 0);

      if (stack != PW_NO_STACK)
        pw_profile_builder_add_sample (self->builder, sample->lane, sample->ts, sample->weight, stack);
    }

  finish_profiles (self);

  /* Processes named only by a string pid keep that string as their name. */
  g_hash_table_iter_init (&iter, self->string_pids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = pw_profile_builder_get_string (self->builder, GPOINTER_TO_UINT (value));
      pw_profile_builder_set_process_name (self->builder, *(gint64 *) key, name);
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
  if (self->n_bad_profiles > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("%u CPU profile events (Profile, ProfileChunk) could not be read"),
                                    self->n_bad_profiles);

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
profile_record_clear (gpointer data)
{
  ProfileRecord *record = data;

  g_free (record->json);
}

static void
parser_init (ChromeParser     *self,
             PwInput          *input,
             PwProfileBuilder *builder)
{
  memset (self, 0, sizeof *self);
  self->input = input;
  self->builder = builder;
  self->args_text = g_string_new (NULL);
  self->unescaped = g_string_new (NULL);
  self->counter_values = g_array_new (FALSE, FALSE, sizeof (CounterValue));
  self->begin_end = g_array_new (FALSE, FALSE, sizeof (BeginEnd));
  self->async = g_array_new (FALSE, FALSE, sizeof (AsyncEvent));
  self->flows = g_array_new (FALSE, FALSE, sizeof (FlowEvent));
  self->bound_flows = g_array_new (FALSE, FALSE, sizeof (BoundFlow));
  self->frames = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->samples = g_array_new (FALSE, FALSE, sizeof (PendingSample));
  self->profiles = g_array_new (FALSE, FALSE, sizeof (ProfileRecord));
  g_array_set_clear_func (self->profiles, profile_record_clear);
  self->string_pids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->cache = g_new (CacheSlot, CACHE_SLOTS);
  for (guint i = 0; i < CACHE_SLOTS; i++)
    {
      self->cache[i].id = G_MAXUINT32;
      self->cache[i].len = 0;
    }
  self->last_lane = G_MAXUINT;
  self->id_profile = pw_profile_builder_intern (builder, "Profile", -1);
  self->id_profile_chunk = pw_profile_builder_intern (builder, "ProfileChunk", -1);
  self->parser = yajl_alloc (&callbacks, NULL, self);
  yajl_config (self->parser, yajl_dont_validate_strings, 1);
}

static void
parser_clear (ChromeParser *self)
{
  g_clear_pointer (&self->parser, yajl_free);
  if (self->args_text != NULL)
    g_string_free (self->args_text, TRUE);
  self->args_text = NULL;
  if (self->unescaped != NULL)
    g_string_free (self->unescaped, TRUE);
  self->unescaped = NULL;
  g_clear_pointer (&self->counter_values, g_array_unref);
  g_clear_pointer (&self->begin_end, g_array_unref);
  g_clear_pointer (&self->async, g_array_unref);
  g_clear_pointer (&self->flows, g_array_unref);
  g_clear_pointer (&self->bound_flows, g_array_unref);
  g_clear_pointer (&self->frames, g_hash_table_unref);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->profiles, g_array_unref);
  g_clear_pointer (&self->string_pids, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_free);
}

/* Feeds bytes to yajl, keeping an args object that goes on past them. */
static yajl_status
feed (ChromeParser *self,
      const guint8 *data,
      gsize         len)
{
  yajl_status status;

  self->chunk = data;
  self->args_chunk_start = 0;
  status = yajl_parse (self->parser, data, len);

  if (status == yajl_status_ok && self->args_depth > 0)
    g_string_append_len (self->args_text, (const char *)data + self->args_chunk_start,
                         len - self->args_chunk_start);
  self->chunk = NULL;

  return status;
}

/* The stream's chunk hooks: the same args capture as feed()'s. */
static void
chunk_begin (gpointer      ctx,
             const guint8 *data,
             gsize         len)
{
  ChromeParser *self = ctx;

  self->chunk = data;
  self->args_chunk_start = 0;
}

static void
chunk_end (gpointer      ctx,
           const guint8 *data,
           gsize         len)
{
  ChromeParser *self = ctx;

  if (self->args_depth > 0)
    g_string_append_len (self->args_text, (const char *)data + self->args_chunk_start,
                         len - self->args_chunk_start);
  self->chunk = NULL;
}

static gboolean
chrome_load_sequential (PwInput           *input,
                        PwProfileBuilder  *builder,
                        GError           **error)
{
  ChromeParser self;
  g_autoptr(PwJsonStream) stream = NULL;
  g_autoptr(GError) run_error = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  parser_init (&self, input, builder);
  /* the stream has its own yajl parser */
  g_clear_pointer (&self.parser, yajl_free);

  /* Trailing garbage is allowed, as by the parallel reader (which must
   * agree with this one for any size of file), and a missing closing
   * bracket is allowed by the format (below). */
  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_ALLOW_TRAILING_GARBAGE);
  _pw_json_stream_set_chunk_funcs (stream, chunk_begin, chunk_end);
  self.stream = stream;

  result = _pw_json_stream_run (stream, &run_error);

  if (result == PW_JSON_STREAM_FAILED || result == PW_JSON_STREAM_MALFORMED)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      goto out;
    }

  if (result == PW_JSON_STREAM_TRUNCATED || self.depth > 0)
    {
      PwJsonPosition end;

      _pw_json_stream_get_position (stream, &end);
      if (self.events_depth > 0 && self.n_events > 0)
        {
          /* The format allows a trace to end without its closing
           * bracket (a crash, a cut recording): keep what was complete. */
          if (!(self.events_depth == 1 && self.depth == 1))
            pw_profile_builder_add_warning (builder,
                                            _("The trace ends early, at byte %" PRIu64
                                              ", inside an event: showing the %" PRIu64
                                              " complete events"),
                                            end.offset, self.n_events);
        }
      else
        {
          /* nothing complete to show: say where it stopped, not "empty" */
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                       _("%s: the JSON ends at byte %" PRIu64 " (line %" PRIu64
                         ", column %" PRIu64 ") before any complete trace event: %s"),
                       pw_input_get_display_name (input), end.offset, end.line, end.column,
                       _pw_json_stream_get_error_detail (stream));
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
  self.stream = NULL;
  parser_clear (&self);

  return ok;
}

/* Parallel parsing of large contiguous input.
 *
 * The events array is cut at tentative offsets, each moved forward to the
 * next "}" "," "{" (whitespace allowed). Every chunk is parsed on its own
 * as "[" chunk "]" into a builder of its own. A cut can land inside a
 * string or a nested array of objects; but chunk k starts at a true event
 * boundary when chunk k-1 parsed completely: chunk 0 starts right after
 * the array's "[", and a chunk that starts at a true boundary parses as
 * "[" chunk "]" without error only if it ends after an element of the
 * events array. So when every chunk parses, the cuts were right; when one
 * does not, the streaming parser reads the whole input instead (and gives
 * its precise errors). The last chunk finds where the array ends; what
 * surrounds the array (stackFrames, samples, metadata) is read afterwards
 * by one more parser, into which the chunks are merged in file order, so
 * that B/E, async and flow matching sees every event in file order. */

static volatile gint last_n_chunks;

guint
_pw_import_chrome_get_last_n_chunks (void)
{
  return g_atomic_int_get (&last_n_chunks);
}

typedef struct
{
  ChromeParser      parser;
  PwProfileBuilder *builder;
  const guint8     *data;
  gsize             len;
  gboolean          last;
  gboolean          ok;
  gsize             array_end;   /* last chunk: offset just past the array */
  GCancellable     *cancellable;
  gboolean          release;     /* drop parsed pages of a file mapping */
  gsize             total;       /* the whole input's size */
  gpointer          parsed;      /* bytes done, atomically, for progress */
} ChunkJob;

static gsize
skip_ws (const guint8 *p,
         gsize         i,
         gsize         len)
{
  while (i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
    i++;
  return i;
}

/* i at an opening quote; returns the index after the closing one. */
static gsize
skip_string (const guint8 *p,
             gsize         i,
             gsize         len)
{
  for (i++; i < len; i++)
    {
      if (p[i] == '\\')
        i++;
      else if (p[i] == '"')
        return i + 1;
    }
  return G_MAXSIZE;
}

static gsize
skip_value (const guint8 *p,
            gsize         i,
            gsize         len)
{
  gint64 depth = 0;

  while (i < len)
    {
      guint8 c = p[i];

      if (c == '"')
        {
          if ((i = skip_string (p, i, len)) == G_MAXSIZE)
            return G_MAXSIZE;
          if (depth == 0)
            return i;
          continue;
        }
      if (depth == 0 && (c == ',' || c == '}' || c == ']'))
        return i;
      if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            return i + 1;
        }
      i++;
    }

  return G_MAXSIZE;
}

/* The offset of the events array's "[": the root itself, or the value of
 * the root object's "traceEvents". */
static gboolean
find_events_array (const guint8 *p,
                   gsize         len,
                   gsize        *start)
{
  gsize i = 0;

  if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
    i = 3;
  i = skip_ws (p, i, len);
  if (i < len && p[i] == '[')
    {
      *start = i;
      return TRUE;
    }
  if (i >= len || p[i] != '{')
    return FALSE;

  for (i++;;)
    {
      gsize key_start, key_end;

      i = skip_ws (p, i, len);
      if (i >= len || p[i] != '"')
        return FALSE;
      key_start = i + 1;
      if ((i = skip_string (p, i, len)) == G_MAXSIZE)
        return FALSE;
      key_end = i - 1;
      i = skip_ws (p, i, len);
      if (i >= len || p[i] != ':')
        return FALSE;
      i = skip_ws (p, i + 1, len);

      if (key_end - key_start == 11 && memcmp (p + key_start, "traceEvents", 11) == 0)
        {
          if (i < len && p[i] == '[')
            {
              *start = i;
              return TRUE;
            }
          return FALSE;
        }

      if ((i = skip_value (p, i, len)) == G_MAXSIZE)
        return FALSE;
      i = skip_ws (p, i, len);
      if (i >= len || p[i] != ',')
        return FALSE;
      i++;
    }
}

/* Whether an object starting at i looks like an element of the events
 * array: it closes, a "," or "]" follows, and going on, nothing closes
 * what encloses it for a while. A "{" inside a string or a nested array of
 * objects fails this within bytes, which saves a fallback to sequential
 * parsing; the parse of the previous chunk proves the cut either way. */
#define PLAUSIBLE_WINDOW (64 * 1024)

static gboolean
plausible_event_start (const guint8 *p,
                       gsize         i,
                       gsize         len)
{
  gsize end = MIN (len, i + PLAUSIBLE_WINDOW);
  gint64 depth = 0;
  gboolean first_closed = FALSE;
  gboolean array_closed = FALSE;
  gsize k;

  /* A key must follow. Inside a string, a "{" is followed by an escaped
   * quote, or by the quote that ends the string and is no key. */
  k = skip_ws (p, i + 1, end);
  if (k >= end || p[k] != '"' || (k = skip_string (p, k, end)) == G_MAXSIZE)
    return FALSE;
  k = skip_ws (p, k, end);
  if (k >= end || p[k] != ':')
    return FALSE;

  while (i < end)
    {
      guint8 c = p[i];

      if (c == '"')
        {
          i = skip_string (p, i, end);
          if (i == G_MAXSIZE)
            return TRUE;
          continue;
        }
      if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          /* Near the end, the events array closes (-1), and then the
           * root object (-2, and nothing follows). */
          if (--depth < 0)
            {
              if (depth == -1 && c == ']' && !array_closed)
                {
                  array_closed = TRUE;
                  i++;
                  continue;
                }
              if (depth == -1 && array_closed)
                {
                  i++;
                  continue;
                }
              return depth == -2 && c == '}' && skip_ws (p, i + 1, len) == len;
            }
          if (depth == 0 && !first_closed)
            {
              gsize j = skip_ws (p, i + 1, end);

              first_closed = TRUE;
              if (j < end && p[j] != ',' && p[j] != ']')
                return FALSE;
            }
        }
      i++;
    }

  return TRUE;
}

/* The next "}" ws "," ws "{" at or after from: returns the offset of the
 * "{" and sets *end to just after the "}". */
static gsize
find_cut (const guint8 *p,
          gsize         from,
          gsize         len,
          gsize        *end)
{
  while (from < len)
    {
      const guint8 *close = memchr (p + from, '}', len - from);
      gsize i;

      if (close == NULL)
        return G_MAXSIZE;
      i = close - p + 1;
      *end = i;
      i = skip_ws (p, i, len);
      if (i < len && p[i] == ',')
        {
          i = skip_ws (p, i + 1, len);
          if (i < len && p[i] == '{' && plausible_event_start (p, i, len))
            return i;
        }
      from = close - p + 1;
    }

  return G_MAXSIZE;
}

#ifdef __linux__
/* Whether addr lies in a mapping of a file (whose pages can be dropped and
 * read again) rather than in memory that holds the only copy. */
static gboolean
is_file_mapping (const void *addr)
{
  FILE *maps = fopen ("/proc/self/maps", "re");
  char line[512];
  gboolean found = FALSE;
  guintptr a = (guintptr) addr;

  if (maps == NULL)
    return FALSE;

  while (fgets (line, sizeof line, maps) != NULL)
    {
      unsigned long start, end, inode;
      char perms[8];
      unsigned long long offset;
      char dev[16];

      if (sscanf (line, "%lx-%lx %7s %llx %15s %lu", &start, &end, perms, &offset, dev, &inode) != 6)
        continue;
      if (a >= start && a < end)
        {
          found = inode != 0 && perms[1] != 'w';
          break;
        }
    }

  fclose (maps);
  return found;
}
#endif

static void
release_pages (const guint8 *data,
               gsize         len)
{
#ifdef __linux__
  gsize page = sysconf (_SC_PAGESIZE);
  guintptr begin = ((guintptr) data + page - 1) & ~(guintptr)(page - 1);
  guintptr end = ((guintptr) data + len) & ~(guintptr)(page - 1);

  /* The file's pages stay in the page cache; this only keeps them from
   * counting towards the process while the model grows. */
  if (end > begin)
    madvise ((void *) begin, end - begin, MADV_DONTNEED);
#endif
}

/* A JSON reader for contiguous memory that calls the yajl callbacks above
 * the way yajl would, three to four times faster: yajl's lexer costs more
 * than everything the importer does with an event. It checks the grammar
 * (strings, numbers, literals, separators, nesting), which is what proves
 * a cut right; it does not check UTF-8 or control characters inside
 * strings, which yajl is told not to check either. */
#define FAST_MAX_DEPTH 512

typedef struct
{
  ChromeParser *self;
  const guint8 *p;
  gsize         len;
  gsize         pos;
} Fast;

static inline void
fast_ws (Fast *f)
{
  while (f->pos < f->len)
    {
      guint8 c = f->p[f->pos];

      if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
        break;
      f->pos++;
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

static gboolean
fast_hex4 (const guint8 *p,
           gunichar     *out)
{
  gunichar v = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | h;
    }
  *out = v;
  return TRUE;
}

/* f->pos at the opening quote. Sets *str and *len to the string's
 * content, unescaped into self->unescaped when it has escapes. */
static gboolean
fast_string (Fast        *f,
             const char **str,
             gsize       *len)
{
  gsize start = f->pos + 1;
  const guint8 *p = f->p;
  GString *out;
  gsize i;

  /* Most strings are keys and names without escapes: find the first
   * quote or backslash, 16 bytes at a time where SSE2 is. */
  i = start;
#ifdef __SSE2__
  {
    const __m128i quote = _mm_set1_epi8 ('"');
    const __m128i backslash = _mm_set1_epi8 ('\\');

    while (i + 16 <= f->len)
      {
        __m128i v = _mm_loadu_si128 ((const __m128i *)(gconstpointer)(p + i));
        int mask = _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (v, quote),
                                                    _mm_cmpeq_epi8 (v, backslash)));

        if (mask != 0)
          {
            i += __builtin_ctz (mask);
            goto found;
          }
        i += 16;
      }
  }
#endif
  for (; i < f->len; i++)
    if (p[i] == '"' || p[i] == '\\')
      break;
  if (i >= f->len)
    return FALSE;

#ifdef __SSE2__
found:
#endif
  if (p[i] == '"')
    {
      *str = (const char *) p + start;
      *len = i - start;
      f->pos = i + 1;
      return TRUE;
    }

  out = f->self->unescaped;
  g_string_truncate (out, 0);
  i = start;
  for (;;)
    {
      guint8 c;

      if (i >= f->len)
        return FALSE;
      c = f->p[i];
      if (c == '"')
        break;
      if (c != '\\')
        {
          const guint8 *next = f->p + i;
          gsize run = 0;

          while (i + run < f->len && next[run] != '"' && next[run] != '\\')
            run++;
          g_string_append_len (out, (const char *) next, run);
          i += run;
          continue;
        }
      if (i + 1 >= f->len)
        return FALSE;
      c = f->p[i + 1];
      i += 2;
      switch (c)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (i + 4 > f->len || !fast_hex4 (f->p + i, &u))
              return FALSE;
            i += 4;
            /* Decoded exactly as yajl 2.1 does, so that both readers
             * intern the same strings: a high surrogate takes the next
             * \u escape as its low half, whatever it is; alone, it
             * becomes "?". */
            if ((u & 0xfc00) == 0xd800)
              {
                if (i + 6 <= f->len && f->p[i] == '\\' && f->p[i + 1] == 'u')
                  {
                    if (!fast_hex4 (f->p + i + 2, &low))
                      return FALSE;
                    u = ((u & 0x3f) << 10) | ((((u >> 6) & 0xf) + 1) << 16) | (low & 0x3ff);
                    i += 6;
                  }
                else
                  {
                    g_string_append_c (out, '?');
                    break;
                  }
              }
            if (u == 0)
              g_string_append_c (out, '\0');
            else
              g_string_append_unichar (out, u);
          }
          break;
        default:
          return FALSE;
        }
    }

  *str = out->str;
  *len = out->len;
  f->pos = i + 1;
  return TRUE;
}

static gboolean
fast_number (Fast *f)
{
  gsize start = f->pos;
  gsize i = start;
  const guint8 *p = f->p;

  if (i < f->len && p[i] == '-')
    i++;
  if (i >= f->len || !g_ascii_isdigit (p[i]))
    return FALSE;
  if (p[i] == '0')
    i++;
  else
    while (i < f->len && g_ascii_isdigit (p[i]))
      i++;
  if (i < f->len && p[i] == '.')
    {
      i++;
      if (i >= f->len || !g_ascii_isdigit (p[i]))
        return FALSE;
      while (i < f->len && g_ascii_isdigit (p[i]))
        i++;
    }
  if (i < f->len && (p[i] == 'e' || p[i] == 'E'))
    {
      i++;
      if (i < f->len && (p[i] == '+' || p[i] == '-'))
        i++;
      if (i >= f->len || !g_ascii_isdigit (p[i]))
        return FALSE;
      while (i < f->len && g_ascii_isdigit (p[i]))
        i++;
    }
  /* yajl reads "1x" as a number followed by garbage: an error */
  if (i < f->len && (g_ascii_isalpha (p[i]) || p[i] == '.' || p[i] == '-' || p[i] == '+'))
    return FALSE;

  f->pos = i;
  on_number (f->self, (const char *) p + start, i - start);
  return TRUE;
}

static gboolean fast_value (Fast *f, guint depth);

static gboolean
fast_object (Fast  *f,
             guint  depth)
{
  f->pos++;
  f->self->fast_pos = f->pos;
  on_start_map (f->self);

  fast_ws (f);
  if (f->pos < f->len && f->p[f->pos] == '}')
    goto close;

  for (;;)
    {
      const char *key;
      gsize key_len;

      fast_ws (f);
      if (f->pos >= f->len || f->p[f->pos] != '"' || !fast_string (f, &key, &key_len))
        return FALSE;
      on_map_key (f->self, (const unsigned char *) key, key_len);
      fast_ws (f);
      if (f->pos >= f->len || f->p[f->pos] != ':')
        return FALSE;
      f->pos++;
      fast_ws (f);
      if (!fast_value (f, depth + 1))
        return FALSE;
      fast_ws (f);
      if (f->pos >= f->len)
        return FALSE;
      if (f->p[f->pos] == ',')
        {
          f->pos++;
          continue;
        }
      if (f->p[f->pos] == '}')
        break;
      return FALSE;
    }

close:
  f->pos++;
  f->self->fast_pos = f->pos;
  on_end_map (f->self);
  return TRUE;
}

static gboolean
fast_array (Fast  *f,
            guint  depth)
{
  f->pos++;
  f->self->fast_pos = f->pos;
  on_start_array (f->self);

  fast_ws (f);
  if (f->pos < f->len && f->p[f->pos] == ']')
    goto close;

  for (;;)
    {
      fast_ws (f);
      if (!fast_value (f, depth + 1))
        return FALSE;
      fast_ws (f);
      if (f->pos >= f->len)
        return FALSE;
      if (f->p[f->pos] == ',')
        {
          f->pos++;
          continue;
        }
      if (f->p[f->pos] == ']')
        break;
      return FALSE;
    }

close:
  f->pos++;
  f->self->fast_pos = f->pos;
  on_end_array (f->self);
  return TRUE;
}

static gboolean
fast_value (Fast  *f,
            guint  depth)
{
  const char *str;
  gsize len;

  if (f->pos >= f->len || depth > FAST_MAX_DEPTH)
    return FALSE;

  switch (f->p[f->pos])
    {
    case '{':
      return fast_object (f, depth);
    case '[':
      return fast_array (f, depth);
    case '"':
      if (!fast_string (f, &str, &len))
        return FALSE;
      on_string (f->self, (const unsigned char *) str, len);
      return TRUE;
    case 't':
      if (f->len - f->pos < 4 || memcmp (f->p + f->pos, "true", 4) != 0)
        return FALSE;
      f->pos += 4;
      on_boolean (f->self, 1);
      return TRUE;
    case 'f':
      if (f->len - f->pos < 5 || memcmp (f->p + f->pos, "false", 5) != 0)
        return FALSE;
      f->pos += 5;
      on_boolean (f->self, 0);
      return TRUE;
    case 'n':
      if (f->len - f->pos < 4 || memcmp (f->p + f->pos, "null", 4) != 0)
        return FALSE;
      f->pos += 4;
      on_null (f->self);
      return TRUE;
    default:
      return fast_number (f);
    }
}

/* Parses a chunk as the elements of the events array: "[" chunk "]". */
static gboolean
parse_chunk_job (ChunkJob *job,
                 ChunkJob *all,
                 guint     n_jobs,
                 PwInput  *report_to)
{
  ChromeParser *self = &job->parser;
  Fast f = { self, job->data, job->len, 0 };
  gsize released = 0;
  guint count = 0;

  self->fast = TRUE;
  self->chunk = job->data;
  self->fast_pos = 0;
  on_start_array (self);

  fast_ws (&f);
  if (f.pos < f.len && f.p[f.pos] == ']' && job->last)
    goto close;

  for (;;)
    {
      fast_ws (&f);
      if (!fast_value (&f, 1))
        return FALSE;
      fast_ws (&f);

      if ((++count & 1023) == 0)
        {
          if (g_cancellable_is_cancelled (job->cancellable))
            return FALSE;
          g_atomic_pointer_set (&job->parsed, GSIZE_TO_POINTER (f.pos));
          if (job->release && f.pos - released >= SLICE_SIZE)
            {
              release_pages (job->data + released, f.pos - released);
              released = f.pos;
            }
          if (report_to != NULL)
            {
              gsize total = 0;

              for (guint k = 0; k < n_jobs; k++)
                total += GPOINTER_TO_SIZE (g_atomic_pointer_get (&all[k].parsed));
              pw_input_report_progress (report_to, 0.9 * (double) total / (double) all[n_jobs - 1].total);
            }
        }

      if (f.pos >= f.len)
        {
          /* the array never ended: the streaming parser copes */
          if (job->last)
            return FALSE;
          break;
        }
      if (f.p[f.pos] == ',')
        {
          f.pos++;
          continue;
        }
      if (f.p[f.pos] == ']' && job->last)
        break;
      return FALSE;
    }

close:
  if (job->last)
    {
      f.pos++;
      job->array_end = f.pos;
    }
  self->fast_pos = f.pos;
  on_end_array (self);
  g_atomic_pointer_set (&job->parsed, GSIZE_TO_POINTER (job->len));
  self->chunk = NULL;
  self->fast = FALSE;

  return self->depth == 0 && self->events_closed;
}

static void
parse_chunk_in_task (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ChunkJob *job = task_data;

  job->ok = parse_chunk_job (job, NULL, 0, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
chunk_task_done (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *n_running = user_data;

  (*n_running)--;
}

static void
take_or_append (GArray **to,
                GArray **from)
{
  if ((*to)->len == 0)
    {
      guint size = g_array_get_element_size (*from);

      g_array_unref (*to);
      *to = *from;
      *from = g_array_new (FALSE, FALSE, size);
    }
  else
    {
      g_array_append_vals (*to, (*from)->data, (*from)->len);
      g_array_set_size (*from, 0);
    }
}

static void
absorb (ChromeParser              *self,
        ChromeParser              *other,
        const PwProfileBuilderMap *map)
{
  guint32 seq_offset = self->seq;
  GHashTableIter iter;
  gpointer key, value;

#define S(x) pw_profile_builder_map_string (map, (x))
#define L(x) pw_profile_builder_map_lane (map, (x))
#define A(x) pw_profile_builder_map_args (map, (x))
  /* Remapped in place, then taken whole or appended. */
  for (guint i = 0; i < other->begin_end->len; i++)
    {
      BeginEnd *be = &g_array_index (other->begin_end, BeginEnd, i);

      be->lane = L (be->lane);
      be->seq += seq_offset;
      be->name = S (be->name);
      be->cat = S (be->cat);
      be->args = A (be->args);
    }
  take_or_append (&self->begin_end, &other->begin_end);

  for (guint i = 0; i < other->async->len; i++)
    {
      AsyncEvent *ae = &g_array_index (other->async, AsyncEvent, i);

      ae->cat = S (ae->cat);
      ae->id = S (ae->id);
      ae->key_name = S (ae->key_name);
      ae->name = S (ae->name);
      ae->args = A (ae->args);
      ae->seq += seq_offset;
    }
  take_or_append (&self->async, &other->async);

  for (guint i = 0; i < other->flows->len; i++)
    {
      FlowEvent *fe = &g_array_index (other->flows, FlowEvent, i);

      fe->cat = S (fe->cat);
      fe->id = S (fe->id);
      fe->name = S (fe->name);
      fe->lane = L (fe->lane);
      fe->seq += seq_offset;
    }
  take_or_append (&self->flows, &other->flows);

  for (guint i = 0; i < other->bound_flows->len; i++)
    {
      BoundFlow *bf = &g_array_index (other->bound_flows, BoundFlow, i);

      bf->bind_id = S (bf->bind_id);
      bf->name = S (bf->name);
      bf->lane = L (bf->lane);
      bf->span = pw_profile_builder_map_span (map, bf->span);
      bf->seq += seq_offset;
    }
  take_or_append (&self->bound_flows, &other->bound_flows);

  for (guint i = 0; i < other->samples->len; i++)
    {
      PendingSample *sample = &g_array_index (other->samples, PendingSample, i);

      sample->lane = L (sample->lane);
      sample->sf = S (sample->sf);
    }
  take_or_append (&self->samples, &other->samples);

  for (guint i = 0; i < other->profiles->len; i++)
    {
      ProfileRecord *from = &g_array_index (other->profiles, ProfileRecord, i);
      ProfileRecord record = *from;

      from->json = NULL;
      record.lane = L (record.lane);
      record.id = S (record.id);
      record.seq += seq_offset;
      g_array_append_val (self->profiles, record);
    }

  g_hash_table_iter_init (&iter, other->string_pids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (self->string_pids, key))
      g_hash_table_insert (self->string_pids, g_memdup2 (key, sizeof (gint64)),
                           GUINT_TO_POINTER (S (GPOINTER_TO_UINT (value))));
#undef S
#undef L
#undef A

  self->seq += other->seq;
  self->n_events += other->n_events;
  for (guint c = 0; c < G_N_ELEMENTS (self->ph_counts); c++)
    self->ph_counts[c] += other->ph_counts[c];
  self->n_bad_events += other->n_bad_events;
  self->n_bad_profiles += other->n_bad_profiles;
  if (other->have_max_time)
    note_time (self, other->max_time);
}

/* Returns FALSE without an error when the input does not split; the
 * caller then reads it sequentially. */
static gboolean
chrome_load_parallel (PwInput           *input,
                      PwProfileBuilder  *builder,
                      GBytes            *bytes,
                      guint              n_chunks,
                      gboolean          *handled,
                      GError           **error)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  GCancellable *cancellable = pw_input_get_cancellable (input);
  g_autofree ChunkJob *jobs = NULL;
  g_autoptr(GMainContext) context = NULL;
  guint n_running = 0;
  gsize array_start, cut_end = 0;
  gsize *starts, *ends;
  guint n = 0;
  gboolean ok = TRUE;
  gboolean release = FALSE;
  ChromeParser main_parser;
  yajl_handle check;
  gsize suffix;
  gint64 t_start, t_first, t_all, t_merged;

  *handled = FALSE;

  if (p == NULL || len == 0 || !find_events_array (p, len, &array_start))
    return FALSE;

  n_chunks = CLAMP (n_chunks, 1, MAX_CHUNKS);
  starts = g_newa (gsize, n_chunks + 1);
  ends = g_newa (gsize, n_chunks + 1);

  starts[0] = array_start + 1;
  n = 1;
  for (guint k = 1; k < n_chunks; k++)
    {
      gsize tentative = array_start + 1 + (len - array_start - 1) / n_chunks * k;
      gsize cut;

      if (tentative <= starts[n - 1])
        continue;
      cut = find_cut (p, tentative, len, &cut_end);
      if (cut == G_MAXSIZE)
        break;
      ends[n - 1] = cut_end;
      starts[n] = cut;
      n++;
    }
  ends[n - 1] = len;

#ifdef __linux__
  release = is_file_mapping (p);
#endif

  jobs = g_new0 (ChunkJob, n);
  for (guint k = 0; k < n; k++)
    {
      ChunkJob *job = &jobs[k];

      job->builder = pw_profile_builder_new ();
      job->data = p + starts[k];
      job->len = ends[k] - starts[k];
      job->last = k == n - 1;
      job->cancellable = cancellable;
      job->release = release;
      job->total = len;
      parser_init (&job->parser, input, job->builder);
    }

  /* The other chunks go to GTask's worker pool. Their completions are
   * dispatched to a context of our own, which this thread, itself often
   * a worker, iterates until all are back. The tasks get no cancellable:
   * the jobs watch it themselves, and must not be freed under a task
   * that returned early. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  for (guint k = 1; k < n; k++)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, chunk_task_done, &n_running);

      g_task_set_source_tag (task, parse_chunk_in_task);
      g_task_set_task_data (task, &jobs[k], NULL);
      g_task_run_in_thread (task, parse_chunk_in_task);
      n_running++;
    }

  /* This thread takes the first chunk, reporting progress as it goes,
   * then waits for the others. */
  t_start = g_get_monotonic_time ();
  jobs[0].ok = parse_chunk_job (&jobs[0], jobs, n, input);
  t_first = g_get_monotonic_time ();

  while (n_running > 0)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  t_all = g_get_monotonic_time ();

  for (guint k = 0; k < n; k++)
    {
      if (!jobs[k].ok && !g_cancellable_is_cancelled (cancellable))
        g_debug ("chunk %u of %u (bytes %" G_GSIZE_FORMAT "–%" G_GSIZE_FORMAT ") did not parse: "
                 "reading sequentially", k, n, starts[k], ends[k]);
      ok = ok && jobs[k].ok;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      *handled = TRUE;
      ok = FALSE;
      goto out;
    }
  if (!ok)
    goto out;

  /* What surrounds the array must be valid JSON too. */
  suffix = starts[n - 1] + jobs[n - 1].array_end;
  check = yajl_alloc (NULL, NULL, NULL);
  yajl_config (check, yajl_allow_trailing_garbage, 1);
  ok = yajl_parse (check, p, array_start) == yajl_status_ok &&
       yajl_parse (check, (const guint8 *) "[]", 2) == yajl_status_ok &&
       yajl_parse (check, p + suffix, len - suffix) == yajl_status_ok &&
       yajl_complete_parse (check) == yajl_status_ok;
  yajl_free (check);
  if (!ok)
    goto out;

  parser_init (&main_parser, input, builder);
  yajl_config (main_parser.parser, yajl_allow_trailing_garbage, 1);
  feed (&main_parser, p, array_start);
  feed (&main_parser, (const guint8 *) "[", 1);
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(PwProfileBuilderMap) map = pw_profile_builder_merge_full (builder, jobs[k].builder);

      absorb (&main_parser, &jobs[k].parser, map);
      parser_clear (&jobs[k].parser);
      g_clear_pointer (&jobs[k].builder, pw_profile_builder_free);
    }
#ifdef __GLIBC__
  /* The chunks' arrays were freed in the worker threads' malloc arenas,
   * which keep the pages otherwise. */
  malloc_trim (0);
#endif
  feed (&main_parser, (const guint8 *) "]", 1);
  feed (&main_parser, p + suffix, len - suffix);
  yajl_complete_parse (main_parser.parser);
  t_merged = g_get_monotonic_time ();

  finish (&main_parser);
  g_debug ("%u chunks: first %.3f s, all %.3f s, merge %.3f s, finish %.3f s", n,
           (t_first - t_start) / 1e6, (t_all - t_start) / 1e6, (t_merged - t_all) / 1e6,
           (g_get_monotonic_time () - t_merged) / 1e6);
  parser_clear (&main_parser);
  *handled = TRUE;
  g_atomic_int_set (&last_n_chunks, n);

out:
  for (guint k = 0; k < n; k++)
    {
      if (jobs[k].parser.parser != NULL)
        parser_clear (&jobs[k].parser);
      g_clear_pointer (&jobs[k].builder, pw_profile_builder_free);
    }

  return ok;
}

gboolean
_pw_import_chrome_load (PwInput           *input,
                        PwProfileBuilder  *builder,
                        PwChromeMode       mode,
                        guint              n_chunks,
                        GError           **error)
{
  g_atomic_int_set (&last_n_chunks, 0);

  if (mode != PW_CHROME_MODE_SEQUENTIAL && !pw_input_is_compressed (input))
    {
      g_autoptr(GBytes) bytes = pw_input_get_contiguous (input);

      if (n_chunks == 0)
        n_chunks = g_get_num_processors ();

      if (bytes != NULL && n_chunks > 1 &&
          (mode == PW_CHROME_MODE_PARALLEL || g_bytes_get_size (bytes) >= PARALLEL_MIN_SIZE))
        {
          gboolean handled = FALSE;

          if (chrome_load_parallel (input, builder, bytes, n_chunks, &handled, error))
            return TRUE;
          if (handled)
            return FALSE;
        }
    }

  return chrome_load_sequential (input, builder, error);
}

static gboolean
chrome_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  return _pw_import_chrome_load (input, builder, PW_CHROME_MODE_AUTO, 0, error);
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
