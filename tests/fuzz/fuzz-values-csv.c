/* Fuzz target: values.csv (hicov_dataset_load_values_buffer) into a fixed
 * tree, strict and lenient, then indicators, the quality checks and an
 * assessment on what loaded. */
#include "fuzz-common.h"

static const char *const units[] = { "VN", "P", "D", "C1", "C2", "F1", "F2" };

static void query(HicovDataset *ds)
{
  int m0 = 2024 * 12, m1 = 2024 * 12 + 11;
  int rc = hicov_dataset_month_span(ds, &m0, &m1);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_MISSING, "span: %d", rc);
  if (rc == HICOV_OK)
    FUZZ_ASSERT(m0 <= m1, "span %d..%d", m0, m1);
  int y1 = m1 / 12;
  HicovPeriod per[5] = {
    hicov_period_year(y1), hicov_period_quarter(y1, 1 + (m1 % 12) / 3),
    hicov_period_month(y1, 1 + m1 % 12), hicov_period_range(m0, m1),
    hicov_period_year(y1 - 1),
  };
  const char *group = hicov_dataset_group_count(ds) ? hicov_dataset_group(ds, 0) : NULL;
  /* every indicator for the province */
  for (size_t i = 0; i < hicov_indicator_count(); i++) {
    const HicovIndicatorInfo *info = hicov_indicator_info(i);
    fuzz_indicator(ds, info->name, "P", per[0], NULL);
    if (group)
      fuzz_indicator(ds, info->name, "P", per[0], group);
  }
  /* a few for every unit and period */
  static const char *const few[] = { "coverage_rate", "coverage_rate_growth",
                                     "participants", "visits", "total_cost",
                                     "patients" };
  for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
    for (size_t k = 0; k < 5; k++)
      for (size_t i = 0; i < sizeof few / sizeof few[0]; i++)
        fuzz_indicator(ds, few[i], units[u], per[k], NULL);
  HicovResult r;
  hicov_indicator_change(ds, "coverage_rate", "P", per[4], per[0], NULL, &r);
  hicov_indicator_cagr(ds, "participants", "P", hicov_period_year(y1 - 3),
                       per[0], NULL, &r);

  HicovFinding *f = NULL;
  size_t nf = 0;
  rc = hicov_dataset_check(ds, &f, &nf);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_OVERFLOW, "check: %s", hicov_status_string(rc));
  hicov_free(f);

  HicovResolution *res;
  if (hicov_resolution_new("HĐND", "1/NQ", "fuzz", 2020, 2030, &res) == HICOV_OK) {
    HicovTarget t = { "coverage_rate", "P", -1, 95, HICOV_CMP_AT_LEAST, 2030, 2020, NULL };
    hicov_resolution_add_target(res, &t);
    t.level = HICOV_LEVEL_COMMUNE;
    hicov_resolution_add_target(res, &t);
    HicovAssessment *a = NULL;
    size_t na = 0;
    rc = hicov_assess(ds, res, &a, &na);
    FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_OVERFLOW, "assess: %s", hicov_status_string(rc));
    hicov_free(a);
    hicov_resolution_free(res);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  for (int mode = HICOV_LOAD_STRICT; mode <= HICOV_LOAD_LENIENT; mode++) {
    HicovDataset *ds;
    if (hicov_dataset_new(&ds) != HICOV_OK)
      return 0;
    fuzz_small_tree(ds);
    int rc = hicov_dataset_load_values_buffer(ds, "values.csv", text, size, mode);
    fuzz_check_load(ds, rc);
    if (mode == HICOV_LOAD_STRICT && rc != HICOV_OK) {
      int a, b;
      FUZZ_ASSERT(hicov_dataset_month_span(ds, &a, &b) == HICOV_MISSING,
                  "strict failure left values behind");
      FUZZ_ASSERT(hicov_dataset_group_count(ds) == 0,
                 "strict failure left %zu group(s), first '%s'",
                 hicov_dataset_group_count(ds), hicov_dataset_group(ds, 0));
    }
    if (rc == HICOV_OK)
      query(ds);
    hicov_dataset_free(ds);
  }
  return 0;
}
