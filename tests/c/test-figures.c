/* test-figures.c - the dashboard's figures (hicov_figure_*) built for demo
 * units through the public API: every point is the core's number
 * (hicov_indicator_value, hicov_dataset_measure, hicov_project), the KPI
 * texts are the published figures, and the PDF report's trend uses the
 * assessment's projection, the same one the dashboard draws.  The points
 * are read from the chart's own arrays (chart-private.h), exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figure-private.h"
#include "hicov-report.h"
#include "report-private.h"
#include "testutil.h"

static HicovChart *figure(HicovFigureContext *ctx, const char *unit,
                          HicovPeriod p, int fig)
{
  HicovChart *c = NULL;
  int rc = hicov_figure_chart(ctx, unit, p, fig, &c);
  if (rc != HICOV_OK)
    fprintf(stderr, "figure %d of %s: %s\n", fig, unit,
            hicov_figure_context_errmsg(ctx));
  CHECK_INT(rc, HICOV_OK);
  return c;
}

/* The series called name, or NULL. */
static const ChartSeries *series(const HicovChart *c, const char *name)
{
  for (size_t k = 0; c && k < c->nseries; k++)
    if (!strcmp(c->series[k].name, name))
      return &c->series[k];
  return NULL;
}

static double core_value(HicovDataset *ds, const char *indicator,
                         const char *unit, HicovPeriod p)
{
  HicovResult r;
  if (hicov_indicator_value(ds, indicator, unit, p, NULL, &r) != HICOV_OK ||
      r.status != HICOV_OK)
    return NAN;
  return r.value;
}

/* Both NaN, or equal to the last bit. */
static int same(double a, double b)
{
  return (isnan(a) && isnan(b)) || a == b;
}

static void test_names_and_labels(void)
{
  for (int f = 0; f < HICOV_N_FIGS; f++)
    CHECK_INT(hicov_figure_from_name(hicov_figure_name(f)), f);
  CHECK_STR(hicov_figure_name(HICOV_FIG_COST_PER_VISIT), "cost-per-visit");
  CHECK_STR(hicov_kpi_name(HICOV_KPI_GAP), "gap");
  CHECK(hicov_figure_name(HICOV_N_FIGS) == NULL);
  CHECK(hicov_kpi_name(-1) == NULL);
  CHECK_INT(hicov_figure_from_name("nope"), -1);
  CHECK_INT(hicov_figure_from_name(NULL), -1);
  CHECK_STR(hicov_figure_title(HICOV_FIG_COVERAGE_TREND, "en"),
            "Coverage over time");
  CHECK_STR(hicov_figure_title(HICOV_FIG_COVERAGE_TREND, "vi"),
            "Tỷ lệ bao phủ theo thời gian");
  CHECK_STR(hicov_figure_title(HICOV_N_FIGS, "vi"), "");
  /* a title with a context differs from the same msgid without one */
  CHECK_STR(hicov_kpi_title(HICOV_KPI_VISITS, "vi"), "Lượt KCB BHYT");
  CHECK_STR(hicov_figure_title(HICOV_FIG_VISITS, "vi"),
            "Lượt khám chữa bệnh BHYT");
  CHECK_STR(hicov_kpi_title(HICOV_KPI_VISITS, "en"), "Insured visits");

  static const struct {
    HicovPeriod p;
    const char *en, *vi;
  } labels[] = {
    { { HICOV_PERIOD_YEAR, 2024 * 12, 2024 * 12 + 11 }, "2024", "2024" },
    { { HICOV_PERIOD_QUARTER, 2024 * 12 + 6, 2024 * 12 + 8 }, "Q3 2024",
      "Quý 3/2024" },
    { { HICOV_PERIOD_MONTH, 2024 * 12 + 9, 2024 * 12 + 9 }, "October 2024",
      "Tháng 10/2024" },
    { { HICOV_PERIOD_RANGE, 2025 * 12, 2025 * 12 + 9 }, "Jan–Oct 2025",
      "Tháng 1–10/2025" },
    { { HICOV_PERIOD_RANGE, 2024 * 12 + 6, 2025 * 12 + 5 },
      "07/2024–06/2025", "07/2024–06/2025" },
  };
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    char buf[64];
    CHECK_INT(hicov_figure_period_label(labels[i].p, "en", buf, sizeof buf),
              HICOV_OK);
    CHECK_STR(buf, labels[i].en);
    CHECK_INT(hicov_figure_period_label(labels[i].p, "vi", buf, sizeof buf),
              HICOV_OK);
    CHECK_STR(buf, labels[i].vi);
  }
  char small[6];
  CHECK_INT(hicov_figure_period_label(labels[1].p, "en", small, sizeof small),
            HICOV_LIMIT);
  CHECK_STR(small, "");
}

static void test_unit_target(HicovFigureContext *ctx)
{
  HicovUnitTarget ut;
  /* 2024 lies in the 2020-2025 term only: 98% by 2025 */
  CHECK_INT(hicov_figure_unit_target(ctx, "20", hicov_period_year(2024), &ut),
            HICOV_OK);
  CHECK_INT(ut.assessment.deadline_year, 2025);
  CHECK_NEAR(ut.assessment.threshold, 98, 0);
  CHECK_STR(hicov_resolution_number(ut.resolution), "Nghị quyết Đại hội XVII");
  /* 2025 lies in both terms: the later deadline, 96% by 2030 */
  CHECK_INT(hicov_figure_unit_target(ctx, "20", hicov_period_year(2025), &ut),
            HICOV_OK);
  CHECK_INT(ut.assessment.deadline_year, 2030);
  CHECK_NEAR(ut.assessment.threshold, 96, 0);
  CHECK_INT(hicov_figure_unit_target(ctx, "22", hicov_period_year(2024), &ut),
            HICOV_NOTFOUND);
}

/* Lang Son's coverage with the 2030 target: the published years, the gaps
 * between them, and hicov_project's trend from 2025 to the deadline. */
