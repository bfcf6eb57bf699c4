/* Fuzz target: units.csv (hicov_dataset_load_units_buffer), strict and
 * lenient, then the tree it built: children, units at each level, values
 * added to every unit and summed up the tree (a parent cycle or a dangling
 * successor must not hang or crash the sums). */
#include "fuzz-common.h"

static const HicovPeriod *periods(size_t *n)
{
  static HicovPeriod p[4];
  p[0] = hicov_period_year(2024);
  p[1] = hicov_period_year(2026);
  p[2] = hicov_period_month(2025, 7);
  p[3] = hicov_period_range(2024 * 12, 2025 * 12 + 9);
  *n = 4;
  return p;
}

static void walk_tree(HicovDataset *ds)
{
  size_t np;
  const HicovPeriod *per = periods(&np);
  size_t nu = hicov_dataset_unit_count(ds);
  for (int level = HICOV_LEVEL_COUNTRY; level <= HICOV_LEVEL_FACILITY; level++)
    for (size_t k = 0; k <= np; k++) {
      size_t *idx = NULL, n = 0;
      int rc = hicov_dataset_units_at(ds, level, NULL, k < np ? &per[k] : NULL,
                                      &idx, &n);
      FUZZ_ASSERT(rc == HICOV_OK, "units_at: %s", hicov_status_string(rc));
      for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT(idx[i] < nu, "units_at index %zu of %zu", idx[i], nu);
      hicov_free(idx);
    }
  size_t *roots = NULL, nr = 0;
  FUZZ_ASSERT(hicov_dataset_children(ds, NULL, NULL, &roots, &nr) == HICOV_OK,
              "children(NULL)");
  hicov_free(roots);

  /* Values on the first units, then totals and rates over all of them. */
  size_t lim = nu < 24 ? nu : 24;
  for (size_t i = 0; i < lim; i++) {
    HicovUnit u;
    FUZZ_ASSERT(hicov_dataset_unit(ds, i, &u) == HICOV_OK, "unit %zu", i);
    FUZZ_ASSERT(u.code && u.name, "unit %zu without code or name", i);
    int64_t k = (int64_t)(i + 1);
    hicov_dataset_add_value(ds, u.code, "population", NULL,
                            hicov_period_year(2024), 100000 * k, NULL);
    hicov_dataset_add_value(ds, u.code, "participants", NULL,
                            hicov_period_year(2024), 90000 * k, NULL);
    hicov_dataset_add_value(ds, u.code, "visits", NULL,
                            hicov_period_month(2025, 8), 700 * k, NULL);
  }
  for (size_t i = 0; i < lim; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, i, &u);
    size_t *kids = NULL, nk = 0;
    int rc = hicov_dataset_children(ds, u.code, &per[0], &kids, &nk);
    FUZZ_ASSERT(rc == HICOV_OK, "children(%s): %s", u.code, hicov_status_string(rc));
    hicov_free(kids);
    for (size_t k = 0; k < np; k++) {
      fuzz_indicator(ds, "coverage_rate", u.code, per[k], NULL);
      fuzz_indicator(ds, "visits", u.code, per[k], NULL);
    }
    int64_t centi;
    char reason[160];
    hicov_dataset_measure(ds, "participants", u.code, per[3], NULL, &centi,
                          reason, sizeof reason);
  }
  HicovFinding *f = NULL;
  size_t nf = 0;
  int rc = hicov_dataset_check(ds, &f, &nf);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_OVERFLOW, "check: %s", hicov_status_string(rc));
  hicov_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  for (int mode = HICOV_LOAD_STRICT; mode <= HICOV_LOAD_LENIENT; mode++) {
    HicovDataset *ds;
    if (hicov_dataset_new(&ds) != HICOV_OK)
      return 0;
    int rc = hicov_dataset_load_units_buffer(ds, "units.csv", text, size, mode);
    fuzz_check_load(ds, rc);
    if (mode == HICOV_LOAD_STRICT && rc != HICOV_OK)
      FUZZ_ASSERT(hicov_dataset_unit_count(ds) == 0,
                  "strict failure left %zu units", hicov_dataset_unit_count(ds));
    if (rc == HICOV_OK)
      walk_tree(ds);
    hicov_dataset_free(ds);
  }
  return 0;
}
