/* fuzz-claims-common.h - checks shared by the claims fuzz targets: the
 * accounting identities, totals against cells, serialise/deserialise, the
 * step into a dataset, and a split read by two threads that must agree
 * with the serial read of the same bytes. */
#ifndef HICOV_FUZZ_CLAIMS_COMMON_H
#define HICOV_FUZZ_CLAIMS_COMMON_H

#include <unistd.h>

#include "claims-private.h"
#include "fuzz-common.h"
#include "hicov-claims.h"

/* Rows of hicov_claims_distinct in one order (calloc'd: padding is 0). */
static int claims_cmp_distinct_row(const void *a, const void *b)
{
  return memcmp(a, b, sizeof(HicovClaimsDistinct));
}

static void claims_check_counts(const HicovClaims *c)
{
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  /* a refused file's records count as rejected with it (held ones too) */
  FUZZ_ASSERT(k.records_read == k.accepted + k.rejected,
              "read %lld != accepted %lld + rejected %lld (files failed %lld)",
              (long long)k.records_read, (long long)k.accepted,
              (long long)k.rejected, (long long)k.files_failed);
  int64_t sum = 0;
  for (int i = 0; i < HICOV_CLAIMS_N_REJECT; i++) {
    FUZZ_ASSERT(k.rejected_by[i] >= 0, "rejected_by[%d] < 0", i);
    sum += k.rejected_by[i];
  }
  FUZZ_ASSERT(sum == k.rejected, "rejected_by sums to %lld, rejected %lld",
              (long long)sum, (long long)k.rejected);
  FUZZ_ASSERT(k.flagged >= 0 && k.flagged <= k.accepted, "flagged %lld of %lld",
              (long long)k.flagged, (long long)k.accepted);
  FUZZ_ASSERT(k.records_4210 + k.records_130 == k.accepted,
              "eras %lld + %lld != accepted %lld", (long long)k.records_4210,
              (long long)k.records_130, (long long)k.accepted);
  for (size_t i = 0; i < hicov_claims_message_count(c); i++) {
    HicovClaimsMessage m;
    FUZZ_ASSERT(hicov_claims_message(c, i, &m) == HICOV_OK, "message %zu", i);
    FUZZ_ASSERT(m.file && m.record && m.field && m.message, "message %zu NULLs", i);
    (void)strlen(m.message);
  }
}

/* Totals equal the sum of the cells; visits equal accepted records. */
static void claims_check_totals(HicovClaims *c)
{
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  HicovClaimsTotals t;
  int rc = hicov_claims_totals(c, &t);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_OVERFLOW, "totals: %s", hicov_status_string(rc));
  FUZZ_ASSERT(hicov_claims_sort_cells(c) == HICOV_OK, "sort_cells");
  int64_t visits = 0, days = 0;
  for (size_t i = 0; i < hicov_claims_cell_count(c); i++) {
    HicovClaimsCell cell;
    FUZZ_ASSERT(hicov_claims_cell(c, i, &cell) == HICOV_OK, "cell %zu", i);
    FUZZ_ASSERT(cell.visit_type >= 1 && cell.visit_type <= 16, "visit type %d",
                cell.visit_type);
    FUZZ_ASSERT(cell.month >= 1 && cell.month <= 12, "month %d", cell.month);
    FUZZ_ASSERT(cell.visits > 0 && cell.inpatient_visits <= cell.visits,
                "cell visits %lld inpatient %lld", (long long)cell.visits,
                (long long)cell.inpatient_visits);
    visits += cell.visits;
    days += cell.inpatient_days;
  }
  FUZZ_ASSERT(visits == k.accepted, "cells hold %lld visits, accepted %lld",
              (long long)visits, (long long)k.accepted);
  if (rc == HICOV_OK) {
    FUZZ_ASSERT(t.visits == visits, "totals.visits %lld, cells %lld",
                (long long)t.visits, (long long)visits);
    FUZZ_ASSERT(t.inpatient_days == days, "totals.days %lld, cells %lld",
                (long long)t.inpatient_days, (long long)days);
    FUZZ_ASSERT(t.patients <= t.visits, "patients %lld > visits %lld",
                (long long)t.patients, (long long)t.visits);
  }
}

