/* dhis2-read.c - data values from an ADX or dataValueSets document into a
 * dataset's values: periods, identifiers through the mapping, beneficiary
 * groups from category option combinations, exact decimals; every
 * rejection with its place, what was expected and what was found.
 *
 * The parsers (adx.c, dhis2-json.c) hand each value over as a Dhis2Raw;
 * hicov_adx_import_* (adx.c) adds what is kept value by value, the
 * hicov_dhis2_read_* handle below keeps it for hicov_dataset_merge_values
 * and its conflict policy. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhis2-private.h"

#define MAX_REJECTION_LINES 1000

/* ---- Periods ------------------------------------------------------------ */

int dhis2_parse_adx_period(const char *s, HicovPeriod *out, char *why,
                           size_t why_size, const char *lang)
{
  int y, m, d, n, used = 0;
  char unit;
  if (sscanf(s, "%4d-%2d-%2d/P%d%c%n", &y, &m, &d, &n, &unit, &used) != 5 ||
      s[used] != '\0' || strlen(s) < 14) {
    hicov_fmt(why, why_size, T_(lang, "period '%s': expected a start date "
              "and a duration such as 2024-01-01/P1Y or 2024-07-01/P1M"), s);
    return -1;
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d != 1) {
    hicov_fmt(why, why_size, T_(lang, "period '%s': hicov holds whole "
              "months: the start must be the 1st of a month between 1900 and "
              "2200"), s);
    return -1;
  }
  if ((unit != 'Y' && unit != 'M') || n < 1 || n > 1200) {
    hicov_fmt(why, why_size, T_(lang, "period '%s': the duration must be a "
              "number of years (PnY) or months (PnM); weeks and days are not "
              "supported"), s);
    return -1;
  }
  int months = unit == 'Y' ? 12 * n : n;
  int first = y * 12 + m - 1;
  if (first + months - 1 > 2200 * 12 + 11) { /* what export can write back */
    hicov_fmt(why, why_size, T_(lang, "period '%s': ends after 2200, the "
              "last year hicov holds"), s);
    return -1;
  }
  *out = hicov_period_range(first, first + months - 1);
  return 0;
}

int dhis2_parse_iso_period(const char *s, HicovPeriod *out, char *why,
                           size_t why_size, const char *lang)
{
  int y = 0, k = 0, used = 0;
  size_t n = strlen(s);
  int digits = 0;
  while (digits < (int)n && isdigit((unsigned char)s[digits]))
    digits++;
  int first = -1, months = 0;
  if (digits == 4 && n == 4 && sscanf(s, "%4d", &y) == 1) {
    first = y * 12, months = 12;
  } else if (digits == 4 && n == 6 &&
             sscanf(s, "%4dQ%1d%n", &y, &k, &used) == 2 && used == 6 &&
             k >= 1 && k <= 4) {
    first = y * 12 + (k - 1) * 3, months = 3;
  } else if (digits == 4 && n == 6 &&
             sscanf(s, "%4dS%1d%n", &y, &k, &used) == 2 && used == 6 &&
             k >= 1 && k <= 2) {
    first = y * 12 + (k - 1) * 6, months = 6;
  } else if ((digits == 6 && n == 6 && sscanf(s, "%4d%2d", &y, &k) == 2) ||
             (digits == 4 && n == 7 && s[4] == '-' &&
              isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
              sscanf(s, "%4d-%2d", &y, &k) == 2)) {
    if (k >= 1 && k <= 12)
      first = y * 12 + k - 1, months = 1;
  }
  if (first < 0) {
    hicov_fmt(why, why_size, T_(lang, "period '%s': expected a DHIS2 period "
              "of whole months: 2024 (yearly), 2024Q3 (quarterly), 2024S1 "
              "(six-monthly), 202410 or 2024-10 (monthly); weeks and days "
              "are not supported"), s);
    return -1;
  }
  if (y < 1900 || y > 2200) {
    hicov_fmt(why, why_size, T_(lang, "period '%s': expected a year from "
              "1900 to 2200"), s);
    return -1;
  }
  *out = hicov_period_range(first, first + months - 1);
  return 0;
}

/* ---- Exact decimals ---------------------------------------------------- */

/* An xs:decimal into exact hundredths; -1 if it is not a decimal or needs
 * more than two fraction digits (beyond trailing zeros) or overflows. */
