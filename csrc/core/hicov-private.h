/* hicov-private.h - internals shared by the core's source files. Not API. */
#ifndef HICOV_PRIVATE_H
#define HICOV_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "hicov-core.h"

#if defined(__GNUC__)
#define HICOV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HICOV_PRINTF(f, a)
#endif

/* Allocation through the overridable allocator (alloc.c). */
void *hicov_malloc(size_t size);
void *hicov_calloc(size_t n, size_t size);
void *hicov_realloc(void *ptr, size_t size);
/* Grows an array to hold at least `need` elements; doubles capacity. */
int hicov_grow(void **ptr, size_t *cap, size_t need, size_t elem);
char *hicov_strdup(const char *s);
char *hicov_strndup(const char *s, size_t n);

/* Number text for files (XML, CSV) must not follow the process locale: a
 * program that set LC_NUMERIC to vi_VN would write "92,8". These format and
 * parse in the C locale whatever the process or thread locale is. */
void hicov_fmt_c(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);
double hicov_strtod_c(const char *s, char **end);

/* snprintf that always terminates and never fails; text cut short at
 * `size` is cut on a UTF-8 character boundary (Vietnamese is longer than
 * English and the reason buffers are fixed). */
void hicov_fmt(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);
/* Drops an incomplete UTF-8 character at the end of s (after truncation). */
void hicov_utf8_trim(char *s);

/* ---- The text catalogue (text.c, csrc/po) ---- */

/* Marks for xgettext (csrc/po/meson.build gives it these keywords); the
 * English text is the message id.
 *   T_(lang, "text")          the text in lang ("vi", "en", NULL: process)
 *   TC_(lang, "ctx", "text")  the same with a context, for an English text
 *                             that needs two translations
 *   N_("text")                marks a text kept in a table, looked up
 *                             later with hicov_text(lang, text)
 *   NC_("ctx", "text")        the same with a context: the table holds
 *                             "ctx\004text", which hicov_text understands
 * Format strings keep their English arguments' order; a translation that
 * needs another order uses positional arguments (%1$s). */
#define T_(lang, s) hicov_text(lang, s)
#define TC_(lang, ctx, s) hicov_text(lang, ctx "\004" s)
#define N_(s) s
#define NC_(ctx, s) ctx "\004" s

/* The Vietnamese catalogue, generated from csrc/po/vi.po by
 * csrc/po/embed.py (text-vi.c): msgid order (strcmp), msgids with a
 * context as "context\004msgid". */
typedef struct {
  const char *msgid;
  const char *msgstr;
} HicovTextEntry;
extern const HicovTextEntry hicov_text_vi[];
extern const size_t hicov_text_vi_count;
/* A level as a word inside a sentence: en the level's name ("district",
 * as units.csv writes it), vi "huyện". */
const char *hicov_level_word(int level, const char *lang);

/* ---- Dataset internals (dataset.c) ---- */

typedef struct {
  char *code;
  char *name;
  char *parent_code;
  char *successor_code;
  int level;
  int tier;
  int valid_to;   /* month index, 0 = still exists */
  int valid_from; /* month index, 0 = always existed */
  int synthetic;
  long parent;    /* index or -1, resolved lazily */
  long successor; /* index or -1 */
  /* children (by index), in name order, resolved with the tree */
  size_t *children;
  size_t n_children;
  /* units whose successor is this one */
  size_t *merged;
  size_t n_merged;
} HicovUnitRec;

typedef struct {
  uint32_t unit;
  uint16_t measure;
  uint16_t group;    /* 0 = all groups */
  int32_t first;
  int32_t last;
  int64_t centi;
  uint32_t source;   /* index into the source string table, 0 = none */
  uint32_t line;     /* CSV line it came from, 0 if added through the API */
} HicovObs;

typedef struct {
  char *file;
  long line;
  int column;
  char *field;
  char *message;
} HicovRejectRec;

struct HicovDataset {
  HicovUnitRec *units;
  size_t n_units, cap_units;
  /* open-addressing hash of unit codes -> index + 1 */
  uint32_t *unit_hash;
  size_t hash_cap;

  HicovObs *obs;
  size_t n_obs, cap_obs;
  uint32_t *obs_hash; /* open addressing: index + 1, keyed on the obs key */
  size_t obs_hash_cap;
  int obs_hash_stale; /* obs were sorted since the hash was built */
  int obs_sorted;
  int tree_built;

