/* The claims reader under faults and odd files: a file that changes while
 * it is read (serially, in chunks on two threads, whole), files that are
 * not regular files, and inputs whose records are far apart (no record at
 * all, one huge record, one huge line), read in time and memory bounded by
 * their size. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "claims-private.h"
#include "hicov-claims.h"
#include "testutil.h"

static char dir[256];

static void path_of(char *out, size_t size, const char *name)
{
  snprintf(out, size, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *data, size_t len)
{
  char path[512];
  path_of(path, sizeof path, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f)
    return;
  CHECK_INT(fwrite(data, 1, len, f), len);
  fclose(f);
}

typedef struct {
  char *s;
  size_t n, cap;
} Buf;

static void bput(Buf *b, const char *s, size_t l)
{
  if (b->n + l + 1 > b->cap) {
    b->cap = (b->n + l + 1) * 2;
    b->s = realloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, l);
  b->n += l;
  b->s[b->n] = 0;
}

static void bputs(Buf *b, const char *s)
{
  bput(b, s, strlen(s));
}

#define CSV_HEADER "MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT," \
                   "THANG_QT,MA_LOAI_KCB,MA_CSKCB\n"

/* n CSV rows of distinct records, about 60 bytes each. */
static void csv_rows(Buf *b, const char *prefix, int n)
{
  char r[200];
  for (int i = 0; i < n; i++) {
    snprintf(r, sizeof r, "%s%d,HS4010%09d,%d.00,%d,0,2024,%d,01,F%d\n", prefix,
             i, i % 5000, 100 + i % 900, 100 + i % 900, 1 + i % 12, i % 30);
    bputs(b, r);
  }
}

static void plain_records(Buf *b, const char *prefix, int n)
{
  char r[512];
  for (int i = 0; i < n; i++) {
    snprintf(r, sizeof r, "<TONG_HOP><MA_LK>%s%d</MA_LK><MA_THE_BHYT>GD40100"
             "%08d</MA_THE_BHYT><T_TONGCHI_BV>%d</T_TONGCHI_BV><T_BHTT>%d"
             "</T_BHTT><T_BNCCT>0</T_BNCCT><NAM_QT>2024</NAM_QT><THANG_QT>%d"
             "</THANG_QT><MA_LOAI_KCB>01</MA_LOAI_KCB><MA_CSKCB>F%d</MA_CSKCB>"
             "</TONG_HOP>\n", prefix, i, i % 5000, 100 + i % 900,
             100 + i % 900, 1 + i % 12, i % 30);
    bputs(b, r);
  }
}

static void check_balance(HicovClaims *c)
{
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted + k.rejected, k.records_read);
  int64_t sum = 0;
  for (int i = 0; i < HICOV_CLAIMS_N_REJECT; i++)
    sum += k.rejected_by[i];
  CHECK_INT(sum, k.rejected);
}

static int read_one_path(HicovClaims **out, const char *name, int threads)
{
  char path[512];
  path_of(path, sizeof path, name);
  const char *paths[] = { path };
  CHECK_INT(hicov_claims_new(out), HICOV_OK);
  return hicov_claims_read_paths(*out, paths, 1, threads, NULL, NULL);
}

/* ---- a file that changes while it is read ---- */

/* What the read hook does to the file, once, before the first read at or
 * past `at`. */
enum { CUT, TOUCH, GROW };
typedef struct {
  char path[512];
  size_t at, cut_to;
  int what, done;
  pthread_mutex_t lock;
} Change;

static void change_hook(size_t off, void *arg)
{
  Change *ch = arg;
  pthread_mutex_lock(&ch->lock);
  if (!ch->done && off >= ch->at) {
    ch->done = 1;
    if (ch->what == CUT) {
      CHECK_INT(truncate(ch->path, (off_t)ch->cut_to), 0);
    } else if (ch->what == TOUCH) {
      struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
      CHECK_INT(utimes(ch->path, tv), 0);
    } else {
      FILE *f = fopen(ch->path, "ab");
      fputs("Z1,HS4010000000001,1.00,1,0,2024,1,01,F1\n", f);
      fclose(f);
    }
  }
  pthread_mutex_unlock(&ch->lock);
}

/* Reads name (rewritten from data first) with `threads` threads while the
 * hook changes it; returns the status, the accumulator in *out. */
static int read_changing(HicovClaims **out, const char *name, const Buf *data,
                         int threads, int what, size_t at, size_t cut_to)
{
  write_file(name, data->s, data->n);
  static Change ch;
  memset(&ch, 0, sizeof ch);
  pthread_mutex_init(&ch.lock, NULL);
  path_of(ch.path, sizeof ch.path, name);
  ch.at = at;
  ch.cut_to = cut_to;
  ch.what = what;
  claims_debug_read_hook(change_hook, &ch);
  int rc = read_one_path(out, name, threads);
  claims_debug_read_hook(NULL, NULL);
  CHECK(ch.done);
  pthread_mutex_destroy(&ch.lock);
  return rc;
}

/* A file cut short while it is read fails with a message that says so: on
 * two threads (the file in chunks of 64 KB, each thread reading its own),
 * on one (through a window of 64 KB), and whole.  A mapped file killed the
 * process with SIGBUS here.  The records before the cut that were
 * committed stay accepted, the rest of the read are rejected with the
 * file: read = accepted + rejected. */
