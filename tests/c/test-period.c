/* Periods: parsing, formatting, classification and shifting. */
#include "hicov-core.h"
#include "testutil.h"

static void roundtrip(const char *text, int kind, int first, int last)
{
  HicovPeriod p;
  char buf[32];
  CHECK_INT(hicov_period_parse(text, &p), HICOV_OK);
  CHECK_INT(p.kind, kind);
  CHECK_INT(p.first, first);
  CHECK_INT(p.last, last);
  CHECK_INT(hicov_period_format(p, buf, sizeof buf), HICOV_OK);
  CHECK_STR(buf, text);
}

int main(void)
{
  roundtrip("2024", HICOV_PERIOD_YEAR, 2024 * 12, 2024 * 12 + 11);
  roundtrip("2024-Q3", HICOV_PERIOD_QUARTER, 2024 * 12 + 6, 2024 * 12 + 8);
  roundtrip("2024-10", HICOV_PERIOD_MONTH, 2024 * 12 + 9, 2024 * 12 + 9);
  roundtrip("2025-01/2025-10", HICOV_PERIOD_RANGE, 2025 * 12, 2025 * 12 + 9);

  HicovPeriod p;
  char buf[32];
  /* a range that spans a whole year is the year */
  CHECK_INT(hicov_period_parse("2024-01/2024-12", &p), HICOV_OK);
  CHECK_INT(p.kind, HICOV_PERIOD_YEAR);
  CHECK_INT(hicov_period_parse("2024-Q1/2024-Q2", &p), HICOV_OK);
  CHECK_INT(p.first, 2024 * 12);
  CHECK_INT(p.last, 2024 * 12 + 5);

  static const char *bad[] = { "", "24", "2024-13", "2024-00", "2024-Q5",
                               "2024-Q0", "2024-1", "2025-10/2025-01",
                               "1800", "2024x", "2024-10/", "abc" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK_INT(hicov_period_parse(bad[i], &p), HICOV_PARSE);
  CHECK_INT(hicov_period_parse(NULL, &p), HICOV_INVALID);

  /* the comparison period a year earlier */
  hicov_period_parse("2025-01/2025-10", &p);
  HicovPeriod q = hicov_period_shift_years(p, -1);
  hicov_period_format(q, buf, sizeof buf);
  CHECK_STR(buf, "2024-01/2024-10");
  CHECK_INT(hicov_period_end_year(p), 2025);

  HicovPeriod y = hicov_period_year(2023);
  hicov_period_format(y, buf, sizeof buf);
  CHECK_STR(buf, "2023");
  hicov_period_format(hicov_period_quarter(2023, 4), buf, sizeof buf);
  CHECK_STR(buf, "2023-Q4");
  hicov_period_format(hicov_period_month(2023, 2), buf, sizeof buf);
  CHECK_STR(buf, "2023-02");
  /* a buffer too small is an error, not a truncated period */
  CHECK_INT(hicov_period_format(y, buf, 3), HICOV_INVALID);
  return test_finish("test-period");
}
