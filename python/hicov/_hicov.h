/* _hicov.h - private declarations shared by the files of the hicov._hicov
 * extension module.  Not installed, not API. */
#ifndef HICOV_PY_PRIVATE_H
#define HICOV_PY_PRIVATE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "hicov.h"

/* Everything the module owns lives in its state (multi-phase init), so
 * several module instances (sub-interpreters) never share objects. */
typedef struct {
  /* Exceptions: Error and subclasses that are also the fitting builtin. */
  PyObject *Error;
  PyObject *ParseError;       /* HICOV_PARSE: Error, ValueError */
  PyObject *NotFoundError;    /* HICOV_NOTFOUND: Error, KeyError */
  PyObject *InvalidError;     /* HICOV_INVALID: Error, ValueError */
  PyObject *FileError;        /* HICOV_IO: Error, OSError */
  PyObject *LimitError;       /* HICOV_LIMIT: Error, ValueError */
  PyObject *NoMemoryError;    /* HICOV_NOMEM: Error, MemoryError */
  PyObject *MissingError;     /* HICOV_MISSING: Error, ValueError */
  PyObject *SumOverflowError; /* HICOV_OVERFLOW: Error, OverflowError */
  PyObject *UnsupportedError; /* HICOV_UNSUPPORTED: Error, NotImplementedError */
  /* Heap types. */
  PyTypeObject *DatasetType;
  PyTypeObject *ResolutionType;
  PyTypeObject *ResultType;    /* struct sequence (value, status, reason) */
  PyTypeObject *LoadStatsType; /* struct sequence (read, accepted, rejected) */
} hicov_state;

typedef struct {
  PyObject_HEAD
  HicovDataset *ds; /* owned */
} DatasetObject;

typedef struct {
  PyObject_HEAD
  HicovResolution *res; /* owned */
} ResolutionObject;

/* _hicovmodule.c */
extern PyModuleDef hicov_module;
hicov_state *hicov_get_state(PyObject *module);
hicov_state *hicov_state_from_type(PyTypeObject *type);
/* The one mapping from a core status to a Python exception (pycairo's
 * Check_Status).  Returns 0 for HICOV_OK, else sets an exception and returns
 * -1.  ds (may be NULL) supplies the message and, for parse errors, the
 * location attributes (file, line, column, field). */
int hicov_check_status(hicov_state *st, int status, const HicovDataset *ds);
/* Raises the exception for `status` with a message of our own. */
int hicov_raise(hicov_state *st, int status, const char *format, ...);
/* Converts a str ("2024", "2024-Q3", "2024-10", "2025-01/2025-10") or an
 * int year to a period; raises ParseError or TypeError.  Returns 0 / -1. */
int hicov_convert_period(hicov_state *st, PyObject *obj, HicovPeriod *out);
/* Canonical text of a period as a new str. */
PyObject *hicov_period_to_str(HicovPeriod p);
/* "YYYY-MM" of a month number (year * 12 + month - 1) as a new str. */
PyObject *hicov_month_to_str(int month);
/* pandas.DataFrame(columns) where columns is a dict of equal-length lists,
 * in column order.  Steals nothing. */
PyObject *hicov_frame_from_columns(PyObject *columns);
/* A dict of empty lists, one per name in the NULL-terminated `names`. */
PyObject *hicov_new_columns(const char *const *names);
/* Appends a new reference (stolen, may be NULL after a failure) to the list
 * named `name` in `columns`; returns 0 / -1. */
int hicov_column_append(PyObject *columns, const char *name, PyObject *value);
/* str or None for a possibly-NULL C string (None also for ""). */
PyObject *hicov_str_or_none(const char *s);

/* dataset.c */
extern PyType_Spec hicov_dataset_spec;
PyObject *hicov_dataset_wrap(hicov_state *st, HicovDataset *ds);

/* resolution.c */
extern PyType_Spec hicov_resolution_spec;
/* Wraps a deep copy of res in a new hicov.Resolution. */
PyObject *hicov_resolution_wrap_copy(hicov_state *st,
                                     const HicovResolution *res);
/* Builds a resolution from a dict {body, number, title, term, targets}. */
int hicov_resolution_from_mapping(hicov_state *st, PyObject *mapping,
                                  HicovResolution **out);

/* vector.c */
PyObject *hicov_coverage_rate(PyObject *module, PyObject *args,
                              PyObject *kwargs);
PyObject *hicov_growth(PyObject *module, PyObject *args, PyObject *kwargs);
PyObject *hicov_cagr(PyObject *module, PyObject *args, PyObject *kwargs);
PyObject *hicov_ratio(PyObject *module, PyObject *args, PyObject *kwargs);

#endif
