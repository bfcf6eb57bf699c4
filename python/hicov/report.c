/* report.c - hicov.Report (a heap type wrapping HicovReport*),
 * Dataset.report, resolution files (hicov.load_resolution,
 * Resolution.to_xml/save) and ADX export and import.
 *
 * A report is built from the dataset without the GIL, a query beside
 * other threads' (threads.c); rendering it (XML, HTML, PDF) touches only the report, so
 * that runs without the GIL while the object is marked busy. */
#include "_hicov.h"

#include <limits.h>
#include <string.h>

#include "hicov-report.h"

typedef struct {
  PyObject_HEAD
  HicovReport *rep; /* owned */
  int busy;         /* rendering without the GIL */
  int figures;      /* the charts are drawn (hicov_report_draw_figures) */
  PyObject *ds_state; /* bytes: the dataset's state when the report was
                         built, for to_bytes; NULL for a report read from
                         bytes, whose core report keeps its own */
} ReportObject;

#define REP(self) (((ReportObject *)(self))->rep)
#define DS(self) (((DatasetObject *)(self))->ds)

/* Room for the core's messages about files: a path plus a sentence. */
#define ERR_SIZE 1024

static hicov_state *
self_state(PyObject *self)
{
  return hicov_state_from_type(Py_TYPE(self));
}

static int
report_check(hicov_state *st, PyObject *self, int rc)
{
  return hicov_check_status_msg(st, rc, hicov_report_errmsg(REP(self)));
}

static int
not_busy(PyObject *self)
{
  if (!((ReportObject *)self)->busy)
    return 0;
  PyErr_SetString(PyExc_RuntimeError,
                  "this Report is being rendered by another thread");
  return -1;
}

static void
report_dealloc(PyObject *self)
{
  PyTypeObject *type = Py_TYPE(self);
  hicov_report_free(REP(self));
  REP(self) = NULL;
  Py_CLEAR(((ReportObject *)self)->ds_state);
  type->tp_free(self);
  Py_DECREF(type);
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                 */

typedef int (*render_fn)(HicovReport *, char **, size_t *);

static PyObject *save_rendered(PyObject *self, PyObject *args,
                               PyObject *kwargs, const char *format,
                               render_fn fn);

/* Draws the charts once, for the outputs that embed them; called without
 * the GIL, with the object marked busy. */
static int
draw_figures_once(ReportObject *obj)
{
  if (obj->figures)
    return HICOV_OK;
  int rc = hicov_report_draw_figures(obj->rep);
  obj->figures = rc == HICOV_OK;
  return rc;
}

/* Renders into memory without the GIL (drawing the charts first when
 * figures is 1). */
static int
render(PyObject *self, render_fn fn, int figures, char **buf, size_t *len)
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return -1;
  ReportObject *obj = (ReportObject *)self;
  int rc = HICOV_OK;
  *buf = NULL;
  *len = 0;
  obj->busy = 1;
  Py_BEGIN_ALLOW_THREADS
  if (figures)
    rc = draw_figures_once(obj);
  if (rc == HICOV_OK)
    rc = fn(obj->rep, buf, len);
  Py_END_ALLOW_THREADS
  obj->busy = 0;
  return report_check(st, self, rc);
}

/* XML or HTML as str. */
static PyObject *
report_text(PyObject *self, render_fn fn, int figures)
{
  char *buf;
  size_t len;
  if (render(self, fn, figures, &buf, &len) < 0)
    return NULL;
  PyObject *text = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
  hicov_free(buf);
  return text;
}

/* PDF, ODT or DOCX as bytes. */
static PyObject *
report_bytes(PyObject *self, render_fn fn, int figures)
{
  char *buf;
  size_t len;
  if (render(self, fn, figures, &buf, &len) < 0)
    return NULL;
  PyObject *bytes = PyBytes_FromStringAndSize(buf, (Py_ssize_t)len);
  hicov_free(buf);
  return bytes;
}

static PyObject *
report_get_xml(PyObject *self, void *Py_UNUSED(closure))
{
  return report_text(self, hicov_report_xml, 0);
}

PyDoc_STRVAR(to_html_doc,
"to_html($self, /)\n--\n\n"
"Returns str.\n\n"
"The report as a standalone HTML page (reports/report-html.xsl), its\n"
"charts embedded as PNG images.");

static PyObject *
report_to_html(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return report_text(self, hicov_report_html, 1);
}

PyDoc_STRVAR(to_odt_doc,
"to_odt($self, /)\n--\n\n"
"Returns bytes.\n\n"
"The report as an editable administrative document (Nghị định\n"
"30/2020/NĐ-CP), OpenDocument Text, charts embedded.");

static PyObject *
report_to_odt(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return report_bytes(self, hicov_report_odt, 1);
}

PyDoc_STRVAR(to_docx_doc,
"to_docx($self, /)\n--\n\n"
"Returns bytes.\n\n"
"The same document as Office Open XML (DOCX).");

static PyObject *
report_to_docx(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return report_bytes(self, hicov_report_docx, 1);
}

PyDoc_STRVAR(pdf_bytes_doc,
"pdf_bytes($self, /)\n--\n\n"
"Returns bytes.\n\n"
"The A4 PDF in memory.");

