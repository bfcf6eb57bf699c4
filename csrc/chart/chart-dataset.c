/* chart-dataset.c - the standard charts of hicov-chart.h (Python's
 * Dataset.chart_*), for the periods, level and target a caller chooses.
 * The coverage trend, the ranking and the group split are the figure
 * builders' (figure-build.c), as on the dashboard and in the PDF report;
 * this file only chooses what to read and the titles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figure-private.h"

/* A period as the dashboard writes it (hicov_figure_period_label: "2024",
 * "Q3 2024" / "Quý 3/2024", "October 2024" / "Tháng 10/2024"); a period
 * it cannot name in canonical form. */
static void period_label(HicovPeriod p, const char *lang, char *buf,
                         size_t size)
{
  if (hicov_figure_period_label(p, lang, buf, size) != HICOV_OK)
    hicov_period_format(p, buf, size);
}

/* Format of an indicator's values on a chart. */
void fig_indicator_format(const HicovIndicatorInfo *info, int *format,
                             int *decimals)
{
  if (!strcmp(info->unit, "%")) {
    *format = HICOV_CHART_FORMAT_PERCENT;
    *decimals = 1;
  } else if (!strcmp(info->unit, "VND")) {
    *format = HICOV_CHART_FORMAT_MONEY;
    *decimals = 0;
  } else if (!strcmp(info->unit, "points") || !strcmp(info->unit, "days")) {
    *format = HICOV_CHART_FORMAT_NUMBER;
    *decimals = 1;
  } else {
    *format = HICOV_CHART_FORMAT_COUNT;
    *decimals = 0;
  }
}

/* Unit name and synthetic flag; the code itself if the unit is unknown. */
static int unit_info(const HicovDataset *ds, const char *code,
                     const char **name, int *synthetic)
{
  size_t idx;
  HicovUnit u;
  int rc = hicov_dataset_find_unit(ds, code, &idx);
  if (rc == HICOV_OK)
    rc = hicov_dataset_unit(ds, idx, &u);
  if (rc != HICOV_OK)
    return rc;
  *name = u.name ? u.name : code;
  if (synthetic)
    *synthetic = u.synthetic;
  return HICOV_OK;
}

static const char *synthetic_note(const char *lang)
{
  return T_(lang, "Synthetic units (illustrative data)");
}

/* A new chart with lang set, or an error status. */
static int start(int kind, const char *lang, HicovChart **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  int rc = hicov_chart_new(kind, out);
  if (rc == HICOV_OK && lang)
    rc = hicov_chart_set_lang(*out, lang);
  if (rc != HICOV_OK) {
    hicov_chart_free(*out);
    *out = NULL;
  }
  return rc;
}

static int fail(HicovChart **out, int rc)
{
  hicov_chart_free(*out);
  *out = NULL;
  return rc;
}

/* The coverage target of `unit` to draw: from res, or when res is NULL from
 * the dataset's resolutions, the earliest deadline not before `year` (else
 * the latest deadline). NULL if none. */
static const HicovTarget *find_target(const HicovDataset *ds,
                                      const HicovResolution *res,
                                      const char *unit, int year)
{
  const HicovTarget *best = NULL;
  size_t nres = res ? 1 : hicov_dataset_resolution_count(ds);
  for (size_t r = 0; r < nres; r++) {
    const HicovResolution *rr = res ? res : hicov_dataset_resolution(ds, r);
    for (size_t i = 0; rr && i < hicov_resolution_target_count(rr); i++) {
      const HicovTarget *t = hicov_resolution_target(rr, i);
      if (!t || strcmp(t->indicator, "coverage_rate") || t->level != -1 ||
          strcmp(t->unit, unit))
        continue;
      if (!best) {
        best = t;
      } else {
        int t_ok = t->deadline_year >= year, b_ok = best->deadline_year >= year;
        if (t_ok != b_ok ? t_ok
                         : (t_ok ? t->deadline_year < best->deadline_year
                                 : t->deadline_year > best->deadline_year))
          best = t;
      }
    }
  }
  return best;
}

