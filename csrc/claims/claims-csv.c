/* claims-csv.c - CSV with XML1 field names: the header mapped to fields,
 * then the rows, each a record.  The row loop finds each field's end in
 * bit masks of a 64-byte block (claims-scan.h): a count of trailing zeros
 * a field.  claims-csv-x86v3.c compiles this file again for AVX2 and BMI2
 * (CLAIMS_CSV_V3): only the row loop, as claims_read_csv_rows_v3. */
#include <pthread.h>
#include <string.h>

#include "claims-read-private.h"
#include "claims-scan.h"

static unsigned char csv_cls[256];
static pthread_once_t csv_once = PTHREAD_ONCE_INIT;

static void init_csv(void)
{
  claims_fields_init();
  csv_cls[','] = 1;
  csv_cls['\n'] = 1;
  csv_cls['\r'] = 1;
}

/* Reads one CSV field at *pp; sets value (maybe unescaped into dst).
 * Returns the delimiter: ',' , '\n' (row end, also at EOF) or -1 when a
 * quoted field is not closed. */
static inline int csv_field(const char **pp, const char *e, const char **v,
                            size_t *n, char *dst, size_t dcap, int *too_long)
{
  const char *p = *pp;
  if (p < e && *p == '"') {
    p++;
    const char *s = p;
    const char *q = memchr(p, '"', (size_t)(e - p));
    if (!q)
      return -1;
    if (q + 1 < e && q[1] == '"') {
      /* escaped quotes: unescape */
      size_t w = 0;
      p = s;
      for (;;) {
        if (p >= e)
          return -1;
        if (*p == '"') {
          if (p + 1 < e && p[1] == '"') {
            if (w < dcap)
              dst[w++] = '"';
            else
              *too_long = 1;
            p += 2;
            continue;
          }
          break;
        }
        if (w < dcap)
          dst[w++] = *p;
        else
          *too_long = 1;
        p++;
      }
      *v = dst;
      *n = w;
      q = p;
    } else {
      *v = s;
      *n = (size_t)(q - s);
    }
    p = q + 1;
    /* after the closing quote: a delimiter (anything else is kept out) */
    while (p < e && !csv_cls[(unsigned char)*p])
      p++;
  } else {
    const char *s = p;
    p = scan_csv_delim(p, e);
    *v = s;
    *n = (size_t)(p - s);
  }
  if (p >= e) {
    *pp = p;
    return '\n';
  }
  if (*p == ',') {
    *pp = p + 1;
    return ',';
  }
  if (*p == '\r') {
    p++;
    if (p < e && *p == '\n')
      p++;
  } else {
    p++;
  }
  *pp = p;
  return '\n';
}

/* No byte of [s, s+n) is >= 0x80: a word at a time, the last word (or
 * two half words) overlapping the ones before, since most fields are
 * shorter than a word and a byte loop over them was the row loop's
 * hottest spot. */
static inline int ascii_only(const char *s, size_t n)
{
  uint64_t acc = 0, w;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      memcpy(&w, s + i, 8);
      acc |= w;
    }
    memcpy(&w, s + n - 8, 8);
    acc |= w;
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    acc = a | b;
  } else {
    for (size_t i = 0; i < n; i++)
      acc |= (unsigned char)s[i];
  }
  return !(acc & 0x8080808080808080ULL);
}

/* A row read from p0 to p (d: the last delimiter) that ran into the end
 * of the window, not of the input: it may go on past it.  A row ending in
 * "\r" there may be followed by "\n". */
static inline int row_cut(const Part *pt, const char *p0, const char *p,
                          const char *e, int d)
{
  return !pt->eof && (d < 0 || (p == e && (p == p0 || e[-1] != '\n')));
}

