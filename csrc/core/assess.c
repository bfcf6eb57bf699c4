/* assess.c - resolutions, targets, assessment and projection.
 *
 * Projection method (documented in the README):
 *  - Inputs: the indicator's annual values for the unit, the most recent
 *    FIT_POINTS years with a value among the ten years up to the last year.
 *  - Rates bounded to [0, 100] (coverage, shares) are fitted on the logit
 *    scale, y = ln(v / (100 - v)), by ordinary least squares on
 *    x = year - last year; the projection 100 / (1 + exp(-y)) therefore
 *    stays inside (0, 100) and slows down as it nears full coverage.
 *  - Other indicators are fitted by a straight least-squares line.
 *  - Fewer than two annual values: no projection (reported as missing).
 *  - The values fitted, and a target's baseline, are on the boundaries of
 *    the last year (hicov_indicator_value_on): a province that absorbed
 *    another in 2025 is fitted on its territory of today, not on a jump.
 * The status, for every kind of target (a level, a change, an average
 * growth; at least or at most), is assess-verdict.c's.  The fit, the
 * projection and the required growth are formula.c's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "assess-private.h"
#include "dataset-private.h"
#include "formula-private.h"

#define FIT_POINTS 6
#define FIT_WINDOW 10
#define HORIZON_YEAR 2100

/* ------------------------------------------------------------------------ */
/* Resolutions                                                               */

int hicov_resolution_new(const char *body, const char *number,
                         const char *title, int term_start, int term_end,
                         HicovResolution **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (term_end && term_start && term_end < term_start)
    return HICOV_INVALID;
  HicovResolution *r = hicov_calloc(1, sizeof *r);
  if (!r)
    return HICOV_NOMEM;
  r->body = hicov_strdup(body ? body : "");
  r->number = hicov_strdup(number ? number : "");
  r->title = hicov_strdup(title ? title : "");
  r->term_start = term_start;
  r->term_end = term_end;
  if (!r->body || !r->number || !r->title) {
    hicov_resolution_free(r);
    return HICOV_NOMEM;
  }
  *out = r;
  return HICOV_OK;
}

static void target_clear(HicovTarget *t)
{
  hicov_free((char *)t->indicator);
  hicov_free((char *)t->unit);
  hicov_free((char *)t->label);
}

void hicov_resolution_free(HicovResolution *res)
{
  if (!res)
    return;
  for (size_t i = 0; i < res->n_targets; i++)
    target_clear(&res->targets[i]);
  hicov_free(res->targets);
  hicov_free(res->lines);
  hicov_free(res->source);
  hicov_free(res->body);
  hicov_free(res->number);
  hicov_free(res->title);
  hicov_free(res);
}

/* The reasons a target is refused, each naming its field as the
 * resolution XML and Python do.  A check returns HICOV_OK or fills why. */

static int target_refuse(char *why, size_t size, const char *fmt, ...)
    HICOV_PRINTF(3, 4);

static int target_refuse(char *why, size_t size, const char *fmt, ...)
{
  if (why && size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
  }
  return HICOV_INVALID;
}

/* The indicator, the comparison and the level of the units assessed. */
static int target_check_what(const HicovTarget *t, const char *l, char *why,
                             size_t size)
{
  const HicovIndicatorInfo *info = hicov_indicator_find(t->indicator);
  if (!info) {
    target_refuse(why, size, T_(l, "unknown indicator '%s', expected one of "
                  "hicov's level indicators such as 'coverage_rate'"),
                  t->indicator);
    return HICOV_NOTFOUND;
  }
  if (info->kind != HICOV_IND_LEVEL)
    return target_refuse(why, size, T_(l, "'indicator' must be a level "
                         "indicator such as 'coverage_rate', not '%s', a "
                         "change or growth (give the kind 'change' or "
                         "'growth' instead)"), t->indicator);
  if (t->comparison != HICOV_CMP_AT_LEAST && t->comparison != HICOV_CMP_AT_MOST)
    return target_refuse(why, size, T_(l, "'comparison' must be at-least or "
                         "at-most"));
  if (t->level < -1 || t->level > HICOV_LEVEL_FACILITY)
    return target_refuse(why, size, T_(l, "'level' must be province, "
                         "district, commune or facility (the units below "
                         "the unit that are assessed), or none, not %d"),
                         t->level);
  if (t->level == HICOV_LEVEL_COUNTRY)
    return target_refuse(why, size, T_(l, "'level' country: no country lies "
                         "below a unit; give the level of the units to "
                         "assess (province, district, commune, facility)"));
  return HICOV_OK;
}

