/* hicov-core.h - public API of the hicov core (csrc/core).
 *
 * hicov computes health-insurance (BHYT) coverage and expenditure indicators
 * from population, enrolment and claims data.  This header is the whole API
 * of the core library: what is not declared here is private.
 *
 * Conventions (modelled on SQLite):
 *  - Opaque handles, created by *_new / *_open and destroyed by *_free, which
 *    accepts NULL.
 *  - Functions return an int status (HICOV_OK = 0, or a HicovStatus code) and
 *    put results in out-parameters.  A detailed message for the last failing
 *    call on a handle is kept on the handle (hicov_dataset_errmsg).
 *  - Strings returned through a handle belong to the handle and stay valid
 *    until it is freed, unless the doc comment says "caller frees"; such
 *    memory is released with hicov_free().  The library never keeps a pointer
 *    it was given: it copies what it needs.
 *  - All text is UTF-8.
 *  - User-visible text (reasons, error messages, findings, labels, report
 *    sentences) comes in Vietnamese or English from one catalogue
 *    (csrc/po/vi.po, compiled into the library): see "Text" below.
 *  - Threads.  Separate handles in separate threads are independent; the
 *    library has no global state except the allocator, the
 *    allocation-failure test hook and the demo's generator (load the demo
 *    in one thread at a time); the text catalogue is constant.  Calls on
 *    one handle must not overlap, with one exception: once
 *    hicov_dataset_prepare_queries(ds) has returned HICOV_OK, the queries
 *    on ds may run in several threads at once, until ds is changed.  The
 *    queries are the functions that take a dataset and change nothing in
 *    it: indicators and measures (hicov_indicator_value, ...),
 *    hicov_dataset_check, hicov_assess, tables (hicov_table_new), units,
 *    children and groups, hicov_report_new (which writes in its own
 *    language without setting the dataset's) and the chart builders
 *    (hicov_chart_coverage_trend, ...).  Other readers (writers of files,
 *    exports) are not promised to be queries.  Changes are everything
 *    that changes a dataset: loads, imports, merges,
 *    hicov_dataset_add_*, hicov_dataset_set_* (language, fund share,
 *    boundaries).  A change must not overlap any call on the handle; after
 *    one, call hicov_dataset_prepare_queries again before sharing.  Two
 *    queries that fail at the same time both write the handle's message
 *    (bounded and terminated, but its text may then mix theirs); the
 *    status each returns is its own.
 *
 * The core depends on libc and libm only.
 */
#ifndef HICOV_CORE_H
#define HICOV_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(HICOV_STATIC_TESTING)
#define HICOV_API __attribute__((visibility("default")))
#else
#define HICOV_API
#endif


/* Runtime version, e.g. "0.1.0". Static string. */
HICOV_API const char *hicov_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */

typedef enum {
  HICOV_OK = 0,
  HICOV_ERROR = 1,       /* unspecified failure */
  HICOV_NOMEM = 2,       /* an allocation failed; nothing was half-done */
  HICOV_IO = 3,          /* a file could not be opened, read or written */
  HICOV_PARSE = 4,       /* malformed input; the message says file, line, column */
  HICOV_NOTFOUND = 5,    /* unknown unit, indicator, measure or group */
  HICOV_INVALID = 6,     /* an argument is invalid (NULL handle, bad period, ...) */
  HICOV_MISSING = 7,     /* a value cannot be computed; the reason is given */
  HICOV_LIMIT = 8,       /* input exceeds a documented limit (size, depth, count) */
  HICOV_OVERFLOW = 9,    /* an exact sum would overflow 64 bits */
  HICOV_UNSUPPORTED = 10 /* a feature this build or format does not support */
} HicovStatus;

/* Name of a status code ("ok", "out of memory", ...). Static string. */
HICOV_API const char *hicov_status_string(int status);

/* ------------------------------------------------------------------------ */
/* Text                                                                      */
/*
 * One catalogue serves every layer: the English text is the message id and
 * csrc/po/vi.po holds its Vietnamese, compiled into the library at build
 * time, so Vietnamese needs no installed catalogue and no generated vi_VN
 * locale.  A `lang` argument is a language tag: anything starting with
 * "vi" ("vi", "vi_VN.UTF-8") selects Vietnamese, any other tag English,
 * and NULL the process's message language as gettext would pick it: the
 * LC_MESSAGES locale the program set with setlocale, else (a program that
 * never called it, or whose locale is not installed) the environment's
 * LC_ALL, LC_MESSAGES or LANG; then LANGUAGE, a list, when that locale is
 * not C.  Every function here returns static strings and is thread-safe
 * (NULL reads the locale and environment: like gettext, not while another
 * thread calls setlocale or setenv).
 */

/* "vi" or "en": what lang selects (NULL: the process's language). */
HICOV_API const char *hicov_text_lang(const char *lang);

/* msgid in lang: its Vietnamese from the catalogue, or msgid itself (for
 * English, or when the catalogue has no translation).  A msgid with a
 * context is written "context\004text" (as gettext's pgettext keys it) and
 * its English is the text after the \004.  A translated format string
 * takes the msgid's arguments. */
HICOV_API const char *hicov_text(const char *lang, const char *msgid)
#if defined(__GNUC__)
    __attribute__((format_arg(2)))
#endif
    ;

/* The form of a text that counts n things, as gettext's ngettext: msgid
 * is the singular and msgid_plural the plural English ("%zu unit", "%zu
 * units"); English takes the singular for n == 1.  Vietnamese has one
 * form, the catalogue's msgstr[0].  msgid may carry a context as in
 * hicov_text. */
HICOV_API const char *hicov_ntext(const char *lang, const char *msgid,
                                  const char *msgid_plural, unsigned long n)
#if defined(__GNUC__)
    __attribute__((format_arg(2))) __attribute__((format_arg(3)))
#endif
    ;

/* Labels from the one catalogue, in lang; NULL for an unknown code. */
/* Level of a unit: "Province" / "Tỉnh". */
HICOV_API const char *hicov_level_label(int level, const char *lang);
/* Level in a count: "provinces" / "tỉnh"; "units" for an unknown level. */
HICOV_API const char *hicov_level_plural(int level, const char *lang);
/* A target's status: "At risk" / "Có nguy cơ không đạt". */
HICOV_API const char *hicov_target_status_label(int status, const char *lang);

/* ------------------------------------------------------------------------ */
/* Memory                                                                    */

/* Frees memory that a hicov function documents as "caller frees". NULL ok. */
HICOV_API void hicov_free(void *ptr);

/* Replaces the allocator used by the whole library (process-wide). Pass
 * NULLs to restore malloc/realloc/free. Call before creating any handle. */
HICOV_API void hicov_set_allocator(void *(*malloc_fn)(size_t),
                                   void *(*realloc_fn)(void *, size_t),
                                   void (*free_fn)(void *));

/* Test hook: make the n-th allocation from now (1-based) and every later one
 * fail; n = 0 disables. Returns the number of allocations made since the
 * last call, so a test can first count, then walk n over 1..count. */
