/* dhis2-json.c - DHIS2's dataValueSets JSON, out and in.
 *
 * Out: written by hand from the export plan, one data value a line, every
 * string escaped (quotes, backslashes, control characters; bytes that are
 * not UTF-8 become U+FFFD), values as strings (exact decimals, as DHIS2
 * writes them).  The identifier schemes of the mapping go in the document
 * (orgUnitIdScheme, ...), where DHIS2's import reads them.
 *
 * In: parsed with jansson (strict RFC 8259: no NaN, no trailing commas,
 * UTF-8 checked, duplicate keys refused), the whole document in memory
 * (hence HICOV_DHIS2_JSON_MAX_BYTES); each data value goes to
 * dhis2-read.c as from an ADX file, its place being dataValues[i]. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "dhis2-private.h"

/* ---- Writing -------------------------------------------------------------- */

typedef struct {
  char *p;
  size_t len, cap;
  int nomem;
} Out;

static void put(Out *o, const char *s, size_t n)
{
  if (o->nomem)
    return;
  if (hicov_grow((void **)&o->p, &o->cap, o->len + n + 1, 1)) {
    o->nomem = 1;
    return;
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
  o->p[o->len] = '\0';
}

static void puts_(Out *o, const char *s)
{
  put(o, s, strlen(s));
}

/* Length of the UTF-8 character at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
  size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2
           : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (!k || k > n || (k == 2 && s[0] < 0xC2))
    return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if (k == 3) {
    unsigned cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
  } else if (k == 4) {
    unsigned cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
                  ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF)
      return 0;
  }
  return k;
}

/* A JSON string literal. */
static void put_string(Out *o, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  put(o, "\"", 1);
  for (size_t i = 0; i < n;) {
    char esc[8];
    size_t k = utf8_len(p + i, n - i);
    if (p[i] == '"' || p[i] == '\\') {
      esc[0] = '\\';
      esc[1] = (char)p[i];
      put(o, esc, 2);
      i++;
    } else if (p[i] < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", p[i]);
      put(o, esc, 6);
      i++;
    } else if (!k) {
      put(o, "\\ufffd", 6); /* not UTF-8: the replacement character */
      i++;
    } else {
      put(o, s + i, k);
      i += k;
    }
  }
  put(o, "\"", 1);
}

static void put_member(Out *o, const char *key, const char *value, int comma)
{
  put_string(o, key);
  puts_(o, ": ");
  put_string(o, value);
  if (comma)
    puts_(o, ", ");
}

/* completeDate registers one data set, period and org unit: the JSON
 * carries it only for an export of one of each. */
static int check_complete(const Dhis2Plan *plan, const char *lang, char *err,
                          size_t err_size)
{
  if (!plan->complete_date)
    return HICOV_OK;
  if (plan->stats.org_units > 1 || plan->stats.periods > 1) {
    hicov_fmt(err, err_size, T_(lang, "completeDate: a dataValueSets JSON "
              "document registers the completion of one data set, period "
              "and org unit, and this export has %ld org units and %ld "
              "periods: export one unit and one period, or ADX, whose groups "
              "each carry it"), plan->stats.org_units, plan->stats.periods);
    return HICOV_INVALID;
  }
  return HICOV_OK;
}

int dhis2_write_json(const Dhis2Plan *plan, char **buf, size_t *len,
                     const char *lang, char *err, size_t err_size)
{
  int rc = check_complete(plan, lang, err, err_size);
  if (rc)
    return rc;
  Out o = { 0 };
  char period[24];
  puts_(&o, "{\n");
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++) {
    puts_(&o, "  ");
    put_member(&o, hicov_dhis2_scheme_param(k),
               hicov_dhis2_scheme_name(plan->schemes[k]), 0);
    puts_(&o, ",\n");
  }
  if (plan->data_set) {
    puts_(&o, "  ");
    put_member(&o, "dataSet", plan->data_set, 0);
    puts_(&o, ",\n");
  }
  if (plan->complete_date && plan->n) {
    dhis2_iso_period(plan->v[0].period, period, sizeof period);
    puts_(&o, "  ");
    put_member(&o, "completeDate", plan->complete_date, 1);
    put_member(&o, "period", period, 1);
    put_member(&o, "orgUnit", plan->v[0].org_unit, 0);
    puts_(&o, ",\n");
  }
  puts_(&o, "  \"dataValues\": [\n");
  for (size_t i = 0; i < plan->n; i++) {
    const Dhis2Entry *e = &plan->v[i];
    dhis2_iso_period(e->period, period, sizeof period);
    puts_(&o, "    {");
    put_member(&o, "dataElement", e->data_element, 1);
    put_member(&o, "period", period, 1);
    put_member(&o, "orgUnit", e->org_unit, 1);
    if (e->coc)
      put_member(&o, "categoryOptionCombo", e->coc, 1);
    if (plan->aoc)
      put_member(&o, "attributeOptionCombo", plan->aoc, 1);
    put_member(&o, "value", e->value, 0);
    puts_(&o, i + 1 < plan->n ? "},\n" : "}\n");
  }
  puts_(&o, "  ]\n}\n");
  if (o.nomem) {
    hicov_free(o.p);
    return HICOV_NOMEM;
  }
  *buf = o.p;
  *len = o.len;
  return HICOV_OK;
}

