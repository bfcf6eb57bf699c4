/* dataset-private.h - the dataset layer: units, observations, groups,
 * sources, rejections (dataset.c), the CSV loaders (dataset-load.c) and
 * exact measure totals (dataset-totals.c).  The indicators, checks,
 * targets and reports above it read the handle's fields; nothing here
 * knows of them.  Not API. */
#ifndef HICOV_DATASET_PRIVATE_H
#define HICOV_DATASET_PRIVATE_H

#include "util-private.h"

/* ---- Dataset internals (dataset.c, dataset-load.c, dataset-totals.c) ---- */

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
  /* The dates behind valid_to and valid_from as yyyymmdd (20250701), 0
   * when none; a unit added through the API gets the first of the month.
   * The checks on successors compare days, the reasons print them. */
  int to_date, from_date;
  long parent;    /* index or -1, resolved lazily */
  long successor; /* index or -1 */
  /* children (by index), in name order, resolved with the tree */
  size_t *children;
  size_t n_children;
  /* units whose successor is this one */
  size_t *merged;
  size_t n_merged;
  /* splits (indexes into HicovDataset.splits) that gave this unit part of
   * another, resolved with the tree */
  size_t *split_in;
  size_t n_split_in;
  /* facilities whose territory this unit may hold in some period while
   * their own parent does not exist (hicov_facility_holder), resolved with
   * the tree */
  size_t *fosters;
  size_t n_fosters;
  /* a facility is listed below it, or held by it (a foster): its data has
     reporting points (dataset-totals.c tells silence from zero by it) */
  int facility_below;
} HicovUnitRec;

/* One row of crosswalk.csv: a share of unit old_unit went to new_unit
 * when old_unit was divided (dataset-load.c). */
typedef struct {
  size_t old_unit, new_unit; /* unit indexes */
  int64_t share_ppm;         /* millionths of old_unit, 1..1000000 */
  int month;                 /* first month old_unit no longer exists */
  int date;                  /* the day of the split, yyyymmdd */
  int basis;                 /* HicovSplitBasis */
  long line;                 /* crosswalk.csv line, 0 through the API */
} HicovSplitRec;

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
  char *reason; /* the message without its place */
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
  /* obs_unit_start[k] .. [k + 1], k = u * HICOV_M_COUNT + m: unit u's
     observations of measure m, for units below obs_unit_n; built by
     hicov_dataset_prepare with the sort, valid while obs_sorted (obs_range
     then searches one series' groups, not all) */
  size_t *obs_unit_start;
  size_t obs_unit_n;
  int obs_index_ok;
  int tree_built;

  char **groups; /* groups[0] = "" (all) */
  size_t *group_order; /* groups 1.. in alphabetical order, when sorted */
  size_t n_group_order;
  size_t n_groups, cap_groups;
  HicovStrIndex group_index;
  char **sources;
  size_t n_sources, cap_sources;
  HicovStrIndex source_index;

  /* Resolutions the dataset carries.  assess.c adds them and sets
   * free_resolutions, which hicov_dataset_free calls: the dataset layer
   * does not know what a resolution is. */
  HicovResolution **resolutions;
  size_t n_resolutions, cap_resolutions;
  void (*free_resolutions)(HicovDataset *ds);

  HicovSplitRec *splits;
  size_t n_splits, cap_splits;
  int boundaries; /* HicovBoundaries of comparisons, series and fits */

  /* What the data-quality checks found, kept by quality.c for the
   * quality_findings indicator: built by the first query that needs it
   * and published atomically (queries may run in several threads), one
   * allocation that hicov_dataset_changed frees. */
  void *quality_memo;

  HicovRejectRec *rejects;
  size_t n_rejects, cap_rejects;
  HicovLoadStats stats;
  int fund_share_bp; /* basis points of revenue for the medical fund */

  const char *lang; /* of the text it writes: "vi", "en", NULL: process */
  /* totals of aggregate units already taken (dataset-memo.c); cleared by
     hicov_dataset_prepare when the dataset changed */
  struct HicovMemo *memo;
  char errmsg[512];
  char errfile[256];
  char errfield[64];
  long errline;
  int errcol;
};

