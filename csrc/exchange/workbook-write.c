/* workbook-write.c - sheets written as XLSX (libxlsxwriter), ODS (libzip
 * and libxml2's text writer) and CSV, atomically. The sheets only format:
 * what a table holds comes from the core (hicov_table_new). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "report-private.h"
#include "workbook-private.h"

/* ---- Sheets ------------------------------------------------------------- */

enum { CELL_NONE = 0, CELL_TEXT, CELL_NUMBER };

typedef struct {
  int type;
  double number;
  char *text;
  char *note;
} Cell;

typedef struct {
  char *heading;
  int kind, decimals;
} Col;

struct HicovSheet {
  char *title;
  size_t ncols, nrows, cap_rows;
  Col *cols;
  Cell *cells; /* nrows x ncols */
  size_t freeze_rows, freeze_cols;
};

int hicov_sheet_new(const char *title, size_t ncols, HicovSheet **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!title || ncols < 1 || ncols > HICOV_WORKBOOK_MAX_COLUMNS)
    return HICOV_INVALID;
  HicovSheet *s = hicov_calloc(1, sizeof *s);
  if (!s)
    return HICOV_NOMEM;
  s->title = hicov_strdup(title);
  s->cols = hicov_calloc(ncols, sizeof *s->cols);
  if (!s->title || !s->cols) {
    hicov_sheet_free(s);
    return HICOV_NOMEM;
  }
  s->ncols = ncols;
  s->freeze_rows = 1;
  *out = s;
  return HICOV_OK;
}

void hicov_sheet_free(HicovSheet *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->nrows * s->ncols; i++) {
    hicov_free(s->cells[i].text);
    hicov_free(s->cells[i].note);
  }
  for (size_t c = 0; s->cols && c < s->ncols; c++)
    hicov_free(s->cols[c].heading);
  hicov_free(s->cells);
  hicov_free(s->cols);
  hicov_free(s->title);
  hicov_free(s);
}

int hicov_sheet_set_column(HicovSheet *s, size_t col, const char *heading,
                           int kind, int decimals)
{
  if (!s || col >= s->ncols || kind < HICOV_COLUMN_TEXT ||
      kind > HICOV_COLUMN_PERCENT || decimals < 0 || decimals > 6)
    return HICOV_INVALID;
  char *h = hicov_strdup(heading ? heading : "");
  if (!h)
    return HICOV_NOMEM;
  hicov_free(s->cols[col].heading);
  s->cols[col].heading = h;
  s->cols[col].kind = kind;
  s->cols[col].decimals = decimals;
  return HICOV_OK;
}

void hicov_sheet_freeze(HicovSheet *s, size_t rows, size_t cols)
{
  if (s) {
    s->freeze_rows = rows;
    s->freeze_cols = cols < s->ncols ? cols : 0;
  }
}

int hicov_sheet_add_row(HicovSheet *s, size_t *row)
{
  if (!s)
    return HICOV_INVALID;
  if (s->nrows + 1 >= HICOV_WORKBOOK_MAX_ROWS)
    return HICOV_LIMIT;
  size_t cap = s->cap_rows * s->ncols;
  if (hicov_grow((void **)&s->cells, &cap, (s->nrows + 1) * s->ncols,
                 sizeof *s->cells))
    return HICOV_NOMEM;
  s->cap_rows = cap / s->ncols;
  memset(&s->cells[s->nrows * s->ncols], 0, s->ncols * sizeof *s->cells);
  if (row)
    *row = s->nrows;
  s->nrows++;
  return HICOV_OK;
}

static Cell *cell_at(HicovSheet *s, size_t row, size_t col)
{
  return s && row < s->nrows && col < s->ncols ? &s->cells[row * s->ncols + col]
                                               : NULL;
}

int hicov_sheet_set_text(HicovSheet *s, size_t row, size_t col,
                         const char *text)
{
  Cell *c = cell_at(s, row, col);
  if (!c)
    return HICOV_INVALID;
  char *t = text ? hicov_strdup(text) : NULL;
  if (text && !t)
    return HICOV_NOMEM;
  hicov_free(c->text);
  c->text = t;
  c->type = t ? CELL_TEXT : CELL_NONE;
  return HICOV_OK;
}

int hicov_sheet_set_number(HicovSheet *s, size_t row, size_t col, double v)
{
  Cell *c = cell_at(s, row, col);
  if (!c)
    return HICOV_INVALID;
  hicov_free(c->text);
  c->text = NULL;
  c->type = isfinite(v) ? CELL_NUMBER : CELL_NONE;
  c->number = v;
  return HICOV_OK;
}

int hicov_sheet_set_note(HicovSheet *s, size_t row, size_t col,
                         const char *note)
{
  Cell *c = cell_at(s, row, col);
  if (!c)
    return HICOV_INVALID;
  char *t = note && note[0] ? hicov_strdup(note) : NULL;
  if (note && note[0] && !t)
    return HICOV_NOMEM;
  hicov_free(c->note);
  c->note = t;
  return HICOV_OK;
}

