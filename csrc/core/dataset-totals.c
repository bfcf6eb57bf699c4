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
  /* the unit's series of the measure when the index is up to date */
  if (ds->obs_sorted && ds->obs_index_ok && unit < ds->obs_unit_n &&
      measure >= 0 && measure < HICOV_M_COUNT) {
    size_t k = unit * HICOV_M_COUNT + (size_t)measure;
    a = ds->obs_unit_start[k];
    b = ds->obs_unit_start[k + 1];
    /* one group (the usual case): the whole series, no search */
    if (a == b || (ds->obs[a].group == group && ds->obs[b - 1].group == group)) {
      *lo = a;
      *hi = b;
      return;
    }
  }
  size_t end = b;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (hicov_obs_cmp(&ds->obs[mid], &key) < 0)
      a = mid + 1;
    else
      b = mid;
  }
  *lo = a;
  /* the end of the series: a second search, not a walk along it (a
     monthly series is long) */
  key.last = INT32_MAX;
  key.first = INT32_MAX;
  size_t e = end;
  while (a < e) {
    size_t mid = a + (e - a) / 2;
    if (hicov_obs_cmp(&ds->obs[mid], &key) <= 0)
      a = mid + 1;
    else
      e = mid;
  }
  *hi = a;
}

/* Where month `last` would be in [lo, hi) if the series were one value a
 * month without gaps (the usual monthly series): a guess, checked by the
 * callers, that saves their search. */
static size_t dense_guess(const HicovDataset *ds, size_t lo, size_t hi,
                          int last)
{
  long d = (long)last - (long)ds->obs[lo].last;
  return d >= 0 && (size_t)d < hi - lo ? lo + (size_t)d : hi;
}

