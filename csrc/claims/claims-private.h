/* claims-private.h - internals of the claims layer: the accumulator's
 * types and the functions its files share (the section of each names its
 * file), used by the reader too (claims-read-private.h) and by the tests.
 * Not API. */
#ifndef HICOV_CLAIMS_PRIVATE_H
#define HICOV_CLAIMS_PRIVATE_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "hicov-claims.h"
#include "hicov-private.h"

#define CLAIMS_GROUP_UNKNOWN 676 /* 26*26 two-letter codes, then "UNK" */
#define CLAIMS_N_GROUPS 677
#define CLAIMS_MAX_TYPE 16
#define CLAIMS_LK_MAX 100
#define CLAIMS_FAC_MAX 15
#define CLAIMS_BN_MAX 100
/* Cells held in memory while reading: 21 MB and a 4 MB index, more than
 * a province's year holds, so that only national reads write cells out. */
#define CLAIMS_CELL_BUDGET ((size_t)1 << 19)

/* A sorted run of spilled keys, with every 256th key kept in memory. */
typedef struct {
  uint64_t off, n;  /* byte offset in the set's file, keys */
  uint64_t *fence;  /* keys[0], keys[256], ... */
} ClaimsKeyRun;

/* Set of 64-bit hashes (0 is the empty slot): an open-addressing table up
 * to max_cap slots, then the table is written out as a sorted run to an
 * unlinked temporary file and emptied.  A Bloom filter over the written
 * keys (10 bits a key) sends only its rare positives to the runs, one
 * read of 2 KB per run.  Exact: a key is found wherever it is. */
typedef struct {
  uint64_t *keys;
  size_t n, cap;     /* cap: power of two or 0 */
  size_t max_cap;    /* 0: the default for a set of its own */
  ClaimsKeyRun *run;
  size_t n_run, cap_run;
  int fd, open;
  uint64_t end;      /* bytes written */
  uint64_t spilled;  /* keys in runs */
  uint64_t *bloom;   /* 512-bit blocks, each one cache line */
  void *bloom_mem;   /* bloom's allocation (bloom is aligned in it) */
  size_t bloom_blocks;
  uint64_t bloom_room; /* keys it was sized for */
  uint64_t expect;   /* keys the reads announced (claims_reserve): the
                        filter's first size, so that it is not rebuilt */
  char err[320];     /* the last I/O failure */
  const char *lang;  /* of err: its handle's (hicov_claims_set_lang) */
} ClaimsSet;

/* Duplicate detection shared by the worker threads of one run. */
#define CLAIMS_DEDUP_SHARDS 64
typedef struct {
  pthread_mutex_t lock[CLAIMS_DEDUP_SHARDS];
  ClaimsSet set[CLAIMS_DEDUP_SHARDS];
} ClaimsDedup;

/* Inpatient visit types (MA_LOAI_KCB 03, 04, 06, 09): their visits are
 * the inpatient visits and only they have inpatient days. */
static inline int claims_type_inpatient(unsigned type)
{
  return type == 3 || type == 4 || type == 6 || type == 9;
}

/* Settlement months (year*12 + month - 1) of the years NAM_QT accepts. */
#define CLAIMS_MONTH_MIN (1900 * 12)
#define CLAIMS_MONTH_MAX (2200 * 12 + 11)

/* 40 bytes: the cells are the result, at most CLAIMS_CELL_BUDGET of them
 * in memory during a read (the rest written out, see ClaimsCellSpill).
 * Inpatient visits are not stored: they are the visits of an inpatient
 * type and 0 otherwise. */
typedef struct {
  uint32_t fac;
  uint16_t month;     /* year*12 + month - 1, CLAIMS_MONTH_MIN..MAX */
  uint16_t group : 11; /* 0..675 letters, 676 unknown */
  uint16_t type : 5;  /* 1..16 */
  int32_t visits;
  int32_t days;       /* inpatient days (0 unless an inpatient type) */
  int64_t m[3];       /* total cost, fund paid, copay (centi) */
} ClaimsCell;

/* Value k of the six (visits, inpatient visits, days, total, fund, copay). */
static inline int64_t cell_v(const ClaimsCell *e, int k)
{
  switch (k) {
  case 0:
    return e->visits;
  case 1:
    return claims_type_inpatient(e->type) ? e->visits : 0;
  case 2:
    return e->days;
  default:
    return e->m[k - 3];
  }
}

