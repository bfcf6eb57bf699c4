/* Loading, rejection, and the aggregation rules for stocks and flows. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>

#include "hicov-core.h"
#include "dataset-private.h"
#include "hicov-data.h"
#include "fixture.h"
#include "testutil.h"

static int64_t total(HicovDataset *ds, const char *m, const char *u,
                     const char *period, const char *group, int expect_rc,
                     char *reason)
{
  HicovPeriod p;
  int64_t v = -1;
  char r[160];
  CHECK_INT(hicov_period_parse(period, &p), HICOV_OK);
  int rc = hicov_dataset_measure(ds, m, u, p, group, &v, r, sizeof r);
  if (rc != expect_rc)
    fprintf(stderr, "%s %s %s: rc %d (%s)\n", m, u, period, rc, r);
  CHECK_INT(rc, expect_rc);
  if (reason)
    strcpy(reason, r);
  return v;
}

static void test_units(HicovDataset *ds)
{
  CHECK_INT(hicov_dataset_unit_count(ds), 7);
  size_t i;
  HicovUnit u;
  CHECK_INT(hicov_dataset_find_unit(ds, "P", &i), HICOV_OK);
  hicov_dataset_unit(ds, i, &u);
  CHECK_STR(u.name, "Tỉnh Thử, mẫu"); /* BOM, CRLF, quoted comma */
  CHECK_INT(u.level, HICOV_LEVEL_PROVINCE);
  CHECK_INT(hicov_dataset_find_unit(ds, "F1", &i), HICOV_OK);
  hicov_dataset_unit(ds, i, &u);
  CHECK_INT(u.tier, HICOV_TIER_COMMUNE);
  CHECK_STR(u.parent, "A");
  CHECK_INT(hicov_dataset_find_unit(ds, "ZZ", &i), HICOV_NOTFOUND);

  /* Communes of P at the end of 2024: A and B (through D1); N from 2025. */
  size_t *idx, n;
  HicovPeriod y24 = hicov_period_year(2024), y26 = hicov_period_year(2026);
  CHECK_INT(hicov_dataset_units_at(ds, HICOV_LEVEL_COMMUNE, "P", &y24, &idx, &n), HICOV_OK);
  CHECK_INT(n, 2);
  if (n == 2) {
    hicov_dataset_unit(ds, idx[0], &u);
    CHECK_STR(u.code, "A");
  }
  hicov_free(idx);
  CHECK_INT(hicov_dataset_units_at(ds, HICOV_LEVEL_COMMUNE, "P", &y26, &idx, &n), HICOV_OK);
  CHECK_INT(n, 1);
  if (n == 1) {
    hicov_dataset_unit(ds, idx[0], &u);
    CHECK_STR(u.code, "N");
  }
  hicov_free(idx);
  /* Children of P: D1 in 2024, N in 2026; the root is P. */
  CHECK_INT(hicov_dataset_children(ds, "P", &y24, &idx, &n), HICOV_OK);
  CHECK_INT(n, 1);
  hicov_free(idx);
  CHECK_INT(hicov_dataset_children(ds, NULL, NULL, &idx, &n), HICOV_OK);
  CHECK_INT(n, 1);
  hicov_free(idx);
  int first, last;
  CHECK_INT(hicov_dataset_month_span(ds, &first, &last), HICOV_OK);
  CHECK_INT(first, 2023 * 12);
  CHECK_INT(last, 2025 * 12 + 11);
  CHECK_INT(hicov_dataset_group_count(ds), 2);
  CHECK_STR(hicov_dataset_group(ds, 0), "DN");
}

