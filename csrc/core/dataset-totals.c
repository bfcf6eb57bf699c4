/* dataset-totals.c - exact measure totals of a unit, period and group,
 * over the dataset's observations and tree (dataset.c).
 *
 * Aggregation rules (documented in hicov.h and the README):
 *  - A unit's own observation wins.  Otherwise its value is the sum over its
 *    components: its current children (no valid_to) and the units merged
 *    into it; a unit with no current children (an abolished district) uses
 *    the children that existed during the period.  This re-aggregates
 *    series onto today's units without counting anything twice.
 *  - STOCK over time: the observation with the latest month-end inside the
 *    period.  FLOW: an exact observation, else the sum over a complete cover
 *    by years, quarters and months.  DISTINCT: exact observations only.
 *  - All groups: the group-less observation, else the sum over groups.
 */
#include <stdint.h>
#include <string.h>

#include "dataset-private.h"

/* ------------------------------------------------------------------------ */
/* Measure totals                                                            */

/* Range [lo, hi) of observations for (unit, measure, group). */
static void obs_range(const HicovDataset *ds, size_t unit, int measure,
                      int group, size_t *lo, size_t *hi)
{
  HicovObs key;
  memset(&key, 0, sizeof key);
  key.unit = (uint32_t)unit;
  key.measure = (uint16_t)measure;
  key.group = (uint16_t)group;
  key.last = INT32_MIN;
  key.first = INT32_MIN;
  size_t a = 0, b = ds->n_obs;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (hicov_obs_cmp(&ds->obs[mid], &key) < 0)
      a = mid + 1;
    else
      b = mid;
  }
  *lo = a;
  size_t e = a;
  while (e < ds->n_obs && ds->obs[e].unit == unit &&
         ds->obs[e].measure == measure && ds->obs[e].group == group)
    e++;
  *hi = e;
}

static long obs_exact(const HicovDataset *ds, size_t lo, size_t hi, int first,
                      int last)
{
  size_t a = lo, b = hi;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    const HicovObs *o = &ds->obs[mid];
    if (o->last < last || (o->last == last && o->first < first))
      a = mid + 1;
    else
      b = mid;
  }
  if (a < hi && ds->obs[a].last == last && ds->obs[a].first == first)
    return (long)a;
  return -1;
}

static void month_text(int m, char *buf, size_t n)
{
  HicovPeriod p = hicov_period_range(m, m);
  hicov_period_format(p, buf, n);
}

/* Records that an observation was used, while hicov_dataset_measure_sources
 * is collecting (the handle is not shared between threads). */
static inline void mark_source(const HicovDataset *ds, const HicovObs *o)
{
  if (ds->collect && o->source < 4096)
    ds->collect[o->source / 64] |= (uint64_t)1 << (o->source % 64);
}

/* Flow total over [first, last] from the observations [lo, hi). */
static int flow_cover(const HicovDataset *ds, size_t lo, size_t hi, int first,
                      int last, int64_t *sum, int *missing_month)
{
  long e = obs_exact(ds, lo, hi, first, last);
  if (e >= 0) {
    *sum = ds->obs[e].centi;
    mark_source(ds, &ds->obs[e]);
    return HICOV_OK;
  }
  int span = last - first + 1;
  if (span == 1) {
    *missing_month = first;
    return HICOV_MISSING;
  }
  /* Split into aligned years, quarters and months. */
  int64_t total = 0;
  for (int m = first; m <= last;) {
    int end;
    if (span == 12 && first % 12 == 0)
      end = m + 2; /* a year: by quarters */
    else if (span == 3 && first % 3 == 0)
      end = m;     /* a quarter: by months */
    else if (m % 12 == 0 && m + 11 <= last)
      end = m + 11;
    else if (m % 3 == 0 && m + 2 <= last)
      end = m + 2;
    else
      end = m;
    int64_t part;
    int rc = flow_cover(ds, lo, hi, m, end, &part, missing_month);
    if (rc)
      return rc;
    if (__builtin_add_overflow(total, part, &total))
      return HICOV_OVERFLOW;
    m = end + 1;
  }
  *sum = total;
  return HICOV_OK;
}

