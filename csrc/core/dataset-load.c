/* dataset-load.c - units.csv and values.csv into a dataset: the header,
 * each row checked and either added or rejected with its file, line, column
 * and reason, the tree of units checked once the file is read, and a strict
 * load undone as a whole (dataset.c's mark and rollback).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv-private.h"
#include "dataset-private.h"

/* ------------------------------------------------------------------------ */
/* Loading CSV                                                               */

static const char *base_name(const char *path)
{
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Records a rejected row; in strict mode also sets the handle's error. */
static int reject(HicovDataset *ds, const char *file, long line, int column,
                  const char *field, const char *fmt, ...) HICOV_PRINTF(6, 7);

static int reject(HicovDataset *ds, const char *file, long line, int column,
                  const char *field, const char *fmt, ...)
{
  char what[320], msg[512];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(what, sizeof what, fmt, ap) >= (int)sizeof what)
    hicov_utf8_trim(what);
  va_end(ap);
  if (column > 0 && !(field && field[0]))
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "%s line %ld, column %d: %s"),
              file, line, column, what);
  else if (column > 0)
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "%s line %ld, column %d (%s): %s"),
              file, line, column, field, what);
  else if (field && field[0])
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "%s line %ld (%s, a column the "
              "file does not have): %s"), file, line, field, what);
  else
    hicov_fmt(msg, sizeof msg, T_(hicov_ds_lang(ds), "%s line %ld: %s"), file, line,
              what);
  ds->stats.rows_rejected++;
  hicov_fmt(ds->errmsg, sizeof ds->errmsg, "%s", msg);
  hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", file);
  hicov_fmt(ds->errfield, sizeof ds->errfield, "%s", field ? field : "");
  ds->errline = line;
  ds->errcol = column;
  if (hicov_grow((void **)&ds->rejects, &ds->cap_rejects, ds->n_rejects + 1,
                 sizeof *ds->rejects))
    return HICOV_NOMEM;
  HicovRejectRec *r = &ds->rejects[ds->n_rejects];
  r->file = hicov_strdup(file);
  r->field = hicov_strdup(field ? field : "");
  r->message = hicov_strdup(msg);
  r->reason = hicov_strdup(what);
  r->line = line;
  r->column = column;
  if (!r->file || !r->field || !r->message || !r->reason) {
    hicov_free(r->file);
    hicov_free(r->field);
    hicov_free(r->message);
    hicov_free(r->reason);
    return HICOV_NOMEM;
  }
  ds->n_rejects++;
  return HICOV_OK;
}

/* A copy of a field for messages: at most 40 bytes, cut on a UTF-8
 * boundary, with an ellipsis. */
static const char *quote_field(const char *s, char *buf, size_t size)
{
  size_t n = strlen(s);
  if (n + 1 <= size && n <= 40) {
    memcpy(buf, s, n + 1);
    return buf;
  }
  size_t k = 40 < size - 4 ? 40 : size - 4;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
    k--;
  memcpy(buf, s, k);
  memcpy(buf + k, "...", 4);
  return buf;
}

typedef struct {
  const char *name;
  int required;
  int index; /* column index in the file, -1 if absent */
} Column;

static int find_columns(HicovDataset *ds, HicovCsv *csv, const char *file,
                        Column *cols, size_t ncols)
{
  for (size_t c = 0; c < ncols; c++)
    cols[c].index = -1;
  for (size_t i = 0; i < csv->n_fields; i++) {
    const char *h = hicov_csv_field(csv, i);
    for (size_t c = 0; c < ncols; c++)
      if (!strcmp(h, cols[c].name)) {
        if (cols[c].index >= 0)
          return hicov_set_error(ds, HICOV_PARSE,
                                 T_(hicov_ds_lang(ds), "%s line 1: column '%s' appears "
                                    "twice"), file, h);
        cols[c].index = (int)i;
      }
  }
  for (size_t c = 0; c < ncols; c++)
    if (cols[c].required && cols[c].index < 0) {
      hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", file);
      hicov_fmt(ds->errfield, sizeof ds->errfield, "%s", cols[c].name);
      ds->errline = 1;
      ds->errcol = 0;
      return hicov_set_error(ds, HICOV_PARSE,
                             T_(hicov_ds_lang(ds), "%s line 1: missing column '%s' in "
                                "the header"), file, cols[c].name);
    }
  return HICOV_OK;
}

static const char *col(const HicovCsv *csv, const Column *c)
{
  return c->index >= 0 ? hicov_csv_field(csv, (size_t)c->index) : "";
}

/* Reads the header row and locates the columns. On failure the handle's
 * error names the file and csv is cleared. */
static int read_header(HicovDataset *ds, HicovCsv *csv, const char *file,
                       Column *cols, size_t ncols, const char *expected)
{
  int rc = hicov_csv_next(csv);
  if (rc <= 0) {
    if (rc == -2) {
      hicov_csv_clear(csv);
      return HICOV_NOMEM;
    }
    ds->errline = 1;
    hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", file);
    hicov_set_error(ds, HICOV_PARSE, T_(hicov_ds_lang(ds), "%s line 1: %s%s"), file,
                    rc == 0 ? T_(hicov_ds_lang(ds), "the file is empty: expected a "
                                 "header row ") : "",
                    rc == 0 ? expected : csv->err);
    hicov_csv_clear(csv);
    return HICOV_PARSE;
  }
  rc = find_columns(ds, csv, file, cols, ncols);
  if (rc)
    hicov_csv_clear(csv);
  else
    csv->width = csv->n_fields;
  return rc;
}

