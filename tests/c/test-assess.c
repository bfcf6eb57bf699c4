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

/* ---- Every kind of target, worked by hand ------------------------------- */

static void add_src(HicovDataset *ds, const char *u, int year, const char *m,
                    int64_t whole, const char *source)
{
  CHECK_INT(hicov_dataset_add_value(ds, u, m, NULL, hicov_period_year(year),
                                    whole * 100, source), HICOV_OK);
}

static void add_unit(HicovDataset *ds, const char *code, const char *parent,
                     int level)
{
  HicovUnit u = { code, code, parent, level, 0, 0, NULL, 0, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
}

/* Coverage of unit u in year y as participants of 100,000 people, in
 * hundredths of a percent (9450 = 94.5%). */
static void coverage(HicovDataset *ds, const char *u, int y, int64_t bp,
                     const char *source)
{
  add_src(ds, u, y, "population", 100000, "test");
  add_src(ds, u, y, "participants", bp * 10, source);
}

static HicovResolution *one_target(const HicovTarget *t)
{
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("Sở Y tế", "1/NQ", "Test", 2020, 2030, &r),
            HICOV_OK);
  CHECK_INT(hicov_resolution_add_target(r, t), HICOV_OK);
  return r;
}

static HicovAssessment assess_single(HicovDataset *ds, const HicovTarget *t)
{
  HicovResolution *r = one_target(t);
  HicovAssessment *a = NULL, out;
  size_t n = 0;
  memset(&out, 0, sizeof out);
  CHECK_INT(hicov_assess(ds, r, &a, &n), HICOV_OK);
  CHECK_INT(n, 1);
  if (n == 1)
    out = a[0];
  hicov_free(a);
  hicov_resolution_free(r);
  return out;
}

/* Caps: cost per visit 1.00, 1.05, 1.10, 1.15, 1.20 million in 2021-2025
 * (visits 1,000 a year).  The straight line is +50,000 a year: 1.45
 * million in 2030. */
static void test_caps(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  for (int y = 2021; y <= 2025; y++) {
    add_src(ds, "P", y, "visits", 1000, "test");
    add_src(ds, "P", y, "total_cost",
            (1000000 + 50000 * (int64_t)(y - 2021)) * 1000, "test");
  }
  /* At most 1,300,000 by 2030: met in 2025 (1.2 million, 100,000 under),
   * but the trend reaches 1.35 million in 2028: at risk, broken in 2028. */
  HicovTarget cap = { "cost_per_visit", "P", -1, 1300000, HICOV_CMP_AT_MOST,
                      2030, 0, NULL, HICOV_TARGET_KIND_LEVEL, 0 };
  HicovAssessment a = assess_single(ds, &cap);
  CHECK_INT(a.status, HICOV_TARGET_AT_RISK);
  CHECK_INT(a.latest_year, 2025);
  CHECK_NEAR(a.measure_value, 1200000, 1e-6);
  CHECK_NEAR(a.gap, -100000, 1e-6);         /* 1.2 - 1.3 million */
  CHECK_NEAR(a.deadline_level, 1300000, 0);
  CHECK_NEAR(a.projected_value, 1450000, 1e-6);
  CHECK_INT(a.break_year, 2028);            /* 2027: 1.30 exactly, met */
  /* the most it may still rise: (1.3 - 1.2 million) / 5 years */
  CHECK_NEAR(a.required_annual_change, 20000, 1e-6);
  CHECK_NEAR(a.required_annual_growth, 1.6137364741595661, 1e-9);
  CHECK(isnan(a.participants_needed));
  /* At most 1,500,000: the trend stays under it through 2030. */
  cap.threshold = 1500000;
  a = assess_single(ds, &cap);
  CHECK_INT(a.status, HICOV_TARGET_ON_TRACK);
  CHECK_INT(a.break_year, 0);
  /* At most 1,100,000: broken now, still broken by the trend in 2030. */
  cap.threshold = 1100000;
  a = assess_single(ds, &cap);
  CHECK_INT(a.status, HICOV_TARGET_AT_RISK);
  CHECK_NEAR(a.gap, 100000, 1e-6);
  CHECK_NEAR(a.required_annual_change, -20000, 1e-6); /* must fall */
  /* At most 1,150,000 by 2024: the deadline year's 1.15 million meets it,
   * 2025's 1.2 million is after the deadline. */
  cap.threshold = 1150000;
  cap.deadline_year = 2024;
  a = assess_single(ds, &cap);
  CHECK_INT(a.status, HICOV_TARGET_ACHIEVED);
  CHECK_INT(a.latest_year, 2024);
  hicov_dataset_free(ds);
}