static PyObject *
report_pdf_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return report_bytes(self, hicov_report_pdf_buffer, 0);
}

typedef int (*save_fn)(HicovReport *, const char *);

static PyObject *
report_save_common(PyObject *self, PyObject *args, PyObject *kwargs,
                   const char *format, save_fn fn)
{
  static char *keywords[] = {"path", NULL};
  PyObject *path = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords,
                                   PyUnicode_FSConverter, &path))
    return NULL;
  hicov_state *st = self_state(self);
  PyObject *result = NULL;
  if (st != NULL && not_busy(self) == 0) {
    int rc;
    ((ReportObject *)self)->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = fn(REP(self), PyBytes_AS_STRING(path));
    Py_END_ALLOW_THREADS
    ((ReportObject *)self)->busy = 0;
    if (report_check(st, self, rc) == 0)
      result = Py_NewRef(Py_None);
  }
  Py_DECREF(path);
  return result;
}

PyDoc_STRVAR(save_doc,
"save($self, /, path)\n--\n\n"
"Validates the XML against the report schema and writes it atomically\n"
"(a temporary file, fsync, rename): on failure an existing file at path\n"
"is left untouched.");

static PyObject *
report_save(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return report_save_common(self, args, kwargs, "O&:save", hicov_report_save);
}

PyDoc_STRVAR(save_html_doc,
"save_html($self, /, path)\n--\n\nWrites the HTML page atomically.");

static PyObject *
report_save_html(PyObject *self, PyObject *args, PyObject *kwargs)
{
  /* the same page as to_html(), charts included */
  return save_rendered(self, args, kwargs, "O&:save_html", hicov_report_html);
}

PyDoc_STRVAR(to_pdf_doc,
"to_pdf($self, /, path)\n--\n\n"
"Draws the report as an A4 PDF (title page, targets, charts, tables,\n"
"findings, provenance), written atomically.");

static PyObject *
report_to_pdf(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return report_save_common(self, args, kwargs, "O&:to_pdf",
                            hicov_report_pdf);
}

static PyObject *
report_repr_html(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  return report_text(self, hicov_report_html_fragment, 1);
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                 */

/* Writes what fn renders to path, atomically. */
static PyObject *
save_rendered(PyObject *self, PyObject *args, PyObject *kwargs,
              const char *format, render_fn fn)
{
  static char *keywords[] = {"path", NULL};
  PyObject *path = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords,
                                   PyUnicode_FSConverter, &path))
    return NULL;
  PyObject *result = NULL;
  char *buf;
  size_t len;
  if (render(self, fn, 1, &buf, &len) == 0) {
    HicovFileSet *set = NULL;
    int rc = hicov_file_set_new(&set);
    hicov_state *st = self_state(self);
    if (rc == HICOV_OK) {
      Py_BEGIN_ALLOW_THREADS
      rc = hicov_file_set_add(set, PyBytes_AS_STRING(path), buf, len);
      if (rc == HICOV_OK)
        rc = hicov_file_set_commit(set);
      Py_END_ALLOW_THREADS
    }
    if (hicov_check_status_msg(st, rc, hicov_file_set_errmsg(set)) == 0)
      result = Py_NewRef(Py_None);
    hicov_file_set_free(set);
    hicov_free(buf);
  }
  Py_DECREF(path);
  return result;
}

PyDoc_STRVAR(save_odt_doc,
"save_odt($self, /, path)\n--\n\n"
"Writes to_odt() atomically: on failure an existing file is untouched.");

static PyObject *
report_save_odt(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return save_rendered(self, args, kwargs, "O&:save_odt", hicov_report_odt);
}

PyDoc_STRVAR(save_docx_doc,
"save_docx($self, /, path)\n--\n\n"
"Writes to_docx() atomically: on failure an existing file is untouched.");

static PyObject *
report_save_docx(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return save_rendered(self, args, kwargs, "O&:save_docx",
                       hicov_report_docx);
}

PyDoc_STRVAR(save_all_doc,
"save_all($self, /, *, xml=None, html=None, pdf=None, odt=None, docx=None)\n--\n\n"
"Writes the formats given as one consistent set: each is rendered and\n"
"written to a temporary file beside its path, then all are renamed into\n"
"place together; a failure leaves every earlier file as it was.");

