/* dataset-memo.c - the totals of aggregate units already taken, so that a
 * dashboard's KPI tiles, trend, ranking, table and map, which all ask for
 * the same sums over a province's or the country's communes, walk the
 * communes once per (measure, unit, period) instead of once per view.
 *
 * What is kept: the totals taken, with what taking them did to the walk in
 * dataset-totals.c (crosswalk share applied, units visited, depth reached,
 * sources used), keyed on everything a total depends on besides the
 * dataset: measure, unit, group, period, the boundary month (asof) and how
 * the unit was reached (skip_own, extend).  A missing total is kept with
 * its reason, which is text: it serves only a walk in the same language.
 *
 * Threads: queries on a prepared dataset run in several threads at once
 * (hicov-core.h, "Threads"), so the memo is lock-free.  A slot is claimed
 * by a compare-and-swap of its state (empty -> writing), filled, then
 * published (ready, release); readers take only ready slots (acquire) and
 * probe past the others.  Two threads taking the same total at once may
 * both store it, with the same value.  A full table is not resized in
 * place: the next, twice as large, is added beside it (up to MEMO_TABLES),
 * and lookups probe each.  Changes to the dataset never overlap queries;
 * hicov_dataset_prepare clears the memo when it finds the dataset changed.
 *
 * Allocation: through the overridable allocator, but not the test hook
 * (hicov_malloc_cache): a failure leaves the total unkept, not the query
 * failed.
 *
 * Memory: 64 bytes a slot, at most half the slots used, and the reasons.
 * On gen_dataset.py --national (34 provinces, 3,321 communes, 60 months),
 * 10 indicators of the country and every province over all 85 months,
 * quarters and years keep 24,361 totals in 3.9 MB. */
#include <stdint.h>
#include <string.h>

#include "dataset-private.h"

#define MEMO_TABLES 16
#define MEMO_FIRST_SLOTS 4096u
#define MEMO_PROBES 64

enum { SLOT_EMPTY = 0, SLOT_WRITING = 1, SLOT_READY = 2 };

typedef struct {
  uint32_t state; /* SLOT_*, accessed atomically */
  uint32_t unit;
  uint16_t measure, group;
  uint8_t flags; /* HICOV_MEMO_SKIP_OWN | HICOV_MEMO_EXTEND */
  uint8_t estimate, named, height;
  int32_t first, last, asof;
  uint32_t visits;
  int64_t centi;
  HicovMemoSources sources;
  uint8_t rc, lang;
  char *reason; /* owned, for a missing total */
} MemoSlot;

typedef struct {
  size_t cap;  /* a power of two */
  size_t used; /* slots claimed, accessed atomically */
  MemoSlot slot[];
} MemoTable;

struct HicovMemo {
  MemoTable *table[MEMO_TABLES]; /* accessed atomically */
};

/* ds->memo when the memo is off (hicov_memo_disable): never written. */
static struct HicovMemo memo_off;

