/* Reports: SHA-256, sentences, XML valid against report.xsd with the
 * core's exact values, met and missed targets, atomic saving, HTML, PDF,
 * allocation failures. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "hicov-data.h"
#include "hicov-report.h"
#include "testutil.h"

static const char *source_path(const char *rel)
{
  static char buf[1024];
  const char *root = getenv("HICOV_SOURCE_DIR");
  snprintf(buf, sizeof buf, "%s/%s", root ? root : "..", rel);
  return buf;
}

static char *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  if (p) {
    p[n] = '\0';
    if (len)
      *len = (size_t)n;
  }
  return p;
}

/* ---- SHA-256: FIPS 180-4 test vectors ---------------------------------- */

static void test_sha256(void)
{
  char hex[65];
  hicov_sha256_hex("", 0, hex);
  CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hicov_sha256_hex("abc", 3, hex);
  CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  hicov_sha256_hex(m448, strlen(m448), hex);
  CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* One million 'a', fed in uneven pieces through the streaming API. */
  HicovSha256 ctx;
  unsigned char d[32], block[997];
  memset(block, 'a', sizeof block);
  hicov_sha256_init(&ctx);
  size_t left = 1000000;
  for (size_t piece = 1; left > 0; piece = piece % 900 + 13) {
    size_t n = piece < left ? piece : left;
    hicov_sha256_update(&ctx, block, n);
    left -= n;
  }
  hicov_sha256_final(&ctx, d);
  char got[65];
  for (int i = 0; i < 32; i++)
    snprintf(got + 2 * i, 3, "%02x", d[i]);
  CHECK_STR(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  /* A file: the same digest as its bytes. */
  char path[] = "/tmp/hicov-sha-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, "abc", 3) == 3);
  close(fd);
  uint64_t size = 0;
  CHECK_INT(hicov_sha256_file(path, hex, &size), HICOV_OK);
  CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_INT(size, 3);
  unlink(path);
  CHECK_INT(hicov_sha256_file("/nonexistent/x", hex, NULL), HICOV_IO);
}

/* ---- Datasets built in code -------------------------------------------- */

static void add(HicovDataset *ds, const char *u, int year, const char *m,
                int64_t whole)
{
  CHECK_INT(hicov_dataset_add_value(ds, u, m, NULL, hicov_period_year(year),
                                    whole * 100, "test"), HICOV_OK);
}

static void add_unit(HicovDataset *ds, const char *code, const char *name,
                     const char *parent, int level)
{
  HicovUnit u = { code, name, parent, level, 0, 0, NULL, 0 };
  CHECK_INT(hicov_dataset_add_unit(ds, &u), HICOV_OK);
}

/* A province with two districts; coverage of the province: 2020 90%,
 * 2022 93%, 2024 95% (population 100,000 each year). */
static HicovDataset *small_dataset(void)
{
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  add_unit(ds, "P", "Tỉnh Thử", NULL, HICOV_LEVEL_PROVINCE);
  add_unit(ds, "D1", "Huyện Một", "P", HICOV_LEVEL_DISTRICT);
  add_unit(ds, "D2", "Huyện Hai", "P", HICOV_LEVEL_DISTRICT);
  static const struct { int year; int64_t p1, n1, p2, n2; } rows[] = {
    { 2020, 60000, 55000, 40000, 35000 },
    { 2022, 60000, 56400, 40000, 36600 },
    { 2024, 60000, 57600, 40000, 37400 },
  };
  for (size_t i = 0; i < 3; i++) {
    add(ds, "D1", rows[i].year, "population", rows[i].p1);
    add(ds, "D1", rows[i].year, "participants", rows[i].n1);
    add(ds, "D2", rows[i].year, "population", rows[i].p2);
    add(ds, "D2", rows[i].year, "participants", rows[i].n2);
  }
  add(ds, "D1", 2024, "visits", 120000);
  add(ds, "D2", 2024, "visits", 80000);
  add(ds, "D1", 2024, "total_cost", 60000000000);
  add(ds, "D2", 2024, "total_cost", 40000000000);
  return ds;
}

static HicovResolution *resolution(double threshold, int deadline,
                                   int baseline, int level)
{
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("HĐND tỉnh Thử", "01/NQ-HĐND",
                                 "Nghị quyết về bảo hiểm y tế", 2020, 2025,
                                 &r), HICOV_OK);
  HicovTarget t = { "coverage_rate", "P", level, threshold,
                    HICOV_CMP_AT_LEAST, deadline, baseline, NULL };
  CHECK_INT(hicov_resolution_add_target(r, &t), HICOV_OK);
  return r;
}

/* ---- XML checks --------------------------------------------------------- */

static xmlSchemaPtr report_schema(void)
{
  xmlSchemaParserCtxtPtr pc =
      xmlSchemaNewParserCtxt(source_path("reports/report.xsd"));
  xmlSchemaPtr s = xmlSchemaParse(pc);
  xmlSchemaFreeParserCtxt(pc);
  CHECK(s != NULL);
  return s;
}

/* Parses and validates against reports/report.xsd (the file, not the copy
 * in the library). */
static xmlDocPtr parse_valid(const char *buf, size_t len)
{
  xmlDocPtr doc = xmlReadMemory(buf, (int)len, "report.xml", NULL,
                                XML_PARSE_NONET);
  CHECK(doc != NULL);
  if (!doc)
    return NULL;
  xmlSchemaPtr s = report_schema();
  if (s) {
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(s);
    CHECK_INT(xmlSchemaValidateDoc(v, doc), 0);
    xmlSchemaFreeValidCtxt(v);
    xmlSchemaFree(s);
  }
  return doc;
}

/* The number at an XPath (attribute or element), as written. */
static double xnum(xmlDocPtr doc, const char *xpath)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "r", BAD_CAST "urn:hicov:report:1");
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  double v = NAN;
  if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
    xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
    v = strtod((const char *)s, NULL);
    xmlFree(s);
  }
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return v;
}

static char *xstr(xmlDocPtr doc, const char *xpath)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "r", BAD_CAST "urn:hicov:report:1");
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  static char buf[2048];
  buf[0] = '\0';
  if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
    xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
    snprintf(buf, sizeof buf, "%s", (const char *)s);
    xmlFree(s);
  }
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return buf;
}

