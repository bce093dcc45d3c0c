/* pw-import-folded.c: folded (collapsed) stacks, "a;b;c 123" per line
 *
 * Written by Brendan Gregg's stackcollapse-*.pl scripts, inferno,
 * async-profiler (collapsed), austin and many others. The count comes
 * after the last whitespace; frames are separated by ';'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-import-folded"

#include "config.h"

#include <inttypes.h>

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"

/* More frames than this in one line are cut (the innermost are kept). */
#define MAX_FRAMES 65536

typedef struct
{
  PwInput          *input;
  PwProfileBuilder *builder;
  guint             default_lane;
  gboolean          have_default_lane;
  guint64           n_invalid;
  guint64           first_invalid;
  guint64           n_fractional;
  guint64           first_fractional;
  guint64           n_truncated_stacks;
  guint64           total;
  guint64           n_lines;
  GHashTable       *lanes;        /* interned lane frame -> lane + 1 */
} Parser;

static gboolean
is_digits (const char *s,
           gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Reads the count after the stack. Tools that scale samples print
 * fractions ("12.5"): the whole part is kept and the caller warns. */
static gboolean
parse_count (const char *s,
             gsize       len,
             gint64     *count,
             gboolean   *fractional)
{
  const char *dot = memchr (s, '.', len);
  gsize whole = dot ? (gsize)(dot - s) : len;

  *fractional = FALSE;
  if (!is_digits (s, whole))
    return FALSE;
  if (dot != NULL)
    {
      if (!is_digits (dot + 1, len - whole - 1))
        return FALSE;
      for (gsize i = whole + 1; i < len; i++)
        if (s[i] != '0')
          *fractional = TRUE;
    }

  /* Counts past 2^53 are not samples anyone took, and summing them
   * would overflow. */
  return _pw_parse_int64 (s, whole, count) && *count <= (G_GINT64_CONSTANT (1) << 53);
}

/* "comm-PID", "comm-PID/TID" (stackcollapse-perf.pl --pid / --tid, "?"
 * when perf did not print the pid). Fills the comm's length. */
static gboolean
parse_task_frame (const char *s,
                  gsize       len,
                  gsize      *comm_len,
                  gint64     *pid,
                  gint64     *tid)
{
  const char *slash = NULL;
  const char *dash = NULL;
  const char *p;
  gsize pid_len;

  for (p = s + len; p > s; p--)
    if (p[-1] == '-')
      {
        dash = p - 1;
        break;
      }
  if (dash == NULL || dash == s)
    return FALSE;

  slash = memchr (dash + 1, '/', s + len - (dash + 1));
  pid_len = (slash ? slash : s + len) - (dash + 1);

  if (pid_len == 1 && dash[1] == '?')
    *pid = -1;
  else if (!is_digits (dash + 1, pid_len) || !_pw_parse_int64 (dash + 1, pid_len, pid))
    return FALSE;

  if (slash != NULL)
    {
      gsize tid_len = s + len - (slash + 1);

      if (!is_digits (slash + 1, tid_len) || !_pw_parse_int64 (slash + 1, tid_len, tid))
        return FALSE;
    }
  else
    *tid = *pid;

  *comm_len = dash - s;
  return TRUE;
}

static guint
lane_for (Parser     *self,
          const char *frame,
          gsize       frame_len,
          gboolean   *consumed)
{
  guint32 key = pw_profile_builder_intern (self->builder, frame, frame_len);
  gpointer found = g_hash_table_lookup (self->lanes, GUINT_TO_POINTER (key + 1));
  gsize comm_len;
  gint64 pid, tid;
  guint lane;

  *consumed = TRUE;
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  if (parse_task_frame (frame, frame_len, &comm_len, &pid, &tid))
    {
      g_autofree char *comm = g_strndup (frame, comm_len);

      /* Without a pid, threads of one name are told apart by the name. */
      if (pid < 0)
        {
          gboolean no_tid = tid == pid;

          pid = -(gint64) key - 2;
          if (no_tid)
            tid = pid;
        }
      lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, pid, tid);
      pw_profile_builder_set_lane_name (self->builder, lane, comm);
      pw_profile_builder_set_process_name (self->builder, pid, comm);
    }
  else
    {
      *consumed = FALSE;
      if (!self->have_default_lane)
        {
          self->default_lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, 0, 0);
          pw_profile_builder_set_lane_name (self->builder, self->default_lane, _("All samples"));
          self->have_default_lane = TRUE;
        }
      return self->default_lane;
    }

  g_hash_table_insert (self->lanes, GUINT_TO_POINTER (key + 1), GUINT_TO_POINTER (lane + 1));
  return lane;
}

