/* claims-keys.c - sets of 64-bit keys that stay exact past their memory
 * budget (the table written out as sorted runs, a Bloom filter in front of
 * them), and the duplicate table: 64 such sets behind their own locks,
 * shared by the threads of a read. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-private.h"

/* ------------------------------------------------------------------------ */
/* Hashing and sets                                                          */

uint64_t claims_hash_bytes(const void *p, size_t n, uint64_t seed)
{
  const unsigned char *s = p;
  uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
    s += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, s, n);
  return mix64(h ^ w ^ ((uint64_t)n << 56));
}

/* Grows to ncap slots (a power of two).  Callers that copy one table into
 * another reserve first: inserting keys in slot order into a smaller
 * table with the same hash clusters them badly under linear probing. */
static int set_resize(ClaimsSet *s, size_t ncap)
{
  uint64_t *nk = hicov_calloc_table(ncap, sizeof *nk);
  if (!nk)
    return HICOV_NOMEM;
  for (size_t i = 0; i < s->cap; i++) {
    uint64_t k = s->keys[i];
    if (!k)
      continue;
    size_t j = (size_t)mix64(k) & (ncap - 1);
    while (nk[j])
      j = (j + 1) & (ncap - 1);
    nk[j] = k;
  }
  hicov_free(s->keys);
  s->keys = nk;
  s->cap = ncap;
  return HICOV_OK;
}

/* The duplicate keys' table budget: 2^20 slots (8 MB) for a set of its
 * own; a shared table divides it between its 64 shards.  Against 2 MB it
 * spills a quarter as often: at 1 GB of claims the duplicate check took
 * some 20% less CPU, and the peak at 10 GB stays under 100 MB. */
#define KEY_BUDGET_DEFAULT ((size_t)1 << 20)
static size_t key_budget = KEY_BUDGET_DEFAULT;

void claims_debug_key_budget(size_t slots)
{
  key_budget = slots >= 16 ? slots : KEY_BUDGET_DEFAULT;
}

static size_t set_max_cap(const ClaimsSet *s)
{
  return s->max_cap ? s->max_cap : key_budget;
}

int claims_set_reserve(ClaimsSet *s, size_t n)
{
  size_t max = set_max_cap(s);
  size_t cap = s->cap ? s->cap : (max < 1024 ? max : 1024);
  while (n * 4 > cap * 3 && cap < max)
    cap *= 2;
  return cap > s->cap ? set_resize(s, cap) : HICOV_OK;
}

size_t claims_set_count(const ClaimsSet *s)
{
  return s->n + (size_t)s->spilled;
}

uint64_t claims_dedup_count(const ClaimsDedup *d)
{
  uint64_t n = 0;
  for (int k = 0; k < CLAIMS_DEDUP_SHARDS; k++)
    n += claims_set_count(&d->set[k]);
  return n;
}

/* -- the written-out part of a set -- */

#define FENCE_EVERY 256

static int set_io_error(ClaimsSet *s, int op, int err)
{
  claims_tmp_error(s->err, sizeof s->err, s->lang, CLAIMS_TMP_KEYS, op, err);
  return HICOV_IO;
}

/* Blocked Bloom filter: a key sets 6 bits of one 512-bit block, a cache
 * line (about 1% false positives at 10 bits a key).  The block comes from
 * the key's bits (bloom_block), the bits in it from a mix of the key. */
static inline void bloom_bits(uint64_t key, size_t blocks, size_t *block,
                              unsigned bit[6])
{
  *block = bloom_block(key, blocks);
  uint64_t g = mix64(key ^ 0x6a09e667f3bcc909ULL);
  for (int i = 0; i < 6; i++)
    bit[i] = (unsigned)((g >> (9 * i)) & 511);
}

static void bloom_add(uint64_t *bloom, size_t blocks, uint64_t key)
{
  size_t b;
  unsigned bit[6];
  bloom_bits(key, blocks, &b, bit);
  for (int i = 0; i < 6; i++)
    bloom[b * 8 + bit[i] / 64] |= 1ULL << (bit[i] % 64);
}

