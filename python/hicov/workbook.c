/* workbook.c - spreadsheets in and out (hicov-exchange.h):
 * hicov.read_workbook, Dataset.import_workbook, Dataset.save_table and
 * hicov.write_table. Arguments are parsed here; reading, matching,
 * merging and writing are the C library's. */
#include "_hicov.h"

#include <math.h>
#include <string.h>

#define DS(self) (((DatasetObject *)(self))->ds)

/* ---- Mappings ----------------------------------------------------------- */

static int
set_key(hicov_state *st, HicovWorkbookMapping *map, PyObject *key,
        PyObject *value)
{
  const char *k = PyUnicode_AsUTF8(key);
  if (k == NULL)
    return -1;
  PyObject *text = PyObject_Str(value);
  if (text == NULL)
    return -1;
  const char *v = PyUnicode_AsUTF8(text);
  char err[400];
  int rc = v == NULL ? -1
         : hicov_workbook_mapping_set(map, k, v, err, sizeof err);
  Py_DECREF(text);
  if (rc == -1)
    return -1;
  if (rc != HICOV_OK)
    return hicov_check_status_msg(st, rc, err);
  return 0;
}

/* A section from a dict: its "sheet" first, then the other keys. */
static int
add_section(hicov_state *st, HicovWorkbookMapping *map, PyObject *dict)
{
  if (!PyDict_Check(dict)) {
    PyErr_Format(PyExc_TypeError, "a mapping section must be a dict, not "
                 "%.100s", Py_TYPE(dict)->tp_name);
    return -1;
  }
  PyObject *sheet = PyDict_GetItemString(dict, "sheet"); /* borrowed */
  if (sheet != NULL) {
    PyObject *key = PyUnicode_FromString("sheet");
    int rc = key ? set_key(st, map, key, sheet) : -1;
    Py_XDECREF(key);
    if (rc < 0)
      return -1;
  }
  Py_ssize_t pos = 0;
  PyObject *key, *value;
  while (PyDict_Next(dict, &pos, &key, &value)) {
    if (PyUnicode_Check(key) && PyUnicode_CompareWithASCIIString(key, "sheet") == 0)
      continue;
    if (!PyUnicode_Check(key)) {
      PyErr_SetString(PyExc_TypeError, "mapping keys must be str");
      return -1;
    }
    if (set_key(st, map, key, value) < 0)
      return -1;
  }
  return 0;
}

/* mapping: None, a mapping file's path, a dict (one sheet) or a list of
 * dicts; then the keyword arguments refine the last section. Its messages
 * are in lang, the dataset's. */
static HicovWorkbookMapping *
make_mapping(hicov_state *st, PyObject *mapping, PyObject *kwargs,
             const char *lang)
{
  HicovWorkbookMapping *map = NULL;
  if (hicov_workbook_mapping_new(&map) != HICOV_OK) {
    PyErr_NoMemory();
    return NULL;
  }
  hicov_workbook_mapping_set_lang(map, lang);
  int ok = 0;
  if (mapping == NULL || mapping == Py_None) {
    ok = 1;
  } else if (PyUnicode_Check(mapping) || PyObject_HasAttrString(mapping,
                                                                "__fspath__")) {
    PyObject *path = NULL;
    if (PyUnicode_FSConverter(mapping, &path)) {
      char err[600];
      int rc = hicov_workbook_mapping_load(map, PyBytes_AS_STRING(path), err,
                                           sizeof err);
      Py_DECREF(path);
      ok = hicov_check_status_msg(st, rc, err) == 0;
    }
  } else if (PyDict_Check(mapping)) {
    ok = add_section(st, map, mapping) == 0;
  } else if (PyList_Check(mapping) || PyTuple_Check(mapping)) {
    ok = 1;
    PyObject *seq = PySequence_Fast(mapping, "mapping");
    for (Py_ssize_t i = 0; seq && ok && i < PySequence_Fast_GET_SIZE(seq); i++)
      ok = add_section(st, map, PySequence_Fast_GET_ITEM(seq, i)) == 0;
    Py_XDECREF(seq);
  } else {
    PyErr_Format(PyExc_TypeError, "mapping must be a path, a dict or a list "
                 "of dicts, not %.100s", Py_TYPE(mapping)->tp_name);
  }
  Py_ssize_t pos = 0;
  PyObject *key, *value;
  while (ok && kwargs != NULL && PyDict_Next(kwargs, &pos, &key, &value))
    ok = set_key(st, map, key, value) == 0;
  if (!ok) {
    hicov_workbook_mapping_free(map);
    return NULL;
  }
  return map;
}

