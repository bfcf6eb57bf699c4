/* claims-chunks.c - one big file read by every thread: its chunks parsed
 * in parallel, then checked for duplicates and added in file order, so
 * that the counts and messages are those of a serial read.  Each thread
 * reads the chunks it parses through its own window (claims-window.c). */
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "claims-read-private.h"

/* The slot starts again for a parse from `from` (REGION_NONE: a chunk
 * with no record start, nothing to parse). */
static void slot_reset(Run *r, ChunkSlot *sl, size_t from)
{
  claims_clear_log(sl->acc);
  sl->acc->max_msgs = atomic_load(&r->msg_room);
  sl->buf.n = 0;
  sl->buf.n_bnd = 0;
  sl->from = from;
  sl->stopped = from == REGION_NONE ? 0 : from;
  sl->prc = HICOV_OK;
  sl->err[0] = 0;
}

/* Makes w's window hold the input from `from` on.  When the chunk where
 * the parse stops starts before from (a chunk read again because the one
 * before ran past its start), that start is found first, a chunk's worth
 * of the input at a time. */
static int chunk_window(Part *pt, size_t from)
{
  int rc = HICOV_OK;
  while (!rc && !pt->stop.resolved && pt->stop.at < from) {
    size_t lb = pt->stop.at;
    if (lb < pt->off || lb >= pt->off + pt->avail)
      rc = claims_part_load(pt, lb, 0);
    if (!rc)
      rc = claims_bound_resolve(pt, &pt->stop, lb);
  }
  pt->stop_at = pt->stop.at;
  if (!rc && (from < pt->off || from > pt->off + pt->avail ||
              (from == pt->off + pt->avail && !pt->eof)))
    rc = claims_part_load(pt, from, 0);
  if (rc && !pt->err[0])
    hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file, pt->why);
  return rc;
}

/* Parses chunk k from `from` (its start, or where the chunk before
 * stopped) with w's part into the slot's records, counts and messages, to
 * the first record boundary at or after the start of chunk k + 1 (the last
 * chunk reads to the end of the file); sets the slot's status, message and
 * where the parse stopped. */
static void chunk_parse(Run *r, Worker *w, ChunkSlot *sl, size_t from,
                        size_t k)
{
  Part *pt = &w->part;
  slot_reset(r, sl, from);
  /* the part's buffers and window stay; its state starts again */
  pt->c = sl->acc;
  pt->n_win = 0;
  pt->pending = pt->committed = pt->read = pt->read_reported = 0;
  pt->status = 0;
  pt->err[0] = 0;
  pt->chunk = &sl->buf;
  pt->stopped = from;
  /* progress is reported by chunk_check, once for each byte and record
     (a chunk parsed again would count twice here) */
  pt->reported = (size_t)-1 / 2;
  claims_part_stop_at_chunk(pt, k + 1);
  int rc = chunk_window(pt, from);
  if (!rc && from < r->split_size) {
    if (r->split_probe.form == FORM_CSV) {
      pt->csv_map = r->split_probe.csv_map;
      pt->csv_ncols = r->split_probe.csv_ncols;
      rc = claims_read_csv_rows(pt, from);
    } else {
      XScan x;
      if (from == 0)
        claims_xs_init_part(&x, pt);
      else
        claims_xs_resume_part(&x, pt, from, r->split_probe.root,
                              r->split_probe.root_len);
      rc = claims_read_plain(pt, &x);
    }
  }
  sl->prc = rc;
  sl->stopped = pt->stopped;
  memcpy(sl->err, pt->err, sizeof sl->err);
}

/* Finds where chunk k starts (searching the chunk only) and parses it;
 * a chunk with no record start is left empty. */
static void chunk_start_parse(Run *r, Worker *w, ChunkSlot *sl, size_t k)
{
  Part *pt = &w->part;
  size_t from = r->split_probe.form == FORM_CSV ? r->split_probe.body : 0;
  if (k > 0) {
    /* found already by a thread whose parse went across it, or read here */
    int rc = atomic_load_explicit(&r->starts[k], memory_order_relaxed)
                 ? HICOV_OK : claims_part_load(pt, k * r->chunk_bytes, 0);
    if (!rc)
      rc = claims_region_start(pt, k, &from);
    if (rc) {
      slot_reset(r, sl, k * r->chunk_bytes);
      sl->prc = rc;
      hicov_fmt(sl->err, sizeof sl->err, "%s: %s", pt->file, pt->why);
      return;
    }
    if (from == REGION_NONE) {
      slot_reset(r, sl, REGION_NONE);
      return;
    }
  }
  chunk_parse(r, w, sl, from, k);
}

