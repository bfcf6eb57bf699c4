/* DHIS2: the mapping file, the export's units (never counted twice),
 * periods, groups and mapped identifiers, ADX valid against the IHE loose
 * schema, dataValueSets JSON (parsed back with jansson), and import of
 * both through the mapping into values merged under a conflict policy.
 * Values are worked out by hand from the small dataset below. */
#include <stdlib.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "hicov-dhis2.h"
#include "testutil.h"

static xmlSchemaPtr adx_schema;

static void load_schema(void)
{
  char path[1024];
  test_data_path("adx/adx_loose.xsd", path, sizeof path);
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
  adx_schema = pc ? xmlSchemaParse(pc) : NULL;
  xmlSchemaFreeParserCtxt(pc);
  CHECK(adx_schema != NULL);
}

static int adx_valid(const char *buf, size_t len)
{
  xmlDocPtr doc = xmlReadMemory(buf, (int)len, "export.xml", NULL,
                                XML_PARSE_NONET);
  if (!doc || !adx_schema)
    return 0;
  xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(adx_schema);
  int rc = xmlSchemaValidateDoc(v, doc);
  xmlSchemaFreeValidCtxt(v);
  xmlFreeDoc(doc);
  return rc == 0;
}

#define REFORM (2025 * 12 + 6) /* 2025-07 */

static void unit(HicovDataset *ds, const char *code, const char *parent,
                 int level, int valid_from, int valid_to, const char *succ)
{
  HicovUnit u = { code, code, parent, level, 0, valid_to, succ, 0,
                  valid_from };
  if (level == HICOV_LEVEL_FACILITY)
    u.tier = HICOV_TIER_COMMUNE;
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
}

static void val(HicovDataset *ds, const char *u, const char *period,
                const char *m, const char *group, int64_t whole)
{
  HicovPeriod p;
  CHECK_INT(hicov_period_parse(period, &p), HICOV_OK);
  CHECK_INT(hicov_dataset_add_value(ds, u, m, group, p, whole * 100, NULL),
            HICOV_OK);
}

/* Province P; district D (abolished 2025-07) with communes C1 and C2,
 * merged into N (a commune of P from 2025-07); a health station F in C1;
 * an abolished-and-reborn history so that 2024 and 2025 have different
 * leaves. */
static HicovDataset *small(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL);
  unit(ds, "D", "P", HICOV_LEVEL_DISTRICT, 0, REFORM, NULL);
  unit(ds, "C1", "D", HICOV_LEVEL_COMMUNE, 0, REFORM, "N");
  unit(ds, "C2", "D", HICOV_LEVEL_COMMUNE, 0, REFORM, "N");
  unit(ds, "N", "P", HICOV_LEVEL_COMMUNE, REFORM, 0, NULL);
  unit(ds, "F", "C1", HICOV_LEVEL_FACILITY, 0, 0, NULL);
  val(ds, "C1", "2024", "population", NULL, 1000);
  val(ds, "C2", "2024", "population", NULL, 3000);
  val(ds, "C1", "2024", "participants", NULL, 950);
  val(ds, "C2", "2024", "participants", NULL, 2850);
  val(ds, "P", "2024", "population", NULL, 4000);
  val(ds, "P", "2024", "participants", "HN", 300);
  val(ds, "P", "2024", "participants", "DN", 3500);
  val(ds, "N", "2025", "population", NULL, 4100);
  val(ds, "N", "2025", "participants", NULL, 3900);
  val(ds, "P", "2024", "total_cost", NULL, 7000000); /* the province only */
  val(ds, "F", "2024-01", "visits", NULL, 10);
  val(ds, "F", "2024-02", "visits", NULL, 20);
  val(ds, "F", "2024-03", "visits", NULL, 12);
  return ds;
}

static const char MAP[] =
    "# Lang Son test mapping\n"
    "kind,hicov,dhis2,idScheme,name\n"
    "orgUnit,P,Pr0vinceUID,uid,Tỉnh\n"
    "orgUnit,D,Distr1ctUID,uid,Huyện\n"
    "orgUnit,C1,C0mmune1UID,uid,\n"
    "orgUnit,C2,C0mmune2UID,uid,\n"
    "orgUnit,N,NewC0mmun3U,uid,\n"
    "orgUnit,F,Fac1l1tyUID,uid,\n"
    "dataElement,population,BHYT_POP,,\n"
    "dataElement,participants,BHYT_PART,,\n"
    "dataElement,total_cost,BHYT_COST,,\n"
    "dataElement,visits,BHYT_VISITS,,\n"
    "dataElement,coverage_rate,BHYT_COV,,\n"
    "categoryOptionCombo,HN,\"BHYT \"\"HN\"\"\",,\n"
    "categoryOptionCombo,DN,BHYT_DN,,\n"
    "attributeOptionCombo,*,BHXH_VN,,\n"
    "dataSet,*,BHYT_YEAR,,\n"
    "dataSet,quarterly,BHYT_QUARTER,,\n";