size_t hicov_sheet_row_count(const HicovSheet *s)
{
  return s ? s->nrows : 0;
}

/* ---- From a table ------------------------------------------------------- */

static int column_format(const HicovIndicatorInfo *info, int *kind,
                         int *decimals)
{
  const char *u = info->unit ? info->unit : "";
  *kind = HICOV_COLUMN_NUMBER;
  *decimals = 0;
  if (!strcmp(u, "%"))
    *kind = HICOV_COLUMN_PERCENT, *decimals = 1;
  else if (!strcmp(u, "points"))
    *decimals = 1;
  else if (!strcmp(u, "days") && strcmp(info->name, "inpatient_days"))
    *decimals = 1; /* average length of stay */
  return HICOV_OK;
}

int hicov_sheet_from_table(const HicovTable *t, const char *lang,
                           HicovSheet **table, HicovSheet **info)
{
  if (!t || !table)
    return HICOV_INVALID;
  *table = NULL;
  if (info)
    *info = NULL;
  /* the sheets' text: Vietnamese unless English is asked */
  const char *tl = report_lang_index(lang ? lang : "vi") == LANG_VI ? "vi"
                                                                     : "en";
  size_t nr = hicov_table_row_count(t), nc = hicov_table_column_count(t);
  int synthetic = 0;
  for (size_t r = 0; r < nr; r++) {
    HicovTableRow row;
    hicov_table_row(t, r, &row);
    synthetic |= row.synthetic;
  }
  char period[24], title[64];
  hicov_period_format(hicov_table_period(t), period, sizeof period);
  hicov_fmt(title, sizeof title, TC_(tl, "table sheet", "Table %s"), period);
  for (char *p = title; *p; p++)
    if (*p == '/')
      *p = '-'; /* "2025-01/2025-10": '/' is not allowed in a sheet name */
  HicovSheet *s = NULL, *in = NULL;
  int rc = hicov_sheet_new(title, nc + 2 + (synthetic ? 1 : 0), &s);
  if (rc)
    return rc;
  hicov_sheet_freeze(s, 1, 2);
  rc = hicov_sheet_set_column(s, 0, TC_(tl, "table sheet", "Code"),
                              HICOV_COLUMN_TEXT, 0);
  if (!rc)
    rc = hicov_sheet_set_column(s, 1, TC_(tl, "table sheet", "Unit"),
                                HICOV_COLUMN_TEXT, 0);
  for (size_t c = 0; !rc && c < nc; c++) {
    int kind, dec;
    column_format(hicov_table_column(t, c), &kind, &dec);
    rc = hicov_sheet_set_column(s, c + 2, hicov_table_heading(t, c, lang),
                                kind, dec);
  }
  if (!rc && synthetic)
    rc = hicov_sheet_set_column(s, nc + 2, TC_(tl, "table sheet", "Note"),
                                HICOV_COLUMN_TEXT, 0);
  for (size_t r = 0; !rc && r < nr; r++) {
    HicovTableRow row;
    size_t k;
    hicov_table_row(t, r, &row);
    if ((rc = hicov_sheet_add_row(s, &k)))
      break;
    char name[300];
    if (row.is_total)
      hicov_fmt(name, sizeof name, TC_(tl, "table sheet", "%s (total)"),
                row.name);
    else
      snprintf(name, sizeof name, "%s", row.name);
    rc = hicov_sheet_set_text(s, k, 0, row.code);
    if (!rc)
      rc = hicov_sheet_set_text(s, k, 1, name);
    for (size_t c = 0; !rc && c < nc; c++) {
      const HicovResult *v = hicov_table_cell(t, r, c);
      rc = hicov_sheet_set_number(s, k, c + 2, v->status == HICOV_OK ?
                                  v->value : NAN);
      if (!rc && v->status != HICOV_OK)
        rc = hicov_sheet_set_note(s, k, c + 2, v->reason);
    }
    if (!rc && synthetic && row.synthetic)
      rc = hicov_sheet_set_text(s, k, nc + 2, TC_(tl, "table sheet",
                                "synthetic data"));
  }
  if (!rc && info) {
    rc = hicov_sheet_new(TC_(tl, "table sheet", "About"), 2, &in);
    if (!rc)
      rc = hicov_sheet_set_column(in, 0, TC_(tl, "table sheet", "Item"),
                                  HICOV_COLUMN_TEXT, 0);
    if (!rc)
      rc = hicov_sheet_set_column(in, 1, TC_(tl, "table sheet", "Value"),
                                  HICOV_COLUMN_TEXT, 0);
    /* the levels as units.csv names them (hicov_level_name) */
    static const char *const levels[] = {
      NC_("table sheet", "country"), NC_("table sheet", "province"),
      NC_("table sheet", "district"), NC_("table sheet", "commune"),
      NC_("table sheet", "facility") };
    int li = hicov_table_level(t);
    char parent[300] = "";
    if (hicov_table_parent(t))
      snprintf(parent, sizeof parent, "%s %s", hicov_table_parent(t),
               hicov_table_parent_name(t));
    char version[64];
    snprintf(version, sizeof version, "hicov %s", hicov_version());
    const char *items[][2] = {
      { TC_(tl, "table sheet", "Period"), period },
      { TC_(tl, "table sheet", "Level"),
        li < 0 ? TC_(tl, "table sheet", "children")
               : hicov_text(tl, levels[li]) },
      { TC_(tl, "table sheet", "Parent"), parent },
      { TC_(tl, "table sheet", "Beneficiary group"),
        hicov_table_group(t) ? hicov_table_group(t)
                             : TC_(tl, "table sheet", "all") },
      { TC_(tl, "table sheet", "Made by"), version },
    };
    for (size_t i = 0; !rc && i < sizeof items / sizeof items[0]; i++) {
      size_t k;
      if (!(rc = hicov_sheet_add_row(in, &k)))
        rc = hicov_sheet_set_text(in, k, 0, items[i][0]);
      if (!rc)
        rc = hicov_sheet_set_text(in, k, 1, items[i][1]);
    }
    hicov_sheet_freeze(in, 1, 0);
  }
  if (rc) {
    hicov_sheet_free(s);
    hicov_sheet_free(in);
    return rc;
  }
  *table = s;
  if (info)
    *info = in;
  return HICOV_OK;
}

