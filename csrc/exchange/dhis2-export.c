/* dhis2-export.c - what an ADX or dataValueSets export holds: the units
 * (the finest that hold each value, the units of a level, or all), the
 * periods (years, quarters, months), measures by beneficiary group and,
 * on request, indicators; every identifier through the mapping.
 *
 * The plan is a sorted list of values with their texts; adx.c and
 * dhis2-json.c only write it out.  hicov-dhis2.h documents the rules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dhis2-private.h"

/* ---- Texts -------------------------------------------------------------- */

void dhis2_adx_period(HicovPeriod p, char *buf, size_t size)
{
  int months = p.last - p.first + 1;
  int y = p.first / 12, m = p.first % 12 + 1;
  if (months % 12 == 0 && m == 1)
    hicov_fmt(buf, size, "%04d-%02d-01/P%dY", y, m, months / 12);
  else
    hicov_fmt(buf, size, "%04d-%02d-01/P%dM", y, m, months);
}

void dhis2_iso_period(HicovPeriod p, char *buf, size_t size)
{
  int months = p.last - p.first + 1;
  int y = p.first / 12, m = p.first % 12 + 1;
  if (months == 12 && m == 1)
    hicov_fmt(buf, size, "%04d", y);
  else if (months == 3 && (m - 1) % 3 == 0)
    hicov_fmt(buf, size, "%04dQ%d", y, (m - 1) / 3 + 1);
  else
    hicov_fmt(buf, size, "%04d%02d", y, m);
}

/* centi (hundredths) as an exact decimal: "764769", "123.45", "0.5". */
static void centi_text(int64_t centi, char *buf, size_t size)
{
  uint64_t a = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
  const char *sign = centi < 0 ? "-" : "";
  unsigned frac = (unsigned)(a % 100);
  if (frac == 0)
    hicov_fmt(buf, size, "%s%llu", sign, (unsigned long long)(a / 100));
  else if (frac % 10 == 0)
    hicov_fmt(buf, size, "%s%llu.%u", sign, (unsigned long long)(a / 100),
              frac / 10);
  else
    hicov_fmt(buf, size, "%s%llu.%02u", sign, (unsigned long long)(a / 100),
              frac);
}

/* ---- Notes and what the map lacks --------------------------------------- */

#define MAX_NOTE_LINES 1000

static void note_add(Dhis2Plan *plan, const char *line)
{
  size_t n = strlen(line);
  if (hicov_grow((void **)&plan->notes, &plan->notes_cap,
                 plan->notes_len + n + 2, 1))
    return; /* notes are best effort */
  memcpy(plan->notes + plan->notes_len, line, n);
  plan->notes_len += n;
  plan->notes[plan->notes_len++] = '\n';
  plan->notes[plan->notes_len] = '\0';
}

static void note(Dhis2Plan *plan, const char *fmt, ...) HICOV_PRINTF(2, 3);

static void note(Dhis2Plan *plan, const char *fmt, ...)
{
  if (plan->note_lines++ >= MAX_NOTE_LINES)
    return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(line, sizeof line, fmt, ap) >= (int)sizeof line)
    hicov_utf8_trim(line);
  va_end(ap);
  note_add(plan, line);
}

/* What the map does not name, by kind; names may repeat until listed. */
typedef struct {
  const char **names[HICOV_DHIS2_N_KINDS];
  size_t n[HICOV_DHIS2_N_KINDS], cap[HICOV_DHIS2_N_KINDS];
} Unmapped;

static int note_unmapped(Unmapped *um, int kind, const char *name)
{
  return hicov_grow((void **)&um->names[kind], &um->cap[kind], um->n[kind] + 1,
                    sizeof *um->names[kind])
             ? HICOV_NOMEM
             : (um->names[kind][um->n[kind]++] = name, HICOV_OK);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "the mapping names no orgUnit for 20D01C1, 20D01C2 (44 in all); no
 * dataElement for visits" into buf. */
static void describe_unmapped(Unmapped *um, const char *lang, char *buf,
                              size_t size)
{
  size_t len = 0;
  buf[0] = '\0';
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++) {
    if (!um->n[k])
      continue;
    qsort(um->names[k], um->n[k], sizeof *um->names[k], cmp_str);
    size_t u = 0; /* unique, in place */
    for (size_t i = 0; i < um->n[k]; i++)
      if (!u || strcmp(um->names[k][u - 1], um->names[k][i]))
        um->names[k][u++] = um->names[k][i];
    um->n[k] = u;
    hicov_fmt(buf + len, size - len, len ? T_(lang, "; no %s for ")
                                         : T_(lang, "the mapping names no %s "
                                              "for "), hicov_dhis2_kind_name(k));
    len = strlen(buf);
    for (size_t i = 0; i < u && i < 8; i++) {
      hicov_fmt(buf + len, size - len, "%s%s", i ? ", " : "", um->names[k][i]);
      len = strlen(buf);
    }
    if (u > 8) {
      hicov_fmt(buf + len, size - len, T_(lang, ", ... (%zu in all)"), u);
      len = strlen(buf);
    }
  }
}

