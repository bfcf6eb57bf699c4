/* claims-files.c - inputs: the form of a file (CSV, plain XML, envelope)
 * found from its bytes, a file mapped or read into a buffer, one input read
 * serially, and the files of the paths given (folders searched in name
 * order). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims-read-private.h"

/* Finds the form; for XML reads up to the root start tag. */
int claims_probe(Part *pt, Probe *pb)
{
  memset(pb, 0, sizeof pb[0]);
  const unsigned char *u = (const unsigned char *)pt->base;
  size_t i = 0, n = pt->size;
  if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    i = 3;
  while (i < n && is_ws((char)u[i]))
    i++;
  if (!n) {
    hicov_fmt(pt->err, sizeof pt->err, "%s: the file is empty", pt->file);
    return pt->status = HICOV_PARSE;
  }
  if ((i < n && u[i] == '<') || (n >= 2 && (u[0] == 0xFF || u[0] == 0xFE || u[0] == 0 || u[1] == 0))) {
    XScan x;
    int t = claims_xs_init(&x, pt->base, pt->size);
    while (t != XT_ERR) {
      t = claims_xs_next(&x);
      if (t == XT_START || t == XT_ERR || t == XT_EOF)
        break;
    }
    if (t != XT_START) {
      if (t == XT_EOF)
        claims_xs_fail(&x, x.p, "no root element");
      return claims_part_xml_error(pt, &x, "");
    }
    pb->form = is_name(&x, "GIAMDINHHS") ? FORM_ENVELOPE : FORM_PLAIN;
    pb->root = x.sname[0];
    pb->root_len = x.slen[0];
    pb->body = (size_t)(x.p - pt->base);
    return HICOV_OK;
  }
  pb->form = FORM_CSV;
  const char *p = pt->base + i;
  int rc = claims_csv_header(pt, &p, &pb->csv_map, &pb->csv_ncols);
  if (rc)
    return rc;
  pb->body = (size_t)(p - pt->base);
  return HICOV_OK;
}

/* About how many records a CSV or plain XML file holds, from the records
 * in its first megabyte (0: unknown, or an envelope). */
size_t claims_estimate_records(const Probe *pb, const char *data, size_t size)
{
  if ((pb->form != FORM_CSV && pb->form != FORM_PLAIN) || pb->body >= size)
    return 0;
  size_t span = size - pb->body < ((size_t)1 << 20) ? size - pb->body
                                                    : (size_t)1 << 20;
  const char *p = data + pb->body, *end = p + span;
  size_t rows = 0;
  if (pb->form == FORM_CSV) {
    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
      rows++;
      p++;
    }
  } else {
    /* end tags of TONG_HOP, with or without a prefix */
    while ((p = memmem(p, (size_t)(end - p), "TONG_HOP>", 9))) {
      const char *q = p;
      while (q > data + pb->body && q[-1] != '<' && p - q < 64)
        q--;
      rows += q > data + pb->body && q[0] == '/';
      p += 9;
    }
  }
  return rows ? (size_t)((double)rows * (double)(size - pb->body) / (double)span)
              : 0;
}

/* Reads a whole input serially with part pt (already initialised). */
static int read_whole(Part *pt)
{
  claims_part_prefault(pt, 0);
  Probe pb;
  int rc = claims_probe(pt, &pb);
  if (rc)
    return rc;
  size_t est = pt->size >= ((size_t)16 << 20)
                   ? claims_estimate_records(&pb, pt->base, pt->size) : 0;
  if (est && (rc = claims_reserve(pt->c, est))) {
    hicov_free(pb.csv_map);
    return rc;
  }
  if (pb.form == FORM_CSV || pb.form == FORM_PLAIN)
    claims_part_marks(pt, pb.form == FORM_CSV, pb.body);
  if (pb.form == FORM_CSV) {
    pt->csv_map = pb.csv_map;
    pt->csv_ncols = pb.csv_ncols;
    rc = claims_read_csv_rows(pt, pt->base + pb.body);
    hicov_free(pb.csv_map);
    pt->csv_map = NULL;
    return rc;
  }
  XScan x;
  claims_xs_init(&x, pt->base, pt->size);
  /* the probe found the root; read again from the start so that a single
   * TONG_HOP root works as well as a list */
  if (pb.form == FORM_ENVELOPE)
    return claims_read_envelope(pt, &x);
  return claims_read_plain(pt, &x);
}

int claims_input_open(const char *path, Input *in, char *err, size_t esize)
{
  memset(in, 0, sizeof *in);
  in->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (in->fd < 0) {
    hicov_fmt(err, esize, "%s: cannot open: %s", path, strerror(errno));
    return HICOV_IO;
  }
  struct stat st;
  if (fstat(in->fd, &st) || !S_ISREG(st.st_mode)) {
    hicov_fmt(err, esize, "%s: not a regular file", path);
    close(in->fd);
    return HICOV_IO;
  }
  in->size = (size_t)st.st_size;
  if (!in->size) {
    in->data = "";
    return HICOV_OK;
  }
  void *m = mmap(NULL, in->size, PROT_READ, MAP_PRIVATE, in->fd, 0);
  if (m == MAP_FAILED) {
    hicov_fmt(err, esize, "%s: cannot map: %s", path, strerror(errno));
    close(in->fd);
    return HICOV_IO;
  }
  madvise(m, in->size, MADV_WILLNEED);
  in->data = m;
  in->mapped = 1;
  return HICOV_OK;
}

