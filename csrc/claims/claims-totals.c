/* claims-totals.c - what the claims add up to: the totals (distinct
 * patients counted on two threads after a threaded read), distinct
 * patients and those past the fund thresholds per unit and period, and
 * the visits per facility tier. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "claims-private.h"

/* Distinct patients in [lo, hi) into *n (errors on c's message). */
static int count_patients_it(const HicovClaims *c, uint64_t lo, uint64_t hi,
                             int64_t *n, TripIter *err_out)
{
  TripIter it;
  int rc = claims_trip_iter_range(c, &it, lo, hi);
  *n = 0;
  if (!rc) {
    ClaimsTriple t;
    uint64_t last = 0;
    int more, any = 0;
    while (!(rc = claims_trip_iter_next(&it, &t, &more)) && more) {
      if (!any || t.patient != last)
        (*n)++;
      last = t.patient;
      any = 1;
    }
  }
  if (err_out) {
    memcpy(err_out->err, it.err, sizeof it.err);
  }
  claims_trip_iter_close(&it);
  return rc;
}

static int count_patients(const HicovClaims *c, uint64_t lo, uint64_t hi,
                          int64_t *n)
{
  TripIter e;
  memset(&e, 0, sizeof e);
  int rc = count_patients_it(c, lo, hi, n, &e);
  return rc ? claims_trip_iter_error((HicovClaims *)c, &e, rc) : rc;
}

typedef struct {
  const HicovClaims *c;
  uint64_t lo, hi;
  int64_t n;
  int rc;
  TripIter it_err; /* only its message is used */
} PatientCount;

static void *count_patients_job(void *arg)
{
  PatientCount *p = arg;
  memset(&p->it_err, 0, sizeof p->it_err);
  p->rc = count_patients_it(p->c, p->lo, p->hi, &p->n, &p->it_err);
  return NULL;
}

/* Where to split the count of patients between two threads: the median
 * of the runs' middle patients (each run is a sample of the whole), or 0
 * not to split (one thread read, a table still holding triples, or too
 * few triples to be worth a thread). */
static int trip_pivot(const HicovClaims *c, uint64_t *pivot)
{
  *pivot = 0;
  uint64_t total = 0;
  for (size_t k = 0; k < c->spill.n_run; k++)
    total += c->spill.run[k].n;
  if (c->threads < 2 || c->n_trip || c->spill.n_run < 2 || total < 16384)
    return HICOV_OK;
  uint64_t *mid = hicov_malloc(c->spill.n_run * sizeof *mid);
  if (!mid)
    return HICOV_NOMEM;
  size_t m = 0;
  int rc = HICOV_OK;
  for (size_t k = 0; k < c->spill.n_run && !rc; k++) {
    ClaimsTriple t;
    if (!c->spill.run[k].n)
      continue;
    if (claims_pread_all(c->spill.fd, &t, sizeof t, c->spill.run[k].off +
                         c->spill.run[k].n / 2 * sizeof t)) {
      char msg[320];
      claims_tmp_error(msg, sizeof msg, c->lang, CLAIMS_TMP_PATIENTS,
                       CLAIMS_TMP_READ, errno);
      rc = claims_error((HicovClaims *)c, HICOV_IO, "%s", msg);
      break;
    }
    mid[m++] = t.patient;
  }
  if (!rc && m) {
    qsort(mid, m, sizeof *mid, cmp_u64);
    *pivot = mid[m / 2];
  }
  hicov_free(mid);
  return rc;
}

typedef struct {
  const HicovClaims *c;
  HicovClaimsTotals *out;
} CellTotals;

/* Sums cells into the totals (copies of a cell add up as the cell). */
static int cell_totals(void *ctx, const ClaimsCell *e, size_t n)
{
  CellTotals *ct = ctx;
  HicovClaimsTotals *out = ct->out;
  int64_t *t[6] = { &out->visits, &out->inpatient_visits,
                    &out->inpatient_days, &out->total_cost, &out->fund_paid,
                    &out->copay };
  for (size_t i = 0; i < n; i++, e++) {
    for (int k = 0; k < 6; k++)
      if (__builtin_add_overflow(*t[k], cell_v(e, k), t[k])) {
        static const char *const what[6] = {
          NC_("claims sum", "visits"), NC_("claims sum", "inpatient visits"),
          NC_("claims sum", "inpatient days"), NC_("claims sum", "total cost"),
          NC_("claims sum", "fund paid"), NC_("claims sum", "co-payment"),
        };
        /* a const handle's message buffer is written all the same, as
           on the other failures of a query */
        const char *lang = ct->c->lang;
        hicov_fmt(((HicovClaims *)ct->c)->errmsg, sizeof ct->c->errmsg,
                  T_(lang, "the total of %s overflows 64 bits"),
                  hicov_text(lang, what[k]));
        return HICOV_OVERFLOW;
      }
    if (!out->first_month || e->month < out->first_month)
      out->first_month = e->month;
    if (e->month > out->last_month)
      out->last_month = e->month;
  }
  return HICOV_OK;
}

