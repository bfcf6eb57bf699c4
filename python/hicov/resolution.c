/* resolution.c - hicov.Resolution, a heap type wrapping an owned
 * HicovResolution* (a resolution of a people's council or party congress
 * with its numeric targets). */
#include "_hicov.h"

#include <string.h>

#define RES(self) (((ResolutionObject *)(self))->res)

static PyObject *
resolution_wrap(PyTypeObject *type, HicovResolution *res)
{
  ResolutionObject *self = (ResolutionObject *)type->tp_alloc(type, 0);
  if (self == NULL) {
    hicov_resolution_free(res);
    return NULL;
  }
  self->res = res;
  return (PyObject *)self;
}

PyObject *
hicov_resolution_wrap(hicov_state *st, HicovResolution *res)
{
  return resolution_wrap(st->ResolutionType, res);
}

int
hicov_convert_resolution(hicov_state *st, HicovDataset *ds, PyObject *obj,
                         int allow_none, const HicovResolution **res,
                         HicovResolution **owned)
{
  *res = NULL;
  *owned = NULL;
  if (obj == Py_None && allow_none)
    return 0;
  if (PyObject_TypeCheck(obj, st->ResolutionType)) {
    *res = RES(obj);
    return 0;
  }
  if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    Py_ssize_t i = PyLong_AsSsize_t(obj);
    if (i == -1 && PyErr_Occurred())
      return -1;
    Py_ssize_t count = (Py_ssize_t)hicov_dataset_resolution_count(ds);
    if (i < 0)
      i += count;
    if (i < 0 || i >= count) {
      PyErr_Format(PyExc_IndexError,
                   "resolution index %R out of range: the dataset has %zd "
                   "resolutions", obj, count);
      return -1;
    }
    *res = hicov_dataset_resolution(ds, (size_t)i);
    return 0;
  }
  if (PyDict_Check(obj)) {
    if (hicov_resolution_from_mapping(st, obj, owned) < 0)
      return -1;
    *res = *owned;
    return 0;
  }
  PyErr_Format(PyExc_TypeError,
               "resolution must be a hicov.Resolution, an int index or a "
               "dict%s, not %.100s", allow_none ? " or None" : "",
               Py_TYPE(obj)->tp_name);
  return -1;
}

PyObject *
hicov_resolution_wrap_copy(hicov_state *st, const HicovResolution *res)
{
  HicovResolution *copy = NULL;
  int rc = hicov_resolution_copy(res, &copy);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  return resolution_wrap(st->ResolutionType, copy);
}

/* ------------------------------------------------------------------------ */
/* From a dict                                                               */

/* Looks up key in dict; *out is borrowed or NULL when absent. Returns -1 on
 * error. */
static int
get_item(PyObject *dict, const char *key, PyObject **out)
{
  PyObject *k = PyUnicode_FromString(key);
  if (k == NULL)
    return -1;
  *out = PyDict_GetItemWithError(dict, k);
  Py_DECREF(k);
  return (*out == NULL && PyErr_Occurred()) ? -1 : 0;
}

/* Rejects keys outside `allowed` so a typo ("dealine") is not silently
 * ignored. */
static int
check_keys(hicov_state *st, PyObject *dict, const char *const *allowed,
           const char *where)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(dict, &pos, &key, &value)) {
    int ok = 0;
    if (PyUnicode_Check(key)) {
      const char *k = PyUnicode_AsUTF8(key);
      if (k == NULL)
        return -1;
      for (size_t i = 0; allowed[i] != NULL && !ok; i++)
        ok = strcmp(k, allowed[i]) == 0;
    }
    if (!ok)
      return hicov_raise(st, HICOV_INVALID, "%s: unknown key %R", where, key);
  }
  return 0;
}

/* A str item (None/absent gives `dflt`); the UTF-8 belongs to the item. */
static int
get_str(hicov_state *st, PyObject *dict, const char *key, const char *dflt,
        int required, const char *where, const char **out)
{
  PyObject *v;
  if (get_item(dict, key, &v) < 0)
    return -1;
  if (v == NULL || v == Py_None) {
    if (required)
      return hicov_raise(st, HICOV_INVALID, "%s: missing '%s'", where, key);
    *out = dflt;
    return 0;
  }
  if (!PyUnicode_Check(v)) {
    PyErr_Format(PyExc_TypeError, "%s: '%s' must be a str, not %.100s",
                 where, key, Py_TYPE(v)->tp_name);
    return -1;
  }
  *out = PyUnicode_AsUTF8(v);
  return *out == NULL ? -1 : 0;
}

