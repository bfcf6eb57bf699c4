/* workbook-ods.c - OpenDocument spreadsheets (LibreOffice's .ods) read as
 * a stream of rows: content.xml's table:table elements are the sheets,
 * table:table-row the rows and table:table-cell the cells, with their
 * office:value-type and office:value (ODF 1.2, part 1, 9.1 and 19.385).
 *
 * Repeated rows and cells (table:number-rows-repeated, -columns-repeated:
 * LibreOffice writes a million empty rows as one element) are counted,
 * not expanded, when empty; a repeated cell that holds a value is
 * repeated up to the sheet's edge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-private.h"
#include "workbook-private.h"

typedef struct {
  WbZip *zip;
} Ods;

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

static long repeat(xmlTextReaderPtr r, const char *name, long max)
{
  char *v = attr(r, name);
  long n = v ? strtol(v, NULL, 10) : 1;
  hicov_free(v);
  return n < 1 ? 1 : n > max ? max : n;
}

static void ods_close(WbBook *b)
{
  Ods *o = b->impl;
  if (!o)
    return;
  wb_zip_close(o->zip);
  hicov_free(o);
  b->impl = NULL;
}

/* A cell being read: attributes, then its text:p paragraphs. */
typedef struct {
  WbCell cell;
  char *text;       /* paragraphs joined with '\n' */
  size_t len, cap;
  int paragraphs;
  long repeat;
} CellBuf;

static int put_text(CellBuf *c, const char *s, size_t n)
{
  if (hicov_grow((void **)&c->text, &c->cap, c->len + n + 1, 1))
    return HICOV_NOMEM;
  memcpy(c->text + c->len, s, n);
  c->len += n;
  c->text[c->len] = '\0';
  return HICOV_OK;
}

/* The row's cells, their texts in one buffer (pointers set when the row
 * is handed over). */
typedef struct {
  WbCell *cells;
  size_t *off;
  size_t n, cap, ocap;
  char *text;
  size_t len, tcap;
} Row;

static int row_add(Row *r, const WbCell *c, const char *text, size_t tlen)
{
  if (hicov_grow((void **)&r->cells, &r->cap, r->n + 1, sizeof *r->cells) ||
      hicov_grow((void **)&r->off, &r->ocap, r->n + 1, sizeof *r->off) ||
      hicov_grow((void **)&r->text, &r->tcap, r->len + tlen + 1, 1))
    return HICOV_NOMEM;
  r->cells[r->n] = *c;
  r->off[r->n] = r->len;
  memcpy(r->text + r->len, text, tlen);
  r->len += tlen;
  r->text[r->len++] = '\0';
  r->n++;
  return HICOV_OK;
}

/* Sets the cell's type from its attributes. */
static void cell_attrs(xmlTextReaderPtr r, CellBuf *c, char **value)
{
  char *type = attr(r, "office:value-type");
  char *calc = attr(r, "calcext:value-type");
  char *formula = attr(r, "table:formula");
  *value = NULL;
  c->cell.formula = formula != NULL;
  if (calc && !strcmp(calc, "error")) {
    c->cell.type = WB_ERROR;
  } else if (!type) {
    c->cell.type = WB_EMPTY; /* text without a type: decided by its text */
    if (formula)
      c->cell.no_value = 1;
  } else if (!strcmp(type, "float") || !strcmp(type, "currency")) {
    c->cell.type = WB_NUMBER;
    *value = attr(r, "office:value");
  } else if (!strcmp(type, "percentage")) {
    c->cell.type = WB_NUMBER;
    c->cell.fmt = WB_FMT_PERCENT;
    *value = attr(r, "office:value");
  } else if (!strcmp(type, "date")) {
    char *d = attr(r, "office:date-value");
    c->cell.type = d && sscanf(d, "%4d-%2d-%2d", &c->cell.y, &c->cell.m,
                               &c->cell.d) == 3 ? WB_DATE : WB_ERROR;
    *value = d;
  } else if (!strcmp(type, "boolean")) {
    c->cell.type = WB_BOOL;
    *value = attr(r, "office:boolean-value");
  } else {
    c->cell.type = WB_TEXT; /* string, time: read as text */
  }
  if (c->cell.type == WB_NUMBER && !*value)
    c->cell.type = WB_ERROR;
  hicov_free(type);
  hicov_free(calc);
  hicov_free(formula);
}

