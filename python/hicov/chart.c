/* chart.c - hicov.Chart, a heap type wrapping HicovChart*, and the
 * Dataset.chart_* constructors that call the chart-dataset builders.
 *
 * Every value drawn comes from the core (hicov-chart.h); this file only
 * parses arguments and moves bytes: SVG and PNG in memory for Jupyter's
 * _repr_svg_/_repr_png_, files through hicov_chart_save_*.  Charts are
 * drawn without the GIL (tens of milliseconds each); a chart is not
 * thread-safe, so each has a lock that its drawing and its setters hold. */
#include "_hicov.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "hicov-chart.h"

/* Default size in points (pixels at scale 1): 16:9, readable in a
 * notebook cell. */
#define DEFAULT_WIDTH 720.0
#define DEFAULT_HEIGHT 405.0
/* Largest PNG side in pixels, as hicov_chart_save_png allows. */
#define MAX_PIXELS 20000.0

typedef struct {
  PyObject_HEAD
  HicovChart *chart; /* owned */
  double width, height;
  PyThread_type_lock lock; /* held while the chart is drawn or changed */
} ChartObject;

#define CHART(self) (((ChartObject *)(self))->chart)

static hicov_state *
self_state(PyObject *self)
{
  return hicov_state_from_type(Py_TYPE(self));
}

static PyObject *
chart_wrap(hicov_state *st, HicovChart *chart)
{
  PyTypeObject *type = st->ChartType;
  ChartObject *self = (ChartObject *)type->tp_alloc(type, 0);
  if (self == NULL) {
    hicov_chart_free(chart);
    return NULL;
  }
  self->chart = chart;
  self->width = DEFAULT_WIDTH;
  self->height = DEFAULT_HEIGHT;
  self->lock = PyThread_allocate_lock();
  if (self->lock == NULL) {
    Py_DECREF(self);
    return PyErr_NoMemory();
  }
  return (PyObject *)self;
}

/* Takes the chart's lock, waiting without the GIL while another thread
 * draws it. */
static void
chart_lock(PyObject *self)
{
  PyThread_type_lock lock = ((ChartObject *)self)->lock;
  if (PyThread_acquire_lock(lock, NOWAIT_LOCK))
    return;
  Py_BEGIN_ALLOW_THREADS
  PyThread_acquire_lock(lock, WAIT_LOCK);
  Py_END_ALLOW_THREADS
}

static void
chart_unlock(PyObject *self)
{
  PyThread_release_lock(((ChartObject *)self)->lock);
}

static void
chart_dealloc(PyObject *self)
{
  PyTypeObject *type = Py_TYPE(self);
  hicov_chart_free(CHART(self));
  CHART(self) = NULL;
  if (((ChartObject *)self)->lock != NULL)
    PyThread_free_lock(((ChartObject *)self)->lock);
  type->tp_free(self);
  Py_DECREF(type);
}

static int
chart_check(hicov_state *st, PyObject *self, int rc)
{
  return hicov_check_status_msg(st, rc, hicov_chart_errmsg(CHART(self)));
}

/* width/height/scale arguments: None keeps the chart's size. */
static int
convert_size(hicov_state *st, PyObject *self, PyObject *w_obj,
             PyObject *h_obj, double scale, double *w, double *h)
{
  *w = ((ChartObject *)self)->width;
  *h = ((ChartObject *)self)->height;
  if (w_obj != NULL && w_obj != Py_None) {
    *w = PyFloat_AsDouble(w_obj);
    if (*w == -1.0 && PyErr_Occurred())
      return -1;
  }
  if (h_obj != NULL && h_obj != Py_None) {
    *h = PyFloat_AsDouble(h_obj);
    if (*h == -1.0 && PyErr_Occurred())
      return -1;
  }
  if (!(isfinite(*w) && *w > 0 && isfinite(*h) && *h > 0 && isfinite(scale)
        && scale > 0 && *w * scale <= MAX_PIXELS
        && *h * scale <= MAX_PIXELS))
  {
    /* PyUnicode_FromFormat has no %g */
    char buf[160];
    PyOS_snprintf(buf, sizeof buf, "%g x %g at scale %g", *w, *h, scale);
    return hicov_raise(st, HICOV_INVALID,
                       "invalid chart size %s: each side must be positive "
                       "and at most %d pixels", buf, (int)MAX_PIXELS);
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* SVG and PNG in memory                                                     */

static PyObject *
chart_svg_impl(PyObject *self, hicov_state *st, double w, double h)
{
  char *buf = NULL;
  size_t len = 0;
  int rc;
  chart_lock(self);
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_chart_svg_to_buffer(CHART(self), w, h, &buf, &len);
  Py_END_ALLOW_THREADS
  int failed = chart_check(st, self, rc) < 0;
  chart_unlock(self);
  if (failed)
    return NULL;
  PyObject *text = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
  hicov_free(buf);
  return text;
}

typedef struct {
  char *data;
  size_t len, cap;
} PngSink;

static cairo_status_t
png_write(void *closure, const unsigned char *data, unsigned int length)
{
  PngSink *s = closure;
  if (s->len + length > s->cap) {
    size_t cap = s->cap ? s->cap : 65536;
    while (s->len + length > cap)
      cap *= 2;
    char *p = PyMem_RawRealloc(s->data, cap); /* without the GIL */
    if (p == NULL)
      return CAIRO_STATUS_NO_MEMORY;
    s->data = p;
    s->cap = cap;
  }
  memcpy(s->data + s->len, data, length);
  s->len += length;
  return CAIRO_STATUS_SUCCESS;
}

static PyObject *
chart_png_impl(PyObject *self, hicov_state *st, double w, double h,
               double scale)
{
  int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
  cairo_surface_t *surf;
  cairo_status_t cst;
  PngSink sink = {NULL, 0, 0};
  int rc = HICOV_OK;
  chart_lock(self);
  /* Drawing and encoding touch no Python object: without the GIL. */
  Py_BEGIN_ALLOW_THREADS
  surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
  cst = cairo_surface_status(surf);
  if (cst == CAIRO_STATUS_SUCCESS) {
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, scale, scale);
    rc = hicov_chart_render(CHART(self), cr, w, h,
                            HICOV_CHART_RENDER_RASTER |
                                HICOV_CHART_RENDER_CAPTION);
    cairo_destroy(cr);
    if (rc == HICOV_OK) {
      cst = cairo_surface_write_to_png_stream(surf, png_write, &sink);
      if (cst == CAIRO_STATUS_NO_MEMORY)
        rc = HICOV_NOMEM;
      else if (cst != CAIRO_STATUS_SUCCESS)
        rc = HICOV_ERROR;
    }
  }
  cairo_surface_destroy(surf);
  Py_END_ALLOW_THREADS
  PyObject *bytes = NULL;
  if (rc == HICOV_OK && cst != CAIRO_STATUS_SUCCESS) { /* the surface */
    chart_unlock(self);
    PyMem_RawFree(sink.data);
    if (cst == CAIRO_STATUS_NO_MEMORY)
      return PyErr_NoMemory();
    hicov_raise(st, HICOV_ERROR, "cannot create a %d x %d image: %s", pw, ph,
                cairo_status_to_string(cst));
    return NULL;
  }
  if (rc == HICOV_OK)
    bytes = PyBytes_FromStringAndSize(sink.data, (Py_ssize_t)sink.len);
  else if (cst != CAIRO_STATUS_SUCCESS && rc != HICOV_NOMEM)
    hicov_raise(st, rc, "cannot encode the chart as PNG: %s",
                cairo_status_to_string(cst));
  else
    chart_check(st, self, rc);
  chart_unlock(self);
  PyMem_RawFree(sink.data);
  return bytes;
}

PyDoc_STRVAR(svg_doc,
"svg($self, /, width=None, height=None)\n--\n\n"
"Returns str.\n\n"
"The chart as an SVG document, width x height points (default: the\n"
"chart's width and height).");

static PyObject *
chart_svg(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"width", "height", NULL};
  PyObject *w_obj = NULL, *h_obj = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:svg", keywords, &w_obj,
                                   &h_obj))
    return NULL;
  hicov_state *st = self_state(self);
  double w, h;
  if (st == NULL || convert_size(st, self, w_obj, h_obj, 1.0, &w, &h) < 0)
    return NULL;
  return chart_svg_impl(self, st, w, h);
}

