/* hicov-window.c - the dashboard's main window.
 *
 * The window owns the dataset. A selection (unit, period) drives the KPI
 * tiles and the charts, all of which come from the chart library's figures
 * (hicov_figure_kpi, hicov_figure_chart); the window itself only wires
 * widgets, actions, loading, errors and printing. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hicov-application.h"
#include "hicov-chart-view.h"
#include "hicov-file-dialog.h"
#include "hicov-kpi-tile.h"
#include "hicov-navigator.h"
#include "hicov-period-selector.h"
#include "hicov-report-export.h"
#include "hicov-settings.h"
#include "hicov-timing.h"
#include "hicov-window.h"

struct _HicovWindow
{
  GtkApplicationWindow parent_instance;

  /* Template children. */
  HicovPeriodSelector *period_selector;
  GtkStack *view_stack;
  GtkLabel *dataset_label;
  HicovNavigator *navigator;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkRevealer *toast_revealer;
  GtkLabel *toast_label;
  GtkWidget *toast_open_button;
  GtkLabel *unit_title;
  GtkLabel *unit_subtitle;
  HicovKpiTile *tile_coverage;
  HicovKpiTile *tile_gap;
  HicovKpiTile *tile_visits;
  HicovKpiTile *tile_spending;
  HicovKpiTile *tile_cost_per_visit;
  HicovKpiTile *tile_fund;
  HicovChartView *chart_trend;
  HicovChartView *chart_ranking;
  HicovChartView *chart_groups;
  HicovChartView *chart_checkin;
  HicovChartView *chart_visits;
  HicovChartView *chart_spending;
  HicovChartView *chart_cost;
  HicovChartView *chart_fund;

  /* Indexed by HicovKpi and HicovFigure. */
  HicovKpiTile *tiles[HICOV_N_KPIS];
  HicovChartView *charts[HICOV_N_FIGS];
  gboolean chart_dirty[HICOV_N_FIGS]; /* waits for its page to be shown */

  HicovDataset *ds;
  char *folder;          /* NULL for the demo */
  HicovFigureContext *figures; /* KPIs and charts of the dataset */
  int first_month, last_month; /* the months the data spans */
  gboolean has_span;
  char *unit;
  HicovPeriod period;
  gboolean has_period;
  long nav_signature[2];

  GCancellable *load_cancellable;
  gboolean busy;

  GCancellable *report_cancellable;
  gboolean report_busy;
  char *saved_report;    /* path of the last report written */
  guint toast_timeout_id;

  gint64 update_started;
  gboolean redraw_pending;
  gboolean first_frame_reported;
  gboolean timing;
  gulong after_paint_id;
};

