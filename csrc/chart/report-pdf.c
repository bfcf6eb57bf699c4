/* report-pdf.c - the report as an A4 PDF, drawn with cairo and Pango.
 *
 * Drawn from the report model (report-private.h: the core's assessments,
 * tables and findings), not from the XML, so it only needs the core and
 * the chart library.  Pages: a title page with the key result and the
 * coverage chart; targets and assessment; charts; tables; data quality;
 * provenance.  Every page has a footer "Trang n/N": the document is laid
 * out twice, the first time only to count the pages.  Text goes through
 * Pango (shaping, Vietnamese diacritics); the charts are the chart
 * library's (hicov-chart.h).  The file is written atomically. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "figure-private.h"
#include "report-private.h"

/* A4 in points, margins 20 mm left/right, 18 mm top, 22 mm bottom. */
#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define ML 56.69
#define MR 56.69
#define MT 51.02
#define MB 62.36
#define CW (PAGE_W - ML - MR)
#define FOOT_Y (PAGE_H - 36)

#define FONT "DejaVu Sans"
#define FONT_COND "DejaVu Sans Condensed"
/* Base font size of the charts (the body text is 9.5-10 pt). */
#define CHART_FONT_SIZE 8.5

typedef struct {
  double r, g, b;
} Rgb;

static const Rgb INK = { 0.106, 0.122, 0.141 };
static const Rgb MUTED = { 0.36, 0.39, 0.44 };
static const Rgb RULE = { 0.835, 0.855, 0.878 };
static const Rgb HEAD = { 0.933, 0.949, 0.965 };
static const Rgb ACCENT = { 0.122, 0.373, 0.659 };
static const Rgb WHITE = { 1, 1, 1 };

static Rgb status_color(int status)
{
  switch (status) {
  case HICOV_TARGET_ACHIEVED: return (Rgb){ 0.118, 0.490, 0.227 };
  case HICOV_TARGET_ON_TRACK: return (Rgb){ 0.122, 0.373, 0.659 };
  case HICOV_TARGET_AT_RISK: return (Rgb){ 0.698, 0.416, 0.0 };
  case HICOV_TARGET_NOT_ACHIEVED: return (Rgb){ 0.702, 0.149, 0.118 };
  default: return (Rgb){ 0.42, 0.45, 0.50 };
  }
}

typedef struct {
  cairo_t *cr;
  const HicovReport *rep;
  int lang;
  int page;   /* current page, 1-based */
  int total;  /* pages, known on the second pass (0 on the first) */
  double y;   /* top of the free space on the page */
  int failed; /* a chart or allocation failed */
  int nomem;  /* ... for want of memory */
  int trend_drawn;
} Pdf;

static const char *T(const Pdf *p, const char *key)
{
  return report_text(key, p->lang);
}

/* The report's language as a tag for hicov_text and hicov-format.h. */
static const char *tag(const Pdf *p)
{
  return p->lang == LANG_VI ? "vi" : "en";
}

static void set_rgb(cairo_t *cr, Rgb c)
{
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---- Text -------------------------------------------------------------- */

enum { LEFT = 0, RIGHT = 1, CENTER = 2 };

static PangoLayout *layout(Pdf *p, const char *text, double size, int bold,
                           double width, int align, int condensed)
{
  PangoLayout *l = pango_cairo_create_layout(p->cr);
  PangoFontDescription *fd =
      pango_font_description_from_string(condensed ? FONT_COND : FONT);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
                                               PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, align == RIGHT ? PANGO_ALIGN_RIGHT :
                                align == CENTER ? PANGO_ALIGN_CENTER :
                                                  PANGO_ALIGN_LEFT);
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double layout_height(PangoLayout *l)
{
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static double layout_width(PangoLayout *l)
{
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)w / PANGO_SCALE;
}

/* Draws text in a box of `width` at (x, y) top; returns its height. */
static double text(Pdf *p, double x, double y, double width, const char *s,
                   double size, int bold, Rgb color, int align)
{
  PangoLayout *l = layout(p, s, size, bold, width, align, 0);
  cairo_move_to(p->cr, x, y);
  set_rgb(p->cr, color);
  pango_cairo_show_layout(p->cr, l);
  double h = layout_height(l);
  g_object_unref(l);
  return h;
}

static double text_height(Pdf *p, const char *s, double size, int bold,
                          double width)
{
  PangoLayout *l = layout(p, s, size, bold, width, LEFT, 0);
  double h = layout_height(l);
  g_object_unref(l);
  return h;
}

static double text_width(Pdf *p, const char *s, double size, int bold,
                         int condensed)
{
  PangoLayout *l = layout(p, s, size, bold, -1, LEFT, condensed);
  double w = layout_width(l);
  g_object_unref(l);
  return w;
}

/* ---- Pages ------------------------------------------------------------- */

static void footer(Pdf *p)
{
  cairo_t *cr = p->cr;
  set_rgb(cr, RULE);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, ML, FOOT_Y - 6);
  cairo_line_to(cr, PAGE_W - MR, FOOT_Y - 6);
  cairo_stroke(cr);
  char left[400], right[64];
  snprintf(left, sizeof left, "%s · %s · hicov %s", p->rep->subject_name,
           hicov_resolution_number(p->rep->res), hicov_version());
  if (p->total > 0)
    snprintf(right, sizeof right, "%s %d %s %d", T(p, "page"), p->page,
             T(p, "of"), p->total);
  else
    snprintf(right, sizeof right, "%s %d", T(p, "page"), p->page);
  text(p, ML, FOOT_Y, CW * 0.75, left, 7.5, 0, MUTED, LEFT);
  text(p, ML, FOOT_Y, CW, right, 7.5, 0, MUTED, RIGHT);
}

