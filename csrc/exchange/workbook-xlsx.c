/* workbook-xlsx.c - Office Open XML spreadsheets (Excel's .xlsx) read as a
 * stream of rows: the package relationships lead to the workbook part,
 * its sheets and the shared strings and styles; each sheet's XML is then
 * read one row at a time with xmlTextReader (ECMA-376 Part 1, 18.3).
 *
 * Kept in memory: the shared strings (bounded by
 * HICOV_WORKBOOK_MAX_SHARED_STRINGS and _BYTES), one kind per cell style
 * (general, percent, date) and one row of cells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-private.h"
#include "workbook-private.h"

#define SMALL_PART_MAX ((size_t)16 << 20) /* workbook.xml, rels, styles */

typedef struct {
  WbZip *zip;
  const char *lang; /* the book's, for a cell text hicov writes */
  int date1904;
  char *sheet_path[WB_MAX_SHEETS];
  /* shared strings: offsets into one buffer */
  char *sst;
  size_t sst_len, sst_cap;
  size_t *sst_off;
  size_t n_sst, cap_sst;
  /* cell style index -> WB_FMT_* */
  unsigned char *style_fmt;
  size_t n_styles;
} Xlsx;

/* ---- Small helpers ------------------------------------------------------ */

static const char *local(xmlTextReaderPtr r)
{
  const xmlChar *n = xmlTextReaderConstLocalName(r);
  return n ? (const char *)n : "";
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
  xmlChar *v = xmlTextReaderGetAttribute(r, BAD_CAST name);
  if (!v)
    return NULL;
  char *d = hicov_strdup((const char *)v);
  xmlFree(v);
  return d;
}

/* An attribute in a namespace by local name (r:id): the reader's
 * xmlTextReaderGetAttributeNs needs the namespace URI, which differs
 * between strict and transitional OOXML. */
static char *attr_local(xmlTextReaderPtr r, const char *name)
{
  char *found = NULL;
  if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
    do {
      if (!strcmp(local(r), name)) {
        const xmlChar *v = xmlTextReaderConstValue(r);
        found = hicov_strdup(v ? (const char *)v : "");
        break;
      }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
  }
  return found;
}

/* Joins a relationship target to the folder of its source part and
 * removes "." and ".." (never above the root). */
static char *resolve(const char *base_dir, const char *target)
{
  char buf[1024];
  if (target[0] == '/')
    snprintf(buf, sizeof buf, "%s", target + 1);
  else
    snprintf(buf, sizeof buf, "%s%s", base_dir, target);
  char out[1024];
  size_t o = 0;
  const char *p = buf;
  while (*p) {
    const char *seg = p;
    while (*p && *p != '/')
      p++;
    size_t n = (size_t)(p - seg);
    if (n == 1 && seg[0] == '.') {
      /* nothing */
    } else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--;
      while (o > 0 && out[o - 1] != '/')
        o--;
    } else if (n) {
      if (o + n + 1 >= sizeof out)
        break;
      memcpy(out + o, seg, n);
      o += n;
      out[o++] = '/';
    }
    if (*p)
      p++;
  }
  if (o)
    o--; /* the last '/' */
  out[o] = '\0';
  return hicov_strdup(out);
}

static const char *type_tail(const char *type)
{
  const char *s = type ? strrchr(type, '/') : NULL;
  return s ? s + 1 : "";
}

/* ---- Parts -------------------------------------------------------------- */

typedef struct {
  char *id, *type, *target;
} Rel;

