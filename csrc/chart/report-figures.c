/* report-figures.c - the report's charts, built by the figure builders
 * (figure-build.c) from what the report kept (it has no dataset):
 *
 *  - per target, the trend of its indicator for the target's unit (for a
 *    target over units, the unit they lie under): the annual values the
 *    assessment fitted, the projection to the deadline (past it to when
 *    the trend would meet a target not achieved), the threshold (for a
 *    change or a growth, the level the deadline needs) and the deadline;
 *  - per target over units, the ranking of its units, the furthest from
 *    the target first, at most RANK_MAX of them (the title says how many
 *    of how many).
 *
 * The PDF draws them as vectors; hicov_report_draw_figures keeps them as
 * PNG images for the ODT, DOCX and HTML outputs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure-private.h"
#include "report-private.h"

/* Documents: 160 mm wide (A4 less the margins), drawn at 2 px a point. */
#define FIG_W 453.5
#define FIG_H 255.0
#define FIG_SCALE 2.0

/* The assessment a target's trend is drawn from, or NULL. */
const HicovAssessment *report_target_trend_source(const HicovReport *rep,
                                                  size_t t)
{
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  if (tg->level >= 0)
    return s->has_subject ? &s->subject : NULL;
  return s->count ? &rep->assess[s->first] : NULL;
}

static int is_rate(const HicovIndicatorInfo *info)
{
  return info && info->unit && !strcmp(info->unit, "%");
}

