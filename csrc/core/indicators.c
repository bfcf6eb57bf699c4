/* indicators.c - the indicator catalogue and its formulas.
 *
 * Every indicator is computed from exact measure totals (int64 hundredths,
 * see dataset-totals.c); only the final ratio is taken in double.  A rate
 * for a group of units is therefore always the ratio of summed numerators
 * and denominators, never a mean of rates.
 *
 * Growth and change compare a period with the same span one year earlier
 * (how published figures are stated): 2024 with 2023, 2025-01/2025-10 with
 * 2024-01/2024-10, 2024-Q3 with 2023-Q3.  The growth, change and CAGR
 * formulas themselves are formula.c's.
 *
 * Every comparison is like for like: both periods on the boundaries of the
 * later one (`asof`, a month), so that a unit that absorbed others is
 * compared with the same territory a year earlier
 * (hicov_measure_total_on).  Each measure is re-aggregated first and the
 * ratio taken after, so a rate stays the ratio of the summed parts.
 */
#include <math.h>
#include <string.h>

#include "dataset-private.h"
#include "formula-private.h"
#include "quality-private.h"

enum {
  /* level indicators backed by one measure: same order as HICOV_M_* */
  I_POPULATION = 0, I_PARTICIPANTS, I_VISITS, I_INPATIENT_VISITS,
  I_INPATIENT_DAYS, I_TOTAL_COST, I_FUND_PAID, I_COPAY, I_FUND_REVENUE,
  I_CARD_CHECKINS, I_CARD_CHECKINS_OK, I_PATIENTS, I_PATIENTS_500M,
  I_PATIENTS_1B,
  /* derived level indicators */
  I_COVERAGE_RATE, I_COST_PER_VISIT, I_COST_PER_PARTICIPANT, I_FUND_BALANCE,
  I_FUND_USAGE, I_INPATIENT_SHARE, I_AVG_LENGTH_OF_STAY,
  I_COMMUNE_VISIT_SHARE, I_CHECKIN_SUCCESS_RATE, I_QUALITY_FINDINGS,
  N_LEVEL,
  /* changes against a year earlier */
  I_PARTICIPANTS_CHANGE = N_LEVEL, I_COVERAGE_CHANGE, I_COST_GROWTH_VOLUME,
  I_COST_GROWTH_PRICE,
  N_BASE
};

#define LEVEL(n, u, r, l, f) { n, HICOV_IND_LEVEL, u, r, l, f }
#define GROWTH(n, l) { n "_growth", HICOV_IND_GROWTH, "%", 0, "Growth of " l, \
  "(" n "(P) / " n "(P minus 1 year) - 1) x 100; P minus 1 year is the same span a year earlier" }

