/* geo.c - reads a boundary file with GDAL/OGR into plain arrays.
 *
 * Every polygon is reprojected to WGS 84 longitude/latitude (traditional
 * GIS axis order, whatever the CRS's own order) and flattened: curves are
 * linearised, multi-polygons and collections give one ring list per
 * feature.  GDAL's own error messages are captured (not printed) and put
 * into ours with the file, layer and feature. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "geo-gdal.h"
#include "geo-private.h"

/* GDAL through the table of geo-gdal.c, loaded on first use. */
#define G geo_gdal

void geo_set_error(HicovGeo *g, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->errmsg, sizeof g->errmsg, fmt, ap);
  va_end(ap);
  hicov_utf8_trim(g->errmsg);
}

int hicov_geo_new(HicovGeo **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = hicov_calloc(1, sizeof **out);
  if (!*out)
    return HICOV_NOMEM;
  strcpy((*out)->lang, "en");
  return HICOV_OK;
}

static void geo_clear(HicovGeo *g)
{
  for (size_t i = 0; i < g->nfeatures * g->nfields; i++)
    hicov_free(g->values[i]);
  for (size_t i = 0; i < g->nfields; i++)
    hicov_free(g->fields[i]);
  hicov_free(g->values);
  hicov_free(g->fields);
  hicov_free(g->features);
  hicov_free(g->xy);
  hicov_free(g->ring_len);
  char lang[8];
  memcpy(lang, g->lang, sizeof lang);
  memset(g, 0, sizeof *g);
  memcpy(g->lang, lang, sizeof lang);
}

void hicov_geo_free(HicovGeo *g)
{
  if (!g)
    return;
  geo_clear(g);
  hicov_free(g);
}

const char *hicov_geo_errmsg(const HicovGeo *g)
{
  return g ? g->errmsg : "";
}

int hicov_geo_set_lang(HicovGeo *g, const char *lang)
{
  if (!g || !lang)
    return HICOV_INVALID;
  snprintf(g->lang, sizeof g->lang, "%s", strcmp(lang, "vi") ? "en" : "vi");
  return HICOV_OK;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
  HicovGeo *g;
  const char *name; /* file name for messages */
  const char *layer;
  long feature;     /* OGR feature id */
} Ctx;

static int add_ring(Ctx *x, OGRGeometryH ring)
{
  HicovGeo *g = x->g;
  int n = G.OGR_G_GetPointCount(ring);
  if (n < 3)
    return HICOV_OK; /* not an area: nothing to draw */
  if (g->npoints + (size_t)n > HICOV_GEO_MAX_POINTS) {
    geo_set_error(g, T_(g->lang, "%s, layer %s, feature %ld: more than %d "
                                 "points in the file"),
                  x->name, x->layer, x->feature, HICOV_GEO_MAX_POINTS);
    return HICOV_LIMIT;
  }
  if (hicov_grow((void **)&g->xy, &g->xy_cap, 2 * (g->npoints + (size_t)n),
                 sizeof *g->xy) ||
      hicov_grow((void **)&g->ring_len, &g->rings_cap, g->nrings + 1,
                 sizeof *g->ring_len))
    return HICOV_NOMEM;
  double *dst = g->xy + 2 * g->npoints;
  G.OGR_G_GetPoints(ring, dst, 2 * sizeof(double), dst + 1, 2 * sizeof(double),
                  NULL, 0);
  for (int i = 0; i < n; i++) {
    double lon = dst[2 * i], lat = dst[2 * i + 1];
    if (!isfinite(lon) || !isfinite(lat) || fabs(lat) > 90.0 ||
        fabs(lon) > 540.0) {
      geo_set_error(g, T_(g->lang, "%s, layer %s, feature %ld: point %d is "
                                   "not a place on Earth after reprojection "
                                   "(%g, %g)"),
                    x->name, x->layer, x->feature, i + 1, lon, lat);
      return HICOV_PARSE;
    }
    if (g->npoints == 0 && i == 0) {
      g->box[0] = g->box[1] = lon;
      g->box[2] = g->box[3] = lat;
    }
    g->box[0] = fmin(g->box[0], lon);
    g->box[1] = fmax(g->box[1], lon);
    g->box[2] = fmin(g->box[2], lat);
    g->box[3] = fmax(g->box[3], lat);
  }
  g->npoints += (size_t)n;
  g->ring_len[g->nrings++] = (size_t)n;
  return HICOV_OK;
}

