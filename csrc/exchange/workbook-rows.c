/* workbook-rows.c - the data rows of a sheet: the unit each row names (by
 * code or name, for the value's period), each value cell read as a number
 * of the column's measure, and at the end of the sheet the ambiguous
 * numbers ("1.234") settled by the marks the other cells of their column
 * use. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report-private.h"
#include "workbook-read-private.h"

static const WbCell *find_cell(const WbCell *cells, size_t n, int col)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cells[mid].col < col)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && cells[lo].col == col ? &cells[lo] : NULL;
}

/* A group code as the dataset writes it: 1-8 letters, digits or '_'. */
int wb_group_ok(const char *g)
{
  size_t n = strlen(g);
  if (n < 1 || n > 8)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)g[i]) && g[i] != '_')
      return 0;
  return 1;
}

static int reject(Job *j, long row, int col, const char *expected,
                  const char *found, long values, const char *fmt, ...)
  __attribute__((format(printf, 7, 8)));

/* Records a rejected cell of the sheet (wb_vreject). */
static int reject(Job *j, long row, int col, const char *expected,
                  const char *found, long values, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = wb_vreject(j->wb, j->sheet, j->sheet_name, row, col, expected,
                      found, values, fmt, ap);
  va_end(ap);
  return rc;
}

/* Records an unmatched or ambiguous unit text (once per text). */
static int unmatched(Job *j, const char *text, long row, const HicovMatch *m)
{
  HicovWorkbook *wb = j->wb;
  char *key = hicov_text_fold(text);
  if (!key)
    return HICOV_NOMEM;
  for (size_t i = 0; i < wb->n_um; i++)
    if (!strcmp(wb->um[i].key, key)) {
      wb->um[i].cells++;
      hicov_free(key);
      return HICOV_OK;
    }
  if (hicov_grow((void **)&wb->um, &wb->cap_um, wb->n_um + 1, sizeof *wb->um)) {
    hicov_free(key);
    return HICOV_NOMEM;
  }
  Unmatched *u = &wb->um[wb->n_um++];
  memset(u, 0, sizeof *u);
  u->key = key;
  u->cells = 1;
  u->ambiguous = m->n_candidates > 1;
  char cell[300];
  wb_sheet_ref(j->sheet_name, j->unit_col, row, cell, sizeof cell);
  u->text = hicov_strdup(text);
  u->cell = hicov_strdup(cell);
  char cand[600] = "";
  size_t o = 0;
  for (size_t i = 0; i < m->n_candidates && i < HICOV_MATCH_MAX_CANDIDATES; i++) {
    HicovUnit un;
    hicov_dataset_unit(j->ds, m->candidates[i], &un);
    int w = snprintf(cand + o, sizeof cand - o, "%s%s %s", i ? "; " : "",
                     un.code, un.name);
    if (w > 0 && (size_t)w < sizeof cand - o)
      o += (size_t)w;
  }
  if (m->n_candidates > HICOV_MATCH_MAX_CANDIDATES && o + 20 < sizeof cand)
    hicov_fmt(cand + o, sizeof cand - o, T_(wb->lang, "; ... (%zu in all)"),
              m->n_candidates);
  u->candidates = hicov_strdup(cand);
  return u->text && u->cell && u->candidates ? HICOV_OK : HICOV_NOMEM;
}

/* Resolves the unit text of a row for a period; -1 when it names none or
 * several (recorded). */
static long resolve_unit(Job *j, const char *text, const HicovPeriod *period,
                         HicovMatch *m)
{
  HicovMatchOptions opt = { j->sec->unit_by, j->sec->level, j->sec->parent,
                            period };
  int rc = hicov_unit_matcher_find(j->matcher, text, &opt, m);
  if (rc == HICOV_OK)
    return (long)m->index;
  if (rc == HICOV_NOMEM)
    j->status = HICOV_NOMEM;
  return -1;
}

/* What a value cell of measure mi holds, in lang: "a whole number of
 * people (participants)", "an amount in đồng (total_cost)". */
static void expected_value(const char *lang, const HicovMeasureInfo *mi,
                           int whole, char *buf, size_t size)
{
  if (!whole) {
    hicov_fmt(buf, size, T_(lang, "an amount in đồng (%s)"), mi->name);
    return;
  }
  hicov_fmt(buf, size, T_(lang, "a whole number of %s (%s)"),
            report_unit_word(mi->unit, lang), mi->name);
}

