/* hicov-window.c - the dashboard's main window.
 *
 * The window owns the dataset. A selection (unit, period) drives the KPI
 * tiles and the charts, all of which come from the chart library's figures
 * (hicov_figure_kpi, hicov_figure_chart); the window itself only wires
 * widgets, actions, loading, errors and printing.
 *
 * This file holds the type, its template, the error banner, the selection
 * and the timing hooks; hicov-window-private.h lists the other files. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-kpi-tile.h"
#include "hicov-navigator.h"
#include "hicov-period-selector.h"
#include "hicov-settings.h"
#include "hicov-timing.h"
#include "hicov-window-private.h"

G_DEFINE_FINAL_TYPE (HicovWindow, hicov_window, GTK_TYPE_APPLICATION_WINDOW)

const char *
_hicov_window_ui_lang (void)
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

gboolean
_hicov_window_unit_info (HicovWindow *self,
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

  for (int depth = 0;
       depth < 8 && _hicov_window_unit_info (self, code, &u); depth++)
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

  if (!_hicov_window_unit_info (self, code, &u))
    return FALSE;
  self->update_started = g_get_monotonic_time ();
  code = unit_for_period (self, u.code);
  if (g_strcmp0 (self->unit, code) != 0)
    {
      g_free (self->unit);
      self->unit = g_strdup (code);
    }
  hicov_navigator_select (self->navigator, self->unit);
  _hicov_window_update_all (self);
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
  _hicov_window_update_all (self);
}

/* ------------------------------------------------------------------------ */
/* The selection of a new dataset                                            */

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

/* The latest year in which unit has visits (flows are published later than
 * coverage), else the latest year. */
static HicovPeriod
latest_period (HicovWindow *self)
{
  for (int y = self->last_month / 12;
       y >= self->first_month / 12 && self->unit != NULL; y--)
    {
      HicovResult r;
      if (hicov_indicator_value (self->ds, "visits", self->unit,
                                 hicov_period_year (y), NULL, &r) == HICOV_OK &&
          r.status == HICOV_OK)
        return hicov_period_year (y);
    }
  return hicov_period_year (self->last_month / 12);
}

void
_hicov_window_select_default (HicovWindow *self)
{
  HicovPeriod p;

  g_free (self->unit);
  self->unit = default_unit (self->ds);
  self->hinted_kind_months = 0; /* a new dataset: hint again */
  if (self->compare_units != NULL) /* codes of the dataset before */
    g_ptr_array_set_size (self->compare_units, 0);

  if (!self->has_span)
    {
      hicov_window_show_error (self, _("The dataset holds no values."));
      hicov_navigator_set_dataset (self->navigator, self->ds, NULL);
      return;
    }

  p = latest_period (self);
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
  _hicov_window_update_all (self);
  hicov_timing_mark ("views-updated");
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
      printf ("hicov-timing redraw us=%" G_GINT64_FORMAT
              " monotonic_us=%" G_GINT64_FORMAT "\n",
              now - self->update_started, now);
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

gint64
hicov_window_get_update_started (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), 0);
  return self->update_started;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
hicov_window_dispose (GObject *object)
{
  HicovWindow *self = HICOV_WINDOW (object);

  /* the list of rows left out goes with the window */
  if (self->rejected_window != NULL)
    {
      GtkWidget *rejected = self->rejected_window;
      g_object_remove_weak_pointer (G_OBJECT (rejected),
                                    (gpointer *) &self->rejected_window);
      self->rejected_window = NULL;
      gtk_window_destroy (GTK_WINDOW (rejected));
    }
  g_clear_handle_id (&self->narrow_idle_id, g_source_remove);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  /* A report being written keeps the window alive until it is done; its
   * result is then dropped. */
  if (self->report_cancellable != NULL)
    g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  g_clear_handle_id (&self->toast_timeout_id, g_source_remove);
  _hicov_window_views_dispose (self);
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
  g_strfreev (self->rejected_rows);
  g_free (self->unit);
  g_free (self->saved_report);
  g_free (self->issuer_profile);
  G_OBJECT_CLASS (hicov_window_parent_class)->finalize (object);
}

/* ------------------------------------------------------------------------ */
/* A narrow window                                                           */

/* Room kept around the header's switcher: the header bar's spacing. */
#define SWITCHER_SLACK 12

/* The header's switcher may shrink (its labels ellipsize), so that the
 * window can be narrower than the header bar with every label in it (a
 * long period such as "Year to date · October" and six views do not fit
 * in 1024 px, in Vietnamese even less); when it has to shrink, it moves
 * under the pages, whole, until the header has room for it again. */
static void
ellipsize_switcher (GtkStackSwitcher *switcher)
{
  for (GtkWidget *b = gtk_widget_get_first_child (GTK_WIDGET (switcher));
       b != NULL; b = gtk_widget_get_next_sibling (b))
    {
      GtkWidget *label = GTK_IS_BUTTON (b)
        ? gtk_button_get_child (GTK_BUTTON (b)) : NULL;
      if (label != NULL && GTK_IS_LABEL (label))
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
}

static gboolean
wants_narrow (HicovWindow *self)
{
  GtkWidget *start = gtk_widget_get_parent (GTK_WIDGET (self->period_selector));
  GtkWidget *end = gtk_widget_get_parent (self->menu_button);
  GtkWidget *bar = gtk_widget_get_parent (start);
  int start_nat = 0, end_nat = 0, nat = 0;

  if (bar == NULL || gtk_widget_get_width (bar) <= 0)
    return self->narrow;
  gtk_widget_measure (start, GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                      &start_nat, NULL, NULL);
  gtk_widget_measure (end, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &end_nat,
                      NULL, NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->view_switcher)))
    {
      gtk_widget_measure (GTK_WIDGET (self->view_switcher),
                          GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL,
                          NULL);
      self->switcher_natural = nat;
    }
  return gtk_widget_get_width (bar) <
         start_nat + self->switcher_natural + end_nat + 2 * SWITCHER_SLACK;
}

static gboolean
update_narrow_cb (gpointer data)
{
  HicovWindow *self = data;

  self->narrow_idle_id = 0;
  self->narrow = wants_narrow (self);
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), !self->narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher_bar),
                          self->narrow);
  if (!self->narrow)
    ellipsize_switcher (self->view_switcher);
  return G_SOURCE_REMOVE;
}

static void
hicov_window_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  HicovWindow *self = HICOV_WINDOW (widget);

  GTK_WIDGET_CLASS (hicov_window_parent_class)->size_allocate (widget, width,
                                                              height,
                                                              baseline);
  /* Not while allocating: on the next turn of the main loop. */
  if (self->narrow_idle_id == 0 && wants_narrow (self) != self->narrow)
    self->narrow_idle_id = g_idle_add (update_narrow_cb, self);
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
  widget_class->size_allocate = hicov_window_size_allocate;

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
  CHILD (view_switcher);
  CHILD (view_switcher_bar);
  CHILD (menu_button);
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

  _hicov_window_class_actions_init (widget_class);
}

static void
hicov_window_init (HicovWindow *self)
{
  g_autofree char *last = NULL;

  hicov_timing_mark ("window-init");
  gtk_widget_init_template (GTK_WIDGET (self));
  hicov_timing_mark ("template-built");

  _hicov_window_views_init (self);
  ellipsize_switcher (self->view_switcher);
  g_signal_connect (self->navigator, "unit-selected",
                    G_CALLBACK (on_unit_selected), self);
  g_signal_connect (self->period_selector, "changed",
                    G_CALLBACK (on_period_changed), self);

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