HICOV_API long hicov_debug_fail_alloc_after(long n);

/* ------------------------------------------------------------------------ */
/* Periods                                                                   */
/*
 * A period is a span of whole months [first, last], each month numbered
 * year * 12 + (month - 1).  Textual forms:
 *   "2024"               a year            (kind YEAR)
 *   "2024-Q3"            a quarter         (kind QUARTER)
 *   "2024-10"            a month           (kind MONTH)
 *   "2025-01/2025-10"    a range of months (kind RANGE), e.g. year to date
 */
typedef enum {
  HICOV_PERIOD_YEAR = 1,
  HICOV_PERIOD_QUARTER = 2,
  HICOV_PERIOD_MONTH = 3,
  HICOV_PERIOD_RANGE = 4
} HicovPeriodKind;

typedef struct {
  int kind;  /* HicovPeriodKind */
  int first; /* first month: year * 12 + month - 1 */
  int last;  /* last month, inclusive */
} HicovPeriod;

/* Parses text into *out. Returns HICOV_OK or HICOV_PARSE. Years 1900-2200. */
HICOV_API int hicov_period_parse(const char *text, HicovPeriod *out);
/* Writes the canonical text of p into buf (at most size bytes, NUL included;
 * 16 bytes always suffice). Returns HICOV_OK or HICOV_INVALID. */
HICOV_API int hicov_period_format(HicovPeriod p, char *buf, size_t size);
HICOV_API HicovPeriod hicov_period_year(int year);
HICOV_API HicovPeriod hicov_period_quarter(int year, int quarter);
HICOV_API HicovPeriod hicov_period_month(int year, int month);
/* Range of months; kind becomes YEAR/QUARTER/MONTH when the span is one. */
HICOV_API HicovPeriod hicov_period_range(int first_month, int last_month);
/* The same span shifted by whole years (the comparison period for growth). */
HICOV_API HicovPeriod hicov_period_shift_years(HicovPeriod p, int years);
/* Year of the period's last month. */
HICOV_API int hicov_period_end_year(HicovPeriod p);

/* ------------------------------------------------------------------------ */
/* Units                                                                     */

typedef enum {
  HICOV_LEVEL_COUNTRY = 0,
  HICOV_LEVEL_PROVINCE = 1,
  HICOV_LEVEL_DISTRICT = 2,
  HICOV_LEVEL_COMMUNE = 3,
  HICOV_LEVEL_FACILITY = 4
} HicovLevel;

typedef enum {
  HICOV_TIER_NONE = 0, /* not a facility */
  HICOV_TIER_COMMUNE = 1,
  HICOV_TIER_DISTRICT = 2,
  HICOV_TIER_PROVINCE = 3,
  HICOV_TIER_CENTRAL = 4
} HicovTier;

/* "country", "province", ...; NULL for an invalid level. */
HICOV_API const char *hicov_level_name(int level);
/* Parses a level name; returns -1 if unknown. */
HICOV_API int hicov_level_parse(const char *name);
HICOV_API const char *hicov_tier_name(int tier);

/* A unit as the dataset holds it. All strings belong to the dataset. */
typedef struct {
  const char *code;      /* statistics-office code, e.g. "20" (Lang Son) */
  const char *name;      /* Vietnamese name */
  const char *parent;    /* parent code, NULL for a root */
  int level;             /* HicovLevel */
  int tier;              /* HicovTier (facilities only) */
  int valid_to;          /* first month in which the unit no longer exists
                            (year*12+month-1), or 0 if it still exists */
  const char *successor; /* unit it was merged into, or NULL */
  int synthetic;         /* 1 if the unit is synthetic (demo communes) */
  int valid_from;        /* first month in which the unit exists (a commune
                            formed by the 2025 merger), or 0 if always */
} HicovUnit;

/* ------------------------------------------------------------------------ */
/* The order of names                                                        */
/*
 * Names sort in Vietnamese order wherever hicov sorts them (children,
 * units at a level, tables, the dashboard's navigator), the same on every
 * machine whatever its locale: the order of ICU's "vi" collator with
 * numeric collation on.  Letters in the Vietnamese alphabet
 * (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; f j w z where
 * CLDR puts them); tones only when the letters are equal (none, huyền,
 * hỏi, ngã, sắc, nặng); then case (lower first); runs of ASCII digits as
 * numbers ("Phường 2" < "Phường 10"); spaces and punctuation before
 * numbers, numbers before letters, other characters after the letters.
 * NFC and NFD text sort alike.  Strings are UTF-8 (invalid bytes sort after
 * every character); only equal strings compare equal.  csrc/core/collate.c
 * has the details.
 */

/* Compares two names: <0, 0 or >0 (-1, 0, 1).  NULL sorts before every
 * string.  Nothing is allocated; for sorting many names, make keys. */
HICOV_API int hicov_collate(const char *a, const char *b);
/* Writes the sort key of s (NULL: "") into buf, like strxfrm: returns the
 * key's length (NUL not counted) and writes the key and a NUL only if
 * size > length; pass buf NULL, size 0 to get the length.  A key contains
 * no NUL byte; memcmp (the shorter key first when one is a prefix of the
 * other) or strcmp of two keys has the sign of hicov_collate of the names.
 * Keys are not stable across hicov versions: do not store them. */
HICOV_API size_t hicov_collate_key(const char *s, unsigned char *buf,
                                   size_t size);

/* ------------------------------------------------------------------------ */
/* Measures: what values.csv holds                                           */
/*
 * Values are exact: stored as int64 hundredths ("centi" units) so money in
 * đồng with two decimals and counts are both exact.  A value of 764769
 * participants is 76476900 centi.
 *
 * Kinds:
 *  STOCK     valued at the end of its period (population, participants);
 *            over time the last value in the period is taken, never a sum.
 *  FLOW      a total over its period (visits, costs); sums over months.
 *  DISTINCT  a count of distinct things over its period (distinct patients,
 *            patients over a payment threshold): exact only for the period
 *            and unit it was computed for; never summed over time or units.
 *  All kinds sum over units (children) except DISTINCT.
 */
typedef enum {
  HICOV_MEASURE_STOCK = 1,
  HICOV_MEASURE_FLOW = 2,
  HICOV_MEASURE_DISTINCT = 3
} HicovMeasureKind;

typedef struct {
  const char *name;  /* "participants", "visits", ... */
  int kind;          /* HicovMeasureKind */
  const char *unit;  /* "people", "visits", "days", "VND", "cards" */
  const char *label; /* English label (translatable by front ends) */
} HicovMeasureInfo;

HICOV_API size_t hicov_measure_count(void);
/* Static data; NULL if i is out of range. */
HICOV_API const HicovMeasureInfo *hicov_measure_info(size_t i);
/* Index of a measure by name, or -1. */
HICOV_API int hicov_measure_find(const char *name);
/* info->label in lang (static). */
HICOV_API const char *hicov_measure_label(const HicovMeasureInfo *info,
                                          const char *lang);

/* ------------------------------------------------------------------------ */
/* Datasets                                                                  */

