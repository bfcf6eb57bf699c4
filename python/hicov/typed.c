/* typed.c - the pandas types of what the module returns (issue 21).
 *
 * The numbers come from the core as they are; this file only picks the
 * dtype that says what they are: money as float64 đồng (or exact, on
 * request), head counts as integers, years as nullable Int64 with <NA>
 * for "none", names that repeat as categoricals, periods as pandas
 * Periods, the text of a missing reason as <NA>.  Nothing is computed
 * here. */
#include "_hicov.h"

#include <math.h>
#include <string.h>

int
hicov_money_arg(hicov_state *st, const char *text)
{
  if (text == NULL || strcmp(text, "float") == 0)
    return HICOV_MONEY_FLOAT;
  if (strcmp(text, "decimal") == 0)
    return HICOV_MONEY_DECIMAL;
  if (strcmp(text, "centi") == 0)
    return HICOV_MONEY_CENTI;
  return hicov_raise(st, HICOV_INVALID, "money must be 'float', 'decimal' "
                     "or 'centi', not '%s'", text);
}

PyObject *
hicov_money_scalar(hicov_state *st, int64_t centi, int mode)
{
  switch (mode) {
  case HICOV_MONEY_DECIMAL:
    return hicov_decimal_from_centi(st, centi);
  case HICOV_MONEY_CENTI:
    return PyLong_FromLongLong(centi);
  default:
    /* both exact below 2^53, so the quotient is the double nearest the
       exact amount */
    return PyFloat_FromDouble((double)centi / 100.0);
  }
}

PyObject *
hicov_count_scalar(int64_t centi)
{
  if (centi % 100 == 0)
    return PyLong_FromLongLong(centi / 100);
  return PyFloat_FromDouble((double)centi / 100.0);
}

int
hicov_indicator_is_count(const char *indicator)
{
  char base[64];
  size_t n = strlen(indicator);
  static const char suffix[] = "_change";
  if (n >= sizeof base)
    return 0;
  memcpy(base, indicator, n + 1);
  if (n > sizeof suffix - 1
      && strcmp(base + n - (sizeof suffix - 1), suffix) == 0)
    base[n - (sizeof suffix - 1)] = '\0';
  int m = hicov_measure_find(base);
  const HicovMeasureInfo *info = m >= 0 ? hicov_measure_info((size_t)m)
                                        : NULL;
  return info != NULL && strcmp(info->unit, "VND") != 0;
}

int
hicov_measure_is_money(const char *measure)
{
  int m = hicov_measure_find(measure);
  const HicovMeasureInfo *info = m >= 0 ? hicov_measure_info((size_t)m)
                                        : NULL;
  return info != NULL && strcmp(info->unit, "VND") == 0;
}

PyObject *
hicov_array_from_bytes(PyObject *bytes, const char *dtype)
{
  PyObject *numpy = PyImport_ImportModule("numpy");
  if (numpy == NULL)
    return NULL;
  PyObject *array = PyObject_CallMethod(numpy, "frombuffer", "Os", bytes,
                                        dtype);
  Py_DECREF(numpy);
  return array;
}

PyObject *
hicov_money_column(hicov_state *st, const int64_t *centi, Py_ssize_t n,
                   int mode)
{
  if (mode == HICOV_MONEY_DECIMAL) {
    PyObject *list = PyList_New(n), *zero = NULL;
    for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
      if (zero == NULL && (zero = hicov_decimal_from_centi(st, 0)) == NULL) {
        Py_CLEAR(list);
        break;
      }
      PyObject *d = centi[i] == 0 ? Py_NewRef(zero)
                                  : hicov_decimal_from_centi(st, centi[i]);
      if (d == NULL)
        Py_CLEAR(list);
      else
        PyList_SET_ITEM(list, i, d);
    }
    Py_XDECREF(zero);
    PyObject *array = list ? hicov_object_array(list) : NULL;
    Py_XDECREF(list);
    return array;
  }
  if (n < 0 || (size_t)n > PY_SSIZE_T_MAX / sizeof(double))
    return PyErr_NoMemory();
  PyObject *bytes = PyByteArray_FromStringAndSize(
      NULL, n * (Py_ssize_t)sizeof(double));
  if (bytes == NULL)
    return NULL;
  char *p = PyByteArray_AS_STRING(bytes);
  for (Py_ssize_t i = 0; i < n; i++) {
    if (mode == HICOV_MONEY_CENTI) {
      memcpy(p + i * (Py_ssize_t)sizeof(int64_t), &centi[i], sizeof(int64_t));
    } else {
      double d = (double)centi[i] / 100.0;
      memcpy(p + i * (Py_ssize_t)sizeof(double), &d, sizeof d);
    }
  }
  PyObject *array = hicov_array_from_bytes(
      bytes, mode == HICOV_MONEY_CENTI ? "int64" : "float64");
  Py_DECREF(bytes);
  return array;
}

