/* dataset-save.c - writing a dataset folder (units.csv + values.csv, and
 * crosswalk.csv with splits) in a stable order, the files replaced
 * together or not at all.
 *
 * The atomic step is an exchange of two folders (renameat2 with
 * RENAME_EXCHANGE): the new files are written and synced in a fresh
 * folder beside the old one, which then takes the old one's place in a
 * single rename. hicov-data.h documents what a crash can leave. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hicov-data.h"
#include "report-private.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* ---- CSV text ----------------------------------------------------------- */

typedef struct {
  char *p;
  size_t len, cap;
  int nomem;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
  if (b->nomem)
    return;
  if (hicov_grow((void **)&b->p, &b->cap, b->len + n + 1, 1)) {
    b->nomem = 1;
    return;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void puts_(Buf *b, const char *s)
{
  put(b, s, strlen(s));
}

/* A field, quoted when the reader would otherwise split or trim it. */
static void field(Buf *b, const char *s, int last)
{
  if (!s)
    s = "";
  size_t n = strlen(s);
  int quote = n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' ||
                    s[n - 1] == '\t');
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    put(b, s, n);
  } else {
    put(b, "\"", 1);
    for (const char *q = s; *q; q++) {
      put(b, q, 1);
      if (*q == '"')
        put(b, "\"", 1); /* doubled */
    }
    put(b, "\"", 1);
  }
  put(b, last ? "\n" : ",", 1);
}

/* "2025-07-01" of a month index, or "" for 0. */
static void month_date(int m, char *buf, size_t size)
{
  if (m <= 0)
    buf[0] = '\0';
  else
    hicov_fmt(buf, size, "%04d-%02d-01", m / 12, m % 12 + 1);
}

static void centi_plain(int64_t c, char *buf, size_t size)
{
  int neg = c < 0;
  uint64_t mag = neg ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
  if (mag % 100 == 0)
    hicov_fmt(buf, size, "%s%llu", neg ? "-" : "",
              (unsigned long long)(mag / 100));
  else if (mag % 10 == 0)
    hicov_fmt(buf, size, "%s%llu.%llu", neg ? "-" : "",
              (unsigned long long)(mag / 100),
              (unsigned long long)(mag % 100 / 10));
  else
    hicov_fmt(buf, size, "%s%llu.%02llu", neg ? "-" : "",
              (unsigned long long)(mag / 100),
              (unsigned long long)(mag % 100));
}

