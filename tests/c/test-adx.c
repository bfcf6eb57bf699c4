/* ADX: exports validate against the IHE loose schema; import of the IHE
 * sample and of hostile documents; export -> import -> export round trip. */
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "hicov-report.h"
#include "testutil.h"

static xmlSchemaPtr adx_schema;

/* The IHE loose schema imports the SDMX schemas in sdmx/: local files, read
 * without network access. */
static void load_schema(void)
{
  char path[1024];
  test_data_path("adx/adx_loose.xsd", path, sizeof path);
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
  adx_schema = pc ? xmlSchemaParse(pc) : NULL;
  xmlSchemaFreeParserCtxt(pc);
  CHECK(adx_schema != NULL);
  if (!adx_schema)
    fprintf(stderr, "cannot load %s\n", path);
}

static int adx_valid(const char *buf, size_t len)
{
  if (!adx_schema)
    return 0;
  xmlDocPtr doc = xmlReadMemory(buf, (int)len, "export.xml", NULL,
                                XML_PARSE_NONET);
  if (!doc)
    return 0;
  xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(adx_schema);
  int rc = xmlSchemaValidateDoc(v, doc);
  xmlSchemaFreeValidCtxt(v);
  xmlFreeDoc(doc);
  return rc == 0;
}

static void add_unit(HicovDataset *ds, const char *code, const char *parent,
                     int level)
{
  HicovUnit u = { code, code, parent, level, 0, 0, NULL, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
}

static HicovDataset *small_dataset(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  add_unit(ds, "D1", "P", HICOV_LEVEL_DISTRICT);
  add_unit(ds, "D2", "P", HICOV_LEVEL_DISTRICT);
  static const struct { const char *u; int y; const char *m; int64_t c; } v[] = {
    { "D1", 2023, "population", 6000000 }, { "D1", 2023, "participants", 5400000 },
    { "D2", 2023, "population", 4000000 }, { "D2", 2023, "participants", 3700050 },
    { "D1", 2024, "population", 6100000 }, { "D1", 2024, "participants", 5800000 },
    { "D2", 2024, "population", 4000000 }, { "D2", 2024, "participants", 3800000 },
    { "D1", 2024, "total_cost", 1234567890123 }, /* 12,345,678,901.23 đồng */
    { "D1", 2024, "visits", 150000 },
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    CHECK_INT(hicov_dataset_add_value(ds, v[i].u, v[i].m, NULL,
                                      hicov_period_year(v[i].y), v[i].c, NULL),
              HICOV_OK);
  return ds;
}

static HicovDataset *units_only(HicovDataset *from)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  for (size_t i = 0; i < hicov_dataset_unit_count(from); i++) {
    HicovUnit u;
    hicov_dataset_unit(from, i, &u);
    CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  }
  return ds;
}

static void test_export(void)
{
  HicovDataset *ds = small_dataset();
  /* every unit at every level, as hicov exported before DHIS2's rules */
  HicovAdxExportOptions opt = { NULL, 0, 0, 1, 1, 1767225600, HICOV_ADX_ALL,
                                0, 0, 0, NULL, 0, NULL, NULL };
  char *buf = NULL;
  size_t len = 0;
  CHECK_INT(hicov_adx_export(ds, &opt, &buf, &len), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  CHECK_CONTAINS(buf, "<adx exported=\"2026-01-01T00:00:00Z\" "
                      "xmlns=\"urn:ihe:qrph:adx:2015\">");
  CHECK_CONTAINS(buf, "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\">");
  /* Measures exactly, aggregated over the districts. */
  CHECK_CONTAINS(buf, "<dataValue dataElement=\"participants\" value=\"96000\"/>");
  CHECK_CONTAINS(buf, "<dataValue dataElement=\"total_cost\" "
                      "value=\"12345678901.23\"/>");
  CHECK_CONTAINS(buf, "<dataValue dataElement=\"participants\" "
                      "value=\"37000.5\"/>");
  /* An indicator: 96,000 / 101,000. */
  char expect[128];
  HicovResult r;
  hicov_indicator_value(ds, "coverage_rate", "P", hicov_period_year(2024),
                        NULL, &r);
  char num[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(num, sizeof num, "%.*g", prec, r.value);
    if (strtod(num, NULL) == r.value)
      break;
  }
  snprintf(expect, sizeof expect,
           "<dataValue dataElement=\"coverage_rate\" value=\"%s\"/>", num);
  CHECK_CONTAINS(buf, expect);
  hicov_free(buf);

  /* A subtree, one year, measures only. */
  HicovAdxExportOptions sub = { "D2", 2024, 2024, 1, 0, 1767225600 };
  CHECK_INT(hicov_adx_export(ds, &sub, &buf, &len), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  CHECK(buf && !strstr(buf, "orgUnit=\"D1\"") && !strstr(buf, "2023-01-01"));
  CHECK(buf && !strstr(buf, "coverage_rate"));
  hicov_free(buf);
  sub.unit = "nope";
  CHECK_INT(hicov_adx_export(ds, &sub, &buf, &len), HICOV_NOTFOUND);
  sub.unit = NULL;
  sub.first_year = sub.last_year = 1999; /* nothing to export */
  CHECK_INT(hicov_adx_export(ds, &sub, &buf, &len), HICOV_MISSING);
  hicov_dataset_free(ds);

  /* The demo validates too. */
  hicov_dataset_new(&ds);
  hicov_dataset_load_demo(ds);
  CHECK_INT(hicov_adx_export(ds, NULL, &buf, &len), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  hicov_free(buf);
  opt.exported = 0;
  CHECK_INT(hicov_adx_export(ds, &opt, &buf, &len), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  CHECK_CONTAINS(buf, "<group orgUnit=\"20\" period=\"2024-01-01/P1Y\">");
  CHECK_CONTAINS(buf, "<dataValue dataElement=\"participants\" value=\"764769\"/>");
  hicov_free(buf);
  hicov_dataset_free(ds);
}

/* export -> import into the same units -> export: the same document. */
static void test_round_trip(void)
{
  HicovDataset *a = small_dataset();
  HicovAdxExportOptions opt = { NULL, 0, 0, 1, 1, 1767225600 };
  char *first = NULL, *second = NULL, *rej = NULL, err[600] = "";
  size_t l1 = 0, l2 = 0;
  CHECK_INT(hicov_adx_export(a, &opt, &first, &l1), HICOV_OK);
  HicovDataset *b = units_only(a);
  HicovAdxImportStats st;
  CHECK_INT(hicov_adx_import_buffer(b, "a.xml", first, l1, HICOV_LOAD_STRICT,
                                    &st, &rej, err, sizeof err), HICOV_OK);
  if (err[0])
    fprintf(stderr, "%s\n", err);
  CHECK(rej == NULL);
  CHECK_INT(st.values_rejected, 0);
  CHECK(st.values_imported > 0 && st.values_derived > 0);
  CHECK_INT(st.values_read, st.values_imported + st.values_derived);
  CHECK_INT(hicov_adx_export(b, &opt, &second, &l2), HICOV_OK);
  CHECK(first && second && l1 == l2 && !memcmp(first, second, l1));
  /* Exact: a value with cents survives. */
  int64_t centi = 0;
  CHECK_INT(hicov_dataset_measure(b, "total_cost", "D1",
                                  hicov_period_year(2024), NULL, &centi, NULL,
                                  0), HICOV_OK);
  CHECK_INT(centi, 1234567890123);
  hicov_free(first);
  hicov_free(second);
  hicov_dataset_free(a);
  hicov_dataset_free(b);
}

/* The IHE sample: malaria data elements, org unit 342, disaggregated by
 * age and sex: nothing hicov holds, each value rejected with its line. */
static void test_ihe_sample(void)
{
  char path[1024];
  test_data_path("adx/adx_data_sample1.xml", path, sizeof path);
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_load_demo(ds);
  int m0, m1, n0, n1;
  hicov_dataset_month_span(ds, &m0, &m1);
  HicovAdxImportStats st;
  char *rej = NULL, err[700] = "";
  CHECK_INT(hicov_adx_import_file(ds, path, HICOV_LOAD_STRICT, &st, &rej, err,
                                  sizeof err), HICOV_PARSE);
  CHECK_CONTAINS(err, "adx_data_sample1.xml line 8: dataValue "
                      "dataElement='MAL01': unknown data element");
  CHECK_CONTAINS(err, "nothing was imported");
  CHECK_INT(st.values_read, 13);
  CHECK_INT(st.values_imported, 0);
  hicov_free(rej);
  hicov_dataset_month_span(ds, &n0, &n1);
  CHECK(m0 == n0 && m1 == n1);

  CHECK_INT(hicov_adx_import_file(ds, path, HICOV_LOAD_LENIENT, &st, &rej,
                                  err, sizeof err), HICOV_OK);
  CHECK_INT(st.values_read, 13);
  CHECK_INT(st.values_rejected, 13);
  CHECK_INT(st.values_imported, 0);
  int lines = 0;
  for (const char *p = rej; p && *p; p++)
    lines += *p == '\n';
  CHECK_INT(lines, 13);
  CHECK_CONTAINS(rej, "line 18: dataValue dataElement='MAL03'");
  hicov_free(rej);

  /* The same document with a hicov measure: the org unit is unknown and
   * the sex/age disaggregation is not held. */
  const char *doc =
      "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2015-02-08T19:30:00Z\">\n"
      "<group orgUnit=\"342\" period=\"2015-01-01/P1M\">\n"
      "<dataValue dataElement=\"visits\" value=\"32\"/>\n"
      "</group>\n"
      "<group orgUnit=\"20\" period=\"2015-01-01/P1M\">\n"
      "<dataValue dataElement=\"visits\" value=\"10\" sex=\"M\"/>\n"
      "</group>\n</adx>\n";
  CHECK_INT(hicov_adx_import_buffer(ds, "m.xml", doc, strlen(doc),
                                    HICOV_LOAD_LENIENT, &st, &rej, err,
                                    sizeof err), HICOV_OK);
  CHECK_INT(st.values_rejected, 2);
  CHECK_CONTAINS(rej, "m.xml line 3: dataValue dataElement='visits': orgUnit "
                      "'342' is not a unit of the dataset");
  CHECK_CONTAINS(rej, "m.xml line 6: dataValue dataElement='visits': "
                      "disaggregation 'sex' is not supported");
  hicov_free(rej);
  hicov_dataset_free(ds);
}

static void expect_import(const char *doc, int mode, int status,
                          long imported, long rejected, const char *needle)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  HicovAdxImportStats st;
  char *rej = NULL, err[700] = "";
  int rc = hicov_adx_import_buffer(ds, "t.xml", doc, strlen(doc), mode, &st,
                                   &rej, err, sizeof err);
  CHECK_INT(rc, status);
  if (rc == HICOV_OK) {
    CHECK_INT(st.values_imported, imported);
    CHECK_INT(st.values_rejected, rejected);
  }
  if (needle) {
    const char *where = rc == HICOV_OK ? rej : err;
    CHECK_CONTAINS(where, needle);
  }
  hicov_free(rej);
  hicov_dataset_free(ds);
}

#define ADX_HEAD "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-01-01T00:00:00Z\">\n"

static void test_hostile_and_edge(void)
{
  /* Entities: refused before the reader starts. */
  expect_import("<?xml version=\"1.0\"?>\n<!DOCTYPE adx [<!ENTITY x SYSTEM "
                "\"file:///etc/passwd\">]>\n" ADX_HEAD
                "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\">"
                "<dataValue dataElement=\"visits\" value=\"&x;\"/></group></adx>",
                HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0, "DTD");
  expect_import("\xFF\xFE<\0a\0", HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0,
                "UTF-8");
  /* Empty documents and libxml2's size limit, in words that name them. */
  expect_import("", HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0, "t.xml: empty document");
  expect_import("\xEF\xBB\xBF \r\n", HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0,
                "empty document");
  {
    size_t n = (size_t)11 << 20;
    char *big = malloc(n + 300);
    CHECK(big != NULL);
    int k = snprintf(big, 300, ADX_HEAD "<group orgUnit=\"");
    memset(big + k, 'A', n);
    snprintf(big + k + n, 200, "\" period=\"2024-01-01/P1Y\"/></adx>");
    expect_import(big, HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0,
                  "longer than 10,000,000 bytes");
    free(big);
  }
  /* A period past what hicov holds and exports (2200) is a rejected value. */
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-01/P1200Y\">"
                "<dataValue dataElement=\"visits\" value=\"1\"/></group></adx>",
                HICOV_LOAD_LENIENT, HICOV_OK, 0, 1, "ends after 2200");
  /* Not ADX. */
  expect_import("<adx exported=\"x\"/>", HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0,
                "expected the root element");
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\">\n"
                "<dataValue dataElement=\"visits\" value=\"1\">\n"
                "</group></adx>", HICOV_LOAD_LENIENT, HICOV_PARSE, 0, 0,
                "t.xml line 4");
  /* Values: exact decimals, at most two fraction digits, not negative;
   * periods of whole months; no duplicates. */
  expect_import(ADX_HEAD
                "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\">\n"
                "<dataValue dataElement=\"total_cost\" value=\"100.25\"/>\n"
                "<dataValue dataElement=\"visits\" value=\"1.234\"/>\n"
                "<dataValue dataElement=\"participants\" value=\"1e3\"/>\n"
                "<dataValue dataElement=\"population\" value=\"-5\"/>\n"
                "<dataValue dataElement=\"total_cost\" value=\"7\"/>\n"
                "<dataValue dataElement=\"coverage_rate\" value=\"93.5\"/>\n"
                "</group>\n"
                "<group orgUnit=\"P\" period=\"2024-01-15/P1M\">\n"
                "<dataValue dataElement=\"visits\" value=\"3\"/>\n"
                "</group>\n"
                "<group orgUnit=\"P\" period=\"2024-01-01/P7D\">\n"
                "<dataValue dataElement=\"visits\" value=\"3\"/>\n"
                "</group>\n"
                "<group orgUnit=\"P\" period=\"2024-04-01/P3M\" mechanism=\"X\">\n"
                "<dataValue dataElement=\"visits\" value=\"3\"/>\n"
                "</group>\n"
                "<group orgUnit=\"P\" period=\"2024-04-01/P3M\" comment=\"ok\">\n"
                "<dataValue dataElement=\"visits\" value=\"30.50\"/>\n"
                "</group></adx>", HICOV_LOAD_LENIENT, HICOV_OK, 2, 7,
                "t.xml line 7: dataValue dataElement='total_cost': a second "
                "value for orgUnit 'P' and period 2024 (the first is on line 3)");
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\">\n"
                "<dataValue dataElement=\"visits\" value=\"1.234\"/>\n"
                "</group></adx>", HICOV_LOAD_LENIENT, HICOV_OK, 0, 1,
                "t.xml line 3: dataValue dataElement='visits': value '1.234' "
                "is not an exact decimal with at most 2 fraction digits");
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-15/P1M\">\n"
                "<dataValue dataElement=\"visits\" value=\"1\"/>\n"
                "</group></adx>", HICOV_LOAD_STRICT, HICOV_PARSE, 0, 0,
                "the start must be the 1st of a month");
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-01/P7D\">\n"
                "<dataValue dataElement=\"visits\" value=\"1\"/>\n"
                "</group></adx>", HICOV_LOAD_STRICT, HICOV_PARSE, 0, 0,
                "weeks and days are not supported");
  expect_import(ADX_HEAD "<group orgUnit=\"P\" period=\"2024-01-01/P1Y\" "
                "mechanism=\"PEPFAR\">\n"
                "<dataValue dataElement=\"visits\" value=\"1\"/>\n"
                "</group></adx>", HICOV_LOAD_STRICT, HICOV_PARSE, 0, 0,
                "disaggregated by 'mechanism'");

  /* A quarter and a fraction arrive exactly. */
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE);
  const char *doc = ADX_HEAD
      "<group orgUnit=\"P\" period=\"2024-04-01/P3M\">\n"
      "<dataValue dataElement=\"total_cost\" value=\"30.50\">"
      "<annotation>note</annotation></dataValue>\n"
      "</group></adx>";
  HicovAdxImportStats st;
  CHECK_INT(hicov_adx_import_buffer(ds, "q.xml", doc, strlen(doc),
                                    HICOV_LOAD_STRICT, &st, NULL, NULL, 0),
            HICOV_OK);
  int64_t centi = 0;
  CHECK_INT(hicov_dataset_measure(ds, "total_cost", "P",
                                  hicov_period_quarter(2024, 2), NULL, &centi,
                                  NULL, 0), HICOV_OK);
  CHECK_INT(centi, 3050);
  /* Importing it again clashes with what the dataset holds. */
  char err[600] = "";
  CHECK_INT(hicov_adx_import_buffer(ds, "q.xml", doc, strlen(doc),
                                    HICOV_LOAD_STRICT, &st, NULL, err,
                                    sizeof err), HICOV_PARSE);
  CHECK_CONTAINS(err, "q.xml line 3");
  /* A strict import is all or nothing: a new value before the clash is
   * taken back with it. */
  const char *two = ADX_HEAD
      "<group orgUnit=\"P\" period=\"2024-01-01/P3M\">\n"
      "<dataValue dataElement=\"total_cost\" value=\"10\"/>\n"
      "</group>\n"
      "<group orgUnit=\"P\" period=\"2024-04-01/P3M\">\n"
      "<dataValue dataElement=\"total_cost\" value=\"30.50\"/>\n"
      "</group></adx>";
  CHECK_INT(hicov_adx_import_buffer(ds, "two.xml", two, strlen(two),
                                    HICOV_LOAD_STRICT, &st, NULL, err,
                                    sizeof err), HICOV_PARSE);
  CHECK_INT(st.values_imported, 0);
  CHECK_INT(hicov_dataset_measure(ds, "total_cost", "P",
                                  hicov_period_quarter(2024, 1), NULL, &centi,
                                  NULL, 0), HICOV_MISSING);
  /* lenient: the new value goes in, the clash is rejected */
  CHECK_INT(hicov_adx_import_buffer(ds, "two.xml", two, strlen(two),
                                    HICOV_LOAD_LENIENT, &st, NULL, err,
                                    sizeof err), HICOV_OK);
  CHECK_INT(st.values_imported, 1);
  CHECK_INT(st.values_rejected, 1);
  CHECK_INT(hicov_dataset_measure(ds, "total_cost", "P",
                                  hicov_period_quarter(2024, 1), NULL, &centi,
                                  NULL, 0), HICOV_OK);
  CHECK_INT(centi, 1000);
  /* an unreadable file: an I/O error naming it, and zeroed counts */
  memset(&st, 0x5a, sizeof st);
  CHECK_INT(hicov_adx_import_file(ds, "/nonexistent/x.xml", HICOV_LOAD_STRICT,
                                  &st, NULL, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "/nonexistent/x.xml");
  CHECK_INT(st.values_read, 0);
  CHECK_INT(st.values_rejected, 0);
  /* /dev/zero would grow memory without end: refused before reading */
  CHECK_INT(hicov_adx_import_file(ds, "/dev/zero", HICOV_LOAD_STRICT,
                                  &st, NULL, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "/dev/zero is a character device");
  hicov_dataset_free(ds);
}

int main(void)
{
  xmlInitParser();
  load_schema();
  test_export();
  test_round_trip();
  test_ihe_sample();
  test_hostile_and_edge();
  xmlSchemaFree(adx_schema);
  xmlCleanupParser();
  return test_finish("test-adx");
}