static int parse_centi(const char *s, int64_t *out)
{
  while (isspace((unsigned char)*s))
    s++;
  int neg = 0;
  if (*s == '+' || *s == '-')
    neg = *s++ == '-';
  uint64_t v = 0;
  int digits = 0, frac = 0;
  for (; isdigit((unsigned char)*s); s++, digits++) {
    if (v > (UINT64_MAX / 10 - 9) / 100)
      return -1;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  v *= 100;
  if (*s == '.') {
    s++;
    for (; isdigit((unsigned char)*s); s++, digits++) {
      if (frac < 2)
        v += (uint64_t)(*s - '0') * (frac == 0 ? 10 : 1);
      else if (*s != '0')
        return -1;
      frac++;
    }
  }
  while (isspace((unsigned char)*s))
    s++;
  if (*s || digits == 0 || v > (uint64_t)INT64_MAX)
    return -1;
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 0;
}

/* xs:decimal's lexical space: [+-]? digits, optional fraction, no
 * exponent; surrounding white space is collapsed by the schema. */
static int is_decimal(const char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  if (*s == '+' || *s == '-')
    s++;
  int digits = 0;
  for (; isdigit((unsigned char)*s); s++)
    digits++;
  if (*s == '.')
    for (s++; isdigit((unsigned char)*s); s++)
      digits++;
  while (isspace((unsigned char)*s))
    s++;
  return digits > 0 && *s == '\0';
}

/* ---- Rejections ---------------------------------------------------------- */

void dhis2_reject(Dhis2Reader *rd, long line, const char *fmt, ...)
{
  char msg[480], full[512];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
    hicov_utf8_trim(msg);
  va_end(ap);
  if (rd->json)
    hicov_fmt(full, sizeof full, T_(rd->lang, "%s dataValues[%ld]: %s"),
              rd->name, line, msg);
  else
    hicov_fmt(full, sizeof full, T_(rd->lang, "%s line %ld: %s"), rd->name,
              line, msg);
  rd->stats.values_rejected++;
  if (!rd->first[0])
    snprintf(rd->first, sizeof rd->first, "%s", full);
  if (rd->rej_lines >= MAX_REJECTION_LINES)
    return;
  rd->rej_lines++;
  size_t n = strlen(full);
  if (hicov_grow((void **)&rd->rej, &rd->rej_cap, rd->rej_len + n + 2, 1) !=
      HICOV_OK) {
    rd->nomem = 1;
    return;
  }
  memcpy(rd->rej + rd->rej_len, full, n);
  rd->rej_len += n;
  rd->rej[rd->rej_len++] = '\n';
  rd->rej[rd->rej_len] = '\0';
}

void dhis2_finish_rejections(Dhis2Reader *rd)
{
  if (rd->rej_lines < MAX_REJECTION_LINES ||
      rd->stats.values_rejected <= MAX_REJECTION_LINES)
    return;
  char more[96];
  hicov_fmt(more, sizeof more, T_(rd->lang, "... and %ld more rejections\n"),
            rd->stats.values_rejected - MAX_REJECTION_LINES);
  size_t n = strlen(more);
  if (hicov_grow((void **)&rd->rej, &rd->rej_cap, rd->rej_len + n + 1, 1) ==
      HICOV_OK) {
    memcpy(rd->rej + rd->rej_len, more, n + 1);
    rd->rej_len += n;
  }
}

/* ---- One value ------------------------------------------------------------ */

static int is_default_combo(const char *s)
{
  return !strcmp(s, DHIS2_DEFAULT_CODE) || !strcmp(s, DHIS2_DEFAULT_UID);
}

/* The beneficiary group of a category option combination: *group NULL for
 * the total.  NULL, or why it cannot be read. */
static const char *group_of(Dhis2Reader *rd, const char *coc,
                            const char **group, char *why, size_t size)
{
  *group = NULL;
  if (!coc)
    return NULL;
  if (hicov_dhis2_map_count(rd->map, HICOV_DHIS2_CATEGORY_OPTION_COMBO)) {
    const char *g = hicov_dhis2_map_from(rd->map,
                                         HICOV_DHIS2_CATEGORY_OPTION_COMBO,
                                         coc);
    if (!g && is_default_combo(coc))
      return NULL;
    if (!g) {
      hicov_fmt(why, size, T_(rd->lang, "categoryOptionCombo '%s' is not in "
                "the mapping"), coc);
      return why;
    }
    *group = strcmp(g, "*") ? g : NULL;
    return NULL;
  }
  if (is_default_combo(coc))
    return NULL;
  size_t n = strlen(coc);
  int ok = n >= 1 && n <= 8;
  for (size_t i = 0; ok && i < n; i++)
    ok = isalnum((unsigned char)coc[i]) || coc[i] == '_';
  if (!ok) {
    hicov_fmt(why, size, T_(rd->lang, "categoryOptionCombo '%s': expected a "
              "beneficiary-group code such as HN, or a mapping file that "
              "names it"), coc);
    return why;
  }
  *group = coc;
  return NULL;
}

/* NULL when the attribute option combination is one hicov takes. */
static const char *aoc_problem(Dhis2Reader *rd, const char *aoc, char *why,
                               size_t size)
{
  if (!aoc || is_default_combo(aoc))
    return NULL;
  const char *mapped = hicov_dhis2_map_to(rd->map,
                                          HICOV_DHIS2_ATTRIBUTE_OPTION_COMBO,
                                          "*");
  if (mapped && !strcmp(mapped, aoc))
    return NULL;
  hicov_fmt(why, size, T_(rd->lang, "attributeOptionCombo '%s': hicov holds "
            "no attribute dimension; it reads DHIS2's default or the one the "
            "mapping names for *"), aoc);
  return why;
}

/* A mapped identifier's hicov code (or the identifier, for a kind the map
 * does not name); NULL when the map names the kind but not this one. */
static const char *unmap(const Dhis2Reader *rd, int kind, const char *id)
{
  if (!hicov_dhis2_map_count(rd->map, kind))
    return id;
  return hicov_dhis2_map_from(rd->map, kind, id);
}

static void keep(Dhis2Reader *rd, const Dhis2Raw *raw, const char *el,
                 const char *unit, int m, const char *group, int64_t centi)
{
  if (hicov_grow((void **)&rd->values, &rd->cap, rd->n + 1,
                 sizeof *rd->values) != HICOV_OK) {
    rd->nomem = 1;
    return;
  }
  Dhis2Pending *p = &rd->values[rd->n];
  p->unit = hicov_strdup(unit);
  p->element = hicov_strdup(el);
  p->group = group ? hicov_strdup(group) : NULL;
  p->measure = m;
  p->period = raw->period;
  p->centi = centi;
  p->line = raw->line;
  if (p->unit && p->element && (!group || p->group))
    rd->n++;
  else {
    hicov_free(p->unit);
    hicov_free(p->element);
    hicov_free(p->group);
    rd->nomem = 1;
  }
}

/* The checks after the data element: dimensions, combinations, period,
 * unit, value.  el is the data element as the document names it. */
static void take_measure(Dhis2Reader *rd, const Dhis2Raw *raw, const char *el,
                         int m)
{
  char why[300];
  const char *group = NULL, *problem;
  const char *unit = raw->org_unit ? unmap(rd, HICOV_DHIS2_ORG_UNIT,
                                           raw->org_unit) : NULL;
  size_t uidx;
  int64_t centi = 0;
  if (raw->group_dimension)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "the group is disaggregated by '%s', which hicov does not "
                 "hold"), el, raw->group_dimension);
  else if (raw->dimension)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "disaggregation '%s' is not supported (hicov takes totals "
                 "only)"), el, raw->dimension);
  else if ((problem = aoc_problem(rd, raw->aoc, why, sizeof why)) ||
           (problem = group_of(rd, raw->coc, &group, why, sizeof why)))
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': %s"),
                 el, problem);
  else if (!raw->period_ok)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': %s"),
                 el, raw->period_why);
  else if (!raw->org_unit)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "no orgUnit"), el);
  else if (!unit)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "orgUnit '%s' is not in the mapping"), el, raw->org_unit);
  else if (hicov_dataset_find_unit(rd->ds, unit, &uidx) != HICOV_OK)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "orgUnit '%s' is not a unit of the dataset"), el, unit);
  else if (parse_centi(raw->value, &centi) != 0)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "value '%s' is not an exact decimal with at most 2 fraction "
                 "digits"), el, raw->value);
  else if (centi < 0)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "value '%s' is negative"), el, raw->value);
  else
    keep(rd, raw, el, unit, m, group, centi);
}

