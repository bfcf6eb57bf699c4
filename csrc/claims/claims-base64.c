/* claims-base64.c - base64 of an envelope's NOIDUNGFILE decoded into the
 * part's buffer: whole groups of four by vector steps (SSSE3, AVX2, chosen
 * at run time) and by table, white space between groups skipped, anything
 * else checked character by character with a message saying what is
 * wrong. */
#include <pthread.h>
#include <string.h>

#include "claims-read-private.h"

static signed char b64_val[256];
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;

static void init_b64(void)
{
  memset(b64_val, -1, sizeof b64_val);
  const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; i++)
    b64_val[(unsigned char)a[i]] = (signed char)i;
  b64_val[' '] = b64_val['\t'] = b64_val['\n'] = b64_val['\r'] = -2;
  b64_val['='] = -3;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define HAVE_B64_SSSE3 1
/* 16 base64 characters into 12 bytes per step (W. Muła's method, as in
 * aklomp/base64), on CPUs with SSSE3 (checked at run time).  Stops before
 * the first 16 that are not all plain base64 characters (white space,
 * '=', anything else) and returns how many characters it decoded, a
 * multiple of 4; the table loop carries on from there.  Writes up to 4
 * bytes past the decoded ones: the caller leaves 24 characters for the
 * loop below, so that the bytes fit in its buffer. */
__attribute__((target("ssse3"))) static size_t
b64_decode_ssse3(const char *s, size_t n, unsigned char *o)
{
  const __m128i lut_lo = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11,
                                       0x11, 0x11, 0x11, 0x11, 0x13, 0x1A,
                                       0x1B, 0x1B, 0x1B, 0x1A);
  const __m128i lut_hi = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08,
                                       0x04, 0x08, 0x10, 0x10, 0x10, 0x10,
                                       0x10, 0x10, 0x10, 0x10);
  const __m128i lut_roll = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0,
                                         0, 0, 0, 0, 0, 0, 0);
  const __m128i mask_2f = _mm_set1_epi8(0x2F);
  const __m128i pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12,
                                     -1, -1, -1, -1);
  size_t i = 0;
  while (i + 24 <= n) {
    __m128i str = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i hi_nib = _mm_and_si128(_mm_srli_epi32(str, 4), mask_2f);
    __m128i lo_nib = _mm_and_si128(str, mask_2f);
    __m128i hi = _mm_shuffle_epi8(lut_hi, hi_nib);
    __m128i lo = _mm_shuffle_epi8(lut_lo, lo_nib);
    if (_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_and_si128(lo, hi),
                                         _mm_setzero_si128())))
      break;
    __m128i eq_2f = _mm_cmpeq_epi8(str, mask_2f);
    __m128i roll = _mm_shuffle_epi8(lut_roll, _mm_add_epi8(eq_2f, hi_nib));
    str = _mm_add_epi8(str, roll);
    __m128i ab_bc = _mm_maddubs_epi16(str, _mm_set1_epi32(0x01400140));
    __m128i out = _mm_madd_epi16(ab_bc, _mm_set1_epi32(0x00011000));
    _mm_storeu_si128((__m128i *)(void *)o, _mm_shuffle_epi8(out, pack));
    o += 12;
    i += 16;
  }
  return i;
}
#include <immintrin.h>
#define HAVE_B64_AVX2 1
/* The same 32 characters into 24 bytes a step on CPUs with AVX2 (the
 * in-lane shuffle leaves 12 bytes in each half; a dword permute joins
 * them).  Writes up to 8 bytes past the decoded ones: it leaves 44
 * characters for the steps after it. */
