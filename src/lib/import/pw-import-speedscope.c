/* pw-import-speedscope.c: speedscope's own JSON file format
 *
 * https://www.speedscope.app/file-format-schema.json: a list of frames
 * shared by several profiles, each either "evented" (open/close events)
 * or "sampled" (stacks of frame indices with weights).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-speedscope"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"
#include "pw-json-stream.h"

/* Nesting deeper than this is only ignored, never a reason to fail. */
#define MAX_DEPTH       64
#define MAX_OPEN_FRAMES 8192
#define MAX_CLOSE_SEARCH 256
/* Times beyond ±73 years are not real; bounding them keeps every sum and
 * difference of two times inside 64 bits. */
#define MAX_TIME_NS     ((double) (G_GINT64_CONSTANT (1) << 61))

typedef enum
{
  C_IGNORE,
  C_ROOT,
  C_SHARED,
  C_FRAMES,
  C_FRAME,
  C_PROFILES,
  C_PROFILE,
  C_EVENTS,
  C_EVENT,
  C_SAMPLES,
  C_SAMPLE,
  C_WEIGHTS,
} Context;

typedef enum
{
  K_OTHER,
  K_SHARED,
  K_PROFILES,
  K_FRAMES,
  K_NAME,
  K_EXPORTER,
  K_ACTIVE,
  K_TYPE,
  K_UNIT,
  K_START,
  K_END,
  K_EVENTS,
  K_SAMPLES,
  K_WEIGHTS,
  K_AT,
  K_FRAME,
} Key;

typedef enum
{
  PROFILE_UNKNOWN,
  PROFILE_EVENTED,
  PROFILE_SAMPLED,
} ProfileType;

typedef struct
{
  double  at;
  guint32 frame;
  guint8  open;
} Event;

/* A profile as read: only compact arrays, so that profiles that come
 * before shared.frames can wait for them cheaply. */
typedef struct
{
  guint        index;
  ProfileType  type;
  char        *name;
  char        *unit;
  double       start_value;
  double       end_value;
  gboolean     has_start;
  gboolean     has_end;
  GArray      *events;         /* Event */
  GArray      *sample_frames;  /* guint32, all samples one after another */
  GArray      *sample_ends;    /* guint32 end offset of each sample */
  GArray      *weights;        /* double */
} Profile;

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  GError           *error;

  int               depth;
  Context           ctx[MAX_DEPTH + 1];
  Key               key[MAX_DEPTH + 1];
  gboolean          root_seen;

  GArray           *frames;         /* guint32 interned name per frame */
  gboolean          frames_done;
  gboolean          frame_has_name;
  guint32           frame_name;

  Profile          *profile;        /* being read */
  GPtrArray        *pending;        /* Profile waiting for the frames */
  guint             n_profiles;
  Event             event;
  guint             event_fields;

  char             *exporter;
  char             *name;
  gint64            active_index;
  gboolean          has_active;
  char             *active_name;
  char             *sample_unit;

  guint64           n_bad_events;
  guint64           n_bad_frames;
  guint64           n_unbalanced;
  guint64           n_mismatched;
  guint64           n_unclosed;
  guint64           n_too_deep;
  guint64           n_empty_samples;
  guint64           n_bad_weights;
  guint             n_mixed_units;
} Parser;

static void
profile_free (Profile *p)
{
  g_free (p->name);
  g_free (p->unit);
  g_array_unref (p->events);
  g_array_unref (p->sample_frames);
  g_array_unref (p->sample_ends);
  g_array_unref (p->weights);
  g_free (p);
}

static Profile *
profile_new (guint index)
{
  Profile *p = g_new0 (Profile, 1);

  p->index = index;
  p->events = g_array_new (FALSE, FALSE, sizeof (Event));
  p->sample_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->sample_ends = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->weights = g_array_new (FALSE, FALSE, sizeof (double));

  return p;
}

