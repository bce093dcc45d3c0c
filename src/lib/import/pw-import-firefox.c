/* pw-import-firefox.c: Firefox Profiler (Gecko and processed formats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-firefox"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"
#include "pw-json-stream.h"

/* Profiles can be hundreds of MB (one long recording of many threads), so
 * the file is streamed through yajl. Its tables are column-oriented (a
 * Gecko table is {schema: {column: position}, data: [[row], ...]}, a
 * processed one {column: [values], length}); they are kept as compact
 * columns of numbers while reading and turned into samples, stacks and
 * markers at the end, when every "schema" and "meta" is known whatever
 * their place in the file. */

#define MAX_JSON_DEPTH     256
#define MAX_PROCESS_DEPTH  8
/* A thread or process given as a JSON string is parsed from the string;
 * strings in strings beyond this are not worth reading. */
#define MAX_STRING_DEPTH   (MAX_PROCESS_DEPTH + 2)
#define MAX_THREADS        10000
/* Threads and processes read; more than MAX_THREADS, as some may be
 * processes without threads. */
#define MAX_UNITS          (4 * MAX_THREADS)
#define MAX_OPEN_MARKERS   10000
/* Gecko rows keep their first cells only; real schemas have about ten. */
#define MAX_POSITIONS      64
#define MAX_ROWS           ((guint) G_MAXINT32)
/* Times are milliseconds, startTime since the Unix epoch: beyond this
 * (the year 2096) a time is nonsense, and twice it still fits in gint64
 * nanoseconds. */
#define MAX_TIME_MS        4e12
#define CANCEL_CHECK_MASK  0xffff

#define INT_NULL           G_MININT32
/* MarkerData.pos of an object in the processed "data" column */
#define POS_NAMED          G_MAXUINT32

typedef enum
{
  SLOT_STACK,
  SLOT_TIME,
  SLOT_TIME_DELTAS,
  SLOT_WEIGHT,
  SLOT_PREFIX,
  SLOT_FRAME,
  SLOT_LOCATION,
  SLOT_FUNC,
  SLOT_NAME,
  SLOT_START_TIME,
  SLOT_END_TIME,
  SLOT_DATA,
  N_SLOTS,
  SLOT_NONE = N_SLOTS,
} Slot;

typedef enum
{
  K_OTHER,
  /* the column names, in Slot order */
  K_STACK,
  K_TIME,
  K_TIME_DELTAS,
  K_WEIGHT,
  K_PREFIX,
  K_FRAME,
  K_LOCATION,
  K_FUNC,
  K_NAME,
  K_START_TIME,
  K_END_TIME,
  K_DATA,
  /* the others */
  K_META,
  K_THREADS,
  K_PROCESSES,
  K_SHARED,
  K_STRING_ARRAY,
  K_STRING_TABLE,
  K_PROFILE,
  K_SAMPLES,
  K_STACK_TABLE,
  K_FRAME_TABLE,
  K_FUNC_TABLE,
  K_MARKERS,
  K_PROCESS_NAME,
  K_PROCESS_TYPE,
  K_PID,
  K_TID,
  K_SCHEMA,
  K_LENGTH,
  K_WEIGHT_TYPE,
  K_INTERVAL,
  K_CATEGORY,
  K_PRODUCT,
  K_VERSION,
  K_PPV,
  K_PLATFORM,
  K_MISC,
  N_KEYS,
} Key;

typedef struct
{
  const char *name;
  gsize       len;
} KeyName;

#define KEY(str) { str, sizeof str - 1 }

static const KeyName key_names[N_KEYS] = {
  [K_STACK] = KEY ("stack"),
  [K_TIME] = KEY ("time"),
  [K_TIME_DELTAS] = KEY ("timeDeltas"),
  [K_WEIGHT] = KEY ("weight"),
  [K_PREFIX] = KEY ("prefix"),
  [K_FRAME] = KEY ("frame"),
  [K_LOCATION] = KEY ("location"),
  [K_FUNC] = KEY ("func"),
  [K_NAME] = KEY ("name"),
  [K_START_TIME] = KEY ("startTime"),
  [K_END_TIME] = KEY ("endTime"),
  [K_DATA] = KEY ("data"),
  [K_META] = KEY ("meta"),
  [K_THREADS] = KEY ("threads"),
  [K_PROCESSES] = KEY ("processes"),
  [K_SHARED] = KEY ("shared"),
  [K_STRING_ARRAY] = KEY ("stringArray"),
  [K_STRING_TABLE] = KEY ("stringTable"),
  [K_PROFILE] = KEY ("profile"),
  [K_SAMPLES] = KEY ("samples"),
  [K_STACK_TABLE] = KEY ("stackTable"),
  [K_FRAME_TABLE] = KEY ("frameTable"),
  [K_FUNC_TABLE] = KEY ("funcTable"),
  [K_MARKERS] = KEY ("markers"),
  [K_PROCESS_NAME] = KEY ("processName"),
  [K_PROCESS_TYPE] = KEY ("processType"),
  [K_PID] = KEY ("pid"),
  [K_TID] = KEY ("tid"),
  [K_SCHEMA] = KEY ("schema"),
  [K_LENGTH] = KEY ("length"),
  [K_WEIGHT_TYPE] = KEY ("weightType"),
  [K_INTERVAL] = KEY ("interval"),
  [K_CATEGORY] = KEY ("category"),
  [K_PRODUCT] = KEY ("product"),
  [K_VERSION] = KEY ("version"),
  [K_PPV] = KEY ("preprocessedProfileVersion"),
  [K_PLATFORM] = KEY ("platform"),
  [K_MISC] = KEY ("misc"),
};

#undef KEY

typedef enum
{
  TABLE_SAMPLES,
  TABLE_STACKS,
  TABLE_FRAMES,
  TABLE_FUNCS,
  TABLE_MARKERS,
  N_TABLES,
} TableId;

/* meta members shown as metadata, as set_meta() formats them */
typedef enum
{
  META_PRODUCT,
  META_VERSION,
  META_PPV,
  META_INTERVAL,
  META_PLATFORM,
  META_MISC,
  N_META_VALUES,
} MetaValue;

/* A column of numbers: 32-bit integers (indices, mostly) until a value
 * that is not one comes, then doubles. */
typedef struct
{
  GArray *ints;      /* gint32, INT_NULL for a missing value */
  GArray *doubles;   /* NAN for a missing value; replaces ints */
} Col;

/* A marker's "data" object: the members the markers use. */
typedef struct
{
  guint32     row;
  guint32     pos;         /* its cell in a Gecko row, or POS_NAMED */
  double      start;       /* NAN when absent */
  double      end;
  guint8      interval;    /* 0 none, 1 "start", 2 "end" */
  const char *category;
} MarkerData;

typedef struct
{
  /* Gecko */
  gint64      schema[N_SLOTS];        /* -1: not in the schema */
  gboolean    schema_seen;
  gboolean    data_seen;
  gboolean    positions_fixed;        /* schema known when data began */
  guint64     wanted;                 /* then: the positions it names */
  Col        *by_pos[MAX_POSITIONS];
  guint       n_rows;
  /* processed */
  gboolean    named_seen[N_SLOTS];
  Col         named[N_SLOTS];
  gint64      length;                 /* -1 absent */
  /* both */
  gboolean    is_markers;
  GArray     *objects;                /* MarkerData */
  const char *weight_type;
} Table;

typedef enum
{
  UNIT_OTHER,        /* not an object: skipped */
  UNIT_OBJECT,       /* a thread or a (sub-)profile */
  UNIT_BAD_STRING,   /* a JSON string that does not parse */
} UnitKind;

typedef struct _Unit Unit;

/* An object of "threads" or "processes", or the top level: a profile when
 * it has "meta" and "threads", else a thread. Both sets of members are
 * read, as the decision needs both. */
struct _Unit
{
  UnitKind    kind;
  gboolean    from_string;
  gboolean    complete;          /* its closing brace was read */
  char       *message;           /* UNIT_BAD_STRING */

