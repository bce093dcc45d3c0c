/* pw-profile-builder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pw-profile.h"

G_BEGIN_DECLS

/* Collects what an importer reads, in any order, and builds an immutable
 * PwProfile: spans are sorted, nested into rows and parented; samples and
 * instants are sorted; times are rebased to the earliest event.
 *
 * Times given to the builder are absolute nanoseconds in the source's own
 * clock; pw_profile_get_start_ns() keeps that origin. */
typedef struct _PwProfileBuilder PwProfileBuilder;

/* A handle to a span that was added, valid until the profile is built. */
typedef guint64 PwSpanHandle;
#define PW_NO_SPAN_HANDLE G_MAXUINT64

PwProfileBuilder *pw_profile_builder_new              (void);
void              pw_profile_builder_free             (PwProfileBuilder *self);

void              pw_profile_builder_set_format       (PwProfileBuilder *self,
                                                       const char       *format_id,
                                                       const char       *format_name);
void              pw_profile_builder_set_title        (PwProfileBuilder *self,
                                                       const char       *title);
void              pw_profile_builder_set_metadata     (PwProfileBuilder *self,
                                                       const char       *key,
                                                       const char       *value);
void              pw_profile_builder_add_warning      (PwProfileBuilder *self,
                                                       const char       *format,
                                                       ...) G_GNUC_PRINTF (2, 3);
guint             pw_profile_builder_get_n_warnings   (PwProfileBuilder *self);

guint32           pw_profile_builder_intern           (PwProfileBuilder *self,
                                                       const char       *str,
                                                       gssize            len);
const char       *pw_profile_builder_get_string       (PwProfileBuilder *self,
                                                       guint32           id);

/* Lanes are found or created by (kind, pid, key). For threads the key is
 * the tid; for async tracks and services, anything that identifies them
 * (an interned name id works well). */
guint             pw_profile_builder_get_lane         (PwProfileBuilder *self,
                                                       PwLaneKind        kind,
                                                       gint64            pid,
                                                       gint64            key);
void              pw_profile_builder_set_lane_name    (PwProfileBuilder *self,
                                                       guint             lane,
                                                       const char       *name);
/* A name for a lane that no metadata names, e.g. a thread known only by a
 * string id ("stream 7"); set_lane_name() wins whenever it is called. */
void              pw_profile_builder_set_lane_fallback_name (PwProfileBuilder *self,
                                                       guint             lane,
                                                       guint32           name);
void              pw_profile_builder_set_lane_sort_index (PwProfileBuilder *self,
                                                       guint             lane,
                                                       gint32            sort_index);
void              pw_profile_builder_set_process_name (PwProfileBuilder *self,
                                                       gint64            pid,
                                                       const char       *name);
void              pw_profile_builder_set_process_sort_index (PwProfileBuilder *self,
                                                       gint64            pid,
                                                       gint32            sort_index);

/* cpu_dur is -1 when unknown. args is 0 or an id from add_args(). */
PwSpanHandle      pw_profile_builder_add_span         (PwProfileBuilder *self,
                                                       guint             lane,
                                                       gint64            start,
                                                       gint64            dur,
                                                       gint64            cpu_dur,
                                                       guint32           name,
                                                       guint32           category,
                                                       guint32           args);
guint32           pw_profile_builder_add_args         (PwProfileBuilder *self,
                                                       const char       *json,
                                                       gssize            len);

/* Gives child an explicit parent on the same lane (a trace's parent link)
 * instead of the innermost span that encloses it in time; parent
 * PW_NO_SPAN_HANDLE declares child a root of the lane (no parent, or one
 * on another lane). A lane with any such link is laid out as the trees
 * the links describe: children under their parent, overlapping siblings
 * on rows of their own, roots never nested into other spans; spans with
 * no link are nested by time among themselves. A child that does not
 * start inside its parent (clock skew) becomes a root, and cycles are
 * broken; both are counted in warnings and metadata
 * ("model.parents_outside", "model.parent_cycles").
 * The last link given for a span wins. Lanes without links are nested by
 * time as before. */
void              pw_profile_builder_set_span_parent  (PwProfileBuilder *self,
                                                       guint             lane,
                                                       PwSpanHandle      child,
                                                       PwSpanHandle      parent);

/* Returns the stack id for frame called below parent (PW_NO_STACK for a
 * root frame). Equal paths share one id. */
