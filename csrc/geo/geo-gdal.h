/* geo-gdal.h - GDAL, loaded on first use.  Not API.
 *
 * The dashboard links the geo layer; linking libgdal itself would load its
 * 85 libraries at every start (about 55 ms of CPU before main, measured in
 * tests/bench/RESULTS.md) for a map most sessions never open.  So geo.c
 * calls GDAL through this table, filled by dlopen/dlsym the first time a
 * boundary file is read; GDAL's headers still give every pointer its
 * exact type.  Without GDAL installed, reading boundaries fails with
 * HICOV_UNSUPPORTED and a message; everything else works. */
#ifndef HICOV_GEO_GDAL_H
#define HICOV_GEO_GDAL_H

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#define GEO_GDAL_FUNCS(X)                                                     \
  X(CPLErrorReset) X(CPLGetLastErrorMsg) X(CPLGetLastErrorType)               \
  X(CPLPopErrorHandler) X(CPLPushErrorHandler) X(CPLQuietErrorHandler)        \
  X(GDALAllRegister) X(GDALClose) X(GDALDatasetGetLayer)                      \
  X(GDALDatasetGetLayerByName) X(GDALOpenEx)                                  \
  X(OCTDestroyCoordinateTransformation) X(OCTNewCoordinateTransformation)     \
  X(OGR_FD_GetFieldCount) X(OGR_FD_GetFieldDefn) X(OGR_F_Destroy)             \
  X(OGR_F_GetFID) X(OGR_F_GetFieldAsString) X(OGR_F_GetGeometryRef)           \
  X(OGR_F_IsFieldSetAndNotNull) X(OGR_Fld_GetNameRef)                         \
  X(OGR_G_DestroyGeometry) X(OGR_G_GetGeometryCount) X(OGR_G_GetGeometryRef)  \
  X(OGR_G_GetGeometryType) X(OGR_G_GetLinearGeometry) X(OGR_G_GetPointCount)  \
  X(OGR_GT_Flatten)                                                           \
  X(OGR_G_GetPoints) X(OGR_G_Transform) X(OGR_L_GetLayerDefn)                 \
  X(OGR_L_GetName) X(OGR_L_GetNextFeature) X(OGR_L_GetSpatialRef)             \
  X(OGR_L_ResetReading) X(OSRClone) X(OSRDestroySpatialReference)             \
  X(OSRNewSpatialReference) X(OSRSetAxisMappingStrategy)                      \
  X(OSRSetWellKnownGeogCS) X(VSIFCloseL) X(VSIFileFromMemBuffer) X(VSIFree)   \
  X(VSIMalloc) X(VSIStatL) X(VSIUnlink)

#define GEO_GDAL_POINTER(f) __typeof__(&f) f;
typedef struct {
  GEO_GDAL_FUNCS(GEO_GDAL_POINTER)
} GeoGdal;
#undef GEO_GDAL_POINTER

/* The table, valid after geo_gdal_load returned 1. */
extern GeoGdal geo_gdal;

/* Loads GDAL once (thread-safe); 1 when every function was found, else 0
 * with the loader's reason in *why (static). */
int geo_gdal_load(const char **why);

#endif /* HICOV_GEO_GDAL_H */