static int ods_read_sheet(WbBook *b, size_t sheet, WbRowFn fn, void *ctx)
{
  Ods *o = b->impl;
  WbXml *xr;
  int rc = wb_xml_open(b, o->zip, "content.xml", &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  size_t table = 0;
  int in_table = 0, in_cell = 0, in_p = 0, ret, depth_cell = 0;
  long row = 0, col = 0, row_repeat = 1;
  Row rw = { 0 };
  CellBuf cb = { { 0 }, NULL, 0, 0, 0, 1 };
  char *value = NULL;
  int skip_read = 0; /* xmlTextReaderNext left the reader on a node */
  while (!rc && (ret = skip_read ? 1 : xmlTextReaderRead(r)) == 1) {
    skip_read = 0;
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE) {
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
      break;
    }
    const char *n = local(r);
    if (t == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (!strcmp(n, "table") && !in_table) {
        if (table++ != sheet) {
          if (!empty) {
            if ((ret = xmlTextReaderNext(r)) != 1)
              break;
            skip_read = 1;
          }
          continue;
        }
        in_table = !empty;
      } else if (in_table && !strcmp(n, "table-row")) {
        row_repeat = repeat(r, "table:number-rows-repeated",
                            HICOV_WORKBOOK_MAX_ROWS);
        col = 0;
        rw.n = rw.len = 0;
        if (empty)
          row += row_repeat;
      } else if (in_table && (!strcmp(n, "table-cell") ||
                              !strcmp(n, "covered-table-cell"))) {
        memset(&cb.cell, 0, sizeof cb.cell);
        cb.len = 0;
        cb.paragraphs = 0;
        cb.repeat = repeat(r, "table:number-columns-repeated",
                           HICOV_WORKBOOK_MAX_COLUMNS);
        hicov_free(value);
        cell_attrs(r, &cb, &value);
        in_cell = !empty;
        depth_cell = xmlTextReaderDepth(r);
        if (empty)
          goto cell_done;
      } else if (in_cell && !strcmp(n, "p")) {
        if (cb.paragraphs++ && (rc = put_text(&cb, "\n", 1)))
          break;
        in_p = !empty;
      } else if (in_p && !strcmp(n, "s")) {
        long k = repeat(r, "text:c", 1000);
        for (long i = 0; i < k && !rc; i++)
          rc = put_text(&cb, " ", 1);
      } else if (in_p && !strcmp(n, "tab")) {
        rc = put_text(&cb, "\t", 1);
      } else if (in_p && !strcmp(n, "line-break")) {
        rc = put_text(&cb, "\n", 1);
      } else if (in_cell && !strcmp(n, "annotation")) {
        if (!empty) { /* a comment is not the cell's text */
          if ((ret = xmlTextReaderNext(r)) != 1)
            break;
          skip_read = 1;
        }
        continue;
      }
      continue;
    }
    if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
        t == XML_READER_TYPE_CDATA) {
      if (in_p) {
        const char *v = (const char *)xmlTextReaderConstValue(r);
        if (v)
          rc = put_text(&cb, v, strlen(v));
      }
      continue;
    }
    if (t != XML_READER_TYPE_END_ELEMENT)
      continue;
    if (!strcmp(n, "p")) {
      in_p = 0;
      continue;
    }
    if (in_cell && xmlTextReaderDepth(r) == depth_cell &&
        (!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell"))) {
      in_cell = 0;
    cell_done:
      if (cb.cell.type == WB_EMPTY && cb.len && !cb.cell.no_value)
        cb.cell.type = WB_TEXT;
      if (cb.cell.type == WB_EMPTY && !cb.cell.no_value) {
        col += cb.repeat;
        continue;
      }
      const char *text = cb.cell.type == WB_TEXT || cb.cell.type == WB_ERROR ||
                         !value ? (cb.text ? cb.text : "") : value;
      size_t tlen = strlen(text);
      for (long k = 0; k < cb.repeat && col < HICOV_WORKBOOK_MAX_COLUMNS &&
                       !rc; k++, col++) {
        cb.cell.col = (int)col;
        rc = row_add(&rw, &cb.cell, text, tlen);
      }
      continue;
    }
    if (in_table && !strcmp(n, "table-row")) {
      for (long k = 0; k < row_repeat && !rc; k++) {
        row++;
        if (row > HICOV_WORKBOOK_MAX_ROWS)
          break;
        if (!rw.n)
          continue;
        for (size_t i = 0; i < rw.n; i++)
          rw.cells[i].text = rw.text + rw.off[i];
        rc = fn(ctx, row, rw.cells, rw.n);
      }
      rw.n = rw.len = 0;
      continue;
    }
    if (in_table && !strcmp(n, "table"))
      break; /* the sheet is read */
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  if (!rc && table <= sheet)
    rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: content.xml has no sheet "
                 "%zu"), b->name, sheet + 1);
  hicov_free(value);
  hicov_free(cb.text);
  hicov_free(rw.cells);
  hicov_free(rw.off);
  hicov_free(rw.text);
  wb_xml_close(xr);
  return rc;
}