  /* as a profile */
  gboolean    has_meta_member;
  gboolean    has_threads_member;
  gboolean    meta_object;
  gboolean    threads_array;
  gboolean    processes_array;
  gboolean    meta_has_ppv;
  gboolean    meta_has_start;
  double      meta_start;
  gboolean    meta_has_interval;
  double      meta_interval;
  gboolean    meta_has_process_type;
  gint64      meta_process_type;
  const char *meta_values[N_META_VALUES];
  GPtrArray  *threads;           /* Unit */
  GPtrArray  *processes;         /* Unit */
  GPtrArray  *shared_strings;    /* const char *, NULL for a non-string */
  Unit       *wrapped;           /* top level: the DevTools wrapper's profile */

  /* as a thread */
  const char *name;
  const char *process_name;
  const char *process_type;
  gboolean    has_process_type_num;
  gint64      process_type_num;
  gboolean    has_pid;
  gint64      pid;
  gboolean    has_tid;
  gint64      tid;
  Table      *tables[N_TABLES];
  GPtrArray  *string_table;
  GPtrArray  *string_array;
};

typedef enum
{
  C_IGNORE,
  C_UNIT,           /* obj: Unit */
  C_META,           /* obj: Unit */
  C_UNIT_LIST,      /* obj: GPtrArray of Unit */
  C_SHARED,         /* obj: Unit */
  C_STRINGS,        /* obj: GPtrArray of strings */
  C_TABLE,          /* obj: Table */
  C_SCHEMA,         /* obj: Table */
  C_ROWS,           /* obj: Table */
  C_ROW,            /* obj: Table; index: the row */
  C_COLUMN,         /* obj: Table; slot */
  C_MARKER_DATA,    /* obj: Table; index: its MarkerData */
} Context;

typedef struct
{
  guint8   ctx;
  guint8   key;
  guint8   slot;
  guint32  pos;       /* C_ROW: the next cell */
  guint32  index;
  gpointer obj;
} Frame;

typedef struct
{
  PwProfileBuilder *builder;
  PwInput          *input;
  PwJsonStream     *stream;
  GStringChunk     *strings;
  guint             n_units;
  guint             n_units_dropped;

  guint             n_threads;
  guint64           n_samples;
  guint64           n_markers;
  guint             n_processes;
  gint64            interval_ns;
  gboolean          skip_markers;
  gboolean          truncated;
  guint             n_cut_threads;
  guint             n_cycles;
  guint             n_bad_times;
  guint             n_skipped_threads;
  guint             n_bad_strings;
  char             *first_bad_string;
} Loader;

typedef struct
{
  Loader  *loader;
  Frame   *frames;
  guint    depth;
  Unit    *root;
  guint    string_depth;
  GError  *error;
} Parser;

/* Columns */

static guint
col_len (const Col *col)
{
  if (col->doubles != NULL)
    return col->doubles->len;
  return col->ints != NULL ? col->ints->len : 0;
}

static void
col_clear (Col *col)
{
  g_clear_pointer (&col->ints, g_array_unref);
  g_clear_pointer (&col->doubles, g_array_unref);
}

static void
col_to_doubles (Col *col)
{
  guint len = col->ints != NULL ? col->ints->len : 0;

  col->doubles = g_array_sized_new (FALSE, FALSE, sizeof (double), MAX (len, 16));
  g_array_set_size (col->doubles, len);
  for (guint i = 0; i < len; i++)
    {
      gint32 v = g_array_index (col->ints, gint32, i);

      g_array_index (col->doubles, double, i) = v == INT_NULL ? NAN : (double) v;
    }
  g_clear_pointer (&col->ints, g_array_unref);
}

static void
col_append_null (Col *col)
{
  if (col->doubles != NULL)
    {
      double v = NAN;

      g_array_append_val (col->doubles, v);
    }
  else
    {
      gint32 v = INT_NULL;

      if (col->ints == NULL)
        col->ints = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_array_append_val (col->ints, v);
    }
}

static void
col_append_double (Col *col,
                   double  value)
{
  if (col->doubles == NULL)
    {
      if (value == floor (value) && value > INT_NULL && value <= G_MAXINT32)
        {
          gint32 v = (gint32) value;

          if (col->ints == NULL)
            col->ints = g_array_new (FALSE, FALSE, sizeof (gint32));
          g_array_append_val (col->ints, v);
          return;
        }
      col_to_doubles (col);
    }
  g_array_append_val (col->doubles, value);
}

static void
col_pad (Col   *col,
         guint  len)
{
  while (col_len (col) < len)
    col_append_null (col);
}

static gboolean
col_double (const Col *col,
            guint      row,
            double    *value)
{
  if (col == NULL || row >= col_len (col))
    return FALSE;
  if (col->doubles != NULL)
    {
      double v = g_array_index (col->doubles, double, row);

      if (isnan (v))
        return FALSE;
      *value = v;
      return TRUE;
    }
  else
    {
      gint32 v = g_array_index (col->ints, gint32, row);

      if (v == INT_NULL)
        return FALSE;
      *value = v;
      return TRUE;
    }
}

