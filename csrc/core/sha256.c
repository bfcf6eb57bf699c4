/* sha256.c - SHA-256 (FIPS 180-4) for the provenance of reports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hicov-report.h"

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t st[8], const unsigned char *p)
{
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  st[0] += a; st[1] += b; st[2] += c; st[3] += d;
  st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

void hicov_sha256_init(HicovSha256 *ctx)
{
  static const uint32_t H0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                  0xa54ff53a, 0x510e527f, 0x9b05688c,
                                  0x1f83d9ab, 0x5be0cd19 };
  memcpy(ctx->state, H0, sizeof H0);
  ctx->length = 0;
  ctx->used = 0;
}

void hicov_sha256_update(HicovSha256 *ctx, const void *data, size_t len)
{
  const unsigned char *p = data;
  ctx->length += len;
  if (ctx->used) {
    size_t take = 64 - ctx->used < len ? 64 - ctx->used : len;
    memcpy(ctx->buf + ctx->used, p, take);
    ctx->used += take;
    p += take;
    len -= take;
    if (ctx->used < 64)
      return;
    compress(ctx->state, ctx->buf);
    ctx->used = 0;
  }
  for (; len >= 64; p += 64, len -= 64)
    compress(ctx->state, p);
  memcpy(ctx->buf, p, len);
  ctx->used = len;
}

void hicov_sha256_final(HicovSha256 *ctx, unsigned char digest[32])
{
  uint64_t bits = ctx->length * 8;
  unsigned char pad[72] = { 0x80 };
  /* Pad to 56 mod 64, then the 64-bit big-endian bit length. */
  size_t padlen = ctx->used < 56 ? 56 - ctx->used : 120 - ctx->used;
  for (int i = 0; i < 8; i++)
    pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
  uint64_t keep = ctx->length;
  hicov_sha256_update(ctx, pad, padlen + 8);
  ctx->length = keep;
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (unsigned char)(ctx->state[i] >> 24);
    digest[4 * i + 1] = (unsigned char)(ctx->state[i] >> 16);
    digest[4 * i + 2] = (unsigned char)(ctx->state[i] >> 8);
    digest[4 * i + 3] = (unsigned char)ctx->state[i];
  }
}

static void to_hex(const unsigned char d[32], char hex[65])
{
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[64] = '\0';
}

void hicov_sha256_hex(const void *data, size_t len, char hex[65])
{
  HicovSha256 ctx;
  unsigned char d[32];
  hicov_sha256_init(&ctx);
  hicov_sha256_update(&ctx, data, len);
  hicov_sha256_final(&ctx, d);
  to_hex(d, hex);
}

int hicov_sha256_file(const char *path, char hex[65], uint64_t *size)
{
  if (!path || !hex)
    return HICOV_INVALID;
  FILE *f = fopen(path, "rb");
  if (!f)
    return HICOV_IO;
  HicovSha256 ctx;
  unsigned char buf[65536], d[32];
  size_t got;
  hicov_sha256_init(&ctx);
  while ((got = fread(buf, 1, sizeof buf, f)) > 0)
    hicov_sha256_update(&ctx, buf, got);
  int bad = ferror(f);
  fclose(f);
  if (bad)
    return HICOV_IO;
  if (size)
    *size = ctx.length;
  hicov_sha256_final(&ctx, d);
  to_hex(d, hex);
  return HICOV_OK;
}
