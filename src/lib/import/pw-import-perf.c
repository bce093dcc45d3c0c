/* pw-import-perf.c: the text output of `perf script`
 *
 * Each sample is a header line
 *   comm pid[/tid] [cpu] seconds.micros: [period] event:
 * (cpu, time and period optional), then its call chain innermost first,
 * one "\taddr symbol+offset (dso)" per line, and a blank line. Frames are
 * named the way FlameGraph's stackcollapse-perf.pl names them, so a
 * profile read here folds like that script's output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-perf"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"

#define MAX_FRAMES 65536

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;

  /* the sample being read */
  gboolean          in_sample;
  guint             lane;
  gint64            time;
  guint32           header_frame;    /* frame printed on the header line, or 0 */
  GArray           *frames;          /* guint32 names, innermost first */

  GHashTable       *events;          /* interned event name -> count */
  GArray           *event_order;     /* guint32 event names, first seen first */
  /* Samples of different events do not add up (a cycle is not a page
   * fault): only one event's samples are kept, like perf report's first
   * section, or the one the user chose. 0 until the first is seen. */
  guint32           kept_event;
  gboolean          skip_sample;
  GHashTable       *comms;           /* interned comm -> comm */
  guint64           n_samples;
  guint64           n_invalid;
  guint64           first_invalid;
  guint64           n_deep;
  gint64            first_time;
  gint64            last_time;
  guint32           unknown;
} Parser;

typedef struct
{
  const char *s;
  gsize       len;
} Token;

