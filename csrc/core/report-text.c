/* report-text.c - the sentences of a report, in Vietnamese and English,
 * generated from the core's assessment, and the labels the printable
 * outputs use.  Numbers follow the language: vi "94,1%", "31.700";
 * en "94.1%", "31,700" (hicov-format.h).  libc only. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula-private.h"
#include "report-private.h"

/* ---- Labels ------------------------------------------------------------ */

/* The report's labels by key; the text is a msgid of the catalogue
 * (csrc/po/vi.po), in the context "report". */
typedef struct {
  const char *key;
  const char *msgid;
} Msg;

static const Msg messages[] = {
  { "report_title", NC_("report", "Report on the health-insurance targets") },
  { "report_subtitle", NC_("report", "of the resolution") },
  { "issued_by", NC_("report", "Issued by") },
  { "number", NC_("report", "Number") },
  { "term", NC_("report", "Term") },
  { "subject", NC_("report", "Area") },
  { "data_through", NC_("report", "Data through") },
  { "generated", NC_("report", "Generated") },
  { "targets", NC_("report", "Targets and progress") },
  { "target", NC_("report", "Target") },
  { "unit", NC_("report", "Unit") },
  { "threshold", NC_("report", "Target value") },
  { "deadline", NC_("report", "Deadline") },
  { "baseline", NC_("report", "Baseline") },
  { "latest", NC_("report", "Latest") },
  { "gap", NC_("report", "Gap") },
  { "needed", NC_("report", "People still needed") },
  { "required", NC_("report", "Required per year") },
  { "projection", NC_("report", "Projected at deadline") },
  { "status", NC_("report", "Status") },
  { "assessment", NC_("report", "Assessment") },
  { "charts", NC_("report", "Charts") },
  { "coverage-by-unit", NC_("report", "Coverage by subordinate unit") },
  { "spending-by-unit", NC_("report", "Visits and spending by subordinate "
                                      "unit") },
  { "by-year", NC_("report", "Year by year") },
  { "year", NC_("report", "Year") },
  { "total", NC_("report", "Total") },
  { "findings", NC_("report", "Data quality") },
  { "no_findings", NC_("report", "The data-quality checks found no "
                                 "problem.") },
  { "severity_1", NC_("report", "Warning") },
  { "severity_2", NC_("report", "Error") },
  { "provenance", NC_("report", "Provenance") },
  { "source", NC_("report", "Source") },
  { "inputs", NC_("report", "Input files") },
  { "version", NC_("report", "hicov version") },
  { "builtin_demo", NC_("report", "built-in demo") },
  { "severity", NC_("report", "Severity") },
  { "finding", NC_("report", "Finding") },
  { "tables", NC_("report", "Tables") },
  { "page", NC_("report", "Page") },
  /* TRANSLATORS: "Page 2 of 5" */
  { "of", NC_("report", "of") },
  { "missing", NC_("report", "no data") },
  { "points", NC_("report", "points") },
  { "people", NC_("report", "people") },
  { "coverage_chart", NC_("report", "Health-insurance coverage and "
                                    "projection") },
  { "projected", NC_("report", "Projection") },
  { "actual", NC_("report", "Actual") },
  { "unit_chart", NC_("report", "Coverage by unit") },
  { "spending_chart", NC_("report", "Insured medical spending") },
  { "fit_note", NC_("report", "Projection from the trend") },
  { "boundaries", NC_("report", "Boundaries") },
  { "crosswalk_note", NC_("report", "* an estimate: part of the figure is "
                                   "apportioned from a divided unit by its "
                                   "share (crosswalk.csv)") },
  { "cap", NC_("report", "Cap") },
  /* The administrative document (Nghị định 30/2020/NĐ-CP) */
  { "motto_country", NC_("report", "SOCIALIST REPUBLIC OF VIET NAM") },
  { "motto", NC_("report", "Independence - Freedom - Happiness") },
  { "doc_type", NC_("report", "REPORT") },
  /* TRANSLATORS: before a document's number, "Số: 15/BC-BHXH" */
  { "number_label", NC_("report", "No.:") },
  { "no_parent", NC_("report", "[PARENT AGENCY]") },
  { "no_agency", NC_("report", "[REPORTING AGENCY]") },
  { "no_number", NC_("report", "..../BC-....") },
  { "no_signer", NC_("report", "[Full name of the signer]") },
  { "no_signer_title", NC_("report", "[TITLE OF THE SIGNER]") },
  { "signature", NC_("report", "(Signature and seal)") },
  { "recipients", NC_("report", "Recipients:") },
  { "archive", NC_("report", "Filed:") },
  { "results", NC_("report", "RESULTS OF CARRYING OUT THE TARGETS") },
  { "shortcomings", NC_("report", "SHORTCOMINGS AND LIMITATIONS") },
  { "causes", NC_("report", "CAUSES") },
  { "causes_objective", NC_("report", "Objective causes") },
  { "causes_subjective", NC_("report", "Subjective causes") },
  { "tasks", NC_("report", "TASKS AND SOLUTIONS AHEAD") },
  { "recommendations", NC_("report", "RECOMMENDATIONS AND PROPOSALS") },
  { "appendix", NC_("report", "APPENDIX: DETAILED FIGURES") },
  { "details", NC_("report", "DETAILED FIGURES") },
  { "quality", NC_("report", "DATA QUALITY") },
  { "provenance_caps", NC_("report", "PROVENANCE") },
  { "at_a_glance", NC_("report", "The targets at a glance") },
  { "result", NC_("report", "Result") },
  { "verdict", NC_("report", "Verdict") },
  { "value", NC_("report", "Value") },
  { "no", NC_("report", "No.") },
  { "resolution", NC_("report", "Resolution") },
  { "resolution_of", NC_("report", "Resolution of") },
  { "writer", NC_("report", "[To be written by the reporting agency: ") },
  { "synthetic_note", NC_("report", "* Synthetic unit: figures made up for "
                                    "illustration, not real statistics.") },
  { "estimate_note", NC_("report", "Estimated figures are marked "
                                   "“estimate”; a verdict that rests on one "
                                   "reads “Estimated achieved” or "
                                   "“Estimated not achieved”.") },
  { "generated_by", NC_("report", "Figures, sentences and charts generated "
                                  "by hicov from the data listed under "
                                  "Provenance.") },
  { NULL, NULL }
};


