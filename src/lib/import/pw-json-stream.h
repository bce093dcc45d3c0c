/* pw-json-stream.h: runs a yajl SAX parser over a PwInput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <yajl/yajl_parse.h>

#include "pw-importer.h"

G_BEGIN_DECLS

typedef enum
{
  PW_JSON_STREAM_OK,
  /* The document ended before it was complete; error says where. The
   * caller decides whether what came before is worth keeping. */
  PW_JSON_STREAM_TRUNCATED,
  PW_JSON_STREAM_FAILED,
} PwJsonStreamResult;

/* Streams the whole input through callbacks. A callback that returns 0
 * stops the parse: the caller must have stored its own error in
 * *callback_error, which is then returned as is. */
PwJsonStreamResult _pw_json_stream (PwInput               *input,
                                    const yajl_callbacks  *callbacks,
                                    gpointer               ctx,
                                    GError               **callback_error,
                                    guint64               *end_offset,
                                    GError               **error);

/* yajl's message for the error it stopped at, without its "parse error: "
 * or "lexical error: " prefix. */
char *_pw_json_describe_error (yajl_handle parser);

/* Parses a JSON number (already validated by yajl) as a double; FALSE
 * for values that are not finite. */
gboolean _pw_json_parse_double (const char *str,
                                gsize       len,
                                double     *value);

G_END_DECLS