/* Reads a .rels part: calls fn for each Relationship. */
static int read_rels(WbBook *b, Xlsx *x, const char *part,
                     int (*fn)(void *, const Rel *), void *ctx)
{
  WbXml *xr;
  int rc = wb_xml_open(b, x->zip, part, &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  int ret;
  while (!rc && (ret = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE)
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
    if (t != XML_READER_TYPE_ELEMENT || strcmp(local(r), "Relationship"))
      continue;
    Rel rel = { attr(r, "Id"), attr(r, "Type"), attr(r, "Target") };
    if (rel.id && rel.target)
      rc = fn(ctx, &rel);
    hicov_free(rel.id);
    hicov_free(rel.type);
    hicov_free(rel.target);
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  wb_xml_close(xr);
  return rc;
}

static int on_package_rel(void *ctx, const Rel *rel)
{
  char **workbook = ctx;
  if (!*workbook && !strcmp(type_tail(rel->type), "officeDocument"))
    *workbook = resolve("", rel->target);
  return 0;
}

typedef struct {
  Xlsx *x;
  const char *dir;
  char *ids[WB_MAX_SHEETS];
  size_t n;
  char *shared, *styles;
} WorkbookRels;

static int on_workbook_rel(void *ctx, const Rel *rel)
{
  WorkbookRels *w = ctx;
  const char *t = type_tail(rel->type);
  if (!strcmp(t, "sharedStrings") && !w->shared)
    w->shared = resolve(w->dir, rel->target);
  else if (!strcmp(t, "styles") && !w->styles)
    w->styles = resolve(w->dir, rel->target);
  else
    for (size_t i = 0; i < w->n; i++)
      if (w->ids[i] && !strcmp(w->ids[i], rel->id) && !w->x->sheet_path[i])
        w->x->sheet_path[i] = resolve(w->dir, rel->target);
  return 0;
}

/* workbook.xml: the sheets' names and relationship ids, the date system. */
static int read_workbook(WbBook *b, Xlsx *x, const char *part,
                         WorkbookRels *w)
{
  WbXml *xr;
  int rc = wb_xml_open(b, x->zip, part, &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  int ret;
  while (!rc && (ret = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE)
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
    if (t != XML_READER_TYPE_ELEMENT)
      continue;
    const char *n = local(r);
    if (!strcmp(n, "workbookPr")) {
      char *d = attr(r, "date1904");
      x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
      hicov_free(d);
    } else if (!strcmp(n, "sheet")) {
      if (b->n_sheets >= WB_MAX_SHEETS) {
        rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: more than %d sheets"),
                     b->name, WB_MAX_SHEETS);
        break;
      }
      char *name = attr(r, "name"), *id = attr_local(r, "id");
      if (!name || !id) {
        hicov_free(name);
        hicov_free(id);
        rc = wb_xml_fail(b, xr, T_(b->lang, "a <sheet> without a name or "
                                   "r:id"));
        break;
      }
      b->sheets[b->n_sheets] = name;
      w->ids[b->n_sheets] = id;
      b->n_sheets++;
      w->n = b->n_sheets;
    }
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  wb_xml_close(xr);
  return rc;
}

/* A number format code: percent, date or general. Text in quotes,
 * escaped characters and [brackets] ([Red], [$-42A]) do not count. */
static int code_kind(const char *code)
{
  int date = 0, percent = 0;
  for (const char *p = code; *p; p++) {
    if (*p == '"') {
      while (p[1] && p[1] != '"')
        p++;
      if (p[1])
        p++;
    } else if (*p == '\\' || *p == '_' || *p == '*') {
      if (p[1])
        p++;
    } else if (*p == '[') {
      while (p[1] && p[1] != ']')
        p++;
      if (p[1])
        p++;
    } else if (*p == '%') {
      percent = 1;
    } else {
      char c = (char)(*p | 32);
      if (c == 'd' || c == 'm' || c == 'y' || c == 'h' || c == 's')
        date = 1;
    }
  }
  if (!strncmp(code, "General", 7) || !strncmp(code, "general", 7))
    return WB_FMT_GENERAL;
  return percent ? WB_FMT_PERCENT : date ? WB_FMT_DATE : WB_FMT_GENERAL;
}

static int builtin_kind(long id)
{
  if (id == 9 || id == 10)
    return WB_FMT_PERCENT;
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
      (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
    return WB_FMT_DATE;
  return WB_FMT_GENERAL;
}

/* styles.xml: numFmts, then the kind of each cellXfs entry. */
static int read_styles(WbBook *b, Xlsx *x, const char *part)
{
  WbXml *xr;
  int rc = wb_xml_open(b, x->zip, part, &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  long ids[512];
  unsigned char kinds[512];
  size_t nfmt = 0, cap = 0;
  int in_xfs = 0, ret;
  while (!rc && (ret = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE)
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
    const char *n = local(r);
    if (t == XML_READER_TYPE_END_ELEMENT && !strcmp(n, "cellXfs"))
      in_xfs = 0;
    if (t != XML_READER_TYPE_ELEMENT)
      continue;
    if (!strcmp(n, "numFmt") && nfmt < 512) {
      char *id = attr(r, "numFmtId"), *code = attr(r, "formatCode");
      if (id && code) {
        ids[nfmt] = strtol(id, NULL, 10);
        kinds[nfmt++] = (unsigned char)code_kind(code);
      }
      hicov_free(id);
      hicov_free(code);
    } else if (!strcmp(n, "cellXfs")) {
      in_xfs = !xmlTextReaderIsEmptyElement(r);
    } else if (in_xfs && !strcmp(n, "xf")) {
      if (x->n_styles >= 65536) {
        rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: more than 65,536 cell "
                     "styles"), b->name);
        break;
      }
      char *id = attr(r, "numFmtId");
      long fid = id ? strtol(id, NULL, 10) : 0;
      hicov_free(id);
      int kind = builtin_kind(fid);
      for (size_t k = 0; k < nfmt; k++)
        if (ids[k] == fid)
          kind = kinds[k];
      if (hicov_grow((void **)&x->style_fmt, &cap, x->n_styles + 1, 1)) {
        rc = HICOV_NOMEM;
        break;
      }
      x->style_fmt[x->n_styles++] = (unsigned char)kind;
    }
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  wb_xml_close(xr);
  return rc;
}

/* Appends text to the shared-string buffer under the limits. */
static int sst_put(WbBook *b, Xlsx *x, const char *s, size_t n)
{
  if (x->sst_len + n >= HICOV_WORKBOOK_MAX_SHARED_BYTES)
    return wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: the shared strings hold "
                   "more than %zu bytes: refusing the workbook"), b->name,
                   (size_t)HICOV_WORKBOOK_MAX_SHARED_BYTES);
  if (hicov_grow((void **)&x->sst, &x->sst_cap, x->sst_len + n + 1, 1))
    return HICOV_NOMEM;
  memcpy(x->sst + x->sst_len, s, n);
  x->sst_len += n;
  return HICOV_OK;
}

/* sharedStrings.xml: <si> with <t>, or runs <r><t>; phonetic runs
 * (<rPh>) are not part of the text. */
static int read_shared(WbBook *b, Xlsx *x, const char *part)
{
  WbXml *xr;
  int rc = wb_xml_open(b, x->zip, part, &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  int in_si = 0, in_t = 0, in_rph = 0, ret;
  while (!rc && (ret = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE) {
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
      break;
    }
    const char *n = local(r);
    if (t == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (!strcmp(n, "si")) {
        if (x->n_sst >= HICOV_WORKBOOK_MAX_SHARED_STRINGS) {
          rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: more than %d shared "
                       "strings: refusing the workbook"), b->name,
                       HICOV_WORKBOOK_MAX_SHARED_STRINGS);
          break;
        }
        if (hicov_grow((void **)&x->sst_off, &x->cap_sst, x->n_sst + 1,
                       sizeof *x->sst_off)) {
          rc = HICOV_NOMEM;
          break;
        }
        x->sst_off[x->n_sst++] = x->sst_len;
        if (empty)
          rc = sst_put(b, x, "", 1);
        else
          in_si = 1;
      } else if (!strcmp(n, "rPh")) {
        in_rph = !empty;
      } else if (!strcmp(n, "t") && in_si && !in_rph) {
        in_t = !empty;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT) {
      if (!strcmp(n, "si")) {
        rc = sst_put(b, x, "", 1); /* the NUL ending the string */
        in_si = 0;
      } else if (!strcmp(n, "rPh")) {
        in_rph = 0;
      } else if (!strcmp(n, "t")) {
        in_t = 0;
      }
    } else if (in_t && (t == XML_READER_TYPE_TEXT ||
                        t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                        t == XML_READER_TYPE_CDATA)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v)
        rc = sst_put(b, x, v, strlen(v));
    }
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  wb_xml_close(xr);
  return rc;
}

static void xlsx_close(WbBook *b)
{
  Xlsx *x = b->impl;
  if (!x)
    return;
  wb_zip_close(x->zip);
  for (size_t i = 0; i < WB_MAX_SHEETS; i++)
    hicov_free(x->sheet_path[i]);
  hicov_free(x->sst);
  hicov_free(x->sst_off);
  hicov_free(x->style_fmt);
  hicov_free(x);
  b->impl = NULL;
}

/* ---- Sheets ------------------------------------------------------------- */

/* The cells of the row being read: texts in one buffer (offsets until the
 * row ends, as the buffer may move). */
typedef struct {
  WbCell *cells;
  size_t *text_off;
  size_t n, cap;
  char *text;
  size_t len, tcap;
} RowBuf;

static int row_text(RowBuf *rb, const char *s, size_t n)
{
  if (hicov_grow((void **)&rb->text, &rb->tcap, rb->len + n + 1, 1))
    return HICOV_NOMEM;
  memcpy(rb->text + rb->len, s, n);
  rb->len += n;
  rb->text[rb->len] = '\0';
  return HICOV_OK;
}

static int row_cell(RowBuf *rb)
{
  size_t need = rb->n + 1, cap = rb->cap;
  if (hicov_grow((void **)&rb->cells, &cap, need, sizeof *rb->cells) ||
      hicov_grow((void **)&rb->text_off, &rb->cap, need, sizeof *rb->text_off))
    return HICOV_NOMEM;
  memset(&rb->cells[rb->n], 0, sizeof *rb->cells);
  rb->text_off[rb->n] = rb->len;
  rb->n++;
  return HICOV_OK;
}

/* "B12" -> column 1 (0-based); -1 if none. */
static int ref_column(const char *ref)
{
  int c = 0, k = 0;
  for (; ref[k] >= 'A' && ref[k] <= 'Z'; k++) {
    c = c * 26 + (ref[k] - 'A' + 1);
    if (c > HICOV_WORKBOOK_MAX_COLUMNS)
      return -1;
  }
  return k ? c - 1 : -1;
}

/* An Excel serial day to a date: the 1900 system counts 1900-02-29, which
 * never was (serial 60); the 1904 system starts on 1904-01-01. */
static int serial_date(double serial, int date1904, WbCell *c)
{
  if (!(serial >= 1 && serial < 2958466)) /* 9999-12-31 */
    return -1;
  long day = (long)serial;
  long z;
  if (date1904)
    z = wb_days_from_civil(1904, 1, 1) + day;
  else if (day == 60)
    return -1;
  else if (day < 60)
    z = wb_days_from_civil(1899, 12, 31) + day;
  else
    z = wb_days_from_civil(1899, 12, 30) + day;
  wb_civil_from_days(z, &c->y, &c->m, &c->d);
  return 0;
}

/* Finishes the cell just read: its type from t=, s= and what it held.
 * text is the cell's own text in the row buffer, which may still move:
 * c->text stays NULL for it (set when the row is handed over), and points
 * elsewhere only for shared strings and fixed messages. */
static void finish_cell(Xlsx *x, WbCell *c, const char *t, long style,
                        int has_v, const char *text)
{
  /* <v></v>, as openpyxl writes a formula it could not compute, holds
     nothing */
  if (has_v && !text[0] && !(t && (!strcmp(t, "str") || !strcmp(t, "inlineStr"))))
    has_v = 0;
  if (t && !strcmp(t, "s")) {
    long i = has_v ? strtol(text, NULL, 10) : -1;
    if (i >= 0 && (size_t)i < x->n_sst) {
      c->type = WB_TEXT;
      c->text = x->sst + x->sst_off[i];
    } else {
      c->type = WB_ERROR;
      c->text = T_(x->lang, "#REF! (a shared string that does not exist)");
    }
  } else if (t && (!strcmp(t, "str") || !strcmp(t, "inlineStr"))) {
    c->type = WB_TEXT;
  } else if (t && !strcmp(t, "b")) {
    c->type = WB_BOOL;
  } else if (t && !strcmp(t, "e")) {
    c->type = WB_ERROR;
  } else if (t && !strcmp(t, "d")) {
    c->type = sscanf(text, "%4d-%2d-%2d", &c->y, &c->m, &c->d) == 3 ? WB_DATE
                                                                    : WB_ERROR;
  } else if (has_v) {
    c->type = WB_NUMBER;
    c->fmt = style >= 0 && (size_t)style < x->n_styles ? x->style_fmt[style]
                                                       : WB_FMT_GENERAL;
    if (c->fmt == WB_FMT_DATE) {
      char *end;
      double v = hicov_strtod_c(text, &end);
      c->type = *end == '\0' && serial_date(v, x->date1904, c) == 0 ? WB_DATE
                                                                     : WB_NUMBER;
    }
  } else {
    c->type = WB_EMPTY;
  }
  if (c->formula && !has_v && c->type != WB_TEXT)
    c->no_value = 1;
}

static int xlsx_read_sheet(WbBook *b, size_t sheet, WbRowFn fn, void *ctx)
{
  Xlsx *x = b->impl;
  if (!x->sheet_path[sheet])
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: sheet '%s' has no part in "
                   "the workbook's relationships"), b->name, b->sheets[sheet]);
  WbXml *xr;
  int rc = wb_xml_open(b, x->zip, x->sheet_path[sheet], &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  RowBuf rb = { 0 };
  long row = 0;
  int col = -1, in_row = 0, in_c = 0, in_v = 0, in_t = 0, in_rph = 0, has_v = 0;
  char *ctype = NULL;
  long style = -1;
  int ret;
  while (!rc && (ret = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE) {
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
      break;
    }
    const char *n = local(r);
    if (t == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (!strcmp(n, "row")) {
        char *rs = attr(r, "r");
        long rn = rs ? strtol(rs, NULL, 10) : row + 1;
        hicov_free(rs);
        if (rn <= row || rn > HICOV_WORKBOOK_MAX_ROWS) {
          rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: sheet '%s': row %ld "
                       "out of order or past row %d"), b->name,
                       b->sheets[sheet], rn, HICOV_WORKBOOK_MAX_ROWS);
          break;
        }
        row = rn;
        col = -1;
        rb.n = rb.len = 0;
        in_row = !empty;
      } else if (!strcmp(n, "c") && in_row) {
        char *ref = attr(r, "r"), *s = attr(r, "s");
        int cn = ref ? ref_column(ref) : col + 1;
        hicov_free(ref);
        style = s ? strtol(s, NULL, 10) : -1;
        hicov_free(s);
        hicov_free(ctype);
        ctype = attr(r, "t");
        if (cn <= col || cn >= HICOV_WORKBOOK_MAX_COLUMNS) {
          rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: sheet '%s' row %ld: a "
                       "cell out of order or past column XFD"), b->name,
                       b->sheets[sheet], row);
          break;
        }
        col = cn;
        if ((rc = row_cell(&rb)))
          break;
        rb.cells[rb.n - 1].col = col;
        has_v = 0;
        in_c = 1;
        if (empty) {
          rc = row_text(&rb, "", 1);
          finish_cell(x, &rb.cells[rb.n - 1], ctype, style, 0, "");
          in_c = 0;
        }
      } else if (in_c && !strcmp(n, "f")) {
        rb.cells[rb.n - 1].formula = 1;
      } else if (in_c && !strcmp(n, "v")) {
        in_v = !empty;
        has_v = 1;
      } else if (in_c && !strcmp(n, "rPh")) {
        in_rph = !empty;
      } else if (in_c && !strcmp(n, "t") && !in_rph) {
        in_t = !empty;
        has_v = 1;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT) {
      if (!strcmp(n, "v")) {
        in_v = 0;
      } else if (!strcmp(n, "t")) {
        in_t = 0;
      } else if (!strcmp(n, "rPh")) {
        in_rph = 0;
      } else if (!strcmp(n, "c") && in_c) {
        rc = row_text(&rb, "", 1); /* ends the cell's text with its NUL */
        if (!rc) {
          WbCell *c = &rb.cells[rb.n - 1];
          finish_cell(x, c, ctype, style, has_v, rb.text + rb.text_off[rb.n - 1]);
        }
        in_c = 0;
      } else if (!strcmp(n, "row") && in_row) {
        in_row = 0;
      }
    } else if ((in_v || in_t) && (t == XML_READER_TYPE_TEXT ||
               t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
               t == XML_READER_TYPE_CDATA)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      /* the text of the cell grows by one piece: its NUL comes at </c> */
      if (v)
        rc = row_text(&rb, v, strlen(v));
    }
    /* a row is complete: hand it over. Texts still in the row buffer
       get their pointers now that it no longer moves. */
    if (!rc && t == XML_READER_TYPE_END_ELEMENT && !strcmp(n, "row") && rb.n) {
      size_t k = 0;
      for (size_t i = 0; i < rb.n; i++) {
        WbCell c = rb.cells[i];
        if (!c.text)
          c.text = rb.text + rb.text_off[i];
        if (c.type != WB_EMPTY || c.no_value)
          rb.cells[k++] = c;
      }
      if (k)
        rc = fn(ctx, row, rb.cells, k);
      rb.n = rb.len = 0;
    }
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  hicov_free(ctype);
  hicov_free(rb.cells);
  hicov_free(rb.text_off);
  hicov_free(rb.text);
  wb_xml_close(xr);
  return rc;
}

