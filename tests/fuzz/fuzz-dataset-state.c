/* Fuzz target: a dataset's state, as pickles carry it
 * (hicov_dataset_load_state).  The input is the state without its SHA-256:
 * the harness seals it, so that the parser behind the digest sees every
 * input; the input as it is must be refused (a digest that matches by
 * chance aside).  A state that loads must serialise again and load back to
 * the same bytes. */
#include "fuzz-common.h"
#include "hicov-data.h"
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

  char err[256];
  HicovDataset *ds = NULL;
  int rc = hicov_dataset_load_state(sealed, size + 32, &ds, err, sizeof err);
  FUZZ_ASSERT(fuzz_input_status(rc), "load_state: %s (%s)",
              hicov_status_string(rc), err);
  FUZZ_ASSERT((rc == HICOV_OK) == (ds != NULL), "rc %d with ds %p", rc,
              (void *)ds);
  FUZZ_ASSERT(rc == HICOV_OK || err[0], "refused without a message");
  if (ds) {
    void *again = NULL;
    size_t n = 0;
    rc = hicov_dataset_serialize(ds, &again, &n);
    FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM, "serialize: %s",
                hicov_status_string(rc));
    HicovDataset *back = NULL;
    if (rc == HICOV_OK) {
      rc = hicov_dataset_load_state(again, n, &back, err, sizeof err);
      FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM,
                  "a state it wrote does not load: %s", err);
    }
    if (back) {
      void *third = NULL;
      size_t n3 = 0;
      if (hicov_dataset_serialize(back, &third, &n3) == HICOV_OK)
        FUZZ_ASSERT(n3 == n && !memcmp(third, again, n),
                    "serialise, load, serialise: %zu and %zu bytes", n, n3);
      hicov_free(third);
    }
    HicovFinding *f = NULL;
    size_t nf = 0;
    if (hicov_dataset_check(ds, &f, &nf) == HICOV_OK)
      hicov_free(f);
    hicov_dataset_free(back);
    hicov_free(again);
    hicov_dataset_free(ds);
  }
  /* unsealed: refused unless the last 32 bytes happen to be the digest */
  ds = NULL;
  rc = hicov_dataset_load_state(data, size, &ds, err, sizeof err);
  FUZZ_ASSERT(fuzz_input_status(rc), "unsealed: %s", hicov_status_string(rc));
  hicov_dataset_free(ds);
  free(sealed);
  return 0;
}