PyDoc_STRVAR(png_doc,
"png($self, /, width=None, height=None, scale=1.0)\n--\n\n"
"Returns bytes.\n\n"
"The chart as PNG bytes: width x height pixels at scale 1, scale times\n"
"that for hi-dpi output.");

static PyObject *
chart_png(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"width", "height", "scale", NULL};
  PyObject *w_obj = NULL, *h_obj = NULL;
  double scale = 1.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OOd:png", keywords, &w_obj,
                                   &h_obj, &scale))
    return NULL;
  hicov_state *st = self_state(self);
  double w, h;
  if (st == NULL || convert_size(st, self, w_obj, h_obj, scale, &w, &h) < 0)
    return NULL;
  return chart_png_impl(self, st, w, h, scale);
}

/* hicov.options.chart_format: is `format` the one a notebook shows?  A
 * notebook keeps every representation an object offers; one image per
 * chart keeps it small.  Without hicov.options (the extension alone),
 * SVG. */
static int
display_format_is(const char *format)
{
  const char *chosen = "svg";
  PyObject *mod = PyImport_ImportModule("hicov._options");
  PyObject *opts = mod ? PyObject_GetAttrString(mod, "options") : NULL;
  PyObject *value = opts ? PyObject_GetAttrString(opts, "chart_format") : NULL;
  if (value != NULL && PyUnicode_Check(value))
    chosen = PyUnicode_AsUTF8(value);
  if (chosen == NULL) /* not UTF-8: the default */
    chosen = "svg";
  int is = strcmp(chosen, format) == 0;
  PyErr_Clear();
  Py_XDECREF(value);
  Py_XDECREF(opts);
  Py_XDECREF(mod);
  return is;
}

static PyObject *
chart_repr_svg(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  if (!display_format_is("svg"))
    Py_RETURN_NONE;
  return chart_svg_impl(self, st, ((ChartObject *)self)->width,
                        ((ChartObject *)self)->height);
}

static PyObject *
chart_repr_png(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  if (!display_format_is("png"))
    Py_RETURN_NONE;
  return chart_png_impl(self, st, ((ChartObject *)self)->width,
                        ((ChartObject *)self)->height, 1.0);
}

/* ------------------------------------------------------------------------ */
/* save                                                                      */

static PyObject *
chart_save_impl(PyObject *self, hicov_state *st, const char *path, double w,
                double h, double scale)
{
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot != NULL && slash != NULL && dot < slash)
    dot = NULL;
  enum { PNG, SVG, PDF } kind;
  if (dot != NULL && strcasecmp(dot, ".png") == 0)
    kind = PNG;
  else if (dot != NULL && strcasecmp(dot, ".svg") == 0)
    kind = SVG;
  else if (dot != NULL && strcasecmp(dot, ".pdf") == 0)
    kind = PDF;
  else {
    hicov_raise(st, HICOV_INVALID,
                "%s: unknown chart file type %s: expected a name ending in "
                ".png, .svg or .pdf", path, dot != NULL ? dot : "''");
    return NULL;
  }
  int rc;
  chart_lock(self);
  Py_BEGIN_ALLOW_THREADS
  rc = kind == PNG ? hicov_chart_save_png(CHART(self), path, w, h, scale)
       : kind == SVG ? hicov_chart_save_svg(CHART(self), path, w, h)
       : hicov_chart_save_pdf(CHART(self), path, w, h);
  Py_END_ALLOW_THREADS
  int failed = chart_check(st, self, rc) < 0;
  chart_unlock(self);
  if (failed)
    return NULL;
  Py_RETURN_NONE;
}

