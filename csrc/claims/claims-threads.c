/* claims-read.c - reading claims files: plain TONG_HOP files, GIAMDINHHS
 * envelopes with base64 inner documents, a CSV reader, record validation,
 * and files split between threads.  The XML scanner is claims-xml.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "claims-read-private.h"
#include "claims-scan.h"

/* ------------------------------------------------------------------------ */
/* Many files, many threads                                                  */

typedef struct Run Run;

typedef struct {
  Run *run;
  int index;
  HicovClaims *acc;
  pthread_t th;
  /* chunks of a big file: the parse */
  Part part;
  /* small files are read into this buffer, reused from file to file */
  char *scratch;
  size_t scratch_cap;
} Worker;

struct Run {
  HicovClaims *c;
  FileList files;
  RunShared sh;
  Worker *w;
  int nw;
  _Atomic size_t next;        /* next small file */
  unsigned char *is_big;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int running;
  /* small files: each is read into its own provisional accumulator, and
     these are absorbed into c in the order of the list (under lock), so
     that threads give the same result as one: the copy of a record found
     in two files that is counted is the one in the earlier file */
  HicovClaims **slot;         /* a file's result, until absorbed */
  int *slot_rc;
  unsigned char *ready;
  size_t absorbed;            /* files absorbed: 0..absorbed-1 */
  pthread_cond_t slot_cond;   /* absorbed moved on */
  /* the big file being read in chunks */
  const char *split_data;
  size_t split_size;
  const char *split_name;
  Probe split_probe;
  size_t chunk_bytes;
  size_t n_chunks;
  struct ChunkSlot *slots;    /* chunk k in slots[k % n_slots] */
  size_t n_slots;
  size_t next_chunk;          /* next chunk to parse (lock) */
  size_t turn_keys;           /* next chunk to check for duplicates (lock) */
  size_t turn_data;           /* next chunk to add (lock) */
  size_t last_chunk;          /* the file failed here: none after (lock) */
  pthread_cond_t turn_cond;
  /* handed on with the turns */
  size_t at;                  /* where the checked records end */
  size_t released;            /* mapped pages before this were dropped */
  _Atomic size_t msg_room;    /* messages the file's accumulator can take */
  Part *file_part;            /* the file's part: counts for claims_part_finish */
  int file_rc;
  /* the caller's progress report, also while a big file is read */
  HicovClaimsProgressFn progress;
  void *user;
  int64_t bytes_total;
};

static void worker_done(Run *r)
{
  pthread_mutex_lock(&r->lock);
  r->running--;
  pthread_cond_signal(&r->cond);
  pthread_mutex_unlock(&r->lock);
}

/* A pass over a provisional set's keys against the shared table: first
 * whether any is there, then adding them all. */
typedef struct {
  ClaimsDedup *dedup;
  const ClaimsSet *set;
  unsigned char added[65536];
  int any, insert, rc;
} KeyPass;

static int key_pass(void *ctx, const uint64_t *keys, size_t n)
{
  KeyPass *k = ctx;
  if (k->insert)
    return claims_dedup_insert_batch(k->dedup, keys, n, k->added);
  return claims_dedup_contains_any(k->dedup, keys, n, &k->any);
}

static void *insert_job(void *arg)
{
  KeyPass *k = arg;
  k->rc = claims_set_chunks(k->set, key_pass, k, &k->any);
  return NULL;
}

/* Absorbs pc, a provisional accumulator with its own duplicate set, into
 * dst, whose duplicate table may be shared.  When one of pc's keys is
 * already in dst's table, nothing is absorbed and *conflict is set: the
 * caller reads that input again on top of dst.  The keys are streamed in
 * slices (a split part's may be millions, partly in runs on disk). */