#ifndef CLAIMS_CSV_V3
/* Parses the header; fills map[col] = field id or -1. */
int claims_csv_header(Part *pt, size_t *at, int **map_out, size_t *ncols)
{
  pthread_once(&csv_once, init_csv);
  const char *p, *e;
  int *map = NULL;
  size_t n = 0, cap = 0;
  int seen[N_FIELDS];
  char buf[256];
again:
  p = pt->base + (*at - pt->off);
  e = pt->base + pt->avail;
  n = 0;
  memset(seen, 0, sizeof seen);
  for (;;) {
    const char *v;
    size_t l;
    int tl = 0;
    const char *p0 = p;
    int d = csv_field(&p, e, &v, &l, buf, sizeof buf, &tl);
    if ((d == '\n' || d < 0) && row_cut(pt, p0, p, e, d)) {
      /* the header goes on past the window: again with more of it */
      int rc = claims_part_more(pt, pt->off + pt->avail + 1);
      if (rc) {
        hicov_free(map);
        hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s line 1: %s"),
                  pt->file, pt->why);
        return pt->status = rc;
      }
      goto again;
    }
    if (d < 0) {
      hicov_free(map);
      hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s line 1: unclosed "
                                                         "quote in the header"),
                pt->file);
      return pt->status = HICOV_PARSE;
    }
    trim(&v, &l);
    if (hicov_grow((void **)&map, &cap, n + 1, sizeof *map))
      return pt->status = HICOV_NOMEM;
    int f = field_lookup(v, l);
    if (f >= 0 && seen[f]) {
      hicov_free(map);
      hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s line 1, column "
                                                         "%zu: the column %s "
                                                         "appears twice"),
                pt->file, n + 1, claims_field_names[f].name);
      return pt->status = HICOV_PARSE;
    }
    if (f >= 0)
      seen[f] = 1;
    map[n++] = f;
    if (d == '\n')
      break;
  }
  if (!seen[F_MA_LK]) {
    hicov_free(map);
    hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s line 1: expected a "
                                                       "header row of XML1 "
                                                       "field names (MA_LK, "
                                                       "MA_CSKCB, T_BHTT, "
                                                       "...), found no MA_LK "
                                                       "column"), pt->file);
    return pt->status = HICOV_PARSE;
  }
  *at = pt->off + (size_t)(p - pt->base);
  *map_out = map;
  *ncols = n;
  return HICOV_OK;
}
#endif

/* An unclosed quote swallows the rest of the file: the row at pos is
 * refused, and the file with it.  Returns the part's status. */
static int csv_unclosed(Part *pt, size_t pos)
{
  long line, cl;
  claims_part_line_col(pt, pos, &line, &cl);
  pt->c->counts.rejected++;
  pt->c->counts.rejected_by[HICOV_CLAIMS_REJECT_CSV_ROW]++;
  hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s line %ld: a quoted "
                                                     "field is not closed "
                                                     "before the end of the "
                                                     "file (truncated?)"),
            pt->file, line);
  return pt->status = HICOV_PARSE;
}

/* CSV text is not checked by an XML scanner: UTF-8 is required in the
 * fields we keep.  *bad = 1 when the row was rejected; returns a status. */
static int csv_row_utf8(Part *pt, const RawRec *r, const Where *w,
                        const char *lk, int *bad)
{
  *bad = 0;
  for (int f = 0; f < N_FIELDS; f++) {
    const unsigned char *s = (const unsigned char *)r->v[f];
    if (ascii_only(r->v[f], r->len[f]))
      continue;
    for (size_t i = 0; i < r->len[f];) {
      if (s[i] < 0x80) {
        i++;
        continue;
      }
      size_t m = utf8_seq(s + i, s + r->len[f]);
      if (!m) {
        char q[96];
        *bad = 1;
        return claims_reject(pt, w, HICOV_CLAIMS_REJECT_MALFORMED, lk,
                             claims_field_names[f].name, T_(pt->c->lang,
                             "expected UTF-8 text, found '%s' (byte 0x%02X)"),
                             claims_quote_val(r->v[f], r->len[f], q, sizeof q),
                             s[i]);
      }
      i += m;
    }
  }
  return HICOV_OK;
}

/* What a row that was read (col fields, from pos) comes to: rejected for
 * its shape or its text, or validated and pushed.  Returns a status (the
 * part's), or ROW_SKIPPED for a row of the wrong shape. */