static void test_cut_while_read(void)
{
  Buf csv = { 0 }, xml = { 0 };
  bputs(&csv, CSV_HEADER);
  csv_rows(&csv, "C", 40000); /* 2.4 MB */
  bputs(&xml, "<?xml version=\"1.0\"?>\n<DSACH>\n");
  plain_records(&xml, "X", 8000); /* 2.4 MB */
  bputs(&xml, "</DSACH>\n");
  claims_debug_split_min(65536);
  claims_debug_window(65536);
  const struct {
    const char *name;
    const Buf *data;
    int threads;
  } cases[] = {
    { "cut.csv", &csv, 2 }, { "cut.xml", &xml, 2 },
    { "cut1.csv", &csv, 1 }, { "cut1.xml", &xml, 1 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    HicovClaims *c;
    int rc = read_changing(&c, cases[i].name, cases[i].data, cases[i].threads,
                           CUT, 1200000, 700000);
    CHECK_INT(rc, HICOV_IO);
    CHECK_CONTAINS(hicov_claims_errmsg(c), "the file changed while it was read");
    CHECK_CONTAINS(hicov_claims_errmsg(c), cases[i].name);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.files_read, 1);
    CHECK_INT(k.files_failed, 1);
    /* what was read before the cut (at 700 KB, below the read at 1.2 MB
       that found it) is counted: accepted if committed, else rejected
       with the file */
    CHECK(k.records_read > 1000 && k.records_read < 30000);
    check_balance(c);
    hicov_claims_free(c);
  }
  /* whole: a small file (up to the window) cut before its one read */
  claims_debug_window(0);
  HicovClaims *c;
  CHECK_INT(read_changing(&c, "small.csv", &csv, 1, CUT, 0, 1000), HICOV_IO);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "small.csv: the file changed while "
                 "it was read: it ends at byte 1000, it had");
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 0);
  CHECK_INT(k.files_failed, 1);
  hicov_claims_free(c);
  claims_debug_split_min(32u << 20);
  free(csv.s);
  free(xml.s);
}

/* A file modified in place (its time) or grown while it is read fails once
 * read: what was read may mix two versions. */
static void test_modified_while_read(void)
{
  Buf csv = { 0 };
  bputs(&csv, CSV_HEADER);
  csv_rows(&csv, "M", 40000);
  claims_debug_split_min(65536);
  claims_debug_window(65536);
  for (int threads = 1; threads <= 2; threads++) {
    HicovClaims *c;
    CHECK_INT(read_changing(&c, "touched.csv", &csv, threads, TOUCH, 1200000, 0),
              HICOV_IO);
    CHECK_CONTAINS(hicov_claims_errmsg(c), "touched.csv: the file was modified "
                   "while it was read");
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.files_failed, 1);
    /* read to the end: every record counted (one thread: those of the
       last window, not committed yet, are rejected with the file) */
    CHECK_INT(k.records_read, 40000);
    CHECK(threads == 2 || k.rejected > 0);
    check_balance(c);
    hicov_claims_free(c);
    CHECK_INT(read_changing(&c, "grown.csv", &csv, threads, GROW, 1200000, 0),
              HICOV_IO);
    char want[200];
    snprintf(want, sizeof want, "grown.csv: the file changed while it was read "
             "(%zu bytes when opened, %zu now)", csv.n, csv.n + 41);
    CHECK_CONTAINS(hicov_claims_errmsg(c), want);
    check_balance(c);
    hicov_claims_free(c);
  }
  claims_debug_window(0);
  claims_debug_split_min(32u << 20);
  free(csv.s);
}

/* Another thread cuts the file as it likes while two threads read it in
 * chunks: never a crash; a failure says the file changed. */
typedef struct {
  char path[512];
  volatile int started;
} Racer;

static void start_hook(size_t off, void *arg)
{
  (void)off;
  ((Racer *)arg)->started = 1;
}

static void *racer(void *arg)
{
  Racer *r = arg;
  while (!r->started)
    usleep(100);
  usleep(2000);
  truncate(r->path, 0);
  return NULL;
}

static void test_cut_racing(void)
{
  Buf csv = { 0 };
  bputs(&csv, CSV_HEADER);
  csv_rows(&csv, "R", 300000); /* 18 MB */
  claims_debug_split_min(1u << 20);
  for (int round = 0; round < 3; round++) {
    write_file("race.csv", csv.s, csv.n);
    Racer r = { "", 0 };
    path_of(r.path, sizeof r.path, "race.csv");
    claims_debug_read_hook(start_hook, &r);
    pthread_t th;
    CHECK_INT(pthread_create(&th, NULL, racer, &r), 0);
    HicovClaims *c;
    int rc = read_one_path(&c, "race.csv", 2);
    pthread_join(th, NULL);
    claims_debug_read_hook(NULL, NULL);
    if (rc != HICOV_OK)
      CHECK_CONTAINS(hicov_claims_errmsg(c), "race.csv: the file changed while "
                     "it was read");
    check_balance(c);
    hicov_claims_free(c);
  }
  claims_debug_split_min(32u << 20);
  free(csv.s);
}

/* ---- records far apart ---- */

/* Reads data (as name) on one thread through windows of 68 KB, and on two
 * in chunks of 64 KB (each read with a window of a chunk and a little more,
 * as by default): the same counts both ways, and the reader reads each byte
 * of the input once or twice (a chunk without a record start is read by
 * its thread, which finds none, and by the one whose parse goes across it)
 * and searches it for chunk starts about once (the search used to go from
 * each chunk to the next record start, through the rest of the file when
 * there was none: here 30 times the file).  Returns the counts of the
 * threaded read. */
