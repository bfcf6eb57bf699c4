/* assess-verdict.c - what a target measures and the verdict on it.
 *
 * assess.c finds a target's latest value, its baseline and the trend; this
 * file turns them into the target's measure, gap, requirements and status,
 * for every kind of target a resolution uses:
 *
 *  - level:  the indicator's value v;
 *  - change: v - v(baseline), in the indicator's unit (points for rates);
 *  - growth: the average annual growth since the baseline, percent a year:
 *            ((v / v(baseline)) ^ (1 / (year - baseline)) - 1) x 100.
 *
 * Each is judged "at least" (a floor) or "at most" (a cap).  The level the
 * indicator needs at the deadline is threshold, baseline + threshold or
 * baseline x (1 + threshold/100) ^ (deadline - baseline).
 *
 * Status, once the deadline year has a value: achieved if the measure then
 * meets the target, else not achieved (and the first later year that meets
 * it, if any, is kept: a target met late).  Before the deadline:
 *  - a floor on a level or a change that is met now is achieved (ahead of
 *    time); otherwise on track when the trend meets it at the deadline,
 *    at risk when it does not;
 *  - an average growth is judged at the deadline only: on track or at risk
 *    by the trend's growth at the deadline;
 *  - a cap is judged through the deadline: on track only when it is met now
 *    and the trend stays within it every year up to the deadline (else at
 *    risk, with the year the trend breaks it), or, when it is broken now,
 *    when the trend is back within it by the deadline.
 * Without a trend (fewer than two annual values) only a floor met now is
 * judged (achieved); anything else is unknown.
 *
 * A verdict on an estimated figure is marked as such; a fallback to an
 * earlier year than the data's last is kept with its cause. */
#include <math.h>
#include <string.h>

#include "assess-private.h"
#include "dataset-private.h"
#include "formula-private.h"

#define HORIZON_YEAR 2100

int assess_meets(const HicovTarget *t, double m)
{
  /* compare at the precision values are published with, so 98.0000001
     computed from rounded inputs is not short of 98 */
  if (!isfinite(m))
    return 0;
  double eps = 1e-9 * (fabs(t->threshold) + 1);
  return t->comparison == HICOV_CMP_AT_MOST ? m <= t->threshold + eps
                                            : m >= t->threshold - eps;
}

double assess_measure(const HicovTarget *t, double baseline, double v,
                      int year)
{
  switch (t->kind) {
  case HICOV_TARGET_KIND_CHANGE:
    return hicov_change(baseline, v);
  case HICOV_TARGET_KIND_GROWTH:
    if (year <= t->baseline_year)
      return NAN;
    return hicov_cagr_pct(baseline, v, year - t->baseline_year);
  default:
    return v;
  }
}

/* The indicator's value the target needs at the deadline. */
static double deadline_level(const HicovTarget *t, double baseline)
{
  switch (t->kind) {
  case HICOV_TARGET_KIND_CHANGE:
    return baseline + t->threshold;
  case HICOV_TARGET_KIND_GROWTH:
    if (!(baseline > 0))
      return NAN;
    return baseline * pow(1 + t->threshold / 100,
                          t->deadline_year - t->baseline_year);
  default:
    return t->threshold;
  }
}

double assess_people_needed(HicovDataset *ds, const char *indicator,
                            const char *unit, HicovPeriod p, double level)
{
  if (strcmp(indicator, "coverage_rate") || !isfinite(level))
    return NAN;
  int64_t pop, part;
  if (hicov_dataset_measure(ds, "population", unit, p, NULL, &pop, NULL,
                            0) != HICOV_OK ||
      hicov_dataset_measure(ds, "participants", unit, p, NULL, &part, NULL,
                            0) != HICOV_OK)
    return NAN;
  /* in whole people, rounded up; exact counts are in hundredths */
  double need = level / 100.0 * (double)pop / 100.0 - (double)part / 100.0;
  return need > 1e-9 ? ceil(need - 1e-9) : 0;
}

/* ---- Estimates ---------------------------------------------------------- */

/* The measure whose figures an indicator's value rests on: a ratio's
 * numerator, and its denominator when that is a flow counted in the same
 * period (coverage's population is a yearly estimate by nature and does
 * not make a coverage figure an estimate). */
static const struct {
  const char *indicator;
  const char *measures[2];
} estimate_inputs[] = {
  { "coverage_rate", { "participants", NULL } },
  { "cost_per_visit", { "total_cost", "visits" } },
  { "cost_per_participant", { "total_cost", "participants" } },
  { "fund_balance", { "fund_revenue", "fund_paid" } },
  { "fund_usage", { "fund_paid", "fund_revenue" } },
  { "inpatient_share", { "inpatient_visits", "visits" } },
  { "avg_length_of_stay", { "inpatient_days", "inpatient_visits" } },
  { "checkin_success_rate", { "card_checkins_ok", "card_checkins" } },
  { "commune_visit_share", { "visits", NULL } },
};

static int measure_is_estimate(HicovDataset *ds, const char *measure,
                               const char *unit, int year)
{
  return hicov_measure_estimated(ds, measure, unit, hicov_period_year(year));
}