static void new_page(Pdf *p)
{
  footer(p);
  cairo_show_page(p->cr);
  p->page++;
  p->y = MT;
}

/* Starts a new page unless `h` points still fit on this one. */
static void need(Pdf *p, double h)
{
  if (p->y + h > PAGE_H - MB)
    new_page(p);
}

static void heading(Pdf *p, const char *s)
{
  need(p, 60); /* never strand a heading at the foot of a page */
  p->y += 6;
  double h = text(p, ML, p->y, CW, s, 13.5, 1, INK, LEFT);
  p->y += h + 3;
  set_rgb(p->cr, ACCENT);
  cairo_rectangle(p->cr, ML, p->y, 36, 2);
  cairo_fill(p->cr);
  p->y += 10;
}

static void subheading(Pdf *p, const char *s)
{
  need(p, 48);
  p->y += 4;
  p->y += text(p, ML, p->y, CW, s, 10.5, 1, INK, LEFT) + 5;
}

static void paragraph(Pdf *p, const char *s, double size, Rgb color)
{
  double h = text_height(p, s, size, 0, CW);
  need(p, h);
  text(p, ML, p->y, CW, s, size, 0, color, LEFT);
  p->y += h + 6;
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h,
                         double r)
{
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

/* A status badge at (x, y); returns its width. */
static double badge(Pdf *p, double x, double y, int status,
                    const char *label, double size)
{
  double w = text_width(p, label, size, 1, 0) + size * 1.2;
  double h = size * 1.75;
  rounded_rect(p->cr, x, y, w, h, h / 2);
  set_rgb(p->cr, status_color(status));
  cairo_fill(p->cr);
  text(p, x, y + size * 0.3, w, label, size, 1, WHITE, CENTER);
  return w;
}

/* ---- Numbers ----------------------------------------------------------- */

static int is_rate_unit(const HicovIndicatorInfo *info)
{
  return info && info->unit && !strcmp(info->unit, "%");
}

static int is_count_unit(const HicovIndicatorInfo *info)
{
  static const char *const counts[] = { "people", "visits", "days",
                                        "check-ins", "cards", NULL };
  for (int i = 0; info && info->unit && counts[i]; i++)
    if (!strcmp(info->unit, counts[i]))
      return 1;
  return 0;
}

/* A table cell: the number only (the unit is in the header). */
static void cell_text(const Pdf *p, const HicovIndicatorInfo *info, double v,
                      int billions, char *buf, size_t size)
{
  const char *l = tag(p);
  if (!isfinite(v))
    snprintf(buf, size, "–");
  else if (is_rate_unit(info))
    hicov_format_percent(v, 1, l, buf, size);
  else if (info && info->unit && !strcmp(info->unit, "VND"))
    hicov_format_number(billions ? v / 1e9 : v, billions ? 1 : 0, l, buf,
                        size);
  else
    hicov_format_number(v, is_count_unit(info) ? 0 : 2, l, buf, size);
}

/* ---- Tables ------------------------------------------------------------ */

typedef struct {
  size_t ncols;
  const char *head[12];
  double width[12];
  int align[12];
} Grid;

static double grid_header_height(Pdf *p, const Grid *g)
{
  double h = 0;
  for (size_t c = 0; c < g->ncols; c++) {
    double t = text_height(p, g->head[c], 7.5, 1, g->width[c] - 8);
    if (t > h)
      h = t;
  }
  return h + 8;
}

static void grid_header(Pdf *p, const Grid *g)
{
  double h = grid_header_height(p, g);
  need(p, h + 16);
  set_rgb(p->cr, HEAD);
  cairo_rectangle(p->cr, ML, p->y, CW, h);
  cairo_fill(p->cr);
  double x = ML;
  for (size_t c = 0; c < g->ncols; c++) {
    text(p, x + 4, p->y + 4, g->width[c] - 8, g->head[c], 7.5, 1, INK,
         g->align[c]);
    x += g->width[c];
  }
  p->y += h;
  set_rgb(p->cr, MUTED);
  cairo_set_line_width(p->cr, 0.7);
  cairo_move_to(p->cr, ML, p->y);
  cairo_line_to(p->cr, ML + CW, p->y);
  cairo_stroke(p->cr);
}

/* One row of cells; repeats the header after a page break. */
static void grid_row(Pdf *p, const Grid *g, const char *const *cells,
                     int bold, int zebra)
{
  double h = 0;
  for (size_t c = 0; c < g->ncols; c++) {
    double t = text_height(p, cells[c], 8, bold, g->width[c] - 8);
    if (t > h)
      h = t;
  }
  h += 6;
  if (p->y + h > PAGE_H - MB) {
    new_page(p);
    grid_header(p, g);
  }
  if (zebra) {
    cairo_set_source_rgb(p->cr, 0.975, 0.98, 0.985);
    cairo_rectangle(p->cr, ML, p->y, CW, h);
    cairo_fill(p->cr);
  }
  double x = ML;
  for (size_t c = 0; c < g->ncols; c++) {
    text(p, x + 4, p->y + 3, g->width[c] - 8, cells[c], 8, bold, INK,
         g->align[c]);
    x += g->width[c];
  }
  p->y += h;
  set_rgb(p->cr, bold ? MUTED : RULE);
  cairo_set_line_width(p->cr, bold ? 0.8 : 0.4);
  cairo_move_to(p->cr, ML, p->y);
  cairo_line_to(p->cr, ML + CW, p->y);
  cairo_stroke(p->cr);
}

static void draw_table(Pdf *p, const ReportTable *t)
{
  if (t->ncols == 0 || t->nrows == 0)
    return;
  char title[200];
  if (t->by_year)
    snprintf(title, sizeof title, "%s – %s", T(p, t->id),
             p->rep->subject_name);
  else {
    char period[16];
    hicov_period_format(t->period, period, sizeof period);
    snprintf(title, sizeof title, "%s – %s", T(p, t->id), period);
  }
  need(p, 110); /* the title, the header and a few rows together */
  subheading(p, title);

  Grid g = { 0 };
  char heads[REPORT_MAX_COLS][160];
  int billions[REPORT_MAX_COLS] = { 0 };
  g.ncols = t->ncols + 1;
  g.head[0] = T(p, t->by_year ? "year" : "unit");
  g.align[0] = LEFT;
  double numw = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    const HicovIndicatorInfo *info = t->cols[c].info;
    for (size_t r = 0; r < t->nrows; r++)
      if (isfinite(t->rows[r].values[c]) && t->rows[r].values[c] >= 1e9)
        billions[c] = 1;
    if (info->unit && !strcmp(info->unit, "VND"))
      snprintf(heads[c], sizeof heads[c], "%s (%s)",
               report_indicator_label(info, p->lang),
               hicov_money_unit_name(billions[c] ? HICOV_MONEY_BILLION
                                                 : HICOV_MONEY_DONG,
                                     tag(p)));
    else
      snprintf(heads[c], sizeof heads[c], "%s",
               report_indicator_label(info, p->lang));
    g.head[c + 1] = heads[c];
    g.align[c + 1] = RIGHT;
    /* Numeric columns as wide as their widest value, at least 64 pt. */
    double w = 64;
    for (size_t r = 0; r < t->nrows; r++) {
      char buf[64];
      cell_text(p, info, t->rows[r].values[c], billions[c], buf, sizeof buf);
      double tw = text_width(p, buf, 8, t->rows[r].is_total, 0) + 12;
      if (tw > w)
        w = tw;
    }
    g.width[c + 1] = w;
    numw += w;
  }
  g.width[0] = CW - numw;
  if (g.width[0] < 90) { /* too many columns: share the page evenly */
    for (size_t c = 1; c < g.ncols; c++)
      g.width[c] = (CW - 110) / (double)(g.ncols - 1);
    g.width[0] = 110;
  }
  grid_header(p, &g);
  for (size_t r = 0; r < t->nrows; r++) {
    const ReportRow *row = &t->rows[r];
    char vals[REPORT_MAX_COLS][64];
    const char *cells[12];
    char label[200];
    if (row->is_total && !t->by_year)
      snprintf(label, sizeof label, "%s (%s)", row->label, T(p, "total"));
    else
      snprintf(label, sizeof label, "%s", row->label);
    cells[0] = label;
    for (size_t c = 0; c < t->ncols; c++) {
      cell_text(p, t->cols[c].info, row->values[c], billions[c], vals[c],
                sizeof vals[c]);
      cells[c + 1] = vals[c];
    }
    grid_row(p, &g, cells, row->is_total, !row->is_total && r % 2 == 1);
  }
  p->y += 10;
}

