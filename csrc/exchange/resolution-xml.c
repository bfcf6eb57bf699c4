/* resolution-xml.c - resolution files (reports/resolution.xsd).
 *
 * Reading is hardened: a size limit before parsing, no network, no DTD (so
 * no entity is defined or expanded), a depth limit, validation against the
 * built-in schema, then semantic checks against the core (indicators,
 * levels), each error naming the file and line. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report-private.h"
#include "xml-private.h"

#define RES_NS "urn:hicov:resolution:1"

/* Resolutions are read without a handle: messages are in the process's
 * language. */
#define _(s) T_(NULL, s)

static void set_err(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t size, const char *fmt, ...)
{
  if (!err || !size)
    return;
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(err, size, fmt, ap) >= (int)size)
    hicov_utf8_trim(err);
  va_end(ap);
}

/* The first child element of `node` named `name` in our namespace. */
static xmlNodePtr child(xmlNodePtr node, const char *name)
{
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name))
      return c;
  return NULL;
}

/* Text content of an optional child, trimmed; caller xmlFree()s. */
static char *child_text(xmlNodePtr node, const char *name)
{
  xmlNodePtr c = child(node, name);
  if (!c)
    return NULL;
  char *s = (char *)xmlNodeGetContent(c);
  if (!s)
    return NULL;
  size_t a = 0, n = strlen(s);
  while (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r')
    a++;
  while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                   s[n - 1] == '\n' || s[n - 1] == '\r'))
    n--;
  memmove(s, s + a, n - a);
  s[n - a] = '\0';
  return s;
}

static int int_attr(xmlNodePtr node, const char *name, int dflt)
{
  xmlChar *v = xmlGetProp(node, BAD_CAST name);
  if (!v)
    return dflt;
  int r = atoi((const char *)v);
  xmlFree(v);
  return r;
}

static int read_target(HicovResolution *res, xmlNodePtr t, const char *name,
                       char *err, size_t err_size)
{
  long line = xmlGetLineNo(t);
  HicovTarget tg = { 0 };
  xmlChar *indicator = xmlGetProp(t, BAD_CAST "indicator");
  xmlChar *unit = xmlGetProp(t, BAD_CAST "unit");
  xmlChar *level = xmlGetProp(t, BAD_CAST "level");
  xmlChar *cmp = xmlGetProp(t, BAD_CAST "comparison");
  xmlChar *thr = xmlGetProp(t, BAD_CAST "threshold");
  xmlChar *kind = xmlGetProp(t, BAD_CAST "kind");
  xmlChar *share = xmlGetProp(t, BAD_CAST "units-share");
  char *label = child_text(t, "label");
  int rc = HICOV_OK;

  tg.indicator = (const char *)indicator;
  tg.unit = (const char *)unit;
  tg.level = level ? hicov_level_parse((const char *)level) : -1;
  tg.comparison = cmp && !xmlStrcmp(cmp, BAD_CAST "at-most") ?
                  HICOV_CMP_AT_MOST : HICOV_CMP_AT_LEAST;
  tg.threshold = thr ? hicov_strtod_c((const char *)thr, NULL) : NAN;
  tg.deadline_year = int_attr(t, "deadline", 0);
  tg.baseline_year = int_attr(t, "baseline", 0);
  tg.label = label;
  tg.kind = !kind || !xmlStrcmp(kind, BAD_CAST "level") ? HICOV_TARGET_KIND_LEVEL
            : !xmlStrcmp(kind, BAD_CAST "change") ? HICOV_TARGET_KIND_CHANGE
                                                  : HICOV_TARGET_KIND_GROWTH;
  tg.units_share = share ? hicov_strtod_c((const char *)share, NULL) : 0;

  char why[400];
  if (level && tg.level < 0) {
    set_err(err, err_size, _("%s line %ld: target: unknown level '%s'"), name,
            line, (const char *)level);
    rc = HICOV_PARSE;
  } else if (hicov_target_check(&tg, NULL, why, sizeof why)) {
    /* the core's own reasons, the attributes named as the fields */
    set_err(err, err_size, _("%s line %ld: target: %s"), name, line, why);
    rc = HICOV_PARSE;
  } else {
    rc = hicov_resolution_add_target(res, &tg);
    if (rc == HICOV_OK)
      rc = hicov_resolution_set_target_line(
          res, hicov_resolution_target_count(res) - 1, line);
    if (rc == HICOV_NOMEM)
      set_err(err, err_size, "%s", _(hicov_status_string(rc)));
    else if (rc != HICOV_OK)
      set_err(err, err_size, _("%s line %ld: target: rejected by the core "
              "(%s)"), name, line, _(hicov_status_string(rc)));
    if (rc != HICOV_OK && rc != HICOV_NOMEM)
      rc = HICOV_PARSE;
  }
  xmlFree(indicator);
  xmlFree(unit);
  xmlFree(level);
  xmlFree(cmp);
  xmlFree(thr);
  xmlFree(kind);
  xmlFree(share);
  xmlFree(label);
  return rc;
}

