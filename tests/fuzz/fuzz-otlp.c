/* fuzz-otlp.c: libFuzzer target for the otlp importer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "pw-importer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  PwProfile *profile = pw_import_bytes (bytes, "fuzz", "otlp", &error);

  /* An importer answers with a profile or an error, never both or neither. */
  if ((profile == NULL) == (error == NULL))
    __builtin_trap ();

  g_clear_object (&profile);
  return 0;
}
