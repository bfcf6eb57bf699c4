/* claims-window.c - the bytes of an input that a part reads.  A file is
 * never mapped: a mapped file that shrinks while it is read (an export
 * being rewritten, a network share) kills the process with SIGBUS.  It is
 * read with pread() into the worker's buffer instead: whole when small,
 * else through a window that slides at record boundaries and grows in
 * place for whatever does not fit, up to CLAIMS_SPAN_MAX.  A read that
 * comes back short fails the file at once; a file whose size or time has
 * changed by the end fails it then (claims_input_changed). */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims-read-private.h"

/* A window holds this much (a chunk and a little of the next: a chunk's
 * parse is one read); it slides when less than claims_win_low is left
 * ahead of a record boundary, and grows by at least win_step (or its size)
 * for a record that does not fit.  Files up to whole_max are read whole. */
#define WIN_FILL (CHUNK_BYTES + (64u << 10))
size_t claims_win_fill = WIN_FILL;
static size_t win_step = 64u << 10;
static size_t whole_max = 16u << 20;
size_t claims_win_low = 64u << 10;

void claims_debug_window(size_t bytes)
{
  if (!bytes) {
    claims_win_fill = WIN_FILL;
    win_step = 64u << 10;
    whole_max = 16u << 20;
    claims_win_low = 64u << 10;
    return;
  }
  claims_win_fill = bytes;
  win_step = bytes / 4 ? bytes / 4 : 1;
  whole_max = bytes;
  claims_win_low = bytes / 4 ? bytes / 4 : 1;
}

size_t claims_whole_max(void)
{
  return whole_max;
}

/* What the reader read and searched for chunk starts (test counters). */
_Atomic uint64_t claims_bytes_read, claims_bytes_searched;

void claims_debug_counters(uint64_t *read, uint64_t *searched)
{
  *read = atomic_exchange(&claims_bytes_read, 0);
  *searched = atomic_exchange(&claims_bytes_searched, 0);
}

static void (*read_hook)(size_t off, void *arg);
static void *read_hook_arg;

void claims_debug_read_hook(void (*fn)(size_t off, void *arg), void *arg)
{
  read_hook = fn;
  read_hook_arg = arg;
}

/* The reservation: the longest span, the window's own size and a margin
 * for the step that finds it too long. */
#define WB_RESERVE (CLAIMS_SPAN_MAX + ((size_t)8 << 20))

/* ------------------------------------------------------------------------ */
/* Inputs                                                                    */

static const char *file_kind(mode_t m)
{
  return S_ISDIR(m) ? N_("a folder")
       : S_ISFIFO(m) ? N_("a FIFO (named pipe)")
       : S_ISCHR(m) ? N_("a character device")
       : S_ISBLK(m) ? N_("a block device")
       : S_ISSOCK(m) ? N_("a socket") : N_("not a regular file");
}

int claims_input_open(const char *path, const char *lang, Input *in, char *err,
                      size_t esize)
{
  memset(in, 0, sizeof *in);
  /* O_NONBLOCK: opening a FIFO without a writer would wait forever */
  in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (in->fd < 0) {
    hicov_fmt(err, esize, T_(lang, "%s: cannot open: %s"), path,
              strerror(errno));
    return HICOV_IO;
  }
  struct stat st;
  if (fstat(in->fd, &st)) {
    hicov_fmt(err, esize, T_(lang, "%s: cannot read: %s"), path,
              strerror(errno));
    close(in->fd);
    in->fd = -1;
    return HICOV_IO;
  }
  if (!S_ISREG(st.st_mode)) {
    hicov_fmt(err, esize, T_(lang, "%s: %s, not a regular file: refused"),
              path, hicov_text(lang, file_kind(st.st_mode)));
    close(in->fd);
    in->fd = -1;
    return HICOV_IO;
  }
  int fl = fcntl(in->fd, F_GETFL);
  if (fl >= 0)
    fcntl(in->fd, F_SETFL, fl & ~O_NONBLOCK);
  in->size = (uint64_t)st.st_size;
  in->dev = (uint64_t)st.st_dev;
  in->ino = (uint64_t)st.st_ino;
  in->mtime_s = (int64_t)st.st_mtim.tv_sec;
  in->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
  return HICOV_OK;
}

void claims_input_close(Input *in)
{
  if (in->fd >= 0)
    close(in->fd);
  in->fd = -1;
}