/* Every number in the report's assessments is the core's, exactly. */
static void check_values_equal_core(HicovDataset *ds,
                                    const HicovResolution *res,
                                    xmlDocPtr doc)
{
  HicovAssessment *a;
  size_t n;
  CHECK_INT(hicov_assess(ds, res, &a, &n), HICOV_OK);
  for (size_t i = 0; i < n; i++) {
    char xp[256];
    char base[160];
    snprintf(base, sizeof base,
             "/r:report/r:assessments/r:target[@target=%zu]/"
             "r:assessment[@unit='%s']", a[i].target_index + 1, a[i].unit);
#define SAME(path, value) do { snprintf(xp, sizeof xp, "%s%s", base, path); \
    double _v = (value); if (isfinite(_v)) CHECK(xnum(doc, xp) == _v); \
    else CHECK(isnan(xnum(doc, xp))); } while (0)
    SAME("/@threshold", a[i].threshold);
    SAME("/r:latest/@value", a[i].latest_value);
    SAME("/r:baseline/@value", a[i].baseline_value);
    SAME("/r:gap", a[i].gap);
    SAME("/r:participants-needed", a[i].participants_needed);
    SAME("/r:required-annual-change", a[i].required_annual_change);
    SAME("/r:required-annual-growth", a[i].required_annual_growth);
    SAME("/r:projection/@value", a[i].projected_value);
    SAME("/r:fit/@slope", a[i].fit_n >= 2 ? a[i].fit_slope : NAN);
#undef SAME
    snprintf(xp, sizeof xp, "%s/r:latest/@year", base);
    if (isfinite(a[i].latest_value))
      CHECK_INT((int)xnum(doc, xp), a[i].latest_year);
    snprintf(xp, sizeof xp, "%s/@status", base);
    static const char *const tokens[] = { "unknown", "achieved", "on-track",
                                          "at-risk", "not-achieved" };
    CHECK_STR(xstr(doc, xp), tokens[a[i].status]);
  }
  hicov_free(a);
}

/* ---- Tests -------------------------------------------------------------- */

/* A target met (90% by 2024, reached 95%) and one missed (98% by 2024). */
static void test_met_and_missed(void)
{
  HicovDataset *ds = small_dataset();
  struct {
    double threshold;
    int status;
    const char *vi, *en;
  } cases[] = {
    { 90, HICOV_TARGET_ACHIEVED,
      "Đến hết năm 2024, tỷ lệ bao phủ đạt 95,0%, vượt chỉ tiêu 90% là 5,0 "
      "điểm phần trăm. So với năm 2020 (90,0%), tăng 5,0 điểm phần trăm. "
      "Chỉ tiêu đã hoàn thành.",
      "By the end of 2024, health-insurance coverage reached 95.0%, 5.0 "
      "percentage points above the 90% target." },
    /* 98% of 100,000 = 98,000; 95,000 enrolled: 3,000 more. */
    { 98, HICOV_TARGET_NOT_ACHIEVED,
      "Đến hết năm 2024, tỷ lệ bao phủ đạt 95,0%, còn thiếu 3,0 điểm phần "
      "trăm so với chỉ tiêu 98%; cần thêm 3.000 người tham gia.",
      "; 3,000 more people need to join. Compared with 2020 (90.0%), "
      "that is 5.0 percentage points more. The target of 98% by 2024 was "
      "not met." },
  };
  for (size_t k = 0; k < 2; k++) {
    HicovResolution *res = resolution(cases[k].threshold, 2024, 2020, -1);
    HicovReport *rep = NULL;
    CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
    hicov_report_set_time(rep, 1767225600); /* 2026-01-01T00:00:00Z */
    CHECK_INT(hicov_report_assessment_count(rep), 1);
    const HicovAssessment *a = hicov_report_assessment(rep, 0);
    CHECK_INT(a->status, cases[k].status);
    CHECK_CONTAINS(hicov_report_sentence(rep, 0, "vi"), cases[k].vi);
    CHECK_CONTAINS(hicov_report_sentence(rep, 0, "en"), cases[k].en);
    CHECK(hicov_report_sentence(rep, 1, "vi") == NULL);

    char *xml = NULL;
    size_t len = 0;
    CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
    xmlDocPtr doc = xml ? parse_valid(xml, len) : NULL;
    if (doc) {
      check_values_equal_core(ds, res, doc);
      CHECK_STR(xstr(doc, "/r:report/r:provenance/@generated"),
                "2026-01-01T00:00:00Z");
      CHECK_STR(xstr(doc, "/r:report/r:provenance/@hicov-version"),
                hicov_version());
      CHECK_STR(xstr(doc, "/r:report/r:subject/@name"), "Tỉnh Thử");
      /* Tables: coverage by district for 2024 (D1 96%, D2 93.5%), the
       * province as total; a rate of a group is a ratio of sums. */
      CHECK(xnum(doc, "//r:table[@id='coverage-by-unit']/r:row[@key='D1']/"
                      "r:cell[@indicator='coverage_rate']/@value") == 96);
      CHECK(xnum(doc, "//r:table[@id='coverage-by-unit']/r:row[@key='D2']/"
                      "r:cell[@indicator='coverage_rate']/@value") == 93.5);
      CHECK(xnum(doc, "//r:table[@id='coverage-by-unit']/r:row[@total='true']/"
                      "r:cell[@indicator='coverage_rate']/@value") == 95);
      CHECK(xnum(doc, "//r:table[@id='spending-by-unit']/r:row[@total='true']/"
                      "r:cell[@indicator='cost_per_visit']/@value") == 500000);
      CHECK(xnum(doc, "//r:table[@id='by-year']/r:row[@key='2022']/"
                      "r:cell[@indicator='coverage_rate']/@value") == 93);
      /* Years without any value are left out of the by-year table. */
      CHECK_STR(xstr(doc, "//r:table[@id='by-year']/r:row[@key='2021']/@key"),
                "");
      CHECK_STR(xstr(doc, "//r:statement[@lang='vi']"),
                hicov_report_sentence(rep, 0, "vi"));
      xmlFreeDoc(doc);
    }
    hicov_free(xml);

    char *html = NULL;
    CHECK_INT(hicov_report_html(rep, &html, &len), HICOV_OK);
    CHECK(html && strlen(html) == len);
    CHECK_CONTAINS(html, "<html lang=\"vi\"");
    CHECK_CONTAINS(html, "95,0%");
    CHECK_CONTAINS(html, k ? "Không đạt" : "Đã đạt");
    CHECK_CONTAINS(html, "Huyện Một");
    hicov_free(html);
    hicov_report_free(rep);

    /* English labels and numbers. */
    CHECK_INT(hicov_report_new(ds, res, "en", &rep), HICOV_OK);
    CHECK_INT(hicov_report_html(rep, &html, &len), HICOV_OK);
    CHECK_CONTAINS(html, "<html lang=\"en\"");
    CHECK_CONTAINS(html, k ? "Not achieved" : "Achieved");
    CHECK_CONTAINS(html, "100,000");
    hicov_free(html);
    hicov_report_free(rep);
    hicov_resolution_free(res);
  }

  /* A target on a level: each district assessed, a summary sentence. */
  HicovResolution *res = resolution(95, 2024, 0, HICOV_LEVEL_DISTRICT);
  HicovReport *rep = NULL;
  CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
  CHECK_INT(hicov_report_assessment_count(rep), 2);
  char *xml = NULL;
  size_t len;
  CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
  xmlDocPtr doc = xml ? parse_valid(xml, len) : NULL;
  if (doc) {
    check_values_equal_core(ds, res, doc);
    CHECK(xnum(doc, "//r:assessments/r:target/@achieved") == 1);
    CHECK(xnum(doc, "//r:assessments/r:target/@not-achieved") == 1);
    CHECK_CONTAINS(xstr(doc, "//r:assessments/r:target/r:statement[@lang='vi']"),
                   "Có 1/2 huyện đã đạt chỉ tiêu 95%");
    CHECK_CONTAINS(xstr(doc, "//r:assessment[@unit='D2']/r:statement[@lang='vi']"),
                   "tỷ lệ bao phủ của Huyện Hai đạt 93,5%, còn thiếu 1,5 "
                   "điểm phần trăm so với chỉ tiêu 95%");
    xmlFreeDoc(doc);
  }
  hicov_free(xml);
  hicov_report_free(rep);
  hicov_resolution_free(res);

  /* An unknown unit is an error that says which. */
  HicovResolution *bad;
  hicov_resolution_new("B", "N", NULL, 2020, 2025, &bad);
  HicovTarget t = { "coverage_rate", "ZZ", -1, 95, 0, 2025, 0, NULL };
  hicov_resolution_add_target(bad, &t);
  CHECK_INT(hicov_report_new(ds, bad, "vi", &rep), HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_report_errmsg(rep), "'ZZ'");
  hicov_report_free(rep);
  CHECK_INT(hicov_report_new(ds, bad, "fr", &rep), HICOV_INVALID);
  CHECK_CONTAINS(hicov_report_errmsg(rep), "'fr'");
  hicov_report_free(rep);
  CHECK_INT(hicov_report_new(ds, NULL, "vi", &rep), HICOV_MISSING);
  hicov_report_free(rep);
  CHECK_INT(hicov_report_new(NULL, bad, "vi", &rep), HICOV_INVALID);
  hicov_report_free(rep);
  hicov_resolution_free(bad);
  hicov_dataset_free(ds);
}

