/* Indicators against numbers worked out by hand. */
#include "hicov-core.h"
#include "fixture.h"
#include "testutil.h"

static double value(HicovDataset *ds, const char *ind, const char *unit,
                    const char *period, const char *group)
{
  HicovPeriod p;
  HicovResult r;
  CHECK_INT(hicov_period_parse(period, &p), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, ind, unit, p, group, &r), HICOV_OK);
  if (r.status != HICOV_OK)
    fprintf(stderr, "%s %s %s: missing: %s\n", ind, unit, period, r.reason);
  return r.value;
}

static const char *missing(HicovDataset *ds, const char *ind, const char *unit,
                           const char *period)
{
  static HicovResult r;
  HicovPeriod p;
  hicov_period_parse(period, &p);
  CHECK_INT(hicov_indicator_value(ds, ind, unit, p, NULL, &r), HICOV_OK);
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK(isnan(r.value));
  CHECK(r.reason[0] != '\0');
  return r.reason;
}

static void test_fixture(void)
{
  HicovDataset *ds = fixture_load();
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* A 900/1000 = 90%, B 10/100 = 10%. The group is 910/1100, not the
   * mean of rates (50%). */
  CHECK_NEAR(value(ds, "coverage_rate", "A", "2024", NULL), 90.0, 1e-12);
  CHECK_NEAR(value(ds, "coverage_rate", "B", "2024", NULL), 10.0, 1e-12);
  CHECK_NEAR(value(ds, "coverage_rate", "P", "2024", NULL), 910.0 / 1100 * 100, 1e-12);
  CHECK_NEAR(value(ds, "coverage_rate", "P", "2025", NULL), 1000.0 / 1150 * 100, 1e-12);
  CHECK_NEAR(value(ds, "coverage_change", "P", "2025", NULL),
             1000.0 / 1150 * 100 - 910.0 / 1100 * 100, 1e-12);
  CHECK_NEAR(value(ds, "participants_change", "P", "2025", NULL), 90, 1e-9);
  CHECK_NEAR(value(ds, "participants_growth", "P", "2025", NULL), (1000.0 / 910 - 1) * 100, 1e-12);
  CHECK_NEAR(value(ds, "population_growth", "P", "2025", NULL), (1150.0 / 1100 - 1) * 100, 1e-12);
  CHECK_CONTAINS(missing(ds, "coverage_change", "P", "2024"), "no comparison value for 2023");

  /* Visits 2024: F1 7800 + F2 5000; 2023: F1 7000 only has a year. */
  CHECK_NEAR(value(ds, "visits", "P", "2024", NULL), 12800, 1e-9);
  CHECK_NEAR(value(ds, "visits_growth", "F1", "2024", NULL), (7800.0 / 7000 - 1) * 100, 1e-12);
  CHECK_NEAR(value(ds, "cost_per_visit", "F1", "2024", NULL), 1560000000.50 / 7800, 1e-6);
  CHECK_NEAR(value(ds, "cost_per_participant", "A", "2024", NULL), 1560000000.50 / 900, 1e-6);
  /* Cost growth = volume part + cost-per-visit part:
   * C0 = 1.2e9, V0 = 7000, C1 = 1,560,000,000.50, V1 = 7800.
   * volume = 800 x (1.2e9 / 7000) / 1.2e9 = 11.428571...%;
   * price = 7800 x (C1/7800 - 1.2e9/7000) / 1.2e9 = 18.571428...%. */
  double g = value(ds, "total_cost_growth", "F1", "2024", NULL);
  double vol = value(ds, "cost_growth_volume", "F1", "2024", NULL);
  double price = value(ds, "cost_growth_price", "F1", "2024", NULL);
  CHECK_NEAR(g, (1560000000.50 / 1.2e9 - 1) * 100, 1e-9);
  CHECK_NEAR(vol, 800.0 / 7000 * 100, 1e-9);
  CHECK_NEAR(price, (1560000000.50 - 7800 * (1.2e9 / 7000)) / 1.2e9 * 100, 1e-9);
  CHECK_NEAR(vol + price, g, 1e-9);

  /* Fund: 90% of 2.0e9 = 1.8e9 for the fund, 1.7e9 spent. */
  CHECK_NEAR(value(ds, "fund_balance", "P", "2024", NULL), 100000000, 1e-6);
  CHECK_NEAR(value(ds, "fund_usage", "P", "2024", NULL), 1.7 / 1.8 * 100, 1e-9);
  CHECK_INT(hicov_dataset_set_fund_share(ds, 80), HICOV_OK);
  CHECK_NEAR(hicov_dataset_fund_share(ds), 80, 1e-12);
  CHECK_NEAR(value(ds, "fund_balance", "P", "2024", NULL), -100000000, 1e-6);
  CHECK_NEAR(value(ds, "fund_usage", "P", "2024", NULL), 106.25, 1e-9);
  CHECK_INT(hicov_dataset_set_fund_share(ds, 0), HICOV_INVALID);
  CHECK_INT(hicov_dataset_set_fund_share(ds, 101), HICOV_INVALID);

  /* Inpatients at F2: 500 stays, 3000 days. P's visits include F1's. */
  CHECK_NEAR(value(ds, "avg_length_of_stay", "F2", "2024", NULL), 6.0, 1e-12);
  CHECK_NEAR(value(ds, "inpatient_share", "F2", "2024", NULL), 10.0, 1e-12);
  CHECK_NEAR(value(ds, "inpatient_share", "P", "2024", NULL), 500.0 / 12800 * 100, 1e-12);
  /* Commune-tier share: F1 (commune) 7800 of 12800. */
  CHECK_NEAR(value(ds, "commune_visit_share", "P", "2024", NULL), 7800.0 / 12800 * 100, 1e-12);
  /* Hoa Binh's published check-ins, 8202 of 11268. */
  CHECK_NEAR(value(ds, "checkin_success_rate", "F1", "2024", NULL), 8202.0 / 11268 * 100, 1e-12);
  /* Groups. */
  CHECK_NEAR(value(ds, "participants", "P", "2024", "DN"), 506, 1e-9);
  HicovResult r;
  CHECK_INT(hicov_indicator_value(ds, "participants", "P", hicov_period_year(2024), "ZZ", &r), HICOV_OK);
  CHECK_INT(r.status, HICOV_MISSING);

  /* CAGR over a span: visits F1 7000 -> 7800 in one year. */
  CHECK_INT(hicov_indicator_cagr(ds, "visits", "F1", hicov_period_year(2023),
                                 hicov_period_year(2024), NULL, &r), HICOV_OK);
  CHECK_NEAR(r.value, (7800.0 / 7000 - 1) * 100, 1e-9);
  CHECK_INT(hicov_indicator_change(ds, "coverage_rate", "P", hicov_period_year(2024),
                                   hicov_period_year(2025), NULL, &r), HICOV_OK);
  CHECK_NEAR(r.value, 1000.0 / 1150 * 100 - 910.0 / 1100 * 100, 1e-12);

  CHECK_INT(hicov_indicator_value(ds, "no_such", "P", hicov_period_year(2024), NULL, &r),
            HICOV_NOTFOUND);
  CHECK_INT(hicov_indicator_value(ds, "visits", "nope", hicov_period_year(2024), NULL, &r),
            HICOV_NOTFOUND);
  hicov_dataset_free(ds);
}

