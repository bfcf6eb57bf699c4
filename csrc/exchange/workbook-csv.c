/* workbook-csv.c - a CSV file as a one-sheet workbook of text cells.
 *
 * The delimiter is the first line's most frequent of ',', ';' and tab
 * (outside quotes): Excel in a locale whose decimal mark is a comma saves
 * CSV with ';'. RFC 4180 quoting; a UTF-8 byte-order mark is skipped; the
 * text must be UTF-8 (a file saved in Windows-1258 or TCVN3 is refused
 * with the line of its first bad byte). A row is numbered by the line it
 * starts on, as an editor shows it. */
#include <string.h>

#include "hicov-private.h"
#include "workbook-private.h"

typedef struct {
  const char *data;
  size_t len;
  char delim;
} Csv;

static void csv_close(WbBook *b)
{
  hicov_free(b->impl);
  b->impl = NULL;
}

/* Offset of the first byte that is not well-formed UTF-8, or len. */
static size_t bad_utf8(const unsigned char *d, size_t len)
{
  size_t i = 0;
  while (i < len) {
    unsigned c = d[i];
    if (c < 0x80) {
      if (!c)
        return i;
      i++;
      continue;
    }
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      k = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      lo = c == 0xE0 ? 0xA0 : 0x80;
      hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
      return i;
    if (i + k >= len)
      return i;
    if (d[i + 1] < lo || d[i + 1] > hi)
      return i;
    for (size_t j = 2; j <= k; j++)
      if ((d[i + j] & 0xC0) != 0x80)
        return i;
    i += k + 1;
  }
  return len;
}

static int csv_read_sheet(WbBook *b, size_t sheet, WbRowFn fn, void *ctx)
{
  (void)sheet;
  Csv *c = b->impl;
  const char *d = c->data;
  size_t n = c->len, i = 0;
  long line = 1;
  char *buf = NULL;
  size_t cap = 0, used = 0;
  WbCell *cells = NULL;
  size_t *offs = NULL, ncells = 0, ccap = 0, ocap = 0;
  int rc = HICOV_OK;
  while (i < n && !rc) {
    long start_line = line;
    used = 0;
    ncells = 0;
    int col = 0;
    for (;;) { /* one field */
      size_t fstart = used;
      int quoted = 0;
      if (i < n && d[i] == '"') {
        quoted = 1;
        i++;
        for (;;) {
          if (i >= n) {
            rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s line %ld: a quoted "
                         "field is not closed"), b->name, start_line);
            break;
          }
          if (d[i] == '"') {
            if (i + 1 < n && d[i + 1] == '"') {
              i += 2;
              if (hicov_grow((void **)&buf, &cap, used + 2, 1)) {
                rc = HICOV_NOMEM;
                break;
              }
              buf[used++] = '"';
              continue;
            }
            i++;
            break;
          }
          if (d[i] == '\n')
            line++;
          if (hicov_grow((void **)&buf, &cap, used + 2, 1)) {
            rc = HICOV_NOMEM;
            break;
          }
          buf[used++] = d[i++];
        }
      }
      while (!rc && i < n && d[i] != c->delim && d[i] != '\n' && d[i] != '\r') {
        if (hicov_grow((void **)&buf, &cap, used + 2, 1)) {
          rc = HICOV_NOMEM;
          break;
        }
        buf[used++] = d[i++];
      }
      if (rc)
        break;
      if (hicov_grow((void **)&buf, &cap, used + 1, 1)) {
        rc = HICOV_NOMEM;
        break;
      }
      buf[used++] = '\0';
      if (used - fstart > 1 || quoted) {
        if (col >= HICOV_WORKBOOK_MAX_COLUMNS) {
          rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s line %ld: more than %d "
                       "columns"), b->name, start_line,
                       HICOV_WORKBOOK_MAX_COLUMNS);
          break;
        }
        if (hicov_grow((void **)&cells, &ccap, ncells + 1, sizeof *cells) ||
            hicov_grow((void **)&offs, &ocap, ncells + 1, sizeof *offs)) {
          rc = HICOV_NOMEM;
          break;
        }
        memset(&cells[ncells], 0, sizeof *cells);
        cells[ncells].col = col;
        cells[ncells].type = used - fstart > 1 ? WB_TEXT : WB_EMPTY;
        offs[ncells++] = fstart;
      }
      col++;
      if (i < n && d[i] == c->delim) {
        i++;
        continue;
      }
      break;
    }
    if (rc)
      break;
    /* LF, CRLF or a lone CR (old Mac files) end the record and the line */
    if (i < n && d[i] == '\r') {
      i++;
      if (i >= n || d[i] != '\n')
        line++;
    }
    if (i < n && d[i] == '\n') {
      i++;
      line++;
    }
    size_t k = 0;
    for (size_t j = 0; j < ncells; j++) {
      cells[j].text = buf + offs[j];
      if (cells[j].type != WB_EMPTY)
        cells[k++] = cells[j];
    }
    if (start_line > HICOV_WORKBOOK_MAX_ROWS) {
      rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: more than %d lines"),
                   b->name, HICOV_WORKBOOK_MAX_ROWS);
      break;
    }
    if (k)
      rc = fn(ctx, start_line, cells, k);
  }
  hicov_free(buf);
  hicov_free(cells);
  hicov_free(offs);
  return rc;
}

static const WbOps csv_ops = { csv_read_sheet, csv_close };

int wb_open_csv(WbBook *b, const void *data, size_t len)
{
  Csv *c = hicov_calloc(1, sizeof *c);
  if (!c)
    return HICOV_NOMEM;
  b->impl = c;
  b->ops = &csv_ops;
  const unsigned char *u = data;
  if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: the file is UTF-16: save "
                   "it as CSV UTF-8"), b->name);
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    u += 3;
    len -= 3;
  }
  size_t bad = bad_utf8(u, len);
  if (bad < len) {
    long line = 1;
    for (size_t i = 0; i < bad; i++)
      line += u[i] == '\n';
    if (u[bad])
      return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s line %ld: bytes that are "
                     "not UTF-8 (Windows-1258 or TCVN3?): save the file as "
                     "CSV UTF-8"), b->name, line);
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s line %ld: a NUL byte: save "
                   "the file as CSV UTF-8"), b->name, line);
  }
  c->data = (const char *)u;
  c->len = len;
  size_t counts[3] = { 0, 0, 0 };
  int quoted = 0;
  for (size_t i = 0; i < len && (quoted || (u[i] != '\n' && u[i] != '\r')); i++) {
    if (u[i] == '"')
      quoted = !quoted;
    else if (!quoted) {
      counts[0] += u[i] == ',';
      counts[1] += u[i] == ';';
      counts[2] += u[i] == '\t';
    }
  }
  c->delim = counts[1] > counts[0] && counts[1] >= counts[2] ? ';'
             : counts[2] > counts[0] ? '\t' : ',';
  const char *slash = strrchr(b->name, '/');
  b->sheets[0] = hicov_strdup(slash ? slash + 1 : b->name);
  if (!b->sheets[0])
    return HICOV_NOMEM;
  b->n_sheets = 1;
  return HICOV_OK;
}