const char *report_text(const char *key, int lang)
{
  for (const Msg *m = messages; m->key; m++)
    if (!strcmp(m->key, key))
      return hicov_text(report_lang_tag(lang), m->msgid);
  return key;
}

/* How a report names an indicator inside a sentence; the heading is the
 * core's label (hicov_indicator_label). */
typedef struct {
  const char *name;
  const char *phrase; /* msgid, context "in a sentence" */
} IndicatorText;

static const IndicatorText indicator_texts[] = {
  { "coverage_rate", NC_("in a sentence", "health-insurance coverage") },
  { "participants", NC_("in a sentence", "the number of participants") },
  { "population", NC_("in a sentence", "the population") },
  { "visits", NC_("in a sentence", "insured visits") },
  { "inpatient_visits", NC_("in a sentence", "inpatient admissions") },
  { "inpatient_days", NC_("in a sentence", "inpatient days") },
  { "total_cost", NC_("in a sentence", "insured medical cost") },
  { "fund_paid", NC_("in a sentence", "fund payments") },
  { "copay", NC_("in a sentence", "patient co-payments") },
  { "fund_revenue", NC_("in a sentence", "fund revenue") },
  { "cost_per_visit", NC_("in a sentence", "cost per visit") },
  { "cost_per_participant", NC_("in a sentence", "cost per participant") },
  { "fund_balance", NC_("in a sentence", "the fund balance") },
  { "fund_usage", NC_("in a sentence", "fund usage") },
  { "inpatient_share", NC_("in a sentence",
                           "the inpatient share of visits") },
  { "avg_length_of_stay", NC_("in a sentence",
                              "the average length of stay") },
  { "commune_visit_share",
    NC_("in a sentence", "the share of visits at commune health stations") },
  { "checkin_success_rate", NC_("in a sentence",
                                "the chip-ID check-in success rate") },
  { "card_checkins", NC_("in a sentence", "card check-ins") },
  { "patients", NC_("in a sentence", "distinct patients") },
  { NULL, NULL }
};