typedef struct HicovDataset HicovDataset;

/* Creates an empty dataset. Returns HICOV_OK or HICOV_NOMEM. */
HICOV_API int hicov_dataset_new(HicovDataset **out);
HICOV_API void hicov_dataset_free(HicovDataset *ds);

/* Message describing the last failure on ds ("" if none). Belongs to ds,
 * valid until the next call on ds. */
HICOV_API const char *hicov_dataset_errmsg(const HicovDataset *ds);
/* Does now the work queries would do lazily on their first call (the unit
 * tree, the order of the observations and of the groups), so that queries
 * on ds read it and nothing else: they may then run in several threads at
 * once (see "Threads" above).  Cheap when nothing changed since the last
 * call.  HICOV_OK, HICOV_INVALID or HICOV_NOMEM. */
HICOV_API int hicov_dataset_prepare_queries(HicovDataset *ds);

/* The language of the text ds writes from now on: error messages,
 * rejections, the reasons of missing values (HicovResult, HicovAssessment,
 * HicovTargetGap) and data-quality findings.  lang is a tag as in "Text"
 * ("vi", "en"), or NULL (the default) for the process's language, looked
 * up each time a text is written.  Text written before keeps its language.
 * Returns HICOV_OK, or HICOV_INVALID for a NULL ds. */
HICOV_API int hicov_dataset_set_lang(HicovDataset *ds, const char *lang);
/* "vi", "en", or NULL when ds follows the process's language. */
HICOV_API const char *hicov_dataset_lang(const HicovDataset *ds);

/* Where the last load failure happened (all optional out-params). file and
 * field belong to ds like errmsg; line and column are 1-based, 0 if n/a. */
HICOV_API void hicov_dataset_error_location(const HicovDataset *ds,
                                            const char **file, long *line,
                                            int *column, const char **field);

/* Loads the built-in demo (published figures for Lang Son, Quang Ninh,
 * Hoa Binh and Viet Nam, with synthetic communes) into an empty dataset,
 * with its resolutions. */
HICOV_API int hicov_dataset_load_demo(HicovDataset *ds);

/* Loading options. */
typedef enum {
  HICOV_LOAD_STRICT = 0,  /* the first rejected row fails the load */
  HICOV_LOAD_LENIENT = 1  /* rejected rows are recorded and skipped */
} HicovLoadMode;

/* The largest units.csv and values.csv read into memory (HICOV_LIMIT past
 * them): a country's 3,321 communes and ~13,000 facilities take about
 * 2 MB of units; 60 months of four measures by beneficiary group for every
 * commune about 300 MB of values. Only regular files are read: a folder,
 * FIFO or device given as a file is refused (HICOV_IO). */
#define HICOV_UNITS_MAX_BYTES ((size_t)64 << 20)
#define HICOV_VALUES_MAX_BYTES ((size_t)2 << 30)

/* Loads a dataset folder: units.csv and values.csv (both required) and
 * crosswalk.csv when the folder has one (see "Splits" below).
 * CSV: UTF-8 with optional BOM, LF or CRLF, RFC 4180 quoting.  In strict
 * mode a rejected row fails the load with HICOV_PARSE and a message such as
 * "values.csv line 12, column 4 (value): expected a number, found '1,2'";
 * the dataset is then left as it was before the call. */
HICOV_API int hicov_dataset_load_dir(HicovDataset *ds, const char *dir,
                                     int mode);
HICOV_API int hicov_dataset_load_units_csv(HicovDataset *ds, const char *path,
                                           int mode);
HICOV_API int hicov_dataset_load_values_csv(HicovDataset *ds, const char *path,
                                            int mode);
/* The same from memory; name is used in messages ("values.csv"). */
HICOV_API int hicov_dataset_load_units_buffer(HicovDataset *ds,
                                              const char *name,
                                              const char *data, size_t len,
                                              int mode);
HICOV_API int hicov_dataset_load_values_buffer(HicovDataset *ds,
                                               const char *name,
                                               const char *data, size_t len,
                                               int mode);

/* ---- Splits: crosswalk.csv ----
 * A unit divided between several successors (the 2025 reform moved parts
 * of communes) is described by one row per successor:
 *   old,new,share,date,basis
 *   X,Y,0.6,2025-07-01,population
 *   X,Z,0.4,2025-07-01,population
 * share: the part of old that went to new, a decimal in (0, 1] with at
 * most 6 decimals; the shares of one old unit add up to exactly 1.  date:
 * the day of the split, old's valid_to in units.csv (old has no successor
 * there).  basis: what the share measures, population (the default, an
 * empty field), participants, area or households.  Stocks and flows of
 * old before the split are apportioned to its successors by the share
 * whenever a value is taken on later boundaries, and every such value is
 * flagged as an estimate (HicovResult.estimate).  Rows are checked as
 * units.csv's are (file, line, column, expected, found); the units must be
 * loaded first. */
typedef enum {
  HICOV_SPLIT_POPULATION = 0,
  HICOV_SPLIT_PARTICIPANTS = 1,
  HICOV_SPLIT_AREA = 2,
  HICOV_SPLIT_HOUSEHOLDS = 3
} HicovSplitBasis;

typedef struct {
  const char *old_unit; /* codes; belong to the dataset */
  const char *new_unit;
  double share;         /* 0 < share <= 1 */
  int month;            /* first month old_unit no longer exists */
  int basis;            /* HicovSplitBasis */
} HicovSplit;

HICOV_API int hicov_dataset_load_crosswalk_csv(HicovDataset *ds,
                                               const char *path, int mode);
HICOV_API int hicov_dataset_load_crosswalk_buffer(HicovDataset *ds,
                                                  const char *name,
                                                  const char *data,
                                                  size_t len, int mode);
HICOV_API size_t hicov_dataset_split_count(const HicovDataset *ds);
/* Split i (0..count-1, in file order); HICOV_INVALID out of range. */
HICOV_API int hicov_dataset_split(const HicovDataset *ds, size_t i,
                                  HicovSplit *out);
/* "population", "participants", "area", "households"; NULL if unknown. */
HICOV_API const char *hicov_split_basis_name(int basis);

/* Row accounting over all loads into ds: read = accepted + rejected. */
typedef struct {
  long rows_read;
  long rows_accepted;
  long rows_rejected;
} HicovLoadStats;
HICOV_API void hicov_dataset_load_stats(const HicovDataset *ds,
                                        HicovLoadStats *out);

/* A rejected input row (lenient mode). Strings belong to ds. */
typedef struct {
  const char *file;
  long line;          /* 1-based physical line where the record starts */
  int column;         /* 1-based field number, 0 if the row as a whole */
  const char *field;  /* column name, or "" */
  const char *message;/* full message, with file, line and column */
  const char *reason; /* the same without the place: "expected a number,
                         found '1,2'" (for front ends that name the place
                         their own way: a DataFrame's row) */
} HicovRejection;
HICOV_API size_t hicov_dataset_rejection_count(const HicovDataset *ds);
HICOV_API int hicov_dataset_rejection(const HicovDataset *ds, size_t i,
                                      HicovRejection *out);