static HicovClaimsCounts read_far(const char *name, const Buf *data, int want_rc)
{
  write_file(name, data->s, data->n);
  claims_debug_split_min(65536);
  claims_debug_window(65536 + 4096);
  HicovClaimsCounts k[2];
  for (int t = 1; t <= 2; t++) {
    uint64_t rd, searched;
    claims_debug_counters(&rd, &searched);
    HicovClaims *c;
    int rc = read_one_path(&c, name, t);
    CHECK_INT(rc, want_rc);
    if (rc != want_rc)
      fprintf(stderr, "%s, %d threads: %s\n", name, t, hicov_claims_errmsg(c));
    claims_debug_counters(&rd, &searched);
    if (rd > 3 * data->n || searched > 2 * data->n)
      fprintf(stderr, "%s, %d threads: read %llu, searched %llu bytes of %zu\n",
              name, t, (unsigned long long)rd, (unsigned long long)searched,
              data->n);
    CHECK(rd >= data->n && rd <= 3 * data->n);
    CHECK(searched <= 2 * data->n);
    hicov_claims_counts(c, &k[t - 1]);
    check_balance(c);
    hicov_claims_free(c);
  }
  CHECK_INT(k[1].records_read, k[0].records_read);
  CHECK_INT(k[1].accepted, k[0].accepted);
  claims_debug_window(0);
  claims_debug_split_min(32u << 20);
  return k[1];
}

static void test_far_apart(void)
{
  /* plain XML without a TONG_HOP: XML2's drug lines, 4 MB */
  Buf b = { 0 };
  bputs(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CHITIEU_CHITIET_THUOC>"
            "<DSACH_CHI_TIET_THUOC>\n");
  char r[400];
  for (int i = 0; b.n < (4u << 20); i++) {
    snprintf(r, sizeof r, "<CHI_TIET_THUOC><MA_LK>L%d</MA_LK><STT>1</STT>"
             "<MA_THUOC>40.%d</MA_THUOC><TEN_THUOC>Paracetamol 500mg</TEN_THUOC>"
             "<SO_LUONG>10</SO_LUONG><DON_GIA>1200</DON_GIA><THANH_TIEN>12000"
             "</THANH_TIEN></CHI_TIET_THUOC>\n", i, i % 700);
    bputs(&b, r);
  }
  bputs(&b, "</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>\n");
  HicovClaimsCounts k = read_far("xml2.xml", &b, HICOV_OK);
  CHECK_INT(k.records_read, 0);
  b.n = 0;

  /* plain XML whose first record holds a 3 MB field we do not read */
  bputs(&b, "<?xml version=\"1.0\"?>\n<DSACH_TONG_HOP>\n<TONG_HOP><MA_LK>H"
            "</MA_LK><HO_TEN>");
  while (b.n < (3u << 20))
    bputs(&b, "Nguyen Van A Nguyen Thi B ");
  bputs(&b, "</HO_TEN><MA_THE_BHYT>GD4010000000001</MA_THE_BHYT><T_TONGCHI_BV>1"
            "</T_TONGCHI_BV><T_BHTT>1</T_BHTT><T_BNCCT>0</T_BNCCT><NAM_QT>2024"
            "</NAM_QT><THANG_QT>1</THANG_QT><MA_LOAI_KCB>01</MA_LOAI_KCB>"
            "<MA_CSKCB>F1</MA_CSKCB></TONG_HOP>\n");
  plain_records(&b, "P", 2000);
  bputs(&b, "</DSACH_TONG_HOP>\n");
  k = read_far("huge-record.xml", &b, HICOV_OK);
  CHECK_INT(k.records_read, 2001);
  CHECK_INT(k.accepted, 2001);
  b.n = 0;

  /* CSV whose first row has a 3 MB field we do not read, then a row with
     a quoted field of 2 MB of line breaks (a chunk start in every chunk,
     none of them a row's) */
  bputs(&b, "MA_LK,GHI_CHU,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
            "THANG_QT,MA_LOAI_KCB,MA_CSKCB\nH1,");
  while (b.n < (3u << 20))
    bputs(&b, "abcdefghijklmnopqrstuvwxyz");
  bputs(&b, ",HS4010000000001,1.00,1,0,2024,1,01,F1\nH2,\"");
  while (b.n < (5u << 20))
    bputs(&b, "a line\nof a note\n");
  bputs(&b, "\",HS4010000000002,1.00,1,0,2024,1,01,F1\n");
  char row[200];
  for (int i = 0; i < 2000; i++) {
    snprintf(row, sizeof row, "R%d,,HS4010%09d,2.00,2,0,2024,3,01,F2\n", i, i);
    bputs(&b, row);
  }
  k = read_far("huge-line.csv", &b, HICOV_OK);
  CHECK_INT(k.records_read, 2002);
  CHECK_INT(k.accepted, 2002);
  free(b.s);
}

/* ---- what is not a regular file; folders walked once ---- */

static int has_message(HicovClaims *c, int kind, const char *needle)
{
  for (size_t i = 0; i < hicov_claims_message_count(c); i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == kind && strstr(m.message, needle))
      return 1;
  }
  return 0;
}

static int count_messages(HicovClaims *c, int kind)
{
  int n = 0;
  for (size_t i = 0; i < hicov_claims_message_count(c); i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    n += m.kind == kind;
  }
  return n;
}

static const char ONE_ROW[] = CSV_HEADER "A1,HS4010000000001,100,80,20,2024,1,01,F1\n";

/* A FIFO in a folder, /dev/zero and /dev/null given as files: each fails
 * at once with what it is (a FIFO without a writer used to block the read
 * forever, /dev/zero to grow without end), the other files are read. */