/* austin writes "P<pid>;T<tid>;…". */
static gboolean
austin_task (const char *line,
             gsize       len,
             gint64     *pid,
             gint64     *tid,
             gsize      *skip)
{
  const char *semi1, *semi2;

  if (len < 5 || line[0] != 'P')
    return FALSE;
  semi1 = memchr (line, ';', len);
  if (semi1 == NULL || semi1 + 2 >= line + len || semi1[1] != 'T')
    return FALSE;
  semi2 = memchr (semi1 + 1, ';', line + len - (semi1 + 1));
  if (semi2 == NULL)
    return FALSE;
  if (!is_digits (line + 1, semi1 - line - 1) || !is_digits (semi1 + 2, semi2 - semi1 - 2))
    return FALSE;
  if (!_pw_parse_int64 (line + 1, semi1 - line - 1, pid) ||
      !_pw_parse_int64 (semi1 + 2, semi2 - semi1 - 2, tid))
    return FALSE;

  *skip = semi2 + 1 - line;
  return TRUE;
}

/* austin's "# key: value" header and footer lines are metadata. */
static gboolean
parse_header_comment (Parser     *self,
                      const char *line,
                      gsize       len)
{
  const char *colon;
  gsize key_len;

  if (len < 4 || line[0] != '#' || line[1] != ' ')
    return FALSE;
  colon = memchr (line, ':', len);
  if (colon == NULL || colon + 1 >= line + len || colon[1] != ' ')
    return FALSE;
  key_len = colon - (line + 2);
  if (key_len == 0 || key_len > 32)
    return FALSE;
  for (gsize i = 2; i < 2 + key_len; i++)
    if (!g_ascii_isalnum (line[i]) && line[i] != '_' && line[i] != '-')
      return FALSE;

  {
    g_autofree char *key = g_strdup_printf ("folded.%.*s", (int) key_len, line + 2);
    g_autofree char *value = g_strndup (colon + 2, line + len - (colon + 2));

    pw_profile_builder_set_metadata (self->builder, key, g_strstrip (value));
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
  gsize stack_len, count_start, frame_start;
  gint64 count, pid, tid;
  gboolean fractional;
  guint32 stack = PW_NO_STACK;
  guint lane;
  gsize skip;
  guint n_frames = 0;

  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  if (len == 0)
    return;

  self->n_lines++;

  count_start = len;
  while (count_start > 0 && !g_ascii_isspace (line[count_start - 1]))
    count_start--;
  stack_len = count_start;
  while (stack_len > 0 && g_ascii_isspace (line[stack_len - 1]))
    stack_len--;

  if (stack_len == 0 ||
      !parse_count (line + count_start, len - count_start, &count, &fractional))
    {
      if (!parse_header_comment (self, line, len))
        invalid_line (self);
      return;
    }
  if (line[0] == '#' && parse_header_comment (self, line, len))
    return;

  if (fractional && self->n_fractional++ == 0)
    self->first_fractional = pw_input_get_line_number (self->input);

  frame_start = 0;
  if (austin_task (line, stack_len, &pid, &tid, &skip))
    {
      lane = pw_profile_builder_get_lane (self->builder, PW_LANE_THREAD, pid, tid);
      frame_start = skip;
    }
  else
    {
      const char *semi = memchr (line, ';', stack_len);
      gsize first_len = semi ? (gsize)(semi - line) : stack_len;
      gboolean consumed = FALSE;

      lane = semi ? lane_for (self, line, first_len, &consumed) : lane_for (self, line, 0, &consumed);
      if (consumed)
        frame_start = semi ? first_len + 1 : stack_len;
    }

  while (frame_start < stack_len)
    {
      const char *start = line + frame_start;
      const char *semi = memchr (start, ';', stack_len - frame_start);
      gsize frame_len = semi ? (gsize)(semi - start) : stack_len - frame_start;

      if (n_frames++ < MAX_FRAMES)
        stack = pw_profile_builder_push_frame (self->builder, stack,
                                               pw_profile_builder_intern (self->builder, start, frame_len));
      else if (n_frames == MAX_FRAMES + 1)
        self->n_truncated_stacks++;
      frame_start += frame_len + 1;
    }

  /* "a;b; 3": a last frame that is empty (a symbol perf could not name) */
  if (stack_len > 0 && line[stack_len - 1] == ';' && n_frames < MAX_FRAMES)
    stack = pw_profile_builder_push_frame (self->builder, stack, 0);

  if (stack == PW_NO_STACK)
    {
      /* A task frame alone: the samples are the task's own. */
      invalid_line (self);
      return;
    }

  pw_profile_builder_add_sample (self->builder, lane, -1, count, stack);
  self->total += count;
}

static gboolean
folded_load (PwInput           *input,
             PwProfileBuilder  *builder,
             GError           **error)
{
  Parser self = { 0 };
  char buf[32];
  gboolean ok = FALSE;

  self.input = input;
  self.builder = builder;
  self.lanes = g_hash_table_new (NULL, NULL);

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
                       _("%s: line %" PRIu64 " holds binary data, not “stack count” text"),
                       pw_input_get_display_name (input), pw_input_get_line_number (input));
          goto out;
        }

      parse_line (&self, line, len);
    }

  if (self.n_lines > 0 && self.n_invalid == self.n_lines)
    {
      g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_INVALID,
                   _("%s: no line is “frame;frame;… count” (line %" PRIu64 " is the first)"),
                   pw_input_get_display_name (input), self.first_invalid);
      goto out;
    }

  if (self.n_invalid > 0)
    pw_profile_builder_add_warning (builder,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "%lu line was not “stack count” and was skipped; first at line %lu",
                                                 "%lu lines were not “stack count” and were skipped; first at line %lu",
                                                 (gulong) self.n_invalid),
                                    (gulong) self.n_invalid, (gulong) self.first_invalid);
  if (self.n_fractional > 0)
    pw_profile_builder_add_warning (builder,
                                    _("Fractional counts were cut to whole numbers (%lu lines, first at line %lu)"),
                                    (gulong) self.n_fractional, (gulong) self.first_fractional);
  if (self.n_truncated_stacks > 0)
    pw_profile_builder_add_warning (builder,
                                    _("%lu stacks deeper than %d frames were cut"),
                                    (gulong) self.n_truncated_stacks, MAX_FRAMES);

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self.total);
  pw_profile_builder_set_metadata (builder, "total_samples", buf);
  ok = TRUE;

