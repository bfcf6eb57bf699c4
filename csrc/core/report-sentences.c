/* report-sentences.c - the sentences a report states about its targets,
 * in Vietnamese and English, from the core's assessments: for each kind of
 * target (a level, a change, an average growth; a floor or a cap), the
 * figure and its gap, what it takes to the deadline, the projection and
 * the verdict, with a fallback to an earlier year, an estimate or a late
 * attainment said as such.  Numbers follow the language (report-text.c).
 * libc only. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formula-private.h"
#include "report-private.h"

#define Str ReportStr
#define Num ReportNum
#define str_add report_str_add

static const char *tag(int lang)
{
  return report_lang_tag(lang);
}

static const HicovTarget *target_of(const HicovReport *rep, size_t i)
{
  return hicov_resolution_target(rep->res, rep->assess[i].target_index);
}

/* Why a value is missing, in the sentence's language. */
static const char *item_reason(const HicovReport *rep, size_t i, int lang)
{
  const char *r = rep->items[i].reason[lang];
  return r ? r : rep->assess[i].reason;
}

/* "4.77% a year", "4,77%/năm" */
static Num per_year(Num x, int lang)
{
  Num n;
  snprintf(n.v, sizeof n.v, T_(tag(lang), "%s a year"), x.v);
  return n;
}

/* An amount of the target's measure: the indicator's unit for a level,
 * points or its unit for a change, percent a year for growth. */
static Num amount(const HicovIndicatorInfo *info, int kind, double x,
                  int lang)
{
  if (kind == HICOV_TARGET_KIND_GROWTH)
    return per_year(report_pct_num(fabs(x), 2, lang), lang);
  if (kind == HICOV_TARGET_KIND_CHANGE)
    return report_diff_num(info, x, lang);
  return report_value_num(info, fabs(x), lang);
}

/* A change or growth target in words: "a rise of at least 2.5 percentage
 * points", "average growth of at most 5% a year". */
static Num target_words(const HicovTarget *t, const HicovIndicatorInfo *info,
                        int lang)
{
  const char *l = tag(lang);
  Num n, x;
  int most = t->comparison == HICOV_CMP_AT_MOST, rise = t->threshold >= 0;
  if (t->kind == HICOV_TARGET_KIND_GROWTH) {
    double g = fabs(t->threshold);
    x = report_pct_num(g, g == floor(g) ? 0 : 2, lang);
    if (rise)
      snprintf(n.v, sizeof n.v, most ? T_(l, "average growth of at most %s "
                                          "a year")
                                     : T_(l, "average growth of at least %s "
                                          "a year"), x.v);
    else
      snprintf(n.v, sizeof n.v, most ? T_(l, "an average fall of at least %s "
                                          "a year")
                                     : T_(l, "an average fall of at most %s "
                                          "a year"), x.v);
    return n;
  }
  x = report_diff_num(info, t->threshold, lang);
  if (rise)
    snprintf(n.v, sizeof n.v, most ? T_(l, "a rise of at most %s")
                                   : T_(l, "a rise of at least %s"), x.v);
  else
    snprintf(n.v, sizeof n.v, most ? T_(l, "a fall of at least %s")
                                   : T_(l, "a fall of at most %s"), x.v);
  return n;
}

/* ---- The figure --------------------------------------------------------- */

/* "There is no figure for 2025 yet (why), so the assessment uses 2024." */
static void add_fallback(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  if (!a->wanted_year || a->latest_year <= 0)
    return;
  /* the reason is the core's, in the report's language */
  const char *why = lang == rep->lang ? a->fallback_reason : "";
  const char *l = tag(lang);
  if (why[0])
    str_add(b, T_(l, "There is no figure for %d yet (%s), so the assessment "
                  "uses %d. "), a->wanted_year, why, a->latest_year);
  else
    str_add(b, T_(l, "There is no figure for %d yet, so the assessment uses "
                  "%d. "), a->wanted_year, a->latest_year);
}

/* "By the end of 2024 (estimate), X in Y reached 95.0%" */
static void add_figure(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const ReportItem *it = &rep->items[i];
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  Num val = report_value_num(it->info, a->latest_value, lang);
  str_add(b, T_(l, "By the end of %d%s, %s"), a->latest_year,
          it->latest_estimated ? T_(l, " (estimate)") : "",
          report_indicator_phrase(it->info, lang));
  if (t && t->level >= 0)
    str_add(b, TC_(l, "a unit's figure", " in %s"), it->unit_name);
  str_add(b, report_is_rate(it->info) ? T_(l, " reached %s")
                                      : T_(l, " was %s"), val.v);
}

