/* hicov-file-dialog.h - the dashboard's native file choosers: modal, opening
 * in the last dataset folder, and released in one call from the response
 * handler. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A modal native chooser on parent (may be NULL) in the last folder the
 * user opened.  Connect "response", show it, and call
 * hicov_file_dialog_finish in the handler. */
GtkFileChooserNative *hicov_file_dialog_new (GtkWindow           *parent,
                                             const char          *title,
                                             GtkFileChooserAction action,
                                             const char          *accept_label);
/* Adds a filter for pattern (and mime, when not NULL). */
void hicov_file_dialog_add_filter (GtkFileChooserNative *dialog,
                                   const char           *name,
                                   const char           *pattern,
                                   const char           *mime);
/* The chosen path when the user accepted, else NULL (caller frees); the
 * dialog is destroyed and its reference dropped. */
char *hicov_file_dialog_finish (GtkNativeDialog *dialog,
                                int              response);

G_END_DECLS
