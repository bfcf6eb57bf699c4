/* frames.c - datasets to and from pandas, and datasets that persist:
 * hicov.from_frames, Dataset.values, Dataset.to_frames, Dataset.save and
 * Dataset.copy.
 *
 * from_frames writes each frame as the CSV text hicov_dataset_load_*_buffer
 * reads, so a frame is checked by the same rules as units.csv and
 * values.csv, cell for cell; only the place in a message changes, from a
 * file's line to the frame's row (iloc) and index label.  Cells are turned
 * into text here as users hold them: int64, float64 with whole values,
 * nullable Int64, category, datetime (valid_to, valid_from), pandas
 * Periods (period), Decimal, and missing values as empty fields. */
#include "_hicov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DS(self) (((DatasetObject *)(self))->ds)

/* ---- Cells into CSV text ----------------------------------------------- */

typedef enum {
  K_TEXT,   /* str (a category's values are str too) */
  K_CODE,   /* str, or a whole number (codes read as int64 by pandas) */
  K_DATE,   /* str, or a date, datetime at midnight, Timestamp, Period */
  K_FLAG,   /* bool, 0/1, or str */
  K_PERIOD, /* str, a year as a whole number, or a pandas Period */
  K_NUMBER  /* int, finite float, Decimal, or str */
} CellKind;

typedef struct {
  const char *name;
  int required;
  CellKind kind;
} ColumnSpec;

static const ColumnSpec unit_columns[] = {
  {"code", 1, K_CODE}, {"name", 1, K_TEXT}, {"parent", 1, K_CODE},
  {"level", 1, K_TEXT}, {"tier", 0, K_TEXT}, {"valid_to", 0, K_DATE},
  {"successor", 0, K_CODE}, {"valid_from", 0, K_DATE},
  {"synthetic", 0, K_FLAG}, {NULL, 0, K_TEXT}
};

static const ColumnSpec value_columns[] = {
  {"unit", 1, K_CODE}, {"period", 1, K_PERIOD}, {"measure", 1, K_TEXT},
  {"value", 1, K_NUMBER}, {"group", 0, K_TEXT}, {"source", 0, K_TEXT},
  {NULL, 0, K_TEXT}
};

typedef struct {
  char *p;
  size_t len, cap;
} Buf;