int hicov_dataset_units_csv(HicovDataset *ds, char **buf, size_t *len)
{
  if (!ds || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  Buf b = { 0 };
  puts_(&b, "code,name,parent,level,tier,valid_to,successor,valid_from,"
            "synthetic\n");
  for (size_t i = 0; i < ds->n_units; i++) {
    const HicovUnitRec *u = &ds->units[i];
    char to[16], from[16];
    /* the day as read (a successor's or a split's must match it) */
    if (u->to_date)
      hicov_date_text(u->to_date, 0, to, sizeof to);
    else
      month_date(u->valid_to, to, sizeof to);
    if (u->from_date)
      hicov_date_text(u->from_date, 0, from, sizeof from);
    else
      month_date(u->valid_from, from, sizeof from);
    field(&b, u->code, 0);
    field(&b, u->name, 0);
    field(&b, u->parent_code, 0);
    field(&b, hicov_level_name(u->level), 0);
    field(&b, u->level == HICOV_LEVEL_FACILITY ? hicov_tier_name(u->tier) : "",
          0);
    field(&b, to, 0);
    field(&b, u->successor_code, 0);
    field(&b, from, 0);
    field(&b, u->synthetic ? "1" : "", 1);
  }
  if (b.nomem) {
    hicov_free(b.p);
    return HICOV_NOMEM;
  }
  *buf = b.p;
  if (len)
    *len = b.len;
  return HICOV_OK;
}

int hicov_dataset_crosswalk_csv(HicovDataset *ds, char **buf, size_t *len)
{
  if (!ds || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  Buf b = { 0 };
  puts_(&b, "old,new,share,date,basis\n");
  for (size_t i = 0; i < ds->n_splits; i++) {
    const HicovSplitRec *sp = &ds->splits[i];
    char share[24], day[16];
    /* millionths as the shortest decimal: 600000 -> "0.6" */
    hicov_fmt(share, sizeof share, "%lld.%06lld",
              (long long)(sp->share_ppm / 1000000),
              (long long)(sp->share_ppm % 1000000));
    size_t l = strlen(share);
    while (share[l - 1] == '0')
      share[--l] = '\0';
    if (share[l - 1] == '.')
      share[--l] = '\0';
    hicov_date_text(sp->date, sp->month, day, sizeof day);
    field(&b, ds->units[sp->old_unit].code, 0);
    field(&b, ds->units[sp->new_unit].code, 0);
    field(&b, share, 0);
    field(&b, day, 0);
    field(&b, hicov_split_basis_name(sp->basis), 1);
  }
  if (b.nomem) {
    hicov_free(b.p);
    return HICOV_NOMEM;
  }
  *buf = b.p;
  if (len)
    *len = b.len;
  return HICOV_OK;
}

/* An observation and its group's text, sorted for values.csv. */
typedef struct {
  const HicovObs *o;
  const char *group;
} ObsRef;

static int cmp_ref(const void *a, const void *b)
{
  const ObsRef *x = a, *y = b;
  const HicovObs *p = x->o, *q = y->o;
  if (p->unit != q->unit) return p->unit < q->unit ? -1 : 1;
  if (p->measure != q->measure) return p->measure < q->measure ? -1 : 1;
  int c = strcmp(x->group, y->group);
  if (c) return c;
  if (p->first != q->first) return p->first < q->first ? -1 : 1;
  return (p->last > q->last) - (p->last < q->last);
}

/* The observations' order as one integer each: unit, measure, the group's
 * rank among the groups' texts (byte order, as cmp_ref), first and last
 * month, packed in the bits each needs.  Returns 0 when they need more
 * than 64 bits (then cmp_ref sorts). */
static int pack_keys(const HicovDataset *ds, HicovSortItem *items)
{
  size_t n = ds->n_obs, ng = ds->n_groups;
  uint32_t *rank = hicov_malloc(ng * sizeof *rank);
  int ok = rank &&
           !hicov_str_ranks((const char *const *)ds->groups, ng, rank);
  HicovKeyPack kp = { 0 };
  for (size_t i = 0; ok && i < n; i++)
    hicov_key_pack_see(&kp, ds->obs[i].measure, ds->obs[i].first,
                       ds->obs[i].last);
  ok = ok && hicov_key_pack_init(&kp, ds->n_units, ng);
  for (size_t i = 0; ok && i < n; i++) {
    const HicovObs *o = &ds->obs[i];
    items[i].key = hicov_key_pack(&kp, o->unit, o->measure, rank[o->group],
                                  o->first, o->last);
    items[i].i = (uint32_t)i;
  }
  hicov_free(rank);
  return ok;
}

/* The observations in the order of values.csv; caller frees *out.  A
 * radix sort of packed keys: qsort comparing the groups' texts took a
 * third of the time of saving 4 million values. */
static int sorted_refs(const HicovDataset *ds, ObsRef **out)
{
  size_t n = ds->n_obs;
  ObsRef *refs = hicov_malloc((n ? n : 1) * sizeof *refs);
  if (!refs)
    return HICOV_NOMEM;
  HicovSortItem *items = n > 1 ? hicov_malloc(2 * n * sizeof *items) : NULL;
  if (items && pack_keys(ds, items)) {
    const HicovSortItem *v = hicov_sort_items(items, items + n, n);
    for (size_t i = 0; i < n; i++) {
      refs[i].o = &ds->obs[v[i].i];
      refs[i].group = ds->groups[refs[i].o->group];
    }
    hicov_free(items);
    *out = refs;
    return HICOV_OK;
  }
  hicov_free(items);
  for (size_t i = 0; i < n; i++) {
    refs[i].o = &ds->obs[i];
    refs[i].group = ds->groups[ds->obs[i].group];
  }
  qsort(refs, n, sizeof *refs, cmp_ref);
  *out = refs;
  return HICOV_OK;
}

int hicov_dataset_observations(HicovDataset *ds, HicovObservation **out,
                               size_t *n)
{
  if (out)
    *out = NULL;
  if (n)
    *n = 0;
  if (!ds || !out || !n)
    return HICOV_INVALID;
  ObsRef *refs;
  if (sorted_refs(ds, &refs))
    return HICOV_NOMEM;
  size_t count = ds->n_obs;
  HicovObservation *obs = hicov_malloc((count ? count : 1) * sizeof *obs);
  if (!obs) {
    hicov_free(refs);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < count; i++) {
    const HicovObs *o = refs[i].o;
    obs[i].unit = ds->units[o->unit].code;
    obs[i].measure = hicov_measure_info(o->measure)->name;
    obs[i].group = refs[i].group;
    obs[i].period = hicov_period_range(o->first, o->last);
    obs[i].centi = o->centi;
    obs[i].source = o->source < ds->n_sources && ds->sources[o->source]
                        ? ds->sources[o->source] : "";
  }
  hicov_free(refs);
  *out = obs;
  *n = count;
  return HICOV_OK;
}

int hicov_dataset_values_csv(HicovDataset *ds, char **buf, size_t *len)
{
  if (!ds || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  size_t n = ds->n_obs;
  ObsRef *refs;
  if (sorted_refs(ds, &refs))
    return HICOV_NOMEM;
  Buf b = { 0 };
  /* about 40 bytes a row: one allocation instead of doublings */
  if (hicov_grow((void **)&b.p, &b.cap, 64 + n * 40, 1))
    b.nomem = 1;
  puts_(&b, "unit,period,measure,value,group,source\n");
  /* periods formatted once each, in a small direct-mapped cache: a few
     dozen periods, millions of rows (rows of one unit and measure run
     through them, so the last one alone seldom matches) */
  enum { PCACHE = 256 };
  struct { int32_t first, last; char text[24]; } pc[PCACHE];
  for (size_t k = 0; k < PCACHE; k++)
    pc[k].first = pc[k].last = -1;
  for (size_t i = 0; i < n && !b.nomem; i++) {
    const HicovObs *o = refs[i].o;
    char value[32];
    size_t slot = ((size_t)o->first * 31u + (size_t)o->last) % PCACHE;
    if (pc[slot].first != o->first || pc[slot].last != o->last) {
      hicov_period_format(hicov_period_range(o->first, o->last),
                          pc[slot].text, sizeof pc[slot].text);
      pc[slot].first = o->first;
      pc[slot].last = o->last;
    }
    const char *period = pc[slot].text;
    centi_plain(o->centi, value, sizeof value);
    field(&b, ds->units[o->unit].code, 0);
    field(&b, period, 0);
    field(&b, hicov_measure_info(o->measure)->name, 0);
    field(&b, value, 0);
    field(&b, refs[i].group, 0);
    field(&b, o->source < ds->n_sources ? ds->sources[o->source] : "", 1);
  }
  hicov_free(refs);
  if (b.nomem) {
    hicov_free(b.p);
    return HICOV_NOMEM;
  }
  *buf = b.p;
  if (len)
    *len = b.len;
  return HICOV_OK;
}

/* ---- The folder --------------------------------------------------------- */

static int fail(char *err, size_t size, int rc, const char *fmt, ...)
  HICOV_PRINTF(4, 5);
static int fail(char *err, size_t size, int rc, const char *fmt, ...)
{
  if (err && size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    hicov_utf8_trim(err); /* Vietnamese is longer: no half character */
  }
  return rc;
}

/* The files a save writes: units.csv, values.csv and, with splits,
 * crosswalk.csv (without, an old crosswalk.csv is kept like any file). */
static int is_dataset_file(const char *name, int crosswalk)
{
  return !strcmp(name, "units.csv") || !strcmp(name, "values.csv") ||
         (crosswalk && !strcmp(name, "crosswalk.csv"));
}

/* Links the other entries of the old folder into the new one (regular
 * files as hard links, symbolic links re-made); refuses subfolders and
 * anything else, which the exchange would hide. Messages in lang. */
static int carry_over(const char *old, const char *new_dir, const char *shown,
                      const char *lang, int crosswalk, char *err,
                      size_t err_size)
{
  DIR *d = opendir(old);
  if (!d)
    return fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot list the "
                "folder: %s"), shown, strerror(errno));
  int rc = HICOV_OK;
  struct dirent *e;
  int dfd = dirfd(d);
  int nfd = open(new_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (nfd < 0) {
    closedir(d);
    return fail(err, err_size, HICOV_IO, "%s: %s", new_dir, strerror(errno));
  }
  while (!rc && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
        is_dataset_file(e->d_name, crosswalk))
      continue;
    struct stat st;
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      rc = fail(err, err_size, HICOV_IO, "%s/%s: %s", shown, e->d_name,
                strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
      if (linkat(dfd, e->d_name, nfd, e->d_name, 0) != 0)
        rc = fail(err, err_size, HICOV_IO, T_(lang, "%s/%s: cannot keep the "
                  "file (a hard link into the new folder failed: %s)"), shown,
                  e->d_name, strerror(errno));
    } else if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n = readlinkat(dfd, e->d_name, target, sizeof target - 1);
      if (n < 0 || (target[n] = '\0', symlinkat(target, nfd, e->d_name)) != 0)
        rc = fail(err, err_size, HICOV_IO, T_(lang, "%s/%s: cannot keep the "
                  "link: %s"), shown, e->d_name, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s holds '%s', which is a "
                "folder: the dataset folder is replaced as a whole and would "
                "hide it; move it out of the folder or save elsewhere"),
                shown, e->d_name);
    } else {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s holds '%s', which is "
                "not a regular file: the dataset folder is replaced as a "
                "whole and would hide it; move it out of the folder or save "
                "elsewhere"), shown, e->d_name);
    }
  }
  if (!rc && fsync(nfd) != 0)
    rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot sync: %s"),
              new_dir, strerror(errno));
  close(nfd);
  closedir(d);
  return rc;
}

