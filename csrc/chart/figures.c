/* figures.c - the dashboard's figures (hicov-chart.h): the context, names,
 * titles and period labels, the coverage target of a unit, and the eight
 * charts of a selection.  Every number is asked from the core; this file
 * only chooses which periods and units to ask about and how to show the
 * answers.  The KPI tiles are in figure-kpi.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "figure-private.h"

/* Time series of flows show at most this many periods. */
#define MAX_SEQ 12
/* Ranked bars: above this many children only the lowest are shown. */
#define MAX_BARS 20

static const char *const figure_names[HICOV_N_FIGS] = {
  "coverage-trend", "ranking", "groups", "checkin",
  "visits", "spending", "cost-per-visit", "fund",
};

static const char *const kpi_names[HICOV_N_KPIS] = {
  "coverage", "gap", "visits", "spending", "cost-per-visit", "fund",
};

const char *hicov_figure_name(int fig)
{
  return fig >= 0 && fig < HICOV_N_FIGS ? figure_names[fig] : NULL;
}

int hicov_figure_from_name(const char *name)
{
  for (int i = 0; name && i < HICOV_N_FIGS; i++)
    if (!strcmp(figure_names[i], name))
      return i;
  return -1;
}

const char *hicov_kpi_name(int kpi)
{
  return kpi >= 0 && kpi < HICOV_N_KPIS ? kpi_names[kpi] : NULL;
}

const char *hicov_figure_title(int fig, const char *lang)
{
  switch (fig) {
  case HICOV_FIG_COVERAGE_TREND:
    return T_(lang, "Coverage over time");
  case HICOV_FIG_RANKING:
    return T_(lang, "Coverage of units below");
  case HICOV_FIG_GROUPS:
    return T_(lang, "Participants by beneficiary group");
  case HICOV_FIG_CHECKIN:
    return T_(lang, "Chip-ID check-in success");
  case HICOV_FIG_VISITS:
    return T_(lang, "Insured visits");
  case HICOV_FIG_SPENDING:
    return T_(lang, "Medical spending");
  case HICOV_FIG_COST_PER_VISIT:
    /* TRANSLATORS: the dashboard's figure title; the indicator's label
     * (no context) may read differently */
    return TC_(lang, "figure", "Cost per visit");
  case HICOV_FIG_FUND:
    return T_(lang, "Fund revenue and spending");
  default:
    return "";
  }
}

const char *hicov_kpi_title(int kpi, const char *lang)
{
  switch (kpi) {
  case HICOV_KPI_COVERAGE:
    return TC_(lang, "kpi", "Coverage");
  case HICOV_KPI_GAP:
    return TC_(lang, "kpi", "Gap to target");
  case HICOV_KPI_VISITS:
    return TC_(lang, "kpi", "Insured visits");
  case HICOV_KPI_SPENDING:
    return TC_(lang, "kpi", "Medical spending");
  case HICOV_KPI_COST_PER_VISIT:
    return TC_(lang, "kpi", "Cost per visit");
  case HICOV_KPI_FUND:
    return TC_(lang, "kpi", "Fund balance");
  default:
    return "";
  }
}

static const char *const months[] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
  N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
  N_("November"), N_("December"),
};

static const char *const short_months[] = {
  NC_("short month", "Jan"), NC_("short month", "Feb"),
  NC_("short month", "Mar"), NC_("short month", "Apr"),
  NC_("short month", "May"), NC_("short month", "Jun"),
  NC_("short month", "Jul"), NC_("short month", "Aug"),
  NC_("short month", "Sep"), NC_("short month", "Oct"),
  NC_("short month", "Nov"), NC_("short month", "Dec"),
};

int hicov_figure_period_label(HicovPeriod p, const char *lang, char *buf,
                              size_t size)
{
  if (!buf || size == 0 || p.first < 0 || p.last < p.first)
    return HICOV_INVALID;
  int y = p.first / 12, m = p.first % 12 + 1, len;
  switch (p.kind) {
  case HICOV_PERIOD_YEAR:
    len = snprintf(buf, size, "%d", y);
    break;
  case HICOV_PERIOD_QUARTER:
    /* TRANSLATORS: quarter and year, e.g. "Q3 2024" */
    len = snprintf(buf, size, T_(lang, "Q%d %d"), (m - 1) / 3 + 1, y);
    break;
  case HICOV_PERIOD_MONTH:
    /* TRANSLATORS: month name and year, e.g. "October 2024" */
    len = snprintf(buf, size, TC_(lang, "month and year", "%s %d"),
                   hicov_text(lang, months[m - 1]), y);
    break;
  default:
    if (p.first / 12 == p.last / 12)
      /* TRANSLATORS: a span of months in one year with short month names,
       * e.g. "Jan–Oct 2025" */
      len = snprintf(buf, size, T_(lang, "%s\xe2\x80\x93%s %d"),
                     hicov_text(lang, short_months[m - 1]),
                     hicov_text(lang, short_months[p.last % 12]), y);
    else
      len = snprintf(buf, size, "%02d/%d\xe2\x80\x93%02d/%d", m, y,
                     p.last % 12 + 1, p.last / 12);
  }
  if (len < 0 || (size_t)len >= size) {
    buf[0] = '\0';
    return HICOV_LIMIT;
  }
  return HICOV_OK;
}

/* Short category label for chart axes: "2024", "Q3/24", "10/24". */
static void period_short_label(HicovPeriod p, const char *lang, char *buf,
                               size_t size)
{
  int y = p.first / 12;
  switch (p.kind) {
  case HICOV_PERIOD_QUARTER:
    /* TRANSLATORS: short quarter label on a chart axis, e.g. "Q3/24" */
    snprintf(buf, size, T_(lang, "Q%d/%02d"),
             p.first % 12 / 3 + 1, y % 100);
    return;
  case HICOV_PERIOD_MONTH:
    snprintf(buf, size, "%02d/%02d", p.first % 12 + 1, y % 100);
    return;
  default:
    snprintf(buf, size, "%d", hicov_period_end_year(p));
  }
}

/* ------------------------------------------------------------------------ */
/* Context                                                                   */

int figure_set_error(HicovFigureContext *ctx, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
  va_end(ap);
  return rc;
}

