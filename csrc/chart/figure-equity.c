/* figure-equity.c - the trend of an equity measure across units
 * (hicov_equity_on) as a line, for the dashboard's Equity view and
 * scripts.  The numbers are the core's; this only lays them out. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figure-private.h"

#define EQUITY_MAX_YEARS 12

/* "Tỷ lệ bao phủ BHYT · các xã thuộc Lạng Sơn" */
static void subtitle(HicovFigureContext *ctx, const char *indicator,
                     const char *unit, int level, const char *order,
                     char *buf, size_t size)
{
  size_t u;
  HicovUnit parent = { 0 };
  if (hicov_dataset_find_unit(ctx->ds, unit, &u) == HICOV_OK)
    hicov_dataset_unit(ctx->ds, u, &parent);
  char ord[200] = "";
  if (order)
    snprintf(ord, sizeof ord, T_(ctx->lang, " · ranked by %s"),
             hicov_indicator_label(hicov_indicator_find(order), ctx->lang));
  /* TRANSLATORS: indicator, level word ("commune"), parent's name, and
     " · ranked by ..." or "" */
  snprintf(buf, size, T_(ctx->lang, "%s · units at %s level in %s%s"),
           hicov_indicator_label(hicov_indicator_find(indicator), ctx->lang),
           hicov_level_word(level, ctx->lang),
           parent.name ? parent.name : unit, ord);
}

int hicov_figure_equity_trend(HicovFigureContext *ctx, const char *indicator,
                              const char *unit, int level, HicovPeriod period,
                              int measure, const char *order, HicovChart **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ctx || !indicator || !unit || measure < 0 || measure >= HICOV_N_EQ)
    return HICOV_INVALID;
  int rc = figure_check_unit(ctx, unit);
  if (rc)
    return rc;
  int last = hicov_period_end_year(period);
  int first = ctx->has_span ? ctx->first_month / 12 : last;
  if (first > last)
    first = last;
  if (last - first + 1 > EQUITY_MAX_YEARS)
    first = last - EQUITY_MAX_YEARS + 1;
  size_t n = (size_t)(last - first + 1);
  double x[EQUITY_MAX_YEARS], v[EQUITY_MAX_YEARS];
  char labels[EQUITY_MAX_YEARS][8];
  const char *lp[EQUITY_MAX_YEARS];
  int asof = hicov_period_year(last).last;
  double scale = hicov_equity_measure_scale(measure);
  for (size_t i = 0; i < n; i++) {
    int y = first + (int)i;
    HicovEquity e;
    rc = hicov_equity_on(ctx->ds, indicator, unit, level,
                         hicov_period_year(y), asof, NULL, order, &e);
    if (rc)
      return figure_set_error(ctx, rc, "%s",
                              hicov_dataset_errmsg(ctx->ds));
    x[i] = y;
    v[i] = hicov_equity_get(&e, measure) * scale;
    hicov_equity_clear(&e);
  }
  /* the line starts at the first year with a value (gaps after it stay) */
  size_t skip = 0;
  while (skip + 1 < n && isnan(v[skip]))
    skip++;
  n -= skip;
  memmove(x, x + skip, n * sizeof *x);
  memmove(v, v + skip, n * sizeof *v);
  for (size_t i = 0; i < n; i++) {
    snprintf(labels[i], sizeof labels[i], "%d", (int)x[i]);
    lp[i] = labels[i];
  }
  char sub[600];
  subtitle(ctx, indicator, unit, level, order, sub, sizeof sub);
  const char *title = hicov_equity_measure_label(measure, ctx->lang);
  HicovChart *c = NULL;
  rc = hicov_chart_new(HICOV_CHART_LINE, &c);
  if (!rc)
    rc = hicov_chart_set_lang(c, ctx->lang);
  if (!rc)
    rc = hicov_chart_set_title(c, title);
  if (!rc)
    rc = hicov_chart_set_subtitle(c, sub);
  if (!rc)
    rc = hicov_chart_set_empty_text(
        c, T_(ctx->lang, "No data for this unit and period"));
  if (!rc)
    rc = hicov_chart_set_format(c, HICOV_CHART_FORMAT_NUMBER,
                                measure == HICOV_EQ_RATIO ||
                                measure == HICOV_EQ_RII ? 3 : 2);
  if (!rc)
    rc = hicov_chart_set_categories(c, lp, n);
  if (!rc)
    rc = hicov_chart_set_x_values(c, x, n);
  if (!rc)
    rc = hicov_chart_set_keys(c, lp, n);
  if (!rc)
    rc = hicov_chart_add_series(c, title, v, n, 0, NULL);
  if (rc) {
    hicov_chart_free(c);
    return figure_set_error(ctx, rc, "%s", hicov_status_string(rc));
  }
  *out = c;
  return HICOV_OK;
}
