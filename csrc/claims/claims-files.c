/* claims-files.c - inputs: the form of a file (CSV, plain XML, envelope)
 * found from its bytes, one input read serially (its bytes through
 * claims-window.c), and the files of the paths given (folders searched in
 * name order). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims-read-private.h"

/* Finds the form; for XML reads up to the root start tag.  The window
 * holds the input from its start (and grows as needed). */
int claims_probe(Part *pt, Probe *pb)
{
  memset(pb, 0, sizeof pb[0]);
  if (!pt->size) {
    hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s: the file is empty"),
              pt->file);
    return pt->status = HICOV_PARSE;
  }
  /* the encoding marks and the first byte that is not white space */
  size_t i;
  for (;;) {
    const unsigned char *u = (const unsigned char *)pt->base;
    size_t n = pt->avail;
    i = 0;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
      i = 3;
    while (i < n && is_ws((char)u[i]))
      i++;
    if ((i < n && n >= 3) || pt->eof)
      break;
    int rc = claims_part_more(pt, pt->off + pt->avail + 1);
    if (rc) {
      hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file, pt->why);
      return pt->status = rc;
    }
  }
  const unsigned char *u = (const unsigned char *)pt->base;
  size_t n = pt->avail;
  if ((i < n && u[i] == '<') || (n >= 2 && (u[0] == 0xFF || u[0] == 0xFE || u[0] == 0 || u[1] == 0))) {
    XScan x;
    int t = claims_xs_init_part(&x, pt);
    while (t != XT_ERR) {
      t = claims_xs_next(&x);
      if (t == XT_START || t == XT_ERR || t == XT_EOF)
        break;
    }
    if (t != XT_START) {
      if (t == XT_EOF)
        claims_xs_fail(&x, x.p, "%s", T_(x.lang, "no root element"));
      return claims_part_xml_error(pt, &x, "");
    }
    pb->form = is_name(&x, "GIAMDINHHS") ? FORM_ENVELOPE : FORM_PLAIN;
    memcpy(pb->root, x.sname[0], x.slen[0]); /* at most 1000 bytes */
    pb->root[x.slen[0]] = 0;
    pb->root_len = x.slen[0];
    pb->body = pt->off + (size_t)(x.p - pt->base);
    return HICOV_OK;
  }
  pb->form = FORM_CSV;
  size_t at = pt->off + i;
  int rc = claims_csv_header(pt, &at, &pb->csv_map, &pb->csv_ncols);
  if (rc)
    return rc;
  pb->body = at;
  return HICOV_OK;
}

/* About how many records a CSV or plain XML file holds, from the records
 * in its first megabyte (0: unknown, or an envelope). */
size_t claims_estimate_records(Part *pt, const Probe *pb)
{
  if ((pb->form != FORM_CSV && pb->form != FORM_PLAIN) || pb->body >= pt->size)
    return 0;
  size_t span = pt->size - pb->body < ((size_t)1 << 20) ? pt->size - pb->body
                                                        : (size_t)1 << 20;
  if (pt->off + pt->avail < pb->body + span &&
      claims_part_more(pt, pb->body + span))
    return 0; /* an estimate only: the read says what went wrong */
  if (pt->off > pb->body)
    return 0;
  if (pt->off + pt->avail < pb->body + span)
    span = pt->off + pt->avail - pb->body;
  const char *start = pt->base + (pb->body - pt->off);
  const char *p = start, *end = p + span;
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
      while (q > start && q[-1] != '<' && p - q < 64)
        q--;
      rows += q > start && q[0] == '/';
      p += 9;
    }
  }
  return rows && span ? (size_t)((double)rows * (double)(pt->size - pb->body) /
                                 (double)span)
                      : 0;
}

/* The other summaries of a visit in the exports of QD 4210/130, by
 * root element: a file of one of them holds no XML1 record. */
