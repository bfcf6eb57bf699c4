/* claims.c - hicov.Claims, a heap type wrapping the claims accumulator
 * (HicovClaims*), and hicov.read_claims.
 *
 * Reading runs without the GIL on the core's worker threads; the core
 * calls our progress function from the calling thread, which takes the GIL
 * back to call the Python callback and to check for signals (Ctrl-C), and
 * cancels the run when either raises.  While a read runs without the GIL
 * the object is marked busy: every other method refuses to touch it, since
 * an accumulator must not be used from two threads at once.
 *
 * to_frame reads the cells into C arrays without the GIL too, and makes
 * the Python objects with it after: meanwhile the object counts a walker,
 * and every method waits (not_busy, wait_walkers) before it may change the
 * accumulator (another to_frame too: it sorts the cells first).
 *
 * Pickling goes through hicov_claims_serialize/deserialize, so that Dask
 * workers can each read a share of the files and send their accumulators
 * back to be merged (Claims.merge). */
#include "_hicov.h"

#include <string.h>
#include <time.h>

#include "hicov-claims.h"

typedef struct {
  PyObject_HEAD
  HicovClaims *claims; /* owned */
  int busy;            /* a read runs without the GIL */
  int walkers;         /* to_frame calls reading the cells without the GIL;
                          changed with the GIL held */
} ClaimsObject;

#define CLAIMS(self) (((ClaimsObject *)(self))->claims)

static hicov_state *
self_state(PyObject *self)
{
  return hicov_state_from_type(Py_TYPE(self));
}

static int
claims_check(hicov_state *st, PyObject *self, int rc)
{
  return hicov_check_status_msg(st, rc, hicov_claims_errmsg(CLAIMS(self)));
}

/* Waits, giving the GIL up, until no to_frame reads the cells without
 * it: every method may then change the accumulator (sorting the cells
 * does) until it gives the GIL up itself.  A walk only starts with the
 * GIL held, after this. */
static void
wait_walkers(PyObject *self)
{
  struct timespec ts = {0, 200000}; /* 0.2 ms */
  while (((ClaimsObject *)self)->walkers > 0) {
    Py_BEGIN_ALLOW_THREADS
    nanosleep(&ts, NULL);
    Py_END_ALLOW_THREADS
  }
}

/* Refuses to use an accumulator a read is filling without the GIL. */
static int
not_busy(PyObject *self)
{
  wait_walkers(self);
  if (!((ClaimsObject *)self)->busy)
    return 0;
  PyErr_SetString(PyExc_RuntimeError,
                  "this Claims object is being read into by another thread");
  return -1;
}

static PyObject *
claims_wrap(PyTypeObject *type, HicovClaims *claims)
{
  ClaimsObject *self = (ClaimsObject *)type->tp_alloc(type, 0);
  if (self == NULL) {
    hicov_claims_free(claims);
    return NULL;
  }
  self->claims = claims;
  self->busy = 0;
  self->walkers = 0;
  return (PyObject *)self;
}

/* Claims(state=None, lang=None): empty, or rebuilt from Claims.to_bytes(),
 * speaking lang. */
static PyObject *
claims_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"state", "lang", NULL};
  Py_buffer state = {NULL, NULL};
  const char *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|y*z:Claims", keywords,
                                   &state, &lang))
    return NULL;
  hicov_state *st = hicov_state_from_type(type);
  PyObject *result = NULL;
  HicovClaims *claims = NULL;
  int rc;
  if (st == NULL || hicov_check_lang(st, lang, 1) < 0)
    goto done;
  if (state.buf == NULL) {
    rc = hicov_claims_new(&claims);
    if (rc == HICOV_OK)
      hicov_claims_set_lang(claims, lang);
  } else {
    char err[400];
    rc = hicov_claims_load_state_lang(state.buf, (size_t)state.len, lang,
                                      &claims, err, sizeof err);
    if (rc != HICOV_OK && rc != HICOV_NOMEM) {
      hicov_raise(st, rc, "Claims(state): %s (%zd bytes): refused",
                  err[0] ? err : hicov_status_string(rc), state.len);
      goto done;
    }
  }
  if (hicov_check_status(st, rc, NULL) < 0)
    goto done;
  result = claims_wrap(type, claims);
done:
  if (state.buf != NULL)
    PyBuffer_Release(&state);
  return result;
}

static void
claims_dealloc(PyObject *self)
{
  PyTypeObject *type = Py_TYPE(self);
  hicov_claims_free(CLAIMS(self));
  CLAIMS(self) = NULL;
  type->tp_free(self);
  Py_DECREF(type);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/* Paths: one str/bytes/PathLike or a sequence of them, as a NULL-terminated
 * array of the FS-encoded bytes objects' buffers.  *holder keeps them. */
static int
convert_paths(PyObject *obj, PyObject **holder, const char ***paths,
              size_t *n)
{
  *holder = NULL;
  *paths = NULL;
  *n = 0;
  PyObject *list = NULL;
  if (PyUnicode_Check(obj) || PyBytes_Check(obj)
      || PyObject_HasAttrString(obj, "__fspath__")) {
    list = PyTuple_Pack(1, obj);
  } else {
    list = PySequence_Fast(obj, "paths must be a path (str, bytes, "
                                "os.PathLike) or a list of paths");
  }
  if (list == NULL)
    return -1;
  Py_ssize_t len = PySequence_Fast_GET_SIZE(list);
  PyObject *encoded = PyTuple_New(len);
  const char **v = PyMem_New(const char *, (size_t)len + 1);
  if (encoded == NULL || v == NULL) {
    Py_DECREF(list);
    Py_XDECREF(encoded);
    PyMem_Free(v);
    if (!PyErr_Occurred())
      PyErr_NoMemory();
    return -1;
  }
  for (Py_ssize_t i = 0; i < len; i++) {
    PyObject *b = NULL;
    if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(list, i), &b)) {
      Py_DECREF(list);
      Py_DECREF(encoded);
      PyMem_Free(v);
      return -1;
    }
    PyTuple_SET_ITEM(encoded, i, b);
    v[i] = PyBytes_AS_STRING(b);
  }
  v[len] = NULL;
  Py_DECREF(list);
  *holder = encoded;
  *paths = v;
  *n = (size_t)len;
  return 0;
}

