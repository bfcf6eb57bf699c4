/* claims-threads.c - many files read on several threads
 * (hicov_claims_read_paths): big plain XML and CSV files first, each by
 * every thread (claims-chunks.c); then the other files, each by one
 * thread: a file read ahead of its turn goes into an accumulator of its
 * own, absorbed in the order of the list, so that threads give the same
 * result as one. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "claims-read-private.h"

void claims_worker_done(Run *r)
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

/* Reads one file into acc.  With w, through w's buffer, with progress
 * reported; without, the file is read again after it was counted once
 * already (no progress), through a buffer of its own. */
static int file_read(Run *r, Worker *w, HicovClaims *acc, FileItem *f)
{
  Input in;
  char err[480];
  int rc = claims_input_open(f->path, acc->lang, &in, err, sizeof err);
  if (rc) {
    acc->counts.files_read++;
    acc->counts.files_failed++;
    claims_message(acc, HICOV_CLAIMS_MSG_FILE, rc, f->path, "", "", "%s", err);
    if (w)
      atomic_fetch_add(&r->sh.bytes_done, f->size);
    return rc;
  }
  WinBuf own = { 0 };
  rc = claims_read_one(acc, f->path, NULL, 0, &in, w ? &w->wb : &own,
                       w ? &r->sh : NULL);
  claims_winbuf_free(&own);
  claims_input_close(&in);
  return rc;
}

/* A file read into its own accumulator (counts k) whose result could not
 * be added to c (the temporary files failed): its records count as read
 * and rejected with the file, so that read = accepted + rejected still
 * holds. */
static void absorb_failed(HicovClaims *c, const HicovClaimsCounts *k,
                          const char *path, int rc)
{
  HicovClaimsCounts add = *k;
  add.rejected += add.accepted;
  add.rejected_by[HICOV_CLAIMS_REJECT_FILE] += add.accepted;
  add.accepted = add.records_4210 = add.records_130 = add.flagged = 0;
  memset(add.flagged_by, 0, sizeof add.flagged_by);
  add.files_failed += !add.files_failed;
  char why[512];
  hicov_fmt(why, sizeof why, "%s", c->errmsg);
  if (!add_counts(&c->counts, &add))
    claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, path, "", "",
                   T_(c->lang, "%s: its records could not be added (%lld "
                   "rejected with it): %s"), path, (long long)k->records_read,
                   why);
}