/* Next data row: 1 with a row to check, 0 at the end, or a status < 0
 * negated in *rc. Malformed quoting is rejected (and counted) here; blank
 * rows are skipped without counting. */
static int next_row(HicovDataset *ds, HicovCsv *csv, const char *file,
                    long *line, int *rc)
{
  for (;;) {
    int r = hicov_csv_next(csv);
    if (r == 0)
      return 0;
    if (r == -2) {
      *rc = HICOV_NOMEM;
      return 0;
    }
    *line = csv->rec_line;
    if (r == -1) {
      ds->stats.rows_read++;
      if ((*rc = reject(ds, file, *line, csv->err_col, "", "%s", csv->err)))
        return 0;
      continue;
    }
    if (csv->n_fields == 1 && !hicov_csv_field(csv, 0)[0])
      continue; /* a line of spaces: nothing to count */
    ds->stats.rows_read++;
    size_t extra = csv->width;
    while (extra < csv->n_fields && !hicov_csv_field(csv, extra)[0])
      extra++;
    if (csv->width && extra < csv->n_fields) {
      /* a field too many shifts the row: 764,769 unquoted would load as
         764 (fewer fields are empty trailing columns, and empty ones past
         the header a spreadsheet's trailing commas: both allowed) */
      if ((*rc = reject(ds, file, *line, (int)csv->width + 1, "",
                        T_(hicov_ds_lang(ds), "%zu fields where the header "
                           "has %zu: a value holding a comma needs "
                           "quotes (\"764,769\")"),
                        csv->n_fields, csv->width)))
        return 0;
      continue;
    }
    return 1;
  }
}

/* Parses a date "2025-07-01" (or "2025-07", the first of the month) into
 * a month index: the month containing it when `from` (the first month a
 * unit exists), the first month after it has ended otherwise (valid_to:
 * the first month the unit no longer exists).  *day (may be NULL) gets
 * the date as yyyymmdd. */
static int parse_unit_date(const char *s, int from, int *out, int *day)
{
  int y, m, d = 1;
  char tail;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
      sscanf(s, "%4d-%2d%c", &y, &m, &tail) == 2) {
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                   30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
      return 0; /* 2025-02-30 is no date */
    *out = y * 12 + m - 1 + (!from && d > 1 ? 1 : 0);
    if (day)
      *day = y * 10000 + m * 100 + d;
    return 1;
  }
  return 0;
}

/* Ends a load: a strict load with any rejection fails as a whole. */
static int finish_load(HicovDataset *ds, const HicovDatasetMark *m, int mode, int rc,
                       long first_reject_line)
{
  if (rc == HICOV_OK && mode == HICOV_LOAD_STRICT &&
      ds->n_rejects > m->n_rejects)
    rc = HICOV_PARSE;
  if (rc != HICOV_OK && mode == HICOV_LOAD_STRICT) {
    /* keep the first rejection's message and location */
    if (ds->n_rejects > m->n_rejects) {
      const HicovRejectRec *r = &ds->rejects[m->n_rejects];
      hicov_fmt(ds->errmsg, sizeof ds->errmsg, "%s", r->message);
      hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", r->file);
      hicov_fmt(ds->errfield, sizeof ds->errfield, "%s", r->field);
      ds->errline = r->line;
      ds->errcol = r->column;
    }
    hicov_dataset_rollback(ds, m);
  }
  (void)first_reject_line;
  return rc;
}

/* The columns of units.csv, as cols[] in hicov_dataset_load_units_buffer
 * lists them. */
enum { C_CODE, C_NAME, C_PARENT, C_LEVEL, C_TIER, C_VALID, C_SUCC, C_SYN,
       C_FROM };

/* Checks one row of units.csv and adds its unit.  A row that fails a check
 * is rejected (counted, with its reason) and *added stays 0; returns
 * non-zero only for an error that ends the load. */
