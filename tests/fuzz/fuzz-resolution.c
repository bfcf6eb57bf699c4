/* Fuzz target: resolution files (hicov_resolution_load_buffer).  What
 * loads must write out, read back the same, and make a report whose XML
 * validates against the built-in schema (on the demo dataset). */
#include "fuzz-common.h"
#include "hicov-report.h"

static HicovDataset *demo;

static int same_str(const char *a, const char *b)
{
  return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!demo) {
    if (hicov_dataset_new(&demo) != HICOV_OK || hicov_dataset_load_demo(demo))
      abort();
  }
  char err[512];
  HicovResolution *res = NULL;
  err[0] = 0;
  int rc = hicov_resolution_load_buffer("fuzz.xml", (const char *)data, size,
                                        &res, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_PARSE || rc == HICOV_LIMIT,
              "load: %s: %s", hicov_status_string(rc), err);
  if (rc != HICOV_OK) {
    FUZZ_ASSERT(!res && err[0], "failure: res %p, message '%s'", (void *)res, err);
    return 0;
  }
  FUZZ_ASSERT(hicov_resolution_target_count(res) <= HICOV_RESOLUTION_MAX_TARGETS,
              "%zu targets", hicov_resolution_target_count(res));

  /* write, read back: the same resolution */
  char *buf = NULL;
  size_t len = 0;
  rc = hicov_resolution_write(res, &buf, &len);
  FUZZ_ASSERT(rc == HICOV_OK, "write: %s", hicov_status_string(rc));
  HicovResolution *back = NULL;
  rc = hicov_resolution_load_buffer("written.xml", buf, len, &back, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK, "written resolution does not load: %s\n%s", err, buf);
  hicov_free(buf);
  FUZZ_ASSERT(same_str(hicov_resolution_body(res), hicov_resolution_body(back)) &&
              same_str(hicov_resolution_number(res), hicov_resolution_number(back)),
              "body or number changed");
  size_t n = hicov_resolution_target_count(res);
  FUZZ_ASSERT(n == hicov_resolution_target_count(back), "target count changed");
  for (size_t i = 0; i < n; i++) {
    const HicovTarget *a = hicov_resolution_target(res, i);
    const HicovTarget *b = hicov_resolution_target(back, i);
    FUZZ_ASSERT(same_str(a->indicator, b->indicator) && same_str(a->unit, b->unit) &&
                a->level == b->level && a->comparison == b->comparison &&
                a->threshold == b->threshold &&
                a->deadline_year == b->deadline_year &&
                a->baseline_year == b->baseline_year && a->kind == b->kind &&
                a->units_share == b->units_share,
                "target %zu changed (threshold %.17g -> %.17g)", i,
                a->threshold, b->threshold);
  }
  hicov_resolution_free(back);

  /* a report on the demo: its XML must validate (hicov_report_xml checks) */
  HicovReport *rep = NULL;
  rc = hicov_report_new(demo, res, "en", &rep);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOTFOUND || rc == HICOV_MISSING ||
              rc == HICOV_INVALID || rc == HICOV_OVERFLOW,
              "report_new: %s: %s", hicov_status_string(rc),
              rep ? hicov_report_errmsg(rep) : "");
  if (rc == HICOV_OK) {
    hicov_report_set_time(rep, 1735689600);
    hicov_report_set_source(rep, "fuzz");
    rc = hicov_report_xml(rep, &buf, &len);
    FUZZ_ASSERT(rc == HICOV_OK, "report_xml: %s: %s", hicov_status_string(rc),
                hicov_report_errmsg(rep));
    hicov_free(buf);
  }
  hicov_report_free(rep);
  hicov_resolution_free(res);
  return 0;
}
