/* pw-args-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "pw-args-store.h"

/* Big enough for deflate to find the repeats between texts (keys, URLs),
 * small enough that inflating one on a click is unnoticeable (~0.1 ms). */
#define BLOCK_SIZE (64 * 1024)

/* A text longer than this is not kept: no args of a real trace come near
 * it, and block lengths stay within 32 bits. */
#define MAX_TEXT_SIZE (256 * 1024 * 1024)

typedef struct
{
  guint32  first_id;
  guint32  raw_len;
  guint32  stored_len;
  gboolean compressed;
  guint8  *data;
} Block;

struct _PwArgsStore
{
  GArray     *blocks;        /* Block, in id order */
  /* The block being filled, each text preceded by its length as a
   * varint: texts may hold any byte, and no per-text index is kept. */
  GByteArray *pending;
  guint32     pending_first;
  guint32     count;
  guint64     text_size;

  /* One deflater for all blocks, reset between them: setting one up
   * costs ~270 KB of fresh memory, more than a 64 KB block is worth. */
  z_stream    deflater;
  gboolean    deflater_ready;
  guint8     *scratch;
  gsize       scratch_len;

  /* The last block inflated: a selection often moves to a neighbour. */
  GMutex      cache_lock;
  guint       cache_block;
  guint8     *cache_data;
};

static void
clear_block (gpointer data)
{
  Block *block = data;

  g_free (block->data);
}

PwArgsStore *
pw_args_store_new (void)
{
  PwArgsStore *self = g_new0 (PwArgsStore, 1);

  self->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_set_clear_func (self->blocks, clear_block);
  self->pending = g_byte_array_new ();
  self->pending_first = 1;
  self->cache_block = G_MAXUINT;
  g_mutex_init (&self->cache_lock);

  return self;
}

void
pw_args_store_free (PwArgsStore *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->blocks);
  g_byte_array_unref (self->pending);
  if (self->deflater_ready)
    deflateEnd (&self->deflater);
  g_free (self->scratch);
  g_free (self->cache_data);
  g_mutex_clear (&self->cache_lock);
  g_free (self);
}

static void
forget_cache (PwArgsStore *self)
{
  g_mutex_lock (&self->cache_lock);
  g_clear_pointer (&self->cache_data, g_free);
  self->cache_block = G_MAXUINT;
  g_mutex_unlock (&self->cache_lock);
}

void
pw_args_store_seal (PwArgsStore *self)
{
  Block block = { 0 };
  gsize bound;
  gboolean deflated = FALSE;

  g_return_if_fail (self != NULL);

  if (self->pending->len == 0)
    return;

  block.first_id = self->pending_first;
  block.raw_len = self->pending->len;

  /* Level 1: args are most of a trace's bytes, and the higher levels
   * cost several times the time for a few percent less. Raw deflate:
   * the blocks need no header or checksum of their own. */
  if (!self->deflater_ready)
    self->deflater_ready = deflateInit2 (&self->deflater, 1, Z_DEFLATED, -MAX_WBITS, 8,
                                         Z_DEFAULT_STRATEGY) == Z_OK;
  else
    deflateReset (&self->deflater);

  bound = deflateBound (&self->deflater, block.raw_len);
  if (self->scratch_len < bound)
    {
      g_free (self->scratch);
      self->scratch = g_malloc (bound);
      self->scratch_len = bound;
    }

  if (self->deflater_ready)
    {
      self->deflater.next_in = self->pending->data;
      self->deflater.avail_in = block.raw_len;
      self->deflater.next_out = self->scratch;
      self->deflater.avail_out = self->scratch_len;
      deflated = deflate (&self->deflater, Z_FINISH) == Z_STREAM_END &&
                 self->deflater.total_out < block.raw_len;
    }

  if (deflated)
    {
      block.compressed = TRUE;
      block.stored_len = self->deflater.total_out;
      block.data = g_memdup2 (self->scratch, block.stored_len);
    }
  else
    {
      block.compressed = FALSE;
      block.stored_len = block.raw_len;
      block.data = g_memdup2 (self->pending->data, block.raw_len);
    }

  g_array_append_val (self->blocks, block);
  g_byte_array_set_size (self->pending, 0);
  self->pending_first = self->count + 1;
}

void
pw_args_store_finish (PwArgsStore *self)
{
  g_return_if_fail (self != NULL);

  pw_args_store_seal (self);
  if (self->deflater_ready)
    deflateEnd (&self->deflater);
  self->deflater_ready = FALSE;
  g_clear_pointer (&self->scratch, g_free);
  self->scratch_len = 0;
}

