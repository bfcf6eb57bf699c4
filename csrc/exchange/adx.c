/* adx.c - IHE QRPH Aggregate Data Exchange (ADX), the format DHIS2 imports.
 *
 * Export: one <group orgUnit period> per unit and year, one <dataValue
 * dataElement value> per measure or level indicator that can be computed.
 * Measures are written exactly (from the core's int64 hundredths);
 * indicators in the shortest decimal that reads back as the same double.
 *
 * Import: streamed with xmlTextReader (no network, no DTD, no entity
 * expansion), every value checked against the loose schema's rules and the
 * dataset (unit, measure, period, exact decimal) before anything is added.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include "report-private.h"
#include "xml-private.h"

#define ADX_NS "urn:ihe:qrph:adx:2015"
#define MAX_REJECTION_LINES 1000

#define W(call) do { if ((call) < 0) return -1; } while (0)

/* ---- Periods ----------------------------------------------------------- */

/* "2024-01-01/P1Y" for a period of whole months. */
static void adx_period(HicovPeriod p, char *buf, size_t size)
{
  int months = p.last - p.first + 1;
  int y = p.first / 12, m = p.first % 12 + 1;
  if (months % 12 == 0 && m == 1)
    snprintf(buf, size, "%04d-%02d-01/P%dY", y, m, months / 12);
  else
    snprintf(buf, size, "%04d-%02d-01/P%dM", y, m, months);
}

/* Parses "YYYY-MM-01/PnY" or "/PnM" (what hicov can hold: whole months
 * starting on the 1st).  0 on success, else -1 with the reason. */
static int parse_adx_period(const char *s, HicovPeriod *out, char *why,
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

/* ---- Exact decimals ---------------------------------------------------- */

/* centi (hundredths) as an exact decimal: "764769", "123.45", "-0.5". */
static void centi_text(int64_t centi, char *buf, size_t size)
{
  uint64_t a = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
  const char *sign = centi < 0 ? "-" : "";
  unsigned frac = (unsigned)(a % 100);
  if (frac == 0)
    snprintf(buf, size, "%s%llu", sign, (unsigned long long)(a / 100));
  else if (frac % 10 == 0)
    snprintf(buf, size, "%s%llu.%u", sign, (unsigned long long)(a / 100),
             frac / 10);
  else
    snprintf(buf, size, "%s%llu.%02u", sign, (unsigned long long)(a / 100),
             frac);
}

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

/* ---- Export ------------------------------------------------------------ */

typedef struct {
  HicovDataset *ds;
  const HicovAdxExportOptions *opt;
  size_t *units;
  size_t nunits;
  int first_year, last_year;
  int values; /* dataValues written */
} Export;

static int write_group(xmlTextWriterPtr w, Export *ex, const char *unit,
                       int year)
{
  HicovPeriod p = hicov_period_year(year);
  char text[400];
  int started = 0;

  /* Measures: exact totals from the core. */
  for (size_t m = 0; ex->opt->measures && m < hicov_measure_count(); m++) {
    const HicovMeasureInfo *mi = hicov_measure_info(m);
    int64_t centi;
    if (hicov_dataset_measure(ex->ds, mi->name, unit, p, NULL, &centi, NULL,
                              0) != HICOV_OK)
      continue;
    if (!started++) {
      W(xmlTextWriterStartElement(w, BAD_CAST "group"));
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "orgUnit", BAD_CAST unit));
      adx_period(p, text, sizeof text);
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "period", BAD_CAST text));
    }
    centi_text(centi, text, sizeof text);
    W(xmlTextWriterStartElement(w, BAD_CAST "dataValue"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "dataElement",
                                  BAD_CAST mi->name));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST text));
    W(xmlTextWriterEndElement(w));
    ex->values++;
  }
  /* Derived level indicators (those that are not a measure). */
  for (size_t i = 0; ex->opt->indicators && i < hicov_indicator_count();
       i++) {
    const HicovIndicatorInfo *info = hicov_indicator_info(i);
    if (info->kind != HICOV_IND_LEVEL || hicov_measure_find(info->name) >= 0)
      continue;
    HicovResult r;
    if (hicov_indicator_value(ex->ds, info->name, unit, p, NULL, &r) !=
            HICOV_OK || r.status != HICOV_OK || !isfinite(r.value))
      continue;
    if (!started++) {
      W(xmlTextWriterStartElement(w, BAD_CAST "group"));
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "orgUnit", BAD_CAST unit));
      adx_period(p, text, sizeof text);
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "period", BAD_CAST text));
    }
    report_format_double(r.value, text, sizeof text);
    W(xmlTextWriterStartElement(w, BAD_CAST "dataValue"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "dataElement",
                                  BAD_CAST info->name));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST text));
    W(xmlTextWriterEndElement(w));
    ex->values++;
  }
  if (started)
    W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_adx(xmlTextWriterPtr w, Export *ex)
{
  char when[32];
  int64_t t = ex->opt->exported ? ex->opt->exported : (int64_t)time(NULL);
  report_format_time(t, when, sizeof when);
  W(xmlTextWriterSetIndent(w, 1));
  W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "adx", BAD_CAST ADX_NS));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "exported", BAD_CAST when));
  for (size_t u = 0; u < ex->nunits; u++) {
    HicovUnit unit;
    if (hicov_dataset_unit(ex->ds, ex->units[u], &unit) != HICOV_OK)
      continue;
    for (int y = ex->first_year; y <= ex->last_year; y++)
      W(write_group(w, ex, unit.code, y));
  }
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

