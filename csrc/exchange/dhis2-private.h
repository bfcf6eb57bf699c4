/* dhis2-private.h - what the DHIS2 exchange files share: the mapping
 * (dhis2-map.c), the export plan (dhis2-export.c) that the ADX (adx.c)
 * and JSON (dhis2-json.c) writers write, and the reader of data values
 * (dhis2-read.c) that the ADX and JSON parsers feed.  Not API. */
#ifndef HICOV_DHIS2_PRIVATE_H
#define HICOV_DHIS2_PRIVATE_H

#include "hicov-dhis2.h"
#include "report-private.h"

/* ---- The mapping (dhis2-map.c) ----------------------------------------- */

/* "code"/"uid" (any case) -> HicovDhis2IdScheme, or -1. */
int dhis2_scheme_parse(const char *s);
/* A DHIS2 UID: 11 letters and digits, a letter first. */
int dhis2_is_uid(const char *s);
/* Sorts m for lookups and refuses a code or identifier given twice for a
 * kind (message in err). NULL is ready. */
int dhis2_map_ready(const HicovDhis2Map *m, char *err, size_t err_size);

/* DHIS2's default category option combination: its code and UID. */
#define DHIS2_DEFAULT_CODE "default"
#define DHIS2_DEFAULT_UID "HllvX50cXC0"

/* ---- The export plan (dhis2-export.c) ----------------------------------- */

/* One data value to write, its identifiers resolved. Strings belong to
 * the dataset, the map or the plan's text pool. */
typedef struct {
  size_t unit;            /* unit index: the order of groups */
  HicovPeriod period;
  const char *org_unit;   /* the identifier written */
  const char *data_element;
  const char *coc;        /* NULL: the total (DHIS2's default) */
  int order;              /* measure index, then indicators after */
  char value[40];         /* exact decimal text */
} Dhis2Entry;

typedef struct {
  Dhis2Entry *v;
  size_t n, cap;
  const char *data_set;      /* NULL: none */
  const char *aoc;           /* NULL: DHIS2's default */
  const char *complete_date; /* NULL: none */
  int period_type;           /* HICOV_PERIOD_YEAR, _QUARTER, _MONTH */
  int64_t exported;          /* Unix time */
  int schemes[HICOV_DHIS2_N_KINDS];
  int mapped[HICOV_DHIS2_N_KINDS]; /* the map has rows of the kind */
  HicovDhis2ExportStats stats;
  char *notes;               /* one a line, or NULL */
  size_t notes_len, notes_cap;
  long note_lines;
} Dhis2Plan;

/* Works out every value to export under opt, sorted by unit, period,
 * data element and group. Returns HICOV_OK or a status with err set. */
int dhis2_plan(HicovDataset *ds, const HicovAdxExportOptions *opt,
               Dhis2Plan *plan, char *err, size_t err_size);
void dhis2_plan_clear(Dhis2Plan *plan);
/* A period as ADX writes it ("2024-01-01/P1Y", "2024-04-01/P3M") and as
 * DHIS2's dataValueSets do ("2024", "2024Q2", "202404"). */
void dhis2_adx_period(HicovPeriod p, char *buf, size_t size);
void dhis2_iso_period(HicovPeriod p, char *buf, size_t size);

/* The writers: ADX (adx.c) and JSON (dhis2-json.c), into a buffer from
 * the core's allocator. */
int dhis2_write_adx(const Dhis2Plan *plan, char **buf, size_t *len);
int dhis2_write_json(const Dhis2Plan *plan, char **buf, size_t *len,
                     const char *lang, char *err, size_t err_size);

/* ---- Reading data values (dhis2-read.c) ---------------------------------- */

/* One data value as a document gives it, before it is checked. Strings
 * belong to the parser. */
typedef struct {
  const char *org_unit;
  const char *data_element;
  const char *value;
  const char *coc;       /* categoryOptionCombo, or NULL */
  const char *aoc;       /* attributeOptionCombo, or NULL */
  const char *dimension; /* an attribute hicov does not hold, or NULL */
  const char *group_dimension; /* the same on the ADX group */
  int deleted;           /* DHIS2's "deleted": true */
  int period_ok;
  HicovPeriod period;
  const char *period_why; /* why the period is refused */
  long line;             /* ADX: the line; JSON: the index in dataValues */
} Dhis2Raw;

typedef struct {
  char *unit;
  char *element; /* the data element as the document names it */
  int measure;
  char *group; /* NULL: all groups */
  HicovPeriod period;
  int64_t centi;
  long line;
} Dhis2Pending;

typedef struct {
  const char *name;       /* the file, in messages */
  const char *lang;       /* of the messages: the dataset's */
  HicovDataset *ds;
  const HicovDhis2Map *map;
  int json;               /* places are dataValues[i], not lines */
  HicovAdxImportStats stats;
  Dhis2Pending *values;
  size_t n, cap;
  char *rej;              /* rejection messages, one a line */
  size_t rej_len, rej_cap;
  long rej_lines;
  char first[512];        /* the first rejection, or a document error */
  int nomem;
} Dhis2Reader;

void dhis2_reject(Dhis2Reader *rd, long line, const char *fmt, ...)
    HICOV_PRINTF(3, 4);
/* Checks a value and keeps it, or rejects it with its reason. */
void dhis2_take(Dhis2Reader *rd, const Dhis2Raw *raw);
/* Rejects every value after the first for one unit, measure, group and
 * period; keeps the others in document order. */
void dhis2_reject_duplicates(Dhis2Reader *rd);
/* Appends "... and N more rejections" past the listed ones. */
void dhis2_finish_rejections(Dhis2Reader *rd);
void dhis2_reader_clear(Dhis2Reader *rd);

/* Parses an ADX period ("2024-01-01/P1Y", "/P3M", "/P1M"). 0, or -1 with
 * the reason in why. */
int dhis2_parse_adx_period(const char *s, HicovPeriod *out, char *why,
                           size_t why_size, const char *lang);
/* Parses a DHIS2 period (2024, 2024Q3, 2024S1, 202410, 2024-10). */
int dhis2_parse_iso_period(const char *s, HicovPeriod *out, char *why,
                           size_t why_size, const char *lang);

/* The parsers: every data value of a document into rd (dhis2_take);
 * -1 on a document-level error (message in rd->first). */
int dhis2_read_adx_document(Dhis2Reader *rd, const char *data, size_t len);
int dhis2_read_json_document(Dhis2Reader *rd, const char *data, size_t len,
                             int *status);

#endif
