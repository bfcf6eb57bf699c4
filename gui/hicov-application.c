/* hicov-application.c - the dashboard's GtkApplication.
 *
 * Started with no file it shows the built-in demo; a folder given on the
 * command line (or through File > Open) is loaded as a dataset. The
 * --script option (or HICOV_DASHBOARD_SCRIPT) runs an automation script
 * once the window has drawn its first frame; the GUI tests use it. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-application.h"
#include "hicov-script.h"
#include "hicov-timing.h"
#include "hicov-window.h"

struct _HicovApplication
{
  GtkApplication parent_instance;

  char *script;
};

G_DEFINE_FINAL_TYPE (HicovApplication, hicov_application, GTK_TYPE_APPLICATION)

static gboolean
desktop_prefers_dark (void)
{
  const char *theme = g_getenv ("GTK_THEME");
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (theme != NULL)
    return g_str_has_suffix (theme, ":dark");
  /* GTK 4.8 does not follow the desktop's colour scheme by itself. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source,
                                              "org.gnome.desktop.interface",
                                              TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "color-scheme"))
    {
      g_autoptr (GSettings) settings =
        g_settings_new ("org.gnome.desktop.interface");
      g_autofree char *scheme = g_settings_get_string (settings,
                                                       "color-scheme");
      return g_strcmp0 (scheme, "prefer-dark") == 0;
    }
  return FALSE;
}

static void
dark_theme_changed (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  g_simple_action_set_state (action, state);
  g_object_set (gtk_settings_get_default (),
                "gtk-application-prefer-dark-theme",
                g_variant_get_boolean (state), NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close windows so their dispose runs, then quit. */
  for (GList *l = windows; l != NULL; )
    {
      GList *next = l->next;
      gtk_window_destroy (GTK_WINDOW (l->data));
      l = next;
    }
  g_application_quit (app);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { "hicov contributors", NULL };
  g_autofree char *comments =
    g_strdup_printf ("%s\n%s %s",
                     _("Health-insurance coverage and spending against "
                       "the resolutions' targets"),
                     _("Core library"), hicov_version ());

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("hicov Dashboard"),
                         "logo-icon-name", HICOV_APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", comments,
                         "license-type", GTK_LICENSE_MIT_X11,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
hicov_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_activated },
    { .name = "about", .activate = about_activated },
    { .name = "dark-theme", .parameter_type = NULL, .state = "false",
      .change_state = dark_theme_changed },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  GAction *dark;

  hicov_timing_mark ("startup");
  G_APPLICATION_CLASS (hicov_application_parent_class)->startup (app);
  hicov_timing_mark ("gtk-initialised");

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries,
                                   G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         quit_accels);
  dark = g_action_map_lookup_action (G_ACTION_MAP (app), "dark-theme");
  g_action_change_state (dark, g_variant_new_boolean (desktop_prefers_dark ()));

  gtk_css_provider_load_from_resource (css,
                                       "/org/hicov/Dashboard/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (HICOV_APPLICATION_ID);
  hicov_timing_mark ("startup-done");
}

static HicovWindow *
ensure_window (HicovApplication *self,
               gboolean         *created)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = win == NULL;
  if (win == NULL)
    win = GTK_WINDOW (hicov_window_new (self));
  return HICOV_WINDOW (win);
}

static void
start_script (HicovApplication *self,
              HicovWindow      *win)
{
  const char *script = self->script != NULL
                         ? self->script
                         : g_getenv ("HICOV_DASHBOARD_SCRIPT");

  if (script != NULL && script[0] != '\0')
    hicov_script_run (win, script);
}

static void
hicov_application_activate (GApplication *app)
{
  HicovApplication *self = HICOV_APPLICATION (app);
  gboolean created;
  HicovWindow *win;

  hicov_timing_mark ("activate");
  win = ensure_window (self, &created);
  hicov_timing_mark ("window-constructed");
  if (created)
    hicov_window_load_demo (win);
  hicov_timing_mark ("demo-loaded");
  gtk_window_present (GTK_WINDOW (win));
  hicov_timing_mark ("presented");
  if (created)
    start_script (self, win);
}

static void
hicov_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  HicovApplication *self = HICOV_APPLICATION (app);
  gboolean created;
  HicovWindow *win = ensure_window (self, &created);
  g_autofree char *path = n_files > 0 ? g_file_get_path (files[0]) : NULL;

  if (path != NULL)
    hicov_window_load_folder (win, path);
  else if (created)
    hicov_window_load_demo (win);
  gtk_window_present (GTK_WINDOW (win));
  if (created)
    start_script (self, win);
}

static int
hicov_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  HicovApplication *self = HICOV_APPLICATION (app);
  const char *script = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("hicov-dashboard %s (core %s, GTK %u.%u.%u)\n", PACKAGE_VERSION,
               hicov_version (), gtk_get_major_version (),
               gtk_get_minor_version (), gtk_get_micro_version ());
      return 0;
    }
  if (g_variant_dict_lookup (options, "script", "^&ay", &script))
    {
      g_free (self->script);
      self->script = g_strdup (script);
    }
  return -1;
}

static void
hicov_application_finalize (GObject *object)
{
  HicovApplication *self = HICOV_APPLICATION (object);

  g_free (self->script);
  G_OBJECT_CLASS (hicov_application_parent_class)->finalize (object);
}

static void
hicov_application_class_init (HicovApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hicov_application_finalize;
  app_class->startup = hicov_application_startup;
  app_class->activate = hicov_application_activate;
  app_class->open = hicov_application_open;
  app_class->handle_local_options = hicov_application_handle_local_options;
}

static void
hicov_application_init (HicovApplication *self)
{
  static const GOptionEntry options[] = {
    { "script", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Run an automation script after the first frame (for tests)"),
      N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[DATASET-FOLDER]"));
}

HicovApplication *
hicov_application_new (void)
{
  /* NON_UNIQUE: officials compare datasets in two windows, and tests run
   * without a session bus. */
  return g_object_new (HICOV_TYPE_APPLICATION,
                       "application-id", HICOV_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN |
                                G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/hicov/Dashboard",
                       NULL);
}
