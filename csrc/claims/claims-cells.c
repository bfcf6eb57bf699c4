/* claims-cells.c - cells, the result: sums per facility x settlement month
 * x card group x visit type, in a hash table of bounded size written out
 * when full (a cell's copies are merged when the cells are wanted whole),
 * their checked sums, their order, and reading them out. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-private.h"

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static size_t cell_budget = CLAIMS_CELL_BUDGET;

void claims_debug_cell_budget(size_t cells)
{
  cell_budget = cells ? cells : CLAIMS_CELL_BUDGET;
}

static int cell_spill_error(HicovClaims *c, int op, int err)
{
  char msg[320];
  claims_tmp_error(msg, sizeof msg, c->lang, CLAIMS_TMP_CELLS, op, err);
  return claims_error(c, HICOV_IO, "%s", msg);
}

/* Writes the cell table out and empties it (its index too).  On a failure
 * nothing changes. */
static int cell_spill(HicovClaims *c)
{
  ClaimsCellSpill *sp = &c->cspill;
  if (!sp->open) {
    if (claims_tmp_open("cells", &sp->fd))
      return cell_spill_error(c, CLAIMS_TMP_CREATE, errno);
    sp->open = 1;
  }
  if (claims_pwrite_all(sp->fd, c->cells, c->n_cells * sizeof *c->cells,
                        sp->n * sizeof *c->cells))
    return cell_spill_error(c, CLAIMS_TMP_WRITE, errno);
  sp->n += c->n_cells;
  c->n_cells = 0;
  if (c->cell_hcap)
    memset(c->cell_hash, 0, c->cell_hcap * sizeof *c->cell_hash);
  return HICOV_OK;
}

void claims_cell_spill_free(ClaimsCellSpill *sp)
{
  if (sp->open)
    close(sp->fd);
  memset(sp, 0, sizeof *sp);
}

/* Calls fn on every cell of c in slices, the spilled ones first (in the
 * order written) and then the table's: copies of a cell come apart, as
 * they are stored.  Stops at fn's first nonzero status. */
#define CELL_SLICE 8192
int claims_cells_each(const HicovClaims *c,
                      int (*fn)(void *ctx, const ClaimsCell *e, size_t n),
                      void *ctx)
{
  int rc = HICOV_OK;
  if (c->cspill.n) {
    ClaimsCell *buf = hicov_malloc(CELL_SLICE * sizeof *buf);
    if (!buf)
      return HICOV_NOMEM;
    for (uint64_t at = 0; at < c->cspill.n && !rc; at += CELL_SLICE) {
      size_t k = c->cspill.n - at < CELL_SLICE ? (size_t)(c->cspill.n - at)
                                               : CELL_SLICE;
      if (claims_pread_all(c->cspill.fd, buf, k * sizeof *buf, at * sizeof *buf))
        rc = cell_spill_error((HicovClaims *)c, CLAIMS_TMP_READ, errno);
      else
        rc = fn(ctx, buf, k);
    }
    hicov_free(buf);
  }
  if (!rc && c->n_cells)
    rc = fn(ctx, c->cells, c->n_cells);
  return rc;
}

/* fac, month, group and type: the first 8 bytes of a cell, no padding */
static inline uint64_t cell_key(const ClaimsCell *e)
{
  uint64_t k;
  memcpy(&k, e, sizeof k);
  return k;
}

static int cell_rehash(HicovClaims *c, size_t ncap)
{
  uint32_t *h = hicov_calloc_table(ncap, sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < c->n_cells; i++) {
    const ClaimsCell *e = &c->cells[i];
    size_t j = (size_t)cell_key_hash(e->fac, e->month, e->group, e->type) &
               (ncap - 1);
    while (h[j])
      j = (j + 1) & (ncap - 1);
    h[j] = (uint32_t)i + 1;
  }
  hicov_free(c->cell_hash);
  c->cell_hash = h;
  c->cell_hcap = ncap;
  return HICOV_OK;
}

