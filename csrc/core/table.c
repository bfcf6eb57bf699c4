/* table.c - the tabular model every spreadsheet export shows: units down
 * the rows (at a level below a parent, existing at the end of the period,
 * in Vietnamese alphabetical order), indicators across the columns, each
 * cell from hicov_indicator_value. Writers only format what is here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-data.h"
#include "report-private.h"
#include "vi-text.h"

typedef struct {
  char *code, *name, *parent;
  int level, synthetic, is_total;
} Row;

struct HicovTable {
  HicovPeriod period;
  int level;
  char *parent, *parent_name, *group;
  size_t nrows, ncols;
  Row *rows;
  const HicovIndicatorInfo **cols;
  char **headings[2];   /* [LANG_VI], [LANG_EN] per column */
  HicovResult *cells;   /* nrows x ncols */
  const char *lang;     /* of its messages: its dataset's */
};

/* Headings of a table whose Vietnamese differs from the core's label (the
 * msgid is the indicator's English label). */
static const struct { const char *name, *msgid; } table_labels[] = {
  { "card_checkins_ok", NC_("table heading", "Card check-ins succeeded") },
  { "patients_500m", NC_("table heading", "Patients with fund payments of "
                         "500 million VND or more") },
  { "patients_1b", NC_("table heading", "Patients with fund payments of 1 "
                       "billion VND or more") },
  { "participants_change", NC_("table heading", "Change in participants") },
  { "coverage_change", NC_("table heading", "Change in coverage") },
  { "cost_growth_volume", NC_("table heading", "Cost growth due to volume") },
  { "cost_growth_price", NC_("table heading", "Cost growth due to cost per "
                             "visit") },
};

const char *report_unit_word(const char *unit, const char *lang)
{
  static const char *const units[] = {
    NC_("unit of measure", "points"), NC_("unit of measure", "people"),
    NC_("unit of measure", "VND"), NC_("unit of measure", "visits"),
    NC_("unit of measure", "days"), NC_("unit of measure", "check-ins"),
    NC_("unit of measure", "findings"),
  };
  for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++)
    if (!strcmp(unit, strchr(units[i], '\004') + 1))
      return hicov_text(lang, units[i]);
  return unit;
}

static const char *unit_text(const char *unit, int lang)
{
  return report_unit_word(unit, lang == LANG_VI ? "vi" : "en");
}

static char *heading(const HicovIndicatorInfo *info, int lang)
{
  const char *label = NULL;
  char base[128];
  const char *growth = strstr(info->name, "_growth");
  int is_growth = info->kind == HICOV_IND_GROWTH && growth && !growth[7];
  if (lang == LANG_VI) {
    const HicovIndicatorInfo *of = info;
    if (is_growth) {
      hicov_fmt(base, sizeof base, "%.*s", (int)(growth - info->name),
                info->name);
      of = hicov_indicator_find(base);
    }
    for (size_t i = 0; of && i < sizeof table_labels / sizeof table_labels[0];
         i++)
      if (!strcmp(of->name, table_labels[i].name))
        label = hicov_text("vi", table_labels[i].msgid);
    if (!label && of)
      label = report_indicator_label(of, LANG_VI);
    if (!label || (of && of->label && !strcmp(label, of->label)))
      label = info->label; /* no Vietnamese text: the English one */
  } else {
    label = info->label ? info->label : info->name;
  }
  char buf[256];
  if (lang == LANG_VI && is_growth)
    hicov_fmt(buf, sizeof buf, TC_("vi", "table heading", "Growth: %s (%%)"),
              label);
  else
    hicov_fmt(buf, sizeof buf, "%s (%s)", label, unit_text(info->unit, lang));
  return hicov_strdup(buf);
}

void hicov_table_free(HicovTable *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < t->nrows; i++) {
    hicov_free(t->rows[i].code);
    hicov_free(t->rows[i].name);
    hicov_free(t->rows[i].parent);
  }
  for (int l = 0; l < 2; l++) {
    for (size_t c = 0; t->headings[l] && c < t->ncols; c++)
      hicov_free(t->headings[l][c]);
    hicov_free(t->headings[l]);
  }
  hicov_free(t->rows);
  hicov_free(t->cols);
  hicov_free(t->cells);
  hicov_free(t->parent);
  hicov_free(t->parent_name);
  hicov_free(t->group);
  hicov_free(t);
}

typedef struct {
  char *key;        /* hicov_collate_key of the name */
  const char *code;
  size_t index;
} SortKey;

