/* Resolution files: the demo's files, round trips, hostile input. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hicov-report.h"
#include "testutil.h"

static char *path_in(const char *env, const char *rel)
{
  const char *root = getenv(env);
  static char buf[4][1024];
  static int k;
  char *p = buf[k++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", root ? root : "..", rel);
  return p;
}

static void check_same(const HicovResolution *a, const HicovResolution *b)
{
  CHECK_STR(hicov_resolution_body(a), hicov_resolution_body(b));
  CHECK_STR(hicov_resolution_number(a), hicov_resolution_number(b));
  CHECK_STR(hicov_resolution_title(a), hicov_resolution_title(b));
  int s1, e1, s2, e2;
  hicov_resolution_term(a, &s1, &e1);
  hicov_resolution_term(b, &s2, &e2);
  CHECK_INT(s1, s2);
  CHECK_INT(e1, e2);
  CHECK_INT(hicov_resolution_target_count(a), hicov_resolution_target_count(b));
  for (size_t i = 0; i < hicov_resolution_target_count(a) &&
                     i < hicov_resolution_target_count(b); i++) {
    const HicovTarget *x = hicov_resolution_target(a, i);
    const HicovTarget *y = hicov_resolution_target(b, i);
    CHECK_STR(x->indicator, y->indicator);
    CHECK_STR(x->unit, y->unit);
    CHECK_INT(x->level, y->level);
    CHECK(x->threshold == y->threshold);
    CHECK_INT(x->comparison, y->comparison);
    CHECK_INT(x->deadline_year, y->deadline_year);
    CHECK_INT(x->baseline_year, y->baseline_year);
    CHECK_STR(x->label ? x->label : "", y->label ? y->label : "");
  }
}

/* The example files carry exactly the demo's resolutions. */
static void test_examples(void)
{
  HicovDataset *ds;
  hicov_dataset_new(&ds);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  static const char *const files[] = {
    "reports/examples/lang-son-2020-2025.xml",
    "reports/examples/lang-son-2025-2030.xml",
  };
  for (size_t i = 0; i < 2; i++) {
    HicovResolution *r = NULL;
    char err[512] = "";
    int rc = hicov_resolution_load_file(path_in("HICOV_SOURCE_DIR", files[i]),
                                        &r, err, sizeof err);
    CHECK_INT(rc, HICOV_OK);
    if (rc) {
      fprintf(stderr, "%s\n", err);
      continue;
    }
    check_same(r, hicov_dataset_resolution(ds, i));
    hicov_resolution_free(r);
  }
  hicov_dataset_free(ds);
}

/* write -> load gives the same resolution, for a level target too. */
static void test_round_trip(void)
{
  HicovResolution *r;
  CHECK_INT(hicov_resolution_new("HĐND tỉnh <Thử> & \"mẫu\"", "12/NQ-HĐND",
                                 NULL, 2021, 2026, &r), HICOV_OK);
  HicovTarget t = { "coverage_rate", "P", -1, 95.15, HICOV_CMP_AT_LEAST,
                    2025, 2021, "Bao phủ 95,15%" };
  CHECK_INT(hicov_resolution_add_target(r, &t), HICOV_OK);
  HicovTarget t2 = { "coverage_rate", "P", HICOV_LEVEL_COMMUNE, 90,
                     HICOV_CMP_AT_LEAST, 2026, 0, NULL };
  CHECK_INT(hicov_resolution_add_target(r, &t2), HICOV_OK);
  HicovTarget t3 = { "cost_per_visit", "P", -1, 650000.5, HICOV_CMP_AT_MOST,
                     2026, 0, NULL };
  CHECK_INT(hicov_resolution_add_target(r, &t3), HICOV_OK);
  char *buf = NULL;
  size_t len = 0;
  CHECK_INT(hicov_resolution_write(r, &buf, &len), HICOV_OK);
  CHECK(buf && strlen(buf) == len);
  CHECK_CONTAINS(buf, "level=\"commune\"");
  CHECK_CONTAINS(buf, "comparison=\"at-most\"");
  CHECK_CONTAINS(buf, "threshold=\"95.15\"");
  HicovResolution *back = NULL;
  char err[512] = "";
  CHECK_INT(hicov_resolution_load_buffer("rt.xml", buf, len, &back, err,
                                         sizeof err), HICOV_OK);
  if (back)
    check_same(r, back);
  hicov_resolution_free(back);
  hicov_free(buf);

  /* Saving is atomic: a write failing half-way leaves the old file. */
  char dir[] = "/tmp/hicov-test-res-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[128];
  snprintf(path, sizeof path, "%s/r.xml", dir);
  CHECK_INT(hicov_resolution_save(r, path, err, sizeof err), HICOV_OK);
  HicovResolution *other;
  hicov_resolution_new("Other", "1", NULL, 2020, 2021, &other);
  hicov_resolution_add_target(other, &t);
  hicov_report_debug_fail_write_after(50);
  CHECK_INT(hicov_resolution_save(other, path, err, sizeof err), HICOV_IO);
  hicov_report_debug_fail_write_after(-1);
  CHECK_CONTAINS(err, "r.xml");
  HicovResolution *kept = NULL;
  CHECK_INT(hicov_resolution_load_file(path, &kept, err, sizeof err),
            HICOV_OK);
  if (kept)
    check_same(r, kept);
  hicov_resolution_free(kept);
  hicov_resolution_free(other);
  unlink(path);
  CHECK_INT(rmdir(dir), 0); /* no temporary file left behind */
  hicov_resolution_free(r);
}