static long obs_exact(const HicovDataset *ds, size_t lo, size_t hi, int first,
                      int last)
{
  if (lo == hi)
    return -1;
  size_t g = dense_guess(ds, lo, hi, last);
  if (g < hi && ds->obs[g].last == last && ds->obs[g].first == first)
    return (long)g; /* keys are unique: the one match */
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

/* The bitset of sources hicov_dataset_measure_sources is collecting into,
 * per thread: queries on one prepared dataset may run in several threads
 * at once (hicov_dataset_prepare_queries), so it is not on the handle. */
static _Thread_local uint64_t *collect;

/* The sources the walk of the total being kept has used so far, per
 * thread as above: what a kept total gives a later collection
 * (total_rec). */
static _Thread_local HicovMemoSources seen;

static void seen_add(HicovMemoSources *s, uint32_t source)
{
  for (uint8_t i = 0; i < s->n; i++)
    if (s->src[i] == source)
      return;
  if (s->n < HICOV_MEMO_SOURCES && source <= UINT16_MAX)
    s->src[s->n++] = (uint16_t)source;
  else
    s->over = 1;
}

static void seen_merge(HicovMemoSources *into, const HicovMemoSources *from)
{
  for (uint8_t i = 0; i < from->n; i++)
    seen_add(into, from->src[i]);
  into->over |= from->over;
}

static void collect_add(uint32_t source)
{
  if (collect && source < 4096)
    collect[source / 64] |= (uint64_t)1 << (source % 64);
}

/* Records that an observation was used, for hicov_dataset_measure_sources
 * and for the memo. */
static inline void mark_source(const HicovDataset *ds, const HicovObs *o)
{
  (void)ds;
  collect_add(o->source);
  seen_add(&seen, o->source);
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
    size_t g = dense_guess(ds, lo, hi, p.last);
    if (g < hi && ds->obs[g].last == p.last &&
        (g + 1 == hi || ds->obs[g + 1].last > p.last))
      a = b = g + 1; /* the search's answer, checked */
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
/* Units a total may visit: a crosswalk can make a unit reachable along
 * several paths; a history this large is refused, not walked. */
#define MAX_VISITS 1000000L

/* One total being taken: what, when and on which boundaries. */
typedef struct {
  HicovDataset *ds;
  int measure, kind, group;
  HicovPeriod p;
  int asof;      /* the boundaries at the end of this month; <= p.last:
                    as published */
  int estimate;  /* a crosswalk share was applied */
  int named;     /* the reason written names a predecessor without data */
  long visits;   /* units still allowed (MAX_VISITS) */
  int deepest;   /* the largest depth a total_rec has been called at */
} Tot;

static int total_rec(Tot *t, size_t unit, int64_t *out, char *reason,
                     size_t rsize, int depth, int skip_own, int extend);

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

/* A share of v, rounded half away from zero, exact in hundredths. */
static int64_t apply_share(int64_t v, int64_t ppm)
{
  __int128 x = (__int128)v * ppm;
  return (int64_t)((x + (x >= 0 ? 500000 : -500000)) / 1000000);
}

/* Did a predecessor whose own existence ended in `month` join the unit
 * after t's period and by its boundaries? */
static int joins_between(const Tot *t, int month)
{
  return month > t->p.last && month <= t->asof;
}

/* "Hòa Bình (merged into Phú Thọ on 2025-07-01)", "X (part of it joined Y
 * on 2025-07-01)" or "Phú Thọ itself", for reasons. */
static void predecessor_text(const Tot *t, size_t pred, size_t into,
                             const HicovSplitRec *split, int itself,
                             char *buf, size_t size)
{
  const HicovDataset *ds = t->ds;
  const HicovUnitRec *u = &ds->units[pred];
  char day[16];
  if (itself) {
    hicov_fmt(buf, size, T_(hicov_ds_lang(ds), "%s itself"), u->name);
  } else if (split) {
    hicov_date_text(split->date, split->month, day, sizeof day);
    hicov_fmt(buf, size, T_(hicov_ds_lang(ds), "%s (part of it joined %s on %s)"),
              u->name, ds->units[into].name, day);
  } else {
    hicov_date_text(u->to_date, u->valid_to, day, sizeof day);
    hicov_fmt(buf, size, T_(hicov_ds_lang(ds), "%s (merged into %s on %s)"), u->name,
              ds->units[into].name, day);
  }
}

/* Adds predecessor pred of `into` on t's boundaries (its share, for a
 * split) to *sum.  A facility that never reports the measure adds
 * nothing; any other predecessor without a value makes the total missing,
 * with a reason that names it. */
static int add_predecessor(Tot *t, size_t pred, size_t into,
                           const HicovSplitRec *split, int64_t *sum,
                           char *reason, size_t rsize, int depth)
{
  int64_t v;
  char r2[HICOV_REASON_MAX] = "";
  int named = t->named;
  t->named = 0;
  int rc = total_rec(t, pred, &v, r2, sizeof r2, depth + 1, 0, 1);
  if (rc == HICOV_OK) {
    if (split && split->share_ppm < 1000000) {
      v = apply_share(v, split->share_ppm);
      t->estimate = 1;
    }
    t->named = named;
    return __builtin_add_overflow(*sum, v, sum) ? HICOV_OVERFLOW : HICOV_OK;
  }
  if (rc == HICOV_OVERFLOW)
    return rc;
  if (rc == HICOV_NOTFOUND && t->ds->units[pred].level == HICOV_LEVEL_FACILITY) {
    t->named = named;
    return HICOV_OK;
  }
  if (t->named) {
    hicov_fmt(reason, rsize, "%s", r2);
  } else {
    char who[HICOV_REASON_MAX], pt[24];
    predecessor_text(t, pred, into, split, 0, who, sizeof who);
    hicov_period_format(t->p, pt, sizeof pt);
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(t->ds), "no %s data for %s in %s"),
              hicov_measure_word(hicov_measures[t->measure].name,
                                 hicov_ds_lang(t->ds)), who, pt);
  }
  t->named = 1;
  return HICOV_MISSING;
}

/* Adds to *sum what the unit's territory at t->asof held in t->p besides
 * the unit's own value: the units merged into it and the shares of the
 * units split into it after t->p and by t->asof. */
static int add_later_predecessors(Tot *t, size_t unit, int64_t *sum,
                                  char *reason, size_t rsize, int depth)
{
  const HicovDataset *ds = t->ds;
  const HicovUnitRec *u = &ds->units[unit];
  for (int pass = 0; pass < 2; pass++) {
    size_t n = pass == 0 ? u->n_merged : u->n_split_in;
    for (size_t k = 0; k < n; k++) {
      const HicovSplitRec *s = pass ? &ds->splits[u->split_in[k]] : NULL;
      size_t pred = s ? s->old_unit : u->merged[k];
      const HicovUnitRec *c = &ds->units[pred];
      if (!joins_between(t, s ? s->month : c->valid_to) ||
          (!s && (c->level != u->level || pred == unit)))
        continue; /* another level: refused by the loader (K10) */
      if (t->kind == HICOV_MEASURE_DISTINCT) {
        char who[HICOV_REASON_MAX];
        predecessor_text(t, pred, unit, s, 0, who, sizeof who);
        hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no like-for-like %s: %s, and "
                  "distinct counts cannot be added up over units"),
                  hicov_measure_word(hicov_measures[t->measure].name, hicov_ds_lang(ds)), who);
        t->named = 1;
        return HICOV_MISSING;
      }
      if (depth >= MAX_DEPTH) {
        char ut[HICOV_UNIT_TEXT_MAX];
        hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "units nest deeper than %d "
                                    "levels below %s"), MAX_DEPTH,
                  hicov_unit_text(ds, unit, ut, sizeof ut));
        return HICOV_MISSING;
      }
      int rc = add_predecessor(t, pred, unit, s, sum, reason, rsize, depth);
      if (rc)
        return rc;
    }
  }
  return HICOV_OK;
}

