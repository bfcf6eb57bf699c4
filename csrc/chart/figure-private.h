/* figure-private.h - the figure builders shared by the dashboard's figures
 * (figures.c, figure-kpi.c), the standard charts (chart-dataset.c) and the
 * PDF report (report-pdf.c).  Not API.
 *
 * Each standard figure is built in one place: the coverage trend
 * (fig_trend_*), the ranking of units (fig_ranking_*) and the split by
 * beneficiary group (fig_groups_*).  Callers choose the data (a dataset,
 * or an assessment the report kept) and the texts; the builders put the
 * core's values into a chart the same way for everyone. */
#ifndef HICOV_FIGURE_PRIVATE_H
#define HICOV_FIGURE_PRIVATE_H

#include "chart-private.h"
#include "hicov-report.h"

/* Reading values: with FIG_STRICT a failure of the core other than a
 * missing value is returned; without it, the value is missing (NaN), as
 * the dashboard shows it. */
enum { FIG_STRICT = 1 << 0 };

/* The value of indicator for unit at period into *value (NaN if missing).
 * Returns HICOV_OK, HICOV_MISSING (reason, may be NULL, gets why) or a
 * failure of the core (its message into reason). */
int fig_indicator(HicovDataset *ds, const char *indicator, const char *unit,
                  HicovPeriod period, double *value, char *reason,
                  size_t reason_size);
/* The same on the boundaries at the end of month asof (a series' last
 * period: hicov_indicator_value_on); *estimate (may be NULL) gets 1 when
 * the value rests on a crosswalk share, else 0. */
int fig_indicator_on(HicovDataset *ds, const char *indicator,
                     const char *unit, HicovPeriod period, int asof,
                     double *value, int *estimate, char *reason,
                     size_t reason_size);

/* The chart format (HicovChartFormat) and decimals of an indicator's
 * values (chart-dataset.c). */
void fig_indicator_format(const HicovIndicatorInfo *info, int *format,
                          int *decimals);

/* ---- Boundaries ----------------------------------------------------------- */

/* What a series of unit from the period ending in month first_end to the
 * one ending in asof says of its boundaries: "" when no unit joined unit
 * in between, else "on today's boundaries" (or "as published at the
 * time", for a dataset set so), and whether values are estimated from the
 * shares of divided units. */
void fig_boundary_note(HicovDataset *ds, const char *unit, int first_end,
                       int asof, int estimate, const char *lang, char *buf,
                       size_t size);
/* a, b or "a · b" (either may be NULL or ""), into buf; returns buf, or
 * NULL when both are empty. */
const char *fig_join(const char *a, const char *b, char *buf, size_t size);
/* The name of unit (a code) for a legend or a caption, the code itself
 * when the dataset has no such unit or it has no name. */
const char *fig_unit_name(HicovDataset *ds, const char *unit);

/* ---- Coverage trend ------------------------------------------------------ */

/* Annual points: years, actual values and the projection (NaN where
 * missing). */
typedef struct {
  size_t n, cap;
  double *years, *actual, *projected;
  size_t nprojected; /* years after the last actual value with a
                        projection (fig_trend_project) */
  int estimate;      /* an actual value rests on a crosswalk share */
} FigTrend;

void fig_trend_clear(FigTrend *t);
/* Appends a year (after the last one) with an actual value (NaN: none). */
int fig_trend_add(FigTrend *t, int year, double actual);
/* Appends the annual values of indicator for unit from first to last, on
 * the boundaries of last (today's: a unit that absorbed others has their
 * history added).  keep_gaps: from the first year with a value on, a year
 * without one is kept as a gap (every year when none has a value); else
 * only years with a value are added. */
int fig_trend_read(FigTrend *t, HicovDataset *ds, const char *indicator,
                   const char *unit, int first, int last, int keep_gaps,
                   unsigned flags);
/* Year of the last actual value, 0 if none. */
int fig_trend_last_year(const FigTrend *t);

/* A projection: the value at year from the fit ending at last_year (the
 * last actual value).  Returns HICOV_OK or a failure (no projection). */
typedef int (*FigProjector)(const void *data, int last_year, int year,
                            double *value);
/* hicov_project on a dataset (data: FigDatasetProjector). */
typedef struct {
  HicovDataset *ds;
  const char *indicator, *unit;
} FigDatasetProjector;
int fig_project_dataset(const void *data, int last_year, int year,
                        double *value);
/* hicov_assessment_project (data: a HicovAssessment). */
int fig_project_assessment(const void *data, int last_year, int year,
                           double *value);

/* Projects every year after the last actual value; the projection then
 * starts at that value so that the dashed line continues the solid one.
 * Sets t->nprojected. */
void fig_trend_project(FigTrend *t, FigProjector fn, const void *data);

typedef struct {
  const char *title, *subtitle;
  const char *actual_name, *projected_name;
  double target;            /* NaN: none */
  const char *target_label;
  double marker;            /* deadline year, NaN: none */
  const char *marker_label;
  int format, decimals;     /* HicovChartFormat */
} FigTrendStyle;

/* Puts the trend into c (a new LINE chart): x values are the years, the
 * actual series, the projection when any year has one, the target line
 * and the deadline marker. */
int fig_trend_chart(HicovChart *c, const FigTrend *t, const FigTrendStyle *s);

/* ---- Ranking of units ---------------------------------------------------- */

typedef struct {
  const char *label; /* unit name (belongs to the dataset or the caller) */
  const char *key;   /* unit code or NULL */
  double value;      /* NaN: missing */
} FigRankEntry;