int hicov_chart_coverage_trend(HicovDataset *ds, const char *unit,
                               const HicovResolution *res, const char *lang,
                               HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !unit || !out)
    return HICOV_INVALID;
  const char *name;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &name, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  int first_m, last_m;
  if (hicov_dataset_month_span(ds, &first_m, &last_m) != HICOV_OK)
    first_m = last_m = -1;
  if ((rc = start(HICOV_CHART_LINE, lang, out)) != HICOV_OK)
    return rc;

  /* the years that have a value, at most the last 200 */
  enum { MAX_YEARS = 200 };
  int y0 = first_m >= 0 ? first_m / 12 : 0, y1 = last_m >= 0 ? last_m / 12 : -1;
  if (y1 - y0 + 1 > MAX_YEARS)
    y0 = y1 - MAX_YEARS + 1;
  FigTrend tr = { 0 };
  rc = fig_trend_read(&tr, ds, "coverage_rate", unit, y0, y1, 0, FIG_STRICT);
  int last_actual = fig_trend_last_year(&tr);

  const HicovTarget *t = find_target(ds, res, unit, last_actual);
  /* projection from the last actual year to the deadline, with the same fit
   * hicov_assess uses; none when fewer than two annual points exist */
  if (rc == HICOV_OK && t && tr.n >= 2 && t->deadline_year > last_actual) {
    size_t n = tr.n;
    for (int y = last_actual + 1; y <= t->deadline_year && rc == HICOV_OK; y++)
      rc = fig_trend_add(&tr, y, NAN);
    FigDatasetProjector p = { ds, "coverage_rate", unit };
    if (rc == HICOV_OK)
      fig_trend_project(&tr, fig_project_dataset, &p);
    if (tr.nprojected == 0) /* no fit: no years beyond the data */
      tr.n = n;
  }

  char title[320], tlabel[64], mlabel[64], note[256], sub[512];
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s",
           T_(lang, "Health-insurance coverage"), name);
  if (tr.n > 0)
    fig_boundary_note(ds, unit, hicov_period_year((int)tr.years[0]).last,
                      hicov_period_year(y1).last, tr.estimate, lang, note,
                      sizeof note);
  else
    note[0] = '\0';
  FigTrendStyle s = {
    .title = title,
    .subtitle = fig_join(synthetic ? synthetic_note(lang) : NULL, note, sub,
                         sizeof sub),
    .actual_name = name,
    .projected_name = T_(lang, "Projection (trend)"),
    .target = NAN,
    .marker = NAN,
    .format = HICOV_CHART_FORMAT_PERCENT,
    .decimals = 1,
  };
  if (t) {
    /* TRANSLATORS: the target line of a resolution's deadline year */
    snprintf(tlabel, sizeof tlabel, T_(lang, "Target %d"), t->deadline_year);
    s.target = t->threshold;
    s.target_label = tlabel;
    if (tr.n > 0 && t->deadline_year >= tr.years[0] &&
        t->deadline_year <= tr.years[tr.n - 1]) {
      snprintf(mlabel, sizeof mlabel, T_(lang, "Deadline %d"),
               t->deadline_year);
      s.marker = t->deadline_year;
      s.marker_label = mlabel;
    }
  }
  if (rc == HICOV_OK)
    rc = fig_trend_chart(*out, &tr, &s);
  fig_trend_clear(&tr);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_children_ranked(HicovDataset *ds, const char *indicator,
                                const char *parent, HicovPeriod period,
                                int level, double target, const char *lang,
                                HicovChart **out)
{
  return hicov_chart_children_ranked_n(ds, indicator, parent, period, level,
                                       target, 0, lang, out);
}

/* "The 10 highest of 120 units" when a limit left units out, joined to the
 * synthetic note. */
