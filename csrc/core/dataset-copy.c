/* dataset-copy.c - a deep copy of a dataset: units, observations with
 * their groups and sources, splits, resolutions, fund share, boundaries
 * and language.
 *
 * In the report layer because a dataset's resolutions belong to the
 * targets layer (assess.c); the units and observations are copied through
 * the dataset layer's own functions, index for index, so nothing is parsed
 * again and the copy costs one pass over the observations. */
#include <string.h>

#include "hicov-data.h"
#include "report-private.h"

static int copy_units(HicovDataset *from, HicovDataset *to)
{
  size_t n = hicov_dataset_unit_count(from);
  if (n && hicov_unit_hash_rebuild(to, n))
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    int rc = hicov_dataset_unit(from, i, &u);
    if (!rc)
      rc = hicov_dataset_add_unit(to, &u);
    if (rc)
      return rc;
  }
  return HICOV_OK;
}

static int copy_observations(HicovDataset *from, HicovDataset *to)
{
  size_t n = from->n_obs;
  if (n && (hicov_grow((void **)&to->obs, &to->cap_obs, n, sizeof *to->obs) ||
            hicov_obs_hash_rebuild(to, n)))
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    const HicovObs *o = &from->obs[i];
    long dup = 0;
    const char *source = o->source < from->n_sources
                             ? from->sources[o->source] : NULL;
    /* unit indexes are the same: the units were added in order */
    int rc = hicov_add_obs(to, o->unit, o->measure, from->groups[o->group],
                           hicov_period_range(o->first, o->last), o->centi,
                           source && source[0] ? source : NULL, o->line,
                           &dup);
    if (rc)
      return rc;
  }
  return HICOV_OK;
}

/* The splits through crosswalk.csv, as the folder keeps them: the copy's
 * units are in place, and the loader rebuilds its own indexes. */
static int copy_splits(HicovDataset *from, HicovDataset *to)
{
  if (!hicov_dataset_split_count(from))
    return HICOV_OK;
  char *buf = NULL;
  size_t len = 0;
  int rc = hicov_dataset_crosswalk_csv(from, &buf, &len);
  if (!rc)
    rc = hicov_dataset_load_crosswalk_buffer(to, "crosswalk.csv", buf, len,
                                             HICOV_LOAD_STRICT);
  hicov_free(buf);
  return rc;
}

int hicov_dataset_copy(HicovDataset *ds, HicovDataset **out)
{
  if (out)
    *out = NULL;
  if (!ds || !out)
    return HICOV_INVALID;
  HicovDataset *copy;
  int rc = hicov_dataset_new(&copy);
  if (rc)
    return rc;
  copy->lang = ds->lang; /* static strings ("vi", "en") or NULL */
  copy->fund_share_bp = ds->fund_share_bp;
  copy->boundaries = ds->boundaries;
  rc = copy_units(ds, copy);
  if (!rc)
    rc = copy_observations(ds, copy);
  if (!rc)
    rc = copy_splits(ds, copy);
  for (size_t i = 0; !rc && i < hicov_dataset_resolution_count(ds); i++)
    rc = hicov_dataset_add_resolution(copy, hicov_dataset_resolution(ds, i));
  if (!rc)
    rc = hicov_dataset_prepare(copy);
  if (rc) { /* out of memory: a valid dataset copies whole (its own
               crosswalk.csv loads back) */
    hicov_dataset_free(copy);
    return rc;
  }
  *out = copy;
  return HICOV_OK;
}