/* Absorbs file i's result into r->c (lock held). */
static void absorb_file(Run *r, size_t i)
{
  HicovClaims *pc = r->slot[i];
  int rc = r->slot_rc[i];
  r->slot[i] = NULL;
  if (r->is_big[i])
    return; /* read by claims_read_split, its status set there */
  if (pc) {
    int conflict = 0;
    HicovClaimsCounts k = pc->counts;
    int64_t before = r->c->counts.records_read;
    int arc = absorb_checked(r->c, pc, &conflict);
    if (!arc && conflict) {
      /* a record also in an earlier file (or a big one): read again on
         top of what came before it, where that copy is the duplicate */
      rc = file_read(r, NULL, r->c, &r->files.v[i]);
    } else if (arc) {
      if (r->c->counts.records_read == before)
        absorb_failed(r->c, &k, r->files.v[i].path, arc);
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
    /* a folder that failed in the walk (counted there) keeps its status */
    int rc = r->files.v[i].status;
    if (!rc && !r->is_big[i] && !atomic_load(&r->sh.cancel)) {
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
        if (!rc && (pc->local = hicov_calloc(1, sizeof *pc->local)))
          pc->local->lang = pc->lang;
        else if (!rc) {
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
  claims_worker_done(r);
  return NULL;
}

int claims_wait_workers(Run *r, HicovClaimsProgressFn progress, void *user,
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

int claims_start_workers(Run *r, void *(*fn)(void *), int n)
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

/* Is the file worth splitting: big, and plain XML or CSV? */
static int want_split(const FileItem *f, int nw)
{
  if (nw < 2 || f->size < (int64_t)claims_split_min())
    return 0;
  Input in;
  char err[480];
  if (claims_input_open(f->path, NULL, &in, err, sizeof err))
    return 0; /* read whole, it fails there with its message */
  char head[4096];
  ssize_t n = pread(in.fd, head, sizeof head, 0);
  claims_input_close(&in);
  if (n <= 0)
    return 0;
  /* envelopes are read whole (their records are inside base64) */
  if (memmem(head, (size_t)n, "GIAMDINHHS", 10))
    return 0;
  return 1;
}

/* The run's setup: the files under the paths, the workers and their
 * accumulators.  Returns a status; r is cleared with run_clear whatever it
 * is. */
static int run_init(Run *r, HicovClaims *c, const char *const *paths,
                    size_t n, int threads, HicovClaimsProgressFn progress,
                    void *user)
{
  memset(r, 0, sizeof *r);
  r->c = c;
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->cond, NULL);
  pthread_cond_init(&r->slot_cond, NULL);
  pthread_cond_init(&r->turn_cond, NULL);
  int rc = HICOV_OK;
  for (size_t i = 0; i < n && !rc; i++)
    rc = claims_expand(c, &r->files, paths[i], 0);
  int64_t total = 0;
  for (size_t i = 0; i < r->files.n; i++)
    total += r->files.v[i].size;
  r->nw = threads;
  r->progress = progress;
  r->user = user;
  r->bytes_total = total;
  c->threads = threads;
  if (!rc) {
    r->w = hicov_calloc((size_t)threads, sizeof *r->w);
    r->is_big = hicov_calloc(r->files.n + 1, 1);
    r->slot = hicov_calloc(r->files.n + 1, sizeof *r->slot);
    r->slot_rc = hicov_calloc(r->files.n + 1, sizeof *r->slot_rc);
    r->ready = hicov_calloc(r->files.n + 1, 1);
    if (!r->w || !r->is_big || !r->slot || !r->slot_rc || !r->ready)
      rc = HICOV_NOMEM;
  }
  for (int i = 0; i < threads && !rc; i++) {
    r->w[i].run = r;
    r->w[i].index = i;
    rc = claims_new_worker(c, &r->w[i].acc);
  }
  return rc;
}

/* Big files first, each read by every thread.  Returns HICOV_NOMEM or
 * HICOV_OK (a file's failure is its status); *cancelled when the progress
 * report asked to stop. */
static int read_big_files(Run *r, int *cancelled)
{
  int rc = HICOV_OK;
  for (size_t i = 0; i < r->files.n && !rc && !*cancelled; i++) {
    if (!want_split(&r->files.v[i], r->nw))
      continue;
    r->is_big[i] = 1;
    int frc = claims_read_split(r, &r->files.v[i]);
    if (frc == HICOV_NOMEM)
      rc = frc;
    r->files.v[i].status = frc;
    atomic_fetch_add(&r->sh.files_done, 1);
    if (atomic_load(&r->sh.cancel)) {
      *cancelled = 1; /* by the progress report during the file */
      break;
    }
    if (r->progress) {
      HicovClaimsProgress pg = { atomic_load(&r->sh.bytes_done), r->bytes_total,
                                 atomic_load(&r->sh.files_done),
                                 (int64_t)r->files.n, 0 };
      if (r->progress(&pg, r->user))
        *cancelled = 1;
    }
  }
  return rc;
}

/* The other files, on up to one thread each (small_worker). */
static int read_small_files(Run *r, int *cancelled)
{
  int nw = r->nw;
  if ((size_t)nw > r->files.n)
    nw = r->files.n ? (int)r->files.n : 1;
  if (claims_start_workers(r, small_worker, nw)) {
    claims_wait_workers(r, NULL, NULL, r->bytes_total);
    return claims_error(r->c, HICOV_ERROR, "%s",
                        T_(r->c->lang, "cannot start threads"));
  }
  *cancelled = claims_wait_workers(r, r->progress, r->user, r->bytes_total);
  return HICOV_OK;
}

/* The run's end: the workers' accumulators absorbed, the last progress
 * report, and the status (rc, or the first failing file's, with its
 * message). */
static int run_finish(Run *r, int rc, int cancelled)
{
  HicovClaims *c = r->c;
  for (int i = 0; i < r->nw && r->w; i++) {
    if (r->w[i].acc) {
      int mr = claims_absorb(c, r->w[i].acc);
      if (!rc)
        rc = mr;
      hicov_claims_free(r->w[i].acc);
    }
  }
  claims_trip_settle(c);
  claims_dedup_rest(c->dedup);
  if (r->progress && !rc && !cancelled) { /* "all done" only when it is */
    HicovClaimsProgress pg = { r->bytes_total, r->bytes_total,
                               (int64_t)r->files.n, (int64_t)r->files.n,
                               c->counts.records_read };
    r->progress(&pg, r->user);
  }
  if (!rc && cancelled)
    rc = claims_error(c, HICOV_ERROR, "cancelled");
  for (size_t i = 0; i < r->files.n && !rc; i++) {
    if (!r->files.v[i].status)
      continue;
    rc = r->files.v[i].status;
    /* the message of the first failing file */
    for (size_t m = 0; m < c->n_msgs; m++)
      if (c->msgs[m].kind == HICOV_CLAIMS_MSG_FILE &&
          !strcmp(c->msgs[m].file, r->files.v[i].path)) {
        hicov_fmt(c->errmsg, sizeof c->errmsg, "%s", c->msgs[m].message);
        break;
      }
  }
  return rc;
}

static void run_clear(Run *r)
{
  claims_files_free(&r->files);
  for (int i = 0; r->w && i < r->nw; i++)
    claims_winbuf_free(&r->w[i].wb);
  hicov_free(r->w);
  hicov_free(r->is_big);
  for (size_t i = 0; r->slot && i < r->files.n; i++)
    hicov_claims_free(r->slot[i]); /* none left unless threads failed */
  hicov_free(r->slot);
  hicov_free(r->slot_rc);
  hicov_free(r->ready);
  pthread_mutex_destroy(&r->lock);
  pthread_cond_destroy(&r->cond);
  pthread_cond_destroy(&r->slot_cond);
  pthread_cond_destroy(&r->turn_cond);
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
  /* the process's language looked up once, not for each message */
  const char *lang = c->lang;
  hicov_claims_set_lang(c, hicov_text_lang(lang));
  Run r;
  int rc = run_init(&r, c, paths, n, threads, progress, user);
  int cancelled = 0;
  if (!rc)
    rc = read_big_files(&r, &cancelled);
  if (!rc && !cancelled)
    rc = read_small_files(&r, &cancelled);
  rc = run_finish(&r, rc, cancelled);
  run_clear(&r);
  hicov_claims_set_lang(c, lang);
  return rc;
}
