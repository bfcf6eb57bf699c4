/* dataset.c - hicov.Dataset, a heap type wrapping HicovDataset*.
 *
 * Each method parses its arguments and calls a *_impl function taking C
 * types.  The numbers all come from the core; this file only moves them
 * into Python objects (floats, str, pandas frames built from columns). */
#include "_hicov.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DS(self) (((DatasetObject *)(self))->ds)

static hicov_state *
self_state(PyObject *self)
{
  return hicov_state_from_type(Py_TYPE(self));
}

PyObject *
hicov_dataset_wrap(hicov_state *st, HicovDataset *ds)
{
  PyTypeObject *type = st->DatasetType;
  DatasetObject *self = (DatasetObject *)type->tp_alloc(type, 0);
  if (self == NULL) {
    hicov_dataset_free(ds);
    return NULL;
  }
  self->ds = ds;
  return (PyObject *)self;
}

static void
dataset_dealloc(PyObject *self)
{
  PyTypeObject *type = Py_TYPE(self);
  hicov_dataset_free(DS(self));
  DS(self) = NULL;
  type->tp_free(self);
  Py_DECREF(type); /* instances of heap types own a reference to it */
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static PyObject *
status_name(int status)
{
  if (status == HICOV_OK)
    return PyUnicode_FromString("ok");
  if (status == HICOV_MISSING)
    return PyUnicode_FromString("missing");
  return PyUnicode_FromString(hicov_status_string(status));
}

static PyObject *
make_result(hicov_state *st, const HicovResult *r)
{
  PyObject *result = PyStructSequence_New(st->ResultType);
  if (result == NULL)
    return NULL;
  PyObject *value = PyFloat_FromDouble(r->value);
  PyObject *status = status_name(r->status);
  PyObject *reason = PyUnicode_DecodeUTF8(
      r->reason, (Py_ssize_t)strnlen(r->reason, sizeof r->reason), "replace");
  if (value == NULL || status == NULL || reason == NULL) {
    Py_XDECREF(value);
    Py_XDECREF(status);
    Py_XDECREF(reason);
    Py_DECREF(result);
    return NULL;
  }
  PyStructSequence_SetItem(result, 0, value); /* steals */
  PyStructSequence_SetItem(result, 1, status);
  PyStructSequence_SetItem(result, 2, reason);
  PyStructSequence_SetItem(result, 3, PyBool_FromLong(r->estimate));
  return result;
}

/* value / detail=True Result / reason string, from one HicovResult. */
enum { OUT_VALUE = 0, OUT_RESULT = 1, OUT_REASON = 2 };

static PyObject *
result_output(hicov_state *st, const HicovResult *r, int what)
{
  switch (what) {
  case OUT_RESULT:
    return make_result(st, r);
  case OUT_REASON:
    return PyUnicode_DecodeUTF8(
        r->reason, (Py_ssize_t)strnlen(r->reason, sizeof r->reason),
        "replace");
  default:
    return PyFloat_FromDouble(r->status == HICOV_OK ? r->value : NAN);
  }
}

static int
check_indicator(hicov_state *st, const char *indicator)
{
  if (hicov_indicator_find(indicator) != NULL)
    return 0;
  return hicov_raise(st, HICOV_NOTFOUND, "unknown indicator '%s'", indicator);
}

static const char *
empty_to_null(const char *s)
{
  return (s != NULL && s[0] != '\0') ? s : NULL;
}

/* A method's lang= argument: the dataset writes its reasons and messages
 * in lang for this one call, then goes back to its own setting
 * (Dataset.lang); other threads' calls wait meanwhile (threads.c). */
typedef struct {
  const char *saved;
  int set;
  int saved_boundaries, set_boundaries;
} LangScope;

static int
lang_enter(hicov_state *st, PyObject *self, const char *lang, LangScope *sc)
{
  sc->set = 0;
  sc->set_boundaries = 0;
  sc->saved = NULL;
  sc->saved_boundaries = 0;
  if (hicov_check_lang(st, lang, 1) < 0)
    return -1;
  if (lang == NULL)
    hicov_dataset_scope_wait(self); /* not in another call's lang= */
  if (lang != NULL) {
    /* a change for this call, frame building included: no other thread's
       query may see it (threads.c) */
    hicov_dataset_scope_begin(self);
    sc->saved = hicov_dataset_lang(DS(self));
    hicov_dataset_set_lang(DS(self), lang);
    sc->set = 1;
  }
  return 0;
}

static void
lang_leave(PyObject *self, const LangScope *sc)
{
  if (sc->set)
    hicov_dataset_set_lang(DS(self), sc->saved);
  if (sc->set_boundaries)
    hicov_dataset_set_boundaries(DS(self), sc->saved_boundaries);
  if (sc->set || sc->set_boundaries)
    hicov_dataset_scope_end(self);
}

/* A method's boundaries= argument ('today', 'as-published' or None: the
 * dataset's, Dataset.boundaries), for this one call, as lang=. */
static int
scope_enter(hicov_state *st, PyObject *self, const char *lang,
            const char *boundaries, LangScope *sc)
{
  if (lang_enter(st, self, lang, sc) < 0)
    return -1;
  if (boundaries == NULL)
    return 0;
  int b = hicov_boundaries_parse(boundaries);
  if (b < 0) {
    lang_leave(self, sc);
    return hicov_raise(st, HICOV_INVALID, "boundaries must be 'today', "
                       "'as-published' or None, not '%s'", boundaries);
  }
  if (!sc->set) /* the call's scope, unless lang= began it */
    hicov_dataset_scope_begin(self);
  sc->saved_boundaries = hicov_dataset_boundaries(DS(self));
  sc->set_boundaries = 1;
  hicov_dataset_set_boundaries(DS(self), b);
  return 0;
}

/* Does this call's scope leave the dataset as it is?  Then its query may
 * run without the GIL, beside other threads' (threads.c). */
static int
scope_shared(const LangScope *sc)
{
  return !sc->set && !sc->set_boundaries;
}

/* ------------------------------------------------------------------------ */
/* value / result / reason                                                   */

static PyObject *
dataset_value_impl(PyObject *self, hicov_state *st, const char *indicator,
                   const char *unit, HicovPeriod period, const char *group,
                   int what, const char *lang, const char *boundaries)
{
  HicovResult r;
  memset(&r, 0, sizeof r);
  LangScope sc;
  if (scope_enter(st, self, lang, boundaries, &sc) < 0)
    return NULL;
  int rc = hicov_indicator_value(DS(self), indicator, unit, period,
                                 empty_to_null(group), &r);
  int failed = hicov_check_status(st, rc, DS(self)) < 0;
  lang_leave(self, &sc);
  return failed ? NULL : result_output(st, &r, what);
}

static PyObject *
dataset_value_common(PyObject *self, PyObject *args, PyObject *kwargs,
                     const char *format, int what)
{
  static char *keywords[] = {"indicator", "unit", "period", "group",
                             "detail", "lang", "boundaries", NULL};
  /* result() and reason() take no `detail`. */
  static char *short_keywords[] = {"indicator", "unit", "period", "group",
                                   "lang", "boundaries", NULL};
  const char *indicator, *unit, *group = NULL, *lang = NULL;
  const char *boundaries = NULL;
  PyObject *period_obj;
  int detail = 0;
  if (what == OUT_VALUE
          ? !PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords,
                                         &indicator, &unit, &period_obj,
                                         &group, &detail, &lang, &boundaries)
          : !PyArg_ParseTupleAndKeywords(args, kwargs, format, short_keywords,
                                         &indicator, &unit, &period_obj,
                                         &group, &lang, &boundaries))
    return NULL;
  hicov_state *st = self_state(self);
  HicovPeriod period;
  if (st == NULL || hicov_convert_period(st, period_obj, &period) < 0)
    return NULL;
  if (what == OUT_VALUE && detail)
    what = OUT_RESULT;
  return dataset_value_impl(self, st, indicator, unit, period, group, what,
                            lang, boundaries);
}

PyDoc_STRVAR(value_doc,
"value($self, /, indicator, unit, period, group=None, detail=False, *, "
"lang=None, boundaries=None)\n--\n\n"
"Returns float.\n\n"
"The indicator for a unit code and period ('2024', '2024-Q3', '2024-10',\n"
"'2025-01/2025-10'; an int year, numpy integers too; a pandas Period of a\n"
"year, quarter or month; a date, datetime or Timestamp: its month),\n"
"optionally for one beneficiary group.\n"
"NaN when it cannot be computed (see result() or reason() for why);\n"
"with detail=True returns the Result (value, status, reason; and\n"
"estimate, True when the value rests on a crosswalk share).  The reason\n"
"is in lang ('vi' or 'en'; None: Dataset.lang), as are the messages of\n"
"the errors raised.  A _growth or _change indicator compares the unit\n"
"with the same territory a year earlier (the units merged into it since\n"
"added); boundaries='as-published' compares the figures as published\n"
"(None: Dataset.boundaries).  Raises NotFoundError for an unknown\n"
"indicator, unit or group.");

static PyObject *
dataset_value(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return dataset_value_common(self, args, kwargs, "ssO|zp$zz:value",
                              OUT_VALUE);
}

PyDoc_STRVAR(result_doc,
"result($self, /, indicator, unit, period, group=None, *, lang=None, "
"boundaries=None)\n--\n\n"
"Returns Result.\n\n"
"Like value(), as a Result (value, status, reason, and the attribute\n"
"estimate); status is 'ok' or 'missing'; the reason is in lang ('vi',\n"
"'en'; None: Dataset.lang).");

static PyObject *
dataset_result(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return dataset_value_common(self, args, kwargs, "ssO|z$zz:result",
                              OUT_RESULT);
}

PyDoc_STRVAR(reason_doc,
"reason($self, /, indicator, unit, period, group=None, *, lang=None, "
"boundaries=None)\n--\n\n"
"Returns str.\n\n"
"Why value() is NaN for these arguments, or '' when it is not, in lang\n"
"('vi', 'en'; None: Dataset.lang).");

static PyObject *
dataset_reason(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return dataset_value_common(self, args, kwargs, "ssO|z$zz:reason",
                              OUT_REASON);
}

/* ------------------------------------------------------------------------ */
/* change / cagr                                                             */

typedef int (*pair_fn)(HicovDataset *, const char *, const char *,
                       HicovPeriod, HicovPeriod, const char *, HicovResult *);

