/* pw-import-pprof.c: pprof (perftools.profiles.Profile protobuf, usually gzipped)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-pprof"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "profile.pb-c.h"

#include "pw-import-private.h"

/* protobuf-c decodes a whole message at once; a pprof file this large
 * (decompressed) would need several times as much memory again. */
#define MAX_PROFILE_SIZE  ((gsize) 1024 * 1024 * 1024)
#define MAX_SAMPLES       ((gsize) 50 * 1000 * 1000)
#define MAX_STACK_FRAMES  4096
#define MAX_LANES         4096

typedef Perftools__Profiles__Profile   Profile;
typedef Perftools__Profiles__Sample    Sample;
typedef Perftools__Profiles__Location  Location;
typedef Perftools__Profiles__Function  Function;
typedef Perftools__Profiles__Label     Label;

typedef struct
{
  PwProfileBuilder *builder;
  const Profile    *profile;
  GHashTable       *locations;     /* guint64 id -> index + 1 */
  GHashTable       *functions;     /* guint64 id -> index + 1 */
  /* Interned frame names of each location, root-most first, filled on
   * first use: location_frames[i] is an offset into frames, or -1. */
  gint64           *location_frames;
  guint            *location_n_frames;
  GArray           *frames;        /* guint32 */
  GHashTable       *lanes;         /* "pid/tid" -> lane + 1 */
  GHashTable       *pushed;        /* (location << 32 | stack) -> stack */
  struct _Arena    *arena;         /* for the keys of pushed */
  guint             default_lane;
  gboolean          default_lane_made;
  gboolean          deep_warned;
  gboolean          unknown_location_warned;
} PprofLoader;

/* protobuf-c allocates every message and array on its own; a profile
 * with millions of samples then spends more time in malloc and free than
 * in decoding. A bump allocator frees it all at once. */
#define ARENA_BLOCK_SIZE ((gsize) 1024 * 1024)

typedef struct _Arena
{
  GPtrArray *blocks;
  guint8    *next;
  gsize      left;
} Arena;

static void *
arena_alloc (void   *data,
             size_t  size)
{
  Arena *arena = data;
  void *mem;

  size = (size + 15) & ~(size_t) 15;
  if (size == 0)
    size = 16;
  if (size > ARENA_BLOCK_SIZE / 4)
    {
      mem = g_try_malloc (size);
      if (mem != NULL)
        g_ptr_array_add (arena->blocks, mem);
      return mem;
    }
  if (size > arena->left)
    {
      arena->next = g_try_malloc (ARENA_BLOCK_SIZE);
      if (arena->next == NULL)
        {
          arena->left = 0;
          return NULL;
        }
      g_ptr_array_add (arena->blocks, arena->next);
      arena->left = ARENA_BLOCK_SIZE;
    }
  mem = arena->next;
  arena->next += size;
  arena->left -= size;

  return mem;
}

static void
arena_free (void *data,
            void *mem)
{
  /* everything goes when the arena does */
}

/* g_int64_hash folds the halves together, which collides for keys made
 * of two 32-bit halves; mix them instead. */
static guint
pushed_key_hash (gconstpointer data)
{
  guint64 v = *(const guint64 *) data;

  /* MurmurHash3's finalizer: every input bit reaches the low 32 */
  v ^= v >> 33;
  v *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  v ^= v >> 33;
  v *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  v ^= v >> 33;
  return (guint) (v ^ (v >> 32));
}

static const char *
profile_string (const Profile *profile,
                gint64         index)
{
  if (index <= 0 || (guint64) index >= profile->n_string_table || profile->string_table[index] == NULL)
    return "";
  return profile->string_table[index];
}

