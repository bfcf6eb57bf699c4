/* figure-kpi.c - the dashboard's KPI tiles (hicov_figure_kpi): a value, the
 * change against the year before or the target, and a detail line, all
 * asked from the core and printed in the context's language. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figure-private.h"
#include "report-private.h"

/* ---- Numbers ------------------------------------------------------------- */

static void fmt_count(const HicovFigureContext *ctx, double v, char *buf,
                      size_t size)
{
  hicov_format_number(v, 0, ctx->lang, buf, size);
}

static void fmt_percent(const HicovFigureContext *ctx, double v, char *buf,
                        size_t size)
{
  hicov_format_percent(v, 1, ctx->lang, buf, size);
}

/* "+1,3" / "-0,4": changes carry their sign, except a change that rounds
 * to zero. */
static void add_sign(double v, char *buf, size_t size)
{
  if (v > 0 && strpbrk(buf, "123456789") != NULL && strlen(buf) + 1 < size) {
    memmove(buf + 1, buf, strlen(buf) + 1);
    buf[0] = '+';
  }
}

static void fmt_signed(const HicovFigureContext *ctx, double v, char *buf,
                       size_t size)
{
  hicov_format_number(v, 1, ctx->lang, buf, size);
  add_sign(v, buf, size);
}

static void fmt_signed_percent(const HicovFigureContext *ctx, double v,
                               char *buf, size_t size)
{
  hicov_format_percent(v, 1, ctx->lang, buf, size);
  add_sign(v, buf, size);
}

/* Money in exact hundredths, with two or three significant digits: 690 tỷ,
 * 64,5 tỷ, 4,2 tỷ. */
static void fmt_money(const HicovFigureContext *ctx, int64_t centi,
                      char *buf, size_t size)
{
  double dong = (double)centi / 100.0;
  int scale = hicov_money_auto_scale(fabs(dong));
  double in_scale = fabs(dong) / hicov_money_scale_divisor(scale);
  int decimals = in_scale >= 100 || scale == HICOV_MONEY_DONG ? 0
                 : in_scale >= 1 ? 1 : 2;
  hicov_format_money_vnd(centi, scale, decimals, ctx->lang, buf, size);
}

/* Money the core gives as a double in đồng (ratios, balances).  Rounding to
 * whole hundredths is exact for any amount a province handles (< 2^53
 * hundredths, about 90 trillion đồng). */
static void fmt_money_double(const HicovFigureContext *ctx, double dong,
                             char *buf, size_t size)
{
  fmt_money(ctx, (int64_t)llround(dong * 100.0), buf, size);
}

/* ---- Tiles --------------------------------------------------------------- */

static int value_of(HicovFigureContext *ctx, const char *name,
                    const char *unit, HicovPeriod period, double *v)
{
  return fig_indicator(ctx->ds, name, unit, period, v, NULL, 0) == HICOV_OK;
}

/* value_of for a value the tile compares: an estimate marks the tile. */
static int compared(HicovFigureContext *ctx, const char *name,
                    const char *unit, HicovPeriod period, double *v,
                    HicovKpiText *out)
{
  int est = 0;
  int ok = fig_indicator_on(ctx->ds, name, unit, period, period.last, v, &est,
                            NULL, 0) == HICOV_OK;
  out->estimate |= ok && est;
  return ok;
}

/* The basis of a change against a year earlier for a unit that units
 * joined in between: "on today's boundaries: with Hòa Bình, ...". */
static void change_basis(HicovFigureContext *ctx, const char *unit,
                         HicovPeriod period, HicovKpiText *out)
{
  const char *codes[3];
  size_t n = hicov_dataset_predecessors(
      ctx->ds, unit, hicov_period_shift_years(period, -1).last, period.last,
      codes, 3);
  if (n == 0)
    return;
  char names[160] = "";
  for (size_t i = 0; i < n && i < 3; i++) {
    const char *name = fig_unit_name(ctx->ds, codes[i]);
    size_t len = strlen(names);
    hicov_fmt(names + len, sizeof names - len, "%s%s", i ? ", " : "", name);
  }
  if (n > 3) {
    size_t len = strlen(names);
    hicov_fmt(names + len, sizeof names - len, ", \xe2\x80\xa6");
  }
  /* TRANSLATORS: "on today's boundaries: with Hòa Bình" */
  snprintf(out->basis, sizeof out->basis, T_(ctx->lang, "%s: with %s"),
           hicov_boundaries_label(hicov_dataset_boundaries(ctx->ds),
                                  ctx->lang),
           names);
}

/* The core's reason (in the dataset's language) goes to the tooltip; the
 * tile shows a translated "No data". */
static void kpi_missing(HicovKpiText *out, const char *reason)
{
  out->missing = 1;
  hicov_fmt(out->value, sizeof out->value, "\xe2\x80\x94");
  hicov_fmt(out->reason, sizeof out->reason, "%s", reason ? reason : "");
}