static int read_unit_row(HicovDataset *ds, const HicovCsv *csv,
                         const char *file, long line, const Column *cols,
                         int *added)
{
  char q[64];
  HicovUnit u;
  memset(&u, 0, sizeof u);
  u.code = col(csv, &cols[C_CODE]);
  u.name = col(csv, &cols[C_NAME]);
  u.parent = col(csv, &cols[C_PARENT]);
  u.successor = col(csv, &cols[C_SUCC]);
  const char *level = col(csv, &cols[C_LEVEL]);
  const char *tier = col(csv, &cols[C_TIER]);
  const char *valid = col(csv, &cols[C_VALID]);
  const char *syn = col(csv, &cols[C_SYN]);
  const char *from = col(csv, &cols[C_FROM]);
  int to_day = 0, from_day = 0;
#define REJECT(c, ...) \
    return reject(ds, file, line, cols[c].index + 1, cols[c].name, __VA_ARGS__)
  if (!u.code[0])
    REJECT(C_CODE, T_(hicov_ds_lang(ds), "expected a unit code, found an empty "
                      "field"));
  if (strlen(u.code) >= 64)
    REJECT(C_CODE, T_(hicov_ds_lang(ds), "expected a code of at most 63 bytes, "
                      "found '%s'"),
           quote_field(u.code, q, sizeof q));
  if (!u.name[0])
    REJECT(C_NAME, T_(hicov_ds_lang(ds), "expected the unit's name, found an empty "
                      "field"));
  if ((u.level = hicov_level_parse(level)) < 0)
    REJECT(C_LEVEL, T_(hicov_ds_lang(ds), "expected country, province, district, "
                       "commune or facility, found '%s'"),
           quote_field(level, q, sizeof q));
  if (u.level == HICOV_LEVEL_FACILITY) {
    if ((u.tier = hicov_tier_parse(tier)) < 0)
      REJECT(C_TIER, T_(hicov_ds_lang(ds), "expected the facility's tier (commune, "
                        "district, province or central), found '%s'"),
             quote_field(tier, q, sizeof q));
  } else if (tier[0]) {
    REJECT(C_TIER, T_(hicov_ds_lang(ds), "expected an empty tier for a %s, found "
                      "'%s'"),
           hicov_level_word(u.level, hicov_ds_lang(ds)),
           quote_field(tier, q, sizeof q));
  }
  if (valid[0] && !parse_unit_date(valid, 0, &u.valid_to, &to_day))
    REJECT(C_VALID, T_(hicov_ds_lang(ds), "expected a date such as 2025-07-01, "
                       "found '%s'"),
           quote_field(valid, q, sizeof q));
  if (from[0] && !parse_unit_date(from, 1, &u.valid_from, &from_day))
    REJECT(C_FROM, T_(hicov_ds_lang(ds), "expected a date such as 2025-07-01, "
                      "found '%s'"),
           quote_field(from, q, sizeof q));
  if (from_day && to_day && to_day <= from_day)
    REJECT(C_VALID, T_(hicov_ds_lang(ds), "valid_to must come after valid_from"));
  if (u.successor[0] && !valid[0])
    REJECT(C_SUCC, T_(hicov_ds_lang(ds), "a successor needs a valid_to date"));
  if (syn[0] && strcmp(syn, "0") && strcmp(syn, "1"))
    REJECT(C_SYN, T_(hicov_ds_lang(ds), "expected 0 or 1, found '%s'"),
           quote_field(syn, q, sizeof q));
  u.synthetic = syn[0] == '1';
  if (!strcmp(u.parent, u.code))
    REJECT(C_PARENT, T_(hicov_ds_lang(ds), "a unit cannot be its own parent"));
  long twice = hicov_unit_index(ds, u.code);
  if (twice >= 0) {
    /* the first one's name, to find it by (it may be in another file) */
    char q2[128];
    REJECT(C_CODE, T_(hicov_ds_lang(ds), "unit '%s' is defined twice (the "
                      "first time as '%s')"),
           quote_field(u.code, q, sizeof q),
           quote_field(ds->units[twice].name, q2, sizeof q2));
  }
  int ar = hicov_dataset_add_unit(ds, &u);
  if (ar == HICOV_NOMEM || ar == HICOV_LIMIT)
    return ar;
  if (ar)
    REJECT(C_CODE, "%s", ds->errmsg);
#undef REJECT
  ds->units[ds->n_units - 1].to_date = to_day;
  ds->units[ds->n_units - 1].from_date = from_day;
  *added = 1;
  return HICOV_OK;
}

/* 1 when following successor codes from unit i leads back to i (A merged
 * into B and B into A): such a history has no unit at its end. The path
 * goes to buf ("A → B → A"). */
static int successor_loops(const HicovDataset *ds, size_t i, char *buf,
                           size_t size)
{
  size_t len = 0;
  long s = (long)i;
  buf[0] = '\0';
  for (size_t steps = 0; steps <= ds->n_units; steps++) {
    const HicovUnitRec *u = &ds->units[s];
    int w = snprintf(buf + len, size - len, "%s%s", steps ? " \u2192 " : "",
                     u->code);
    if (w > 0 && (size_t)w < size - len)
      len += (size_t)w;
    if (!u->successor_code)
      return 0;
    s = hicov_unit_index(ds, u->successor_code);
    if (s < 0)
      return 0;
    if ((size_t)s == i) {
      snprintf(buf + len, size - len, " \u2192 %s", ds->units[i].code);
      return 1;
    }
  }
  return 0; /* a loop that does not pass through i: found from its units */
}

/* Does unit u exist on day (yyyymmdd)? */
static int exists_on(const HicovUnitRec *u, int day)
{
  return (!u->from_date || u->from_date <= day) &&
         (!u->to_date || day < u->to_date);
}

/* Why successor s cannot take unit u on the day u ends, or NULL. */
static const char *successor_date_problem(const HicovDataset *ds,
                                          const HicovUnitRec *u,
                                          const HicovUnitRec *s, char *msg,
                                          size_t size)
{
  if (!u->to_date || exists_on(s, u->to_date))
    return NULL;
  char day[16], when[16];
  hicov_date_text(u->to_date, 0, day, sizeof day);
  if (s->from_date && s->from_date > u->to_date) {
    hicov_date_text(s->from_date, 0, when, sizeof when);
    hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the successor '%s' does not exist on "
              "%s: it begins on %s"), s->code, day, when);
  } else {
    hicov_date_text(s->to_date, 0, when, sizeof when);
    hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the successor '%s' does not exist on "
              "%s: it ended on %s"), s->code, day, when);
  }
  return msg;
}

/* Why unit u's validity does not lie within its parent p's, or NULL; the
 * column is valid_from's or valid_to's.  A facility outlives an abolished
 * district (it is re-attached), so facilities are not held to it. */
