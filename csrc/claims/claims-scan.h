/* claims-scan.h - the claims reader's byte scanners: delimiters, names and
 * text special characters found 16 or 64 bytes at a time where SSE2 exists
 * (every x86-64; the CSV block 32 bytes at a time in the AVX2 build of the
 * row loop, claims-csv-x86v3.c), and UTF-8 sequences checked.  All static inline: they sit
 * on the per-byte path of the XML scanner and the CSV row loop. */
#ifndef HICOV_CLAIMS_SCAN_H
#define HICOV_CLAIMS_SCAN_H

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_SSE2 1
#endif
#if defined(__AVX2__) || defined(__BMI2__)
#include <immintrin.h>
#endif

/* First byte in [p, e) that is ',', '\n' or '\r'; e if none. */
static inline const char *scan_csv_delim(const char *p, const char *e)
{
#ifdef HAVE_SSE2
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r');
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma),
                                          _mm_cmpeq_epi8(v, lf)),
                             _mm_cmpeq_epi8(v, cr));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits)
      return p + __builtin_ctz(bits);
    p += 16;
  }
#endif
  while (p < e && *p != ',' && *p != '\n' && *p != '\r')
    p++;
  return p;
}

/* The CSV row loop's scanner: one 64-byte block as bit masks of its
 * delimiters (',', '\n', '\r'), its line ends ('\n', '\r') and its quotes,
 * so that a field costs a count of trailing zeros and two bit tests, with
 * no load of the bytes it ends on or starts with (40 fields a row in the
 * claims export; a load per field put its latency on the path).  The end
 * of the data counts as a line end in the last block, so the row loop
 * needs no separate check for it. */
typedef struct {
  uintptr_t base;      /* the block's first byte */
  uint64_t delim;      /* ',', '\n', '\r' (and the end) in [base, base + 64) */
  uint64_t nl;         /* '\n', '\r' and the end */
  uint64_t quote;      /* '"' */
} DelimScan;

static inline void ds_init(DelimScan *ds, const char *p)
{
  ds->base = (uintptr_t)p - 64; /* no block yet: the first field loads */
  ds->delim = ds->nl = ds->quote = 0;
}

static inline void ds_masks(DelimScan *ds, const char *p)
{
#if defined(__AVX2__)
  const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n'),
                cr = _mm256_set1_epi8('\r'), dq = _mm256_set1_epi8('"');
  uint64_t c = 0, n = 0, q = 0;
  for (int i = 0; i < 2; i++) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * i));
    __m256i x = _mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr));
    n |= (uint64_t)(uint32_t)_mm256_movemask_epi8(x) << (32 * i);
    c |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, comma)) << (32 * i);
    q |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, dq)) << (32 * i);
  }
  ds->nl = n;
  ds->delim = c | n;
  ds->quote = q;
#elif defined(HAVE_SSE2)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), dq = _mm_set1_epi8('"');
  uint64_t c = 0, n = 0, q = 0;
  for (int i = 0; i < 4; i++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
    __m128i x = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
    n |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * i);
    c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << (16 * i);
    q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dq)) << (16 * i);
  }
  ds->nl = n;
  ds->delim = c | n;
  ds->quote = q;
#else
  uint64_t c = 0, n = 0, q = 0;
  for (int i = 0; i < 64; i++) {
    c |= (uint64_t)(p[i] == ',') << i;
    n |= (uint64_t)(p[i] == '\n' || p[i] == '\r') << i;
    q |= (uint64_t)(p[i] == '"') << i;
  }
  ds->nl = n;
  ds->delim = c | n;
  ds->quote = q;
#endif
}

/* Loads the block at p (p < e or p == e).  Once a block, and out of line:
 * inlined, it takes registers from the row loop around it. */
__attribute__((noinline, unused)) static void ds_load(DelimScan *ds,
                                                      const char *p,
                                                      const char *e)
{
  ds->base = (uintptr_t)p;
  if (e - p >= 64) {
    /* the input streams from the page cache, where the hardware
       prefetcher stops at every 4 KB page: ask for the line 1 KB ahead */
    if (e - p > 1024 + 64)
      __builtin_prefetch(p + 1024);
    ds_masks(ds, p);
    return;
  }
  char tail[64] = { 0 }; /* NUL is no delimiter */
  memcpy(tail, p, (size_t)(e - p));
  ds_masks(ds, tail);
  uint64_t end = (uint64_t)1 << (e - p), keep = end - 1;
  ds->delim = (ds->delim & keep) | end;
  ds->nl = (ds->nl & keep) | end;
  ds->quote &= keep;
}

/* First byte in [p, e) that is not an ASCII name character without ':'
 * ([A-Za-z0-9_.-]); e if none. */
static inline const char *scan_name_end(const char *p, const char *e)
{
#ifdef HAVE_SSE2
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
                                  _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    __m128i other = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit),
                                                           other));
    if (ok != 0xFFFFu)
      return p + __builtin_ctz(~ok);
    p += 16;
  }
#endif
  while (p < e) {
    unsigned char ch = (unsigned char)*p;
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
          (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
      break;
    p++;
  }
  return p;
}

/* First byte in [p, e) that XML text cannot hold as is: '<', '&', a
 * control character (tab and line breaks included, for the caller to
 * accept) or a non-ASCII byte (to validate as UTF-8); e if none. */
static inline const char *scan_text_special(const char *p, const char *e)
{
#ifdef HAVE_SSE2
  const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'),
                sp = _mm_set1_epi8(0x20);
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* signed compare: bytes >= 0x80 are negative, so below 0x20 too */
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt),
                                          _mm_cmpeq_epi8(v, amp)),
                             _mm_cmplt_epi8(v, sp));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits)
      return p + __builtin_ctz(bits);
    p += 16;
  }
#endif
  while (p < e) {
    unsigned char ch = (unsigned char)*p;
    if (ch < 0x20 || ch >= 0x80 || ch == '<' || ch == '&')
      break;
    p++;
  }
  return p;
}

/* Length of a valid UTF-8 sequence at p (lead byte >= 0x80), else 0. */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
  unsigned c = p[0];
  size_t n;
  unsigned cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if ((size_t)(end - p) < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ||
                  cp == 0xFFFE || cp == 0xFFFF)) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

#endif
