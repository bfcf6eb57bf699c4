/* dataset.c - units, observations, groups and sources (loading:
 * dataset-load.c; measure totals: dataset-totals.c).
 *
 * Observations are kept in one array of fixed-size records (HicovObs) with
 * values in int64 hundredths.  A hash on (unit, measure, group, first, last)
 * refuses duplicates at insertion; before queries the array is sorted by
 * (unit, measure, group, last, first) so that every lookup is a binary
 * search.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dataset-private.h"

/* ------------------------------------------------------------------------ */
/* Measures                                                                  */

const HicovMeasureInfo hicov_measures[HICOV_M_COUNT] = {
  { "population", HICOV_MEASURE_STOCK, "people", N_("Population") },
  { "participants", HICOV_MEASURE_STOCK, "people", N_("Insured participants") },
  { "visits", HICOV_MEASURE_FLOW, "visits", N_("Insured visits") },
  { "inpatient_visits", HICOV_MEASURE_FLOW, "visits", N_("Inpatient visits") },
  { "inpatient_days", HICOV_MEASURE_FLOW, "days", N_("Inpatient days") },
  { "total_cost", HICOV_MEASURE_FLOW, "VND", N_("Total medical cost") },
  { "fund_paid", HICOV_MEASURE_FLOW, "VND", N_("Paid by the fund") },
  { "copay", HICOV_MEASURE_FLOW, "VND", N_("Patient co-payment") },
  { "fund_revenue", HICOV_MEASURE_FLOW, "VND", N_("Contribution revenue") },
  { "card_checkins", HICOV_MEASURE_FLOW, "check-ins", N_("Card check-ins attempted") },
  { "card_checkins_ok", HICOV_MEASURE_FLOW, "check-ins", N_("Card check-ins succeeded") },
  { "patients", HICOV_MEASURE_DISTINCT, "people", N_("Distinct patients") },
  { "patients_500m", HICOV_MEASURE_DISTINCT, "people",
    N_("Patients with fund payments of 500 million VND or more") },
  { "patients_1b", HICOV_MEASURE_DISTINCT, "people",
    N_("Patients with fund payments of 1 billion VND or more") },
};

size_t hicov_measure_count(void)
{
  return HICOV_M_COUNT;
}

const HicovMeasureInfo *hicov_measure_info(size_t i)
{
  return i < HICOV_M_COUNT ? &hicov_measures[i] : NULL;
}

int hicov_measure_find(const char *name)
{
  if (!name)
    return -1;
  /* called once per values.csv row: compare lengths before bytes */
  static size_t lens[HICOV_M_COUNT];
  if (!lens[0])
    for (int i = HICOV_M_COUNT - 1; i >= 0; i--)
      __atomic_store_n(&lens[i], strlen(hicov_measures[i].name),
                       __ATOMIC_RELAXED);
  size_t n = strlen(name);
  for (int i = 0; i < HICOV_M_COUNT; i++)
    if (__atomic_load_n(&lens[i], __ATOMIC_RELAXED) == n &&
        !memcmp(hicov_measures[i].name, name, n))
      return i;
  return -1;
}

/* Beneficiary groups by card prefix (QĐ 1351/QĐ-BHXH). Kept as data; the
 * one source of their names (hicov_group_label_lang translates them). */
static const struct { const char *code, *label; } group_labels[] = {
  { "DN", N_("Employees of enterprises") }, { "HX", N_("Employees of cooperatives") },
  { "CH", N_("Employees of state agencies") }, { "NN", N_("Employees of foreign organisations") },
  { "TK", N_("Employees of other employers") }, { "HC", N_("Civil servants") },
  { "XK", N_("Non-specialised commune staff") }, { "HT", N_("Pensioners") },
  { "TB", N_("Occupational accident allowance") }, { "NO", N_("Long-term sick leave") },
  { "CT", N_("Aged 80+ with survivor allowance") }, { "XB", N_("Retired commune officials") },
  { "TN", N_("Unemployment benefit") }, { "CS", N_("Retired rubber workers") },
  { "QN", N_("Military") }, { "CA", N_("Police") }, { "CY", N_("Cipher staff") },
  { "XN", N_("Retired commune officials (budget)") }, { "MS", N_("Former loss-of-capacity beneficiaries") },
  { "CC", N_("Revolutionary contributors") }, { "CK", N_("Persons with revolutionary merit") },
  { "CB", N_("Veterans") }, { "KC", N_("Resistance participants") },
  { "HD", N_("People's deputies") }, { "TE", N_("Children under 6") },
  { "BT", N_("Social-protection allowance") }, { "HN", N_("Poor households") },
  { "DT", N_("Ethnic minorities in hardship areas") }, { "DK", N_("Extreme-hardship areas") },
  { "XD", N_("Island communes") }, { "TS", N_("Relatives of martyrs") },
  { "TC", N_("Relatives of persons with merit") }, { "TQ", N_("Relatives of military") },
  { "TA", N_("Relatives of police") }, { "TY", N_("Relatives of cipher staff") },
  { "HG", N_("Organ donors") }, { "LS", N_("Foreign scholarship students") },
  { "PV", N_("Carers of persons with merit") }, { "CN", N_("Near-poor households") },
  { "HS", N_("Pupils") }, { "SV", N_("Students") }, { "GB", N_("Middle-income farming households") },
  { "GD", N_("Household-based participants") },
};

const char *hicov_group_label(const char *code)
{
  if (!code)
    return NULL;
  for (size_t i = 0; i < sizeof group_labels / sizeof group_labels[0]; i++)
    if (!strcmp(group_labels[i].code, code))
      return group_labels[i].label;
  return NULL;
}

const char *hicov_group_label_lang(const char *code, const char *lang)
{
  const char *en = hicov_group_label(code);
  return en ? hicov_text(lang, en) : NULL;
}

static const char *const level_names[] = { "country", "province", "district",
                                            "commune", "facility" };
static const char *const tier_names[] = { "", "commune", "district",
                                          "province", "central" };

const char *hicov_level_name(int level)
{
  return level >= 0 && level <= HICOV_LEVEL_FACILITY ? level_names[level] : NULL;
}

int hicov_level_parse(const char *name)
{
  for (int i = 0; name && i <= HICOV_LEVEL_FACILITY; i++)
    if (!strcmp(level_names[i], name))
      return i;
  return -1;
}

const char *hicov_tier_name(int tier)
{
  return tier >= 0 && tier <= HICOV_TIER_CENTRAL ? tier_names[tier] : NULL;
}