static void test_not_regular(void)
{
  char sub[512], fifo[600], file[600];
  path_of(sub, sizeof sub, "with-fifo");
  CHECK_INT(mkdir(sub, 0700), 0);
  snprintf(fifo, sizeof fifo, "%s/a.fifo", sub);
  snprintf(file, sizeof file, "%s/b.csv", sub);
  CHECK_INT(mkfifo(fifo, 0600), 0);
  FILE *f = fopen(file, "w");
  fputs(ONE_ROW, f);
  fclose(f);
  for (int t = 1; t <= 2; t++) {
    HicovClaims *c;
    hicov_claims_new(&c);
    const char *paths[] = { sub, "/dev/zero", "/dev/null" };
    CHECK_INT(hicov_claims_read_paths(c, paths, 3, t, NULL, NULL), HICOV_IO);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.files_read, 4);
    CHECK_INT(k.files_failed, 3);
    CHECK_INT(k.accepted, 1);
    CHECK(has_message(c, HICOV_CLAIMS_MSG_FILE, "a.fifo: a FIFO (named pipe), "
                      "not a regular file: refused"));
    CHECK(has_message(c, HICOV_CLAIMS_MSG_FILE, "/dev/zero: a character device, "
                      "not a regular file: refused"));
    CHECK(has_message(c, HICOV_CLAIMS_MSG_FILE, "/dev/null: a character device"));
    /* the first failing file's message is the read's */
    CHECK_CONTAINS(hicov_claims_errmsg(c), "a.fifo: a FIFO");
    hicov_claims_free(c);
  }
  /* the one-file call too */
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_file(c, fifo), HICOV_IO);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "a FIFO (named pipe), not a regular file");
  hicov_claims_free(c);
}

/* A link back up (ln -s . self) is skipped with a note and the files are
 * read once, where it made the walk recurse to the depth limit and the
 * whole read fail without a word; links that fan out (two to the next
 * level, 25 levels) are walked once, not 2^25 times; folders nested deeper
 * than the limit fail as a file does, the others are read. */
static void test_folders(void)
{
  char loop[512], p[2200];
  path_of(loop, sizeof loop, "loop");
  CHECK_INT(mkdir(loop, 0700), 0);
  snprintf(p, sizeof p, "%s/a.csv", loop);
  FILE *f = fopen(p, "w");
  fputs(ONE_ROW, f);
  fclose(f);
  snprintf(p, sizeof p, "%s/self", loop);
  CHECK_INT(symlink(".", p), 0);
  for (int t = 1; t <= 2; t++) {
    HicovClaims *c;
    hicov_claims_new(&c);
    const char *paths[] = { loop };
    CHECK_INT(hicov_claims_read_paths(c, paths, 1, t, NULL, NULL), HICOV_OK);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.files_read, 1);
    CHECK_INT(k.accepted, 1);
    char want[1200];
    snprintf(want, sizeof want, "%s/self: the folder %s, read already: skipped",
             loop, loop);
    CHECK(has_message(c, HICOV_CLAIMS_MSG_NOTE, want));
    CHECK_INT(count_messages(c, HICOV_CLAIMS_MSG_NOTE), 1);
    hicov_claims_free(c);
  }

  /* fan-out: lvl0/{a,b} -> lvl1, lvl1/{a,b} -> lvl2, ..., lvl25/x.csv */
  char lv[512];
  for (int i = 25; i >= 0; i--) {
    snprintf(lv, sizeof lv, "%s/lvl%d", dir, i);
    CHECK_INT(mkdir(lv, 0700), 0);
    if (i == 25) {
      snprintf(p, sizeof p, "%s/x.csv", lv);
      f = fopen(p, "w");
      fputs(ONE_ROW, f);
      fclose(f);
      continue;
    }
    for (int k = 0; k < 2; k++) {
      char target[600];
      snprintf(target, sizeof target, "%s/lvl%d", dir, i + 1);
      snprintf(p, sizeof p, "%s/%c", lv, "ab"[k]);
      CHECK_INT(symlink(target, p), 0);
    }
  }
  HicovClaims *c;
  hicov_claims_new(&c);
  snprintf(lv, sizeof lv, "%s/lvl0", dir);
  const char *fan[] = { lv };
  CHECK_INT(hicov_claims_read_paths(c, fan, 1, 2, NULL, NULL), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.files_read, 1);
  CHECK_INT(k.records_read, 1);
  CHECK_INT(count_messages(c, HICOV_CLAIMS_MSG_NOTE), 25); /* each b once */
  hicov_claims_free(c);

  /* deeper than the limit: deep/d/d/.../d (40 levels), a file at level 1
     and one at the bottom */
  char deep[2048];
  path_of(deep, sizeof deep, "deep");
  CHECK_INT(mkdir(deep, 0700), 0);
  snprintf(p, sizeof p, "%s/top.csv", deep);
  f = fopen(p, "w");
  fputs(ONE_ROW, f);
  fclose(f);
  for (int i = 0; i < 40; i++) {
    strcat(deep, "/d");
    CHECK_INT(mkdir(deep, 0700), 0);
  }
  snprintf(p, sizeof p, "%s/bottom.csv", deep);
  f = fopen(p, "w");
  fputs(ONE_ROW, f);
  fclose(f);
  hicov_claims_new(&c);
  path_of(deep, sizeof deep, "deep");
  const char *dp[] = { deep };
  CHECK_INT(hicov_claims_read_paths(c, dp, 1, 2, NULL, NULL), HICOV_LIMIT);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "folders nested more than 32 deep: "
                 "not read");
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 1);
  CHECK_INT(k.files_failed, 1);
  check_balance(c);
  hicov_claims_free(c);
}

/* ---- the accumulator's temporary files fail ---- */

/* TMPDIR missing when the tables pass their (tiny) budgets: the file fails
 * with the reason, and the rest of it is still read and counted, its
 * records rejected with the file (they used to be in neither accepted nor
 * rejected: 65,536 of 240,000 records counted); the same on one thread and
 * two, a file read whole or in chunks, and small files read ahead of their
 * turn. */