/* ---- Building ----------------------------------------------------------- */

typedef struct {
  HicovDataset *ds;
  const HicovAdxExportOptions *opt;
  const HicovDhis2Map *map;
  Dhis2Plan *plan;
  Unmapped um;
  const char *lang;
  /* measures present, and their beneficiary groups */
  int present[HICOV_M_COUNT];
  int first_month[HICOV_M_COUNT], last_month[HICOV_M_COUNT];
  unsigned char *has_group; /* [measure * n_groups + group] */
  size_t n_groups;
  int *group_rank;          /* 1.. in code order; 0 for the total */
  /* [measure * n_groups + group]: which units have an observation of it
     in their subtree (children and units merged into them), made when
     first needed */
  unsigned char **reported;
  int groups_mode;          /* resolved HicovAdxGroups */
  int measure_entries;      /* 0 while indicators are added */
} Build;

/* Adds a value; resolves its identifiers (or records what is unmapped). */
static int add_entry(Build *b, size_t unit, HicovPeriod p, int order,
                     const char *element, int group, const char *value)
{
  Dhis2Plan *plan = b->plan;
  const HicovUnitRec *u = &b->ds->units[unit];
  const char *gcode = group > 0 ? b->ds->groups[group] : NULL;
  const char *ou = u->code, *de = element, *coc = gcode;
  int rc = HICOV_OK, missing = 0;
  if (plan->mapped[HICOV_DHIS2_ORG_UNIT] &&
      !(ou = hicov_dhis2_map_to(b->map, HICOV_DHIS2_ORG_UNIT, u->code))) {
    missing = 1;
    rc = note_unmapped(&b->um, HICOV_DHIS2_ORG_UNIT, u->code);
  }
  if (!rc && plan->mapped[HICOV_DHIS2_DATA_ELEMENT] &&
      !(de = hicov_dhis2_map_to(b->map, HICOV_DHIS2_DATA_ELEMENT, element))) {
    missing = 1;
    rc = note_unmapped(&b->um, HICOV_DHIS2_DATA_ELEMENT, element);
  }
  if (!rc && plan->mapped[HICOV_DHIS2_CATEGORY_OPTION_COMBO]) {
    coc = hicov_dhis2_map_to(b->map, HICOV_DHIS2_CATEGORY_OPTION_COMBO,
                             gcode ? gcode : "*");
    if (!coc && gcode) {
      missing = 1;
      rc = note_unmapped(&b->um, HICOV_DHIS2_CATEGORY_OPTION_COMBO, gcode);
    }
  }
  if (rc || missing) {
    plan->stats.unmapped += !rc;
    return rc;
  }
  if (hicov_grow((void **)&plan->v, &plan->cap, plan->n + 1, sizeof *plan->v))
    return HICOV_NOMEM;
  Dhis2Entry *e = &plan->v[plan->n++];
  e->unit = unit;
  e->period = p;
  e->org_unit = ou;
  e->data_element = de;
  e->coc = coc;
  /* measures (then indicators) in their order, groups in code order */
  e->order = order * 70000 + (group > 0 ? b->group_rank[group] : 0);
  hicov_fmt(e->value, sizeof e->value, "%s", value);
  return HICOV_OK;
}

/* The value of a measure for a unit, period and group: 1 with *centi. */
static int value_of(Build *b, int m, size_t unit, HicovPeriod p, int group,
                    int64_t *centi)
{
  char reason[8];
  return hicov_measure_total(b->ds, m, unit, p, group, centi, reason,
                             sizeof reason) == HICOV_OK;
}

