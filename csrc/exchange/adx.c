/* adx.c - IHE QRPH Aggregate Data Exchange (ADX), the format DHIS2 imports.
 *
 * Export: the plan of dhis2-export.c (units, periods, values, mapped
 * identifiers) written as one <group orgUnit period [dataSet completeDate
 * attributeOptionCombo]> per unit and period and one <dataValue
 * dataElement [categoryOptionCombo] value> per value.  Measures are written
 * exactly (from the core's int64 hundredths); indicators in the shortest
 * decimal that reads back as the same double.
 *
 * Import: streamed with xmlTextReader (no network, no DTD, no entity
 * expansion); every data value goes to dhis2-read.c, which checks it
 * against the loose schema's rules, the mapping and the dataset (unit,
 * measure, group, period, exact decimal) before anything is added.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include "dhis2-private.h"
#include "xml-private.h"

#define ADX_NS "urn:ihe:qrph:adx:2015"

#define W(call) do { if ((call) < 0) return -1; } while (0)

/* ---- Export ------------------------------------------------------------ */

static int start_group(xmlTextWriterPtr w, const Dhis2Plan *plan,
                       const Dhis2Entry *e)
{
  char period[40];
  dhis2_adx_period(e->period, period, sizeof period);
  W(xmlTextWriterStartElement(w, BAD_CAST "group"));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "orgUnit",
                                BAD_CAST e->org_unit));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "period", BAD_CAST period));
  if (plan->data_set)
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "dataSet",
                                  BAD_CAST plan->data_set));
  if (plan->complete_date)
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "completeDate",
                                  BAD_CAST plan->complete_date));
  if (plan->aoc)
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "attributeOptionCombo",
                                  BAD_CAST plan->aoc));
  return 0;
}

static int write_adx(xmlTextWriterPtr w, const Dhis2Plan *plan)
{
  char when[32];
  report_format_time(plan->exported, when, sizeof when);
  W(xmlTextWriterSetIndent(w, 1));
  W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "adx", BAD_CAST ADX_NS));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "exported", BAD_CAST when));
  for (size_t i = 0; i < plan->n; i++) {
    const Dhis2Entry *e = &plan->v[i], *prev = i ? &plan->v[i - 1] : NULL;
    int same = prev && prev->unit == e->unit &&
               prev->period.first == e->period.first &&
               prev->period.last == e->period.last;
    if (prev && !same)
      W(xmlTextWriterEndElement(w));
    if (!same)
      W(start_group(w, plan, e));
    W(xmlTextWriterStartElement(w, BAD_CAST "dataValue"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "dataElement",
                                  BAD_CAST e->data_element));
    if (e->coc)
      W(xmlTextWriterWriteAttribute(w, BAD_CAST "categoryOptionCombo",
                                    BAD_CAST e->coc));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST e->value));
    W(xmlTextWriterEndElement(w));
  }
  if (plan->n)
    W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

