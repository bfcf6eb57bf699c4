/* equity.c - how unequal an indicator is across the units of a level.
 *
 * The summary measures of WHO's Health Equity Assessment Toolkit (HEAT),
 * defined in hicov-core.h ("Equity across units"), over the units at a
 * level below a parent: each unit's value is hicov_indicator_value_on (so
 * a rate is the ratio of that unit's summed parts) and its weight is its
 * population at the end of the period (a stock), both on the boundaries
 * at the end of one month, so that a series over years compares the same
 * territories.  Everything is computed in double from those values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset-private.h"

typedef struct {
  const char *code;
  double y;     /* the indicator's value */
  double w;     /* population, people */
  double z;     /* the ordering indicator's value */
  int has_z;
  double ridit; /* midpoint of its cumulative population share */
} EquityRow;

static void set_nan(HicovEquity *out)
{
  out->mean = out->high = out->low = out->difference = out->ratio = NAN;
  out->idis = out->idis_w = out->bgv = out->theil = out->mld = NAN;
  out->par = out->paf = out->intercept = out->sii = out->rii = NAN;
}

static int exclude(HicovEquity *out, size_t *cap, const char *code,
                   int ordering_only, const char *reason)
{
  if (hicov_grow((void **)&out->excluded, cap, out->n_excluded + 1,
                 sizeof *out->excluded))
    return HICOV_NOMEM;
  HicovEquityExclusion *e = &out->excluded[out->n_excluded++];
  e->unit = code;
  e->ordering_only = ordering_only;
  hicov_fmt(e->reason, sizeof e->reason, "%s", reason);
  return HICOV_OK;
}

/* The non-ordered measures over n rows (n >= 2, every w > 0). */
static void unordered(const EquityRow *r, size_t n, HicovEquity *out)
{
  double W = 0, sum = 0;
  size_t hi = 0, lo = 0;
  int negative = 0, zero = 0;
  for (size_t j = 0; j < n; j++) {
    W += r[j].w;
    sum += r[j].w * r[j].y;
    if (r[j].y > r[hi].y)
      hi = j;
    if (r[j].y < r[lo].y)
      lo = j;
    negative |= r[j].y < 0;
    zero |= r[j].y == 0;
  }
  double mu = sum / W;
  out->population = W;
  out->mean = mu;
  out->high = r[hi].y;
  out->low = r[lo].y;
  out->high_unit = r[hi].code;
  out->low_unit = r[lo].code;
  out->difference = r[hi].y - r[lo].y;
  out->ratio = r[lo].y > 0 ? r[hi].y / r[lo].y : NAN;
  double dev = 0, dev_w = 0, bgv = 0, theil = 0, mld = 0;
  for (size_t j = 0; j < n; j++) {
    double p = r[j].w / W, d = r[j].y - mu;
    dev += fabs(d);
    dev_w += p * fabs(d);
    bgv += p * d * d;
    if (mu > 0 && r[j].y > 0) {
      double q = r[j].y / mu;
      theil += p * q * log(q);  /* y = 0 adds 0: the limit of q ln q */
      mld -= p * log(q);
    }
  }
  out->bgv = bgv;
  if (mu > 0) {
    out->idis = dev / (double)n / mu * 100;
    out->idis_w = dev_w / mu * 100;
    out->theil = negative ? NAN : theil;
    out->mld = negative || zero ? NAN : mld;
  }
  if (out->direction != 0) {
    double ref = out->direction > 0 ? r[hi].y : r[lo].y;
    out->par = ref - mu;
    out->paf = mu > 0 ? out->par / mu * 100 : NAN;
  }
}

static int by_order(const void *a, const void *b)
{
  const EquityRow *x = a, *y = b;
  return (x->z > y->z) - (x->z < y->z);
}

/* Ridits and the weighted least-squares line y = a + b x over the rows
 * with an ordering value (moved to the front and sorted by it). */
