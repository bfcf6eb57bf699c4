/* chart-query.c - hit testing and geometry of the last render. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart-private.h"

static int laid_out(const HicovChart *c)
{
  return c && c->render_done && c->rendered;
}

static void tooltip(HicovChart *c, const ChartItem *it, HicovChartHit *out)
{
  const ChartSeries *s = &c->series[it->series];
  char val[96];
  double v = s->values[it->index];
  chart_format_value(c, v, c->decimals, val, sizeof val);

  out->kind = it->kind;
  out->series = it->series;
  out->index = it->index;
  out->value = v;
  out->projected = (s->flags & HICOV_SERIES_PROJECTED) != 0;
  out->series_name = s->name;
  out->label = c->labels[it->index];
  out->key = c->keys ? c->keys[it->index] : NULL;

  /* share of the column for stacked segments (all parts positive) */
  char share[64] = "";
  if (c->kind == HICOV_CHART_STACKED && v > 0) {
    double total = 0;
    int all_pos = 1;
    for (size_t k = 0; k < c->nseries; k++) {
      double x = c->series[k].values[it->index];
      if (isfinite(x)) {
        if (x < 0)
          all_pos = 0;
        total += x;
      }
    }
    if (all_pos && total > 0) {
      char pct[48];
      hicov_format_percent(v / total * 100.0, 1, c->lang, pct, sizeof pct);
      snprintf(share, sizeof share, " (%s)", pct);
    }
  }
  /* TRANSLATORS: after a value in a chart's tooltip */
  const char *proj = out->projected ? T_(c->lang, " (projected)") : "";
  if (!isfinite(v))
    snprintf(val, sizeof val, "%s", T_(c->lang, "no data"));
  if (s->name[0] && c->kind != HICOV_CHART_BAR_RANKED &&
      c->kind != HICOV_CHART_MAP)
    snprintf(out->text, sizeof out->text, "%s \xe2\x80\x94 %s: %s%s%s", s->name,
             out->label, val, share, proj);
  else
    snprintf(out->text, sizeof out->text, "%s: %s%s%s", out->label, val, share,
             proj);
}

static int projected(const HicovChart *c, const ChartItem *it)
{
  return (c->series[it->series].flags & HICOV_SERIES_PROJECTED) != 0;
}

int hicov_chart_hit(HicovChart *c, double x, double y, HicovChartHit *out)
{
  if (!c || !out)
    return HICOV_INVALID;
  memset(out, 0, sizeof *out);
  out->kind = HICOV_CHART_HIT_NONE;
  out->value = NAN;
  if (!c->render_done)
    return HICOV_INVALID;
  if (c->kind == HICOV_CHART_MAP) {
    long i = chart_map_hit(c, x, y);
    if (i < 0 || c->nseries == 0)
      return HICOV_NOTFOUND;
    ChartItem it = { HICOV_CHART_HIT_SHAPE, 0, (size_t)i, { x, y, 0, 0 } };
    tooltip(c, &it, out);
    return HICOV_OK;
  }

  const ChartItem *best = NULL;
  double best_d = INFINITY;
  /* bars: containment, with a pixel of slack for thin bars */
  for (size_t k = c->nitems; k-- > 0;) {
    const ChartItem *it = &c->items[k];
    if (it->kind != HICOV_CHART_HIT_BAR)
      continue;
    const ChartRect *b = &it->r;
    double slack = 1.0;
    if (x >= b->x - slack && x <= b->x + b->w + slack && y >= b->y - slack &&
        y <= b->y + b->h + slack) {
      best = it;
      best_d = 0;
      break;
    }
  }
  /* points: the nearest within the hit radius; on top of a bar (DUAL) a
   * point wins when the pointer is on it */
  for (size_t k = 0; k < c->nitems; k++) {
    const ChartItem *it = &c->items[k];
    if (it->kind != HICOV_CHART_HIT_POINT)
      continue;
    double d = hypot(it->r.x - x, it->r.y - y);
    if (d > c->hit_radius)
      continue;
    if (best && best->kind == HICOV_CHART_HIT_BAR) {
      if (d > c->hit_radius / 2)
        continue;
    } else if (best) {
      /* where a projection starts on an actual point, the actual wins */
      int tie = fabs(d - best_d) < 0.01;
      int better = tie ? projected(c, best) && !projected(c, it)
                       : d < best_d;
      if (!better)
        continue;
    }
    best = it;
    best_d = d;
  }
  if (!best)
    return HICOV_NOTFOUND;
  tooltip(c, best, out);
  return HICOV_OK;
}