static void test_trend(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovChart *c = figure(ctx, "20", hicov_period_year(2026),
                         HICOV_FIG_COVERAGE_TREND);
  if (!c)
    return;
  CHECK_INT(hicov_chart_kind(c), HICOV_CHART_LINE);
  /* from the first year with a value (2020) to the deadline (2030) */
  CHECK_INT(hicov_chart_point_count(c), 11);
  const ChartSeries *actual = series(c, "Coverage");
  const ChartSeries *proj = series(c, "Projection");
  CHECK(actual && proj && (proj->flags & HICOV_SERIES_PROJECTED));
  HicovUnitTarget ut;
  CHECK_INT(hicov_figure_unit_target(ctx, "20", hicov_period_year(2026), &ut),
            HICOV_OK);
  for (size_t i = 0; actual && proj && i < c->n; i++) {
    int y = 2020 + (int)i;
    CHECK_INT((int)c->x[i], y);
    CHECK(same(actual->values[i], core_value(ds, "coverage_rate", "20",
                                             hicov_period_year(y))));
    if (y < 2025) {
      CHECK(isnan(proj->values[i]));
    } else if (y == 2025) { /* the dashed line starts at the last value */
      CHECK(same(proj->values[i], actual->values[i]));
    } else {
      HicovResult r;
      double fit;
      CHECK_INT(hicov_project(ds, "coverage_rate", "20", 2025, y, &r),
                HICOV_OK);
      CHECK(same(proj->values[i], r.value));
      /* the assessment the gap tile shows projects the same values */
      CHECK_INT(hicov_assessment_project(&ut.assessment, y, &fit), HICOV_OK);
      CHECK(same(proj->values[i], fit));
    }
  }
  CHECK_NEAR(actual ? actual->values[4] : 0, 94.1, 0.005); /* published */
  CHECK(proj && same(proj->values[10], ut.assessment.projected_value));
  CHECK_NEAR(c->target, 96, 0);
  CHECK_STR(c->target_label, "Target");
  CHECK_NEAR(c->marker, 2030, 0);
  CHECK_STR(c->marker_label, "Deadline 2030");
  /* 2025's coverage rests on the published estimate of participants (its
   * source says so): the subtitle names that year */
  const char *src[4];
  size_t nsrc = 0;
  CHECK_INT(hicov_dataset_measure_sources(ds, "participants", "20",
                                          hicov_period_year(2025), NULL, src,
                                          4, &nsrc), HICOV_OK);
  CHECK(nsrc >= 1 && strstr(src[0], "estimate") != NULL);
  /* the core's one rule for an estimate: 2025 ("published estimate") is
   * one, 2024 (published figures) is not */
  CHECK_INT(hicov_measure_estimated(ds, "participants", "20",
                                    hicov_period_year(2025)), 1);
  CHECK_INT(hicov_measure_estimated(ds, "participants", "20",
                                    hicov_period_year(2024)), 0);
  /* the report's rounding of people to enrol, which the gap tile uses:
   * exact below 1,000, to the ten below 10,000, to the hundred above */
  CHECK_NEAR(report_people_rounded(999), 999, 0);
  CHECK_NEAR(report_people_rounded(1234), 1230, 0);
  CHECK_NEAR(report_people_rounded(9996), 10000, 0);
  CHECK_NEAR(report_people_rounded(24649), 24600, 0);
  CHECK_NEAR(report_people_rounded(31696), 31700, 0);
  CHECK_STR(c->subtitle,
            "Nghị quyết Đại hội XVIII Đảng bộ tỉnh Lạng Sơn · Estimate: 2025");
  CHECK_STR(c->title, "Coverage over time");
  hicov_chart_free(c);

  /* 2024, in the 2020-2025 term: the deadline is the last published year,
   * so there is nothing to project */
  c = figure(ctx, "20", hicov_period_year(2024), HICOV_FIG_COVERAGE_TREND);
  if (c) {
    CHECK_INT(hicov_chart_point_count(c), 6);
    CHECK_INT(hicov_chart_series_count(c), 1);
    CHECK_NEAR(c->target, 98, 0);
    hicov_chart_free(c);
  }
}

/* The districts of Lang Son ranked by coverage, drawn from the core. */
static void test_ranking(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovPeriod y2024 = hicov_period_year(2024);
  HicovChart *c = figure(ctx, "20", y2024, HICOV_FIG_RANKING);
  if (!c)
    return;
  size_t *idx = NULL, n = 0;
  CHECK_INT(hicov_dataset_children(ds, "20", &y2024, &idx, &n), HICOV_OK);
  CHECK_INT(n, 11);
  CHECK_INT(hicov_chart_point_count(c), n);
  CHECK_INT(c->sort, HICOV_CHART_SORT_DESCENDING); /* all shown */
  size_t found = 0;
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, idx[i], &u);
    for (size_t k = 0; k < c->n; k++)
      if (!strcmp(hicov_chart_point_key(c, k), u.code)) {
        found++;
        CHECK_STR(c->labels[k], u.name);
        CHECK(same(c->series[0].values[k],
                   core_value(ds, "coverage_rate", u.code, y2024)));
      }
  }
  CHECK_INT(found, n);
  /* the laggards first: points in ascending order of value */
  for (size_t k = 1; k < c->n; k++)
    CHECK(!(c->series[0].values[k] < c->series[0].values[k - 1]));
  hicov_free(idx);
  hicov_chart_free(c);

  /* a unit without units below it */
  c = figure(ctx, "20D01", y2024, HICOV_FIG_RANKING);
  size_t nc = 0;
  CHECK_INT(hicov_dataset_children(ds, "20D01", &y2024, &idx, &nc),
            HICOV_OK);
  hicov_free(idx);
  if (c && nc == 0) {
    CHECK_INT(hicov_chart_point_count(c), 0);
    CHECK_STR(c->empty_text, "This unit has no units below it");
  }
  hicov_chart_free(c);
}

/* Bars drawn in colour (r, g, b), counted at the middle of each bar's hit
 * box after rendering at 600 x 500. */
static int bars_of_color(HicovChart *c, int red, int green, int blue)
{
  cairo_surface_t *img =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 500);
  cairo_t *cr = cairo_create(img);
  int n = 0;
  CHECK_INT(hicov_chart_render(c, cr, 600, 500, HICOV_CHART_RENDER_RASTER),
            HICOV_OK);
  cairo_surface_flush(img);
  const unsigned char *px = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  for (size_t i = 0; i < hicov_chart_point_count(c); i++) {
    double x, y, w, h;
    if (hicov_chart_bar_rect(c, 0, i, &x, &y, &w, &h) != HICOV_OK)
      continue;
    const unsigned char *p =
        px + (int)(y + h / 2) * stride + 4 * (int)(x + w / 2);
    /* little-endian xRGB: B, G, R */
    n += abs(p[2] - red) < 20 && abs(p[1] - green) < 20 &&
         abs(p[0] - blue) < 20;
  }
  cairo_destroy(cr);
  cairo_surface_destroy(img);
  return n;
}

/* The "target met" green (0, 158, 115) and the "below" purple (204, 121,
 * 167) of Okabe-Ito. */
static int green_bars(HicovChart *c)
{
  return bars_of_color(c, 0, 158, 115);
}

static int purple_bars(HicovChart *c)
{
  return bars_of_color(c, 204, 121, 167);
}

/* 25 communes with coverage 50%, 51%, ... 74%: the 20 lowest are shown,
 * lowest first, under the district's 60% target. */