/* Growth line "+2,6% vs 2023" of a level indicator, "" when none. */
static void growth_line(HicovFigureContext *ctx, const char *name,
                        const char *unit, HicovPeriod period, char *buf,
                        size_t size, HicovKpiText *out)
{
  char gname[64], prev[64], num[64];
  double growth;
  buf[0] = '\0';
  hicov_fmt(gname, sizeof gname, "%s_growth", name);
  if (!compared(ctx, gname, unit, period, &growth, out))
    return;
  hicov_figure_period_label(hicov_period_shift_years(period, -1), ctx->lang,
                            prev, sizeof prev);
  fmt_signed_percent(ctx, growth, num, sizeof num);
  /* TRANSLATORS: a change against an earlier period, e.g. "+2.6% vs 2023" */
  snprintf(buf, size, T_(ctx->lang, "%s vs %s"), num, prev);
}

static const char *target_status_label(const char *lang, int status)
{
  switch (status) {
  case HICOV_TARGET_ACHIEVED: return T_(lang, "achieved");
  case HICOV_TARGET_ON_TRACK: return T_(lang, "on track");
  case HICOV_TARGET_AT_RISK: return T_(lang, "at risk");
  case HICOV_TARGET_NOT_ACHIEVED:
    return T_(lang, "not achieved");
  default: return T_(lang, "unknown");
  }
}

/* An assessment's status in a tile's detail line: the report's label for
 * an estimated verdict or a target met late ("Ước không đạt", "Đạt
 * muộn"), else the plain one in lower case. */
static const char *assessment_label(const char *lang,
                                    const HicovAssessment *a)
{
  int late = a->achieved_year > 0;
  if ((a->estimated && (a->status == HICOV_TARGET_ACHIEVED ||
                        a->status == HICOV_TARGET_NOT_ACHIEVED)) ||
      (late && a->status == HICOV_TARGET_NOT_ACHIEVED))
    return hicov_status_label_full(a->status, a->estimated, late, lang);
  return target_status_label(lang, a->status);
}

static void kpi_coverage(HicovFigureContext *ctx, const char *unit,
                         HicovPeriod period, HicovKpiText *out)
{
  char reason[HICOV_REASON_MAX] = "", num[64], prev[64];
  double v, g, participants;
  int est = 0;
  if (fig_indicator_on(ctx->ds, "coverage_rate", unit, period, period.last,
                       &v, &est, reason, sizeof reason) != HICOV_OK) {
    kpi_missing(out, reason);
    return;
  }
  fmt_percent(ctx, v, out->value, sizeof out->value);
  out->estimate |= est;
  if (compared(ctx, "coverage_change", unit, period, &g, out)) {
    fmt_signed(ctx, g, num, sizeof num);
    hicov_figure_period_label(hicov_period_shift_years(period, -1),
                              ctx->lang, prev, sizeof prev);
    /* TRANSLATORS: change of a rate in percentage points, e.g. "+1.3
     * points vs 2023" */
    snprintf(out->change, sizeof out->change,
             T_(ctx->lang, "%s points vs %s"), num, prev);
    out->trend = g > 0 ? HICOV_TREND_GOOD
                 : g < 0 ? HICOV_TREND_BAD : HICOV_TREND_NEUTRAL;
  }
  if (value_of(ctx, "participants", unit, period, &participants)) {
    fmt_count(ctx, participants, num, sizeof num);
    if (fig_participants_estimated(ctx, unit, period))
      /* TRANSLATORS: participants whose count is an estimate */
      snprintf(out->detail, sizeof out->detail,
               T_(ctx->lang, "%s participants (estimate)"), num);
    else
      snprintf(out->detail, sizeof out->detail,
               T_(ctx->lang, "%s participants"), num);
  }
}

/* A chosen resolution's end-of-term verdict, as the report states it:
 * the assessment at its latest year ("3.0 points", "about 24,600 more
 * people needed (2025, estimate)"), whatever the period on screen. */