static const IndicatorText *indicator_text(const HicovIndicatorInfo *info)
{
  for (const IndicatorText *t = indicator_texts; info && t->name; t++)
    if (!strcmp(t->name, info->name))
      return t;
  return NULL;
}

const char *report_indicator_label(const HicovIndicatorInfo *info, int lang)
{
  if (!info)
    return "?";
  return hicov_indicator_label(info, report_lang_tag(lang));
}

const char *report_indicator_phrase(const HicovIndicatorInfo *info, int lang)
{
  const IndicatorText *t = indicator_text(info);
  if (t)
    return hicov_text(report_lang_tag(lang), t->phrase);
  return info ? report_indicator_label(info, lang) : "?";
}

const char *report_status_label(int status, int lang)
{
  return hicov_target_status_label(status, report_lang_tag(lang));
}

const char *report_lang_tag(int lang)
{
  return lang == LANG_VI ? "vi" : "en";
}

int report_is_rate(const HicovIndicatorInfo *info)
{
  return info && (info->is_rate || (info->unit && !strcmp(info->unit, "%")));
}

/* Fewest decimals (0..2) that show v exactly as given (98, 95.15). */
static int natural_decimals(double v)
{
  for (int d = 0; d < 2; d++) {
    double s = v * pow(10, d);
    if (fabs(s - nearbyint(s)) < 1e-9 * fmax(1, fabs(s)))
      return d;
  }
  return 2;
}

size_t report_format_value(const HicovIndicatorInfo *info, double v,
                           int lang, char *buf, size_t size)
{
  const char *l = report_lang_tag(lang);
  const char *unit = info && info->unit ? info->unit : "";
  buf[0] = '\0';
  if (report_is_rate(info)) {
    hicov_format_percent(v, 1, l, buf, size);
  } else if (!strcmp(unit, "VND") && isfinite(v) && fabs(v) < 9e16) {
    int scale = hicov_money_auto_scale(fabs(v));
    /* a few million (a cost per visit, near its cap) with two decimals,
       so that values a few thousand đồng apart read apart */
    int dec = scale == HICOV_MONEY_MILLION && fabs(v) < 1e7 ? 2
              : scale >= HICOV_MONEY_MILLION ? 1 : 0;
    hicov_format_money_vnd((int64_t)llround(v * 100), scale, dec, l, buf,
                           size);
  } else {
    char num[64];
    int dec = !strcmp(unit, "people") || !strcmp(unit, "visits") ||
              !strcmp(unit, "days") || !strcmp(unit, "cards") ? 0 : 2;
    if (dec == 2 && isfinite(v) && fabs(v) >= 1000)
      dec = 0;
    hicov_format_number(v, dec, l, num, sizeof num);
    const char *word = "";
    if (!strcmp(unit, "people"))
      word = TC_(l, "after a number", " people");
    else if (!strcmp(unit, "visits"))
      word = TC_(l, "after a number", " visits");
    else if (!strcmp(unit, "days"))
      word = TC_(l, "after a number", " days");
    else if (!strcmp(unit, "points"))
      word = TC_(l, "after a number", " points");
    snprintf(buf, size, "%s%s", num, isfinite(v) ? word : "");
  }
  return strlen(buf);
}

/* ---- A growing string -------------------------------------------------- */