/* The demo reproduces the published figures. */
static void test_demo(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  /* Lang Son 2024: 764,769 participants, 94.1% */
  CHECK_NEAR(value(ds, "participants", "20", "2024", NULL), 764769, 0);
  CHECK_NEAR(round(value(ds, "coverage_rate", "20", "2024", NULL) * 10) / 10, 94.1, 1e-9);
  CHECK_NEAR(round(value(ds, "coverage_rate", "20", "2020", NULL) * 10) / 10, 92.8, 1e-9);
  CHECK_NEAR(round(value(ds, "coverage_rate", "20", "2025", NULL) * 10) / 10, 95.0, 1e-9);
  HicovResult r;
  hicov_indicator_change(ds, "coverage_rate", "20", hicov_period_year(2020),
                         hicov_period_year(2025), NULL, &r);
  CHECK_NEAR(round(r.value * 10) / 10, 2.2, 1e-9);
  hicov_indicator_change(ds, "participants", "20", hicov_period_year(2020),
                         hicov_period_year(2025), NULL, &r);
  CHECK_NEAR(r.value, 47662, 1e-9); /* "+47,000 people" */
  CHECK_NEAR(round(value(ds, "visits_growth", "20", "2024", NULL) * 10) / 10, 2.6, 1e-9);
  CHECK_NEAR(round(value(ds, "total_cost_growth", "20", "2024", NULL) * 10) / 10, 13.5, 1e-9);
  /* Quang Ninh, Jan-Oct 2025 against Jan-Oct 2024 */
  CHECK_NEAR(value(ds, "visits", "22", "2025-01/2025-10", NULL), 2293971, 0);
  CHECK_NEAR(round(value(ds, "visits_growth", "22", "2025-01/2025-10", NULL) * 10) / 10, 3.4, 1e-9);
  CHECK_NEAR(round(value(ds, "total_cost_growth", "22", "2025-01/2025-10", NULL) * 10) / 10, 19.6, 1e-9);
  CHECK_NEAR(round(value(ds, "participants_growth", "22", "2025-01/2025-10", NULL) * 100) / 100, 0.38, 1e-9);
  CHECK_NEAR(round(value(ds, "coverage_rate", "22", "2025-10", NULL) * 100) / 100, 94.85, 1e-9);
  /* Hoa Binh */
  CHECK_NEAR(round(value(ds, "coverage_rate", "17", "2018", NULL) * 100) / 100, 96.63, 1e-9);
  CHECK_NEAR(round(value(ds, "coverage_rate", "17", "2009", NULL) * 100) / 100, 67.65, 1e-9);
  CHECK_NEAR(round(value(ds, "checkin_success_rate", "17", "2024", NULL) * 10) / 10, 72.8, 1e-9);
  /* Viet Nam */
  CHECK_NEAR(value(ds, "coverage_rate", "VN", "2015", NULL), 74.7, 1e-4);
  CHECK_NEAR(value(ds, "patients_500m", "VN", "2023-Q1", NULL), 99, 0);
  CHECK_NEAR(value(ds, "patients_1b", "VN", "2023-Q1", NULL), 8, 0);
  /* Synthetic communes sum exactly to the published province total. */
  CHECK_NEAR(value(ds, "participants", "20D03", "2024", NULL) > 0, 1, 0);
  size_t *idx, n;
  HicovPeriod y = hicov_period_year(2024);
  CHECK_INT(hicov_dataset_units_at(ds, HICOV_LEVEL_COMMUNE, "20", &y, &idx, &n), HICOV_OK);
  CHECK_INT(n, 44);
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, idx[i], &u);
    CHECK(u.synthetic);
    sum += value(ds, "participants", u.code, "2024", NULL);
  }
  hicov_free(idx);
  CHECK_NEAR(sum, 764769, 0);
  /* Na Sam commune: 98% */
  CHECK_NEAR(round(value(ds, "coverage_rate", "20X05", "2025", NULL) * 10) / 10, 98.0, 1e-9);
  /* Where values come from. */
  const char *src[4];
  size_t ns;
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "20", hicov_period_year(2025),
                                          NULL, src, 4, &ns), HICOV_OK);
  CHECK_INT(ns, 1);
  CHECK_STR(src[0], "published estimate");
  CHECK_INT(hicov_dataset_measure_sources(ds, "population", "20", hicov_period_year(2024),
                                          NULL, src, 4, &ns), HICOV_OK);
  CHECK_STR(src[0], "derived");
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "20", hicov_period_year(2024),
                                          "DT", src, 4, &ns), HICOV_OK);
  CHECK_INT(ns, 1);
  CHECK_STR(src[0], "synthetic");
  /* a district: the sum of its synthetic communes */
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "20D03", hicov_period_year(2024),
                                          NULL, src, 4, &ns), HICOV_OK);
  CHECK_INT(ns, 1);
  CHECK_STR(src[0], "synthetic");
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "20", hicov_period_year(2021),
                                          NULL, src, 4, &ns), HICOV_MISSING);
  CHECK_INT(ns, 0);
  /* Hoa Binh was merged into Phu Tho, which has no data of its own. */
  hicov_indicator_value(ds, "participants", "25", hicov_period_year(2018), NULL, &r);
  CHECK_INT(r.status, HICOV_MISSING);
  hicov_dataset_free(ds);
}

