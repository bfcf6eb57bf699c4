/* claims-patients.c - patient triples (patient, facility, month, fund
 * paid): appended to a table of bounded size, sorted with a triple's
 * copies summed and written out as runs when it is full, read back merged
 * in patient order. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-private.h"

/* The patient table is a buffer: a record appends its (patient, facility,
 * month, fund) and the copies of one triple are summed when the buffer is
 * sorted, to be written out (trip_spill) or read (TripIter).  A hash table
 * summed them as they came, but most triples are new and each insert
 * probed a table bigger than the caches, in the step that adds records
 * one after another. */
static int trip_resize(HicovClaims *c, size_t ncap)
{
  ClaimsTriple *nt = hicov_realloc(c->trip, ncap * sizeof *nt);
  if (!nt)
    return HICOV_NOMEM;
  c->trip = nt;
  c->cap_trip = ncap;
  return HICOV_OK;
}

/* The patient table holds at most this many triples: 2^16 of 24 bytes,
 * 1.5 MB.  Past it the table is written out as a sorted run (trip_spill)
 * and emptied. */
#define TRIP_BUDGET_DEFAULT ((size_t)1 << 16)
static size_t trip_budget = TRIP_BUDGET_DEFAULT;

void claims_debug_trip_budget(size_t slots)
{
  trip_budget = slots >= 16 ? slots : TRIP_BUDGET_DEFAULT;
}

static int cmp_trip_patient(const void *a, const void *b)
{
  const ClaimsTriple *x = a, *y = b;
  if (x->patient != y->patient)
    return x->patient < y->patient ? -1 : 1;
  if (x->fac != y->fac)
    return x->fac < y->fac ? -1 : 1;
  return (x->month > y->month) - (x->month < y->month);
}

static int spill_error(HicovClaims *c, int op, int err)
{
  char msg[320];
  claims_tmp_error(msg, sizeof msg, c->lang, CLAIMS_TMP_PATIENTS, op, err);
  return claims_error(c, HICOV_IO, "%s", msg);
}

static int spill_open(HicovClaims *c)
{
  if (claims_tmp_open("patients", &c->spill.fd))
    return spill_error(c, CLAIMS_TMP_CREATE, errno);
  c->spill.open = 1;
  return HICOV_OK;
}

static int spill_write(HicovClaims *c, const void *buf, size_t len)
{
  return claims_pwrite_all(c->spill.fd, buf, len, c->spill.end)
             ? spill_error(c, CLAIMS_TMP_WRITE, errno) : HICOV_OK;
}

/* Sorts v[0..n) by (patient, facility, month): LSD radix over the bits
 * that vary in the buffer (found first with one pass), 12 bits a pass
 * from the month's low bits to the patient's high ones: a spill's months
 * take one pass, a province's facilities one, the patients' 34 bits
 * three.  (16-bit digits cleared and summed 65,536 counters a pass, more
 * work than moving the 65,536 entries, and every pass counted.)  tmp
 * holds n entries and cnt TRIP_RADIX_CNT; returns the array holding the
 * result (v or tmp). */
#define TRIP_DIGIT_BITS 12
#define TRIP_RADIX_CNT ((size_t)1 << TRIP_DIGIT_BITS)

