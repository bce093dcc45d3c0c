/* pw-phases.h: phases of a run and their wall, CPU and task time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-profile.h"

G_BEGIN_DECLS

/* How the phases are chosen. docs/phases.md describes each rule. */
typedef enum
{
  PW_PHASES_DEFAULT,      /* top-level spans of the main lane, below a dominant root */
  PW_PHASES_DEPTH,        /* spans at a nesting depth of the main lane */
  PW_PHASES_MATCH,        /* spans whose name matches a glob or contains a string */
  PW_PHASES_RANGE,        /* one explicit time range (a selection) */
  PW_PHASES_DISTRIBUTED,  /* the children of a distributed trace's root span */
} PwPhasesMode;

typedef struct
{
  PwPhasesMode  mode;
  guint         depth;        /* PW_PHASES_DEPTH */
  const char   *pattern;      /* PW_PHASES_MATCH; copied */
  gint64        range_start;  /* PW_PHASES_RANGE, ns from the profile start */
  gint64        range_end;
  gboolean      group;        /* merge same-named phases (loop iterations) */
} PwPhasesOptions;

/* Buckets of the per-phase concurrency strip. */
#define PW_PHASE_N_BUCKETS 64

typedef struct
{
  const char *name;
  guint       lane;              /* G_MAXUINT for a range */
  gint        span;              /* -1 for a range or a group */
  gint64      start_ns;          /* from the profile start */
  gint64      end_ns;
  gint64      wall_ns;           /* summed over iterations for a group */
  gint64      cpu_ns;            /* -1: the format records no CPU time here */
  gint64      task_ns;
  double      parallelism;       /* task ÷ wall */
  double      mean_concurrency;  /* busy lanes on average over the window */
  guint       max_concurrency;   /* most lanes busy at once */
  gint64      idle_ns;           /* no lane busy, the phase itself excluded */
  double      share;             /* wall ÷ the run's wall */
  guint64     n_spans;
  guint       n_iterations;      /* 1, or the size of a group */
  const char *explanation;       /* NULL when nothing stands out; lines split by '\n' */
  /* Mean busy lanes over PW_PHASE_N_BUCKETS equal slices of the window. */
  float       concurrency[PW_PHASE_N_BUCKETS];
} PwPhase;

typedef struct _PwPhases PwPhases;

#define PW_TYPE_PHASES (pw_phases_get_type ())

GType           pw_phases_get_type          (void) G_GNUC_CONST;
PwPhases       *pw_phases_ref               (PwPhases            *self);
void            pw_phases_unref             (PwPhases            *self);

/* Blocking: for the CLI and for workers. Results are cached per profile and
 * options, so a second call with the same options is free. */
PwPhases       *pw_phases_compute           (PwProfile           *profile,
                                             const PwPhasesOptions *options,
                                             GCancellable        *cancellable,
                                             GError             **error);
void            pw_phases_compute_async     (PwProfile           *profile,
                                             const PwPhasesOptions *options,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
PwPhases       *pw_phases_compute_finish    (GAsyncResult        *result,
                                             GError             **error);
/* The cached result for these options, or NULL when not computed yet. */
PwPhases       *pw_phases_lookup_cached     (PwProfile           *profile,
                                             const PwPhasesOptions *options);

PwProfile      *pw_phases_get_profile       (PwPhases            *self);
gint64          pw_phases_get_total_wall_ns (PwPhases            *self);
gboolean        pw_phases_has_cpu           (PwPhases            *self);
/* Says in words how the phases were chosen, e.g. "children of “pipeline”". */
const char     *pw_phases_get_description   (PwPhases            *self);
guint           pw_phases_get_n_phases      (PwPhases            *self);
const PwPhase  *pw_phases_get_phase         (PwPhases            *self,
                                             guint                index);

JsonNode       *pw_phases_to_json           (PwPhases            *self);
char           *pw_phases_to_text           (PwPhases            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwPhases, pw_phases_unref)

G_END_DECLS