G_DEFINE_FINAL_TYPE (HicovWindow, hicov_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_all (HicovWindow *self);
static void update_report_action (HicovWindow *self);

static const char *
ui_lang (void)
{
  /* Numbers follow the locale's numeric conventions. */
  const char *numeric = setlocale (LC_NUMERIC, NULL);
  return hicov_format_is_vi (numeric) ? "vi" : "en";
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

void
hicov_window_show_error (HicovWindow *self,
                         const char  *message)
{
  g_return_if_fail (HICOV_IS_WINDOW (self));

  if (message == NULL)
    {
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      gtk_label_set_text (self->error_label, "");
      return;
    }
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
  /* Also announce it to assistive technologies. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message, -1);
  g_message ("%s", message);
}

const char *
hicov_window_get_error (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

/* ------------------------------------------------------------------------ */
/* Selection                                                                 */

static gboolean
unit_info (HicovWindow *self,
           const char  *code,
           HicovUnit   *out)
{
  size_t i;

  return self->ds != NULL &&
         hicov_dataset_find_unit (self->ds, code, &i) == HICOV_OK &&
         hicov_dataset_unit (self->ds, i, out) == HICOV_OK;
}

/* A unit abolished before the period (e.g. a district after 2025-07-01)
 * gives way to the unit it was merged into, or to its parent. */
static const char *
unit_for_period (HicovWindow *self,
                 const char  *code)
{
  HicovUnit u;

  for (int depth = 0; depth < 8 && unit_info (self, code, &u); depth++)
    {
      if (u.valid_to == 0 || u.valid_to > self->period.first)
        return u.code;
      if (u.successor != NULL)
        code = u.successor;
      else if (u.parent != NULL)
        code = u.parent;
      else
        return u.code;
    }
  return code;
}

/* Counts of districts and communes during the period: when they change,
 * the unit tree must be rebuilt; otherwise its expansion is kept. */
static void
nav_signature (HicovWindow *self,
               long         sig[2])
{
  const int levels[2] = { HICOV_LEVEL_DISTRICT, HICOV_LEVEL_COMMUNE };

  for (int k = 0; k < 2; k++)
    {
      size_t *idx = NULL, n = 0;
      sig[k] = -1;
      if (hicov_dataset_units_at (self->ds, levels[k], NULL, &self->period,
                                  &idx, &n) == HICOV_OK)
        sig[k] = (long) n;
      hicov_free (idx);
    }
}

static void
refresh_navigator (HicovWindow *self,
                   gboolean     force)
{
  long sig[2];

  nav_signature (self, sig);
  if (force || sig[0] != self->nav_signature[0] ||
      sig[1] != self->nav_signature[1])
    {
      hicov_navigator_set_dataset (self->navigator, self->ds, &self->period);
      self->nav_signature[0] = sig[0];
      self->nav_signature[1] = sig[1];
    }
  if (self->unit != NULL)
    hicov_navigator_select (self->navigator, self->unit);
}

gboolean
hicov_window_select_unit (HicovWindow *self,
                          const char  *code)
{
  HicovUnit u;

  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);

  if (!unit_info (self, code, &u))
    return FALSE;
  self->update_started = g_get_monotonic_time ();
  code = unit_for_period (self, u.code);
  if (g_strcmp0 (self->unit, code) != 0)
    {
      g_free (self->unit);
      self->unit = g_strdup (code);
    }
  hicov_navigator_select (self->navigator, self->unit);
  update_all (self);
  return TRUE;
}

gboolean
hicov_window_select_period (HicovWindow *self,
                            HicovPeriod  period)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);

  /* The selector emits "changed", which updates the view. */
  return hicov_period_selector_set_period (self->period_selector, period);
}

const char *
hicov_window_get_unit (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  return self->unit;
}

HicovPeriod
hicov_window_get_period (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), self->period);
  return self->period;
}

static void
on_unit_selected (HicovNavigator *navigator,
                  const char     *code,
                  HicovWindow    *self)
{
  hicov_window_select_unit (self, code);
}

static void
on_unit_activated (HicovChartView *view,
                   const char     *code,
                   HicovWindow    *self)
{
  /* Drill down from a child unit's bar. */
  hicov_window_select_unit (self, code);
}

static void
on_period_changed (HicovPeriodSelector *selector,
                   HicovWindow         *self)
{
  const char *code;

  self->update_started = g_get_monotonic_time ();
  self->period = hicov_period_selector_get_period (selector);
  self->has_period = TRUE;
  if (self->ds == NULL)
    return;
  if (self->unit != NULL)
    {
      code = unit_for_period (self, self->unit);
      if (g_strcmp0 (code, self->unit) != 0)
        {
          g_free (self->unit);
          self->unit = g_strdup (code);
        }
    }
  refresh_navigator (self, FALSE);
  update_all (self);
}

/* ------------------------------------------------------------------------ */
/* Showing a selection                                                       */

static const char *
level_label (int level)
{
  switch (level)
    {
    case HICOV_LEVEL_COUNTRY: return _("Country");
    case HICOV_LEVEL_PROVINCE: return _("Province");
    case HICOV_LEVEL_DISTRICT: return _("District");
    case HICOV_LEVEL_COMMUNE: return _("Commune");
    case HICOV_LEVEL_FACILITY: return _("Facility");
    default: return "";
    }
}

static void
update_header (HicovWindow *self)
{
  HicovUnit u;
  HicovUnitTarget ut;
  char period[64];
  GString *sub = g_string_new (NULL);
  g_autofree char *win_title = NULL;

  hicov_figure_period_label (self->period, ui_lang (), period, sizeof period);
  if (!unit_info (self, self->unit, &u))
    {
      gtk_label_set_text (self->unit_title, "");
      gtk_label_set_text (self->unit_subtitle, "");
      g_string_free (sub, TRUE);
      return;
    }
  gtk_label_set_text (self->unit_title, u.name);
  g_string_append_printf (sub, "%s · %s", level_label (u.level), period);
  if (u.synthetic)
    g_string_append_printf (sub, " · %s", _("synthetic demo unit"));
  if (hicov_figure_unit_target (self->figures, self->unit, self->period,
                                &ut) == HICOV_OK)
    {
      int start = 0, end = 0;
      hicov_resolution_term (ut.resolution, &start, &end);
      /* TRANSLATORS: resolution number, issuing body and term */
      g_string_append_printf (sub, " · %s %s (%d–%d)",
                              hicov_resolution_number (ut.resolution),
                              hicov_resolution_body (ut.resolution),
                              start, end);
    }
  gtk_label_set_text (self->unit_subtitle, sub->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->unit_subtitle), sub->str);
  g_string_free (sub, TRUE);

  win_title = g_strdup_printf ("%s — %s", u.name, _("hicov Dashboard"));
  gtk_window_set_title (GTK_WINDOW (self), win_title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-up",
                                 u.parent != NULL);
}