/* Frame indices are most of a big file: read them without strtoll. */
static gboolean
parse_index (const char *str,
             size_t      len,
             guint32    *index)
{
  guint64 v = 0;

  if (len == 0 || len > 10)
    return FALSE;
  for (size_t i = 0; i < len; i++)
    {
      if (str[i] < '0' || str[i] > '9')
        return FALSE;
      v = v * 10 + (guint64)(str[i] - '0');
    }
  if (v >= G_MAXUINT32)
    return FALSE;

  *index = (guint32) v;
  return TRUE;
}

static Key
lookup_key (const unsigned char *key,
            size_t               len)
{
#define IS(s) (len == sizeof (s) - 1 && memcmp (key, s, sizeof (s) - 1) == 0)
  if (IS ("at")) return K_AT;
  if (IS ("type")) return K_TYPE;
  if (IS ("frame")) return K_FRAME;
  if (IS ("name")) return K_NAME;
  if (IS ("unit")) return K_UNIT;
  if (IS ("startValue")) return K_START;
  if (IS ("endValue")) return K_END;
  if (IS ("events")) return K_EVENTS;
  if (IS ("samples")) return K_SAMPLES;
  if (IS ("weights")) return K_WEIGHTS;
  if (IS ("frames")) return K_FRAMES;
  if (IS ("shared")) return K_SHARED;
  if (IS ("profiles")) return K_PROFILES;
  if (IS ("exporter")) return K_EXPORTER;
  if (IS ("activeProfileIndex")) return K_ACTIVE;
#undef IS
  return K_OTHER;
}

/* Nanoseconds per unit; 1 for the units that are not time. */
static double
unit_factor (const char *unit,
             gboolean   *is_time)
{
  *is_time = TRUE;
  if (g_strcmp0 (unit, "nanoseconds") == 0)
    return 1.0;
  if (g_strcmp0 (unit, "microseconds") == 0)
    return 1e3;
  if (g_strcmp0 (unit, "milliseconds") == 0)
    return 1e6;
  if (g_strcmp0 (unit, "seconds") == 0)
    return 1e9;
  *is_time = FALSE;
  return 1.0;
}

static gboolean
to_ns (double  value,
       double  factor,
       gint64 *out)
{
  double v = value * factor;

  if (!isfinite (v) || fabs (v) > MAX_TIME_NS)
    return FALSE;
  *out = (gint64) llround (v);
  return TRUE;
}

static guint
profile_lane (Parser  *self,
              Profile *p)
{
  guint lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, 1, p->index);
  g_autofree char *fallback = NULL;

  if (p->name == NULL || p->name[0] == '\0')
    fallback = g_strdup_printf (_("Profile %u"), p->index + 1);
  pw_profile_builder_set_lane_name (self->builder, lane, fallback ? fallback : p->name);
  pw_profile_builder_set_lane_sort_index (self->builder, lane, (gint32) MIN (p->index, G_MAXINT32));

  return lane;
}

static gboolean
frame_name (Parser  *self,
            guint32  index,
            guint32 *name)
{
  if (index >= self->frames->len)
    {
      self->n_bad_frames++;
      return FALSE;
    }
  *name = g_array_index (self->frames, guint32, index);
  return TRUE;
}

typedef struct
{
  guint32 frame;
  guint32 slot;
} Open;

typedef struct
{
  gint64  start;
  gint64  dur;
  guint32 name;
} Span;