int hicov_tier_parse(const char *name)
{
  for (int i = 1; i <= HICOV_TIER_CENTRAL; i++)
    if (!strcmp(tier_names[i], name))
      return i;
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Handle, errors                                                            */

int hicov_dataset_new(HicovDataset **out)
{
  if (!out)
    return HICOV_INVALID;
  HicovDataset *ds = hicov_calloc(1, sizeof *ds);
  if (!ds)
    return HICOV_NOMEM;
  /* group 0 is "all groups", source 0 is "none" */
  ds->groups = hicov_calloc(8, sizeof(char *));
  ds->sources = hicov_calloc(8, sizeof(char *));
  if (ds->groups && (ds->groups[0] = hicov_strdup("")))
    ds->n_groups = 1;
  if (ds->sources && (ds->sources[0] = hicov_strdup("")))
    ds->n_sources = 1;
  if (!ds->n_groups || !ds->n_sources) {
    hicov_dataset_free(ds);
    return HICOV_NOMEM;
  }
  ds->cap_groups = ds->cap_sources = 8;
  ds->fund_share_bp = 9000;
  *out = ds;
  return HICOV_OK;
}

void hicov_unit_clear(HicovUnitRec *u)
{
  hicov_free(u->code);
  hicov_free(u->name);
  hicov_free(u->parent_code);
  hicov_free(u->successor_code);
  hicov_free(u->children);
  hicov_free(u->merged);
  hicov_free(u->split_in);
  hicov_free(u->fosters);
}

static void rejects_truncate(HicovDataset *ds, size_t n)
{
  for (size_t i = n; i < ds->n_rejects; i++) {
    hicov_free(ds->rejects[i].file);
    hicov_free(ds->rejects[i].field);
    hicov_free(ds->rejects[i].message);
    hicov_free(ds->rejects[i].reason);
  }
  ds->n_rejects = n < ds->n_rejects ? n : ds->n_rejects;
}

void hicov_dataset_free(HicovDataset *ds)
{
  if (!ds)
    return;
  for (size_t i = 0; i < ds->n_units; i++)
    hicov_unit_clear(&ds->units[i]);
  hicov_free(ds->units);
  hicov_free(ds->unit_hash);
  hicov_free(ds->obs);
  hicov_free(ds->obs_hash);
  hicov_free(ds->obs_unit_start);
  for (size_t i = 0; i < ds->n_groups; i++)
    hicov_free(ds->groups[i]);
  hicov_free(ds->groups);
  hicov_str_index_free(&ds->group_index);
  hicov_free(ds->group_order);
  for (size_t i = 0; i < ds->n_sources; i++)
    hicov_free(ds->sources[i]);
  hicov_free(ds->sources);
  hicov_str_index_free(&ds->source_index);
  if (ds->free_resolutions)
    ds->free_resolutions(ds);
  hicov_free(ds->splits);
  rejects_truncate(ds, 0);
  hicov_free(ds->rejects);
  hicov_dataset_changed(ds);
  hicov_free(ds);
}

void hicov_dataset_changed(HicovDataset *ds)
{
  hicov_free(ds->quality_memo);
  ds->quality_memo = NULL;
  hicov_memo_clear(ds); /* a memo switched off stays off */
}

const char *hicov_dataset_errmsg(const HicovDataset *ds)
{
  return ds ? ds->errmsg : T_(NULL, "no dataset");
}

int hicov_dataset_set_lang(HicovDataset *ds, const char *lang)
{
  if (!ds)
    return HICOV_INVALID;
  ds->lang = lang ? hicov_text_lang(lang) : NULL;
  return HICOV_OK;
}

/* One scope per thread: the dataset it is for and its language. */
static _Thread_local HicovLangScope lang_scope;

const char *hicov_ds_lang(const HicovDataset *ds)
{
  return lang_scope.ds == ds ? lang_scope.lang : ds->lang;
}

void hicov_lang_push(const HicovDataset *ds, const char *lang,
                     HicovLangScope *saved)
{
  *saved = lang_scope;
  lang_scope.ds = ds;
  lang_scope.lang = lang ? hicov_text_lang(lang) : NULL;
}

void hicov_lang_pop(const HicovLangScope *saved)
{
  lang_scope = *saved;
}

const char *hicov_dataset_lang(const HicovDataset *ds)
{
  return ds ? hicov_ds_lang(ds) : NULL;
}

void hicov_dataset_error_location(const HicovDataset *ds, const char **file,
                                  long *line, int *column, const char **field)
{
  if (file)
    *file = ds ? ds->errfile : "";
  if (line)
    *line = ds ? ds->errline : 0;
  if (column)
    *column = ds ? ds->errcol : 0;
  if (field)
    *field = ds ? ds->errfield : "";
}

void hicov_clear_error(HicovDataset *ds)
{
  ds->errmsg[0] = ds->errfile[0] = ds->errfield[0] = '\0';
  ds->errline = 0;
  ds->errcol = 0;
}

int hicov_set_error(HicovDataset *ds, int status, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(ds->errmsg, sizeof ds->errmsg, fmt, ap) >=
      (int)sizeof ds->errmsg)
    hicov_utf8_trim(ds->errmsg);
  va_end(ap);
  return status;
}

void hicov_dataset_load_stats(const HicovDataset *ds, HicovLoadStats *out)
{
  if (ds && out)
    *out = ds->stats;
}

size_t hicov_dataset_rejection_count(const HicovDataset *ds)
{
  return ds ? ds->n_rejects : 0;
}