/* A message names the resolution by number, else title, else "the
 * resolution": never "resolution  has no target". */
static void test_resolution_named(void)
{
  HicovDataset *ds = small_dataset();
  static const struct {
    const char *number, *title, *lang, *no_target, *no_unit;
  } cases[] = {
    { "12-NQ/TU", "BHYT", "en", "resolution 12-NQ/TU has no target",
      "resolution 12-NQ/TU, target 1: unit 'ZZ'" },
    { "", "BHYT", "en", "resolution 'BHYT' has no target",
      "resolution 'BHYT', target 1: unit 'ZZ'" },
    { NULL, NULL, "en", "the resolution has no target",
      "the resolution, target 1: unit 'ZZ'" },
    { NULL, NULL, "vi", "nghị quyết không có chỉ tiêu nào",
      "nghị quyết, chỉ tiêu 1: đơn vị 'ZZ'" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    HicovResolution *r;
    HicovReport *rep;
    hicov_dataset_set_lang(ds, cases[i].lang);
    CHECK_INT(hicov_resolution_new("B", cases[i].number, cases[i].title,
                                   2020, 2025, &r), HICOV_OK);
    CHECK_INT(hicov_report_new(ds, r, "vi", &rep), HICOV_INVALID);
    CHECK_STR(hicov_report_errmsg(rep), cases[i].no_target);
    hicov_report_free(rep);
    HicovTarget t = { "coverage_rate", "ZZ", -1, 95, 0, 2025, 0, NULL };
    hicov_resolution_add_target(r, &t);
    CHECK_INT(hicov_report_new(ds, r, "vi", &rep), HICOV_NOTFOUND);
    CHECK_CONTAINS(hicov_report_errmsg(rep), cases[i].no_unit);
    hicov_report_free(rep);
    hicov_resolution_free(r);
  }
  hicov_dataset_free(ds);
}

/* The brief's example sentence: Lang Son at the end of 2024. */
static void test_lang_son_2024(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  add_unit(ds, "20", "Lạng Sơn", NULL, HICOV_LEVEL_PROVINCE);
  add(ds, "20", 2020, "participants", 732000);
  add(ds, "20", 2020, "population", 788793);
  add(ds, "20", 2024, "participants", 764769);
  add(ds, "20", 2024, "population", 812720);
  HicovResolution *r;
  hicov_resolution_new("Đảng bộ tỉnh Lạng Sơn", "Nghị quyết Đại hội XVII",
                       NULL, 2020, 2025, &r);
  HicovTarget t = { "coverage_rate", "20", -1, 98, 0, 2025, 2020, NULL };
  hicov_resolution_add_target(r, &t);
  HicovReport *rep;
  CHECK_INT(hicov_report_new(ds, r, "vi", &rep), HICOV_OK);
  /* 0.98 x 812,720 = 796,465.6 -> 796,466; minus 764,769 = 31,697. */
  CHECK_NEAR(hicov_report_assessment(rep, 0)->participants_needed, 31697, 0);
  CHECK_CONTAINS(hicov_report_sentence(rep, 0, "vi"),
                 "Đến hết năm 2024, tỷ lệ bao phủ đạt 94,1%, còn thiếu 3,9 "
                 "điểm phần trăm so với chỉ tiêu 98%; cần thêm khoảng 31.700 "
                 "người tham gia.");
  CHECK_CONTAINS(hicov_report_sentence(rep, 0, "en"),
                 "By the end of 2024, health-insurance coverage reached "
                 "94.1%, 3.9 percentage points short of the 98% target; "
                 "about 31,700 more people need to join.");
  hicov_report_free(rep);
  hicov_resolution_free(r);
  hicov_dataset_free(ds);
}

/* The demo: the done-when statement, and the same numbers whether the
 * resolution comes from the dataset or from the example file. */
static void test_demo(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  HicovReport *rep = NULL, *rep2 = NULL;
  CHECK_INT(hicov_report_new(ds, NULL, "vi", &rep), HICOV_OK);
  const char *s = hicov_report_sentence(rep, 0, "vi");
  CHECK_CONTAINS(s, "Đến hết năm 2025 (ước tính), tỷ lệ bao phủ đạt 95,0%, "
                    "còn thiếu 3,0 điểm phần trăm so với chỉ tiêu 98%; cần "
                    "thêm khoảng 24.600 người tham gia.");
  /* 2025's figure is an estimate: so is the verdict */
  CHECK_CONTAINS(s, "Theo số liệu ước tính, chỉ tiêu 98% đến năm 2025 "
                    "không đạt.");
  CHECK_CONTAINS(hicov_report_sentence(rep, 0, "en"),
                 "On the estimated figure, the target of 98% by 2025 was "
                 "not met.");

  HicovResolution *file = NULL;
  char err[512];
  CHECK_INT(hicov_resolution_load_file(
                source_path("reports/examples/lang-son-2020-2025.xml"), &file,
                err, sizeof err), HICOV_OK);
  CHECK_INT(hicov_report_new(ds, file, "vi", &rep2), HICOV_OK);
  hicov_report_set_time(rep, 1767225600);
  hicov_report_set_time(rep2, 1767225600);
  char *x1 = NULL, *x2 = NULL;
  size_t l1 = 0, l2 = 0;
  CHECK_INT(hicov_report_xml(rep, &x1, &l1), HICOV_OK);
  CHECK_INT(hicov_report_xml(rep2, &x2, &l2), HICOV_OK);
  CHECK(x1 && x2 && l1 == l2 && !memcmp(x1, x2, l1));
  xmlDocPtr doc = x1 ? parse_valid(x1, l1) : NULL;
  if (doc) {
    check_values_equal_core(ds, hicov_dataset_resolution(ds, 0), doc);
    CHECK_STR(xstr(doc, "//r:assessment/@status"), "not-achieved");
    CHECK_STR(xstr(doc, "//r:assessment/r:latest/@estimated"), "true");
    CHECK(xnum(doc, "//r:assessment/r:participants-needed") == 24622);
    xmlFreeDoc(doc);
  }
  hicov_free(x1);
  hicov_free(x2);
  hicov_report_free(rep2);
  hicov_resolution_free(file);

  /* The 2025-2030 target: 96% by 2030 from 95% in 2025. */
  CHECK_INT(hicov_report_new(ds, hicov_dataset_resolution(ds, 1), "en", &rep2),
            HICOV_OK);
  CHECK_CONTAINS(hicov_report_sentence(rep2, 0, "en"),
                 "1.0 percentage points short of the 96% target");
  CHECK_CONTAINS(hicov_report_sentence(rep2, 0, "en"),
                 "must rise by 0.20 percentage points a year");
  hicov_report_free(rep2);

  /* PDF: a real A4 document with several pages. */
  char dir[] = "/tmp/hicov-test-pdf-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[128];
  snprintf(path, sizeof path, "%s/report.pdf", dir);
  int rc = hicov_report_pdf(rep, path);
  CHECK_INT(rc, HICOV_OK);
  if (rc)
    fprintf(stderr, "pdf: %s\n", hicov_report_errmsg(rep));
  size_t len = 0;
  char *pdf = read_all(path, &len);
  CHECK(pdf && len > 20000 && !memcmp(pdf, "%PDF-", 5));
  /* A4 in points, and at least three pages (the file is binary). */
  CHECK(pdf && memmem(pdf, len, "MediaBox [ 0 0 595.2756 841.8898 ]", 34));
  int pages = 0;
  for (const char *p = pdf; p && p < pdf + len;) {
    p = memmem(p, (size_t)(pdf + len - p), "/Type /Page", 11);
    if (p) {
      pages += p[11] != 's';
      p += 11;
    }
  }
  CHECK(pages >= 3);
  free(pdf);
  unlink(path);
  rmdir(dir);
  hicov_report_free(rep);
  hicov_dataset_free(ds);
}

static int count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

/* A failure in the middle of a save leaves the previous file whole. */
static void test_atomic_save(void)
{
  HicovDataset *ds = small_dataset();
  HicovResolution *met = resolution(90, 2024, 2020, -1);
  HicovResolution *missed = resolution(98, 2024, 2020, -1);
  HicovReport *a, *b;
  CHECK_INT(hicov_report_new(ds, met, "vi", &a), HICOV_OK);
  CHECK_INT(hicov_report_new(ds, missed, "vi", &b), HICOV_OK);
  char dir[] = "/tmp/hicov-test-save-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[128];
  snprintf(path, sizeof path, "%s/report.xml", dir);
  CHECK_INT(hicov_report_save(a, path), HICOV_OK);
  size_t len0;
  char *before = read_all(path, &len0);
  CHECK(before != NULL);

  /* The disk "fills up" after 1, 4096 and len0 - 1 bytes. */
  long points[] = { 0, 1, 4096, (long)len0 - 1 };
  for (size_t i = 0; i < 4; i++) {
    hicov_report_debug_fail_write_after(points[i]);
    CHECK_INT(hicov_report_save(b, path), HICOV_IO);
    hicov_report_debug_fail_write_after(-1);
    CHECK_CONTAINS(hicov_report_errmsg(b), "report.xml");
    size_t len;
    char *now = read_all(path, &len);
    CHECK(now && len == len0 && !memcmp(now, before, len0));
    free(now);
    CHECK_INT(count_entries(dir), 1); /* the temporary file is gone */
  }
  /* The same for HTML and PDF. */
  snprintf(path, sizeof path, "%s/report.pdf", dir);
  CHECK_INT(hicov_report_pdf(a, path), HICOV_OK);
  char *pdf0 = read_all(path, &len0);
  hicov_report_debug_fail_write_after(1000);
  CHECK_INT(hicov_report_pdf(b, path), HICOV_IO);
  CHECK_INT(hicov_report_save_html(b, path), HICOV_IO);
  hicov_report_debug_fail_write_after(-1);
  size_t len;
  char *pdf1 = read_all(path, &len);
  CHECK(pdf0 && pdf1 && len == len0 && !memcmp(pdf0, pdf1, len));
  free(pdf0);
  free(pdf1);
  unlink(path);
  snprintf(path, sizeof path, "%s/report.xml", dir);

  /* A successful save replaces the file. */
  CHECK_INT(hicov_report_save(b, path), HICOV_OK);
  char *after = read_all(path, &len);
  CHECK(after && strstr(after, "not-achieved"));
  free(after);
  free(before);
  unlink(path);
  CHECK_INT(count_entries(dir), 0);
  rmdir(dir);

  /* A folder that does not exist: an I/O error naming the path. */
  CHECK_INT(hicov_report_save(a, "/nonexistent/dir/report.xml"), HICOV_IO);
  CHECK_CONTAINS(hicov_report_errmsg(a), "/nonexistent/dir/report.xml");
  hicov_report_free(a);
  hicov_report_free(b);
  hicov_resolution_free(met);
  hicov_resolution_free(missed);
  hicov_dataset_free(ds);
}

/* The schemas compiled into the library are the files in reports/. */
static void test_builtin_files(void)
{
  static const char *const names[] = { "report.xsd", "resolution.xsd",
                                       "report-html.xsl" };
  for (size_t i = 0; i < 3; i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "reports/%s", names[i]);
    size_t n = 0, m = 0;
    char *disk = read_all(source_path(rel), &n);
    const char *mem = hicov_report_builtin_file(names[i], &m);
    CHECK(disk && mem && n == m && !memcmp(disk, mem, n));
    free(disk);
  }
  CHECK(hicov_report_builtin_file("nope.xsd", NULL) == NULL);
}