static const WbOps xlsx_ops = { xlsx_read_sheet, xlsx_close };

int wb_open_xlsx(WbBook *b, const void *data, size_t len)
{
  Xlsx *x = hicov_calloc(1, sizeof *x);
  if (!x)
    return HICOV_NOMEM;
  x->lang = b->lang;
  b->impl = x;
  b->ops = &xlsx_ops;
  int rc = wb_zip_open(b, data, len, &x->zip);
  char *workbook = NULL;
  WorkbookRels w = { x, NULL, { NULL }, 0, NULL, NULL };
  if (!rc && wb_zip_has(x->zip, "_rels/.rels"))
    rc = read_rels(b, x, "_rels/.rels", on_package_rel, &workbook);
  if (!rc && !workbook && !(workbook = hicov_strdup("xl/workbook.xml")))
    rc = HICOV_NOMEM;
  if (!rc && !wb_zip_has(x->zip, workbook))
    rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: no workbook part '%s': not "
                 "an XLSX workbook"), b->name, workbook);
  char dir[512] = "", rels[600];
  if (!rc) {
    const char *slash = strrchr(workbook, '/');
    if (slash)
      snprintf(dir, sizeof dir, "%.*s/", (int)(slash - workbook), workbook);
    snprintf(rels, sizeof rels, "%s_rels/%s.rels", dir,
             slash ? slash + 1 : workbook);
    w.dir = dir;
    rc = read_workbook(b, x, workbook, &w);
  }
  if (!rc && wb_zip_has(x->zip, rels))
    rc = read_rels(b, x, rels, on_workbook_rel, &w);
  if (!rc && w.styles && wb_zip_has(x->zip, w.styles))
    rc = read_styles(b, x, w.styles);
  if (!rc && w.shared && wb_zip_has(x->zip, w.shared))
    rc = read_shared(b, x, w.shared);
  if (!rc && b->n_sheets == 0)
    rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: the workbook has no sheet"),
                 b->name);
  for (size_t i = 0; i < WB_MAX_SHEETS; i++)
    hicov_free(w.ids[i]);
  hicov_free(w.shared);
  hicov_free(w.styles);
  hicov_free(workbook);
  return rc;
}