/* A floor on a level (the sentence as it always was) or a cap. */
static void add_level_gap(Str *b, const HicovReport *rep, size_t i,
                          int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  Num thr = report_threshold_num(info, a->threshold, lang);
  /* Rounded as printed, so the sentence never says "short by 0,0". */
  double gap = a->gap;
  if (report_is_rate(info) && fabs(gap) < 0.05)
    gap = 0;
  Num d = report_diff_num(info, gap, lang);
  if (t && t->comparison == HICOV_CMP_AT_MOST) {
    if (gap > 0)
      str_add(b, T_(l, ", %s over the cap of %s"), d.v, thr.v);
    else if (gap < 0)
      str_add(b, T_(l, ", %s below the cap of %s"), d.v, thr.v);
    else
      str_add(b, T_(l, ", at the cap of %s"), thr.v);
    return;
  }
  if (gap > 0)
    str_add(b, T_(l, ", %s short of the %s target"), d.v, thr.v);
  else if (gap < 0)
    /* TRANSLATORS: %1$s is the difference, %2$s the target ("98%") */
    str_add(b, T_(l, ", %s above the %s target"), d.v, thr.v);
  else
    str_add(b, T_(l, ", meeting the %s target"), thr.v);
  if (gap > 0 && isfinite(a->participants_needed) &&
      a->participants_needed > 0) {
    int approx;
    Num n = report_people_num(a->participants_needed, lang, &approx);
    str_add(b, T_(l, "; %s%s more people need to join"),
            approx ? T_(l, "about ") : "", n.v);
  }
}

/* "; the target is a rise of at least 3 points by 2025, 0.5 short" */
static void add_measure_target(Str *b, const HicovReport *rep, size_t i,
                               int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  if (t->kind == HICOV_TARGET_KIND_GROWTH)
    str_add(b, T_(l, "; the target is %s over %d–%d"),
            target_words(t, info, lang).v, t->baseline_year,
            t->deadline_year);
  else
    str_add(b, T_(l, "; the target is %s by %d"),
            target_words(t, info, lang).v, t->deadline_year);
  if (!isfinite(a->gap))
    return;
  Num d = amount(info, t->kind, a->gap, lang);
  if (a->gap > 0 && t->comparison == HICOV_CMP_AT_MOST)
    str_add(b, T_(l, ", %s beyond it"), d.v);
  else if (a->gap > 0)
    str_add(b, T_(l, ", %s short of it"), d.v);
  if (a->gap > 0 && isfinite(a->participants_needed) &&
      a->participants_needed > 0) {
    int approx;
    Num n = report_people_num(a->participants_needed, lang, &approx);
    str_add(b, T_(l, "; %s%s more people need to join"),
            approx ? T_(l, "about ") : "", n.v);
  }
}

/* A change: "..., up 3.0 percentage points from 2020 (93.0%)". */
static void add_change(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const char *l = tag(lang);
  Num base = report_value_num(info, a->baseline_value, lang);
  Num d = report_diff_num(info, a->measure_value, lang);
  if (a->measure_value > 0)
    str_add(b, T_(l, ", up %s from %d (%s)"), d.v, a->baseline_year, base.v);
  else if (a->measure_value < 0)
    str_add(b, T_(l, ", down %s from %d (%s)"), d.v, a->baseline_year,
            base.v);
  else
    str_add(b, T_(l, ", unchanged from %d (%s)"), a->baseline_year, base.v);
  add_measure_target(b, rep, i, lang);
}

/* Growth: "From 2020 to 2023, X grew by 4.77% a year on average (from
 * 1.0 million to 1.15 million đồng)". */