static int bloom_maybe(const ClaimsSet *s, uint64_t key)
{
  size_t b;
  unsigned bit[6];
  bloom_bits(key, s->bloom_blocks, &b, bit);
  for (int i = 0; i < 6; i++)
    if (!(s->bloom[b * 8 + bit[i] / 64] & (1ULL << (bit[i] % 64))))
      return 0;
  return 1;
}

/* Sizes the filter for `room` keys, filling it from the runs. */
static int bloom_rebuild(ClaimsSet *s, uint64_t room)
{
  size_t blocks = (size_t)((room * 10 + 511) / 512);
  if (!blocks)
    blocks = 1;
  /* a block a cache line: one miss a probe, not two */
  void *mem = hicov_calloc_table(blocks * 8 + 8, sizeof(uint64_t));
  uint64_t *bl = mem ? (uint64_t *)(((uintptr_t)mem + 63) & ~(uintptr_t)63)
                     : NULL;
  uint64_t *buf = hicov_malloc(4096 * sizeof *buf);
  if (!bl || !buf) {
    hicov_free(mem);
    hicov_free(buf);
    return HICOV_NOMEM;
  }
  for (size_t r = 0; r < s->n_run; r++) {
    for (uint64_t i = 0; i < s->run[r].n; i += 4096) {
      size_t m = s->run[r].n - i < 4096 ? (size_t)(s->run[r].n - i) : 4096;
      if (claims_pread_all(s->fd, buf, m * sizeof *buf, s->run[r].off + i * 8)) {
        int e = errno;
        hicov_free(mem);
        hicov_free(buf);
        return set_io_error(s, CLAIMS_TMP_READ, e);
      }
      for (size_t j = 0; j < m; j++)
        bloom_add(bl, blocks, buf[j]);
    }
  }
  hicov_free(buf);
  hicov_free(s->bloom_mem);
  s->bloom_mem = mem;
  s->bloom = bl;
  s->bloom_blocks = blocks;
  s->bloom_room = room;
  return HICOV_OK;
}

/* Sorts v[0..n) with tmp (n keys): LSD radix, a byte a pass.  Returns the
 * array holding the result. */
