/* claims-part.c - a part: one file, or one slice of a split file, read by
 * one thread.  Its window of validated records is committed at the same
 * places whether the file is read serially or in chunks by several threads
 * (so that both give the same messages in the same order): the chunk
 * starts, each found in its own chunk (so that no search runs on through
 * the rest of a file that has none); its progress goes to the run.  The
 * bytes it reads are in claims-window.c. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims-read-private.h"

/* files at least this big are split between threads (tests lower it) */
static size_t split_min = 32u << 20;

void claims_debug_split_min(size_t bytes)
{
  split_min = bytes;
}

size_t claims_split_min(void)
{
  return split_min;
}

/* A big file is parsed in chunks of this size (tests: smaller, down to
 * 256 bytes: a few records, and the fuzzers' inputs in a few chunks). */
size_t claims_chunk_size(void)
{
  return split_min < 256 ? 256 : split_min < CHUNK_BYTES ? split_min : CHUNK_BYTES;
}

int claims_part_init(Part *pt, HicovClaims *c, const char *file,
                     RunShared *run)
{
  memset(pt, 0, sizeof *pt);
  pt->c = c;
  pt->file = file;
  pt->base = "";
  pt->eof = 1;
  pt->run = run;
  /* no stop, no marks: set once the form is known */
  pt->stop.at = pt->mark.at = (size_t)-1;
  pt->stop.resolved = pt->mark.resolved = 1;
  pt->stop_at = (size_t)-1;
  pt->next_flush = (size_t)-1;
  /* and a spare: the record read while the window is full (claims_part_slot) */
  pt->win = hicov_malloc((WINDOW + 1) * sizeof *pt->win);
  pt->arena = hicov_malloc(ARENA_SIZE);
  if (!pt->win || !pt->arena) {
    hicov_free(pt->win);
    hicov_free(pt->arena);
    return HICOV_NOMEM;
  }
  return HICOV_OK;
}

void claims_part_clear(Part *pt)
{
  hicov_free(pt->win);
  hicov_free(pt->arena);
  hicov_free(pt->inner);
  hicov_free(pt->b64);
  hicov_free(pt->pin);
  hicov_free((void *)pt->own_starts);
  if (pt->starts == pt->own_starts)
    pt->starts = NULL;
  pt->own_starts = NULL;
  pt->win = NULL;
  pt->arena = NULL;
  pt->inner = NULL;
  pt->b64 = NULL;
  pt->pin = NULL;
}

void claims_part_buffer(Part *pt, const char *data, size_t size)
{
  pt->in = NULL;
  pt->wb = NULL;
  pt->base = data;
  pt->off = 0;
  pt->avail = pt->size = size;
  pt->eof = 1;
}

void claims_part_input(Part *pt, Input *in, WinBuf *wb)
{
  pt->in = in;
  pt->wb = wb;
  pt->base = wb->mem ? wb->mem : "";
  pt->off = pt->avail = 0;
  pt->size = (size_t)in->size;
  pt->eof = !pt->size;
}

static int part_flush(Part *pt)
{
  size_t done;
  int rc = claims_commit(pt->c, pt->win, pt->n_win, pt->file, &done);
  pt->committed += (int64_t)done;
  if (rc) {
    /* the uncommitted rest is what claims_part_finish counts as rejected */
    memmove(pt->win, pt->win + done, (pt->n_win - done) * sizeof *pt->win);
    pt->n_win -= done;
    return rc;
  }
  pt->n_win = 0;
  return HICOV_OK;
}

/* The chunks of a file: chunk k starts at the first record start at or
 * after k * cb ("<TONG_HOP" followed by '>', '/' or a space; in CSV the
 * start of the line after the first newline at or after k * cb), or at
 * the end of the file; chunk 0 at the body (after the CSV header; the
 * start of an XML file).  Each chunk's start is searched for in the chunk
 * itself: a chunk that holds none starts where the next one does (it is
 * empty), so that a file without records, or with one huge record, is
 * searched once and not once per chunk.  A start found inside a comment or
 * a quoted field is not a record start: the chunk before it then stops at
 * the first record boundary after it, and the next chunk is read again
 * from there.  A serial read commits its window at the same boundaries
 * (claims_part_chunk_mark), so that one thread and several give the same
 * messages in the same order, and fail at the same point. */

