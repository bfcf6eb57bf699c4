/* equity.c - Dataset.equity(): the core's equity measures across units
 * (hicov_equity_on) as a dict, or a DataFrame with a row per year.  The
 * numbers all come from the core. */
#include "_hicov.h"

#include <math.h>
#include <string.h>

#define DS(self) (((DatasetObject *)(self))->ds)

const char hicov_dataset_equity_doc[] =
"equity($self, /, indicator, unit, level, period, order=None, lang=None, "
"group=None)\n"
"--\n\n"
"How unequal indicator is across the units at level (a name or a\n"
"HicovLevel) below unit, weighted by population at the end of the\n"
"period, in the summary measures of WHO's Health Equity Assessment\n"
"Toolkit (hicov_equity; the README's \"Equity across units\").\n\n"
"period is a period (\"2025\", 2025, \"2025-Q2\"): the result is a dict\n"
"with status ('ok' or 'missing'), reason, n_units, n_used, population,\n"
"mean, high, low, high_unit, low_unit, difference, ratio, idis, idis_w,\n"
"bgv, theil, mld (plain, not x1000), par, paf, direction (+1 when higher\n"
"is favourable), ordered, n_ordered, intercept, sii, rii, estimate and\n"
"excluded (a list of dicts: unit, ordering_only, reason in lang).\n"
"A range or list of years gives a pandas.DataFrame indexed by year with\n"
"those columns except excluded, every year on the boundaries of the\n"
"last.  order names the ordering indicator of SII and RII (units ranked\n"
"by it, lowest first; weighted least squares on population ridits).\n"
"Missing measures are NaN.";

static int
set_item(PyObject *d, const char *key, PyObject *v)
{
  if (v == NULL)
    return -1;
  int rc = PyDict_SetItemString(d, key, v);
  Py_DECREF(v);
  return rc;
}

static PyObject *
excluded_list(const HicovEquity *e)
{
  PyObject *list = PyList_New(0);
  for (size_t i = 0; list != NULL && i < e->n_excluded; i++) {
    PyObject *d = Py_BuildValue("{s:s,s:O,s:s}", "unit", e->excluded[i].unit,
                                "ordering_only",
                                e->excluded[i].ordering_only ? Py_True
                                                             : Py_False,
                                "reason", e->excluded[i].reason);
    if (d == NULL || PyList_Append(list, d) < 0) {
      Py_XDECREF(d);
      Py_CLEAR(list);
      break;
    }
    Py_DECREF(d);
  }
  return list;
}

/* The fields of e into the dict d (without "excluded"). */
static int
fill(PyObject *d, const HicovEquity *e)
{
  if (set_item(d, "status", PyUnicode_FromString(e->status == HICOV_OK
                                                 ? "ok" : "missing")) < 0
      || set_item(d, "reason", PyUnicode_FromString(e->reason)) < 0
      || set_item(d, "n_units", PyLong_FromSize_t(e->n_units)) < 0
      || set_item(d, "n_used", PyLong_FromSize_t(e->n_used)) < 0
      || set_item(d, "population", PyFloat_FromDouble(e->population)) < 0
      || set_item(d, "high_unit", hicov_str_or_none(e->high_unit)) < 0
      || set_item(d, "low_unit", hicov_str_or_none(e->low_unit)) < 0
      || set_item(d, "direction", PyLong_FromLong(e->direction)) < 0
      || set_item(d, "ordered", PyBool_FromLong(e->ordered)) < 0
      || set_item(d, "n_ordered", PyLong_FromSize_t(e->n_ordered)) < 0
      || set_item(d, "intercept", PyFloat_FromDouble(e->intercept)) < 0
      || set_item(d, "estimate", PyBool_FromLong(e->estimate)) < 0)
    return -1;
  for (int m = 0; m < HICOV_N_EQ; m++)
    if (set_item(d, hicov_equity_measure_name(m),
                 PyFloat_FromDouble(hicov_equity_get(e, m))) < 0)
      return -1;
  return 0;
}

/* The years of a range or a list/tuple of years (ints, or periods that
 * are whole years: '2024') into years[]; 0 when obj
 * is none of those (a single period), -1 on error. */
static Py_ssize_t
years_of(hicov_state *st, PyObject *obj, int *years, Py_ssize_t max)
{
  if (!PyRange_Check(obj) && !PyList_Check(obj) && !PyTuple_Check(obj))
    return 0;
  PyObject *seq = PySequence_Fast(obj, "period must be a sequence");
  if (seq == NULL)
    return -1;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  if (n < 1 || n > max) {
    Py_DECREF(seq);
    PyErr_Format(PyExc_ValueError, "period: expected 1 to %zd years, found "
                 "%zd", max, n);
    return -1;
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
    long y;
    if (PyLong_Check(item) || PyIndex_Check(item)) {
      y = PyLong_AsLong(item);
    } else {
      /* '2024', a pandas Period of a year...: any period that is a whole
         calendar year */
      HicovPeriod p;
      if (hicov_convert_period(st, item, &p) < 0) {
        Py_DECREF(seq);
        return -1;
      }
      if (p.first % 12 != 0 || p.last != p.first + 11) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "equity over several periods takes "
                     "whole years, not %R", item);
        return -1;
      }
      y = p.first / 12;
    }
    if (y == -1 && PyErr_Occurred()) {
      Py_DECREF(seq);
      return -1;
    }
    if (y < 1900 || y > 2200) {
      Py_DECREF(seq);
      PyErr_Format(PyExc_ValueError, "year %ld outside 1900-2200", y);
      return -1;
    }
    years[i] = (int)y;
  }
  Py_DECREF(seq);
  return n;
}