/* The units to export: opt->unit and everything below it, or all. */
static int export_units(HicovDataset *ds, const char *root, size_t **out,
                        size_t *n)
{
  size_t total = hicov_dataset_unit_count(ds);
  size_t *list = report_malloc((total ? total : 1) * sizeof *list);
  if (!list)
    return HICOV_NOMEM;
  size_t k = 0;
  if (!root) {
    for (size_t i = 0; i < total; i++)
      list[k++] = i;
  } else {
    size_t idx;
    HicovUnit ru;
    int rc = hicov_dataset_find_unit(ds, root, &idx);
    if (rc != HICOV_OK || hicov_dataset_unit(ds, idx, &ru) != HICOV_OK) {
      report_free(list);
      return HICOV_NOTFOUND;
    }
    list[k++] = idx;
    for (int level = ru.level + 1; level <= HICOV_LEVEL_FACILITY; level++) {
      size_t *below = NULL, nb = 0;
      rc = hicov_dataset_units_at(ds, level, root, NULL, &below, &nb);
      if (rc != HICOV_OK) {
        report_free(list);
        return rc;
      }
      for (size_t i = 0; i < nb && k < total; i++)
        list[k++] = below[i];
      report_free(below);
    }
  }
  *out = list;
  *n = k;
  return HICOV_OK;
}