/* The record start in d[0, n) within [from, to) (n: d's length, the
 * input's or the window's end; full: d reaches the input's end), or
 * REGION_NONE; *more = 1 when the answer needs bytes past n, the search
 * to go on from *from. */
static size_t start_in(const char *d, size_t n, int csv, size_t *from,
                       size_t to, int full, int *more)
{
  *more = 0;
  if (csv) {
    size_t lim = to < n ? to : n;
    const char *nl = lim > *from ? memchr(d + *from, '\n', lim - *from) : NULL;
    if (nl)
      return (size_t)(nl + 1 - d);
    *more = lim < to && !full;
    *from = lim;
    return REGION_NONE;
  }
  const char *p = d + *from;
  size_t lim = to + 9 < n ? to + 9 : n; /* a match starting before to */
  while (p < d + lim && (p = memmem(p, (size_t)(d + lim - p), "<TONG_HOP", 9))) {
    if ((size_t)(p - d) >= to)
      return REGION_NONE;
    if (p + 9 >= d + n) {
      *more = !full;
      *from = (size_t)(p - d);
      return REGION_NONE;
    }
    if (p[9] == '>' || p[9] == '/' || is_ws(p[9]))
      return (size_t)(p - d);
    p += 9;
  }
  *more = lim < to + 9 && !full;
  /* a match may begin in the last 8 bytes */
  *from = lim > *from + 8 ? lim - 8 : *from;
  return REGION_NONE;
}

int claims_region_start(Part *pt, size_t k, size_t *out)
{
  size_t cb = claims_chunk_size(), n = pt->size;
  size_t at = k * cb, to = at + cb;
  if (at < pt->bnd_body)
    at = pt->bnd_body;
  if (to > n)
    to = n;
  *out = REGION_NONE;
  if (at >= to)
    return HICOV_OK;
  size_t known = pt->starts ? atomic_load_explicit(&pt->starts[k],
                                                   memory_order_relaxed) : 0;
  if (known) {
    *out = known == (size_t)-1 ? REGION_NONE : known - 1;
    return HICOV_OK;
  }
  if (at < pt->off) {
    /* the window dropped the chunk already: a slip of the reader's, for
       claims_part_slide finds the starts it drops first */
    hicov_fmt(pt->why, sizeof pt->why, T_(pt->c->lang, "internal error: "
              "chunk %zu's start is no longer held"), k);
    return HICOV_ERROR;
  }
  size_t from = at - pt->off; /* in the window */
  for (;;) {
    int more;
    size_t f0 = from;
    size_t s = start_in(pt->base, pt->avail, pt->bnd_csv, &from, to - pt->off,
                        pt->eof, &more);
    atomic_fetch_add_explicit(&claims_bytes_searched,
                              (s == REGION_NONE ? from : s) - f0,
                              memory_order_relaxed);
    if (!more) {
      *out = s == REGION_NONE ? s : s + pt->off;
      if (pt->starts)
        atomic_store_explicit(&pt->starts[k], s == REGION_NONE ? (size_t)-1
                                                               : *out + 1,
                              memory_order_relaxed);
      return HICOV_OK;
    }
    int rc = claims_part_more(pt, pt->off + pt->avail + 1);
    if (rc)
      return rc;
  }
}

void claims_part_bounds(Part *pt, int csv, size_t body)
{
  pt->bnd_csv = csv;
  pt->bnd_body = body;
}

/* A bound at the start of chunk k, or none past the last chunk. */
static void bound_at(Bound *b, size_t k, size_t size)
{
  size_t cb = claims_chunk_size();
  b->k = k;
  if (!size || k > (size - 1) / cb) {
    b->at = (size_t)-1;
    b->resolved = 1;
  } else {
    b->at = k * cb;
    b->resolved = 0;
  }
}

