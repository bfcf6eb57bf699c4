/* hicov-window.h - the dashboard's main window. */
#pragma once

#include <gtk/gtk.h>

#include "hicov.h"
#include "hicov-equity-view.h"
#include "hicov-map-view.h"
#include "hicov-table-view.h"
#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_WINDOW (hicov_window_get_type ())
G_DECLARE_FINAL_TYPE (HicovWindow, hicov_window, HICOV, WINDOW,
                      GtkApplicationWindow)

HicovWindow *hicov_window_new (HicovApplication *app);

/* Shows the built-in demo. */
void         hicov_window_load_demo      (HicovWindow *self);
/* Loads a dataset folder in a worker thread; on failure the window keeps
 * what it showed and displays the core's message (file, line, column) in
 * its error banner. */
void         hicov_window_load_folder    (HicovWindow *self,
                                          const char  *folder);
/* The same; lenient: rows the core rejects are left out
 * (HICOV_LOAD_LENIENT) and listed in a window of their own. */
void         hicov_window_load_folder_full (HicovWindow *self,
                                            const char  *folder,
                                            gboolean     lenient);
/* The rows the last lenient open left out, as listed (the core's
 * messages); empty when none or their window was closed. */
char       **hicov_window_dup_rejected   (HicovWindow *self);
/* TRUE while a folder is loading. */
gboolean     hicov_window_is_busy        (HicovWindow *self);

gboolean     hicov_window_select_unit    (HicovWindow *self,
                                          const char  *code);
gboolean     hicov_window_select_period  (HicovWindow *self,
                                          HicovPeriod  period);
const char  *hicov_window_get_unit       (HicovWindow *self);
HicovPeriod  hicov_window_get_period     (HicovWindow *self);

/* Shows the page "coverage", "spending" or "checkin". */
gboolean     hicov_window_show_view      (HicovWindow *self,
                                          const char  *name);
/* The chart view with a figure name ("coverage-trend", ...), or NULL. */
HicovChartView *hicov_window_get_chart   (HicovWindow *self,
                                          const char  *name);
/* TRUE if the chart has not been built for the current selection yet
 * (charts of hidden pages are built when shown); does not build it. */
gboolean     hicov_window_chart_is_stale (HicovWindow *self,
                                          const char  *name);
/* Chooses entry position of the resolution selector (0: the one in
 * force); FALSE if there is none. */
gboolean     hicov_window_select_resolution (HicovWindow *self,
                                             int          position);
/* The selector's entries and the selected position. */
char       **hicov_window_dup_resolutions (HicovWindow *self,
                                           int         *selected);
/* The Table page, its rows up to date with the selection. */
HicovTableView *hicov_window_get_table_view (HicovWindow *self);
/* The Equity page, brought up to date with the selection. */
HicovEquityView *hicov_window_get_equity_view (HicovWindow *self);
/* The Map page. */
HicovMapView *hicov_window_get_map_view  (HicovWindow *self);
/* TRUE if the table waits for its page to be shown. */
gboolean     hicov_window_table_is_stale (HicovWindow *self);
/* The period drop-downs in the header. */
HicovPeriodSelector *hicov_window_get_period_selector (HicovWindow *self);
/* The tree of units beside the charts. */
HicovNavigator *hicov_window_get_navigator (HicovWindow *self);
/* The KPI tile with a name ("coverage", "gap", ...), or NULL. */
HicovKpiTile *hicov_window_get_kpi_tile  (HicovWindow *self,
                                          const char  *name);
/* Text of the error banner, or NULL when it is hidden. */
const char  *hicov_window_get_error      (HicovWindow *self);
void         hicov_window_show_error     (HicovWindow *self,
                                          const char  *message);

/* Prints the whole dashboard (every chart, with the KPIs) to a PDF file
 * without a dialog, through the same GtkPrintOperation as File > Print. */
gboolean     hicov_window_print_to_file  (HicovWindow  *self,
                                          const char   *path,
                                          GError      **error);

/* Writes the congress report of the selected unit's resolution (the one
 * whose coverage target the header shows, else one with a target for the
 * unit or a unit above it, else the dataset's first) to path: PDF, XML or
 * HTML after the extension, in the UI's language. The report is built on
 * the calling thread and written in a worker; the window then shows
 * "Report saved to …" as a notice, or the core's message in its error
 * banner. hicov_window_is_busy() is TRUE meanwhile. */
void         hicov_window_export_report  (HicovWindow *self,
                                          const char  *path);
/* The issuer profile (reports/issuer.xsd) later reports are issued with:
 * the agency, số, place, signer and recipients of the ODT and DOCX
 * documents; NULL: none (the documents keep marked places for them). */
void         hicov_window_set_issuer_profile (HicovWindow *self,
                                              const char  *path);
const char  *hicov_window_get_issuer_profile (HicovWindow *self);
/* Text of the notice (the toast at the bottom), or NULL when hidden. */
const char  *hicov_window_get_notice     (HicovWindow *self);

/* The indicator of the trend and the ranking (a name of
 * hicov_figure_indicator), every unit on the ranking or the 20 lowest,
 * and the selected unit pinned to compare on the trend (up to four pins
 * besides the selection; the oldest gives way). */
void         hicov_window_set_indicator  (HicovWindow *self,
                                          const char  *name);
const char  *hicov_window_get_indicator  (HicovWindow *self);
void         hicov_window_set_ranking_all (HicovWindow *self,
                                           gboolean     all);
void         hicov_window_pin_unit       (HicovWindow *self,
                                          gboolean     pinned);
char       **hicov_window_dup_compared   (HicovWindow *self);

/* Called after a frame is drawn with the time the last selection change
 * started (for HICOV_DASHBOARD_TIMING). */
gint64       hicov_window_get_update_started (HicovWindow *self);

G_END_DECLS