/* Removes a folder this save made or displaced, and what it holds (files
 * and links only: carry_over refused anything else). Best effort. */
static void remove_folder(const char *path)
{
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    int dfd = dirfd(d);
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
        (void)unlinkat(dfd, e->d_name, 0);
    closedir(d);
  }
  (void)rmdir(path);
}

static void sync_dir(const char *path)
{
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

int hicov_dataset_save(HicovDataset *ds, const char *dir, char *err,
                       size_t err_size)
{
  if (err && err_size)
    err[0] = '\0';
  if (!ds || !dir || !*dir)
    return fail(err, err_size, HICOV_INVALID, "%s", T_(ds ? hicov_ds_lang(ds) : NULL,
                "no dataset folder given"));
  const char *lang = hicov_ds_lang(ds);
  char *units = NULL, *values = NULL, *cross = NULL;
  size_t units_len = 0, values_len = 0, cross_len = 0;
  int nfiles = ds->n_splits ? 3 : 2;
  int rc = hicov_dataset_units_csv(ds, &units, &units_len);
  if (!rc)
    rc = hicov_dataset_values_csv(ds, &values, &values_len);
  if (!rc && nfiles == 3)
    rc = hicov_dataset_crosswalk_csv(ds, &cross, &cross_len);
  if (rc) {
    hicov_free(units);
    hicov_free(values);
    return fail(err, err_size, rc, "%s: %s", dir,
                hicov_text(lang, hicov_status_string(rc)));
  }
  /* the folder to replace: a symbolic link is followed and stays */
  char target[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX] = "", path[PATH_MAX];
  struct stat st;
  int exists = stat(dir, &st) == 0;
  int slot_dir = -1, slots[3] = { -1, -1, -1 };
  if (exists && !S_ISDIR(st.st_mode)) {
    rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: not a folder"), dir);
    goto out;
  }
  if (!exists && errno != ENOENT) {
    rc = fail(err, err_size, HICOV_IO, "%s: %s", dir, strerror(errno));
    goto out;
  }
  if (exists) {
    if (!realpath(dir, target)) {
      rc = fail(err, err_size, HICOV_IO, "%s: %s", dir, strerror(errno));
      goto out;
    }
  } else {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
      n--;
    if (n >= sizeof target) {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: name too long"), dir);
      goto out;
    }
    memcpy(target, dir, n);
    target[n] = '\0';
  }
  const char *slash = strrchr(target, '/');
  if (slash && slash != target)
    hicov_fmt(parent, sizeof parent, "%.*s", (int)(slash - target), target);
  else
    hicov_fmt(parent, sizeof parent, "%s", slash ? "/" : ".");
  if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", target) >= (int)sizeof tmp) {
    rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: name too long"), dir);
    goto out;
  }
  if (!mkdtemp(tmp)) {
    rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot create a folder "
              "beside it: %s"), dir, strerror(errno));
    goto out;
  }
  slot_dir = report_temp_register(tmp);
  if (exists)
    (void)chmod(tmp, st.st_mode & 07777);
  else
    (void)chmod(tmp, 0755);
  /* the files, each written and synced (report_write_atomic) */
  const char *names[3] = { "units.csv", "values.csv", "crosswalk.csv" };
  const char *data[3] = { units, values, cross };
  size_t lens[3] = { units_len, values_len, cross_len };
  for (int i = 0; i < nfiles && !rc; i++) {
    hicov_fmt(path, sizeof path, "%s/%s", tmp, names[i]);
    slots[i] = report_temp_register(path);
    char msg[512];
    rc = report_write_atomic_flags(path, data[i], lens[i], 0, lang, msg,
                                   sizeof msg);
    if (rc) {
      /* the message names the file in the temporary folder: say dir */
      size_t pl = strlen(path);
      const char *why = !strncmp(msg, path, pl) && msg[pl] == ':' ? msg + pl + 2
                                                                  : msg;
      fail(err, err_size, rc, "%s/%s: %s", dir, names[i], why);
    }
  }
  if (!rc && exists)
    rc = carry_over(target, tmp, dir, lang, nfiles == 3, err, err_size);
  if (!rc)
    sync_dir(tmp);
  if (rc)
    goto out;
  /* the one step that makes the new dataset visible */
  if (!exists) {
    if (rename(tmp, target) != 0) {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot put the new "
                "folder in place: %s"), dir, strerror(errno));
      goto out;
    }
  } else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot exchange the "
                "folders: %s"), dir, strerror(errno));
      goto out;
    }
    /* two renames; hicov-data.h says how to recover from a crash between */
    char old[PATH_MAX];
    hicov_fmt(old, sizeof old, "%s.old-XXXXXX", target);
    if (!mkdtemp(old) || rmdir(old) != 0 || rename(target, old) != 0) {
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot move the old "
                "folder aside: %s"), dir, strerror(errno));
      goto out;
    }
    if (rename(tmp, target) != 0) {
      int e = errno;
      (void)rename(old, target);
      rc = fail(err, err_size, HICOV_IO, T_(lang, "%s: cannot put the new "
                "folder in place: %s"), dir, strerror(e));
      goto out;
    }
    hicov_fmt(tmp, sizeof tmp, "%s", old); /* what is left to remove */
  }
  sync_dir(parent);
  /* tmp now names the old dataset (or nothing, for a new dir) */
  for (int i = 0; i < 3; i++)
    report_temp_unregister(slots[i]);
  report_temp_unregister(slot_dir);
  slots[0] = slots[1] = slots[2] = slot_dir = -1;
  if (exists)
    remove_folder(tmp);
  tmp[0] = '\0';
out:
  if (rc && tmp[0] && strstr(tmp, ".tmp-"))
    remove_folder(tmp);
  for (int i = 0; i < 3; i++)
    report_temp_unregister(slots[i]);
  report_temp_unregister(slot_dir);
  hicov_free(units);
  hicov_free(values);
  hicov_free(cross);
  return rc;
}