/* Serialise, deserialise: the same counts and totals. */
static void claims_check_roundtrip(const HicovClaims *c)
{
  void *buf = NULL;
  size_t len = 0;
  int rc = hicov_claims_serialize(c, &buf, &len);
  FUZZ_ASSERT(rc == HICOV_OK, "serialize: %s", hicov_status_string(rc));
  HicovClaims *d = NULL;
  rc = hicov_claims_deserialize(buf, len, &d);
  FUZZ_ASSERT(rc == HICOV_OK, "deserialize: %s", hicov_status_string(rc));
  hicov_free(buf);
  HicovClaimsCounts a, b;
  hicov_claims_counts(c, &a);
  hicov_claims_counts(d, &b);
  FUZZ_ASSERT(a.records_read == b.records_read && a.accepted == b.accepted &&
              a.rejected == b.rejected, "counts differ after deserialize");
  HicovClaimsTotals ta, tb;
  int ra = hicov_claims_totals(c, &ta), rb = hicov_claims_totals(d, &tb);
  FUZZ_ASSERT(ra == rb, "totals status differs after deserialize");
  if (ra == HICOV_OK)
    FUZZ_ASSERT(ta.visits == tb.visits && ta.total_cost == tb.total_cost &&
                ta.fund_paid == tb.fund_paid && ta.patients == tb.patients,
                "totals differ after deserialize");
  hicov_claims_free(d);
}

/* Every facility becomes a unit under one province; the aggregates then
 * go into the dataset, and the values.csv they make loads strictly. */
