/* Atomic file replacement (csrc/core/report-atomic.c), which every file
 * hicov writes goes through: links followed, modes kept, read-only files
 * and non-regular files refused, and no temporary file left behind after
 * an error, SIGTERM (the CLI's handler) or SIGKILL. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hicov-core.h"
#include "hicov-report.h"
#include "report-private.h"
#include "testutil.h"

static char dir[64];

static int count_entries(void)
{
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  static char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void path_in(char *buf, size_t size, const char *name)
{
  snprintf(buf, size, "%s/%s", dir, name);
}

static void test_new_and_replace(void)
{
  char path[128], err[256];
  path_in(path, sizeof path, "a.txt");
  CHECK_INT(report_write_atomic(path, "one", 3, err, sizeof err), HICOV_OK);
  CHECK_STR(slurp(path), "one");
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
  chmod(path, 0640);
  CHECK_INT(report_write_atomic(path, "two", 3, err, sizeof err), HICOV_OK);
  CHECK_STR(slurp(path), "two");
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
  CHECK_INT(count_entries(), 1);
  unlink(path);
}

static void test_symlink_followed(void)
{
  char target[128], link[128], err[256];
  path_in(target, sizeof target, "target.txt");
  path_in(link, sizeof link, "link.txt");
  CHECK_INT(report_write_atomic(target, "old", 3, err, sizeof err), HICOV_OK);
  chmod(target, 0600);
  CHECK(symlink("target.txt", link) == 0);
  CHECK_INT(report_write_atomic(link, "new", 3, err, sizeof err), HICOV_OK);
  struct stat st;
  CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode)); /* the link stays */
  CHECK_STR(slurp(target), "new");
  /* the mode is the file's own, not the link's or a default */
  CHECK(stat(target, &st) == 0 && (st.st_mode & 07777) == 0600);
  CHECK_INT(count_entries(), 2);
  /* a link to nowhere is refused with its name */
  unlink(target);
  CHECK_INT(report_write_atomic(link, "x", 1, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "link.txt");
  CHECK_CONTAINS(err, "symbolic link");
  CHECK_INT(count_entries(), 1);
  unlink(link);
}