static ClaimsTriple *trip_radix(ClaimsTriple *v, ClaimsTriple *tmp, size_t n,
                                size_t *cnt)
{
  if (n < 4096) {
    /* a few entries sort faster by comparison (cnt may then be NULL) */
    qsort(v, n, sizeof *v, cmp_trip_patient);
    return v;
  }
  /* the bits in which some entry differs from the first, per field */
  uint64_t dp = 0;
  uint32_t df = 0, dm = 0;
  for (size_t i = 1; i < n; i++) {
    dp |= v[i].patient ^ v[0].patient;
    df |= v[i].fac ^ v[0].fac;
    dm |= (uint32_t)v[i].month ^ (uint32_t)v[0].month;
  }
  int width[3] = { dm ? 32 - __builtin_clz(dm) : 0,
                   df ? 32 - __builtin_clz(df) : 0,
                   dp ? 64 - __builtin_clzll(dp) : 0 };
  ClaimsTriple *src = v, *dst = tmp;
  for (int field = 0; field < 3; field++) {
    for (int shift = 0; shift < width[field]; shift += TRIP_DIGIT_BITS) {
#define TRIP_DIGIT(t)                                                        \
  ((size_t)(field == 0 ? (uint64_t)(uint32_t)(t).month                       \
            : field == 1 ? (uint64_t)(t).fac : (t).patient) >> shift &        \
   (TRIP_RADIX_CNT - 1))
      memset(cnt, 0, TRIP_RADIX_CNT * sizeof *cnt);
      for (size_t i = 0; i < n; i++)
        cnt[TRIP_DIGIT(src[i])]++;
      start_offsets(cnt, TRIP_RADIX_CNT);
      for (size_t i = 0; i < n; i++)
        dst[cnt[TRIP_DIGIT(src[i])]++] = src[i];
#undef TRIP_DIGIT
      ClaimsTriple *t = src;
      src = dst;
      dst = t;
    }
  }
  return src;
}

/* trip_spill's buffers, kept from one spill to the next: allocated and
 * freed at each spill, they came from a worker thread's malloc arena,
 * which kept the freed megabytes resident. */
static int trip_scratch(HicovClaims *c, size_t n)
{
  if (n > c->cap_trip_tmp) {
    ClaimsTriple *t = hicov_malloc(n * sizeof *t);
    if (!t)
      return HICOV_NOMEM;
    hicov_free(c->trip_tmp);
    c->trip_tmp = t;
    c->cap_trip_tmp = n;
  }
  if (n >= 4096 && !c->trip_cnt &&
      !(c->trip_cnt = hicov_malloc(TRIP_RADIX_CNT * sizeof *c->trip_cnt)))
    return HICOV_NOMEM;
  return HICOV_OK;
}

void claims_trip_scratch_free(HicovClaims *c)
{
  hicov_free(c->trip_tmp);
  hicov_free(c->trip_cnt);
  c->trip_tmp = NULL;
  c->trip_cnt = NULL;
  c->cap_trip_tmp = 0;
}

/* Sums the copies of each triple in v[0..n), sorted: returns how many
 * remain.  Copies whose sum would pass 64 bits stay apart (the merge of
 * the runs reports it). */
static size_t trip_combine(ClaimsTriple *v, size_t n)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    ClaimsTriple *o = &v[k - (k > 0)];
    int64_t sum; /* not o->fund: an overflowing add stores the wrapped sum */
    if (k && o->patient == v[i].patient && o->fac == v[i].fac &&
        o->month == v[i].month && !__builtin_add_overflow(o->fund, v[i].fund,
                                                          &sum)) {
      o->fund = sum;
      continue;
    }
    v[k++] = v[i];
  }
  return k;
}

/* Sorts the table by patient, the copies of a triple summed (n_trip may
 * fall); *sorted is the table or c->trip_tmp.  Fails only for memory,
 * before the table changes. */
static int trip_sort_table(HicovClaims *c, ClaimsTriple **sorted)
{
  if (trip_scratch(c, c->n_trip ? c->n_trip : 1))
    return HICOV_NOMEM;
  *sorted = trip_radix(c->trip, c->trip_tmp, c->n_trip, c->trip_cnt);
  c->n_trip = trip_combine(*sorted, c->n_trip);
  return HICOV_OK;
}

/* Writes the table out as one run sorted by (patient, facility, month) and
 * empties it.  On a failure nothing is lost: a write error puts the
 * entries back into the table. */