/* One value cell: its number, checked for the measure. */
static int value_cell(Job *j, long row, const WbCell *c, long unit,
                      int measure, const char *group, HicovPeriod period,
                      Column *col)
{
  HicovWorkbook *wb = j->wb;
  const char *lang = wb->lang;
  const HicovMeasureInfo *mi = hicov_measure_info((size_t)measure);
  int money = !strcmp(mi->unit, "VND");
  char expected[160];
  expected_value(lang, mi, !money, expected, sizeof expected);
  char num[128];
  int percent = 0, pending = 0, shift = 0;
  const char *text = c->text;
  if (c->no_value)
    return reject(j, row, c->col, expected, "", 1, T_(lang, "expected %s, "
                  "found a formula whose result was never saved (open the "
                  "workbook in Excel or LibreOffice and save it)"), expected);
  switch (c->type) {
  case WB_NUMBER:
    snprintf(num, sizeof num, "%s", c->text);
    percent = c->fmt == WB_FMT_PERCENT;
    shift = percent ? 2 : 0;
    break;
  case WB_TEXT: {
    int r = wb_text_number(c->text, j->sec->numbers, num, sizeof num, &percent,
                        &col->ev);
    if (r == NUM_MISSING) {
      wb->counts.cells_missing++;
      return HICOV_OK;
    }
    if (r == NUM_AMBIG_DOT || r == NUM_AMBIG_COMMA) {
      pending = r;
      break;
    }
    if (r == NUM_BAD)
      return reject(j, row, c->col, expected, text, 1, "%s", "");
    break;
  }
  case WB_DATE:
    return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s, "
                  "found the date %04d-%02d-%02d"), expected, c->y, c->m,
                  c->d);
  case WB_BOOL:
    return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s, "
                  "found a true/false value"), expected);
  case WB_ERROR:
    return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s, "
                  "found the error '%s'"), expected, text);
  default:
    wb->counts.cells_missing++;
    return HICOV_OK;
  }
  if (percent) {
    char shown[80];
    wb_shorten(text, shown, sizeof shown);
    if (c->type == WB_NUMBER)
      return reject(j, row, c->col, expected, text, 1, T_(lang, "expected "
                    "%s, found a percentage ('%s' formatted as %%): %s is not "
                    "a rate"), expected, shown, mi->name);
    return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s, "
                  "found a percentage ('%s'): %s is not a rate"), expected,
                  shown, mi->name);
  }
  int64_t centi = 0;
  if (!pending) {
    int r = wb_decimal_centi(num, shift, &centi);
    if (r != 0)
      return reject(j, row, c->col, expected, text, 1, r > 0 ?
                    T_(lang, "expected %s with at most 2 decimals, found "
                       "'%s'") : T_(lang, "expected %s, found '%s'"),
                    expected, text);
    if (centi < 0)
      return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s "
                    "of zero or more, found '%s'"), expected, text);
    if (!money && centi % 100)
      return reject(j, row, c->col, expected, text, 1, T_(lang, "expected %s, "
                    "found '%s', which is not a whole number"), expected,
                    text);
  }
  if (hicov_grow((void **)&wb->cands, &wb->cap_cands, wb->n_cands + 1,
                 sizeof *wb->cands))
    return HICOV_NOMEM;
  Cand *k = &wb->cands[wb->n_cands];
  memset(k, 0, sizeof *k);
  k->sheet = j->sheet;
  k->row = row;
  k->col = c->col;
  k->unit = unit;
  k->measure = measure;
  k->period = period;
  k->centi = centi;
  k->pending = pending;
  k->whole = !money;
  if (group && !(k->group = hicov_strdup(group)))
    return HICOV_NOMEM;
  if (pending && !(k->text = hicov_strdup(text)))
    return HICOV_NOMEM;
  wb->n_cands++;
  wb->counts.values_read++;
  wb->counts.values_accepted++;
  return HICOV_OK;
}

static int is_blank(const WbCell *c)
{
  if (!c || c->type == WB_EMPTY)
    return !c || !c->no_value;
  if (c->type != WB_TEXT)
    return 0;
  for (const char *p = c->text; *p; p++)
    if (!isspace((unsigned char)*p))
      return 0;
  return 1;
}

