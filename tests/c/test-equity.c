/* Equity across units (equity.c) against numbers worked out by hand. */
#include <math.h>

#include "hicov-core.h"
#include "hicov-report.h"
#include "testutil.h"

static void unit(HicovDataset *ds, const char *code, const char *parent,
                 int level)
{
  HicovUnit u;
  memset(&u, 0, sizeof u);
  u.code = code;
  u.name = code;
  u.parent = parent;
  u.level = level;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
}

static void put(HicovDataset *ds, const char *code, const char *measure,
                double v)
{
  CHECK_INT(hicov_dataset_add_value(ds, code, measure, NULL,
                                    hicov_period_year(2024),
                                    (int64_t)llround(v * 100), NULL),
            HICOV_OK);
}

/* Province P with communes A, B, C (used), D (no participants: no value)
 * and E (participants but no population).
 *   A  population 1000, participants  500: y = 50, visits 30
 *   B  population 2000, participants 1600: y = 80, visits 10
 *   C  population 1000, participants  900: y = 90, visits 20 (or 10: tie)
 * W = 4000, p = .25, .5, .25. */
static HicovDataset *fixture(double c_visits)
{
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  hicov_dataset_set_lang(ds, "en");
  unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  const char *c[] = { "A", "B", "C", "D", "E" };
  for (int i = 0; i < 5; i++)
    unit(ds, c[i], "P", HICOV_LEVEL_COMMUNE);
  put(ds, "A", "population", 1000);
  put(ds, "A", "participants", 500);
  put(ds, "A", "visits", 30);
  put(ds, "B", "population", 2000);
  put(ds, "B", "participants", 1600);
  put(ds, "B", "visits", 10);
  put(ds, "C", "population", 1000);
  put(ds, "C", "participants", 900);
  put(ds, "C", "visits", c_visits);
  put(ds, "D", "population", 500);
  put(ds, "E", "participants", 100);
  return ds;
}

static void test_unordered(void)
{
  HicovDataset *ds = fixture(20);
  HicovEquity e;
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, NULL, &e), HICOV_OK);
  CHECK_INT(e.status, HICOV_OK);
  CHECK_INT(e.n_units, 5);
  CHECK_INT(e.n_used, 3);
  CHECK_INT(e.n_excluded, 2);
  CHECK_STR(e.excluded[0].unit, "D");
  CHECK_CONTAINS(e.excluded[0].reason, "no value");
  CHECK_STR(e.excluded[1].unit, "E");
  CHECK_INT(e.direction, 1);
  CHECK_INT(e.ordered, 0);
  CHECK_NEAR(e.population, 4000, 1e-9);
  /* mu = .25 x 50 + .5 x 80 + .25 x 90 = 75 = 3000 / 4000 participants */
  CHECK_NEAR(e.mean, 75, 1e-12);
  CHECK_STR(e.high_unit, "C");
  CHECK_STR(e.low_unit, "A");
  CHECK_NEAR(e.difference, 40, 1e-12);           /* 90 - 50 */
  CHECK_NEAR(e.ratio, 1.8, 1e-12);               /* 90 / 50 */
  /* IDis = (|50-75| + |80-75| + |90-75|) / 3 / 75 x 100 = 15/75 x 100 */
  CHECK_NEAR(e.idis, 20, 1e-12);
  /* IDisW = (.25 x 25 + .5 x 5 + .25 x 15) / 75 x 100 = 12.5/75 x 100 */
  CHECK_NEAR(e.idis_w, 50.0 / 3, 1e-12);
  /* BGV = .25 x 625 + .5 x 25 + .25 x 225 = 156.25 + 12.5 + 56.25 */
  CHECK_NEAR(e.bgv, 225, 1e-9);
  /* Theil = .25 (2/3) ln(2/3) + .5 (16/15) ln(16/15) + .25 (6/5) ln(6/5)
   *       = -0.0675775 + 0.0344205 + 0.0546965 = 0.0215395 */
  CHECK_NEAR(e.theil, 0.0215395, 1e-7);
  /* MLD = -(.25 ln(2/3) + .5 ln(16/15) + .25 ln(6/5))
   *     = -(-0.1013663 + 0.0322693 + 0.0455804) = 0.0235166 */
  CHECK_NEAR(e.mld, 0.0235166, 1e-7);
  CHECK_NEAR(e.par, 15, 1e-12);                  /* best 90 - 75 */
  CHECK_NEAR(e.paf, 20, 1e-12);                  /* 15 / 75 x 100 */
  CHECK(isnan(e.sii) && isnan(e.rii));
  hicov_equity_clear(&e);
  CHECK(e.excluded == NULL && e.n_excluded == 0);

  /* participants has no direction: no PAR; E has a value but no
   * population, so it is left out for that reason. */
  CHECK_INT(hicov_equity(ds, "participants", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, NULL, &e), HICOV_OK);
  CHECK_INT(e.n_used, 3);
  CHECK_INT(e.n_excluded, 2);
  CHECK_STR(e.excluded[1].unit, "E");
  CHECK_CONTAINS(e.excluded[1].reason, "no population");
  CHECK(isnan(e.par) && isnan(e.paf));
  CHECK_INT(e.direction, 0);
  hicov_equity_clear(&e);
  hicov_dataset_free(ds);
}