static int read_resolution(xmlDocPtr doc, const char *name,
                           HicovResolution **out, char *err, size_t err_size)
{
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr term = child(root, "term");
  xmlNodePtr targets = child(root, "targets");
  char *body = child_text(root, "body");
  char *number = child_text(root, "number");
  char *title = child_text(root, "title");
  HicovResolution *res = NULL;
  int rc = hicov_resolution_new(body, number, title,
                                int_attr(term, "start", 0),
                                int_attr(term, "end", 0), &res);
  if (rc == HICOV_INVALID) {
    set_err(err, err_size, _("%s line %ld: term: the end year is before the "
            "start year"), name, xmlGetLineNo(term));
    rc = HICOV_PARSE;
  } else if (rc != HICOV_OK) {
    set_err(err, err_size, "%s", _(hicov_status_string(HICOV_NOMEM)));
  }
  if (rc == HICOV_OK && (rc = hicov_resolution_set_source(res, name)))
    set_err(err, err_size, "%s", _(hicov_status_string(rc)));
  for (xmlNodePtr t = targets ? targets->children : NULL;
       t && rc == HICOV_OK; t = t->next)
    if (t->type == XML_ELEMENT_NODE)
      rc = read_target(res, t, name, err, err_size);
  xmlFree(body);
  xmlFree(number);
  xmlFree(title);
  if (rc != HICOV_OK) {
    hicov_resolution_free(res);
    return rc;
  }
  *out = res;
  return HICOV_OK;
}

int hicov_resolution_load_buffer(const char *name, const char *data,
                                 size_t len, HicovResolution **out, char *err,
                                 size_t err_size)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!name)
    name = "resolution";
  if (!data) {
    set_err(err, err_size, _("%s: no data"), name);
    return HICOV_INVALID;
  }
  if (len > HICOV_RESOLUTION_MAX_BYTES) {
    set_err(err, err_size, _("%s: %zu bytes, more than the %d a resolution "
            "file may have"), name, len, HICOV_RESOLUTION_MAX_BYTES);
    return HICOV_LIMIT;
  }
  char msg[512];
  xmlDocPtr doc = hxml_parse(name, data, len, msg, sizeof msg);
  if (!doc) {
    set_err(err, err_size, "%s", msg);
    return HICOV_PARSE;
  }
  xmlNodePtr root = xmlDocGetRootElement(doc);
  int depth = hxml_depth(root);
  if (depth > HICOV_RESOLUTION_MAX_DEPTH) {
    set_err(err, err_size, _("%s: elements nested %d deep, more than the %d "
            "a resolution file may have"), name, depth,
            HICOV_RESOLUTION_MAX_DEPTH);
    xmlFreeDoc(doc);
    return HICOV_LIMIT;
  }
  if (!root || xmlStrcmp(root->name, BAD_CAST "resolution") || !root->ns ||
      xmlStrcmp(root->ns->href, BAD_CAST RES_NS)) {
    set_err(err, err_size, _("%s line %ld: expected the root element "
            "<resolution xmlns=\"%s\">, found <%s>%s%s"), name,
            root ? xmlGetLineNo(root) : 1L, RES_NS,
            root ? (const char *)root->name : "",
            root && root->ns ? _(" in namespace ") : "",
            root && root->ns ? (const char *)root->ns->href : "");
    xmlFreeDoc(doc);
    return HICOV_PARSE;
  }
  xmlSchemaPtr schema = hxml_schema_builtin("resolution.xsd", msg,
                                            sizeof msg);
  if (!schema) {
    set_err(err, err_size, _("built-in %s"), msg);
    xmlFreeDoc(doc);
    return HICOV_ERROR;
  }
  int bad = hxml_validate(schema, doc, name, msg, sizeof msg);
  xmlSchemaFree(schema);
  if (bad) {
    set_err(err, err_size, "%s", msg);
    xmlFreeDoc(doc);
    return HICOV_PARSE;
  }
  int rc = read_resolution(doc, name, out, err, err_size);
  xmlFreeDoc(doc);
  return rc;
}