static void claims_check_dataset(HicovClaims *c)
{
  /* the reader refuses negative amounts: every cell can enter a dataset */
  for (size_t i = 0; i < hicov_claims_cell_count(c); i++) {
    HicovClaimsCell cell;
    hicov_claims_cell(c, i, &cell);
    FUZZ_ASSERT(cell.total_cost >= 0 && cell.fund_paid >= 0 && cell.copay >= 0,
                "facility %s: cell with a negative amount (total %lld, fund "
                "%lld, copay %lld centi)", cell.facility,
                (long long)cell.total_cost, (long long)cell.fund_paid,
                (long long)cell.copay);
  }
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) != HICOV_OK)
    return;
  fuzz_add_unit(ds, "P", NULL, HICOV_LEVEL_PROVINCE, 0);
  HicovClaimsTotals t;
  int trc = hicov_claims_totals(c, &t);
  for (size_t i = 0; i < hicov_claims_cell_count(c); i++) {
    HicovClaimsCell cell;
    hicov_claims_cell(c, i, &cell);
    size_t idx;
    if (hicov_dataset_find_unit(ds, cell.facility, &idx) == HICOV_OK)
      continue;
    HicovUnit u = { 0 };
    u.code = cell.facility;
    u.name = cell.facility;
    u.parent = "P";
    u.level = HICOV_LEVEL_FACILITY;
    u.tier = HICOV_TIER_COMMUNE;
    int rc = hicov_dataset_add_unit(ds, &u);
    FUZZ_ASSERT(rc == HICOV_OK, "facility '%s' is not a valid unit: %s",
                cell.facility, hicov_dataset_errmsg(ds));
  }
  int rc = hicov_claims_to_dataset(c, ds, "fuzz");
  FUZZ_ASSERT(rc == HICOV_OK || (rc == HICOV_OVERFLOW && trc != HICOV_OK),
              "to_dataset: %s: %s", hicov_status_string(rc), hicov_claims_errmsg(c));
  /* Facility by facility and month: a flow over a span needs observations
   * covering it, and a parent's sum needs every child, so compare the
   * first and the last cell's facility and month with the cells' sum. */
  size_t ncells = hicov_claims_cell_count(c);
  for (int k = 0; rc == HICOV_OK && ncells && k < 2; k++) {
    HicovClaimsCell pick;
    hicov_claims_cell(c, k ? ncells - 1 : 0, &pick);
    int month = pick.year * 12 + pick.month - 1;
    int64_t want = 0, visits = -1;
    for (size_t i = 0; i < ncells; i++) {
      HicovClaimsCell cell;
      hicov_claims_cell(c, i, &cell);
      if (cell.year == pick.year && cell.month == pick.month &&
          !strcmp(cell.facility, pick.facility))
        want += cell.visits;
    }
    int mrc = hicov_dataset_measure(ds, "visits", pick.facility,
                                    hicov_period_range(month, month), NULL,
                                    &visits, NULL, 0);
    FUZZ_ASSERT(mrc == HICOV_OK && visits == want * 100,
                "facility %s month %d: dataset visits %lld (%s), claims cells %lld",
                pick.facility, month, (long long)visits,
                hicov_status_string(mrc), (long long)want);
  }
  /* distinct patients per unit and period: thresholds within the count,
   * and the province's year rows within (one year: equal to) the total
   * of distinct patients */
  HicovClaimsDistinct *rows = NULL;
  size_t n_rows = 0;
  int drc = hicov_claims_distinct(c, ds, &rows, &n_rows);
  FUZZ_ASSERT(drc == HICOV_OK || drc == HICOV_OVERFLOW, "distinct: %s",
              hicov_status_string(drc));
  size_t p_years = 0;
  int64_t p_year_patients = -1;
  for (size_t i = 0; drc == HICOV_OK && i < n_rows; i++) {
    const HicovClaimsDistinct *r = &rows[i];
    FUZZ_ASSERT(r->patients >= 1 && r->patients_500m >= r->patients_1b &&
                r->patients_1b >= 0 && r->patients >= r->patients_500m,
                "distinct %s: patients %lld, 500m %lld, 1b %lld", r->unit,
                (long long)r->patients, (long long)r->patients_500m,
                (long long)r->patients_1b);
    if (!strcmp(r->unit, "P") && r->period.kind == HICOV_PERIOD_YEAR) {
      p_years++;
      p_year_patients = r->patients;
      FUZZ_ASSERT(trc != HICOV_OK || r->patients <= t.patients,
                  "province year %lld patients of %lld distinct",
                  (long long)r->patients, (long long)t.patients);
    }
  }
  FUZZ_ASSERT(drc != HICOV_OK || trc != HICOV_OK || p_years != 1 ||
                  p_year_patients == t.patients,
              "province's one year %lld patients, totals %lld",
              (long long)p_year_patients, (long long)t.patients);
  hicov_free(rows);
  char *csv = NULL;
  size_t len = 0;
  rc = hicov_claims_values_csv(c, ds, "fuzz", &csv, &len);
  FUZZ_ASSERT(rc == HICOV_OK || (rc == HICOV_OVERFLOW && trc != HICOV_OK),
              "values_csv: %s", hicov_status_string(rc));
  if (rc == HICOV_OK) {
    HicovDataset *d2;
    if (hicov_dataset_new(&d2) == HICOV_OK) {
      fuzz_add_unit(d2, "P", NULL, HICOV_LEVEL_PROVINCE, 0);
      for (size_t i = 1; i < hicov_dataset_unit_count(ds); i++) {
        HicovUnit u;
        hicov_dataset_unit(ds, i, &u);
        FUZZ_ASSERT(hicov_dataset_add_unit(d2, &u) == HICOV_OK, "copy unit");
      }
      rc = hicov_dataset_load_values_buffer(d2, "claims-values.csv", csv, len,
                                            HICOV_LOAD_STRICT);
      FUZZ_ASSERT(rc == HICOV_OK, "values.csv from claims does not load: %s",
                  hicov_dataset_errmsg(d2));
      hicov_dataset_free(d2);
    }
  }
  hicov_free(csv);
  hicov_dataset_free(ds);
}

/* Reads data with a fresh accumulator and checks everything; returns the
 * read's status and leaves the accumulator in *out (caller frees). */
static int claims_read_checked(const void *data, size_t size, HicovClaims **out)
{
  HicovClaims *c;
  *out = NULL;
  if (hicov_claims_new(&c) != HICOV_OK)
    return HICOV_NOMEM;
  hicov_claims_set_max_messages(c, 50);
  int rc = hicov_claims_read_buffer(c, "fuzz.xml", data, size);
  FUZZ_ASSERT(fuzz_input_status(rc), "read_buffer: %s: %s",
              hicov_status_string(rc), hicov_claims_errmsg(c));
  if (rc != HICOV_OK)
    FUZZ_ASSERT(hicov_claims_errmsg(c)[0], "failure without a message");
  claims_check_counts(c);
  claims_check_totals(c);
  claims_check_roundtrip(c);
  claims_check_dataset(c);
  *out = c;
  return rc;
}