int hicov_adx_export(HicovDataset *ds, const HicovAdxExportOptions *opt,
                     char **buf, size_t *len)
{
  if (!ds || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  if (len)
    *len = 0;
  static const HicovAdxExportOptions defaults = { NULL, 0, 0, 1, 1, 0 };
  Export ex = { ds, opt ? opt : &defaults, NULL, 0, 0, 0, 0 };
  int m0, m1;
  if (hicov_dataset_month_span(ds, &m0, &m1) != HICOV_OK)
    return HICOV_MISSING;
  ex.first_year = ex.opt->first_year ? ex.opt->first_year : m0 / 12;
  ex.last_year = ex.opt->last_year ? ex.opt->last_year : m1 / 12;
  if (ex.first_year > ex.last_year || ex.first_year < 1900 ||
      ex.last_year > 2200)
    return HICOV_INVALID;
  int rc = export_units(ds, ex.opt->unit, &ex.units, &ex.nunits);
  if (rc != HICOV_OK)
    return rc;

  xmlInitParser();
  xmlBufferPtr xb = xmlBufferCreate();
  xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
  if (!w) {
    xmlBufferFree(xb);
    report_free(ex.units);
    return HICOV_NOMEM;
  }
  int bad = write_adx(w, &ex);
  xmlFreeTextWriter(w);
  report_free(ex.units);
  if (bad) {
    xmlBufferFree(xb);
    return HICOV_NOMEM;
  }
  /* A document without any group would not be valid ADX. */
  if (ex.values == 0) {
    xmlBufferFree(xb);
    return HICOV_MISSING;
  }
  *buf = hxml_dup(xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
  if (*buf && len)
    *len = (size_t)xmlBufferLength(xb);
  xmlBufferFree(xb);
  return *buf ? HICOV_OK : HICOV_NOMEM;
}

/* ---- Import ------------------------------------------------------------ */

typedef struct {
  char *unit;
  int measure;
  HicovPeriod period;
  int64_t centi;
  long line;
} Pending;

typedef struct {
  const char *name;
  const char *lang; /* of the messages: the dataset's */
  HicovDataset *ds;
  int mode;
  HicovAdxImportStats stats;
  Pending *values;
  size_t n, cap;
  /* rejection messages, one per line */
  char *rej;
  size_t rej_len, rej_cap;
  long rej_lines;
  char first[512]; /* the first rejection, for strict mode */
  int nomem;
} Import;

static void reject(Import *im, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject(Import *im, long line, const char *fmt, ...)
{
  char msg[480], full[512];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
    hicov_utf8_trim(msg);
  va_end(ap);
  hicov_fmt(full, sizeof full, T_(im->lang, "%s line %ld: %s"), im->name, line,
            msg);
  im->stats.values_rejected++;
  if (!im->first[0])
    snprintf(im->first, sizeof im->first, "%s", full);
  if (im->rej_lines >= MAX_REJECTION_LINES)
    return;
  im->rej_lines++;
  size_t n = strlen(full);
  if (hicov_grow((void **)&im->rej, &im->rej_cap, im->rej_len + n + 2, 1) !=
      HICOV_OK) {
    im->nomem = 1;
    return;
  }
  memcpy(im->rej + im->rej_len, full, n);
  im->rej_len += n;
  im->rej[im->rej_len++] = '\n';
  im->rej[im->rej_len] = '\0';
}

/* Group attributes that describe the data set rather than disaggregate the
 * values; anything else on a group (mechanism, ...) is a dimension hicov
 * does not hold. */
static int is_group_metadata(const char *name)
{
  static const char *const ok[] = { "orgUnit", "period", "dataSet",
                                    "dataSetComplete", "completeDate",
                                    "comment", NULL };
  for (int i = 0; ok[i]; i++)
    if (!strcmp(name, ok[i]))
      return 1;
  return !strncmp(name, "xmlns", 5) || strchr(name, ':') != NULL;
}

typedef struct {
  char *org_unit;
  char *period_text;
  HicovPeriod period;
  int period_ok;
  char period_why[200];
  char *dimension; /* first unsupported group attribute, or NULL */
  long line;
} Group;

static void group_clear(Group *g)
{
  xmlFree(g->org_unit);
  xmlFree(g->period_text);
  xmlFree(g->dimension);
  memset(g, 0, sizeof *g);
}

/* Line of the reader's current element (the parser itself reads ahead). */
static long node_line(xmlTextReaderPtr r)
{
  xmlNodePtr n = xmlTextReaderCurrentNode(r);
  long line = n ? xmlGetLineNo(n) : -1;
  return line > 0 ? line : xmlTextReaderGetParserLineNumber(r);
}

static int read_group(Import *im, xmlTextReaderPtr r, Group *g)
{
  group_clear(g);
  g->line = node_line(r);
  g->org_unit = (char *)xmlTextReaderGetAttribute(r, BAD_CAST "orgUnit");
  g->period_text = (char *)xmlTextReaderGetAttribute(r, BAD_CAST "period");
  if (!g->org_unit || !g->period_text) {
    hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %ld: group: "
              "attribute '%s' is required"), im->name, g->line,
              g->org_unit ? "period" : "orgUnit");
    return -1;
  }
  g->period_ok = parse_adx_period(g->period_text, &g->period, g->period_why,
                                  sizeof g->period_why, im->lang) == 0;
  while (xmlTextReaderMoveToNextAttribute(r) == 1) {
    const char *an = (const char *)xmlTextReaderConstName(r);
    if (!is_group_metadata(an) && !g->dimension)
      g->dimension = (char *)xmlStrdup(BAD_CAST an);
  }
  xmlTextReaderMoveToElement(r);
  return 0;
}

static void read_value(Import *im, xmlTextReaderPtr r, const Group *g)
{
  long line = node_line(r);
  xmlChar *de = xmlTextReaderGetAttribute(r, BAD_CAST "dataElement");
  xmlChar *val = xmlTextReaderGetAttribute(r, BAD_CAST "value");
  char *dim = NULL;
  while (xmlTextReaderMoveToNextAttribute(r) == 1) {
    const char *an = (const char *)xmlTextReaderConstName(r);
    if (strcmp(an, "dataElement") && strcmp(an, "value") &&
        !strchr(an, ':') && strncmp(an, "xmlns", 5) && !dim)
      dim = (char *)xmlStrdup(BAD_CAST an);
  }
  xmlTextReaderMoveToElement(r);
  im->stats.values_read++;
  const char *el = de ? (const char *)de : "";
  int64_t centi = 0;
  int m = de ? hicov_measure_find(el) : -1;
  size_t uidx;

  if (!de || !val)
    reject(im, line, T_(im->lang, "dataValue: attribute '%s' is required"),
           de ? "value" : "dataElement");
  else if (!is_decimal((const char *)val))
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': value '%s' "
           "is not a decimal number (xs:decimal)"), el, (const char *)val);
  else if (m < 0 && hicov_indicator_find(el))
    im->stats.values_derived++; /* recomputed from the measures */
  else if (m < 0)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': unknown data "
           "element, expected a hicov measure such as 'participants' or "
           "'population'"), el);
  else if (g->dimension)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': the group is "
           "disaggregated by '%s', which hicov does not hold"), el,
           g->dimension);
  else if (dim)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': "
           "disaggregation '%s' is not supported (hicov takes totals only)"),
           el, dim);
  else if (!g->period_ok)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': %s"), el,
           g->period_why);
  else if (hicov_dataset_find_unit(im->ds, g->org_unit, &uidx) != HICOV_OK)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': orgUnit '%s' "
           "is not a unit of the dataset"), el, g->org_unit);
  else if (parse_centi((const char *)val, &centi) != 0)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': value '%s' "
           "is not an exact decimal with at most 2 fraction digits"), el,
           (const char *)val);
  else if (centi < 0)
    reject(im, line, T_(im->lang, "dataValue dataElement='%s': value '%s' "
                        "is negative"),
           el, (const char *)val);
  else if (hicov_grow((void **)&im->values, &im->cap, im->n + 1,
                      sizeof *im->values) != HICOV_OK)
    im->nomem = 1;
  else {
    Pending *p = &im->values[im->n];
    p->unit = report_strdup(g->org_unit);
    p->measure = m;
    p->period = g->period;
    p->centi = centi;
    p->line = line;
    if (p->unit)
      im->n++;
    else
      im->nomem = 1;
  }
  xmlFree(de);
  xmlFree(val);
  xmlFree(dim);
}