static PyObject *
report_save_all(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"xml", "html", "pdf", "odt", "docx", NULL};
  render_fn fns[5] = { hicov_report_xml, hicov_report_html,
                       hicov_report_pdf_buffer, hicov_report_odt,
                       hicov_report_docx };
  PyObject *paths[5] = { NULL };
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$O&O&O&O&O&:save_all",
                                   keywords, PyUnicode_FSConverter, &paths[0],
                                   PyUnicode_FSConverter, &paths[1],
                                   PyUnicode_FSConverter, &paths[2],
                                   PyUnicode_FSConverter, &paths[3],
                                   PyUnicode_FSConverter, &paths[4]))
    return NULL;
  hicov_state *st = self_state(self);
  HicovFileSet *set = NULL;
  int rc = st != NULL ? hicov_file_set_new(&set) : HICOV_ERROR;
  int failed = st == NULL || hicov_check_status(st, rc, NULL) < 0;
  for (int k = 0; k < 5 && !failed; k++) {
    char *buf;
    size_t len;
    if (paths[k] == NULL)
      continue;
    if (render(self, fns[k], k != 0 && k != 2, &buf, &len) < 0) {
      failed = 1;
      break;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_file_set_add(set, PyBytes_AS_STRING(paths[k]), buf, len);
    Py_END_ALLOW_THREADS
    hicov_free(buf);
    failed = hicov_check_status_msg(st, rc, hicov_file_set_errmsg(set)) < 0;
  }
  if (!failed) {
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_file_set_commit(set);
    Py_END_ALLOW_THREADS
    failed = hicov_check_status_msg(st, rc, hicov_file_set_errmsg(set)) < 0;
  }
  hicov_file_set_free(set);
  for (int k = 0; k < 5; k++)
    Py_XDECREF(paths[k]);
  if (failed)
    return NULL;
  Py_RETURN_NONE;
}

PyDoc_STRVAR(draw_figures_doc,
"draw_figures($self, /)\n--\n\n"
"Draws the report's charts (each target's trend, the ranking of the\n"
"units of a target over units) for the HTML page and the documents;\n"
"they draw them themselves when needed.");

static PyObject *
report_draw_figures(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  ReportObject *obj = (ReportObject *)self;
  int rc;
  obj->busy = 1;
  obj->figures = 0;
  Py_BEGIN_ALLOW_THREADS
  rc = draw_figures_once(obj);
  Py_END_ALLOW_THREADS
  obj->busy = 0;
  if (report_check(st, self, rc) < 0)
    return NULL;
  Py_RETURN_NONE;
}

/* A str field of set_issuer: None or a str (kept by the caller). */
static int
issuer_field(PyObject *kwargs, const char *key, const char **out)
{
  PyObject *v = kwargs ? PyDict_GetItemString(kwargs, key) : NULL;
  if (v == NULL || v == Py_None)
    return 0;
  if (!PyUnicode_Check(v)) {
    PyErr_Format(PyExc_TypeError, "set_issuer: %s must be a str, not %.100s",
                 key, Py_TYPE(v)->tp_name);
    return -1;
  }
  *out = PyUnicode_AsUTF8(v);
  return *out ? 0 : -1;
}

PyDoc_STRVAR(set_issuer_doc,
"set_issuer($self, profile=None, /, *, agency=None, parent_agency=None, "
"number=None, place=None, signer_authority=None, signer_title=None, "
"signer_name=None, summary=None, recipients=None, archive=None)\n--\n\n"
"Who issues the report as an administrative document.  profile is an\n"
"issuer profile file (reports/issuer.xsd, validated on load); the\n"
"keywords set or override its fields; recipients is a list of str.\n"
"set_issuer() with nothing clears it.");

static PyObject *
report_set_issuer(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static const char *const fields[] = {
    "agency", "parent_agency", "number", "place", "signer_authority",
    "signer_title", "signer_name", "summary", "archive", "recipients", NULL };
  PyObject *profile = Py_None;
  if (!PyArg_ParseTuple(args, "|O:set_issuer", &profile))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  PyObject *key;
  Py_ssize_t pos = 0;
  while (kwargs && PyDict_Next(kwargs, &pos, &key, NULL)) {
    int known = 0;
    for (size_t i = 0; fields[i] && !known; i++)
      known = PyUnicode_CompareWithASCIIString(key, fields[i]) == 0;
    if (!known) {
      PyErr_Format(PyExc_TypeError, "set_issuer: unexpected keyword %R",
                   key);
      return NULL;
    }
  }
  HicovIssuer *file = NULL;
  if (profile != Py_None) {
    PyObject *path = NULL;
    if (!PyUnicode_FSConverter(profile, &path))
      return NULL;
    char err[1024];
    int rc = hicov_issuer_load_file(PyBytes_AS_STRING(path), &file, err,
                                    sizeof err);
    Py_DECREF(path);
    if (hicov_check_status_msg(st, rc, err) < 0)
      return NULL;
  }
  HicovIssuer is = file ? *file : (HicovIssuer){ 0 };
  const char *recipients[50];
  PyObject *seq = NULL;
  int bad = issuer_field(kwargs, "agency", &is.agency) < 0 ||
            issuer_field(kwargs, "parent_agency", &is.parent_agency) < 0 ||
            issuer_field(kwargs, "number", &is.number) < 0 ||
            issuer_field(kwargs, "place", &is.place) < 0 ||
            issuer_field(kwargs, "signer_authority", &is.signer_authority) < 0 ||
            issuer_field(kwargs, "signer_title", &is.signer_title) < 0 ||
            issuer_field(kwargs, "signer_name", &is.signer_name) < 0 ||
            issuer_field(kwargs, "summary", &is.summary) < 0 ||
            issuer_field(kwargs, "archive", &is.archive) < 0;
  PyObject *r = kwargs ? PyDict_GetItemString(kwargs, "recipients") : NULL;
  if (!bad && r != NULL && r != Py_None) {
    seq = PySequence_Fast(r, "set_issuer: recipients must be a sequence of "
                             "str");
    Py_ssize_t n = seq ? PySequence_Fast_GET_SIZE(seq) : 0;
    bad = seq == NULL;
    if (!bad && n > 50) {
      PyErr_SetString(PyExc_ValueError, "set_issuer: at most 50 recipients");
      bad = 1;
    }
    for (Py_ssize_t i = 0; !bad && i < n; i++) {
      PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
      recipients[i] = PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
      if (recipients[i] == NULL) {
        if (!PyErr_Occurred())
          PyErr_SetString(PyExc_TypeError,
                          "set_issuer: recipients must be str");
        bad = 1;
      }
    }
    is.recipients = recipients;
    is.n_recipients = (size_t)n;
  }
  int rc = bad ? HICOV_OK
               : hicov_report_set_issuer(REP(self), profile == Py_None &&
                                         (kwargs == NULL ||
                                          PyDict_Size(kwargs) == 0)
                                         ? NULL : &is);
  Py_XDECREF(seq);
  hicov_issuer_free(file);
  if (bad || report_check(st, self, rc) < 0)
    return NULL;
  Py_RETURN_NONE;
}