static int
buf_put(Buf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = PyMem_Realloc(b->p, cap);
    if (p == NULL) {
      PyErr_NoMemory();
      return -1;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

/* A CSV field, quoted when the reader would split or trim it; *newlines
 * gets the line ends inside it. */
static int
put_field(Buf *b, const char *s, size_t n, long *newlines)
{
  int quote = n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t'
                    || s[n - 1] == '\t');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
      quote = 1;
    if (s[i] == '\n')
      (*newlines)++;
  }
  if (!quote)
    return buf_put(b, s, n);
  if (buf_put(b, "\"", 1) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (buf_put(b, s + i, 1) < 0 || (s[i] == '"' && buf_put(b, "\"", 1) < 0))
      return -1;
  return buf_put(b, "\"", 1);
}

/* The text of an int (any object with __index__). New reference. */
static PyObject *
index_text(PyObject *v)
{
  PyObject *i = PyNumber_Index(v);
  if (i == NULL)
    return NULL;
  PyObject *s = PyObject_Str(i);
  Py_DECREF(i);
  return s;
}

/* The text of a float: a whole value without its ".0", other values in
 * their shortest form (repr), which the loader checks for two decimals.
 * NULL with *why set for NaN's kin (infinity). */
static PyObject *
float_text(double d, const char **why)
{
  if (!isfinite(d)) {
    *why = "expected a finite number";
    return NULL;
  }
  if (d == floor(d)) {
    PyObject *i = PyLong_FromDouble(d);
    PyObject *s = i ? PyObject_Str(i) : NULL;
    Py_XDECREF(i);
    return s;
  }
  PyObject *f = PyFloat_FromDouble(d);
  PyObject *s = f ? PyObject_Repr(f) : NULL;
  Py_XDECREF(f);
  return s;
}

static int
is_float_like(PyObject *v)
{
  /* float, numpy.float32/64 (not str, bytes or Decimal, handled before) */
  return PyFloat_Check(v) || (Py_TYPE(v)->tp_as_number != NULL
                              && Py_TYPE(v)->tp_as_number->nb_float != NULL
                              && !PyIndex_Check(v));
}

static long
long_attr(PyObject *v, const char *name, int *err)
{
  PyObject *a = PyObject_GetAttrString(v, name);
  long x = a ? PyLong_AsLong(a) : -1;
  Py_XDECREF(a);
  if (x == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    *err = 1;
  }
  return x;
}

/* A pandas Period (by its type: Timestamp.freqstr would warn). */
static int
is_period(PyObject *v)
{
  const char *name = Py_TYPE(v)->tp_name;
  const char *dot = strrchr(name, '.');
  return !strcmp(dot ? dot + 1 : name, "Period");
}

/* A date, datetime at midnight or Timestamp as "YYYY-MM-DD"; a pandas
 * Period by its first day. NULL with *why set when v is none of these. */
static PyObject *
date_text(PyObject *v, const char **why)
{
  PyObject *start = NULL;
  if (is_period(v))
    v = start = PyObject_GetAttrString(v, "start_time");
  if (v == NULL)
    return NULL;
  int err = 0;
  long y = long_attr(v, "year", &err), m = long_attr(v, "month", &err),
       d = long_attr(v, "day", &err);
  PyObject *text = NULL;
  if (err) {
    *why = "expected a date such as 2025-07-01";
  } else if (PyObject_HasAttrString(v, "hour")
             && (long_attr(v, "hour", &err) || long_attr(v, "minute", &err)
                 || long_attr(v, "second", &err)
                 || long_attr(v, "microsecond", &err)
                 || (PyObject_HasAttrString(v, "nanosecond")
                     && long_attr(v, "nanosecond", &err)))) {
    *why = "expected a date: a time of day other than midnight was given";
  } else {
    text = PyUnicode_FromFormat("%04ld-%02ld-%02ld", y, m, d);
  }
  Py_XDECREF(start);
  return text;
}

/* A pandas Period of a year, quarter or month as hicov's period text. */
static PyObject *
period_text(PyObject *v, const char **why)
{
  PyObject *fs = PyObject_GetAttrString(v, "freqstr");
  const char *f = fs && PyUnicode_Check(fs) ? PyUnicode_AsUTF8(fs) : NULL;
  int err = 0;
  long y = long_attr(v, "year", &err);
  PyObject *text = NULL;
  if (f == NULL || err) {
    PyErr_Clear();
    *why = "expected a period such as 2024, 2024-Q3 or 2024-10";
  } else if (!strcmp(f, "A-DEC") || !strcmp(f, "Y-DEC") || !strcmp(f, "A")
             || !strcmp(f, "Y") || !strcmp(f, "YE-DEC")) {
    text = PyUnicode_FromFormat("%04ld", y);
  } else if (!strcmp(f, "Q-DEC") || !strcmp(f, "Q") || !strcmp(f, "QE-DEC")) {
    text = PyUnicode_FromFormat("%04ld-Q%ld", y, long_attr(v, "quarter", &err));
  } else if (!strcmp(f, "M") || !strcmp(f, "ME")) {
    text = PyUnicode_FromFormat("%04ld-%02ld", y, long_attr(v, "month", &err));
  } else {
    *why = "expected a period of a calendar year, quarter or month";
  }
  Py_XDECREF(fs);
  return text;
}

/* The CSV text of one cell, or NULL: with an exception set (out of
 * memory), or with *why saying what the column expects. */
static PyObject *
cell_text(hicov_state *st, PyObject *v, CellKind kind, const char **why)
{
  *why = NULL;
  if (PyUnicode_Check(v))
    return Py_NewRef(v);
  if (PyBool_Check(v)) {
    if (kind == K_FLAG)
      return PyUnicode_FromString(v == Py_True ? "1" : "0");
    *why = kind == K_NUMBER ? "expected a number" : "expected text";
    return NULL;
  }
  switch (kind) {
  case K_TEXT:
    *why = "expected text";
    return NULL;
  case K_DATE:
    return date_text(v, why);
  case K_PERIOD:
    if (is_period(v))
      return period_text(v, why);
    __attribute__((fallthrough)); /* a year as a number */
  case K_CODE:
  case K_FLAG:
  case K_NUMBER:
    if (PyIndex_Check(v))
      return index_text(v);
    if (kind == K_NUMBER && PyObject_IsInstance(v, st->Decimal) == 1) {
      PyObject *f = PyUnicode_FromString("f"); /* no exponent */
      PyObject *text = f ? PyObject_Format(v, f) : NULL;
      Py_XDECREF(f);
      return text;
    }
    if (is_float_like(v)) {
      double d = PyFloat_AsDouble(v);
      if (d == -1.0 && PyErr_Occurred())
        return NULL;
      if (kind != K_NUMBER && d != floor(d)) {
        *why = kind == K_PERIOD ? "expected a period such as 2024, 2024-Q3 "
                                  "or 2024-10"
             : kind == K_FLAG ? "expected 0 or 1"
                              : "expected a code (text or a whole number)";
        return NULL;
      }
      return float_text(d, why);
    }
    *why = kind == K_NUMBER ? "expected a number"
         : kind == K_PERIOD ? "expected a period such as 2024, 2024-Q3 or "
                              "2024-10 (text, a year, or a pandas Period)"
         : kind == K_FLAG ? "expected 0 or 1"
                          : "expected a code (text or a whole number)";
    return NULL;
  }
  return NULL;
}

/* ---- Frames into CSV ---------------------------------------------------- */

/* What a frame became: its CSV text and, for each row (iloc), the line
 * its record starts on. */
typedef struct {
  const char *what; /* "units" or "values" */
  PyObject *frame;
  Buf csv;
  long *lines;
  Py_ssize_t nrows;
} FrameText;

static void
frame_text_clear(FrameText *ft)
{
  PyMem_Free(ft->csv.p);
  PyMem_Free(ft->lines);
  memset(ft, 0, sizeof *ft);
}

/* "units iloc[3] (index 'x')" for messages. New reference. */
static PyObject *
row_place(const FrameText *ft, Py_ssize_t row)
{
  PyObject *index = PyObject_GetAttrString(ft->frame, "index");
  PyObject *label = index ? PySequence_GetItem(index, row) : NULL;
  Py_XDECREF(index);
  if (label == NULL) {
    PyErr_Clear();
    return PyUnicode_FromFormat("%s iloc[%zd]", ft->what, row);
  }
  PyObject *place;
  PyObject *pos = PyLong_FromSsize_t(row);
  int same = pos ? PyObject_RichCompareBool(label, pos, Py_EQ) : -1;
  Py_XDECREF(pos);
  if (same < 0)
    PyErr_Clear();
  if (same == 1 && PyLong_Check(label))
    place = PyUnicode_FromFormat("%s iloc[%zd]", ft->what, row);
  else
    place = PyUnicode_FromFormat("%s iloc[%zd] (index %R)", ft->what, row,
                                 label);
  Py_DECREF(label);
  return place;
}

/* Raises ParseError "<place>, column 'c': <what>" with attributes frame,
 * row, index and field. */
static int
raise_cell(hicov_state *st, const FrameText *ft, Py_ssize_t row,
           const char *column, PyObject *what, PyObject *rejections)
{
  PyObject *place = row >= 0 ? row_place(ft, row)
                             : PyUnicode_FromString(ft->what);
  if (place == NULL)
    return -1;
  PyObject *msg = column && column[0]
      ? PyUnicode_FromFormat("%U, column '%s': %U", place, column, what)
      : PyUnicode_FromFormat("%U: %U", place, what);
  Py_DECREF(place);
  PyObject *exc = msg ? PyObject_CallOneArg(st->ParseError, msg) : NULL;
  Py_XDECREF(msg);
  if (exc == NULL)
    return -1;
  PyObject *index = PyObject_GetAttrString(ft->frame, "index");
  PyObject *label = index && row >= 0 ? PySequence_GetItem(index, row) : NULL;
  Py_XDECREF(index);
  PyErr_Clear();
  PyObject *rowo = row >= 0 ? PyLong_FromSsize_t(row) : Py_NewRef(Py_None);
  PyObject *field = column && column[0] ? PyUnicode_FromString(column)
                                        : Py_NewRef(Py_None);
  PyObject *frame = PyUnicode_FromString(ft->what);
  if (rowo == NULL || field == NULL || frame == NULL
      || PyObject_SetAttrString(exc, "frame", frame) < 0
      || PyObject_SetAttrString(exc, "row", rowo) < 0
      || PyObject_SetAttrString(exc, "index", label ? label : Py_None) < 0
      || PyObject_SetAttrString(exc, "field", field) < 0
      || PyObject_SetAttrString(exc, "rejections",
                                rejections ? rejections : Py_None) < 0) {
    Py_XDECREF(rowo);
    Py_XDECREF(field);
    Py_XDECREF(frame);
    Py_XDECREF(label);
    Py_DECREF(exc);
    return -1;
  }
  Py_DECREF(rowo);
  Py_DECREF(field);
  Py_DECREF(frame);
  Py_XDECREF(label);
  PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
  Py_DECREF(exc);
  return -1;
}

static int
raise_cell_str(hicov_state *st, const FrameText *ft, Py_ssize_t row,
               const char *column, const char *why, PyObject *cell)
{
  PyObject *what = cell != NULL
      ? PyUnicode_FromFormat("%s, found %R (%s)", why, cell,
                             Py_TYPE(cell)->tp_name)
      : PyUnicode_FromString(why);
  if (what == NULL)
    return -1;
  int rc = raise_cell(st, ft, row, column, what, NULL);
  Py_DECREF(what);
  return rc;
}

/* One column's cells (series.tolist()) and missing marks (isna()). */
typedef struct {
  const ColumnSpec *spec;
  PyObject *items; /* list */
  PyObject *na;    /* list of bool */
} FrameColumn;

/* The columns of specs that frame has; -1 (exception set) when a required
 * one is missing or one is not a column of cells. */
static int
frame_columns(hicov_state *st, FrameText *ft, const ColumnSpec *specs,
              FrameColumn *cols, size_t *ncols)
{
  PyObject *names = PyObject_GetAttrString(ft->frame, "columns");
  if (names == NULL)
    return -1;
  *ncols = 0;
  for (const ColumnSpec *s = specs; s->name; s++) {
    PyObject *key = PyUnicode_FromString(s->name);
    int has = key ? PySequence_Contains(names, key) : -1;
    if (has < 0) {
      Py_XDECREF(key);
      Py_DECREF(names);
      return -1;
    }
    if (!has) {
      Py_DECREF(key);
      if (!s->required)
        continue;
      Py_DECREF(names);
      PyObject *what = PyUnicode_FromFormat(
          "missing column '%s' (%s)", s->name, specs == unit_columns
          ? "a units frame has code, name, parent and level, and may have "
            "tier, valid_to, successor, valid_from and synthetic"
          : "a values frame has unit, period, measure and value, and may "
            "have group and source");
      int rc = what ? raise_cell(st, ft, -1, NULL, what, NULL) : -1;
      Py_XDECREF(what);
      return rc;
    }
    PyObject *series = PyObject_GetItem(ft->frame, key);
    Py_DECREF(key);
    PyObject *items = NULL, *na = NULL, *mask = NULL;
    if (series != NULL && PyObject_HasAttrString(series, "columns")) {
      Py_DECREF(series);
      Py_DECREF(names);
      return raise_cell_str(st, ft, -1, s->name, "the column appears twice",
                            NULL);
    }
    if (series != NULL)
      items = PyObject_CallMethod(series, "tolist", NULL);
    if (series != NULL)
      mask = PyObject_CallMethod(series, "isna", NULL);
    if (mask != NULL)
      na = PyObject_CallMethod(mask, "tolist", NULL);
    Py_XDECREF(mask);
    Py_XDECREF(series);
    if (items == NULL || na == NULL || !PyList_Check(items)
        || !PyList_Check(na)
        || PyList_GET_SIZE(items) != ft->nrows
        || PyList_GET_SIZE(na) != ft->nrows) {
      if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "%s: column '%s' is not a column of "
                     "%zd cells", ft->what, s->name, ft->nrows);
      Py_XDECREF(items);
      Py_XDECREF(na);
      Py_DECREF(names);
      return -1;
    }
    cols[*ncols].spec = s;
    cols[*ncols].items = items;
    cols[*ncols].na = na;
    (*ncols)++;
  }
  Py_DECREF(names);
  return 0;
}