int dhis2_write_adx(const Dhis2Plan *plan, char **buf, size_t *len)
{
  xmlInitParser();
  xmlBufferPtr xb = xmlBufferCreate();
  xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
  if (!w) {
    xmlBufferFree(xb);
    return HICOV_NOMEM;
  }
  int bad = write_adx(w, plan);
  xmlFreeTextWriter(w);
  if (!bad) {
    *buf = hxml_dup(xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    *len = (size_t)xmlBufferLength(xb);
  }
  xmlBufferFree(xb);
  return !bad && *buf ? HICOV_OK : HICOV_NOMEM;
}

int hicov_adx_export(HicovDataset *ds, const HicovAdxExportOptions *opt,
                     char **buf, size_t *len)
{
  char err[8];
  return hicov_dhis2_export(ds, opt, HICOV_DHIS2_ADX, buf, len, NULL, NULL,
                            err, sizeof err);
}

int hicov_adx_save(HicovDataset *ds, const HicovAdxExportOptions *opt,
                   const char *path, char *err, size_t err_size)
{
  char why[600];
  if (!ds || !path)
    return HICOV_INVALID;
  int rc = hicov_dhis2_save(ds, opt, HICOV_DHIS2_ADX, path, NULL, NULL, why,
                            sizeof why);
  if (rc != HICOV_OK && err && err_size)
    hicov_fmt(err, err_size, "%s", why);
  return rc;
}

/* ---- Import: the document ----------------------------------------------- */

/* Group attributes that describe the data set rather than disaggregate the
 * values; anything else on a group (mechanism, ...) is a dimension hicov
 * does not hold. */
static int is_group_metadata(const char *name)
{
  static const char *const ok[] = { "orgUnit", "period", "dataSet",
                                    "dataSetComplete", "completeDate",
                                    "comment", "attributeOptionCombo", NULL };
  for (int i = 0; ok[i]; i++)
    if (!strcmp(name, ok[i]))
      return 1;
  return !strncmp(name, "xmlns", 5) || strchr(name, ':') != NULL;
}

/* Data value attributes that are not a dimension. */
static int is_value_metadata(const char *name)
{
  static const char *const ok[] = { "dataElement", "value", "comment",
                                    "followup", "followUp", "deleted",
                                    "categoryOptionCombo", NULL };
  for (int i = 0; ok[i]; i++)
    if (!strcmp(name, ok[i]))
      return 1;
  return !strncmp(name, "xmlns", 5) || strchr(name, ':') != NULL;
}

typedef struct {
  char *org_unit;
  char *period_text;
  char *aoc;
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
  xmlFree(g->aoc);
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

static int read_group(Dhis2Reader *rd, xmlTextReaderPtr r, Group *g)
{
  group_clear(g);
  g->line = node_line(r);
  g->org_unit = (char *)xmlTextReaderGetAttribute(r, BAD_CAST "orgUnit");
  g->period_text = (char *)xmlTextReaderGetAttribute(r, BAD_CAST "period");
  g->aoc = (char *)xmlTextReaderGetAttribute(r,
                                             BAD_CAST "attributeOptionCombo");
  if (!g->org_unit || !g->period_text) {
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %ld: group: "
              "attribute '%s' is required"), rd->name, g->line,
              g->org_unit ? "period" : "orgUnit");
    return -1;
  }
  g->period_ok = dhis2_parse_adx_period(g->period_text, &g->period,
                                        g->period_why, sizeof g->period_why,
                                        rd->lang) == 0;
  while (xmlTextReaderMoveToNextAttribute(r) == 1) {
    const char *an = (const char *)xmlTextReaderConstName(r);
    if (!is_group_metadata(an) && !g->dimension)
      g->dimension = (char *)xmlStrdup(BAD_CAST an);
  }
  xmlTextReaderMoveToElement(r);
  return 0;
}

