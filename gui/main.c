/* main.c - entry point of hicov-dashboard. */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "hicov-application.h"
#include "hicov-script.h"

/* Translations: an explicit HICOV_LOCALEDIR wins; a binary run from its
 * build directory uses the catalogues built beside it; otherwise the
 * installed ones. */
static void
setup_gettext (void)
{
  const char *dir = g_getenv ("HICOV_LOCALEDIR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;

  if (dir == NULL && exe_dir != NULL &&
      g_strcmp0 (exe_dir, HICOV_BUILD_DIR) == 0)
    dir = HICOV_BUILD_LOCALEDIR;
  if (dir == NULL)
    dir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (HicovApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  setup_gettext ();

  app = hicov_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* An automation script that failed fails the run. */
  return hicov_script_failed () ? 1 : status;
}