out:
  g_hash_table_unref (self.lanes);
  return ok;
}

static gboolean
looks_folded (const char *line,
              gsize       len)
{
  gsize i = len;

  while (i > 0 && g_ascii_isdigit (line[i - 1]))
    i--;
  return i < len && i >= 2 && line[i - 1] == ' ' && !g_ascii_isspace (line[0]);
}

static guint
folded_sniff (const guint8 *head,
              gsize         len,
              const char   *filename)
{
  const char *p = (const char *) _pw_skip_space (head, &len);
  const char *end = p + len;
  guint n_lines = 0, n_good = 0, n_semi = 0;

  if (len == 0 || p[0] == '{' || p[0] == '[' || p[0] == '<')
    return 0;
  if (memchr (p, '\0', len) != NULL)
    return 0;

  while (p < end && n_lines < 20)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize line_len;

      /* The last line of the head may be cut: it does not count. */
      if (nl == NULL)
        break;
      line_len = nl - p;
      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;
      if (line_len > 0 && p[0] != '#')
        {
          n_lines++;
          if (looks_folded (p, line_len))
            {
              n_good++;
              if (memchr (p, ';', line_len) != NULL)
                n_semi++;
            }
        }
      p = nl + 1;
    }

  /* One line only, without a newline. */
  if (n_lines == 0 && p < end && p[0] != '#')
    {
      n_lines = 1;
      if (looks_folded (p, end - p))
        {
          n_good++;
          if (memchr (p, ';', end - p) != NULL)
            n_semi++;
        }
    }

  if (n_lines == 0 || n_good * 2 < n_lines + 1 || n_semi * 2 < n_good)
    {
      /* A first line longer than the head: only the name can tell. */
      if (filename != NULL &&
          (g_str_has_suffix (filename, ".folded") || g_str_has_suffix (filename, ".folded.gz") ||
           g_str_has_suffix (filename, ".collapsed") || g_str_has_suffix (filename, ".collapsed.gz")))
        return 10;
      return 0;
    }

  return 30;
}

static const char * const folded_patterns[] = { "*.folded", "*.collapsed", "*.folded.gz", "*.txt", NULL };
static const char * const folded_mime_types[] = { "text/plain", NULL };

const PwImporter _pw_importer_folded = {
  .id = "folded",
  .name = N_("Folded stacks"),
  .patterns = folded_patterns,
  .mime_types = folded_mime_types,
  .sniff = folded_sniff,
  .load = folded_load,
};