typedef struct {
  PyObject *callback; /* borrowed; may be NULL */
  /* the first exception raised, owned (Python 3.11: no
   * PyErr_GetRaisedException yet) */
  PyObject *exc_type, *exc_value, *exc_tb;
  long calls;
} ProgressState;

/* Called by the core on the reading thread, without the GIL. */
static int
progress_trampoline(const HicovClaimsProgress *p, void *user)
{
  ProgressState *ps = user;
  PyGILState_STATE g = PyGILState_Ensure();
  int cancel = 0;
  if (ps->exc_type != NULL) {
    cancel = 1; /* the core reports once more after a cancel */
  } else {
    ps->calls++;
    if (PyErr_CheckSignals() == 0 && ps->callback != NULL) {
      PyObject *r = PyObject_CallFunction(ps->callback, "LLLLL",
                                          (long long)p->bytes_done,
                                          (long long)p->bytes_total,
                                          (long long)p->files_done,
                                          (long long)p->files_total,
                                          (long long)p->records);
      Py_XDECREF(r);
    }
    if (PyErr_Occurred()) {
      PyErr_Fetch(&ps->exc_type, &ps->exc_value, &ps->exc_tb);
      cancel = 1;
    }
  }
  PyGILState_Release(g);
  return cancel;
}

/* Raises for a strict read: a failed file, else the first rejection. */
static int
strict_check(hicov_state *st, PyObject *self)
{
  HicovClaimsCounts counts;
  hicov_claims_counts(CLAIMS(self), &counts);
  if (counts.rejected == 0)
    return 0;
  size_t n = hicov_claims_message_count(CLAIMS(self));
  for (size_t i = 0; i < n; i++) {
    HicovClaimsMessage m;
    if (hicov_claims_message(CLAIMS(self), i, &m) == HICOV_OK
        && m.kind == HICOV_CLAIMS_MSG_REJECT)
      return hicov_raise(st, HICOV_PARSE,
                         "%s (strict: %lld of %lld records rejected)",
                         m.message, (long long)counts.rejected,
                         (long long)counts.records_read);
  }
  return hicov_raise(st, HICOV_PARSE, "strict: %lld of %lld records "
                     "rejected", (long long)counts.rejected,
                     (long long)counts.records_read);
}

/* The raised exception carries the accumulator (exc.claims): what was
 * read before and besides the failure is not lost. */
static void
attach_claims(PyObject *self)
{
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  if (value != NULL && PyObject_SetAttrString(value, "claims", self) < 0)
    PyErr_Clear();
  PyErr_Restore(type, value, tb);
}

/* errors= of read_claims and Claims.read: 1 for "collect", 0 for "raise",
 * -1 (exception set) for anything else. */
static int
errors_mode(const char *errors)
{
  if (strcmp(errors, "raise") == 0)
    return 0;
  if (strcmp(errors, "collect") == 0)
    return 1;
  PyErr_Format(PyExc_ValueError, "errors must be 'raise' or 'collect', not "
               "'%s'", errors);
  return -1;
}

static int
claims_read_impl(PyObject *self, hicov_state *st, const char *const *paths,
                 size_t n, int threads, PyObject *progress, int strict,
                 int collect)
{
  if (not_busy(self) < 0)
    return -1;
  ProgressState ps = {progress, NULL, NULL, NULL, 0};
  int rc;
  ((ClaimsObject *)self)->busy = 1;
  Py_BEGIN_ALLOW_THREADS
  rc = hicov_claims_read_paths(CLAIMS(self), paths, n, threads,
                               progress_trampoline, &ps);
  Py_END_ALLOW_THREADS
  ((ClaimsObject *)self)->busy = 0;
  if (ps.exc_type != NULL) {
    /* cancelled by the callback (or Ctrl-C): its exception wins */
    PyErr_Restore(ps.exc_type, ps.exc_value, ps.exc_tb);
    return -1;
  }
  /* a file that failed (could not be read, was refused, changed, hit a
     limit, or the temporary files failed) raises, unless the errors are
     collected: then it is counted and listed in rejections */
  if (rc == HICOV_NOMEM || rc == HICOV_INVALID || rc == HICOV_ERROR
      || (rc != HICOV_OK && (strict || !collect))) {
    claims_check(st, self, rc);
    attach_claims(self);
    return -1;
  }
  if (strict && strict_check(st, self) < 0) {
    attach_claims(self);
    return -1;
  }
  return 0;
}

PyDoc_STRVAR(read_doc,
"read($self, /, paths, threads=0, progress=None, strict=False, "
"errors='raise')\n--\n\n"
"Reads more claims into this accumulator (see hicov.read_claims).");

static PyObject *
claims_read(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"paths", "threads", "progress", "strict",
                             "errors", NULL};
  PyObject *paths_obj, *progress = Py_None;
  int threads = 0, strict = 0;
  const char *errors = "raise";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|iOps:read", keywords,
                                   &paths_obj, &threads, &progress, &strict,
                                   &errors))
    return NULL;
  int collect = errors_mode(errors);
  if (collect < 0)
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  if (progress != Py_None && !PyCallable_Check(progress))
    return PyErr_Format(PyExc_TypeError, "progress must be callable or None, "
                        "not %.100s", Py_TYPE(progress)->tp_name);
  PyObject *holder;
  const char **paths;
  size_t n;
  if (convert_paths(paths_obj, &holder, &paths, &n) < 0)
    return NULL;
  int rc = claims_read_impl(self, st, paths, n, threads,
                            progress == Py_None ? NULL : progress, strict,
                            collect);
  PyMem_Free(paths);
  Py_DECREF(holder);
  if (rc < 0)
    return NULL;
  Py_RETURN_NONE;
}

PyDoc_STRVAR(read_bytes_doc,
"read_bytes($self, /, data, name='<bytes>')\n--\n\n"
"Reads claims from memory (an envelope, plain XML or CSV in any bytes-\n"
"like object, or a str, read as its UTF-8); name is used in messages.  A\n"
"refused document raises.");

