/* workbook-read.c - values from a workbook's cells: a read of the
 * mapping's sheets, and its end. The rules are documented in
 * hicov-exchange.h.
 *
 * A sheet is read once, row by row (workbook-xlsx.c, -ods.c, -csv.c). The
 * heading rows come first and fix what each column holds
 * (workbook-layout.c); each data row then gives values, kept as
 * candidates (workbook-rows.c). A text number that is ambiguous ("1.234")
 * waits for the end of its sheet, when the other cells of its column have
 * shown which mark they group with. At the end the same key given twice
 * is rejected, and the accepted values are listed for
 * hicov_dataset_merge_values (workbook-result.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook-read-private.h"

static void job_clear(Job *j)
{
  for (int k = 0; k < 4; k++) {
    for (size_t i = 0; j->heads[k] && i < j->nheads[k]; i++)
      hicov_free(j->heads[k][i]);
    hicov_free(j->heads[k]);
    j->heads[k] = NULL;
    j->nheads[k] = 0;
  }
  for (size_t i = 0; j->cols && i < j->ncols; i++)
    hicov_free(j->cols[i].group);
  hicov_free(j->cols);
  j->cols = NULL;
  j->ncols = 0;
}

/* The section's settings for the job's sheet, checked: its rows, and the
 * measure, period, group and parent fixed for it. */
static int job_setup(Job *j, const WbSection *sec)
{
  HicovWorkbook *wb = j->wb;
  j->header_row = sec->header_row ? sec->header_row : 1;
  j->first_row = sec->first_row ? sec->first_row : j->header_row + 1;
  j->last_row = sec->last_row;
  j->measure_row = sec->measure_row;
  j->period_row = sec->period_row;
  j->group_row = sec->group_row;
  j->fixed_measure = -1;
  long rows[3] = { j->measure_row, j->period_row, j->group_row };
  for (int k = 0; k < 3; k++)
    if (rows[k] > j->header_row) {
      hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s, sheet '%s': "
                "heading rows (measure_row, period_row, group_row) must not "
                "come after the header row %ld"), wb->name, j->sheet_name,
                j->header_row);
      return HICOV_INVALID;
    }
  if (j->first_row <= j->header_row) {
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s, sheet '%s': "
              "first_row %ld must come after the header row %ld"), wb->name,
              j->sheet_name, j->first_row, j->header_row);
    return HICOV_INVALID;
  }
  if (sec->measure) {
    j->fixed_measure = wb_find_measure(sec->measure);
    if (j->fixed_measure < 0) {
      hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: measure '%s' "
                "is not a measure (participants, population, visits, ...)"),
                wb->name, sec->measure);
      return HICOV_INVALID;
    }
  }
  if (sec->period) {
    if (wb_text_period(sec->period, &j->fixed_period) != 0) {
      hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: period '%s' "
                "is not a period (2024, 2024-Q3, Q3/2025, Tháng 7/2025, ...)"),
                wb->name, sec->period);
      return HICOV_INVALID;
    }
    j->has_fixed_period = 1;
  }
  if (sec->group) {
    if (!wb_group_ok(sec->group)) {
      hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: group '%s' is "
                "not a beneficiary-group code such as DN or HN"), wb->name,
                sec->group);
      return HICOV_INVALID;
    }
    j->fixed_group = sec->group;
  }
  if (sec->parent && hicov_dataset_find_unit(j->ds, sec->parent, NULL)) {
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: parent '%s' is "
              "not a unit of the dataset"), wb->name, sec->parent);
    return HICOV_INVALID;
  }
  /* which heading rows a wide layout reads: the header row holds what is
     not fixed, unless another row is named for it */
  if (j->fixed_measure < 0 && !j->measure_row &&
      (j->has_fixed_period || (j->period_row && j->period_row != j->header_row)))
    j->measure_row = j->header_row;
  if (!j->has_fixed_period && !j->period_row &&
      (j->fixed_measure >= 0 || (j->measure_row && j->measure_row != j->header_row)))
    j->period_row = j->header_row;
  return HICOV_OK;
}

/* skip_units: folded texts separated by ';', at most 64, into list
 * (each freed by the caller); skips is cut up by strtok_r. */