static const HicovIndicatorInfo catalogue[] = {
  LEVEL("population", "people", 0, N_("Population"),
        "population: stock, the value at the latest month-end in the period; sums over units"),
  LEVEL("participants", "people", 0, N_("Insured participants"),
        "participants: stock, the value at the latest month-end in the period; sums over units"),
  LEVEL("visits", "visits", 0, N_("Insured visits"), "visits: flow, summed over the period and units"),
  LEVEL("inpatient_visits", "visits", 0, N_("Inpatient visits"), "inpatient_visits: flow"),
  LEVEL("inpatient_days", "days", 0, N_("Inpatient days"), "inpatient_days: flow"),
  LEVEL("total_cost", "VND", 0, N_("Total medical cost"), "total_cost: flow, exact in dong"),
  LEVEL("fund_paid", "VND", 0, N_("Paid by the fund"), "fund_paid: flow, exact in dong"),
  LEVEL("copay", "VND", 0, N_("Patient co-payment"), "copay: flow, exact in dong"),
  LEVEL("fund_revenue", "VND", 0, N_("Contribution revenue"), "fund_revenue: flow, exact in dong"),
  LEVEL("card_checkins", "check-ins", 0, N_("Card check-ins attempted"), "card_checkins: flow"),
  LEVEL("card_checkins_ok", "check-ins", 0, N_("Card check-ins succeeded"), "card_checkins_ok: flow"),
  LEVEL("patients", "people", 0, N_("Distinct patients"),
        "patients: distinct count, exact for the period and unit it was counted for"),
  LEVEL("patients_500m", "people", 0, N_("Patients with fund payments of 500 million VND or more"),
        "patients_500m: distinct count for the period and unit"),
  LEVEL("patients_1b", "people", 0, N_("Patients with fund payments of 1 billion VND or more"),
        "patients_1b: distinct count for the period and unit"),
  LEVEL("coverage_rate", "%", 1, N_("Coverage rate"),
        "participants / population x 100, both at the end of the period"),
  LEVEL("cost_per_visit", "VND", 0, N_("Cost per visit"), "total_cost / visits"),
  LEVEL("cost_per_participant", "VND", 0, N_("Cost per participant"),
        "total_cost / participants (participants at the end of the period)"),
  LEVEL("fund_balance", "VND", 0, N_("Fund balance"),
        "fund_revenue x fund share (90% by default) - fund_paid"),
  LEVEL("fund_usage", "%", 0, N_("Fund usage"),
        "fund_paid / (fund_revenue x fund share) x 100"),
  LEVEL("inpatient_share", "%", 1, N_("Inpatient share of visits"),
        "inpatient_visits / visits x 100"),
  LEVEL("avg_length_of_stay", "days", 0, N_("Average length of stay"),
        "inpatient_days / inpatient_visits"),
  LEVEL("commune_visit_share", "%", 1, N_("Visits at commune-tier facilities"),
        "visits at facilities of tier commune below the unit / visits at all facilities below the unit x 100"),
  LEVEL("checkin_success_rate", "%", 1, N_("Card check-in success rate"),
        "card_checkins_ok / card_checkins x 100"),
  /* missing for a group, for a unit that does not exist at the end of P
   * and for a P outside the dataset's months (quality_count) */
  LEVEL("quality_findings", "findings", 0, N_("Data-quality findings"),
        "count(P): the findings of hicov_dataset_check on the unit or a unit "
        "below it (by parent) whose period overlaps P, all groups"),
  { "participants_change", HICOV_IND_CHANGE, "people", 0,
    N_("Change in participants"), "participants(P) - participants(P minus 1 year)" },
  { "coverage_change", HICOV_IND_CHANGE, "points", 0, N_("Change in coverage"),
    "coverage_rate(P) - coverage_rate(P minus 1 year), in percentage points" },
  { "cost_growth_volume", HICOV_IND_CHANGE, "points", 0,
    N_("Cost growth due to volume"),
    "(visits(P) - visits(P-1y)) x cost_per_visit(P-1y) / total_cost(P-1y) x 100; "
    "with cost_growth_price it adds up to total_cost_growth" },
  { "cost_growth_price", HICOV_IND_CHANGE, "points", 0,
    N_("Cost growth due to cost per visit"),
    "visits(P) x (cost_per_visit(P) - cost_per_visit(P-1y)) / total_cost(P-1y) x 100" },
  GROWTH("population", "population"), GROWTH("participants", "participants"),
  GROWTH("visits", "visits"), GROWTH("inpatient_visits", "inpatient visits"),
  GROWTH("inpatient_days", "inpatient days"), GROWTH("total_cost", "total cost"),
  GROWTH("fund_paid", "fund payments"), GROWTH("copay", "co-payments"),
  GROWTH("fund_revenue", "revenue"), GROWTH("card_checkins", "check-ins"),
  GROWTH("card_checkins_ok", "successful check-ins"), GROWTH("patients", "patients"),
  GROWTH("patients_500m", "high-cost patients"), GROWTH("patients_1b", "very high-cost patients"),
  GROWTH("coverage_rate", "coverage rate"), GROWTH("cost_per_visit", "cost per visit"),
  GROWTH("cost_per_participant", "cost per participant"), GROWTH("fund_balance", "fund balance"),
  GROWTH("fund_usage", "fund usage"), GROWTH("inpatient_share", "inpatient share"),
  GROWTH("avg_length_of_stay", "length of stay"),
  GROWTH("commune_visit_share", "commune visit share"),
  GROWTH("checkin_success_rate", "check-in success"),
  GROWTH("quality_findings", "data-quality findings"),
};