static void kpi_verdict(HicovFigureContext *ctx, const char *unit,
                        const HicovUnitTarget *ut, HicovKpiText *out)
{
  const char *l = ctx->lang;
  const HicovAssessment *a = &ut->assessment;
  char when[96], num[64];
  if (!isfinite(a->latest_value)) {
    kpi_missing(out, a->reason);
    return;
  }
  int estimated = fig_participants_estimated(
      ctx, unit, hicov_period_year(a->latest_year));
  /* an estimated verdict ("Estimated not achieved") says it once */
  const char *label = assessment_label(l, a);
  if (estimated && !strcmp(label, target_status_label(l, a->status)))
    /* TRANSLATORS: a year whose figure is an estimate, "2025, estimate" */
    snprintf(when, sizeof when, T_(l, "%d, estimate"), a->latest_year);
  else
    snprintf(when, sizeof when, "%d", a->latest_year);
  {
    char val[64], thr[64];
    fmt_percent(ctx, a->latest_value, val, sizeof val);
    fmt_percent(ctx, a->threshold, thr, sizeof thr);
    /* TRANSLATORS: "95.0% (2025, estimate) · target 98.0% · not achieved" */
    snprintf(out->detail, sizeof out->detail,
             T_(l, "%s (%s) \xc2\xb7 target %s \xc2\xb7 %s"), val, when, thr,
             label);
  }
  /* Rounded as printed, as the report: never "short by 0.0". */
  double gap = fabs(a->gap) < 0.05 ? 0 : a->gap;
  if (gap <= 0) {
    hicov_fmt(out->value, sizeof out->value, "%s", T_(l, "Target met"));
    fmt_percent(ctx, a->latest_value, num, sizeof num);
    snprintf(out->change, sizeof out->change, T_(l, "%s (%s)"), num, when);
    out->trend = HICOV_TREND_GOOD;
    return;
  }
  hicov_format_number(gap, 1, l, num, sizeof num);
  snprintf(out->value, sizeof out->value, T_(l, "%s points"), num);
  if (isfinite(a->participants_needed) && a->participants_needed > 0) {
    double r = report_people_rounded(a->participants_needed);
    fmt_count(ctx, r, num, sizeof num);
    if (r != a->participants_needed)
      /* TRANSLATORS: "about 24,600 more people needed" */
      snprintf(out->change, sizeof out->change,
               T_(l, "about %s more people needed"), num);
    else
      snprintf(out->change, sizeof out->change,
               T_(l, "%s more people needed"), num);
  }
  out->trend = a->status == HICOV_TARGET_ON_TRACK ? HICOV_TREND_GOOD
                                                  : HICOV_TREND_BAD;
}

static void kpi_gap(HicovFigureContext *ctx, const char *unit,
                    HicovPeriod period, HicovKpiText *out)
{
  const char *l = ctx->lang;
  HicovUnitTarget ut;
  const HicovAssessment *a = &ut.assessment;
  HicovTargetGap tg;
  char when[64], num[64];
  if (hicov_figure_unit_target(ctx, unit, period, &ut) != HICOV_OK) {
    kpi_missing(out, NULL);
    hicov_fmt(out->change, sizeof out->change, "%s",
              T_(l, "No target"));
    hicov_fmt(out->detail, sizeof out->detail, "%s",
              T_(l, "No resolution target for this unit"));
    return;
  }
  hicov_figure_period_label(period, l, when, sizeof when);
  fmt_percent(ctx, a->threshold, num, sizeof num);
  /* TRANSLATORS: "Target 98% by 2025 · at risk" */
  snprintf(out->detail, sizeof out->detail,
           T_(l, "Target %s by %d \xc2\xb7 %s"), num,
           a->deadline_year, assessment_label(l, a));
  /* A resolution the user chose: its verdict, not the period's gap. */
  if (ctx->own_res) {
    kpi_verdict(ctx, unit, &ut, out);
    return;
  }
  /* The gap at the period on screen, next to that period's coverage (the
   * status above is the assessment at the latest year). */
  if (hicov_target_gap(ctx->ds, ut.target, unit, period, &tg) != HICOV_OK) {
    kpi_missing(out, tg.reason);
    return;
  }
  if (tg.gap <= 0) {
    hicov_fmt(out->value, sizeof out->value, "%s",
              T_(l, "Target met"));
    fmt_percent(ctx, tg.value, num, sizeof num);
    /* TRANSLATORS: "94.1% (2024)": a value and its period */
    snprintf(out->change, sizeof out->change,
             T_(l, "%s (%s)"), num, when);
    out->trend = HICOV_TREND_GOOD;
    return;
  }
  hicov_format_number(tg.gap, 1, l, num, sizeof num);
  /* TRANSLATORS: a gap in percentage points, e.g. "3.9 points" */
  snprintf(out->value, sizeof out->value, T_(l, "%s points"),
           num);
  if (isfinite(tg.participants_needed)) {
    fmt_count(ctx, tg.participants_needed, num, sizeof num);
    /* TRANSLATORS: "31,696 more people needed (2024)" */
    snprintf(out->change, sizeof out->change,
             T_(l, "%s more people needed (%s)"), num, when);
  }
  out->trend = a->status == HICOV_TARGET_ON_TRACK ? HICOV_TREND_GOOD
                                                  : HICOV_TREND_BAD;
}

/* Visits, spending and cost per visit: a flow, its growth on the year
 * before and a detail. */
