/* hicov-data.h - datasets in and out: finding units by name, merging
 * imported values, saving a dataset folder, and tables of indicators.
 *
 * Part `core` (libc only), with the conventions of hicov-core.h: opaque
 * handles, int status codes, messages on the dataset handle
 * (hicov_dataset_errmsg), "caller frees" memory released with hicov_free.
 * The spreadsheet readers and writers that use these are in
 * hicov-exchange.h. */
#ifndef HICOV_DATA_H
#define HICOV_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Finding units by code or by Vietnamese name                               */
/*
 * A text from a spreadsheet cell names a unit by its code ("20X05") or its
 * name ("Xã Na Sầm"). Names are compared on a key that ignores case,
 * spacing (runs of spaces, tabs, no-break spaces are one space; ends
 * trimmed) and Unicode normalisation (precomposed NFC, decomposed NFD, and
 * Unikey's composite forms of Vietnamese letters are equal).
 *
 * Administrative prefixes are tolerated: "Xã", "Phường", "Thị trấn"/"TT",
 * "Huyện", "Quận", "Thị xã"/"TX", "Thành phố"/"TP", "Tỉnh". A name is first
 * compared with its prefix (abbreviations made whole: "TP. Lạng Sơn" is
 * "Thành phố Lạng Sơn"), and only when no unit has that full name, without
 * it ("Na Sầm" finds "Xã Na Sầm"). So "Lạng Sơn" finds the province and
 * "TP Lạng Sơn" the city, although both are "Lạng Sơn" without prefix.
 *
 * Candidates are then narrowed by the options (level, below a parent,
 * existing at the end of a period). One candidate left is a match; none is
 * "not found"; more than one is ambiguous and every candidate is listed:
 * nothing is guessed. A code is matched exactly (then ignoring ASCII case
 * when that finds exactly one unit) and is not narrowed. */

typedef enum {
  HICOV_MATCH_AUTO = 0, /* a code first, then a name */
  HICOV_MATCH_CODE = 1,
  HICOV_MATCH_NAME = 2
} HicovMatchBy;

typedef struct {
  int by;                   /* HicovMatchBy */
  int level;                /* HicovLevel, or -1 for any */
  const char *parent;       /* only units below this code; NULL: anywhere */
  const HicovPeriod *period;/* only units existing at its end; NULL: ever */
} HicovMatchOptions;

#define HICOV_MATCH_MAX_CANDIDATES 8

typedef struct {
  size_t index;       /* the unit (hicov_dataset_unit) when matched */
  int by;             /* HICOV_MATCH_CODE or HICOV_MATCH_NAME */
  size_t n_candidates;/* 1 matched; 0 none; > 1 ambiguous (may exceed the
                         array, which holds the first ones in name order) */
  size_t candidates[HICOV_MATCH_MAX_CANDIDATES];
} HicovMatch;

typedef struct HicovUnitMatcher HicovUnitMatcher;

/* Indexes the units of ds (their keys, once). ds must outlive the matcher
 * and gain no units meanwhile. */
HICOV_API int hicov_unit_matcher_new(HicovDataset *ds,
                                     HicovUnitMatcher **out);
HICOV_API void hicov_unit_matcher_free(HicovUnitMatcher *m);
/* Finds text. HICOV_OK: out->index is the unit. HICOV_NOTFOUND: no unit
 * (out->n_candidates 0) or several (out->n_candidates > 1). opt may be
 * NULL (auto, any level, anywhere, ever). */
HICOV_API int hicov_unit_matcher_find(HicovUnitMatcher *m, const char *text,
                                      const HicovMatchOptions *opt,
                                      HicovMatch *out);
/* The matching key of a text (lower case, NFC, spaces collapsed), for
 * front ends that compare names the same way. Caller frees. */
HICOV_API char *hicov_text_fold(const char *text);

/* ------------------------------------------------------------------------ */
/* Merging imported values into a dataset                                    */

/* What to do with an imported value when the dataset already holds one for
 * the same unit, measure, group and period, and it differs. (An equal
 * value is never a conflict: it is counted as unchanged.) */
typedef enum {
  HICOV_CONFLICT_ERROR = 0,   /* refuse the whole import (the default) */
  HICOV_CONFLICT_REPLACE = 1, /* the imported value replaces the old one */
  HICOV_CONFLICT_KEEP = 2     /* the dataset's value stays */
} HicovConflictPolicy;

/* "error", "replace", "keep" -> the policy; -1 if unknown. */
HICOV_API int hicov_conflict_policy_parse(const char *name);