static PyObject *
claims_read_bytes(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"data", "name", NULL};
  Py_buffer data;
  const char *name = "<bytes>";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s*|s:read_bytes", keywords,
                                   &data, &name))
    return NULL; /* s*: a str as its UTF-8, or any bytes-like object */
  hicov_state *st = self_state(self);
  PyObject *result = NULL;
  if (st != NULL && not_busy(self) == 0) {
    int rc;
    ((ClaimsObject *)self)->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = hicov_claims_read_buffer(CLAIMS(self), name, data.buf,
                                  (size_t)data.len);
    Py_END_ALLOW_THREADS
    ((ClaimsObject *)self)->busy = 0;
    if (claims_check(st, self, rc) == 0)
      result = Py_NewRef(Py_None);
  }
  PyBuffer_Release(&data);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Counts and totals                                                         */

static PyStructSequence_Field claims_counts_fields[] = {
  {"read", "records read (read = accepted + rejected)"},
  {"accepted", "records accepted"},
  {"rejected", "records rejected"},
  {"duplicates", "records rejected as duplicates (same facility and MA_LK)"},
  {"flagged", "accepted records with a tolerated irregularity"},
  {"rejected_by", "dict: rejection reason -> records"},
  {"flagged_by", "dict: flag -> records"},
  {"records_4210", "accepted records with QD 4210 field names"},
  {"records_130", "accepted records with QD 130/4750/3176 field names"},
  {"files_read", "files (or buffers) opened"},
  {"files_failed", "files refused or cut short"},
  {"bytes_read", "bytes read"},
  {"merge_conflicts", "duplicates found between merged accumulators"},
  {NULL, NULL}
};

PyStructSequence_Desc hicov_claims_counts_desc = {
  "hicov.ClaimsCounts",
  "Reconciliation counts of a Claims accumulator: read = accepted +\n"
  "rejected.",
  claims_counts_fields, 13
};

static PyObject *
reason_dict(const int64_t *v, int n, const char *(*name)(int))
{
  PyObject *d = PyDict_New();
  for (int i = 0; d != NULL && i < n; i++) {
    PyObject *x = PyLong_FromLongLong((long long)v[i]);
    if (x == NULL || PyDict_SetItemString(d, name(i), x) < 0)
      Py_CLEAR(d);
    Py_XDECREF(x);
  }
  return d;
}