static gboolean
col_int (const Col *col,
         guint      row,
         gint64    *value)
{
  double d;

  if (col != NULL && col->doubles == NULL && row < col_len (col))
    {
      gint32 v = g_array_index (col->ints, gint32, row);

      if (v == INT_NULL)
        return FALSE;
      *value = v;
      return TRUE;
    }
  if (!col_double (col, row, &d) || d < -9e18 || d > 9e18)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

/* Tables, units */

static Table *
table_new (gboolean is_markers)
{
  Table *table = g_new0 (Table, 1);

  for (guint i = 0; i < N_SLOTS; i++)
    table->schema[i] = -1;
  table->length = -1;
  table->is_markers = is_markers;

  return table;
}

static void
table_clear_rows (Table *table)
{
  for (guint i = 0; i < MAX_POSITIONS; i++)
    if (table->by_pos[i] != NULL)
      {
        col_clear (table->by_pos[i]);
        g_clear_pointer (&table->by_pos[i], g_free);
      }
  table->n_rows = 0;
  if (table->objects != NULL)
    g_array_set_size (table->objects, 0);
}

static void
table_free (Table *table)
{
  if (table == NULL)
    return;
  table_clear_rows (table);
  for (guint i = 0; i < N_SLOTS; i++)
    col_clear (&table->named[i]);
  g_clear_pointer (&table->objects, g_array_unref);
  g_free (table);
}

static void unit_free (Unit *unit);

static void
unit_free_tables (Unit *unit)
{
  for (guint i = 0; i < N_TABLES; i++)
    g_clear_pointer (&unit->tables[i], table_free);
  g_clear_pointer (&unit->string_table, g_ptr_array_unref);
  g_clear_pointer (&unit->string_array, g_ptr_array_unref);
}

static void
unit_free (Unit *unit)
{
  if (unit == NULL)
    return;
  unit_free_tables (unit);
  g_clear_pointer (&unit->threads, g_ptr_array_unref);
  g_clear_pointer (&unit->processes, g_ptr_array_unref);
  g_clear_pointer (&unit->shared_strings, g_ptr_array_unref);
  g_clear_pointer (&unit->wrapped, unit_free);
  g_free (unit->message);
  g_free (unit);
}

static Unit *
unit_new (Loader   *loader,
          UnitKind  kind)
{
  Unit *unit = g_new0 (Unit, 1);

  unit->kind = kind;
  loader->n_units++;

  return unit;
}

/* Strings are not checked by yajl (it is faster so); the ones kept are
 * made valid UTF-8 here, as the model and the UI need them. */
static const char *
loader_intern (Loader     *self,
               const char *str,
               gsize       len)
{
  g_autofree char *valid = NULL;

  if (G_LIKELY (g_utf8_validate_len (str, len, NULL)))
    return g_string_chunk_insert_len (self->strings, str, len);
  valid = g_utf8_make_valid (str, len);
  return g_string_chunk_insert (self->strings, valid);
}

/* Numbers */

static gboolean
parse_number (const char *str,
              gsize       len,
              double     *value)
{
  /* Exact powers of ten: an integer of at most 15 digits divided by one
   * of them is rounded once, like strtod rounds. */
  static const double powers[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15 };
  gsize i = 0;
  gboolean negative = FALSE;
  guint digits = 0;
  guint fraction = 0;
  gboolean in_fraction = FALSE;
  gint64 v = 0;

  /* integers and plain decimals (times, indices), by far the most common,
   * without strtod */
  if (len > 0 && str[0] == '-')
    {
      negative = TRUE;
      i = 1;
    }
  for (; i < len; i++)
    {
      char c = str[i];

      if (c >= '0' && c <= '9')
        {
          if (++digits > 15)
            break;
          v = v * 10 + (c - '0');
          fraction += in_fraction;
        }
      else if (c == '.' && !in_fraction)
        in_fraction = TRUE;
      else
        break;
    }
  if (i == len && digits > 0)
    {
      double d = (double) v / powers[fraction];

      *value = negative ? -d : d;
      return TRUE;
    }

  return _pw_json_parse_double (str, len, value);
}

/* A JSON value given to a scalar callback. */
typedef enum
{
  V_NULL,
  V_BOOL,
  V_NUMBER,
  V_STRING,
} ValueKind;

typedef struct
{
  ValueKind   kind;
  const char *str;
  gsize       len;
} Value;

static gboolean
value_double (const Value *value,
              double      *d)
{
  return value->kind == V_NUMBER && parse_number (value->str, value->len, d);
}

/* As json-glib's tree was read before: numbers, truncated, or strings of
 * digits. */
static gboolean
value_int (const Value *value,
           gint64      *i)
{
  double d;

  if (value->kind == V_STRING)
    return _pw_parse_int64 (value->str, value->len, i);
  if (!value_double (value, &d) || d < -9e18 || d > 9e18)
    return FALSE;
  *i = (gint64) d;
  return TRUE;
}

static void
col_append_value (Col         *col,
                  const Value *value)
{
  double d;
  gint64 i;

  if (value->kind == V_NUMBER && parse_number (value->str, value->len, &d))
    col_append_double (col, d);
  else if (value->kind == V_STRING && _pw_parse_int64 (value->str, value->len, &i)
           && i > -9007199254740992 && i < 9007199254740992)
    col_append_double (col, (double) i);
  else
    col_append_null (col);
}

/* Parsing */

static Key
lookup_key (const unsigned char *key,
            gsize                len)
{
  for (guint k = 1; k < N_KEYS; k++)
    if (key_names[k].len == len && memcmp (key_names[k].name, key, len) == 0)
      return k;

  return K_OTHER;
}

static Slot
key_slot (Key key)
{
  return key >= K_STACK && key <= K_DATA ? (Slot) (key - K_STACK) : SLOT_NONE;
}

static TableId
key_table (Key key)
{
  switch (key)
    {
    case K_SAMPLES:
      return TABLE_SAMPLES;
    case K_STACK_TABLE:
      return TABLE_STACKS;
    case K_FRAME_TABLE:
      return TABLE_FRAMES;
    case K_FUNC_TABLE:
      return TABLE_FUNCS;
    case K_MARKERS:
      return TABLE_MARKERS;
    default:
      return N_TABLES;
    }
}

static MetaValue
key_meta_value (Key key)
{
  switch (key)
    {
    case K_PRODUCT:
      return META_PRODUCT;
    case K_VERSION:
      return META_VERSION;
    case K_PPV:
      return META_PPV;
    case K_INTERVAL:
      return META_INTERVAL;
    case K_PLATFORM:
      return META_PLATFORM;
    case K_MISC:
      return META_MISC;
    default:
      return N_META_VALUES;
    }
}

static Unit *parse_string_unit (Loader     *loader,
                                const char *text,
                                gsize       len,
                                guint       string_depth);

/* Adds an element of "threads" or "processes"; past MAX_UNITS in all,
 * elements are only counted. */
static void
list_add (Parser    *self,
          GPtrArray *list,
          Unit      *unit)
{
  if (unit == NULL)
    {
      self->loader->n_units_dropped++;
      return;
    }
  g_ptr_array_add (list, unit);
}

static gboolean
units_full (Parser *self)
{
  return self->loader->n_units >= MAX_UNITS;
}

static void
strings_add (GPtrArray   *strings,
             Loader      *loader,
             const Value *value)
{
  if (strings->len >= MAX_ROWS)
    return;
  g_ptr_array_add (strings, value != NULL && value->kind == V_STRING
                            ? (gpointer) loader_intern (loader, value->str, value->len) : NULL);
}

static void
unit_scalar (Parser      *self,
             Unit        *unit,
             Key          key,
             const Value *value)
{
  Loader *loader = self->loader;
  gboolean wanted = key == K_NAME || key == K_PROCESS_NAME || key == K_PROCESS_TYPE;
  const char *str = wanted && value->kind == V_STRING ? loader_intern (loader, value->str, value->len) : NULL;
  TableId table = key_table (key);

  /* The last of repeated members wins, as it did in a json-glib tree. */
  if (table != N_TABLES)
    {
      g_clear_pointer (&unit->tables[table], table_free);
      return;
    }

  switch (key)
    {
    case K_NAME:
      unit->name = str;
      break;
    case K_PROCESS_NAME:
      unit->process_name = str;
      break;
    case K_PROCESS_TYPE:
      unit->process_type = str;
      unit->has_process_type_num = str == NULL && value_int (value, &unit->process_type_num);
      break;
    case K_PID:
      unit->has_pid = value_int (value, &unit->pid);
      break;
    case K_TID:
      unit->has_tid = value_int (value, &unit->tid);
      break;
    case K_META:
      unit->has_meta_member = TRUE;
      unit->meta_object = FALSE;
      break;
    case K_THREADS:
      unit->has_threads_member = TRUE;
      unit->threads_array = FALSE;
      g_clear_pointer (&unit->threads, g_ptr_array_unref);
      break;
    case K_PROCESSES:
      unit->processes_array = FALSE;
      g_clear_pointer (&unit->processes, g_ptr_array_unref);
      break;
    case K_STRING_TABLE:
      g_clear_pointer (&unit->string_table, g_ptr_array_unref);
      break;
    case K_STRING_ARRAY:
      g_clear_pointer (&unit->string_array, g_ptr_array_unref);
      break;
    case K_OTHER:
    default:
      break;
    }
}

static void
meta_scalar (Unit        *unit,
             Loader      *loader,
             Key          key,
             const Value *value)
{
  MetaValue which = key_meta_value (key);
  double d;

  if (key == K_PPV)
    unit->meta_has_ppv = TRUE;
  if (key == K_START_TIME)
    unit->meta_has_start = value_double (value, &unit->meta_start);
  if (key == K_INTERVAL)
    unit->meta_has_interval = value_double (value, &unit->meta_interval);
  if (key == K_PROCESS_TYPE)
    unit->meta_has_process_type = value_int (value, &unit->meta_process_type);

  if (which == N_META_VALUES)
    return;
  if (value->kind == V_STRING)
    unit->meta_values[which] = loader_intern (loader, value->str, value->len);
  else if (value_double (value, &d))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      unit->meta_values[which] = g_string_chunk_insert (loader->strings, g_ascii_dtostr (buf, sizeof buf, d));
    }
  else
    unit->meta_values[which] = NULL;
}

static MarkerData *
add_marker_data (Table   *table,
                 guint32  row,
                 guint32  pos,
                 guint32 *index)
{
  MarkerData data = { row, pos, NAN, NAN, 0, NULL };

  if (table->objects == NULL)
    table->objects = g_array_new (FALSE, FALSE, sizeof (MarkerData));
  if (table->objects->len >= MAX_ROWS)
    return NULL;
  *index = table->objects->len;
  g_array_append_val (table->objects, data);

  return &g_array_index (table->objects, MarkerData, *index);
}

static void
marker_data_scalar (Parser      *self,
                    Frame       *frame,
                    const Value *value)
{
  Table *table = frame->obj;
  MarkerData *data = &g_array_index (table->objects, MarkerData, frame->index);
  double d;

  switch (frame->key)
    {
    case K_START_TIME:
      data->start = value_double (value, &d) ? d : NAN;
      break;
    case K_END_TIME:
      data->end = value_double (value, &d) ? d : NAN;
      break;
    case K_INTERVAL:
      data->interval = 0;
      if (value->kind == V_STRING && value->len == 5 && memcmp (value->str, "start", 5) == 0)
        data->interval = 1;
      else if (value->kind == V_STRING && value->len == 3 && memcmp (value->str, "end", 3) == 0)
        data->interval = 2;
      break;
    case K_CATEGORY:
      data->category = value->kind == V_STRING ? loader_intern (self->loader, value->str, value->len) : NULL;
      break;
    default:
      break;
    }
}

