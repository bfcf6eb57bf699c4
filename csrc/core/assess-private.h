/* assess-private.h - the targets layer: resolutions, their targets and the
 * assessment (assess.c).  Not API. */
#ifndef HICOV_ASSESS_PRIVATE_H
#define HICOV_ASSESS_PRIVATE_H

#include "hicov-core.h"

struct HicovResolution {
  char *body;
  char *number;
  char *title;
  int term_start, term_end;
  HicovTarget *targets;
  size_t n_targets, cap_targets;
};

/* The trend an assessment's fit gives at `year`, from the parameters it
 * reports (fit_method, fit_intercept, fit_slope, fit_origin): the value
 * hicov_project gives for that fit.  NaN without a fit (fewer than two
 * annual values). */
double hicov_assessment_trend_at(const HicovAssessment *a, double year);

#endif
