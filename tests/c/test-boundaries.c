/* Comparisons across the 2025 reform, like for like: a unit compared with
 * the same territory a year earlier (merged units added, split units
 * apportioned by their crosswalk share), series on today's boundaries, the
 * as-published option, and the checks of units.csv and crosswalk.csv.
 * Every expected number is worked out by hand in the comments. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hicov-core.h"
#include "hicov-data.h"
#include "testutil.h"

static HicovDataset *load(const char *units, const char *crosswalk,
                          const char *values)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds))
    return NULL;
  int rc = hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                           strlen(units), HICOV_LOAD_STRICT);
  if (!rc && crosswalk)
    rc = hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", crosswalk,
                                             strlen(crosswalk),
                                             HICOV_LOAD_STRICT);
  if (!rc)
    rc = hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                          strlen(values), HICOV_LOAD_STRICT);
  if (rc) {
    fprintf(stderr, "load: %s\n", hicov_dataset_errmsg(ds));
    hicov_dataset_free(ds);
    return NULL;
  }
  hicov_dataset_set_lang(ds, "en");
  return ds;
}

static HicovResult value(HicovDataset *ds, const char *ind, const char *unit,
                         const char *period)
{
  HicovPeriod p;
  HicovResult r;
  memset(&r, 0, sizeof r);
  CHECK_INT(hicov_period_parse(period, &p), HICOV_OK);
  CHECK_INT(hicov_indicator_value(ds, ind, unit, p, NULL, &r), HICOV_OK);
  return r;
}

static double num(HicovDataset *ds, const char *ind, const char *unit,
                  const char *period)
{
  HicovResult r = value(ds, ind, unit, period);
  if (r.status != HICOV_OK)
    fprintf(stderr, "%s %s %s: %s\n", ind, unit, period, r.reason);
  return r.status == HICOV_OK ? r.value : -1e300;
}

static int month(int y, int m)
{
  return y * 12 + m - 1;
}

/* ---- A merged into B on 2025-07-01 -------------------------------------- */

static const char ab_units[] =
  "code,name,parent,level,valid_to,successor\n"
  "VN,Việt Nam,,country,,\n"
  "A,Tỉnh A,VN,province,2025-07-01,B\n"
  "B,Tỉnh B,VN,province,,\n";

/* 2024: A 360,000 of 400,000 (90%), B 510,000 of 600,000 (85%); together
 * 870,000 of 1,000,000 (87%).  2025: B 909,000 of 1,010,000 (90%).
 * Visits 300,000 + 500,000 = 800,000 in 2024, 840,000 in 2025; cost
 * 600 + 1,100 = 1,700 million (2,125 a visit), 2,016 million (2,400).
 * Months: September 361,000 + 512,000 = 873,000, 916,650 a year later.
 * Year to date (January-October): 250,000 + 400,000 = 650,000 visits,
 * 689,000 a year later. */
static const char ab_values[] =
  "unit,period,measure,value\n"
  "A,2024,population,400000\n"
  "A,2024,participants,360000\n"
  "A,2024,visits,300000\n"
  "A,2024,total_cost,600000000\n"
  "A,2024-09,participants,361000\n"
  "A,2024-01/2024-10,visits,250000\n"
  "B,2024,population,600000\n"
  "B,2024,participants,510000\n"
  "B,2024,visits,500000\n"
  "B,2024,total_cost,1100000000\n"
  "B,2024-09,participants,512000\n"
  "B,2024-01/2024-10,visits,400000\n"
  "B,2025,population,1010000\n"
  "B,2025,participants,909000\n"
  "B,2025,visits,840000\n"
  "B,2025,total_cost,2016000000\n"
  "B,2025-09,participants,916650\n"
  "B,2025-01/2025-10,visits,689000\n"
  "A,2024,patients,1000\n"
  "B,2024,patients,2000\n"
  "B,2025,patients,3100\n";

