/* workbook-private.h - the spreadsheet readers' common model: a workbook
 * is a list of sheets, each read as a stream of rows of cells, whatever
 * the container (XLSX, ODS, CSV). Shared by workbook-book.c,
 * workbook-zip.c, workbook-xlsx.c, workbook-ods.c, workbook-csv.c and the
 * value reader (workbook-read-private.h).
 * Not API. */
#ifndef HICOV_WORKBOOK_PRIVATE_H
#define HICOV_WORKBOOK_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlreader.h>

#include "hicov-exchange.h"

/* ---- Cells -------------------------------------------------------------- */

enum {
  WB_EMPTY = 0,
  WB_NUMBER,   /* text holds the number as stored ("0.941", "764769") */
  WB_TEXT,     /* a string cell: text as typed */
  WB_BOOL,
  WB_ERROR,    /* "#DIV/0!" in text */
  WB_DATE      /* a calendar date: y, m, d (and text as stored) */
};

enum { WB_FMT_GENERAL = 0, WB_FMT_PERCENT = 1, WB_FMT_DATE = 2 };

typedef struct {
  int col;          /* 0-based column */
  int type;         /* WB_* */
  int fmt;          /* WB_FMT_* of a number cell */
  int formula;      /* the cell holds a formula */
  int no_value;     /* a formula whose result was never saved */
  const char *text; /* see type; never NULL */
  int y, m, d;      /* WB_DATE */
} WbCell;

/* Called once per row that has cells, in row order; row is 1-based,
 * cells in column order. Returns 0 to go on, else stops the reading
 * (the reader returns that value). */
typedef int (*WbRowFn)(void *ctx, long row, const WbCell *cells, size_t n);

/* ---- Workbooks ---------------------------------------------------------- */

typedef struct WbBook WbBook;

typedef struct {
  int (*read_sheet)(WbBook *b, size_t sheet, WbRowFn fn, void *ctx);
  void (*close)(WbBook *b);
} WbOps;

#define WB_MAX_SHEETS 256

struct WbBook {
  const WbOps *ops;
  const char *name;          /* file name for messages */
  const char *lang;          /* of the messages (hicov_text): the dataset's */
  int format;                /* HICOV_WORKBOOK_XLSX/ODS/CSV */
  size_t n_sheets;
  char *sheets[WB_MAX_SHEETS];
  char err[512];             /* the failure's message */
  void *impl;
};

/* Opens a workbook held in memory (data stays the caller's and must
 * outlive the book). format 0 guesses from the bytes (a zip with
 * "mimetype" of ODS, a zip with xl/workbook.xml, else CSV). On failure
 * returns the status and writes the message, in lang, to err. */
int wb_open(const char *name, const char *lang, const void *data, size_t len,
            int format, WbBook **out, char *err, size_t err_size);
void wb_close(WbBook *b);
/* Streams sheet i's rows to fn. HICOV_OK, or the status of a failure with
 * its message in b->err, or fn's non-zero return. */
int wb_read_sheet(WbBook *b, size_t i, WbRowFn fn, void *ctx);

/* Per format (workbook-xlsx.c, workbook-ods.c, workbook-csv.c). */
int wb_open_xlsx(WbBook *b, const void *data, size_t len);
int wb_open_ods(WbBook *b, const void *data, size_t len);
int wb_open_csv(WbBook *b, const void *data, size_t len);

/* Sets b->err and returns rc; fmt is in b->lang (T_(b->lang, "...")). */
int wb_fail(WbBook *b, int rc, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* ---- Zip containers (workbook-zip.c) ------------------------------------ */

typedef struct WbZip WbZip;

/* Opens a zip archive in memory and checks every entry's name and sizes
 * against the limits of hicov-exchange.h (no absolute names, no "..", no
 * encryption, declared sizes and ratios). HICOV_PARSE/HICOV_LIMIT with a
 * message in b->err. */
int wb_zip_open(WbBook *b, const void *data, size_t len, WbZip **out);
void wb_zip_close(WbZip *z);
/* 1 if the archive has an entry of that name. */
int wb_zip_has(WbZip *z, const char *name);
/* Reads a whole (small) entry into memory, NUL-terminated; caller frees
 * with hicov_free. max bounds it. */
int wb_zip_read(WbBook *b, WbZip *z, const char *name, size_t max,
                char **data, size_t *len);
/* A streaming XML reader over an entry (refusing a DTD before the parser
 * sees it, no network, no entities). *out is freed with wb_xml_close,
 * which also says, through wb_xml_status, why a read stopped. */
typedef struct WbXml WbXml;
int wb_xml_open(WbBook *b, WbZip *z, const char *name, WbXml **out);
xmlTextReaderPtr wb_xml_reader(WbXml *x);
/* After xmlTextReaderRead returned -1 (or a node type hicov refuses),
 * the status and message for b->err: a zip bomb, a DTD, or the parser's
 * own error with its line. */
int wb_xml_fail(WbBook *b, WbXml *x, const char *what);
void wb_xml_close(WbXml *x);

/* ---- Mappings (workbook-mapping.c) -------------------------------------- */

enum { WB_LAYOUT_AUTO = 0, WB_LAYOUT_LONG = 1, WB_LAYOUT_WIDE = 2 };
enum { WB_NUMBERS_AUTO = 0, WB_NUMBERS_VI = 1, WB_NUMBERS_EN = 2 };

/* One sheet section: what hicov-exchange.h lists, unset as 0 or NULL. */
typedef struct {
  char *sheet;            /* name, "#N", "*"; NULL: the first sheet */
  int layout;             /* WB_LAYOUT_* */
  long header_row, first_row, last_row;
  long measure_row, period_row, group_row;
  char *unit_column, *period_column, *measure_column, *value_column,
       *group_column;
  int unit_by;            /* HicovMatchBy */
  int level;              /* -1 any */
  char *parent;
  char *period, *measure, *group; /* fixed for the sheet */
  char *columns, *ignore_columns, *skip_units;
  int numbers;            /* WB_NUMBERS_* */
} WbSection;

struct HicovWorkbookMapping {
  WbSection *s;
  size_t n, cap;
  const char *lang;       /* of its messages; NULL: the process's */
};

/* ---- Cell references and dates (workbook-book.c) ------------------------ */

/* "C12" of a 0-based column and 1-based row; buf >= 16 bytes. */
void wb_cell_ref(int col, long row, char *buf, size_t size);
/* "Sheet1!C12", with the sheet quoted as Excel does ('Dân số 2024'!C12). */
void wb_sheet_ref(const char *sheet, int col, long row, char *buf,
                  size_t size);
/* Column letters to a 0-based index ("A" 0, "AA" 26); -1 if not letters
 * or past XFD. */
int wb_column_index(const char *s);
/* Days since 1970-01-01 of a civil date (y, m, d), and back. */
long wb_days_from_civil(int y, int m, int d);
void wb_civil_from_days(long z, int *y, int *m, int *d);

#endif
