/* report-atomic.c - atomic file replacement for every file hicov writes.
 *
 * The data goes to a temporary file in the destination's folder, so that
 * the final rename(2) stays on one file system and is atomic: a reader sees
 * either the old file or the complete new one, and a failure at any point
 * (full disk, I/O error, crash) leaves the old file as it was.
 *
 * - The temporary file is created unnamed (O_TMPFILE) where the file system
 *   allows, and only linked under a name just before the rename: a process
 *   killed with SIGKILL while writing leaves nothing behind. Elsewhere it is
 *   a named file from mkstemp.
 * - While a temporary file has a name it is listed, so that a signal
 *   handler can remove it (hicov_remove_temporary_files).
 * - A destination that is a symbolic link is followed: the file it points
 *   to is replaced and the link stays, as editors do; the new file keeps
 *   the mode of the file it replaces.
 * - A destination that exists and is not a regular file (a folder, a FIFO,
 *   a device) is refused, and so is a read-only file unless forced.
 * - After the rename the folder is synced, so that the new name survives a
 *   power cut. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report-private.h"

/* Test hooks: fail once this many bytes were written (-1: never); do not
 * use O_TMPFILE. */
static long fail_write_after = -1;
static int no_tmpfile;

void hicov_report_debug_fail_write_after(long bytes)
{
  fail_write_after = bytes;
}

void report_debug_no_tmpfile(int on)
{
  no_tmpfile = on;
}

/* ---- Named temporary files, for the signal handler ----------------------
 * A fixed table, so that hicov_remove_temporary_files needs no lock and no
 * allocation (both are unsafe in a signal handler). A slot is free (0),
 * being filled (1) or holds a path (2). */
#define TEMP_SLOTS 32
static struct {
  atomic_int state;
  char path[PATH_MAX];
} temp_slots[TEMP_SLOTS];

int report_temp_register(const char *path)
{
  if (strlen(path) >= PATH_MAX)
    return -1;
  for (int i = 0; i < TEMP_SLOTS; i++) {
    int expect = 0;
    if (atomic_compare_exchange_strong(&temp_slots[i].state, &expect, 1)) {
      strcpy(temp_slots[i].path, path);
      atomic_store(&temp_slots[i].state, 2);
      return i;
    }
  }
  return -1; /* table full: the file is still removed on every error */
}

void report_temp_unregister(int slot)
{
  if (slot >= 0)
    atomic_store(&temp_slots[slot].state, 0);
}

void hicov_remove_temporary_files(void)
{
  for (int i = 0; i < TEMP_SLOTS; i++)
    if (atomic_load(&temp_slots[i].state) == 2)
      unlink(temp_slots[i].path); /* async-signal-safe */
  /* then the folders (hicov_dataset_save's), emptied by the first pass */
  for (int i = 0; i < TEMP_SLOTS; i++)
    if (atomic_load(&temp_slots[i].state) == 2)
      rmdir(temp_slots[i].path);
}

/* ---- Writing ------------------------------------------------------------ */

/* base: the bytes of the file written before p (by earlier calls of a
 * stream), so that the test hook counts from the start of the file. */
static int write_all(int fd, const char *p, size_t len, size_t base)
{
  size_t done = 0;
  while (done < len) {
    size_t chunk = len - done > 65536 ? 65536 : len - done;
    if (fail_write_after >= 0) {
      if ((size_t)fail_write_after <= base + done) {
        errno = ENOSPC;
        return -1;
      }
      /* Write what the hook allows, then fail like a full disk. */
      if (base + done + chunk > (size_t)fail_write_after)
        chunk = (size_t)fail_write_after - base - done;
    }
    ssize_t w = write(fd, p + done, chunk);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    done += (size_t)w;
  }
  return 0;
}

typedef struct {
  const char *path;  /* as the caller named it, for messages */
  char *target;      /* the file to replace (a link followed) */
  char *dir;         /* its folder */
  char *tmp;         /* the temporary file's name, once it has one */
  int dirfd, fd, slot;
  int unnamed;       /* opened with O_TMPFILE: no name until atomic_link */
  int named;         /* a.tmp exists on disk and must go on failure */
  const char *lang;  /* of the messages: "vi", "en", NULL the process's */
  char *err;
  size_t err_size;
} Atomic;

static int atomic_fail(Atomic *a, int rc, const char *fmt, ...)
  HICOV_PRINTF(3, 4);
