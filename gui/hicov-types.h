/* hicov-types.h - forward declarations and enums shared by the dashboard. */
#pragma once

#include <glib.h>

#include "hicov-chart.h"

G_BEGIN_DECLS

typedef struct _HicovApplication HicovApplication;
typedef struct _HicovWindow HicovWindow;
typedef struct _HicovNavigator HicovNavigator;
typedef struct _HicovPeriodSelector HicovPeriodSelector;
typedef struct _HicovKpiTile HicovKpiTile;
typedef struct _HicovChartView HicovChartView;
typedef struct _HicovUnitItem HicovUnitItem;

/* HicovFigure, HicovKpi and HicovTrend (the direction a KPI's change
 * points to) come with the figures of the chart library. */

G_END_DECLS