/* Growth: cost per visit 1.00, 1.04, 1.10, 1.15 million in 2020-2023.
 * Average growth 2020-2023: 1.15^(1/3) - 1 = 4.768955%.  The line through
 * them (x = year - 2023): slope 0.255 / 5 = 0.051 million, 1.149 million
 * at 2023: 1.200 in 2024, 1.251 in 2025; average growth 2020-2024
 * 1.2^(1/4) - 1 = 4.663514%, 2020-2025 1.251^(1/5) - 1 = 4.580680%. */
static void test_growth(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  static const int64_t cpv[] = { 1000000, 1040000, 1100000, 1150000 };
  for (int y = 2020; y <= 2023; y++) {
    add_src(ds, "P", y, "visits", 1000, "test");
    add_src(ds, "P", y, "total_cost", cpv[y - 2020] * 1000, "test");
  }
  HicovTarget g = { "cost_per_visit", "P", -1, 5, HICOV_CMP_AT_MOST, 2025,
                    2020, NULL, HICOV_TARGET_KIND_GROWTH, 0 };
  HicovAssessment a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_ON_TRACK);
  CHECK_NEAR(a.measure_value, 4.768955317164725, 1e-9);
  CHECK_NEAR(a.gap, 4.768955317164725 - 5, 1e-9);
  CHECK_NEAR(a.projected_value, 1251000, 1e-6);
  CHECK_NEAR(a.projected_measure, 4.580680140862592, 1e-9);
  CHECK_INT(a.break_year, 0);
  /* the level 5% a year allows in 2025: 1,000,000 x 1.05^5 */
  CHECK_NEAR(a.deadline_level, 1276281.5625, 1e-6);
  CHECK_NEAR(a.required_annual_change, (1276281.5625 - 1150000) / 2, 1e-6);
  CHECK_NEAR(a.required_annual_growth, 5.3475227211265075, 1e-9);
  /* 4.6% a year: broken now (4.77%), back under it by 2025 (4.58%). */
  g.threshold = 4.6;
  a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_ON_TRACK);
  CHECK(a.gap > 0);
  /* 4.5%: broken now and still in 2025: at risk. */
  g.threshold = 4.5;
  a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_AT_RISK);
  /* 4.8%: met now and by the trend in 2024 (4.66%) and 2025 (4.58%).  As
   * a floor, 4% a year is on track (4.58% at the deadline), 5% at risk:
   * an average growth is never achieved before its deadline. */
  g.threshold = 4.8;
  a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_ON_TRACK);
  g.comparison = HICOV_CMP_AT_LEAST;
  g.threshold = 4;
  a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_ON_TRACK); /* 4.58% >= 4%, not yet due */
  g.threshold = 5;
  a = assess_single(ds, &g);
  CHECK_INT(a.status, HICOV_TARGET_AT_RISK);
  /* A growth target needs its baseline year. */
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("B", "N", NULL, 2020, 2025, &r), HICOV_OK);
  g.baseline_year = 0;
  CHECK_INT(hicov_resolution_add_target(r, &g), HICOV_INVALID);
  g.baseline_year = 2025;
  CHECK_INT(hicov_resolution_add_target(r, &g), HICOV_INVALID);
  hicov_resolution_free(r);
  hicov_dataset_free(ds);
}