static int atomic_fail(Atomic *a, int rc, const char *fmt, ...)
{
  if (a->err && a->err_size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->err, a->err_size, fmt, ap);
    va_end(ap);
    hicov_utf8_trim(a->err); /* Vietnamese is longer: no half character */
  }
  return rc;
}

/* Finds the file to replace and its folder; refuses what must not be
 * replaced. *mode gets the mode the new file takes. */
static int atomic_target(Atomic *a, unsigned flags, mode_t *mode)
{
  struct stat st;
  *mode = 0644; /* umask(2) cannot be read without a race with threads */
  if (lstat(a->path, &st) == 0 && S_ISLNK(st.st_mode)) {
    a->target = report_malloc(PATH_MAX);
    if (!a->target)
      return HICOV_NOMEM;
    if (!realpath(a->path, a->target))
      return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: a symbolic link to a "
                         "file that cannot be reached: %s"), a->path,
                         strerror(errno));
  } else {
    a->target = report_strdup(a->path);
    if (!a->target)
      return HICOV_NOMEM;
  }
  if (stat(a->target, &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: not a regular file (a "
                         "folder, FIFO or device): refusing to replace it"),
                         a->path);
    if (!(st.st_mode & 0222) && !(flags & REPORT_WRITE_FORCE))
      return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: the file is read-only: "
                         "refusing to replace it (make it writable, or force "
                         "the output)"), a->path);
    *mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    return atomic_fail(a, HICOV_IO, "%s: %s", a->path, strerror(errno));
  }
  const char *slash = strrchr(a->target, '/');
  a->dir = slash ? hicov_strndup(a->target, (size_t)(slash - a->target) + 1)
                 : report_strdup(".");
  if (!a->dir)
    return HICOV_NOMEM;
  a->dirfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (a->dirfd < 0)
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot open its folder: "
                       "%s"), a->path, strerror(errno));
  return HICOV_OK;
}

/* A temporary name in the target's folder: "<target>.tmp-XXXXXX". */
static int temp_name(Atomic *a)
{
  size_t n = strlen(a->target);
  a->tmp = report_malloc(n + 16);
  if (!a->tmp)
    return HICOV_NOMEM;
  memcpy(a->tmp, a->target, n);
  memcpy(a->tmp + n, ".tmp-XXXXXX", 12);
  return HICOV_OK;
}

/* Opens the temporary file: unnamed where O_TMPFILE works, else named by
 * mkstemp and listed for the signal handler. */
static int atomic_open(Atomic *a, mode_t mode)
{
  int rc = temp_name(a);
  if (rc)
    return rc;
#ifdef O_TMPFILE
  if (!no_tmpfile) {
    a->fd = openat(a->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (a->fd >= 0) {
      a->unnamed = 1;
      (void)fchmod(a->fd, mode);
      return HICOV_OK;
    }
  }
#endif
  a->fd = mkostemp(a->tmp, O_CLOEXEC);
  if (a->fd < 0)
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot create a "
                       "temporary file in its folder: %s"), a->path,
                       strerror(errno));
  a->named = 1;
  a->slot = report_temp_register(a->tmp);
  (void)fchmod(a->fd, mode);
  return HICOV_OK;
}

/* Gives an unnamed temporary file its name, just before the rename. */
static int atomic_link(Atomic *a)
{
  if (!a->unnamed)
    return 0; /* named by mkstemp */
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", a->fd);
  size_t n = strlen(a->tmp);
  for (int tries = 0; tries < 100; tries++) {
    /* a fresh random suffix on each try; the table lists it first */
    unsigned long r = (unsigned long)random() ^ (unsigned long)time(NULL) ^
                      ((unsigned long)tries << 20);
    snprintf(a->tmp + n - 6, 7, "%06lx", r & 0xffffff);
    a->slot = report_temp_register(a->tmp);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, a->tmp, AT_SYMLINK_FOLLOW) == 0) {
      a->unnamed = 0;
      a->named = 1;
      return 0;
    }
    int e = errno;
    report_temp_unregister(a->slot);
    a->slot = -1;
    if (e != EEXIST) {
      errno = e;
      return -1;
    }
  }
  errno = EEXIST;
  return -1;
}

enum { STEP_WRITE, STEP_FLUSH, STEP_NAME, STEP_CLOSE, STEP_RENAME };

