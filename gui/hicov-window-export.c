/* hicov-window-export.c - congress reports of the selected unit and the
 * notice (toast) that tells where one was saved.
 *
 * The report is built on the main thread, which owns the dataset, and
 * written in a worker (hicov_report_write_async); one is written at a
 * time, and closing the window drops the result. */
#include "config.h"

#include <glib/gi18n.h>

#include "hicov-report-export.h"
#include "hicov-window-private.h"

/* ------------------------------------------------------------------------ */
/* The notice                                                                */

static gboolean
hide_notice_cb (gpointer data)
{
  HicovWindow *self = data;

  self->toast_timeout_id = 0;
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_notice (HicovWindow *self,
             const char  *text,
             gboolean     can_open)
{
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  gtk_label_set_text (self->toast_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->toast_label), text);
  gtk_widget_set_visible (self->toast_open_button, can_open);
  gtk_revealer_set_reveal_child (self->toast_revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->toast_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  self->toast_timeout_id = g_timeout_add_seconds (8, hide_notice_cb, self);
}

void
_hicov_window_show_notice (HicovWindow *self,
                           const char  *text)
{
  show_notice (self, text, FALSE);
}

const char *
hicov_window_get_notice (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->toast_revealer))
    return NULL;
  return gtk_label_get_text (self->toast_label);
}

/* The resolution a report of the selected unit is about. */
void
_hicov_window_dismiss_notice (HicovWindow *self)
{
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Congress reports                                                          */

/* Reports need a resolution; one is written at a time. */
void
_hicov_window_update_report_action (HicovWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report",
                                 self->ds != NULL && !self->report_busy &&
                                 hicov_dataset_resolution_count (self->ds) > 0);
}

/* The resolution whose coverage target the header shows, else one with a
 * target for the unit or a unit above it, else the dataset's first. */
const HicovResolution *
_hicov_window_report_resolution (HicovWindow *self)
{
  HicovUnitTarget ut;
  const char *code = self->unit;
  HicovUnit u;

  if (self->ds == NULL)
    return NULL;
  if (self->unit != NULL &&
      hicov_figure_unit_target (self->figures, self->unit, self->period,
                                &ut) == HICOV_OK)
    return ut.resolution;
  /* Any target of the unit, else of the nearest unit above it. */
  for (int depth = 0;
       depth < 8 && _hicov_window_unit_info (self, code, &u); depth++)
    {
      for (size_t r = 0; r < hicov_dataset_resolution_count (self->ds); r++)
        {
          const HicovResolution *res = hicov_dataset_resolution (self->ds, r);
          for (size_t t = 0; t < hicov_resolution_target_count (res); t++)
            if (g_strcmp0 (hicov_resolution_target (res, t)->unit,
                           u.code) == 0)
              return res;
        }
      code = u.parent;
    }
  return hicov_dataset_resolution_count (self->ds) > 0
           ? hicov_dataset_resolution (self->ds, 0) : NULL;
}

void
hicov_window_set_issuer_profile (HicovWindow *self,
                                 const char  *path)
{
  g_return_if_fail (HICOV_IS_WINDOW (self));

  g_free (self->issuer_profile);
  self->issuer_profile = path != NULL && path[0] != '\0' ? g_strdup (path)
                                                         : NULL;
}

const char *
hicov_window_get_issuer_profile (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  return self->issuer_profile;
}

/* The issuer profile into the report; FALSE after showing why not. */
static gboolean
set_report_issuer (HicovWindow *self,
                   HicovReport *rep)
{
  HicovIssuer *issuer = NULL;
  char err[1024];
  int rc;

  if (self->issuer_profile == NULL)
    return TRUE;
  rc = hicov_issuer_load_file (self->issuer_profile, &issuer, err,
                               sizeof err);
  if (rc == HICOV_OK)
    rc = hicov_report_set_issuer (rep, issuer);
  hicov_issuer_free (issuer);
  if (rc != HICOV_OK)
    {
      g_autofree char *msg = g_strdup_printf (
          _("The issuer profile could not be read: %s"),
          err[0] != '\0' ? err : hicov_status_string (rc));
      hicov_window_show_error (self, msg);
      return FALSE;
    }
  return TRUE;
}