static void test_merger_years(void)
{
  HicovDataset *ds = load(ab_units, NULL, ab_values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* (909,000 - 870,000) / 870,000 x 100 = 4.4827586...% (B alone in 2024
   * would give 78.2%) */
  CHECK_NEAR(num(ds, "participants_growth", "B", "2025"),
             39000.0 / 870000.0 * 100.0, 1e-9);
  /* 909,000 - 870,000 */
  CHECK_NEAR(num(ds, "participants_change", "B", "2025"), 39000, 1e-6);
  /* 90% - 87% = 3 points (not 90 - 85 = 5) */
  CHECK_NEAR(num(ds, "coverage_change", "B", "2025"), 3.0, 1e-9);
  CHECK_NEAR(num(ds, "coverage_rate_growth", "B", "2025"),
             (90.0 - 87.0) / 87.0 * 100.0, 1e-9);
  /* visits (840,000 - 800,000) / 800,000 = 5% */
  CHECK_NEAR(num(ds, "visits_growth", "B", "2025"), 5.0, 1e-9);
  /* cost growth 316 / 1,700 = 18.588...%: volume 40,000 x 2,125 / 1,700
   * million = 5 points, price 840,000 x 275 / 1,700 million = 13.588 */
  CHECK_NEAR(num(ds, "total_cost_growth", "B", "2025"),
             316.0 / 1700.0 * 100.0, 1e-9);
  CHECK_NEAR(num(ds, "cost_growth_volume", "B", "2025"), 5.0, 1e-9);
  CHECK_NEAR(num(ds, "cost_growth_price", "B", "2025"),
             840000.0 * 275.0 / 1.7e9 * 100.0, 1e-9);
  /* cost per visit 2,400 against 2,125: +12.941...% */
  CHECK_NEAR(num(ds, "cost_per_visit_growth", "B", "2025"),
             275.0 / 2125.0 * 100.0, 1e-9);
  /* Distinct patients cannot be added up over A and B. */
  HicovResult d = value(ds, "patients_growth", "B", "2025");
  CHECK_INT(d.status, HICOV_MISSING);
  CHECK_STR(d.reason, "no comparison value for 2024: no like-for-like "
            "patients: Tỉnh A (merged into Tỉnh B on 2025-07-01), and "
            "distinct counts cannot be added up over units");
  /* The level of 2024 is as published: B alone. */
  CHECK_NEAR(num(ds, "participants", "B", "2024"), 510000, 1e-6);
  CHECK_NEAR(num(ds, "coverage_rate", "B", "2024"), 85.0, 1e-9);
  /* The country adds its provinces as they were: no double count. */
  CHECK_NEAR(num(ds, "participants", "VN", "2024"), 870000, 1e-6);
  CHECK_NEAR(num(ds, "participants_growth", "VN", "2025"),
             39000.0 / 870000.0 * 100.0, 1e-9);
  /* A span: change and CAGR on the later period's boundaries. */
  HicovResult r;
  CHECK_INT(hicov_indicator_change(ds, "participants", "B",
                                   hicov_period_year(2024),
                                   hicov_period_year(2025), NULL, &r),
            HICOV_OK);
  CHECK_NEAR(r.value, 39000, 1e-6);
  CHECK_INT(r.estimate, 0);
  CHECK_INT(hicov_indicator_change(ds, "coverage_rate", "B",
                                   hicov_period_year(2025),
                                   hicov_period_year(2024), NULL, &r),
            HICOV_OK);
  CHECK_NEAR(r.value, -3.0, 1e-9); /* from 2025 back to 2024 */
  CHECK_INT(hicov_indicator_cagr(ds, "participants", "B",
                                 hicov_period_year(2024),
                                 hicov_period_year(2025), NULL, &r),
            HICOV_OK);
  CHECK_NEAR(r.value, 39000.0 / 870000.0 * 100.0, 1e-9);
  /* The measure on 2025's boundaries: 870,000 (hundredths). */
  int64_t c;
  int est = -1;
  CHECK_INT(hicov_dataset_measure_on(ds, "participants", "B",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &c, &est, NULL, 0), HICOV_OK);
  CHECK_INT(c, 87000000);
  CHECK_INT(est, 0);
  /* On the boundaries of a month before the merger: B alone. */
  CHECK_INT(hicov_dataset_measure_on(ds, "participants", "B",
                                     hicov_period_year(2024), month(2025, 6),
                                     NULL, &c, NULL, NULL, 0), HICOV_OK);
  CHECK_INT(c, 51000000);
  /* A series of B on today's boundaries: 2024 is A + B. */
  CHECK_INT(hicov_indicator_value_on(ds, "coverage_rate", "B",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &r), HICOV_OK);
  CHECK_NEAR(r.value, 87.0, 1e-9);
  /* A, merged away, keeps its own history. */
  CHECK_INT(hicov_indicator_value_on(ds, "coverage_rate", "A",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &r), HICOV_OK);
  CHECK_NEAR(r.value, 90.0, 1e-9);

  /* As published: every period on its own boundaries, today's numbers
   * before this rule: (909,000 - 510,000) / 510,000 = 78.235...%. */
  CHECK_INT(hicov_dataset_boundaries(ds), HICOV_BOUNDARIES_TODAY);
  CHECK_INT(hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_AS_PUBLISHED),
            HICOV_OK);
  CHECK_NEAR(num(ds, "participants_growth", "B", "2025"),
             399000.0 / 510000.0 * 100.0, 1e-9);
  CHECK_NEAR(num(ds, "coverage_change", "B", "2025"), 5.0, 1e-9);
  CHECK_INT(hicov_indicator_value_on(ds, "coverage_rate", "B",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &r), HICOV_OK);
  CHECK_NEAR(r.value, 85.0, 1e-9);
  CHECK_INT(hicov_dataset_measure_on(ds, "participants", "B",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &c, NULL, NULL, 0), HICOV_OK);
  CHECK_INT(c, 51000000);
  CHECK_INT(hicov_dataset_set_boundaries(ds, 7), HICOV_INVALID);
  CHECK_INT(hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_TODAY), HICOV_OK);
  CHECK_STR(hicov_boundaries_name(HICOV_BOUNDARIES_AS_PUBLISHED), "as-published");
  CHECK_INT(hicov_boundaries_parse("today"), HICOV_BOUNDARIES_TODAY);
  CHECK_INT(hicov_boundaries_parse("published"), -1);
  CHECK_STR(hicov_boundaries_label(HICOV_BOUNDARIES_TODAY, "vi"),
            "theo địa giới hành chính hiện nay");
  CHECK_STR(hicov_boundaries_label(HICOV_BOUNDARIES_TODAY, "en"),
            "on today's boundaries");
  hicov_dataset_free(ds);
}

static void test_merger_months(void)
{
  HicovDataset *ds = load(ab_units, NULL, ab_values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* September: (916,650 - 873,000) / 873,000 = 5% */
  CHECK_NEAR(num(ds, "participants_growth", "B", "2025-09"), 5.0, 1e-9);
  CHECK_NEAR(num(ds, "participants_change", "B", "2025-09"), 43650, 1e-6);
  /* January-October: (689,000 - 650,000) / 650,000 = 6% */
  CHECK_NEAR(num(ds, "visits_growth", "B", "2025-01/2025-10"), 6.0, 1e-9);
  /* as published: (689,000 - 400,000) / 400,000 = 72.25% */
  hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_AS_PUBLISHED);
  CHECK_NEAR(num(ds, "visits_growth", "B", "2025-01/2025-10"), 72.25, 1e-9);
  hicov_dataset_free(ds);
}

/* A predecessor without a value for the earlier period: the comparison is
 * missing and says which. */