int hicov_claims_totals(const HicovClaims *c, HicovClaimsTotals *out)
{
  if (!c || !out)
    return HICOV_INVALID;
  memset(out, 0, sizeof *out);
  CellTotals ct = { c, out };
  int rc = claims_cells_each(c, cell_totals, &ct);
  if (rc)
    return rc;
  out->facilities = (int64_t)c->n_fac;
  /* distinct patients: the triples come in patient order.  After a read
     on several threads, with every triple in runs, the patients below
     and above a pivot are counted on two threads (a patient's triples
     all fall on one side): this merge was the totals' serial time. */
  uint64_t pivot;
  rc = trip_pivot(c, &pivot);
  if (rc)
    return rc;
  if (!pivot)
    return count_patients(c, 0, UINT64_MAX, &out->patients);
  PatientCount hi = { c, pivot, UINT64_MAX, 0, HICOV_OK };
  pthread_t th;
  int threaded = !pthread_create(&th, NULL, count_patients_job, &hi);
  if (!threaded)
    count_patients_job(&hi);
  rc = count_patients(c, 0, pivot, &out->patients);
  if (threaded)
    pthread_join(th, NULL);
  if (!rc && (rc = hi.rc))
    /* the upper half's message is on its own iterator: say it here */
    claims_trip_iter_error((HicovClaims *)c, &hi.it_err, rc);
  out->patients += hi.n;
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Distinct patients per unit and period                                     */

/* One patient's fund at one unit in one period (see hicov_claims_distinct). */
typedef struct {
  uint32_t scope;
  int32_t period; /* month index, or -(year) for a whole year */
  int64_t fund;
} DistEntry;

static int cmp_dist(const void *a, const void *b)
{
  const DistEntry *x = a, *y = b;
  if (x->scope != y->scope)
    return x->scope < y->scope ? -1 : 1;
  return (x->period > y->period) - (x->period < y->period);
}

/* The counts of one unit and period, in an open-addressing table. */
typedef struct {
  uint32_t scope;
  int32_t period;
  int used;
  int64_t patients, p500, p1b;
} DistCount;

typedef struct {
  DistCount *v;
  size_t n, cap;
} DistTable;

static int cmp_count(const void *a, const void *b)
{
  const DistCount *x = a, *y = b;
  if (x->scope != y->scope)
    return x->scope < y->scope ? -1 : 1;
  int32_t yx = x->period < 0 ? -x->period : x->period / 12;
  int32_t yy = y->period < 0 ? -y->period : y->period / 12;
  if (yx != yy)
    return yx < yy ? -1 : 1;
  if ((x->period < 0) != (y->period < 0))
    return x->period < 0 ? -1 : 1;
  return (x->period > y->period) - (x->period < y->period);
}

static int dist_count(DistTable *t, uint32_t scope, int32_t period,
                      DistCount **out)
{
  if ((t->n + 1) * 2 > t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    DistCount *nv = hicov_calloc(ncap, sizeof *nv);
    if (!nv)
      return HICOV_NOMEM;
    for (size_t i = 0; i < t->cap; i++) {
      if (!t->v[i].used)
        continue;
      size_t j = (size_t)mix64(((uint64_t)t->v[i].scope << 32) |
                               (uint32_t)t->v[i].period) & (ncap - 1);
      while (nv[j].used)
        j = (j + 1) & (ncap - 1);
      nv[j] = t->v[i];
    }
    hicov_free(t->v);
    t->v = nv;
    t->cap = ncap;
  }
  size_t j = (size_t)mix64(((uint64_t)scope << 32) | (uint32_t)period) &
             (t->cap - 1);
  while (t->v[j].used) {
    if (t->v[j].scope == scope && t->v[j].period == period) {
      *out = &t->v[j];
      return HICOV_OK;
    }
    j = (j + 1) & (t->cap - 1);
  }
  t->v[j].used = 1;
  t->v[j].scope = scope;
  t->v[j].period = period;
  t->n++;
  *out = &t->v[j];
  return HICOV_OK;
}

#define CLAIMS_MAX_CHAIN 8
#define CENTI_500M (500000000LL * 100)
#define CENTI_1B (1000000000LL * 100)

/* For each facility, its unit chain in ds (facility first); without ds,
 * the facility alone with scope = facility index. */
typedef struct {
  long unit[CLAIMS_MAX_CHAIN];
  int n;
} Chain;

static int build_chains(HicovClaims *c, const HicovDataset *ds, Chain **out)
{
  Chain *ch = hicov_calloc(c->n_fac ? c->n_fac : 1, sizeof *ch);
  if (!ch)
    return HICOV_NOMEM;
  size_t n_missing = 0;
  char list[200] = "";
  for (size_t f = 0; f < c->n_fac; f++) {
    if (!ds) {
      ch[f].unit[0] = (long)f;
      ch[f].n = 1;
      continue;
    }
    size_t idx;
    if (hicov_dataset_find_unit(ds, c->fac[f], &idx)) {
      if (n_missing < 5) {
        size_t l = strlen(list);
        hicov_fmt(list + l, sizeof list - l, "%s%s", n_missing ? ", " : "",
                  c->fac[f]);
      }
      n_missing++;
      continue;
    }
    for (;;) {
      ch[f].unit[ch[f].n++] = (long)idx;
      HicovUnit u;
      if (ch[f].n >= CLAIMS_MAX_CHAIN || hicov_dataset_unit(ds, idx, &u) ||
          !u.parent || !u.parent[0] ||
          hicov_dataset_find_unit(ds, u.parent, &idx))
        break;
    }
  }
  if (n_missing) {
    hicov_free(ch);
    return claims_error(c, HICOV_NOTFOUND, hicov_ntext(c->lang, "%zu facility "
                        "of the claims is not a unit of the dataset (add it "
                        "to units.csv with level facility): %s%s", "%zu "
                        "facilities of the claims are not units of the "
                        "dataset (add them to units.csv with level "
                        "facility): %s%s", n_missing), n_missing, list,
                        n_missing > 5 ? ", ..." : "");
  }
  *out = ch;
  return HICOV_OK;
}

/* Streams the triples in patient order: each patient's triples give the
 * (unit, period) pairs they fall in, with the fund paid summed per pair;
 * each pair then counts the patient once, and once more per threshold
 * reached.  Memory: the counts per unit and period, and one patient's
 * pairs (the triples themselves stay in their table and runs). */
int hicov_claims_distinct(HicovClaims *c, const HicovDataset *ds,
                          HicovClaimsDistinct **out, size_t *n_out)
{
  if (!c || !out || !n_out)
    return HICOV_INVALID;
  *out = NULL;
  *n_out = 0;
  Chain *ch = NULL;
  int rc = build_chains(c, ds, &ch);
  if (rc)
    return rc;
  TripIter it;
  if ((rc = claims_trip_iter_open(c, &it))) {
    hicov_free(ch);
    return claims_trip_iter_error(c, &it, rc);
  }
  DistTable tab = { 0 };
  DistEntry *pe = NULL;   /* the current patient's pairs */
  size_t n_pe = 0, cap_pe = 0;
  HicovClaimsDistinct *rows = NULL;
  ClaimsTriple t;
  int more = 1;
  uint64_t patient = 0;
  while (more) {
    if ((rc = claims_trip_iter_next(&it, &t, &more)))
      break;
    if (n_pe && (!more || t.patient != patient)) {
      /* the previous patient is complete */
      qsort(pe, n_pe, sizeof *pe, cmp_dist);
      size_t i = 0;
      while (i < n_pe && !rc) {
        int64_t sum = 0;
        size_t k = i;
        for (; k < n_pe && pe[k].scope == pe[i].scope &&
               pe[k].period == pe[i].period; k++)
          if (__builtin_add_overflow(sum, pe[k].fund, &sum))
            rc = HICOV_OVERFLOW;
        DistCount *dc;
        if (!rc && !(rc = dist_count(&tab, pe[i].scope, pe[i].period, &dc))) {
          dc->patients++;
          dc->p500 += sum >= CENTI_500M;
          dc->p1b += sum >= CENTI_1B;
        }
        i = k;
      }
      n_pe = 0;
      if (rc)
        break;
    }
    if (!more)
      break;
    patient = t.patient;
    const Chain *fc = &ch[t.fac];
    if (hicov_grow((void **)&pe, &cap_pe, n_pe + 2 * (size_t)fc->n,
                   sizeof *pe)) {
      rc = HICOV_NOMEM;
      break;
    }
    /* a unit reached by two paths (an uneven hierarchy) is one pair */
    for (int lvl = 0; lvl < fc->n; lvl++) {
      DistEntry m = { (uint32_t)fc->unit[lvl], t.month, t.fund };
      DistEntry y = { (uint32_t)fc->unit[lvl], -(t.month / 12), t.fund };
      pe[n_pe++] = m;
      pe[n_pe++] = y;
    }
  }
  rc = claims_trip_iter_error(c, &it, rc);
  claims_trip_iter_close(&it);
  hicov_free(pe);
  size_t n_rows = 0, nc = 0;
  if (!rc && tab.n && !(rows = hicov_calloc(tab.n, sizeof *rows)))
    rc = HICOV_NOMEM;
  /* rows by unit, then period (a year before its months) */
  for (size_t i = 0; !rc && i < tab.cap; i++)
    if (tab.v[i].used)
      tab.v[nc++] = tab.v[i];
  if (nc > 1)
    qsort(tab.v, nc, sizeof *tab.v, cmp_count);
  for (size_t i = 0; !rc && i < nc; i++) {
    const DistCount *dc = &tab.v[i];
    HicovClaimsDistinct *r = &rows[n_rows++];
    if (ds) {
      HicovUnit u;
      hicov_dataset_unit(ds, dc->scope, &u);
      hicov_fmt(r->unit, sizeof r->unit, "%s", u.code);
      r->level = u.level;
    } else {
      hicov_fmt(r->unit, sizeof r->unit, "%s", c->fac[dc->scope]);
      r->level = HICOV_LEVEL_FACILITY;
    }
    r->period = dc->period < 0 ? hicov_period_year(-dc->period)
                               : hicov_period_range(dc->period, dc->period);
    r->patients = dc->patients;
    r->patients_500m = dc->p500;
    r->patients_1b = dc->p1b;
  }
  hicov_free(tab.v);
  hicov_free(ch);
  if (rc) {
    hicov_free(rows);
    return rc;
  }
  *out = rows;
  *n_out = n_rows;
  return HICOV_OK;
}

typedef struct {
  const unsigned char *tier; /* by facility */
  int64_t *visits;           /* by tier */
} TierSum;

static int tier_sum(void *ctx, const ClaimsCell *e, size_t n)
{
  TierSum *ts = ctx;
  for (size_t i = 0; i < n; i++, e++)
    if (__builtin_add_overflow(ts->visits[ts->tier[e->fac]], (int64_t)e->visits,
                               &ts->visits[ts->tier[e->fac]]))
      return HICOV_OVERFLOW;
  return HICOV_OK;
}

int hicov_claims_tier_visits(const HicovClaims *c, const HicovDataset *ds,
                             int64_t visits[5])
{
  if (!c || !visits)
    return HICOV_INVALID;
  for (int k = 0; k < 5; k++)
    visits[k] = 0;
  /* each facility's tier once, not once a cell */
  unsigned char *tier = hicov_malloc(c->n_fac ? c->n_fac : 1);
  if (!tier)
    return HICOV_NOMEM;
  for (size_t f = 0; f < c->n_fac; f++) {
    size_t idx;
    HicovUnit u;
    tier[f] = HICOV_TIER_NONE;
    if (ds && !hicov_dataset_find_unit(ds, c->fac[f], &idx) &&
        !hicov_dataset_unit(ds, idx, &u) && u.tier >= 0 && u.tier < 5)
      tier[f] = (unsigned char)u.tier;
  }
  TierSum ts = { tier, visits };
  int rc = claims_cells_each(c, tier_sum, &ts);
  hicov_free(tier);
  return rc;
}