/* ---- Reading -------------------------------------------------------------- */

/* What a JSON value is, in a sentence ("found an array"). */
static const char *json_kind(const json_t *v, const char *lang)
{
  switch (json_typeof(v)) {
  case JSON_OBJECT: return T_(lang, "an object");
  case JSON_ARRAY: return T_(lang, "an array");
  case JSON_STRING: return T_(lang, "a string");
  case JSON_INTEGER:
  case JSON_REAL: return T_(lang, "a number");
  case JSON_TRUE:
  case JSON_FALSE: return T_(lang, "true or false");
  default: return "null";
  }
}

/* A number as the decimal its writer most likely wrote: an integer
 * exactly, a real in the shortest form that reads back as the same
 * double (what JSON writers print). */
static void number_text(const json_t *v, char *buf, size_t size)
{
  if (json_is_integer(v)) {
    hicov_fmt_c(buf, size, "%lld", (long long)json_integer_value(v));
    return;
  }
  double d = json_real_value(v);
  int found = 0;
  for (int prec = 1; prec <= 17 && !found; prec++) {
    hicov_fmt_c(buf, size, "%.*f", prec, d);
    found = hicov_strtod_c(buf, NULL) == d;
  }
  if (!found) { /* 1e-30: not a decimal hicov can hold, said as it is */
    hicov_fmt_c(buf, size, "%.17g", d);
    return;
  }
  /* "12.50" -> "12.5": trailing zeros of the fraction say nothing */
  char *dot = strchr(buf, '.');
  if (dot) {
    size_t n = strlen(buf);
    while (n > (size_t)(dot - buf) + 2 && buf[n - 1] == '0')
      buf[--n] = '\0';
  }
}

/* The schemes a document declares must be the map's. */
static int check_schemes(Dhis2Reader *rd, const json_t *root)
{
  const json_t *general = json_object_get(root, "idScheme");
  for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++) {
    const json_t *s = json_object_get(root, hicov_dhis2_scheme_param(k));
    const char *key = s ? hicov_dhis2_scheme_param(k) : "idScheme";
    if (!s)
      s = general;
    if (!s || !hicov_dhis2_map_count(rd->map, k))
      continue;
    int scheme = json_is_string(s) ? dhis2_scheme_parse(json_string_value(s))
                                   : -1;
    if (scheme != hicov_dhis2_map_scheme(rd->map, k)) {
      hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: %s is %s%s%s "
                "but the mapping's %s identifiers are %s"), rd->name, key,
                json_is_string(s) ? "'" : "",
                json_is_string(s) ? json_string_value(s)
                                  : json_kind(s, rd->lang),
                json_is_string(s) ? "'" : "", hicov_dhis2_kind_name(k),
                hicov_dhis2_map_scheme(rd->map, k) == HICOV_DHIS2_UID
                    ? "UIDs" : "codes");
      return -1;
    }
  }
  return 0;
}