static PyObject *
dataset_pair_impl(PyObject *self, hicov_state *st, pair_fn fn,
                  const char *indicator, const char *unit, HicovPeriod from,
                  HicovPeriod to, const char *group, int detail,
                  const char *lang, const char *boundaries)
{
  HicovResult r;
  memset(&r, 0, sizeof r);
  LangScope sc;
  if (scope_enter(st, self, lang, boundaries, &sc) < 0)
    return NULL;
  int rc = fn(DS(self), indicator, unit, from, to, empty_to_null(group), &r);
  int failed = hicov_check_status(st, rc, DS(self)) < 0;
  lang_leave(self, &sc);
  return failed ? NULL : result_output(st, &r, detail ? OUT_RESULT : OUT_VALUE);
}

static PyObject *
dataset_pair_common(PyObject *self, PyObject *args, PyObject *kwargs,
                    const char *format, pair_fn fn)
{
  static char *keywords[] = {"indicator", "unit", "from_period", "to_period",
                             "group", "detail", "lang", "boundaries", NULL};
  const char *indicator, *unit, *group = NULL, *lang = NULL;
  const char *boundaries = NULL;
  PyObject *from_obj, *to_obj;
  int detail = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords,
                                   &indicator, &unit, &from_obj, &to_obj,
                                   &group, &detail, &lang, &boundaries))
    return NULL;
  hicov_state *st = self_state(self);
  HicovPeriod from, to;
  if (st == NULL
      || hicov_convert_period_arg(st, "from_period", from_obj, &from) < 0
      || hicov_convert_period_arg(st, "to_period", to_obj, &to) < 0)
    return NULL;
  return dataset_pair_impl(self, st, fn, indicator, unit, from, to, group,
                           detail, lang, boundaries);
}

PyDoc_STRVAR(change_doc,
"change($self, /, indicator, unit, from_period, to_period, group=None, "
"detail=False, *, lang=None, boundaries=None)\n--\n\n"
"Returns float.\n\n"
"value(to_period) - value(from_period) (points for rates), both on the\n"
"boundaries of the later period: the unit's earlier value includes the\n"
"units merged into it in between (boundaries='as-published': the values\n"
"as published; None: Dataset.boundaries).  NaN when either is missing.");

static PyObject *
dataset_change(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return dataset_pair_common(self, args, kwargs, "ssOO|zp$zz:change",
                             hicov_indicator_change);
}

PyDoc_STRVAR(cagr_method_doc,
"cagr($self, /, indicator, unit, from_period, to_period, group=None, "
"detail=False, *, lang=None, boundaries=None)\n--\n\n"
"Returns float.\n\n"
"Compound annual growth rate between the periods, percent per year, on\n"
"the boundaries of the later period as change().");

static PyObject *
dataset_cagr(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return dataset_pair_common(self, args, kwargs, "ssOO|zp$zz:cagr",
                             hicov_indicator_cagr);
}

/* ------------------------------------------------------------------------ */
/* measure                                                                   */

static PyObject *
dataset_measure_impl(PyObject *self, hicov_state *st, const char *measure,
                     const char *unit, HicovPeriod period, const char *group,
                     int money)
{
  int64_t centi = 0;
  char reason[HICOV_REASON_MAX] = "";
  int rc = hicov_dataset_measure(DS(self), measure, unit, period,
                                 empty_to_null(group), &centi, reason,
                                 sizeof reason);
  if (rc == HICOV_MISSING)
    Py_RETURN_NONE;
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  if (hicov_measure_is_money(measure))
    return hicov_money_scalar(st, centi, money);
  return money == HICOV_MONEY_FLOAT ? hicov_count_scalar(centi)
                                    : hicov_money_scalar(st, centi, money);
}

PyDoc_STRVAR(measure_doc,
"measure($self, /, measure, unit, period, group=None, *, money='float')\n--\n\n"
"Returns int, float, decimal.Decimal or None.\n\n"
"The total of a measure ('participants', 'visits', ...) for a unit and\n"
"period, as the core sums it; None when it is missing.  A count (people,\n"
"visits, days) is an int (a float if the data give it decimals); money\n"
"(total_cost, fund_paid, copay, fund_revenue) is a float of dong, the\n"
"double nearest the exact sum; money='decimal' gives any measure as an\n"
"exact decimal.Decimal with two decimals, money='centi' as an exact int\n"
"of hundredths.");

static PyObject *
dataset_measure(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"measure", "unit", "period", "group", "money",
                             NULL};
  const char *measure, *unit, *group = NULL, *money = NULL;
  PyObject *period_obj;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ssO|z$z:measure", keywords,
                                   &measure, &unit, &period_obj, &group,
                                   &money))
    return NULL;
  hicov_state *st = self_state(self);
  HicovPeriod period;
  if (st == NULL || hicov_convert_period(st, period_obj, &period) < 0)
    return NULL;
  int mode = hicov_money_arg(st, money);
  if (mode < 0)
    return NULL;
  return dataset_measure_impl(self, st, measure, unit, period, group, mode);
}

/* ------------------------------------------------------------------------ */
/* Units                                                                     */

static int
convert_level(hicov_state *st, PyObject *obj, int *level)
{
  if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
      return -1;
    if (v < 0 || v > HICOV_LEVEL_FACILITY || hicov_level_name((int)v) == NULL)
      return hicov_raise(st, HICOV_INVALID, "invalid level %ld: expected "
                         "'country', 'province', 'district', 'commune', "
                         "'facility' or 0 to %d", v, HICOV_LEVEL_FACILITY);
    *level = (int)v;
    return 0;
  }
  if (PyUnicode_Check(obj)) {
    const char *name = PyUnicode_AsUTF8(obj);
    if (name == NULL)
      return -1;
    int v = hicov_level_parse(name);
    if (v < 0)
      return hicov_raise(st, HICOV_INVALID,
                         "invalid level %R: expected 'country', 'province', "
                         "'district', 'commune' or 'facility'", obj);
    *level = v;
    return 0;
  }
  PyErr_Format(PyExc_TypeError, "level must be a str or int, not %.100s",
               Py_TYPE(obj)->tp_name);
  return -1;
}

/* Optional period: None means "ever". */
static int
convert_optional_period(hicov_state *st, PyObject *obj, HicovPeriod *p,
                        const HicovPeriod **pp)
{
  if (obj == NULL || obj == Py_None) {
    *pp = NULL;
    return 0;
  }
  if (hicov_convert_period(st, obj, p) < 0)
    return -1;
  *pp = p;
  return 0;
}

static PyObject *
unit_codes(PyObject *self, const size_t *idx, size_t n)
{
  PyObject *list = PyList_New((Py_ssize_t)n);
  if (list == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    if (hicov_dataset_unit(DS(self), idx[i], &u) != HICOV_OK) {
      Py_DECREF(list);
      PyErr_SetString(PyExc_SystemError, "unit index out of range");
      return NULL;
    }
    PyObject *code = PyUnicode_FromString(u.code);
    if (code == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, code);
  }
  return list;
}

static PyObject *
dataset_children_impl(PyObject *self, hicov_state *st, const char *code,
                      const HicovPeriod *period)
{
  size_t *idx = NULL, n = 0;
  int rc = hicov_dataset_children(DS(self), empty_to_null(code), period, &idx,
                                  &n);
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *list = unit_codes(self, idx, n);
  hicov_free(idx);
  return list;
}

PyDoc_STRVAR(children_doc,
"children($self, /, code=None, period=None)\n--\n\n"
"Returns list of str.\n\n"
"Codes of the direct children of a unit (the roots for None) existing\n"
"during period (None: ever), in name order.");

static PyObject *
dataset_children(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"code", "period", NULL};
  const char *code = NULL;
  PyObject *period_obj = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|zO:children", keywords,
                                   &code, &period_obj))
    return NULL;
  hicov_state *st = self_state(self);
  HicovPeriod p;
  const HicovPeriod *pp = NULL;
  if (st == NULL || convert_optional_period(st, period_obj, &p, &pp) < 0)
    return NULL;
  return dataset_children_impl(self, st, code, pp);
}

static int
append_unit_columns(PyObject *cols, const HicovUnit *u)
{
  const char *tier = hicov_tier_name(u->tier);
  if (hicov_column_append(cols, "code", PyUnicode_FromString(u->code)) < 0
      || hicov_column_append(cols, "name", hicov_str_or_none(u->name)) < 0
      || hicov_column_append(cols, "parent", hicov_str_or_none(u->parent)) < 0
      || hicov_column_append(cols, "level",
                             hicov_str_or_none(hicov_level_name(u->level))) < 0)
    return -1;
  if (PyDict_GetItemString(cols, "tier") == NULL)
    return 0;
  if (hicov_column_append(cols, "tier",
                          u->tier == HICOV_TIER_NONE ? Py_NewRef(Py_None)
                                                     : hicov_str_or_none(tier)) < 0
      || hicov_column_append(cols, "valid_to",
                             u->valid_to > 0 ? hicov_month_to_str(u->valid_to)
                                             : Py_NewRef(Py_None)) < 0
      || hicov_column_append(cols, "successor",
                             hicov_str_or_none(u->successor)) < 0
      || hicov_column_append(cols, "synthetic",
                             PyBool_FromLong(u->synthetic)) < 0
      || hicov_column_append(cols, "valid_from",
                             u->valid_from > 0 ? hicov_month_to_str(u->valid_from)
                                               : Py_NewRef(Py_None)) < 0)
    return -1;
  return 0;
}

