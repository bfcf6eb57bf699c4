/* claims-tmpfile.c - the accumulator's temporary files (duplicate keys,
 * patient triples and cells past their budgets): files without a name in
 * $TMPDIR (O_TMPFILE; where the file system has none, named by mkstemp
 * and unlinked at once), read and written whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-private.h"

/* Where the files are written: $TMPDIR, else /tmp. */
const char *claims_tmp_dir(void)
{
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

static int no_tmpfile;

void claims_debug_no_tmpfile(int on)
{
  no_tmpfile = on;
}

int claims_tmp_open(const char *what, int *fd)
{
  const char *dir = claims_tmp_dir();
#ifdef O_TMPFILE
  /* no name at all: a kill -9 cannot leave the file behind, even between
     its creation and an unlink */
  if (!no_tmpfile) {
    *fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (*fd >= 0)
      return 0;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      return -1; /* the folder is missing, full, not writable: say so */
  }
#endif
  char path[4096];
  hicov_fmt(path, sizeof path, "%s/hicov-%s-XXXXXX", dir, what);
  *fd = mkostemp(path, O_CLOEXEC);
  if (*fd < 0)
    return -1;
  unlink(path);
  return 0;
}

/* All of len bytes at off, or -1 with errno (EIO for a file shorter than
 * was written, ENOSPC for a write that makes no progress). */
int claims_io_all(int fd, void *buf, size_t len, uint64_t off, int write)
{
  size_t done = 0;
  while (done < len) {
    ssize_t k = write ? pwrite(fd, (char *)buf + done, len - done,
                               (off_t)(off + done))
                      : pread(fd, (char *)buf + done, len - done,
                              (off_t)(off + done));
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      if (k == 0)
        errno = write ? ENOSPC : EIO;
      return -1;
    }
    done += (size_t)k;
  }
  return 0;
}

void claims_tmp_error(char *buf, size_t size, const char *lang, int what,
                      int op, int err)
{
  /* what the file holds, inside the sentence */
  static const char *const of[] = {
    NC_("temporary file", "duplicate keys"), NC_("temporary file", "cells"),
    NC_("temporary file", "patient counts"),
  };
  const char *noun = hicov_text(lang, of[what]);
  const char *why = err ? strerror(err) : T_(lang, "disk full");
  switch (op) {
  case CLAIMS_TMP_CREATE:
    hicov_fmt(buf, size, T_(lang, "cannot create the temporary file of %s in "
              "%s: %s (set TMPDIR to a directory with room)"), noun,
              claims_tmp_dir(), why);
    break;
  case CLAIMS_TMP_WRITE:
    hicov_fmt(buf, size, T_(lang, "cannot write the temporary file of %s in "
              "%s: %s (set TMPDIR to a directory with room)"), noun,
              claims_tmp_dir(), why);
    break;
  default:
    hicov_fmt(buf, size, T_(lang, "cannot read the temporary file of %s in "
              "%s: %s (set TMPDIR to a directory with room)"), noun,
              claims_tmp_dir(), why);
  }
}
