/* chart-axis.c - nice axis ticks (Heckbert, "Nice numbers for graph
 * labels", Graphics Gems 1990, as GOffice does it): steps of 1, 2 or 5 x
 * 10^n, tick positions from integer indexes times the step so they never
 * drift by repeated addition. */
#include <math.h>

#include "chart-private.h"

double hicov_axis_tick(const HicovAxisTicks *t, int i)
{
  return (t->first_index + i) * t->step;
}

/* Intervals needed to cover [lo, hi] with `step` from multiples of step.
 * The small slack absorbs quotients like 94.1/0.1 = 941.0000000000001. */
static double cover(double lo, double hi, double step, double *first)
{
  double f = floor(lo / step + 1e-9);
  double l = ceil(hi / step - 1e-9);
  if (l <= f)
    l = f + 1;
  *first = f;
  return l - f;
}

int hicov_axis_nice(double lo, double hi, int max_intervals, int include_zero,
                    HicovAxisTicks *out)
{
  if (!out || !isfinite(lo) || !isfinite(hi))
    return HICOV_INVALID;
  if (lo > hi) {
    double t = lo;
    lo = hi;
    hi = t;
  }
  if (max_intervals < 1)
    max_intervals = 1;
  if (include_zero) {
    if (lo > 0)
      lo = 0;
    if (hi < 0)
      hi = 0;
  }
  if (lo == hi) {
    /* one value: centre it in a range of 10% around it (1 around zero) */
    double d = lo == 0 ? 1.0 : fabs(lo) * 0.1;
    if (include_zero && lo == 0) {
      hi = 1.0;
    } else {
      lo -= d;
      hi += d;
    }
  }

  /* Dividing before subtracting keeps huge ranges (-1e308..1e308) finite. */
  double raw = hi / max_intervals - lo / max_intervals;
  if (!(raw > 0) || !isfinite(raw))
    return HICOV_INVALID;
  double p = floor(log10(raw));
  static const double mult[] = { 1, 2, 5 };
  double step = 0, first = 0;
  int found = 0;
  for (int e = -1; e <= 2 && !found; e++) {
    for (int m = 0; m < 3 && !found; m++) {
      double s = mult[m] * pow(10.0, p + e);
      if (!isfinite(s) || s <= 0)
        continue;
      double f;
      double intervals = cover(lo, hi, s, &f);
      if (intervals <= max_intervals) {
        step = s;
        first = f;
        found = 1;
      }
    }
  }
  if (!found)
    return HICOV_INVALID;

  double f;
  int intervals = (int)cover(lo, hi, step, &f);
  out->step = step;
  out->first_index = first;
  out->count = intervals + 1;
  out->min = first * step;
  out->max = (first + intervals) * step;
  if (!isfinite(out->min) || !isfinite(out->max)) {
    /* the last tick would overflow: keep the ticks that exist */
    while (out->count > 2 && !isfinite(hicov_axis_tick(out, out->count - 1)))
      out->count--;
    out->max = hicov_axis_tick(out, out->count - 1);
    if (!isfinite(out->min) || !isfinite(out->max))
      return HICOV_INVALID;
  }
  int dec = 0;
  if (step < 1) {
    dec = (int)ceil(-log10(step) - 1e-9);
    if (dec > 9)
      dec = 9;
  }
  out->decimals = dec;
  return HICOV_OK;
}