static uint64_t *key_radix(uint64_t *v, uint64_t *tmp, size_t n)
{
  uint64_t *src = v, *dst = tmp;
  for (int shift = 0; shift < 64; shift += 8) {
    size_t cnt[256] = { 0 };
    for (size_t i = 0; i < n; i++)
      cnt[(src[i] >> shift) & 255]++;
    start_offsets(cnt, 256);
    for (size_t i = 0; i < n; i++)
      dst[cnt[(src[i] >> shift) & 255]++] = src[i];
    uint64_t *t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/* Runs are merged size-tiered: when the newest KEY_RUN_FAN runs are of
 * one size class (a power of KEY_RUN_FAN), they become one run of the
 * next.  A key is rewritten once a class, about log8(keys / table size)
 * times, and a lookup reads a block from each of at most 7 runs a class.
 * (Merging all the runs into one every 8 spills rewrote every key each
 * time: quadratic, in the step that checks duplicates in file order.
 * With 4, 10 GB of claims rewrote 53 million keys and read 183,000
 * blocks for the filter's positives; with 8, 25 million and 306,000, and
 * some 0.5-1 CPU s less, most of it the kernel's copies.) */
#define KEY_RUN_FAN 8

static unsigned run_class(uint64_t n)
{
  return n ? (unsigned)(63 - __builtin_clzll(n)) / 3 : 0; /* log8 */
}

/* The next slice of a run being merged into its buffer (b keys at most),
 * its first key less one into *head, or UINT64_MAX when the run is read. */
static int merge_fill(ClaimsSet *s, const ClaimsKeyRun *run, uint64_t *buf,
                      size_t b, uint64_t *done, size_t *pos, size_t *len,
                      uint64_t *head)
{
  *pos = *len = 0;
  *head = UINT64_MAX;
  if (*done >= run->n)
    return HICOV_OK;
  size_t m = run->n - *done < b ? (size_t)(run->n - *done) : b;
  if (claims_pread_all(s->fd, buf, m * sizeof *buf, run->off + *done * 8))
    return set_io_error(s, CLAIMS_TMP_READ, errno);
  *done += m;
  *len = m;
  *head = buf[0] - 1;
  return HICOV_OK;
}

/* Merges runs first.. (the newest) into one, written at the end of the
 * set's file; the space of the runs it replaces is given back to the file
 * system where it can punch holes (else the file only grows).  On a
 * failure the runs stay as they were. */
static int set_merge_runs(ClaimsSet *s, size_t first)
{
  enum { B = 512 };
  size_t nr = s->n_run - first;
  ClaimsKeyRun *in = s->run + first;
  uint64_t total = 0;
  for (size_t r = 0; r < nr; r++)
    total += in[r].n;
  uint64_t *buf = hicov_malloc(nr * B * sizeof *buf);
  uint64_t *out = hicov_malloc(4096 * sizeof *out);
  size_t *pos = hicov_calloc(nr, sizeof *pos), *len = hicov_calloc(nr, sizeof *len);
  uint64_t *done = hicov_calloc(nr, sizeof *done);
  uint64_t *fence = hicov_malloc((size_t)(total / FENCE_EVERY + 1) * sizeof *fence);
  /* each run's next key less one (keys are never 0), UINT64_MAX once the
     run is read: the smallest head is a scan of nr words in a row (a scan
     of the buffers' heads, each behind its run's position, was two
     thirds of the spills' time at 10 GB) */
  uint64_t *head = hicov_malloc(nr * sizeof *head);
  int rc = HICOV_OK;
  if (!buf || !out || !pos || !len || !done || !fence || !head) {
    rc = HICOV_NOMEM;
    goto out;
  }
  for (size_t r = 0; r < nr; r++) {
    head[r] = UINT64_MAX;
    if ((rc = merge_fill(s, &in[r], buf + r * B, B, &done[r], &pos[r],
                         &len[r], &head[r])))
      goto out;
  }
  uint64_t written = 0, at = s->end;
  size_t n_out = 0;
  for (;;) {
    size_t best = 0;
    for (size_t r = 1; r < nr; r++)
      best = head[r] < head[best] ? r : best;
    int end = head[best] == UINT64_MAX;
    if (end || n_out == 4096) {
      if (n_out && claims_pwrite_all(s->fd, out, n_out * sizeof *out,
                                     at + written * 8)) {
        rc = set_io_error(s, CLAIMS_TMP_WRITE, errno);
        goto out;
      }
      written += n_out;
      n_out = 0;
      if (end)
        break;
    }
    uint64_t k = head[best] + 1;
    if ((written + n_out) % FENCE_EVERY == 0)
      fence[(written + n_out) / FENCE_EVERY] = k;
    out[n_out++] = k;
    if (++pos[best] < len[best])
      head[best] = buf[best * B + pos[best]] - 1;
    else if ((rc = merge_fill(s, &in[best], buf + best * B, B, &done[best],
                              &pos[best], &len[best], &head[best])))
      goto out;
  }
  /* the keys of different runs are distinct: nothing was dropped */
  for (size_t r = 0; r < nr; r++) {
#ifdef FALLOC_FL_PUNCH_HOLE
    fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
              (off_t)in[r].off, (off_t)(in[r].n * 8));
#endif
    hicov_free(in[r].fence);
  }
  in[0].off = at;
  in[0].n = written;
  in[0].fence = fence;
  fence = NULL;
  s->n_run = first + 1;
  s->end = at + written * 8;
out:
  hicov_free(buf);
  hicov_free(out);
  hicov_free(pos);
  hicov_free(len);
  hicov_free(done);
  hicov_free(fence);
  hicov_free(head);
  return rc;
}

/* After a spill: while the newest KEY_RUN_FAN runs share a size class,
 * they are merged (a failed merge leaves more runs, still correct). */
static int set_tier_runs(ClaimsSet *s)
{
  while (s->n_run >= KEY_RUN_FAN) {
    size_t first = s->n_run - KEY_RUN_FAN;
    unsigned cl = run_class(s->run[s->n_run - 1].n);
    int same = 1;
    for (size_t r = first; r < s->n_run - 1; r++)
      same &= run_class(s->run[r].n) == cl;
    if (!same)
      break;
    int rc = set_merge_runs(s, first);
    if (rc)
      return rc == HICOV_NOMEM ? HICOV_OK : rc;
  }
  return HICOV_OK;
}

/* Writes the table out as a sorted run and empties it.  On a failure
 * nothing changed (the keys are written from a sorted copy). */
static int set_spill(ClaimsSet *s)
{
  if (!s->n)
    return HICOV_OK;
  if (!s->open) {
    if (claims_tmp_open("keys", &s->fd))
      return set_io_error(s, CLAIMS_TMP_CREATE, errno);
    s->open = 1;
  }
  if (hicov_grow((void **)&s->run, &s->cap_run, s->n_run + 1, sizeof *s->run))
    return HICOV_NOMEM;
  uint64_t *v = hicov_malloc(2 * s->n * sizeof *v);
  uint64_t *fence = hicov_malloc((s->n / FENCE_EVERY + 1) * sizeof *fence);
  if (!v || !fence) {
    hicov_free(v);
    hicov_free(fence);
    return HICOV_NOMEM;
  }
  size_t n = 0;
  for (size_t i = 0; i < s->cap; i++)
    if (s->keys[i])
      v[n++] = s->keys[i];
  if (key_radix(v, v + n, n) != v) /* eight passes: back in v */
    memcpy(v, v + n, n * sizeof *v);
  int rc = HICOV_OK;
  if (s->spilled + n > s->bloom_room) {
    /* a bigger filter, a quarter more each time: 10-12.5 bits a written
       key (doubling left up to 20, the filter being the biggest table
       after the cells); each rebuild reads the runs back once */
    uint64_t room = s->bloom_room ? s->bloom_room : 4 * n;
    /* sized for the keys announced at once: each rebuild reads every
       written key back and adds it again (at 1.25x a step, five times a
       key in all; a tenth of the time of a 10 GB read) */
    if (room < s->expect)
      room = s->expect;
    while (room < s->spilled + n)
      room += room / 4 + 1;
    rc = bloom_rebuild(s, room);
  }
  if (!rc && claims_pwrite_all(s->fd, v, n * sizeof *v, s->end))
    rc = set_io_error(s, CLAIMS_TMP_WRITE, errno);
  if (rc) {
    hicov_free(v);
    hicov_free(fence);
    return rc;
  }
  for (size_t i = 0; i < n; i++) {
    bloom_add(s->bloom, s->bloom_blocks, v[i]);
    if (i % FENCE_EVERY == 0)
      fence[i / FENCE_EVERY] = v[i];
  }
  ClaimsKeyRun *r = &s->run[s->n_run++];
  r->off = s->end;
  r->n = n;
  r->fence = fence;
  s->end += n * sizeof *v;
  s->spilled += n;
  memset(s->keys, 0, s->cap * sizeof *s->keys);
  s->n = 0;
  hicov_free(v);
  if (s->cap > set_max_cap(s)) {
    /* more keys were announced since the table grew: back to its budget,
       for their filter (kept as it is when the smaller one is refused) */
    uint64_t *small = hicov_calloc_table(set_max_cap(s), sizeof *small);
    if (small) {
      hicov_free(s->keys);
      s->keys = small;
      s->cap = set_max_cap(s);
    }
  }
  return set_tier_runs(s);
}

/* A shard of a shared table holds every key the reads announced when a
 * table of at most KEY_TABLE_MAX in all (the 64 shards) can: then nothing
 * is written out and no filter is needed (1 GB of claims, 3 million keys,
 * takes 32 MB; the budget's 8 MB wrote 3/4 of them out and probed the
 * filter for each).  More keys than that, and the table keeps its budget
 * (a bigger table beside the filter and the spills' buffers took the peak
 * to 100 MB at 2.5 GB). */
#define KEY_TABLE_MAX ((size_t)32 << 20)

int claims_set_expect(ClaimsSet *s, uint64_t more)
{
  s->expect += more;
  if (!s->max_cap || key_budget != KEY_BUDGET_DEFAULT)
    return HICOV_OK; /* a set of its own, or a test's budget: as it is */
  size_t base = key_budget / CLAIMS_DEDUP_SHARDS >= 16
                    ? key_budget / CLAIMS_DEDUP_SHARDS : 16;
  size_t cap = base, most = KEY_TABLE_MAX / CLAIMS_DEDUP_SHARDS / sizeof *s->keys;
  while ((uint64_t)cap / 4 * 3 < s->expect && cap <= most)
    cap *= 2;
  s->max_cap = cap <= most ? cap : base;
  if (s->cap <= s->max_cap)
    return HICOV_OK;
  /* more keys announced than the grown table holds: back to the budget,
     its keys written out first when they do not fit */
  if (s->n * 4 > s->max_cap * 3)
    return set_spill(s); /* which makes the table smaller */
  return set_resize(s, s->max_cap);
}

/* The filter freed by claims_dedup_rest, built again from the runs (a
 * quarter of room to grow, as set_spill gives it). */
static int set_filter_ready(ClaimsSet *s)
{
  if (!s->spilled || s->bloom)
    return HICOV_OK;
  return bloom_rebuild(s, s->spilled + s->spilled / 4 + 1);
}

/* Is key in one of the runs?  The filter first (without one, every run is
 * searched); then in each run, the block of at most 256 keys the fences
 * point to. */
static int set_spilled_contains(const ClaimsSet *s, uint64_t key, int *found)
{
  *found = 0;
  if (!s->spilled || (s->bloom && !bloom_maybe(s, key)))
    return HICOV_OK;
  uint64_t block[FENCE_EVERY];
  for (size_t r = 0; r < s->n_run; r++) {
    const ClaimsKeyRun *run = &s->run[r];
    size_t nf = (size_t)((run->n + FENCE_EVERY - 1) / FENCE_EVERY);
    if (!run->n || key < run->fence[0])
      continue;
    /* the last fence <= key */
    size_t lo = 0, hi = nf;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (run->fence[mid] <= key)
        lo = mid;
      else
        hi = mid;
    }
    uint64_t first = (uint64_t)lo * FENCE_EVERY;
    size_t m = run->n - first < FENCE_EVERY ? (size_t)(run->n - first)
                                            : FENCE_EVERY;
    if (claims_pread_all(s->fd, block, m * sizeof *block, run->off + first * 8))
      return set_io_error((ClaimsSet *)s, CLAIMS_TMP_READ, errno);
    size_t a = 0, b = m;
    while (a < b) {
      size_t mid = (a + b) / 2;
      if (block[mid] < key)
        a = mid + 1;
      else
        b = mid;
    }
    if (a < m && block[a] == key) {
      *found = 1;
      return HICOV_OK;
    }
  }
  return HICOV_OK;
}