/* ---- Charts ------------------------------------------------------------ */

/* Notes that a chart could not be built (rc is not HICOV_OK). */
static void chart_failed(Pdf *p, int rc)
{
  p->failed = 1;
  p->nomem |= rc == HICOV_NOMEM;
}

static void chart_common(Pdf *p, HicovChart *c, const char *title)
{
  hicov_chart_set_lang(c, tag(p));
  hicov_chart_set_title(c, title);
  hicov_chart_set_font_size(c, CHART_FONT_SIZE);
}

static void place_chart(Pdf *p, HicovChart *c, double h)
{
  need(p, h + 8);
  cairo_save(p->cr);
  cairo_translate(p->cr, ML, p->y);
  if (hicov_chart_render(c, p->cr, CW, h, 0) != HICOV_OK)
    p->failed = 1;
  cairo_restore(p->cr);
  p->y += h + 12;
}

/* Coverage (the first target's indicator) year by year, the trend to the
 * deadline, the threshold and the deadline: the figure builders' trend
 * (figure-build.c), from what the assessment kept, as the report has no
 * dataset.  The projection is the assessment's own fit. */
int report_trend_figure(const HicovReport *rep, HicovChart **out)
{
  *out = NULL;
  if (rep->nassess == 0)
    return HICOV_OK;
  const HicovAssessment *a = &rep->assess[0];
  const HicovIndicatorInfo *info = rep->items[0].info;
  int lang = rep->lang;
  if (!info || !isfinite(a->latest_value))
    return HICOV_OK;
  /* Actual values: the fit's points (the annual values the core used), or
   * the latest value alone; then the years to the deadline, or past it to
   * when the trend would meet a target that was not achieved. */
  FigTrend t = { 0 };
  int rc = HICOV_OK;
  for (int k = 0; k < a->fit_n && rc == HICOV_OK; k++)
    rc = fig_trend_add(&t, a->fit_years[k], a->fit_values[k]);
  if (a->fit_n == 0 && rc == HICOV_OK)
    rc = fig_trend_add(&t, a->latest_year, a->latest_value);
  int last = a->deadline_year;
  if (a->status == HICOV_TARGET_NOT_ACHIEVED && isfinite(a->projected_year))
    last = (int)fmin(a->projected_year, a->deadline_year + 10);
  else if (a->status == HICOV_TARGET_NOT_ACHIEVED)
    last = a->deadline_year + 5;
  for (int y = a->latest_year + 1; y <= last && rc == HICOV_OK; y++)
    rc = fig_trend_add(&t, y, NAN);
  fig_trend_project(&t, fig_project_assessment, a);

  char title[200], dl[16];
  snprintf(title, sizeof title, "%s – %s",
           is_rate_unit(info) ? report_text("coverage_chart", lang) :
                                report_indicator_label(info, lang),
           rep->items[0].unit_name);
  snprintf(dl, sizeof dl, "%d", a->deadline_year);
  FigTrendStyle s = {
    .title = title,
    .actual_name = report_text("actual", lang),
    .projected_name = report_text("projected", lang),
    /* the chart prints the value beside the label */
    .target = a->threshold,
    .target_label = report_text("threshold", lang),
    .marker = a->deadline_year,
    .marker_label = dl,
    .format = is_rate_unit(info) ? HICOV_CHART_FORMAT_PERCENT :
                                   HICOV_CHART_FORMAT_NUMBER,
    .decimals = 1,
  };
  HicovChart *c = NULL;
  if (rc == HICOV_OK)
    rc = hicov_chart_new(HICOV_CHART_LINE, &c);
  if (rc == HICOV_OK)
    rc = hicov_chart_set_lang(c, lang == LANG_VI ? "vi" : "en");
  if (rc == HICOV_OK)
    rc = hicov_chart_set_font_size(c, CHART_FONT_SIZE);
  if (rc == HICOV_OK)
    rc = fig_trend_chart(c, &t, &s);
  fig_trend_clear(&t);
  if (rc != HICOV_OK) {
    hicov_chart_free(c);
    return rc;
  }
  *out = c;
  return HICOV_OK;
}