static PyObject *
report_get_time(PyObject *self, void *Py_UNUSED(closure))
{
  return PyLong_FromLongLong((long long)hicov_report_time(REP(self)));
}

/* ------------------------------------------------------------------------ */
/* Contents                                                                  */

PyDoc_STRVAR(sentences_doc,
"sentences($self, /, lang=None)\n--\n\n"
"Returns list of str.\n\n"
"The generated sentence of each assessment, in lang ('vi' or 'en';\n"
"None: the report's language).");

static PyObject *
report_sentences(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"lang", NULL};
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|z:sentences", keywords,
                                   &lang))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  if (lang != NULL && strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0) {
    hicov_raise(st, HICOV_INVALID, "lang must be 'vi', 'en' or None, not "
                "'%s'", lang);
    return NULL;
  }
  size_t n = hicov_report_assessment_count(REP(self));
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (size_t i = 0; list != NULL && i < n; i++) {
    const char *s = hicov_report_sentence(REP(self), i, lang);
    PyObject *x = PyUnicode_FromString(s != NULL ? s : "");
    if (x == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, (Py_ssize_t)i, x);
  }
  return list;
}

static PyObject *
assessment_dict(const HicovReport *rep, const HicovAssessment *a)
{
  const HicovTarget *t = hicov_resolution_target(
      hicov_report_resolution(rep), a->target_index);
  PyObject *unit = PyUnicode_DecodeUTF8(
      a->unit, (Py_ssize_t)strnlen(a->unit, sizeof a->unit), "replace");
  PyObject *status = hicov_str_or_none(hicov_target_status_name(a->status));
  PyObject *reason = PyUnicode_DecodeUTF8(
      a->reason, (Py_ssize_t)strnlen(a->reason, sizeof a->reason), "replace");
  PyObject *d = NULL;
  PyObject *label = PyUnicode_FromString(hicov_status_label_full(
      a->status, a->estimated, a->achieved_year > 0,
      hicov_report_lang(rep)));
  PyObject *why = PyUnicode_DecodeUTF8(
      a->fallback_reason,
      (Py_ssize_t)strnlen(a->fallback_reason, sizeof a->fallback_reason),
      "replace");
  if (unit != NULL && status != NULL && reason != NULL && label != NULL &&
      why != NULL)
    d = Py_BuildValue(
        "{snsOsssOsdsisisdsdsdsdsOsOsdsdsisisisNsO}",
        "target", (Py_ssize_t)a->target_index,
        "unit", unit, "indicator", t != NULL ? t->indicator : "",
        "status", status, "threshold", a->threshold,
        "deadline_year", a->deadline_year, "latest_year", a->latest_year,
        "latest_value", a->latest_value, "gap", a->gap,
        "participants_needed", a->participants_needed,
        "projected_value", a->projected_value, "reason", reason,
        "status_label", label, "measure_value", a->measure_value,
        "deadline_level", a->deadline_level, "break_year", a->break_year,
        "achieved_year", a->achieved_year, "wanted_year", a->wanted_year,
        "estimated", PyBool_FromLong(a->estimated),
        "fallback_reason", why);
  Py_XDECREF(label);
  Py_XDECREF(why);
  Py_XDECREF(unit);
  Py_XDECREF(status);
  Py_XDECREF(reason);
  return d;
}

static PyObject *
report_get_assessments(PyObject *self, void *Py_UNUSED(closure))
{
  if (not_busy(self) < 0)
    return NULL;
  size_t n = hicov_report_assessment_count(REP(self));
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (size_t i = 0; list != NULL && i < n; i++) {
    const HicovAssessment *a = hicov_report_assessment(REP(self), i);
    PyObject *d = a != NULL ? assessment_dict(REP(self), a) : NULL;
    if (d == NULL) {
      if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "assessment index out of range");
      Py_CLEAR(list);
    } else {
      PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
  }
  return list;
}

static PyObject *
report_get_lang(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_report_lang(REP(self)));
}

static PyObject *
report_get_resolution(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  return hicov_resolution_wrap_copy(st, hicov_report_resolution(REP(self)));
}