static int absorb_checked(HicovClaims *dst, HicovClaims *pc, int *conflict)
{
  *conflict = 0;
  KeyPass *kp = hicov_calloc(1, sizeof *kp);
  if (!kp)
    return HICOV_NOMEM;
  kp->dedup = dst->dedup;
  kp->set = pc->local;
  /* checked and added with one lock per shard per slice */
  int rc = claims_set_chunks(pc->local, key_pass, kp, &kp->any);
  *conflict = kp->any;
  if (!rc && !*conflict) {
    /* A big part (of a split file) is absorbed while another thread adds
       its keys: the two touch different tables, and this step is the
       serial tail of reading one big file. */
    kp->insert = 1;
    pthread_t th;
    int threaded = claims_set_count(pc->local) >= 65536 &&
                   !pthread_create(&th, NULL, insert_job, kp);
    if (!threaded)
      insert_job(kp);
    rc = claims_absorb(dst, pc);
    if (threaded)
      pthread_join(th, NULL);
    if (!rc)
      rc = kp->rc;
  }
  if (rc == HICOV_IO)
    claims_error(dst, rc, "%s", pc->local->err[0] ? pc->local->err
                                                  : claims_dedup_error(dst->dedup));
  hicov_free(kp);
  return rc;
}

/* Reads one small file into acc.  With w, a small file goes through w's
 * buffer and progress is reported; without, the file is mapped and read
 * again after it was counted once already (no progress). */
static int file_read(Run *r, Worker *w, HicovClaims *acc, FileItem *f)
{
  Input in;
  char err[480];
  int rc = w ? claims_input_open_small(f->path, &in, &w->scratch, &w->scratch_cap, err,
                                       sizeof err)
             : claims_input_open(f->path, &in, err, sizeof err);
  if (rc) {
    acc->counts.files_read++;
    acc->counts.files_failed++;
    claims_message(acc, HICOV_CLAIMS_MSG_FILE, rc, f->path, "", "", "%s", err);
    if (w)
      atomic_fetch_add(&r->sh.bytes_done, f->size);
    return rc;
  }
  rc = claims_read_one(acc, f->path, in.data, in.size, in.mapped, w ? &r->sh : NULL);
  claims_input_close(&in);
  return rc;
}

/* Absorbs file i's result into r->c (lock held). */
static void absorb_file(Run *r, size_t i)
{
  HicovClaims *pc = r->slot[i];
  int rc = r->slot_rc[i];
  r->slot[i] = NULL;
  if (r->is_big[i])
    return; /* read by read_split, its status set there */
  if (pc) {
    int conflict = 0;
    int arc = absorb_checked(r->c, pc, &conflict);
    if (!arc && conflict) {
      /* a record also in an earlier file (or a big one): read again on
         top of what came before it, where that copy is the duplicate */
      rc = file_read(r, NULL, r->c, &r->files.v[i]);
    } else if (arc) {
      rc = arc;
    }
    hicov_claims_free(pc);
  }
  r->files.v[i].status = rc;
}

/* Hands over file i's result; absorbs every result now in order. */
static void deliver(Run *r, size_t i, HicovClaims *pc, int rc)
{
  pthread_mutex_lock(&r->lock);
  r->slot[i] = pc;
  r->slot_rc[i] = rc;
  r->ready[i] = 1;
  while (r->absorbed < r->files.n && r->ready[r->absorbed]) {
    absorb_file(r, r->absorbed);
    r->absorbed++;
  }
  pthread_cond_broadcast(&r->slot_cond);
  pthread_mutex_unlock(&r->lock);
}

/* How far a worker may run ahead of the first file not yet absorbed, in
 * files per worker: bounds the results held waiting for their turn. */
#define RUN_AHEAD 4