static const char *const other_tables[][2] = {
  { "CHITIEU_CHITIET_THUOC", N_("XML2, the drugs of each visit") },
  { "CHITIEU_CHITIET_DVKT_VTYT",
    N_("XML3, the services and supplies of each visit") },
  { "CHITIEU_CHITIET_DICHVUCANLAMSANG", N_("XML4, the paraclinical results") },
  { "CHITIEU_CHITIET_DIENBIENLAMSANG", N_("XML5, the clinical course") },
};

int claims_note_empty(HicovClaims *c, const char *file, const Probe *pb)
{
  if (pb->form == FORM_CSV)
    return claims_message(c, HICOV_CLAIMS_MSG_NOTE, 0, file, "", "",
                          T_(c->lang, "%s: no record (only the header row)"),
                          file);
  if (pb->form == FORM_ENVELOPE)
    return claims_message(c, HICOV_CLAIMS_MSG_NOTE, 0, file, "", "",
                          T_(c->lang, "%s: no HOSO in the envelope"), file);
  const char *local = memrchr(pb->root, ':', pb->root_len);
  local = local ? local + 1 : pb->root;
  const char *what = NULL;
  for (size_t i = 0; i < sizeof other_tables / sizeof other_tables[0]; i++)
    if (!strcmp(local, other_tables[i][0]))
      what = hicov_text(c->lang, other_tables[i][1]);
  return claims_message(c, HICOV_CLAIMS_MSG_NOTE, 0, file, "", "",
                        T_(c->lang, "%s: no XML1 record (TONG_HOP) in the "
                        "file, whose root element is <%s>%s%s%s: hicov reads "
                        "XML1, the summary of each visit (TONG_HOP), in plain "
                        "XML, CSV or GIAMDINHHS envelopes"), file, pb->root,
                        what ? " (" : "", what ? what : "", what ? ")" : "");
}

/* Reads a whole input serially with part pt (holding its start). */
static int read_whole(Part *pt)
{
  Probe pb;
  int rc = claims_probe(pt, &pb);
  if (rc)
    return rc;
  size_t est = pt->size >= ((size_t)16 << 20) ? claims_estimate_records(pt, &pb) : 0;
  if (est && (rc = claims_reserve(pt->c, est))) {
    hicov_free(pb.csv_map);
    return rc;
  }
  if (pb.form == FORM_CSV || pb.form == FORM_PLAIN) {
    claims_part_bounds(pt, pb.form == FORM_CSV, pb.body);
    claims_part_marks(pt);
  }
  if (pb.form == FORM_CSV) {
    pt->csv_map = pb.csv_map;
    pt->csv_ncols = pb.csv_ncols;
    rc = claims_read_csv_rows(pt, pb.body);
    hicov_free(pb.csv_map);
    pt->csv_map = NULL;
  } else {
    XScan x;
    claims_xs_init_part(&x, pt);
    /* the probe found the root; read again from the start so that a single
     * TONG_HOP root works as well as a list */
    rc = pb.form == FORM_ENVELOPE ? claims_read_envelope(pt, &x)
                                  : claims_read_plain(pt, &x);
  }
  /* a file read to its end without a record says what it holds */
  if (!rc && !pt->read)
    rc = claims_note_empty(pt->c, pt->file, &pb);
  return rc;
}

static const char *base_name(const char *path)
{
  const char *s = strrchr(path, '/');
  return s && s[1] ? s + 1 : path;
}

