/* The formulas of formula.c, with values worked out by hand. */
#include <math.h>

#include "hicov-core.h"
#include "formula-private.h"
#include "testutil.h"

static void test_growth(void)
{
  /* (x1 - x0) / x0 x 100 */
  CHECK_NEAR(hicov_growth_pct(200, 250), 25, 1e-12);   /* 50 / 200 */
  CHECK_NEAR(hicov_growth_pct(80, 60), -25, 1e-12);    /* -20 / 80 */
  CHECK_NEAR(hicov_growth_pct(3, 4), 100.0 / 3, 1e-12);
  CHECK(hicov_growth_pct(1000, 1000) == 0);
  CHECK_NEAR(hicov_growth_pct(10, 0), -100, 1e-12);
  /* a negative start: the sign is that of (x1 - x0) / x0, not the
     direction (-100 to -50 rose by 50, the formula gives -50) */
  CHECK_NEAR(hicov_growth_pct(-100, -50), -50, 1e-12); /* 50 / -100 */
  CHECK_NEAR(hicov_growth_pct(-100, 100), -200, 1e-12); /* 200 / -100 */
  /* zero start, missing values */
  CHECK(isnan(hicov_growth_pct(0, 5)));
  CHECK(isnan(hicov_growth_pct(0, 0)));
  CHECK(isnan(hicov_growth_pct(NAN, 5)));
  CHECK(isnan(hicov_growth_pct(5, NAN)));
  /* Small growth keeps its digits: 1,042,885 -> 1,070,000 visits is
     27,115 / 1,042,885 = 2.59999904112150437...%; the difference is exact,
     so the result is within an ulp (x1 / x0 - 1 was 1e-14 off). */
  CHECK_NEAR(hicov_growth_pct(1042885, 1070000), 2.5999990411215043729, 1e-15);
}

static void test_change(void)
{
  /* x1 - x0, in the values' unit (points for rates) */
  CHECK(hicov_change(900, 950) == 50);
  CHECK(hicov_change(5, 3) == -2);
  CHECK(hicov_change(-100, -50) == 50);
  CHECK(hicov_change(0, 7) == 7);
  CHECK_NEAR(hicov_change(92.8, 95.0), 2.2, 1e-12);
  CHECK(isnan(hicov_change(NAN, 1)));
  CHECK(isnan(hicov_change(1, NAN)));
}

static void test_cagr(void)
{
  /* ((x1 / x0) ^ (1 / years) - 1) x 100 */
  CHECK_NEAR(hicov_cagr_pct(100, 121, 2), 10, 1e-12);   /* 1.1^2 = 1.21 */
  CHECK_NEAR(hicov_cagr_pct(1000, 1331, 3), 10, 1e-12); /* 1.1^3 = 1.331 */
  CHECK_NEAR(hicov_cagr_pct(160, 250, 2), 25, 1e-12);   /* 1.25^2 = 1.5625 */
  CHECK_NEAR(hicov_cagr_pct(100, 25, 2), -50, 1e-12);   /* 0.5^2 = 0.25 */
  CHECK_NEAR(hicov_cagr_pct(100, 121, 0.5), 46.41, 1e-12); /* 1.21^2 */
  /* one year: the plain growth */
  CHECK_NEAR(hicov_cagr_pct(80, 100, 1), hicov_growth_pct(80, 100), 1e-12);
  CHECK_NEAR(hicov_cagr_pct(80, 100, 1), 25, 1e-12);
  CHECK(hicov_cagr_pct(50, 50, 7) == 0);
  CHECK_NEAR(hicov_cagr_pct(100, 0, 5), -100, 1e-12);   /* 0^(1/5) = 0 */
  /* missing: zero or negative start, negative end, no time */
  CHECK(isnan(hicov_cagr_pct(0, 10, 2)));
  CHECK(isnan(hicov_cagr_pct(-5, 10, 2)));
  CHECK(isnan(hicov_cagr_pct(10, -1, 2)));
  CHECK(isnan(hicov_cagr_pct(10, 20, 0)));
  CHECK(isnan(hicov_cagr_pct(10, 20, -1)));
  CHECK(isnan(hicov_cagr_pct(NAN, 20, 1)));
  CHECK(isnan(hicov_cagr_pct(10, NAN, 1)));
  CHECK(isnan(hicov_cagr_pct(10, 20, NAN)));
}