int figure_check_unit(HicovFigureContext *ctx, const char *unit)
{
  if (hicov_dataset_find_unit(ctx->ds, unit, NULL) != HICOV_OK)
    return figure_set_error(ctx, HICOV_NOTFOUND,
                            T_(ctx->lang, "unknown unit '%s'"), unit);
  return HICOV_OK;
}

void hicov_figure_context_free(HicovFigureContext *ctx)
{
  if (!ctx)
    return;
  for (size_t r = 0; ctx->assessed && r < ctx->n_resolutions; r++)
    hicov_free(ctx->assessed[r]);
  hicov_free(ctx->assessed);
  hicov_free(ctx->n_assessed);
  hicov_free(ctx->res);
  hicov_resolution_free(ctx->own_res);
  for (size_t i = 0; i < ctx->n_compare; i++)
    hicov_free(ctx->compare[i]);
  hicov_free(ctx);
}

int hicov_figure_context_new(HicovDataset *ds, const HicovResolution *res,
                             const char *lang, HicovFigureContext **out)
{
  if (out)
    *out = NULL;
  if (!ds || !out)
    return HICOV_INVALID;
  HicovFigureContext *ctx = hicov_calloc(1, sizeof *ctx);
  if (!ctx)
    return HICOV_NOMEM;
  ctx->ds = ds;
  ctx->indicator = "coverage_rate";
  ctx->rank_max = MAX_BARS;
  hicov_fmt(ctx->lang, sizeof ctx->lang, "%s",
            hicov_format_is_vi(lang) ? "vi" : "en");
  ctx->has_span = hicov_dataset_month_span(ds, &ctx->first_month,
                                           &ctx->last_month) == HICOV_OK;
  int rc = res ? hicov_resolution_copy(res, &ctx->own_res) : HICOV_OK;
  size_t n = res ? 1 : hicov_dataset_resolution_count(ds);
  ctx->n_resolutions = n;
  ctx->res = hicov_calloc(n ? n : 1, sizeof *ctx->res);
  ctx->assessed = hicov_calloc(n ? n : 1, sizeof *ctx->assessed);
  ctx->n_assessed = hicov_calloc(n ? n : 1, sizeof *ctx->n_assessed);
  if (rc == HICOV_OK && (!ctx->res || !ctx->assessed || !ctx->n_assessed))
    rc = HICOV_NOMEM;
  for (size_t r = 0; rc == HICOV_OK && r < n; r++) {
    ctx->res[r] = res ? ctx->own_res : hicov_dataset_resolution(ds, r);
    int st = hicov_assess(ds, ctx->res[r], &ctx->assessed[r],
                          &ctx->n_assessed[r]);
    if (st == HICOV_NOMEM)
      rc = st;
    else if (st != HICOV_OK) /* this resolution gives no targets */
      ctx->n_assessed[r] = 0;
  }
  if (rc != HICOV_OK) {
    hicov_figure_context_free(ctx);
    return rc;
  }
  *out = ctx;
  return HICOV_OK;
}

/* The indicators a picker offers for the trend and the ranking: what the
 * core computes for a unit and a year that an office follows. */
static const char *const figure_indicators[] = {
  "coverage_rate", "participants", "cost_per_participant", "cost_per_visit",
  "inpatient_share", "avg_length_of_stay", "patients_500m",
  "commune_visit_share", "fund_usage", "quality_findings",
};

const char *hicov_figure_indicator(size_t i)
{
  return i < sizeof figure_indicators / sizeof *figure_indicators
             ? figure_indicators[i]
             : NULL;
}

int hicov_figure_context_set_indicator(HicovFigureContext *ctx,
                                       const char *indicator)
{
  if (!ctx)
    return HICOV_INVALID;
  if (!indicator)
    indicator = "coverage_rate";
  for (size_t i = 0; hicov_figure_indicator(i); i++)
    if (!strcmp(figure_indicators[i], indicator)) {
      ctx->indicator = figure_indicators[i];
      return HICOV_OK;
    }
  return figure_set_error(ctx, HICOV_NOTFOUND,
                          T_(ctx->lang, "no figure of indicator '%s'"),
                          indicator);
}

const char *hicov_figure_context_indicator(const HicovFigureContext *ctx)
{
  return ctx ? ctx->indicator : NULL;
}

int hicov_figure_context_set_ranking_max(HicovFigureContext *ctx, size_t max)
{
  if (!ctx)
    return HICOV_INVALID;
  ctx->rank_max = max;
  return HICOV_OK;
}

int hicov_figure_context_set_compare(HicovFigureContext *ctx,
                                     const char *const *units, size_t n)
{
  char *copy[HICOV_FIGURE_MAX_COMPARE] = { 0 };
  if (!ctx || (n && !units))
    return HICOV_INVALID;
  if (n > HICOV_FIGURE_MAX_COMPARE)
    return figure_set_error(ctx, HICOV_LIMIT,
                            T_(ctx->lang, "at most %d units to compare"),
                            HICOV_FIGURE_MAX_COMPARE);
  int rc = HICOV_OK;
  for (size_t i = 0; i < n && rc == HICOV_OK; i++) {
    rc = units[i] ? figure_check_unit(ctx, units[i]) : HICOV_INVALID;
    if (rc == HICOV_OK && !(copy[i] = hicov_strdup(units[i])))
      rc = HICOV_NOMEM;
  }
  if (rc != HICOV_OK) {
    for (size_t i = 0; i < n; i++)
      hicov_free(copy[i]);
    return rc;
  }
  for (size_t i = 0; i < ctx->n_compare; i++)
    hicov_free(ctx->compare[i]);
  memcpy(ctx->compare, copy, sizeof copy);
  ctx->n_compare = n;
  return HICOV_OK;
}

const char *hicov_figure_context_errmsg(const HicovFigureContext *ctx)
{
  return ctx ? ctx->errmsg : "";
}

const char *hicov_figure_context_lang(const HicovFigureContext *ctx)
{
  return ctx ? ctx->lang : "en";
}

