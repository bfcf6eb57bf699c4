/* csv.c - a small RFC 4180 reader for the dataset files.
 *
 * Handles a UTF-8 BOM, LF or CRLF line ends, quoted fields with "" escapes
 * and newlines inside quotes.  Records are unquoted into one buffer so each
 * field is a NUL-terminated string; line numbers are physical lines, which
 * is what a user sees in an editor.
 *
 * The text must be UTF-8: a record with a NUL byte (which would cut its
 * field short) or bytes that are not UTF-8 (a file saved as Windows-1258 or
 * TCVN3) is rejected with its line and column, and a UTF-16 or UTF-32 file
 * is refused at its first record instead of failing later on a missing
 * column. The bytes are checked once, ahead of the records. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv-private.h"

/* Offset of the first NUL byte or byte that is not well-formed UTF-8
 * (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF)
 * at or after i, or n. */
static size_t find_bad(const unsigned char *d, size_t i, size_t n)
{
  while (i < n) {
    /* eight ASCII bytes with no NUL at a time */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, d + i, 8);
      if ((w & 0x8080808080808080u) ||
          ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u))
        break;
      i += 8;
    }
    if (i >= n)
      break;
    unsigned c = d[i];
    if (c < 0x80) {
      if (c == 0)
        return i;
      i++;
      continue;
    }
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      k = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else
      return i;
    if (i + k >= n)
      return i; /* cut short by the end of the file */
    if (d[i + 1] < lo || d[i + 1] > hi)
      return i;
    for (size_t j = 2; j <= k; j++)
      if (d[i + j] < 0x80 || d[i + j] > 0xBF)
        return i;
    i += k + 1;
  }
  return n;
}

/* A UTF-16 or UTF-32 file, by its byte-order mark or by the NUL bytes of
 * its ASCII header (a msgid of the catalogue); NULL for anything else. */
static const char *wide_encoding(const unsigned char *d, size_t n)
{
  /* byte arrays, not string literals: xgettext reads a literal with NUL
     bytes as an empty msgid */
  static const unsigned char utf32le[4] = { 0xFF, 0xFE, 0, 0 };
  static const unsigned char utf32be[4] = { 0, 0, 0xFE, 0xFF };
  if (n >= 4 && !memcmp(d, utf32le, 4))
    return N_("UTF-32 (little-endian byte-order mark FF FE 00 00)");
  if (n >= 4 && !memcmp(d, utf32be, 4))
    return N_("UTF-32 (big-endian byte-order mark 00 00 FE FF)");
  if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
    return N_("UTF-16 (little-endian byte-order mark FF FE)");
  if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
    return N_("UTF-16 (big-endian byte-order mark FE FF)");
  if (n >= 4 && d[0] && !d[1] && d[2] && !d[3])
    return N_("UTF-16 (little-endian, without a byte-order mark)");
  if (n >= 4 && !d[0] && d[1] && !d[2] && d[3])
    return N_("UTF-16 (big-endian, without a byte-order mark)");
  return NULL;
}