int hicov_dataset_rejection(const HicovDataset *ds, size_t i,
                            HicovRejection *out)
{
  if (!ds || !out || i >= ds->n_rejects)
    return HICOV_INVALID;
  const HicovRejectRec *r = &ds->rejects[i];
  out->file = r->file;
  out->line = r->line;
  out->column = r->column;
  out->field = r->field;
  out->message = r->message;
  out->reason = r->reason;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Hashing                                                                   */

static uint64_t hash_bytes(const void *data, size_t n)
{
  /* FNV-1a, then a final mix: keys are short codes and small integers. */
  const unsigned char *p = data;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

int hicov_unit_hash_rebuild(HicovDataset *ds, size_t need)
{
  size_t cap = 64;
  while (cap < need * 2)
    cap *= 2;
  uint32_t *h = hicov_calloc(cap, sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < ds->n_units; i++) {
    const char *c = ds->units[i].code;
    size_t k = hash_bytes(c, strlen(c)) & (cap - 1);
    while (h[k])
      k = (k + 1) & (cap - 1);
    h[k] = (uint32_t)(i + 1);
  }
  hicov_free(ds->unit_hash);
  ds->unit_hash = h;
  ds->hash_cap = cap;
  return HICOV_OK;
}

long hicov_unit_index(const HicovDataset *ds, const char *code)
{
  if (!ds || !code || !ds->unit_hash)
    return -1;
  size_t k = hash_bytes(code, strlen(code)) & (ds->hash_cap - 1);
  while (ds->unit_hash[k]) {
    size_t i = ds->unit_hash[k] - 1;
    if (!strcmp(ds->units[i].code, code))
      return (long)i;
    k = (k + 1) & (ds->hash_cap - 1);
  }
  return -1;
}

typedef struct {
  uint32_t unit;
  uint16_t measure, group;
  int32_t first, last;
} ObsKey;

static uint64_t mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* The observation key packed into two words; sorting by (k1, k2) is the
 * order of hicov_obs_cmp (months are positive, so unsigned order is
 * right). */
static inline uint64_t obs_k1(const HicovObs *o)
{
  return (uint64_t)o->unit << 32 | (uint64_t)o->measure << 16 | o->group;
}

static inline uint64_t obs_k2(const HicovObs *o)
{
  return (uint64_t)(uint32_t)o->last << 32 | (uint32_t)o->first;
}

static uint64_t obs_key_hash(const HicovObs *o)
{
  return mix64(obs_k1(o) * 0x9E3779B97F4A7C15ULL ^ obs_k2(o));
}

static int obs_same_key(const HicovObs *a, const HicovObs *b)
{
  return a->unit == b->unit && a->measure == b->measure &&
         a->group == b->group && a->first == b->first && a->last == b->last;
}

int hicov_obs_hash_rebuild(HicovDataset *ds, size_t need)
{
  size_t cap = 1024;
  while (cap < need * 2)
    cap *= 2;
  uint32_t *h = hicov_calloc(cap, sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < ds->n_obs; i++) {
    size_t k = obs_key_hash(&ds->obs[i]) & (cap - 1);
    while (h[k])
      k = (k + 1) & (cap - 1);
    h[k] = (uint32_t)(i + 1);
  }
  hicov_free(ds->obs_hash);
  ds->obs_hash = h;
  ds->obs_hash_cap = cap;
  ds->obs_hash_stale = 0;
  return HICOV_OK;
}

/* Index of an observation with the same key, or -1. */
static long obs_find_dup(const HicovDataset *ds, const HicovObs *o)
{
  if (!ds->obs_hash)
    return -1;
  size_t k = obs_key_hash(o) & (ds->obs_hash_cap - 1);
  while (ds->obs_hash[k]) {
    size_t i = ds->obs_hash[k] - 1;
    if (obs_same_key(&ds->obs[i], o))
      return (long)i;
    k = (k + 1) & (ds->obs_hash_cap - 1);
  }
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Units                                                                     */

/* The first day of month index m as yyyymmdd; 0 for none. */
static int month_day(int m)
{
  return m > 0 ? (m / 12) * 10000 + (m % 12 + 1) * 100 + 1 : 0;
}

void hicov_date_text(int date, int month, char *buf, size_t size)
{
  if (!date)
    date = month_day(month);
  hicov_fmt(buf, size, "%04d-%02d-%02d", date / 10000, date / 100 % 100,
            date % 100);
}

const char *hicov_unit_text(const HicovDataset *ds, size_t u, char *buf,
                            size_t size)
{
  const HicovUnitRec *r = &ds->units[u];
  if (r->name && r->name[0])
    hicov_fmt(buf, size, "%s (%s)", r->name, r->code);
  else
    hicov_fmt(buf, size, "%s", r->code);
  return buf;
}

int hicov_dataset_add_unit(HicovDataset *ds, const HicovUnit *unit)
{
  if (!ds || !unit || !unit->code || !unit->code[0] || !unit->name)
    return HICOV_INVALID;
  if (unit->level < HICOV_LEVEL_COUNTRY || unit->level > HICOV_LEVEL_FACILITY)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "unit %s: invalid level %d"),
                           unit->code, unit->level);
  if (hicov_unit_index(ds, unit->code) >= 0)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "unit %s is defined twice"),
                           unit->code);
  if (ds->n_units >= UINT32_MAX - 1)
    return HICOV_LIMIT;
  if (hicov_grow((void **)&ds->units, &ds->cap_units, ds->n_units + 1,
                 sizeof *ds->units))
    return HICOV_NOMEM;
  HicovUnitRec *u = &ds->units[ds->n_units];
  memset(u, 0, sizeof *u);
  u->code = hicov_strdup(unit->code);
  u->name = hicov_strdup(unit->name);
  u->parent_code = unit->parent && unit->parent[0] ? hicov_strdup(unit->parent) : NULL;
  u->successor_code = unit->successor && unit->successor[0] ? hicov_strdup(unit->successor) : NULL;
  if (!u->code || !u->name || (unit->parent && unit->parent[0] && !u->parent_code) ||
      (unit->successor && unit->successor[0] && !u->successor_code)) {
    hicov_unit_clear(u);
    return HICOV_NOMEM;
  }
  u->level = unit->level;
  u->tier = unit->tier;
  u->valid_to = unit->valid_to;
  u->valid_from = unit->valid_from;
  u->to_date = month_day(unit->valid_to);
  u->from_date = month_day(unit->valid_from);
  u->synthetic = unit->synthetic;
  u->parent = u->successor = -1;
  ds->n_units++;
  if (ds->n_units * 2 > ds->hash_cap) {
    if (hicov_unit_hash_rebuild(ds, ds->n_units)) {
      ds->n_units--;
      hicov_unit_clear(u);
      return HICOV_NOMEM;
    }
  } else {
    size_t k = hash_bytes(u->code, strlen(u->code)) & (ds->hash_cap - 1);
    while (ds->unit_hash[k])
      k = (k + 1) & (ds->hash_cap - 1);
    ds->unit_hash[k] = (uint32_t)ds->n_units;
  }
  ds->tree_built = 0;
  hicov_dataset_changed(ds);
  return HICOV_OK;
}

size_t hicov_dataset_unit_count(const HicovDataset *ds)
{
  return ds ? ds->n_units : 0;
}

int hicov_dataset_unit(const HicovDataset *ds, size_t i, HicovUnit *out)
{
  if (!ds || !out || i >= ds->n_units)
    return HICOV_INVALID;
  const HicovUnitRec *u = &ds->units[i];
  out->code = u->code;
  out->name = u->name;
  out->parent = u->parent_code;
  out->level = u->level;
  out->tier = u->tier;
  out->valid_to = u->valid_to;
  out->successor = u->successor_code;
  out->synthetic = u->synthetic;
  out->valid_from = u->valid_from;
  return HICOV_OK;
}

int hicov_dataset_find_unit(const HicovDataset *ds, const char *code,
                            size_t *index)
{
  long i = hicov_unit_index(ds, code);
  if (i < 0)
    return HICOV_NOTFOUND;
  if (index)
    *index = (size_t)i;
  return HICOV_OK;
}

