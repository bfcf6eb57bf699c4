/* xml-util.c - hardened parsing and schema validation with libxml2.
 * Messages are in the process's language; libxml2's own are English. */
#include <stdio.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "hicov-private.h"
#include "hicov-report.h"
#include "xml-private.h"

/* First error seen by a structured error handler. */
typedef struct {
  char msg[400];
  int line;
  int seen;
} FirstError;

static void record_error(void *data, xmlErrorPtr e)
{
  FirstError *fe = data;
  if (fe->seen || !e || e->level == XML_ERR_WARNING)
    return;
  fe->seen = 1;
  fe->line = e->line;
  snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "error");
  /* libxml2 ends its messages with a newline. */
  size_t n = strlen(fe->msg);
  while (n && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
    fe->msg[--n] = '\0';
}

static void put_error(char *err, size_t err_size, const char *name, int line,
                      const char *msg)
{
  if (!err || !err_size)
    return;
  if (line > 0)
    hicov_fmt(err, err_size, T_(NULL, "%s line %d: %s"), name, line, msg);
  else
    hicov_fmt(err, err_size, "%s: %s", name, msg);
}

typedef struct {
  FirstError fe;
  int dtd;
} ParseState;

/* SAX hook: called at <!DOCTYPE ...>, before its declarations are read. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys)
{
  xmlParserCtxtPtr ctxt = ctx;
  ParseState *st = ctxt->_private;
  st->dtd = 1;
  xmlStopParser(ctxt);
}

xmlDocPtr hxml_parse(const char *name, const char *data, size_t len,
                     char *err, size_t err_size)
{
  if (len > (size_t)1 << 30) {
    put_error(err, err_size, name, 0, T_(NULL, "document too large"));
    return NULL;
  }
  xmlInitParser();
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    put_error(err, err_size, name, 0,
              hicov_text(NULL, hicov_status_string(HICOV_NOMEM)));
    return NULL;
  }
  ParseState st = { 0 };
  ctxt->_private = &st;
  ctxt->sax->internalSubset = refuse_dtd;
  /* The handler is per thread in libxml2; restored right after. */
  xmlSetStructuredErrorFunc(&st.fe, record_error);
  /* No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD, no HUGE. */
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_NOBLANKS;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, "UTF-8",
                                    options);
  xmlSetStructuredErrorFunc(NULL, NULL);
  int wf = ctxt->wellFormed;
  int line = xmlSAX2GetLineNumber(ctxt);
  xmlFreeParserCtxt(ctxt);
  if (st.dtd) {
    xmlFreeDoc(doc);
    put_error(err, err_size, name, line,
              T_(NULL, "a DTD (<!DOCTYPE ...>) is not allowed: hicov never "
                 "reads DTDs or expands entities"));
    return NULL;
  }
  if (!doc || !wf) {
    xmlFreeDoc(doc);
    put_error(err, err_size, name, st.fe.seen ? st.fe.line : line,
              st.fe.seen ? st.fe.msg : T_(NULL, "not well-formed XML"));
    return NULL;
  }
  return doc;
}

/* Keeps schema imports local: refuses anything but a plain file path. */
static xmlParserInputPtr local_only_loader(const char *url, const char *id,
                                           xmlParserCtxtPtr ctxt)
{
  if (!url || strstr(url, "://")) {
    if (url && !strncmp(url, "file://", 7))
      return xmlNewInputFromFile(ctxt, url + 7);
    return NULL;
  }
  return xmlNewInputFromFile(ctxt, url);
}

static xmlSchemaPtr schema_parse(xmlSchemaParserCtxtPtr pctxt,
                                 const char *name, int has_imports,
                                 char *err, size_t err_size)
{
  if (!pctxt) {
    put_error(err, err_size, name, 0, T_(NULL, "cannot read the schema"));
    return NULL;
  }
  FirstError fe = { 0 };
  xmlSchemaSetParserStructuredErrors(pctxt, record_error, &fe);
  /* The entity loader is process-wide: only swapped for schemas that
   * import others (the ADX schema, in tests and `hicov adx --validate`). */
  xmlExternalEntityLoader old = NULL;
  if (has_imports) {
    old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(local_only_loader);
  }
  xmlSchemaPtr schema = xmlSchemaParse(pctxt);
  if (has_imports)
    xmlSetExternalEntityLoader(old);
  xmlSchemaFreeParserCtxt(pctxt);
  if (!schema)
    put_error(err, err_size, name, fe.line,
              fe.seen ? fe.msg : T_(NULL, "invalid schema"));
  return schema;
}

xmlSchemaPtr hxml_schema_builtin(const char *name, char *err,
                                 size_t err_size)
{
  size_t len;
  const char *data = hicov_report_builtin_file(name, &len);
  if (!data) {
    put_error(err, err_size, name, 0, T_(NULL, "no such built-in schema"));
    return NULL;
  }
  xmlInitParser();
  return schema_parse(xmlSchemaNewMemParserCtxt(data, (int)len), name, 0,
                      err, err_size);
}

xmlSchemaPtr hxml_schema_file(const char *path, char *err, size_t err_size)
{
  xmlInitParser();
  return schema_parse(xmlSchemaNewParserCtxt(path), path, 1, err, err_size);
}

int hxml_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *name,
                  char *err, size_t err_size)
{
  xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
  if (!v) {
    put_error(err, err_size, name, 0,
              hicov_text(NULL, hicov_status_string(HICOV_NOMEM)));
    return -1;
  }
  FirstError fe = { 0 };
  xmlSchemaSetValidStructuredErrors(v, record_error, &fe);
  int rc = xmlSchemaValidateDoc(v, doc);
  xmlSchemaFreeValidCtxt(v);
  if (rc != 0) {
    put_error(err, err_size, name, fe.line,
              fe.seen ? fe.msg
                      : T_(NULL, "does not validate against its schema"));
    return -1;
  }
  return 0;
}

int hxml_depth(xmlNodePtr node)
{
  int max = 0;
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) {
      int d = hxml_depth(c);
      if (d > max)
        max = d;
    }
  return node ? max + 1 : 0;
}

char *hxml_dup(const void *data, size_t len)
{
  char *p = hicov_malloc(len + 1);
  if (!p)
    return NULL;
  memcpy(p, data, len);
  p[len] = '\0';
  return p;
}
