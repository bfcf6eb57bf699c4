/* workbook-result.c - the HicovWorkbook a read returns: its accessors,
 * the notes, the rejected cells (each named by sheet and cell), the unit
 * texts that matched no unit or several, the same key given twice, and
 * the accepted values for hicov_dataset_merge_values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook-read-private.h"

void hicov_workbook_free(HicovWorkbook *wb)
{
  if (!wb)
    return;
  for (size_t i = 0; i < wb->n_cands; i++) {
    hicov_free(wb->cands[i].group);
    hicov_free(wb->cands[i].text);
  }
  hicov_free(wb->cands);
  for (size_t i = 0; i < wb->n_values; i++) {
    hicov_free((char *)wb->values[i].unit);
    hicov_free((char *)wb->values[i].group);
    hicov_free((char *)wb->values[i].where);
  }
  hicov_free(wb->values);
  for (size_t i = 0; i < wb->n_rej; i++) {
    hicov_free(wb->rej[i].cell);
    hicov_free(wb->rej[i].expected);
    hicov_free(wb->rej[i].found);
    hicov_free(wb->rej[i].message);
  }
  hicov_free(wb->rej);
  for (size_t i = 0; i < wb->n_um; i++) {
    hicov_free(wb->um[i].key);
    hicov_free(wb->um[i].text);
    hicov_free(wb->um[i].cell);
    hicov_free(wb->um[i].candidates);
  }
  hicov_free(wb->um);
  for (size_t i = 0; i < wb->n_notes; i++)
    hicov_free(wb->notes[i]);
  hicov_free(wb->notes);
  for (size_t i = 0; i < wb->n_sheet_names; i++)
    hicov_free(wb->sheet_names[i]);
  hicov_free(wb->sheet_names);
  hicov_free(wb->name);
  hicov_free(wb->source);
  hicov_free(wb);
}

const char *hicov_workbook_errmsg(const HicovWorkbook *wb)
{
  return wb ? wb->errmsg : "";
}

void hicov_workbook_counts(const HicovWorkbook *wb, HicovWorkbookCounts *out)
{
  if (!out)
    return;
  if (wb)
    *out = wb->counts;
  else
    memset(out, 0, sizeof *out);
}

const HicovValue *hicov_workbook_values(const HicovWorkbook *wb, size_t *n)
{
  if (n)
    *n = wb ? wb->n_values : 0;
  return wb ? wb->values : NULL;
}

size_t hicov_workbook_rejection_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_rej : 0;
}

int hicov_workbook_rejection(const HicovWorkbook *wb, size_t i,
                             HicovWorkbookRejection *out)
{
  if (!wb || !out || i >= wb->n_rej)
    return HICOV_INVALID;
  const Rejection *r = &wb->rej[i];
  out->sheet = wb->sheet_names[r->sheet];
  out->row = r->row;
  out->column = r->col;
  out->cell = r->cell;
  out->expected = r->expected;
  out->found = r->found;
  out->message = r->message;
  return HICOV_OK;
}

size_t hicov_workbook_unmatched_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_um : 0;
}

int hicov_workbook_unmatched(const HicovWorkbook *wb, size_t i,
                             HicovWorkbookUnmatched *out)
{
  if (!wb || !out || i >= wb->n_um)
    return HICOV_INVALID;
  const Unmatched *u = &wb->um[i];
  out->text = u->text;
  out->cell = u->cell;
  out->cells = u->cells;
  out->ambiguous = u->ambiguous;
  out->candidates = u->candidates ? u->candidates : "";
  return HICOV_OK;
}

size_t hicov_workbook_note_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_notes : 0;
}

const char *hicov_workbook_note(const HicovWorkbook *wb, size_t i)
{
  return wb && i < wb->n_notes ? wb->notes[i] : NULL;
}

int hicov_workbook_merge(const HicovWorkbook *wb, HicovDataset *ds,
                         int policy, const char *source,
                         HicovMergeStats *stats, char **conflicts)
{
  if (!wb || !ds)
    return HICOV_INVALID;
  return hicov_dataset_merge_values(ds, wb->values, wb->n_values,
                                    source ? source : wb->source, policy,
                                    stats, conflicts);
}

int wb_note(HicovWorkbook *wb, const char *fmt, ...)
{
  if (wb->n_notes >= MAX_NOTES) {
    wb->notes_more++;
    return HICOV_OK;
  }
  char buf[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  hicov_utf8_trim(buf);
  char *d = hicov_strdup(buf);
  if (!d || hicov_grow((void **)&wb->notes, &wb->cap_notes, wb->n_notes + 1,
                       sizeof *wb->notes)) {
    hicov_free(d);
    return HICOV_NOMEM;
  }
  wb->notes[wb->n_notes++] = d;
  return HICOV_OK;
}

void wb_shorten(const char *s, char *buf, size_t size)
{
  size_t o = 0;
  for (const char *p = s; *p && o + 4 < size && o < 60; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c & 0xC0) != 0x80 && o >= 57)
      break;
    buf[o++] = c == '\n' || c == '\r' || c == '\t' ? ' ' : (char)c;
  }
  while (o && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
    o--; /* no half character */
  buf[o] = '\0';
  if (strlen(s) > o)
    snprintf(buf + o, size - o, "...");
}

