/* util-private.h - the core's bottom layer: allocation through the
 * overridable allocator and locale-proof formatting (alloc.c), the text
 * catalogue (text.c).  Every core file may use it.  Not API. */
#ifndef HICOV_UTIL_PRIVATE_H
#define HICOV_UTIL_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "hicov-core.h"

#if defined(__GNUC__)
#define HICOV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HICOV_PRINTF(f, a)
#endif

/* Allocation through the overridable allocator (alloc.c). */
void *hicov_malloc(size_t size);
void *hicov_calloc(size_t n, size_t size);
/* hicov_calloc for an open-addressing table, its pages written once at
 * once (see alloc.c). */
void *hicov_calloc_table(size_t n, size_t size);
void *hicov_realloc(void *ptr, size_t size);
/* For a cache whose allocation failure only makes a query slower (the memo
 * of totals, dataset-memo.c): the allocator without the test hook, which
 * walks the allocations whose failure a caller must see. */
void *hicov_malloc_cache(size_t size);
/* Grows an array to hold at least `need` elements; doubles capacity. */
int hicov_grow(void **ptr, size_t *cap, size_t need, size_t elem);
char *hicov_strdup(const char *s);
char *hicov_strndup(const char *s, size_t n);

/* An index over an array of strings of the caller's (keys.c): open
 * addressing over their hash, slot = index + 1.  Strings are added by
 * hicov_str_intern; the caller drops the last added first, emptying its
 * slot (a string's probe chain runs over strings added before it, so no
 * chain breaks). */
typedef struct {
  uint32_t *slot;
  size_t cap; /* a power of two, at least twice the strings; 0: none yet */
} HicovStrIndex;

/* The slot of s among arr's strings: where it is (x->slot[k] != 0) or
 * where it would go.  x->cap must not be 0. */
size_t hicov_str_index_slot(const HicovStrIndex *x, const char *const *arr,
                            const char *s);
/* Room for a string more than arr[0..n), all indexed (rebuilt when it
 * grows). */
int hicov_str_index_room(HicovStrIndex *x, const char *const *arr, size_t n);
/* The index of s in *arr (*n strings, all in x), a copy of s appended
 * when new: -1 when memory ran out, -2 when *n is already limit. */
long hicov_str_intern(HicovStrIndex *x, char ***arr, size_t *n, size_t *cap,
                      const char *s, size_t limit);
/* The index of s in arr, or -1. */
long hicov_str_index_find(const HicovStrIndex *x, const char *const *arr,
                          const char *s);
void hicov_str_index_free(HicovStrIndex *x);
/* rank[i]: the place of arr[i] among the (distinct) arr[0..n) in byte
 * order (strcmp). */
int hicov_str_ranks(const char *const *arr, size_t n, uint32_t *rank);

/* Bits needed for v (0 for 0). */
static inline unsigned hicov_bits_for(uint64_t v)
{
  return v ? 64 - (unsigned)__builtin_clzll(v) : 0;
}

/* An index sorted by an integer key. */
typedef struct {
  uint64_t key;
  uint32_t i;
} HicovSortItem;

/* Sorts v[0..n) by key, stable, with tmp (n items): LSD radix over the
 * bits the keys use.  Returns the array holding the result (v or tmp). */
HicovSortItem *hicov_sort_items(HicovSortItem *v, HicovSortItem *tmp,
                                size_t n);
/* An observation's key (unit, measure, group rank, first and last month)
 * packed in one integer, each field in the bits its range needs, so that
 * the integers sort as the keys.  Start from { 0 }, show it every key
 * (hicov_key_pack_see), then size it (hicov_key_pack_init). */
typedef struct {
  unsigned wm, wg, wf, wl;
  int32_t f0, f1, l0, l1;
  unsigned m1;
  int seen;
} HicovKeyPack;

static inline void hicov_key_pack_see(HicovKeyPack *p, unsigned measure,
                                      int32_t first, int32_t last)
{
  if (!p->seen) {
    p->f0 = p->f1 = first;
    p->l0 = p->l1 = last;
    p->seen = 1;
  }
  p->f0 = first < p->f0 ? first : p->f0;
  p->f1 = first > p->f1 ? first : p->f1;
  p->l0 = last < p->l0 ? last : p->l0;
  p->l1 = last > p->l1 ? last : p->l1;
  p->m1 = measure > p->m1 ? measure : p->m1;
}

/* The widths for n_units units and n_groups group ranks; 0 when the key
 * would need more than hicov_pack_bits(). */
int hicov_key_pack_init(HicovKeyPack *p, size_t n_units, uint64_t n_groups);

static inline uint64_t hicov_key_pack(const HicovKeyPack *p, uint32_t unit,
                                      unsigned measure, uint64_t group,
                                      int32_t first, int32_t last)
{
  uint64_t k = unit;
  k = k << p->wm | measure;
  k = k << p->wg | group;
  k = k << p->wf | (uint64_t)((int64_t)first - p->f0);
  return k << p->wl | (uint64_t)((int64_t)last - p->l0);
}

/* Bits a packed sort key may take (saved observations, merged values):
 * 64, unless a test said fewer (0: 64), which sends them to the
 * comparison sort. */
unsigned hicov_pack_bits(void);
void hicov_debug_pack_bits(unsigned bits);

/* Number text for files (XML, CSV) must not follow the process locale: a
 * program that set LC_NUMERIC to vi_VN would write "92,8". These format and
 * parse in the C locale whatever the process or thread locale is. */
void hicov_fmt_c(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);
double hicov_strtod_c(const char *s, char **end);

/* snprintf that always terminates and never fails; text cut short at
 * `size` is cut on a UTF-8 character boundary (Vietnamese is longer than
 * English and the reason buffers are fixed). */
void hicov_fmt(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);
/* Drops an incomplete UTF-8 character at the end of s (after truncation). */
void hicov_utf8_trim(char *s);

/* ---- The text catalogue (text.c, csrc/po) ---- */

/* Marks for xgettext (csrc/po/meson.build gives it these keywords); the
 * English text is the message id.
 *   T_(lang, "text")          the text in lang ("vi", "en", NULL: process)
 *   TC_(lang, "ctx", "text")  the same with a context, for an English text
 *                             that needs two translations
 *   N_("text")                marks a text kept in a table, looked up
 *                             later with hicov_text(lang, text)
 *   NC_("ctx", "text")        the same with a context: the table holds
 *                             "ctx\004text", which hicov_text understands
 * Format strings keep their English arguments' order; a translation that
 * needs another order uses positional arguments (%1$s). */
#define T_(lang, s) hicov_text(lang, s)
#define TC_(lang, ctx, s) hicov_text(lang, ctx "\004" s)
#define N_(s) s
#define NC_(ctx, s) ctx "\004" s

/* The Vietnamese catalogue, generated from csrc/po/vi.po by
 * csrc/po/embed.py (text-vi.c): msgid order (strcmp), msgids with a
 * context as "context\004msgid". */
typedef struct {
  const char *msgid;
  const char *msgstr;
} HicovTextEntry;
extern const HicovTextEntry hicov_text_vi[];
extern const size_t hicov_text_vi_count;
/* A level as a word inside a sentence: en the level's name ("district",
 * as units.csv writes it), vi "huyện". */
const char *hicov_level_word(int level, const char *lang);
/* A measure inside a sentence: en its name ("participants", as values.csv
 * writes it), vi "số người tham gia"; an unknown name as it is. */
const char *hicov_measure_word(const char *name, const char *lang);

#endif