typedef struct {
  uint64_t patient; /* SI number, or (1<<63 | string index) */
  uint32_t fac;
  int32_t month;    /* > 0 */
  int64_t fund;     /* centi */
} ClaimsTriple;

/* Patient triples beyond the table's budget, as sorted runs in an unlinked
 * temporary file: the table is written out when full, so memory stays
 * bounded however many patients the claims hold (see trip_spill). */
typedef struct {
  uint64_t off, n; /* byte offset, triples */
} ClaimsRun;

typedef struct {
  int fd, open;
  ClaimsRun *run;
  size_t n_run, cap_run;
  uint64_t end;    /* bytes written */
} ClaimsSpill;

/* Cells written out when the table reached its budget: the table as it
 * was, appended at each spill, so that a cell may be in several spills and
 * in the table (its sums are the sums of its copies).  Read in the order
 * written, then the table, the copies merged give the cells in the order
 * they first appeared, as a table that never spilled holds them. */
typedef struct {
  int fd, open;
  uint64_t n;      /* cells written */
} ClaimsCellSpill;

typedef struct {
  int kind, code;
  char *file, *record, *field, *message;
} ClaimsMsg;

/* A validated record waiting to be committed.  What the duplicate check
 * and the commit read comes first, in the first 80 of its 304 bytes (two
 * cache lines, where it took four); the texts after the facility are read
 * for a message or a patient without a card. */
typedef struct {
  uint64_t patient;  /* 0: use pkey */
  uint64_t dedup;    /* hash of facility + MA_LK */
  int64_t days, total, fund, copay;
  int32_t month;
  uint32_t flags;    /* 1 << HicovClaimsFlag */
  uint16_t group;
  uint8_t type;
  uint8_t era;       /* 1: 4210, 2: 130 */
  uint8_t inpatient;
  _Alignas(8) char fac[CLAIMS_FAC_MAX + 1]; /* at 64: in one line */
  char ma_lk[CLAIMS_LK_MAX + 1];
  char pkey[CLAIMS_BN_MAX + CLAIMS_FAC_MAX + 2]; /* MA_BN \x1f facility */
} ClaimsRec;

struct HicovClaims {
  /* facilities, interned */
  char (*fac)[CLAIMS_FAC_MAX + 1];
  size_t n_fac, cap_fac;
  uint32_t *fac_hash; /* index + 1 */
  size_t fac_hcap;
  /* patient keys without a card, interned */
  char **pstr;
  size_t n_pstr, cap_pstr;
  uint32_t *pstr_hash;
  size_t pstr_hcap;
  /* cells, dense, with a hash index (index + 1, at most 3/4 full) */
  ClaimsCell *cells;
  size_t n_cells, cap_cells;
  uint32_t *cell_hash;
  size_t cell_hcap;
  ClaimsCellSpill cspill; /* the table's earlier contents, past its budget */
  int cells_unbounded;    /* no budget: a merged copy being built */
  /* (patient, facility, month) with fund paid: the table, appended to
     (a triple may be in it several times), and runs written out when it
     was full, sorted with each triple's copies summed (a triple may be in
     several runs) */
  ClaimsTriple *trip;
  size_t n_trip, cap_trip;
  ClaimsSpill spill;
  /* the distinct patients over every triple, when a count per unit and
     period (claims_distinct_end) made it and no triple came since: the
     totals then need not read the triples again */
  int64_t patients_known;
  int patients_valid;
  ClaimsTriple *trip_tmp; /* a spill's sorting buffers (see trip_scratch) */
  size_t cap_trip_tmp, *trip_cnt;
  /* duplicates: own table, or a shared one during read_paths */
  ClaimsDedup *dedup_own;
  ClaimsDedup *dedup;
  ClaimsSet *local;  /* provisional part: duplicates kept here instead */
  int threads;       /* of the last read_paths: the totals may sort on 2 */

  HicovClaimsCounts counts;
  ClaimsMsg *msgs;
  size_t n_msgs, cap_msgs, max_msgs;
  char errmsg[512];
  /* of the messages: "vi", "en" (static) or NULL, the process's; the
     kinds, codes and fields of the messages never depend on it */
  const char *lang;
};