static void kpi_flow(HicovFigureContext *ctx, const char *unit,
                     HicovPeriod period, int kpi, HicovKpiText *out)
{
  const char *name = kpi == HICOV_KPI_VISITS ? "visits"
                     : kpi == HICOV_KPI_SPENDING ? "total_cost"
                     : "cost_per_visit";
  char reason[HICOV_REASON_MAX] = "", num[64];
  double v;
  if (kpi == HICOV_KPI_SPENDING) {
    int64_t centi;
    /* Money sums are exact integers: format those, not a double. */
    if (hicov_dataset_measure(ctx->ds, name, unit, period, NULL, &centi,
                              reason, sizeof reason) != HICOV_OK) {
      kpi_missing(out, reason);
      return;
    }
    fmt_money(ctx, centi, out->value, sizeof out->value);
  } else if (fig_indicator_on(ctx->ds, name, unit, period, period.last, &v,
                              &out->estimate, reason, sizeof reason) !=
             HICOV_OK) {
    kpi_missing(out, reason);
    return;
  } else if (kpi == HICOV_KPI_VISITS) {
    fmt_count(ctx, v, out->value, sizeof out->value);
  } else {
    fmt_money_double(ctx, v, out->value, sizeof out->value);
  }
  growth_line(ctx, name, unit, period, out->change, sizeof out->change, out);
  out->trend = out->change[0] ? HICOV_TREND_NEUTRAL : HICOV_TREND_NONE;
  if (kpi == HICOV_KPI_VISITS &&
      value_of(ctx, "inpatient_share", unit, period, &v)) {
    fmt_percent(ctx, v, num, sizeof num);
    snprintf(out->detail, sizeof out->detail,
             T_(ctx->lang, "%s inpatient"), num);
  } else if (kpi == HICOV_KPI_SPENDING &&
             value_of(ctx, "fund_paid", unit, period, &v)) {
    fmt_money_double(ctx, v, num, sizeof num);
    snprintf(out->detail, sizeof out->detail,
             T_(ctx->lang, "%s paid by the fund"), num);
  }
}

static void kpi_fund(HicovFigureContext *ctx, const char *unit,
                     HicovPeriod period, HicovKpiText *out)
{
  char reason[HICOV_REASON_MAX] = "", num[64];
  double v, usage, revenue;
  if (fig_indicator(ctx->ds, "fund_balance", unit, period, &v, reason,
                    sizeof reason) != HICOV_OK) {
    kpi_missing(out, reason);
    return;
  }
  fmt_money_double(ctx, v, out->value, sizeof out->value);
  out->trend = v < 0 ? HICOV_TREND_BAD : HICOV_TREND_GOOD;
  if (value_of(ctx, "fund_usage", unit, period, &usage)) {
    fmt_percent(ctx, usage, num, sizeof num);
    /* TRANSLATORS: share of contribution revenue paid out */
    snprintf(out->change, sizeof out->change,
             T_(ctx->lang, "%s of revenue used"), num);
  }
  if (value_of(ctx, "fund_revenue", unit, period, &revenue)) {
    fmt_money_double(ctx, revenue, num, sizeof num);
    snprintf(out->detail, sizeof out->detail,
             T_(ctx->lang, "Revenue %s"), num);
  }
}

int hicov_figure_kpi(HicovFigureContext *ctx, const char *unit,
                     HicovPeriod period, int kpi, HicovKpiText *out)
{
  if (out)
    memset(out, 0, sizeof *out);
  if (!ctx || !unit || !out || kpi < 0 || kpi >= HICOV_N_KPIS)
    return HICOV_INVALID;
  int rc = figure_check_unit(ctx, unit);
  if (rc != HICOV_OK)
    return rc;
  switch (kpi) {
  case HICOV_KPI_COVERAGE:
    kpi_coverage(ctx, unit, period, out);
    break;
  case HICOV_KPI_GAP:
    kpi_gap(ctx, unit, period, out);
    break;
  case HICOV_KPI_FUND:
    kpi_fund(ctx, unit, period, out);
    break;
  default:
    kpi_flow(ctx, unit, period, kpi, out);
  }
  if (out->change[0] && kpi != HICOV_KPI_GAP && kpi != HICOV_KPI_FUND &&
      !out->missing)
    change_basis(ctx, unit, period, out);
  if (out->estimate && out->change[0]) {
    char change[sizeof out->change];
    memcpy(change, out->change, sizeof change);
    /* TRANSLATORS: a change that rests on the shares of divided units */
    snprintf(out->change, sizeof out->change, T_(ctx->lang, "%s (estimate)"),
             change);
  } else if (out->estimate && !out->missing) {
    /* a value apportioned from a divided unit, with no change to mark */
    snprintf(out->change, sizeof out->change, "%s",
             T_(ctx->lang, "estimate from the shares of divided units"));
  }
  return HICOV_OK;
}