void dhis2_take(Dhis2Reader *rd, const Dhis2Raw *raw)
{
  rd->stats.values_read++;
  const char *de = raw->data_element, *el = de ? de : "";
  const char *name = de ? unmap(rd, HICOV_DHIS2_DATA_ELEMENT, de) : NULL;
  int m = name ? hicov_measure_find(name) : -1;
  if (!de || !raw->value)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue: attribute '%s' is "
                 "required"), de ? "value" : "dataElement");
  else if (raw->deleted)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "a deleted value: hicov imports values, it deletes none"),
                 el);
  else if (!is_decimal(raw->value))
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "value '%s' is not a decimal number (xs:decimal)"), el,
                 raw->value);
  else if (!name)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "not in the mapping"), el);
  else if (m < 0 && hicov_indicator_find(name))
    rd->stats.values_derived++; /* recomputed from the measures */
  else if (m < 0)
    dhis2_reject(rd, raw->line, T_(rd->lang, "dataValue dataElement='%s': "
                 "unknown data element, expected a hicov measure such as "
                 "'participants' or 'population'"), el);
  else
    take_measure(rd, raw, el, m);
}

/* ---- Duplicates ----------------------------------------------------------- */

static int pending_cmp(const void *a, const void *b)
{
  const Dhis2Pending *x = a, *y = b;
  int c = strcmp(x->unit, y->unit);
  if (c)
    return c;
  if (x->measure != y->measure)
    return x->measure < y->measure ? -1 : 1;
  c = strcmp(x->group ? x->group : "", y->group ? y->group : "");
  if (c)
    return c;
  if (x->period.first != y->period.first)
    return x->period.first < y->period.first ? -1 : 1;
  if (x->period.last != y->period.last)
    return x->period.last < y->period.last ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

static int line_cmp(const void *a, const void *b)
{
  const Dhis2Pending *x = a, *y = b;
  return (x->line > y->line) - (x->line < y->line);
}

void dhis2_reject_duplicates(Dhis2Reader *rd)
{
  if (rd->n < 2)
    return;
  qsort(rd->values, rd->n, sizeof *rd->values, pending_cmp);
  size_t k = 1;
  for (size_t i = 1; i < rd->n; i++) {
    Dhis2Pending *prev = &rd->values[k - 1], *p = &rd->values[i];
    if (!strcmp(prev->unit, p->unit) && prev->measure == p->measure &&
        !strcmp(prev->group ? prev->group : "", p->group ? p->group : "") &&
        prev->period.first == p->period.first &&
        prev->period.last == p->period.last) {
      char period[16];
      hicov_period_format(p->period, period, sizeof period);
      dhis2_reject(rd, p->line, rd->json
          ? T_(rd->lang, "dataValue dataElement='%s': a second value for "
               "orgUnit '%s' and period %s (the first is dataValues[%ld])")
          : T_(rd->lang, "dataValue dataElement='%s': a second value for "
               "orgUnit '%s' and period %s (the first is on line %ld)"),
          p->element, p->unit, period, prev->line);
      hicov_free(p->unit);
      hicov_free(p->element);
      hicov_free(p->group);
    } else {
      rd->values[k++] = *p;
    }
  }
  rd->n = k;
  /* back to document order: the order the values are added in */
  qsort(rd->values, rd->n, sizeof *rd->values, line_cmp);
}

void dhis2_reader_clear(Dhis2Reader *rd)
{
  for (size_t i = 0; i < rd->n; i++) {
    hicov_free(rd->values[i].unit);
    hicov_free(rd->values[i].element);
    hicov_free(rd->values[i].group);
  }
  hicov_free(rd->values);
  hicov_free(rd->rej);
  rd->values = NULL;
  rd->rej = NULL;
  rd->n = rd->cap = rd->rej_len = rd->rej_cap = 0;
}

/* ---- The read handle (hicov-dhis2.h) -------------------------------------- */

struct HicovDhis2Read {
  int format;
  char name[256];
  char errmsg[700];
  HicovDhis2Counts counts;
  char *rejections;
  HicovValue *values;
  size_t n;
  char **wheres;
  Dhis2Reader rd;    /* owns the units and groups the values point to */
};

static int detect_format(const char *data, size_t len)
{
  size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < len && isspace((unsigned char)data[i]))
    i++;
  return i < len && (data[i] == '{' || data[i] == '[') ? HICOV_DHIS2_JSON
                                                       : HICOV_DHIS2_ADX;
}

