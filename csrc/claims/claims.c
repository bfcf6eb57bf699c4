/* claims.c - the claims accumulator: exact sums per cell, distinct
 * patients, duplicates, messages, merge, serialisation and the step into a
 * dataset.  Parsing lives in claims-read.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-private.h"

static const char *const reject_names[HICOV_CLAIMS_N_REJECT] = {
  "missing", "malformed", "duplicate", "inner_xml", "base64", "no_xml1",
  "csv_row", "file_refused",
};
static const char *const flag_names[HICOV_CLAIMS_N_FLAG] = {
  "amount_nan", "amount_comma", "card_missing", "card_malformed",
  "card_si_only", "card_multiple", "days_computed", "facility_envelope",
  "no_patient", "hoso_count",
};

const char *hicov_claims_reject_name(int reason)
{
  return reason >= 0 && reason < HICOV_CLAIMS_N_REJECT ? reject_names[reason]
                                                       : NULL;
}

const char *hicov_claims_flag_name(int flag)
{
  return flag >= 0 && flag < HICOV_CLAIMS_N_FLAG ? flag_names[flag] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Handle                                                                    */

int hicov_claims_new(HicovClaims **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  HicovClaims *c = hicov_calloc(1, sizeof *c);
  if (!c)
    return HICOV_NOMEM;
  c->dedup_own = claims_dedup_new();
  if (!c->dedup_own) {
    hicov_free(c);
    return HICOV_NOMEM;
  }
  c->dedup = c->dedup_own;
  c->max_msgs = 1000;
  *out = c;
  return HICOV_OK;
}

int claims_new_worker(HicovClaims *parent, HicovClaims **out)
{
  HicovClaims *c = hicov_calloc(1, sizeof *c);
  if (!c)
    return HICOV_NOMEM;
  c->dedup = parent->dedup;
  c->max_msgs = parent->max_msgs;
  *out = c;
  return HICOV_OK;
}

static void free_msgs(HicovClaims *c)
{
  for (size_t i = 0; i < c->n_msgs; i++) {
    hicov_free(c->msgs[i].file);
    hicov_free(c->msgs[i].record);
    hicov_free(c->msgs[i].field);
    hicov_free(c->msgs[i].message);
  }
  hicov_free(c->msgs);
  c->msgs = NULL;
  c->n_msgs = c->cap_msgs = 0;
}

static void free_data(HicovClaims *c)
{
  hicov_free(c->fac);
  hicov_free(c->fac_hash);
  for (size_t i = 0; i < c->n_pstr; i++)
    hicov_free(c->pstr[i]);
  hicov_free(c->pstr);
  hicov_free(c->pstr_hash);
  hicov_free(c->cells);
  hicov_free(c->cell_hash);
  claims_cell_spill_free(&c->cspill);
  hicov_free(c->trip);
  claims_trip_scratch_free(c);
  claims_spill_free(&c->spill);
  c->fac = NULL;
  c->fac_hash = NULL;
  c->pstr = NULL;
  c->pstr_hash = NULL;
  c->cells = NULL;
  c->cell_hash = NULL;
  c->trip = NULL;
  c->n_fac = c->cap_fac = c->fac_hcap = 0;
  c->n_pstr = c->cap_pstr = c->pstr_hcap = 0;
  c->n_cells = c->cap_cells = c->cell_hcap = 0;
  c->n_trip = c->cap_trip = 0;
}

void hicov_claims_free(HicovClaims *c)
{
  if (!c)
    return;
  free_data(c);
  free_msgs(c);
  claims_dedup_free(c->dedup_own);
  if (c->local) {
    claims_set_clear(c->local);
    hicov_free(c->local);
  }
  hicov_free(c);
}

const char *hicov_claims_errmsg(const HicovClaims *c)
{
  return c ? c->errmsg : "no claims handle";
}

void hicov_claims_set_max_messages(HicovClaims *c, size_t n)
{
  if (c)
    c->max_msgs = n;
}

/* Locked because merge_data's two halves (cells, patient triples) may both
 * fail at once on the same handle; either message is then a true one. */
static pthread_mutex_t error_lock = PTHREAD_MUTEX_INITIALIZER;

int claims_error(HicovClaims *c, int status, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&error_lock);
  vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
  pthread_mutex_unlock(&error_lock);
  va_end(ap);
  return status;
}