/* Columns past the headings (a data row longer than them). */
static int ensure_cols(Job *j, int c)
{
  if ((size_t)c < j->ncols)
    return HICOV_OK;
  size_t cap = j->ncols;
  if (hicov_grow((void **)&j->cols, &cap, (size_t)c + 1, sizeof *j->cols))
    return HICOV_NOMEM;
  memset(j->cols + j->ncols, 0, ((size_t)c + 1 - j->ncols) * sizeof *j->cols);
  j->ncols = (size_t)c + 1;
  return HICOV_OK;
}

/* Numbers in a wide sheet's columns without a heading: noted once per
 * column. */
static int note_headless(Job *j, long row, const WbCell *cells, size_t n)
{
  int rc;
  for (size_t i = 0; i < n; i++) {
    int c = cells[i].col;
    if (c <= j->unit_col || cells[i].type != WB_NUMBER)
      continue;
    if ((rc = ensure_cols(j, c)))
      return rc;
    Column *col = &j->cols[c];
    if (col->role != ROLE_NONE || col->noted || wb_heading(j, 0, c) ||
        wb_listed_column(j->sec->ignore_columns, c))
      continue;
    col->noted = 1;
    char ref[16];
    wb_cell_ref(c, 0, ref, sizeof ref);
    if ((rc = wb_note(j->wb, T_(j->wb->lang, "%s column %s: numbers from row "
                      "%ld on, without a heading: ignored"), j->sheet_name,
                      ref, row)))
      return rc;
  }
  return HICOV_OK;
}

/* The text of a unit cell; a code typed as a number (20 or 20.0) as its
 * digits. */
static const char *unit_text(const WbCell *uc, char *buf, size_t size)
{
  if (uc->type != WB_NUMBER)
    return wb_cell_text(uc, buf, size);
  snprintf(buf, size, "%s", uc->text);
  size_t cl = strlen(buf);
  if (cl > 2 && !strcmp(buf + cl - 2, ".0"))
    buf[cl - 2] = '\0';
  return buf;
}

/* 1 if the unit text is one of the section's skip_units. */
static int skipped_unit(const Job *j, const char *utext)
{
  int hit = 0;
  char *f = hicov_text_fold(utext);
  for (size_t i = 0; f && i < j->n_skip && !hit; i++)
    hit = !strcmp(f, j->skip_units[i]);
  hicov_free(f);
  return hit;
}

/* A unit text that named no unit of the dataset for period p, or several:
 * listed once per text and rejected at the unit cell (values: the values
 * counted as rejected with it). */
static int reject_unit(Job *j, long row, const char *utext, HicovPeriod p,
                       const HicovMatch *mt, long values)
{
  int rc = unmatched(j, utext, row, mt);
  if (rc)
    return rc;
  char pt[24];
  hicov_period_format(p, pt, sizeof pt);
  const char *expected = T_(j->wb->lang, "a unit code or name of the "
                            "dataset");
  if (mt->n_candidates > 1)
    return reject(j, row, j->unit_col, expected, utext, values,
                  T_(j->wb->lang, "the unit '%s' is ambiguous: %zu units have "
                     "this name in %s; give its code"), utext,
                  mt->n_candidates, pt);
  return reject(j, row, j->unit_col, expected, utext, values, "%s", "");
}

/* A row of a long layout: one value, with its period, measure and group
 * from its cells or fixed for the sheet. */