#define N_CATALOGUE (sizeof catalogue / sizeof catalogue[0])

size_t hicov_indicator_count(void)
{
  return N_CATALOGUE;
}

const HicovIndicatorInfo *hicov_indicator_info(size_t i)
{
  return i < N_CATALOGUE ? &catalogue[i] : NULL;
}

const HicovIndicatorInfo *hicov_indicator_find(const char *name)
{
  if (!name)
    return NULL;
  for (size_t i = 0; i < N_CATALOGUE; i++)
    if (!strcmp(catalogue[i].name, name))
      return &catalogue[i];
  return NULL;
}

/* Higher is favourable for these; no indicator is stated as lower-better
 * yet (costs, fund usage and counts are neither good nor bad in
 * themselves). */
int hicov_indicator_direction(const HicovIndicatorInfo *info)
{
  static const char *const higher[] = {
    "coverage_rate", "coverage_change", "coverage_rate_growth",
    "participants_change", "participants_growth", "checkin_success_rate",
    "checkin_success_rate_growth", "commune_visit_share", "fund_balance",
  };
  if (!info)
    return 0;
  for (size_t i = 0; i < sizeof higher / sizeof higher[0]; i++)
    if (!strcmp(info->name, higher[i]))
      return 1;
  return 0;
}

/* ------------------------------------------------------------------------ */

static void set_missing(HicovResult *out, const char *reason)
{
  out->value = NAN;
  out->status = HICOV_MISSING;
  out->estimate = 0;
  hicov_fmt(out->reason, sizeof out->reason, "%s", reason);
}

static void set_value(HicovResult *out, double v)
{
  out->value = v;
  out->status = HICOV_OK;
  out->reason[0] = '\0';
}

/* Exact total of a measure on the boundaries of month asof (an estimate
 * marks out); on failure fills out and returns non-zero. */
static int get(HicovDataset *ds, int m, size_t unit, HicovPeriod p, int group,
               int asof, int64_t *v, HicovResult *out)
{
  char reason[HICOV_REASON_MAX];
  int rc = hicov_measure_total_on(ds, m, unit, p, asof, group, v,
                                  &out->estimate, reason, sizeof reason);
  if (rc == HICOV_OK)
    return 0;
  set_missing(out, reason);
  return rc == HICOV_MISSING || rc == HICOV_OVERFLOW ? HICOV_MISSING : rc;
}

static int ratio(HicovDataset *ds, int num, int den, double scale, size_t unit,
                 HicovPeriod p, int group, int asof, HicovResult *out)
{
  int64_t a, b;
  int rc;
  if ((rc = get(ds, num, unit, p, group, asof, &a, out)) ||
      (rc = get(ds, den, unit, p, group, asof, &b, out)))
    return rc;
  if (b == 0) {
    char msg[HICOV_REASON_MAX], ut[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "%s is 0 for %s"),
              hicov_measure_info((size_t)den)->name,
              hicov_unit_text(ds, unit, ut, sizeof ut));
    set_missing(out, msg);
    return HICOV_MISSING;
  }
  set_value(out, (double)a / (double)b * scale);
  return HICOV_OK;
}

/* Visits at the facilities below unit in p, at commune tier and at all,
 * and below the units that joined it after p by asof (a share of them, in
 * millionths, for a split). */
typedef struct {
  int64_t commune, all;
  size_t with_data;
  int estimate;
} FacilityVisits;