static void test_temporary_files_fail(void)
{
  Buf csv = { 0 };
  bputs(&csv, CSV_HEADER);
  csv_rows(&csv, "T", 30000);
  write_file("tmpfail.csv", csv.s, csv.n);
  char small[4][32];
  for (int i = 0; i < 4; i++) {
    Buf b = { 0 };
    bputs(&b, CSV_HEADER);
    char prefix[8];
    snprintf(prefix, sizeof prefix, "S%d_", i);
    csv_rows(&b, prefix, 3000);
    snprintf(small[i], sizeof small[i], "small%d.csv", i);
    write_file(small[i], b.s, b.n);
    free(b.s);
  }
  const char *tmp = getenv("TMPDIR");
  char *saved = tmp ? strdup(tmp) : NULL;
  setenv("TMPDIR", "/nonexistent-hicov-tmp", 1);
  claims_debug_trip_budget(1024);
  HicovClaimsCounts ref;
  size_t ref_msgs = 0;
  for (int round = 0; round < 4; round++) {
    int threads = round % 2 ? 2 : 1;
    claims_debug_split_min(round < 2 ? 65536 : (size_t)1 << 40);
    HicovClaims *c;
    int rc = read_one_path(&c, "tmpfail.csv", threads);
    CHECK_INT(rc, HICOV_IO);
    CHECK_CONTAINS(hicov_claims_errmsg(c), "tmpfail.csv: cannot create the "
                   "temporary file");
    CHECK_CONTAINS(hicov_claims_errmsg(c), "/nonexistent-hicov-tmp");
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.records_read, 30000); /* all of it */
    CHECK(k.accepted >= 1024 && k.accepted < 30000);
    CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_FILE], 30000 - k.accepted);
    CHECK_INT(k.files_failed, 1);
    check_balance(c);
    if (round == 0) {
      ref = k;
      ref_msgs = hicov_claims_message_count(c);
    } else {
      CHECK(!memcmp(&k, &ref, sizeof k));
      CHECK_INT(hicov_claims_message_count(c), ref_msgs);
    }
    hicov_claims_free(c);
  }
  /* small files, the later ones read ahead into accumulators of their own
     and absorbed: every record counted */
  claims_debug_split_min(32u << 20);
  for (int threads = 1; threads <= 2; threads++) {
    HicovClaims *c;
    hicov_claims_new(&c);
    char paths[4][600];
    const char *pp[4];
    for (int i = 0; i < 4; i++) {
      path_of(paths[i], sizeof paths[i], small[i]);
      pp[i] = paths[i];
    }
    CHECK_INT(hicov_claims_read_paths(c, pp, 4, threads, NULL, NULL), HICOV_IO);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.records_read, 12000);
    CHECK_INT(k.files_read, 4);
    CHECK(k.files_failed >= 1);
    check_balance(c);
    hicov_claims_free(c);
  }
  claims_debug_trip_budget(0);
  if (saved) {
    setenv("TMPDIR", saved, 1);
    free(saved);
  } else {
    unsetenv("TMPDIR");
  }
  free(csv.s);
}

/* ---- states rebuilt from bytes ---- */

/* The offset of a count in a serialised state (after the format's mark and
 * the byte-order mark). */
#define COUNT_AT(field) (16 + offsetof(HicovClaimsCounts, field))

static void put_count(unsigned char *state, size_t at, int64_t v)
{
  memcpy(state + at, &v, sizeof v);
}

/* States with impossible counts are refused with what is wrong, where they
 * were taken as they came (read != accepted + rejected after a merge, and
 * a merge of two such states overflowed a signed 64-bit sum: undefined
 * behaviour).  A merge whose sums would pass 64 bits changes nothing. */
static void test_tampered_state(void)
{
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "one.csv", ONE_ROW, strlen(ONE_ROW)),
            HICOV_OK);
  void *blob;
  size_t len;
  CHECK_INT(hicov_claims_serialize(c, &blob, &len), HICOV_OK);
  unsigned char *t = malloc(len);
  const struct {
    size_t at;
    int64_t v;
    const char *why;
  } cases[] = {
    { COUNT_AT(accepted), 5, "1 records read, not accepted 5 + rejected 0" },
    { COUNT_AT(records_read), -1, "a count of -1" },
    { COUNT_AT(rejected_by[0]), 3, "0 records rejected, 3 by reason" },
    { COUNT_AT(files_failed), 2, "2 files failed of 1 read" },
    { COUNT_AT(records_130), 0, "1 records accepted, 0 of era 4210 and 0 of "
                                "era 130" },
    { COUNT_AT(bytes_read), INT64_MAX, "a count of 9223372036854775807" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memcpy(t, blob, len);
    put_count(t, cases[i].at, cases[i].v);
    HicovClaims *d = NULL;
    char err[300];
    CHECK_INT(hicov_claims_load_state(t, len, &d, err, sizeof err), HICOV_PARSE);
    CHECK(d == NULL);
    CHECK_CONTAINS(err, cases[i].why);
    CHECK_INT(hicov_claims_deserialize(t, len, &d), HICOV_PARSE);
  }
  /* accepted and read both raised: the cells do not hold the visits */
  memcpy(t, blob, len);
  put_count(t, COUNT_AT(records_read), 3);
  put_count(t, COUNT_AT(accepted), 3);
  put_count(t, COUNT_AT(records_130), 3);
  HicovClaims *d = NULL;
  char err[300];
  CHECK_INT(hicov_claims_load_state(t, len, &d, err, sizeof err), HICOV_PARSE);
  CHECK_CONTAINS(err, "the cells hold 1 visits, the counts say 3 records were "
                 "accepted");
  /* a table longer than the bytes, and bytes cut short */
  CHECK_INT(hicov_claims_load_state(blob, len - 1, &d, err, sizeof err),
            HICOV_PARSE);
  CHECK_CONTAINS(err, "not a claims state hicov made");
  /* the state as written loads */
  CHECK_INT(hicov_claims_load_state(blob, len, &d, err, sizeof err), HICOV_OK);
  hicov_claims_free(d);

  /* two states with 2^62 rejected records each (possible counts, beyond any
     real read): merged, the counts would pass 64 bits */
  memcpy(t, blob, len);
  int64_t big = (int64_t)1 << 62;
  put_count(t, COUNT_AT(records_read), big);
  put_count(t, COUNT_AT(rejected), big - 1);
  put_count(t, COUNT_AT(rejected_by[HICOV_CLAIMS_REJECT_MALFORMED]), big - 1);
  HicovClaims *x = NULL, *y = NULL;
  CHECK_INT(hicov_claims_load_state(t, len, &x, err, sizeof err), HICOV_OK);
  CHECK_INT(hicov_claims_load_state(t, len, &y, err, sizeof err), HICOV_OK);
  if (x && y) {
    HicovClaimsCounts before, after;
    hicov_claims_counts(x, &before);
    CHECK_INT(hicov_claims_merge(x, y), HICOV_OVERFLOW);
    CHECK_CONTAINS(hicov_claims_errmsg(x), "overflow 64 bits: nothing merged");
    hicov_claims_counts(x, &after);
    CHECK(!memcmp(&before, &after, sizeof before));
    check_balance(x);
  }
  hicov_claims_free(x);
  hicov_claims_free(y);
  free(t);
  hicov_free(blob);
  hicov_claims_free(c);
}