static void test_required_growth(void)
{
  /* ((target / latest) ^ (1 / years) - 1) x 100 */
  CHECK_NEAR(hicov_required_growth_pct(64, 100, 2), 25, 1e-12); /* 1.25^2 */
  CHECK_NEAR(hicov_required_growth_pct(50, 200, 2), 100, 1e-12); /* 2^2 = 4 */
  /* a falling (at most) target: 125 -> 80 in two years, 0.8^2 = 0.64 */
  CHECK_NEAR(hicov_required_growth_pct(125, 80, 2), -20, 1e-12);
  /* one year left: the plain growth to the target */
  CHECK_NEAR(hicov_required_growth_pct(80, 100, 1), 25, 1e-12);
  CHECK(hicov_required_growth_pct(96, 96, 3) == 0);
  /* missing: no constant growth reaches 0; zero or negative start; no
     time left */
  CHECK(isnan(hicov_required_growth_pct(50, 0, 2)));
  CHECK(isnan(hicov_required_growth_pct(50, -10, 2)));
  CHECK(isnan(hicov_required_growth_pct(0, 98, 2)));
  CHECK(isnan(hicov_required_growth_pct(-3, 98, 2)));
  CHECK(isnan(hicov_required_growth_pct(90, 98, 0)));
  CHECK(isnan(hicov_required_growth_pct(NAN, 98, 2)));
  CHECK(isnan(hicov_required_growth_pct(90, NAN, 2)));
}

static void test_trend(void)
{
  /* a straight line through (2020, 10), (2021, 12), (2022, 14) */
  int y3[] = { 2020, 2021, 2022 };
  double v3[] = { 10, 12, 14 };
  double slope, icept;
  hicov_trend_fit(0, y3, v3, 3, 2022, &slope, &icept);
  CHECK_NEAR(slope, 2, 1e-12);
  CHECK_NEAR(icept, 14, 1e-12);
  CHECK_NEAR(hicov_trend_at(0, icept, slope, 2022, 2025), 20, 1e-12);
  /* least squares: x = -3..0, y = 1, 3, 2, 4; mean x -1.5, mean y 2.5,
     sum dx^2 = 5, sum dx dy = 4: slope 0.8, intercept 2.5 + 0.8 x 1.5 */
  int y4[] = { 2020, 2021, 2022, 2023 };
  double v4[] = { 1, 3, 2, 4 };
  hicov_trend_fit(0, y4, v4, 4, 2023, &slope, &icept);
  CHECK_NEAR(slope, 0.8, 1e-12);
  CHECK_NEAR(icept, 3.7, 1e-12);
  CHECK_NEAR(hicov_trend_at(0, icept, slope, 2023, 2024), 4.5, 1e-12);
  /* the logit scale: 50% is 0, 90% is ln 9, 10% is -ln 9 */
  CHECK_NEAR(hicov_trend_scale(1, 50), 0, 1e-12);
  CHECK_NEAR(hicov_trend_scale(1, 90), log(9), 1e-12);
  CHECK_NEAR(hicov_trend_scale(1, 10), -log(9), 1e-12);
  CHECK_NEAR(hicov_trend_unscale(1, log(9)), 90, 1e-12);
  CHECK(hicov_trend_scale(0, 123.5) == 123.5 && hicov_trend_unscale(0, -7) == -7);
  /* 0% and 100% stay finite: clamped to 1e-6 inside */
  CHECK_NEAR(hicov_trend_scale(1, 100), log(999999), 1e-9);
  CHECK_NEAR(hicov_trend_scale(1, 0), -log(999999), 1e-9);
  /* through 50% (2020) and 90% (2021): slope and intercept ln 9; at 2022
     y = ln 81, so 100 / (1 + 1/81) = 8100 / 82, still below 100 */
  int y2[] = { 2020, 2021 };
  double v2[] = { 50, 90 };
  hicov_trend_fit(1, y2, v2, 2, 2021, &slope, &icept);
  CHECK_NEAR(slope, log(9), 1e-12);
  CHECK_NEAR(icept, log(9), 1e-12);
  CHECK_NEAR(hicov_trend_at(1, icept, slope, 2021, 2022), 8100.0 / 82, 1e-9);
  CHECK_NEAR(hicov_trend_at(1, icept, slope, 2021, 2020), 50, 1e-9);
}

static void test_arrays(void)
{
  /* the public array functions are the same formulas */
  double cur[] = { 250, 60, 5, -50, NAN }, prev[] = { 200, 80, 0, -100, 5 };
  double out[5];
  hicov_growth_array(cur, prev, out, 5);
  CHECK_NEAR(out[0], 25, 1e-12);
  CHECK_NEAR(out[1], -25, 1e-12);
  CHECK(isnan(out[2]));
  CHECK_NEAR(out[3], -50, 1e-12);
  CHECK(isnan(out[4]));
  double a[] = { 100, 80, 0, 100, 100 }, b[] = { 121, 100, 10, -1, 0 };
  double yrs[] = { 2, 1, 2, 2, 5 };
  hicov_cagr_array(a, b, yrs, out, 5);
  CHECK_NEAR(out[0], 10, 1e-12);
  CHECK_NEAR(out[1], 25, 1e-12);
  CHECK(isnan(out[2]) && isnan(out[3]));
  CHECK_NEAR(out[4], -100, 1e-12);
}

int main(void)
{
  test_growth();
  test_change();
  test_cagr();
  test_required_growth();
  test_trend();
  test_arrays();
  return test_finish("test-formula");
}
