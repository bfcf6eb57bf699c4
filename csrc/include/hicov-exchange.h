/* hicov-exchange.h - spreadsheets in and out: reading XLSX, ODS and CSV
 * workbooks into a dataset's values, and writing tables as XLSX, ODS and
 * CSV.
 *
 * Part `exchange` (libxml2, libzip, libxlsxwriter), with the conventions of
 * hicov-core.h. XLSX and ODS are read with libzip and libxml2's streaming
 * reader in bounded memory (a row of cells at a time, plus the shared
 * strings of an XLSX file); hostile files are refused with a clear
 * message under the limits below. */
#ifndef HICOV_EXCHANGE_H
#define HICOV_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"
#include "hicov-data.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  HICOV_WORKBOOK_AUTO = 0, /* from the file's bytes (a zip: XLSX or ODS;
                              otherwise CSV) */
  HICOV_WORKBOOK_XLSX = 1,
  HICOV_WORKBOOK_ODS = 2,
  HICOV_WORKBOOK_CSV = 3
} HicovWorkbookFormat;

/* The format a file name asks for by its extension (.xlsx, .ods, .csv,
 * any case; read, .xlsm and .txt too), or HICOV_WORKBOOK_AUTO. */
HICOV_API int hicov_workbook_format_from_path(const char *path);
/* The same for a file to write: .xlsx, .ods or .csv only (an .xlsm would
 * promise macros, a .txt hide a CSV), else HICOV_WORKBOOK_AUTO. */
HICOV_API int hicov_workbook_write_format_from_path(const char *path);

/* ------------------------------------------------------------------------ */
/* Limits on what is read                                                    */

#define HICOV_WORKBOOK_MAX_BYTES ((size_t)256 << 20)   /* the file */
#define HICOV_WORKBOOK_MAX_ENTRIES 10000               /* zip entries */
/* One zip entry, uncompressed: a sheet of a million rows of ten numbers
 * is about 300 MB of XML. */
#define HICOV_WORKBOOK_MAX_ENTRY_BYTES ((size_t)1 << 30)
/* Uncompressed / compressed size of an entry past 1 MiB. Measured: a
 * 200,000-row sheet from openpyxl 10.6, the parts of LibreOffice's files
 * 7.6 to 8.3; deflate's own limit is about 1032. */
#define HICOV_WORKBOOK_MAX_RATIO 200
/* An XLSX shared-string table: strings and their bytes in all. */
#define HICOV_WORKBOOK_MAX_SHARED_STRINGS 1000000
#define HICOV_WORKBOOK_MAX_SHARED_BYTES ((size_t)64 << 20)
/* Excel's own sheet size. */
#define HICOV_WORKBOOK_MAX_ROWS 1048576
#define HICOV_WORKBOOK_MAX_COLUMNS 16384

