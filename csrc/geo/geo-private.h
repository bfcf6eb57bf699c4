/* geo-private.h - what geo.c and geo-join.c share. Not API. */
#ifndef HICOV_GEO_PRIVATE_H
#define HICOV_GEO_PRIVATE_H

#include "hicov-geo.h"
#include "hicov-private.h"

/* One feature: its rings in g->xy from point `first`, ring lengths in
 * g->ring_len from ring `first_ring`, its attributes in g->values from
 * index i * nfields. */
typedef struct {
  size_t first, n_points;
  size_t first_ring, n_rings;
} GeoFeature;

struct HicovGeo {
  char lang[8];
  char **fields;
  size_t nfields;
  GeoFeature *features;
  size_t nfeatures, features_cap;
  char **values; /* nfeatures * nfields strings */
  size_t values_cap;
  double *xy; /* 2 doubles a point */
  size_t npoints, xy_cap;
  size_t *ring_len;
  size_t nrings, rings_cap;
  size_t skipped;
  int schematic;
  double box[4];
  char errmsg[512];
};

void geo_set_error(HicovGeo *g, const char *fmt, ...) HICOV_PRINTF(2, 3);

#endif /* HICOV_GEO_PRIVATE_H */
