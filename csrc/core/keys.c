/* keys.c - finding and ordering by key, for the dataset (its groups and
 * sources, saved and merged observations) and the claims' values: an
 * index over an array of strings, the byte-order ranks of such strings,
 * and a radix sort of integer keys. */
#include <stdlib.h>
#include <string.h>

#include "util-private.h"

/* FNV-1a with a final mix: the strings are short codes. */
static uint64_t str_hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ h >> 33;
}

size_t hicov_str_index_slot(const HicovStrIndex *x, const char *const *arr,
                            const char *s)
{
  size_t m = x->cap - 1, k = (size_t)str_hash(s) & m;
  while (x->slot[k] && strcmp(arr[x->slot[k] - 1], s))
    k = (k + 1) & m;
  return k;
}

int hicov_str_index_room(HicovStrIndex *x, const char *const *arr, size_t n)
{
  if (x->cap >= (n + 1) * 2)
    return HICOV_OK;
  size_t cap = 16;
  while (cap < (n + 1) * 2)
    cap *= 2;
  HicovStrIndex y = { hicov_calloc(cap, sizeof(uint32_t)), cap };
  if (!y.slot)
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++)
    y.slot[hicov_str_index_slot(&y, arr, arr[i])] = (uint32_t)(i + 1);
  hicov_free(x->slot);
  *x = y;
  return HICOV_OK;
}

long hicov_str_intern(HicovStrIndex *x, char ***arr, size_t *n, size_t *cap,
                      const char *s, size_t limit)
{
  if (hicov_str_index_room(x, (const char *const *)*arr, *n))
    return -1;
  size_t k = hicov_str_index_slot(x, (const char *const *)*arr, s);
  if (x->slot[k])
    return (long)x->slot[k] - 1;
  if (*n >= limit)
    return -2;
  if (hicov_grow((void **)arr, cap, *n + 1, sizeof **arr))
    return -1;
  char *d = hicov_strdup(s);
  if (!d)
    return -1;
  (*arr)[*n] = d;
  x->slot[k] = (uint32_t)++*n;
  return (long)*n - 1;
}

long hicov_str_index_find(const HicovStrIndex *x, const char *const *arr,
                          const char *s)
{
  if (!x->cap)
    return -1;
  uint32_t e = x->slot[hicov_str_index_slot(x, arr, s)];
  return e ? (long)e - 1 : -1;
}

void hicov_str_index_free(HicovStrIndex *x)
{
  hicov_free(x->slot);
  x->slot = NULL;
  x->cap = 0;
}

typedef struct {
  const char *text;
  uint32_t i;
} Ranked;

static int cmp_ranked(const void *a, const void *b)
{
  return strcmp(((const Ranked *)a)->text, ((const Ranked *)b)->text);
}

int hicov_str_ranks(const char *const *arr, size_t n, uint32_t *rank)
{
  Ranked *r = hicov_malloc((n ? n : 1) * sizeof *r);
  if (!r)
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++)
    r[i] = (Ranked){ arr[i], (uint32_t)i };
  qsort(r, n, sizeof *r, cmp_ranked);
  for (size_t k = 0; k < n; k++)
    rank[r[k].i] = (uint32_t)k;
  hicov_free(r);
  return HICOV_OK;
}

/* 11 bits a pass: 2,048 counters stay in the first-level cache */
#define SORT_DIGIT 11

HicovSortItem *hicov_sort_items(HicovSortItem *v, HicovSortItem *tmp,
                                size_t n)
{
  uint64_t all = 0;
  for (size_t i = 0; i < n; i++)
    all |= v[i].key;
  unsigned bits = hicov_bits_for(all);
  size_t cnt[1u << SORT_DIGIT];
  HicovSortItem *src = v, *dst = tmp;
  for (unsigned shift = 0; shift < bits; shift += SORT_DIGIT) {
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
      cnt[src[i].key >> shift & ((1u << SORT_DIGIT) - 1)]++;
    size_t at = 0;
    for (size_t d = 0; d < (1u << SORT_DIGIT); d++) {
      size_t c = cnt[d];
      cnt[d] = at;
      at += c;
    }
    for (size_t i = 0; i < n; i++)
      dst[cnt[src[i].key >> shift & ((1u << SORT_DIGIT) - 1)]++] = src[i];
    HicovSortItem *t = src;
    src = dst;
    dst = t;
  }
  return src;
}

int hicov_key_pack_init(HicovKeyPack *p, size_t n_units, uint64_t n_groups)
{
  p->wm = hicov_bits_for(p->m1);
  p->wg = hicov_bits_for(n_groups ? n_groups - 1 : 0);
  p->wf = hicov_bits_for((uint64_t)((int64_t)p->f1 - p->f0));
  p->wl = hicov_bits_for((uint64_t)((int64_t)p->l1 - p->l0));
  return hicov_bits_for(n_units) + p->wm + p->wg + p->wf + p->wl <=
         hicov_pack_bits();
}

static unsigned pack_bits = 64;

void hicov_debug_pack_bits(unsigned bits)
{
  pack_bits = bits && bits < 64 ? bits : 64;
}

unsigned hicov_pack_bits(void)
{
  return pack_bits;
}