/* ------------------------------------------------------------------------ */
/* Mappings: where the values are in a workbook                              */
/*
 * A mapping is a list of sheet sections, each a set of key = value
 * settings (the same keys on the command line as --key-with-dashes, in a
 * mapping file and in Python's keyword arguments):
 *
 *   sheet        the sheet's name, "#N" for the N-th sheet, or "*" for
 *                every sheet (a section's title in a file)
 *   layout       long | wide (default: long when the header row names
 *                unit, period, measure and value columns, else wide)
 *   header_row   the row of column headings (default 1)
 *   first_row, last_row   the data rows (default: after the header, to
 *                the end); rows whose unit cell is empty are skipped
 *   unit_column  the column of unit codes or names: a letter ("B") or a
 *                heading text ("Tên đơn vị"); default: found by heading
 *                (unit, code, mã, đơn vị, tên đơn vị, ...) or column A
 *   unit_by      auto | code | name
 *   level, parent, period    narrow name matching (hicov-data.h)
 *   long layout: period_column, measure_column, value_column,
 *                group_column (letters or headings; found by heading when
 *                not given)
 *   wide layout: each column after the unit column is a value whose
 *                measure, period and group come from the sheet (measure =,
 *                period =, group =) or from a heading row (measure_row,
 *                period_row, group_row; the header row by default for the
 *                one not fixed). In a row above the header row a heading
 *                carries right over empty cells (merged block headings:
 *                "Dân số" over three year columns).
 *   columns      explicit headings for columns: "C=2024, D=2025" or
 *                "C=participants"; other columns keep their cells' text
 *   ignore_columns  columns to leave out ("A, F")
 *   skip_units   unit cells that mark rows to skip ("Tổng cộng; Toàn tỉnh")
 *   numbers      auto | vi | en: how text numbers are read (below)
 *   group, measure, period   fixed for the sheet
 *
 * Measures are named as in values.csv ("participants") or by their
 * Vietnamese or English headings ("Số người tham gia BHYT", "Dân số",
 * "Population"); headings that name no measure are listed as ignored
 * columns, never dropped silently.
 *
 * Numbers: numeric cells as stored (a percentage format means percent:
 * 0.941 shown as 94.1% is 94.1); formulas by their saved result; text as
 * people type it: "1.234.567" and "1,234,567" (grouped thousands),
 * "94,1" and "94.1" (a decimal mark), "94,1%"; a blank or "-" is a
 * missing value (counted, not read). A single "." or "," followed by
 * exactly three digits ("1.234") is ambiguous: with numbers = auto it is
 * grouping when the other cells of its column use that mark for grouping
 * (or the other mark as decimal), a decimal mark when they use it as one,
 * and rejected as ambiguous otherwise; numbers = vi reads "." as grouping
 * and "," as decimal always, numbers = en the reverse. Measures hold at
 * most two decimals; counts and money may not be percentages.
 *
 * Periods: "2024", "Năm 2024", "2024-Q3", "Q3/2025", "Quý 3/2025",
 * "Quý III/2025", "2024-10", "10/2024", "Tháng 10/2024", "T10/2024",
 * "2025-01/2025-10", a number 2024, and dates (a cell with a date format,
 * or an ODS date): the month holding the date. */

typedef struct HicovWorkbookMapping HicovWorkbookMapping;

HICOV_API int hicov_workbook_mapping_new(HicovWorkbookMapping **out);
HICOV_API void hicov_workbook_mapping_free(HicovWorkbookMapping *m);
/* The language of the messages the functions below write: a tag as in
 * hicov-core.h's "Text" ("vi", "en"), or NULL (the default) for the
 * process's language. A read's own messages follow its dataset's
 * language (hicov_dataset_set_lang). */
HICOV_API int hicov_workbook_mapping_set_lang(HicovWorkbookMapping *m,
                                              const char *lang);
/* Starts a section for a sheet ("Dân số", "#2", "*"). */
HICOV_API int hicov_workbook_mapping_add_sheet(HicovWorkbookMapping *m,
                                               const char *sheet, char *err,
                                               size_t err_size);
/* Sets a key of the last section (a first section for the first sheet is
 * made when there is none). HICOV_INVALID with a message for an unknown
 * key or a bad value. */
HICOV_API int hicov_workbook_mapping_set(HicovWorkbookMapping *m,
                                         const char *key, const char *value,
                                         char *err, size_t err_size);
/* Reads a mapping file:
 *
 *   # comments start with '#', also after a value: "header_row = 3 # ..."
 *   [sheet "Dân số 2024"]        or [sheet #2], [sheet *]
 *   layout = wide
 *   header_row = 3
 *   unit_column = B
 *   measure = population         values after '=' may be quoted
 *
 * Keys before the first section apply to a section for the first sheet.
 * Messages say "mapping.ini line 4: ...". */
HICOV_API int hicov_workbook_mapping_parse(HicovWorkbookMapping *m,
                                           const char *name,
                                           const char *text, size_t len,
                                           char *err, size_t err_size);
HICOV_API int hicov_workbook_mapping_load(HicovWorkbookMapping *m,
                                          const char *path, char *err,
                                          size_t err_size);

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