static int add_measure(Build *b, size_t unit, HicovPeriod p, int m, int g,
                       int64_t centi)
{
  char text[40];
  centi_text(centi, text, sizeof text);
  return add_entry(b, unit, p, m, hicov_measures[m].name, g, text);
}

static void group_suffix(const Build *b, int g, char *buf, size_t size)
{
  if (g > 0)
    hicov_fmt(buf, size, T_(b->lang, ", group %s"), b->ds->groups[g]);
  else
    buf[0] = '\0';
}

/* Marks the units whose subtree has an observation of measure m for group
 * g (all groups: any group) in out. */
static void mark_reported(const Build *b, int m, int g, unsigned char *out)
{
  const HicovDataset *ds = b->ds;
  for (size_t i = 0; i < ds->n_obs; i++) {
    const HicovObs *o = &ds->obs[i];
    if (o->measure != m || (g && o->group != g))
      continue;
    /* up through parents and successors (a merged unit is a component of
       its successor), stopping at units already marked */
    long stack[64];
    int top = 0;
    stack[top++] = (long)o->unit;
    while (top) {
      long u = stack[--top];
      if (u < 0 || out[u])
        continue;
      out[u] = 1;
      if (top < 62) {
        stack[top++] = ds->units[u].parent;
        stack[top++] = ds->units[u].successor;
      }
    }
  }
}

/* Does unit u report measure m for group g at all (in any period)? */
static int reports(Build *b, int m, int g, size_t u)
{
  size_t k = (size_t)m * b->n_groups + (size_t)g;
  if (!b->reported[k]) {
    if (!(b->reported[k] = hicov_calloc(b->ds->n_units + 1, 1)))
      return 1; /* out of memory: say yes, the export stays right */
    mark_reported(b, m, g, b->reported[k]);
  }
  return b->reported[k][u];
}

/* The children of a unit existing at the end of a period, with their
 * values of one measure and group. */
typedef struct {
  size_t n, n_ok, n_none;
  size_t *kids;
  int64_t *vals;
  char *ok;      /* the child has the value */
  char *report;  /* the child's units report the measure at all */
  int64_t sum;   /* of the values there are */
  int overflow;
} Children;

static void children_clear(Children *c)
{
  hicov_free(c->kids);
  hicov_free(c->vals);
  hicov_free(c->ok);
  hicov_free(c->report);
}

static int children_of(Build *b, size_t u, HicovPeriod p, int m, int g,
                       Children *c)
{
  const HicovUnitRec *rec = &b->ds->units[u];
  memset(c, 0, sizeof *c);
  for (size_t k = 0; k < rec->n_children; k++)
    c->n += hicov_unit_exists_in(&b->ds->units[rec->children[k]], p.first,
                                 p.last) != 0;
  if (!c->n)
    return HICOV_OK;
  c->kids = hicov_malloc(c->n * sizeof *c->kids);
  c->vals = hicov_calloc(c->n, sizeof *c->vals);
  c->ok = hicov_calloc(c->n, 1);
  c->report = hicov_calloc(c->n, 1);
  if (!c->kids || !c->vals || !c->ok || !c->report)
    return HICOV_NOMEM;
  size_t i = 0;
  for (size_t k = 0; k < rec->n_children; k++) {
    size_t kid = rec->children[k];
    const HicovUnitRec *cu = &b->ds->units[kid];
    if (!hicov_unit_exists_in(cu, p.first, p.last))
      continue;
    c->kids[i] = kid;
    c->ok[i] = (char)value_of(b, m, kid, p, g, &c->vals[i]);
    c->report[i] = (char)(c->ok[i] || reports(b, m, g, kid));
    if (c->ok[i]) {
      c->n_ok++;
      c->overflow |= __builtin_add_overflow(c->sum, c->vals[i], &c->sum);
    } else if (!c->report[i] &&
               (hicov_measures[m].kind == HICOV_MEASURE_FLOW ||
                cu->level == HICOV_LEVEL_FACILITY)) {
      c->n_none++; /* as the core's totals count it: nothing */
    }
    i++;
  }
  return HICOV_OK;
}

static int cover(Build *b, size_t u, HicovPeriod p, int m, int g, int have,
                 int64_t own, int depth);

/* Notes a unit whose children hold only some of its value, or another
 * sum. */
