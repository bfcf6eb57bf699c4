/* test-chart-dataset.c - standard charts built from the demo dataset: the
 * values drawn are the core's (published Lang Son figures, the resolution
 * targets, hicov_project's projection), checked through the geometry and
 * hit-testing API.  PNGs go to ./test-output/. */
#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include "hicov-chart.h"
#include "testutil.h"

#define OUTDIR "test-output"

static void render(HicovChart *c, const char *name, double w, double h)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                                  (int)w, (int)h);
  cairo_t *cr = cairo_create(s);
  CHECK_INT(hicov_chart_render(c, cr, w, h, HICOV_CHART_RENDER_RASTER),
            HICOV_OK);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  char path[256];
  snprintf(path, sizeof path, OUTDIR "/%s.png", name);
  CHECK_INT(hicov_chart_save_png(c, path, w, h, 1.0), HICOV_OK);
  snprintf(path, sizeof path, OUTDIR "/%s.pdf", name);
  CHECK_INT(hicov_chart_save_pdf(c, path, w, h), HICOV_OK);
  /* the last render (the PDF) left the geometry for w x h */
}

/* Value of the point of `series` under (x, y), or NaN. */
static double point_value(HicovChart *c, double x, double y, size_t series,
                          HicovChartHit *hit)
{
  if (hicov_chart_hit(c, x, y, hit) != HICOV_OK || hit->series != series)
    return NAN;
  return hit->value;
}

static const HicovResolution *resolution_with_deadline(HicovDataset *ds,
                                                       int year)
{
  for (size_t i = 0; i < hicov_dataset_resolution_count(ds); i++) {
    const HicovResolution *r = hicov_dataset_resolution(ds, i);
    for (size_t k = 0; k < hicov_resolution_target_count(r); k++) {
      const HicovTarget *t = hicov_resolution_target(r, k);
      if (!strcmp(t->unit, "20") && t->deadline_year == year)
        return r;
    }
  }
  return NULL;
}

static void test_coverage_trend(HicovDataset *ds)
{
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_coverage_trend(ds, "20", NULL, "vi", &c), HICOV_OK);
  if (!c)
    return;
  /* the published years only: 2020, 2024, 2025 */
  CHECK_INT(hicov_chart_point_count(c), 3);
  CHECK_INT(hicov_chart_series_count(c), 1); /* deadline 2025 reached */
  render(c, "dataset-coverage-vi", 640, 400);
  /* the 98% target of the 2020-2025 term */
  double ty, y98;
  CHECK_INT(hicov_chart_value_to_y(c, 98, &y98), HICOV_OK);
  ty = y98;
  double px, py, pw, ph;
  hicov_chart_plot_rect(c, &px, &py, &pw, &ph);
  CHECK(ty >= py - 1e-9 && ty <= py + ph);
  /* points reproduce the published coverage: 92.8% (2020), 94.1% (2024) */
  static const struct { int year; double cov; const char *text; } pub[] = {
    { 2020, 92.8, "92,8%" }, { 2024, 94.1, "94,1%" }, { 2025, 95.0, "95,0%" },
  };
  for (size_t i = 0; i < 3; i++) {
    double x, y;
    HicovChartHit hit;
    CHECK_INT(hicov_chart_x_to_pos(c, pub[i].year, &x), HICOV_OK);
    CHECK_INT(hicov_chart_value_to_y(c, pub[i].cov, &y), HICOV_OK);
    double v = point_value(c, x, y, 0, &hit);
    CHECK_NEAR(v, pub[i].cov, 0.005);
    CHECK_CONTAINS(hit.text, pub[i].text);
    CHECK_CONTAINS(hit.text, "Lạng Sơn");
  }
  hicov_chart_free(c);

  /* the next term's target (over 96% by 2030): a projection to 2030 */
  const HicovResolution *r2030 = resolution_with_deadline(ds, 2030);
  CHECK(r2030 != NULL);
  CHECK_INT(hicov_chart_coverage_trend(ds, "20", r2030, "en", &c), HICOV_OK);
  if (!c)
    return;
  CHECK_INT(hicov_chart_series_count(c), 2);
  CHECK_INT(hicov_chart_point_count(c), 3 + 5); /* 2026..2030 projected */
  render(c, "dataset-coverage-2030-en", 640, 400);
  HicovResult expect;
  CHECK_INT(hicov_project(ds, "coverage_rate", "20", 2025, 2030, &expect),
            HICOV_OK);
  double x, y;
  HicovChartHit hit;
  hicov_chart_x_to_pos(c, 2030, &x);
  CHECK_INT(hicov_chart_value_to_y(c, expect.value, &y), HICOV_OK);
  CHECK_INT(hicov_chart_hit(c, x, y, &hit), HICOV_OK);
  CHECK_INT(hit.projected, 1);
  CHECK_NEAR(hit.value, expect.value, 0);
  CHECK_CONTAINS(hit.text, "(projected)");
  hicov_chart_free(c);

  /* an unknown unit */
  CHECK_INT(hicov_chart_coverage_trend(ds, "nope", NULL, "vi", &c),
            HICOV_NOTFOUND);
  CHECK(c == NULL);
}