static PyObject *
dataset_units_impl(PyObject *self)
{
  static const char *const names[] = {"code", "name", "parent", "level",
                                      "tier", "valid_to", "successor",
                                      "synthetic", "valid_from", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_dataset_unit_count(DS(self));
  for (size_t i = 0; i < n; i++) {
    HicovUnit u;
    if (hicov_dataset_unit(DS(self), i, &u) != HICOV_OK)
      continue;
    if (append_unit_columns(cols, &u) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  if (frame != NULL && hicov_frame_levels(frame, "level") < 0)
    Py_CLEAR(frame);
  return frame;
}

PyDoc_STRVAR(units_doc,
"units($self, /)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"Every unit in load order: code, name, parent, level (an ordered\n"
"categorical, country to facility, as in Dataset.table), tier, valid_to\n"
"('YYYY-MM' of the first month it no longer exists), successor,\n"
"synthetic, valid_from ('YYYY-MM' of the first month it exists, for a\n"
"unit formed by a merger; None when it always existed).");

static PyObject *
dataset_units(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return dataset_units_impl(self);
}

/* ------------------------------------------------------------------------ */
/* table                                                                     */

static PyObject *
dataset_table_rows(PyObject *self, hicov_state *st, const char *indicator,
                   HicovPeriod period, int level, const char *parent,
                   const char *group, int release);

static PyObject *
dataset_table_impl(PyObject *self, hicov_state *st, const char *indicator,
                   HicovPeriod period, int level, const char *parent,
                   const char *group, const char *lang)
{
  LangScope sc;
  if (lang_enter(st, self, lang, &sc) < 0)
    return NULL;
  PyObject *frame = dataset_table_rows(self, st, indicator, period, level,
                                       parent, group, scope_shared(&sc));
  lang_leave(self, &sc);
  return frame;
}

/* What a frame of results holds: attrs indicator, period, level, parent,
 * group, boundaries ('today' or 'as-published') and source (the
 * dataset). */
static PyObject *
result_attrs(PyObject *self, PyObject *indicator, PyObject *period,
             int level, const char *parent, const char *group)
{
  PyObject *source = PyObject_Repr(self);
  PyObject *attrs = source == NULL ? NULL : Py_BuildValue(
      "{sOsOszszszszsO}", "indicator", indicator, "period", period,
      "level", level >= 0 ? hicov_level_name(level) : NULL,
      "parent", empty_to_null(parent), "group", empty_to_null(group),
      "boundaries",
      hicov_boundaries_name(hicov_dataset_boundaries(DS(self))),
      "source", source);
  Py_XDECREF(source);
  return attrs;
}

/* The table's pandas types: indexed by unit code, level and status
 * categorical, reason <NA> when there is none, counts Int64. */
static PyObject *
table_typed(PyObject *frame, const char *indicator, PyObject *attrs)
{
  static const char *const categories[] = {"status", NULL};
  PyObject *indexed = NULL;
  if (hicov_frame_levels(frame, "level") < 0
      || hicov_frame_categories(frame, categories) < 0
      || hicov_frame_text_na(frame, "reason") < 0
      || hicov_frame_astype(frame, "value", "float64") < 0
      || (hicov_indicator_is_count(indicator)
          && hicov_frame_counts(frame, "value") < 0))
    return NULL;
  PyObject *key = PyUnicode_FromString("code");
  indexed = key ? hicov_frame_indexed(frame, key) : NULL;
  Py_XDECREF(key);
  if (indexed != NULL && hicov_set_attrs(indexed, attrs) < 0)
    Py_CLEAR(indexed);
  return indexed;
}

static PyObject *
dataset_table_rows(PyObject *self, hicov_state *st, const char *indicator,
                   HicovPeriod period, int level, const char *parent,
                   const char *group, int release)
{
  static const char *const names[] = {"code", "name", "parent", "level",
                                      "value", "status", "reason", NULL};
  if (check_indicator(st, indicator) < 0)
    return NULL;
  /* the core's table: the units and their order are the spreadsheet
     exports' (Vietnamese alphabetical order of names) */
  const char *inds[1] = {indicator};
  HicovTableSpec spec = {inds, 1, period, level, empty_to_null(parent),
                         empty_to_null(group), 0};
  HicovTable *t = NULL;
  int rc;
  if (release) { /* a query: beside other threads', without the GIL */
    if (hicov_dataset_share(self) < 0)
      return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_table_new(DS(self), &spec, &t);
    Py_END_ALLOW_THREADS
    hicov_dataset_unshare(self);
  } else {
    rc = hicov_table_new(DS(self), &spec, &t);
  }
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *frame = NULL, *typed = NULL, *attrs = NULL, *ind = NULL;
  PyObject *ptext = NULL;
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    goto done;
  for (size_t i = 0; i < hicov_table_row_count(t); i++) {
    HicovTableRow row;
    hicov_table_row(t, i, &row);
    const HicovResult *r = hicov_table_cell(t, i, 0);
    HicovUnit u;
    memset(&u, 0, sizeof u);
    u.code = row.code;
    u.name = row.name;
    u.parent = row.parent;
    u.level = row.level;
    if (append_unit_columns(cols, &u) < 0
        || hicov_column_append(cols, "value", result_output(st, r,
                                                            OUT_VALUE)) < 0
        || hicov_column_append(cols, "status", status_name(r->status)) < 0
        || hicov_column_append(cols, "reason", result_output(st, r,
                                                             OUT_REASON)) < 0)
      goto done;
  }
  if ((frame = hicov_frame_from_columns(cols)) == NULL
      || (ind = PyUnicode_FromString(indicator)) == NULL
      || (ptext = hicov_period_to_str(period)) == NULL
      || (attrs = result_attrs(self, ind, ptext, level, parent, group))
             == NULL)
    goto done;
  typed = table_typed(frame, indicator, attrs);
done:
  Py_XDECREF(cols);
  Py_XDECREF(frame);
  Py_XDECREF(ind);
  Py_XDECREF(ptext);
  Py_XDECREF(attrs);
  hicov_table_free(t);
  return typed;
}

PyDoc_STRVAR(table_doc,
"table($self, /, indicator, period, level='commune', parent=None, "
"group=None, *, lang=None)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"One row per unit at `level` (below `parent`, a unit code) existing in\n"
"period, in Vietnamese alphabetical order of names (a ă â b c d đ ...,\n"
"as hicov_table_new and the spreadsheet exports), indexed by unit code:\n"
"name, parent, level (an ordered categorical, country to facility),\n"
"value (float64; Int64 with <NA> for a count such as participants),\n"
"status (categorical 'ok' or 'missing'), reason (<NA> when there is\n"
"none; else in lang: 'vi', 'en'; None: Dataset.lang).  attrs records\n"
"indicator, period, level, parent, group, boundaries and source.");

static PyObject *
dataset_table(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicator", "period", "level", "parent",
                             "group", "lang", NULL};
  const char *indicator, *parent = NULL, *group = NULL, *lang = NULL;
  PyObject *period_obj, *level_obj = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sO|Ozz$z:table", keywords,
                                   &indicator, &period_obj, &level_obj,
                                   &parent, &group, &lang))
    return NULL;
  hicov_state *st = self_state(self);
  HicovPeriod period;
  int level = HICOV_LEVEL_COMMUNE;
  if (st == NULL || hicov_convert_period(st, period_obj, &period) < 0)
    return NULL;
  if (level_obj != NULL && convert_level(st, level_obj, &level) < 0)
    return NULL;
  return dataset_table_impl(self, st, indicator, period, level, parent, group,
                            lang);
}


/* ------------------------------------------------------------------------ */
/* frame: a panel of indicators by unit and period                           */

/* A str, or an iterable of str, as a C array (pointers into *holder, a
 * list kept alive by the caller).  `name` is the argument, for messages. */
static int
text_list(const char *name, PyObject *obj, PyObject **holder,
          const char ***out, size_t *n)
{
  *holder = PyUnicode_Check(obj) ? PyList_New(1) : PySequence_List(obj);
  if (*holder == NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "%s must be a str or a list of str, not "
                   "%.100s", name, Py_TYPE(obj)->tp_name);
    }
    return -1;
  }
  if (PyUnicode_Check(obj))
    PyList_SET_ITEM(*holder, 0, Py_NewRef(obj));
  *n = (size_t)PyList_GET_SIZE(*holder);
  *out = PyMem_New(const char *, *n > 0 ? *n : 1);
  if (*out == NULL) {
    PyErr_NoMemory();
    return -1;
  }
  for (size_t i = 0; i < *n; i++) {
    PyObject *s = PyList_GET_ITEM(*holder, (Py_ssize_t)i);
    if (!PyUnicode_Check(s)) {
      PyErr_Format(PyExc_TypeError, "%s[%zu] must be a str, not %.100s",
                   name, i, Py_TYPE(s)->tp_name);
      return -1;
    }
    if (((*out)[i] = PyUnicode_AsUTF8(s)) == NULL)
      return -1;
  }
  return 0;
}

/* periods=: one period or an iterable of them (a list, a pandas
 * PeriodIndex, a numpy array of years). */
static int
period_list(hicov_state *st, PyObject *obj, HicovPeriod **out, size_t *n)
{
  PyObject *list = NULL;
  if (!PyUnicode_Check(obj) && !PyIndex_Check(obj)) {
    list = PySequence_List(obj);
    if (list == NULL && !PyErr_ExceptionMatches(PyExc_TypeError))
      return -1;
    PyErr_Clear(); /* not iterable: a single period (a date, a Period) */
  }
  *n = list != NULL ? (size_t)PyList_GET_SIZE(list) : 1;
  *out = PyMem_New(HicovPeriod, *n > 0 ? *n : 1);
  int rc = *out == NULL ? -1 : 0;
  if (*out == NULL)
    PyErr_NoMemory();
  for (size_t i = 0; rc == 0 && i < *n; i++)
    rc = hicov_convert_period_arg(
        st, "periods", list ? PyList_GET_ITEM(list, (Py_ssize_t)i) : obj,
        &(*out)[i]);
  Py_XDECREF(list);
  return rc;
}

/* The labels of the period level: pandas Periods when every period is a
 * year, every one a quarter or every one a month; else their text. */
static PyObject *
period_labels(const HicovPeriod *p, size_t n)
{
  const char *freq = NULL;
  int kind = n > 0 ? p[0].kind : 0;
  for (size_t i = 1; i < n; i++)
    if (p[i].kind != kind)
      kind = 0;
  freq = kind == HICOV_PERIOD_YEAR ? "Y" : kind == HICOV_PERIOD_QUARTER ? "Q"
       : kind == HICOV_PERIOD_MONTH ? "M" : NULL;
  PyObject *pandas = freq ? PyImport_ImportModule("pandas") : NULL;
  PyObject *labels = PyList_New((Py_ssize_t)n);
  if (labels == NULL || (freq && pandas == NULL)) {
    Py_XDECREF(labels);
    Py_XDECREF(pandas);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    PyObject *text = hicov_period_to_str(p[i]);
    PyObject *label = text && freq
        ? PyObject_CallMethod(pandas, "Period", "Os", text, freq)
        : Py_XNewRef(text);
    Py_XDECREF(text);
    if (label == NULL) {
      Py_CLEAR(labels);
      break;
    }
    PyList_SET_ITEM(labels, (Py_ssize_t)i, label);
  }
  Py_XDECREF(pandas);
  return labels;
}

typedef struct {
  const char **inds;
  size_t n_inds;
  HicovPeriod *periods;
  size_t n_periods;
  const char **groups; /* NULL: all beneficiaries, no group level */
  size_t n_groups;
  int level;
  const char *parent;
} PanelSpec;

/* Column lists: unit, period, group, name, then a value and a reason per
 * indicator. */
enum { P_UNIT, P_PERIOD, P_GROUP, P_NAME, P_FIXED };