static void
emit_evented (Parser  *self,
              Profile *p)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Open));
  /* Spans in the order they opened: the builder keeps that order for
   * spans with equal start and duration, so a parent stays a parent. */
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  gboolean is_time;
  double factor = unit_factor (p->unit, &is_time);
  guint lane = profile_lane (self, p);
  gint64 last = G_MININT64;
  gint64 end;

  for (guint i = 0; i < p->events->len; i++)
    {
      const Event *ev = &g_array_index (p->events, Event, i);
      gint64 at;
      guint32 name;

      if (!to_ns (ev->at, factor, &at))
        {
          self->n_bad_events++;
          continue;
        }
      /* The format requires events in time order; an event that goes
       * back in time is read as happening at the same time as the last. */
      if (at < last)
        at = last;
      last = at;

      if (ev->open)
        {
          Open open;

          if (!frame_name (self, ev->frame, &name))
            continue;
          if (stack->len >= MAX_OPEN_FRAMES)
            {
              self->n_too_deep++;
              continue;
            }
          {
            Span span = { at, 0, name };

            open.frame = ev->frame;
            open.slot = spans->len;
            g_array_append_val (spans, span);
            g_array_append_val (stack, open);
          }
        }
      else
        {
          guint k;

          if (stack->len == 0)
            {
              self->n_unbalanced++;
              continue;
            }

          /* A close for a frame further down the stack closes the frames
           * above it too; one for a frame that is not open is ignored. */
          /* The search is bounded so that a flood of stray closes on a
           * deep stack stays linear. */
          for (k = stack->len; k > 0 && stack->len - k < MAX_CLOSE_SEARCH; k--)
            if (g_array_index (stack, Open, k - 1).frame == ev->frame)
              break;
          if (k > 0 && g_array_index (stack, Open, k - 1).frame != ev->frame)
            k = 0;
          if (k == 0)
            {
              self->n_unbalanced++;
              continue;
            }
          if (k != stack->len)
            self->n_mismatched++;

          while (stack->len >= k)
            {
              const Open *open = &g_array_index (stack, Open, stack->len - 1);
              Span *span = &g_array_index (spans, Span, open->slot);

              span->dur = at - span->start;
              g_array_set_size (stack, stack->len - 1);
            }
        }
    }

  end = last;
  if (p->has_end)
    {
      gint64 v;

      if (to_ns (p->end_value, factor, &v))
        {
          if (v > end)
            end = v;
          pw_profile_builder_extend (self->builder, v);
        }
    }
  if (p->has_start)
    {
      gint64 v;

      if (to_ns (p->start_value, factor, &v))
        pw_profile_builder_extend (self->builder, v);
    }

  while (stack->len > 0)
    {
      const Open *open = &g_array_index (stack, Open, stack->len - 1);
      Span *span = &g_array_index (spans, Span, open->slot);

      span->dur = MAX (end - span->start, 0);
      g_array_set_size (stack, stack->len - 1);
      self->n_unclosed++;
    }

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      pw_profile_builder_add_span (self->builder, lane, span->start, span->dur, -1, span->name, 0, 0);
    }
}