int claims_read_one(HicovClaims *c, const char *name, const char *data,
                    size_t size, Input *in, WinBuf *wb, RunShared *run)
{
  Part pt;
  c->counts.files_read++;
  int rc = claims_part_init(&pt, c, name, run);
  if (rc) {
    c->counts.files_failed++;
    hicov_fmt(c->errmsg, sizeof c->errmsg, "%s: %s", name,
              rc == HICOV_NOMEM ? T_(c->lang, "out of memory")
                                : hicov_text(c->lang, hicov_status_string(rc)));
    claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, name, "", "", "%s", c->errmsg);
    return rc;
  }
  if (in)
    claims_part_input(&pt, in, wb);
  else
    claims_part_buffer(&pt, data, size);
  size = pt.size;
  c->counts.bytes_read += (int64_t)size;
  /* a small file is read whole, then checked once: what is parsed is what
     the file held; a bigger one is checked at the end */
  int whole = size <= claims_whole_max();
  rc = claims_part_load(&pt, 0, whole);
  if (rc)
    hicov_fmt(pt.err, sizeof pt.err, "%s: %s", name, pt.why);
  else if (in && whole &&
           claims_input_changed(in, c->lang, name, pt.err, sizeof pt.err))
    rc = HICOV_IO;
  if (!rc)
    rc = read_whole(&pt);
  if (in && !whole && rc != HICOV_IO && rc != HICOV_NOMEM &&
      claims_input_changed(in, c->lang, name, pt.err, sizeof pt.err))
    rc = HICOV_IO; /* whatever the read found, it read a moving file */
  rc = claims_part_finish(&pt, rc);
  if (run) {
    atomic_fetch_add(&run->bytes_done, (int64_t)(size - pt.reported));
    atomic_fetch_add(&run->records, pt.read - pt.read_reported);
  }
  claims_part_clear(&pt);
  return rc;
}

int claims_read_path(HicovClaims *c, const char *path, const char *name,
                     WinBuf *wb, RunShared *run)
{
  Input in;
  char err[480];
  int rc = claims_input_open(path, c->lang, &in, err, sizeof err);
  if (rc) {
    c->counts.files_read++;
    c->counts.files_failed++;
    hicov_fmt(c->errmsg, sizeof c->errmsg, "%s", err);
    claims_message(c, HICOV_CLAIMS_MSG_FILE, rc, path, "", "", "%s", err);
    return rc;
  }
  rc = claims_read_one(c, name, NULL, 0, &in, wb, run);
  claims_input_close(&in);
  return rc;
}

int hicov_claims_read_buffer(HicovClaims *c, const char *name,
                             const void *data, size_t len)
{
  if (!c || (!data && len))
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  const char *lang = c->lang; /* looked up once, not for each message */
  hicov_claims_set_lang(c, hicov_text_lang(lang));
  int rc = claims_read_one(c, name ? name : "buffer", data ? data : "", len,
                           NULL, NULL, NULL);
  hicov_claims_set_lang(c, lang);
  return rc;
}