/* One imported value. Strings are copied. */
typedef struct {
  const char *unit;     /* a unit code of the dataset */
  const char *measure;  /* a measure name */
  const char *group;    /* NULL or "" for all groups */
  HicovPeriod period;
  int64_t centi;        /* hundredths, >= 0 */
  const char *where;    /* where it was read ("Sheet1!C12"), for messages;
                           may be NULL */
} HicovValue;

typedef struct {
  long added;     /* new observations */
  long replaced;  /* differing values replaced (policy replace) */
  long kept;      /* differing values left as they were (policy keep) */
  long unchanged; /* equal to the dataset's value */
} HicovMergeStats;

/* Adds n values to ds under a conflict policy, all or nothing: every value
 * is checked (unit, measure, period, value, the same key twice in the
 * batch) and every conflict found before ds changes. With
 * HICOV_CONFLICT_ERROR and any conflict nothing changes and HICOV_INVALID
 * is returned; errmsg names the first ("Sheet1!C12: participants of 20 for
 * 2024 is 764,769 in the dataset and 764,770 in the import"). *conflicts
 * (may be NULL) gets every conflict, one line each (at most 1000, then a
 * count), whatever the policy, or NULL when there is none; caller frees.
 * Replaced and added values take `source` (may be NULL). stats may be
 * NULL. Returns HICOV_OK, HICOV_INVALID, HICOV_NOTFOUND (unknown unit or
 * measure), HICOV_NOMEM, HICOV_LIMIT. */
HICOV_API int hicov_dataset_merge_values(HicovDataset *ds,
                                         const HicovValue *values, size_t n,
                                         const char *source, int policy,
                                         HicovMergeStats *stats,
                                         char **conflicts);

/* ------------------------------------------------------------------------ */
/* Every observation, and copies                                             */

/* One observation as the dataset holds it (what a values.csv row says).
 * Strings belong to the dataset. */
typedef struct {
  const char *unit;    /* unit code */
  const char *measure; /* measure name */
  const char *group;   /* beneficiary-group code; "" for all groups */
  HicovPeriod period;
  int64_t centi;       /* hundredths, exact */
  const char *source;  /* "" when none */
} HicovObservation;

/* Every observation of ds in the order of values.csv
 * (hicov_dataset_values_csv): by unit (load order), measure, group code,
 * first and last month. *out (caller frees with hicov_free; NULL when *n
 * is 0) points into ds: valid until ds gains a unit, value, group or
 * source, or is freed. */
HICOV_API int hicov_dataset_observations(HicovDataset *ds,
                                         HicovObservation **out, size_t *n);

/* A new dataset with the units, observations (with their sources),
 * splits, resolutions, fund share, boundaries and language of ds: what a
 * saved folder would give back, and the rest besides. The load history
 * (rejections, load counts) is not copied. Caller frees *out with
 * hicov_dataset_free.
 * Returns HICOV_OK or HICOV_NOMEM. */
HICOV_API int hicov_dataset_copy(HicovDataset *ds, HicovDataset **out);

/* The dataset as bytes, for pickling or for another process: what
 * hicov_dataset_copy copies (units, observations with their sources,
 * splits, resolutions, fund share, boundaries, language).  Versioned (a tag and a version number first) and sealed with a
 * SHA-256 of the rest, so that changed or cut bytes are refused rather
 * than read as another dataset; the format is in csrc/core/dataset-state.c.
 * Caller frees *out with hicov_free.  HICOV_OK, HICOV_INVALID,
 * HICOV_NOMEM, or HICOV_LIMIT for a section over 4 GB. */
HICOV_API int hicov_dataset_serialize(HicovDataset *ds, void **out,
                                      size_t *len);
/* A new dataset from hicov_dataset_serialize's bytes (not kept).  Bytes
 * that are not such a state (another tag or version, cut, changed, a
 * section that does not load) give HICOV_PARSE with why in err (may be
 * NULL; in the process's language) and *out NULL.  Caller frees *out with
 * hicov_dataset_free. */
HICOV_API int hicov_dataset_load_state(const void *data, size_t len,
                                       HicovDataset **out, char *err,
                                       size_t err_size);

/* ------------------------------------------------------------------------ */
/* Saving a dataset folder                                                   */

/* units.csv and values.csv as hicov_dataset_load_dir reads them, in a
 * stable order: units in load order; values by unit (load order), measure
 * (hicov_measure_info order), group code (bytes), first and last month.
 * Values are exact decimals ("764769", "12.5"); fields are quoted when
 * they hold a comma, quote, line end or outer space. Loading what was
 * written and writing again gives the same bytes. Caller frees *buf. */
HICOV_API int hicov_dataset_units_csv(HicovDataset *ds, char **buf,
                                      size_t *len);
HICOV_API int hicov_dataset_values_csv(HicovDataset *ds, char **buf,
                                       size_t *len);