__attribute__((target("avx2"))) static size_t
b64_decode_avx2(const char *s, size_t n, unsigned char *o)
{
  const __m256i lut_lo = _mm256_setr_epi8(
      0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A,
      0x1B, 0x1B, 0x1B, 0x1A, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
      0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
  const __m256i lut_hi = _mm256_setr_epi8(
      0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10,
      0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
      0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
  const __m256i lut_roll = _mm256_setr_epi8(
      0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i mask_2f = _mm256_set1_epi8(0x2F);
  const __m256i pack = _mm256_setr_epi8(
      2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
      2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i join = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
  size_t i = 0;
  while (i + 44 <= n) {
    __m256i str = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i hi_nib = _mm256_and_si256(_mm256_srli_epi32(str, 4), mask_2f);
    __m256i lo_nib = _mm256_and_si256(str, mask_2f);
    __m256i hi = _mm256_shuffle_epi8(lut_hi, hi_nib);
    __m256i lo = _mm256_shuffle_epi8(lut_lo, lo_nib);
    if (!_mm256_testz_si256(lo, hi)) /* the table values are all positive */
      break;
    __m256i eq_2f = _mm256_cmpeq_epi8(str, mask_2f);
    __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(eq_2f, hi_nib));
    str = _mm256_add_epi8(str, roll);
    __m256i ab_bc = _mm256_maddubs_epi16(str, _mm256_set1_epi32(0x01400140));
    __m256i out = _mm256_madd_epi16(ab_bc, _mm256_set1_epi32(0x00011000));
    out = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(out, pack), join);
    _mm256_storeu_si256((__m256i *)(void *)o, out);
    o += 24;
    i += 32;
  }
  return i;
}
#endif

/* Decodes base64 (whitespace allowed) into pt->inner. 0 ok; else writes
 * the problem into msg. */
int claims_b64_decode(Part *pt, const char *s, size_t n, size_t *out_len,
                      char *msg, size_t msize)
{
  pthread_once(&b64_once, init_b64);
  size_t need = n / 4 * 3 + 3;
  if (need > INNER_MAX + 3) {
    hicov_fmt(msg, msize, T_(pt->c->lang, "the inner document is larger than "
                                          "%u MB"),
              INNER_MAX >> 20);
    return HICOV_LIMIT;
  }
  if (need > pt->inner_cap) {
    unsigned char *nb = hicov_realloc(pt->inner, need);
    if (!nb)
      return HICOV_NOMEM;
    pt->inner = nb;
    pt->inner_cap = need;
  }
  unsigned char *o = pt->inner;
  uint32_t acc = 0;
  int k = 0, pad = 0;
  size_t sig = 0, i = 0;
#ifdef HAVE_B64_SSSE3
  static int simd = -1; /* 2 AVX2, 1 SSSE3: the same answer in every thread */
  if (simd < 0)
    simd = __builtin_cpu_supports("avx2") ? 2 : __builtin_cpu_supports("ssse3");
#endif
  /* Whole groups of four plain base64 characters (no white space, no
   * padding) decode by vector steps and then by table; white space
   * between groups (lines of 76 characters, as MIME encoders write) is
   * skipped and the fast steps go on.  The first group that is anything
   * else goes to the character loop below, which takes over in the same
   * state (nothing pending) and says what is wrong if anything is. */
  for (;;) {
    size_t from = i;
#ifdef HAVE_B64_SSSE3
    if (simd == 2) {
      size_t d = b64_decode_avx2(s + i, n - i, o);
      i += d;
      o += d / 4 * 3;
    }
    if (simd) {
      size_t d = b64_decode_ssse3(s + i, n - i, o);
      i += d;
      o += d / 4 * 3;
    }
#endif
    while (i + 4 <= n) {
      const unsigned char *g = (const unsigned char *)s + i;
      int32_t a = b64_val[g[0]], b = b64_val[g[1]], c = b64_val[g[2]],
              d = b64_val[g[3]];
      if ((a | b | c | d) < 0)
        break;
      uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 |
                   (uint32_t)d;
      o[0] = (unsigned char)(v >> 16);
      o[1] = (unsigned char)(v >> 8);
      o[2] = (unsigned char)v;
      o += 3;
      i += 4;
    }
    sig += i - from;
    size_t j = i;
    while (j < n && b64_val[(unsigned char)s[j]] == -2)
      j++;
    if (j == i || j >= n)
      break;
    i = j;
  }
  for (; i < n; i++) {
    signed char v = b64_val[(unsigned char)s[i]];
    if (v >= 0) {
      if (pad) {
        hicov_fmt(msg, msize, T_(pt->c->lang, "base64 data after '=' padding "
                                              "at offset %zu"), i);
        return HICOV_PARSE;
      }
      acc = (acc << 6) | (uint32_t)(unsigned char)v;
      sig++;
      if (++k == 4) {
        *o++ = (unsigned char)(acc >> 16);
        *o++ = (unsigned char)(acc >> 8);
        *o++ = (unsigned char)acc;
        k = 0;
        acc = 0;
      }
    } else if (v == -3) {
      pad++;
      sig++;
      if (pad > 2 || k < 2) {
        hicov_fmt(msg, msize, T_(pt->c->lang, "misplaced '=' padding at "
                                              "offset %zu"), i);
        return HICOV_PARSE;
      }
    } else if (v == -1) {
      hicov_fmt(msg, msize, T_(pt->c->lang, "invalid base64 character 0x%02X "
                                            "at offset %zu"),
                (unsigned char)s[i], i);
      return HICOV_PARSE;
    }
  }
  if (sig % 4) {
    hicov_fmt(msg, msize, T_(pt->c->lang, "base64 length %zu is not a "
                                          "multiple of 4 (truncated?)"), sig);
    return HICOV_PARSE;
  }
  if (pad) {
    if (pad + k != 4) {
      hicov_fmt(msg, msize, "%s", T_(pt->c->lang, "misplaced '=' padding"));
      return HICOV_PARSE;
    }
    acc <<= 6 * pad;
    *o++ = (unsigned char)(acc >> 16);
    if (pad == 1)
      *o++ = (unsigned char)(acc >> 8);
  }
  *out_len = (size_t)(o - pt->inner);
  return HICOV_OK;
}