int hicov_figure_unit_target(const HicovFigureContext *ctx, const char *unit,
                             HicovPeriod period, HicovUnitTarget *out)
{
  if (!ctx || !unit || !out)
    return HICOV_INVALID;
  int year = hicov_period_end_year(period);
  int found = 0, found_in_term = 0;
  for (size_t r = 0; r < ctx->n_resolutions; r++) {
    const HicovResolution *res = ctx->res[r];
    int start = 0, end = 0;
    hicov_resolution_term(res, &start, &end);
    int in_term = start <= year && year <= end;
    for (size_t i = 0; i < ctx->n_assessed[r]; i++) {
      const HicovAssessment *a = &ctx->assessed[r][i];
      const HicovTarget *t = hicov_resolution_target(res, a->target_index);
      if (!t || strcmp(t->indicator, "coverage_rate") || strcmp(a->unit, unit))
        continue;
      /* Prefer the term that contains the period, then the latest
       * deadline. */
      if (!found || (in_term && !found_in_term) ||
          (in_term == found_in_term &&
           a->deadline_year > out->assessment.deadline_year)) {
        out->resolution = res;
        out->target = t;
        out->assessment = *a;
        found = 1;
        found_in_term = in_term;
      }
    }
  }
  return found ? HICOV_OK : HICOV_NOTFOUND;
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                    */

static int new_chart(const HicovFigureContext *ctx, int kind, int fig,
                     HicovChart **out)
{
  int rc = hicov_chart_new(kind, out);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_lang(*out, ctx->lang);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(*out, hicov_figure_title(fig, ctx->lang));
  if (rc == HICOV_OK)
    rc = hicov_chart_set_empty_text(
        *out, T_(ctx->lang, "No data for this unit and period"));
  return rc;
}

int fig_participants_estimated(HicovFigureContext *ctx, const char *unit,
                               HicovPeriod period)
{
  return hicov_measure_estimated(ctx->ds, "participants", unit, period);
}

/* "Estimate: 2025" / "Ước tính: 2024, 2025" for the trend's years whose
 * coverage rests on estimated participants; "" if none. */
static void estimated_years(HicovFigureContext *ctx, const char *unit,
                            const FigTrend *t, char *buf, size_t size)
{
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < t->n && len + 8 < size; i++) {
    int year = (int)t->years[i];
    if (isnan(t->actual[i]) ||
        !fig_participants_estimated(ctx, unit, hicov_period_year(year)))
      continue;
    int w = len == 0 ? snprintf(buf, size, T_(ctx->lang, "Estimate: %d"), year)
                     : snprintf(buf + len, size - len, ", %d", year);
    if (w < 0 || (size_t)w >= size - len)
      break;
    len += (size_t)w;
  }
}

/* The coverage of unit year by year from its first value, the target that
 * applies in period, its deadline, and the projection to it. */
static int coverage_trend(HicovFigureContext *ctx, const char *unit,
                          HicovPeriod period, HicovChart *c)
{
  HicovUnitTarget ut;
  int has_target = hicov_figure_unit_target(ctx, unit, period, &ut) ==
                   HICOV_OK;
  int first_year = ctx->has_span ? ctx->first_month / 12 : 2020;
  int last_data_year = ctx->has_span ? ctx->last_month / 12 : 2020;
  int last_year = last_data_year;
  if (has_target && ut.assessment.deadline_year > last_year)
    last_year = ut.assessment.deadline_year;
  if (first_year < last_year - 20)
    first_year = last_year - 20;

  FigTrend t = { 0 };
  int rc = fig_trend_read(&t, ctx->ds, "coverage_rate", unit, first_year,
                          last_data_year, 1, 0);
  for (int y = first_year > last_data_year ? first_year : last_data_year + 1;
       rc == HICOV_OK && y <= last_year; y++)
    rc = fig_trend_add(&t, y, NAN);
  if (rc == HICOV_OK && has_target) {
    FigDatasetProjector p = { ctx->ds, "coverage_rate", unit };
    fig_trend_project(&t, fig_project_dataset, &p);
  }
  char deadline[64] = "", sub[512] = "", est[160] = "", note[256], full[800];
  if (rc == HICOV_OK)
    estimated_years(ctx, unit, &t, est, sizeof est);
  if (has_target) {
    snprintf(deadline, sizeof deadline, T_(ctx->lang, "Deadline %d"),
             ut.assessment.deadline_year);
    snprintf(sub, sizeof sub, "%s %s%s%s",
             hicov_resolution_number(ut.resolution),
             hicov_resolution_body(ut.resolution), est[0] ? " \xc2\xb7 " : "",
             est);
  } else {
    snprintf(sub, sizeof sub, "%s", est);
  }
  /* the history of a unit that absorbed others is on today's boundaries:
     say so */
  fig_boundary_note(ctx->ds, unit,
                    hicov_period_year(t.n ? (int)t.years[0] : first_year).last,
                    hicov_period_year(last_data_year).last, t.estimate,
                    ctx->lang, note, sizeof note);
  FigTrendStyle s = {
    .title = hicov_figure_title(HICOV_FIG_COVERAGE_TREND, ctx->lang),
    .subtitle = fig_join(sub, note, full, sizeof full),
    .actual_name = T_(ctx->lang, "Coverage"),
    .projected_name = T_(ctx->lang, "Projection"),
    /* the chart prints the target's value after its label */
    .target = has_target ? ut.assessment.threshold : NAN,
    .target_label = T_(ctx->lang, "Target"),
    .marker = has_target ? (double)ut.assessment.deadline_year : NAN,
    .marker_label = deadline,
    .format = HICOV_CHART_FORMAT_PERCENT,
    .decimals = 1,
  };
  if (rc == HICOV_OK)
    rc = fig_trend_chart(c, &t, &s);
  fig_trend_clear(&t);
  return rc;
}

/* The coverage target line of a ranking: the first child's coverage
 * target, else the unit's own (a province's 98% is what its districts are
 * measured against); NaN if none. */
static double ranking_threshold(HicovFigureContext *ctx, const char *unit,
                                HicovPeriod period, const FigRanking *r)
{
  HicovUnitTarget ut;
  for (size_t i = 0; i < r->n; i++)
    if (hicov_figure_unit_target(ctx, r->entries[i].key, period, &ut) ==
        HICOV_OK)
      return ut.assessment.threshold;
  if (r->n > 0 && hicov_figure_unit_target(ctx, unit, period, &ut) ==
                      HICOV_OK)
    return ut.assessment.threshold;
  return NAN;
}