static int add_msg(HicovClaims *c, int kind, int code, const char *file,
                   const char *record, const char *field, const char *text)
{
  if (c->n_msgs >= c->max_msgs)
    return HICOV_OK;
  if (hicov_grow((void **)&c->msgs, &c->cap_msgs, c->n_msgs + 1,
                 sizeof *c->msgs))
    return HICOV_NOMEM;
  ClaimsMsg *m = &c->msgs[c->n_msgs];
  m->kind = kind;
  m->code = code;
  m->file = hicov_strdup(file ? file : "");
  m->record = hicov_strdup(record ? record : "");
  m->field = hicov_strdup(field ? field : "");
  m->message = hicov_strdup(text);
  if (!m->file || !m->record || !m->field || !m->message) {
    hicov_free(m->file);
    hicov_free(m->record);
    hicov_free(m->field);
    hicov_free(m->message);
    return HICOV_NOMEM;
  }
  c->n_msgs++;
  return HICOV_OK;
}

int claims_message(HicovClaims *c, int kind, int code, const char *file,
                   const char *record, const char *field, const char *fmt, ...)
{
  if (c->n_msgs >= c->max_msgs)
    return HICOV_OK;
  char text[640];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return add_msg(c, kind, code, file, record, field, text);
}

size_t hicov_claims_message_count(const HicovClaims *c)
{
  return c ? c->n_msgs : 0;
}

int hicov_claims_message(const HicovClaims *c, size_t i,
                         HicovClaimsMessage *out)
{
  if (!c || !out || i >= c->n_msgs)
    return HICOV_INVALID;
  const ClaimsMsg *m = &c->msgs[i];
  out->kind = m->kind;
  out->code = m->code;
  out->file = m->file;
  out->record = m->record;
  out->field = m->field;
  out->message = m->message;
  return HICOV_OK;
}

void hicov_claims_counts(const HicovClaims *c, HicovClaimsCounts *out)
{
  if (!out)
    return;
  if (!c) {
    memset(out, 0, sizeof *out);
    return;
  }
  *out = c->counts;
}

/* ------------------------------------------------------------------------ */
/* Interning                                                                 */

/* A zero-padded facility code (CLAIMS_FAC_MAX + 1 bytes) is hashed and
 * compared as two words: interning one a record was 6% of a CSV read's
 * time, in the step that adds records one after another. */
static inline uint64_t fac_hash16(const char *f)
{
  uint64_t a, b;
  memcpy(&a, f, 8);
  memcpy(&b, f + 8, 8);
  return mix64(a ^ mix64(b ^ 7));
}

static inline int fac_eq16(const char *x, const char *y)
{
  uint64_t a, b, c, d;
  memcpy(&a, x, 8);
  memcpy(&b, x + 8, 8);
  memcpy(&c, y, 8);
  memcpy(&d, y + 8, 8);
  return ((a ^ c) | (b ^ d)) == 0;
}

static int fac_rehash(HicovClaims *c, size_t ncap)
{
  uint32_t *h = hicov_calloc(ncap, sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < c->n_fac; i++) {
    size_t j = (size_t)fac_hash16(c->fac[i]) & (ncap - 1);
    while (h[j])
      j = (j + 1) & (ncap - 1);
    h[j] = (uint32_t)i + 1;
  }
  hicov_free(c->fac_hash);
  c->fac_hash = h;
  c->fac_hcap = ncap;
  return HICOV_OK;
}

/* The index of facility code, added if new; code is zero-padded to
 * CLAIMS_FAC_MAX + 1 bytes (as a ClaimsRec's and c->fac's are). */
static int fac_intern16(HicovClaims *c, const char *code, uint32_t *idx)
{
  uint64_t h = fac_hash16(code);
  if (c->fac_hcap) {
    size_t j = (size_t)h & (c->fac_hcap - 1);
    while (c->fac_hash[j]) {
      uint32_t k = c->fac_hash[j] - 1;
      if (fac_eq16(c->fac[k], code)) {
        *idx = k;
        return HICOV_OK;
      }
      j = (j + 1) & (c->fac_hcap - 1);
    }
  }
  if (c->n_fac >= (1u << 24))
    return claims_error(c, HICOV_LIMIT, "more than 16 million facilities");
  if (hicov_grow((void **)&c->fac, &c->cap_fac, c->n_fac + 1, sizeof *c->fac))
    return HICOV_NOMEM;
  memcpy(c->fac[c->n_fac], code, sizeof c->fac[0]);
  c->n_fac++;
  if (c->n_fac * 2 > c->fac_hcap) {
    if (fac_rehash(c, c->fac_hcap ? c->fac_hcap * 2 : 64))
      return HICOV_NOMEM;
  } else {
    size_t j = (size_t)h & (c->fac_hcap - 1);
    while (c->fac_hash[j])
      j = (j + 1) & (c->fac_hcap - 1);
    c->fac_hash[j] = (uint32_t)c->n_fac;
  }
  *idx = (uint32_t)c->n_fac - 1;
  return HICOV_OK;
}

