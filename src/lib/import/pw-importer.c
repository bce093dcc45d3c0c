/* pw-importer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-importer"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"

/* In order of preference when two importers are equally sure. */
static const PwImporter * const importers[] = {
  &_pw_importer_chrome,
  &_pw_importer_firefox,
  &_pw_importer_otlp,
  &_pw_importer_jaeger,
  &_pw_importer_zipkin,
  &_pw_importer_timing,
  &_pw_importer_speedscope,
  &_pw_importer_cpuprofile,
  &_pw_importer_perf,
  &_pw_importer_folded,
#ifdef HAVE_PROTOBUF_C
  &_pw_importer_pprof,
#endif
};

const PwImporter * const *
pw_importers_get_all (guint *n_importers)
{
  if (n_importers != NULL)
    *n_importers = G_N_ELEMENTS (importers);
  return importers;
}

const PwImporter *
pw_importers_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (importers); i++)
    if (g_strcmp0 (importers[i]->id, id) == 0)
      return importers[i];

  return NULL;
}

const PwImporter *
pw_importers_sniff (const guint8 *head,
                    gsize         len,
                    const char   *filename)
{
  const PwImporter *best = NULL;
  guint best_score = 0;

  for (guint i = 0; i < G_N_ELEMENTS (importers); i++)
    {
      guint score = importers[i]->sniff (head, len, filename);

      if (score > best_score)
        {
          best = importers[i];
          best_score = score;
        }
    }

  return best;
}

PwProfile *
pw_import_input (PwInput     *input,
                 const char  *format_id,
                 GError     **error)
{
  g_autoptr(PwProfileBuilder) builder = NULL;
  const PwImporter *importer;
  const guint8 *head;
  gsize head_len = 0;
  guint64 n_events;

  g_return_val_if_fail (input != NULL, NULL);

  head = pw_input_peek (input, &head_len, error);
  if (head == NULL)
    return NULL;

  if (format_id != NULL)
    {
      importer = pw_importers_find (format_id);
      if (importer == NULL)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("Unknown format “%s”; “phasewise-cli formats” lists them"), format_id);
          return NULL;
        }
    }
  else
    {
      gsize content_len = head_len;

      if (_pw_skip_space (head, &content_len) == NULL || content_len == 0)
        {
          if (_pw_input_was_truncated (input))
            g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_TRUNCATED,
                         _("%s: the compressed data breaks off before any content: "
                           "the file is damaged or was cut short"),
                         pw_input_get_display_name (input));
          else
            g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY,
                         _("%s: the file is empty"), pw_input_get_display_name (input));
          return NULL;
        }

      importer = pw_importers_sniff (head, head_len, pw_input_get_display_name (input));
      if (importer == NULL)
        {
          g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s: not a profile or trace format that Phasewise reads"),
                       pw_input_get_display_name (input));
          return NULL;
        }
    }

  builder = pw_profile_builder_new ();
  pw_profile_builder_set_format (builder, importer->id, _(importer->name));
  pw_profile_builder_set_title (builder, pw_input_get_display_name (input));

  if (!importer->load (input, builder, error))
    return NULL;

  if (_pw_input_was_truncated (input))
    pw_profile_builder_add_warning (builder,
                                    _("The compressed file ends early: showing what was complete"));

  pw_input_report_progress (input, 1.0);

  n_events = pw_profile_builder_get_n_spans (builder) + pw_profile_builder_get_n_samples (builder);
  if (n_events == 0)
    {
      g_autoptr(PwProfile) profile = pw_profile_builder_build (builder);

      if (pw_profile_get_n_instants (profile) == 0 && pw_profile_get_n_counters (profile) == 0)
        {
          const char * const *warnings = pw_profile_get_warnings (profile);

          /* what was dropped is why it is empty: say it */
          if (warnings[0] != NULL)
            g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY,
                         _("%s: read as %s, but no span, sample or event in it could be used: %s"),
                         pw_input_get_display_name (input), _(importer->name), warnings[0]);
          else
            g_set_error (error, PW_IMPORT_ERROR, PW_IMPORT_ERROR_EMPTY,
                         _("%s: read as %s, but it holds no spans, samples or events"),
                         pw_input_get_display_name (input), _(importer->name));
          return NULL;
        }

      return g_steal_pointer (&profile);
    }

  return pw_profile_builder_build (builder);
}