/* ---- Small helpers ---- */

static inline uint64_t mix64(uint64_t x)
{
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/* Counts per digit into the offset of each digit's first entry (a
 * radix sort's pass). */
static inline void start_offsets(size_t *cnt, size_t digits)
{
  size_t sum = 0;
  for (size_t d = 0; d < digits; d++) {
    size_t k = cnt[d];
    cnt[d] = sum;
    sum += k;
  }
}

static inline int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* ---- The handle: messages, counts, interning, commit (claims.c) ---- */

/* Records a message (bounded). */
int claims_message(HicovClaims *c, int kind, int code, const char *file,
                   const char *record, const char *field, const char *fmt, ...)
    HICOV_PRINTF(7, 8);
int claims_error(HicovClaims *c, int status, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
/* A worker accumulator sharing dst's duplicate table. */
int claims_new_worker(HicovClaims *parent, HicovClaims **out);

/* Adds s's counts to d's; 1 (d unchanged) when a sum would pass 64 bits
 * (counts of states rebuilt from bytes can be that big). */
static inline int add_counts(HicovClaimsCounts *d, const HicovClaimsCounts *s)
{
  HicovClaimsCounts sum;
  int64_t *sp = (int64_t *)&sum;
  const int64_t *a = (const int64_t *)d, *b = (const int64_t *)s;
  for (size_t k = 0; k < sizeof *d / sizeof(int64_t); k++)
    if (__builtin_add_overflow(a[k], b[k], &sp[k]))
      return 1;
  *d = sum;
  return 0;
}

/* Moves src's messages from..to (not those moved already) to the end of
 * dst's, within dst's bound (the rest are dropped). */
int claims_move_msgs(HicovClaims *dst, HicovClaims *src, size_t from, size_t to);
/* Adds src's counts to dst's and zeroes src's (HICOV_OVERFLOW, nothing
 * moved, when a sum would pass 64 bits). */
int claims_move_counts(HicovClaims *dst, HicovClaims *src);
/* Drops c's messages and zeroes its counts (not its data). */
void claims_clear_log(HicovClaims *c);
/* Records a message as it is (within c's bound). */
int claims_add_msg(HicovClaims *c, int kind, int code, const char *file,
                   const char *record, const char *field, const char *text);
/* Frees c's messages; frees its data (facilities, patient keys, cells,
 * triples and their files) and leaves the tables empty. */
void claims_free_msgs(HicovClaims *c);
void claims_free_data(HicovClaims *c);
/* The index of a facility code (at most CLAIMS_FAC_MAX characters), added
 * if new. */
int claims_fac_intern(HicovClaims *c, const char *code, uint32_t *idx);
/* The id of a card-less patient key (1 << 63 | its index), added if new. */
int claims_pstr_intern(HicovClaims *c, const char *key, uint64_t *id);

/* Adds n validated records in order (duplicate check included, batched so
 * that a shared duplicate table is locked once per shard per 1024).
 * *done: how many of r[0..n) entered the counts; on a failure the rest did
 * not (but their keys may be in the duplicate table). */
int claims_commit(HicovClaims *c, const ClaimsRec *r, size_t n,
                  const char *file, size_t *done);
/* claims_commit in two steps, for a pipeline: the duplicate check of
 * r[0..n) into added[] (keys are inserted), then the records themselves
 * (those not added are counted as duplicates).  A chunk's keys may be
 * checked while the chunk before it is being added. */
int claims_commit_keys(HicovClaims *c, const ClaimsRec *r, size_t n,
                       unsigned char *added);
/* The duplicate check of claims_commit_keys for the keys of shards
 * [first, end) of the shared table only (added[] of the others is left
 * as it is), so that two threads may check the two halves of a chunk's
 * keys at once, each half in file order.  A set of the accumulator's own
 * (c->local) is checked whole by the range that starts at 0.  No message
 * on a failure: claims_commit_keys_error makes it. */
int claims_commit_keys_shards(HicovClaims *c, const ClaimsRec *r, size_t n,
                              unsigned char *added, int first, int end);
/* The accumulator's message for rc, a failed duplicate check; rc. */
int claims_commit_keys_error(HicovClaims *c, int rc);
int claims_commit_data(HicovClaims *c, const ClaimsRec *r, size_t n,
                       const unsigned char *added, const char *file,
                       size_t *done);
/* Makes room for about `records` more records (their duplicate keys and
 * patient triples) so that a big file does not rehash as it goes. */
int claims_reserve(HicovClaims *c, size_t records);

/* ---- Temporary files (claims-tmpfile.c) ---- */

/* Where they are written: $TMPDIR, else /tmp. */
const char *claims_tmp_dir(void);
/* What a temporary file holds and what failed on it, for
 * claims_tmp_error. */
enum { CLAIMS_TMP_KEYS, CLAIMS_TMP_CELLS, CLAIMS_TMP_PATIENTS };
enum { CLAIMS_TMP_CREATE, CLAIMS_TMP_WRITE, CLAIMS_TMP_READ };
/* "cannot write the temporary file of cells in /tmp: No space left on
 * device (set TMPDIR to a directory with room)" in lang into buf; err is
 * an errno, 0 for a write that made no progress (a full disk). */
void claims_tmp_error(char *buf, size_t size, const char *lang, int what,
                      int op, int err);
/* A temporary file without a name (named after what, a word, where the
 * file system cannot make one without), or -1 with errno. */
int claims_tmp_open(const char *what, int *fd);
/* All of len bytes at off, or -1 with errno (EIO for a file shorter than
 * was written, ENOSPC for a write that makes no progress). */
int claims_io_all(int fd, void *buf, size_t len, uint64_t off, int write);

static inline int claims_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
  return claims_io_all(fd, buf, len, off, 0);
}

static inline int claims_pwrite_all(int fd, const void *buf, size_t len,
                                    uint64_t off)
{
  return claims_io_all(fd, (void *)buf, len, off, 1);
}

/* ---- Hashing, key sets, the duplicate table (claims-keys.c) ---- */

uint64_t claims_hash_bytes(const void *p, size_t n, uint64_t seed);

/* claims_hash_bytes(p, n, seed) of bytes followed by 8 zero bytes: its
 * last word read whole (a word of p ends in zeros whether its bytes came
 * from memcpy of fewer or are there), without the byte loop that was a
 * third of the duplicate key's time. */
static inline uint64_t claims_hash_zpad(const void *p, size_t n, uint64_t seed)
{
  const unsigned char *s = p;
  uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL), w;
  for (; n >= 8; n -= 8, s += 8) {
    memcpy(&w, s, 8);
    h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
  }
  memcpy(&w, s, 8);
  return mix64(h ^ w ^ ((uint64_t)n << 56));
}
int claims_set_insert(ClaimsSet *s, uint64_t key, int *added);
/* *found = 1 when key is in s (a run may have to be read: HICOV_IO). */
int claims_set_contains(const ClaimsSet *s, uint64_t key, int *found);
/* Every key of s (table and runs) into *out (caller frees), *n of them. */
int claims_set_keys(const ClaimsSet *s, uint64_t **out, size_t *n);
/* Calls fn on the keys of s in slices of at most 65536 (the table's, then
 * each run's) while *stop is 0; stops at fn's first nonzero status. */