static void test_children_ranked(HicovDataset *ds)
{
  HicovPeriod y2024 = hicov_period_year(2024);
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_children_ranked(ds, "coverage_rate", "20", y2024,
                                        HICOV_LEVEL_COMMUNE, 98, "vi", &c),
            HICOV_OK);
  if (!c)
    return;
  size_t *idx = NULL, n = 0;
  CHECK_INT(hicov_dataset_units_at(ds, HICOV_LEVEL_COMMUNE, "20", &y2024, &idx,
                                   &n), HICOV_OK);
  CHECK(n > 10);
  CHECK_INT(hicov_chart_point_count(c), n);
  render(c, "dataset-communes-vi", 640, 900);
  /* each bar is the core's value, and bars go down in value order */
  int drawn = 0, ordered = 1;
  double *ys = calloc(n, sizeof *ys), *vs = calloc(n, sizeof *vs);
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    HicovResult r;
    hicov_dataset_unit(ds, idx[i], &u);
    hicov_indicator_value(ds, "coverage_rate", u.code, y2024, NULL, &r);
    double bx, by, bw, bh;
    ys[i] = NAN;
    vs[i] = r.value;
    if (hicov_chart_bar_rect(c, 0, i, &bx, &by, &bw, &bh) == HICOV_OK) {
      drawn++;
      ys[i] = by;
      HicovChartHit hit;
      CHECK_INT(hicov_chart_hit(c, bx + bw / 2, by + bh / 2, &hit), HICOV_OK);
      CHECK_INT(hit.index, i);
      CHECK_STR(hit.label, u.name);
      CHECK_STR(hit.key, u.code); /* the code to drill down into */
      CHECK_NEAR(hit.value, r.value, 0);
    } else {
      CHECK(r.status != HICOV_OK);
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      if (!isnan(ys[i]) && !isnan(ys[j]) && vs[i] > vs[j] && !(ys[i] < ys[j]))
        ordered = 0;
  CHECK(drawn > 10);
  CHECK(ordered);
  free(ys);
  free(vs);
  hicov_free(idx);
  hicov_chart_free(c);

  CHECK_INT(hicov_chart_children_ranked(ds, "no_such", "20", y2024, -1, NAN,
                                        "vi", &c), HICOV_NOTFOUND);
  CHECK(c == NULL);
}

