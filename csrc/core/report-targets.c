/* report-targets.c - the parts of a report about its targets as wholes
 * and its findings as groups, its dates and its issuer.
 *
 *  - Each target's verdict (hicov_target_verdict) and, for a target over
 *    the units of a level, the figure of the target's own unit (the
 *    province on a target for its communes), assessed as its own target.
 *  - The data-quality findings grouped by kind, in the report's language,
 *    with the units' names (a synthetic unit marked "*").
 *  - Dates as an administrative document writes them, in Viet Nam's time
 *    (UTC+7, no daylight saving): "ngày 07 tháng 12 năm 2026" (a day
 *    below 10 and the months 1 and 2 with a leading 0, Nghị định
 *    30/2020/NĐ-CP).
 *  - $SOURCE_DATE_EPOCH as the time of a report, for reproducible output.
 * libc only. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report-private.h"

#define VIET_NAM_OFFSET (7 * 3600)

/* ---- Targets ------------------------------------------------------------ */

/* The subject's own figure on target t, which is over units: the same
 * target for the target's unit alone. */
static int subject_assessment(HicovReport *rep, HicovDataset *ds, size_t t)
{
  ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  HicovResolution *one = NULL;
  int start, end;
  hicov_resolution_term(rep->res, &start, &end);
  int rc = hicov_resolution_new(hicov_resolution_body(rep->res),
                                hicov_resolution_number(rep->res), NULL,
                                start, end, &one);
  HicovTarget own = *tg;
  own.level = -1;
  own.units_share = 0;
  if (rc == HICOV_OK)
    rc = hicov_resolution_add_target(one, &own);
  HicovAssessment *a = NULL;
  size_t n = 0;
  if (rc == HICOV_OK)
    rc = hicov_assess(ds, one, &a, &n);
  if (rc == HICOV_OK && n == 1) {
    s->subject = a[0];
    s->has_subject = 1;
  }
  hicov_free(a);
  hicov_resolution_free(one);
  /* a unit without the figure is said so, not an error of the report */
  return rc == HICOV_NOMEM ? rc : HICOV_OK;
}

/* One line on the equity of target t: the highest and lowest unit, their
 * ratio, the weighted index of disparity and the Theil index (x 1000, as
 * HEAT shows it). */
static char *equity_text(const HicovReport *rep, size_t t, int lang)
{
  const ReportTargetSummary *s = &rep->targets[t];
  const HicovEquity *e = &s->equity;
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  const HicovIndicatorInfo *info = hicov_indicator_find(tg->indicator);
  const char *l = report_lang_tag(lang);
  char high[64], low[64], ratio[64], idis[64], theil[64];
  report_format_value(info, e->high, lang, high, sizeof high);
  report_format_value(info, e->low, lang, low, sizeof low);
  if (isfinite(e->ratio))
    hicov_format_number(e->ratio, 2, l, ratio, sizeof ratio);
  else
    snprintf(ratio, sizeof ratio, "–");
  hicov_format_percent(e->idis_w, 2, l, idis, sizeof idis);
  if (isfinite(e->theil))
    hicov_format_number(e->theil * 1000, 2, l, theil, sizeof theil);
  else
    snprintf(theil, sizeof theil, "–");
  ReportStr b = { 0 };
  /* TRANSLATORS: the level's word ("commune"), the year, units used;
     highest/lowest values, their ratio, IDisW, Theil x 1000 */
  report_str_add(&b, T_(l, "Equity across units at %s level (%d, %zu "
                        "units): highest/lowest %s/%s (ratio %s), weighted "
                        "index of disparity %s, Theil index %s (x1000)."),
                 hicov_level_word(tg->level, l), s->equity_year, e->n_used,
                 high, low, ratio, idis, theil);
  return report_str_finish(&b);
}

/* The equity of target t's indicator across its units in the latest year
 * it can be computed; a target with none has no equity line. */
