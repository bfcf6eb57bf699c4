/* display.c - _repr_html_ of Dataset, Resolution and Claims: the summary
 * tables of hicov/_display.py, which lay out the objects' own properties.
 * (Report's is the report itself, report.c; Chart's are its images.) */
#include "_hicov.h"

PyObject *
hicov_repr_html(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = hicov_state_from_type(Py_TYPE(self));
  if (st == NULL)
    return NULL;
  PyTypeObject *type = Py_TYPE(self);
  const char *fn = type == st->DatasetType ? "dataset_html"
                   : type == st->ResolutionType ? "resolution_html"
                   : "claims_html";
  PyObject *mod = PyImport_ImportModule("hicov._display");
  if (mod == NULL)
    return NULL;
  PyObject *html = PyObject_CallMethod(mod, fn, "O", self);
  Py_DECREF(mod);
  return html;
}
