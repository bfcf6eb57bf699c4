/* geo-gdal.c - GDAL loaded on first use (see geo-gdal.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "geo-gdal.h"

#ifndef HICOV_GDAL_SONAME
#define HICOV_GDAL_SONAME "libgdal.so"
#endif

GeoGdal geo_gdal;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static const char *reason = "";

static void load(void)
{
  /* the soname meson found at configure time, then the development link */
  void *lib = dlopen(HICOV_GDAL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    lib = dlopen("libgdal.so", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    reason = dlerror();
    return;
  }
#define GEO_GDAL_SYMBOL(f)                                                    \
  *(void **)(&geo_gdal.f) = dlsym(lib, #f);                                   \
  if (!geo_gdal.f) {                                                          \
    reason = #f; /* the function missing from this GDAL */                   \
    return;                                                                   \
  }
  GEO_GDAL_FUNCS(GEO_GDAL_SYMBOL)
#undef GEO_GDAL_SYMBOL
  loaded = 1; /* the library stays loaded for the process's life */
}

int geo_gdal_load(const char **why)
{
  pthread_once(&once, load);
  if (why)
    *why = loaded ? "" : (reason ? reason : "");
  return loaded;
}