/* Pops the named arguments of a function from a copy of kwargs, leaving
 * the mapping keys. */
static PyObject *
split_kwargs(PyObject *kwargs, const char *const *names, PyObject **found)
{
  PyObject *rest = kwargs ? PyDict_Copy(kwargs) : PyDict_New();
  if (rest == NULL)
    return NULL;
  for (size_t i = 0; names[i]; i++) {
    PyObject *v = PyDict_GetItemString(rest, names[i]);
    found[i] = v;
    Py_XINCREF(found[i]);
    if (v != NULL && PyDict_DelItemString(rest, names[i]) < 0) {
      Py_DECREF(rest);
      return NULL;
    }
  }
  return rest;
}

static int
format_code(PyObject *obj, int *out)
{
  *out = HICOV_WORKBOOK_AUTO;
  if (obj == NULL || obj == Py_None)
    return 0;
  const char *f = PyUnicode_Check(obj) ? PyUnicode_AsUTF8(obj) : NULL;
  if (f && !strcmp(f, "xlsx"))
    *out = HICOV_WORKBOOK_XLSX;
  else if (f && !strcmp(f, "ods"))
    *out = HICOV_WORKBOOK_ODS;
  else if (f && !strcmp(f, "csv"))
    *out = HICOV_WORKBOOK_CSV;
  else {
    PyErr_SetString(PyExc_ValueError, "format must be 'xlsx', 'ods', 'csv' "
                    "or None");
    return -1;
  }
  return 0;
}

/* ---- What was read, as Python objects ----------------------------------- */

