/* report-doc.c - the body of the report as an administrative document
 * (Nghị định 30/2020/NĐ-CP), shared by its ODT and DOCX forms:
 *
 *   I.   results, target by target: the resolution's words, the subject's
 *        figure and verdict, the generated statements, the charts;
 *   II.  shortcomings: the targets not met or at risk, the data's gaps;
 *   III. causes, objective and subjective;
 *   IV.  tasks and solutions: what each target still takes;
 *   V.   recommendations;
 *   then (after the signature) an appendix with a table of every unit of
 *   each target over units, the report's tables, notes on synthetic and
 *   estimated figures and the provenance.
 *
 * Every section the agency must write itself has a marked place
 * ("[Phần cơ quan báo cáo viết: ...]"), highlighted in the documents.
 * Also the deterministic zip the packages are made of. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "report-doc-private.h"

#define UNIT_STATEMENTS 10

const char *doc_text(const Doc *d, const char *key)
{
  return report_text(key, d->lang);
}

static const char *tag(const Doc *d)
{
  return d->lang == LANG_VI ? "vi" : "en";
}

void doc_place_date(const Doc *d, char *buf, size_t size)
{
  const HicovReport *rep = d->rep;
  report_format_place_date(rep->generated,
                           rep->issuer.place ? rep->issuer.place
                                             : rep->subject_name,
                           d->lang, buf, size);
}

/* ---- Styles ------------------------------------------------------------- */

/* Body 13 pt, justified, first line indented 1 cm, 6 pt after; the header
 * 12.5-13 pt; recipients 11-12 pt (Nghị định 30/2020, Phụ lục I).  A
 * "rule" is an empty paragraph whose top border, between wide margins,
 * draws the short line under the agency (a third of it), the motto (as
 * long as the motto: 56 mm of a 99 mm column) and the summary. */
const DocStyle doc_styles[] = {
  { "hicov-body", "hicov: body", 13, 0, 0, 0, "justify", 1.0, 0, 6, NULL, 0,
    NULL },
  { "hicov-strong", "hicov: strong", 13, 1, 0, 0, "justify", 1.0, 0, 6, NULL,
    0, NULL },
  { "hicov-quote", "hicov: quote", 13, 0, 1, 0, "justify", 1.0, 0, 6, NULL, 0,
    NULL },
  { "hicov-bullet", "hicov: bullet", 13, 0, 0, 0, "justify", 1.0, 0, 3, NULL,
    0, NULL },
  { "hicov-writer", "hicov: writer's text", 13, 0, 1, 0, "justify", 1.0, 0, 6,
    NULL, 0, "#ffff00" },
  { "hicov-note", "hicov: note", 11, 0, 1, 0, "justify", 0, 0, 3, NULL, 0,
    NULL },
  { "hicov-caption", "hicov: caption", 12, 1, 0, 0, "center", 0, 0, 6, NULL,
    0, NULL },
  { "hicov-heading-1", "hicov: heading 1", 13, 1, 0, 0, "justify", 1.0, 0, 6,
    NULL, 0, NULL },
  { "hicov-heading-2", "hicov: heading 2", 13, 1, 0, 0, "justify", 1.0, 0, 6,
    NULL, 0, NULL },
  { "hicov-figure", "hicov: figure", 13, 0, 0, 0, "center", 0, 0, 3, NULL, 0,
    NULL },
  { "hicov-cell", "hicov: cell", 11, 0, 0, 0, "start", 0, 0, 0, NULL, 0,
    NULL },
  { "hicov-cell-num", "hicov: cell number", 11, 0, 0, 0, "end", 0, 0, 0, NULL,
    0, NULL },
  { "hicov-cell-head", "hicov: cell heading", 11, 1, 0, 0, "center", 0, 0, 0,
    NULL, 0, NULL },
  { "hicov-parent", "hicov: parent agency", 12.5, 0, 0, 1, "center", 0, 0, 0,
    NULL, 0, NULL },
  { "hicov-agency", "hicov: agency", 12.5, 1, 0, 1, "center", 0, 0, 0, NULL,
    0, NULL },
  { "hicov-agency-rule", "hicov: agency rule", 4, 0, 0, 0, "center", 0, 2.3,
    6, "0.5pt solid #000000", 0, NULL },
  { "hicov-number", "hicov: number", 13, 0, 0, 0, "center", 0, 0, 0, NULL, 0,
    NULL },
  { "hicov-motto-country", "hicov: national name", 12, 1, 0, 1, "center",
    0, 0, 0, NULL, 0, NULL },
  { "hicov-motto", "hicov: motto", 13, 1, 0, 0, "center", 0, 0, 0, NULL, 0,
    NULL },
  { "hicov-motto-rule", "hicov: motto rule", 4, 0, 0, 0, "center", 0, 2.1, 6,
    "0.5pt solid #000000", 0, NULL },
  { "hicov-date", "hicov: place, date", 13, 0, 1, 0, "center", 0, 0, 0,
    NULL, 0, NULL },
  { "hicov-doc-type", "hicov: document type", 14, 1, 0, 0, "center", 0, 0, 0,
    NULL, 0, NULL },
  { "hicov-summary", "hicov: summary", 13, 1, 0, 0, "center", 0, 0, 0, NULL,
    0, NULL },
  { "hicov-summary-rule", "hicov: summary rule", 4, 0, 0, 0, "center", 0,
    6.5, 12, "0.5pt solid #000000", 0, NULL },
  { "hicov-recipients-head", "hicov: recipients heading", 12, 1, 1, 0,
    "start", 0, 0, 0, NULL, 0, NULL },
  { "hicov-recipient", "hicov: recipient", 11, 0, 0, 0, "start", 0, 0, 0,
    NULL, 0, NULL },
  { "hicov-signer", "hicov: signer", 13, 1, 0, 1, "center", 0, 0, 0, NULL, 0,
    NULL },
  { "hicov-signer-name", "hicov: signer's name", 13, 1, 0, 0, "center", 0, 0,
    0, NULL, 0, NULL },
  { "hicov-signature", "hicov: signature space", 13, 0, 1, 0, "center", 0, 0,
    48, NULL, 0, NULL },
  { "hicov-appendix", "hicov: appendix", 13, 1, 0, 0, "center", 0, 0, 12,
    NULL, 1, NULL },
  { "hicov-page-number", "hicov: page number", 13, 0, 0, 0, "center", 0, 0,
    0, NULL, 0, NULL },
};
const size_t doc_nstyles = sizeof doc_styles / sizeof *doc_styles;