static HicovDhis2Map *the_map(void)
{
  HicovDhis2Map *m;
  char err[600] = "";
  hicov_dhis2_map_new(&m);
  CHECK_INT(hicov_dhis2_map_parse(m, "map.csv", MAP, strlen(MAP), err,
                                  sizeof err), HICOV_OK);
  if (err[0])
    fprintf(stderr, "%s\n", err);
  return m;
}

static void expect_map_error(const char *text, const char *needle)
{
  HicovDhis2Map *m;
  char err[600] = "";
  hicov_dhis2_map_new(&m);
  CHECK_INT(hicov_dhis2_map_parse(m, "m.csv", text, strlen(text), err,
                                  sizeof err), HICOV_PARSE);
  CHECK_CONTAINS(err, needle);
  hicov_dhis2_map_free(m);
}

static void test_map(void)
{
  HicovDhis2Map *m = the_map();
  CHECK_STR(hicov_dhis2_map_to(m, HICOV_DHIS2_ORG_UNIT, "C2"), "C0mmune2UID");
  CHECK_STR(hicov_dhis2_map_from(m, HICOV_DHIS2_ORG_UNIT, "NewC0mmun3U"), "N");
  CHECK_STR(hicov_dhis2_map_to(m, HICOV_DHIS2_CATEGORY_OPTION_COMBO, "HN"),
            "BHYT \"HN\"");
  CHECK(hicov_dhis2_map_to(m, HICOV_DHIS2_ORG_UNIT, "X") == NULL);
  CHECK_INT(hicov_dhis2_map_scheme(m, HICOV_DHIS2_ORG_UNIT), HICOV_DHIS2_UID);
  CHECK_INT(hicov_dhis2_map_scheme(m, HICOV_DHIS2_DATA_ELEMENT),
            HICOV_DHIS2_CODE);
  CHECK_INT(hicov_dhis2_map_count(m, HICOV_DHIS2_DATA_SET), 2);
  hicov_dhis2_map_free(m);

  expect_map_error("kind,hicov,dhis2\norgUnt,20,X\n",
                   "m.csv line 2, column 1 (kind): expected orgUnit, "
                   "dataElement, categoryOptionCombo, attributeOptionCombo or "
                   "dataSet, found 'orgUnt'");
  expect_map_error("kind,hicov,dhis2,idScheme\norgUnit,20,ImspTQPwCq,uid\n",
                   "m.csv line 2: orgUnit '20': expected a DHIS2 UID (11 "
                   "letters and digits, a letter first), found 'ImspTQPwCq'");
  expect_map_error("kind,hicov,dhis2\norgUnit,20,A\norgUnit,22,B\n"
                   "orgUnit,20,C\n",
                   "m.csv line 2: orgUnit '20' -> 'A' and line 4: '20' -> "
                   "'C': one hicov code mapped twice");
  expect_map_error("kind,hicov,dhis2\norgUnit,20,A\norgUnit,22,A\n",
                   "one DHIS2 identifier for two hicov codes");
  expect_map_error("kind,hicov,dhis2,idScheme\norgUnit,20,A,code\n"
                   "orgUnit,22,Bbbbbbbbbbb,uid\n",
                   "m.csv line 3, column 4 (idScheme): the rows of orgUnit "
                   "before this one are in scheme code, this one says 'uid'");
  expect_map_error("kind,hicov\norgUnit,20\n", "m.csv line 1: missing column "
                   "'dhis2'");
  expect_map_error("kind,hicov,dhis2\ndataElement,particpants,X\n",
                   "line 2: dataElement 'particpants': expected a hicov "
                   "measure or indicator name");
  expect_map_error("kind,hicov,dhis2\nattributeOptionCombo,HN,X\n",
                   "expected * (every value)");
  expect_map_error("", "m.csv: empty: expected the header kind,hicov,dhis2");
}