/* The temporary files of a big read have no name (O_TMPFILE): a kill -9
 * can leave none behind, not even between a file's creation and its
 * unlink; where the file system cannot, they are named and unlinked at
 * once.  Seen from /proc/self/fd while the accumulator holds them. */
static int temp_fds(const char *tmp, int *unnamed, int *named)
{
  *unnamed = *named = 0;
  char link[64], target[1024];
  for (int fd = 0; fd < 1024; fd++) {
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
      continue;
    target[n] = 0;
    size_t tl = strlen(tmp);
    if (strncmp(target, tmp, tl) || target[tl] != '/')
      continue;
    if (target[tl + 1] == '#')
      (*unnamed)++;
    else if (!strncmp(target + tl + 1, "hicov-", 6))
      (*named)++;
  }
  return *unnamed + *named;
}

static void test_temporary_files_unnamed(void)
{
  char tmp[600];
  path_of(tmp, sizeof tmp, "tmpdir");
  CHECK_INT(mkdir(tmp, 0700), 0);
  const char *old = getenv("TMPDIR");
  char *saved = old ? strdup(old) : NULL;
  setenv("TMPDIR", tmp, 1);
  Buf csv = { 0 };
  bputs(&csv, CSV_HEADER);
  csv_rows(&csv, "U", 5000);
  write_file("spill.csv", csv.s, csv.n);
  claims_debug_trip_budget(1024);
  claims_debug_key_budget(1024);
  for (int named = 0; named <= 1; named++) {
    claims_debug_no_tmpfile(named);
    HicovClaims *c;
    CHECK_INT(read_one_path(&c, "spill.csv", 1), HICOV_OK);
    int un, nm;
    CHECK(temp_fds(tmp, &un, &nm) > 0);
    CHECK_INT(named ? un : nm, 0);
    hicov_claims_free(c);
    CHECK_INT(temp_fds(tmp, &un, &nm), 0);
  }
  claims_debug_no_tmpfile(0);
  claims_debug_trip_budget(0);
  claims_debug_key_budget(0);
  if (saved) {
    setenv("TMPDIR", saved, 1);
    free(saved);
  } else {
    unsetenv("TMPDIR");
  }
  free(csv.s);
}

/* ---- findings of the fuzzers' reads through windows ---- */

/* K11 (tests/fuzz/README.md): a chunk start looked for past the window's
 * end grew the window in place, and the CSV row loop went on with the
 * block it had scanned before, which marked the old end as a line end: a
 * row was cut in two (4 records read against 3 in memory). */
static const char k11[] =
  "\357\273\277MA_LK,STT,MA_BN,HO_TEN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCC"
  "T,NAM_QT,THANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\nL1,1,B1,\"NGUYEN, "
  "VAN A\",GD4010000000001,100.00,80.B3,X,CN\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000"
  "\000\000\000\000\000301000000,TE101000000004,\"145940,50\",145940.50,0,20"
  "24,3,01,0,04004\r\tL9,10,B9,X,,10,10,0,2024,3,07,0,04004\r\nL10,11,,X,000"
  "00,0010010,10,0,2024,3,01,0,04004\r\n";

/* K12: a row longer than the window ran past a chunk start, which was
 * found, and past the next one, which was not looked for: the window slid
 * beyond it, and the serial read failed ("internal error: chunk 2's start
 * is no longer held") where the bytes in memory read 8 records. */