/* ---- Blocks ------------------------------------------------------------- */

static void add(Doc *d, int kind, const char *text, size_t ref)
{
  if (d->nomem)
    return;
  if (hicov_grow((void **)&d->blocks, &d->cap, d->n + 1, sizeof *d->blocks)) {
    d->nomem = 1;
    return;
  }
  DocBlock *b = &d->blocks[d->n];
  b->kind = kind;
  b->ref = ref;
  b->text = text ? hicov_strdup(text) : NULL;
  if (text && !b->text) {
    d->nomem = 1;
    return;
  }
  d->n++;
}

static void addf(Doc *d, int kind, const char *fmt, ...) HICOV_PRINTF(3, 4);
static void addf(Doc *d, int kind, const char *fmt, ...)
{
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(buf, sizeof buf, fmt, ap) >= (int)sizeof buf)
    hicov_utf8_trim(buf);
  va_end(ap);
  add(d, kind, buf, 0);
}

/* "[Phần cơ quan báo cáo viết: <what>]" */
static void placeholder(Doc *d, const char *what)
{
  addf(d, DOC_PLACEHOLDER, "%s%s]", doc_text(d, "writer"), what);
}

/* ---- Tables ------------------------------------------------------------- */

static DocTable *new_table(Doc *d, size_t ncols, size_t nrows)
{
  DocTable *grown = hicov_realloc(d->tables,
                                  (d->ntables + 1) * sizeof *grown);
  if (!grown) {
    d->nomem = 1;
    return NULL;
  }
  d->tables = grown;
  DocTable *t = &d->tables[d->ntables];
  memset(t, 0, sizeof *t);
  t->head = hicov_calloc(ncols, sizeof *t->head);
  t->right = hicov_calloc(ncols, sizeof *t->right);
  t->width = hicov_calloc(ncols, sizeof *t->width);
  t->cells = hicov_calloc(ncols * (nrows ? nrows : 1), sizeof *t->cells);
  t->bold = hicov_calloc(nrows ? nrows : 1, sizeof *t->bold);
  d->ntables++;
  t->ncols = ncols;
  if (!t->head || !t->right || !t->width || !t->cells || !t->bold) {
    d->nomem = 1;
    return NULL;
  }
  return t;
}

static void set_cell(Doc *d, char **slot, const char *text)
{
  if (!(*slot = hicov_strdup(text ? text : "")))
    d->nomem = 1;
}

