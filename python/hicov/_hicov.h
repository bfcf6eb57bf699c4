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
  PyTypeObject *ChartType;
  PyTypeObject *ClaimsType;
  PyTypeObject *ClaimsCountsType; /* struct sequence of HicovClaimsCounts */
  PyTypeObject *ClaimsTotalsType; /* struct sequence of HicovClaimsTotals */
  PyTypeObject *ReportType;
  PyTypeObject *AdxStatsType;     /* struct sequence of HicovAdxImportStats */
  /* decimal.Decimal, looked up once: money leaves as exact Decimals, and a
   * big frame makes millions of them. */
  PyObject *Decimal;
} hicov_state;

typedef struct {
  PyObject_HEAD
  HicovDataset *ds; /* owned */
  /* threads.c */
  int shared; /* queries running on ds without the GIL */
  int scoped; /* a call's lang= or boundaries= is set on ds (depth) */
  unsigned long scope_owner; /* the thread whose call set it */
  int waiting; /* queries waiting for another thread's scope to end */
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
/* The same mapping with the message of another handle (a chart, claims,
 * report): msg NULL or "" falls back to hicov_status_string(status). */
int hicov_check_status_msg(hicov_state *st, int status, const char *msg);
/* An on_conflict argument (NULL: 'error') as HICOV_CONFLICT_*, or -1 with
 * InvalidError (a ValueError). */
int hicov_conflict_arg(hicov_state *st, const char *name);
/* A merge's counts (hicov_dataset_merge_values) as {added, replaced, kept,
 * unchanged}; NULL with an exception. */
PyObject *hicov_merge_stats(const HicovMergeStats *ms);
/* After a failed merge, with its exception set: the exception gets
 * .conflicts, the list of the conflicts' lines (empty for none). */
void hicov_attach_conflicts(const char *conflicts);
/* Raises the exception for `status` with a message of our own. */
int hicov_raise(hicov_state *st, int status, const char *format, ...);
/* A lang= argument: 'vi', 'en' or, when none_ok, NULL (the process's);
 * 0, or -1 with InvalidError. */
int hicov_check_lang(hicov_state *st, const char *lang, int none_ok);
/* A lang attribute's new value (a str or None) into *lang, checked as
 * above with None allowed; 0, or -1 with an exception set (AttributeError
 * on delete, TypeError, InvalidError).  *lang lives as long as value. */
int hicov_lang_of_setter(hicov_state *st, PyObject *value, const char **lang);
/* Converts a period argument to a period: a str ("2024", "2024-Q3",
 * "2024-10", "2025-01/2025-10"), an int year (any integer with __index__:
 * numpy.int64), a pandas Period of a year, quarter or month, or a date
 * (datetime.date, datetime, pandas.Timestamp), which means its month.
 * Raises ParseError or TypeError naming the argument `name`.  0 / -1. */
int hicov_convert_period_arg(hicov_state *st, const char *name, PyObject *obj,
                             HicovPeriod *out);
/* The same for an argument called "period". */
int hicov_convert_period(hicov_state *st, PyObject *obj, HicovPeriod *out);
/* Canonical text of a period as a new str. */
PyObject *hicov_period_to_str(HicovPeriod p);
/* "YYYY-MM" of a month number (year * 12 + month - 1) as a new str. */
PyObject *hicov_month_to_str(int month);
/* pandas.DataFrame(columns) where columns is a dict of equal-length lists,
 * numpy arrays or hicov_int64_column bytearrays, in column order.  Steals
 * nothing. */
PyObject *hicov_frame_from_columns(PyObject *columns);
/* A dict of empty lists, one per name in the NULL-terminated `names`. */
PyObject *hicov_new_columns(const char *const *names);
/* Appends a new reference (stolen, may be NULL after a failure) to the list
 * named `name` in `columns`; returns 0 / -1. */
int hicov_column_append(PyObject *columns, const char *name, PyObject *value);
/* Exact decimal.Decimal of a value in hundredths (money in centi of a
 * đồng): no binary floating point on the way. */
PyObject *hicov_decimal_from_centi(hicov_state *st, int64_t centi);
/* A column of n int64 values for hicov_frame_from_columns: a bytearray the
 * caller fills through *data, which the frame reads as numpy int64 (no
 * Python int per value).  Returns a new reference or NULL. */
PyObject *hicov_int64_column(Py_ssize_t n, int64_t **data);
/* numpy.fromiter(list, dtype=object): a column pandas takes as it is.
 * pandas would otherwise run numpy's type discovery over a list of
 * objects, which looks up (and fails to find) three array protocols on
 * every Decimal (tests/bench/RESULTS.md has the cost). */
PyObject *hicov_object_array(PyObject *list);
/* str or None for a possibly-NULL C string (None also for ""). */
PyObject *hicov_str_or_none(const char *s);

/* equity.c: Dataset.equity() */
extern const char hicov_dataset_equity_doc[];
PyObject *hicov_dataset_equity(PyObject *self, PyObject *args,
                               PyObject *kwargs);

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

/* Resolution argument of assess/report/chart_coverage: a Resolution, an
 * index into the dataset's resolutions or a dict.  *res is borrowed (from
 * obj or ds) or, for a dict, *owned (free it with hicov_resolution_free).
 * allow_none: None gives *res = NULL.  Returns 0 / -1. */
int hicov_convert_resolution(hicov_state *st, HicovDataset *ds, PyObject *obj,
                             int allow_none, const HicovResolution **res,
                             HicovResolution **owned);
/* Wraps an owned resolution in a new hicov.Resolution (frees it on
 * failure). */
PyObject *hicov_resolution_wrap(hicov_state *st, HicovResolution *res);

/* chart.c */
extern PyType_Spec hicov_chart_spec;
PyObject *hicov_dataset_chart_coverage(PyObject *self, PyObject *args,
                                       PyObject *kwargs);
PyObject *hicov_dataset_chart_ranked(PyObject *self, PyObject *args,
                                     PyObject *kwargs);
PyObject *hicov_dataset_chart_groups(PyObject *self, PyObject *args,
                                     PyObject *kwargs);
PyObject *hicov_dataset_chart_columns(PyObject *self, PyObject *args,
                                      PyObject *kwargs);
PyObject *hicov_dataset_chart_revenue_spending(PyObject *self, PyObject *args,
                                               PyObject *kwargs);
PyObject *hicov_dataset_figure(PyObject *self, PyObject *args,
                               PyObject *kwargs);

/* claims.c */
extern PyType_Spec hicov_claims_spec;
extern PyStructSequence_Desc hicov_claims_counts_desc;
extern PyStructSequence_Desc hicov_claims_totals_desc;
PyObject *hicov_read_claims(PyObject *module, PyObject *args,
                            PyObject *kwargs);

/* report.c */
extern PyType_Spec hicov_report_spec;
extern PyStructSequence_Desc hicov_adx_stats_desc;
PyObject *hicov_dataset_report(PyObject *self, PyObject *args,
                               PyObject *kwargs);
PyObject *hicov_dataset_to_adx(PyObject *self, PyObject *args,
                               PyObject *kwargs);
PyObject *hicov_dataset_load_adx(PyObject *self, PyObject *args,
                                 PyObject *kwargs);
PyObject *hicov_dataset_load_adx_bytes(PyObject *self, PyObject *args,
                                       PyObject *kwargs);
PyObject *hicov_load_resolution(PyObject *module, PyObject *args,
                                PyObject *kwargs);
PyObject *hicov_resolution_to_xml(PyObject *self, PyObject *ignored);
PyObject *hicov_resolution_save_file(PyObject *self, PyObject *args,
                                     PyObject *kwargs);

/* workbook.c */
PyObject *hicov_read_workbook(PyObject *module, PyObject *args,
                              PyObject *kwargs);
PyObject *hicov_write_table(PyObject *module, PyObject *args,
                            PyObject *kwargs);
PyObject *hicov_dataset_import_workbook(PyObject *self, PyObject *args,
                                        PyObject *kwargs);
PyObject *hicov_dataset_save_table(PyObject *self, PyObject *args,
                                   PyObject *kwargs);

/* frames.c */
PyObject *hicov_from_frames(PyObject *module, PyObject *args,
                            PyObject *kwargs);
PyObject *hicov_dataset_values_py(PyObject *self, PyObject *args,
                                  PyObject *kwargs);
PyObject *hicov_dataset_to_frames(PyObject *self, PyObject *args,
                                  PyObject *kwargs);
PyObject *hicov_dataset_save_py(PyObject *self, PyObject *args,
                                PyObject *kwargs);
PyObject *hicov_dataset_copy_py(PyObject *self, PyObject *ignored);
PyObject *hicov_dataset_deepcopy_py(PyObject *self, PyObject *memo);

/* dhis2.c */
PyObject *hicov_dataset_to_dhis2(PyObject *self, PyObject *args,
                                 PyObject *kwargs);
PyObject *hicov_dataset_import_dhis2(PyObject *self, PyObject *args,
                                     PyObject *kwargs);
/* level= of to_adx and to_dhis2: 'leaves', 'all' or a level name into
 * opt->units and opt->level; None leaves them.  0 / -1. */
int hicov_py_adx_level(hicov_state *st, PyObject *obj,
                       HicovAdxExportOptions *opt);
/* The years and contents of an export, as the core would refuse them
 * (hicov_adx_export only with a bare status), said with the arguments'
 * names: the first year no later than the last (a year not given is the
 * data's), measures or indicators or both.  0 / -1 with InvalidError. */
int hicov_py_check_export(hicov_state *st, HicovDataset *ds,
                          const HicovAdxExportOptions *opt);

/* typed.c: the pandas types of returned values (nothing computed) */
enum { HICOV_MONEY_FLOAT, HICOV_MONEY_DECIMAL, HICOV_MONEY_CENTI };
/* money= 'float' (NULL too), 'decimal' or 'centi' as HICOV_MONEY_*; -1
 * with InvalidError naming the argument otherwise. */
int hicov_money_arg(hicov_state *st, const char *text);
/* An amount of centi đồng as a float of đồng, an exact Decimal or an int
 * of hundredths. */
PyObject *hicov_money_scalar(hicov_state *st, int64_t centi, int mode);
/* A count in centi as an int, or a float when it has decimals (values.csv
 * allows two). */
PyObject *hicov_count_scalar(int64_t centi);
/* n amounts as a numpy column: float64 đồng, Decimal objects or int64
 * hundredths. */
PyObject *hicov_money_column(hicov_state *st, const int64_t *centi,
                             Py_ssize_t n, int mode);
/* 1 when an indicator counts heads or things (a measure other than money,
 * or its _change), so its values are whole numbers. */
int hicov_indicator_is_count(const char *indicator);
int hicov_measure_is_money(const char *measure);
/* numpy.frombuffer(bytes, dtype). */
PyObject *hicov_array_from_bytes(PyObject *bytes, const char *dtype);
/* In place on frame[column]: astype(dtype); astype('category') for each
 * of the NULL-terminated columns; '' as <NA> in a 'string' column; year 0
 * as <NA> in an Int64 column; float counts as Int64 when all are whole. */
int hicov_frame_astype(PyObject *frame, const char *column, const char *dtype);
int hicov_frame_categories(PyObject *frame, const char *const *columns);
int hicov_frame_text_na(PyObject *frame, const char *column);
int hicov_frame_years(PyObject *frame, const char *column);
int hicov_frame_counts(PyObject *frame, const char *column);
/* frame[column] as an ordered categorical of every level name. */
int hicov_frame_levels(PyObject *frame, const char *column);
/* A float series of counts as Int64 when all are whole (new reference). */
PyObject *hicov_series_counts(PyObject *series);
/* frame.set_index(keys). New reference. */
PyObject *hicov_frame_indexed(PyObject *frame, PyObject *keys);
/* obj.attrs.update(attrs). */
int hicov_set_attrs(PyObject *obj, PyObject *attrs);
/* pandas.PeriodIndex(labels, freq=freq, name=name). */
PyObject *hicov_period_index(PyObject *labels, const char *freq,
                             const char *name);
/* A pandas PeriodArray (freq 'M') of month numbers (year * 12 + month - 1). */
PyObject *hicov_month_periods(const int64_t *months, Py_ssize_t n);

/* pickle.c: Dataset.to_bytes/from_bytes/__reduce__, Resolution.from_xml/
 * __reduce__/__copy__/__deepcopy__ */
PyObject *hicov_dataset_to_bytes(PyObject *self, PyObject *ignored);
PyObject *hicov_dataset_from_bytes(PyObject *type, PyObject *arg);
PyObject *hicov_dataset_reduce(PyObject *self, PyObject *ignored);
PyObject *hicov_resolution_from_xml(PyObject *type, PyObject *arg);
PyObject *hicov_resolution_reduce(PyObject *self, PyObject *ignored);
PyObject *hicov_resolution_copy_py(PyObject *self, PyObject *ignored);
PyObject *hicov_resolution_deepcopy_py(PyObject *self, PyObject *memo);

/* threads.c: one dataset in several threads (hicov-core.h, "Threads").
 * All with the GIL held; waiting gives it up.
 *   share    before a query that releases the GIL: prepares the dataset
 *            for queries and counts the query (0 / -1)
 *   unshare  after it, with the GIL again
 *   exclusive  before a change, made with the GIL held (setters, imports,
 *            merges, a method's lang= for one call): waits until no query
 *            runs without the GIL
 *   scope_begin/_end  around a call that sets lang= or boundaries= on the
 *            dataset and runs Python code before putting it back (a call
 *            inside it on the same thread nests)
 *   scope_wait  before a query made with the GIL held: waits while another
 *            thread's call has the dataset in its lang= or boundaries= */
int hicov_dataset_share(PyObject *self);
void hicov_dataset_unshare(PyObject *self);
void hicov_dataset_exclusive(PyObject *self);
void hicov_dataset_scope_wait(PyObject *self);
void hicov_dataset_scope_begin(PyObject *self);
void hicov_dataset_scope_end(PyObject *self);

/* display.c: _repr_html_ of Dataset, Resolution and Claims */
PyObject *hicov_repr_html(PyObject *self, PyObject *ignored);

/* vector.c */
PyObject *hicov_coverage_rate(PyObject *module, PyObject *args,
                              PyObject *kwargs);
PyObject *hicov_growth(PyObject *module, PyObject *args, PyObject *kwargs);
PyObject *hicov_cagr(PyObject *module, PyObject *args, PyObject *kwargs);
PyObject *hicov_ratio(PyObject *module, PyObject *args, PyObject *kwargs);

#endif