typedef struct HicovWorkbook HicovWorkbook;

typedef struct {
  long values_read;     /* cells holding a value: accepted + rejected */
  long values_accepted;
  long values_rejected;
  long cells_missing;   /* blank or "-" where a value could be: not read */
  long rows_skipped;    /* rows without a unit, or named in skip_units */
  long sheets_read;
} HicovWorkbookCounts;

/* Reads a workbook against the units of ds (not changed: see
 * hicov_workbook_merge); its messages (errmsg, rejections, notes) are in
 * ds's language (hicov_dataset_set_lang). map may be NULL (the first
 * sheet, found by its headings). mode HICOV_LOAD_STRICT: any rejected cell makes the read
 * return HICOV_PARSE; HICOV_LOAD_LENIENT: rejected cells are listed and
 * the rest read. Either way every rejection is listed. *out is set
 * whenever a workbook handle could be made (also on failure, for its
 * message and lists); the caller frees it with hicov_workbook_free.
 * Returns HICOV_OK, HICOV_PARSE (a rejected cell in strict mode, or the
 * file is not a workbook: errmsg says which), HICOV_LIMIT (a limit above),
 * HICOV_IO, HICOV_INVALID (the mapping does not fit the workbook: no such
 * sheet, column or heading), HICOV_UNSUPPORTED, HICOV_NOMEM. */
HICOV_API int hicov_workbook_read_file(HicovDataset *ds, const char *path,
                                       const HicovWorkbookMapping *map,
                                       int mode, HicovWorkbook **out);
/* The same from memory; name is used in messages; format a
 * HicovWorkbookFormat (AUTO: from the bytes). */
HICOV_API int hicov_workbook_read_buffer(HicovDataset *ds, const char *name,
                                         const void *data, size_t len,
                                         int format,
                                         const HicovWorkbookMapping *map,
                                         int mode, HicovWorkbook **out);
HICOV_API void hicov_workbook_free(HicovWorkbook *wb);
/* The message of a failed read ("" if none); belongs to wb. */
HICOV_API const char *hicov_workbook_errmsg(const HicovWorkbook *wb);
HICOV_API void hicov_workbook_counts(const HicovWorkbook *wb,
                                     HicovWorkbookCounts *out);
/* The accepted values, in sheet and row order, ready for
 * hicov_dataset_merge_values (where is "Sheet1!C12"). Belong to wb. */
HICOV_API const HicovValue *hicov_workbook_values(const HicovWorkbook *wb,
                                                  size_t *n);

/* A rejected cell. Strings belong to wb. */
typedef struct {
  const char *sheet;
  long row;            /* 1-based */
  int column;          /* 0-based */
  const char *cell;    /* "Sheet1!C12" */
  const char *expected;/* "a number of people", "a unit code or name", ... */
  const char *found;   /* the cell's text */
  const char *message; /* "Sheet1!C12: expected ..., found '...'" */
} HicovWorkbookRejection;
HICOV_API size_t hicov_workbook_rejection_count(const HicovWorkbook *wb);
HICOV_API int hicov_workbook_rejection(const HicovWorkbook *wb, size_t i,
                                       HicovWorkbookRejection *out);
/* Unit cells that named no unit, or several; each text once, with the
 * first cell it was in. candidates: "20D11C1 Xã Bình Khê; 20X06 Xã Bình
 * Khê" for an ambiguous name, "" otherwise. */
typedef struct {
  const char *text;
  const char *cell;
  long cells;          /* how many cells had this text */
  int ambiguous;
  const char *candidates;
} HicovWorkbookUnmatched;
HICOV_API size_t hicov_workbook_unmatched_count(const HicovWorkbook *wb);
HICOV_API int hicov_workbook_unmatched(const HicovWorkbook *wb, size_t i,
                                       HicovWorkbookUnmatched *out);
/* What was left out, one sentence each ("Sheet1 column E 'Tỷ lệ bao phủ
 * (%)': not a measure, ignored"; "Sheet1 row 40 'Tổng cộng': skipped"). */
