/* Targets, status and projections against hand-worked numbers. */
#include "hicov-core.h"
#include "testutil.h"

static void add(HicovDataset *ds, const char *u, int year, const char *m, int64_t centi)
{
  CHECK_INT(hicov_dataset_add_value(ds, u, m, NULL, hicov_period_year(year), centi, NULL), HICOV_OK);
}

static void test_demo(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  CHECK_INT(hicov_dataset_resolution_count(ds), 3);
  HicovAssessment *a;
  size_t n;

  /* Lang Son 2020-2025: 98% by 2025; 2025 estimate 95% -> not achieved,
   * 3 points short; people still needed at the 2025 population:
   * 0.98 x 820,697 - 779,662 = 24,621.06 -> 24,622. */
  const HicovResolution *r0 = hicov_dataset_resolution(ds, 0);
  CHECK_INT(hicov_assess(ds, r0, &a, &n), HICOV_OK);
  CHECK_INT(n, 1);
  CHECK_STR(a[0].unit, "20");
  CHECK_INT(a[0].status, HICOV_TARGET_NOT_ACHIEVED);
  CHECK_INT(a[0].latest_year, 2025);
  CHECK_NEAR(a[0].latest_value, 95.0, 0.005);
  CHECK_NEAR(a[0].gap, 3.0, 0.005);
  CHECK_NEAR(a[0].participants_needed, 24622, 0);
  CHECK_INT(a[0].baseline_year, 2020);
  CHECK_NEAR(a[0].baseline_value, 92.8, 0.005);
  CHECK(isnan(a[0].required_annual_change)); /* deadline reached */
  CHECK_STR(a[0].fit_method, "logit-linear");
  CHECK_INT(a[0].fit_n, 3); /* 2020, 2024, 2025 */
  CHECK_INT(a[0].fit_years[0], 2020);
  CHECK_INT(a[0].fit_years[2], 2025);
  CHECK(a[0].projected_year > 2025);
  CHECK_STR(hicov_target_status_name(a[0].status), "not achieved");
  hicov_free(a);

  /* Next term: over 96% by 2030 from 95% in 2025: 1 point in 5 years,
   * 0.2 points a year, (96/95)^(1/5) - 1 = 0.2096% a year; people:
   * 0.96 x 820,697 - 779,662 = 8,207.12 -> 8,208. */
  CHECK_INT(hicov_assess(ds, hicov_dataset_resolution(ds, 1), &a, &n), HICOV_OK);
  CHECK_INT(n, 1);
  CHECK_NEAR(a[0].gap, 1.0, 0.005);
  CHECK_NEAR(a[0].required_annual_change, 0.2, 0.001);
  CHECK_NEAR(a[0].required_annual_growth, (pow(96 / a[0].latest_value, 0.2) - 1) * 100, 1e-9);
  CHECK_NEAR(a[0].participants_needed, 8208, 0);
  CHECK(a[0].status == HICOV_TARGET_ON_TRACK || a[0].status == HICOV_TARGET_AT_RISK);
  CHECK(a[0].projected_value > 0 && a[0].projected_value < 100);
  hicov_free(a);

  /* The gap at a chosen period (what the dashboard's tile shows):
   * Lang Son 2024: 98 - 94.10005 = 3.89995 points; people:
   * 0.98 x 812,719 - 764,769 = 31,695.62 -> 31,696 (the "about
   * 31,700").  2025 gives what hicov_assess gives. */
  {
    const HicovTarget *t = hicov_resolution_target(r0, 0);
    HicovTargetGap g;
    CHECK_INT(hicov_target_gap(ds, t, "20", hicov_period_year(2024), &g), HICOV_OK);
    CHECK_NEAR(g.value, 94.10005, 0.00001);
    CHECK_NEAR(g.gap, 3.89995, 0.00001);
    CHECK_NEAR(g.participants_needed, 31696, 0);
    CHECK_INT(hicov_target_gap(ds, t, "20", hicov_period_year(2025), &g), HICOV_OK);
    CHECK_NEAR(g.gap, 3.0, 0.005);
    CHECK_NEAR(g.participants_needed, 24622, 0);
    /* no quarterly data in the demo: missing, with the reason */
    CHECK_INT(hicov_target_gap(ds, t, "20", hicov_period_quarter(2024, 2), &g),
              HICOV_MISSING);
    CHECK(isnan(g.gap) && isnan(g.participants_needed));
    CHECK(g.reason[0] != 0);
    CHECK_INT(hicov_target_gap(ds, t, "nowhere", hicov_period_year(2024), &g),
              HICOV_NOTFOUND);
    CHECK_INT(hicov_target_gap(ds, NULL, "20", hicov_period_year(2024), &g),
              HICOV_INVALID);
    /* Hoa Binh 2018, 96.63% against 95%: exceeded by 1.63 points (the
     * gap is negative), nothing needed */
    const HicovTarget *th = hicov_resolution_target(hicov_dataset_resolution(ds, 2), 0);
    CHECK_INT(hicov_target_gap(ds, th, "17", hicov_period_year(2018), &g), HICOV_OK);
    CHECK_NEAR(g.gap, 95 - g.value, 1e-12);
    CHECK_NEAR(g.gap, -1.63, 0.005);
    CHECK_NEAR(g.participants_needed, 0, 0);
  }

  /* Hoa Binh: 96.63% in 2018 against 95% -> achieved. */
  CHECK_INT(hicov_assess(ds, hicov_dataset_resolution(ds, 2), &a, &n), HICOV_OK);
  CHECK_INT(a[0].status, HICOV_TARGET_ACHIEVED);
  CHECK_NEAR(a[0].participants_needed, 0, 0);
  hicov_free(a);
  hicov_dataset_free(ds);
}