static void read_value(Dhis2Reader *rd, xmlTextReaderPtr r, const Group *g)
{
  Dhis2Raw raw;
  memset(&raw, 0, sizeof raw);
  raw.line = node_line(r);
  xmlChar *de = xmlTextReaderGetAttribute(r, BAD_CAST "dataElement");
  xmlChar *val = xmlTextReaderGetAttribute(r, BAD_CAST "value");
  xmlChar *coc = xmlTextReaderGetAttribute(r, BAD_CAST "categoryOptionCombo");
  xmlChar *del = xmlTextReaderGetAttribute(r, BAD_CAST "deleted");
  char *dim = NULL;
  while (xmlTextReaderMoveToNextAttribute(r) == 1) {
    const char *an = (const char *)xmlTextReaderConstName(r);
    if (!is_value_metadata(an) && !dim)
      dim = (char *)xmlStrdup(BAD_CAST an);
  }
  xmlTextReaderMoveToElement(r);
  raw.org_unit = g->org_unit;
  raw.data_element = (const char *)de;
  raw.value = (const char *)val;
  raw.coc = (const char *)coc;
  raw.aoc = g->aoc;
  raw.dimension = dim;
  raw.group_dimension = g->dimension;
  raw.deleted = del && !strcasecmp((const char *)del, "true");
  raw.period_ok = g->period_ok;
  raw.period = g->period;
  raw.period_why = g->period_why;
  dhis2_take(rd, &raw);
  xmlFree(de);
  xmlFree(val);
  xmlFree(coc);
  xmlFree(del);
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

/* One element of the document: 0 to go on, -1 on a document error. */
static int read_element(Dhis2Reader *rd, xmlTextReaderPtr r, Group *g,
                        int *in_group, int *seen_root)
{
  int depth = xmlTextReaderDepth(r);
  const char *ln = (const char *)xmlTextReaderConstLocalName(r);
  const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
  long line = node_line(r);
  int ours = ns && !strcmp(ns, ADX_NS);
  if (depth == 0) {
    *seen_root = 1;
    xmlChar *exported = xmlTextReaderGetAttribute(r, BAD_CAST "exported");
    int failed = 1;
    if (!ours || strcmp(ln, "adx"))
      hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %ld: "
                "expected the root element <adx xmlns=\"%s\">, found "
                "<%s>%s%s"), rd->name, line, ADX_NS, ln,
                ns ? T_(rd->lang, " in namespace ") : "", ns ? ns : "");
    else if (!exported)
      hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %ld: "
                "adx: attribute 'exported' is required"), rd->name, line);
    else
      failed = 0;
    xmlFree(exported);
    return failed ? -1 : 0;
  }
  if (depth == 1 && ours && !strcmp(ln, "group")) {
    *in_group = 1;
    return read_group(rd, r, g);
  }
  if (depth == 2 && *in_group && ours && !strcmp(ln, "dataValue")) {
    read_value(rd, r, g);
    return rd->nomem ? -1 : 0;
  }
  if (depth == 3 && ours && !strcmp(ln, "annotation"))
    return 0; /* free text about a value */
  hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %ld: "
            "unexpected element <%s>%s (ADX has adx > group > dataValue > "
            "annotation)"), rd->name, line, ln,
            ours ? "" : T_(rd->lang, " outside the ADX namespace"));
  return -1;
}

/* libxml2's own error as the document's message. */
static void reader_error(Dhis2Reader *rd)
{
  const xmlError *e = xmlGetLastError();
  if (e && e->message && strstr(e->message, "Huge input lookup"))
    /* libxml2's limit on one name, attribute or text node (10,000,000
     * bytes without XML_PARSE_HUGE, which hicov never sets) */
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %d: a "
              "name, attribute value or text longer than 10,000,000 bytes: "
              "refusing the document"), rd->name, e->line);
  else
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s line %d: %s"),
              rd->name, e ? e->line : 0,
              e && e->message ? e->message : T_(rd->lang, "malformed XML"));
  size_t n = strlen(rd->first);
  while (n && rd->first[n - 1] == '\n')
    rd->first[--n] = '\0';
}

int dhis2_read_adx_document(Dhis2Reader *rd, const char *data, size_t len)
{
  char why[256];
  size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n'))
    i++;
  if (i == len) { /* libxml2 would say "Extra content at the end" */
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: empty document: "
              "expected the root element <adx xmlns=\"%s\">"), rd->name,
              ADX_NS);
    return -1;
  }
  if (check_prolog(data, len, why, sizeof why, rd->lang) != 0) {
    hicov_fmt(rd->first, sizeof rd->first, "%s: %s", rd->name, why);
    return -1;
  }
  xmlInitParser();
  xmlResetLastError();
  xmlTextReaderPtr r = xmlReaderForMemory(
      data, (int)len, rd->name, NULL,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!r) {
    rd->nomem = 1;
    return -1;
  }
  Group g = { 0 };
  int in_group = 0, seen_root = 0, rc, failed = 0;
  while (!failed && (rc = xmlTextReaderRead(r)) == 1)
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT)
      failed = read_element(rd, r, &g, &in_group, &seen_root) != 0;
  if (!failed && rc != 0) {
    reader_error(rd);
    failed = 1;
  }
  if (!failed && !seen_root) {
    hicov_fmt(rd->first, sizeof rd->first, T_(rd->lang, "%s: empty document"),
              rd->name);
    failed = 1;
  }
  group_clear(&g);
  xmlFreeTextReader(r);
  return failed ? -1 : 0;
}

