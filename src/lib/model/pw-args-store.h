/* pw-args-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keeps the args text of spans, which is read only when the user selects
 * one: in a big trace it is as large as all the span arrays together, so
 * it is kept in zlib-compressed blocks of about 64 KB and a block is
 * inflated on demand. Ids start at 1; 0 means "no args". */
typedef struct _PwArgsStore PwArgsStore;

PwArgsStore *pw_args_store_new       (void);
void         pw_args_store_free      (PwArgsStore *self);
guint32      pw_args_store_add       (PwArgsStore *self,
                                      const char  *text,
                                      gsize        len);
guint32      pw_args_store_get_count (PwArgsStore *self);
/* Moves other's texts to the end of self: other's id i becomes
 * i + the count self had before. other is left empty. */
void         pw_args_store_append    (PwArgsStore *self,
                                      PwArgsStore *other);
/* Compresses the block being filled; later adds start a new block. */
void         pw_args_store_seal      (PwArgsStore *self);
/* Seals, and lets go of what compressing needs (~300 KB): for a store
 * that is complete. Adding stays possible, at that cost. */
void         pw_args_store_finish    (PwArgsStore *self);
/* A copy of text id, or NULL for 0 or an unknown id. Safe to call from
 * several threads once nothing is added any more. */
char        *pw_args_store_dup       (PwArgsStore *self,
                                      guint32      id);
gsize        pw_args_store_get_memory_size (PwArgsStore *self);
/* The size of all texts as they were added, without compression. */
guint64      pw_args_store_get_text_size   (PwArgsStore *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwArgsStore, pw_args_store_free)

G_END_DECLS