int claims_set_insert(ClaimsSet *s, uint64_t key, int *added)
{
  if (!key)
    key = 1; /* 0 marks an empty slot */
  *added = 0;
  if (s->cap) {
    size_t j = (size_t)mix64(key) & (s->cap - 1);
    while (s->keys[j]) {
      if (s->keys[j] == key)
        return HICOV_OK;
      j = (j + 1) & (s->cap - 1);
    }
  }
  int found, rc = set_filter_ready(s);
  if (!rc)
    rc = set_spilled_contains(s, key, &found);
  if (rc || found)
    return rc;
  if ((s->n + 1) * 4 > s->cap * 3) {
    size_t max = set_max_cap(s);
    rc = s->cap < max ? set_resize(s, s->cap ? s->cap * 2
                                   : (max < 1024 ? max : 1024))
                      : set_spill(s);
    if (rc)
      return rc;
  }
  size_t j = (size_t)mix64(key) & (s->cap - 1);
  while (s->keys[j])
    j = (j + 1) & (s->cap - 1);
  s->keys[j] = key;
  s->n++;
  *added = 1;
  return HICOV_OK;
}

int claims_set_contains(const ClaimsSet *s, uint64_t key, int *found)
{
  if (!key)
    key = 1;
  *found = 0;
  if (s->cap) {
    size_t j = (size_t)mix64(key) & (s->cap - 1);
    while (s->keys[j]) {
      if (s->keys[j] == key) {
        *found = 1;
        return HICOV_OK;
      }
      j = (j + 1) & (s->cap - 1);
    }
  }
  return set_spilled_contains(s, key, found);
}