int hicov_unit_exists_in(const HicovUnitRec *u, int first, int last)
{
  (void)first;
  return (u->valid_from == 0 || last >= u->valid_from) &&
         (u->valid_to == 0 || last < u->valid_to);
}

/* Sorting unit indexes by name, in Vietnamese order (collate.c; the code
 * breaks ties), without a global qsort context, so that datasets in
 * different threads never share state.  Each name's key is made once, into
 * one buffer: 10,000 names sort in about 3 ms (tests/c/test-collate.c). */
typedef struct {
  const unsigned char *key;
  size_t off, len;
  const char *code;
  size_t index;
} NameKey;

static int cmp_name_key(const void *a, const void *b)
{
  const NameKey *x = a, *y = b;
  int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
  if (!c && x->len != y->len)
    c = x->len < y->len ? -1 : 1;
  return c ? c : strcmp(x->code, y->code);
}

static int sort_by_name(const HicovDataset *ds, size_t *idx, size_t n)
{
  if (n < 2)
    return HICOV_OK;
  NameKey *keys = hicov_malloc(n * sizeof *keys);
  unsigned char *arena = NULL;
  size_t cap = 0, used = 0;
  for (size_t i = 0; i < n; i++) /* a key is about 4 bytes a byte */
    cap += 4 * strlen(ds->units[idx[i]].name) + 4;
  if (!keys || !(arena = hicov_malloc(cap))) {
    hicov_free(keys);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    const char *name = ds->units[idx[i]].name;
    size_t len = hicov_collate_key(name, arena + used, cap - used);
    if (len >= cap - used) {
      if (hicov_grow((void **)&arena, &cap, used + len + 1, 1) != HICOV_OK) {
        hicov_free(arena);
        hicov_free(keys);
        return HICOV_NOMEM;
      }
      hicov_collate_key(name, arena + used, cap - used);
    }
    keys[i].off = used;
    keys[i].len = len;
    keys[i].code = ds->units[idx[i]].code;
    keys[i].index = idx[i];
    used += len;
  }
  for (size_t i = 0; i < n; i++)
    keys[i].key = arena + keys[i].off;
  qsort(keys, n, sizeof *keys, cmp_name_key);
  for (size_t i = 0; i < n; i++)
    idx[i] = keys[i].index;
  hicov_free(arena);
  hicov_free(keys);
  return HICOV_OK;
}

static int split_away(const HicovDataset *ds, size_t x)
{
  for (size_t k = 0; k < ds->n_splits; k++)
    if (ds->splits[k].old_unit == x)
      return 1;
  return 0;
}

/* One step of hicov_facility_holder from x, which does not exist at the
 * end of [first, last]: the unit to look at next, x itself when x is
 * summed as a part of its successor or of the units it was divided
 * between, or -1. */
static long holder_step(const HicovDataset *ds, size_t x, int first, int last)
{
  const HicovUnitRec *u = &ds->units[x];
  if (u->valid_to && last >= u->valid_to) {
    int divided = u->successor < 0 && split_away(ds, x);
    if (first < u->valid_to && (u->successor >= 0 || divided))
      return (long)x;
    if (u->successor >= 0)
      return u->successor;
  }
  return u->parent;
}

long hicov_facility_holder(const HicovDataset *ds, size_t f, int first,
                           int last)
{
  long x = ds->units[f].parent;
  for (int depth = 0; x >= 0 && depth < 64; depth++) {
    if (hicov_unit_exists_in(&ds->units[x], first, last))
      return x;
    long next = holder_step(ds, (size_t)x, first, last);
    if (next == x)
      return x;
    x = next;
  }
  return -1;
}

/* The units other than facility f's parent that hold f in some period
 * (the successors and ancestors hicov_facility_holder can reach), each
 * given f as a foster.  Only units with dates lead on. */
static int add_fosters(HicovDataset *ds, size_t f, size_t **pairs,
                       size_t *n_pairs, size_t *cap_pairs)
{
  long start = ds->units[f].parent;
  if (start < 0)
    return HICOV_OK;
  long seen[64];
  size_t n_seen = 0, head = 0;
  seen[n_seen++] = start;
  while (head < n_seen) {
    const HicovUnitRec *u = &ds->units[seen[head++]];
    if (!u->valid_to && !u->valid_from)
      continue; /* exists in every period: holds what reaches it */
    long next[2] = { u->valid_to ? u->successor : -1, u->parent };
    for (int k = 0; k < 2; k++) {
      int known = next[k] < 0;
      for (size_t j = 0; j < n_seen && !known; j++)
        known = seen[j] == next[k];
      if (known || n_seen == sizeof seen / sizeof seen[0])
        continue;
      seen[n_seen++] = next[k];
      if (hicov_grow((void **)pairs, cap_pairs, *n_pairs + 2, sizeof **pairs))
        return HICOV_NOMEM;
      (*pairs)[(*n_pairs)++] = (size_t)next[k];
      (*pairs)[(*n_pairs)++] = f;
    }
  }
  return HICOV_OK;
}

static int build_fosters(HicovDataset *ds)
{
  size_t *pairs = NULL, n_pairs = 0, cap_pairs = 0;
  int rc = HICOV_OK;
  for (size_t i = 0; i < ds->n_units && rc == HICOV_OK; i++)
    if (ds->units[i].level == HICOV_LEVEL_FACILITY)
      rc = add_fosters(ds, i, &pairs, &n_pairs, &cap_pairs);
  for (size_t k = 0; k < n_pairs && rc == HICOV_OK; k += 2)
    ds->units[pairs[k]].n_fosters++;
  for (size_t i = 0; i < ds->n_units && rc == HICOV_OK; i++) {
    HicovUnitRec *u = &ds->units[i];
    if (u->n_fosters && !(u->fosters = hicov_malloc(u->n_fosters * sizeof(size_t))))
      rc = HICOV_NOMEM;
    u->n_fosters = 0;
  }
  for (size_t k = 0; k < n_pairs && rc == HICOV_OK; k += 2) {
    HicovUnitRec *u = &ds->units[pairs[k]];
    u->fosters[u->n_fosters++] = pairs[k + 1];
  }
  for (size_t i = 0; i < ds->n_units && rc == HICOV_OK; i++)
    rc = sort_by_name(ds, ds->units[i].fosters, ds->units[i].n_fosters);
  hicov_free(pairs);
  return rc;
}

/* Marks the units above each facility, and above the units holding one
 * as a foster, as having a facility below. */
