/* dhis2.c - DHIS2 from Python (hicov-dhis2.h): Dataset.to_dhis2 writes
 * ADX or dataValueSets JSON through a mapping, Dataset.import_dhis2 reads
 * either into the dataset under a conflict policy.  Arguments are parsed
 * here; everything else is the C library's. */
#include "_hicov.h"

#include <string.h>

#define DS(self) (((DatasetObject *)(self))->ds)

/* ---- Arguments ------------------------------------------------------------ */

int
hicov_py_adx_level(hicov_state *st, PyObject *obj, HicovAdxExportOptions *opt)
{
  if (obj == NULL || obj == Py_None)
    return 0;
  const char *s = PyUnicode_Check(obj) ? PyUnicode_AsUTF8(obj) : NULL;
  if (s != NULL && !strcmp(s, "leaves")) {
    opt->units = HICOV_ADX_LEAVES;
  } else if (s != NULL && !strcmp(s, "all")) {
    opt->units = HICOV_ADX_ALL;
  } else if (s != NULL && hicov_level_parse(s) >= 0) {
    opt->units = HICOV_ADX_LEVEL;
    opt->level = hicov_level_parse(s);
  } else {
    if (!PyErr_Occurred())
      hicov_raise(st, HICOV_INVALID, "level must be 'leaves', 'all' or a "
                  "level name ('commune', ...), not %R", obj);
    return -1;
  }
  return 0;
}

int
hicov_py_check_export(hicov_state *st, HicovDataset *ds,
                      const HicovAdxExportOptions *opt)
{
  if (!opt->measures && !opt->indicators)
    return hicov_raise(st, HICOV_INVALID, "measures and indicators are both "
                       "False: expected at least one of them True");
  int m0, m1;
  if ((!opt->first_year && !opt->last_year)
      || hicov_dataset_month_span(ds, &m0, &m1) != HICOV_OK)
    return 0; /* the core's own years, or its message for no data */
  int y0 = opt->first_year ? opt->first_year : m0 / 12;
  int y1 = opt->last_year ? opt->last_year : m1 / 12;
  if (y0 <= y1)
    return 0;
  return hicov_raise(st, HICOV_INVALID, "first_year %d%s is after last_year "
                     "%d%s: expected first_year no later than last_year", y0,
                     opt->first_year ? "" : " (the first year with data)", y1,
                     opt->last_year ? "" : " (the last year with data)");
}

/* One of names (NULL-terminated; "" holds an index no argument may name)
 * -> its index; None -> dflt. */
static int
choice(hicov_state *st, PyObject *obj, const char *what,
       const char *const *names, int dflt, int *out)
{
  if (obj == NULL || obj == Py_None) {
    *out = dflt;
    return 0;
  }
  const char *s = PyUnicode_Check(obj) ? PyUnicode_AsUTF8(obj) : NULL;
  for (int i = 0; s != NULL && names[i]; i++)
    if (names[i][0] && !strcmp(s, names[i])) {
      *out = i;
      return 0;
    }
  if (PyErr_Occurred())
    return -1;
  /* 'a', 'b' or 'c' */
  char list[200] = "";
  size_t len = 0;
  int n = 0, k = 0;
  for (int i = 0; names[i]; i++)
    n += names[i][0] != '\0';
  for (int i = 0; names[i] && len < sizeof list; i++) {
    if (!names[i][0])
      continue;
    const char *sep = k == 0 ? "" : k == n - 1 ? " or " : ", ";
    len += (size_t)PyOS_snprintf(list + len, sizeof list - len, "%s'%s'", sep,
                                 names[i]);
    k++;
  }
  hicov_raise(st, HICOV_INVALID, "%s must be %s, not %R", what, list, obj);
  return -1;
}