static PyObject *
claims_get_counts(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  HicovClaimsCounts c;
  hicov_claims_counts(CLAIMS(self), &c);
  PyObject *result = PyStructSequence_New(st->ClaimsCountsType);
  if (result == NULL)
    return NULL;
  PyObject *items[13] = {
    PyLong_FromLongLong(c.records_read),
    PyLong_FromLongLong(c.accepted),
    PyLong_FromLongLong(c.rejected),
    PyLong_FromLongLong(c.rejected_by[HICOV_CLAIMS_REJECT_DUPLICATE]),
    PyLong_FromLongLong(c.flagged),
    reason_dict(c.rejected_by, HICOV_CLAIMS_N_REJECT,
                hicov_claims_reject_name),
    reason_dict(c.flagged_by, HICOV_CLAIMS_N_FLAG, hicov_claims_flag_name),
    PyLong_FromLongLong(c.records_4210),
    PyLong_FromLongLong(c.records_130),
    PyLong_FromLongLong(c.files_read),
    PyLong_FromLongLong(c.files_failed),
    PyLong_FromLongLong(c.bytes_read),
    PyLong_FromLongLong(c.merge_conflicts),
  };
  int failed = 0;
  for (Py_ssize_t i = 0; i < 13; i++) {
    if (items[i] == NULL)
      failed = 1;
    else
      PyStructSequence_SetItem(result, i, items[i]); /* steals */
  }
  if (failed) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

static PyStructSequence_Field claims_totals_fields[] = {
  {"visits", "visits (records accepted)"},
  {"inpatient_visits", "inpatient visits"},
  {"inpatient_days", "inpatient days"},
  {"total_cost", "total cost, decimal.Decimal in dong"},
  {"fund_paid", "paid by the fund (T_BHTT), decimal.Decimal in dong"},
  {"copay", "patient co-payment (T_BNCCT), decimal.Decimal in dong"},
  {"patients", "distinct patients"},
  {"facilities", "distinct facilities"},
  {"first_month", "first settlement month 'YYYY-MM', or None"},
  {"last_month", "last settlement month 'YYYY-MM', or None"},
  {NULL, NULL}
};

PyStructSequence_Desc hicov_claims_totals_desc = {
  "hicov.ClaimsTotals",
  "Grand totals of a Claims accumulator; money exact, in dong.",
  claims_totals_fields, 10
};

static PyObject *
claims_get_totals(PyObject *self, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  HicovClaimsTotals t;
  memset(&t, 0, sizeof t);
  int rc = hicov_claims_totals(CLAIMS(self), &t);
  if (claims_check(st, self, rc) < 0)
    return NULL;
  PyObject *result = PyStructSequence_New(st->ClaimsTotalsType);
  if (result == NULL)
    return NULL;
  int empty = t.visits == 0 && t.first_month == 0;
  PyObject *items[10] = {
    PyLong_FromLongLong(t.visits),
    PyLong_FromLongLong(t.inpatient_visits),
    PyLong_FromLongLong(t.inpatient_days),
    hicov_decimal_from_centi(st, t.total_cost),
    hicov_decimal_from_centi(st, t.fund_paid),
    hicov_decimal_from_centi(st, t.copay),
    PyLong_FromLongLong(t.patients),
    PyLong_FromLongLong(t.facilities),
    empty ? Py_NewRef(Py_None) : hicov_month_to_str(t.first_month),
    empty ? Py_NewRef(Py_None) : hicov_month_to_str(t.last_month),
  };
  int failed = 0;
  for (Py_ssize_t i = 0; i < 10; i++) {
    if (items[i] == NULL)
      failed = 1;
    else
      PyStructSequence_SetItem(result, i, items[i]);
  }
  if (failed) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

static PyObject *
code_name(const HicovClaimsMessage *m)
{
  const char *name = NULL;
  if (m->kind == HICOV_CLAIMS_MSG_REJECT)
    name = hicov_claims_reject_name(m->code);
  else if (m->kind == HICOV_CLAIMS_MSG_FLAG)
    name = hicov_claims_flag_name(m->code);
  else if (m->kind == HICOV_CLAIMS_MSG_NOTE)
    name = "note";
  else
    name = hicov_status_string(m->code);
  return PyUnicode_FromString(name != NULL ? name : "unknown");
}

static PyObject *
text_or_empty(const char *s)
{
  if (s == NULL)
    s = "";
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* DataFrame of the kept messages of the kinds in `mask` (1 << kind). */
static PyObject *
messages_frame(PyObject *self, unsigned mask)
{
  static const char *const names[] = {"kind", "reason", "file", "record",
                                      "field", "message", NULL};
  if (not_busy(self) < 0)
    return NULL;
  PyObject *cols = hicov_new_columns(names);
  if (cols == NULL)
    return NULL;
  size_t n = hicov_claims_message_count(CLAIMS(self));
  for (size_t i = 0; i < n; i++) {
    HicovClaimsMessage m;
    if (hicov_claims_message(CLAIMS(self), i, &m) != HICOV_OK
        || !(mask & (1u << m.kind)))
      continue;
    const char *kind = m.kind == HICOV_CLAIMS_MSG_REJECT ? "reject"
                       : m.kind == HICOV_CLAIMS_MSG_FLAG ? "flag"
                       : m.kind == HICOV_CLAIMS_MSG_NOTE ? "note" : "file";
    if (hicov_column_append(cols, "kind", PyUnicode_FromString(kind)) < 0
        || hicov_column_append(cols, "reason", code_name(&m)) < 0
        || hicov_column_append(cols, "file", text_or_empty(m.file)) < 0
        || hicov_column_append(cols, "record", text_or_empty(m.record)) < 0
        || hicov_column_append(cols, "field", text_or_empty(m.field)) < 0
        || hicov_column_append(cols, "message", text_or_empty(m.message)) < 0) {
      Py_DECREF(cols);
      return NULL;
    }
  }
  PyObject *frame = hicov_frame_from_columns(cols);
  Py_DECREF(cols);
  return frame;
}

static PyObject *
claims_get_rejections(PyObject *self, void *Py_UNUSED(closure))
{
  return messages_frame(self, (1u << HICOV_CLAIMS_MSG_REJECT)
                                  | (1u << HICOV_CLAIMS_MSG_FILE));
}

static PyObject *
claims_get_flags(PyObject *self, void *Py_UNUSED(closure))
{
  return messages_frame(self, 1u << HICOV_CLAIMS_MSG_FLAG);
}

static PyObject *
claims_get_notes(PyObject *self, void *Py_UNUSED(closure))
{
  return messages_frame(self, 1u << HICOV_CLAIMS_MSG_NOTE);
}

PyDoc_STRVAR(check_doc,
"check($self, /, strict=False)\n--\n\n"
"Raises the error of the first file that failed, as read_claims does\n"
"unless errors='collect' (FileError, ParseError, LimitError,\n"
"SumOverflowError); with strict=True, else the first rejected record's\n"
"(ParseError).  Does nothing when every file was read.");

static PyObject *
claims_check_files(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"strict", NULL};
  int strict = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|p:check", keywords,
                                   &strict))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  HicovClaimsCounts counts;
  hicov_claims_counts(CLAIMS(self), &counts);
  if (counts.files_failed) {
    size_t n = hicov_claims_message_count(CLAIMS(self));
    for (size_t i = 0; i < n; i++) {
      HicovClaimsMessage m;
      if (hicov_claims_message(CLAIMS(self), i, &m) == HICOV_OK
          && m.kind == HICOV_CLAIMS_MSG_FILE && m.code != HICOV_OK) {
        hicov_check_status_msg(st, m.code, m.message);
        return NULL;
      }
    }
    /* the messages were not kept (max_messages) */
    hicov_raise(st, HICOV_IO, "%lld of %lld files failed (their messages "
                "were not kept: max_messages)", (long long)counts.files_failed,
                (long long)counts.files_read);
    return NULL;
  }
  if (strict && strict_check(st, self) < 0)
    return NULL;
  Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------ */
/* Cells, dataset, CSV                                                       */

/* The frame is built a column at a time: counts and money go into int64
 * buffers that numpy reads as they are, and the facility and group strings
 * of consecutive cells are shared objects (cells come sorted by facility,
 * then month) before they become categoricals. */
enum { N_GROUP_SLOTS = 26 * 26 + 1 }; /* "AA".."ZZ", then "UNK" */

static Py_ssize_t
group_slot(const char group[4])
{
  if (group[0] >= 'A' && group[0] <= 'Z' && group[1] >= 'A'
      && group[1] <= 'Z' && group[2] == '\0')
    return (group[0] - 'A') * 26 + (group[1] - 'A');
  return strncmp(group, "UNK", 4) == 0 ? N_GROUP_SLOTS - 1 : -1;
}

/* The columns' types: categories, the period as a pandas Period[M], money
 * as `money` says. */
static PyObject *
cells_frame(hicov_state *st, PyObject *const *obj, PyObject *const *ints,
            int64_t *const *money, const int64_t *months, Py_ssize_t n,
            int mode)
{
  static const char *const names[] = {
    "facility", "period", "year", "month", "group", "visit_type", "visits",
    "inpatient_visits", "inpatient_days", "total_cost", "fund_paid", "copay",
    NULL};
  static const char *const categories[] = {"facility", "group", NULL};
  PyObject *cols[12] = {NULL}, *dict = NULL, *frame = NULL;
  for (int k = 0, j = 0; k < 9; k++)
    if (k == 2 || k == 3 || k >= 5)
      cols[k] = Py_NewRef(ints[j++]);
  if ((cols[0] = hicov_object_array(obj[0])) == NULL
      || (cols[1] = hicov_month_periods(months, n)) == NULL
      || (cols[4] = hicov_object_array(obj[1])) == NULL
      || (cols[9] = hicov_money_column(st, money[0], n, mode)) == NULL
      || (cols[10] = hicov_money_column(st, money[1], n, mode)) == NULL
      || (cols[11] = hicov_money_column(st, money[2], n, mode)) == NULL
      || (dict = PyDict_New()) == NULL)
    goto done;
  for (int k = 0; k < 12; k++)
    if (cols[k] == NULL || PyDict_SetItemString(dict, names[k], cols[k]) < 0)
      goto done;
  frame = hicov_frame_from_columns(dict);
  if (frame != NULL && hicov_frame_categories(frame, categories) < 0)
    Py_CLEAR(frame);
done:
  for (int k = 0; k < 12; k++)
    Py_XDECREF(cols[k]);
  Py_XDECREF(dict);
  return frame;
}

enum { FAC, GROUP, N_OBJ };
enum { YEAR, MONTH, TYPE, VISITS, IP_VISITS, IP_DAYS, N_INT };

/* The cells as C arrays, filled by walk_cells without the GIL from plain
 * allocations (PyMem_Raw*: no Python code runs between the sort and the
 * walk), so that nothing of the accumulator is used once the walk ends. */
typedef struct {
  size_t n;
  int64_t *iv[N_INT];
  int64_t *money[3];      /* centi */
  int64_t *months;        /* year * 12 + month - 1 */
  char (*group)[4];
  size_t *run;            /* per cell: its run of one facility */
  size_t *run_at;         /* each run's facility: its offset in names */
  size_t nruns;
  char *names;            /* the runs' facility codes, NUL-terminated */
  size_t names_len, names_cap;
} CellWalk;

static int
walk_alloc(CellWalk *w, size_t n)
{
  size_t alloc = n > 0 ? n : 1;
  memset(w, 0, sizeof *w);
  w->n = n;
  int failed = 0;
  for (int k = 0; k < N_INT; k++)
    failed |= (w->iv[k] = PyMem_RawCalloc(alloc, sizeof(int64_t))) == NULL;
  for (int k = 0; k < 3; k++)
    failed |= (w->money[k] = PyMem_RawCalloc(alloc, sizeof(int64_t))) == NULL;
  failed |= (w->months = PyMem_RawCalloc(alloc, sizeof(int64_t))) == NULL;
  failed |= (w->group = PyMem_RawCalloc(alloc, sizeof *w->group)) == NULL;
  failed |= (w->run = PyMem_RawCalloc(alloc, sizeof(size_t))) == NULL;
  failed |= (w->run_at = PyMem_RawCalloc(alloc, sizeof(size_t))) == NULL;
  return failed ? HICOV_NOMEM : HICOV_OK;
}

static void
walk_free(CellWalk *w)
{
  for (int k = 0; k < N_INT; k++)
    PyMem_RawFree(w->iv[k]);
  for (int k = 0; k < 3; k++)
    PyMem_RawFree(w->money[k]);
  PyMem_RawFree(w->months);
  PyMem_RawFree(w->group);
  PyMem_RawFree(w->run);
  PyMem_RawFree(w->run_at);
  PyMem_RawFree(w->names);
}

/* A new run's facility code, copied (NULL as "", as text_or_empty). */
static int
walk_name(CellWalk *w, const char *code)
{
  size_t len = code != NULL ? strlen(code) : 0;
  if (len + 1 > w->names_cap - w->names_len) {
    size_t cap = w->names_cap ? w->names_cap : 4096;
    while (len + 1 > cap - w->names_len)
      cap *= 2;
    char *grown = PyMem_RawRealloc(w->names, cap);
    if (grown == NULL)
      return HICOV_NOMEM;
    w->names = grown;
    w->names_cap = cap;
  }
  w->run_at[w->nruns++] = w->names_len;
  if (len)
    memcpy(w->names + w->names_len, code, len);
  w->names[w->names_len + len] = '\0';
  w->names_len += len + 1;
  return HICOV_OK;
}

/* Reads every cell into w; touches no Python object, so it runs without
 * the GIL (the accumulator does not change meanwhile: wait_walkers). */
static int
walk_cells(const HicovClaims *claims, CellWalk *w)
{
  const char *last = NULL;
  for (size_t i = 0; i < w->n; i++) {
    HicovClaimsCell c;
    int rc = hicov_claims_cell(claims, i, &c);
    if (rc != HICOV_OK)
      return rc;
    if (w->nruns == 0 || c.facility != last) {
      if (walk_name(w, c.facility) != HICOV_OK)
        return HICOV_NOMEM;
      last = c.facility;
    }
    w->run[i] = w->nruns - 1;
    memcpy(w->group[i], c.group, sizeof c.group);
    w->months[i] = (int64_t)c.year * 12 + c.month - 1;
    w->money[0][i] = c.total_cost;
    w->money[1][i] = c.fund_paid;
    w->money[2][i] = c.copay;
    w->iv[YEAR][i] = c.year;
    w->iv[MONTH][i] = c.month;
    w->iv[TYPE][i] = c.visit_type;
    w->iv[VISITS][i] = c.visits;
    w->iv[IP_VISITS][i] = c.inpatient_visits;
    w->iv[IP_DAYS][i] = c.inpatient_days;
  }
  return HICOV_OK;
}

/* The facility and group columns as lists, with the GIL: the strings of
 * one facility's run and of one group are one shared object. */
static int
cell_strings(const CellWalk *w, PyObject *const *obj)
{
  PyObject *groups[N_GROUP_SLOTS] = {NULL};
  PyObject *fac_obj = NULL;
  size_t fac_run = 0;
  int failed = 0;
  for (size_t i = 0; i < w->n && !failed; i++) {
    if (fac_obj == NULL || w->run[i] != fac_run) {
      Py_XDECREF(fac_obj);
      fac_run = w->run[i];
      if ((fac_obj = text_or_empty(w->names + w->run_at[fac_run])) == NULL) {
        failed = 1;
        break;
      }
    }
    PyList_SET_ITEM(obj[FAC], (Py_ssize_t)i, Py_NewRef(fac_obj));

    const char *g = w->group[i];
    Py_ssize_t slot = group_slot(g);
    PyObject *group = slot >= 0 ? Py_XNewRef(groups[slot]) : NULL;
    if (group == NULL) {
      group = PyUnicode_DecodeUTF8(g, (Py_ssize_t)strnlen(g, 4), "replace");
      if (group == NULL) {
        failed = 1;
        break;
      }
      if (slot >= 0)
        groups[slot] = Py_NewRef(group);
    }
    PyList_SET_ITEM(obj[GROUP], (Py_ssize_t)i, group);
  }
  Py_XDECREF(fac_obj);
  for (int k = 0; k < N_GROUP_SLOTS; k++)
    Py_XDECREF(groups[k]);
  return failed ? -1 : 0;
}

/* The Python objects of the frame from the walk, with the GIL. */
static PyObject *
walk_frame(hicov_state *st, const CellWalk *w, int mode)
{
  Py_ssize_t n = (Py_ssize_t)w->n;
  PyObject *obj[N_OBJ] = {NULL}, *ints[N_INT] = {NULL}, *frame = NULL;
  for (int k = 0; k < N_OBJ; k++)
    if ((obj[k] = PyList_New(n)) == NULL)
      goto done;
  for (int k = 0; k < N_INT; k++) {
    int64_t *buf;
    if ((ints[k] = hicov_int64_column(n, &buf)) == NULL)
      goto done;
    if (n > 0)
      memcpy(buf, w->iv[k], w->n * sizeof *buf);
  }
  if (cell_strings(w, obj) == 0)
    frame = cells_frame(st, obj, ints, w->money, w->months, n, mode);
done:
  for (int k = 0; k < N_OBJ; k++)
    Py_XDECREF(obj[k]);
  for (int k = 0; k < N_INT; k++)
    Py_XDECREF(ints[k]);
  return frame;
}

static PyObject *
claims_to_frame_impl(PyObject *self, hicov_state *st, int mode)
{
  /* Sorting changes the accumulator: with the GIL, no walk running
   * (not_busy waited).  From it to the walk no Python code runs (plain
   * allocations only), so the cells stay as sorted. */
  int rc = hicov_claims_sort_cells(CLAIMS(self));
  if (claims_check(st, self, rc) < 0)
    return NULL;
  CellWalk w;
  rc = walk_alloc(&w, hicov_claims_cell_count(CLAIMS(self)));
  if (rc == HICOV_OK) {
    /* the walk, without the GIL, beside other threads; the methods that
       could change the accumulator wait for it (wait_walkers) */
    ((ClaimsObject *)self)->walkers++;
    Py_BEGIN_ALLOW_THREADS
    rc = walk_cells(CLAIMS(self), &w);
    Py_END_ALLOW_THREADS
    ((ClaimsObject *)self)->walkers--;
  }
  PyObject *frame = NULL;
  if (rc == HICOV_NOMEM)
    PyErr_NoMemory();
  else if (claims_check(st, self, rc) == 0)
    frame = walk_frame(st, &w, mode);
  walk_free(&w);
  return frame;
}

PyDoc_STRVAR(to_frame_doc,
"to_frame($self, /, *, money='float')\n--\n\n"
"Returns pandas.DataFrame.\n\n"
"The aggregated cells, one row per facility x settlement month x card\n"
"group x visit type (MA_LOAI_KCB): facility (categorical), period (a\n"
"pandas Period of the month), year, month, group (categorical),\n"
"visit_type, visits, inpatient_visits, inpatient_days (int64) and\n"
"total_cost, fund_paid, copay in dong: float64 by default (the double\n"
"nearest the exact amount), money='decimal' for exact decimal.Decimal\n"
"objects, money='centi' for exact int64 hundredths of a dong.  The cells\n"
"are read without the GIL; a read into these claims waits for that.");

static PyObject *
claims_to_frame(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"money", NULL};
  const char *money = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$z:to_frame", keywords,
                                   &money))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  int mode = hicov_money_arg(st, money);
  if (mode < 0)
    return NULL;
  return claims_to_frame_impl(self, st, mode);
}

