#include "testutil.h"

int test_failures = 0;
int test_checks = 0;

int test_finish(const char *name)
{
  printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
  return test_failures ? 1 : 0;
}