static void *small_worker(void *arg)
{
  Worker *w = arg;
  Run *r = w->run;
  for (;;) {
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->files.n)
      break;
    HicovClaims *pc = NULL;
    int rc = HICOV_OK;
    if (!r->is_big[i] && !atomic_load(&r->sh.cancel)) {
      pthread_mutex_lock(&r->lock);
      while (i >= r->absorbed + (size_t)r->nw * RUN_AHEAD &&
             !atomic_load(&r->sh.cancel))
        pthread_cond_wait(&r->slot_cond, &r->lock);
      /* Every earlier file is absorbed: nothing else changes r->c until
         this one is delivered, so it is read straight into it (no
         provisional tables to build and absorb: with one thread, always). */
      int direct = i == r->absorbed;
      pthread_mutex_unlock(&r->lock);
      if (direct && !atomic_load(&r->sh.cancel)) {
        rc = file_read(r, w, r->c, &r->files.v[i]);
        atomic_fetch_add(&r->sh.files_done, 1);
      } else if (!atomic_load(&r->sh.cancel)) {
        rc = claims_new_worker(r->c, &pc);
        if (!rc && !(pc->local = hicov_calloc(1, sizeof *pc->local))) {
          hicov_claims_free(pc);
          pc = NULL;
          rc = HICOV_NOMEM;
        }
        if (!rc)
          rc = file_read(r, w, pc, &r->files.v[i]);
        atomic_fetch_add(&r->sh.files_done, 1);
      }
    }
    deliver(r, i, pc, rc); /* every index, so that absorption goes on */
  }
  worker_done(r);
  return NULL;
}

static int wait_workers(Run *r, HicovClaimsProgressFn progress, void *user,
                        int64_t bytes_total)
{
  int cancelled = 0;
  pthread_mutex_lock(&r->lock);
  while (r->running > 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 200 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&r->cond, &r->lock, &ts);
    if (progress && r->running > 0) {
      pthread_mutex_unlock(&r->lock);
      HicovClaimsProgress pg = {
        atomic_load(&r->sh.bytes_done), bytes_total,
        atomic_load(&r->sh.files_done), (int64_t)r->files.n, 0
      };
      pg.records = atomic_load(&r->sh.records);
      if (progress(&pg, user)) {
        atomic_store(&r->sh.cancel, 1);
        cancelled = 1;
      }
      pthread_mutex_lock(&r->lock);
      if (cancelled) /* wake workers waiting for their turn */
        pthread_cond_broadcast(&r->slot_cond);
    }
  }
  pthread_mutex_unlock(&r->lock);
  for (int i = 0; i < r->nw; i++)
    if (r->w[i].th)
      pthread_join(r->w[i].th, NULL);
  for (int i = 0; i < r->nw; i++)
    r->w[i].th = 0;
  return cancelled;
}

static int start_workers(Run *r, void *(*fn)(void *), int n)
{
  r->running = n;
  for (int i = 0; i < n; i++) {
    if (pthread_create(&r->w[i].th, NULL, fn, &r->w[i])) {
      r->w[i].th = 0;
      pthread_mutex_lock(&r->lock);
      r->running -= n - i;
      pthread_mutex_unlock(&r->lock);
      return HICOV_ERROR;
    }
  }
  return HICOV_OK;
}

/* Where chunk k of the big file starts (see claims_chunk_start_at). */
static size_t chunk_start(const Run *r, size_t k)
{
  return claims_chunk_start_at(r->split_data, r->split_size,
                               r->split_probe.form == FORM_CSV, r->split_probe.body,
                               r->chunk_bytes, k);
}

/* Parses [from, to) of the big file with w's part into the slot's records,
 * counts and messages (the last chunk reads to the end of the file); sets
 * the slot's status, message and where the parse stopped. */