static void add_growth(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const ReportItem *it = &rep->items[i];
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  Num from = report_value_num(it->info, a->baseline_value, lang);
  Num to = report_value_num(it->info, a->latest_value, lang);
  if (!isfinite(a->measure_value)) {
    add_figure(b, rep, i, lang);
    str_add(b, T_(l, ", the baseline year of the growth target"));
    add_measure_target(b, rep, i, lang);
    return;
  }
  str_add(b, T_(l, "From %d to %d%s, %s"), a->baseline_year, a->latest_year,
          it->latest_estimated ? T_(l, " (estimate)") : "",
          report_indicator_phrase(it->info, lang));
  if (t->level >= 0)
    str_add(b, TC_(l, "a unit's figure", " in %s"), it->unit_name);
  Num g = report_pct_num(fabs(a->measure_value), 2, lang);
  str_add(b, a->measure_value >= 0
                 ? T_(l, " grew by %s a year on average (from %s to %s)")
                 : T_(l, " fell by %s a year on average (from %s to %s)"),
          g.v, from.v, to.v);
  add_measure_target(b, rep, i, lang);
}

static void add_main_sentence(Str *b, const HicovReport *rep, size_t i,
                              int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const ReportItem *it = &rep->items[i];
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  if (!isfinite(a->latest_value)) {
    Num thr = report_threshold_num(it->info, a->threshold, lang);
    str_add(b, T_(l, "There are no figures on %s for %s to assess the target "
                  "of %s by %d"), report_indicator_phrase(it->info, lang),
            it->unit_name, t && t->kind != HICOV_TARGET_KIND_LEVEL
                               ? target_words(t, it->info, lang).v : thr.v,
            a->deadline_year);
    const char *why = item_reason(rep, i, lang);
    if (why[0])
      str_add(b, " (%s)", why);
    str_add(b, ".");
    return;
  }
  add_fallback(b, rep, i, lang);
  if (t && t->kind == HICOV_TARGET_KIND_GROWTH) {
    add_growth(b, rep, i, lang);
  } else if (t && t->kind == HICOV_TARGET_KIND_CHANGE &&
             isfinite(a->measure_value)) {
    add_figure(b, rep, i, lang);
    add_change(b, rep, i, lang);
  } else {
    add_figure(b, rep, i, lang);
    add_level_gap(b, rep, i, lang);
  }
  str_add(b, ".");
}

static void add_baseline_sentence(Str *b, const HicovReport *rep, size_t i,
                                  int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  if ((t && t->kind != HICOV_TARGET_KIND_LEVEL) || a->baseline_year <= 0 ||
      !isfinite(a->baseline_value) || !isfinite(a->latest_value) ||
      a->baseline_year == a->latest_year)
    return;
  const char *l = tag(lang);
  Num base = report_value_num(info, a->baseline_value, lang);
  double d = hicov_change(a->baseline_value, a->latest_value);
  if (report_is_rate(info)) {
    if (fabs(d) < 0.05) {
      str_add(b, T_(l, " Compared with %d (%s), it is unchanged."),
              a->baseline_year, base.v);
      return;
    }
    /* TRANSLATORS: %3$s is the difference in points, %4$s "more" or
       "less" */
    str_add(b, T_(l, " Compared with %d (%s), that is %s %s."),
            a->baseline_year, base.v, report_diff_num(info, d, lang).v,
            d > 0 ? TC_(l, "a rate's change", "more")
                  : TC_(l, "a rate's change", "less"));
  } else if (a->baseline_value != 0) {
    /* the size of the growth, the direction of the change: from a negative
       baseline the growth's sign is not the direction */
    double g = hicov_growth_pct(a->baseline_value, a->latest_value);
    Num gp = report_pct_num(fabs(g), 1, lang);
    str_add(b, T_(l, " Compared with %d (%s), it %s by %s."),
            a->baseline_year, base.v,
            d >= 0 ? TC_(l, "a value's change", "rose")
                   : TC_(l, "a value's change", "fell"),
            gp.v);
  }
}

/* ---- The verdict -------------------------------------------------------- */

/* The target as the status sentences name it: "98%" or "a rise of ...". */
static Num target_name(const HicovReport *rep, size_t i, int lang)
{
  const HicovTarget *t = target_of(rep, i);
  if (t && t->kind != HICOV_TARGET_KIND_LEVEL)
    return target_words(t, rep->items[i].info, lang);
  return report_threshold_num(rep->items[i].info, rep->assess[i].threshold,
                              lang);
}