static int facility_visits(HicovDataset *ds, size_t unit, HicovPeriod p,
                           int group, int asof, int64_t ppm, int depth,
                           FacilityVisits *fv)
{
  size_t *fac = NULL, n = 0;
  int rc = hicov_dataset_units_at(ds, HICOV_LEVEL_FACILITY, ds->units[unit].code,
                                  &p, &fac, &n);
  if (rc)
    return rc;
  for (size_t i = 0; i < n; i++) {
    int64_t v;
    if (hicov_measure_total(ds, HICOV_M_VISITS, fac[i], p, group, &v, NULL, 0))
      continue;
    if (ppm < 1000000) {
      v = (int64_t)(((__int128)v * ppm + 500000) / 1000000);
      fv->estimate = 1;
    }
    fv->with_data++;
    if (__builtin_add_overflow(fv->all, v, &fv->all))
      break;
    if (ds->units[fac[i]].tier == HICOV_TIER_COMMUNE)
      fv->commune += v;
  }
  hicov_free(fac);
  const HicovUnitRec *u = &ds->units[unit];
  for (size_t k = 0; k < u->n_merged && rc == HICOV_OK && depth < 24; k++) {
    const HicovUnitRec *c = &ds->units[u->merged[k]];
    if (c->valid_to > p.last && c->valid_to <= asof && c->level == u->level &&
        u->merged[k] != unit)
      rc = facility_visits(ds, u->merged[k], p, group, asof, ppm, depth + 1,
                           fv);
  }
  for (size_t k = 0; k < u->n_split_in && rc == HICOV_OK && depth < 24; k++) {
    const HicovSplitRec *s = &ds->splits[u->split_in[k]];
    if (s->month > p.last && s->month <= asof)
      rc = facility_visits(ds, s->old_unit, p, group, asof,
                           (int64_t)(((__int128)ppm * s->share_ppm + 500000) /
                                     1000000),
                           depth + 1, fv);
  }
  return rc;
}

static int commune_share(HicovDataset *ds, size_t unit, HicovPeriod p,
                         int group, int asof, HicovResult *out)
{
  FacilityVisits fv = { 0, 0, 0, 0 };
  int rc = facility_visits(ds, unit, p, group, asof, 1000000, 0, &fv);
  if (rc)
    return rc;
  int64_t all = fv.all, commune = fv.commune;
  out->estimate = fv.estimate;
  if (!fv.with_data || all == 0) {
    char msg[HICOV_REASON_MAX], ut[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "no visits recorded at facilities "
                                  "below %s"),
              hicov_unit_text(ds, unit, ut, sizeof ut));
    set_missing(out, msg);
    return HICOV_MISSING;
  }
  set_value(out, (double)commune / (double)all * 100.0);
  return HICOV_OK;
}

/* Data-quality findings on unit or below it that touch p (the checks
 * are on the units as the data states them, so boundaries do not apply;
 * they are not by group). */
static int quality_count(HicovDataset *ds, size_t unit, HicovPeriod p,
                         int group, HicovResult *out)
{
  if (group != 0) {
    set_missing(out, T_(hicov_ds_lang(ds), "data-quality findings are counted "
                        "over all groups only"));
    return HICOV_MISSING;
  }
  size_t n;
  int rc = hicov_quality_count(ds, unit, p, &n);
  if (rc == HICOV_OK &&
      !hicov_unit_exists_in(&ds->units[unit], p.first, p.last))
    rc = HICOV_MISSING;
  if (rc == HICOV_MISSING) {
    char pt[24], msg[HICOV_REASON_MAX], ut[HICOV_UNIT_TEXT_MAX];
    hicov_period_format(p, pt, sizeof pt);
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "no data for %s in %s"),
              hicov_unit_text(ds, unit, ut, sizeof ut), pt);
    set_missing(out, msg);
    return HICOV_MISSING;
  }
  if (rc)
    return rc;
  set_value(out, (double)n);
  return HICOV_OK;
}

/* Level indicator `id` for one unit and period, on the boundaries of
 * month asof. Returns HICOV_OK or HICOV_MISSING (out filled either way),
 * or a hard error. */