/* "The 20 lowest of 25 units", the synthetic note (at any count) and the
 * key to the bars' colours, joined by " · ". */
static void ranking_subtitle(const HicovFigureContext *ctx,
                             const FigRanking *r, double threshold,
                             char *sub, size_t size)
{
  const char *l = ctx->lang;
  char part[160];
  sub[0] = '\0';
  if (r->total > r->n)
    snprintf(sub, size,
             hicov_ntext(l, "The %zu lowest of %zu unit",
                         "The %zu lowest of %zu units", r->total),
             r->n, r->total);
  if (r->any_synthetic) {
    snprintf(part, sizeof part, "%s", sub);
    fig_join(part, T_(l, "Synthetic communes (demo)"), sub, size);
  }
  if (!isnan(threshold)) {
    snprintf(part, sizeof part, "%s", sub);
    /* the key to the bars' colours (hicov_chart_set_target_colors) */
    fig_join(part, T_(l, "green: target met, purple: below it"), sub, size);
  }
}

/* The context's indicator over the units right below unit: the lowest
 * ctx->rank_max of them, or every one; coverage with its target line and
 * the bars coloured by it. */
static int ranking(HicovFigureContext *ctx, const char *unit,
                   HicovPeriod period, HicovChart *c)
{
  size_t *idx = NULL, n = 0;
  FigRanking r = { 0 };
  const char *ind = ctx->indicator;
  const HicovIndicatorInfo *info = hicov_indicator_find(ind);
  int coverage = !strcmp(ind, "coverage_rate");
  double threshold = NAN;
  char sub[512], title[256];
  int rc = HICOV_OK;
  int st = hicov_dataset_children(ctx->ds, unit, &period, &idx, &n);
  if (st == HICOV_NOMEM)
    rc = st;
  else if (st != HICOV_OK) /* no units below: the chart says so */
    n = 0;
  /* units below without this indicator keep the chart's "No data" */
  if (rc == HICOV_OK && n == 0)
    rc = hicov_chart_set_empty_text(
        c, T_(ctx->lang, "This unit has no units below it"));
  if (rc == HICOV_OK)
    rc = fig_ranking_read(&r, ctx->ds, idx, n, ind, period, 0);
  if (rc == HICOV_OK && coverage)
    threshold = ranking_threshold(ctx, unit, period, &r);
  hicov_free(idx);
  fig_ranking_lowest(&r, ctx->rank_max);
  ranking_subtitle(ctx, &r, threshold, sub, sizeof sub);
  if (coverage)
    snprintf(title, sizeof title, "%s",
             hicov_figure_title(HICOV_FIG_RANKING, ctx->lang));
  else
    /* TRANSLATORS: a ranking's title, "Cost per visit of units below" */
    snprintf(title, sizeof title, T_(ctx->lang, "%s of units below"),
             hicov_indicator_label(info, ctx->lang));
  FigRankStyle s = {
    .title = title,
    .subtitle = sub,
    .series_name = coverage ? T_(ctx->lang, "Coverage")
                            : hicov_indicator_label(info, ctx->lang),
    .target = threshold,
    .target_label = T_(ctx->lang, "Target"),
    .format = HICOV_CHART_FORMAT_PERCENT,
    .decimals = 1,
    .sort = r.total > r.n ? HICOV_CHART_SORT_ASCENDING
                          : HICOV_CHART_SORT_DESCENDING,
    .range_min = NAN,
    .range_max = NAN,
    /* the axis at the data, not 0-100%: 92.8% and 96.9% must differ;
     * but a count of findings keeps its zero (0 and 1 finding are not
     * bars either side of an axis running from -1 to 1) */
    .zoomed = strcmp(ind, "quality_findings") != 0,
    /* the units that meet the target in green, the others in purple */
    .target_colors = 1,
  };
  if (!coverage)
    fig_indicator_format(info, &s.format, &s.decimals);
  if (rc == HICOV_OK)
    rc = fig_ranking_chart(c, &r, &s);
  fig_ranking_clear(&r);
  return rc;
}

/* The units a trend draws: unit first, then the ones compared with it,
 * each once.  Returns their number. */
static size_t trend_units(const HicovFigureContext *ctx, const char *unit,
                          const char *units[1 + HICOV_FIGURE_MAX_COMPARE])
{
  size_t nu = 1;
  units[0] = unit;
  for (size_t i = 0; i < ctx->n_compare; i++) {
    int dup = 0;
    for (size_t k = 0; k < nu; k++)
      dup |= !strcmp(units[k], ctx->compare[i]);
    if (!dup)
      units[nu++] = ctx->compare[i];
  }
  return nu;
}

/* The context's indicator year by year for unit and the units compared
 * with it, one line each, on the boundaries of the last year: the trend
 * when it is not coverage of one unit (no target, no projection). */
