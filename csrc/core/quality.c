/* quality.c - data-quality checks a provincial analyst wants flagged.
 *
 *  - participants above population, for every period a unit reports both;
 *  - gaps in monthly and annual series (a month or year missing between
 *    the first and last value of a series), and annual series that stop
 *    before those of the other units under the same parent;
 *  - growth far outside the unit's own history: year-on-year growth of a
 *    measure more than 5 robust standard deviations (1.4826 x MAD) and
 *    more than 10 points from the unit's median growth, when the unit has
 *    at least four growth values to judge by;
 *  - a unit's own total that differs from the sum of its children by more
 *    than 0.5%.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset-private.h"
#include "formula-private.h"
#include "quality-private.h"

#define MAX_FINDINGS 10000

typedef struct {
  HicovFinding *items;
  size_t n, cap;
  size_t dropped;
  size_t max; /* MAX_FINDINGS for hicov_dataset_check, all for the count */
} Findings;

static int add(Findings *f, int kind, int severity, const char *unit,
               const char *measure, HicovPeriod p, const char *fmt, ...)
    HICOV_PRINTF(7, 8);

static int add(Findings *f, int kind, int severity, const char *unit,
               const char *measure, HicovPeriod p, const char *fmt, ...)
{
  if (f->n >= f->max) {
    f->dropped++;
    return HICOV_OK;
  }
  if (hicov_grow((void **)&f->items, &f->cap, f->n + 1, sizeof *f->items))
    return HICOV_NOMEM;
  HicovFinding *x = &f->items[f->n++];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  x->severity = severity;
  hicov_fmt(x->unit, sizeof x->unit, "%s", unit);
  hicov_fmt(x->measure, sizeof x->measure, "%s", measure);
  x->period = p;
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(x->message, sizeof x->message, fmt, ap) >=
      (int)sizeof x->message)
    hicov_utf8_trim(x->message);
  va_end(ap);
  return HICOV_OK;
}

/* A span in a finding: whole years as "2021–2023" (or "2021"), else as
 * hicov_period_format writes it. */
static void span_text(HicovPeriod p, char *buf, size_t size)
{
  if (p.first % 12 == 0 && p.last % 12 == 11) {
    if (p.first / 12 == p.last / 12)
      hicov_fmt(buf, size, "%d", p.first / 12);
    else
      hicov_fmt(buf, size, "%d–%d", p.first / 12, p.last / 12);
  } else {
    hicov_period_format(p, buf, size);
  }
}

const char *hicov_finding_kind_name(int kind)
{
  switch (kind) {
  case HICOV_FINDING_PARTICIPANTS_ABOVE_POPULATION: return "participants_above_population";
  case HICOV_FINDING_MISSING_MONTH: return "missing_month";
  case HICOV_FINDING_GROWTH_OUTLIER: return "growth_outlier";
  case HICOV_FINDING_CHILD_SUM_MISMATCH: return "child_sum_mismatch";
  case HICOV_FINDING_NEGATIVE_VALUE: return "negative_value";
  case HICOV_FINDING_MISSING_YEAR: return "missing_year";
  default: return "unknown";
  }
}

static void fmt_int(int64_t centi, char *buf, size_t n)
{
  hicov_fmt(buf, n, "%lld", (long long)(centi / 100));
}

/* Participants above population, at every participants observation. */
static int check_above(HicovDataset *ds, Findings *f)
{
  for (size_t i = 0; i < ds->n_obs; i++) {
    const HicovObs *o = &ds->obs[i];
    if (o->measure != HICOV_M_PARTICIPANTS)
      continue;
    HicovPeriod p = hicov_period_range(o->first, o->last);
    int64_t pop;
    if (hicov_measure_total(ds, HICOV_M_POPULATION, o->unit, p, o->group, &pop,
                            NULL, 0) != HICOV_OK)
      continue;
    if (o->centi > pop) {
      char pt[24], a[32], b[32], who[HICOV_UNIT_TEXT_MAX];
      span_text(p, pt, sizeof pt);
      fmt_int(o->centi, a, sizeof a);
      fmt_int(pop, b, sizeof b);
      int rc = add(f, HICOV_FINDING_PARTICIPANTS_ABOVE_POPULATION, 2,
                   ds->units[o->unit].code, "participants", p,
                   T_(hicov_ds_lang(ds), "%s %s: %s participants exceed the "
                      "population of %s%s%s"),
                   hicov_unit_text(ds, o->unit, who, sizeof who), pt, a, b,
                   o->group ? T_(hicov_ds_lang(ds), " in group ") : "",
                   o->group ? ds->groups[o->group] : "");
      if (rc)
        return rc;
    }
  }
  return HICOV_OK;
}

