/* b64enc.h - base64 encoding for the tests and fuzz targets that build
 * GIAMDINHHS envelopes (the core only decodes). */
#ifndef HICOV_TEST_B64ENC_H
#define HICOV_TEST_B64ENC_H

#include <stddef.h>
#include <stdint.h>

/* Space test_b64_encode writes for n bytes, terminating NUL included. */
#define TEST_B64_SIZE(n) (((n) + 2) / 3 * 4 + 1)

/* Encodes in[0..n) into out (TEST_B64_SIZE(n) bytes), NUL-terminated;
 * returns the length without the NUL. */
static inline size_t test_b64_encode(const void *in, size_t n, char *out)
{
  static const char a[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *u = in;
  size_t i = 0, o = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2];
    out[o++] = a[v >> 18];
    out[o++] = a[(v >> 12) & 63];
    out[o++] = a[(v >> 6) & 63];
    out[o++] = a[v & 63];
  }
  if (n - i) {
    uint32_t v = (uint32_t)u[i] << 16 | (n - i == 2 ? (uint32_t)u[i + 1] << 8 : 0);
    out[o++] = a[v >> 18];
    out[o++] = a[(v >> 12) & 63];
    out[o++] = n - i == 2 ? a[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  out[o] = 0;
  return o;
}

#endif
