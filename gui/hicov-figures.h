/* hicov-figures.h - what the dashboard shows for one selection.
 *
 * Everything here asks the core (hicov.h) for numbers, formats them with
 * hicov-format.h and builds charts with hicov-chart.h; nothing is computed
 * in the GUI. Not a GObject: plain functions over a context struct, so the
 * window, the printer and the benchmark use the same code. */
#pragma once

#include <glib.h>

#include "hicov.h"
#include "hicov-chart.h"
#include "hicov-types.h"

G_BEGIN_DECLS

typedef enum {
  HICOV_FIG_COVERAGE_TREND = 0,
  HICOV_FIG_RANKING,
  HICOV_FIG_GROUPS,
  HICOV_FIG_CHECKIN,
  HICOV_FIG_VISITS,
  HICOV_FIG_SPENDING,
  HICOV_FIG_COST_PER_VISIT,
  HICOV_FIG_FUND,
  HICOV_N_FIGS
} HicovFigure;

/* Stable names ("coverage-trend", ...) used in file names and scripts. */
const char *hicov_figure_name (HicovFigure fig);
/* Translated title drawn on the chart and used as its accessible name. */
const char *hicov_figure_title (HicovFigure fig);
/* -1 if unknown. */
int         hicov_figure_from_name (const char *name);

/* Assessment of a coverage target for one unit, with the resolution it
 * comes from. */
typedef struct {
  const HicovResolution *resolution;
  const HicovTarget *target;
  HicovAssessment assessment;
} HicovUnitTarget;

/* Everything that stays the same across selections of one dataset. */
typedef struct {
  HicovDataset *ds;           /* borrowed */
  HicovAssessment **assessed; /* per resolution, hicov_free'd */
  size_t *n_assessed;
  size_t n_resolutions;
  int first_month, last_month;
  gboolean has_span;
  char lang[8];               /* "vi" or "en" */
} HicovFigureSource;

/* Reads the dataset's span and assesses every resolution. */
void hicov_figure_source_init  (HicovFigureSource *src,
                                HicovDataset      *ds,
                                const char        *lang);
void hicov_figure_source_clear (HicovFigureSource *src);

/* The coverage target that applies to unit in period: a target of a
 * resolution whose term includes the period's end year, else the one with
 * the latest deadline. Returns FALSE if the unit has no coverage target. */
gboolean hicov_figure_unit_target (const HicovFigureSource *src,
                                   const char              *unit,
                                   HicovPeriod              period,
                                   HicovUnitTarget         *out);

/* One KPI tile's texts, all translated except reason. */
typedef struct {
  char *value;
  char *change;    /* when missing: a short label, NULL for "No data" */
  char *detail;
  char *reason;    /* when missing: the core's English reason, or NULL */
  int trend;       /* HicovTrend */
  gboolean missing;
} HicovKpiText;

typedef enum {
  HICOV_KPI_COVERAGE = 0,
  HICOV_KPI_GAP,
  HICOV_KPI_VISITS,
  HICOV_KPI_SPENDING,
  HICOV_KPI_COST_PER_VISIT,
  HICOV_KPI_FUND,
  HICOV_N_KPIS
} HicovKpi;

const char *hicov_kpi_name (HicovKpi kpi);
const char *hicov_kpi_title (HicovKpi kpi);
void hicov_figure_kpi       (const HicovFigureSource *src,
                             const char              *unit,
                             HicovPeriod              period,
                             HicovKpi                 kpi,
                             HicovKpiText            *out);
void hicov_kpi_text_clear   (HicovKpiText *text);

/* Builds a chart; *drill_codes (optional) gets a NULL-terminated array of
 * unit codes per point for charts that drill down (g_strfreev), or NULL. */
HicovChart *hicov_figure_chart (const HicovFigureSource *src,
                                const char              *unit,
                                HicovPeriod              period,
                                HicovFigure              fig,
                                char                  ***drill_codes);

/* "2024", "Q3 2024", "October 2024", "January–October 2025". Caller
 * frees. */
char *hicov_period_label (HicovPeriod p);
/* "Poor households (HN)", translated. Caller frees. */
char *hicov_group_display_name (const char *code);
/* Number formatting in the dashboard's language. Caller frees. */
char *hicov_fmt_count   (const HicovFigureSource *src, double v);
char *hicov_fmt_percent (const HicovFigureSource *src, double v, int decimals);
char *hicov_fmt_money   (const HicovFigureSource *src, int64_t centi);

G_END_DECLS