static void test_ranking_lowest(void)
{
  char units[4096] = "code,name,parent,level\n"
                     "P,Province,,province\n"
                     "D,District,P,district\n";
  char values[8192] = "unit,period,measure,value\n";
  for (int i = 0; i < 25; i++) {
    char line[128];
    snprintf(line, sizeof line, "C%02d,Commune %d,D,commune\n", i, i);
    strcat(units, line);
    snprintf(line, sizeof line,
             "C%02d,2024,population,1000\nC%02d,2024,participants,%d\n", i,
             i, 500 + 10 * i);
    strcat(values, line);
  }
  HicovDataset *ds = NULL;
  HicovResolution *res = NULL;
  HicovFigureContext *ctx = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                            strlen(units), HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                             strlen(values),
                                             HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_resolution_new("Body", "1/NQ", "Test", 2021, 2026, &res),
            HICOV_OK);
  HicovTarget t = { 0 };
  t.indicator = "coverage_rate";
  t.unit = "D";
  t.level = HICOV_LEVEL_COMMUNE;
  t.comparison = HICOV_CMP_AT_LEAST;
  t.threshold = 60;
  t.deadline_year = 2026;
  CHECK_INT(hicov_resolution_add_target(res, &t), HICOV_OK);
  /* the context assesses the resolution it is given, not ds's (none) */
  CHECK_INT(hicov_figure_context_new(ds, res, "vi", &ctx), HICOV_OK);
  hicov_resolution_free(res);
  HicovChart *c = ctx ? figure(ctx, "D", hicov_period_year(2024),
                               HICOV_FIG_RANKING) : NULL;
  if (c) {
    CHECK_INT(hicov_chart_point_count(c), 20);
    CHECK_INT(c->sort, HICOV_CHART_SORT_ASCENDING);
    /* 60% met by communes 10..19 (60%..69%): ten green bars; the first
     * ten (50%..59%) purple, but 50% is the zoomed axis's start and draws
     * no bar */
    CHECK_INT(green_bars(c), 10);
    CHECK_INT(purple_bars(c), 9);
    /* with the key to the colours of the bars */
    CHECK_STR(c->subtitle,
              "20 đơn vị thấp nhất trong 25 đơn vị · xanh lá: đạt chỉ tiêu, "
              "tím: dưới chỉ tiêu");
    CHECK_STR(c->target_label, "Chỉ tiêu");
    CHECK_NEAR(c->target, 60, 0);
    for (size_t k = 0; k < 20; k++) {
      char code[8];
      snprintf(code, sizeof code, "C%02zu", k);
      CHECK_STR(hicov_chart_point_key(c, k), code);
      CHECK_NEAR(c->series[0].values[k], 50.0 + (double)k, 1e-9);
    }
    hicov_chart_free(c);
  }
  /* every unit: 25 bars, highest first, 15 of them (60%..74%) green but
   * the middle of 70%'s bar (50% to 70%) is under the 60% target line;
   * 51%..59% purple */
  CHECK_INT(hicov_figure_context_set_ranking_max(ctx, 0), HICOV_OK);
  c = ctx ? figure(ctx, "D", hicov_period_year(2024), HICOV_FIG_RANKING)
          : NULL;
  if (c) {
    CHECK_INT(hicov_chart_point_count(c), 25);
    CHECK_INT(c->sort, HICOV_CHART_SORT_DESCENDING);
    CHECK_INT(green_bars(c), 14);
    CHECK_INT(purple_bars(c), 9);
    CHECK_STR(c->subtitle, "xanh lá: đạt chỉ tiêu, tím: dưới chỉ tiêu");
    hicov_chart_free(c);
  }
  /* another indicator: participants (500 + 10 i), no target, no colours */
  CHECK_INT(hicov_figure_context_set_indicator(ctx, "participants"),
            HICOV_OK);
  CHECK_STR(hicov_figure_context_indicator(ctx), "participants");
  c = ctx ? figure(ctx, "D", hicov_period_year(2024), HICOV_FIG_RANKING)
          : NULL;
  if (c) {
    CHECK_INT(hicov_chart_point_count(c), 25);
    CHECK(isnan(c->target));
    CHECK_INT(green_bars(c) + purple_bars(c), 0);
    CHECK_INT(c->format, HICOV_CHART_FORMAT_COUNT);
    CHECK_STR(c->title, "Số người tham gia BHYT của các đơn vị trực thuộc");
    CHECK(c->subtitle == NULL);
    for (size_t k = 0; k < 25; k++)
      CHECK_NEAR(c->series[0].values[k], 500.0 + 10.0 * (double)k, 1e-9);
    hicov_chart_free(c);
  }
  CHECK_INT(hicov_figure_context_set_indicator(ctx, "population_growth"),
            HICOV_NOTFOUND);
  CHECK_STR(hicov_figure_context_indicator(ctx), "participants");
  CHECK_INT(hicov_figure_context_set_indicator(ctx, NULL), HICOV_OK);
  CHECK_STR(hicov_figure_context_indicator(ctx), "coverage_rate");
  hicov_figure_context_free(ctx);
  /* in English, the plural of the counted subtitle */
  CHECK_INT(hicov_figure_context_new(ds, NULL, "en", &ctx), HICOV_OK);
  c = ctx ? figure(ctx, "D", hicov_period_year(2024), HICOV_FIG_RANKING)
          : NULL;
  if (c)
    CHECK_STR(c->subtitle, "The 20 lowest of 25 units");
  hicov_chart_free(c);
  hicov_figure_context_free(ctx);
  hicov_dataset_free(ds);
}

/* Participants of Lang Son by group: each of the five largest groups is
 * the core's exact count, "Other groups" the rest, and every column adds
 * up to the sum over all groups. */
static void test_groups(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovChart *c = figure(ctx, "20", hicov_period_year(2024),
                         HICOV_FIG_GROUPS);
  if (!c)
    return;
  CHECK_INT(hicov_chart_kind(c), HICOV_CHART_STACKED);
  CHECK_INT(hicov_chart_series_count(c), 6); /* five groups and the rest */
  CHECK_STR(c->series[5].name, "Other groups");
  CHECK(c->n >= 2);
  for (size_t i = 0; i < c->n; i++) {
    HicovPeriod p = hicov_period_year(atoi(c->labels[i]));
    int64_t all = 0, shown = 0;
    for (size_t g = 0; g < hicov_dataset_group_count(ds); g++) {
      int64_t v;
      if (hicov_dataset_measure(ds, "participants", "20", p,
                                hicov_dataset_group(ds, g), &v, NULL,
                                0) == HICOV_OK)
        all += v;
    }
    for (size_t k = 0; k < 5; k++) {
      /* "Poor households (HN)": the code between the last parentheses */
      const char *name = c->series[k].name, *open = strrchr(name, '(');
      char code[8] = "";
      int64_t v;
      if (open)
        snprintf(code, sizeof code, "%.*s", (int)strcspn(open + 1, ")"),
                 open + 1);
      CHECK_INT(hicov_dataset_measure(ds, "participants", "20", p, code, &v,
                                      NULL, 0), HICOV_OK);
      CHECK(same(c->series[k].values[i], (double)v / 100.0));
      shown += v;
    }
    CHECK(all > 0);
    CHECK(same(c->series[5].values[i], (double)(all - shown) / 100.0));
  }
  CHECK_STR(c->subtitle, "Synthetic split (illustrative figures)");
  hicov_chart_free(c);
}