static gboolean
chart_is_on_visible_page (HicovWindow *self,
                          int          f)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->view_stack);

  /* A page may be the chart itself (check-in). */
  return page == NULL || page == GTK_WIDGET (self->charts[f]) ||
         gtk_widget_is_ancestor (GTK_WIDGET (self->charts[f]), page);
}

static void
build_chart (HicovWindow *self,
             int          f)
{
  char period[16];
  g_autoptr (GPtrArray) codes = NULL;
  HicovChart *c = NULL;
  g_autofree char *stem = NULL;

  self->chart_dirty[f] = FALSE;
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    return;
  hicov_period_format (self->period, period, sizeof period);
  g_strdelimit (period, "/", '_');
  if (hicov_figure_chart (self->figures, self->unit, self->period, f,
                          &c) != HICOV_OK)
    g_warning ("%s", hicov_figure_context_errmsg (self->figures));
  /* The points' keys are the unit codes to drill down into. */
  if (c != NULL && hicov_chart_point_key (c, 0) != NULL)
    {
      codes = g_ptr_array_new ();
      for (size_t i = 0; i < hicov_chart_point_count (c); i++)
        g_ptr_array_add (codes, (gpointer) hicov_chart_point_key (c, i));
      g_ptr_array_add (codes, NULL);
    }
  stem = g_strdup_printf ("%s-%s-%s", hicov_figure_name (f), self->unit,
                          period);
  hicov_chart_view_set_chart (self->charts[f], c, codes != NULL
                              ? (const char *const *) codes->pdata : NULL);
  hicov_chart_view_set_file_stem (self->charts[f], stem);
}

/* Builds every chart still waiting for its page (printing, automation). */
static void
ensure_all_charts (HicovWindow *self)
{
  for (int f = 0; f < HICOV_N_FIGS; f++)
    if (self->chart_dirty[f])
      build_chart (self, f);
}

static void
on_visible_page_changed (GtkStack    *stack,
                         GParamSpec  *pspec,
                         HicovWindow *self)
{
  for (int f = 0; f < HICOV_N_FIGS; f++)
    if (self->chart_dirty[f] && chart_is_on_visible_page (self, f))
      build_chart (self, f);
}

static void
update_all (HicovWindow *self)
{
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    return;
  self->redraw_pending = TRUE;

  update_header (self);
  for (int k = 0; k < HICOV_N_KPIS; k++)
    {
      HicovKpiText t;
      hicov_figure_kpi (self->figures, self->unit, self->period, k, &t);
      if (t.missing)
        hicov_kpi_tile_set_missing (self->tiles[k],
                                    t.change[0] ? t.change : NULL,
                                    t.detail[0] ? t.detail : NULL,
                                    t.reason[0] ? t.reason : NULL);
      else
        {
          hicov_kpi_tile_set_value (self->tiles[k], t.value);
          hicov_kpi_tile_set_change (self->tiles[k],
                                     t.change[0] ? t.change : NULL,
                                     (HicovTrend) t.trend);
          hicov_kpi_tile_set_detail (self->tiles[k],
                                     t.detail[0] ? t.detail : NULL);
        }
    }

  /* Charts of hidden pages are built when their page is shown. */
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      self->chart_dirty[f] = TRUE;
      if (chart_is_on_visible_page (self, f))
        build_chart (self, f);
    }
  if (self->timing)
    {
      printf ("hicov-timing update us=%" G_GINT64_FORMAT "\n",
              g_get_monotonic_time () - self->update_started);
      fflush (stdout);
    }
}

/* ------------------------------------------------------------------------ */
/* Datasets                                                                  */

