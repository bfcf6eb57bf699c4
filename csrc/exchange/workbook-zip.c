/* workbook-zip.c - the zip container of XLSX and ODS files, read with
 * libzip from memory, and XML entries streamed to libxml2's xmlTextReader.
 *
 * Hostile archives are refused with a clear message before or while they
 * are read: entry names that are absolute or climb out with "..",
 * encrypted entries, more entries than HICOV_WORKBOOK_MAX_ENTRIES, an
 * entry that declares or inflates to more than
 * HICOV_WORKBOOK_MAX_ENTRY_BYTES, or more than HICOV_WORKBOOK_MAX_RATIO
 * times its compressed size once past 1 MiB (a zip bomb), or more than it
 * declared; and XML with a DTD (<!DOCTYPE>: entity bombs, external
 * entities), which is refused from the bytes before the parser sees it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "hicov-private.h"
#include "workbook-private.h"

struct WbZip {
  zip_t *za;
};

int wb_fail(WbBook *b, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->err, sizeof b->err, fmt, ap);
  va_end(ap);
  hicov_utf8_trim(b->err); /* Vietnamese is longer: no half character */
  return rc;
}

/* An entry name that would land outside a folder it was extracted to. */
static int bad_name(const char *n)
{
  if (!n[0] || n[0] == '/' || n[0] == '\\' ||
      (((n[0] | 32) >= 'a' && (n[0] | 32) <= 'z') && n[1] == ':'))
    return 1;
  for (const char *p = n; *p; p++) {
    const char *seg = p;
    while (*p && *p != '/' && *p != '\\')
      p++;
    if (p - seg == 2 && seg[0] == '.' && seg[1] == '.')
      return 1;
    if (!*p)
      break;
  }
  return 0;
}

static int ratio_exceeded(zip_uint64_t size, zip_uint64_t comp)
{
  return size > ((zip_uint64_t)1 << 20) &&
         size / (comp ? comp : 1) > HICOV_WORKBOOK_MAX_RATIO;
}

int wb_zip_open(WbBook *b, const void *data, size_t len, WbZip **out)
{
  *out = NULL;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  if (!src) {
    zip_error_fini(&ze);
    return HICOV_NOMEM;
  }
  zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!za) {
    zip_source_free(src);
    int rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: not a readable zip "
                     "archive (XLSX and ODS files are): %s"), b->name,
                     zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  zip_error_fini(&ze);
  WbZip *z = hicov_calloc(1, sizeof *z);
  if (!z) {
    zip_discard(za);
    return HICOV_NOMEM;
  }
  z->za = za;
  zip_int64_t n = zip_get_num_entries(za, 0);
  int rc = HICOV_OK;
  if (n > HICOV_WORKBOOK_MAX_ENTRIES)
    rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: %lld entries in the "
                 "archive, more than the %d a workbook may have"), b->name,
                 (long long)n, HICOV_WORKBOOK_MAX_ENTRIES);
  for (zip_int64_t i = 0; i < n && !rc; i++) {
    zip_stat_t st;
    const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
    if (!name || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
      rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: entry %lld of the archive "
                   "cannot be read"), b->name, (long long)i);
      break;
    }
    if (bad_name(name))
      rc = wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: the archive has an entry "
                   "named '%.200s', an absolute path or one that climbs out "
                   "with '..': refusing it"), b->name, name);
    else if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
             st.encryption_method != ZIP_EM_NONE)
      rc = wb_fail(b, HICOV_UNSUPPORTED, T_(b->lang, "%s: entry '%.200s' is "
                   "encrypted (a password-protected workbook): save it "
                   "without a password"), b->name, name);
    else if ((st.valid & ZIP_STAT_SIZE) &&
             st.size > HICOV_WORKBOOK_MAX_ENTRY_BYTES)
      rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: entry '%.200s' declares "
                   "%llu bytes, more than the %zu bytes hicov reads from one "
                   "entry: refusing it (a zip bomb?)"), b->name, name,
                   (unsigned long long)st.size,
                   (size_t)HICOV_WORKBOOK_MAX_ENTRY_BYTES);
    else if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
             ratio_exceeded(st.size, st.comp_size))
      rc = wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: entry '%.200s' declares "
                   "%llu bytes from %llu compressed, more than %d times: "
                   "refusing it (a zip bomb?)"), b->name, name,
                   (unsigned long long)st.size,
                   (unsigned long long)st.comp_size, HICOV_WORKBOOK_MAX_RATIO);
  }
  if (rc) {
    wb_zip_close(z);
    return rc;
  }
  *out = z;
  return HICOV_OK;
}

void wb_zip_close(WbZip *z)
{
  if (!z)
    return;
  zip_discard(z->za);
  hicov_free(z);
}

int wb_zip_has(WbZip *z, const char *name)
{
  return zip_name_locate(z->za, name, 0) >= 0;
}

/* ---- Reading an entry, with the bomb checks ----------------------------- */