/* Quang Ninh, January to October: the same months of each year. */
static void test_flows(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovPeriod p;
  CHECK_INT(hicov_period_parse("2025-01/2025-10", &p), HICOV_OK);
  static const struct {
    int fig;
    const char *series, *indicator;
  } flows[] = {
    { HICOV_FIG_VISITS, "Visits", "visits" },
    { HICOV_FIG_SPENDING, "Total medical cost", "total_cost" },
    { HICOV_FIG_COST_PER_VISIT, "Cost per visit", "cost_per_visit" },
  };
  for (size_t f = 0; f < sizeof flows / sizeof flows[0]; f++) {
    HicovChart *c = figure(ctx, "22", p, flows[f].fig);
    const ChartSeries *s = series(c, flows[f].series);
    CHECK(s != NULL);
    for (size_t i = 0; s && i < c->n; i++) {
      HicovPeriod q = hicov_period_shift_years(p, atoi(c->labels[i]) - 2025);
      CHECK(same(s->values[i], core_value(ds, flows[f].indicator, "22", q)));
    }
    /* the selected period is the last point */
    CHECK(c && !strcmp(c->labels[c->n - 1], "2025"));
    if (c && flows[f].fig != HICOV_FIG_COST_PER_VISIT)
      CHECK_INT(c->highlight[c->n - 1], 1);
    CHECK_STR(c ? c->x_title : NULL, "Same months of each year (Jan–Oct 2025)");
    hicov_chart_free(c);
  }
  /* the published visits, 2,293,971 */
  HicovChart *c = figure(ctx, "22", p, HICOV_FIG_VISITS);
  if (c) {
    CHECK_NEAR(series(c, "Visits")->values[c->n - 1], 2293971, 0);
    hicov_chart_free(c);
  }
  /* a series without any value (no fund payments published) is left out
   * of the legend */
  c = figure(ctx, "22", p, HICOV_FIG_SPENDING);
  if (c) {
    CHECK(isnan(core_value(ds, "fund_paid", "22", p)));
    CHECK(series(c, "Paid by the fund") == NULL);
    CHECK_INT(hicov_chart_series_count(c), 1);
    hicov_chart_free(c);
  }
  /* the demo has no fund revenue: the chart says so */
  c = figure(ctx, "22", p, HICOV_FIG_FUND);
  if (c) {
    CHECK_INT(hicov_chart_kind(c), HICOV_CHART_DUAL);
    CHECK_INT(hicov_chart_is_empty(c), 1);
    hicov_chart_free(c);
  }
  /* Hoa Binh's check-in success in 2024 */
  c = figure(ctx, "17", hicov_period_year(2024), HICOV_FIG_CHECKIN);
  if (c) {
    const ChartSeries *s = series(c, "Successful check-ins");
    CHECK(s != NULL);
    for (size_t i = 0; s && i < c->n; i++)
      CHECK(same(s->values[i],
                 core_value(ds, "checkin_success_rate", "17",
                            hicov_period_year(atoi(c->labels[i])))));
    CHECK_STR(c->labels[c->n - 1], "2024");
    CHECK_NEAR(s ? s->values[c->n - 1] : 0, 72.79, 0.005);
    hicov_chart_free(c);
  }
}

static void check_kpi(HicovFigureContext *ctx, const char *unit,
                      HicovPeriod p, int kpi, const char *value,
                      const char *change, const char *detail)
{
  HicovKpiText t;
  CHECK_INT(hicov_figure_kpi(ctx, unit, p, kpi, &t), HICOV_OK);
  CHECK_STR(t.value, value);
  if (change)
    CHECK_STR(t.change, change);
  if (detail)
    CHECK_STR(t.detail, detail);
}

/* The tiles read the published figures (reference/published-figures.md). */
static void test_kpis(HicovDataset *ds)
{
  HicovFigureContext *en = NULL, *vi = NULL;
  CHECK_INT(hicov_figure_context_new(ds, NULL, "en", &en), HICOV_OK);
  CHECK_INT(hicov_figure_context_new(ds, NULL, "vi_VN", &vi), HICOV_OK);
  if (!en || !vi)
    return;
  CHECK_STR(hicov_figure_context_lang(vi), "vi");
  HicovPeriod y2024 = hicov_period_year(2024), qn;
  hicov_period_parse("2025-01/2025-10", &qn);
  check_kpi(en, "20", y2024, HICOV_KPI_COVERAGE, "94.1%", NULL,
            "764,769 participants");
  check_kpi(vi, "20", y2024, HICOV_KPI_COVERAGE, "94,1%", NULL,
            "764.769 người tham gia");
  check_kpi(en, "20", y2024, HICOV_KPI_GAP, "3.9 points",
            "31,696 more people needed (2024)",
            "Target 98.0% by 2025 · Estimated not achieved");
  check_kpi(vi, "20", y2024, HICOV_KPI_GAP, "3,9 điểm %",
            "cần thêm 31.696 người (2024)",
            "Chỉ tiêu 98,0% đến 2025 · Ước không đạt");
  check_kpi(en, "20", y2024, HICOV_KPI_VISITS, "1,070,000", "+2.6% vs 2023",
            NULL);
  check_kpi(vi, "22", qn, HICOV_KPI_VISITS, "2.293.971",
            "+3,4% so với Tháng 1–10/2024", NULL);
  check_kpi(vi, "22", qn, HICOV_KPI_SPENDING, "2.237 tỷ đồng",
            "+19,6% so với Tháng 1–10/2024", NULL);
  check_kpi(en, "22", qn, HICOV_KPI_COVERAGE, "94.9%", NULL,
            "1,281,865 participants");

  /* the coverage tile is the core's value, formatted */
  HicovKpiText t;
  char expect[64];
  hicov_format_percent(core_value(ds, "coverage_rate", "17",
                                  hicov_period_year(2018)),
                       1, "vi", expect, sizeof expect);
  CHECK_INT(hicov_figure_kpi(vi, "17", hicov_period_year(2018),
                             HICOV_KPI_COVERAGE, &t), HICOV_OK);
  CHECK_STR(t.value, expect);
  CHECK_STR(expect, "96,6%");

  /* no target for Quang Ninh; no fund data in the demo */
  CHECK_INT(hicov_figure_kpi(en, "22", qn, HICOV_KPI_GAP, &t), HICOV_OK);
  CHECK_INT(t.missing, 1);
  CHECK_STR(t.value, "—");
  CHECK_STR(t.change, "No target");
  CHECK_STR(t.detail, "No resolution target for this unit");
  CHECK_INT(hicov_figure_kpi(en, "22", qn, HICOV_KPI_FUND, &t), HICOV_OK);
  CHECK_INT(t.missing, 1);
  CHECK_STR(t.change, ""); /* the tile says "No data" */
  CHECK(t.reason[0] != '\0'); /* and the core's reason goes to its tooltip */

  CHECK_INT(hicov_figure_kpi(en, "nope", qn, HICOV_KPI_FUND, &t),
            HICOV_NOTFOUND);
  CHECK_CONTAINS(hicov_figure_context_errmsg(en), "nope");
  CHECK_INT(hicov_figure_kpi(en, "22", qn, HICOV_N_KPIS, &t), HICOV_INVALID);
  HicovChart *c = NULL;
  CHECK_INT(hicov_figure_chart(en, "nope", qn, HICOV_FIG_VISITS, &c),
            HICOV_NOTFOUND);
  CHECK(c == NULL);
  hicov_figure_context_free(en);
  hicov_figure_context_free(vi);
}

/* The PDF report draws its trend from the assessment it keeps: the
 * projection is the assessment's fit (hicov_assessment_project), the same
 * values hicov_project gives and the dashboard's trend draws. */