/* The kept values as HicovValue, with their places. */
static int make_values(HicovDhis2Read *r)
{
  Dhis2Reader *rd = &r->rd;
  if (!rd->n)
    return HICOV_OK;
  r->values = hicov_calloc(rd->n, sizeof *r->values);
  r->wheres = hicov_calloc(rd->n, sizeof *r->wheres);
  if (!r->values || !r->wheres)
    return HICOV_NOMEM;
  for (size_t i = 0; i < rd->n; i++) {
    const Dhis2Pending *p = &rd->values[i];
    char where[300];
    if (rd->json)
      hicov_fmt(where, sizeof where, "%s dataValues[%ld]", rd->name, p->line);
    else
      hicov_fmt(where, sizeof where, T_(rd->lang, "%s line %ld"), rd->name,
                p->line);
    if (!(r->wheres[i] = hicov_strdup(where)))
      return HICOV_NOMEM;
    HicovValue *v = &r->values[i];
    v->unit = p->unit;
    v->measure = hicov_measure_info((size_t)p->measure)->name;
    v->group = p->group;
    v->period = p->period;
    v->centi = p->centi;
    v->where = r->wheres[i];
    r->n++;
  }
  return HICOV_OK;
}

/* Reads a whole document into r; the status. */
static int read_document(HicovDhis2Read *r, const char *data, size_t len,
                         int mode)
{
  Dhis2Reader *rd = &r->rd;
  int rc = HICOV_OK, failed;
  if (r->format == HICOV_DHIS2_JSON) {
    rd->json = 1;
    failed = dhis2_read_json_document(rd, data, len, &rc) != 0;
  } else {
    failed = len > (size_t)INT32_MAX ||
             dhis2_read_adx_document(rd, data, len) != 0;
    rc = failed ? HICOV_PARSE : HICOV_OK;
  }
  if (!failed)
    dhis2_reject_duplicates(rd);
  if (rd->nomem)
    rc = HICOV_NOMEM;
  else if (failed)
    hicov_fmt(r->errmsg, sizeof r->errmsg, "%s", rd->first);
  else if (mode == HICOV_LOAD_STRICT && rd->stats.values_rejected > 0) {
    rc = HICOV_PARSE;
    if (rd->stats.values_rejected == 1)
      hicov_fmt(r->errmsg, sizeof r->errmsg, T_(rd->lang, "%s (%ld value "
                "rejected in all; nothing was imported)"), rd->first,
                rd->stats.values_rejected);
    else
      hicov_fmt(r->errmsg, sizeof r->errmsg, T_(rd->lang, "%s (%ld values "
                "rejected in all; nothing was imported)"), rd->first,
                rd->stats.values_rejected);
  }
  if (rc == HICOV_OK)
    rc = make_values(r);
  if (rc == HICOV_NOMEM)
    hicov_fmt(r->errmsg, sizeof r->errmsg, "%s",
              hicov_text(rd->lang, hicov_status_string(HICOV_NOMEM)));
  return rc;
}