static char *
default_unit (HicovDataset *ds)
{
  size_t *idx = NULL, n = 0;
  HicovUnit u;
  char *code = NULL;

  /* A resolution's own unit first: that is what the office is judged on. */
  for (size_t r = 0; r < hicov_dataset_resolution_count (ds) && !code; r++)
    {
      const HicovResolution *res = hicov_dataset_resolution (ds, r);
      for (size_t t = 0; t < hicov_resolution_target_count (res); t++)
        {
          const HicovTarget *tg = hicov_resolution_target (res, t);
          size_t i;
          if (tg->level < 0 &&
              hicov_dataset_find_unit (ds, tg->unit, &i) == HICOV_OK)
            {
              code = g_strdup (tg->unit);
              break;
            }
        }
    }
  if (code != NULL)
    return code;
  if (hicov_dataset_children (ds, NULL, NULL, &idx, &n) == HICOV_OK && n > 0 &&
      hicov_dataset_unit (ds, idx[0], &u) == HICOV_OK)
    code = g_strdup (u.code);
  hicov_free (idx);
  return code;
}

static void
set_dataset (HicovWindow  *self,
             HicovDataset *ds,
             const char   *folder)
{
  HicovPeriod p;
  g_autofree char *label = NULL;

  self->update_started = g_get_monotonic_time ();
  /* Nothing may keep pointers into the old dataset. */
  hicov_navigator_set_dataset (self->navigator, NULL, NULL);
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      hicov_chart_view_set_chart (self->charts[f], NULL, NULL);
      self->chart_dirty[f] = FALSE;
    }
  g_clear_pointer (&self->figures, hicov_figure_context_free);
  hicov_dataset_free (self->ds);
  self->ds = ds;
  g_free (self->folder);
  self->folder = g_strdup (folder);

  self->has_span = hicov_dataset_month_span (ds, &self->first_month,
                                             &self->last_month) == HICOV_OK;
  /* Assesses every resolution once, for the tiles and charts. */
  if (hicov_figure_context_new (ds, NULL, ui_lang (),
                                &self->figures) != HICOV_OK)
    g_error ("out of memory assessing the dataset");
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
  update_report_action (self);

  g_free (self->unit);
  self->unit = default_unit (ds);

  if (!self->has_span)
    {
      hicov_window_show_error (self, _("The dataset holds no values."));
      hicov_navigator_set_dataset (self->navigator, ds, NULL);
      return;
    }

  /* Start on the latest year in which the unit has visits (flows are
   * published later than coverage), else on the latest year. */
  p = hicov_period_year (self->last_month / 12);
  for (int y = self->last_month / 12;
       y >= self->first_month / 12 && self->unit != NULL; y--)
    {
      HicovResult r;
      if (hicov_indicator_value (ds, "visits", self->unit,
                                 hicov_period_year (y), NULL, &r) == HICOV_OK &&
          r.status == HICOV_OK)
        {
          p = hicov_period_year (y);
          break;
        }
    }
  self->period = p;
  self->has_period = TRUE;
  g_signal_handlers_block_by_func (self->period_selector, on_period_changed,
                                   self);
  hicov_period_selector_set_span (self->period_selector,
                                  self->first_month,
                                  self->last_month);
  hicov_period_selector_set_period (self->period_selector, p);
  g_signal_handlers_unblock_by_func (self->period_selector, on_period_changed,
                                     self);
  self->period = hicov_period_selector_get_period (self->period_selector);

  refresh_navigator (self, TRUE);
  hicov_timing_mark ("navigator-filled");
  update_all (self);
  hicov_timing_mark ("views-updated");
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
  rc = hicov_dataset_load_dir (ds, folder, HICOV_LOAD_STRICT);
  if (rc != HICOV_OK)
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
      hicov_dataset_free (ds);
      return;
    }
  g_task_return_pointer (task, ds, (GDestroyNotify) hicov_dataset_free);
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
}

void
hicov_window_load_folder (HicovWindow *self,
                          const char  *folder)
{
  GTask *task;

  g_return_if_fail (HICOV_IS_WINDOW (self));
  g_return_if_fail (folder != NULL);

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

/* ------------------------------------------------------------------------ */
/* Notices and congress reports                                              */

static void dismiss_notice_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param);

/* Reports need a resolution; one is written at a time. */
static void
update_report_action (HicovWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report",
                                 self->ds != NULL && !self->report_busy &&
                                 hicov_dataset_resolution_count (self->ds) > 0);
}

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

