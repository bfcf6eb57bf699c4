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

#endif