static void trend_chart(Pdf *p, double h)
{
  HicovChart *c = NULL;
  int rc = report_trend_figure(p->rep, &c);
  if (rc != HICOV_OK)
    chart_failed(p, rc);
  if (!c)
    return;
  place_chart(p, c, h);
  hicov_chart_free(c);
  p->trend_drawn = 1;
}

/* The first unit table's rate column as ranked bars, with the target. */
static void unit_chart(Pdf *p)
{
  const HicovReport *rep = p->rep;
  const ReportTable *t = NULL;
  size_t col = 0;
  for (size_t i = 0; i < rep->ntables && !t; i++)
    if (!rep->tables[i].by_year)
      for (size_t c = 0; c < rep->tables[i].ncols; c++)
        if (is_rate_unit(rep->tables[i].cols[c].info)) {
          t = &rep->tables[i];
          col = c;
          break;
        }
  if (!t)
    return;
  /* the units with a value, as the report's table has them */
  FigRanking r = { 0 };
  r.entries = hicov_calloc(t->nrows + 1, sizeof *r.entries);
  for (size_t i = 0; r.entries && i < t->nrows; i++)
    if (!t->rows[i].is_total && isfinite(t->rows[i].values[col])) {
      r.entries[r.n].label = t->rows[i].label;
      r.entries[r.n++].value = t->rows[i].values[col];
    }
  r.total = r.n;
  if (!r.entries) {
    chart_failed(p, HICOV_NOMEM);
    return;
  }
  if (r.n >= 2) {
    char title[200], period[16];
    hicov_period_format(t->period, period, sizeof period);
    snprintf(title, sizeof title, "%s – %s", T(p, "unit_chart"), period);
    /* Keep the scale where the differences are. */
    double lo = r.entries[0].value;
    for (size_t i = 1; i < r.n; i++)
      lo = fmin(lo, r.entries[i].value);
    FigRankStyle s = {
      .title = title,
      .series_name = report_indicator_label(t->cols[col].info, p->lang),
      .target = rep->nassess > 0 && rep->items[0].info == t->cols[col].info
                    ? rep->assess[0].threshold : NAN,
      .target_label = T(p, "threshold"),
      .format = HICOV_CHART_FORMAT_PERCENT,
      .decimals = 1,
      .sort = HICOV_CHART_SORT_DESCENDING,
      .range_min = floor(lo / 5) * 5 - 5,
      .range_max = 100,
    };
    HicovChart *c = NULL;
    int rc = hicov_chart_new(HICOV_CHART_BAR_RANKED, &c);
    if (rc == HICOV_OK) {
      chart_common(p, c, title);
      rc = fig_ranking_chart(c, &r, &s);
    }
    if (rc == HICOV_OK)
      place_chart(p, c, fmin(60 + 15.0 * (double)r.n, 560));
    else
      chart_failed(p, rc);
    hicov_chart_free(c);
  }
  fig_ranking_clear(&r);
}