/* The years: a deadline within the projections' horizon; change and
 * growth need a baseline year before it. */
static int target_check_years(const HicovTarget *t, const char *l, char *why,
                              size_t size)
{
  if (t->deadline_year < 1900 || t->deadline_year > HORIZON_YEAR)
    return target_refuse(why, size, T_(l, "'deadline' must be a year from "
                         "1900 to %d, not %d"), HORIZON_YEAR,
                         t->deadline_year);
  if (t->baseline_year &&
      (t->baseline_year < 1900 || t->baseline_year > t->deadline_year))
    return target_refuse(why, size, T_(l, "'baseline' must be a year from "
                         "1900 to the deadline %d, not %d"), t->deadline_year,
                         t->baseline_year);
  if (t->kind < HICOV_TARGET_KIND_LEVEL || t->kind > HICOV_TARGET_KIND_GROWTH)
    return target_refuse(why, size, T_(l, "'kind' must be level, change or "
                         "growth"));
  if (t->kind != HICOV_TARGET_KIND_LEVEL &&
      (!t->baseline_year || t->baseline_year >= t->deadline_year))
    return target_refuse(why, size, T_(l, "a %s target needs 'baseline', a "
                         "year before the deadline %d, found %s"),
                         t->kind == HICOV_TARGET_KIND_CHANGE ? "change"
                                                             : "growth",
                         t->deadline_year,
                         t->baseline_year ? T_(l, "the deadline itself")
                                          : T_(l, "none"));
  return HICOV_OK;
}

/* The numbers: a finite threshold, a rate's within 0-100 (98 for 98%),
 * a share of units a percentage, for targets over units only. */
static int target_check_numbers(const HicovTarget *t, const char *l,
                                char *why, size_t size)
{
  const HicovIndicatorInfo *info = hicov_indicator_find(t->indicator);
  if (!isfinite(t->threshold))
    return target_refuse(why, size, T_(l, "'threshold' must be a finite "
                         "number, not %g"), t->threshold);
  if (info->is_rate && t->kind == HICOV_TARGET_KIND_LEVEL &&
      (t->threshold < 0 || t->threshold > 100))
    return target_refuse(why, size, T_(l, "'threshold' %g of rate '%s' is "
                         "outside 0-100 (write 98 for 98%%)"), t->threshold,
                         info->name);
  if (!isfinite(t->units_share) || t->units_share < 0 || t->units_share > 100)
    return target_refuse(why, size, T_(l, "'units_share' must be a "
                         "percentage from 0 to 100, not %g"), t->units_share);
  if (t->units_share > 0 && t->level < 0)
    return target_refuse(why, size, T_(l, "'units_share' needs 'level', the "
                         "level of the units it counts"));
  return HICOV_OK;
}

int hicov_target_check(const HicovTarget *t, const char *lang, char *why,
                       size_t size)
{
  if (why && size)
    why[0] = '\0';
  if (!t || !t->indicator || !t->unit)
    return target_refuse(why, size, T_(lang, "a target needs 'indicator' and "
                         "'unit'"));
  int rc = target_check_what(t, lang, why, size);
  if (!rc)
    rc = target_check_years(t, lang, why, size);
  if (!rc)
    rc = target_check_numbers(t, lang, why, size);
  return rc;
}