static void test_pdf_trend(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovReport *rep = NULL;
  const HicovResolution *res2030 = hicov_dataset_resolution(ds, 1);
  CHECK_INT(hicov_report_new(ds, res2030, "en", &rep), HICOV_OK);
  HicovChart *pdf = NULL;
  CHECK_INT(report_trend_figure(rep, &pdf), HICOV_OK);
  HicovChart *dash = figure(ctx, "20", hicov_period_year(2026),
                            HICOV_FIG_COVERAGE_TREND);
  const HicovAssessment *a = hicov_report_assessment(rep, 0);
  const ChartSeries *proj = series(pdf, "Projection");
  const ChartSeries *dproj = series(dash, "Projection");
  CHECK(a && proj && dproj);
  CHECK_INT(a ? a->latest_year : 0, 2025);
  int projected = 0;
  for (size_t i = 0; a && proj && i < pdf->n; i++) {
    int y = (int)pdf->x[i];
    if (y <= a->latest_year)
      continue;
    double fit;
    HicovResult r;
    CHECK_INT(hicov_assessment_project(a, y, &fit), HICOV_OK);
    CHECK(same(proj->values[i], fit));
    CHECK_INT(hicov_project(ds, "coverage_rate", "20", a->latest_year, y, &r),
              HICOV_OK);
    CHECK(same(proj->values[i], r.value));
    for (size_t k = 0; dash && dproj && k < dash->n; k++)
      if ((int)dash->x[k] == y) {
        CHECK(same(dproj->values[k], proj->values[i]));
        projected++;
      }
    if (y == a->deadline_year)
      CHECK(same(proj->values[i], a->projected_value));
  }
  CHECK_INT(projected, 5); /* 2026 to 2030 */
  CHECK_NEAR(pdf ? pdf->target : 0, 96, 0);
  CHECK_NEAR(pdf ? pdf->marker : 0, 2030, 0);
  hicov_chart_free(pdf);
  hicov_chart_free(dash);
  hicov_report_free(rep);

  /* an assessment without a fit has no projection */
  HicovAssessment none;
  double v = 0;
  memset(&none, 0, sizeof none);
  none.fit_n = 1;
  none.fit_method = "linear";
  CHECK_INT(hicov_assessment_project(&none, 2030, &v), HICOV_MISSING);
  CHECK(isnan(v));
  CHECK_INT(hicov_assessment_project(NULL, 2030, &v), HICOV_INVALID);
}

/* Every figure of a selection, built with each allocation in turn
 * failing: HICOV_NOMEM, never a crash or a half-built chart. */
static int build_all(HicovDataset *ds)
{
  HicovFigureContext *ctx = NULL;
  int rc = hicov_figure_context_new(ds, NULL, "vi", &ctx);
  for (int f = 0; rc == HICOV_OK && f < HICOV_N_FIGS; f++) {
    HicovChart *c = NULL;
    rc = hicov_figure_chart(ctx, "20", hicov_period_year(2026), f, &c);
    if (rc != HICOV_OK)
      CHECK(c == NULL);
    hicov_chart_free(c);
  }
  hicov_figure_context_free(ctx);
  return rc;
}

/* The texts of the figures in lang, from the one catalogue. */
static void check_figure_texts(HicovDataset *ds, const char *lang)
{
  int vi = !strcmp(lang, "vi");
  HicovFigureContext *ctx = NULL;
  CHECK_INT(hicov_figure_context_new(ds, NULL, lang, &ctx), HICOV_OK);
  if (!ctx)
    return;
  HicovPeriod qn, y2024 = hicov_period_year(2024);
  hicov_period_parse("2025-01/2025-10", &qn);

  /* titles, the axis titles, legends and the empty text of a flow */
  HicovChart *c = figure(ctx, "22", qn, HICOV_FIG_SPENDING);
  if (c) {
    CHECK_STR(c->title, vi ? "Chi phí khám chữa bệnh" : "Medical spending");
    CHECK_STR(c->x_title, vi ? "Cùng các tháng của mỗi năm (Tháng 1–10/2025)"
                             : "Same months of each year (Jan–Oct 2025)");
    CHECK_STR(c->empty_text, vi ? "Không có dữ liệu cho đơn vị và kỳ này"
                                : "No data for this unit and period");
    /* the dashboard's own words (context "figure"), not the label of the
     * total_cost indicator ("Chi phí KCB BHYT") */
    CHECK_STR(c->series[0].name, vi ? "Tổng chi phí khám chữa bệnh"
                                    : "Total medical cost");
    hicov_chart_free(c);
  }
  c = figure(ctx, "22", qn, HICOV_FIG_VISITS);
  if (c) {
    CHECK_STR(c->value_title, vi ? "lượt" : "visits");
    CHECK_STR(c->series[0].name, vi ? "Lượt khám" : "Visits");
    hicov_chart_free(c);
  }
  c = figure(ctx, "22", qn, HICOV_FIG_COST_PER_VISIT);
  if (c) {
    CHECK_STR(c->title, vi ? "Chi phí bình quân mỗi lượt" : "Cost per visit");
    CHECK_STR(c->series[0].name, c->title);
    /* the chart's messages are in its language */
    char msg[128];
    snprintf(msg, sizeof msg,
             vi ? "đánh dấu điểm 99: biểu đồ có %zu điểm"
                : "highlight of point 99: the chart has %zu points",
             c->n);
    CHECK_INT(hicov_chart_set_highlight(c, 99, 1), HICOV_INVALID);
    CHECK_STR(hicov_chart_errmsg(c), msg);
    hicov_chart_free(c);
  }
  c = figure(ctx, "22", qn, HICOV_FIG_FUND); /* no fund data in the demo */
  if (c) {
    CHECK_INT(hicov_chart_is_empty(c), 1);
    CHECK_STR(c->title, vi ? "Thu và chi quỹ BHYT" : "Fund revenue and spending");
    CHECK_STR(c->empty_text, vi ? "Không có dữ liệu cho đơn vị và kỳ này"
                                : "No data for this unit and period");
    hicov_chart_free(c);
  }
  /* groups: the core's group labels with their codes */
  c = figure(ctx, "20", y2024, HICOV_FIG_GROUPS);
  if (c) {
    CHECK_STR(c->title, vi ? "Người tham gia theo nhóm đối tượng"
                           : "Participants by beneficiary group");
    CHECK_STR(c->value_title, vi ? "người" : "people");
    CHECK_STR(c->subtitle, vi ? "Phân nhóm giả lập (số liệu minh họa)"
                              : "Synthetic split (illustrative figures)");
    CHECK_INT(c->nseries, 6);
    for (size_t k = 0; k < 5 && k < c->nseries; k++) {
      const char *open = strrchr(c->series[k].name, '(');
      char code[8] = "", expect[200];
      if (open)
        snprintf(code, sizeof code, "%.*s", (int)strcspn(open + 1, ")"),
                 open + 1);
      CHECK(hicov_group_label_lang(code, lang) != NULL);
      snprintf(expect, sizeof expect, "%s (%s)",
               hicov_group_label_lang(code, lang), code);
      CHECK_STR(c->series[k].name, expect);
    }
    if (c->nseries == 6)
      CHECK_STR(c->series[5].name, vi ? "Nhóm khác" : "Other groups");
    hicov_chart_free(c);
  }
  /* the ranking and the trend: series, target and deadline */
  c = figure(ctx, "20", y2024, HICOV_FIG_RANKING);
  if (c) {
    CHECK_STR(c->title, vi ? "Tỷ lệ bao phủ của các đơn vị trực thuộc"
                           : "Coverage of units below");
    CHECK_STR(c->series[0].name, vi ? "Tỷ lệ bao phủ" : "Coverage");
    /* the districts have no target of their own: the line is the
     * province's, the one its gap tile shows (98% in 2024) */
    HicovUnitTarget ut;
    CHECK(hicov_figure_unit_target(ctx, "20", y2024, &ut) == HICOV_OK);
    CHECK(c->target == ut.target->threshold && c->target == 98.0);
    CHECK_STR(c->target_label, vi ? "Chỉ tiêu" : "Target");
    /* the axis is zoomed to the data: it starts above 0, at or below the
     * lowest district, and reaches the target */
    double lowest = INFINITY;
    for (size_t k = 0; k < hicov_chart_point_count(c); k++)
      lowest = fmin(lowest, c->series[0].values[k]);
    cairo_surface_t *img =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 300);
    cairo_t *cr = cairo_create(img);
    CHECK_INT(hicov_chart_render(c, cr, 600, 300, 0), HICOV_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    CHECK(c->zoomed == 1);
    CHECK(c->target_colors == 1);
    CHECK(c->ticks.min > 0 && c->ticks.min <= lowest);
    CHECK(c->ticks.max >= c->target);
    hicov_chart_free(c);
  }
  c = figure(ctx, "20", hicov_period_year(2026), HICOV_FIG_COVERAGE_TREND);
  if (c) {
    CHECK_STR(c->title, vi ? "Tỷ lệ bao phủ theo thời gian"
                           : "Coverage over time");
    CHECK(series(c, vi ? "Tỷ lệ bao phủ" : "Coverage") != NULL);
    CHECK(series(c, vi ? "Dự báo" : "Projection") != NULL);
    CHECK_STR(c->target_label, vi ? "Chỉ tiêu" : "Target");
    CHECK_STR(c->marker_label, vi ? "Hạn 2030" : "Deadline 2030");
    hicov_chart_free(c);
  }
  CHECK_STR(hicov_kpi_title(HICOV_KPI_COST_PER_VISIT, lang),
            vi ? "Chi phí mỗi lượt" : "Cost per visit");
  /* messages too */
  CHECK_INT(hicov_figure_chart(ctx, "nope", qn, HICOV_FIG_VISITS, &c),
            HICOV_NOTFOUND);
  CHECK_STR(hicov_figure_context_errmsg(ctx),
            vi ? "không có đơn vị 'nope'" : "unknown unit 'nope'");
  hicov_figure_context_free(ctx);
}