/* ---- XLSX --------------------------------------------------------------- */

static void sheet_name31(const char *title, char *out, size_t size)
{
  /* at most 31 characters (not bytes), none of []:*?/\ */
  size_t o = 0, chars = 0;
  for (const unsigned char *p = (const unsigned char *)title; *p && o + 5 < size;) {
    size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    if (chars == 31)
      break;
    if (n == 1 && strchr("[]:*?/\\", *p)) {
      out[o++] = '-';
      p++;
    } else {
      for (size_t k = 0; k < n && p[k]; k++)
        out[o++] = (char)p[k];
      p += n;
    }
    chars++;
  }
  out[o] = '\0';
  if (!o)
    snprintf(out, size, "Sheet");
}

static const char *number_format(int kind, int decimals, char *buf, size_t size)
{
  char dec[16] = "";
  if (decimals > 0) {
    dec[0] = '.';
    memset(dec + 1, '0', (size_t)decimals);
    dec[decimals + 1] = '\0';
  }
  if (kind == HICOV_COLUMN_PERCENT)
    snprintf(buf, size, "0%s%%", dec);
  else
    snprintf(buf, size, "#,##0%s", dec);
  return buf;
}

/* Display width of a text in characters (UTF-8 lead bytes). */
static size_t text_width(const char *s)
{
  size_t n = 0;
  for (; s && *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static double column_width(const HicovSheet *s, size_t c)
{
  size_t w = text_width(s->cols[c].heading);
  if (s->cols[c].kind != HICOV_COLUMN_TEXT && w > 16)
    w = 16; /* long headings of number columns wrap */
  for (size_t r = 0; r < s->nrows; r++) {
    const Cell *cell = &s->cells[r * s->ncols + c];
    size_t cw = cell->type == CELL_TEXT ? text_width(cell->text)
              : cell->type == CELL_NUMBER ? 14 : 0;
    if (cw > w)
      w = cw;
  }
  return w < 8 ? 8 : w > 60 ? 60 : (double)w + 2;
}

static int write_xlsx_file(HicovSheet *const *sheets, size_t n,
                           const char *path, const char *lang, char *err,
                           size_t err_size)
{
  lxw_workbook *wb = workbook_new(path);
  if (!wb) {
    hicov_fmt(err, err_size, "%s", T_(lang, "cannot create the XLSX "
              "workbook"));
    return HICOV_IO;
  }
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
  format_set_bottom(head, LXW_BORDER_THIN);
  lxw_format *fmts[3][7];
  char buf[32];
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < 7; d++) {
      fmts[k][d] = workbook_add_format(wb);
      if (k != HICOV_COLUMN_TEXT)
        format_set_num_format(fmts[k][d], number_format(k, d, buf, sizeof buf));
    }
  lxw_error e = LXW_NO_ERROR;
  char used[WB_MAX_SHEETS][128];
  for (size_t i = 0; i < n && i < WB_MAX_SHEETS && e == LXW_NO_ERROR; i++) {
    const HicovSheet *s = sheets[i];
    char name[128];
    sheet_name31(s->title, name, sizeof name);
    for (size_t k = 0; k < i; k++) /* names must differ */
      if (!strcasecmp(used[k], name)) {
        size_t l = strlen(name);
        snprintf(name + (l > 27 ? 27 : l), sizeof name - 27, " %zu", i + 1);
      }
    snprintf(used[i], sizeof used[i], "%s", name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws) {
      e = LXW_ERROR_MEMORY_MALLOC_FAILED;
      break;
    }
    for (size_t c = 0; c < s->ncols; c++) {
      const Col *col = &s->cols[c];
      worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, column_width(s, c),
                           fmts[col->kind][col->decimals]);
      worksheet_write_string(ws, 0, (lxw_col_t)c, col->heading ? col->heading
                                                                : "", head);
    }
    if (s->freeze_rows || s->freeze_cols)
      worksheet_freeze_panes(ws, (lxw_row_t)s->freeze_rows,
                             (lxw_col_t)s->freeze_cols);
    for (size_t r = 0; r < s->nrows; r++)
      for (size_t c = 0; c < s->ncols; c++) {
        const Cell *cell = &s->cells[r * s->ncols + c];
        const Col *col = &s->cols[c];
        lxw_format *f = fmts[col->kind][col->decimals];
        lxw_row_t row = (lxw_row_t)(r + 1);
        if (cell->type == CELL_TEXT)
          worksheet_write_string(ws, row, (lxw_col_t)c, cell->text, f);
        else if (cell->type == CELL_NUMBER)
          /* a percent column holds fractions: 94.1 -> 0.941, shown 94.1% */
          worksheet_write_number(ws, row, (lxw_col_t)c,
                                 col->kind == HICOV_COLUMN_PERCENT
                                     ? cell->number / 100 : cell->number, f);
        if (cell->note)
          worksheet_write_comment(ws, row, (lxw_col_t)c, cell->note);
      }
  }
  lxw_error ce = workbook_close(wb);
  if (e == LXW_NO_ERROR)
    e = ce;
  if (e != LXW_NO_ERROR) {
    hicov_fmt(err, err_size, T_(lang, "cannot write the XLSX workbook: %s"),
              lxw_strerror(e));
    return HICOV_IO;
  }
  return HICOV_OK;
}