#define ROW_SKIPPED (-1)
static int csv_row_add(Part *pt, RawRec *r, size_t pos, size_t col,
                       int too_long)
{
  size_t ncols = pt->csv_ncols;
  Where w = { pt->file, WHERE_BYTE, (int64_t)pos };
  char lk[CLAIMS_LK_MAX + 1] = "";
  if (r->present[F_MA_LK] && r->len[F_MA_LK] <= CLAIMS_LK_MAX) {
    memcpy(lk, r->v[F_MA_LK], r->len[F_MA_LK]);
    lk[r->len[F_MA_LK]] = 0;
  }
  if (col != ncols || too_long) {
    int rc = too_long
      ? claims_reject(pt, &w, HICOV_CLAIMS_REJECT_CSV_ROW, lk, "",
                      T_(pt->c->lang, "a quoted field longer than %d bytes"),
                      ARENA_SIZE)
      : claims_reject(pt, &w, HICOV_CLAIMS_REJECT_CSV_ROW, lk, "",
                      T_(pt->c->lang, "expected %zu fields as in the header, "
                                      "found %zu"), ncols, col);
    return rc ? (pt->status = rc) : ROW_SKIPPED;
  }
  int bad, rc = csv_row_utf8(pt, r, &w, lk, &bad);
  if (rc)
    return pt->status = rc;
  if (bad)
    return HICOV_OK;
  ClaimsRec *cr = claims_part_slot(pt);
  if (!cr)
    return pt->status = HICOV_NOMEM;
  int v = claims_validate(pt, r, &w, cr);
  if (v < 0)
    return pt->status = -v;
  if (v == 1 && (pt->status = claims_part_push(pt, cr)))
    return pt->status;
  return HICOV_OK;
}

/* The part's error when its window cannot move on or grow. */
static int csv_window_error(Part *pt, size_t pos, int rc)
{
  long line, cl;
  if (rc == HICOV_IO || rc == HICOV_NOMEM) {
    hicov_fmt(pt->err, sizeof pt->err, "%s: %s", pt->file, pt->why);
  } else {
    claims_part_line_col(pt, pos, &line, &cl);
    hicov_fmt(pt->err, sizeof pt->err, "%s line %ld: %s", pt->file, line,
              pt->why);
  }
  return pt->status = rc;
}

/* What comes before each row: where the part stops (-1, pt->stopped set),
 * progress, chunk marks and the window, grown by a search for chunk starts
 * or slid on at the row's start (*pp, *pe and the scan follow). 0 to read
 * the row at *pos, or a status to return. */
static int csv_row_start(Part *pt, const char **pp, const char **pe,
                         DelimScan *ds, size_t *pos_out)
{
  size_t pos = pt->off + (size_t)(*pp - pt->base);
  size_t avail = pt->avail;
  *pos_out = pos;
  if (pos >= pt->stop_at) {
    int stop;
    if ((pt->status = claims_part_stop(pt, pos, &stop)))
      return pt->status;
    if (stop) {
      pt->stopped = pos;
      return -1;
    }
  }
  claims_part_progress(pt, pos);
  if (pos >= pt->next_flush && (pt->status = claims_part_chunk_mark(pt, pos)))
    return pt->status;
  if (pt->avail != avail) {
    /* the chunk starts were looked for further on: the window grew, and
       the block scanned last may have ended at its old end */
    *pe = pt->base + pt->avail;
    ds_init(ds, *pp);
  }
  if (part_low(pt, pos)) {
    /* the window moves on at a row's start (what points into it too) */
    int rc = claims_part_slide(pt, pos);
    if (rc)
      return csv_window_error(pt, pos, rc);
    *pp = pt->base + (pos - pt->off);
    *pe = pt->base + pt->avail;
    ds_init(ds, *pp);
  }
  return 0;
}

/* Skips up to k fields at *pp that the header does not map (the caller's
 * block holds *pp), in the block masks alone: no byte of theirs is read.
 * Each field taken starts with no quote and ends with ','; the run stops
 * short before a quoted field or a line end (the row loop reads that
 * field as any other).  Several blocks at a time; *rem follows as in the
 * row loop (the delimiters at or after *pp in the block).  Returns the
 * number of fields skipped, k when the whole run went. */