static void add_final(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const char *l = tag(lang);
  Num thr = target_name(rep, i, lang);
  if (a->status == HICOV_TARGET_ACHIEVED) {
    str_add(b, "%s", a->estimated
                         ? T_(l, " On the estimated figure, the target has "
                                 "been met.")
                         : T_(l, " The target has been met."));
    return;
  }
  if (a->estimated)
    str_add(b, T_(l, " On the estimated figure, the target of %s by %d was "
                  "not met."), thr.v, a->deadline_year);
  else
    str_add(b, T_(l, " The target of %s by %d was not met."), thr.v,
            a->deadline_year);
  int late = a->achieved_year - a->deadline_year;
  if (a->achieved_year > 0)
    /* TRANSLATORS: "It was met in 2027, 2 years late." */
    str_add(b, hicov_ntext(l, " It was met in %d, %d year late.",
                           " It was met in %d, %d years late.",
                           (unsigned long)late), a->achieved_year, late);
  else if (isfinite(a->projected_year) && a->fit_n >= 2)
    str_add(b, T_(l, " At the %d–%d trend, it would be reached around %d."),
            a->fit_years[0], a->fit_years[a->fit_n - 1],
            (int)a->projected_year);
}

/* The trend at the deadline in the target's terms. */
static Num projected(const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovTarget *t = target_of(rep, i);
  if (t && t->kind == HICOV_TARGET_KIND_GROWTH)
    return per_year(report_pct_num(a->projected_measure, 2, lang), lang);
  return report_value_num(rep->items[i].info, a->projected_value, lang);
}

/* A floor not yet due: what it takes, and the trend. */
static void add_floor(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  int rate = report_is_rate(info), growth = t->kind == HICOV_TARGET_KIND_GROWTH;
  if (growth && isfinite(a->required_annual_growth)) {
    str_add(b, T_(l, " To reach the target by %d, it must grow by %s a year "
                  "on average from now;"), a->deadline_year,
            report_pct_num(a->required_annual_growth, 2, lang).v);
  } else if (!growth && isfinite(a->required_annual_change)) {
    Num c = rate ? report_number_num(a->required_annual_change, 2, lang) :
                   report_value_num(info, a->required_annual_change, lang);
    str_add(b, T_(l, " To reach the target by %d, it must rise by %s%s a "
                  "year on average"), a->deadline_year, c.v,
            rate ? T_(l, " percentage points") : "");
    if (isfinite(a->required_annual_growth))
      str_add(b, T_(l, " (%s a year)"),
              report_pct_num(a->required_annual_growth, 2, lang).v);
    str_add(b, ";");
  }
  if (!isfinite(a->projected_value)) {
    str_add(b, "%s", T_(l, " there are too few figures for a projection."));
    return;
  }
  Num p = projected(rep, i, lang);
  if (a->status == HICOV_TARGET_ON_TRACK) {
    str_add(b, T_(l, " at the current trend it is projected to reach %s in "
                  "%d, on track."), p.v, a->deadline_year);
    return;
  }
  str_add(b, T_(l, " at the current trend it is projected to reach only %s "
                "in %d, so the target is at risk"), p.v, a->deadline_year);
  if (isfinite(a->projected_year))
    str_add(b, T_(l, " (at this trend it would be reached around %d)"),
            (int)a->projected_year);
  str_add(b, ".");
}

/* How much a cap still allows, or the fall it needs, to the deadline. */
static void add_cap_room(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  double c = a->required_annual_change, g = a->required_annual_growth;
  if (!isfinite(c))
    return;
  if (t->kind == HICOV_TARGET_KIND_GROWTH && isfinite(g)) {
    str_add(b, g >= 0 ? T_(l, " To keep within the cap over the term, it may "
                           "grow by at most %s a year from now to %d.")
                      : T_(l, " To come within the cap over the term, it "
                           "must fall by %s a year from now to %d."),
            report_pct_num(fabs(g), 2, lang).v, t->deadline_year);
    return;
  }
  Num n = report_diff_num(info, c, lang);
  if (c >= 0)
    str_add(b, T_(l, " To stay within the cap, it may rise by at most %s a "
                  "year to %d"), n.v, t->deadline_year);
  else
    str_add(b, T_(l, " To be within the cap by %d, it must fall by %s a year "
                  "on average"), t->deadline_year, n.v);
  if (isfinite(g))
    str_add(b, T_(l, " (%s a year)"), report_pct_num(fabs(g), 2, lang).v);
  str_add(b, ".");
}

