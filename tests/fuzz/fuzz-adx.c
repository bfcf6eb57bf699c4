/* Fuzz target: ADX import (hicov_adx_import_buffer) into a small dataset
 * built in code.  Strict: a failure adds nothing.  Lenient: every value
 * read is imported, derived or rejected.  What was imported exports; the
 * export re-imports into the bare tree, and from there export -> import ->
 * export gives the same bytes. */
#include "fuzz-common.h"
#include "hicov-report.h"

static HicovDataset *tree(int with_values)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) != HICOV_OK)
    abort();
  fuzz_small_tree(ds);
  if (with_values) {
    hicov_dataset_add_value(ds, "C1", "population", NULL, hicov_period_year(2023), 500000, NULL);
    hicov_dataset_add_value(ds, "C1", "participants", NULL, hicov_period_year(2023), 450000, NULL);
    hicov_dataset_add_value(ds, "F1", "visits", NULL, hicov_period_month(2023, 5), 12300, NULL);
  }
  return ds;
}

static const HicovAdxExportOptions measures_only = { NULL, 0, 0, 1, 0, 1735689600 };

/* Export of the measures, or NULL when there is nothing to export. */
static char *export_measures(HicovDataset *ds, size_t *len)
{
  char *buf = NULL;
  int rc = hicov_adx_export(ds, &measures_only, &buf, len);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_MISSING, "export: %s", hicov_status_string(rc));
  return buf;
}

/* Imports an export into the bare tree (strictly: it must all be taken)
 * and exports the measures again. */
static char *reimport(const char *exp, size_t len, size_t *out_len)
{
  char err[600];
  HicovAdxImportStats st;
  HicovDataset *bare = tree(0);
  int rc = hicov_adx_import_buffer(bare, "export.xml", exp, len, HICOV_LOAD_STRICT,
                                   &st, NULL, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK, "export does not re-import: %s\n%s", err, exp);
  char *again = export_measures(bare, out_len);
  hicov_dataset_free(bare);
  return again;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  char err[600];
  HicovAdxImportStats st;
  char *rej = NULL;

  /* strict: on failure the dataset is unchanged */
  HicovDataset *ds = tree(1);
  size_t len0;
  char *before = export_measures(ds, &len0);
  int rc = hicov_adx_import_buffer(ds, "fuzz.xml", text, size, HICOV_LOAD_STRICT,
                                   &st, &rej, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_PARSE, "strict import: %s: %s",
              hicov_status_string(rc), err);
  hicov_free(rej);
  if (rc != HICOV_OK) {
    FUZZ_ASSERT(st.values_imported == 0, "strict failure imported %ld", st.values_imported);
    size_t len1;
    char *after = export_measures(ds, &len1);
    FUZZ_ASSERT(before && after && len0 == len1 && !memcmp(before, after, len0),
                "strict failure changed the dataset");
    hicov_free(after);
  }
  hicov_free(before);
  hicov_dataset_free(ds);

  /* lenient: the accounting adds up */
  ds = tree(1);
  rej = NULL;
  rc = hicov_adx_import_buffer(ds, "fuzz.xml", text, size, HICOV_LOAD_LENIENT,
                               &st, &rej, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_PARSE, "lenient import: %s: %s",
              hicov_status_string(rc), err);
  if (rc == HICOV_OK) {
    FUZZ_ASSERT(st.values_read == st.values_imported + st.values_derived + st.values_rejected,
                "read %ld != imported %ld + derived %ld + rejected %ld",
                st.values_read, st.values_imported, st.values_derived,
                st.values_rejected);
    FUZZ_ASSERT((rej != NULL) == (st.values_rejected > 0),
                "rejections text %p for %ld rejections", (void *)rej, st.values_rejected);
  }
  hicov_free(rej);

  /* export what is there now (derived indicators too), then round trip */
  char *all = NULL;
  size_t alen;
  rc = hicov_adx_export(ds, NULL, &all, &alen);
  FUZZ_ASSERT(rc == HICOV_OK, "export after import: %s", hicov_status_string(rc));
  hicov_free(all);
  size_t len1;
  char *exp1 = export_measures(ds, &len1);
  hicov_dataset_free(ds);
  /* The first export sums sub-annual values into years and may leave out
   * a parent whose children reported in other periods only, so it is not
   * the identity; what it writes, re-imported into the bare tree, must
   * then round-trip exactly. */
  if (exp1) {
    size_t len2, len3;
    char *exp2 = reimport(exp1, len1, &len2);
    char *exp3 = exp2 ? reimport(exp2, len2, &len3) : NULL;
    FUZZ_ASSERT(!exp2 || (exp3 && len2 == len3 && !memcmp(exp2, exp3, len2)),
                "export -> import -> export differs:\n%s\n----\n%s", exp2,
                exp3 ? exp3 : "(none)");
    hicov_free(exp2);
    hicov_free(exp3);
  }
  hicov_free(exp1);
  return 0;
}