static int level_value(HicovDataset *ds, int id, size_t unit, HicovPeriod p,
                       int group, int asof, HicovResult *out)
{
  int64_t a, b;
  int rc;
  out->estimate = 0;
  if (id < HICOV_M_COUNT) {
    if ((rc = get(ds, id, unit, p, group, asof, &a, out)))
      return rc;
    set_value(out, (double)a / 100.0);
    return HICOV_OK;
  }
  switch (id) {
  case I_COVERAGE_RATE:
    return ratio(ds, HICOV_M_PARTICIPANTS, HICOV_M_POPULATION, 100.0, unit, p,
                 group, asof, out);
  case I_COST_PER_VISIT:
    return ratio(ds, HICOV_M_TOTAL_COST, HICOV_M_VISITS, 1.0,
                 unit, p, group, asof, out);
  case I_COST_PER_PARTICIPANT:
    return ratio(ds, HICOV_M_TOTAL_COST, HICOV_M_PARTICIPANTS, 1.0, unit, p,
                 group, asof, out);
  case I_FUND_BALANCE:
  case I_FUND_USAGE: {
    if ((rc = get(ds, HICOV_M_FUND_REVENUE, unit, p, group, asof, &a, out)) ||
        (rc = get(ds, HICOV_M_FUND_PAID, unit, p, group, asof, &b, out)))
      return rc;
    /* the fund's share of revenue, exact to the hundredth of a dong */
    __int128 share = (__int128)a * ds->fund_share_bp;
    int64_t fund = (int64_t)((share + 5000) / 10000);
    if (id == I_FUND_BALANCE) {
      set_value(out, (double)(fund - b) / 100.0);
      return HICOV_OK;
    }
    if (fund == 0) {
      set_missing(out, T_(hicov_ds_lang(ds), "fund revenue is 0"));
      return HICOV_MISSING;
    }
    set_value(out, (double)b / (double)fund * 100.0);
    return HICOV_OK;
  }
  case I_INPATIENT_SHARE:
    return ratio(ds, HICOV_M_INPATIENT_VISITS, HICOV_M_VISITS, 100.0, unit, p,
                 group, asof, out);
  case I_AVG_LENGTH_OF_STAY:
    return ratio(ds, HICOV_M_INPATIENT_DAYS, HICOV_M_INPATIENT_VISITS, 1.0,
                 unit, p, group, asof, out);
  case I_COMMUNE_VISIT_SHARE:
    return commune_share(ds, unit, p, group, asof, out);
  case I_CHECKIN_SUCCESS_RATE:
    return ratio(ds, HICOV_M_CARD_CHECKINS_OK, HICOV_M_CARD_CHECKINS, 100.0,
                 unit, p, group, asof, out);
  case I_QUALITY_FINDINGS:
    return quality_count(ds, unit, p, group, out);
  default:
    return HICOV_INVALID;
  }
}

/* The boundaries of a comparison whose later period ends in month last,
 * or in asof if later (a series' last period): -1, each period on its
 * own, for a dataset set to as published. */
static int comparison_month(const HicovDataset *ds, int asof, int last)
{
  return hicov_boundary_month(ds, asof > last ? asof : last);
}

/* Value now and a year earlier, both on the boundaries of month asof;
 * the reason names the period that failed. */
static int pair(HicovDataset *ds, int id, size_t unit, HicovPeriod p,
                int group, int asof, HicovResult *now, HicovResult *before)
{
  int rc = level_value(ds, id, unit, p, group, asof, now);
  if (rc)
    return rc;
  HicovPeriod q = hicov_period_shift_years(p, -1);
  rc = level_value(ds, id, unit, q, group, asof, before);
  if (rc == HICOV_MISSING) {
    char pt[24];
    hicov_period_format(q, pt, sizeof pt);
    char msg[HICOV_REASON_MAX];
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "no comparison value for %s: %s"),
              pt,
              before->reason);
    memcpy(before->reason, msg, sizeof before->reason);
  }
  return rc;
}

static int index_of(const HicovIndicatorInfo *info)
{
  return (int)(info - catalogue);
}

/* Indicator info for unit and period: a level on the boundaries of month
 * asof, a comparison on those of asof or of p's end, the later. */