static int indicator_trend(HicovFigureContext *ctx, const char *unit,
                           HicovChart *c)
{
  const char *l = ctx->lang;
  const HicovIndicatorInfo *info = hicov_indicator_find(ctx->indicator);
  const char *units[1 + HICOV_FIGURE_MAX_COMPARE];
  size_t nu = trend_units(ctx, unit, units);
  int last = ctx->has_span ? ctx->last_month / 12 : 2020;
  int first = ctx->has_span ? ctx->first_month / 12 : 2020;
  if (first < last - 20)
    first = last - 20;
  size_t ny = (size_t)(last - first + 1);
  double *years = hicov_calloc(ny, sizeof *years);
  double *vals = hicov_calloc(ny * nu, sizeof *vals);
  int rc = years && vals ? HICOV_OK : HICOV_NOMEM;
  int estimate = 0, format, decimals;
  size_t from = ny; /* the first year with a value for any unit */
  for (size_t k = 0; rc == HICOV_OK && k < nu; k++)
    for (size_t y = 0; y < ny; y++) {
      int est = 0;
      years[y] = (double)first + (double)y;
      fig_indicator_on(ctx->ds, ctx->indicator, units[k],
                       hicov_period_year(first + (int)y),
                       hicov_period_year(last).last, &vals[k * ny + y], &est,
                       NULL, 0);
      estimate |= est;
      if (isfinite(vals[k * ny + y]) && y < from)
        from = y;
    }
  char title[256], note[256], sub[512] = "";
  if (!strcmp(ctx->indicator, "coverage_rate"))
    snprintf(title, sizeof title, "%s",
             hicov_figure_title(HICOV_FIG_COVERAGE_TREND, l));
  else
    /* TRANSLATORS: a trend's title, "Cost per visit over time" */
    snprintf(title, sizeof title, T_(l, "%s over time"),
             hicov_indicator_label(info, l));
  fig_indicator_format(info, &format, &decimals);
  if (rc == HICOV_OK && from < ny) {
    fig_boundary_note(ctx->ds, unit, hicov_period_year(first + (int)from).last,
                      hicov_period_year(last).last, estimate, l, note,
                      sizeof note);
    char count[96] = "";
    if (nu > 1)
      snprintf(count, sizeof count,
               hicov_ntext(l, "%zu unit compared", "%zu units compared", nu),
               nu);
    fig_join(count, note, sub, sizeof sub);
  }
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, title);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_subtitle(c, sub);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, format, decimals);
  if (rc == HICOV_OK && from < ny)
    rc = hicov_chart_set_x_values(c, years + from, ny - from);
  for (size_t k = 0; rc == HICOV_OK && from < ny && k < nu; k++) {
    const char *name = fig_unit_name(ctx->ds, units[k]);
    char label[320];
    /* A unit compared without a value in any year keeps its place and
     * colour in the legend, which says it has no data (a unit the user
     * pinned should not vanish without a word); the legend draws no line
     * for it. */
    size_t with = 0;
    for (size_t y = from; y < ny; y++)
      with += isfinite(vals[k * ny + y]) != 0;
    if (nu > 1 && with == 0) {
      /* TRANSLATORS: a legend entry of a unit compared on a trend that
       * has no value in any year shown, "Quảng Ninh (no data)" */
      snprintf(label, sizeof label, TC_(l, "legend", "%s (no data)"), name);
      name = label;
    }
    rc = hicov_chart_add_series(c, name, vals + k * ny + from, ny - from, 0,
                                NULL);
  }
  hicov_free(years);
  hicov_free(vals);
  return rc;
}

/* ---- Flows over periods -------------------------------------------------- */

/* Periods along the time axis of flow charts: up to MAX_SEQ periods of the
 * selected kind ending with the selected one. */
static size_t period_sequence(const HicovFigureContext *ctx, HicovPeriod p,
                              HicovPeriod *out, size_t *selected)
{
  size_t n = 0;
  int first_year = ctx->has_span ? ctx->first_month / 12 : p.first / 12;
  int last_year = ctx->has_span ? ctx->last_month / 12 : p.last / 12;
  int year = hicov_period_end_year(p);

  switch (p.kind) {
  case HICOV_PERIOD_YEAR: {
    int to = last_year > year ? last_year : year;
    int from = to - 9 > first_year ? to - 9 : first_year;
    if (from > year)
      from = year;
    if (from < to - MAX_SEQ + 1)
      from = to - MAX_SEQ + 1;
    for (int y = from; y <= to; y++) {
      if (y == year)
        *selected = n;
      out[n++] = hicov_period_year(y);
    }
    return n;
  }
  case HICOV_PERIOD_QUARTER:
  case HICOV_PERIOD_MONTH: {
    int step = p.kind == HICOV_PERIOD_QUARTER ? 3 : 1;
    int count = p.kind == HICOV_PERIOD_QUARTER ? 8 : 12;
    for (int i = count - 1; i >= 0; i--) {
      int m = p.first - i * step;
      out[n++] = hicov_period_range(m, m + step - 1);
    }
    *selected = n - 1;
    return n;
  }
  default:
    if (p.first / 12 != p.last / 12) {
      *selected = 0;
      out[n++] = p;
      return n;
    }
    for (int y = year - 5 > first_year ? year - 5 : first_year; y <= year; y++)
      out[n++] = hicov_period_shift_years(p, y - year);
    *selected = n - 1;
    return n;
  }
}

/* Series collected before they go into a chart, so that leading periods
 * without any value can be left out. */
typedef struct {
  char names[CHART_MAX_SERIES][160];
  double values[CHART_MAX_SERIES][MAX_SEQ];
  size_t n_series;
  size_t n;
  int estimate; /* a value rests on a crosswalk share */
  int keep_empty; /* a series without values keeps its legend entry */
} SeriesSet;

/* Returns the new series' values (NaN-filled), or NULL when full. */
static double *series_set_add(SeriesSet *set, const char *name)
{
  if (set->n_series == CHART_MAX_SERIES)
    return NULL;
  hicov_fmt(set->names[set->n_series], sizeof set->names[0], "%s", name);
  double *v = set->values[set->n_series++];
  for (size_t i = 0; i < MAX_SEQ; i++)
    v[i] = NAN;
  return v;
}

/* A series over periods, on the boundaries of its last period. */
static void add_indicator_series(HicovFigureContext *ctx, SeriesSet *set,
                                 const char *series_name, const char *name,
                                 const char *unit, const HicovPeriod *periods)
{
  double *v = series_set_add(set, series_name);
  for (size_t i = 0; v && i < set->n; i++) {
    int est;
    fig_indicator_on(ctx->ds, name, unit, periods[i], periods[set->n - 1].last,
                     &v[i], &est, NULL, 0);
    set->estimate |= est && isfinite(v[i]);
  }
}

static int add_group_series(HicovFigureContext *ctx, SeriesSet *set,
                            const char *unit, const HicovPeriod *periods)
{
  FigGroups g;
  int rc = fig_groups_read(&g, ctx->ds, "participants", unit, periods,
                           set->n, 0);
  for (size_t k = 0; rc == HICOV_OK && k < g.nseries; k++) {
    char name[160];
    fig_groups_name(&g, k, ctx->lang, 1, name, sizeof name);
    double *v = series_set_add(set, name);
    for (size_t i = 0; v && i < set->n; i++)
      v[i] = g.values[k * g.nperiods + i];
  }
  fig_groups_clear(&g);
  return rc;
}