const char *
hicov_window_get_notice (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->toast_revealer))
    return NULL;
  return gtk_label_get_text (self->toast_label);
}

/* The resolution a report of the selected unit is about. */
static const HicovResolution *
report_resolution (HicovWindow *self)
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
  for (int depth = 0; depth < 8 && unit_info (self, code, &u); depth++)
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
  update_report_action (self);
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

void
hicov_window_export_report (HicovWindow *self,
                            const char  *path)
{
  HicovReport *rep = NULL;
  int rc;

  g_return_if_fail (HICOV_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->report_busy)
    return;
  dismiss_notice_action (GTK_WIDGET (self), NULL, NULL);
  if (self->ds == NULL)
    {
      hicov_window_show_error (self, _("There is no dataset to report on."));
      return;
    }
  if (hicov_report_format_from_path (path) == HICOV_REPORT_FORMAT_UNKNOWN)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *msg = g_strdup_printf (
          _("“%s”: unknown report format; the name must end in .pdf, .xml "
            "or .html"), base);
      hicov_window_show_error (self, msg);
      return;
    }
  /* Built here, on the thread that owns the dataset; the report keeps no
   * pointer into it, so only the writing runs in the worker. */
  rc = hicov_report_new (self->ds, report_resolution (self),
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
      return;
    }
  hicov_window_show_error (self, NULL);
  g_free (self->saved_report);
  self->saved_report = g_strdup (path);
  self->report_busy = TRUE;
  update_report_action (self);
  g_clear_object (&self->report_cancellable);
  self->report_cancellable = g_cancellable_new ();
  hicov_report_write_async (rep, path, self->report_cancellable,
                            report_written, g_object_ref (self));
}

/* ------------------------------------------------------------------------ */
/* Lookup for automation and printing                                        */

gboolean
hicov_window_show_view (HicovWindow *self,
                        const char  *name)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);

  if (gtk_stack_get_child_by_name (self->view_stack, name) == NULL)
    return FALSE;
  gtk_stack_set_visible_child_name (self->view_stack, name);
  return TRUE;
}

HicovChartView *
hicov_window_get_chart (HicovWindow *self,
                        const char  *name)
{
  int f = hicov_figure_from_name (name);

  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  if (f < 0)
    return NULL;
  if (self->chart_dirty[f])
    build_chart (self, f);
  return self->charts[f];
}

gboolean
hicov_window_chart_is_stale (HicovWindow *self,
                             const char  *name)
{
  int f = hicov_figure_from_name (name);

  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);
  return f >= 0 && self->chart_dirty[f];
}

HicovNavigator *
hicov_window_get_navigator (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  return self->navigator;
}

HicovKpiTile *
hicov_window_get_kpi_tile (HicovWindow *self,
                           const char  *name)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);

  for (int k = 0; k < HICOV_N_KPIS; k++)
    if (g_strcmp0 (hicov_kpi_name (k), name) == 0)
      return self->tiles[k];
  return NULL;
}

gint64
hicov_window_get_update_started (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), 0);
  return self->update_started;
}

/* ------------------------------------------------------------------------ */
/* Printing                                                                  */

#define PRINT_MARGIN 24.0

static double
print_text (GtkPrintContext *context,
            cairo_t         *cr,
            const char      *text,
            const char      *font,
            double           x,
            double           y,
            double           width,
            gboolean         dim)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (cr, dim ? 0.35 : 0.0, dim ? 0.35 : 0.0,
                        dim ? 0.35 : 0.0);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, &w, &h);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return h;
}