static const char good_head[] =
    "<?xml version=\"1.0\"?>\n"
    "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">\n"
    "<body>B</body><number>N</number><term start=\"2020\" end=\"2025\"/>\n"
    "<targets>\n";

/* Each hostile or wrong document is refused with the status and a message
 * that says where. */
static void expect_refused(const char *doc, int status, const char *needle)
{
  HicovResolution *r = (HicovResolution *)1;
  char err[600] = "";
  int rc = hicov_resolution_load_buffer("bad.xml", doc, strlen(doc), &r, err,
                                        sizeof err);
  CHECK_INT(rc, status);
  CHECK(r == NULL);
  CHECK_CONTAINS(err, needle);
  if (rc == HICOV_OK)
    hicov_resolution_free(r);
}

static void test_kind_errors(void)
{
  char doc[1200];
  /* a growth target without its baseline, with the line */
  snprintf(doc, sizeof doc, "%s<target indicator=\"cost_per_visit\" "
           "unit=\"P\"\n kind=\"growth\" threshold=\"5\" deadline=\"2025\"/>"
           "</targets></resolution>", good_head);
  /* libxml2 gives an element the line its start tag ends on */
  expect_refused(doc, HICOV_PARSE, "bad.xml line 6: target: a growth target "
                 "needs 'baseline', a year before the deadline 2025, found "
                 "none");
  snprintf(doc, sizeof doc, "%s<target indicator=\"coverage_rate\" "
           "unit=\"P\" level=\"country\" threshold=\"95\" deadline=\"2025\"/>"
           "</targets></resolution>", good_head);
  expect_refused(doc, HICOV_PARSE, "bad.xml line 5: target: 'level' country");
  snprintf(doc, sizeof doc, "%s<target indicator=\"coverage_rate\" "
           "unit=\"P\" units-share=\"50\" threshold=\"95\" deadline=\"2025\"/>"
           "</targets></resolution>", good_head);
  expect_refused(doc, HICOV_PARSE, "'units_share' needs 'level'");
  snprintf(doc, sizeof doc, "%s<target indicator=\"coverage_rate\" "
           "unit=\"P\" level=\"commune\" units-share=\"150\" "
           "threshold=\"95\" deadline=\"2025\"/></targets></resolution>",
           good_head);
  expect_refused(doc, HICOV_PARSE, "bad.xml line 5");
}

