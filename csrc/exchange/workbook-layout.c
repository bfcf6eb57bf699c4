/* workbook-layout.c - what each column of a sheet holds, from its heading
 * rows and the mapping: the unit column, and either the period, measure,
 * value and group columns of a long layout or, in a wide layout, each
 * column's measure, period and group (the words it recognises are in
 * workbook-words.c). */
#include <stdio.h>
#include <string.h>

#include "report-private.h"
#include "workbook-read-private.h"

/* ---- Heading rows ------------------------------------------------------ */

/* The text a cell shows for messages and headings. */
const char *wb_cell_text(const WbCell *c, char *buf, size_t size)
{
  if (c->type == WB_DATE && !c->text[0]) {
    snprintf(buf, size, "%04d-%02d-%02d", c->y, c->m, c->d);
    return buf;
  }
  if (c->type == WB_DATE && strchr(c->text, '-') == NULL) {
    snprintf(buf, size, "%04d-%02d-%02d", c->y, c->m, c->d);
    return buf;
  }
  return c->text;
}

int wb_keep_heading(Job *j, int which, const WbCell *cells, size_t n)
{
  int maxc = n ? cells[n - 1].col + 1 : 0;
  char **h = hicov_calloc((size_t)(maxc ? maxc : 1), sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    char buf[32];
    hicov_free(h[cells[i].col]);
    if (!(h[cells[i].col] = hicov_strdup(wb_cell_text(&cells[i], buf, sizeof buf)))) {
      for (int c = 0; c < maxc; c++)
        hicov_free(h[c]);
      hicov_free(h);
      return HICOV_NOMEM;
    }
  }
  for (size_t i = 0; j->heads[which] && i < j->nheads[which]; i++)
    hicov_free(j->heads[which][i]); /* a row given twice: the last wins */
  hicov_free(j->heads[which]);
  j->heads[which] = h;
  j->nheads[which] = (size_t)maxc;
  return HICOV_OK;
}

const char *wb_heading(const Job *j, int which, int col)
{
  return j->heads[which] && (size_t)col < j->nheads[which]
             ? j->heads[which][col] : NULL;
}

/* A column given as letters ("C") or as a heading text of the header
 * row; -1 with the read's message when it is neither. what is the
 * column's role, marked NC_("workbook column", ...). */
static int locate(Job *j, const char *spec, const char *what)
{
  int c = wb_column_index(spec);
  int letters = c >= 0;
  for (const char *p = spec; *p && letters; p++)
    letters = *p >= 'A' && *p <= 'Z';
  if (letters)
    return c;
  char *want = wb_fold_heading(spec);
  int found = -1;
  for (size_t i = 0; want && i < j->nheads[0] && found < 0; i++) {
    if (!j->heads[0][i])
      continue;
    char *h = wb_fold_heading(j->heads[0][i]);
    if (h && !strcmp(h, want))
      found = (int)i;
    hicov_free(h);
  }
  hicov_free(want);
  if (found < 0) {
    char shown[80];
    wb_shorten(spec, shown, sizeof shown);
    hicov_fmt(j->wb->errmsg, sizeof j->wb->errmsg, T_(j->wb->lang, "%s, sheet "
              "'%s': no %s column '%s' (neither column letters nor a heading "
              "of row %ld)"), j->wb->name, j->sheet_name,
              hicov_text(j->wb->lang, what), shown, j->header_row);
    j->status = HICOV_INVALID;
  }
  return found;
}

/* The first column of the header row whose heading names a column of the
 * role (wb_heading_names); -1. */
static int by_words(Job *j, int role)
{
  for (size_t i = 0; i < j->nheads[0]; i++) {
    if (!j->heads[0][i])
      continue;
    char *h = wb_fold_heading(j->heads[0][i]);
    int hit = h && wb_heading_names(h, role);
    hicov_free(h);
    if (hit)
      return (int)i;
  }
  return -1;
}

/* A heading of a row above the header row carries right over empty cells
 * (a merged block heading); the header row's own headings do not. */
static const char *wide_heading(Job *j, int which, long row, int col)
{
  const char *h = wb_heading(j, which, col);
  if (h || row >= j->header_row)
    return h;
  for (int c = col - 1; c > j->unit_col && !h; c--)
    h = wb_heading(j, which, c);
  return h;
}