/* libxlsxwriter writes to a file name. It gets an unnamed file in $TMPDIR
 * (through /proc/self/fd), whose bytes then go to path atomically like
 * every file hicov writes; where /proc is missing, a named temporary file
 * listed for the signal handler. */
static int save_xlsx(HicovSheet *const *sheets, size_t n, const char *path,
                     const char *lang, char *err, size_t err_size)
{
  const char *tmpdir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/hicov-xlsx-XXXXXX",
           tmpdir && *tmpdir ? tmpdir : "/tmp");
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    hicov_fmt(err, err_size, T_(lang, "%s: cannot create a temporary file in "
              "%s: %s"), path, tmpdir && *tmpdir ? tmpdir : "/tmp",
              strerror(errno));
    return HICOV_IO;
  }
  int slot = report_temp_register(tmp);
  char proc[64], via[4096];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  const char *name = tmp;
  if (access(proc, W_OK) == 0 && unlink(tmp) == 0) {
    report_temp_unregister(slot);
    slot = -1;
    name = proc;
  }
  snprintf(via, sizeof via, "%s", name);
  char msg[300];
  int rc = write_xlsx_file(sheets, n, via, lang, msg, sizeof msg);
  char *data = NULL;
  size_t len = 0;
  if (!rc) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !(data = hicov_malloc((size_t)st.st_size + 1))) {
      rc = data ? HICOV_IO : HICOV_NOMEM;
      hicov_fmt(msg, sizeof msg, "%s", T_(lang, "cannot read back the "
                "temporary file"));
    } else {
      len = (size_t)st.st_size;
      size_t got = 0;
      while (got < len) {
        ssize_t r = pread(fd, data + got, len - got, (off_t)got);
        if (r <= 0) {
          rc = HICOV_IO;
          hicov_fmt(msg, sizeof msg, "%s", T_(lang, "cannot read back the "
                    "temporary file"));
          break;
        }
        got += (size_t)r;
      }
    }
  }
  close(fd);
  if (slot >= 0) {
    unlink(tmp);
    report_temp_unregister(slot);
  }
  if (rc) {
    hicov_fmt(err, err_size, "%s: %s", path, msg);
    hicov_free(data);
    return rc;
  }
  rc = report_write_atomic_flags(path, data, len, 0, lang, err, err_size);
  hicov_free(data);
  return rc;
}

/* ---- ODS ---------------------------------------------------------------- */

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_NUMBER "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONFIG "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

#define W(call) do { if ((call) < 0) return -1; } while (0)
#define ELEM(w, n) xmlTextWriterStartElement(w, BAD_CAST (n))
#define END(w) xmlTextWriterEndElement(w)
#define ATTR(w, n, v) xmlTextWriterWriteAttribute(w, BAD_CAST (n), BAD_CAST (v))

