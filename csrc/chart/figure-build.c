/* figure-build.c - the coverage trend, the ranking of units and the split
 * by beneficiary group, built once (figure-private.h) for the dashboard's
 * figures, the standard charts and the PDF report.  Every value is the
 * core's: hicov_indicator_value, hicov_dataset_measure, hicov_project or
 * the assessment's own fit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figure-private.h"

int fig_indicator(HicovDataset *ds, const char *indicator, const char *unit,
                  HicovPeriod period, double *value, char *reason,
                  size_t reason_size)
{
  return fig_indicator_on(ds, indicator, unit, period, period.last, value,
                          NULL, reason, reason_size);
}

int fig_indicator_on(HicovDataset *ds, const char *indicator,
                     const char *unit, HicovPeriod period, int asof,
                     double *value, int *estimate, char *reason,
                     size_t reason_size)
{
  HicovResult r;
  int rc = hicov_indicator_value_on(ds, indicator, unit, period, asof, NULL,
                                    &r);
  *value = NAN;
  if (estimate)
    *estimate = rc == HICOV_OK && r.status == HICOV_OK && r.estimate;
  if (rc != HICOV_OK) {
    if (reason)
      hicov_fmt(reason, reason_size, "%s", hicov_dataset_errmsg(ds));
    return rc;
  }
  if (r.status != HICOV_OK || !isfinite(r.value)) {
    if (reason)
      hicov_fmt(reason, reason_size, "%s", r.reason);
    return HICOV_MISSING;
  }
  *value = r.value;
  return HICOV_OK;
}

/* ---- Boundaries ----------------------------------------------------------- */

void fig_boundary_note(HicovDataset *ds, const char *unit, int first_end,
                       int asof, int estimate, const char *lang, char *buf,
                       size_t size)
{
  buf[0] = '\0';
  if (hicov_dataset_predecessors(ds, unit, first_end, asof, NULL, 0) == 0 &&
      !estimate)
    return;
  const char *basis = hicov_boundaries_label(hicov_dataset_boundaries(ds),
                                             lang);
  if (estimate)
    /* TRANSLATORS: after "on today's boundaries" */
    hicov_fmt(buf, size, "%s; %s", basis,
              T_(lang, "partly estimated from the shares of divided units"));
  else
    hicov_fmt(buf, size, "%s", basis);
}

const char *fig_join(const char *a, const char *b, char *buf, size_t size)
{
  int has_a = a && a[0], has_b = b && b[0];
  if (!has_a && !has_b)
    return NULL;
  hicov_fmt(buf, size, "%s%s%s", has_a ? a : "",
            has_a && has_b ? " \xc2\xb7 " : "", has_b ? b : "");
  return buf;
}

const char *fig_unit_name(HicovDataset *ds, const char *unit)
{
  HicovUnit u;
  size_t at;
  if (hicov_dataset_find_unit(ds, unit, &at) == HICOV_OK &&
      hicov_dataset_unit(ds, at, &u) == HICOV_OK && u.name)
    return u.name;
  return unit;
}

/* ---- Coverage trend ------------------------------------------------------ */

void fig_trend_clear(FigTrend *t)
{
  hicov_free(t->years);
  hicov_free(t->actual);
  hicov_free(t->projected);
  memset(t, 0, sizeof *t);
}

int fig_trend_add(FigTrend *t, int year, double actual)
{
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    double *y = hicov_realloc(t->years, cap * sizeof *y);
    if (!y)
      return HICOV_NOMEM;
    t->years = y;
    double *a = hicov_realloc(t->actual, cap * sizeof *a);
    if (!a)
      return HICOV_NOMEM;
    t->actual = a;
    double *p = hicov_realloc(t->projected, cap * sizeof *p);
    if (!p)
      return HICOV_NOMEM;
    t->projected = p;
    t->cap = cap;
  }
  t->years[t->n] = year;
  t->actual[t->n] = actual;
  t->projected[t->n] = NAN;
  t->n++;
  return HICOV_OK;
}

