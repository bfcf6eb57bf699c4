/* hicov-window-views.c - what the window shows of a selection: the header,
 * the KPI tiles and the charts, all from the chart library's figures
 * (hicov_figure_kpi, hicov_figure_chart). Charts of hidden pages are built
 * when their page is shown. */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "hicov-chart-view.h"
#include "hicov-kpi-tile.h"
#include "hicov-labels.h"
#include "hicov-tooltip.h"
#include "hicov-window-private.h"

/* ------------------------------------------------------------------------ */
/* Header and KPI tiles                                                      */

static void
update_header (HicovWindow *self)
{
  HicovUnit u;
  HicovUnitTarget ut;
  char period[64];
  GString *sub = g_string_new (NULL);
  g_autofree char *win_title = NULL;

  hicov_figure_period_label (self->period, _hicov_window_ui_lang (), period,
                             sizeof period);
  if (!_hicov_window_unit_info (self, self->unit, &u))
    {
      gtk_label_set_text (self->unit_title, "");
      gtk_label_set_text (self->unit_subtitle, "");
      g_string_free (sub, TRUE);
      return;
    }
  gtk_label_set_text (self->unit_title, u.name);
  g_string_append_printf (sub, "%s · %s", hicov_labels_level (u.level),
                          period);
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
  hicov_tooltip_set (GTK_WIDGET (self->unit_subtitle), sub->str);
  g_string_free (sub, TRUE);

  win_title = g_strdup_printf ("%s — %s", u.name, _("hicov Dashboard"));
  gtk_window_set_title (GTK_WINDOW (self), win_title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-up",
                                 u.parent != NULL);
}

