/* unit-match.c - finding a unit by the code or the Vietnamese name a
 * person typed in a spreadsheet (rules in hicov-data.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-data.h"
#include "dataset-private.h"
#include "vi-text.h"

typedef struct {
  char *full;   /* folded name, prefix made canonical */
  char *bare;   /* folded name without its prefix */
  char *lcode;  /* the code in ASCII lower case */
} Keys;

struct HicovUnitMatcher {
  HicovDataset *ds;
  size_t n;
  Keys *keys;
  size_t *by_full, *by_bare, *by_lcode; /* unit indexes sorted on a key */
};

/* The folded full and bare keys of a name; caller frees both. */
static int name_keys(const char *name, char **full, char **bare)
{
  size_t len = strlen(name);
  size_t cap = 3 * len + 16; /* a bad byte becomes U+FFFD: 3 bytes */
  char *f = hicov_malloc(cap), *b = NULL, *out = NULL;
  if (!f)
    return HICOV_NOMEM;
  size_t n = hicov_vi_fold(name, len, f, cap);
  if (n >= cap)
    n = cap - 1;
  const char *canon;
  size_t skip = hicov_vi_prefix(f, &canon);
  const char *rest = f + skip;
  while (*rest == ' ')
    rest++;
  b = hicov_strdup(rest);
  if (b && canon) {
    size_t cl = strlen(canon), rl = strlen(rest);
    out = hicov_malloc(cl + 1 + rl + 1);
    if (out) {
      memcpy(out, canon, cl);
      out[cl] = ' ';
      memcpy(out + cl + 1, rest, rl + 1);
    }
  } else if (b) {
    out = hicov_strdup(f);
  }
  hicov_free(f);
  if (!b || !out) {
    hicov_free(b);
    hicov_free(out);
    return HICOV_NOMEM;
  }
  *full = out;
  *bare = b;
  return HICOV_OK;
}

static char *lower_ascii(const char *s)
{
  char *d = hicov_strdup(s);
  for (char *p = d; p && *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return d;
}

/* A unit index with the keys it sorts on (qsort has no context). */
typedef struct {
  const Keys *keys;
  size_t index;
  int which;
} Ref;

static const char *key_of(const Keys *k, int which)
{
  return which == 0 ? k->full : which == 1 ? k->bare : k->lcode;
}

static int cmp_ref(const void *a, const void *b)
{
  const Ref *x = a, *y = b;
  int c = strcmp(key_of(&x->keys[x->index], x->which),
                 key_of(&y->keys[y->index], y->which));
  return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int sorted_index(const Keys *keys, size_t n, int which, size_t **out)
{
  Ref *refs = hicov_malloc((n ? n : 1) * sizeof *refs);
  size_t *idx = hicov_malloc((n ? n : 1) * sizeof *idx);
  if (!refs || !idx) {
    hicov_free(refs);
    hicov_free(idx);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < n; i++)
    refs[i] = (Ref){ keys, i, which };
  qsort(refs, n, sizeof *refs, cmp_ref);
  for (size_t i = 0; i < n; i++)
    idx[i] = refs[i].index;
  hicov_free(refs);
  *out = idx;
  return HICOV_OK;
}

void hicov_unit_matcher_free(HicovUnitMatcher *m)
{
  if (!m)
    return;
  for (size_t i = 0; m->keys && i < m->n; i++) {
    hicov_free(m->keys[i].full);
    hicov_free(m->keys[i].bare);
    hicov_free(m->keys[i].lcode);
  }
  hicov_free(m->keys);
  hicov_free(m->by_full);
  hicov_free(m->by_bare);
  hicov_free(m->by_lcode);
  hicov_free(m);
}

int hicov_unit_matcher_new(HicovDataset *ds, HicovUnitMatcher **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ds)
    return HICOV_INVALID;
  int rc = hicov_dataset_prepare(ds); /* parents, for "below" */
  if (rc)
    return rc;
  HicovUnitMatcher *m = hicov_calloc(1, sizeof *m);
  if (!m)
    return HICOV_NOMEM;
  m->ds = ds;
  m->n = hicov_dataset_unit_count(ds);
  m->keys = hicov_calloc(m->n ? m->n : 1, sizeof *m->keys);
  rc = m->keys ? HICOV_OK : HICOV_NOMEM;
  for (size_t i = 0; !rc && i < m->n; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, i, &u);
    rc = name_keys(u.name, &m->keys[i].full, &m->keys[i].bare);
    if (!rc && !(m->keys[i].lcode = lower_ascii(u.code)))
      rc = HICOV_NOMEM;
  }
  if (!rc)
    rc = sorted_index(m->keys, m->n, 0, &m->by_full);
  if (!rc)
    rc = sorted_index(m->keys, m->n, 1, &m->by_bare);
  if (!rc)
    rc = sorted_index(m->keys, m->n, 2, &m->by_lcode);
  if (rc) {
    hicov_unit_matcher_free(m);
    return rc;
  }
  *out = m;
  return HICOV_OK;
}