static int evaluate(HicovDataset *ds, const HicovIndicatorInfo *info,
                    size_t unit, HicovPeriod p, int group, int asof,
                    HicovResult *out)
{
  int id = index_of(info);
  if (info->kind == HICOV_IND_LEVEL)
    return level_value(ds, id, unit, p, group, asof, out);

  HicovResult now, before;
  int rc;
  int cmp = comparison_month(ds, asof, p.last);
  if (info->kind == HICOV_IND_GROWTH) {
    /* growth entries follow the base entries in level order */
    int base = id - N_BASE;
    if ((rc = pair(ds, base, unit, p, group, cmp, &now, &before))) {
      *out = rc == HICOV_MISSING && now.status == HICOV_OK ? before : now;
      return rc;
    }
    if (before.value == 0) {
      set_missing(out, T_(hicov_ds_lang(ds), "the value a year earlier is 0"));
      return HICOV_MISSING;
    }
    set_value(out, hicov_growth_pct(before.value, now.value));
    out->estimate = now.estimate || before.estimate;
    return HICOV_OK;
  }
  switch (id) {
  case I_PARTICIPANTS_CHANGE:
  case I_COVERAGE_CHANGE:
    rc = pair(ds, id == I_PARTICIPANTS_CHANGE ? I_PARTICIPANTS : I_COVERAGE_RATE,
              unit, p, group, cmp, &now, &before);
    if (rc) {
      *out = rc == HICOV_MISSING && now.status == HICOV_OK ? before : now;
      return rc;
    }
    set_value(out, hicov_change(before.value, now.value));
    out->estimate = now.estimate || before.estimate;
    return HICOV_OK;
  case I_COST_GROWTH_VOLUME:
  case I_COST_GROWTH_PRICE: {
    /* Additive split: C1 - C0 = (V1 - V0) x CPV0 + V1 x (CPV1 - CPV0).
     * Both parts are over C0, so volume + price = total_cost_growth. */
    int64_t c1, v1, c0, v0;
    HicovPeriod q = hicov_period_shift_years(p, -1);
    out->estimate = 0;
    if ((rc = get(ds, HICOV_M_TOTAL_COST, unit, p, group, cmp, &c1, out)) ||
        (rc = get(ds, HICOV_M_VISITS, unit, p, group, cmp, &v1, out)) ||
        (rc = get(ds, HICOV_M_TOTAL_COST, unit, q, group, cmp, &c0, out)) ||
        (rc = get(ds, HICOV_M_VISITS, unit, q, group, cmp, &v0, out)))
      return rc;
    if (v0 == 0 || v1 == 0 || c0 == 0) {
      set_missing(out, T_(hicov_ds_lang(ds), "visits or cost is 0 in one of the two "
                          "periods"));
      return HICOV_MISSING;
    }
    double cpv0 = (double)c0 / (double)v0, cpv1 = (double)c1 / (double)v1;
    double part = id == I_COST_GROWTH_VOLUME
                      ? (double)(v1 - v0) * cpv0
                      : (double)v1 * (cpv1 - cpv0);
    set_value(out, part / (double)c0 * 100.0);
    return HICOV_OK;
  }
  default:
    return HICOV_INVALID;
  }
}

/* Common argument checks. */
static int resolve(HicovDataset *ds, const char *indicator, const char *unit,
                   const char *group, const HicovIndicatorInfo **info,
                   size_t *u, int *g, HicovResult *out)
{
  if (!ds || !indicator || !unit || !out)
    return HICOV_INVALID;
  out->value = NAN;
  out->status = HICOV_MISSING;
  out->reason[0] = '\0';
  out->estimate = 0;
  *info = hicov_indicator_find(indicator);
  if (!*info) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "unknown indicator '%s'"), indicator);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown indicator '%s'"), indicator);
  }
  long ui = hicov_unit_index(ds, unit);
  if (ui < 0) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
  }
  *u = (size_t)ui;
  *g = hicov_group_index(ds, group);
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  return HICOV_OK;
}

int hicov_indicator_value(HicovDataset *ds, const char *indicator,
                          const char *unit, HicovPeriod period,
                          const char *group, HicovResult *out)
{
  return hicov_indicator_value_on(ds, indicator, unit, period, period.last,
                                  group, out);
}