/* The language text about ds is written in: ds->lang, unless this thread
 * has put ds in another language for a while (hicov_lang_push).  A report
 * builds in its own language that way: the handle is not written, so the
 * report stays a query that other threads may run beside (hicov-core.h,
 * "Threads"). */
const char *hicov_ds_lang(const HicovDataset *ds);
typedef struct {
  const HicovDataset *ds;
  const char *lang;
} HicovLangScope;
/* lang ("vi", "en", NULL: the process's) for ds on this thread until the
 * matching hicov_lang_pop(saved); scopes nest. */
void hicov_lang_push(const HicovDataset *ds, const char *lang,
                     HicovLangScope *saved);
void hicov_lang_pop(const HicovLangScope *saved);

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
  size_t n_units, n_obs, n_rejects, n_groups, n_sources, n_splits;
  HicovLoadStats stats;
} HicovDatasetMark;
void hicov_dataset_mark(const HicovDataset *ds, HicovDatasetMark *m);
void hicov_dataset_rollback(HicovDataset *ds, const HicovDatasetMark *m);
/* Forgets what was worked out from the data (quality_memo and the memo of
 * totals): every change of units, values, splits or boundaries calls it,
 * never while queries run at once. */
void hicov_dataset_changed(HicovDataset *ds);
/* Builds parent/child links and sorts observations if needed. */
int hicov_dataset_prepare(HicovDataset *ds);
/* Unit index of a code, or -1. */
long hicov_unit_index(const HicovDataset *ds, const char *code);
/* Does unit u exist at the end of [first, last]? */
int hicov_unit_exists_in(const HicovUnitRec *u, int first, int last);
/* The unit whose sum over period p counts facility f (existing in p):
 * f's parent when it exists at the end of p.  A facility outlives the
 * units it was listed under (the 2025 reform abolished districts and
 * merged communes, their health stations and hospitals went on), so when
 * the parent does not exist then, f is re-attached: to the successor of
 * a parent merged away before p began (followed on), to the nearest
 * ancestor that exists for a parent abolished or divided without one, or
 * formed after p.  A parent that ended during p is summed as a part of
 * its successor (dataset-totals.c, joined_in_sum), and counts f itself:
 * then the parent is returned.  -1 when no unit holds f. */
long hicov_facility_holder(const HicovDataset *ds, size_t f, int first,
                           int last);
/* 1 if one of the sources of measure's value for unit in period names an
 * estimate ("estimate", "ước tính"), else 0 (also when it has no value). */
int hicov_measure_estimated(HicovDataset *ds, const char *measure,
                            const char *unit, HicovPeriod period);
/* Group index for a code ("" or NULL = 0); -1 if unknown. */
int hicov_group_index(const HicovDataset *ds, const char *code);
/* Exact measure total by indexes; reason gets why it is missing
 * (dataset-totals.c).  As published: the unit's territory at the end of
 * p. */
int hicov_measure_total(HicovDataset *ds, int measure, size_t unit,
                        HicovPeriod p, int group, int64_t *centi,
                        char *reason, size_t reason_size);
/* The same on the boundaries at the end of month asof (the later period
 * of a comparison, the last of a series): the unit's own value plus the
 * values of every unit merged into it, and the shares of every unit split
 * into it, after p and by asof, recursively.  asof <= p.last, or a
 * dataset set to HICOV_BOUNDARIES_AS_PUBLISHED, gives hicov_measure_total.
 * *estimate (may be NULL) is set to 1 when a share was applied and left
 * alone otherwise. */
int hicov_measure_total_on(HicovDataset *ds, int measure, size_t unit,
                           HicovPeriod p, int asof, int group,
                           int64_t *centi, int *estimate, char *reason,
                           size_t reason_size);
/* The month whose boundaries a comparison or series ending at month last
 * is on: last, or -1 (each period on its own) for a dataset set to
 * HICOV_BOUNDARIES_AS_PUBLISHED. */
int hicov_boundary_month(const HicovDataset *ds, int last);
/* "2025-07-01": a day yyyymmdd, or the first of month index m when date
 * is 0. */
void hicov_date_text(int date, int month, char *buf, size_t size);
/* Unit u as reasons and findings name it: "Quảng Ninh (22)", or the code
 * alone for a unit without a name; cut at a UTF-8 boundary to fit size.
 * Returns buf. */