/* The rows of one core table (one period, one group) onto cols. */
static int
panel_append(hicov_state *st, const HicovTable *t, PyObject *const *cols,
             size_t n_inds, PyObject *period, PyObject *group)
{
  for (size_t i = 0; i < hicov_table_row_count(t); i++) {
    HicovTableRow row;
    hicov_table_row(t, i, &row);
    if (PyList_Append(cols[P_PERIOD], period) < 0
        || PyList_Append(cols[P_GROUP], group) < 0)
      return -1;
    PyObject *code = PyUnicode_FromString(row.code);
    PyObject *name = hicov_str_or_none(row.name);
    int rc = code && name && PyList_Append(cols[P_UNIT], code) == 0
             && PyList_Append(cols[P_NAME], name) == 0 ? 0 : -1;
    Py_XDECREF(code);
    Py_XDECREF(name);
    for (size_t k = 0; rc == 0 && k < n_inds; k++) {
      const HicovResult *r = hicov_table_cell(t, i, k);
      PyObject *v = result_output(st, r, OUT_VALUE);
      PyObject *why = result_output(st, r, OUT_REASON);
      rc = v && why && PyList_Append(cols[P_FIXED + k], v) == 0
           && PyList_Append(cols[P_FIXED + n_inds + k], why) == 0 ? 0 : -1;
      Py_XDECREF(v);
      Py_XDECREF(why);
    }
    if (rc < 0)
      return -1;
  }
  return 0;
}

/* Every (group, period) table of the core, in that order. */
static int
panel_rows(PyObject *self, hicov_state *st, const PanelSpec *ps,
           PyObject *const *cols)
{
  PyObject *labels = period_labels(ps->periods, ps->n_periods);
  if (labels == NULL)
    return -1;
  int rc = 0;
  size_t n_groups = ps->groups ? ps->n_groups : 1;
  for (size_t g = 0; rc == 0 && g < n_groups; g++) {
    const char *group = ps->groups ? ps->groups[g] : NULL;
    PyObject *gobj = group ? PyUnicode_FromString(group) : Py_NewRef(Py_None);
    for (size_t p = 0; gobj && rc == 0 && p < ps->n_periods; p++) {
      HicovTableSpec spec = {ps->inds, ps->n_inds, ps->periods[p], ps->level,
                             empty_to_null(ps->parent), group, 0};
      HicovTable *t = NULL;
      rc = hicov_check_status(st, hicov_table_new(DS(self), &spec, &t),
                              DS(self));
      if (rc == 0)
        rc = panel_append(st, t, cols, ps->n_inds,
                          PyList_GET_ITEM(labels, (Py_ssize_t)p), gobj);
      hicov_table_free(t);
    }
    if (gobj == NULL)
      rc = -1;
    Py_XDECREF(gobj);
  }
  Py_DECREF(labels);
  return rc;
}

/* The lists as a frame indexed by (unit, period[, group]), counts Int64,
 * reasons <NA> when there are none. */
static PyObject *
panel_frame(const PanelSpec *ps, PyObject *const *cols, size_t ncols,
            PyObject *attrs)
{
  PyObject *frame = NULL, *indexed = NULL;
  PyObject *keys = Py_BuildValue(ps->groups ? "[sss]" : "[ss]", "unit",
                                 "period", "group");
  PyObject *dict = keys ? PyDict_New() : NULL;
  for (size_t c = 0; dict && c < ncols; c++) {
    if (c == P_GROUP && ps->groups == NULL)
      continue;
    PyObject *key = c < P_FIXED
        ? PyUnicode_FromString(c == P_UNIT ? "unit" : c == P_PERIOD ? "period"
                               : c == P_GROUP ? "group" : "name")
        : c < P_FIXED + ps->n_inds
        ? PyUnicode_FromString(ps->inds[c - P_FIXED])
        : PyUnicode_FromFormat("%s_reason",
                               ps->inds[c - P_FIXED - ps->n_inds]);
    if (key == NULL || PyDict_SetItem(dict, key, cols[c]) < 0)
      Py_CLEAR(dict);
    Py_XDECREF(key);
  }
  if (dict == NULL || keys == NULL
      || (frame = hicov_frame_from_columns(dict)) == NULL)
    goto done;
  for (size_t k = 0; k < ps->n_inds; k++) {
    PyObject *rname = PyUnicode_FromFormat("%s_reason", ps->inds[k]);
    const char *r = rname ? PyUnicode_AsUTF8(rname) : NULL;
    int rc = r == NULL
             || hicov_frame_astype(frame, ps->inds[k], "float64") < 0
             || (hicov_indicator_is_count(ps->inds[k])
                 && hicov_frame_counts(frame, ps->inds[k]) < 0)
             || hicov_frame_text_na(frame, r) < 0 ? -1 : 0;
    Py_XDECREF(rname);
    if (rc < 0)
      goto done;
  }
  if ((indexed = hicov_frame_indexed(frame, keys)) != NULL) {
    Py_SETREF(indexed, PyObject_CallMethod(indexed, "sort_index", NULL));
    if (indexed != NULL && hicov_set_attrs(indexed, attrs) < 0)
      Py_CLEAR(indexed);
  }
done:
  Py_XDECREF(dict);
  Py_XDECREF(keys);
  Py_XDECREF(frame);
  return indexed;
}

static PyObject *
dataset_frame_impl(PyObject *self, hicov_state *st, const PanelSpec *ps,
                   PyObject *attrs)
{
  size_t ncols = P_FIXED + 2 * ps->n_inds;
  PyObject **cols = PyMem_New(PyObject *, ncols);
  if (cols == NULL)
    return PyErr_NoMemory();
  PyObject *frame = NULL;
  size_t made = 0;
  for (; made < ncols; made++)
    if ((cols[made] = PyList_New(0)) == NULL)
      goto done;
  if (panel_rows(self, st, ps, cols) == 0)
    frame = panel_frame(ps, cols, ncols, attrs);
done:
  for (size_t c = 0; c < made; c++)
    Py_DECREF(cols[c]);
  PyMem_Free(cols);
  return frame;
}

/* attrs of a panel: what it holds and what it is on. */
static PyObject *
panel_attrs(PyObject *self, const PanelSpec *ps, PyObject *inds,
            PyObject *groups)
{
  PyObject *periods = PyList_New((Py_ssize_t)ps->n_periods);
  for (size_t i = 0; periods && i < ps->n_periods; i++) {
    PyObject *text = hicov_period_to_str(ps->periods[i]);
    if (text == NULL)
      Py_CLEAR(periods);
    else
      PyList_SET_ITEM(periods, (Py_ssize_t)i, text);
  }
  PyObject *attrs = periods ? result_attrs(self, inds, periods, ps->level,
                                           ps->parent, NULL) : NULL;
  if (attrs != NULL
      && (PyDict_SetItemString(attrs, "indicators", inds) < 0
          || PyDict_SetItemString(attrs, "periods", periods) < 0
          || PyDict_SetItemString(attrs, "groups",
                                  groups ? groups : Py_None) < 0
          || PyDict_DelItemString(attrs, "indicator") < 0
          || PyDict_DelItemString(attrs, "period") < 0
          || PyDict_DelItemString(attrs, "group") < 0))
    Py_CLEAR(attrs);
  Py_XDECREF(periods);
  return attrs;
}

PyDoc_STRVAR(frame_doc,
"frame($self, /, indicators, periods, level='commune', parent=None,\n"
"      groups=None, *, lang=None, boundaries=None)\n--\n\n"
"A panel: one row per unit at `level` (below `parent`) and period, one\n"
"column per indicator, as pandas.DataFrame indexed by (unit, period),\n"
"sorted; with groups (a list of beneficiary group codes) by (unit,\n"
"period, group).  Columns: name, then each indicator (float64, Int64\n"
"for counts, as Dataset.table), then '<indicator>_reason' for each\n"
"(<NA> when there is none; in lang).  indicators: a name or a list;\n"
"periods: one period or a list of them, each as Dataset.value takes\n"
"it; the period level holds pandas Periods when all are years, all\n"
"quarters or all months, else their text.  Every number is a core\n"
"table's cell (one hicov_table_new per period and group), as\n"
"Dataset.table gives it.  frame.to_xarray() gives an xarray Dataset\n"
"when xarray is installed.  attrs records indicators, periods, level,\n"
"parent, groups, boundaries and source.");

static PyObject *
dataset_frame(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicators", "periods", "level", "parent",
                             "groups", "lang", "boundaries", NULL};
  PyObject *inds_obj, *periods_obj, *level_obj = NULL, *groups_obj = Py_None;
  const char *parent = NULL, *lang = NULL, *boundaries = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OzO$zz:frame", keywords,
                                   &inds_obj, &periods_obj, &level_obj,
                                   &parent, &groups_obj, &lang, &boundaries))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  PanelSpec ps;
  memset(&ps, 0, sizeof ps);
  ps.level = HICOV_LEVEL_COMMUNE;
  ps.parent = parent;
  PyObject *ind_list = NULL, *group_list = NULL, *attrs = NULL;
  PyObject *frame = NULL;
  LangScope sc;
  if (text_list("indicators", inds_obj, &ind_list, &ps.inds, &ps.n_inds) < 0
      || (groups_obj != Py_None
          && text_list("groups", groups_obj, &group_list, &ps.groups,
                       &ps.n_groups) < 0)
      || period_list(st, periods_obj, &ps.periods, &ps.n_periods) < 0
      || (level_obj != NULL && convert_level(st, level_obj, &ps.level) < 0))
    goto done;
  if (ps.n_inds == 0 || ps.n_inds > HICOV_TABLE_MAX_COLUMNS) {
    hicov_raise(st, HICOV_INVALID, "indicators: expected 1 to %d indicators, "
                "not %zu", HICOV_TABLE_MAX_COLUMNS, ps.n_inds);
    goto done;
  }
  for (size_t i = 0; i < ps.n_inds; i++)
    if (check_indicator(st, ps.inds[i]) < 0)
      goto done;
  if ((attrs = panel_attrs(self, &ps, ind_list, group_list)) == NULL
      || scope_enter(st, self, lang, boundaries, &sc) < 0)
    goto done;
  frame = dataset_frame_impl(self, st, &ps, attrs);
  lang_leave(self, &sc);
done:
  Py_XDECREF(ind_list);
  Py_XDECREF(group_list);
  Py_XDECREF(attrs);
  PyMem_Free(ps.inds);
  PyMem_Free(ps.groups);
  PyMem_Free(ps.periods);
  return frame;
}

/* ------------------------------------------------------------------------ */
/* series                                                                    */

/* Step of a frequency in months, 0 if unknown. */
static int
freq_months(const char *freq)
{
  if (strcmp(freq, "Y") == 0 || strcmp(freq, "A") == 0)
    return 12;
  if (strcmp(freq, "Q") == 0)
    return 3;
  if (strcmp(freq, "M") == 0)
    return 1;
  return 0;
}

/* pandas.Series(values, index=PeriodIndex(labels, freq=freq,
 * name='period'), name=name, dtype='float64'), Int64 for counts. */