static void
drop_columns(FrameColumn *cols, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    Py_XDECREF(cols[i].items);
    Py_XDECREF(cols[i].na);
  }
}

/* One row's fields into ft->csv. */
static int
put_row(hicov_state *st, FrameText *ft, const FrameColumn *cols,
        size_t ncols, Py_ssize_t row, long *line)
{
  long newlines = 0;
  for (size_t c = 0; c < ncols; c++) {
    if (c && buf_put(&ft->csv, ",", 1) < 0)
      return -1;
    if (PyList_GET_ITEM(cols[c].na, row) == Py_True)
      continue; /* missing: an empty field */
    PyObject *cell = PyList_GET_ITEM(cols[c].items, row);
    const char *why = NULL;
    PyObject *text = cell_text(st, cell, cols[c].spec->kind, &why);
    if (text == NULL) {
      if (why == NULL && !PyErr_Occurred())
        why = "expected text";
      if (why != NULL) {
        PyErr_Clear();
        return raise_cell_str(st, ft, row, cols[c].spec->name, why, cell);
      }
      return -1;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(text, &n);
    int rc = -1;
    if (s == NULL)
      rc = -1;
    else if (strlen(s) != (size_t)n)
      rc = raise_cell_str(st, ft, row, cols[c].spec->name,
                          "expected text without NUL characters", NULL);
    else
      rc = put_field(&ft->csv, s, (size_t)n, &newlines);
    Py_DECREF(text);
    if (rc < 0)
      return -1;
  }
  if (buf_put(&ft->csv, "\n", 1) < 0)
    return -1;
  ft->lines[row] = *line;
  *line += 1 + newlines;
  return 0;
}

/* The frame as CSV text with a header of the columns it has. */
static int
frame_to_csv(hicov_state *st, FrameText *ft, const ColumnSpec *specs)
{
  Py_ssize_t n = PyObject_Length(ft->frame);
  if (n < 0 || !PyObject_HasAttrString(ft->frame, "columns")) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s must be a pandas DataFrame, not "
                 "%.100s", ft->what, Py_TYPE(ft->frame)->tp_name);
    return -1;
  }
  ft->nrows = n;
  ft->lines = PyMem_Calloc((size_t)(n ? n : 1), sizeof *ft->lines);
  if (ft->lines == NULL) {
    PyErr_NoMemory();
    return -1;
  }
  FrameColumn cols[16];
  size_t ncols = 0;
  if (frame_columns(st, ft, specs, cols, &ncols) < 0)
    return -1;
  int rc = 0;
  for (size_t c = 0; c < ncols && rc == 0; c++)
    rc = buf_put(&ft->csv, cols[c].spec->name, strlen(cols[c].spec->name)) < 0
         || buf_put(&ft->csv, c + 1 < ncols ? "," : "\n", 1) < 0 ? -1 : 0;
  long line = 2;
  for (Py_ssize_t r = 0; r < n && rc == 0; r++)
    rc = put_row(st, ft, cols, ncols, r, &line);
  drop_columns(cols, ncols);
  return rc;
}