static void test_hostile(void)
{
  /* Billion laughs: the DTD is refused before any entity is declared. */
  expect_refused(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n"
      "<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
      "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">"
      "<body>&c;</body></resolution>", HICOV_PARSE, "DTD");
  /* External entity (XXE). */
  expect_refused(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]>\n<resolution xmlns=\"urn:hicov:resolution:1\""
      " version=\"1\"><body>&x;</body></resolution>", HICOV_PARSE,
      "bad.xml line 2");
  /* An entity reference without a DTD is simply not well-formed. */
  expect_refused(
      "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">"
      "<body>&x;</body></resolution>", HICOV_PARSE, "bad.xml line 1");
  /* Not well-formed: the line of the error. */
  expect_refused("<?xml version=\"1.0\"?>\n<resolution>\n<body>\n</resolution>",
                 HICOV_PARSE, "bad.xml line 4");
  /* Too deep. */
  {
    char doc[2048] = "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">";
    for (int i = 0; i < 20; i++)
      strcat(doc, "<x>");
    for (int i = 0; i < 20; i++)
      strcat(doc, "</x>");
    strcat(doc, "</resolution>");
    expect_refused(doc, HICOV_LIMIT, "nested");
  }
  /* Too large, refused before parsing. */
  {
    size_t n = HICOV_RESOLUTION_MAX_BYTES + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    memcpy(big, "<resolution>", 12);
    big[n] = '\0';
    expect_refused(big, HICOV_LIMIT, "bytes");
    free(big);
  }
  /* Wrong root or namespace. */
  expect_refused("<resolution version=\"1\"/>", HICOV_PARSE,
                 "expected the root element");
  /* Schema: the threshold must be a number, the line is given. */
  {
    char doc[1024];
    snprintf(doc, sizeof doc, "%s<target indicator=\"coverage_rate\" "
             "unit=\"20\"\n threshold=\"98%%\" deadline=\"2025\"/>"
             "</targets></resolution>", good_head);
    /* libxml2 gives the line where the start tag ends. */
    expect_refused(doc, HICOV_PARSE, "bad.xml line 6");
    expect_refused(doc, HICOV_PARSE, "'98%' is not a valid value");
  }
  /* Unknown indicator, with the line of its target. */
  {
    char doc[1024];
    snprintf(doc, sizeof doc, "%s\n<target indicator=\"coverge_rate\" "
             "unit=\"20\" threshold=\"98\" deadline=\"2025\"/>"
             "</targets></resolution>", good_head);
    expect_refused(doc, HICOV_PARSE, "bad.xml line 6: target: unknown "
                   "indicator 'coverge_rate'");
  }
  /* A rate threshold outside 0-100 (98% written as 0.98 is fine, 980 not). */
  {
    char doc[1024];
    snprintf(doc, sizeof doc, "%s<target indicator=\"coverage_rate\" "
             "unit=\"20\" threshold=\"980\" deadline=\"2025\"/>"
             "</targets></resolution>", good_head);
    expect_refused(doc, HICOV_PARSE, "outside 0-100");
  }
  /* A growth indicator cannot be a target. */
  {
    char doc[1024];
    snprintf(doc, sizeof doc, "%s<target indicator=\"visits_growth\" "
             "unit=\"20\" threshold=\"5\" deadline=\"2025\"/>"
             "</targets></resolution>", good_head);
    expect_refused(doc, HICOV_PARSE, "level indicator");
  }
  /* Missing file. */
  HicovResolution *r;
  char err[300];
  CHECK_INT(hicov_resolution_load_file("/nonexistent/r.xml", &r, err,
                                       sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "/nonexistent/r.xml");
}

