/* csv.c - a small RFC 4180 reader for the dataset files.
 *
 * Handles a UTF-8 BOM, LF or CRLF line ends, quoted fields with "" escapes
 * and newlines inside quotes.  Records are unquoted into one buffer so each
 * field is a NUL-terminated string; line numbers are physical lines, which
 * is what a user sees in an editor. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv-private.h"

void hicov_csv_init(HicovCsv *csv, const char *data, size_t len)
{
  memset(csv, 0, sizeof *csv);
  csv->data = data;
  csv->len = len;
  csv->line = 1;
  if (len >= 3 && (unsigned char)data[0] == 0xEF &&
      (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
    csv->pos = 3;
}

void hicov_csv_clear(HicovCsv *csv)
{
  hicov_free(csv->buf);
  hicov_free(csv->field_off);
  hicov_free(csv->field_len);
  memset(csv, 0, sizeof *csv);
}

static int grow_buf(HicovCsv *csv, size_t need)
{
  return hicov_grow((void **)&csv->buf, &csv->buf_cap, need, 1) ? -2 : 0;
}

/* The fast path is a store; growing is the rare case. */
static inline int push_char(HicovCsv *csv, size_t *used, char c)
{
  if (*used >= csv->buf_cap && grow_buf(csv, *used + 1))
    return -2;
  csv->buf[(*used)++] = c;
  return 0;
}

static int end_field(HicovCsv *csv, size_t *used, size_t start)
{
  if (push_char(csv, used, '\0'))
    return -2;
  if (csv->n_fields >= csv->cap_fields) {
    size_t cap = csv->cap_fields ? csv->cap_fields * 2 : 16;
    size_t *off = hicov_realloc(csv->field_off, cap * sizeof(size_t));
    if (!off)
      return -2;
    csv->field_off = off;
    size_t *len = hicov_realloc(csv->field_len, cap * sizeof(size_t));
    if (!len)
      return -2;
    csv->field_len = len;
    csv->cap_fields = cap;
  }
  csv->field_off[csv->n_fields] = start;
  csv->field_len[csv->n_fields] = *used - 1 - start;
  csv->n_fields++;
  return 0;
}

/* Bytes that end an unquoted field. */
static const unsigned char stops[256] = { [','] = 1, ['\n'] = 1, ['\r'] = 1 };

int hicov_csv_next(HicovCsv *csv)
{
  const char *d = csv->data;
  size_t n = csv->len, i = csv->pos;
  size_t used = 0;
  csv->n_fields = 0;
  csv->err[0] = '\0';

  /* Skip blank lines between records. */
  while (i < n && (d[i] == '\n' || d[i] == '\r')) {
    if (d[i] == '\n')
      csv->line++;
    i++;
  }
  if (i >= n) {
    csv->pos = i;
    return 0;
  }
  csv->rec_line = csv->line;

  size_t start = 0;
  for (;;) {
    start = used;
    if (i < n && d[i] == '"') {
      long qline = csv->line;
      i++;
      for (;;) {
        if (i >= n) {
          hicov_fmt(csv->err, sizeof csv->err,
                    "unterminated quoted field opened on line %ld", qline);
          csv->pos = i;
          return -1;
        }
        char c = d[i++];
        if (c == '"') {
          if (i < n && d[i] == '"') {
            if (push_char(csv, &used, '"'))
              return -2;
            i++;
            continue;
          }
          break;
        }
        if (c == '\n')
          csv->line++;
        if (push_char(csv, &used, c))
          return -2;
      }
      /* After a closing quote only a separator or line end may follow. */
      if (i < n && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
        hicov_fmt(csv->err, sizeof csv->err,
                  "unexpected character '%c' after a closing quote", d[i]);
        /* skip the rest of the line so the caller can go on */
        while (i < n && d[i] != '\n')
          i++;
        csv->pos = i;
        return -1;
      }
    } else {
      size_t j = i;
      while (j < n && !stops[(unsigned char)d[j]])
        j++;
      if (used + (j - i) + 1 > csv->buf_cap && grow_buf(csv, used + (j - i) + 1))
        return -2;
      memcpy(csv->buf + used, d + i, j - i);
      used += j - i;
      i = j;
    }
    if (end_field(csv, &used, start))
      return -2;
    if (i < n && d[i] == ',') {
      i++;
      continue;
    }
    /* end of record */
    if (i < n && d[i] == '\r')
      i++;
    if (i < n && d[i] == '\n') {
      i++;
      csv->line++;
    }
    break;
  }
  csv->pos = i;
  return 1;
}

const char *hicov_csv_field(const HicovCsv *csv, size_t i)
{
  if (i >= csv->n_fields)
    return "";
  return csv->buf + csv->field_off[i];
}

int hicov_read_file(const char *path, char **data, size_t *len, char *err,
                    size_t err_size)
{
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    hicov_fmt(err, err_size, "cannot open %s: %s", path, strerror(errno));
    return HICOV_IO;
  }
  /* One allocation of the file's size (plus growth if it is still being
   * written, or not a regular file). */
  struct stat st;
  size_t cap = 0, used = 0;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    cap = (size_t)st.st_size + 1;
  char *buf = NULL;
  if (cap && !(buf = hicov_malloc(cap))) {
    fclose(f);
    hicov_fmt(err, err_size, "out of memory reading %s (%zu bytes)", path, cap - 1);
    return HICOV_NOMEM;
  }
  for (;;) {
    if (used + 1 >= cap &&
        hicov_grow((void **)&buf, &cap, used + 65536, 1)) {
      hicov_free(buf);
      fclose(f);
      hicov_fmt(err, err_size, "out of memory reading %s", path);
      return HICOV_NOMEM;
    }
    size_t got = fread(buf + used, 1, cap - used - 1, f);
    used += got;
    if (got == 0) {
      if (ferror(f)) {
        hicov_fmt(err, err_size, "cannot read %s: %s", path, strerror(errno));
        hicov_free(buf);
        fclose(f);
        return HICOV_IO;
      }
      break;
    }
  }
  fclose(f);
  buf[used] = '\0';
  *data = buf;
  *len = used;
  return HICOV_OK;
}

int hicov_parse_centi(const char *s, int64_t *out)
{
  const char *p = s;
  int neg = 0;
  while (*p == ' ')
    p++;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
  }
  if (*p < '0' || *p > '9')
    return 0;
  int64_t v = 0;
  while (*p >= '0' && *p <= '9') {
    if (v > (INT64_MAX / 100 - 9) / 10)
      return 0;
    v = v * 10 + (*p++ - '0');
  }
  v *= 100;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return 0;
    v += (*p++ - '0') * 10;
    if (*p >= '0' && *p <= '9')
      v += *p++ - '0';
    /* further digits must be zeros: the value is exact or it is refused */
    while (*p == '0')
      p++;
  }
  while (*p == ' ')
    p++;
  if (*p)
    return 0;
  *out = neg ? -v : v;
  return 1;
}