/* Every allocation of hicov_report_new may fail: each failure is clean
 * (the sanitizer build checks for leaks) and reported as out of memory. */
static void test_alloc_failures(void)
{
  HicovDataset *ds = small_dataset();
  HicovResolution *res = resolution(98, 2024, 2020, -1);
  HicovReport *rep = NULL;
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  hicov_report_free(rep);
  CHECK(count > 10);
  int nomem = 0;
  for (long n = 1; n <= count; n++) {
    hicov_debug_fail_alloc_after(n);
    int rc = hicov_report_new(ds, res, "vi", &rep);
    hicov_debug_fail_alloc_after(0);
    if (rc == HICOV_NOMEM) {
      CHECK(rep == NULL);
      nomem++;
    } else {
      CHECK_INT(rc, HICOV_OK); /* a failure the core recovered from */
    }
    hicov_report_free(rep);
    rep = NULL;
  }
  CHECK(nomem > 0);
  hicov_resolution_free(res);
  hicov_dataset_free(ds);
}

/* Province A merged into B on 2025-07-01 (issue 17): the baseline, the
 * fit and the by-year table take B's earlier years on its boundaries of
 * 2025, A + B; the provenance says so and names A.  Coverage, by hand:
 * 2023 A 356,000 of 400,000 and B 504,000 of 600,000: 860,000 of a
 * million, 86% (B alone 84%); 2024 360,000 + 510,000 = 87% (B alone 85%);
 * 2025 B 909,000 of 1,010,000, 90%. */