/* A cell of a Gecko row. */
static void
row_cell (Frame       *frame,
          const Value *value)
{
  Table *table = frame->obj;
  guint32 pos = frame->pos++;
  Col *col;

  if (pos >= MAX_POSITIONS || (table->positions_fixed && !(table->wanted & (G_GUINT64_CONSTANT (1) << pos))))
    return;
  col = table->by_pos[pos];
  if (col == NULL)
    col = table->by_pos[pos] = g_new0 (Col, 1);
  col_pad (col, frame->index);
  col_append_value (col, value);
}

static gboolean
fail_depth (Parser *self)
{
  if (self->error == NULL)
    {
      PwJsonPosition pos;

      _pw_json_stream_get_position (self->loader->stream, &pos);
      g_set_error (&self->error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TOO_LARGE,
                   _("%s: the JSON nests deeper than %d levels at byte %" PRIu64
                     " (line %" PRIu64 ", column %" PRIu64 ")"),
                   pw_input_get_display_name (self->loader->input), MAX_JSON_DEPTH,
                   pos.offset, pos.line, pos.column);
    }
  return FALSE;
}

static gboolean
fail_not_object (Parser *self)
{
  if (self->error == NULL)
    g_set_error (&self->error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                 _("%s: a Firefox profile is a JSON object with “meta” and “threads”"),
                 pw_input_get_display_name (self->loader->input));
  return FALSE;
}

static int
on_scalar (Parser      *self,
           const Value *value)
{
  Frame *frame;

  if (self->depth == 0)
    return self->string_depth > 0 ? 1 : fail_not_object (self);
  if (self->depth > MAX_JSON_DEPTH)
    return 1;
  frame = &self->frames[self->depth];

  switch ((Context) frame->ctx)
    {
    case C_UNIT:
      unit_scalar (self, frame->obj, frame->key, value);
      break;

    case C_META:
      meta_scalar (frame->obj, self->loader, frame->key, value);
      break;

    case C_UNIT_LIST:
      {
        Unit *unit;

        if (units_full (self))
          unit = NULL;
        else if (value->kind == V_STRING)
          unit = parse_string_unit (self->loader, value->str, value->len, self->string_depth + 1);
        else
          unit = unit_new (self->loader, UNIT_OTHER);
        list_add (self, frame->obj, unit);
      }
      break;

    case C_STRINGS:
      strings_add (frame->obj, self->loader, value);
      break;

    case C_TABLE:
      {
        Table *table = frame->obj;
        Slot slot = key_slot (frame->key);
        gint64 length;

        if (frame->key == K_LENGTH)
          table->length = value_int (value, &length) && length >= 0 ? length : -1;
        else if (frame->key == K_WEIGHT_TYPE)
          table->weight_type = value->kind == V_STRING ? loader_intern (self->loader, value->str, value->len) : NULL;
        else if (frame->key == K_SCHEMA)
          table->schema_seen = FALSE;
        else if (frame->key == K_DATA)
          {
            table->data_seen = FALSE;
            table->named_seen[SLOT_DATA] = FALSE;
          }
        else if (slot != SLOT_NONE)
          table->named_seen[slot] = FALSE;
      }
      break;

    case C_SCHEMA:
      {
        Table *table = frame->obj;
        Slot slot = key_slot (frame->key);
        gint64 index;

        if (slot != SLOT_NONE)
          table->schema[slot] = value_int (value, &index) && index >= 0 && index < G_MAXINT ? index : -1;
      }
      break;

    case C_ROWS:
      {
        Table *table = frame->obj;

        if (table->n_rows < MAX_ROWS)
          table->n_rows++;
      }
      break;

    case C_ROW:
      row_cell (frame, value);
      break;

    case C_COLUMN:
      {
        Table *table = frame->obj;
        Col *col = &table->named[frame->slot];

        if (col_len (col) < MAX_ROWS)
          col_append_value (col, value);
      }
      break;

    case C_MARKER_DATA:
      marker_data_scalar (self, frame, value);
      break;

    case C_SHARED:
    case C_IGNORE:
    default:
      break;
    }

  return 1;
}

/* What a container opened in `frame` is, with the side effects of it
 * being there (a new thread, a row counted, a table reset). */
static Context
child_context (Parser   *self,
               Frame    *frame,
               gboolean  is_map,
               Frame    *child)
{
  Loader *loader = self->loader;

  switch ((Context) frame->ctx)
    {
    case C_UNIT:
      {
        Unit *unit = frame->obj;
        Key key = frame->key;
        TableId table_id = key_table (key);

        if (table_id != N_TABLES)
          {
            g_clear_pointer (&unit->tables[table_id], table_free);
            if (!is_map)
              return C_IGNORE;
            child->obj = unit->tables[table_id] = table_new (table_id == TABLE_MARKERS);
            return C_TABLE;
          }

        switch (key)
          {
          case K_META:
            unit->has_meta_member = TRUE;
            unit->meta_object = is_map;
            unit->meta_has_ppv = FALSE;
            unit->meta_has_start = FALSE;
            unit->meta_has_interval = FALSE;
            unit->meta_has_process_type = FALSE;
            memset (unit->meta_values, 0, sizeof unit->meta_values);
            child->obj = unit;
            return is_map ? C_META : C_IGNORE;

          case K_THREADS:
          case K_PROCESSES:
            {
              GPtrArray **list = key == K_THREADS ? &unit->threads : &unit->processes;

              if (key == K_THREADS)
                {
                  unit->has_threads_member = TRUE;
                  unit->threads_array = !is_map;
                }
              else
                unit->processes_array = !is_map;
              g_clear_pointer (list, g_ptr_array_unref);
              if (is_map)
                return C_IGNORE;
              *list = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
              child->obj = *list;
              return C_UNIT_LIST;
            }

          case K_SHARED:
            if (!is_map)
              return C_IGNORE;
            child->obj = unit;
            return C_SHARED;

          case K_PROFILE:
            if (!is_map || unit != self->root || self->string_depth > 0)
              return C_IGNORE;
            g_clear_pointer (&unit->wrapped, unit_free);
            child->obj = unit->wrapped = unit_new (loader, UNIT_OBJECT);
            return C_UNIT;

          case K_STRING_TABLE:
          case K_STRING_ARRAY:
            {
              GPtrArray **list = key == K_STRING_TABLE ? &unit->string_table : &unit->string_array;

              g_clear_pointer (list, g_ptr_array_unref);
              if (is_map)
                return C_IGNORE;
              child->obj = *list = g_ptr_array_new ();
              return C_STRINGS;
            }

          case K_NAME:
            unit->name = NULL;
            return C_IGNORE;
          case K_PROCESS_NAME:
            unit->process_name = NULL;
            return C_IGNORE;
          case K_PROCESS_TYPE:
            unit->process_type = NULL;
            unit->has_process_type_num = FALSE;
            return C_IGNORE;
          case K_PID:
            unit->has_pid = FALSE;
            return C_IGNORE;
          case K_TID:
            unit->has_tid = FALSE;
            return C_IGNORE;
          default:
            return C_IGNORE;
          }
      }

    case C_META:
      {
        Unit *unit = frame->obj;
        MetaValue which = key_meta_value (frame->key);

        if (frame->key == K_PPV)
          unit->meta_has_ppv = TRUE;
        else if (frame->key == K_START_TIME)
          unit->meta_has_start = FALSE;
        else if (frame->key == K_INTERVAL)
          unit->meta_has_interval = FALSE;
        else if (frame->key == K_PROCESS_TYPE)
          unit->meta_has_process_type = FALSE;
        if (which != N_META_VALUES)
          unit->meta_values[which] = NULL;
        return C_IGNORE;
      }

    case C_UNIT_LIST:
      if (units_full (self))
        {
          list_add (self, frame->obj, NULL);
          return C_IGNORE;
        }
      if (!is_map)
        {
          list_add (self, frame->obj, unit_new (loader, UNIT_OTHER));
          return C_IGNORE;
        }
      child->obj = unit_new (loader, UNIT_OBJECT);
      list_add (self, frame->obj, child->obj);
      return C_UNIT;

    case C_SHARED:
      {
        Unit *unit = frame->obj;

        if (frame->key != K_STRING_ARRAY)
          return C_IGNORE;
        g_clear_pointer (&unit->shared_strings, g_ptr_array_unref);
        if (is_map)
          return C_IGNORE;
        child->obj = unit->shared_strings = g_ptr_array_new ();
        return C_STRINGS;
      }

    case C_STRINGS:
      strings_add (frame->obj, loader, NULL);
      return C_IGNORE;

    case C_TABLE:
      {
        Table *table = frame->obj;
        Slot slot = key_slot (frame->key);

        child->obj = table;
        if (frame->key == K_SCHEMA)
          {
            table->schema_seen = is_map;
            for (guint i = 0; i < N_SLOTS; i++)
              table->schema[i] = -1;
            return is_map ? C_SCHEMA : C_IGNORE;
          }
        if (frame->key == K_DATA)
          {
            /* Gecko rows, or the processed format's column of marker
             * data: which one is known once "schema" is (or is not). */
            table->data_seen = !is_map;
            table->named_seen[SLOT_DATA] = !is_map;
            table_clear_rows (table);
            table->positions_fixed = table->schema_seen;
            table->wanted = 0;
            if (table->positions_fixed)
              for (guint i = 0; i < N_SLOTS; i++)
                if (table->schema[i] >= 0 && table->schema[i] < MAX_POSITIONS)
                  table->wanted |= G_GUINT64_CONSTANT (1) << table->schema[i];
            return is_map ? C_IGNORE : C_ROWS;
          }
        if (frame->key == K_LENGTH)
          table->length = -1;
        else if (frame->key == K_WEIGHT_TYPE)
          table->weight_type = NULL;
        if (slot == SLOT_NONE)
          return C_IGNORE;
        col_clear (&table->named[slot]);
        table->named_seen[slot] = !is_map;
        child->slot = slot;
        return is_map ? C_IGNORE : C_COLUMN;
      }

    case C_SCHEMA:
      {
        Table *table = frame->obj;
        Slot slot = key_slot (frame->key);

        if (slot != SLOT_NONE)
          table->schema[slot] = -1;
        return C_IGNORE;
      }

    case C_ROWS:
      {
        Table *table = frame->obj;
        guint32 row = table->n_rows;

        if (table->n_rows >= MAX_ROWS)
          return C_IGNORE;
        table->n_rows++;
        child->obj = table;
        child->index = row;
        if (!is_map)
          return C_ROW;
        if (table->is_markers && add_marker_data (table, row, POS_NAMED, &child->index) != NULL)
          return C_MARKER_DATA;
        return C_IGNORE;
      }

    case C_ROW:
      {
        Table *table = frame->obj;
        guint32 pos = frame->pos++;

        if (!is_map || !table->is_markers || pos >= MAX_POSITIONS
            || (table->positions_fixed && pos != table->schema[SLOT_DATA]))
          return C_IGNORE;
        child->obj = table;
        if (add_marker_data (table, frame->index, pos, &child->index) == NULL)
          return C_IGNORE;
        return C_MARKER_DATA;
      }

    case C_COLUMN:
      {
        Table *table = frame->obj;
        Col *col = &table->named[frame->slot];

        if (col_len (col) < MAX_ROWS)
          col_append_null (col);
        return C_IGNORE;
      }

    case C_MARKER_DATA:
      {
        Table *table = frame->obj;
        MarkerData *data = &g_array_index (table->objects, MarkerData, frame->index);

        if (frame->key == K_START_TIME)
          data->start = NAN;
        else if (frame->key == K_END_TIME)
          data->end = NAN;
        else if (frame->key == K_INTERVAL)
          data->interval = 0;
        else if (frame->key == K_CATEGORY)
          data->category = NULL;
        return C_IGNORE;
      }

    case C_IGNORE:
    default:
      return C_IGNORE;
    }
}