static void test_ordered(void)
{
  HicovDataset *ds = fixture(20);
  HicovEquity e;
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, "visits", &e),
            HICOV_OK);
  CHECK_INT(e.ordered, 1);
  CHECK_INT(e.n_ordered, 3);
  /* Visits, lowest first: B 10, C 20, A 30.  Ridits: B 1000/4000 = .25,
   * C (2000 + 500)/4000 = .625, A (3000 + 500)/4000 = .875; xbar = .5,
   * ybar = 75.  Per unit of W:
   *   Sxy = .5(-.25)(5) + .25(.125)(15) + .25(.375)(-25) = -2.5
   *   Sxx = .5(.0625) + .25(.015625) + .25(.140625)      = .0703125
   * b = -2.5 / .0703125 = -320/9; a = 75 - b/2 = 835/9;
   * RII = (a + b) / a = 515/835. */
  CHECK_NEAR(e.sii, -320.0 / 9, 1e-9);
  CHECK_NEAR(e.intercept, 835.0 / 9, 1e-9);
  CHECK_NEAR(e.rii, 515.0 / 835, 1e-12);
  hicov_equity_clear(&e);
  hicov_dataset_free(ds);

  /* C with 10 visits ties with B: both get the midpoint of their joint
   * range, 1500/4000 = .375; A .875.  The line through the two groups:
   * (B, C) mean (.5 x 80 + .25 x 90)/.75 = 250/3 at .375, A 50 at .875:
   * b = (50 - 250/3) / .5 = -200/3; a = 75 + 100/3 = 325/3;
   * RII = 125/325 = 5/13. */
  ds = fixture(10);
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, "visits", &e),
            HICOV_OK);
  CHECK_NEAR(e.sii, -200.0 / 3, 1e-9);
  CHECK_NEAR(e.intercept, 325.0 / 3, 1e-9);
  CHECK_NEAR(e.rii, 5.0 / 13, 1e-12);
  hicov_equity_clear(&e);
  hicov_dataset_free(ds);
}

static void test_edges(void)
{
  /* A with y = 0: A 0/1000, B 500/1000.  mu = 25;
   * Theil = .5 x 0 + .5 x 2 ln 2 = ln 2; MLD needs ln 0: NaN; R NaN. */
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  hicov_dataset_set_lang(ds, "en");
  unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  unit(ds, "A", "P", HICOV_LEVEL_COMMUNE);
  unit(ds, "B", "P", HICOV_LEVEL_COMMUNE);
  unit(ds, "C", "P", HICOV_LEVEL_COMMUNE);
  put(ds, "A", "population", 1000);
  put(ds, "A", "participants", 0);
  put(ds, "B", "population", 1000);
  put(ds, "B", "participants", 500);
  put(ds, "C", "population", 0);
  put(ds, "C", "participants", 0);
  HicovEquity e;
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, NULL, &e), HICOV_OK);
  CHECK_INT(e.n_used, 2);
  CHECK_NEAR(e.mean, 25, 1e-12);
  CHECK_NEAR(e.difference, 50, 1e-12);
  CHECK(isnan(e.ratio));
  CHECK_NEAR(e.theil, log(2.0), 1e-12);
  CHECK(isnan(e.mld));
  /* IDis = (25 + 25)/2/25 x 100 = 100 */
  CHECK_NEAR(e.idis, 100, 1e-12);
  hicov_equity_clear(&e);

  /* Ordering by participants: A 0, B 500 (C is not used).  Ridits .25,
   * .75: b = 50 / .5 = 100, a = 25 - 50 = -25: RII undefined. */
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, "participants", &e),
            HICOV_OK);
  CHECK_NEAR(e.sii, 100, 1e-9);
  CHECK(isnan(e.rii));
  hicov_equity_clear(&e);

  /* Fewer than two units: nothing for 2023. */
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2023), NULL, NULL, &e), HICOV_OK);
  CHECK_INT(e.status, HICOV_MISSING);
  CHECK_CONTAINS(e.reason, "fewer than two units");
  CHECK(isnan(e.mean) && isnan(e.theil));
  hicov_equity_clear(&e);

  /* No unit at the level (no district in this province) */
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_DISTRICT,
                         hicov_period_year(2024), NULL, NULL, &e), HICOV_OK);
  CHECK_INT(e.status, HICOV_MISSING);
  CHECK_INT(e.n_units, 0);
  CHECK_CONTAINS(e.reason, "no units at that level exist below P");
  hicov_equity_clear(&e);

  /* Errors */
  CHECK_INT(hicov_equity(ds, "nope", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, NULL, &e),
            HICOV_NOTFOUND);
  CHECK_INT(hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, "nope", &e),
            HICOV_NOTFOUND);
  CHECK_INT(hicov_equity(ds, "coverage_rate", "A", HICOV_LEVEL_PROVINCE,
                         hicov_period_year(2024), NULL, NULL, &e),
            HICOV_INVALID);
  CHECK_INT(hicov_equity(ds, "coverage_rate", "Z", HICOV_LEVEL_COMMUNE,
                         hicov_period_year(2024), NULL, NULL, &e),
            HICOV_NOTFOUND);
  hicov_equity_clear(&e);
  hicov_equity_clear(NULL);
  hicov_dataset_free(ds);
}

