/* dhis2-map.c - the mapping between hicov's codes and DHIS2's identifiers
 * (hicov-dhis2.h): a CSV file of kind, hicov code, DHIS2 code or UID.
 *
 * Rows are kept in one array with two sorted indexes (by hicov code and by
 * DHIS2 identifier, each within its kind), rebuilt after rows are added,
 * so a lookup is a binary search over tens of thousands of org units. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhis2-private.h"

typedef struct {
  int kind;
  char *hicov;
  char *dhis2;
  long line; /* in the file, 0 if added through the API */
} MapRow;

struct HicovDhis2Map {
  MapRow *rows;
  size_t n, cap;
  size_t *by_hicov, *by_dhis2; /* indexes into rows, sorted */
  int sorted;
  int scheme[HICOV_DHIS2_N_KINDS];
  int scheme_set[HICOV_DHIS2_N_KINDS]; /* by a row's idScheme */
  size_t count[HICOV_DHIS2_N_KINDS];
  char name[200]; /* the file's, for messages */
};

static const char *const kind_names[HICOV_DHIS2_N_KINDS] = {
  "orgUnit", "dataElement", "categoryOptionCombo", "attributeOptionCombo",
  "dataSet"
};

const char *hicov_dhis2_kind_name(int kind)
{
  return kind >= 0 && kind < HICOV_DHIS2_N_KINDS ? kind_names[kind] : NULL;
}

const char *hicov_dhis2_scheme_name(int scheme)
{
  return scheme == HICOV_DHIS2_UID ? "UID" : "CODE";
}

const char *hicov_dhis2_scheme_param(int kind)
{
  static const char *const params[HICOV_DHIS2_N_KINDS] = {
    "orgUnitIdScheme", "dataElementIdScheme", "categoryOptionComboIdScheme",
    "attributeOptionComboIdScheme", "dataSetIdScheme"
  };
  return kind >= 0 && kind < HICOV_DHIS2_N_KINDS ? params[kind] : NULL;
}

static int kind_parse(const char *s)
{
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++)
    if (!strcmp(s, kind_names[k]))
      return k;
  return -1;
}

/* "code"/"uid" in any case; -1 otherwise. */
int dhis2_scheme_parse(const char *s)
{
  if (!strcasecmp(s, "code"))
    return HICOV_DHIS2_CODE;
  if (!strcasecmp(s, "uid"))
    return HICOV_DHIS2_UID;
  return -1;
}

int dhis2_is_uid(const char *s)
{
  if (strlen(s) != 11 || !isalpha((unsigned char)s[0]))
    return 0;
  for (int i = 1; i < 11; i++)
    if (!isalnum((unsigned char)s[i]))
      return 0;
  return 1;
}

int hicov_dhis2_map_new(HicovDhis2Map **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = hicov_calloc(1, sizeof **out);
  return *out ? HICOV_OK : HICOV_NOMEM;
}

void hicov_dhis2_map_free(HicovDhis2Map *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++) {
    hicov_free(m->rows[i].hicov);
    hicov_free(m->rows[i].dhis2);
  }
  hicov_free(m->rows);
  hicov_free(m->by_hicov);
  hicov_free(m->by_dhis2);
  hicov_free(m);
}

int hicov_dhis2_map_set_scheme(HicovDhis2Map *m, int kind, int scheme)
{
  if (!m || kind < -1 || kind >= HICOV_DHIS2_N_KINDS ||
      (scheme != HICOV_DHIS2_CODE && scheme != HICOV_DHIS2_UID))
    return HICOV_INVALID;
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++) {
    if (kind >= 0 && k != kind)
      continue;
    if (m->scheme_set[k] || m->count[k]) {
      if (m->scheme[k] != scheme && kind >= 0)
        return HICOV_INVALID; /* rows already checked against the other */
      continue;
    }
    m->scheme[k] = scheme;
  }
  return HICOV_OK;
}