HICOV_API size_t hicov_workbook_note_count(const HicovWorkbook *wb);
HICOV_API const char *hicov_workbook_note(const HicovWorkbook *wb, size_t i);

/* Adds the accepted values to ds (hicov_dataset_merge_values, source
 * "workbook:<file name>" when source is NULL). */
HICOV_API int hicov_workbook_merge(const HicovWorkbook *wb, HicovDataset *ds,
                                   int policy, const char *source,
                                   HicovMergeStats *stats, char **conflicts);

/* ------------------------------------------------------------------------ */
/* Writing: sheets of text and numbers                                       */
/*
 * A sheet is a heading row and rows of cells; each column has a kind that
 * sets its number format. Files are written atomically (a temporary file
 * in the destination's folder, then a rename). XLSX (libxlsxwriter): bold
 * frozen headings, number formats "#,##0", "#,##0.0", "0.0%", column
 * widths from the text, a missing value's reason as a cell comment. ODS
 * (libzip + libxml2's writer): the same formats as ODF number styles, the
 * mimetype entry first and stored, a manifest, frozen headings in
 * settings.xml. CSV: UTF-8, no BOM, numbers in C notation (percentages as
 * percent, 94.1), missing values empty. */

typedef enum {
  HICOV_COLUMN_TEXT = 0,
  HICOV_COLUMN_NUMBER = 1,  /* grouped thousands, `decimals` digits */
  HICOV_COLUMN_PERCENT = 2  /* values in percent (94.1), shown 94.1% */
} HicovColumnKind;

typedef struct HicovSheet HicovSheet;

/* A sheet named title (at most 31 characters in XLSX: longer titles are
 * cut; []:*?/\ are replaced) with ncols columns. */
HICOV_API int hicov_sheet_new(const char *title, size_t ncols,
                              HicovSheet **out);
HICOV_API void hicov_sheet_free(HicovSheet *s);
HICOV_API int hicov_sheet_set_column(HicovSheet *s, size_t col,
                                     const char *heading, int kind,
                                     int decimals);
/* Rows and columns kept in view when scrolling (default 1, 0). */
HICOV_API void hicov_sheet_freeze(HicovSheet *s, size_t rows, size_t cols);
/* Appends an empty row; returns its index through *row. */
HICOV_API int hicov_sheet_add_row(HicovSheet *s, size_t *row);
HICOV_API int hicov_sheet_set_text(HicovSheet *s, size_t row, size_t col,
                                   const char *text);
/* NaN leaves the cell empty. */
HICOV_API int hicov_sheet_set_number(HicovSheet *s, size_t row, size_t col,
                                     double value);
/* A note on a cell (why a value is missing, that data are synthetic). */
HICOV_API int hicov_sheet_set_note(HicovSheet *s, size_t row, size_t col,
                                   const char *note);
HICOV_API size_t hicov_sheet_row_count(const HicovSheet *s);

/* The sheets of a table in lang ("vi" or "en"): the table (code, name,
 * one column per indicator, a note column when any unit is synthetic)
 * and an information sheet (period, level, parent, group, hicov's
 * version). Caller frees both with hicov_sheet_free. */
HICOV_API int hicov_sheet_from_table(const HicovTable *t, const char *lang,
                                     HicovSheet **table, HicovSheet **info);

/* Writes the sheets to path in format (AUTO: from path's extension; CSV
 * writes the first sheet only). On failure err gets a message. */
HICOV_API int hicov_sheets_save(HicovSheet *const *sheets, size_t n,
                                const char *path, int format, char *err,
                                size_t err_size);
/* Writes a table (hicov_sheet_from_table, then hicov_sheets_save): its
 * text in lang, the messages in the language of the table's dataset.
 * hicov_sheets_save writes its messages in the process's language. */
HICOV_API int hicov_table_save(const HicovTable *t, const char *path,
                               int format, const char *lang, char *err,
                               size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_EXCHANGE_H */