static void
emit_sampled (Parser  *self,
              Profile *p)
{
  gboolean is_time;
  double factor = unit_factor (p->unit, &is_time);
  const char *sample_unit;
  guint lane = profile_lane (self, p);
  guint n = p->sample_ends->len;
  guint32 begin = 0;
  /* Consecutive samples share most of their stack: the previous one's
   * frames and stack ids spare most lookups. */
  g_autoptr(GArray) prev_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) prev_stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  double cumulative = 0;
  double start = p->has_start ? p->start_value : 0;

  if (is_time)
    sample_unit = "ns";
  else if (g_strcmp0 (p->unit, "bytes") == 0)
    sample_unit = "bytes";
  else
    sample_unit = "count";

  if (self->sample_unit == NULL)
    {
      self->sample_unit = g_strdup (sample_unit);
      pw_profile_builder_set_sample_unit (self->builder, sample_unit);
    }
  else if (strcmp (self->sample_unit, sample_unit) != 0)
    self->n_mixed_units++;

  if (p->weights->len > 0 && p->weights->len < n)
    {
      self->n_bad_weights += n - p->weights->len;
      n = p->weights->len;
    }

  for (guint i = 0; i < n; i++)
    {
      guint32 end = g_array_index (p->sample_ends, guint32, i);
      double w = p->weights->len > 0 ? g_array_index (p->weights, double, i) : 1.0;
      guint32 stack = PW_NO_STACK;
      gboolean bad = FALSE;
      gint64 time, weight;

      {
        guint32 depth = end > begin ? end - begin : 0;
        /* an empty array has no data pointer to offset */
        const guint32 *frames = depth > 0 ? &g_array_index (p->sample_frames, guint32, begin) : NULL;
        guint32 same = 0;

        while (same < depth && same < prev_frames->len &&
               frames[same] == g_array_index (prev_frames, guint32, same))
          same++;
        if (same > 0)
          stack = g_array_index (prev_stacks, guint32, same - 1);
        g_array_set_size (prev_frames, same);
        g_array_set_size (prev_stacks, same);

        for (guint32 k = same; k < depth; k++)
          {
            guint32 name;

            if (!frame_name (self, frames[k], &name))
              {
                bad = TRUE;
                break;
              }
            stack = pw_profile_builder_push_frame (self->builder, stack, name);
            g_array_append_val (prev_frames, frames[k]);
            g_array_append_val (prev_stacks, stack);
          }
      }
      begin = end;

      if (bad)
        continue;
      if (!isfinite (w) || w < 0)
        {
          self->n_bad_weights++;
          continue;
        }
      if (stack == PW_NO_STACK)
        {
          self->n_empty_samples++;
          cumulative += w;
          continue;
        }

      if (is_time)
        {
          if (!to_ns (start + cumulative, factor, &time) || !to_ns (w, factor, &weight))
            {
              self->n_bad_weights++;
              continue;
            }
        }
      else
        {
          /* Weights that are not time (bytes, counts) give no clock:
           * samples keep their order. */
          time = i;
          if (!to_ns (w, 1.0, &weight))
            {
              self->n_bad_weights++;
              continue;
            }
        }

      pw_profile_builder_add_sample (self->builder, lane, time, weight, stack);
      if (is_time)
        pw_profile_builder_extend (self->builder, time + weight);
      cumulative += w;
    }

  if (is_time)
    {
      gint64 v;

      if (p->has_start && to_ns (p->start_value, factor, &v))
        pw_profile_builder_extend (self->builder, v);
      if (p->has_end && to_ns (p->end_value, factor, &v))
        pw_profile_builder_extend (self->builder, v);
    }
}

static void
emit_profile (Parser  *self,
              Profile *p)
{
  if (self->has_active && p->index == self->active_index && p->name != NULL)
    {
      g_free (self->active_name);
      self->active_name = g_strdup (p->name);
    }

  switch (p->type)
    {
    case PROFILE_EVENTED:
      emit_evented (self, p);
      break;
    case PROFILE_SAMPLED:
      emit_sampled (self, p);
      break;
    case PROFILE_UNKNOWN:
    default:
      if (p->events->len > 0)
        emit_evented (self, p);
      else if (p->sample_ends->len > 0)
        emit_sampled (self, p);
      break;
    }
}

static void
end_profile (Parser *self)
{
  Profile *p = g_steal_pointer (&self->profile);

  if (p == NULL)
    return;

  if (self->frames_done)
    {
      emit_profile (self, p);
      profile_free (p);
    }
  else
    g_ptr_array_add (self->pending, p);
}

/* yajl callbacks */

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

static void
set_string (char      **field,
            const char *str,
            gsize       len)
{
  g_free (*field);
  *field = g_strndup (str, len);
}