/* The text of attribute `name` in the element that contains `at`. */
static int count(const char *hay, const char *needle)
{
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p++)
    n++;
  return n;
}

static void test_export_leaves(void)
{
  HicovDataset *ds = small();
  HicovDhis2Map *m = the_map();
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  opt.map = m;
  opt.exported = 1767225600;
  char *buf = NULL, *notes = NULL, err[900] = "";
  size_t len = 0;
  HicovDhis2ExportStats st;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               &notes, err, sizeof err), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  /* 2024: the communes hold population; P holds the groups of
   * participants (the map has categoryOptionCombo rows: participants goes
   * by group, its total left to DHIS2's sum) and its total_cost, which no
   * unit below reports.  F's visits cover three months: no year.  2025: N,
   * the commune formed from C1 and C2: never C1 or C2 again. */
  CHECK_CONTAINS(buf, "<group orgUnit=\"C0mmune1UID\" period=\"2024-01-01/P1Y\" "
                      "dataSet=\"BHYT_YEAR\" attributeOptionCombo=\"BHXH_VN\">\n"
                      "    <dataValue dataElement=\"BHYT_POP\" value=\"1000\"/>\n"
                      "  </group>");
  CHECK_CONTAINS(buf, "<group orgUnit=\"Pr0vinceUID\" period=\"2024-01-01/P1Y\" "
                      "dataSet=\"BHYT_YEAR\" attributeOptionCombo=\"BHXH_VN\">\n"
                      "    <dataValue dataElement=\"BHYT_PART\" "
                      "categoryOptionCombo=\"BHYT_DN\" value=\"3500\"/>\n"
                      "    <dataValue dataElement=\"BHYT_PART\" "
                      "categoryOptionCombo=\"BHYT &quot;HN&quot;\" value=\"300\"/>\n"
                      "    <dataValue dataElement=\"BHYT_COST\" "
                      "value=\"7000000\"/>\n  </group>");
  CHECK_CONTAINS(buf, "<group orgUnit=\"NewC0mmun3U\" period=\"2025-01-01/P1Y\"");
  CHECK(!strstr(buf, "Distr1ctUID") && !strstr(buf, "\"P\"") &&
        !strstr(buf, "\"C1\""));
  CHECK_INT(count(buf, "orgUnit=\"C0mmune1UID\""), 1);
  CHECK_INT(count(buf, "2025-01-01/P1Y"), 1);
  CHECK_INT(count(buf, "BHYT_POP"), 3); /* C1, C2 in 2024; N in 2025 */
  /* the leaves add up to the province's own total: 1000 + 3000 */
  CHECK_INT(st.values, 6);
  CHECK_INT(st.org_units, 4);
  CHECK_INT(st.periods, 2);
  CHECK_INT(st.partial, 0);
  /* participants by group only: the totals of the units without groups
   * are not sent, and a note says so (2024: D's 3,800, C1's 950 and C2's
   * 2,850, covered by P's groups; 2025: P's and N's 3,900, by nobody) */
  CHECK_STR(notes, "participants 2024: 3 units have a total but no values "
                   "by group (first: D (D)), and with groups only their totals "
                   "are not sent: --groups both sends them\n"
                   "participants 2025: 2 units have a total but no values "
                   "by group (first: P (P)), and with groups only their totals "
                   "are not sent: --groups both sends them\n");
  hicov_free(notes);
  notes = NULL;
  hicov_free(buf);

  /* quarterly: F's months add up to 2024Q1, in the quarterly data set */
  opt.period_type = HICOV_PERIOD_QUARTER;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  CHECK(buf && adx_valid(buf, len));
  CHECK_CONTAINS(buf, "<group orgUnit=\"Fac1l1tyUID\" period=\"2024-01-01/P3M\" "
                      "dataSet=\"BHYT_QUARTER\"");
  CHECK_CONTAINS(buf, "dataElement=\"BHYT_VISITS\" value=\"42\"");
  hicov_free(buf);

  /* a level: the communes existing at the end of each year, with their
   * totals, and totals only when asked */
  opt.period_type = 0;
  opt.units = HICOV_ADX_LEVEL;
  opt.level = HICOV_LEVEL_COMMUNE;
  opt.groups = HICOV_ADX_GROUPS_TOTALS;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  CHECK_INT(st.org_units, 3);
  CHECK(buf && !strstr(buf, "categoryOptionCombo") &&
        !strstr(buf, "Pr0vinceUID"));
  CHECK_CONTAINS(buf, "<group orgUnit=\"C0mmune1UID\" period=\"2024-01-01/P1Y\" "
                      "dataSet=\"BHYT_YEAR\" attributeOptionCombo=\"BHXH_VN\">\n"
                      "    <dataValue dataElement=\"BHYT_POP\" value=\"1000\"/>\n"
                      "    <dataValue dataElement=\"BHYT_PART\" value=\"950\"/>");
  hicov_free(buf);

  /* what the map lacks is listed, or left out on request */
  opt.units = HICOV_ADX_LEAVES;
  opt.groups = 0;
  HicovDataset *more = small();
  val(more, "C1", "2024", "inpatient_days", NULL, 5);
  CHECK_INT(hicov_dhis2_export(more, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_INVALID);
  CHECK_CONTAINS(err, "the mapping names no dataElement for inpatient_days "
                      "(add them to the mapping file");
  opt.skip_unmapped = 1;
  CHECK_INT(hicov_dhis2_export(more, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               &notes, err, sizeof err), HICOV_OK);
  CHECK_INT(st.unmapped, 1);
  CHECK_CONTAINS(notes, "1 values left out: the mapping names no "
                        "dataElement for inpatient_days");
  hicov_free(notes);
  hicov_free(buf);
  hicov_dataset_free(more);
  hicov_dhis2_map_free(m);
  hicov_dataset_free(ds);
}