static void test_stocks(HicovDataset *ds)
{
  char r[160];
  /* A stock takes the value at the latest month-end in the period. */
  CHECK_INT(total(ds, "participants", "A", "2024", NULL, HICOV_OK, NULL), 90000);
  CHECK_INT(total(ds, "participants", "A", "2024-Q2", NULL, HICOV_OK, NULL), 89000);
  CHECK_INT(total(ds, "participants", "A", "2024-01/2024-08", NULL, HICOV_OK, NULL), 89000);
  total(ds, "participants", "A", "2024-Q1", NULL, HICOV_MISSING, r);
  CHECK_CONTAINS(r, "no participants value for Xã A (A) at any month-end in "
                    "2024-Q1");
  /* Never summed over months: the year is not 900 + 890. */
  /* Sums over units: D1 = A + B; B has only group rows, which add up. */
  CHECK_INT(total(ds, "participants", "B", "2024", NULL, HICOV_OK, NULL), 1000);
  CHECK_INT(total(ds, "participants", "D1", "2024", NULL, HICOV_OK, NULL), 91000);
  CHECK_INT(total(ds, "population", "P", "2024", NULL, HICOV_OK, NULL), 110000);
  /* A group: A 500 + B 6. */
  CHECK_INT(total(ds, "participants", "P", "2024", "DN", HICOV_OK, NULL), 50600);
  /* Re-aggregation onto today's units: N in 2024 = A + B. */
  CHECK_INT(total(ds, "participants", "N", "2024", NULL, HICOV_OK, NULL), 91000);
  CHECK_INT(total(ds, "participants", "P", "2025", NULL, HICOV_OK, NULL), 100000);
  /* A merged unit has no value after the merger, and says why. */
  total(ds, "participants", "A", "2026", NULL, HICOV_MISSING, r);
  CHECK_CONTAINS(r, "Xã A (A) was merged into Xã Mới (N) from 2025-07");
  total(ds, "population", "P", "2023", NULL, HICOV_MISSING, r);
  CHECK(r[0] != '\0');
}

static void test_flows(HicovDataset *ds)
{
  char r[160];
  /* Flows sum over months: 100 + 200 + ... + 1200. */
  CHECK_INT(total(ds, "visits", "F1", "2024", NULL, HICOV_OK, NULL), 780000);
  CHECK_INT(total(ds, "visits", "F1", "2024-Q2", NULL, HICOV_OK, NULL), 150000);
  CHECK_INT(total(ds, "visits", "F1", "2024-03/2024-07", NULL, HICOV_OK, NULL), 250000);
  /* An exact observation wins over a partial cover by months. */
  CHECK_INT(total(ds, "visits", "F2", "2024", NULL, HICOV_OK, NULL), 500000);
  CHECK_INT(total(ds, "visits", "F2", "2024-01", NULL, HICOV_OK, NULL), 40000);
  total(ds, "visits", "F2", "2024-Q1", NULL, HICOV_MISSING, r);
  CHECK_CONTAINS(r, "no visits data for Bệnh viện huyện (F2) in 2024-02 "
                    "(needed for 2024-Q1)");
  /* Year to date. */
  CHECK_INT(total(ds, "visits", "F2", "2025-01/2025-10", NULL, HICOV_OK, NULL), 400000);
  /* Up the tree: P 2024 = F1 7800 + F2 5000 (B reports no visits). */
  CHECK_INT(total(ds, "visits", "P", "2024", NULL, HICOV_OK, NULL), 1280000);
  CHECK_INT(total(ds, "visits", "D1", "2024", NULL, HICOV_OK, NULL), 1280000);
  /* Exact money with decimals. */
  CHECK_INT(total(ds, "total_cost", "F1", "2024", NULL, HICOV_OK, NULL), 156000000050LL);
  total(ds, "visits", "P", "2022", NULL, HICOV_MISSING, r);
  CHECK(r[0] != '\0');
  int64_t v;
  CHECK_INT(hicov_dataset_measure(ds, "visitz", "P", hicov_period_year(2024), NULL, &v, r, sizeof r),
            HICOV_NOTFOUND);
  CHECK_INT(hicov_dataset_measure(ds, "visits", "nope", hicov_period_year(2024), NULL, &v, r, sizeof r),
            HICOV_NOTFOUND);
}

/* A row refused after its group was seen leaves no group behind; a strict
 * failure takes back the groups of its accepted rows too. */
static void test_groups_rollback(void)
{
  HicovDataset *ds = fixture_units_only();
  CHECK(ds != NULL);
  if (!ds)
    return;
  const char *dup =
    "unit,period,measure,value,group\n"
    "A,2024,participants,10,\n"
    "A,2024,participants,10,\n"   /* duplicate */
    "A,2024,participants,7,DN\n"
    "A,2024,participants,7,DN\n"; /* duplicate in a new group */
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", dup, strlen(dup),
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_INT(hicov_dataset_group_count(ds), 0);
  const char *dup2 =
    "unit,period,measure,value,group\n"
    "A,2024,participants,10,\n"
    "A,2024,participants,10,HN\n"
    "A,2024,participants,10,\n";  /* duplicate, no new group */
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", dup2, strlen(dup2),
                                             HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_group_count(ds), 1);
  CHECK_STR(hicov_dataset_group(ds, 0), "HN");
  /* a second strict failure keeps HN, drops what it added */
  const char *bad =
    "unit,period,measure,value,group\n"
    "A,2023,participants,9,TE\n"
    "A,2023,participants,x,CN\n";
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", bad, strlen(bad),
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_INT(hicov_dataset_group_count(ds), 1);
  CHECK_STR(hicov_dataset_group(ds, 0), "HN");
  hicov_dataset_free(ds);
}