static int period_has_value(const SeriesSet *set, size_t i)
{
  for (size_t k = 0; k < set->n_series; k++)
    if (isfinite(set->values[k][i]))
      return 1;
  return 0;
}

/* Puts the set into c from the first period with a value to the last one
 * (never cutting the selected period): an empty column at either end reads
 * as a zero. A series without any value is left out of the legend, unless
 * every series is empty (the chart then says so).  *selected becomes the
 * index of the selected period in the chart. */
static int series_set_apply(const SeriesSet *set, HicovChart *c,
                            const char *lang, const HicovPeriod *periods,
                            size_t *selected)
{
  size_t first = *selected, end = *selected + 1;
  int any = 0;
  for (size_t i = 0; i < *selected; i++)
    if (period_has_value(set, i)) {
      first = i;
      break;
    }
  for (size_t i = set->n; i > *selected + 1; i--)
    if (period_has_value(set, i - 1)) {
      end = i;
      break;
    }
  for (size_t i = first; i < end && !any; i++)
    any = period_has_value(set, i);
  char labels[MAX_SEQ][32];
  const char *ptrs[MAX_SEQ];
  for (size_t i = first; i < end; i++) {
    period_short_label(periods[i], lang, labels[i - first], sizeof labels[0]);
    ptrs[i - first] = labels[i - first];
  }
  int rc = hicov_chart_set_categories(c, ptrs, end - first);
  for (size_t k = 0; rc == HICOV_OK && k < set->n_series; k++) {
    int has = 0;
    for (size_t i = first; i < end && !has; i++)
      has = isfinite(set->values[k][i]);
    if (has || !any || set->keep_empty)
      rc = hicov_chart_add_series(c, set->names[k], set->values[k] + first,
                                  end - first, 0, NULL);
  }
  *selected -= first;
  return rc;
}

static int chart_kind(int fig)
{
  switch (fig) {
  case HICOV_FIG_COST_PER_VISIT: return HICOV_CHART_LINE;
  case HICOV_FIG_FUND: return HICOV_CHART_DUAL;
  case HICOV_FIG_GROUPS: return HICOV_CHART_STACKED;
  case HICOV_FIG_RANKING: return HICOV_CHART_BAR_RANKED;
  case HICOV_FIG_COVERAGE_TREND: return HICOV_CHART_LINE;
  default: return HICOV_CHART_COLUMN; /* visits, spending, check-in */
  }
}

/* The series of a flow figure, its format and the title of its value
 * axis. */
static int flow_series(HicovFigureContext *ctx, HicovChart *c, int fig,
                       const char *unit, const HicovPeriod *periods,
                       SeriesSet *set, const char **value_title)
{
  const char *l = ctx->lang;
  switch (fig) {
  case HICOV_FIG_VISITS:
    add_indicator_series(ctx, set, T_(l, "Visits"), "visits",
                         unit, periods);
    *value_title = T_(l, "visits");
    return hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
  case HICOV_FIG_SPENDING:
    add_indicator_series(ctx, set, TC_(l, "figure", "Total medical cost"),
                         "total_cost", unit, periods);
    add_indicator_series(ctx, set, T_(l, "Paid by the fund"),
                         "fund_paid", unit, periods);
    return hicov_chart_set_format(c, HICOV_CHART_FORMAT_MONEY, 1);
  case HICOV_FIG_COST_PER_VISIT:
    add_indicator_series(ctx, set, TC_(l, "figure", "Cost per visit"),
                         "cost_per_visit", unit, periods);
    return hicov_chart_set_format(c, HICOV_CHART_FORMAT_MONEY, 0);
  case HICOV_FIG_FUND:
    add_indicator_series(ctx, set,
                         TC_(l, "figure", "Contribution revenue"),
                         "fund_revenue", unit, periods);
    add_indicator_series(ctx, set, T_(l, "Paid by the fund"),
                         "fund_paid", unit, periods);
    return hicov_chart_set_format(c, HICOV_CHART_FORMAT_MONEY, 1);
  case HICOV_FIG_CHECKIN:
    add_indicator_series(ctx, set,
                         T_(l, "Successful check-ins"),
                         "checkin_success_rate", unit, periods);
    return hicov_chart_set_empty_text(
        c, T_(l, "No check-in data for this unit"));
  default: /* HICOV_FIG_GROUPS */
    *value_title = T_(l, "people");
    int rc = hicov_chart_set_format(c, HICOV_CHART_FORMAT_COUNT, 0);
    if (rc == HICOV_OK)
      rc = add_group_series(ctx, set, unit, periods);
    if (rc == HICOV_OK)
      rc = hicov_chart_set_empty_text(
          c, T_(l, "No participants by group for this unit"));
    if (rc == HICOV_OK &&
        fig_groups_synthetic(ctx->ds, "participants", unit, periods, set->n))
      rc = hicov_chart_set_subtitle(
          c, T_(l, "Synthetic split (illustrative figures)"));
    return rc;
  }
}

static int chart_over_periods(HicovFigureContext *ctx, const char *unit,
                              HicovPeriod period, int fig, HicovChart *c)
{
  HicovPeriod periods[MAX_SEQ];
  size_t selected = 0;
  SeriesSet *set = hicov_calloc(1, sizeof *set);
  const char *value_title = NULL;
  char x_title[128] = "";
  if (!set)
    return HICOV_NOMEM;
  set->n = period_sequence(ctx, period, periods, &selected);
  if (period.kind == HICOV_PERIOD_RANGE &&
      period.first / 12 == period.last / 12) {
    /* Year-to-date columns compare the same months of each year. */
    char span[64];
    hicov_figure_period_label(period, ctx->lang, span, sizeof span);
    snprintf(x_title, sizeof x_title,
             T_(ctx->lang, "Same months of each year (%s)"),
             span);
  }
  int rc = fig == HICOV_FIG_CHECKIN
               ? hicov_chart_set_format(c, HICOV_CHART_FORMAT_PERCENT, 1)
               : HICOV_OK;
  if (rc == HICOV_OK)
    rc = flow_series(ctx, c, fig, unit, periods, set, &value_title);
  if (rc == HICOV_OK) {
    /* the periods are on the boundaries of the last: say so when a unit
       joined this one in between */
    char note[256], sub[768];
    fig_boundary_note(ctx->ds, unit, periods[0].last, periods[set->n - 1].last,
                      set->estimate, ctx->lang, note, sizeof note);
    if (note[0])
      rc = hicov_chart_set_subtitle(c, fig_join(c->subtitle, note, sub,
                                                sizeof sub));
  }
  if (rc == HICOV_OK)
    rc = series_set_apply(set, c, ctx->lang, periods, &selected);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_axis_titles(c, x_title[0] ? x_title : NULL,
                                     value_title);
  if (rc == HICOV_OK && fig != HICOV_FIG_COST_PER_VISIT &&
      hicov_chart_point_count(c) > 1)
    rc = hicov_chart_set_highlight(c, selected, 1);
  hicov_free(set);
  return rc;
}