PyDoc_STRVAR(add_input_doc,
"add_input($self, /, path, role)\n--\n\n"
"Records an input file (size and SHA-256, read now) in the report's\n"
"provenance; role is free text ('units', 'values', 'resolution').");

static PyObject *
report_add_input(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "role", NULL};
  PyObject *path = NULL;
  const char *role;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&s:add_input", keywords,
                                   PyUnicode_FSConverter, &path, &role))
    return NULL;
  hicov_state *st = self_state(self);
  PyObject *result = NULL;
  if (st != NULL && not_busy(self) == 0) {
    int rc;
    ((ReportObject *)self)->busy = 1;
    Py_BEGIN_ALLOW_THREADS /* hashes the whole file */
    rc = hicov_report_add_input(REP(self), PyBytes_AS_STRING(path), role);
    Py_END_ALLOW_THREADS
    ((ReportObject *)self)->busy = 0;
    if (report_check(st, self, rc) == 0)
      result = Py_NewRef(Py_None);
  }
  Py_DECREF(path);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Pickling and copying: hicov_report_serialize / hicov_report_load_state   */

/* A new Report object owning rep (freed on failure); ds_state may be NULL. */
static PyObject *
report_wrap(hicov_state *st, HicovReport *rep, PyObject *ds_state)
{
  PyTypeObject *type = st->ReportType;
  ReportObject *obj = (ReportObject *)type->tp_alloc(type, 0);
  if (obj == NULL) {
    hicov_report_free(rep);
    return NULL;
  }
  obj->rep = rep;
  obj->busy = 0;
  obj->figures = 0;
  obj->ds_state = Py_XNewRef(ds_state);
  return (PyObject *)obj;
}

PyDoc_STRVAR(report_to_bytes_doc,
"to_bytes($self, /)\n--\n\n"
"Returns bytes.\n\n"
"The report as the core serialises it (hicov_report_serialize): the\n"
"recipe it is rebuilt from (the dataset's state as it was when the\n"
"report was made, the resolution file, lang, source, time, issuer and\n"
"the inputs as recorded) with the SHA-256 of its XML, versioned and\n"
"sealed with a SHA-256.  Report.from_bytes reads it back; pickle and\n"
"copy use it.");

static PyObject *
report_to_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  ReportObject *obj = (ReportObject *)self;
  /* the bytes object is immutable and held by self: read without the GIL */
  const void *ds = obj->ds_state ? PyBytes_AS_STRING(obj->ds_state) : NULL;
  size_t ds_len = obj->ds_state ? (size_t)PyBytes_GET_SIZE(obj->ds_state) : 0;
  void *data = NULL;
  size_t len = 0;
  int rc;
  obj->busy = 1;
  Py_BEGIN_ALLOW_THREADS /* renders and validates the XML for its digest */
  rc = hicov_report_serialize(obj->rep, ds, ds_len, &data, &len);
  Py_END_ALLOW_THREADS
  obj->busy = 0;
  if (report_check(st, self, rc) < 0)
    return NULL;
  PyObject *bytes = len <= (size_t)PY_SSIZE_T_MAX
                        ? PyBytes_FromStringAndSize(data, (Py_ssize_t)len)
                        : PyErr_NoMemory();
  hicov_free(data);
  return bytes;
}

PyDoc_STRVAR(report_from_bytes_doc,
"from_bytes($type, data, /)\n--\n\n"
"Returns Report.\n\n"
"A report from Report.to_bytes() (any bytes-like object), rebuilt by\n"
"the core from its recipe; the input files are not read again.  Bytes\n"
"that are not such a state (another version, cut, changed) or whose\n"
"rebuilt XML differs from the recorded one raise ParseError.");

static PyObject *
report_from_bytes(PyObject *type, PyObject *arg)
{
  hicov_state *st = hicov_state_from_type((PyTypeObject *)type);
  if (st == NULL)
    return NULL;
  Py_buffer view;
  if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
    return NULL;
  HicovReport *rep = NULL;
  char err[ERR_SIZE] = "";
  int rc;
  /* only the new report is touched */
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_report_load_state(view.buf, (size_t)view.len, &rep, err,
                               sizeof err);
  Py_END_ALLOW_THREADS
  PyBuffer_Release(&view);
  if (hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  return report_wrap(st, rep, NULL);
}

static PyObject *
report_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *from_bytes = PyObject_GetAttrString((PyObject *)Py_TYPE(self),
                                                "from_bytes");
  if (from_bytes == NULL)
    return NULL;
  PyObject *state = report_to_bytes(self, NULL);
  if (state == NULL) {
    Py_DECREF(from_bytes);
    return NULL;
  }
  return Py_BuildValue("(N(N))", from_bytes, state);
}

/* An independent report (set_issuer and add_input change one only). */
static PyObject *
report_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *state = report_to_bytes(self, NULL);
  if (state == NULL)
    return NULL;
  PyObject *copy = report_from_bytes((PyObject *)Py_TYPE(self), state);
  Py_DECREF(state);
  return copy;
}

static PyObject *
report_deepcopy(PyObject *self, PyObject *Py_UNUSED(memo))
{
  return report_copy(self, NULL);
}

