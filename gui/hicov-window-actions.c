/* hicov-window-actions.c - the window's win.* actions, their handlers and
 * keyboard shortcuts. The handlers are thin: they open a dialog or call
 * the window's API (loading, selection, printing, reports). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hicov-file-dialog.h"
#include "hicov-report-export.h"
#include "hicov-settings.h"
#include "hicov-window-private.h"

/* ------------------------------------------------------------------------ */
/* Datasets                                                                  */

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  HicovWindow     *self)
{
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);

  if (path != NULL)
    hicov_window_load_folder (self, path);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = hicov_file_dialog_new (GTK_WINDOW (self), _("Open Dataset Folder"),
                                  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                  _("_Open"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_open_lenient_response (GtkNativeDialog *dialog,
                          int              response,
                          HicovWindow     *self)
{
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);

  if (path != NULL)
    hicov_window_load_folder_full (self, path, TRUE);
}

static void
open_lenient_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = hicov_file_dialog_new (GTK_WINDOW (self),
                                  _("Open Dataset Folder, Skipping Bad Rows"),
                                  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                  _("_Open"));
  g_signal_connect (dialog, "response",
                    G_CALLBACK (on_open_lenient_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  g_autofree char *last = hicov_settings_get_last_folder ();

  if (last != NULL)
    hicov_window_load_folder (self, last);
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  hicov_window_load_demo (HICOV_WINDOW (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);

  if (self->folder != NULL)
    {
      g_autofree char *folder = g_strdup (self->folder);
      hicov_window_load_folder (self, folder);
    }
  else
    hicov_window_load_demo (self);
}

/* ------------------------------------------------------------------------ */
/* Reports and printing                                                      */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _hicov_window_print (HICOV_WINDOW (widget));
}

/* The choice of issuer profiles in the export dialog: "none", then the
 * profiles in the settings' folder, then the one last used if it lies
 * elsewhere.  Returns the paths (the choice's ids), NULL-terminated. */
static GStrv
add_issuer_choice (GtkFileChooser *chooser,
                   const char     *current)
{
  g_autofree char *folder = hicov_settings_issuer_folder ();
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_ptr_array_add (ids, g_strdup ("none"));
  g_ptr_array_add (labels, g_strdup (_("None (places left to fill in)")));
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_ptr_array_add (ids, g_build_filename (folder, n, NULL));
      g_ptr_array_add (labels, g_strndup (n, strlen (n) - 4));
    }
  if (current != NULL &&
      !g_strv_contains ((const char *const *) ids->pdata, current))
    {
      g_ptr_array_add (ids, g_strdup (current));
      g_ptr_array_add (labels, g_path_get_basename (current));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);
  gtk_file_chooser_add_choice (chooser, "issuer",
                               _("Issuing agency (profile)"),
                               (const char **) ids->pdata,
                               (const char **) labels->pdata);
  gtk_file_chooser_set_choice (chooser, "issuer",
                               current != NULL ? current : "none");
  return (GStrv) g_ptr_array_steal (ids, NULL);
}

static void
on_export_report_response (GtkNativeDialog *dialog,
                           int              response,
                           HicovWindow     *self)
{
  const char *issuer = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog),
                                                    "issuer");

  if (response == GTK_RESPONSE_ACCEPT && issuer != NULL)
    {
      const char *chosen = g_str_equal (issuer, "none") ? NULL : issuer;
      g_autoptr (GError) error = NULL;

      hicov_window_set_issuer_profile (self, chosen);
      if (!hicov_settings_set_issuer_profile (chosen, &error))
        g_warning ("%s", error->message);
    }
  g_strfreev (g_object_steal_data (G_OBJECT (dialog), "issuer-ids"));
  g_autofree char *path = hicov_file_dialog_finish (dialog, response);

  /* A name typed without an extension gets the PDF one. */
  if (path != NULL &&
      hicov_report_format_from_path (path) == HICOV_REPORT_FORMAT_UNKNOWN &&
      strchr (strrchr (path, G_DIR_SEPARATOR) != NULL
                ? strrchr (path, G_DIR_SEPARATOR) : path, '.') == NULL)
    {
      char *with_ext = g_strconcat (path, ".pdf", NULL);
      g_free (path);
      path = with_ext;
    }
  if (path != NULL)
    hicov_window_export_report (self, path);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  const HicovResolution *res = _hicov_window_report_resolution (self);
  GtkFileChooserNative *dialog;
  HicovUnit u;
  int start = 0, end = 0;
  g_autofree char *name = NULL;

  if (res != NULL)
    hicov_resolution_term (res, &start, &end);
  name = hicov_report_default_name (
      _hicov_window_unit_info (self, self->unit, &u) ? u.name : NULL,
      end > 0 ? end : hicov_period_end_year (self->period), "pdf");

  dialog = hicov_file_dialog_new (GTK_WINDOW (self),
                                  _("Export Congress Report"),
                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  hicov_file_dialog_add_filter (dialog, _("PDF document (A4)"), "*.pdf",
                                "application/pdf");
  hicov_file_dialog_add_filter (dialog, _("Editable document (ODT)"),
                                "*.odt",
                                "application/vnd.oasis.opendocument.text");
  hicov_file_dialog_add_filter (dialog, _("Editable document (Word, DOCX)"),
                                "*.docx",
                                "application/vnd.openxmlformats-"
                                "officedocument.wordprocessingml.document");
  hicov_file_dialog_add_filter (dialog, _("XML report"), "*.xml",
                                "application/xml");
  hicov_file_dialog_add_filter (dialog, _("Web page (HTML)"), "*.html",
                                "text/html");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (self->issuer_profile == NULL)
    {
      g_autofree char *last = hicov_settings_get_issuer_profile ();
      hicov_window_set_issuer_profile (self, last);
    }
  g_object_set_data (G_OBJECT (dialog), "issuer-ids",
                     add_issuer_choice (GTK_FILE_CHOOSER (dialog),
                                        self->issuer_profile));
  g_signal_connect (dialog, "response",
                    G_CALLBACK (on_export_report_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  g_autoptr (GFile) file = NULL;
  g_autofree char *uri = NULL;

  if (self->saved_report == NULL)
    return;
  file = g_file_new_for_path (self->saved_report);
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
}

static void
dismiss_notice_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  _hicov_window_dismiss_notice (HICOV_WINDOW (widget));
}

/* ------------------------------------------------------------------------ */
/* Selection and views                                                       */

static void
select_unit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  const char *code = g_variant_get_string (param, NULL);

  if (!hicov_window_select_unit (self, code))
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown unit “%s”"), code);
      hicov_window_show_error (self, msg);
    }
}

