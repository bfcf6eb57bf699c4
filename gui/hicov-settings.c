/* hicov-settings.c - keyfile-backed settings. */
#include "config.h"

#include <errno.h>

#include "hicov-settings.h"

#define GROUP "dashboard"

static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "hicov",
                           "dashboard.ini", NULL);
}

static char *
get_string (const char *key)
{
  g_autofree char *path = settings_path ();
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (kf, GROUP, key, NULL);
}

static gboolean
set_string (const char  *key,
            const char  *value,
            GError     **error)
{
  g_autofree char *path = settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  /* Keep other keys a later version may have written. */
  g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  if (value != NULL)
    g_key_file_set_string (kf, GROUP, key, value);
  else
    g_key_file_remove_key (kf, GROUP, key, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, (gint) g_file_error_from_errno (saved),
                   "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (kf, path, error);
}

char *
hicov_settings_get_last_folder (void)
{
  return get_string ("last-folder");
}

gboolean
hicov_settings_set_last_folder (const char  *folder,
                                GError     **error)
{
  return set_string ("last-folder", folder, error);
}

char *
hicov_settings_get_issuer_profile (void)
{
  return get_string ("issuer-profile");
}

gboolean
hicov_settings_set_issuer_profile (const char  *path,
                                   GError     **error)
{
  return set_string ("issuer-profile", path, error);
}

char *
hicov_settings_issuer_folder (void)
{
  return g_build_filename (g_get_user_config_dir (), "hicov", "issuers",
                           NULL);
}

char *
hicov_settings_get_string (const char *key)
{
  return get_string (key);
}

gboolean
hicov_settings_set_string (const char  *key,
                           const char  *value,
                           GError     **error)
{
  return set_string (key, value, error);
}