static const char *validity_problem(const HicovDataset *ds,
                                    const HicovUnitRec *u,
                                    const HicovUnitRec *p, char *msg,
                                    size_t size, int *to_column)
{
  char day[16], pday[16];
  if (u->level == HICOV_LEVEL_FACILITY)
    return NULL;
  *to_column = 0;
  if (p->from_date && (!u->from_date || u->from_date < p->from_date)) {
    hicov_date_text(p->from_date, 0, pday, sizeof pday);
    if (u->from_date) {
      hicov_date_text(u->from_date, 0, day, sizeof day);
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the unit begins on %s, before its "
                "parent '%s' (from %s): the validity of a unit lies within "
                "its parent's"), day, p->code, pday);
    } else {
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the unit has no valid_from but its "
                "parent '%s' begins on %s: the validity of a unit lies "
                "within its parent's"), p->code, pday);
    }
    return msg;
  }
  if (p->to_date && (!u->to_date || u->to_date > p->to_date)) {
    *to_column = 1;
    hicov_date_text(p->to_date, 0, pday, sizeof pday);
    if (u->to_date) {
      hicov_date_text(u->to_date, 0, day, sizeof day);
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the unit ends on %s, after its "
                "parent '%s' (until %s): the validity of a unit lies within "
                "its parent's"), day, p->code, pday);
    } else {
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the unit has no valid_to but its "
                "parent '%s' ends on %s: the validity of a unit lies within "
                "its parent's (give it valid_to and a successor, or a "
                "parent that goes on)"), p->code, pday);
    }
    return msg;
  }
  return NULL;
}

/* Why unit i, just read, cannot stay: its parent or successor is not a
 * unit of the file or not of a fitting level, the successor does not
 * exist on the day the unit ends, or the unit's validity overlaps the end
 * of its parent's.  NULL when it can stay; otherwise the message, in msg,
 * with the field and column it is about. */
static const char *unit_link_problem(const HicovDataset *ds, size_t i,
                                     const Column *cols, char *msg,
                                     size_t size, const char **field,
                                     int *column)
{
  const HicovUnitRec *u = &ds->units[i];
  const char *why = NULL;
  char q[64], path[120];
  *field = "parent";
  *column = cols[C_PARENT].index + 1;
  if (u->parent_code) {
    long p = hicov_unit_index(ds, u->parent_code);
    if (p < 0) {
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "expected the code of a unit in the "
                "file, found '%s'"), quote_field(u->parent_code, q, sizeof q));
      why = msg;
    } else if (ds->units[p].level >= u->level) {
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "a %s cannot be inside a %s ('%s')"),
                hicov_level_word(u->level, hicov_ds_lang(ds)),
                hicov_level_word(ds->units[p].level, hicov_ds_lang(ds)),
                u->parent_code);
      why = msg;
    }
  } else if (u->level != HICOV_LEVEL_COUNTRY && u->level != HICOV_LEVEL_PROVINCE) {
    hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "expected the parent of a %s, found an "
                            "empty field"),
              hicov_level_word(u->level, hicov_ds_lang(ds)));
    why = msg;
  }
  long s = !why && u->successor_code ? hicov_unit_index(ds, u->successor_code)
                                     : -1;
  if (!why && u->successor_code) {
    if (s < 0)
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "expected the code of a unit in the "
                "file, found '%s'"),
                quote_field(u->successor_code, q, sizeof q));
    else if ((size_t)s == i)
      hicov_fmt(msg, size, "%s",
                T_(hicov_ds_lang(ds), "a unit cannot be merged into itself"));
    else if (successor_loops(ds, i, path, sizeof path)) {
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "the successors lead back to the "
                "unit (%s): a merger cannot go round in a circle"), path);
      s = (long)i; /* rejected below */
    }
    else if (ds->units[s].level != u->level)
      /* a district merged into one of its own communes made the totals
         walk 2^24 paths (a fuzzer found it): units merge into units of
         their own level */
      hicov_fmt(msg, size, T_(hicov_ds_lang(ds), "a %s can only be merged into a %s, "
                "found the %s '%s'"),
                hicov_level_word(u->level, hicov_ds_lang(ds)),
                hicov_level_word(u->level, hicov_ds_lang(ds)),
                hicov_level_word(ds->units[s].level, hicov_ds_lang(ds)),
                quote_field(u->successor_code, q, sizeof q));
    if (s < 0 || (size_t)s == i || ds->units[s].level != u->level ||
        successor_date_problem(ds, u, &ds->units[s], msg, size)) {
      why = msg;
      *field = "successor";
      *column = cols[C_SUCC].index + 1;
    }
  }
  long p = !why && u->parent_code ? hicov_unit_index(ds, u->parent_code) : -1;
  int to_column;
  if (p >= 0 &&
      validity_problem(ds, u, &ds->units[p], msg, size, &to_column)) {
    why = msg;
    *field = to_column ? "valid_to" : "valid_from";
    *column = cols[to_column ? C_VALID : C_FROM].index + 1;
  }
  return why;
}

/* Drops the units marked in bad (indexed from first_new), and their lines,
 * and rebuilds the hash of codes. */
static int drop_units(HicovDataset *ds, size_t first_new, char *bad,
                      long *lines)
{
  size_t w = first_new;
  for (size_t i = first_new; i < ds->n_units; i++) {
    if (bad[i - first_new]) {
      hicov_unit_clear(&ds->units[i]);
      continue;
    }
    ds->units[w] = ds->units[i];
    lines[w - first_new] = lines[i - first_new];
    w++;
  }
  memset(bad, 0, ds->n_units - first_new);
  ds->n_units = w;
  if (hicov_unit_hash_rebuild(ds, ds->n_units))
    return HICOV_NOMEM;
  return HICOV_OK;
}

/* Parents and successors must exist, levels must descend. Rejected
 * units are removed, then the remaining ones checked again (a unit whose
 * parent was rejected is rejected too). */