int fig_trend_read(FigTrend *t, HicovDataset *ds, const char *indicator,
                   const char *unit, int first, int last, int keep_gaps,
                   unsigned flags)
{
  size_t start = t->n;
  int any = 0, asof = hicov_period_year(last).last;
  for (int y = first; y <= last; y++) {
    double v;
    int est;
    int rc = fig_indicator_on(ds, indicator, unit, hicov_period_year(y), asof,
                              &v, &est, NULL, 0);
    t->estimate |= est;
    if (rc != HICOV_OK && rc != HICOV_MISSING && (flags & FIG_STRICT))
      return rc;
    if (isnan(v) && !keep_gaps)
      continue;
    /* The years before the first value go: the line starts there. */
    if (!isnan(v) && !any)
      t->n = start;
    if ((rc = fig_trend_add(t, y, v)) != HICOV_OK)
      return rc;
    any |= !isnan(v);
  }
  return HICOV_OK;
}

int fig_trend_last_year(const FigTrend *t)
{
  for (size_t i = t->n; i-- > 0;)
    if (!isnan(t->actual[i]))
      return (int)t->years[i];
  return 0;
}

int fig_project_dataset(const void *data, int last_year, int year,
                        double *value)
{
  const FigDatasetProjector *p = data;
  HicovResult r;
  int rc = hicov_project(p->ds, p->indicator, p->unit, last_year, year, &r);
  if (rc == HICOV_OK && (r.status != HICOV_OK || !isfinite(r.value)))
    rc = HICOV_MISSING;
  *value = rc == HICOV_OK ? r.value : NAN;
  return rc;
}

int fig_project_assessment(const void *data, int last_year, int year,
                           double *value)
{
  (void)last_year; /* the assessment's fit ends at its latest year */
  return hicov_assessment_project(data, year, value);
}

void fig_trend_project(FigTrend *t, FigProjector fn, const void *data)
{
  size_t last = t->n;
  t->nprojected = 0;
  for (size_t i = t->n; i-- > 0;)
    if (!isnan(t->actual[i])) {
      last = i;
      break;
    }
  if (last == t->n)
    return;
  for (size_t i = last + 1; i < t->n; i++) {
    double v;
    if (fn(data, (int)t->years[last], (int)t->years[i], &v) == HICOV_OK &&
        isfinite(v)) {
      t->projected[i] = v;
      t->nprojected++;
    }
  }
  if (t->nprojected > 0)
    t->projected[last] = t->actual[last];
}

int fig_trend_chart(HicovChart *c, const FigTrend *t, const FigTrendStyle *s)
{
  int rc = hicov_chart_set_title(c, s->title);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_subtitle(c, s->subtitle);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, s->format, s->decimals);
  if (rc == HICOV_OK && t->n > 0)
    rc = hicov_chart_set_x_values(c, t->years, t->n);
  if (rc == HICOV_OK && t->n > 0)
    rc = hicov_chart_add_series(c, s->actual_name, t->actual, t->n, 0, NULL);
  if (rc == HICOV_OK && t->nprojected > 0)
    rc = hicov_chart_add_series(c, s->projected_name, t->projected, t->n,
                                HICOV_SERIES_PROJECTED, NULL);
  if (rc == HICOV_OK && !isnan(s->target))
    rc = hicov_chart_set_target(c, s->target, s->target_label);
  if (rc == HICOV_OK && !isnan(s->marker))
    rc = hicov_chart_set_marker(c, s->marker, s->marker_label);
  return rc;
}

/* ---- Ranking of units ---------------------------------------------------- */

void fig_ranking_clear(FigRanking *r)
{
  hicov_free(r->entries);
  memset(r, 0, sizeof *r);
}

int fig_ranking_read(FigRanking *r, HicovDataset *ds, const size_t *idx,
                     size_t n, const char *indicator, HicovPeriod period,
                     unsigned flags)
{
  memset(r, 0, sizeof *r);
  r->entries = hicov_calloc(n ? n : 1, sizeof *r->entries);
  if (!r->entries)
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    int rc = hicov_dataset_unit(ds, idx[i], &u);
    if (rc != HICOV_OK)
      return rc;
    FigRankEntry *e = &r->entries[r->n++];
    e->label = u.name ? u.name : u.code;
    e->key = u.code;
    r->any_synthetic |= u.synthetic != 0;
    rc = fig_indicator(ds, indicator, u.code, period, &e->value, NULL, 0);
    /* a unit without this data (HICOV_NOTFOUND) is a gap too */
    if (rc != HICOV_OK && rc != HICOV_MISSING && rc != HICOV_NOTFOUND &&
        (flags & FIG_STRICT))
      return rc;
  }
  r->total = r->n;
  return HICOV_OK;
}