static int target_equity(HicovReport *rep, HicovDataset *ds, size_t t)
{
  ReportTargetSummary *s = &rep->targets[t];
  const HicovTarget *tg = hicov_resolution_target(rep->res, t);
  for (int y = rep->last_year; y >= rep->first_year && y > 0; y--) {
    int rc = hicov_equity(ds, tg->indicator, tg->unit, tg->level,
                          hicov_period_year(y), NULL, NULL, &s->equity);
    if (rc == HICOV_NOMEM)
      return rc;
    if (rc == HICOV_OK && s->equity.status == HICOV_OK) {
      /* the codes belong to ds, which the report does not keep */
      HicovEquity *e = &s->equity;
      if ((e->high_unit && !(s->equity_units[0] = report_strdup(e->high_unit)))
          || (e->low_unit && !(s->equity_units[1] = report_strdup(e->low_unit))))
        return HICOV_NOMEM;
      e->high_unit = s->equity_units[0];
      e->low_unit = s->equity_units[1];
      for (size_t i = 0; i < e->n_excluded; i++)
        e->excluded[i].unit = NULL;
      s->has_equity = 1;
      s->equity_year = y;
      for (int l = 0; l < 2; l++)
        if (!(s->equity_text[l] = equity_text(rep, t, l)))
          return HICOV_NOMEM;
      return HICOV_OK;
    }
    hicov_equity_clear(&s->equity);
    if (rc != HICOV_OK)
      break;
  }
  return HICOV_OK;
}

int report_build_targets(HicovReport *rep, HicovDataset *ds)
{
  for (size_t t = 0; t < rep->ntargets; t++) {
    ReportTargetSummary *s = &rep->targets[t];
    const HicovTarget *tg = hicov_resolution_target(rep->res, t);
    int rc = hicov_target_verdict(rep->res, t, rep->assess, rep->nassess,
                                  &s->verdict);
    if (rc == HICOV_OK && tg->level >= 0)
      rc = subject_assessment(rep, ds, t);
    if (rc == HICOV_OK && tg->level >= 0)
      rc = target_equity(rep, ds, t);
    if (rc != HICOV_OK)
      return rc;
  }
  for (size_t t = 0; t < rep->ntargets; t++)
    for (int l = 0; l < 2; l++) {
      ReportTargetSummary *s = &rep->targets[t];
      if (!(s->text[l] = report_target_text(rep, t, l)) ||
          !(s->headline[l] = report_target_headline(rep, t, l)))
        return HICOV_NOMEM;
    }
  return HICOV_OK;
}

/* ---- Findings in groups ------------------------------------------------- */

const char *report_finding_kind_label(int kind, int lang)
{
  static const char *const labels[] = {
    NC_("finding kind", "Participants above population"),
    NC_("finding kind", "Missing month"),
    NC_("finding kind", "Unusual growth"),
    NC_("finding kind", "Units below do not add up"),
    NC_("finding kind", "Negative value"),
    NC_("finding kind", "Missing year"),
  };
  const char *l = report_lang_tag(lang);
  if (kind < HICOV_FINDING_PARTICIPANTS_ABOVE_POPULATION ||
      kind > HICOV_FINDING_MISSING_YEAR)
    return hicov_text(l, NC_("finding kind", "Other"));
  return hicov_text(l, labels[kind - 1]);
}

/* A finding's period as a reader says it: "2025", "2021–2023". */
static void period_words(HicovPeriod p, char *buf, size_t size)
{
  int y0 = p.first / 12, y1 = p.last / 12;
  if (p.first % 12 == 0 && p.last % 12 == 11 && y0 != y1)
    snprintf(buf, size, "%d–%d", y0, y1);
  else if (p.first % 12 == 0 && p.last % 12 == 11)
    snprintf(buf, size, "%d", y0);
  else if (hicov_period_format(p, buf, size) != HICOV_OK)
    snprintf(buf, size, "?");
}

/* Distinct strings, in order of first use, at most `max` kept. */
typedef struct {
  const char *items[12];
  size_t n, total;
} Distinct;

static void distinct_add(Distinct *d, const char *s, size_t max)
{
  for (size_t i = 0; i < d->n; i++)
    if (!strcmp(d->items[i], s))
      return;
  if (d->n < max && d->n < 12)
    d->items[d->n++] = s;
  d->total++;
}