PyDoc_STRVAR(save_doc,
"save($self, /, path, width=None, height=None, scale=1.0)\n--\n\n"
"Writes the chart as PNG, SVG or PDF, chosen by the extension of path\n"
"(.png, .svg, .pdf; any other raises InvalidError, a ValueError).  Sizes\n"
"are in points (PNG: pixels at scale 1).  The file is written to a\n"
"temporary file and renamed into place.");

static PyObject *
chart_save(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"path", "width", "height", "scale", NULL};
  PyObject *path = NULL, *w_obj = NULL, *h_obj = NULL;
  double scale = 1.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|OOd:save", keywords,
                                   PyUnicode_FSConverter, &path, &w_obj,
                                   &h_obj, &scale))
    return NULL;
  hicov_state *st = self_state(self);
  double w, h;
  PyObject *result = NULL;
  if (st != NULL && convert_size(st, self, w_obj, h_obj, scale, &w, &h) == 0)
    result = chart_save_impl(self, st, PyBytes_AS_STRING(path), w, h, scale);
  Py_DECREF(path);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Properties                                                                */

static const char *
kind_name(int kind)
{
  switch (kind) {
  case HICOV_CHART_LINE: return "line";
  case HICOV_CHART_BAR_RANKED: return "bar_ranked";
  case HICOV_CHART_STACKED: return "stacked";
  case HICOV_CHART_COLUMN: return "column";
  case HICOV_CHART_DUAL: return "dual";
  default: return "unknown";
  }
}

static PyObject *
chart_get_kind(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(kind_name(hicov_chart_kind(CHART(self))));
}

static PyObject *
chart_get_empty(PyObject *self, void *Py_UNUSED(closure))
{
  return PyBool_FromLong(hicov_chart_is_empty(CHART(self)));
}

static PyObject *
chart_get_point_count(PyObject *self, void *Py_UNUSED(closure))
{
  return PyLong_FromSize_t(hicov_chart_point_count(CHART(self)));
}

static PyObject *
chart_get_series_count(PyObject *self, void *Py_UNUSED(closure))
{
  return PyLong_FromSize_t(hicov_chart_series_count(CHART(self)));
}

static PyObject *
chart_get_keys(PyObject *self, void *Py_UNUSED(closure))
{
  size_t n = hicov_chart_point_count(CHART(self));
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (size_t i = 0; list != NULL && i < n; i++) {
    const char *key = hicov_chart_point_key(CHART(self), i);
    PyObject *k = key != NULL ? PyUnicode_FromString(key) : Py_NewRef(Py_None);
    if (k == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, (Py_ssize_t)i, k);
  }
  return list;
}

static PyObject *
chart_get_title(PyObject *self, void *Py_UNUSED(closure))
{
  return hicov_str_or_none(hicov_chart_title(CHART(self)));
}

static PyObject *
chart_get_subtitle(PyObject *self, void *Py_UNUSED(closure))
{
  return hicov_str_or_none(hicov_chart_subtitle(CHART(self)));
}

static PyObject *
chart_get_lang(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_chart_lang(CHART(self)));
}

static PyObject *
chart_get_theme(PyObject *self, void *Py_UNUSED(closure))
{
  return PyUnicode_FromString(hicov_chart_theme(CHART(self))
                              == HICOV_CHART_THEME_DARK ? "dark" : "light");
}

static PyObject *
chart_get_caption(PyObject *self, void *Py_UNUSED(closure))
{
  return hicov_str_or_none(hicov_chart_caption(CHART(self)));
}

/* [(name, [value, ...]), ...]: what each series draws at each point, NaN
 * where it has no value. */
static PyObject *
chart_get_series(PyObject *self, void *Py_UNUSED(closure))
{
  const HicovChart *c = CHART(self);
  size_t ns = hicov_chart_series_count(c), np = hicov_chart_point_count(c);
  PyObject *list = PyList_New((Py_ssize_t)ns);
  for (size_t k = 0; list != NULL && k < ns; k++) {
    PyObject *values = PyList_New((Py_ssize_t)np);
    for (size_t i = 0; values != NULL && i < np; i++) {
      PyObject *v = PyFloat_FromDouble(hicov_chart_value(c, k, i));
      if (v == NULL)
        Py_CLEAR(values);
      else
        PyList_SET_ITEM(values, (Py_ssize_t)i, v);
    }
    const char *name = hicov_chart_series_name(c, k);
    PyObject *item = values != NULL
                         ? Py_BuildValue("(sN)", name ? name : "", values)
                         : NULL;
    if (item == NULL)
      Py_CLEAR(list);
    else
      PyList_SET_ITEM(list, (Py_ssize_t)k, item);
  }
  return list;
}

/* Text setters: the chart copies the string; None clears it. */
typedef int (*text_setter)(HicovChart *, const char *);

static int
set_text(PyObject *self, PyObject *value, text_setter fn, const char *name)
{
  if (value == NULL) {
    PyErr_Format(PyExc_AttributeError, "cannot delete %s", name);
    return -1;
  }
  const char *text = NULL;
  if (value != Py_None) {
    if (!PyUnicode_Check(value)) {
      PyErr_Format(PyExc_TypeError, "%s must be a str or None, not %.100s",
                   name, Py_TYPE(value)->tp_name);
      return -1;
    }
    Py_ssize_t len;
    text = PyUnicode_AsUTF8AndSize(value, &len);
    if (text == NULL)
      return -1;
    if ((size_t)len != strlen(text)) {
      PyErr_Format(PyExc_ValueError, "%s must not contain NUL", name);
      return -1;
    }
  }
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  chart_lock(self);
  int rc = chart_check(st, self, fn(CHART(self), text));
  chart_unlock(self);
  return rc;
}