static void test_missing_predecessor(void)
{
  static const char values[] =
    "unit,period,measure,value\n"
    "A,2024,population,400000\n"
    "B,2024,population,600000\n"
    "B,2024,participants,510000\n"
    "B,2025,population,1010000\n"
    "B,2025,participants,909000\n";
  HicovDataset *ds = load(ab_units, NULL, values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  HicovResult r = value(ds, "participants_growth", "B", "2025");
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_STR(r.reason, "no comparison value for 2024: no participants data "
            "for Tỉnh A (merged into Tỉnh B on 2025-07-01) in 2024");
  r = value(ds, "coverage_change", "B", "2025");
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_CONTAINS(r.reason, "Tỉnh A (merged into Tỉnh B on 2025-07-01)");
  /* population is there for both: its growth is like for like,
   * (1,010,000 - 1,000,000) / 1,000,000 = 1% */
  CHECK_NEAR(num(ds, "population_growth", "B", "2025"), 1.0, 1e-9);
  hicov_dataset_set_lang(ds, "vi");
  r = value(ds, "participants_growth", "B", "2025");
  CHECK_STR(r.reason, "không có giá trị so sánh của kỳ 2024: không có số liệu "
            "số người tham gia của Tỉnh A (sáp nhập vào Tỉnh B từ 2025-07-01) "
            "trong kỳ 2024");
  hicov_dataset_free(ds);
}

/* ---- Three levels: c1 into c2 on 2025-07-01, c2 into c3 on 2026-01-01 ---- */

static void test_chain(void)
{
  static const char units[] =
    "code,name,parent,level,valid_to,successor\n"
    "P,Tỉnh,,province,,\n"
    "c1,Xã Một,P,commune,2025-07-01,c2\n"
    "c2,Xã Hai,P,commune,2026-01-01,c3\n"
    "c3,Xã Ba,P,commune,,\n";
  /* 2024: 100 + 200 + 300 = 600.  2025: c2 (with c1) 305, c3 310: 615.
   * 2026: c3 (with both) 630. */
  static const char values[] =
    "unit,period,measure,value\n"
    "c1,2024,population,100\n"
    "c2,2024,population,200\n"
    "c3,2024,population,300\n"
    "c2,2025,population,305\n"
    "c3,2025,population,310\n"
    "c3,2026,population,630\n";
  HicovDataset *ds = load(units, NULL, values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* 2026 against 2025 on 2026's boundaries: c3 + c2 = 615 (c1 is in c2's
   * 2025 value already): (630 - 615) / 615 = 2.439...% */
  CHECK_NEAR(num(ds, "population_growth", "c3", "2026"), 15.0 / 615.0 * 100.0,
             1e-9);
  /* 2025 against 2024 on 2025's boundaries: c2 + c1 = 300 against 305,
   * and c3 alone, 300 against 310 */
  CHECK_NEAR(num(ds, "population_growth", "c2", "2025"), 5.0 / 300.0 * 100.0,
             1e-9);
  CHECK_NEAR(num(ds, "population_growth", "c3", "2025"), 10.0 / 300.0 * 100.0,
             1e-9);
  /* 2024 to 2026 through both mergers: 630 - 600 = 30, and a CAGR of
   * sqrt(630 / 600) - 1 = 2.46950766% a year */
  HicovResult r;
  CHECK_INT(hicov_indicator_change(ds, "population", "c3",
                                   hicov_period_year(2024),
                                   hicov_period_year(2026), NULL, &r),
            HICOV_OK);
  CHECK_NEAR(r.value, 30.0, 1e-9);
  CHECK_INT(hicov_indicator_cagr(ds, "population", "c3",
                                 hicov_period_year(2024),
                                 hicov_period_year(2026), NULL, &r),
            HICOV_OK);
  CHECK_NEAR(r.value, (1.0246950765959599 - 1.0) * 100.0, 1e-9);
  /* The series of c3 on 2026's boundaries: 600, 615, 630. */
  const double want[3] = { 600, 615, 630 };
  for (int y = 2024; y <= 2026; y++) {
    CHECK_INT(hicov_indicator_value_on(ds, "population", "c3",
                                       hicov_period_year(y), month(2026, 12),
                                       NULL, &r), HICOV_OK);
    CHECK_NEAR(r.value, want[y - 2024], 1e-9);
  }
  /* The province adds its communes as they were each year. */
  CHECK_NEAR(num(ds, "population", "P", "2024"), 600, 1e-9);
  CHECK_NEAR(num(ds, "population", "P", "2025"), 615, 1e-9);
  hicov_dataset_free(ds);
}

/* ---- Every level at once: provinces merged, districts abolished,
 * communes merged across the old border ---------------------------------- */

static void test_levels(void)
{
  /* A into B; their districts DA and DB abolished; commune a1 (in A) and
   * b1 (in B) merged into b2, a commune of B formed on the day. */
  static const char units[] =
    "code,name,parent,level,valid_to,successor,valid_from\n"
    "VN,Việt Nam,,country,,,\n"
    "A,Tỉnh A,VN,province,2025-07-01,B,\n"
    "B,Tỉnh B,VN,province,,,\n"
    "DA,Huyện A,A,district,2025-07-01,,\n"
    "DB,Huyện B,B,district,2025-07-01,,\n"
    "a1,Xã A1,DA,commune,2025-07-01,b2,\n"
    "b1,Xã B1,DB,commune,2025-07-01,b2,\n"
    "b2,Xã B2,B,commune,,,2025-07-01\n";
  /* communes only: 2024 a1 90 of 100, b1 170 of 200; 2025 b2 285 of 310 */
  static const char values[] =
    "unit,period,measure,value\n"
    "a1,2024,population,100\n" "a1,2024,participants,90\n"
    "b1,2024,population,200\n" "b1,2024,participants,170\n"
    "b2,2025,population,310\n" "b2,2025,participants,285\n";
  HicovDataset *ds = load(units, NULL, values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* B in 2024 on 2025's boundaries: its district DB (b1) and A (its
   * district DA, a1): 260 of 300; (285 - 260) / 260 = 9.615...% */
  CHECK_NEAR(num(ds, "participants_growth", "B", "2025"), 25.0 / 260.0 * 100,
             1e-9);
  CHECK_NEAR(num(ds, "coverage_change", "B", "2025"),
             285.0 / 310.0 * 100 - 260.0 / 300.0 * 100, 1e-9);
  /* the commune b2, formed from a1 and b1: the same territory */
  CHECK_NEAR(num(ds, "participants_growth", "b2", "2025"),
             25.0 / 260.0 * 100, 1e-9);
  /* levels as published: B in 2024 is DB alone, 170; the country counts
   * A and B once: 260, then 285 */
  CHECK_NEAR(num(ds, "participants", "B", "2024"), 170, 1e-9);
  CHECK_NEAR(num(ds, "participants", "VN", "2024"), 260, 1e-9);
  CHECK_NEAR(num(ds, "participants_growth", "VN", "2025"), 25.0 / 260.0 * 100,
             1e-9);
  /* as published: (285 - 170) / 170 = 67.6% for B */
  hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_AS_PUBLISHED);
  CHECK_NEAR(num(ds, "participants_growth", "B", "2025"),
             115.0 / 170.0 * 100, 1e-9);
  hicov_dataset_free(ds);
}