/* Every unit of target t: value, gap, verdict. */
static void units_table(Doc *d, size_t t)
{
  const HicovReport *rep = d->rep;
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  DocTable *tb = new_table(d, 5, s->count);
  if (!tb)
    return;
  static const char *const heads[] = { "no", "unit", "latest", "gap",
                                       "status" };
  /* the gap with its unit ("2,5 điểm %") on one line */
  static const double widths[] = { 0.07, 0.28, 0.28, 0.15, 0.22 };
  for (size_t c = 0; c < 5; c++) {
    set_cell(d, &tb->head[c], doc_text(d, heads[c]));
    tb->width[c] = widths[c];
    tb->right[c] = c == 0 || c == 2 || c == 3;
  }
  for (size_t k = 0; k < s->count && !d->nomem; k++, tb->nrows++) {
    size_t i = s->first + k;
    const HicovAssessment *a = &rep->assess[i];
    char **row = &tb->cells[k * 5], buf[160], v[96];
    snprintf(buf, sizeof buf, "%zu", k + 1);
    set_cell(d, &row[0], buf);
    snprintf(buf, sizeof buf, "%s%s", rep->items[i].unit_name,
             rep->items[i].synthetic ? "*" : "");
    set_cell(d, &row[1], buf);
    double shown = tg->kind == HICOV_TARGET_KIND_GROWTH ? a->measure_value
                                                        : a->latest_value;
    if (!isfinite(shown))
      snprintf(buf, sizeof buf, "–");
    else {
      if (tg->kind == HICOV_TARGET_KIND_GROWTH)
        hicov_format_percent(shown, 2, tag(d), v, sizeof v);
      else
        report_format_value(info, shown, d->lang, v, sizeof v);
      snprintf(buf, sizeof buf, rep->items[i].latest_estimated
                                    ? T_(tag(d), "%s (%d, est.)")
                                    : "%s (%d)", v, a->latest_year);
    }
    set_cell(d, &row[2], buf);
    report_table_gap(info, tg->kind, a->gap, 1, d->lang, buf, sizeof buf);
    set_cell(d, &row[3], buf);
    set_cell(d, &row[4], report_item_status_label(rep, i, d->lang));
  }
}

/* One of the report's tables (coverage and spending by unit, by year). */
static void report_table(Doc *d, const ReportTable *t)
{
  DocTable *tb = new_table(d, t->ncols + 1, t->nrows);
  if (!tb)
    return;
  set_cell(d, &tb->head[0], doc_text(d, t->by_year ? "year" : "unit"));
  tb->width[0] = t->ncols > 4 ? 0.25 : 0.34;
  int billions[REPORT_MAX_COLS] = { 0 };
  for (size_t c = 0; c < t->ncols && c < REPORT_MAX_COLS; c++) {
    char head[300];
    billions[c] = report_table_billions(t, c);
    report_table_head(t->cols[c].info, billions[c], d->lang, head,
                      sizeof head);
    set_cell(d, &tb->head[c + 1], head);
    tb->width[c + 1] = (1 - tb->width[0]) / (double)t->ncols;
    tb->right[c + 1] = 1;
  }
  for (size_t r = 0; r < t->nrows && !d->nomem; r++, tb->nrows++) {
    const ReportRow *row = &t->rows[r];
    char **cells = &tb->cells[r * tb->ncols], buf[300];
    if (row->is_total && !t->by_year)
      snprintf(buf, sizeof buf, "%s (%s)", row->label, doc_text(d, "total"));
    else
      snprintf(buf, sizeof buf, "%s%s", row->label, row->synthetic ? "*" : "");
    set_cell(d, &cells[0], buf);
    tb->bold[r] = row->is_total;
    for (size_t c = 0; c < t->ncols && c < REPORT_MAX_COLS; c++) {
      double v = row->values[c];
      report_table_cell(t->cols[c].info, v, billions[c], d->lang, buf,
                        sizeof buf - 4);
      if (isfinite(v) && row->estimate[c]) /* apportioned: see the note */
        strcat(buf, "*");
      set_cell(d, &cells[c + 1], buf);
    }
  }
}

/* 1 if a cell of t rests on a crosswalk share. */
static int table_has_estimate(const ReportTable *t)
{
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++)
      if (isfinite(t->rows[r].values[c]) && t->rows[r].estimate[c])
        return 1;
  return 0;
}

/* ---- Sections ----------------------------------------------------------- */