/* What the sum over a unit's components found. */
typedef struct {
  int64_t sum;
  size_t n_comp, n_ok, n_missing, n_none;
  size_t n_missing_other; /* missing components that are not predecessors */
  size_t n_strict_none;   /* predecessors, joining after the period, that
                             never report the measure (missing, but if
                             nothing has data, the unit has none either) */
  size_t n_ok_area;       /* components with a value that are areas with
                             no facility below (their own reports) */
  size_t n_silent;        /* ... that never report the measure and have no
                             facility below (silent_missing) */
  size_t first_silent;
  int has_first;        /* first_unit is set */
  size_t first_unit;    /* the first component without a value */
  char first_reason[HICOV_REASON_MAX];
  int first_named;
  /* predecessors without a value, for the reason */
  struct { size_t unit; const HicovSplitRec *split; int itself; } pred[4];
  size_t n_pred, n_pred_joined;
} Comps;

static void note_missing_predecessor(Comps *cs, size_t unit,
                                     const HicovSplitRec *split, int itself)
{
  if (cs->n_pred < sizeof cs->pred / sizeof cs->pred[0]) {
    cs->pred[cs->n_pred].unit = unit;
    cs->pred[cs->n_pred].split = split;
    cs->pred[cs->n_pred].itself = itself;
  }
  cs->n_pred++;
  if (!itself)
    cs->n_pred_joined++;
}

/* Adds component c of unit to cs: a child (role 0), a unit merged into it
 * (role 1) or a unit split into it (role 2, split). */
static int add_component(Tot *t, size_t unit, size_t c, int role,
                         const HicovSplitRec *split, Comps *cs, int depth,
                         int extend)
{
  const HicovDataset *ds = t->ds;
  const HicovUnitRec *cu = &ds->units[c];
  cs->n_comp++;
  int64_t v;
  char r2[HICOV_REASON_MAX];
  r2[0] = '\0'; /* not the whole buffer: this runs once per commune */
  t->named = 0;
  int cr = total_rec(t, c, &v, r2, sizeof r2, depth + 1, 0, role ? extend : 0);
  /* a predecessor joining after the period, on later boundaries, has to
     have a value: nothing from it is a gap, not a zero */
  int strict = role && extend &&
               joins_between(t, split ? split->month : cu->valid_to) &&
               cu->level != HICOV_LEVEL_FACILITY;
  if (cr == HICOV_OK) {
    if (split && split->share_ppm < 1000000) {
      v = apply_share(v, split->share_ppm);
      t->estimate = 1;
    }
    if (__builtin_add_overflow(cs->sum, v, &cs->sum))
      return HICOV_OVERFLOW;
    cs->n_ok++;
    cs->n_ok_area += cu->level != HICOV_LEVEL_FACILITY && !cu->facility_below;
    return HICOV_OK;
  }
  if (cr == HICOV_OVERFLOW)
    return cr;
  if (cr == HICOV_NOTFOUND && !strict &&
      (t->kind == HICOV_MEASURE_FLOW || cu->level == HICOV_LEVEL_FACILITY)) {
    /* a unit that never reports this flow (a facility without inpatient
       beds, say) adds nothing; facilities hold no population stocks */
    cs->n_none++;
    if (cu->level != HICOV_LEVEL_FACILITY && !cu->facility_below &&
        !cs->n_silent++)
      cs->first_silent = c;
    return HICOV_OK;
  }
  cs->n_missing++;
  cs->n_strict_none += strict && cr == HICOV_NOTFOUND;
  if (role)
    note_missing_predecessor(cs, c, split, 0);
  else
    cs->n_missing_other++;
  if (!cs->has_first) {
    cs->has_first = 1;
    cs->first_unit = c;
    cs->first_named = t->named;
    if (r2[0])
      hicov_fmt(cs->first_reason, sizeof cs->first_reason, "%s", r2);
    else {
      char ut[HICOV_UNIT_TEXT_MAX];
      hicov_fmt(cs->first_reason, sizeof cs->first_reason,
                T_(hicov_ds_lang(ds), "no %s data for %s"),
                hicov_measure_word(hicov_measures[t->measure].name, hicov_ds_lang(ds)),
                hicov_unit_text(ds, c, ut, sizeof ut));
    }
  }
  return HICOV_OK;
}