/* ---- A split: X divided 0.6 to Y and 0.4 to Z (new) on 2025-07-01 ------- */

static const char split_units[] =
  "code,name,parent,level,valid_to,successor,valid_from\n"
  "P,Tỉnh,,province,,,\n"
  "X,Xã Cũ,P,commune,2025-07-01,,\n"
  "Y,Xã Lớn,P,commune,,,\n"
  "Z,Xã Mới,P,commune,,,2025-07-01\n";
static const char split_crosswalk[] =
  "old,new,share,date,basis\n"
  "X,Y,0.6,2025-07-01,population\n"
  "X,Z,0.4,2025-07-01,\n";
/* 2024: X 900 of 1,000, Y 1,700 of 2,000.  2025: Y 2,376 of 2,640 (90%),
 * Z 378 of 420 (90%). */
static const char split_values[] =
  "unit,period,measure,value\n"
  "X,2024,population,1000\n"
  "X,2024,participants,900\n"
  "Y,2024,population,2000\n"
  "Y,2024,participants,1700\n"
  "Y,2025,population,2640\n"
  "Y,2025,participants,2376\n"
  "Z,2025,population,420\n"
  "Z,2025,participants,378\n";

static void test_split(void)
{
  HicovDataset *ds = load(split_units, split_crosswalk, split_values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  CHECK_INT(hicov_dataset_split_count(ds), 2);
  HicovSplit sp;
  CHECK_INT(hicov_dataset_split(ds, 1, &sp), HICOV_OK);
  CHECK_STR(sp.old_unit, "X");
  CHECK_STR(sp.new_unit, "Z");
  CHECK_NEAR(sp.share, 0.4, 1e-12);
  CHECK_INT(sp.month, month(2025, 7));
  CHECK_STR(hicov_split_basis_name(sp.basis), "population");
  /* Y in 2024 on 2025's boundaries: 2,000 + 0.6 x 1,000 = 2,600 people,
   * 1,700 + 0.6 x 900 = 2,240 insured (86.153846...%), an estimate */
  HicovResult r = value(ds, "coverage_change", "Y", "2025");
  CHECK_NEAR(r.value, 90.0 - 2240.0 / 2600.0 * 100.0, 1e-9);
  CHECK_INT(r.estimate, 1);
  r = value(ds, "participants_growth", "Y", "2025");
  CHECK_NEAR(r.value, 136.0 / 2240.0 * 100.0, 1e-9);
  CHECK_INT(r.estimate, 1);
  /* Z, new: 0.4 x 1,000 = 400 people and 360 insured (90%) */
  CHECK_NEAR(num(ds, "coverage_change", "Z", "2025"), 0.0, 1e-9);
  r = value(ds, "participants_growth", "Z", "2025");
  CHECK_NEAR(r.value, 18.0 / 360.0 * 100.0, 1e-9);
  CHECK_INT(r.estimate, 1);
  /* levels: Y's 2025 is its own, no estimate; the province adds X and Y in
   * 2024 (3,000) and Y and Z in 2025 (3,060), none of it an estimate */
  r = value(ds, "population", "Y", "2025");
  CHECK_INT(r.estimate, 0);
  r = value(ds, "population_growth", "P", "2025");
  CHECK_NEAR(r.value, 2.0, 1e-9);
  CHECK_INT(r.estimate, 0);
  int64_t c;
  int est = 0;
  CHECK_INT(hicov_dataset_measure_on(ds, "population", "Y",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &c, &est, NULL, 0), HICOV_OK);
  CHECK_INT(c, 260000);
  CHECK_INT(est, 1);
  /* as published Y is Y alone: (2,376 - 1,700) / 1,700 = 39.76...% */
  hicov_dataset_set_boundaries(ds, HICOV_BOUNDARIES_AS_PUBLISHED);
  r = value(ds, "participants_growth", "Y", "2025");
  CHECK_NEAR(r.value, 676.0 / 1700.0 * 100.0, 1e-9);
  CHECK_INT(r.estimate, 0);
  hicov_dataset_free(ds);

  /* Without X's 2024 participants, Y's comparison is missing and names X. */
  static const char gap[] =
    "unit,period,measure,value\n"
    "X,2024,population,1000\n"
    "Y,2024,participants,1700\n"
    "Y,2025,participants,2376\n";
  ds = load(split_units, split_crosswalk, gap);
  CHECK(ds != NULL);
  if (!ds)
    return;
  r = value(ds, "participants_growth", "Y", "2025");
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_STR(r.reason, "no comparison value for 2024: no participants data for "
            "Xã Cũ (part of it joined Xã Lớn on 2025-07-01) in 2024");
  hicov_dataset_free(ds);
}

/* ---- The checks: with the file, line and column ------------------------- */

static void expect_units(const char *csv, const char *msg)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", csv, strlen(csv),
                                            HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), msg);
  hicov_dataset_free(ds);
  /* lenient: rejected and counted */
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", csv, strlen(csv),
                                            HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK(hicov_dataset_rejection_count(ds) >= 1);
  HicovLoadStats st;
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, st.rows_accepted + st.rows_rejected);
  hicov_dataset_free(ds);
}