/* The unit's own value for one group index. */
static int own_value(const HicovDataset *ds, int kind, int measure,
                     size_t unit, HicovPeriod p, int group, int64_t *out,
                     int *missing_month)
{
  size_t lo, hi;
  obs_range(ds, unit, measure, group, &lo, &hi);
  if (lo == hi)
    return HICOV_NOTFOUND; /* no series at all */
  if (kind == HICOV_MEASURE_STOCK) {
    /* the last observation ending at or before the period's end; among
       those ending the same month, the shortest (sorted last) */
    size_t a = lo, b = hi;
    while (a < b) {
      size_t mid = a + (b - a) / 2;
      if (ds->obs[mid].last <= p.last)
        a = mid + 1;
      else
        b = mid;
    }
    if (a > lo && ds->obs[a - 1].last >= p.first) {
      *out = ds->obs[a - 1].centi;
      mark_source(ds, &ds->obs[a - 1]);
      return HICOV_OK;
    }
    *missing_month = p.last;
    return HICOV_MISSING;
  }
  if (kind == HICOV_MEASURE_DISTINCT) {
    long e = obs_exact(ds, lo, hi, p.first, p.last);
    if (e < 0) {
      *missing_month = -1;
      return HICOV_MISSING;
    }
    *out = ds->obs[e].centi;
    mark_source(ds, &ds->obs[e]);
    return HICOV_OK;
  }
  return flow_cover(ds, lo, hi, p.first, p.last, out, missing_month);
}

#define MAX_DEPTH 24

static int total_rec(HicovDataset *ds, int measure, size_t unit,
                     HicovPeriod p, int group, int64_t *out, char *reason,
                     size_t rsize, int depth, int skip_own);

/* Own value for a group, or for all groups: the group-less series, else
 * the sum over the groups that have a value. */
static int own_total(HicovDataset *ds, int kind, int measure, size_t unit,
                     HicovPeriod p, int group, int64_t *out, int *missing_month,
                     int *has_series)
{
  int rc = own_value(ds, kind, measure, unit, p, group, out, missing_month);
  if (rc != HICOV_NOTFOUND) {
    *has_series = 1;
    return rc;
  }
  if (group != 0)
    return HICOV_NOTFOUND;
  int64_t sum = 0;
  int found = 0, any_series = 0;
  for (size_t g = 1; g < ds->n_groups; g++) {
    int64_t v;
    int mm;
    int r = own_value(ds, kind, measure, unit, p, (int)g, &v, &mm);
    if (r == HICOV_NOTFOUND)
      continue;
    any_series = 1;
    if (r == HICOV_OK) {
      if (__builtin_add_overflow(sum, v, &sum))
        return HICOV_OVERFLOW;
      found = 1;
    } else if (r == HICOV_MISSING) {
      *missing_month = mm;
    }
  }
  if (found) {
    *out = sum;
    *has_series = 1;
    return HICOV_OK;
  }
  *has_series = any_series;
  return any_series ? HICOV_MISSING : HICOV_NOTFOUND;
}