/* Whether a unit merged into `unit` (m), or split into it (s), is part of
 * unit's sum over t's period.  A unit merged away before the period is
 * not.  A unit that existed at the end of the period was, then, without
 * the units that joined it later: those were still their parent's, which
 * counts them; they join it on later boundaries only (extend).  A unit
 * formed later takes them all: its history on today's units.  A stock is
 * valued at the end of the period: a unit gone by then is not there when
 * children are (gone_skip), which hold its territory. */
static int joined_in_sum(const Tot *t, const HicovUnitRec *u, size_t unit,
                         size_t m, const HicovSplitRec *s, int existed,
                         int gone_skip, int extend)
{
  const HicovDataset *ds = t->ds;
  int end = s ? s->month : ds->units[m].valid_to;
  if (!s && (ds->units[m].level != u->level || m == unit))
    return 0; /* refused by the loader (K10), possible through the API:
                 such paths double at each level */
  if ((end || s) && t->p.first >= end)
    return 0;
  if (existed && end > t->p.last && !(extend && joins_between(t, end)))
    return 0;
  if (gone_skip && (end || s) && end <= t->p.last)
    return 0;
  return 1;
}

/* Sums the components of unit over t's period: the children that exist at
 * the end of the period, the units merged or split into it that are
 * part of it then (joined_in_sum), and the facilities it holds while
 * their parent does not exist (hicov_facility_holder). */
