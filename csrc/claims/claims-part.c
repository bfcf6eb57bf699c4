/* claims-part.c - a part: one file, or one slice of a split file, read by
 * one thread.  Its window of validated records is committed at the same
 * places whether the file is read serially or in chunks by several threads
 * (so that both give the same messages in the same order); its mapping is
 * prefaulted ahead of the reader and released behind it; its progress goes
 * to the run. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
                     const char *base, size_t size, int mapped, RunShared *run)
{
  memset(pt, 0, sizeof *pt);
  pt->c = c;
  pt->file = file;
  pt->base = base;
  pt->size = size;
  pt->mapped = mapped;
  pt->run = run;
  pt->stop_at = (size_t)-1;
  pt->next_flush = (size_t)-1; /* set by claims_part_marks once the form
                                  is known */
  pt->win = hicov_malloc(WINDOW * sizeof *pt->win);
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
  pt->win = NULL;
  pt->arena = NULL;
  pt->inner = NULL;
  pt->b64 = NULL;
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

/* Where chunk k of a file of n bytes starts, in chunks of cb: the first
 * record start at or after k * cb ("<TONG_HOP" followed by '>', '/' or a
 * space; in CSV the start of the line after the first newline at or after
 * k * cb), or n.  Chunk 0 starts at the body (after
 * the CSV header; the start of an XML file).  A start found inside a
 * comment or a quoted field is not a record start: the chunk before it
 * then stops at the first record boundary after it, and the next chunk is
 * read again from there.  A serial read commits its window at the same
 * boundaries (claims_part_chunk_mark), so that one thread and several give
 * the same messages in the same order, and fail at the same point. */
size_t claims_chunk_start_at(const char *d, size_t n, int csv, size_t body,
                             size_t cb, size_t k)
{
  if (k == 0)
    return csv ? body : 0;
  if (k > (n - 1) / cb)
    return n;
  size_t at = k * cb;
  if (at < body)
    at = body;
  if (at >= n)
    return n;
  if (csv) {
    /* the line after the first newline at or after at: looking at the
       byte before at would fault in the chunk before (see FOLIO_SPAN) */
    const char *nl = memchr(d + at, '\n', n - at);
    return nl ? (size_t)(nl + 1 - d) : n;
  }
  const char *p = d + at;
  while ((p = memmem(p, (size_t)(d + n - p), "<TONG_HOP", 9))) {
    if (p + 9 < d + n && (p[9] == '>' || p[9] == '/' || is_ws(p[9])))
      return (size_t)(p - d);
    p += 9;
  }
  return n;
}

size_t claims_debug_chunk_start(const char *d, size_t n, int csv, size_t body,
                                size_t cb, size_t k)
{
  return claims_chunk_start_at(d, n, csv, body, cb, k);
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
  if (hicov_grow((void **)&b->rec, &b->cap, b->n + 1, sizeof *b->rec))
    return HICOV_NOMEM;
  b->rec[b->n++] = *r;
  return HICOV_OK;
}

/* A serial read commits its window where a chunk of a threaded read stops:
 * at the first line (CSV) or depth-1 token (XML) at or after each chunk
 * start (claims_chunk_start_at), so that one thread and several give the
 * same messages in the same order. */
int claims_part_chunk_mark(Part *pt, size_t pos)
{
  if (pos < pt->next_flush)
    return HICOV_OK;
  size_t cb = claims_chunk_size();
  while (pt->next_flush <= pos && pt->next_flush < pt->size)
    pt->next_flush = claims_chunk_start_at(pt->base, pt->size, pt->mark_csv,
                                           pt->mark_body, cb, ++pt->mark_k);
  if (pt->next_flush <= pos)
    pt->next_flush = (size_t)-1;
  return pt->n_win ? part_flush(pt) : HICOV_OK;
}

/* A serial read of a CSV or plain XML file commits at chunk starts. */
void claims_part_marks(Part *pt, int csv, size_t body)
{
  pt->mark_csv = csv;
  pt->mark_body = body;
  pt->mark_k = 1;
  pt->next_flush = claims_chunk_start_at(pt->base, pt->size, csv, body,
                                         claims_chunk_size(), 1);
}

int claims_part_push(Part *pt, const ClaimsRec *r)
{
  if (pt->chunk)
    return chunk_push(pt, r);
  if (pt->n_win == WINDOW) {
    int rc = part_flush(pt);
    if (rc) {
      pt->pending++; /* read, not committed: rejected with the file */
      return rc;
    }
  }
  pt->win[pt->n_win++] = *r;
  return HICOV_OK;
}

#define POPULATE_STEP (2u << 20)

/* madvise on the whole pages of [from, to) of a mapping of size bytes
 * (from rounded down, to capped at the end); returns to as capped. */
size_t claims_map_advise(const char *base, size_t size, size_t from,
                         size_t to, int advice)
{
  size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  from &= ~(pg - 1);
  if (to > size)
    to = size;
  if (to > from)
    madvise((void *)(base + from), to - from, advice);
  return to;
}

/* Prefaults the mapping ahead of the reader in one call per POPULATE_STEP:
 * on virtual machines a page fault per 64 KB costs more than the parsing. */
void claims_part_prefault(Part *pt, size_t pos)
{
  if (!pt->mapped || pos + POPULATE_STEP / 2 < pt->populated ||
      pt->populated >= pt->size)
    return;
  size_t from = pos > pt->populated ? pos : pt->populated;
  pt->populated = claims_map_advise(pt->base, pt->size, from,
                                    from + POPULATE_STEP, MADV_POPULATE_READ);
}

void claims_part_progress(Part *pt, size_t pos)
{
  claims_part_prefault(pt, pos);
  if (pt->run && pos > pt->reported + (1u << 20)) {
    atomic_fetch_add(&pt->run->bytes_done, (int64_t)(pos - pt->reported));
    atomic_fetch_add(&pt->run->records, pt->read - pt->read_reported);
    pt->reported = pos;
    pt->read_reported = pt->read;
  }
  if (pt->mapped && pos > pt->released + RELEASE_STEP) {
    /* whole pages only: the one under pos - 1 MB is kept */
    size_t to = (pos - (1u << 20)) & ~((size_t)sysconf(_SC_PAGESIZE) - 1);
    claims_map_advise(pt->base, pt->size, pt->released, to, MADV_DONTNEED);
    pt->released = to;
  }
}

/* Ends a part: commits the window on success; on failure counts the held
 * records as rejected and records the file error. */
int claims_part_finish(Part *pt, int rc)
{
  HicovClaims *c = pt->c;
  if (!rc)
    rc = part_flush(pt);
  if (!rc)
    return HICOV_OK;
  if (rc == HICOV_NOMEM || !pt->err[0]) {
    if (!pt->err[0])
      hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file,
                rc == HICOV_NOMEM ? "out of memory" : c->errmsg[0] ? c->errmsg
                                                                   : hicov_status_string(rc));
  }
  int64_t held = (int64_t)pt->n_win + pt->pending;
  pt->pending = 0;
  c->counts.rejected += held;
  c->counts.rejected_by[HICOV_CLAIMS_REJECT_FILE] += held;
  pt->n_win = 0;
  c->counts.files_failed++;
  char tail[200] = "";
  if (held || pt->committed)
    hicov_fmt(tail, sizeof tail, " (%lld record%s of the file rejected with "
              "it; %lld accepted before the error)", (long long)held,
              held == 1 ? "" : "s", (long long)pt->committed);
  claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, pt->file, "", "",
                 "%s%s", pt->err, tail);
  hicov_fmt(c->errmsg, sizeof c->errmsg, "%s%s", pt->err, tail);
  return rc;
}