/* Refuses a DOCTYPE (so no DTD is read and no entity defined) and any
 * encoding but UTF-8, before the reader sees a byte. */
static int check_prolog(const char *data, size_t len, char *why,
                        size_t why_size, const char *lang)
{
  const unsigned char *p = (const unsigned char *)data;
  const unsigned char *end = p + len;
  if (len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) ||
                   (p[0] == 0xFF && p[1] == 0xFE) || p[0] == 0 || p[1] == 0)) {
    hicov_fmt(why, why_size, "%s",
              T_(lang, "expected UTF-8 (this looks like UTF-16)"));
    return -1;
  }
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    p += 3;
  for (;;) {
    while (p < end && isspace(*p))
      p++;
    if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
      const unsigned char *q = p + 4;
      while (end - q >= 3 && memcmp(q, "-->", 3))
        q++;
      p = end - q >= 3 ? q + 3 : end;
    } else if (end - p >= 2 && !memcmp(p, "<?", 2)) {
      const unsigned char *q = p + 2;
      while (end - q >= 2 && memcmp(q, "?>", 2))
        q++;
      p = end - q >= 2 ? q + 2 : end;
    } else {
      break;
    }
  }
  if (end - p >= 9 && !memcmp(p, "<!DOCTYPE", 9)) {
    hicov_fmt(why, why_size, "%s", T_(lang, "a DTD (<!DOCTYPE ...>) is not "
              "allowed: hicov never reads DTDs or expands entities"));
    return -1;
  }
  return 0;
}