/* A string member of a data value, its default from the document, or
 * NULL; *bad names a member of another type. */
static const char *member(const json_t *obj, const json_t *root,
                          const char *key, const char **bad)
{
  const json_t *v = json_object_get(obj, key);
  if (!v && root)
    v = json_object_get(root, key);
  if (!v || json_is_null(v))
    return NULL;
  if (!json_is_string(v)) {
    if (!*bad)
      *bad = key;
    return NULL;
  }
  return json_string_value(v);
}

static void read_json_value(Dhis2Reader *rd, const json_t *root,
                            const json_t *dv, long i)
{
  if (!json_is_object(dv)) {
    rd->stats.values_read++;
    dhis2_reject(rd, i, T_(rd->lang, "expected a data value object, found "
                 "%s"), json_kind(dv, rd->lang));
    return;
  }
  Dhis2Raw raw;
  char number[64], why[300];
  const char *bad = NULL;
  memset(&raw, 0, sizeof raw);
  raw.line = i;
  raw.data_element = member(dv, NULL, "dataElement", &bad);
  raw.org_unit = member(dv, root, "orgUnit", &bad);
  raw.aoc = member(dv, root, "attributeOptionCombo", &bad);
  raw.coc = member(dv, NULL, "categoryOptionCombo", &bad);
  const char *period = member(dv, root, "period", &bad);
  const json_t *value = json_object_get(dv, "value");
  if (json_is_number(value)) {
    number_text(value, number, sizeof number);
    raw.value = number;
  } else {
    raw.value = member(dv, NULL, "value", &bad);
  }
  raw.deleted = json_is_true(json_object_get(dv, "deleted"));
  if (bad) { /* a disaggregation by categories, or a wrong type */
    const json_t *what = json_object_get(dv, bad);
    rd->stats.values_read++;
    dhis2_reject(rd, i, T_(rd->lang, "dataValue dataElement='%s': %s: "
                 "expected a string, found %s"), raw.data_element
                 ? raw.data_element : "", bad,
                 json_kind(what ? what : json_object_get(root, bad),
                           rd->lang));
    return;
  }
  raw.period_why = why;
  raw.period_ok = period && dhis2_parse_iso_period(period, &raw.period, why,
                                                   sizeof why, rd->lang) == 0;
  if (!period)
    hicov_fmt(why, sizeof why, "%s", T_(rd->lang, "no period"));
  dhis2_take(rd, &raw);
}

int dhis2_read_json_document(Dhis2Reader *rd, const char *data, size_t len,
                             int *status)
{
  json_error_t e;
  *status = HICOV_PARSE;
  json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
  if (!root) {
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %d, column "
              "%d: %s"), rd->name, e.line, e.column, e.text);
    return -1;
  }
  const json_t *values = json_object_get(root, "dataValues");
  int rc = -1;
  if (!json_is_object(root))
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: expected a "
              "dataValueSets object {\"dataValues\": [...]}, found %s"),
              rd->name, json_kind(root, rd->lang));
  else if (json_object_get(root, "deletion"))
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: a deletion "
              "scope: hicov imports values, it deletes none"), rd->name);
  else if (!json_is_array(values))
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: expected an "
              "array \"dataValues\", found %s"), rd->name,
              values ? json_kind(values, rd->lang) : T_(rd->lang, "none"));
  else if (check_schemes(rd, root) != 0)
    *status = HICOV_INVALID;
  else
    rc = 0;
  for (size_t i = 0; rc == 0 && i < json_array_size(values) && !rd->nomem;
       i++)
    read_json_value(rd, root, json_array_get(values, i), (long)i);
  if (rc == 0)
    *status = HICOV_OK;
  json_decref(root);
  return rc;
}