int hicov_resolution_load_file(const char *path, HicovResolution **out,
                               char *err, size_t err_size)
{
  if (!out || !path)
    return HICOV_INVALID;
  *out = NULL;
  char *data, msg[300];
  size_t len;
  int rc = hicov_read_file(path, HICOV_RESOLUTION_MAX_BYTES, &data, &len,
                           msg, sizeof msg);
  if (rc) {
    set_err(err, err_size, "%s", msg);
    return rc;
  }
  rc = hicov_resolution_load_buffer(path, data, len, out, err, err_size);
  report_free(data);
  return rc;
}

/* ---- Writing ----------------------------------------------------------- */

#define W(call) do { if ((call) < 0) return -1; } while (0)

static int write_target(xmlTextWriterPtr w, const HicovTarget *t)
{
  char num[400];
  W(xmlTextWriterStartElement(w, BAD_CAST "target"));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "indicator",
                                BAD_CAST t->indicator));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST t->unit));
  if (t->level >= 0)
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "level",
                                  BAD_CAST hicov_level_name(t->level)));
  if (t->kind != HICOV_TARGET_KIND_LEVEL)
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST(
        t->kind == HICOV_TARGET_KIND_CHANGE ? "change" : "growth")));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "comparison",
                                BAD_CAST(t->comparison == HICOV_CMP_AT_MOST ?
                                         "at-most" : "at-least")));
  report_format_double(t->threshold, num, sizeof num);
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "threshold", BAD_CAST num));
  W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "deadline", "%d",
                                      t->deadline_year));
  if (t->baseline_year > 0)
    W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "baseline", "%d",
                                        t->baseline_year));
  if (t->level >= 0 && t->units_share > 0) {
    report_format_double(t->units_share, num, sizeof num);
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "units-share", BAD_CAST num));
  }
  if (t->label && *t->label)
    W(xmlTextWriterWriteElement(w, BAD_CAST "label", BAD_CAST t->label));
  W(xmlTextWriterEndElement(w));
  return 0;
}

static int write_doc(xmlTextWriterPtr w, const HicovResolution *res)
{
  int start, end;
  hicov_resolution_term(res, &start, &end);
  W(xmlTextWriterSetIndent(w, 1));
  W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
  W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
  W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "resolution",
                                BAD_CAST RES_NS));
  W(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1"));
  W(xmlTextWriterWriteElement(w, BAD_CAST "body",
                              BAD_CAST hicov_resolution_body(res)));
  W(xmlTextWriterWriteElement(w, BAD_CAST "number",
                              BAD_CAST hicov_resolution_number(res)));
  const char *title = hicov_resolution_title(res);
  if (title && *title)
    W(xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title));
  W(xmlTextWriterStartElement(w, BAD_CAST "term"));
  W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "start", "%d", start));
  W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "end", "%d", end));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterStartElement(w, BAD_CAST "targets"));
  for (size_t i = 0; i < hicov_resolution_target_count(res); i++)
    W(write_target(w, hicov_resolution_target(res, i)));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndElement(w));
  W(xmlTextWriterEndDocument(w));
  return 0;
}

int hicov_resolution_write(const HicovResolution *res, char **buf,
                           size_t *len)
{
  if (!res || !buf)
    return HICOV_INVALID;
  *buf = NULL;
  if (len)
    *len = 0;
  xmlInitParser();
  xmlBufferPtr xb = xmlBufferCreate();
  xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
  if (!w) {
    xmlBufferFree(xb);
    return HICOV_NOMEM;
  }
  int bad = write_doc(w, res);
  xmlFreeTextWriter(w); /* flushes into xb */
  if (bad) {
    xmlBufferFree(xb);
    return HICOV_NOMEM;
  }
  *buf = hxml_dup(xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
  if (len && *buf)
    *len = (size_t)xmlBufferLength(xb);
  xmlBufferFree(xb);
  return *buf ? HICOV_OK : HICOV_NOMEM;
}

int hicov_resolution_save(const HicovResolution *res, const char *path,
                          char *err, size_t err_size)
{
  char *buf;
  size_t len;
  int rc = hicov_resolution_write(res, &buf, &len);
  if (rc != HICOV_OK) {
    set_err(err, err_size, "%s: %s", path ? path : "",
            _(hicov_status_string(rc)));
    return rc;
  }
  /* Never save what we could not read back. */
  HicovResolution *check = NULL;
  rc = hicov_resolution_load_buffer(path, buf, len, &check, err, err_size);
  hicov_resolution_free(check);
  if (rc == HICOV_OK)
    rc = report_write_atomic(path, buf, len, err, err_size);
  report_free(buf);
  return rc;
}
