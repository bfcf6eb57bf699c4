/* claims-totals.c - what the claims add up to: the totals (distinct
 * patients counted on two threads after a threaded read), distinct
 * patients and those past the fund thresholds per unit and period, and
 * the visits per facility tier. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "claims-private.h"

/* Distinct patients in [lo, hi) into *n (an I/O error's message in
 * err_out). */
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
  memcpy(err_out->err, it.err, sizeof it.err);
  claims_trip_iter_close(&it);
  return rc;
}

/* One half of the patients, [lo, hi), counted on a thread of its own:
 * the first member of each such job (PatientCount, DistJob). */
typedef struct {
  const HicovClaims *c;
  uint64_t lo, hi;
  int rc;
  TripIter it_err; /* only its message is used */
} HalfJob;

typedef struct {
  HalfJob h;
  int64_t n;
} PatientCount;

static void *count_patients_job(void *arg)
{
  PatientCount *p = arg;
  p->h.rc = count_patients_it(p->h.c, p->h.lo, p->h.hi, &p->n, &p->h.it_err);
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

/* Runs job on the patients below pivot (lo) and, beside it on a thread of
 * its own, on those from pivot up (hi); all of them on lo when pivot is 0.
 * A patient's triples all fall on one side.  Returns the first failing
 * half (NULL when none), its message still in its iterator; by_halves
 * puts it on c. */
static const HalfJob *by_halves_run(const HicovClaims *c, uint64_t pivot,
                                    void *(*job)(void *), HalfJob *lo,
                                    HalfJob *hi)
{
  lo->c = hi->c = c;
  lo->lo = 0;
  lo->hi = pivot ? pivot : UINT64_MAX;
  hi->lo = pivot;
  hi->hi = UINT64_MAX;
  pthread_t th;
  int threaded = pivot && !pthread_create(&th, NULL, job, hi);
  if (pivot && !threaded)
    job(hi);
  job(lo);
  if (threaded)
    pthread_join(th, NULL);
  return lo->rc ? lo : pivot && hi->rc ? hi : NULL;
}

static int by_halves(const HicovClaims *c, uint64_t pivot,
                     void *(*job)(void *), HalfJob *lo, HalfJob *hi)
{
  const HalfJob *bad = by_halves_run(c, pivot, job, lo, hi);
  return bad ? claims_trip_iter_error((HicovClaims *)c, &bad->it_err, bad->rc)
             : HICOV_OK;
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

int claims_totals_cells(const HicovClaims *c, HicovClaimsTotals *out)
{
  memset(out, 0, sizeof *out);
  CellTotals ct = { c, out };
  int rc = claims_cells_each(c, cell_totals, &ct);
  out->facilities = (int64_t)c->n_fac;
  return rc;
}

int hicov_claims_totals(const HicovClaims *c, HicovClaimsTotals *out)
{
  if (!c || !out)
    return HICOV_INVALID;
  int rc = claims_totals_cells(c, out);
  if (rc)
    return rc;
  if (c->patients_valid) {
    /* counted with the distinct patients per unit, no triple since */
    out->patients = c->patients_known;
    return HICOV_OK;
  }
  /* distinct patients: the triples come in patient order.  After a read
     on several threads, with every triple in runs, the patients below
     and above a pivot are counted on two threads (a patient's triples
     all fall on one side): this merge was the totals' serial time. */
  uint64_t pivot;
  rc = trip_pivot(c, &pivot);
  if (rc)
    return rc;
  PatientCount part[2];
  memset(part, 0, sizeof part);
  rc = by_halves(c, pivot, count_patients_job, &part[0].h, &part[1].h);
  out->patients = part[0].n + part[1].n;
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Distinct patients per unit and period                                     */

#define CLAIMS_MAX_CHAIN 8
#define CENTI_500M (500000000LL * 100)
#define CENTI_1B (1000000000LL * 100)

/* The counts of one unit and period.  stamp and cur hold the patient
 * being counted (its number in this table's stream, from 1) and the fund
 * paid it has at the unit in the period so far. */
typedef struct {
  uint32_t scope;
  int32_t period; /* month index, or -(year) for a whole year */
  uint64_t stamp;
  int64_t cur;
  int64_t patients, p500, p1b;
} DistCount;

/* The pairs of one (facility, month): the ids of its chain's units in the
 * month and in its year. */
typedef struct {
  uint64_t key; /* facility << 32 | month, + 1 (0: a free slot) */
  uint32_t off, n; /* in DistTable.pool */
} DistFacMonth;

/* The counts, in the order the pairs were first met (ids), with a hash
 * index; and, per facility and month met, its pairs' ids, so that a
 * triple costs one lookup, not two per level of its facility's chain
 * (those lookups were most of the time of the counts). */
typedef struct {
  DistCount *v;
  size_t n, cap_v;
  uint32_t *idx;    /* id + 1 by hash of (scope, period); 0: free */
  size_t cap_idx;
  DistFacMonth *fm;
  size_t n_fm, cap_fm;
  uint32_t *pool;
  size_t n_pool, cap_pool;
  uint64_t stamp;   /* the current patient's */
  int64_t patients; /* counted so far, each once */
  uint32_t *touched; /* the ids the current patient reached */
  size_t n_touched, cap_touched;
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

static inline size_t pair_hash(uint32_t scope, int32_t period)
{
  return (size_t)mix64(((uint64_t)scope << 32) | (uint32_t)period);
}

/* The id of (scope, period), made when new (at 3/4 load the index
 * doubles; the counts do not move). */
static int dist_id(DistTable *t, uint32_t scope, int32_t period,
                   uint32_t *out)
{
  if ((t->n + 1) * 4 > t->cap_idx * 3) {
    size_t ncap = t->cap_idx ? t->cap_idx * 2 : 1024;
    uint32_t *ni = hicov_calloc_table(ncap, sizeof *ni);
    if (!ni)
      return HICOV_NOMEM;
    for (size_t id = 0; id < t->n; id++) {
      size_t j = pair_hash(t->v[id].scope, t->v[id].period) & (ncap - 1);
      while (ni[j])
        j = (j + 1) & (ncap - 1);
      ni[j] = (uint32_t)id + 1;
    }
    hicov_free(t->idx);
    t->idx = ni;
    t->cap_idx = ncap;
  }
  size_t j = pair_hash(scope, period) & (t->cap_idx - 1);
  while (t->idx[j]) {
    const DistCount *e = &t->v[t->idx[j] - 1];
    if (e->scope == scope && e->period == period) {
      *out = t->idx[j] - 1;
      return HICOV_OK;
    }
    j = (j + 1) & (t->cap_idx - 1);
  }
  if (t->n >= UINT32_MAX - 1 ||
      hicov_grow((void **)&t->v, &t->cap_v, t->n + 1, sizeof *t->v))
    return HICOV_NOMEM;
  DistCount *e = &t->v[t->n];
  memset(e, 0, sizeof *e);
  e->scope = scope;
  e->period = period;
  t->idx[j] = (uint32_t)t->n + 1;
  *out = (uint32_t)t->n++;
  return HICOV_OK;
}

/* For each facility, its unit chain in ds (facility first); without ds,
 * the facility alone with scope = facility index. */
typedef struct {
  long unit[CLAIMS_MAX_CHAIN];
  int n;
} Chain;

/* The ids of the pairs a triple at facility fac in month falls in: its
 * chain's units in the month, then in the year (*ids points into the
 * pool until the next call). */
static int dist_pairs(DistTable *t, const Chain *ch, uint32_t fac,
                      int32_t month, const uint32_t **ids, size_t *n)
{
  uint64_t key = ((uint64_t)fac << 32 | (uint32_t)month) + 1;
  if ((t->n_fm + 1) * 4 > t->cap_fm * 3) {
    size_t ncap = t->cap_fm ? t->cap_fm * 2 : 1024;
    DistFacMonth *nf = hicov_calloc_table(ncap, sizeof *nf);
    if (!nf)
      return HICOV_NOMEM;
    for (size_t i = 0; i < t->cap_fm; i++) {
      if (!t->fm[i].key)
        continue;
      size_t j = (size_t)mix64(t->fm[i].key) & (ncap - 1);
      while (nf[j].key)
        j = (j + 1) & (ncap - 1);
      nf[j] = t->fm[i];
    }
    hicov_free(t->fm);
    t->fm = nf;
    t->cap_fm = ncap;
  }
  size_t j = (size_t)mix64(key) & (t->cap_fm - 1);
  while (t->fm[j].key && t->fm[j].key != key)
    j = (j + 1) & (t->cap_fm - 1);
  if (!t->fm[j].key) {
    const Chain *fc = &ch[fac];
    size_t m = 2 * (size_t)fc->n;
    if (t->n_pool + m > UINT32_MAX ||
        hicov_grow((void **)&t->pool, &t->cap_pool, t->n_pool + m,
                   sizeof *t->pool))
      return HICOV_NOMEM;
    uint32_t *p = t->pool + t->n_pool;
    for (int lvl = 0; lvl < fc->n; lvl++) {
      int rc = dist_id(t, (uint32_t)fc->unit[lvl], month, &p[2 * lvl]);
      if (!rc)
        rc = dist_id(t, (uint32_t)fc->unit[lvl], -(month / 12),
                     &p[2 * lvl + 1]);
      if (rc)
        return rc;
    }
    t->fm[j].key = key;
    t->fm[j].off = (uint32_t)t->n_pool;
    t->fm[j].n = (uint32_t)m;
    t->n_pool += m;
    t->n_fm++;
  }
  *ids = t->pool + t->fm[j].off;
  *n = t->fm[j].n;
  return HICOV_OK;
}

/* Adds the current patient's fund to the pair id: the first time the
 * patient reaches the pair, the pair is noted (dist_patient_done counts
 * it once).  No sorting of a patient's pairs: a sort per patient was most
 * of the time of the counts. */
static int dist_add(DistTable *t, uint32_t id, int64_t fund)
{
  DistCount *dc = &t->v[id];
  if (dc->stamp != t->stamp) {
    if (hicov_grow((void **)&t->touched, &t->cap_touched, t->n_touched + 1,
                   sizeof *t->touched))
      return HICOV_NOMEM;
    dc->stamp = t->stamp;
    dc->cur = fund;
    t->touched[t->n_touched++] = id;
    return HICOV_OK;
  }
  return __builtin_add_overflow(dc->cur, fund, &dc->cur) ? HICOV_OVERFLOW
                                                         : HICOV_OK;
}

/* The current patient is complete: each pair it reached counts it once,
 * and once more per threshold its fund there reached. */
static void dist_patient_done(DistTable *t)
{
  for (size_t i = 0; i < t->n_touched; i++) {
    DistCount *dc = &t->v[t->touched[i]];
    dc->patients++;
    dc->p500 += dc->cur >= CENTI_500M;
    dc->p1b += dc->cur >= CENTI_1B;
  }
  t->n_touched = 0;
  t->stamp++;
  t->patients++;
}

static void dist_free(DistTable *t)
{
  hicov_free(t->v);
  hicov_free(t->idx);
  hicov_free(t->fm);
  hicov_free(t->pool);
  hicov_free(t->touched);
  memset(t, 0, sizeof *t);
}

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
      int seen = 0; /* a parent loop: each unit once */
      for (int k = 0; k < ch[f].n; k++)
        seen |= ch[f].unit[k] == (long)idx;
      if (seen)
        break;
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

/* Counts the patients in [lo, hi) into t: each triple adds its fund to
 * the (unit, period) pairs of its facility's chain, a month and its year;
 * when the patient's triples are done, each pair it reached counts it
 * (dist_patient_done). */
/* The (facility, month) entry of a triple when it is there (NULL when
 * not yet), without making it: for looking ahead. */
static const DistFacMonth *dist_fm_find(const DistTable *t, uint32_t fac,
                                        int32_t month)
{
  if (!t->cap_fm)
    return NULL;
  uint64_t key = ((uint64_t)fac << 32 | (uint32_t)month) + 1;
  size_t j = (size_t)mix64(key) & (t->cap_fm - 1);
  while (t->fm[j].key && t->fm[j].key != key)
    j = (j + 1) & (t->cap_fm - 1);
  return t->fm[j].key ? &t->fm[j] : NULL;
}

/* Counts the patients in [lo, hi) into t: each triple adds its fund to
 * the (unit, period) pairs of its facility's chain, a month and its year;
 * when the patient's triples are done, each pair it reached counts it
 * (dist_patient_done).  A triple's pairs are three memory loads deep (its
 * (facility, month) entry, the ids, the counts): the triples are taken
 * DIST_AHEAD ahead, each level prefetched for a later triple while this
 * one is counted. */
#define DIST_AHEAD 8
static int dist_range(const HicovClaims *c, const Chain *ch, uint64_t lo,
                      uint64_t hi, DistTable *t, TripIter *err_out)
{
  TripIter it;
  int rc = claims_trip_iter_range(c, &it, lo, hi);
  ClaimsTriple q[DIST_AHEAD];
  size_t qh = 0, qn = 0;
  int more = !rc, any = 0;
  uint64_t patient = 0;
  t->stamp = 1;
  while (!rc) {
    while (more && qn < DIST_AHEAD) {
      ClaimsTriple *nt = &q[(qh + qn) % DIST_AHEAD];
      if ((rc = claims_trip_iter_next(&it, nt, &more)) || !more)
        break;
      qn++;
      if (t->cap_fm) {
        uint64_t key = ((uint64_t)nt->fac << 32 | (uint32_t)nt->month) + 1;
        __builtin_prefetch(&t->fm[(size_t)mix64(key) & (t->cap_fm - 1)]);
      }
    }
    if (rc || !qn)
      break;
    /* half-way: the ids of a triple; two ahead: its counts */
    if (qn > DIST_AHEAD / 2) {
      const ClaimsTriple *h = &q[(qh + DIST_AHEAD / 2) % DIST_AHEAD];
      const DistFacMonth *f = dist_fm_find(t, h->fac, h->month);
      if (f)
        __builtin_prefetch(t->pool + f->off);
    }
    if (qn > 2) {
      const ClaimsTriple *h = &q[(qh + 2) % DIST_AHEAD];
      const DistFacMonth *f = dist_fm_find(t, h->fac, h->month);
      for (uint32_t k = 0; f && k < f->n; k++)
        __builtin_prefetch(&t->v[t->pool[f->off + k]]);
    }
    ClaimsTriple tr = q[qh];
    qh = (qh + 1) % DIST_AHEAD;
    qn--;
    if (any && tr.patient != patient)
      dist_patient_done(t);
    patient = tr.patient;
    any = 1;
    const uint32_t *ids;
    size_t n_ids;
    rc = dist_pairs(t, ch, tr.fac, tr.month, &ids, &n_ids);
    for (size_t k = 0; k < n_ids && !rc; k++)
      rc = dist_add(t, ids[k], tr.fund);
  }
  if (!rc && any)
    dist_patient_done(t);
  memcpy(err_out->err, it.err, sizeof it.err);
  claims_trip_iter_close(&it);
  return rc;
}

typedef struct {
  HalfJob h;
  const Chain *ch;
  DistTable tab;
} DistJob;

static void *dist_job(void *arg)
{
  DistJob *j = arg;
  j->h.rc = dist_range(j->h.c, j->ch, j->h.lo, j->h.hi, &j->tab, &j->h.it_err);
  return NULL;
}

/* Adds src's counts into dst (their patients are disjoint). */
static int dist_absorb(DistTable *dst, const DistTable *src)
{
  for (size_t i = 0; i < src->n; i++) {
    const DistCount *e = &src->v[i];
    uint32_t id;
    int rc = dist_id(dst, e->scope, e->period, &id);
    if (rc)
      return rc;
    dst->v[id].patients += e->patients;
    dst->v[id].p500 += e->p500;
    dst->v[id].p1b += e->p1b;
  }
  return HICOV_OK;
}

/* The counting of hicov_claims_distinct, which may go on beside other
 * work on c (claims_distinct_begin): it reads c's triples only, and keeps
 * its failure in its jobs until claims_distinct_end puts it on c. */
struct ClaimsDistinctRun {
  const HicovClaims *c;
  Chain *ch;
  uint64_t pivot;
  DistJob job[2];
  const HalfJob *bad; /* the failing half, if any */
  int absorb_rc;
  pthread_t th;
  int threaded;
};

static void *distinct_count(void *arg)
{
  ClaimsDistinctRun *r = arg;
  r->bad = by_halves_run(r->c, r->pivot, dist_job, &r->job[0].h,
                         &r->job[1].h);
  if (!r->bad && r->pivot)
    r->absorb_rc = dist_absorb(&r->job[0].tab, &r->job[1].tab);
  return NULL;
}

static void distinct_run_free(ClaimsDistinctRun *r)
{
  dist_free(&r->job[0].tab);
  dist_free(&r->job[1].tab);
  hicov_free(r->ch);
  hicov_free(r);
}

int claims_distinct_begin(HicovClaims *c, const HicovDataset *ds,
                          int beside, ClaimsDistinctRun **out)
{
  *out = NULL;
  ClaimsDistinctRun *r = hicov_calloc(1, sizeof *r);
  if (!r)
    return HICOV_NOMEM;
  r->c = c;
  int rc = build_chains(c, ds, &r->ch);
  if (!rc)
    rc = trip_pivot(c, &r->pivot);
  if (rc) {
    distinct_run_free(r);
    return rc;
  }
  r->job[0].ch = r->job[1].ch = r->ch;
  /* beside the caller only when the read was threaded: a read on one
     thread asked for one */
  r->threaded = beside && c->threads > 1 &&
                !pthread_create(&r->th, NULL, distinct_count, r);
  if (!r->threaded)
    distinct_count(r);
  *out = r;
  return HICOV_OK;
}

int claims_distinct_end(HicovClaims *c, const HicovDataset *ds,
                        ClaimsDistinctRun *r, HicovClaimsDistinct **out,
                        size_t *n_out)
{
  *out = NULL;
  *n_out = 0;
  if (!r)
    return HICOV_OK;
  if (r->threaded)
    pthread_join(r->th, NULL);
  int rc = r->bad ? claims_trip_iter_error(c, &r->bad->it_err, r->bad->rc)
                  : r->absorb_rc;
  DistTable *tab = &r->job[0].tab;
  if (!rc) {
    /* a patient's triples all fall in one half: each counted once */
    c->patients_known = tab->patients + (r->pivot ? r->job[1].tab.patients : 0);
    c->patients_valid = 1;
  }
  HicovClaimsDistinct *rows = NULL;
  size_t n_rows = 0, nc = rc ? 0 : tab->n;
  uint32_t *order = NULL;
  if (!rc && tab->n && !(rows = hicov_calloc(tab->n, sizeof *rows)))
    rc = HICOV_NOMEM;
  /* without a dataset the scopes are facility indices, whose order is
     the order the facilities were met (threads change it): they sort as
     their codes, so that the rows do not depend on the threads */
  uint32_t *place = NULL;
  if (!rc && !ds && nc > 1) {
    if (!(rc = claims_fac_order(c, &order)) &&
        !(place = hicov_malloc((c->n_fac + 1) * sizeof *place)))
      rc = HICOV_NOMEM;
    if (rc)
      nc = 0;
    for (size_t k = 0; k < c->n_fac && !rc; k++)
      place[order[k]] = (uint32_t)k;
    for (size_t i = 0; i < nc; i++)
      tab->v[i].scope = place[tab->v[i].scope];
    hicov_free(place);
  }
  /* rows by unit, then period (a year before its months) */
  if (!rc && nc > 1)
    qsort(tab->v, nc, sizeof *tab->v, cmp_count);
  for (size_t i = 0; order && i < nc; i++)
    tab->v[i].scope = order[tab->v[i].scope];
  for (size_t i = 0; !rc && i < nc; i++) {
    const DistCount *dc = &tab->v[i];
    HicovClaimsDistinct *row = &rows[n_rows++];
    if (ds) {
      HicovUnit u;
      hicov_dataset_unit(ds, dc->scope, &u);
      hicov_fmt(row->unit, sizeof row->unit, "%s", u.code);
      row->level = u.level;
    } else {
      hicov_fmt(row->unit, sizeof row->unit, "%s", c->fac[dc->scope]);
      row->level = HICOV_LEVEL_FACILITY;
    }
    row->period = dc->period < 0 ? hicov_period_year(-dc->period)
                                 : hicov_period_range(dc->period, dc->period);
    row->patients = dc->patients;
    row->patients_500m = dc->p500;
    row->patients_1b = dc->p1b;
  }
  distinct_run_free(r);
  hicov_free(order);
  if (rc) {
    hicov_free(rows);
    return rc;
  }
  *out = rows;
  *n_out = n_rows;
  return HICOV_OK;
}

/* Streams the triples in patient order: each patient's triples give the
 * (unit, period) pairs they fall in, with the fund paid summed per pair;
 * each pair then counts the patient once, and once more per threshold
 * reached.  After a read on several threads the patients below and above
 * a pivot are counted on two threads, each into a table of its own, the
 * two then added up.  Memory: the counts per unit and period (twice while
 * two threads count), and one patient's pairs. */
int hicov_claims_distinct(HicovClaims *c, const HicovDataset *ds,
                          HicovClaimsDistinct **out, size_t *n_out)
{
  if (!c || !out || !n_out)
    return HICOV_INVALID;
  *out = NULL;
  *n_out = 0;
  ClaimsDistinctRun *r;
  int rc = claims_distinct_begin(c, ds, 0, &r);
  return rc ? rc : claims_distinct_end(c, ds, r, out, n_out);
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