static int
chart_set_title(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  return set_text(self, value, hicov_chart_set_title, "title");
}

static int
chart_set_subtitle(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  return set_text(self, value, hicov_chart_set_subtitle, "subtitle");
}

static int
chart_set_caption(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  return set_text(self, value, hicov_chart_set_caption, "caption");
}

static int
chart_set_lang(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  if (value == Py_None) {
    PyErr_SetString(PyExc_TypeError, "lang must be 'vi' or 'en'");
    return -1;
  }
  return set_text(self, value, hicov_chart_set_lang, "lang");
}

static int
chart_set_theme(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  const char *name = value != NULL && PyUnicode_Check(value)
                         ? PyUnicode_AsUTF8(value) : NULL;
  if (name == NULL && PyErr_Occurred())
    return -1;
  int theme;
  if (name != NULL && strcmp(name, "light") == 0)
    theme = HICOV_CHART_THEME_LIGHT;
  else if (name != NULL && strcmp(name, "dark") == 0)
    theme = HICOV_CHART_THEME_DARK;
  else
    return hicov_raise(st, HICOV_INVALID,
                       "theme must be 'light' or 'dark', not %R",
                       value != NULL ? value : Py_None);
  chart_lock(self);
  int rc = chart_check(st, self, hicov_chart_set_theme(CHART(self), theme));
  chart_unlock(self);
  return rc;
}

static PyObject *
chart_get_size(PyObject *self, void *Py_UNUSED(closure))
{
  return Py_BuildValue("(dd)", ((ChartObject *)self)->width,
                       ((ChartObject *)self)->height);
}

static int
chart_set_size(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return -1;
  if (value == NULL) {
    PyErr_SetString(PyExc_AttributeError, "cannot delete size");
    return -1;
  }
  PyObject *w_obj, *h_obj;
  if (!PyTuple_Check(value)
      || !PyArg_ParseTuple(value, "OO;size must be a (width, height) tuple",
                           &w_obj, &h_obj)) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_TypeError, "size must be a (width, height) tuple");
    return -1;
  }
  double w, h;
  if (convert_size(st, self, w_obj, h_obj, 1.0, &w, &h) < 0)
    return -1;
  ((ChartObject *)self)->width = w;
  ((ChartObject *)self)->height = h;
  return 0;
}

static PyObject *
chart_repr(PyObject *self)
{
  return PyUnicode_FromFormat(
      "<hicov.Chart %s: %zu points, %zu series%s>",
      kind_name(hicov_chart_kind(CHART(self))),
      hicov_chart_point_count(CHART(self)),
      hicov_chart_series_count(CHART(self)),
      hicov_chart_is_empty(CHART(self)) ? ", empty" : "");
}

static PyGetSetDef chart_getset[] = {
  {"kind", chart_get_kind, NULL,
   "'line', 'bar_ranked', 'stacked', 'column' or 'dual'.", NULL},
  {"empty", chart_get_empty, NULL,
   "True when no series has a finite value (the chart draws 'No data').",
   NULL},
  {"point_count", chart_get_point_count, NULL,
   "Number of points (categories) on the category axis.", NULL},
  {"series_count", chart_get_series_count, NULL, "Number of series.", NULL},
  {"keys", chart_get_keys, NULL,
   "Point keys (unit codes of a ranked chart), None where unset.", NULL},
  {"size", chart_get_size, chart_set_size,
   "(width, height) in points used by _repr_svg_/_repr_png_ and as the\n"
   "default of svg(), png() and save(); (720, 405) initially.", NULL},
  {"title", chart_get_title, chart_set_title,
   "Title, or None; setting None clears it.", NULL},
  {"subtitle", chart_get_subtitle, chart_set_subtitle,
   "Subtitle, or None; setting None clears it.", NULL},
  {"caption", chart_get_caption, chart_set_caption,
   "Caption, or None; setting None clears it.  save(), svg(), png() and\n"
   "the notebook draw it under the chart (the dashboard's window, which\n"
   "says as much around it, does not): what a chart standing alone must\n"
   "say, e.g. Dataset.figure()'s units, period and sources.",
   NULL},
  {"series", chart_get_series, NULL,
   "What the chart draws: [(name, [value, ...]), ...], one value per point\n"
   "(in the order of keys), NaN where a series has none.", NULL},
  {"lang", chart_get_lang, chart_set_lang,
   "'vi' or 'en': number formatting and built-in texts.  The labels the\n"
   "builder wrote (title, series, axis titles) are in the lang= given to\n"
   "Dataset.chart_*: build the chart in the language wanted.", NULL},
  {"theme", chart_get_theme, chart_set_theme, "'light' or 'dark'.", NULL},
  {NULL, NULL, NULL, NULL, NULL}
};

/* ------------------------------------------------------------------------ */
/* Pickling: through hicov_chart_serialize                                   */

static PyObject *
chart_to_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  void *data = NULL;
  size_t len = 0;
  chart_lock(self);
  int rc = hicov_chart_serialize(CHART(self), &data, &len);
  chart_unlock(self);
  if (chart_check(st, self, rc) < 0)
    return NULL;
  PyObject *bytes = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
  hicov_free(data);
  return bytes;
}

static PyObject *
chart_from_bytes(PyObject *type, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"", "size", NULL};
  Py_buffer view;
  PyObject *size = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*|O:from_bytes", keywords,
                                   &view, &size))
    return NULL;
  hicov_state *st = hicov_state_from_type((PyTypeObject *)type);
  HicovChart *chart = NULL;
  int rc = st != NULL ? hicov_chart_deserialize(view.buf, (size_t)view.len,
                                                &chart) : HICOV_ERROR;
  PyBuffer_Release(&view);
  if (st == NULL)
    return NULL;
  if (rc != HICOV_OK)
    return rc == HICOV_PARSE
               ? (hicov_raise(st, rc, "not a chart state hicov wrote (cut, "
                              "changed or another version)"), NULL)
               : (hicov_check_status_msg(st, rc, NULL), NULL);
  PyObject *self = chart_wrap(st, chart);
  if (self != NULL && size != Py_None
      && chart_set_size(self, size, NULL) < 0)
    Py_CLEAR(self);
  return self;
}

