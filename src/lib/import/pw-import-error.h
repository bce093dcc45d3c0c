/* pw-import-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PW_IMPORT_ERROR (pw_import_error_quark ())

typedef enum
{
  PW_IMPORT_ERROR_UNKNOWN_FORMAT,  /* no importer recognises the content */
  PW_IMPORT_ERROR_MALFORMED,       /* syntax error: the message says where */
  PW_IMPORT_ERROR_INVALID,         /* well-formed, but not what the format requires */
  PW_IMPORT_ERROR_TRUNCATED,       /* ended early, and nothing usable came before */
  PW_IMPORT_ERROR_EMPTY,           /* no events at all */
  PW_IMPORT_ERROR_TOO_LARGE,       /* over a hard limit (line length, counts) */
  PW_IMPORT_ERROR_UNSUPPORTED,     /* a version or variant we do not read */
  PW_IMPORT_ERROR_IO,              /* reading or decompressing failed */
} PwImportError;

GQuark pw_import_error_quark (void);

G_END_DECLS