/* Adds the rings of a (linear) polygon, multi-polygon or collection. */
static int add_geometry(Ctx *x, OGRGeometryH geom, int depth)
{
  OGRwkbGeometryType t = G.OGR_GT_Flatten(G.OGR_G_GetGeometryType(geom));
  int n = G.OGR_G_GetGeometryCount(geom);
  int rc = HICOV_OK;
  if (depth > 8)
    return HICOV_OK;
  if (t == wkbPolygon) {
    for (int i = 0; i < n && !rc; i++)
      rc = add_ring(x, G.OGR_G_GetGeometryRef(geom, i));
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    for (int i = 0; i < n && !rc; i++)
      rc = add_geometry(x, G.OGR_G_GetGeometryRef(geom, i), depth + 1);
  }
  return rc;
}

static int add_values(Ctx *x, OGRFeatureH f)
{
  HicovGeo *g = x->g;
  size_t base = g->nfeatures * g->nfields;
  if (hicov_grow((void **)&g->values, &g->values_cap, base + g->nfields + 1,
                 sizeof *g->values))
    return HICOV_NOMEM;
  for (size_t k = 0; k < g->nfields; k++) {
    const char *v = G.OGR_F_IsFieldSetAndNotNull(f, (int)k)
                        ? G.OGR_F_GetFieldAsString(f, (int)k)
                        : "";
    g->values[base + k] = hicov_strdup(v ? v : "");
    if (!g->values[base + k]) {
      for (size_t j = 0; j < k; j++)
        hicov_free(g->values[base + j]);
      return HICOV_NOMEM;
    }
    if (!strcasecmp(g->fields[k], "schematic") &&
        (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")))
      g->schematic = 1;
  }
  return HICOV_OK;
}

/* One feature: its geometry (transformed) and attributes. */
static int add_feature(Ctx *x, OGRFeatureH f, OGRCoordinateTransformationH ct)
{
  HicovGeo *g = x->g;
  OGRGeometryH geom = G.OGR_F_GetGeometryRef(f);
  if (!geom) {
    g->skipped++;
    return HICOV_OK;
  }
  OGRGeometryH lin = G.OGR_G_GetLinearGeometry(geom, 0, NULL);
  if (!lin)
    return HICOV_NOMEM;
  if (ct && G.OGR_G_Transform(lin, ct) != OGRERR_NONE) {
    G.OGR_G_DestroyGeometry(lin);
    geo_set_error(g, T_(g->lang, "%s, layer %s, feature %ld: cannot "
                                 "reproject to longitude/latitude: %s"),
                  x->name, x->layer, x->feature, G.CPLGetLastErrorMsg());
    return HICOV_PARSE;
  }
  size_t p0 = g->npoints, r0 = g->nrings;
  int rc = add_geometry(x, lin, 0);
  G.OGR_G_DestroyGeometry(lin);
  if (rc)
    return rc;
  if (g->nrings == r0) {
    g->skipped++;
    return HICOV_OK;
  }
  if (g->nfeatures >= HICOV_GEO_MAX_FEATURES) {
    geo_set_error(g, T_(g->lang, "%s, layer %s: more than %d features"),
                  x->name, x->layer, HICOV_GEO_MAX_FEATURES);
    return HICOV_LIMIT;
  }
  if (hicov_grow((void **)&g->features, &g->features_cap, g->nfeatures + 1,
                 sizeof *g->features))
    return HICOV_NOMEM;
  if ((rc = add_values(x, f)))
    return rc;
  GeoFeature *fe = &g->features[g->nfeatures++];
  fe->first = p0;
  fe->n_points = g->npoints - p0;
  fe->first_ring = r0;
  fe->n_rings = g->nrings - r0;
  return HICOV_OK;
}

static int read_fields(Ctx *x, OGRLayerH layer)
{
  HicovGeo *g = x->g;
  OGRFeatureDefnH defn = G.OGR_L_GetLayerDefn(layer);
  int n = G.OGR_FD_GetFieldCount(defn);
  if (n <= 0)
    return HICOV_OK;
  g->fields = hicov_calloc((size_t)n, sizeof *g->fields);
  if (!g->fields)
    return HICOV_NOMEM;
  for (int i = 0; i < n; i++) {
    const char *name = G.OGR_Fld_GetNameRef(G.OGR_FD_GetFieldDefn(defn, i));
    g->fields[i] = hicov_strdup(name ? name : "");
    if (!g->fields[i])
      return HICOV_NOMEM;
    g->nfields = (size_t)i + 1;
  }
  return HICOV_OK;
}

/* A transformation from the layer's CRS to WGS 84 lon/lat, or NULL (with
 * *rc OK) when the layer has no CRS and is taken as lon/lat. */
static OGRCoordinateTransformationH make_transform(Ctx *x, OGRLayerH layer,
                                                   int *rc)
{
  *rc = HICOV_OK;
  OGRSpatialReferenceH src = G.OGR_L_GetSpatialRef(layer);
  if (!src)
    return NULL;
  OGRSpatialReferenceH wgs = G.OSRNewSpatialReference(NULL);
  OGRSpatialReferenceH own = G.OSRClone(src);
  if (!wgs || !own) {
    G.OSRDestroySpatialReference(wgs);
    G.OSRDestroySpatialReference(own);
    *rc = HICOV_NOMEM;
    return NULL;
  }
  G.OSRSetWellKnownGeogCS(wgs, "WGS84");
  G.OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
  G.OSRSetAxisMappingStrategy(own, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = G.OCTNewCoordinateTransformation(own, wgs);
  G.OSRDestroySpatialReference(wgs);
  G.OSRDestroySpatialReference(own);
  if (!ct) {
    geo_set_error(x->g, T_(x->g->lang, "%s, layer %s: no transformation from "
                                       "its coordinate system to "
                                       "longitude/latitude: %s"),
                  x->name, x->layer, G.CPLGetLastErrorMsg());
    *rc = HICOV_PARSE;
  }
  return ct;
}

static int read_layer(Ctx *x, OGRLayerH layer)
{
  int rc = read_fields(x, layer);
  if (rc)
    return rc;
  OGRCoordinateTransformationH ct = make_transform(x, layer, &rc);
  if (rc)
    return rc;
  G.OGR_L_ResetReading(layer);
  OGRFeatureH f;
  while (!rc && (f = G.OGR_L_GetNextFeature(layer)) != NULL) {
    x->feature = (long)G.OGR_F_GetFID(f);
    rc = add_feature(x, f, ct);
    G.OGR_F_Destroy(f);
  }
  if (!rc && G.CPLGetLastErrorType() >= CE_Failure) {
    geo_set_error(x->g, T_(x->g->lang, "%s, layer %s, after feature %ld: %s"),
                  x->name, x->layer, x->feature, G.CPLGetLastErrorMsg());
    rc = HICOV_PARSE;
  }
  if (ct)
    G.OCTDestroyCoordinateTransformation(ct);
  if (!rc && x->g->nfeatures == 0) {
    geo_set_error(x->g, T_(x->g->lang, "%s, layer %s: no polygon in any "
                                       "feature"),
                  x->name, x->layer);
    rc = HICOV_PARSE;
  }
  return rc;
}

static int read_path(HicovGeo *g, const char *path, const char *name,
                     const char *layer_name)
{
  geo_clear(g);
  g->errmsg[0] = '\0';
  const char *why;
  if (!geo_gdal_load(&why)) {
    geo_set_error(g, T_(g->lang, "%s: GDAL, which reads boundary files, "
                                 "cannot be loaded: %s"),
                  name, why);
    return HICOV_UNSUPPORTED;
  }
  G.GDALAllRegister();
  G.CPLPushErrorHandler(G.CPLQuietErrorHandler);
  G.CPLErrorReset();
  Ctx x = { g, name, layer_name ? layer_name : "", -1 };
  int rc = HICOV_OK;
  GDALDatasetH ds = G.GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                               NULL, NULL);
  if (!ds) {
    VSIStatBufL st;
    int exists = G.VSIStatL(path, &st) == 0;
    geo_set_error(g, exists ? T_(g->lang, "%s: not a vector file GDAL can "
                                          "read: %s")
                            : T_(g->lang, "%s: cannot open: %s"),
                  name, G.CPLGetLastErrorMsg());
    rc = exists ? HICOV_PARSE : HICOV_IO;
  } else {
    OGRLayerH layer = layer_name ? G.GDALDatasetGetLayerByName(ds, layer_name)
                                 : G.GDALDatasetGetLayer(ds, 0);
    if (!layer) {
      geo_set_error(g, T_(g->lang, "%s: no layer %s"), name,
                    layer_name ? layer_name : "0");
      rc = HICOV_PARSE;
    } else {
      if (!layer_name)
        x.layer = G.OGR_L_GetName(layer);
      rc = read_layer(&x, layer);
    }
    G.GDALClose(ds);
  }
  G.CPLPopErrorHandler();
  if (rc == HICOV_NOMEM)
    geo_set_error(g, T_(g->lang, "%s: out of memory"), name);
  if (rc) { /* empty on failure, but the message stays */
    char msg[sizeof g->errmsg];
    memcpy(msg, g->errmsg, sizeof msg);
    geo_clear(g);
    memcpy(g->errmsg, msg, sizeof msg);
  }
  return rc;
}

int hicov_geo_read(HicovGeo *g, const char *path, const char *layer)
{
  if (!g || !path)
    return HICOV_INVALID;
  return read_path(g, path, path, layer);
}

int hicov_geo_read_buffer(HicovGeo *g, const void *data, size_t size,
                          const char *name, const char *layer)
{
  if (!g || (!data && size))
    return HICOV_INVALID;
  static unsigned long serial;
  const char *base = name ? strrchr(name, '/') : NULL;
  base = base ? base + 1 : (name ? name : "boundaries");
  char path[256];
  snprintf(path, sizeof path, "/vsimem/hicov-geo-%p-%lu/%s", (void *)g,
           ++serial, base);
  const char *why;
  if (!geo_gdal_load(&why)) {
    geo_clear(g);
    geo_set_error(g, T_(g->lang, "%s: GDAL, which reads boundary files, "
                                 "cannot be loaded: %s"),
                  name ? name : base, why);
    return HICOV_UNSUPPORTED;
  }
  GByte *copy = G.VSIMalloc(size ? size : 1);
  if (!copy)
    return HICOV_NOMEM;
  if (size)
    memcpy(copy, data, size);
  VSILFILE *f = G.VSIFileFromMemBuffer(path, copy, (vsi_l_offset)size, TRUE);
  if (!f) {
    G.VSIFree(copy);
    return HICOV_NOMEM;
  }
  G.VSIFCloseL(f);
  int rc = read_path(g, path, name ? name : base, layer);
  G.VSIUnlink(path);
  return rc;
}

/* ---- queries -------------------------------------------------------------- */

size_t hicov_geo_field_count(const HicovGeo *g)
{
  return g ? g->nfields : 0;
}

const char *hicov_geo_field_name(const HicovGeo *g, size_t i)
{
  return g && i < g->nfields ? g->fields[i] : NULL;
}

long hicov_geo_field_find(const HicovGeo *g, const char *name)
{
  if (!g || !name)
    return -1;
  for (size_t i = 0; i < g->nfields; i++)
    if (!strcasecmp(g->fields[i], name))
      return (long)i;
  return -1;
}

size_t hicov_geo_feature_count(const HicovGeo *g)
{
  return g ? g->nfeatures : 0;
}

size_t hicov_geo_skipped_count(const HicovGeo *g)
{
  return g ? g->skipped : 0;
}

const char *hicov_geo_feature_value(const HicovGeo *g, size_t i, size_t field)
{
  if (!g || i >= g->nfeatures || field >= g->nfields)
    return NULL;
  return g->values[i * g->nfields + field];
}

int hicov_geo_feature_rings(const HicovGeo *g, size_t i, const double **xy,
                            size_t *n_points, const size_t **ring_len,
                            size_t *n_rings)
{
  if (!g || i >= g->nfeatures || !xy || !n_points || !ring_len || !n_rings)
    return HICOV_INVALID;
  const GeoFeature *f = &g->features[i];
  *xy = g->xy + 2 * f->first;
  *n_points = f->n_points;
  *ring_len = g->ring_len + f->first_ring;
  *n_rings = f->n_rings;
  return HICOV_OK;
}

int hicov_geo_bounds(const HicovGeo *g, double box[4])
{
  if (!g || !box || g->nfeatures == 0)
    return HICOV_INVALID;
  memcpy(box, g->box, sizeof g->box);
  return HICOV_OK;
}

int hicov_geo_is_schematic(const HicovGeo *g)
{
  return g ? g->schematic : 0;
}