static const char *ranked_subtitle(const FigRanking *r, long limit,
                                   const char *lang, char *buf, size_t size)
{
  char cut[160] = "";
  if (limit != 0 && r->total > r->n)
    snprintf(cut, sizeof cut, limit > 0
             ? hicov_ntext(lang, "The %zu highest of %zu unit",
                           "The %zu highest of %zu units", r->total)
             : hicov_ntext(lang, "The %zu lowest of %zu unit",
                           "The %zu lowest of %zu units", r->total),
             r->n, r->total);
  return fig_join(r->any_synthetic ? synthetic_note(lang) : NULL,
                  cut[0] ? cut : NULL, buf, size);
}

int hicov_chart_children_ranked_n(HicovDataset *ds, const char *indicator,
                                  const char *parent, HicovPeriod period,
                                  int level, double target, long limit,
                                  const char *lang, HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !indicator || !parent || !out)
    return HICOV_INVALID;
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  if (!info)
    return HICOV_NOTFOUND;
  const char *pname;
  int rc = unit_info(ds, parent, &pname, NULL);
  if (rc != HICOV_OK)
    return rc;
  size_t *idx = NULL, n = 0;
  rc = level < 0 ? hicov_dataset_children(ds, parent, &period, &idx, &n)
                 : hicov_dataset_units_at(ds, level, parent, &period, &idx, &n);
  if (rc != HICOV_OK)
    return rc;
  if ((rc = start(HICOV_CHART_BAR_RANKED, lang, out)) != HICOV_OK) {
    hicov_free(idx);
    return rc;
  }
  FigRanking r;
  rc = fig_ranking_read(&r, ds, idx, n, indicator, period, FIG_STRICT);
  hicov_free(idx);
  if (rc == HICOV_OK && limit > 0)
    fig_ranking_highest(&r, (size_t)limit);
  else if (rc == HICOV_OK && limit < 0)
    fig_ranking_lowest(&r, (size_t)-limit);
  char ptext[32] = "", title[320], sub[512];
  period_label(period, lang, ptext, sizeof ptext);
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s, %s",
           hicov_indicator_label(info, lang), pname, ptext);
  FigRankStyle s = {
    .title = title,
    .subtitle = ranked_subtitle(&r, limit, lang, sub, sizeof sub),
    .series_name = hicov_indicator_label(info, lang),
    .target = isfinite(target) ? target : NAN,
    /* TRANSLATORS: the target line of a standard chart; the dashboard's
     * (no context) may read differently */
    .target_label = TC_(lang, "standard chart", "Target"),
    .sort = HICOV_CHART_SORT_DESCENDING,
    .range_min = NAN,
    .range_max = NAN,
  };
  fig_indicator_format(info, &s.format, &s.decimals);
  if (rc == HICOV_OK)
    rc = fig_ranking_chart(*out, &r, &s);
  fig_ranking_clear(&r);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_groups_stacked(HicovDataset *ds, const char *measure,
                               const char *unit, const HicovPeriod *periods,
                               size_t nperiods, const char *lang,
                               HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !measure || !unit || (nperiods && !periods) || !out)
    return HICOV_INVALID;
  int mi = hicov_measure_find(measure);
  if (mi < 0)
    return HICOV_NOTFOUND;
  const HicovMeasureInfo *minfo = hicov_measure_info((size_t)mi);
  const char *uname;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &uname, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  if ((rc = start(HICOV_CHART_STACKED, lang, out)) != HICOV_OK)
    return rc;
  HicovChart *c = *out;

  FigGroups g;
  rc = fig_groups_read(&g, ds, measure, unit, periods, nperiods, FIG_STRICT);
  char (*plabels)[32] = hicov_calloc(nperiods + 1, sizeof *plabels);
  const char **pptr = hicov_calloc(nperiods + 1, sizeof *pptr);
  if (rc == HICOV_OK && (!plabels || !pptr))
    rc = HICOV_NOMEM;
  for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
    period_label(periods[p], lang, plabels[p], sizeof plabels[p]);
    pptr[p] = plabels[p];
  }
  /* participants: the dashboard's figure; another measure by its label */
  char what[200], title[320];
  if (!strcmp(measure, "participants"))
    hicov_fmt(what, sizeof what, "%s",
              hicov_figure_title(HICOV_FIG_GROUPS, lang));
  else
    /* TRANSLATORS: a measure split by group, e.g. "Population by
     * beneficiary group" */
    hicov_fmt(what, sizeof what, T_(lang, "%s by beneficiary group"),
              hicov_measure_label(minfo, lang));
  snprintf(title, sizeof title, "%s \xe2\x80\x94 %s", what, uname);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK && synthetic)
    rc = hicov_chart_set_subtitle(c, synthetic_note(lang));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, strcmp(minfo->unit, "VND")
                                       ? HICOV_CHART_FORMAT_COUNT
                                       : HICOV_CHART_FORMAT_MONEY, 0);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, pptr, nperiods);
  for (size_t k = 0; k < g.nseries && rc == HICOV_OK; k++) {
    char name[160];
    fig_groups_name(&g, k, lang, 0, name, sizeof name);
    rc = hicov_chart_add_series(c, name, g.values + k * nperiods, nperiods,
                                0, NULL);
  }
  fig_groups_clear(&g);
  hicov_free(plabels);
  hicov_free(pptr);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