void hicov_csv_init(HicovCsv *csv, const char *data, size_t len)
{
  memset(csv, 0, sizeof *csv);
  csv->data = data;
  csv->len = len;
  csv->line = 1;
  csv->not_utf8 = wide_encoding((const unsigned char *)data, len);
  if (len >= 3 && (unsigned char)data[0] == 0xEF &&
      (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
    csv->pos = 3;
  csv->bad = csv->not_utf8 ? len : find_bad((const unsigned char *)data,
                                            csv->pos, len);
}

/* The record that ended at `end` holds csv->bad: rejects it with the
 * column of the bad byte, and looks for the next one. */
static int reject_bad_bytes(HicovCsv *csv, size_t start, size_t end)
{
  const unsigned char *d = (const unsigned char *)csv->data;
  size_t at = csv->bad;
  int col = 1, quoted = 0;
  for (size_t i = start; i < at; i++) {
    if (d[i] == '"')
      quoted = !quoted;
    else if (d[i] == ',' && !quoted)
      col++;
  }
  csv->err_col = col;
  if (d[at] == 0)
    hicov_fmt(csv->err, sizeof csv->err, "%s", T_(csv->lang, "a NUL byte "
              "(0x00) in the text: the file is damaged or not a CSV text "
              "file"));
  else
    hicov_fmt(csv->err, sizeof csv->err, T_(csv->lang, "byte 0x%02X is not "
              "UTF-8: save the file as UTF-8 (\"CSV UTF-8\" in Excel); "
              "Windows-1258 and TCVN3 text is not read"), d[at]);
  csv->bad = find_bad(d, end, csv->len);
  return -1;
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
  csv->err_col = 0;
  if (csv->not_utf8 && i < n) {
    hicov_fmt(csv->err, sizeof csv->err, T_(csv->lang, "the file is %s, not "
              "UTF-8: save it as UTF-8 (\"CSV UTF-8\" in Excel)"),
              hicov_text(csv->lang, csv->not_utf8));
    csv->rec_line = csv->line;
    csv->pos = n;
    return -1;
  }

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
  size_t rec_start = i;
  if (csv->bad < i) /* in a record rejected for its quoting */
    csv->bad = find_bad((const unsigned char *)d, i, n);

  size_t start = 0;
  for (;;) {
    start = used;
    if (i < n && d[i] == '"') {
      long qline = csv->line;
      i++;
      for (;;) {
        if (i >= n) {
          hicov_fmt(csv->err, sizeof csv->err, T_(csv->lang, "unterminated "
                    "quoted field opened on line %ld"), qline);
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
        hicov_fmt(csv->err, sizeof csv->err, T_(csv->lang, "unexpected "
                  "character '%c' after a closing quote"), d[i]);
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
  if (csv->bad < i)
    return reject_bad_bytes(csv, rec_start, i);
  return 1;
}

const char *hicov_csv_field(const HicovCsv *csv, size_t i)
{
  if (i >= csv->n_fields)
    return "";
  return csv->buf + csv->field_off[i];
}

/* What a file that is not a regular one is, for a message that names it,
 * in lang; NULL for another kind. */
static const char *file_kind(mode_t mode, const char *lang)
{
  return S_ISDIR(mode) ? T_(lang, "a folder")
       : S_ISFIFO(mode) ? T_(lang, "a FIFO (named pipe)")
       : S_ISCHR(mode) ? T_(lang, "a character device")
       : S_ISBLK(mode) ? T_(lang, "a block device")
       : S_ISSOCK(mode) ? T_(lang, "a socket") : NULL;
}

int hicov_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *err, size_t err_size)
{
  return hicov_read_file_lang(path, max, NULL, data, len, err, err_size);
}

int hicov_read_file_lang(const char *path, size_t max, const char *lang,
                         char **data, size_t *len, char *err, size_t err_size)
{
  *data = NULL;
  *len = 0;
  if (!*path) {
    hicov_fmt(err, err_size, "%s", T_(lang, "no file name given"));
    return HICOV_INVALID;
  }
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then
   * refuses it, and devices such as /dev/zero, before anything is read. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    hicov_fmt(err, err_size, T_(lang, "cannot open %s: %s"), path,
              strerror(errno));
    return HICOV_IO;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    hicov_fmt(err, err_size, T_(lang, "cannot read %s: %s"), path,
              strerror(errno));
    close(fd);
    return HICOV_IO;
  }
  if (!S_ISREG(st.st_mode)) {
    const char *kind = file_kind(st.st_mode, lang);
    if (kind)
      hicov_fmt(err, err_size, T_(lang, "%s is %s: refusing to read it"), path,
                kind);
    else
      hicov_fmt(err, err_size, T_(lang, "%s is not a regular file: refusing "
                "to read it"), path);
    close(fd);
    return HICOV_IO;
  }
  if ((uint64_t)st.st_size > max) {
    hicov_fmt(err, err_size, T_(lang, "%s has %lld bytes; at most %zu are "
              "read into memory for this kind of file"), path,
              (long long)st.st_size, max);
    close(fd);
    return HICOV_LIMIT;
  }
  /* One allocation of the file's size plus one byte, to see a file that
   * grows while it is read past the limit. */
  size_t cap = (size_t)st.st_size + 2, used = 0;
  char *buf = hicov_malloc(cap);
  if (!buf) {
    close(fd);
    hicov_fmt(err, err_size, T_(lang, "out of memory reading %s (%zu bytes)"),
              path, cap - 2);
    return HICOV_NOMEM;
  }
  for (;;) {
    if (used + 1 >= cap) {
      if (used > max) {
        hicov_fmt(err, err_size, T_(lang, "%s grew past %zu bytes while it "
                  "was read: refusing it"), path, max);
        hicov_free(buf);
        close(fd);
        return HICOV_LIMIT;
      }
      if (hicov_grow((void **)&buf, &cap, used + 65536, 1)) {
        hicov_free(buf);
        close(fd);
        hicov_fmt(err, err_size, T_(lang, "out of memory reading %s"), path);
        return HICOV_NOMEM;
      }
    }
    ssize_t got = read(fd, buf + used, cap - used - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      hicov_fmt(err, err_size, T_(lang, "cannot read %s: %s"), path,
                strerror(errno));
      hicov_free(buf);
      close(fd);
      return HICOV_IO;
    }
    if (got == 0)
      break;
    used += (size_t)got;
  }
  close(fd);
  if (used > max) {
    hicov_fmt(err, err_size, T_(lang, "%s grew past %zu bytes while it was "
              "read: refusing it"), path, max);
    hicov_free(buf);
    return HICOV_LIMIT;
  }
  buf[used] = '\0';
  *data = buf;
  *len = used;
  return HICOV_OK;
}

int hicov_parse_centi_checked(const char *s, int64_t *out, int *too_large)
{
  const char *p = s;
  int neg = 0, big = 0;
  if (too_large)
    *too_large = 0;
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
    /* past HICOV_CENTI_MAX_TEXT: read on, to tell a number too large from
     * text that is no number at all */
    if (v > (INT64_MAX / 100 - 9) / 10)
      big = 1;
    else
      v = v * 10 + (*p - '0');
    p++;
  }
  v *= 100; /* no overflow: v is at most (INT64_MAX / 100 - 9) */
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
  if (big) {
    if (too_large)
      *too_large = 1;
    return 0;
  }
  *out = neg ? -v : v;
  return 1;
}

int hicov_parse_centi(const char *s, int64_t *out)
{
  return hicov_parse_centi_checked(s, out, NULL);
}