static PyObject *
chart_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *from = PyObject_GetAttrString((PyObject *)Py_TYPE(self),
                                          "from_bytes");
  PyObject *state = from != NULL ? chart_to_bytes(self, NULL) : NULL;
  if (state == NULL) {
    Py_XDECREF(from);
    return NULL;
  }
  return Py_BuildValue("(N(N(dd)))", from, state,
                       ((ChartObject *)self)->width,
                       ((ChartObject *)self)->height);
}

#define KW (PyCFunction)(void (*)(void))
static PyMethodDef chart_methods[] = {
  {"to_bytes", chart_to_bytes, METH_NOARGS,
   "to_bytes($self, /)\n--\n\n"
   "Returns bytes.\n\n"
   "The chart as the core serialises it (hicov_chart_serialize): what it\n"
   "shows, versioned and sealed with a SHA-256.  pickle uses it."},
  {"from_bytes", KW chart_from_bytes, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
   "from_bytes($type, data, /, size=None)\n--\n\n"
   "Returns Chart.\n\n"
   "A chart from Chart.to_bytes(), with size (width, height) if given.\n"
   "Bytes that are not such a state raise ParseError."},
  {"__reduce__", chart_reduce, METH_NOARGS,
   "__reduce__($self, /)\n--\n\n"
   "Pickling support: Chart.from_bytes(to_bytes(), size)."},
  {"svg", KW chart_svg, METH_VARARGS | METH_KEYWORDS, svg_doc},
  {"png", KW chart_png, METH_VARARGS | METH_KEYWORDS, png_doc},
  {"save", KW chart_save, METH_VARARGS | METH_KEYWORDS, save_doc},
  {"_repr_svg_", chart_repr_svg, METH_NOARGS,
   "_repr_svg_($self, /)\n--\n\n"
   "SVG for Jupyter (the chart's size); None unless\n"
   "hicov.options.chart_format is 'svg' (the default)."},
  {"_repr_png_", chart_repr_png, METH_NOARGS,
   "_repr_png_($self, /)\n--\n\n"
   "PNG for Jupyter (the chart's size, scale 1); None unless\n"
   "hicov.options.chart_format is 'png'."},
  {NULL, NULL, 0, NULL}
};
#undef KW

PyDoc_STRVAR(chart_doc,
"A chart drawn by the core with cairo and Pango.  Get one from\n"
"Dataset.figure() (the dashboard's figures), chart_coverage(),\n"
"chart_ranked(), chart_groups(), chart_columns() or\n"
"chart_revenue_spending(); Jupyter shows it inline.");

static PyType_Slot chart_slots[] = {
  {Py_tp_dealloc, chart_dealloc},
  {Py_tp_repr, chart_repr},
  {Py_tp_methods, chart_methods},
  {Py_tp_getset, chart_getset},
  {Py_tp_doc, (void *)chart_doc},
  {0, NULL}
};

PyType_Spec hicov_chart_spec = {
  .name = "hicov.Chart",
  .basicsize = sizeof(ChartObject),
  .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE
           | Py_TPFLAGS_DISALLOW_INSTANTIATION,
  .slots = chart_slots,
};

/* ------------------------------------------------------------------------ */
/* Dataset.chart_*                                                           */

#define DS(self) (((DatasetObject *)(self))->ds)

/* A builder is a query on the dataset: it runs without the GIL, beside
 * other threads' queries (threads.c).  Returns NULL from the caller when
 * the dataset cannot be prepared. */
#define SHARED_QUERY(self, rc, call)                                         \
  do {                                                                       \
    if (hicov_dataset_share(self) < 0)                                       \
      return NULL;                                                           \
    Py_BEGIN_ALLOW_THREADS                                                   \
    (rc) = (call);                                                           \
    Py_END_ALLOW_THREADS                                                     \
    hicov_dataset_unshare(self);                                             \
  } while (0)

/* The builders return a bare status: say which name is unknown. */
static PyObject *
builder_result(PyObject *self, hicov_state *st, int rc, HicovChart *chart,
               const char *what, const char *indicator, const char *measure,
               const char *const *units, size_t nunits)
{
  if (rc == HICOV_OK)
    return chart_wrap(st, chart);
  hicov_chart_free(chart);
  if (rc == HICOV_NOTFOUND) {
    if (indicator != NULL && hicov_indicator_find(indicator) == NULL) {
      hicov_raise(st, rc, "%s: unknown indicator '%s'", what, indicator);
      return NULL;
    }
    if (measure != NULL && hicov_measure_find(measure) < 0) {
      hicov_raise(st, rc, "%s: unknown measure '%s'", what, measure);
      return NULL;
    }
    for (size_t i = 0; i < nunits; i++) {
      size_t idx;
      if (hicov_dataset_find_unit(DS(self), units[i], &idx) != HICOV_OK) {
        hicov_raise(st, rc, "%s: unknown unit '%s'", what, units[i]);
        return NULL;
      }
    }
  }
  hicov_check_status(st, rc, DS(self));
  return NULL;
}

/* obj's items (PySequence_Fast), refusing a str, bytes or int, which a
 * caller means as one item: TypeError msg.  New reference, or NULL. */
static PyObject *
sequence_of(PyObject *obj, const char *msg)
{
  if (PyUnicode_Check(obj) || PyBytes_Check(obj) || PyLong_Check(obj)) {
    PyErr_SetString(PyExc_TypeError, msg);
    return NULL;
  }
  return PySequence_Fast(obj, msg);
}

