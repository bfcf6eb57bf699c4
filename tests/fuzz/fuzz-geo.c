/* Fuzz target: boundary files (hicov_geo_read_buffer, csrc/geo), read as
 * GeoJSON.  GDAL parses; what is checked is ours: only documented
 * statuses, a failure leaves nothing and says why, every feature's rings
 * add up to its points, coordinates are finite longitudes/latitudes, and a
 * join on every attribute against the demo lists each unit exactly once
 * (with a shape or among the missing) and each feature at most once. */
#include <math.h>

#include "fuzz-common.h"
#include "hicov-geo.h"

static HicovDataset *demo;

static void check_join(HicovGeo *g, size_t field)
{
  HicovGeoJoin *j = NULL;
  HicovPeriod y = hicov_period_year(2024);
  int rc = hicov_geo_join(g, demo, hicov_geo_field_name(g, field),
                          HICOV_LEVEL_COMMUNE, &y, &j);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_NOMEM, "join: %s",
              hicov_status_string(rc));
  if (rc)
    return;
  size_t with_shape = 0;
  for (size_t i = 0; i < hicov_geo_join_count(j); i++) {
    const double *xy;
    const size_t *rl;
    size_t np, nr, sum = 0;
    FUZZ_ASSERT(hicov_geo_join_rings(j, i, &xy, &np, &rl, &nr) == HICOV_OK,
                "rings of unit %zu", i);
    for (size_t k = 0; k < nr; k++)
      sum += rl[k];
    FUZZ_ASSERT(sum == np, "unit %zu: %zu != %zu points", i, sum, np);
    with_shape += nr > 0;
  }
  FUZZ_ASSERT(with_shape + hicov_geo_join_missing_count(j) ==
                  hicov_geo_join_count(j),
              "%zu with a shape + %zu missing != %zu units", with_shape,
              hicov_geo_join_missing_count(j), hicov_geo_join_count(j));
  FUZZ_ASSERT(hicov_geo_join_orphan_count(j) <= hicov_geo_feature_count(g),
              "%zu orphans of %zu features", hicov_geo_join_orphan_count(j),
              hicov_geo_feature_count(g));
  hicov_geo_join_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!demo) {
    if (hicov_dataset_new(&demo) != HICOV_OK || hicov_dataset_load_demo(demo))
      abort();
  }
  HicovGeo *g = NULL;
  if (hicov_geo_new(&g) != HICOV_OK)
    abort();
  int rc = hicov_geo_read_buffer(g, data, size, "fuzz.geojson", NULL);
  FUZZ_ASSERT(rc == HICOV_OK || rc == HICOV_PARSE || rc == HICOV_LIMIT ||
                  rc == HICOV_NOMEM,
              "read: %s: %s", hicov_status_string(rc), hicov_geo_errmsg(g));
  if (rc != HICOV_OK) {
    FUZZ_ASSERT(hicov_geo_feature_count(g) == 0 && hicov_geo_errmsg(g)[0],
                "failure kept %zu features, message '%s'",
                hicov_geo_feature_count(g), hicov_geo_errmsg(g));
    hicov_geo_free(g);
    return 0;
  }
  FUZZ_ASSERT(hicov_geo_feature_count(g) > 0, "read nothing without error");
  for (size_t i = 0; i < hicov_geo_feature_count(g); i++) {
    const double *xy;
    const size_t *rl;
    size_t np, nr, sum = 0;
    FUZZ_ASSERT(hicov_geo_feature_rings(g, i, &xy, &np, &rl, &nr) ==
                    HICOV_OK && nr > 0,
                "feature %zu: no rings", i);
    for (size_t k = 0; k < nr; k++) {
      FUZZ_ASSERT(rl[k] >= 3, "feature %zu ring %zu: %zu points", i, k, rl[k]);
      sum += rl[k];
    }
    FUZZ_ASSERT(sum == np, "feature %zu: %zu != %zu points", i, sum, np);
    for (size_t p = 0; p < np; p++)
      FUZZ_ASSERT(isfinite(xy[2 * p]) && isfinite(xy[2 * p + 1]) &&
                      fabs(xy[2 * p + 1]) <= 90.0,
                  "feature %zu point %zu: (%g, %g)", i, p, xy[2 * p],
                  xy[2 * p + 1]);
    for (size_t f = 0; f < hicov_geo_field_count(g); f++)
      FUZZ_ASSERT(hicov_geo_feature_value(g, i, f) != NULL, "value %zu.%zu",
                  i, f);
  }
  for (size_t f = 0; f < hicov_geo_field_count(g) && f < 4; f++)
    check_join(g, f);
  hicov_geo_free(g);
  return 0;
}