int claims_set_chunks(const ClaimsSet *s,
                      int (*fn)(void *ctx, const uint64_t *keys, size_t n),
                      void *ctx, const int *stop);
/* Keys in s, written out or not. */
size_t claims_set_count(const ClaimsSet *s);
void claims_set_clear(ClaimsSet *s);
/* Makes room for n keys without rehashing. */
int claims_set_reserve(ClaimsSet *s, size_t n);
/* more keys announced (s->expect): the filter's first size, and for a
 * shard of a shared table, how far its table may grow (claims-keys.c,
 * KEY_TABLE_MAX); the table may be made smaller, its keys written out
 * (HICOV_IO, HICOV_NOMEM). */
int claims_set_expect(ClaimsSet *s, uint64_t more);

/* A key's Bloom filter block (of blocks): its bits below the top 6 (the
 * shard's, the same in a shard's set) scaled, a multiply and a shift.  The
 * keys are hashes already; in key order the blocks come in order, so a
 * spill's sorted keys fill the filter in one sweep instead of one cache
 * miss each. */
static inline size_t bloom_block(uint64_t key, size_t blocks)
{
  return (size_t)(((unsigned __int128)(key << 6) * blocks) >> 64);
}

/* A batch asks for a key's table slot and, once keys were written out,
 * its filter block ahead: both are misses in a big table, and in turn they
 * would be waited for one after the other.  Always inlined: GCC 12 takes a
 * function that only prefetches for one without effects and drops its
 * calls (no prefetch was left in the batch loops). */