/* The figures speak the context's language whatever the process's: a
 * Vietnamese or English environment, installed locale or not, changes
 * nothing. */
static void test_languages(HicovDataset *ds)
{
  static const char *const envs[][2] = {
    /* LANG, LANGUAGE */
    { "C.UTF-8", NULL },
    { "vi_VN.UTF-8", NULL },
    { "en_US.UTF-8", "vi" },
    { "vi_XX.UTF-8", "en" },
  };
  const char *names[] = { "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES" };
  char *saved[4];
  for (int i = 0; i < 4; i++)
    saved[i] = getenv(names[i]) ? strdup(getenv(names[i])) : NULL;
  unsetenv("LC_ALL");
  unsetenv("LC_MESSAGES");
  for (size_t e = 0; e < sizeof envs / sizeof envs[0]; e++) {
    setenv("LANG", envs[e][0], 1);
    if (envs[e][1])
      setenv("LANGUAGE", envs[e][1], 1);
    else
      unsetenv("LANGUAGE");
    check_figure_texts(ds, "vi");
    check_figure_texts(ds, "en");
  }
  for (int i = 0; i < 4; i++) {
    if (saved[i])
      setenv(names[i], saved[i], 1);
    else
      unsetenv(names[i]);
    free(saved[i]);
  }
}

static void test_out_of_memory(HicovDataset *ds)
{
  hicov_debug_fail_alloc_after(0);
  CHECK_INT(build_all(ds), HICOV_OK);
  long count = hicov_debug_fail_alloc_after(0);
  CHECK(count > 20);
  for (long n = 1; n <= count; n++) {
    hicov_debug_fail_alloc_after(n);
    int rc = build_all(ds);
    hicov_debug_fail_alloc_after(0);
    if (rc != HICOV_NOMEM)
      fprintf(stderr, "allocation %ld of %ld: status %d\n", n, count, rc);
    CHECK_INT(rc, HICOV_NOMEM);
  }
}

/* Issue 17: X divided on 2025-07-01, 0.6 to Y and 0.4 to Z (formed that
 * day).  2024: X 900 of 1,000, Y 1,700 of 2,000; 2025: Y 2,376 of 2,640,
 * Z 378 of 420.  Y's 2024 on 2025's boundaries: 2,240 of 2,600
 * (86.15%): +3.8 points to 90%, an estimate, with X; Z's 2024 is 0.4 of X
 * (360 of 400, 90%), an estimate too; the trend of Y says both. */
static void test_boundaries(void)
{
  static const char units[] =
    "code,name,parent,level,valid_to,valid_from\n"
    "P,Tỉnh,,province,,\n"
    "X,Xã Cũ,P,commune,2025-07-01,\n"
    "Y,Xã Lớn,P,commune,,\n"
    "Z,Xã Mới,P,commune,,2025-07-01\n";
  static const char cross[] = "old,new,share,date\n"
                              "X,Y,0.6,2025-07-01\nX,Z,0.4,2025-07-01\n";
  static const char values[] =
    "unit,period,measure,value\n"
    "X,2024,population,1000\nX,2024,participants,900\n"
    "Y,2024,population,2000\nY,2024,participants,1700\n"
    "Y,2025,population,2640\nY,2025,participants,2376\n"
    "Z,2025,population,420\nZ,2025,participants,378\n";
  HicovDataset *ds;
  HicovFigureContext *ctx = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                            strlen(units), HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_load_crosswalk_buffer(ds, "crosswalk.csv", cross,
                                                strlen(cross),
                                                HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", values,
                                             strlen(values),
                                             HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_figure_context_new(ds, NULL, "en", &ctx), HICOV_OK);
  if (!ctx) {
    hicov_dataset_free(ds);
    return;
  }
  HicovKpiText t;
  CHECK_INT(hicov_figure_kpi(ctx, "Y", hicov_period_year(2025),
                             HICOV_KPI_COVERAGE, &t), HICOV_OK);
  CHECK_STR(t.value, "90.0%");
  CHECK_STR(t.change, "+3.8 points vs 2024 (estimate)");
  CHECK_STR(t.basis, "on today's boundaries: with Xã Cũ");
  CHECK_INT(t.estimate, 1);
  CHECK_INT(hicov_figure_kpi(ctx, "Z", hicov_period_year(2024),
                             HICOV_KPI_COVERAGE, &t), HICOV_OK);
  CHECK_STR(t.value, "90.0%");
  CHECK_STR(t.change, "estimate from the shares of divided units");
  CHECK_INT(hicov_figure_kpi(ctx, "P", hicov_period_year(2025),
                             HICOV_KPI_COVERAGE, &t), HICOV_OK);
  CHECK_INT(t.estimate, 0);
  CHECK_STR(t.basis, "");
  HicovChart *c = figure(ctx, "Y", hicov_period_year(2025),
                         HICOV_FIG_COVERAGE_TREND);
  if (c) {
    CHECK_STR(c->subtitle, "on today's boundaries; partly estimated from the "
                           "shares of divided units");
    const ChartSeries *cov = series(c, "Coverage");
    CHECK(cov != NULL);
    if (cov) {
      CHECK_NEAR(cov->values[0], 2240.0 / 2600.0 * 100, 1e-9);
      CHECK_NEAR(cov->values[1], 90.0, 1e-9);
    }
  }
  hicov_chart_free(c);
  hicov_figure_context_free(ctx);
  hicov_dataset_free(ds);
}