static void test_unit_checks(void)
{
  /* a successor formed after the merger date */
  expect_units("code,name,parent,level,valid_to,successor,valid_from\n"
               "P,P,,province,,,\n"
               "A,A,P,commune,2025-07-01,N,\n"
               "N,N,P,commune,,,2026-01-01\n",
               "units.csv line 3, column 6 (successor): the successor 'N' "
               "does not exist on 2025-07-01: it begins on 2026-01-01");
  /* a successor that had ended */
  expect_units("code,name,parent,level,valid_to,successor\n"
               "P,P,,province,,\n"
               "A,A,P,commune,2025-07-01,N\n"
               "N,N,P,commune,2025-01-01,\n",
               "units.csv line 3, column 6 (successor): the successor 'N' "
               "does not exist on 2025-07-01: it ended on 2025-01-01");
  /* a commune outliving its abolished district: overlapping validity */
  expect_units("code,name,parent,level,valid_to\n"
               "P,P,,province,\n"
               "D,D,P,district,2025-07-01\n"
               "C,C,D,commune,\n",
               "units.csv line 4, column 5 (valid_to): the unit has no "
               "valid_to but its parent 'D' ends on 2025-07-01: the validity "
               "of a unit lies within its parent's (give it valid_to and a "
               "successor, or a parent that goes on)");
  expect_units("code,name,parent,level,valid_to\n"
               "P,P,,province,\n"
               "D,D,P,district,2025-07-01\n"
               "C,C,D,commune,2025-08-01\n",
               "units.csv line 4, column 5 (valid_to): the unit ends on "
               "2025-08-01, after its parent 'D' (until 2025-07-01): the "
               "validity of a unit lies within its parent's");
  expect_units("code,name,parent,level,valid_from\n"
               "P,P,,province,2025-07-01\n"
               "C,C,P,commune,2020-01-01\n",
               "units.csv line 3, column 5 (valid_from): the unit begins on "
               "2020-01-01, before its parent 'P' (from 2025-07-01): the "
               "validity of a unit lies within its parent's");
  /* dates compare by the day: ending on the 15th, valid from the 15th */
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  static const char mid[] =
    "code,name,parent,level,tier,valid_to,successor,valid_from\n"
    "P,P,,province,,,,\n"
    "A,A,P,commune,,2025-07-15,N,\n"
    "N,N,P,commune,,,,2025-07-15\n"
    "F,Trạm,A,facility,commune,,,\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", mid, strlen(mid),
                                            HICOV_LOAD_STRICT), HICOV_OK);
  hicov_dataset_free(ds);
  hicov_dataset_new(&ds);
  static const char order[] = "code,name,parent,level,valid_to,valid_from\n"
                              "P,P,,province,2025-07-20,2025-07-15\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", order,
                                            strlen(order), HICOV_LOAD_STRICT),
            HICOV_OK);
  hicov_dataset_free(ds);
  hicov_dataset_new(&ds);
  static const char back[] = "code,name,parent,level,valid_to,valid_from\n"
                             "P,P,,province,2025-07-10,2025-07-15\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", back,
                                            strlen(back), HICOV_LOAD_STRICT),
            HICOV_PARSE);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "valid_to must come after valid_from");
  hicov_dataset_free(ds);
}

static void expect_crosswalk(const char *csv, size_t len, const char *msg)
{
  int header_ok = !strstr(msg, "line 1:");
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", split_units,
                                            strlen(split_units),
                                            HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", csv, len,
                                                HICOV_LOAD_STRICT),
            HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), msg);
  CHECK_INT(hicov_dataset_split_count(ds), 0); /* undone */
  long line;
  int column;
  const char *file, *field;
  hicov_dataset_error_location(ds, &file, &line, &column, &field);
  CHECK_STR(file, "crosswalk.csv");
  hicov_dataset_free(ds);
  if (!header_ok)
    return; /* a header without its columns fails in either mode */
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  hicov_dataset_load_units_buffer(ds, "units.csv", split_units,
                                  strlen(split_units), HICOV_LOAD_STRICT);
  HicovLoadStats before, after;
  hicov_dataset_load_stats(ds, &before);
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", csv, len,
                                                HICOV_LOAD_LENIENT), HICOV_OK);
  hicov_dataset_load_stats(ds, &after);
  CHECK(after.rows_rejected > before.rows_rejected);
  CHECK_INT(after.rows_read - before.rows_read,
            (after.rows_accepted - before.rows_accepted) +
            (after.rows_rejected - before.rows_rejected));
  hicov_dataset_free(ds);
}

#define X(s) s, sizeof s - 1