static int sum_components(Tot *t, size_t unit, Comps *cs, int depth,
                          int skip_own, int extend)
{
  const HicovDataset *ds = t->ds;
  const HicovUnitRec *u = &ds->units[unit];
  HicovPeriod p = t->p;
  size_t n_exist = 0;
  int n_joined = 0;
  for (size_t k = 0; k < u->n_children; k++)
    if (hicov_unit_exists_in(&ds->units[u->children[k]], p.first, p.last))
      n_exist++;
  int existed = hicov_unit_exists_in(u, p.first, p.last);
  int gone_skip = t->kind == HICOV_MEASURE_STOCK && n_exist > 0;
  for (size_t k = 0; k < u->n_merged; k++)
    n_joined += joined_in_sum(t, u, unit, u->merged[k], NULL, existed,
                              gone_skip, extend);
  for (size_t k = 0; k < u->n_split_in; k++)
    n_joined += joined_in_sum(t, u, unit, 0, &ds->splits[u->split_in[k]],
                              existed, gone_skip, extend);
  /* A unit that existed before others joined it and has no children to
   * sum has its own territory of before as a component besides them: with
   * no value of its own that part is missing. */
  if (n_joined && u->valid_from == 0 && n_exist == 0 && !skip_own) {
    cs->n_comp++;
    cs->n_missing++;
    note_missing_predecessor(cs, unit, NULL, 1);
    cs->has_first = 1;
    cs->first_unit = unit;
    char ut[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(cs->first_reason, sizeof cs->first_reason,
              T_(hicov_ds_lang(ds), "no %s data for %s itself"),
              hicov_measure_word(hicov_measures[t->measure].name, hicov_ds_lang(ds)),
              hicov_unit_text(ds, unit, ut, sizeof ut));
  }
  int rc = HICOV_OK;
  for (size_t k = 0; k < u->n_children && rc == HICOV_OK; k++)
    if (hicov_unit_exists_in(&ds->units[u->children[k]], p.first, p.last))
      rc = add_component(t, unit, u->children[k], 0, NULL, cs, depth, extend);
  for (size_t k = 0; k < u->n_merged && rc == HICOV_OK; k++)
    if (joined_in_sum(t, u, unit, u->merged[k], NULL, existed, gone_skip,
                      extend))
      rc = add_component(t, unit, u->merged[k], 1, NULL, cs, depth, extend);
  for (size_t k = 0; k < u->n_split_in && rc == HICOV_OK; k++) {
    const HicovSplitRec *s = &ds->splits[u->split_in[k]];
    if (joined_in_sum(t, u, unit, 0, s, existed, gone_skip, extend))
      rc = add_component(t, unit, s->old_unit, 2, s, cs, depth, extend);
  }
  /* facilities re-attached here while their parent does not exist */
  for (size_t k = 0; k < u->n_fosters && rc == HICOV_OK; k++) {
    size_t f = u->fosters[k];
    if (hicov_unit_exists_in(&ds->units[f], p.first, p.last) &&
        hicov_facility_holder(ds, f, p.first, p.last) == (long)unit)
      rc = add_component(t, unit, f, 0, NULL, cs, depth, extend);
  }
  return rc;
}

/* Where areas report a flow themselves (a workbook of communes, no
 * facilities listed below them), an area that never reports it while a
 * sibling area does is a gap, not a zero: the sum would be the reporting
 * part of the territory (one commune's 1,830 visits as a province's).
 * Where facilities are listed, silence stays a zero: the list says where
 * care is given, and a station without beds never reports inpatient
 * days. */
static void silent_missing(Comps *cs)
{
  if (!cs->n_silent || !cs->n_ok_area)
    return;
  cs->n_none -= cs->n_silent;
  cs->n_missing += cs->n_silent;
  cs->n_missing_other += cs->n_silent;
  if (!cs->has_first) {
    cs->has_first = 1;
    cs->first_unit = cs->first_silent;
  }
}

/* The reason a unit without a value of its own has no total either. */
static void explain_missing(Tot *t, size_t unit, const Comps *cs,
                            int has_series, int mm, char *reason,
                            size_t rsize)
{
  const HicovDataset *ds = t->ds;
  const HicovUnitRec *u = &ds->units[unit];
  const char *mname = hicov_measure_word(hicov_measures[t->measure].name,
                                         hicov_ds_lang(ds));
  int group = t->group;
  char pt[24], ut[HICOV_UNIT_TEXT_MAX];
  hicov_period_format(t->p, pt, sizeof pt);
  hicov_unit_text(ds, unit, ut, sizeof ut);
  t->named = 0;
  if (u->valid_to && t->p.last >= u->valid_to && !cs->n_ok) {
    char vt[24];
    month_text(u->valid_to, vt, sizeof vt);
    if (u->successor >= 0) {
      char st[HICOV_UNIT_TEXT_MAX];
      hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "%s was merged into %s from %s"),
                ut, hicov_unit_text(ds, (size_t)u->successor, st, sizeof st), vt);
    } else if (u->successor_code) {
      hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "%s was merged into %s from %s"),
                ut, u->successor_code, vt);
    } else {
      hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "%s no longer exists from %s"),
                ut, vt);
    }
  } else if (cs->n_missing && !cs->n_missing_other && cs->n_pred_joined &&
             !(has_series && mm >= 0)) {
    /* only predecessors lack data (the unit's own series has no gap then):
       name them */
    char list[HICOV_REASON_MAX] = "", item[HICOV_REASON_MAX];
    size_t shown = cs->n_pred < 4 ? cs->n_pred : 4;
    for (size_t k = 0; k < shown; k++) {
      predecessor_text(t, cs->pred[k].unit, unit, cs->pred[k].split,
                       cs->pred[k].itself, item, sizeof item);
      size_t len = strlen(list);
      hicov_fmt(list + len, sizeof list - len, "%s%s", k ? ", " : "", item);
    }
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s data in %s for %s"), mname,
              pt, list);
    t->named = 1;
  } else if (cs->n_ok && cs->n_missing) {
    char ft[HICOV_UNIT_TEXT_MAX];
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "%s missing for %zu of %zu units "
              "below %s in %s (first: %s)"), mname, cs->n_missing,
              cs->n_comp - cs->n_none, ut, pt,
              hicov_unit_text(ds, cs->first_unit, ft, sizeof ft));
  } else if (has_series && mm >= 0) {
    char mt[24];
    month_text(mm, mt, sizeof mt);
    if (t->kind == HICOV_MEASURE_STOCK)
      hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s value for %s at any "
                                  "month-end in %s"), mname, ut, pt);
    else
      hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s data for %s in %s (needed "
                                  "for %s)"), mname, ut, mt, pt);
  } else if (cs->n_comp && cs->first_reason[0]) {
    hicov_fmt(reason, rsize, "%s", cs->first_reason);
    t->named = cs->first_named;
  } else {
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s data for %s%s%s"), mname,
              ut, group ? T_(hicov_ds_lang(ds), " in group ") : "",
              group ? ds->groups[group] : "");
  }
}