static void figures_of(Doc *d, size_t t, int *figure_no)
{
  const HicovReport *rep = d->rep;
  for (size_t f = 0; f < rep->nfigures; f++)
    if (rep->figures[f].target == t) {
      add(d, DOC_FIGURE, NULL, f);
      addf(d, DOC_CAPTION, T_(tag(d), "Figure %d"), ++*figure_no);
    }
}

static void target_results(Doc *d, size_t t, int *figure_no, int *table_no)
{
  const HicovReport *rep = d->rep;
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  addf(d, DOC_HEADING2, "%zu. %s", t + 1, s->text[d->lang]);
  if (tg->label && *tg->label)
    addf(d, DOC_QUOTE, "“%s”", tg->label);
  add(d, DOC_STRONG, s->headline[d->lang], 0);
  if (tg->level < 0) {
    for (size_t k = 0; k < s->count; k++)
      add(d, DOC_BODY, rep->items[s->first + k].text[d->lang], 0);
  } else {
    if (s->summary[d->lang])
      add(d, DOC_BODY, s->summary[d->lang], 0);
    if (s->has_equity)
      add(d, DOC_BODY, s->equity_text[d->lang], 0);
    size_t shown = 0;
    for (size_t k = 0; k < s->count && shown < UNIT_STATEMENTS; k++) {
      int st = rep->assess[s->first + k].status;
      if (st != HICOV_TARGET_ACHIEVED && st != HICOV_TARGET_ON_TRACK) {
        add(d, DOC_BODY, rep->items[s->first + k].text[d->lang], 0);
        shown++;
      }
    }
    addf(d, DOC_NOTE, T_(tag(d), "Statements on %zu of the %zu %s are given "
                         "here (those not yet on track, at most %d); table "
                         "%d of the appendix lists every one with its figure "
                         "and verdict, and the XML and HTML reports give the "
                         "statement on each."), shown, s->count,
         hicov_level_plural(tg->level, tag(d)), UNIT_STATEMENTS,
         ++*table_no);
  }
  figures_of(d, t, figure_no);
}

static void results(Doc *d)
{
  const HicovReport *rep = d->rep;
  addf(d, DOC_HEADING1, "I. %s", doc_text(d, "results"));
  placeholder(d, T_(tag(d), "the main activities carried out to meet the "
                    "targets."));
  if (rep->nfigures == 0)
    add(d, DOC_NOTE, T_(tag(d), "The charts were not drawn for this copy "
                        "(hicov_report_draw_figures, or the hicov report "
                        "command, draws them)."), 0);
  int figure_no = 0, table_no = 0;
  for (size_t t = 0; t < rep->ntargets; t++)
    target_results(d, t, &figure_no, &table_no);
}

static void shortcomings(Doc *d)
{
  const HicovReport *rep = d->rep;
  addf(d, DOC_HEADING1, "II. %s", doc_text(d, "shortcomings"));
  size_t listed = 0;
  for (size_t t = 0; t < rep->ntargets; t++) {
    const ReportTargetSummary *s = &rep->targets[t];
    int st = s->verdict.status;
    if (st == HICOV_TARGET_ACHIEVED || st == HICOV_TARGET_ON_TRACK)
      continue;
    addf(d, DOC_BULLET, "- %s: %s", s->text[d->lang],
         s->headline[d->lang]);
    listed++;
  }
  if (!listed)
    add(d, DOC_BODY, T_(tag(d), "Every target is achieved or on track."), 0);
  if (rep->ngroups) {
    add(d, DOC_BODY, T_(tag(d), "The data-quality checks found gaps to "
                        "look into:"), 0);
    for (size_t i = 0; i < rep->ngroups; i++)
      addf(d, DOC_BULLET, "- %s", rep->groups[i].text[d->lang]);
  }
  placeholder(d, T_(tag(d), "other shortcomings and limitations in "
                    "carrying out the resolution."));
}

static void causes_tasks(Doc *d)
{
  const HicovReport *rep = d->rep;
  addf(d, DOC_HEADING1, "III. %s", doc_text(d, "causes"));
  addf(d, DOC_HEADING2, "1. %s", doc_text(d, "causes_objective"));
  placeholder(d, T_(tag(d), "the objective causes of the shortcomings."));
  addf(d, DOC_HEADING2, "2. %s", doc_text(d, "causes_subjective"));
  placeholder(d, T_(tag(d), "the subjective causes, in the work of the "
                    "agencies concerned."));
  addf(d, DOC_HEADING1, "IV. %s", doc_text(d, "tasks"));
  for (size_t t = 0; t < rep->ntargets && !d->nomem; t++) {
    char *task = NULL;
    if (report_target_task(rep, t, d->lang, &task) != HICOV_OK)
      d->nomem = 1;
    else if (task)
      addf(d, DOC_BULLET, "- %s", task);
    hicov_free(task);
  }
  placeholder(d, T_(tag(d), "the tasks and solutions for the time ahead."));
  addf(d, DOC_HEADING1, "V. %s", doc_text(d, "recommendations"));
  placeholder(d, T_(tag(d), "the recommendations and proposals to the "
                    "bodies that passed the resolution."));
}