/* Adds w's chunk (its duplicate check done) into the file's accumulator as
 * a serial read would: window by window, each window's parse messages
 * before its records.  After a failed parse, the records of its last
 * (unfinished) window are not added: they are rejected with the file, as
 * in a serial read; after a failed duplicate check, none are.  Sets *left
 * to the records not added. */
/* What is left of the chunk in sl once the file's accumulator has failed
 * (from ri records, mi messages on): its messages and counts go in, its
 * records are dropped (rejected with the file), as a serial read that
 * reads on counting them.  Returns a status (HICOV_NOMEM). */
static int chunk_count_only(Run *r, ChunkSlot *sl, size_t ri, size_t mi,
                            size_t *left)
{
  HicovClaims *m = r->w[0].acc;
  int rc = claims_move_msgs(m, sl->acc, mi, sl->acc->n_msgs);
  int mrc = claims_move_counts(m, sl->acc);
  r->file_part->committed += (int64_t)ri;
  *left = sl->buf.n - ri;
  atomic_store(&r->msg_room, m->n_msgs < m->max_msgs ? m->max_msgs - m->n_msgs : 0);
  return rc ? rc : mrc;
}

static int chunk_commit(Run *r, ChunkSlot *sl, int parse_rc, size_t *left)
{
  HicovClaims *m = r->w[0].acc;
  ChunkBuf *b = &sl->buf;
  HicovClaims *acc = sl->acc;
  size_t ri = 0, mi = 0, i = 0;
  if (atomic_load(&r->dead))
    return chunk_count_only(r, sl, 0, 0, left);
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
  if (rc == HICOV_IO || rc == HICOV_LIMIT) {
    /* the accumulator's temporary files or limits failed, not the input:
       the file reads on, counted (claims_part_finish rejects the records
       not committed) */
    Part *fp = r->file_part;
    hicov_fmt(fp->dead_err, sizeof fp->dead_err, "%s: %s", r->split_name,
              m->errmsg[0] ? m->errmsg : hicov_status_string(rc));
    atomic_store(&r->dead, rc);
    int crc = chunk_count_only(r, sl, ri, mi, left);
    return crc ? crc : HICOV_OK;
  }
  if (rc && !b->keys_rc && i - 1 < b->n_bnd) {
    /* Window i - 1 failed: a serial read would have stopped reading at
       the record that made it commit the window, so the chunk counts as
       read up to there, and that record and the rest of the window are
       rejected with the file. */
    HicovClaimsCounts *k = &b->bnd_counts[i - 1];
    claims_clear_log(acc);
    acc->counts = *k;
    (void)claims_move_counts(m, acc); /* the file fails with rc already */
    r->file_part->committed += (int64_t)ri;
    *left = b->bnd_rec[i - 1] + 1 - ri;
    atomic_store(&r->msg_room, m->n_msgs < m->max_msgs ? m->max_msgs - m->n_msgs : 0);
    return rc;
  }
  if (!rc)
    rc = claims_move_msgs(m, acc, mi, acc->n_msgs);
  int mrc = claims_move_counts(m, acc);
  if (!rc)
    rc = mrc;
  r->file_part->committed += (int64_t)ri;
  *left = b->n - ri;
  atomic_store(&r->msg_room, m->n_msgs < m->max_msgs ? m->max_msgs - m->n_msgs : 0);
  return rc;
}

/* The duplicate table's shards are checked in two halves, each in file
 * order: a chunk's second half beside the next chunk's first, on two
 * threads.  A 10 GB file's 30 million keys, mostly compared with keys
 * written out to disk, took as long as the parse of all its rows on the
 * other thread (13 s against 12 s of CPU), and the threads waited for it;
 * the shards are independent, so the answers are those of one check. */
#define KEY_HALF (CLAIMS_DEDUP_SHARDS / 2)

/* The duplicate check of the chunk in sl, its first half of the shards,
 * in its turn: it holds if the chunk before stopped where it starts, else
 * it is parsed again from there first.  Returns nonzero when the file
 * fails here. */