/* The report's provenance: the dataset's files, or what the demo is. */
static int
add_report_inputs (HicovWindow *self,
                   HicovReport *rep)
{
  static const char *const files[][2] = {
    { "units.csv", "units" }, { "values.csv", "values" },
  };
  int rc = HICOV_OK;

  if (self->folder == NULL)
    return hicov_report_set_source (rep, _("built-in demo (published "
                                           "figures; communes synthetic)"));
  for (size_t i = 0; i < G_N_ELEMENTS (files) && rc == HICOV_OK; i++)
    {
      g_autofree char *path = g_build_filename (self->folder, files[i][0],
                                                NULL);
      rc = hicov_report_add_input (rep, path, files[i][1]);
    }
  return rc;
}

static void
report_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (HicovWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = hicov_report_write_finish (result, &error);
  g_autofree char *msg = NULL;

  self->report_busy = FALSE;
  /* Cancelled: the window was closed meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _hicov_window_update_report_action (self);
  if (!ok)
    {
      msg = g_strdup_printf (_("The report could not be written: %s"),
                             error->message);
      g_clear_pointer (&self->saved_report, g_free);
      hicov_window_show_error (self, msg);
      return;
    }
  msg = g_strdup_printf (_("Report saved to %s"), self->saved_report);
  show_notice (self, msg, TRUE);
  g_message ("%s", msg);
}

/* The report of the selected unit, or NULL after showing why not.  Built
 * here, on the thread that owns the dataset; the report keeps no pointer
 * into it, so only the writing runs in the worker. */
static HicovReport *
new_report (HicovWindow *self,
            const char  *path)
{
  HicovReport *rep = NULL;
  int rc;

  if (self->ds == NULL)
    {
      hicov_window_show_error (self, _("There is no dataset to report on."));
      return NULL;
    }
  if (hicov_report_format_from_path (path) == HICOV_REPORT_FORMAT_UNKNOWN)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *msg = g_strdup_printf (
          _("“%s”: unknown report format; the name must end in .pdf, .odt, "
            ".docx, .xml or .html"), base);
      hicov_window_show_error (self, msg);
      return NULL;
    }
  rc = hicov_report_new (self->ds, _hicov_window_report_resolution (self),
                         hicov_report_ui_lang (), &rep);
  if (rc == HICOV_OK)
    rc = add_report_inputs (self, rep);
  if (rc != HICOV_OK)
    {
      const char *core = rep != NULL ? hicov_report_errmsg (rep) : "";
      g_autofree char *msg = g_strdup_printf (
          _("The report could not be made: %s"),
          core[0] != '\0' ? core : hicov_status_string (rc));
      hicov_report_free (rep);
      hicov_window_show_error (self, msg);
      return NULL;
    }
  if (!set_report_issuer (self, rep))
    {
      hicov_report_free (rep);
      return NULL;
    }
  return rep;
}

void
hicov_window_export_report (HicovWindow *self,
                            const char  *path)
{
  HicovReport *rep;

  g_return_if_fail (HICOV_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->report_busy)
    return;
  _hicov_window_dismiss_notice (self);
  if ((rep = new_report (self, path)) == NULL)
    return;
  hicov_window_show_error (self, NULL);
  g_free (self->saved_report);
  self->saved_report = g_strdup (path);
  self->report_busy = TRUE;
  _hicov_window_update_report_action (self);
  g_clear_object (&self->report_cancellable);
  self->report_cancellable = g_cancellable_new ();
  hicov_report_write_async (rep, path, self->report_cancellable,
                            report_written, g_object_ref (self));
}