static int total_walk(Tot *t, size_t unit, int64_t *out, char *reason,
                      size_t rsize, int depth, int skip_own, int extend)
{
  HicovDataset *ds = t->ds;
  int mm = -1, has_series = 0;
  char ut[HICOV_UNIT_TEXT_MAX];
  if (depth > t->deepest)
    t->deepest = depth;
  if (--t->visits < 0) {
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "the history of the units below "
                                "%s is too long to follow"),
              hicov_unit_text(ds, unit, ut, sizeof ut));
    return HICOV_MISSING;
  }
  int rc = skip_own ? HICOV_NOTFOUND
                    : own_total(ds, t->kind, t->measure, unit, t->p, t->group,
                                out, &mm, &has_series);
  if (rc == HICOV_OK && extend && t->asof > t->p.last)
    return add_later_predecessors(t, unit, out, reason, rsize, depth);
  if (rc == HICOV_OK || rc == HICOV_OVERFLOW)
    return rc;
  if (depth >= MAX_DEPTH) {
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "units nest deeper than %d levels "
                                "below %s"),
              MAX_DEPTH, hicov_unit_text(ds, unit, ut, sizeof ut));
    return HICOV_MISSING;
  }
  if (t->kind == HICOV_MEASURE_DISTINCT) {
    char pt[24];
    hicov_period_format(t->p, pt, sizeof pt);
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s value for %s exactly in %s "
              "(distinct counts cannot be summed over time or units)"),
              hicov_measure_word(hicov_measures[t->measure].name, hicov_ds_lang(ds)),
              hicov_unit_text(ds, unit, ut, sizeof ut), pt);
    return HICOV_MISSING;
  }
  Comps cs;
  memset(&cs, 0, sizeof cs);
  rc = sum_components(t, unit, &cs, depth, skip_own, extend);
  if (rc)
    return rc;
  silent_missing(&cs);
  if (cs.n_ok && cs.n_missing == 0) {
    *out = cs.sum;
    return HICOV_OK;
  }
  if (!cs.n_ok && !has_series &&
      cs.n_comp == cs.n_none + cs.n_strict_none) {
    hicov_fmt(reason, rsize, T_(hicov_ds_lang(ds), "no %s data for %s%s%s"),
              hicov_measure_word(hicov_measures[t->measure].name, hicov_ds_lang(ds)),
              hicov_unit_text(ds, unit, ut, sizeof ut),
              t->group ? T_(hicov_ds_lang(ds), " in group ") : "",
              t->group ? ds->groups[t->group] : "");
    return HICOV_NOTFOUND;
  }
  explain_missing(t, unit, &cs, has_series, mm, reason, rsize);
  return HICOV_MISSING;
}

/* The language of the reasons a walk on ds writes now (1 English, 2
 * Vietnamese): a kept missing total serves only walks in the same. */
static uint8_t reason_lang(const HicovDataset *ds)
{
  return !strcmp(hicov_text_lang(hicov_ds_lang(ds)), "vi") ? 2 : 1;
}

/* A unit's total, from the memo (dataset-memo.c) when an aggregate's was
 * taken before.  The walk is a function of the key and of three things
 * of its caller, which the memo accounts for so that a kept total gives
 * exactly what walking again would: the units still allowed (a kept total
 * is used only if the budget covers the units it visited), the depth (only
 * if the units it reached stay within MAX_DEPTH from here), and the flags
 * it leaves (estimate, named; every caller enters with named 0).  It also
 * gives the sources the walk used, for hicov_dataset_measure_sources,
 * when they were few enough to keep, and a missing total's reason (every
 * caller passes an empty buffer).  The boundary month and extend
 * matter only when the walk extends past the period: otherwise they are
 * keyed as the period's end.  Leaves are not kept: their own value is one
 * search away. */
