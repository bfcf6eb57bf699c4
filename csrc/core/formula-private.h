/* formula-private.h - growth, change, compound growth, required growth and
 * the projection trend, each defined once (formula.c).  Every indicator,
 * array function, data-quality check and report sentence that states one
 * of these calls it here.  Plain arithmetic on doubles: no dataset, no
 * allocation.  Not API. */
#ifndef HICOV_FORMULA_PRIVATE_H
#define HICOV_FORMULA_PRIVATE_H

/* Growth from x0 to x1, in percent:
 *   growth = (x1 - x0) / x0 x 100.
 * NaN when x0 is 0 or either value is NaN.  For x0 < 0 the sign is not the
 * direction of the change (-100 to -50 gives -50): wording that says "rose"
 * or "fell" takes the direction from hicov_change. */
double hicov_growth_pct(double x0, double x1);

/* Change from x0 to x1 in the values' own unit (percentage points for a
 * rate):  change = x1 - x0. */
double hicov_change(double x0, double x1);

/* Compound annual growth from x0 to x1 over `years` years, in percent a
 * year:
 *   CAGR = ((x1 / x0) ^ (1 / years) - 1) x 100.
 * NaN when x0 <= 0, x1 < 0, years <= 0 or any input is NaN.  One year gives
 * the plain growth; x1 = 0 gives -100. */
double hicov_cagr_pct(double x0, double x1, double years);

/* Required annual growth: the constant growth a year, in percent, that
 * takes `latest` to `target` in `years` years, i.e. the CAGR from latest to
 * target:
 *   required = ((target / latest) ^ (1 / years) - 1) x 100.
 * NaN when latest <= 0, target <= 0 (no constant growth reaches 0 or
 * below), years <= 0 or any input is NaN.  Negative when the target is
 * below the latest value (a falling target, "at most"). */
double hicov_required_growth_pct(double latest, double target, double years);

/* The projection: a straight least-squares line through annual values,
 *   y = intercept + slope x (year - origin),
 * fitted on the logit scale y = ln(p / (1 - p)), p = v / 100, for a rate
 * bounded to [0, 100] (logit != 0; p is clamped to [1e-6, 1 - 1e-6] so that
 * 0% and 100% stay finite) and on the values themselves otherwise.  The
 * projected value at a year is y taken back to the value's scale:
 *   v = 100 / (1 + exp(-y)) for a rate, v = y otherwise.
 * hicov_trend_fit fits n >= 2 points with at least two distinct years. */
double hicov_trend_scale(int logit, double v);
double hicov_trend_unscale(int logit, double y);
void hicov_trend_fit(int logit, const int *years, const double *values, int n,
                     int origin, double *slope, double *intercept);
double hicov_trend_at(int logit, double intercept, double slope, int origin,
                      double year);

#endif