static void chunk_parse(Run *r, Worker *w, ChunkSlot *sl, size_t from,
                        size_t to)
{
  Part *pt = &w->part;
  HicovClaims *acc = sl->acc;
  claims_clear_log(acc);
  acc->max_msgs = atomic_load(&r->msg_room);
  sl->buf.n = 0;
  sl->buf.n_bnd = 0;
  sl->from = from;
  sl->to = to;
  /* the part's buffers stay; its state starts again */
  pt->c = acc;
  pt->n_win = 0;
  pt->pending = pt->committed = pt->read = pt->read_reported = 0;
  pt->status = 0;
  pt->err[0] = 0;
  pt->chunk = &sl->buf;
  pt->next_flush = (size_t)-1;
  pt->stop_at = to >= r->split_size ? (size_t)-1 : to;
  pt->stopped = from;
  /* progress is reported by chunk_check, once for each byte and record
     (a chunk parsed again would count twice here) */
  pt->reported = (size_t)-1 / 2;
  /* pages are populated by chunk_worker and dropped after the check */
  pt->populated = (size_t)-1 / 2;
  pt->released = (size_t)-1 / 2;
  sl->prc = HICOV_OK;
  sl->err[0] = 0;
  sl->stopped = from;
  if (from >= to || from >= r->split_size)
    return;
  int rc;
  if (r->split_probe.form == FORM_CSV) {
    pt->csv_map = r->split_probe.csv_map;
    pt->csv_ncols = r->split_probe.csv_ncols;
    rc = claims_read_csv_rows(pt, r->split_data + from);
  } else {
    XScan x;
    if (from == 0)
      claims_xs_init(&x, r->split_data, r->split_size);
    else
      claims_xs_resume(&x, r->split_data, r->split_size, from, r->split_probe.root,
                       r->split_probe.root_len);
    rc = claims_read_plain(pt, &x);
  }
  sl->prc = rc;
  sl->stopped = pt->stopped;
  memcpy(sl->err, pt->err, sizeof sl->err);
}

/* Adds w's chunk (its duplicate check done) into the file's accumulator as
 * a serial read would: window by window, each window's parse messages
 * before its records.  After a failed parse, the records of its last
 * (unfinished) window are not added: they are rejected with the file, as
 * in a serial read; after a failed duplicate check, none are.  Sets *left
 * to the records not added. */
static int chunk_commit(Run *r, ChunkSlot *sl, int parse_rc, size_t *left)
{
  HicovClaims *m = r->w[0].acc;
  ChunkBuf *b = &sl->buf;
  HicovClaims *acc = sl->acc;
  size_t ri = 0, mi = 0, i = 0;
  int rc = b->keys_rc;
  size_t nb = rc ? 0 : b->n_bnd + (parse_rc ? 0 : 1);
  for (; i < nb && !rc; i++) {
    size_t rend = i < b->n_bnd ? b->bnd_rec[i] : b->n;
    size_t mend = i < b->n_bnd ? b->bnd_msg[i] : acc->n_msgs;
    rc = claims_move_msgs(m, acc, mi, mend);
    mi = mend;
    size_t done = 0;
    if (!rc && rend > ri)
      rc = claims_commit_data(m, b->rec + ri, rend - ri, b->added + ri,
                              r->split_name, &done);
    ri += done;
  }
  if (rc && !b->keys_rc && i - 1 < b->n_bnd) {
    /* Window i - 1 failed: a serial read would have stopped reading at
       the record that made it commit the window, so the chunk counts as
       read up to there, and that record and the rest of the window are
       rejected with the file. */
    HicovClaimsCounts *k = &b->bnd_counts[i - 1];
    claims_clear_log(acc);
    acc->counts = *k;
    claims_move_counts(m, acc);
    r->file_part->committed += (int64_t)ri;
    *left = b->bnd_rec[i - 1] + 1 - ri;
    atomic_store(&r->msg_room, m->n_msgs < m->max_msgs ? m->max_msgs - m->n_msgs : 0);
    return rc;
  }
  if (!rc)
    rc = claims_move_msgs(m, acc, mi, acc->n_msgs);
  claims_move_counts(m, acc);
  r->file_part->committed += (int64_t)ri;
  *left = b->n - ri;
  atomic_store(&r->msg_room, m->n_msgs < m->max_msgs ? m->max_msgs - m->n_msgs : 0);
  return rc;
}

/* The duplicate check of the chunk in sl, in its turn: it holds if the
 * chunk before stopped where it starts, else it is parsed again from
 * there first.  Returns nonzero when the file fails here. */