/* values.csv text in buf: a header, then n rows of A's 2024 participants,
 * row i in group <prefix>i; returns its length. */
static size_t group_rows(char *buf, const char *prefix, int n)
{
  size_t len = (size_t)sprintf(buf, "unit,period,measure,value,group\n");
  for (int i = 0; i < n; i++)
    len += (size_t)sprintf(buf + len, "A,2024,participants,%d,%s%d\n", i + 1,
                           prefix, i);
  return len;
}

/* Thousands of groups, then a strict failure that takes back two thousand
 * more: every group kept is still found (the rows read again are
 * duplicates, no group is added twice) and a dropped one comes back as
 * new.  The groups are found through a hash index; the failure deletes
 * from it without leaving a hole in a probe chain. */
static void test_many_groups_rollback(void)
{
  HicovDataset *ds = fixture_units_only();
  CHECK(ds != NULL);
  if (!ds)
    return;
  enum { KEEP = 3000, DROP = 2000 };
  size_t cap = 64 + (KEEP + DROP) * 48, len = 0;
  char *buf = malloc(cap);
  CHECK(buf != NULL);
  if (!buf) {
    hicov_dataset_free(ds);
    return;
  }
  len = group_rows(buf, "G", KEEP);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", buf, len,
                                             HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_group_count(ds), KEEP);
  len = group_rows(buf, "N", DROP);
  len += (size_t)sprintf(buf + len, "A,2024,participants,x,N0\n");
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", buf, len,
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_INT(hicov_dataset_group_count(ds), KEEP);
  /* the kept groups' rows again: all duplicates, no group added */
  len = group_rows(buf, "G", KEEP);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", buf, len,
                                             HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_group_count(ds), KEEP);
  CHECK_INT(hicov_dataset_rejection_count(ds), KEEP);
  /* a dropped group is new again */
  const char *again = "unit,period,measure,value,group\nA,2024,participants,5,N7\n";
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", again,
                                             strlen(again), HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_group_count(ds), KEEP + 1);
  int64_t v = 0;
  char r[256];
  CHECK_INT(hicov_dataset_measure(ds, "participants", "A", hicov_period_year(2024),
                                  "G2999", &v, r, sizeof r), HICOV_OK);
  CHECK_INT(v, 300000);
  CHECK_INT(hicov_dataset_measure(ds, "participants", "A", hicov_period_year(2024),
                                  "N7", &v, r, sizeof r), HICOV_OK);
  CHECK_INT(v, 500);
  free(buf);
  hicov_dataset_free(ds);
}

/* values.csv's order (unit, measure, group text in byte order, first and
 * last month) from the radix sort of packed keys is the comparison sort's,
 * row for row, whatever order the values were added in: groups whose
 * byte order is not the order they were seen ("b" after "Z", "_x"
 * between them), ranges, years and months of one measure. */
static void test_saved_order(void)
{
  const char *rows[] = {
    "F2,2024,visits,5,b", "A,2024,participants,1,Z", "F2,2024-01,visits,4,",
    "A,2024,participants,2,_x", "F2,2025-01/2025-10,visits,3,",
    "A,2024-06,participants,9,", "A,2024,population,7,", "F1,2023,visits,8,b",
    "F2,2024,visits,6,", "A,2024,participants,3,DN", "F1,2023,visits,1,a",
    "F2,2024-03,visits,2,b", "B,2024,participants,5,DN", "A,2023,participants,4,",
    "F2,2024-01/2024-06,visits,7,", "F1,2024-12,total_cost,10.50,9",
  };
  size_t n = sizeof rows / sizeof *rows;
  char *csv[2][2] = { { NULL, NULL }, { NULL, NULL } };
  for (int order = 0; order < 2; order++) {
    for (int path = 0; path < 2; path++) {
      HicovDataset *ds = fixture_units_only();
      CHECK(ds != NULL);
      if (!ds)
        return;
      char buf[2048];
      size_t len = (size_t)sprintf(buf, "unit,period,measure,value,group\n");
      for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(buf + len, "%s\n",
                               rows[order ? n - 1 - i : (i * 7) % n]);
      CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", buf, len,
                                                 HICOV_LOAD_STRICT), HICOV_OK);
      hicov_debug_pack_bits(path ? 1 : 0); /* 1: the comparison sort */
      CHECK_INT(hicov_dataset_values_csv(ds, &csv[order][path], NULL), HICOV_OK);
      hicov_debug_pack_bits(0);
      hicov_dataset_free(ds);
    }
  }
  for (int k = 0; k < 4; k++)
    CHECK(csv[k / 2][k % 2] != NULL);
  if (csv[0][0] && csv[0][1] && csv[1][0] && csv[1][1]) {
    CHECK_STR(csv[0][0], csv[0][1]);
    CHECK_STR(csv[1][0], csv[0][1]);
    CHECK_STR(csv[1][1], csv[0][1]);
    /* by hand: A's participants of 2024 by group text, DN < Z < _x */
    const char *a = strstr(csv[0][0], "A,2024,participants,");
    CHECK(a != NULL);
    if (a)
      CHECK(strstr(a, "A,2024,participants,3,DN,\n") <
                strstr(a, "A,2024,participants,1,Z,\n") &&
            strstr(a, "A,2024,participants,1,Z,\n") <
                strstr(a, "A,2024,participants,2,_x,\n"));
  }
  for (int k = 0; k < 4; k++)
    hicov_free(csv[k / 2][k % 2]);
}

