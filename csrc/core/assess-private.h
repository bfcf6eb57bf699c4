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
  char *source;   /* the file it was read from, or NULL */
  long *lines;    /* per target: its line in that file (0: unknown);
                     cap_targets long, NULL until a line is set */
};

/* assess-verdict.c: a target's measure and the verdict on it. */
/* 1 if measure m meets t (at least / at most its threshold, within the
 * rounding of published figures); 0 for NaN. */
int assess_meets(const HicovTarget *t, double m);
/* The target's measure for value v at year: v, v - baseline, or the
 * average annual growth from the baseline year to year (NaN before it). */
double assess_measure(const HicovTarget *t, double baseline, double v,
                      int year);
/* People still to enrol to reach `level` percent coverage at the end of
 * p: ceil(level% x population - participants), 0 when reached; NaN when
 * the indicator is not coverage_rate or a count is missing. */
double assess_people_needed(HicovDataset *ds, const char *indicator,
                            const char *unit, HicovPeriod p, double level);
/* 1 if the indicator's value for unit in year rests on an estimate. */
int assess_is_estimate(HicovDataset *ds, const char *indicator,
                       const char *unit, int year);
/* Records in a why a->latest_year is earlier than the data's last year
 * (at most the deadline): a->wanted_year and a->fallback_reason. */
int assess_fallback(HicovDataset *ds, const HicovTarget *t, const char *unit,
                    int last_year, HicovAssessment *a);
/* Completes a, whose latest value, baseline and trend (projected_value at
 * the deadline, fit_*) are set: measure, gap, people needed, requirements,
 * projections, status, late attainment, estimate. */
int assess_verdict(HicovDataset *ds, const HicovTarget *t, const char *unit,
                   int last_year, HicovAssessment *a);

#endif