/* A district figure its communes cover only in part is exported as the
 * district's: DHIS2's sum of the communes would fall short. */
static void test_partial(void)
{
  HicovDataset *ds = small();
  val(ds, "D", "2023", "population", NULL, 3900);
  val(ds, "C1", "2023", "population", NULL, 950);
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  opt.first_year = opt.last_year = 2023;
  opt.exported = 1767225600;
  char *buf = NULL, *notes = NULL, err[600];
  size_t len;
  HicovDhis2ExportStats st;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               &notes, err, sizeof err), HICOV_OK);
  CHECK_CONTAINS(buf, "<group orgUnit=\"D\" period=\"2023-01-01/P1Y\">\n"
                      "    <dataValue dataElement=\"population\" value=\"3900\"/>");
  CHECK(!strstr(buf, "orgUnit=\"C1\"") && !strstr(buf, "orgUnit=\"P\""));
  CHECK_INT(st.values, 1);
  CHECK_INT(st.partial, 1);
  CHECK_STR(notes, "D 2023 population: 1 of the 2 units below have a value: "
                   "D's own total 3900 is exported instead of theirs\n");
  hicov_free(buf);
  hicov_free(notes);
  /* no total above C1 (C2 has none in 2022): C1's value still goes out */
  val(ds, "C1", "2022", "population", NULL, 940);
  opt.first_year = 2022;
  opt.last_year = 2022;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               &notes, err, sizeof err), HICOV_OK);
  CHECK_CONTAINS(buf, "<group orgUnit=\"C1\" period=\"2022-01-01/P1Y\">\n"
                      "    <dataValue dataElement=\"population\" value=\"940\"/>");
  CHECK_INT(st.values, 1);
  CHECK(notes == NULL);
  hicov_free(buf);
  opt.first_year = opt.last_year = 2023;
  /* the communes' own sum differs from the district's: theirs go out */
  val(ds, "C2", "2023", "population", NULL, 2900);
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               &notes, err, sizeof err), HICOV_OK);
  CHECK_INT(st.values, 2);
  CHECK_STR(notes, "D 2023 population: the units below add up to 3850 and "
                   "D's own total is 3900: theirs are exported\n");
  hicov_free(buf);
  hicov_free(notes);
  hicov_dataset_free(ds);
}