int assess_is_estimate(HicovDataset *ds, const char *indicator,
                       const char *unit, int year)
{
  if (hicov_measure_find(indicator) >= 0)
    return measure_is_estimate(ds, indicator, unit, year);
  for (size_t i = 0; i < sizeof estimate_inputs / sizeof *estimate_inputs;
       i++)
    if (!strcmp(estimate_inputs[i].indicator, indicator))
      for (int k = 0; k < 2; k++)
        if (estimate_inputs[i].measures[k] &&
            measure_is_estimate(ds, estimate_inputs[i].measures[k], unit,
                                year))
          return 1;
  return 0;
}

/* ---- Fallbacks ---------------------------------------------------------- */

int assess_fallback(HicovDataset *ds, const HicovTarget *t, const char *unit,
                    int last_year, HicovAssessment *a)
{
  int wanted = last_year < t->deadline_year ? last_year : t->deadline_year;
  if (a->latest_year <= 0 || a->latest_year >= wanted)
    return HICOV_OK;
  HicovResult r;
  int rc = hicov_indicator_value(ds, t->indicator, unit,
                                 hicov_period_year(wanted), NULL, &r);
  if (rc)
    return rc;
  a->wanted_year = wanted;
  hicov_fmt(a->fallback_reason, sizeof a->fallback_reason, "%s",
            r.reason[0] ? r.reason : T_(hicov_ds_lang(ds), "no value"));
  return HICOV_OK;
}

/* ---- The verdict -------------------------------------------------------- */

/* The trend's value at year, from the fit assess.c kept in a. */
static double trend_at(const HicovAssessment *a, int year)
{
  int logit = a->fit_method && !strcmp(a->fit_method, "logit-linear");
  return hicov_trend_at(logit, a->fit_intercept, a->fit_slope, a->fit_origin,
                        year);
}

/* The first year after the deadline, up to last_year, in which the
 * measure meets the target. */
static int late_year(HicovDataset *ds, const HicovTarget *t, const char *unit,
                     int last_year, const HicovAssessment *a, int *year)
{
  *year = 0;
  for (int y = t->deadline_year + 1; y <= last_year; y++) {
    HicovResult r;
    int rc = hicov_indicator_value(ds, t->indicator, unit,
                                   hicov_period_year(y), NULL, &r);
    if (rc)
      return rc;
    if (r.status == HICOV_OK &&
        assess_meets(t, assess_measure(t, a->baseline_value, r.value, y))) {
      *year = y;
      break;
    }
  }
  return HICOV_OK;
}

/* What it takes from the latest year to the deadline: the change a year
 * (a floor: what it must gain, 0 when met; a cap: the most it may change,
 * negative when it must fall) and the compound growth a year. */
static void requirements(const HicovTarget *t, HicovAssessment *a)
{
  int years_left = t->deadline_year - a->latest_year;
  double level = a->deadline_level;
  if (years_left <= 0 || !isfinite(level))
    return;
  double v = a->latest_value;
  int floor_met = t->comparison == HICOV_CMP_AT_LEAST &&
                  v >= level - 1e-9 * (fabs(level) + 1);
  a->required_annual_change = floor_met ? 0 : (level - v) / years_left;
  double g = hicov_required_growth_pct(v, level, years_left);
  a->required_annual_growth = !isnan(g) && floor_met ? 0 : g;
}

/* Projection at the deadline, the year the trend meets the target and,
 * for a cap met now, the year it breaks it. */
static void projections(const HicovTarget *t, HicovAssessment *a)
{
  if (!isfinite(a->projected_value))
    return;
  a->projected_measure = assess_measure(t, a->baseline_value,
                                        a->projected_value,
                                        t->deadline_year);
  int met_now = assess_meets(t, a->measure_value);
  if (met_now) {
    a->projected_year = a->latest_year;
  } else {
    for (int y = a->latest_year + 1; y <= HORIZON_YEAR; y++)
      if (assess_meets(t, assess_measure(t, a->baseline_value,
                                         trend_at(a, y), y))) {
        a->projected_year = y;
        break;
      }
  }
  if (t->comparison == HICOV_CMP_AT_MOST && met_now)
    for (int y = a->latest_year + 1; y <= t->deadline_year; y++)
      if (!assess_meets(t, assess_measure(t, a->baseline_value,
                                          trend_at(a, y), y))) {
        a->break_year = y;
        break;
      }
}

static int status_before_deadline(const HicovTarget *t,
                                  const HicovAssessment *a)
{
  int met_now = assess_meets(t, a->measure_value);
  int has_trend = isfinite(a->projected_measure);
  if (t->comparison == HICOV_CMP_AT_MOST) {
    if (!has_trend)
      return HICOV_TARGET_UNKNOWN;
    if (met_now)
      return a->break_year ? HICOV_TARGET_AT_RISK : HICOV_TARGET_ON_TRACK;
    return assess_meets(t, a->projected_measure) ? HICOV_TARGET_ON_TRACK
                                                 : HICOV_TARGET_AT_RISK;
  }
  if (met_now && t->kind != HICOV_TARGET_KIND_GROWTH)
    return HICOV_TARGET_ACHIEVED;
  if (!has_trend)
    return HICOV_TARGET_UNKNOWN;
  return assess_meets(t, a->projected_measure) ? HICOV_TARGET_ON_TRACK
                                               : HICOV_TARGET_AT_RISK;
}

