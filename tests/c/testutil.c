#include "testutil.h"

int test_failures = 0;
int test_checks = 0;

int test_finish(const char *name)
{
  printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
  return test_failures ? 1 : 0;
}

const char *test_data_path(const char *rel, char *buf, size_t size)
{
  snprintf(buf, size, "%s/%s", HICOV_TEST_DATA, rel);
  FILE *f = fopen(buf, "rb");
  if (!f) { /* a missing reference file fails the test, never skips it */
    fprintf(stderr, "test data missing: %s (see tests/data/README.md)\n", buf);
    exit(1);
  }
  fclose(f);
  return buf;
}