static PyObject *
report_repr(PyObject *self)
{
  const HicovResolution *res = hicov_report_resolution(REP(self));
  return PyUnicode_FromFormat(
      "<hicov.Report %s %s (%s): %zu assessments>",
      res != NULL ? hicov_resolution_body(res) : "",
      res != NULL ? hicov_resolution_number(res) : "",
      hicov_report_lang(REP(self)),
      hicov_report_assessment_count(REP(self)));
}

static PyGetSetDef report_getset[] = {
  {"xml", report_get_xml, NULL,
   "The report as XML (urn:hicov:report:1), validated against the report\n"
   "schema.", NULL},
  {"lang", report_get_lang, NULL, "'vi' or 'en'.", NULL},
  {"time", report_get_time, NULL,
   "The time of generation, Unix seconds ($SOURCE_DATE_EPOCH by default).",
   NULL},
  {"resolution", report_get_resolution, NULL,
   "A copy of the resolution the report is about.", NULL},
  {"assessments", report_get_assessments, NULL,
   "List of dicts, one per target and unit, as hicov_assess computed\n"
   "them: target, unit, indicator, status, threshold, deadline_year,\n"
   "latest_year, latest_value, gap, participants_needed, projected_value,\n"
   "reason; status_label (\"Ước đạt\", \"Đạt muộn\"), measure_value (the\n"
   "value, its change or its average growth), deadline_level, break_year\n"
   "(a cap the trend breaks), achieved_year (met after the deadline),\n"
   "wanted_year and fallback_reason (a fallback to an earlier year),\n"
   "estimated (the latest value is an estimate).", NULL},
  {NULL, NULL, NULL, NULL, NULL}
};

#define KW (PyCFunction)(void (*)(void))
static PyMethodDef report_methods[] = {
  {"save", KW report_save, METH_VARARGS | METH_KEYWORDS, save_doc},
  {"to_html", report_to_html, METH_NOARGS, to_html_doc},
  {"save_html", KW report_save_html, METH_VARARGS | METH_KEYWORDS,
   save_html_doc},
  {"to_pdf", KW report_to_pdf, METH_VARARGS | METH_KEYWORDS, to_pdf_doc},
  {"pdf_bytes", report_pdf_bytes, METH_NOARGS, pdf_bytes_doc},
  {"to_odt", report_to_odt, METH_NOARGS, to_odt_doc},
  {"to_docx", report_to_docx, METH_NOARGS, to_docx_doc},
  {"save_odt", KW report_save_odt, METH_VARARGS | METH_KEYWORDS,
   save_odt_doc},
  {"save_docx", KW report_save_docx, METH_VARARGS | METH_KEYWORDS,
   save_docx_doc},
  {"save_all", KW report_save_all, METH_VARARGS | METH_KEYWORDS,
   save_all_doc},
  {"draw_figures", report_draw_figures, METH_NOARGS, draw_figures_doc},
  {"set_issuer", KW report_set_issuer, METH_VARARGS | METH_KEYWORDS,
   set_issuer_doc},
  {"sentences", KW report_sentences, METH_VARARGS | METH_KEYWORDS,
   sentences_doc},
  {"add_input", KW report_add_input, METH_VARARGS | METH_KEYWORDS,
   add_input_doc},
  {"_repr_html_", report_repr_html, METH_NOARGS,
   "_repr_html_($self, /)\n--\n\n"
   "HTML for Jupyter: the report in one <div class=\"hicov-report\"> whose\n"
   "styles apply inside it only (to_html() is the whole page)."},
  {"to_bytes", report_to_bytes, METH_NOARGS, report_to_bytes_doc},
  {"from_bytes", report_from_bytes, METH_O | METH_CLASS,
   report_from_bytes_doc},
  {"__reduce__", report_reduce, METH_NOARGS,
   "__reduce__($self, /)\n--\n\n"
   "Pickling support: Report.from_bytes(to_bytes())."},
  {"__copy__", report_copy, METH_NOARGS,
   "__copy__($self, /)\n--\n\n"
   "copy.copy(): an independent report, Report.from_bytes(to_bytes())."},
  {"__deepcopy__", report_deepcopy, METH_O,
   "__deepcopy__($self, memo, /)\n--\n\ncopy.deepcopy(): the same as copy.copy()."},
  {NULL, NULL, 0, NULL}
};
#undef KW

PyDoc_STRVAR(report_doc,
"A report of a resolution's targets against a dataset.  Get one from\n"
"Dataset.report(); it does not change when the dataset does.");

static PyType_Slot report_slots[] = {
  {Py_tp_dealloc, report_dealloc},
  {Py_tp_repr, report_repr},
  {Py_tp_methods, report_methods},
  {Py_tp_getset, report_getset},
  {Py_tp_doc, (void *)report_doc},
  {0, NULL}
};

PyType_Spec hicov_report_spec = {
  .name = "hicov.Report",
  .basicsize = sizeof(ReportObject),
  .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE
           | Py_TPFLAGS_DISALLOW_INSTANTIATION,
  .slots = report_slots,
};

/* ------------------------------------------------------------------------ */
/* Dataset.report                                                            */