/* Adds a unit. Copies every string. Errors: HICOV_INVALID (duplicate code,
 * bad level), HICOV_NOMEM. parent may name a unit added later. */
HICOV_API int hicov_dataset_add_unit(HicovDataset *ds, const HicovUnit *unit);

/* Adds one observation: value in centi (hundredths) of the measure's unit.
 * group is a beneficiary-group code ("DN", "HN", ...) or NULL/"" for all.
 * source is free text ("published", "derived", "synthetic", a file name) or
 * NULL.  The unit must exist.  A second value for the same unit, measure,
 * group and period replaces nothing: it fails with HICOV_INVALID. */
HICOV_API int hicov_dataset_add_value(HicovDataset *ds, const char *unit,
                                      const char *measure, const char *group,
                                      HicovPeriod period, int64_t centi,
                                      const char *source);

HICOV_API size_t hicov_dataset_unit_count(const HicovDataset *ds);
/* Unit by index (0..count-1, in load order). */
HICOV_API int hicov_dataset_unit(const HicovDataset *ds, size_t i,
                                 HicovUnit *out);
/* Index of a unit by code; HICOV_NOTFOUND if none. */
HICOV_API int hicov_dataset_find_unit(const HicovDataset *ds, const char *code,
                                      size_t *index);
/* Units at `level` below `parent` (NULL: anywhere) that exist at the end
 * of `period` (NULL: ever), in name order.  *out is an array of unit
 * indexes, caller frees with hicov_free (NULL when *n is 0).  A district
 * abolished on 2025-07-01 is found for 2024 but not for 2026; its communes
 * are below the province too (through the district) for 2024. */
HICOV_API int hicov_dataset_units_at(const HicovDataset *ds, int level,
                                     const char *parent,
                                     const HicovPeriod *period, size_t **out,
                                     size_t *n);
/* Direct children of a unit (or the roots, for NULL) existing at the end
 * of `period` (NULL: ever), in name order; caller frees *out. */
HICOV_API int hicov_dataset_children(const HicovDataset *ds,
                                     const char *parent,
                                     const HicovPeriod *period, size_t **out,
                                     size_t *n);

/* The shortest period, in months, of any value in the dataset: 1 when it
 * has monthly values, 3 quarterly, 12 when it has only years; a kind of
 * period finer than that has no value of its own (a dashboard says so).
 * HICOV_MISSING (and 0) if it holds no values. */
HICOV_API int hicov_dataset_finest_months(const HicovDataset *ds,
                                          int *months);
/* First and last month with any value in the dataset (HICOV_MISSING if the
 * dataset holds no values). */
HICOV_API int hicov_dataset_month_span(const HicovDataset *ds, int *first,
                                       int *last);

/* Share of contribution revenue (fund_revenue) that goes to the medical
 * fund, in percent: 90 by default (the rest funds reserves and management).
 * Used by fund_balance and fund_usage; precision 0.01 point. HICOV_INVALID
 * outside (0, 100]. */
HICOV_API int hicov_dataset_set_fund_share(HicovDataset *ds, double percent);
HICOV_API double hicov_dataset_fund_share(const HicovDataset *ds);

/* ---- Boundaries: comparisons across the 2025 reform ----
 *
 * A comparison of a unit between two periods (the _growth and _change
 * indicators, hicov_indicator_change and _cagr, the volume/price split of
 * cost growth, year to date against a year earlier) compares the unit as
 * it is at the end of the later period with the same territory in the
 * earlier one: its own earlier value plus the earlier values of every unit
 * merged into it in between, recursively (a commune merged into a commune
 * that merged again, districts abolished, provinces merged), and the
 * shares of units split into it (crosswalk.csv; an estimate).  Rates are
 * recomputed from the re-aggregated numerator and denominator.  A merged
 * unit without a value for the earlier period makes the comparison
 * missing, with a reason that names it.  Series (hicov_indicator_value_on
 * with the series' last month), the projection's fit and a target's
 * baseline are on the boundaries of their last period the same way: on
 * today's boundaries.
 *
 * HICOV_BOUNDARIES_AS_PUBLISHED turns this off for audit: every value is
 * then taken as it was published for its own period, each unit on the
 * boundaries of that period. */
typedef enum {
  HICOV_BOUNDARIES_TODAY = 0,       /* the default */
  HICOV_BOUNDARIES_AS_PUBLISHED = 1
} HicovBoundaries;

/* Sets how ds compares periods from now on.  HICOV_INVALID for a NULL ds
 * or an unknown value. */
HICOV_API int hicov_dataset_set_boundaries(HicovDataset *ds, int boundaries);
HICOV_API int hicov_dataset_boundaries(const HicovDataset *ds);
/* "today" or "as-published" (static); NULL for an unknown value. */
HICOV_API const char *hicov_boundaries_name(int boundaries);
/* Parses "today" or "as-published"; -1 if unknown. */
HICOV_API int hicov_boundaries_parse(const char *name);
/* How a figure on these boundaries is described, in lang (static):
 * "on today's boundaries" / "theo địa giới hành chính hiện nay", "as
 * published at the time" / "theo số liệu công bố tại thời điểm đó". */
HICOV_API const char *hicov_boundaries_label(int boundaries,
                                             const char *lang);

/* The units that joined unit after the end of month `after` and by the
 * end of month `by`: merged into it, or a share of them split into it,
 * and the units that joined those in that time, recursively (the units
 * whose earlier values a comparison on by's boundaries adds to unit's).
 * Up to max codes go to out (strings belong to ds; out may be NULL with
 * max 0); returns how many there are, 0 for an unknown unit. */
HICOV_API size_t hicov_dataset_predecessors(HicovDataset *ds,
                                            const char *unit, int after,
                                            int by, const char **out,
                                            size_t max);

/* Beneficiary-group codes seen in the values, in alphabetical order.
 * Belong to ds. */
HICOV_API size_t hicov_dataset_group_count(const HicovDataset *ds);
HICOV_API const char *hicov_dataset_group(const HicovDataset *ds, size_t i);

/* Human name of a beneficiary-group code (English, static), or NULL. */
HICOV_API const char *hicov_group_label(const char *code);
/* The same in lang ("Poor households" / "Hộ nghèo"), or NULL. */
HICOV_API const char *hicov_group_label_lang(const char *code,
                                             const char *lang);

/* Exact measure total for a unit and period.
 * Stock: the value at the latest month-end within the period.
 * Flow: the sum over the period, from the finest complete cover of the
 * period by observations (an exact observation wins; otherwise quarters,
 * then months).  Over units: the unit's own value if it has one, otherwise
 * the sum over its children and the units merged into it (only those
 * merged by the end of the period, for a unit that existed then; all of
 * them for a unit formed later), as published for the period: see
 * "Boundaries" for comparisons.
 * Returns HICOV_OK, HICOV_MISSING (reason written to `reason`, which may be
 * NULL; 160 bytes suffice), HICOV_NOTFOUND, HICOV_OVERFLOW. */
