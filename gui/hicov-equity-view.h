/* hicov-equity-view.h - the Equity page: how unequal an indicator is
 * across the units of a level below the selected unit in the selected
 * period (the core's hicov_equity: HEAT's summary measures, population
 * weighted), and the trend of one measure over the years, drawn by the
 * chart library's hicov_figure_equity_trend.  Nothing is computed here. */
#pragma once

#include <gtk/gtk.h>

#include "hicov-chart-view.h"
#include "hicov-types.h"

G_BEGIN_DECLS

#define HICOV_TYPE_EQUITY_VIEW (hicov_equity_view_get_type ())
G_DECLARE_FINAL_TYPE (HicovEquityView, hicov_equity_view, HICOV,
                      EQUITY_VIEW, GtkBox)

GtkWidget      *hicov_equity_view_new        (void);
/* Shows the equity below unit in period, with the choices of the page's
 * pickers (indicator, level, ordering, the charted measure).  ds and
 * figures are borrowed until the next call or hicov_equity_view_clear.
 * FALSE, with error, when the core refuses. */
gboolean        hicov_equity_view_update     (HicovEquityView    *self,
                                              HicovDataset       *ds,
                                              HicovFigureContext *figures,
                                              const char         *unit,
                                              HicovPeriod         period,
                                              const char         *lang,
                                              GError            **error);
void            hicov_equity_view_clear      (HicovEquityView    *self);
/* Sets a picker by name, as a user would, and shows the result: what is
 * "indicator", "order" (an indicator name or "none"), "level" (a level
 * name) or "measure" (hicov_equity_measure_name).  FALSE when what or
 * value is not offered. */
gboolean        hicov_equity_view_choose     (HicovEquityView    *self,
                                              const char         *what,
                                              const char         *value);
/* What the page shows, one "key\ttext" line per row: "units", "high",
 * "low", "left-out", then every measure by its name, as drawn (for
 * tests). */
char          **hicov_equity_view_dup_shown  (HicovEquityView    *self);
/* The rows as drawn, "label\ttext" (the measures' labels, for paper). */
char          **hicov_equity_view_dup_rows   (HicovEquityView    *self);
/* The note under the measures, as drawn. */
const char     *hicov_equity_view_get_note   (HicovEquityView    *self);
HicovChartView *hicov_equity_view_get_chart  (HicovEquityView    *self);

G_END_DECLS