int claims_set_chunks(const ClaimsSet *s,
                      int (*fn)(void *ctx, const uint64_t *keys, size_t n),
                      void *ctx, const int *stop)
{
  enum { CHUNK = 65536 };
  uint64_t *v = hicov_malloc(CHUNK * sizeof *v);
  if (!v)
    return HICOV_NOMEM;
  int rc = HICOV_OK;
  size_t k = 0;
  for (size_t i = 0; i < s->cap && !rc && !*stop; i++) {
    if (s->keys[i])
      v[k++] = s->keys[i];
    if (k == CHUNK || (i + 1 == s->cap && k)) {
      rc = fn(ctx, v, k);
      k = 0;
    }
  }
  for (size_t r = 0; r < s->n_run && !rc && !*stop; r++) {
    for (uint64_t i = 0; i < s->run[r].n && !rc && !*stop; i += CHUNK) {
      size_t m = s->run[r].n - i < CHUNK ? (size_t)(s->run[r].n - i) : CHUNK;
      if (claims_pread_all(s->fd, v, m * sizeof *v, s->run[r].off + i * 8))
        rc = set_io_error((ClaimsSet *)s, CLAIMS_TMP_READ, errno);
      else
        rc = fn(ctx, v, m);
    }
  }
  hicov_free(v);
  return rc;
}

