/* _hicovmodule.c - the hicov._hicov extension module: module state,
 * exceptions, status mapping and module-level functions.
 *
 * Layout follows CPython's Modules/: multi-phase init, everything owned by
 * the module state, each Python entry point a thin argument parser that
 * calls a *_impl function taking C types. */
#include "_hicov.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* State                                                                     */

hicov_state *
hicov_get_state(PyObject *module)
{
  void *state = PyModule_GetState(module);
  assert(state != NULL);
  return (hicov_state *)state;
}

hicov_state *
hicov_state_from_type(PyTypeObject *type)
{
  PyObject *module = PyType_GetModuleByDef(type, &hicov_module);
  if (module == NULL)
    return NULL;
  return hicov_get_state(module);
}

/* ------------------------------------------------------------------------ */
/* Status -> exception                                                       */

static PyObject *
exception_for_status(hicov_state *st, int status)
{
  switch (status) {
  case HICOV_NOMEM: return st->NoMemoryError;
  case HICOV_IO: return st->FileError;
  case HICOV_PARSE: return st->ParseError;
  case HICOV_NOTFOUND: return st->NotFoundError;
  case HICOV_INVALID: return st->InvalidError;
  case HICOV_MISSING: return st->MissingError;
  case HICOV_LIMIT: return st->LimitError;
  case HICOV_OVERFLOW: return st->SumOverflowError;
  case HICOV_UNSUPPORTED: return st->UnsupportedError;
  default: return st->Error;
  }
}

/* Sets `name` on exc to a str (or None for NULL/""), an int, or None. */
static int
set_str_attr(PyObject *exc, const char *name, const char *value)
{
  PyObject *v = hicov_str_or_none(value);
  if (v == NULL)
    return -1;
  int rc = PyObject_SetAttrString(exc, name, v);
  Py_DECREF(v);
  return rc;
}

static int
set_long_attr(PyObject *exc, const char *name, long value)
{
  PyObject *v = value > 0 ? PyLong_FromLong(value) : Py_NewRef(Py_None);
  if (v == NULL)
    return -1;
  int rc = PyObject_SetAttrString(exc, name, v);
  Py_DECREF(v);
  return rc;
}

static void
raise_with_message(hicov_state *st, int status, PyObject *message,
                   const HicovDataset *ds)
{
  PyObject *type = exception_for_status(st, status);
  PyObject *exc = PyObject_CallOneArg(type, message);
  if (exc == NULL)
    return;
  /* Parse and limit errors say where: file, line, column, field. */
  if (ds != NULL && (status == HICOV_PARSE || status == HICOV_LIMIT)) {
    const char *file = NULL, *field = NULL;
    long line = 0;
    int column = 0;
    hicov_dataset_error_location(ds, &file, &line, &column, &field);
    if (set_str_attr(exc, "file", file) < 0
        || set_long_attr(exc, "line", line) < 0
        || set_long_attr(exc, "column", column) < 0
        || set_str_attr(exc, "field", field) < 0) {
      Py_DECREF(exc);
      return;
    }
  }
  PyErr_SetObject(type, exc);
  Py_DECREF(exc);
}

int
hicov_check_status(hicov_state *st, int status, const HicovDataset *ds)
{
  if (status == HICOV_OK)
    return 0;
  const char *msg = ds != NULL ? hicov_dataset_errmsg(ds) : NULL;
  if (msg == NULL || msg[0] == '\0')
    msg = hicov_status_string(status);
  if (msg == NULL)
    msg = "unknown error";
  /* Messages quote input bytes, which need not be valid UTF-8. */
  PyObject *message = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg),
                                           "replace");
  if (message == NULL)
    return -1;
  raise_with_message(st, status, message, ds);
  Py_DECREF(message);
  return -1;
}

int
hicov_conflict_arg(hicov_state *st, const char *name)
{
  int policy = hicov_conflict_policy_parse(name ? name : "error");
  if (policy < 0)
    PyErr_Format(st->InvalidError, "on_conflict must be 'error', 'replace' "
                 "or 'keep', not '%s'", name);
  return policy;
}

PyObject *
hicov_merge_stats(const HicovMergeStats *ms)
{
  return Py_BuildValue("{sl sl sl sl}", "added", ms->added, "replaced",
                       ms->replaced, "kept", ms->kept, "unchanged",
                       ms->unchanged);
}

void
hicov_attach_conflicts(const char *conflicts)
{
  if (!PyErr_Occurred())
    return;
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  if (conflicts == NULL)
    conflicts = "";
  PyObject *text = PyUnicode_DecodeUTF8(conflicts, (Py_ssize_t)strlen(conflicts),
                                        "replace");
  PyObject *lines = text ? PyUnicode_Splitlines(text, 0) : NULL;
  if (lines && value)
    PyObject_SetAttrString(value, "conflicts", lines);
  Py_XDECREF(lines);
  Py_XDECREF(text);
  PyErr_Clear(); /* a failure to attach them leaves the merge's exception */
  PyErr_Restore(type, value, tb);
}

int
hicov_check_status_msg(hicov_state *st, int status, const char *msg)
{
  if (status == HICOV_OK)
    return 0;
  if (msg == NULL || msg[0] == '\0')
    msg = hicov_status_string(status);
  if (msg == NULL)
    msg = "unknown error";
  PyObject *message = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg),
                                           "replace");
  if (message == NULL)
    return -1;
  raise_with_message(st, status, message, NULL);
  Py_DECREF(message);
  return -1;
}

int
hicov_raise(hicov_state *st, int status, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  PyObject *message = PyUnicode_FromFormatV(format, ap);
  va_end(ap);
  if (message == NULL)
    return -1;
  raise_with_message(st, status, message, NULL);
  Py_DECREF(message);
  return -1;
}

int
hicov_check_lang(hicov_state *st, const char *lang, int none_ok)
{
  if (lang == NULL ? none_ok
                   : strcmp(lang, "vi") == 0 || strcmp(lang, "en") == 0)
    return 0;
  if (lang == NULL)
    return hicov_raise(st, HICOV_INVALID, "lang must be 'vi' or 'en'");
  return hicov_raise(st, HICOV_INVALID, none_ok
                     ? "lang must be 'vi', 'en' or None, not '%s'"
                     : "lang must be 'vi' or 'en', not '%s'", lang);
}