static PyObject *
dataset_report_impl(PyObject *self, hicov_state *st,
                    const HicovResolution *res, const char *lang,
                    const char *source, int has_time, long long time)
{
  HicovReport *rep = NULL;
  /* A query: without the GIL, beside other threads' queries on the
   * dataset (threads.c).  res is the dataset's or held by the caller. */
  int rc;
  if (hicov_dataset_share(self) < 0)
    return NULL;
  /* The dataset's state for to_bytes, taken now, as the report is: no
   * change can start while the dataset is shared. */
  PyObject *ds_state = hicov_dataset_to_bytes(self, NULL);
  if (ds_state == NULL) {
    hicov_dataset_unshare(self);
    return NULL;
  }
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_report_new(DS(self), res, lang, &rep);
  Py_END_ALLOW_THREADS
  hicov_dataset_unshare(self);
  if (rc == HICOV_OK && source != NULL)
    rc = hicov_report_set_source(rep, source);
  if (rc != HICOV_OK) {
    if (rep == NULL)
      hicov_check_status(st, rc, DS(self));
    else
      hicov_check_status_msg(st, rc, hicov_report_errmsg(rep));
    hicov_report_free(rep);
    Py_DECREF(ds_state);
    return NULL;
  }
  if (has_time)
    hicov_report_set_time(rep, (int64_t)time);
  PyObject *obj = report_wrap(st, rep, ds_state);
  Py_DECREF(ds_state);
  return obj;
}

PyObject *
hicov_dataset_report(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"resolution", "lang", "source", "time", NULL};
  PyObject *res_obj = Py_None, *time_obj = Py_None;
  const char *lang = "vi", *source = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OszO:report", keywords,
                                   &res_obj, &lang, &source, &time_obj))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  if (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0) {
    hicov_raise(st, HICOV_INVALID, "lang must be 'vi' or 'en', not '%s'",
                lang);
    return NULL;
  }
  long long time = 0;
  if (time_obj != Py_None) {
    time = PyLong_AsLongLong(time_obj);
    if (time == -1 && PyErr_Occurred())
      return NULL;
  }
  const HicovResolution *res;
  HicovResolution *owned;
  if (hicov_convert_resolution(st, DS(self), res_obj, 1, &res, &owned) < 0)
    return NULL;
  PyObject *report = dataset_report_impl(self, st, res, lang, source,
                                         time_obj != Py_None, time);
  hicov_resolution_free(owned);
  return report;
}

/* ------------------------------------------------------------------------ */
/* Resolution files                                                          */

static PyObject *
load_resolution_impl(hicov_state *st, const char *path)
{
  HicovResolution *res = NULL;
  char err[ERR_SIZE] = "";
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_resolution_load_file(path, &res, err, sizeof err);
  Py_END_ALLOW_THREADS
  if (hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  return hicov_resolution_wrap(st, res);
}

PyObject *
hicov_load_resolution(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", NULL};
  PyObject *path = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:load_resolution",
                                   keywords, PyUnicode_FSConverter, &path))
    return NULL;
  PyObject *res = load_resolution_impl(hicov_get_state(module),
                                       PyBytes_AS_STRING(path));
  Py_DECREF(path);
  return res;
}

PyObject *
hicov_resolution_to_xml(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  char *buf = NULL;
  size_t len = 0;
  int rc = hicov_resolution_write(((ResolutionObject *)self)->res, &buf, &len);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  PyObject *text = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
  hicov_free(buf);
  return text;
}

PyObject *
hicov_resolution_save_file(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", NULL};
  PyObject *path = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:save", keywords,
                                   PyUnicode_FSConverter, &path))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  PyObject *result = NULL;
  if (st != NULL) {
    char err[ERR_SIZE] = "";
    int rc = hicov_resolution_save(((ResolutionObject *)self)->res,
                                   PyBytes_AS_STRING(path), err, sizeof err);
    if (hicov_check_status_msg(st, rc, err) == 0)
      result = Py_NewRef(Py_None);
  }
  Py_DECREF(path);
  return result;
}

/* ------------------------------------------------------------------------ */
/* ADX                                                                       */

static int
convert_year(PyObject *obj, const char *name, int *out)
{
  if (obj == NULL || obj == Py_None) {
    *out = 0;
    return 0;
  }
  long v = PyLong_AsLong(obj);
  if (v == -1 && PyErr_Occurred())
    return -1;
  if (v != 0 && (v < 1900 || v > 2200)) {
    PyErr_Format(PyExc_ValueError, "%s must be a year 1900-2200 or None, "
                 "not %ld", name, v);
    return -1;
  }
  *out = (int)v;
  return 0;
}