/* A sequence of periods (str or int year) as a PyMem array. */
static int
convert_periods(hicov_state *st, PyObject *obj, HicovPeriod **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  PyObject *seq = sequence_of(obj, "periods must be a sequence of periods, "
                                   "e.g. ['2022', '2023', '2024']");
  if (seq == NULL)
    return -1;
  Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
  HicovPeriod *p = PyMem_New(HicovPeriod, len > 0 ? (size_t)len : 1);
  if (p == NULL) {
    Py_DECREF(seq);
    PyErr_NoMemory();
    return -1;
  }
  for (Py_ssize_t i = 0; i < len; i++) {
    if (hicov_convert_period_arg(st, "periods",
                                 PySequence_Fast_GET_ITEM(seq, i), &p[i]) < 0) {
      PyMem_Free(p);
      Py_DECREF(seq);
      return -1;
    }
  }
  Py_DECREF(seq);
  *out = p;
  *n = (size_t)len;
  return 0;
}

static PyObject *
chart_coverage_impl(PyObject *self, hicov_state *st, const char *unit,
                    const HicovResolution *res, const char *lang)
{
  HicovChart *chart = NULL;
  int rc;
  SHARED_QUERY(self, rc, hicov_chart_coverage_trend(DS(self), unit, res, lang,
                                                    &chart));
  return builder_result(self, st, rc, chart, "chart_coverage", NULL, NULL,
                        &unit, 1);
}

PyObject *
hicov_dataset_chart_coverage(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"unit", "resolution", "lang", NULL};
  const char *unit, *lang = "en";
  PyObject *res_obj = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|Os:chart_coverage",
                                   keywords, &unit, &res_obj, &lang))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || hicov_check_lang(st, lang, 0) < 0)
    return NULL;
  const HicovResolution *res;
  HicovResolution *owned;
  if (hicov_convert_resolution(st, DS(self), res_obj, 1, &res, &owned) < 0)
    return NULL;
  PyObject *chart = chart_coverage_impl(self, st, unit, res, lang);
  hicov_resolution_free(owned);
  return chart;
}

/* level: None (direct children: -1), a name or a HicovLevel number. */
static int
convert_level(hicov_state *st, PyObject *obj, int *level)
{
  if (obj == Py_None) {
    *level = -1;
    return 0;
  }
  if (PyUnicode_Check(obj)) {
    const char *name = PyUnicode_AsUTF8(obj);
    if (name == NULL)
      return -1;
    *level = hicov_level_parse(name);
    if (*level >= 0)
      return 0;
  } else if (PyLong_Check(obj) && !PyBool_Check(obj)) {
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
      return -1;
    if (v >= 0 && v <= HICOV_LEVEL_FACILITY && hicov_level_name((int)v)) {
      *level = (int)v;
      return 0;
    }
  } else {
    PyErr_Format(PyExc_TypeError, "level must be a str, int or None, not "
                 "%.100s", Py_TYPE(obj)->tp_name);
    return -1;
  }
  return hicov_raise(st, HICOV_INVALID,
                     "invalid level %R: expected 'country', 'province', "
                     "'district', 'commune', 'facility', 0 to %d or None", obj,
                     HICOV_LEVEL_FACILITY);
}

static PyObject *
chart_ranked_impl(PyObject *self, hicov_state *st, const char *indicator,
                  HicovPeriod period, const char *parent, int level,
                  double target, long limit, const char *lang)
{
  HicovChart *chart = NULL;
  int rc;
  SHARED_QUERY(self, rc, hicov_chart_children_ranked_n(DS(self), indicator,
                                                       parent, period, level,
                                                       target, limit, lang,
                                                       &chart));
  return builder_result(self, st, rc, chart, "chart_ranked", indicator, NULL,
                        &parent, 1);
}

PyObject *
hicov_dataset_chart_ranked(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicator", "period", "parent", "level",
                             "target", "lang", "top", "bottom", NULL};
  const char *indicator, *parent, *lang = "en";
  PyObject *period_obj, *level_obj = NULL, *target_obj = Py_None;
  PyObject *top_obj = Py_None, *bottom_obj = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sOs|OOs$OO:chart_ranked",
                                   keywords, &indicator, &period_obj, &parent,
                                   &level_obj, &target_obj, &lang, &top_obj,
                                   &bottom_obj))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || hicov_check_lang(st, lang, 0) < 0)
    return NULL;
  long limit = 0;
  if (top_obj != Py_None && bottom_obj != Py_None) {
    hicov_raise(st, HICOV_INVALID, "give top or bottom, not both");
    return NULL;
  }
  PyObject *n_obj = top_obj != Py_None ? top_obj : bottom_obj;
  if (n_obj != Py_None) {
    limit = PyLong_AsLong(n_obj);
    if (limit == -1 && PyErr_Occurred())
      return NULL;
    if (limit < 1) {
      hicov_raise(st, HICOV_INVALID, "%s must be at least 1, not %ld",
                  top_obj != Py_None ? "top" : "bottom", limit);
      return NULL;
    }
    if (bottom_obj != Py_None)
      limit = -limit;
  }
  HicovPeriod period;
  int level = HICOV_LEVEL_COMMUNE;
  double target = NAN;
  if (hicov_convert_period(st, period_obj, &period) < 0
      || (level_obj != NULL && convert_level(st, level_obj, &level) < 0))
    return NULL;
  if (target_obj != Py_None) {
    target = PyFloat_AsDouble(target_obj);
    if (target == -1.0 && PyErr_Occurred())
      return NULL;
    if (!isfinite(target)) {
      hicov_raise(st, HICOV_INVALID,
                  "target must be a finite number or None, not %R",
                  target_obj);
      return NULL;
    }
  }
  return chart_ranked_impl(self, st, indicator, period, parent, level, target,
                           limit, lang);
}