static void test_boundaries(void)
{
  static const char units[] =
    "code,name,parent,level,valid_to,successor\n"
    "VN,Việt Nam,,country,,\n"
    "A,Tỉnh A,VN,province,2025-07-01,B\n"
    "B,Tỉnh B,VN,province,,\n";
  static const char values[] =
    "unit,period,measure,value\n"
    "A,2023,population,400000\n" "A,2023,participants,356000\n"
    "B,2023,population,600000\n" "B,2023,participants,504000\n"
    "A,2024,population,400000\n" "A,2024,participants,360000\n"
    "B,2024,population,600000\n" "B,2024,participants,510000\n"
    "B,2025,population,1010000\n" "B,2025,participants,909000\n";
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                            strlen(units), HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                             strlen(values),
                                             HICOV_LOAD_STRICT), HICOV_OK);
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("HĐND tỉnh B", "02/NQ-HĐND", "BHYT", 2025,
                                 2030, &r), HICOV_OK);
  HicovTarget t = { "coverage_rate", "B", -1, 95, HICOV_CMP_AT_LEAST, 2030,
                    2024, NULL };
  CHECK_INT(hicov_resolution_add_target(r, &t), HICOV_OK);
  for (int published = 0; published < 2; published++) {
    hicov_dataset_set_boundaries(ds, published ? HICOV_BOUNDARIES_AS_PUBLISHED
                                               : HICOV_BOUNDARIES_TODAY);
    HicovReport *rep;
    CHECK_INT(hicov_report_new(ds, r, "en", &rep), HICOV_OK);
    char *xml = NULL;
    size_t len = 0;
    CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
    xmlDocPtr doc = xml ? parse_valid(xml, len) : NULL;
    if (doc) {
      const char *a = "//r:assessment";
      char path[200];
      snprintf(path, sizeof path, "%s/r:baseline/@value", a);
      CHECK_NEAR(xnum(doc, path), published ? 85.0 : 87.0, 1e-9);
      snprintf(path, sizeof path, "%s/r:latest/@value", a);
      CHECK_NEAR(xnum(doc, path), 90.0, 1e-9);
      snprintf(path, sizeof path, "%s/r:fit/r:point[@year=2023]/@value", a);
      CHECK_NEAR(xnum(doc, path), published ? 84.0 : 86.0, 1e-9);
      CHECK_NEAR(xnum(doc, "//r:table[@id='by-year']/r:row[@key='2024']"
                           "/r:cell[@indicator='coverage_rate']/@value"),
                 published ? 85.0 : 87.0, 1e-9);
      CHECK_STR(xstr(doc, "//r:provenance/r:boundaries/@basis"),
                published ? "as-published" : "today");
      CHECK_STR(xstr(doc, "//r:provenance/r:boundaries/@as-of"),
                published ? "" : "2025-12");
      CHECK_STR(xstr(doc, "//r:boundaries/r:predecessor/@unit"), "A");
      CHECK_STR(xstr(doc, "//r:boundaries/r:predecessor/@joined"),
                "2025-07-01");
      CHECK_NEAR(xnum(doc, "//r:boundaries/r:predecessor/@share"), 1.0, 0);
      CHECK_CONTAINS(xstr(doc, "//r:boundaries/r:statement[@lang='en']"),
                     published ? "as published for its own period"
                               : "on today's boundaries");
      CHECK_CONTAINS(xstr(doc, "//r:boundaries/r:statement[@lang='en']"),
                     "Tỉnh B includes Tỉnh A, merged into it on 2025-07-01.");
      CHECK_CONTAINS(xstr(doc, "//r:boundaries/r:statement[@lang='vi']"),
                     published ? "theo số liệu công bố"
                               : "theo địa giới hành chính hiện nay");
      xmlFreeDoc(doc);
    }
    hicov_free(xml);
    hicov_report_free(rep);
  }
  hicov_resolution_free(r);
  hicov_dataset_free(ds);
}

/* ---- A report as bytes and back (report-state.c) ------------------------ */