static void ordered(EquityRow *r, size_t n, HicovEquity *out)
{
  size_t m = 0;
  for (size_t j = 0; j < n; j++)
    if (r[j].has_z) {
      EquityRow t = r[m];
      r[m++] = r[j];
      r[j] = t;
    }
  out->n_ordered = m;
  if (m < 2)
    return;
  qsort(r, m, sizeof *r, by_order);
  double W = 0;
  for (size_t j = 0; j < m; j++)
    W += r[j].w;
  /* tied units share the midpoint of their combined range */
  double before = 0;
  for (size_t j = 0; j < m;) {
    size_t k = j;
    double tied = 0;
    while (k < m && r[k].z == r[j].z)
      tied += r[k++].w;
    for (size_t t = j; t < k; t++)
      r[t].ridit = (before + tied / 2) / W;
    before += tied;
    j = k;
  }
  double xbar = 0, ybar = 0;
  for (size_t j = 0; j < m; j++) {
    xbar += r[j].w * r[j].ridit / W;
    ybar += r[j].w * r[j].y / W;
  }
  double sxy = 0, sxx = 0;
  for (size_t j = 0; j < m; j++) {
    sxy += r[j].w * (r[j].ridit - xbar) * (r[j].y - ybar);
    sxx += r[j].w * (r[j].ridit - xbar) * (r[j].ridit - xbar);
  }
  if (!(sxx > 1e-15))
    return; /* one ridit for every unit: no slope */
  double b = sxy / sxx, a = ybar - b * xbar;
  out->intercept = a;
  out->sii = b;
  out->rii = a > 0 ? (a + b) / a : NAN;
}

/* The unit's value, population and ordering value into *row; a unit left
 * out is listed in out->excluded and *used is 0. */
static int gather(HicovDataset *ds, const char *indicator, const char *code,
                  HicovPeriod period, int asof, const char *group,
                  const char *order, HicovEquity *out, size_t *cap,
                  EquityRow *row, int *used)
{
  char why[HICOV_REASON_MAX], reason[HICOV_REASON_MAX];
  HicovResult v;
  *used = 0;
  int rc = hicov_indicator_value_on(ds, indicator, code, period, asof, group,
                                    &v);
  if (rc)
    return rc;
  if (v.status != HICOV_OK) {
    hicov_fmt(reason, sizeof reason, T_(hicov_ds_lang(ds), "no value: %s"), v.reason);
    return exclude(out, cap, code, 0, reason);
  }
  int64_t centi = 0;
  int est = 0;
  rc = hicov_dataset_measure_on(ds, "population", code, period, asof, NULL,
                                &centi, &est, why, sizeof why);
  if (rc == HICOV_MISSING) {
    hicov_fmt(reason, sizeof reason, T_(hicov_ds_lang(ds), "no population: %s"), why);
    return exclude(out, cap, code, 0, reason);
  }
  if (rc)
    return rc;
  if (centi <= 0)
    return exclude(out, cap, code, 0,
                   T_(hicov_ds_lang(ds), "its population is not above 0"));
  row->code = code;
  row->y = v.value;
  row->w = (double)centi / 100;
  row->has_z = 0;
  out->estimate |= v.estimate || est;
  *used = 1;
  if (!order)
    return HICOV_OK;
  rc = hicov_indicator_value_on(ds, order, code, period, asof, group, &v);
  if (rc)
    return rc;
  if (v.status != HICOV_OK) {
    hicov_fmt(reason, sizeof reason,
              T_(hicov_ds_lang(ds), "no value of the ordering indicator: %s"),
              v.reason);
    return exclude(out, cap, code, 1, reason);
  }
  row->z = v.value;
  row->has_z = 1;
  return HICOV_OK;
}

static int check_args(HicovDataset *ds, const char *indicator,
                      const char *parent, int level, const char *order)
{
  if (!hicov_indicator_find(indicator))
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown indicator '%s'"), indicator);
  /* named, or a misspelt order reads as a misspelt indicator */
  if (order && !hicov_indicator_find(order))
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "order: unknown indicator "
                              "'%s' (the indicator that ranks the units)"),
                           order);
  if (level < HICOV_LEVEL_COUNTRY || level > HICOV_LEVEL_FACILITY)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "unknown level %d"), level);
  if (!parent)
    return HICOV_OK;
  long p = hicov_unit_index(ds, parent);
  if (p < 0)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown unit '%s'"), parent);
  if (ds->units[p].level >= level)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "the level must lie below the "
                              "level of unit '%s'"), parent);
  return HICOV_OK;
}