/* The three builders over (name?, unit, periods, lang). */
enum { OVER_GROUPS, OVER_COLUMNS, OVER_REVENUE };

static PyObject *
chart_over_periods_impl(PyObject *self, hicov_state *st, int which,
                        const char *name, const char *unit,
                        const HicovPeriod *periods, size_t n,
                        const char *lang)
{
  HicovChart *chart = NULL;
  int rc;
  switch (which) {
  case OVER_GROUPS:
    SHARED_QUERY(self, rc, hicov_chart_groups_stacked(DS(self), name, unit,
                                                      periods, n, lang,
                                                      &chart));
    return builder_result(self, st, rc, chart, "chart_groups", NULL, name,
                          &unit, 1);
  case OVER_COLUMNS:
    SHARED_QUERY(self, rc, hicov_chart_indicator_columns(DS(self), name,
                                                         unit, periods, n,
                                                         lang, &chart));
    return builder_result(self, st, rc, chart, "chart_columns", name, NULL,
                          &unit, 1);
  default:
    SHARED_QUERY(self, rc, hicov_chart_revenue_spending(DS(self), unit,
                                                        periods, n, lang,
                                                        &chart));
    return builder_result(self, st, rc, chart, "chart_revenue_spending",
                          NULL, NULL, &unit, 1);
  }
}

static PyObject *
chart_over_periods(PyObject *self, int which, const char *name,
                   const char *unit, PyObject *periods_obj, const char *lang)
{
  hicov_state *st = self_state(self);
  if (st == NULL || hicov_check_lang(st, lang, 0) < 0)
    return NULL;
  HicovPeriod *periods;
  size_t n;
  if (convert_periods(st, periods_obj, &periods, &n) < 0)
    return NULL;
  PyObject *chart = chart_over_periods_impl(self, st, which, name, unit,
                                            periods, n, lang);
  PyMem_Free(periods);
  return chart;
}

PyObject *
hicov_dataset_chart_groups(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"measure", "unit", "periods", "lang", NULL};
  const char *measure, *unit, *lang = "en";
  PyObject *periods;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ssO|s:chart_groups",
                                   keywords, &measure, &unit, &periods, &lang))
    return NULL;
  return chart_over_periods(self, OVER_GROUPS, measure, unit, periods, lang);
}

PyObject *
hicov_dataset_chart_columns(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"indicator", "unit", "periods", "lang", NULL};
  const char *indicator, *unit, *lang = "en";
  PyObject *periods;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ssO|s:chart_columns",
                                   keywords, &indicator, &unit, &periods,
                                   &lang))
    return NULL;
  return chart_over_periods(self, OVER_COLUMNS, indicator, unit, periods,
                            lang);
}

PyObject *
hicov_dataset_chart_revenue_spending(PyObject *self, PyObject *args,
                                     PyObject *kwargs)
{
  static char *keywords[] = {"unit", "periods", "lang", NULL};
  const char *unit, *lang = "en";
  PyObject *periods;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sO|s:chart_revenue_spending",
                                   keywords, &unit, &periods, &lang))
    return NULL;
  return chart_over_periods(self, OVER_REVENUE, NULL, unit, periods, lang);
}

/* ------------------------------------------------------------------------ */
/* Dataset.figure: the dashboard's figures (hicov_figure_chart)              */

/* What a figure is asked for, in C types. */
typedef struct {
  int fig;                 /* HicovFigure */
  const char *unit;
  HicovPeriod period;
  const char *indicator;   /* NULL: coverage_rate */
  int set_max;             /* ranking_max given: else the core's default */
  size_t ranking_max;      /* 0: every unit below */
  const char *compare[HICOV_FIGURE_MAX_COMPARE];
  size_t ncompare;
  const HicovResolution *res; /* NULL: every resolution of the dataset */
  const char *lang;
} FigureArgs;

/* Builds the figure as the dashboard does: a context with the options
 * set, then the chart.  Runs without the GIL; the context's message goes
 * to err. */
static int
figure_build(HicovDataset *ds, const FigureArgs *a, HicovChart **out,
             char *err, size_t size)
{
  HicovFigureContext *ctx = NULL;
  int rc = hicov_figure_context_new(ds, a->res, a->lang, &ctx);
  if (rc == HICOV_OK)
    rc = hicov_figure_context_set_indicator(ctx, a->indicator);
  if (rc == HICOV_OK && a->set_max)
    rc = hicov_figure_context_set_ranking_max(ctx, a->ranking_max);
  if (rc == HICOV_OK)
    rc = hicov_figure_context_set_compare(ctx, a->compare, a->ncompare);
  if (rc == HICOV_OK)
    rc = hicov_figure_chart(ctx, a->unit, a->period, a->fig, out);
  snprintf(err, size, "%s", rc != HICOV_OK && ctx != NULL
                                ? hicov_figure_context_errmsg(ctx) : "");
  hicov_figure_context_free(ctx);
  return rc;
}

static PyObject *
figure_impl(PyObject *self, hicov_state *st, const FigureArgs *a)
{
  HicovChart *chart = NULL;
  char err[512];
  int rc;
  SHARED_QUERY(self, rc, figure_build(DS(self), a, &chart, err, sizeof err));
  if (rc == HICOV_OK)
    return chart_wrap(st, chart);
  hicov_chart_free(chart);
  if (err[0])
    hicov_raise(st, rc, "figure: %s", err);
  else
    hicov_check_status(st, rc, DS(self));
  return NULL;
}