int hicov_dhis2_map_scheme(const HicovDhis2Map *m, int kind)
{
  return m && kind >= 0 && kind < HICOV_DHIS2_N_KINDS ? m->scheme[kind]
                                                      : HICOV_DHIS2_CODE;
}

size_t hicov_dhis2_map_count(const HicovDhis2Map *m, int kind)
{
  return m && kind >= 0 && kind < HICOV_DHIS2_N_KINDS ? m->count[kind] : 0;
}

/* ---- Lookups ------------------------------------------------------------ */

static const HicovDhis2Map *sort_map;

static int cmp_hicov(const void *a, const void *b)
{
  const MapRow *x = &sort_map->rows[*(const size_t *)a];
  const MapRow *y = &sort_map->rows[*(const size_t *)b];
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp(x->hicov, y->hicov);
}

static int cmp_dhis2(const void *a, const void *b)
{
  const MapRow *x = &sort_map->rows[*(const size_t *)a];
  const MapRow *y = &sort_map->rows[*(const size_t *)b];
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp(x->dhis2, y->dhis2);
}

/* Sorts the indexes after rows were added.  A map is read before it is
 * shared, so the one static pointer qsort's comparators need is safe. */
static int map_sort(HicovDhis2Map *m)
{
  if (m->sorted)
    return HICOV_OK;
  size_t *h = hicov_realloc(m->by_hicov, (m->n ? m->n : 1) * sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  m->by_hicov = h;
  size_t *d = hicov_realloc(m->by_dhis2, (m->n ? m->n : 1) * sizeof *d);
  if (!d)
    return HICOV_NOMEM;
  m->by_dhis2 = d;
  for (size_t i = 0; i < m->n; i++)
    h[i] = d[i] = i;
  sort_map = m;
  qsort(h, m->n, sizeof *h, cmp_hicov);
  qsort(d, m->n, sizeof *d, cmp_dhis2);
  sort_map = NULL;
  m->sorted = 1;
  return HICOV_OK;
}

/* The row of (kind, text) in the index `by` (hicov or dhis2 side), or
 * NULL. */
static const MapRow *find(const HicovDhis2Map *m, int kind, const char *text,
                          int dhis2_side)
{
  if (!m || !text || map_sort((HicovDhis2Map *)m) != HICOV_OK)
    return NULL;
  const size_t *idx = dhis2_side ? m->by_dhis2 : m->by_hicov;
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const MapRow *r = &m->rows[idx[mid]];
    int c = r->kind != kind ? (r->kind < kind ? -1 : 1)
                            : strcmp(dhis2_side ? r->dhis2 : r->hicov, text);
    if (c == 0)
      return r;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const char *hicov_dhis2_map_to(const HicovDhis2Map *m, int kind,
                               const char *hicov)
{
  const MapRow *r = find(m, kind, hicov, 0);
  return r ? r->dhis2 : NULL;
}

const char *hicov_dhis2_map_from(const HicovDhis2Map *m, int kind,
                                 const char *dhis2)
{
  const MapRow *r = find(m, kind, dhis2, 1);
  return r ? r->hicov : NULL;
}

/* ---- Adding rows -------------------------------------------------------- */

static const char *place(const char *where, char *buf, size_t size)
{
  if (where && where[0])
    hicov_fmt(buf, size, "%s: ", where);
  else
    buf[0] = '\0';
  return buf;
}

/* Is hicov a code this kind can map?  NULL, or why not. */
static const char *check_hicov(int kind, const char *hicov)
{
  size_t n = strlen(hicov);
  switch (kind) {
  case HICOV_DHIS2_DATA_ELEMENT:
    if (hicov_measure_find(hicov) < 0 && !hicov_indicator_find(hicov))
      return T_(NULL, "expected a hicov measure or indicator name such as "
                "participants or coverage_rate");
    return NULL;
  case HICOV_DHIS2_CATEGORY_OPTION_COMBO:
    if (!strcmp(hicov, "*"))
      return NULL;
    for (size_t i = 0; i < n; i++)
      if (!isalnum((unsigned char)hicov[i]) && hicov[i] != '_')
        n = 0;
    return n >= 1 && n <= 8 ? NULL
           : T_(NULL, "expected a beneficiary-group code such as HN, or * "
                "for the total");
  case HICOV_DHIS2_ATTRIBUTE_OPTION_COMBO:
    return strcmp(hicov, "*") ? T_(NULL, "expected * (every value)") : NULL;
  case HICOV_DHIS2_DATA_SET:
    return strcmp(hicov, "*") && strcmp(hicov, "yearly") &&
                   strcmp(hicov, "quarterly") && strcmp(hicov, "monthly")
               ? T_(NULL, "expected *, yearly, quarterly or monthly")
               : NULL;
  default:
    return n && n < 64 ? NULL
                       : T_(NULL, "expected a unit code of at most 63 bytes");
  }
}

int hicov_dhis2_map_add(HicovDhis2Map *m, int kind, const char *hicov,
                        const char *dhis2, const char *where, char *err,
                        size_t err_size)
{
  char at[300], e[8];
  if (!err) {
    err = e;
    err_size = sizeof e;
  }
  if (!m || !hicov || !dhis2 || kind < 0 || kind >= HICOV_DHIS2_N_KINDS)
    return HICOV_INVALID;
  const char *why = check_hicov(kind, hicov);
  if (why) {
    hicov_fmt(err, err_size, T_(NULL, "%s%s '%s': %s"), place(where, at,
              sizeof at), kind_names[kind], hicov, why);
    return HICOV_INVALID;
  }
  if (m->scheme[kind] == HICOV_DHIS2_UID && !dhis2_is_uid(dhis2)) {
    hicov_fmt(err, err_size, T_(NULL, "%s%s '%s': expected a DHIS2 UID (11 "
              "letters and digits, a letter first), found '%s'"),
              place(where, at, sizeof at), kind_names[kind], hicov, dhis2);
    return HICOV_INVALID;
  }
  size_t dn = strlen(dhis2);
  if (m->scheme[kind] == HICOV_DHIS2_CODE &&
      (dn == 0 || dn > 50 || isspace((unsigned char)dhis2[0]) ||
       isspace((unsigned char)dhis2[dn - 1]))) {
    hicov_fmt(err, err_size, T_(NULL, "%s%s '%s': expected a DHIS2 code (1 "
              "to 50 characters, no spaces at either end), found '%s'"),
              place(where, at, sizeof at), kind_names[kind], hicov, dhis2);
    return HICOV_INVALID;
  }
  if (hicov_grow((void **)&m->rows, &m->cap, m->n + 1, sizeof *m->rows))
    return HICOV_NOMEM;
  MapRow *r = &m->rows[m->n];
  r->kind = kind;
  r->hicov = hicov_strdup(hicov);
  r->dhis2 = hicov_strdup(dhis2);
  r->line = 0;
  if (!r->hicov || !r->dhis2) {
    hicov_free(r->hicov);
    hicov_free(r->dhis2);
    return HICOV_NOMEM;
  }
  m->n++;
  m->count[kind]++;
  m->sorted = 0;
  return HICOV_OK;
}

/* ---- The file ----------------------------------------------------------- */

enum { C_KIND, C_HICOV, C_DHIS2, C_SCHEME, N_COLS };

/* Locates the columns in the header; -1 with a message when one of the
 * three is missing. */
static int map_header(const HicovCsv *csv, const char *name, int *cols,
                      char *err, size_t err_size)
{
  static const char *const names[N_COLS] = { "kind", "hicov", "dhis2",
                                             "idScheme" };
  for (int c = 0; c < N_COLS; c++)
    cols[c] = -1;
  for (size_t i = 0; i < csv->n_fields; i++)
    for (int c = 0; c < N_COLS; c++)
      if (!strcmp(hicov_csv_field(csv, i), names[c]))
        cols[c] = (int)i;
  for (int c = 0; c < C_SCHEME; c++)
    if (cols[c] < 0) {
      hicov_fmt(err, err_size, T_(NULL, "%s line %ld: missing column '%s' "
                "(a mapping file has the header kind,hicov,dhis2 and may have "
                "idScheme)"), name, csv->rec_line, names[c]);
      return -1;
    }
  return 0;
}

static const char *field_at(const HicovCsv *csv, int col)
{
  return col >= 0 && (size_t)col < csv->n_fields ? hicov_csv_field(csv, (size_t)col)
                                                 : "";
}

/* One data row: its kind, scheme and identifiers. */
static int map_row(HicovDhis2Map *m, const HicovCsv *csv, const char *name,
                   const int *cols, char *err, size_t err_size)
{
  long line = csv->rec_line;
  const char *kind_text = field_at(csv, cols[C_KIND]);
  const char *scheme_text = field_at(csv, cols[C_SCHEME]);
  int kind = kind_parse(kind_text);
  if (kind < 0) {
    hicov_fmt(err, err_size, T_(NULL, "%s line %ld, column %d (kind): "
              "expected orgUnit, dataElement, categoryOptionCombo, "
              "attributeOptionCombo or dataSet, found '%s'"), name, line,
              cols[C_KIND] + 1, kind_text);
    return HICOV_INVALID;
  }
  if (scheme_text[0]) {
    int s = dhis2_scheme_parse(scheme_text);
    if (s < 0 || ((m->scheme_set[kind] || m->count[kind]) &&
                  m->scheme[kind] != s)) {
      if (s < 0)
        hicov_fmt(err, err_size, T_(NULL, "%s line %ld, column %d "
                  "(idScheme): expected code or uid, found '%s'"), name,
                  line, cols[C_SCHEME] + 1, scheme_text);
      else
        hicov_fmt(err, err_size, T_(NULL, "%s line %ld, column %d "
                  "(idScheme): the rows of %s before this one are in "
                  "scheme %s, this one says '%s'"), name, line,
                  cols[C_SCHEME] + 1, kind_names[kind],
                  m->scheme[kind] == HICOV_DHIS2_UID ? "uid" : "code",
                  scheme_text);
      return HICOV_INVALID;
    }
    m->scheme[kind] = s;
    m->scheme_set[kind] = 1;
  }
  char where[300];
  hicov_fmt(where, sizeof where, T_(NULL, "%s line %ld"), name, line);
  int rc = hicov_dhis2_map_add(m, kind, field_at(csv, cols[C_HICOV]),
                               field_at(csv, cols[C_DHIS2]), where, err,
                               err_size);
  if (rc == HICOV_OK)
    m->rows[m->n - 1].line = line;
  return rc;
}

int hicov_dhis2_map_parse(HicovDhis2Map *m, const char *name,
                          const char *text, size_t len, char *err,
                          size_t err_size)
{
  char e[8];
  if (!err) {
    err = e;
    err_size = sizeof e;
  }
  err[0] = '\0';
  if (!m || !text)
    return HICOV_INVALID;
  if (!name)
    name = "mapping";
  hicov_fmt(m->name, sizeof m->name, "%s", name);
  HicovCsv csv;
  hicov_csv_init(&csv, text, len);
  int cols[N_COLS], header = 0, rc = HICOV_OK, r;
  while (rc == HICOV_OK && (r = hicov_csv_next(&csv)) != 0) {
    if (r == -2) {
      rc = HICOV_NOMEM;
    } else if (r == -1) {
      hicov_fmt(err, err_size, T_(NULL, "%s line %ld: %s"), name,
                csv.rec_line, csv.err);
      rc = HICOV_PARSE;
    } else if ((csv.n_fields == 1 && !hicov_csv_field(&csv, 0)[0]) ||
               hicov_csv_field(&csv, 0)[0] == '#') {
      continue; /* blank lines and comments */
    } else if (!header) {
      header = 1;
      if (map_header(&csv, name, cols, err, err_size))
        rc = HICOV_PARSE;
    } else {
      rc = map_row(m, &csv, name, cols, err, err_size);
      if (rc == HICOV_INVALID)
        rc = HICOV_PARSE;
    }
  }
  if (rc == HICOV_OK && !header) {
    hicov_fmt(err, err_size, T_(NULL, "%s: empty: expected the header "
              "kind,hicov,dhis2"), name);
    rc = HICOV_PARSE;
  }
  hicov_csv_clear(&csv);
  if (rc == HICOV_OK && (rc = dhis2_map_ready(m, err, err_size)) ==
                            HICOV_INVALID)
    rc = HICOV_PARSE;
  if (rc == HICOV_NOMEM)
    hicov_fmt(err, err_size, "%s", T_(NULL, "out of memory"));
  return rc;
}

int hicov_dhis2_map_load(HicovDhis2Map *m, const char *path, char *err,
                         size_t err_size)
{
  char e[8];
  if (!err) {
    err = e;
    err_size = sizeof e;
  }
  if (!m || !path)
    return HICOV_INVALID;
  char *data;
  size_t len;
  int rc = hicov_read_file(path, (size_t)64 << 20, &data, &len, err,
                           err_size);
  if (rc)
    return rc;
  const char *base = strrchr(path, '/');
  rc = hicov_dhis2_map_parse(m, base ? base + 1 : path, data, len, err,
                             err_size);
  hicov_free(data);
  return rc;
}

/* The first pair of rows of one kind with the same code on one side
 * (idx: by_hicov or by_dhis2), or -1. */
static long first_twice(const HicovDhis2Map *m, const size_t *idx,
                        int dhis2_side)
{
  for (size_t i = 1; i < m->n; i++) {
    const MapRow *a = &m->rows[idx[i - 1]], *b = &m->rows[idx[i]];
    if (a->kind == b->kind && !strcmp(dhis2_side ? a->dhis2 : a->hicov,
                                      dhis2_side ? b->dhis2 : b->hicov) &&
        (!dhis2_side || a->kind != HICOV_DHIS2_DATA_SET))
      return (long)i;
  }
  return -1;
}

int dhis2_map_ready(const HicovDhis2Map *map, char *err, size_t err_size)
{
  HicovDhis2Map *m = (HicovDhis2Map *)map; /* sorting is not a change */
  if (!m)
    return HICOV_OK;
  int rc = map_sort(m);
  if (rc) {
    hicov_fmt(err, err_size, "%s", T_(NULL, "out of memory"));
    return rc;
  }
  /* one hicov code, one identifier, within a kind (a data set may serve
     several period types) */
  for (int side = 0; side < 2; side++) {
    const size_t *idx = side ? m->by_dhis2 : m->by_hicov;
    long i = first_twice(m, idx, side);
    if (i < 0)
      continue;
    const MapRow *a = &m->rows[idx[i - 1]], *b = &m->rows[idx[i]];
    if (a->line > b->line) {
      const MapRow *t = a;
      a = b;
      b = t;
    }
    hicov_fmt(err, err_size, T_(NULL, "%s line %ld: %s '%s' -> '%s' and "
              "line %ld: '%s' -> '%s': %s"), m->name[0] ? m->name
              : T_(NULL, "mapping"), a->line, kind_names[a->kind],
              a->hicov, a->dhis2, b->line, b->hicov, b->dhis2, side
              ? T_(NULL, "one DHIS2 identifier for two hicov codes")
              : T_(NULL, "one hicov code mapped twice"));
    return HICOV_INVALID;
  }
  return HICOV_OK;
}