static int chunk_check(Run *r, Worker *w, ChunkSlot *sl)
{
  HicovClaims *m = r->w[0].acc;
  if (r->at != sl->from)
    chunk_parse(r, w, sl, r->at, sl->to > r->at ? sl->to : r->at);
  if (sl->stopped > r->at) {
    atomic_fetch_add(&r->sh.bytes_done, (int64_t)(sl->stopped - r->at));
    r->at = sl->stopped;
  }
  atomic_fetch_add(&r->sh.records, sl->acc->counts.records_read);
  ChunkBuf *b = &sl->buf;
  b->keys_rc = hicov_grow((void **)&b->added, &b->cap_added, b->n ? b->n : 1, 1);
  if (!b->keys_rc)
    b->keys_rc = claims_commit_keys(m, b->rec, b->n, b->added);
  if (!sl->prc && !b->keys_rc && w->part.mapped) {
    /* the checked chunks' pages are not needed again (whole pages: the
       one holding r->at is kept); from the start of the folio where the
       last release ended, which a later chunk's parse may have mapped
       again (without it, 10 GB of CSV on 2 threads kept 110-180 MB of the
       file resident in scattered 2 MB folios) */
    size_t upto = r->at & ~((size_t)sysconf(_SC_PAGESIZE) - 1);
    if (upto > r->released + RELEASE_STEP) {
      claims_map_advise(r->split_data, r->split_size,
                        r->released & ~((size_t)FOLIO_SPAN - 1), upto, MADV_DONTNEED);
      r->released = upto;
    }
  }
  return sl->prc || b->keys_rc;
}

/* Adds the chunk in sl, in its turn.  Returns nonzero when the file fails
 * here. */
static int chunk_add(Run *r, Worker *w, ChunkSlot *sl)
{
  (void)w;
  size_t left = 0;
  int rc = chunk_commit(r, sl, sl->prc, &left);
  if (sl->prc || rc) {
    Part *fp = r->file_part;
    fp->pending = (int64_t)left;
    if (!rc)
      memcpy(fp->err, sl->err, sizeof fp->err);
    r->file_rc = rc ? rc : sl->prc;
    return 1;
  }
  return 0;
}

/* Runs step (chunk_check or chunk_add) on the chunk in sl, whose turn
 * *turn is, outside the lock; then the slot takes state `done`, the turn
 * moves on, and a failure ends the file at this chunk (lock held). */
static void chunk_turn(Run *r, Worker *w, ChunkSlot *sl, size_t *turn,
                       int busy, int done,
                       int (*step)(Run *, Worker *, ChunkSlot *))
{
  sl->state = busy;
  pthread_mutex_unlock(&r->lock);
  int failed = step(r, w, sl);
  pthread_mutex_lock(&r->lock);
  sl->state = done;
  if (failed && sl->k < r->last_chunk)
    r->last_chunk = sl->k;
  (*turn)++;
  pthread_cond_broadcast(&r->turn_cond);
}

/* Each thread does the first task it can, in this order: add the records
 * of the chunk whose turn it is, check the duplicates of the next one, or
 * parse a new chunk into a free slot.  The parse (most of the work) runs
 * on every thread; the two steps on the one set of tables run in file
 * order, a chunk's check beside the previous chunk's adding, so that
 * duplicates and messages come out as in a serial read and nothing is
 * absorbed; a thread waits only when none of the three can start. */
