/* threads.c - one dataset shared by several Python threads.
 *
 * The core lets queries run on one dataset in several threads at once once
 * hicov_dataset_prepare_queries has done their lazy work, and wants changes
 * alone (hicov-core.h, "Threads").  A DatasetObject counts the queries
 * that run on it without the GIL (`shared`); changes are made with the GIL
 * held, once that count is 0.  A method's lang= or boundaries= changes the
 * dataset for the whole call, frame building included, where Python code
 * runs and other threads get the GIL: `scoped` then holds other threads'
 * queries (with the GIL or without) and changes off until the call puts
 * the dataset back; a query made with the GIL held waits for it too
 * (hicov_dataset_scope_wait), or it would answer in the other call's
 * language or boundaries.  Everything here runs with the GIL held, so
 * the count needs no lock of its own: a change waits, giving the GIL up,
 * until the count is 0, then makes itself before giving the GIL up again,
 * and a query can only start (share) with the GIL.  Queries made with the
 * GIL held need no count: they run beside the shared ones, and the lazy
 * work they would do is done (share prepares the dataset, and only a
 * change undoes that). */
#include "_hicov.h"

#include <time.h>

static void
pause_without_gil(void)
{
  struct timespec ts = {0, 200000}; /* 0.2 ms */
  Py_BEGIN_ALLOW_THREADS
  nanosleep(&ts, NULL);
  Py_END_ALLOW_THREADS
}

/* Is the dataset scoped by another thread's call?  The thread whose call
 * set the scope goes on: its own queries are the call's. */
static int
scoped_elsewhere(const DatasetObject *d)
{
  return d->scoped && d->scope_owner != PyThread_get_thread_ident();
}

/* Waits out another thread's scope, counted in `waiting`: a thread that
 * ends its scoped call and begins the next lets the waiting queries go
 * first (else a loop of scoped calls, taking the GIL back each time within
 * a pause, starved them). */
static void
wait_scope(DatasetObject *d)
{
  if (!scoped_elsewhere(d))
    return;
  d->waiting++;
  while (scoped_elsewhere(d))
    pause_without_gil();
  d->waiting--;
}

int
hicov_dataset_share(PyObject *self)
{
  DatasetObject *d = (DatasetObject *)self;
  wait_scope(d);
  /* the lazy work, done once with the GIL held; a no-op after */
  int rc = hicov_dataset_prepare_queries(d->ds);
  if (rc != HICOV_OK)
    return hicov_check_status(hicov_state_from_type(Py_TYPE(self)), rc,
                              d->ds);
  d->shared++;
  return 0;
}

void
hicov_dataset_unshare(PyObject *self)
{
  ((DatasetObject *)self)->shared--;
}

void
hicov_dataset_exclusive(PyObject *self)
{
  DatasetObject *d = (DatasetObject *)self;
  while (d->shared > 0 || scoped_elsewhere(d))
    pause_without_gil();
}

void
hicov_dataset_scope_wait(PyObject *self)
{
  wait_scope((DatasetObject *)self);
}

void
hicov_dataset_scope_begin(PyObject *self)
{
  DatasetObject *d = (DatasetObject *)self;
  if (d->scoped && !scoped_elsewhere(d)) {
    d->scoped++; /* a call inside this thread's scoped call */
    return;
  }
  while (d->waiting > 0) /* the queries that waited for the last scope */
    pause_without_gil();
  hicov_dataset_exclusive(self);
  d->scoped = 1;
  d->scope_owner = PyThread_get_thread_ident();
}

void
hicov_dataset_scope_end(PyObject *self)
{
  ((DatasetObject *)self)->scoped--;
}