static int
enter (Parser   *self,
       gboolean  is_map)
{
  Frame child = { C_IGNORE, K_OTHER, SLOT_NONE, 0, 0, NULL };

  if (self->depth >= MAX_JSON_DEPTH)
    return fail_depth (self);

  if (self->depth == 0)
    {
      if (!is_map)
        {
          if (self->string_depth == 0)
            return fail_not_object (self);
        }
      else
        {
          self->root->kind = UNIT_OBJECT;
          child.ctx = C_UNIT;
          child.obj = self->root;
        }
    }
  else
    child.ctx = child_context (self, &self->frames[self->depth], is_map, &child);

  self->frames[++self->depth] = child;

  return 1;
}

static int
on_end (void *ctx)
{
  Parser *self = ctx;
  Frame *frame = &self->frames[self->depth];

  if (frame->ctx == C_UNIT)
    ((Unit *) frame->obj)->complete = TRUE;
  self->depth--;

  return 1;
}

static int
on_start_map (void *ctx)
{
  return enter (ctx, TRUE);
}

static int
on_start_array (void *ctx)
{
  return enter (ctx, FALSE);
}

static int
on_map_key (void                *ctx,
            const unsigned char *key,
            size_t               len)
{
  Parser *self = ctx;

  self->frames[self->depth].key = self->frames[self->depth].ctx != C_IGNORE ? lookup_key (key, len) : K_OTHER;

  return 1;
}

static int
on_null (void *ctx)
{
  Value value = { V_NULL, NULL, 0 };

  return on_scalar (ctx, &value);
}

static int
on_boolean (void *ctx,
            int   boolean)
{
  Value value = { V_BOOL, NULL, 0 };

  return on_scalar (ctx, &value);
}

static int
on_number (void       *ctx,
           const char *str,
           size_t      len)
{
  Value value = { V_NUMBER, str, len };

  return on_scalar (ctx, &value);
}

static int
on_string (void                *ctx,
           const unsigned char *str,
           size_t               len)
{
  Value value = { V_STRING, (const char *) str, len };

  return on_scalar (ctx, &value);
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
  on_end,
  on_start_array,
  on_end,
};

static void
parser_init (Parser *self,
             Loader *loader,
             guint   string_depth)
{
  memset (self, 0, sizeof *self);
  self->loader = loader;
  self->frames = g_new0 (Frame, MAX_JSON_DEPTH + 1);
  self->root = unit_new (loader, UNIT_OTHER);
  self->string_depth = string_depth;
}

static void
parser_clear (Parser *self)
{
  g_clear_pointer (&self->frames, g_free);
  g_clear_pointer (&self->root, unit_free);
  g_clear_error (&self->error);
}

/* Old Gecko profiles give threads and sub-process profiles as JSON strings;
 * the string is in memory already, its tables are read like the file's. */
static Unit *
parse_string_unit (Loader     *loader,
                   const char *text,
                   gsize       len,
                   guint       string_depth)
{
  Parser parser;
  yajl_handle handle;
  yajl_status status;
  Unit *unit;

  if (string_depth > MAX_STRING_DEPTH)
    {
      unit = unit_new (loader, UNIT_OTHER);
      unit->from_string = TRUE;
      return unit;
    }

  parser_init (&parser, loader, string_depth);
  handle = yajl_alloc (&callbacks, NULL, &parser);
  yajl_config (handle, yajl_dont_validate_strings, 1);
  status = yajl_parse (handle, (const unsigned char *) text, len);
  if (status == yajl_status_ok)
    status = yajl_complete_parse (handle);

  if (status != yajl_status_ok || len == 0)
    {
      g_autofree char *what = NULL;

      if (parser.error != NULL)
        what = g_strdup (parser.error->message);
      else if (len == 0)
        what = g_strdup (_("it is empty"));
      else
        what = _pw_json_describe_error (handle);
      unit = unit_new (loader, UNIT_BAD_STRING);
      unit->message = g_strdup_printf (_("%s: a thread given as a string is not valid JSON at byte %zu of the string: %s"),
                                       pw_input_get_display_name (loader->input),
                                       MIN (yajl_get_bytes_consumed (handle), len), what);
    }
  else
    unit = g_steal_pointer (&parser.root);

  unit->from_string = TRUE;
  yajl_free (handle);
  parser_clear (&parser);

  return unit;
}

/* Building */

/* A table as the importer reads it: Gecko rows when it has both "schema"
 * and "data", else columns by name. */
typedef struct
{
  const Table *table;
  gboolean     gecko;
  guint        length;
} TableView;

typedef struct
{
  gboolean   present;
  const Col *col;
} Column;

