/* threads.c - one dataset shared by several Python threads.
 *
 * The core lets queries run on one dataset in several threads at once once
 * hicov_dataset_prepare_queries has done their lazy work, and wants changes
 * alone (hicov-core.h, "Threads").  A DatasetObject counts the calls that
 * run on it without the GIL: `shared` queries, or one `writing` change (a
 * report, which sets the dataset's language while it builds).  Everything
 * here runs with the GIL held, so the counts need no lock of their own: a
 * call that must wait gives the GIL up while it waits. */
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

int
hicov_dataset_share(PyObject *self)
{
  DatasetObject *d = (DatasetObject *)self;
  while (d->writing)
    pause_without_gil();
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
  while (d->shared > 0 || d->writing)
    pause_without_gil();
}

void
hicov_dataset_write_begin(PyObject *self)
{
  hicov_dataset_exclusive(self);
  ((DatasetObject *)self)->writing = 1;
}

void
hicov_dataset_write_end(PyObject *self)
{
  ((DatasetObject *)self)->writing = 0;
}