/* Random datasets (seeded, rows given twice skipped): saved in the same
 * order by the radix and the comparison sort. */
static void test_saved_order_random(void)
{
  static const char *units[] = { "P", "D1", "A", "B", "N", "F1", "F2" };
  static const char *measures[] = { "visits", "participants", "population",
                                     "total_cost" };
  static const char *groups[] = { "", "DN", "HN", "b", "Z", "_x", "a9" };
  static const char *periods[] = { "2024", "2023", "2024-06", "2024-01",
                                   "2025-01/2025-10", "2024-01/2024-03",
                                   "2025", "2024-Q2" };
  uint64_t seed = 99;
  for (int round = 0; round < 100; round++) {
    char buf[8192];
    size_t len = (size_t)sprintf(buf, "unit,period,measure,value,group\n");
    for (int i = 0; i < 80; i++) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      uint64_t r = seed >> 11;
      len += (size_t)sprintf(buf + len, "%s,%s,%s,%u,%s\n", units[r % 7],
                             periods[(r >> 3) % 8], measures[(r >> 6) % 4],
                             (unsigned)((r >> 8) % 1000), groups[(r >> 18) % 7]);
    }
    char *csv[2] = { NULL, NULL };
    for (int path = 0; path < 2; path++) {
      HicovDataset *ds = fixture_units_only();
      if (!ds) {
        CHECK(0);
        return;
      }
      CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", buf, len,
                                                 HICOV_LOAD_LENIENT), HICOV_OK);
      hicov_debug_pack_bits(path ? 1 : 0);
      CHECK_INT(hicov_dataset_values_csv(ds, &csv[path], NULL), HICOV_OK);
      hicov_debug_pack_bits(0);
      hicov_dataset_free(ds);
    }
    if (csv[0] && csv[1] && strcmp(csv[0], csv[1])) {
      fprintf(stderr, "round %d:\n%s---\n%s", round, csv[0], csv[1]);
      CHECK(0);
    }
    hicov_free(csv[0]);
    hicov_free(csv[1]);
  }
}

/* A value past 64 bits in centi is named as too large, with its bound, and
 * not as "expected a number"; a hugely negative one is below zero. */
static void test_number_too_large(void)
{
  HicovDataset *ds = fixture_units_only();
  CHECK(ds != NULL);
  if (!ds)
    return;
  const char *bad =
    "unit,period,measure,value\n"
    "A,2024,population,92233720368547749.99\n"
    "A,2023,population,92233720368547750\n"
    "A,2022,population,-123456789012345678901\n"
    "A,2021,population,123456789012345678901x\n";
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", bad, strlen(bad),
                                             HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_rejection_count(ds), 3);
  HicovRejection rj;
  CHECK_INT(hicov_dataset_rejection(ds, 0, &rj), HICOV_OK);
  CHECK_STR(rj.message, "values.csv line 3, column 4 (value): number too large: "
            "at most 92233720368547749.99, found '92233720368547750'");
  hicov_dataset_rejection(ds, 1, &rj);
  CHECK_STR(rj.message, "values.csv line 4, column 4 (value): expected a number "
            "of zero or more, found '-123456789012345678901'");
  hicov_dataset_rejection(ds, 2, &rj);
  CHECK_CONTAINS(rj.message, "line 5, column 4 (value): expected a number (digits");
  int64_t v;
  CHECK_INT(hicov_dataset_measure(ds, "population", "A", hicov_period_year(2024),
                                  NULL, &v, NULL, 0), HICOV_OK);
  CHECK(v == 9223372036854774999);
  hicov_dataset_free(ds);

  ds = fixture_units_only();
  CHECK(ds != NULL);
  if (!ds)
    return;
  CHECK_INT(hicov_dataset_set_lang(ds, "vi"), HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", bad, strlen(bad),
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "92233720368547749.99");
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "'92233720368547750'");
  CHECK(!strstr(hicov_dataset_errmsg(ds), "too large"));
  hicov_dataset_free(ds);
}

