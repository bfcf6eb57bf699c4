/* Out of memory over an ingest and a report: fail the n-th allocation for
 * every n over
 *   1. hicov_claims_new + hicov_claims_read_buffer of the shared claims
 *      sample + a facility unit + hicov_claims_to_dataset into the demo;
 *   2. hicov_report_new + hicov_report_xml for the demo's first resolution.
 * Each failure must be reported as HICOV_NOMEM, every handle must stay
 * freeable (AddressSanitizer's leak checker runs at exit in the sanitizer
 * build) and usable: the accounting still adds up, the dataset still
 * answers, and the report, asked again with memory back, gives the same
 * bytes as a run without any failure.
 * Only the core's allocator fails here: libxml2 2.9.14 itself dereferences
 * NULL in xmlSchemaParse when its own allocations fail (seen through
 * xmlMemSetup), so its allocations are left alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-claims.h"
#include "hicov-report.h"
#include "hicov-core.h"
#include "testutil.h"

static char *sample;
static size_t sample_len;

static int read_sample(void)
{
  char path[1024];
  test_data_path("claims-sample-130.xml", path, sizeof path);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  sample = malloc(1 << 20);
  sample_len = sample ? fread(sample, 1, 1 << 20, f) : 0;
  fclose(f);
  return sample_len > 0 ? 0 : -1;
}

/* ---- 1. claims ingest ---- */

/* The sample's facility, under a Lang Son district of the demo. */
static int add_facility(HicovDataset *ds)
{
  HicovUnit u = { 0 };
  u.code = "01999";
  u.name = "Trạm y tế mẫu";
  u.parent = "20";
  u.level = HICOV_LEVEL_FACILITY;
  u.tier = HICOV_TIER_COMMUNE;
  return hicov_dataset_add_unit(ds, &u);
}

/* State after one (possibly failed) ingest, to check what a failure left. */
typedef struct {
  int rc;
  int step; /* 1 new, 2 read, 3 unit, 4 to_dataset, 5 done */
  long allocations; /* made while armed */
} Ingest;

static Ingest ingest(HicovDataset *ds, long fail_at)
{
  Ingest r = { HICOV_OK, 0, 0 };
  HicovClaims *c = NULL;
  hicov_debug_fail_alloc_after(fail_at);
  r.step = 1;
  r.rc = hicov_claims_new(&c);
  if (r.rc == HICOV_OK) {
    r.step = 2;
    r.rc = hicov_claims_read_buffer(c, "claims-sample-130.xml", sample, sample_len);
  }
  if (r.rc == HICOV_OK) {
    r.step = 3;
    r.rc = add_facility(ds);
  }
  if (r.rc == HICOV_OK) {
    r.step = 4;
    r.rc = hicov_claims_to_dataset(c, ds, "claims-sample-130.xml");
  }
  if (r.rc == HICOV_OK)
    r.step = 5;
  r.allocations = hicov_debug_fail_alloc_after(0);

  /* The accumulator is still consistent and freeable. */
  if (c) {
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    if (k.accepted + k.rejected != k.records_read || (r.rc == HICOV_NOMEM && r.step == 2 && !hicov_claims_errmsg(c)[0]))
      fprintf(stderr, "ingest: allocation %ld of the run (step %d, %s): read %lld, "
              "accepted %lld, rejected %lld (file %lld), message '%s'\n", fail_at,
              r.step, hicov_status_string(r.rc), (long long)k.records_read,
              (long long)k.accepted, (long long)k.rejected,
              (long long)k.rejected_by[HICOV_CLAIMS_REJECT_FILE], hicov_claims_errmsg(c));
    /* an out-of-memory while committing: the records committed stay
     * accepted, the rest are rejected with the file, none twice */
    CHECK_INT(k.accepted + k.rejected, k.records_read);
    if (r.step >= 3)
      CHECK_INT(k.accepted, 2); /* a read that returned OK took both records */
    CHECK(hicov_claims_errmsg(c) != NULL);
    if (r.rc == HICOV_NOMEM && r.step == 2) {
      /* the failure names the file and is counted as a failed file */
      CHECK(strstr(hicov_claims_errmsg(c), "claims-sample-130.xml") != NULL);
      CHECK_INT(k.files_failed, 1);
      CHECK_INT(k.files_read, 1);
    }
  }
  hicov_claims_free(c);
  return r;
}