/* crosswalk.csv (old,new,share,date,basis) of the dataset's splits, in
 * load order; "old,new,share,date,basis\n" alone when it has none. */
HICOV_API int hicov_dataset_crosswalk_csv(HicovDataset *ds, char **buf,
                                          size_t *len);

/* Saves ds as the dataset folder dir: units.csv and values.csv (and
 * crosswalk.csv, for a dataset with splits) replaced together or not at
 * all.
 *
 * The two files are written and synced in a new folder beside dir
 * ("DIR.tmp-XXXXXX"); the other files of an existing dir (a resolution,
 * notes) are linked into it; then the two folders are exchanged in one
 * step (renameat2 RENAME_EXCHANGE) and the old one is removed. A reader
 * sees the old dataset or the new one, never a mix; a failure or a crash
 * at any point leaves dir as it was (a crash may leave the DIR.tmp-XXXXXX
 * folder, which can be deleted). Where the file system cannot exchange
 * (EINVAL: some network file systems), dir is renamed to DIR.old-XXXXXX
 * and the new folder to dir: a crash between the two renames leaves no
 * dir, the old dataset in DIR.old-XXXXXX and the new, complete, in
 * DIR.tmp-XXXXXX; rename either one back to DIR.
 *
 * A dir that holds a folder is refused (the exchange would hide it), and
 * so is a dir that is not a folder. dir is created (with its parent
 * existing) when missing. A symbolic link to a folder is followed and
 * stays. The dataset's resolutions and fund share are not part of the
 * folder format and are not saved. On failure, err (may be NULL) gets a
 * message naming the file. */
HICOV_API int hicov_dataset_save(HicovDataset *ds, const char *dir,
                                 char *err, size_t err_size);

/* ------------------------------------------------------------------------ */
/* Tables: units x indicators for a period                                   */
/*
 * What every spreadsheet export shows: one row per unit at a level below a
 * parent that exists at the end of the period, in Vietnamese alphabetical
 * order of names (hicov_collate, then code), one column per
 * indicator, each cell computed by hicov_indicator_value. The writers of
 * hicov-exchange.h only format it. */

typedef struct {
  const char *const *indicators; /* level, growth or change indicators */
  size_t n_indicators;           /* 1..HICOV_TABLE_MAX_COLUMNS */
  HicovPeriod period;
  int level;          /* HicovLevel, or -1: the parent's direct children */
  const char *parent; /* a unit code; NULL: every unit at level (level must
                         then be >= 0) */
  const char *group;  /* beneficiary group; NULL or "": all */
  int total_row;      /* 1: the parent's own row last (needs parent) */
} HicovTableSpec;

#define HICOV_TABLE_MAX_COLUMNS 64

typedef struct HicovTable HicovTable;

typedef struct {
  const char *code;
  const char *name;
  const char *parent; /* NULL for a root */
  int level;          /* HicovLevel */
  int synthetic;      /* generated data (the demo's communes) */
  int is_total;       /* the parent's own row */
} HicovTableRow;

/* Computes the table now; later changes to ds do not change it. Errors
 * (unknown indicator, unit or level) go to ds's errmsg. Caller frees *out
 * with hicov_table_free. */
HICOV_API int hicov_table_new(HicovDataset *ds, const HicovTableSpec *spec,
                              HicovTable **out);
HICOV_API void hicov_table_free(HicovTable *t);
HICOV_API size_t hicov_table_row_count(const HicovTable *t);
HICOV_API size_t hicov_table_column_count(const HicovTable *t);
HICOV_API HicovPeriod hicov_table_period(const HicovTable *t);
/* The parent's code and name, the level and the group; NULL if none.
 * Belong to t. */
HICOV_API const char *hicov_table_parent(const HicovTable *t);
HICOV_API const char *hicov_table_parent_name(const HicovTable *t);
HICOV_API int hicov_table_level(const HicovTable *t);
HICOV_API const char *hicov_table_group(const HicovTable *t);
/* Column i's indicator (static), or NULL. */
HICOV_API const HicovIndicatorInfo *hicov_table_column(const HicovTable *t,
                                                       size_t i);
/* Column i's heading in lang ("vi" or "en"): "Tỷ lệ bao phủ BHYT (%)",
 * "Coverage rate (%)". Belongs to t. */
HICOV_API const char *hicov_table_heading(const HicovTable *t, size_t i,
                                          const char *lang);
/* Row i; strings belong to t. HICOV_INVALID if out of range. */
HICOV_API int hicov_table_row(const HicovTable *t, size_t i,
                              HicovTableRow *out);
/* Cell (row, col): value (NaN when missing) and the reason; belongs to t,
 * NULL if out of range. */
HICOV_API const HicovResult *hicov_table_cell(const HicovTable *t,
                                              size_t row, size_t col);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_DATA_H */