/* Coverage: estimates, late attainment, a change, a missing final year. */
static void test_verdicts(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  add_unit(ds, "A", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "B", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "L", NULL, HICOV_LEVEL_PROVINCE);
  /* A: 93.0, 94.0, 94.5, 94.8, 95.2, 96.0% in 2020-2025, 2025 an
   * estimate; B: 90.0 ... 92.5% in 2020-2024, no 2025. */
  static const int64_t ca[] = { 9300, 9400, 9450, 9480, 9520, 9600 };
  static const int64_t cb[] = { 9000, 9100, 9200, 9250, 9250 };
  for (int y = 2020; y <= 2025; y++)
    coverage(ds, "A", y, ca[y - 2020], y == 2025 ? "published estimate"
                                                 : "published");
  for (int y = 2020; y <= 2024; y++)
    coverage(ds, "B", y, cb[y - 2020], "published");
  /* L: 94.0 in 2023, 94.6% in 2024 (an estimate). */
  coverage(ds, "L", 2023, 9400, "published");
  coverage(ds, "L", 2024, 9460, "ước tính");

  /* An estimated final year: at least 95% by 2024, 94.6% estimated: not
   * achieved, estimated ("ước không đạt"); at least 94%: estimated
   * achieved. */
  HicovTarget t = { "coverage_rate", "L", -1, 95, HICOV_CMP_AT_LEAST, 2024,
                    0, NULL, HICOV_TARGET_KIND_LEVEL, 0 };
  HicovAssessment a = assess_single(ds, &t);
  CHECK_INT(a.status, HICOV_TARGET_NOT_ACHIEVED);
  CHECK_INT(a.estimated, 1);
  CHECK_STR(hicov_status_label_full(a.status, a.estimated, a.achieved_year,
                                    "vi"), "Ước không đạt");
  CHECK_NEAR(a.participants_needed, 400, 0); /* 95,000 - 94,600 */
  t.threshold = 94;
  a = assess_single(ds, &t);
  CHECK_INT(a.status, HICOV_TARGET_ACHIEVED);
  CHECK_STR(hicov_status_label_full(a.status, a.estimated, 0, "vi"),
            "Ước đạt");
  CHECK_STR(hicov_status_label_full(a.status, a.estimated, 0, "en"),
            "Estimated achieved");

  /* Late: at least 95% by 2022 for A: 94.5% in 2022, not achieved; first
   * met in 2024 (95.2%), two years late. */
  t.unit = "A";
  t.threshold = 95;
  t.deadline_year = 2022;
  a = assess_single(ds, &t);
  CHECK_INT(a.status, HICOV_TARGET_NOT_ACHIEVED);
  CHECK_INT(a.latest_year, 2022);
  CHECK_NEAR(a.gap, 0.5, 1e-9);
  CHECK_INT(a.achieved_year, 2024);
  CHECK_INT(a.estimated, 0);
  CHECK_STR(hicov_status_label_full(a.status, 0, 1, "vi"), "Đạt muộn");

  /* A change: up by at least 2.5 points from 2020 (93%) by 2025: 2025's
   * 96% is 3.0 points up: achieved, on an estimate. */
  HicovTarget c = { "coverage_rate", "A", -1, 2.5, HICOV_CMP_AT_LEAST, 2025,
                    2020, NULL, HICOV_TARGET_KIND_CHANGE, 0 };
  a = assess_single(ds, &c);
  CHECK_INT(a.status, HICOV_TARGET_ACHIEVED);
  CHECK_NEAR(a.measure_value, 3.0, 1e-9);
  CHECK_NEAR(a.gap, -0.5, 1e-9); /* exceeded: 2.5 - 3.0 */
  CHECK_NEAR(a.deadline_level, 95.5, 1e-9);
  CHECK_INT(a.estimated, 1);
  /* up by 3.5 points by 2026: 3.0 so far, needs 96.5% (500 more people). */
  c.threshold = 3.5;
  c.deadline_year = 2026;
  a = assess_single(ds, &c);
  CHECK_NEAR(a.gap, 0.5, 1e-9);
  CHECK_NEAR(a.participants_needed, 500, 0);
  CHECK_NEAR(a.required_annual_change, 0.5, 1e-9); /* 96.5 - 96.0, 1 year */
  HicovTargetGap g;
  CHECK_INT(hicov_target_gap(ds, &c, "A", hicov_period_year(2024), &g),
            HICOV_OK);
  CHECK_NEAR(g.gap, 3.5 - 2.2, 1e-9); /* 95.2 - 93.0 = 2.2 points */
  CHECK_NEAR(g.participants_needed, 1300, 0); /* 96.5% - 95.2% of 100,000 */

  /* A missing final year: P's coverage is the sum of A and B, and B has
   * no 2025: the assessment falls back to 2024 and says why. */
  HicovTarget p = { "coverage_rate", "P", -1, 98, HICOV_CMP_AT_LEAST, 2030,
                    0, NULL, HICOV_TARGET_KIND_LEVEL, 0 };
  a = assess_single(ds, &p);
  CHECK_INT(a.latest_year, 2024);
  CHECK_NEAR(a.latest_value, (95.2 + 92.5) / 2, 1e-9);
  CHECK_INT(a.wanted_year, 2025);
  CHECK_CONTAINS(a.fallback_reason, "B");
  /* and the quality checks flag B's missing 2025 */
  HicovFinding *f = NULL;
  size_t nf = 0, flagged = 0;
  CHECK_INT(hicov_dataset_check(ds, &f, &nf), HICOV_OK);
  for (size_t i = 0; i < nf; i++)
    if (f[i].kind == HICOV_FINDING_MISSING_YEAR && !strcmp(f[i].unit, "B") &&
        hicov_period_end_year(f[i].period) == 2025)
      flagged++;
  CHECK(flagged >= 1);
  hicov_free(f);
  hicov_dataset_free(ds);
}

/* Targets over units: every commune, a share of them, and levels that
 * cannot be below the unit. */
