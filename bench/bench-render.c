/* bench-render.c: timeline frame times on 1 M and 10 M spans at 1920×1080
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "pw-profile-builder.h"
#include "pw-timeline-layout.h"
#include "pw-timeline-renderer.h"

#define WIDTH    1920
#define HEIGHT   1080
#define FRAMES   50
#define N_LANES  32
#define N_NAMES  200
#define DEPTH    4   /* levels below a root; each span has 3 children */

typedef struct
{
  PwProfileBuilder *builder;
  guint32           names[N_NAMES];
  GRand            *rand;
  guint64           n;
} Gen;

static void
gen_span (Gen    *g,
          guint   lane,
          gint64  start,
          gint64  dur,
          guint   depth)
{
  gint64 cpu = (gint64) (dur * g_rand_double (g->rand));

  pw_profile_builder_add_span (g->builder, lane, start, dur, cpu,
                               g->names[g_rand_int_range (g->rand, 0, N_NAMES)], 0, 0);
  g->n++;
  if (depth + 1 < DEPTH)
    {
      gint64 part = dur / 3;

      for (int c = 0; c < 3; c++)
        gen_span (g, lane, start + c * part + part / 10, part * 8 / 10, depth + 1);
    }
}

static PwProfile *
make_profile (guint64 n_spans)
{
  Gen g = { 0 };
  guint spans_per_root = 1 + 3 + 9 + 27;
  guint64 roots_per_lane = n_spans / ((guint64) N_LANES * spans_per_root);
  guint lanes[N_LANES];
  PwProfile *profile;

  g.builder = pw_profile_builder_new ();
  g.rand = g_rand_new_with_seed (42);
  pw_profile_builder_set_format (g.builder, "bench", "Benchmark");
  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autofree char *name = g_strdup_printf ("task_%u::step", i);
      g.names[i] = pw_profile_builder_intern (g.builder, name, -1);
    }
  for (guint l = 0; l < N_LANES; l++)
    lanes[l] = pw_profile_builder_get_lane (g.builder, PW_LANE_THREAD, 1 + l / 8, 100 + l);

  for (guint l = 0; l < N_LANES; l++)
    {
      gint64 t = 1000000;

      for (guint64 r = 0; r < roots_per_lane; r++)
        {
          gint64 dur = g_rand_int_range (g.rand, 200000, 2000000);

          gen_span (&g, lanes[l], t, dur, 0);
          t += dur + g_rand_int_range (g.rand, 0, 500000);
        }
    }

  profile = pw_profile_builder_build (g.builder);
  pw_profile_builder_free (g.builder);
  g_rand_free (g.rand);

  return profile;
}

/* CPU time of this thread: the machine is shared, and other processes'
 * load shows in wall time but not here. */
static double
thread_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
run_case (PwTimelineLayout *layout,
          const char       *trace,
          const char       *label,
          double            fraction,
          gboolean          first_frame)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  gint64 duration = pw_timeline_layout_get_duration (layout);
  gint64 window = MAX ((gint64) (duration * fraction), 1);
  PwTimelineViewport vp;
  PwTimelineStyle style;
  double times[FRAMES];
  double cpu[FRAMES];

  pw_timeline_viewport_init (&vp, layout, WIDTH, HEIGHT);
  pw_timeline_style_init (&style, FALSE);

  /* The very first frame loads fonts; report it apart from the others. */
  if (first_frame)
    {
      gint64 begin = g_get_monotonic_time ();

      pw_timeline_render (layout, cr, &vp, &style);
      printf ("%-6s first frame (loads fonts, shapes labels): %.2f ms\n", trace,
              (g_get_monotonic_time () - begin) / 1000.0);
    }

  for (guint f = 0; f < FRAMES; f++)
    {
      gint64 begin;
      double cpu_begin;

      /* Pan across the trace so that no frame repeats the previous one. */
      vp.t0 = (gint64) ((double) (duration - window) * f / (FRAMES - 1));
      vp.t1 = vp.t0 + window;
      vp.scroll_y = (f % 5) * 37;
      cpu_begin = thread_ms ();
      begin = g_get_monotonic_time ();
      pw_timeline_render (layout, cr, &vp, &style);
      cairo_surface_flush (surface);
      times[f] = (g_get_monotonic_time () - begin) / 1000.0;
      cpu[f] = thread_ms () - cpu_begin;
    }

  qsort (times, FRAMES, sizeof (double), compare_double);
  qsort (cpu, FRAMES, sizeof (double), compare_double);
  printf ("%-6s %-18s wall median %6.2f worst %6.2f ms | thread CPU median %6.2f worst %6.2f ms  %s\n",
          trace, label, times[FRAMES / 2], times[FRAMES - 1], cpu[FRAMES / 2], cpu[FRAMES - 1],
          cpu[FRAMES / 2] <= 8 && cpu[FRAMES - 1] <= 16 ? "ok" : "OVER TARGET");
  fflush (stdout);

  if (g_getenv ("PW_BENCH_PNG"))
    {
      g_autofree char *path = g_strdup_printf ("%s/bench-%s-%g.png", g_getenv ("PW_BENCH_PNG"), trace, fraction);
      cairo_surface_write_to_png (surface, path);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  static const guint64 sizes[] = { 1000000, 10000000 };
  guint n_sizes = G_N_ELEMENTS (sizes);

  if (argc > 1 && strcmp (argv[1], "--quick") == 0)
    n_sizes = 1;

  printf ("Timeline frames at %d×%d, %d frames per case, one thread\n", WIDTH, HEIGHT, FRAMES);
  for (guint i = 0; i < n_sizes; i++)
    {
      g_autoptr(PwProfile) profile = NULL;
      g_autoptr(PwTimelineLayout) layout = NULL;
      const char *trace = sizes[i] >= 10000000 ? "10M" : "1M";
      gint64 begin = g_get_monotonic_time ();

      profile = make_profile (sizes[i]);
      printf ("%-6s built %" G_GUINT64_FORMAT " spans in %.2f s\n", trace, pw_profile_get_n_spans (profile),
              (g_get_monotonic_time () - begin) / 1e6);
      begin = g_get_monotonic_time ();
      layout = pw_timeline_layout_new (profile);
      printf ("%-6s layout in %.2f s\n", trace, (g_get_monotonic_time () - begin) / 1e6);

      run_case (layout, trace, "whole trace", 1.0, TRUE);
      run_case (layout, trace, "zoomed to 1 %", 0.01, FALSE);
      run_case (layout, trace, "zoomed to 0.001 %", 0.00001, FALSE);
    }

  return 0;
}
