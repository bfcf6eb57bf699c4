/* issuer-xml.c - issuer profiles (reports/issuer.xsd): who issues a report
 * as an administrative document.  Read as resolution files are: a size
 * limit, no network, no DTD, a depth limit, validation against the
 * built-in schema, errors naming the file and line. */
#include <stdio.h>
#include <string.h>

#include "report-private.h"
#include "xml-private.h"

#define ISSUER_NS "urn:hicov:issuer:1"
#define ISSUER_MAX_BYTES (64 * 1024)
#define ISSUER_MAX_DEPTH 4

/* Read without a handle: messages are in the process's language. */
#define _(s) T_(NULL, s)

/* The loaded profile: the public struct first, then what it points to. */
typedef struct {
  HicovIssuer pub;
  char *strings[9];
  char **recipients;
  size_t nrecipients;
} Issuer;

void hicov_issuer_free(HicovIssuer *issuer)
{
  if (!issuer)
    return;
  Issuer *is = (Issuer *)issuer;
  for (size_t i = 0; i < 9; i++)
    hicov_free(is->strings[i]);
  for (size_t i = 0; i < is->nrecipients; i++)
    hicov_free(is->recipients[i]);
  hicov_free(is->recipients);
  hicov_free(is);
}

static xmlNodePtr child(xmlNodePtr node, const char *name)
{
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name))
      return c;
  return NULL;
}

/* The trimmed text of node, copied with hicov's allocator; NULL for no
 * node.  *nomem set when out of memory. */
static char *text_of(xmlNodePtr node, int *nomem)
{
  if (!node)
    return NULL;
  xmlChar *s = xmlNodeGetContent(node);
  if (!s) {
    *nomem = 1;
    return NULL;
  }
  const char *a = (const char *)s;
  while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
    a++;
  size_t n = strlen(a);
  while (n && (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\n' ||
               a[n - 1] == '\r'))
    n--;
  char *copy = hicov_strndup(a, n);
  xmlFree(s);
  if (!copy)
    *nomem = 1;
  return copy;
}

static int read_issuer(xmlNodePtr root, Issuer *is)
{
  int nomem = 0;
  xmlNodePtr signer = child(root, "signer");
  xmlNodePtr list = child(root, "recipients");
  static const char *const top[] = { "parent-agency", "agency", "number",
                                     "place", "summary" };
  for (size_t i = 0; i < 5; i++)
    is->strings[i] = text_of(child(root, top[i]), &nomem);
  is->strings[5] = text_of(child(signer, "authority"), &nomem);
  is->strings[6] = text_of(child(signer, "title"), &nomem);
  is->strings[7] = text_of(child(signer, "name"), &nomem);
  is->strings[8] = text_of(child(list, "archive"), &nomem);
  size_t n = 0;
  for (xmlNodePtr c = list ? list->children : NULL; c; c = c->next)
    n += c->type == XML_ELEMENT_NODE &&
         !xmlStrcmp(c->name, BAD_CAST "recipient");
  if (n && !(is->recipients = hicov_calloc(n, sizeof *is->recipients)))
    nomem = 1;
  for (xmlNodePtr c = list ? list->children : NULL; c && !nomem; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        !xmlStrcmp(c->name, BAD_CAST "recipient"))
      is->recipients[is->nrecipients++] = text_of(c, &nomem);
  HicovIssuer *p = &is->pub;
  p->parent_agency = is->strings[0];
  p->agency = is->strings[1];
  p->number = is->strings[2];
  p->place = is->strings[3];
  p->summary = is->strings[4];
  p->signer_authority = is->strings[5];
  p->signer_title = is->strings[6];
  p->signer_name = is->strings[7];
  p->archive = is->strings[8];
  p->recipients = (const char *const *)is->recipients;
  p->n_recipients = is->nrecipients;
  return nomem ? HICOV_NOMEM : HICOV_OK;
}

static int check_root(xmlDocPtr doc, const char *name, char *err,
                      size_t err_size)
{
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (hxml_depth(root) > ISSUER_MAX_DEPTH) {
    hicov_fmt(err, err_size, _("%s: elements nested %d deep, more than the "
              "%d an issuer profile may have"), name, hxml_depth(root),
              ISSUER_MAX_DEPTH);
    return HICOV_LIMIT;
  }
  if (!root || xmlStrcmp(root->name, BAD_CAST "issuer") || !root->ns ||
      xmlStrcmp(root->ns->href, BAD_CAST ISSUER_NS)) {
    hicov_fmt(err, err_size, _("%s line %ld: expected the root element "
              "<issuer xmlns=\"%s\">, found <%s>"), name,
              root ? xmlGetLineNo(root) : 1L, ISSUER_NS,
              root ? (const char *)root->name : "");
    return HICOV_PARSE;
  }
  char msg[512];
  xmlSchemaPtr schema = hxml_schema_builtin("issuer.xsd", msg, sizeof msg);
  if (!schema) {
    hicov_fmt(err, err_size, _("built-in %s"), msg);
    return HICOV_ERROR;
  }
  int bad = hxml_validate(schema, doc, name, msg, sizeof msg);
  xmlSchemaFree(schema);
  if (bad) {
    hicov_fmt(err, err_size, "%s", msg);
    return HICOV_PARSE;
  }
  return HICOV_OK;
}

int hicov_issuer_load_buffer(const char *name, const char *data, size_t len,
                             HicovIssuer **out, char *err, size_t err_size)
{
  char dummy[8];
  if (!err || !err_size) {
    err = dummy;
    err_size = sizeof dummy;
  }
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!name)
    name = "issuer";
  if (!data) {
    hicov_fmt(err, err_size, _("%s: no data"), name);
    return HICOV_INVALID;
  }
  if (len > ISSUER_MAX_BYTES) {
    hicov_fmt(err, err_size, _("%s: %zu bytes, more than the %d an issuer "
              "profile may have"), name, len, ISSUER_MAX_BYTES);
    return HICOV_LIMIT;
  }
  char msg[512];
  xmlDocPtr doc = hxml_parse(name, data, len, msg, sizeof msg);
  if (!doc) {
    hicov_fmt(err, err_size, "%s", msg);
    return HICOV_PARSE;
  }
  int rc = check_root(doc, name, err, err_size);
  Issuer *is = NULL;
  if (rc == HICOV_OK && !(is = hicov_calloc(1, sizeof *is)))
    rc = HICOV_NOMEM;
  if (rc == HICOV_OK)
    rc = read_issuer(xmlDocGetRootElement(doc), is);
  xmlFreeDoc(doc);
  if (rc != HICOV_OK) {
    hicov_issuer_free(is ? &is->pub : NULL);
    if (rc == HICOV_NOMEM)
      hicov_fmt(err, err_size, "%s", _(hicov_status_string(rc)));
    return rc;
  }
  *out = &is->pub;
  return HICOV_OK;
}

int hicov_issuer_load_file(const char *path, HicovIssuer **out, char *err,
                           size_t err_size)
{
  if (!out || !path)
    return HICOV_INVALID;
  *out = NULL;
  char *data, msg[300];
  size_t len;
  int rc = hicov_read_file(path, ISSUER_MAX_BYTES, &data, &len, msg,
                           sizeof msg);
  if (rc) {
    if (err && err_size)
      hicov_fmt(err, err_size, "%s", msg);
    return rc;
  }
  rc = hicov_issuer_load_buffer(path, data, len, out, err, err_size);
  hicov_free(data);
  return rc;
}