static inline __attribute__((always_inline)) void
set_prefetch(const ClaimsSet *s, uint64_t key)
{
  if (!key)
    key = 1;
  if (s->cap)
    __builtin_prefetch(&s->keys[mix64(key) & (s->cap - 1)]);
  if (s->bloom_blocks)
    __builtin_prefetch(&s->bloom[bloom_block(key, s->bloom_blocks) * 8]);
}

/* Keys checked against the shared table in one batch: a 1 MB chunk of
 * CSV holds about 3,000 records, some 50 a shard. */
#define CLAIMS_KEY_SLICE 4096

ClaimsDedup *claims_dedup_new(void);
/* Keys in d, written out or not. */
uint64_t claims_dedup_count(const ClaimsDedup *d);
void claims_dedup_free(ClaimsDedup *d);
/* At the end of a read: the filters in front of the written-out keys are
 * freed (at 10 GB of claims, some 40 MB that the totals and the counts
 * can use); the next insert that needs one reads its runs back for it. */
void claims_dedup_rest(ClaimsDedup *d);
/* Inserts key; *added = 0 when it was already there. */
int claims_dedup_insert(ClaimsDedup *d, uint64_t key, int *added);
/* The message of a shard's last I/O failure, or "". */
const char *claims_dedup_error(const ClaimsDedup *d);
/* Inserts keys[0..n) in order, taking each shard's lock once; added[i] = 0
 * when keys[i] was there already (or earlier in the batch). */
int claims_dedup_insert_batch(ClaimsDedup *d, const uint64_t *keys, size_t n,
                              unsigned char *added);
/* The same for the keys of shards [first, end) only. */
int claims_dedup_insert_shards(ClaimsDedup *d, const uint64_t *keys, size_t n,
                               unsigned char *added, int first, int end);
/* *any = 1 when one of keys[0..n) is in d. */
int claims_dedup_contains_any(ClaimsDedup *d, const uint64_t *keys, size_t n,
                              int *any);

/* Test hook: the duplicate-key tables' budget in slots (shared tables
 * divide it between their shards; 0 restores the default). */
void claims_debug_key_budget(size_t slots);

/* ---- Cells (claims-cells.c) ---- */

static inline uint64_t cell_key_hash(uint32_t fac, int32_t month,
                                     uint16_t group, uint8_t type)
{
  /* group < 1024 and type <= 16 take bits 0-14, the month (< 2^17 for any
   * year a file can hold) the bits above: no two cells of a facility share
   * a key before mixing.  (Shifting the month by 11 let it overlap the
   * group, and a facility's cells collided in long probe chains.) */
  return mix64(((uint64_t)fac << 32) ^ ((uint64_t)(uint32_t)month << 15) ^
               ((uint64_t)group << 5) ^ type);
}

/* The cell of (fac, month, group, type), added if new (claims_cell_get_h:
 * hk is its cell_key_hash).  Past the budget the table is written out
 * first. */
int claims_cell_get_h(HicovClaims *c, uint64_t hk, uint32_t fac,
                      int32_t month, uint16_t group, uint8_t type,
                      ClaimsCell **out);
int claims_cell_get(HicovClaims *c, uint32_t fac, int32_t month,
                    uint16_t group, uint8_t type, ClaimsCell **out);

/* The sums of a cell, apart from its key. */
typedef struct {
  int32_t visits, days;
  int64_t m[3];
} CellSums;

/* e's values plus v into *s, or HICOV_OVERFLOW with nothing set.  v[1],
 * the inpatient visits, is not stored (see ClaimsCell): it must be v[0]
 * for an inpatient type and 0 otherwise, as the callers' values are. */
int claims_cell_sums(HicovClaims *c, const ClaimsCell *e, const int64_t v[6],
                     CellSums *s);

static inline void cell_set_sums(ClaimsCell *e, const CellSums *s)
{
  e->visits = s->visits;
  e->days = s->days;
  memcpy(e->m, s->m, sizeof s->m);
}