static const char k12[] =
  "MA_LK,STT,mA_BN,HO_TEN,MA_THE_BHYT,T_TONGCH-I_BV,T_BHTT,T_BNCCT,NAM_QT,TH"
  "ANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\n\rsL\357\273\277MA_LK,STT,MA_"
  "BN,HO_\002TEN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_"
  "LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\nL1,1,B1,\"NGUMA_LOAI_KCBYEN,`VAN\000"
  "\000\000\000,T_BHTT\nA~,B,MA_ 1,1,B1,X,GD4\02010000000001,999999999999999"
  "99999.99,9223372036854775:.07,-1,2024,3,01,99999999999,04004\nL2,1,B1,X,G"
  "D4010000000001,92233720368\313\3137758.07,9223372T_BHTT,T_BNCCT,NAM_QT,TH"
  "ANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\n\rsL1,1,B1,X,GD4010000000001,"
  "99999999999999999999.99,9223372036854775:.07,-1,2024,3,01,99999999999,040"
  "04\nL2,1,B1,X,GD4010000000001,92233720368\313\3137758.07,9223372036854775"
  "8A\",GD4010000000001,100.00,80.00,20.00,2024A~,B,,3,00,0,04004\r\nL2,2,B2"
  ",\"TRAN \"\"B\"\"\nli0368547758.07,0,2024,3,01,0,04004ne two\",HT30100000"
  "00002,500.00,475.00,25.00,2024,3,03,4,0\n4004\r\nL3,3033,X,CN3010\nL9,10,"
  "B9,X,,10,10,0,2024,3,07,0,04001\r4L\n0,11,,X,0000000010,10,10,0,2024,3,01"
  ",0,04004\r\n";

/* Reads data in memory, then from a file on one thread and on two through
 * windows of 64 bytes, in chunks of 256 bytes: the same status and counts
 * (want_read records). */
static void same_through_windows(const char *name, const char *data, size_t n,
                                 int64_t want_read)
{
  HicovClaims *mem;
  hicov_claims_new(&mem);
  claims_debug_split_min(16);
  int want_rc = hicov_claims_read_buffer(mem, name, data, n);
  HicovClaimsCounts want;
  hicov_claims_counts(mem, &want);
  CHECK_INT(want.records_read, want_read);
  hicov_claims_free(mem);
  write_file(name, data, n);
  claims_debug_window(64);
  for (int t = 1; t <= 2; t++) {
    HicovClaims *c;
    int rc = read_one_path(&c, name, t);
    CHECK_INT(rc, want_rc);
    if (rc != want_rc)
      fprintf(stderr, "%s, %d threads: %s\n", name, t, hicov_claims_errmsg(c));
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.records_read, want.records_read);
    CHECK_INT(k.accepted, want.accepted);
    CHECK_INT(k.rejected, want.rejected);
    hicov_claims_free(c);
  }
  claims_debug_window(0);
  claims_debug_split_min(32u << 20);
}

static void test_window_findings(void)
{
  same_through_windows("k11.csv", k11, sizeof k11 - 1, 3);
  same_through_windows("k12.csv", k12, sizeof k12 - 1, 8);
  /* records one level down, in a wrapper: the serial read passes chunk
     starts there without committing, and its window slides on between
     records; the starts it needs later were found first */
  Buf b = { 0 };
  bputs(&b, "<?xml version=\"1.0\"?>\n<ROOT><W>\n");
  plain_records(&b, "W", 40);
  bputs(&b, "</W><TONG_HOP><MA_LK>Z</MA_LK></TONG_HOP>\n");
  plain_records(&b, "V", 10);
  bputs(&b, "</ROOT>\n");
  same_through_windows("wrapper.xml", b.s, b.n, 51);
  free(b.s);
}

/* ---- values.csv in pieces ---- */

typedef struct {
  Buf out;
  int calls, fail_at;
  size_t largest;
} Pieces;

static int take_piece(void *ctx, const void *data, size_t n)
{
  Pieces *p = ctx;
  if (++p->calls == p->fail_at)
    return HICOV_IO;
  bput(&p->out, data, n);
  if (n > p->largest)
    p->largest = n;
  return HICOV_OK;
}

/* hicov_claims_values_csv_write hands over the bytes of
 * hicov_claims_values_csv, in pieces of 64 KB and one line at most, and
 * stops at the first piece refused. */
static void test_values_in_pieces(void)
{
  Buf b = { 0 };
  bputs(&b, CSV_HEADER);
  /* 97 facilities x 12 months: 1,164 cells of 12 lines, some 400 KB */
  for (int i = 0; i < 6000; i++) {
    char r[200];
    snprintf(r, sizeof r, "V%d,HS4010%09d,%d.50,%d,0,2024,%d,01,F%d\n", i,
             i % 5000, 100 + i % 900, 100 + i % 900, 1 + i / 97 % 12, i % 97);
    bputs(&b, r);
  }
  write_file("values.csv", b.s, b.n);
  HicovClaims *c, *mem;
  CHECK_INT(read_one_path(&mem, "values.csv", 1), HICOV_OK);
  char *whole;
  size_t len, len2 = 1;
  CHECK_INT(hicov_claims_values_csv(mem, NULL, "t", &whole, &len), HICOV_OK);
  CHECK(len > 2 * 65536);
  /* cells written out 100 at a time (1,164 cells, 6,000 records) come back
     in slices of facilities of at most 100 copies: the same bytes */
  claims_debug_cell_budget(100);
  CHECK_INT(read_one_path(&c, "values.csv", 1), HICOV_OK);
  claims_debug_cell_budget(0);
  CHECK(c->cspill.n > 1000);
  Pieces p = { { 0 }, 0, 0, 0 };
  CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", take_piece, &p, &len2),
            HICOV_OK);
  CHECK(c->cspill.n > 1000); /* left on disk */
  CHECK_INT(len2, len);
  CHECK_INT(p.out.n, len);
  CHECK(p.out.s && !memcmp(p.out.s, whole, len));
  CHECK(p.calls >= 2 && p.calls <= (int)(len / 65536) + 1);
  CHECK(p.largest >= 65536 && p.largest < 65536 + 100);
  Pieces q = { { 0 }, 0, 2, 0 };
  CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", take_piece, &q, &len2),
            HICOV_IO);
  CHECK_INT(q.calls, 2);
  CHECK_INT(len2, 0);
  free(p.out.s);
  free(q.out.s);
  /* a facility with more copies than the budget is a slice of its own */
  claims_debug_cell_budget(16);
  hicov_claims_free(c);
  CHECK_INT(read_one_path(&c, "values.csv", 1), HICOV_OK);
  Pieces r = { { 0 }, 0, 0, 0 };
  CHECK_INT(hicov_claims_values_csv_write(c, NULL, "t", take_piece, &r, &len2),
            HICOV_OK);
  claims_debug_cell_budget(0);
  CHECK(r.out.s && r.out.n == len && !memcmp(r.out.s, whole, len));
  free(r.out.s);
  hicov_free(whole);
  hicov_claims_free(c);
  hicov_claims_free(mem);
  free(b.s);
}