static void test_read_only_and_odd_targets(void)
{
  char path[128], err[256];
  path_in(path, sizeof path, "ro.txt");
  CHECK_INT(report_write_atomic(path, "keep", 4, err, sizeof err), HICOV_OK);
  chmod(path, 0444);
  CHECK_INT(report_write_atomic(path, "lost", 4, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "ro.txt");
  CHECK_CONTAINS(err, "read-only");
  CHECK_STR(slurp(path), "keep");
  CHECK_INT(report_write_atomic_flags(path, "forced", 6, REPORT_WRITE_FORCE,
                                      "en", err, sizeof err), HICOV_OK);
  CHECK_STR(slurp(path), "forced");
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0444);
  unlink(path);

  /* a folder and a FIFO: refused at once (opening a FIFO would block) */
  path_in(path, sizeof path, "sub");
  CHECK(mkdir(path, 0755) == 0);
  CHECK_INT(report_write_atomic(path, "x", 1, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "not a regular file");
  rmdir(path);
  path_in(path, sizeof path, "fifo");
  CHECK(mkfifo(path, 0644) == 0);
  CHECK_INT(report_write_atomic(path, "x", 1, err, sizeof err), HICOV_IO);
  CHECK_CONTAINS(err, "not a regular file");
  struct stat fst;
  CHECK(lstat(path, &fst) == 0 && S_ISFIFO(fst.st_mode));
  unlink(path);
  CHECK_INT(count_entries(), 0);
}

static void test_failures_leave_nothing(void)
{
  char path[128], err[256];
  path_in(path, sizeof path, "f.txt");
  for (int named = 0; named < 2; named++) {
    report_debug_no_tmpfile(named);
    CHECK_INT(report_write_atomic(path, "before", 6, err, sizeof err), HICOV_OK);
    for (long at = 0; at < 3; at++) {
      hicov_report_debug_fail_write_after(at);
      CHECK_INT(report_write_atomic(path, "after!", 6, err, sizeof err), HICOV_IO);
      hicov_report_debug_fail_write_after(-1);
      CHECK_CONTAINS(err, "f.txt");
      CHECK_STR(slurp(path), "before");
      CHECK_INT(count_entries(), 1);
    }
  }
  report_debug_no_tmpfile(0);
  unlink(path);
}

static void on_term(int sig)
{
  hicov_remove_temporary_files();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* A child writes 256 MB over a small file and is killed while it writes.
 * Whatever the moment, the file is the old one or the whole new one, and
 * no temporary file is left. */
static void kill_during_write(int sig, int named)
{
  char path[128], err[256];
  path_in(path, sizeof path, "k.txt");
  CHECK_INT(report_write_atomic(path, "old", 3, err, sizeof err), HICOV_OK);
  int go[2];
  CHECK(pipe(go) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    report_debug_no_tmpfile(named);
    signal(SIGTERM, on_term); /* what the CLI installs */
    size_t len = (size_t)256 << 20;
    char *big = malloc(len);
    if (!big)
      _exit(3);
    memset(big, 'x', len);
    close(go[0]);
    if (write(go[1], "g", 1) != 1)
      _exit(4);
    char e[256];
    _exit(report_write_atomic(path, big, len, e, sizeof e) ? 1 : 0);
  }
  close(go[1]);
  char c;
  CHECK(read(go[0], &c, 1) == 1);
  close(go[0]);
  struct timespec ts = { 0, 30 * 1000000 };
  nanosleep(&ts, NULL);
  kill(pid, sig);
  int status;
  CHECK(waitpid(pid, &status, 0) == pid);
  struct stat st;
  CHECK(stat(path, &st) == 0);
  CHECK(st.st_size == 3 || st.st_size == (off_t)256 << 20);
  if (count_entries() != 1)
    fprintf(stderr, "signal %d, named %d: %d entries\n", sig, named,
            count_entries());
  CHECK_INT(count_entries(), 1);
  unlink(path);
}

/* The messages follow the language asked (the dataset's, for a save),
 * whatever the process's. */
static void test_messages_in_the_language_asked(void)
{
  char path[128], err[512], want[512];
  path_in(path, sizeof path, "lang.txt");
  CHECK_INT(report_write_atomic(path, "keep", 4, err, sizeof err), HICOV_OK);
  chmod(path, 0444);
  CHECK_INT(report_write_atomic_flags(path, "x", 1, 0, "vi", err, sizeof err),
            HICOV_IO);
  snprintf(want, sizeof want, "%s: tệp chỉ cho phép đọc: không ghi đè (hãy "
           "cho phép ghi tệp, hoặc buộc ghi kết quả)", path);
  CHECK_STR(err, want);
  CHECK_INT(report_write_atomic_flags(path, "x", 1, 0, "en", err, sizeof err),
            HICOV_IO);
  snprintf(want, sizeof want, "%s: the file is read-only: refusing to replace "
           "it (make it writable, or force the output)", path);
  CHECK_STR(err, want);
  CHECK_STR(slurp(path), "keep");
  unlink(path);
  CHECK_INT(report_write_atomic_flags("", "x", 1, 0, "vi", err, sizeof err),
            HICOV_INVALID);
  CHECK_STR(err, "chưa có đường dẫn tệp đầu ra");
}

/* A set of files: all put in place together, or none of them. */
static void test_file_set(void)
{
  char a[128], b[128], err[256];
  path_in(a, sizeof a, "set-a.txt");
  path_in(b, sizeof b, "set-b.txt");
  for (int named = 0; named < 2; named++) {
    report_debug_no_tmpfile(named);
    CHECK_INT(report_write_atomic(a, "old a", 5, err, sizeof err), HICOV_OK);
    CHECK_INT(report_write_atomic(b, "old b", 5, err, sizeof err), HICOV_OK);
    /* Added but not committed: nothing changes, nothing stays. */
    HicovFileSet *set;
    CHECK_INT(hicov_file_set_new(&set), HICOV_OK);
    CHECK_INT(hicov_file_set_add(set, a, "new a", 5), HICOV_OK);
    CHECK_INT(hicov_file_set_add(set, b, "new b", 5), HICOV_OK);
    CHECK_STR(slurp(a), "old a");
    CHECK_INT(count_entries(), named ? 4 : 2); /* named temporaries */
    hicov_file_set_free(set);
    CHECK_STR(slurp(a), "old a");
    CHECK_STR(slurp(b), "old b");
    CHECK_INT(count_entries(), 2);
    /* The second file fails (a full disk): the first stays old too. */
    CHECK_INT(hicov_file_set_new(&set), HICOV_OK);
    CHECK_INT(hicov_file_set_add(set, a, "new a", 5), HICOV_OK);
    hicov_report_debug_fail_write_after(2);
    CHECK_INT(hicov_file_set_add(set, b, "new b", 5), HICOV_IO);
    hicov_report_debug_fail_write_after(-1);
    CHECK_CONTAINS(hicov_file_set_errmsg(set), "set-b.txt");
    hicov_file_set_free(set);
    CHECK_STR(slurp(a), "old a");
    CHECK_STR(slurp(b), "old b");
    CHECK_INT(count_entries(), 2);
    /* A path given twice is refused. */
    CHECK_INT(hicov_file_set_new(&set), HICOV_OK);
    CHECK_INT(hicov_file_set_add(set, a, "new a", 5), HICOV_OK);
    CHECK_INT(hicov_file_set_add(set, a, "again", 5), HICOV_INVALID);
    /* Committed: both new, no temporary left. */
    CHECK_INT(hicov_file_set_add(set, b, "new b", 5), HICOV_OK);
    CHECK_INT(hicov_file_set_commit(set), HICOV_OK);
    CHECK_INT(hicov_file_set_commit(set), HICOV_INVALID);
    hicov_file_set_free(set);
    CHECK_STR(slurp(a), "new a");
    CHECK_STR(slurp(b), "new b");
    CHECK_INT(count_entries(), 2);
    unlink(a);
    unlink(b);
  }
  report_debug_no_tmpfile(0);
}

/* A file written in pieces: in place only once closed with commit; the
 * test hook counts the bytes from the start of the file across pieces; a
 * failure or a close without commit leaves the old file and nothing else. */
static void test_stream(void)
{
  char path[128], err[256];
  path_in(path, sizeof path, "s.txt");
  for (int named = 0; named < 2; named++) {
    report_debug_no_tmpfile(named);
    CHECK_INT(report_write_atomic(path, "before", 6, err, sizeof err), HICOV_OK);
    ReportAtomicStream *s;
    CHECK_INT(report_atomic_stream_open(&s, path, 0, NULL, err, sizeof err),
              HICOV_OK);
    CHECK_INT(report_atomic_stream_write(s, "one,", 4), HICOV_OK);
    CHECK_INT(report_atomic_stream_write(s, "two", 3), HICOV_OK);
    CHECK_STR(slurp(path), "before");
    CHECK_INT(report_atomic_stream_close(s, 1), HICOV_OK);
    CHECK_STR(slurp(path), "one,two");
    CHECK_INT(count_entries(), 1);
    /* not committed */
    CHECK_INT(report_atomic_stream_open(&s, path, 0, NULL, err, sizeof err),
              HICOV_OK);
    CHECK_INT(report_atomic_stream_write(s, "three", 5), HICOV_OK);
    CHECK_INT(report_atomic_stream_close(s, 0), HICOV_OK);
    CHECK_STR(slurp(path), "one,two");
    CHECK_INT(count_entries(), 1);
    /* full after 6 bytes: the first piece of 4 goes, the second fails */
    CHECK_INT(report_atomic_stream_open(&s, path, 0, NULL, err, sizeof err),
              HICOV_OK);
    hicov_report_debug_fail_write_after(6);
    CHECK_INT(report_atomic_stream_write(s, "abcd", 4), HICOV_OK);
    CHECK_INT(report_atomic_stream_write(s, "efgh", 4), HICOV_IO);
    hicov_report_debug_fail_write_after(-1);
    CHECK_CONTAINS(err, "s.txt: cannot write the temporary file");
    CHECK_INT(report_atomic_stream_write(s, "ij", 2), HICOV_IO);
    CHECK_INT(report_atomic_stream_close(s, 1), HICOV_IO);
    CHECK_STR(slurp(path), "one,two");
    CHECK_INT(count_entries(), 1);
  }
  report_debug_no_tmpfile(0);
  /* refused at open, as report_write_atomic refuses */
  ReportAtomicStream *s = (ReportAtomicStream *)1;
  CHECK_INT(report_atomic_stream_open(&s, dir, 0, NULL, err, sizeof err),
            report_write_atomic(dir, "x", 1, err, sizeof err));
  CHECK(s == NULL);
  unlink(path);
}

int main(void)
{
  snprintf(dir, sizeof dir, "/tmp/hicov-test-atomic-XXXXXX");
  CHECK(mkdtemp(dir) != NULL);
  test_new_and_replace();
  test_symlink_followed();
  test_read_only_and_odd_targets();
  test_messages_in_the_language_asked();
  test_failures_leave_nothing();
  test_file_set();
  test_stream();
  kill_during_write(SIGKILL, 0); /* unnamed temporary file: nothing to remove */
  kill_during_write(SIGTERM, 1); /* named: the handler removes it */
  kill_during_write(SIGTERM, 0);
  rmdir(dir);
  return test_finish("test-atomic");
}