/* [lo, hi) of the units whose key `which` equals s. */
static void equal_range(const HicovUnitMatcher *m, const size_t *order,
                        int which, const char *s, size_t *lo, size_t *hi)
{
  size_t a = 0, b = m->n;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (strcmp(key_of(&m->keys[order[mid]], which), s) < 0)
      a = mid + 1;
    else
      b = mid;
  }
  *lo = a;
  b = m->n;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (strcmp(key_of(&m->keys[order[mid]], which), s) <= 0)
      a = mid + 1;
    else
      b = mid;
  }
  *hi = a;
}

static int below(HicovDataset *ds, size_t i, size_t ancestor)
{
  const HicovUnitRec *u = &ds->units[i];
  for (int depth = 0; depth < 64; depth++) {
    if (u->parent < 0)
      return 0;
    if ((size_t)u->parent == ancestor)
      return 1;
    u = &ds->units[u->parent];
  }
  return 0;
}

static int keep(const HicovUnitMatcher *m, size_t i,
                const HicovMatchOptions *opt, long parent)
{
  const HicovUnitRec *u = &m->ds->units[i];
  if (opt->level >= 0 && u->level != opt->level)
    return 0;
  if (parent >= 0 && !below(m->ds, i, (size_t)parent))
    return 0;
  if (opt->period &&
      !hicov_unit_exists_in(u, opt->period->first, opt->period->last))
    return 0;
  return 1;
}

/* Collects the units of [lo, hi) in `order` that the options keep. */
static void collect(const HicovUnitMatcher *m, const size_t *order, size_t lo,
                    size_t hi, const HicovMatchOptions *opt, long parent,
                    HicovMatch *out)
{
  out->n_candidates = 0;
  for (size_t k = lo; k < hi; k++) {
    size_t i = order[k];
    if (!keep(m, i, opt, parent))
      continue;
    if (out->n_candidates < HICOV_MATCH_MAX_CANDIDATES)
      out->candidates[out->n_candidates] = i;
    out->n_candidates++;
  }
}

int hicov_unit_matcher_find(HicovUnitMatcher *m, const char *text,
                            const HicovMatchOptions *opt, HicovMatch *out)
{
  if (!m || !text || !out)
    return HICOV_INVALID;
  memset(out, 0, sizeof *out);
  HicovMatchOptions none = { HICOV_MATCH_AUTO, -1, NULL, NULL };
  if (!opt)
    opt = &none;
  /* trimmed text for codes */
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
    text++;
  size_t tl = strlen(text);
  while (tl && (text[tl - 1] == ' ' || text[tl - 1] == '\t' ||
                text[tl - 1] == '\n' || text[tl - 1] == '\r'))
    tl--;
  char *code = hicov_strndup(text, tl);
  if (!code)
    return HICOV_NOMEM;
  if (opt->by != HICOV_MATCH_NAME && tl) {
    long i = hicov_unit_index(m->ds, code);
    if (i < 0) {
      char *lc = lower_ascii(code);
      if (!lc) {
        hicov_free(code);
        return HICOV_NOMEM;
      }
      size_t lo, hi;
      equal_range(m, m->by_lcode, 2, lc, &lo, &hi);
      hicov_free(lc);
      if (hi - lo == 1)
        i = (long)m->by_lcode[lo];
    }
    if (i >= 0) {
      hicov_free(code);
      out->index = (size_t)i;
      out->by = HICOV_MATCH_CODE;
      out->n_candidates = 1;
      out->candidates[0] = (size_t)i;
      return HICOV_OK;
    }
  }
  hicov_free(code);
  if (opt->by == HICOV_MATCH_CODE)
    return HICOV_NOTFOUND;
  long parent = -1;
  if (opt->parent && (parent = hicov_unit_index(m->ds, opt->parent)) < 0)
    return HICOV_NOTFOUND;
  char *full, *bare;
  int rc = name_keys(text, &full, &bare);
  if (rc)
    return rc;
  size_t lo, hi;
  equal_range(m, m->by_full, 0, full, &lo, &hi);
  collect(m, m->by_full, lo, hi, opt, parent, out);
  if (out->n_candidates == 0 && bare[0]) {
    equal_range(m, m->by_bare, 1, bare, &lo, &hi);
    collect(m, m->by_bare, lo, hi, opt, parent, out);
  }
  hicov_free(full);
  hicov_free(bare);
  out->by = HICOV_MATCH_NAME;
  if (out->n_candidates == 1) {
    out->index = out->candidates[0];
    return HICOV_OK;
  }
  return HICOV_NOTFOUND;
}

char *hicov_text_fold(const char *text)
{
  if (!text)
    return NULL;
  size_t len = strlen(text), cap = 2 * len + 1;
  char *out = hicov_malloc(cap);
  if (!out)
    return NULL;
  size_t n = hicov_vi_fold(text, len, out, cap);
  if (n >= cap) { /* grew (U+FFFD for bad bytes): once more, large enough */
    hicov_free(out);
    cap = n + 1;
    if (!(out = hicov_malloc(cap)))
      return NULL;
    hicov_vi_fold(text, len, out, cap);
  }
  return out;
}