static PyObject *
build_series(PyObject *pandas, PyObject *values, PyObject *labels,
             const char *name, const char *freq)
{
  PyObject *series = NULL, *idx = NULL, *args = NULL, *kwargs = NULL;
  PyObject *series_cls = PyObject_GetAttrString(pandas, "Series");
  if (series_cls == NULL
      || (idx = hicov_period_index(labels, freq, "period")) == NULL)
    goto done;
  if ((args = PyTuple_Pack(1, values)) == NULL
      || (kwargs = Py_BuildValue("{sOssss}", "index", idx, "name", name,
                                 "dtype", "float64")) == NULL)
    goto done;
  series = PyObject_Call(series_cls, args, kwargs);
  if (series != NULL && hicov_indicator_is_count(name))
    Py_SETREF(series, hicov_series_counts(series));
done:
  Py_XDECREF(series_cls);
  Py_XDECREF(idx);
  Py_XDECREF(args);
  Py_XDECREF(kwargs);
  return series;
}

/* series.attrs: what the values are: indicator, unit, freq, group; and
 * what they are on: boundaries 'today' or 'as-published'; as_of the month whose boundaries ('2025-12'; None as
 * published); note "on today's boundaries" (in the dataset's language)
 * when units joined this one within the series, else ''; estimates the
 * periods whose values rest on a crosswalk share. */
static int
series_attrs(PyObject *self, PyObject *series, const char *unit,
             const char *freq, const char *group, int first_end, int asof,
             PyObject *estimates)
{
  HicovDataset *ds = DS(self);
  int b = hicov_dataset_boundaries(ds);
  int reshaped = first_end <= asof &&
                 hicov_dataset_predecessors(ds, unit, first_end, asof, NULL,
                                            0) > 0;
  PyObject *as_of = b == HICOV_BOUNDARIES_TODAY && first_end <= asof
                        ? hicov_period_to_str(hicov_period_range(asof, asof))
                        : Py_NewRef(Py_None);
  PyObject *name = PyUnicode_FromString(hicov_boundaries_name(b));
  PyObject *note = PyUnicode_FromString(
      reshaped ? hicov_boundaries_label(b, hicov_dataset_lang(ds)) : "");
  PyObject *attrs = PyObject_GetAttrString(series, "attrs");
  int rc = -1;
  if (as_of != NULL && name != NULL && note != NULL && attrs != NULL
      && PyMapping_SetItemString(attrs, "boundaries", name) == 0
      && PyMapping_SetItemString(attrs, "as_of", as_of) == 0
      && PyMapping_SetItemString(attrs, "note", note) == 0
      && PyMapping_SetItemString(attrs, "estimates", estimates) == 0)
    rc = 0;
  PyObject *what = rc == 0 ? Py_BuildValue(
      "{sNsssssz}", "indicator", PyObject_GetAttrString(series, "name"),
      "unit", unit, "freq", freq, "group", empty_to_null(group)) : NULL;
  if (rc == 0 && (what == NULL || PyDict_Update(attrs, what) < 0))
    rc = -1;
  Py_XDECREF(what);
  Py_XDECREF(as_of);
  Py_XDECREF(name);
  Py_XDECREF(note);
  Py_XDECREF(attrs);
  return rc;
}

static PyObject *
dataset_series_impl(PyObject *self, hicov_state *st, const char *indicator,
                    const char *unit, int step, int first_month,
                    int last_month, const char *group)
{
  if (check_indicator(st, indicator) < 0)
    return NULL;
  PyObject *series = NULL, *pandas = NULL, *index = NULL, *values = NULL;
  PyObject *estimates = NULL;
  if ((index = PyList_New(0)) == NULL || (values = PyList_New(0)) == NULL
      || (estimates = PyList_New(0)) == NULL)
    goto done;
  /* Periods aligned on the calendar (whole years, quarters or months),
   * one core evaluation each, on the boundaries of the last: today's. */
  int start = first_month - first_month % step;
  int asof = start + (last_month - start) / step * step + step - 1;
  for (int m = start; m <= last_month; m += step) {
    HicovPeriod p = hicov_period_range(m, m + step - 1);
    HicovResult r;
    memset(&r, 0, sizeof r);
    int rc = hicov_indicator_value_on(DS(self), indicator, unit, p, asof,
                                      empty_to_null(group), &r);
    if (hicov_check_status(st, rc, DS(self)) < 0)
      goto done;
    PyObject *label = hicov_period_to_str(p);
    if (label == NULL)
      goto done;
    int err = PyList_Append(index, label);
    if (err == 0 && r.status == HICOV_OK && r.estimate)
      err = PyList_Append(estimates, label);
    Py_DECREF(label);
    if (err < 0)
      goto done;
    PyObject *value = result_output(st, &r, OUT_VALUE);
    if (value == NULL)
      goto done;
    err = PyList_Append(values, value);
    Py_DECREF(value);
    if (err < 0)
      goto done;
  }
  if ((pandas = PyImport_ImportModule("pandas")) == NULL)
    goto done;
  const char *freq = step == 12 ? "Y" : step == 3 ? "Q" : "M";
  series = build_series(pandas, values, index, indicator, freq);
  if (series != NULL
      && series_attrs(self, series, unit, freq, group, start + step - 1, asof,
                      estimates) < 0)
    Py_CLEAR(series);
done:
  Py_XDECREF(index);
  Py_XDECREF(values);
  Py_XDECREF(estimates);
  Py_XDECREF(pandas);
  return series;
}

PyDoc_STRVAR(series_doc,
"series($self, /, indicator, unit, freq='Y', start=None, end=None, "
"group=None, *, boundaries=None)\n--\n\n"
"Returns pandas.Series.\n\n"
"The indicator for each calendar year ('Y'), quarter ('Q') or month ('M')\n"
"from start to end (periods; default: the dataset's month span; a date or\n"
"a month selects the year or quarter it falls in), indexed by a pandas\n"
"PeriodIndex of that frequency named 'period'; float64 with NaN where\n"
"missing, Int64 with <NA> for a count such as participants (float64 if a\n"
"count has decimals).  Every period is on the boundaries of\n"
"the last, today's: a unit that absorbed others has their figures in its\n"
"earlier periods.  boundaries='as-published' gives the figures as they\n"
"were published at the time (None: Dataset.boundaries).  series.attrs\n"
"records 'indicator', 'unit', 'freq' ('Y', 'Q', 'M'), 'group' and what\n"
"the values are on: 'boundaries', 'as_of' (the month, or None), 'note' (\"on\n"
"today's boundaries\" when units joined this one within the series, in\n"
"Dataset.lang; else '') and 'estimates' (the periods whose values rest\n"
"on the share of a divided unit).");

static PyObject *
dataset_series(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicator", "unit", "freq", "start", "end",
                             "group", "boundaries", NULL};
  const char *indicator, *unit, *freq = "Y", *group = NULL;
  const char *boundaries = NULL;
  PyObject *start_obj = Py_None, *end_obj = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ss|sOOz$z:series", keywords,
                                   &indicator, &unit, &freq, &start_obj,
                                   &end_obj, &group, &boundaries))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  int step = freq_months(freq);
  if (step == 0)
    return PyErr_Format(PyExc_ValueError,
                        "invalid freq '%s': expected 'Y', 'Q' or 'M'", freq);
  int first = 0, last = -1;
  if (start_obj == Py_None || end_obj == Py_None) {
    int rc = hicov_dataset_month_span(DS(self), &first, &last);
    if (rc == HICOV_MISSING) {
      first = 0;
      last = -1; /* no values: an empty series */
    } else if (hicov_check_status(st, rc, DS(self)) < 0) {
      return NULL;
    }
  }
  HicovPeriod p;
  if (start_obj != Py_None) {
    if (hicov_convert_period_arg(st, "start", start_obj, &p) < 0)
      return NULL;
    first = p.first;
    if (end_obj == Py_None && last < first)
      last = first - 1;
  }
  if (end_obj != Py_None) {
    if (hicov_convert_period_arg(st, "end", end_obj, &p) < 0)
      return NULL;
    last = p.last;
  }
  LangScope sc;
  if (scope_enter(st, self, NULL, boundaries, &sc) < 0)
    return NULL;
  PyObject *series = dataset_series_impl(self, st, indicator, unit, step,
                                         first, last, group);
  lang_leave(self, &sc);
  return series;
}

/* ------------------------------------------------------------------------ */
/* assess                                                                    */

static PyObject *
int_list(const int *v, int n)
{
  PyObject *list = PyList_New(n);
  for (int i = 0; list != NULL && i < n; i++) {
    PyObject *x = PyLong_FromLong(v[i]);
    if (x == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, i, x);
  }
  return list;
}

static PyObject *
double_list(const double *v, int n)
{
  PyObject *list = PyList_New(n);
  for (int i = 0; list != NULL && i < n; i++) {
    PyObject *x = PyFloat_FromDouble(v[i]);
    if (x == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, i, x);
  }
  return list;
}

static int
append_assessment(PyObject *cols, const HicovResolution *res,
                  const HicovAssessment *a)
{
  const HicovTarget *t = hicov_resolution_target(res, a->target_index);
  int n = a->fit_n < 0 ? 0 : a->fit_n > HICOV_FIT_MAX ? HICOV_FIT_MAX : a->fit_n;
#define APPEND(name, value) \
  if (hicov_column_append(cols, name, value) < 0) return -1
  APPEND("target", PyLong_FromSize_t(a->target_index));
  APPEND("unit", PyUnicode_DecodeUTF8(a->unit, (Py_ssize_t)strnlen(
             a->unit, sizeof a->unit), "replace"));
  APPEND("indicator", hicov_str_or_none(t != NULL ? t->indicator : NULL));
  APPEND("comparison", PyUnicode_FromString(
             t != NULL && t->comparison == HICOV_CMP_AT_MOST ? "at_most"
                                                             : "at_least"));
  APPEND("threshold", PyFloat_FromDouble(a->threshold));
  APPEND("deadline_year", PyLong_FromLong(a->deadline_year));
  APPEND("baseline_year", PyLong_FromLong(a->baseline_year));
  APPEND("baseline_value", PyFloat_FromDouble(a->baseline_value));
  APPEND("latest_year", PyLong_FromLong(a->latest_year));
  APPEND("latest_value", PyFloat_FromDouble(a->latest_value));
  APPEND("status", hicov_str_or_none(hicov_target_status_name(a->status)));
  APPEND("gap", PyFloat_FromDouble(a->gap));
  APPEND("participants_needed", PyFloat_FromDouble(a->participants_needed));
  APPEND("required_annual_change",
         PyFloat_FromDouble(a->required_annual_change));
  APPEND("required_annual_growth",
         PyFloat_FromDouble(a->required_annual_growth));
  APPEND("projected_value", PyFloat_FromDouble(a->projected_value));
  APPEND("projected_year", PyFloat_FromDouble(a->projected_year));
  APPEND("fit_method", hicov_str_or_none(a->fit_method));
  APPEND("fit_years", int_list(a->fit_years, n));
  APPEND("fit_values", double_list(a->fit_values, n));
  APPEND("fit_slope", PyFloat_FromDouble(a->fit_slope));
  APPEND("fit_intercept", PyFloat_FromDouble(a->fit_intercept));
  APPEND("fit_origin", PyLong_FromLong(a->fit_origin));
  APPEND("label", hicov_str_or_none(t != NULL ? t->label : NULL));
  APPEND("reason", PyUnicode_DecodeUTF8(a->reason, (Py_ssize_t)strnlen(
             a->reason, sizeof a->reason), "replace"));
  APPEND("boundaries_as_of",
         a->boundary_month >= 0 && a->latest_year > 0
             ? hicov_period_to_str(hicov_period_range(a->boundary_month,
                                                      a->boundary_month))
             : Py_NewRef(Py_None));
  APPEND("baseline_estimate", PyBool_FromLong(a->baseline_estimate));
  APPEND("fit_estimate", PyBool_FromLong(a->fit_estimate));
#undef APPEND
  return 0;
}