/* ---- Import into a dataset (hicov-report.h) ------------------------------ */

static void set_err(char *err, size_t size, const char *msg)
{
  if (err && size)
    snprintf(err, size, "%s", msg);
}

/* Adds the checked values one by one; a strict import, or any import out
 * of memory, is all or nothing. */
static int add_values(Dhis2Reader *rd, int mode, char *err, size_t err_size)
{
  char source[300];
  snprintf(source, sizeof source, "adx:%s", rd->name);
  HicovDatasetMark mark;
  hicov_dataset_mark(rd->ds, &mark);
  int rc = HICOV_OK;
  for (size_t i = 0; i < rd->n && rc == HICOV_OK; i++) {
    const Dhis2Pending *p = &rd->values[i];
    const HicovMeasureInfo *mi = hicov_measure_info((size_t)p->measure);
    int arc = hicov_dataset_add_value(rd->ds, p->unit, mi->name, p->group,
                                      p->period, p->centi, source);
    if (arc == HICOV_OK) {
      rd->stats.values_imported++;
    } else if (arc == HICOV_NOMEM) {
      rc = HICOV_NOMEM;
      set_err(err, err_size,
              hicov_text(rd->lang, hicov_status_string(HICOV_NOMEM)));
    } else {
      dhis2_reject(rd, p->line, T_(rd->lang, "dataValue dataElement='%s' "
                   "orgUnit '%s': %s"), mi->name, p->unit,
                   hicov_dataset_errmsg(rd->ds));
      if (mode == HICOV_LOAD_STRICT) {
        rc = HICOV_PARSE;
        set_err(err, err_size, rd->first);
      }
    }
  }
  if (rc != HICOV_OK) {
    hicov_dataset_rollback(rd->ds, &mark);
    rd->stats.values_imported = 0;
  }
  return rc;
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
  Dhis2Reader rd;
  memset(&rd, 0, sizeof rd);
  rd.name = name ? name : "adx";
  rd.ds = ds;
  rd.lang = hicov_dataset_lang(ds);
  /* Even a "strict" load has to see the whole document: the reader is
   * single-pass and nothing may be added before everything is checked. */
  int rc = HICOV_OK;
  int read_ok = dhis2_read_adx_document(&rd, data, len) == 0;
  if (read_ok)
    dhis2_reject_duplicates(&rd);
  if (!read_ok) {
    rc = rd.nomem ? HICOV_NOMEM : HICOV_PARSE;
    set_err(err, err_size,
            rd.nomem ? hicov_text(rd.lang, hicov_status_string(HICOV_NOMEM))
                     : rd.first);
  } else if (mode == HICOV_LOAD_STRICT && rd.stats.values_rejected > 0) {
    rc = HICOV_PARSE;
    char msg[600];
    if (rd.stats.values_rejected == 1)
      hicov_fmt(msg, sizeof msg, T_(rd.lang, "%s (%ld value rejected in all; "
                "nothing was imported)"), rd.first, rd.stats.values_rejected);
    else
      hicov_fmt(msg, sizeof msg, T_(rd.lang, "%s (%ld values rejected in all; "
                "nothing was imported)"), rd.first, rd.stats.values_rejected);
    set_err(err, err_size, msg);
  } else {
    rc = add_values(&rd, mode, err, err_size);
  }
  dhis2_finish_rejections(&rd);
  if (stats)
    *stats = rd.stats;
  if (rejections && rd.rej_len) {
    *rejections = rd.rej;
    rd.rej = NULL;
  }
  if (rc == HICOV_OK && rd.nomem)
    rc = HICOV_NOMEM;
  dhis2_reader_clear(&rd);
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