int hicov_dhis2_read_buffer(HicovDataset *ds, const char *name,
                            const char *data, size_t len, int format,
                            const HicovDhis2Map *map, int mode,
                            HicovDhis2Read **out)
{
  if (out)
    *out = NULL;
  if (!ds || !data || !out || format < -1 || format > HICOV_DHIS2_JSON)
    return HICOV_INVALID;
  HicovDhis2Read *r = hicov_calloc(1, sizeof *r);
  if (!r)
    return HICOV_NOMEM;
  *out = r;
  const char *base = name ? strrchr(name, '/') : NULL;
  hicov_fmt(r->name, sizeof r->name, "%s", base ? base + 1
                                           : name ? name : "dhis2");
  r->format = format >= 0 ? format : detect_format(data, len);
  r->rd.name = r->name;
  r->rd.ds = ds;
  r->rd.lang = hicov_dataset_lang(ds);
  r->rd.map = map;
  int rc = dhis2_map_ready(map, r->errmsg, sizeof r->errmsg);
  if (rc == HICOV_OK)
    rc = read_document(r, data, len, mode);
  dhis2_finish_rejections(&r->rd);
  r->counts.values_read = r->rd.stats.values_read;
  r->counts.values_derived = r->rd.stats.values_derived;
  r->counts.values_rejected = r->rd.stats.values_rejected;
  r->counts.values_accepted = rc == HICOV_OK ? (long)r->n : 0;
  r->rejections = r->rd.rej;
  return rc;
}