static size_t skip_list(char *skips, char **list)
{
  size_t nlist = 0;
  for (char *p = skips, *save = NULL, *t; p && (t = strtok_r(p, ";", &save)) &&
       nlist < 64; p = NULL) {
    char *f = hicov_text_fold(t);
    if (f && f[0])
      list[nlist++] = f;
    else
      hicov_free(f);
  }
  return nlist;
}

static int read_sheet(HicovWorkbook *wb, HicovDataset *ds,
                      HicovUnitMatcher *matcher, WbBook *book,
                      const WbSection *sec, size_t sheet, int mode)
{
  Job j;
  memset(&j, 0, sizeof j);
  j.wb = wb;
  j.ds = ds;
  j.matcher = matcher;
  j.sec = sec;
  j.book = book;
  j.sheet = sheet;
  j.sheet_name = book->sheets[sheet];
  j.mode = mode;
  int rc = job_setup(&j, sec);
  if (rc)
    return rc;
  char *skips = sec->skip_units ? hicov_strdup(sec->skip_units) : NULL;
  char *list[64];
  size_t nlist = skip_list(skips, list);
  j.skip_units = list;
  j.n_skip = nlist;
  size_t first_cand = wb->n_cands;
  rc = wb_read_sheet(book, sheet, wb_on_row, &j);
  if (rc && !j.status && book->err[0])
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, "%s", book->err);
  if (!rc && !j.configured) {
    wb_note(wb, T_(wb->lang, "%s: no data rows after the header row %ld"),
            j.sheet_name, j.header_row);
  }
  if (!rc)
    rc = wb_settle(&j, first_cand);
  wb->counts.sheets_read++;
  for (size_t i = 0; i < nlist; i++)
    hicov_free(list[i]);
  hicov_free(skips);
  job_clear(&j);
  return rc;
}

/* ---- The whole read ----------------------------------------------------- */

/* The sheets a section names: a name (exact, then folded), "#N", "*" or
 * none (the first). */
static int section_sheets(HicovWorkbook *wb, WbBook *book,
                          const WbSection *sec, size_t *out, size_t *n)
{
  *n = 0;
  if (!sec->sheet) {
    out[(*n)++] = 0;
    return HICOV_OK;
  }
  if (!strcmp(sec->sheet, "*")) {
    for (size_t i = 0; i < book->n_sheets; i++)
      out[(*n)++] = i;
    return HICOV_OK;
  }
  if (sec->sheet[0] == '#') {
    char *end;
    long k = strtol(sec->sheet + 1, &end, 10);
    if (*end || k < 1 || (size_t)k > book->n_sheets) {
      hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: no sheet %s "
                "(the workbook has %zu)"), wb->name, sec->sheet,
                book->n_sheets);
      return HICOV_INVALID;
    }
    out[(*n)++] = (size_t)k - 1;
    return HICOV_OK;
  }
  for (size_t i = 0; i < book->n_sheets; i++)
    if (!strcmp(book->sheets[i], sec->sheet)) {
      out[(*n)++] = i;
      return HICOV_OK;
    }
  char *want = hicov_text_fold(sec->sheet);
  for (size_t i = 0; want && i < book->n_sheets && !*n; i++) {
    char *f = hicov_text_fold(book->sheets[i]);
    if (f && !strcmp(f, want))
      out[(*n)++] = i;
    hicov_free(f);
  }
  hicov_free(want);
  if (*n)
    return HICOV_OK;
  char names[400] = "";
  size_t o = 0;
  for (size_t i = 0; i < book->n_sheets && o + 40 < sizeof names; i++) {
    int w = snprintf(names + o, sizeof names - o, "%s'%s'", i ? ", " : "",
                     book->sheets[i]);
    if (w > 0)
      o += (size_t)w;
  }
  hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: no sheet '%s' "
            "(the workbook has %s)"), wb->name, sec->sheet, names);
  return HICOV_INVALID;
}