HICOV_API int hicov_dataset_measure(HicovDataset *ds, const char *measure,
                                    const char *unit, HicovPeriod period,
                                    const char *group, int64_t *centi,
                                    char *reason, size_t reason_size);

/* The same on the boundaries at the end of month `boundary_month`
 * (year * 12 + month - 1; see "Boundaries"): the unit as it is then, with
 * the territories merged or split into it after period.  boundary_month
 * <= period.last gives hicov_dataset_measure.  *estimate (may be NULL)
 * gets 1 when part of the value is a crosswalk share, else 0. */
HICOV_API int hicov_dataset_measure_on(HicovDataset *ds, const char *measure,
                                       const char *unit, HicovPeriod period,
                                       int boundary_month, const char *group,
                                       int64_t *centi, int *estimate,
                                       char *reason, size_t reason_size);

/* Where a measure total comes from: the distinct `source` texts of the
 * observations it was computed from ("published", "derived", "synthetic",
 * a file name...), in order of first use. Up to `max` pointers are written
 * to out (strings belong to ds, valid until it is freed); *n gets the
 * number of distinct sources, which may exceed max. Observations without a
 * source count as "". Same return codes as hicov_dataset_measure; on
 * HICOV_MISSING *n is 0. */
HICOV_API int hicov_dataset_measure_sources(HicovDataset *ds,
                                            const char *measure,
                                            const char *unit,
                                            HicovPeriod period,
                                            const char *group,
                                            const char **out, size_t max,
                                            size_t *n);

/* ------------------------------------------------------------------------ */
/* Indicators                                                                */

typedef enum {
  HICOV_IND_LEVEL = 1,   /* a value for the period (a stock, flow or ratio) */
  HICOV_IND_GROWTH = 2,  /* percent change against a year earlier */
  HICOV_IND_CHANGE = 3   /* difference against a year earlier */
} HicovIndicatorKind;

typedef struct {
  const char *name;    /* "coverage_rate" */
  int kind;            /* HicovIndicatorKind */
  const char *unit;    /* "%", "points", "people", "VND", "visits", "days" */
  int is_rate;         /* 1 for percentages bounded to [0, 100] */
  const char *label;   /* English label */
  const char *formula; /* the documented formula, plain text */
} HicovIndicatorInfo;

HICOV_API size_t hicov_indicator_count(void);
HICOV_API const HicovIndicatorInfo *hicov_indicator_info(size_t i);
/* info->label in lang (static): "Coverage rate" / "Tỷ lệ bao phủ BHYT". */
HICOV_API const char *hicov_indicator_label(const HicovIndicatorInfo *info,
                                            const char *lang);
/* Finds an indicator by name, including the generated "<name>_growth" of
 * every level indicator. Returns NULL if unknown. */
HICOV_API const HicovIndicatorInfo *hicov_indicator_find(const char *name);

/* Result of one indicator evaluation. */
/* The size of a reason (a why-missing text) in the structs below, with
 * its NUL: room for the longer Vietnamese wording of a chain of causes. */
#define HICOV_REASON_MAX 320

typedef struct {
  double value;     /* NaN when missing */
  int status;       /* HICOV_OK or HICOV_MISSING */
  char reason[HICOV_REASON_MAX]; /* why it is missing ("" when status is HICOV_OK) */
  int estimate;     /* 1 when part of the value is a crosswalk share of a
                       split unit (an estimate, to be flagged as such) */
} HicovResult;

/* Computes an indicator for a unit, period and beneficiary group (NULL or ""
 * for all).  Returns HICOV_OK when *out was filled (check out->status),
 * HICOV_NOTFOUND for an unknown indicator, unit or group, HICOV_INVALID for
 * bad arguments. */
HICOV_API int hicov_indicator_value(HicovDataset *ds, const char *indicator,
                                    const char *unit, HicovPeriod period,
                                    const char *group, HicovResult *out);

/* The indicator on the boundaries at the end of month boundary_month
 * (see "Boundaries"): a series' value for one of its periods, on the
 * boundaries of the series' last period.  A level indicator takes every
 * measure with hicov_dataset_measure_on; a _growth or _change indicator
 * compares both periods on those boundaries (or on the period's own, if
 * later).  boundary_month <= period.last gives hicov_indicator_value. */
HICOV_API int hicov_indicator_value_on(HicovDataset *ds, const char *indicator,
                                       const char *unit, HicovPeriod period,
                                       int boundary_month, const char *group,
                                       HicovResult *out);

/* Difference of a level indicator between two periods: value(to) - value(from)
 * (points for rates), both on the boundaries of the later period. */
HICOV_API int hicov_indicator_change(HicovDataset *ds, const char *indicator,
                                     const char *unit, HicovPeriod from,
                                     HicovPeriod to, const char *group,
                                     HicovResult *out);

/* Compound annual growth rate of a level indicator between two periods, in
 * percent per year: ((v_to / v_from) ^ (1 / years) - 1) * 100 where years
 * is the distance between the periods' end months / 12; both values on the
 * boundaries of the later period. */
HICOV_API int hicov_indicator_cagr(HicovDataset *ds, const char *indicator,
                                   const char *unit, HicovPeriod from,
                                   HicovPeriod to, const char *group,
                                   HicovResult *out);

/* Pure formulas on arrays (for vectorised front ends): out[i] for each i.
 *   coverage_rate: participants / population x 100; NaN when population
 *                  <= 0 or participants < 0.
 *   growth:        (current - previous) / previous x 100; NaN when
 *                  previous == 0.
 *   cagr:          ((last / first) ^ (1 / years) - 1) x 100; NaN when
 *                  first <= 0, last < 0 or years <= 0.
 *   ratio:         num / den x scale; NaN when den == 0.
 * A NaN input gives a NaN output. */
HICOV_API void hicov_coverage_rate_array(const double *participants,
                                         const double *population, double *out,
                                         size_t n);
HICOV_API void hicov_growth_array(const double *current,
                                  const double *previous, double *out,
                                  size_t n);
HICOV_API void hicov_cagr_array(const double *first, const double *last,
                                const double *years, double *out, size_t n);
HICOV_API void hicov_ratio_array(const double *num, const double *den,
                                 double scale, double *out, size_t n);

/* Which way an indicator is better: +1 when higher is favourable
 * (coverage_rate, its change and growth, participants' change and growth,
 * checkin_success_rate, commune_visit_share, fund_balance), -1 when lower
 * is, 0 when neither is stated (counts, costs, fund usage: a higher value
 * is not good or bad in itself).  0 for NULL. */
HICOV_API int hicov_indicator_direction(const HicovIndicatorInfo *info);

