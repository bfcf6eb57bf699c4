/* hicov-window-private.h - the window's instance struct and the functions
 * its files share.  Not API: only hicov-window*.c include it.
 *
 *   hicov-window.c          type, template, dispose, errors, selection,
 *                           timing hooks
 *   hicov-window-views.c    the header, KPI tiles and charts of a selection
 *   hicov-window-load.c     the built-in demo and dataset folders (GTask)
 *   hicov-window-export.c   congress reports and the notice (toast)
 *   hicov-window-print.c    GtkPrintOperation and its pages
 *   hicov-window-actions.c  the win.* actions and their shortcuts
 *   hicov-window-targets.c  the resolution selector */
#pragma once

#include "hicov-equity-view.h"
#include "hicov-map-view.h"
#include "hicov-table-view.h"
#include "hicov-window.h"

G_BEGIN_DECLS

struct _HicovWindow
{
  GtkApplicationWindow parent_instance;

  /* Template children. */
  HicovPeriodSelector *period_selector;
  GtkStack *view_stack;
  GtkStackSwitcher *view_switcher;     /* in the header bar */
  GtkStackSwitcher *view_switcher_bar; /* under the pages when narrow */
  GtkWidget *menu_button;
  gboolean narrow;             /* the switcher is under the pages */
  int switcher_natural;        /* the header's switcher, last measured */
  guint narrow_idle_id;
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
  HicovTableView *table_view; /* the Table page, made in code */
  gboolean table_dirty;       /* waits for its page to be shown */
  HicovEquityView *equity_view; /* the Equity page, made in code */
  gboolean equity_dirty;        /* waits for its page to be shown */
  HicovMapView *map_view;     /* the Map page, made in code */
  gboolean map_dirty;         /* waits for its page to be shown */

  /* Indexed by HicovKpi and HicovFigure. */
  HicovKpiTile *tiles[HICOV_N_KPIS];
  HicovChartView *charts[HICOV_N_FIGS];
  gboolean chart_dirty[HICOV_N_FIGS]; /* waits for its page to be shown */

  HicovDataset *ds;
  char *folder;          /* NULL for the demo */
  HicovFigureContext *figures; /* KPIs and charts of the dataset */
  GtkDropDown *resolution_dropdown; /* made in code, in the header */
  GArray *resolution_items;    /* int per entry: dataset index, -1 in force */
  int resolution_choice;       /* dataset index chosen, -1: the one in force */
  int figures_choice;          /* what figures was assessed for */
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
  char *issuer_profile;  /* the issuer profile reports are issued with */
  guint toast_timeout_id;

  gint64 update_started;
  gboolean redraw_pending;
  gboolean first_frame_reported;
  gboolean timing;
  gulong after_paint_id;

  /* What the trend and the ranking show (hicov-window-figures.c). */
  GtkDropDown *indicator_dropdown;  /* made in code, in the header */
  GtkToggleButton *all_units_button;
  GtkToggleButton *compare_button;
  const char *indicator;            /* static, NULL: coverage */
  gboolean ranking_all;
  size_t ranking_bars;              /* bars of the ranking last built */
  GPtrArray *compare_units;         /* codes pinned to compare */
  int hinted_kind_months;           /* the period kind last hinted about */
  gboolean hint_shown;              /* the notice is that hint */

  /* The rows a lenient open left out (hicov-window-load.c). */
  GtkWidget *rejected_window;       /* weak */
  char **rejected_rows;
};

/* hicov-window.c */

/* "vi" or "en", after the locale's numeric conventions. */
const char *_hicov_window_ui_lang          (void);
/* The dataset's unit with that code into *out; FALSE if there is none. */
gboolean    _hicov_window_unit_info        (HicovWindow *self,
                                            const char  *code,
                                            HicovUnit   *out);
/* After a new dataset: its default unit and latest period, the period
 * selector's span, the navigator and the views. */
void        _hicov_window_select_default   (HicovWindow *self);

/* hicov-window-views.c */

/* Fills tiles[] and charts[] from the template and connects their
 * signals; the dispose half disconnects what outlives the template. */
void        _hicov_window_views_init       (HicovWindow *self);
void        _hicov_window_views_dispose    (HicovWindow *self);
/* Shows the selection: header, KPI tiles, charts of the visible page. */
void        _hicov_window_update_all       (HicovWindow *self);
/* Builds every chart still waiting for its page (printing, automation). */
void        _hicov_window_ensure_all_charts (HicovWindow *self);

/* hicov-window-targets.c */

/* The resolution selector: made in the header; its entries for the
 * selected unit, reassessing figures when the choice changed. */
void        _hicov_window_targets_init     (HicovWindow *self);
void        _hicov_window_targets_dispose  (HicovWindow *self);
void        _hicov_window_targets_update   (HicovWindow *self);

/* hicov-window-figures.c */

/* The indicator picker and the ranking's and comparison's buttons, made in
 * the header; apply gives the choices to self->figures before a chart is
 * built; update sets the buttons after a selection. */
void        _hicov_window_figures_init     (HicovWindow *self);
void        _hicov_window_figures_dispose  (HicovWindow *self);
void        _hicov_window_figures_apply    (HicovWindow *self);
void        _hicov_window_figures_update   (HicovWindow *self);

/* hicov-window-export.c */

/* Enables win.export-report when a report can be written. */
void        _hicov_window_update_report_action (HicovWindow *self);
/* The resolution a report of the selected unit is about, or NULL. */
const HicovResolution *
            _hicov_window_report_resolution (HicovWindow *self);
void        _hicov_window_dismiss_notice   (HicovWindow *self);
/* Shows text in the notice at the bottom (no Open button). */
void        _hicov_window_show_notice      (HicovWindow *self,
                                            const char  *text);

/* hicov-window-print.c */

/* File > Print: the print dialog; failures go to the error banner. */
void        _hicov_window_print            (HicovWindow *self);

/* hicov-window-actions.c */

/* Installs the win.* actions and their keyboard shortcuts. */
void        _hicov_window_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
