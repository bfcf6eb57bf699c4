/* state-private.h - the byte format of hicov's saved states (a dataset,
 * a report, a chart): little-endian integers, strings as a u32 length and
 * their bytes, a SHA-256 seal over all that comes before it.  One writer
 * and one reader for all three (state.c). */
#ifndef HICOV_STATE_PRIVATE_H
#define HICOV_STATE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#define HICOV_STATE_DIGEST 32
/* A state begins with its tag: 7 letters and their NUL ("HICOVDS"). */
#define HICOV_STATE_TAG 8

/* A growing buffer; rc holds the first failure (HICOV_NOMEM, HICOV_LIMIT)
 * and every later put does nothing. */
typedef struct {
  unsigned char *data;
  size_t len, cap;
  int rc;
} HicovStateOut;

void hicov_state_put(HicovStateOut *o, const void *p, size_t n);
void hicov_state_put_u8(HicovStateOut *o, int v);
void hicov_state_put_u32(HicovStateOut *o, uint32_t v);
void hicov_state_put_i32(HicovStateOut *o, int v);
void hicov_state_put_u64(HicovStateOut *o, uint64_t v);
void hicov_state_put_f64(HicovStateOut *o, double v);
/* A u32 length, then the n bytes (HICOV_LIMIT past 4 GiB). */
void hicov_state_put_str(HicovStateOut *o, const void *s, size_t n);
/* s as a string; NULL as "". */
void hicov_state_put_cstr(HicovStateOut *o, const char *s);
/* Appends the SHA-256 of everything written so far. */
void hicov_state_seal(HicovStateOut *o);
/* The tag (HICOV_STATE_TAG bytes) and the version every state begins with. */
void hicov_state_put_head(HicovStateOut *o, const char *tag, uint32_t version);

/* What a refused state says it is not ("not a hicov dataset state: ..."). */
typedef enum {
  HICOV_STATE_DATASET,
  HICOV_STATE_REPORT,
  HICOV_STATE_CHART
} HicovStateKind;

/* A reader over [p, end); after the first failure every get gives 0 and
 * the message (if err) says why. */
typedef struct {
  const unsigned char *p, *end;
  char *err;
  size_t err_size;
  int failed;
  HicovStateKind kind;
} HicovStateIn;

/* Marks in refused with why (the first reason only); HICOV_PARSE. */
int hicov_state_refuse(HicovStateIn *in, const char *why);
/* n bytes into p (zeros once refused); HICOV_OK or HICOV_PARSE. */
int hicov_state_get(HicovStateIn *in, void *p, size_t n);
int hicov_state_get_u8(HicovStateIn *in);
uint32_t hicov_state_get_u32(HicovStateIn *in);
int hicov_state_get_i32(HicovStateIn *in);
uint64_t hicov_state_get_u64(HicovStateIn *in);
double hicov_state_get_f64(HicovStateIn *in);
/* A string of the state: points into it (not NUL-terminated), NULL once
 * refused. */
const unsigned char *hicov_state_get_str(HicovStateIn *in, size_t *n);
/* 1 if the last HICOV_STATE_DIGEST bytes of [data, data + len) are the
 * SHA-256 of the rest. */
int hicov_state_sealed(const void *data, size_t len);
/* Starts reading a state of kind: clears err, sets in over the state
 * without its seal and past its tag and version.  HICOV_INVALID when
 * data is NULL with a length or !args_ok (the caller's own arguments);
 * HICOV_PARSE, with err saying why, when the state is shorter than its
 * head, min_body bytes and its seal, its seal does not match, or its tag
 * or version is not tag's or version. */
int hicov_state_open(HicovStateIn *in, const void *data, size_t len,
                     HicovStateKind kind, const char *tag, uint32_t version,
                     size_t min_body, int args_ok, char *err, size_t err_size);

#endif