static int total_rec(Tot *t, size_t unit, int64_t *out, char *reason,
                     size_t rsize, int depth, int skip_own, int extend)
{
  const HicovUnitRec *u = &t->ds->units[unit];
  if (!u->n_children && !u->n_merged && !u->n_split_in && !u->n_fosters)
    return total_walk(t, unit, out, reason, rsize, depth, skip_own, extend);
  HicovMemoKey k;
  memset(&k, 0, sizeof k);
  k.unit = (uint32_t)unit;
  k.measure = (uint16_t)t->measure;
  k.group = (uint16_t)t->group;
  k.first = t->p.first;
  k.last = t->p.last;
  /* Without a later boundary month, extend changes nothing (every use of
     it goes through joins_between, false then): the unit reached as a
     child and asked for itself share one total. */
  int later = extend && t->asof > t->p.last;
  k.asof = later ? t->asof : t->p.last;
  k.flags = (uint8_t)((skip_own ? HICOV_MEMO_SKIP_OWN : 0) |
                      (later ? HICOV_MEMO_EXTEND : 0));
  HicovMemoValue v;
  if (hicov_memo_get(t->ds, &k, &v) && t->visits >= (long)v.visits &&
      depth + v.height < MAX_DEPTH && !(collect && v.sources.over) &&
      (v.rc == HICOV_OK || v.lang == reason_lang(t->ds))) {
    t->visits -= (long)v.visits;
    t->estimate |= v.estimate;
    t->named = v.named;
    if (depth + v.height > t->deepest)
      t->deepest = depth + v.height;
    for (uint8_t i = 0; i < v.sources.n; i++)
      collect_add(v.sources.src[i]);
    seen_merge(&seen, &v.sources);
    if (v.rc != HICOV_OK) {
      hicov_fmt(reason, rsize, "%s", v.reason);
      return v.rc;
    }
    *out = v.centi;
    return HICOV_OK;
  }
  long visits = t->visits;
  int estimate = t->estimate, deepest = t->deepest;
  HicovMemoSources outer = seen;
  memset(&seen, 0, sizeof seen);
  t->estimate = 0;
  t->deepest = depth;
  int rc = total_walk(t, unit, out, reason, rsize, depth, skip_own, extend);
  memset(&v, 0, sizeof v);
  v.visits = (uint32_t)(visits - t->visits);
  v.height = (uint8_t)(t->deepest - depth);
  v.estimate = (uint8_t)t->estimate;
  v.named = (uint8_t)t->named;
  v.sources = seen;
  v.rc = (uint8_t)rc;
  if (rc == HICOV_OK) {
    v.centi = *out;
    hicov_memo_put(t->ds, &k, &v);
  } else if ((rc == HICOV_MISSING || rc == HICOV_NOTFOUND) &&
             t->visits >= 0 && t->deepest < MAX_DEPTH &&
             strlen(reason) + 4 < rsize) {
    /* kept only when no limit was met and the reason was not cut short
       (hicov_fmt cuts to rsize - 1 bytes, then up to 3 more of a letter
       cut inside): then walking again writes the same text, cut to the
       buffer given */
    v.lang = reason_lang(t->ds);
    v.reason = reason;
    hicov_memo_put(t->ds, &k, &v);
  }
  seen_merge(&outer, &seen);
  seen = outer;
  t->estimate |= estimate;
  if (deepest > t->deepest)
    t->deepest = deepest;
  return rc;
}

int hicov_measure_total_on(HicovDataset *ds, int measure, size_t unit,
                           HicovPeriod p, int asof, int group,
                           int64_t *centi, int *estimate, char *reason,
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
    hicov_fmt(reason, reason_size, "%s", T_(hicov_ds_lang(ds), "invalid period"));
    return HICOV_INVALID;
  }
  Tot t;
  memset(&t, 0, sizeof t);
  t.ds = ds;
  t.measure = measure;
  t.kind = hicov_measures[measure].kind;
  t.group = group;
  t.p = p;
  t.asof = ds->boundaries == HICOV_BOUNDARIES_AS_PUBLISHED ? p.last : asof;
  t.visits = MAX_VISITS;
  rc = total_rec(&t, unit, centi, reason, reason_size, 0, 0, 1);
  if (rc == HICOV_NOTFOUND)
    rc = HICOV_MISSING; /* no data at all is a missing value, with reason */
  if (rc == HICOV_OVERFLOW)
    hicov_fmt(reason, reason_size, T_(hicov_ds_lang(ds), "the sum of %s overflows 64 "
                                      "bits"),
              hicov_measures[measure].name);
  if (rc == HICOV_OK && estimate && t.estimate)
    *estimate = 1;
  return rc;
}

int hicov_measure_total(HicovDataset *ds, int measure, size_t unit,
                        HicovPeriod p, int group, int64_t *centi, char *reason,
                        size_t reason_size)
{
  return hicov_measure_total_on(ds, measure, unit, p, p.last, group, centi,
                                NULL, reason, reason_size);
}

