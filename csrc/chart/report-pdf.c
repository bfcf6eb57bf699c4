/* report-pdf.c - the report as an A4 PDF, drawn with cairo and Pango in the
 * typography of an administrative document (Nghị định 30/2020/NĐ-CP):
 * Liberation Serif (metric-compatible with Times New Roman), body 13 pt,
 * margins top and bottom 20 mm, left 30 mm, right 15 mm, page numbers
 * centred in the top margin from the second page.
 *
 * Drawn from the report model (report-private.h), not from the XML.
 * Pages: the first page has the document's header (issuing agency, số,
 * quốc hiệu and tiêu ngữ, place and date), "BÁO CÁO" and the trích yếu,
 * then a line for every target (the subject's figure, "x/N đơn vị đạt"
 * for targets over units, the verdict); then a section per target (its
 * statements, its trend, for a target over units its ranking and a table
 * of every unit); the detailed tables; the data-quality findings by
 * group; the provenance.  Nothing is dropped without a sentence saying how
 * much and where the rest is.  The document is laid out twice, the first
 * time only to count the pages.  Dates (the PDF's own included) are the
 * report's time, so that the same report gives the same bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "figure-private.h"
#include "report-private.h"

/* A4 in points; 1 mm = 2.8346 pt. */
#define MM 2.834646
#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define ML (30 * MM)
#define MR (15 * MM)
#define MT (20 * MM)
#define MB (20 * MM)
#define CW (PAGE_W - ML - MR)

#define FONT "Liberation Serif"
#define BODY 13.0
#define SMALL 11.0
#define CELL 10.5

/* Units listed in a target's table; beyond, those met are left out and a
 * sentence says how many and where they are. */
#define TABLE_MAX_UNITS 400
/* Statements of single units under a target over units. */
#define UNIT_STATEMENTS 10
#define FINDINGS_LISTED 25

typedef struct {
  double r, g, b;
} Rgb;

static const Rgb INK = { 0, 0, 0 };
static const Rgb MUTED = { 0.33, 0.33, 0.33 };
static const Rgb RULE = { 0.70, 0.70, 0.70 };
static const Rgb HEAD = { 0.92, 0.92, 0.92 };
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
} Pdf;

static const char *T(const Pdf *p, const char *key)
{
  return report_text(key, p->lang);
}

static const char *tag(const Pdf *p)
{
  return p->lang == LANG_VI ? "vi" : "en";
}