static int chunk_check(Run *r, Worker *w, ChunkSlot *sl)
{
  HicovClaims *m = r->w[0].acc;
  /* an empty chunk: the one before read across it */
  if (sl->from != REGION_NONE && r->at != sl->from)
    chunk_parse(r, w, sl, r->at, sl->k);
  if (sl->stopped > r->at) {
    atomic_fetch_add(&r->sh.bytes_done, (int64_t)(sl->stopped - r->at));
    r->at = sl->stopped;
  }
  atomic_fetch_add(&r->sh.records, sl->acc->counts.records_read);
  ChunkBuf *b = &sl->buf;
  b->keys_rc_hi = HICOV_OK;
  b->keys_rc = hicov_grow((void **)&b->added, &b->cap_added, b->n ? b->n : 1, 1);
  if (!b->keys_rc && !atomic_load(&r->dead)) /* none added once it failed */
    b->keys_rc = claims_commit_keys_error(
        m, claims_commit_keys_shards(m, b->rec, b->n, b->added, 0, KEY_HALF));
  return sl->prc || b->keys_rc;
}

/* The second half of the chunk's duplicate check, in its turn (after its
 * first half).  Its failure's message is made when the chunk is added. */
static int chunk_check_hi(Run *r, Worker *w, ChunkSlot *sl)
{
  (void)w;
  ChunkBuf *b = &sl->buf;
  if (!b->keys_rc && !atomic_load(&r->dead))
    b->keys_rc_hi = claims_commit_keys_shards(r->w[0].acc, b->rec, b->n,
                                              b->added, KEY_HALF,
                                              CLAIMS_DEDUP_SHARDS);
  return sl->prc || b->keys_rc || b->keys_rc_hi;
}

/* Adds the chunk in sl, in its turn.  Returns nonzero when the file fails
 * here. */
static int chunk_add(Run *r, Worker *w, ChunkSlot *sl)
{
  (void)w;
  size_t left = 0;
  if (!sl->buf.keys_rc && sl->buf.keys_rc_hi)
    sl->buf.keys_rc = claims_commit_keys_error(r->w[0].acc, sl->buf.keys_rc_hi);
  int rc = chunk_commit(r, sl, sl->prc, &left);
  if (atomic_load(&r->dead)) {
    /* counted only: the file fails at the end with the first failure
       (claims_part_finish), or here at a parse error */
    r->file_part->dropped += (int64_t)left;
    if (!rc && !sl->prc)
      return 0;
    r->file_rc = rc ? rc : atomic_load(&r->dead);
    return 1;
  }
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
 * of the chunk whose turn it is, check the second half of the duplicates
 * of the next one, the first half of the one after, or parse a new chunk
 * into a free slot.  The parse (most of the work) runs on every thread;
 * the steps on the one set of tables run in file order, a chunk's check
 * beside the previous chunk's adding, so that duplicates and messages come
 * out as in a serial read and nothing is absorbed; a thread waits only
 * when none of the four can start. */
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
    sl = &r->slots[r->turn_hi % r->n_slots];
    if (r->turn_hi < end && sl->k == r->turn_hi &&
        sl->state == SLOT_HALF_CHECKED) {
      chunk_turn(r, w, sl, &r->turn_hi, SLOT_CHECKING_HI, SLOT_CHECKED,
                 chunk_check_hi);
      continue;
    }
    sl = &r->slots[r->turn_keys % r->n_slots];
    if (r->turn_keys < end && sl->k == r->turn_keys && sl->state == SLOT_PARSED) {
      chunk_turn(r, w, sl, &r->turn_keys, SLOT_CHECKING, SLOT_HALF_CHECKED,
                 chunk_check);
      continue;
    }
    sl = &r->slots[r->next_chunk % r->n_slots];
    if (r->next_chunk < end && sl->state == SLOT_FREE) {
      size_t k = r->next_chunk++;
      sl->k = k;
      sl->state = SLOT_PARSING;
      pthread_mutex_unlock(&r->lock);
      chunk_start_parse(r, w, sl, k);
      pthread_mutex_lock(&r->lock);
      sl->state = SLOT_PARSED;
      pthread_cond_broadcast(&r->turn_cond);
      continue;
    }
    pthread_cond_wait(&r->turn_cond, &r->lock);
  }
  pthread_mutex_unlock(&r->lock);
  claims_worker_done(r);
  return NULL;
}