static int
add_row(hicov_state *st, HicovDhis2Map *m, PyObject *row, Py_ssize_t i)
{
  PyObject *seq = PySequence_Fast(row, "a mapping row must be a sequence");
  if (seq == NULL)
    return -1;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  const char *f[4] = {NULL, NULL, NULL, NULL};
  for (Py_ssize_t k = 0; k < n && k < 4; k++) {
    PyObject *x = PySequence_Fast_GET_ITEM(seq, k);
    f[k] = PyUnicode_Check(x) ? PyUnicode_AsUTF8(x) : NULL;
  }
  int rc = -1;
  char where[64], err[600];
  snprintf(where, sizeof where, "mapping row %zd", i);
  int kind = -1;
  for (int k = 0; f[0] && k < HICOV_DHIS2_N_KINDS; k++)
    if (!strcmp(f[0], hicov_dhis2_kind_name(k)))
      kind = k;
  if (n < 3 || n > 4 || !f[0] || !f[1] || !f[2] ||
      (n == 4 && (!f[3] || (strcmp(f[3], "code") && strcmp(f[3], "uid"))))) {
    if (!PyErr_Occurred())
      PyErr_Format(PyExc_TypeError, "%s: expected (kind, hicov, dhis2) or "
                   "(kind, hicov, dhis2, 'code' or 'uid') as str, found %R",
                   where, row);
  } else if (kind < 0) {
    hicov_raise(st, HICOV_INVALID, "%s: unknown kind '%s'", where, f[0]);
  } else if (n == 4 && hicov_dhis2_map_set_scheme(
                           m, kind, !strcmp(f[3], "uid") ? HICOV_DHIS2_UID
                                    : HICOV_DHIS2_CODE) != HICOV_OK) {
    hicov_raise(st, HICOV_INVALID, "%s: id scheme '%s' differs from the "
                "rows before", where, f[3]);
  } else {
    int r = hicov_dhis2_map_add(m, kind, f[1], f[2], where, err, sizeof err);
    rc = hicov_check_status_msg(st, r, err);
  }
  Py_DECREF(seq);
  return rc;
}

/* A mapping from a file name or from rows; NULL with *failed 0 for None. */
static HicovDhis2Map *
make_map(hicov_state *st, PyObject *mapping, PyObject *scheme, int *failed)
{
  static const char *const schemes[] = {"code", "uid", NULL};
  int sc = -1;
  *failed = 1;
  if (choice(st, scheme, "id_scheme", schemes, -1, &sc) < 0)
    return NULL;
  *failed = 0;
  if ((mapping == NULL || mapping == Py_None) && sc < 0)
    return NULL;
  *failed = 1;
  HicovDhis2Map *m = NULL;
  if (hicov_check_status(st, hicov_dhis2_map_new(&m), NULL) < 0)
    return NULL;
  if (sc >= 0)
    hicov_dhis2_map_set_scheme(m, -1, sc);
  int rc = 0;
  if (mapping && (PyUnicode_Check(mapping) || PyBytes_Check(mapping)
                  || PyObject_HasAttrString(mapping, "__fspath__"))) {
    PyObject *path = NULL;
    char err[700];
    if (!PyUnicode_FSConverter(mapping, &path))
      rc = -1;
    else
      rc = hicov_check_status_msg(st, hicov_dhis2_map_load(
               m, PyBytes_AS_STRING(path), err, sizeof err), err);
    Py_XDECREF(path);
  } else if (mapping && mapping != Py_None) {
    PyObject *it = PyObject_GetIter(mapping);
    PyObject *row;
    Py_ssize_t i = 0;
    while (it && rc == 0 && (row = PyIter_Next(it))) {
      rc = add_row(st, m, row, i++);
      Py_DECREF(row);
    }
    if (it == NULL || PyErr_Occurred())
      rc = -1;
    Py_XDECREF(it);
  }
  if (rc < 0) {
    hicov_dhis2_map_free(m);
    return NULL;
  }
  *failed = 0;
  return m;
}

static PyObject *
lines_list(const char *text)
{
  if (text == NULL || !text[0])
    return PyList_New(0);
  PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text),
                                     "replace");
  PyObject *list = s ? PyUnicode_Splitlines(s, 0) : NULL;
  Py_XDECREF(s);
  return list;
}

/* ---- Dataset.to_dhis2 --------------------------------------------------- */

static PyObject *
export_result(HicovDhis2ExportStats *st, const char *doc, size_t len,
              const char *notes)
{
  PyObject *text = doc ? PyUnicode_DecodeUTF8(doc, (Py_ssize_t)len, "strict")
                       : Py_NewRef(Py_None);
  PyObject *lines = text ? lines_list(notes) : NULL;
  PyObject *d = lines ? Py_BuildValue(
      "{sO sl sl sl sl sl sO}", "document", text, "values", st->values,
      "org_units", st->org_units, "periods", st->periods, "unmapped",
      st->unmapped, "partial", st->partial, "notes", lines) : NULL;
  Py_XDECREF(text);
  Py_XDECREF(lines);
  return d;
}

