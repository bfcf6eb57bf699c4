/* vector.c - vectorised formulas over buffers of doubles.
 *
 * Inputs: any C-contiguous buffer of native doubles (numpy float64 arrays,
 * array.array('d'), memoryview) is read in place, without a copy; anything
 * else (other dtypes, strided arrays, lists) goes through
 * numpy.asarray(x, dtype=float64, order='C').  Shapes broadcast as numpy's
 * do.  pandas Series are aligned by label first (the union of their
 * indexes, as pandas arithmetic does; NaN where a label is missing), and
 * pandas objects, nullable dtypes (Int64, Float64) included, are read with
 * <NA> as NaN.  The result is a new numpy float64 array of the broadcast
 * shape (a Series on the aligned index when a Series came in), or out=,
 * written directly by the core, which runs without the GIL on large
 * inputs. */
#include "_hicov.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Below this many elements releasing and re-taking the GIL costs more than
 * it gives to other threads. */
#define HICOV_GIL_THRESHOLD 10000

#define MAX_OPERANDS 3

typedef enum { K_COVERAGE, K_GROWTH, K_CAGR, K_RATIO } Kernel;

typedef struct {
  const char *name;    /* argument name, for messages */
  PyObject *converted; /* array made from a non-buffer input, or NULL */
  Py_buffer view;
  int has_view;        /* view must be released */
  int is_scalar;
  double scalar;
  double *fill;        /* the scalar broadcast to n elements (PyMem) */
  const double *data;
} Operand;

static int
is_native_double(const Py_buffer *view)
{
  const char *f = view->format != NULL ? view->format : "B";
  if (view->itemsize != (Py_ssize_t)sizeof(double))
    return 0;
  switch (f[0]) {
  case '@':
  case '=':
    f++;
    break;
  case '<':
    if (!PY_LITTLE_ENDIAN)
      return 0;
    f++;
    break;
  case '>':
  case '!':
    if (PY_LITTLE_ENDIAN)
      return 0;
    f++;
    break;
  default:
    break;
  }
  return strcmp(f, "d") == 0;
}

/* numpy.asarray(obj, dtype=numpy.float64, order='C') */
static PyObject *
as_float64_array(PyObject *obj)
{
  PyObject *result = NULL, *args = NULL, *kwargs = NULL, *asarray = NULL;
  PyObject *float64 = NULL;
  PyObject *numpy = PyImport_ImportModule("numpy");
  if (numpy == NULL)
    return NULL;
  if ((asarray = PyObject_GetAttrString(numpy, "asarray")) == NULL
      || (float64 = PyObject_GetAttrString(numpy, "float64")) == NULL
      || (args = PyTuple_Pack(1, obj)) == NULL
      || (kwargs = Py_BuildValue("{sOss}", "dtype", float64, "order", "C"))
             == NULL)
    goto done;
  result = PyObject_Call(asarray, args, kwargs);
done:
  Py_XDECREF(numpy);
  Py_XDECREF(asarray);
  Py_XDECREF(float64);
  Py_XDECREF(args);
  Py_XDECREF(kwargs);
  return result;
}