static int
claims_to_dataset_impl(PyObject *self, hicov_state *st, PyObject *ds_obj,
                       const char *source)
{
  hicov_dataset_exclusive(ds_obj); /* a change: no query may be running */
  int rc = hicov_claims_to_dataset(CLAIMS(self),
                                   ((DatasetObject *)ds_obj)->ds, source);
  return claims_check(st, self, rc);
}

static int
check_dataset(hicov_state *st, PyObject *obj)
{
  if (PyObject_TypeCheck(obj, st->DatasetType))
    return 0;
  PyErr_Format(PyExc_TypeError, "dataset must be a hicov.Dataset, not %.100s",
               Py_TYPE(obj)->tp_name);
  return -1;
}

PyDoc_STRVAR(to_dataset_doc,
"to_dataset($self, /, dataset, source='claims')\n--\n\n"
"Adds the aggregated measures to dataset: visits, inpatient_visits,\n"
"inpatient_days, total_cost, fund_paid, copay per facility, month and\n"
"group, and distinct patients per facility and every unit above it, so\n"
"that indicators use both.  Every facility must be a unit of dataset\n"
"(NotFoundError names the others; nothing is added then).");

static PyObject *
claims_to_dataset(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"dataset", "source", NULL};
  PyObject *ds_obj;
  const char *source = "claims";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|s:to_dataset", keywords,
                                   &ds_obj, &source))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0 || check_dataset(st, ds_obj) < 0)
    return NULL;
  if (claims_to_dataset_impl(self, st, ds_obj, source) < 0)
    return NULL;
  Py_RETURN_NONE;
}