/* ---- Loading and the messages of rejected rows -------------------------- */

static Py_ssize_t
row_of_line(const FrameText *ft, long line)
{
  Py_ssize_t lo = 0, hi = ft->nrows;
  while (lo < hi) { /* the last row starting at or before line */
    Py_ssize_t mid = lo + (hi - lo) / 2;
    if (ft->lines[mid] <= line)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo - 1;
}

/* The loader's reason for a row, with a line number it names (a value
 * given twice) changed into the row it is on. New reference. */
static PyObject *
reason_text(const HicovDataset *ds, const FrameText *ft, const char *reason)
{
  static const char dup[] = "a value for the same unit, period, measure and "
                            "group is already given on line %ld";
  const char *fmt = hicov_text(hicov_dataset_lang(ds), dup);
  const char *at = strstr(fmt, "%ld");
  size_t pre = at ? (size_t)(at - fmt) : 0;
  char *end = NULL;
  long line = at && !strncmp(reason, fmt, pre)
                  ? strtol(reason + pre, &end, 10) : 0;
  if (end && end != reason + pre && !strcmp(end, at + 3)) {
    Py_ssize_t row = row_of_line(ft, line);
    PyObject *place = row >= 0 ? row_place(ft, row) : NULL;
    if (place != NULL) {
      PyObject *text = PyUnicode_FromFormat(
          "a value for the same unit, period, measure and group is already "
          "given in %U", place);
      Py_DECREF(place);
      return text;
    }
    PyErr_Clear();
  }
  return PyUnicode_DecodeUTF8(reason, (Py_ssize_t)strlen(reason), "replace");
}

/* After a lenient load of ft into ds: raises ParseError for the first
 * rejection made since `first`, with every one in .rejections. */
static int
check_rejections(hicov_state *st, HicovDataset *ds, const FrameText *ft,
                 size_t first)
{
  size_t n = hicov_dataset_rejection_count(ds);
  if (n <= first)
    return 0;
  PyObject *all = PyList_New(0);
  PyObject *first_reason = NULL;
  Py_ssize_t first_row = -1;
  const char *first_field = NULL;
  for (size_t i = first; all != NULL && i < n; i++) {
    HicovRejection r;
    hicov_dataset_rejection(ds, i, &r);
    Py_ssize_t row = row_of_line(ft, r.line);
    PyObject *reason = reason_text(ds, ft, r.reason ? r.reason : r.message);
    if (reason == NULL) {
      Py_CLEAR(all);
      break;
    }
    PyObject *place = row >= 0 ? row_place(ft, row)
                               : PyUnicode_FromString(ft->what);
    PyObject *msg = NULL;
    if (place != NULL)
      msg = r.field && r.field[0]
          ? PyUnicode_FromFormat("%U, column '%s': %U", place, r.field, reason)
          : PyUnicode_FromFormat("%U: %U", place, reason);
    Py_XDECREF(place);
    if (msg == NULL || PyList_Append(all, msg) < 0) {
      Py_XDECREF(msg);
      Py_XDECREF(reason);
      Py_CLEAR(all);
      break;
    }
    Py_DECREF(msg);
    if (first_reason == NULL) {
      first_reason = reason;
      first_row = row;
      first_field = r.field;
    } else {
      Py_DECREF(reason);
    }
  }
  if (all == NULL) {
    Py_XDECREF(first_reason);
    return -1;
  }
  PyObject *what = first_reason;
  if (n - first > 1)
    what = PyUnicode_FromFormat("%U (%zu rows rejected in all: "
                                ".rejections lists them)", first_reason,
                                n - first);
  int rc = what ? raise_cell(st, ft, first_row, first_field, what, all) : -1;
  if (what != first_reason)
    Py_XDECREF(what);
  Py_DECREF(first_reason);
  Py_DECREF(all);
  return rc;
}

static PyObject *
from_frames_impl(hicov_state *st, PyObject *units, PyObject *values,
                 const char *lang)
{
  FrameText ut = {"units", units, {0}, NULL, 0};
  FrameText vt = {"values", values, {0}, NULL, 0};
  HicovDataset *ds = NULL;
  PyObject *result = NULL;
  if (frame_to_csv(st, &ut, unit_columns) < 0
      || frame_to_csv(st, &vt, value_columns) < 0)
    goto done;
  if (hicov_check_status(st, hicov_dataset_new(&ds), NULL) < 0)
    goto done;
  hicov_dataset_set_lang(ds, lang);
  /* lenient, to name every rejected row; any rejection fails the whole */
  int rc = hicov_dataset_load_units_buffer(ds, "units", ut.csv.p, ut.csv.len,
                                           HICOV_LOAD_LENIENT);
  if (hicov_check_status(st, rc, ds) < 0 || check_rejections(st, ds, &ut, 0) < 0)
    goto done;
  rc = hicov_dataset_load_values_buffer(ds, "values", vt.csv.p, vt.csv.len,
                                        HICOV_LOAD_LENIENT);
  if (hicov_check_status(st, rc, ds) < 0 || check_rejections(st, ds, &vt, 0) < 0)
    goto done;
  result = hicov_dataset_wrap(st, ds);
  ds = NULL;
done:
  hicov_dataset_free(ds);
  frame_text_clear(&ut);
  frame_text_clear(&vt);
  return result;
}

PyObject *
hicov_from_frames(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"units", "values", "lang", NULL};
  PyObject *units, *values;
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$z:from_frames",
                                   keywords, &units, &values, &lang))
    return NULL;
  hicov_state *st = hicov_get_state(module);
  if (lang != NULL && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
    return PyErr_Format(st->InvalidError,
                        "lang must be 'vi', 'en' or None, not '%s'", lang);
  return from_frames_impl(st, units, values, lang);
}