static void provenance(Doc *d)
{
  const HicovReport *rep = d->rep;
  char when[32];
  report_format_time(rep->generated, when, sizeof when);
  addf(d, DOC_CAPTION, "%s", doc_text(d, "provenance"));
  addf(d, DOC_NOTE, "%s: %s. %s %s, %s.", doc_text(d, "source"),
       rep->source ? rep->source : rep->ninputs ? "" :
       doc_text(d, "builtin_demo"), doc_text(d, "version"), hicov_version(),
       when);
  for (size_t i = 0; i < rep->ninputs; i++)
    addf(d, DOC_NOTE, "%s: %s (%llu B), SHA-256 %s", rep->inputs[i].role,
         rep->inputs[i].path, (unsigned long long)rep->inputs[i].bytes,
         rep->inputs[i].sha256);
  if (rep->boundaries_text[d->lang])
    addf(d, DOC_NOTE, "%s: %s", doc_text(d, "boundaries"),
         rep->boundaries_text[d->lang]);
  add(d, DOC_NOTE, doc_text(d, "generated_by"), 0);
}

static void appendix(Doc *d)
{
  const HicovReport *rep = d->rep;
  add(d, DOC_APPENDIX, doc_text(d, "appendix"), 0);
  int table_no = 0;
  for (size_t t = 0; t < rep->ntargets; t++) {
    const HicovTarget *tg = hicov_resolution_target(rep->res, t);
    if (tg->level < 0)
      continue;
    addf(d, DOC_CAPTION, T_(tag(d), "Table %d: %s, by %s"), ++table_no,
         rep->targets[t].text[d->lang], hicov_level_word(tg->level, tag(d)));
    units_table(d, t);
    add(d, DOC_TABLE, NULL, d->ntables - 1);
  }
  for (size_t i = 0; i < rep->ntables; i++) {
    const ReportTable *t = &rep->tables[i];
    if (t->ncols == 0 || t->nrows == 0)
      continue;
    char period[16] = "";
    if (!t->by_year)
      hicov_period_format(t->period, period, sizeof period);
    addf(d, DOC_CAPTION, "%s %d: %s – %s", T_(tag(d), "Table"), ++table_no,
         doc_text(d, t->id), t->by_year ? rep->subject_name : period);
    report_table(d, t);
    add(d, DOC_TABLE, NULL, d->ntables - 1);
    if (table_has_estimate(t))
      add(d, DOC_NOTE, doc_text(d, "crosswalk_note"), 0);
  }
  if (rep->has_synthetic)
    add(d, DOC_NOTE, doc_text(d, "synthetic_note"), 0);
  add(d, DOC_NOTE, doc_text(d, "estimate_note"), 0);
  provenance(d);
}

int doc_build(Doc *d, const HicovReport *rep)
{
  memset(d, 0, sizeof *d);
  d->rep = rep;
  d->lang = rep->lang;
  results(d);
  shortcomings(d);
  causes_tasks(d);
  appendix(d);
  return d->nomem ? HICOV_NOMEM : HICOV_OK;
}

void doc_free(Doc *d)
{
  for (size_t i = 0; i < d->n; i++)
    hicov_free(d->blocks[i].text);
  hicov_free(d->blocks);
  for (size_t i = 0; i < d->ntables; i++) {
    DocTable *t = &d->tables[i];
    for (size_t c = 0; t->head && c < t->ncols; c++)
      hicov_free(t->head[c]);
    for (size_t k = 0; t->cells && k < t->ncols * t->nrows; k++)
      hicov_free(t->cells[k]);
    hicov_free(t->head);
    hicov_free(t->right);
    hicov_free(t->width);
    hicov_free(t->cells);
    hicov_free(t->bold);
  }
  hicov_free(d->tables);
  memset(d, 0, sizeof *d);
}

/* ---- Packages ----------------------------------------------------------- */