static PyObject *
dataset_assess_rows(PyObject *self, hicov_state *st,
                    const HicovResolution *res);

static PyObject *
dataset_assess_impl(PyObject *self, hicov_state *st,
                    const HicovResolution *res, const char *lang,
                    const char *boundaries)
{
  LangScope sc;
  if (scope_enter(st, self, lang, boundaries, &sc) < 0)
    return NULL;
  PyObject *frame = dataset_assess_rows(self, st, res);
  lang_leave(self, &sc);
  return frame;
}

/* Years as Int64 with <NA> for none (the core's 0, the projection's NaN),
 * participants_needed a head count, comparison and status categorical, a
 * missing reason <NA>. */
static int
assess_typed(PyObject *frame)
{
  static const char *const years[] = {"deadline_year", "baseline_year",
                                      "latest_year", "fit_origin", NULL};
  static const char *const categories[] = {"comparison", "status", NULL};
  for (size_t i = 0; years[i] != NULL; i++)
    if (hicov_frame_years(frame, years[i]) < 0)
      return -1;
  if (hicov_frame_astype(frame, "projected_year", "float64") < 0
      || hicov_frame_counts(frame, "projected_year") < 0
      || hicov_frame_astype(frame, "participants_needed", "float64") < 0
      || hicov_frame_counts(frame, "participants_needed") < 0
      || hicov_frame_categories(frame, categories) < 0
      || hicov_frame_text_na(frame, "reason") < 0)
    return -1;
  return 0;
}

static PyObject *
dataset_assess_rows(PyObject *self, hicov_state *st,
                    const HicovResolution *res)
{
  static const char *const names[] = {
    "target", "unit", "indicator", "comparison", "threshold",
    "deadline_year", "baseline_year", "baseline_value", "latest_year",
    "latest_value", "status", "gap", "participants_needed",
    "required_annual_change", "required_annual_growth", "projected_value",
    "projected_year", "fit_method", "fit_years", "fit_values", "fit_slope",
    "fit_intercept", "fit_origin", "label", "reason", "boundaries_as_of",
    "baseline_estimate", "fit_estimate", NULL};
  HicovAssessment *out = NULL;
  size_t n = 0;
  int rc = hicov_assess(DS(self), res, &out, &n);
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *frame = NULL;
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    goto done;
  for (size_t i = 0; i < n; i++)
    if (append_assessment(cols, res, &out[i]) < 0)
      goto done;
  frame = hicov_frame_from_columns(cols);
  if (frame != NULL && assess_typed(frame) < 0)
    Py_CLEAR(frame);
done:
  Py_XDECREF(cols);
  hicov_free(out);
  return frame;
}

PyDoc_STRVAR(assess_doc,
"assess($self, /, resolution, *, lang=None, boundaries=None)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"Assesses every target of a resolution: a hicov.Resolution, an index into\n"
"Dataset.resolutions, or a dict {body, number, title, term: (start, end),\n"
"targets: [{indicator, unit, level?, threshold, deadline, baseline?,\n"
"comparison?, label?}]}.  One row per target and unit with status, gap,\n"
"participants_needed, required annual change and growth, the projection,\n"
"the fit's inputs and parameters and the reason a value is missing (in\n"
"lang: 'vi', 'en'; None: Dataset.lang).  The fit's values and the\n"
"baseline are on the boundaries of the latest year (boundaries_as_of;\n"
"boundaries='as-published': as published, None: Dataset.boundaries);\n"
"baseline_estimate and fit_estimate say whether they rest on the share\n"
"of a divided unit.  Years (deadline_year, baseline_year, latest_year,\n"
"projected_year, fit_origin) are Int64 with <NA> for none; so is\n"
"participants_needed, a head count; comparison and status are\n"
"categorical; reason is <NA> when there is none.");

static PyObject *
dataset_assess(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"resolution", "lang", "boundaries", NULL};
  PyObject *obj;
  const char *lang = NULL, *boundaries = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$zz:assess", keywords,
                                   &obj, &lang, &boundaries))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || hicov_check_lang(st, lang, 1) < 0)
    return NULL;
  if (PyObject_TypeCheck(obj, st->ResolutionType))
    return dataset_assess_impl(self, st, ((ResolutionObject *)obj)->res,
                               lang, boundaries);
  if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    Py_ssize_t i = PyLong_AsSsize_t(obj);
    if (i == -1 && PyErr_Occurred())
      return NULL;
    Py_ssize_t count = (Py_ssize_t)hicov_dataset_resolution_count(DS(self));
    if (i < 0)
      i += count;
    if (i < 0 || i >= count)
      return PyErr_Format(PyExc_IndexError,
                          "resolution index %R out of range: the dataset "
                          "has %zd resolutions", obj, count);
    return dataset_assess_impl(self, st,
                               hicov_dataset_resolution(DS(self), (size_t)i),
                               lang, boundaries);
  }
  if (PyDict_Check(obj)) {
    HicovResolution *res = NULL;
    if (hicov_resolution_from_mapping(st, obj, &res) < 0)
      return NULL;
    PyObject *frame = dataset_assess_impl(self, st, res, lang, boundaries);
    hicov_resolution_free(res);
    return frame;
  }
  return PyErr_Format(PyExc_TypeError,
                      "resolution must be a hicov.Resolution, an int index "
                      "or a dict, not %.100s", Py_TYPE(obj)->tp_name);
}

/* ------------------------------------------------------------------------ */
/* check                                                                     */

static PyObject *
dataset_check_rows(PyObject *self, hicov_state *st, int release);

static PyObject *
dataset_check_impl(PyObject *self, hicov_state *st, const char *lang)
{
  LangScope sc;
  if (lang_enter(st, self, lang, &sc) < 0)
    return NULL;
  PyObject *frame = dataset_check_rows(self, st, scope_shared(&sc));
  lang_leave(self, &sc);
  return frame;
}

static PyObject *
dataset_check_rows(PyObject *self, hicov_state *st, int release)
{
  static const char *const names[] = {"kind", "severity", "unit", "measure",
                                      "period", "message", NULL};
  HicovFinding *out = NULL;
  size_t n = 0;
  int rc;
  if (release) { /* a query: beside other threads', without the GIL */
    if (hicov_dataset_share(self) < 0)
      return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_dataset_check(DS(self), &out, &n);
    Py_END_ALLOW_THREADS
    hicov_dataset_unshare(self);
  } else {
    rc = hicov_dataset_check(DS(self), &out, &n);
  }
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *frame = NULL;
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    goto done;
  for (size_t i = 0; i < n; i++) {
    const HicovFinding *f = &out[i];
    if (hicov_column_append(cols, "kind", hicov_str_or_none(
            hicov_finding_kind_name(f->kind))) < 0
        || hicov_column_append(cols, "severity", PyUnicode_FromString(
               f->severity >= 2 ? "error" : "warning")) < 0
        || hicov_column_append(cols, "unit", PyUnicode_DecodeUTF8(
               f->unit, (Py_ssize_t)strnlen(f->unit, sizeof f->unit),
               "replace")) < 0
        || hicov_column_append(cols, "measure", PyUnicode_DecodeUTF8(
               f->measure, (Py_ssize_t)strnlen(f->measure, sizeof f->measure),
               "replace")) < 0
        || hicov_column_append(cols, "period",
                               f->period.kind != 0
                                   ? hicov_period_to_str(f->period)
                                   : Py_NewRef(Py_None)) < 0
        || hicov_column_append(cols, "message", PyUnicode_DecodeUTF8(
               f->message, (Py_ssize_t)strnlen(f->message, sizeof f->message),
               "replace")) < 0)
      goto done;
  }
  frame = hicov_frame_from_columns(cols);
done:
  Py_XDECREF(cols);
  hicov_free(out);
  return frame;
}

PyDoc_STRVAR(check_doc,
"check($self, /, *, lang=None)\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"Data-quality findings: kind, severity ('warning' or 'error'), unit,\n"
"measure, period, message (in lang: 'vi', 'en'; None: Dataset.lang).");

static PyObject *
dataset_check(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"lang", NULL};
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$z:check", keywords, &lang))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  return dataset_check_impl(self, st, lang);
}

/* ------------------------------------------------------------------------ */
/* Properties                                                                */

static PyObject *
dataset_get_resolutions(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  size_t n = hicov_dataset_resolution_count(DS(self));
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (size_t i = 0; list != NULL && i < n; i++) {
    PyObject *res = hicov_resolution_wrap_copy(
        st, hicov_dataset_resolution(DS(self), i));
    if (res == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, (Py_ssize_t)i, res);
  }
  return list;
}