static gboolean
table_view (TableView   *view,
            const Table *table,
            Slot         key)
{
  memset (view, 0, sizeof *view);
  if (table == NULL)
    return FALSE;
  view->table = table;

  if (table->schema_seen && table->data_seen)
    {
      view->gecko = TRUE;
      view->length = table->n_rows;
      return TRUE;
    }

  if (!table->named_seen[key])
    return FALSE;
  view->length = key == SLOT_DATA ? table->n_rows : col_len (&table->named[key]);
  /* "length" may be smaller than a column, never larger. */
  if (table->length >= 0 && (guint64) table->length < view->length)
    view->length = table->length;

  return TRUE;
}

static Column
table_column (const TableView *view,
              Slot             slot)
{
  Column column = { FALSE, NULL };
  const Table *table = view->table;

  if (table == NULL)
    return column;
  if (view->gecko)
    {
      gint64 index = table->schema[slot];

      column.present = index >= 0;
      if (index >= 0 && index < MAX_POSITIONS)
        column.col = table->by_pos[index];
    }
  else if (table->named_seen[slot])
    {
      column.present = TRUE;
      column.col = &table->named[slot];
    }

  return column;
}

/* The marker data objects of the "data" column, one per row at most. */
static GPtrArray *
table_marker_data (const TableView *view)
{
  const Table *table = view->table;
  GPtrArray *list = g_ptr_array_new ();
  guint32 pos = POS_NAMED;

  if (table == NULL || table->objects == NULL)
    return list;
  if (view->gecko)
    {
      if (table->schema[SLOT_DATA] < 0 || table->schema[SLOT_DATA] >= MAX_POSITIONS)
        return list;
      pos = table->schema[SLOT_DATA];
    }
  else if (!table->named_seen[SLOT_DATA])
    return list;

  /* The rows' objects come in row order. */
  for (guint i = 0; i < table->objects->len; i++)
    {
      MarkerData *data = &g_array_index (table->objects, MarkerData, i);

      if (data->pos == pos && (list->len == 0 || ((MarkerData *) g_ptr_array_index (list, list->len - 1))->row < data->row))
        g_ptr_array_add (list, data);
    }

  return list;
}

static const char *
string_at (GPtrArray *strings,
           gint64     index)
{
  if (strings == NULL || index < 0 || index >= strings->len)
    return NULL;
  return g_ptr_array_index (strings, index);
}

/* Milliseconds since the profile start to absolute nanoseconds, keeping
 * sub-microsecond precision that a double of epoch nanoseconds would lose. */
static gboolean
ms_to_ns (double  ms,
          gint64 *ns)
{
  double whole;

  if (!isfinite (ms) || fabs (ms) > MAX_TIME_MS)
    return FALSE;
  whole = floor (ms);
  *ns = (gint64) whole * PW_NSEC_PER_MSEC + (gint64) llround ((ms - whole) * 1e6);
  return TRUE;
}

typedef struct
{
  Loader     *loader;
  TableView   stacks;
  Column      stack_prefix;
  Column      stack_frame;
  TableView   frames;
  Column      frame_location;  /* Gecko: string index */
  Column      frame_func;      /* processed: funcTable row */
  TableView   funcs;
  Column      func_name;
  GPtrArray  *strings;
  guint32    *resolved;        /* stack index -> builder stack */
  guint8     *state;           /* 0 new, 1 being resolved, 2 done */
  guint32    *frame_names;     /* frame index -> interned name + 1, 0 unknown */
} ThreadTables;

static guint32
frame_name (ThreadTables *t,
            gint64        frame)
{
  Loader *self = t->loader;
  const char *name = NULL;
  gint64 index;
  guint32 id;

  if (frame < 0 || frame >= t->frames.length)
    return pw_profile_builder_intern (self->builder, _("(unknown frame)"), -1);
  if (t->frame_names[frame] != 0)
    return t->frame_names[frame] - 1;

  if (t->frame_func.present)
    {
      if (col_int (t->frame_func.col, frame, &index) && index >= 0 && index < t->funcs.length
          && col_int (t->func_name.col, index, &index))
        name = string_at (t->strings, index);
    }
  else if (col_int (t->frame_location.col, frame, &index))
    {
      name = string_at (t->strings, index);
    }

  id = pw_profile_builder_intern (self->builder, name != NULL ? name : _("(unknown frame)"), -1);
  t->frame_names[frame] = id + 1;

  return id;
}

/* Stack indices are resolved once each, root first, without recursion;
 * a prefix chain that loops back is cut where it closes. */
static guint32
resolve_stack (ThreadTables *t,
               gint64        stack,
               GArray       *chain)
{
  guint32 parent = PW_NO_STACK;

  if (stack < 0 || stack >= t->stacks.length)
    return PW_NO_STACK;
  if (t->state[stack] == 2)
    return t->resolved[stack];

  g_array_set_size (chain, 0);
  for (gint64 s = stack; ; )
    {
      gint64 prefix;

      g_array_append_val (chain, s);
      t->state[s] = 1;
      if (!col_int (t->stack_prefix.col, s, &prefix) || prefix < 0 || prefix >= t->stacks.length)
        break;
      if (t->state[prefix] == 2)
        {
          parent = t->resolved[prefix];
          break;
        }
      if (t->state[prefix] == 1)
        {
          t->loader->n_cycles++;
          break;
        }
      s = prefix;
    }

  for (guint i = chain->len; i > 0; i--)
    {
      gint64 s = g_array_index (chain, gint64, i - 1);
      gint64 frame = -1;

      col_int (t->stack_frame.col, s, &frame);
      parent = pw_profile_builder_push_frame (t->loader->builder, parent, frame_name (t, frame));
      t->resolved[s] = parent;
      t->state[s] = 2;
    }

  return parent;
}

static const char *
process_label (const Unit *thread,
               const Unit *meta)
{
  const char *type = thread->process_type;
  gint64 type_num = -1;

  if (thread->process_name != NULL)
    return thread->process_name;
  if (type == NULL)
    {
      if (thread->has_process_type_num)
        type_num = thread->process_type_num;
      else if (meta != NULL && meta->meta_has_process_type)
        type_num = meta->meta_process_type;
    }

  if (g_strcmp0 (type, "default") == 0 || type_num == 0)
    return _("Parent Process");
  if (g_strcmp0 (type, "tab") == 0 || type_num == 2)
    return _("Content Process");
  if (g_strcmp0 (type, "gpu") == 0)
    return _("GPU Process");
  return NULL;
}