static int trip_spill(HicovClaims *c)
{
  if (!c->n_trip)
    return HICOV_OK;
  int rc;
  if (!c->spill.open && (rc = spill_open(c)))
    return rc;
  if (hicov_grow((void **)&c->spill.run, &c->spill.cap_run,
                 c->spill.n_run + 1, sizeof *c->spill.run))
    return HICOV_NOMEM;
  ClaimsTriple *sorted;
  if (trip_sort_table(c, &sorted))
    return HICOV_NOMEM;
  size_t n = c->n_trip;
  rc = spill_write(c, sorted, n * sizeof *sorted);
  if (rc) {
    /* nothing is lost: the table holds the same triples, sorted */
    if (sorted != c->trip)
      memcpy(c->trip, sorted, n * sizeof *sorted);
  } else {
    c->spill.run[c->spill.n_run].off = c->spill.end;
    c->spill.run[c->spill.n_run].n = n;
    c->spill.n_run++;
    c->spill.end += n * sizeof *sorted;
    c->n_trip = 0;
  }
  return rc;
}

void claims_trip_settle(HicovClaims *c)
{
  char keep[sizeof c->errmsg];
  memcpy(keep, c->errmsg, sizeof keep);
  if (c->spill.open && c->n_trip && trip_spill(c))
    memcpy(c->errmsg, keep, sizeof keep); /* the table stays: no loss */
  if (!c->n_trip) {
    hicov_free(c->trip);
    c->trip = NULL;
    c->cap_trip = 0;
  }
  claims_trip_scratch_free(c);
}

/* Room for one more triple: the table grows up to the budget, and beyond
 * it is written out as a run. */
int claims_trip_room(HicovClaims *c)
{
  if (c->n_trip < c->cap_trip)
    return HICOV_OK;
  if (c->cap_trip < trip_budget)
    return trip_resize(c, c->cap_trip ? c->cap_trip * 2
                          : (trip_budget < 1024 ? trip_budget : 1024));
  return trip_spill(c);
}

int claims_trip_reserve(HicovClaims *c, size_t n)
{
  size_t cap = c->cap_trip ? c->cap_trip : 1024;
  while (n > cap && cap < trip_budget)
    cap *= 2;
  if (cap > trip_budget)
    cap = trip_budget;
  return cap > c->cap_trip ? trip_resize(c, cap) : HICOV_OK;
}

void claims_spill_free(ClaimsSpill *sp)
{
  if (sp->open)
    close(sp->fd);
  hicov_free(sp->run);
  memset(sp, 0, sizeof *sp);
}

/* Triples read from a run at a time: RUN_SLICE, or fewer when there are
 * many runs, so that the runs' buffers take at most RUN_BUFFERS bytes. */
#define RUN_SLICE 2048
#define RUN_MIN_SLICE 256
#define RUN_BUFFERS (1u << 20)

static size_t run_slice(size_t runs)
{
  size_t k = runs ? RUN_BUFFERS / sizeof(ClaimsTriple) / runs : RUN_SLICE;
  return k < RUN_MIN_SLICE ? RUN_MIN_SLICE : k > RUN_SLICE ? RUN_SLICE : k;
}

static int run_fill(RunReader *r, const char *lang, char *err, size_t errsz)
{
  size_t want = r->left < r->cap ? (size_t)r->left : r->cap;
  if (claims_pread_all(r->fd, r->buf, want * sizeof(ClaimsTriple), r->off)) {
    claims_tmp_error(err, errsz, lang, CLAIMS_TMP_PATIENTS, CLAIMS_TMP_READ,
                     errno);
    return HICOV_IO;
  }
  r->off += want * sizeof(ClaimsTriple);
  r->left -= want;
  r->n = want;
  r->i = 0;
  return HICOV_OK;
}

void claims_trip_iter_close(TripIter *it)
{
  char err[sizeof it->err];
  memcpy(err, it->err, sizeof err); /* the reason it is closed, if any */
  /* the first n_mem sources point into win and win2 */
  for (size_t k = it->n_mem; it->src && k < it->n_src; k++)
    hicov_free(it->src[k].buf);
  hicov_free(it->src);
  hicov_free(it->win);
  hicov_free(it->win2);
  hicov_free(it->w);
  hicov_free(it->wtmp);
  hicov_free(it->cnt);
  memset(it, 0, sizeof *it);
  memcpy(it->err, err, sizeof err);
}

typedef struct {
  ClaimsTriple *v, *tmp, *out;
  size_t n;
  size_t *cnt;
} TripSortJob;