/* frame[column] = series (stolen; NULL passes a failure on). */
static int
replace_column(PyObject *frame, const char *column, PyObject *series)
{
  if (series == NULL)
    return -1;
  int rc = PyMapping_SetItemString(frame, column, series);
  Py_DECREF(series);
  return rc;
}

int
hicov_frame_astype(PyObject *frame, const char *column, const char *dtype)
{
  PyObject *s = PyMapping_GetItemString(frame, column);
  if (s == NULL)
    return -1;
  PyObject *t = PyObject_CallMethod(s, "astype", "s", dtype);
  Py_DECREF(s);
  return replace_column(frame, column, t);
}

int
hicov_frame_categories(PyObject *frame, const char *const *columns)
{
  for (size_t i = 0; columns[i] != NULL; i++)
    if (hicov_frame_astype(frame, columns[i], "category") < 0)
      return -1;
  return 0;
}

/* s.where(s != value): the cells equal to value become missing. */
static PyObject *
where_not(PyObject *s, PyObject *value)
{
  PyObject *mask = PyObject_RichCompare(s, value, Py_NE);
  if (mask == NULL)
    return NULL;
  PyObject *t = PyObject_CallMethod(s, "where", "O", mask);
  Py_DECREF(mask);
  return t;
}

/* frame[column] with `none` as missing, as dtype. */
static int
missing_as_na(PyObject *frame, const char *column, PyObject *none,
              const char *dtype)
{
  PyObject *s = PyMapping_GetItemString(frame, column);
  if (s == NULL)
    return -1;
  PyObject *w = where_not(s, none);
  Py_DECREF(s);
  PyObject *t = w ? PyObject_CallMethod(w, "astype", "s", dtype) : NULL;
  Py_XDECREF(w);
  return replace_column(frame, column, t);
}

int
hicov_frame_text_na(PyObject *frame, const char *column)
{
  PyObject *empty = PyUnicode_FromString("");
  if (empty == NULL)
    return -1;
  int rc = missing_as_na(frame, column, empty, "string");
  Py_DECREF(empty);
  return rc;
}

int
hicov_frame_years(PyObject *frame, const char *column)
{
  PyObject *zero = PyLong_FromLong(0);
  if (zero == NULL)
    return -1;
  int rc = missing_as_na(frame, column, zero, "Int64");
  Py_DECREF(zero);
  return rc;
}

/* Every value whole (NaN aside)? 1, 0, or -1 with an exception. */
static int
all_whole(PyObject *s)
{
  PyObject *list = PyObject_CallMethod(s, "tolist", NULL);
  if (list == NULL)
    return -1;
  int whole = 1;
  for (Py_ssize_t i = 0; whole && i < PyList_GET_SIZE(list); i++) {
    double d = PyFloat_AsDouble(PyList_GET_ITEM(list, i));
    if (d == -1.0 && PyErr_Occurred()) {
      Py_DECREF(list);
      return -1;
    }
    whole = isnan(d) || (isfinite(d) && d == floor(d) && fabs(d) < 9e15);
  }
  Py_DECREF(list);
  return whole;
}

int
hicov_frame_counts(PyObject *frame, const char *column)
{
  PyObject *s = PyMapping_GetItemString(frame, column);
  if (s == NULL)
    return -1;
  int whole = all_whole(s);
  PyObject *t = whole > 0 ? PyObject_CallMethod(s, "astype", "s", "Int64")
                          : NULL;
  Py_DECREF(s);
  if (whole <= 0)
    return whole; /* a fractional count (values.csv allows two decimals)
                     stays float64 */
  return replace_column(frame, column, t);
}

PyObject *
hicov_series_counts(PyObject *series)
{
  int whole = all_whole(series);
  if (whole < 0)
    return NULL;
  if (whole == 0)
    return Py_NewRef(series);
  return PyObject_CallMethod(series, "astype", "s", "Int64");
}