/* The cell of (fac, month, group, type), added if new; hk is its
 * cell_key_hash (claims_commit has it from prefetching). */
int claims_cell_get_h(HicovClaims *c, uint64_t hk, uint32_t fac, int32_t month,
                      uint16_t group, uint8_t type, ClaimsCell **out)
{
  /* the key is the cell's first 8 bytes: one comparison a probe */
  ClaimsCell key = { .fac = fac, .month = (uint16_t)month,
                     .group = (uint16_t)(group & 2047u),
                     .type = (uint8_t)(type & 31u) };
  uint64_t want = cell_key(&key);
  if (c->cell_hcap) {
    size_t j = (size_t)hk & (c->cell_hcap - 1);
    while (c->cell_hash[j]) {
      ClaimsCell *e = &c->cells[c->cell_hash[j] - 1];
      if (cell_key(e) == want) {
        *out = e;
        return HICOV_OK;
      }
      j = (j + 1) & (c->cell_hcap - 1);
    }
  }
  if (c->n_cells >= cell_budget && !c->cells_unbounded) {
    int rc = cell_spill(c);
    if (rc)
      return rc;
  }
  if (c->n_cells >= UINT32_MAX - 1)
    return claims_error(c, HICOV_LIMIT, "%s", T_(c->lang, "too many cells"));
  if (hicov_grow((void **)&c->cells, &c->cap_cells, c->n_cells + 1,
                 sizeof *c->cells))
    return HICOV_NOMEM;
  ClaimsCell *e = &c->cells[c->n_cells++];
  *e = key;
  if (c->n_cells * 4 > c->cell_hcap * 3) {
    if (cell_rehash(c, c->cell_hcap ? c->cell_hcap * 2 : 256)) {
      c->n_cells--;
      return HICOV_NOMEM;
    }
  } else {
    size_t j = (size_t)hk & (c->cell_hcap - 1);
    while (c->cell_hash[j])
      j = (j + 1) & (c->cell_hcap - 1);
    c->cell_hash[j] = (uint32_t)c->n_cells;
  }
  *out = e;
  return HICOV_OK;
}

int claims_cell_get(HicovClaims *c, uint32_t fac, int32_t month,
                    uint16_t group, uint8_t type, ClaimsCell **out)
{
  return claims_cell_get_h(c, cell_key_hash(fac, month, group, type), fac,
                           month, group, type, out);
}

/* Which cell and which sum would pass its limit. */
static int cell_overflow(HicovClaims *c, const ClaimsCell *e, int k,
                         const char *limit)
{
  static const char *const what[6] = {
    NC_("claims sum", "visits"), NC_("claims sum", "inpatient visits"),
    NC_("claims sum", "inpatient days"),
    NC_("claims sum", "total cost (T_TONGCHI_BV)"),
    NC_("claims sum", "fund paid (T_BHTT)"),
    NC_("claims sum", "co-payment (T_BNCCT)"),
  };
  char g[4];
  claims_group_code(e->group, g);
  return claims_error(c, HICOV_OVERFLOW, T_(c->lang, "%s at facility %s, "
                      "%04d-%02d, group %s, visit type %02d would pass %s"),
                      hicov_text(c->lang, what[k]),
                      e->fac < c->n_fac ? c->fac[e->fac] : "?",
                      (int)(e->month / 12), (int)(e->month % 12 + 1), g,
                      (int)e->type, hicov_text(c->lang, limit));
}

int claims_cell_sums(HicovClaims *c, const ClaimsCell *e, const int64_t v[6],
                     CellSums *s)
{
  static const int nk[2] = { 0, 2 };
  int32_t *n[2] = { &s->visits, &s->days };
  const int32_t have[2] = { e->visits, e->days };
  for (int i = 0; i < 2; i++) {
    int k = nk[i];
    if (v[k] < INT32_MIN || v[k] > INT32_MAX ||
        __builtin_add_overflow(have[i], (int32_t)v[k], n[i]))
      return cell_overflow(c, e, k, "2,147,483,647");
  }
  for (int k = 0; k < 3; k++)
    if (__builtin_add_overflow(e->m[k], v[k + 3], &s->m[k]))
      return cell_overflow(c, e, k + 3, N_("64 bits"));
  return HICOV_OK;
}