/* "'a', 'b', 'c'": the names f(i) gives until NULL, for messages. */
static PyObject *
name_list(const char *(*f)(size_t))
{
  PyObject *parts = PyList_New(0);
  for (size_t i = 0; parts != NULL && f(i) != NULL; i++) {
    PyObject *s = PyUnicode_FromFormat("'%s'", f(i));
    if (s == NULL || PyList_Append(parts, s) < 0)
      Py_CLEAR(parts);
    Py_XDECREF(s);
  }
  if (parts == NULL)
    return NULL;
  PyObject *sep = PyUnicode_FromString(", ");
  PyObject *joined = sep != NULL ? PyUnicode_Join(sep, parts) : NULL;
  Py_XDECREF(sep);
  Py_DECREF(parts);
  return joined;
}

static const char *
figure_name_at(size_t i)
{
  return i < HICOV_N_FIGS ? hicov_figure_name((int)i) : NULL;
}

/* An unknown name among f's: ValueError naming what may be given. */
static int
raise_choice(hicov_state *st, const char *what, const char *given,
             const char *(*f)(size_t))
{
  PyObject *names = name_list(f);
  if (names == NULL)
    return -1;
  hicov_raise(st, HICOV_INVALID, "figure: unknown %s '%s': expected one of %U",
              what, given, names);
  Py_DECREF(names);
  return -1;
}

/* ranking_max: None (every unit below) or a whole number from 1. */
static int
convert_ranking_max(hicov_state *st, PyObject *obj, size_t *out)
{
  if (obj == Py_None) {
    *out = 0;
    return 0;
  }
  if (PyBool_Check(obj) || !PyLong_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "figure: ranking_max must be an int or "
                 "None (every unit), not %.100s", Py_TYPE(obj)->tp_name);
    return -1;
  }
  long n = PyLong_AsLong(obj);
  if (n == -1 && PyErr_Occurred())
    return -1;
  if (n < 1)
    return hicov_raise(st, HICOV_INVALID, "figure: ranking_max must be at "
                       "least 1, or None for every unit, not %ld", n);
  *out = (size_t)n;
  return 0;
}

/* compare: None or a sequence of at most HICOV_FIGURE_MAX_COMPARE unit
 * codes.  The codes borrow from *keep (a new reference the caller
 * releases, NULL for None). */
static int
convert_compare(hicov_state *st, PyObject *obj, FigureArgs *a,
                PyObject **keep)
{
  *keep = NULL;
  a->ncompare = 0;
  if (obj == Py_None)
    return 0;
  PyObject *seq = sequence_of(obj, "figure: compare must be a sequence of "
                                   "unit codes, e.g. ['22', '17']");
  if (seq == NULL)
    return -1;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  if (n > HICOV_FIGURE_MAX_COMPARE) {
    Py_DECREF(seq);
    return hicov_raise(st, HICOV_INVALID, "figure: compare takes at most %d "
                       "units besides unit (%d on one trend), not %zd",
                       HICOV_FIGURE_MAX_COMPARE,
                       HICOV_FIGURE_MAX_COMPARE + 1, n);
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
    const char *code = PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
    if (code == NULL) {
      if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "figure: compare[%zd] must be a unit "
                     "code (str), not %.100s", i, Py_TYPE(item)->tp_name);
      Py_DECREF(seq);
      return -1;
    }
    a->compare[a->ncompare++] = code;
  }
  *keep = seq;
  return 0;
}

/* The options that only some figures draw, given to another: an error
 * rather than a chart that silently ignores them. */
static int
check_figure_options(hicov_state *st, const FigureArgs *a)
{
  const char *name = hicov_figure_name(a->fig);
  if (a->indicator != NULL && a->fig != HICOV_FIG_COVERAGE_TREND &&
      a->fig != HICOV_FIG_RANKING)
    return hicov_raise(st, HICOV_INVALID, "figure: indicator applies to the "
                       "'coverage-trend' and 'ranking' figures, not '%s'",
                       name);
  if (a->set_max && a->fig != HICOV_FIG_RANKING)
    return hicov_raise(st, HICOV_INVALID, "figure: ranking_max applies to "
                       "the 'ranking' figure, not '%s'", name);
  if (a->ncompare && a->fig != HICOV_FIG_COVERAGE_TREND)
    return hicov_raise(st, HICOV_INVALID, "figure: compare applies to the "
                       "'coverage-trend' figure, not '%s'", name);
  if (a->indicator != NULL) {
    for (size_t i = 0; hicov_figure_indicator(i) != NULL; i++)
      if (strcmp(hicov_figure_indicator(i), a->indicator) == 0)
        return 0;
    return raise_choice(st, "indicator", a->indicator,
                        hicov_figure_indicator);
  }
  return 0;
}

PyObject *
hicov_dataset_figure(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"name", "unit", "period", "indicator",
                             "ranking_max", "compare", "resolution", "lang",
                             NULL};
  const char *name;
  FigureArgs a = { .lang = "en" };
  PyObject *period_obj, *max_obj = NULL, *compare_obj = Py_None;
  PyObject *res_obj = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ssO|$zOOOs:figure",
                                   keywords, &name, &a.unit, &period_obj,
                                   &a.indicator, &max_obj, &compare_obj,
                                   &res_obj, &a.lang))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || hicov_check_lang(st, a.lang, 0) < 0)
    return NULL;
  a.fig = hicov_figure_from_name(name);
  if (a.fig < 0) {
    raise_choice(st, "figure", name, figure_name_at);
    return NULL;
  }
  a.set_max = max_obj != NULL;
  PyObject *keep;
  if ((max_obj != NULL && convert_ranking_max(st, max_obj,
                                              &a.ranking_max) < 0)
      || hicov_convert_period(st, period_obj, &a.period) < 0
      || convert_compare(st, compare_obj, &a, &keep) < 0)
    return NULL;
  HicovResolution *owned = NULL;
  PyObject *chart = NULL;
  if (check_figure_options(st, &a) == 0
      && hicov_convert_resolution(st, DS(self), res_obj, 1, &a.res,
                                  &owned) == 0)
    chart = figure_impl(self, st, &a);
  hicov_resolution_free(owned);
  Py_XDECREF(keep);
  return chart;
}