/* Spending by year (total cost, fund payments) as columns. */
static void spending_chart(Pdf *p)
{
  const ReportTable *t = NULL;
  for (size_t i = 0; i < p->rep->ntables; i++)
    if (p->rep->tables[i].by_year)
      t = &p->rep->tables[i];
  if (!t || t->nrows < 2)
    return;
  /* Only the years with some spending figure. */
  const char *labels[64];
  size_t rows[64], n = 0;
  for (size_t r = 0; r < t->nrows && n < 64; r++)
    for (size_t col = 0; col < t->ncols; col++)
      if (t->cols[col].info->unit && !strcmp(t->cols[col].info->unit, "VND")
          && isfinite(t->rows[r].values[col])) {
        rows[n] = r;
        labels[n++] = t->rows[r].label;
        break;
      }
  if (n < 2)
    return;
  HicovChart *c = NULL;
  if (hicov_chart_new(HICOV_CHART_COLUMN, &c) != HICOV_OK) {
    p->failed = 1;
    return;
  }
  chart_common(p, c, T(p, "spending_chart"));
  hicov_chart_set_format(c, HICOV_CHART_FORMAT_MONEY, 1);
  hicov_chart_set_categories(c, labels, n);
  int series = 0;
  for (size_t col = 0; col < t->ncols; col++) {
    const HicovIndicatorInfo *info = t->cols[col].info;
    if (!info->unit || strcmp(info->unit, "VND"))
      continue;
    double v[64];
    int finite = 0;
    for (size_t r = 0; r < n; r++)
      finite += isfinite(v[r] = t->rows[rows[r]].values[col]);
    if (finite >= 2 && hicov_chart_add_series(
                           c, report_indicator_label(info, p->lang), v, n, 0,
                           NULL) == HICOV_OK)
      series++;
  }
  if (series > 0)
    place_chart(p, c, 210);
  hicov_chart_free(c);
}

/* ---- Sections ---------------------------------------------------------- */

static void meta_line(Pdf *p, const char *key, const char *value)
{
  double h = text_height(p, value, 10, 0, CW - 140);
  text(p, ML, p->y, 135, T(p, key), 10, 0, MUTED, LEFT);
  text(p, ML + 140, p->y, CW - 140, value, 10, 0, INK, LEFT);
  p->y += h + 4;
}

