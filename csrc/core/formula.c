/* formula.c - the formulas of growth, change, compound growth, required
 * growth and the projection trend, each in one place (declared, with the
 * formula written out, in formula-private.h), and the public array
 * formulas built on them.
 *
 * Growth is computed as (x1 - x0) / x0 rather than x1 / x0 - 1: the
 * difference of two close values is exact, so a small growth keeps its
 * digits.
 */
#include <math.h>

#include "hicov-core.h"
#include "formula-private.h"

double hicov_growth_pct(double x0, double x1)
{
  if (x0 == 0)
    return NAN;
  return (x1 - x0) / x0 * 100.0;
}

double hicov_change(double x0, double x1)
{
  return x1 - x0;
}

double hicov_cagr_pct(double x0, double x1, double years)
{
  /* written so that a NaN input fails the test */
  if (!(x0 > 0 && x1 >= 0 && years > 0))
    return NAN;
  return (pow(x1 / x0, 1.0 / years) - 1.0) * 100.0;
}

double hicov_required_growth_pct(double latest, double target, double years)
{
  if (!(target > 0))
    return NAN;
  return hicov_cagr_pct(latest, target, years);
}

/* ------------------------------------------------------------------------ */
/* Projection trend                                                          */

double hicov_trend_scale(int logit, double v)
{
  if (!logit)
    return v;
  /* keep 0% and 100% finite: clamp a hair inside the open interval */
  double p = v / 100.0;
  if (p < 1e-6) p = 1e-6;
  if (p > 1 - 1e-6) p = 1 - 1e-6;
  return log(p / (1 - p));
}

double hicov_trend_unscale(int logit, double y)
{
  return logit ? 100.0 / (1.0 + exp(-y)) : y;
}

void hicov_trend_fit(int logit, const int *years, const double *values, int n,
                     int origin, double *slope, double *intercept)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < n; i++) {
    double x = years[i] - origin, y = hicov_trend_scale(logit, values[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  double den = n * sxx - sx * sx;
  *slope = (n * sxy - sx * sy) / den;
  *intercept = (sy - *slope * sx) / n;
}

double hicov_trend_at(int logit, double intercept, double slope, int origin,
                      double year)
{
  return hicov_trend_unscale(logit, intercept + slope * (year - origin));
}

/* ------------------------------------------------------------------------ */
/* Array formulas                                                            */

void hicov_coverage_rate_array(const double *participants,
                               const double *population, double *out, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    double p = participants[i], q = population[i];
    out[i] = (q > 0 && p >= 0) ? p / q * 100.0 : NAN;
  }
}

void hicov_growth_array(const double *current, const double *previous,
                        double *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = hicov_growth_pct(previous[i], current[i]);
}

void hicov_cagr_array(const double *first, const double *last,
                      const double *years, double *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = hicov_cagr_pct(first[i], last[i], years[i]);
}

void hicov_ratio_array(const double *num, const double *den, double scale,
                       double *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = den[i] != 0 ? num[i] / den[i] * scale : NAN;
}