int assess_verdict(HicovDataset *ds, const HicovTarget *t, const char *unit,
                   int last_year, HicovAssessment *a)
{
  a->kind = t->kind;
  a->estimated = assess_is_estimate(ds, t->indicator, unit, a->latest_year);
  int needs_base = t->kind != HICOV_TARGET_KIND_LEVEL;
  if (needs_base && !isfinite(a->baseline_value)) {
    hicov_fmt(a->reason, sizeof a->reason,
              T_(hicov_ds_lang(ds), "no value of %s for %s in the baseline year %d"),
              t->indicator, unit, t->baseline_year);
    a->status = HICOV_TARGET_UNKNOWN;
    return HICOV_OK;
  }
  a->deadline_level = deadline_level(t, a->baseline_value);
  a->measure_value = assess_measure(t, a->baseline_value, a->latest_value,
                                    a->latest_year);
  if (isfinite(a->measure_value)) {
    a->gap = t->comparison == HICOV_CMP_AT_MOST
                 ? a->measure_value - t->threshold
                 : t->threshold - a->measure_value;
    if (assess_meets(t, a->measure_value) && a->gap > 0)
      a->gap = 0;
  }
  if (t->comparison == HICOV_CMP_AT_LEAST)
    a->participants_needed = assess_people_needed(
        ds, t->indicator, unit, hicov_period_year(a->latest_year),
        a->deadline_level);
  requirements(t, a);
  projections(t, a);

  if (a->latest_year >= t->deadline_year) {
    if (!isfinite(a->measure_value)) {
      a->status = HICOV_TARGET_UNKNOWN;
    } else if (assess_meets(t, a->measure_value)) {
      a->status = HICOV_TARGET_ACHIEVED;
    } else {
      a->status = HICOV_TARGET_NOT_ACHIEVED;
      int rc = late_year(ds, t, unit, last_year, a, &a->achieved_year);
      if (rc)
        return rc;
    }
  } else {
    a->status = status_before_deadline(t, a);
  }
  return HICOV_OK;
}

/* ---- A target as a whole ------------------------------------------------ */

int hicov_target_verdict(const HicovResolution *res, size_t ti,
                         const HicovAssessment *a, size_t n,
                         HicovTargetVerdict *out)
{
  if (!res || !out || ti >= res->n_targets || (n && !a))
    return HICOV_INVALID;
  const HicovTarget *t = &res->targets[ti];
  memset(out, 0, sizeof *out);
  out->target_index = ti;
  const HicovAssessment *only = NULL;
  for (size_t i = 0; i < n; i++) {
    if (a[i].target_index != ti)
      continue;
    int st = a[i].status >= 0 && a[i].status < 5 ? a[i].status
                                                 : HICOV_TARGET_UNKNOWN;
    out->units++;
    out->by_status[st]++;
    out->achieved_late += st == HICOV_TARGET_NOT_ACHIEVED &&
                          a[i].achieved_year > 0;
    only = &a[i];
  }
  if (t->level < 0) {
    out->needed = 1;
    out->status = only ? only->status : HICOV_TARGET_UNKNOWN;
    out->estimated = only && only->estimated;
    out->achieved_year = only ? only->achieved_year : 0;
    return HICOV_OK;
  }
  double share = t->units_share > 0 && t->units_share < 100 ? t->units_share
                                                            : 100;
  out->needed = (size_t)ceil((double)out->units * share / 100 - 1e-9);
  size_t ok = out->by_status[HICOV_TARGET_ACHIEVED];
  size_t track = ok + out->by_status[HICOV_TARGET_ON_TRACK];
  size_t open = track + out->by_status[HICOV_TARGET_AT_RISK];
  size_t unknown = out->by_status[HICOV_TARGET_UNKNOWN];
  if (out->units == 0)
    out->status = HICOV_TARGET_UNKNOWN;
  else if (ok >= out->needed)
    out->status = HICOV_TARGET_ACHIEVED;
  else if (open + unknown < out->needed)
    out->status = HICOV_TARGET_NOT_ACHIEVED;
  else if (track >= out->needed)
    out->status = HICOV_TARGET_ON_TRACK;
  else if (track + unknown >= out->needed)
    out->status = HICOV_TARGET_UNKNOWN;
  else
    out->status = HICOV_TARGET_AT_RISK;
  /* a final verdict rests on the units' figures: estimated if any is */
  if (out->status == HICOV_TARGET_ACHIEVED ||
      out->status == HICOV_TARGET_NOT_ACHIEVED)
    for (size_t i = 0; i < n; i++)
      if (a[i].target_index == ti && a[i].estimated)
        out->estimated = 1;
  return HICOV_OK;
}