/* Room for one more target (and its line, once lines are kept). */
static int resolution_grow(HicovResolution *res)
{
  size_t cap = res->cap_targets;
  if (hicov_grow((void **)&res->targets, &res->cap_targets, res->n_targets + 1,
                 sizeof *res->targets))
    return HICOV_NOMEM;
  if (res->lines && res->cap_targets != cap) {
    long *lines = hicov_realloc(res->lines, res->cap_targets * sizeof *lines);
    if (!lines)
      return HICOV_NOMEM; /* the targets' room stays: harmless */
    memset(lines + cap, 0, (res->cap_targets - cap) * sizeof *lines);
    res->lines = lines;
  }
  return HICOV_OK;
}

const char *hicov_resolution_source(const HicovResolution *res)
{
  return res && res->source ? res->source : "";
}

long hicov_resolution_target_line(const HicovResolution *res, size_t i)
{
  return res && res->lines && i < res->n_targets ? res->lines[i] : 0;
}

int hicov_resolution_set_source(HicovResolution *res, const char *name)
{
  if (!res)
    return HICOV_INVALID;
  char *copy = name && *name ? hicov_strdup(name) : NULL;
  if (name && *name && !copy)
    return HICOV_NOMEM;
  hicov_free(res->source);
  res->source = copy;
  return HICOV_OK;
}

int hicov_resolution_set_target_line(HicovResolution *res, size_t i,
                                     long line)
{
  if (!res || i >= res->n_targets)
    return HICOV_INVALID;
  if (!res->lines) {
    res->lines = hicov_calloc(res->cap_targets, sizeof *res->lines);
    if (!res->lines)
      return HICOV_NOMEM;
  }
  res->lines[i] = line;
  return HICOV_OK;
}

int hicov_resolution_add_target(HicovResolution *res, const HicovTarget *t)
{
  if (!res)
    return HICOV_INVALID;
  int rc = hicov_target_check(t, NULL, NULL, 0);
  if (rc)
    return rc;
  if (resolution_grow(res))
    return HICOV_NOMEM;
  HicovTarget *d = &res->targets[res->n_targets];
  *d = *t;
  d->indicator = hicov_strdup(t->indicator);
  d->unit = hicov_strdup(t->unit);
  d->label = t->label ? hicov_strdup(t->label) : NULL;
  if (!d->indicator || !d->unit || (t->label && !d->label)) {
    target_clear(d);
    return HICOV_NOMEM;
  }
  res->n_targets++;
  return HICOV_OK;
}

const char *hicov_resolution_body(const HicovResolution *res)
{
  return res ? res->body : NULL;
}

const char *hicov_resolution_number(const HicovResolution *res)
{
  return res ? res->number : NULL;
}

const char *hicov_resolution_title(const HicovResolution *res)
{
  return res ? res->title : NULL;
}

void hicov_resolution_term(const HicovResolution *res, int *start, int *end)
{
  if (start)
    *start = res ? res->term_start : 0;
  if (end)
    *end = res ? res->term_end : 0;
}

size_t hicov_resolution_target_count(const HicovResolution *res)
{
  return res ? res->n_targets : 0;
}

const HicovTarget *hicov_resolution_target(const HicovResolution *res,
                                           size_t i)
{
  return res && i < res->n_targets ? &res->targets[i] : NULL;
}

int hicov_resolution_copy(const HicovResolution *res, HicovResolution **out)
{
  if (!res || !out)
    return HICOV_INVALID;
  HicovResolution *r;
  int rc = hicov_resolution_new(res->body, res->number, res->title,
                                res->term_start, res->term_end, &r);
  if (rc)
    return rc;
  for (size_t i = 0; i < res->n_targets && !rc; i++) {
    rc = hicov_resolution_add_target(r, &res->targets[i]);
    if (!rc && hicov_resolution_target_line(res, i))
      rc = hicov_resolution_set_target_line(r, i, res->lines[i]);
  }
  if (!rc && res->source)
    rc = hicov_resolution_set_source(r, res->source);
  if (rc) {
    hicov_resolution_free(r);
    return rc;
  }
  *out = r;
  return HICOV_OK;
}