/* "C=2024, D=participants": the heading given for column col, or NULL. */
static char *given_heading(const char *columns, int col)
{
  if (!columns)
    return NULL;
  const char *p = columns;
  while (*p) {
    while (*p == ' ' || *p == ',' || *p == ';')
      p++;
    const char *eq = strchr(p, '=');
    if (!eq)
      break;
    char letters[8];
    size_t n = 0;
    for (const char *q = p; q < eq && n < 7; q++)
      if (*q != ' ')
        letters[n++] = *q;
    letters[n] = '\0';
    const char *v = eq + 1, *end = v;
    while (*end && *end != ',' && *end != ';')
      end++;
    if (wb_column_index(letters) == col) {
      while (v < end && *v == ' ')
        v++;
      while (end > v && end[-1] == ' ')
        end--;
      return hicov_strndup(v, (size_t)(end - v));
    }
    p = end;
  }
  return NULL;
}

int wb_listed_column(const char *list, int col)
{
  if (!list)
    return 0;
  char buf[8];
  size_t n = 0;
  for (const char *p = list;; p++) {
    if (*p == ',' || *p == ';' || *p == ' ' || !*p) {
      buf[n] = '\0';
      if (n && wb_column_index(buf) == col)
        return 1;
      n = 0;
      if (!*p)
        return 0;
    } else if (n < 7) {
      buf[n++] = *p;
    }
  }
}

/* The columns of a long layout: the value, period, measure and group
 * columns (vc, pc, mc, gc; -1 when none), each needed unless fixed. */
static int configure_long(Job *j, int pc, int mc, int vc, int gc)
{
  HicovWorkbook *wb = j->wb;
  int no_period = pc < 0 && !j->has_fixed_period;
  if (vc < 0 || no_period || (mc < 0 && j->fixed_measure < 0)) {
    hicov_fmt(wb->errmsg, sizeof wb->errmsg,
              vc < 0 ? T_(wb->lang, "%s, sheet '%s': a long layout needs a "
                          "value column: none of the headings of row %ld "
                          "names one; give --value-column (or a fixed "
                          "--value-column)")
              : no_period ? T_(wb->lang, "%s, sheet '%s': a long layout "
                               "needs a period column: none of the headings "
                               "of row %ld names one; give --period-column "
                               "(or a fixed --period)")
              : T_(wb->lang, "%s, sheet '%s': a long layout needs a measure "
                   "column: none of the headings of row %ld names one; give "
                   "--measure-column (or a fixed --measure)"),
              wb->name, j->sheet_name, j->header_row);
    return j->status = HICOV_INVALID;
  }
  int roles[4][2] = { { pc, ROLE_PERIOD }, { mc, ROLE_MEASURE },
                      { vc, ROLE_VALUE }, { gc, ROLE_GROUP } };
  for (int k = 0; k < 4; k++)
    if (roles[k][0] >= 0 && (size_t)roles[k][0] < j->ncols)
      j->cols[roles[k][0]].role = roles[k][1];
  return HICOV_OK;
}

/* A heading of the measure row that names an indicator (computed from
 * the measures, so not read), or NULL. */
static const HicovIndicatorInfo *heading_indicator(const char *mh)
{
  const HicovIndicatorInfo *ii = NULL;
  for (size_t k = 0; mh && k < hicov_indicator_count() && !ii; k++) {
    const HicovIndicatorInfo *x = hicov_indicator_info(k);
    char *a = wb_fold_heading(mh), *b = wb_fold_heading(
        report_indicator_label(x, LANG_VI));
    if (a && b && (!strcmp(a, b) || !strcmp(mh, x->name)))
      ii = x;
    hicov_free(a);
    hicov_free(b);
  }
  return ii;
}

/* Column c of a wide layout: its measure, period and group from the
 * mapping's fixed ones, the given heading (columns =) or the heading
 * rows; a column whose heading is no measure or no period is noted and
 * left out. */