static guint32
intern_utf8 (PwProfileBuilder *builder,
             const char       *str)
{
  if (!g_utf8_validate (str, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (str, -1);
      return pw_profile_builder_intern (builder, valid, -1);
    }
  return pw_profile_builder_intern (builder, str, -1);
}

static guint32
location_fallback_name (PprofLoader    *self,
                        const Location *location)
{
  char buf[64];

  g_snprintf (buf, sizeof buf, "0x%" G_GINT64_MODIFIER "x", (guint64) location->address);
  return pw_profile_builder_intern (self->builder, buf, -1);
}

/* The frames of one location, outermost caller first: pprof lists inlined
 * functions innermost first, so line[0] is the deepest frame. */
static void
location_frames (PprofLoader    *self,
                 guint           index,
                 const guint32 **frames,
                 guint          *n_frames)
{
  const Location *location = self->profile->location[index];

  if (self->location_frames[index] < 0)
    {
      guint added = 0;

      self->location_frames[index] = self->frames->len;
      for (gsize k = location->n_line; k > 0; k--)
        {
          const Perftools__Profiles__Line *line = location->line[k - 1];
          gpointer value;
          guint32 name;

          if (line == NULL)
            continue;
          value = g_hash_table_lookup (self->functions, &line->function_id);
          if (value != NULL)
            {
              const Function *function = self->profile->function[GPOINTER_TO_UINT (value) - 1];
              const char *str = profile_string (self->profile, function->name);

              if (*str == '\0')
                str = profile_string (self->profile, function->system_name);
              name = *str != '\0' ? intern_utf8 (self->builder, str) : location_fallback_name (self, location);
            }
          else
            {
              name = location_fallback_name (self, location);
            }
          g_array_append_val (self->frames, name);
          added++;
        }

      if (added == 0)
        {
          guint32 name = location_fallback_name (self, location);
          g_array_append_val (self->frames, name);
          added = 1;
        }
      self->location_n_frames[index] = added;
    }

  *frames = &g_array_index (self->frames, guint32, self->location_frames[index]);
  *n_frames = self->location_n_frames[index];
}

static guint
sample_lane (PprofLoader  *self,
             const Sample *sample)
{
  gint64 pid = 0, tid = 0;
  gboolean has_pid = FALSE, has_tid = FALSE;
  const char *thread_name = NULL;
  char key[64];
  gpointer value;
  guint lane;

  for (gsize i = 0; i < sample->n_label; i++)
    {
      const Label *label = sample->label[i];
      const char *name;
      gint64 num;

      if (label == NULL)
        continue;
      name = profile_string (self->profile, label->key);
      if (label->str != 0)
        {
          const char *str = profile_string (self->profile, label->str);

          if (strcmp (name, "thread_name") == 0)
            {
              thread_name = str;
              continue;
            }
          if (!_pw_parse_int64 (str, strlen (str), &num))
            continue;
        }
      else
        {
          num = label->num;
        }

      if (strcmp (name, "pid") == 0)
        {
          pid = num;
          has_pid = TRUE;
        }
      else if (strcmp (name, "thread_id") == 0 || strcmp (name, "tid") == 0)
        {
          tid = num;
          has_tid = TRUE;
        }
    }

  if (!has_pid && !has_tid)
    {
      if (!self->default_lane_made)
        {
          self->default_lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, 0, 0);
          pw_profile_builder_set_lane_name (self->builder, self->default_lane, _("samples"));
          self->default_lane_made = TRUE;
        }
      return self->default_lane;
    }

  g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, pid, tid);
  value = g_hash_table_lookup (self->lanes, key);
  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;

  if (g_hash_table_size (self->lanes) >= MAX_LANES)
    {
      if (!self->default_lane_made)
        {
          self->default_lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, 0, 0);
          pw_profile_builder_set_lane_name (self->builder, self->default_lane, _("samples"));
          self->default_lane_made = TRUE;
        }
      return self->default_lane;
    }

  /* pid 0 / tid 0 is the unlabelled lane; keep labelled ones apart. */
  lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, has_pid ? pid : -1, has_tid ? tid : -1);
  if (thread_name != NULL && *thread_name != '\0' && g_utf8_validate (thread_name, -1, NULL))
    {
      pw_profile_builder_set_lane_name (self->builder, lane, thread_name);
    }
  else
    {
      g_autofree char *name = has_tid ? g_strdup_printf (_("thread %" PRId64), tid)
                                      : g_strdup_printf (_("process %" PRId64), pid);
      pw_profile_builder_set_lane_name (self->builder, lane, name);
    }
  g_hash_table_insert (self->lanes, g_strdup (key), GUINT_TO_POINTER (lane + 1));

  return lane;
}