int doc_write_part(DocPartFn fn, const Doc *d, xmlBufferPtr *buf)
{
  *buf = xmlBufferCreate();
  xmlTextWriterPtr w = *buf ? xmlNewTextWriterMemory(*buf, 0) : NULL;
  int bad = !w || fn(w, d) < 0;
  if (w)
    xmlFreeTextWriter(w); /* flushes into the buffer */
  return bad ? -1 : 0;
}

/* libzip stores a local time (DOS dates have no zone): the time that makes
 * it the report's time in Viet Nam, whatever the machine's zone. */
static time_t zip_time(int64_t when)
{
  time_t t = (time_t)(when + 7 * 3600);
  struct tm local;
  if (!localtime_r(&t, &local))
    return t;
  return t - local.tm_gmtoff;
}

static int zip_read_back(zip_source_t *src, char **out, size_t *len)
{
  zip_stat_t st;
  if (zip_source_open(src) != 0)
    return HICOV_NOMEM;
  int rc = HICOV_OK;
  if (zip_source_stat(src, &st) != 0) {
    rc = HICOV_NOMEM;
  } else {
    *len = (size_t)st.size;
    *out = hicov_malloc(*len + 1);
    if (!*out || zip_source_read(src, *out, st.size) != (zip_int64_t)st.size)
      rc = HICOV_NOMEM;
  }
  zip_source_close(src);
  return rc;
}

int doc_zip(const DocPart *parts, size_t n, int64_t when, char **out,
            size_t *len)
{
  *out = NULL;
  *len = 0;
  zip_error_t ze;
  zip_error_init(&ze);
  int rc = HICOV_OK;
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = NULL;
  if (!src)
    rc = HICOV_NOMEM;
  if (!rc) {
    zip_source_keep(src);
    if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
      rc = HICOV_NOMEM;
  }
  time_t mtime = zip_time(when);
  for (size_t i = 0; i < n && !rc; i++) {
    zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
    zip_int64_t idx = s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8)
                        : -1;
    if (idx < 0) {
      zip_source_free(s);
      rc = HICOV_NOMEM;
      break;
    }
    /* deflate at one fixed level: zlib gives the same bytes for it */
    if (zip_set_file_compression(za, (zip_uint64_t)idx,
                                 parts[i].store ? ZIP_CM_STORE
                                                : ZIP_CM_DEFLATE,
                                 parts[i].store ? 0 : 6) != 0 ||
        zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) != 0)
      rc = HICOV_ERROR;
  }
  if (za) {
    if (rc)
      zip_discard(za);
    else if (zip_close(za) != 0) {
      zip_discard(za);
      rc = HICOV_NOMEM;
    }
  }
  if (!rc)
    rc = zip_read_back(src, out, len);
  if (rc) {
    hicov_free(*out);
    *out = NULL;
    *len = 0;
  }
  if (src)
    zip_source_free(src);
  zip_error_fini(&ze);
  return rc;
}

/* ---- The public entry points -------------------------------------------- */

static int document(HicovReport *rep, int docx, char **buf, size_t *len)
{
  if (!rep || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  size_t n = 0;
  Doc d;
  xmlInitParser();
  int rc = doc_build(&d, rep);
  if (rc == HICOV_OK)
    rc = docx ? doc_docx(&d, buf, &n) : doc_odt(&d, buf, &n);
  doc_free(&d);
  if (rc != HICOV_OK)
    report_set_error(rep, T_(rep->msg_lang, "writing the %s document failed: "
                             "%s"), docx ? "DOCX" : "ODT",
                     hicov_text(rep->msg_lang, hicov_status_string(rc)));
  if (len)
    *len = rc == HICOV_OK ? n : 0;
  return rc;
}

int hicov_report_odt(HicovReport *rep, char **buf, size_t *len)
{
  return document(rep, 0, buf, len);
}

int hicov_report_docx(HicovReport *rep, char **buf, size_t *len)
{
  return document(rep, 1, buf, len);
}

static int save(HicovReport *rep, const char *path, int docx)
{
  if (!rep || !path)
    return HICOV_INVALID;
  char *buf;
  size_t len;
  int rc = document(rep, docx, &buf, &len);
  if (rc == HICOV_OK)
    rc = report_write_atomic(path, buf, len, rep->errmsg, sizeof rep->errmsg);
  hicov_free(buf);
  return rc;
}

int hicov_report_save_odt(HicovReport *rep, const char *path)
{
  return save(rep, path, 0);
}

int hicov_report_save_docx(HicovReport *rep, const char *path)
{
  return save(rep, path, 1);
}