static void note_cover(Build *b, size_t u, HicovPeriod p, int m, int g,
                       int64_t own, const Children *c, int partial)
{
  const char *code = b->ds->units[u].code;
  char pt[24], gs[40], ov[40], sv[40];
  hicov_period_format(p, pt, sizeof pt);
  group_suffix(b, g, gs, sizeof gs);
  centi_text(own, ov, sizeof ov);
  centi_text(c->sum, sv, sizeof sv);
  b->plan->stats.partial++;
  if (partial)
    note(b->plan, T_(b->lang, "%s %s %s%s: %zu of the %zu units below have "
         "a value: %s's own total %s is exported instead of theirs"), code,
         pt, hicov_measures[m].name, gs, c->n_ok, c->n - c->n_none, code, ov);
  else
    note(b->plan, T_(b->lang, "%s %s %s%s: the units below add up to %s and "
         "%s's own total is %s: theirs are exported"), code, pt,
         hicov_measures[m].name, gs, c->overflow ? "?" : sv, code, ov);
}

/* The finest units below u (u included) that hold measure m for group g
 * in p.  When u has a value (have, own): its children existing at the end
 * of p replace it if every one of them that reports the measure at all has
 * the value (the core's totals count a unit that never reports a flow, or
 * a facility, as nothing); otherwise u is exported, with its own total.
 * When u has none, each child that reports the measure is covered in
 * turn, so that what exists further down is exported. */
static int cover(Build *b, size_t u, HicovPeriod p, int m, int g, int have,
                 int64_t own, int depth)
{
  Children c;
  int rc = depth > 24 ? HICOV_OK : children_of(b, u, p, m, g, &c);
  if (rc || depth > 24 || c.n == 0) {
    if (depth <= 24)
      children_clear(&c);
    return rc ? rc : have ? add_measure(b, u, p, m, g, own) : HICOV_OK;
  }
  if (!have) {
    for (size_t i = 0; i < c.n && !rc; i++)
      if (c.report[i])
        rc = cover(b, c.kids[i], p, m, g, c.ok[i], c.vals[i], depth + 1);
  } else if (c.n_ok == 0) {
    rc = add_measure(b, u, p, m, g, own);
  } else if (c.n_ok + c.n_none < c.n) {
    /* the units below do not cover u: DHIS2's sum of theirs would fall
       short of its total */
    note_cover(b, u, p, m, g, own, &c, 1);
    rc = add_measure(b, u, p, m, g, own);
  } else {
    for (size_t i = 0; i < c.n && !rc; i++)
      if (c.ok[i])
        rc = cover(b, c.kids[i], p, m, g, 1, c.vals[i], depth + 1);
    if (c.overflow || c.sum != own)
      note_cover(b, u, p, m, g, own, &c, 0);
  }
  children_clear(&c);
  return rc;
}

/* The units of the LEVEL and ALL modes for p, in load order. */
static int candidate_units(Build *b, HicovPeriod p, long root, size_t **out,
                           size_t *n)
{
  HicovDataset *ds = b->ds;
  size_t k = 0, *list = hicov_malloc((ds->n_units ? ds->n_units : 1) *
                                     sizeof *list);
  if (!list)
    return HICOV_NOMEM;
  for (size_t i = 0; i < ds->n_units; i++) {
    const HicovUnitRec *u = &ds->units[i];
    int below = root < 0;
    for (long a = (long)i; !below && a >= 0; a = ds->units[a].parent)
      below = a == root;
    if (!below)
      continue;
    if (b->opt->units == HICOV_ADX_LEVEL &&
        (u->level != b->opt->level || !hicov_unit_exists_in(u, p.first,
                                                            p.last)))
      continue;
    list[k++] = i;
  }
  *out = list;
  *n = k;
  return HICOV_OK;
}

/* The beneficiary groups to export for measure m: 0 is the total. */
static size_t variants(const Build *b, int m, int *out, size_t max)
{
  size_t n = 0;
  int any = 0;
  for (size_t g = 1; g < b->n_groups; g++)
    any |= b->has_group[(size_t)m * b->n_groups + g];
  if (b->groups_mode != HICOV_ADX_GROUPS_ONLY || !any)
    out[n++] = 0;
  if (b->groups_mode == HICOV_ADX_GROUPS_TOTALS)
    return n;
  for (size_t g = 1; g < b->n_groups && n < max; g++)
    if (b->has_group[(size_t)m * b->n_groups + g])
      out[n++] = (int)g;
  return n;
}