static PyObject *
dataset_get_rejections(PyObject *self, void *Py_UNUSED(closure))
{
  static const char *const names[] = {"file", "line", "column", "field",
                                      "message", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_dataset_rejection_count(DS(self));
  for (size_t i = 0; i < n; i++) {
    HicovRejection r;
    if (hicov_dataset_rejection(DS(self), i, &r) != HICOV_OK)
      continue;
    if (hicov_column_append(cols, "file", hicov_str_or_none(r.file)) < 0
        || hicov_column_append(cols, "line", PyLong_FromLong(r.line)) < 0
        || hicov_column_append(cols, "column", PyLong_FromLong(r.column)) < 0
        || hicov_column_append(cols, "field", PyUnicode_FromString(
               r.field != NULL ? r.field : "")) < 0
        || hicov_column_append(cols, "message",
                               hicov_str_or_none(r.message)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

static PyObject *
dataset_get_load_stats(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  HicovLoadStats s;
  memset(&s, 0, sizeof s);
  hicov_dataset_load_stats(DS(self), &s);
  PyObject *result = PyStructSequence_New(st->LoadStatsType);
  if (result == NULL)
    return NULL;
  long v[3] = {s.rows_read, s.rows_accepted, s.rows_rejected};
  for (Py_ssize_t i = 0; i < 3; i++) {
    PyObject *x = PyLong_FromLong(v[i]);
    if (x == NULL) {
      Py_DECREF(result);
      return NULL;
    }
    PyStructSequence_SetItem(result, i, x);
  }
  return result;
}

static PyObject *
dataset_get_month_span(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  int first = 0, last = 0;
  int rc = hicov_dataset_month_span(DS(self), &first, &last);
  if (rc == HICOV_MISSING)
    Py_RETURN_NONE;
  if (hicov_check_status(st, rc, DS(self)) < 0)
    return NULL;
  PyObject *a = hicov_month_to_str(first);
  PyObject *b = hicov_month_to_str(last);
  PyObject *t = (a != NULL && b != NULL) ? PyTuple_Pack(2, a, b) : NULL;
  Py_XDECREF(a);
  Py_XDECREF(b);
  return t;
}

static PyObject *
dataset_get_groups(PyObject *self, void *Py_UNUSED(closure))
{
  size_t n = hicov_dataset_group_count(DS(self));
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (size_t i = 0; list != NULL && i < n; i++) {
    const char *g = hicov_dataset_group(DS(self), i);
    PyObject *s = PyUnicode_FromString(g != NULL ? g : "");
    if (s == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, (Py_ssize_t)i, s);
  }
  return list;
}

static PyObject *
dataset_get_fund_share(PyObject *self, void *Py_UNUSED(closure))
{
  return PyFloat_FromDouble(hicov_dataset_fund_share(DS(self)));
}

static int
dataset_set_fund_share(PyObject *self, PyObject *value,
                       void *Py_UNUSED(closure))
{
  if (value == NULL) {
    PyErr_SetString(PyExc_AttributeError, "cannot delete fund_share");
    return -1;
  }
  double percent = PyFloat_AsDouble(value);
  if (percent == -1.0 && PyErr_Occurred())
    return -1;
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  int rc = hicov_dataset_set_fund_share(DS(self), percent);
  if (rc == HICOV_INVALID)
    return hicov_raise(st, rc, "fund_share must be in (0, 100], not %R",
                       value);
  return hicov_check_status(st, rc, DS(self));
}

static PyObject *
dataset_get_lang(PyObject *self, void *Py_UNUSED(closure))
{
  return hicov_str_or_none(hicov_dataset_lang(DS(self)));
}

static int
dataset_set_lang(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  const char *lang;
  if (hicov_lang_of_setter(st, value, &lang) < 0)
    return -1;
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  return hicov_check_status(st, hicov_dataset_set_lang(DS(self), lang),
                            DS(self));
}

static PyObject *
dataset_get_boundaries(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(
      hicov_boundaries_name(hicov_dataset_boundaries(DS(self))));
}

static int
dataset_set_boundaries(PyObject *self, PyObject *value,
                       void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  if (value == NULL || !PyUnicode_Check(value)) {
    PyErr_Format(PyExc_TypeError, "boundaries must be a str, not %.100s",
                 value ? Py_TYPE(value)->tp_name : "nothing");
    return -1;
  }
  const char *name = PyUnicode_AsUTF8(value);
  if (name == NULL)
    return -1;
  int b = hicov_boundaries_parse(name);
  if (b < 0)
    return hicov_raise(st, HICOV_INVALID, "boundaries must be 'today' or "
                       "'as-published', not '%s'", name);
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  return hicov_check_status(st, hicov_dataset_set_boundaries(DS(self), b),
                            DS(self));
}

static PyObject *
dataset_repr(PyObject *self)
{
  size_t units = hicov_dataset_unit_count(DS(self));
  int first = 0, last = 0;
  if (hicov_dataset_month_span(DS(self), &first, &last) != HICOV_OK)
    return PyUnicode_FromFormat("<hicov.Dataset: %zu units, no values>",
                                units);
  return PyUnicode_FromFormat(
      "<hicov.Dataset: %zu units, values %04d-%02d..%04d-%02d>", units,
      first / 12, first % 12 + 1, last / 12, last % 12 + 1);
}

static PyGetSetDef dataset_getset[] = {
  {"resolutions", dataset_get_resolutions, NULL,
   "Copies of the resolutions the dataset carries (list of Resolution).",
   NULL},
  {"rejections", dataset_get_rejections, NULL,
   "Rows rejected by lenient loads (DataFrame: file, line, column, field, "
   "message).", NULL},
  {"load_stats", dataset_get_load_stats, NULL,
   "LoadStats(read, accepted, rejected) over all loads.", NULL},
  {"month_span", dataset_get_month_span, NULL,
   "('YYYY-MM', 'YYYY-MM'): first and last month with a value, or None.",
   NULL},
  {"fund_share", dataset_get_fund_share, dataset_set_fund_share,
   "Percent of contribution revenue that goes to the medical fund (90 by "
   "default); used by fund_balance and fund_usage.", NULL},
  {"groups", dataset_get_groups, NULL,
   "Beneficiary-group codes seen in the values, sorted.", NULL},
  {"lang", dataset_get_lang, dataset_set_lang,
   "Language of the reasons, findings, rejections and error messages the\n"
   "dataset writes: 'vi', 'en', or None (the default) for the process's\n"
   "(LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them).  Methods\n"
   "that return reasons also take lang= for one call.", NULL},
  {"boundaries", dataset_get_boundaries, dataset_set_boundaries,
   "How periods are compared: 'today' (the default) compares a unit with\n"
   "the same territory earlier (the units merged into it since added, the\n"
   "shares of units split into it apportioned) and puts series, fits and\n"
   "baselines on the boundaries of their last period; 'as-published'\n"
   "takes every figure as published for its own period.  Methods that\n"
   "compare also take boundaries= for one call.", NULL},
  {NULL, NULL, NULL, NULL, NULL}
};

#define KW (PyCFunction)(void (*)(void))
static PyMethodDef dataset_methods[] = {
  {"value", KW dataset_value, METH_VARARGS | METH_KEYWORDS, value_doc},
  {"result", KW dataset_result, METH_VARARGS | METH_KEYWORDS, result_doc},
  {"reason", KW dataset_reason, METH_VARARGS | METH_KEYWORDS, reason_doc},
  {"change", KW dataset_change, METH_VARARGS | METH_KEYWORDS, change_doc},
  {"cagr", KW dataset_cagr, METH_VARARGS | METH_KEYWORDS, cagr_method_doc},
  {"measure", KW dataset_measure, METH_VARARGS | METH_KEYWORDS, measure_doc},
  {"table", KW dataset_table, METH_VARARGS | METH_KEYWORDS, table_doc},
  {"frame", KW dataset_frame, METH_VARARGS | METH_KEYWORDS, frame_doc},
  {"series", KW dataset_series, METH_VARARGS | METH_KEYWORDS, series_doc},
  {"assess", KW dataset_assess, METH_VARARGS | METH_KEYWORDS, assess_doc},
  {"units", dataset_units, METH_NOARGS, units_doc},
  {"children", KW dataset_children, METH_VARARGS | METH_KEYWORDS,
   children_doc},
  {"equity", KW hicov_dataset_equity, METH_VARARGS | METH_KEYWORDS,
   hicov_dataset_equity_doc},
  {"check", KW dataset_check, METH_VARARGS | METH_KEYWORDS, check_doc},
  {"chart_coverage", KW hicov_dataset_chart_coverage,
   METH_VARARGS | METH_KEYWORDS,
   "chart_coverage($self, /, unit, resolution=None, lang='en')\n--\n\n"
   "Returns Chart.\n\n"
   "Line chart of coverage_rate by year for unit, with the target of the\n"
   "resolution (a Resolution, an index into resolutions, a dict, or None:\n"
   "the dataset's nearest coverage target) and a dashed projection to its\n"
   "deadline."},
  {"chart_ranked", KW hicov_dataset_chart_ranked,
   METH_VARARGS | METH_KEYWORDS,
   "chart_ranked($self, /, indicator, period, parent, level='commune', "
   "target=None, lang='en', *, top=None, bottom=None)\n--\n\n"
   "Returns Chart.\n\n"
   "Ranked bars of an indicator over the units at `level` below parent\n"
   "(level=None: its direct children), with a target line when target is\n"
   "a number.  top=N keeps the N highest units, bottom=N the N lowest\n"
   "(units without a value count last; the subtitle says how many of how\n"
   "many).  Chart.keys holds the unit codes."},
  {"chart_groups", KW hicov_dataset_chart_groups,
   METH_VARARGS | METH_KEYWORDS,
   "chart_groups($self, /, measure, unit, periods, lang='en')\n--\n\n"
   "Returns Chart.\n\n"
   "Stacked columns of a measure by beneficiary group for each period\n"
   "(the five largest groups, the rest summed into 'Other groups')."},
  {"chart_columns", KW hicov_dataset_chart_columns,
   METH_VARARGS | METH_KEYWORDS,
   "chart_columns($self, /, indicator, unit, periods, lang='en')\n--\n\n"
   "Returns Chart.\n\n"
   "Columns of one indicator for unit over periods."},
  {"chart_revenue_spending", KW hicov_dataset_chart_revenue_spending,
   METH_VARARGS | METH_KEYWORDS,
   "chart_revenue_spending($self, /, unit, periods, lang='en')\n--\n\n"
   "Returns Chart.\n\n"
   "fund_revenue as columns and fund_paid as a line for unit over\n"
   "periods."},
  {"figure", KW hicov_dataset_figure, METH_VARARGS | METH_KEYWORDS,
   "figure($self, /, name, unit, period, *, indicator=None, "
   "ranking_max=20, compare=None, resolution=None, lang='en')\n--\n\n"
   "Returns Chart.\n\n"
   "One of the dashboard's figures of unit in period, built by the same\n"
   "code (hicov_figure_chart): name is 'coverage-trend', 'ranking',\n"
   "'groups', 'checkin', 'visits', 'spending', 'cost-per-visit' or\n"
   "'fund'.  The trend and the ranking show coverage_rate, or indicator:\n"
   "'participants', 'cost_per_participant', 'cost_per_visit',\n"
   "'inpatient_share', 'avg_length_of_stay', 'patients_500m',\n"
   "'commune_visit_share' or 'fund_usage' (no target or projection\n"
   "then).  The ranking shows the units right below unit: the\n"
   "ranking_max lowest (20 unless given), or with ranking_max=None every\n"
   "one, highest first; for coverage its bars are green where the unit\n"
   "meets its target and purple below it.  compare: up to 4 more unit\n"
   "codes drawn on the trend, one line each (5 units in all).  The\n"
   "targets come from resolution (a Resolution, an index into\n"
   "resolutions, a dict, or None: every resolution of the dataset).\n"
   "Chart.caption names the unit (and those compared), the period and\n"
   "the sources, and save(), svg(), png() and the notebook draw it; notes\n"
   "on estimates and synthetic units are in the subtitle.  An option the figure does not draw, an unknown name or\n"
   "indicator raise InvalidError (a ValueError); an unknown unit\n"
   "NotFoundError."},
  {"report", KW hicov_dataset_report, METH_VARARGS | METH_KEYWORDS,
   "report($self, /, resolution=None, lang='vi', source=None, time=None)\n--\n\n"
   "Returns Report.\n\n"
   "The report of a resolution (a Resolution, an index into resolutions,\n"
   "a dict, or None: the first) against this dataset: assessments,\n"
   "sentences, tables, data-quality findings and provenance.  source\n"
   "describes data without input files; time (Unix seconds) fixes the\n"
   "generation time for reproducible output."},
  {"to_adx", KW hicov_dataset_to_adx, METH_VARARGS | METH_KEYWORDS,
   "to_adx($self, /, path=None, unit=None, first_year=0, last_year=0, "
   "measures=True, indicators=False, exported=0, *, level='leaves')\n--\n\n"
   "Returns str or None.\n\n"
   "Annual values as an ADX document (urn:ihe:qrph:adx:2015): returned as\n"
   "str, or written atomically to path when given.  level: the finest\n"
   "units that hold each value (nothing counted twice), a level name, or\n"
   "'all' (every unit).  to_dhis2 takes a mapping, periods and groups."},
  {"load_adx", KW hicov_dataset_load_adx, METH_VARARGS | METH_KEYWORDS,
   "load_adx($self, /, path, strict=True)\n--\n\n"
   "Returns (AdxStats, list of str).\n\n"
   "Imports the measures of an ADX document into this dataset, whose units\n"
   "must exist.  Returns the counts and the rejection messages (lenient\n"
   "mode); strict mode raises ParseError at the first rejection and adds\n"
   "nothing."},
  {"import_workbook", KW hicov_dataset_import_workbook,
   METH_VARARGS | METH_KEYWORDS,
   "import_workbook($self, source, /, *, strict=True, on_conflict='error', "
   "mapping=None, format=None, name=None, **mapping_keys)\n"
   "--\n\n"
   "Returns dict.\n\n"
   "Reads a workbook like hicov.read_workbook against this dataset's units\n"
   "and merges the values into it, all or nothing. on_conflict says what a\n"
   "value that differs from the dataset's does: 'error' (InvalidError,\n"
   "with .conflicts listing each; nothing changes), 'replace' or 'keep'.\n"
   "Returns read_workbook's dict and 'merged': {added, replaced, kept,\n"
   "unchanged}."},
  {"save_table", KW hicov_dataset_save_table, METH_VARARGS | METH_KEYWORDS,
   "save_table($self, /, path, indicators, period, level=None, parent=None, "
   "group=None, lang='vi', total=True)\n--\n\n"
   "Returns int.\n\n"
   "Writes the table of indicators (a name or a list) by unit for period\n"
   "as XLSX, ODS or CSV (by path's extension), atomically: units at level\n"
   "below parent (default: parent's direct children; without parent,\n"
   "every province) in Vietnamese order, Vietnamese headings (lang='en'\n"
   "for English), number formats #,##0 and 0.0%, a frozen heading row,\n"
   "the parent's own row last (total=False leaves it out). Returns the\n"
   "number of rows."},
  /* dhis2.c: DHIS2's ADX and dataValueSets JSON */
  {"to_dhis2", KW hicov_dataset_to_dhis2, METH_VARARGS | METH_KEYWORDS,
   "to_dhis2($self, /, path=None, *, format=None, unit=None, "
   "first_year=None, last_year=None, level='leaves', period_type='yearly', "
   "groups='auto', measures=True, indicators=False, mapping=None, "
   "id_scheme=None, skip_unmapped=False, data_set=None, complete_date=None, "
   "exported=0)\n--\n\n"
   "Returns dict.\n\n"
   "An export for DHIS2 as IHE ADX or dataValueSets JSON (format='adx' or\n"
   "'json'; None: JSON for a path ending in .json, as the command line\n"
   "decides, ADX otherwise), returned in 'document' or written atomically\n"
   "to path.  level: the\n"
   "finest units holding each value ('leaves': nothing counted twice), a\n"
   "level name, or 'all'; period_type: 'yearly', 'quarterly', 'monthly';\n"
   "groups: beneficiary groups as categoryOptionCombo ('auto', 'totals',\n"
   "'groups', 'both'); mapping: a mapping file's path or rows (kind, hicov,\n"
   "dhis2[, 'code'|'uid']); skip_unmapped leaves out what it does not\n"
   "name (InvalidError lists it otherwise).  The dict also holds values,\n"
   "org_units, periods, unmapped, partial and notes (list of str)."},
  {"import_dhis2", KW hicov_dataset_import_dhis2, METH_VARARGS | METH_KEYWORDS,
   "import_dhis2($self, /, source, *, format=None, mapping=None, "
   "id_scheme=None, strict=True, on_conflict='error', name=None)\n--\n\n"
   "Returns dict.\n\n"
   "Reads an ADX or dataValueSets JSON document (a path, or bytes) through\n"
   "the mapping into this dataset, all or nothing.  strict: any rejected\n"
   "value raises ParseError (strict=False: listed, the rest read);\n"
   "on_conflict: 'error' (InvalidError, .conflicts lists each), 'replace'\n"
   "or 'keep'.  Returns format, read, accepted, derived, rejected,\n"
   "rejections (list of str) and merged {added, replaced, kept,\n"
   "unchanged}."},
  /* frames.c: datasets to and from pandas, saved and copied */
  {"values", KW hicov_dataset_values_py, METH_VARARGS | METH_KEYWORDS,
   "values($self, /, *, exact=True)\n--\n\n"
   "Returns pandas.DataFrame.\n\n"
   "Every observation, one row each, in the order of a saved values.csv:\n"
   "unit, period ('2024', '2024-Q3', '2024-10', '2025-01/2025-10'),\n"
   "measure, group (None for all groups), value and source (None if\n"
   "none).  value is exact: a decimal.Decimal with two decimals for every\n"
   "measure (people, visits and money in dong alike); exact=False gives\n"
   "float64 instead (counts exact, money in dong to the nearest double).\n"
   "hicov.from_frames takes this frame back."},
  {"to_frames", KW hicov_dataset_to_frames, METH_VARARGS | METH_KEYWORDS,
   "to_frames($self, /, *, exact=True)\n--\n\n"
   "Returns (units, values).\n\n"
   "The dataset as the two frames hicov.from_frames takes: units with the\n"
   "columns of units.csv (code, name, parent, level, tier, valid_to,\n"
   "successor, valid_from as 'YYYY-MM-DD' or None, synthetic) and\n"
   "values() (exact as there)."},
  {"save", KW hicov_dataset_save_py, METH_VARARGS | METH_KEYWORDS,
   "save($self, /, path)\n--\n\n"
   "Returns None.\n\n"
   "Saves the dataset as the folder path (units.csv and values.csv, the\n"
   "format hicov.load reads), both files replaced together or not at all:\n"
   "they are written and synced in a new folder beside path, which then\n"
   "takes its place in one rename; other files in path are kept.  Saving\n"
   "what was loaded gives the same bytes.  Resolutions and the fund share\n"
   "are not part of the folder.  FileError says what failed; path is then\n"
   "as it was."},
  {"copy", hicov_dataset_copy_py, METH_NOARGS,
   "copy($self, /)\n--\n\n"
   "Returns Dataset.\n\n"
   "An independent copy: units, values with their sources, splits,\n"
   "resolutions, fund share, boundaries and lang (not the load history:\n"
   "rejections, load_stats)."},
  {"__copy__", hicov_dataset_copy_py, METH_NOARGS,
   "__copy__($self, /)\n--\n\ncopy.copy(): the same as copy()."},
  {"__deepcopy__", hicov_dataset_deepcopy_py, METH_O,
   "__deepcopy__($self, memo, /)\n--\n\ncopy.deepcopy(): the same as copy()."},
  {"load_adx_bytes", KW hicov_dataset_load_adx_bytes,
   METH_VARARGS | METH_KEYWORDS,
   "load_adx_bytes($self, /, data, name='<bytes>', strict=True)\n--\n\n"
   "Returns (AdxStats, list of str).\n\n"
   "load_adx() from memory (bytes or str); name is used in messages."},
  {"_repr_html_", hicov_repr_html, METH_NOARGS,
   "_repr_html_($self, /)\n--\n\n"
   "HTML for Jupyter: a summary table (hicov/_display.py), unstyled."},
  /* pickle.c: the core's serialisation */
  {"to_bytes", hicov_dataset_to_bytes, METH_NOARGS,
   "to_bytes($self, /)\n--\n\n"
   "Returns bytes.\n\n"
   "The dataset as the core serialises it (hicov_dataset_serialize): what\n"
   "copy() keeps, versioned and sealed with a SHA-256.  Dataset.from_bytes reads it back; pickle uses it."},
  {"from_bytes", hicov_dataset_from_bytes, METH_O | METH_CLASS,
   "from_bytes($type, data, /)\n--\n\n"
   "Returns Dataset.\n\n"
   "A dataset from Dataset.to_bytes() (any bytes-like object).  Bytes\n"
   "that are not such a state (another version, cut, changed) raise\n"
   "ParseError."},
  {"__reduce__", hicov_dataset_reduce, METH_NOARGS,
   "__reduce__($self, /)\n--\n\n"
   "Pickling support: Dataset.from_bytes(to_bytes())."},
  {NULL, NULL, 0, NULL}
};
#undef KW

PyDoc_STRVAR(dataset_doc,
"A dataset of units and exact values.  Get one from hicov.demo() or\n"
"hicov.load(path).");

static PyType_Slot dataset_slots[] = {
  {Py_tp_dealloc, dataset_dealloc},
  {Py_tp_repr, dataset_repr},
  {Py_tp_methods, dataset_methods},
  {Py_tp_getset, dataset_getset},
  {Py_tp_doc, (void *)dataset_doc},
  {0, NULL}
};

PyType_Spec hicov_dataset_spec = {
  .name = "hicov.Dataset",
  .basicsize = sizeof(DatasetObject),
  .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE
           | Py_TPFLAGS_DISALLOW_INSTANTIATION,
  .slots = dataset_slots,
};
