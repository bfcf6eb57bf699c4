/* dataset-merge.c - adding imported values to a dataset under a conflict
 * policy (error, replace, keep), all or nothing.
 *
 * The batch is checked whole before the dataset changes: each value's unit
 * and measure are looked up, the batch is sorted on the observation key
 * (unit, measure, group, first, last month) to find keys given twice, and
 * one pass over the dataset's observations finds the values it already
 * holds (a binary search in the sorted batch each). Then the new values
 * are added (undone together if one fails) and, last, the replacements
 * are written in place, which cannot fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-data.h"
#include "dataset-private.h"

#define MAX_CONFLICT_LINES 1000

int hicov_conflict_policy_parse(const char *name)
{
  if (!name)
    return -1;
  if (!strcmp(name, "error"))
    return HICOV_CONFLICT_ERROR;
  if (!strcmp(name, "replace"))
    return HICOV_CONFLICT_REPLACE;
  if (!strcmp(name, "keep"))
    return HICOV_CONFLICT_KEEP;
  return -1;
}

/* 28 bytes: a merge of 4 million values holds two arrays of them. */
typedef struct {
  uint32_t unit;
  /* the dataset's group index; a group it lacks: the group's rank by its
     text among those, less their number (negative: they sort first, by
     their text, and match no observation) */
  int32_t group;
  int32_t first, last;
  uint32_t input;    /* index in the caller's array */
  uint32_t existing; /* the dataset's observation with the same key + 1, 0 */
  uint16_t measure;
} Item;

static int cmp_item(const void *a, const void *b)
{
  const Item *x = a, *y = b;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->measure != y->measure) return x->measure < y->measure ? -1 : 1;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  if (x->last != y->last) return x->last < y->last ? -1 : 1;
  return 0;
}

static int cmp_item_input(const void *a, const void *b)
{
  int c = cmp_item(a, b);
  if (c)
    return c;
  const Item *x = a, *y = b;
  return (x->input > y->input) - (x->input < y->input);
}

static int cmp_obs_item(const HicovObs *o, const Item *y)
{
  if (o->unit != y->unit) return o->unit < y->unit ? -1 : 1;
  if (o->measure != y->measure) return o->measure < y->measure ? -1 : 1;
  if ((int)o->group != y->group) return (int)o->group < y->group ? -1 : 1;
  if (o->first != y->first) return o->first < y->first ? -1 : 1;
  if (o->last != y->last) return o->last < y->last ? -1 : 1;
  return 0;
}