static int check_unit_tree(HicovDataset *ds, const char *file,
                           size_t first_new, long *lines, const Column *cols)
{
  int rc = HICOV_OK;
  char *bad = NULL;
  if (ds->n_units > first_new && !(bad = hicov_calloc(ds->n_units - first_new, 1)))
    rc = HICOV_NOMEM;
  for (int pass = 0; rc == HICOV_OK && pass < 64; pass++) {
    /* first find the rows to reject, with the hash still valid ... */
    size_t removed = 0;
    for (size_t i = first_new; i < ds->n_units && rc == HICOV_OK; i++) {
      const char *field;
      int column;
      char msg[200];
      const char *why = unit_link_problem(ds, i, cols, msg, sizeof msg,
                                          &field, &column);
      if (why) {
        ds->stats.rows_accepted--;
        rc = reject(ds, file, lines[i - first_new], column, field, "%s", why);
        bad[i - first_new] = 1;
        removed++;
      }
    }
    if (!removed || rc)
      break;
    /* ... then drop them and rebuild the hash */
    rc = drop_units(ds, first_new, bad, lines);
  }
  hicov_free(bad);
  return rc;
}

int hicov_dataset_load_units_buffer(HicovDataset *ds, const char *name,
                                    const char *data, size_t len, int mode)
{
  if (!ds || !data)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  const char *file = name ? base_name(name) : "units.csv";
  HicovDatasetMark lm;
  hicov_dataset_mark(ds, &lm);
  HicovCsv csv;
  hicov_csv_init(&csv, data, len);
  csv.lang = hicov_ds_lang(ds);
  Column cols[] = {
    { "code", 1, -1 }, { "name", 1, -1 }, { "parent", 1, -1 },
    { "level", 1, -1 }, { "tier", 0, -1 }, { "valid_to", 0, -1 },
    { "successor", 0, -1 }, { "synthetic", 0, -1 }, { "valid_from", 0, -1 },
  };
  int rc = read_header(ds, &csv, file, cols, sizeof cols / sizeof cols[0],
                       "code,name,parent,level");
  if (rc)
    return rc;
  size_t first_new = ds->n_units;
  /* unit lines, to report a bad parent on the right line */
  long *lines = NULL;
  size_t lines_cap = 0;
  long line = 0;
  while (next_row(ds, &csv, file, &line, &rc)) {
    int added = 0;
    if ((rc = read_unit_row(ds, &csv, file, line, cols, &added)))
      break;
    if (!added)
      continue;
    if (hicov_grow((void **)&lines, &lines_cap, ds->n_units - first_new, sizeof *lines)) {
      rc = HICOV_NOMEM;
      break;
    }
    lines[ds->n_units - 1 - first_new] = line;
    ds->stats.rows_accepted++;
  }
  if (rc == HICOV_OK)
    rc = check_unit_tree(ds, file, first_new, lines, cols);
  hicov_free(lines);
  hicov_csv_clear(&csv);
  ds->tree_built = 0;
  hicov_dataset_changed(ds);
  return finish_load(ds, &lm, mode, rc, 0);
}