int claims_cell_add_values(HicovClaims *c, ClaimsCell *e, const int64_t v[6])
{
  CellSums s;
  int rc = claims_cell_sums(c, e, v, &s);
  if (!rc)
    cell_set_sums(e, &s);
  return rc;
}

static void cell_values(const ClaimsCell *e, int64_t v[6])
{
  for (int k = 0; k < 6; k++)
    v[k] = cell_v(e, k);
}

/* ------------------------------------------------------------------------ */
/* Reading out                                                               */

size_t hicov_claims_cell_count(const HicovClaims *c)
{
  return c ? c->n_cells : 0;
}

void claims_group_code(uint16_t g, char out[4])
{
  if (g >= CLAIMS_GROUP_UNKNOWN) {
    memcpy(out, "UNK", 4);
    return;
  }
  out[0] = (char)('A' + g / 26);
  out[1] = (char)('A' + g % 26);
  out[2] = 0;
  out[3] = 0;
}

int hicov_claims_cell(const HicovClaims *c, size_t i, HicovClaimsCell *out)
{
  if (!c || !out || i >= c->n_cells)
    return HICOV_INVALID;
  const ClaimsCell *e = &c->cells[i];
  out->facility = c->fac[e->fac];
  out->year = e->month / 12;
  out->month = e->month % 12 + 1;
  claims_group_code(e->group, out->group);
  out->visit_type = e->type;
  out->visits = cell_v(e, 0);
  out->inpatient_visits = cell_v(e, 1);
  out->inpatient_days = cell_v(e, 2);
  out->total_cost = cell_v(e, 3);
  out->fund_paid = cell_v(e, 4);
  out->copay = cell_v(e, 5);
  return HICOV_OK;
}

/* Cells sort by facility code, month, group code and visit type.  The
 * comparisons use ranks worked out once (strcmp order of the facility codes
 * and of the group codes, where "UNK" falls between "UN" and "UO"): a
 * strcmp per comparison took most of the sort's time. */
static const uint32_t *sort_fac_rank; /* qsort has no context argument */
static uint16_t sort_group_rank[CLAIMS_GROUP_UNKNOWN + 1];
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;
static const HicovClaims *rank_ctx;

static int cmp_fac_index(const void *a, const void *b)
{
  return strcmp(rank_ctx->fac[*(const uint32_t *)a],
                rank_ctx->fac[*(const uint32_t *)b]);
}

static int cmp_group_code(const void *a, const void *b)
{
  char x[4], y[4];
  claims_group_code(*(const uint16_t *)a, x);
  claims_group_code(*(const uint16_t *)b, y);
  return strcmp(x, y);
}

static int cmp_cells(const void *a, const void *b)
{
  const ClaimsCell *x = a, *y = b;
  uint32_t fx = sort_fac_rank[x->fac], fy = sort_fac_rank[y->fac];
  if (fx != fy)
    return fx < fy ? -1 : 1;
  if (x->month != y->month)
    return x->month < y->month ? -1 : 1;
  unsigned gx = sort_group_rank[x->group < CLAIMS_GROUP_UNKNOWN
                                    ? x->group : CLAIMS_GROUP_UNKNOWN];
  unsigned gy = sort_group_rank[y->group < CLAIMS_GROUP_UNKNOWN
                                    ? y->group : CLAIMS_GROUP_UNKNOWN];
  if (gx != gy)
    return gx < gy ? -1 : 1;
  return (int)x->type - (int)y->type;
}