/* fac_intern16 of a code of at most CLAIMS_FAC_MAX characters. */
static int fac_intern(HicovClaims *c, const char *code, uint32_t *idx)
{
  char pad[CLAIMS_FAC_MAX + 1] = { 0 };
  memcpy(pad, code, strnlen(code, CLAIMS_FAC_MAX));
  return fac_intern16(c, pad, idx);
}

static int pstr_rehash(HicovClaims *c, size_t ncap)
{
  uint32_t *h = hicov_calloc(ncap, sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < c->n_pstr; i++) {
    size_t j = (size_t)claims_hash_bytes(c->pstr[i], strlen(c->pstr[i]), 11) &
               (ncap - 1);
    while (h[j])
      j = (j + 1) & (ncap - 1);
    h[j] = (uint32_t)i + 1;
  }
  hicov_free(c->pstr_hash);
  c->pstr_hash = h;
  c->pstr_hcap = ncap;
  return HICOV_OK;
}

static int pstr_intern(HicovClaims *c, const char *key, uint64_t *id)
{
  size_t len = strlen(key);
  if (c->pstr_hcap) {
    size_t j = (size_t)claims_hash_bytes(key, len, 11) & (c->pstr_hcap - 1);
    while (c->pstr_hash[j]) {
      uint32_t k = c->pstr_hash[j] - 1;
      if (!strcmp(c->pstr[k], key)) {
        *id = (1ULL << 63) | k;
        return HICOV_OK;
      }
      j = (j + 1) & (c->pstr_hcap - 1);
    }
  }
  if (c->n_pstr >= UINT32_MAX - 1)
    return claims_error(c, HICOV_LIMIT, "too many patients without a card");
  if (hicov_grow((void **)&c->pstr, &c->cap_pstr, c->n_pstr + 1,
                 sizeof *c->pstr))
    return HICOV_NOMEM;
  char *s = hicov_strndup(key, len);
  if (!s)
    return HICOV_NOMEM;
  c->pstr[c->n_pstr++] = s;
  if (c->n_pstr * 2 > c->pstr_hcap) {
    if (pstr_rehash(c, c->pstr_hcap ? c->pstr_hcap * 2 : 64))
      return HICOV_NOMEM;
  } else {
    size_t j = (size_t)claims_hash_bytes(key, len, 11) & (c->pstr_hcap - 1);
    while (c->pstr_hash[j])
      j = (j + 1) & (c->pstr_hcap - 1);
    c->pstr_hash[j] = (uint32_t)c->n_pstr;
  }
  *id = (1ULL << 63) | (c->n_pstr - 1);
  return HICOV_OK;
}

int claims_reserve(HicovClaims *c, size_t records)
{
  int rc = HICOV_OK;
  if (c->local) {
    rc = claims_set_reserve(c->local, c->local->n + records);
  } else {
    size_t per = records / CLAIMS_DEDUP_SHARDS + records / 256;
    for (int s = 0; s < CLAIMS_DEDUP_SHARDS && !rc; s++) {
      pthread_mutex_lock(&c->dedup->lock[s]);
      rc = claims_set_reserve(&c->dedup->set[s], c->dedup->set[s].n + per);
      pthread_mutex_unlock(&c->dedup->lock[s]);
    }
  }
  /* patient triples number between a third and all of the records:
     half saves most of the doublings without overshooting much */
  return rc ? rc : claims_trip_reserve(c, c->n_trip + records / 2);
}

/* Adds one record whose duplicate check is done (added: it was new).
 * All or nothing: every allocation and overflow check comes before the
 * first change, so a failure leaves the record uncounted and the sums as
 * they were.  Only a new facility or patient-key string (unused) or an
 * empty cell may remain.  (One patient's fund past 64 bits is not an
 * error here: the copies of a triple are summed later, and the sums that
 * need that patient's total report it.)
 * *counted says whether the record entered the counts (a duplicate whose
 * message could not be recorded is still counted). */
