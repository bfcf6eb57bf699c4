/* Minimal test helpers: no framework, plain asserts that always run. */
#ifndef HICOV_TESTUTIL_H
#define HICOV_TESTUTIL_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int test_failures;
extern int test_checks;

#define CHECK(cond) do { test_checks++; if (!(cond)) { test_failures++; \
  fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); test_checks++; \
  if (_a != _b) { test_failures++; fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", \
  __FILE__, __LINE__, #a, _a, _b); } } while (0)
#define CHECK_NEAR(a, b, tol) do { double _a = (a), _b = (b); test_checks++; \
  if (!(fabs(_a - _b) <= (tol))) { test_failures++; fprintf(stderr, \
  "%s:%d: %s == %.10g, expected %.10g (tol %g)\n", __FILE__, __LINE__, #a, _a, _b, (double)(tol)); } } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); test_checks++; \
  if (!_a || !_b || strcmp(_a, _b) != 0) { test_failures++; fprintf(stderr, \
  "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, _a ? _a : "(null)", _b ? _b : "(null)"); } } while (0)
#define CHECK_CONTAINS(hay, needle) do { const char *_h = (hay), *_n = (needle); test_checks++; \
  if (!_h || !strstr(_h, _n)) { test_failures++; fprintf(stderr, \
  "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, _h ? _h : "(null)", _n); } } while (0)

int test_finish(const char *name);
/* Path of rel inside tests/data (the reference files, with their origin in
 * tests/data/README.md); returns buf. Exits the test with a failure when
 * the file is missing. */
const char *test_data_path(const char *rel, char *buf, size_t size);
#endif