int report_target_trend(const HicovReport *rep, size_t t, HicovChart **out)
{
  *out = NULL;
  const HicovAssessment *a = t < rep->ntargets
                                 ? report_target_trend_source(rep, t) : NULL;
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = tg ? hicov_indicator_find(tg->indicator)
                                      : NULL;
  int lang = rep->lang;
  if (!a || !info || !isfinite(a->latest_value))
    return HICOV_OK;
  /* Actual values: the fit's points (the annual values the core used), or
   * the latest value alone; then the years to the deadline, or past it to
   * when the trend would meet a target that was not achieved. */
  FigTrend tr = { 0 };
  int rc = HICOV_OK;
  for (int k = 0; k < a->fit_n && rc == HICOV_OK; k++)
    rc = fig_trend_add(&tr, a->fit_years[k], a->fit_values[k]);
  if (a->fit_n == 0 && rc == HICOV_OK)
    rc = fig_trend_add(&tr, a->latest_year, a->latest_value);
  int last = a->deadline_year;
  if (a->status == HICOV_TARGET_NOT_ACHIEVED && isfinite(a->projected_year))
    last = (int)fmin(a->projected_year, a->deadline_year + 10);
  else if (a->status == HICOV_TARGET_NOT_ACHIEVED)
    last = a->deadline_year + 5;
  for (int y = a->latest_year + 1; y <= last && rc == HICOV_OK; y++)
    rc = fig_trend_add(&tr, y, NAN);
  fig_trend_project(&tr, fig_project_assessment, a);

  char title[300], dl[16];
  const char *unit_name = tg->level >= 0 || !rep->targets[t].count
                              ? rep->subject_name
                              : rep->items[rep->targets[t].first].unit_name;
  snprintf(title, sizeof title, "%s – %s",
           is_rate(info) && !strcmp(info->name, "coverage_rate")
               ? report_text("coverage_chart", lang)
               : report_indicator_label(info, lang),
           unit_name);
  snprintf(dl, sizeof dl, "%d", a->deadline_year);
  /* the fit's years are on today's boundaries: say so when units joined
     the subject (the report's predecessors) after the first of them */
  char note[256] = "";
  const char *l = lang == LANG_VI ? "vi" : "en";
  int joined = 0;
  for (size_t i = 0; i < rep->npreds && a->fit_n > 0; i++)
    joined |= strcmp(rep->preds[i].joined, "") &&
              atoi(rep->preds[i].joined) > a->fit_years[0] &&
              !strcmp(a->unit, rep->subject_code);
  if (joined || a->fit_estimate)
    snprintf(note, sizeof note, "%s%s%s",
             hicov_boundaries_label(rep->boundaries, l),
             a->fit_estimate ? "; " : "",
             a->fit_estimate ? T_(l, "partly estimated from the shares of "
                                  "divided units") : "");
  double target = tg->kind == HICOV_TARGET_KIND_LEVEL ? a->threshold
                                                      : a->deadline_level;
  FigTrendStyle st = {
    .title = title,
    .subtitle = note[0] ? note : NULL,
    .actual_name = report_text("actual", lang),
    .projected_name = report_text("projected", lang),
    /* the chart prints the value beside the label */
    .target = target,
    .target_label = report_text(tg->comparison == HICOV_CMP_AT_MOST ? "cap"
                                : "threshold", lang),
    .marker = a->deadline_year,
    .marker_label = dl,
    .format = is_rate(info) ? HICOV_CHART_FORMAT_PERCENT
              : info->unit && !strcmp(info->unit, "VND")
                  ? HICOV_CHART_FORMAT_MONEY
                  : HICOV_CHART_FORMAT_NUMBER,
    .decimals = 1,
  };
  HicovChart *c = NULL;
  if (rc == HICOV_OK)
    rc = hicov_chart_new(HICOV_CHART_LINE, &c);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_lang(c, lang == LANG_VI ? "vi" : "en");
  if (rc == HICOV_OK)
    rc = hicov_chart_set_font_size(c, REPORT_CHART_FONT_SIZE);
  if (rc == HICOV_OK)
    rc = fig_trend_chart(c, &tr, &st);
  fig_trend_clear(&tr);
  if (rc != HICOV_OK) {
    hicov_chart_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}

int report_trend_figure(const HicovReport *rep, HicovChart **out)
{
  *out = NULL;
  return rep->ntargets ? report_target_trend(rep, 0, out) : HICOV_OK;
}

/* Furthest from the target first: the largest gap (missing last). */
static int by_gap(const void *x, const void *y)
{
  const HicovAssessment *a = *(const HicovAssessment *const *)x;
  const HicovAssessment *b = *(const HicovAssessment *const *)y;
  int fa = isfinite(a->gap), fb = isfinite(b->gap);
  if (fa != fb)
    return fb - fa;
  if (fa && a->gap != b->gap)
    return a->gap > b->gap ? -1 : 1;
  return strcmp(a->unit, b->unit);
}

int report_target_ranking(const HicovReport *rep, size_t t, size_t max,
                          HicovChart **out, size_t *shown)
{
  *out = NULL;
  *shown = 0;
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  if (tg->level < 0 || s->count < 2 || !info)
    return HICOV_OK;
  const HicovAssessment **order = hicov_calloc(s->count, sizeof *order);
  FigRanking r = { 0 };
  r.entries = hicov_calloc(s->count, sizeof *r.entries);
  if (!order || !r.entries) {
    hicov_free(order);
    hicov_free(r.entries);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < s->count; i++)
    order[i] = &rep->assess[s->first + i];
  qsort(order, s->count, sizeof *order, by_gap);
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < s->count && r.n < max; i++) {
    const HicovAssessment *a = order[i];
    size_t k = (size_t)(a - rep->assess);
    double v = tg->kind == HICOV_TARGET_KIND_LEVEL ? a->latest_value
                                                   : a->measure_value;
    if (!isfinite(v))
      continue;
    r.entries[r.n].label = rep->items[k].unit_name;
    r.entries[r.n++].value = v;
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  r.total = s->count;
  hicov_free(order);
  *shown = r.n;
  if (r.n < 2) {
    fig_ranking_clear(&r);
    return HICOV_OK;
  }
  int lang = rep->lang;
  char title[300];
  const char *what = hicov_level_plural(tg->level, lang == LANG_VI ? "vi"
                                                                   : "en");
  if (r.n < s->count)
    snprintf(title, sizeof title,
             T_(lang == LANG_VI ? "vi" : "en", "The %zu of %zu %s furthest "
                "from the target"), r.n, s->count, what);
  else
    snprintf(title, sizeof title, T_(lang == LANG_VI ? "vi" : "en",
                                     "The %zu %s, furthest from the target "
                                     "first"), r.n, what);
  int rate = is_rate(info) || tg->kind == HICOV_TARGET_KIND_GROWTH;
  double thr = tg->threshold;
  FigRankStyle st = {
    .title = title,
    .series_name = report_indicator_label(info, lang),
    .target = thr,
    .target_label = report_text(tg->comparison == HICOV_CMP_AT_MOST ? "cap"
                                : "threshold", lang),
    .format = rate ? HICOV_CHART_FORMAT_PERCENT : HICOV_CHART_FORMAT_NUMBER,
    .decimals = 1,
    .sort = HICOV_CHART_SORT_NONE,
    /* keep the scale where the differences are */
    .range_min = is_rate(info) && tg->kind == HICOV_TARGET_KIND_LEVEL
                     ? floor(fmin(lo, thr) / 5) * 5 - 5 : NAN,
    .range_max = is_rate(info) && tg->kind == HICOV_TARGET_KIND_LEVEL
                     ? fmin(100, ceil(fmax(hi, thr) / 5) * 5) : NAN,
  };
  HicovChart *c = NULL;
  int rc = hicov_chart_new(HICOV_CHART_BAR_RANKED, &c);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_lang(c, lang == LANG_VI ? "vi" : "en");
  if (rc == HICOV_OK)
    rc = hicov_chart_set_font_size(c, REPORT_CHART_FONT_SIZE);
  if (rc == HICOV_OK)
    rc = fig_ranking_chart(c, &r, &st);
  fig_ranking_clear(&r);
  if (rc != HICOV_OK) {
    hicov_chart_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}

/* ---- PNG images for the documents ---------------------------------------- */

typedef struct {
  unsigned char *data;
  size_t len, cap;
  int nomem;
} PngSink;

static cairo_status_t png_write(void *closure, const unsigned char *data,
                                unsigned int length)
{
  PngSink *s = closure;
  if (hicov_grow((void **)&s->data, &s->cap, s->len + length, 1) !=
      HICOV_OK) {
    s->nomem = 1;
    return CAIRO_STATUS_NO_MEMORY;
  }
  memcpy(s->data + s->len, data, length);
  s->len += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Draws c as a PNG of w x h points at FIG_SCALE and appends it to rep. */
static int add_png(HicovReport *rep, HicovChart *c, const char *id,
                   size_t target, double w, double h)
{
  int pw = (int)ceil(w * FIG_SCALE), ph = (int)ceil(h * FIG_SCALE);
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw,
                                                     ph);
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    return HICOV_NOMEM;
  }
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, FIG_SCALE, FIG_SCALE);
  int rc = hicov_chart_render(c, cr, w, h, HICOV_CHART_RENDER_RASTER);
  cairo_destroy(cr);
  PngSink sink = { 0 };
  if (rc == HICOV_OK &&
      cairo_surface_write_to_png_stream(surf, png_write, &sink) !=
          CAIRO_STATUS_SUCCESS)
    rc = sink.nomem ? HICOV_NOMEM : HICOV_ERROR;
  cairo_surface_destroy(surf);
  ReportFigure *grown = rc == HICOV_OK
      ? hicov_realloc(rep->figures, (rep->nfigures + 1) * sizeof *grown)
      : NULL;
  if (rc == HICOV_OK && !grown)
    rc = HICOV_NOMEM;
  if (rc != HICOV_OK) {
    hicov_free(sink.data);
    return rc;
  }
  rep->figures = grown;
  ReportFigure *f = &rep->figures[rep->nfigures];
  memset(f, 0, sizeof *f);
  f->id = hicov_strdup(id);
  f->title = hicov_strdup(c->title ? c->title
                                                   : id);
  f->png = sink.data;
  f->len = sink.len;
  f->width = pw;
  f->height = ph;
  f->dpi = 72.0 * FIG_SCALE;
  f->target = target;
  rep->nfigures++;
  return f->id && f->title ? HICOV_OK : HICOV_NOMEM;
}

