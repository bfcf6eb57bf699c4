/* hicov-geo.h - boundaries of units read with GDAL/OGR, joined on unit code.
 *
 * A boundary file (any vector format OGR reads: GeoJSON, Shapefile,
 * GeoPackage, ...) in any projection is read into plain arrays: each
 * feature's polygons as rings of (longitude, latitude) points in degrees on
 * WGS 84 (reprojected with OSR from the layer's own CRS; a layer without a
 * CRS is taken as lon/lat already), and each attribute as text.  Nothing of
 * GDAL shows in this header: the map figure (hicov-chart.h, kind
 * HICOV_CHART_MAP) draws from these arrays.
 *
 * A join matches the features to the dataset's units at one level that
 * exist at the end of a period, through an attribute the caller chooses
 * (the unit code): values are compared as text after trimming spaces, and
 * an all-digit value also matches a code with the same digits but for
 * leading zeros (a Shapefile's integer field turns "01" into "1").  Several
 * features with one key are parts of one unit.  Nothing is dropped
 * silently: units with no feature and features whose key names no unit of
 * the dataset are listed.  A feature whose key names a unit at another
 * level, or a unit that does not exist in the period (a commune merged in
 * 2025), belongs to another map and is left out without being listed.
 *
 * Conventions as in hicov.h: opaque handles, HicovStatus codes, *_free
 * accepts NULL, a message on the handle (hicov_geo_errmsg) says file,
 * layer, feature and field.  Strings and arrays returned belong to the
 * handle.  A handle is not thread-safe.
 */
#ifndef HICOV_GEO_H
#define HICOV_GEO_H

#include <stddef.h>

#include "hicov-core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct HicovGeo HicovGeo;
typedef struct HicovGeoJoin HicovGeoJoin;

/* Limits that bound the memory of a read (about 16 bytes a point). */
#define HICOV_GEO_MAX_POINTS 20000000
#define HICOV_GEO_MAX_FEATURES 1000000

HICOV_API int hicov_geo_new(HicovGeo **out);
HICOV_API void hicov_geo_free(HicovGeo *g);
/* Message of the last failure ("" if none).  Belongs to g. */
HICOV_API const char *hicov_geo_errmsg(const HicovGeo *g);
/* Language of the messages, "vi" or "en" (default). */
HICOV_API int hicov_geo_set_lang(HicovGeo *g, const char *lang);

/* Reads layer `layer` (NULL: the first) of the file at path, replacing
 * what g held.  HICOV_IO (cannot open), HICOV_PARSE (not a vector file, no
 * such layer, a bad geometry, no polygon at all), HICOV_LIMIT over the
 * limits above, HICOV_NOMEM; on failure g is empty. */
HICOV_API int hicov_geo_read(HicovGeo *g, const char *path, const char *layer);
/* The same from memory (copied in a GDAL /vsimem/ file); name is the file
 * name shown in messages, its extension helps pick the driver. */
HICOV_API int hicov_geo_read_buffer(HicovGeo *g, const void *data,
                                    size_t size, const char *name,
                                    const char *layer);

/* The attributes (field names of the layer). */
HICOV_API size_t hicov_geo_field_count(const HicovGeo *g);
HICOV_API const char *hicov_geo_field_name(const HicovGeo *g, size_t i);
/* Index of a field by name (case-insensitive), or -1. */
HICOV_API long hicov_geo_field_find(const HicovGeo *g, const char *name);

/* Features with at least one polygon (points and lines are skipped and
 * counted in hicov_geo_skipped_count). */
HICOV_API size_t hicov_geo_feature_count(const HicovGeo *g);
HICOV_API size_t hicov_geo_skipped_count(const HicovGeo *g);
/* Attribute `field` of feature i as text ("" when unset). */
HICOV_API const char *hicov_geo_feature_value(const HicovGeo *g, size_t i,
                                              size_t field);
/* Rings of feature i: *xy holds 2 * n_points doubles (lon, lat, ...);
 * ring k has ring_len[k] points, the rings one after the other (outer
 * rings and holes, drawn with the even-odd rule). */
HICOV_API int hicov_geo_feature_rings(const HicovGeo *g, size_t i,
                                      const double **xy, size_t *n_points,
                                      const size_t **ring_len,
                                      size_t *n_rings);
/* Bounding box of everything read: lon min/max, lat min/max. */
HICOV_API int hicov_geo_bounds(const HicovGeo *g, double box[4]);
/* 1 if any feature has an attribute "schematic" that is true (1, true,
 * yes): a drawing, not real boundaries, to be labelled as such. */
HICOV_API int hicov_geo_is_schematic(const HicovGeo *g);

/* Joins g's features to ds's units at `level` existing at the end of
 * `period` (NULL: ever) on attribute `field`.  HICOV_NOTFOUND (with a
 * message) for an unknown field.  *out is freed with hicov_geo_join_free
 * and does not refer to g or ds afterwards. */
HICOV_API int hicov_geo_join(HicovGeo *g, const HicovDataset *ds,
                             const char *field, int level,
                             const HicovPeriod *period, HicovGeoJoin **out);
HICOV_API void hicov_geo_join_free(HicovGeoJoin *j);
/* The units at the level, in name order (as hicov_dataset_units_at). */
HICOV_API size_t hicov_geo_join_count(const HicovGeoJoin *j);
HICOV_API const char *hicov_geo_join_unit(const HicovGeoJoin *j, size_t i);
/* Unit i's rings (all its features' together); *n_rings is 0 for a unit
 * with no feature. */
HICOV_API int hicov_geo_join_rings(const HicovGeoJoin *j, size_t i,
                                   const double **xy, size_t *n_points,
                                   const size_t **ring_len, size_t *n_rings);
/* Units without a shape: count and code k. */
HICOV_API size_t hicov_geo_join_missing_count(const HicovGeoJoin *j);
HICOV_API const char *hicov_geo_join_missing(const HicovGeoJoin *j, size_t k);
/* Shapes without a unit: count, and the key (attribute value, maybe "")
 * and feature index of shape k. */
HICOV_API size_t hicov_geo_join_orphan_count(const HicovGeoJoin *j);
HICOV_API const char *hicov_geo_join_orphan(const HicovGeoJoin *j, size_t k,
                                            size_t *feature);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_GEO_H */
