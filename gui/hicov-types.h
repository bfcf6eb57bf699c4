/* hicov-types.h - forward declarations and enums shared by the dashboard. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HicovApplication HicovApplication;
typedef struct _HicovWindow HicovWindow;
typedef struct _HicovNavigator HicovNavigator;
typedef struct _HicovPeriodSelector HicovPeriodSelector;
typedef struct _HicovKpiTile HicovKpiTile;
typedef struct _HicovChartView HicovChartView;
typedef struct _HicovUnitItem HicovUnitItem;

/* Direction a KPI's change line points to, and whether that is good news. */
typedef enum {
  HICOV_TREND_NONE = 0,
  HICOV_TREND_GOOD,
  HICOV_TREND_BAD,
  HICOV_TREND_NEUTRAL
} HicovTrend;

G_END_DECLS