typedef struct {
  WbBook *b;
  zip_file_t *zf;
  const char *name;
  zip_uint64_t declared, comp, got;
  int failed;      /* 1 once a limit stopped the stream */
  int status;      /* its status */
  char why[300];   /* and its message */
  /* prolog scanner: refuses <!DOCTYPE before the root element */
  int state, prolog_done;
  char tail[10];
  size_t ntail;
  unsigned char prev1, prev2;
  /* the parser's first error */
  char xml_err[300];
  int xml_line;
} Stream;

enum { P_TEXT, P_LT, P_PI, P_BANG, P_COMMENT };

/* Feeds bytes to the prolog scanner, which follows white space, the XML
 * declaration, processing instructions and comments up to the root
 * element; -1 on a DTD or bytes that are not UTF-8 XML. */
static int scan_prolog(Stream *s, const unsigned char *p, size_t n)
{
  static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
  for (size_t i = 0; i < n && !s->prolog_done; i++) {
    unsigned char c = p[i];
    if (s->got + i < 3 && c == bom[s->got + i])
      continue; /* a UTF-8 byte-order mark */
    if (c == 0 || c == 0xFE || c == 0xFF) {
      hicov_fmt(s->why, sizeof s->why, T_(s->b->lang, "entry '%s' is not "
                "UTF-8 XML"), s->name);
      return -1;
    }
    switch (s->state) {
    case P_TEXT:
      if (c == '<')
        s->state = P_LT;
      else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
        s->prolog_done = 1; /* text before the root: the parser says so */
      break;
    case P_LT:
      s->ntail = 0;
      s->prev1 = s->prev2 = 0;
      if (c == '?')
        s->state = P_PI;
      else if (c == '!')
        s->state = P_BANG;
      else
        s->prolog_done = 1; /* the root element starts */
      break;
    case P_PI:
      if (c == '>' && s->prev1 == '?')
        s->state = P_TEXT;
      s->prev1 = c;
      break;
    case P_BANG:
      s->tail[s->ntail++] = (char)c;
      if (s->ntail == 2 && !memcmp(s->tail, "--", 2)) {
        s->state = P_COMMENT;
      } else if (s->ntail == 7) {
        if (!memcmp(s->tail, "DOCTYPE", 7)) {
          hicov_fmt(s->why, sizeof s->why, T_(s->b->lang, "entry '%s' has a "
                    "DTD (<!DOCTYPE ...>), which is not allowed: hicov never "
                    "reads DTDs or expands entities"), s->name);
          return -1;
        }
        s->prolog_done = 1;
      } else if (memcmp(s->tail, "DOCTYPE", s->ntail) &&
                 memcmp(s->tail, "--", s->ntail < 2 ? s->ntail : 2)) {
        s->prolog_done = 1; /* neither: the parser says what is wrong */
      }
      break;
    case P_COMMENT:
      if (c == '>' && s->prev1 == '-' && s->prev2 == '-')
        s->state = P_TEXT;
      s->prev2 = s->prev1;
      s->prev1 = c;
      break;
    }
  }
  return 0;
}

static int stream_read(void *ctx, char *buf, int len)
{
  Stream *s = ctx;
  if (s->failed)
    return -1;
  zip_int64_t n = zip_fread(s->zf, buf, (zip_uint64_t)len);
  if (n < 0) {
    s->failed = 1;
    s->status = HICOV_PARSE;
    hicov_fmt(s->why, sizeof s->why, T_(s->b->lang, "entry '%s' cannot be "
              "decompressed: %s"), s->name,
              zip_error_strerror(zip_file_get_error(s->zf)));
    return -1;
  }
  if (!s->prolog_done && scan_prolog(s, (const unsigned char *)buf,
                                     (size_t)n) != 0) {
    s->failed = 1;
    s->status = HICOV_PARSE;
    return -1;
  }
  s->got += (zip_uint64_t)n;
  if (s->got > s->declared) {
    s->failed = 1;
    s->status = HICOV_LIMIT;
    hicov_fmt(s->why, sizeof s->why, T_(s->b->lang, "entry '%s' inflates to "
              "more than the %llu bytes it declares: refusing it (a zip "
              "bomb?)"), s->name, (unsigned long long)s->declared);
    return -1;
  }
  if (s->got > HICOV_WORKBOOK_MAX_ENTRY_BYTES || ratio_exceeded(s->got, s->comp)) {
    s->failed = 1;
    s->status = HICOV_LIMIT;
    hicov_fmt(s->why, sizeof s->why, T_(s->b->lang, "entry '%s' inflates to "
              "more than %d times its compressed size or %zu bytes: refusing "
              "it (a zip bomb?)"), s->name, HICOV_WORKBOOK_MAX_RATIO,
              (size_t)HICOV_WORKBOOK_MAX_ENTRY_BYTES);
    return -1;
  }
  return (int)n;
}