static void test_over_units(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  add_unit(ds, "C1", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "C2", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "C3", "P", HICOV_LEVEL_COMMUNE);
  /* 2024: C1 96%, C2 95%, C3 90% (falling from 92%). */
  coverage(ds, "C1", 2023, 9500, "p");
  coverage(ds, "C1", 2024, 9600, "p");
  coverage(ds, "C2", 2023, 9400, "p");
  coverage(ds, "C2", 2024, 9500, "p");
  coverage(ds, "C3", 2023, 9200, "p");
  coverage(ds, "C3", 2024, 9000, "p");
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("HĐND", "2/NQ", NULL, 2020, 2025, &r),
            HICOV_OK);
  /* every commune at least 95% by 2025: 2 of 3 achieved, C3 at risk */
  HicovTarget all = { "coverage_rate", "P", HICOV_LEVEL_COMMUNE, 95,
                      HICOV_CMP_AT_LEAST, 2025, 0, NULL,
                      HICOV_TARGET_KIND_LEVEL, 0 };
  HicovTarget share = all;
  share.units_share = 60; /* ceil(0.6 x 3) = 2 communes */
  CHECK_INT(hicov_resolution_add_target(r, &all), HICOV_OK);
  CHECK_INT(hicov_resolution_add_target(r, &share), HICOV_OK);
  HicovAssessment *a;
  size_t n;
  CHECK_INT(hicov_assess(ds, r, &a, &n), HICOV_OK);
  CHECK_INT(n, 6);
  HicovTargetVerdict v;
  CHECK_INT(hicov_target_verdict(r, 0, a, n, &v), HICOV_OK);
  CHECK_INT(v.units, 3);
  CHECK_INT(v.needed, 3);
  CHECK_INT(v.by_status[HICOV_TARGET_ACHIEVED], 2);
  CHECK_INT(v.by_status[HICOV_TARGET_AT_RISK], 1);
  CHECK_INT(v.status, HICOV_TARGET_AT_RISK);
  CHECK_INT(hicov_target_verdict(r, 1, a, n, &v), HICOV_OK);
  CHECK_INT(v.needed, 2);
  CHECK_INT(v.status, HICOV_TARGET_ACHIEVED);
  CHECK_INT(hicov_target_verdict(r, 2, a, n, &v), HICOV_INVALID);
  hicov_free(a);
  /* a share is a percentage, for targets over units */
  HicovTarget bad = share;
  bad.units_share = 120;
  CHECK_INT(hicov_resolution_add_target(r, &bad), HICOV_INVALID);
  bad = all;
  bad.level = -1;
  bad.units_share = 50;
  CHECK_INT(hicov_resolution_add_target(r, &bad), HICOV_INVALID);
  hicov_resolution_free(r);

  /* "Provinces of a province": an error naming the file and line. */
  CHECK_INT(hicov_resolution_new("HĐND", "3/NQ", NULL, 2020, 2025, &r),
            HICOV_OK);
  HicovTarget wrong = all;
  wrong.level = HICOV_LEVEL_PROVINCE;
  CHECK_INT(hicov_resolution_add_target(r, &wrong), HICOV_OK);
  CHECK_INT(hicov_resolution_set_source(r, "nq.xml"), HICOV_OK);
  CHECK_INT(hicov_resolution_set_target_line(r, 0, 12), HICOV_OK);
  CHECK_INT(hicov_resolution_target_line(r, 0), 12);
  CHECK_INT(hicov_assess(ds, r, &a, &n), HICOV_INVALID);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "nq.xml line 12: target 1");
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "province");
  HicovResolution *copy;
  CHECK_INT(hicov_resolution_copy(r, &copy), HICOV_OK);
  CHECK_INT(hicov_resolution_target_line(copy, 0), 12);
  CHECK_STR(hicov_resolution_source(copy), "nq.xml");
  hicov_resolution_free(copy);
  hicov_resolution_free(r);
  /* A level below with no unit there: facilities of P. */
  CHECK_INT(hicov_resolution_new("HĐND", "4/NQ", NULL, 2020, 2025, &r),
            HICOV_OK);
  wrong.level = HICOV_LEVEL_FACILITY;
  CHECK_INT(hicov_resolution_add_target(r, &wrong), HICOV_OK);
  CHECK_INT(hicov_assess(ds, r, &a, &n), HICOV_MISSING);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "target 1");
  hicov_resolution_free(r);
  hicov_dataset_free(ds);
}

int main(void)
{
  test_demo();
  test_fit();
  test_caps();
  test_growth();
  test_verdicts();
  test_over_units();
  return test_finish("test-assess");
}