int hicov_dataset_load_values_buffer(HicovDataset *ds, const char *name,
                                     const char *data, size_t len, int mode)
{
  if (!ds || !data)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  const char *file = name ? base_name(name) : "values.csv";
  HicovDatasetMark lm;
  hicov_dataset_mark(ds, &lm);
  HicovCsv csv;
  hicov_csv_init(&csv, data, len);
  csv.lang = hicov_ds_lang(ds);
  Column cols[] = {
    { "unit", 1, -1 }, { "period", 1, -1 }, { "measure", 1, -1 },
    { "value", 1, -1 }, { "group", 0, -1 }, { "source", 0, -1 },
  };
  enum { C_UNIT, C_PERIOD, C_MEASURE, C_VALUE, C_GROUP, C_SOURCE };
  int rc = read_header(ds, &csv, file, cols, sizeof cols / sizeof cols[0],
                       "unit,period,measure,value");
  if (rc)
    return rc;
  /* Reserve room for one observation per line up front: growing a large
   * array (and its hash) by doubling costs copies and page faults. */
  size_t lines_in = 0;
  for (const char *c = data; (c = memchr(c, '\n', (size_t)(data + len - c))); c++)
    lines_in++;
  if (hicov_grow((void **)&ds->obs, &ds->cap_obs, ds->n_obs + lines_in + 1,
                 sizeof *ds->obs) ||
      ((ds->n_obs + lines_in + 1) * 2 > ds->obs_hash_cap &&
       hicov_obs_hash_rebuild(ds, ds->n_obs + lines_in + 1))) {
    hicov_csv_clear(&csv);
    return finish_load(ds, &lm, mode, HICOV_NOMEM, 0);
  }
  char q[64];
  long prev_unit = -1;
  char prev_period_text[24] = "";
  HicovPeriod prev_period = { 0, 0, 0 };
  int prev_period_ok = 0;
  long line = 0;
  while (next_row(ds, &csv, file, &line, &rc)) {
#define REJECT(c, ...) do { \
      rc = reject(ds, file, line, cols[c].index + 1, cols[c].name, __VA_ARGS__); \
      if (rc) \
        goto out; \
      goto next_value; \
    } while (0)
    const char *unit = col(&csv, &cols[C_UNIT]);
    const char *period = col(&csv, &cols[C_PERIOD]);
    const char *measure = col(&csv, &cols[C_MEASURE]);
    const char *value = col(&csv, &cols[C_VALUE]);
    const char *group = col(&csv, &cols[C_GROUP]);
    const char *source = col(&csv, &cols[C_SOURCE]);
    if (csv.n_fields < 4)
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "expected at least 4 fields, found %zu"),
             csv.n_fields);
    /* rows come grouped by unit and period: reuse the last lookups */
    long u;
    if (prev_unit >= 0 && !strcmp(unit, ds->units[prev_unit].code))
      u = prev_unit;
    else
      u = prev_unit = hicov_unit_index(ds, unit);
    if (u < 0)
      REJECT(C_UNIT, T_(hicov_ds_lang(ds), "expected a unit code from units.csv, "
                        "found '%s'"),
             quote_field(unit, q, sizeof q));
    HicovPeriod p;
    if (prev_period_ok && !strcmp(period, prev_period_text))
      p = prev_period;
    else if (hicov_period_parse(period, &p))
      REJECT(C_PERIOD, T_(hicov_ds_lang(ds), "expected a period such as 2024, "
                          "2024-Q3, 2024-10 or 2025-01/2025-10, found '%s'"),
             quote_field(period, q, sizeof q));
    if (strlen(period) < sizeof prev_period_text) {
      memcpy(prev_period_text, period, strlen(period) + 1);
      prev_period = p;
      prev_period_ok = 1;
    }
    int m = hicov_measure_find(measure);
    if (m < 0)
      REJECT(C_MEASURE, T_(hicov_ds_lang(ds), "expected a measure (population, "
             "participants, visits, inpatient_visits, inpatient_days, "
             "total_cost, fund_paid, copay, fund_revenue, card_checkins, "
             "card_checkins_ok, patients, patients_500m, patients_1b), "
             "found '%s'"),
             quote_field(measure, q, sizeof q));
    int64_t centi;
    if (!value[0])
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "expected a number, found an empty "
                         "field"));
    int too_large;
    int parsed = hicov_parse_centi_checked(value, &centi, &too_large);
    if (too_large && value[strspn(value, " ")] != '-')
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "number too large: at most %s, found "
                         "'%s'"),
             HICOV_CENTI_MAX_TEXT, quote_field(value, q, sizeof q));
    if (too_large) /* below zero, however far */
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "expected a number of zero or more, found "
                         "'%s'"),
             quote_field(value, q, sizeof q));
    if (!parsed)
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "expected a number (digits, '.' for "
             "decimals, at most 2 decimals, no thousands separators), found "
             "'%s'"),
             quote_field(value, q, sizeof q));
    if (centi < 0)
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "expected a number of zero or more, found "
                         "'%s'"),
             quote_field(value, q, sizeof q));
    if (group[0]) {
      size_t gl = strlen(group);
      int ok = gl >= 1 && gl <= 8;
      for (size_t k = 0; ok && k < gl; k++)
        ok = isalnum((unsigned char)group[k]) || group[k] == '_';
      if (!ok)
        REJECT(C_GROUP, T_(hicov_ds_lang(ds), "expected a beneficiary-group code such "
                           "as DN or HN, found '%s'"),
               quote_field(group, q, sizeof q));
    }
    long dup = 0;
    int ar = hicov_add_obs(ds, (size_t)u, m, group, p, centi, source,
                     (uint32_t)(line > 0 && line < (long)UINT32_MAX ? line : 0), &dup);
    if (ar == HICOV_INVALID)
      REJECT(C_VALUE, T_(hicov_ds_lang(ds), "a value for the same unit, period, "
             "measure and group is already given on line %ld"), dup);
    if (ar == HICOV_LIMIT)
      REJECT(C_GROUP, T_(hicov_ds_lang(ds), "too many distinct groups"));
    if (ar) {
      rc = ar;
      break;
    }
    ds->stats.rows_accepted++;
  next_value:;
#undef REJECT
  }
out:
  hicov_csv_clear(&csv);
  return finish_load(ds, &lm, mode, rc, 0);
}

/* ------------------------------------------------------------------------ */
/* crosswalk.csv: units divided between several successors                  */

enum { W_OLD, W_NEW, W_SHARE, W_DATE, W_BASIS };

/* A share "0.25" or "1" in millionths: digits, at most one '.', at most 6
 * decimals, more than 0 and at most 1. */
static int parse_share(const char *s, int64_t *ppm)
{
  int64_t whole = 0, frac = 0;
  int decimals = 0, digits = 0;
  const char *p = s;
  for (; *p >= '0' && *p <= '9'; p++, digits++)
    if ((whole = whole * 10 + (*p - '0')) > 1)
      return 0;
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
      if (++decimals > 6)
        return 0;
      frac = frac * 10 + (*p - '0');
    }
  }
  if (*p || !digits)
    return 0;
  for (; decimals < 6; decimals++)
    frac *= 10;
  int64_t v = whole * 1000000 + frac;
  if (v <= 0 || v > 1000000)
    return 0;
  *ppm = v;
  return 1;
}

/* Checks one row of crosswalk.csv and adds its split.  A row that fails a
 * check is rejected (counted, with its reason); returns non-zero only for
 * an error that ends the load. */