static void *trip_sort_job(void *arg)
{
  TripSortJob *j = arg;
  j->out = trip_radix(j->v, j->tmp, j->n, j->cnt);
  return NULL;
}

/* The first index in a sorted run of n triples at byte off whose patient
 * is at least key (n when none): a binary search, one read a probe. */
static int run_lower_bound(int fd, uint64_t off, uint64_t n, uint64_t key,
                           uint64_t *out, const char *lang, char *err,
                           size_t errsz)
{
  uint64_t a = 0, b = n;
  while (a < b) {
    uint64_t m = a + (b - a) / 2;
    ClaimsTriple t;
    if (claims_pread_all(fd, &t, sizeof t, off + m * sizeof t)) {
      claims_tmp_error(err, errsz, lang, CLAIMS_TMP_PATIENTS, CLAIMS_TMP_READ,
                       errno);
      return HICOV_IO;
    }
    if (t.patient < key)
      a = m + 1;
    else
      b = m;
  }
  *out = a;
  return HICOV_OK;
}

int claims_trip_iter_open(const HicovClaims *c, TripIter *it)
{
  return claims_trip_iter_range(c, it, 0, UINT64_MAX);
}

int claims_trip_iter_range(const HicovClaims *c, TripIter *it, uint64_t lo,
                           uint64_t hi)
{
  memset(it, 0, sizeof *it);
  it->lang = c->lang;
  int whole = lo == 0 && hi == UINT64_MAX;
  if (!whole && c->n_trip)
    return HICOV_INVALID;
  size_t ns = c->spill.n_run + 2;
  size_t n = c->n_trip;
  it->src = hicov_calloc(ns, sizeof *it->src);
  /* radix counters only for a table big enough to be radix-sorted */
  size_t *cnt = n >= 4096 ? hicov_malloc(2 * TRIP_RADIX_CNT * sizeof *cnt)
                          : NULL;
  if (n) {
    it->win = hicov_malloc(n * sizeof *it->win);
    it->win2 = hicov_malloc(n * sizeof *it->win2);
  }
  if (!it->src || (n >= 4096 && !cnt) ||
      (n && (!it->win || !it->win2))) {
    hicov_free(cnt);
    claims_trip_iter_close(it);
    return HICOV_NOMEM;
  }
  if (n) {
    memcpy(it->win, c->trip, n * sizeof *it->win);
    /* After a read on several threads, the table is sorted in two halves
       at once (the windows take them as two runs): this sort is most of
       the serial time of the totals. */
    size_t h = c->threads > 1 && n >= 4096 ? n / 2 : n;
    TripSortJob job = { it->win + h, it->win2 + h, NULL, n - h,
                        cnt ? cnt + TRIP_RADIX_CNT : NULL };
    pthread_t th;
    int threaded = h < n && !pthread_create(&th, NULL, trip_sort_job, &job);
    if (h < n && !threaded)
      trip_sort_job(&job);
    const ClaimsTriple *first = trip_radix(it->win, it->win2, h, cnt);
    if (threaded)
      pthread_join(th, NULL);
    it->src[it->n_src].buf = (ClaimsTriple *)first;
    it->src[it->n_src].cap = h;
    it->src[it->n_src++].n = h;
    if (h < n) {
      it->src[it->n_src].buf = job.out;
      it->src[it->n_src].cap = n - h;
      it->src[it->n_src++].n = n - h;
    }
    it->n_mem = it->n_src;
  }
  hicov_free(cnt);
  for (size_t k = 0; k < c->spill.n_run; k++) {
    uint64_t from = 0, to = c->spill.run[k].n;
    if (!whole) {
      int rc = run_lower_bound(c->spill.fd, c->spill.run[k].off, to, lo, &from,
                               it->lang, it->err, sizeof it->err);
      if (!rc && hi != UINT64_MAX)
        rc = run_lower_bound(c->spill.fd, c->spill.run[k].off, to, hi, &to,
                             it->lang, it->err, sizeof it->err);
      if (rc) {
        claims_trip_iter_close(it);
        return rc;
      }
    }
    if (from >= to)
      continue;
    RunReader *r = &it->src[it->n_src++];
    r->fd = c->spill.fd;
    r->off = c->spill.run[k].off + from * sizeof(ClaimsTriple);
    r->left = to - from;
    r->cap = run_slice(c->spill.n_run);
    if (!(r->buf = hicov_malloc(r->cap * sizeof *r->buf))) {
      claims_trip_iter_close(it);
      return HICOV_NOMEM;
    }
    int rc = run_fill(r, it->lang, it->err, sizeof it->err);
    if (rc) {
      claims_trip_iter_close(it);
      return rc;
    }
  }
  return HICOV_OK;
}