/* e's values plus v (claims_cell_sums and cell_set_sums). */
int claims_cell_add_values(HicovClaims *c, ClaimsCell *e, const int64_t v[6]);
/* "AA".."ZZ" for 0..675, "UNK" for CLAIMS_GROUP_UNKNOWN. */
void claims_group_code(uint16_t g, char out[4]);
/* Calls fn on every cell of c in slices, the spilled ones first (in the
 * order written) and then the table's: copies of a cell come apart, as
 * they are stored.  Stops at fn's first nonzero status. */
int claims_cells_each(const HicovClaims *c,
                      int (*fn)(void *ctx, const ClaimsCell *e, size_t n),
                      void *ctx);
/* The cells of c with their copies merged, in the order they first
 * appeared, into tmp's table (tmp: a zeroed handle borrowing c's
 * facilities, freed with claims_cells_whole_free). */
int claims_cells_whole(const HicovClaims *c, HicovClaims *tmp);
/* Calls fn with c's cells merged and sorted as hicov_claims_sort_cells
 * sorts them, each facility's whole in one call: all at once when none
 * were written out (c's table sorted in place), else in slices of
 * facilities of bounded memory (c's table then joins the cells written
 * out, and its memory is freed). */
/* When cells were written out already: the table joins them and its
 * memory (25 MB when full) is freed, for what comes next. */
int claims_cells_release(HicovClaims *c);
int claims_cells_sorted_each(HicovClaims *c,
                             int (*fn)(void *ctx, const ClaimsCell *e,
                                       size_t n),
                             void *ctx);
void claims_cells_whole_free(HicovClaims *tmp);
/* hicov_claims_totals but the distinct patients (0): the sums of the
 * cells, the months they span and the facilities, without a pass over
 * the patient triples.  Fails for I/O or a sum past 64 bits (c's
 * message). */
int claims_totals_cells(const HicovClaims *c, HicovClaimsTotals *out);
/* hicov_claims_distinct in two steps, so that the counting may go on
 * beside other work on c: _begin builds the units' chains (a facility not
 * in ds fails here, with c's message) and counts, on a thread of its own
 * when `beside` and the read was threaded; meanwhile c's cells may be
 * read, sorted and written out, and its triples must not change.  _end
 * waits for the count and gives the rows as hicov_claims_distinct does
 * (a failure's message on c); it frees the run, whatever the outcome. */
typedef struct ClaimsDistinctRun ClaimsDistinctRun;
/* c's facilities in code order: (*out)[i] is the i-th (caller frees). */
int claims_fac_order(const HicovClaims *c, uint32_t **out);
int claims_distinct_begin(HicovClaims *c, const HicovDataset *ds, int beside,
                          ClaimsDistinctRun **out);
int claims_distinct_end(HicovClaims *c, const HicovDataset *ds,
                        ClaimsDistinctRun *r, HicovClaimsDistinct **out,
                        size_t *n_out);
/* Adds src's cells into dst, src's facility i being dst's fmap[i]. */
int claims_merge_cells(HicovClaims *dst, const HicovClaims *src,
                       const uint32_t *fmap);
void claims_cell_spill_free(ClaimsCellSpill *sp);

/* Test hook: the cell table's budget in cells (0 restores the default);
 * past it, the table is written out and emptied. */
void claims_debug_cell_budget(size_t cells);

/* ---- Patient triples (claims-patients.c) ---- */

/* Reads triples of a run in slices (a run reader). */
typedef struct {
  int fd;
  uint64_t off, left;      /* next byte to read, triples not yet read */
  ClaimsTriple *buf;
  size_t n, i;             /* triples in buf, next one */
  size_t cap;              /* buf's size */
} RunReader;

/* Every triple of c in (patient, facility, month) order with the copies
 * of one triple in different runs summed: the runs and a sorted copy of
 * the table are read a window at a time (every triple up to the lowest
 * (patient, facility, month) that ends a run's buffer), and the window
 * sorted in memory.  A heap of the runs' heads did the same at some 70 ns a triple,
 * the window's radix sort in the caches at a fraction of it. */