static int commit_one(HicovClaims *c, const ClaimsRec *r, const char *file,
                      int added, uint32_t fac, uint64_t hk, int *counted)
{
  int rc;
  *counted = 0;
  if (!added) {
    c->counts.rejected++;
    c->counts.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE]++;
    *counted = 1;
    return claims_message(c, HICOV_CLAIMS_MSG_REJECT,
                          HICOV_CLAIMS_REJECT_DUPLICATE, file, r->ma_lk,
                          "MA_LK", "%s, record %s: duplicate: MA_LK '%s' at "
                          "facility %s was already read; counted once",
                          file, r->ma_lk, r->ma_lk, r->fac);
  }
  uint64_t patient = r->patient;
  if (!patient && (rc = pstr_intern(c, r->pkey, &patient)))
    return rc;
  /* room for one more patient triple, so that claims_trip_add cannot fail for
     memory (or a full disk) after the cell has changed */
  if ((rc = claims_trip_room(c)))
    return rc;
  ClaimsCell *e;
  if ((rc = claims_cell_get_h(c, hk, fac, r->month, r->group, r->type, &e)))
    return rc;
  int64_t v[6] = { 1, r->inpatient, r->inpatient ? r->days : 0, r->total,
                   r->fund, r->copay };
  CellSums sums;
  if ((rc = claims_cell_sums(c, e, v, &sums)))
    return rc;
  if ((rc = claims_trip_add(c, patient, fac, r->month, r->fund)))
    return rc;
  cell_set_sums(e, &sums);
  *counted = 1;
  c->counts.accepted++;
  if (r->era == 1)
    c->counts.records_4210++;
  else
    c->counts.records_130++;
  if (r->flags) {
    c->counts.flagged++;
    for (int k = 0; k < HICOV_CLAIMS_N_FLAG; k++)
      if (r->flags & (1u << k))
        c->counts.flagged_by[k]++;
  }
  return HICOV_OK;
}

int claims_commit_keys(HicovClaims *c, const ClaimsRec *r, size_t n,
                       unsigned char *added)
{
  uint64_t keys[1024];
  int rc = HICOV_OK;
  /* in slices of 1024: the duplicate check of a slice takes each shard's
   * lock once (a worker's window is one slice) */
  for (size_t off = 0; off < n && !rc; off += 1024) {
    size_t m = n - off < 1024 ? n - off : 1024;
    if (c->local) {
      for (size_t i = 0; i < m && !rc; i++) {
        int a;
        if (i + 8 < m)
          set_prefetch(c->local, r[off + i + 8].dedup);
        rc = claims_set_insert(c->local, r[off + i].dedup, &a);
        added[off + i] = (unsigned char)a;
      }
    } else {
      for (size_t i = 0; i < m; i++)
        keys[i] = r[off + i].dedup;
      rc = claims_dedup_insert_batch(c->dedup, keys, m, added + off);
    }
  }
  if (rc == HICOV_IO)
    return claims_error(c, rc, "%s", c->local ? c->local->err
                                               : claims_dedup_error(c->dedup));
  return rc;
}

int claims_commit_data(HicovClaims *c, const ClaimsRec *r, size_t n,
                       const unsigned char *added, const char *file,
                       size_t *done)
{
  int rc = HICOV_OK;
  *done = 0;
  for (size_t off = 0; off < n && !rc; off += 1024) {
    size_t m = n - off < 1024 ? n - off : 1024;
    const unsigned char *ad = added + off;
    /* The cell table is far bigger than the caches and records come in
     * no order, so each record would wait for memory twice.  Instead the
     * index slots of the whole slice are prefetched first, and each cell
     * a few records ahead of the one being added. */
    uint32_t fac[1024];
    uint64_t ch[1024];
    for (size_t i = 0; i < m && !rc; i++) {
      if (!ad[i])
        continue;
      const ClaimsRec *x = &r[off + i];
      /* a new facility may stay interned if the record then fails */
      if ((rc = fac_intern16(c, x->fac, &fac[i])))
        break;
      ch[i] = cell_key_hash(fac[i], x->month, x->group, x->type);
      if (c->cell_hcap)
        __builtin_prefetch(&c->cell_hash[ch[i] & (c->cell_hcap - 1)]);
    }
    for (size_t i = 0; i < m && !rc; i++) {
      if (i + 8 < m && ad[i + 8] && c->cell_hcap) {
        uint32_t k = c->cell_hash[ch[i + 8] & (c->cell_hcap - 1)];
        if (k)
          __builtin_prefetch(&c->cells[k - 1]);
      }
      int counted;
      rc = commit_one(c, &r[off + i], file, ad[i], ad[i] ? fac[i] : 0,
                      ad[i] ? ch[i] : 0, &counted);
      *done += (size_t)counted;
    }
  }
  return rc;
}

int claims_commit(HicovClaims *c, const ClaimsRec *r, size_t n,
                  const char *file, size_t *done)
{
  unsigned char added[1024];
  int rc = HICOV_OK;
  *done = 0;
  for (size_t off = 0; off < n && !rc; off += 1024) {
    size_t m = n - off < 1024 ? n - off : 1024, d = 0;
    if ((rc = claims_commit_keys(c, r + off, m, added)))
      break;
    rc = claims_commit_data(c, r + off, m, added, file, &d);
    *done += d;
  }
  return rc;
}

/* ------------------------------------------------------------------------ */
/* Merge                                                                     */

static void add_counts(HicovClaimsCounts *d, const HicovClaimsCounts *s)
{
  int64_t *dp = (int64_t *)d;
  const int64_t *sp = (const int64_t *)s;
  for (size_t k = 0; k < sizeof *d / sizeof(int64_t); k++)
    dp[k] += sp[k];
}