static void
select_period_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  const char *text = g_variant_get_string (param, NULL);
  HicovPeriod p;

  if (hicov_period_parse (text, &p) != HICOV_OK ||
      !hicov_window_select_period (self, p))
    {
      g_autofree char *msg =
        g_strdup_printf (_("The period “%s” is not in this dataset"), text);
      hicov_window_show_error (self, msg);
    }
}

static void
go_up_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  HicovUnit u;

  if (_hicov_window_unit_info (self, self->unit, &u) && u.parent != NULL)
    hicov_window_select_unit (self, u.parent);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  hicov_window_show_view (HICOV_WINDOW (widget),
                          g_variant_get_string (param, NULL));
}

static void
show_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  hicov_window_show_error (HICOV_WINDOW (widget),
                           g_variant_get_string (param, NULL));
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  hicov_window_show_error (HICOV_WINDOW (widget), NULL);
}

static void
focus_navigator_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  gtk_widget_child_focus (GTK_WIDGET (HICOV_WINDOW (widget)->navigator),
                          GTK_DIR_TAB_FORWARD);
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static const struct {
  const char *name;
  const char *parameter_type;
  GtkWidgetActionActivateFunc activate;
} actions[] = {
  { "win.open", NULL, open_action },
  { "win.reopen", NULL, reopen_action },
  { "win.open-lenient", NULL, open_lenient_action },
  { "win.load-demo", NULL, load_demo_action },
  { "win.reload", NULL, reload_action },
  { "win.print", NULL, print_action },
  { "win.export-report", NULL, export_report_action },
  { "win.open-report", NULL, open_report_action },
  { "win.dismiss-notice", NULL, dismiss_notice_action },
  { "win.select-unit", "s", select_unit_action },
  { "win.select-period", "s", select_period_action },
  { "win.go-up", NULL, go_up_action },
  { "win.show-view", "s", show_view_action },
  { "win.show-error", "s", show_error_action },
  { "win.dismiss-error", NULL, dismiss_error_action },
  { "win.focus-navigator", NULL, focus_navigator_action },
};

/* view: the page a win.show-view shortcut shows, else NULL. */
static const struct {
  guint key;
  GdkModifierType modifiers;
  const char *action;
  const char *view;
} shortcuts[] = {
  { GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL },
  { GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL },
  { GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-report", NULL },
  { GDK_KEY_F5, 0, "win.reload", NULL },
  { GDK_KEY_Up, GDK_ALT_MASK, "win.go-up", NULL },
  { GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-navigator", NULL },
  { GDK_KEY_1, GDK_ALT_MASK, "win.show-view", "coverage" },
  { GDK_KEY_2, GDK_ALT_MASK, "win.show-view", "spending" },
  { GDK_KEY_3, GDK_ALT_MASK, "win.show-view", "checkin" },
  { GDK_KEY_Escape, 0, "win.dismiss-error", NULL },
};

void
_hicov_window_class_actions_init (GtkWidgetClass *widget_class)
{
  for (size_t i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name,
                                     actions[i].parameter_type,
                                     actions[i].activate);
  for (size_t i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      if (shortcuts[i].view != NULL)
        gtk_widget_class_add_binding_action (widget_class, shortcuts[i].key,
                                             shortcuts[i].modifiers,
                                             shortcuts[i].action, "s",
                                             shortcuts[i].view);
      else
        gtk_widget_class_add_binding_action (widget_class, shortcuts[i].key,
                                             shortcuts[i].modifiers,
                                             shortcuts[i].action, NULL);
    }
}
