/* xml-private.h - libxml2 helpers shared by resolution-xml.c,
 * report-xml.c and adx.c.  Not API. */
#ifndef HICOV_XML_PRIVATE_H
#define HICOV_XML_PRIVATE_H

#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

/* Parses a document the safe way: no network, no DTD at all (a DOCTYPE
 * stops the parser before any declaration is read, so no entity can be
 * defined or expanded), the parser's default limits on depth and size, and
 * no error printing.  On failure returns NULL and writes "name line N:
 * message" to err. */
xmlDocPtr hxml_parse(const char *name, const char *data, size_t len,
                     char *err, size_t err_size);

/* Parses one of the built-in schemas (hicov_report_builtin_file), or a
 * schema file (whose imports are read from local files, never the
 * network).  NULL with a message on failure. */
xmlSchemaPtr hxml_schema_builtin(const char *name, char *err,
                                 size_t err_size);
xmlSchemaPtr hxml_schema_file(const char *path, char *err, size_t err_size);

/* Validates doc; 0 if valid, else -1 with "name line N: message" (the
 * first error) in err. */
int hxml_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *name,
                  char *err, size_t err_size);

/* Depth of the element tree below node (1 for a lone element). */
int hxml_depth(xmlNodePtr node);

/* Copies a libxml2 buffer into memory from the core's allocator, so the
 * caller frees it with hicov_free.  NULL on NOMEM. */
char *hxml_dup(const void *data, size_t len);

#endif