static void
import_markers (Loader    *self,
                Unit      *thread,
                GPtrArray *strings,
                guint      lane,
                gint64     start_ns)
{
  TableView markers;
  Column name_col, time_col, start_col, end_col;
  g_autoptr(GHashTable) open = NULL;   /* name id -> GArray of start ns */
  g_autoptr(GPtrArray) objects = NULL;
  guint next_object = 0;

  if (!table_view (&markers, thread->tables[TABLE_MARKERS], SLOT_NAME))
    return;

  name_col = table_column (&markers, SLOT_NAME);
  time_col = table_column (&markers, SLOT_TIME);
  start_col = table_column (&markers, SLOT_START_TIME);
  end_col = table_column (&markers, SLOT_END_TIME);
  objects = table_marker_data (&markers);
  open = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < markers.length; i++)
    {
      const MarkerData *data = NULL;
      const char *name = NULL;
      gint64 name_index;
      double t0, t1;
      gint64 ns0, ns1;
      guint32 name_id;

      while (next_object < objects->len && ((MarkerData *) g_ptr_array_index (objects, next_object))->row < i)
        next_object++;
      if (next_object < objects->len && ((MarkerData *) g_ptr_array_index (objects, next_object))->row == i)
        data = g_ptr_array_index (objects, next_object);

      if (col_int (name_col.col, i, &name_index))
        name = string_at (strings, name_index);
      if (name == NULL)
        continue;
      name_id = pw_profile_builder_intern (self->builder, name, -1);

      /* An interval in one marker: data.startTime/endTime (Gecko) or the
       * startTime/endTime columns (newer processed). */
      if ((data != NULL && !isnan (data->start) && !isnan (data->end) && (t0 = data->start, t1 = data->end, TRUE))
          || (col_double (start_col.col, i, &t0) && col_double (end_col.col, i, &t1)))
        {
          if (ms_to_ns (t0, &ns0) && ms_to_ns (t1, &ns1) && ns1 >= ns0)
            {
              pw_profile_builder_add_span (self->builder, lane, start_ns + ns0, ns1 - ns0, -1, name_id,
                                           pw_profile_builder_intern (self->builder, data != NULL ? data->category : NULL, -1), 0);
              self->n_markers++;
            }
          continue;
        }

      if (!col_double (time_col.col, i, &t0) && !col_double (start_col.col, i, &t0))
        continue;
      if (!ms_to_ns (t0, &ns0))
        continue;

      /* Tracing markers come as start/end pairs of one name. */
      if (data != NULL && data->interval == 1)
        {
          GArray *stack = g_hash_table_lookup (open, GUINT_TO_POINTER (name_id));

          if (stack == NULL)
            {
              stack = g_array_new (FALSE, FALSE, sizeof (gint64));
              g_hash_table_insert (open, GUINT_TO_POINTER (name_id), stack);
            }
          if (stack->len < MAX_OPEN_MARKERS)
            g_array_append_val (stack, ns0);
        }
      else if (data != NULL && data->interval == 2)
        {
          GArray *stack = g_hash_table_lookup (open, GUINT_TO_POINTER (name_id));

          if (stack != NULL && stack->len > 0)
            {
              gint64 begin = g_array_index (stack, gint64, stack->len - 1);

              g_array_set_size (stack, stack->len - 1);
              if (ns0 >= begin)
                {
                  pw_profile_builder_add_span (self->builder, lane, start_ns + begin, ns0 - begin, -1, name_id,
                                               pw_profile_builder_intern (self->builder, data->category, -1), 0);
                  self->n_markers++;
                }
            }
        }
      else
        {
          pw_profile_builder_add_instant (self->builder, lane, start_ns + ns0, name_id);
          self->n_markers++;
        }
    }
}

static gboolean
check_cancelled (Loader  *self,
                 GError **error)
{
  GCancellable *cancellable = pw_input_get_cancellable (self->input);

  return cancellable != NULL && g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
import_thread (Loader   *self,
               Unit     *thread,
               Unit     *meta,
               gint64    start_ns,
               gint64    default_pid,
               GPtrArray *shared_strings,
               GError  **error)
{
  ThreadTables t = { 0 };
  TableView samples;
  Column sample_stack, sample_time, sample_delta, sample_weight;
  g_autoptr(GArray) chain = NULL;
  const char *weight_type;
  const char *process;
  gint64 pid, tid;
  gint64 weight_scale = self->interval_ns;
  double time_ms = 0;
  guint lane;
  gboolean ok = TRUE;

  t.loader = self;
  if (!table_view (&samples, thread->tables[TABLE_SAMPLES], SLOT_STACK))
    {
      self->n_skipped_threads++;
      return TRUE;
    }
  /* A thread cut by the end of the file is shown only when its stacks
   * came before the cut. */
  if (!thread->complete
      && (thread->tables[TABLE_STACKS] == NULL || thread->tables[TABLE_FRAMES] == NULL
          || (thread->string_table == NULL && thread->string_array == NULL && shared_strings == NULL)))
    {
      self->n_cut_threads++;
      return TRUE;
    }

  chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  table_view (&t.stacks, thread->tables[TABLE_STACKS], SLOT_FRAME);
  if (!table_view (&t.frames, thread->tables[TABLE_FRAMES], SLOT_FUNC))
    table_view (&t.frames, thread->tables[TABLE_FRAMES], SLOT_LOCATION);
  table_view (&t.funcs, thread->tables[TABLE_FUNCS], SLOT_NAME);
  t.stack_prefix = table_column (&t.stacks, SLOT_PREFIX);
  t.stack_frame = table_column (&t.stacks, SLOT_FRAME);
  t.frame_location = table_column (&t.frames, SLOT_LOCATION);
  t.frame_func = table_column (&t.frames, SLOT_FUNC);
  t.func_name = table_column (&t.funcs, SLOT_NAME);
  t.strings = thread->string_table;
  if (t.strings == NULL)
    t.strings = thread->string_array;
  if (t.strings == NULL)
    t.strings = shared_strings;

  t.resolved = g_new0 (guint32, MAX (t.stacks.length, 1));
  t.state = g_new0 (guint8, MAX (t.stacks.length, 1));
  t.frame_names = g_new0 (guint32, MAX (t.frames.length, 1));

  pid = thread->has_pid ? thread->pid : default_pid;
  tid = thread->has_tid ? thread->tid : self->n_threads;
  lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, pid, tid);
  pw_profile_builder_set_lane_name (self->builder, lane, thread->name != NULL ? thread->name : _("(unnamed thread)"));
  pw_profile_builder_set_lane_sort_index (self->builder, lane, self->n_threads);
  process = process_label (thread, meta);
  if (process != NULL)
    pw_profile_builder_set_process_name (self->builder, pid, process);
  self->n_threads++;

  sample_stack = table_column (&samples, SLOT_STACK);
  sample_time = table_column (&samples, SLOT_TIME);
  sample_delta = table_column (&samples, SLOT_TIME_DELTAS);
  sample_weight = table_column (&samples, SLOT_WEIGHT);
  weight_type = samples.table->weight_type;
  if (g_strcmp0 (weight_type, "tracing-ms") == 0)
    weight_scale = PW_NSEC_PER_MSEC;

  for (guint i = 0; i < samples.length; i++)
    {
      gint64 stack_index = -1;
      gint64 time_ns;
      gint64 weight = self->interval_ns;
      double w;
      guint32 stack;

      if ((i & CANCEL_CHECK_MASK) == CANCEL_CHECK_MASK && check_cancelled (self, error))
        {
          ok = FALSE;
          break;
        }

      if (sample_time.present)
        {
          if (!col_double (sample_time.col, i, &time_ms))
            {
              /* the samples after a cut are not bad, only missing */
              self->n_bad_times += thread->complete;
              continue;
            }
        }
      else
        {
          double delta = 0;

          col_double (sample_delta.col, i, &delta);
          time_ms += delta;
        }
      if (!ms_to_ns (time_ms, &time_ns) || time_ns > G_MAXINT64 / 2 - start_ns)
        {
          self->n_bad_times++;
          continue;
        }

      if (col_double (sample_weight.col, i, &w) && w >= 0 && w * (double) weight_scale < 9e18)
        weight = (gint64) llround (w * (double) weight_scale);

      col_int (sample_stack.col, i, &stack_index);
      stack = resolve_stack (&t, stack_index, chain);
      pw_profile_builder_add_sample (self->builder, lane, start_ns + time_ns, weight, stack);
      self->n_samples++;
    }

  if (ok && !self->skip_markers)
    import_markers (self, thread, t.strings, lane, start_ns);

  g_free (t.resolved);
  g_free (t.state);
  g_free (t.frame_names);

  return ok;
}

static gboolean import_profile (Loader  *self,
                                Unit    *profile,
                                guint    depth,
                                GError **error);

static gboolean
import_thread_unit (Loader    *self,
                    Unit      *unit,
                    Unit      *meta,
                    gint64     start_ns,
                    gint64     pid,
                    GPtrArray *shared_strings,
                    guint      depth,
                    GError   **error)
{
  gboolean ok;

  if (self->n_threads >= MAX_THREADS)
    {
      self->n_skipped_threads++;
      return TRUE;
    }

  if (unit->kind == UNIT_BAD_STRING)
    {
      /* One damaged thread should not hide the others. */
      if (self->n_bad_strings++ == 0)
        self->first_bad_string = g_strdup (unit->message);
      return TRUE;
    }
  if (unit->kind != UNIT_OBJECT)
    {
      self->n_skipped_threads++;
      return TRUE;
    }

  if (unit->has_meta_member && unit->has_threads_member)
    return import_profile (self, unit, depth + 1, error);

  ok = import_thread (self, unit, meta, start_ns, pid, shared_strings, error);
  /* The builder has the samples now. */
  unit_free_tables (unit);

  return ok;
}