const char *hicov_target_status_name(int status)
{
  switch (status) {
  case HICOV_TARGET_ACHIEVED: return "achieved";
  case HICOV_TARGET_ON_TRACK: return "on track";
  case HICOV_TARGET_AT_RISK: return "at risk";
  case HICOV_TARGET_NOT_ACHIEVED: return "not achieved";
  default: return "unknown";
  }
}

/* ------------------------------------------------------------------------ */
/* Resolutions carried by the dataset                                        */

/* The dataset keeps its copies and frees them through this function, set
 * by hicov_dataset_add_resolution: dataset.c needs nothing of this file. */
static void dataset_free_resolutions(HicovDataset *ds)
{
  for (size_t i = 0; i < ds->n_resolutions; i++)
    hicov_resolution_free(ds->resolutions[i]);
  hicov_free(ds->resolutions);
}

size_t hicov_dataset_resolution_count(const HicovDataset *ds)
{
  return ds ? ds->n_resolutions : 0;
}

const HicovResolution *hicov_dataset_resolution(const HicovDataset *ds,
                                                size_t i)
{
  return ds && i < ds->n_resolutions ? ds->resolutions[i] : NULL;
}

int hicov_dataset_add_resolution(HicovDataset *ds, const HicovResolution *res)
{
  if (!ds || !res)
    return HICOV_INVALID;
  ds->free_resolutions = dataset_free_resolutions;
  if (hicov_grow((void **)&ds->resolutions, &ds->cap_resolutions,
                 ds->n_resolutions + 1, sizeof *ds->resolutions))
    return HICOV_NOMEM;
  HicovResolution *copy;
  int rc = hicov_resolution_copy(res, &copy);
  if (rc)
    return rc;
  ds->resolutions[ds->n_resolutions++] = copy;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Fitting                                                                   */

typedef struct {
  int n;
  int years[HICOV_FIT_MAX];
  double values[HICOV_FIT_MAX];
  int logit;
  int origin;
  double slope, intercept;
  int estimate; /* a value rests on a crosswalk share */
} Fit;

static double trend_value(const Fit *f, double year)
{
  return hicov_trend_at(f->logit, f->intercept, f->slope, f->origin, year);
}

/* The unit with this code as reasons name it (hicov_unit_text), or the
 * code as given if the dataset has no such unit. */
static const char *unit_named(const HicovDataset *ds, const char *code,
                              char *buf, size_t size)
{
  long u = hicov_unit_index(ds, code);
  if (u < 0)
    hicov_fmt(buf, size, "%s", code);
  else
    hicov_unit_text(ds, (size_t)u, buf, size);
  return buf;
}

/* Collects annual values up to last_year, on its boundaries, and fits
 * them. */
static int make_fit(HicovDataset *ds, const char *indicator, const char *unit,
                    int last_year, Fit *f, char *reason, size_t rsize)
{
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  memset(f, 0, sizeof *f);
  f->logit = info && info->is_rate;
  int ys[FIT_POINTS];
  double vs[FIT_POINTS];
  int n = 0;
  for (int y = last_year; y > last_year - FIT_WINDOW && n < FIT_POINTS; y--) {
    HicovResult r;
    int rc = hicov_indicator_value_on(ds, indicator, unit,
                                      hicov_period_year(y),
                                      hicov_period_year(last_year).last, NULL,
                                      &r);
    if (rc)
      return rc;
    if (r.status == HICOV_OK) {
      ys[n] = y;
      vs[n] = r.value;
      f->estimate |= r.estimate;
      n++;
    }
  }
  /* oldest first */
  for (int i = 0; i < n; i++) {
    f->years[i] = ys[n - 1 - i];
    f->values[i] = vs[n - 1 - i];
  }
  f->n = n;
  f->origin = last_year;
  if (n < 2) {
    char ut[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "a projection needs at least two "
              "annual values of %s for %s up to %d; found %d"), indicator,
              unit_named(ds, unit, ut, sizeof ut), last_year, n);
    return HICOV_MISSING;
  }
  hicov_trend_fit(f->logit, f->years, f->values, n, f->origin, &f->slope,
                  &f->intercept);
  return HICOV_OK;
}

