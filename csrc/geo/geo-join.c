/* geo-join.c - matches features to units on an attribute (the unit code).
 *
 * Keys compare as text after trimming spaces; an all-digit key also
 * matches a code of the same digits without leading zeros.  Each unit at
 * the level gets the rings of every feature with its key (copied); units
 * with none and features whose key names no unit at all are listed. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo-private.h"

typedef struct {
  char *code;
  double *xy;
  size_t npoints;
  size_t *ring_len;
  size_t nrings;
} JoinUnit;

struct HicovGeoJoin {
  JoinUnit *units;
  size_t n;
  char **missing;
  size_t nmissing;
  char **orphans;
  size_t *orphan_feature;
  size_t norphans, orphans_cap;
};

void hicov_geo_join_free(HicovGeoJoin *j)
{
  if (!j)
    return;
  for (size_t i = 0; i < j->n; i++) {
    hicov_free(j->units[i].code);
    hicov_free(j->units[i].xy);
    hicov_free(j->units[i].ring_len);
  }
  hicov_free(j->units);
  hicov_free(j->missing); /* its strings are the units' codes */
  for (size_t k = 0; k < j->norphans; k++)
    hicov_free(j->orphans[k]);
  hicov_free(j->orphans);
  hicov_free(j->orphan_feature);
  hicov_free(j);
}

/* The key without surrounding spaces into buf; for an all-digit key also
 * without leading zeros into alt (else alt is ""). */
static void key_forms(const char *v, char *buf, size_t size, char *alt,
                      size_t alt_size)
{
  while (*v && isspace((unsigned char)*v))
    v++;
  size_t n = strlen(v);
  while (n && isspace((unsigned char)v[n - 1]))
    n--;
  if (n >= size)
    n = size - 1;
  memcpy(buf, v, n);
  buf[n] = '\0';
  alt[0] = '\0';
  int digits = n > 0;
  for (size_t i = 0; i < n; i++)
    digits &= isdigit((unsigned char)buf[i]) != 0;
  if (digits) {
    const char *p = buf;
    while (p[0] == '0' && p[1])
      p++;
    snprintf(alt, alt_size, "%s", p);
  }
}

/* The all-digit codes of the dataset without leading zeros, sorted, so
 * a key "1" finds the unit "01" by binary search. */
typedef struct {
  char alt[32];
  long unit;
} AltCode;

static int alt_cmp(const void *a, const void *b)
{
  return strcmp(((const AltCode *)a)->alt, ((const AltCode *)b)->alt);
}

static int alt_codes(const HicovDataset *ds, AltCode **out, size_t *n)
{
  size_t nu = hicov_dataset_unit_count(ds);
  *n = 0;
  *out = hicov_malloc((nu ? nu : 1) * sizeof **out);
  if (!*out)
    return HICOV_NOMEM;
  for (size_t i = 0; i < nu; i++) {
    HicovUnit u;
    char key[128], alt[128];
    if (hicov_dataset_unit(ds, i, &u))
      continue;
    key_forms(u.code, key, sizeof key, alt, sizeof alt);
    size_t len = strlen(alt);
    if (alt[0] && len < sizeof(*out)[0].alt) { /* longer: no unit code */
      memcpy((*out)[*n].alt, alt, len + 1);
      (*out)[(*n)++].unit = (long)i;
    }
  }
  qsort(*out, *n, sizeof **out, alt_cmp);
  return HICOV_OK;
}

/* The dataset unit the key names: its index, or -1. */
static long find_unit(const HicovDataset *ds, const AltCode *alts,
                      size_t nalts, const char *value)
{
  char key[128], alt[128];
  size_t idx;
  key_forms(value, key, sizeof key, alt, sizeof alt);
  if (!key[0])
    return -1;
  if (hicov_dataset_find_unit(ds, key, &idx) == HICOV_OK)
    return (long)idx;
  size_t len = strlen(alt);
  if (alt[0] && len < sizeof alts[0].alt) {
    AltCode probe;
    memcpy(probe.alt, alt, len + 1);
    const AltCode *hit = nalts ? bsearch(&probe, alts, nalts, sizeof *alts,
                                         alt_cmp)
                               : NULL;
    if (hit)
      return hit->unit;
  }
  return -1;
}

/* Appends feature f's rings to unit u. */
static int add_rings(const HicovGeo *g, size_t f, JoinUnit *u)
{
  const GeoFeature *fe = &g->features[f];
  double *xy = hicov_realloc(u->xy, 2 * (u->npoints + fe->n_points) *
                                        sizeof *xy);
  if (!xy)
    return HICOV_NOMEM;
  u->xy = xy;
  size_t *rl = hicov_realloc(u->ring_len, (u->nrings + fe->n_rings) *
                                              sizeof *rl);
  if (!rl)
    return HICOV_NOMEM;
  u->ring_len = rl;
  memcpy(u->xy + 2 * u->npoints, g->xy + 2 * fe->first,
         2 * fe->n_points * sizeof *xy);
  memcpy(u->ring_len + u->nrings, g->ring_len + fe->first_ring,
         fe->n_rings * sizeof *rl);
  u->npoints += fe->n_points;
  u->nrings += fe->n_rings;
  return HICOV_OK;
}