PyObject *
hicov_frame_indexed(PyObject *frame, PyObject *keys)
{
  return PyObject_CallMethod(frame, "set_index", "O", keys);
}

int
hicov_set_attrs(PyObject *obj, PyObject *attrs)
{
  PyObject *a = PyObject_GetAttrString(obj, "attrs");
  if (a == NULL)
    return -1;
  int rc = PyDict_Check(a) ? PyDict_Update(a, attrs) : -1;
  if (rc < 0 && !PyErr_Occurred())
    PyErr_SetString(PyExc_TypeError, "attrs is not a dict");
  Py_DECREF(a);
  return rc;
}

PyObject *
hicov_period_index(PyObject *labels, const char *freq, const char *name)
{
  PyObject *pandas = PyImport_ImportModule("pandas");
  if (pandas == NULL)
    return NULL;
  PyObject *cls = PyObject_GetAttrString(pandas, "PeriodIndex");
  Py_DECREF(pandas);
  if (cls == NULL)
    return NULL;
  PyObject *args = PyTuple_Pack(1, labels);
  PyObject *kw = Py_BuildValue("{ssss}", "freq", freq, "name", name);
  PyObject *index = args && kw ? PyObject_Call(cls, args, kw) : NULL;
  Py_XDECREF(args);
  Py_XDECREF(kw);
  Py_DECREF(cls);
  return index;
}

PyObject *
hicov_month_periods(const int64_t *months, Py_ssize_t n)
{
  /* a month's Period[M] ordinal counts months from 1970-01 */
  int64_t *o = NULL;
  PyObject *bytes = hicov_int64_column(n, &o);
  if (bytes == NULL)
    return NULL;
  for (Py_ssize_t i = 0; i < n; i++)
    o[i] = months[i] - 1970 * 12;
  PyObject *ordinals = hicov_array_from_bytes(bytes, "int64");
  Py_DECREF(bytes);
  PyObject *pandas = ordinals ? PyImport_ImportModule("pandas") : NULL;
  PyObject *dtype = NULL, *array = NULL, *arrays = NULL, *cls = NULL;
  PyObject *args = NULL, *kw = NULL;
  if (pandas == NULL
      || (dtype = PyObject_CallMethod(pandas, "PeriodDtype", "s", "M")) == NULL
      || (arrays = PyObject_GetAttrString(pandas, "arrays")) == NULL
      || (cls = PyObject_GetAttrString(arrays, "PeriodArray")) == NULL
      || (args = PyTuple_Pack(1, ordinals)) == NULL
      || (kw = Py_BuildValue("{sO}", "dtype", dtype)) == NULL)
    goto done;
  array = PyObject_Call(cls, args, kw);
done:
  Py_XDECREF(ordinals);
  Py_XDECREF(pandas);
  Py_XDECREF(dtype);
  Py_XDECREF(arrays);
  Py_XDECREF(cls);
  Py_XDECREF(args);
  Py_XDECREF(kw);
  return array;
}

int
hicov_frame_levels(PyObject *frame, const char *column)
{
  /* every level, ordered from the country down, so a table of districts
     and one of communes have the same dtype and compare */
  PyObject *names = PyList_New(0);
  for (int l = 0; names != NULL && hicov_level_name(l) != NULL; l++) {
    PyObject *n = PyUnicode_FromString(hicov_level_name(l));
    if (n == NULL || PyList_Append(names, n) < 0)
      Py_CLEAR(names);
    Py_XDECREF(n);
  }
  PyObject *pandas = names ? PyImport_ImportModule("pandas") : NULL;
  PyObject *dtype = NULL, *s = NULL, *t = NULL;
  if (pandas != NULL)
    dtype = PyObject_CallMethod(pandas, "CategoricalDtype", "OO", names,
                                Py_True);
  if (dtype != NULL)
    s = PyMapping_GetItemString(frame, column);
  if (s != NULL)
    t = PyObject_CallMethod(s, "astype", "O", dtype);
  int rc = dtype != NULL && s != NULL ? replace_column(frame, column, t) : -1;
  Py_XDECREF(s);
  Py_XDECREF(dtype);
  Py_XDECREF(pandas);
  Py_XDECREF(names);
  return rc;
}