static void test_state(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  void *dstate = NULL, *state = NULL, *again = NULL;
  size_t dlen = 0, len = 0, len2 = 0;
  CHECK_INT(hicov_dataset_serialize(ds, &dstate, &dlen), HICOV_OK);
  HicovReport *rep = NULL, *back = NULL;
  CHECK_INT(hicov_report_new(ds, NULL, "en", &rep), HICOV_OK);
  hicov_report_set_time(rep, 1767225600);
  CHECK_INT(hicov_report_set_source(rep, "built-in demo"), HICOV_OK);
  const char *to[] = { "Tỉnh ủy (để b/c)" };
  HicovIssuer is = { .agency = "BHXH TỈNH LẠNG SƠN", .number = "15/BC-BHXH",
                     .recipients = to, .n_recipients = 1 };
  CHECK_INT(hicov_report_set_issuer(rep, &is), HICOV_OK);
  /* a report from hicov_report_new needs the dataset's state */
  CHECK_INT(hicov_report_serialize(rep, NULL, 0, &state, &len), HICOV_INVALID);
  CHECK_INT(hicov_report_serialize(rep, dstate, dlen, &state, &len), HICOV_OK);
  CHECK(state && len > 8 + 4 + dlen + 64 && !memcmp(state, "HICOVRP", 8));
  /* the dataset's own state, after the tag and the version */
  CHECK(state && !memcmp((char *)state + 16, dstate, dlen));
  char err[512] = "";
  CHECK_INT(hicov_report_load_state(state, len, &back, err, sizeof err),
            HICOV_OK);
  char *x1 = NULL, *x2 = NULL;
  size_t l1 = 0, l2 = 0;
  CHECK_INT(hicov_report_xml(rep, &x1, &l1), HICOV_OK);
  if (back) {
    CHECK_INT(hicov_report_xml(back, &x2, &l2), HICOV_OK);
    CHECK(x1 && x2 && l1 == l2 && !memcmp(x1, x2, l1));
    CHECK_CONTAINS(x2, "15/BC-BHXH");
    CHECK_INT(hicov_report_time(back), 1767225600);
    /* serialised again from the state it was rebuilt from: the same bytes */
    CHECK_INT(hicov_report_serialize(back, NULL, 0, &again, &len2), HICOV_OK);
    CHECK(again && len2 == len && !memcmp(again, state, len));
  }
  /* cut, or one bit changed: refused with a message, nothing returned */
  HicovReport *bad = NULL;
  CHECK_INT(hicov_report_load_state(state, len - 1, &bad, err, sizeof err),
            HICOV_PARSE);
  CHECK(bad == NULL);
  CHECK_CONTAINS(err, "not a hicov report state");
  if (state)
    ((unsigned char *)state)[len / 2] ^= 4;
  CHECK_INT(hicov_report_load_state(state, len, &bad, err, sizeof err),
            HICOV_PARSE);
  CHECK_CONTAINS(err, "SHA-256");
  CHECK_INT(hicov_report_load_state(NULL, 0, &bad, err, sizeof err),
            HICOV_PARSE);
  hicov_free(x1);
  hicov_free(x2);
  hicov_free(again);
  hicov_free(state);
  hicov_free(dstate);
  hicov_report_free(back);
  hicov_report_free(rep);
  hicov_dataset_free(ds);
}

/* ---- Every kind of target in words -------------------------------------- */

static void add_src(HicovDataset *ds, const char *u, int year, const char *m,
                    int64_t whole, const char *source)
{
  CHECK_INT(hicov_dataset_add_value(ds, u, m, NULL, hicov_period_year(year),
                                    whole * 100, source), HICOV_OK);
}

/* P: cost per visit 1.00 ... 1.20 million in 2021-2025, coverage the sum
 * of communes A (93.0 ... 96.0% in 2020-2025, 2025 estimated) and B (90.0
 * ... 92.5% in 2020-2024, no 2025); L: 94.0% in 2023, 94.6% estimated in
 * 2024.  Populations of 100,000. */
static HicovDataset *kinds_dataset(void)
{
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  add_unit(ds, "P", "Tỉnh Thử", NULL, HICOV_LEVEL_PROVINCE);
  add_unit(ds, "A", "Xã A", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "B", "Xã B", "P", HICOV_LEVEL_COMMUNE);
  add_unit(ds, "L", "Tỉnh L", NULL, HICOV_LEVEL_PROVINCE);
  static const int64_t ca[] = { 93000, 94000, 94500, 94800, 95200, 96000 };
  static const int64_t cb[] = { 90000, 91000, 92000, 92500, 92500 };
  for (int y = 2020; y <= 2025; y++) {
    if (y > 2020) {
      add_src(ds, "P", y, "visits", 1000, "test");
      add_src(ds, "P", y, "total_cost",
              (1000000 + 50000 * (int64_t)(y - 2021)) * 1000, "test");
    }
    add_src(ds, "A", y, "population", 100000, "test");
    add_src(ds, "A", y, "participants", ca[y - 2020],
            y == 2025 ? "published estimate" : "published");
    if (y < 2025) {
      add_src(ds, "B", y, "population", 100000, "test");
      add_src(ds, "B", y, "participants", cb[y - 2020], "published");
    }
  }
  add_src(ds, "L", 2023, "population", 100000, "test");
  add_src(ds, "L", 2023, "participants", 94000, "published");
  add_src(ds, "L", 2024, "population", 100000, "test");
  add_src(ds, "L", 2024, "participants", 94600, "ước tính");
  return ds;
}