/* Sorts c's cells; called with sort_lock held. */
static int sort_cells_locked(HicovClaims *c)
{
  uint32_t *order = hicov_malloc(c->n_fac * sizeof *order);
  uint32_t *rank = hicov_malloc(c->n_fac * sizeof *rank);
  if (!order || !rank) {
    hicov_free(order);
    hicov_free(rank);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < c->n_fac; i++)
    order[i] = (uint32_t)i;
  rank_ctx = c;
  qsort(order, c->n_fac, sizeof *order, cmp_fac_index);
  rank_ctx = NULL;
  for (size_t i = 0; i < c->n_fac; i++)
    rank[order[i]] = (uint32_t)i;
  uint16_t groups[CLAIMS_GROUP_UNKNOWN + 1];
  for (uint16_t g = 0; g <= CLAIMS_GROUP_UNKNOWN; g++)
    groups[g] = g;
  qsort(groups, CLAIMS_GROUP_UNKNOWN + 1, sizeof *groups, cmp_group_code);
  for (uint16_t i = 0; i <= CLAIMS_GROUP_UNKNOWN; i++)
    sort_group_rank[groups[i]] = i;
  sort_fac_rank = rank;
  qsort(c->cells, c->n_cells, sizeof *c->cells, cmp_cells);
  sort_fac_rank = NULL;
  hicov_free(order);
  hicov_free(rank);
  return HICOV_OK;
}

int hicov_claims_sort_cells(HicovClaims *c)
{
  if (!c)
    return HICOV_INVALID;
  if (c->cspill.n) {
    /* the cells written out come back: the whole result in memory */
    HicovClaims tmp;
    int rc = claims_cells_whole(c, &tmp);
    if (rc) {
      claims_cells_whole_free(&tmp);
      return rc;
    }
    hicov_free(c->cells);
    hicov_free(c->cell_hash);
    c->cells = tmp.cells;
    c->n_cells = tmp.n_cells;
    c->cap_cells = tmp.cap_cells;
    c->cell_hash = tmp.cell_hash;
    c->cell_hcap = tmp.cell_hcap;
    claims_cell_spill_free(&c->cspill);
  }
  if (c->n_cells > 1) {
    pthread_mutex_lock(&sort_lock);
    int rc = sort_cells_locked(c);
    pthread_mutex_unlock(&sort_lock);
    if (rc)
      return rc;
  }
  return c->cell_hcap ? cell_rehash(c, c->cell_hcap) : HICOV_OK;
}

typedef struct {
  HicovClaims *dst;
  const uint32_t *fmap; /* src's facility indices in dst's, or NULL: the same */
} CellMerge;

/* Adds cells (of another handle, or copies of one) into m->dst. */
static int merge_cell_slice(void *ctx, const ClaimsCell *src, size_t n)
{
  CellMerge *m = ctx;
  HicovClaims *dst = m->dst;
  int rc;
  /* prefetched ahead as in claims_commit: dst's tables are big */
#define FAC(a) (m->fmap ? m->fmap[(a)->fac] : (a)->fac)
  for (size_t i = 0; i < n; i++) {
    const ClaimsCell *s = &src[i];
    ClaimsCell *e;
    int64_t sv[6];
    cell_values(s, sv);
    if (i + 16 < n && dst->cell_hcap) {
      const ClaimsCell *a = &src[i + 16];
      __builtin_prefetch(&dst->cell_hash[cell_key_hash(FAC(a), a->month,
                                                       a->group, a->type) &
                                         (dst->cell_hcap - 1)]);
    }
    if (i + 8 < n && dst->cell_hcap) {
      const ClaimsCell *a = &src[i + 8];
      uint32_t k = dst->cell_hash[cell_key_hash(FAC(a), a->month, a->group,
                                                a->type) & (dst->cell_hcap - 1)];
      if (k)
        __builtin_prefetch(&dst->cells[k - 1]);
    }
    if ((rc = claims_cell_get(dst, FAC(s), s->month, s->group, s->type, &e)) ||
        (rc = claims_cell_add_values(dst, e, sv)))
      return rc;
  }
#undef FAC
  return HICOV_OK;
}

int claims_merge_cells(HicovClaims *dst, const HicovClaims *src,
                       const uint32_t *fmap)
{
  CellMerge m = { dst, fmap };
  return claims_cells_each(src, merge_cell_slice, &m);
}

