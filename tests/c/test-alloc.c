/* Out of memory: fail the n-th allocation for every n over a demo load, a
 * CSV load and an assessment; each failure must be reported cleanly and
 * nothing leaked (AddressSanitizer's leak checker runs at exit). */
#include "hicov-core.h"
#include "fixture.h"
#include "testutil.h"

static int demo_and_assess(void)
{
  HicovDataset *ds;
  int rc = hicov_dataset_new(&ds);
  if (rc)
    return rc;
  rc = hicov_dataset_load_demo(ds);
  if (!rc) {
    HicovAssessment *a;
    size_t n;
    rc = hicov_assess(ds, hicov_dataset_resolution(ds, 0), &a, &n);
    if (!rc)
      hicov_free(a);
  }
  if (!rc) {
    HicovFinding *f;
    size_t n;
    rc = hicov_dataset_check(ds, &f, &n);
    if (!rc)
      hicov_free(f);
  }
  hicov_dataset_free(ds);
  return rc;
}

static int csv_load(void)
{
  HicovDataset *ds;
  int rc = hicov_dataset_new(&ds);
  if (rc)
    return rc;
  rc = hicov_dataset_load_units_buffer(ds, "units.csv", fixture_units,
                                       sizeof fixture_units - 1, HICOV_LOAD_LENIENT);
  if (!rc)
    rc = hicov_dataset_load_values_buffer(ds, "values.csv", fixture_values,
                                          sizeof fixture_values - 1, HICOV_LOAD_STRICT);
  if (!rc) {
    HicovResult r;
    rc = hicov_indicator_value(ds, "commune_visit_share", "P", hicov_period_year(2024), NULL, &r);
  }
  hicov_dataset_free(ds);
  return rc;
}

static void walk(const char *name, int (*fn)(void))
{
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(fn(), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  CHECK(count > 10);
  long failed = 0;
  for (long n = 1; n <= count; n++) {
    hicov_debug_fail_alloc_after(n);
    int rc = fn();
    hicov_debug_fail_alloc_after(0);
    /* every failure is out of memory, or a value reported missing */
    if (rc != HICOV_OK) {
      failed++;
      if (rc != HICOV_NOMEM)
        fprintf(stderr, "%s: allocation %ld failed with %s\n", name, n,
                hicov_status_string(rc));
      CHECK_INT(rc, HICOV_NOMEM);
    }
  }
  printf("%s: %ld allocations, %ld runs failed cleanly\n", name, count, failed);
  CHECK(failed > 0);
  /* and it still works afterwards */
  CHECK_INT(fn(), HICOV_OK);
}

int main(void)
{
  walk("demo+assess+check", demo_and_assess);
  walk("csv load", csv_load);
  return test_finish("test-alloc");
}