static gboolean
all_digits (const char *s,
            gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_pid_token (const Token *t,
              gint64      *pid,
              gint64      *tid)
{
  const char *slash = memchr (t->s, '/', t->len);

  if (slash == NULL)
    {
      if (!all_digits (t->s, t->len) || !_pw_parse_int64 (t->s, t->len, tid))
        return FALSE;
      /* perf prints the tid alone by default: it stands for its process. */
      *pid = *tid;
      return TRUE;
    }

  return all_digits (t->s, slash - t->s) &&
         all_digits (slash + 1, t->s + t->len - (slash + 1)) &&
         _pw_parse_int64 (t->s, slash - t->s, pid) &&
         _pw_parse_int64 (slash + 1, t->s + t->len - (slash + 1), tid);
}

static gboolean
is_cpu_token (const Token *t)
{
  return t->len >= 3 && t->s[0] == '[' && t->s[t->len - 1] == ']' &&
         all_digits (t->s + 1, t->len - 2);
}

/* "12345.678901:" in seconds, to nanoseconds, exactly. */
static gboolean
parse_timestamp (const Token *t,
                 gint64      *ns)
{
  const char *dot;
  gint64 secs, frac = 0;
  gsize frac_len;

  if (t->len < 4 || t->s[t->len - 1] != ':')
    return FALSE;
  dot = memchr (t->s, '.', t->len);
  if (dot == NULL)
    return FALSE;
  frac_len = t->s + t->len - 1 - (dot + 1);
  if (!all_digits (t->s, dot - t->s) || !all_digits (dot + 1, frac_len) || dot - t->s > 9)
    return FALSE;
  if (!_pw_parse_int64 (t->s, dot - t->s, &secs))
    return FALSE;
  for (gsize i = 0; i < 9; i++)
    frac = frac * 10 + (i < frac_len ? dot[1 + i] - '0' : 0);

  *ns = secs * G_GINT64_CONSTANT (1000000000) + frac;
  return TRUE;
}

static gboolean
is_event_token (const Token *t)
{
  return t->len >= 2 && t->s[t->len - 1] == ':';
}

/* The name stackcollapse-perf.pl gives a frame: no "+0x…" offset, an
 * unknown symbol named by its binary, kernel frames marked "_[k]" and
 * JIT frames (perf map files) "_[j]". */
static guint32
intern_frame (Parser     *self,
              const char *sym,
              gsize       sym_len,
              const char *dso,
              gsize       dso_len)
{
  g_autoptr(GString) name = NULL;
  gboolean kernel, jit;
  const char *plus = NULL;

  for (gsize i = sym_len; i >= 3; i--)
    if (sym[i - 3] == '+' && sym[i - 2] == '0' && sym[i - 1] == 'x')
      {
        plus = sym + i - 3;
        break;
      }
  if (plus != NULL && plus > sym)
    {
      gboolean hex = TRUE;

      for (const char *p = plus + 3; p < sym + sym_len; p++)
        if (!g_ascii_isxdigit (*p))
          hex = FALSE;
      if (hex && plus + 3 < sym + sym_len)
        sym_len = plus - sym;
    }

  kernel = dso_len > 0 && (dso[0] == '[' || (dso_len >= 7 && memcmp (dso + dso_len - 7, "vmlinux", 7) == 0)) &&
           g_strstr_len (dso, dso_len, "unknown") == NULL;
  jit = dso_len > 10 && memcmp (dso, "/tmp/perf-", 10) == 0 &&
        dso_len > 4 && memcmp (dso + dso_len - 4, ".map", 4) == 0;

  if (!kernel && !jit && !(sym_len == 9 && memcmp (sym, "[unknown]", 9) == 0))
    return pw_profile_builder_intern (self->builder, sym, sym_len);

  name = g_string_new (NULL);
  if (sym_len == 9 && memcmp (sym, "[unknown]", 9) == 0 && dso_len > 0 &&
      !(dso_len == 9 && memcmp (dso, "[unknown]", 9) == 0))
    {
      const char *base = dso + dso_len;

      while (base > dso && base[-1] != '/')
        base--;
      if (*base == '[')
        g_string_append_len (name, base, dso + dso_len - base);
      else
        {
          g_string_append_c (name, '[');
          g_string_append_len (name, base, dso + dso_len - base);
          g_string_append_c (name, ']');
        }
    }
  else
    g_string_append_len (name, sym, sym_len);

  if (kernel)
    g_string_append (name, "_[k]");
  else if (jit)
    g_string_append (name, "_[j]");

  return pw_profile_builder_intern (self->builder, name->str, name->len);
}

/* "addr sym+off (dso)", the address optional. FALSE when the text is
 * not a frame at all. */
static gboolean
parse_frame (Parser     *self,
             const char *s,
             gsize       len,
             guint32    *frame)
{
  const char *dso = NULL;
  gsize dso_len = 0;
  const char *sym;
  gsize sym_len;
  const char *p = s;
  const char *end = s + len;

  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  if (p == end)
    return FALSE;

  /* the address */
  {
    const char *q = p;

    while (q < end && g_ascii_isxdigit (*q))
      q++;
    if (q > p && (q == end || g_ascii_isspace (*q)))
      p = q;
    while (p < end && g_ascii_isspace (*p))
      p++;
  }

  if (end > p && end[-1] == ')')
    {
      const char *open = end - 1;
      int level = 0;

      /* the last " (" that opens the final parenthesis */
      while (open > p)
        {
          if (*open == ')')
            level++;
          else if (*open == '(')
            {
              if (--level == 0)
                break;
            }
          open--;
        }
      if (*open == '(' && open > p && g_ascii_isspace (open[-1]))
        {
          dso = open + 1;
          dso_len = end - 1 - dso;
          end = open;
          while (end > p && g_ascii_isspace (end[-1]))
            end--;
        }
    }

  sym = p;
  sym_len = end - p;
  if (sym_len == 0)
    {
      sym = "[unknown]";
      sym_len = 9;
    }

  *frame = intern_frame (self, sym, sym_len, dso, dso_len);
  return TRUE;
}

static void
finish_sample (Parser *self)
{
  guint32 stack = PW_NO_STACK;

  if (!self->in_sample)
    return;
  self->in_sample = FALSE;
  if (self->skip_sample)
    {
      g_array_set_size (self->frames, 0);
      return;
    }

  if (self->frames->len == 0)
    {
      guint32 frame = self->header_frame != 0 ? self->header_frame : self->unknown;
      g_array_append_val (self->frames, frame);
    }

  for (guint i = self->frames->len; i > 0; i--)
    stack = pw_profile_builder_push_frame (self->builder, stack,
                                           g_array_index (self->frames, guint32, i - 1));

  pw_profile_builder_add_sample (self->builder, self->lane, self->time, 1, stack);
  self->n_samples++;
  g_array_set_size (self->frames, 0);
}

#define MAX_TOKENS 64

static guint
tokenize (const char *line,
          gsize       len,
          Token      *tokens)
{
  guint n = 0;
  gsize i = 0;

  while (i < len && n < MAX_TOKENS)
    {
      while (i < len && g_ascii_isspace (line[i]))
        i++;
      if (i == len)
        break;
      tokens[n].s = line + i;
      while (i < len && !g_ascii_isspace (line[i]))
        i++;
      tokens[n].len = line + i - tokens[n].s;
      n++;
    }

  return n;
}

/* "comm pid[/tid] [cpu] 123.456:" somewhere in the line: how perf script
 * prints a sample that has no call chain (perf record without -g, or
 * perf script -G), one line per sample with comm right-aligned, so the
 * line starts with spaces like a frame line would. */
static gboolean
is_timed_header (const char *line,
                 gsize       len)
{
  Token tokens[MAX_TOKENS];
  guint n = tokenize (line, len, tokens);
  gint64 pid, tid, time;

  for (guint k = 1; k + 1 < n; k++)
    {
      guint j = k + 1;

      if (!is_pid_token (&tokens[k], &pid, &tid))
        continue;
      if (is_cpu_token (&tokens[j]) && j + 1 < n)
        j++;
      if (parse_timestamp (&tokens[j], &time))
        return TRUE;
    }

  return FALSE;
}

/* perf script -F +srcline prints "file.c:42" (or "??:0") on a line of
 * its own, indented by spaces, after the frame it locates. */
static gboolean
is_srcline (const char *line,
            gsize       len)
{
  const char *p = line;
  const char *end = line + len;
  const char *colon;

  if (len == 0 || line[0] != ' ')
    return FALSE;
  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  colon = end;
  while (colon > p && g_ascii_isdigit (colon[-1]))
    colon--;
  if (colon == end || colon - 1 <= p || colon[-1] != ':')
    return FALSE;
  for (const char *q = p; q < end; q++)
    if (g_ascii_isspace (*q))
      return FALSE;

  return TRUE;
}

/* Splits a header line into tokens and finds the pid token, reading
 * from the left but checking what follows it, because comm may hold
 * spaces and digits. */
static gboolean
parse_header (Parser *self,
              char   *line,
              gsize   len)
{
  Token tokens[MAX_TOKENS];
  guint n = tokenize (line, len, tokens);
  gsize i = 0;
  gint64 pid = 0, tid = 0, time = -1;
  guint k, pid_index = 0;
  guint32 event = 0;
  const char *comm_end;

  for (k = 1; k < n; k++)
    {
      guint j = k + 1;

      if (!is_pid_token (&tokens[k], &pid, &tid))
        continue;
      /* what may follow the pid: [cpu] time: [period] event: */
      if (j < n && is_cpu_token (&tokens[j]))
        j++;
      if (j < n && parse_timestamp (&tokens[j], &time))
        j++;
      else
        time = -1;
      /* --show-task-events, --show-mmap-events and the like print the
       * records perf keeps beside the samples: PERF_RECORD_COMM, _MMAP2,
       * _FORK, _SWITCH… (some at time 0); they are no samples */
      if (time >= 0 && j < n && tokens[j].len > 12 && memcmp (tokens[j].s, "PERF_RECORD_", 12) == 0)
        {
          finish_sample (self);
          return TRUE;
        }
      if (j < n && all_digits (tokens[j].s, tokens[j].len) && j + 1 < n && is_event_token (&tokens[j + 1]))
        j++;
      if (j < n && is_event_token (&tokens[j]) && !parse_timestamp (&tokens[j], &(gint64){0}))
        {
          pid_index = k;
          event = pw_profile_builder_intern (self->builder, tokens[j].s, tokens[j].len - 1);
          i = (tokens[j].s + tokens[j].len) - line;
          break;
        }
      /* a header without event name, but with a time */
      if (time >= 0)
        {
          pid_index = k;
          i = j < n ? (gsize)(tokens[j].s - line) : len;
          break;
        }
    }

  if (pid_index == 0)
    return FALSE;

  finish_sample (self);

  /* Samples of the events not shown still tell how long the recording
   * ran, as perf report's header does. */
  self->time = time;
  if (time >= 0)
    {
      if (self->first_time < 0 || time < self->first_time)
        self->first_time = time;
      if (time > self->last_time)
        self->last_time = time;
    }

  self->skip_sample = FALSE;
  if (event != 0)
    {
      gpointer count = g_hash_table_lookup (self->events, GUINT_TO_POINTER (event + 1));

      if (count == NULL)
        g_array_append_val (self->event_order, event);
      g_hash_table_insert (self->events, GUINT_TO_POINTER (event + 1),
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
      if (self->kept_event == 0)
        self->kept_event = event;
      self->skip_sample = event != self->kept_event;
    }
  if (self->skip_sample)
    {
      /* its call chain lines follow, and are dropped with it */
      self->in_sample = TRUE;
      self->header_frame = 0;
      return TRUE;
    }

  comm_end = tokens[pid_index].s;
  while (comm_end > line && g_ascii_isspace (comm_end[-1]))
    comm_end--;

  self->in_sample = TRUE;
  self->lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, pid, tid);
  {
    g_autofree char *comm = g_strndup (line, comm_end - line);
    guint32 comm_id = pw_profile_builder_intern (self->builder, comm, -1);

    g_hash_table_add (self->comms, GUINT_TO_POINTER (comm_id + 1));
    pw_profile_builder_set_lane_name (self->builder, self->lane, comm);
    if (pid == tid)
      pw_profile_builder_set_process_name (self->builder, pid, comm);
  }

  /* perf script -F …,ip,sym prints the sample's own frame here, always
   * after its address (perf shows no symbol without one). What else
   * follows the event is a tracepoint's fields ("prev_comm=sh …"), which
   * name no function. */
  self->header_frame = 0;
  if (i < len)
    {
      const char *p = line + i;
      const char *end = line + len;
      const char *q;
      guint32 frame;

      while (p < end && g_ascii_isspace (*p))
        p++;
      for (q = p; q < end && g_ascii_isxdigit (*q); q++)
        ;
      if (q > p && (q == end || g_ascii_isspace (*q)) &&
          parse_frame (self, p, end - p, &frame))
        self->header_frame = frame;
    }

  return TRUE;
}

static void
invalid_line (Parser *self)
{
  if (self->n_invalid++ == 0)
    self->first_invalid = pw_input_get_line_number (self->input);
}

static void
parse_line (Parser *self,
            char   *line,
            gsize   len)
{
  gsize content = 0;

  while (content < len && g_ascii_isspace (line[content]))
    content++;

  if (content == len)
    {
      finish_sample (self);
      return;
    }

  if (content == 0)
    {
      if (line[0] == '#')
        return;
      if (!parse_header (self, line, len))
        invalid_line (self);
      return;
    }

  /* a sample without call chain, its comm right-aligned */
  if (line[0] == ' ' && is_timed_header (line, len))
    {
      if (!parse_header (self, line + content, len - content))
        invalid_line (self);
      return;
    }

  /* an indented frame line */
  if (!self->in_sample)
    {
      invalid_line (self);
      return;
    }

  if (is_srcline (line, len))
    return;

  {
    guint32 frame;

    if (!parse_frame (self, line, len, &frame))
      return;
    /* stackcollapse-perf.pl skips frames named like "(process)". */
    if (pw_profile_builder_get_string (self->builder, frame)[0] == '(')
      return;
    if (self->frames->len >= MAX_FRAMES)
      {
        if (self->frames->len == MAX_FRAMES)
          self->n_deep++;
        return;
      }
    g_array_append_val (self->frames, frame);
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
perf_load (PwInput           *input,
           PwProfileBuilder  *builder,
           GError           **error)
{
  Parser self = { 0 };
  gboolean ok = FALSE;
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GString) events = g_string_new (NULL);
  const char *wanted_event;

  self.input = input;
  self.builder = builder;
  self.frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self.events = g_hash_table_new (NULL, NULL);
  self.event_order = g_array_new (FALSE, FALSE, sizeof (guint32));
  wanted_event = pw_input_get_option (input, PW_IMPORT_OPTION_SAMPLE_TYPE);
  if (wanted_event != NULL)
    self.kept_event = pw_profile_builder_intern (builder, wanted_event, -1);
  self.comms = g_hash_table_new (NULL, NULL);
  self.first_time = -1;
  self.last_time = -1;
  self.unknown = pw_profile_builder_intern (builder, "[unknown]", -1);

  pw_profile_builder_set_sample_unit (builder, "count");

  for (;;)
    {
      GError *local_error = NULL;
      gsize len = 0;
      char *line = pw_input_read_line (input, &len, &local_error);

      if (line == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              goto out;
            }
          break;
        }

      if (memchr (line, '\0', len) != NULL)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_MALFORMED,
                       _("%s: line %" PRIu64 " holds binary data, not perf script text"),
                       pw_input_get_display_name (input), pw_input_get_line_number (input));
          goto out;
        }

      parse_line (&self, line, len);
    }
  finish_sample (&self);

  if (wanted_event != NULL && !g_hash_table_contains (self.events, GUINT_TO_POINTER (self.kept_event + 1)))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < self.event_order->len; i++)
        g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                                pw_profile_builder_get_string (builder, g_array_index (self.event_order, guint32, i)));
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: no sample of the event “%s”; the file samples %s"),
                   pw_input_get_display_name (input), wanted_event,
                   names->len > 0 ? names->str : _("no named event"));
      goto out;
    }

  if (self.event_order->len > 1)
    {
      for (guint i = 0; i < self.event_order->len; i++)
        {
          guint32 event = g_array_index (self.event_order, guint32, i);

          pw_profile_builder_add_sample_type (builder, pw_profile_builder_get_string (builder, event),
                                              event == self.kept_event);
        }
      pw_profile_builder_add_warning (builder,
                                      _("The file samples %u different events, whose counts do not add up; showing “%s”"),
                                      self.event_order->len,
                                      pw_profile_builder_get_string (builder, self.kept_event));
    }

  if (self.first_time >= 0)
    {
      pw_profile_builder_extend (builder, self.first_time);
      pw_profile_builder_extend (builder, self.last_time);
    }

  if (self.n_samples == 0 && self.n_invalid > 0)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: no line is a perf script sample header (“comm pid time: event:”); "
                     "line %" PRIu64 " is the first that is not"),
                   pw_input_get_display_name (input), self.first_invalid);
      goto out;
    }

  if (self.n_invalid > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%lu line was not part of a sample and was skipped; first at line %lu",
                                                 "%lu lines were not part of a sample and were skipped; first at line %lu",
                                                 (gulong) self.n_invalid),
                                    (gulong) self.n_invalid, (gulong) self.first_invalid);
  if (self.n_deep > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%lu call chains deeper than %d frames were cut"),
                                    (gulong) self.n_deep, MAX_FRAMES);

  g_hash_table_iter_init (&iter, self.events);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (events, "%s%s=%" G_GSIZE_FORMAT, events->len ? ", " : "",
                            pw_profile_builder_get_string (builder, GPOINTER_TO_UINT (key) - 1),
                            GPOINTER_TO_SIZE (value));
  if (events->len > 0)
    pw_profile_builder_set_metadata (builder, "perf.events", events->str);

  /* A thread that execs changes its comm; its lane shows the last one,
   * this lists them all. */
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autofree char *joined = NULL;

    g_hash_table_iter_init (&iter, self.comms);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (names, (gpointer) pw_profile_builder_get_string (builder, GPOINTER_TO_UINT (key) - 1));
    g_ptr_array_sort (names, compare_strings);
    g_ptr_array_add (names, NULL);
    joined = g_strjoinv ("\n", (char **) names->pdata);
    if (joined[0] != '\0')
      pw_profile_builder_set_metadata (builder, "perf.comms", joined);
  }

  ok = TRUE;

