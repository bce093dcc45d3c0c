/* fuzz-chrome.c: libFuzzer target for the Chrome Trace Event importer
 *
 * Reads every input twice: with the streaming parser and split into three
 * chunks for the parallel one. Each must give a profile or an error, and
 * when both give a profile, the same one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "pw-import-chrome-private.h"
#include "pw-importer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static PwProfile *
load (GBytes       *bytes,
      PwChromeMode  mode)
{
  g_autoptr(PwInput) input = pw_input_new_for_bytes (bytes, "fuzz.json", NULL);
  g_autoptr(PwProfileBuilder) builder = pw_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  pw_profile_builder_set_format (builder, "chrome", "Chrome");
  ok = _pw_import_chrome_load (input, builder, mode, 3, &error);

  /* Either a profile or an error, never both, never neither. */
  if (ok == (error != NULL))
    __builtin_trap ();

  return ok ? pw_profile_builder_build (builder) : NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(PwProfile) sequential = load (bytes, PW_CHROME_MODE_SEQUENTIAL);
  g_autoptr(PwProfile) parallel = load (bytes, PW_CHROME_MODE_PARALLEL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwProfile) detected = pw_import_bytes (bytes, "fuzz.json", "chrome", &error);

  if ((detected == NULL) == (error == NULL))
    __builtin_trap ();

  if (sequential != NULL && parallel != NULL &&
      (pw_profile_get_n_spans (sequential) != pw_profile_get_n_spans (parallel) ||
       pw_profile_get_n_samples (sequential) != pw_profile_get_n_samples (parallel) ||
       pw_profile_get_n_flows (sequential) != pw_profile_get_n_flows (parallel) ||
       pw_profile_get_n_lanes (sequential) != pw_profile_get_n_lanes (parallel) ||
       pw_profile_get_duration_ns (sequential) != pw_profile_get_duration_ns (parallel)))
    __builtin_trap ();

  return 0;
}