/* With groups only (a disaggregated data element), a unit that has m's
 * total in p but no value by group sends nothing: one note says how many
 * and names the first, so that the loss is never silent (--groups both
 * or totals sends their totals). */
static int note_groupless(Build *b, HicovPeriod p, long root, int m,
                          const int *vars, size_t nv)
{
  size_t *units = NULL, nu = 0, n = 0, first = 0;
  int rc = candidate_units(b, p, root, &units, &nu);
  if (rc)
    return rc;
  for (size_t i = 0; i < nu; i++) {
    int64_t centi;
    int any = 0;
    if (!hicov_unit_exists_in(&b->ds->units[units[i]], p.first, p.last))
      continue;
    for (size_t v = 0; v < nv && !any; v++)
      any = value_of(b, m, units[i], p, vars[v], &centi);
    if (any || !value_of(b, m, units[i], p, 0, &centi))
      continue;
    if (!n++)
      first = units[i];
  }
  hicov_free(units);
  if (n) {
    char pt[24], ut[HICOV_UNIT_TEXT_MAX];
    hicov_period_format(p, pt, sizeof pt);
    note(b->plan, T_(b->lang, "%s %s: %zu units have a total but no values "
         "by group (first: %s), and with groups only their totals are not "
         "sent: --groups both sends them"), hicov_measures[m].name, pt, n,
         hicov_unit_text(b->ds, first, ut, sizeof ut));
  }
  return HICOV_OK;
}

/* Every measure value of period p. */
static int plan_period(Build *b, HicovPeriod p, long root)
{
  int rc = HICOV_OK;
  size_t *units = NULL, nu = 0;
  if (b->opt->units != HICOV_ADX_LEAVES &&
      (rc = candidate_units(b, p, root, &units, &nu)))
    return rc;
  int *vars = hicov_malloc((b->n_groups + 1) * sizeof *vars);
  if (!vars) {
    hicov_free(units);
    return HICOV_NOMEM;
  }
  for (int m = 0; m < HICOV_M_COUNT && !rc; m++) {
    if (!b->present[m] || b->last_month[m] < p.first ||
        b->first_month[m] > p.last)
      continue;
    size_t nv = variants(b, m, vars, b->n_groups + 1);
    if (nv && vars[0] != 0)
      rc = note_groupless(b, p, root, m, vars, nv);
    for (size_t v = 0; v < nv && !rc; v++) {
      int64_t centi = 0;
      if (b->opt->units != HICOV_ADX_LEAVES) {
        for (size_t i = 0; i < nu && !rc; i++)
          if (value_of(b, m, units[i], p, vars[v], &centi))
            rc = add_measure(b, units[i], p, m, vars[v], centi);
        continue;
      }
      for (size_t i = 0; i < b->ds->n_units && !rc; i++) {
        const HicovUnitRec *u = &b->ds->units[i];
        if ((root >= 0 ? (long)i != root : u->parent >= 0) ||
            !hicov_unit_exists_in(u, p.first, p.last))
          continue;
        int have = value_of(b, m, i, p, vars[v], &centi);
        rc = cover(b, i, p, m, vars[v], have, centi, 0);
      }
    }
  }
  hicov_free(vars);
  hicov_free(units);
  return rc;
}