/* The equity trend: each year's point is the core's hicov_equity_on on
 * the last year's boundaries, Theil shown x 1000; a year without values
 * is a gap. */
static void test_equity_trend(HicovDataset *ds, HicovFigureContext *ctx)
{
  HicovChart *c = NULL;
  HicovPeriod p = hicov_period_year(2025);
  CHECK_INT(hicov_figure_equity_trend(ctx, "coverage_rate", "20",
                                      HICOV_LEVEL_COMMUNE, p, HICOV_EQ_THEIL,
                                      NULL, &c), HICOV_OK);
  CHECK(c != NULL);
  if (!c)
    return;
  CHECK_STR(hicov_chart_title(c), "Theil index (T) x 1000");
  CHECK_CONTAINS(hicov_chart_subtitle(c), "units at commune level in");
  const ChartSeries *s = series(c, "Theil index (T) x 1000");
  CHECK(s != NULL);
  size_t n = hicov_chart_point_count(c);
  /* the demo's data span 2009-2025, its communes' 2020, 2024 and 2025:
   * 2020-2025, 2021-2023 gaps */
  CHECK_INT(n, 6);
  CHECK_STR(hicov_chart_point_key(c, 0), "2020");
  int nonempty = 0;
  for (size_t i = 0; s && i < n; i++) {
    int y = atoi(hicov_chart_point_key(c, i));
    HicovEquity e;
    CHECK_INT(hicov_equity_on(ds, "coverage_rate", "20", HICOV_LEVEL_COMMUNE,
                              hicov_period_year(y), p.last, NULL, NULL, &e),
              HICOV_OK);
    CHECK(same(s->values[i], e.theil * 1000));
    nonempty += e.status == HICOV_OK;
    hicov_equity_clear(&e);
  }
  CHECK(nonempty >= 3); /* the demo's communes: 2020, 2024, 2025 */
  hicov_chart_free(c);
  CHECK_INT(hicov_figure_equity_trend(ctx, "coverage_rate", "20",
                                      HICOV_LEVEL_COMMUNE, p, HICOV_N_EQ,
                                      NULL, &c), HICOV_INVALID);
  CHECK(c == NULL);
  CHECK_INT(hicov_figure_equity_trend(ctx, "coverage_rate", "nope",
                                      HICOV_LEVEL_COMMUNE, p, HICOV_EQ_RATIO,
                                      NULL, &c), HICOV_NOTFOUND);
}

/* The trend of several units: Lang Son with Quang Ninh compared, one line
 * each, every point the core's value on the boundaries of the last year;
 * then cost per visit, whose trend has no target. */
static void test_compare(HicovDataset *ds)
{
  HicovFigureContext *ctx = NULL;
  const char *two[] = { "22", "20" }, *five[] = { "1", "2", "3", "4", "5" };
  const char *unknown[] = { "22", "nope" };
  CHECK_INT(hicov_figure_context_new(ds, NULL, "en", &ctx), HICOV_OK);
  if (!ctx)
    return;
  CHECK_INT(hicov_figure_context_set_compare(ctx, five, 5), HICOV_LIMIT);
  CHECK_INT(hicov_figure_context_set_compare(ctx, unknown, 2),
            HICOV_NOTFOUND);
  /* the selected unit is not drawn twice */
  CHECK_INT(hicov_figure_context_set_compare(ctx, two, 2), HICOV_OK);
  int last_year = 0;
  for (int round = 0; round < 2; round++) {
    const char *ind = round ? "cost_per_visit" : "coverage_rate";
    CHECK_INT(hicov_figure_context_set_indicator(ctx, ind), HICOV_OK);
    HicovChart *c = figure(ctx, "20", hicov_period_year(2024),
                           HICOV_FIG_COVERAGE_TREND);
    if (!c)
      continue;
    CHECK_INT(hicov_chart_kind(c), HICOV_CHART_LINE);
    CHECK_INT(hicov_chart_series_count(c), 2);
    CHECK_STR(c->series[0].name, "Lạng Sơn");
    CHECK_STR(c->subtitle, "2 units compared");
    CHECK(isnan(c->target));
    CHECK_STR(c->title, round ? "Cost per visit over time"
                              : "Coverage over time");
    CHECK_INT(c->format, round ? HICOV_CHART_FORMAT_MONEY
                               : HICOV_CHART_FORMAT_PERCENT);
    last_year = c->n ? (int)c->x[c->n - 1] : 0;
    int finite = 0, finite_of[2] = { 0, 0 };
    for (size_t k = 0; k < 2; k++)
      for (size_t i = 0; i < c->n; i++) {
        HicovResult r;
        double want = NAN;
        if (hicov_indicator_value_on(ds, ind, k ? "22" : "20",
                                     hicov_period_year((int)c->x[i]),
                                     hicov_period_year(last_year).last,
                                     NULL, &r) == HICOV_OK &&
            r.status == HICOV_OK)
          want = r.value;
        CHECK(same(c->series[k].values[i], want));
        finite += isfinite(want);
        finite_of[k] += isfinite(want);
      }
    CHECK(finite >= 2); /* the demo: a few years of each */
    /* Quang Ninh has coverage by year but no whole year of cost per
     * visit (its visits are monthly from 2025-01): the legend says so */
    CHECK_INT(finite_of[1] > 0, !round);
    CHECK_STR(c->series[1].name, round ? "Quảng Ninh (no data)"
                                       : "Quảng Ninh");
    /* the caption names both units, the selected one first, and the
       sources of both, each once (the demo's values.csv for 2024:
       coverage rests on participants and population, Lang Son's
       "published" and "derived", Quang Ninh's "derived"; cost per visit
       on visits and total cost, Lang Son's "published", Quang Ninh having
       no whole year of them) */
    CHECK_STR(hicov_chart_caption(c),
              round ? "Lạng Sơn, Quảng Ninh · 2024 · Source: published"
                    : "Lạng Sơn, Quảng Ninh · 2024 · Source: published; "
                      "derived");
    hicov_chart_free(c);
  }
  {
    HicovFigureContext *vi = NULL;
    CHECK_INT(hicov_figure_context_new(ds, NULL, "vi", &vi), HICOV_OK);
    if (vi) {
      CHECK_INT(hicov_figure_context_set_compare(vi, two, 2), HICOV_OK);
      CHECK_INT(hicov_figure_context_set_indicator(vi, "cost_per_visit"),
                HICOV_OK);
      HicovChart *c = figure(vi, "20", hicov_period_year(2024),
                             HICOV_FIG_COVERAGE_TREND);
      if (c) {
        CHECK_STR(c->series[0].name, "Lạng Sơn");
        CHECK_STR(c->series[1].name, "Quảng Ninh (không có số liệu)");
      }
      hicov_chart_free(c);
      hicov_figure_context_free(vi);
    }
  }
  /* the ranking of data-quality findings: each province's count, bars
   * from zero (not zoomed like a rate's) */
  CHECK_INT(hicov_figure_context_set_compare(ctx, NULL, 0), HICOV_OK);
  CHECK_INT(hicov_figure_context_set_indicator(ctx, "quality_findings"),
            HICOV_OK);
  {
    HicovChart *q = figure(ctx, "VN", hicov_period_year(2024),
                           HICOV_FIG_RANKING);
    CHECK(q != NULL);
    if (q) {
      CHECK_INT(q->zoomed, 0);
      CHECK_INT(q->n, 4); /* the demo's four provinces */
      CHECK_STR(q->title, "Data-quality findings of units below");
      for (size_t i = 0; i < q->n; i++) {
        HicovResult r;
        CHECK(q->keys != NULL);
        if (!q->keys)
          break;
        CHECK_INT(hicov_indicator_value(ds, "quality_findings", q->keys[i],
                                        hicov_period_year(2024), NULL, &r),
                  HICOV_OK);
        CHECK(same(q->series[0].values[i], r.value));
      }
    }
    hicov_chart_free(q);
  }
  /* cleared: coverage of one unit again, with its target */
  CHECK_INT(hicov_figure_context_set_compare(ctx, NULL, 0), HICOV_OK);
  CHECK_INT(hicov_figure_context_set_indicator(ctx, "coverage_rate"),
            HICOV_OK);
  HicovChart *c = figure(ctx, "20", hicov_period_year(2024),
                         HICOV_FIG_COVERAGE_TREND);
  CHECK(c && !isnan(c->target) && series(c, "Coverage") != NULL);
  hicov_chart_free(c);
  for (size_t i = 0; hicov_figure_indicator(i); i++)
    CHECK(hicov_indicator_find(hicov_figure_indicator(i)) != NULL);
  CHECK_STR(hicov_figure_indicator(0), "coverage_rate");
  hicov_figure_context_free(ctx);
}

