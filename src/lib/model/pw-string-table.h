/* pw-string-table.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Interns strings once: every name, category and frame in a profile is a
 * guint32 id into one of these. Id 0 is always the empty string. */
typedef struct _PwStringTable PwStringTable;

PwStringTable *pw_string_table_new      (void);
void           pw_string_table_free     (PwStringTable *self);
guint32        pw_string_table_intern   (PwStringTable *self,
                                         const char    *str,
                                         gssize         len);
guint32        pw_string_table_lookup   (PwStringTable *self,
                                         const char    *str);
const char    *pw_string_table_get      (const PwStringTable *self,
                                         guint32        id);
guint          pw_string_table_get_size (const PwStringTable *self);
gsize          pw_string_table_get_memory_size (const PwStringTable *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwStringTable, pw_string_table_free)

G_END_DECLS
