/* hicov-file-dialog.c - see hicov-file-dialog.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-file-dialog.h"
#include "hicov-settings.h"

GtkFileChooserNative *
hicov_file_dialog_new (GtkWindow           *parent,
                       const char          *title,
                       GtkFileChooserAction action,
                       const char          *accept_label)
{
  GtkFileChooserNative *dialog;
  g_autofree char *last = hicov_settings_get_last_folder ();

  dialog = gtk_file_chooser_native_new (title, parent, action, accept_label,
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (last != NULL)
    {
      g_autoptr (GFile) f = g_file_new_for_path (last);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), f,
                                           NULL);
    }
  return dialog;
}

void
hicov_file_dialog_add_filter (GtkFileChooserNative *dialog,
                              const char           *name,
                              const char           *pattern,
                              const char           *mime)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (mime != NULL)
    gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
}

char *
hicov_file_dialog_finish (GtkNativeDialog *dialog,
                          int              response)
{
  char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file =
        gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  return path;
}