static void set_rgb(cairo_t *cr, Rgb c)
{
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---- Text -------------------------------------------------------------- */

enum { LEFT = 0, RIGHT = 1, CENTER = 2, JUSTIFY = 3 };
enum { BOLD = 1, ITALIC = 2, UPPER = 4 };

static PangoLayout *layout(Pdf *p, const char *text, double size,
                           unsigned style, double width, int align)
{
  PangoLayout *l = pango_cairo_create_layout(p->cr);
  PangoFontDescription *fd = pango_font_description_from_string(FONT);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, style & BOLD ? PANGO_WEIGHT_BOLD :
                                                       PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, style & ITALIC ? PANGO_STYLE_ITALIC :
                                                        PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  /* a digest or a number broken over two lines takes no hyphen that is
     not in it */
  PangoAttrList *attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  if (style & UPPER)
    pango_attr_list_insert(attrs, pango_attr_text_transform_new(
                                      PANGO_TEXT_TRANSFORM_UPPERCASE));
  pango_layout_set_attributes(l, attrs);
  pango_attr_list_unref(attrs);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_justify(l, align == JUSTIFY);
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

/* Draws text in a box of `width` at (x, y) top; returns its height. */
static double text(Pdf *p, double x, double y, double width, const char *s,
                   double size, unsigned style, Rgb color, int align)
{
  PangoLayout *l = layout(p, s, size, style, width, align);
  cairo_move_to(p->cr, x, y);
  set_rgb(p->cr, color);
  pango_cairo_show_layout(p->cr, l);
  double h = layout_height(l);
  g_object_unref(l);
  return h;
}

static double text_height(Pdf *p, const char *s, double size, unsigned style,
                          double width)
{
  PangoLayout *l = layout(p, s, size, style, width, LEFT);
  double h = layout_height(l);
  g_object_unref(l);
  return h;
}

/* Width of the text on one line. */
static double text_width(Pdf *p, const char *s, double size, unsigned style)
{
  PangoLayout *l = layout(p, s, size, style, -1, LEFT);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  g_object_unref(l);
  return (double)w / PANGO_SCALE;
}

static void rule(Pdf *p, double x0, double x1, double y, double width)
{
  set_rgb(p->cr, INK);
  cairo_set_line_width(p->cr, width);
  cairo_move_to(p->cr, x0, y);
  cairo_line_to(p->cr, x1, y);
  cairo_stroke(p->cr);
}

/* Space between the ink of the text and the rule under it. */
#define RULE_GAP 3.0
#define RULE_WIDTH 0.6

/* Draws s centred in (x, width) at y with a rule under it `frac` of its
 * ink's width long, centred on the ink; returns the rule's y.  The rule
 * is placed from the ink, not the logical box: the dots under ạ, ệ and
 * the descenders reach down to the box's bottom. */
static double text_ruled(Pdf *p, double x, double y, double width,
                         const char *s, double size, unsigned style,
                         double frac)
{
  PangoLayout *l = layout(p, s, size, style, width, CENTER);
  cairo_move_to(p->cr, x, y);
  set_rgb(p->cr, INK);
  pango_cairo_show_layout(p->cr, l);
  PangoRectangle ink;
  pango_layout_get_extents(l, &ink, NULL);
  g_object_unref(l);
  double mid = x + (ink.x + ink.width / 2.0) / PANGO_SCALE;
  double half = frac * ink.width / PANGO_SCALE / 2;
  double ry = y + (double)(ink.y + ink.height) / PANGO_SCALE + RULE_GAP +
              RULE_WIDTH / 2;
  rule(p, mid - half, mid + half, ry, RULE_WIDTH);
  return ry;
}

/* ---- Pages ------------------------------------------------------------- */

/* Page numbers centred in the top margin, none on the first page. */
static void page_number(Pdf *p)
{
  if (p->page < 2)
    return;
  char n[16];
  snprintf(n, sizeof n, "%d", p->page);
  text(p, ML, MT / 2 - 4, CW, n, BODY, 0, INK, CENTER);
}

static void new_page(Pdf *p)
{
  cairo_show_page(p->cr);
  p->page++;
  p->y = MT;
  page_number(p);
}

/* Starts a new page unless `h` points still fit on this one. */
static void need(Pdf *p, double h)
{
  if (p->y + h > PAGE_H - MB)
    new_page(p);
}

/* "I. KẾT QUẢ ..." */
static void heading(Pdf *p, const char *s)
{
  need(p, 70); /* never strand a heading at the foot of a page */
  p->y += 8;
  p->y += text(p, ML, p->y, CW, s, BODY, BOLD, INK, LEFT) + 6;
}

static void subheading(Pdf *p, const char *s)
{
  need(p, 60);
  p->y += 4;
  p->y += text(p, ML, p->y, CW, s, BODY, BOLD, INK, JUSTIFY) + 4;
}

/* A body paragraph: justified, first line indented 1 cm, 6 pt after. */
static void paragraph_style(Pdf *p, const char *s, double size,
                            unsigned style, Rgb color)
{
  PangoLayout *l = layout(p, s, size, style, CW, JUSTIFY);
  pango_layout_set_indent(l, (int)(10 * MM * PANGO_SCALE));
  double h = layout_height(l);
  if (h > PAGE_H - MT - MB - 20) {
    /* taller than a page: let it run over, a line at a time */
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
      PangoRectangle r;
      pango_layout_iter_get_line_extents(it, NULL, &r);
      double lh = (double)r.height / PANGO_SCALE;
      need(p, lh);
      cairo_move_to(p->cr, ML + (double)r.x / PANGO_SCALE,
                    p->y + (double)pango_layout_iter_get_baseline(it) /
                               PANGO_SCALE - (double)r.y / PANGO_SCALE);
      set_rgb(p->cr, color);
      pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
      p->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    p->y += 6;
  } else {
    need(p, h);
    cairo_move_to(p->cr, ML, p->y);
    set_rgb(p->cr, color);
    pango_cairo_show_layout(p->cr, l);
    p->y += h + 6;
  }
  g_object_unref(l);
}

static void paragraph(Pdf *p, const char *s)
{
  paragraph_style(p, s, BODY, 0, INK);
}

static void note(Pdf *p, const char *s)
{
  double h = text_height(p, s, SMALL, ITALIC, CW);
  need(p, h);
  p->y += text(p, ML, p->y, CW, s, SMALL, ITALIC, MUTED, LEFT) + 4;
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

/* A status badge at (x, y) no wider than maxw; returns its height. */
static double badge(Pdf *p, double x, double y, double maxw, int status,
                    const char *label, double size)
{
  double w = fmin(text_width(p, label, size, BOLD) + size * 1.2, maxw);
  double th = text_height(p, label, size, BOLD, w - size * 0.6);
  double h = th + size * 0.5;
  rounded_rect(p->cr, x, y, w, h, fmin(h / 2, size));
  set_rgb(p->cr, status_color(status));
  cairo_fill(p->cr);
  text(p, x + size * 0.3, y + size * 0.25, w - size * 0.6, label, size, BOLD,
       WHITE, CENTER);
  return h;
}

/* ---- Tables ------------------------------------------------------------ */

#define GRID_MAX 8

typedef struct {
  size_t ncols;
  const char *head[GRID_MAX];
  double width[GRID_MAX];
  int align[GRID_MAX];
  int badge_col;   /* column drawn as a status badge, or -1 */
} Grid;

static double grid_header_height(Pdf *p, const Grid *g)
{
  double h = 0;
  for (size_t c = 0; c < g->ncols; c++)
    h = fmax(h, text_height(p, g->head[c], CELL, BOLD, g->width[c] - 8));
  return h + 8;
}

static void grid_header(Pdf *p, const Grid *g)
{
  double h = grid_header_height(p, g);
  need(p, h + 20);
  set_rgb(p->cr, HEAD);
  cairo_rectangle(p->cr, ML, p->y, CW, h);
  cairo_fill(p->cr);
  double x = ML;
  for (size_t c = 0; c < g->ncols; c++) {
    text(p, x + 4, p->y + 4, g->width[c] - 8, g->head[c], CELL, BOLD, INK,
         g->align[c] == RIGHT ? RIGHT : g->align[c]);
    x += g->width[c];
  }
  p->y += h;
  rule(p, ML, ML + CW, p->y, 0.7);
}

/* One row of cells; repeats the header after a page break.  status: the
 * badge column's status. */
static void grid_row(Pdf *p, const Grid *g, const char *const *cells,
                     unsigned style, int status)
{
  double h = 0;
  for (size_t c = 0; c < g->ncols; c++)
    h = fmax(h, text_height(p, cells[c], CELL, (int)c == g->badge_col ? BOLD
                            : style, g->width[c] - 8 - ((int)c == g->badge_col
                                                        ? 8 : 0)));
  h += 8;
  if (p->y + h > PAGE_H - MB) {
    new_page(p);
    grid_header(p, g);
  }
  double x = ML;
  for (size_t c = 0; c < g->ncols; c++) {
    if ((int)c == g->badge_col)
      badge(p, x + 3, p->y + 2, g->width[c] - 6, status, cells[c], CELL - 1);
    else
      text(p, x + 4, p->y + 4, g->width[c] - 8, cells[c], CELL, style, INK,
           g->align[c]);
    x += g->width[c];
  }
  p->y += h;
  set_rgb(p->cr, RULE);
  cairo_set_line_width(p->cr, 0.4);
  cairo_move_to(p->cr, ML, p->y);
  cairo_line_to(p->cr, ML + CW, p->y);
  cairo_stroke(p->cr);
}

static void table_heads(Pdf *p, const ReportTable *t, Grid *g,
                        char heads[][160], int *billions)
{
  g->ncols = t->ncols + 1;
  g->head[0] = T(p, t->by_year ? "year" : "unit");
  g->align[0] = LEFT;
  g->badge_col = -1;
  double numw = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    billions[c] = report_table_billions(t, c);
    report_table_head(t->cols[c].info, billions[c], p->lang, heads[c], 160);
    g->head[c + 1] = heads[c];
    g->align[c + 1] = RIGHT;
    g->width[c + 1] = 66;
    numw += 66;
  }
  g->width[0] = CW - numw;
  if (g->width[0] < 100) { /* too many columns: share the page evenly */
    for (size_t c = 1; c < g->ncols; c++)
      g->width[c] = (CW - 100) / (double)(g->ncols - 1);
    g->width[0] = 100;
  }
}

static void draw_table(Pdf *p, const ReportTable *t, int number)
{
  if (t->ncols == 0 || t->nrows == 0 || t->ncols + 1 > GRID_MAX)
    return;
  char title[300];
  if (t->by_year)
    snprintf(title, sizeof title, "%d. %s – %s", number, T(p, t->id),
             p->rep->subject_name);
  else {
    char period[16];
    hicov_period_format(t->period, period, sizeof period);
    snprintf(title, sizeof title, "%d. %s – %s", number, T(p, t->id),
             period);
  }
  need(p, 110); /* the title, the header and a few rows together */
  subheading(p, title);
  Grid g = { 0 };
  char heads[REPORT_MAX_COLS][160];
  int billions[REPORT_MAX_COLS] = { 0 };
  table_heads(p, t, &g, heads, billions);
  grid_header(p, &g);
  int estimated = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    const ReportRow *row = &t->rows[r];
    char vals[REPORT_MAX_COLS][64], label[300];
    const char *cells[GRID_MAX];
    if (row->is_total && !t->by_year)
      snprintf(label, sizeof label, "%s (%s)", row->label, T(p, "total"));
    else
      snprintf(label, sizeof label, "%s%s", row->label,
               row->synthetic ? "*" : "");
    cells[0] = label;
    for (size_t c = 0; c < t->ncols; c++) {
      report_table_cell(t->cols[c].info, row->values[c], billions[c], p->lang,
                        vals[c], sizeof vals[c] - 4);
      if (row->estimate[c]) /* apportioned: see the note under the table */
        strcat(vals[c], "*");
      estimated |= row->estimate[c];
      cells[c + 1] = vals[c];
    }
    grid_row(p, &g, cells, row->is_total ? BOLD : 0, 0);
  }
  if (estimated)
    note(p, T(p, "crosswalk_note"));
  p->y += 10;
}

/* ---- Charts ------------------------------------------------------------ */

static void chart_failed(Pdf *p, int rc)
{
  p->failed = 1;
  p->nomem |= rc == HICOV_NOMEM;
}

static void place_chart(Pdf *p, HicovChart *c, double h)
{
  need(p, h + 8);
  cairo_save(p->cr);
  cairo_translate(p->cr, ML, p->y);
  if (hicov_chart_render(c, p->cr, CW, h, 0) != HICOV_OK)
    p->failed = 1;
  cairo_restore(p->cr);
  p->y += h + 10;
}

static void trend_chart(Pdf *p, size_t t)
{
  HicovChart *c = NULL;
  int rc = report_target_trend(p->rep, t, &c);
  if (rc != HICOV_OK)
    chart_failed(p, rc);
  if (c)
    place_chart(p, c, 220);
  hicov_chart_free(c);
}

/* The ranking of a target's units; says when it shows only some. */
static void ranking_chart(Pdf *p, size_t t)
{
  HicovChart *c = NULL;
  size_t shown = 0;
  int rc = report_target_ranking(p->rep, t, REPORT_RANK_MAX, &c, &shown);
  if (rc != HICOV_OK)
    chart_failed(p, rc);
  if (!c)
    return;
  place_chart(p, c, fmin(60 + 13.0 * (double)shown, 560));
  hicov_chart_free(c);
  const ReportTargetSummary *s = &p->rep->targets[t];
  if (shown < s->count) {
    char buf[400];
    const HicovTarget *tg = hicov_resolution_target(p->rep->res, t);
    snprintf(buf, sizeof buf,
             T_(tag(p), "The chart shows the %zu %s furthest from the target "
                "of %zu; the table below lists every one."), shown,
             hicov_level_plural(tg->level, tag(p)), s->count);
    note(p, buf);
  }
}

/* ---- The first page ---------------------------------------------------- */

/* The header in two columns (Nghị định 30/2020, Phụ lục I): the agency
 * and số on the left, quốc hiệu, tiêu ngữ, place and date on the right. */
static void document_header(Pdf *p)
{
  const HicovReport *rep = p->rep;
  const ReportIssuer *is = &rep->issuer;
  double lw = CW * 0.42, rx = ML + CW * 0.40, rw = CW * 0.60;
  double y = MT;
  y += text(p, ML, y, lw, is->parent_agency ? is->parent_agency
                                            : T(p, "no_parent"),
            12.5, UPPER, INK, CENTER);
  /* a line a third of the agency's long, one as long as the tiêu ngữ */
  const char *agency = is->agency ? is->agency : T(p, "no_agency");
  y = text_ruled(p, ML, y, lw, agency, 12.5, BOLD | UPPER, 1 / 3.0) + 6;
  char num[200];
  snprintf(num, sizeof num, "%s %s", T(p, "number_label"),
           is->number ? is->number : T(p, "no_number"));
  text(p, ML, y, lw, num, BODY, 0, INK, CENTER);

  double ry = MT;
  ry += text(p, rx, ry, rw, T(p, "motto_country"), 12.5, BOLD, INK, CENTER);
  ry = text_ruled(p, rx, ry, rw, T(p, "motto"), BODY, BOLD, 1) + 6;
  char date[300];
  report_format_place_date(rep->generated,
                           is->place ? is->place : rep->subject_name,
                           p->lang, date, sizeof date);
  ry += text(p, rx, ry, rw, date, BODY, ITALIC, INK, CENTER);
  p->y = fmax(y + 20, ry) + 24;
}

static void document_title(Pdf *p)
{
  p->y += text(p, ML, p->y, CW, T(p, "doc_type"), 14, BOLD, INK, CENTER) + 2;
  char *summary = report_summary_title(p->rep, p->lang);
  if (!summary) {
    chart_failed(p, HICOV_NOMEM);
    return;
  }
  p->y = text_ruled(p, ML + 20, p->y, CW - 40, summary, BODY, BOLD,
                    1 / 3.0) + 14;
  hicov_free(summary);
}

/* The summary of every target: its text, the subject's figure and x/N
 * units, the verdict. */
static void targets_at_a_glance(Pdf *p)
{
  const HicovReport *rep = p->rep;
  subheading(p, T(p, "at_a_glance"));
  Grid g = { 4, { T(p, "no"), T(p, "target"), T(p, "result"),
                  T(p, "verdict") },
             { 32, 0, 0, 96 }, { LEFT, LEFT, LEFT, LEFT }, 3 };
  g.width[1] = (CW - 32 - 96) * 0.45;
  g.width[2] = CW - 32 - 96 - g.width[1];
  grid_header(p, &g);
  for (size_t t = 0; t < rep->ntargets; t++) {
    const ReportTargetSummary *s = &rep->targets[t];
    char no[24], target[600];
    const HicovTarget *tg = hicov_resolution_target(rep->res, t);
    snprintf(no, sizeof no, "%zu", t + 1);
    snprintf(target, sizeof target, "%s%s%s%s", s->text[p->lang],
             tg->label && *tg->label ? " (“" : "",
             tg->label && *tg->label ? tg->label : "",
             tg->label && *tg->label ? "”)" : "");
    /* the subject's figure and x/N units; the verdict is the badge */
    char *result = report_target_result(rep, t, p->lang);
    if (!result) {
      chart_failed(p, HICOV_NOMEM);
      return;
    }
    const char *cells[4] = { no, target, result,
                             report_target_status_label(rep, t, p->lang) };
    grid_row(p, &g, cells, 0, s->verdict.status);
    hicov_free(result);
  }
  p->y += 6;
}

static void title_page(Pdf *p)
{
  const HicovReport *rep = p->rep;
  document_header(p);
  document_title(p);
  char buf[600];
  int start, end;
  hicov_resolution_term(rep->res, &start, &end);
  const char *title = hicov_resolution_title(rep->res);
  snprintf(buf, sizeof buf, "%s: %s (%s, %d–%d). %s: %s.",
           T(p, "resolution"), title && *title ? title :
           hicov_resolution_number(rep->res), hicov_resolution_body(rep->res),
           start, end, T(p, "subject"), rep->subject_name);
  paragraph(p, buf);
  targets_at_a_glance(p);
  if (rep->has_synthetic)
    note(p, T(p, "synthetic_note"));
  note(p, T(p, "estimate_note"));
}

/* ---- A section per target ---------------------------------------------- */

/* A table of every unit of a target over units: value, gap, verdict. */
static void units_table(Pdf *p, size_t t, int number)
{
  const HicovReport *rep = p->rep;
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  char title[400];
  snprintf(title, sizeof title, T_(tag(p), "Table %d: %s, by %s"), number,
           s->text[p->lang], hicov_level_word(tg->level, tag(p)));
  subheading(p, title);
  size_t skip_met = s->count > TABLE_MAX_UNITS;
  Grid g = { 5, { T(p, "no"), T(p, "unit"), T(p, "latest"), T(p, "gap"),
                  T(p, "status") },
             { 30, 0, 110, 80, 110 }, { RIGHT, LEFT, RIGHT, RIGHT, LEFT },
             4 };
  g.width[1] = CW - 30 - 110 - 80 - 110;
  grid_header(p, &g);
  size_t listed = 0, left_out = 0;
  for (size_t k = 0; k < s->count; k++) {
    size_t i = s->first + k;
    const HicovAssessment *a = &rep->assess[i];
    if (skip_met && a->status == HICOV_TARGET_ACHIEVED) {
      left_out++;
      continue;
    }
    char no[24], name[300], latest[96], gap[96], v[64];
    snprintf(no, sizeof no, "%zu", ++listed);
    snprintf(name, sizeof name, "%s%s", rep->items[i].unit_name,
             rep->items[i].synthetic ? "*" : "");
    double shown = tg->kind == HICOV_TARGET_KIND_GROWTH ? a->measure_value
                                                        : a->latest_value;
    if (isfinite(shown)) {
      if (tg->kind == HICOV_TARGET_KIND_GROWTH)
        hicov_format_percent(shown, 2, tag(p), v, sizeof v);
      else
        report_format_value(info, shown, p->lang, v, sizeof v);
      /* TRANSLATORS: a value and its year, the year's value estimated */
      snprintf(latest, sizeof latest, rep->items[i].latest_estimated
                                          ? T_(tag(p), "%s (%d, est.)")
                                          : "%s (%d)", v, a->latest_year);
    } else {
      snprintf(latest, sizeof latest, "–");
    }
    report_table_gap(info, tg->kind, a->gap, 1, p->lang, gap, sizeof gap);
    const char *cells[5] = { no, name, latest, gap,
                             report_item_status_label(rep, i, p->lang) };
    grid_row(p, &g, cells, 0, a->status);
  }
  if (left_out) {
    char buf[400];
    snprintf(buf, sizeof buf,
             T_(tag(p), "The %zu units that have met the target are not "
                "listed; the XML and HTML reports list all %zu."), left_out,
             s->count);
    note(p, buf);
  }
  p->y += 8;
}

/* The statements of the units furthest from the target, then how many
 * more there are and where. */
static void unit_statements(Pdf *p, size_t t)
{
  const HicovReport *rep = p->rep;
  const ReportTargetSummary *s = &rep->targets[t];
  size_t shown = 0;
  for (size_t k = 0; k < s->count; k++) {
    size_t i = s->first + k;
    int st = rep->assess[i].status;
    if (st == HICOV_TARGET_ACHIEVED || st == HICOV_TARGET_ON_TRACK)
      continue;
    if (shown < UNIT_STATEMENTS) {
      paragraph(p, rep->items[i].text[p->lang]);
      shown++;
    }
  }
  if (shown < s->count) {
    char buf[500];
    snprintf(buf, sizeof buf,
             T_(tag(p), "Statements on %zu of the %zu units are shown here "
                "(those not yet on track, at most %d); the XML and HTML "
                "reports give the statement on every unit."), shown,
             s->count, UNIT_STATEMENTS);
    note(p, buf);
  }
}

/* The key figures of a unit's own target, exact (the sentences round). */
static void key_figures(Pdf *p, size_t i)
{
  const HicovReport *rep = p->rep;
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *tg = hicov_resolution_target(rep->res, a->target_index);
  if (!isfinite(a->latest_value))
    return;
  Grid g = { 2, { T(p, "value"), "" }, { CW * 0.45, CW * 0.55 },
             { LEFT, RIGHT }, -1 };
  g.head[1] = T(p, "result");
  grid_header(p, &g);
  char v[96], row[160];
  const char *l = tag(p);
  report_format_value(info, a->latest_value, p->lang, v, sizeof v);
  snprintf(row, sizeof row, rep->items[i].latest_estimated
                                ? T_(l, "%s (%d, est.)") : "%s (%d)",
           v, a->latest_year);
  const char *cells[2] = { T(p, "latest"), row };
  grid_row(p, &g, cells, 0, 0);
  if (isfinite(a->baseline_value)) {
    report_format_value(info, a->baseline_value, p->lang, v, sizeof v);
    snprintf(row, sizeof row, "%s (%d)", v, a->baseline_year);
    cells[0] = T(p, "baseline");
    grid_row(p, &g, cells, 0, 0);
  }
  if (isfinite(a->gap)) {
    report_table_gap(info, tg->kind, a->gap, 2, p->lang, row, sizeof row);
    cells[0] = T(p, "gap");
    grid_row(p, &g, cells, 0, 0);
  }
  if (isfinite(a->participants_needed) && a->participants_needed > 0) {
    hicov_format_number(a->participants_needed, 0, l, row, sizeof row);
    cells[0] = T(p, "needed");
    grid_row(p, &g, cells, 0, 0);
  }
  if (isfinite(a->projected_value)) {
    report_format_value(info, a->projected_value, p->lang, row, sizeof row);
    cells[0] = T(p, "projection");
    grid_row(p, &g, cells, 0, 0);
  }
  cells[0] = T(p, "status");
  cells[1] = report_item_status_label(rep, i, p->lang);
  grid_row(p, &g, cells, BOLD, 0);
  p->y += 6;
}

static void target_section(Pdf *p, size_t t, int *table_no)
{
  const HicovReport *rep = p->rep;
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  char title[700];
  snprintf(title, sizeof title, "%zu. %s", t + 1, s->text[p->lang]);
  subheading(p, title);
  if (tg->label && *tg->label) {
    snprintf(title, sizeof title, "“%s”", tg->label);
    paragraph_style(p, title, BODY, ITALIC, INK);
  }
  paragraph_style(p, s->headline[p->lang], BODY, BOLD, INK);
  if (tg->level < 0) {
    for (size_t k = 0; k < s->count; k++) {
      paragraph(p, rep->items[s->first + k].text[p->lang]);
      key_figures(p, s->first + k);
    }
  } else if (s->summary[p->lang]) {
    paragraph(p, s->summary[p->lang]);
  }
  if (s->has_equity)
    paragraph(p, s->equity_text[p->lang]);
  trend_chart(p, t);
  const HicovAssessment *a = report_target_trend_source(rep, t);
  if (a && a->fit_n >= 2 && a->fit_method) {
    char buf[300];
    snprintf(buf, sizeof buf, T_(tag(p), "%s %d–%d (%s, %d data points)."),
             T(p, "fit_note"), a->fit_years[0], a->fit_years[a->fit_n - 1],
             a->fit_method, a->fit_n);
    note(p, buf);
  }
  if (tg->level >= 0) {
    ranking_chart(p, t);
    units_table(p, t, ++*table_no);
    unit_statements(p, t);
  }
  p->y += 6;
}

/* ---- Findings and provenance -------------------------------------------- */

static void findings_section(Pdf *p)
{
  const HicovReport *rep = p->rep;
  char h[200];
  snprintf(h, sizeof h, "III. %s", T(p, "quality"));
  heading(p, h);
  if (rep->nfindings == 0) {
    paragraph(p, T(p, "no_findings"));
    return;
  }
  char line[400];
  snprintf(line, sizeof line,
           hicov_ntext(tag(p),
                       "The data-quality checks made %zu finding about %s "
                       "and the units below it:",
                       "The data-quality checks made %zu findings about %s "
                       "and the units below it:",
                       rep->nfindings),
           rep->nfindings, rep->subject_name);
  paragraph(p, line);
  /* how many of each kind and how many errors, then each group in words */
  for (size_t i = 0; i < rep->ngroups; i++) {
    const ReportFindingGroup *gr = &rep->groups[i];
    size_t errors = 0;
    for (size_t k = 0; k < rep->nfindings; k++)
      errors += rep->findings[k].kind == gr->kind &&
                rep->findings[k].severity >= 2;
    /* TRANSLATORS: a kind of finding, how many, how many are errors */
    snprintf(line, sizeof line,
             hicov_ntext(tag(p), "• %s: %zu (%zu error)",
                         "• %s: %zu (%zu errors)", errors),
             report_finding_kind_label(gr->kind, p->lang), gr->count, errors);
    paragraph_style(p, line, BODY, BOLD, INK);
    paragraph(p, gr->text[p->lang]);
  }
  Grid g = { 2, { T(p, "severity"), T(p, "finding") }, { 70, CW - 70 },
             { LEFT, LEFT }, -1 };
  grid_header(p, &g);
  for (size_t i = 0; i < rep->nfindings && i < FINDINGS_LISTED; i++) {
    const HicovFinding *f = &rep->findings[i];
    const char *cells[2] = { T(p, f->severity >= 2 ? "severity_2" :
                                                     "severity_1"),
                             f->message };
    grid_row(p, &g, cells, 0, 0);
  }
  if (rep->nfindings > FINDINGS_LISTED) {
    char more[300];
    snprintf(more, sizeof more,
             T_(tag(p), "The first %d of %zu findings are listed; the XML "
                "and HTML reports list every one."), FINDINGS_LISTED,
             rep->nfindings);
    note(p, more);
  }
}

/* The provenance's keys' column: it leaves the values room for a SHA-256
 * digest on one line (64 digits of 5.3 pt at the size of a cell). */
#define META_KEY 115

/* A line of the provenance: its key and its value. */
typedef struct {
  const char *key;
  char value[700];
} MetaLine;

static double meta_line_height(Pdf *p, const MetaLine *m)
{
  return text_height(p, m->value, CELL, 0, CW - META_KEY) + 4;
}

static void meta_line(Pdf *p, const MetaLine *m)
{
  double h = meta_line_height(p, m);
  need(p, h);
  text(p, ML, p->y, META_KEY - 5, T(p, m->key), CELL, 0, MUTED, LEFT);
  text(p, ML + META_KEY, p->y, CW - META_KEY, m->value, CELL, 0, INK, LEFT);
  p->y += h;
}

/* The provenance's lines into m (room for 4 + rep->ninputs); returns how
 * many. */
static size_t meta_lines(const Pdf *p, MetaLine *m)
{
  const HicovReport *rep = p->rep;
  size_t n = 0;
  if (rep->source || rep->ninputs == 0) {
    m[n].key = "source";
    snprintf(m[n++].value, sizeof m->value, "%s",
             rep->source ? rep->source : T(p, "builtin_demo"));
  }
  m[n].key = "version";
  snprintf(m[n++].value, sizeof m->value, "%s", hicov_version());
  m[n].key = "generated";
  report_format_time(rep->generated, m[n++].value, sizeof m->value);
  if (rep->boundaries_text[p->lang]) {
    m[n].key = "boundaries";
    snprintf(m[n++].value, sizeof m->value, "%s",
             rep->boundaries_text[p->lang]);
  }
  for (size_t i = 0; i < rep->ninputs; i++) {
    const ReportInput *in = &rep->inputs[i];
    m[n].key = "inputs";
    /* TRANSLATORS: an input file: its role, path, size and digest */
    snprintf(m[n++].value, sizeof m->value,
             T_(tag(p), "%s: %s (%llu bytes)\nSHA-256 %s"), in->role,
             in->path, (unsigned long long)in->bytes, in->sha256);
  }
  return n;
}

/* The closing block: the provenance and the note that hicov generated the
 * report.  It starts a new page when it does not fit on this one but
 * would on a page of its own, so that no page holds the closing note
 * alone; a longer one runs over, its last line kept with the note. */
static void provenance_section(Pdf *p)
{
  MetaLine *m = hicov_malloc((4 + p->rep->ninputs) * sizeof *m);
  if (!m) {
    p->nomem = 1;
    return;
  }
  size_t n = meta_lines(p, m);
  char h[200];
  snprintf(h, sizeof h, "IV. %s", T(p, "provenance_caps"));
  const char *closing = T(p, "generated_by");
  double note_h = text_height(p, closing, SMALL, ITALIC, CW) + 4;
  double block = 8 + text_height(p, h, BODY, BOLD, CW) + 6 + note_h;
  for (size_t i = 0; i < n; i++)
    block += meta_line_height(p, &m[i]);
  if (p->y + block > PAGE_H - MB && block <= PAGE_H - MT - MB)
    new_page(p);
  heading(p, h);
  for (size_t i = 0; i < n; i++) {
    if (i + 1 == n)
      need(p, meta_line_height(p, &m[i]) + note_h);
    meta_line(p, &m[i]);
  }
  note(p, closing);
  hicov_free(m);
}

static void render(Pdf *p)
{
  p->page = 1;
  p->y = MT;
  title_page(p);
  new_page(p);
  char h[300];
  snprintf(h, sizeof h, "I. %s", T(p, "results"));
  heading(p, h);
  int table_no = 0;
  for (size_t t = 0; t < p->rep->ntargets; t++)
    target_section(p, t, &table_no);
  snprintf(h, sizeof h, "II. %s", T(p, "details"));
  heading(p, h);
  for (size_t i = 0; i < p->rep->ntables; i++)
    draw_table(p, &p->rep->tables[i], ++table_no);
  if (p->rep->has_synthetic)
    note(p, T(p, "synthetic_note"));
  findings_section(p);
  provenance_section(p);
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

/* The PDF's own dates: the report's time, so that one report always gives
 * the same bytes ("2026-12-07T06:22:00Z"). */
static void set_metadata(cairo_surface_t *s, const HicovReport *rep)
{
  char title[600], when[32];
  char *summary = report_summary_title(rep, rep->lang);
  snprintf(title, sizeof title, "%s – %s", report_text("doc_type", rep->lang),
           summary ? summary : hicov_resolution_number(rep->res));
  hicov_free(summary);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                 rep->issuer.agency ? rep->issuer.agency
                                                    : "hicov");
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT,
                                 hicov_resolution_number(rep->res));
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hicov");
  report_format_time(rep->generated, when, sizeof when);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, when);
}