static int
get_int(hicov_state *st, PyObject *dict, const char *key, int dflt,
        int required, const char *where, int *out)
{
  PyObject *v;
  if (get_item(dict, key, &v) < 0)
    return -1;
  if (v == NULL || v == Py_None) {
    if (required)
      return hicov_raise(st, HICOV_INVALID, "%s: missing '%s'", where, key);
    *out = dflt;
    return 0;
  }
  if (!PyLong_Check(v) || PyBool_Check(v)) {
    PyErr_Format(PyExc_TypeError, "%s: '%s' must be an int, not %.100s",
                 where, key, Py_TYPE(v)->tp_name);
    return -1;
  }
  long x = PyLong_AsLong(v);
  if (x == -1 && PyErr_Occurred())
    return -1;
  if (x < -100000 || x > 100000)
    return hicov_raise(st, HICOV_INVALID, "%s: '%s' out of range: %ld", where,
                       key, x);
  *out = (int)x;
  return 0;
}

static int
get_level(hicov_state *st, PyObject *dict, const char *where, int *out)
{
  PyObject *v;
  if (get_item(dict, "level", &v) < 0)
    return -1;
  if (v == NULL || v == Py_None) {
    *out = -1; /* the unit itself */
    return 0;
  }
  if (PyUnicode_Check(v)) {
    const char *name = PyUnicode_AsUTF8(v);
    if (name == NULL)
      return -1;
    *out = hicov_level_parse(name);
    if (*out < 0)
      return hicov_raise(st, HICOV_INVALID, "%s: unknown level %R", where, v);
    return 0;
  }
  return get_int(st, dict, "level", -1, 0, where, out);
}

static int
get_comparison(hicov_state *st, PyObject *dict, const char *where, int *out)
{
  const char *s;
  if (get_str(st, dict, "comparison", "at_least", 0, where, &s) < 0)
    return -1;
  if (strcmp(s, "at_least") == 0 || strcmp(s, ">=") == 0)
    *out = HICOV_CMP_AT_LEAST;
  else if (strcmp(s, "at_most") == 0 || strcmp(s, "<=") == 0)
    *out = HICOV_CMP_AT_MOST;
  else
    return hicov_raise(st, HICOV_INVALID,
                       "%s: comparison must be 'at_least' ('>=') or "
                       "'at_most' ('<='), not '%s'", where, s);
  return 0;
}

/* kind: 'level' (default), 'change' or 'growth'. */
static int
get_kind(hicov_state *st, PyObject *dict, const char *where, int *out)
{
  const char *s;
  if (get_str(st, dict, "kind", "level", 0, where, &s) < 0)
    return -1;
  if (strcmp(s, "level") == 0)
    *out = HICOV_TARGET_KIND_LEVEL;
  else if (strcmp(s, "change") == 0)
    *out = HICOV_TARGET_KIND_CHANGE;
  else if (strcmp(s, "growth") == 0)
    *out = HICOV_TARGET_KIND_GROWTH;
  else
    return hicov_raise(st, HICOV_INVALID, "%s: kind must be 'level', "
                       "'change' or 'growth', not '%s'", where, s);
  return 0;
}

/* A number item (int, float, numpy scalar); absent or None gives dflt,
 * or a missing-key error when required. */
static int
get_float(hicov_state *st, PyObject *dict, const char *key, double dflt,
          int required, const char *where, double *out)
{
  PyObject *v;
  *out = dflt;
  if (get_item(dict, key, &v) < 0)
    return -1;
  if (v == NULL && required)
    return hicov_raise(st, HICOV_INVALID, "%s: missing '%s'", where, key);
  if (v == NULL || (v == Py_None && !required))
    return 0;
  *out = PyFloat_AsDouble(v);
  if (*out == -1.0 && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "%s: '%s' must be a number, not %.100s",
                   where, key, Py_TYPE(v)->tp_name);
    }
    return -1;
  }
  return 0;
}