static inline size_t csv_skip(DelimScan *ds, const char **pp, uint64_t *rem,
                              size_t k, const char *e)
{
  const char *p = *pp;
  uint64_t r = *rem;
  uint64_t start = (uint64_t)1 << ((uintptr_t)p - ds->base);
  size_t done = 0;
  for (;;) {
    uint64_t t = r, span = 0, last = 0;
    size_t i = done;
#ifdef __BMI2__
    /* as the loop below, in one step: the need-th delimiter is the
       need-th set bit of t, which PDEP deposits 1 << (need - 1) on */
    if (t) {
      size_t need = k - done, have = (size_t)__builtin_popcountll(t);
      if (have >= need) {
        last = _pdep_u64((uint64_t)1 << (need - 1), t);
        span = t & (last | (last - 1));
        t &= ~span;
        i = k;
      } else {
        span = t;
        last = (uint64_t)1 << (63 - __builtin_clzll(t));
        t = 0;
        i += have;
      }
    }
#else
    while (t && i < k) {
      last = t & (0 - t);
      span |= last;
      t &= t - 1;
      i++;
    }
#endif
    /* the fields' starts: p's, and after each delimiter but the run's
       last (the mapped field that follows starts there) */
    uint64_t starts = start | ((i == k ? span & ~last : span) << 1);
    uint64_t bad = (starts & ds->quote) | (span & ds->nl);
    if (bad) {
      /* the delimiters before the first quoted start or line end */
      uint64_t take = span & ((bad & (0 - bad)) - 1);
      if (take) {
        uint64_t hi = 0;
        for (uint64_t m = take; m; m &= m - 1) {
          hi = m & (0 - m);
          done++;
        }
        p = (const char *)ds->base + __builtin_ctzll(hi) + 1;
        r &= ~(hi | (hi - 1));
      }
      break;
    }
    done = i;
    if (last)
      p = (const char *)ds->base + __builtin_ctzll(last) + 1;
    if (i == k) {
      r = t;
      break;
    }
    /* every delimiter of the block taken and no line end: a whole block,
       so the next one begins at or before e */
    ds_load(ds, (const char *)ds->base + 64, e);
    r = ds->delim;
    start = p == (const char *)ds->base;
  }
  *pp = p;
  *rem = r;
  return done;
}

/* skip[c] (c < the count returned): how many columns from c on the
 * header leaves unmapped (28 of the 40 in the export), for csv_skip to
 * take in one go; 0 for a mapped column. */
static size_t csv_skip_runs(const int *map, size_t ncols, unsigned char *skip,
                            size_t cap)
{
  size_t n = ncols < cap ? ncols : cap;
  for (size_t c = n; c-- > 0;)
    skip[c] = map[c] >= 0 ? 0
      : (unsigned char)(c + 1 < n && skip[c + 1] < 255 ? skip[c + 1] + 1 : 1);
  return n;
}

/* A short row's fields from column col on, as raw_reset leaves them. */
static inline void raw_clear_from(RawRec *r, const int *map, size_t col,
                                  size_t ncols)
{
  for (size_t k = col; k < ncols; k++) {
    if (map[k] >= 0) {
      r->present[map[k]] = 0;
      r->v[map[k]] = NULL;
      r->len[map[k]] = 0;
    }
  }
}

/* Steps over the empty line at *pp (read at pos).  0, or a status. */
static int csv_empty_line(Part *pt, const char **pp, const char **pe,
                          DelimScan *ds, size_t pos)
{
  const char *p = *pp;
  if (*p == '\r' && p + 1 == *pe && !pt->eof) {
    /* "\r" at the window's end: "\r\n" is one line end */
    int rc = claims_part_more(pt, pos + 2);
    if (rc)
      return csv_window_error(pt, pos, rc);
    *pe = pt->base + pt->avail;
    ds_init(ds, p);
  }
  *pp = p + ((*p == '\r' && p + 1 < *pe && p[1] == '\n') ? 2 : 1);
  return 0;
}