static void title_page(Pdf *p)
{
  const HicovReport *rep = p->rep;
  cairo_t *cr = p->cr;
  set_rgb(cr, ACCENT);
  cairo_rectangle(cr, 0, 0, PAGE_W, 14);
  cairo_fill(cr);

  p->y = 78;
  char kicker[300];
  snprintf(kicker, sizeof kicker, "%s", hicov_resolution_body(rep->res));
  p->y += text(p, ML, p->y, CW, kicker, 10.5, 1, ACCENT, LEFT) + 10;
  p->y += text(p, ML, p->y, CW, T(p, "report_title"), 24, 1, INK, LEFT) + 8;
  const char *title = hicov_resolution_title(rep->res);
  p->y += text(p, ML, p->y, CW, title && *title ? title :
               hicov_resolution_number(rep->res), 13, 0, INK, LEFT) + 22;

  set_rgb(cr, RULE);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, ML, p->y);
  cairo_line_to(cr, ML + CW, p->y);
  cairo_stroke(cr);
  p->y += 12;

  char buf[400];
  int start, end;
  hicov_resolution_term(rep->res, &start, &end);
  meta_line(p, "issued_by", hicov_resolution_body(rep->res));
  meta_line(p, "number", hicov_resolution_number(rep->res));
  snprintf(buf, sizeof buf, "%d–%d", start, end);
  meta_line(p, "term", buf);
  snprintf(buf, sizeof buf, "%s (%s)", rep->subject_name, rep->subject_code);
  meta_line(p, "subject", buf);
  if (rep->last_year > 0) {
    snprintf(buf, sizeof buf, "%d", rep->last_year);
    meta_line(p, "data_through", buf);
  }
  report_format_time(rep->generated, buf, sizeof buf);
  buf[10] = ' ';
  if (strlen(buf) > 16)
    strcpy(buf + 16, " UTC");
  meta_line(p, "generated", buf);
  p->y += 18;

  /* The key result: the first target's first assessment. */
  if (rep->nassess > 0) {
    const HicovAssessment *a = &rep->assess[0];
    const char *s = rep->items[0].text[p->lang];
    const HicovTarget *tg = hicov_resolution_target(rep->res, 0);
    const char *label = tg->label && *tg->label ? tg->label :
                        report_indicator_label(rep->items[0].info, p->lang);
    double th = text_height(p, s, 11, 0, CW - 40);
    double lh = text_height(p, label, 11.5, 1, CW - 40);
    double box = lh + th + 52;
    cairo_set_source_rgb(cr, 0.965, 0.973, 0.98);
    cairo_rectangle(cr, ML, p->y, CW, box);
    cairo_fill(cr);
    set_rgb(cr, status_color(a->status));
    cairo_rectangle(cr, ML, p->y, 5, box);
    cairo_fill(cr);
    double y = p->y + 14;
    badge(p, ML + 20, y, a->status, report_item_status_label(rep, 0, p->lang),
          9);
    y += 24;
    y += text(p, ML + 20, y, CW - 40, label, 11.5, 1, INK, LEFT) + 6;
    text(p, ML + 20, y, CW - 40, s, 11, 0, INK, LEFT);
    p->y += box + 16;
  }
  double left = PAGE_H - MB - p->y;
  if (left > 180)
    trend_chart(p, fmin(left - 10, 280));
}