int claims_move_msgs(HicovClaims *dst, HicovClaims *src, size_t from, size_t to)
{
  if (to > src->n_msgs)
    to = src->n_msgs;
  for (size_t i = from; i < to; i++) {
    ClaimsMsg *m = &src->msgs[i];
    if (!m->message)
      continue; /* moved already */
    if (dst->n_msgs < dst->max_msgs) {
      if (hicov_grow((void **)&dst->msgs, &dst->cap_msgs, dst->n_msgs + 1,
                     sizeof *dst->msgs))
        return HICOV_NOMEM;
      dst->msgs[dst->n_msgs++] = *m;
    } else {
      hicov_free(m->file);
      hicov_free(m->record);
      hicov_free(m->field);
      hicov_free(m->message);
    }
    memset(m, 0, sizeof *m);
  }
  return HICOV_OK;
}

void claims_move_counts(HicovClaims *dst, HicovClaims *src)
{
  add_counts(&dst->counts, &src->counts);
  memset(&src->counts, 0, sizeof src->counts);
}

void claims_clear_log(HicovClaims *c)
{
  free_msgs(c);
  memset(&c->counts, 0, sizeof c->counts);
}

/* src's patient triples into dst (table, then runs), through the maps of
 * src's facility and card-less patient numbers to dst's. */
typedef struct {
  HicovClaims *dst;
  const HicovClaims *src;
  const uint32_t *fmap;
  const uint64_t *pmap;
  int rc;
} TripMerge;

static void *merge_trips_job(void *arg)
{
  TripMerge *m = arg;
  m->rc = claims_merge_trips(m->dst, m->src, m->fmap, m->pmap);
  return NULL;
}

/* Adds src's data (not its duplicate table) into dst. */
static int merge_data(HicovClaims *dst, const HicovClaims *src)
{
  int rc = HICOV_OK;
  uint32_t *fmap = NULL;
  uint64_t *pmap = NULL;
  if (src->n_fac && !(fmap = hicov_malloc(src->n_fac * sizeof *fmap)))
    return HICOV_NOMEM;
  if (src->n_pstr && !(pmap = hicov_malloc(src->n_pstr * sizeof *pmap))) {
    hicov_free(fmap);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < src->n_fac; i++)
    if ((rc = fac_intern(dst, src->fac[i], &fmap[i])))
      goto out;
  for (size_t i = 0; i < src->n_pstr; i++)
    if ((rc = pstr_intern(dst, src->pstr[i], &pmap[i])))
      goto out;
  /* The cells and the triples are separate tables of dst: a big src (a
     split file's part, a worker's files) merges them on two threads, as
     this is the serial tail of a threaded read. */
  TripMerge tm = { dst, src, fmap, pmap, HICOV_OK };
  pthread_t th;
  int threaded = src->n_trip + (src->spill.n_run ? 65536 : 0) >= 65536 &&
                 !pthread_create(&th, NULL, merge_trips_job, &tm);
  rc = claims_merge_cells(dst, src, fmap);
  if (threaded)
    pthread_join(th, NULL);
  else if (!rc)
    merge_trips_job(&tm);
  if (!rc)
    rc = tm.rc;
  if (rc)
    goto out;
  add_counts(&dst->counts, &src->counts);
  for (size_t i = 0; i < src->n_msgs; i++) {
    const ClaimsMsg *m = &src->msgs[i];
    if ((rc = add_msg(dst, m->kind, m->code, m->file, m->record, m->field,
                      m->message)))
      goto out;
  }
out:
  hicov_free(fmap);
  hicov_free(pmap);
  return rc;
}