/* The core's messages name an option as DHIS2 (completeDate) or the
 * command line (--data-set) does; from Python, name the argument given. */
static void
python_names(char *err, size_t size)
{
  static const struct {
    const char *core, *py;
    int anywhere; /* else a leading name: completeDate inside stays */
  } names[] = {
    { "completeDate:", "complete_date:", 0 },
    { "--data-set", "data_set", 1 },
    { "--skip-unmapped", "skip_unmapped=True", 1 },
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t from = strlen(names[i].core), to = strlen(names[i].py);
    char *at = names[i].anywhere ? strstr(err, names[i].core)
               : strncmp(err, names[i].core, from) ? NULL : err;
    if (at == NULL || strlen(err) - from + to >= size)
      continue;
    memmove(at + to, at + from, strlen(at + from) + 1);
    memcpy(at, names[i].py, to);
  }
}

static PyObject *
to_dhis2_impl(PyObject *self, hicov_state *st, HicovAdxExportOptions *opt,
              int format, PyObject *path, PyObject *mapping, PyObject *scheme)
{
  int failed;
  HicovDhis2Map *map = make_map(st, mapping, scheme, &failed);
  if (failed)
    return NULL;
  opt->map = map;
  char *buf = NULL, *notes = NULL, err[1200] = "";
  size_t len = 0;
  HicovDhis2ExportStats stats;
  int rc = path != NULL
      ? hicov_dhis2_save(DS(self), opt, format, PyBytes_AS_STRING(path),
                         &stats, &notes, err, sizeof err)
      : hicov_dhis2_export(DS(self), opt, format, &buf, &len, &stats, &notes,
                           err, sizeof err);
  PyObject *result = NULL;
  python_names(err, sizeof err);
  if (hicov_check_status_msg(st, rc, err) == 0)
    result = export_result(&stats, buf, len, notes);
  hicov_free(buf);
  hicov_free(notes);
  hicov_dhis2_map_free(map);
  return result;
}

static int
year_arg(hicov_state *st, PyObject *obj, const char *name, int *out)
{
  if (obj == NULL || obj == Py_None)
    return 0;
  long y = PyLong_AsLong(obj);
  if (y == -1 && PyErr_Occurred())
    return -1;
  if (y < 1900 || y > 2200)
    return hicov_raise(st, HICOV_INVALID, "%s must be a year 1900-2200 or "
                       "None, not %ld", name, y);
  *out = (int)y;
  return 0;
}

PyObject *
hicov_dataset_to_dhis2(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "format", "unit", "first_year",
                             "last_year", "level", "period_type", "groups",
                             "measures", "indicators", "mapping", "id_scheme",
                             "skip_unmapped", "data_set", "complete_date",
                             "exported", NULL};
  static const char *const formats[] = {"adx", "json", NULL};
  static const char *const ptypes[] = {"", "yearly", "quarterly", "monthly",
                                       NULL};
  static const char *const groups[] = {"auto", "totals", "groups", "both",
                                       NULL};
  PyObject *path = NULL, *fmt = NULL, *first = NULL, *last = NULL;
  PyObject *level = NULL, *ptype = NULL, *grp = NULL, *mapping = NULL;
  PyObject *scheme = NULL;
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  long long exported = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O&$OzOOOOOppOOpzzL:to_dhis2",
                                   keywords, PyUnicode_FSConverter, &path,
                                   &fmt, &opt.unit, &first, &last, &level,
                                   &ptype, &grp, &opt.measures,
                                   &opt.indicators, &mapping, &scheme,
                                   &opt.skip_unmapped, &opt.data_set,
                                   &opt.complete_date, &exported))
    return NULL;
  opt.exported = (int64_t)exported;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  int format = -1, pt = 1, g = 0;
  PyObject *result = NULL;
  if (st != NULL && choice(st, fmt, "format", formats, -1, &format) == 0
      && choice(st, ptype, "period_type", ptypes, 1, &pt) == 0
      && choice(st, grp, "groups", groups, 0, &g) == 0
      && year_arg(st, first, "first_year", &opt.first_year) == 0
      && year_arg(st, last, "last_year", &opt.last_year) == 0
      && hicov_py_adx_level(st, level, &opt) == 0
      && hicov_py_check_export(st, DS(self), &opt) == 0) {
    opt.period_type = pt;
    opt.groups = g;
    if (format < 0) /* from the name, as the command line decides */
      format = hicov_dhis2_format_of_path(path ? PyBytes_AS_STRING(path)
                                               : NULL);
    result = to_dhis2_impl(self, st, &opt, format, path, mapping, scheme);
  }
  Py_XDECREF(path);
  return result;
}