int hicov_chart_value_to_y(const HicovChart *c, double value, double *y)
{
  if (!laid_out(c) || c->horizontal || !y || !isfinite(value))
    return HICOV_INVALID;
  *y = c->plot.y + c->plot.h - chart_axis_fraction(c, value) * c->plot.h;
  return HICOV_OK;
}

int hicov_chart_value_to_x(const HicovChart *c, double value, double *x)
{
  if (!laid_out(c) || !c->horizontal || !x || !isfinite(value))
    return HICOV_INVALID;
  *x = c->plot.x + chart_axis_fraction(c, value) * c->plot.w;
  return HICOV_OK;
}

int hicov_chart_x_to_pos(const HicovChart *c, double x, double *pos)
{
  if (!laid_out(c) || c->horizontal || !pos || !isfinite(x))
    return HICOV_INVALID;
  if (c->x && c->kind == HICOV_CHART_LINE) {
    double pad = fmin(c->plot.w * 0.04, 24.0);
    *pos = c->xmax == c->xmin
               ? c->plot.x + c->plot.w / 2
               : c->plot.x + pad + (x - c->xmin) / (c->xmax - c->xmin) *
                                       (c->plot.w - 2 * pad);
  } else {
    *pos = c->plot.x + c->plot.w / (double)c->n * (x + 0.5);
  }
  return HICOV_OK;
}

int hicov_chart_plot_rect(const HicovChart *c, double *x, double *y,
                          double *w, double *h)
{
  if (!laid_out(c))
    return HICOV_INVALID;
  if (x)
    *x = c->plot.x;
  if (y)
    *y = c->plot.y;
  if (w)
    *w = c->plot.w;
  if (h)
    *h = c->plot.h;
  return HICOV_OK;
}

int hicov_chart_bar_rect(const HicovChart *c, size_t series, size_t i,
                         double *x, double *y, double *w, double *h)
{
  if (!laid_out(c))
    return HICOV_INVALID;
  for (size_t k = 0; k < c->nitems; k++) {
    const ChartItem *it = &c->items[k];
    if ((it->kind == HICOV_CHART_HIT_BAR ||
         it->kind == HICOV_CHART_HIT_SHAPE) &&
        it->series == series && it->index == i) {
      if (x)
        *x = it->r.x;
      if (y)
        *y = it->r.y;
      if (w)
        *w = it->r.w;
      if (h)
        *h = it->r.h;
      return HICOV_OK;
    }
  }
  return HICOV_NOTFOUND;
}

int hicov_chart_point_rect(const HicovChart *c, size_t series, size_t i,
                           double *x, double *y, double *w, double *h)
{
  if (!laid_out(c))
    return HICOV_INVALID;
  for (size_t k = 0; k < c->nitems; k++) {
    const ChartItem *it = &c->items[k];
    if ((it->kind == HICOV_CHART_HIT_BAR ||
         it->kind == HICOV_CHART_HIT_POINT) &&
        it->series == series && it->index == i) {
      if (x)
        *x = it->r.x;
      if (y)
        *y = it->r.y;
      if (w)
        *w = it->r.w;
      if (h)
        *h = it->r.h;
      return HICOV_OK;
    }
  }
  return HICOV_NOTFOUND;
}

int hicov_chart_value_ticks(const HicovChart *c, double *min, double *max,
                            double *step, int *count)
{
  if (!laid_out(c))
    return HICOV_INVALID;
  if (min)
    *min = c->ticks.min;
  if (max)
    *max = c->ticks.max;
  if (step)
    *step = c->ticks.step;
  if (count)
    *count = c->ticks.count;
  return HICOV_OK;
}