static int long_row(Job *j, long row, const WbCell *cells, size_t n,
                    const char *utext)
{
  const WbCell *vc = NULL, *pcell = NULL, *mcell = NULL, *gcell = NULL;
  for (size_t i = 0; i < n; i++) {
    int c = cells[i].col;
    int role = (size_t)c < j->ncols ? j->cols[c].role : ROLE_NONE;
    if (role == ROLE_VALUE) vc = &cells[i];
    if (role == ROLE_PERIOD) pcell = &cells[i];
    if (role == ROLE_MEASURE) mcell = &cells[i];
    if (role == ROLE_GROUP) gcell = &cells[i];
  }
  const char *lang = j->wb->lang;
  HicovPeriod p = j->fixed_period;
  char tb[64];
  if (!j->has_fixed_period) {
    if (!pcell || is_blank(pcell) || wb_cell_period(pcell, &p) != 0)
      return reject(j, row, pcell ? pcell->col : vc->col, T_(lang, "a period "
                    "such as 2024, Q3/2025 or Tháng 7/2025"),
                    pcell ? wb_cell_text(pcell, tb, sizeof tb) : "", 1, "%s",
                    "");
  }
  int m = j->fixed_measure;
  if (m < 0) {
    if (!mcell || is_blank(mcell) || (m = wb_find_measure(mcell->text)) < 0)
      return reject(j, row, mcell ? mcell->col : vc->col, T_(lang, "a measure "
                    "such as participants, population or 'Số người tham gia "
                    "BHYT'"), mcell ? mcell->text : "", 1, "%s", "");
  }
  const char *g = j->fixed_group;
  char gbuf[16];
  if (gcell && !is_blank(gcell)) {
    size_t gl = strlen(gcell->text);
    if (!wb_group_ok(gcell->text) || gl >= sizeof gbuf)
      return reject(j, row, gcell->col, T_(lang, "a beneficiary-group code "
                    "such as DN or HN"), gcell->text, 1, "%s", "");
    for (size_t i = 0; i <= gl; i++)
      gbuf[i] = (char)toupper((unsigned char)gcell->text[i]);
    g = gbuf;
  }
  HicovMatch mt;
  long u = resolve_unit(j, utext, &p, &mt);
  if (u < 0)
    return j->status ? j->status : reject_unit(j, row, utext, p, &mt, 1);
  return value_cell(j, row, vc, u, m, g, p, &j->cols[vc->col]);
}

/* A row of a wide layout: a value per mapped column; a unit that names
 * nothing is rejected once for the row, its values counted. */
static int wide_row(Job *j, long row, const WbCell *cells, size_t n,
                    const char *utext)
{
  HicovWorkbook *wb = j->wb;
  int rc, unit_rejected = 0;
  for (size_t i = 0; i < n; i++) {
    int c = cells[i].col;
    if ((size_t)c >= j->ncols || j->cols[c].role != ROLE_WIDE)
      continue;
    Column *col = &j->cols[c];
    if (is_blank(&cells[i])) {
      wb->counts.cells_missing++;
      continue;
    }
    HicovMatch mt;
    long u = resolve_unit(j, utext, &col->period, &mt);
    if (u < 0) {
      if (j->status)
        return j->status;
      if (!unit_rejected) {
        unit_rejected = 1;
        if ((rc = reject_unit(j, row, utext, col->period, &mt, 0)))
          return rc;
      }
      wb->counts.values_read++;
      wb->counts.values_rejected++;
      continue;
    }
    if ((rc = value_cell(j, row, &cells[i], u, col->measure, col->group,
                         col->period, col)))
      return rc;
  }
  return HICOV_OK;
}

int wb_on_row(void *ctx, long row, const WbCell *cells, size_t n)
{
  Job *j = ctx;
  int rc;
  /* heading rows */
  if (row <= j->header_row) {
    int which[4] = { row == j->header_row, row == j->measure_row,
                     row == j->period_row, row == j->group_row };
    for (int k = 0; k < 4; k++)
      if (which[k] && (rc = wb_keep_heading(j, k, cells, n)))
        return rc;
    return HICOV_OK;
  }
  if (row < j->first_row || (j->last_row && row > j->last_row))
    return HICOV_OK;
  if (!j->configured && (rc = wb_configure(j, cells[n - 1].col + 1)))
    return rc;
  HicovWorkbook *wb = j->wb;
  const WbCell *uc = find_cell(cells, n, j->unit_col);
  /* the value cells of the row */
  int has_values = 0;
  for (size_t i = 0; i < n && !has_values; i++) {
    int c = cells[i].col;
    int role = (size_t)c < j->ncols ? j->cols[c].role : ROLE_NONE;
    if ((role == ROLE_WIDE || role == ROLE_VALUE) && !is_blank(&cells[i]))
      has_values = 1;
  }
  if (j->layout == WB_LAYOUT_WIDE && (rc = note_headless(j, row, cells, n)))
    return rc;
  if (!uc || is_blank(uc)) {
    if (has_values) {
      wb->counts.rows_skipped++;
      wb_note(wb, T_(wb->lang, "%s row %ld: values without a unit, skipped"),
              j->sheet_name, row);
    }
    return HICOV_OK;
  }
  char ubuf[64];
  const char *utext = unit_text(uc, ubuf, sizeof ubuf);
  if (j->n_skip && skipped_unit(j, utext)) {
    wb->counts.rows_skipped++;
    return wb_note(wb, T_(wb->lang, "%s row %ld '%s': skipped (skip_units)"),
                   j->sheet_name, row, utext);
  }
  if (!has_values)
    return HICOV_OK;
  if (j->layout == WB_LAYOUT_LONG)
    return long_row(j, row, cells, n, utext);
  return wide_row(j, row, cells, n, utext);
}