/* ---- Dataset.values and Dataset.to_frames ------------------------------- */

/* The str of s, reusing *last when s is the same pointer as *last_s. */
static PyObject *
cached_str(const char *s, const char **last_s, PyObject **last)
{
  if (s == NULL || s[0] == '\0')
    Py_RETURN_NONE;
  if (*last == NULL || s != *last_s) {
    PyObject *o = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
    if (o == NULL)
      return NULL;
    Py_XSETREF(*last, o);
    *last_s = s;
  }
  return Py_NewRef(*last);
}

static PyObject *
values_columns(hicov_state *st, const HicovObservation *obs, size_t n,
               int exact)
{
  static const char *const names[] = {"unit", "period", "measure", "group",
                                      "value", "source", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  const char *ls[4] = {NULL, NULL, NULL, NULL};
  PyObject *last[4] = {NULL, NULL, NULL, NULL};
  HicovPeriod lp = {0, -1, -1};
  PyObject *period = NULL;
  int ok = 1;
  for (size_t i = 0; ok && i < n; i++) {
    const HicovObservation *o = &obs[i];
    if (period == NULL || o->period.first != lp.first
        || o->period.last != lp.last) {
      Py_XSETREF(period, hicov_period_to_str(o->period));
      lp = o->period;
      if (period == NULL)
        break;
    }
    PyObject *value = exact ? hicov_decimal_from_centi(st, o->centi)
                            : PyFloat_FromDouble((double)o->centi / 100.0);
    ok = hicov_column_append(cols, "unit", cached_str(o->unit, &ls[0],
                                                      &last[0])) == 0
         && hicov_column_append(cols, "period", Py_NewRef(period)) == 0
         && hicov_column_append(cols, "measure",
                                cached_str(o->measure, &ls[1], &last[1])) == 0
         && hicov_column_append(cols, "group",
                                cached_str(o->group, &ls[2], &last[2])) == 0
         && hicov_column_append(cols, "value", value) == 0
         && hicov_column_append(cols, "source",
                                cached_str(o->source, &ls[3], &last[3])) == 0;
  }
  for (int k = 0; k < 4; k++)
    Py_XDECREF(last[k]);
  if (!ok || (n && period == NULL)) {
    Py_XDECREF(period);
    Py_DECREF(cols);
    return NULL;
  }
  Py_XDECREF(period);
  if (exact) { /* Decimals as an object array, as Dataset.series does */
    PyObject *list = PyDict_GetItemString(cols, "value"); /* borrowed */
    PyObject *array = hicov_object_array(list);
    if (array == NULL || PyDict_SetItemString(cols, "value", array) < 0) {
      Py_XDECREF(array);
      Py_DECREF(cols);
      return NULL;
    }
    Py_DECREF(array);
  }
  return cols;
}

static PyObject *
values_impl(PyObject *self, hicov_state *st, int exact)
{
  HicovObservation *obs = NULL;
  size_t n = 0;
  int rc = hicov_dataset_observations(DS(self), &obs, &n);
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *cols = values_columns(st, obs, n, exact);
  hicov_free(obs);
  if (cols == NULL)
    return NULL;
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

PyObject *
hicov_dataset_values_py(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"exact", NULL};
  int exact = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$p:values", keywords,
                                   &exact))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  return st ? values_impl(self, st, exact) : NULL;
}