/* Values of indicators over periods into a COLUMN or DUAL chart. */
static int indicator_periods(HicovDataset *ds, int kind,
                             const char *const *indicators, size_t nind,
                             const char *unit, const HicovPeriod *periods,
                             size_t nperiods, const char *title,
                             const char *lang, HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !unit || (nperiods && !periods) || !out)
    return HICOV_INVALID;
  const char *uname;
  int synthetic = 0;
  int rc = unit_info(ds, unit, &uname, &synthetic);
  if (rc != HICOV_OK)
    return rc;
  const HicovIndicatorInfo *info[2];
  for (size_t k = 0; k < nind; k++)
    if (!(info[k] = hicov_indicator_find(indicators[k])))
      return HICOV_NOTFOUND;
  if ((rc = start(kind, lang, out)) != HICOV_OK)
    return rc;
  HicovChart *c = *out;
  double *row = hicov_calloc(nperiods + 1, sizeof *row);
  char (*plabels)[32] = hicov_calloc(nperiods + 1, sizeof *plabels);
  const char **pptr = hicov_calloc(nperiods + 1, sizeof *pptr);
  if (!row || !plabels || !pptr)
    rc = HICOV_NOMEM;
  for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
    period_label(periods[p], lang, plabels[p], sizeof plabels[p]);
    pptr[p] = plabels[p];
  }
  int format = 0, decimals = 0;
  fig_indicator_format(info[0], &format, &decimals);
  char full[320];
  snprintf(full, sizeof full, "%s \xe2\x80\x94 %s",
           title ? title : hicov_indicator_label(info[0], lang), uname);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, full);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, format, decimals);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, pptr, nperiods);
  /* a series: every period on the boundaries of the latest */
  int first_end = nperiods ? periods[0].last : 0, asof = first_end, est = 0;
  for (size_t p = 0; p < nperiods; p++) {
    first_end = periods[p].last < first_end ? periods[p].last : first_end;
    asof = periods[p].last > asof ? periods[p].last : asof;
  }
  for (size_t k = 0; k < nind && rc == HICOV_OK; k++) {
    for (size_t p = 0; p < nperiods && rc == HICOV_OK; p++) {
      int e;
      rc = fig_indicator_on(ds, indicators[k], unit, periods[p], asof, &row[p],
                            &e, NULL, 0);
      est |= e;
      if (rc == HICOV_MISSING || rc == HICOV_NOTFOUND)
        rc = HICOV_OK;
    }
    if (rc == HICOV_OK)
      rc = hicov_chart_add_series(c, hicov_indicator_label(info[k], lang),
                                  row, nperiods, 0, NULL);
  }
  char note[256], sub[512];
  fig_boundary_note(ds, unit, first_end, asof, est, lang, note, sizeof note);
  const char *subtitle = fig_join(synthetic ? synthetic_note(lang) : NULL,
                                  note, sub, sizeof sub);
  if (rc == HICOV_OK && subtitle)
    rc = hicov_chart_set_subtitle(c, subtitle);
  hicov_free(row);
  hicov_free(plabels);
  hicov_free(pptr);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}