int claims_set_keys(const ClaimsSet *s, uint64_t **out, size_t *n)
{
  size_t total = claims_set_count(s), k = 0;
  uint64_t *v = hicov_malloc((total ? total : 1) * sizeof *v);
  if (!v)
    return HICOV_NOMEM;
  for (size_t i = 0; i < s->cap; i++)
    if (s->keys[i])
      v[k++] = s->keys[i];
  for (size_t r = 0; r < s->n_run; r++) {
    if (claims_pread_all(s->fd, v + k, (size_t)s->run[r].n * sizeof *v,
                         s->run[r].off)) {
      int rc = set_io_error((ClaimsSet *)s, CLAIMS_TMP_READ, errno);
      hicov_free(v);
      return rc;
    }
    k += (size_t)s->run[r].n;
  }
  *out = v;
  *n = k;
  return HICOV_OK;
}

void claims_set_clear(ClaimsSet *s)
{
  hicov_free(s->keys);
  for (size_t r = 0; r < s->n_run; r++)
    hicov_free(s->run[r].fence);
  hicov_free(s->run);
  hicov_free(s->bloom_mem);
  if (s->open)
    close(s->fd);
  size_t max = s->max_cap;
  const char *lang = s->lang; /* a setting, not content */
  memset(s, 0, sizeof *s); /* expect too: the set starts again */
  s->lang = lang;
  s->max_cap = max;
}

ClaimsDedup *claims_dedup_new(void)
{
  ClaimsDedup *d = hicov_calloc(1, sizeof *d);
  if (!d)
    return NULL;
  for (int i = 0; i < CLAIMS_DEDUP_SHARDS; i++) {
    pthread_mutex_init(&d->lock[i], NULL);
    d->set[i].max_cap = key_budget / CLAIMS_DEDUP_SHARDS >= 16
                            ? key_budget / CLAIMS_DEDUP_SHARDS : 16;
  }
  return d;
}

void claims_dedup_rest(ClaimsDedup *d)
{
  for (int i = 0; i < CLAIMS_DEDUP_SHARDS; i++) {
    ClaimsSet *s = &d->set[i];
    pthread_mutex_lock(&d->lock[i]);
    hicov_free(s->bloom_mem);
    s->bloom_mem = NULL;
    s->bloom = NULL;
    s->bloom_blocks = 0;
    s->bloom_room = 0;
    pthread_mutex_unlock(&d->lock[i]);
  }
}

void claims_dedup_free(ClaimsDedup *d)
{
  if (!d)
    return;
  for (int i = 0; i < CLAIMS_DEDUP_SHARDS; i++) {
    pthread_mutex_destroy(&d->lock[i]);
    claims_set_clear(&d->set[i]);
  }
  hicov_free(d);
}

/* The shard comes from the top bits; the slot from mix64 of the key. */
int claims_dedup_insert(ClaimsDedup *d, uint64_t key, int *added)
{
  unsigned s = (unsigned)(key >> 58);
  pthread_mutex_lock(&d->lock[s]);
  int rc = claims_set_insert(&d->set[s], key, added);
  pthread_mutex_unlock(&d->lock[s]);
  return rc;
}

