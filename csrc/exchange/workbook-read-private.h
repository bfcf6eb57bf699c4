/* workbook-read-private.h - the value reader's model, shared by its files:
 *
 *   workbook-read.c    a read: the sections' sheets, each sheet's setup,
 *                      the end (duplicates, the values, strict mode)
 *   workbook-layout.c  heading rows: what each column holds (long, wide)
 *   workbook-words.c   the words recognised in headings: measures by name,
 *                      label or alias, the columns of a long layout
 *   workbook-rows.c    data rows: units, value cells, ambiguous numbers
 *                      settled at the end of the sheet
 *   workbook-number.c  numbers and periods as people type them
 *   workbook-result.c  the HicovWorkbook handle: rejections, unmatched
 *                      units, notes, duplicates, the accepted values
 *
 * Not API. */
#ifndef HICOV_WORKBOOK_READ_PRIVATE_H
#define HICOV_WORKBOOK_READ_PRIVATE_H

#include <stdarg.h>

#include "hicov-private.h"
#include "workbook-private.h"

#define MAX_REJECTIONS 10000
#define MAX_NOTES 1000

/* ---- Numbers and periods (workbook-number.c) ---------------------------- */

/* What one cell says about its column's marks. */
typedef struct {
  long dot_group, dot_decimal, comma_group, comma_decimal;
} Evidence;

enum { NUM_OK = 0, NUM_MISSING, NUM_BAD, NUM_AMBIG_DOT, NUM_AMBIG_COMMA };

/* A decimal text "1234.5" (digits, at most one '.', optional leading '-'
 * and an exponent from stored numbers "1.5E+3") scaled by 10^shift, to
 * centi. 0 if exact to two decimals; 1 if it has more decimals; -1 if not
 * a number or too large. */
int wb_decimal_centi(const char *s, int shift, int64_t *out);
/* Reads a number typed as text into plain decimal text (out, "1234.5"),
 * *percent when it ends in '%': NUM_OK, NUM_MISSING (blank, "-"),
 * NUM_BAD, or NUM_AMBIG_* ("1.234" in mode WB_NUMBERS_AUTO). ev (may be
 * NULL) records what the marks showed. */
int wb_text_number(const char *in, int mode, char *out, size_t size,
                   int *percent, Evidence *ev);
/* A period typed as text ("Quý 3/2025", "Tháng 7/2025", "07/2025",
 * "31/12/2024"), after hicov's own forms; 0 or -1. */
int wb_text_period(const char *text, HicovPeriod *out);
/* A period from a cell: text, a year as a number, or a date; 0 or -1. */
int wb_cell_period(const WbCell *c, HicovPeriod *out);

/* ---- The result (workbook-result.c) ------------------------------------- */

typedef struct {
  size_t sheet;
  long row;
  int col;
  char *cell, *expected, *found, *message;
} Rejection;

typedef struct {
  char *key;        /* folded text */
  char *text, *cell, *candidates;
  long cells;
  int ambiguous;
} Unmatched;

/* A value read from a cell, until it is accepted or rejected. */
typedef struct {
  size_t sheet;
  long row;
  int col;
  long unit;        /* unit index */
  int measure;
  char *group;      /* NULL: all */
  HicovPeriod period;
  int64_t centi;
  int pending;      /* NUM_AMBIG_*: resolved at the end of the sheet */
  char *text;       /* the cell's text while pending */
  int whole;        /* the measure counts whole things */
  int dropped;      /* rejected after all */
} Cand;

struct HicovWorkbook {
  char errmsg[1024];
  const char *lang;  /* of its messages: the dataset's (hicov_text) */
  char *name;
  char *source;
  HicovWorkbookCounts counts;
  char **sheet_names;
  size_t n_sheet_names;
  Cand *cands;
  size_t n_cands, cap_cands;
  HicovValue *values;
  char **wheres;
  size_t n_values;
  Rejection *rej;
  size_t n_rej, cap_rej;
  long rej_more;
  Unmatched *um;
  size_t n_um, cap_um;
  char **notes;
  size_t n_notes, cap_notes;
  long notes_more;
  char **unit_codes; /* per candidate's unit, owned copies */
};

/* Adds a sentence to the notes (past MAX_NOTES only counted); fmt is in
 * wb->lang (T_(wb->lang, "...")), as every message of a read. */