static int stream_open(WbBook *b, WbZip *z, const char *name, Stream *s)
{
  memset(s, 0, sizeof *s);
  s->b = b;
  s->name = name;
  zip_int64_t i = zip_name_locate(z->za, name, 0);
  zip_stat_t st;
  if (i < 0 || zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0)
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: the archive has no entry "
                   "'%s' (not an XLSX or ODS workbook?)"), b->name, name);
  s->declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
  s->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  s->zf = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
  if (!s->zf)
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: entry '%s' cannot be "
                   "opened: %s"), b->name, name, zip_strerror(z->za));
  return HICOV_OK;
}

int wb_zip_read(WbBook *b, WbZip *z, const char *name, size_t max,
                char **data, size_t *len)
{
  *data = NULL;
  Stream s;
  int rc = stream_open(b, z, name, &s);
  if (rc)
    return rc;
  s.prolog_done = 1; /* only XML is scanned, by wb_xml_open */
  if (s.declared > max) {
    zip_fclose(s.zf);
    return wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: entry '%s' has %llu "
                   "bytes, more than the %zu allowed"), b->name, name,
                   (unsigned long long)s.declared, max);
  }
  size_t cap = (size_t)s.declared + 1, n = 0;
  char *p = hicov_malloc(cap);
  if (!p) {
    zip_fclose(s.zf);
    return HICOV_NOMEM;
  }
  for (;;) {
    int room = (int)(cap - 1 - n > 65536 ? 65536 : cap - 1 - n);
    char probe[1];
    int got = room > 0 ? stream_read(&s, p + n, room) : stream_read(&s, probe, 1);
    if (got < 0)
      break;
    if (got == 0)
      break;
    if (room == 0) { /* more than declared */
      s.failed = 1;
      s.status = HICOV_LIMIT;
      hicov_fmt(s.why, sizeof s.why, T_(b->lang, "entry '%s' inflates to more "
                "than the %llu bytes it declares: refusing it (a zip bomb?)"),
                name, (unsigned long long)s.declared);
      break;
    }
    n += (size_t)got;
  }
  zip_fclose(s.zf);
  if (s.failed) {
    hicov_free(p);
    return wb_fail(b, s.status, "%s: %s", b->name, s.why);
  }
  p[n] = '\0';
  *data = p;
  if (len)
    *len = n;
  return HICOV_OK;
}

/* ---- XML entries -------------------------------------------------------- */

struct WbXml {
  Stream s;
  xmlTextReaderPtr r;
};

static void on_xml_error(void *arg, xmlErrorPtr e)
{
  Stream *s = arg;
  if (s->xml_err[0] || !e || e->level == XML_ERR_WARNING)
    return;
  snprintf(s->xml_err, sizeof s->xml_err, "%s", e->message ? e->message : "error");
  size_t n = strlen(s->xml_err);
  while (n && (s->xml_err[n - 1] == '\n' || s->xml_err[n - 1] == ' '))
    s->xml_err[--n] = '\0';
  s->xml_line = e->line;
}

static int stream_close(void *ctx)
{
  (void)ctx;
  return 0; /* wb_xml_close closes the entry */
}

int wb_xml_open(WbBook *b, WbZip *z, const char *name, WbXml **out)
{
  *out = NULL;
  WbXml *x = hicov_calloc(1, sizeof *x);
  if (!x)
    return HICOV_NOMEM;
  int rc = stream_open(b, z, name, &x->s);
  if (rc) {
    hicov_free(x);
    return rc;
  }
  xmlInitParser();
  /* no XML_PARSE_NOENT (entities are never expanded), no DTDLOAD, no
     HUGE: libxml2's limits on names, text and depth stay on */
  x->r = xmlReaderForIO(stream_read, stream_close, &x->s, name, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
  if (!x->r) {
    zip_fclose(x->s.zf);
    hicov_free(x);
    return HICOV_NOMEM;
  }
  xmlTextReaderSetStructuredErrorHandler(x->r, on_xml_error, &x->s);
  *out = x;
  return HICOV_OK;
}

xmlTextReaderPtr wb_xml_reader(WbXml *x)
{
  return x->r;
}

int wb_xml_fail(WbBook *b, WbXml *x, const char *what)
{
  if (x->s.failed)
    return wb_fail(b, x->s.status, "%s: %s", b->name, x->s.why);
  if (what)
    return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: entry '%s': %s"), b->name,
                   x->s.name, what);
  if (strstr(x->s.xml_err, "Huge input lookup") ||
      strstr(x->s.xml_err, "xmlSAX2Characters: huge text"))
    return wb_fail(b, HICOV_LIMIT, T_(b->lang, "%s: entry '%s' line %d: a "
                   "name or text longer than libxml2's 10,000,000-byte limit: "
                   "refusing it"), b->name, x->s.name, x->s.xml_line);
  return wb_fail(b, HICOV_PARSE, T_(b->lang, "%s: entry '%s' line %d: %s"),
                 b->name, x->s.name, x->s.xml_line,
                 x->s.xml_err[0] ? x->s.xml_err : T_(b->lang, "malformed XML"));
}

void wb_xml_close(WbXml *x)
{
  if (!x)
    return;
  xmlFreeTextReader(x->r);
  zip_fclose(x->s.zf);
  hicov_free(x);
}