/* The failure of a step after the temporary file was opened (errno). */
static int step_fail(Atomic *a, int step)
{
  const char *why = strerror(errno);
  switch (step) {
  case STEP_WRITE:
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot write the "
                       "temporary file: %s"), a->path, why);
  case STEP_FLUSH:
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot flush the "
                       "temporary file: %s"), a->path, why);
  case STEP_NAME:
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot name the "
                       "temporary file: %s"), a->path, why);
  case STEP_CLOSE:
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot close the "
                       "temporary file: %s"), a->path, why);
  default:
    return atomic_fail(a, HICOV_IO, T_(a->lang, "%s: cannot rename the "
                       "temporary file into place: %s"), a->path, why);
  }
}

/* Writes data to the temporary file of a (found and opened by the
 * caller) and syncs it. */
static int atomic_fill(Atomic *a, const void *data, size_t len)
{
  if (write_all(a->fd, data, len, 0) != 0)
    return step_fail(a, STEP_WRITE);
  if (fsync(a->fd) != 0)
    return step_fail(a, STEP_FLUSH);
  return HICOV_OK;
}

/* Names the temporary file (if it has no name yet) and closes it: the
 * last step before the rename. */
static int atomic_ready(Atomic *a)
{
  if (atomic_link(a) != 0)
    return step_fail(a, STEP_NAME);
  int fd = a->fd;
  a->fd = -1;
  if (close(fd) != 0)
    return step_fail(a, STEP_CLOSE);
  return HICOV_OK;
}

static int atomic_rename(Atomic *a)
{
  if (rename(a->tmp, a->target) != 0)
    return step_fail(a, STEP_RENAME);
  a->named = 0; /* the name is the target's now */
  /* the new directory entry survives a power cut only once the folder is
   * synced; a failure here cannot be undone, so it is not an error */
  (void)fsync(a->dirfd);
  return HICOV_OK;
}

/* Removes what is left of a write: the temporary file if it still has a
 * name, the descriptors, the memory. */
static void atomic_clear(Atomic *a)
{
  if (a->fd >= 0)
    close(a->fd);
  if (a->named)
    unlink(a->tmp);
  report_temp_unregister(a->slot);
  if (a->dirfd >= 0)
    close(a->dirfd);
  report_free(a->tmp);
  report_free(a->dir);
  report_free(a->target);
  a->fd = a->dirfd = a->slot = -1;
  a->named = 0;
  a->tmp = a->dir = a->target = NULL;
}

/* Finds the file, opens its temporary file and fills it. */
static int atomic_prepare(Atomic *a, const void *data, size_t len,
                          unsigned flags)
{
  mode_t mode;
  int rc = atomic_target(a, flags, &mode);
  if (!rc)
    rc = atomic_open(a, mode);
  if (!rc)
    rc = atomic_fill(a, data, len);
  return rc;
}

int report_write_atomic_flags(const char *path, const void *data,
                              size_t len, unsigned flags, const char *lang,
                              char *err, size_t err_size)
{
  if (!path || !*path || (!data && len)) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s", T_(lang, "no output path given"));
    return HICOV_INVALID;
  }
  Atomic a = { .path = path, .dirfd = -1, .fd = -1, .slot = -1,
               .lang = lang, .err = err, .err_size = err_size };
  int rc = atomic_prepare(&a, data, len, flags);
  if (!rc)
    rc = atomic_ready(&a);
  if (!rc)
    rc = atomic_rename(&a);
  atomic_clear(&a);
  return rc;
}

/* ---- A file written in pieces ------------------------------------------ */

struct ReportAtomicStream {
  Atomic a;
  size_t written;
  int failed;
};

int report_atomic_stream_open(ReportAtomicStream **out, const char *path,
                              unsigned flags, const char *lang, char *err,
                              size_t err_size)
{
  *out = NULL;
  if (!path || !*path) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s", T_(lang, "no output path given"));
    return HICOV_INVALID;
  }
  ReportAtomicStream *s = report_calloc(1, sizeof *s);
  if (!s)
    return HICOV_NOMEM;
  s->a = (Atomic){ .path = path, .dirfd = -1, .fd = -1, .slot = -1,
                   .lang = lang, .err = err, .err_size = err_size };
  mode_t mode;
  int rc = atomic_target(&s->a, flags, &mode);
  if (!rc)
    rc = atomic_open(&s->a, mode);
  if (rc) {
    atomic_clear(&s->a);
    report_free(s);
    return rc;
  }
  *out = s;
  return HICOV_OK;
}