/* ---- Trends by quarter or month ------------------------------------------ */

/* The trend's series over the periods of the selected kind: the
 * context's indicator for unit and the units compared with it.  Returns
 * 1 if any has a value. */
static int period_trend_series(HicovFigureContext *ctx, const char *unit,
                               const HicovPeriod *periods, SeriesSet *set)
{
  const char *units[1 + HICOV_FIGURE_MAX_COMPARE];
  size_t nu = trend_units(ctx, unit, units);
  int any = 0, coverage = !strcmp(ctx->indicator, "coverage_rate");
  for (size_t k = 0; k < nu; k++) {
    char label[320];
    const char *name = nu == 1 && coverage ? T_(ctx->lang, "Coverage")
                                           : fig_unit_name(ctx->ds, units[k]);
    add_indicator_series(ctx, set, name, ctx->indicator, units[k], periods);
    int has = 0;
    for (size_t i = 0; i < set->n; i++)
      has |= isfinite(set->values[set->n_series - 1][i]) != 0;
    if (nu > 1 && !has) {
      snprintf(label, sizeof label, TC_(ctx->lang, "legend", "%s (no data)"),
               name);
      hicov_fmt(set->names[set->n_series - 1], sizeof set->names[0], "%s",
                label);
    }
    any |= has;
  }
  set->keep_empty = nu > 1; /* a unit pinned never vanishes silently */
  return any;
}

/* The subtitle of a trend by quarter or month: the units compared, the
 * boundaries, and, for coverage against a target, that its projection
 * (hicov_project, a fit of whole years) is drawn by year only. */
static int period_trend_subtitle(HicovFigureContext *ctx, const char *unit,
                                 HicovPeriod period, const HicovPeriod *first,
                                 const SeriesSet *set, int projected,
                                 HicovChart *c)
{
  const char *l = ctx->lang;
  char count[96] = "", note[256], part[512], sub[800];
  size_t nu = set->n_series;
  if (nu > 1)
    snprintf(count, sizeof count,
             hicov_ntext(l, "%zu unit compared", "%zu units compared", nu),
             nu);
  fig_boundary_note(ctx->ds, unit, first->last, period.last, set->estimate, l,
                    note, sizeof note);
  if (!fig_join(count, note, part, sizeof part))
    part[0] = '\0';
  const char *proj = !projected ? NULL
                     : period.kind == HICOV_PERIOD_QUARTER
                         ? T_(l, "By quarter: projection by year only")
                         : T_(l, "By month: projection by year only");
  return hicov_chart_set_subtitle(c, fig_join(part, proj, sub, sizeof sub));
}

/* The trend by the selected period's kind (quarters, months), over the
 * periods the flow charts beside it show, when the data has the
 * indicator at that kind for some unit drawn; *drawn says whether it
 * had (c is left untouched when not).  Coverage of one unit keeps its
 * target line. */
static int period_trend(HicovFigureContext *ctx, const char *unit,
                        HicovPeriod period, HicovChart *c, int *drawn)
{
  HicovPeriod periods[MAX_SEQ];
  size_t selected = 0;
  const char *l = ctx->lang;
  const HicovIndicatorInfo *info = hicov_indicator_find(ctx->indicator);
  SeriesSet *set = hicov_calloc(1, sizeof *set);
  if (!set)
    return HICOV_NOMEM;
  set->n = period_sequence(ctx, period, periods, &selected);
  *drawn = period_trend_series(ctx, unit, periods, set);
  HicovUnitTarget ut;
  int coverage = !strcmp(ctx->indicator, "coverage_rate");
  int target = *drawn && coverage && set->n_series == 1 &&
               hicov_figure_unit_target(ctx, unit, period, &ut) == HICOV_OK;
  int format = HICOV_CHART_FORMAT_PERCENT, decimals = 1, rc = HICOV_OK;
  char title[256];
  if (*drawn && !coverage) {
    fig_indicator_format(info, &format, &decimals);
    snprintf(title, sizeof title, T_(l, "%s over time"),
             hicov_indicator_label(info, l));
    rc = hicov_chart_set_title(c, title);
  }
  if (rc == HICOV_OK && *drawn)
    rc = hicov_chart_set_format(c, format, decimals);
  if (rc == HICOV_OK && *drawn)
    rc = period_trend_subtitle(ctx, unit, period, &periods[0], set, target,
                               c);
  if (rc == HICOV_OK && *drawn)
    rc = series_set_apply(set, c, l, periods, &selected);
  if (rc == HICOV_OK && target)
    rc = hicov_chart_set_target(c, ut.assessment.threshold, T_(l, "Target"));
  hicov_free(set);
  return rc;
}

/* The trend: by the selected quarter's or month's kind where the data
 * has it, else year by year, saying so under the title. */
static int trend(HicovFigureContext *ctx, const char *unit,
                 HicovPeriod period, HicovChart *c)
{
  int fine = period.kind == HICOV_PERIOD_QUARTER ||
             period.kind == HICOV_PERIOD_MONTH;
  int drawn = 0, rc = HICOV_OK;
  if (fine && (rc = period_trend(ctx, unit, period, c, &drawn)) != HICOV_OK)
    return rc;
  if (drawn)
    return HICOV_OK;
  if (strcmp(ctx->indicator, "coverage_rate") || ctx->n_compare)
    rc = indicator_trend(ctx, unit, c);
  else
    rc = coverage_trend(ctx, unit, period, c);
  if (rc == HICOV_OK && fine) {
    char sub[1024];
    const char *why = period.kind == HICOV_PERIOD_QUARTER
                          ? T_(ctx->lang, "No quarterly figures: by year")
                          : T_(ctx->lang, "No monthly figures: by year");
    rc = hicov_chart_set_subtitle(c, fig_join(c->subtitle, why, sub,
                                              sizeof sub));
  }
  return rc;
}