/* Reads one big file with every worker, in chunks (chunk_worker). */
int claims_read_split(Run *r, FileItem *f)
{
  HicovClaims *main_acc = r->w[0].acc;
  Input in;
  char err[480];
  int rc = claims_input_open(f->path, main_acc->lang, &in, err, sizeof err);
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
  int64_t read0 = main_acc->counts.records_read;
  r->split_in = &in;
  r->split_size = (size_t)in.size;
  r->split_name = f->path;
  /* the file's part: the form, the counts, its outcome (through worker 0's
     buffer, which its part uses only once the workers run) */
  Part fpart;
  rc = claims_part_init(&fpart, main_acc, f->path, &r->sh);
  if (!rc) {
    claims_part_input(&fpart, &in, &r->w[0].wb);
    if ((rc = claims_part_load(&fpart, 0, 0)))
      hicov_fmt(fpart.err, sizeof fpart.err, "%s: %s", f->path, fpart.why);
  }
  if (!rc)
    rc = claims_probe(&fpart, &r->split_probe);
  if (!rc && r->split_probe.form == FORM_ENVELOPE) {
    /* an envelope whose root name want_split (claims-threads.c) did not
       see in the first bytes: its records are inside base64, so it is
       read whole */
    XScan x;
    claims_xs_init_part(&x, &fpart);
    rc = claims_read_envelope(&fpart, &x);
    if (rc != HICOV_IO && rc != HICOV_NOMEM &&
        claims_input_changed(&in, main_acc->lang, f->path, fpart.err,
                             sizeof fpart.err))
      rc = HICOV_IO;
    rc = claims_part_finish(&fpart, rc);
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
    hicov_free(r->split_probe.csv_map);
    r->split_probe.csv_map = NULL;
    claims_input_close(&in);
    return rc;
  }
  size_t est = claims_estimate_records(&fpart, &r->split_probe);
  if (est)
    rc = claims_reserve(main_acc, est);
  r->chunk_bytes = claims_chunk_size();
  r->n_chunks = (r->split_size + r->chunk_bytes - 1) / r->chunk_bytes;
  if (!r->n_chunks)
    r->n_chunks = 1;
  r->next_chunk = 0;
  r->turn_keys = r->turn_hi = r->turn_data = 0;
  r->last_chunk = (size_t)-1;
  r->at = r->split_probe.form == FORM_CSV ? r->split_probe.body : 0;
  atomic_store(&r->msg_room, main_acc->n_msgs < main_acc->max_msgs
                                 ? main_acc->max_msgs - main_acc->n_msgs : 0);
  r->file_part = &fpart;
  r->file_rc = 0;
  atomic_store(&r->dead, 0);
  r->starts = hicov_calloc(r->n_chunks + 1, sizeof *r->starts);
  if (!r->starts && !rc)
    rc = HICOV_NOMEM;
  /* three chunks in flight per thread: being parsed, waiting for a turn,
     in one of the three turns (two halves of the check, the adding) */
  r->n_slots = 3 * (size_t)r->nw;
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
    rc = claims_part_init(&w->part, main_acc, f->path, &r->sh);
    if (!rc) {
      claims_part_input(&w->part, &in, &w->wb);
      claims_part_bounds(&w->part, r->split_probe.form == FORM_CSV,
                         r->split_probe.body);
      w->part.starts = r->starts;
      started = k + 1;
    }
  }
  if (!rc && claims_start_workers(r, chunk_worker, r->nw))
    rc = HICOV_ERROR;
  if (!rc || started)
    claims_wait_workers(r, r->progress, r->user, r->bytes_total);
  if (!rc)
    rc = r->file_rc;
  if (!rc && main_acc->counts.records_read == read0 &&
      !atomic_load(&r->dead) &&
      !claims_input_changed(&in, main_acc->lang, f->path, fpart.err,
                             sizeof fpart.err))
    rc = claims_note_empty(main_acc, f->path, &r->split_probe);
  fpart.dead = atomic_load(&r->dead); /* the first failure, in the end */
  /* whatever the chunks found, they read a moving file */
  if (rc != HICOV_IO && rc != HICOV_NOMEM &&
      claims_input_changed(&in, main_acc->lang, f->path, fpart.err,
                             sizeof fpart.err))
    rc = HICOV_IO;
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
  hicov_free((void *)r->starts);
  r->starts = NULL;
  claims_part_clear(&fpart);
  hicov_free(r->split_probe.csv_map);
  r->split_probe.csv_map = NULL;
  r->split_in = NULL;
  claims_input_close(&in);
  return rc;
}