int wb_note(HicovWorkbook *wb, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
/* Shortens a cell's text for a message: one line, at most 60 bytes
 * (whole UTF-8 characters), "..." when cut. */
void wb_shorten(const char *s, char *buf, size_t size);
/* Records a rejected cell of sheet (index, name) at row and col: counts
 * `values` rejected values (0 for a cell that is not a value, such as a
 * unit cell whose values are counted apart). The message is "<cell>: "
 * and fmt's text, or "<cell>: expected <expected>, found '<found>'" when
 * fmt gives "". */
int wb_vreject(HicovWorkbook *wb, size_t sheet, const char *sheet_name,
               long row, int col, const char *expected, const char *found,
               long values, const char *fmt, va_list ap)
  __attribute__((format(printf, 9, 0)));
/* The same key (unit, measure, group, period) twice: each later cell is
 * rejected, naming the first. */
int wb_reject_duplicates(HicovWorkbook *wb, HicovDataset *ds);
/* Rejections in sheet, row and column order. */
void wb_sort_rejections(HicovWorkbook *wb);
/* wb->values from the candidates not dropped. */
int wb_make_values(HicovWorkbook *wb, HicovDataset *ds);

/* ---- A sheet being read (workbook-layout.c, workbook-rows.c) ------------ */

enum { ROLE_NONE = 0, ROLE_UNIT, ROLE_PERIOD, ROLE_MEASURE, ROLE_VALUE,
       ROLE_GROUP, ROLE_WIDE };

typedef struct {
  int role;
  int measure;       /* wide: the column's measure, -1 from the row */
  HicovPeriod period;
  int has_period;
  char *group;
  Evidence ev;
  int noted;         /* numbers without a heading were noted */
} Column;

typedef struct {
  HicovWorkbook *wb;
  HicovDataset *ds;
  HicovUnitMatcher *matcher;
  const WbSection *sec;
  WbBook *book;
  size_t sheet;
  const char *sheet_name;
  int mode;
  int layout;
  long header_row, first_row, last_row;
  long measure_row, period_row, group_row;
  /* heading rows, kept as text per column until the columns are set */
  char **heads[4];   /* [0] header_row, [1] measure_row, [2] period_row,
                        [3] group_row */
  size_t nheads[4];
  int configured;
  int unit_col;
  Column *cols;
  size_t ncols;
  long missing_no_unit; /* rows with values and no unit */
  /* fixed for the sheet */
  int fixed_measure;
  HicovPeriod fixed_period;
  int has_fixed_period;
  char *fixed_group;
  HicovPeriod match_period; /* narrows names: the section's period */
  int status;
  long *skip_seen;
  char **skip_units;
  size_t n_skip;
  /* the unit cell of the current row, reported once */
  long last_unit_row;
} Job;

/* workbook-words.c */
/* A folded copy (hicov_text_fold) with a trailing "(...)" removed:
 * "Dân số (người)" is "dân số". Caller frees. */
char *wb_fold_heading(const char *s);
/* The measure a text names: its name in values.csv (any case), its
 * English or Vietnamese heading, or a common Vietnamese alias; -1. */
int wb_find_measure(const char *text);
/* 1 if a folded heading is a word that names a column of the role
 * (ROLE_UNIT, ROLE_PERIOD, ROLE_MEASURE, ROLE_VALUE, ROLE_GROUP): "mã
 * đơn vị", "kỳ báo cáo", "chỉ tiêu", "giá trị", "nhóm đối tượng". */
int wb_heading_names(const char *folded, int role);

/* workbook-layout.c */
/* The text a cell shows for messages and headings. */
const char *wb_cell_text(const WbCell *c, char *buf, size_t size);
/* Keeps a heading row's texts (which: 0 header row, 1 measure row, 2
 * period row, 3 group row). */
int wb_keep_heading(Job *j, int which, const WbCell *cells, size_t n);
/* The text of heading row `which` in column col, or NULL. */
const char *wb_heading(const Job *j, int which, int col);
/* 1 if col is in a list of column letters ("A, F"). */
int wb_listed_column(const char *list, int col);
/* Decides what each column holds, once the heading rows are read. */
int wb_configure(Job *j, int maxcol);

/* workbook-rows.c */
/* A group code as the dataset writes it: 1-8 letters, digits or '_'. */
int wb_group_ok(const char *g);
/* The WbRowFn of a sheet: heading rows kept, data rows read. */
int wb_on_row(void *ctx, long row, const WbCell *cells, size_t n);
/* Settles the sheet's ambiguous numbers (candidates from first_cand on)
 * with their columns' evidence. */
int wb_settle(Job *j, size_t first_cand);

#endif