/* Reads the whole document into im; -1 on a document-level error (message
 * in im->first). */
static int read_document(Import *im, const char *data, size_t len)
{
  char why[256];
  size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n'))
    i++;
  if (i == len) { /* libxml2 would say "Extra content at the end" */
    hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s: empty document: "
              "expected the root element <adx xmlns=\"%s\">"), im->name,
              ADX_NS);
    return -1;
  }
  if (check_prolog(data, len, why, sizeof why, im->lang) != 0) {
    snprintf(im->first, sizeof im->first, "%s: %s", im->name, why);
    return -1;
  }
  xmlInitParser();
  xmlTextReaderPtr r = xmlReaderForMemory(
      data, (int)len, im->name, NULL,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!r) {
    im->nomem = 1;
    return -1;
  }
  Group g = { 0 };
  int in_group = 0, seen_root = 0, rc, failed = 0;
  while (!failed && (rc = xmlTextReaderRead(r)) == 1) {
    int type = xmlTextReaderNodeType(r);
    if (type != XML_READER_TYPE_ELEMENT)
      continue;
    int depth = xmlTextReaderDepth(r);
    const char *ln = (const char *)xmlTextReaderConstLocalName(r);
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    long line = node_line(r);
    int ours = ns && !strcmp(ns, ADX_NS);
    if (depth == 0) {
      seen_root = 1;
      xmlChar *exported = xmlTextReaderGetAttribute(r, BAD_CAST "exported");
      if (!ours || strcmp(ln, "adx")) {
        hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %ld: "
                  "expected the root element <adx xmlns=\"%s\">, found "
                  "<%s>%s%s"), im->name, line, ADX_NS, ln,
                  ns ? T_(im->lang, " in namespace ") : "", ns ? ns : "");
        failed = 1;
      } else if (!exported) {
        hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %ld: "
                  "adx: attribute 'exported' is required"), im->name, line);
        failed = 1;
      }
      xmlFree(exported);
    } else if (depth == 1 && ours && !strcmp(ln, "group")) {
      if (read_group(im, r, &g) != 0)
        failed = 1;
      in_group = 1;
    } else if (depth == 2 && in_group && ours && !strcmp(ln, "dataValue")) {
      read_value(im, r, &g);
      if (im->nomem)
        failed = 1;
    } else if (depth == 3 && ours && !strcmp(ln, "annotation")) {
      continue; /* free text about a value */
    } else {
      hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %ld: "
                "unexpected element <%s>%s (ADX has adx > group > dataValue > "
                "annotation)"), im->name, line, ln,
                ours ? "" : T_(im->lang, " outside the ADX namespace"));
      failed = 1;
    }
  }
  if (!failed && rc != 0) {
    const xmlError *e = xmlGetLastError();
    if (e && e->message && strstr(e->message, "Huge input lookup"))
      /* libxml2's limit on one name, attribute or text node (10,000,000
       * bytes without XML_PARSE_HUGE, which hicov never sets) */
      hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %d: a "
                "name, attribute value or text longer than 10,000,000 bytes: "
                "refusing the document"), im->name, e->line);
    else
      hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s line %d: %s"),
                im->name, e ? e->line : 0,
                e && e->message ? e->message : T_(im->lang, "malformed XML"));
    size_t n = strlen(im->first);
    while (n && im->first[n - 1] == '\n')
      im->first[--n] = '\0';
    failed = 1;
  }
  if (!failed && !seen_root) {
    hicov_fmt(im->first, sizeof im->first, T_(im->lang, "%s: empty document"),
              im->name);
    failed = 1;
  }
  group_clear(&g);
  xmlFreeTextReader(r);
  return failed ? -1 : 0;
}