static void mark_facilities(HicovDataset *ds)
{
  for (size_t i = 0; i < ds->n_units; i++) {
    const HicovUnitRec *u = &ds->units[i];
    long x = u->level == HICOV_LEVEL_FACILITY ? u->parent
             : u->n_fosters ? (long)i : -1;
    /* a parent loop (refused by the loader) ends at the first marked unit */
    while (x >= 0 && !ds->units[x].facility_below) {
      ds->units[x].facility_below = 1;
      x = ds->units[x].parent;
    }
  }
}

static int build_tree(HicovDataset *ds)
{
  for (size_t i = 0; i < ds->n_units; i++) {
    HicovUnitRec *u = &ds->units[i];
    hicov_free(u->children);
    hicov_free(u->merged);
    hicov_free(u->split_in);
    hicov_free(u->fosters);
    u->children = u->merged = u->split_in = u->fosters = NULL;
    u->n_children = u->n_merged = u->n_split_in = u->n_fosters = 0;
    u->facility_below = 0;
    u->parent = u->parent_code ? hicov_unit_index(ds, u->parent_code) : -1;
    u->successor = u->successor_code ? hicov_unit_index(ds, u->successor_code) : -1;
  }
  /* Count, allocate, fill. */
  size_t *nc = hicov_calloc(ds->n_units ? ds->n_units : 1, sizeof *nc);
  size_t *nm = hicov_calloc(ds->n_units ? ds->n_units : 1, sizeof *nm);
  size_t *ns = hicov_calloc(ds->n_units ? ds->n_units : 1, sizeof *ns);
  if (!nc || !nm || !ns) {
    hicov_free(nc);
    hicov_free(nm);
    hicov_free(ns);
    return HICOV_NOMEM;
  }
  for (size_t k = 0; k < ds->n_splits; k++)
    ns[ds->splits[k].new_unit]++;
  for (size_t i = 0; i < ds->n_units; i++) {
    if (ds->units[i].parent >= 0)
      nc[ds->units[i].parent]++;
    if (ds->units[i].successor >= 0)
      nm[ds->units[i].successor]++;
  }
  int rc = HICOV_OK;
  for (size_t i = 0; i < ds->n_units && rc == HICOV_OK; i++) {
    if (nc[i] && !(ds->units[i].children = hicov_malloc(nc[i] * sizeof(size_t))))
      rc = HICOV_NOMEM;
    if (nm[i] && !(ds->units[i].merged = hicov_malloc(nm[i] * sizeof(size_t))))
      rc = HICOV_NOMEM;
    if (ns[i] && !(ds->units[i].split_in = hicov_malloc(ns[i] * sizeof(size_t))))
      rc = HICOV_NOMEM;
  }
  if (rc == HICOV_OK) {
    for (size_t i = 0; i < ds->n_units; i++) {
      long p = ds->units[i].parent, s = ds->units[i].successor;
      if (p >= 0)
        ds->units[p].children[ds->units[p].n_children++] = i;
      if (s >= 0)
        ds->units[s].merged[ds->units[s].n_merged++] = i;
    }
    for (size_t k = 0; k < ds->n_splits; k++) {
      HicovUnitRec *n = &ds->units[ds->splits[k].new_unit];
      n->split_in[n->n_split_in++] = k;
    }
    for (size_t i = 0; i < ds->n_units && rc == HICOV_OK; i++)
      rc = sort_by_name(ds, ds->units[i].children, ds->units[i].n_children);
  }
  if (rc == HICOV_OK)
    rc = build_fosters(ds);
  if (rc == HICOV_OK)
    mark_facilities(ds);
  hicov_free(nc);
  hicov_free(nm);
  hicov_free(ns);
  return rc;
}

typedef struct {
  uint64_t k1, k2;
  uint32_t idx;
} SortPair;

static inline int pair_less(const SortPair *a, const SortPair *b)
{
  return a->k1 < b->k1 || (a->k1 == b->k1 && a->k2 < b->k2);
}

static void pair_insertion(SortPair *v, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    SortPair x = v[i];
    size_t j = i;
    while (j > 0 && pair_less(&x, &v[j - 1])) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
}

/* Quicksort with a median-of-three pivot, recursing into the smaller side
 * (so the stack stays O(log n)) and finishing small runs by insertion. The
 * comparison is inline: glibc's qsort spent most of the load here. */
static void pair_sort(SortPair *v, size_t n)
{
  while (n > 24) {
    size_t mid = n / 2;
    if (pair_less(&v[mid], &v[0])) { SortPair t = v[mid]; v[mid] = v[0]; v[0] = t; }
    if (pair_less(&v[n - 1], &v[0])) { SortPair t = v[n - 1]; v[n - 1] = v[0]; v[0] = t; }
    if (pair_less(&v[n - 1], &v[mid])) { SortPair t = v[n - 1]; v[n - 1] = v[mid]; v[mid] = t; }
    SortPair pivot = v[mid];
    size_t i = 0, j = n - 1;
    for (;;) {
      while (pair_less(&v[i], &pivot))
        i++;
      while (pair_less(&pivot, &v[j]))
        j--;
      if (i >= j)
        break;
      SortPair t = v[i]; v[i] = v[j]; v[j] = t;
      i++;
      j--;
    }
    size_t left = j + 1; /* [0, j] and [j + 1, n) */
    if (left < n - left) {
      pair_sort(v, left);
      v += left;
      n -= left;
    } else {
      pair_sort(v + left, n - left);
      n = left;
    }
  }
  pair_insertion(v, n);
}

/* Sorts the observations by their packed key, then permutes the records
 * once. Already sorted input (a file written in key order) costs a pass. */
static int sort_obs(HicovDataset *ds)
{
  size_t n = ds->n_obs;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++)
    sorted = hicov_obs_cmp(&ds->obs[i - 1], &ds->obs[i]) <= 0;
  if (sorted)
    return HICOV_OK;
  SortPair *pairs = hicov_malloc(n * sizeof *pairs);
  HicovObs *out = pairs ? hicov_malloc(n * sizeof *out) : NULL;
  if (!pairs || !out) {
    hicov_free(pairs);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    pairs[i].k1 = obs_k1(&ds->obs[i]);
    pairs[i].k2 = obs_k2(&ds->obs[i]);
    pairs[i].idx = (uint32_t)i;
  }
  pair_sort(pairs, n);
  for (size_t i = 0; i < n; i++)
    out[i] = ds->obs[pairs[i].idx];
  hicov_free(pairs);
  hicov_free(ds->obs);
  ds->obs = out;
  ds->cap_obs = n;
  return HICOV_OK;
}

