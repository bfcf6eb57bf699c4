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
  uint32_t *h = hicov_calloc(ncap, sizeof *h);
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
