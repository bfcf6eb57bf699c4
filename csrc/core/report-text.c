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
  { "estimate_note", NC_("report", "* an estimate: part of the figure is "
                                   "apportioned from a divided unit by its "
                                   "share (crosswalk.csv)") },
  { NULL, NULL }
};

static const char *lang_tag(int lang);

const char *report_text(const char *key, int lang)
{
  for (const Msg *m = messages; m->key; m++)
    if (!strcmp(m->key, key))
      return hicov_text(lang_tag(lang), m->msgid);
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
  return hicov_indicator_label(info, lang_tag(lang));
}

static const char *indicator_phrase(const HicovIndicatorInfo *info, int lang)
{
  const IndicatorText *t = indicator_text(info);
  if (t)
    return hicov_text(lang_tag(lang), t->phrase);
  return info ? report_indicator_label(info, lang) : "?";
}

const char *report_status_label(int status, int lang)
{
  return hicov_target_status_label(status, lang_tag(lang));
}

static const char *lang_tag(int lang)
{
  return lang == LANG_VI ? "vi" : "en";
}

static int is_rate(const HicovIndicatorInfo *info)
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
  const char *l = lang_tag(lang);
  const char *unit = info && info->unit ? info->unit : "";
  buf[0] = '\0';
  if (is_rate(info)) {
    hicov_format_percent(v, 1, l, buf, size);
  } else if (!strcmp(unit, "VND") && isfinite(v) && fabs(v) < 9e16) {
    int scale = hicov_money_auto_scale(fabs(v));
    hicov_format_money_vnd((int64_t)llround(v * 100), scale,
                           scale >= HICOV_MONEY_MILLION ? 1 : 0, l, buf,
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

typedef struct {
  char *s;
  size_t len, cap;
  int failed;
} Str;

static void str_add(Str *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void str_add(Str *b, const char *fmt, ...)
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

static char *str_finish(Str *b)
{
  if (b->failed || !b->s) {
    report_free(b->s);
    return NULL;
  }
  return b->s;
}

/* ---- Number phrases ---------------------------------------------------- */

typedef struct {
  char v[64];
} Num;

static Num pct(double v, int decimals, int lang)
{
  Num n;
  hicov_format_percent(v, decimals, lang_tag(lang), n.v, sizeof n.v);
  return n;
}

static Num number(double v, int decimals, int lang)
{
  Num n;
  hicov_format_number(v, decimals, lang_tag(lang), n.v, sizeof n.v);
  return n;
}

/* A target's threshold as written in a resolution: "98%", "95,15%". */
static Num threshold_text(const HicovIndicatorInfo *info, double t, int lang)
{
  if (is_rate(info))
    return pct(t, natural_decimals(t), lang);
  Num n;
  report_format_value(info, t, lang, n.v, sizeof n.v);
  return n;
}

static Num value_text(const HicovIndicatorInfo *info, double v, int lang)
{
  Num n;
  report_format_value(info, v, lang, n.v, sizeof n.v);
  return n;
}

/* A difference: points for rates, else the indicator's own unit. */
static Num diff_text(const HicovIndicatorInfo *info, double d, int lang)
{
  if (is_rate(info)) {
    Num n = number(fabs(d), 1, lang);
    strncat(n.v, T_(lang_tag(lang), " percentage points"),
            sizeof n.v - strlen(n.v) - 1);
    return n;
  }
  return value_text(info, fabs(d), lang);
}

/* People to enrol, rounded as a report writer would: exact below 1,000,
 * to tens below 10,000, to hundreds above.  *approx says it was rounded. */
static Num people_text(double n, int lang, int *approx)
{
  double r = n;
  if (n >= 10000)
    r = nearbyint(n / 100) * 100;
  else if (n >= 1000)
    r = nearbyint(n / 10) * 10;
  *approx = r != n;
  return number(r, 0, lang);
}

/* ---- Sentences --------------------------------------------------------- */

/* Why a value is missing, in the sentence's language. */
static const char *item_reason(const HicovReport *rep, size_t i, int lang)
{
  const char *r = rep->items[i].reason[lang];
  return r ? r : rep->assess[i].reason;
}

static void add_main_sentence(Str *b, const HicovReport *rep, size_t i,
                              int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const ReportItem *it = &rep->items[i];
  const HicovTarget *t = hicov_resolution_target(rep->res, a->target_index);
  const HicovIndicatorInfo *info = it->info;
  const char *l = lang_tag(lang);
  int own = t && t->level < 0; /* the target's own unit: no name needed */
  const char *phrase = indicator_phrase(info, lang);
  Num thr = threshold_text(info, a->threshold, lang);

  if (!isfinite(a->latest_value)) {
    str_add(b, T_(l, "There are no figures on %s for %s to assess the target "
                  "of %s by %d"), phrase, it->unit_name, thr.v,
            a->deadline_year);
    const char *why = item_reason(rep, i, lang);
    if (why[0])
      str_add(b, " (%s)", why);
    str_add(b, ".");
    return;
  }

  Num val = value_text(info, a->latest_value, lang);
  /* Rounded as printed, so the sentence never says "short by 0,0". */
  double gap = a->gap;
  int rate = is_rate(info);
  if (rate && fabs(gap) < 0.05)
    gap = 0;
  str_add(b, T_(l, "By the end of %d%s, %s"), a->latest_year,
          it->latest_estimated ? T_(l, " (estimate)") : "", phrase);
  if (!own)
    str_add(b, TC_(l, "a unit's figure", " in %s"), it->unit_name);
  str_add(b, rate ? T_(l, " reached %s") : T_(l, " was %s"), val.v);
  if (gap > 0)
    str_add(b, T_(l, ", %s short of the %s target"),
            diff_text(info, gap, lang).v, thr.v);
  else if (gap < 0 && t && t->comparison == HICOV_CMP_AT_LEAST)
    /* TRANSLATORS: %1$s is the difference, %2$s the target ("98%") */
    str_add(b, T_(l, ", %s above the %s target"),
            diff_text(info, gap, lang).v, thr.v);
  else
    str_add(b, T_(l, ", meeting the %s target"), thr.v);
  if (gap > 0 && isfinite(a->participants_needed) &&
      a->participants_needed > 0) {
    int approx;
    Num n = people_text(a->participants_needed, lang, &approx);
    str_add(b, T_(l, "; %s%s more people need to join"),
            approx ? T_(l, "about ") : "", n.v);
  }
  str_add(b, ".");
}

static void add_baseline_sentence(Str *b, const HicovReport *rep, size_t i,
                                  int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  if (a->baseline_year <= 0 || !isfinite(a->baseline_value) ||
      !isfinite(a->latest_value) || a->baseline_year == a->latest_year)
    return;
  const char *l = lang_tag(lang);
  Num base = value_text(info, a->baseline_value, lang);
  double d = hicov_change(a->baseline_value, a->latest_value);
  if (is_rate(info)) {
    if (fabs(d) < 0.05) {
      str_add(b, T_(l, " Compared with %d (%s), it is unchanged."),
              a->baseline_year, base.v);
      return;
    }
    /* TRANSLATORS: %3$s is the difference in points, %4$s "more" or
       "less" */
    str_add(b, T_(l, " Compared with %d (%s), that is %s %s."),
            a->baseline_year, base.v, diff_text(info, d, lang).v,
            d > 0 ? TC_(l, "a rate's change", "more")
                  : TC_(l, "a rate's change", "less"));
  } else if (a->baseline_value != 0) {
    /* the size of the growth, the direction of the change: from a negative
       baseline the growth's sign is not the direction */
    double g = hicov_growth_pct(a->baseline_value, a->latest_value);
    Num gp = pct(fabs(g), 1, lang);
    str_add(b, T_(l, " Compared with %d (%s), it %s by %s."),
            a->baseline_year, base.v,
            d >= 0 ? TC_(l, "a value's change", "rose")
                   : TC_(l, "a value's change", "fell"),
            gp.v);
  }
}

static void add_status_sentence(Str *b, const HicovReport *rep, size_t i,
                                int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const char *l = lang_tag(lang);
  Num thr = threshold_text(info, a->threshold, lang);
  int rate = is_rate(info);
  int fit_first = a->fit_n > 0 ? a->fit_years[0] : 0;
  int fit_last = a->fit_n > 0 ? a->fit_years[a->fit_n - 1] : 0;

  switch (a->status) {
  case HICOV_TARGET_ACHIEVED:
    str_add(b, "%s", T_(l, " The target has been met."));
    break;
  case HICOV_TARGET_NOT_ACHIEVED:
    str_add(b, T_(l, " The target of %s by %d was not met."), thr.v,
            a->deadline_year);
    if (isfinite(a->projected_year) && a->fit_n >= 2)
      str_add(b, T_(l, " At the %d–%d trend, it would be reached around %d."),
              fit_first, fit_last, (int)a->projected_year);
    break;
  case HICOV_TARGET_ON_TRACK:
  case HICOV_TARGET_AT_RISK: {
    if (isfinite(a->required_annual_change)) {
      Num c = rate ? number(a->required_annual_change, 2, lang) :
                     value_text(info, a->required_annual_change, lang);
      str_add(b, T_(l, " To reach the target by %d, it must rise by %s%s a "
                    "year on average"), a->deadline_year, c.v,
              rate ? T_(l, " percentage points") : "");
      if (isfinite(a->required_annual_growth))
        str_add(b, T_(l, " (%s a year)"),
                pct(a->required_annual_growth, 2, lang).v);
      str_add(b, ";");
    }
    if (isfinite(a->projected_value)) {
      Num p = value_text(info, a->projected_value, lang);
      if (a->status == HICOV_TARGET_ON_TRACK)
        str_add(b, T_(l, " at the current trend it is projected to reach %s "
                      "in %d, on track."), p.v, a->deadline_year);
      else {
        str_add(b, T_(l, " at the current trend it is projected to reach "
                      "only %s in %d, so the target is at risk"), p.v,
                a->deadline_year);
        if (isfinite(a->projected_year))
          str_add(b, T_(l, " (at this trend it would be reached around %d)"),
                  (int)a->projected_year);
        str_add(b, ".");
      }
    } else {
      str_add(b, "%s", T_(l, " there are too few figures for a projection."));
    }
    break;
  }
  default:
    if (isfinite(a->latest_value)) {
      str_add(b, "%s", T_(l, " There is not enough data for an assessment"));
      const char *why = item_reason(rep, i, lang);
      if (why[0])
        str_add(b, " (%s)", why);
      str_add(b, ".");
    }
    break;
  }
}

char *report_assessment_text(const HicovReport *rep, size_t i, int lang)
{
  Str b = { 0 };
  add_main_sentence(&b, rep, i, lang);
  add_baseline_sentence(&b, rep, i, lang);
  add_status_sentence(&b, rep, i, lang);
  return str_finish(&b);
}

char *report_target_summary_text(const HicovReport *rep, size_t t, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  const char *l = lang_tag(lang);
  Num thr = threshold_text(info, tg->threshold, lang);
  Str b = { 0 };
  const char *what = hicov_level_plural(tg->level, l);
  str_add(&b, T_(l, "%zu of %zu %s have met the %s target (%s)"),
          s->by_status[HICOV_TARGET_ACHIEVED], s->count, what, thr.v,
          indicator_phrase(info, lang));
  str_add(&b, T_(l, "; %zu on track, %zu at risk, %zu not achieved, %zu "
                 "without enough data."), s->by_status[HICOV_TARGET_ON_TRACK],
          s->by_status[HICOV_TARGET_AT_RISK],
          s->by_status[HICOV_TARGET_NOT_ACHIEVED],
          s->by_status[HICOV_TARGET_UNKNOWN]);
  return str_finish(&b);
}

char *report_boundaries_text(const HicovReport *rep, int lang)
{
  const char *l = lang_tag(lang);
  Str b = { 0 };
  if (rep->boundaries == HICOV_BOUNDARIES_AS_PUBLISHED) {
    str_add(&b, "%s", T_(l, "Every figure is as published for its own "
                         "period, each unit on its boundaries then: a "
                         "comparison across a merger or split is not like "
                         "for like."));
  } else if (rep->boundary_month >= 0) {
    char month[24];
    hicov_period_format(hicov_period_range(rep->boundary_month,
                                           rep->boundary_month),
                        month, sizeof month);
    str_add(&b, T_(l, "Comparisons with earlier years, the year-by-year "
                   "table, the projection and the baseline are on today's "
                   "boundaries: each unit as it is at the end of %s, its "
                   "earlier years including the units merged into it (and "
                   "the shares of the units divided into it)."), month);
  } else {
    str_add(&b, "%s", T_(l, "The dataset holds no values."));
  }
  for (size_t i = 0; i < rep->npreds; i++) {
    const ReportPredecessor *p = &rep->preds[i];
    if (p->share >= 1)
      str_add(&b, T_(l, " %s includes %s, merged into it on %s."),
              rep->subject_name, p->name, p->joined);
    else {
      char pct[32];
      double v = p->share * 100.0;
      hicov_format_percent(v, v == floor(v) ? 0 : 2, l, pct, sizeof pct);
      str_add(&b, T_(l, " %s includes %s of %s, divided on %s (an "
                     "estimate)."), rep->subject_name, pct, p->name,
              p->joined);
    }
  }
  return str_finish(&b);
}