/* A cap not yet due: judged through the deadline. */
static void add_cap(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const char *l = tag(lang);
  if (!isfinite(a->projected_measure)) {
    str_add(b, "%s", T_(l, " There are too few figures for a projection, "
                           "so whether it stays within the cap to the "
                           "deadline cannot be judged."));
    return;
  }
  Num p = projected(rep, i, lang);
  int met_now = isfinite(a->gap) && a->gap <= 0;
  if (met_now && a->break_year)
    str_add(b, T_(l, " It is within the cap now, but at the current trend "
                  "it would break it from %d (%s in %d), so the target is at "
                  "risk."), a->break_year, p.v, a->deadline_year);
  else if (a->status == HICOV_TARGET_ON_TRACK)
    str_add(b, T_(l, " At the current trend it is projected at %s in %d, "
                  "within the cap: on track."), p.v, a->deadline_year);
  else
    str_add(b, T_(l, " At the current trend it is projected at %s in %d, "
                  "over the cap, so the target is at risk."), p.v,
            a->deadline_year);
  add_cap_room(b, rep, i, lang);
}

static void add_status_sentence(Str *b, const HicovReport *rep, size_t i,
                                int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  int final = a->latest_year >= a->deadline_year;
  int cap = t && t->comparison == HICOV_CMP_AT_MOST;
  if (!isfinite(a->latest_value))
    return;
  if (a->status == HICOV_TARGET_NOT_ACHIEVED ||
      (a->status == HICOV_TARGET_ACHIEVED && (final || !cap))) {
    add_final(b, rep, i, lang);
  } else if (cap && a->status != HICOV_TARGET_UNKNOWN) {
    add_cap(b, rep, i, lang);
  } else if (a->status == HICOV_TARGET_ON_TRACK ||
             a->status == HICOV_TARGET_AT_RISK) {
    add_floor(b, rep, i, lang);
  } else if (cap) {
    add_cap(b, rep, i, lang);
  } else {
    str_add(b, "%s", T_(l, " There is not enough data for an assessment"));
    const char *why = item_reason(rep, i, lang);
    if (why[0])
      str_add(b, " (%s)", why);
    str_add(b, ".");
  }
}

char *report_assessment_text(const HicovReport *rep, size_t i, int lang)
{
  Str b = { 0 };
  add_main_sentence(&b, rep, i, lang);
  add_baseline_sentence(&b, rep, i, lang);
  add_status_sentence(&b, rep, i, lang);
  return report_str_finish(&b);
}

/* ---- Targets as wholes -------------------------------------------------- */

const char *report_item_status_label(const HicovReport *rep, size_t i,
                                     int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  return hicov_status_label_full(a->status, a->estimated,
                                 a->achieved_year > 0, tag(lang));
}

const char *report_target_status_label(const HicovReport *rep, size_t t,
                                       int lang)
{
  const HicovTargetVerdict *v = &rep->targets[t].verdict;
  return hicov_status_label_full(v->status, v->estimated,
                                 v->achieved_year > 0, tag(lang));
}

/* "every commune" / "at least 80% of communes (160)" */
static void add_units_required(Str *b, const HicovReport *rep, size_t t,
                               int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovTargetVerdict *v = &rep->targets[t].verdict;
  const char *l = tag(lang);
  const char *what = hicov_level_plural(tg->level, l);
  if (tg->units_share > 0 && tg->units_share < 100)
    str_add(b, T_(l, "at least %s of %s (%zu of %zu)"),
            report_pct_num(tg->units_share, tg->units_share ==
                           floor(tg->units_share) ? 0 : 1, lang).v,
            what, v->needed, v->units);
  else
    str_add(b, T_(l, "every one of the %zu %s"), v->units, what);
}

char *report_target_summary_text(const HicovReport *rep, size_t t, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  const char *l = tag(lang);
  Num thr = tg->kind == HICOV_TARGET_KIND_LEVEL
                ? report_threshold_num(info, tg->threshold, lang)
                : target_words(tg, info, lang);
  Str b = { 0 };
  const char *what = hicov_level_plural(tg->level, l);
  str_add(&b, T_(l, "%zu of %zu %s have met the %s target (%s)"),
          s->by_status[HICOV_TARGET_ACHIEVED], s->count, what, thr.v,
          report_indicator_phrase(info, lang));
  str_add(&b, T_(l, "; %zu on track, %zu at risk, %zu not achieved, %zu "
                 "without enough data."), s->by_status[HICOV_TARGET_ON_TRACK],
          s->by_status[HICOV_TARGET_AT_RISK],
          s->by_status[HICOV_TARGET_NOT_ACHIEVED],
          s->by_status[HICOV_TARGET_UNKNOWN]);
  if (s->verdict.achieved_late)
    str_add(&b, hicov_ntext(l, " Of those not achieved, %zu met it after the "
                            "deadline.", " Of those not achieved, %zu met it "
                            "after the deadline.", s->verdict.achieved_late),
            s->verdict.achieved_late);
  str_add(&b, "%s", T_(l, " The resolution asks it of "));
  add_units_required(&b, rep, t, lang);
  str_add(&b, T_(l, ": %s."), report_target_status_label(rep, t, lang));
  return report_str_finish(&b);
}