static int cmp_entry(const void *a, const void *b)
{
  const Dhis2Entry *x = a, *y = b;
  if (x->unit != y->unit)
    return x->unit < y->unit ? -1 : 1;
  if (x->period.first != y->period.first)
    return x->period.first < y->period.first ? -1 : 1;
  if (x->period.last != y->period.last)
    return x->period.last < y->period.last ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

/* The level indicators of every unit and period that has a measure value
 * (the entries are sorted by unit and period). */
static int plan_indicators(Build *b)
{
  size_t n = b->plan->n;
  int rc = HICOV_OK;
  for (size_t e = 0; e < n && !rc; e++) {
    const Dhis2Entry *x = &b->plan->v[e];
    if (e && x->unit == b->plan->v[e - 1].unit &&
        x->period.first == b->plan->v[e - 1].period.first &&
        x->period.last == b->plan->v[e - 1].period.last)
      continue;
    size_t unit = x->unit;
    HicovPeriod p = x->period;
    for (size_t i = 0; i < hicov_indicator_count() && !rc; i++) {
      const HicovIndicatorInfo *info = hicov_indicator_info(i);
      /* a count of findings is about the data, not a value to report */
      if (info->kind != HICOV_IND_LEVEL || hicov_measure_find(info->name) >= 0 ||
          !strcmp(info->unit, "findings"))
        continue;
      HicovResult r;
      if (hicov_indicator_value(b->ds, info->name, b->ds->units[unit].code, p,
                                NULL, &r) != HICOV_OK ||
          r.status != HICOV_OK || !isfinite(r.value))
        continue;
      char text[40];
      report_format_double(r.value, text, sizeof text);
      rc = add_entry(b, unit, p, HICOV_M_COUNT + (int)i, info->name, 0, text);
    }
  }
  return rc;
}

/* Which measures and groups have observations, and when. */
static int scan_observations(Build *b)
{
  HicovDataset *ds = b->ds;
  b->n_groups = ds->n_groups;
  b->has_group = hicov_calloc((size_t)HICOV_M_COUNT * (b->n_groups + 1), 1);
  b->group_rank = hicov_calloc(b->n_groups + 1, sizeof *b->group_rank);
  b->reported = hicov_calloc((size_t)HICOV_M_COUNT * (b->n_groups + 1),
                             sizeof *b->reported);
  if (!b->has_group || !b->group_rank || !b->reported)
    return HICOV_NOMEM;
  for (size_t r = 0; r < hicov_dataset_group_count(ds); r++) {
    int g = hicov_group_index(ds, hicov_dataset_group(ds, r));
    if (g > 0)
      b->group_rank[g] = (int)r + 1;
  }
  for (size_t i = 0; i < ds->n_obs; i++) {
    const HicovObs *o = &ds->obs[i];
    if (!b->present[o->measure] || o->first < b->first_month[o->measure])
      b->first_month[o->measure] = o->first;
    if (!b->present[o->measure] || o->last > b->last_month[o->measure])
      b->last_month[o->measure] = o->last;
    b->present[o->measure] = 1;
    b->has_group[(size_t)o->measure * b->n_groups + o->group] = 1;
  }
  return HICOV_OK;
}

/* The options checked, the years settled and the map's parts noted. */
static int plan_setup(Build *b, int *y0, int *y1, long *root, char *err,
                      size_t err_size)
{
  const HicovAdxExportOptions *o = b->opt;
  Dhis2Plan *plan = b->plan;
  const char *lang = b->lang;
  int pt = o->period_type ? o->period_type : HICOV_PERIOD_YEAR;
  if ((pt != HICOV_PERIOD_YEAR && pt != HICOV_PERIOD_QUARTER &&
       pt != HICOV_PERIOD_MONTH) || o->units < HICOV_ADX_LEAVES ||
      o->units > HICOV_ADX_ALL || o->groups < HICOV_ADX_GROUPS_AUTO ||
      o->groups > HICOV_ADX_GROUPS_BOTH ||
      (o->units == HICOV_ADX_LEVEL && !hicov_level_name(o->level))) {
    hicov_fmt(err, err_size, "%s", T_(lang, "invalid export options (period "
              "type, units, level or groups)"));
    return HICOV_INVALID;
  }
  plan->period_type = pt;
  if (o->complete_date) {
    int y, m, d, used = 0;
    if (sscanf(o->complete_date, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
        o->complete_date[used] || used != 10 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
      hicov_fmt(err, err_size, T_(lang, "completeDate: expected a date such "
                "as 2025-01-31, found '%s'"), o->complete_date);
      return HICOV_INVALID;
    }
  }
  int rc = dhis2_map_ready(b->map, err, err_size);
  if (rc)
    return rc;
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++) {
    plan->mapped[k] = hicov_dhis2_map_count(b->map, k) > 0;
    plan->schemes[k] = hicov_dhis2_map_scheme(b->map, k);
  }
  b->groups_mode = o->groups ? o->groups
                 : !b->map ? HICOV_ADX_GROUPS_BOTH
                 : plan->mapped[HICOV_DHIS2_CATEGORY_OPTION_COMBO]
                     ? HICOV_ADX_GROUPS_ONLY : HICOV_ADX_GROUPS_TOTALS;
  static const char *const pnames[] = { "", "yearly", "quarterly", "monthly" };
  plan->data_set = o->data_set ? o->data_set
      : hicov_dhis2_map_to(b->map, HICOV_DHIS2_DATA_SET, pnames[pt]);
  if (!plan->data_set)
    plan->data_set = hicov_dhis2_map_to(b->map, HICOV_DHIS2_DATA_SET, "*");
  if (o->complete_date && !plan->data_set) {
    hicov_fmt(err, err_size, "%s", T_(lang, "completeDate: DHIS2 registers "
              "the completion of a data set: give one (--data-set, or a "
              "dataSet row in the mapping)"));
    return HICOV_INVALID;
  }
  plan->aoc = hicov_dhis2_map_to(b->map, HICOV_DHIS2_ATTRIBUTE_OPTION_COMBO,
                                 "*");
  plan->complete_date = o->complete_date;
  plan->exported = o->exported ? o->exported : (int64_t)time(NULL);
  *root = -1;
  if (o->unit && (*root = hicov_unit_index(b->ds, o->unit)) < 0) {
    hicov_fmt(err, err_size, T_(lang, "unit '%s' is not in the dataset"),
              o->unit);
    return HICOV_NOTFOUND;
  }
  int m0, m1;
  if (hicov_dataset_month_span(b->ds, &m0, &m1) != HICOV_OK) {
    hicov_fmt(err, err_size, "%s", T_(lang, "the dataset holds no values"));
    return HICOV_MISSING;
  }
  *y0 = o->first_year ? o->first_year : m0 / 12;
  *y1 = o->last_year ? o->last_year : m1 / 12;
  if (*y0 > *y1 || *y0 < 1900 || *y1 > 2200) {
    hicov_fmt(err, err_size, T_(lang, "years %d to %d: expected a first year "
              "no later than the last, both from 1900 to 2200"), *y0, *y1);
    return HICOV_INVALID;
  }
  return hicov_dataset_prepare(b->ds);
}

static int plan_build(Build *b, int y0, int y1, long root)
{
  int rc = scan_observations(b);
  int pt = b->plan->period_type;
  int step = pt == HICOV_PERIOD_YEAR ? 12 : pt == HICOV_PERIOD_QUARTER ? 3 : 1;
  for (int first = y0 * 12; !rc && first < (y1 + 1) * 12; first += step)
    rc = plan_period(b, hicov_period_range(first, first + step - 1), root);
  Dhis2Plan *plan = b->plan;
  if (plan->n > 1)
    qsort(plan->v, plan->n, sizeof *plan->v, cmp_entry);
  if (!rc && b->opt->indicators)
    rc = plan_indicators(b);
  if (!rc && !b->opt->measures) { /* they only chose the units */
    size_t k = 0;
    for (size_t i = 0; i < plan->n; i++)
      if (plan->v[i].order >= HICOV_M_COUNT * 70000)
        plan->v[k++] = plan->v[i];
    plan->n = k;
  }
  if (plan->n > 1)
    qsort(plan->v, plan->n, sizeof *plan->v, cmp_entry);
  for (size_t i = 0; i < plan->n; i++) {
    const Dhis2Entry *e = &plan->v[i], *prev = i ? &plan->v[i - 1] : NULL;
    if (!prev || prev->unit != e->unit)
      plan->stats.org_units++;
  }
  /* distinct periods: all of one type, so known by their first month */
  unsigned char seen[(2201 - 1900) * 12];
  memset(seen, 0, sizeof seen);
  for (size_t i = 0; i < plan->n; i++) {
    int k = plan->v[i].period.first - 1900 * 12;
    if (k >= 0 && k < (int)sizeof seen && !seen[k]) {
      seen[k] = 1;
      plan->stats.periods++;
    }
  }
  plan->stats.values = (long)plan->n;
  return rc;
}

int dhis2_plan(HicovDataset *ds, const HicovAdxExportOptions *opt,
               Dhis2Plan *plan, char *err, size_t err_size)
{
  static const HicovAdxExportOptions defaults = { NULL, 0, 0, 1, 0, 0, 0, 0,
                                                  0, 0, NULL, 0, NULL, NULL };
  memset(plan, 0, sizeof *plan);
  Build b;
  memset(&b, 0, sizeof b);
  b.ds = ds;
  b.opt = opt ? opt : &defaults;
  b.map = b.opt->map;
  b.plan = plan;
  b.lang = hicov_dataset_lang(ds);
  int y0, y1;
  long root;
  int rc = plan_setup(&b, &y0, &y1, &root, err, err_size);
  if (!rc)
    rc = plan_build(&b, y0, y1, root);
  size_t unmapped = 0;
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++)
    unmapped += b.um.n[k];
  if (!rc && unmapped) {
    char what[900];
    describe_unmapped(&b.um, b.lang, what, sizeof what);
    if (b.opt->skip_unmapped) {
      note(plan, T_(b.lang, "%ld values left out: %s"), plan->stats.unmapped,
           what);
    } else {
      hicov_fmt(err, err_size, T_(b.lang, "%s (add them to the mapping file, "
                "or leave their values out with --skip-unmapped)"), what);
      rc = HICOV_INVALID;
    }
  }
  if (!rc && plan->n == 0) {
    hicov_fmt(err, err_size, "%s", T_(b.lang, "no value to export for these "
              "units, years and measures"));
    rc = HICOV_MISSING;
  }
  if (rc == HICOV_NOMEM)
    hicov_fmt(err, err_size, "%s", hicov_text(b.lang,
                                              hicov_status_string(rc)));
  if (plan->note_lines > MAX_NOTE_LINES) {
    char more[96];
    hicov_fmt(more, sizeof more, T_(b.lang, "... and %ld more notes"),
              plan->note_lines - MAX_NOTE_LINES);
    note_add(plan, more);
  }
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++)
    hicov_free(b.um.names[k]);
  for (size_t k = 0; b.reported && k < (size_t)HICOV_M_COUNT * b.n_groups;
       k++)
    hicov_free(b.reported[k]);
  hicov_free(b.reported);
  hicov_free(b.has_group);
  hicov_free(b.group_rank);
  return rc;
}