/* The JSON carries what the ADX does; strings are escaped. */
static void test_json(void)
{
  HicovDataset *ds = small();
  HicovDhis2Map *m = the_map();
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  opt.map = m;
  char *buf = NULL, err[600] = "";
  size_t len;
  HicovDhis2ExportStats st;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_JSON, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  json_error_t e;
  json_t *root = buf ? json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e) : NULL;
  CHECK(root != NULL);
  if (!root)
    fprintf(stderr, "%s line %d: %s\n", buf, e.line, e.text);
  json_t *dv = json_object_get(root, "dataValues");
  CHECK_INT(json_array_size(dv), 6);
  CHECK_STR(json_string_value(json_object_get(root, "orgUnitIdScheme")), "UID");
  CHECK_STR(json_string_value(json_object_get(root, "dataElementIdScheme")),
            "CODE");
  CHECK_STR(json_string_value(json_object_get(root, "dataSet")), "BHYT_YEAR");
  int hn = 0;
  for (size_t i = 0; i < json_array_size(dv); i++) {
    json_t *v = json_array_get(dv, i);
    const char *coc = json_string_value(json_object_get(v, "categoryOptionCombo"));
    if (coc && !strcmp(coc, "BHYT \"HN\"")) {
      hn++;
      CHECK_STR(json_string_value(json_object_get(v, "value")), "300");
      CHECK_STR(json_string_value(json_object_get(v, "period")), "2024");
      CHECK_STR(json_string_value(json_object_get(v, "orgUnit")), "Pr0vinceUID");
      CHECK_STR(json_string_value(json_object_get(v, "attributeOptionCombo")),
                "BHXH_VN");
    }
  }
  CHECK_INT(hn, 1);
  json_decref(root);
  hicov_free(buf);
  /* completeDate registers one set: refused for several units */
  opt.complete_date = "2025-01-31";
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_JSON, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_INVALID);
  CHECK_CONTAINS(err, "completeDate: a dataValueSets JSON document registers");
  opt.unit = "N";
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_JSON, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  CHECK_CONTAINS(buf, "\"completeDate\": \"2025-01-31\", \"period\": \"2025\", "
                      "\"orgUnit\": \"NewC0mmun3U\",");
  hicov_free(buf);
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  CHECK_CONTAINS(buf, "dataSet=\"BHYT_YEAR\" completeDate=\"2025-01-31\"");
  hicov_free(buf);
  hicov_dhis2_map_free(m);
  opt.map = NULL; /* no data set: no completion to register */
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_ADX, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_INVALID);
  CHECK_CONTAINS(err, "completeDate: DHIS2 registers the completion of a data "
                      "set: give one");
  hicov_dataset_free(ds);

  /* a code with a quote, a backslash and a control character */
  hicov_dataset_new(&ds);
  unit(ds, "A\"\\\x01", NULL, HICOV_LEVEL_PROVINCE, 0, 0, NULL);
  val(ds, "A\"\\\x01", "2024", "population", NULL, 5);
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  CHECK_INT(hicov_dhis2_export(ds, &opt, HICOV_DHIS2_JSON, &buf, &len, &st,
                               NULL, err, sizeof err), HICOV_OK);
  CHECK_CONTAINS(buf, "\"orgUnit\": \"A\\\"\\\\\\u0001\"");
  root = json_loadb(buf, len, 0, &e);
  CHECK_STR(json_string_value(json_object_get(json_array_get(
                json_object_get(root, "dataValues"), 0), "orgUnit")),
            "A\"\\\x01");
  json_decref(root);
  hicov_free(buf);
  hicov_dataset_free(ds);
}

static HicovDataset *units_of(HicovDataset *from)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  hicov_dataset_set_lang(ds, "en");
  for (size_t i = 0; i < hicov_dataset_unit_count(from); i++) {
    HicovUnit u;
    hicov_dataset_unit(from, i, &u);
    CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
  }
  return ds;
}

/* ADX and JSON exports read back through the map give the same values. */
static void test_round_trip(void)
{
  HicovDataset *ds = small();
  HicovDhis2Map *m = the_map();
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  opt.map = m;
  char *csv[2] = { NULL, NULL }, err[600] = "";
  for (int f = 0; f < 2; f++) {
    char *buf = NULL;
    size_t len;
    CHECK_INT(hicov_dhis2_export(ds, &opt, f, &buf, &len, NULL, NULL, err,
                                 sizeof err), HICOV_OK);
    HicovDataset *back = units_of(ds);
    HicovDhis2Read *r = NULL;
    CHECK_INT(hicov_dhis2_read_buffer(back, f ? "x.json" : "x.xml", buf, len,
                                      -1, m, HICOV_LOAD_STRICT, &r), HICOV_OK);
    if (hicov_dhis2_read_errmsg(r)[0])
      fprintf(stderr, "%s\n", hicov_dhis2_read_errmsg(r));
    CHECK_INT(hicov_dhis2_read_format(r), f);
    HicovDhis2Counts k;
    hicov_dhis2_read_counts(r, &k);
    CHECK_INT(k.values_read, 6);
    CHECK_INT(k.values_accepted, 6);
    HicovMergeStats ms;
    CHECK_INT(hicov_dhis2_read_merge(r, back, HICOV_CONFLICT_ERROR, "t", &ms,
                                     NULL), HICOV_OK);
    CHECK_INT(ms.added, 6);
    int64_t c = 0;
    CHECK_INT(hicov_dataset_measure(back, "participants", "P",
                                    hicov_period_year(2024), "HN", &c, NULL, 0),
              HICOV_OK);
    CHECK_INT(c, 30000);
    CHECK_INT(hicov_dataset_measure(back, "population", "P",
                                    hicov_period_year(2024), NULL, &c, NULL, 0),
              HICOV_OK);
    CHECK_INT(c, 400000); /* C1 + C2 */
    hicov_dataset_values_csv(back, &csv[f], NULL);
    hicov_dhis2_read_free(r);
    hicov_dataset_free(back);
    hicov_free(buf);
  }
  CHECK(csv[0] && csv[1] && !strcmp(csv[0], csv[1]));
  hicov_free(csv[0]);
  hicov_free(csv[1]);
  hicov_dhis2_map_free(m);
  hicov_dataset_free(ds);
}