static void test_crosswalk_checks(void)
{
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,0.6,2025-07-01\n"
                     "X,Z,0.3,2025-07-01\n"),
                   "crosswalk.csv line 2, column 3 (share): the shares of 'X' "
                   "(lines 2, 3) add up to 0.9, expected 1");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,0.6,2025-07-01\n"
                     "X,Z,0.4,2025-08-01\n"),
                   "crosswalk.csv line 3, column 4 (date): 'X' ends on "
                   "2025-07-01 in units.csv, not on the day of its split, "
                   "2025-08-01: its validity would overlap or miss its "
                   "successors'");
  expect_crosswalk(X("old,new,share,date\n"
                     "Y,Z,1,2025-07-01\n"),
                   "crosswalk.csv line 2, column 4 (date): 'Y' is still valid "
                   "after its split on 2025-07-01, which would overlap its "
                   "successors: give it valid_to 2025-07-01 in units.csv");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,1,2025-07-01\n"
                     "X,Y,0,2025-07-01\n"),
                   "crosswalk.csv line 3, column 3 (share): expected a share "
                   "above 0 and at most 1 with at most 6 decimals, such as "
                   "0.25, found '0'");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,0.5,2025-07-01\n"
                     "X,Y,0.5,2025-07-01\n"),
                   "crosswalk.csv line 3, column 2 (new): a share of 'X' for "
                   "'Y' is already given on line 2");
  /* a decimal comma unquoted: a field too many, named as such */
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,1,5,2025-07-01\n"),
                   "crosswalk.csv line 2, column 5: 5 fields where the header "
                   "has 4: a value holding a comma needs quotes "
                   "(\"764,769\")");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,0.1234567,2025-07-01\n"),
                   "crosswalk.csv line 2, column 3 (share): expected a share "
                   "above 0 and at most 1 with at most 6 decimals, such as "
                   "0.25, found '0.1234567'");
  expect_crosswalk(X("old,new,share,date,basis\n"
                     "X,Y,1,2025-07-01,votes\n"),
                   "crosswalk.csv line 2, column 5 (basis): expected "
                   "population, participants, area or households, found "
                   "'votes'");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Q,1,2025-07-01\n"),
                   "crosswalk.csv line 2, column 2 (new): expected a unit "
                   "code from units.csv, found 'Q'");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,X,1,2025-07-01\n"),
                   "crosswalk.csv line 2, column 2 (new): a unit cannot be "
                   "split into itself");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,P,1,2025-07-01\n"),
                   "crosswalk.csv line 2, column 2 (new): a commune can only "
                   "be split into units of its level, found the province 'P'");
  expect_crosswalk(X("old,new,share\n"
                     "X,Y,1\n"),
                   "crosswalk.csv line 1: missing column 'date' in the header");
  /* the CSV reader's strictness: bytes that are not UTF-8, a NUL byte */
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y\xFF,1,2025-07-01\n"),
                   "crosswalk.csv line 2, column 2: byte 0xFF is not UTF-8: save "
                   "the file as UTF-8 (\"CSV UTF-8\" in Excel); Windows-1258 "
                   "and TCVN3 text is not read");
  expect_crosswalk(X("old,new,share,date\n"
                     "X,Y,1\0,2025-07-01\n"),
                   "crosswalk.csv line 2, column 3: a NUL byte (0x00) in the "
                   "text: the file is damaged or not a CSV text file");
  /* a successor that does not exist on the day of the split */
  static const char units[] =
    "code,name,parent,level,valid_to,valid_from\n"
    "P,Tỉnh,,province,,\n"
    "X,Xã Cũ,P,commune,2025-07-01,\n"
    "Z,Xã Mới,P,commune,,2026-01-01\n";
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  hicov_dataset_load_units_buffer(ds, "units.csv", units, strlen(units),
                                  HICOV_LOAD_STRICT);
  static const char late[] = "old,new,share,date\nX,Z,1,2025-07-01\n";
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", late,
                                                strlen(late),
                                                HICOV_LOAD_STRICT),
            HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "crosswalk.csv line 2, column 2 (new): "
            "the successor 'Z' does not exist on 2025-07-01: it begins on "
            "2026-01-01");
  hicov_dataset_free(ds);
  /* a merged unit is not split as well */
  static const char merged[] =
    "code,name,parent,level,valid_to,successor\n"
    "P,Tỉnh,,province,,\n"
    "X,Xã Cũ,P,commune,2025-07-01,Y\n"
    "Y,Xã Lớn,P,commune,,\n";
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  hicov_dataset_load_units_buffer(ds, "units.csv", merged, strlen(merged),
                                  HICOV_LOAD_STRICT);
  static const char both[] = "old,new,share,date\nX,Y,1,2025-07-01\n";
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", both,
                                                strlen(both),
                                                HICOV_LOAD_STRICT),
            HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "crosswalk.csv line 2, column 1 (old): "
            "'X' has a successor in units.csv ('Y'): a unit is either merged "
            "into one unit or split here");
  hicov_dataset_free(ds);
  /* lenient: a unit whose shares do not add up loses all its rows, the
     others stay */
  hicov_dataset_new(&ds);
  hicov_dataset_load_units_buffer(ds, "units.csv", split_units,
                                  strlen(split_units), HICOV_LOAD_STRICT);
  static const char some[] = "old,new,share,date\n"
                             "X,Y,0.5,2025-07-01\n"
                             "X,Z,0.4,2025-07-01\n";
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", some,
                                                strlen(some),
                                                HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_split_count(ds), 0);
  CHECK_INT(hicov_dataset_rejection_count(ds), 2);
  hicov_dataset_free(ds);
}

/* A dataset folder with a crosswalk.csv loads it; one without does not
 * need it. */
static void test_load_dir(void)
{
  char dir[] = "/tmp/hicov-boundaries-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  const char *names[3] = { "units.csv", "values.csv", "crosswalk.csv" };
  const char *texts[3] = { split_units, split_values, split_crosswalk };
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
      fputs(texts[i], f);
      fclose(f);
    }
  }
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_split_count(ds), 2);
  CHECK_INT(value(ds, "coverage_change", "Y", "2025").estimate, 1);
  hicov_dataset_free(ds);
  /* a bad crosswalk undoes the units too */
  snprintf(path, sizeof path, "%s/crosswalk.csv", dir);
  FILE *f = fopen(path, "wb");
  if (f) {
    fputs("old,new,share,date\nX,Y,0.6,2025-07-01\n", f);
    fclose(f);
  }
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "crosswalk.csv line 2, column 3 (share): "
            "the shares of 'X' (lines 2) add up to 0.6, expected 1");
  CHECK_INT(hicov_dataset_unit_count(ds), 0);
  hicov_dataset_free(ds);
  remove(path);
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_split_count(ds), 0);
  hicov_dataset_free(ds);
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    remove(path);
  }
  rmdir(dir);
}