int hicov_claims_read_file(HicovClaims *c, const char *path)
{
  if (!c || !path)
    return HICOV_INVALID;
  c->errmsg[0] = 0;
  const char *lang = c->lang; /* looked up once, not for each message */
  hicov_claims_set_lang(c, hicov_text_lang(lang));
  WinBuf wb = { 0 };
  int rc = claims_read_path(c, path, base_name(path), &wb, NULL);
  claims_winbuf_free(&wb);
  hicov_claims_set_lang(c, lang);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_add(FileList *l, const char *path, int64_t size, int status)
{
  if (hicov_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
    return HICOV_NOMEM;
  l->v[l->n].path = hicov_strdup(path);
  if (!l->v[l->n].path)
    return HICOV_NOMEM;
  l->v[l->n].size = size;
  l->v[l->n].status = status;
  l->n++;
  return HICOV_OK;
}

void claims_files_free(FileList *l)
{
  for (size_t i = 0; i < l->n; i++)
    hicov_free(l->v[i].path);
  hicov_free(l->v);
  for (size_t i = 0; i < l->n_dirs; i++)
    hicov_free(l->dirs[i].path);
  hicov_free(l->dirs);
  hicov_free(l->dir_hash);
  memset(l, 0, sizeof *l);
}

static size_t dir_slot(const FileList *l, uint64_t dev, uint64_t ino)
{
  return (size_t)mix64(dev * 0x9e3779b97f4a7c15ULL ^ ino) & (l->dir_hcap - 1);
}

/* The folder (dev, ino) as entered first (NULL: new, now entered by
 * path).  *rc: HICOV_NOMEM, else HICOV_OK. */
static const FolderSeen *dir_enter(FileList *l, uint64_t dev, uint64_t ino,
                                   const char *path, int *rc)
{
  *rc = HICOV_OK;
  if (l->dir_hcap) {
    for (size_t j = dir_slot(l, dev, ino); l->dir_hash[j];
         j = (j + 1) & (l->dir_hcap - 1)) {
      const FolderSeen *f = &l->dirs[l->dir_hash[j] - 1];
      if (f->dev == dev && f->ino == ino)
        return f;
    }
  }
  if (hicov_grow((void **)&l->dirs, &l->cap_dirs, l->n_dirs + 1, sizeof *l->dirs) ||
      !(l->dirs[l->n_dirs].path = hicov_strdup(path))) {
    *rc = HICOV_NOMEM;
    return NULL;
  }
  l->dirs[l->n_dirs].dev = dev;
  l->dirs[l->n_dirs].ino = ino;
  l->n_dirs++;
  if (l->n_dirs * 2 > l->dir_hcap) {
    size_t cap = l->dir_hcap ? l->dir_hcap * 2 : 64;
    uint32_t *h = hicov_calloc(cap, sizeof *h);
    if (!h) {
      *rc = HICOV_NOMEM;
      return NULL;
    }
    hicov_free(l->dir_hash);
    l->dir_hash = h;
    l->dir_hcap = cap;
    for (size_t i = 0; i < l->n_dirs; i++) {
      size_t j = dir_slot(l, l->dirs[i].dev, l->dirs[i].ino);
      while (h[j])
        j = (j + 1) & (cap - 1);
      h[j] = (uint32_t)i + 1;
    }
  } else {
    size_t j = dir_slot(l, dev, ino);
    while (l->dir_hash[j])
      j = (j + 1) & (l->dir_hcap - 1);
    l->dir_hash[j] = (uint32_t)l->n_dirs;
  }
  return NULL;
}

int claims_expand(HicovClaims *c, FileList *l, const char *path, int depth)
{
  struct stat st;
  /* A path that cannot be read is one failed file, counted and reported
   * when the reader opens it; it must not stop the other files. */
  if (stat(path, &st))
    return list_add(l, path, 0, HICOV_OK);
  if (!S_ISDIR(st.st_mode))
    return list_add(l, path, S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0,
                    HICOV_OK);
  /* each folder once: a link back up (ln -s . self) would be walked until
     the depth limit, and links that fan out (two to the next level, 25
     levels) 2^25 times */
  int rc;
  const FolderSeen *seen = dir_enter(l, (uint64_t)st.st_dev,
                                     (uint64_t)st.st_ino, path, &rc);
  if (rc)
    return rc;
  if (seen) {
    return claims_message(c, HICOV_CLAIMS_MSG_NOTE, 0, path, "", "",
                          T_(c->lang, "%s: the folder %s, read already: "
                          "skipped (a folder is read once, whatever links "
                          "lead to it)"), path, seen->path);
  }
  if (depth > CLAIMS_FOLDER_DEPTH) {
    c->counts.files_read++;
    c->counts.files_failed++;
    int mrc = claims_message(c, HICOV_CLAIMS_MSG_FILE, HICOV_LIMIT, path, "", "",
                             T_(c->lang, "%s: folders nested more than %d "
                             "deep: not read"), path, CLAIMS_FOLDER_DEPTH);
    return mrc ? mrc : list_add(l, path, 0, HICOV_LIMIT);
  }
  DIR *d = opendir(path);
  if (!d)
    return list_add(l, path, 0, HICOV_OK);
  char **names = NULL;
  size_t n = 0, cap = 0;
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