int wb_vreject(HicovWorkbook *wb, size_t sheet, const char *sheet_name,
               long row, int col, const char *expected, const char *found,
               long values, const char *fmt, va_list ap)
{
  wb->counts.values_rejected += values;
  wb->counts.values_read += values;
  if (wb->n_rej >= MAX_REJECTIONS) {
    wb->rej_more++;
    return HICOV_OK;
  }
  if (hicov_grow((void **)&wb->rej, &wb->cap_rej, wb->n_rej + 1,
                 sizeof *wb->rej))
    return HICOV_NOMEM;
  char cell[300], shown[80], why[500], msg[900];
  wb_sheet_ref(sheet_name, col, row, cell, sizeof cell);
  wb_shorten(found, shown, sizeof shown);
  vsnprintf(why, sizeof why, fmt, ap);
  hicov_utf8_trim(why);
  if (why[0])
    hicov_fmt(msg, sizeof msg, "%s: %s", cell, why);
  else
    hicov_fmt(msg, sizeof msg, T_(wb->lang, "%s: expected %s, found '%s'"),
              cell, expected, shown);
  Rejection *r = &wb->rej[wb->n_rej];
  r->sheet = sheet;
  r->row = row;
  r->col = col;
  r->cell = hicov_strdup(cell);
  r->expected = hicov_strdup(expected);
  r->found = hicov_strdup(found);
  r->message = hicov_strdup(msg);
  wb->n_rej++;
  if (!r->cell || !r->expected || !r->found || !r->message)
    return HICOV_NOMEM;
  return HICOV_OK;
}

/* wb_vreject with arguments. */
static int reject_at(HicovWorkbook *wb, size_t sheet, long row, int col,
                     const char *expected, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));
static int reject_at(HicovWorkbook *wb, size_t sheet, long row, int col,
                     const char *expected, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = wb_vreject(wb, sheet, wb->sheet_names[sheet], row, col, expected,
                      "", 0, fmt, ap);
  va_end(ap);
  return rc;
}

typedef struct {
  const Cand *c;
  size_t index;
} CandRef;

static int cmp_cand(const void *a, const void *b)
{
  const Cand *x = ((const CandRef *)a)->c, *y = ((const CandRef *)b)->c;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->measure != y->measure) return x->measure < y->measure ? -1 : 1;
  int g = strcmp(x->group ? x->group : "", y->group ? y->group : "");
  if (g) return g;
  if (x->period.first != y->period.first)
    return x->period.first < y->period.first ? -1 : 1;
  if (x->period.last != y->period.last)
    return x->period.last < y->period.last ? -1 : 1;
  size_t i = ((const CandRef *)a)->index, k = ((const CandRef *)b)->index;
  return (i > k) - (i < k);
}

/* The same unit, measure, group and period twice: the later cell is
 * rejected, naming the first. */