int
hicov_lang_of_setter(hicov_state *st, PyObject *value, const char **lang)
{
  *lang = NULL;
  if (value == NULL) {
    PyErr_SetString(PyExc_AttributeError, "cannot delete lang");
    return -1;
  }
  if (value != Py_None) {
    if (!PyUnicode_Check(value)) {
      PyErr_Format(PyExc_TypeError, "lang must be a str or None, not %.100s",
                   Py_TYPE(value)->tp_name);
      return -1;
    }
    if ((*lang = PyUnicode_AsUTF8(value)) == NULL)
      return -1;
  }
  return hicov_check_lang(st, *lang, 1);
}

/* ------------------------------------------------------------------------ */
/* Conversions                                                               */

/* An int attribute of obj (year, month, quarter); -1 with no exception
 * when it has none. */
static long
int_attr(PyObject *obj, const char *name)
{
  PyObject *a = PyObject_GetAttrString(obj, name);
  long v = a != NULL && PyLong_Check(a) ? PyLong_AsLong(a) : -1;
  Py_XDECREF(a);
  PyErr_Clear();
  return v;
}

/* pandas.Period by its type name (importing pandas here would tie every
 * period argument to pandas). */
static int
is_pandas_period(PyObject *obj)
{
  const char *name = Py_TYPE(obj)->tp_name;
  const char *dot = strrchr(name, '.');
  return strcmp(dot ? dot + 1 : name, "Period") == 0;
}

/* A pandas Period of a calendar year, quarter or month.  1 done, 0 not a
 * frequency hicov has (*why set), -1 exception. */
static int
period_from_pandas(PyObject *obj, HicovPeriod *out, const char **why)
{
  PyObject *fs = PyObject_GetAttrString(obj, "freqstr");
  if (fs == NULL)
    return -1;
  const char *f = PyUnicode_Check(fs) ? PyUnicode_AsUTF8(fs) : NULL;
  long y = int_attr(obj, "year"), q = int_attr(obj, "quarter"),
       m = int_attr(obj, "month");
  int rc = 1;
  if (f == NULL) {
    rc = -1;
  } else if (!strcmp(f, "A-DEC") || !strcmp(f, "Y-DEC") || !strcmp(f, "A")
             || !strcmp(f, "Y") || !strcmp(f, "YE-DEC")) {
    *out = hicov_period_year((int)y);
  } else if (!strcmp(f, "Q-DEC") || !strcmp(f, "Q") || !strcmp(f, "QE-DEC")) {
    *out = hicov_period_quarter((int)y, (int)q);
  } else if (!strcmp(f, "M") || !strcmp(f, "ME")) {
    *out = hicov_period_month((int)y, (int)m);
  } else {
    *why = "a pandas Period must be of a calendar year ('Y'), quarter "
           "('Q') or month ('M')";
    rc = 0;
  }
  Py_DECREF(fs);
  return rc;
}

int
hicov_convert_period_arg(hicov_state *st, const char *name, PyObject *obj,
                         HicovPeriod *out)
{
  char buf[32];
  const char *why = "a year must be 1900-2200";
  if (PyIndex_Check(obj) && !PyBool_Check(obj)) {
    /* int, numpy.int64 and kin: a year */
    PyObject *i = PyNumber_Index(obj);
    if (i == NULL)
      return -1;
    int overflow = 0;
    long year = PyLong_AsLongAndOverflow(i, &overflow);
    Py_DECREF(i);
    if (year == -1 && PyErr_Occurred())
      return -1;
    if (overflow == 0) {
      snprintf(buf, sizeof buf, "%ld", year);
      if (hicov_period_parse(buf, out) == HICOV_OK
          && out->kind == HICOV_PERIOD_YEAR)
        return 0;
    }
  } else if (PyUnicode_Check(obj)) {
    Py_ssize_t len = 0;
    const char *text = PyUnicode_AsUTF8AndSize(obj, &len);
    if (text == NULL)
      return -1;
    if ((size_t)len == strlen(text) && hicov_period_parse(text, out) == HICOV_OK)
      return 0;
    why = "expected 'YYYY', 'YYYY-Qn', 'YYYY-MM' or 'YYYY-MM/YYYY-MM' "
          "(years 1900-2200)";
  } else if (is_pandas_period(obj)) {
    int rc = period_from_pandas(obj, out, &why);
    if (rc < 0)
      return -1;
    if (rc > 0 && hicov_period_format(*out, buf, sizeof buf) == HICOV_OK
        && hicov_period_parse(buf, out) == HICOV_OK)
      return 0;
    if (rc > 0)
      why = "years 1900-2200";
  } else if (int_attr(obj, "year") >= 0 && int_attr(obj, "month") >= 1
             && PyObject_HasAttrString(obj, "day")) {
    /* datetime.date, datetime.datetime, pandas.Timestamp: its month */
    snprintf(buf, sizeof buf, "%04ld-%02ld", int_attr(obj, "year"),
             int_attr(obj, "month"));
    if (hicov_period_parse(buf, out) == HICOV_OK)
      return 0;
    why = "years 1900-2200";
  } else {
    PyErr_Format(PyExc_TypeError,
                 "%s must be a str such as '2024-Q3', an int year, a pandas "
                 "Period or a date, not %.100s", name, Py_TYPE(obj)->tp_name);
    return -1;
  }
  return hicov_raise(st, HICOV_PARSE, "%s: invalid period %R: %s", name, obj,
                     why);
}

int
hicov_convert_period(hicov_state *st, PyObject *obj, HicovPeriod *out)
{
  return hicov_convert_period_arg(st, "period", obj, out);
}

PyObject *
hicov_period_to_str(HicovPeriod p)
{
  char buf[32];
  if (hicov_period_format(p, buf, sizeof buf) != HICOV_OK) {
    PyErr_Format(PyExc_SystemError, "cannot format period [%d, %d]",
                 p.first, p.last);
    return NULL;
  }
  return PyUnicode_FromString(buf);
}