int hicov_workbook_read_buffer(HicovDataset *ds, const char *name,
                               const void *data, size_t len, int format,
                               const HicovWorkbookMapping *map, int mode,
                               HicovWorkbook **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ds || (!data && len))
    return HICOV_INVALID;
  HicovWorkbook *wb = hicov_calloc(1, sizeof *wb);
  if (!wb)
    return HICOV_NOMEM;
  wb->lang = hicov_dataset_lang(ds);
  if (!name)
    name = "workbook";
  const char *slash = strrchr(name, '/');
  wb->name = hicov_strdup(slash ? slash + 1 : name);
  if (!wb->name) {
    hicov_free(wb);
    return HICOV_NOMEM;
  }
  *out = wb;
  size_t sl = strlen(wb->name) + 16;
  if (!(wb->source = hicov_malloc(sl)))
    return HICOV_NOMEM;
  snprintf(wb->source, sl, "workbook:%s", wb->name);
  if (len > HICOV_WORKBOOK_MAX_BYTES) {
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: %zu bytes, "
              "more than the %zu a workbook may have"), wb->name, len,
              (size_t)HICOV_WORKBOOK_MAX_BYTES);
    return HICOV_LIMIT;
  }
  WbBook *book = NULL;
  xmlResetLastError();
  int rc = wb_open(wb->name, wb->lang, data ? data : "", len, format, &book,
                   wb->errmsg, sizeof wb->errmsg);
  if (rc)
    return rc;
  wb->sheet_names = hicov_calloc(book->n_sheets, sizeof *wb->sheet_names);
  if (!wb->sheet_names) {
    wb_close(book);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < book->n_sheets; i++)
    if (!(wb->sheet_names[wb->n_sheet_names++] = hicov_strdup(book->sheets[i]))) {
      wb_close(book);
      return HICOV_NOMEM;
    }
  HicovUnitMatcher *matcher = NULL;
  rc = hicov_unit_matcher_new(ds, &matcher);
  WbSection def;
  memset(&def, 0, sizeof def);
  def.level = -1;
  const WbSection *secs = map && map->n ? map->s : &def;
  size_t nsec = map && map->n ? map->n : 1;
  size_t *which = hicov_malloc((book->n_sheets ? book->n_sheets : 1) *
                               sizeof *which);
  if (!rc && !which)
    rc = HICOV_NOMEM;
  for (size_t s = 0; s < nsec && !rc; s++) {
    size_t nw;
    rc = section_sheets(wb, book, &secs[s], which, &nw);
    for (size_t k = 0; k < nw && !rc; k++)
      rc = read_sheet(wb, ds, matcher, book, &secs[s], which[k], mode);
  }
  hicov_free(which);
  hicov_unit_matcher_free(matcher);
  wb_close(book);
  if (!rc)
    rc = wb_reject_duplicates(wb, ds);
  wb_sort_rejections(wb);
  if (!rc)
    rc = wb_make_values(wb, ds);
  if (rc == HICOV_NOMEM)
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, T_(wb->lang, "%s: out of "
              "memory"), wb->name);
  if (!rc && wb->rej_more && wb->n_notes < MAX_NOTES)
    wb_note(wb, T_(wb->lang, "%ld more rejected cells not listed"),
            wb->rej_more);
  if (!rc && wb->counts.values_rejected && mode == HICOV_LOAD_STRICT) {
    long n = wb->counts.values_rejected;
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, hicov_ntext(wb->lang,
              "%s (%ld value rejected in all; strict: nothing may be "
              "imported)", "%s (%ld values rejected in all; strict: nothing "
              "may be imported)", (unsigned long)n), wb->n_rej ?
              wb->rej[0].message : T_(wb->lang, "rejected values"), n);
    rc = HICOV_PARSE;
  }
  if (!rc && wb->n_rej && mode == HICOV_LOAD_STRICT) /* unit cells only */
    rc = HICOV_PARSE;
  return rc;
}

int hicov_workbook_read_file(HicovDataset *ds, const char *path,
                             const HicovWorkbookMapping *map, int mode,
                             HicovWorkbook **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ds || !path)
    return HICOV_INVALID;
  char *data;
  size_t len;
  char err[600];
  int rc = hicov_read_file_lang(path, HICOV_WORKBOOK_MAX_BYTES,
                                hicov_dataset_lang(ds), &data, &len, err,
                                sizeof err);
  if (rc) {
    HicovWorkbook *wb = hicov_calloc(1, sizeof *wb);
    if (!wb)
      return HICOV_NOMEM;
    wb->lang = hicov_dataset_lang(ds);
    hicov_fmt(wb->errmsg, sizeof wb->errmsg, "%s", err);
    *out = wb;
    return rc;
  }
  int format = hicov_workbook_format_from_path(path);
  rc = hicov_workbook_read_buffer(ds, path, data, len, format, map, mode, out);
  hicov_free(data);
  return rc;
}