/* The offset just past the last complete top-level field, so that a
 * truncated file can still be decoded up to there; *bad_offset is where
 * the first malformed field starts (or len when all are well-formed). */
static gsize
complete_prefix (const guint8 *data,
                 gsize         len,
                 gsize        *bad_offset)
{
  gsize pos = 0;

  while (pos < len)
    {
      guint64 tag = 0, length = 0;
      gsize p = pos;
      guint shift = 0;
      gboolean ok = FALSE;

      for (; p < len && shift < 64; shift += 7)
        {
          tag |= (guint64) (data[p] & 0x7f) << shift;
          if ((data[p++] & 0x80) == 0)
            {
              ok = TRUE;
              break;
            }
        }
      if (!ok || (tag >> 3) == 0)
        break;

      switch (tag & 7)
        {
        case 0:
          ok = FALSE;
          for (shift = 0; p < len && shift < 64; shift += 7)
            if ((data[p++] & 0x80) == 0)
              {
                ok = TRUE;
                break;
              }
          break;
        case 1:
          ok = len - p >= 8;
          p += 8;
          break;
        case 5:
          ok = len - p >= 4;
          p += 4;
          break;
        case 2:
          ok = FALSE;
          for (shift = 0; p < len && shift < 64; shift += 7)
            {
              length |= (guint64) (data[p] & 0x7f) << shift;
              if ((data[p++] & 0x80) == 0)
                {
                  ok = TRUE;
                  break;
                }
            }
          if (ok && length > len - p)
            ok = FALSE;
          else if (ok)
            p += length;
          break;
        default:
          ok = FALSE;
          break;
        }

      if (!ok)
        break;
      pos = p;
    }

  *bad_offset = pos;
  return pos;
}

static void
set_int_metadata (PwProfileBuilder *builder,
                  const char       *key,
                  gint64            value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  pw_profile_builder_set_metadata (builder, key, buf);
}