static int read_split_row(HicovDataset *ds, const HicovCsv *csv,
                          const char *file, long line, const Column *cols)
{
  char q[64], day[16], msg[200];
  const char *old = col(csv, &cols[W_OLD]), *nu = col(csv, &cols[W_NEW]);
  const char *share = col(csv, &cols[W_SHARE]), *date = col(csv, &cols[W_DATE]);
  const char *basis = col(csv, &cols[W_BASIS]);
  HicovSplitRec r;
  memset(&r, 0, sizeof r);
#define REJECT(c, ...) \
    return reject(ds, file, line, cols[c].index + 1, cols[c].name, __VA_ARGS__)
  long o = hicov_unit_index(ds, old), n = hicov_unit_index(ds, nu);
  if (o < 0)
    REJECT(W_OLD, T_(hicov_ds_lang(ds), "expected a unit code from units.csv, found "
                     "'%s'"), quote_field(old, q, sizeof q));
  if (n < 0)
    REJECT(W_NEW, T_(hicov_ds_lang(ds), "expected a unit code from units.csv, found "
                     "'%s'"), quote_field(nu, q, sizeof q));
  const HicovUnitRec *ou = &ds->units[o], *nw = &ds->units[n];
  if (o == n)
    REJECT(W_NEW, "%s", T_(hicov_ds_lang(ds), "a unit cannot be split into itself"));
  if (nw->level != ou->level)
    REJECT(W_NEW, T_(hicov_ds_lang(ds), "a %s can only be split into units of its "
                     "level, found the %s '%s'"),
           hicov_level_word(ou->level, hicov_ds_lang(ds)),
           hicov_level_word(nw->level, hicov_ds_lang(ds)), nw->code);
  if (!parse_share(share, &r.share_ppm))
    REJECT(W_SHARE, T_(hicov_ds_lang(ds), "expected a share above 0 and at most 1 "
                       "with at most 6 decimals, such as 0.25, found '%s'"),
           quote_field(share, q, sizeof q));
  if (!parse_unit_date(date, 0, &r.month, &r.date))
    REJECT(W_DATE, T_(hicov_ds_lang(ds), "expected a date such as 2025-07-01, found "
                      "'%s'"), quote_field(date, q, sizeof q));
  r.basis = HICOV_SPLIT_POPULATION;
  if (basis[0]) {
    r.basis = -1;
    for (int b = 0; b < 4; b++)
      if (!strcmp(basis, hicov_split_basis_name(b)))
        r.basis = b;
    if (r.basis < 0)
      REJECT(W_BASIS, T_(hicov_ds_lang(ds), "expected population, participants, area "
                         "or households, found '%s'"),
             quote_field(basis, q, sizeof q));
  }
  if (ou->successor_code)
    REJECT(W_OLD, T_(hicov_ds_lang(ds), "'%s' has a successor in units.csv ('%s'): a "
                     "unit is either merged into one unit or split here"),
           ou->code, ou->successor_code);
  hicov_date_text(r.date, 0, day, sizeof day);
  if (!ou->to_date)
    REJECT(W_DATE, T_(hicov_ds_lang(ds), "'%s' is still valid after its split on %s, "
                      "which would overlap its successors: give it valid_to "
                      "%s in units.csv"), ou->code, day, day);
  if (ou->to_date != r.date) {
    char end[16];
    hicov_date_text(ou->to_date, 0, end, sizeof end);
    REJECT(W_DATE, T_(hicov_ds_lang(ds), "'%s' ends on %s in units.csv, not on the day "
                      "of its split, %s: its validity would overlap or miss "
                      "its successors'"), ou->code, end, day);
  }
  if (successor_date_problem(ds, ou, nw, msg, sizeof msg))
    REJECT(W_NEW, "%s", msg);
  /* A split cannot lead back to the unit: old ends on the day, new
   * exists on it, and a successor or split of new (or of its successors)
   * that reached old again would have to end after old has ended. */
  for (size_t k = 0; k < ds->n_splits; k++)
    if (ds->splits[k].old_unit == (size_t)o &&
        ds->splits[k].new_unit == (size_t)n)
      REJECT(W_NEW, T_(hicov_ds_lang(ds), "a share of '%s' for '%s' is already given "
                       "on line %ld"), ou->code, nw->code, ds->splits[k].line);
#undef REJECT
  r.old_unit = (size_t)o;
  r.new_unit = (size_t)n;
  r.line = line;
  if (hicov_grow((void **)&ds->splits, &ds->cap_splits, ds->n_splits + 1,
                 sizeof *ds->splits))
    return HICOV_NOMEM;
  ds->splits[ds->n_splits++] = r;
  hicov_dataset_changed(ds);
  ds->stats.rows_accepted++;
  return HICOV_OK;
}

/* The splits of one unit, read from `first` on: one date, and shares that
 * add up to 1.  Every row of a unit that fails is rejected and dropped. */
static int check_split_totals(HicovDataset *ds, const char *file,
                              size_t first, const Column *cols)
{
  int rc = HICOV_OK;
  size_t i = first;
  while (i < ds->n_splits && rc == HICOV_OK) {
    size_t old = ds->splits[i].old_unit;
    int seen = 0, date_bad = 0;
    int64_t sum = 0;
    char lines[64] = "";
    for (size_t k = first; k < ds->n_splits; k++) {
      if (ds->splits[k].old_unit != old)
        continue;
      if (k < i)
        seen = 1; /* checked with its first row */
      sum += ds->splits[k].share_ppm;
      date_bad |= ds->splits[k].date != ds->splits[i].date;
      size_t l = strlen(lines);
      hicov_fmt(lines + l, sizeof lines - l, "%s%ld", l ? ", " : "",
                ds->splits[k].line);
    }
    if (seen || (sum == 1000000 && !date_bad)) {
      i++;
      continue;
    }
    char total[32];
    hicov_fmt(total, sizeof total, "%lld.%06lld", (long long)(sum / 1000000),
              (long long)(sum % 1000000));
    for (size_t l = strlen(total); total[l - 1] == '0'; l--)
      total[l - 1] = '\0';
    if (total[strlen(total) - 1] == '.')
      total[strlen(total) - 1] = '\0';
    /* reject each row of the unit, keep the rest */
    size_t w = first;
    for (size_t k = first; k < ds->n_splits; k++) {
      if (ds->splits[k].old_unit != old) {
        ds->splits[w++] = ds->splits[k];
        continue;
      }
      ds->stats.rows_accepted--;
      if (rc == HICOV_OK && date_bad)
        rc = reject(ds, file, ds->splits[k].line, cols[W_DATE].index + 1,
                    cols[W_DATE].name, T_(hicov_ds_lang(ds), "the rows of '%s' (lines "
                    "%s) give different dates: a unit is split once"),
                    ds->units[old].code, lines);
      else if (rc == HICOV_OK)
        rc = reject(ds, file, ds->splits[k].line, cols[W_SHARE].index + 1,
                    cols[W_SHARE].name, T_(hicov_ds_lang(ds), "the shares of '%s' "
                    "(lines %s) add up to %s, expected 1"),
                    ds->units[old].code, lines, total);
    }
    ds->n_splits = w; /* row i went too: the next unit's row is at i */
  }
  return rc;
}