static int
operand_init(Operand *op, PyObject *obj)
{
  if (obj == Py_None) {
    PyErr_Format(PyExc_TypeError,
                 "%s must be a number or an array of numbers, not None",
                 op->name);
    return -1;
  }
  if (PyFloat_Check(obj) || PyLong_Check(obj)) {
    op->scalar = PyFloat_AsDouble(obj);
    if (op->scalar == -1.0 && PyErr_Occurred())
      return -1;
    op->is_scalar = 1;
    return 0;
  }
  /* Zero-copy path: a C-contiguous buffer of native doubles. */
  if (PyObject_CheckBuffer(obj)) {
    if (PyObject_GetBuffer(obj, &op->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
        == 0) {
      if (is_native_double(&op->view)) {
        op->has_view = 1;
        goto have_view;
      }
      PyBuffer_Release(&op->view);
    } else if (PyErr_ExceptionMatches(PyExc_BufferError)
               || PyErr_ExceptionMatches(PyExc_ValueError)
               || PyErr_ExceptionMatches(PyExc_TypeError)) {
      /* strided (numpy says ValueError) or not exportable: convert below */
      PyErr_Clear();
    } else {
      return -1;
    }
  }
  op->converted = as_float64_array(obj);
  if (op->converted == NULL)
    return -1;
  if (PyObject_GetBuffer(op->converted, &op->view,
                         PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return -1;
  op->has_view = 1;
  if (!is_native_double(&op->view)) {
    PyErr_Format(PyExc_TypeError, "%s: cannot convert to float64", op->name);
    return -1;
  }
have_view:
  if (op->view.ndim == 0) {
    memcpy(&op->scalar, op->view.buf, sizeof(double));
    op->is_scalar = 1;
  } else {
    op->data = (const double *)op->view.buf;
  }
  return 0;
}

enum { MAX_DIMS = 32 };

typedef struct {
  int ndim;
  Py_ssize_t dims[MAX_DIMS];
} Shape;

static PyObject *
shape_tuple(const Shape *sh)
{
  PyObject *t = PyTuple_New(sh->ndim);
  for (int i = 0; t != NULL && i < sh->ndim; i++) {
    PyObject *d = PyLong_FromSsize_t(sh->dims[i]);
    if (d == NULL)
      Py_CLEAR(t);
    else
      PyTuple_SET_ITEM(t, i, d);
  }
  return t;
}

static void
shape_of(const Py_buffer *view, Shape *sh)
{
  sh->ndim = view->ndim < MAX_DIMS ? view->ndim : MAX_DIMS;
  for (int i = 0; i < sh->ndim; i++)
    sh->dims[i] = view->shape != NULL ? view->shape[i]
                                      : view->len / (Py_ssize_t)sizeof(double);
}

static int
same_shape(const Shape *a, const Shape *b)
{
  if (a->ndim != b->ndim)
    return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->dims[i] != b->dims[i])
      return 0;
  return 1;
}

/* numpy's broadcasting of `into` with b, trailing dimensions first: equal
 * or one of them 1.  0, or -1 when they do not broadcast. */
static int
broadcast_into(Shape *into, const Shape *b)
{
  Shape r;
  r.ndim = into->ndim > b->ndim ? into->ndim : b->ndim;
  for (int i = 1; i <= r.ndim; i++) {
    Py_ssize_t x = i <= into->ndim ? into->dims[into->ndim - i] : 1;
    Py_ssize_t y = i <= b->ndim ? b->dims[b->ndim - i] : 1;
    if (x != y && x != 1 && y != 1)
      return -1;
    r.dims[r.ndim - i] = x == 1 ? y : x;
  }
  *into = r;
  return 0;
}

static int
shape_mismatch(const char *a, const Shape *sa, const char *b, const Shape *sb)
{
  PyObject *ta = shape_tuple(sa), *tb = shape_tuple(sb);
  if (ta != NULL && tb != NULL)
    PyErr_Format(PyExc_ValueError,
                 "shape mismatch: %s has shape %R but %s has shape %R "
                 "(numpy broadcasting: trailing dimensions equal or 1)",
                 a, ta, b, tb);
  Py_XDECREF(ta);
  Py_XDECREF(tb);
  return -1;
}

/* op's array repeated to `shape` (numpy.broadcast_to, then a C-contiguous
 * copy): the core reads plain arrays. */
static int
operand_broadcast(Operand *op, PyObject *obj, const Shape *shape)
{
  PyObject *src = op->converted ? Py_NewRef(op->converted) : Py_NewRef(obj);
  PyBuffer_Release(&op->view);
  op->has_view = 0;
  PyObject *numpy = PyImport_ImportModule("numpy");
  PyObject *t = shape_tuple(shape), *b = NULL, *c = NULL;
  if (numpy != NULL && t != NULL)
    b = PyObject_CallMethod(numpy, "broadcast_to", "OO", src, t);
  if (b != NULL)
    c = PyObject_CallMethod(numpy, "ascontiguousarray", "Os", b, "float64");
  Py_XDECREF(numpy);
  Py_XDECREF(t);
  Py_XDECREF(b);
  Py_DECREF(src);
  if (c == NULL)
    return -1;
  Py_XSETREF(op->converted, c);
  if (PyObject_GetBuffer(c, &op->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return -1;
  op->has_view = 1;
  op->data = (const double *)op->view.buf;
  return 0;
}

static void
run_kernel(Kernel kernel, const double *const *in, double scale, double *out,
           size_t n)
{
  switch (kernel) {
  case K_COVERAGE:
    hicov_coverage_rate_array(in[0], in[1], out, n);
    break;
  case K_GROWTH:
    hicov_growth_array(in[0], in[1], out, n);
    break;
  case K_CAGR:
    hicov_cagr_array(in[0], in[1], in[2], out, n);
    break;
  case K_RATIO:
    hicov_ratio_array(in[0], in[1], scale, out, n);
    break;
  }
}

/* numpy.empty(shape, dtype=numpy.float64) */
static PyObject *
new_output(const Shape *shape)
{
  PyObject *result = NULL, *t = NULL, *numpy = NULL;
  if ((numpy = PyImport_ImportModule("numpy")) == NULL
      || (t = shape_tuple(shape)) == NULL)
    goto done;
  result = PyObject_CallMethod(numpy, "empty", "Os", t, "float64");
done:
  Py_XDECREF(numpy);
  Py_XDECREF(t);
  return result;
}

/* out=: a writable C-contiguous float64 buffer. */
static int
out_view(PyObject *out, Py_buffer *view)
{
  if (PyObject_GetBuffer(out, view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE
                                        | PyBUF_FORMAT) < 0) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "out must be a writable C-contiguous "
                 "float64 array, not %.100s", Py_TYPE(out)->tp_name);
    return -1;
  }
  if (!is_native_double(view)) {
    PyBuffer_Release(view);
    PyErr_SetString(PyExc_TypeError, "out must be an array of float64");
    return -1;
  }
  return 0;
}

/* The result's shape: the inputs' broadcast, which out (if any) must
 * have. */
static int
result_shape(const Operand *ops, int nin, const Py_buffer *out, Shape *sh)
{
  const Operand *ref = NULL;
  Shape s;
  sh->ndim = 0;
  for (int i = 0; i < nin; i++) {
    if (ops[i].is_scalar)
      continue;
    shape_of(&ops[i].view, &s);
    if (ops[i].view.ndim > MAX_DIMS) {
      PyErr_Format(PyExc_ValueError, "%s has more than %d dimensions",
                   ops[i].name, MAX_DIMS);
      return -1;
    }
    Shape ref_shape;
    if (ref != NULL)
      shape_of(&ref->view, &ref_shape);
    if (broadcast_into(sh, &s) < 0)
      return shape_mismatch(ref->name, &ref_shape, ops[i].name, &s);
    if (ref == NULL)
      ref = &ops[i];
  }
  if (out != NULL) {
    Shape so, want = *sh;
    shape_of(out, &so);
    if (broadcast_into(sh, &so) < 0 || !same_shape(sh, &so)) {
      PyObject *a = shape_tuple(&so), *b = shape_tuple(&want);
      if (a != NULL && b != NULL)
        PyErr_Format(PyExc_ValueError, "out has shape %R, which the "
                     "inputs' shape %R does not broadcast to", a, b);
      Py_XDECREF(a);
      Py_XDECREF(b);
      return -1;
    }
  }
  return 0;
}

/* Whether n doubles at a and at b share memory, other than being the same
 * elements (in place, which the elementwise kernels allow). */
static int
overlaps(const double *a, const double *b, size_t n)
{
  uintptr_t x = (uintptr_t)a, y = (uintptr_t)b, len = n * sizeof(double);
  return x != y && x < y + len && y < x + len;
}

static PyObject *
vector_impl(Kernel kernel, int nin, PyObject *const *objs,
            const char *const *names, double scale, PyObject *out)
{
  Operand ops[MAX_OPERANDS];
  Py_buffer out_buf;
  int has_out_view = 0, any_array = 0;
  PyObject *result = NULL, *made = NULL;
  const double *in[MAX_OPERANDS];
  Shape shape;
  size_t n = 1;

  memset(ops, 0, sizeof ops);
  for (int i = 0; i < nin; i++)
    ops[i].name = names[i];
  for (int i = 0; i < nin; i++)
    if (operand_init(&ops[i], objs[i]) < 0)
      goto cleanup;
  if (out != NULL) {
    if (out_view(out, &out_buf) < 0)
      goto cleanup;
    has_out_view = 1;
  }
  if (result_shape(ops, nin, has_out_view ? &out_buf : NULL, &shape) < 0)
    goto cleanup;
  for (int i = 0; i < nin; i++)
    any_array |= !ops[i].is_scalar;

  if (!any_array && out == NULL) { /* every input a scalar: a float */
    double r;
    for (int i = 0; i < nin; i++)
      in[i] = &ops[i].scalar;
    run_kernel(kernel, in, scale, &r, 1);
    result = PyFloat_FromDouble(r);
    goto cleanup;
  }

  for (int d = 0; d < shape.ndim; d++)
    n *= (size_t)shape.dims[d];
  for (int i = 0; i < nin; i++) {
    Shape s;
    if (!ops[i].is_scalar) {
      shape_of(&ops[i].view, &s);
      if (!same_shape(&s, &shape)
          && operand_broadcast(&ops[i], objs[i], &shape) < 0)
        goto cleanup;
      in[i] = ops[i].data;
      continue;
    }
    ops[i].fill = PyMem_New(double, n > 0 ? n : 1);
    if (ops[i].fill == NULL) {
      PyErr_NoMemory();
      goto cleanup;
    }
    for (size_t k = 0; k < n; k++)
      ops[i].fill[k] = ops[i].scalar;
    in[i] = ops[i].fill;
  }

  /* An input that overlaps out without being it element for element
   * (y[1:] and y[:-1]) would be read after out overwrote it: copy it
   * first, as numpy's ufuncs do. */
  for (int i = 0; out != NULL && i < nin; i++) {
    if (ops[i].fill != NULL
        || !overlaps(in[i], (const double *)out_buf.buf, n))
      continue;
    if ((ops[i].fill = PyMem_New(double, n)) == NULL) {
      PyErr_NoMemory();
      goto cleanup;
    }
    memcpy(ops[i].fill, in[i], n * sizeof(double));
    in[i] = ops[i].fill;
  }

  if (out == NULL) {
    if ((made = new_output(&shape)) == NULL
        || PyObject_GetBuffer(made, &out_buf,
                              PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0)
      goto cleanup;
    has_out_view = 1;
  }

  if (n >= HICOV_GIL_THRESHOLD) {
    /* The exported buffers cannot be resized or freed while we hold them. */
    Py_BEGIN_ALLOW_THREADS
    run_kernel(kernel, in, scale, (double *)out_buf.buf, n);
    Py_END_ALLOW_THREADS
  } else {
    run_kernel(kernel, in, scale, (double *)out_buf.buf, n);
  }
  result = Py_NewRef(out != NULL ? out : made);

cleanup:
  if (has_out_view)
    PyBuffer_Release(&out_buf);
  Py_XDECREF(made);
  for (int i = 0; i < nin; i++) {
    if (ops[i].has_view)
      PyBuffer_Release(&ops[i].view);
    Py_XDECREF(ops[i].converted);
    PyMem_Free(ops[i].fill);
  }
  return result;
}

/* ---- pandas: alignment by label, nullable dtypes -------------------------- */

static int
is_series(PyObject *obj)
{
  const char *name = Py_TYPE(obj)->tp_name;
  const char *dot = strrchr(name, '.');
  return strcmp(dot ? dot + 1 : name, "Series") == 0
         && PyObject_HasAttrString(obj, "index");
}

/* The union of the Series' indexes (their common index when they agree,
 * as pandas arithmetic), or NULL with no exception when there is none. */
static PyObject *
common_index(int nin, PyObject *const *objs)
{
  PyObject *index = NULL;
  for (int i = 0; i < nin; i++) {
    if (!is_series(objs[i]))
      continue;
    PyObject *idx = PyObject_GetAttrString(objs[i], "index");
    if (idx == NULL) {
      Py_XDECREF(index);
      return NULL;
    }
    if (index == NULL) {
      index = idx;
      continue;
    }
    PyObject *eq = PyObject_CallMethod(index, "equals", "O", idx);
    int same = eq ? PyObject_IsTrue(eq) : -1;
    Py_XDECREF(eq);
    if (same == 0)
      Py_SETREF(index, PyObject_CallMethod(index, "union", "O", idx));
    Py_DECREF(idx);
    if (same < 0 || index == NULL) {
      Py_XDECREF(index);
      return NULL;
    }
  }
  return index;
}

/* A pandas object as a float64 numpy array, <NA> as NaN (Series on index,
 * nullable arrays); anything else as it is. New reference. */
static PyObject *
plain_operand(PyObject *obj, PyObject *index, const char *name)
{
  PyObject *o = Py_NewRef(obj);
  if (index != NULL && is_series(obj))
    Py_SETREF(o, PyObject_CallMethod(obj, "reindex", "O", index));
  if (o != NULL && !PyObject_CheckBuffer(o)
      && PyObject_HasAttrString(o, "to_numpy")) {
    PyObject *fn = PyObject_GetAttrString(o, "to_numpy");
    PyObject *nan = PyFloat_FromDouble(NAN);
    PyObject *args = PyTuple_New(0);
    PyObject *kw = nan ? Py_BuildValue("{sssO}", "dtype", "float64",
                                       "na_value", nan) : NULL;
    PyObject *a = fn && args && kw ? PyObject_Call(fn, args, kw) : NULL;
    Py_XDECREF(fn);
    Py_XDECREF(nan);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    Py_SETREF(o, a);
    if (o == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
      PyObject *type, *value, *tb;
      PyErr_Fetch(&type, &value, &tb);
      PyErr_Format(PyExc_ValueError, "%s: not numbers (%S)", name,
                   value ? value : Py_None);
      Py_XDECREF(type);
      Py_XDECREF(value);
      Py_XDECREF(tb);
    }
  }
  return o;
}

static PyObject *
vector_call(Kernel kernel, int nin, PyObject *const *objs,
            const char *const *names, double scale, PyObject *out)
{
  PyObject *plain[MAX_OPERANDS] = {NULL}, *result = NULL;
  PyObject *index = common_index(nin, objs);
  if (index == NULL && PyErr_Occurred())
    return NULL;
  int i = 0;
  for (; i < nin; i++)
    if ((plain[i] = plain_operand(objs[i], index, names[i])) == NULL)
      goto done;
  result = vector_impl(kernel, nin, plain, names, scale,
                       out == Py_None ? NULL : out);
  if (result != NULL && index != NULL && (out == Py_None || out == NULL)) {
    /* a Series in, a Series out, on the aligned index */
    PyObject *pandas = PyImport_ImportModule("pandas");
    PyObject *kw = pandas ? Py_BuildValue("{sO}", "index", index) : NULL;
    PyObject *cls = pandas ? PyObject_GetAttrString(pandas, "Series") : NULL;
    PyObject *args = PyTuple_Pack(1, result);
    PyObject *s = cls && kw && args ? PyObject_Call(cls, args, kw) : NULL;
    Py_XDECREF(pandas);
    Py_XDECREF(kw);
    Py_XDECREF(cls);
    Py_XDECREF(args);
    Py_SETREF(result, s);
  }
done:
  for (int k = 0; k < i; k++)
    Py_XDECREF(plain[k]);
  Py_XDECREF(index);
  return result;
}

PyObject *
hicov_coverage_rate(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"participants", "population", "out", NULL};
  PyObject *objs[2], *out = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$O:coverage_rate",
                                   keywords, &objs[0], &objs[1], &out))
    return NULL;
  return vector_call(K_COVERAGE, 2, objs, (const char *const *)keywords, 1.0,
                     out);
}

PyObject *
hicov_growth(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"current", "previous", "out", NULL};
  PyObject *objs[2], *out = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$O:growth", keywords,
                                   &objs[0], &objs[1], &out))
    return NULL;
  return vector_call(K_GROWTH, 2, objs, (const char *const *)keywords, 1.0,
                     out);
}

PyObject *
hicov_cagr(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"first", "last", "years", "out", NULL};
  PyObject *objs[3], *out = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|$O:cagr", keywords,
                                   &objs[0], &objs[1], &objs[2], &out))
    return NULL;
  return vector_call(K_CAGR, 3, objs, (const char *const *)keywords, 1.0,
                     out);
}

PyObject *
hicov_ratio(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"num", "den", "scale", "out", NULL};
  PyObject *objs[2], *out = Py_None;
  double scale = 1.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|d$O:ratio", keywords,
                                   &objs[0], &objs[1], &scale, &out))
    return NULL;
  return vector_call(K_RATIO, 2, objs, (const char *const *)keywords, scale,
                     out);
}