PyObject *
hicov_month_to_str(int month)
{
  char buf[16];
  int year = month / 12, m = month % 12 + 1;
  snprintf(buf, sizeof buf, "%04d-%02d", year, m);
  return PyUnicode_FromString(buf);
}

PyObject *
hicov_decimal_from_centi(hicov_state *st, int64_t centi)
{
  uint64_t mag = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
  char buf[48];
  int len = snprintf(buf, sizeof buf, "%s%" PRIu64 ".%02" PRIu64,
                     centi < 0 ? "-" : "", mag / 100, mag % 100);
  PyObject *text = PyUnicode_FromStringAndSize(buf, len);
  if (text == NULL)
    return NULL;
  PyObject *value = PyObject_CallOneArg(st->Decimal, text);
  Py_DECREF(text);
  return value;
}

PyObject *
hicov_int64_column(Py_ssize_t n, int64_t **data)
{
  if (n < 0 || (size_t)n > PY_SSIZE_T_MAX / sizeof(int64_t))
    return PyErr_NoMemory();
  PyObject *bytes = PyByteArray_FromStringAndSize(
      NULL, n * (Py_ssize_t)sizeof(int64_t));
  if (bytes != NULL)
    *data = (int64_t *)(void *)PyByteArray_AS_STRING(bytes);
  return bytes;
}

PyObject *
hicov_str_or_none(const char *s)
{
  if (s == NULL || s[0] == '\0')
    Py_RETURN_NONE;
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

PyObject *
hicov_new_columns(const char *const *names)
{
  PyObject *columns = PyDict_New();
  if (columns == NULL)
    return NULL;
  for (size_t i = 0; names[i] != NULL; i++) {
    PyObject *list = PyList_New(0);
    if (list == NULL || PyDict_SetItemString(columns, names[i], list) < 0) {
      Py_XDECREF(list);
      Py_DECREF(columns);
      return NULL;
    }
    Py_DECREF(list);
  }
  return columns;
}

int
hicov_column_append(PyObject *columns, const char *name, PyObject *value)
{
  if (value == NULL)
    return -1;
  PyObject *list = PyDict_GetItemString(columns, name); /* borrowed */
  int rc = -1;
  if (list == NULL)
    PyErr_Format(PyExc_SystemError, "no column %s", name);
  else
    rc = PyList_Append(list, value);
  Py_DECREF(value);
  return rc;
}

PyObject *
hicov_object_array(PyObject *list)
{
  PyObject *numpy = PyImport_ImportModule("numpy");
  if (numpy == NULL)
    return NULL;
  PyObject *array = PyObject_CallMethod(numpy, "fromiter", "Osn", list,
                                        "O", PyList_GET_SIZE(list));
  Py_DECREF(numpy);
  return array;
}

PyObject *
hicov_frame_from_columns(PyObject *columns)
{
  PyObject *frame = NULL, *numpy = NULL, *frombuffer = NULL, *kw = NULL;
  PyObject *data = PyDict_Copy(columns);
  if (data == NULL)
    return NULL;
  /* Columns from hicov_int64_column become numpy int64 arrays over their
   * bytearrays; replacing values of existing keys keeps the column order. */
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(columns, &pos, &key, &value)) {
    if (!PyByteArray_CheckExact(value))
      continue;
    if (frombuffer == NULL
        && ((numpy = PyImport_ImportModule("numpy")) == NULL
            || (frombuffer = PyObject_GetAttrString(numpy, "frombuffer"))
                   == NULL
            || (kw = Py_BuildValue("{ss}", "dtype", "int64")) == NULL))
      goto done;
    PyObject *args = PyTuple_Pack(1, value);
    PyObject *array = args ? PyObject_Call(frombuffer, args, kw) : NULL;
    Py_XDECREF(args);
    if (array == NULL || PyDict_SetItem(data, key, array) < 0) {
      Py_XDECREF(array);
      goto done;
    }
    Py_DECREF(array);
  }
  PyObject *pandas = PyImport_ImportModule("pandas");
  if (pandas != NULL) {
    frame = PyObject_CallMethod(pandas, "DataFrame", "O", data);
    Py_DECREF(pandas);
  }
done:
  Py_XDECREF(kw);
  Py_XDECREF(frombuffer);
  Py_XDECREF(numpy);
  Py_DECREF(data);
  return frame;
}

/* ------------------------------------------------------------------------ */
/* Module functions                                                          */

static PyObject *
demo_impl(hicov_state *st)
{
  HicovDataset *ds = NULL;
  int rc = hicov_dataset_new(&ds);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  rc = hicov_dataset_load_demo(ds);
  if (hicov_check_status(st, rc, ds) < 0) {
    hicov_dataset_free(ds);
    return NULL;
  }
  return hicov_dataset_wrap(st, ds);
}

PyDoc_STRVAR(demo_doc,
"demo($module, /)\n--\n\n"
"Returns Dataset.\n\n"
"The built-in demo dataset: published figures for Lang Son, Quang Ninh,\n"
"Hoa Binh and Viet Nam with synthetic communes, and Lang Son's resolutions.");

static PyObject *
hicov_demo(PyObject *module, PyObject *Py_UNUSED(ignored))
{
  return demo_impl(hicov_get_state(module));
}

static PyObject *
load_impl(hicov_state *st, const char *dir, int strict, const char *lang)
{
  HicovDataset *ds = NULL;
  int rc = hicov_dataset_new(&ds);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  hicov_dataset_set_lang(ds, lang);
  /* No other thread can see the new dataset: reading files runs without
   * the GIL. */
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_dataset_load_dir(ds, dir,
                              strict ? HICOV_LOAD_STRICT : HICOV_LOAD_LENIENT);
  Py_END_ALLOW_THREADS
  if (hicov_check_status(st, rc, ds) < 0) {
    hicov_dataset_free(ds);
    return NULL;
  }
  return hicov_dataset_wrap(st, ds);
}

PyDoc_STRVAR(load_doc,
"load($module, /, path, strict=True, *, lang=None)\n--\n\n"
"Returns Dataset.\n\n"
"Loads a dataset folder holding units.csv and values.csv (and\n"
"crosswalk.csv, the shares of divided units, when it has one).  In strict mode\n"
"the first malformed row raises ParseError (with file, line, column and\n"
"field attributes); otherwise rejected rows are skipped and listed in\n"
"Dataset.rejections.  lang ('vi', 'en', None: the process's) is the\n"
"dataset's language (Dataset.lang), that of these messages included.");