static int code_cmp(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct units of the findings of a kind (by code). */
static int count_units(const HicovReport *rep, int kind, size_t *out)
{
  const char **codes = report_malloc((rep->nfindings + 1) * sizeof *codes);
  if (!codes)
    return HICOV_NOMEM;
  size_t n = 0, distinct = 0;
  for (size_t i = 0; i < rep->nfindings; i++)
    if (rep->findings[i].kind == kind)
      codes[n++] = rep->findings[i].unit;
  qsort(codes, n, sizeof *codes, code_cmp);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || strcmp(codes[i - 1], codes[i]);
  report_free(codes);
  *out = distinct;
  return HICOV_OK;
}

static const char *unit_name(HicovDataset *ds, const char *code,
                             int *synthetic)
{
  size_t idx;
  HicovUnit u;
  *synthetic = 0;
  if (hicov_dataset_find_unit(ds, code, &idx) != HICOV_OK ||
      hicov_dataset_unit(ds, idx, &u) != HICOV_OK)
    return code;
  *synthetic = u.synthetic;
  return u.name ? u.name : code;
}

static char *group_text(const HicovReport *rep, HicovDataset *ds, int kind,
                        size_t count, size_t nunits, int lang)
{
  const char *l = report_lang_tag(lang);
  Distinct units = { 0 }, measures = { 0 }, periods = { 0 };
  char pbuf[12][32];
  size_t np = 0;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const HicovFinding *f = &rep->findings[i];
    if (f->kind != kind)
      continue;
    distinct_add(&units, f->unit, 8);
    int m = hicov_measure_find(f->measure);
    distinct_add(&measures, m >= 0 ? hicov_measure_label(
                     hicov_measure_info((size_t)m), l) : f->measure, 6);
    char p[32];
    period_words(f->period, p, sizeof p);
    size_t before = periods.n;
    if (np < 12) {
      memcpy(pbuf[np], p, sizeof p);
      distinct_add(&periods, pbuf[np], 6);
      np += periods.n > before;
    }
  }
  ReportStr b = { 0 };
  report_str_add(&b, hicov_ntext(l, "%s: %zu finding about %zu unit (",
                                 "%s: %zu findings about %zu units (", count),
                 report_finding_kind_label(kind, lang), count, nunits);
  for (size_t i = 0; i < units.n; i++) {
    int syn;
    const char *name = unit_name(ds, units.items[i], &syn);
    report_str_add(&b, "%s%s%s", i ? ", " : "", name, syn ? "*" : "");
  }
  if (nunits > units.n)
    report_str_add(&b, hicov_ntext(l, " and %zu more", " and %zu more",
                                   nunits - units.n), nunits - units.n);
  report_str_add(&b, "%s", T_(l, "); figures: "));
  for (size_t i = 0; i < measures.n; i++)
    report_str_add(&b, "%s%s", i ? ", " : "", measures.items[i]);
  report_str_add(&b, "%s", T_(l, "; periods: "));
  for (size_t i = 0; i < periods.n; i++)
    report_str_add(&b, "%s%s", i ? ", " : "", periods.items[i]);
  if (periods.total > periods.n)
    report_str_add(&b, "%s", T_(l, " and others"));
  report_str_add(&b, ".");
  return report_str_finish(&b);
}

int report_build_finding_groups(HicovReport *rep, HicovDataset *ds)
{
  enum { KINDS = 16 };
  rep->groups = report_calloc(KINDS, sizeof *rep->groups);
  if (!rep->groups)
    return HICOV_NOMEM;
  for (int kind = 1; kind < KINDS; kind++) {
    size_t count = 0;
    int severity = 0;
    for (size_t i = 0; i < rep->nfindings; i++)
      if (rep->findings[i].kind == kind) {
        count++;
        if (rep->findings[i].severity > severity)
          severity = rep->findings[i].severity;
      }
    if (!count)
      continue;
    ReportFindingGroup *g = &rep->groups[rep->ngroups++];
    g->kind = kind;
    g->severity = severity;
    g->count = count;
    if (count_units(rep, kind, &g->nunits) != HICOV_OK)
      return HICOV_NOMEM;
    for (int l = 0; l < 2; l++)
      if (!(g->text[l] = group_text(rep, ds, kind, count, g->nunits, l)))
        return HICOV_NOMEM;
  }
  return HICOV_OK;
}