/* Where each unit's observations of each measure start in the sorted
 * array (sorted by unit, then measure): obs_range then finds a series
 * with at most a search over its groups, not two over the whole array or
 * the unit's every measure.  A total over the country takes one series
 * per commune, so this is its inner loop. */
static int index_obs(HicovDataset *ds)
{
  size_t n = ds->n_units, keys = n * HICOV_M_COUNT;
  size_t *start = hicov_realloc(ds->obs_unit_start, (keys + 1) * sizeof *start);
  if (!start)
    return HICOV_NOMEM;
  ds->obs_unit_start = start;
  size_t o = 0;
  for (size_t k = 0; k <= keys; k++) {
    while (o < ds->n_obs &&
           (size_t)ds->obs[o].unit * HICOV_M_COUNT + ds->obs[o].measure < k)
      o++;
    start[k] = o;
  }
  ds->obs_unit_n = n;
  ds->obs_index_ok = 1;
  return HICOV_OK;
}

int hicov_dataset_prepare(HicovDataset *ds)
{
  /* Every change calls hicov_dataset_changed, which forgets the totals
     kept; a change that unsets one of these and missed it is caught here
     as well.  Never true while queries run at once. */
  if (!ds->tree_built || !ds->obs_sorted || !ds->obs_index_ok)
    hicov_memo_clear(ds);
  if (!ds->tree_built) {
    int rc = build_tree(ds);
    if (rc)
      return rc;
    ds->tree_built = 1;
  }
  if (!ds->obs_sorted) {
    if (ds->n_obs > 1 && sort_obs(ds))
      return HICOV_NOMEM;
    /* indexes in the hash are stale after sorting: rebuilt on the next
       insertion, which is the only user of the hash */
    ds->obs_hash_stale = 1;
    ds->obs_sorted = 1;
    ds->obs_index_ok = 0;
  }
  if (!ds->obs_index_ok && index_obs(ds))
    return HICOV_NOMEM;
  return HICOV_OK;
}

static void sort_groups(HicovDataset *ds);

int hicov_dataset_prepare_queries(HicovDataset *ds)
{
  if (!ds)
    return HICOV_INVALID;
  int rc = hicov_dataset_prepare(ds);
  if (!rc)
    sort_groups(ds);
  return rc;
}

/* Is unit i a descendant of (or equal to) ancestor a, following parents? */
static int is_below(const HicovDataset *ds, size_t i, long a)
{
  for (int depth = 0; depth < 64 && (long)i >= 0; depth++) {
    if ((long)i == a)
      return 1;
    long p = ds->units[i].parent;
    if (p < 0)
      return 0;
    i = (size_t)p;
  }
  return 0;
}

/* Is unit i below (or equal to) a in period p?  A facility is where its
 * totals count it (hicov_facility_holder): under the unit that holds it
 * then, or under the successor of a parent that ended during p. */
static int unit_below_in(const HicovDataset *ds, size_t i, long a,
                         const HicovPeriod *p)
{
  if (!p || ds->units[i].level != HICOV_LEVEL_FACILITY)
    return is_below(ds, i, a);
  long h = hicov_facility_holder(ds, i, p->first, p->last);
  for (int depth = 0; h >= 0 && depth < 64 &&
       !hicov_unit_exists_in(&ds->units[h], p->first, p->last) &&
       ds->units[h].successor >= 0; depth++)
    h = ds->units[h].successor;
  return h >= 0 && ((long)i == a || is_below(ds, (size_t)h, a));
}

int hicov_dataset_units_at(const HicovDataset *cds, int level,
                           const char *parent, const HicovPeriod *period,
                           size_t **out, size_t *n)
{
  HicovDataset *ds = (HicovDataset *)cds;
  if (!ds || !out || !n)
    return HICOV_INVALID;
  *out = NULL;
  *n = 0;
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  long pi = -1;
  if (parent && parent[0]) {
    pi = hicov_unit_index(ds, parent);
    if (pi < 0)
      return hicov_set_error(ds, HICOV_NOTFOUND,
                             T_(hicov_ds_lang(ds), "unknown unit '%s'"), parent);
  }
  size_t cnt = 0, *idx = NULL;
  if (ds->n_units && !(idx = hicov_malloc(ds->n_units * sizeof *idx)))
    return HICOV_NOMEM;
  for (size_t i = 0; i < ds->n_units; i++) {
    const HicovUnitRec *u = &ds->units[i];
    if (u->level != level || (long)i == pi)
      continue;
    if (period && !hicov_unit_exists_in(u, period->first, period->last))
      continue;
    if (pi >= 0 && !unit_below_in(ds, i, pi, period))
      continue;
    idx[cnt++] = i;
  }
  if (!cnt) {
    hicov_free(idx);
    return HICOV_OK;
  }
  if ((rc = sort_by_name(ds, idx, cnt))) {
    hicov_free(idx);
    return rc;
  }
  *out = idx;
  *n = cnt;
  return HICOV_OK;
}

int hicov_dataset_children(const HicovDataset *cds, const char *parent,
                           const HicovPeriod *period, size_t **out, size_t *n)
{
  HicovDataset *ds = (HicovDataset *)cds;
  if (!ds || !out || !n)
    return HICOV_INVALID;
  *out = NULL;
  *n = 0;
  int rc = hicov_dataset_prepare(ds);
  if (rc)
    return rc;
  size_t cnt = 0, *idx = NULL;
  if (ds->n_units && !(idx = hicov_malloc(ds->n_units * sizeof *idx)))
    return HICOV_NOMEM;
  if (parent && parent[0]) {
    long pi = hicov_unit_index(ds, parent);
    if (pi < 0) {
      hicov_free(idx);
      return hicov_set_error(ds, HICOV_NOTFOUND,
                             T_(hicov_ds_lang(ds), "unknown unit '%s'"), parent);
    }
    const HicovUnitRec *p = &ds->units[pi];
    for (size_t k = 0; k < p->n_children; k++) {
      const HicovUnitRec *u = &ds->units[p->children[k]];
      if (!period || hicov_unit_exists_in(u, period->first, period->last))
        idx[cnt++] = p->children[k];
    }
  } else {
    for (size_t i = 0; i < ds->n_units; i++) {
      const HicovUnitRec *u = &ds->units[i];
      if (u->parent < 0 && (!period || hicov_unit_exists_in(u, period->first, period->last)))
        idx[cnt++] = i;
    }
    if ((rc = sort_by_name(ds, idx, cnt))) {
      hicov_free(idx);
      return rc;
    }
  }
  if (!cnt) {
    hicov_free(idx);
    return HICOV_OK;
  }
  *out = idx;
  *n = cnt;
  return HICOV_OK;
}

/* ------------------------------------------------------------------------ */
/* Observations                                                              */