static void walk_ingest(void)
{
  /* the demo is loaded with memory available; only the ingest fails */
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  hicov_debug_fail_alloc_after(0);
  Ingest ok = ingest(ds, 0);
  long count = ok.allocations;
  CHECK_INT(ok.rc, HICOV_OK);
  CHECK_INT(ok.step, 5);
  int64_t want = 0;
  CHECK_INT(hicov_dataset_measure(ds, "fund_paid", "20", hicov_period_month(2024, 3),
                                  NULL, &want, NULL, 0), HICOV_OK);
  CHECK_INT(want, (158000LL + 4750000LL) * 100);
  hicov_dataset_free(ds);
  CHECK(count > 20);

  long failed = 0, by_step[6] = { 0 };
  for (long n = 1; n <= count; n++) {
    CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
    CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
    Ingest r = ingest(ds, n);
    if (r.rc != HICOV_OK) {
      failed++;
      by_step[r.step]++;
      if (r.rc != HICOV_NOMEM)
        fprintf(stderr, "ingest: allocation %ld failed at step %d with %s\n", n,
                r.step, hicov_status_string(r.rc));
      CHECK_INT(r.rc, HICOV_NOMEM);
    }
    /* the dataset still answers, whatever the failure left in it */
    HicovResult res;
    CHECK_INT(hicov_indicator_value(ds, "coverage_rate", "20", hicov_period_year(2024),
                                    NULL, &res), HICOV_OK);
    CHECK_INT(res.status, HICOV_OK);
    int64_t v = -1;
    int mrc = hicov_dataset_measure(ds, "fund_paid", "20", hicov_period_month(2024, 3),
                                    NULL, &v, NULL, 0);
    if (r.rc == HICOV_OK)
      CHECK_INT(v, want);
    else /* a failed step into the dataset took back what it had added */
      CHECK(mrc == HICOV_MISSING || mrc == HICOV_NOTFOUND);
    hicov_dataset_free(ds);
  }
  printf("claims ingest: %ld allocations walked, %ld failed cleanly (new %ld, "
         "read %ld, unit %ld, to_dataset %ld)\n", count, failed, by_step[1],
         by_step[2], by_step[3], by_step[4]);
  CHECK(by_step[1] > 0 && by_step[2] > 0 && by_step[4] > 0);
}

/* ---- 2. report ---- */

static long report_allocations;

static int report_once(HicovDataset *ds, long fail_at, char **xml, size_t *len)
{
  HicovReport *rep = NULL;
  *xml = NULL;
  hicov_debug_fail_alloc_after(fail_at);
  int rc = hicov_report_new(ds, NULL, "vi", &rep);
  if (rc == HICOV_OK) {
    hicov_report_set_time(rep, 1735689600); /* 2025-01-01 */
    rc = hicov_report_set_source(rep, "built-in demo");
  }
  int in_xml = rc == HICOV_OK;
  if (rc == HICOV_OK)
    rc = hicov_report_xml(rep, xml, len);
  report_allocations = hicov_debug_fail_alloc_after(0);
  if (rc != HICOV_OK && rep)
    CHECK(hicov_report_errmsg(rep) != NULL);
  if (rc != HICOV_OK && in_xml) {
    /* The handle is usable: with memory back, the same report. */
    CHECK(*xml == NULL);
    int arc = hicov_report_xml(rep, xml, len);
    CHECK_INT(arc, HICOV_OK);
  }
  hicov_report_free(rep);
  return rc;
}

static void walk_report(void)
{
  HicovDataset *ds;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  char *ref;
  size_t ref_len;
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(report_once(ds, 0, &ref, &ref_len), HICOV_OK);
  long count = report_allocations;
  CHECK(ref != NULL && ref_len > 1000);
  CHECK(count > 20);

  long failed = 0, redone = 0;
  for (long n = 1; n <= count; n++) {
    char *xml = NULL;
    size_t len = 0;
    int rc = report_once(ds, n, &xml, &len);
    if (rc != HICOV_OK) {
      failed++;
      if (rc != HICOV_NOMEM)
        fprintf(stderr, "report: allocation %ld failed with %s\n", n,
                hicov_status_string(rc));
      CHECK_INT(rc, HICOV_NOMEM);
    }
    if (xml) {
      /* a completed report, or the same handle asked again */
      redone += rc != HICOV_OK;
      CHECK(len == ref_len && !memcmp(xml, ref, ref_len));
    }
    hicov_free(xml);
  }
  printf("report: %ld allocations walked, %ld failed cleanly, %ld redone on the "
         "same handle\n", count, failed, redone);
  CHECK(failed > 0);
  CHECK(redone > 0);
  hicov_free(ref);
  /* the dataset was not disturbed */
  char *again;
  size_t again_len;
  CHECK_INT(report_once(ds, 0, &again, &again_len), HICOV_OK);
  hicov_free(again);
  hicov_dataset_free(ds);
}

int main(void)
{
  if (read_sample() != 0) {
    CHECK(0 && "the claims sample is readable");
    return test_finish("test-oom-ingest");
  }
  walk_ingest();
  walk_report();
  free(sample);
  return test_finish("test-oom-ingest");
}