int claims_absorb(HicovClaims *dst, HicovClaims *src)
{
  if (!dst->n_fac && !dst->n_pstr && !dst->n_cells && !dst->n_trip &&
      !dst->spill.n_run && !dst->cspill.n) {
    /* an empty destination takes src's tables as they are */
    free_data(dst);
    dst->fac = src->fac;
    dst->n_fac = src->n_fac;
    dst->cap_fac = src->cap_fac;
    dst->fac_hash = src->fac_hash;
    dst->fac_hcap = src->fac_hcap;
    dst->pstr = src->pstr;
    dst->n_pstr = src->n_pstr;
    dst->cap_pstr = src->cap_pstr;
    dst->pstr_hash = src->pstr_hash;
    dst->pstr_hcap = src->pstr_hcap;
    dst->cells = src->cells;
    dst->n_cells = src->n_cells;
    dst->cap_cells = src->cap_cells;
    dst->cell_hash = src->cell_hash;
    dst->cell_hcap = src->cell_hcap;
    dst->trip = src->trip;
    dst->n_trip = src->n_trip;
    dst->cap_trip = src->cap_trip;
    dst->spill = src->spill;
    memset(&src->spill, 0, sizeof src->spill);
    claims_cell_spill_free(&dst->cspill);
    dst->cspill = src->cspill;
    memset(&src->cspill, 0, sizeof src->cspill);
    src->fac = NULL;
    src->fac_hash = NULL;
    src->pstr = NULL;
    src->pstr_hash = NULL;
    src->cells = NULL;
    src->cell_hash = NULL;
    src->trip = NULL;
    src->n_fac = src->n_pstr = src->n_cells = src->n_trip = 0;
    free_data(src);
    int rc2 = HICOV_OK;
    add_counts(&dst->counts, &src->counts);
    for (size_t i = 0; i < src->n_msgs && !rc2; i++) {
      const ClaimsMsg *m = &src->msgs[i];
      rc2 = add_msg(dst, m->kind, m->code, m->file, m->record, m->field,
                    m->message);
    }
    free_msgs(src);
    memset(&src->counts, 0, sizeof src->counts);
    return rc2;
  }
  int rc = merge_data(dst, src);
  free_data(src);
  free_msgs(src);
  memset(&src->counts, 0, sizeof src->counts);
  return rc;
}

int hicov_claims_merge(HicovClaims *dst, const HicovClaims *src)
{
  if (!dst || !src || dst == src)
    return HICOV_INVALID;
  int rc;
  /* Duplicate keys first: a key in both is a record counted twice. */
  if (src->dedup_own) {
    for (int s = 0; s < CLAIMS_DEDUP_SHARDS; s++) {
      const ClaimsSet *set = &src->dedup_own->set[s];
      if (!claims_set_count(set))
        continue;
      uint64_t *keys = NULL;
      size_t n = 0;
      if ((rc = claims_set_keys(set, &keys, &n))) {
        if (rc == HICOV_IO)
          claims_error(dst, rc, "%s", set->err);
        return rc;
      }
      unsigned char *added = hicov_malloc(n ? n : 1);
      if (!added) {
        hicov_free(keys);
        return HICOV_NOMEM;
      }
      rc = claims_dedup_insert_batch(dst->dedup, keys, n, added);
      if (rc == HICOV_IO)
        claims_error(dst, rc, "%s", claims_dedup_error(dst->dedup));
      for (size_t i = 0; i < n && !rc; i++)
        dst->counts.merge_conflicts += !added[i];
      hicov_free(keys);
      hicov_free(added);
      if (rc)
        return rc;
    }
  }
  return merge_data(dst, src);
}

/* ------------------------------------------------------------------------ */
/* Serialisation: native byte order with a byte-order mark (pickling
 * between processes of one machine type); checked field by field on load. */

#define SER_MAGIC "HICOVCL1"

/* A cell as format 1 writes it (the 48-byte layout ClaimsCell had then),
 * whatever ClaimsCell's own layout. */
typedef struct {
  uint32_t fac;
  int32_t month;
  uint16_t group;
  uint8_t type, pad;
  int32_t n[3]; /* visits, inpatient visits, inpatient days */
  int64_t m[3];
} SerCell;
_Static_assert(sizeof(SerCell) == 48, "format 1 cells are 48 bytes");
_Static_assert(sizeof(ClaimsCell) == 40, "a cell is 40 bytes");
_Static_assert(CLAIMS_FAC_MAX + 1 == 16, "facility codes are two words");

typedef struct {
  unsigned char *buf;
  size_t len, cap;
  int err;
} Ser;

