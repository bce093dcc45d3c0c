/* pw-json-stream.h: the one loop that runs a yajl SAX parser over a PwInput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <yajl/yajl_parse.h>

#include "pw-importer.h"

G_BEGIN_DECLS

/* Positions, in every message the importers give about JSON:
 *
 *   offset  0-based, in bytes of the decompressed stream;
 *   line    1-based, counting '\n';
 *   column  1-based, counted in bytes (not characters) from the start of
 *           the line, so that it agrees with offset for any encoding.
 *
 * The three always name the same byte. For a syntax error it is where
 * yajl stopped (yajl_get_bytes_consumed()): usually just past the token
 * it could not accept, which it counts as consumed; at that token for
 * some. For input that ends early it is the end of the input. In a
 * callback it is the byte just past the token being reported. */
typedef struct
{
  guint64 offset;
  guint64 line;
  guint64 column;
} PwJsonPosition;

typedef enum
{
  PW_JSON_STREAM_DEFAULT = 0,
  /* Allow anything after the (first) complete value. Without it, a
   * document followed by more than whitespace is malformed. */
  PW_JSON_STREAM_ALLOW_TRAILING_GARBAGE = 1 << 0,
  /* Any number of top-level values (JSON Lines). */
  PW_JSON_STREAM_MULTIPLE_VALUES = 1 << 1,
} PwJsonStreamFlags;

typedef enum
{
  PW_JSON_STREAM_OK,
  /* The input ended inside a value; the position is that of the end.
   * The caller decides whether what came before is worth keeping. */
  PW_JSON_STREAM_TRUNCATED,
  /* A syntax error; the position is that of the error. */
  PW_JSON_STREAM_MALFORMED,
  /* Reading failed, was cancelled, or a callback stopped the parse. */
  PW_JSON_STREAM_FAILED,
} PwJsonStreamResult;

typedef struct _PwJsonStream PwJsonStream;

/* Called when a line of JSON Lines is broken: the importer forgets what
 * it was inside of and says whether to go on with the next line (FALSE:
 * the error ends the parse). */
typedef gboolean (*PwJsonResyncFunc) (gpointer ctx);

/* Called with the bytes about to be given to yajl (begin) and, when yajl
 * took them all without error, after (end): for callbacks that copy raw
 * text, which must save what is left of a buffer before it is reused. */
typedef void (*PwJsonChunkFunc) (gpointer      ctx,
                                 const guint8 *data,
                                 gsize         len);

PwJsonStream *_pw_json_stream_new (PwInput              *input,
                                   const yajl_callbacks *callbacks,
                                   gpointer              ctx,
                                   PwJsonStreamFlags     flags);
void _pw_json_stream_free (PwJsonStream *stream);

/* With resync (and PW_JSON_STREAM_MULTIPLE_VALUES), a syntax error drops
 * the rest of its line and the parse goes on with the next line, with a
 * new yajl parser; the skipped lines are counted. */
void _pw_json_stream_set_resync (PwJsonStream     *stream,
                                 PwJsonResyncFunc  resync);
void _pw_json_stream_set_chunk_funcs (PwJsonStream    *stream,
                                      PwJsonChunkFunc  begin,
                                      PwJsonChunkFunc  end);
/* Where the callbacks store their error before returning 0; it is then
 * returned as is by _pw_json_stream_run(). */
void _pw_json_stream_set_callback_error (PwJsonStream  *stream,
                                         GError       **callback_error);

/* Streams the whole input through the callbacks, reporting progress and
 * checking for cancellation through the PwInput. Sets error for every
 * result but OK: TRUNCATED (PW_IMPORT_ERROR_TRUNCATED) and MALFORMED
 * (PW_IMPORT_ERROR_MALFORMED) with a message that names the file, the
 * byte, the line and column and what yajl says, e.g.
 *   "trace.json: invalid JSON at byte 1234 (line 5, column 17): …" */
PwJsonStreamResult _pw_json_stream_run (PwJsonStream  *stream,
                                        GError       **error);

/* In a callback: the exact position just past the token being reported.
 * After _pw_json_stream_run(): that of the error, of the end of the
 * input, or where a callback stopped the parse. */
void _pw_json_stream_get_position (PwJsonStream   *stream,
                                   PwJsonPosition *position);
guint64 _pw_json_stream_get_offset (PwJsonStream *stream);
/* In a callback: how many bytes of those given to the chunk begin func
 * yajl has read, up to just past the token being reported (cheap: for
 * callbacks that slice raw text out of the chunk). */
gsize _pw_json_stream_get_chunk_consumed (PwJsonStream *stream);

/* After a TRUNCATED or MALFORMED result: what yajl said (never NULL). */
const char *_pw_json_stream_get_error_detail (PwJsonStream *stream);

/* Lines dropped by resync, and the line and yajl's words for the first. */
guint64 _pw_json_stream_get_n_skipped_lines (PwJsonStream  *stream,
                                             guint64       *first_line,
                                             const char   **first_detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwJsonStream, _pw_json_stream_free)

/* yajl's message for the error it stopped at, without its "parse error: "
 * or "lexical error: " prefix. */
char *_pw_json_describe_error (yajl_handle parser);

/* Parses a JSON number (already validated by yajl) as a double; FALSE
 * for values that are not finite. */
gboolean _pw_json_parse_double (const char *str,
                                gsize       len,
                                double     *value);

G_END_DECLS
