/* pw-string-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pw-string-table.h"

/* Strings are copied into large chunks so that a trace with millions of
 * events but a few thousand distinct names costs a few thousand small
 * allocations, not millions. */
#define CHUNK_SIZE (64 * 1024)

struct _PwStringTable
{
  GHashTable *ids;        /* const char * (in chunks) -> id + 1 */
  GPtrArray  *strings;    /* id -> const char * */
  GPtrArray  *chunks;
  char       *chunk_pos;
  gsize       chunk_left;
  gsize       bytes;
};

PwStringTable *
pw_string_table_new (void)
{
  PwStringTable *self = g_new0 (PwStringTable, 1);

  self->ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_ptr_array_new ();
  self->chunks = g_ptr_array_new_with_free_func (g_free);
  pw_string_table_intern (self, "", 0);

  return self;
}

void
pw_string_table_free (PwStringTable *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->ids);
  g_ptr_array_unref (self->strings);
  g_ptr_array_unref (self->chunks);
  g_free (self);
}

static char *
copy_into_chunk (PwStringTable *self,
                 const char    *str,
                 gsize          len)
{
  char *dest;

  if (len + 1 > self->chunk_left)
    {
      gsize size = MAX (CHUNK_SIZE, len + 1);

      self->chunk_pos = g_malloc (size);
      self->chunk_left = size;
      g_ptr_array_add (self->chunks, self->chunk_pos);
      self->bytes += size;
    }

  dest = self->chunk_pos;
  memcpy (dest, str, len);
  dest[len] = '\0';
  self->chunk_pos += len + 1;
  self->chunk_left -= len + 1;

  return dest;
}

guint32
pw_string_table_intern (PwStringTable *self,
                        const char    *str,
                        gssize         len)
{
  char stack_buf[256];
  g_autofree char *heap_buf = NULL;
  const char *key;
  gpointer found;
  char *copy;
  guint32 id;

  g_return_val_if_fail (self != NULL, 0);

  if (str == NULL)
    return 0;

  if (len < 0)
    {
      key = str;
      len = strlen (str);
    }
  else if ((gsize) len < sizeof stack_buf)
    {
      memcpy (stack_buf, str, len);
      stack_buf[len] = '\0';
      key = stack_buf;
    }
  else
    {
      key = heap_buf = g_strndup (str, len);
    }

  if (g_hash_table_lookup_extended (self->ids, key, NULL, &found))
    return GPOINTER_TO_UINT (found) - 1;

  copy = copy_into_chunk (self, key, len);
  id = self->strings->len;
  g_hash_table_insert (self->ids, copy, GUINT_TO_POINTER (id + 1));

  /* Names end up in Pango layouts and JSON reports, which both need valid
   * UTF-8; the raw bytes stay the key so that the same input finds it. */
  if (!g_utf8_validate_len (key, len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (key, len);
      copy = copy_into_chunk (self, valid, strlen (valid));
    }

  g_ptr_array_add (self->strings, copy);

  return id;
}

guint32
pw_string_table_lookup (PwStringTable *self,
                        const char    *str)
{
  gpointer found;

  g_return_val_if_fail (self != NULL, G_MAXUINT32);

  if (str != NULL && g_hash_table_lookup_extended (self->ids, str, NULL, &found))
    return GPOINTER_TO_UINT (found) - 1;

  return G_MAXUINT32;
}

const char *
pw_string_table_get (const PwStringTable *self,
                     guint32              id)
{
  g_return_val_if_fail (self != NULL, "");

  if (id >= self->strings->len)
    return "";

  return g_ptr_array_index (self->strings, id);
}

guint
pw_string_table_get_size (const PwStringTable *self)
{
  return self->strings->len;
}

gsize
pw_string_table_get_memory_size (const PwStringTable *self)
{
  return self->bytes + self->strings->len * (sizeof (gpointer) * 4);
}