static int total_rec(HicovDataset *ds, int measure, size_t unit,
                     HicovPeriod p, int group, int64_t *out, char *reason,
                     size_t rsize, int depth, int skip_own)
{
  const HicovUnitRec *u = &ds->units[unit];
  int kind = hicov_measures[measure].kind;
  int mm = -1, has_series = 0;
  char pt[24] = "";
  int rc = skip_own ? HICOV_NOTFOUND
                    : own_total(ds, kind, measure, unit, p, group, out, &mm, &has_series);
  if (rc == HICOV_OK || rc == HICOV_OVERFLOW)
    return rc;
  if (depth >= MAX_DEPTH) {
    hicov_fmt(reason, rsize, T_(ds->lang, "units nest deeper than %d levels "
                                "below %s"),
              MAX_DEPTH, u->code);
    return HICOV_MISSING;
  }
  if (kind == HICOV_MEASURE_DISTINCT) {
    hicov_period_format(p, pt, sizeof pt);
    hicov_fmt(reason, rsize, T_(ds->lang, "no %s value for %s exactly in %s "
              "(distinct counts cannot be summed over time or units)"),
              hicov_measures[measure].name,
              u->code, pt);
    return HICOV_MISSING;
  }
  /* Components: the children that exist at the end of the period, plus
   * the units merged into this one that still existed during it. */
  size_t n_exist = 0;
  for (size_t k = 0; k < u->n_children; k++)
    if (hicov_unit_exists_in(&ds->units[u->children[k]], p.first, p.last))
      n_exist++;
  int64_t sum = 0;
  size_t n_comp = 0, n_ok = 0, n_missing = 0, n_none = 0;
  const char *first_missing = NULL;
  char first_reason[160] = "";
  /* A unit that existed before others were merged into it and has no
   * children to sum has its own pre-merger territory as a component: with
   * no value of its own that part is missing. */
  if (u->n_merged && u->valid_from == 0 && n_exist == 0 && !skip_own) {
    n_comp++;
    n_missing++;
    first_missing = u->code;
    hicov_fmt(first_reason, sizeof first_reason,
              T_(ds->lang, "no %s data for %s itself"),
              hicov_measures[measure].name, u->code);
  }
  for (int pass = 0; pass < 2; pass++) {
    const size_t *list = pass == 0 ? u->children : u->merged;
    size_t n = pass == 0 ? u->n_children : u->n_merged;
    for (size_t k = 0; k < n; k++) {
      const HicovUnitRec *c = &ds->units[list[k]];
      if (pass == 0) {
        if (!hicov_unit_exists_in(c, p.first, p.last))
          continue;
      } else if (c->valid_to && p.first >= c->valid_to) {
        continue; /* merged away before the period: its data is not there */
      } else if (c->level != u->level || list[k] == unit) {
        continue; /* refused by the loader (K10), possible through the API:
                     such paths double at each level */
      }
      n_comp++;
      int64_t v;
      char r2[160] = "";
      int cr = total_rec(ds, measure, list[k], p, group, &v, r2, sizeof r2,
                         depth + 1, 0);
      if (cr == HICOV_OK) {
        if (__builtin_add_overflow(sum, v, &sum))
          return HICOV_OVERFLOW;
        n_ok++;
      } else if (cr == HICOV_OVERFLOW) {
        return cr;
      } else if (cr == HICOV_NOTFOUND &&
                 (kind == HICOV_MEASURE_FLOW || c->level == HICOV_LEVEL_FACILITY)) {
        /* a unit that never reports this flow (a facility without
           inpatient beds, say) adds nothing; facilities hold no
           population stocks */
        n_none++;
      } else {
        n_missing++;
        if (!first_missing) {
          first_missing = c->code;
          if (r2[0])
            memcpy(first_reason, r2, sizeof first_reason);
          else
            hicov_fmt(first_reason, sizeof first_reason,
                      T_(ds->lang, "no %s data for %s"),
                      hicov_measures[measure].name, c->code);
        }
      }
    }
  }
  if (n_ok && n_missing == 0) {
    *out = sum;
    return HICOV_OK;
  }
  if (!n_ok && !has_series && (n_comp == n_none)) {
    hicov_fmt(reason, rsize, T_(ds->lang, "no %s data for %s%s%s"),
              hicov_measures[measure].name, u->code,
              group ? T_(ds->lang, " in group ") : "",
              group ? ds->groups[group] : "");
    return HICOV_NOTFOUND;
  }
  /* Explain. */
  hicov_period_format(p, pt, sizeof pt);
  if (u->valid_to && p.last >= u->valid_to && !n_ok) {
    char vt[24];
    month_text(u->valid_to, vt, sizeof vt);
    if (u->successor_code)
      hicov_fmt(reason, rsize, T_(ds->lang, "%s was merged into %s from %s"),
                u->code,
                u->successor_code, vt);
    else
      hicov_fmt(reason, rsize, T_(ds->lang, "%s no longer exists from %s"),
                u->code, vt);
  } else if (n_ok && n_missing) {
    hicov_fmt(reason, rsize, T_(ds->lang, "%s missing for %zu of %zu units "
              "below %s in %s (first: %s)"), hicov_measures[measure].name,
              n_missing, n_comp - n_none,
              u->code, pt, first_missing);
  } else if (has_series && mm >= 0) {
    char mt[24];
    month_text(mm, mt, sizeof mt);
    if (kind == HICOV_MEASURE_STOCK)
      hicov_fmt(reason, rsize, T_(ds->lang, "no %s value for %s at any "
                                  "month-end in %s"),
                hicov_measures[measure].name, u->code, pt);
    else
      hicov_fmt(reason, rsize, T_(ds->lang, "no %s data for %s in %s (needed "
                                  "for %s)"),
                hicov_measures[measure].name, u->code, mt, pt);
  } else if (n_comp && first_reason[0]) {
    hicov_fmt(reason, rsize, "%s", first_reason);
  } else {
    hicov_fmt(reason, rsize, T_(ds->lang, "no %s data for %s%s%s"),
              hicov_measures[measure].name, u->code,
              group ? T_(ds->lang, " in group ") : "",
              group ? ds->groups[group] : "");
  }
  return HICOV_MISSING;
}

