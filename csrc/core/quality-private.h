/* quality-private.h - the data-quality checks as the indicators read them
 * (quality.c).  Not API. */
#ifndef HICOV_QUALITY_PRIVATE_H
#define HICOV_QUALITY_PRIVATE_H

#include "dataset-private.h"

/* The number of findings of hicov_dataset_check on unit or a unit below it
 * (by parent) whose period overlaps p, every finding counted (no cap).
 * The checks run once per state of ds and are kept on it (quality_memo).
 * HICOV_OK, HICOV_MISSING when p lies outside the dataset's months (or it
 * holds none), or HICOV_NOMEM. */
int hicov_quality_count(HicovDataset *ds, size_t unit, HicovPeriod p,
                        size_t *n);

#endif