int hicov_project(HicovDataset *ds, const char *indicator, const char *unit,
                  int last_year, int year, HicovResult *out)
{
  if (!ds || !indicator || !unit || !out)
    return HICOV_INVALID;
  out->value = NAN;
  out->status = HICOV_MISSING;
  out->reason[0] = '\0';
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  if (!info)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown indicator '%s'"), indicator);
  if (info->kind != HICOV_IND_LEVEL)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "%s cannot be projected"), indicator);
  if (hicov_unit_index(ds, unit) < 0)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
  Fit f;
  int rc = make_fit(ds, indicator, unit, last_year, &f, out->reason,
                    sizeof out->reason);
  if (rc == HICOV_MISSING)
    return HICOV_MISSING;
  if (rc)
    return rc;
  out->value = trend_value(&f, year);
  out->status = HICOV_OK;
  return HICOV_OK;
}

int hicov_assessment_project(const HicovAssessment *a, int year,
                             double *value)
{
  if (!a || !value)
    return HICOV_INVALID;
  *value = NAN;
  if (a->fit_n < 2 || !a->fit_method || !isfinite(a->fit_slope) ||
      !isfinite(a->fit_intercept))
    return HICOV_MISSING;
  Fit f;
  memset(&f, 0, sizeof f);
  f.logit = !strcmp(a->fit_method, "logit-linear");
  f.origin = a->fit_origin;
  f.slope = a->fit_slope;
  f.intercept = a->fit_intercept;
  *value = trend_value(&f, year);
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Assessment                                                                */

/* Gap of value to t at period p, signed so that > 0 is short of the
 * target and < 0 exceeds it (a value that meets it within rounding gives
 * 0): at least: threshold - measure; at most: measure - threshold, where
 * the measure is the value, its change since the baseline or its average
 * growth since then (assess-verdict.c).  People still needed, for coverage
 * floors only: ceil(level% x population - participants) at the end of p
 * for the level the deadline needs, 0 when met. */
static int gap_at(HicovDataset *ds, const HicovTarget *t, const char *unit,
                  HicovPeriod p, double value, double *gap, double *needed)
{
  double base = NAN, level = t->threshold;
  *gap = *needed = NAN;
  if (t->kind != HICOV_TARGET_KIND_LEVEL) {
    HicovResult r;
    /* the baseline on the period's boundaries: the same territory */
    int rc = hicov_indicator_value_on(ds, t->indicator, unit,
                                      hicov_period_year(t->baseline_year),
                                      p.last, NULL, &r);
    if (rc)
      return rc;
    base = r.value;
    level = t->kind == HICOV_TARGET_KIND_CHANGE ? base + t->threshold : NAN;
  }
  double m = assess_measure(t, base, value, hicov_period_end_year(p));
  if (!isfinite(m))
    return HICOV_OK;
  *gap = t->comparison == HICOV_CMP_AT_MOST ? m - t->threshold
                                            : t->threshold - m;
  if (assess_meets(t, m) && *gap > 0)
    *gap = 0;
  if (t->comparison == HICOV_CMP_AT_LEAST)
    *needed = assess_people_needed(ds, t->indicator, unit, p, level);
  if (*needed > 0 && assess_meets(t, m))
    *needed = 0;
  return HICOV_OK;
}

int hicov_target_gap(HicovDataset *ds, const HicovTarget *t, const char *unit,
                     HicovPeriod period, HicovTargetGap *out)
{
  if (!ds || !t || !t->indicator || !unit || !out)
    return HICOV_INVALID;
  out->value = out->gap = out->participants_needed = NAN;
  out->reason[0] = 0;
  HicovResult r;
  int rc = hicov_indicator_value(ds, t->indicator, unit, period, NULL, &r);
  if (rc)
    return rc;
  if (r.status != HICOV_OK) {
    hicov_fmt(out->reason, sizeof out->reason, "%s", r.reason);
    return HICOV_MISSING;
  }
  out->value = r.value;
  return gap_at(ds, t, unit, period, r.value, &out->gap,
                &out->participants_needed);
}

static int assess_one(HicovDataset *ds, const HicovTarget *t, size_t ti,
                      const char *unit, int first_year, int last_year,
                      HicovAssessment *a)
{
  memset(a, 0, sizeof *a);
  a->target_index = ti;
  hicov_fmt(a->unit, sizeof a->unit, "%s", unit);
  a->threshold = t->threshold;
  a->deadline_year = t->deadline_year;
  a->baseline_year = t->baseline_year;
  a->baseline_value = a->latest_value = a->gap = NAN;
  a->participants_needed = a->required_annual_change = NAN;
  a->required_annual_growth = a->projected_value = a->projected_year = NAN;
  a->fit_slope = a->fit_intercept = NAN;
  a->measure_value = a->projected_measure = a->deadline_level = NAN;
  a->kind = t->kind;
  a->status = HICOV_TARGET_UNKNOWN;
  const HicovIndicatorInfo *info = hicov_indicator_find(t->indicator);
  a->fit_method = info && info->is_rate ? "logit-linear" : "linear";
  HicovResult r;
  int rc;

  /* Latest year with a value: the last one up to the deadline, else the
   * first one after it. */
  int latest = 0;
  double latest_value = NAN;
  for (int y = last_year < t->deadline_year ? last_year : t->deadline_year;
       y >= first_year; y--) {
    if ((rc = hicov_indicator_value(ds, t->indicator, unit,
                                    hicov_period_year(y), NULL, &r)))
      return rc;
    if (r.status == HICOV_OK) {
      latest = y;
      latest_value = r.value;
      break;
    }
  }
  for (int y = t->deadline_year + 1; !latest && y <= last_year; y++) {
    if ((rc = hicov_indicator_value(ds, t->indicator, unit,
                                    hicov_period_year(y), NULL, &r)))
      return rc;
    if (r.status == HICOV_OK) {
      latest = y;
      latest_value = r.value;
    }
  }
  /* the baseline on the boundaries of the latest year (or of its own, if
     later): the same territory as the latest value */
  int asof = hicov_period_year(latest > t->baseline_year ? latest
                                                         : t->baseline_year).last;
  a->boundary_month = hicov_boundary_month(ds, asof);
  if (t->baseline_year) {
    rc = hicov_indicator_value_on(ds, t->indicator, unit,
                                  hicov_period_year(t->baseline_year), asof,
                                  NULL, &r);
    if (rc)
      return rc;
    a->baseline_value = r.value;
    a->baseline_estimate = r.status == HICOV_OK && r.estimate;
  }
  if (!latest) {
    char ut[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(a->reason, sizeof a->reason,
              T_(hicov_ds_lang(ds), "no annual value of %s for %s"),
              t->indicator, unit_named(ds, unit, ut, sizeof ut));
    return HICOV_OK;
  }
  a->latest_year = latest;
  a->latest_value = latest_value;
  if ((rc = assess_fallback(ds, t, unit, last_year, a)))
    return rc;

  Fit f;
  char reason[HICOV_REASON_MAX] = "";
  rc = make_fit(ds, t->indicator, unit, latest, &f, reason, sizeof reason);
  if (rc != HICOV_OK && rc != HICOV_MISSING)
    return rc;
  a->fit_n = f.n;
  a->fit_origin = f.origin;
  a->fit_estimate = f.estimate;
  for (int i = 0; i < f.n; i++) {
    a->fit_years[i] = f.years[i];
    a->fit_values[i] = f.values[i];
  }
  if (rc == HICOV_OK) {
    a->fit_slope = f.slope;
    a->fit_intercept = f.intercept;
    a->projected_value = trend_value(&f, t->deadline_year);
  } else {
    hicov_fmt(a->reason, sizeof a->reason, "%s", reason);
  }
  /* the measure, gap, requirements, projections and status */
  return assess_verdict(ds, t, unit, last_year, a);
}

/* The units a target over a level assesses: those at the level below the
 * target's unit that exist at the end of the deadline year.  A level that
 * cannot lie below the unit, or that has no unit there, is the resolution
 * file's mistake: the message names the file and line. */
static int target_units(HicovDataset *ds, const HicovResolution *res,
                        size_t ti, size_t **units, size_t *nu)
{
  const HicovTarget *t = &res->targets[ti];
  char where[400];
  long line = hicov_resolution_target_line(res, ti);
  if (line > 0)
    hicov_fmt(where, sizeof where, T_(hicov_ds_lang(ds), "%s line %ld: target %zu"),
              hicov_resolution_source(res), line, ti + 1);
  else
    hicov_fmt(where, sizeof where, T_(hicov_ds_lang(ds), "target %zu"), ti + 1);
  size_t idx;
  if (hicov_dataset_find_unit(ds, t->unit, &idx) != HICOV_OK)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "%s: unknown unit '%s'"), where,
                           t->unit);
  const HicovUnitRec *u = &ds->units[idx];
  if (t->level <= u->level)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "%s: no %s can lie below %s (%s), "
                              "which is a %s; give a level below it"),
                           where, hicov_level_word(t->level, hicov_ds_lang(ds)),
                           u->name ? u->name : u->code, u->code,
                           hicov_level_word(u->level, hicov_ds_lang(ds)));
  HicovPeriod dp = hicov_period_year(t->deadline_year);
  int rc = hicov_dataset_units_at(ds, t->level, t->unit, &dp, units, nu);
  if (rc == HICOV_OK && *nu == 0)
    rc = hicov_set_error(ds, HICOV_MISSING,
                         T_(hicov_ds_lang(ds), "%s: the dataset has no %s below %s "
                            "(%s) in %d"), where,
                         hicov_level_word(t->level, hicov_ds_lang(ds)),
                         u->name ? u->name : u->code, u->code,
                         t->deadline_year);
  return rc;
}