static void put(Ser *s, const void *p, size_t n)
{
  if (s->err || n == 0) /* n == 0: p may be NULL (an empty table) */
    return;
  if (hicov_grow((void **)&s->buf, &s->cap, s->len + n, 1)) {
    s->err = HICOV_NOMEM;
    return;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
}

static void put_u64(Ser *s, uint64_t v) { put(s, &v, sizeof v); }

static void put_str(Ser *s, const char *str)
{
  uint64_t n = strlen(str);
  put_u64(s, n);
  put(s, str, (size_t)n);
}

int hicov_claims_serialize(const HicovClaims *c, void **out, size_t *len)
{
  if (!c || !out || !len)
    return HICOV_INVALID;
  Ser s = { 0 };
  put(&s, SER_MAGIC, 8);
  put_u64(&s, 0x0102030405060708ULL);
  put(&s, &c->counts, sizeof c->counts);
  put_u64(&s, c->n_fac);
  for (size_t i = 0; i < c->n_fac; i++)
    put_str(&s, c->fac[i]);
  put_u64(&s, c->n_pstr);
  for (size_t i = 0; i < c->n_pstr; i++)
    put_str(&s, c->pstr[i]);
  /* cells written out are merged first: the same bytes as a handle that
     kept them all in memory */
  HicovClaims whole;
  const HicovClaims *cs = c;
  if (c->cspill.n) {
    int wrc = claims_cells_whole(c, &whole);
    if (wrc) {
      claims_cells_whole_free(&whole);
      hicov_free(s.buf);
      return wrc;
    }
    cs = &whole;
  }
  put_u64(&s, cs->n_cells);
  for (size_t i = 0; i < cs->n_cells; i++) {
    const ClaimsCell *e = &cs->cells[i];
    SerCell x = { e->fac, e->month, e->group, e->type, 0,
                  { e->visits, (int32_t)cell_v(e, 1), e->days },
                  { e->m[0], e->m[1], e->m[2] } };
    put(&s, &x, sizeof x);
  }
  if (cs != c)
    claims_cells_whole_free(&whole);
  /* The hash tables are written in sorted order, so equal states give
   * equal bytes whatever order they were filled in (one process or a
   * merge of many). */
  uint64_t nkeys = 0;
  if (c->dedup_own)
    for (int k = 0; k < CLAIMS_DEDUP_SHARDS; k++)
      nkeys += claims_set_count(&c->dedup_own->set[k]);
  uint64_t *keys = nkeys ? hicov_malloc((size_t)nkeys * sizeof *keys) : NULL;
  if (nkeys && !keys) {
    hicov_free(s.buf);
    return HICOV_NOMEM;
  }
  /* triples merged from the table and the runs, in patient order; the
     count goes in front once known */
  TripIter it;
  int rc = claims_trip_iter_open(c, &it);
  if (rc) {
    hicov_free(keys);
    hicov_free(s.buf);
    return claims_trip_iter_error((HicovClaims *)c, &it, rc);
  }
  size_t at = s.len;
  uint64_t nt = 0;
  put_u64(&s, 0);
  ClaimsTriple t;
  int more;
  while (!s.err && !(rc = claims_trip_iter_next(&it, &t, &more)) && more) {
    put(&s, &t, sizeof t);
    nt++;
  }
  rc = claims_trip_iter_error((HicovClaims *)c, &it, rc);
  claims_trip_iter_close(&it);
  if (rc || s.err) {
    hicov_free(keys);
    hicov_free(s.buf);
    return rc ? rc : s.err;
  }
  memcpy(s.buf + at, &nt, sizeof nt);
  size_t nk = 0;
  for (int k = 0; c->dedup_own && k < CLAIMS_DEDUP_SHARDS; k++) {
    uint64_t *part;
    size_t np;
    const ClaimsSet *set = &c->dedup_own->set[k];
    if (!claims_set_count(set))
      continue;
    if ((rc = claims_set_keys(set, &part, &np))) {
      if (rc == HICOV_IO)
        hicov_fmt(((HicovClaims *)c)->errmsg, sizeof c->errmsg, "%s", set->err);
      hicov_free(keys);
      hicov_free(s.buf);
      return rc;
    }
    memcpy(keys + nk, part, np * sizeof *part);
    nk += np;
    hicov_free(part);
  }
  if (nk > 1)
    qsort(keys, nk, sizeof *keys, cmp_u64);
  put_u64(&s, nk);
  put(&s, keys, nk * sizeof *keys);
  hicov_free(keys);
  put_u64(&s, c->n_msgs);
  for (size_t i = 0; i < c->n_msgs; i++) {
    const ClaimsMsg *m = &c->msgs[i];
    put_u64(&s, (uint64_t)(uint32_t)m->kind | (uint64_t)(uint32_t)m->code << 32);
    put_str(&s, m->file);
    put_str(&s, m->record);
    put_str(&s, m->field);
    put_str(&s, m->message);
  }
  put_u64(&s, c->max_msgs);
  if (s.err) {
    hicov_free(s.buf);
    return s.err;
  }
  *out = s.buf;
  *len = s.len;
  return HICOV_OK;
}

typedef struct {
  const unsigned char *p, *end;
  int bad;
} Des;

static int get(Des *d, void *out, size_t n)
{
  if (d->bad || (size_t)(d->end - d->p) < n) {
    d->bad = 1;
    memset(out, 0, n);
    return 0;
  }
  memcpy(out, d->p, n);
  d->p += n;
  return 1;
}

static uint64_t get_u64(Des *d)
{
  uint64_t v = 0;
  get(d, &v, sizeof v);
  return v;
}

/* Reads a string into buf (size cap); returns its length or -1. */
static long get_str(Des *d, char *buf, size_t cap)
{
  uint64_t n = get_u64(d);
  if (d->bad || n >= cap || (uint64_t)(d->end - d->p) < n) {
    d->bad = 1;
    return -1;
  }
  memcpy(buf, d->p, (size_t)n);
  buf[n] = 0;
  d->p += n;
  return (long)n;
}

int hicov_claims_deserialize(const void *data, size_t len, HicovClaims **out)
{
  if (!data || !out)
    return HICOV_INVALID;
  *out = NULL;
  Des d = { data, (const unsigned char *)data + len, 0 };
  char magic[8];
  get(&d, magic, 8);
  if (d.bad || memcmp(magic, SER_MAGIC, 8) ||
      get_u64(&d) != 0x0102030405060708ULL)
    return HICOV_PARSE;
  HicovClaims *c;
  int rc = hicov_claims_new(&c);
  if (rc)
    return rc;
  char *tmp = hicov_malloc(4096);
  if (!tmp) {
    hicov_claims_free(c);
    return HICOV_NOMEM;
  }
  get(&d, &c->counts, sizeof c->counts);
  uint64_t n = get_u64(&d);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    uint32_t idx = 0;
    if (get_str(&d, tmp, CLAIMS_FAC_MAX + 1) >= 0)
      rc = fac_intern(c, tmp, &idx);
    if (!rc && !d.bad && idx != i)
      d.bad = 1; /* a repeated facility code */
  }
  n = get_u64(&d);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    uint64_t id = 0;
    if (get_str(&d, tmp, 4096) >= 0)
      rc = pstr_intern(c, tmp, &id);
    if (!rc && !d.bad && (id & 0xffffffffu) != i)
      d.bad = 1;
  }
  n = get_u64(&d);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    SerCell s;
    ClaimsCell *e;
    if (!get(&d, &s, sizeof s))
      break;
    /* inpatient visits and days only where the type is inpatient, as a
       read gives them (ClaimsCell does not store the inpatient visits) */
    int inp = claims_type_inpatient(s.type);
    if (s.fac >= c->n_fac || s.type < 1 || s.type > CLAIMS_MAX_TYPE ||
        s.group >= CLAIMS_N_GROUPS || s.month < CLAIMS_MONTH_MIN ||
        s.month > CLAIMS_MONTH_MAX || s.n[1] != (inp ? s.n[0] : 0) ||
        (!inp && s.n[2])) {
      d.bad = 1;
      break;
    }
    if (!(rc = claims_cell_get(c, s.fac, s.month, s.group, s.type, &e))) {
      int64_t sv[6] = { s.n[0], s.n[1], s.n[2], s.m[0], s.m[1], s.m[2] };
      rc = claims_cell_add_values(c, e, sv);
    }
  }
  n = get_u64(&d);
  /* reserve first: the table is not doubled as it fills */
  if (!d.bad && n <= (uint64_t)(d.end - d.p) / sizeof(ClaimsTriple))
    rc = claims_trip_reserve(c, (size_t)n);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    ClaimsTriple t;
    if (!get(&d, &t, sizeof t))
      break;
    if (t.fac >= c->n_fac || t.month <= 0 ||
        (t.patient >> 63 && (t.patient & 0x7fffffffffffffffULL) >= c->n_pstr)) {
      d.bad = 1;
      break;
    }
    rc = claims_trip_add(c, t.patient, t.fac, t.month, t.fund);
  }
  n = get_u64(&d);
  if (!d.bad && n <= (uint64_t)(d.end - d.p) / 8)
    for (int k = 0; k < CLAIMS_DEDUP_SHARDS && !rc; k++)
      rc = claims_set_reserve(&c->dedup->set[k], (size_t)(n / 32 + 16));
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    int added;
    uint64_t k = get_u64(&d);
    if (!d.bad)
      rc = claims_dedup_insert(c->dedup, k, &added);
  }
  n = get_u64(&d);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    uint64_t kc = get_u64(&d);
    char f[1024], r[CLAIMS_LK_MAX + 1], fl[64];
    char *msg = hicov_malloc(1024);
    if (!msg) {
      rc = HICOV_NOMEM;
      break;
    }
    if (get_str(&d, f, sizeof f) >= 0 && get_str(&d, r, sizeof r) >= 0 &&
        get_str(&d, fl, sizeof fl) >= 0 && get_str(&d, msg, 1024) >= 0) {
      c->max_msgs = (size_t)-1;
      rc = add_msg(c, (int)(uint32_t)kc, (int)(uint32_t)(kc >> 32), f, r, fl,
                   msg);
    }
    hicov_free(msg);
  }
  c->max_msgs = (size_t)get_u64(&d);
  hicov_free(tmp);
  if (!rc && (d.bad || d.p != d.end))
    rc = HICOV_PARSE;
  if (rc) {
    hicov_claims_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}