static int compare_rank(const void *a, const void *b)
{
  const FigRankEntry *x = a, *y = b;
  /* Missing values last, then ascending: the laggards first. */
  if (isnan(x->value) != isnan(y->value))
    return isnan(x->value) ? 1 : -1;
  if (x->value < y->value)
    return -1;
  return x->value > y->value ? 1 : 0;
}

void fig_ranking_lowest(FigRanking *r, size_t max)
{
  if (r->n > 1)
    qsort(r->entries, r->n, sizeof *r->entries, compare_rank);
  if (max > 0 && r->n > max)
    r->n = max;
}

static int compare_rank_high(const void *a, const void *b)
{
  const FigRankEntry *x = a, *y = b;
  /* Missing values last, then descending: the leaders first. */
  if (isnan(x->value) != isnan(y->value))
    return isnan(x->value) ? 1 : -1;
  if (x->value > y->value)
    return -1;
  return x->value < y->value ? 1 : 0;
}

void fig_ranking_highest(FigRanking *r, size_t max)
{
  if (r->n > 1)
    qsort(r->entries, r->n, sizeof *r->entries, compare_rank_high);
  if (max > 0 && r->n > max)
    r->n = max;
}

int fig_ranking_chart(HicovChart *c, const FigRanking *r,
                      const FigRankStyle *s)
{
  size_t n = r->n;
  const char **labels = hicov_calloc(n ? n : 1, sizeof *labels);
  const char **keys = hicov_calloc(n ? n : 1, sizeof *keys);
  double *values = hicov_calloc(n ? n : 1, sizeof *values);
  int has_keys = n > 0;
  int rc = labels && keys && values ? HICOV_OK : HICOV_NOMEM;
  for (size_t i = 0; rc == HICOV_OK && i < n; i++) {
    labels[i] = r->entries[i].label;
    keys[i] = r->entries[i].key;
    values[i] = r->entries[i].value;
    has_keys &= keys[i] != NULL;
  }
  if (rc == HICOV_OK)
    rc = hicov_chart_set_title(c, s->title);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_subtitle(c, s->subtitle);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_format(c, s->format, s->decimals);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_categories(c, labels, n);
  if (rc == HICOV_OK && has_keys)
    rc = hicov_chart_set_keys(c, keys, n);
  if (rc == HICOV_OK && n > 0)
    rc = hicov_chart_add_series(c, s->series_name, values, n, 0, NULL);
  if (rc == HICOV_OK && s->sort != HICOV_CHART_SORT_DESCENDING)
    rc = hicov_chart_set_sort(c, s->sort);
  if (rc == HICOV_OK && !isnan(s->target))
    rc = hicov_chart_set_target(c, s->target, s->target_label);
  if (rc == HICOV_OK && (!isnan(s->range_min) || !isnan(s->range_max)))
    rc = hicov_chart_set_value_range(c, s->range_min, s->range_max);
  if (rc == HICOV_OK && s->zoomed)
    rc = hicov_chart_set_zoomed(c, 1);
  if (rc == HICOV_OK && s->target_colors)
    rc = hicov_chart_set_target_colors(c, 1);
  hicov_free(labels);
  hicov_free(keys);
  hicov_free(values);
  return rc;
}

/* ---- Split by beneficiary group ------------------------------------------ */

void fig_groups_clear(FigGroups *g)
{
  hicov_free(g->values);
  memset(g, 0, sizeof *g);
}

/* Exact values of every group (vals[group * n + period], INT64_MIN when
 * missing) and each group's total of positive values, which only ranks
 * them. */
static int groups_values(HicovDataset *ds, const char *measure,
                         const char *unit, const HicovPeriod *periods,
                         size_t n, unsigned flags, int64_t *vals,
                         int64_t *totals)
{
  size_t ng = hicov_dataset_group_count(ds);
  /* a series: on the boundaries of its last period */
  int asof = n ? periods[n - 1].last : 0;
  for (size_t g = 0; g < ng; g++) {
    const char *code = hicov_dataset_group(ds, g);
    for (size_t i = 0; i < n; i++) {
      int64_t *v = &vals[g * n + i];
      int rc = hicov_dataset_measure_on(ds, measure, unit, periods[i], asof,
                                        code, v, NULL, NULL, 0);
      if (rc != HICOV_OK) {
        if (rc != HICOV_MISSING && rc != HICOV_NOTFOUND &&
            (flags & FIG_STRICT))
          return rc;
        *v = INT64_MIN;
      } else if (*v > 0 && __builtin_add_overflow(totals[g], *v, &totals[g])) {
        totals[g] = INT64_MAX;
      }
    }
  }
  return HICOV_OK;
}