/* A field past the header's shifts a row: "764,769" unquoted is refused,
 * strict or lenient (the row rejected and counted), never read as 764.
 * Empty fields past the header (a spreadsheet's trailing commas) and
 * missing trailing fields are allowed. */
static void test_extra_fields(void)
{
  static const char units[] = "code,name,parent,level\n20,Lạng Sơn,,province\n";
  static const char values[] =
    "unit,period,measure,value\n"
    "20,2024,population,812720\n"
    "20,2024,participants,764,769\n"
    "20,2023,population,800000,,\n"
    "20,2023,participants,700000\n";
  for (int strict = 0; strict < 2; strict++) {
    HicovDataset *ds;
    CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
    hicov_dataset_set_lang(ds, "en");
    CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                              strlen(units), HICOV_LOAD_STRICT),
              HICOV_OK);
    int rc = hicov_dataset_load_values_buffer(
        ds, "values.csv", values, strlen(values),
        strict ? HICOV_LOAD_STRICT : HICOV_LOAD_LENIENT);
    CHECK_INT(rc, strict ? HICOV_PARSE : HICOV_OK);
    const char *want = "values.csv line 3, column 5: 5 fields where the header "
                       "has 4: a value holding a comma needs quotes "
                       "(\"764,769\")";
    HicovLoadStats st;
    hicov_dataset_load_stats(ds, &st);
    if (strict) {
      CHECK_STR(hicov_dataset_errmsg(ds), want);
    } else {
      /* units 1 + values 4 read = 4 accepted + 1 rejected; 2023 coverage
         700,000 / 800,000 = 87.5% */
      CHECK_INT(st.rows_read, 5);
      CHECK_INT(st.rows_accepted, 4);
      CHECK_INT(st.rows_rejected, 1);
      CHECK_INT(hicov_dataset_rejection_count(ds), 1);
      HicovPeriod p;
      HicovResult r;
      CHECK_INT(hicov_period_parse("2023", &p), HICOV_OK);
      CHECK_INT(hicov_indicator_value(ds, "coverage_rate", "20", p, NULL, &r),
                HICOV_OK);
      CHECK_NEAR(r.value, 87.5, 1e-12);
      CHECK_INT(hicov_period_parse("2024", &p), HICOV_OK);
      hicov_indicator_value(ds, "coverage_rate", "20", p, NULL, &r);
      CHECK(r.status != HICOV_OK);
    }
    hicov_dataset_free(ds);
  }
}