/* A saved dataset keeps its crosswalk and its days: it loads again the
 * same and writes the same bytes. */
static void test_save(void)
{
  static const char units[] =
    "code,name,parent,level,valid_to,successor,valid_from\n"
    "P,Tỉnh,,province,,,\n"
    "X,Xã Cũ,P,commune,2025-07-15,,\n"
    "Y,Xã Lớn,P,commune,,,\n"
    "Z,Xã Mới,P,commune,,,2025-07-15\n";
  static const char crosswalk[] =
    "old,new,share,date,basis\n"
    "X,Y,0.333333,2025-07-15,area\n"
    "X,Z,0.666667,2025-07-15,\n";
  HicovDataset *ds = load(units, crosswalk, split_values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  char *buf = NULL;
  size_t len = 0;
  CHECK_INT(hicov_dataset_crosswalk_csv(ds, &buf, &len), HICOV_OK);
  CHECK_STR(buf, "old,new,share,date,basis\n"
                 "X,Y,0.333333,2025-07-15,area\n"
                 "X,Z,0.666667,2025-07-15,population\n");
  hicov_free(buf);
  CHECK_INT(hicov_dataset_units_csv(ds, &buf, &len), HICOV_OK);
  /* the days as read, not the first of a month */
  CHECK_CONTAINS(buf, "X,Xã Cũ,P,commune,,2025-07-15,,,\n");
  CHECK_CONTAINS(buf, "Z,Xã Mới,P,commune,,,,2025-07-15,\n");
  hicov_free(buf);
  char dir[] = "/tmp/hicov-save-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char err[256];
  CHECK_INT(hicov_dataset_save(ds, dir, err, sizeof err), HICOV_OK);
  HicovDataset *again;
  hicov_dataset_new(&again);
  CHECK_INT(hicov_dataset_load_dir(again, dir, HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_split_count(again), 2);
  /* Y in 2024 on 2025's boundaries: 2,000 + 333.333 people (in
   * hundredths, 1,000 x 0.333333 = 333.33) */
  int64_t c;
  CHECK_INT(hicov_dataset_measure_on(again, "population", "Y",
                                     hicov_period_year(2024), month(2025, 12),
                                     NULL, &c, NULL, NULL, 0), HICOV_OK);
  CHECK_INT(c, 233333);
  char *a = NULL, *b = NULL;
  hicov_dataset_crosswalk_csv(ds, &a, NULL);
  hicov_dataset_crosswalk_csv(again, &b, NULL);
  CHECK_STR(a, b);
  hicov_free(a);
  hicov_free(b);
  hicov_dataset_units_csv(ds, &a, NULL);
  hicov_dataset_units_csv(again, &b, NULL);
  CHECK_STR(a, b);
  hicov_free(a);
  hicov_free(b);
  hicov_dataset_free(again);
  const char *names[3] = { "units.csv", "values.csv", "crosswalk.csv" };
  char path[256];
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    CHECK(remove(path) == 0);
  }
  rmdir(dir);
  hicov_dataset_free(ds);
}

/* ---- Facilities outlive the units they were listed under ----------------- */

/* Province P; district D (abolished on 2025-07-01, no successor) with the
 * district hospital F3 and communes C1 (merged into N1) and C2 (divided:
 * 0.4 to N1, 0.6 to N2); new communes N1 and N2 from 2025-07-01.  Health
 * stations F1 (in C1), F5 (in C2), F2 (in N2), F4 (in N1).  Visits, per
 * facility Fk: k x 100 in 2024-03, k x 10 in 2025-03, k x 1,000 in
 * 2025-09; inpatient visits k x 11 in the year 2025. */
static const char fost_units[] =
  "code,name,parent,level,tier,valid_to,successor,valid_from\n"
  "P,Tỉnh P,,province,,,,\n"
  "D,Huyện D,P,district,,2025-07-01,,\n"
  "C1,Xã C1,D,commune,,2025-07-01,N1,\n"
  "C2,Xã C2,D,commune,,2025-07-01,,\n"
  "N1,Xã N1,P,commune,,,,2025-07-01\n"
  "N2,Xã N2,P,commune,,,,2025-07-01\n"
  "F1,TYT C1,C1,facility,commune,,,\n"
  "F2,TYT N2,N2,facility,commune,,,\n"
  "F3,TTYT D,D,facility,district,,,\n"
  "F4,TYT N1,N1,facility,commune,,,\n"
  "F5,TYT C2,C2,facility,commune,,,\n";

static const char fost_crosswalk[] =
  "old,new,share,date\n"
  "C2,N1,0.4,2025-07-01\n"
  "C2,N2,0.6,2025-07-01\n";

/* How many facilities hicov_dataset_units_at lists below unit in period
 * (-1 on failure). */
static long facilities_below(HicovDataset *ds, const char *unit,
                             const char *period)
{
  HicovPeriod p;
  size_t *idx = NULL, n = 0;
  if (hicov_period_parse(period, &p) != HICOV_OK ||
      hicov_dataset_units_at(ds, HICOV_LEVEL_FACILITY, unit, &p, &idx, &n) !=
          HICOV_OK)
    return -1;
  hicov_free(idx);
  return (long)n;
}

static void test_facilities_reattached(void)
{
  char values[2048] = "unit,period,measure,value\n";
  for (int k = 1; k <= 5; k++) {
    size_t len = strlen(values);
    snprintf(values + len, sizeof values - len,
             "F%d,2024-03,visits,%d\nF%d,2025-03,visits,%d\n"
             "F%d,2025-09,visits,%d\nF%d,2025,inpatient_visits,%d\n", k,
             k * 100, k, k * 10, k, k * 1000, k, k * 11);
  }
  HicovDataset *ds = load(fost_units, fost_crosswalk, values);
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* Before the reform every facility is in the province, N1 and N2 not
   * existing yet: F2 and F4 are held by P.  D holds its own: F1 + F3 + F5. */
  CHECK_NEAR(num(ds, "visits", "P", "2024-03"), 1500, 0);
  CHECK_NEAR(num(ds, "visits", "D", "2024-03"), 100 + 300 + 500, 0);
  CHECK_NEAR(num(ds, "visits", "P", "2025-03"), 150, 0);
  CHECK_NEAR(num(ds, "visits", "D", "2025-03"), 10 + 30 + 50, 0);
  /* After it: F1 goes with C1 to its successor N1 (4,000 + 1,000); the
   * district hospital F3, its district abolished, and F5, its commune
   * divided, are held by the province (a facility is not divided). */
  CHECK_NEAR(num(ds, "visits", "N1", "2025-09"), 5000, 0);
  CHECK_NEAR(num(ds, "visits", "N2", "2025-09"), 2000, 0);
  CHECK_NEAR(num(ds, "visits", "P", "2025-09"), 15000, 0);
  /* The year 2025 ends after the reform: C1 and C2 are summed as parts of
   * N1 and N2 over the whole year, once.  Inpatient visits, N1: F4 44 + F1
   * 11 + 0.4 x F5 55 = 77; N2: F2 22 + 0.6 x 55 = 55; P: those and F3 33
   * = 165, every facility's 2025 once. */
  CHECK_NEAR(num(ds, "inpatient_visits", "N1", "2025"), 77, 0);
  CHECK_NEAR(num(ds, "inpatient_visits", "N2", "2025"), 55, 0);
  CHECK_NEAR(num(ds, "inpatient_visits", "P", "2025"), 165, 0);
  /* The facilities listed below a unit in a period are the ones its totals
   * count: N1 in 2025-09 holds F1 and F4, D none; P in 2024-03 all five,
   * N1 none. */
  CHECK_INT(facilities_below(ds, "N1", "2025-09"), 2);
  CHECK_INT(facilities_below(ds, "D", "2025-09"), 0);
  CHECK_INT(facilities_below(ds, "P", "2024-03"), 5);
  CHECK_INT(facilities_below(ds, "N1", "2024-03"), 0);
  hicov_dataset_free(ds);
}

/* Communes that report their own visits (no facility listed below them)
 * beside communes that report nothing: the silent ones are gaps, not
 * zeros.  D1: A reports 30, B nothing.  D2: C's station F reports 50, E
 * (no facility) nothing, no commune of D2 reporting for itself. */
static const char silent_units[] =
  "code,name,parent,level,tier\n"
  "P,Tỉnh P,,province,\n"
  "D1,Huyện D1,P,district,\n"
  "D2,Huyện D2,P,district,\n"
  "A,Xã A,D1,commune,\n"
  "B,Xã B,D1,commune,\n"
  "C,Xã C,D2,commune,\n"
  "E,Xã E,D2,commune,\n"
  "F,TYT C,C,facility,commune\n";

static void test_silent_areas(void)
{
  HicovDataset *ds = load(silent_units, NULL,
                          "unit,period,measure,value\n"
                          "P,2024,visits,1000\n"
                          "A,2025,visits,30\n"
                          "F,2025,visits,50\n"
                          "F,2025,inpatient_visits,4\n"
                          "A,2025,participants,900\n"
                          "B,2025,participants,800\n");
  CHECK(ds != NULL);
  if (!ds)
    return;
  /* B never reports visits while A does: D1's sum would be A's part */
  HicovResult r = value(ds, "visits", "D1", "2025");
  CHECK_INT(r.status, HICOV_MISSING);
  CHECK_CONTAINS(r.reason, "visits missing for 1 of 2 units below Huyện D1 "
                           "(D1) in 2025 (first: Xã B (B))");
  /* so is the province's, and its growth against its own 2024 figure
     (was 80, -92%: A and F against the whole province) */
  CHECK_INT(value(ds, "visits", "P", "2025").status, HICOV_MISSING);
  CHECK_INT(value(ds, "visits_growth", "P", "2025").status, HICOV_MISSING);
  CHECK_NEAR(num(ds, "visits", "P", "2024"), 1000, 0);
  /* Below facilities silence is a zero: E adds nothing to D2; no commune
     reports inpatient visits, F's 4 are D2's */
  CHECK_NEAR(num(ds, "visits", "D2", "2025"), 50, 0);
  CHECK_NEAR(num(ds, "inpatient_visits", "D2", "2025"), 4, 0);
  /* Stocks were strict already: D1's participants are A + B */
  CHECK_NEAR(num(ds, "participants", "D1", "2025"), 1700, 0);
  hicov_dataset_free(ds);
  /* With B's own visits the sums hold: D1 = 30 + 20, P = 50 + 50 */
  ds = load(silent_units, NULL,
            "unit,period,measure,value\n"
            "A,2025,visits,30\nB,2025,visits,20\nF,2025,visits,50\n");
  CHECK(ds != NULL);
  if (!ds)
    return;
  CHECK_NEAR(num(ds, "visits", "D1", "2025"), 50, 0);
  CHECK_NEAR(num(ds, "visits", "P", "2025"), 100, 0);
  hicov_dataset_free(ds);
}

int main(void)
{
  test_merger_years();
  test_merger_months();
  test_missing_predecessor();
  test_chain();
  test_levels();
  test_split();
  test_facilities_reattached();
  test_silent_areas();
  test_unit_checks();
  test_crosswalk_checks();
  test_load_dir();
  test_save();
  return test_finish("test-boundaries");
}
