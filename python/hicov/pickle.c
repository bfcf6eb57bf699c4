/* pickle.c - pickling and copying of Dataset and Resolution through the
 * core's own serialisations: hicov_dataset_serialize (a versioned state
 * sealed with a SHA-256) and the resolution file (reports/resolution.xsd,
 * whose numbers read back exactly).  Nothing here parses the bytes: a
 * changed or cut pickle is refused by the core with ParseError. */
#include "_hicov.h"

#include "hicov-report.h"

#define ERR_SIZE 1024

static hicov_state *
self_state(PyObject *self)
{
  return hicov_state_from_type(Py_TYPE(self));
}

/* The bound classmethod type.name, for __reduce__. */
static PyObject *
constructor(PyObject *self, const char *name)
{
  return PyObject_GetAttrString((PyObject *)Py_TYPE(self), name);
}

/* ------------------------------------------------------------------------ */
/* Dataset                                                                   */

PyObject *
hicov_dataset_to_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  void *data = NULL;
  size_t len = 0;
  /* With the GIL: another thread may be adding values to this dataset. */
  int rc = hicov_dataset_serialize(((DatasetObject *)self)->ds, &data, &len);
  if (hicov_check_status(st, rc, ((DatasetObject *)self)->ds) < 0)
    return NULL;
  if (len > (size_t)PY_SSIZE_T_MAX) {
    hicov_free(data);
    return PyErr_NoMemory();
  }
  PyObject *bytes = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
  hicov_free(data);
  return bytes;
}

PyObject *
hicov_dataset_from_bytes(PyObject *type, PyObject *arg)
{
  hicov_state *st = hicov_state_from_type((PyTypeObject *)type);
  if (st == NULL)
    return NULL;
  Py_buffer view;
  if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
    return NULL;
  HicovDataset *ds = NULL;
  char err[ERR_SIZE] = "";
  int rc;
  /* Only the new dataset is touched: the core runs without the GIL. */
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_dataset_load_state(view.buf, (size_t)view.len, &ds, err,
                                sizeof err);
  Py_END_ALLOW_THREADS
  PyBuffer_Release(&view);
  if (hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  return hicov_dataset_wrap(st, ds);
}

PyObject *
hicov_dataset_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *from_bytes = constructor(self, "from_bytes");
  if (from_bytes == NULL)
    return NULL;
  PyObject *state = hicov_dataset_to_bytes(self, NULL);
  if (state == NULL) {
    Py_DECREF(from_bytes);
    return NULL;
  }
  return Py_BuildValue("(N(N))", from_bytes, state);
}

/* ------------------------------------------------------------------------ */
/* Resolution                                                                */

PyObject *
hicov_resolution_from_xml(PyObject *type, PyObject *arg)
{
  hicov_state *st = hicov_state_from_type((PyTypeObject *)type);
  if (st == NULL)
    return NULL;
  const char *data;
  Py_ssize_t len;
  Py_buffer view = {NULL, NULL};
  if (PyUnicode_Check(arg)) {
    data = PyUnicode_AsUTF8AndSize(arg, &len);
    if (data == NULL)
      return NULL;
  } else {
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
      return NULL;
    data = view.buf;
    len = view.len;
  }
  HicovResolution *res = NULL;
  char err[ERR_SIZE] = "";
  int rc = hicov_resolution_load_buffer("<resolution>", data, (size_t)len,
                                        &res, err, sizeof err);
  if (view.obj != NULL)
    PyBuffer_Release(&view);
  if (hicov_check_status_msg(st, rc, err) < 0)
    return NULL;
  return hicov_resolution_wrap(st, res);
}

PyObject *
hicov_resolution_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *from_xml = constructor(self, "from_xml");
  if (from_xml == NULL)
    return NULL;
  PyObject *xml = hicov_resolution_to_xml(self, NULL);
  if (xml == NULL) {
    Py_DECREF(from_xml);
    return NULL;
  }
  return Py_BuildValue("(N(N))", from_xml, xml);
}

PyObject *
hicov_resolution_copy_py(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  return hicov_resolution_wrap_copy(st, ((ResolutionObject *)self)->res);
}

PyObject *
hicov_resolution_deepcopy_py(PyObject *self, PyObject *Py_UNUSED(memo))
{
  return hicov_resolution_copy_py(self, NULL);
}