PyDoc_STRVAR(merge_into_doc,
"merge_into($self, /, dataset, source='claims', *, on_conflict='error')\n"
"--\n\n"
"Returns dict.\n\n"
"Merges the values to_dataset adds into dataset, which may already hold\n"
"some of them (from an earlier read), all or nothing: what `hicov claims\n"
"-o DIR` saves.  on_conflict says what a value that differs from the\n"
"dataset's does: 'error' (InvalidError, with .conflicts listing each;\n"
"nothing changes), 'replace' or 'keep'.  Every facility must be a unit\n"
"of dataset (NotFoundError names the others).  Returns {added, replaced,\n"
"kept, unchanged}.");

static PyObject *
claims_merge_into(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"dataset", "source", "on_conflict", NULL};
  PyObject *ds_obj;
  const char *source = "claims", *conflict = "error";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|s$s:merge_into", keywords,
                                   &ds_obj, &source, &conflict))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0 || check_dataset(st, ds_obj) < 0)
    return NULL;
  int policy = hicov_conflict_arg(st, conflict);
  if (policy < 0)
    return NULL;
  HicovMergeStats ms;
  char *conflicts = NULL;
  hicov_dataset_exclusive(ds_obj); /* a change: no query may be running */
  int rc = hicov_claims_merge_into(CLAIMS(self), ((DatasetObject *)ds_obj)->ds,
                                   source, policy, &ms, &conflicts);
  PyObject *result = NULL;
  if (claims_check(st, self, rc) < 0)
    hicov_attach_conflicts(conflicts);
  else
    result = hicov_merge_stats(&ms);
  hicov_free(conflicts);
  return result;
}