static int
add_target_from_mapping(hicov_state *st, HicovResolution *res,
                        PyObject *item, Py_ssize_t i)
{
  static const char *const allowed[] = {
    "indicator", "unit", "level", "threshold", "deadline", "deadline_year",
    "baseline", "baseline_year", "comparison", "label", "kind",
    "units_share", NULL};
  char where[48];
  PyOS_snprintf(where, sizeof where, "targets[%zd]", i);
  if (!PyDict_Check(item)) {
    PyErr_Format(PyExc_TypeError, "%s must be a dict, not %.100s", where,
                 Py_TYPE(item)->tp_name);
    return -1;
  }
  if (check_keys(st, item, allowed, where) < 0)
    return -1;
  HicovTarget t;
  memset(&t, 0, sizeof t);
  PyObject *probe;
  const char *deadline, *baseline;
  if (get_item(item, "deadline_year", &probe) < 0)
    return -1;
  deadline = probe != NULL ? "deadline_year" : "deadline";
  if (get_item(item, "baseline_year", &probe) < 0)
    return -1;
  baseline = probe != NULL ? "baseline_year" : "baseline";
  if (get_str(st, item, "indicator", NULL, 1, where, &t.indicator) < 0
      || get_str(st, item, "unit", NULL, 1, where, &t.unit) < 0
      || get_level(st, item, where, &t.level) < 0
      || get_comparison(st, item, where, &t.comparison) < 0
      || get_kind(st, item, where, &t.kind) < 0
      || get_float(st, item, "units_share", 0, 0, where,
                    &t.units_share) < 0
      || get_int(st, item, deadline, 0, 1, where, &t.deadline_year) < 0
      || get_str(st, item, "label", NULL, 0, where, &t.label) < 0
      || get_int(st, item, baseline, 0, 0, where, &t.baseline_year) < 0
      || get_float(st, item, "threshold", 0, 1, where, &t.threshold) < 0)
    return -1;
  /* the core's reasons, its fields named as the keys ('deadline' for
     'deadline_year' too) */
  char why[400];
  int rc = hicov_target_check(&t, NULL, why, sizeof why);
  if (rc != HICOV_OK)
    return hicov_raise(st, rc, "%s: %s", where, why);
  rc = hicov_resolution_add_target(res, &t);
  if (rc == HICOV_NOTFOUND)
    return hicov_raise(st, rc, "%s: unknown indicator '%s'", where,
                       t.indicator);
  if (rc != HICOV_OK)
    return hicov_raise(st, rc, "%s: target refused by the core (%s)", where,
                       hicov_status_string(rc));
  return 0;
}

/* (start, end) years from any sequence of two ints. */
static int
parse_term(PyObject *term, int *start, int *end)
{
  PyObject *seq = PySequence_Check(term) && !PyUnicode_Check(term)
                      ? PySequence_Tuple(term) : NULL;
  if (seq == NULL) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError,
                 "term must be a (start, end) tuple of years, not %.100s",
                 Py_TYPE(term)->tp_name);
    return -1;
  }
  int ok = PyArg_ParseTuple(seq, "ii;term must be a (start, end) tuple of "
                            "years", start, end);
  Py_DECREF(seq);
  return ok ? 0 : -1;
}

int
hicov_resolution_from_mapping(hicov_state *st, PyObject *mapping,
                              HicovResolution **out)
{
  static const char *const allowed[] = {"body", "number", "title", "term",
                                        "targets", NULL};
  *out = NULL;
  if (check_keys(st, mapping, allowed, "resolution") < 0)
    return -1;
  const char *body, *number, *title;
  if (get_str(st, mapping, "body", "", 0, "resolution", &body) < 0
      || get_str(st, mapping, "number", "", 0, "resolution", &number) < 0
      || get_str(st, mapping, "title", "", 0, "resolution", &title) < 0)
    return -1;
  int term_start = 0, term_end = 0;
  PyObject *term;
  if (get_item(mapping, "term", &term) < 0)
    return -1;
  if (term != NULL && term != Py_None && parse_term(term, &term_start,
                                                    &term_end) < 0)
    return -1;

  if (term_start && term_end && term_end < term_start)
    return hicov_raise(st, HICOV_INVALID, "resolution: 'term' must be "
                       "(start, end) with end no earlier than start, not "
                       "(%d, %d)", term_start, term_end);
  HicovResolution *res = NULL;
  int rc = hicov_resolution_new(body, number, title, term_start, term_end,
                                &res);
  if (hicov_check_status(st, rc, NULL) < 0)
    return -1;

  PyObject *targets, *seq = NULL;
  if (get_item(mapping, "targets", &targets) < 0)
    goto error;
  if (targets != NULL && targets != Py_None) {
    seq = PySequence_Fast(targets, "targets must be a list of dicts");
    if (seq == NULL)
      goto error;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++)
      if (add_target_from_mapping(st, res, PySequence_Fast_GET_ITEM(seq, i),
                                  i) < 0)
        goto error;
    Py_DECREF(seq);
  }
  *out = res;
  return 0;