int hicov_equity_on(HicovDataset *ds, const char *indicator,
                    const char *parent, int level, HicovPeriod period,
                    int boundary_month, const char *group, const char *order,
                    HicovEquity *out)
{
  if (!out)
    return HICOV_INVALID;
  memset(out, 0, sizeof *out);
  set_nan(out);
  out->status = HICOV_MISSING;
  if (!ds || !indicator)
    return HICOV_INVALID;
  if (order && !*order)
    order = NULL;
  int rc = check_args(ds, indicator, parent, level, order);
  if (rc)
    return rc;
  out->direction = hicov_indicator_direction(hicov_indicator_find(indicator));
  out->ordered = order != NULL;
  int asof = boundary_month > period.last ? boundary_month : period.last;
  HicovPeriod at = hicov_period_range(asof, asof);
  size_t *units = NULL, n = 0, cap = 0, used = 0;
  rc = hicov_dataset_units_at(ds, level, parent, &at, &units, &n);
  if (rc)
    return rc;
  EquityRow *rows = n ? hicov_calloc(n, sizeof *rows) : NULL;
  if (n && !rows)
    rc = HICOV_NOMEM;
  out->n_units = n;
  for (size_t i = 0; i < n && !rc; i++) {
    int ok = 0;
    rc = gather(ds, indicator, ds->units[units[i]].code, period, asof, group,
                order, out, &cap, &rows[used], &ok);
    used += (size_t)ok;
  }
  out->n_used = used;
  if (!rc && n == 0) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "no units at that level exist below %s at the "
                 "end of the period"), parent ? parent : "");
  } else if (!rc && used < 2) {
    hicov_fmt(out->reason, sizeof out->reason,
              T_(hicov_ds_lang(ds), "fewer than two units with a value and a "
                 "population (%zu of %zu)"), used, n);
  } else if (!rc) {
    out->status = HICOV_OK;
    unordered(rows, used, out);
    if (order)
      ordered(rows, used, out);
  }
  hicov_free(rows);
  hicov_free(units);
  if (rc)
    hicov_equity_clear(out);
  return rc;
}

int hicov_equity(HicovDataset *ds, const char *indicator, const char *parent,
                 int level, HicovPeriod period, const char *group,
                 const char *order, HicovEquity *out)
{
  return hicov_equity_on(ds, indicator, parent, level, period, period.last,
                         group, order, out);
}

void hicov_equity_clear(HicovEquity *out)
{
  if (!out)
    return;
  hicov_free(out->excluded);
  memset(out, 0, sizeof *out);
  set_nan(out);
  out->status = HICOV_MISSING;
}

static const struct {
  const char *name, *label;
  int in_unit;
} measures[HICOV_N_EQ] = {
  { "mean", N_("Population-weighted mean"), 1 },
  { "high", N_("Highest"), 1 },
  { "low", N_("Lowest"), 1 },
  { "difference", N_("Difference (D)"), 1 },
  { "ratio", N_("Ratio (R)"), 0 },
  { "idis", N_("Index of disparity (IDis), %"), 0 },
  { "idis_w", N_("Weighted index of disparity (IDisW), %"), 0 },
  { "bgv", N_("Between-group variance (BGV)"), 1 },
  { "theil", N_("Theil index (T) x 1000"), 0 },
  { "mld", N_("Mean log deviation (MLD) x 1000"), 0 },
  { "par", N_("Population attributable risk (PAR)"), 1 },
  { "paf", N_("Population attributable fraction (PAF), %"), 0 },
  { "sii", N_("Slope index of inequality (SII)"), 1 },
  { "rii", N_("Relative index of inequality (RII)"), 0 },
};

const char *hicov_equity_measure_name(int measure)
{
  return measure >= 0 && measure < HICOV_N_EQ ? measures[measure].name : NULL;
}

const char *hicov_equity_measure_label(int measure, const char *lang)
{
  if (measure < 0 || measure >= HICOV_N_EQ)
    return NULL;
  return hicov_text(lang, measures[measure].label);
}

double hicov_equity_measure_scale(int measure)
{
  return measure == HICOV_EQ_THEIL || measure == HICOV_EQ_MLD ? 1000 : 1;
}

int hicov_equity_measure_in_unit(int measure)
{
  return measure >= 0 && measure < HICOV_N_EQ && measures[measure].in_unit;
}

double hicov_equity_get(const HicovEquity *e, int measure)
{
  if (!e)
    return NAN;
  switch (measure) {
  case HICOV_EQ_MEAN: return e->mean;
  case HICOV_EQ_HIGH: return e->high;
  case HICOV_EQ_LOW: return e->low;
  case HICOV_EQ_DIFFERENCE: return e->difference;
  case HICOV_EQ_RATIO: return e->ratio;
  case HICOV_EQ_IDIS: return e->idis;
  case HICOV_EQ_IDIS_W: return e->idis_w;
  case HICOV_EQ_BGV: return e->bgv;
  case HICOV_EQ_THEIL: return e->theil;
  case HICOV_EQ_MLD: return e->mld;
  case HICOV_EQ_PAR: return e->par;
  case HICOV_EQ_PAF: return e->paf;
  case HICOV_EQ_SII: return e->sii;
  case HICOV_EQ_RII: return e->rii;
  default: return NAN;
  }
}