int hicov_measure_components(HicovDataset *ds, int measure, size_t unit,
                             HicovPeriod p, int group, int64_t *centi)
{
  char reason[HICOV_REASON_MAX];
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  if (hicov_measures[measure].kind == HICOV_MEASURE_DISTINCT)
    return HICOV_MISSING;
  Tot t;
  memset(&t, 0, sizeof t);
  t.ds = ds;
  t.measure = measure;
  t.kind = hicov_measures[measure].kind;
  t.group = group;
  t.p = p;
  t.asof = p.last;
  t.visits = MAX_VISITS;
  rc = total_rec(&t, unit, centi, reason, sizeof reason, 0, 1, 0);
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
  collect = bits;
  int rc = hicov_dataset_measure(ds, measure, unit, period, group, &v, NULL, 0);
  collect = NULL;
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

/* A source names an estimate when its text says so, in either language
 * ("published estimate", "ước tính"): the one rule for the report's
 * verdicts and the dashboard's figures. */
int hicov_measure_estimated(HicovDataset *ds, const char *measure,
                            const char *unit, HicovPeriod period)
{
  const char *src[16];
  size_t n = 0;
  if (hicov_dataset_measure_sources(ds, measure, unit, period, NULL, src, 16,
                                    &n) != HICOV_OK)
    return 0;
  for (size_t i = 0; i < n && i < 16; i++)
    if (strstr(src[i], "estimate") || strstr(src[i], "ước tính"))
      return 1;
  return 0;
}

int hicov_dataset_measure(HicovDataset *ds, const char *measure,
                          const char *unit, HicovPeriod period,
                          const char *group, int64_t *centi, char *reason,
                          size_t reason_size)
{
  return hicov_dataset_measure_on(ds, measure, unit, period, period.last,
                                  group, centi, NULL, reason, reason_size);
}

int hicov_dataset_measure_on(HicovDataset *ds, const char *measure,
                             const char *unit, HicovPeriod period,
                             int boundary_month, const char *group,
                             int64_t *centi, int *estimate, char *reason,
                             size_t reason_size)
{
  if (estimate)
    *estimate = 0;
  if (!ds || !measure || !unit || !centi)
    return HICOV_INVALID;
  int m = hicov_measure_find(measure);
  if (m < 0) {
    hicov_fmt(reason, reason_size, T_(hicov_ds_lang(ds), "unknown measure '%s'"),
              measure);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown measure '%s'"), measure);
  }
  long u = hicov_unit_index(ds, unit);
  if (u < 0) {
    hicov_fmt(reason, reason_size, T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
  }
  int g = hicov_group_index(ds, group);
  if (g < 0) {
    hicov_fmt(reason, reason_size, T_(hicov_ds_lang(ds), "no data for group '%s'"),
              group);
    return HICOV_MISSING;
  }
  return hicov_measure_total_on(ds, m, (size_t)u, period, boundary_month, g,
                                centi, estimate, reason, reason_size);
}

static size_t predecessors_rec(const HicovDataset *ds, size_t unit, int after,
                               int by, const char **out, size_t max,
                               size_t n, int depth)
{
  const HicovUnitRec *u = &ds->units[unit];
  for (int pass = 0; pass < 2 && depth < MAX_DEPTH; pass++) {
    size_t cnt = pass ? u->n_split_in : u->n_merged;
    for (size_t k = 0; k < cnt; k++) {
      const HicovSplitRec *s = pass ? &ds->splits[u->split_in[k]] : NULL;
      size_t pred = s ? s->old_unit : u->merged[k];
      int month = s ? s->month : ds->units[pred].valid_to;
      if (month <= after || month > by ||
          (!s && (ds->units[pred].level != u->level || pred == unit)))
        continue;
      if (n < max)
        out[n] = ds->units[pred].code;
      n = predecessors_rec(ds, pred, after, by, out, max, n + 1, depth + 1);
    }
  }
  return n;
}

size_t hicov_dataset_predecessors(HicovDataset *ds, const char *unit,
                                  int after, int by, const char **out,
                                  size_t max)
{
  if (!ds || !unit || (max && !out) || hicov_dataset_prepare(ds))
    return 0;
  long u = hicov_unit_index(ds, unit);
  if (u < 0)
    return 0;
  return predecessors_rec(ds, (size_t)u, after, by, out, max, 0, 0);
}