static int add_orphan(HicovGeoJoin *j, const char *key, size_t f)
{
  size_t cap = j->orphans_cap;
  if (hicov_grow((void **)&j->orphans, &j->orphans_cap, j->norphans + 1,
                 sizeof *j->orphans))
    return HICOV_NOMEM;
  if (hicov_grow((void **)&j->orphan_feature, &cap, j->norphans + 1,
                 sizeof *j->orphan_feature))
    return HICOV_NOMEM;
  j->orphans[j->norphans] = hicov_strdup(key);
  if (!j->orphans[j->norphans])
    return HICOV_NOMEM;
  j->orphan_feature[j->norphans++] = f;
  return HICOV_OK;
}

/* Units at the level (in name order) as the join's entries; slot[] maps a
 * dataset unit index to its entry (-1: not on this map). */
static int join_units(HicovGeoJoin *j, const HicovDataset *ds, int level,
                      const HicovPeriod *period, long *slot)
{
  size_t *idx = NULL, n = 0;
  int rc = hicov_dataset_units_at(ds, level, NULL, period, &idx, &n);
  if (rc)
    return rc;
  j->units = n ? hicov_calloc(n, sizeof *j->units) : NULL;
  if (n && !j->units) {
    hicov_free(idx);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    HicovUnit u;
    if ((rc = hicov_dataset_unit(ds, idx[i], &u)))
      break;
    j->units[i].code = hicov_strdup(u.code);
    if (!j->units[i].code)
      rc = HICOV_NOMEM;
    j->n = i + 1;
    slot[idx[i]] = (long)i;
  }
  hicov_free(idx);
  return rc;
}

static int join_features(HicovGeoJoin *j, const HicovGeo *g,
                         const HicovDataset *ds, size_t field, int level,
                         const long *slot)
{
  AltCode *alts;
  size_t nalts;
  int rc = alt_codes(ds, &alts, &nalts);
  for (size_t f = 0; f < g->nfeatures && !rc; f++) {
    const char *key = g->values[f * g->nfields + field];
    long u = find_unit(ds, alts, nalts, key);
    if (u < 0) {
      rc = add_orphan(j, key, f);
      continue;
    }
    if (slot[u] >= 0) {
      rc = add_rings(g, f, &j->units[slot[u]]);
      continue;
    }
    HicovUnit unit;
    if (hicov_dataset_unit(ds, (size_t)u, &unit) == HICOV_OK &&
        unit.level == level)
      continue; /* on this level but not in the period: another era's map */
    /* a unit of another level: another map */
  }
  hicov_free(alts);
  return rc;
}

int hicov_geo_join(HicovGeo *g, const HicovDataset *ds, const char *field,
                   int level, const HicovPeriod *period, HicovGeoJoin **out)
{
  if (!g || !ds || !field || !out)
    return HICOV_INVALID;
  *out = NULL;
  long fi = hicov_geo_field_find(g, field);
  if (fi < 0) {
    geo_set_error(g, T_(g->lang, "the boundaries have no attribute %s"),
                  field);
    return HICOV_NOTFOUND;
  }
  size_t nu = hicov_dataset_unit_count(ds);
  long *slot = hicov_malloc((nu ? nu : 1) * sizeof *slot);
  HicovGeoJoin *j = hicov_calloc(1, sizeof *j);
  if (!slot || !j) {
    hicov_free(slot);
    hicov_free(j);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < nu; i++)
    slot[i] = -1;
  int rc = join_units(j, ds, level, period, slot);
  if (!rc)
    rc = join_features(j, g, ds, (size_t)fi, level, slot);
  hicov_free(slot);
  if (!rc && j->n) {
    j->missing = hicov_malloc(j->n * sizeof *j->missing);
    if (!j->missing)
      rc = HICOV_NOMEM;
    for (size_t i = 0; !rc && i < j->n; i++)
      if (j->units[i].nrings == 0)
        j->missing[j->nmissing++] = j->units[i].code;
  }
  if (rc) {
    hicov_geo_join_free(j);
    if (rc == HICOV_NOMEM)
      geo_set_error(g, "%s", T_(g->lang, "out of memory"));
    return rc;
  }
  *out = j;
  return HICOV_OK;
}

size_t hicov_geo_join_count(const HicovGeoJoin *j)
{
  return j ? j->n : 0;
}

const char *hicov_geo_join_unit(const HicovGeoJoin *j, size_t i)
{
  return j && i < j->n ? j->units[i].code : NULL;
}

int hicov_geo_join_rings(const HicovGeoJoin *j, size_t i, const double **xy,
                         size_t *n_points, const size_t **ring_len,
                         size_t *n_rings)
{
  if (!j || i >= j->n || !xy || !n_points || !ring_len || !n_rings)
    return HICOV_INVALID;
  *xy = j->units[i].xy;
  *n_points = j->units[i].npoints;
  *ring_len = j->units[i].ring_len;
  *n_rings = j->units[i].nrings;
  return HICOV_OK;
}

size_t hicov_geo_join_missing_count(const HicovGeoJoin *j)
{
  return j ? j->nmissing : 0;
}

const char *hicov_geo_join_missing(const HicovGeoJoin *j, size_t k)
{
  return j && k < j->nmissing ? j->missing[k] : NULL;
}

size_t hicov_geo_join_orphan_count(const HicovGeoJoin *j)
{
  return j ? j->norphans : 0;
}

const char *hicov_geo_join_orphan(const HicovGeoJoin *j, size_t k,
                                  size_t *feature)
{
  if (!j || k >= j->norphans)
    return NULL;
  if (feature)
    *feature = j->orphan_feature[k];
  return j->orphans[k];
}