static int pending_cmp(const void *a, const void *b)
{
  const Pending *x = a, *y = b;
  int c = strcmp(x->unit, y->unit);
  if (c)
    return c;
  if (x->measure != y->measure)
    return x->measure < y->measure ? -1 : 1;
  if (x->period.first != y->period.first)
    return x->period.first < y->period.first ? -1 : 1;
  if (x->period.last != y->period.last)
    return x->period.last < y->period.last ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* Rejects every value after the first for the same unit, measure and
 * period (the dataset would refuse it anyway, but only after the earlier
 * values were added); keeps the rest in document order. */
static void reject_duplicates(Import *im)
{
  if (im->n < 2)
    return;
  qsort(im->values, im->n, sizeof *im->values, pending_cmp);
  size_t k = 1;
  for (size_t i = 1; i < im->n; i++) {
    Pending *prev = &im->values[k - 1], *p = &im->values[i];
    if (!strcmp(prev->unit, p->unit) && prev->measure == p->measure &&
        prev->period.first == p->period.first &&
        prev->period.last == p->period.last) {
      char period[16];
      hicov_period_format(p->period, period, sizeof period);
      reject(im, p->line, T_(im->lang, "dataValue dataElement='%s': a second "
             "value for orgUnit '%s' and period %s (the first is on line "
             "%ld)"),
             hicov_measure_info((size_t)p->measure)->name, p->unit, period,
             prev->line);
      report_free(p->unit);
    } else {
      im->values[k++] = *p;
    }
  }
  im->n = k;
}

static void set_err(char *err, size_t size, const char *msg)
{
  if (err && size)
    snprintf(err, size, "%s", msg);
}

int hicov_adx_import_buffer(HicovDataset *ds, const char *name,
                            const char *data, size_t len, int mode,
                            HicovAdxImportStats *stats, char **rejections,
                            char *err, size_t err_size)
{
  if (rejections)
    *rejections = NULL;
  if (stats)
    memset(stats, 0, sizeof *stats);
  if (!ds || !data || len > (size_t)INT32_MAX)
    return HICOV_INVALID;
  Import im = { 0 };
  im.name = name ? name : "adx";
  im.ds = ds;
  im.lang = hicov_dataset_lang(ds);
  im.mode = mode;
  /* Even a "strict" load has to see the whole document: the reader is
   * single-pass and nothing may be added before everything is checked. */
  xmlResetLastError();
  int rc = HICOV_OK;
  int read_ok = read_document(&im, data, len) == 0;
  if (read_ok)
    reject_duplicates(&im);
  if (!read_ok) {
    rc = im.nomem ? HICOV_NOMEM : HICOV_PARSE;
    set_err(err, err_size,
            im.nomem ? hicov_text(im.lang, hicov_status_string(HICOV_NOMEM))
                     : im.first);
  } else if (mode == HICOV_LOAD_STRICT && im.stats.values_rejected > 0) {
    rc = HICOV_PARSE;
    char msg[600];
    if (im.stats.values_rejected == 1)
      hicov_fmt(msg, sizeof msg, T_(im.lang, "%s (%ld value rejected in all; "
                "nothing was imported)"), im.first, im.stats.values_rejected);
    else
      hicov_fmt(msg, sizeof msg, T_(im.lang, "%s (%ld values rejected in all; "
                "nothing was imported)"), im.first, im.stats.values_rejected);
    set_err(err, err_size, msg);
  } else {
    char source[300];
    snprintf(source, sizeof source, "adx:%s", im.name);
    /* a strict import, or any import out of memory, is all or nothing */
    HicovDatasetMark mark;
    hicov_dataset_mark(ds, &mark);
    for (size_t i = 0; i < im.n && rc == HICOV_OK; i++) {
      const Pending *p = &im.values[i];
      const HicovMeasureInfo *mi = hicov_measure_info((size_t)p->measure);
      int arc = hicov_dataset_add_value(ds, p->unit, mi->name, NULL,
                                        p->period, p->centi, source);
      if (arc == HICOV_OK) {
        im.stats.values_imported++;
      } else if (arc == HICOV_NOMEM) {
        rc = HICOV_NOMEM;
        set_err(err, err_size,
                hicov_text(im.lang, hicov_status_string(HICOV_NOMEM)));
      } else {
        reject(&im, p->line, T_(im.lang, "dataValue dataElement='%s' orgUnit "
                                "'%s': %s"),
               mi->name, p->unit, hicov_dataset_errmsg(ds));
        if (mode == HICOV_LOAD_STRICT) {
          rc = HICOV_PARSE;
          set_err(err, err_size, im.first);
        }
      }
    }
    if (rc != HICOV_OK) {
      hicov_dataset_rollback(ds, &mark);
      im.stats.values_imported = 0;
    }
  }
  if (im.rej_lines >= MAX_REJECTION_LINES &&
      im.stats.values_rejected > MAX_REJECTION_LINES) {
    char more[96];
    hicov_fmt(more, sizeof more, T_(im.lang, "... and %ld more rejections\n"),
             im.stats.values_rejected - MAX_REJECTION_LINES);
    size_t n = strlen(more);
    if (hicov_grow((void **)&im.rej, &im.rej_cap, im.rej_len + n + 1, 1) ==
        HICOV_OK) {
      memcpy(im.rej + im.rej_len, more, n + 1);
      im.rej_len += n;
    }
  }
  for (size_t i = 0; i < im.n; i++)
    report_free(im.values[i].unit);
  report_free(im.values);
  if (stats)
    *stats = im.stats;
  if (rejections && im.rej_len)
    *rejections = im.rej;
  else
    report_free(im.rej);
  if (rc == HICOV_OK && im.nomem)
    rc = HICOV_NOMEM;
  return rc;
}

int hicov_adx_import_file(HicovDataset *ds, const char *path, int mode,
                          HicovAdxImportStats *stats, char **rejections,
                          char *err, size_t err_size)
{
  if (rejections)
    *rejections = NULL;
  if (stats) /* zero on every path, an unreadable file included */
    memset(stats, 0, sizeof *stats);
  if (!ds || !path)
    return HICOV_INVALID;
  char *data;
  size_t len;
  char msg[300];
  int rc = hicov_read_file(path, HICOV_ADX_MAX_BYTES, &data, &len, msg,
                           sizeof msg);
  if (rc != HICOV_OK) {
    set_err(err, err_size, msg);
    return rc;
  }
  rc = hicov_adx_import_buffer(ds, path, data, len, mode, stats, rejections,
                               err, err_size);
  hicov_free(data);
  return rc;
}

int hicov_adx_save(HicovDataset *ds, const HicovAdxExportOptions *opt,
                   const char *path, char *err, size_t err_size)
{
  char *buf;
  size_t len;
  const char *lang = hicov_dataset_lang(ds);
  int rc = hicov_adx_export(ds, opt, &buf, &len);
  if (rc != HICOV_OK) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s: %s%s", path ? path : "",
                hicov_text(lang, hicov_status_string(rc)),
                rc == HICOV_NOTFOUND ? T_(lang, " (unknown unit)") :
                rc == HICOV_MISSING ? T_(lang, " (no value to export)") :
                rc == HICOV_INVALID ? T_(lang, " (bad years or arguments)")
                                    : "");
    return rc;
  }
  rc = report_write_atomic(path, buf, len, err, err_size);
  report_free(buf);
  return rc;
}