/* The measures a figure's values rest on, whose sources its caption
 * names. */
static void figure_measures(const HicovFigureContext *ctx, int fig,
                            const char *m[2])
{
  static const struct {
    const char *indicator;
    const char *measures[2];
  } inputs[] = {
    { "coverage_rate", { "participants", "population" } },
    { "cost_per_participant", { "total_cost", "participants" } },
    { "cost_per_visit", { "total_cost", "visits" } },
    { "inpatient_share", { "inpatient_visits", "visits" } },
    { "avg_length_of_stay", { "inpatient_days", "inpatient_visits" } },
    { "commune_visit_share", { "visits", NULL } },
    { "fund_usage", { "fund_paid", "fund_revenue" } },
  };
  const char *ind = ctx->indicator;
  m[0] = m[1] = NULL;
  switch (fig) {
  case HICOV_FIG_GROUPS: m[0] = "participants"; return;
  case HICOV_FIG_CHECKIN: m[0] = "card_checkins"; return;
  case HICOV_FIG_VISITS: m[0] = "visits"; return;
  case HICOV_FIG_SPENDING: m[0] = "total_cost"; m[1] = "fund_paid"; return;
  case HICOV_FIG_COST_PER_VISIT: m[0] = "total_cost"; m[1] = "visits"; return;
  case HICOV_FIG_FUND: m[0] = "fund_revenue"; m[1] = "fund_paid"; return;
  default: break;
  }
  if (hicov_measure_find(ind) >= 0) {
    m[0] = ind;
    return;
  }
  for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
    if (!strcmp(inputs[i].indicator, ind)) {
      m[0] = inputs[i].measures[0];
      m[1] = inputs[i].measures[1];
    }
}

/* "Lạng Sơn · 2024 · Source: GSO population estimate; BHXH Việt Nam": what
 * a chart standing alone (a file, a page) must say that the window says
 * around it.  A comparison names every unit it draws ("Lạng Sơn, Quảng
 * Ninh · ...") and the sources of each.  The notes on estimates and
 * synthetic data are in the subtitle, which every output draws. */

/* A source tag as a caption shows it: the tags hicov writes itself
 * (the demo's, a claims import's) in the caption's language, any other
 * as the data names it. */
static const char *source_label(const char *lang, const char *tag)
{
  if (!strcmp(tag, "published"))
    return TC_(lang, "source", "published");
  if (!strcmp(tag, "derived"))
    return TC_(lang, "source", "derived");
  if (!strcmp(tag, "claims"))
    return TC_(lang, "source", "claims");
  return tag;
}

static int figure_caption(HicovFigureContext *ctx, const char *unit,
                          HicovPeriod period, int fig, HicovChart *c)
{
  char text[1024], when[64];
  const char *m[2], *seen[8];
  const char *units[1 + HICOV_FIGURE_MAX_COMPARE] = { unit };
  size_t nseen = 0, len;
  size_t nu = fig == HICOV_FIG_COVERAGE_TREND ? trend_units(ctx, unit, units)
                                              : 1;
  text[0] = 0;
  for (size_t k = 0; k < nu; k++) {
    const char *name = fig_unit_name(ctx->ds, units[k]);
    len = strlen(text);
    snprintf(text + len, sizeof text - len, "%s%s", k ? ", " : "", name);
  }
  hicov_figure_period_label(period, ctx->lang, when, sizeof when);
  len = strlen(text);
  snprintf(text + len, sizeof text - len, " \xc2\xb7 %s", when);
  figure_measures(ctx, fig, m);
  for (size_t k = 0; k < nu; k++)
    for (int j = 0; j < 2 && m[j]; j++) {
      const char *src[8];
      size_t n = 0;
      if (hicov_dataset_measure_sources(ctx->ds, m[j], units[k], period, NULL,
                                        src, 8, &n) != HICOV_OK)
        continue;
      for (size_t i = 0; i < n && i < 8 && nseen < 8; i++) {
        int dup = 0;
        for (size_t s = 0; s < nseen; s++)
          dup |= !strcmp(seen[s], src[i]);
        if (!dup && src[i][0])
          seen[nseen++] = src[i];
      }
    }
  for (size_t i = 0; i < nseen; i++) {
    len = strlen(text);
    /* TRANSLATORS: the caption's list of sources, "Source: GSO; BHXH" */
    snprintf(text + len, sizeof text - len, "%s%s",
             i ? "; " : T_(ctx->lang, " \xc2\xb7 Source: "),
             source_label(ctx->lang, seen[i]));
  }
  return hicov_chart_set_caption(c, text);
}

int hicov_figure_chart(HicovFigureContext *ctx, const char *unit,
                       HicovPeriod period, int fig, HicovChart **out)
{
  if (out)
    *out = NULL;
  if (!ctx || !unit || !out || fig < 0 || fig >= HICOV_N_FIGS)
    return HICOV_INVALID;
  int rc = figure_check_unit(ctx, unit);
  if (rc != HICOV_OK)
    return rc;
  HicovChart *c = NULL;
  rc = new_chart(ctx, chart_kind(fig), fig, &c);
  if (rc == HICOV_OK) {
    if (fig == HICOV_FIG_COVERAGE_TREND)
      rc = trend(ctx, unit, period, c);
    else if (fig == HICOV_FIG_RANKING)
      rc = ranking(ctx, unit, period, c);
    else
      rc = chart_over_periods(ctx, unit, period, fig, c);
  }
  if (rc == HICOV_OK)
    rc = figure_caption(ctx, unit, period, fig, c);
  if (rc != HICOV_OK) {
    figure_set_error(ctx, rc, "%s: %s", figure_names[fig],
                     c && hicov_chart_errmsg(c)[0]
                         ? hicov_chart_errmsg(c)
                         : hicov_text(ctx->lang, hicov_status_string(rc)));
    hicov_chart_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}
