/* claims-state.c - a handle's whole state: merged into another (the
 * worker accumulators of a read, hicov_claims_merge), and serialised to
 * bytes and back. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "claims-private.h"

/* ------------------------------------------------------------------------ */
/* Merge                                                                     */

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
  /* the counts first: a sum past 64 bits changes nothing */
  HicovClaimsCounts sum = dst->counts;
  if (add_counts(&sum, &src->counts))
    return claims_error(dst, HICOV_OVERFLOW, "%s", T_(dst->lang, "the merged "
                        "counts overflow 64 bits: nothing merged"));
  if (src->n_fac && !(fmap = hicov_malloc(src->n_fac * sizeof *fmap)))
    return HICOV_NOMEM;
  if (src->n_pstr && !(pmap = hicov_malloc(src->n_pstr * sizeof *pmap))) {
    hicov_free(fmap);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < src->n_fac; i++)
    if ((rc = claims_fac_intern(dst, src->fac[i], &fmap[i])))
      goto out;
  for (size_t i = 0; i < src->n_pstr; i++)
    if ((rc = claims_pstr_intern(dst, src->pstr[i], &pmap[i])))
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
  dst->counts = sum;
  for (size_t i = 0; i < src->n_msgs; i++) {
    const ClaimsMsg *m = &src->msgs[i];
    if ((rc = claims_add_msg(dst, m->kind, m->code, m->file, m->record, m->field,
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
    claims_free_data(dst);
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
    dst->patients_valid = 0;
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
    claims_free_data(src);
    int rc2 = add_counts(&dst->counts, &src->counts)
                  ? claims_error(dst, HICOV_OVERFLOW, "%s",
                                 T_(dst->lang, "the counts overflow 64 bits"))
                  : HICOV_OK;
    for (size_t i = 0; i < src->n_msgs && !rc2; i++) {
      const ClaimsMsg *m = &src->msgs[i];
      rc2 = claims_add_msg(dst, m->kind, m->code, m->file, m->record, m->field,
                           m->message);
    }
    claims_free_msgs(src);
    memset(&src->counts, 0, sizeof src->counts);
    return rc2;
  }
  int rc = merge_data(dst, src);
  claims_free_data(src);
  claims_free_msgs(src);
  memset(&src->counts, 0, sizeof src->counts);
  return rc;
}

int hicov_claims_merge(HicovClaims *dst, const HicovClaims *src)
{
  if (!dst || !src || dst == src)
    return HICOV_INVALID;
  int rc;
  /* checked before anything changes: the counts, and the conflicts the
     duplicate keys may add */
  HicovClaimsCounts sum = dst->counts;
  int64_t room;
  if (add_counts(&sum, &src->counts) ||
      __builtin_sub_overflow(INT64_MAX, sum.merge_conflicts, &room) ||
      (src->dedup_own && (uint64_t)room < claims_dedup_count(src->dedup_own)))
    return claims_error(dst, HICOV_OVERFLOW, "%s", T_(dst->lang, "the merged "
                        "counts overflow 64 bits: nothing merged"));
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

/* Counts beyond any read: a state built from bytes is refused with them,
 * and sums of states up to this stay far from 64 bits. */
#define COUNT_MAX ((int64_t)1 << 62)

/* What is impossible in counts k (NULL when nothing): negative or huge
 * counts, or counts that do not add up as every read and merge keeps
 * them. */
static const char *bad_counts(const HicovClaimsCounts *k, const char *lang,
                              char *buf, size_t size)
{
  const int64_t *v = (const int64_t *)k;
  for (size_t i = 0; i < sizeof *k / sizeof *v; i++)
    if (v[i] < 0 || v[i] > COUNT_MAX)
      return hicov_fmt(buf, size, T_(lang, "a count of %lld"),
                       (long long)v[i]), buf;
  if (k->records_read != k->accepted + k->rejected)
    return hicov_fmt(buf, size, T_(lang, "%lld records read, not accepted "
                     "%lld + rejected %lld"), (long long)k->records_read,
                     (long long)k->accepted, (long long)k->rejected), buf;
  int64_t sum = 0;
  for (int r = 0; r < HICOV_CLAIMS_N_REJECT; r++)
    sum += k->rejected_by[r];
  if (sum != k->rejected)
    return hicov_fmt(buf, size, T_(lang, "%lld records rejected, %lld by "
                     "reason"),
                     (long long)k->rejected, (long long)sum), buf;
  if (k->records_4210 + k->records_130 != k->accepted)
    return hicov_fmt(buf, size, T_(lang, "%lld records accepted, %lld of era "
                     "4210 and %lld of era 130"), (long long)k->accepted,
                     (long long)k->records_4210, (long long)k->records_130), buf;
  if (k->flagged > k->accepted)
    return hicov_fmt(buf, size, T_(lang, "%lld flagged of %lld accepted"),
                     (long long)k->flagged, (long long)k->accepted), buf;
  for (int f = 0; f < HICOV_CLAIMS_N_FLAG; f++)
    if (f != HICOV_CLAIMS_FLAG_HOSO_COUNT && k->flagged_by[f] > k->flagged)
      return hicov_fmt(buf, size, T_(lang, "%lld records with the flag %s of "
                       "%lld flagged"), (long long)k->flagged_by[f],
                       hicov_claims_flag_name(f), (long long)k->flagged), buf;
  if (k->files_failed > k->files_read)
    return hicov_fmt(buf, size, T_(lang, "%lld files failed of %lld read"),
                     (long long)k->files_failed, (long long)k->files_read), buf;
  return NULL;
}

int hicov_claims_deserialize(const void *data, size_t len, HicovClaims **out)
{
  return hicov_claims_load_state(data, len, out, NULL, 0);
}

/* Refuses the bytes: err gets why. */
static int refuse(const char *lang, char *err, size_t err_size,
                  const char *why, size_t at)
{
  if (err && err_size)
    hicov_fmt(err, err_size, T_(lang, "not a claims state hicov made (%s, at "
              "byte %zu)"), why, at);
  return HICOV_PARSE;
}

/* The cells of a saved state: each checked as a read would give it (a
 * visit at least; inpatient visits and days only where the type is
 * inpatient, as ClaimsCell does not store the inpatient visits; no negative
 * day or amount); *visits gets their visits. Sets d->bad on a bad cell. */
static int load_cells(HicovClaims *c, Des *d, int64_t *visits)
{
  int rc = HICOV_OK;
  uint64_t n = get_u64(d);
  d->bad |= n > (uint64_t)(d->end - d->p) / sizeof(SerCell);
  for (uint64_t i = 0; !d->bad && !rc && i < n; i++) {
    SerCell s;
    ClaimsCell *e;
    if (!get(d, &s, sizeof s))
      break;
    int inp = claims_type_inpatient(s.type);
    if (s.fac >= c->n_fac || s.type < 1 || s.type > CLAIMS_MAX_TYPE ||
        s.group >= CLAIMS_N_GROUPS || s.month < CLAIMS_MONTH_MIN ||
        s.month > CLAIMS_MONTH_MAX || s.n[1] != (inp ? s.n[0] : 0) ||
        (!inp && s.n[2]) || s.n[0] < 1 || s.n[2] < 0 || s.m[0] < 0 ||
        s.m[1] < 0 || s.m[2] < 0) {
      d->bad = 1;
      break;
    }
    *visits += s.n[0];
    if (!(rc = claims_cell_get(c, s.fac, s.month, s.group, s.type, &e))) {
      int64_t sv[6] = { s.n[0], s.n[1], s.n[2], s.m[0], s.m[1], s.m[2] };
      rc = claims_cell_add_values(c, e, sv);
    }
  }
  return rc;
}

/* The messages of a saved state, each of a known kind and code. */
static int load_messages(HicovClaims *c, Des *d)
{
  int rc = HICOV_OK;
  uint64_t n = get_u64(d);
  d->bad |= n > (uint64_t)(d->end - d->p) / 40;
  for (uint64_t i = 0; !d->bad && !rc && i < n; i++) {
    uint64_t kc = get_u64(d);
    int kind = (int)(uint32_t)kc, code = (int)(uint32_t)(kc >> 32);
    if (kind < HICOV_CLAIMS_MSG_REJECT || kind > HICOV_CLAIMS_MSG_NOTE ||
        (kind == HICOV_CLAIMS_MSG_REJECT &&
         (code < 0 || code >= HICOV_CLAIMS_N_REJECT)) ||
        (kind == HICOV_CLAIMS_MSG_FLAG &&
         (code < 0 || code >= HICOV_CLAIMS_N_FLAG))) {
      d->bad = 1;
      break;
    }
    char f[1024], r[CLAIMS_LK_MAX + 1], fl[64];
    char *msg = hicov_malloc(1024);
    if (!msg)
      return HICOV_NOMEM;
    if (get_str(d, f, sizeof f) >= 0 && get_str(d, r, sizeof r) >= 0 &&
        get_str(d, fl, sizeof fl) >= 0 && get_str(d, msg, 1024) >= 0) {
      c->max_msgs = (size_t)-1;
      rc = claims_add_msg(c, kind, code, f, r, fl, msg);
    }
    hicov_free(msg);
  }
  return rc;
}

int hicov_claims_load_state(const void *data, size_t len, HicovClaims **out,
                            char *err, size_t err_size)
{
  return hicov_claims_load_state_lang(data, len, NULL, out, err, err_size);
}

int hicov_claims_load_state_lang(const void *data, size_t len,
                                 const char *lang, HicovClaims **out,
                                 char *err, size_t err_size)
{
  if (!data || !out)
    return HICOV_INVALID;
  *out = NULL;
  if (err && err_size)
    err[0] = 0;
  Des d = { data, (const unsigned char *)data + len, 0 };
  char magic[8];
  get(&d, magic, 8);
  if (d.bad || memcmp(magic, SER_MAGIC, 8) ||
      get_u64(&d) != 0x0102030405060708ULL)
    return refuse(lang, err, err_size, T_(lang, "no mark of the format or of this "
                  "machine's byte order"), 0);
  HicovClaimsCounts counts;
  get(&d, &counts, sizeof counts);
  char why[320];
  if (d.bad)
    return refuse(lang, err, err_size, T_(lang, "the bytes end in the counts"), len);
  if (bad_counts(&counts, lang, why, sizeof why))
    return refuse(lang, err, err_size, why, 16);
  HicovClaims *c;
  int rc = hicov_claims_new(&c);
  if (rc)
    return rc;
  hicov_claims_set_lang(c, lang);
  char *tmp = hicov_malloc(4096);
  if (!tmp) {
    hicov_claims_free(c);
    return HICOV_NOMEM;
  }
  c->counts = counts;
  /* each table's size is checked against the bytes left (at its entries'
     smallest size) before it is read, and what it holds against what a
     read gives */
  const char *table = NC_("state table", "facilities");
  uint64_t n = get_u64(&d);
  d.bad |= n > (uint64_t)(d.end - d.p) / 8;
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    uint32_t idx = 0;
    if (get_str(&d, tmp, CLAIMS_FAC_MAX + 1) >= 0)
      rc = claims_fac_intern(c, tmp, &idx);
    if (!rc && !d.bad && idx != i)
      d.bad = 1; /* a repeated facility code */
  }
  table = NC_("state table", "patient keys");
  n = get_u64(&d);
  d.bad |= n > (uint64_t)(d.end - d.p) / 8;
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    uint64_t id = 0;
    if (get_str(&d, tmp, 4096) >= 0)
      rc = claims_pstr_intern(c, tmp, &id);
    if (!rc && !d.bad && (id & 0xffffffffu) != i)
      d.bad = 1;
  }
  table = NC_("state table", "cells");
  int64_t visits = 0;
  if (!d.bad && !rc)
    rc = load_cells(c, &d, &visits);
  if (!d.bad && !rc && visits != counts.accepted) {
    hicov_fmt(why, sizeof why, T_(lang, "the cells hold %lld visits, the "
              "counts say %lld records were accepted"), (long long)visits,
              (long long)counts.accepted);
    hicov_free(tmp);
    hicov_claims_free(c);
    return refuse(lang, err, err_size, why, (size_t)(d.p - (const unsigned char *)data));
  }
  table = NC_("state table", "patients");
  n = get_u64(&d);
  d.bad |= n > (uint64_t)(d.end - d.p) / sizeof(ClaimsTriple);
  /* reserve first: the table is not doubled as it fills */
  if (!d.bad)
    rc = claims_trip_reserve(c, (size_t)n);
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    ClaimsTriple t;
    if (!get(&d, &t, sizeof t))
      break;
    if (t.fac >= c->n_fac || t.month <= 0 || t.fund < 0 ||
        (t.patient >> 63 && (t.patient & 0x7fffffffffffffffULL) >= c->n_pstr)) {
      d.bad = 1;
      break;
    }
    rc = claims_trip_add(c, t.patient, t.fac, t.month, t.fund);
  }
  table = NC_("state table", "duplicate keys");
  n = get_u64(&d);
  d.bad |= n > (uint64_t)(d.end - d.p) / 8;
  if (!d.bad)
    for (int k = 0; k < CLAIMS_DEDUP_SHARDS && !rc; k++)
      rc = claims_set_reserve(&c->dedup->set[k], (size_t)(n / 32 + 16));
  for (uint64_t i = 0; !d.bad && !rc && i < n; i++) {
    int added;
    uint64_t k = get_u64(&d);
    if (!d.bad)
      rc = claims_dedup_insert(c->dedup, k, &added);
  }
  table = NC_("state table", "messages");
  if (!d.bad && !rc)
    rc = load_messages(c, &d);
  c->max_msgs = (size_t)get_u64(&d);
  hicov_free(tmp);
  if (!rc && (d.bad || d.p != d.end)) {
    if (d.bad)
      hicov_fmt(why, sizeof why, T_(lang, "a damaged table of %s"),
                hicov_text(lang, table));
    else
      hicov_fmt(why, sizeof why, T_(lang, "%zu bytes after the state"),
                (size_t)(d.end - d.p));
    rc = refuse(lang, err, err_size, why, (size_t)(d.p - (const unsigned char *)data));
  }
  if (rc) {
    hicov_claims_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}