static HicovDhis2Read *read_json(HicovDataset *ds, const char *doc,
                                 const HicovDhis2Map *m, int mode, int rc)
{
  HicovDhis2Read *r = NULL;
  CHECK_INT(hicov_dhis2_read_buffer(ds, "dv.json", doc, strlen(doc), -1, m,
                                    mode, &r), rc);
  return r;
}

/* DHIS2's own exports: UIDs, the default combination, period forms,
 * numbers, and what hicov refuses, each with its place. */
static void test_import_json(void)
{
  HicovDataset *ds = small();
  HicovDhis2Map *m = the_map();
  const char *doc =
      "{\"dataSet\": \"BHYT_YEAR\", \"orgUnitIdScheme\": \"uid\",\n"
      " \"period\": \"2024\", \"dataValues\": [\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune1UID\",\n"
      "   \"categoryOptionCombo\": \"HllvX50cXC0\", \"attributeOptionCombo\":\n"
      "   \"HllvX50cXC0\", \"value\": \"1200\", \"storedBy\": \"admin\"},\n"
      "  {\"dataElement\": \"BHYT_VISITS\", \"orgUnit\": \"Fac1l1tyUID\",\n"
      "   \"period\": \"2024Q2\", \"value\": 12.50},\n"
      "  {\"dataElement\": \"BHYT_PART\", \"orgUnit\": \"Pr0vinceUID\",\n"
      "   \"period\": \"2025S1\", \"categoryOptionCombo\": \"BHYT_DN\",\n"
      "   \"value\": \"17\"},\n"
      "  {\"dataElement\": \"BHYT_COV\", \"orgUnit\": \"Pr0vinceUID\",\n"
      "   \"value\": \"95.1\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"XXXXXXXXXXX\",\n"
      "   \"value\": \"1\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune2UID\",\n"
      "   \"period\": \"2024W3\", \"value\": \"1\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune2UID\",\n"
      "   \"attributeOptionCombo\": \"OTHER\", \"value\": \"1\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune2UID\",\n"
      "   \"value\": \"1\", \"deleted\": true},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": 42, \"value\": \"1\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune1UID\",\n"
      "   \"value\": \"7\"},\n"
      "  {\"dataElement\": \"BHYT_POP\", \"orgUnit\": \"C0mmune2UID\",\n"
      "   \"value\": 1e-30},\n"
      "  [1]\n"
      "]}\n";
  HicovDhis2Read *r = read_json(ds, doc, m, HICOV_LOAD_LENIENT, HICOV_OK);
  HicovDhis2Counts k;
  hicov_dhis2_read_counts(r, &k);
  CHECK_INT(k.values_read, 12);
  CHECK_INT(k.values_accepted, 3);
  CHECK_INT(k.values_derived, 1);
  CHECK_INT(k.values_rejected, 8);
  const char *rej = hicov_dhis2_read_rejections(r);
  CHECK_CONTAINS(rej, "dv.json dataValues[4]: dataValue dataElement='BHYT_POP': "
                      "orgUnit 'XXXXXXXXXXX' is not in the mapping\n");
  CHECK_CONTAINS(rej, "dv.json dataValues[5]: dataValue dataElement='BHYT_POP': "
                      "period '2024W3': expected a DHIS2 period of whole months");
  CHECK_CONTAINS(rej, "dv.json dataValues[6]: dataValue dataElement='BHYT_POP': "
                      "attributeOptionCombo 'OTHER': hicov holds no attribute "
                      "dimension");
  CHECK_CONTAINS(rej, "dv.json dataValues[7]: dataValue dataElement='BHYT_POP': "
                      "a deleted value");
  CHECK_CONTAINS(rej, "dv.json dataValues[8]: dataValue dataElement='BHYT_POP': "
                      "orgUnit: expected a string, found a number");
  CHECK_CONTAINS(rej, "dv.json dataValues[9]: dataValue dataElement='BHYT_POP': "
                      "a second value for orgUnit 'C1' and period 2024 (the "
                      "first is dataValues[0])");
  CHECK_CONTAINS(rej, "dv.json dataValues[10]: dataValue dataElement='BHYT_POP': "
                      "value '1.0000000000000001e-30' is not a decimal");
  CHECK_CONTAINS(rej, "dv.json dataValues[11]: expected a data value object, "
                      "found an array");
  size_t n;
  const HicovValue *v = hicov_dhis2_read_values(r, &n);
  CHECK_INT(n, 3);
  if (n == 3) {
    CHECK_STR(v[0].unit, "C1");
    CHECK_INT(v[0].centi, 120000);
    CHECK(v[0].group == NULL);
    CHECK_STR(v[0].where, "dv.json dataValues[0]");
    CHECK_STR(v[1].measure, "visits");
    CHECK_INT(v[1].centi, 1250);
    CHECK_INT(v[1].period.first, 2024 * 12 + 3);
    CHECK_INT(v[1].period.last, 2024 * 12 + 5);
    CHECK_STR(v[2].group, "DN");
    CHECK_INT(v[2].period.last - v[2].period.first, 5);
  }
  /* 1200 differs from C1's 1000: refused, replaced or kept */
  HicovMergeStats ms;
  char *conflicts = NULL;
  CHECK_INT(hicov_dhis2_read_merge(r, ds, HICOV_CONFLICT_ERROR, NULL, &ms,
                                   &conflicts), HICOV_INVALID);
  CHECK_CONTAINS(conflicts, "dv.json dataValues[0]: population of C1 for 2024 "
                            "is 1,000 in the dataset and 1,200 in the import");
  hicov_free(conflicts);
  CHECK_INT(hicov_dhis2_read_merge(r, ds, HICOV_CONFLICT_KEEP, NULL, &ms, NULL),
            HICOV_OK);
  CHECK_INT(ms.kept, 1);
  CHECK_INT(ms.added, 2);
  hicov_dhis2_read_free(r);

  /* strict: the first rejection, and how many */
  r = read_json(ds, doc, m, HICOV_LOAD_STRICT, HICOV_PARSE);
  CHECK_CONTAINS(hicov_dhis2_read_errmsg(r), "dv.json dataValues[4]: dataValue "
                 "dataElement='BHYT_POP': orgUnit 'XXXXXXXXXXX' is not in the "
                 "mapping (8 values rejected in all; nothing was imported)");
  hicov_dhis2_read_values(r, &n);
  CHECK_INT(n, 0);
  hicov_dhis2_read_free(r);

  /* the document: malformed JSON by line and column, a duplicate key, a
   * scheme that is not the map's */
  r = read_json(ds, "{\"dataValues\": [\n  {\"value\": \"1\",}\n]}", m,
                HICOV_LOAD_STRICT, HICOV_PARSE);
  CHECK_CONTAINS(hicov_dhis2_read_errmsg(r), "dv.json line 2, column ");
  hicov_dhis2_read_free(r);
  r = read_json(ds, "{\"dataValues\": [], \"dataValues\": []}", m,
                HICOV_LOAD_STRICT, HICOV_PARSE);
  CHECK_CONTAINS(hicov_dhis2_read_errmsg(r), "duplicate object key");
  hicov_dhis2_read_free(r);
  r = read_json(ds, "{\"idScheme\": \"CODE\", \"dataValues\": []}", m,
                HICOV_LOAD_STRICT, HICOV_INVALID);
  CHECK_STR(hicov_dhis2_read_errmsg(r), "dv.json: idScheme is 'CODE' but the "
            "mapping's orgUnit identifiers are UIDs");
  hicov_dhis2_read_free(r);
  r = read_json(ds, "[]", NULL, HICOV_LOAD_STRICT, HICOV_PARSE);
  CHECK_STR(hicov_dhis2_read_errmsg(r), "dv.json: expected a dataValueSets "
            "object {\"dataValues\": [...]}, found an array");
  hicov_dhis2_read_free(r);
  hicov_dhis2_map_free(m);
  hicov_dataset_free(ds);
}