/* Gaps in monthly and annual series. Observations are sorted by
 * (unit, measure, group, last, first), so a series is a run. */
static int check_gaps(HicovDataset *ds, Findings *f)
{
  size_t i = 0;
  while (i < ds->n_obs) {
    size_t j = i;
    while (j < ds->n_obs && ds->obs[j].unit == ds->obs[i].unit &&
           ds->obs[j].measure == ds->obs[i].measure &&
           ds->obs[j].group == ds->obs[i].group)
      j++;
    for (int pass = 0; pass < 2; pass++) {
      int span = pass == 0 ? 1 : 12;
      int prev = -1;
      for (size_t k = i; k < j; k++) {
        const HicovObs *o = &ds->obs[k];
        if (o->last - o->first + 1 != span || (span == 12 && o->first % 12))
          continue;
        if (prev >= 0 && o->first > prev + span) {
          /* a gap between prev and this observation */
          HicovPeriod gap = hicov_period_range(prev + span, o->first - 1);
          char pt[24], name[HICOV_UNIT_TEXT_MAX];
          span_text(gap, pt, sizeof pt);
          const char *code = ds->units[o->unit].code;
          const char *who = hicov_unit_text(ds, o->unit, name, sizeof name);
          const char *measure = hicov_measure_info(o->measure)->name;
          const char *what = hicov_measure_word(measure, hicov_ds_lang(ds));
          int rc;
          if (span == 1)
            rc = add(f, HICOV_FINDING_MISSING_MONTH, 1, code, measure, gap,
                     T_(hicov_ds_lang(ds), "%s, %s%s%s: no monthly value for %s"), who,
                     what, o->group ? T_(hicov_ds_lang(ds), " group ") : "",
                     o->group ? ds->groups[o->group] : "", pt);
          else
            rc = add(f, HICOV_FINDING_MISSING_YEAR, 1, code, measure, gap,
                     T_(hicov_ds_lang(ds), "%s, %s%s%s: no annual value for %s"), who,
                     what, o->group ? T_(hicov_ds_lang(ds), " group ") : "",
                     o->group ? ds->groups[o->group] : "", pt);
          if (rc)
            return rc;
        }
        prev = o->first;
      }
    }
    i = j;
  }
  return HICOV_OK;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Year-on-year growth far outside the unit's own history. */
static int check_growth(HicovDataset *ds, Findings *f, int y0, int y1)
{
  enum { MAXY = 64 };
  if (y1 - y0 + 1 > MAXY)
    y0 = y1 - MAXY + 1;
  for (size_t u = 0; u < ds->n_units; u++) {
    for (int m = 0; m < HICOV_M_COUNT; m++) {
      if (hicov_measure_info((size_t)m)->kind == HICOV_MEASURE_DISTINCT)
        continue;
      double vals[MAXY], prev[MAXY];
      int have[MAXY], have_prev[MAXY];
      /* each year against the one before on its own boundaries, like
       * every growth: a merger is no outlier (a unit that absorbed none
       * takes the same value twice, so it is read once) */
      int absorbs = ds->units[u].n_merged || ds->units[u].n_split_in;
      for (int y = y0; y <= y1; y++) {
        int64_t v;
        have[y - y0] = hicov_measure_total(ds, m, u, hicov_period_year(y), 0,
                                           &v, NULL, 0) == HICOV_OK;
        vals[y - y0] = have[y - y0] ? (double)v : 0;
        have_prev[y - y0] = have[y - y0];
        prev[y - y0] = vals[y - y0];
        if (absorbs && y > y0) {
          int b = hicov_boundary_month(ds, hicov_period_year(y).last);
          have_prev[y - y0 - 1] =
              hicov_measure_total_on(ds, m, u, hicov_period_year(y - 1), b, 0,
                                     &v, NULL, NULL, 0) == HICOV_OK;
          prev[y - y0 - 1] = have_prev[y - y0 - 1] ? (double)v : 0;
        }
      }
      double g[MAXY], sorted[MAXY];
      int gy[MAXY], n = 0;
      for (int y = y0 + 1; y <= y1; y++)
        if (have[y - y0] && have_prev[y - y0 - 1] && prev[y - y0 - 1] > 0) {
          g[n] = hicov_growth_pct(prev[y - y0 - 1], vals[y - y0]);
          gy[n] = y;
          n++;
        }
      if (n < 4)
        continue;
      memcpy(sorted, g, sizeof(double) * (size_t)n);
      double med = median(sorted, n);
      for (int k = 0; k < n; k++)
        sorted[k] = fabs(g[k] - med);
      double mad = median(sorted, n) * 1.4826;
      for (int k = 0; k < n; k++) {
        double dev = fabs(g[k] - med);
        if (dev > 10 && dev > 5 * mad) {
          char who[HICOV_UNIT_TEXT_MAX];
          int rc = add(f, HICOV_FINDING_GROWTH_OUTLIER, 1, ds->units[u].code,
                       hicov_measure_info((size_t)m)->name, hicov_period_year(gy[k]),
                       T_(hicov_ds_lang(ds), "%s, %s, %d: growth %+.1f%% against a "
                          "usual %+.1f%% (robust deviation %.1f points)"),
                       hicov_unit_text(ds, u, who, sizeof who),
                       hicov_measure_word(hicov_measure_info((size_t)m)->name,
                                          hicov_ds_lang(ds)),
                       gy[k], g[k], med, mad);
          if (rc)
            return rc;
        }
      }
    }
  }
  return HICOV_OK;
}

/* A year missing at the end of a series: a unit whose own annual values
 * of a measure stop before those of the other units under the same parent
 * (a commune without this year's figure while its neighbours have one)
 * makes the parent's total for that year missing, so that a report falls
 * back a year; the gap is flagged here. */
static int check_trailing(HicovDataset *ds, Findings *f)
{
  size_t n = ds->n_units * HICOV_M_COUNT;
  if (n == 0)
    return HICOV_OK;
  int *last = hicov_calloc(n, sizeof *last);     /* a unit's own last year */
  int *sibling = hicov_calloc(n, sizeof *sibling); /* its children's last */
  if (!last || !sibling) {
    hicov_free(last);
    hicov_free(sibling);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < ds->n_obs; i++) {
    const HicovObs *o = &ds->obs[i];
    int *l = &last[o->unit * HICOV_M_COUNT + o->measure];
    if (o->group == 0 && o->last - o->first == 11 && o->first % 12 == 0 &&
        o->first / 12 > *l)
      *l = o->first / 12;
  }
  for (size_t u = 0; u < ds->n_units; u++) {
    long p = ds->units[u].parent;
    for (int m = 0; p >= 0 && m < HICOV_M_COUNT; m++) {
      int *s = &sibling[(size_t)p * HICOV_M_COUNT + (size_t)m];
      if (last[u * HICOV_M_COUNT + (size_t)m] > *s)
        *s = last[u * HICOV_M_COUNT + (size_t)m];
    }
  }
  int rc = HICOV_OK;
  for (size_t u = 0; u < ds->n_units && rc == HICOV_OK; u++) {
    const HicovUnitRec *r = &ds->units[u];
    for (int m = 0; r->parent >= 0 && m < HICOV_M_COUNT && rc == HICOV_OK;
         m++) {
      int own = last[u * HICOV_M_COUNT + (size_t)m];
      int want = sibling[(size_t)r->parent * HICOV_M_COUNT + (size_t)m];
      if (own == 0 || own >= want ||
          !hicov_unit_exists_in(r, want * 12, want * 12 + 11))
        continue;
      HicovPeriod gap = hicov_period_range((own + 1) * 12, want * 12 + 11);
      char pt[24], who[HICOV_UNIT_TEXT_MAX], parent[HICOV_UNIT_TEXT_MAX];
      span_text(gap, pt, sizeof pt);
      const char *measure = hicov_measure_info((size_t)m)->name;
      rc = add(f, HICOV_FINDING_MISSING_YEAR, 1, r->code, measure, gap,
               T_(hicov_ds_lang(ds), "%s, %s: no annual value for %s, which the other "
                  "units under %s have; the total of %s lacks it too"),
               hicov_unit_text(ds, u, who, sizeof who),
               hicov_measure_word(measure, hicov_ds_lang(ds)), pt,
               hicov_unit_text(ds, (size_t)r->parent, parent, sizeof parent),
               ds->units[r->parent].name ? ds->units[r->parent].name
                                         : ds->units[r->parent].code);
    }
  }
  hicov_free(last);
  hicov_free(sibling);
  return rc;
}

/* Own totals against the sum of children. */
static int check_sums(HicovDataset *ds, Findings *f)
{
  for (size_t i = 0; i < ds->n_obs; i++) {
    const HicovObs *o = &ds->obs[i];
    const HicovUnitRec *u = &ds->units[o->unit];
    if (!u->n_children && !u->n_merged)
      continue;
    if (hicov_measure_info(o->measure)->kind == HICOV_MEASURE_DISTINCT)
      continue;
    HicovPeriod p = hicov_period_range(o->first, o->last);
    int64_t sum;
    if (hicov_measure_components(ds, o->measure, o->unit, p, o->group, &sum) != HICOV_OK)
      continue;
    double diff = fabs((double)(sum - o->centi));
    if (diff > 0.005 * (double)o->centi && diff >= 100) {
      char pt[24], a[32], b[32], who[HICOV_UNIT_TEXT_MAX];
      span_text(p, pt, sizeof pt);
      fmt_int(o->centi, a, sizeof a);
      fmt_int(sum, b, sizeof b);
      const char *measure = hicov_measure_info(o->measure)->name;
      int rc = add(f, HICOV_FINDING_CHILD_SUM_MISMATCH, 1, u->code, measure,
                   p,
                   T_(hicov_ds_lang(ds), "%s, %s, %s: the unit's own total %s differs "
                      "from the sum of its units, %s (%+.2f%%)"),
                   hicov_unit_text(ds, o->unit, who, sizeof who),
                   hicov_measure_word(measure, hicov_ds_lang(ds)), pt, a, b,
                   ((double)sum / (double)o->centi - 1) * 100);
      if (rc)
        return rc;
    }
  }
  return HICOV_OK;
}

static int run_checks(HicovDataset *ds, size_t max, HicovFinding **out,
                      size_t *n)
{
  *out = NULL;
  *n = 0;
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  Findings f = { .max = max };
  int first, last;
  if (hicov_dataset_month_span(ds, &first, &last) != HICOV_OK)
    return HICOV_OK;
  if ((rc = check_above(ds, &f)) || (rc = check_gaps(ds, &f)) ||
      (rc = check_trailing(ds, &f)) ||
      (rc = check_growth(ds, &f, first / 12, last / 12)) ||
      (rc = check_sums(ds, &f))) {
    hicov_free(f.items);
    return rc;
  }
  *out = f.items;
  *n = f.n;
  return HICOV_OK;
}

int hicov_dataset_check(HicovDataset *ds, HicovFinding **out, size_t *n)
{
  if (!ds || !out || !n)
    return HICOV_INVALID;
  return run_checks(ds, MAX_FINDINGS, out, n);
}

/* ------------------------------------------------------------------------ */
/* The count of findings by unit and period (the quality_findings indicator) */

typedef struct {
  size_t unit;
  int first, last;
} MemoFinding;

typedef struct {
  int first, last; /* the dataset's months; first > last when it has none */
  size_t n;
  MemoFinding f[];
} QualityMemo;

/* Runs every check once, without the cap, and keeps where each finding
 * is (its text is not needed, so the language does not matter). */
static int build_memo(HicovDataset *ds, QualityMemo **out)
{
  HicovFinding *items;
  size_t n;
  int rc = run_checks(ds, SIZE_MAX, &items, &n);
  if (rc)
    return rc;
  QualityMemo *m = hicov_malloc(sizeof *m + n * sizeof m->f[0]);
  if (!m) {
    hicov_free(items);
    return HICOV_NOMEM;
  }
  if (hicov_dataset_month_span(ds, &m->first, &m->last) != HICOV_OK) {
    m->first = 1;
    m->last = 0;
  }
  m->n = 0;
  for (size_t i = 0; i < n; i++) {
    long u = hicov_unit_index(ds, items[i].unit);
    if (u >= 0)
      m->f[m->n++] = (MemoFinding){ (size_t)u, items[i].period.first,
                                    items[i].period.last };
  }
  hicov_free(items);
  *out = m;
  return HICOV_OK;
}

static int is_at_or_below(const HicovDataset *ds, size_t u, size_t top)
{
  for (int depth = 0; depth < 64; depth++) {
    if (u == top)
      return 1;
    long p = ds->units[u].parent;
    if (p < 0)
      return 0;
    u = (size_t)p;
  }
  return 0;
}

int hicov_quality_count(HicovDataset *ds, size_t unit, HicovPeriod p,
                        size_t *n)
{
  *n = 0;
  QualityMemo *m = __atomic_load_n((QualityMemo **)&ds->quality_memo,
                                   __ATOMIC_ACQUIRE);
  if (!m) {
    /* Two threads may build it at once: the first published is kept. */
    int rc = build_memo(ds, &m);
    if (rc)
      return rc;
    QualityMemo *expected = NULL;
    if (!__atomic_compare_exchange_n((QualityMemo **)&ds->quality_memo,
                                     &expected, m, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
      hicov_free(m);
      m = expected;
    }
  }
  if (p.last < m->first || p.first > m->last)
    return HICOV_MISSING;
  for (size_t i = 0; i < m->n; i++)
    if (m->f[i].first <= p.last && m->f[i].last >= p.first &&
        is_at_or_below(ds, m->f[i].unit, unit))
      (*n)++;
  return HICOV_OK;
}