int claims_input_changed(const Input *in, const char *lang, const char *name,
                         char *err, size_t esize)
{
  struct stat st;
  if (fstat(in->fd, &st)) {
    hicov_fmt(err, esize, T_(lang, "%s: cannot read: %s"), name,
              strerror(errno));
    return 1;
  }
  if ((uint64_t)st.st_size != in->size) {
    hicov_fmt(err, esize, T_(lang, "%s: the file changed while it was read "
              "(%llu bytes when opened, %llu now): read it again once it is "
              "complete"), name, (unsigned long long)in->size,
              (unsigned long long)st.st_size);
    return 1;
  }
  if ((int64_t)st.st_mtim.tv_sec != in->mtime_s ||
      (int64_t)st.st_mtim.tv_nsec != in->mtime_ns) {
    hicov_fmt(err, esize, T_(lang, "%s: the file was modified while it was "
              "read: read it again once it is complete"), name);
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The buffer                                                                */

void claims_winbuf_free(WinBuf *wb)
{
  if (wb->mem)
    munmap(wb->mem, WB_RESERVE);
  wb->mem = NULL;
  wb->rw = 0;
}

/* Makes the first n bytes of wb usable. */
static int winbuf_room(WinBuf *wb, size_t n)
{
  if (!wb->mem) {
    void *m = mmap(NULL, WB_RESERVE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
      return HICOV_NOMEM;
    wb->mem = m;
    wb->rw = 0;
  }
  if (n <= wb->rw)
    return HICOV_OK;
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  /* in steps of a quarter (at least 64 KB): few calls while a span grows */
  size_t want = wb->rw + wb->rw / 4;
  if (want < n)
    want = n;
  want = (want + (64u << 10) - 1) & ~(size_t)((64u << 10) - 1);
  want = (want + pg - 1) & ~(pg - 1);
  if (want > WB_RESERVE)
    want = WB_RESERVE;
  if (mprotect(wb->mem + wb->rw, want - wb->rw, PROT_READ | PROT_WRITE))
    return HICOV_NOMEM;
  wb->rw = want;
  return HICOV_OK;
}

/* After a long span: the memory past what the window needs goes back. */
static void winbuf_trim(WinBuf *wb, size_t keep)
{
  size_t floor = 2 * (claims_win_fill > whole_max ? claims_win_fill
                                                   : whole_max);
  if (wb->rw <= floor || keep > wb->rw / 4)
    return;
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  size_t at = (floor + pg - 1) & ~(pg - 1);
  if (at < keep)
    return;
  madvise(wb->mem + at, wb->rw - at, MADV_DONTNEED);
  if (!mprotect(wb->mem + at, wb->rw - at, PROT_NONE))
    wb->rw = at;
}

/* ------------------------------------------------------------------------ */
/* The window                                                                */

/* Reads the input on until the window ends at `to` (capped at the input's
 * end). */
static int read_to(Part *pt, size_t to)
{
  if (to > pt->size)
    to = pt->size;
  size_t end = pt->off + pt->avail;
  if (to <= end) {
    pt->eof = end >= pt->size;
    return HICOV_OK;
  }
  if (to - pt->off > CLAIMS_SPAN_MAX) {
    if (end - pt->off >= CLAIMS_SPAN_MAX) {
      hicov_fmt(pt->why, sizeof pt->why, T_(pt->c->lang, "more than %zu MB "
                "from byte %zu without a place to stop between two records "
                "(a record, or markup, that long?): hicov reads records up "
                "to %zu MB"),
                CLAIMS_SPAN_MAX >> 20, pt->off, CLAIMS_SPAN_MAX >> 20);
      return HICOV_LIMIT;
    }
    to = pt->off + CLAIMS_SPAN_MAX; /* up to the limit first */
  }
  int rc = winbuf_room(pt->wb, to - pt->off);
  if (rc) {
    hicov_fmt(pt->why, sizeof pt->why, "%s", T_(pt->c->lang, "out of memory"));
    return rc;
  }
  char *dst = pt->wb->mem + pt->avail;
  size_t want = to - end, got = 0;
  if (read_hook)
    read_hook(end, read_hook_arg);
  while (got < want) {
    ssize_t n = pread(pt->in->fd, dst + got, want - got, (off_t)(end + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      hicov_fmt(pt->why, sizeof pt->why, T_(pt->c->lang, "cannot read at byte "
                "%zu: %s"),
                end + got, strerror(errno));
      pt->avail += got;
      return HICOV_IO;
    }
    if (n == 0) {
      pt->avail += got;
      hicov_fmt(pt->why, sizeof pt->why, T_(pt->c->lang, "the file changed "
                "while it was read: it ends at byte %zu, it had %zu bytes when "
                "opened (read it again once it is complete)"), end + got,
                pt->size);
      return HICOV_IO;
    }
    got += (size_t)n;
  }
  pt->avail += got;
  pt->base = pt->wb->mem;
  pt->eof = pt->off + pt->avail >= pt->size;
  atomic_fetch_add_explicit(&claims_bytes_read, got, memory_order_relaxed);
  return HICOV_OK;
}

int claims_part_load(Part *pt, size_t from, int whole)
{
  if (!pt->in) /* a buffer: all of it is there */
    return HICOV_OK;
  pt->base = pt->wb->mem;
  pt->off = from < pt->size ? from : pt->size;
  pt->avail = 0;
  pt->eof = pt->off >= pt->size;
  return read_to(pt, whole ? pt->size : pt->off + claims_win_fill);
}

int claims_part_more(Part *pt, size_t need)
{
  if (pt->eof)
    return HICOV_OK;
  size_t end = pt->off + pt->avail;
  size_t to = end + (pt->avail > win_step ? pt->avail : win_step);
  if (need > to)
    to = need;
  return read_to(pt, to);
}

/* Before the window drops what lies before keep: the starts of the chunks
 * there that a bound may still want are found while it holds them, and
 * kept (pt->starts).  A stop not yet found wants its chunk's and later
 * ones; the marks want theirs, and the next ones once it is passed (a
 * serial read passes marks between records deeper than a TONG_HOP list,
 * where it does not commit). */
static int settle_bounds(Part *pt, size_t keep)
{
  size_t cb = claims_chunk_size();
  if (!pt->size)
    return HICOV_OK;
  size_t last = (pt->size - 1) / cb, from = (size_t)-1;
  if (!pt->stop.resolved)
    from = pt->stop.k;
  if (pt->mark.at != (size_t)-1 || !pt->mark.resolved) {
    size_t k = pt->mark.resolved ? pt->mark.k + 1 : pt->mark.k;
    from = k < from ? k : from;
  }
  if (from < pt->memo_k)
    from = pt->memo_k;
  if (from > last || from * cb >= keep)
    return HICOV_OK;
  if (!pt->starts) {
    pt->own_starts = hicov_calloc(last + 2, sizeof *pt->own_starts);
    if (!pt->own_starts) {
      hicov_fmt(pt->why, sizeof pt->why, "%s",
                T_(pt->c->lang, "out of memory"));
      return HICOV_NOMEM;
    }
    pt->starts = pt->own_starts;
  }
  for (size_t k = from; k <= last && k * cb < keep; k++) {
    size_t s;
    int rc = claims_region_start(pt, k, &s);
    if (rc)
      return rc;
    pt->memo_k = k + 1;
  }
  return HICOV_OK;
}

int claims_part_slide(Part *pt, size_t keep)
{
  if (!pt->in || pt->eof || keep <= pt->off)
    return pt->in && !pt->eof ? claims_part_more(pt, 0) : HICOV_OK;
  int rc = settle_bounds(pt, keep);
  if (rc)
    return rc;
  size_t drop = keep - pt->off;
  if (drop > pt->avail)
    drop = pt->avail;
  memmove(pt->wb->mem, pt->wb->mem + drop, pt->avail - drop);
  pt->off += drop;
  pt->avail -= drop;
  winbuf_trim(pt->wb, pt->avail + claims_win_fill);
  return read_to(pt, pt->off + claims_win_fill);
}

/* ------------------------------------------------------------------------ */
/* Positions for messages                                                    */

void claims_part_line_col(const Part *pt, size_t off, long *line, long *col)
{
  long l = 1;
  size_t ls = 0; /* where the line starts */
  if (!pt->in || pt->off == 0) {
    const char *d = pt->base, *p = d, *e = d + (off < pt->avail ? off : pt->avail);
    while ((p = memchr(p, '\n', (size_t)(e - p)))) {
      l++;
      p++;
      ls = (size_t)(p - d);
    }
  } else {
    /* the window no longer holds the start: read the file again */
    char buf[65536];
    size_t at = 0;
    while (at < off) {
      size_t want = off - at < sizeof buf ? off - at : sizeof buf;
      ssize_t n = pread(pt->in->fd, buf, want, (off_t)at);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      const char *p = buf, *e = buf + n;
      while ((p = memchr(p, '\n', (size_t)(e - p)))) {
        l++;
        p++;
        ls = at + (size_t)(p - buf);
      }
      at += (size_t)n;
    }
  }
  *line = l;
  *col = (long)(off - ls) + 1;
}