static void test_errors(void)
{
  HicovDataset *ds = fixture_units_only();
  CHECK(ds != NULL);
  if (!ds)
    return;
  const char *bad =
    "unit,period,measure,value\n"
    "A,2024,population,1000\n"
    "A,2024,participants,\"1,2\"\n"
    "Q,2024,visits,5\n"
    "A,2024-13,visits,5\n"
    "A,2024,visit,5\n"
    "A,2024,visits,-5\n"
    "A,2024,population,1001\n"
    "A,2023,visits,1e3\n";
  /* Strict: the first bad row fails the load and nothing is kept. */
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "data/values.csv", bad, strlen(bad),
                                             HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds),
            "values.csv line 3, column 4 (value): expected a number (digits, '.' for "
            "decimals, at most 2 decimals, no thousands separators), found '1,2'");
  const char *file, *field;
  long line;
  int column;
  hicov_dataset_error_location(ds, &file, &line, &column, &field);
  CHECK_STR(file, "values.csv");
  CHECK_INT(line, 3);
  CHECK_INT(column, 4);
  CHECK_STR(field, "value");
  HicovLoadStats st;
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, 7); /* the units only */
  CHECK_INT(hicov_dataset_rejection_count(ds), 0);
  int64_t v;
  CHECK_INT(hicov_dataset_measure(ds, "population", "A", hicov_period_year(2024), NULL, &v, NULL, 0),
            HICOV_MISSING);

  /* Lenient: every row is counted or rejected, and the totals reconcile. */
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", bad, strlen(bad),
                                             HICOV_LOAD_LENIENT), HICOV_OK);
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, 7 + 8);
  CHECK_INT(st.rows_accepted, 7 + 1);
  CHECK_INT(st.rows_rejected, 7);
  CHECK_INT(st.rows_read, st.rows_accepted + st.rows_rejected);
  CHECK_INT(hicov_dataset_rejection_count(ds), 7);
  HicovRejection rj;
  CHECK_INT(hicov_dataset_rejection(ds, 1, &rj), HICOV_OK);
  CHECK_STR(rj.field, "unit");
  CHECK_CONTAINS(rj.message, "values.csv line 4, column 1 (unit): expected a unit code "
                 "from units.csv, found 'Q'");
  hicov_dataset_rejection(ds, 2, &rj);
  CHECK_CONTAINS(rj.message, "line 5, column 2 (period)");
  hicov_dataset_rejection(ds, 3, &rj);
  CHECK_CONTAINS(rj.message, "line 6, column 3 (measure)");
  hicov_dataset_rejection(ds, 4, &rj);
  CHECK_CONTAINS(rj.message, "expected a number of zero or more, found '-5'");
  hicov_dataset_rejection(ds, 5, &rj);
  CHECK_CONTAINS(rj.message, "line 8, column 4 (value): a value for the same unit, period, "
                 "measure and group is already given on line 2");
  CHECK_INT(hicov_dataset_measure(ds, "population", "A", hicov_period_year(2024), NULL, &v, NULL, 0),
            HICOV_OK);
  CHECK_INT(v, 100000);
  hicov_dataset_free(ds);

  /* Units: unknown parent, levels that do not descend, missing column. */
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  const char *units =
    "code,name,parent,level\n"
    "P,Tỉnh,,province\n"
    "C,Xã,Q,commune\n"
    "D,Huyện,C,district\n"
    "X,Xã X,P,hamlet\n"
    "F,Trạm,P,facility\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units, strlen(units),
                                            HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_unit_count(ds), 1);
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, 5);
  CHECK_INT(st.rows_accepted + st.rows_rejected, 5);
  CHECK_INT(hicov_dataset_rejection_count(ds), 4);
  int saw_parent = 0, saw_level = 0, saw_tier = 0;
  for (size_t i = 0; i < hicov_dataset_rejection_count(ds); i++) {
    hicov_dataset_rejection(ds, i, &rj);
    if (strstr(rj.message, "line 3, column 3 (parent): expected the code of a unit in the file, found 'Q'"))
      saw_parent = 1;
    if (strstr(rj.message, "line 5, column 4 (level): expected country, province"))
      saw_level = 1;
    if (strstr(rj.message, "(tier, a column the file does not have): expected the facility's tier"))
      saw_tier = 1;
  }
  CHECK(saw_parent && saw_level && saw_tier);
  const char *nohead = "code,name,level\nP,Tỉnh,province\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", nohead, strlen(nohead),
                                            HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "units.csv line 1: missing column 'parent' in the header");
  CHECK_INT(hicov_dataset_load_units_csv(ds, "/nonexistent/units.csv", HICOV_LOAD_STRICT), HICOV_IO);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "cannot open /nonexistent/units.csv");
  /* a code given twice: the message names the first one, which may be in
     another file (here the P of the first load) */
  const char *twice = "code,name,parent,level\nQ,Huyện,P,district\n"
                      "P,Tỉnh Mới,,province\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "more.csv", twice, strlen(twice),
                                            HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds), "more.csv line 3, column 1 (code): unit 'P' "
            "is defined twice (the first time as 'Tỉnh')");
  hicov_dataset_free(ds);

  /* The API refuses what the CSV refuses. */
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  HicovUnit u = { "P", "Tỉnh", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL, 0, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_INVALID);
  CHECK_INT(hicov_dataset_add_value(ds, "P", "visits", NULL, hicov_period_year(2024), 100, NULL), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, "P", "visits", NULL, hicov_period_year(2024), 100, NULL), HICOV_INVALID);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "already set");
  CHECK_INT(hicov_dataset_add_value(ds, "P", "visits", "DN", hicov_period_year(2024), 100, NULL), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, "Q", "visits", NULL, hicov_period_year(2024), 100, NULL), HICOV_NOTFOUND);
  CHECK_INT(hicov_dataset_add_value(ds, "P", "visits", NULL, hicov_period_year(2023), -1, NULL), HICOV_INVALID);
  hicov_dataset_free(ds);
}

/* A successor of another level, or the unit itself, is refused with the
 * line and field (fuzzer finding K10: a district merged into one of its
 * own communes made a total walk 2^24 paths). */