int wb_reject_duplicates(HicovWorkbook *wb, HicovDataset *ds)
{
  size_t n = wb->n_cands;
  if (n < 2)
    return HICOV_OK;
  CandRef *refs = hicov_malloc(n * sizeof *refs);
  if (!refs)
    return HICOV_NOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!wb->cands[i].dropped)
      refs[m++] = (CandRef){ &wb->cands[i], i };
  qsort(refs, m, sizeof *refs, cmp_cand);
  int rc = HICOV_OK;
  for (size_t i = 1; i < m && !rc; i++) {
    const Cand *a = refs[i - 1].c;
    Cand *b = &wb->cands[refs[i].index];
    if (a->unit != b->unit || a->measure != b->measure ||
        strcmp(a->group ? a->group : "", b->group ? b->group : "") ||
        a->period.first != b->period.first || a->period.last != b->period.last)
      continue;
    /* a run of equal keys: each later one against the first of the run */
    size_t first = i - 1;
    while (first > 0 && refs[first - 1].c->unit == a->unit &&
           refs[first - 1].c->measure == a->measure &&
           !strcmp(refs[first - 1].c->group ? refs[first - 1].c->group : "",
                   a->group ? a->group : "") &&
           refs[first - 1].c->period.first == a->period.first &&
           refs[first - 1].c->period.last == a->period.last)
      first--;
    const Cand *f = refs[first].c;
    char fcell[300], pt[24];
    wb_sheet_ref(wb->sheet_names[f->sheet], f->col, f->row, fcell, sizeof fcell);
    hicov_period_format(b->period, pt, sizeof pt);
    HicovUnit u;
    hicov_dataset_unit(ds, (size_t)b->unit, &u);
    const char *expected = T_(wb->lang, "one value per unit, measure and "
                              "period");
    const char *measure = hicov_measure_info((size_t)b->measure)->name;
    if (b->group)
      rc = reject_at(wb, b->sheet, b->row, b->col, expected, T_(wb->lang,
                     "a second value of %s for %s (%s), %s, group %s: the "
                     "first is in %s"), measure, u.code, u.name, pt, b->group,
                     fcell);
    else
      rc = reject_at(wb, b->sheet, b->row, b->col, expected, T_(wb->lang,
                     "a second value of %s for %s (%s), %s: the first is in "
                     "%s"), measure, u.code, u.name, pt, fcell);
    b->dropped = 1;
    wb->counts.values_accepted--;
    wb->counts.values_rejected++;
  }
  hicov_free(refs);
  return rc;
}

static int cmp_rej(const void *a, const void *b)
{
  const Rejection *x = a, *y = b;
  if (x->sheet != y->sheet) return x->sheet < y->sheet ? -1 : 1;
  if (x->row != y->row) return x->row < y->row ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

void wb_sort_rejections(HicovWorkbook *wb)
{
  if (wb->n_rej > 1)
    qsort(wb->rej, wb->n_rej, sizeof *wb->rej, cmp_rej);
}

int wb_make_values(HicovWorkbook *wb, HicovDataset *ds)
{
  size_t n = 0;
  for (size_t i = 0; i < wb->n_cands; i++)
    n += !wb->cands[i].dropped;
  wb->values = hicov_calloc(n ? n : 1, sizeof *wb->values);
  if (!wb->values)
    return HICOV_NOMEM;
  for (size_t i = 0; i < wb->n_cands; i++) {
    const Cand *k = &wb->cands[i];
    if (k->dropped)
      continue;
    HicovValue *v = &wb->values[wb->n_values++];
    HicovUnit u;
    hicov_dataset_unit(ds, (size_t)k->unit, &u);
    char where[300];
    wb_sheet_ref(wb->sheet_names[k->sheet], k->col, k->row, where, sizeof where);
    v->unit = hicov_strdup(u.code);
    v->measure = hicov_measure_info((size_t)k->measure)->name;
    v->group = k->group ? hicov_strdup(k->group) : NULL;
    v->period = k->period;
    v->centi = k->centi;
    v->where = hicov_strdup(where);
    if (!v->unit || !v->where || (k->group && !v->group))
      return HICOV_NOMEM;
  }
  return HICOV_OK;
}