/* The comparison as a sign for short texts. */
static const char *sign(const HicovTarget *t)
{
  return t->comparison == HICOV_CMP_AT_MOST ? "≤" : "≥";
}

char *report_target_text(const HicovReport *rep, size_t t, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  const char *l = tag(lang);
  Str b = { 0 };
  if (tg->level >= 0 && tg->units_share > 0 && tg->units_share < 100)
    str_add(&b, T_(l, "At least %s of %s: "),
            report_pct_num(tg->units_share, 0, lang).v,
            hicov_level_plural(tg->level, l));
  else if (tg->level >= 0)
    str_add(&b, T_(l, "Every one of the %s: "),
            hicov_level_plural(tg->level, l));
  const char *label = report_indicator_label(info, lang);
  if (tg->kind == HICOV_TARGET_KIND_LEVEL)
    str_add(&b, T_(l, "%s %s %s by %d"), label, sign(tg),
            report_threshold_num(info, tg->threshold, lang).v,
            tg->deadline_year);
  else if (tg->kind == HICOV_TARGET_KIND_CHANGE)
    str_add(&b, T_(l, "%s: change %s %s%s, %d–%d"), label, sign(tg),
            tg->threshold < 0 ? "−" : "",
            report_diff_num(info, tg->threshold, lang).v, tg->baseline_year,
            tg->deadline_year);
  else
    str_add(&b, T_(l, "%s: average growth %s %s%s a year, %d–%d"), label,
            sign(tg), tg->threshold < 0 ? "−" : "",
            report_pct_num(fabs(tg->threshold), fabs(tg->threshold) ==
                           floor(fabs(tg->threshold)) ? 0 : 2, lang).v,
            tg->baseline_year, tg->deadline_year);
  return report_str_finish(&b);
}

/* The subject's own figure in the target's terms, with its year. */
static void add_subject_figure(Str *b, const HicovReport *rep, size_t t,
                               const HicovAssessment *a, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  const char *l = tag(lang);
  if (!a || a->latest_year <= 0 || !isfinite(a->latest_value)) {
    str_add(b, "%s", T_(l, "no figure"));
    return;
  }
  Num v;
  if (tg->kind == HICOV_TARGET_KIND_GROWTH && isfinite(a->measure_value)) {
    v = report_pct_num(a->measure_value, 2, lang);
    str_add(b, T_(l, "%s a year over %d–%d"), v.v, a->baseline_year,
            a->latest_year);
  } else if (tg->kind == HICOV_TARGET_KIND_CHANGE &&
             isfinite(a->measure_value)) {
    v = report_value_num(info, a->latest_value, lang);
    str_add(b, T_(l, "%s in %d (%s%s since %d)"), v.v, a->latest_year,
            a->measure_value < 0 ? "−" : "+",
            report_diff_num(info, a->measure_value, lang).v,
            a->baseline_year);
  } else {
    v = report_value_num(info, a->latest_value, lang);
    str_add(b, T_(l, "%s in %d"), v.v, a->latest_year);
  }
  if (a->estimated)
    str_add(b, "%s", T_(l, " (estimate)"));
}

static void add_result(Str *b, const HicovReport *rep, size_t t, int lang)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const ReportTargetSummary *s = &rep->targets[t];
  const char *l = tag(lang);
  str_add(b, "%s: ", rep->subject_name);
  const HicovAssessment *a = tg->level < 0
                                 ? (s->count ? &rep->assess[s->first] : NULL)
                                 : (s->has_subject ? &s->subject : NULL);
  add_subject_figure(b, rep, t, a, lang);
  if (tg->level >= 0)
    /* TRANSLATORS: "; 76/200 communes have met it" */
    str_add(b, T_(l, "; %zu/%zu %s have met it"),
            s->verdict.by_status[HICOV_TARGET_ACHIEVED], s->verdict.units,
            hicov_level_plural(tg->level, l));
}