int hicov_measure_total(HicovDataset *ds, int measure, size_t unit,
                        HicovPeriod p, int group, int64_t *centi, char *reason,
                        size_t reason_size)
{
  char dummy[4];
  if (!reason) {
    reason = dummy;
    reason_size = sizeof dummy;
  }
  if (reason_size)
    reason[0] = '\0';
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  if (p.first > p.last) {
    hicov_fmt(reason, reason_size, "%s", T_(ds->lang, "invalid period"));
    return HICOV_INVALID;
  }
  rc = total_rec(ds, measure, unit, p, group, centi, reason, reason_size, 0, 0);
  if (rc == HICOV_NOTFOUND)
    rc = HICOV_MISSING; /* no data at all is a missing value, with reason */
  if (rc == HICOV_OVERFLOW)
    hicov_fmt(reason, reason_size, T_(ds->lang, "the sum of %s overflows 64 "
                                      "bits"),
              hicov_measures[measure].name);
  return rc;
}

int hicov_measure_components(HicovDataset *ds, int measure, size_t unit,
                             HicovPeriod p, int group, int64_t *centi)
{
  char reason[160];
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  if (hicov_measures[measure].kind == HICOV_MEASURE_DISTINCT)
    return HICOV_MISSING;
  rc = total_rec(ds, measure, unit, p, group, centi, reason, sizeof reason, 0, 1);
  return rc == HICOV_NOTFOUND ? HICOV_MISSING : rc;
}

int hicov_dataset_measure_sources(HicovDataset *ds, const char *measure,
                                  const char *unit, HicovPeriod period,
                                  const char *group, const char **out,
                                  size_t max, size_t *n)
{
  if (!ds || !n || (max && !out))
    return HICOV_INVALID;
  *n = 0;
  /* sources are interned up to 4096 (hicov_add_obs), so 64 words cover
     them */
  uint64_t bits[64];
  memset(bits, 0, sizeof bits);
  int64_t v;
  ds->collect = bits;
  int rc = hicov_dataset_measure(ds, measure, unit, period, group, &v, NULL, 0);
  ds->collect = NULL;
  if (rc)
    return rc;
  for (size_t i = 0; i < ds->n_sources && i < 4096; i++)
    if (bits[i / 64] & ((uint64_t)1 << (i % 64))) {
      if (*n < max)
        out[*n] = ds->sources[i];
      (*n)++;
    }
  return HICOV_OK;
}

int hicov_dataset_measure(HicovDataset *ds, const char *measure,
                          const char *unit, HicovPeriod period,
                          const char *group, int64_t *centi, char *reason,
                          size_t reason_size)
{
  if (!ds || !measure || !unit || !centi)
    return HICOV_INVALID;
  int m = hicov_measure_find(measure);
  if (m < 0) {
    hicov_fmt(reason, reason_size, T_(ds->lang, "unknown measure '%s'"),
              measure);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(ds->lang, "unknown measure '%s'"), measure);
  }
  long u = hicov_unit_index(ds, unit);
  if (u < 0) {
    hicov_fmt(reason, reason_size, T_(ds->lang, "unknown unit '%s'"), unit);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(ds->lang, "unknown unit '%s'"), unit);
  }
  int g = hicov_group_index(ds, group);
  if (g < 0) {
    hicov_fmt(reason, reason_size, T_(ds->lang, "no data for group '%s'"),
              group);
    return HICOV_MISSING;
  }
  return hicov_measure_total(ds, m, (size_t)u, period, g, centi, reason,
                             reason_size);
}