PyDoc_STRVAR(values_csv_doc,
"values_csv($self, /, dataset=None, source='claims')\n--\n\n"
"Returns str.\n\n"
"The values to_dataset adds, as a values.csv the core loads\n"
"(unit,period,measure,value,group,source).  Without a dataset, distinct\n"
"patients are given per facility only.");

static PyObject *
claims_values_csv(PyObject *self, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"dataset", "source", NULL};
  PyObject *ds_obj = Py_None;
  const char *source = "claims";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|Os:values_csv", keywords,
                                   &ds_obj, &source))
    return NULL;
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0
      || (ds_obj != Py_None && check_dataset(st, ds_obj) < 0))
    return NULL;
  const HicovDataset *ds = ds_obj == Py_None ? NULL
                                             : ((DatasetObject *)ds_obj)->ds;
  char *buf = NULL;
  size_t len = 0;
  int rc = hicov_claims_values_csv(CLAIMS(self), ds, source, &buf, &len);
  if (claims_check(st, self, rc) < 0)
    return NULL;
  PyObject *text = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "replace");
  hicov_free(buf);
  return text;
}

/* ------------------------------------------------------------------------ */
/* merge, pickling                                                           */

PyDoc_STRVAR(merge_doc,
"merge($self, other, /)\n--\n\n"
"Adds another Claims accumulator into this one exactly (other is\n"
"unchanged).  Records present in both (same facility and MA_LK) stay\n"
"counted and are reported in counts.merge_conflicts: split the input by\n"
"facility to avoid them.");

static PyObject *
claims_merge(PyObject *self, PyObject *other)
{
  hicov_state *st = self_state(self);
  if (st == NULL)
    return NULL;
  if (!PyObject_TypeCheck(other, st->ClaimsType))
    return PyErr_Format(PyExc_TypeError, "merge() takes a hicov.Claims, not "
                        "%.100s", Py_TYPE(other)->tp_name);
  if (not_busy(self) < 0 || not_busy(other) < 0)
    return NULL;
  if (other == self)
    return PyErr_Format(PyExc_ValueError, "cannot merge a Claims object "
                        "into itself");
  int rc = hicov_claims_merge(CLAIMS(self), CLAIMS(other));
  if (claims_check(st, self, rc) < 0)
    return NULL;
  Py_RETURN_NONE;
}

static PyObject *
claims_to_bytes_impl(PyObject *self, hicov_state *st)
{
  void *buf = NULL;
  size_t len = 0;
  int rc = hicov_claims_serialize(CLAIMS(self), &buf, &len);
  if (claims_check(st, self, rc) < 0)
    return NULL;
  PyObject *bytes = PyBytes_FromStringAndSize(buf, (Py_ssize_t)len);
  hicov_free(buf);
  return bytes;
}

PyDoc_STRVAR(to_bytes_doc,
"to_bytes($self, /)\n--\n\n"
"Returns bytes.\n\n"
"The whole state, serialised by the core; Claims(state) rebuilds it.\n"
"Pickling uses the same.");

static PyObject *
claims_to_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return NULL;
  return claims_to_bytes_impl(self, st);
}

static PyObject *
claims_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
  PyObject *state = claims_to_bytes(self, NULL);
  if (state == NULL)
    return NULL;
  /* the language is a setting of the object, not part of its state */
  return Py_BuildValue("(O(Nz))", (PyObject *)Py_TYPE(self), state,
                       hicov_claims_lang(CLAIMS(self)));
}

static PyObject *
claims_repr(PyObject *self)
{
  /* neither waits: a repr must not block */
  if (((ClaimsObject *)self)->busy)
    return PyUnicode_FromString("<hicov.Claims: reading>");
  if (((ClaimsObject *)self)->walkers > 0)
    return PyUnicode_FromString("<hicov.Claims: making a frame>");
  HicovClaimsCounts c;
  hicov_claims_counts(CLAIMS(self), &c);
  /* no cell count: after a big read part of the cells are on disk until
     to_frame() or to_dataset() merges them back (hicov_claims_sort_cells) */
  return PyUnicode_FromFormat(
      "<hicov.Claims: %lld records read, %lld accepted, %lld rejected>",
      (long long)c.records_read, (long long)c.accepted, (long long)c.rejected);
}

static PyObject *
claims_get_lang(PyObject *self, void *Py_UNUSED(closure))
{
  /* a read fixes the handle's language while it runs */
  if (not_busy(self) < 0)
    return NULL;
  return hicov_str_or_none(hicov_claims_lang(CLAIMS(self)));
}

static int
claims_set_lang(PyObject *self, PyObject *value, void *Py_UNUSED(closure))
{
  hicov_state *st = self_state(self);
  if (st == NULL || not_busy(self) < 0)
    return -1;
  const char *lang;
  if (hicov_lang_of_setter(st, value, &lang) < 0)
    return -1;
  hicov_claims_set_lang(CLAIMS(self), lang);
  return 0;
}

static PyGetSetDef claims_getset[] = {
  {"lang", claims_get_lang, claims_set_lang,
   "Language of the messages the accumulator writes from now on (the\n"
   "message column of rejections, flags and notes, the errors it raises):\n"
   "'vi', 'en', or None (the default) for the process's (LANGUAGE, LC_ALL,\n"
   "LC_MESSAGES, LANG, as gettext reads them).  Messages kept earlier keep\n"
   "their language; kind, reason, file, record and field never depend on\n"
   "it, so accumulators read in different languages merge alike.", NULL},
  {"counts", claims_get_counts, NULL,
   "ClaimsCounts: read, accepted, rejected, duplicates, flagged,\n"
   "rejected_by, flagged_by, ... (read = accepted + rejected).", NULL},
  {"totals", claims_get_totals, NULL,
   "ClaimsTotals: visits, inpatient_visits, inpatient_days, total_cost,\n"
   "fund_paid, copay (exact Decimal dong), patients, facilities,\n"
   "first_month, last_month.", NULL},
  {"rejections", claims_get_rejections, NULL,
   "DataFrame of rejected records and failed files: kind ('reject' or\n"
   "'file'), reason, file, record (MA_LK), field, message.  At most\n"
   "max_messages are kept; counts has them all.", NULL},
  {"flags", claims_get_flags, NULL,
   "DataFrame of tolerated irregularities in accepted records (same\n"
   "columns as rejections, kind 'flag').", NULL},
  {"notes", claims_get_notes, NULL,
   "DataFrame of notes that are no failures (same columns, kind 'note'):\n"
   "a folder skipped because it was read already (a link back to it), a\n"
   "file that holds no XML1 record.", NULL},
  {NULL, NULL, NULL, NULL, NULL}
};