/* The same bytes as a file read by two threads in chunks of 256 bytes
 * (claims_debug_split_min lowers the threshold), each thread through a
 * window of 64 bytes (claims_debug_window: it slides between records and
 * grows inside one), with tables so small that duplicate keys, patient
 * triples and cells go to disk: the chunked read must end as the serial
 * read of the bytes in memory did, with the same counts and totals - also
 * when the input makes the serial read fail part way (a parse error, a
 * sum past 64 bits), where the same records count as read, accepted and
 * rejected with the file.  Then one thread reads the file through the
 * same windows: the same counts again. */
static void claims_check_window(const char *path, int serial_rc,
                                HicovClaims *serial);

static void claims_check_split(const void *data, size_t size, int serial_rc,
                               HicovClaims *serial)
{
  static char path[64];
  if (!path[0]) {
    snprintf(path, sizeof path, "/tmp/hicov-fuzz-split-%ld.dat", (long)getpid());
    claims_debug_split_min(16);
  }
  if ((serial_rc != HICOV_OK && serial_rc != HICOV_PARSE &&
       serial_rc != HICOV_OVERFLOW) || size < 16)
    return;
  FILE *f = fopen(path, "wb");
  if (!f)
    return;
  size_t w = fwrite(data, 1, size, f);
  fclose(f);
  if (w != size)
    return;
  HicovClaims *c;
  claims_debug_key_budget(16 * 64); /* before the handle: shards take it */
  claims_debug_trip_budget(16);
  /* cells past 16 are written out too, unless the serial read failed on a
     sum: the copies of a cell in memory may then stay below the limit
     that their merged sum passes, and the read would go on */
  claims_debug_cell_budget(serial_rc == HICOV_OVERFLOW ? 0 : 16);
  if (hicov_claims_new(&c) != HICOV_OK) {
    claims_debug_key_budget(0);
    claims_debug_trip_budget(0);
    claims_debug_cell_budget(0);
    unlink(path);
    return;
  }
  const char *paths[] = { path };
  claims_debug_window(64);
  int rc = hicov_claims_read_paths(c, paths, 1, 2, NULL, NULL);
  FUZZ_ASSERT(rc == serial_rc, "split read: %s: %s (serial read: %s: %s)",
              hicov_status_string(rc), hicov_claims_errmsg(c),
              hicov_status_string(serial_rc), hicov_claims_errmsg(serial));
  claims_check_counts(c);
  HicovClaimsCounts a, b;
  hicov_claims_counts(serial, &a);
  hicov_claims_counts(c, &b);
  FUZZ_ASSERT(a.records_read == b.records_read && a.accepted == b.accepted &&
              a.rejected == b.rejected && a.flagged == b.flagged,
              "serial read %lld/%lld/%lld (read/accepted/rejected), split "
              "%lld/%lld/%lld", (long long)a.records_read, (long long)a.accepted,
              (long long)a.rejected, (long long)b.records_read,
              (long long)b.accepted, (long long)b.rejected);
  for (int i = 0; i < HICOV_CLAIMS_N_REJECT; i++)
    FUZZ_ASSERT(a.rejected_by[i] == b.rejected_by[i], "rejected_by[%d] %lld vs %lld",
                i, (long long)a.rejected_by[i], (long long)b.rejected_by[i]);
  HicovClaimsTotals ta, tb;
  int ra = hicov_claims_totals(serial, &ta), rb = hicov_claims_totals(c, &tb);
  FUZZ_ASSERT(ra == rb, "totals status %d vs %d", ra, rb);
  if (ra == HICOV_OK)
    FUZZ_ASSERT(ta.visits == tb.visits && ta.total_cost == tb.total_cost &&
                ta.fund_paid == tb.fund_paid && ta.copay == tb.copay &&
                ta.inpatient_days == tb.inpatient_days &&
                ta.patients == tb.patients,
                "totals differ: serial visits %lld cost %lld patients %lld, "
                "split %lld %lld %lld", (long long)ta.visits,
                (long long)ta.total_cost, (long long)ta.patients,
                (long long)tb.visits, (long long)tb.total_cost,
                (long long)tb.patients);
  if (serial_rc == HICOV_OK) {
    /* distinct patients per facility and period from triples written out
       (read back a window at a time): the serial read's, as sets (the
       facilities' order differs) */
    HicovClaimsDistinct *dx = NULL, *dy = NULL;
    size_t nx = 0, ny = 0;
    int rx = hicov_claims_distinct(serial, NULL, &dx, &nx);
    int ry = hicov_claims_distinct(c, NULL, &dy, &ny);
    FUZZ_ASSERT(rx == ry, "distinct status %d vs %d", rx, ry);
    FUZZ_ASSERT(rx != HICOV_OK || nx == ny, "distinct rows %zu vs %zu", nx, ny);
    if (rx == HICOV_OK && nx) {
      qsort(dx, nx, sizeof *dx, claims_cmp_distinct_row);
      qsort(dy, ny, sizeof *dy, claims_cmp_distinct_row);
      FUZZ_ASSERT(!memcmp(dx, dy, nx * sizeof *dx), "distinct rows differ");
    }
    hicov_free(dx);
    hicov_free(dy);
    /* the cells written out, merged back: the serial read's cells */
    FUZZ_ASSERT(hicov_claims_sort_cells(serial) == HICOV_OK &&
                hicov_claims_sort_cells(c) == HICOV_OK, "sort_cells: %s",
                hicov_claims_errmsg(c));
    size_t n = hicov_claims_cell_count(serial);
    FUZZ_ASSERT(hicov_claims_cell_count(c) == n, "%zu cells, serial %zu",
                hicov_claims_cell_count(c), n);
    for (size_t i = 0; i < n; i++) {
      HicovClaimsCell x, y;
      hicov_claims_cell(serial, i, &x);
      hicov_claims_cell(c, i, &y);
      FUZZ_ASSERT(!strcmp(x.facility, y.facility) && x.year == y.year &&
                  x.month == y.month && !strcmp(x.group, y.group) &&
                  x.visit_type == y.visit_type && x.visits == y.visits &&
                  x.inpatient_visits == y.inpatient_visits &&
                  x.inpatient_days == y.inpatient_days &&
                  x.total_cost == y.total_cost && x.fund_paid == y.fund_paid &&
                  x.copay == y.copay, "cell %zu differs", i);
    }
  }
  hicov_claims_free(c);
  claims_debug_key_budget(0);
  claims_debug_trip_budget(0);
  claims_debug_cell_budget(0);
  claims_check_window(path, serial_rc, serial);
  claims_debug_window(0);
  unlink(path);
}