static void test_groups_stacked(HicovDataset *ds)
{
  HicovPeriod periods[2] = { hicov_period_year(2024), hicov_period_year(2025) };
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_groups_stacked(ds, "participants", "20", periods, 2,
                                       "vi", &c), HICOV_OK);
  if (!c)
    return;
  CHECK(hicov_chart_series_count(c) >= 2 && hicov_chart_series_count(c) <= 6);
  render(c, "dataset-groups-vi", 640, 400);
  /* the stack of each year adds up to the exact sum over all groups */
  for (size_t p = 0; p < 2; p++) {
    int64_t sum = 0;
    for (size_t g = 0; g < hicov_dataset_group_count(ds); g++) {
      int64_t v;
      if (hicov_dataset_measure(ds, "participants", "20", periods[p],
                                hicov_dataset_group(ds, g), &v, NULL, 0) ==
          HICOV_OK)
        sum += v;
    }
    CHECK(sum > 0);
    double top = INFINITY, ytot;
    for (size_t s = 0; s < hicov_chart_series_count(c); s++) {
      double y;
      if (hicov_chart_bar_rect(c, s, p, NULL, &y, NULL, NULL) == HICOV_OK &&
          y < top)
        top = y;
    }
    CHECK_INT(hicov_chart_value_to_y(c, (double)sum / 100.0, &ytot), HICOV_OK);
    CHECK_NEAR(top, ytot, 1.01);
  }
  hicov_chart_free(c);
}

static void test_columns_and_dual(HicovDataset *ds)
{
  HicovPeriod qn[2];
  hicov_period_parse("2024-01/2024-10", &qn[0]);
  hicov_period_parse("2025-01/2025-10", &qn[1]);
  HicovChart *c = NULL;
  CHECK_INT(hicov_chart_indicator_columns(ds, "total_cost", "22", qn, 2, "vi",
                                          &c), HICOV_OK);
  if (c) {
    render(c, "dataset-cost-qn-vi", 640, 400);
    double x, y, w, h;
    CHECK_INT(hicov_chart_bar_rect(c, 0, 1, &x, &y, &w, &h), HICOV_OK);
    HicovChartHit hit;
    CHECK_INT(hicov_chart_hit(c, x + w / 2, y + h / 2, &hit), HICOV_OK);
    /* published: 2,237 billion VND for Jan-Oct 2025 */
    CHECK_CONTAINS(hit.text, "2.237 tỷ đồng");
    hicov_chart_free(c);
  }
  /* the demo has no fund revenue: the chart says "no data" */
  HicovPeriod years[2] = { hicov_period_year(2023), hicov_period_year(2024) };
  CHECK_INT(hicov_chart_revenue_spending(ds, "20", years, 2, "vi", &c),
            HICOV_OK);
  if (c) {
    CHECK_INT(hicov_chart_is_empty(c), 1);
    render(c, "dataset-fund-empty-vi", 480, 300);
    hicov_chart_free(c);
  }
}

static int build_trend(HicovDataset *ds)
{
  HicovChart *c = NULL;
  int rc = hicov_chart_coverage_trend(ds, "20", NULL, "vi", &c);
  if (rc != HICOV_OK)
    CHECK(c == NULL); /* a failed build returns no chart */
  if (rc == HICOV_OK) {
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 200, 150);
    cairo_t *cr = cairo_create(s);
    rc = hicov_chart_render(c, cr, 200, 150, 0);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
  hicov_chart_free(c);
  return rc;
}

/* Every allocation while building from the dataset may fail cleanly. */
static void test_out_of_memory(HicovDataset *ds)
{
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(build_trend(ds), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  CHECK(count > 5);
  for (long n = 1; n <= count; n++) {
    hicov_debug_fail_alloc_after(n);
    int rc = build_trend(ds);
    hicov_debug_fail_alloc_after(0);
    if (rc != HICOV_NOMEM)
      fprintf(stderr, "allocation %ld of %ld: status %d\n", n, count, rc);
    CHECK_INT(rc, HICOV_NOMEM);
  }
}

int main(void)
{
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) {
    perror(OUTDIR);
    return 1;
  }
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  test_coverage_trend(ds);
  test_children_ranked(ds);
  test_groups_stacked(ds);
  test_columns_and_dual(ds);
  test_out_of_memory(ds);
  hicov_dataset_free(ds);
  return test_finish("test-chart-dataset");
}