/* Out of memory: the three communes, their equity ranked by visits and a
 * report with a target over them, failing the n-th allocation for every
 * n: each failure is HICOV_NOMEM and nothing leaks (ASan at exit). */
static int equity_and_report(void)
{
  static const char *const rows[][3] = {
    { "A", "population", "1000" }, { "A", "participants", "500" },
    { "A", "visits", "30" }, { "B", "population", "2000" },
    { "B", "participants", "1600" }, { "B", "visits", "10" },
    { "C", "population", "1000" }, { "C", "participants", "900" },
    { "C", "visits", "20" },
  };
  HicovDataset *ds = NULL;
  HicovResolution *res = NULL;
  HicovReport *rep = NULL;
  int rc = hicov_dataset_new(&ds);
  HicovUnit u = { "P", "P", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL, 0, 0 };
  if (!rc)
    rc = hicov_dataset_add_unit(ds, &u);
  for (int i = 0; !rc && i < 3; i++) {
    HicovUnit c = { rows[i * 3][0], rows[i * 3][0], "P", HICOV_LEVEL_COMMUNE,
                    0, 0, NULL, 0, 0 };
    rc = hicov_dataset_add_unit(ds, &c);
  }
  for (size_t i = 0; !rc && i < sizeof rows / sizeof rows[0]; i++)
    rc = hicov_dataset_add_value(ds, rows[i][0], rows[i][1], NULL,
                                 hicov_period_year(2024),
                                 atoll(rows[i][2]) * 100, NULL);
  HicovEquity e;
  if (!rc)
    rc = hicov_equity(ds, "coverage_rate", "P", HICOV_LEVEL_COMMUNE,
                      hicov_period_year(2024), NULL, "visits", &e);
  if (!rc) {
    rc = e.status == HICOV_OK ? HICOV_OK : HICOV_MISSING;
    hicov_equity_clear(&e);
  }
  if (!rc)
    rc = hicov_resolution_new("B", "1", "T", 2023, 2025, &res);
  if (!rc) {
    HicovTarget t;
    memset(&t, 0, sizeof t);
    t.indicator = "coverage_rate";
    t.unit = "P";
    t.level = HICOV_LEVEL_COMMUNE;
    t.threshold = 85;
    t.deadline_year = 2025;
    rc = hicov_resolution_add_target(res, &t);
  }
  if (!rc)
    rc = hicov_report_new(ds, res, "vi", &rep);
  hicov_report_free(rep);
  hicov_resolution_free(res);
  hicov_dataset_free(ds);
  return rc;
}

static void test_out_of_memory(void)
{
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(equity_and_report(), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  CHECK(count > 10);
  for (long n = 1; n <= count; n++) {
    hicov_debug_fail_alloc_after(n);
    int rc = equity_and_report();
    hicov_debug_fail_alloc_after(0);
    if (rc != HICOV_OK && rc != HICOV_NOMEM)
      fprintf(stderr, "allocation %ld failed with %s\n", n,
              hicov_status_string(rc));
    CHECK(rc == HICOV_OK || rc == HICOV_NOMEM);
  }
  CHECK_INT(equity_and_report(), HICOV_OK);
}

int main(void)
{
  test_unordered();
  test_ordered();
  test_edges();
  test_out_of_memory();
  return test_finish("test-equity");
}