static const WbOps ods_ops = { ods_read_sheet, ods_close };

/* The sheets' names: one pass over content.xml that skips their rows. */
static int read_names(WbBook *b, Ods *o)
{
  WbXml *xr;
  int rc = wb_xml_open(b, o->zip, "content.xml", &xr);
  if (rc)
    return rc;
  xmlTextReaderPtr r = wb_xml_reader(xr);
  int ret, seen_root = 0, skip_read = 0;
  while (!rc && (ret = skip_read ? 1 : xmlTextReaderRead(r)) == 1) {
    skip_read = 0;
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE) {
      rc = wb_xml_fail(b, xr, T_(b->lang, "a DTD or entity reference is not "
                       "allowed"));
      break;
    }
    if (t != XML_READER_TYPE_ELEMENT)
      continue;
    const char *n = local(r);
    if (!seen_root) {
      seen_root = 1;
      if (strcmp(n, "document-content") && strcmp(n, "document")) {
        rc = wb_xml_fail(b, xr, T_(b->lang, "not an OpenDocument content "
                                   "part"));
        break;
      }
    }
    if (strcmp(n, "table"))
      continue;
    if (b->n_sheets >= WB_MAX_SHEETS) {
      rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: more than %d sheets"),
                   b->name, WB_MAX_SHEETS);
      break;
    }
    char *name = attr(r, "table:name");
    if (!name && !(name = hicov_strdup("")))
      rc = HICOV_NOMEM;
    else
      b->sheets[b->n_sheets++] = name;
    if (!xmlTextReaderIsEmptyElement(r)) {
      if ((ret = xmlTextReaderNext(r)) != 1)
        break;
      skip_read = 1;
    }
  }
  if (!rc && ret < 0)
    rc = wb_xml_fail(b, xr, NULL);
  wb_xml_close(xr);
  if (!rc && b->n_sheets == 0)
    rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: the spreadsheet has no "
                 "sheet"), b->name);
  return rc;
}

int wb_open_ods(WbBook *b, const void *data, size_t len)
{
  Ods *o = hicov_calloc(1, sizeof *o);
  if (!o)
    return HICOV_NOMEM;
  b->impl = o;
  b->ops = &ods_ops;
  int rc = wb_zip_open(b, data, len, &o->zip);
  if (rc)
    return rc;
  char *mime = NULL;
  if (wb_zip_has(o->zip, "mimetype")) {
    rc = wb_zip_read(b, o->zip, "mimetype", 256, &mime, NULL);
    if (!rc && strcmp(mime, "application/vnd.oasis.opendocument.spreadsheet"))
      rc = wb_fail(b, HICOV_UNSUPPORTED, T_(b->lang, "%s: an OpenDocument "
                   "file of type '%.100s', not a spreadsheet"), b->name, mime);
    hicov_free(mime);
  }
  if (!rc)
    rc = read_names(b, o);
  return rc;
}
