/* hicov-window-load.c - the datasets the window shows: the built-in demo,
 * or a folder read by the core in a worker thread (GTask). A folder that
 * fails to load leaves the window as it was and puts the core's message
 * (file, line, column) in the error banner.  Opened leniently
 * (HICOV_LOAD_LENIENT), the rows the core left out are listed in a window
 * of their own, each with its file, line, column and reason. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-navigator.h"
#include "hicov-settings.h"
#include "hicov-timing.h"
#include "hicov-window-private.h"

static void
set_dataset (HicovWindow  *self,
             HicovDataset *ds,
             const char   *folder)
{
  g_autofree char *label = NULL;

  self->update_started = g_get_monotonic_time ();
  /* Nothing may keep pointers into the old dataset. */
  hicov_navigator_set_dataset (self->navigator, NULL, NULL);
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      hicov_chart_view_set_chart (self->charts[f], NULL, NULL);
      self->chart_dirty[f] = FALSE;
    }
  hicov_map_view_clear (self->map_view);
  g_clear_pointer (&self->figures, hicov_figure_context_free);
  hicov_dataset_free (self->ds);
  self->ds = ds;
  g_free (self->folder);
  self->folder = g_strdup (folder);

  self->has_span = hicov_dataset_month_span (ds, &self->first_month,
                                             &self->last_month) == HICOV_OK;
  /* Assesses every resolution once, for the tiles and charts. */
  if (hicov_figure_context_new (ds, NULL, _hicov_window_ui_lang (),
                                &self->figures) != HICOV_OK)
    g_error ("out of memory assessing the dataset");
  self->resolution_choice = -1;
  self->figures_choice = -1;
  /* Another dataset's resolutions: the selector's entries are rebuilt. */
  if (self->resolution_items != NULL)
    g_array_set_size (self->resolution_items, 0);
  hicov_timing_mark ("dataset-assessed");

  if (folder != NULL)
    {
      g_autofree char *base = g_path_get_basename (folder);
      label = g_strdup_printf (_("Dataset: %s"), base);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->dataset_label), folder);
    }
  else
    {
      label = g_strdup (_("Built-in demo (published figures)"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->dataset_label), NULL);
    }
  gtk_label_set_text (self->dataset_label, label);
  _hicov_window_update_report_action (self);

  _hicov_window_select_default (self);
}

void
hicov_window_load_demo (HicovWindow *self)
{
  HicovDataset *ds = NULL;
  int rc;

  g_return_if_fail (HICOV_IS_WINDOW (self));

  if ((rc = hicov_dataset_new (&ds)) != HICOV_OK ||
      (rc = hicov_dataset_load_demo (ds)) != HICOV_OK)
    {
      g_autofree char *msg =
        g_strdup_printf (_("The built-in demo could not be loaded: %s"),
                         ds != NULL ? hicov_dataset_errmsg (ds)
                                    : hicov_status_string (rc));
      hicov_dataset_free (ds);
      hicov_window_show_error (self, msg);
      return;
    }
  hicov_window_show_error (self, NULL);
  set_dataset (self, ds, NULL);
}

/* Returns the failure of hicov_dataset_load_dir() on task as a GError. */
static void
return_load_error (GTask        *task,
                   HicovDataset *ds,
                   int           rc)
{
  const char *file = NULL, *field = NULL;
  long line = 0;
  int column = 0;
  const char *msg = hicov_dataset_errmsg (ds);

  hicov_dataset_error_location (ds, &file, &line, &column, &field);
  /* The core's message names the file, line and column; fall back to
   * the location fields if a message ever lacks them. */
  if (file != NULL && file[0] != '\0' && strstr (msg, file) == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "%s line %ld, column %d (%s): %s", file,
                             line, column, field ? field : "", msg);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                             msg[0] != '\0' ? msg
                                            : hicov_status_string (rc));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *folder = task_data;
  HicovDataset *ds = NULL;
  int rc;

  if ((rc = hicov_dataset_new (&ds)) != HICOV_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               hicov_status_string (rc));
      return;
    }
  rc = hicov_dataset_load_dir (ds, folder,
                               g_object_get_data (G_OBJECT (task), "lenient")
                                 ? HICOV_LOAD_LENIENT : HICOV_LOAD_STRICT);
  if (rc != HICOV_OK)
    {
      return_load_error (task, ds, rc);
      hicov_dataset_free (ds);
      return;
    }
  g_task_return_pointer (task, ds, (GDestroyNotify) hicov_dataset_free);
}