static void test_kind_sentences(void)
{
  HicovDataset *ds = kinds_dataset();
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("HĐND tỉnh Thử", "1/NQ", NULL, 2020, 2030,
                                 &r), HICOV_OK);
  HicovTarget t[] = {
    { "cost_per_visit", "P", -1, 1300000, HICOV_CMP_AT_MOST, 2030, 0, NULL,
      HICOV_TARGET_KIND_LEVEL, 0 },
    { "coverage_rate", "L", -1, 95, HICOV_CMP_AT_LEAST, 2024, 0, NULL,
      HICOV_TARGET_KIND_LEVEL, 0 },
    { "coverage_rate", "A", -1, 95, HICOV_CMP_AT_LEAST, 2022, 0, NULL,
      HICOV_TARGET_KIND_LEVEL, 0 },
    { "coverage_rate", "P", -1, 98, HICOV_CMP_AT_LEAST, 2030, 0, NULL,
      HICOV_TARGET_KIND_LEVEL, 0 },
    { "coverage_rate", "A", -1, 3.5, HICOV_CMP_AT_LEAST, 2026, 2020, NULL,
      HICOV_TARGET_KIND_CHANGE, 0 },
    { "coverage_rate", "P", HICOV_LEVEL_COMMUNE, 95, HICOV_CMP_AT_LEAST, 2024,
      0, NULL, HICOV_TARGET_KIND_LEVEL, 0 },
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    CHECK_INT(hicov_resolution_add_target(r, &t[i]), HICOV_OK);
  HicovReport *rep = NULL;
  CHECK_INT(hicov_report_new(ds, r, "vi", &rep), HICOV_OK);
  CHECK_INT(hicov_report_assessment_count(rep), 7);
  /* A cap met today, broken by the trend in 2028: 1.2 million is 100,000
   * under 1.3 million; the line gives 1.45 million in 2030; it may still
   * rise by (1.3 - 1.2 million) / 5 = 20,000 a year, (1.3 / 1.2)^(1/5) - 1
   * = 1.61% a year. */
  CHECK_CONTAINS(hicov_report_sentence(rep, 0, "vi"),
                 "Đến hết năm 2025, chi phí bình quân một lượt khám đạt 1,20 "
                 "triệu đồng, thấp hơn mức trần 1,30 triệu đồng là 100.000 "
                 "đồng. Hiện vẫn trong mức trần, nhưng theo xu hướng hiện nay "
                 "sẽ vượt trần từ năm 2028 (1,45 triệu đồng vào năm 2030), nên "
                 "có nguy cơ không đạt. Để giữ trong mức trần, đến năm 2030 "
                 "mỗi năm chỉ được tăng tối đa 20.000 đồng (1,61%/năm).");
  CHECK_CONTAINS(hicov_report_sentence(rep, 0, "en"),
                 "It is within the cap now, but at the current trend it would "
                 "break it from 2028 (VND 1.45 million in 2030), so the target "
                 "is at risk.");
  /* An estimated final year: 94.6% against 95%, 400 people short. */
  CHECK_CONTAINS(hicov_report_sentence(rep, 1, "vi"),
                 "Đến hết năm 2024 (ước tính), tỷ lệ bao phủ đạt 94,6%, còn "
                 "thiếu 0,4 điểm phần trăm so với chỉ tiêu 95%; cần thêm 400 "
                 "người tham gia. Theo số liệu ước tính, chỉ tiêu 95% đến năm "
                 "2024 không đạt.");
  /* Met two years late: 94.5% in 2022, 95.2% in 2024. */
  CHECK_CONTAINS(hicov_report_sentence(rep, 2, "vi"),
                 "Chỉ tiêu 95% đến năm 2022 không đạt. Chỉ tiêu đạt năm 2024, "
                 "chậm 2 năm.");
  CHECK_CONTAINS(hicov_report_sentence(rep, 2, "en"),
                 "It was met in 2024, 2 years late.");
  /* A missing final year: B has no 2025, so P falls back to 2024:
   * (95.2 + 92.5) / 2 = 93.85%; 98% of 200,000 - 187,700 = 8,300. */
  const char *s = hicov_report_sentence(rep, 3, "vi");
  CHECK_CONTAINS(s, "Chưa có số liệu năm 2025 (");
  CHECK_CONTAINS(s, "(đơn vị đầu tiên: Xã B (B))), nên đánh giá theo số liệu năm 2024. Đến hết năm "
                    "2024, tỷ lệ bao phủ đạt 93,9%, còn thiếu 4,2 điểm phần "
                    "trăm so với chỉ tiêu 98%; cần thêm 8.300 người tham "
                    "gia.");
  /* A change: 96.0 - 93.0 = 3.0 points of the 3.5 asked, 0.5 a year to
   * go in 2026. */
  CHECK_CONTAINS(hicov_report_sentence(rep, 4, "vi"),
                 "tăng 3,0 điểm phần trăm so với năm 2020 (93,0%); chỉ tiêu "
                 "là tăng ít nhất 3,5 điểm phần trăm đến năm 2026, còn thiếu "
                 "0,5 điểm phần trăm; cần thêm 500 người tham gia. Để đạt chỉ "
                 "tiêu vào năm 2026, cần tăng bình quân 0,50 điểm phần trăm "
                 "mỗi năm");
  /* Every commune at least 95% by 2024: A 95.2% yes, B 92.5% no. */
  char *xml = NULL;
  size_t len = 0;
  CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
  xmlDocPtr doc = xml ? parse_valid(xml, len) : NULL;
  if (doc) {
    CHECK_STR(xstr(doc, "//r:assessments/r:target[@target=6]/"
                        "r:headline[@lang='vi']"),
              "Tỉnh Thử: 93,9% năm 2024; 1/2 xã đạt. Không đạt.");
    CHECK_STR(xstr(doc, "//r:assessments/r:target[@target=6]/@status"),
              "not-achieved");
    CHECK_STR(xstr(doc, "//r:assessments/r:target[@target=2]/@status-label"),
              "Ước không đạt");
    CHECK_STR(xstr(doc, "//r:assessments/r:target[@target=4]/"
                        "r:assessment/r:fallback/@wanted"), "2025");
    CHECK_STR(xstr(doc, "//r:assessments/r:target[@target=3]/"
                        "r:assessment/@achieved-year"), "2024");
    xmlFreeDoc(doc);
  }
  hicov_free(xml);
  hicov_report_free(rep);
  hicov_resolution_free(r);
  hicov_dataset_free(ds);
}

/* Dates in Viet Nam's time, as Nghị định 30/2020 writes them; the issuer
 * profile; $SOURCE_DATE_EPOCH. */