/* "2025-07-01" of a month index, or None for 0. */
static PyObject *
month_date(int month)
{
  if (month <= 0)
    Py_RETURN_NONE;
  return PyUnicode_FromFormat("%04d-%02d-01", month / 12, month % 12 + 1);
}

static PyObject *
units_csv_frame(HicovDataset *ds)
{
  static const char *const names[] = {"code", "name", "parent", "level",
                                      "tier", "valid_to", "successor",
                                      "valid_from", "synthetic", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_dataset_unit_count(ds);
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, i, &u);
    if (hicov_column_append(cols, "code", hicov_str_or_none(u.code)) < 0
        || hicov_column_append(cols, "name", hicov_str_or_none(u.name)) < 0
        || hicov_column_append(cols, "parent", hicov_str_or_none(u.parent)) < 0
        || hicov_column_append(cols, "level",
                               hicov_str_or_none(hicov_level_name(u.level))) < 0
        || hicov_column_append(cols, "tier", hicov_str_or_none(
               u.level == HICOV_LEVEL_FACILITY ? hicov_tier_name(u.tier)
                                               : NULL)) < 0
        || hicov_column_append(cols, "valid_to", month_date(u.valid_to)) < 0
        || hicov_column_append(cols, "successor",
                               hicov_str_or_none(u.successor)) < 0
        || hicov_column_append(cols, "valid_from",
                               month_date(u.valid_from)) < 0
        || hicov_column_append(cols, "synthetic",
                               PyBool_FromLong(u.synthetic)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

PyObject *
hicov_dataset_to_frames(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"exact", NULL};
  int exact = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$p:to_frames", keywords,
                                   &exact))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  PyObject *units = units_csv_frame(DS(self));
  PyObject *values = units ? values_impl(self, st, exact) : NULL;
  PyObject *pair = values ? PyTuple_Pack(2, units, values) : NULL;
  Py_XDECREF(units);
  Py_XDECREF(values);
  return pair;
}

/* ---- Dataset.save and Dataset.copy -------------------------------------- */

PyObject *
hicov_dataset_save_py(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", NULL};
  PyObject *path = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:save", keywords,
                                   PyUnicode_FSConverter, &path))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  char err[1024] = "";
  int rc = st ? hicov_dataset_save(DS(self), PyBytes_AS_STRING(path), err,
                                   sizeof err)
              : HICOV_ERROR;
  Py_DECREF(path);
  if (st == NULL || hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  Py_RETURN_NONE;
}

PyObject *
hicov_dataset_copy_py(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  HicovDataset *copy = NULL;
  int rc = hicov_dataset_copy(DS(self), &copy);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  return hicov_dataset_wrap(st, copy);
}

PyObject *
hicov_dataset_deepcopy_py(PyObject *self, PyObject *Py_UNUSED(memo))
{
  return hicov_dataset_copy_py(self, NULL);
}