static void
update_kpis (HicovWindow *self)
{
  for (int k = 0; k < HICOV_N_KPIS; k++)
    {
      HicovKpiText t;
      hicov_figure_kpi (self->figures, self->unit, self->period, k, &t);
      hicov_kpi_tile_set_note (self->tiles[k], t.basis);
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
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                    */

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
  _hicov_window_figures_apply (self);
  if (hicov_figure_chart (self->figures, self->unit, self->period, f,
                          &c) != HICOV_OK)
    g_warning ("%s", hicov_figure_context_errmsg (self->figures));
  if (f == HICOV_FIG_RANKING)
    {
      /* an empty ranking says "No data" in a cell of its own height */
      self->ranking_bars = c != NULL && !hicov_chart_is_empty (c)
                             ? hicov_chart_point_count (c) : 0;
      _hicov_window_figures_update (self);
    }
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
  /* The units furthest behind in sight first, at whichever end of the
   * ranking's documented order they are (highest first, but lowest first
   * when cut to the 20 lowest). */
  if (f == HICOV_FIG_RANKING)
    hicov_chart_view_reveal_lowest (self->charts[f]);
}

void
_hicov_window_ensure_all_charts (HicovWindow *self)
{
  for (int f = 0; f < HICOV_N_FIGS; f++)
    if (self->chart_dirty[f])
      build_chart (self, f);
}

/* The Table page's rows, against the coverage target that applies to
 * the unit (the one the gap tile shows). */
static void
build_table (HicovWindow *self)
{
  HicovUnitTarget ut;
  g_autoptr (GError) error = NULL;
  const HicovTarget *target = NULL;

  self->table_dirty = FALSE;
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    {
      hicov_table_view_clear (self->table_view);
      return;
    }
  if (hicov_figure_unit_target (self->figures, self->unit, self->period,
                                &ut) == HICOV_OK)
    target = ut.target;
  if (!hicov_table_view_update (self->table_view, self->ds, self->unit,
                                self->period, target,
                                _hicov_window_ui_lang (), &error))
    g_warning ("table: %s", error->message);
}

/* The Equity page's measures and trend for the selection. */
static void
build_equity (HicovWindow *self)
{
  g_autoptr (GError) error = NULL;

  self->equity_dirty = FALSE;
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    {
      hicov_equity_view_clear (self->equity_view);
      return;
    }
  if (!hicov_equity_view_update (self->equity_view, self->ds, self->figures,
                                 self->unit, self->period,
                                 _hicov_window_ui_lang (), &error))
    g_warning ("equity: %s", error->message);
}

static gboolean
equity_is_visible (HicovWindow *self)
{
  return gtk_stack_get_visible_child (self->view_stack) ==
         GTK_WIDGET (self->equity_view);
}

/* The Map page: the demo opens with its schematic map. */
static void
build_map (HicovWindow *self)
{
  HicovUnitTarget ut;
  const HicovTarget *target = NULL;
  g_autoptr (GError) error = NULL;

  self->map_dirty = FALSE;
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    {
      hicov_map_view_clear (self->map_view);
      return;
    }
  /* the demo's schematic map is for the demo only */
  if (self->folder != NULL)
    hicov_map_view_drop_demo_map (self->map_view);
  else if (!hicov_map_view_has_boundaries (self->map_view) &&
           !hicov_map_view_load_demo_map (self->map_view, &error))
    g_warning ("map: %s", error->message);
  if (hicov_figure_unit_target (self->figures, self->unit, self->period,
                                &ut) == HICOV_OK)
    target = ut.target;
  hicov_map_view_update (self->map_view, self->ds, self->unit, self->period,
                         target);
}

static gboolean
table_is_visible (HicovWindow *self)
{
  return gtk_stack_get_visible_child (self->view_stack) ==
         GTK_WIDGET (self->table_view);
}

static void
on_visible_page_changed (GtkStack    *stack,
                         GParamSpec  *pspec,
                         HicovWindow *self)
{
  if (self->table_dirty && table_is_visible (self))
    build_table (self);
  if (self->equity_dirty && equity_is_visible (self))
    build_equity (self);
  if (self->map_dirty && gtk_stack_get_visible_child (self->view_stack) ==
                           GTK_WIDGET (self->map_view))
    build_map (self);
  for (int f = 0; f < HICOV_N_FIGS; f++)
    if (self->chart_dirty[f] && chart_is_on_visible_page (self, f))
      build_chart (self, f);
}

/* ------------------------------------------------------------------------ */
/* A selection                                                               */

void
_hicov_window_update_all (HicovWindow *self)
{
  if (self->ds == NULL || self->unit == NULL || !self->has_period)
    return;
  self->redraw_pending = TRUE;

  _hicov_window_targets_update (self);
  _hicov_window_figures_update (self);
  update_header (self);
  update_kpis (self);

  /* Charts of hidden pages are built when their page is shown. */
  for (int f = 0; f < HICOV_N_FIGS; f++)
    {
      self->chart_dirty[f] = TRUE;
      if (chart_is_on_visible_page (self, f))
        build_chart (self, f);
    }
  self->table_dirty = TRUE;
  if (table_is_visible (self))
    build_table (self);
  self->equity_dirty = TRUE;
  if (equity_is_visible (self))
    build_equity (self);
  self->map_dirty = TRUE;
  if (gtk_stack_get_visible_child (self->view_stack) ==
      GTK_WIDGET (self->map_view))
    build_map (self);
  if (self->timing)
    {
      printf ("hicov-timing update us=%" G_GINT64_FORMAT "\n",
              g_get_monotonic_time () - self->update_started);
      fflush (stdout);
    }
}

static void
on_unit_activated (HicovChartView *view,
                   const char     *code,
                   HicovWindow    *self)
{
  /* Drill down from a child unit's bar. */
  hicov_window_select_unit (self, code);
}

void
_hicov_window_views_init (HicovWindow *self)
{
  const char *lang = _hicov_window_ui_lang ();

  self->tiles[HICOV_KPI_COVERAGE] = self->tile_coverage;
  self->tiles[HICOV_KPI_GAP] = self->tile_gap;
  self->tiles[HICOV_KPI_VISITS] = self->tile_visits;
  self->tiles[HICOV_KPI_SPENDING] = self->tile_spending;
  self->tiles[HICOV_KPI_COST_PER_VISIT] = self->tile_cost_per_visit;
  self->tiles[HICOV_KPI_FUND] = self->tile_fund;
  for (int k = 0; k < HICOV_N_KPIS; k++)
    hicov_kpi_tile_set_title (self->tiles[k], hicov_kpi_title (k, lang));

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
                                      hicov_figure_title (f, lang),
                                      -1);
      g_signal_connect (self->charts[f], "unit-activated",
                        G_CALLBACK (on_unit_activated), self);
    }
  _hicov_window_targets_init (self);
  _hicov_window_figures_init (self);
  self->table_view = HICOV_TABLE_VIEW (hicov_table_view_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->table_view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->table_view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->table_view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->table_view), 12);
  gtk_stack_add_titled (self->view_stack, GTK_WIDGET (self->table_view),
                        "table", _("Table"));
  self->equity_view = HICOV_EQUITY_VIEW (hicov_equity_view_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->equity_view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->equity_view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->equity_view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->equity_view), 12);
  gtk_stack_add_titled (self->view_stack, GTK_WIDGET (self->equity_view),
                        "equity", _("Equity"));
  self->map_view = HICOV_MAP_VIEW (hicov_map_view_new (lang));
  gtk_widget_set_margin_start (GTK_WIDGET (self->map_view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->map_view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->map_view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->map_view), 12);
  gtk_stack_add_titled (self->view_stack, GTK_WIDGET (self->map_view),
                        "map", _("Map"));
  g_signal_connect (self->map_view, "unit-activated",
                    G_CALLBACK (on_unit_activated), self);
  g_signal_connect (self->view_stack, "notify::visible-child",
                    G_CALLBACK (on_visible_page_changed), self);
}

void
_hicov_window_views_dispose (HicovWindow *self)
{
  _hicov_window_targets_dispose (self);
  _hicov_window_figures_dispose (self);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_func (self->view_stack,
                                          on_visible_page_changed, self);
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
  if (g_strcmp0 (name, "map") == 0)
    {
      if (self->map_dirty)
        build_map (self);
      return hicov_map_view_get_chart_view (self->map_view);
    }
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

gboolean
hicov_window_table_is_stale (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), FALSE);
  return self->table_dirty;
}

HicovTableView *
hicov_window_get_table_view (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  if (self->table_dirty)
    build_table (self);
  return self->table_view;
}

HicovEquityView *
hicov_window_get_equity_view (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  if (self->equity_dirty)
    build_equity (self);
  return self->equity_view;
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

HicovMapView *
hicov_window_get_map_view (HicovWindow *self)
{
  g_return_val_if_fail (HICOV_IS_WINDOW (self), NULL);
  if (self->map_dirty)
    build_map (self);
  return self->map_view;
}