static PyObject *
values_frame(const HicovWorkbook *wb)
{
  static const char *const names[] = {"unit", "period", "measure", "group",
                                      "value", "cell", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = 0;
  const HicovValue *v = hicov_workbook_values(wb, &n);
  for (size_t i = 0; i < n; i++)
    if (hicov_column_append(cols, "unit", PyUnicode_FromString(v[i].unit)) < 0
        || hicov_column_append(cols, "period", hicov_period_to_str(v[i].period)) < 0
        || hicov_column_append(cols, "measure", PyUnicode_FromString(v[i].measure)) < 0
        || hicov_column_append(cols, "group", hicov_str_or_none(v[i].group)) < 0
        || hicov_column_append(cols, "value", PyFloat_FromDouble(
               (double)v[i].centi / 100.0)) < 0
        || hicov_column_append(cols, "cell", hicov_str_or_none(v[i].where)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

static PyObject *
rejections_frame(const HicovWorkbook *wb)
{
  static const char *const names[] = {"cell", "sheet", "row", "column",
                                      "expected", "found", "message", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_workbook_rejection_count(wb);
  for (size_t i = 0; i < n; i++) {
    HicovWorkbookRejection r;
    hicov_workbook_rejection(wb, i, &r);
    if (hicov_column_append(cols, "cell", PyUnicode_FromString(r.cell)) < 0
        || hicov_column_append(cols, "sheet", PyUnicode_FromString(r.sheet)) < 0
        || hicov_column_append(cols, "row", PyLong_FromLong(r.row)) < 0
        || hicov_column_append(cols, "column", PyLong_FromLong(r.column + 1)) < 0
        || hicov_column_append(cols, "expected", PyUnicode_FromString(r.expected)) < 0
        || hicov_column_append(cols, "found", PyUnicode_DecodeUTF8(
               r.found, (Py_ssize_t)strlen(r.found), "replace")) < 0
        || hicov_column_append(cols, "message", PyUnicode_DecodeUTF8(
               r.message, (Py_ssize_t)strlen(r.message), "replace")) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

static PyObject *
unmatched_frame(const HicovWorkbook *wb)
{
  static const char *const names[] = {"text", "cell", "cells", "ambiguous",
                                      "candidates", NULL};
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_workbook_unmatched_count(wb);
  for (size_t i = 0; i < n; i++) {
    HicovWorkbookUnmatched u;
    hicov_workbook_unmatched(wb, i, &u);
    if (hicov_column_append(cols, "text", PyUnicode_DecodeUTF8(
            u.text, (Py_ssize_t)strlen(u.text), "replace")) < 0
        || hicov_column_append(cols, "cell", PyUnicode_FromString(u.cell)) < 0
        || hicov_column_append(cols, "cells", PyLong_FromLong(u.cells)) < 0
        || hicov_column_append(cols, "ambiguous", PyBool_FromLong(u.ambiguous)) < 0
        || hicov_column_append(cols, "candidates",
                               PyUnicode_FromString(u.candidates)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

/* {"values", "rejections", "unmatched", "notes", "counts"} */
static PyObject *
workbook_result(const HicovWorkbook *wb)
{
  HicovWorkbookCounts k;
  hicov_workbook_counts(wb, &k);
  PyObject *notes = PyList_New(0);
  for (size_t i = 0; notes && i < hicov_workbook_note_count(wb); i++) {
    const char *t = hicov_workbook_note(wb, i);
    PyObject *s = PyUnicode_DecodeUTF8(t, (Py_ssize_t)strlen(t), "replace");
    if (s == NULL || PyList_Append(notes, s) < 0)
      Py_CLEAR(notes);
    Py_XDECREF(s);
  }
  PyObject *counts = Py_BuildValue(
      "{sl sl sl sl sl sl}", "read", k.values_read, "accepted",
      k.values_accepted, "rejected", k.values_rejected, "missing",
      k.cells_missing, "rows_skipped", k.rows_skipped, "sheets",
      k.sheets_read);
  PyObject *values = values_frame(wb);
  PyObject *rej = rejections_frame(wb);
  PyObject *um = unmatched_frame(wb);
  PyObject *result = NULL;
  if (notes && counts && values && rej && um)
    result = Py_BuildValue("{sO sO sO sO sO}", "values", values, "rejections",
                           rej, "unmatched", um, "notes", notes, "counts",
                           counts);
  Py_XDECREF(notes);
  Py_XDECREF(counts);
  Py_XDECREF(values);
  Py_XDECREF(rej);
  Py_XDECREF(um);
  return result;
}

/* Raises the read's failure; a strict read's ParseError carries
 * .rejections and .unmatched (DataFrames) and .counts. */
static void
raise_read(hicov_state *st, int rc, const HicovWorkbook *wb)
{
  hicov_check_status_msg(st, rc, wb ? hicov_workbook_errmsg(wb) : NULL);
  if (wb == NULL || rc != HICOV_PARSE)
    return;
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  PyObject *res = workbook_result(wb);
  if (res != NULL && value != NULL) {
    PyObject_SetAttrString(value, "rejections", PyDict_GetItemString(res, "rejections"));
    PyObject_SetAttrString(value, "unmatched", PyDict_GetItemString(res, "unmatched"));
    PyObject_SetAttrString(value, "counts", PyDict_GetItemString(res, "counts"));
  }
  Py_XDECREF(res);
  PyErr_Clear();
  PyErr_Restore(type, value, tb);
}

/* Reads source (a path or bytes) against ds. */
static int
do_read(hicov_state *st, HicovDataset *ds, PyObject *source, PyObject *name,
        int format, HicovWorkbookMapping *map, int strict, HicovWorkbook **wb)
{
  int mode = strict ? HICOV_LOAD_STRICT : HICOV_LOAD_LENIENT;
  int rc;
  if (PyObject_CheckBuffer(source) && !PyUnicode_Check(source)) {
    Py_buffer buf;
    if (PyObject_GetBuffer(source, &buf, PyBUF_SIMPLE) < 0)
      return -1;
    const char *n = name && name != Py_None ? PyUnicode_AsUTF8(name) : "<bytes>";
    if (n == NULL) {
      PyBuffer_Release(&buf);
      return -1;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_workbook_read_buffer(ds, n, buf.buf, (size_t)buf.len, format,
                                    map, mode, wb);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&buf);
  } else {
    PyObject *path = NULL;
    if (!PyUnicode_FSConverter(source, &path))
      return -1;
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_workbook_read_file(ds, PyBytes_AS_STRING(path), map, mode, wb);
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    (void)format; /* from the file name */
  }
  (void)st;
  return rc;
}

static const char *const read_names[] = {"dataset", "strict", "mapping",
                                         "format", "name", "on_conflict",
                                         NULL};
enum { A_DATASET, A_STRICT, A_MAPPING, A_FORMAT, A_NAME, A_CONFLICT, A_N };

static void
drop_found(PyObject **found)
{
  for (int i = 0; i < A_N; i++)
    Py_XDECREF(found[i]);
}

PyObject *
hicov_read_workbook(PyObject *module, PyObject *args, PyObject *kwargs)
{
  hicov_state *st = hicov_get_state(module);
  if (st == NULL)
    return NULL;
  PyObject *source;
  if (!PyArg_ParseTuple(args, "O:read_workbook", &source))
    return NULL;
  PyObject *found[A_N] = {NULL};
  PyObject *rest = split_kwargs(kwargs, read_names, found);
  if (rest == NULL)
    return NULL;
  PyObject *result = NULL;
  HicovWorkbookMapping *map = NULL;
  HicovDataset *own = NULL, *ds = NULL;
  HicovWorkbook *wb = NULL;
  int format, strict = found[A_STRICT] ? PyObject_IsTrue(found[A_STRICT]) : 1;
  if (strict < 0 || format_code(found[A_FORMAT], &format) < 0)
    goto done;
  if (found[A_CONFLICT]) {
    PyErr_SetString(PyExc_TypeError, "read_workbook does not merge: "
                    "on_conflict belongs to Dataset.import_workbook");
    goto done;
  }
  if (found[A_DATASET] && found[A_DATASET] != Py_None) {
    if (!PyObject_TypeCheck(found[A_DATASET], st->DatasetType)) {
      PyErr_SetString(PyExc_TypeError, "dataset must be a hicov.Dataset");
      goto done;
    }
    ds = DS(found[A_DATASET]);
  } else {
    /* the demo's units, as hicov.demo() has them */
    if (hicov_dataset_new(&own) != HICOV_OK) {
      PyErr_NoMemory();
      goto done;
    }
    if (hicov_check_status(st, hicov_dataset_load_demo(own), own) < 0)
      goto done;
    ds = own;
  }
  if ((map = make_mapping(st, found[A_MAPPING], rest,
                          hicov_dataset_lang(ds))) == NULL)
    goto done;
  int rc = do_read(st, ds, source, found[A_NAME], format, map, strict, &wb);
  if (rc == -1 && PyErr_Occurred())
    goto done;
  if (rc != HICOV_OK) {
    raise_read(st, rc, wb);
    goto done;
  }
  result = workbook_result(wb);
done:
  hicov_workbook_free(wb);
  hicov_workbook_mapping_free(map);
  hicov_dataset_free(own);
  drop_found(found);
  Py_DECREF(rest);
  return result;
}

PyObject *
hicov_dataset_import_workbook(PyObject *self, PyObject *args,
                              PyObject *kwargs)
{
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  PyObject *source;
  if (!PyArg_ParseTuple(args, "O:import_workbook", &source))
    return NULL;
  PyObject *found[A_N] = {NULL};
  PyObject *rest = split_kwargs(kwargs, read_names, found);
  if (rest == NULL)
    return NULL;
  PyObject *result = NULL;
  HicovWorkbookMapping *map = NULL;
  HicovWorkbook *wb = NULL;
  char *conflicts = NULL;
  int format, policy = HICOV_CONFLICT_ERROR;
  int strict = found[A_STRICT] ? PyObject_IsTrue(found[A_STRICT]) : 1;
  if (strict < 0 || format_code(found[A_FORMAT], &format) < 0)
    goto done;
  if (found[A_DATASET]) {
    PyErr_SetString(PyExc_TypeError, "import_workbook reads into its own "
                    "dataset: no dataset argument");
    goto done;
  }
  if (found[A_CONFLICT] && found[A_CONFLICT] != Py_None) {
    const char *p = PyUnicode_Check(found[A_CONFLICT])
                        ? PyUnicode_AsUTF8(found[A_CONFLICT]) : "?";
    if (p == NULL || (policy = hicov_conflict_arg(st, p)) < 0)
      goto done;
  }
  if ((map = make_mapping(st, found[A_MAPPING], rest,
                          hicov_dataset_lang(DS(self)))) == NULL)
    goto done;
  int rc = do_read(st, DS(self), source, found[A_NAME], format, map, strict,
                   &wb);
  if (rc == -1 && PyErr_Occurred())
    goto done;
  if (rc != HICOV_OK) {
    raise_read(st, rc, wb);
    goto done;
  }
  HicovMergeStats ms;
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  rc = hicov_workbook_merge(wb, DS(self), policy, NULL, &ms, &conflicts);
  if (hicov_check_status(st, rc, DS(self)) < 0) {
    hicov_attach_conflicts(conflicts); /* the whole list on the exception */
    goto done;
  }
  result = workbook_result(wb);
  PyObject *merged = result ? hicov_merge_stats(&ms) : NULL;
  if (merged == NULL || PyDict_SetItemString(result, "merged", merged) < 0)
    Py_CLEAR(result);
  Py_XDECREF(merged);
done:
  hicov_free(conflicts);
  hicov_workbook_free(wb);
  hicov_workbook_mapping_free(map);
  drop_found(found);
  Py_DECREF(rest);
  return result;
}

/* ---- Writing ------------------------------------------------------------ */

static int
level_arg(hicov_state *st, PyObject *obj, int *level)
{
  if (obj == NULL || obj == Py_None)
    return 0;
  if (PyUnicode_Check(obj)) {
    const char *s = PyUnicode_AsUTF8(obj);
    if (s == NULL)
      return -1;
    *level = hicov_level_parse(s);
    if (*level < 0)
      return hicov_raise(st, HICOV_INVALID, "invalid level %R: expected "
                         "'country', 'province', 'district', 'commune', "
                         "'facility' or None", obj);
    return 0;
  }
  long v = PyLong_AsLong(obj);
  if (v == -1 && PyErr_Occurred())
    return -1;
  if (v < 0 || v > HICOV_LEVEL_FACILITY)
    return hicov_raise(st, HICOV_INVALID, "invalid level %ld: expected "
                       "'country', 'province', 'district', 'commune', "
                       "'facility', 0 to %d or None", v, HICOV_LEVEL_FACILITY);
  *level = (int)v;
  return 0;
}

PyObject *
hicov_dataset_save_table(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "indicators", "period", "level",
                             "parent", "group", "lang", "total", NULL};
  PyObject *path = NULL, *inds, *period_obj, *level_obj = Py_None;
  const char *parent = NULL, *group = NULL, *lang = "vi";
  int total = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&OO|Ozzsp:save_table",
                                   keywords, PyUnicode_FSConverter, &path,
                                   &inds, &period_obj, &level_obj, &parent,
                                   &group, &lang, &total))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  PyObject *result = NULL, *seq = NULL;
  const char **names = NULL;
  HicovTable *t = NULL;
  HicovTableSpec spec;
  memset(&spec, 0, sizeof spec);
  if (st == NULL || hicov_convert_period(st, period_obj, &spec.period) < 0)
    goto done;
  spec.level = parent ? -1 : HICOV_LEVEL_PROVINCE;
  if (level_arg(st, level_obj, &spec.level) < 0)
    goto done;
  if (PyUnicode_Check(inds))
    seq = PyTuple_Pack(1, inds);
  else
    seq = PySequence_Fast(inds, "indicators must be a str or a list of str");
  if (seq == NULL)
    goto done;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  names = PyMem_Calloc((size_t)(n ? n : 1), sizeof *names);
  if (names == NULL) {
    PyErr_NoMemory();
    goto done;
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *o = PySequence_Fast_GET_ITEM(seq, i);
    if (!PyUnicode_Check(o)) {
      PyErr_SetString(PyExc_TypeError, "indicators must be str");
      goto done;
    }
    if ((names[i] = PyUnicode_AsUTF8(o)) == NULL)
      goto done;
  }
  spec.indicators = names;
  spec.n_indicators = (size_t)n;
  spec.parent = parent && parent[0] ? parent : NULL;
  spec.group = group;
  spec.total_row = total && spec.parent;
  if (hicov_check_status(st, hicov_table_new(DS(self), &spec, &t), DS(self)) < 0)
    goto done;
  char err[600] = "";
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_table_save(t, PyBytes_AS_STRING(path), HICOV_WORKBOOK_AUTO, lang,
                        err, sizeof err);
  Py_END_ALLOW_THREADS
  if (hicov_check_status_msg(st, rc, err) == 0)
    result = PyLong_FromSize_t(hicov_table_row_count(t));
done:
  hicov_table_free(t);
  PyMem_Free(names);
  Py_XDECREF(seq);
  Py_XDECREF(path);
  return result;
}

/* The kind of a pandas column: a number column by its dtype's kind. */
static int
column_kind(PyObject *series, int *decimals)
{
  PyObject *dtype = PyObject_GetAttrString(series, "dtype");
  PyObject *kind = dtype ? PyObject_GetAttrString(dtype, "kind") : NULL;
  Py_XDECREF(dtype);
  if (kind == NULL)
    return -1;
  const char *k = PyUnicode_AsUTF8(kind);
  int out = HICOV_COLUMN_TEXT;
  *decimals = 0;
  if (k && (k[0] == 'i' || k[0] == 'u'))
    out = HICOV_COLUMN_NUMBER;
  else if (k && k[0] == 'f') {
    out = HICOV_COLUMN_NUMBER;
    *decimals = 2;
  }
  Py_DECREF(kind);
  return k ? out : -1;
}

/* The column names of percent= or of decimals= (a dict's keys) as a set:
 * a str is one name; a name that is not in columns raises ValueError. */
static PyObject *
column_names_arg(PyObject *obj, const char *what, PyObject *columns)
{
  PyObject *names = PySet_New(NULL);
  PyObject *missing = PyList_New(0);
  PyObject *it = NULL, *name;
  if (names == NULL || missing == NULL)
    goto error;
  if (obj == NULL || obj == Py_None)
    goto done;
  it = PyUnicode_Check(obj) ? PyTuple_Pack(1, obj) : Py_NewRef(obj);
  Py_XSETREF(it, it ? PyObject_GetIter(it) : NULL);
  if (it == NULL)
    goto error;
  while ((name = PyIter_Next(it)) != NULL) {
    int known = PySequence_Contains(columns, name);
    int rc = known < 0 ? -1
           : known ? PySet_Add(names, name) : PyList_Append(missing, name);
    Py_DECREF(name);
    if (rc < 0)
      goto error;
  }
  if (PyErr_Occurred())
    goto error;
  if (PyList_GET_SIZE(missing) > 0) {
    PyErr_Format(PyExc_ValueError, "%s names no column of the frame: %R",
                 what, missing);
    goto error;
  }
done:
  Py_XDECREF(it);
  Py_DECREF(missing);
  return names;
error:
  Py_XDECREF(it);
  Py_XDECREF(missing);
  Py_XDECREF(names);
  return NULL;
}

/* A duplicated column name raises ValueError: df[name] would be a frame. */
static int
check_unique(PyObject *columns)
{
  PyObject *seen = PySet_New(NULL);
  if (seen == NULL)
    return -1;
  for (Py_ssize_t c = 0; c < PyList_GET_SIZE(columns); c++) {
    PyObject *name = PyList_GET_ITEM(columns, c);
    int dup = PySet_Contains(seen, name);
    if (dup > 0)
      PyErr_Format(PyExc_ValueError, "frame has more than one column named "
                   "%R", name);
    if (dup != 0 || PySet_Add(seen, name) < 0) {
      Py_DECREF(seen);
      return -1;
    }
  }
  Py_DECREF(seen);
  return 0;
}

/* 2**53: every integer up to it in magnitude is a double, exactly. */
#define EXACT_DOUBLE_INT 9007199254740992LL

/* One non-missing value into a number column. An integer a double may not
 * hold exactly (beyond 2**53) is written as its digits, a text cell, rather
 * than rounded: exact in CSV, and shown as written in a spreadsheet. */
static int
set_number_cell(HicovSheet *sheet, Py_ssize_t r, Py_ssize_t c, PyObject *v)
{
  if (!PyFloat_Check(v) && PyIndex_Check(v)) {
    PyObject *i = PyNumber_Index(v);
    if (i == NULL)
      return -1;
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(i, &overflow);
    if (x == -1 && PyErr_Occurred()) {
      Py_DECREF(i);
      return -1;
    }
    int rc = HICOV_OK;
    if (!overflow && x >= -EXACT_DOUBLE_INT && x <= EXACT_DOUBLE_INT)
      rc = hicov_sheet_set_number(sheet, (size_t)r, (size_t)c, (double)x);
    else {
      PyObject *s = PyObject_Str(i);
      const char *t = s ? PyUnicode_AsUTF8(s) : NULL;
      if (t != NULL)
        rc = hicov_sheet_set_text(sheet, (size_t)r, (size_t)c, t);
      Py_XDECREF(s);
      if (t == NULL) {
        Py_DECREF(i);
        return -1;
      }
    }
    Py_DECREF(i);
    if (rc != HICOV_OK) {
      PyErr_NoMemory();
      return -1;
    }
    return 0;
  }
  double x = PyFloat_AsDouble(v);
  if (x == -1.0 && PyErr_Occurred())
    return -1;
  if (hicov_sheet_set_number(sheet, (size_t)r, (size_t)c, x) != HICOV_OK) {
    PyErr_NoMemory();
    return -1;
  }
  return 0;
}

/* Column c of the sheet from series: missing values (None, NaN, pd.NA,
 * NaT: series.isna()) empty, the others numbers or text by kind. */
static int
fill_column(HicovSheet *sheet, Py_ssize_t c, PyObject *series, int kind,
            Py_ssize_t nr)
{
  PyObject *values = PyObject_CallMethod(series, "tolist", NULL);
  PyObject *na = values ? PyObject_CallMethod(series, "isna", NULL) : NULL;
  Py_XSETREF(na, na ? PyObject_CallMethod(na, "tolist", NULL) : NULL);
  int ok = na && PyList_Check(values) && PyList_Check(na);
  if (na && !ok)
    PyErr_SetString(PyExc_TypeError, "frame columns must give lists");
  for (Py_ssize_t r = 0; ok && r < nr && r < PyList_GET_SIZE(values)
                         && r < PyList_GET_SIZE(na); r++) {
    PyObject *v = PyList_GET_ITEM(values, r);
    int missing = PyObject_IsTrue(PyList_GET_ITEM(na, r));
    if (missing != 0) {
      ok = missing > 0;
      continue;
    }
    if (kind != HICOV_COLUMN_TEXT) {
      ok = set_number_cell(sheet, r, c, v) == 0;
      continue;
    }
    PyObject *s = PyObject_Str(v);
    const char *t = s ? PyUnicode_AsUTF8(s) : NULL;
    ok = t != NULL;
    if (ok && hicov_sheet_set_text(sheet, (size_t)r, (size_t)c, t) != HICOV_OK) {
      PyErr_NoMemory();
      ok = 0;
    }
    Py_XDECREF(s);
  }
  Py_XDECREF(na);
  Py_XDECREF(values);
  return ok ? 0 : -1;
}

PyObject *
hicov_write_table(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "frame", "sheet", "percent", "decimals",
                             "index", NULL};
  PyObject *path = NULL, *frame, *percent = NULL, *decimals = NULL;
  const char *title = "Sheet1";
  int index = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&O|sOOp:write_table",
                                   keywords, PyUnicode_FSConverter, &path,
                                   &frame, &title, &percent, &decimals,
                                   &index))
    return NULL;
  hicov_state *st = hicov_get_state(module);
  PyObject *result = NULL, *df = NULL, *columns = NULL, *pct = NULL;
  PyObject *dec_names = NULL;
  HicovSheet *sheet = NULL;
  if (st == NULL)
    goto done;
  df = index ? PyObject_CallMethod(frame, "reset_index", NULL)
             : Py_NewRef(frame);
  if (df == NULL)
    goto done;
  columns = PyObject_GetAttrString(df, "columns");
  PyObject *list = columns ? PySequence_List(columns) : NULL;
  Py_XSETREF(columns, list);
  if (columns == NULL || check_unique(columns) < 0)
    goto done;
  int dec_dict = decimals != NULL && PyDict_Check(decimals);
  if ((pct = column_names_arg(percent, "percent", columns)) == NULL
      || (dec_names = column_names_arg(dec_dict ? decimals : NULL,
                                       "decimals", columns)) == NULL)
    goto done;
  Py_ssize_t nc = PyList_GET_SIZE(columns);
  PyObject *len = PyObject_CallMethod(df, "__len__", NULL);
  Py_ssize_t nr = len ? PyLong_AsSsize_t(len) : -1;
  Py_XDECREF(len);
  if (nr < 0)
    goto done;
  int rc = hicov_sheet_new(title, (size_t)(nc ? nc : 1), &sheet);
  if (hicov_check_status_msg(st, rc, "a sheet needs a title and 1 to 16384 "
                             "columns") < 0)
    goto done;
  for (Py_ssize_t r = 0; r < nr; r++)
    if (hicov_sheet_add_row(sheet, NULL) != HICOV_OK) {
      PyErr_NoMemory();
      goto done;
    }
  for (Py_ssize_t c = 0; c < nc; c++) {
    PyObject *name = PyList_GET_ITEM(columns, c);
    PyObject *heading = PyObject_Str(name);
    PyObject *series = PyObject_GetItem(df, name);
    int dec = 0, kind = series ? column_kind(series, &dec) : -1;
    if (kind >= 0) {
      int is_pct = PySet_Contains(pct, name);
      if (is_pct < 0)
        kind = -1;
      else if (is_pct) {
        kind = HICOV_COLUMN_PERCENT;
        dec = 1;
      }
    }
    if (kind >= 0 && decimals && decimals != Py_None && kind != HICOV_COLUMN_TEXT) {
      PyObject *d = dec_dict ? PyDict_GetItemWithError(decimals, name)
                             : decimals;
      if (d == NULL && PyErr_Occurred())
        kind = -1;
      else if (d != NULL) {
        long v = PyLong_AsLong(d);
        if (v == -1 && PyErr_Occurred())
          kind = -1;
        else if (v < 0 || v > 6) {
          PyErr_SetString(PyExc_ValueError, "decimals must be 0 to 6");
          kind = -1;
        } else
          dec = (int)v;
      }
    }
    const char *h = heading ? PyUnicode_AsUTF8(heading) : NULL;
    int ok = h && kind >= 0;
    if (ok && hicov_sheet_set_column(sheet, (size_t)c, h, kind, dec) != HICOV_OK) {
      PyErr_NoMemory();
      ok = 0;
    }
    ok = ok && fill_column(sheet, c, series, kind, nr) == 0;
    Py_XDECREF(series);
    Py_XDECREF(heading);
    if (!ok)
      goto done;
  }
  char err[600] = "";
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_sheets_save(&sheet, 1, PyBytes_AS_STRING(path),
                         HICOV_WORKBOOK_AUTO, err, sizeof err);
  Py_END_ALLOW_THREADS
  if (hicov_check_status_msg(st, rc, err) == 0)
    result = Py_NewRef(Py_None);
done:
  hicov_sheet_free(sheet);
  Py_XDECREF(dec_names);
  Py_XDECREF(pct);
  Py_XDECREF(columns);
  Py_XDECREF(df);
  Py_XDECREF(path);
  return result;
}