static void test_document_parts(void)
{
  HicovDataset *ds = small_dataset();
  HicovResolution *res = resolution(98, 2024, 2020, -1);
  HicovReport *rep = NULL;
  setenv("SOURCE_DATE_EPOCH", "1772668800", 1); /* 2026-03-05T00:00:00Z */
  CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
  unsetenv("SOURCE_DATE_EPOCH");
  CHECK_INT(hicov_report_time(rep), 1772668800);
  static const char profile[] =
      "<?xml version=\"1.0\"?>\n"
      "<issuer xmlns=\"urn:hicov:issuer:1\" version=\"1\">\n"
      "  <agency>SỞ Y TẾ</agency>\n  <number>7/BC-SYT</number>\n"
      "  <place>Thử</place>\n"
      "  <recipients><recipient>HĐND tỉnh</recipient>"
      "<archive>VT</archive></recipients>\n"
      "</issuer>\n";
  HicovIssuer *is = NULL;
  char err[600] = "";
  CHECK_INT(hicov_issuer_load_buffer("i.xml", profile, strlen(profile), &is,
                                     err, sizeof err), HICOV_OK);
  CHECK(is && is->n_recipients == 1);
  CHECK_INT(hicov_report_set_issuer(rep, is), HICOV_OK);
  hicov_issuer_free(is);
  char *xml = NULL;
  size_t len = 0;
  CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
  xmlDocPtr doc = xml ? parse_valid(xml, len) : NULL;
  if (doc) {
    /* 07:00 on 5 March in Viet Nam: a leading 0 for the day, not the
     * month (only January and February take one) */
    CHECK_STR(xstr(doc, "//r:document/r:place-date[@lang='vi']"),
              "Thử, ngày 05 tháng 3 năm 2026");
    CHECK_STR(xstr(doc, "//r:document/r:place-date[@lang='en']"),
              "Thử, 5 March 2026");
    CHECK_STR(xstr(doc, "//r:document/@date"), "2026-03-05");
    CHECK_STR(xstr(doc, "//r:document/r:issuer/@number"), "7/BC-SYT");
    CHECK_STR(xstr(doc, "//r:provenance/@generated"), "2026-03-05T00:00:00Z");
    xmlFreeDoc(doc);
  }
  hicov_free(xml);
  /* 31 January, 20:00 UTC is 1 February in Viet Nam: "01", "02". */
  hicov_report_set_time(rep, 1769889600);
  CHECK_INT(hicov_report_xml(rep, &xml, &len), HICOV_OK);
  CHECK_CONTAINS(xml, "Thử, ngày 01 tháng 02 năm 2026");
  hicov_free(xml);
  /* An ODT and a DOCX come out, each a zip, the ODT's mimetype first. */
  char *odt = NULL, *docx = NULL;
  size_t lo = 0, ld = 0;
  CHECK_INT(hicov_report_odt(rep, &odt, &lo), HICOV_OK);
  CHECK_INT(hicov_report_docx(rep, &docx, &ld), HICOV_OK);
  CHECK(odt && lo > 100 && !memcmp(odt, "PK", 2) &&
        !memcmp(odt + 30, "mimetypeapplication/vnd.oasis.opendocument.text",
                47));
  CHECK(docx && ld > 100 && !memcmp(docx, "PK", 2));
  hicov_free(odt);
  hicov_free(docx);
  hicov_report_free(rep);

  /* A profile without its agency, or with a DTD, is refused. */
  static const char bad[] =
      "<?xml version=\"1.0\"?>\n<issuer xmlns=\"urn:hicov:issuer:1\" "
      "version=\"1\">\n<number>1</number>\n</issuer>\n";
  CHECK_INT(hicov_issuer_load_buffer("bad.xml", bad, strlen(bad), &is, err,
                                     sizeof err), HICOV_PARSE);
  CHECK(is == NULL);
  CHECK_CONTAINS(err, "bad.xml line 3");
  static const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE issuer [\n"
                            "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                            "<issuer/>";
  CHECK_INT(hicov_issuer_load_buffer("dtd.xml", dtd, strlen(dtd), &is, err,
                                     sizeof err), HICOV_PARSE);
  CHECK_CONTAINS(err, "DTD");
  hicov_resolution_free(res);

  /* "Provinces of a province": the report names the file and line. */
  HicovResolution *wrong = NULL;
  static const char nq[] =
      "<?xml version=\"1.0\"?>\n"
      "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">\n"
      "<body>B</body><number>N</number><term start=\"2020\" end=\"2025\"/>\n"
      "<targets>\n"
      "<target indicator=\"coverage_rate\" unit=\"P\" level=\"province\" "
      "threshold=\"95\" deadline=\"2025\"/>\n"
      "</targets></resolution>\n";
  CHECK_INT(hicov_resolution_load_buffer("nq.xml", nq, strlen(nq), &wrong,
                                         err, sizeof err), HICOV_OK);
  CHECK_INT(hicov_report_new(ds, wrong, "en", &rep), HICOV_INVALID);
  CHECK_CONTAINS(hicov_report_errmsg(rep), "nq.xml line 5: target 1: no "
                 "province can lie below Tỉnh Thử (P)");
  hicov_report_free(rep);
  hicov_resolution_free(wrong);
  hicov_dataset_free(ds);
}

/* Every allocation of the documents and the file set may fail: the
 * failure is clean (the sanitizer build checks for leaks) and said. */
static void test_document_alloc_failures(void)
{
  HicovDataset *ds = small_dataset();
  HicovResolution *res = resolution(98, 2024, 2020, HICOV_LEVEL_DISTRICT);
  HicovReport *rep = NULL;
  CHECK_INT(hicov_report_new(ds, res, "vi", &rep), HICOV_OK);
  typedef int (*Render)(HicovReport *, char **, size_t *);
  Render fns[] = { hicov_report_odt, hicov_report_docx, hicov_report_html };
  for (size_t k = 0; k < 3; k++) {
    char *buf = NULL;
    size_t len = 0;
    hicov_debug_fail_alloc_after(0);
    CHECK_INT(fns[k](rep, &buf, &len), HICOV_OK);
    long count = hicov_debug_fail_alloc_after(0);
    hicov_free(buf);
    CHECK(count > 0);
    long step = count / 150 + 1, failed = 0;
    for (long n = 1; n <= count; n += step) {
      hicov_debug_fail_alloc_after(n);
      int rc = fns[k](rep, &buf, &len);
      hicov_debug_fail_alloc_after(0);
      if (rc != HICOV_OK) {
        CHECK(buf == NULL);
        failed++;
      }
      hicov_free(buf);
      buf = NULL;
    }
    CHECK(failed > 0);
  }
  /* the charts: drawn or not at all */
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(hicov_report_draw_figures(rep), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  for (long n = 1; n <= count; n += count / 100 + 1) {
    hicov_debug_fail_alloc_after(n);
    int rc = hicov_report_draw_figures(rep);
    hicov_debug_fail_alloc_after(0);
    CHECK(rc == HICOV_OK || rc == HICOV_NOMEM);
  }
  hicov_report_free(rep);
  hicov_resolution_free(res);
  hicov_dataset_free(ds);
}

int main(void)
{
  xmlInitParser();
  test_sha256();
  test_met_and_missed();
  test_resolution_named();
  test_lang_son_2024();
  test_demo();
  test_boundaries();
  test_state();
  test_atomic_save();
  test_builtin_files();
  test_alloc_failures();
  test_kind_sentences();
  test_document_parts();
  test_document_alloc_failures();
  xmlCleanupParser();
  return test_finish("test-report");
}