/* ---- Dates -------------------------------------------------------------- */

int64_t report_default_time(void)
{
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (e && *e) {
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (!*end && !errno && v >= 0 && v < 253402300800LL)
      return (int64_t)v;
  }
  return (int64_t)time(NULL);
}

static int vn_time(int64_t t, struct tm *tm)
{
  time_t tt = (time_t)(t + VIET_NAM_OFFSET);
  return gmtime_r(&tt, tm) != NULL;
}

void report_format_date(int64_t t, int lang, char *buf, size_t size)
{
  /* English only: Vietnamese numbers its months */
  static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December" };
  struct tm tm;
  if (!vn_time(t, &tm)) {
    snprintf(buf, size, "?");
    return;
  }
  int day = tm.tm_mday, month = tm.tm_mon + 1, year = tm.tm_year + 1900;
  if (lang == LANG_VI)
    snprintf(buf, size, month <= 2 ? "ngày %02d tháng %02d năm %d"
                                   : "ngày %02d tháng %d năm %d",
             day, month, year);
  else
    snprintf(buf, size, "%d %s %d", day, months[month - 1], year);
}

void report_format_place_date(int64_t t, const char *place, int lang,
                              char *buf, size_t size)
{
  char date[64];
  report_format_date(t, lang, date, sizeof date);
  if (place && *place)
    snprintf(buf, size, "%s, %s", place, date);
  else
    snprintf(buf, size, "%s", date);
}

char *report_summary_title(const HicovReport *rep, int lang)
{
  if (rep->issuer.summary)
    return report_strdup(rep->issuer.summary);
  const char *title = hicov_resolution_title(rep->res);
  if (!title || !*title)
    title = hicov_resolution_number(rep->res);
  ReportStr b = { 0 };
  report_str_add(&b, T_(report_lang_tag(lang), "Results of carrying out the "
                        "health-insurance targets of the %s"), title);
  return report_str_finish(&b);
}

/* ---- The issuer --------------------------------------------------------- */

void report_issuer_clear(ReportIssuer *is)
{
  char **fields[] = { &is->parent_agency, &is->agency, &is->number,
                      &is->place, &is->signer_authority, &is->signer_title,
                      &is->signer_name, &is->summary, &is->archive };
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    report_free(*fields[i]);
  for (size_t i = 0; i < is->nrecipients; i++)
    report_free(is->recipients[i]);
  report_free(is->recipients);
  memset(is, 0, sizeof *is);
}

/* A copy of s, NULL for NULL or "" (*failed set when out of memory). */
static char *copy(const char *s, int *failed)
{
  if (!s || !*s)
    return NULL;
  char *c = report_strdup(s);
  if (!c)
    *failed = 1;
  return c;
}

int hicov_report_set_issuer(HicovReport *rep, const HicovIssuer *in)
{
  if (!rep)
    return HICOV_INVALID;
  ReportIssuer is = { 0 };
  int failed = 0;
  if (in) {
    is.parent_agency = copy(in->parent_agency, &failed);
    is.agency = copy(in->agency, &failed);
    is.number = copy(in->number, &failed);
    is.place = copy(in->place, &failed);
    is.signer_authority = copy(in->signer_authority, &failed);
    is.signer_title = copy(in->signer_title, &failed);
    is.signer_name = copy(in->signer_name, &failed);
    is.summary = copy(in->summary, &failed);
    is.archive = copy(in->archive, &failed);
    if (in->n_recipients && !in->recipients)
      failed = 2;
    if (!failed && in->n_recipients) {
      is.recipients = report_calloc(in->n_recipients, sizeof *is.recipients);
      failed = !is.recipients;
      for (size_t i = 0; !failed && i < in->n_recipients; i++)
        if (in->recipients[i] && *in->recipients[i])
          is.recipients[is.nrecipients++] = copy(in->recipients[i], &failed);
    }
  }
  if (failed) {
    report_issuer_clear(&is);
    return failed == 2 ? HICOV_INVALID : HICOV_NOMEM;
  }
  report_issuer_clear(&rep->issuer);
  rep->issuer = is;
  return HICOV_OK;
}