static void test_arrays(void)
{
  double part[] = { 764769, 10, 5, NAN }, pop[] = { 812720, 0, -1, 100 }, out[4];
  hicov_coverage_rate_array(part, pop, out, 4);
  CHECK_NEAR(out[0], 764769.0 / 812720 * 100, 1e-12);
  CHECK(isnan(out[1]) && isnan(out[2]) && isnan(out[3]));
  double cur[] = { 1070000, 5 }, prev[] = { 1042885, 0 };
  hicov_growth_array(cur, prev, out, 2);
  CHECK_NEAR(out[0], 2.6, 1e-3);
  CHECK(isnan(out[1]));
  double a[] = { 100, 100 }, b[] = { 121, 121 }, yrs[] = { 2, 0 };
  hicov_cagr_array(a, b, yrs, out, 2);
  CHECK_NEAR(out[0], 10.0, 1e-12);
  CHECK(isnan(out[1]));
  double num[] = { 1, 2 }, den[] = { 4, 0 };
  hicov_ratio_array(num, den, 100, out, 2);
  CHECK_NEAR(out[0], 25, 1e-12);
  CHECK(isnan(out[1]));
}

static void test_catalogue(void)
{
  /* Every level indicator has its growth, and names are unique. */
  size_t levels = 0, growths = 0;
  for (size_t i = 0; i < hicov_indicator_count(); i++) {
    const HicovIndicatorInfo *info = hicov_indicator_info(i);
    CHECK(info->formula && info->formula[0]);
    CHECK(hicov_indicator_find(info->name) == info);
    if (info->kind == HICOV_IND_LEVEL) {
      char name[96];
      snprintf(name, sizeof name, "%s_growth", info->name);
      CHECK(hicov_indicator_find(name) != NULL);
      levels++;
    } else if (info->kind == HICOV_IND_GROWTH) {
      growths++;
    }
  }
  CHECK_INT(levels, growths);
  CHECK(hicov_indicator_find("coverage_rate")->is_rate);
  CHECK(hicov_indicator_find("nope") == NULL);
  CHECK_INT(hicov_measure_find("participants"), 1);
  CHECK_INT(hicov_measure_info(1)->kind, HICOV_MEASURE_STOCK);
  CHECK_INT(hicov_measure_info((size_t)hicov_measure_find("visits"))->kind, HICOV_MEASURE_FLOW);
}