static uint64_t key_hash(const HicovMemoKey *k)
{
  uint64_t h = 0x9e3779b97f4a7c15ull;
  uint64_t parts[4] = {
    (uint64_t)k->unit | (uint64_t)k->measure << 32 | (uint64_t)k->group << 48,
    (uint64_t)(uint32_t)k->first | (uint64_t)(uint32_t)k->last << 32,
    (uint64_t)(uint32_t)k->asof | (uint64_t)k->flags << 32, 0};
  for (int i = 0; i < 3; i++) {
    h ^= parts[i];
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  return h;
}

static int same_key(const MemoSlot *s, const HicovMemoKey *k)
{
  return s->unit == k->unit && s->measure == k->measure &&
         s->group == k->group && s->first == k->first &&
         s->last == k->last && s->asof == k->asof && s->flags == k->flags;
}

int hicov_memo_get(const HicovDataset *ds, const HicovMemoKey *k,
                   HicovMemoValue *v)
{
  struct HicovMemo *m = __atomic_load_n(&ds->memo, __ATOMIC_ACQUIRE);
  if (!m || m == &memo_off)
    return 0;
  uint64_t h = key_hash(k);
  for (int t = 0; t < MEMO_TABLES; t++) {
    MemoTable *tb = __atomic_load_n(&m->table[t], __ATOMIC_ACQUIRE);
    if (!tb)
      break;
    size_t mask = tb->cap - 1;
    for (size_t i = 0, j = (size_t)h & mask; i < MEMO_PROBES;
         i++, j = (j + 1) & mask) {
      const MemoSlot *s = &tb->slot[j];
      uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
      if (st == SLOT_EMPTY)
        break;
      if (st == SLOT_READY && same_key(s, k)) {
        v->centi = s->centi;
        v->visits = s->visits;
        v->height = s->height;
        v->estimate = s->estimate;
        v->named = s->named;
        v->sources = s->sources;
        v->rc = s->rc;
        v->lang = s->lang;
        v->reason = s->reason;
        return 1;
      }
    }
  }
  return 0;
}

/* The table to insert into: the last one, or a new one twice as large
 * when it is half full.  NULL when out of memory or tables. */
static MemoTable *insert_table(struct HicovMemo *m)
{
  for (int t = 0; t < MEMO_TABLES; t++) {
    MemoTable *tb = __atomic_load_n(&m->table[t], __ATOMIC_ACQUIRE);
    if (tb && __atomic_load_n(&tb->used, __ATOMIC_RELAXED) * 2 < tb->cap)
      return tb;
    if (tb)
      continue;
    size_t cap = (size_t)MEMO_FIRST_SLOTS << t;
    size_t bytes = sizeof(MemoTable) + cap * sizeof(MemoSlot);
    MemoTable *fresh = hicov_malloc_cache(bytes);
    if (!fresh)
      return NULL;
    memset(fresh, 0, bytes);
    fresh->cap = cap;
    MemoTable *expected = NULL;
    if (__atomic_compare_exchange_n(&m->table[t], &expected, fresh, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      return fresh;
    hicov_free(fresh); /* another thread added it first */
    if (__atomic_load_n(&expected->used, __ATOMIC_RELAXED) * 2 < expected->cap)
      return expected;
  }
  return NULL;
}

void hicov_memo_put(HicovDataset *ds, const HicovMemoKey *k,
                    const HicovMemoValue *v)
{
  struct HicovMemo *m = __atomic_load_n(&ds->memo, __ATOMIC_ACQUIRE);
  if (m == &memo_off)
    return;
  if (!m) {
    struct HicovMemo *fresh = hicov_malloc_cache(sizeof *fresh);
    if (!fresh)
      return; /* no memo: the totals are taken each time */
    memset(fresh, 0, sizeof *fresh);
    struct HicovMemo *expected = NULL;
    if (__atomic_compare_exchange_n(&ds->memo, &expected, fresh, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      m = fresh;
    } else {
      hicov_free(fresh);
      m = expected;
    }
  }
  char *reason = NULL;
  if (v->reason) {
    size_t len = strlen(v->reason) + 1;
    if (!(reason = hicov_malloc_cache(len)))
      return;
    memcpy(reason, v->reason, len);
  }
  MemoTable *tb = insert_table(m);
  if (!tb) {
    hicov_free(reason);
    return;
  }
  size_t mask = tb->cap - 1;
  uint64_t h = key_hash(k);
  for (size_t i = 0, j = (size_t)h & mask; i < MEMO_PROBES;
       i++, j = (j + 1) & mask) {
    MemoSlot *s = &tb->slot[j];
    uint32_t st = SLOT_EMPTY;
    if (!__atomic_compare_exchange_n(&s->state, &st, SLOT_WRITING, 0,
                                     __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
      if (st == SLOT_READY && same_key(s, k)) {
        hicov_free(reason);
        return; /* another thread kept it */
      }
      continue;
    }
    __atomic_add_fetch(&tb->used, 1, __ATOMIC_RELAXED);
    s->unit = k->unit;
    s->measure = k->measure;
    s->group = k->group;
    s->flags = k->flags;
    s->first = k->first;
    s->last = k->last;
    s->asof = k->asof;
    s->centi = v->centi;
    s->visits = v->visits;
    s->height = v->height;
    s->estimate = v->estimate;
    s->named = v->named;
    s->sources = v->sources;
    s->rc = v->rc;
    s->lang = v->lang;
    s->reason = reason;
    __atomic_store_n(&s->state, SLOT_READY, __ATOMIC_RELEASE);
    return;
  }
  hicov_free(reason);
}

void hicov_memo_clear(HicovDataset *ds)
{
  struct HicovMemo *m = ds->memo;
  if (!m || m == &memo_off)
    return;
  for (int t = 0; t < MEMO_TABLES; t++) {
    MemoTable *tb = m->table[t];
    for (size_t i = 0; tb && i < tb->cap; i++)
      hicov_free(tb->slot[i].reason);
    hicov_free(tb);
  }
  hicov_free(m);
  ds->memo = NULL;
}

void hicov_memo_disable(HicovDataset *ds)
{
  hicov_memo_clear(ds);
  ds->memo = &memo_off;
}

void hicov_memo_stats(const HicovDataset *ds, size_t *entries, size_t *bytes)
{
  size_t n = 0, b = 0;
  const struct HicovMemo *m = ds->memo;
  if (m && m != &memo_off) {
    b = sizeof *m;
    for (int t = 0; t < MEMO_TABLES && m->table[t]; t++) {
      const MemoTable *tb = m->table[t];
      n += tb->used;
      b += sizeof(MemoTable) + tb->cap * sizeof(MemoSlot);
      for (size_t i = 0; i < tb->cap; i++)
        b += tb->slot[i].reason ? strlen(tb->slot[i].reason) + 1 : 0;
    }
  }
  if (entries)
    *entries = n;
  if (bytes)
    *bytes = b;
}
