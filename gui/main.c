/* main.c - entry point of hicov-dashboard. */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "hicov.h"

#include "hicov-application.h"
#include "hicov-script.h"
#include "hicov-timing.h"

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

/* The core writes its reasons and messages in the process's language,
 * which it reads from the environment when the locale is not installed;
 * glibc's gettext, which translates the windows, then gives English.  So
 * that the dashboard speaks one language, tell the core the one gettext
 * chose (the catalogue answers "vi" for the report language). */
static void
align_core_language (void)
{
  const char *ui = C_("report language", "en");

  if (g_strcmp0 (hicov_text_lang (NULL), hicov_text_lang (ui)) != 0)
    g_setenv ("LANGUAGE", hicov_text_lang (ui), TRUE);
}

/* Without a GPU device node, Mesa can only draw OpenGL in software
 * (llvmpipe): loading it lengthens start-up, and the GL renderer then
 * redraws our cairo-drawn charts more slowly than the cairo renderer does
 * (tests/bench/RESULTS.md). So on such machines (virtual desktops, Xvfb,
 * remote sessions) GDK's GL is disabled, which makes GSK use the cairo
 * renderer. A user's own GSK_RENDERER or GDK_DEBUG setting always wins,
 * and HICOV_DASHBOARD_GL=1 keeps GL. */
static gboolean
gl_is_software (void)
{
  const char *sw = g_getenv ("LIBGL_ALWAYS_SOFTWARE");
  g_autoptr (GDir) dri = NULL;
  const char *name;

  if (sw != NULL && sw[0] != '\0' && g_strcmp0 (sw, "0") != 0)
    return TRUE;
  /* NVIDIA's own driver has no DRM render node. */
  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return FALSE;
  dri = g_dir_open ("/dev/dri", 0, NULL);
  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return FALSE;
  return TRUE;
}

static void
choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL ||
      g_strcmp0 (g_getenv ("HICOV_DASHBOARD_GL"), "1") == 0)
    return;
  if (gl_is_software ())
    {
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
      /* Go straight to cairo rather than fail GL first, with a message. */
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (HicovApplication) app = NULL;
  int status;

  hicov_timing_mark ("main");
  /* Before GTK starts any thread that could read the environment. */
  choose_renderer ();
  setlocale (LC_ALL, "");
  setup_gettext ();
  align_core_language ();

  app = hicov_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* An automation script that failed fails the run. */
  return hicov_script_failed () ? 1 : status;
}
