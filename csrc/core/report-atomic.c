/* report-atomic.c - atomic file replacement for reports and resolutions.
 *
 * The data goes to a temporary file created (mkstemp) in the destination's
 * folder, so that the final rename(2) stays on one file system and is
 * atomic: a reader sees either the old file or the complete new one, and a
 * failure at any point (full disk, I/O error, crash) leaves the old file as
 * it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report-private.h"

/* Test hook: fail once this many bytes were written (-1: never). */
static long fail_write_after = -1;

void hicov_report_debug_fail_write_after(long bytes)
{
  fail_write_after = bytes;
}

static int write_all(int fd, const char *p, size_t len)
{
  size_t done = 0;
  while (done < len) {
    size_t chunk = len - done > 65536 ? 65536 : len - done;
    if (fail_write_after >= 0) {
      if ((size_t)fail_write_after <= done) {
        errno = ENOSPC;
        return -1;
      }
      /* Write what the hook allows, then fail like a full disk. */
      if (done + chunk > (size_t)fail_write_after)
        chunk = (size_t)fail_write_after - done;
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

int report_write_atomic(const char *path, const void *data, size_t len,
                        char *err, size_t err_size)
{
  if (!path || !*path || (!data && len)) {
    if (err && err_size)
      snprintf(err, err_size, "no output path given");
    return HICOV_INVALID;
  }
  size_t plen = strlen(path);
  char *tmp = report_malloc(plen + 16);
  if (!tmp)
    return HICOV_NOMEM;
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp-XXXXXX", 12);

  int fd = mkstemp(tmp);
  if (fd < 0) {
    if (err && err_size)
      snprintf(err, err_size, "%s: cannot create a temporary file in its "
               "folder: %s", path, strerror(errno));
    report_free(tmp);
    return HICOV_IO;
  }
  /* mkstemp makes the file 0600: keep the mode of the file we replace,
   * else make an ordinary readable document (umask(2) cannot be read
   * without changing it, which would race with other threads). */
  struct stat st;
  (void)fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);

  const char *step = "write";
  if (write_all(fd, data, len) != 0)
    goto fail;
  step = "flush";
  if (fsync(fd) != 0)
    goto fail;
  step = "close";
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  step = "rename";
  if (rename(tmp, path) != 0)
    goto fail;
  report_free(tmp);
  return HICOV_OK;

fail:
  if (err && err_size)
    snprintf(err, err_size, "%s: cannot %s %s: %s", path, step,
             fd >= 0 || !strcmp(step, "close") ? "the temporary file" :
             "the temporary file into place", strerror(errno));
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  report_free(tmp);
  return HICOV_IO;
}