/* Settles one ambiguous number with its column's evidence: as a grouped
 * number, as a decimal, or rejected (the other cells do not say, or the
 * reading they say is not a value of the measure). */
static int settle_one(Job *j, Cand *k)
{
  HicovWorkbook *wb = j->wb;
  const char *lang = wb->lang;
  const Evidence *ev = (size_t)k->col < j->ncols ? &j->cols[k->col].ev : NULL;
  long as_group = 0, as_dec = 0;
  if (ev) {
    if (k->pending == NUM_AMBIG_DOT) {
      as_group = ev->dot_group + ev->comma_decimal;
      as_dec = ev->dot_decimal + ev->comma_group;
    } else {
      as_group = ev->comma_group + ev->dot_decimal;
      as_dec = ev->comma_decimal + ev->dot_group;
    }
  }
  char mark = k->pending == NUM_AMBIG_DOT ? '.' : ',';
  char num[128];
  size_t o = 0;
  int rc = HICOV_OK, rejected = 0;
  char col[16];
  wb_cell_ref(k->col, 0, col, sizeof col);
  const HicovMeasureInfo *mi = hicov_measure_info((size_t)k->measure);
  char expected[160];
  expected_value(lang, mi, k->whole, expected, sizeof expected);
  if (as_group && !as_dec) {
    for (const char *p = k->text; *p && o + 1 < sizeof num; p++)
      if (*p != mark && !isspace((unsigned char)*p))
        num[o++] = *p;
    num[o] = '\0';
    if (wb_decimal_centi(num, 0, &k->centi) != 0)
      rejected = 1;
  } else if (as_dec && !as_group) {
    for (const char *p = k->text; *p && o + 1 < sizeof num; p++)
      if (!isspace((unsigned char)*p))
        num[o++] = *p == mark ? '.' : *p;
    num[o] = '\0';
    int r = wb_decimal_centi(num, 0, &k->centi);
    if (r != 0 || (k->whole && k->centi % 100)) {
      /* 1.234 as a decimal is not a whole number of people */
      rc = reject(j, k->row, k->col, expected, k->text, 0, k->whole ?
                  T_(lang, "expected %s, found '%s': the other cells of "
                     "column %s use '%c' as the decimal mark, and %s holds "
                     "whole numbers") :
                  T_(lang, "expected %s, found '%s': the other cells of "
                     "column %s use '%c' as the decimal mark, and %s holds "
                     "at most 2 decimals"), expected, k->text, col, mark,
                  mi->name);
      rejected = 2;
    }
  } else {
    rc = reject(j, k->row, k->col, expected, k->text, 0, as_group && as_dec ?
                T_(lang, "'%s' is ambiguous: '%c' followed by three digits "
                   "groups thousands in Vietnamese (%c is the decimal mark "
                   "there) but is a decimal mark in English, and the other "
                   "cells of column %s use it both ways; write the number "
                   "without the mark, or choose --numbers vi or en") :
                T_(lang, "'%s' is ambiguous: '%c' followed by three digits "
                   "groups thousands in Vietnamese (%c is the decimal mark "
                   "there) but is a decimal mark in English, and the other "
                   "cells of column %s do not say which; write the number "
                   "without the mark, or choose --numbers vi or en"),
                k->text, mark, mark == '.' ? ',' : '.', col);
    rejected = 2;
  }
  if (rejected == 1)
    rc = reject(j, k->row, k->col, expected, k->text, 0, "%s", "");
  if (rejected) {
    k->dropped = 1;
    wb->counts.values_accepted--;
    wb->counts.values_rejected++;
  }
  k->pending = 0;
  return rc;
}

int wb_settle(Job *j, size_t first_cand)
{
  HicovWorkbook *wb = j->wb;
  for (size_t i = first_cand; i < wb->n_cands; i++) {
    if (!wb->cands[i].pending)
      continue;
    int rc = settle_one(j, &wb->cands[i]);
    if (rc)
      return rc;
  }
  return HICOV_OK;
}
