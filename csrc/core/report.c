/* report.c - the report model: everything a congress-resolution report
 * states, computed once from the core (hicov_assess, indicator values,
 * hicov_dataset_check) and then written as XML, HTML or PDF.  libc only. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report-private.h"

/* Columns of the tables, by preference; the first few the core knows are
 * used, so the report follows the core's indicator list. */
static const char *const coverage_cols[] = {
  "population", "participants", "coverage_rate", NULL
};
static const char *const spending_cols[] = {
  "visits", "total_cost", "fund_paid", "cost_per_visit",
  "cost_per_participant", NULL
};
static const char *const year_cols[] = {
  "population", "participants", "coverage_rate", "visits", "total_cost",
  "fund_paid", NULL
};
#define YEAR_TABLE_MAX_YEARS 30

void report_set_error(HicovReport *rep, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(rep->errmsg, sizeof rep->errmsg, fmt, ap) >=
      (int)sizeof rep->errmsg)
    hicov_utf8_trim(rep->errmsg);
  va_end(ap);
}

int report_lang_index(const char *lang)
{
  return hicov_format_is_vi(lang) ? LANG_VI : LANG_EN;
}

void report_format_time(int64_t t, char *buf, size_t size)
{
  time_t tt = (time_t)t;
  struct tm tm;
  if (!gmtime_r(&tt, &tm) ||
      strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(buf, size, "1970-01-01T00:00:00Z");
}

void report_format_double(double v, char *buf, size_t size)
{
  if (!isfinite(v)) {
    hicov_fmt(buf, size, "NaN");
    return;
  }
  if (v == 0) { /* also -0 */
    hicov_fmt(buf, size, "0");
    return;
  }
  /* Shortest %.*e that reads back exactly, then written out without an
   * exponent (xs:decimal has none); always with a '.', whatever the
   * process locale. */
  char e[40];
  int prec;
  for (prec = 1; prec <= 17; prec++) {
    hicov_fmt_c(e, sizeof e, "%.*e", prec - 1, v);
    if (hicov_strtod_c(e, NULL) == v)
      break;
  }
  int exp10 = atoi(strchr(e, 'e') + 1);
  int decimals = prec - 1 - exp10;
  if (decimals < 0)
    decimals = 0;
  hicov_fmt_c(buf, size, "%.*f", decimals, v);
}

const char *report_status_token(int status)
{
  switch (status) {
  case HICOV_TARGET_ACHIEVED: return "achieved";
  case HICOV_TARGET_ON_TRACK: return "on-track";
  case HICOV_TARGET_AT_RISK: return "at-risk";
  case HICOV_TARGET_NOT_ACHIEVED: return "not-achieved";
  default: return "unknown";
  }
}

static void table_clear(ReportTable *t)
{
  for (size_t r = 0; r < t->nrows; r++) {
    report_free(t->rows[r].key);
    report_free(t->rows[r].label);
    for (size_t c = 0; c < REPORT_MAX_COLS; c++)
      report_free(t->rows[r].reasons[c]);
  }
  report_free(t->rows);
  memset(t, 0, sizeof *t);
}

void hicov_report_free(HicovReport *rep)
{
  if (!rep)
    return;
  hicov_resolution_free(rep->res);
  report_free(rep->subject_code);
  report_free(rep->subject_name);
  if (rep->items)
    for (size_t i = 0; i < rep->nassess; i++) {
      report_free(rep->items[i].unit_name);
      report_free(rep->items[i].text[0]);
      report_free(rep->items[i].text[1]);
      report_free(rep->items[i].reason[0]);
      report_free(rep->items[i].reason[1]);
    }
  report_free(rep->items);
  report_free(rep->assess);
  if (rep->targets)
    for (size_t i = 0; i < rep->ntargets; i++)
      for (int l = 0; l < 2; l++) {
        report_free(rep->targets[i].summary[l]);
        report_free(rep->targets[i].text[l]);
        report_free(rep->targets[i].headline[l]);
        report_free(rep->targets[i].equity_text[l]);
        report_free(rep->targets[i].equity_units[l]);
        if (l == 0)
          hicov_equity_clear(&rep->targets[i].equity);
      }
  report_free(rep->targets);
  for (size_t i = 0; i < rep->ngroups; i++) {
    report_free(rep->groups[i].text[0]);
    report_free(rep->groups[i].text[1]);
  }
  report_free(rep->groups);
  report_clear_figures(rep);
  report_issuer_clear(&rep->issuer);
  for (size_t i = 0; i < rep->ntables; i++)
    table_clear(&rep->tables[i]);
  report_free(rep->findings);
  report_free(rep->source);
  report_free(rep->state_ds);
  for (size_t i = 0; i < rep->npreds; i++) {
    report_free(rep->preds[i].code);
    report_free(rep->preds[i].name);
  }
  report_free(rep->preds);
  report_free(rep->boundaries_text[0]);
  report_free(rep->boundaries_text[1]);
  for (size_t i = 0; i < rep->ninputs; i++) {
    report_free(rep->inputs[i].path);
    report_free(rep->inputs[i].role);
  }
  report_free(rep->inputs);
  report_free(rep);
}

const char *hicov_report_errmsg(const HicovReport *rep)
{
  return rep ? rep->errmsg : T_(NULL, "no report");
}

const char *hicov_report_lang(const HicovReport *rep)
{
  return rep && rep->lang == LANG_EN ? "en" : "vi";
}

const HicovResolution *hicov_report_resolution(const HicovReport *rep)
{
  return rep ? rep->res : NULL;
}

size_t hicov_report_assessment_count(const HicovReport *rep)
{
  return rep ? rep->nassess : 0;
}

const HicovAssessment *hicov_report_assessment(const HicovReport *rep,
                                               size_t i)
{
  return rep && i < rep->nassess ? &rep->assess[i] : NULL;
}

const char *hicov_report_sentence(const HicovReport *rep, size_t i,
                                  const char *lang)
{
  if (!rep || i >= rep->nassess)
    return NULL;
  int l = lang ? report_lang_index(lang) : rep->lang;
  return rep->items[i].text[l];
}

int hicov_report_set_source(HicovReport *rep, const char *text)
{
  if (!rep)
    return HICOV_INVALID;
  char *copy = NULL;
  if (text && *text && !(copy = report_strdup(text)))
    return HICOV_NOMEM;
  report_free(rep->source);
  rep->source = copy;
  return HICOV_OK;
}

void hicov_report_set_time(HicovReport *rep, int64_t unix_time)
{
  if (rep)
    rep->generated = unix_time;
}

int64_t hicov_report_time(const HicovReport *rep)
{
  return rep ? rep->generated : 0;
}

void report_clear_figures(HicovReport *rep)
{
  for (size_t i = 0; i < rep->nfigures; i++) {
    report_free(rep->figures[i].id);
    report_free(rep->figures[i].title);
    report_free(rep->figures[i].png);
  }
  report_free(rep->figures);
  rep->figures = NULL;
  rep->nfigures = 0;
}

int hicov_report_add_input(HicovReport *rep, const char *path,
                           const char *role)
{
  if (!rep || !path || !*path)
    return HICOV_INVALID;
  ReportInput in = { 0 };
  int rc = hicov_sha256_file(path, in.sha256, &in.bytes);
  if (rc != HICOV_OK) {
    report_set_error(rep, T_(rep->msg_lang, "%s: cannot read the file to "
                             "fingerprint it: %s"), path, strerror(errno));
    return rc;
  }
  in.path = report_strdup(path);
  in.role = report_strdup(role ? role : "");
  ReportInput *grown =
      report_realloc(rep->inputs, (rep->ninputs + 1) * sizeof *grown);
  if (!in.path || !in.role || !grown) {
    if (grown)
      rep->inputs = grown;
    report_free(in.path);
    report_free(in.role);
    return HICOV_NOMEM;
  }
  rep->inputs = grown;
  rep->inputs[rep->ninputs++] = in;
  return HICOV_OK;
}

/* Picks up to `max` level indicators the core knows from `names`. */
static size_t pick_columns(const char *const *names, size_t max,
                           ReportColumn *cols)
{
  size_t n = 0;
  for (size_t i = 0; names[i] && n < max; i++) {
    const HicovIndicatorInfo *info = hicov_indicator_find(names[i]);
    if (info && info->kind == HICOV_IND_LEVEL)
      cols[n++].info = info;
  }
  return n;
}

/* Fills row r's values for the table's columns, on the boundaries at the
 * end of month asof (period.last: as published). */
static int fill_row(HicovDataset *ds, ReportTable *t, ReportRow *row,
                    const char *unit, HicovPeriod period, int asof)
{
  for (size_t c = 0; c < t->ncols; c++) {
    HicovResult res;
    row->values[c] = NAN;
    int rc = hicov_indicator_value_on(ds, t->cols[c].info->name, unit, period,
                                      asof, NULL, &res);
    if (rc == HICOV_NOMEM)
      return rc;
    if (rc == HICOV_OK && res.status == HICOV_OK && isfinite(res.value)) {
      row->values[c] = res.value;
      row->estimate[c] = res.estimate != 0;
    } else {
      const char *l = hicov_dataset_lang(ds);
      const char *why = rc != HICOV_OK ? hicov_text(l, hicov_status_string(rc))
                        : res.reason[0] ? res.reason : T_(l, "missing");
      if (!(row->reasons[c] = report_strdup(why)))
        return HICOV_NOMEM;
    }
  }
  return HICOV_OK;
}

static int row_empty(const ReportTable *t, const ReportRow *row)
{
  for (size_t c = 0; c < t->ncols; c++)
    if (isfinite(row->values[c]))
      return 0;
  return 1;
}

static void drop_last_row(ReportTable *t)
{
  ReportRow *row = &t->rows[--t->nrows];
  report_free(row->key);
  report_free(row->label);
  for (size_t c = 0; c < REPORT_MAX_COLS; c++)
    report_free(row->reasons[c]);
  memset(row, 0, sizeof *row);
}

/* The latest year, from `year` down to `first`, in which the subject has a
 * value for any of `names` (spending is often published later or less
 * often than coverage). */
static int latest_year_with(HicovDataset *ds, const char *unit,
                            const char *const *names, int year, int first)
{
  for (int y = year; y >= first && y > 0; y--)
    for (size_t i = 0; names[i]; i++) {
      HicovResult r;
      if (hicov_indicator_find(names[i]) &&
          hicov_indicator_value(ds, names[i], unit, hicov_period_year(y),
                                NULL, &r) == HICOV_OK &&
          r.status == HICOV_OK && isfinite(r.value))
        return y;
    }
  return year;
}

static int build_unit_table(HicovReport *rep, HicovDataset *ds,
                            ReportTable *t, const char *id,
                            const char *const *names, int year)
{
  t->id = id;
  t->period = hicov_period_year(year);
  t->ncols = pick_columns(names, 5, t->cols);
  if (t->ncols == 0)
    return HICOV_OK;
  size_t *kids = NULL, nkids = 0;
  int rc = hicov_dataset_children(ds, rep->subject_code, &t->period, &kids,
                                  &nkids);
  if (rc != HICOV_OK) {
    report_set_error(rep, T_(rep->msg_lang, "children of %s: %s"),
                     rep->subject_code, hicov_dataset_errmsg(ds));
    return rc;
  }
  t->rows = report_calloc(nkids + 1, sizeof *t->rows);
  if (!t->rows) {
    report_free(kids);
    return HICOV_NOMEM;
  }
  for (size_t k = 0; k <= nkids && rc == HICOV_OK; k++) {
    HicovUnit u;
    ReportRow *row = &t->rows[t->nrows++];
    if (k < nkids) {
      rc = hicov_dataset_unit(ds, kids[k], &u);
      if (rc != HICOV_OK)
        break;
    } else { /* the total: the subject unit itself */
      u.code = rep->subject_code;
      u.name = rep->subject_name;
      row->is_total = 1;
    }
    row->key = report_strdup(u.code);
    row->label = report_strdup(u.name ? u.name : u.code);
    row->synthetic = k < nkids && u.synthetic;
    rep->has_synthetic |= row->synthetic;
    if (!row->key || !row->label)
      rc = HICOV_NOMEM;
    else
      rc = fill_row(ds, t, row, u.code, t->period, t->period.last);
    if (rc == HICOV_OK && !row->is_total && row_empty(t, row))
      drop_last_row(t);
  }
  report_free(kids);
  /* Only the total left: the by-year table says the same. */
  if (rc == HICOV_OK && t->nrows == 1)
    drop_last_row(t);
  return rc;
}

static int build_year_table(HicovReport *rep, HicovDataset *ds,
                            ReportTable *t)
{
  t->id = "by-year";
  t->by_year = 1;
  t->ncols = pick_columns(year_cols, 6, t->cols);
  if (t->ncols == 0 || rep->first_year == 0)
    return HICOV_OK;
  int first = rep->first_year;
  if (rep->last_year - first + 1 > YEAR_TABLE_MAX_YEARS)
    first = rep->last_year - YEAR_TABLE_MAX_YEARS + 1;
  t->rows = report_calloc((size_t)(rep->last_year - first + 1),
                          sizeof *t->rows);
  if (!t->rows)
    return HICOV_NOMEM;
  for (int y = first; y <= rep->last_year; y++) {
    ReportRow *row = &t->rows[t->nrows++];
    char text[16];
    snprintf(text, sizeof text, "%d", y);
    row->key = report_strdup(text);
    row->label = report_strdup(text);
    if (!row->key || !row->label)
      return HICOV_NOMEM;
    /* the years of one unit: a series, on the boundaries of its last */
    int rc = fill_row(ds, t, row, rep->subject_code, hicov_period_year(y),
                      hicov_period_year(rep->last_year).last);
    if (rc != HICOV_OK)
      return rc;
    /* A year without any value says nothing: leave it out. */
    if (row_empty(t, row))
      drop_last_row(t);
  }
  return HICOV_OK;
}

/* The assessments' reasons in both languages, for the two sets of
 * sentences: hicov_assess wrote them in the report's language; the other
 * comes from a second assessment in the other language. */
static int assessment_reasons(HicovReport *rep, HicovDataset *ds)
{
  rep->items = report_calloc(rep->nassess ? rep->nassess : 1,
                             sizeof *rep->items);
  if (!rep->items)
    return HICOV_NOMEM;
  int any = 0;
  for (size_t i = 0; i < rep->nassess; i++)
    if (rep->assess[i].reason[0]) {
      if (!(rep->items[i].reason[rep->lang] =
                report_strdup(rep->assess[i].reason)))
        return HICOV_NOMEM;
      any = 1;
    }
  if (!any)
    return HICOV_OK;
  int other = rep->lang == LANG_VI ? LANG_EN : LANG_VI;
  HicovAssessment *a = NULL;
  size_t n = 0;
  HicovLangScope saved;
  hicov_lang_push(ds, other == LANG_VI ? "vi" : "en", &saved);
  int rc = hicov_assess(ds, rep->res, &a, &n);
  hicov_lang_pop(&saved);
  for (size_t i = 0; rc == HICOV_OK && i < n && i < rep->nassess; i++)
    if (a[i].reason[0] &&
        !(rep->items[i].reason[other] = report_strdup(a[i].reason)))
      rc = HICOV_NOMEM;
  hicov_free(a);
  return rc;
}

static int build_items(HicovReport *rep, HicovDataset *ds)
{
  rep->ntargets = hicov_resolution_target_count(rep->res);
  rep->targets = report_calloc(rep->ntargets ? rep->ntargets : 1,
                               sizeof *rep->targets);
  if (!rep->targets)
    return HICOV_NOMEM;
  for (size_t i = 0; i < rep->nassess; i++) {
    const HicovAssessment *a = &rep->assess[i];
    const HicovTarget *t = hicov_resolution_target(rep->res, a->target_index);
    ReportItem *it = &rep->items[i];
    it->info = t ? hicov_indicator_find(t->indicator) : NULL;
    size_t idx;
    HicovUnit u;
    const char *name = a->unit;
    if (hicov_dataset_find_unit(ds, a->unit, &idx) == HICOV_OK &&
        hicov_dataset_unit(ds, idx, &u) == HICOV_OK) {
      name = u.name ? u.name : a->unit;
      it->synthetic = u.synthetic;
      rep->has_synthetic |= u.synthetic;
    }
    if (!(it->unit_name = report_strdup(name)))
      return HICOV_NOMEM;
    /* the core says when the figure rests on an estimate (a source of
       its numerator says so: coverage is estimated when its participants
       are) */
    it->latest_estimated = a->latest_year > 0 && a->estimated;
    if (a->target_index < rep->ntargets) {
      ReportTargetSummary *s = &rep->targets[a->target_index];
      if (s->count == 0)
        s->first = i;
      s->count++;
      if (a->status >= 0 && a->status < 5)
        s->by_status[a->status]++;
    }
  }
  for (size_t i = 0; i < rep->nassess; i++)
    for (int l = 0; l < 2; l++)
      if (!(rep->items[i].text[l] = report_assessment_text(rep, i, l)))
        return HICOV_NOMEM;
  int rc = report_build_targets(rep, ds);
  if (rc != HICOV_OK)
    return rc;
  for (size_t t = 0; t < rep->ntargets; t++) {
    const HicovTarget *tg = hicov_resolution_target(rep->res, t);
    if (tg->level < 0)
      continue;
    for (int l = 0; l < 2; l++)
      if (!(rep->targets[t].summary[l] = report_target_summary_text(rep, t, l)))
        return HICOV_NOMEM;
  }
  return HICOV_OK;
}

static int code_cmp(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keeps the findings about the subject unit and the units below it: the
 * report is about one province, not the whole dataset. */
static int keep_subject_findings(HicovReport *rep, HicovDataset *ds)
{
  if (rep->nfindings == 0)
    return HICOV_OK;
  size_t ncodes = 1, cap = 1;
  const char **codes = report_malloc(sizeof *codes);
  if (!codes)
    return HICOV_NOMEM;
  codes[0] = rep->subject_code;
  for (int level = rep->subject_level + 1; level <= HICOV_LEVEL_FACILITY;
       level++) {
    size_t *idx = NULL, n = 0;
    int rc = hicov_dataset_units_at(ds, level, rep->subject_code, NULL, &idx,
                                    &n);
    if (rc == HICOV_OK && n &&
        hicov_grow((void **)&codes, &cap, ncodes + n, sizeof *codes) !=
            HICOV_OK)
      rc = HICOV_NOMEM;
    for (size_t i = 0; rc == HICOV_OK && i < n; i++) {
      HicovUnit u;
      if (hicov_dataset_unit(ds, idx[i], &u) == HICOV_OK)
        codes[ncodes++] = u.code; /* belongs to ds, which outlives this */
    }
    report_free(idx);
    if (rc != HICOV_OK) {
      report_free(codes);
      return rc;
    }
  }
  qsort(codes, ncodes, sizeof *codes, code_cmp);
  size_t k = 0;
  for (size_t i = 0; i < rep->nfindings; i++) {
    const char *key = rep->findings[i].unit;
    if (bsearch(&key, codes, ncodes, sizeof *codes, code_cmp))
      rep->findings[k++] = rep->findings[i];
  }
  rep->nfindings = k;
  report_free(codes);
  return HICOV_OK;
}

/* The units that joined the subject within the data's span, with the day
 * and the share: a merger takes the predecessor's end, a split its row of
 * the crosswalk. */
static int subject_predecessors(HicovReport *rep, HicovDataset *ds)
{
  const char *codes[64];
  if (rep->first_year <= 0)
    return HICOV_OK;
  size_t n = hicov_dataset_predecessors(ds, rep->subject_code,
                                        rep->first_year * 12 - 1,
                                        rep->last_year * 12 + 11, codes, 64);
  if (n > 64)
    n = 64;
  if (n && !(rep->preds = report_calloc(n, sizeof *rep->preds)))
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    long u = hicov_unit_index(ds, codes[i]);
    const HicovUnitRec *pu = &ds->units[u];
    ReportPredecessor *p = &rep->preds[rep->npreds++];
    p->code = report_strdup(pu->code);
    p->name = report_strdup(pu->name);
    if (!p->code || !p->name)
      return HICOV_NOMEM;
    p->share = 1;
    hicov_date_text(pu->to_date, pu->valid_to, p->joined, sizeof p->joined);
    for (size_t k = 0; k < ds->n_splits && !pu->successor_code; k++) {
      const HicovSplitRec *sp = &ds->splits[k];
      if (sp->old_unit != (size_t)u)
        continue;
      /* the share that went the way of the subject: into it, or into a
       * unit that joined it */
      const char *to = ds->units[sp->new_unit].code;
      int ours = !strcmp(to, rep->subject_code);
      for (size_t j = 0; j < n && !ours; j++)
        ours = !strcmp(to, codes[j]);
      if (ours) {
        p->share = (double)sp->share_ppm / 1e6;
        hicov_date_text(sp->date, sp->month, p->joined, sizeof p->joined);
      }
    }
  }
  return HICOV_OK;
}

/* How a message names the resolution: by number, else by title, else "the
 * resolution", so that one built without either reads whole. */
static void resolution_name(const HicovReport *rep, char *buf, size_t size)
{
  const char *number = hicov_resolution_number(rep->res);
  const char *title = hicov_resolution_title(rep->res);
  if (number && number[0])
    snprintf(buf, size, T_(rep->msg_lang, "resolution %s"), number);
  else if (title && title[0])
    snprintf(buf, size, T_(rep->msg_lang, "resolution '%s'"), title);
  else
    snprintf(buf, size, "%s", T_(rep->msg_lang, "the resolution"));
}

static int build(HicovReport *rep, HicovDataset *ds,
                 const HicovResolution *res)
{
  int rc;
  if (!res) {
    if (hicov_dataset_resolution_count(ds) == 0) {
      report_set_error(rep, "%s", T_(rep->msg_lang, "the dataset carries no "
                                     "resolution; give one"));
      return HICOV_MISSING;
    }
    res = hicov_dataset_resolution(ds, 0);
  }
  if ((rc = hicov_resolution_copy(res, &rep->res)) != HICOV_OK)
    return rc;
  char name[256];
  resolution_name(rep, name, sizeof name);
  if (hicov_resolution_target_count(rep->res) == 0) {
    /* TRANSLATORS: %s is "resolution 12-NQ/TU", "resolution 'Title'" or
       "the resolution" */
    report_set_error(rep, T_(rep->msg_lang, "%s has no target"), name);
    return HICOV_INVALID;
  }

  const HicovTarget *t0 = hicov_resolution_target(rep->res, 0);
  size_t idx;
  HicovUnit u;
  if (hicov_dataset_find_unit(ds, t0->unit, &idx) != HICOV_OK ||
      hicov_dataset_unit(ds, idx, &u) != HICOV_OK) {
    report_set_error(rep, T_(rep->msg_lang, "%s, target 1: unit '%s' is not "
                             "in the dataset"), name, t0->unit);
    return HICOV_NOTFOUND;
  }
  rep->subject_code = report_strdup(u.code);
  rep->subject_name = report_strdup(u.name ? u.name : u.code);
  rep->subject_level = u.level;
  if (!rep->subject_code || !rep->subject_name)
    return HICOV_NOMEM;

  int m0, m1;
  if (hicov_dataset_month_span(ds, &m0, &m1) == HICOV_OK) {
    rep->first_year = m0 / 12;
    rep->last_year = m1 / 12;
  }
  rep->boundaries = hicov_dataset_boundaries(ds);
  rep->boundary_month = rep->first_year > 0
      ? hicov_boundary_month(ds, hicov_period_year(rep->last_year).last) : -1;
  if ((rc = subject_predecessors(rep, ds)) != HICOV_OK)
    return rc;
  for (int l = 0; l < 2; l++)
    if (!(rep->boundaries_text[l] = report_boundaries_text(rep, l)))
      return HICOV_NOMEM;

  rc = hicov_assess(ds, rep->res, &rep->assess, &rep->nassess);
  if (rc == HICOV_OK)
    rc = assessment_reasons(rep, ds);
  if (rc != HICOV_OK) {
    report_set_error(rep, T_(rep->msg_lang, "assessing %s: %s"), name,
                     hicov_dataset_errmsg(ds));
    return rc;
  }
  if ((rc = build_items(rep, ds)) != HICOV_OK)
    return rc;

  /* Unit tables for the latest year of the first target's assessment (the
   * year the report speaks about), else the dataset's last year. */
  int year = rep->last_year;
  if (rep->nassess > 0 && rep->assess[0].latest_year > 0)
    year = rep->assess[0].latest_year;
  if (year > 0) {
    rc = build_unit_table(rep, ds, &rep->tables[rep->ntables++],
                          "coverage-by-unit", coverage_cols, year);
    if (rc == HICOV_OK)
      rc = build_unit_table(rep, ds, &rep->tables[rep->ntables++],
                            "spending-by-unit", spending_cols,
                            latest_year_with(ds, rep->subject_code,
                                             spending_cols, year,
                                             rep->first_year));
    if (rc != HICOV_OK)
      return rc;
  }
  if ((rc = build_year_table(rep, ds, &rep->tables[rep->ntables++])) !=
      HICOV_OK)
    return rc;

  rc = hicov_dataset_check(ds, &rep->findings, &rep->nfindings);
  if (rc != HICOV_OK) {
    report_set_error(rep, T_(rep->msg_lang, "data-quality checks: %s"),
                     hicov_dataset_errmsg(ds));
    return rc;
  }
  if ((rc = keep_subject_findings(rep, ds)) != HICOV_OK)
    return rc;
  return report_build_finding_groups(rep, ds);
}

int hicov_report_new(HicovDataset *ds, const HicovResolution *res,
                     const char *lang, HicovReport **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  HicovReport *rep = report_calloc(1, sizeof *rep);
  if (!rep)
    return HICOV_NOMEM;
  rep->lang = lang ? report_lang_index(lang) : LANG_VI;
  rep->generated = report_default_time();
  rep->msg_lang = hicov_dataset_lang(ds);
  int rc;
  if (!ds) {
    report_set_error(rep, "%s", T_(NULL, "no dataset"));
    rc = HICOV_INVALID;
  } else if (lang && strncmp(lang, "vi", 2) && strncmp(lang, "en", 2)) {
    report_set_error(rep, T_(rep->msg_lang, "language '%s': expected 'vi' "
                             "or 'en'"), lang);
    rc = HICOV_INVALID;
  } else {
    /* What the report states (reasons, findings) is in its language, on
       this thread only: the dataset is not changed (a query). */
    HicovLangScope saved;
    hicov_lang_push(ds, rep->lang == LANG_VI ? "vi" : "en", &saved);
    rc = build(rep, ds, res);
    hicov_lang_pop(&saved);
  }
  if (rc == HICOV_NOMEM) {
    hicov_report_free(rep);
    return rc;
  }
  if (rc != HICOV_OK && !rep->errmsg[0])
    report_set_error(rep, "%s",
                     hicov_text(rep->msg_lang, hicov_status_string(rc)));
  *out = rep;
  return rc;
}