static void targets_section(Pdf *p)
{
  const HicovReport *rep = p->rep;
  heading(p, T(p, "targets"));
  Grid g = { 7, { T(p, "target"), T(p, "unit"), T(p, "baseline"),
                  T(p, "latest"), T(p, "gap"), T(p, "needed"),
                  T(p, "status") },
             { 106, 58, 54, 66, 60, 50, 0 },
             { LEFT, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, LEFT } };
  g.width[6] = CW - (106 + 58 + 54 + 66 + 60 + 50); /* room for a badge */
  grid_header(p, &g);
  for (size_t i = 0; i < rep->nassess; i++) {
    const HicovAssessment *a = &rep->assess[i];
    const HicovIndicatorInfo *info = rep->items[i].info;
    const HicovTarget *tg = hicov_resolution_target(rep->res, a->target_index);
    char target[200], base[96], latest[96], gap[96], needed[64], v[48];
    const char *l = tag(p);
    if (is_rate_unit(info))
      hicov_format_percent(a->threshold, a->threshold == floor(a->threshold) ?
                           0 : 2, l, v, sizeof v);
    else
      report_format_value(info, a->threshold, p->lang, v, sizeof v);
    snprintf(target, sizeof target, "%s %s %s (%d)",
             report_indicator_label(info, p->lang),
             tg && tg->comparison == HICOV_CMP_AT_MOST ? "≤" : "≥", v,
             a->deadline_year);
    base[0] = latest[0] = '\0';
    if (isfinite(a->baseline_value)) {
      report_format_value(info, a->baseline_value, p->lang, v, sizeof v);
      snprintf(base, sizeof base, "%s (%d)", v, a->baseline_year);
    } else {
      snprintf(base, sizeof base, "–");
    }
    if (isfinite(a->latest_value)) {
      report_format_value(info, a->latest_value, p->lang, v, sizeof v);
      /* TRANSLATORS: a value and its year, the year's value estimated */
      snprintf(latest, sizeof latest,
               rep->items[i].latest_estimated ? T_(l, "%s (%d, est.)")
                                              : "%s (%d)",
               v, a->latest_year);
    } else {
      snprintf(latest, sizeof latest, "–");
    }
    if (isfinite(a->gap) && a->gap > 0) {
      hicov_format_number(a->gap, 1, l, v, sizeof v);
      /* a gap of a rate in percentage points, as on the dashboard */
      snprintf(gap, sizeof gap, is_rate_unit(info) ? T_(l, "%s points") : "%s",
               v);
    } else {
      snprintf(gap, sizeof gap, isfinite(a->gap) ? "0" : "–");
    }
    if (isfinite(a->participants_needed) && a->gap > 0)
      hicov_format_number(a->participants_needed, 0, l, needed,
                          sizeof needed);
    else
      snprintf(needed, sizeof needed, "–");
    const char *cells[7] = { target, rep->items[i].unit_name, base, latest,
                             gap, needed, "" };
    double y0 = p->y;
    int page0 = p->page;
    grid_row(p, &g, cells, 0, 0);
    /* The status as a badge in the last cell of the row just drawn. */
    double x = ML + CW - g.width[6] + 4;
    if (p->page == page0)
      badge(p, x, y0 + 3, a->status,
            report_item_status_label(rep, i, p->lang), 7);
    else
      badge(p, x, p->y - 16, a->status,
            report_item_status_label(rep, i, p->lang), 7);
  }
  p->y += 12;

  subheading(p, T(p, "assessment"));
  for (size_t t = 0; t < rep->ntargets; t++)
    if (rep->targets[t].summary[p->lang])
      paragraph(p, rep->targets[t].summary[p->lang], 9.5, INK);
  size_t shown = 0;
  for (size_t i = 0; i < rep->nassess && shown < 40; i++, shown++) {
    const char *s = rep->items[i].text[p->lang];
    double h = text_height(p, s, 9.5, 0, CW - 14);
    need(p, h + 4);
    set_rgb(p->cr, status_color(rep->assess[i].status));
    cairo_rectangle(p->cr, ML, p->y, 3, h);
    cairo_fill(p->cr);
    text(p, ML + 12, p->y, CW - 14, s, 9.5, 0, INK, LEFT);
    p->y += h + 8;
  }
  const HicovAssessment *a = rep->nassess ? &rep->assess[0] : NULL;
  if (a && a->fit_n >= 2 && a->fit_method) {
    char note[300];
    /* TRANSLATORS: "Projection from the trend 2019–2024 (logistic, 6 data
     * points)." */
    snprintf(note, sizeof note, T_(tag(p), "%s %d–%d (%s, %d data points)."),
             T(p, "fit_note"), a->fit_years[0], a->fit_years[a->fit_n - 1],
             a->fit_method, a->fit_n);
    paragraph(p, note, 8, MUTED);
  }
}

/* The name of a kind of finding (HicovFindingKind) in lang. */
static const char *finding_kind_label(int kind, const char *lang)
{
  static const char *const labels[] = {
    NC_("finding kind", "Participants above population"),
    NC_("finding kind", "Missing month"),
    NC_("finding kind", "Unusual growth"),
    NC_("finding kind", "Units below do not add up"),
    NC_("finding kind", "Negative value"),
    NC_("finding kind", "Missing year"),
  };
  if (kind < HICOV_FINDING_PARTICIPANTS_ABOVE_POPULATION ||
      kind > HICOV_FINDING_MISSING_YEAR)
    return hicov_text(lang, NC_("finding kind", "Other"));
  return hicov_text(lang, labels[kind - 1]);
}

static void findings_section(Pdf *p)
{
  const HicovReport *rep = p->rep;
  heading(p, T(p, "findings"));
  if (rep->nfindings == 0) {
    paragraph(p, T(p, "no_findings"), 9.5, INK);
    return;
  }
  char intro[400];
  snprintf(intro, sizeof intro,
           hicov_ntext(tag(p),
                       "The data-quality checks made %zu finding about %s "
                       "and the units below it:",
                       "The data-quality checks made %zu findings about %s "
                       "and the units below it:",
                       rep->nfindings),
           rep->nfindings, rep->subject_name);
  paragraph(p, intro, 9.5, INK);
  /* How many of each kind, then the first few of them in full. */
  for (int kind = 1; kind <= 16; kind++) {
    size_t n = 0, errors = 0;
    for (size_t i = 0; i < rep->nfindings; i++)
      if (rep->findings[i].kind == kind) {
        n++;
        errors += rep->findings[i].severity >= 2;
      }
    if (n == 0)
      continue;
    char line[300];
    /* TRANSLATORS: a kind of finding, how many, how many are errors */
    snprintf(line, sizeof line,
             hicov_ntext(tag(p), "• %s: %zu (%zu error)",
                         "• %s: %zu (%zu errors)", errors),
             finding_kind_label(kind, tag(p)), n, errors);
    paragraph(p, line, 9, INK);
  }
  p->y += 4;
  Grid g = { 2, { T(p, "severity"), T(p, "finding") }, { 70, CW - 70 },
             { LEFT, LEFT } };
  grid_header(p, &g);
  size_t max = 25;
  for (size_t i = 0; i < rep->nfindings && i < max; i++) {
    const HicovFinding *f = &rep->findings[i];
    const char *cells[2] = { T(p, f->severity >= 2 ? "severity_2" :
                                                     "severity_1"),
                             f->message };
    grid_row(p, &g, cells, 0, i % 2 == 1);
  }
  if (rep->nfindings > max) {
    char more[200];
    snprintf(more, sizeof more,
             T_(tag(p), "… and %zu more (see the XML report)."),
             rep->nfindings - max);
    p->y += 4;
    paragraph(p, more, 8.5, MUTED);
  }
}