static int number_styles(xmlTextWriterPtr w)
{
  char name[16], dec[8];
  for (int kind = HICOV_COLUMN_NUMBER; kind <= HICOV_COLUMN_PERCENT; kind++)
    for (int d = 0; d < 7; d++) {
      snprintf(name, sizeof name, "%c%d", kind == HICOV_COLUMN_PERCENT ? 'P' : 'N', d);
      snprintf(dec, sizeof dec, "%d", d);
      W(ELEM(w, kind == HICOV_COLUMN_PERCENT ? "number:percentage-style"
                                             : "number:number-style"));
      W(ATTR(w, "style:name", name));
      W(ELEM(w, "number:number"));
      W(ATTR(w, "number:decimal-places", dec));
      W(ATTR(w, "number:min-decimal-places", dec));
      W(ATTR(w, "number:min-integer-digits", "1"));
      if (kind == HICOV_COLUMN_NUMBER)
        W(ATTR(w, "number:grouping", "true"));
      W(END(w));
      if (kind == HICOV_COLUMN_PERCENT)
        W(xmlTextWriterWriteElement(w, BAD_CAST "number:text", BAD_CAST "%"));
      W(END(w));
      char cell[24];
      snprintf(cell, sizeof cell, "ce%s", name);
      W(ELEM(w, "style:style"));
      W(ATTR(w, "style:name", cell));
      W(ATTR(w, "style:family", "table-cell"));
      W(ATTR(w, "style:data-style-name", name));
      W(END(w));
    }
  W(ELEM(w, "style:style"));
  W(ATTR(w, "style:name", "ceHead"));
  W(ATTR(w, "style:family", "table-cell"));
  W(ELEM(w, "style:table-cell-properties"));
  W(ATTR(w, "fo:wrap-option", "wrap"));
  W(ATTR(w, "style:vertical-align", "top"));
  W(END(w));
  W(ELEM(w, "style:text-properties"));
  W(ATTR(w, "fo:font-weight", "bold"));
  W(END(w));
  W(END(w));
  return 0;
}

static int column_styles(xmlTextWriterPtr w, HicovSheet *const *sheets,
                         size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t c = 0; c < sheets[i]->ncols; c++) {
      char name[48], width[32];
      snprintf(name, sizeof name, "co%zu-%zu", i, c);
      /* a character of 10-point text is about 0.21 cm */
      snprintf(width, sizeof width, "%.2fcm", column_width(sheets[i], c) * 0.21);
      W(ELEM(w, "style:style"));
      W(ATTR(w, "style:name", name));
      W(ATTR(w, "style:family", "table-column"));
      W(ELEM(w, "style:table-column-properties"));
      W(ATTR(w, "style:column-width", width));
      W(END(w));
      W(END(w));
    }
  return 0;
}

static int text_cell(xmlTextWriterPtr w, const char *text, const char *style,
                     const char *note)
{
  W(ELEM(w, "table:table-cell"));
  if (style)
    W(ATTR(w, "table:style-name", style));
  W(ATTR(w, "office:value-type", "string"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "text:p", BAD_CAST text));
  (void)note;
  W(END(w));
  return 0;
}

static int annotation(xmlTextWriterPtr w, const char *note)
{
  W(ELEM(w, "office:annotation"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "dc:creator", BAD_CAST "hicov"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "text:p", BAD_CAST note));
  W(END(w));
  return 0;
}

static int ods_sheet(xmlTextWriterPtr w, const HicovSheet *s, size_t index)
{
  char name[300];
  snprintf(name, sizeof name, "%s", s->title);
  W(ELEM(w, "table:table"));
  W(ATTR(w, "table:name", name));
  for (size_t c = 0; c < s->ncols; c++) {
    char style[48], cell[16];
    snprintf(style, sizeof style, "co%zu-%zu", index, c);
    const Col *col = &s->cols[c];
    snprintf(cell, sizeof cell, "ce%c%d", col->kind == HICOV_COLUMN_PERCENT ?
             'P' : 'N', col->decimals);
    W(ELEM(w, "table:table-column"));
    W(ATTR(w, "table:style-name", style));
    if (col->kind != HICOV_COLUMN_TEXT)
      W(ATTR(w, "table:default-cell-style-name", cell));
    W(END(w));
  }
  W(ELEM(w, "table:table-row"));
  for (size_t c = 0; c < s->ncols; c++)
    W(text_cell(w, s->cols[c].heading ? s->cols[c].heading : "", "ceHead",
                NULL));
  W(END(w));
  for (size_t r = 0; r < s->nrows; r++) {
    W(ELEM(w, "table:table-row"));
    for (size_t c = 0; c < s->ncols; c++) {
      const Cell *cell = &s->cells[r * s->ncols + c];
      const Col *col = &s->cols[c];
      char style[16];
      snprintf(style, sizeof style, "ce%c%d", col->kind == HICOV_COLUMN_PERCENT
               ? 'P' : 'N', col->decimals);
      W(ELEM(w, "table:table-cell"));
      if (cell->type == CELL_TEXT) {
        W(ATTR(w, "office:value-type", "string"));
      } else if (cell->type == CELL_NUMBER) {
        char v[64];
        double x = col->kind == HICOV_COLUMN_PERCENT ? cell->number / 100
                                                     : cell->number;
        report_format_double(x, v, sizeof v);
        W(ATTR(w, "table:style-name", col->kind == HICOV_COLUMN_TEXT ? "ceN0"
                                                                     : style));
        W(ATTR(w, "office:value-type", col->kind == HICOV_COLUMN_PERCENT ?
               "percentage" : "float"));
        W(ATTR(w, "office:value", v));
      }
      if (cell->note)
        W(annotation(w, cell->note));
      if (cell->type == CELL_TEXT)
        W(xmlTextWriterWriteElement(w, BAD_CAST "text:p", BAD_CAST cell->text));
      else if (cell->type == CELL_NUMBER) {
        char shown[64];
        double x = col->kind == HICOV_COLUMN_PERCENT ? cell->number : cell->number;
        hicov_fmt_c(shown, sizeof shown, "%.*f%s", col->decimals, x,
                    col->kind == HICOV_COLUMN_PERCENT ? "%" : "");
        W(xmlTextWriterWriteElement(w, BAD_CAST "text:p", BAD_CAST shown));
      }
      W(END(w));
    }
    W(END(w));
  }
  W(END(w));
  return 0;
}