/* Copies an iterator's I/O message to c (a const handle's message buffer
 * is written all the same, as other handles' are on failure). */
int claims_trip_iter_error(HicovClaims *c, const TripIter *it, int rc)
{
  if (rc == HICOV_IO && it->err[0])
    hicov_fmt(c->errmsg, sizeof c->errmsg, "%s", it->err);
  else if (rc == HICOV_OVERFLOW)
    hicov_fmt(c->errmsg, sizeof c->errmsg, "%s",
              T_(c->lang, "fund paid per patient overflows 64 bits"));
  return rc;
}

/* Moves what is left of a run's buffer to its front and reads on behind
 * it, up to the buffer's size. */
static int run_topup(RunReader *r, const char *lang, char *err, size_t errsz)
{
  size_t keep = r->n - r->i;
  memmove(r->buf, r->buf + r->i, keep * sizeof *r->buf);
  size_t want = r->left < r->cap - keep ? (size_t)r->left : r->cap - keep;
  if (claims_pread_all(r->fd, r->buf + keep, want * sizeof(ClaimsTriple),
                       r->off)) {
    claims_tmp_error(err, errsz, lang, CLAIMS_TMP_PATIENTS, CLAIMS_TMP_READ,
                     errno);
    return HICOV_IO;
  }
  r->off += want * sizeof(ClaimsTriple);
  r->left -= want;
  r->n = keep + want;
  r->i = 0;
  return HICOV_OK;
}

/* x <= b in (patient, facility, month) order. */
static inline int trip_key_le(const ClaimsTriple *x, const ClaimsTriple *b)
{
  if (x->patient != b->patient)
    return x->patient < b->patient;
  if (x->fac != b->fac)
    return x->fac < b->fac;
  return x->month <= b->month;
}

/* How many of v[0..n), sorted, are at most b (all when b is NULL). */
static size_t upto(const ClaimsTriple *v, size_t n, const ClaimsTriple *b)
{
  if (!b)
    return n;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = lo + (hi - lo) / 2;
    if (trip_key_le(&v[m], b))
      lo = m + 1;
    else
      hi = m;
  }
  return lo;
}

static int window_room(TripIter *it, size_t n)
{
  return hicov_grow((void **)&it->w, &it->wcap, n, sizeof *it->w) ||
                 hicov_grow((void **)&it->wtmp, &it->wtmp_cap, n,
                            sizeof *it->wtmp)
             ? HICOV_NOMEM
             : HICOV_OK;
}

/* The next window: every triple up to b, the lowest (patient, facility,
 * month) that ends the buffer of a run not read to its end (the copies
 * of b in that run's file, if any, are read too), sorted.  A bound on the
 * whole key, not the patient: a patient with millions of triples (a
 * hostile file) still comes a window of bounded size at a time.
 * Buffers less than half full are topped up first, so
 * that a window takes about half of every buffer.  Empty when every
 * source is read. */
