/* alloc.c - the overridable allocator, with a fail-after-N hook so tests can
 * walk every allocation of a load and check each failure is clean. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util-private.h"

static void *(*alloc_malloc)(size_t) = malloc;
static void *(*alloc_realloc)(void *, size_t) = realloc;
static void (*alloc_free)(void *) = free;

/* Process-wide test hook. The counter is atomic because the claims reader
 * allocates from several threads; failing "the n-th allocation" is only
 * deterministic in single-threaded tests. */
static long alloc_count;
static long alloc_fail_at;

void hicov_set_allocator(void *(*malloc_fn)(size_t),
                         void *(*realloc_fn)(void *, size_t),
                         void (*free_fn)(void *))
{
  alloc_malloc = malloc_fn ? malloc_fn : malloc;
  alloc_realloc = realloc_fn ? realloc_fn : realloc;
  alloc_free = free_fn ? free_fn : free;
}

long hicov_debug_fail_alloc_after(long n)
{
  long made = __atomic_exchange_n(&alloc_count, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&alloc_fail_at, n, __ATOMIC_RELAXED);
  return made;
}

static int should_fail(void)
{
  long count = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
  long at = __atomic_load_n(&alloc_fail_at, __ATOMIC_RELAXED);
  return at > 0 && count >= at;
}

void *hicov_malloc(size_t size)
{
  if (should_fail())
    return NULL;
  return alloc_malloc(size ? size : 1);
}

void *hicov_calloc(size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    return NULL;
  /* With the C library's allocator, calloc: a large block comes from fresh
     pages that are zero already, so it need not be written twice (the
     claims reader's hash tables double as they fill). */
  if (alloc_malloc == malloc) {
    if (should_fail())
      return NULL;
    void *p = calloc(n ? n : 1, size ? size : 1);
#ifdef MADV_HUGEPAGE
    /* Big tables (the claims reader's hash tables) are filled in random
       order: with 4 KB pages every page is a fault, which on a virtual
       machine cost more than the hashing.  Ask for 2 MB pages inside. */
    if (p && n * size >= ((size_t)8 << 20)) {
      uintptr_t a = ((uintptr_t)p + ((2u << 20) - 1)) & ~(uintptr_t)((2u << 20) - 1);
      uintptr_t e = ((uintptr_t)p + n * size) & ~(uintptr_t)((2u << 20) - 1);
      if (e > a)
        madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#endif
    return p;
  }
  void *p = hicov_malloc(n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

/* A table probed before it is written: a page first read maps the shared
 * zero page, and the write that follows copies it and flushes the TLBs of
 * the other CPUs the process runs on (an interrupt each).  On the claims
 * reader's two threads the faults and interrupts took some 6% of a read
 * of 1 GB.  A write to each page of a fresh block maps it once, with no
 * flush; a block the allocator reused is written already. */
void *hicov_calloc_table(size_t n, size_t size)
{
  volatile char *p = hicov_calloc(n, size);
  if (p && n * size >= ((size_t)64 << 10))
    for (size_t i = 0; i < n * size; i += 4096)
      p[i] = 0;
  return (void *)p;
}

void *hicov_malloc_cache(size_t size)
{
  return alloc_malloc(size ? size : 1);
}

void *hicov_realloc(void *ptr, size_t size)
{
  if (should_fail())
    return NULL;
  return alloc_realloc(ptr, size ? size : 1);
}

void hicov_free(void *ptr)
{
  if (ptr)
    alloc_free(ptr);
}

int hicov_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return HICOV_OK;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / elem)
      return HICOV_NOMEM;
    ncap *= 2;
  }
  void *p = hicov_realloc(*ptr, ncap * elem);
  if (!p)
    return HICOV_NOMEM;
  *ptr = p;
  *cap = ncap;
  return HICOV_OK;
}

char *hicov_strndup(const char *s, size_t n)
{
  char *d = hicov_malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *hicov_strdup(const char *s)
{
  return s ? hicov_strndup(s, strlen(s)) : NULL;
}

void hicov_fmt(char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  if (!size)
    return;
  va_start(ap, fmt);
  int r = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  if (r < 0)
    buf[0] = '\0';
  else if ((size_t)r >= size)
    hicov_utf8_trim(buf);
}

void hicov_utf8_trim(char *s)
{
  size_t n = strlen(s), k = n;
  while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
    k--; /* continuation bytes at the end */
  if (k == 0)
    return;
  unsigned char lead = (unsigned char)s[k - 1];
  size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (n - (k - 1) < want)
    s[k - 1] = '\0'; /* a character cut short */
}

const char *hicov_version(void)
{
  return HICOV_VERSION_STRING;
}

const char *hicov_status_string(int status)
{
  switch (status) {
  case HICOV_OK: return N_("ok");
  case HICOV_ERROR: return N_("error");
  case HICOV_NOMEM: return N_("out of memory");
  case HICOV_IO: return N_("input/output error");
  case HICOV_PARSE: return N_("malformed input");
  case HICOV_NOTFOUND: return N_("not found");
  case HICOV_INVALID: return N_("invalid argument");
  case HICOV_MISSING: return N_("value missing");
  case HICOV_LIMIT: return N_("limit exceeded");
  case HICOV_OVERFLOW: return N_("arithmetic overflow");
  case HICOV_UNSUPPORTED: return N_("unsupported");
  default: return N_("unknown status");
  }
}

/* The C locale, created once; threads race benignly (the loser frees its
 * copy). NULL if it cannot be created, and then the process locale is
 * used, which is right in every program that never set LC_NUMERIC. */
static locale_t c_locale(void)
{
  static locale_t cached;
  locale_t loc = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
  if (loc)
    return loc;
  loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (!loc)
    return NULL;
  locale_t expected = NULL;
  if (!__atomic_compare_exchange_n(&cached, &expected, loc, 0,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    freelocale(loc);
    return expected;
  }
  return loc;
}

void hicov_fmt_c(char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  if (!size)
    return;
  locale_t loc = c_locale();
  locale_t old = loc ? uselocale(loc) : (locale_t)0;
  va_start(ap, fmt);
  int r = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  if (loc)
    uselocale(old);
  if (r < 0)
    buf[0] = '\0';
}

double hicov_strtod_c(const char *s, char **end)
{
  locale_t loc = c_locale();
  return loc ? strtod_l(s, end, loc) : strtod(s, end);
}