char *report_target_result(const HicovReport *rep, size_t t, int lang)
{
  Str b = { 0 };
  add_result(&b, rep, t, lang);
  return report_str_finish(&b);
}

char *report_target_headline(const HicovReport *rep, size_t t, int lang)
{
  Str b = { 0 };
  add_result(&b, rep, t, lang);
  str_add(&b, ". %s.", report_target_status_label(rep, t, lang));
  return report_str_finish(&b);
}

/* ---- What it takes ------------------------------------------------------ */

/* For a unit's own target not yet met (or a cap at risk): what it takes
 * to the deadline. */
static void add_unit_task(Str *b, const HicovReport *rep, size_t i, int lang)
{
  const HicovAssessment *a = &rep->assess[i];
  const HicovIndicatorInfo *info = rep->items[i].info;
  const HicovTarget *t = target_of(rep, i);
  const char *l = tag(lang);
  if (t->comparison == HICOV_CMP_AT_MOST) {
    add_cap_room(b, rep, i, lang);
    return;
  }
  int rate = report_is_rate(info);
  if (t->kind != HICOV_TARGET_KIND_GROWTH &&
      isfinite(a->required_annual_change) && a->required_annual_change > 0) {
    Num c = rate ? report_number_num(a->required_annual_change, 2, lang) :
                   report_value_num(info, a->required_annual_change, lang);
    str_add(b, T_(l, " To reach the target by %d, it must rise by %s%s a "
                  "year on average"), a->deadline_year, c.v,
            rate ? T_(l, " percentage points") : "");
    str_add(b, ".");
  } else if (isfinite(a->required_annual_growth) &&
             a->required_annual_growth > 0) {
    str_add(b, T_(l, " To reach the target by %d, it must grow by %s a year "
                  "on average from now;"), a->deadline_year,
            report_pct_num(a->required_annual_growth, 2, lang).v);
  }
  if (isfinite(a->participants_needed) && a->participants_needed > 0) {
    int approx;
    Num n = report_people_num(a->participants_needed, lang, &approx);
    str_add(b, T_(l, " %s%s more people need to join."),
            approx ? T_(l, "About ") : "", n.v);
  }
}

int report_target_task(const HicovReport *rep, size_t t, int lang,
                       char **out)
{
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const ReportTargetSummary *s = &rep->targets[t];
  const char *l = tag(lang);
  int st = s->verdict.status;
  *out = NULL;
  if (st == HICOV_TARGET_ACHIEVED ||
      (st == HICOV_TARGET_ON_TRACK && tg->comparison != HICOV_CMP_AT_MOST))
    return HICOV_OK;
  Str b = { 0 };
  str_add(&b, "%s:", s->text[lang]);
  if (tg->level >= 0) {
    size_t open = s->verdict.units - s->verdict.by_status[HICOV_TARGET_ACHIEVED];
    double people = 0;
    for (size_t k = 0; k < s->count; k++) {
      const HicovAssessment *a = &rep->assess[s->first + k];
      if (a->status != HICOV_TARGET_ACHIEVED &&
          isfinite(a->participants_needed))
        people += a->participants_needed;
    }
    str_add(&b, T_(l, " %zu of the %zu %s have not met it yet; the appendix "
                   "lists each with its gap."), open, s->verdict.units,
            hicov_level_plural(tg->level, l));
    if (people > 0) {
      int approx;
      Num n = report_people_num(people, lang, &approx);
      str_add(&b, T_(l, " %s%s more people need to join in them."),
              approx ? T_(l, "About ") : "", n.v);
    }
  } else if (s->count) {
    size_t before = b.len;
    add_unit_task(&b, rep, s->first, lang);
    if (b.len == before)
      str_add(&b, " %s.", report_target_status_label(rep, t, lang));
  }
  *out = report_str_finish(&b);
  return *out ? HICOV_OK : HICOV_NOMEM;
}

/* ---- Boundaries ------------------------------------------------------- */

char *report_boundaries_text(const HicovReport *rep, int lang)
{
  const char *l = tag(lang);
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
  return report_str_finish(&b);
}