void report_str_add(ReportStr *b, const char *fmt, ...)
{
  if (b->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (hicov_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1) !=
      HICOV_OK) {
    b->failed = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *report_str_finish(ReportStr *b)
{
  if (b->failed || !b->s) {
    report_free(b->s);
    return NULL;
  }
  return b->s;
}

/* ---- Number phrases ---------------------------------------------------- */

ReportNum report_pct_num(double v, int decimals, int lang)
{
  ReportNum n;
  hicov_format_percent(v, decimals, report_lang_tag(lang), n.v, sizeof n.v);
  return n;
}

ReportNum report_number_num(double v, int decimals, int lang)
{
  ReportNum n;
  hicov_format_number(v, decimals, report_lang_tag(lang), n.v, sizeof n.v);
  return n;
}

/* A target's threshold as written in a resolution: "98%", "95,15%". */
ReportNum report_threshold_num(const HicovIndicatorInfo *info, double t, int lang)
{
  if (report_is_rate(info))
    return report_pct_num(t, natural_decimals(t), lang);
  ReportNum n;
  report_format_value(info, t, lang, n.v, sizeof n.v);
  return n;
}

ReportNum report_value_num(const HicovIndicatorInfo *info, double v, int lang)
{
  ReportNum n;
  report_format_value(info, v, lang, n.v, sizeof n.v);
  return n;
}

/* A difference: points for rates, else the indicator's own unit. */
ReportNum report_diff_num(const HicovIndicatorInfo *info, double d, int lang)
{
  if (report_is_rate(info)) {
    ReportNum n = report_number_num(fabs(d), 1, lang);
    strncat(n.v, T_(report_lang_tag(lang), " percentage points"),
            sizeof n.v - strlen(n.v) - 1);
    return n;
  }
  return report_value_num(info, fabs(d), lang);
}

/* People to enrol, rounded as a report writer would: exact below 1,000,
 * to tens below 10,000, to hundreds above (the dashboard's gap tile too). */
double report_people_rounded(double n)
{
  if (n >= 10000)
    return nearbyint(n / 100) * 100;
  if (n >= 1000)
    return nearbyint(n / 10) * 10;
  return n;
}

/* The same as a number in lang; *approx says it was rounded. */
ReportNum report_people_num(double n, int lang, int *approx)
{
  double r = report_people_rounded(n);
  *approx = r != n;
  return report_number_num(r, 0, lang);
}

int report_table_billions(const ReportTable *t, size_t c)
{
  const HicovIndicatorInfo *info = t->cols[c].info;
  if (!info || !info->unit || strcmp(info->unit, "VND"))
    return 0;
  for (size_t r = 0; r < t->nrows; r++)
    if (isfinite(t->rows[r].values[c]) && fabs(t->rows[r].values[c]) >= 1e9)
      return 1;
  return 0;
}

void report_table_head(const HicovIndicatorInfo *info, int billions,
                       int lang, char *buf, size_t size)
{
  if (info->unit && !strcmp(info->unit, "VND"))
    hicov_fmt(buf, size, "%s (%s)", report_indicator_label(info, lang),
              hicov_money_unit_name(billions ? HICOV_MONEY_BILLION
                                             : HICOV_MONEY_DONG,
                                    report_lang_tag(lang)));
  else if (info->unit && !strcmp(info->unit, "points"))
    hicov_fmt(buf, size, "%s (%s)", report_indicator_label(info, lang),
              report_text("points", lang));
  else
    hicov_fmt(buf, size, "%s", report_indicator_label(info, lang));
}

void report_table_cell(const HicovIndicatorInfo *info, double v,
                       int billions, int lang, char *buf, size_t size)
{
  static const char *const counts[] = { "people", "visits", "days",
                                        "check-ins", "cards", NULL };
  const char *l = report_lang_tag(lang);
  const char *unit = info && info->unit ? info->unit : "";
  int count = 0;
  for (int i = 0; counts[i]; i++)
    count |= !strcmp(unit, counts[i]);
  if (!isfinite(v))
    hicov_fmt(buf, size, "–");
  else if (!strcmp(unit, "%"))
    hicov_format_percent(v, 1, l, buf, size);
  else if (!strcmp(unit, "VND"))
    hicov_format_number(billions ? v / 1e9 : v, billions ? 1 : 0, l, buf,
                        size);
  else
    hicov_format_number(v, count ? 0 : 2, l, buf, size);
}

/* Points read as in the sentences' figures ("3,00 điểm %"): a bare
 * "3,00" under "Gap" was read as people or percent. */
void report_table_gap(const HicovIndicatorInfo *info, int kind, double gap,
                      int decimals, int lang, char *buf, size_t size)
{
  const char *l = report_lang_tag(lang);
  double v = gap > 0 ? gap : 0; /* met: nothing is missing */
  if (!isfinite(gap)) {
    hicov_fmt(buf, size, "–");
  } else if (report_is_rate(info) || kind == HICOV_TARGET_KIND_GROWTH) {
    char num[64];
    hicov_format_number(v, decimals, l, num, sizeof num);
    hicov_fmt(buf, size, "%s%s", num, TC_(l, "after a number", " points"));
  } else {
    report_format_value(info, v, lang, buf, size);
  }
}