/* The cells of c with their copies merged, in the order they first
 * appeared, into tmp's table (tmp: a zeroed handle borrowing c's
 * facilities, freed with claims_cells_whole_free): what c's table would hold had
 * it never been written out.  Fails for memory, I/O or a cell's sum past
 * its limit (c's message). */
int claims_cells_whole(const HicovClaims *c, HicovClaims *tmp)
{
  memset(tmp, 0, sizeof *tmp);
  tmp->fac = c->fac;
  tmp->n_fac = c->n_fac;
  tmp->cells_unbounded = 1;
  CellMerge m = { tmp, NULL };
  int rc = claims_cells_each(c, merge_cell_slice, &m);
  if (rc && tmp->errmsg[0])
    hicov_fmt(((HicovClaims *)c)->errmsg, sizeof c->errmsg, "%s", tmp->errmsg);
  return rc;
}

void claims_cells_whole_free(HicovClaims *tmp)
{
  hicov_free(tmp->cells);
  hicov_free(tmp->cell_hash);
  memset(tmp, 0, sizeof *tmp);
}

/* ---- The whole result in slices of facilities ---------------------------
 * Cells written out during a read come back for the values in facility
 * order.  Merged whole they would need memory in proportion to the result
 * (some 60 MB at 1 GB of claims, more at 10), so they are sorted out by
 * facility instead: the table joins the cells written out (and its memory
 * is freed), one pass counts each facility's copies, the facilities (in
 * code order) are cut into slices of at most a quarter of the cell budget
 * in copies (a facility with more is a slice alone), a second pass writes
 * each copy to its slice's region of one temporary file, and each slice is
 * then merged, sorted and handed over alone: some 11 MB at a time, where
 * the whole took 60 MB and more at 1 GB of claims.  After a threaded read
 * two slices are in memory at once (slices_emit), each of half the size:
 * full-size ones took the peak of `hicov claims -o` at 1 GB from 90 to
 * 105 MB, half-size ones to 96 MB (the rest is the helper thread's own
 * malloc arena). */

typedef struct {
  HicovClaims *c;
  uint64_t *copies;      /* by facility */
  const uint32_t *slice; /* by facility */
  const uint64_t *start; /* first cell of each slice in the file */
  uint64_t *done;        /* cells written of each slice */
  ClaimsCell *buf;       /* SLICE_BUF cells a slice */
  size_t *fill;
  int fd;
} Slices;

#define SLICE_BUF 256

static int count_copies(void *ctx, const ClaimsCell *e, size_t n)
{
  Slices *s = ctx;
  for (size_t i = 0; i < n; i++)
    s->copies[e[i].fac]++;
  return HICOV_OK;
}

static int slice_flush(Slices *s, uint32_t k)
{
  if (!s->fill[k])
    return HICOV_OK;
  if (claims_pwrite_all(s->fd, s->buf + (size_t)k * SLICE_BUF,
                        s->fill[k] * sizeof *s->buf,
                        (s->start[k] + s->done[k]) * sizeof *s->buf))
    return cell_spill_error(s->c, CLAIMS_TMP_WRITE, errno);
  s->done[k] += s->fill[k];
  s->fill[k] = 0;
  return HICOV_OK;
}

static int scatter_copies(void *ctx, const ClaimsCell *e, size_t n)
{
  Slices *s = ctx;
  for (size_t i = 0; i < n; i++) {
    uint32_t k = s->slice[e[i].fac];
    s->buf[(size_t)k * SLICE_BUF + s->fill[k]++] = e[i];
    int rc;
    if (s->fill[k] == SLICE_BUF && (rc = slice_flush(s, k)))
      return rc;
  }
  return HICOV_OK;
}

/* One slice merged into a table of its own and sorted (slice_prepare),
 * to be handed over.  Its failure's message stays here until the slice's
 * turn: the next slice is prepared on a thread beside the hand-over of
 * this one. */
