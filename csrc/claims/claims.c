/* claims.c - the claims accumulator's handle: its life, messages and
 * counts, interned facilities and patient keys, and the commit of
 * validated records (duplicate check, cell sums, patient triples).
 * Its tables live in claims-keys.c, claims-cells.c and claims-patients.c;
 * what they add up to in claims-totals.c and claims-values.c; merge and
 * serialisation in claims-state.c; reading files in the reader's files
 * (claims-files.c and the files it names). */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
  /* resolved once in the calling thread: a worker's messages do not look
     the process's language up for each record */
  c->lang = hicov_text_lang(parent->lang);
  *out = c;
  return HICOV_OK;
}

void claims_free_msgs(HicovClaims *c)
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

void claims_free_data(HicovClaims *c)
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
  c->patients_valid = 0;
}

void hicov_claims_free(HicovClaims *c)
{
  if (!c)
    return;
  claims_free_data(c);
  claims_free_msgs(c);
  claims_dedup_free(c->dedup_own);
  if (c->local) {
    claims_set_clear(c->local);
    hicov_free(c->local);
  }
  hicov_free(c);
}

const char *hicov_claims_errmsg(const HicovClaims *c)
{
  return c ? c->errmsg : T_(NULL, "no claims handle");
}

int hicov_claims_set_lang(HicovClaims *c, const char *lang)
{
  if (!c)
    return HICOV_INVALID;
  c->lang = lang ? hicov_text_lang(lang) : NULL;
  if (c->dedup_own)
    for (int k = 0; k < CLAIMS_DEDUP_SHARDS; k++)
      c->dedup_own->set[k].lang = c->lang;
  if (c->local)
    c->local->lang = c->lang;
  return HICOV_OK;
}

const char *hicov_claims_lang(const HicovClaims *c)
{
  return c ? c->lang : NULL;
}

void hicov_claims_set_max_messages(HicovClaims *c, size_t n)
{
  if (c)
    c->max_msgs = n;
}

/* Locked because merge_data's two halves (cells, patient triples; see
 * claims-state.c) may both fail at once on the same handle; either message
 * is then a true one. */
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

int claims_add_msg(HicovClaims *c, int kind, int code, const char *file,
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
  return claims_add_msg(c, kind, code, file, record, field, text);
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
/* Messages and counts between handles                                       */

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

int claims_move_counts(HicovClaims *dst, HicovClaims *src)
{
  if (add_counts(&dst->counts, &src->counts))
    return claims_error(dst, HICOV_OVERFLOW, "%s",
                        T_(dst->lang, "the counts overflow 64 bits"));
  memset(&src->counts, 0, sizeof src->counts);
  return HICOV_OK;
}

void claims_clear_log(HicovClaims *c)
{
  claims_free_msgs(c);
  memset(&c->counts, 0, sizeof c->counts);
}

/* ------------------------------------------------------------------------ */
/* Interning                                                                 */

/* A zero-padded facility code (CLAIMS_FAC_MAX + 1 bytes) is hashed and
 * compared as two words: one is interned a record, in the step that adds
 * records one after another. */
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
  uint32_t *h = hicov_calloc_table(ncap, sizeof *h);
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
    return claims_error(c, HICOV_LIMIT, "%s",
                        T_(c->lang, "more than 16 million facilities"));
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
int claims_fac_intern(HicovClaims *c, const char *code, uint32_t *idx)
{
  char pad[CLAIMS_FAC_MAX + 1] = { 0 };
  memcpy(pad, code, strnlen(code, CLAIMS_FAC_MAX));
  return fac_intern16(c, pad, idx);
}

static int pstr_rehash(HicovClaims *c, size_t ncap)
{
  uint32_t *h = hicov_calloc_table(ncap, sizeof *h);
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

int claims_pstr_intern(HicovClaims *c, const char *key, uint64_t *id)
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
    return claims_error(c, HICOV_LIMIT, "%s",
                        T_(c->lang, "too many patients without a card"));
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

/* ------------------------------------------------------------------------ */
/* Commit                                                                    */

int claims_reserve(HicovClaims *c, size_t records)
{
  int rc = HICOV_OK;
  if (c->local) {
    c->local->expect += records + records / 32;
    rc = claims_set_reserve(c->local, c->local->n + records);
  } else {
    size_t per = records / CLAIMS_DEDUP_SHARDS + records / 256;
    /* a shard's share, and 3% for the estimate's error and the shards'
       unequal shares (a shard's Bloom filter is sized by it) */
    size_t share = records / CLAIMS_DEDUP_SHARDS + records / 2048;
    for (int s = 0; s < CLAIMS_DEDUP_SHARDS && !rc; s++) {
      pthread_mutex_lock(&c->dedup->lock[s]);
      rc = claims_set_expect(&c->dedup->set[s], share);
      if (!rc)
        rc = claims_set_reserve(&c->dedup->set[s], c->dedup->set[s].n + per);
      pthread_mutex_unlock(&c->dedup->lock[s]);
    }
    if (rc == HICOV_IO) /* a grown table written out (claims_set_expect) */
      return claims_commit_keys_error(c, rc);
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
                          "MA_LK", T_(c->lang, "%s, record %s: duplicate: "
                          "MA_LK '%s' at facility %s was already read; "
                          "counted once"), file, r->ma_lk, r->ma_lk, r->fac);
  }
  uint64_t patient = r->patient;
  if (!patient && (rc = claims_pstr_intern(c, r->pkey, &patient)))
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

int claims_commit_keys_shards(HicovClaims *c, const ClaimsRec *r, size_t n,
                              unsigned char *added, int first, int end)
{
  uint64_t keys[CLAIMS_KEY_SLICE];
  int rc = HICOV_OK;
  if (c->local && first > 0)
    return HICOV_OK; /* the range from 0 checks it whole */
  /* in slices: the duplicate check of a slice takes each shard's lock
   * once (a worker's window, or a 1 MB chunk of CSV, is one slice) */
  for (size_t off = 0; off < n && !rc; off += CLAIMS_KEY_SLICE) {
    size_t m = n - off < CLAIMS_KEY_SLICE ? n - off : CLAIMS_KEY_SLICE;
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
      rc = claims_dedup_insert_shards(c->dedup, keys, m, added + off, first,
                                      end);
    }
  }
  return rc;
}

int claims_commit_keys_error(HicovClaims *c, int rc)
{
  if (rc == HICOV_IO)
    return claims_error(c, rc, "%s", c->local ? c->local->err
                                               : claims_dedup_error(c->dedup));
  return rc;
}

int claims_commit_keys(HicovClaims *c, const ClaimsRec *r, size_t n,
                       unsigned char *added)
{
  return claims_commit_keys_error(
      c, claims_commit_keys_shards(c, r, n, added, 0, CLAIMS_DEDUP_SHARDS));
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
      /* the slot again 16 ahead (the slice's burst is mostly dropped),
         then 8 ahead the cells of its slot and the next one: a lookup
         probes two slots about a third of the time, each a cell */
      if (i + 16 < m && ad[i + 16] && c->cell_hcap)
        __builtin_prefetch(&c->cell_hash[ch[i + 16] & (c->cell_hcap - 1)]);
      if (i + 8 < m && ad[i + 8] && c->cell_hcap) {
        size_t j = (size_t)ch[i + 8] & (c->cell_hcap - 1);
        uint32_t k = c->cell_hash[j];
        if (k) {
          __builtin_prefetch(&c->cells[k - 1]);
          k = c->cell_hash[(j + 1) & (c->cell_hcap - 1)];
          if (k)
            __builtin_prefetch(&c->cells[k - 1]);
        }
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