const char *hicov_unit_text(const HicovDataset *ds, size_t u, char *buf,
                            size_t size);
/* Room for hicov_unit_text: a long name and its code. */
#define HICOV_UNIT_TEXT_MAX 200

/* ---- The memo of totals (dataset-memo.c) ---- */
/* What a total depends on besides the dataset.  asof is normalised by the
 * caller (dataset-totals.c) so that equivalent walks share a key. */
typedef struct {
  uint32_t unit;
  uint16_t measure, group;
  int32_t first, last, asof;
  uint8_t flags;
} HicovMemoKey;
#define HICOV_MEMO_SKIP_OWN 1
#define HICOV_MEMO_EXTEND 2
/* The sources of the observations a walk used: up to HICOV_MEMO_SOURCES,
 * over = 1 when there were more. */
#define HICOV_MEMO_SOURCES 4
typedef struct {
  uint16_t src[HICOV_MEMO_SOURCES];
  uint8_t n, over;
} HicovMemoSources;
/* A total taken, and what taking it did to the walk: units visited, the
 * depth it reached below the unit, whether a crosswalk share was applied,
 * the walk's `named` flag after it and the sources it used. */
typedef struct {
  int64_t centi;
  uint32_t visits;
  uint8_t height, estimate, named;
  HicovMemoSources sources;
  /* HICOV_OK, or HICOV_MISSING / HICOV_NOTFOUND with the reason written,
   * in language lang (1 English, 2 Vietnamese); the memo keeps its own
   * copy of reason */
  uint8_t rc, lang;
  const char *reason;
} HicovMemoValue;
/* 1 and *v if the total is kept, else 0.  Safe in concurrent queries. */
int hicov_memo_get(const HicovDataset *ds, const HicovMemoKey *k,
                   HicovMemoValue *v);
/* Keeps a total (nothing when out of memory).  Safe in concurrent
 * queries. */
void hicov_memo_put(HicovDataset *ds, const HicovMemoKey *k,
                    const HicovMemoValue *v);
/* Drops every total: after a change, never during queries. */
void hicov_memo_clear(HicovDataset *ds);
/* Takes every total by walking, until the next change (tests: the memo
 * against the walk it stands for). */
void hicov_memo_disable(HicovDataset *ds);
/* Totals kept and the bytes the memo holds (tests, benchmarks). */
void hicov_memo_stats(const HicovDataset *ds, size_t *entries, size_t *bytes);

/* Sum over a unit's components only, ignoring its own value (for the
 * consistency check). */
int hicov_measure_components(HicovDataset *ds, int measure, size_t unit,
                             HicovPeriod p, int group, int64_t *centi);

/* The order of sorted observations: (unit, measure, group, last, first).
 * Inline: dataset-totals.c's binary searches call it per step. */
static inline int hicov_obs_cmp(const HicovObs *x, const HicovObs *y)
{
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->measure != y->measure) return x->measure < y->measure ? -1 : 1;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->last != y->last) return x->last < y->last ? -1 : 1;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  return 0;
}

/* For the loaders (dataset-load.c). */
/* Tier index of a tier name ("commune" ... "central"), or -1. */
int hicov_tier_parse(const char *name);
/* Frees what a unit record owns. */
void hicov_unit_clear(HicovUnitRec *u);
/* Rebuilds the unit-code hash with room for `need` units. */
int hicov_unit_hash_rebuild(HicovDataset *ds, size_t need);
/* Rebuilds the observation hash with room for `need` observations. */
int hicov_obs_hash_rebuild(HicovDataset *ds, size_t need);
/* The index of source text s (non-empty) in ds->sources, added when new:
 * 0 (none) past the table's 4096 entries.  -1 when memory ran out. */
int hicov_source_intern(HicovDataset *ds, const char *s);
/* Adds an observation; line is the CSV line (0 from the API). On a
 * duplicate returns HICOV_INVALID with *dup_line set. */
int hicov_add_obs(HicovDataset *ds, size_t unit, int measure,
                  const char *group, HicovPeriod p, int64_t centi,
                  const char *source, uint32_t line, long *dup_line);

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
/* The measures' table (dataset.c), indexed by the enum above. */
extern const HicovMeasureInfo hicov_measures[HICOV_M_COUNT];

#endif
