/* hicov-settings.h - small persistent settings kept in a keyfile.
 *
 * GSettings needs an installed, compiled schema, which a dashboard run from
 * its build directory does not have; a keyfile under
 * g_get_user_config_dir()/hicov/dashboard.ini works everywhere. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Last dataset folder the user opened, or NULL. Caller frees. */
char *hicov_settings_get_last_folder (void);
/* Remembers folder (NULL forgets it). Failures are reported through error. */
gboolean hicov_settings_set_last_folder (const char  *folder,
                                         GError     **error);

/* The issuer profile (reports/issuer.xsd) the last congress report was
 * issued with, or NULL. Caller frees. */
char *hicov_settings_get_issuer_profile (void);
/* Remembers it (NULL forgets it). */
gboolean hicov_settings_set_issuer_profile (const char  *path,
                                            GError     **error);
/* The folder where issuer profiles are looked for by the export dialog:
 * g_get_user_config_dir()/hicov/issuers. Caller frees. */
char *hicov_settings_issuer_folder (void);
/* Any other string setting by key ("map-property"), or NULL.  Caller
 * frees. */
char *hicov_settings_get_string (const char *key);
/* Remembers value under key (NULL forgets it). */
gboolean hicov_settings_set_string (const char  *key,
                                    const char  *value,
                                    GError     **error);

G_END_DECLS