/* Orders the indices of keys by shard (stable), so that a batch takes each
 * shard's lock once.  start[s]..start[s+1] are shard s's entries of ord. */
static void by_shard(const uint64_t *keys, size_t n, uint32_t *ord,
                     size_t start[CLAIMS_DEDUP_SHARDS + 1])
{
  size_t pos[CLAIMS_DEDUP_SHARDS];
  memset(start, 0, (CLAIMS_DEDUP_SHARDS + 1) * sizeof *start);
  for (size_t i = 0; i < n; i++)
    start[(keys[i] >> 58) + 1]++;
  for (int s = 0; s < CLAIMS_DEDUP_SHARDS; s++)
    start[s + 1] += start[s];
  memcpy(pos, start, sizeof pos);
  for (size_t i = 0; i < n; i++)
    ord[pos[keys[i] >> 58]++] = (uint32_t)i;
}

/* How far ahead a batch asks for the memory of the keys it inserts.  A
 * shard holds a few dozen keys of a batch: all of them are asked for as
 * the shard is taken, its first keys too (8 ahead left them unfetched). */
#define KEY_AHEAD 64

int claims_dedup_insert_batch(ClaimsDedup *d, const uint64_t *keys, size_t n,
                              unsigned char *added)
{
  return claims_dedup_insert_shards(d, keys, n, added, 0, CLAIMS_DEDUP_SHARDS);
}

int claims_dedup_insert_shards(ClaimsDedup *d, const uint64_t *keys, size_t n,
                               unsigned char *added, int first, int end)
{
  uint32_t small[CLAIMS_KEY_SLICE];
  uint32_t *ord = n <= CLAIMS_KEY_SLICE ? small : hicov_malloc(n * sizeof *ord);
  if (!ord)
    return HICOV_NOMEM;
  size_t start[CLAIMS_DEDUP_SHARDS + 1];
  by_shard(keys, n, ord, start);
  int rc = HICOV_OK;
  for (int s = first; s < end && !rc; s++) {
    if (start[s] == start[s + 1])
      continue;
    pthread_mutex_lock(&d->lock[s]);
    rc = claims_set_reserve(&d->set[s], d->set[s].n + (start[s + 1] - start[s]));
    for (size_t j = start[s]; j < start[s + 1] && j < start[s] + KEY_AHEAD; j++)
      set_prefetch(&d->set[s], keys[ord[j]]);
    for (size_t j = start[s]; j < start[s + 1] && !rc; j++) {
      int a;
      if (j + KEY_AHEAD < start[s + 1])
        set_prefetch(&d->set[s], keys[ord[j + KEY_AHEAD]]);
      rc = claims_set_insert(&d->set[s], keys[ord[j]], &a);
      added[ord[j]] = (unsigned char)a;
    }
    pthread_mutex_unlock(&d->lock[s]);
  }
  if (ord != small)
    hicov_free(ord);
  return rc;
}

int claims_dedup_contains_any(ClaimsDedup *d, const uint64_t *keys, size_t n,
                              int *any)
{
  uint32_t *ord = hicov_malloc((n ? n : 1) * sizeof *ord);
  if (!ord)
    return HICOV_NOMEM;
  size_t start[CLAIMS_DEDUP_SHARDS + 1];
  by_shard(keys, n, ord, start);
  *any = 0;
  int rc = HICOV_OK;
  for (int s = 0; s < CLAIMS_DEDUP_SHARDS && !*any && !rc; s++) {
    if (start[s] == start[s + 1])
      continue;
    pthread_mutex_lock(&d->lock[s]);
    for (size_t j = start[s]; j < start[s + 1] && !*any && !rc; j++) {
      if (j == start[s] && (rc = set_filter_ready(&d->set[s])))
        break;
      if (j + 8 < start[s + 1])
        set_prefetch(&d->set[s], keys[ord[j + 8]]);
      rc = claims_set_contains(&d->set[s], keys[ord[j]], any);
    }
    pthread_mutex_unlock(&d->lock[s]);
  }
  hicov_free(ord);
  return rc;
}

const char *claims_dedup_error(const ClaimsDedup *d)
{
  for (int s = 0; s < CLAIMS_DEDUP_SHARDS; s++)
    if (d->set[s].err[0])
      return d->set[s].err;
  return "";
}