static PyObject *
hicov_load(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "strict", "lang", NULL};
  PyObject *path = NULL;
  int strict = 1;
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|p$z:load", keywords,
                                   PyUnicode_FSConverter, &path, &strict,
                                   &lang))
    return NULL;
  hicov_state *st = hicov_get_state(module);
  if (lang != NULL && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0) {
    Py_DECREF(path);
    return PyErr_Format(st->InvalidError,
                        "lang must be 'vi', 'en' or None, not '%s'", lang);
  }
  PyObject *result = load_impl(st, PyBytes_AS_STRING(path), strict, lang);
  Py_DECREF(path);
  return result;
}

static const char *
indicator_kind_name(int kind)
{
  switch (kind) {
  case HICOV_IND_LEVEL: return "level";
  case HICOV_IND_GROWTH: return "growth";
  case HICOV_IND_CHANGE: return "change";
  default: return "unknown";
  }
}

static PyObject *
indicators_impl(void)
{
  static const char *const names[] = {"name", "kind", "unit", "is_rate",
                                      "label", "formula", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_indicator_count();
  for (size_t i = 0; i < n; i++) {
    const HicovIndicatorInfo *info = hicov_indicator_info(i);
    if (info == NULL)
      continue;
    if (hicov_column_append(cols, "name", PyUnicode_FromString(info->name)) < 0
        || hicov_column_append(cols, "kind", PyUnicode_FromString(
               indicator_kind_name(info->kind))) < 0
        || hicov_column_append(cols, "unit", hicov_str_or_none(info->unit)) < 0
        || hicov_column_append(cols, "is_rate",
                               PyBool_FromLong(info->is_rate)) < 0
        || hicov_column_append(cols, "label", hicov_str_or_none(info->label)) < 0
        || hicov_column_append(cols, "formula",
                               hicov_str_or_none(info->formula)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

PyDoc_STRVAR(indicators_doc,
"indicators($module, /)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"The indicator catalogue: name, kind, unit, is_rate, label, formula.\n"
"Every level indicator X also has a generated X_growth.");

static PyObject *
hicov_indicators(PyObject *module, PyObject *Py_UNUSED(ignored))
{
  return indicators_impl();
}

static const char *
measure_kind_name(int kind)
{
  switch (kind) {
  case HICOV_MEASURE_STOCK: return "stock";
  case HICOV_MEASURE_FLOW: return "flow";
  case HICOV_MEASURE_DISTINCT: return "distinct";
  default: return "unknown";
  }
}

static PyObject *
measures_impl(void)
{
  static const char *const names[] = {"name", "kind", "unit", "label", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_measure_count();
  for (size_t i = 0; i < n; i++) {
    const HicovMeasureInfo *info = hicov_measure_info(i);
    if (info == NULL)
      continue;
    if (hicov_column_append(cols, "name", PyUnicode_FromString(info->name)) < 0
        || hicov_column_append(cols, "kind", PyUnicode_FromString(
               measure_kind_name(info->kind))) < 0
        || hicov_column_append(cols, "unit", hicov_str_or_none(info->unit)) < 0
        || hicov_column_append(cols, "label",
                               hicov_str_or_none(info->label)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

PyDoc_STRVAR(measures_doc,
"measures($module, /)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"The measures values.csv may hold: name, kind (stock, flow, distinct),\n"
"unit, label.");

static PyObject *
hicov_measures(PyObject *module, PyObject *Py_UNUSED(ignored))
{
  return measures_impl();
}

static PyObject *
period_impl(hicov_state *st, PyObject *obj)
{
  HicovPeriod p;
  if (hicov_convert_period(st, obj, &p) < 0)
    return NULL;
  return hicov_period_to_str(p);
}

PyDoc_STRVAR(period_doc,
"period($module, p, /)\n--\n\n"
"Returns str.\n\n"
"Canonical text of a period given as text ('2024', '2024-Q3', '2024-10',\n"
"'2025-01/2025-10'), an int year (numpy integers too), a pandas Period\n"
"of a year, quarter or month, or a date (datetime.date, datetime,\n"
"pandas.Timestamp: the month it falls in); raises ParseError for\n"
"malformed text, TypeError for other types.");

static PyObject *
hicov_period(PyObject *module, PyObject *obj)
{
  return period_impl(hicov_get_state(module), obj);
}

/* One key; names up to a few dozen characters fit the stack buffer, longer
 * ones are measured first. */
static PyObject *
collate_key_impl(const char *s)
{
  unsigned char buf[512];
  size_t n = hicov_collate_key(s, buf, sizeof buf);
  if (n < sizeof buf)
    return PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)n);
  if (n > (size_t)PY_SSIZE_T_MAX - 1)
    return PyErr_NoMemory();
  PyObject *key = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
  if (key == NULL)
    return NULL;
  /* a bytes object has room for a NUL after its n bytes */
  hicov_collate_key(s, (unsigned char *)PyBytes_AS_STRING(key), n + 1);
  return key;
}

PyDoc_STRVAR(collate_key_doc,
"collate_key($module, name, /)\n--\n\n"
"Returns bytes.\n\n"
"Sort key of a name in Vietnamese order, the order hicov gives units\n"
"everywhere (children, tables, the dashboard): sorted(names,\n"
"key=hicov.collate_key).  Letters in the Vietnamese alphabet\n"
"(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), then tones\n"
"(none, huyền, hỏi, ngã, sắc, nặng), then case, each only where what\n"
"comes before is equal; numbers by value ('Xã 2' < 'Xã 10'); NFC and NFD\n"
"alike; the same on every machine, whatever the locale (ICU's 'vi'\n"
"order with numeric collation).  Keys of different names differ.  Keys\n"
"may change between hicov versions: sort with them, do not store them.\n"
"Raises ValueError for a name with a NUL character.");

static PyObject *
hicov_collate_key_py(PyObject *module, PyObject *obj)
{
  Py_ssize_t len;
  if (!PyUnicode_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "collate_key() expects a str, not %.100s",
                 Py_TYPE(obj)->tp_name);
    return NULL;
  }
  const char *s = PyUnicode_AsUTF8AndSize(obj, &len);
  if (s == NULL)
    return NULL;
  if ((size_t)len != strlen(s)) {
    PyErr_SetString(PyExc_ValueError, "collate_key(): embedded null character");
    return NULL;
  }
  return collate_key_impl(s);
}

/* ------------------------------------------------------------------------ */
/* Labels from the core's one catalogue                                      */

/* lang: 'vi', 'en' or None (the process's language, as gettext picks it). */
static int
label_lang(hicov_state *st, const char *lang)
{
  if (lang == NULL || strcmp(lang, "vi") == 0 || strcmp(lang, "en") == 0)
    return 0;
  PyErr_Format(st->InvalidError, "lang must be 'vi', 'en' or None, not '%s'",
               lang);
  return -1;
}

PyDoc_STRVAR(group_label_doc,
"group_label($module, /, code, lang=None)\n--\n\n"
"Returns str or None.\n\n"
"The name of a beneficiary group ('HN': 'Poor households', 'Hộ nghèo') in\n"
"lang ('vi', 'en'; None: the process's language), or None for an\n"
"unknown code.  The same names the dashboard, the charts and the reports\n"
"use.");

static PyObject *
hicov_group_label_py(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"code", "lang", NULL};
  const char *code, *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|z:group_label", keywords,
                                   &code, &lang)
      || label_lang(hicov_get_state(module), lang) < 0)
    return NULL;
  return hicov_str_or_none(hicov_group_label_lang(code, lang));
}

PyDoc_STRVAR(level_label_doc,
"level_label($module, /, level, lang=None)\n--\n\n"
"Returns str.\n\n"
"The name of a unit level (a name such as 'province' or its number) in\n"
"lang: 'Province' / 'Tỉnh'.");

static PyObject *
hicov_level_label_py(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"level", "lang", NULL};
  PyObject *obj;
  const char *lang = NULL;
  hicov_state *st = hicov_get_state(module);
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|z:level_label", keywords,
                                   &obj, &lang)
      || label_lang(st, lang) < 0)
    return NULL;
  long level = -1;
  if (PyUnicode_Check(obj)) {
    const char *name = PyUnicode_AsUTF8(obj);
    if (name == NULL)
      return NULL;
    level = hicov_level_parse(name);
  } else if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    level = PyLong_AsLong(obj);
    if (level == -1 && PyErr_Occurred())
      return NULL;
  } else {
    return PyErr_Format(PyExc_TypeError,
                        "level must be a str or int, not %.100s",
                        Py_TYPE(obj)->tp_name);
  }
  const char *label = level >= 0 && level <= HICOV_LEVEL_FACILITY
                          ? hicov_level_label((int)level, lang) : NULL;
  if (label == NULL)
    return PyErr_Format(st->InvalidError, "invalid level %R: expected "
                        "'country', 'province', 'district', 'commune' or "
                        "'facility'", obj);
  return PyUnicode_FromString(label);
}