/* Files up to this size are read() into a reused buffer: mapping a
 * 200 KB envelope, faulting its pages in and unmapping it costs more in
 * the kernel than copying it. */
#define SCRATCH_MAX (16u << 20)

/* Like claims_input_open; a small file is read into *buf (grown as needed)
 * instead of being mapped. */
int claims_input_open_small(const char *path, Input *in, char **buf,
                            size_t *cap, char *err, size_t esize)
{
  struct stat st;
  if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size == 0 ||
      (uint64_t)st.st_size > SCRATCH_MAX ||
      hicov_grow((void **)buf, cap, (size_t)st.st_size, 1))
    return claims_input_open(path, in, err, esize); /* its errors, or a mapping */
  memset(in, 0, sizeof *in);
  in->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (in->fd < 0) {
    hicov_fmt(err, esize, "%s: cannot open: %s", path, strerror(errno));
    return HICOV_IO;
  }
  size_t want = (size_t)st.st_size, got = 0;
  while (got < want) {
    ssize_t n = read(in->fd, *buf + got, want - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      hicov_fmt(err, esize, "%s: cannot read: %s", path, strerror(errno));
      close(in->fd);
      in->fd = -1;
      return HICOV_IO;
    }
    if (n == 0)
      break; /* shrank since stat: read what is there */
    got += (size_t)n;
  }
  in->data = *buf;
  in->size = got;
  return HICOV_OK;
}

void claims_input_close(Input *in)
{
  if (in->mapped)
    munmap((void *)in->data, in->size);
  if (in->fd >= 0)
    close(in->fd);
}

static const char *base_name(const char *path)
{
  const char *s = strrchr(path, '/');
  return s && s[1] ? s + 1 : path;
}

/* Reads one input serially into c (its duplicate table). */
int claims_read_one(HicovClaims *c, const char *name, const char *data,
                    size_t size, int mapped, RunShared *run)
{
  Part pt;
  c->counts.files_read++;
  int rc = claims_part_init(&pt, c, name, data, size, mapped, run);
  if (rc) {
    c->counts.files_failed++;
    hicov_fmt(c->errmsg, sizeof c->errmsg, "%s: %s", name,
              rc == HICOV_NOMEM ? "out of memory" : hicov_status_string(rc));
    claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, name, "", "", "%s", c->errmsg);
    return rc;
  }
  c->counts.bytes_read += (int64_t)size;
  rc = claims_part_finish(&pt, read_whole(&pt));
  if (run) {
    atomic_fetch_add(&run->bytes_done, (int64_t)(size - pt.reported));
    atomic_fetch_add(&run->records, pt.read - pt.read_reported);
  }
  claims_part_clear(&pt);
  return rc;
}

int hicov_claims_read_buffer(HicovClaims *c, const char *name,
                             const void *data, size_t len)
{
  if (!c || (!data && len))
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  return claims_read_one(c, name ? name : "buffer", data ? data : "", len, 0, NULL);
}

int hicov_claims_read_file(HicovClaims *c, const char *path)
{
  if (!c || !path)
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  Input in;
  int rc = claims_input_open(path, &in, c->errmsg, sizeof c->errmsg);
  if (rc) {
    c->counts.files_read++;
    c->counts.files_failed++;
    claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, path, "", "", "%s", c->errmsg);
    return rc;
  }
  rc = claims_read_one(c, base_name(path), in.data, in.size, in.mapped, NULL);
  claims_input_close(&in);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_add(FileList *l, const char *path, int64_t size)
{
  if (hicov_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
    return HICOV_NOMEM;
  l->v[l->n].path = hicov_strdup(path);
  if (!l->v[l->n].path)
    return HICOV_NOMEM;
  l->v[l->n].size = size;
  l->v[l->n].status = 0;
  l->n++;
  return HICOV_OK;
}

int claims_expand(HicovClaims *c, FileList *l, const char *path, int depth)
{
  struct stat st;
  /* A path that cannot be read is one failed file, counted and reported
   * when the reader opens it; it must not stop the other files. */
  if (stat(path, &st))
    return list_add(l, path, 0);
  if (!S_ISDIR(st.st_mode))
    return list_add(l, path, (int64_t)st.st_size);
  if (depth > 32)
    return claims_error(c, HICOV_LIMIT, "%s: folders nested too deep", path);
  DIR *d = opendir(path);
  if (!d)
    return list_add(l, path, 0);
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = HICOV_OK;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue; /* ., .. and hidden files */
    if (hicov_grow((void **)&names, &cap, n + 1, sizeof *names) ||
        !(names[n] = hicov_strdup(de->d_name))) {
      rc = HICOV_NOMEM;
      break;
    }
    n++;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    if (!rc) {
      size_t pl = strlen(path) + strlen(names[i]) + 2;
      char *full = hicov_malloc(pl);
      if (!full) {
        rc = HICOV_NOMEM;
      } else {
        snprintf(full, pl, "%s/%s", path, names[i]);
        rc = claims_expand(c, l, full, depth + 1);
        hicov_free(full);
      }
    }
    hicov_free(names[i]);
  }
  hicov_free(names);
  return rc;
}