static int draw_pdf(HicovReport *rep, Sink *sink, int *pages)
{
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
      sink_write, sink, PAGE_W, PAGE_H);
  set_metadata(s, rep);
  cairo_t *cr = cairo_create(s);
  Pdf p = { cr, rep, rep->lang, 1, *pages, MT, 0, 0 };
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

int hicov_report_pdf_buffer(HicovReport *rep, char **buf, size_t *len)
{
  if (!rep || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  if (len)
    *len = 0;
  int pages = 0;
  int rc = draw_pdf(rep, NULL, &pages); /* count the pages */
  Sink sink = { 0 };
  if (rc == HICOV_OK)
    rc = draw_pdf(rep, &sink, &pages);
  if (rc != HICOV_OK) {
    hicov_free(sink.data);
    return rc;
  }
  *buf = sink.data;
  if (len)
    *len = sink.len;
  return HICOV_OK;
}

int hicov_report_pdf(HicovReport *rep, const char *path)
{
  if (!rep || !path)
    return HICOV_INVALID;
  char *buf = NULL;
  size_t len = 0;
  int rc = hicov_report_pdf_buffer(rep, &buf, &len);
  if (rc == HICOV_OK)
    rc = report_write_atomic(path, buf, len, rep->errmsg,
                             sizeof rep->errmsg);
  hicov_free(buf);
  return rc;
}