/* ------------------------------------------------------------------------ */
/* Equity across units                                                       */
/*
 * How unequal an indicator is across the units of a level below a parent
 * (the communes of a province), in the summary measures of WHO's Health
 * Equity Assessment Toolkit (HEAT).  Units j = 1..n with value y_j (the
 * indicator, hicov_indicator_value) and weight w_j, the unit's population
 * at the end of the period (a stock; the whole population, whatever the
 * group); p_j = w_j / sum w the population share.
 *   mean  mu = sum p_j y_j, the population-weighted mean; for a rate whose
 *         denominator is the population (coverage_rate) it is the ratio
 *         of the summed parts over the units used
 *   D     y_high - y_low (highest and lowest unit)
 *   R     y_high / y_low; NaN when y_low <= 0
 *   IDis  (1/n) sum |y_j - mu| / mu x 100, unweighted (HEAT's IDIS)
 *   IDisW sum p_j |y_j - mu| / mu x 100, weighted (HEAT's IDISW)
 *   BGV   sum p_j (y_j - mu)^2, in the indicator's unit squared
 *   Theil sum p_j (y_j/mu) ln(y_j/mu); a unit with y_j = 0 adds 0 (the
 *         limit of y ln y); NaN if any y_j < 0.  0 is equality.
 *   MLD   sum p_j (-ln(y_j/mu)); NaN if any y_j <= 0 (ln 0 is undefined)
 *   PAR   y_ref - mu, y_ref the best unit: the highest when higher is
 *         favourable (hicov_indicator_direction +1), the lowest when lower
 *         is (-1); NaN when the indicator has no direction.  What the mean
 *         would gain if every unit did as well as the best.
 *   PAF   PAR / mu x 100
 * IDis, IDisW, Theil, MLD and PAF are NaN when mu <= 0.  HEAT shows Theil
 * and MLD x 1000; these are the plain values.
 *
 * Ordered measures, when an ordering indicator is given (any indicator
 * name, measures included: e.g. cost_per_participant): the units are
 * sorted by its value, lowest first, and each gets the midpoint of its
 * cumulative population share, its ridit x_j = (W_before + w_j / 2) / W.
 * Units tied on the ordering value share one ridit, the midpoint of their
 * combined range (the average ridit of the tied units, weighted by
 * population).  The model is a straight line fitted by weighted least
 * squares, y = a + b x with weights w_j (HEAT fits a logistic model to
 * proportions with their standard errors, which hicov does not have):
 *   SII   b = yhat(1) - yhat(0), the difference from the unit at the top of
 *         the ordering to the unit at the bottom, in the indicator's unit
 *   RII   yhat(1) / yhat(0) = (a + b) / a; NaN when a <= 0
 * Both are NaN with fewer than two distinct ridits.  A unit without an
 * ordering value is left out of the fit only (and listed).
 *
 * A unit without a value or without a positive population is left out of
 * every measure and listed with the reason.  Fewer than two units used:
 * status HICOV_MISSING with a reason, every measure NaN. */
typedef struct {
  const char *unit; /* the unit's code (belongs to the dataset) */
  int ordering_only;/* 1: used, but left out of the SII/RII fit */
  char reason[HICOV_REASON_MAX]; /* why, in the dataset's language */
} HicovEquityExclusion;

typedef struct {
  int status;        /* HICOV_OK, or HICOV_MISSING (fewer than two units) */
  char reason[HICOV_REASON_MAX]; /* why it is missing ("" when OK) */
  size_t n_units;    /* units at the level below the parent */
  size_t n_used;     /* units with a value and a population */
  double population; /* sum of the weights of the units used */
  double mean;       /* mu */
  double high, low;  /* the highest and lowest values */
  const char *high_unit, *low_unit; /* their codes (belong to the dataset) */
  double difference; /* D */
  double ratio;      /* R */
  double idis;       /* IDis, percent */
  double idis_w;     /* IDisW, percent */
  double bgv;        /* BGV */
  double theil;      /* Theil (not x 1000) */
  double mld;        /* MLD (not x 1000) */
  double par;        /* PAR, in the indicator's unit */
  double paf;        /* PAF, percent */
  int direction;     /* hicov_indicator_direction of the indicator */
  int ordered;       /* 1 when an ordering indicator was given */
  size_t n_ordered;  /* units in the fit */
  double intercept;  /* a = yhat(0) */
  double sii;        /* b = yhat(1) - yhat(0) */
  double rii;        /* yhat(1) / yhat(0) */
  int estimate;      /* 1 when a value is partly a crosswalk share */
  HicovEquityExclusion *excluded; /* n_excluded entries, in name order;
                                     freed by hicov_equity_clear */
  size_t n_excluded;
} HicovEquity;

/* Equity of `indicator` (for group, NULL or "" for all) across the units
 * at `level` below `parent` (NULL: all of them) existing at the end of
 * `period`, ordered by `order` (an indicator name, or NULL for none).
 * Fills *out (release it with hicov_equity_clear; check out->status).
 * Returns HICOV_OK, HICOV_NOTFOUND for an unknown indicator, ordering
 * indicator or parent, HICOV_INVALID for bad arguments (a level not below
 * the parent's), HICOV_NOMEM. */
HICOV_API int hicov_equity(HicovDataset *ds, const char *indicator,
                           const char *parent, int level, HicovPeriod period,
                           const char *group, const char *order,
                           HicovEquity *out);
/* The same on the boundaries at the end of month boundary_month (see
 * "Boundaries"): the units as they are then, each value and population on
 * those boundaries.  A series over years calls it for each year with the
 * last year's last month, so every year compares the same territories. */
HICOV_API int hicov_equity_on(HicovDataset *ds, const char *indicator,
                              const char *parent, int level,
                              HicovPeriod period, int boundary_month,
                              const char *group, const char *order,
                              HicovEquity *out);
/* The measures of a HicovEquity one by one, for front ends that list
 * them (tables, dictionaries, the report). */
typedef enum {
  HICOV_EQ_MEAN = 0, HICOV_EQ_HIGH, HICOV_EQ_LOW, HICOV_EQ_DIFFERENCE,
  HICOV_EQ_RATIO, HICOV_EQ_IDIS, HICOV_EQ_IDIS_W, HICOV_EQ_BGV,
  HICOV_EQ_THEIL, HICOV_EQ_MLD, HICOV_EQ_PAR, HICOV_EQ_PAF, HICOV_EQ_SII,
  HICOV_EQ_RII,
  HICOV_N_EQ
} HicovEquityMeasure;
/* "mean", "high", "low", "difference", "ratio", "idis", "idis_w", "bgv",
 * "theil", "mld", "par", "paf", "sii", "rii" (static); NULL out of range. */
HICOV_API const char *hicov_equity_measure_name(int measure);
/* Its label in lang (static), for display: "Theil index (T) x 1000" /
 * "Chỉ số Theil (T) x 1000".  Shown values are hicov_equity_get times
 * hicov_equity_measure_scale: 1000 for Theil and MLD (as HEAT shows
 * them), else 1. */
HICOV_API const char *hicov_equity_measure_label(int measure,
                                                 const char *lang);
HICOV_API double hicov_equity_measure_scale(int measure);
/* Its value in e, unscaled (NaN when missing or out of range). */
HICOV_API double hicov_equity_get(const HicovEquity *e, int measure);
/* 1 when the measure is in the indicator's unit (mean, high, low, D, BGV
 * in its square, PAR, SII), 0 when it is a pure number or percent. */