int hicov_source_intern(HicovDataset *ds, const char *s)
{
  long i = hicov_str_intern(&ds->source_index, &ds->sources, &ds->n_sources,
                            &ds->cap_sources, s, 4096);
  return i == -2 ? 0 : (int)i;
}

/* Drops the interned strings from index keep on (an undone addition),
 * the last added first, their slots emptied.  That leaves no hole in a
 * probe chain: a string's chain runs over slots taken by strings added
 * before it (a rebuild adds them in index order too), and the strings
 * added after it go first.  Nothing is allocated (a rollback undoes a
 * failure for memory). */
static void intern_truncate(char **arr, size_t *n, HicovStrIndex *x,
                            size_t keep)
{
  while (*n > keep) {
    char *s = arr[*n - 1];
    if (x->cap)
      x->slot[hicov_str_index_slot(x, (const char *const *)arr, s)] = 0;
    hicov_free(s);
    --*n;
  }
}

/* Drops groups added since a mark; the sorted order is rebuilt on demand. */
static void groups_truncate(HicovDataset *ds, size_t keep)
{
  if (ds->n_groups <= keep)
    return;
  intern_truncate(ds->groups, &ds->n_groups, &ds->group_index, keep);
  ds->n_group_order = (size_t)-1;
}

int hicov_group_index(const HicovDataset *ds, const char *code)
{
  if (!code || !code[0])
    return 0;
  return (int)hicov_str_index_find(&ds->group_index,
                                   (const char *const *)ds->groups, code);
}

/* Adds an observation; line is the CSV line (0 from the API). On a
 * duplicate returns HICOV_INVALID with *dup_line set. */
int hicov_add_obs(HicovDataset *ds, size_t unit, int measure,
                  const char *group, HicovPeriod p, int64_t centi,
                  const char *source, uint32_t line, long *dup_line)
{
  int g = 0;
  /* a group or source interned for a row that is then refused is dropped
     again, so that a rejected row leaves no trace */
  size_t groups_before = ds->n_groups, sources_before = ds->n_sources;
  int rc = HICOV_OK;
  if (group && group[0]) {
    g = (int)hicov_str_intern(&ds->group_index, &ds->groups, &ds->n_groups,
                              &ds->cap_groups, group, 65000);
    if (g == -1)
      return HICOV_NOMEM;
    if (g == -2)
      return HICOV_LIMIT;
  }
  int s = 0;
  if (source && source[0]) {
    /* a dataset has few sources; beyond 4096 we stop recording them */
    s = hicov_source_intern(ds, source);
    if (s == -1) {
      rc = HICOV_NOMEM;
      goto undo;
    }
  }
  HicovObs o;
  memset(&o, 0, sizeof o);
  o.unit = (uint32_t)unit;
  o.measure = (uint16_t)measure;
  o.group = (uint16_t)g;
  o.first = p.first;
  o.last = p.last;
  o.centi = centi;
  o.source = (uint32_t)s;
  o.line = line;
  if ((ds->obs_hash_stale || (ds->n_obs + 1) * 2 > ds->obs_hash_cap) &&
      hicov_obs_hash_rebuild(ds, ds->n_obs + 1)) {
    rc = HICOV_NOMEM;
    goto undo;
  }
  long d = obs_find_dup(ds, &o);
  if (d >= 0) {
    if (dup_line)
      *dup_line = ds->obs[d].line;
    rc = HICOV_INVALID;
    goto undo;
  }
  if (ds->n_obs >= UINT32_MAX - 1) {
    rc = HICOV_LIMIT;
    goto undo;
  }
  if (hicov_grow((void **)&ds->obs, &ds->cap_obs, ds->n_obs + 1, sizeof o)) {
    rc = HICOV_NOMEM;
    goto undo;
  }
  ds->obs[ds->n_obs] = o;
  size_t k = obs_key_hash(&o) & (ds->obs_hash_cap - 1);
  while (ds->obs_hash[k])
    k = (k + 1) & (ds->obs_hash_cap - 1);
  ds->obs_hash[k] = (uint32_t)(ds->n_obs + 1);
  ds->n_obs++;
  ds->obs_sorted = 0;
  hicov_dataset_changed(ds);
  return HICOV_OK;
undo:
  groups_truncate(ds, groups_before);
  intern_truncate(ds->sources, &ds->n_sources, &ds->source_index,
                  sources_before);
  return rc;
}

int hicov_dataset_add_value(HicovDataset *ds, const char *unit,
                            const char *measure, const char *group,
                            HicovPeriod period, int64_t centi,
                            const char *source)
{
  if (!ds || !unit || !measure)
    return HICOV_INVALID;
  hicov_clear_error(ds);
  long u = hicov_unit_index(ds, unit);
  if (u < 0)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown unit '%s'"), unit);
  int m = hicov_measure_find(measure);
  if (m < 0)
    return hicov_set_error(ds, HICOV_NOTFOUND,
                           T_(hicov_ds_lang(ds), "unknown measure '%s'"), measure);
  if (period.first > period.last || period.first < 1900 * 12)
    return hicov_set_error(ds, HICOV_INVALID, T_(hicov_ds_lang(ds), "invalid period"));
  if (centi < 0)
    return hicov_set_error(ds, HICOV_INVALID,
                           T_(hicov_ds_lang(ds), "%s for %s is negative"),
                           measure, unit);
  long dup = 0;
  int rc = hicov_add_obs(ds, (size_t)u, m, group, period, centi, source, 0, &dup);
  if (rc == HICOV_INVALID) {
    char pt[24];
    hicov_period_format(period, pt, sizeof pt);
    return hicov_set_error(ds, rc, T_(hicov_ds_lang(ds), "a value of %s for %s, "
                                      "%s%s%s is already set"),
                           measure, unit, pt,
                           group && group[0] ? T_(hicov_ds_lang(ds), ", group ") : "",
                           group && group[0] ? group : "");
  }
  if (rc)
    return hicov_set_error(ds, rc, "%s",
                           hicov_text(hicov_ds_lang(ds), hicov_status_string(rc)));
  return HICOV_OK;
}

int hicov_dataset_month_span(const HicovDataset *ds, int *first, int *last)
{
  if (!ds)
    return HICOV_INVALID;
  if (!ds->n_obs)
    return HICOV_MISSING;
  int f = INT32_MAX, l = INT32_MIN;
  for (size_t i = 0; i < ds->n_obs; i++) {
    if (ds->obs[i].first < f)
      f = ds->obs[i].first;
    if (ds->obs[i].last > l)
      l = ds->obs[i].last;
  }
  if (first)
    *first = f;
  if (last)
    *last = l;
  return HICOV_OK;
}

