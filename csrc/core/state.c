/* state.c - the byte format of hicov's saved states: one writer and one
 * reader for the dataset's, the report's and the chart's (state-private.h). */
#include <stdint.h>
#include <string.h>

#include "hicov-report.h"
#include "state-private.h"
#include "util-private.h"

void hicov_state_put(HicovStateOut *o, const void *p, size_t n)
{
  if (o->rc || !n)
    return;
  if (n > o->cap - o->len) {
    size_t cap = o->cap ? o->cap : 4096;
    while (n > cap - o->len) {
      if (cap > SIZE_MAX / 2) {
        o->rc = HICOV_NOMEM;
        return;
      }
      cap *= 2;
    }
    unsigned char *d = hicov_realloc(o->data, cap);
    if (!d) {
      o->rc = HICOV_NOMEM;
      return;
    }
    o->data = d;
    o->cap = cap;
  }
  memcpy(o->data + o->len, p, n);
  o->len += n;
}

void hicov_state_put_u8(HicovStateOut *o, int v)
{
  unsigned char b = (unsigned char)v;
  hicov_state_put(o, &b, 1);
}

void hicov_state_put_u32(HicovStateOut *o, uint32_t v)
{
  unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
                         (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
  hicov_state_put(o, b, 4);
}

void hicov_state_put_i32(HicovStateOut *o, int v)
{
  hicov_state_put_u32(o, (uint32_t)v);
}

void hicov_state_put_u64(HicovStateOut *o, uint64_t v)
{
  hicov_state_put_u32(o, (uint32_t)v);
  hicov_state_put_u32(o, (uint32_t)(v >> 32));
}

void hicov_state_put_f64(HicovStateOut *o, double v)
{
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  hicov_state_put_u64(o, bits);
}

void hicov_state_put_str(HicovStateOut *o, const void *s, size_t n)
{
  if (n > UINT32_MAX) {
    if (!o->rc)
      o->rc = HICOV_LIMIT;
    return;
  }
  hicov_state_put_u32(o, (uint32_t)n);
  hicov_state_put(o, s, n);
}

void hicov_state_put_cstr(HicovStateOut *o, const char *s)
{
  hicov_state_put_str(o, s ? s : "", s ? strlen(s) : 0);
}

void hicov_state_seal(HicovStateOut *o)
{
  if (o->rc)
    return;
  unsigned char digest[HICOV_STATE_DIGEST];
  HicovSha256 ctx;
  hicov_sha256_init(&ctx);
  hicov_sha256_update(&ctx, o->data, o->len);
  hicov_sha256_final(&ctx, digest);
  hicov_state_put(o, digest, sizeof digest);
}

/* Messages are in the process's language: no dataset exists yet. */
int hicov_state_refuse(HicovStateIn *in, const char *why)
{
  if (!in->failed && in->err && in->err_size) {
    if (in->kind == HICOV_STATE_REPORT)
      hicov_fmt(in->err, in->err_size,
                T_(NULL, "not a hicov report state: %s"), why);
    else
      hicov_fmt(in->err, in->err_size,
                T_(NULL, "not a hicov dataset state: %s"), why);
  }
  in->failed = 1;
  return HICOV_PARSE;
}

int hicov_state_get(HicovStateIn *in, void *p, size_t n)
{
  if (!in->failed && (size_t)(in->end - in->p) < n)
    hicov_state_refuse(in, T_(NULL, "it ends early"));
  if (in->failed) {
    if (n)
      memset(p, 0, n);
    return HICOV_PARSE;
  }
  if (n)
    memcpy(p, in->p, n);
  in->p += n;
  return HICOV_OK;
}

int hicov_state_get_u8(HicovStateIn *in)
{
  unsigned char b;
  hicov_state_get(in, &b, 1);
  return b;
}

uint32_t hicov_state_get_u32(HicovStateIn *in)
{
  unsigned char b[4];
  hicov_state_get(in, b, 4);
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
}

int hicov_state_get_i32(HicovStateIn *in)
{
  uint32_t v = hicov_state_get_u32(in);
  return v <= INT32_MAX ? (int)v : (int)(v - INT32_MAX - 1) + INT32_MIN;
}

uint64_t hicov_state_get_u64(HicovStateIn *in)
{
  uint64_t lo = hicov_state_get_u32(in);
  return lo | (uint64_t)hicov_state_get_u32(in) << 32;
}

double hicov_state_get_f64(HicovStateIn *in)
{
  uint64_t bits = hicov_state_get_u64(in);
  double v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

const unsigned char *hicov_state_get_str(HicovStateIn *in, size_t *n)
{
  *n = hicov_state_get_u32(in);
  if (in->failed)
    return NULL;
  if ((size_t)(in->end - in->p) < *n) {
    hicov_state_refuse(in, T_(NULL, "it ends early"));
    return NULL;
  }
  const unsigned char *s = in->p;
  in->p += *n;
  return s;
}

int hicov_state_sealed(const void *data, size_t len)
{
  if (len < HICOV_STATE_DIGEST)
    return 0;
  unsigned char digest[HICOV_STATE_DIGEST];
  HicovSha256 ctx;
  hicov_sha256_init(&ctx);
  hicov_sha256_update(&ctx, data, len - HICOV_STATE_DIGEST);
  hicov_sha256_final(&ctx, digest);
  return !memcmp(digest, (const unsigned char *)data + len - HICOV_STATE_DIGEST,
                 HICOV_STATE_DIGEST);
}

void hicov_state_put_head(HicovStateOut *o, const char *tag, uint32_t version)
{
  hicov_state_put(o, tag, HICOV_STATE_TAG);
  hicov_state_put_u32(o, version);
}

/* The checks every state's reader begins with, in the order that refuses
 * a changed byte before anything is parsed: the length, the seal, then
 * the tag and the version. */
int hicov_state_open(HicovStateIn *in, const void *data, size_t len,
                     HicovStateKind kind, const char *tag, uint32_t version,
                     size_t min_body, int args_ok, char *err, size_t err_size)
{
  if (err && err_size)
    err[0] = '\0';
  *in = (HicovStateIn){ .p = data, .end = (const unsigned char *)data + len,
                        .err = err, .err_size = err_size, .kind = kind };
  if ((!data && len) || !args_ok)
    return HICOV_INVALID;
  if (len < HICOV_STATE_TAG + 4 + min_body + HICOV_STATE_DIGEST)
    return hicov_state_refuse(in, T_(NULL, "it ends early"));
  if (!hicov_state_sealed(data, len))
    return hicov_state_refuse(in, T_(NULL, "its SHA-256 does not match (changed or cut)"));
  in->end -= HICOV_STATE_DIGEST;
  char got[HICOV_STATE_TAG];
  if (hicov_state_get(in, got, sizeof got) || memcmp(got, tag, sizeof got))
    return hicov_state_refuse(in, T_(NULL, "wrong tag"));
  uint32_t v = hicov_state_get_u32(in);
  if (!in->failed && v != version) {
    char why[128];
    hicov_fmt(why, sizeof why, T_(NULL, "version %u, this library reads %u"),
              (unsigned)v, (unsigned)version);
    return hicov_state_refuse(in, why);
  }
  return in->failed ? HICOV_PARSE : HICOV_OK;
}