PwProfile *
pw_import_file (GFile          *file,
                const char     *format_id,
                GCancellable   *cancellable,
                PwProgressFunc  progress,
                gpointer        progress_data,
                GError        **error)
{
  g_autoptr(PwInput) input = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!(input = pw_input_new_for_file (file, cancellable, error)))
    return NULL;

  pw_input_set_progress_func (input, progress, progress_data);

  return pw_import_input (input, format_id, error);
}

PwProfile *
pw_import_bytes (GBytes      *bytes,
                 const char  *display_name,
                 const char  *format_id,
                 GError     **error)
{
  g_autoptr(PwInput) input = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  input = pw_input_new_for_bytes (bytes, display_name, NULL);

  return pw_import_input (input, format_id, error);
}

gboolean
_pw_parse_int64 (const char *str,
                 gsize       len,
                 gint64     *value)
{
  char buf[32];
  char *end = NULL;
  gint64 v;

  if (len == 0 || len >= sizeof buf)
    return FALSE;

  memcpy (buf, str, len);
  buf[len] = '\0';
  errno = 0;
  v = g_ascii_strtoll (buf, &end, 10);
  if (errno != 0 || end != buf + len)
    return FALSE;

  *value = v;
  return TRUE;
}

gboolean
_pw_parse_usec_to_nsec (const char *str,
                        gsize       len,
                        gint64     *nsec)
{
  const char *p = str;
  const char *end = str + len;
  gboolean negative = FALSE;
  guint64 whole = 0;
  guint64 frac = 0;
  guint frac_digits = 0;
  gboolean any = FALSE;

  if (p < end && (*p == '-' || *p == '+'))
    negative = *p++ == '-';

  while (p < end && g_ascii_isdigit (*p))
    {
      if (whole > (G_MAXINT64 / 1000 - 9) / 10)
        goto slow;
      whole = whole * 10 + (*p++ - '0');
      any = TRUE;
    }

  if (p < end && *p == '.')
    {
      p++;
      while (p < end && g_ascii_isdigit (*p))
        {
          /* nanosecond precision is three decimals of a microsecond;
           * round on the fourth */
          if (frac_digits < 3)
            frac = frac * 10 + (*p - '0');
          else if (frac_digits == 3 && *p >= '5')
            frac++;
          frac_digits++;
          p++;
          any = TRUE;
        }
    }

  if (p != end)
    goto slow;
  if (!any)
    return FALSE;

  for (guint i = MIN (frac_digits, 3); i < 3; i++)
    frac *= 10;

  *nsec = (gint64)(whole * 1000 + frac) * (negative ? -1 : 1);
  return TRUE;

slow:
  {
    char buf[64];
    char *endp = NULL;
    double v;

    if (len >= sizeof buf)
      return FALSE;
    memcpy (buf, str, len);
    buf[len] = '\0';
    v = g_ascii_strtod (buf, &endp);
    if (endp != buf + len || !isfinite (v) || fabs (v) > 9.2e15)
      return FALSE;
    *nsec = (gint64) llround (v * 1000.0);
    return TRUE;
  }
}

const guint8 *
_pw_skip_space (const guint8 *head,
                gsize        *len)
{
  gsize i = 0;

  if (*len >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
    i = 3;

  while (i < *len && g_ascii_isspace (head[i]))
    i++;

  *len -= i;
  return head + i;
}

gboolean
_pw_head_contains (const guint8 *head,
                   gsize         len,
                   const char   *needle)
{
  return memmem (head, len, needle, strlen (needle)) != NULL;
}