static void claims_check_window(const char *path, int serial_rc,
                                HicovClaims *serial)
{
  HicovClaims *c;
  if (hicov_claims_new(&c) != HICOV_OK)
    return;
  const char *paths[] = { path };
  int rc = hicov_claims_read_paths(c, paths, 1, 1, NULL, NULL);
  FUZZ_ASSERT(rc == serial_rc, "read through a window: %s: %s (in memory: "
              "%s: %s)", hicov_status_string(rc), hicov_claims_errmsg(c),
              hicov_status_string(serial_rc), hicov_claims_errmsg(serial));
  claims_check_counts(c);
  HicovClaimsCounts a, b;
  hicov_claims_counts(serial, &a);
  hicov_claims_counts(c, &b);
  FUZZ_ASSERT(!memcmp(&a, &b, sizeof a), "read through a window: counts "
              "differ (read %lld/%lld, accepted %lld/%lld, rejected %lld/%lld)",
              (long long)b.records_read, (long long)a.records_read,
              (long long)b.accepted, (long long)a.accepted,
              (long long)b.rejected, (long long)a.rejected);
  HicovClaimsTotals ta, tb;
  int ra = hicov_claims_totals(serial, &ta), rb = hicov_claims_totals(c, &tb);
  FUZZ_ASSERT(ra == rb && (ra || !memcmp(&ta, &tb, sizeof ta)),
              "read through a window: totals differ");
  hicov_claims_free(c);
}

#endif