static void
print_chart (HicovChartView *view,
             cairo_t        *cr,
             double          x,
             double          y,
             double          w,
             double          h)
{
  HicovChart *c = hicov_chart_view_get_chart (view);
  HicovChartColors colors = { { 1, 1, 1, 0 }, { 0, 0, 0, 1 } };

  if (c == NULL)
    return;
  /* Paper is white: print with the light theme and black text. */
  hicov_chart_set_theme (c, HICOV_CHART_THEME_LIGHT);
  hicov_chart_set_colors (c, &colors);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  hicov_chart_view_render_to (view, cr, w, h, FALSE);
  cairo_restore (cr);
  /* The widget's next frame re-applies the screen theme and geometry. */
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

static void
draw_page (GtkPrintOperation *op,
           GtkPrintContext   *context,
           int                page_nr,
           HicovWindow       *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double pw = gtk_print_context_get_width (context);
  double ph = gtk_print_context_get_height (context);
  double x = PRINT_MARGIN, y = PRINT_MARGIN;
  double cw = pw - 2 * PRINT_MARGIN;
  double gap = 12;
  g_autofree char *title = g_strdup_printf ("%s — %s",
      gtk_label_get_text (self->unit_title),
      gtk_label_get_text (self->unit_subtitle));

  y += print_text (context, cr, title, "Sans Bold 13", x, y, cw, FALSE) + 6;

  if (page_nr == 0)
    {
      /* KPI tiles as a row of small blocks. */
      double tw = (cw - (HICOV_N_KPIS - 1) * gap) / HICOV_N_KPIS;
      double row_h = 0;
      for (int k = 0; k < HICOV_N_KPIS; k++)
        {
          double tx = x + (double) k * (tw + gap), ty = y, hh;
          HicovKpiTile *t = self->tiles[k];
          ty += print_text (context, cr, hicov_kpi_tile_get_title (t),
                            "Sans 8", tx, ty, tw, TRUE);
          ty += print_text (context, cr, hicov_kpi_tile_get_value (t),
                            "Sans Bold 12", tx, ty, tw, FALSE);
          ty += print_text (context, cr, hicov_kpi_tile_get_change (t),
                            "Sans 8", tx, ty, tw, FALSE);
          hh = print_text (context, cr, hicov_kpi_tile_get_detail (t),
                           "Sans 7", tx, ty, tw, TRUE);
          row_h = MAX (row_h, ty + hh - y);
        }
      y += row_h + gap;
      {
        double colw = (cw - gap) / 2, rowh = (ph - PRINT_MARGIN - y - gap) / 2;
        print_chart (self->chart_trend, cr, x, y, colw, rowh);
        print_chart (self->chart_groups, cr, x, y + rowh + gap, colw, rowh);
        print_chart (self->chart_ranking, cr, x + colw + gap, y, colw,
                     2 * rowh + gap);
      }
    }
  else
    {
      double colw = (cw - 2 * gap) / 3;
      double rowh = (ph - PRINT_MARGIN - y - gap) / 2;
      print_chart (self->chart_visits, cr, x, y, colw, rowh);
      print_chart (self->chart_spending, cr, x + colw + gap, y, colw, rowh);
      print_chart (self->chart_cost, cr, x + 2 * (colw + gap), y, colw, rowh);
      print_chart (self->chart_fund, cr, x, y + rowh + gap,
                   2 * colw + gap, rowh);
      print_chart (self->chart_checkin, cr, x + 2 * (colw + gap),
                   y + rowh + gap, colw, rowh);
    }
}

static GtkPrintOperation *
new_print_operation (HicovWindow *self)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  GtkPageSetup *setup = gtk_page_setup_new ();
  GtkPaperSize *a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *job = g_strdup_printf ("hicov %s",
      gtk_label_get_text (self->unit_title));

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, 2);
  gtk_print_operation_set_job_name (op, job);
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page), self);
  gtk_paper_size_free (a4);
  g_object_unref (setup);
  return op;
}

gboolean
hicov_window_print_to_file (HicovWindow  *self,
                            const char   *path,
                            GError      **error)
{
  g_autoptr (GtkPrintOperation) op = NULL;
  GtkPrintOperationResult res;

  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);

  ensure_all_charts (self);
  op = new_print_operation (self);
  gtk_print_operation_set_export_filename (op, path);
  res = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                 GTK_WINDOW (self), error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  HicovWindow *self = HICOV_WINDOW (widget);
  g_autoptr (GtkPrintOperation) op = NULL;
  g_autoptr (GError) error = NULL;

  ensure_all_charts (self);
  op = new_print_operation (self);

  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *msg = g_strdup_printf (_("Printing failed: %s"),
                                              error->message);
      hicov_window_show_error (self, msg);
    }
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */

static void
on_export_report_response (GtkNativeDialog *dialog,
                           int              response,
                           HicovWindow     *self)
{
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
  const HicovResolution *res = report_resolution (self);
  GtkFileChooserNative *dialog;
  HicovUnit u;
  int start = 0, end = 0;
  g_autofree char *name = NULL;

  if (res != NULL)
    hicov_resolution_term (res, &start, &end);
  name = hicov_report_default_name (
      unit_info (self, self->unit, &u) ? u.name : NULL,
      end > 0 ? end : hicov_period_end_year (self->period), "pdf");

  dialog = hicov_file_dialog_new (GTK_WINDOW (self), _("Export Congress Report"),
                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  hicov_file_dialog_add_filter (dialog, _("PDF document (A4)"), "*.pdf",
                                "application/pdf");
  hicov_file_dialog_add_filter (dialog, _("XML report"), "*.xml",
                                "application/xml");
  hicov_file_dialog_add_filter (dialog, _("Web page (HTML)"), "*.html",
                                "text/html");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
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
  HicovWindow *self = HICOV_WINDOW (widget);

  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
}

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

  if (unit_info (self, self->unit, &u) && u.parent != NULL)
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
/* Timing (HICOV_DASHBOARD_TIMING=1)                                         */

static void
on_after_paint (GdkFrameClock *clock,
                HicovWindow   *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!self->first_frame_reported)
    {
      self->first_frame_reported = TRUE;
      hicov_timing_mark ("first-frame");
      /* CLOCK_MONOTONIC microseconds: the benchmark compares this with
       * the time it started the process. */
      printf ("hicov-timing first-frame monotonic_us=%" G_GINT64_FORMAT "\n",
              now);
      fflush (stdout);
    }
  else if (self->redraw_pending)
    {
      printf ("hicov-timing redraw us=%" G_GINT64_FORMAT "\n",
              now - self->update_started);
      fflush (stdout);
    }
  self->redraw_pending = FALSE;
}

static void
on_first_layout (GdkFrameClock *clock,
                 HicovWindow   *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_layout, self);
  hicov_timing_mark ("first-layout");
}

static void
on_first_paint (GdkFrameClock *clock,
                HicovWindow   *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  hicov_timing_mark ("first-paint");
}

static void
hicov_window_realize (GtkWidget *widget)
{
  HicovWindow *self = HICOV_WINDOW (widget);

  GTK_WIDGET_CLASS (hicov_window_parent_class)->realize (widget);
  hicov_timing_mark ("realized");
  if (self->timing)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
      g_signal_connect (clock, "layout", G_CALLBACK (on_first_layout), self);
      g_signal_connect (clock, "paint", G_CALLBACK (on_first_paint), self);
    }
  if (self->timing)
    self->after_paint_id =
      g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                        G_CALLBACK (on_after_paint), self);
}

