/* report-xml.c - the report as XML (reports/report.xsd) and HTML.
 *
 * The XML is written with a text writer into a memory buffer, one helper
 * per subtree, each returning -1 on failure so the nesting of the document
 * reads straight off the code and nothing is left allocated on an error
 * path.  What we write is parsed back and validated against the built-in
 * schema before anyone sees it; saving is atomic (report-atomic.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "report-private.h"
#include "xml-private.h"

#define REPORT_NS "urn:hicov:report:1"

#define W(call) do { if ((call) < 0) return -1; } while (0)

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
  return xmlTextWriterWriteAttribute(w, BAD_CAST name,
                                     BAD_CAST(value ? value : ""));
}

static int attr_int(xmlTextWriterPtr w, const char *name, long long v)
{
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%lld", v);
}

static int attr_double(xmlTextWriterPtr w, const char *name, double v)
{
  char num[400];
  report_format_double(v, num, sizeof num);
  return attr(w, name, num);
}

static int elem_double(xmlTextWriterPtr w, const char *name, double v)
{
  if (!isfinite(v))
    return 0;
  char num[400];
  report_format_double(v, num, sizeof num);
  return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST num);
}

static int statement(xmlTextWriterPtr w, const char *lang, const char *text)
{
  W(xmlTextWriterStartElement(w, BAD_CAST "statement"));
  W(attr(w, "lang", lang));
  W(xmlTextWriterWriteString(w, BAD_CAST(text ? text : "")));
  W(xmlTextWriterEndElement(w));
  return 0;
}

/* <name lang="vi">..</name><name lang="en">..</name> */
static int lang_element(xmlTextWriterPtr w, const char *name,
                        char *const text[2])
{
  static const char *const tags[2] = { "vi", "en" };
  for (int l = 0; l < 2; l++) {
    W(xmlTextWriterStartElement(w, BAD_CAST name));
    W(attr(w, "lang", tags[l]));
    W(xmlTextWriterWriteString(w, BAD_CAST(text[l] ? text[l] : "")));
    W(xmlTextWriterEndElement(w));
  }
  return 0;
}