int hicov_indicator_value_on(HicovDataset *ds, const char *indicator,
                             const char *unit, HicovPeriod period,
                             int boundary_month, const char *group,
                             HicovResult *out)
{
  const HicovIndicatorInfo *info;
  size_t u;
  int g;
  int rc = resolve(ds, indicator, unit, group, &info, &u, &g, out);
  if (rc)
    return rc;
  if (period.first > period.last || period.first < 0)
    return hicov_set_error(ds, HICOV_INVALID, "%s",
                           T_(hicov_ds_lang(ds), "invalid period"));
  if (g < 0) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "no data for group '%s'"), group);
    return HICOV_OK;
  }
  rc = evaluate(ds, info, u, period, g,
                hicov_boundary_month(ds, boundary_month), out);
  if (rc == HICOV_MISSING)
    return HICOV_OK;
  if (rc == HICOV_OK && !isfinite(out->value))
    set_missing(out, T_(hicov_ds_lang(ds), "the result is not a finite number"));
  return rc;
}

static int span_pair(HicovDataset *ds, const char *indicator, const char *unit,
                     HicovPeriod from, HicovPeriod to, const char *group,
                     HicovResult *out, HicovResult *a, HicovResult *b)
{
  const HicovIndicatorInfo *info;
  size_t u;
  int g;
  int rc = resolve(ds, indicator, unit, group, &info, &u, &g, out);
  if (rc)
    return rc;
  if (info->kind != HICOV_IND_LEVEL)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "%s is not a level indicator"),
                           indicator);
  if (g < 0) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "no data for group '%s'"), group);
    return HICOV_MISSING;
  }
  int id = index_of(info);
  int asof = comparison_month(ds, from.last, to.last);
  if ((rc = level_value(ds, id, u, from, g, asof, a)) ||
      (rc = level_value(ds, id, u, to, g, asof, b))) {
    if (rc == HICOV_MISSING)
      *out = a->status != HICOV_OK ? *a : *b;
    return rc;
  }
  return HICOV_OK;
}

int hicov_indicator_change(HicovDataset *ds, const char *indicator,
                           const char *unit, HicovPeriod from, HicovPeriod to,
                           const char *group, HicovResult *out)
{
  HicovResult a, b;
  int rc = span_pair(ds, indicator, unit, from, to, group, out, &a, &b);
  if (rc == HICOV_MISSING)
    return HICOV_OK;
  if (rc)
    return rc;
  set_value(out, hicov_change(a.value, b.value));
  out->estimate = a.estimate || b.estimate;
  return HICOV_OK;
}

int hicov_indicator_cagr(HicovDataset *ds, const char *indicator,
                         const char *unit, HicovPeriod from, HicovPeriod to,
                         const char *group, HicovResult *out)
{
  HicovResult a, b;
  int rc = span_pair(ds, indicator, unit, from, to, group, out, &a, &b);
  if (rc == HICOV_MISSING)
    return HICOV_OK;
  if (rc)
    return rc;
  double years = (to.last - from.last) / 12.0;
  if (years <= 0) {
    set_missing(out, T_(hicov_ds_lang(ds), "the end period must come after the start "
                        "period"));
    return HICOV_OK;
  }
  double v = hicov_cagr_pct(a.value, b.value, years);
  if (isnan(v)) {
    set_missing(out, T_(hicov_ds_lang(ds), "CAGR needs a positive starting value"));
    return HICOV_OK;
  }
  set_value(out, v);
  out->estimate = a.estimate || b.estimate;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */

int hicov_dataset_set_fund_share(HicovDataset *ds, double percent)
{
  if (!ds || !(percent > 0 && percent <= 100))
    return HICOV_INVALID;
  ds->fund_share_bp = (int)lround(percent * 100.0);
  return HICOV_OK;
}

double hicov_dataset_fund_share(const HicovDataset *ds)
{
  return ds ? ds->fund_share_bp / 100.0 : NAN;
}