typedef struct {
  Slices *s;
  uint64_t start, n;
  HicovClaims tmp;
  ClaimsCell *buf; /* CELL_SLICE cells read at a time */
  int rc;
  char err[sizeof ((HicovClaims *)0)->errmsg];
} SliceJob;

static void *slice_prepare(void *arg)
{
  SliceJob *j = arg;
  HicovClaims *c = j->s->c;
  HicovClaims *tmp = &j->tmp;
  memset(tmp, 0, sizeof *tmp);
  tmp->fac = c->fac;
  tmp->n_fac = c->n_fac;
  tmp->lang = c->lang;
  tmp->cells_unbounded = 1;
  j->err[0] = 0;
  CellMerge m = { tmp, NULL };
  int rc = HICOV_OK;
  for (uint64_t at = 0; at < j->n && !rc; at += CELL_SLICE) {
    size_t k = j->n - at < CELL_SLICE ? (size_t)(j->n - at) : CELL_SLICE;
    if (claims_pread_all(j->s->fd, j->buf, k * sizeof *j->buf,
                         (j->start + at) * sizeof *j->buf)) {
      claims_tmp_error(j->err, sizeof j->err, c->lang, CLAIMS_TMP_CELLS,
                       CLAIMS_TMP_READ, errno);
      rc = HICOV_IO;
    } else {
      rc = merge_cell_slice(&m, j->buf, k);
    }
  }
  if (rc && tmp->errmsg[0])
    hicov_fmt(j->err, sizeof j->err, "%s", tmp->errmsg);
  if (!rc && tmp->n_cells > 1) {
    pthread_mutex_lock(&sort_lock);
    rc = sort_cells_locked(tmp);
    pthread_mutex_unlock(&sort_lock);
  }
  j->rc = rc;
  return NULL;
}

/* Hands the slices to fn in order, each merged and sorted alone; after a
 * threaded read, slice k + 1 is prepared on a thread of its own while fn
 * takes slice k (the merge and sort were half of the time of values.csv
 * at 10 GB, fn's formatting the other half). */
static int slices_emit(Slices *s, const uint64_t *start, uint32_t n,
                       int (*fn)(void *ctx, const ClaimsCell *e, size_t n),
                       void *ctx)
{
  SliceJob job[2];
  memset(job, 0, sizeof job);
  int rc = HICOV_OK;
  for (int i = 0; i < 2; i++) {
    job[i].s = s;
    if (!(job[i].buf = hicov_malloc(CELL_SLICE * sizeof *job[i].buf)))
      rc = HICOV_NOMEM;
  }
  int beside = s->c->threads > 1;
  if (!rc && n) {
    job[0].start = start[0];
    job[0].n = start[1] - start[0];
    slice_prepare(&job[0]);
  }
  for (uint32_t k = 0; k < n && !rc; k++) {
    SliceJob *cur = &job[k % 2], *next = &job[(k + 1) % 2];
    pthread_t th;
    int threaded = 0;
    if (k + 1 < n) {
      next->start = start[k + 1];
      next->n = start[k + 2] - start[k + 1];
      threaded = beside && !pthread_create(&th, NULL, slice_prepare, next);
    }
    if ((rc = cur->rc) && cur->err[0])
      hicov_fmt(s->c->errmsg, sizeof s->c->errmsg, "%s", cur->err);
    if (!rc)
      rc = fn(ctx, cur->tmp.cells, cur->tmp.n_cells);
    claims_cells_whole_free(&cur->tmp);
    if (threaded)
      pthread_join(th, NULL);
    else if (k + 1 < n && !rc)
      slice_prepare(next);
  }
  for (int i = 0; i < 2; i++) {
    claims_cells_whole_free(&job[i].tmp);
    hicov_free(job[i].buf);
  }
  return rc;
}