static int ods_content(xmlTextWriterPtr w, HicovSheet *const *sheets, size_t n)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(ELEM(w, "office:document-content"));
  W(ATTR(w, "xmlns:office", NS_OFFICE));
  W(ATTR(w, "xmlns:style", NS_STYLE));
  W(ATTR(w, "xmlns:text", NS_TEXT));
  W(ATTR(w, "xmlns:table", NS_TABLE));
  W(ATTR(w, "xmlns:number", NS_NUMBER));
  W(ATTR(w, "xmlns:fo", NS_FO));
  W(ATTR(w, "xmlns:dc", NS_DC));
  W(ATTR(w, "office:version", "1.2"));
  W(ELEM(w, "office:automatic-styles"));
  W(number_styles(w));
  W(column_styles(w, sheets, n));
  W(END(w));
  W(ELEM(w, "office:body"));
  W(ELEM(w, "office:spreadsheet"));
  for (size_t i = 0; i < n; i++)
    W(ods_sheet(w, sheets[i], i));
  W(END(w));
  W(END(w));
  W(END(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int config_item(xmlTextWriterPtr w, const char *name, const char *type,
                       long value)
{
  char v[32];
  snprintf(v, sizeof v, "%ld", value);
  W(ELEM(w, "config:config-item"));
  W(ATTR(w, "config:name", name));
  W(ATTR(w, "config:type", type));
  W(xmlTextWriterWriteString(w, BAD_CAST v));
  W(END(w));
  return 0;
}

/* settings.xml: the frozen heading rows and columns of each sheet. */
static int ods_settings(xmlTextWriterPtr w, HicovSheet *const *sheets, size_t n)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(ELEM(w, "office:document-settings"));
  W(ATTR(w, "xmlns:office", NS_OFFICE));
  W(ATTR(w, "xmlns:config", NS_CONFIG));
  W(ATTR(w, "office:version", "1.2"));
  W(ELEM(w, "office:settings"));
  W(ELEM(w, "config:config-item-set"));
  W(ATTR(w, "config:name", "ooo:view-settings"));
  W(ELEM(w, "config:config-item-map-indexed"));
  W(ATTR(w, "config:name", "Views"));
  W(ELEM(w, "config:config-item-map-entry"));
  W(ELEM(w, "config:config-item"));
  W(ATTR(w, "config:name", "ViewId"));
  W(ATTR(w, "config:type", "string"));
  W(xmlTextWriterWriteString(w, BAD_CAST "view1"));
  W(END(w));
  W(ELEM(w, "config:config-item-map-named"));
  W(ATTR(w, "config:name", "Tables"));
  for (size_t i = 0; i < n; i++) {
    const HicovSheet *s = sheets[i];
    long rows = (long)s->freeze_rows, cols = (long)s->freeze_cols;
    W(ELEM(w, "config:config-item-map-entry"));
    W(ATTR(w, "config:name", s->title));
    W(config_item(w, "HorizontalSplitMode", "short", cols ? 2 : 0));
    W(config_item(w, "VerticalSplitMode", "short", rows ? 2 : 0));
    W(config_item(w, "HorizontalSplitPosition", "int", cols));
    W(config_item(w, "VerticalSplitPosition", "int", rows));
    W(config_item(w, "ActiveSplitRange", "short", 2));
    W(config_item(w, "PositionLeft", "int", 0));
    W(config_item(w, "PositionRight", "int", cols));
    W(config_item(w, "PositionTop", "int", 0));
    W(config_item(w, "PositionBottom", "int", rows));
    W(END(w));
  }
  W(END(w));
  W(END(w));
  W(END(w));
  W(END(w));
  W(END(w));
  W(END(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int ods_manifest(xmlTextWriterPtr w)
{
  static const char *const files[][2] = {
    { "/", "application/vnd.oasis.opendocument.spreadsheet" },
    { "content.xml", "text/xml" }, { "styles.xml", "text/xml" },
    { "settings.xml", "text/xml" },
  };
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(ELEM(w, "manifest:manifest"));
  W(ATTR(w, "xmlns:manifest", NS_MANIFEST));
  W(ATTR(w, "manifest:version", "1.2"));
  for (size_t i = 0; i < 4; i++) {
    W(ELEM(w, "manifest:file-entry"));
    W(ATTR(w, "manifest:full-path", files[i][0]));
    if (i == 0)
      W(ATTR(w, "manifest:version", "1.2"));
    W(ATTR(w, "manifest:media-type", files[i][1]));
    W(END(w));
  }
  W(END(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

static int ods_styles(xmlTextWriterPtr w)
{
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(ELEM(w, "office:document-styles"));
  W(ATTR(w, "xmlns:office", NS_OFFICE));
  W(ATTR(w, "xmlns:style", NS_STYLE));
  W(ATTR(w, "office:version", "1.2"));
  W(ELEM(w, "office:styles"));
  W(END(w));
  W(END(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

typedef int (*PartFn)(xmlTextWriterPtr, HicovSheet *const *, size_t);

static int part_content(xmlTextWriterPtr w, HicovSheet *const *s, size_t n)
{
  return ods_content(w, s, n);
}
static int part_styles(xmlTextWriterPtr w, HicovSheet *const *s, size_t n)
{
  (void)s;
  (void)n;
  return ods_styles(w);
}
static int part_settings(xmlTextWriterPtr w, HicovSheet *const *s, size_t n)
{
  return ods_settings(w, s, n);
}
static int part_manifest(xmlTextWriterPtr w, HicovSheet *const *s, size_t n)
{
  (void)s;
  (void)n;
  return ods_manifest(w);
}

/* The archive in memory: mimetype first and stored (so that the file
 * starts "PK..mimetypeapplication/vnd.oasis..."), the parts deflated. */
static int save_ods(HicovSheet *const *sheets, size_t n, const char *path,
                    const char *lang, char *err, size_t err_size)
{
  static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
  struct { const char *name; PartFn fn; xmlBufferPtr buf; } parts[] = {
    { "content.xml", part_content, NULL }, { "styles.xml", part_styles, NULL },
    { "settings.xml", part_settings, NULL },
    { "META-INF/manifest.xml", part_manifest, NULL },
  };
  enum { NPARTS = 4 };
  int rc = HICOV_OK;
  for (int i = 0; i < NPARTS && !rc; i++) {
    parts[i].buf = xmlBufferCreate();
    xmlTextWriterPtr w = parts[i].buf ? xmlNewTextWriterMemory(parts[i].buf, 0)
                                      : NULL;
    if (!w || parts[i].fn(w, sheets, n) < 0)
      rc = HICOV_NOMEM;
    if (w)
      xmlFreeTextWriter(w); /* flushes into the buffer */
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = rc ? NULL : zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = NULL;
  if (!rc && !src)
    rc = HICOV_NOMEM;
  if (!rc) {
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
      rc = HICOV_NOMEM;
  }
  /* a fixed time: the same sheets make the same bytes */
  time_t when = 946684800; /* 2000-01-01 */
  for (int i = -1; i < NPARTS && !rc; i++) {
    const char *name = i < 0 ? "mimetype" : parts[i].name;
    const void *data = i < 0 ? (const void *)mime
                             : (const void *)xmlBufferContent(parts[i].buf);
    size_t len = i < 0 ? sizeof mime - 1 : (size_t)xmlBufferLength(parts[i].buf);
    zip_source_t *s = zip_source_buffer(za, data, len, 0);
    zip_int64_t idx = s ? zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      zip_source_free(s);
      rc = HICOV_NOMEM;
      break;
    }
    zip_set_file_compression(za, (zip_uint64_t)idx,
                             i < 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    zip_file_set_mtime(za, (zip_uint64_t)idx, when, 0);
  }
  char *data = NULL;
  zip_uint64_t len = 0;
  if (za) {
    if (rc)
      zip_discard(za);
    else if (zip_close(za) != 0) {
      zip_discard(za);
      rc = HICOV_NOMEM;
    }
  }
  if (!rc) {
    zip_stat_t st;
    if (zip_source_open(src) != 0 || zip_source_stat(src, &st) != 0) {
      rc = HICOV_NOMEM;
    } else {
      len = st.size;
      data = hicov_malloc((size_t)len + 1);
      if (!data || zip_source_read(src, data, len) != (zip_int64_t)len)
        rc = HICOV_NOMEM;
      zip_source_close(src);
    }
  }
  if (src)
    zip_source_free(src);
  zip_error_fini(&ze);
  for (int i = 0; i < NPARTS; i++)
    if (parts[i].buf)
      xmlBufferFree(parts[i].buf);
  if (rc) {
    hicov_free(data);
    hicov_fmt(err, err_size, T_(lang, "%s: cannot build the ODS file: %s"),
              path, hicov_text(lang, hicov_status_string(rc)));
    return rc;
  }
  rc = report_write_atomic_flags(path, data, (size_t)len, 0, lang, err,
                                 err_size);
  hicov_free(data);
  return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

static int csv_field(char **buf, size_t *len, size_t *cap, const char *s,
                     int last)
{
  size_t n = strlen(s);
  int quote = strpbrk(s, ",\"\n\r") != NULL || (n && (s[0] == ' ' ||
                                                      s[n - 1] == ' '));
  if (hicov_grow((void **)buf, cap, *len + 2 * n + 4, 1))
    return HICOV_NOMEM;
  if (quote)
    (*buf)[(*len)++] = '"';
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      (*buf)[(*len)++] = '"';
    (*buf)[(*len)++] = *p;
  }
  if (quote)
    (*buf)[(*len)++] = '"';
  (*buf)[(*len)++] = last ? '\n' : ',';
  (*buf)[*len] = '\0';
  return HICOV_OK;
}

static int save_csv(const HicovSheet *s, const char *path, const char *lang,
                    char *err, size_t err_size)
{
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = HICOV_OK;
  for (size_t c = 0; c < s->ncols && !rc; c++)
    rc = csv_field(&buf, &len, &cap, s->cols[c].heading ? s->cols[c].heading
                                                        : "", c + 1 == s->ncols);
  for (size_t r = 0; r < s->nrows && !rc; r++)
    for (size_t c = 0; c < s->ncols && !rc; c++) {
      const Cell *cell = &s->cells[r * s->ncols + c];
      char num[400];
      const char *text = "";
      if (cell->type == CELL_TEXT)
        text = cell->text;
      else if (cell->type == CELL_NUMBER) {
        report_format_double(cell->number, num, sizeof num);
        text = num;
      }
      rc = csv_field(&buf, &len, &cap, text, c + 1 == s->ncols);
    }
  if (rc) {
    hicov_free(buf);
    hicov_fmt(err, err_size, T_(lang, "%s: out of memory"), path);
    return rc;
  }
  rc = report_write_atomic_flags(path, buf ? buf : "", len, 0, lang, err,
                                 err_size);
  hicov_free(buf);
  return rc;
}

/* hicov_sheets_save with its messages in lang. */
static int sheets_save(HicovSheet *const *sheets, size_t n, const char *path,
                       int format, const char *lang, char *err,
                       size_t err_size)
{
  char dummy[8];
  if (!err || !err_size) {
    err = dummy;
    err_size = sizeof dummy;
  }
  err[0] = '\0';
  if (!sheets || !n || !path || !*path) {
    hicov_fmt(err, err_size, "%s", T_(lang, "no sheets or no output path"));
    return HICOV_INVALID;
  }
  for (size_t i = 0; i < n; i++)
    if (!sheets[i]) {
      hicov_fmt(err, err_size, T_(lang, "sheet %zu is missing"), i + 1);
      return HICOV_INVALID;
    }
  if (n > WB_MAX_SHEETS) {
    hicov_fmt(err, err_size, T_(lang, "more than %d sheets"), WB_MAX_SHEETS);
    return HICOV_LIMIT;
  }
  if (format == HICOV_WORKBOOK_AUTO)
    format = hicov_workbook_write_format_from_path(path);
  switch (format) {
  case HICOV_WORKBOOK_XLSX:
    return save_xlsx(sheets, n, path, lang, err, err_size);
  case HICOV_WORKBOOK_ODS:
    return save_ods(sheets, n, path, lang, err, err_size);
  case HICOV_WORKBOOK_CSV:
    return save_csv(sheets[0], path, lang, err, err_size);
  default:
    hicov_fmt(err, err_size, T_(lang, "%s: expected a file name ending in "
              ".xlsx, .ods or .csv"), path);
    return HICOV_INVALID;
  }
}

int hicov_sheets_save(HicovSheet *const *sheets, size_t n, const char *path,
                      int format, char *err, size_t err_size)
{
  return sheets_save(sheets, n, path, format, NULL, err, err_size);
}

int hicov_table_save(const HicovTable *t, const char *path, int format,
                     const char *lang, char *err, size_t err_size)
{
  /* lang is the sheets' text; the messages follow the table's dataset */
  const char *msg_lang = report_table_lang(t);
  HicovSheet *s[2] = { NULL, NULL };
  int rc = hicov_sheet_from_table(t, lang, &s[0], &s[1]);
  if (rc) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s: %s", path ? path : "",
                hicov_text(msg_lang, hicov_status_string(rc)));
    return rc;
  }
  rc = sheets_save(s, 2, path, format, msg_lang, err, err_size);
  hicov_sheet_free(s[0]);
  hicov_sheet_free(s[1]);
  return rc;
}