int claims_bound_resolve(Part *pt, Bound *b, size_t pos)
{
  while (!b->resolved && b->at <= pos) {
    size_t s;
    int rc = claims_region_start(pt, b->k, &s);
    if (rc) {
      hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file, pt->why);
      return pt->status = rc;
    }
    if (s == REGION_NONE) {
      bound_at(b, b->k + 1, pt->size);
    } else {
      b->at = s;
      b->resolved = 1;
    }
  }
  return HICOV_OK;
}

void claims_part_stop_at_chunk(Part *pt, size_t k)
{
  bound_at(&pt->stop, k, pt->size);
  pt->stop_at = pt->stop.at;
}

int claims_part_stop(Part *pt, size_t pos, int *stop)
{
  int rc = claims_bound_resolve(pt, &pt->stop, pos);
  pt->stop_at = pt->stop.at;
  *stop = !rc && pt->stop.resolved && pt->stop.at <= pos;
  return rc;
}

/* The chunk starts of d[0, n) as a serial read finds them: where chunk k
 * starts, in chunks of cb (a test hook). */
size_t claims_debug_chunk_start(const char *d, size_t n, int csv, size_t body,
                                size_t cb, size_t k)
{
  if (k == 0)
    return csv ? body : 0;
  for (; k <= (n ? (n - 1) / cb : 0); k++) {
    size_t at = k * cb > body ? k * cb : body, to = k * cb + cb < n ? k * cb + cb : n;
    int more;
    size_t s = at < to ? start_in(d, n, csv, &at, to, 1, &more) : REGION_NONE;
    if (s != REGION_NONE)
      return s;
  }
  return n;
}

/* A chunk's record: kept, with a window mark where claims_part_push would
 * have flushed (so that commit interleaves messages as a serial read does). */
static int chunk_push(Part *pt, const ClaimsRec *r)
{
  ChunkBuf *b = pt->chunk;
  size_t last = b->n_bnd ? b->bnd_rec[b->n_bnd - 1] : 0;
  if (b->n - last == WINDOW) {
    if (hicov_grow((void **)&b->bnd_rec, &b->cap_bnd_rec, b->n_bnd + 1,
                   sizeof *b->bnd_rec) ||
        hicov_grow((void **)&b->bnd_msg, &b->cap_bnd_msg, b->n_bnd + 1,
                   sizeof *b->bnd_msg) ||
        hicov_grow((void **)&b->bnd_counts, &b->cap_bnd_counts, b->n_bnd + 1,
                   sizeof *b->bnd_counts))
      return HICOV_NOMEM;
    /* r, which makes the serial read commit the window, is counted read */
    b->bnd_counts[b->n_bnd] = pt->c->counts;
    b->bnd_rec[b->n_bnd] = b->n;
    b->bnd_msg[b->n_bnd++] = pt->c->n_msgs;
  }
  if (r != b->rec + b->n) { /* not validated in place (claims_part_slot) */
    if (hicov_grow((void **)&b->rec, &b->cap, b->n + 1, sizeof *b->rec))
      return HICOV_NOMEM;
    b->rec[b->n] = *r;
  }
  b->n++;
  return HICOV_OK;
}

/* A serial read commits its window where a chunk of a threaded read stops:
 * at the first line (CSV) or depth-1 token (XML) at or after each chunk
 * start, so that one thread and several give the same messages in the same
 * order. */
/* A commit failed with rc: when the accumulator's temporary files or
 * limits failed, not the input, the part reads on and counts (its records
 * are rejected with the file), so that the whole file is in read =
 * accepted + rejected; returns HICOV_OK then, else rc. */
static int part_dead(Part *pt, int rc)
{
  if (rc != HICOV_IO && rc != HICOV_LIMIT)
    return rc;
  if (!pt->dead) {
    pt->dead = rc;
    hicov_fmt(pt->dead_err, sizeof pt->dead_err, "%s: %s", pt->file,
              pt->c->errmsg[0] ? pt->c->errmsg : hicov_status_string(rc));
  }
  return HICOV_OK;
}