int claims_fac_order(const HicovClaims *c, uint32_t **out)
{
  uint32_t *order = hicov_malloc((c->n_fac ? c->n_fac : 1) * sizeof *order);
  if (!order)
    return HICOV_NOMEM;
  for (size_t i = 0; i < c->n_fac; i++)
    order[i] = (uint32_t)i;
  pthread_mutex_lock(&sort_lock);
  rank_ctx = c;
  qsort(order, c->n_fac, sizeof *order, cmp_fac_index);
  rank_ctx = NULL;
  pthread_mutex_unlock(&sort_lock);
  *out = order;
  return HICOV_OK;
}

static int slices_run(Slices *s, const uint32_t *order, uint32_t *slice,
                      uint64_t **start_out, uint32_t *n_out)
{
  HicovClaims *c = s->c;
  uint64_t slice_max = cell_budget / (c->threads > 1 ? 8 : 4);
  if (!slice_max)
    slice_max = 1;
  int rc = claims_cells_each(c, count_copies, s);
  if (rc)
    return rc;
  /* cut the facilities in code order into slices */
  uint32_t n = 0;
  uint64_t in = 0;
  for (size_t i = 0; i < c->n_fac; i++) {
    uint64_t k = s->copies[order[i]];
    if (in && in + k > slice_max) {
      n++;
      in = 0;
    }
    slice[order[i]] = n;
    in += k;
  }
  n++;
  uint64_t *start = hicov_calloc((size_t)n + 1, sizeof *start);
  s->done = hicov_calloc(n, sizeof *s->done);
  s->fill = hicov_calloc(n, sizeof *s->fill);
  /* the scatter's buffers only: the slices read into their own */
  s->buf = hicov_malloc((size_t)n * SLICE_BUF * sizeof *s->buf);
  *start_out = start;
  if (!start || !s->done || !s->fill || !s->buf)
    return HICOV_NOMEM;
  for (size_t f = 0; f < c->n_fac; f++)
    start[slice[f] + 1] += s->copies[f];
  for (uint32_t k = 0; k < n; k++)
    start[k + 1] += start[k];
  *n_out = n;
  s->start = start;
  if (claims_tmp_open("cells", &s->fd)) {
    s->fd = -1;
    return cell_spill_error(c, CLAIMS_TMP_CREATE, errno);
  }
  rc = claims_cells_each(c, scatter_copies, s);
  for (uint32_t k = 0; k < n && !rc; k++)
    rc = slice_flush(s, k);
  return rc;
}

int claims_cells_release(HicovClaims *c)
{
  if (!c->cspill.n)
    return HICOV_OK;
  int rc = c->n_cells ? cell_spill(c) : HICOV_OK;
  if (rc)
    return rc;
  hicov_free(c->cells);
  hicov_free(c->cell_hash);
  c->cells = NULL;
  c->cell_hash = NULL;
  c->cap_cells = c->cell_hcap = 0;
  return HICOV_OK;
}

int claims_cells_sorted_each(HicovClaims *c,
                             int (*fn)(void *ctx, const ClaimsCell *e,
                                       size_t n),
                             void *ctx)
{
  if (!c->cspill.n) {
    int rc = hicov_claims_sort_cells(c);
    return rc ? rc : fn(ctx, c->cells, c->n_cells);
  }
  uint32_t *order = NULL, *slice = NULL;
  uint64_t *start = NULL;
  uint32_t n = 0;
  Slices s = { .c = c, .fd = -1 };
  int rc = claims_cells_release(c);
  if (!rc)
    rc = claims_fac_order(c, &order);
  if (!rc) {
    s.copies = hicov_calloc(c->n_fac, sizeof *s.copies);
    slice = hicov_calloc(c->n_fac, sizeof *slice);
    s.slice = slice;
    rc = s.copies && slice ? slices_run(&s, order, slice, &start, &n)
                           : HICOV_NOMEM;
  }
  if (!rc)
    rc = slices_emit(&s, start, n, fn, ctx);
  if (s.fd >= 0)
    close(s.fd);
  hicov_free(order);
  hicov_free(slice);
  hicov_free(start);
  hicov_free(s.copies);
  hicov_free(s.done);
  hicov_free(s.fill);
  hicov_free(s.buf);
  return rc;
}