static gboolean
import_profile (PprofLoader  *self,
                PwInput      *input,
                GError      **error)
{
  const Profile *profile = self->profile;
  PwProfileBuilder *builder = self->builder;
  g_autoptr(GString) types = g_string_new (NULL);
  g_autoptr(GArray) sample_locations = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize default_index;
  const char *wanted;
  gint64 scale = 1;
  const char *unit;
  guint n_unknown_locations = 0;
  guint64 n_short_samples = 0;

  if (profile->n_sample_type == 0)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: a pprof profile without sample types: nothing says what its values measure"),
                   pw_input_get_display_name (input));
      return FALSE;
    }
  if (profile->n_sample > MAX_SAMPLES)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                   _("%s: %zu samples, more than the %zu Phasewise reads"),
                   pw_input_get_display_name (input), profile->n_sample, MAX_SAMPLES);
      return FALSE;
    }

  /* pprof shows default_sample_type when it names a type, else the last. */
  default_index = profile->n_sample_type - 1;
  for (gsize i = 0; i < profile->n_sample_type; i++)
    {
      const Perftools__Profiles__ValueType *type = profile->sample_type[i];
      const char *type_name = type ? profile_string (profile, type->type) : "";

      if (i > 0)
        g_string_append (types, ", ");
      g_string_append_printf (types, "%s/%s", type_name, type ? profile_string (profile, type->unit) : "");
      if (profile->default_sample_type != 0 && type != NULL && type->type == profile->default_sample_type)
        default_index = i;
    }
  if (g_utf8_validate (types->str, -1, NULL))
    pw_profile_builder_set_metadata (builder, "pprof.sample_types", types->str);

  /* The user's choice, as pprof's -sample_index takes it: a name, a
   * name/unit, or an index. */
  wanted = pw_input_get_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE);
  if (wanted != NULL)
    {
      gint64 index;
      gboolean found = FALSE;

      for (gsize i = 0; i < profile->n_sample_type && !found; i++)
        {
          const Perftools__Profiles__ValueType *type = profile->sample_type[i];
          g_autofree char *full = NULL;

          if (type == NULL)
            continue;
          full = g_strdup_printf ("%s/%s", profile_string (profile, type->type), profile_string (profile, type->unit));
          if (g_str_equal (wanted, profile_string (profile, type->type)) || g_str_equal (wanted, full))
            default_index = i, found = TRUE;
        }
      if (!found && _pw_parse_int64 (wanted, strlen (wanted), &index) &&
          index >= 0 && (guint64) index < profile->n_sample_type)
        default_index = index, found = TRUE;
      if (!found)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                       _("%s: no sample type “%s”; the profile has %s"),
                       pw_input_get_display_name (input), wanted, types->str);
          return FALSE;
        }
    }

  for (gsize i = 0; i < profile->n_sample_type; i++)
    {
      const Perftools__Profiles__ValueType *type = profile->sample_type[i];
      const char *type_name = type ? profile_string (profile, type->type) : "";

      if (profile->n_sample_type > 1 && *type_name != '\0' && g_utf8_validate (type_name, -1, NULL))
        pw_profile_builder_add_sample_type (builder, type_name, i == default_index);
    }

  /* Only the default type becomes sample weights; the totals of all types
   * stay visible. */
  {
    g_autoptr(GString) totals = g_string_new (NULL);

    for (gsize i = 0; i < profile->n_sample_type; i++)
      {
        const Perftools__Profiles__ValueType *type = profile->sample_type[i];
        gint64 total = 0;

        for (gsize k = 0; k < profile->n_sample; k++)
          if (profile->sample[k] != NULL && profile->sample[k]->n_value > i)
            {
              gint64 v = profile->sample[k]->value[i];

              if ((v > 0 && total > G_MAXINT64 - v) || (v < 0 && total < G_MININT64 - v))
                total = v > 0 ? G_MAXINT64 : G_MININT64;
              else
                total += v;
            }
        g_string_append_printf (totals, "%s%s/%s=%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                type ? profile_string (profile, type->type) : "",
                                type ? profile_string (profile, type->unit) : "", total);
      }
    if (g_utf8_validate (totals->str, -1, NULL))
      pw_profile_builder_set_metadata (builder, "pprof.totals", totals->str);
  }

  {
    const Perftools__Profiles__ValueType *type = profile->sample_type[default_index];
    g_autofree char *name = NULL;

    unit = type ? profile_string (profile, type->unit) : "";
    name = g_strdup_printf ("%s/%s", type ? profile_string (profile, type->type) : "", unit);
    if (g_utf8_validate (name, -1, NULL))
      pw_profile_builder_set_metadata (builder, "pprof.default_sample_type", name);
  }

  if (g_str_equal (unit, "nanoseconds"))
    unit = "ns";
  else if (g_str_equal (unit, "microseconds"))
    unit = "ns", scale = PW_NSEC_PER_USEC;
  else if (g_str_equal (unit, "milliseconds"))
    unit = "ns", scale = PW_NSEC_PER_MSEC;
  else if (g_str_equal (unit, "seconds"))
    unit = "ns", scale = PW_NSEC_PER_SEC;
  else if (*unit == '\0')
    unit = "count";
  pw_profile_builder_set_sample_unit (builder, unit);

  set_int_metadata (builder, "pprof.locations", profile->n_location);
  set_int_metadata (builder, "pprof.functions", profile->n_function);
  if (profile->time_nanos != 0)
    set_int_metadata (builder, "pprof.time_nanos", profile->time_nanos);
  if (profile->duration_nanos != 0)
    set_int_metadata (builder, "pprof.duration_nanos", profile->duration_nanos);
  if (profile->period_type != NULL)
    {
      g_autofree char *period = g_strdup_printf ("%" G_GINT64_FORMAT " %s/%s", profile->period,
                                                 profile_string (profile, profile->period_type->type),
                                                 profile_string (profile, profile->period_type->unit));
      pw_profile_builder_set_metadata (builder, "pprof.period", period);
    }
  if (profile->n_comment > 0)
    {
      g_autoptr(GString) comments = g_string_new (NULL);

      for (gsize i = 0; i < profile->n_comment && i < 100; i++)
        {
          if (i > 0)
            g_string_append_c (comments, '\n');
          g_string_append (comments, profile_string (profile, profile->comment[i]));
        }
      if (g_utf8_validate (comments->str, -1, NULL))
        pw_profile_builder_set_metadata (builder, "pprof.comments", comments->str);
    }

  /* The profile covers [time_nanos, time_nanos + duration_nanos]; samples
   * carry no times of their own. */
  if (profile->duration_nanos > 0 && profile->time_nanos >= 0
      && profile->time_nanos <= G_MAXINT64 - profile->duration_nanos)
    {
      pw_profile_builder_extend (builder, profile->time_nanos);
      pw_profile_builder_extend (builder, profile->time_nanos + profile->duration_nanos);
    }

  for (gsize i = 0; i < profile->n_location; i++)
    if (profile->location[i] != NULL)
      g_hash_table_insert (self->locations, &profile->location[i]->id, GSIZE_TO_POINTER (i + 1));
  for (gsize i = 0; i < profile->n_function; i++)
    if (profile->function[i] != NULL)
      g_hash_table_insert (self->functions, &profile->function[i]->id, GSIZE_TO_POINTER (i + 1));
  self->location_frames = g_new (gint64, MAX (profile->n_location, 1));
  self->location_n_frames = g_new0 (guint, MAX (profile->n_location, 1));
  for (gsize i = 0; i < profile->n_location; i++)
    self->location_frames[i] = -1;

  for (gsize i = 0; i < profile->n_sample; i++)
    {
      const Sample *sample = profile->sample[i];
      guint32 stack = PW_NO_STACK;
      guint64 total_frames, skip;
      gint64 weight;

      if (sample == NULL)
        continue;
      if (sample->n_value <= default_index)
        {
          n_short_samples++;
          continue;
        }
      weight = sample->value[default_index];
      if (scale != 1)
        weight = weight > G_MAXINT64 / scale ? G_MAXINT64 : weight < G_MININT64 / scale ? G_MININT64 : weight * scale;

      /* Leaf first in the file: walk from the root end. */
      g_array_set_size (sample_locations, 0);
      total_frames = 0;
      for (gsize k = sample->n_location_id; k > 0; k--)
        {
          gpointer value = g_hash_table_lookup (self->locations, &sample->location_id[k - 1]);
          const guint32 *frames;
          guint n_frames;
          guint index;

          if (value == NULL)
            {
              n_unknown_locations++;
              continue;
            }
          index = GPOINTER_TO_UINT (value) - 1;
          location_frames (self, index, &frames, &n_frames);
          g_array_append_val (sample_locations, index);
          total_frames += n_frames;
        }

      /* Keep the leaf end of a runaway stack: that is where time is spent. */
      skip = total_frames > MAX_STACK_FRAMES ? total_frames - MAX_STACK_FRAMES : 0;
      if (skip > 0 && !self->deep_warned)
        {
          pw_profile_builder_add_warning (builder,
                                          _("Some stacks are deeper than %d frames; their outermost frames were dropped"),
                                          MAX_STACK_FRAMES);
          self->deep_warned = TRUE;
        }

      for (guint k = 0; k < sample_locations->len; k++)
        {
          guint index = g_array_index (sample_locations, guint, k);
          const guint32 *frames;
          guint n_frames;
          gint64 key;
          gpointer value;

          location_frames (self, index, &frames, &n_frames);
          if (skip >= n_frames)
            {
              skip -= n_frames;
              continue;
            }
          if (skip > 0)
            {
              for (guint f = skip; f < n_frames; f++)
                stack = pw_profile_builder_push_frame (builder, stack, frames[f]);
              skip = 0;
              continue;
            }

          /* A location below a given stack always gives the same stack:
           * the work per sample is one lookup per location, however many
           * inlined lines they carry. */
          key = (gint64) (((guint64) index << 32) | stack);
          if (g_hash_table_lookup_extended (self->pushed, &key, NULL, &value))
            {
              stack = GPOINTER_TO_UINT (value);
              continue;
            }
          for (guint f = 0; f < n_frames; f++)
            stack = pw_profile_builder_push_frame (builder, stack, frames[f]);
          {
            gint64 *stored = arena_alloc (self->arena, sizeof key);

            if (stored != NULL)
              {
                *stored = key;
                g_hash_table_insert (self->pushed, stored, GUINT_TO_POINTER (stack));
              }
          }
        }

      pw_profile_builder_add_sample (builder, sample_lane (self, sample), -1, weight, stack);
    }

  if (n_unknown_locations > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%u stack entries refer to locations the profile does not define; they were left out"),
                                    n_unknown_locations);
  if (n_short_samples > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%" PRIu64 " samples have fewer values than sample types; they were left out"),
                                    n_short_samples);

  return TRUE;
}