static void test_successor_levels(void)
{
  const char *units =
    "code,name,parent,level,valid_to,successor\n"
    "P,P,,province,,\n"
    "D1,D1,P,district,2025-07-01,N\n"
    "N,N,D1,commune,,\n"
    "A,A,D1,commune,2025-07-01,N\n"
    "S,S,D1,commune,2025-07-01,S\n";
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units, strlen(units),
                                            HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds),
            "units.csv line 3, column 6 (successor): a district can only be "
            "merged into a district, found the commune 'N'");
  hicov_dataset_free(ds);
  /* lenient: D1 and S are rejected (and N and A with D1, their parent);
     P stays */
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units, strlen(units),
                                            HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_unit_count(ds), 1);
  CHECK(hicov_dataset_rejection_count(ds) >= 2);
  int self = 0;
  for (size_t i = 0; i < hicov_dataset_rejection_count(ds); i++) {
    HicovRejection r;
    hicov_dataset_rejection(ds, i, &r);
    self += strstr(r.message, "a unit cannot be merged into itself") != NULL;
  }
  CHECK_INT(self, 1);
  hicov_dataset_free(ds);

  /* A merged into B and B into A, and C into A: a circle has no unit at its
   * end, so both are refused, each with the path; C then follows. */
  const char *circle =
    "code,name,parent,level,valid_to,successor\n"
    "P,P,,province,,\n"
    "A,A,P,district,2025-07-01,B\n"
    "B,B,P,district,2025-07-01,A\n"
    "C,C,P,district,2025-07-01,A\n"
    "K,K,P,district,,\n";
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", circle,
                                            strlen(circle), HICOV_LOAD_STRICT),
            HICOV_PARSE);
  CHECK_STR(hicov_dataset_errmsg(ds),
            "units.csv line 3, column 6 (successor): the successors lead back "
            "to the unit (A \u2192 B \u2192 A): a merger cannot go round in a circle");
  hicov_dataset_free(ds);
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", circle,
                                            strlen(circle), HICOV_LOAD_LENIENT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_unit_count(ds), 2); /* P and K */
  HicovLoadStats st;
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, 5);
  CHECK_INT(st.rows_rejected, 3);
  hicov_dataset_free(ds);
}

static void test_dir(void)
{
  /* load_dir reads units.csv and values.csv from a folder. */
  char dir[] = "/tmp/hicov-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/units.csv", dir);
  FILE *f = fopen(path, "wb");
  fwrite(fixture_units, 1, sizeof fixture_units - 1, f);
  fclose(f);
  snprintf(path, sizeof path, "%s/values.csv", dir);
  f = fopen(path, "wb");
  fputs("unit,period,measure,value\nA,2024,population,1000\nA,2024,participants,12x\n", f);
  fclose(f);
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT), HICOV_PARSE);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "values.csv line 3, column 4 (value)");
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "found '12x'");
  CHECK_INT(hicov_dataset_unit_count(ds), 0); /* the units were undone too */
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_LENIENT), HICOV_OK);
  CHECK_INT(hicov_dataset_unit_count(ds), 7);
  hicov_dataset_free(ds);
  remove(path);
  snprintf(path, sizeof path, "%s/units.csv", dir);
  remove(path);
  rmdir(dir);
}

/* Files that are not regular files or too large are refused before
 * anything is read: no blocking on a FIFO, no endless /dev/zero. */
static void test_odd_files(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_csv(ds, "/dev/zero", HICOV_LOAD_STRICT), HICOV_IO);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "/dev/zero is a character device");
  char dir[] = "/tmp/hicov-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  CHECK_INT(hicov_dataset_load_values_csv(ds, dir, HICOV_LOAD_STRICT), HICOV_IO);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "is a folder");
  char path[256];
  snprintf(path, sizeof path, "%s/units.csv", dir);
  CHECK(mkfifo(path, 0644) == 0);
  CHECK_INT(hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT), HICOV_IO);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "units.csv is a FIFO");
  remove(path);
  /* one byte over the limit, as a sparse file */
  FILE *f = fopen(path, "wb");
  CHECK(f && ftruncate(fileno(f), (off_t)HICOV_UNITS_MAX_BYTES + 1) == 0);
  fclose(f);
  CHECK_INT(hicov_dataset_load_units_csv(ds, path, HICOV_LOAD_STRICT), HICOV_LIMIT);
  CHECK_CONTAINS(hicov_dataset_errmsg(ds), "at most 67108864 are read");
  remove(path);
  rmdir(dir);
  /* an empty folder name is not the root folder */
  CHECK_INT(hicov_dataset_load_dir(ds, "", HICOV_LOAD_STRICT), HICOV_INVALID);
  CHECK_STR(hicov_dataset_errmsg(ds), "no dataset folder given");
  CHECK_INT(hicov_dataset_unit_count(ds), 0);
  hicov_dataset_free(ds);
}

