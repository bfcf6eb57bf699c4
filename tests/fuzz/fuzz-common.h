/* fuzz-common.h - helpers shared by the libFuzzer targets in tests/fuzz.
 *
 * A target aborts (which libFuzzer reports as a crash and saves the input)
 * when an invariant the API documents does not hold, not only on memory
 * errors: read = accepted + rejected, "nothing added" after a strict
 * failure, a written file reads back. */
#ifndef HICOV_FUZZ_COMMON_H
#define HICOV_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, ...) do { if (!(cond)) { \
  fprintf(stderr, "%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
  fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* The status codes a call on hostile input may return; anything else
 * (HICOV_ERROR, HICOV_INVALID for valid arguments) is a finding. */
static inline int fuzz_input_status(int rc)
{
  return rc == HICOV_OK || rc == HICOV_PARSE || rc == HICOV_LIMIT ||
         rc == HICOV_NOMEM || rc == HICOV_OVERFLOW;
}

static inline void fuzz_add_unit(HicovDataset *ds, const char *code,
                                 const char *parent, int level, int tier)
{
  HicovUnit u = { 0 };
  u.code = code;
  u.name = code;
  u.parent = parent;
  u.level = level;
  u.tier = tier;
  int rc = hicov_dataset_add_unit(ds, &u);
  FUZZ_ASSERT(rc == HICOV_OK, "add_unit %s: %s", code, hicov_dataset_errmsg(ds));
}

/* A small tree: country VN > province P > district D > communes C1, C2 >
 * facilities F1 (commune tier), F2 (district tier, under D). */
static inline void fuzz_small_tree(HicovDataset *ds)
{
  fuzz_add_unit(ds, "VN", NULL, HICOV_LEVEL_COUNTRY, 0);
  fuzz_add_unit(ds, "P", "VN", HICOV_LEVEL_PROVINCE, 0);
  fuzz_add_unit(ds, "D", "P", HICOV_LEVEL_DISTRICT, 0);
  fuzz_add_unit(ds, "C1", "D", HICOV_LEVEL_COMMUNE, 0);
  fuzz_add_unit(ds, "C2", "D", HICOV_LEVEL_COMMUNE, 0);
  fuzz_add_unit(ds, "F1", "C1", HICOV_LEVEL_FACILITY, HICOV_TIER_COMMUNE);
  fuzz_add_unit(ds, "F2", "D", HICOV_LEVEL_FACILITY, HICOV_TIER_DISTRICT);
}

static inline void fuzz_check_load_stats(const HicovDataset *ds)
{
  HicovLoadStats st;
  hicov_dataset_load_stats(ds, &st);
  FUZZ_ASSERT(st.rows_read == st.rows_accepted + st.rows_rejected,
              "read %ld, accepted %ld, rejected %ld", st.rows_read,
              st.rows_accepted, st.rows_rejected);
  FUZZ_ASSERT(st.rows_read >= 0 && st.rows_accepted >= 0 &&
              st.rows_rejected >= 0, "negative row counts");
  /* every kept rejection is readable */
  size_t n = hicov_dataset_rejection_count(ds);
  for (size_t i = 0; i < n && i < 64; i++) {
    HicovRejection r;
    FUZZ_ASSERT(hicov_dataset_rejection(ds, i, &r) == HICOV_OK, "rejection %zu", i);
    FUZZ_ASSERT(r.message && r.file && r.field, "rejection %zu has NULLs", i);
    (void)strlen(r.message);
  }
}

/* What every CSV load must satisfy, whatever the bytes: an input status
 * (not a crash or an internal error), rows that reconcile, and a failure
 * that says where (file, line, column) and why. */
static inline void fuzz_check_load(HicovDataset *ds, int rc)
{
  FUZZ_ASSERT(fuzz_input_status(rc), "load: %s: %s", hicov_status_string(rc),
              hicov_dataset_errmsg(ds));
  fuzz_check_load_stats(ds);
  if (rc != HICOV_OK) {
    FUZZ_ASSERT(hicov_dataset_errmsg(ds)[0], "failure without a message");
    const char *file = NULL, *field = NULL;
    long line = -1;
    int col = -1;
    hicov_dataset_error_location(ds, &file, &line, &col, &field);
    FUZZ_ASSERT(line >= 0 && col >= 0, "location %ld:%d", line, col);
  }
}

/* Evaluates an indicator; the result must be consistent with its status. */
static inline void fuzz_indicator(HicovDataset *ds, const char *ind,
                                  const char *unit, HicovPeriod p,
                                  const char *group)
{
  HicovResult r;
  int rc = hicov_indicator_value(ds, ind, unit, p, group, &r);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOTFOUND || rc == HICOV_OVERFLOW ||
              rc == HICOV_MISSING,
              "indicator %s unit %s: %s", ind, unit, hicov_status_string(rc));
  if (rc == HICOV_OK) {
    FUZZ_ASSERT(r.status == HICOV_OK || r.status == HICOV_MISSING ||
                r.status == HICOV_OVERFLOW, "status %d", r.status);
    FUZZ_ASSERT(memchr(r.reason, 0, sizeof r.reason) != NULL, "reason not terminated");
  }
}

#endif