static void provenance_section(Pdf *p)
{
  const HicovReport *rep = p->rep;
  heading(p, T(p, "provenance"));
  char buf[600];
  if (rep->source)
    meta_line(p, "source", rep->source);
  else if (rep->ninputs == 0)
    meta_line(p, "source", T(p, "builtin_demo"));
  meta_line(p, "version", hicov_version());
  report_format_time(rep->generated, buf, sizeof buf);
  meta_line(p, "generated", buf);
  if (rep->ninputs) {
    p->y += 6;
    subheading(p, T(p, "inputs"));
    for (size_t i = 0; i < rep->ninputs; i++) {
      const ReportInput *in = &rep->inputs[i];
      /* TRANSLATORS: an input file: its role, path, size and digest */
      snprintf(buf, sizeof buf, T_(tag(p), "%s: %s (%llu bytes)\nSHA-256 %s"),
               in->role, in->path, (unsigned long long)in->bytes, in->sha256);
      paragraph(p, buf, 8, INK);
    }
  }
}

static void render(Pdf *p)
{
  p->page = 1;
  title_page(p);
  new_page(p);
  targets_section(p);
  heading(p, T(p, "charts"));
  if (!p->trend_drawn) /* it goes on the title page when it fits there */
    trend_chart(p, 260);
  unit_chart(p);
  spending_chart(p);
  for (size_t i = 0; i < p->rep->ntables; i++) {
    if (i == 0)
      heading(p, T(p, "tables"));
    draw_table(p, &p->rep->tables[i]);
  }
  findings_section(p);
  provenance_section(p);
  footer(p);
  cairo_show_page(p->cr);
}

/* ---- Output ------------------------------------------------------------ */

typedef struct {
  char *data;
  size_t len, cap;
  int nomem;
} Sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data,
                                 unsigned int length)
{
  Sink *s = closure;
  if (!s) /* the counting pass */
    return CAIRO_STATUS_SUCCESS;
  if (hicov_grow((void **)&s->data, &s->cap, s->len + length, 1) !=
      HICOV_OK) {
    s->nomem = 1;
    return CAIRO_STATUS_NO_MEMORY;
  }
  memcpy(s->data + s->len, data, length);
  s->len += length;
  return CAIRO_STATUS_SUCCESS;
}

static int draw_pdf(HicovReport *rep, Sink *sink, int *pages)
{
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
      sink_write, sink, PAGE_W, PAGE_H);
  char title[400];
  snprintf(title, sizeof title, "%s – %s", report_text("report_title",
                                                       rep->lang),
           hicov_resolution_number(rep->res));
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                 hicov_resolution_body(rep->res));
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hicov");
  cairo_t *cr = cairo_create(s);
  Pdf p = { cr, rep, rep->lang, 1, *pages, MT, 0, 0, 0 };
  render(&p);
  *pages = p.page;
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if ((sink && sink->nomem) || p.nomem || st == CAIRO_STATUS_NO_MEMORY)
    return HICOV_NOMEM;
  if (st != CAIRO_STATUS_SUCCESS || p.failed) {
    report_set_error(rep, T_(rep->msg_lang, "drawing the PDF failed: %s"),
                     p.failed ? T_(rep->msg_lang, "a chart could not be drawn")
                              : cairo_status_to_string(st));
    return HICOV_ERROR;
  }
  return HICOV_OK;
}

int hicov_report_pdf(HicovReport *rep, const char *path)
{
  if (!rep || !path)
    return HICOV_INVALID;
  int pages = 0;
  int rc = draw_pdf(rep, NULL, &pages); /* count the pages */
  Sink sink = { 0 };
  if (rc == HICOV_OK)
    rc = draw_pdf(rep, &sink, &pages);
  if (rc == HICOV_OK)
    rc = report_write_atomic(path, sink.data, sink.len, rep->errmsg,
                             sizeof rep->errmsg);
  report_free(sink.data);
  return rc;
}