int report_atomic_stream_write(ReportAtomicStream *s, const void *data,
                               size_t len)
{
  if (s->failed)
    return HICOV_IO;
  if (write_all(s->a.fd, data, len, s->written) != 0) {
    s->failed = 1;
    return step_fail(&s->a, STEP_WRITE);
  }
  s->written += len;
  return HICOV_OK;
}

int report_atomic_stream_close(ReportAtomicStream *s, int commit)
{
  if (!s)
    return HICOV_OK;
  int rc = s->failed ? HICOV_IO : HICOV_OK;
  if (commit && !rc) {
    if (fsync(s->a.fd) != 0)
      rc = step_fail(&s->a, STEP_FLUSH);
    if (!rc)
      rc = atomic_ready(&s->a);
    if (!rc)
      rc = atomic_rename(&s->a);
  }
  atomic_clear(&s->a);
  report_free(s);
  return rc;
}

/* The flags of writes that give none (report_write_default_flags). */
static _Atomic unsigned default_flags;

/* ---- A set of files written together ------------------------------------ */

struct HicovFileSet {
  Atomic *files;
  char **paths;        /* the paths as given, owned */
  size_t n, cap;
  int committed;
  char errmsg[600];
};

int hicov_file_set_new(HicovFileSet **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = report_calloc(1, sizeof **out);
  return *out ? HICOV_OK : HICOV_NOMEM;
}

const char *hicov_file_set_errmsg(const HicovFileSet *set)
{
  return set ? set->errmsg : "";
}

int hicov_file_set_add(HicovFileSet *set, const char *path, const void *data,
                       size_t len)
{
  if (!set || !path || !*path || (!data && len) || set->committed)
    return HICOV_INVALID;
  for (size_t i = 0; i < set->n; i++)
    if (!strcmp(set->paths[i], path)) {
      hicov_fmt(set->errmsg, sizeof set->errmsg,
                T_(NULL, "%s: given twice"), path);
      return HICOV_INVALID;
    }
  size_t cap = set->cap;
  if (hicov_grow((void **)&set->files, &cap, set->n + 1, sizeof *set->files))
    return HICOV_NOMEM;
  if (hicov_grow((void **)&set->paths, &set->cap, set->n + 1,
                 sizeof *set->paths))
    return HICOV_NOMEM;
  char *copy = report_strdup(path);
  if (!copy)
    return HICOV_NOMEM;
  Atomic *a = &set->files[set->n];
  *a = (Atomic){ .path = copy, .dirfd = -1, .fd = -1, .slot = -1,
                 .err = set->errmsg, .err_size = sizeof set->errmsg };
  int rc = atomic_prepare(a, data, len, default_flags);
  if (rc) {
    atomic_clear(a);
    report_free(copy);
    return rc;
  }
  set->paths[set->n++] = copy;
  return HICOV_OK;
}

int hicov_file_set_commit(HicovFileSet *set)
{
  if (!set || set->committed)
    return HICOV_INVALID;
  /* No catchable signal between the first rename and the last: an
   * interrupt waits until the set is whole (SIGKILL alone cannot). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int rc = HICOV_OK;
  for (size_t i = 0; i < set->n && !rc; i++)
    rc = atomic_ready(&set->files[i]);
  size_t done = 0;
  for (; !rc && done < set->n; done++)
    rc = atomic_rename(&set->files[done]);
  if (rc && done > 1) {
    size_t len = strlen(set->errmsg);
    snprintf(set->errmsg + len, sizeof set->errmsg - len,
             T_(NULL, " (%zu of the %zu files were already in place)"), done - 1,
             set->n);
  }
  for (size_t i = 0; i < set->n; i++)
    atomic_clear(&set->files[i]);
  set->committed = 1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void hicov_file_set_free(HicovFileSet *set)
{
  if (!set)
    return;
  for (size_t i = 0; i < set->n; i++) {
    if (!set->committed)
      atomic_clear(&set->files[i]);
    report_free(set->paths[i]);
  }
  report_free(set->files);
  report_free(set->paths);
  report_free(set);
}

void report_write_default_flags(unsigned flags)
{
  default_flags = flags;
}

int report_write_atomic(const char *path, const void *data, size_t len,
                        char *err, size_t err_size)
{
  return report_write_atomic_flags(path, data, len, default_flags, NULL, err,
                                   err_size);
}