/* ADX through the map: categoryOptionCombo is a group, hicov codes
 * without a map. */
static void test_import_adx(void)
{
  HicovDataset *ds = small();
  HicovDhis2Map *m = the_map();
  const char *doc =
      "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-01-01T00:00:00Z\">\n"
      "<group orgUnit=\"NewC0mmun3U\" period=\"2025-10-01/P1M\" "
      "dataSet=\"BHYT_YEAR\" attributeOptionCombo=\"BHXH_VN\">\n"
      "<dataValue dataElement=\"BHYT_PART\" categoryOptionCombo=\"BHYT &quot;HN&quot;\" "
      "value=\"12\"/>\n"
      "<dataValue dataElement=\"BHYT_PART\" categoryOptionCombo=\"BHYT_XX\" "
      "value=\"1\"/>\n"
      "<dataValue dataElement=\"participants\" value=\"1\"/>\n"
      "</group>\n</adx>\n";
  HicovDhis2Read *r = NULL;
  CHECK_INT(hicov_dhis2_read_buffer(ds, "g.xml", doc, strlen(doc), -1, m,
                                    HICOV_LOAD_LENIENT, &r), HICOV_OK);
  const char *rej = hicov_dhis2_read_rejections(r);
  CHECK_CONTAINS(rej, "g.xml line 4: dataValue dataElement='BHYT_PART': "
                      "categoryOptionCombo 'BHYT_XX' is not in the mapping\n");
  CHECK_CONTAINS(rej, "g.xml line 5: dataValue dataElement='participants': not "
                      "in the mapping\n");
  size_t n;
  const HicovValue *v = hicov_dhis2_read_values(r, &n);
  CHECK_INT(n, 1);
  if (n) {
    CHECK_STR(v[0].unit, "N");
    CHECK_STR(v[0].group, "HN");
    CHECK_STR(v[0].where, "g.xml line 3");
  }
  hicov_dhis2_read_free(r);
  /* without a map the identifiers are hicov's codes */
  const char *plain =
      "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-01-01T00:00:00Z\">\n"
      "<group orgUnit=\"N\" period=\"2025-10-01/P1M\">\n"
      "<dataValue dataElement=\"participants\" categoryOptionCombo=\"HN\" "
      "value=\"12\"/>\n"
      "<dataValue dataElement=\"participants\" categoryOptionCombo=\"default\" "
      "value=\"3912\"/>\n"
      "</group>\n</adx>\n";
  CHECK_INT(hicov_dhis2_read_buffer(ds, "p.xml", plain, strlen(plain), -1,
                                    NULL, HICOV_LOAD_STRICT, &r), HICOV_OK);
  v = hicov_dhis2_read_values(r, &n);
  CHECK_INT(n, 2);
  if (n == 2) {
    CHECK_STR(v[0].group, "HN");
    CHECK(v[1].group == NULL);
  }
  hicov_dhis2_read_free(r);
  hicov_dhis2_map_free(m);
  hicov_dataset_free(ds);
}

/* The format a file's name implies, for export and import alike. */
static void test_format_of_path(void)
{
  CHECK_INT(hicov_dhis2_format_of_path("out.json"), HICOV_DHIS2_JSON);
  CHECK_INT(hicov_dhis2_format_of_path("dir/OUT.JSON"), HICOV_DHIS2_JSON);
  CHECK_INT(hicov_dhis2_format_of_path("out.xml"), HICOV_DHIS2_ADX);
  CHECK_INT(hicov_dhis2_format_of_path("json"), HICOV_DHIS2_ADX);
  CHECK_INT(hicov_dhis2_format_of_path(".json.xml"), HICOV_DHIS2_ADX);
  CHECK_INT(hicov_dhis2_format_of_path(NULL), HICOV_DHIS2_ADX);
}

int main(void)
{
  test_format_of_path();
  load_schema();
  test_map();
  test_export_leaves();
  test_partial();
  test_json();
  test_round_trip();
  test_import_json();
  test_import_adx();
  xmlSchemaFree(adx_schema);
  return test_finish("test-dhis2");
}