static gboolean
import_profile (Loader  *self,
                Unit    *profile,
                guint    depth,
                GError **error)
{
  Unit *meta = profile->meta_object ? profile : NULL;
  GPtrArray *threads = profile->threads_array ? profile->threads : NULL;
  GPtrArray *processes = profile->processes_array ? profile->processes : NULL;
  GPtrArray *shared_strings = profile->shared_strings;
  gint64 pid = self->n_processes++;
  gint64 start_ns = 0;

  if (depth > MAX_PROCESS_DEPTH)
    {
      self->n_skipped_threads++;
      return TRUE;
    }
  if (check_cancelled (self, error))
    return FALSE;

  if (meta != NULL && meta->meta_has_start && !ms_to_ns (meta->meta_start, &start_ns))
    start_ns = 0;
  if (depth == 0 && self->interval_ns == 0)
    {
      if (meta != NULL && meta->meta_has_interval && meta->meta_interval > 0 && meta->meta_interval < 1e6)
        self->interval_ns = MAX (1, llround (meta->meta_interval * 1e6));
      else
        self->interval_ns = 1;
    }

  for (guint i = 0; threads != NULL && i < threads->len; i++)
    if (!import_thread_unit (self, g_ptr_array_index (threads, i), meta, start_ns, pid,
                             shared_strings, depth, error))
      return FALSE;

  for (guint i = 0; processes != NULL && i < processes->len; i++)
    {
      Unit *unit = g_ptr_array_index (processes, i);

      if (unit->kind == UNIT_OBJECT && !unit->from_string)
        {
          if (!import_profile (self, unit, depth + 1, error))
            return FALSE;
        }
      else if (!import_thread_unit (self, unit, meta, start_ns, pid, shared_strings, depth, error))
        return FALSE;
    }

  return TRUE;
}

/* The processed format keeps its tables as columns (no "schema"). */
static const char *
detect_layout (Unit *profile)
{
  if (profile->meta_has_ppv)
    return "processed";
  if (profile->threads_array && profile->threads != NULL && profile->threads->len > 0)
    {
      Unit *first = g_ptr_array_index (profile->threads, 0);
      Table *samples = first->tables[TABLE_SAMPLES];

      if (first->kind == UNIT_OBJECT && !first->from_string && samples != NULL && !samples->schema_seen)
        return "processed";
    }

  return "gecko";
}

static gboolean
firefox_load (PwInput           *input,
              PwProfileBuilder  *builder,
              GError           **error)
{
  static const char * const meta_keys[N_META_VALUES] = {
    [META_PRODUCT] = "firefox.product",
    [META_VERSION] = "firefox.version",
    [META_PPV] = "firefox.preprocessedProfileVersion",
    [META_INTERVAL] = "firefox.interval_ms",
    [META_PLATFORM] = "firefox.platform",
    [META_MISC] = "firefox.misc",
  };
  Loader self = { 0 };
  Parser parser;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PwJsonStream) stream = NULL;
  PwJsonStreamResult result;
  guint64 end_offset;
  Unit *profile;
  gboolean ok = FALSE;

  self.builder = builder;
  self.input = input;
  self.strings = g_string_chunk_new (64 * 1024);
  parser_init (&parser, &self, 0);

  stream = _pw_json_stream_new (input, &callbacks, &parser, PW_JSON_STREAM_DEFAULT);
  _pw_json_stream_set_callback_error (stream, &parser.error);
  self.stream = stream;
  result = _pw_json_stream_run (stream, &local_error);
  end_offset = _pw_json_stream_get_offset (stream);
  if (result == PW_JSON_STREAM_FAILED || result == PW_JSON_STREAM_MALFORMED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  self.truncated = result == PW_JSON_STREAM_TRUNCATED;

  profile = parser.root;
  /* The DevTools performance panel (Firefox 59–63) wrapped the profile. */
  if (profile->wrapped != NULL && !profile->meta_object)
    {
      profile = profile->wrapped;
      pw_profile_builder_set_metadata (builder, "firefox.wrapper", "devtools");
      /* Its marker times use another clock than its samples. */
      self.skip_markers = TRUE;
    }

  if (profile->kind != UNIT_OBJECT || !profile->meta_object
      || (!profile->threads_array && !profile->processes_array))
    {
      if (self.truncated)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                     _("%s: not a Firefox profile: expected “meta” and “threads” at the top level"),
                     pw_input_get_display_name (input));
      goto out;
    }

  for (guint i = 0; i < N_META_VALUES; i++)
    if (profile->meta_values[i] != NULL)
      pw_profile_builder_set_metadata (builder, meta_keys[i], profile->meta_values[i]);
  pw_profile_builder_set_metadata (builder, "firefox.format", detect_layout (profile));
  pw_profile_builder_set_sample_unit (builder, "ns");

  if (!import_profile (&self, profile, 0, error))
    goto out;

  if (self.truncated)
    {
      if (self.n_samples == 0 && self.n_markers == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      if (self.n_cut_threads > 0)
        pw_profile_builder_add_warning (builder,
                                        _("The file ends early, at byte %" PRIu64 ": showing the threads read "
                                          "before; %u threads cut off before their stacks were left out"),
                                        end_offset, self.n_cut_threads);
      else
        pw_profile_builder_add_warning (builder,
                                        _("The file ends early, at byte %" PRIu64 ": showing what was read before"),
                                        end_offset);
    }

  /* The recording starts at meta.startTime, not at its first sample. */
  {
    gint64 start_ns;

    if (profile->meta_has_start && ms_to_ns (profile->meta_start, &start_ns) && self.n_samples > 0)
      pw_profile_builder_extend (builder, start_ns);
  }

  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "%u", self.n_threads);
    pw_profile_builder_set_metadata (builder, "firefox.threads", buf);
  }

  if (self.n_cycles > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%u stack prefix chains loop back on themselves; they were cut where they close"),
                                    self.n_cycles);
  if (self.n_bad_times > 0)
    pw_profile_builder_add_warning (builder, _("%u samples without a usable time were left out"), self.n_bad_times);
  if (self.n_bad_strings > 0)
    pw_profile_builder_add_warning (builder, _("%u threads given as JSON strings could not be read; the first: %s"),
                                    self.n_bad_strings, self.first_bad_string);
  if (self.n_skipped_threads > 0 || self.n_units_dropped > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%u threads or processes could not be read (no samples table, or too many or too deeply nested)"),
                                    self.n_skipped_threads + self.n_units_dropped);

  ok = TRUE;

out:
  g_free (self.first_bad_string);
  parser_clear (&parser);
  g_string_chunk_free (self.strings);

  return ok;
}

static guint
firefox_sniff (const guint8 *head,
               gsize         len,
               const char   *filename)
{
  const guint8 *p = _pw_skip_space (head, &len);

  if (len == 0 || p[0] != '{')
    return 0;

  if (_pw_head_contains (p, len, "\"meta\"")
      && (_pw_head_contains (p, len, "\"threads\"") || _pw_head_contains (p, len, "\"processes\""))
      && (_pw_head_contains (p, len, "\"stackTable\"") || _pw_head_contains (p, len, "\"stringTable\"")
          || _pw_head_contains (p, len, "\"stringArray\"") || _pw_head_contains (p, len, "\"interval\"")))
    return 85;

  /* The DevTools wrapper: {label, duration, markers, ticks, allocations,
   * ..., profile: {libs, meta, threads}}; its libs can push meta far out. */
  if (_pw_head_contains (p, len, "\"profile\":{") && _pw_head_contains (p, len, "\"duration\"")
      && _pw_head_contains (p, len, "\"label\"")
      && (_pw_head_contains (p, len, "\"ticks\"") || _pw_head_contains (p, len, "\"allocations\"")
          || _pw_head_contains (p, len, "\"meta\"")))
    return 80;

  /* A Gecko profile whose shared-library list comes first. */
  if (len > 9 && memcmp (p, "{\"libs\":[", 9) == 0
      && (_pw_head_contains (p, len, "\"breakpadId\"") || _pw_head_contains (p, len, "\"debugName\"")))
    return 70;

  return 0;
}

static const char * const firefox_patterns[] = { "*.json", "*.json.gz", NULL };
static const char * const firefox_mime_types[] = { "application/json", NULL };

const PwImporter _pw_importer_firefox = {
  .id = "firefox",
  .name = N_("Firefox Profiler"),
  .patterns = firefox_patterns,
  .mime_types = firefox_mime_types,
  .sniff = firefox_sniff,
  .load = firefox_load,
};