/* Targets of every kind, read with their lines and written back. */
static void test_kinds(void)
{
  static const char doc[] =
      "<?xml version=\"1.0\"?>\n"
      "<resolution xmlns=\"urn:hicov:resolution:1\" version=\"1\">\n"
      "<body>B</body><number>N</number><term start=\"2020\" end=\"2025\"/>\n"
      "<targets>\n"
      "<target indicator=\"cost_per_visit\" unit=\"P\" kind=\"growth\"\n"
      "  comparison=\"at-most\" threshold=\"5\" deadline=\"2025\"\n"
      "  baseline=\"2020\"/>\n"
      "<target indicator=\"coverage_rate\" unit=\"P\" level=\"commune\"\n"
      "  units-share=\"80\" threshold=\"95\" deadline=\"2025\"/>\n"
      "<target indicator=\"coverage_rate\" unit=\"P\" kind=\"change\"\n"
      "  threshold=\"2.5\" deadline=\"2025\" baseline=\"2020\"/>\n"
      "</targets></resolution>\n";
  HicovResolution *r = NULL, *back = NULL;
  char err[600] = "";
  CHECK_INT(hicov_resolution_load_buffer("k.xml", doc, strlen(doc), &r, err,
                                         sizeof err), HICOV_OK);
  if (!r)
    return;
  CHECK_STR(hicov_resolution_source(r), "k.xml");
  const HicovTarget *t = hicov_resolution_target(r, 0);
  CHECK_INT(t->kind, HICOV_TARGET_KIND_GROWTH);
  CHECK_INT(t->comparison, HICOV_CMP_AT_MOST);
  CHECK_INT(hicov_resolution_target_line(r, 0), 7); /* where its tag ends */
  t = hicov_resolution_target(r, 1);
  CHECK_INT(t->level, HICOV_LEVEL_COMMUNE);
  CHECK(t->units_share == 80);
  CHECK_INT(hicov_resolution_target_line(r, 1), 9);
  CHECK_INT(hicov_resolution_target(r, 2)->kind, HICOV_TARGET_KIND_CHANGE);
  char *buf = NULL;
  size_t len = 0;
  CHECK_INT(hicov_resolution_write(r, &buf, &len), HICOV_OK);
  CHECK_CONTAINS(buf, "kind=\"growth\"");
  CHECK_CONTAINS(buf, "units-share=\"80\"");
  CHECK_INT(hicov_resolution_load_buffer("w.xml", buf, len, &back, err,
                                         sizeof err), HICOV_OK);
  if (back) {
    CHECK_INT(hicov_resolution_target(back, 0)->kind, HICOV_TARGET_KIND_GROWTH);
    CHECK(hicov_resolution_target(back, 1)->units_share == 80);
  }
  hicov_free(buf);
  hicov_resolution_free(back);
  hicov_resolution_free(r);
}

/* One check for the XML reader, Python and hicov_resolution_add_target:
 * each fault named with its field and the value found, in English and
 * Vietnamese. */
static void test_target_check(void)
{
  HicovTarget t;
  memset(&t, 0, sizeof t);
  t.indicator = "coverage_rate";
  t.unit = "P";
  t.level = -1;
  t.threshold = 98;
  t.deadline_year = 2030;
  char why[400];
  CHECK_INT(hicov_target_check(&t, "en", why, sizeof why), HICOV_OK);
  CHECK_STR(why, "");
  t.deadline_year = 1800;
  CHECK_INT(hicov_target_check(&t, "en", why, sizeof why), HICOV_INVALID);
  CHECK_STR(why, "'deadline' must be a year from 1900 to 2100, not 1800");
  CHECK_INT(hicov_target_check(&t, "vi", why, sizeof why), HICOV_INVALID);
  CHECK_CONTAINS(why, "1800");
  CHECK(strstr(why, "must be") == NULL); /* translated */
  t.deadline_year = 2030;
  t.threshold = 0.98 * 10000; /* 98% written as a share of 1, times 100 */
  CHECK_INT(hicov_target_check(&t, "en", why, sizeof why), HICOV_INVALID);
  CHECK_CONTAINS(why, "outside 0-100 (write 98 for 98%)");
  t.threshold = 98;
  t.indicator = "no_such";
  CHECK_INT(hicov_target_check(&t, "en", NULL, 0), HICOV_NOTFOUND);
  t.indicator = "coverage_rate";
  t.kind = HICOV_TARGET_KIND_GROWTH;
  CHECK_INT(hicov_target_check(&t, "en", why, sizeof why), HICOV_INVALID);
  CHECK_STR(why, "a growth target needs 'baseline', a year before the "
                 "deadline 2030, found none");
  /* add_target refuses the same, and takes what passes */
  HicovResolution *r = NULL;
  CHECK_INT(hicov_resolution_new("B", "N", "T", 2020, 2030, &r), HICOV_OK);
  CHECK_INT(hicov_resolution_add_target(r, &t), HICOV_INVALID);
  t.baseline_year = 2025;
  CHECK_INT(hicov_resolution_add_target(r, &t), HICOV_OK);
  hicov_resolution_free(r);
}

int main(void)
{
  test_examples();
  test_round_trip();
  test_hostile();
  test_kind_errors();
  test_kinds();
  test_target_check();
  return test_finish("test-resolution");
}