error:
  Py_XDECREF(seq);
  hicov_resolution_free(res);
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Type                                                                      */

static PyObject *
resolution_new_impl(hicov_state *st, PyTypeObject *type, PyObject *mapping)
{
  HicovResolution *res = NULL;
  if (hicov_resolution_from_mapping(st, mapping, &res) < 0)
    return NULL;
  return resolution_wrap(type, res);
}

static PyObject *
resolution_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
  hicov_state *st = hicov_state_from_type(type);
  if (st == NULL)
    return NULL;
  Py_ssize_t nargs = PyTuple_GET_SIZE(args);
  if (nargs == 1 && (kwargs == NULL || PyDict_GET_SIZE(kwargs) == 0)
      && PyDict_Check(PyTuple_GET_ITEM(args, 0)))
    return resolution_new_impl(st, type, PyTuple_GET_ITEM(args, 0));
  if (nargs != 0) {
    PyErr_SetString(PyExc_TypeError,
                    "Resolution() takes one dict or keyword arguments "
                    "body, number, title, term, targets");
    return NULL;
  }
  PyObject *mapping = kwargs != NULL ? Py_NewRef(kwargs) : PyDict_New();
  if (mapping == NULL)
    return NULL;
  PyObject *self = resolution_new_impl(st, type, mapping);
  Py_DECREF(mapping);
  return self;
}

static void
resolution_dealloc(PyObject *self)
{
  PyTypeObject *type = Py_TYPE(self);
  hicov_resolution_free(RES(self));
  RES(self) = NULL;
  type->tp_free(self);
  Py_DECREF(type);
}

static PyObject *
get_body(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_resolution_body(RES(self)));
}

static PyObject *
get_number(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_resolution_number(RES(self)));
}

static PyObject *
get_title(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_resolution_title(RES(self)));
}

static PyObject *
get_term(PyObject *self, void *Py_UNUSED(closure))
{
  int start = 0, end = 0;
  hicov_resolution_term(RES(self), &start, &end);
  return Py_BuildValue("(ii)", start, end);
}

static PyObject *
target_dict(const HicovTarget *t)
{
  const char *level = t->level >= 0 ? hicov_level_name(t->level) : NULL;
  PyObject *baseline = t->baseline_year > 0 ? PyLong_FromLong(t->baseline_year)
                                            : Py_NewRef(Py_None);
  PyObject *label = hicov_str_or_none(t->label);
  PyObject *level_obj = hicov_str_or_none(level);
  PyObject *d = NULL;
  static const char *const kinds[] = { "level", "change", "growth" };
  PyObject *share = t->level >= 0 && t->units_share > 0
                        ? PyFloat_FromDouble(t->units_share)
                        : Py_NewRef(Py_None);
  if (baseline != NULL && label != NULL && level_obj != NULL && share != NULL)
    d = Py_BuildValue("{sssssOsdsssisOsOsssO}", "indicator", t->indicator,
                      "unit", t->unit, "level", level_obj,
                      "threshold", t->threshold, "comparison",
                      t->comparison == HICOV_CMP_AT_MOST ? "at_most"
                                                         : "at_least",
                      "deadline", t->deadline_year, "baseline", baseline,
                      "label", label,
                      "kind", kinds[t->kind >= 0 && t->kind < 3 ? t->kind : 0],
                      "units_share", share);
  Py_XDECREF(share);
  Py_XDECREF(baseline);
  Py_XDECREF(label);
  Py_XDECREF(level_obj);
  return d;
}

static PyObject *
get_targets(PyObject *self, void *Py_UNUSED(closure))
{
  size_t n = hicov_resolution_target_count(RES(self));
  PyObject *tuple = PyTuple_New((Py_ssize_t)n);
  for (size_t i = 0; tuple != NULL && i < n; i++) {
    PyObject *d = target_dict(hicov_resolution_target(RES(self), i));
    if (d == NULL)
      Py_CLEAR(tuple);
    else
      PyTuple_SET_ITEM(tuple, (Py_ssize_t)i, d);
  }
  return tuple;
}

PyDoc_STRVAR(as_dict_doc,
"as_dict($self, /)\n--\n\n"
"Returns dict.\n\n"
"The resolution as a dict that Resolution(d) and Dataset.assess(d)\n"
"accept.");