  char **groups; /* groups[0] = "" (all) */
  size_t *group_order; /* groups 1.. in alphabetical order, when sorted */
  size_t n_group_order;
  size_t n_groups, cap_groups;
  char **sources;
  size_t n_sources, cap_sources;

  HicovResolution **resolutions;
  size_t n_resolutions, cap_resolutions;

  HicovRejectRec *rejects;
  size_t n_rejects, cap_rejects;
  HicovLoadStats stats;
  int fund_share_bp; /* basis points of revenue for the medical fund */
  uint64_t *collect; /* during measure_sources: bitset of sources used */

  const char *lang; /* of the text it writes: "vi", "en", NULL: process */
  char errmsg[512];
  char errfile[256];
  char errfield[64];
  long errline;
  int errcol;
};

int hicov_set_error(HicovDataset *ds, int status, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
void hicov_clear_error(HicovDataset *ds);
/* What a dataset holds at a point, so that everything added after it
 * (units, values, groups, sources, rejections, load counts) can be undone:
 * a strict load or an import that fails leaves the dataset as it was.
 * Rollback allocates nothing.  Between the two nothing may sort the
 * observations (no indicator query): the values undone are the last ones
 * added. */
typedef struct {
  size_t n_units, n_obs, n_rejects, n_groups, n_sources;
  HicovLoadStats stats;
} HicovDatasetMark;
void hicov_dataset_mark(const HicovDataset *ds, HicovDatasetMark *m);
void hicov_dataset_rollback(HicovDataset *ds, const HicovDatasetMark *m);
/* Builds parent/child links and sorts observations if needed. */
int hicov_dataset_prepare(HicovDataset *ds);
/* Unit index of a code, or -1. */
long hicov_unit_index(const HicovDataset *ds, const char *code);
/* Does unit u exist at the end of [first, last]? */
int hicov_unit_exists_in(const HicovUnitRec *u, int first, int last);
/* Group index for a code ("" or NULL = 0); -1 if unknown. */
int hicov_group_index(const HicovDataset *ds, const char *code);
/* Exact measure total by indexes; reason gets why it is missing. */
int hicov_measure_total(HicovDataset *ds, int measure, size_t unit,
                        HicovPeriod p, int group, int64_t *centi,
                        char *reason, size_t reason_size);

/* Sum over a unit's components only, ignoring its own value (for the
 * consistency check). */
int hicov_measure_components(HicovDataset *ds, int measure, size_t unit,
                             HicovPeriod p, int group, int64_t *centi);

/* ---- Measures (dataset.c) ---- */
enum {
  HICOV_M_POPULATION = 0,
  HICOV_M_PARTICIPANTS,
  HICOV_M_VISITS,
  HICOV_M_INPATIENT_VISITS,
  HICOV_M_INPATIENT_DAYS,
  HICOV_M_TOTAL_COST,
  HICOV_M_FUND_PAID,
  HICOV_M_COPAY,
  HICOV_M_FUND_REVENUE,
  HICOV_M_CARD_CHECKINS,
  HICOV_M_CARD_CHECKINS_OK,
  HICOV_M_PATIENTS,
  HICOV_M_PATIENTS_500M,
  HICOV_M_PATIENTS_1B,
  HICOV_M_COUNT
};

/* ---- CSV reader (csv.c) ---- */
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
  char err[160];
  int err_col;     /* 1-based column of the last error, 0 if unknown */
  size_t bad;      /* offset of the next NUL or non-UTF-8 byte, or len */
  const char *not_utf8; /* the whole file is UTF-16/32: what it is */
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
 * terminated (caller frees with hicov_free). Refuses, with a message that
 * names the file: an empty name, a folder, FIFO, device or socket (without
 * blocking on a FIFO), and (HICOV_LIMIT) a file over max bytes or one that
 * grows past max while it is read. */
int hicov_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *err, size_t err_size);
/* Parses an exact decimal with at most 2 fraction digits into centi.
 * Accepts optional sign, digits, optional '.' and 1-2 digits. */
int hicov_parse_centi(const char *s, int64_t *out);

/* ---- Resolutions (assess.c) ---- */
struct HicovResolution {
  char *body;
  char *number;
  char *title;
  int term_start, term_end;
  HicovTarget *targets;
  size_t n_targets, cap_targets;
};

#endif