/* Strict means strict: NUL bytes, bytes that are not UTF-8 (a file saved
 * as Windows-1258), UTF-16 files and impossible dates are rejected with
 * file, line and column; lenient loads count them. */
static void expect_units(const char *csv, size_t len, int mode, int status,
                         const char *needle)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", csv, len, mode),
            status);
  if (needle)
    CHECK_CONTAINS(hicov_dataset_errmsg(ds), needle);
  HicovLoadStats st;
  hicov_dataset_load_stats(ds, &st);
  CHECK_INT(st.rows_read, st.rows_accepted + st.rows_rejected);
  hicov_dataset_free(ds);
}

static void test_strict_text(void)
{
  static const char nul[] = "code,name,parent,level\nP,Tỉnh,,province\n"
                            "D,Huy\0n,P,district\nC,Xã,D,commune\n";
  expect_units(nul, sizeof nul - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "units.csv line 3, column 2: a NUL byte (0x00)");
  expect_units(nul, sizeof nul - 1, HICOV_LOAD_LENIENT, HICOV_OK, NULL);
  /* "Xã" in Windows-1258 is 58 E3 */
  static const char cp1258[] = "code,name,parent,level\nP,Tinh,,province\n"
                               "D,Huyen,P,district\nC,X\xE3,D,commune\n";
  expect_units(cp1258, sizeof cp1258 - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "units.csv line 4, column 2: byte 0xE3 is not UTF-8");
  /* overlong and surrogate forms are not UTF-8 either */
  static const char overlong[] = "code,name,parent,level\nP,\xC0\xAF,,province\n";
  expect_units(overlong, sizeof overlong - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "byte 0xC0 is not UTF-8");
  static const char surrogate[] = "code,name,parent,level\nP,\xED\xA0\x80,,province\n";
  expect_units(surrogate, sizeof surrogate - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "byte 0xED is not UTF-8");
  /* a quoted field with a comma before the bad byte: still column 3 */
  static const char quoted[] = "code,name,parent,level\nP,\"a,b\",\xFF,province\n";
  expect_units(quoted, sizeof quoted - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "units.csv line 2, column 3: byte 0xFF");
  /* UTF-16, with and without a byte-order mark: the encoding, not a
   * missing column */
  static const char utf16[] = "\xFF\xFE" "c\0o\0d\0e\0,\0";
  expect_units(utf16, sizeof utf16 - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "units.csv line 1: the file is UTF-16 (little-endian byte-order mark FF FE)");
  static const char utf16be[] = "\0c\0o\0d\0e";
  expect_units(utf16be, sizeof utf16be - 1, HICOV_LOAD_LENIENT, HICOV_PARSE,
               "UTF-16 (big-endian, without a byte-order mark)");
  /* dates that do not exist */
  static const char date[] = "code,name,parent,level,valid_to\n"
                             "P,Tỉnh,,province,\nD,Huyện,P,district,2025-02-30\n";
  expect_units(date, sizeof date - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "found '2025-02-30'");
  static const char feb29[] = "code,name,parent,level,valid_to\n"
                              "P,Tỉnh,,province,\nD,Huyện,P,district,2023-02-29\n";
  expect_units(feb29, sizeof feb29 - 1, HICOV_LOAD_STRICT, HICOV_PARSE,
               "found '2023-02-29'");
  static const char leap[] = "code,name,parent,level,valid_to\n"
                             "P,Tỉnh,,province,\nD,Huyện,P,district,2024-02-29\n";
  expect_units(leap, sizeof leap - 1, HICOV_LOAD_STRICT, HICOV_OK, NULL);
}

int main(void)
{
  HicovDataset *ds = fixture_load();
  CHECK(ds != NULL);
  if (!ds)
    return test_finish("test-dataset");
  test_units(ds);
  test_stocks(ds);
  test_flows(ds);
  hicov_dataset_free(ds);
  test_extra_fields();
  test_errors();
  test_number_too_large();
  test_successor_levels();
  test_groups_rollback();
  test_many_groups_rollback();
  test_saved_order();
  test_saved_order_random();
  test_dir();
  test_odd_files();
  test_strict_text();
  return test_finish("test-dataset");
}