static PyObject *
resolution_as_dict(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *term = get_term(self, NULL);
  PyObject *targets = term != NULL ? get_targets(self, NULL) : NULL;
  PyObject *targets_list = targets != NULL ? PySequence_List(targets) : NULL;
  PyObject *d = NULL;
  if (targets_list != NULL)
    d = Py_BuildValue("{sssssssOsO}", "body", hicov_resolution_body(RES(self)),
                      "number", hicov_resolution_number(RES(self)),
                      "title", hicov_resolution_title(RES(self)),
                      "term", term, "targets", targets_list);
  Py_XDECREF(term);
  Py_XDECREF(targets);
  Py_XDECREF(targets_list);
  return d;
}

static PyObject *
resolution_repr(PyObject *self)
{
  int start = 0, end = 0;
  hicov_resolution_term(RES(self), &start, &end);
  return PyUnicode_FromFormat(
      "<hicov.Resolution %s %s (%d-%d): %zu targets>",
      hicov_resolution_body(RES(self)), hicov_resolution_number(RES(self)),
      start, end, hicov_resolution_target_count(RES(self)));
}

static PyGetSetDef resolution_getset[] = {
  {"body", get_body, NULL, "Issuing body.", NULL},
  {"number", get_number, NULL, "Resolution number.", NULL},
  {"title", get_title, NULL, "Title.", NULL},
  {"term", get_term, NULL, "(start, end) years of the term.", NULL},
  {"targets", get_targets, NULL,
   "Tuple of target dicts: indicator, unit, level, threshold, comparison, "
   "deadline, baseline, label.", NULL},
  {NULL, NULL, NULL, NULL, NULL}
};

static PyMethodDef resolution_methods[] = {
  {"as_dict", resolution_as_dict, METH_NOARGS, as_dict_doc},
  {"_repr_html_", hicov_repr_html, METH_NOARGS,
   "_repr_html_($self, /)\n--\n\n"
   "HTML for Jupyter: a summary table (hicov/_display.py), unstyled."},
  /* pickle.c: through the resolution file, whose numbers read back exactly */
  {"from_xml", hicov_resolution_from_xml, METH_O | METH_CLASS,
   "from_xml($type, xml, /)\n--\n\n"
   "Returns Resolution.\n\n"
   "A resolution from the text of a resolution file (str or bytes, as\n"
   "to_xml() gives); raises ParseError or LimitError with the line."},
  {"__reduce__", hicov_resolution_reduce, METH_NOARGS,
   "__reduce__($self, /)\n--\n\n"
   "Pickling support: Resolution.from_xml(to_xml())."},
  {"__copy__", hicov_resolution_copy_py, METH_NOARGS,
   "__copy__($self, /)\n--\n\ncopy.copy(): an independent copy."},
  {"__deepcopy__", hicov_resolution_deepcopy_py, METH_O,
   "__deepcopy__($self, memo, /)\n--\n\ncopy.deepcopy(): an independent copy."},
  {"to_xml", hicov_resolution_to_xml, METH_NOARGS,
   "to_xml($self, /)\n--\n\n"
   "Returns str.\n\nThe resolution as a resolution file "
   "(schema reports/resolution.xsd)."},
  {"save", (PyCFunction)(void (*)(void))hicov_resolution_save_file,
   METH_VARARGS | METH_KEYWORDS,
   "save($self, /, path)\n--\n\n"
   "Writes the resolution file atomically (a temporary file,"
   "\nthen rename); hicov.load_resolution(path) reads it back."},
  {NULL, NULL, 0, NULL}
};

PyDoc_STRVAR(resolution_doc,
"Resolution(mapping=None, /, **fields)\n--\n\n"
"Resolution(body='', number='', title='', term=(start, end), targets=[...])\n"
"or Resolution(dict).\n"
"A resolution with numeric targets; each target is a dict {indicator,\n"
"unit, level?, threshold, deadline, baseline?, comparison?, label?}.");

static PyType_Slot resolution_slots[] = {
  {Py_tp_new, resolution_new},
  {Py_tp_dealloc, resolution_dealloc},
  {Py_tp_repr, resolution_repr},
  {Py_tp_getset, resolution_getset},
  {Py_tp_methods, resolution_methods},
  {Py_tp_doc, (void *)resolution_doc},
  {0, NULL}
};

PyType_Spec hicov_resolution_spec = {
  .name = "hicov.Resolution",
  .basicsize = sizeof(ResolutionObject),
  .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
  .slots = resolution_slots,
};