/* "764,769" or "12.5": a value for messages. */
static void centi_text(int64_t c, char *buf, size_t size)
{
  char digits[32];
  snprintf(digits, sizeof digits, "%lld", (long long)(c / 100));
  size_t n = strlen(digits), o = 0;
  for (size_t i = 0; i < n && o + 2 < size; i++) {
    if (i && (n - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  if (c % 100)
    hicov_fmt(buf + o, size - o, c % 10 ? ".%02lld" : ".%lld",
              (long long)(c % 10 ? c % 100 : c % 100 / 10));
}

typedef struct {
  char *text;
  size_t len, cap, lines;
  long more;
  int nomem;
} Lines;

static void add_line(Lines *l, const char *s)
{
  if (l->lines >= MAX_CONFLICT_LINES) {
    l->more++;
    return;
  }
  size_t n = strlen(s);
  if (hicov_grow((void **)&l->text, &l->cap, l->len + n + 2, 1)) {
    l->nomem = 1;
    return;
  }
  memcpy(l->text + l->len, s, n);
  l->len += n;
  l->text[l->len++] = '\n';
  l->text[l->len] = '\0';
  l->lines++;
}

/* The index of source text s in the dataset's table, added when new;
 * 0 (none) past the table's 4096 entries, as the loader does. */
static int source_index(HicovDataset *ds, const char *s, uint32_t *out)
{
  *out = 0;
  if (!s || !s[0])
    return HICOV_OK;
  int i = hicov_source_intern(ds, s);
  if (i < 0)
    return HICOV_NOMEM;
  *out = (uint32_t)i;
  return HICOV_OK;
}

/* 1. Every value valid on its own: items[i] from values[i]. */
/* "Sheet1!C12: ", the place a value came from, or "" (before a message). */
static void where_prefix(const HicovValue *v, char *buf, size_t size)
{
  hicov_fmt(buf, size, "%s%s", v->where ? v->where : "",
            v->where ? ": " : "");
}

static int check_values(HicovDataset *ds, const HicovValue *values, size_t n,
                        Item *items)
{
  int rc = HICOV_OK;
  char where[160];
  for (size_t i = 0; i < n && !rc; i++) {
    const HicovValue *v = &values[i];
    long u = v->unit ? hicov_unit_index(ds, v->unit) : -1;
    int m = v->measure ? hicov_measure_find(v->measure) : -1;
    /* the place, for a message only (formatted for every value, it was a
       fifth of the time of merging 4 million) */
    if (u < 0 || m < 0 || v->period.first > v->period.last ||
        v->period.first < 1900 * 12 || v->period.last > 2200 * 12 + 11 ||
        v->centi < 0)
      where_prefix(v, where, sizeof where);
    /* TRANSLATORS: the first %s is where the value came from
       ("Sheet1!C12: ") or nothing, as in the messages below */
    if (u < 0)
      rc = hicov_set_error(ds, HICOV_NOTFOUND, T_(hicov_ds_lang(ds), "%sunknown unit "
                           "'%s'"), where, v->unit ? v->unit : "");
    else if (m < 0)
      rc = hicov_set_error(ds, HICOV_NOTFOUND, T_(hicov_ds_lang(ds), "%sunknown "
                           "measure '%s'"), where, v->measure ? v->measure
                                                              : "");
    else if (v->period.first > v->period.last || v->period.first < 1900 * 12 ||
             v->period.last > 2200 * 12 + 11)
      rc = hicov_set_error(ds, HICOV_INVALID, T_(hicov_ds_lang(ds), "%sinvalid "
                           "period"), where);
    else if (v->centi < 0)
      rc = hicov_set_error(ds, HICOV_INVALID, T_(hicov_ds_lang(ds), "%s%s for %s is "
                           "negative"), where, v->measure, v->unit);
    else {
      items[i].unit = (uint32_t)u;
      items[i].measure = (uint16_t)m;
      /* a group the dataset has not seen: -1 until ranked (rank_groups) */
      items[i].group = v->group && v->group[0] ? hicov_group_index(ds, v->group)
                                               : 0;
      items[i].first = v->period.first;
      items[i].last = v->period.last;
      items[i].input = (uint32_t)i;
      items[i].existing = 0;
    }
  }
  return rc;
}

/* The groups the dataset lacks ranked by their text (items[].group), each
 * text once: sorting these few texts, not comparing the texts of millions
 * of values.  *n_new gets their number. */
static int rank_groups(const HicovValue *values, Item *items, size_t n,
                       size_t *n_new)
{
  char **text = NULL; /* copies: a few texts */
  size_t nt = 0, cap = 0;
  HicovStrIndex index = { 0 };
  uint32_t *id = NULL, *rank = NULL;
  int rc = HICOV_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    if (items[i].group >= 0)
      continue;
    long k = -1;
    if ((id || (id = hicov_malloc(n * sizeof *id))) &&
        (k = hicov_str_intern(&index, &text, &nt, &cap,
                              values[items[i].input].group, SIZE_MAX)) >= 0)
      id[i] = (uint32_t)k;
    else
      rc = HICOV_NOMEM;
  }
  if (!rc && nt && (!(rank = hicov_malloc(nt * sizeof *rank)) ||
                    hicov_str_ranks((const char *const *)text, nt, rank)))
    rc = HICOV_NOMEM;
  for (size_t i = 0; i < n && !rc && nt; i++)
    if (items[i].group < 0)
      items[i].group = (int32_t)rank[id[i]] - (int32_t)nt;
  *n_new = nt;
  for (size_t k = 0; k < nt; k++)
    hicov_free(text[k]);
  hicov_free(text);
  hicov_str_index_free(&index);
  hicov_free(id);
  hicov_free(rank);
  return rc;
}

/* Sorts items in the order of cmp_item_input with a radix sort of one
 * integer an item: unit, measure, group (n_new groups the dataset lacks
 * first), first and last month, packed in the bits each needs; the same
 * key twice keeps the input order (the sort is stable).  qsort comparing
 * items, group texts among them, was half the time of merging 4 million
 * values.  Returns 0, items as they were, when the key needs more than 64
 * bits or memory ran out. */
static int sort_items_packed(const HicovDataset *ds, Item *items, size_t n,
                             size_t n_new)
{
  HicovSortItem *v = NULL;
  int ok;
  HicovKeyPack kp = { 0 };
  for (size_t i = 0; i < n; i++)
    hicov_key_pack_see(&kp, items[i].measure, items[i].first, items[i].last);
  ok = hicov_key_pack_init(&kp, ds->n_units, n_new + ds->n_groups) &&
       (v = hicov_malloc(2 * n * sizeof *v));
  if (ok) {
    for (size_t i = 0; i < n; i++) {
      const Item *it = &items[i];
      v[i] = (HicovSortItem){
        hicov_key_pack(&kp, it->unit, it->measure,
                       (uint64_t)((int64_t)it->group + (int64_t)n_new),
                       it->first, it->last), (uint32_t)i };
    }
    HicovSortItem *o = hicov_sort_items(v, v + n, n);
    /* the order alone (4 bytes an item, the keys' 32 freed), then the
       items gathered into a new array in it, each asked for a few ahead
       (put in place cycle by cycle, each move waited for memory: most of
       the merge's own time) */
    uint32_t *ord = hicov_malloc(n * sizeof *ord);
    if (ord)
      for (size_t j = 0; j < n; j++)
        ord[j] = o[j].i;
    hicov_free(v);
    v = NULL;
    Item *sorted = ord ? hicov_malloc(n * sizeof *sorted) : NULL;
    if (sorted) {
      for (size_t j = 0; j < n; j++) {
        if (j + 16 < n)
          __builtin_prefetch(&items[ord[j + 16]]);
        sorted[j] = items[ord[j]];
      }
      memcpy(items, sorted, n * sizeof *items);
    } else {
      ok = 0;
    }
    hicov_free(sorted);
    hicov_free(ord);
  }
  hicov_free(v);
  return ok;
}

/* 2. The same key twice in the batch (groups unknown to the dataset
 * compared by their text); items sorted. */
static int given_twice(HicovDataset *ds, const HicovValue *values,
                       Item *items, size_t n)
{
  size_t n_new = 0;
  int rc = rank_groups(values, items, n, &n_new);
  if (rc)
    return rc;
  if (n > 1 && !sort_items_packed(ds, items, n, n_new))
    qsort(items, n, sizeof *items, cmp_item_input);
  for (size_t i = 1; i < n && !rc; i++) {
    const Item *a = &items[i - 1], *b = &items[i];
    if (cmp_item(a, b) == 0) {
      const HicovValue *va = &values[a->input], *vb = &values[b->input];
      char pt[24], where[160];
      hicov_period_format(vb->period, pt, sizeof pt);
      where_prefix(vb, where, sizeof where);
      const char *lang = hicov_ds_lang(ds);
      if (va->group && va->group[0] && va->where)
        rc = hicov_set_error(ds, HICOV_INVALID, T_(lang, "%s%s of %s for %s, "
                             "group %s is given twice (first at %s)"), where,
                             vb->measure, vb->unit, pt, va->group, va->where);
      else if (va->group && va->group[0])
        rc = hicov_set_error(ds, HICOV_INVALID, T_(lang, "%s%s of %s for %s, "
                             "group %s is given twice"), where, vb->measure,
                             vb->unit, pt, va->group);
      else if (va->where)
        rc = hicov_set_error(ds, HICOV_INVALID, T_(lang, "%s%s of %s for %s "
                             "is given twice (first at %s)"), where,
                             vb->measure, vb->unit, pt, va->where);
      else
        rc = hicov_set_error(ds, HICOV_INVALID, T_(lang, "%s%s of %s for %s "
                             "is given twice"), where, vb->measure, vb->unit,
                             pt);
    }
  }
  return rc;
}

/* 3. The values the dataset already holds: items[].existing. */
static void find_existing(const HicovDataset *ds, Item *items, size_t n)
{
  for (size_t o = 0; o < ds->n_obs && n; o++) {
    const HicovObs *ob = &ds->obs[o];
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (cmp_obs_item(ob, &items[mid]) > 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < n && cmp_obs_item(ob, &items[lo]) == 0)
      items[lo].existing = (uint32_t)o + 1;
  }
}

/* 4. Classifies each value (added, unchanged, replaced or kept) with a
 * line for each that differs; with policy error, any difference refuses
 * the merge. */
static int classify(HicovDataset *ds, const HicovValue *values,
                    const Item *items, size_t n, int policy,
                    HicovMergeStats *st, Lines *lines)
{
  long differing = 0;
  for (size_t i = 0; i < n; i++) {
    const Item *it = &items[i];
    if (!it->existing) {
      st->added++;
      continue;
    }
    const HicovValue *v = &values[it->input];
    int64_t old = ds->obs[it->existing - 1].centi;
    if (old == v->centi) {
      st->unchanged++;
      continue;
    }
    differing++;
    if (policy == HICOV_CONFLICT_REPLACE)
      st->replaced++;
    else if (policy == HICOV_CONFLICT_KEEP)
      st->kept++;
    char a[40], b[40], pt[24], line[400], where[160];
    centi_text(old, a, sizeof a);
    centi_text(v->centi, b, sizeof b);
    hicov_period_format(v->period, pt, sizeof pt);
    where_prefix(v, where, sizeof where);
    if (v->group && v->group[0])
      hicov_fmt(line, sizeof line, T_(hicov_ds_lang(ds), "%s%s of %s for %s, group %s "
                "is %s in the dataset and %s in the import"), where,
                v->measure, v->unit, pt, v->group, a, b);
    else
      hicov_fmt(line, sizeof line, T_(hicov_ds_lang(ds), "%s%s of %s for %s is %s in "
                "the dataset and %s in the import"), where, v->measure,
                v->unit, pt, a, b);
    if (differing == 1 && policy == HICOV_CONFLICT_ERROR)
      hicov_set_error(ds, HICOV_INVALID, "%s", line);
    add_line(lines, line);
  }
  if (lines->nomem)
    return HICOV_NOMEM;
  if (differing && policy == HICOV_CONFLICT_ERROR) {
    char more[320];
    hicov_fmt(more, sizeof more, hicov_ntext(hicov_ds_lang(ds), " (%ld value differs "
              "from the dataset's; nothing was changed: choose --on-conflict "
              "replace or keep)", " (%ld values differ from the dataset's; "
              "nothing was changed: choose --on-conflict replace or keep)",
              (unsigned long)differing), differing);
    size_t len = strlen(ds->errmsg);
    hicov_fmt(ds->errmsg + len, sizeof ds->errmsg - len, "%s", more);
    return HICOV_INVALID;
  }
  return HICOV_OK;
}

/* 5. Applies the merge: additions (undone together on failure), then
 * replacements, which cannot fail. */
static int apply(HicovDataset *ds, const HicovValue *values,
                 const Item *items, size_t n, const char *source, int policy,
                 const HicovMergeStats *st)
{
  int rc = HICOV_OK;
  HicovDatasetMark mark;
  hicov_dataset_mark(ds, &mark);
  /* room for the new values first (one rebuild of the index, not one a
     doubling); their units and measures are known from check_values */
  size_t want = ds->n_obs + (size_t)st->added;
  if (st->added &&
      (hicov_grow((void **)&ds->obs, &ds->cap_obs, want, sizeof *ds->obs) ||
       ((ds->obs_hash_stale || want * 2 > ds->obs_hash_cap) &&
        hicov_obs_hash_rebuild(ds, want))))
    rc = HICOV_NOMEM;
  for (size_t i = 0; i < n && !rc; i++) {
    const Item *it = &items[i];
    if (it->existing)
      continue;
    const HicovValue *v = &values[it->input];
    long dup = 0;
    /* a key already there or given twice was found before: only memory
       or a limit can fail here */
    rc = hicov_add_obs(ds, it->unit, it->measure, v->group, v->period,
                       v->centi, source, 0, &dup);
  }
  uint32_t src = 0;
  if (!rc && st->replaced)
    rc = source_index(ds, source, &src);
  if (rc) {
    char msg[sizeof ds->errmsg];
    memcpy(msg, ds->errmsg, sizeof msg);
    hicov_dataset_rollback(ds, &mark);
    memcpy(ds->errmsg, msg, sizeof msg);
    if (!ds->errmsg[0])
      hicov_set_error(ds, rc, "%s", hicov_text(hicov_ds_lang(ds),
                                               hicov_status_string(rc)));
  } else if (policy == HICOV_CONFLICT_REPLACE) {
    for (size_t i = 0; i < n; i++) {
      const Item *it = &items[i];
      if (!it->existing)
        continue;
      HicovObs *ob = &ds->obs[it->existing - 1];
      if (ob->centi == values[it->input].centi)
        continue;
      ob->centi = values[it->input].centi;
      hicov_dataset_changed(ds);
      ob->source = src;
      ob->line = 0;
    }
  }
  return rc;
}

int hicov_dataset_merge_values(HicovDataset *ds, const HicovValue *values,
                               size_t n, const char *source, int policy,
                               HicovMergeStats *stats, char **conflicts)
{
  if (stats)
    memset(stats, 0, sizeof *stats);
  if (conflicts)
    *conflicts = NULL;
  if (!ds || (!values && n))
    return HICOV_INVALID;
  hicov_clear_error(ds);
  if (policy < HICOV_CONFLICT_ERROR || policy > HICOV_CONFLICT_KEEP)
    return hicov_set_error(ds, HICOV_INVALID, T_(hicov_ds_lang(ds), "unknown conflict "
                           "policy %d (expected error, replace or keep)"),
                           policy);
  if (n >= UINT32_MAX / 2)
    return hicov_set_error(ds, HICOV_LIMIT, "%s", T_(hicov_ds_lang(ds), "too many "
                           "values in one merge"));
  Item *items = hicov_malloc((n ? n : 1) * sizeof *items);
  if (!items)
    return HICOV_NOMEM;
  int rc = check_values(ds, values, n, items);
  if (rc) {
    hicov_free(items);
    return rc;
  }
  rc = given_twice(ds, values, items, n);
  if (!rc)
    find_existing(ds, items, n);
  HicovMergeStats st = { 0, 0, 0, 0 };
  Lines lines = { 0 };
  if (!rc)
    rc = classify(ds, values, items, n, policy, &st, &lines);
  if (!rc)
    rc = apply(ds, values, items, n, source, policy, &st);
  hicov_free(items);
  if (rc == HICOV_OK && stats)
    *stats = st;
  if (lines.more && lines.text) {
    char more[80];
    hicov_fmt(more, sizeof more, T_(hicov_ds_lang(ds), "... and %ld more"), lines.more);
    add_line(&lines, more);
  }
  if (conflicts && lines.text)
    *conflicts = lines.text;
  else
    hicov_free(lines.text);
  return rc;
}
