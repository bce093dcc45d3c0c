/* pw-test-util.h: helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <glib.h>

#include "pw-importer.h"

G_BEGIN_DECLS

/* Loads tests/data/NAME, failing the test with the importer's message. */
static inline PwProfile *
pw_test_load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PwProfile *profile = pw_import_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);

  return profile;
}

/* Loads a document given as a string, detecting its format. */
static inline PwProfile *
pw_test_load_string (const char  *text,
                     GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return pw_import_bytes (bytes, "test.json", NULL, error);
}

/* The first span named NAME anywhere in the profile. */
static inline gboolean
pw_test_find_span (PwProfile    *profile,
                   const char   *name,
                   const PwLane **lane_out,
                   guint         *span_out)
{
  guint32 id = pw_profile_lookup_string (profile, name);

  for (guint l = 0; l < pw_profile_get_n_lanes (profile); l++)
    {
      const PwLane *lane = pw_profile_get_lane (profile, l);

      for (guint s = 0; s < lane->n_spans; s++)
        if (lane->span_name[s] == id)
          {
            *lane_out = lane;
            *span_out = s;
            return TRUE;
          }
    }

  return FALSE;
}

/* A span's args, kept until the profile is freed, so that tests can
 * write strstr (pw_test_args (…), …). "" when the span has none. */
static inline const char *
pw_test_args (PwProfile *profile,
              guint32    args)
{
  GPtrArray *texts = g_object_get_data (G_OBJECT (profile), "pw-test-args");
  char *text = pw_profile_dup_args (profile, args);

  if (texts == NULL)
    {
      texts = g_ptr_array_new_with_free_func (g_free);
      g_object_set_data_full (G_OBJECT (profile), "pw-test-args", texts,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (texts, text != NULL ? text : g_strdup (""));

  return g_ptr_array_index (texts, texts->len - 1);
}

G_END_DECLS