guint32
pw_args_store_add (PwArgsStore *self,
                   const char  *text,
                   gsize        len)
{
  guint8 prefix[10];
  guint n_prefix = 0;
  gsize rest = len;

  g_return_val_if_fail (self != NULL, 0);

  if (text == NULL || len > MAX_TEXT_SIZE || self->count == G_MAXUINT32)
    return 0;

  if (self->pending->len > 0 && self->pending->len + len > BLOCK_SIZE)
    pw_args_store_seal (self);

  do
    {
      prefix[n_prefix++] = (rest & 0x7f) | (rest > 0x7f ? 0x80 : 0);
      rest >>= 7;
    }
  while (rest > 0);

  g_byte_array_append (self->pending, prefix, n_prefix);
  g_byte_array_append (self->pending, (const guint8 *) text, len);
  self->text_size += len;

  return ++self->count;
}

guint32
pw_args_store_get_count (PwArgsStore *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->count;
}

void
pw_args_store_append (PwArgsStore *self,
                      PwArgsStore *other)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (other != NULL);
  g_return_if_fail (self != other);

  if (other->count == 0)
    return;
  g_return_if_fail (other->count <= G_MAXUINT32 - self->count);

  pw_args_store_seal (self);
  pw_args_store_seal (other);

  for (guint i = 0; i < other->blocks->len; i++)
    {
      Block block = g_array_index (other->blocks, Block, i);

      block.first_id += self->count;
      g_array_append_val (self->blocks, block);
    }
  /* the blocks' data now belongs to self */
  g_array_set_clear_func (other->blocks, NULL);
  g_array_set_size (other->blocks, 0);
  g_array_set_clear_func (other->blocks, clear_block);

  self->count += other->count;
  self->pending_first = self->count + 1;
  self->text_size += other->text_size;

  other->count = 0;
  other->pending_first = 1;
  other->text_size = 0;
  forget_cache (other);
}

static guint
find_block (PwArgsStore *self,
            guint32      id)
{
  guint lo = 0, hi = self->blocks->len;

  /* the last block whose first id is at most id */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->blocks, Block, mid).first_id <= id)
        lo = mid;
      else
        hi = mid;
    }

  return lo;
}

/* Skips to the entry'th text of data and copies it. */
static char *
dup_entry (const guint8 *data,
           gsize         len,
           guint32       entry)
{
  gsize pos = 0;

  for (;;)
    {
      guint64 text_len = 0;
      guint shift = 0;

      while (pos < len && shift < 64)
        {
          guint8 byte = data[pos++];

          text_len |= (guint64) (byte & 0x7f) << shift;
          shift += 7;
          if ((byte & 0x80) == 0)
            break;
        }

      if (text_len > len - pos)
        return NULL;
      if (entry == 0)
        {
          char *text = g_malloc (text_len + 1);

          memcpy (text, data + pos, text_len);
          text[text_len] = '\0';
          return text;
        }

      pos += text_len;
      entry--;
    }
}

char *
pw_args_store_dup (PwArgsStore *self,
                   guint32      id)
{
  const Block *block;
  guint index;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);

  if (id == 0 || id > self->count)
    return NULL;

  if (id >= self->pending_first)
    return dup_entry (self->pending->data, self->pending->len, id - self->pending_first);

  index = find_block (self, id);
  block = &g_array_index (self->blocks, Block, index);

  if (!block->compressed)
    return dup_entry (block->data, block->raw_len, id - block->first_id);

  g_mutex_lock (&self->cache_lock);
  if (self->cache_block != index)
    {
      z_stream inflater = { 0 };
      guint8 *raw = g_malloc (MAX (block->raw_len, 1));
      gboolean ok = FALSE;

      if (inflateInit2 (&inflater, -MAX_WBITS) == Z_OK)
        {
          inflater.next_in = block->data;
          inflater.avail_in = block->stored_len;
          inflater.next_out = raw;
          inflater.avail_out = block->raw_len;
          ok = inflate (&inflater, Z_FINISH) == Z_STREAM_END && inflater.total_out == block->raw_len;
          inflateEnd (&inflater);
        }
      if (!ok)
        {
          /* only memory corruption gets here: our own deflate output */
          g_free (raw);
          g_mutex_unlock (&self->cache_lock);
          return NULL;
        }

      g_free (self->cache_data);
      self->cache_data = raw;
      self->cache_block = index;
    }
  text = dup_entry (self->cache_data, block->raw_len, id - block->first_id);
  g_mutex_unlock (&self->cache_lock);

  return text;
}

gsize
pw_args_store_get_memory_size (PwArgsStore *self)
{
  gsize size;

  g_return_val_if_fail (self != NULL, 0);

  size = sizeof *self + self->blocks->len * sizeof (Block) + self->pending->len;
  for (guint i = 0; i < self->blocks->len; i++)
    size += g_array_index (self->blocks, Block, i).stored_len;

  return size;
}

guint64
pw_args_store_get_text_size (PwArgsStore *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->text_size;
}