int claims_part_chunk_mark(Part *pt, size_t pos)
{
  int rc = claims_bound_resolve(pt, &pt->mark, pos);
  if (!rc && pt->mark.resolved && pt->mark.at <= pos) {
    /* past a chunk start: on to the first one after pos, then commit */
    do {
      bound_at(&pt->mark, pt->mark.k + 1, pt->size);
      rc = claims_bound_resolve(pt, &pt->mark, pos);
    } while (!rc && pt->mark.resolved && pt->mark.at <= pos);
    if (!rc && pt->n_win && !pt->dead)
      rc = part_dead(pt, part_flush(pt));
  }
  pt->next_flush = pt->mark.at;
  return rc;
}

/* A serial read of a CSV or plain XML file commits at chunk starts. */
void claims_part_marks(Part *pt)
{
  bound_at(&pt->mark, 1, pt->size);
  pt->next_flush = pt->mark.at;
}

ClaimsRec *claims_part_slot(Part *pt)
{
  if (pt->chunk) {
    ChunkBuf *b = pt->chunk;
    if (hicov_grow((void **)&b->rec, &b->cap, b->n + 1, sizeof *b->rec))
      return NULL;
    return b->rec + b->n;
  }
  return pt->win + pt->n_win; /* the spare when the window is full */
}

int claims_part_push(Part *pt, const ClaimsRec *r)
{
  if (pt->chunk)
    return chunk_push(pt, r);
  if (pt->dead) {
    pt->dropped++;
    return HICOV_OK;
  }
  if (pt->n_win == WINDOW) {
    int rc = part_flush(pt);
    if (rc) {
      pt->dropped++; /* read, not committed: rejected with the file */
      return part_dead(pt, rc);
    }
  }
  if (r != pt->win + pt->n_win)
    pt->win[pt->n_win] = *r; /* from elsewhere, or the spare after a flush */
  pt->n_win++;
  return HICOV_OK;
}

void claims_part_progress(Part *pt, size_t pos)
{
  if (pt->run && pos > pt->reported + (1u << 20)) {
    atomic_fetch_add(&pt->run->bytes_done, (int64_t)(pos - pt->reported));
    atomic_fetch_add(&pt->run->records, pt->read - pt->read_reported);
    pt->reported = pos;
    pt->read_reported = pt->read;
  }
}

/* Ends a part: commits the window on success; on failure counts the held
 * records as rejected and records the file error. */
int claims_part_finish(Part *pt, int rc)
{
  HicovClaims *c = pt->c;
  if (pt->dead && rc != HICOV_NOMEM) {
    /* the first failure is the file's, whatever the read found after */
    rc = pt->dead;
    memcpy(pt->err, pt->dead_err, sizeof pt->err);
  }
  if (!rc)
    rc = part_flush(pt);
  if (!rc)
    return HICOV_OK;
  if (rc == HICOV_NOMEM || !pt->err[0]) {
    if (!pt->err[0])
      hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file,
                rc == HICOV_NOMEM ? T_(c->lang, "out of memory")
                : c->errmsg[0] ? c->errmsg
                : hicov_text(c->lang, hicov_status_string(rc)));
  }
  int64_t held = (int64_t)pt->n_win + pt->pending + pt->dropped;
  pt->pending = pt->dropped = 0;
  c->counts.rejected += held;
  c->counts.rejected_by[HICOV_CLAIMS_REJECT_FILE] += held;
  pt->n_win = 0;
  c->counts.files_failed++;
  char tail[320] = "";
  if (held || pt->committed)
    hicov_fmt(tail, sizeof tail, hicov_ntext(c->lang, " (%lld record of the "
              "file rejected with it; %lld accepted before the error)",
              " (%lld records of the file rejected with it; %lld accepted "
              "before the error)", (unsigned long)held), (long long)held,
              (long long)pt->committed);
  claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, pt->file, "", "",
                 "%s%s", pt->err, tail);
  hicov_fmt(c->errmsg, sizeof c->errmsg, "%s%s", pt->err, tail);
  return rc;
}