static int cmp_key(const void *a, const void *b)
{
  const SortKey *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : strcmp(x->code, y->code);
}

/* Puts the unit indexes in Vietnamese name order (collate.c, the order of
 * names everywhere in hicov), each key made once. */
static int sort_units(HicovDataset *ds, size_t *idx, size_t n)
{
  SortKey *keys = hicov_calloc(n ? n : 1, sizeof *keys);
  if (!keys)
    return HICOV_NOMEM;
  int rc = HICOV_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    HicovUnit u;
    hicov_dataset_unit(ds, idx[i], &u);
    keys[i].code = u.code;
    keys[i].index = idx[i];
    size_t len = hicov_collate_key(u.name, NULL, 0);
    keys[i].key = hicov_malloc(len + 1);
    if (!keys[i].key)
      rc = HICOV_NOMEM;
    else
      hicov_collate_key(u.name, (unsigned char *)keys[i].key, len + 1);
  }
  if (!rc) {
    qsort(keys, n, sizeof *keys, cmp_key);
    for (size_t i = 0; i < n; i++)
      idx[i] = keys[i].index;
  }
  for (size_t i = 0; i < n; i++)
    hicov_free(keys[i].key);
  hicov_free(keys);
  return rc;
}

static int set_row(Row *r, const HicovUnit *u, int is_total)
{
  r->code = hicov_strdup(u->code);
  r->name = hicov_strdup(u->name);
  r->parent = u->parent ? hicov_strdup(u->parent) : NULL;
  r->level = u->level;
  r->synthetic = u->synthetic;
  r->is_total = is_total;
  return r->code && r->name && (!u->parent || r->parent) ? HICOV_OK
                                                         : HICOV_NOMEM;
}

int hicov_table_new(HicovDataset *ds, const HicovTableSpec *spec,
                    HicovTable **out)
{
  if (out)
    *out = NULL;
  if (!ds || !spec || !out)
    return HICOV_INVALID;
  if (spec->n_indicators < 1 || spec->n_indicators > HICOV_TABLE_MAX_COLUMNS
      || !spec->indicators)
    return hicov_set_error(ds, HICOV_INVALID, T_(hicov_ds_lang(ds), "a table needs 1 "
                           "to %d indicators, found %zu"),
                           HICOV_TABLE_MAX_COLUMNS, spec->n_indicators);
  if (spec->level < -1 || spec->level > HICOV_LEVEL_FACILITY ||
      (spec->level < 0 && !spec->parent))
    return hicov_set_error(ds, HICOV_INVALID, "%s", T_(hicov_ds_lang(ds), "a table "
                           "needs a level (country ... facility) or a parent "
                           "unit"));
  if (spec->total_row && !spec->parent)
    return hicov_set_error(ds, HICOV_INVALID, "%s", T_(hicov_ds_lang(ds), "a total "
                           "row needs a parent"));
  const char *group = spec->group && spec->group[0] ? spec->group : NULL;
  if (group && hicov_group_index(ds, group) < 0)
    return hicov_set_error(ds, HICOV_NOTFOUND, T_(hicov_ds_lang(ds), "unknown "
                           "beneficiary group '%s'"), group);
  size_t parent_index = 0;
  if (spec->parent &&
      hicov_dataset_find_unit(ds, spec->parent, &parent_index) != HICOV_OK)
    return hicov_set_error(ds, HICOV_NOTFOUND, T_(hicov_ds_lang(ds), "unknown unit "
                           "'%s'"), spec->parent);
  for (size_t c = 0; c < spec->n_indicators; c++)
    if (!spec->indicators[c] || !hicov_indicator_find(spec->indicators[c]))
      return hicov_set_error(ds, HICOV_NOTFOUND, T_(hicov_ds_lang(ds), "unknown "
                             "indicator '%s'"), spec->indicators[c] ?
                             spec->indicators[c] : "");
  int rc;
  size_t *idx = NULL, n = 0;
  if (spec->level < 0)
    rc = hicov_dataset_children(ds, spec->parent, &spec->period, &idx, &n);
  else
    rc = hicov_dataset_units_at(ds, spec->level, spec->parent, &spec->period,
                                &idx, &n);
  if (rc)
    return rc;
  if ((rc = sort_units(ds, idx, n))) {
    hicov_free(idx);
    return rc;
  }
  HicovTable *t = hicov_calloc(1, sizeof *t);
  size_t nrows = n + (spec->total_row ? 1 : 0), ncols = spec->n_indicators;
  if (!t) {
    hicov_free(idx);
    return HICOV_NOMEM;
  }
  t->period = spec->period;
  t->level = spec->level;
  t->lang = hicov_ds_lang(ds);
  t->rows = hicov_calloc(nrows ? nrows : 1, sizeof *t->rows);
  t->cols = hicov_calloc(ncols, sizeof *t->cols);
  t->headings[0] = hicov_calloc(ncols, sizeof(char *));
  t->headings[1] = hicov_calloc(ncols, sizeof(char *));
  t->cells = hicov_calloc(nrows ? nrows * ncols : 1,
                          sizeof *t->cells);
  t->ncols = ncols;
  rc = t->rows && t->cols && t->headings[0] && t->headings[1] && t->cells
           ? HICOV_OK : HICOV_NOMEM;
  if (!rc && group && !(t->group = hicov_strdup(group)))
    rc = HICOV_NOMEM;
  if (!rc && spec->parent) {
    HicovUnit pu;
    hicov_dataset_unit(ds, parent_index, &pu);
    t->parent = hicov_strdup(pu.code);
    t->parent_name = hicov_strdup(pu.name);
    if (!t->parent || !t->parent_name)
      rc = HICOV_NOMEM;
  }
  for (size_t c = 0; !rc && c < ncols; c++) {
    t->cols[c] = hicov_indicator_find(spec->indicators[c]);
    t->headings[LANG_VI][c] = heading(t->cols[c], LANG_VI);
    t->headings[LANG_EN][c] = heading(t->cols[c], LANG_EN);
    if (!t->headings[LANG_VI][c] || !t->headings[LANG_EN][c])
      rc = HICOV_NOMEM;
  }
  for (size_t r = 0; !rc && r < nrows; r++) {
    HicovUnit u;
    hicov_dataset_unit(ds, r < n ? idx[r] : parent_index, &u);
    rc = set_row(&t->rows[r], &u, r >= n);
    t->nrows = r + 1;
    for (size_t c = 0; !rc && c < ncols; c++) {
      HicovResult *cell = &t->cells[r * ncols + c];
      rc = hicov_indicator_value(ds, spec->indicators[c], u.code,
                                 spec->period, group, cell);
      if (rc == HICOV_OK && cell->status != HICOV_OK)
        cell->value = NAN;
    }
  }
  hicov_free(idx);
  if (rc) {
    hicov_table_free(t);
    return rc;
  }
  *out = t;
  return HICOV_OK;
}