int hicov_report_draw_figures(HicovReport *rep)
{
  if (!rep)
    return HICOV_INVALID;
  report_clear_figures(rep);
  int rc = HICOV_OK;
  for (size_t t = 0; t < rep->ntargets && rc == HICOV_OK; t++) {
    char id[48];
    HicovChart *c = NULL;
    rc = report_target_trend(rep, t, &c);
    if (rc == HICOV_OK && c) {
      snprintf(id, sizeof id, "trend-%zu", t + 1);
      rc = add_png(rep, c, id, t, FIG_W, FIG_H);
    }
    hicov_chart_free(c);
    c = NULL;
    size_t shown = 0;
    if (rc == HICOV_OK)
      rc = report_target_ranking(rep, t, REPORT_RANK_MAX, &c, &shown);
    if (rc == HICOV_OK && c) {
      snprintf(id, sizeof id, "ranking-%zu", t + 1);
      rc = add_png(rep, c, id, t, FIG_W,
                   fmin(60 + 13.0 * (double)shown, 560));
    }
    hicov_chart_free(c);
  }
  if (rc != HICOV_OK) {
    report_clear_figures(rep);
    report_set_error(rep, T_(rep->msg_lang, "drawing the report's charts "
                             "failed: %s"),
                     hicov_text(rep->msg_lang, hicov_status_string(rc)));
  }
  return rc;
}