HICOV_API int hicov_equity_measure_in_unit(int measure);

/* Frees out->excluded and zeroes *out.  Accepts NULL. */
HICOV_API void hicov_equity_clear(HicovEquity *out);

/* ------------------------------------------------------------------------ */
/* Resolutions and targets                                                   */

typedef enum {
  HICOV_CMP_AT_LEAST = 0, /* value >= threshold meets the target */
  HICOV_CMP_AT_MOST = 1   /* value <= threshold meets the target */
} HicovComparison;

/* What a target measures (HicovTarget.kind). */
typedef enum {
  HICOV_TARGET_KIND_LEVEL = 0,  /* the indicator's value: "coverage at
                                   least 98% by 2030" */
  HICOV_TARGET_KIND_CHANGE = 1, /* its change since the baseline year, in
                                   its unit (points for rates): "coverage
                                   up by at least 3 points over the term" */
  HICOV_TARGET_KIND_GROWTH = 2  /* its average annual growth since the
                                   baseline year, percent a year
                                   (compound): "cost per visit to grow at
                                   most 5% a year" */
} HicovTargetKind;

typedef struct {
  const char *indicator; /* level indicator, e.g. "coverage_rate" */
  const char *unit;      /* unit code; with level >= 0 the parent whose
                            units at that level are each assessed */
  int level;             /* -1: the unit itself; else a HicovLevel, which
                            must lie below the unit's own level */
  double threshold;      /* in the target's unit: the indicator's (98 for
                            98%) for a level, points or the indicator's
                            unit for a change, percent a year for growth */
  int comparison;        /* HicovComparison: at least, or at most (a cap) */
  int deadline_year;
  int baseline_year;     /* 0 if none; required by change and growth */
  const char *label;     /* free text, may be NULL */
  int kind;              /* HicovTargetKind (0: a level) */
  double units_share;    /* targets over the units of a level: the
                            percentage of them that must meet it ("80% of
                            communes reach 95%"); 0 or 100: every unit */
} HicovTarget;

typedef struct HicovResolution HicovResolution;

/* Creates a resolution; copies every string. term_start/end are years. */
HICOV_API int hicov_resolution_new(const char *body, const char *number,
                                   const char *title, int term_start,
                                   int term_end, HicovResolution **out);
HICOV_API void hicov_resolution_free(HicovResolution *res);
/* Appends a target (copied). HICOV_NOTFOUND for an unknown indicator,
 * HICOV_INVALID for any other fault hicov_target_check names. */
HICOV_API int hicov_resolution_add_target(HicovResolution *res,
                                          const HicovTarget *target);
/* Whether target can be added to a resolution: HICOV_OK, HICOV_NOTFOUND
 * (an unknown indicator) or HICOV_INVALID, with what is wrong in why
 * (size bytes, may be NULL) in lang (NULL: hicov_text_lang's), the field
 * named as in the resolution XML and Python ('deadline', 'baseline',
 * 'threshold', 'level', 'units_share', ...) and the value found: "'deadline'
 * must be a year from 1900 to 2100, not 1800". */
HICOV_API int hicov_target_check(const HicovTarget *target, const char *lang,
                                 char *why, size_t size);
/* Where target i was read from: the file (as given to the reader, "" when
 * the resolution was built in code) and its line (0 when unknown), for
 * messages that point at the line to fix.  hicov_resolution_set_source
 * records them (the resolution-file reader does). */
HICOV_API const char *hicov_resolution_source(const HicovResolution *res);
HICOV_API long hicov_resolution_target_line(const HicovResolution *res,
                                            size_t i);
HICOV_API int hicov_resolution_set_source(HicovResolution *res,
                                          const char *name);
HICOV_API int hicov_resolution_set_target_line(HicovResolution *res,
                                               size_t i, long line);
/* Accessors; strings belong to res. */
HICOV_API const char *hicov_resolution_body(const HicovResolution *res);
HICOV_API const char *hicov_resolution_number(const HicovResolution *res);
HICOV_API const char *hicov_resolution_title(const HicovResolution *res);
HICOV_API void hicov_resolution_term(const HicovResolution *res, int *start,
                                     int *end);
HICOV_API size_t hicov_resolution_target_count(const HicovResolution *res);
HICOV_API const HicovTarget *hicov_resolution_target(const HicovResolution *res,
                                                     size_t i);
/* Deep copy; caller frees with hicov_resolution_free. */
HICOV_API int hicov_resolution_copy(const HicovResolution *res,
                                    HicovResolution **out);

/* Resolutions carried by a dataset (the demo carries Lang Son's two).
 * Belong to ds. */
HICOV_API size_t hicov_dataset_resolution_count(const HicovDataset *ds);
HICOV_API const HicovResolution *hicov_dataset_resolution(
    const HicovDataset *ds, size_t i);
/* Attaches a copy of res to ds. */
HICOV_API int hicov_dataset_add_resolution(HicovDataset *ds,
                                           const HicovResolution *res);

typedef enum {
  HICOV_TARGET_UNKNOWN = 0,      /* no data to judge */
  HICOV_TARGET_ACHIEVED = 1,     /* latest value meets the threshold */
  HICOV_TARGET_ON_TRACK = 2,     /* not yet met, projection meets it by the
                                    deadline */
  HICOV_TARGET_AT_RISK = 3,      /* not met, projection falls short */
  HICOV_TARGET_NOT_ACHIEVED = 4  /* deadline year reached, not met */
} HicovTargetStatus;

HICOV_API const char *hicov_target_status_name(int status);

#define HICOV_FIT_MAX 16

