/* Fuzz target: a report's state, as pickles carry it
 * (hicov_report_load_state).  The input is the state without its SHA-256:
 * the harness seals it, so that the parser (and the rebuild) behind the
 * digest sees every input; the input as it is must be refused (a digest
 * that matches by chance aside).  A state that loads must serialise again
 * (from the dataset state it was rebuilt from), load back and serialise
 * to the same bytes. */
#include "fuzz-common.h"
#include "hicov-report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  uint8_t *sealed = malloc(size + 32);
  if (!sealed)
    return 0;
  if (size)
    memcpy(sealed, data, size);
  HicovSha256 ctx;
  hicov_sha256_init(&ctx);
  hicov_sha256_update(&ctx, data, size);
  hicov_sha256_final(&ctx, sealed + size);

  char err[512];
  HicovReport *rep = NULL;
  int rc = hicov_report_load_state(sealed, size + 32, &rep, err, sizeof err);
  FUZZ_ASSERT(fuzz_input_status(rc), "load_state: %s (%s)",
              hicov_status_string(rc), err);
  FUZZ_ASSERT((rc == HICOV_OK) == (rep != NULL), "rc %d with rep %p", rc,
              (void *)rep);
  FUZZ_ASSERT(rc == HICOV_OK || err[0], "refused without a message");
  if (rep) {
    void *again = NULL;
    size_t n = 0;
    rc = hicov_report_serialize(rep, NULL, 0, &again, &n);
    FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM, "serialize: %s",
                hicov_status_string(rc));
    HicovReport *back = NULL;
    if (rc == HICOV_OK) {
      rc = hicov_report_load_state(again, n, &back, err, sizeof err);
      FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM,
                  "a state it wrote does not load: %s", err);
    }
    if (back) {
      /* the input's resolution file may be laid out otherwise (the
         digest of the report's XML says it is the same report); what
         hicov writes comes back byte for byte */
      void *third = NULL;
      size_t n3 = 0;
      if (hicov_report_serialize(back, NULL, 0, &third, &n3) == HICOV_OK)
        FUZZ_ASSERT(n3 == n && !memcmp(third, again, n),
                    "serialise, load, serialise: %zu and %zu bytes", n, n3);
      hicov_free(third);
    }
    hicov_report_free(back);
    hicov_free(again);
    hicov_report_free(rep);
  }
  /* unsealed: refused unless the last 32 bytes happen to be the digest */
  rep = NULL;
  rc = hicov_report_load_state(data, size, &rep, err, sizeof err);
  FUZZ_ASSERT(fuzz_input_status(rc), "unsealed: %s", hicov_status_string(rc));
  hicov_report_free(rep);
  free(sealed);
  return 0;
}
