/* csv-private.h - the CSV reader (csv.c), bottom layer: the dataset's
 * loaders read units.csv and values.csv through it.  Not API. */
#ifndef HICOV_CSV_PRIVATE_H
#define HICOV_CSV_PRIVATE_H

#include "util-private.h"

typedef struct {
  const char *data;
  size_t len;
  size_t pos;
  long line;       /* physical line of the current position */
  long rec_line;   /* line where the last record started */
  /* current record's fields (pointers into buf) */
  char *buf;
  size_t buf_cap;
  size_t *field_off;
  size_t *field_len;
  size_t n_fields, cap_fields;
  char err[320];    /* in lang: Vietnamese is longer */
  int err_col;     /* 1-based column of the last error, 0 if unknown */
  size_t bad;      /* offset of the next NUL or non-UTF-8 byte, or len */
  const char *not_utf8; /* the whole file is UTF-16/32: what it is */
  const char *lang; /* of the messages: "vi", "en", NULL (as hicov_csv_init
                       leaves it) the process's; the loaders set the
                       dataset's */
  size_t width;     /* fields of the header row, once a loader read it */
} HicovCsv;

void hicov_csv_init(HicovCsv *csv, const char *data, size_t len);
void hicov_csv_clear(HicovCsv *csv);
/* Reads the next record. Returns 1 when a record was read, 0 at end of
 * input, -1 on a rejected record (csv->err, csv->err_col): malformed
 * quoting, a NUL byte, bytes that are not UTF-8, or a file in UTF-16 or
 * UTF-32 (then its first record, the header); HICOV_NOMEM as -2. */
int hicov_csv_next(HicovCsv *csv);
/* Field i of the current record, NUL-terminated. */
const char *hicov_csv_field(const HicovCsv *csv, size_t i);
/* Reads a whole regular file of at most max bytes into memory, NUL-
 * terminated (caller frees with hicov_free). Refuses, with a message in
 * lang ("vi", "en", NULL: the process's language) that names the file: an
 * empty name, a folder, FIFO, device or socket (without blocking on a
 * FIFO), and (HICOV_LIMIT) a file over max bytes or one that grows past
 * max while it is read. hicov_read_file: in the process's language. */
int hicov_read_file_lang(const char *path, size_t max, const char *lang,
                         char **data, size_t *len, char *err, size_t err_size);
int hicov_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *err, size_t err_size);
/* Parses an exact decimal with at most 2 fraction digits into centi.
 * Accepts optional sign, digits, optional '.' and 1-2 digits. */
int hicov_parse_centi(const char *s, int64_t *out);
/* The same; on a refusal *too_large (if not NULL) says whether the text is
 * a well-formed number whose magnitude is over HICOV_CENTI_MAX_TEXT. */
int hicov_parse_centi_checked(const char *s, int64_t *out, int *too_large);
/* The largest magnitude hicov_parse_centi reads: the whole part must leave
 * room for x 100 plus two decimals in 64 bits. */
#define HICOV_CENTI_MAX_TEXT "92233720368547749.99"

#endif
