/* Fuzz target: the workbook readers (hicov_workbook_read_buffer) on any
 * bytes, as XLSX, as ODS and as CSV, with the default mapping and a wide
 * one. The input may be a zip of any shape: limits, path tricks and DTDs
 * must be refused with a status, never crash or grow without bound.
 * Invariants: read = accepted + rejected; every value names a unit of the
 * dataset and a measure; a merge of what was read is all or nothing. */
#include "fuzz-common.h"
#include "hicov-data.h"
#include "hicov-exchange.h"

static HicovDataset *demo(void)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) != HICOV_OK || hicov_dataset_load_demo(ds) != HICOV_OK)
    abort();
  return ds;
}

static void check(HicovDataset *ds, const uint8_t *data, size_t size,
                  int format, const HicovWorkbookMapping *map, int mode)
{
  HicovWorkbook *wb = NULL;
  int rc = hicov_workbook_read_buffer(ds, "fuzz", data, size, format, map,
                                      mode, &wb);
  FUZZ_ASSERT(fuzz_input_status(rc) || rc == HICOV_INVALID ||
              rc == HICOV_UNSUPPORTED, "read: %s: %s",
              hicov_status_string(rc), hicov_workbook_errmsg(wb));
  FUZZ_ASSERT(wb != NULL || rc == HICOV_NOMEM, "no handle for status %d", rc);
  if (!wb)
    return;
  if (rc != HICOV_OK)
    FUZZ_ASSERT(hicov_workbook_errmsg(wb)[0], "status %s without a message",
                hicov_status_string(rc));
  HicovWorkbookCounts k;
  hicov_workbook_counts(wb, &k);
  FUZZ_ASSERT(k.values_read == k.values_accepted + k.values_rejected,
              "read %ld != accepted %ld + rejected %ld", k.values_read,
              k.values_accepted, k.values_rejected);
  size_t n;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  FUZZ_ASSERT(rc != HICOV_OK || (long)n == k.values_accepted,
              "%zu values for %ld accepted", n, k.values_accepted);
  for (size_t i = 0; i < n; i++) {
    FUZZ_ASSERT(hicov_dataset_find_unit(ds, v[i].unit, NULL) == HICOV_OK,
                "value %zu: unit '%s' is not in the dataset", i, v[i].unit);
    FUZZ_ASSERT(hicov_measure_find(v[i].measure) >= 0, "measure '%s'",
                v[i].measure);
    FUZZ_ASSERT(v[i].centi >= 0, "negative value");
  }
  for (size_t i = 0; i < hicov_workbook_rejection_count(wb); i++) {
    HicovWorkbookRejection r;
    FUZZ_ASSERT(hicov_workbook_rejection(wb, i, &r) == HICOV_OK && r.message &&
                r.cell && strstr(r.message, r.cell) == r.message,
                "rejection %zu does not start with its cell", i);
  }
  if (rc == HICOV_OK && n) {
    /* a merge into a fresh dataset adds or refuses the whole batch */
    HicovDataset *fresh = demo();
    HicovMergeStats st;
    int mr = hicov_workbook_merge(wb, fresh, HICOV_CONFLICT_KEEP, NULL, &st,
                                  NULL);
    FUZZ_ASSERT(mr == HICOV_OK || mr == HICOV_NOMEM || mr == HICOV_LIMIT,
                "merge: %s: %s", hicov_status_string(mr),
                hicov_dataset_errmsg(fresh));
    if (mr == HICOV_OK)
      FUZZ_ASSERT(st.added + st.kept + st.unchanged == (long)n,
                  "merged %ld + %ld + %ld of %zu", st.added, st.kept,
                  st.unchanged, n);
    hicov_dataset_free(fresh);
  }
  hicov_workbook_free(wb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static HicovDataset *ds;
  static HicovWorkbookMapping *wide;
  if (!ds) {
    ds = demo();
    if (hicov_workbook_mapping_new(&wide) != HICOV_OK)
      abort();
    hicov_workbook_mapping_set(wide, "sheet", "*", NULL, 0);
    hicov_workbook_mapping_set(wide, "layout", "wide", NULL, 0);
    hicov_workbook_mapping_set(wide, "period", "2024", NULL, 0);
  }
  int zip = size >= 4 && data[0] == 'P' && data[1] == 'K';
  if (zip) {
    check(ds, data, size, HICOV_WORKBOOK_XLSX, NULL, HICOV_LOAD_STRICT);
    check(ds, data, size, HICOV_WORKBOOK_ODS, NULL, HICOV_LOAD_LENIENT);
    check(ds, data, size, HICOV_WORKBOOK_AUTO, wide, HICOV_LOAD_LENIENT);
  } else {
    check(ds, data, size, HICOV_WORKBOOK_CSV, NULL, HICOV_LOAD_LENIENT);
    check(ds, data, size, HICOV_WORKBOOK_CSV, wide, HICOV_LOAD_STRICT);
  }
  return 0;
}