typedef struct {
  FigRankEntry *entries;
  size_t n;         /* entries */
  size_t total;     /* units ranked before fig_ranking_lowest */
  int any_synthetic;
} FigRanking;

void fig_ranking_clear(FigRanking *r);
/* Reads indicator at period for the units idx[0..n) of ds, in that
 * order; a unit without a value is a gap. */
int fig_ranking_read(FigRanking *r, HicovDataset *ds, const size_t *idx,
                     size_t n, const char *indicator, HicovPeriod period,
                     unsigned flags);
/* Orders the entries by value, lowest first, missing last, and keeps the
 * first max (0: all). */
void fig_ranking_lowest(FigRanking *r, size_t max);
/* The same by value highest first (missing still last). */
void fig_ranking_highest(FigRanking *r, size_t max);

typedef struct {
  const char *title, *subtitle, *series_name;
  double target;          /* NaN: none */
  const char *target_label;
  int format, decimals;
  int sort;               /* HicovChartSort */
  double range_min, range_max; /* NaN: automatic */
  int zoomed;             /* hicov_chart_set_zoomed */
  int target_colors;      /* hicov_chart_set_target_colors */
} FigRankStyle;

/* Puts the ranking into c (a new BAR_RANKED chart): one bar per entry,
 * keys when the entries have them. */
int fig_ranking_chart(HicovChart *c, const FigRanking *r,
                      const FigRankStyle *s);

/* ---- Split by beneficiary group ------------------------------------------ */

/* The chart palette has six distinct colours (chart-render.c), so the five
 * largest groups are drawn and the others summed, exactly in hundredths,
 * into "Other groups". */
#define FIG_GROUPS_SHOWN 5

typedef struct {
  size_t nseries;                    /* shown groups, then "Other" */
  const char *codes[FIG_GROUPS_SHOWN + 1]; /* NULL for "Other groups" */
  double *values;                    /* nseries x nperiods, NaN missing */
  size_t nperiods;
} FigGroups;

void fig_groups_clear(FigGroups *g);
/* Reads measure for unit by group over periods and keeps the largest
 * groups (by their total over the periods). */
int fig_groups_read(FigGroups *g, HicovDataset *ds, const char *measure,
                    const char *unit, const HicovPeriod *periods, size_t n,
                    unsigned flags);
/* Name of series k in lang: the group's name ("Poor households"/"Hộ
 * nghèo"), with_code adds " (HN)"; "Other groups"/"Nhóm khác". */
void fig_groups_name(const FigGroups *g, size_t k, const char *lang,
                     int with_code, char *buf, size_t size);
/* 1 if some value of the split comes from synthetic observations. */
int fig_groups_synthetic(HicovDataset *ds, const char *measure,
                         const char *unit, const HicovPeriod *periods,
                         size_t n);

/* ---- The dashboard's figures (figures.c, figure-kpi.c) -------------------- */

struct HicovFigureContext {
  HicovDataset *ds;              /* borrowed */
  HicovResolution *own_res;      /* the res given to _new, copied, or NULL */
  const HicovResolution **res;   /* the resolutions assessed */
  HicovAssessment **assessed;    /* per resolution, NULL if it failed */
  size_t *n_assessed;
  size_t n_resolutions;
  int first_month, last_month;
  int has_span;
  char lang[8];                  /* "vi" or "en" */
  char errmsg[256];
  const char *indicator;         /* static: the trend's and ranking's */
  size_t rank_max;               /* most bars of the ranking, 0: all */
  char *compare[HICOV_FIGURE_MAX_COMPARE]; /* more units on the trend */
  size_t n_compare;
};

/* Whether unit's participants in period rest on an estimate: a source of
 * the measure says so ("published estimate", "ước tính"), the rule the
 * report's "(estimate)" follows (csrc/core/report.c value_is_estimate). */
int fig_participants_estimated(HicovFigureContext *ctx, const char *unit,
                               HicovPeriod period);

int figure_set_error(HicovFigureContext *ctx, int rc, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
/* HICOV_NOTFOUND with a message if ctx's dataset has no unit `unit`. */
int figure_check_unit(HicovFigureContext *ctx, const char *unit);

/* ---- The report's charts (report-figures.c) --------------------------------- */

/* Base font size of the report's charts (its body text is 13 pt). */
#define REPORT_CHART_FONT_SIZE 9.0
/* The most units a ranking chart shows. */
#define REPORT_RANK_MAX 30

/* The assessment target t's trend is drawn from: its unit's own, or for a
 * target over units the figure of the unit they lie under; NULL if none. */
const HicovAssessment *report_target_trend_source(const HicovReport *rep,
                                                  size_t t);
/* Target t's trend chart: its indicator by year with the assessment's
 * projection, the threshold (a change's or growth's level at the
 * deadline) and the deadline, in the report's language.  *out is NULL
 * when there is nothing to draw; the caller frees it with
 * hicov_chart_free. */
int report_target_trend(const HicovReport *rep, size_t t, HicovChart **out);
/* The first target's trend chart. */
int report_trend_figure(const HicovReport *rep, HicovChart **out);
/* Target t's units (a target over units) by their distance from the
 * target, the furthest first, at most max; *shown gets how many.  *out is
 * NULL for a unit's own target or fewer than two values. */
int report_target_ranking(const HicovReport *rep, size_t t, size_t max,
                          HicovChart **out, size_t *shown);

#endif /* HICOV_FIGURE_PRIVATE_H */
