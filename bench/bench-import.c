/* bench-import.c: how fast and how lean importing a file is
 *
 * Every measurement runs in a child process of its own, so that its peak
 * RSS (getrusage of the child) is the import's alone. Prints, per file: its
 * size, the best wall time of the runs, MB/s, the CPU time (user + system,
 * all threads), peak RSS, the model's bytes per span or sample, and two
 * references measured in the same run: reading the file into nothing (like
 * cat > /dev/null) and Python's json.load, as ratios of the wall time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "pw-import-chrome-private.h"
#include "pw-importer.h"

typedef struct
{
  double  seconds;
  guint64 spans;
  guint64 samples;
  guint64 memory;
  double  cancel_ms;
  gboolean ok;
} ChildResult;

static int runs = 3;
static char *chrome_mode = NULL;
static gboolean no_python = FALSE;
static gboolean cancel_latency = FALSE;
static gboolean header_only = FALSE;

static GOptionEntry entries[] = {
  { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Imports per file (default 3)", "N" },
  { "chrome-mode", 0, 0, G_OPTION_ARG_STRING, &chrome_mode, "Chrome importer: auto, sequential or parallel", "MODE" },
  { "no-python", 0, 0, G_OPTION_ARG_NONE, &no_python, "Skip the json.load reference", NULL },
  { "cancel-latency", 0, 0, G_OPTION_ARG_NONE, &cancel_latency, "Also measure how long a cancel takes", NULL },
  { "header", 0, 0, G_OPTION_ARG_NONE, &header_only, "Print the table header only", NULL },
  { NULL }
};

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelState;

static void
cancel_at_third (double   fraction,
                 gpointer user_data)
{
  CancelState *state = user_data;

  if (fraction >= 0.3 && state->cancelled_at == 0)
    {
      state->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (state->cancellable);
    }
}

static PwProfile *
import (const char    *path,
        GCancellable  *cancellable,
        PwProgressFunc progress,
        gpointer       progress_data,
        GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PwInput) input = NULL;
  g_autoptr(PwProfileBuilder) builder = NULL;
  PwChromeMode mode;

  if (chrome_mode == NULL)
    return pw_import_file (file, NULL, cancellable, progress, progress_data, error);

  mode = g_str_equal (chrome_mode, "sequential") ? PW_CHROME_MODE_SEQUENTIAL
       : g_str_equal (chrome_mode, "parallel") ? PW_CHROME_MODE_PARALLEL
       : PW_CHROME_MODE_AUTO;

  if (!(input = pw_input_new_for_file (file, cancellable, error)))
    return NULL;
  if (progress)
    pw_input_set_progress_func (input, progress, progress_data);
  builder = pw_profile_builder_new ();
  pw_profile_builder_set_format (builder, "chrome", "Chrome");
  if (!_pw_import_chrome_load (input, builder, mode, 0, error))
    return NULL;

  return pw_profile_builder_build (builder);
}

static void
child_main (const char *path,
            gboolean    cancel,
            int         fd)
{
  ChildResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) profile = NULL;
  gint64 start;

  if (cancel)
    {
      CancelState state = { g_cancellable_new (), 0 };
      PwProfile *cancelled;

      cancelled = import (path, state.cancellable, cancel_at_third, &state, &error);
      if (state.cancelled_at != 0)
        result.cancel_ms = (g_get_monotonic_time () - state.cancelled_at) / 1000.0;
      else
        result.cancel_ms = -1;
      g_clear_object (&cancelled);
      g_clear_error (&error);
      g_object_unref (state.cancellable);
    }
  else
    {
      start = g_get_monotonic_time ();
      profile = import (path, NULL, NULL, NULL, &error);
      result.seconds = (g_get_monotonic_time () - start) / 1e6;
      if (profile != NULL)
        {
          result.ok = TRUE;
          result.spans = pw_profile_get_n_spans (profile);
          result.samples = pw_profile_get_n_samples (profile);
          result.memory = pw_profile_get_memory_size (profile);
        }
      else
        g_printerr ("%s: %s\n", path, error->message);
    }

  if (write (fd, &result, sizeof result) != sizeof result)
    _exit (2);
  _exit (0);
}

/* Runs one import in a child; returns its peak RSS in bytes. */
static gboolean
measure (const char  *path,
         gboolean     cancel,
         ChildResult *result,
         guint64     *peak_rss,
         double      *cpu_seconds)
{
  int fds[2];
  pid_t pid;
  int status = 0;
  struct rusage usage;
  gssize n;

  if (pipe (fds) != 0)
    return FALSE;

  pid = fork ();
  if (pid == 0)
    {
      close (fds[0]);
      child_main (path, cancel, fds[1]);
    }
  close (fds[1]);
  if (pid < 0)
    {
      close (fds[0]);
      return FALSE;
    }

  n = read (fds[0], result, sizeof *result);
  close (fds[0]);
  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;

  *peak_rss = (guint64) usage.ru_maxrss * 1024;
  /* the child's user and system time on every core: what the import
   * costs whatever else the machine runs */
  *cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  return n == sizeof *result && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static double
time_read (const char *path)
{
  /* A static buffer: a large malloc() freed here would raise glibc's
   * mmap threshold for the children forked later and inflate their RSS. */
  static char buf[64 * 1024];
  gint64 start = g_get_monotonic_time ();
  int fd = open (path, O_RDONLY);

  if (fd < 0)
    return -1;
  while (read (fd, buf, sizeof buf) > 0)
    ;
  close (fd);

  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_python (const char *path)
{
  const char *argv[] = { "python3", "-c",
                         "import json, sys, gzip\n"
                         "f = sys.argv[1]\n"
                         "json.load(gzip.open(f) if f.endswith('.gz') else open(f, 'rb'))",
                         path, NULL };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    return -1;

  return (g_get_monotonic_time () - start) / 1e6;
}

static void
print_header (void)
{
  g_print ("%-40s %8s %9s %7s %7s %7s %7s %6s %7s %7s %7s %7s %6s\n",
           "file", "MB", "spans", "wall s", "MB/s", "cpu s", "RSS MB", "RSS/sz", "B/span",
           "read s", "py s", "x read", "x py");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — import files and print how fast and lean it was");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (header_only || argc < 2)
    {
      print_header ();
      return 0;
    }

  print_header ();
  for (int i = 1; i < argc; i++)
    {
      const char *path = argv[i];
      g_autofree char *base = g_path_get_basename (path);
      GStatBuf st;
      ChildResult best = { 0 };
      guint64 peak = 0;
      double best_cpu = 0;
      double read_s, py_s = -1;
      double mb;

      if (g_stat (path, &st) != 0)
        {
          g_printerr ("%s: cannot stat\n", path);
          continue;
        }
      mb = st.st_size / 1e6;

      read_s = time_read (path);
      for (int r = 0; r < MAX (runs, 1); r++)
        {
          ChildResult result;
          guint64 rss = 0;
          double cpu = 0;

          if (!measure (path, FALSE, &result, &rss, &cpu) || !result.ok)
            {
              best.ok = FALSE;
              break;
            }
          if (r == 0 || result.seconds < best.seconds)
            best = result;
          if (r == 0 || cpu < best_cpu)
            best_cpu = cpu;
          peak = MAX (peak, rss);
        }

      if (!best.ok)
        {
          g_print ("%-40.40s %8.2f   import failed\n", base, mb);
          continue;
        }

      if (!no_python)
        py_s = time_python (path);

      g_print ("%-40.40s %8.2f %9" G_GUINT64_FORMAT " %7.3f %7.1f %7.3f %7.1f %6.2f %7.1f %7.3f %7.3f %7.1f %6.2f\n",
               base, mb, best.spans + best.samples, best.seconds, mb / best.seconds, best_cpu,
               peak / 1e6, (double) peak / (double) MAX (st.st_size, 1),
               best.spans + best.samples > 0 ? (double) best.memory / (best.spans + best.samples) : 0.0,
               read_s, py_s, read_s > 0 ? best.seconds / read_s : 0.0,
               py_s > 0 ? best.seconds / py_s : 0.0);

      if (cancel_latency)
        {
          ChildResult result;
          guint64 rss;
          double cpu;

          if (measure (path, TRUE, &result, &rss, &cpu))
            g_print ("  cancel at 30 %% progress returned after %.1f ms\n", result.cancel_ms);
        }
    }

  return 0;
}