static gboolean
pprof_load (PwInput           *input,
            PwProfileBuilder  *builder,
            GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len, bad_offset = 0;
  Profile *profile;
  PprofLoader loader = { 0 };
  Arena arena = { 0 };
  ProtobufCAllocator allocator;
  gboolean ok;

  if (!(bytes = pw_input_read_all (input, MAX_PROFILE_SIZE, error)))
    return FALSE;
  data = g_bytes_get_data (bytes, &len);

  arena.blocks = g_ptr_array_new_with_free_func (g_free);
  allocator.alloc = arena_alloc;
  allocator.free = arena_free;
  allocator.allocator_data = &arena;

  profile = perftools__profiles__profile__unpack (&allocator, len, data);
  if (profile == NULL)
    {
      /* A file cut short decodes up to its last complete field. */
      gsize prefix = complete_prefix (data, len, &bad_offset);

      if (prefix > 0 && prefix < len)
        profile = perftools__profiles__profile__unpack (&allocator, prefix, data);

      if (profile == NULL)
        {
          g_ptr_array_unref (arena.blocks);
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                       _("%s: not a pprof profile: protobuf decoding failed (%" "zu"
                         " bytes; the first malformed field starts at byte %zu)"),
                       pw_input_get_display_name (input), len, bad_offset);
          return FALSE;
        }

      pw_profile_builder_add_warning (builder,
                                      _("The profile data ends early or is damaged at byte %" "zu"
                                        " of %zu: showing what came before"),
                                      prefix, len);
    }

  loader.builder = builder;
  loader.profile = profile;
  loader.locations = g_hash_table_new (g_int64_hash, g_int64_equal);
  loader.functions = g_hash_table_new (g_int64_hash, g_int64_equal);
  loader.lanes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  loader.frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  loader.pushed = g_hash_table_new (pushed_key_hash, g_int64_equal);
  loader.arena = &arena;

  ok = import_profile (&loader, input, error);

  g_hash_table_unref (loader.locations);
  g_hash_table_unref (loader.functions);
  g_hash_table_unref (loader.lanes);
  g_hash_table_unref (loader.pushed);
  g_array_unref (loader.frames);
  g_free (loader.location_frames);
  g_free (loader.location_n_frames);
  g_ptr_array_unref (arena.blocks);

  return ok;
}

