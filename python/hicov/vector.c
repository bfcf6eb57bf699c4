/* vector.c - vectorised formulas over buffers of doubles.
 *
 * Inputs: any C-contiguous buffer of native doubles (numpy float64 arrays,
 * array.array('d'), memoryview) is read in place, without a copy; anything
 * else (other dtypes, strided arrays, lists) goes through
 * numpy.asarray(x, dtype=float64, order='C').  Python and numpy scalars
 * broadcast.  The result is a new numpy float64 array with the inputs'
 * shape, written directly by the core, which runs without the GIL on large
 * inputs. */
#include "_hicov.h"

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

static PyObject *
shape_tuple(const Py_buffer *view)
{
  PyObject *t = PyTuple_New(view->ndim);
  for (int i = 0; t != NULL && i < view->ndim; i++) {
    PyObject *d = PyLong_FromSsize_t(view->shape[i]);
    if (d == NULL)
      Py_CLEAR(t);
    else
      PyTuple_SET_ITEM(t, i, d);
  }
  return t;
}

static int
same_shape(const Py_buffer *a, const Py_buffer *b)
{
  if (a->ndim != b->ndim)
    return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->shape[i] != b->shape[i])
      return 0;
  return 1;
}

static int
shape_mismatch(const Operand *a, const Operand *b)
{
  PyObject *sa = shape_tuple(&a->view), *sb = shape_tuple(&b->view);
  if (sa != NULL && sb != NULL)
    PyErr_Format(PyExc_ValueError,
                 "shape mismatch: %s has shape %R but %s has shape %R",
                 a->name, sa, b->name, sb);
  Py_XDECREF(sa);
  Py_XDECREF(sb);
  return -1;
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
new_output(const Py_buffer *like)
{
  PyObject *result = NULL, *shape = NULL, *numpy = NULL;
  if ((numpy = PyImport_ImportModule("numpy")) == NULL
      || (shape = shape_tuple(like)) == NULL)
    goto done;
  result = PyObject_CallMethod(numpy, "empty", "Os", shape, "float64");
done:
  Py_XDECREF(numpy);
  Py_XDECREF(shape);
  return result;
}

static PyObject *
vector_impl(Kernel kernel, int nin, PyObject *const *objs,
            const char *const *names, double scale)
{
  Operand ops[MAX_OPERANDS];
  Py_buffer out_view;
  int has_out_view = 0;
  PyObject *out = NULL, *result = NULL;
  const double *in[MAX_OPERANDS];
  const Operand *ref = NULL;
  size_t n = 0;

  memset(ops, 0, sizeof ops);
  for (int i = 0; i < nin; i++)
    ops[i].name = names[i];
  for (int i = 0; i < nin; i++)
    if (operand_init(&ops[i], objs[i]) < 0)
      goto cleanup;

  for (int i = 0; i < nin; i++) {
    if (ops[i].is_scalar)
      continue;
    if (ref == NULL)
      ref = &ops[i];
    else if (!same_shape(&ref->view, &ops[i].view)) {
      shape_mismatch(ref, &ops[i]);
      goto cleanup;
    }
  }

  if (ref == NULL) { /* every input a scalar: a float */
    double r;
    for (int i = 0; i < nin; i++)
      in[i] = &ops[i].scalar;
    run_kernel(kernel, in, scale, &r, 1);
    result = PyFloat_FromDouble(r);
    goto cleanup;
  }

  n = (size_t)(ref->view.len / (Py_ssize_t)sizeof(double));
  for (int i = 0; i < nin; i++) {
    if (ops[i].is_scalar) {
      ops[i].fill = PyMem_New(double, n > 0 ? n : 1);
      if (ops[i].fill == NULL) {
        PyErr_NoMemory();
        goto cleanup;
      }
      for (size_t k = 0; k < n; k++)
        ops[i].fill[k] = ops[i].scalar;
      in[i] = ops[i].fill;
    } else {
      in[i] = ops[i].data;
    }
  }

  if ((out = new_output(&ref->view)) == NULL)
    goto cleanup;
  if (PyObject_GetBuffer(out, &out_view,
                         PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0)
    goto cleanup;
  has_out_view = 1;

  if (n >= HICOV_GIL_THRESHOLD) {
    /* The exported buffers cannot be resized or freed while we hold them. */
    Py_BEGIN_ALLOW_THREADS
    run_kernel(kernel, in, scale, (double *)out_view.buf, n);
    Py_END_ALLOW_THREADS
  } else {
    run_kernel(kernel, in, scale, (double *)out_view.buf, n);
  }
  result = Py_NewRef(out);

cleanup:
  if (has_out_view)
    PyBuffer_Release(&out_view);
  Py_XDECREF(out);
  for (int i = 0; i < nin; i++) {
    if (ops[i].has_view)
      PyBuffer_Release(&ops[i].view);
    Py_XDECREF(ops[i].converted);
    PyMem_Free(ops[i].fill);
  }
  return result;
}

PyObject *
hicov_coverage_rate(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"participants", "population", NULL};
  PyObject *objs[2];
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:coverage_rate",
                                   keywords, &objs[0], &objs[1]))
    return NULL;
  return vector_impl(K_COVERAGE, 2, objs, (const char *const *)keywords, 1.0);
}

PyObject *
hicov_growth(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"current", "previous", NULL};
  PyObject *objs[2];
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:growth", keywords,
                                   &objs[0], &objs[1]))
    return NULL;
  return vector_impl(K_GROWTH, 2, objs, (const char *const *)keywords, 1.0);
}

PyObject *
hicov_cagr(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"first", "last", "years", NULL};
  PyObject *objs[3];
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:cagr", keywords,
                                   &objs[0], &objs[1], &objs[2]))
    return NULL;
  return vector_impl(K_CAGR, 3, objs, (const char *const *)keywords, 1.0);
}

PyObject *
hicov_ratio(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"num", "den", "scale", NULL};
  PyObject *objs[2];
  double scale = 1.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|d:ratio", keywords,
                                   &objs[0], &objs[1], &scale))
    return NULL;
  return vector_impl(K_RATIO, 2, objs, (const char *const *)keywords, scale);
}