static PyObject *
to_adx_impl(PyObject *self, hicov_state *st, const HicovAdxExportOptions *opt,
            const char *path)
{
  if (path != NULL) {
    char err[ERR_SIZE] = "";
    int rc = hicov_adx_save(DS(self), opt, path, err, sizeof err);
    if (hicov_check_status_msg(st, rc, err[0] ? err
                                              : hicov_dataset_errmsg(DS(self)))
        < 0)
      return NULL;
    Py_RETURN_NONE;
  }
  /* hicov_adx_export keeps no message: the export that says why */
  char *buf = NULL, err[ERR_SIZE] = "";
  size_t len = 0;
  int rc = hicov_dhis2_export(DS(self), opt, HICOV_DHIS2_ADX, &buf, &len,
                              NULL, NULL, err, sizeof err);
  if (hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  PyObject *text = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
  hicov_free(buf);
  return text;
}

PyObject *
hicov_dataset_to_adx(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "unit", "first_year", "last_year",
                             "measures", "indicators", "exported", "level",
                             NULL};
  PyObject *path = NULL, *first = Py_None, *last = Py_None, *level = NULL;
  const char *unit = NULL;
  int measures = 1, indicators = 0;
  long long exported = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O&zOOppL$O:to_adx",
                                   keywords, PyUnicode_FSConverter, &path,
                                   &unit, &first, &last, &measures,
                                   &indicators, &exported, &level))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.unit = unit;
  opt.measures = measures;
  opt.indicators = indicators;
  opt.exported = (int64_t)exported;
  PyObject *result = NULL;
  if (st != NULL && convert_year(first, "first_year", &opt.first_year) == 0
      && convert_year(last, "last_year", &opt.last_year) == 0
      && hicov_py_adx_level(st, level, &opt) == 0
      && hicov_py_check_export(st, DS(self), &opt) == 0) {
    if (unit != NULL) {
      size_t idx;
      if (hicov_dataset_find_unit(DS(self), unit, &idx) != HICOV_OK) {
        hicov_raise(st, HICOV_NOTFOUND, "to_adx: unknown unit '%s'", unit);
        goto done;
      }
    }
    result = to_adx_impl(self, st, &opt,
                         path != NULL ? PyBytes_AS_STRING(path) : NULL);
  }
done:
  Py_XDECREF(path);
  return result;
}

static PyStructSequence_Field adx_stats_fields[] = {
  {"read", "dataValue elements seen"},
  {"imported", "values added to the dataset"},
  {"derived", "indicator values (derived from measures, not imported)"},
  {"rejected", "values rejected (unknown unit or data element, ...)"},
  {NULL, NULL}
};

PyStructSequence_Desc hicov_adx_stats_desc = {
  "hicov.AdxStats",
  "Counts of an ADX import: read = imported + derived + rejected.",
  adx_stats_fields, 4
};

static PyObject *
adx_result(hicov_state *st, const HicovAdxImportStats *s, char *rejections)
{
  PyObject *stats = PyStructSequence_New(st->AdxStatsType);
  if (stats == NULL)
    return NULL;
  long v[4] = {s->values_read, s->values_imported, s->values_derived,
               s->values_rejected};
  for (Py_ssize_t i = 0; i < 4; i++) {
    PyObject *x = PyLong_FromLong(v[i]);
    if (x == NULL) {
      Py_DECREF(stats);
      return NULL;
    }
    PyStructSequence_SetItem(stats, i, x);
  }
  PyObject *list;
  if (rejections == NULL || rejections[0] == '\0') {
    list = PyList_New(0);
  } else {
    PyObject *text = PyUnicode_DecodeUTF8(
        rejections, (Py_ssize_t)strlen(rejections), "replace");
    list = text != NULL ? PyUnicode_Splitlines(text, 0) : NULL;
    Py_XDECREF(text);
  }
  if (list == NULL) {
    Py_DECREF(stats);
    return NULL;
  }
  return Py_BuildValue("(NN)", stats, list);
}

/* Imports from a path (data NULL) or from memory, with the GIL held: the
 * dataset is changed. */
static PyObject *
load_adx_impl(PyObject *self, hicov_state *st, const char *path,
              const char *name, const char *data, size_t len, int strict)
{
  HicovAdxImportStats stats;
  memset(&stats, 0, sizeof stats);
  char *rejections = NULL;
  char err[ERR_SIZE] = "";
  int mode = strict ? HICOV_LOAD_STRICT : HICOV_LOAD_LENIENT;
  hicov_dataset_exclusive(self); /* a change: no query may be running */
  int rc = data == NULL
               ? hicov_adx_import_file(DS(self), path, mode, &stats,
                                       &rejections, err, sizeof err)
               : hicov_adx_import_buffer(DS(self), name, data, len, mode,
                                         &stats, &rejections, err,
                                         sizeof err);
  PyObject *result = NULL;
  if (hicov_check_status_msg(st, rc, err) == 0)
    result = adx_result(st, &stats, rejections);
  hicov_free(rejections);
  return result;
}

PyObject *
hicov_dataset_load_adx(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "strict", NULL};
  PyObject *path = NULL;
  int strict = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|p:load_adx", keywords,
                                   PyUnicode_FSConverter, &path, &strict))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  PyObject *result = NULL;
  if (st != NULL)
    result = load_adx_impl(self, st, PyBytes_AS_STRING(path), NULL, NULL, 0,
                           strict);
  Py_DECREF(path);
  return result;
}

PyObject *
hicov_dataset_load_adx_bytes(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"data", "name", "strict", NULL};
  Py_buffer data;
  const char *name = "<bytes>";
  int strict = 1;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s*|sp:load_adx_bytes",
                                   keywords, &data, &name, &strict))
    return NULL;
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  PyObject *result = NULL;
  if (st != NULL)
    result = load_adx_impl(self, st, NULL, name, data.buf, (size_t)data.len,
                           strict);
  PyBuffer_Release(&data);
  return result;
}