guint32           pw_profile_builder_push_frame       (PwProfileBuilder *self,
                                                       guint32           parent,
                                                       guint32           frame_name);
void              pw_profile_builder_add_sample       (PwProfileBuilder *self,
                                                       guint             lane,
                                                       gint64            time,
                                                       gint64            weight,
                                                       guint32           stack);
void              pw_profile_builder_set_sample_unit  (PwProfileBuilder *self,
                                                       const char       *unit);
/* When a file measures several things (pprof's sample types, perf's
 * events) and its samples weigh only one: what the user can choose from
 * (the "sample-type" import option), and which one this is. */
void              pw_profile_builder_add_sample_type  (PwProfileBuilder *self,
                                                       const char       *name,
                                                       gboolean          chosen);

void              pw_profile_builder_add_instant      (PwProfileBuilder *self,
                                                       guint             lane,
                                                       gint64            time,
                                                       guint32           name);
guint             pw_profile_builder_get_counter      (PwProfileBuilder *self,
                                                       gint64            pid,
                                                       const char       *name);
void              pw_profile_builder_add_counter_value (PwProfileBuilder *self,
                                                       guint             counter,
                                                       gint64            time,
                                                       double            value);
/* A flow between two points in time on two lanes. When span handles are
 * given, the flow is bound to those spans. */
void              pw_profile_builder_add_flow         (PwProfileBuilder *self,
                                                       PwFlowKind        kind,
                                                       guint32           name,
                                                       guint             from_lane,
                                                       gint64            from_time,
                                                       PwSpanHandle      from_span,
                                                       guint             to_lane,
                                                       gint64            to_time,
                                                       PwSpanHandle      to_span);

/* Where a flow end point that has no span handle attaches once the spans
 * are laid out: to the deepest span that encloses its time, or to the
 * first span on its lane that starts at or after it. */
typedef enum
{
  PW_FLOW_BIND_NONE,
  PW_FLOW_BIND_ENCLOSING,
  PW_FLOW_BIND_NEXT,
} PwFlowBind;

/* Like add_flow(), but binds each end by time when the profile is built. */
void              pw_profile_builder_add_flow_bind    (PwProfileBuilder *self,
                                                       PwFlowKind        kind,
                                                       guint32           name,
                                                       guint             from_lane,
                                                       gint64            from_time,
                                                       PwFlowBind        from_bind,
                                                       guint             to_lane,
                                                       gint64            to_time,
                                                       PwFlowBind        to_bind);

/* Extends the profile's extent without adding an event (metadata that
 * says the recording ran longer than its last event). */
void              pw_profile_builder_extend           (PwProfileBuilder *self,
                                                       gint64            time);
guint64           pw_profile_builder_get_n_spans      (PwProfileBuilder *self);
guint64           pw_profile_builder_get_n_samples    (PwProfileBuilder *self);

/* How the ids of a merged builder map into the builder it was merged
 * into, for callers that kept ids of their own (valid until freed). */
typedef struct _PwProfileBuilderMap PwProfileBuilderMap;

guint32           pw_profile_builder_map_string       (const PwProfileBuilderMap *map,
                                                       guint32           id);
guint             pw_profile_builder_map_lane         (const PwProfileBuilderMap *map,
                                                       guint             lane);
guint32           pw_profile_builder_map_args         (const PwProfileBuilderMap *map,
                                                       guint32           args);
guint32           pw_profile_builder_map_stack        (const PwProfileBuilderMap *map,
                                                       guint32           stack);
PwSpanHandle      pw_profile_builder_map_span         (const PwProfileBuilderMap *map,
                                                       PwSpanHandle      handle);
void              pw_profile_builder_map_free         (PwProfileBuilderMap *map);

/* Moves everything other holds into self, as if it had been added to self
 * after self's own contents: strings are re-interned, lanes, processes and
 * counters found by their keys, spans, samples, args, stacks and flows
 * appended in order. other is left empty. */
void              pw_profile_builder_merge            (PwProfileBuilder *self,
                                                       PwProfileBuilder *other);
/* The same, returning the id mapping for ids the caller kept. */
PwProfileBuilderMap *pw_profile_builder_merge_full    (PwProfileBuilder *self,
                                                       PwProfileBuilder *other);

/* Consumes the builder's contents; the builder stays valid but empty. */
PwProfile        *pw_profile_builder_build            (PwProfileBuilder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwProfileBuilder, pw_profile_builder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwProfileBuilderMap, pw_profile_builder_map_free)

G_END_DECLS