static int
on_number (void       *ctx,
           const char *str,
           size_t      len)
{
  Parser *self = ctx;
  Context c = current (self);
  Key k = current_key (self);
  double v;

  switch (c)
    {
    case C_ROOT:
      if (k == K_ACTIVE)
        self->has_active = _pw_parse_int64 (str, len, &self->active_index);
      break;

    case C_PROFILE:
      if (k == K_START && _pw_json_parse_double (str, len, &v))
        {
          self->profile->start_value = v;
          self->profile->has_start = TRUE;
        }
      else if (k == K_END && _pw_json_parse_double (str, len, &v))
        {
          self->profile->end_value = v;
          self->profile->has_end = TRUE;
        }
      break;

    case C_EVENT:
      if (k == K_AT && _pw_json_parse_double (str, len, &v))
        {
          self->event.at = v;
          self->event_fields |= 1;
        }
      else if (k == K_FRAME && parse_index (str, len, &self->event.frame))
        self->event_fields |= 2;
      break;

    case C_SAMPLE:
      {
        guint32 frame;

        if (!parse_index (str, len, &frame))
          frame = G_MAXUINT32;
        g_array_append_val (self->profile->sample_frames, frame);
      }
      break;

    case C_WEIGHTS:
      if (!_pw_json_parse_double (str, len, &v))
        v = NAN;
      g_array_append_val (self->profile->weights, v);
      break;

    default:
      break;
    }

  return 1;
}

static int
on_string (void                *ctx,
           const unsigned char *ustr,
           size_t               len)
{
  Parser *self = ctx;
  const char *str = (const char *)ustr;
  Context c = current (self);
  Key k = current_key (self);

  switch (c)
    {
    case C_ROOT:
      if (k == K_EXPORTER)
        set_string (&self->exporter, str, len);
      else if (k == K_NAME)
        set_string (&self->name, str, len);
      break;

    case C_FRAME:
      if (k == K_NAME)
        {
          self->frame_name = pw_profile_builder_intern (self->builder, str, len);
          self->frame_has_name = TRUE;
        }
      break;

    case C_PROFILE:
      if (k == K_TYPE)
        {
          if (len == 7 && memcmp (str, "evented", 7) == 0)
            self->profile->type = PROFILE_EVENTED;
          else if (len == 7 && memcmp (str, "sampled", 7) == 0)
            self->profile->type = PROFILE_SAMPLED;
        }
      else if (k == K_NAME)
        set_string (&self->profile->name, str, len);
      else if (k == K_UNIT)
        set_string (&self->profile->unit, str, len);
      break;

    case C_EVENT:
      if (k == K_TYPE && len == 1 && (str[0] == 'O' || str[0] == 'C'))
        {
          self->event.open = str[0] == 'O';
          self->event_fields |= 4;
        }
      break;

    case C_SAMPLE:
      {
        guint32 frame = G_MAXUINT32;
        g_array_append_val (self->profile->sample_frames, frame);
      }
      break;

    case C_WEIGHTS:
      {
        double v = NAN;
        g_array_append_val (self->profile->weights, v);
      }
      break;

    default:
      break;
    }

  return 1;
}

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