static void
hicov_window_unrealize (GtkWidget *widget)
{
  HicovWindow *self = HICOV_WINDOW (widget);

  if (self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id,
                            gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (hicov_window_parent_class)->unrealize (widget);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
hicov_window_dispose (GObject *object)
{
  HicovWindow *self = HICOV_WINDOW (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  /* A report being written keeps the window alive until it is done; its
   * result is then dropped. */
  if (self->report_cancellable != NULL)
    g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_func (self->view_stack,
                                          on_visible_page_changed, self);
  /* Widgets borrow the dataset: drop them first. */
  gtk_widget_dispose_template (GTK_WIDGET (self), HICOV_TYPE_WINDOW);
  G_OBJECT_CLASS (hicov_window_parent_class)->dispose (object);
}

static void
hicov_window_finalize (GObject *object)
{
  HicovWindow *self = HICOV_WINDOW (object);

  hicov_figure_context_free (self->figures);
  hicov_dataset_free (self->ds);
  g_free (self->folder);
  g_free (self->unit);
  g_free (self->saved_report);
  G_OBJECT_CLASS (hicov_window_parent_class)->finalize (object);
}

static void
hicov_window_class_init (HicovWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hicov_window_dispose;
  object_class->finalize = hicov_window_finalize;
  widget_class->realize = hicov_window_realize;
  widget_class->unrealize = hicov_window_unrealize;

  g_type_ensure (HICOV_TYPE_NAVIGATOR);
  g_type_ensure (HICOV_TYPE_PERIOD_SELECTOR);
  g_type_ensure (HICOV_TYPE_KPI_TILE);
  g_type_ensure (HICOV_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/hicov/Dashboard/hicov-window.ui");
#define CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, HicovWindow, name)
  CHILD (period_selector);
  CHILD (view_stack);
  CHILD (dataset_label);
  CHILD (navigator);
  CHILD (error_revealer);
  CHILD (error_label);
  CHILD (toast_revealer);
  CHILD (toast_label);
  CHILD (toast_open_button);
  CHILD (unit_title);
  CHILD (unit_subtitle);
  CHILD (tile_coverage);
  CHILD (tile_gap);
  CHILD (tile_visits);
  CHILD (tile_spending);
  CHILD (tile_cost_per_visit);
  CHILD (tile_fund);
  CHILD (chart_trend);
  CHILD (chart_ranking);
  CHILD (chart_groups);
  CHILD (chart_checkin);
  CHILD (chart_visits);
  CHILD (chart_spending);
  CHILD (chart_cost);
  CHILD (chart_fund);
#undef CHILD

  gtk_widget_class_install_action (widget_class, "win.open", NULL,
                                   open_action);
  gtk_widget_class_install_action (widget_class, "win.reopen", NULL,
                                   reopen_action);
  gtk_widget_class_install_action (widget_class, "win.load-demo", NULL,
                                   load_demo_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL,
                                   reload_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL,
                                   print_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL,
                                   export_report_action);
  gtk_widget_class_install_action (widget_class, "win.open-report", NULL,
                                   open_report_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-notice", NULL,
                                   dismiss_notice_action);
  gtk_widget_class_install_action (widget_class, "win.select-unit", "s",
                                   select_unit_action);
  gtk_widget_class_install_action (widget_class, "win.select-period", "s",
                                   select_period_action);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL,
                                   go_up_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s",
                                   show_view_action);
  gtk_widget_class_install_action (widget_class, "win.show-error", "s",
                                   show_error_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL,
                                   dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.focus-navigator", NULL,
                                   focus_navigator_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0,
                                       "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up,
                                       GDK_ALT_MASK, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l,
                                       GDK_CONTROL_MASK, "win.focus-navigator",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-view", "s", "coverage");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-view", "s", "spending");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-view", "s", "checkin");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "win.dismiss-error", NULL);
}

static void
hicov_window_init (HicovWindow *self)
{
  g_autofree char *last = NULL;

  hicov_timing_mark ("window-init");
  gtk_widget_init_template (GTK_WIDGET (self));
  hicov_timing_mark ("template-built");

  self->tiles[HICOV_KPI_COVERAGE] = self->tile_coverage;
  self->tiles[HICOV_KPI_GAP] = self->tile_gap;
  self->tiles[HICOV_KPI_VISITS] = self->tile_visits;
  self->tiles[HICOV_KPI_SPENDING] = self->tile_spending;
  self->tiles[HICOV_KPI_COST_PER_VISIT] = self->tile_cost_per_visit;
  self->tiles[HICOV_KPI_FUND] = self->tile_fund;
  for (int k = 0; k < HICOV_N_KPIS; k++)
    hicov_kpi_tile_set_title (self->tiles[k], hicov_kpi_title (k, ui_lang ()));

  self->charts[HICOV_FIG_COVERAGE_TREND] = self->chart_trend;
  self->charts[HICOV_FIG_RANKING] = self->chart_ranking;
  self->charts[HICOV_FIG_GROUPS] = self->chart_groups;
  self->charts[HICOV_FIG_CHECKIN] = self->chart_checkin;
  self->charts[HICOV_FIG_VISITS] = self->chart_visits;
  self->charts[HICOV_FIG_SPENDING] = self->chart_spending;
  self->charts[HICOV_FIG_COST_PER_VISIT] = self->chart_cost;
  self->charts[HICOV_FIG_FUND] = self->chart_fund;
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      hicov_chart_view_set_name (self->charts[f], hicov_figure_name (f));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->charts[f]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      hicov_figure_title (f, ui_lang ()),
                                      -1);
      g_signal_connect (self->charts[f], "unit-activated",
                        G_CALLBACK (on_unit_activated), self);
    }

  g_signal_connect (self->navigator, "unit-selected",
                    G_CALLBACK (on_unit_selected), self);
  g_signal_connect (self->period_selector, "changed",
                    G_CALLBACK (on_period_changed), self);
  g_signal_connect (self->view_stack, "notify::visible-child",
                    G_CALLBACK (on_visible_page_changed), self);

  last = hicov_settings_get_last_folder ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reopen",
                                 last != NULL);
  self->timing = g_strcmp0 (g_getenv ("HICOV_DASHBOARD_TIMING"), "1") == 0;
}

HicovWindow *
hicov_window_new (HicovApplication *app)
{
  return g_object_new (HICOV_TYPE_WINDOW, "application", app, NULL);
}