static void test_fit(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  HicovUnit p = { "P", "Tỉnh", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL, 0, 0 };
  HicovUnit c1 = { "C1", "Xã 1", "P", HICOV_LEVEL_COMMUNE, 0, 0, NULL, 0, 0 };
  HicovUnit c2 = { "C2", "Xã 2", "P", HICOV_LEVEL_COMMUNE, 0, 0, NULL, 0, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &p), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &c1), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &c2), HICOV_OK);
  /* C1: coverage 50% in 2020, 73.106% in 2021: on the logit scale 0 and
   * ln(0.73106 / 0.26894) = 1.0000029, so the fit is y = 1.0000029 x
   * with x = year - 2021 + 1 ... projected at 2023: 1/(1+e^-3) = 95.257%. */
  add(ds, "C1", 2020, "population", 100000);
  add(ds, "C1", 2020, "participants", 50000);
  add(ds, "C1", 2021, "population", 100000);
  add(ds, "C1", 2021, "participants", 73106);
  double l1 = log(0.73106 / 0.26894);
  /* C2: visits 100, 110, 120 -> a straight line, 150 in 2025. */
  add(ds, "C2", 2020, "visits", 10000);
  add(ds, "C2", 2021, "visits", 11000);
  add(ds, "C2", 2022, "visits", 12000);
  add(ds, "C2", 2022, "population", 100000);
  add(ds, "C2", 2022, "participants", 99000);

  HicovResult r;
  CHECK_INT(hicov_project(ds, "visits", "C2", 2022, 2025, &r), HICOV_OK);
  CHECK_NEAR(r.value, 150, 1e-9);
  CHECK_INT(hicov_project(ds, "coverage_rate", "C1", 2021, 2023, &r), HICOV_OK);
  CHECK_NEAR(r.value, 100 / (1 + exp(-3 * l1)), 1e-9);
  CHECK_INT(hicov_project(ds, "coverage_rate", "C2", 2022, 2023, &r), HICOV_MISSING);
  CHECK_CONTAINS(r.reason, "at least two annual values");

  HicovResolution *res;
  CHECK_INT(hicov_resolution_new("Body", "1/NQ", "Test", 2020, 2025, &res), HICOV_OK);
  HicovTarget t = { "coverage_rate", "C1", -1, 85, HICOV_CMP_AT_LEAST, 2023, 2020, NULL };
  CHECK_INT(hicov_resolution_add_target(res, &t), HICOV_OK);
  HicovTarget t2 = t;
  t2.threshold = 99; /* reached only in 2025: 1/(1+e^-4l) = 98.2%, e^-5l: 99.33% */
  CHECK_INT(hicov_resolution_add_target(res, &t2), HICOV_OK);
  HicovTarget t3 = { "coverage_rate", "P", HICOV_LEVEL_COMMUNE, 90, HICOV_CMP_AT_LEAST, 2025, 0, NULL };
  CHECK_INT(hicov_resolution_add_target(res, &t3), HICOV_OK);
  HicovTarget bad = t;
  bad.indicator = "nope";
  CHECK_INT(hicov_resolution_add_target(res, &bad), HICOV_NOTFOUND);
  bad.indicator = "visits_growth";
  CHECK_INT(hicov_resolution_add_target(res, &bad), HICOV_INVALID);

  HicovAssessment *a;
  size_t n;
  CHECK_INT(hicov_assess(ds, res, &a, &n), HICOV_OK);
  CHECK_INT(n, 4); /* t, t2, and t3 for C1 and C2 */
  CHECK_INT(a[0].status, HICOV_TARGET_ON_TRACK);
  CHECK_NEAR(a[0].projected_value, 100 / (1 + exp(-3 * l1)), 1e-9);
  CHECK_NEAR(a[0].projected_year, 2022, 0); /* 1/(1+e^-2l) = 88.08% >= 85 */
  CHECK_NEAR(a[0].fit_slope, l1, 1e-9);
  CHECK_INT(a[0].fit_origin, 2021);
  CHECK_NEAR(a[0].required_annual_change, (85 - 73.106) / 2, 1e-9);
  CHECK_NEAR(a[0].participants_needed, 119, 0); /* 0.85 x 1000 - 731.06 = 118.94 */
  CHECK_INT(a[1].status, HICOV_TARGET_AT_RISK);
  CHECK_NEAR(a[1].projected_year, 2025, 0);
  CHECK_STR(a[2].unit, "C1");
  CHECK_STR(a[3].unit, "C2");
  CHECK_INT(a[3].status, HICOV_TARGET_ACHIEVED); /* 99% in 2022 */
  CHECK_NEAR(a[3].gap, -9, 1e-9);
  hicov_free(a);

  HicovResolution *copy;
  CHECK_INT(hicov_resolution_copy(res, &copy), HICOV_OK);
  CHECK_INT(hicov_resolution_target_count(copy), 3);
  CHECK_STR(hicov_resolution_number(copy), "1/NQ");
  hicov_resolution_free(copy);
  hicov_resolution_free(res);
  hicov_dataset_free(ds);
}

int main(void)
{
  test_demo();
  test_fit();
  return test_finish("test-assess");
}