int hicov_dhis2_read_file(HicovDataset *ds, const char *path, int format,
                          const HicovDhis2Map *map, int mode,
                          HicovDhis2Read **out)
{
  if (out)
    *out = NULL;
  if (!ds || !path || !out)
    return HICOV_INVALID;
  char *data;
  size_t len;
  char msg[400];
  int json = format == HICOV_DHIS2_JSON ||
             (format < 0 &&
              hicov_dhis2_format_of_path(path) == HICOV_DHIS2_JSON);
  int rc = hicov_read_file(path, json ? HICOV_DHIS2_JSON_MAX_BYTES
                                      : HICOV_ADX_MAX_BYTES, &data, &len,
                           msg, sizeof msg);
  if (rc != HICOV_OK) {
    HicovDhis2Read *r = hicov_calloc(1, sizeof *r);
    if (r)
      hicov_fmt(r->errmsg, sizeof r->errmsg, "%s", msg);
    *out = r;
    return r ? rc : HICOV_NOMEM;
  }
  if (format < 0 && detect_format(data, len) == HICOV_DHIS2_JSON &&
      len > HICOV_DHIS2_JSON_MAX_BYTES) {
    HicovDhis2Read *r = hicov_calloc(1, sizeof *r);
    if (r)
      hicov_fmt(r->errmsg, sizeof r->errmsg, T_(hicov_dataset_lang(ds),
                "%s: a JSON file over %zu MB: refused (hicov reads JSON whole "
                "into memory; split it, or export ADX, which is streamed)"),
                path, HICOV_DHIS2_JSON_MAX_BYTES >> 20);
    hicov_free(data);
    *out = r;
    return r ? HICOV_LIMIT : HICOV_NOMEM;
  }
  rc = hicov_dhis2_read_buffer(ds, path, data, len, format, map, mode, out);
  hicov_free(data);
  return rc;
}

void hicov_dhis2_read_free(HicovDhis2Read *r)
{
  if (!r)
    return;
  for (size_t i = 0; r->wheres && i < r->n; i++)
    hicov_free(r->wheres[i]);
  hicov_free(r->wheres);
  hicov_free(r->values);
  dhis2_reader_clear(&r->rd); /* frees the rejections too */
  hicov_free(r);
}

int hicov_dhis2_read_format(const HicovDhis2Read *r)
{
  return r ? r->format : HICOV_DHIS2_ADX;
}

const char *hicov_dhis2_read_errmsg(const HicovDhis2Read *r)
{
  return r ? r->errmsg : "";
}

void hicov_dhis2_read_counts(const HicovDhis2Read *r, HicovDhis2Counts *out)
{
  if (!out)
    return;
  if (r)
    *out = r->counts;
  else
    memset(out, 0, sizeof *out);
}

const char *hicov_dhis2_read_rejections(const HicovDhis2Read *r)
{
  return r && r->rejections && r->rejections[0] ? r->rejections : NULL;
}

const HicovValue *hicov_dhis2_read_values(const HicovDhis2Read *r, size_t *n)
{
  if (n)
    *n = r ? r->n : 0;
  return r ? r->values : NULL;
}

int hicov_dhis2_read_merge(const HicovDhis2Read *r, HicovDataset *ds,
                           int policy, const char *source,
                           HicovMergeStats *stats, char **conflicts)
{
  if (conflicts)
    *conflicts = NULL;
  if (!r || !ds)
    return HICOV_INVALID;
  char own[300];
  if (!source) {
    hicov_fmt(own, sizeof own, "%s:%s",
              r->format == HICOV_DHIS2_JSON ? "dhis2" : "adx", r->name);
    source = own;
  }
  return hicov_dataset_merge_values(ds, r->values, r->n, source, policy,
                                    stats, conflicts);
}