typedef struct {
  RunReader *src;
  size_t n_src;
  size_t n_mem;            /* sources in win and win2 (the table's) */
  ClaimsTriple *win, *win2; /* the table's triples, sorted in 1 or 2 halves */
  ClaimsTriple *w, *wtmp;  /* the window and its sorting space */
  const ClaimsTriple *ws;  /* the sorted window (w or wtmp) */
  size_t wn, wi, wcap;     /* triples in it, next one, room */
  size_t wtmp_cap;
  size_t *cnt;             /* radix counters */
  int done;                /* every source read */
  const char *lang;        /* of err: the handle's */
  char err[320];
} TripIter;

/* Room for one more triple: the table grows up to its budget, and beyond
 * it is written out as a run. */
int claims_trip_room(HicovClaims *c);
/* Appends a triple; fails only when the table is full and cannot be
 * written out. */
int claims_trip_add(HicovClaims *c, uint64_t patient, uint32_t fac,
                    int32_t month, int64_t fund);
/* Makes room for n triples in the table (up to its budget). */
int claims_trip_reserve(HicovClaims *c, size_t n);
/* Frees a spill's sorting buffers. */
void claims_trip_scratch_free(HicovClaims *c);
void claims_spill_free(ClaimsSpill *sp);
/* Every triple of c (claims_trip_iter_open), or those of patients in
 * [lo, hi) only, from the runs: the table must then be empty (written out,
 * as a threaded read leaves it when it has runs).  Close it whatever the
 * outcome; its message (claims_trip_iter_error) survives the close. */
int claims_trip_iter_open(const HicovClaims *c, TripIter *it);
int claims_trip_iter_range(const HicovClaims *c, TripIter *it, uint64_t lo,
                           uint64_t hi);
/* The next triple, its copies summed (*more = 0 at the end); a sum past 64
 * bits is HICOV_OVERFLOW. */
int claims_trip_iter_next(TripIter *it, ClaimsTriple *out, int *more);
void claims_trip_iter_close(TripIter *it);
/* Copies an iterator's I/O or overflow message to c; returns rc. */
int claims_trip_iter_error(HicovClaims *c, const TripIter *it, int rc);
/* src's patient triples into dst (table, then runs), through the maps of
 * src's facility and card-less patient numbers to dst's. */
int claims_merge_trips(HicovClaims *dst, const HicovClaims *src,
                       const uint32_t *fmap, const uint64_t *pmap);

/* At the end of a read: when triples were written out already, the table
 * is written out too and freed, with the spills' buffers, so that the
 * totals merge runs only, without a sorted copy of the table beside them.
 * (A failure to write leaves the table as it was.) */
void claims_trip_settle(HicovClaims *c);

/* Test hook: the patient table's budget in triples (a power of two, at
 * least 16; 0 restores the default); past it, triples go to runs. */
void claims_debug_trip_budget(size_t slots);

/* ---- Merge, serialisation (claims-state.c) ---- */

/* Moves src into dst (src must use dst's dedup or a local set that was
 * already checked); src is emptied. */
int claims_absorb(HicovClaims *dst, HicovClaims *src);

/* ---- The reader's test hooks (claims-part.c, claims-window.c) ---- */

/* Test hook: files of at least `bytes` are split between threads. */
void claims_debug_split_min(size_t bytes);

/* Test hook: windows of `bytes` (files bigger than that read through
 * one, claims-window.c); 0 restores the default. */
void claims_debug_window(size_t bytes);
/* Test hook: 1 makes the CSV reader take its baseline row loop on any
 * CPU, 0 (the default) the fastest the CPU has (claims-csv-x86v3.c). */
void claims_debug_csv_baseline(int on);

/* Test hook: fn(off, arg) before each read of an input at offset off
 * (from any reading thread); NULL removes it. */
void claims_debug_read_hook(void (*fn)(size_t off, void *arg), void *arg);

/* Test hook: the bytes the reader has read from inputs, and searched for
 * chunk starts, since the last call (from every thread). */
void claims_debug_counters(uint64_t *read, uint64_t *searched);

/* Test hook: 1 makes the temporary files named (mkstemp, then unlinked),
 * as on file systems without O_TMPFILE. */
void claims_debug_no_tmpfile(int on);

/* Test hook: where chunk k of d[0, n) starts, in chunks of cb bytes. */
size_t claims_debug_chunk_start(const char *d, size_t n, int csv, size_t body,
                                size_t cb, size_t k);

#endif