PyDoc_STRVAR(indicator_label_doc,
"indicator_label($module, /, name, lang=None)\n--\n\n"
"Returns str.\n\n"
"The label of an indicator or measure in lang: 'coverage_rate' gives\n"
"'Coverage rate' / 'Tỷ lệ bao phủ BHYT'.");

static PyObject *
hicov_indicator_label_py(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"name", "lang", NULL};
  const char *name, *lang = NULL;
  hicov_state *st = hicov_get_state(module);
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|z:indicator_label",
                                   keywords, &name, &lang)
      || label_lang(st, lang) < 0)
    return NULL;
  const HicovIndicatorInfo *info = hicov_indicator_find(name);
  if (info == NULL)
    return PyErr_Format(st->NotFoundError, "unknown indicator '%s'", name);
  return PyUnicode_FromString(hicov_indicator_label(info, lang));
}

PyDoc_STRVAR(text_lang_doc,
"text_lang($module, /, lang=None)\n--\n\n"
"Returns str.\n\n"
"'vi' or 'en': the language hicov writes for lang; for None, the process's\n"
"language as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), even\n"
"when that locale is not installed.  Any other lang raises InvalidError,\n"
"as every lang= does.");

static PyObject *
hicov_text_lang_py(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"lang", NULL};
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|z:text_lang", keywords,
                                   &lang)
      || label_lang(hicov_get_state(module), lang) < 0)
    return NULL;
  return PyUnicode_FromString(hicov_text_lang(lang));
}

PyDoc_STRVAR(coverage_rate_doc,
"coverage_rate($module, /, participants, population, *, out=None)\n--\n\n"
"Returns numpy.ndarray.\n\n"
"100 * participants / population elementwise; NaN where an input is NaN\n"
"or population <= 0.  Inputs are contiguous buffers of doubles (used\n"
"without copying), other arrays or sequences (converted), or scalars;\n"
"shapes broadcast as in numpy.  pandas Series are aligned by label, not\n"
"position (on the union of their indexes, NaN where a label is missing,\n"
"as pandas arithmetic), and the result is a Series on that index;\n"
"nullable dtypes (Int64, Float64) count <NA> as NaN.  out= a writable\n"
"C-contiguous float64 array of the result's shape receives the result\n"
"and is returned (an input sharing its memory is read as it was, as by\n"
"numpy's ufuncs).  Returns a float when every input is a scalar.  The\n"
"same holds for growth, cagr and ratio.");
PyDoc_STRVAR(growth_doc,
"growth($module, /, current, previous, *, out=None)\n--\n\n"
"Returns numpy.ndarray.\n\n"
"Percent change 100 * (current - previous) / previous elementwise; NaN\n"
"where previous is 0 or an input is NaN; inputs broadcast and align as\n"
"in coverage_rate.");
PyDoc_STRVAR(cagr_doc,
"cagr($module, /, first, last, years, *, out=None)\n--\n\n"
"Returns numpy.ndarray.\n\n"
"Compound annual growth rate in percent per year,\n"
"((last / first) ** (1 / years) - 1) * 100; inputs broadcast and align as\n"
"in coverage_rate.");
PyDoc_STRVAR(ratio_doc,
"ratio($module, /, num, den, scale=1.0, *, out=None)\n--\n\n"
"Returns numpy.ndarray.\n\n"
"scale * num / den elementwise; NaN where den is 0 or an input is NaN;\n"
"inputs broadcast and align as in coverage_rate.");