/* Assessment of one target for one unit. */
typedef struct {
  size_t target_index;      /* index in the resolution */
  char unit[64];            /* unit code assessed */
  int status;               /* HicovTargetStatus */
  double threshold;
  int deadline_year;
  int baseline_year;        /* 0 if none */
  double baseline_value;    /* NaN if none */
  int latest_year;          /* latest year with a value, <= deadline if any
                               such year exists, else the earliest after */
  double latest_value;      /* NaN if none */
  double gap;               /* threshold - latest (signed so that > 0 means
                               short of the target), in the indicator's unit;
                               points for rates */
  double participants_needed; /* coverage targets: people still to enrol at
                               the latest population, ceil; NaN otherwise */
  double required_annual_change; /* per year from latest_year to the
                               deadline (points/year for rates); NaN if the
                               deadline has passed */
  double required_annual_growth; /* percent per year (compound) needed;
                               NaN if the deadline has passed */
  double projected_value;   /* projection at the deadline year */
  double projected_year;    /* first year the projection meets the
                               threshold (<= 2100), NaN if never */
  /* The fit's inputs and parameters, so a reader can redo it. */
  const char *fit_method;   /* "logit-linear" (rates) or "linear" */
  int fit_n;
  int fit_years[HICOV_FIT_MAX];
  double fit_values[HICOV_FIT_MAX];
  double fit_slope;         /* per year, on the fit scale */
  double fit_intercept;     /* at year 0 of the fit scale (see fit_origin) */
  int fit_origin;           /* fit uses x = year - fit_origin */
  char reason[HICOV_REASON_MAX]; /* why a value is missing, or "" */
  int boundary_month;       /* the baseline and the fit's values are on the
                               boundaries at the end of this month, the
                               latest year's last (see "Boundaries"): a unit
                               that absorbed others is fitted on its
                               territory of today; -1 as published */
  int baseline_estimate;    /* 1 when the baseline rests on a crosswalk
                               share (an estimate) */
  int fit_estimate;         /* 1 when a value of the fit does */
  /* The target's kind, its measure, caps, estimates, late attainment and
   * fallbacks.  For a level target measure_value is latest_value and
   * deadline_level the threshold; gap, required_* and projected_year
   * are in the target's own unit and sense (a cap's gap > 0 is over it;
   * its required_annual_change < 0 is a fall it needs, and its
   * required_annual_growth the most it may still grow a year). */
  int kind;                 /* HicovTargetKind of the target */
  double measure_value;     /* at latest_year: the value, the change since
                               the baseline, or the average annual growth
                               since it; NaN if missing */
  double projected_measure; /* the measure at the deadline by the trend */
  double deadline_level;    /* the indicator's value the target needs at
                               the deadline: the threshold; baseline +
                               threshold; baseline x (1 + threshold/100)
                               ^ (deadline - baseline).  NaN without a
                               baseline value */
  int break_year;           /* caps (at most) met now: the first year up to
                               the deadline in which the trend breaks the
                               cap; 0 if it never does */
  int estimated;            /* 1 if the latest value rests on an estimate
                               (a source of its figures says "estimate" or
                               "ước tính"): a verdict on it is estimated */
  int achieved_year;        /* a target not met by its deadline but met
                               later: the first year it was; else 0 */
  int wanted_year;          /* latest_year fell back: the year the data
                               should have given (the dataset's last year,
                               at most the deadline); 0 if no fallback */
  char fallback_reason[HICOV_REASON_MAX]; /* why wanted_year had no value, or "" */
} HicovAssessment;

/* A target's gap for one unit at any period (year, quarter, month, year
 * to date): what hicov_assess gives for the latest year, for the period a
 * user has chosen. */
typedef struct {
  double value;               /* the indicator at the period */
  double gap;                 /* as HicovAssessment.gap: > 0 short of the
                                 target, <= 0 when met (negative: exceeded) */
  double participants_needed; /* coverage targets: ceil(threshold% x
                                 population - participants) at the period's
                                 end, 0 when met; NaN otherwise */
  char reason[HICOV_REASON_MAX]; /* why the value is missing, or "" */
} HicovTargetGap;

/* Fills *out for target t (t->unit and t->level are not used: unit is the
 * one measured).  HICOV_MISSING, with out->reason, when the indicator has
 * no value at that period. */
HICOV_API int hicov_target_gap(HicovDataset *ds, const HicovTarget *t,
                               const char *unit, HicovPeriod period,
                               HicovTargetGap *out);

/* Assesses every target of res against ds.  *out (caller frees with
 * hicov_free) gets one entry per target and unit (level targets expand to
 * each unit at the level). */
HICOV_API int hicov_assess(HicovDataset *ds, const HicovResolution *res,
                           HicovAssessment **out, size_t *n);

/* A target as a whole, from its assessments (one per unit for a target
 * over the units of a level). */
typedef struct {
  size_t target_index;
  int status;            /* HicovTargetStatus of the target: a unit's own
                            target takes its assessment's; over units,
                            achieved when `needed` units are, not achieved
                            when they no longer can be, on track when the
                            units achieved or on track suffice, unknown
                            when only units without data could tip it,
                            else at risk */
  int estimated;         /* the verdict rests on an estimated figure */
  size_t units;          /* units assessed */
  size_t needed;         /* units that must meet it (ceil of
                            units_share % of units; all by default) */
  size_t by_status[5];   /* units per HicovTargetStatus */
  size_t achieved_late;  /* of the not achieved, met after the deadline */
  int achieved_year;     /* a unit's own target met late: the year */
} HicovTargetVerdict;

/* The verdict on target ti of res from assessments a[0..n) (what
 * hicov_assess returned; only those of target ti are read).  HICOV_INVALID
 * for an index out of range. */
HICOV_API int hicov_target_verdict(const HicovResolution *res, size_t ti,
                                   const HicovAssessment *a, size_t n,
                                   HicovTargetVerdict *out);

/* The label of an assessment's or a verdict's status in lang, with what
 * qualifies it: an estimated verdict ("Ước đạt", "Ước không đạt"), a
 * target met late ("Đạt muộn"); else hicov_target_status_label. */
HICOV_API const char *hicov_status_label_full(int status, int estimated,
                                              int achieved_late,
                                              const char *lang);

/* Projection used by hicov_assess, exposed for charts: value of indicator
 * for unit at `year` from the same fit (on the boundaries of last_year's
 * end).  HICOV_MISSING if fewer than two annual points. */
HICOV_API int hicov_project(HicovDataset *ds, const char *indicator,
                            const char *unit, int last_year, int year,
                            HicovResult *out);

/* The same fit as an assessment made it: the value at `year` of the trend
 * hicov_assess fitted for a (fit_method, fit_origin, fit_slope and
 * fit_intercept; a->projected_value is its value at the deadline).  For
 * readers that keep the assessment but not the dataset (the PDF report).
 * Returns HICOV_OK, HICOV_MISSING when a has no fit (fewer than two annual
 * values; *value is then NaN) or HICOV_INVALID. */
HICOV_API int hicov_assessment_project(const HicovAssessment *a, int year,
                                       double *value);

/* ------------------------------------------------------------------------ */
/* Data-quality checks                                                       */

typedef enum {
  HICOV_FINDING_PARTICIPANTS_ABOVE_POPULATION = 1,
  HICOV_FINDING_MISSING_MONTH = 2,      /* a gap in a monthly series */
  HICOV_FINDING_GROWTH_OUTLIER = 3,     /* growth far outside the unit's own
                                           history */
  HICOV_FINDING_CHILD_SUM_MISMATCH = 4, /* own total differs from the sum of
                                           children */
  HICOV_FINDING_NEGATIVE_VALUE = 5,
  HICOV_FINDING_MISSING_YEAR = 6        /* a gap in an annual series */
} HicovFindingKind;

typedef struct {
  int kind;            /* HicovFindingKind */
  int severity;        /* 1 warning, 2 error */
  char unit[64];
  char measure[32];
  HicovPeriod period;
  char message[256];   /* sentence with unit, period and numbers, in the
                          dataset's language (hicov_dataset_set_lang) */
} HicovFinding;

HICOV_API const char *hicov_finding_kind_name(int kind);

/* Runs every check. *out (caller frees with hicov_free) may be NULL when
 * *n is 0. */
HICOV_API int hicov_dataset_check(HicovDataset *ds, HicovFinding **out,
                                  size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_CORE_H */
