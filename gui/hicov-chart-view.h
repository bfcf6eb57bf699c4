/* hicov-chart-view.h - a widget showing one HicovChart.
 *
 * The chart is drawn by the shared chart library (csrc/include/hicov-chart.h), the
 * same code that writes PNG, SVG and PDF files and the report's charts.
 * Hovering shows the exact value under the pointer; clicking (or Enter on)
 * a point that has a drill-down code emits "unit-activated". */
#pragma once

#include <gtk/gtk.h>

#include "hicov-chart.h"
#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_CHART_VIEW (hicov_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (HicovChartView, hicov_chart_view, HICOV, CHART_VIEW,
                      GtkWidget)

typedef enum {
  HICOV_EXPORT_PNG = 0,
  HICOV_EXPORT_SVG,
  HICOV_EXPORT_PDF
} HicovExportFormat;

/* Size of exported charts: 10 x 6 inches; PNGs at 300 dpi. */
#define HICOV_EXPORT_WIDTH_PT 720.0
#define HICOV_EXPORT_HEIGHT_PT 432.0
#define HICOV_EXPORT_PNG_SCALE (300.0 / 72.0)

GtkWidget  *hicov_chart_view_new           (void);
/* Takes ownership of chart (NULL clears). drill_codes, if not NULL, holds
 * one unit code per chart point (NULL-terminated, copied); clicking point i
 * emits "unit-activated" with drill_codes[i]. */
void        hicov_chart_view_set_chart     (HicovChartView     *self,
                                            HicovChart         *chart,
                                            const char *const  *drill_codes);
HicovChart *hicov_chart_view_get_chart     (HicovChartView     *self);
/* Short name used in file names and by automation ("coverage-trend"). */
void        hicov_chart_view_set_name      (HicovChartView     *self,
                                            const char         *name);
const char *hicov_chart_view_get_name      (HicovChartView     *self);
/* Text of the suggested file name, without extension. */
void        hicov_chart_view_set_file_stem (HicovChartView     *self,
                                            const char         *stem);
/* Writes the chart at print quality; the format follows the extension of
 * path (.png, .svg or .pdf). */
gboolean    hicov_chart_view_save          (HicovChartView     *self,
                                            const char         *path,
                                            GError            **error);
/* What hover would show at (x, y) in widget coordinates, or NULL. Caller
 * frees. */
char       *hicov_chart_view_describe_at   (HicovChartView     *self,
                                            double              x,
                                            double              y);
/* Acts as a click at (x, y): emits "unit-activated" if a drillable bar is
 * there. Returns TRUE if it did. */
gboolean    hicov_chart_view_activate_at   (HicovChartView     *self,
                                            double              x,
                                            double              y);
/* Centre of the bar drawn for point i of the first series (for tests and
 * keyboard navigation). */
gboolean    hicov_chart_view_point_center  (HicovChartView     *self,
                                            size_t              i,
                                            double             *x,
                                            double             *y);
/* Renders like the widget does into any cairo context (printing). */
/* What a key does on the focused chart (arrows, Home and End move the
 * cursor over bars and line points; Enter drills down; Escape leaves):
 * TRUE if it was handled.  The readout then says the exact value under
 * the cursor; get_readout returns it (NULL when hidden). */
gboolean    hicov_chart_view_press_key     (HicovChartView     *self,
                                            guint               keyval);
const char *hicov_chart_view_get_readout   (HicovChartView     *self);
/* The point the keyboard cursor is on, -1 when none. */
gssize      hicov_chart_view_get_cursor    (HicovChartView     *self);
void        hicov_chart_view_render_to     (HicovChartView     *self,
                                            cairo_t            *cr,
                                            double              width,
                                            double              height,
                                            gboolean            raster);
/* What the pointer at (x, y) shows: describe_at's text, or NULL where a
 * strip is painted over the bars (hover and click use it; describe_at and
 * activate_at answer for any point, as the keyboard and tests need). */
char       *hicov_chart_view_pointer_text (HicovChartView *self,
                                           double          x,
                                           double          y);
/* In a scrolled window: once the chart is next drawn, and again when the
 * window's size changes until the user scrolls, scrolls from the top just
 * far enough to show the bar of the lowest value (of the first series)
 * between the strips painted over the bars. */
void        hicov_chart_view_reveal_lowest (HicovChartView *self);
/* In a scrolled window, as last drawn: the rows shown [*top, *bottom),
 * the end of the head strip painted at the top (-1: none) and the start of
 * the foot strip at the bottom (G_MAXDOUBLE: none), and the room kept for
 * the export button at the right of the titles (for tests). */
void        hicov_chart_view_get_scroll_state (HicovChartView  *self,
                                               double          *top,
                                               double          *bottom,
                                               double          *head_end,
                                               double          *foot_start,
                                               double          *title_inset);

G_END_DECLS