static int year_value_est(xmlTextWriterPtr w, const char *name, int year,
                          double v, int estimated)
{
  if (year <= 0 || !isfinite(v))
    return 0;
  W(xmlTextWriterStartElement(w, BAD_CAST name));
  W(attr_int(w, "year", year));
  W(attr_double(w, "value", v));
  if (estimated)
    W(attr(w, "estimated", "true"));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int year_value(xmlTextWriterPtr w, const char *name, int year,
                      double v)
{
  return year_value_est(w, name, year, v, 0);
}

static int write_resolution(xmlTextWriterPtr w, const HicovReport *rep)
{
  const HicovResolution *res = rep->res;
  int start, end;
  hicov_resolution_term(res, &start, &end);
  W(xmlTextWriterStartElement(w, BAD_CAST "resolution"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "body",
                              BAD_CAST hicov_resolution_body(res)));
  W(xmlTextWriterWriteElement(w, BAD_CAST "number",
                              BAD_CAST hicov_resolution_number(res)));
  const char *title = hicov_resolution_title(res);
  if (title && *title)
    W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title));
  W(xmlTextWriterStartElement(w, BAD_CAST "term"));
  W(attr_int(w, "start", start));
  W(attr_int(w, "end", end));
  W(xmlTextWriterEndElement(w));
  for (size_t i = 0; i < hicov_resolution_target_count(res); i++) {
    const HicovTarget *t = hicov_resolution_target(res, i);
    const HicovIndicatorInfo *info = hicov_indicator_find(t->indicator);
    W(xmlTextWriterStartElement(w, BAD_CAST "target"));
    W(attr_int(w, "index", (long long)i + 1));
    W(attr(w, "indicator", t->indicator));
    W(attr(w, "indicator-label", report_indicator_label(info, rep->lang)));
    W(attr(w, "indicator-unit", info ? info->unit : ""));
    W(attr(w, "unit", t->unit));
    if (t->level >= 0)
      W(attr(w, "level", hicov_level_name(t->level)));
    W(attr(w, "kind", t->kind == HICOV_TARGET_KIND_CHANGE ? "change" :
                      t->kind == HICOV_TARGET_KIND_GROWTH ? "growth" :
                                                            "level"));
    W(attr(w, "comparison",
           t->comparison == HICOV_CMP_AT_MOST ? "at-most" : "at-least"));
    W(attr_double(w, "threshold", t->threshold));
    W(attr_int(w, "deadline", t->deadline_year));
    if (t->baseline_year > 0)
      W(attr_int(w, "baseline", t->baseline_year));
    if (t->level >= 0 && t->units_share > 0)
      W(attr_double(w, "units-share", t->units_share));
    if (t->label && *t->label)
      W(xmlTextWriterWriteElement(w, BAD_CAST "label", BAD_CAST t->label));
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_fit(xmlTextWriterPtr w, const HicovAssessment *a)
{
  if (a->fit_n < 1 || !a->fit_method || !isfinite(a->fit_slope) ||
      !isfinite(a->fit_intercept))
    return 0;
  W(xmlTextWriterStartElement(w, BAD_CAST "fit"));
  W(attr(w, "method", a->fit_method));
  W(attr_double(w, "slope", a->fit_slope));
  W(attr_double(w, "intercept", a->fit_intercept));
  W(attr_int(w, "origin", a->fit_origin));
  if (a->fit_estimate)
    W(attr(w, "estimated", "true"));
  int n = a->fit_n < HICOV_FIT_MAX ? a->fit_n : HICOV_FIT_MAX;
  for (int k = 0; k < n; k++)
    W(year_value(w, "point", a->fit_years[k], a->fit_values[k]));
  W(xmlTextWriterEndElement(w));
  return 0;
}

/* The assessment's figures (shared by a unit's assessment and the
 * subject's figure on a target over units). */
static int write_figures(xmlTextWriterPtr w, const HicovAssessment *a,
                         int estimated)
{
  W(year_value_est(w, "baseline", a->baseline_year, a->baseline_value,
                   a->baseline_estimate));
  if (a->wanted_year > 0) {
    W(xmlTextWriterStartElement(w, BAD_CAST "fallback"));
    W(attr_int(w, "wanted", a->wanted_year));
    W(attr_int(w, "used", a->latest_year));
    W(xmlTextWriterWriteString(w, BAD_CAST a->fallback_reason));
    W(xmlTextWriterEndElement(w));
  }
  if (a->latest_year > 0 && isfinite(a->latest_value)) {
    W(xmlTextWriterStartElement(w, BAD_CAST "latest"));
    W(attr_int(w, "year", a->latest_year));
    W(attr_double(w, "value", a->latest_value));
    if (estimated)
      W(attr(w, "estimated", "true"));
    W(xmlTextWriterEndElement(w));
  }
  if (a->kind != HICOV_TARGET_KIND_LEVEL)
    W(elem_double(w, "measure", a->measure_value));
  return 0;
}

static int write_assessment(xmlTextWriterPtr w, const HicovReport *rep,
                            size_t i)
{
  const HicovAssessment *a = &rep->assess[i];
  W(xmlTextWriterStartElement(w, BAD_CAST "assessment"));
  W(attr(w, "unit", a->unit));
  W(attr(w, "unit-name", rep->items[i].unit_name));
  if (rep->items[i].synthetic)
    W(attr(w, "synthetic", "true"));
  W(attr(w, "status", report_status_token(a->status)));
  W(attr(w, "status-label", report_item_status_label(rep, i, rep->lang)));
  if (a->estimated && (a->status == HICOV_TARGET_ACHIEVED ||
                       a->status == HICOV_TARGET_NOT_ACHIEVED))
    W(attr(w, "estimated", "true"));
  if (a->achieved_year > 0)
    W(attr_int(w, "achieved-year", a->achieved_year));
  W(attr_double(w, "threshold", a->threshold));
  W(attr_int(w, "deadline", a->deadline_year));
  W(write_figures(w, a, rep->items[i].latest_estimated));
  W(elem_double(w, "gap", a->gap));
  W(elem_double(w, "participants-needed", a->participants_needed));
  W(elem_double(w, "required-annual-change", a->required_annual_change));
  W(elem_double(w, "required-annual-growth", a->required_annual_growth));
  if (a->kind != HICOV_TARGET_KIND_LEVEL)
    W(elem_double(w, "deadline-level", a->deadline_level));
  if (isfinite(a->projected_value)) {
    W(xmlTextWriterStartElement(w, BAD_CAST "projection"));
    W(attr_int(w, "year", a->deadline_year));
    W(attr_double(w, "value", a->projected_value));
    if (isfinite(a->projected_year))
      W(attr_double(w, "reached", a->projected_year));
    if (a->kind != HICOV_TARGET_KIND_LEVEL && isfinite(a->projected_measure))
      W(attr_double(w, "measure", a->projected_measure));
    if (a->break_year > 0)
      W(attr_int(w, "breaks", a->break_year));
    W(xmlTextWriterEndElement(w));
  }
  W(write_fit(w, a));
  if (a->reason[0])
    W(xmlTextWriterWriteElement(w, BAD_CAST "reason", BAD_CAST a->reason));
  W(statement(w, "vi", rep->items[i].text[LANG_VI]));
  W(statement(w, "en", rep->items[i].text[LANG_EN]));
  W(xmlTextWriterEndElement(w));
  return 0;
}

/* <equity>: the target's indicator across its units (hicov_equity), the
 * measures that could be computed, and the line in each language. */
static int write_equity(xmlTextWriterPtr w, const HicovTarget *tg,
                        const ReportTargetSummary *s)
{
  const HicovEquity *e = &s->equity;
  W(xmlTextWriterStartElement(w, BAD_CAST "equity"));
  W(attr_int(w, "year", s->equity_year));
  W(attr(w, "level", hicov_level_name(tg->level)));
  W(attr_int(w, "units", (long long)e->n_units));
  W(attr_int(w, "used", (long long)e->n_used));
  W(attr_double(w, "population", e->population));
  W(attr(w, "high-unit", e->high_unit));
  W(attr(w, "low-unit", e->low_unit));
  for (int m = 0; m < HICOV_N_EQ; m++) {
    double v = hicov_equity_get(e, m);
    if (!isfinite(v))
      continue;
    W(xmlTextWriterStartElement(w, BAD_CAST "measure"));
    W(attr(w, "name", hicov_equity_measure_name(m)));
    W(attr_double(w, "value", v));
    W(xmlTextWriterEndElement(w));
  }
  W(lang_element(w, "text", s->equity_text));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_assessments(xmlTextWriterPtr w, const HicovReport *rep)
{
  W(xmlTextWriterStartElement(w, BAD_CAST "assessments"));
  for (size_t t = 0; t < rep->ntargets; t++) {
    const ReportTargetSummary *s = &rep->targets[t];
    W(xmlTextWriterStartElement(w, BAD_CAST "target"));
    W(attr_int(w, "target", (long long)t + 1));
    W(attr_int(w, "units", (long long)s->count));
    W(attr_int(w, "achieved", (long long)s->by_status[HICOV_TARGET_ACHIEVED]));
    W(attr_int(w, "on-track", (long long)s->by_status[HICOV_TARGET_ON_TRACK]));
    W(attr_int(w, "at-risk", (long long)s->by_status[HICOV_TARGET_AT_RISK]));
    W(attr_int(w, "not-achieved",
               (long long)s->by_status[HICOV_TARGET_NOT_ACHIEVED]));
    W(attr_int(w, "unknown", (long long)s->by_status[HICOV_TARGET_UNKNOWN]));
    W(attr_int(w, "needed", (long long)s->verdict.needed));
    if (s->verdict.achieved_late)
      W(attr_int(w, "achieved-late", (long long)s->verdict.achieved_late));
    W(attr(w, "status", report_status_token(s->verdict.status)));
    W(attr(w, "status-label", report_target_status_label(rep, t, rep->lang)));
    if (s->verdict.estimated)
      W(attr(w, "estimated", "true"));
    W(lang_element(w, "text", s->text));
    W(lang_element(w, "headline", s->headline));
    if (s->summary[LANG_VI]) {
      W(statement(w, "vi", s->summary[LANG_VI]));
      W(statement(w, "en", s->summary[LANG_EN]));
    }
    if (s->has_subject) {
      W(xmlTextWriterStartElement(w, BAD_CAST "subject-figure"));
      W(attr(w, "unit", s->subject.unit));
      W(attr(w, "status", report_status_token(s->subject.status)));
      W(write_figures(w, &s->subject, s->subject.estimated));
      W(xmlTextWriterEndElement(w));
    }
    if (s->has_equity)
      W(write_equity(w, hicov_resolution_target(rep->res, t), s));
    for (size_t i = 0; i < rep->nassess; i++)
      if (rep->assess[i].target_index == t)
        W(write_assessment(w, rep, i));
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_table(xmlTextWriterPtr w, const HicovReport *rep,
                       const ReportTable *t)
{
  if (t->ncols == 0 || t->nrows == 0)
    return 0;
  W(xmlTextWriterStartElement(w, BAD_CAST "table"));
  W(attr(w, "id", t->id));
  W(attr(w, "title", report_text(t->id, rep->lang)));
  if (!t->by_year) {
    char period[16];
    hicov_period_format(t->period, period, sizeof period);
    W(attr(w, "period", period));
  }
  W(attr(w, "unit", rep->subject_code));
  for (size_t c = 0; c < t->ncols; c++) {
    W(xmlTextWriterStartElement(w, BAD_CAST "column"));
    W(attr(w, "indicator", t->cols[c].info->name));
    W(attr(w, "unit", t->cols[c].info->unit));
    W(attr(w, "label", report_indicator_label(t->cols[c].info, rep->lang)));
    W(xmlTextWriterEndElement(w));
  }
  for (size_t r = 0; r < t->nrows; r++) {
    const ReportRow *row = &t->rows[r];
    W(xmlTextWriterStartElement(w, BAD_CAST "row"));
    W(attr(w, "key", row->key));
    W(attr(w, "label", row->label));
    if (row->is_total)
      W(attr(w, "total", "true"));
    if (row->synthetic)
      W(attr(w, "synthetic", "true"));
    for (size_t c = 0; c < t->ncols; c++) {
      W(xmlTextWriterStartElement(w, BAD_CAST "cell"));
      W(attr(w, "indicator", t->cols[c].info->name));
      if (isfinite(row->values[c])) {
        W(attr_double(w, "value", row->values[c]));
        if (row->estimate[c])
          W(attr(w, "estimated", "true"));
      } else
        W(attr(w, "missing", row->reasons[c] ? row->reasons[c] : ""));
      W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_tables(xmlTextWriterPtr w, const HicovReport *rep)
{
  W(xmlTextWriterStartElement(w, BAD_CAST "tables"));
  for (size_t i = 0; i < rep->ntables; i++)
    W(write_table(w, rep, &rep->tables[i]));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_findings(xmlTextWriterPtr w, const HicovReport *rep)
{
  W(xmlTextWriterStartElement(w, BAD_CAST "findings"));
  W(attr_int(w, "count", (long long)rep->nfindings));
  for (size_t i = 0; i < rep->ngroups; i++) {
    const ReportFindingGroup *g = &rep->groups[i];
    const char *kind = hicov_finding_kind_name(g->kind);
    W(xmlTextWriterStartElement(w, BAD_CAST "group"));
    W(attr(w, "kind", kind ? kind : "other"));
    W(attr(w, "label", report_finding_kind_label(g->kind, rep->lang)));
    W(attr(w, "severity", g->severity >= 2 ? "error" : "warning"));
    W(attr_int(w, "count", (long long)g->count));
    W(attr_int(w, "units", (long long)g->nunits));
    W(statement(w, "vi", g->text[LANG_VI]));
    W(statement(w, "en", g->text[LANG_EN]));
    W(xmlTextWriterEndElement(w));
  }
  for (size_t i = 0; i < rep->nfindings; i++) {
    const HicovFinding *f = &rep->findings[i];
    char period[16] = "";
    if (f->period.kind)
      hicov_period_format(f->period, period, sizeof period);
    const char *kind = hicov_finding_kind_name(f->kind);
    W(xmlTextWriterStartElement(w, BAD_CAST "finding"));
    W(attr(w, "kind", kind ? kind : "other"));
    W(attr(w, "severity", f->severity >= 2 ? "error" : "warning"));
    W(attr(w, "unit", f->unit));
    W(attr(w, "measure", f->measure));
    W(attr(w, "period", period));
    W(xmlTextWriterWriteString(w, BAD_CAST f->message));
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int opt_attr(xmlTextWriterPtr w, const char *name, const char *v)
{
  return v ? attr(w, name, v) : 0;
}

static int write_issuer(xmlTextWriterPtr w, const ReportIssuer *is)
{
  W(xmlTextWriterStartElement(w, BAD_CAST "issuer"));
  W(opt_attr(w, "parent-agency", is->parent_agency));
  W(opt_attr(w, "agency", is->agency));
  W(opt_attr(w, "number", is->number));
  W(opt_attr(w, "place", is->place));
  W(opt_attr(w, "signer-authority", is->signer_authority));
  W(opt_attr(w, "signer-title", is->signer_title));
  W(opt_attr(w, "signer-name", is->signer_name));
  for (size_t i = 0; i < is->nrecipients; i++)
    W(xmlTextWriterWriteElement(w, BAD_CAST "recipient",
                                BAD_CAST is->recipients[i]));
  if (is->archive)
    W(xmlTextWriterWriteElement(w, BAD_CAST "archive", BAD_CAST is->archive));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_document(xmlTextWriterPtr w, const HicovReport *rep)
{
  const ReportIssuer *is = &rep->issuer;
  const char *place = is->place ? is->place : rep->subject_name;
  char *dates[2] = { NULL, NULL }, *summaries[2] = { NULL, NULL };
  char buf[200];
  int bad = 0;
  for (int l = 0; l < 2; l++) {
    report_format_place_date(rep->generated, place, l, buf, sizeof buf);
    dates[l] = report_strdup(buf);
    summaries[l] = report_summary_title(rep, l);
    bad |= !dates[l] || !summaries[l];
  }
  char day[16];
  time_t t = (time_t)(rep->generated + 7 * 3600);
  struct tm tm;
  if (!gmtime_r(&t, &tm) || !strftime(day, sizeof day, "%Y-%m-%d", &tm))
    snprintf(day, sizeof day, "1970-01-01");
  bad = bad || xmlTextWriterStartElement(w, BAD_CAST "document") < 0 ||
        attr(w, "date", day) < 0 ||
        (rep->has_synthetic && attr(w, "synthetic-units", "true") < 0) ||
        lang_element(w, "place-date", dates) < 0 ||
        lang_element(w, "summary", summaries) < 0 ||
        (rep->issuer.agency || rep->issuer.number || rep->issuer.signer_name ||
         rep->issuer.nrecipients || rep->issuer.parent_agency ||
         rep->issuer.place ? write_issuer(w, is) < 0 : 0) ||
        xmlTextWriterEndElement(w) < 0;
  for (int l = 0; l < 2; l++) {
    report_free(dates[l]);
    report_free(summaries[l]);
  }
  return bad ? -1 : 0;
}

static int write_figure_images(xmlTextWriterPtr w, const HicovReport *rep)
{
  if (rep->nfigures == 0)
    return 0;
  W(xmlTextWriterStartElement(w, BAD_CAST "figures"));
  for (size_t i = 0; i < rep->nfigures; i++) {
    const ReportFigure *f = &rep->figures[i];
    W(xmlTextWriterStartElement(w, BAD_CAST "figure"));
    W(attr(w, "id", f->id));
    W(attr(w, "title", f->title));
    W(attr_int(w, "target", (long long)f->target + 1));
    W(attr_int(w, "width", f->width));
    W(attr_int(w, "height", f->height));
    W(xmlTextWriterWriteBase64(w, (const char *)f->png, 0, (int)f->len));
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_provenance(xmlTextWriterPtr w, const HicovReport *rep)
{
  char when[32];
  report_format_time(rep->generated, when, sizeof when);
  W(xmlTextWriterStartElement(w, BAD_CAST "provenance"));
  W(attr(w, "hicov-version", hicov_version()));
  W(attr(w, "generated", when));
  if (rep->source)
    W(xmlTextWriterWriteElement(w, BAD_CAST "source", BAD_CAST rep->source));
  for (size_t i = 0; i < rep->ninputs; i++) {
    const ReportInput *in = &rep->inputs[i];
    W(xmlTextWriterStartElement(w, BAD_CAST "input"));
    W(attr(w, "role", in->role));
    W(attr(w, "path", in->path));
    W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "bytes", "%llu",
                                        (unsigned long long)in->bytes));
    W(attr(w, "sha256", in->sha256));
    W(xmlTextWriterEndElement(w));
  }
  /* what the figures are on: the boundaries and the units that joined
     the subject */
  W(xmlTextWriterStartElement(w, BAD_CAST "boundaries"));
  W(attr(w, "basis", hicov_boundaries_name(rep->boundaries)));
  if (rep->boundary_month >= 0)
    W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "as-of", "%04d-%02d",
                                        rep->boundary_month / 12,
                                        rep->boundary_month % 12 + 1));
  W(statement(w, "vi", rep->boundaries_text[LANG_VI]));
  W(statement(w, "en", rep->boundaries_text[LANG_EN]));
  for (size_t i = 0; i < rep->npreds; i++) {
    const ReportPredecessor *p = &rep->preds[i];
    W(xmlTextWriterStartElement(w, BAD_CAST "predecessor"));
    W(attr(w, "unit", p->code));
    W(attr(w, "name", p->name));
    W(attr(w, "joined", p->joined));
    W(attr_double(w, "share", p->share));
    W(xmlTextWriterEndElement(w));
  }
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_report(xmlTextWriterPtr w, const HicovReport *rep,
                        int with_figures)
{
  W(xmlTextWriterSetIndent(w, 1));
  W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "report",
                                BAD_CAST REPORT_NS));
  W(attr(w, "version", "1"));
  W(attr(w, "lang", rep->lang == LANG_EN ? "en" : "vi"));
  if (rep->first_year > 0) {
    W(attr_int(w, "data-first", rep->first_year));
    W(attr_int(w, "data-last", rep->last_year));
  }
  W(write_resolution(w, rep));
  W(xmlTextWriterStartElement(w, BAD_CAST "subject"));
  W(attr(w, "unit", rep->subject_code));
  W(attr(w, "name", rep->subject_name));
  const char *level = hicov_level_name(rep->subject_level);
  W(attr(w, "level", level ? level : "province"));
  W(xmlTextWriterEndElement(w));
  W(write_document(w, rep));
  W(write_assessments(w, rep));
  W(write_tables(w, rep));
  W(write_findings(w, rep));
  if (with_figures)
    W(write_figure_images(w, rep));
  W(write_provenance(w, rep));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

/* Writes, parses back and validates the report.  On success *doc (may be
 * NULL) gets the parsed document and *buf, *len the bytes (caller frees). */
static int build_xml(HicovReport *rep, char **buf, size_t *len,
                     xmlDocPtr *doc, int with_figures)
{
  *buf = NULL;
  *len = 0;
  if (doc)
    *doc = NULL;
  xmlInitParser();
  xmlBufferPtr xb = xmlBufferCreate();
  xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
  if (!w) {
    xmlBufferFree(xb);
    return HICOV_NOMEM;
  }
  int bad = write_report(w, rep, with_figures);
  xmlFreeTextWriter(w);
  if (bad) {
    xmlBufferFree(xb);
    report_set_error(rep, "%s", T_(rep->msg_lang, "writing the report XML "
                                   "failed (out of memory?)"));
    return HICOV_NOMEM;
  }
  char msg[512];
  const char *data = (const char *)xmlBufferContent(xb);
  size_t n = (size_t)xmlBufferLength(xb);
  xmlDocPtr d = hxml_parse("report.xml", data, n, msg, sizeof msg);
  xmlSchemaPtr schema = d ? hxml_schema_builtin("report.xsd", msg,
                                                sizeof msg) : NULL;
  if (!d || !schema ||
      hxml_validate(schema, d, "report.xml", msg, sizeof msg) != 0) {
    /* A bug in hicov, never a user error: say so plainly. */
    report_set_error(rep, T_(rep->msg_lang, "internal error: the report does "
                             "not validate against report.xsd: %s"), msg);
    xmlSchemaFree(schema);
    xmlFreeDoc(d);
    xmlBufferFree(xb);
    return HICOV_ERROR;
  }
  xmlSchemaFree(schema);
  *buf = hxml_dup(data, n);
  xmlBufferFree(xb);
  if (!*buf) {
    xmlFreeDoc(d);
    return HICOV_NOMEM;
  }
  *len = n;
  if (doc)
    *doc = d;
  else
    xmlFreeDoc(d);
  return HICOV_OK;
}

int hicov_report_xml(HicovReport *rep, char **buf, size_t *len)
{
  if (!rep || !buf)
    return HICOV_INVALID;
  size_t n;
  int rc = build_xml(rep, buf, &n, NULL, 0);
  if (len)
    *len = rc == HICOV_OK ? n : 0;
  return rc;
}

int hicov_report_save(HicovReport *rep, const char *path)
{
  if (!rep || !path)
    return HICOV_INVALID;
  char *buf;
  size_t len;
  int rc = build_xml(rep, &buf, &len, NULL, 0);
  if (rc != HICOV_OK)
    return rc;
  rc = report_write_atomic(path, buf, len, rep->errmsg, sizeof rep->errmsg);
  report_free(buf);
  return rc;
}

/* ---- HTML -------------------------------------------------------------- */

/* fragment: the stylesheet's "fragment" parameter (one element with its
 * scoped styles, no page around it). */
static int transform_html(HicovReport *rep, xmlDocPtr doc, int fragment,
                          char **buf, size_t *len)
{
  size_t xsl_len;
  const char *xsl = hicov_report_builtin_file("report-html.xsl", &xsl_len);
  char msg[512];
  xmlDocPtr sdoc = xsl ? hxml_parse("report-html.xsl", xsl, xsl_len, msg,
                                    sizeof msg) : NULL;
  if (!sdoc) {
    report_set_error(rep, T_(rep->msg_lang, "built-in stylesheet: %s"),
                     xsl ? msg : TC_(rep->msg_lang, "a file", "missing"));
    return HICOV_ERROR;
  }
  xsltStylesheetPtr style = xsltParseStylesheetDoc(sdoc); /* owns sdoc */
  if (!style) {
    xmlFreeDoc(sdoc);
    report_set_error(rep, "%s", T_(rep->msg_lang, "built-in stylesheet "
                                   "report-html.xsl does not compile"));
    return HICOV_ERROR;
  }
  /* The stylesheet is ours, but forbid file and network access anyway. */
  xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
  xsltTransformContextPtr ctxt = xsltNewTransformContext(style, doc);
  int rc = HICOV_NOMEM;
  if (sec && ctxt) {
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY,
                         xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK,
                         xsltSecurityForbid);
    xsltSetCtxtSecurityPrefs(sec, ctxt);
    const char *params[] = {"fragment", "true()", NULL};
    xmlDocPtr out = xsltApplyStylesheetUser(style, doc,
                                            fragment ? params : NULL, NULL,
                                            NULL, ctxt);
    xmlChar *text = NULL;
    int n = 0;
    if (!out || ctxt->state != XSLT_STATE_OK) {
      report_set_error(rep, "%s", T_(rep->msg_lang, "applying "
                                     "report-html.xsl failed"));
      rc = HICOV_ERROR;
    } else if (xsltSaveResultToString(&text, &n, out, style) == 0 && text) {
      /* A fragment has no document type: libxslt writes the one of
         xsl:output before whatever the root element is. */
      size_t skip = 0;
      if (fragment && !strncmp((const char *)text, "<!DOCTYPE", 9)) {
        const char *gt = memchr(text, '>', (size_t)n);
        skip = gt ? (size_t)(gt - (const char *)text) + 1 : 0;
        while (skip < (size_t)n && (text[skip] == '\n' || text[skip] == '\r'))
          skip++;
      }
      *buf = hxml_dup(text + skip, (size_t)n - skip);
      *len = (size_t)n - skip;
      rc = *buf ? HICOV_OK : HICOV_NOMEM;
    }
    xmlFree(text);
    xmlFreeDoc(out);
  }
  xsltFreeTransformContext(ctxt);
  xsltFreeSecurityPrefs(sec);
  xsltFreeStylesheet(style);
  return rc;
}

static int report_html(HicovReport *rep, int fragment, char **buf,
                       size_t *len)
{
  if (!rep || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  if (len)
    *len = 0;
  char *xml;
  size_t xml_len, n = 0;
  xmlDocPtr doc;
  int rc = build_xml(rep, &xml, &xml_len, &doc, 1);
  if (rc != HICOV_OK)
    return rc;
  report_free(xml);
  rc = transform_html(rep, doc, fragment, buf, &n);
  xmlFreeDoc(doc);
  if (len)
    *len = n;
  return rc;
}

int hicov_report_html(HicovReport *rep, char **buf, size_t *len)
{
  return report_html(rep, 0, buf, len);
}

int hicov_report_html_fragment(HicovReport *rep, char **buf, size_t *len)
{
  return report_html(rep, 1, buf, len);
}

int hicov_report_save_html(HicovReport *rep, const char *path)
{
  if (!rep || !path)
    return HICOV_INVALID;
  char *buf;
  size_t len;
  int rc = hicov_report_html(rep, &buf, &len);
  if (rc != HICOV_OK)
    return rc;
  rc = report_write_atomic(path, buf, len, rep->errmsg, sizeof rep->errmsg);
  report_free(buf);
  return rc;
}