/* Sum of the groups order[from..ng) at period i, exactly; NaN if none has
 * a value or the sum overflows. */
static double groups_rest(const int64_t *vals, const size_t *order,
                          size_t from, size_t ng, size_t n, size_t i)
{
  int64_t sum = 0;
  int any = 0, overflow = 0;
  for (size_t k = from; k < ng; k++) {
    int64_t x = vals[order[k] * n + i];
    if (x == INT64_MIN)
      continue;
    any = 1;
    overflow |= __builtin_add_overflow(sum, x, &sum);
  }
  return any && !overflow ? (double)sum / 100.0 : NAN;
}

int fig_groups_read(FigGroups *g, HicovDataset *ds, const char *measure,
                    const char *unit, const HicovPeriod *periods, size_t n,
                    unsigned flags)
{
  memset(g, 0, sizeof *g);
  size_t ng = hicov_dataset_group_count(ds);
  int64_t *vals = hicov_calloc(ng * n + 1, sizeof *vals);
  int64_t *totals = hicov_calloc(ng + 1, sizeof *totals);
  size_t *order = hicov_calloc(ng + 1, sizeof *order);
  g->values = hicov_calloc((FIG_GROUPS_SHOWN + 1) * n + 1, sizeof *g->values);
  g->nperiods = n;
  int rc = vals && totals && order && g->values ? HICOV_OK : HICOV_NOMEM;
  if (rc == HICOV_OK)
    rc = groups_values(ds, measure, unit, periods, n, flags, vals, totals);
  size_t with_data = 0;
  for (size_t k = 0; rc == HICOV_OK && k < ng; k++) {
    /* largest first; a stable insertion sort keeps the core's order (the
     * codes' alphabetical order) among equals */
    size_t b = k;
    for (; b > 0 && totals[order[b - 1]] < totals[k]; b--)
      order[b] = order[b - 1];
    order[b] = k;
    with_data += totals[k] > 0;
  }
  size_t shown = with_data > FIG_GROUPS_SHOWN + 1 ? FIG_GROUPS_SHOWN
                                                  : with_data;
  for (size_t k = 0; rc == HICOV_OK && k < shown; k++) {
    double *row = g->values + k * n;
    g->codes[k] = hicov_dataset_group(ds, order[k]);
    for (size_t i = 0; i < n; i++) {
      int64_t v = vals[order[k] * n + i];
      row[i] = v == INT64_MIN ? NAN : (double)v / 100.0;
    }
  }
  if (rc == HICOV_OK) {
    g->nseries = shown;
    if (shown < with_data) {
      double *row = g->values + shown * n;
      g->codes[shown] = NULL;
      for (size_t i = 0; i < n; i++)
        row[i] = groups_rest(vals, order, shown, ng, n, i);
      g->nseries++;
    }
  }
  hicov_free(vals);
  hicov_free(totals);
  hicov_free(order);
  if (rc != HICOV_OK)
    fig_groups_clear(g);
  return rc;
}

void fig_groups_name(const FigGroups *g, size_t k, const char *lang,
                     int with_code, char *buf, size_t size)
{
  const char *code = k < g->nseries ? g->codes[k] : NULL;
  if (!code) {
    hicov_fmt(buf, size, "%s", T_(lang, "Other groups"));
    return;
  }
  const char *label = hicov_group_label_lang(code, lang);
  if (!label) {
    hicov_fmt(buf, size, "%s", code);
    return;
  }
  if (with_code)
    hicov_fmt(buf, size, "%s (%s)", label, code);
  else
    hicov_fmt(buf, size, "%s", label);
}

int fig_groups_synthetic(HicovDataset *ds, const char *measure,
                         const char *unit, const HicovPeriod *periods,
                         size_t n)
{
  size_t ng = hicov_dataset_group_count(ds);
  for (size_t g = 0; g < ng; g++)
    for (size_t i = 0; i < n; i++) {
      const char *sources[8];
      size_t ns = 0;
      if (hicov_dataset_measure_sources(ds, measure, unit, periods[i],
                                        hicov_dataset_group(ds, g), sources,
                                        sizeof sources / sizeof sources[0],
                                        &ns) != HICOV_OK)
        continue;
      for (size_t k = 0; k < ns && k < sizeof sources / sizeof sources[0];
           k++)
        if (sources[k] && !strcmp(sources[k], "synthetic"))
          return 1;
    }
  return 0;
}