int hicov_dataset_load_crosswalk_buffer(HicovDataset *ds, const char *name,
                                        const char *data, size_t len,
                                        int mode)
{
  if (!ds || !data)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  const char *file = name ? base_name(name) : "crosswalk.csv";
  HicovDatasetMark lm;
  hicov_dataset_mark(ds, &lm);
  HicovCsv csv;
  hicov_csv_init(&csv, data, len);
  Column cols[] = {
    { "old", 1, -1 }, { "new", 1, -1 }, { "share", 1, -1 },
    { "date", 1, -1 }, { "basis", 0, -1 },
  };
  int rc = read_header(ds, &csv, file, cols, sizeof cols / sizeof cols[0],
                       "old,new,share,date");
  if (rc)
    return rc;
  size_t first = ds->n_splits;
  long line = 0;
  while (next_row(ds, &csv, file, &line, &rc))
    if ((rc = read_split_row(ds, &csv, file, line, cols)))
      break;
  if (rc == HICOV_OK)
    rc = check_split_totals(ds, file, first, cols);
  hicov_csv_clear(&csv);
  ds->tree_built = 0;
  return finish_load(ds, &lm, mode, rc, 0);
}

int hicov_dataset_load_crosswalk_csv(HicovDataset *ds, const char *path,
                                     int mode)
{
  if (!ds || !path)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  char *data;
  size_t len;
  int rc = hicov_read_file(path, HICOV_UNITS_MAX_BYTES, &data, &len,
                           ds->errmsg, sizeof ds->errmsg);
  if (rc) {
    hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", base_name(path));
    return rc;
  }
  rc = hicov_dataset_load_crosswalk_buffer(ds, path, data, len, mode);
  hicov_free(data);
  return rc;
}

static int load_file(HicovDataset *ds, const char *path, int mode, int units)
{
  if (!ds || !path)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  char *data;
  size_t len;
  int rc = hicov_read_file_lang(path, units ? HICOV_UNITS_MAX_BYTES :
                                HICOV_VALUES_MAX_BYTES, hicov_ds_lang(ds), &data, &len,
                                ds->errmsg, sizeof ds->errmsg);
  if (rc) {
    hicov_fmt(ds->errfile, sizeof ds->errfile, "%s", base_name(path));
    return rc;
  }
  rc = units ? hicov_dataset_load_units_buffer(ds, path, data, len, mode)
             : hicov_dataset_load_values_buffer(ds, path, data, len, mode);
  hicov_free(data);
  return rc;
}

int hicov_dataset_load_units_csv(HicovDataset *ds, const char *path, int mode)
{
  return load_file(ds, path, mode, 1);
}

int hicov_dataset_load_values_csv(HicovDataset *ds, const char *path, int mode)
{
  return load_file(ds, path, mode, 0);
}

int hicov_dataset_load_dir(HicovDataset *ds, const char *dir, int mode)
{
  if (!ds || !dir)
    return HICOV_INVALID;
  if (!*dir) { /* not "/units.csv" */
    hicov_clear_error(ds);
    hicov_fmt(ds->errmsg, sizeof ds->errmsg, "%s",
              T_(hicov_ds_lang(ds), "no dataset folder given"));
    return HICOV_INVALID;
  }
  size_t n = strlen(dir);
  char *path = hicov_malloc(n + 16);
  if (!path)
    return HICOV_NOMEM;
  HicovDatasetMark lm;
  hicov_dataset_mark(ds, &lm);
  snprintf(path, n + 16, "%s/units.csv", dir);
  int rc = hicov_dataset_load_units_csv(ds, path, mode);
  struct stat st;
  snprintf(path, n + 16, "%s/crosswalk.csv", dir);
  if (rc == HICOV_OK && (stat(path, &st) == 0 || errno != ENOENT))
    rc = hicov_dataset_load_crosswalk_csv(ds, path, mode);
  if (rc == HICOV_OK) {
    snprintf(path, n + 16, "%s/values.csv", dir);
    rc = hicov_dataset_load_values_csv(ds, path, mode);
  }
  if (rc != HICOV_OK && mode == HICOV_LOAD_STRICT) {
    /* keep the message of the failing file, undo the units too */
    char msg[sizeof ds->errmsg];
    memcpy(msg, ds->errmsg, sizeof msg);
    hicov_dataset_rollback(ds, &lm);
    memcpy(ds->errmsg, msg, sizeof msg);
  }
  hicov_free(path);
  if (rc == HICOV_OK)
    rc = hicov_dataset_prepare(ds);
  return rc;
}