int hicov_assess(HicovDataset *ds, const HicovResolution *res,
                 HicovAssessment **out, size_t *n)
{
  if (!ds || !res || !out || !n)
    return HICOV_INVALID;
  *out = NULL;
  *n = 0;
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  int first_m, last_m;
  if (hicov_dataset_month_span(ds, &first_m, &last_m) != HICOV_OK)
    first_m = last_m = 0;
  int first_year = first_m / 12, last_year = last_m / 12;

  HicovAssessment *arr = NULL;
  size_t cnt = 0, cap = 0;
  for (size_t ti = 0; ti < res->n_targets; ti++) {
    const HicovTarget *t = &res->targets[ti];
    size_t *units = NULL, nu = 0, single;
    if (t->level < 0) {
      if (hicov_dataset_find_unit(ds, t->unit, &single) != HICOV_OK) {
        hicov_free(arr);
        return hicov_set_error(ds, HICOV_NOTFOUND,
                               T_(hicov_ds_lang(ds), "target %zu: unknown unit '%s'"),
                               ti + 1, t->unit);
      }
      units = &single;
      nu = 1;
    } else if ((rc = target_units(ds, res, ti, &units, &nu))) {
      hicov_free(arr);
      return rc;
    }
    for (size_t k = 0; k < nu; k++) {
      if (hicov_grow((void **)&arr, &cap, cnt + 1, sizeof *arr)) {
        rc = HICOV_NOMEM;
        break;
      }
      rc = assess_one(ds, t, ti, ds->units[units[k]].code, first_year,
                      last_year, &arr[cnt]);
      if (rc)
        break;
      cnt++;
    }
    if (units != &single)
      hicov_free(units);
    if (rc) {
      hicov_free(arr);
      return rc;
    }
  }
  *out = arr;
  *n = cnt;
  return HICOV_OK;
}
