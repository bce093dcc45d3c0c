/* pw-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pw-loader"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pw-import-private.h"
#include "pw-importer.h"
#include "pw-loader.h"

struct _PwLoader
{
  GObject  parent_instance;
  GFile   *file;
  GBytes  *bytes;
  char    *display_name;
  char    *format_id;
  /* import options (PwInput's), key -> value */
  GHashTable *options;
  char    *message;
  double   fraction;
  /* written by the worker, read by the main context's timeout */
  gint     progress_permille;
  guint    progress_source;
};

enum {
  PROP_0,
  PROP_FILE,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PwLoader, pw_loader, G_TYPE_OBJECT)

static void
pw_loader_dispose (GObject *object)
{
  PwLoader *self = (PwLoader *)object;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (pw_loader_parent_class)->dispose (object);
}

static void
pw_loader_finalize (GObject *object)
{
  PwLoader *self = (PwLoader *)object;

  g_free (self->display_name);
  g_free (self->format_id);
  g_clear_pointer (&self->options, g_hash_table_unref);
  g_free (self->message);

  G_OBJECT_CLASS (pw_loader_parent_class)->finalize (object);
}

static void
pw_loader_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PwLoader *self = PW_LOADER (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_loader_class_init (PwLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_loader_dispose;
  object_class->finalize = pw_loader_finalize;
  object_class->get_property = pw_loader_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_loader_init (PwLoader *self)
{
}

PwLoader *
pw_loader_new (GFile *file)
{
  PwLoader *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PW_TYPE_LOADER, NULL);
  self->file = g_object_ref (file);
  self->display_name = g_file_get_basename (file);

  return self;
}

PwLoader *
pw_loader_new_for_bytes (GBytes     *bytes,
                         const char *display_name)
{
  PwLoader *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (PW_TYPE_LOADER, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->display_name = g_strdup (display_name);

  return self;
}

GFile *
pw_loader_get_file (PwLoader *self)
{
  g_return_val_if_fail (PW_IS_LOADER (self), NULL);
  return self->file;
}

const char *
pw_loader_get_display_name (PwLoader *self)
{
  g_return_val_if_fail (PW_IS_LOADER (self), NULL);
  return self->display_name;
}

double
pw_loader_get_fraction (PwLoader *self)
{
  g_return_val_if_fail (PW_IS_LOADER (self), 0.0);
  return self->fraction;
}

const char *
pw_loader_get_message (PwLoader *self)
{
  g_return_val_if_fail (PW_IS_LOADER (self), NULL);
  return self->message;
}

void
pw_loader_set_format (PwLoader   *self,
                      const char *format_id)
{
  g_return_if_fail (PW_IS_LOADER (self));

  g_free (self->format_id);
  self->format_id = g_strdup (format_id);
}

void
pw_loader_set_option (PwLoader   *self,
                      const char *key,
                      const char *value)
{
  g_return_if_fail (PW_IS_LOADER (self));
  g_return_if_fail (key != NULL);

  _pw_options_set (&self->options, key, value);
}

const char *
pw_loader_get_option (PwLoader   *self,
                      const char *key)
{
  g_return_val_if_fail (PW_IS_LOADER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return self->options != NULL ? g_hash_table_lookup (self->options, key) : NULL;
}

static void
set_message (PwLoader   *self,
             const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_fraction (PwLoader *self,
              double    fraction)
{
  if (fraction == self->fraction)
    return;

  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
on_worker_progress (double   fraction,
                    gpointer user_data)
{
  PwLoader *self = user_data;

  g_atomic_int_set (&self->progress_permille, (gint)(fraction * 1000.0));
}

/* Polling a value the worker writes keeps the main loop free of a flood
 * of idle callbacks from a fast reader. */
static gboolean
poll_progress (gpointer user_data)
{
  PwLoader *self = user_data;

  set_fraction (self, g_atomic_int_get (&self->progress_permille) / 1000.0);

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GFile  *file;
  GBytes *bytes;
  char   *display_name;
  char   *format_id;
  /* key, value, key, value…, NULL: a copy the worker owns */
  char  **options;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->file);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load->display_name);
  g_free (load->format_id);
  g_strfreev (load->options);
  g_free (load);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PwLoader *self = source_object;
  LoadData *load = task_data;
  g_autoptr(PwInput) input = NULL;
  g_autoptr(GError) error = NULL;
  PwProfile *profile;

  if (load->file != NULL)
    input = pw_input_new_for_file (load->file, cancellable, &error);
  else
    input = pw_input_new_for_bytes (load->bytes, load->display_name, cancellable);

  if (input == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pw_input_set_progress_func (input, on_worker_progress, self);
  for (guint i = 0; load->options != NULL && load->options[i] != NULL; i += 2)
    pw_input_set_option (input, load->options[i], load->options[i + 1]);

  if (!(profile = pw_import_input (input, load->format_id, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

void
pw_loader_load_async (PwLoader            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (PW_IS_LOADER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_loader_load_async);
  g_task_set_check_cancellable (task, TRUE);

  load = g_new0 (LoadData, 1);
  load->file = self->file ? g_object_ref (self->file) : NULL;
  load->bytes = self->bytes ? g_bytes_ref (self->bytes) : NULL;
  load->display_name = g_strdup (self->display_name);
  load->format_id = g_strdup (self->format_id);
  if (self->options != NULL && g_hash_table_size (self->options) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;
      guint n = 0;

      load->options = g_new0 (char *, 2 * g_hash_table_size (self->options) + 1);
      g_hash_table_iter_init (&iter, self->options);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          load->options[n++] = g_strdup (key);
          load->options[n++] = g_strdup (value);
        }
    }
  g_task_set_task_data (task, load, load_data_free);

  set_fraction (self, 0.0);
  set_message (self, _("Reading…"));
  g_atomic_int_set (&self->progress_permille, 0);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress_source = g_timeout_add (100, poll_progress, self);

  g_task_run_in_thread (task, load_worker);
}

PwProfile *
pw_loader_load_finish (PwLoader      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  PwProfile *profile;

  g_return_val_if_fail (PW_IS_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  g_clear_handle_id (&self->progress_source, g_source_remove);

  profile = g_task_propagate_pointer (G_TASK (result), error);
  if (profile != NULL)
    {
      set_fraction (self, 1.0);
      set_message (self, NULL);
    }

  return profile;
}