void dhis2_plan_clear(Dhis2Plan *plan)
{
  hicov_free(plan->v);
  hicov_free(plan->notes);
  memset(plan, 0, sizeof *plan);
}

/* ---- hicov-dhis2.h -------------------------------------------------------- */

int hicov_dhis2_export(HicovDataset *ds, const HicovAdxExportOptions *opt,
                       int format, char **buf, size_t *len,
                       HicovDhis2ExportStats *stats, char **notes, char *err,
                       size_t err_size)
{
  char e[8];
  if (!err || !err_size) {
    err = e;
    err_size = sizeof e;
  }
  err[0] = '\0';
  if (notes)
    *notes = NULL;
  if (stats)
    memset(stats, 0, sizeof *stats);
  if (buf)
    *buf = NULL;
  if (len)
    *len = 0;
  if (!ds || !buf || (format != HICOV_DHIS2_ADX && format != HICOV_DHIS2_JSON))
    return HICOV_INVALID;
  Dhis2Plan plan;
  size_t n = 0;
  int rc = dhis2_plan(ds, opt, &plan, err, err_size);
  if (rc == HICOV_OK && format == HICOV_DHIS2_JSON)
    rc = dhis2_write_json(&plan, buf, &n, hicov_dataset_lang(ds), err,
                          err_size);
  else if (rc == HICOV_OK)
    rc = dhis2_write_adx(&plan, buf, &n);
  if (rc == HICOV_NOMEM)
    hicov_fmt(err, err_size, "%s", hicov_text(hicov_dataset_lang(ds),
                                              hicov_status_string(rc)));
  if (len)
    *len = n;
  if (stats)
    *stats = plan.stats;
  if (notes) {
    *notes = plan.notes;
    plan.notes = NULL;
  }
  dhis2_plan_clear(&plan);
  return rc;
}

int hicov_dhis2_format_of_path(const char *path)
{
  size_t n = path ? strlen(path) : 0;
  return n >= 5 && !strcasecmp(path + n - 5, ".json") ? HICOV_DHIS2_JSON
                                                      : HICOV_DHIS2_ADX;
}

int hicov_dhis2_save(HicovDataset *ds, const HicovAdxExportOptions *opt,
                     int format, const char *path,
                     HicovDhis2ExportStats *stats, char **notes, char *err,
                     size_t err_size)
{
  char why[700];
  if (!path) {
    if (notes)
      *notes = NULL;
    return HICOV_INVALID;
  }
  char *buf = NULL;
  size_t len = 0;
  int rc = hicov_dhis2_export(ds, opt, format, &buf, &len, stats, notes, why,
                              sizeof why);
  if (rc != HICOV_OK) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s: %s", path, why);
    return rc;
  }
  rc = report_write_atomic(path, buf, len, err, err_size);
  hicov_free(buf);
  return rc;
}