/* Card numbers read 8 bytes at a time: the patient is the 10 digits after
 * the province (the same SI number in two provinces is one patient), and a
 * non-digit anywhere in the 12 last characters makes the card malformed. */
static void test_card_digits(void)
{
  static const char csv[] = CSV_HEADER
    "K1,DN4010123456789,100,80,20,2024,1,01,F1\n"  /* SI 0123456789 */
    "K2,HT3790123456789,100,80,20,2024,1,01,F1\n"  /* the same SI */
    "K3,DN4019876543210,100,80,20,2024,1,01,F1\n"  /* SI 9876543210 */
    "K4,DN401987654321X,100,80,20,2024,1,01,F1\n"  /* malformed: last */
    "K5,DN4X19876543210,100,80,20,2024,1,01,F1\n"  /* malformed: 4th */
    "K6,DN401987:543210,100,80,20,2024,1,01,F1\n"; /* ':' is '9' + 1 */
  write_file("cards.csv", csv, sizeof csv - 1);
  HicovClaims *c;
  CHECK_INT(read_one_path(&c, "cards.csv", 1), HICOV_OK);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 6);
  CHECK_INT(k.flagged_by[HICOV_CLAIMS_FLAG_CARD_MALFORMED], 3);
  HicovClaimsTotals t;
  CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
  /* two card patients, and the three malformed visits (no MA_BN) one
     patient each */
  CHECK_INT(t.patients, 5);
  hicov_claims_free(c);
}

/* A shard of the shared duplicate table grows past its default budget
 * (2^20 / 64 = 16384 slots) when a table of at most 32 MB in all (65536
 * slots a shard) holds every key it expects at 3/4 full: 48000 keys take
 * 65536 slots (32768 hold 24576, 65536 hold 49152); 60000 keys would take
 * 131072, over the limit, and the table keeps its budget.  A table grown
 * for fewer keys than are announced later comes back to the budget: its
 * keys rehashed when they fit in 3/4 of it, else written out first.  Exact
 * all along: every key is found. */
static uint64_t shard0_key(uint64_t i)
{
  return (mix64(i + 1) >> 6) | 1; /* shard 0: the top 6 bits clear */
}

static void test_key_table_fit(void)
{
  ClaimsDedup *d = claims_dedup_new();
  CHECK(d != NULL);
  CHECK_INT((int)d->set[0].max_cap, 16384);
  CHECK_INT(claims_set_expect(&d->set[0], 48000), HICOV_OK);
  CHECK_INT((int)d->set[0].max_cap, 65536);
  CHECK_INT(claims_set_expect(&d->set[1], 60000), HICOV_OK);
  CHECK_INT((int)d->set[1].max_cap, 16384);
  for (int big = 0; big <= 1; big++) {
    /* 10000 keys rehashed into the budget's table; 40000 written out */
    ClaimsSet *s = &d->set[2 + big];
    uint64_t n = big ? 40000 : 10000;
    int added;
    CHECK_INT(claims_set_expect(s, 48000), HICOV_OK);
    for (uint64_t i = 0; i < n; i++) {
      CHECK_INT(claims_set_insert(s, shard0_key(i), &added), HICOV_OK);
      CHECK_INT(added, 1);
    }
    CHECK_INT((int)s->cap, big ? 65536 : 16384);
    CHECK_INT((int)s->spilled, 0);
    CHECK_INT(claims_set_expect(s, 12000), HICOV_OK); /* 60000 in all */
    CHECK_INT((int)s->max_cap, 16384);
    CHECK_INT((int)s->cap, 16384);
    CHECK_INT((int)s->spilled, big ? 40000 : 0);
    CHECK_INT((int)s->n, big ? 0 : 10000);
    int missing = 0;
    for (uint64_t i = 0; i < n; i++) {
      int found;
      CHECK_INT(claims_set_contains(s, shard0_key(i), &found), HICOV_OK);
      missing += !found;
    }
    CHECK_INT(missing, 0);
    CHECK_INT(claims_set_insert(s, shard0_key(7), &added), HICOV_OK);
    CHECK_INT(added, 0);
    CHECK_INT(claims_set_insert(s, shard0_key(n), &added), HICOV_OK);
    CHECK_INT(added, 1);
    CHECK_INT((int)claims_set_count(s), (int)n + 1);
  }
  claims_dedup_free(d);
}

int main(void)
{
  snprintf(dir, sizeof dir, "/tmp/hicov-test-claims-faults-%d", (int)getpid());
  CHECK_INT(mkdir(dir, 0700), 0);
  test_cut_while_read();
  test_modified_while_read();
  test_cut_racing();
  test_far_apart();
  test_not_regular();
  test_folders();
  test_temporary_files_fail();
  test_tampered_state();
  test_temporary_files_unnamed();
  test_window_findings();
  test_values_in_pieces();
  test_card_digits();
  test_key_table_fit();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
  return test_finish("test-claims-faults");
}