/* Reads one varint; returns the bytes used, 0 when malformed or cut off. */
static gsize
read_varint (const guint8 *p,
             gsize         len,
             guint64      *value)
{
  guint64 v = 0;

  for (gsize i = 0; i < len && i < 10; i++)
    {
      v |= (guint64) (p[i] & 0x7f) << (7 * i);
      if ((p[i] & 0x80) == 0)
        {
          *value = v;
          return i + 1;
        }
    }

  return 0;
}

static gboolean
has_pprof_name (const char *filename)
{
  return filename != NULL
         && (g_str_has_suffix (filename, ".pb.gz") || g_str_has_suffix (filename, ".pprof")
             || g_str_has_suffix (filename, ".prof") || g_str_has_suffix (filename, ".pb")
             || g_str_has_suffix (filename, ".pprof.gz") || g_str_has_suffix (filename, ".prof.gz"));
}

static guint
pprof_sniff (const guint8 *head,
             gsize         len,
             const char   *filename)
{
  gboolean binary = FALSE;
  gsize pos = 0;
  guint n_fields = 0;
  guint64 tag, length;
  gsize used;

  if (len < 2)
    return 0;

  /* pprof is binary: a text format never gets claimed. */
  for (gsize i = 0; i < MIN (len, 4096) && !binary; i++)
    if (head[i] < 0x20 && head[i] != '\n' && head[i] != '\r' && head[i] != '\t')
      binary = TRUE;
    else if (head[i] == 0x7f)
      binary = TRUE;
  if (!binary)
    return 0;

  /* Go's runtime/pprof starts with the sample types (field 1,
   * length-delimited); older writers start with time_nanos or others. The
   * fields in the head must all be Profile's. */

  while (pos < len && n_fields < 64)
    {
      guint field;
      guint wire;

      if (!(used = read_varint (head + pos, len - pos, &tag)))
        break;
      field = tag >> 3;
      wire = tag & 7;
      pos += used;

      /* 1-6 and 11 are messages or strings, 13 packed or single ints, the
       * rest varints. */
      if (field == 0 || field > 15
          || ((field <= 6 || field == 11) && wire != 2)
          || (field >= 7 && field != 11 && field != 13 && wire != 0)
          || (field == 13 && wire != 0 && wire != 2))
        return has_pprof_name (filename) ? 10 : 0;

      if (wire == 0)
        {
          if (!(used = read_varint (head + pos, len - pos, &length)))
            break;
          pos += used;
        }
      else
        {
          if (!(used = read_varint (head + pos, len - pos, &length)))
            break;
          pos += used;
          if (field == 1 && (length == 0 || length > 64))
            return has_pprof_name (filename) ? 10 : 0;
          if (length > len - pos)
            {
              n_fields++;
              break;
            }
          pos += length;
        }
      n_fields++;
    }

  if (n_fields == 0 || (head[0] != 0x0a && n_fields < 3))
    return has_pprof_name (filename) ? 10 : 0;

  return (head[0] == 0x0a ? 60 : 50) + (has_pprof_name (filename) ? 20 : 0);
}

static const char * const pprof_patterns[] = { "*.pb.gz", "*.pprof", "*.prof", "*.pb", NULL };
static const char * const pprof_mime_types[] = { "application/x-protobuf", "application/vnd.google.protobuf", NULL };

const PwImporter _pw_importer_pprof = {
  .id = "pprof",
  .name = N_("pprof profile"),
  .patterns = pprof_patterns,
  .mime_types = pprof_mime_types,
  .sniff = pprof_sniff,
  .load = pprof_load,
};