/* The rows the core left out of ds, one line each as the core words them
 * ("values.csv line 3, column 4 (value): expected a number, found
 * 'abc'"), in a window beside the dashboard; none: the window goes. */
static void
show_rejected (HicovWindow  *self,
               HicovDataset *ds)
{
  size_t n = hicov_dataset_rejection_count (ds);
  HicovLoadStats stats;
  GtkWidget *box, *scroller, *list, *summary;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->rejected_rows, g_strfreev);
  if (self->rejected_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->rejected_window));
  if (n == 0)
    return;
  {
    GStrvBuilder *b = g_strv_builder_new ();
    for (size_t i = 0; i < n; i++)
      {
        HicovRejection r;
        if (hicov_dataset_rejection (ds, i, &r) == HICOV_OK)
          g_strv_builder_add (b, r.message);
      }
    self->rejected_rows = g_strv_builder_end (b);
  }
  hicov_dataset_load_stats (ds, &stats);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%ld row of %ld was left out:",
                                       "%ld rows of %ld were left out:",
                                       (gulong) stats.rows_rejected),
                          stats.rows_rejected, stats.rows_read);
  summary = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  for (guint i = 0; self->rejected_rows[i] != NULL; i++)
    {
      GtkWidget *row = gtk_label_new (self->rejected_rows[i]);
      gtk_label_set_xalign (GTK_LABEL (row), 0);
      gtk_label_set_wrap (GTK_LABEL (row), TRUE);
      gtk_label_set_selectable (GTK_LABEL (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_widget_set_vexpand (scroller, TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), scroller);
  self->rejected_window = gtk_window_new ();
  g_object_add_weak_pointer (G_OBJECT (self->rejected_window),
                             (gpointer *) &self->rejected_window);
  gtk_window_set_title (GTK_WINDOW (self->rejected_window),
                        _("Rows left out"));
  gtk_window_set_transient_for (GTK_WINDOW (self->rejected_window),
                                GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->rejected_window),
                                      TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self->rejected_window), 640, 360);
  gtk_window_set_child (GTK_WINDOW (self->rejected_window), box);
  gtk_window_present (GTK_WINDOW (self->rejected_window));
}

char **
hicov_window_dup_rejected (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  if (self->rejected_rows == NULL || self->rejected_window == NULL)
    return g_new0 (char *, 1);
  return g_strdupv (self->rejected_rows);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  HicovWindow *self = HICOV_WINDOW (source);
  GTask *task = G_TASK (result);
  const char *folder = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  HicovDataset *ds = g_task_propagate_pointer (task, &error);

  self->busy = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");
  if (ds == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg =
            g_strdup_printf (_("Could not open “%s”: %s"), folder,
                             error->message);
          hicov_window_show_error (self, msg);
        }
      return;
    }
  hicov_window_show_error (self, NULL);
  {
    g_autoptr (GError) serr = NULL;
    if (!hicov_settings_set_last_folder (folder, &serr))
      g_warning ("Could not remember the folder: %s", serr->message);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reopen", TRUE);
  set_dataset (self, ds, folder);
  show_rejected (self, ds);
}

void
hicov_window_load_folder (HicovWindow *self,
                          const char  *folder)
{
  hicov_window_load_folder_full (self, folder, FALSE);
}

void
hicov_window_load_folder_full (HicovWindow *self,
                               const char  *folder,
                               gboolean     lenient)
{
  GTask *task;

  g_return_if_fail (HICOV_IS_WINDOW (self));
  g_return_if_fail (folder != NULL);

  /* bench_dashboard.py: from here to the frame that shows the data */
  hicov_timing_mark ("open");
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  /* A report being written keeps the window alive until it is done; its
   * result is then dropped. */
  if (self->report_cancellable != NULL)
    g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  self->load_cancellable = g_cancellable_new ();

  self->busy = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
  task = g_task_new (self, self->load_cancellable, load_done, NULL);
  g_task_set_source_tag (task, hicov_window_load_folder);
  g_task_set_task_data (task, g_strdup (folder), g_free);
  if (lenient)
    g_object_set_data (G_OBJECT (task), "lenient", GINT_TO_POINTER (1));
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
}

gboolean
hicov_window_is_busy (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);
  return self->busy || self->report_busy;
}