static PyObject *
over_years(PyObject *self, hicov_state *st, const char *indicator,
           const char *unit, int level, const int *years, Py_ssize_t n,
           const char *group, const char *order)
{
  int last = years[0];
  for (Py_ssize_t i = 1; i < n; i++)
    if (years[i] > last)
      last = years[i];
  int asof = hicov_period_year(last).last;
  PyObject *rows = PyDict_New(), *index = PyList_New(0);
  PyObject *frame = NULL;
  for (Py_ssize_t i = 0; rows != NULL && index != NULL && i < n; i++) {
    HicovEquity e;
    int rc = hicov_equity_on(DS(self), indicator, unit, level,
                             hicov_period_year(years[i]), asof, group, order,
                             &e);
    if (hicov_check_status(st, rc, DS(self)) < 0)
      goto done;
    PyObject *d = PyDict_New();
    int bad = d == NULL || fill(d, &e) < 0;
    hicov_equity_clear(&e);
    PyObject *y = PyLong_FromLong(years[i]);
    if (bad || y == NULL || PyList_Append(index, y) < 0) {
      Py_XDECREF(d);
      Py_XDECREF(y);
      goto done;
    }
    Py_DECREF(y);
    /* rows[key].append(value) for each key */
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &key, &value)) {
      PyObject *col = PyDict_GetItemWithError(rows, key);
      if (col == NULL) {
        if (PyErr_Occurred() || (col = PyList_New(0)) == NULL
            || PyDict_SetItem(rows, key, col) < 0) {
          Py_XDECREF(col);
          Py_DECREF(d);
          goto done;
        }
        Py_DECREF(col);
      }
      if (PyList_Append(col, value) < 0) {
        Py_DECREF(d);
        goto done;
      }
    }
    Py_DECREF(d);
  }
  if (rows != NULL && index != NULL) {
    PyObject *frame0 = hicov_frame_from_columns(rows);
    if (frame0 != NULL) {
      PyObject *idx = PyObject_CallMethod(frame0, "set_axis", "O", index);
      Py_DECREF(frame0);
      if (idx != NULL) {
        PyObject *r = PyObject_CallMethod(idx, "rename_axis", "s", "year");
        Py_DECREF(idx);
        frame = r;
      }
    }
  }
done:
  Py_XDECREF(rows);
  Py_XDECREF(index);
  return frame;
}

static PyObject *
one_period(PyObject *self, hicov_state *st, const char *indicator,
           const char *unit, int level, HicovPeriod p, const char *group,
           const char *order)
{
  HicovEquity e;
  int rc = hicov_equity(DS(self), indicator, unit, level, p, group, order,
                        &e);
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *d = PyDict_New();
  if (d == NULL || fill(d, &e) < 0
      || set_item(d, "excluded", excluded_list(&e)) < 0)
    Py_CLEAR(d);
  hicov_equity_clear(&e);
  return d;
}

static int
parse_level(hicov_state *st, PyObject *obj, int *level)
{
  if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
      return -1;
    *level = (int)v;
    if (v < 0 || v > HICOV_LEVEL_FACILITY)
      return hicov_raise(st, HICOV_INVALID, "invalid level %ld: expected "
                         "'country', 'province', 'district', 'commune', "
                         "'facility' or 0 to %d", v, HICOV_LEVEL_FACILITY);
    return 0;
  }
  const char *name = PyUnicode_Check(obj) ? PyUnicode_AsUTF8(obj) : NULL;
  if (name == NULL) {
    if (!PyErr_Occurred())
      PyErr_Format(PyExc_TypeError, "level must be a str or int, not %.100s",
                   Py_TYPE(obj)->tp_name);
    return -1;
  }
  *level = hicov_level_parse(name);
  if (*level < 0)
    return hicov_raise(st, HICOV_INVALID,
                       "invalid level %R: expected 'country', 'province', "
                       "'district', 'commune' or 'facility'", obj);
  return 0;
}

PyObject *
hicov_dataset_equity(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicator", "unit", "level", "period", "order",
                             "lang", "group", NULL};
  const char *indicator, *unit, *order = NULL, *lang = NULL, *group = NULL;
  PyObject *level_obj, *period_obj;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "szOO|zzz:equity", keywords,
                                   &indicator, &unit, &level_obj, &period_obj,
                                   &order, &lang, &group))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  int level, years[64];
  if (st == NULL || parse_level(st, level_obj, &level) < 0)
    return NULL;
  if (lang != NULL && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
    return hicov_raise(st, HICOV_INVALID, "lang must be 'vi', 'en' or "
                       "None, not '%s'", lang), NULL;
  Py_ssize_t n = years_of(st, period_obj, years, 64);
  HicovPeriod p;
  if (n < 0 || (n == 0 && hicov_convert_period(st, period_obj, &p) < 0))
    return NULL;
  /* lang= for this call only, other threads' calls held off meanwhile
     (threads.c): building the result runs Python code */
  if (lang != NULL)
    hicov_dataset_scope_begin(self);
  else
    hicov_dataset_scope_wait(self);
  const char *saved = hicov_dataset_lang(DS(self));
  if (lang != NULL)
    hicov_dataset_set_lang(DS(self), lang);
  PyObject *r = n ? over_years(self, st, indicator, unit, level, years, n,
                               group, order)
                  : one_period(self, st, indicator, unit, level, p, group,
                               order);
  if (lang != NULL) {
    hicov_dataset_set_lang(DS(self), saved);
    hicov_dataset_scope_end(self);
  }
  return r;
}