static void *chunk_worker(void *arg)
{
  Worker *w = arg;
  Run *r = w->run;
  pthread_mutex_lock(&r->lock);
  for (;;) {
    size_t end = r->last_chunk < r->n_chunks ? r->last_chunk + 1 : r->n_chunks;
    if (r->turn_data >= end)
      break;
    ChunkSlot *sl = &r->slots[r->turn_data % r->n_slots];
    if (sl->k == r->turn_data && sl->state == SLOT_CHECKED) {
      chunk_turn(r, w, sl, &r->turn_data, SLOT_ADDING, SLOT_FREE, chunk_add);
      continue;
    }
    sl = &r->slots[r->turn_keys % r->n_slots];
    if (r->turn_keys < end && sl->k == r->turn_keys && sl->state == SLOT_PARSED) {
      chunk_turn(r, w, sl, &r->turn_keys, SLOT_CHECKING, SLOT_CHECKED,
                 chunk_check);
      continue;
    }
    sl = &r->slots[r->next_chunk % r->n_slots];
    if (r->next_chunk < end && sl->state == SLOT_FREE) {
      size_t k = r->next_chunk++;
      sl->k = k;
      sl->state = SLOT_PARSING;
      pthread_mutex_unlock(&r->lock);
      if (w->part.mapped) {
        /* the chunk's pages, and those where the next one starts, in one
           call: faulting them in one by one costs more than the parsing */
        claims_map_advise(r->split_data, r->split_size, k * r->chunk_bytes,
                          (k + 1) * r->chunk_bytes + 65536, MADV_POPULATE_READ);
      }
      size_t from = chunk_start(r, k), to = chunk_start(r, k + 1);
      chunk_parse(r, w, sl, from, to);
      if (w->part.mapped) {
        /* parsed: its pages count in the resident size and are not needed
           again, unless the chunk is parsed once more from another start
           (then they come back from the page cache); whole pages inside
           it, the chunks beside it may be in theirs */
        size_t pg = (size_t)sysconf(_SC_PAGESIZE);
        from = (from + pg - 1) & ~(pg - 1);
        if ((to & ~(pg - 1)) > from)
          claims_map_advise(r->split_data, r->split_size, from, to & ~(pg - 1),
                            MADV_DONTNEED);
      }
      pthread_mutex_lock(&r->lock);
      sl->state = SLOT_PARSED;
      pthread_cond_broadcast(&r->turn_cond);
      continue;
    }
    pthread_cond_wait(&r->turn_cond, &r->lock);
  }
  pthread_mutex_unlock(&r->lock);
  worker_done(r);
  return NULL;
}

/* Reads one big file with every worker, in chunks (chunk_worker). */
static int read_split(Run *r, FileItem *f)
{
  HicovClaims *main_acc = r->w[0].acc;
  Input in;
  char err[480];
  int rc = claims_input_open(f->path, &in, err, sizeof err);
  if (rc) {
    main_acc->counts.files_read++;
    main_acc->counts.files_failed++;
    claims_message(main_acc, HICOV_CLAIMS_MSG_FILE, rc, f->path, "", "", "%s", err);
    atomic_fetch_add(&r->sh.bytes_done, f->size);
    return rc;
  }
  main_acc->counts.files_read++;
  main_acc->counts.bytes_read += (int64_t)in.size;
  int64_t bytes0 = atomic_load(&r->sh.bytes_done);
  r->split_data = in.data;
  r->split_size = in.size;
  r->split_name = f->path;
  Part fpart;
  rc = claims_part_init(&fpart, main_acc, f->path, in.data, in.size, in.mapped, &r->sh);
  if (!rc)
    rc = claims_probe(&fpart, &r->split_probe);
  if (!rc && r->split_probe.form == FORM_ENVELOPE) {
    /* an envelope whose root name want_split did not see in the first
       bytes: its records are inside base64, so it is read whole */
    XScan x;
    claims_xs_init(&x, in.data, in.size);
    rc = claims_part_finish(&fpart, claims_read_envelope(&fpart, &x));
    atomic_fetch_add(&r->sh.records, fpart.read - fpart.read_reported);
    atomic_fetch_add(&r->sh.bytes_done, bytes0 + (int64_t)in.size -
                     atomic_load(&r->sh.bytes_done));
    claims_part_clear(&fpart);
    claims_input_close(&in);
    return rc;
  }
  if (rc) {
    if (rc != HICOV_NOMEM)
      rc = claims_part_finish(&fpart, rc);
    claims_part_clear(&fpart);
    claims_input_close(&in);
    return rc;
  }
  size_t est = claims_estimate_records(&r->split_probe, in.data, in.size);
  if (est)
    rc = claims_reserve(main_acc, est);
  r->chunk_bytes = claims_chunk_size();
  r->n_chunks = (in.size + r->chunk_bytes - 1) / r->chunk_bytes;
  if (!r->n_chunks)
    r->n_chunks = 1;
  r->next_chunk = 0;
  r->turn_keys = r->turn_data = 0;
  r->last_chunk = (size_t)-1;
  r->at = chunk_start(r, 0);
  r->released = 0;
  atomic_store(&r->msg_room, main_acc->n_msgs < main_acc->max_msgs
                                 ? main_acc->max_msgs - main_acc->n_msgs : 0);
  r->file_part = &fpart;
  r->file_rc = 0;
  /* two chunks in flight per thread: one being parsed, one waiting for
     its turn */
  r->n_slots = 2 * (size_t)r->nw;
  r->slots = hicov_calloc(r->n_slots, sizeof *r->slots);
  if (!r->slots && !rc)
    rc = HICOV_NOMEM;
  for (size_t i = 0; i < r->n_slots && !rc; i++) {
    if (!(rc = claims_new_worker(main_acc, &r->slots[i].acc)))
      r->slots[i].acc->max_msgs = main_acc->max_msgs;
    r->slots[i].k = (size_t)-1;
  }
  int started = 0;
  for (int k = 0; k < r->nw && !rc; k++) {
    Worker *w = &r->w[k];
    rc = claims_part_init(&w->part, main_acc, f->path, in.data, in.size, in.mapped,
                          &r->sh);
    if (!rc)
      started = k + 1;
  }
  if (!rc && start_workers(r, chunk_worker, r->nw))
    rc = HICOV_ERROR;
  if (!rc || started)
    wait_workers(r, r->progress, r->user, r->bytes_total);
  if (!rc)
    rc = r->file_rc;
  /* the file's outcome: on a failure, its records not committed are
     rejected with it and the message says how many were accepted */
  rc = claims_part_finish(&fpart, rc);
  atomic_fetch_add(&r->sh.bytes_done, bytes0 + (int64_t)in.size -
                   atomic_load(&r->sh.bytes_done));
  for (int k = 0; k < started; k++)
    claims_part_clear(&r->w[k].part);
  for (size_t i = 0; r->slots && i < r->n_slots; i++) {
    ChunkSlot *sl = &r->slots[i];
    hicov_claims_free(sl->acc);
    hicov_free(sl->buf.rec);
    hicov_free(sl->buf.bnd_rec);
    hicov_free(sl->buf.bnd_msg);
    hicov_free(sl->buf.bnd_counts);
    hicov_free(sl->buf.added);
  }
  hicov_free(r->slots);
  r->slots = NULL;
  claims_part_clear(&fpart);
  hicov_free(r->split_probe.csv_map);
  r->split_probe.csv_map = NULL;
  r->split_data = NULL;
  claims_input_close(&in);
  return rc;
}

