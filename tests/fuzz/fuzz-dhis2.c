/* Fuzz target: the DHIS2 reader (hicov_dhis2_read_buffer) on any bytes as
 * dataValueSets JSON (first byte even) or ADX (odd), through a small
 * mapping, into the small tree.  Only documented statuses, each with a
 * message; read = accepted + derived + rejected; a strict failure keeps no
 * value; every value names a unit of the tree and a measure, and merges
 * whole (replace); what was merged exports as JSON and reads back strictly
 * into the bare tree, value for value. */
#include "fuzz-common.h"
#include "hicov-dhis2.h"

static const char MAP[] =
    "kind,hicov,dhis2,idScheme\n"
    "orgUnit,P,Pr0vinceUID,uid\n"
    "orgUnit,C1,C0mmune1UID,uid\n"
    "orgUnit,C2,C0mmune2UID,uid\n"
    "orgUnit,F1,Fac1l1ty1UI,uid\n"
    "dataElement,population,POP,code\n"
    "dataElement,participants,PART,code\n"
    "dataElement,visits,VIS,code\n"
    "dataElement,coverage_rate,COV,code\n"
    "categoryOptionCombo,HN,G_HN,code\n"
    "categoryOptionCombo,*,G_ALL,code\n"
    "attributeOptionCombo,*,AOC,code\n";

static HicovDataset *tree(void)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds) != HICOV_OK)
    abort();
  fuzz_small_tree(ds);
  return ds;
}

static int read_status(int rc)
{
  return rc == HICOV_OK || rc == HICOV_PARSE || rc == HICOV_LIMIT ||
         rc == HICOV_INVALID || rc == HICOV_NOMEM;
}

/* The values of ds as values.csv text (caller frees). */
static char *values_text(HicovDataset *ds)
{
  char *csv = NULL;
  FUZZ_ASSERT(hicov_dataset_values_csv(ds, &csv, NULL) == HICOV_OK, "csv");
  return csv;
}

static void round_trip(HicovDataset *ds, const HicovDhis2Map *map)
{
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  opt.units = HICOV_ADX_ALL; /* every value as it is held */
  opt.groups = HICOV_ADX_GROUPS_BOTH;
  opt.map = map;
  opt.skip_unmapped = 1;
  char *buf = NULL, err[900];
  size_t len = 0;
  int rc = hicov_dhis2_export(ds, &opt, HICOV_DHIS2_JSON, &buf, &len, NULL,
                              NULL, err, sizeof err);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_MISSING, "export: %s", err);
  if (rc != HICOV_OK)
    return;
  HicovDataset *bare = tree();
  HicovDhis2Read *r = NULL;
  rc = hicov_dhis2_read_buffer(bare, "export.json", buf, len, HICOV_DHIS2_JSON,
                               map, HICOV_LOAD_STRICT, &r);
  FUZZ_ASSERT(rc == HICOV_OK, "export does not read back: %s\n%s",
              hicov_dhis2_read_errmsg(r), buf);
  FUZZ_ASSERT(hicov_dhis2_read_merge(r, bare, HICOV_CONFLICT_ERROR, "x", NULL,
                                     NULL) == HICOV_OK, "merge of an export");
  hicov_dhis2_read_free(r);
  hicov_dataset_free(bare);
  hicov_free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  int format = data[0] & 1 ? HICOV_DHIS2_ADX : HICOV_DHIS2_JSON;
  const char *text = (const char *)data + 1;
  size_t n = size - 1;
  HicovDhis2Map *map;
  char err[600];
  if (hicov_dhis2_map_new(&map) != HICOV_OK ||
      hicov_dhis2_map_parse(map, "map.csv", MAP, sizeof MAP - 1, err,
                            sizeof err) != HICOV_OK)
    abort();
  for (int mode = 0; mode < 2; mode++) {
    HicovDataset *ds = tree();
    HicovDhis2Read *r = NULL;
    int rc = hicov_dhis2_read_buffer(ds, "fuzz", text, n, format, map, mode,
                                     &r);
    FUZZ_ASSERT(read_status(rc), "read: %s", hicov_status_string(rc));
    FUZZ_ASSERT(r != NULL, "no handle");
    FUZZ_ASSERT(rc == HICOV_OK || hicov_dhis2_read_errmsg(r)[0],
                "failure without a message");
    HicovDhis2Counts k;
    hicov_dhis2_read_counts(r, &k);
    size_t nv;
    const HicovValue *v = hicov_dhis2_read_values(r, &nv);
    if (rc == HICOV_OK) {
      FUZZ_ASSERT(k.values_read == k.values_accepted + k.values_derived +
                                       k.values_rejected,
                  "read %ld != %ld + %ld + %ld", k.values_read,
                  k.values_accepted, k.values_derived, k.values_rejected);
      FUZZ_ASSERT((long)nv == k.values_accepted, "values %zu", nv);
      FUZZ_ASSERT(mode == HICOV_LOAD_LENIENT || k.values_rejected == 0,
                  "strict success with rejections");
    } else {
      FUZZ_ASSERT(nv == 0, "a failed read kept %zu values", nv);
    }
    for (size_t i = 0; i < nv; i++) {
      size_t idx;
      FUZZ_ASSERT(hicov_dataset_find_unit(ds, v[i].unit, &idx) == HICOV_OK,
                  "unit %s", v[i].unit);
      FUZZ_ASSERT(hicov_measure_find(v[i].measure) >= 0, "measure %s",
                  v[i].measure);
      FUZZ_ASSERT(v[i].centi >= 0 && v[i].where, "value %zu", i);
    }
    char *before = values_text(ds);
    rc = hicov_dhis2_read_merge(r, ds, HICOV_CONFLICT_REPLACE, NULL, NULL,
                                NULL);
    FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM || nv == 0,
                "merge: %s: %s", hicov_status_string(rc),
                hicov_dataset_errmsg(ds));
    if (rc != HICOV_OK) {
      char *after = values_text(ds);
      FUZZ_ASSERT(!strcmp(before, after), "a failed merge changed the dataset");
      hicov_free(after);
    } else if (nv) {
      round_trip(ds, map);
    }
    hicov_free(before);
    hicov_dhis2_read_free(r);
    hicov_dataset_free(ds);
  }
  hicov_dhis2_map_free(map);
  return 0;
}