static int wide_column(Job *j, size_t c)
{
  Column *col = &j->cols[c];
  char ref[16];
  wb_cell_ref((int)c, 0, ref, sizeof ref);
  if (wb_listed_column(j->sec->ignore_columns, (int)c))
    return HICOV_OK;
  char *given = given_heading(j->sec->columns, (int)c);
  const char *head = given ? given : wb_heading(j, 0, (int)c);
  if (!head || !head[0]) {
    hicov_free(given);
    return HICOV_OK; /* no heading: values found there are noted */
  }
  col->measure = j->fixed_measure;
  col->has_period = j->has_fixed_period;
  col->period = j->fixed_period;
  const char *mh = given && j->fixed_measure < 0 ? given :
                   j->fixed_measure < 0 ? wide_heading(j, 1, j->measure_row, (int)c)
                                        : NULL;
  const char *ph = given && j->has_fixed_period ? NULL :
                   given && !j->has_fixed_period && j->fixed_measure >= 0 ? given :
                   !j->has_fixed_period ? wide_heading(j, 2, j->period_row, (int)c)
                                        : NULL;
  const char *gh = j->group_row ? wide_heading(j, 3, j->group_row, (int)c) : NULL;
  char shown[80];
  wb_shorten(head, shown, sizeof shown);
  int ok = 1;
  if (j->fixed_measure < 0) {
    col->measure = mh ? wb_find_measure(mh) : -1;
    if (col->measure < 0) {
      const HicovIndicatorInfo *ii = heading_indicator(mh);
      if (ii)
        wb_note(j->wb, T_(j->wb->lang, "%s column %s '%s': an indicator "
                          "computed from the measures, not a measure, "
                          "ignored"), j->sheet_name, ref, shown);
      else
        wb_note(j->wb, T_(j->wb->lang, "%s column %s '%s': not a measure, "
                          "ignored"), j->sheet_name, ref, shown);
      ok = 0;
    }
  }
  if (ok && !j->has_fixed_period) {
    if (!ph || wb_text_period(ph, &col->period) != 0) {
      wb_note(j->wb, T_(j->wb->lang, "%s column %s '%s': not a period, "
                        "ignored"), j->sheet_name, ref, shown);
      ok = 0;
    } else {
      col->has_period = 1;
    }
  }
  if (ok) {
    const char *g = gh ? gh : j->fixed_group;
    if (g && !(col->group = hicov_strdup(g))) {
      hicov_free(given);
      return HICOV_NOMEM;
    }
    col->role = ROLE_WIDE;
  }
  hicov_free(given);
  return HICOV_OK;
}

/* The columns of a wide layout: each column after the unit column. */
static int configure_wide(Job *j)
{
  if ((j->fixed_measure < 0 && !j->measure_row) ||
      (!j->has_fixed_period && !j->period_row)) {
    hicov_fmt(j->wb->errmsg, sizeof j->wb->errmsg, T_(j->wb->lang, "%s, sheet "
              "'%s': in a wide layout each column needs a measure and a "
              "period: give --period (the columns are measures), --measure "
              "(the columns are periods), or a heading row for each "
              "(--measure-row, --period-row)"), j->wb->name, j->sheet_name);
    return j->status = HICOV_INVALID;
  }
  int rc = HICOV_OK;
  for (size_t c = (size_t)j->unit_col + 1; c < j->ncols && !rc; c++)
    rc = wide_column(j, c);
  return rc;
}

/* Decides what each column holds, once the heading rows are read. */
int wb_configure(Job *j, int maxcol)
{
  j->configured = 1;
  const WbSection *s = j->sec;
  /* the unit column */
  if (s->unit_column)
    j->unit_col = locate(j, s->unit_column, NC_("workbook column", "unit"));
  else if ((j->unit_col = by_words(j, ROLE_UNIT)) < 0)
    j->unit_col = 0;
  if (j->status)
    return j->status;
  int pc = -1, mc = -1, vc = -1, gc = -1;
  if (s->period_column)
    pc = locate(j, s->period_column, NC_("workbook column", "period"));
  if (!j->status && s->measure_column)
    mc = locate(j, s->measure_column, NC_("workbook column", "measure"));
  if (!j->status && s->value_column)
    vc = locate(j, s->value_column, NC_("workbook column", "value"));
  if (!j->status && s->group_column)
    gc = locate(j, s->group_column, NC_("workbook column", "group"));
  if (j->status)
    return j->status;
  if (!s->value_column)
    vc = by_words(j, ROLE_VALUE);
  if (!s->period_column && !j->has_fixed_period)
    pc = by_words(j, ROLE_PERIOD);
  if (!s->measure_column && j->fixed_measure < 0)
    mc = by_words(j, ROLE_MEASURE);
  if (!s->group_column && !j->fixed_group)
    gc = by_words(j, ROLE_GROUP);
  j->layout = s->layout;
  if (j->layout == WB_LAYOUT_AUTO)
    j->layout = vc >= 0 && (pc >= 0 || j->has_fixed_period) &&
                (mc >= 0 || j->fixed_measure >= 0) ? WB_LAYOUT_LONG
                                                   : WB_LAYOUT_WIDE;
  size_t ncols = (size_t)(maxcol > 0 ? maxcol : 1);
  for (int k = 0; k < 4; k++)
    if (j->nheads[k] > ncols)
      ncols = j->nheads[k];
  j->cols = hicov_calloc(ncols, sizeof *j->cols);
  if (!j->cols)
    return HICOV_NOMEM;
  j->ncols = ncols;
  if (j->unit_col >= 0 && (size_t)j->unit_col < ncols)
    j->cols[j->unit_col].role = ROLE_UNIT;
  if (j->layout == WB_LAYOUT_LONG)
    return configure_long(j, pc, mc, vc, gc);
  return configure_wide(j);
}