int hicov_chart_indicator_columns(HicovDataset *ds, const char *indicator,
                                  const char *unit, const HicovPeriod *periods,
                                  size_t nperiods, const char *lang,
                                  HicovChart **out)
{
  if (!indicator) {
    if (out)
      *out = NULL;
    return HICOV_INVALID;
  }
  const char *ind[1] = { indicator };
  return indicator_periods(ds, HICOV_CHART_COLUMN, ind, 1, unit, periods,
                           nperiods, NULL, lang, out);
}

int hicov_chart_revenue_spending(HicovDataset *ds, const char *unit,
                                 const HicovPeriod *periods, size_t nperiods,
                                 const char *lang, HicovChart **out)
{
  const char *ind[2] = { "fund_revenue", "fund_paid" };
  return indicator_periods(ds, HICOV_CHART_DUAL, ind, 2, unit, periods,
                           nperiods, hicov_figure_title(HICOV_FIG_FUND, lang),
                           lang, out);
}

const char *hicov_chart_schematic_note(const char *lang)
{
  /* TRANSLATORS: drawn on a map whose shapes are a drawing (the demo's) */
  return T_(lang, "Schematic, not real boundaries");
}

int hicov_chart_units_map(HicovDataset *ds, const char *indicator, int level,
                          HicovPeriod period, double target,
                          const char *boundaries, int schematic,
                          const char *lang, HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ds || !indicator || !out || !hicov_level_name(level))
    return HICOV_INVALID;
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  if (!info)
    return HICOV_NOTFOUND;
  size_t *idx = NULL, n = 0;
  int rc = hicov_dataset_units_at(ds, level, NULL, &period, &idx, &n);
  if (rc != HICOV_OK)
    return rc;
  if ((rc = start(HICOV_CHART_MAP, lang, out)) != HICOV_OK) {
    hicov_free(idx);
    return rc;
  }
  /* the ranking's values, unit for unit (one reading, one rule) */
  FigRanking r;
  rc = fig_ranking_read(&r, ds, idx, n, indicator, period, FIG_STRICT);
  hicov_free(idx);
  char ptext[32] = "", title[320], sub[512] = "";
  period_label(period, lang, ptext, sizeof ptext);
  /* TRANSLATORS: a map's title: indicator, level (plural), period */
  snprintf(title, sizeof title, T_(lang, "%s by %s, %s"),
           hicov_indicator_label(info, lang), hicov_level_plural(level, lang),
           ptext);
  if (boundaries && boundaries[0])
    snprintf(sub, sizeof sub, T_(lang, "Boundaries: %s"), boundaries);
  if (r.any_synthetic)
    snprintf(sub + strlen(sub), sizeof sub - strlen(sub), "%s%s",
             sub[0] ? " \xc2\xb7 " : "", synthetic_note(lang));
  FigRankStyle s = {
    .title = title,
    .subtitle = sub[0] ? sub : NULL,
    .series_name = hicov_indicator_label(info, lang),
    .target = isfinite(target) ? target : NAN,
    .target_label = TC_(lang, "standard chart", "Target"),
    .sort = HICOV_CHART_SORT_NONE,
    .range_min = NAN,
    .range_max = NAN,
  };
  fig_indicator_format(info, &s.format, &s.decimals);
  if (rc == HICOV_OK)
    rc = fig_ranking_chart(*out, &r, &s);
  if (rc == HICOV_OK && schematic)
    rc = hicov_chart_set_map_note(*out, hicov_chart_schematic_note(lang));
  if (rc == HICOV_OK && isfinite(target))
    rc = hicov_chart_set_map_classes(*out, HICOV_MAP_CLASSES_TARGET, 2);
  fig_ranking_clear(&r);
  return rc == HICOV_OK ? HICOV_OK : fail(out, rc);
}
