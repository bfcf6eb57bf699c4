#include "testutil.h"

int test_failures = 0;
int test_checks = 0;

int test_finish(const char *name)
{
  printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
  return test_failures ? 1 : 0;
}

const char *test_shared_path(const char *rel, char *buf, size_t size)
{
  const char *dir = getenv("HICOV_SHARED_DIR");
  snprintf(buf, size, "%s/%s", dir && *dir ? dir : HICOV_SHARED_DEFAULT, rel);
  return buf;
}