size_t hicov_table_row_count(const HicovTable *t)
{
  return t ? t->nrows : 0;
}

size_t hicov_table_column_count(const HicovTable *t)
{
  return t ? t->ncols : 0;
}

HicovPeriod hicov_table_period(const HicovTable *t)
{
  HicovPeriod none = { 0, 0, 0 };
  return t ? t->period : none;
}

const char *hicov_table_parent(const HicovTable *t)
{
  return t ? t->parent : NULL;
}

const char *hicov_table_parent_name(const HicovTable *t)
{
  return t ? t->parent_name : NULL;
}

int hicov_table_level(const HicovTable *t)
{
  return t ? t->level : -1;
}

const char *hicov_table_group(const HicovTable *t)
{
  return t ? t->group : NULL;
}

const HicovIndicatorInfo *hicov_table_column(const HicovTable *t, size_t i)
{
  return t && i < t->ncols ? t->cols[i] : NULL;
}

const char *report_table_lang(const HicovTable *t)
{
  return t ? t->lang : NULL;
}

const char *hicov_table_heading(const HicovTable *t, size_t i,
                                const char *lang)
{
  if (!t || i >= t->ncols)
    return NULL;
  return t->headings[report_lang_index(lang ? lang : "vi")][i];
}

int hicov_table_row(const HicovTable *t, size_t i, HicovTableRow *out)
{
  if (!t || !out || i >= t->nrows)
    return HICOV_INVALID;
  const Row *r = &t->rows[i];
  out->code = r->code;
  out->name = r->name;
  out->parent = r->parent;
  out->level = r->level;
  out->synthetic = r->synthetic;
  out->is_total = r->is_total;
  return HICOV_OK;
}

const HicovResult *hicov_table_cell(const HicovTable *t, size_t row,
                                    size_t col)
{
  if (!t || row >= t->nrows || col >= t->ncols)
    return NULL;
  return &t->cells[row * t->ncols + col];
}