PyDoc_STRVAR(read_claims_doc,
"read_claims($module, /, paths, dataset=None, threads=0, progress=None, "
"strict=False, max_messages=1000, source='claims', errors='raise', *, "
"lang=None)\n--\n\n"
"Returns Claims.\n\n"
"Reads BHYT claims (XML1 summaries: GIAMDINHHS envelopes, plain TONG_HOP\n"
"XML or CSV) from a file, a folder (searched recursively) or a list of\n"
"them, with `threads` worker threads (0: one per CPU), without the GIL.\n"
"progress(bytes_done, bytes_total, files_done, files_total, records) is\n"
"called about five times a second; an exception it raises cancels the\n"
"read and propagates.  A file that fails (cannot be read, is not a regular\n"
"file, is refused, changes while it is read, hits a limit, or the\n"
"temporary files fail) raises its error (FileError, ParseError,\n"
"LimitError, SumOverflowError), with the accumulator as exc.claims; with\n"
"errors='collect' it is counted instead (its records rejected) and listed\n"
"in Claims.rejections (Claims.check() raises it later).  strict=True also\n"
"raises for the first rejected record.  A folder met again through a link\n"
"is read once and noted in Claims.notes.\n"
"With a dataset, the claims are added to it (Claims.to_dataset).\n"
"lang ('vi', 'en', None: the process's) is the language of the messages\n"
"(Claims.lang): rejections, notes and the errors raised; their kind,\n"
"reason, file, record and field are the same in every language.\n"
"Memory stays bounded while reading: duplicate keys and patient entries\n"
"beyond about 10 MB, and cells beyond 524,288, go to temporary files in\n"
"$TMPDIR (read from os.environ when they are created; a missing or full\n"
"directory raises FileError); the cells come back into memory when a\n"
"DataFrame or the dataset needs them.");
PyDoc_STRVAR(load_resolution_doc,
"load_resolution($module, /, path)\n--\n\n"
"Returns Resolution.\n\n"
"Reads a resolution file (XML, schema reports/resolution.xsd); raises\n"
"ParseError, LimitError or FileError with the file and line.");

PyDoc_STRVAR(read_workbook_doc,
"read_workbook($module, source, /, *, dataset=None, strict=True, "
"mapping=None, format=None, name=None, **mapping_keys)\n--\n\n"
"Returns dict.\n\n"
"Reads the values of a workbook (XLSX, ODS or CSV; source is a path or\n"
"bytes, with format= and name= for bytes) against the units of dataset\n"
"(default: the demo's), without changing it. mapping is a mapping file's\n"
"path, a dict for one sheet or a list of dicts; keyword arguments are\n"
"mapping keys for the last sheet (sheet, layout, header_row, unit_column,\n"
"period, measure, ...; README: Workbooks). Returns {'values': DataFrame\n"
"(unit, period, measure, group, value, cell), 'rejections': DataFrame\n"
"(cell, sheet, row, column, expected, found, message), 'unmatched':\n"
"DataFrame (text, cell, cells, ambiguous, candidates), 'notes': list,\n"
"'counts': {read, accepted, rejected, missing, rows_skipped, sheets}}.\n"
"Strict: a rejected cell raises ParseError, whose .rejections,\n"
".unmatched and .counts say everything that was wrong.");
PyDoc_STRVAR(write_table_doc,
"write_table($module, /, path, frame, sheet='Sheet1', percent=(), "
"decimals=None, index=False)\n--\n\n"
"Writes a DataFrame as XLSX, ODS or CSV (by path's extension) with the\n"
"C writer, atomically: bold frozen headings, integer columns as #,##0,\n"
"float columns with 2 decimals (decimals= an int or {column: int}), the\n"
"columns named in percent (a name or a list of names) as 0.0% (values in\n"
"percent: 94.1), other columns as text; missing values (None, NaN, pd.NA,\n"
"NaT) are empty cells.  Integers are exact: one beyond 2**53 in magnitude,\n"
"which a spreadsheet's number (a double) could round, is written as its\n"
"digits in a text cell (in CSV, the same digits).  ValueError for a name\n"
"in percent or decimals that is not a column, or a column name used twice.");