static void add(HicovDataset *ds, const char *unit, const char *measure,
                const char *period, int64_t v)
{
  HicovPeriod p;
  CHECK_INT(hicov_period_parse(period, &p), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, unit, measure, NULL, p, v * 100, NULL),
            HICOV_OK);
}

/* quality_findings counts the findings of hicov_dataset_check on a unit
 * and the units below it in the period.  P with communes A and B:
 *  - A, 2023: 1,200 participants against a population of 1,000 (one
 *    finding "participants above population", period 2023);
 *  - B: monthly participants for 2024-01, 02 and 04 (one finding, the
 *    month 2024-03 missing);
 * nothing else is checked by these figures (no own total for P, no annual
 * series of B, fewer than four growths). */
static void test_quality_findings(void)
{
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  HicovUnit p = { .code = "P", .name = "P", .level = HICOV_LEVEL_PROVINCE };
  HicovUnit a = { .code = "A", .name = "A", .parent = "P",
                  .level = HICOV_LEVEL_COMMUNE };
  HicovUnit b = a;
  b.code = b.name = "B";
  CHECK_INT(hicov_dataset_add_unit(ds, &p), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &a), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &b), HICOV_OK);
  add(ds, "A", "population", "2023", 1000);
  add(ds, "A", "participants", "2023", 1200);
  add(ds, "B", "participants", "2024-01", 500);
  add(ds, "B", "participants", "2024-02", 510);
  add(ds, "B", "participants", "2024-04", 530);
  HicovPeriod jan;
  CHECK_INT(hicov_period_parse("2024-01", &jan), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, "B", "participants", "DN", jan, 10000,
                                    NULL), HICOV_OK);
  HicovFinding *f;
  size_t n;
  CHECK_INT(hicov_dataset_check(ds, &f, &n), HICOV_OK);
  CHECK_INT(n, 2);
  hicov_free(f);

  CHECK_NEAR(value(ds, "quality_findings", "A", "2023", NULL), 1, 0);
  CHECK_NEAR(value(ds, "quality_findings", "A", "2024", NULL), 0, 0);
  CHECK_NEAR(value(ds, "quality_findings", "B", "2024", NULL), 1, 0);
  CHECK_NEAR(value(ds, "quality_findings", "B", "2024-03", NULL), 1, 0);
  CHECK_NEAR(value(ds, "quality_findings", "B", "2024-04", NULL), 0, 0);
  CHECK_NEAR(value(ds, "quality_findings", "P", "2023", NULL), 1, 0);
  CHECK_NEAR(value(ds, "quality_findings", "P", "2024", NULL), 1, 0);
  CHECK_NEAR(value(ds, "quality_findings", "P", "2023-01/2024-12", NULL), 2, 0);
  /* 1 finding in 2024 against 1 in 2023: growth 0% */
  CHECK_NEAR(value(ds, "quality_findings_growth", "P", "2024", NULL), 0, 1e-12);
  /* the dataset's months are 2023-01 to 2024-04 */
  CHECK_CONTAINS(missing(ds, "quality_findings", "P", "2022"), "2022");
  CHECK_CONTAINS(missing(ds, "quality_findings", "P", "2025"), "2025");
  HicovResult r;
  HicovPeriod y;
  hicov_period_parse("2024", &y);
  CHECK_INT(hicov_indicator_value(ds, "quality_findings", "P", y, "DN", &r),
            HICOV_OK);
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_CONTAINS(r.reason, "all groups");

  /* A change is seen: the month filled, B has no finding left. */
  add(ds, "B", "participants", "2024-03", 520);
  CHECK_NEAR(value(ds, "quality_findings", "B", "2024", NULL), 0, 0);
  CHECK_NEAR(value(ds, "quality_findings", "P", "2023-01/2024-12", NULL), 1, 0);
  hicov_dataset_free(ds);
}

int main(void)
{
  test_fixture();
  test_quality_findings();
  test_demo();
  test_arrays();
  test_catalogue();
  return test_finish("test-indicators");
}
