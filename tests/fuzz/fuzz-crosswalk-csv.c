/* Fuzz target: crosswalk.csv (hicov_dataset_load_crosswalk_buffer), strict
 * and lenient, over a fixed tree whose units can be divided (X1, X2 end on
 * 2025-07-01, X3 on 2025-07-15; Y1, Y2 go on; Z begins on 2025-07-01),
 * then every comparison across the split on the boundaries it gives: the
 * shares must add up to 1 for what loaded, an apportioned value is an
 * estimate, and the sums over the province count every unit once. */
#include "fuzz-common.h"

static const char units[] =
  "code,name,parent,level,valid_to,successor,valid_from\n"
  "P,Tỉnh,,province,,,\n"
  "X1,Xã X1,P,commune,2025-07-01,,\n"
  "X2,Xã X2,P,commune,2025-07-01,,\n"
  "X3,Xã X3,P,commune,2025-07-15,,\n"
  "Y1,Xã Y1,P,commune,,,\n"
  "Y2,Xã Y2,P,commune,,,\n"
  "Z,Xã Z,P,commune,,,2025-07-01\n"
  "M,Xã M,P,commune,2025-07-01,Y1,\n";

static const char values[] =
  "unit,period,measure,value\n"
  "X1,2024,population,1000\nX1,2024,participants,900\n"
  "X2,2024,population,500\nX2,2024,participants,450\n"
  "X3,2024,population,300\nX3,2024,participants,270\n"
  "Y1,2024,population,2000\nY1,2024,participants,1700\n"
  "Y2,2024,population,700\n"
  "M,2024,population,100\nM,2024,participants,95\n"
  "Y1,2025,population,3000\nY1,2025,participants,2700\n"
  "Y2,2025,population,900\nY2,2025,participants,810\n"
  "Z,2025,population,800\nZ,2025,participants,700\n"
  "X1,2024-01/2024-10,visits,100\nY1,2025-01/2025-10,visits,300\n";

static void compare(HicovDataset *ds)
{
  static const char *const codes[] = { "P", "X1", "X2", "X3", "Y1", "Y2",
                                       "Z", "M" };
  static const char *const inds[] = { "participants_growth",
                                      "coverage_change", "population_growth",
                                      "visits_growth", "coverage_rate" };
  HicovPeriod y25 = hicov_period_year(2025), y24 = hicov_period_year(2024);
  HicovPeriod ytd = hicov_period_range(2025 * 12, 2025 * 12 + 9);
  for (size_t u = 0; u < sizeof codes / sizeof codes[0]; u++) {
    for (size_t i = 0; i < sizeof inds / sizeof inds[0]; i++) {
      fuzz_indicator(ds, inds[i], codes[u], y25, NULL);
      fuzz_indicator(ds, inds[i], codes[u], ytd, NULL);
    }
    HicovResult r;
    int rc = hicov_indicator_value_on(ds, "coverage_rate", codes[u], y24,
                                      2025 * 12 + 11, NULL, &r);
    FUZZ_ASSERT(rc == HICOV_OK, "value_on %s: %s", codes[u],
                hicov_status_string(rc));
    FUZZ_ASSERT(r.status != HICOV_OK || (r.value >= 0 && r.value <= 100),
                "coverage %s on 2025's boundaries: %g", codes[u], r.value);
    int64_t c, own;
    int est = 0;
    if (hicov_dataset_measure_on(ds, "population", codes[u], y24,
                                 2025 * 12 + 11, NULL, &c, &est, NULL, 0) ==
            HICOV_OK &&
        hicov_dataset_measure(ds, "population", codes[u], y24, NULL, &own,
                              NULL, 0) == HICOV_OK && strcmp(codes[u], "P"))
      FUZZ_ASSERT(c >= own, "%s on later boundaries %lld below its own %lld",
                  codes[u], (long long)c, (long long)own);
    const char *pred[8];
    size_t n = hicov_dataset_predecessors(ds, codes[u], 2024 * 12 + 11,
                                          2025 * 12 + 11, pred, 8);
    FUZZ_ASSERT(n <= 16, "%zu predecessors of %s", n, codes[u]);
  }
  /* The province counts its communes as they were: every split applies
   * only to a commune's comparison, never to the province's sum. */
  int64_t p24;
  int est = 0;
  if (hicov_dataset_measure_on(ds, "population", "P", hicov_period_year(2024),
                               2025 * 12 + 11, NULL, &p24, &est, NULL, 0) ==
      HICOV_OK)
    FUZZ_ASSERT(p24 == 460000 && !est, "P 2024: %lld (estimate %d)",
                (long long)p24, est);
  /* The shares of every divided unit add up to one. */
  size_t ns = hicov_dataset_split_count(ds);
  for (size_t i = 0; i < ns; i++) {
    HicovSplit a;
    FUZZ_ASSERT(hicov_dataset_split(ds, i, &a) == HICOV_OK, "split %zu", i);
    FUZZ_ASSERT(a.share > 0 && a.share <= 1, "share %g", a.share);
    double sum = 0;
    for (size_t k = 0; k < ns; k++) {
      HicovSplit b;
      hicov_dataset_split(ds, k, &b);
      if (!strcmp(a.old_unit, b.old_unit))
        sum += b.share;
    }
    FUZZ_ASSERT(sum > 1 - 1e-9 && sum < 1 + 1e-9, "shares of %s: %g",
                a.old_unit, sum);
  }
  HicovFinding *f = NULL;
  size_t nf = 0;
  FUZZ_ASSERT(hicov_dataset_check(ds, &f, &nf) == HICOV_OK, "check");
  hicov_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  for (int mode = HICOV_LOAD_STRICT; mode <= HICOV_LOAD_LENIENT; mode++) {
    HicovDataset *ds;
    if (hicov_dataset_new(&ds) != HICOV_OK)
      return 0;
    int rc = hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                             sizeof units - 1,
                                             HICOV_LOAD_STRICT);
    FUZZ_ASSERT(rc == HICOV_OK, "units: %s", hicov_dataset_errmsg(ds));
    rc = hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv",
                                             (const char *)data, size, mode);
    fuzz_check_load(ds, rc);
    if (mode == HICOV_LOAD_STRICT && rc != HICOV_OK)
      FUZZ_ASSERT(hicov_dataset_split_count(ds) == 0,
                  "strict failure left %zu splits",
                  hicov_dataset_split_count(ds));
    rc = hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                          sizeof values - 1,
                                          HICOV_LOAD_STRICT);
    FUZZ_ASSERT(rc == HICOV_OK, "values: %s", hicov_dataset_errmsg(ds));
    compare(ds);
    hicov_dataset_free(ds);
  }
  return 0;
}