static PyMethodDef hicov_methods[] = {
  {"demo", hicov_demo, METH_NOARGS, demo_doc},
  {"load", (PyCFunction)(void (*)(void))hicov_load,
   METH_VARARGS | METH_KEYWORDS, load_doc},
  {"indicators", hicov_indicators, METH_NOARGS, indicators_doc},
  {"measures", hicov_measures, METH_NOARGS, measures_doc},
  {"period", hicov_period, METH_O, period_doc},
  {"collate_key", hicov_collate_key_py, METH_O, collate_key_doc},
  {"coverage_rate", (PyCFunction)(void (*)(void))hicov_coverage_rate,
   METH_VARARGS | METH_KEYWORDS, coverage_rate_doc},
  {"growth", (PyCFunction)(void (*)(void))hicov_growth,
   METH_VARARGS | METH_KEYWORDS, growth_doc},
  {"cagr", (PyCFunction)(void (*)(void))hicov_cagr,
   METH_VARARGS | METH_KEYWORDS, cagr_doc},
  {"ratio", (PyCFunction)(void (*)(void))hicov_ratio,
   METH_VARARGS | METH_KEYWORDS, ratio_doc},
  {"read_claims", (PyCFunction)(void (*)(void))hicov_read_claims,
   METH_VARARGS | METH_KEYWORDS, read_claims_doc},
  {"load_resolution", (PyCFunction)(void (*)(void))hicov_load_resolution,
   METH_VARARGS | METH_KEYWORDS, load_resolution_doc},
  {"group_label", (PyCFunction)(void (*)(void))hicov_group_label_py,
   METH_VARARGS | METH_KEYWORDS, group_label_doc},
  {"level_label", (PyCFunction)(void (*)(void))hicov_level_label_py,
   METH_VARARGS | METH_KEYWORDS, level_label_doc},
  {"indicator_label", (PyCFunction)(void (*)(void))hicov_indicator_label_py,
   METH_VARARGS | METH_KEYWORDS, indicator_label_doc},
  {"text_lang", (PyCFunction)(void (*)(void))hicov_text_lang_py,
   METH_VARARGS | METH_KEYWORDS, text_lang_doc},
  {"read_workbook", (PyCFunction)(void (*)(void))hicov_read_workbook,
   METH_VARARGS | METH_KEYWORDS, read_workbook_doc},
  {"write_table", (PyCFunction)(void (*)(void))hicov_write_table,
   METH_VARARGS | METH_KEYWORDS, write_table_doc},
  {"from_frames", (PyCFunction)(void (*)(void))hicov_from_frames,
   METH_VARARGS | METH_KEYWORDS,
   "from_frames($module, /, units, values, *, lang=None)\n--\n\n"
   "Returns Dataset.\n\n"
   "A dataset from two pandas DataFrames with the columns of units.csv\n"
   "(code, name, parent, level; tier, valid_to, successor, valid_from,\n"
   "synthetic) and of values.csv (unit, period, measure, value; group,\n"
   "source): the frames Dataset.to_frames() returns, or Dataset.values()\n"
   "for the values.  Cells are taken as pandas holds them (str, category,\n"
   "int64, nullable Int64, float64 with whole values for codes and years,\n"
   "datetime for valid_to and valid_from, pandas Periods of years,\n"
   "quarters and months, Decimal or float values) and checked by the rules\n"
   "of hicov.load; missing cells are empty fields.  A cell that does not\n"
   "fit raises ParseError naming the frame, row (iloc), index label and\n"
   "column, what was expected and what was found (attributes frame, row,\n"
   "index, field, rejections)."},
  {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------------------------ */
/* Module init                                                               */

/* Creates exception `name` with the given bases, adds it to the module and
 * stores a strong reference in *slot.  `dict` may be NULL. */
static int
add_exception(PyObject *module, PyObject **slot, const char *name,
              const char *doc, PyObject *bases, PyObject *dict)
{
  PyObject *exc = PyErr_NewExceptionWithDoc(name, doc, bases, dict);
  if (exc == NULL)
    return -1;
  *slot = exc;
  return PyModule_AddObjectRef(module, strrchr(name, '.') + 1, exc);
}

static int
add_subclass(PyObject *module, hicov_state *st, PyObject **slot,
             const char *name, const char *doc, PyObject *builtin,
             PyObject *dict)
{
  PyObject *bases = PyTuple_Pack(2, st->Error, builtin);
  if (bases == NULL)
    return -1;
  int rc = add_exception(module, slot, name, doc, bases, dict);
  Py_DECREF(bases);
  return rc;
}

static int
add_exceptions(PyObject *module, hicov_state *st)
{
  if (add_exception(module, &st->Error, "hicov.Error",
                    "Base class of every error raised by hicov.",
                    NULL, NULL) < 0)
    return -1;

  /* ParseError carries where: defaults on the class, set per instance. */
  PyObject *parse_dict = Py_BuildValue("{sOsOsOsO}", "file", Py_None,
                                       "line", Py_None, "column", Py_None,
                                       "field", Py_None);
  if (parse_dict == NULL)
    return -1;
  int rc = add_subclass(module, st, &st->ParseError, "hicov.ParseError",
                        "Malformed input.  Attributes file, line, column "
                        "(1-based) and field say where, or are None.",
                        PyExc_ValueError, parse_dict);
  if (rc == 0)
    rc = add_subclass(module, st, &st->LimitError, "hicov.LimitError",
                      "Input exceeds a documented limit (size, depth, count).",
                      PyExc_ValueError, parse_dict);
  Py_DECREF(parse_dict);
  if (rc < 0)
    return -1;

  /* KeyError.__str__ quotes its message; ours reads as a sentence. */
  PyObject *str = PyObject_GetAttrString(PyExc_BaseException, "__str__");
  if (str == NULL)
    return -1;
  PyObject *nf_dict = Py_BuildValue("{sO}", "__str__", str);
  Py_DECREF(str);
  if (nf_dict == NULL)
    return -1;
  rc = add_subclass(module, st, &st->NotFoundError, "hicov.NotFoundError",
                    "Unknown unit, indicator, measure or group.",
                    PyExc_KeyError, nf_dict);
  Py_DECREF(nf_dict);
  if (rc < 0)
    return -1;

  if (add_subclass(module, st, &st->InvalidError, "hicov.InvalidError",
                   "An argument or a value is invalid.",
                   PyExc_ValueError, NULL) < 0
      || add_subclass(module, st, &st->FileError, "hicov.FileError",
                      "A file could not be opened, read or written.",
                      PyExc_OSError, NULL) < 0
      || add_subclass(module, st, &st->NoMemoryError, "hicov.NoMemoryError",
                      "The core ran out of memory.",
                      PyExc_MemoryError, NULL) < 0
      || add_subclass(module, st, &st->MissingError, "hicov.MissingError",
                      "A value cannot be computed from the data.",
                      PyExc_ValueError, NULL) < 0
      || add_subclass(module, st, &st->SumOverflowError,
                      "hicov.SumOverflowError",
                      "An exact sum would overflow 64 bits.",
                      PyExc_OverflowError, NULL) < 0
      || add_subclass(module, st, &st->UnsupportedError,
                      "hicov.UnsupportedError",
                      "A feature this build or format does not support.",
                      PyExc_NotImplementedError, NULL) < 0)
    return -1;
  return 0;
}

static PyStructSequence_Field result_fields[] = {
  {"value", "the value, NaN when missing"},
  {"status", "'ok' or 'missing'"},
  {"reason", "why the value is missing, '' when it is not"},
  /* an attribute, not in the tuple: (value, status, reason) unpacks as
     before */
  {"estimate", "True when the value rests on the share of a divided unit "
               "(crosswalk.csv): an estimate"},
  {NULL, NULL}
};

static PyStructSequence_Desc result_desc = {
  "hicov.Result",
  "Result of one indicator evaluation: (value, status, reason).",
  result_fields, 3
};

static PyStructSequence_Field load_stats_fields[] = {
  {"read", "rows read over all loads"},
  {"accepted", "rows accepted"},
  {"rejected", "rows rejected (lenient mode)"},
  {NULL, NULL}
};

static PyStructSequence_Desc load_stats_desc = {
  "hicov.LoadStats",
  "Row accounting of a dataset's loads: read = accepted + rejected.",
  load_stats_fields, 3
};

static int
add_type(PyObject *module, PyTypeObject **slot, PyTypeObject *type)
{
  if (type == NULL)
    return -1;
  *slot = type;
  return PyModule_AddObjectRef(module, strrchr(type->tp_name, '.') + 1,
                               (PyObject *)type);
}

static int
hicov_exec(PyObject *module)
{
  hicov_state *st = hicov_get_state(module);

  if (add_exceptions(module, st) < 0)
    return -1;
  PyObject *decimal = PyImport_ImportModule("decimal");
  if (decimal == NULL)
    return -1;
  st->Decimal = PyObject_GetAttrString(decimal, "Decimal");
  Py_DECREF(decimal);
  if (st->Decimal == NULL)
    return -1;
  if (add_type(module, &st->DatasetType,
               (PyTypeObject *)PyType_FromModuleAndSpec(
                   module, &hicov_dataset_spec, NULL)) < 0
      || add_type(module, &st->ResolutionType,
                  (PyTypeObject *)PyType_FromModuleAndSpec(
                      module, &hicov_resolution_spec, NULL)) < 0
      || add_type(module, &st->ResultType,
                  PyStructSequence_NewType(&result_desc)) < 0
      || add_type(module, &st->LoadStatsType,
                  PyStructSequence_NewType(&load_stats_desc)) < 0
      || add_type(module, &st->ChartType,
                  (PyTypeObject *)PyType_FromModuleAndSpec(
                      module, &hicov_chart_spec, NULL)) < 0
      || add_type(module, &st->ClaimsType,
                  (PyTypeObject *)PyType_FromModuleAndSpec(
                      module, &hicov_claims_spec, NULL)) < 0
      || add_type(module, &st->ClaimsCountsType,
                  PyStructSequence_NewType(&hicov_claims_counts_desc)) < 0
      || add_type(module, &st->ClaimsTotalsType,
                  PyStructSequence_NewType(&hicov_claims_totals_desc)) < 0
      || add_type(module, &st->ReportType,
                  (PyTypeObject *)PyType_FromModuleAndSpec(
                      module, &hicov_report_spec, NULL)) < 0
      || add_type(module, &st->AdxStatsType,
                  PyStructSequence_NewType(&hicov_adx_stats_desc)) < 0)
    return -1;

  if (PyModule_AddStringConstant(module, "__version__", hicov_version()) < 0
      || PyModule_AddStringConstant(module, "HEADER_VERSION",
                                    HICOV_VERSION_STRING) < 0)
    return -1;
  return 0;
}

static int
hicov_traverse(PyObject *module, visitproc visit, void *arg)
{
  hicov_state *st = hicov_get_state(module);
  Py_VISIT(st->Error);
  Py_VISIT(st->ParseError);
  Py_VISIT(st->NotFoundError);
  Py_VISIT(st->InvalidError);
  Py_VISIT(st->FileError);
  Py_VISIT(st->LimitError);
  Py_VISIT(st->NoMemoryError);
  Py_VISIT(st->MissingError);
  Py_VISIT(st->SumOverflowError);
  Py_VISIT(st->UnsupportedError);
  Py_VISIT(st->DatasetType);
  Py_VISIT(st->ResolutionType);
  Py_VISIT(st->ResultType);
  Py_VISIT(st->LoadStatsType);
  Py_VISIT(st->ChartType);
  Py_VISIT(st->ClaimsType);
  Py_VISIT(st->ClaimsCountsType);
  Py_VISIT(st->ClaimsTotalsType);
  Py_VISIT(st->ReportType);
  Py_VISIT(st->AdxStatsType);
  Py_VISIT(st->Decimal);
  return 0;
}

static int
hicov_clear(PyObject *module)
{
  hicov_state *st = hicov_get_state(module);
  Py_CLEAR(st->Error);
  Py_CLEAR(st->ParseError);
  Py_CLEAR(st->NotFoundError);
  Py_CLEAR(st->InvalidError);
  Py_CLEAR(st->FileError);
  Py_CLEAR(st->LimitError);
  Py_CLEAR(st->NoMemoryError);
  Py_CLEAR(st->MissingError);
  Py_CLEAR(st->SumOverflowError);
  Py_CLEAR(st->UnsupportedError);
  Py_CLEAR(st->DatasetType);
  Py_CLEAR(st->ResolutionType);
  Py_CLEAR(st->ResultType);
  Py_CLEAR(st->LoadStatsType);
  Py_CLEAR(st->ChartType);
  Py_CLEAR(st->ClaimsType);
  Py_CLEAR(st->ClaimsCountsType);
  Py_CLEAR(st->ClaimsTotalsType);
  Py_CLEAR(st->ReportType);
  Py_CLEAR(st->AdxStatsType);
  Py_CLEAR(st->Decimal);
  return 0;
}

static void
hicov_free_module(void *module)
{
  (void)hicov_clear((PyObject *)module);
}

static PyModuleDef_Slot hicov_slots[] = {
  {Py_mod_exec, hicov_exec},
  {0, NULL}
};

PyDoc_STRVAR(module_doc,
"Health-insurance (BHYT) coverage and expenditure indicators.\n\n"
"A thin binding of the hicov C core: every number is computed by the core.");

PyModuleDef hicov_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "hicov._hicov",
  .m_doc = module_doc,
  .m_size = sizeof(hicov_state),
  .m_methods = hicov_methods,
  .m_slots = hicov_slots,
  .m_traverse = hicov_traverse,
  .m_clear = hicov_clear,
  .m_free = hicov_free_module,
};

PyMODINIT_FUNC PyInit__hicov(void);

PyMODINIT_FUNC
PyInit__hicov(void)
{
  return PyModuleDef_Init(&hicov_module);
}