/* Is the file worth splitting: big, and plain XML or CSV? */
static int want_split(const FileItem *f, int nw)
{
  if (nw < 2 || f->size < (int64_t)claims_split_min())
    return 0;
  int fd = open(f->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char head[4096];
  ssize_t n = read(fd, head, sizeof head);
  close(fd);
  if (n <= 0)
    return 0;
  /* envelopes are read whole (their records are inside base64) */
  if (memmem(head, (size_t)n, "GIAMDINHHS", 10))
    return 0;
  return 1;
}

int hicov_claims_read_paths(HicovClaims *c, const char *const *paths, size_t n,
                            int threads, HicovClaimsProgressFn progress,
                            void *user)
{
  if (!c || (!paths && n))
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  if (threads <= 0) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cpus > 0 ? (int)cpus : 1;
  }
  if (threads > 64)
    threads = 64;
  Run r;
  memset(&r, 0, sizeof r);
  r.c = c;
  pthread_mutex_init(&r.lock, NULL);
  pthread_cond_init(&r.cond, NULL);
  pthread_cond_init(&r.slot_cond, NULL);
  pthread_cond_init(&r.turn_cond, NULL);
  int rc = HICOV_OK;
  for (size_t i = 0; i < n && !rc; i++)
    rc = claims_expand(c, &r.files, paths[i], 0);
  int64_t total = 0;
  for (size_t i = 0; i < r.files.n; i++)
    total += r.files.v[i].size;
  r.nw = threads;
  r.progress = progress;
  r.user = user;
  r.bytes_total = total;
  c->threads = threads;
  if (!rc) {
    r.w = hicov_calloc((size_t)threads, sizeof *r.w);
    r.is_big = hicov_calloc(r.files.n + 1, 1);
    r.slot = hicov_calloc(r.files.n + 1, sizeof *r.slot);
    r.slot_rc = hicov_calloc(r.files.n + 1, sizeof *r.slot_rc);
    r.ready = hicov_calloc(r.files.n + 1, 1);
    if (!r.w || !r.is_big || !r.slot || !r.slot_rc || !r.ready)
      rc = HICOV_NOMEM;
  }
  for (int i = 0; i < threads && !rc; i++) {
    r.w[i].run = &r;
    r.w[i].index = i;
    rc = claims_new_worker(c, &r.w[i].acc);
  }
  int cancelled = 0;
  if (!rc) {
    /* big files first, each with every thread */
    for (size_t i = 0; i < r.files.n && !rc && !cancelled; i++) {
      if (!want_split(&r.files.v[i], threads))
        continue;
      r.is_big[i] = 1;
      int frc = read_split(&r, &r.files.v[i]);
      if (frc == HICOV_NOMEM)
        rc = frc;
      r.files.v[i].status = frc;
      atomic_fetch_add(&r.sh.files_done, 1);
      if (atomic_load(&r.sh.cancel)) {
        cancelled = 1; /* by the progress report during the file */
        break;
      }
      if (progress) {
        HicovClaimsProgress pg = { atomic_load(&r.sh.bytes_done), total,
                                   atomic_load(&r.sh.files_done),
                                   (int64_t)r.files.n, 0 };
        if (progress(&pg, user))
          cancelled = 1;
      }
    }
  }
  if (!rc && !cancelled) {
    int nw = threads;
    if ((size_t)nw > r.files.n)
      nw = r.files.n ? (int)r.files.n : 1;
    if (start_workers(&r, small_worker, nw)) {
      wait_workers(&r, NULL, NULL, total);
      rc = claims_error(c, HICOV_ERROR, "cannot start threads");
    } else {
      cancelled = wait_workers(&r, progress, user, total);
    }
  }
  for (int i = 0; i < threads && r.w; i++) {
    if (r.w[i].acc) {
      int mr = claims_absorb(c, r.w[i].acc);
      if (!rc)
        rc = mr;
      hicov_claims_free(r.w[i].acc);
    }
  }
  claims_trip_settle(c);
  if (progress && !rc && !cancelled) { /* "all done" only when it is */
    HicovClaimsProgress pg = { total, total, (int64_t)r.files.n,
                               (int64_t)r.files.n, c->counts.records_read };
    progress(&pg, user);
  }
  if (!rc && cancelled)
    rc = claims_error(c, HICOV_ERROR, "cancelled");
  for (size_t i = 0; i < r.files.n; i++) {
    if (!rc && r.files.v[i].status) {
      rc = r.files.v[i].status;
      /* the message of the first failing file */
      for (size_t m = 0; m < c->n_msgs; m++)
        if (c->msgs[m].kind == HICOV_CLAIMS_MSG_FILE &&
            !strcmp(c->msgs[m].file, r.files.v[i].path)) {
          hicov_fmt(c->errmsg, sizeof c->errmsg, "%s", c->msgs[m].message);
          break;
        }
    }
    hicov_free(r.files.v[i].path);
  }
  hicov_free(r.files.v);
  for (int i = 0; r.w && i < threads; i++)
    hicov_free(r.w[i].scratch);
  hicov_free(r.w);
  hicov_free(r.is_big);
  for (size_t i = 0; r.slot && i < r.files.n; i++)
    hicov_claims_free(r.slot[i]); /* none left unless threads failed */
  hicov_free(r.slot);
  hicov_free(r.slot_rc);
  hicov_free(r.ready);
  pthread_mutex_destroy(&r.lock);
  pthread_cond_destroy(&r.cond);
  pthread_cond_destroy(&r.slot_cond);
  pthread_cond_destroy(&r.turn_cond);
  return rc;
}