static int csv_rows(Part *pt, size_t from)
{
  const char *p = pt->base + (from - pt->off);
  const char *e = pt->base + pt->avail;
  const int *map = pt->csv_map;
  size_t ncols = pt->csv_ncols;
  RawRec r;
  int64_t since = 0;
  char *ubuf = pt->arena; /* unescaped quoted fields go to the arena too */
  DelimScan ds;
  ds_init(&ds, p);
  unsigned char skip[256];
  size_t nskip = csv_skip_runs(map, ncols, skip, sizeof skip);
  /* Reset once, not a row (its 500 bytes were a tenth of the row loop):
     a row sets every field the header maps, a short row's missing ones
     are cleared after it, and the other fields stay empty. */
  raw_reset(&r, ubuf);
  for (;;) {
    size_t pos;
    int start = csv_row_start(pt, &p, &e, &ds, &pos);
    if (start)
      return start < 0 ? HICOV_OK : start;
    if (p >= e)
      break;
    if (*p == '\n' || *p == '\r') { /* empty line */
      if ((start = csv_empty_line(pt, &p, &e, &ds, pos)))
        return start;
      continue;
    }
    r.arena_len = 0;
    r.overflow = 0;
    size_t col = 0;
    int d, too_long = 0;
    const char *p0 = p;
    /* rem: the delimiters at or after p in the block.  Each unquoted
       field takes its lowest bit and clears it, so that the loop carries
       one dependency (rem), not the field's start through a shift and a
       count; p follows from the bit off that path. */
    uintptr_t off = (uintptr_t)p - ds.base;
    if (off >= 64) {
      ds_load(&ds, p, e);
      off = 0;
    }
    uint64_t rem = ds.delim & (~(uint64_t)0 << off);
    for (;;) {
      const char *v;
      size_t l;
      off = (uintptr_t)p - ds.base;
      if (off >= 64) { /* the last field ended on the block's last byte */
        ds_load(&ds, p, e);
        off = 0;
        rem = ds.delim;
      }
      if (col < nskip && skip[col]) {
        size_t k = skip[col], s = csv_skip(&ds, &p, &rem, k, e);
        col += s;
        if (s == k)
          continue; /* ended by ',': a field follows */
        /* short of a quoted field or a line end, read as any other */
        off = (uintptr_t)p - ds.base;
        if (off >= 64) {
          ds_load(&ds, p, e);
          off = 0;
          rem = ds.delim;
        }
      }
      if ((ds.quote >> off) & 1) {
        /* quoted: unescaped into the arena if it holds "" */
        size_t room = ARENA_SIZE - r.arena_len;
        d = csv_field(&p, e, &v, &l, r.arena + r.arena_len, room, &too_long);
        if (d < 0)
          break;
        if (v == r.arena + r.arena_len)
          r.arena_len += l;
        if (d == ',') {
          off = (uintptr_t)p - ds.base;
          if (off >= 64) {
            ds_load(&ds, p, e);
            off = 0;
          }
          rem = ds.delim & (~(uint64_t)0 << off);
        }
      } else {
        /* unquoted, the common case: the next delimiter bit, in this
           block or a later one (a quote inside the field is text) */
        while (!rem) {
          ds_load(&ds, (const char *)ds.base + 64, e);
          rem = ds.delim;
        }
        unsigned bit = (unsigned)__builtin_ctzll(rem);
        rem &= rem - 1;
        const char *q = (const char *)ds.base + bit;
        v = p;
        l = (size_t)(q - p);
        if (!((ds.nl >> bit) & 1)) {
          p = q + 1;
          d = ',';
        } else {
          d = '\n';
          if (q >= e) {
            p = e;
          } else {
            p = q + 1;
            if (*q == '\r' && p < e && *p == '\n')
              p++;
          }
        }
      }
      if (col < ncols && map[col] >= 0) {
        int f = map[col];
        r.present[f] = 1;
        r.v[f] = v;
        r.len[f] = l;
      }
      col++;
      if (d != ',')
        break;
    }
    raw_clear_from(&r, map, col, ncols);
    if (row_cut(pt, p0, p, e, d)) {
      /* the row goes on past the window: again with more of the input
         (the window grows in place) */
      int rc = claims_part_more(pt, pt->off + pt->avail + 1);
      if (rc)
        return csv_window_error(pt, pos, rc);
      p = p0;
      e = pt->base + pt->avail;
      ds_init(&ds, p);
      continue;
    }
    pt->read++;
    pt->c->counts.records_read++;
    if (d < 0)
      return csv_unclosed(pt, pos);
    int rc = csv_row_add(pt, &r, pos, col, too_long);
    if (rc == ROW_SKIPPED)
      continue;
    if (rc)
      return rc;
    if (++since >= 256) {
      since = 0;
      if (part_cancelled(pt)) {
        hicov_fmt(pt->err, sizeof pt->err, "%s: cancelled", pt->file);
        return pt->status = HICOV_ERROR;
      }
    }
  }
  pt->stopped = pt->size;
  return HICOV_OK;
}

#ifdef CLAIMS_CSV_V3
int claims_read_csv_rows_v3(Part *pt, size_t from)
{
  /* this copy's own table (the baseline's is set by the header's parse) */
  pthread_once(&csv_once, init_csv);
  return csv_rows(pt, from);
}
#else
static _Atomic int csv_baseline;

void claims_debug_csv_baseline(int on)
{
  csv_baseline = on;
}

int claims_read_csv_rows(Part *pt, size_t from)
{
#ifdef CLAIMS_HAVE_CSV_V3
  if (!csv_baseline && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("bmi2"))
    return claims_read_csv_rows_v3(pt, from);
#endif
  return csv_rows(pt, from);
}
#endif