/* ---- Dataset.import_dhis2 --------------------------------------------------- */

static PyObject *
read_result(const HicovDhis2Read *r, const HicovMergeStats *ms)
{
  HicovDhis2Counts k;
  hicov_dhis2_read_counts(r, &k);
  PyObject *rej = lines_list(hicov_dhis2_read_rejections(r));
  PyObject *merged = rej ? hicov_merge_stats(ms) : NULL;
  PyObject *d = merged ? Py_BuildValue(
      "{ss sl sl sl sl sO sO}", "format",
      hicov_dhis2_read_format(r) == HICOV_DHIS2_JSON ? "json" : "adx", "read",
      k.values_read, "accepted", k.values_accepted, "derived",
      k.values_derived, "rejected", k.values_rejected, "rejections", rej,
      "merged", merged) : NULL;
  Py_XDECREF(rej);
  Py_XDECREF(merged);
  return d;
}

/* Reads and merges; the result dict, or NULL with an exception (which,
 * for conflicts, lists each in .conflicts). */
static PyObject *
import_impl(PyObject *self, hicov_state *st, PyObject *source,
            const char *name, int format, const HicovDhis2Map *map,
            int strict, int policy)
{
  HicovDhis2Read *r = NULL;
  int mode = strict ? HICOV_LOAD_STRICT : HICOV_LOAD_LENIENT, rc;
  if (PyBytes_Check(source) || PyByteArray_Check(source)) {
    Py_buffer b;
    if (PyObject_GetBuffer(source, &b, PyBUF_SIMPLE) < 0)
      return NULL;
    rc = hicov_dhis2_read_buffer(DS(self), name ? name : "<bytes>", b.buf,
                                 (size_t)b.len, format, map, mode, &r);
    PyBuffer_Release(&b);
  } else {
    PyObject *path = NULL;
    if (!PyUnicode_FSConverter(source, &path))
      return NULL;
    rc = hicov_dhis2_read_file(DS(self), PyBytes_AS_STRING(path), format, map,
                               mode, &r);
    Py_DECREF(path);
  }
  PyObject *result = NULL;
  char *conflicts = NULL;
  HicovMergeStats ms;
  if (hicov_check_status_msg(st, rc, hicov_dhis2_read_errmsg(r)) < 0)
    goto done;
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  rc = hicov_dhis2_read_merge(r, DS(self), policy, NULL, &ms, &conflicts);
  if (hicov_check_status(st, rc, DS(self)) < 0) {
    hicov_attach_conflicts(conflicts);
    goto done;
  }
  result = read_result(r, &ms);
done:
  hicov_free(conflicts);
  hicov_dhis2_read_free(r);
  return result;
}

PyObject *
hicov_dataset_import_dhis2(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"source", "format", "mapping", "id_scheme",
                             "strict", "on_conflict", "name", NULL};
  static const char *const formats[] = {"adx", "json", NULL};
  PyObject *source, *fmt = NULL, *mapping = NULL, *scheme = NULL;
  const char *conflict = "error", *name = NULL;
  int strict = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OOOpzz:import_dhis2",
                                   keywords, &source, &fmt, &mapping, &scheme,
                                   &strict, &conflict, &name))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  int format, failed;
  int policy = hicov_conflict_arg(st, conflict);
  if (policy < 0)
    return NULL;
  if (choice(st, fmt, "format", formats, -1, &format) < 0)
    return NULL;
  HicovDhis2Map *map = make_map(st, mapping, scheme, &failed);
  if (failed)
    return NULL;
  PyObject *result = import_impl(self, st, source, name, format, map, strict,
                                 policy);
  hicov_dhis2_map_free(map);
  return result;
}