#define KW (PyCFunction)(void (*)(void))
static PyMethodDef claims_methods[] = {
  {"read", KW claims_read, METH_VARARGS | METH_KEYWORDS, read_doc},
  {"read_bytes", KW claims_read_bytes, METH_VARARGS | METH_KEYWORDS,
   read_bytes_doc},
  {"to_frame", KW claims_to_frame, METH_VARARGS | METH_KEYWORDS,
   to_frame_doc},
  {"to_dataset", KW claims_to_dataset, METH_VARARGS | METH_KEYWORDS,
   to_dataset_doc},
  {"merge_into", KW claims_merge_into, METH_VARARGS | METH_KEYWORDS,
   merge_into_doc},
  {"values_csv", KW claims_values_csv, METH_VARARGS | METH_KEYWORDS,
   values_csv_doc},
  {"merge", claims_merge, METH_O, merge_doc},
  {"check", KW claims_check_files, METH_VARARGS | METH_KEYWORDS, check_doc},
  {"to_bytes", claims_to_bytes, METH_NOARGS, to_bytes_doc},
  {"_repr_html_", hicov_repr_html, METH_NOARGS,
   "_repr_html_($self, /)\n--\n\n"
   "HTML for Jupyter: a summary table (hicov/_display.py), unstyled."},
  {"__reduce__", claims_reduce, METH_NOARGS,
   "__reduce__($self, /)\n--\n\nPickling support: Claims(to_bytes())."},
  {NULL, NULL, 0, NULL}
};
#undef KW

PyDoc_STRVAR(claims_doc,
"Claims(state=None, lang=None)\n--\n\n"
"An accumulator of BHYT claims aggregated by facility, settlement month,\n"
"card group and visit type, with exact money.  Get one from\n"
"hicov.read_claims(); Claims() is empty, Claims(state) rebuilds one from\n"
"to_bytes().  Picklable (with its lang); merge() adds another.  lang:\n"
"the language of its messages (Claims.lang).");

static PyType_Slot claims_slots[] = {
  {Py_tp_new, claims_new},
  {Py_tp_dealloc, claims_dealloc},
  {Py_tp_repr, claims_repr},
  {Py_tp_methods, claims_methods},
  {Py_tp_getset, claims_getset},
  {Py_tp_doc, (void *)claims_doc},
  {0, NULL}
};

PyType_Spec hicov_claims_spec = {
  .name = "hicov.Claims",
  .basicsize = sizeof(ClaimsObject),
  .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
  .slots = claims_slots,
};

/* ------------------------------------------------------------------------ */
/* hicov.read_claims                                                         */

static PyObject *
read_claims_impl(hicov_state *st, const char *const *paths, size_t n,
                 PyObject *ds_obj, int threads, PyObject *progress,
                 int strict, int collect, Py_ssize_t max_messages,
                 const char *source, const char *lang)
{
  HicovClaims *claims = NULL;
  int rc = hicov_claims_new(&claims);
  if (hicov_check_status(st, rc, NULL) < 0)
    return NULL;
  hicov_claims_set_lang(claims, lang);
  if (max_messages >= 0)
    hicov_claims_set_max_messages(claims, (size_t)max_messages);
  PyObject *self = claims_wrap(st->ClaimsType, claims);
  if (self == NULL)
    return NULL;
  if (claims_read_impl(self, st, paths, n, threads, progress, strict,
                       collect) < 0
      || (ds_obj != NULL
          && claims_to_dataset_impl(self, st, ds_obj, source) < 0)) {
    Py_DECREF(self);
    return NULL;
  }
  return self;
}

PyObject *
hicov_read_claims(PyObject *module, PyObject *args, PyObject *kwargs)
{
  static char *keywords[] = {"paths", "dataset", "threads", "progress",
                             "strict", "max_messages", "source", "errors",
                             "lang", NULL};
  PyObject *paths_obj, *ds_obj = Py_None, *progress = Py_None;
  int threads = 0, strict = 0;
  Py_ssize_t max_messages = 1000;
  const char *source = "claims", *errors = "raise", *lang = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OiOpnss$z:read_claims",
                                   keywords, &paths_obj, &ds_obj, &threads,
                                   &progress, &strict, &max_messages,
                                   &source, &errors, &lang))
    return NULL;
  int collect = errors_mode(errors);
  if (collect < 0)
    return NULL;
  hicov_state *st = hicov_get_state(module);
  if (hicov_check_lang(st, lang, 1) < 0)
    return NULL;
  if (ds_obj != Py_None && check_dataset(st, ds_obj) < 0)
    return NULL;
  if (progress != Py_None && !PyCallable_Check(progress))
    return PyErr_Format(PyExc_TypeError, "progress must be callable or None, "
                        "not %.100s", Py_TYPE(progress)->tp_name);
  if (max_messages < 0)
    return PyErr_Format(PyExc_ValueError, "max_messages must be >= 0, not "
                        "%zd", max_messages);
  PyObject *holder;
  const char **paths;
  size_t n;
  if (convert_paths(paths_obj, &holder, &paths, &n) < 0)
    return NULL;
  PyObject *result = read_claims_impl(
      st, paths, n, ds_obj == Py_None ? NULL : ds_obj, threads,
      progress == Py_None ? NULL : progress, strict, collect, max_messages,
      source, lang);
  PyMem_Free(paths);
  Py_DECREF(holder);
  return result;
}
