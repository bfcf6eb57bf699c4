/* workbook-book.c - a workbook as sheets of rows of cells, whatever the
 * container: the format from a file name or the bytes, opening and
 * closing, cell references as Excel writes them, and civil dates. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hicov-private.h"
#include "workbook-private.h"

void wb_cell_ref(int col, long row, char *buf, size_t size)
{
  char letters[8];
  int n = 0;
  for (int c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  char rev[8];
  for (int i = 0; i < n; i++)
    rev[i] = letters[n - 1 - i];
  rev[n] = '\0';
  if (row > 0)
    snprintf(buf, size, "%s%ld", rev, row);
  else
    snprintf(buf, size, "%s", rev);
}

void wb_sheet_ref(const char *sheet, int col, long row, char *buf,
                  size_t size)
{
  char cell[24];
  wb_cell_ref(col, row, cell, sizeof cell);
  int plain = sheet[0] != '\0';
  for (const char *p = sheet; *p && plain; p++)
    plain = isalnum((unsigned char)*p) || *p == '_' || *p == '.';
  if (plain)
    snprintf(buf, size, "%s!%s", sheet, cell);
  else {
    /* Excel quotes names with spaces or other marks, doubling quotes */
    size_t o = 0;
    if (o + 1 < size)
      buf[o++] = '\'';
    for (const char *p = sheet; *p && o + 3 < size; p++) {
      if (*p == '\'')
        buf[o++] = '\'';
      buf[o++] = *p;
    }
    snprintf(buf + o, size - o, "'!%s", cell);
  }
}

int wb_column_index(const char *s)
{
  int c = 0, n = 0;
  for (; s[n]; n++) {
    char ch = (char)toupper((unsigned char)s[n]);
    if (ch < 'A' || ch > 'Z' || n >= 3)
      return -1;
    c = c * 26 + (ch - 'A' + 1);
  }
  return n && c <= HICOV_WORKBOOK_MAX_COLUMNS ? c - 1 : -1;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
long wb_days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void wb_civil_from_days(long z, int *y, int *m, int *d)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int hicov_workbook_format_from_path(const char *path)
{
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot)
    return HICOV_WORKBOOK_AUTO;
  if (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm"))
    return HICOV_WORKBOOK_XLSX;
  if (!strcasecmp(dot, ".ods"))
    return HICOV_WORKBOOK_ODS;
  if (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt"))
    return HICOV_WORKBOOK_CSV;
  return HICOV_WORKBOOK_AUTO;
}

int hicov_workbook_write_format_from_path(const char *path)
{
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || !strcasecmp(dot, ".xlsm") || !strcasecmp(dot, ".txt"))
    return HICOV_WORKBOOK_AUTO;
  return hicov_workbook_format_from_path(path);
}

int wb_open(const char *name, const char *lang, const void *data, size_t len,
            int format, WbBook **out, char *err, size_t err_size)
{
  *out = NULL;
  WbBook *b = hicov_calloc(1, sizeof *b);
  if (!b)
    return HICOV_NOMEM;
  b->name = name;
  b->lang = lang;
  const unsigned char *u = data;
  int zip = len >= 4 && u[0] == 'P' && u[1] == 'K' && u[2] == 3 && u[3] == 4;
  if (format == HICOV_WORKBOOK_AUTO) {
    if (!zip)
      format = HICOV_WORKBOOK_CSV;
    else if (len > 38 && !memcmp(u + 30, "mimetype", 8))
      format = HICOV_WORKBOOK_ODS;
    else
      format = HICOV_WORKBOOK_XLSX;
  }
  if ((format == HICOV_WORKBOOK_XLSX || format == HICOV_WORKBOOK_ODS) && !zip) {
    hicov_fmt(err, err_size, T_(lang, "%s: not an %s file (no zip archive: "
              "an old .xls, or another file renamed?)"), name,
              format == HICOV_WORKBOOK_XLSX ? "XLSX" : "ODS");
    hicov_free(b);
    return HICOV_PARSE;
  }
  b->format = format;
  int rc = format == HICOV_WORKBOOK_XLSX ? wb_open_xlsx(b, data, len)
         : format == HICOV_WORKBOOK_ODS ? wb_open_ods(b, data, len)
         : wb_open_csv(b, data, len);
  if (rc) {
    hicov_fmt(err, err_size, "%s", b->err[0] ? b->err :
              hicov_text(lang, hicov_status_string(rc)));
    wb_close(b);
    return rc;
  }
  *out = b;
  return HICOV_OK;
}

void wb_close(WbBook *b)
{
  if (!b)
    return;
  if (b->ops)
    b->ops->close(b);
  for (size_t i = 0; i < b->n_sheets; i++)
    hicov_free(b->sheets[i]);
  hicov_free(b);
}

int wb_read_sheet(WbBook *b, size_t i, WbRowFn fn, void *ctx)
{
  if (i >= b->n_sheets)
    return HICOV_INVALID;
  return b->ops->read_sheet(b, i, fn, ctx);
}