static Context
child_context (Parser   *self,
               gboolean  is_map)
{
  Context parent;
  Key key;

  if (self->depth == 0)
    return is_map ? C_ROOT : C_IGNORE;
  if (self->depth > MAX_DEPTH)
    return C_IGNORE;

  parent = self->ctx[self->depth];
  key = self->key[self->depth];

  switch (parent)
    {
    case C_ROOT:
      if (is_map && key == K_SHARED)
        return C_SHARED;
      if (!is_map && key == K_PROFILES)
        return C_PROFILES;
      break;
    case C_SHARED:
      if (!is_map && key == K_FRAMES && !self->frames_done)
        return C_FRAMES;
      break;
    case C_FRAMES:
      return is_map ? C_FRAME : C_IGNORE;
    case C_PROFILES:
      return is_map ? C_PROFILE : C_IGNORE;
    case C_PROFILE:
      if (!is_map && key == K_EVENTS)
        return C_EVENTS;
      if (!is_map && key == K_SAMPLES)
        return C_SAMPLES;
      if (!is_map && key == K_WEIGHTS)
        return C_WEIGHTS;
      break;
    case C_EVENTS:
      return is_map ? C_EVENT : C_IGNORE;
    case C_SAMPLES:
      return is_map ? C_IGNORE : C_SAMPLE;
    case C_IGNORE:
    case C_FRAME:
    case C_EVENT:
    case C_SAMPLE:
    case C_WEIGHTS:
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

  switch (c)
    {
    case C_ROOT:
      self->root_seen = TRUE;
      break;
    case C_FRAME:
      self->frame_has_name = FALSE;
      self->frame_name = 0;
      break;
    case C_PROFILE:
      self->profile = profile_new (self->n_profiles++);
      break;
    case C_EVENT:
      memset (&self->event, 0, sizeof self->event);
      self->event_fields = 0;
      break;
    default:
      break;
    }
}

static void
leave (Parser *self)
{
  Context c = current (self);

  switch (c)
    {
    case C_FRAME:
      {
        guint32 name = self->frame_name;

        if (!self->frame_has_name)
          name = pw_profile_builder_intern (self->builder, _("(unnamed)"), -1);
        g_array_append_val (self->frames, name);
      }
      break;
    case C_FRAMES:
      self->frames_done = TRUE;
      break;
    case C_EVENT:
      if (self->event_fields == 7)
        g_array_append_val (self->profile->events, self->event);
      else
        self->n_bad_events++;
      break;
    case C_SAMPLE:
      {
        guint32 end = self->profile->sample_frames->len;
        g_array_append_val (self->profile->sample_ends, end);
      }
      break;
    case C_PROFILE:
      end_profile (self);
      break;
    default:
      break;
    }

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
on_end_map (void *ctx)
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

static int
on_end_array (void *ctx)
{
  leave (ctx);
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

/* A macro, so that the compiler still checks the format strings. */
#define WARN_COUNT(builder, count, singular, plural) \
  G_STMT_START { \
    if ((count) > 0) \
      pw_profile_builder_add_warning ((builder), \
                                      g_dngettext (GETTEXT_PACKAGE, singular, plural, \
                                                   (gulong) MIN ((count), G_MAXULONG)), \
                                      (gulong) (count)); \
  } G_STMT_END

static void
finish (Parser *self)
{
  char buf[32];

  for (guint i = 0; i < self->pending->len; i++)
    emit_profile (self, g_ptr_array_index (self->pending, i));
  g_ptr_array_set_size (self->pending, 0);

  if (self->exporter != NULL)
    pw_profile_builder_set_metadata (self->builder, "speedscope.exporter", self->exporter);
  if (self->name != NULL && self->name[0] != '\0')
    {
      pw_profile_builder_set_metadata (self->builder, "speedscope.name", self->name);
      pw_profile_builder_set_process_name (self->builder, 1, self->name);
    }
  if (self->active_name != NULL)
    pw_profile_builder_set_metadata (self->builder, "speedscope.active_profile", self->active_name);
  g_snprintf (buf, sizeof buf, "%u", self->n_profiles);
  pw_profile_builder_set_metadata (self->builder, "speedscope.profiles", buf);
  g_snprintf (buf, sizeof buf, "%u", self->frames->len);
  pw_profile_builder_set_metadata (self->builder, "speedscope.frames", buf);

  WARN_COUNT (self->builder, self->n_bad_events,
              "%lu event lacked a type, time or frame; it was skipped",
              "%lu events lacked a type, time or frame; they were skipped");
  WARN_COUNT (self->builder, self->n_bad_frames,
              "%lu reference to a frame that does not exist was skipped",
              "%lu references to frames that do not exist were skipped");
  WARN_COUNT (self->builder, self->n_unbalanced,
              "%lu close event (C) had no open frame; it was ignored",
              "%lu close events (C) had no open frame; they were ignored");
  WARN_COUNT (self->builder, self->n_mismatched,
              "%lu close event (C) closed frames opened after its own",
              "%lu close events (C) closed frames opened after their own");
  WARN_COUNT (self->builder, self->n_unclosed,
              "%lu frame was never closed; it is shown up to the profile’s end",
              "%lu frames were never closed; they are shown up to the profile’s end");
  WARN_COUNT (self->builder, self->n_too_deep,
              "%lu frame nested too deeply was ignored",
              "%lu frames nested too deeply were ignored");
  WARN_COUNT (self->builder, self->n_empty_samples,
              "%lu sample had an empty stack; it was skipped",
              "%lu samples had an empty stack; they were skipped");
  WARN_COUNT (self->builder, self->n_bad_weights,
              "%lu sample had no valid weight; it was skipped",
              "%lu samples had no valid weight; they were skipped");
  if (self->n_mixed_units > 0)
    pw_profile_builder_add_warning (self->builder,
                                    _("Profiles use different units; weights are shown in the first one’s (%s)"),
                                    self->sample_unit);
}

static gboolean
speedscope_load (PwInput           *input,
                 PwProfileBuilder  *builder,
                 GError           **error)
{
  Parser self = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PwJsonStream) stream = NULL;
  PwJsonStreamResult result;
  gboolean ok = FALSE;

  self.input = input;
  self.builder = builder;
  self.frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self.pending = g_ptr_array_new_with_free_func ((GDestroyNotify) profile_free);

  stream = _pw_json_stream_new (input, &callbacks, &self, PW_JSON_STREAM_DEFAULT);
  _pw_json_stream_set_callback_error (stream, &self.error);
  result = _pw_json_stream_run (stream, &local_error);

  if (result == PW_JSON_STREAM_FAILED || result == PW_JSON_STREAM_MALFORMED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  if (!self.root_seen)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: not a speedscope file: expected a JSON object with “shared” and “profiles”"),
                   pw_input_get_display_name (input));
      goto out;
    }

  if (result == PW_JSON_STREAM_TRUNCATED)
    {
      guint complete = self.n_profiles - (self.profile != NULL ? 1 : 0);

      /* What was read of the profile being read still shows. */
      end_profile (&self);
      if (self.frames->len == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      self.frames_done = TRUE;
      pw_profile_builder_add_warning (builder,
                                      _("The file ends early, at byte %" PRIu64
                                        ": showing %u complete profiles and what was read of the next"),
                                      _pw_json_stream_get_offset (stream), complete);
    }

  if (!self.frames_done && self.pending->len > 0)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: the speedscope file has profiles but no “shared.frames” list"),
                   pw_input_get_display_name (input));
      goto out;
    }

  finish (&self);
  ok = TRUE;

out:
  g_clear_pointer (&self.profile, profile_free);
  g_clear_error (&self.error);
  g_array_unref (self.frames);
  g_ptr_array_unref (self.pending);
  g_free (self.exporter);
  g_free (self.name);
  g_free (self.active_name);
  g_free (self.sample_unit);

  return ok;
}

static guint
speedscope_sniff (const guint8 *head,
                  gsize         len,
                  const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "speedscope.app/file-format-schema"))
    return 95;
  if (_pw_head_contains (p, len, "\"shared\"") &&
      _pw_head_contains (p, len, "\"profiles\"") &&
      _pw_head_contains (p, len, "\"frames\""))
    return 70;
  /* profiles first, the frames past the head */
  if (_pw_head_contains (p, len, "\"profiles\"") &&
      (_pw_head_contains (p, len, "\"sampled\"") || _pw_head_contains (p, len, "\"evented\"")))
    return 60;

  return 0;
}

static const char * const speedscope_patterns[] = { "*.speedscope.json", "*.speedscope.json.gz", NULL };
static const char * const speedscope_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_speedscope = {
  .id = "speedscope",
  .name = N_("speedscope JSON"),
  .patterns = speedscope_patterns,
  .mime_types = speedscope_mime_types,
  .sniff = speedscope_sniff,
  .load = speedscope_load,
};