out:
  g_array_unref (self.frames);
  g_hash_table_unref (self.events);
  g_array_unref (self.event_order);
  g_hash_table_unref (self.comms);
  return ok;
}

static guint
perf_sniff (const guint8 *head,
            gsize         len,
            const char   *filename)
{
  const char *p = (const char *) head;
  const char *end = p + len;
  guint n_lines = 0;
  guint n_headers = 0;
  guint n_frames = 0;

  if (len == 0 || memchr (head, '\0', len) != NULL)
    return 0;

  while (p < end && n_lines < 200)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize line_len;

      if (nl == NULL)
        break;
      line_len = nl - p;
      n_lines++;

      if (line_len > 0 && p[0] != '#' && !g_ascii_isspace (p[0]))
        {
          /* "… pid[/tid] [cpu] 123.456: [period] event:" or "comm pid event:" */
          const char *q = p + line_len;

          while (q > p && g_ascii_isspace (q[-1]))
            q--;
          if (q > p && q[-1] == ':')
            {
              const char *t = p;
              gboolean seen_pid = FALSE;

              /* a token of digits (or digits/digits) after the first */
              while (t < q && !g_ascii_isspace (*t))
                t++;
              while (t < q)
                {
                  const char *s;

                  while (t < q && g_ascii_isspace (*t))
                    t++;
                  s = t;
                  while (t < q && (g_ascii_isdigit (*t) || *t == '/'))
                    t++;
                  if (t > s && (t == q || g_ascii_isspace (*t)))
                    {
                      seen_pid = TRUE;
                      break;
                    }
                  while (t < q && !g_ascii_isspace (*t))
                    t++;
                }
              if (seen_pid)
                n_headers++;
            }
        }
      else if (line_len > 0 && p[0] == ' ' && is_timed_header (p, line_len))
        n_headers++;
      else if (line_len > 0 && g_ascii_isspace (p[0]) && p[line_len - 1] == ')')
        n_frames++;

      p = nl + 1;
    }

  if (n_headers >= 2 || (n_headers >= 1 && n_frames >= 1))
    return 60;
  if (n_headers == 1)
    return 25;

  return 0;
}

static const char * const perf_patterns[] = { "*.perf", "*.perf.txt", "*.linux-perf.txt", "*.txt", NULL };
static const char * const perf_mime_types[] = { "text/plain", NULL };

const PwImporter _pw_importer_perf = {
  .id = "perf-script",
  .name = N_("perf script output"),
  .patterns = perf_patterns,
  .mime_types = perf_mime_types,
  .sniff = perf_sniff,
  .load = perf_load,
};