/* The shortest period of any value: the demo holds monthly values (1); a
 * dataset of years has 12; one quarterly value makes it 3; an empty one
 * has none. */
static void test_finest(HicovDataset *demo)
{
  int m = -1;
  CHECK_INT(hicov_dataset_finest_months(demo, &m), HICOV_OK);
  CHECK_INT(m, 1);
  HicovDataset *ds = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_finest_months(ds, &m), HICOV_MISSING);
  CHECK_INT(m, 0);
  const char *units = "code,name,parent,level\nP,Province,,province\n";
  const char *years = "unit,period,measure,value\nP,2023,visits,10\n"
                      "P,2024,visits,12\n";
  const char *quarter = "unit,period,measure,value\nP,2024-Q3,visits,3\n";
  CHECK_INT(hicov_dataset_load_units_buffer(ds, "units.csv", units,
                                            strlen(units), HICOV_LOAD_STRICT),
            HICOV_OK);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", years,
                                             strlen(years),
                                             HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_finest_months(ds, &m), HICOV_OK);
  CHECK_INT(m, 12);
  CHECK_INT(hicov_dataset_load_values_buffer(ds, "values.csv", quarter,
                                             strlen(quarter),
                                             HICOV_LOAD_STRICT), HICOV_OK);
  CHECK_INT(hicov_dataset_finest_months(ds, &m), HICOV_OK);
  CHECK_INT(m, 3);
  CHECK_INT(hicov_dataset_finest_months(NULL, &m), HICOV_INVALID);
  hicov_dataset_free(ds);
}

/* A chart standing alone says whose, when and from where: the caption
 * the files and the paper draw under the chart, which then takes less
 * height; the screen's render leaves it out. */
static void test_caption(HicovFigureContext *ctx)
{
  HicovChart *c = figure(ctx, "20", hicov_period_year(2024), HICOV_FIG_VISITS);
  if (!c)
    return;
  /* the demo's visits of Lang Son are marked "published" in values.csv */
  CHECK_STR(hicov_chart_caption(c), "Lạng Sơn · 2024 · Source: published");
  cairo_surface_t *img =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 400);
  cairo_t *cr = cairo_create(img);
  double plain = 0, captioned = 0;
  CHECK_INT(hicov_chart_render(c, cr, 600, 400, HICOV_CHART_RENDER_RASTER),
            HICOV_OK);
  CHECK_INT(hicov_chart_value_to_y(c, 0, &plain), HICOV_OK);
  CHECK_INT(hicov_chart_render(c, cr, 600, 400,
                               HICOV_CHART_RENDER_RASTER |
                                   HICOV_CHART_RENDER_CAPTION),
            HICOV_OK);
  CHECK_INT(hicov_chart_value_to_y(c, 0, &captioned), HICOV_OK);
  /* the zero line rises by the caption's line and its gap */
  CHECK(captioned < plain - 8 && captioned > plain - 40);
  cairo_destroy(cr);
  cairo_surface_destroy(img);
  hicov_chart_free(c);
}

int main(void)
{
  HicovDataset *ds = NULL;
  HicovFigureContext *ctx = NULL;
  CHECK_INT(hicov_dataset_new(&ds), HICOV_OK);
  CHECK_INT(hicov_dataset_load_demo(ds), HICOV_OK);
  CHECK_INT(hicov_figure_context_new(NULL, NULL, "en", &ctx), HICOV_INVALID);
  CHECK(ctx == NULL);
  CHECK_INT(hicov_figure_context_new(ds, NULL, "en", &ctx), HICOV_OK);
  test_names_and_labels();
  if (ctx) {
    test_unit_target(ctx);
    test_trend(ds, ctx);
    test_ranking(ds, ctx);
    test_groups(ds, ctx);
    test_flows(ds, ctx);
    test_pdf_trend(ds, ctx);
    test_equity_trend(ds, ctx);
    test_caption(ctx);
    test_finest(ds);
  }
  test_ranking_lowest();
  test_kpis(ds);
  test_compare(ds);
  test_boundaries();
  test_languages(ds);
  test_out_of_memory(ds);
  hicov_figure_context_free(ctx);
  hicov_dataset_free(ds);
  return test_finish("test-figures");
}