int hicov_dataset_finest_months(const HicovDataset *ds, int *months)
{
  if (!ds || !months)
    return HICOV_INVALID;
  *months = 0;
  if (!ds->n_obs)
    return HICOV_MISSING;
  int m = INT32_MAX;
  for (size_t i = 0; i < ds->n_obs && m > 1; i++) {
    int span = ds->obs[i].last - ds->obs[i].first + 1;
    if (span < m)
      m = span;
  }
  *months = m;
  return HICOV_OK;
}

static int cmp_group(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps group_order in step with the groups (alphabetical). */
static void sort_groups(HicovDataset *ds)
{
  size_t n = ds->n_groups - 1;
  if (ds->n_group_order == n)
    return;
  size_t *order = hicov_malloc((n ? n : 1) * sizeof *order);
  char **names = hicov_malloc((n ? n : 1) * sizeof *names);
  if (!order || !names) {
    /* without memory the first-seen order is still a valid answer */
    hicov_free(order);
    hicov_free(names);
    return;
  }
  for (size_t i = 0; i < n; i++)
    names[i] = ds->groups[i + 1];
  qsort(names, n, sizeof *names, cmp_group);
  for (size_t i = 0; i < n; i++)
    order[i] = (size_t)hicov_group_index(ds, names[i]);
  hicov_free(names);
  hicov_free(ds->group_order);
  ds->group_order = order;
  ds->n_group_order = n;
}

size_t hicov_dataset_group_count(const HicovDataset *ds)
{
  return ds ? ds->n_groups - 1 : 0;
}

const char *hicov_dataset_group(const HicovDataset *cds, size_t i)
{
  HicovDataset *ds = (HicovDataset *)cds;
  if (!ds || i + 1 >= ds->n_groups)
    return NULL;
  sort_groups(ds);
  if (ds->n_group_order == ds->n_groups - 1)
    return ds->groups[ds->group_order[i]];
  return ds->groups[i + 1];
}

/* ------------------------------------------------------------------------ */
/* Marks and rollback                                                        */

void hicov_dataset_mark(const HicovDataset *ds, HicovDatasetMark *m)
{
  m->n_groups = ds->n_groups;
  m->n_sources = ds->n_sources;
  m->n_units = ds->n_units;
  m->n_obs = ds->n_obs;
  m->n_rejects = ds->n_rejects;
  m->n_splits = ds->n_splits;
  m->stats = ds->stats;
}

void hicov_dataset_rollback(HicovDataset *ds, const HicovDatasetMark *m)
{
  int removed_units = ds->n_units > m->n_units ||
                      ds->n_splits > m->n_splits;
  int removed_obs = ds->n_obs > m->n_obs;
  hicov_dataset_changed(ds);
  if (ds->n_splits > m->n_splits)
    ds->n_splits = m->n_splits;
  for (size_t i = m->n_units; i < ds->n_units; i++)
    hicov_unit_clear(&ds->units[i]);
  ds->n_units = m->n_units;
  ds->n_obs = m->n_obs;
  groups_truncate(ds, m->n_groups);
  intern_truncate(ds->sources, &ds->n_sources, &ds->source_index,
                  m->n_sources);
  ds->stats = m->stats;
  rejects_truncate(ds, m->n_rejects);
  /* Nothing here may allocate: a rollback is how an out-of-memory failure
     is undone.  Units: the table keeps its size and is refilled with what
     is left.  Observations: the table is rebuilt on the next insertion,
     its only user. */
  if (removed_units && ds->unit_hash) {
    memset(ds->unit_hash, 0, ds->hash_cap * sizeof *ds->unit_hash);
    for (size_t i = 0; i < ds->n_units; i++) {
      const char *c = ds->units[i].code;
      size_t k = hash_bytes(c, strlen(c)) & (ds->hash_cap - 1);
      while (ds->unit_hash[k])
        k = (k + 1) & (ds->hash_cap - 1);
      ds->unit_hash[k] = (uint32_t)(i + 1);
    }
  }
  if (removed_units)
    ds->tree_built = 0;
  if (removed_obs) {
    ds->obs_hash_stale = 1;
    ds->obs_sorted = 0;
  }
}

/* ------------------------------------------------------------------------ */
/* Boundaries and splits                                                     */

int hicov_dataset_set_boundaries(HicovDataset *ds, int boundaries)
{
  if (!ds || (boundaries != HICOV_BOUNDARIES_TODAY &&
              boundaries != HICOV_BOUNDARIES_AS_PUBLISHED))
    return HICOV_INVALID;
  ds->boundaries = boundaries;
  hicov_dataset_changed(ds);
  return HICOV_OK;
}

int hicov_dataset_boundaries(const HicovDataset *ds)
{
  return ds ? ds->boundaries : HICOV_BOUNDARIES_TODAY;
}

const char *hicov_boundaries_name(int boundaries)
{
  switch (boundaries) {
  case HICOV_BOUNDARIES_TODAY: return "today";
  case HICOV_BOUNDARIES_AS_PUBLISHED: return "as-published";
  default: return NULL;
  }
}

int hicov_boundaries_parse(const char *name)
{
  if (!name)
    return -1;
  if (!strcmp(name, "today"))
    return HICOV_BOUNDARIES_TODAY;
  if (!strcmp(name, "as-published"))
    return HICOV_BOUNDARIES_AS_PUBLISHED;
  return -1;
}

const char *hicov_boundaries_label(int boundaries, const char *lang)
{
  switch (boundaries) {
  case HICOV_BOUNDARIES_TODAY: return T_(lang, "on today's boundaries");
  case HICOV_BOUNDARIES_AS_PUBLISHED: return T_(lang, "as published at the time");
  default: return NULL;
  }
}

int hicov_boundary_month(const HicovDataset *ds, int last)
{
  return ds->boundaries == HICOV_BOUNDARIES_AS_PUBLISHED ? -1 : last;
}

size_t hicov_dataset_split_count(const HicovDataset *ds)
{
  return ds ? ds->n_splits : 0;
}

int hicov_dataset_split(const HicovDataset *ds, size_t i, HicovSplit *out)
{
  if (!ds || !out || i >= ds->n_splits)
    return HICOV_INVALID;
  const HicovSplitRec *s = &ds->splits[i];
  out->old_unit = ds->units[s->old_unit].code;
  out->new_unit = ds->units[s->new_unit].code;
  out->share = (double)s->share_ppm / 1e6;
  out->month = s->month;
  out->basis = s->basis;
  return HICOV_OK;
}

const char *hicov_split_basis_name(int basis)
{
  static const char *const names[] = { "population", "participants", "area",
                                       "households" };
  return basis >= 0 && basis < 4 ? names[basis] : NULL;
}