static int next_window(TripIter *it)
{
  int rc;
  ClaimsTriple bound;
  const ClaimsTriple *b = NULL;
  it->wn = it->wi = 0;
  for (size_t k = it->n_mem; k < it->n_src; k++) {
    RunReader *r = &it->src[k];
    if (r->left && r->n - r->i < r->cap / 2 &&
        (rc = run_topup(r, it->lang, it->err, sizeof it->err)))
      return rc;
    if (r->left && (!b || !trip_key_le(b, &r->buf[r->n - 1]))) {
      bound = r->buf[r->n - 1];
      b = &bound;
    }
  }
  for (size_t k = 0; k < it->n_src; k++) {
    RunReader *r = &it->src[k];
    for (;;) {
      size_t m = upto(r->buf + r->i, r->n - r->i, b);
      if (m && (rc = window_room(it, it->wn + m)))
        return rc;
      if (m)
        memcpy(it->w + it->wn, r->buf + r->i, m * sizeof *it->w);
      it->wn += m;
      r->i += m;
      if (r->i < r->n || !r->left)
        break;
      if ((rc = run_topup(r, it->lang, it->err, sizeof it->err)))
        return rc;
    }
  }
  if (!it->wn) {
    it->done = 1;
    return HICOV_OK;
  }
  if (it->wn >= 4096 && !it->cnt &&
      !(it->cnt = hicov_malloc(TRIP_RADIX_CNT * sizeof *it->cnt)))
    return HICOV_NOMEM;
  it->ws = trip_radix(it->w, it->wtmp, it->wn, it->cnt);
  return HICOV_OK;
}

/* *more = 0 at the end.  Fund sums of one triple over the runs are
 * checked for overflow. */
int claims_trip_iter_next(TripIter *it, ClaimsTriple *out, int *more)
{
  *more = 0;
  if (it->wi == it->wn) {
    int rc;
    if (!it->done && (rc = next_window(it)))
      return rc;
    if (it->done)
      return HICOV_OK;
  }
  const ClaimsTriple *v = it->ws;
  *out = v[it->wi++];
  while (it->wi < it->wn && v[it->wi].patient == out->patient &&
         v[it->wi].fac == out->fac && v[it->wi].month == out->month) {
    if (__builtin_add_overflow(out->fund, v[it->wi].fund, &out->fund))
      return HICOV_OVERFLOW;
    it->wi++;
  }
  *more = 1;
  return HICOV_OK;
}

/* Appends a triple (see trip_resize); fails only when the table is full
 * and cannot be written out. */
int claims_trip_add(HicovClaims *c, uint64_t patient, uint32_t fac,
                    int32_t month, int64_t fund)
{
  int rc = claims_trip_room(c);
  if (rc)
    return rc;
  c->patients_valid = 0;
  ClaimsTriple *t = &c->trip[c->n_trip++];
  t->patient = patient;
  t->fac = fac;
  t->month = month;
  t->fund = fund;
  return HICOV_OK;
}

int claims_merge_trips(HicovClaims *dst, const HicovClaims *src,
                       const uint32_t *fmap, const uint64_t *pmap)
{
  int rc;
  if ((rc = claims_trip_reserve(dst, dst->n_trip + src->n_trip)))
    return rc;
  /* the table first, then src's runs */
  for (size_t i = 0; i < src->n_trip; i++) {
    const ClaimsTriple *t = &src->trip[i];
    uint64_t p = t->patient >> 63 ? pmap[t->patient & 0xffffffffu] : t->patient;
    if ((rc = claims_trip_add(dst, p, fmap[t->fac], t->month, t->fund)))
      return rc;
  }
  if (!src->spill.n_run)
    return HICOV_OK;
  ClaimsTriple *rbuf = hicov_malloc(RUN_SLICE * sizeof *rbuf);
  if (!rbuf)
    return HICOV_NOMEM;
  for (size_t k = 0; k < src->spill.n_run && !rc; k++) {
    RunReader rr = { src->spill.fd, src->spill.run[k].off,
                     src->spill.run[k].n, rbuf, 0, 0, RUN_SLICE };
    while (rr.left && !rc) {
      char err[320];
      if ((rc = run_fill(&rr, dst->lang, err, sizeof err))) {
        claims_error(dst, rc, "%s", err);
        break;
      }
      for (size_t i = 0; i < rr.n && !rc; i++) {
        const ClaimsTriple *t = &rbuf[i];
        uint64_t p = t->patient >> 63 ? pmap[t->patient & 0xffffffffu]
                                      : t->patient;
        rc = claims_trip_add(dst, p, fmap[t->fac], t->month, t->fund);
      }
    }
  }
  hicov_free(rbuf);
  return rc;
}
