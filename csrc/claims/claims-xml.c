/* claims-xml.c - the streaming XML scanner of the claims reader: tokens
 * (start and end tags, text), entity and character references checked and
 * decoded, UTF-8 validated.
 *
 * Why a hand-written scanner instead of libxml2: the documents are flat and
 * known, and a scanner made for them does far less work a byte than a general
 * parser.  It is
 * strict where it matters for safety: it has no DTD support at all (a
 * DOCTYPE refuses the document), expands only the five predefined entities
 * and character references, limits nesting to 64 levels, requires UTF-8
 * and checks well-formedness (names, matching end tags, attribute syntax,
 * one root).  It never opens another file or the network: nothing in it
 * can.  It reads a part's window (claims-window.c): a token that runs into
 * the window's end before the input's is read again once the window has
 * grown, so that the tokens are those of the whole document.  tests/c/test-claims-xml.c reads the same documents with libxml2
 * (XML_PARSE_NONET, no entity substitution) and checks that both see the
 * same values, and that hostile documents are refused.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "claims-read-private.h"
#include "claims-scan.h"

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                     */

static size_t put_utf8(char *o, unsigned cp)
{
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                    */

/* Character classes in text: 1 '<', 2 '&', 3 non-ASCII, 4 forbidden. */
static unsigned char text_cls[256];
/* Name characters: 1 may start a name, 2 may continue one, 3 non-ASCII. */
static unsigned char name_cls[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
  claims_fields_init();
  for (int i = 0; i < 256; i++) {
    text_cls[i] = i >= 0x80 ? 3 : (i < 0x20 && i != 9 && i != 10 && i != 13) ? 4 : 0;
    name_cls[i] = i >= 0x80 ? 3 : 0;
    if ((i >= 'A' && i <= 'Z') || (i >= 'a' && i <= 'z') || i == '_' || i == ':')
      name_cls[i] = 1;
    else if ((i >= '0' && i <= '9') || i == '-' || i == '.')
      name_cls[i] = 2;
  }
  text_cls['<'] = 1;
  text_cls['&'] = 2;
}

int claims_xs_fail(XScan *x, const char *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(x->err, sizeof x->err, fmt, ap);
  va_end(ap);
  x->err_at = at;
  return XT_ERR;
}

/* claims_xs_fail for a failure that reaching x->end caused: once the
 * window has grown, the token may be whole. */
#define xs_fail_end(x, ...) ((x)->at_end = 1, claims_xs_fail((x), __VA_ARGS__))

/* Checks a reference at p ('&'); returns its length or 0 (x->err set). */
static size_t xs_entity(XScan *x, const char *p)
{
  const char *e = x->end;
  const char *q = p + 1;
  if (q < e && *q == '#') {
    q++;
    unsigned long v = 0;
    int hex = q < e && *q == 'x';
    q += hex;
    const char *d = q;
    while (q < e && q - d < 8 &&
           ((*q >= '0' && *q <= '9') ||
            (hex && ((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F'))))) {
      int dv = *q <= '9' ? *q - '0' : (*q | 0x20) - 'a' + 10;
      v = v * (hex ? 16 : 10) + (unsigned long)dv;
      q++;
    }
    if (q == d || q >= e || *q != ';') {
      claims_xs_fail(x, p, T_(x->lang, "malformed character reference"));
      x->at_end = e - p < 64; /* a reference is shorter: it may go on */
      return 0;
    }
    if (!(v == 9 || v == 10 || v == 13 || (v >= 0x20 && v <= 0xD7FF) ||
          (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF))) {
      claims_xs_fail(x, p, T_(x->lang, "character reference to U+%04lX, which "
                                       "XML does not allow"),
                     v);
      return 0;
    }
    return (size_t)(q + 1 - p);
  }
  static const char *const pre[5] = { "lt;", "gt;", "amp;", "quot;", "apos;" };
  for (int k = 0; k < 5; k++) {
    size_t l = strlen(pre[k]);
    if ((size_t)(e - q) >= l && !memcmp(q, pre[k], l))
      return l + 1;
  }
  const char *n = q;
  while (q < e && q - n < 40 && name_cls[(unsigned char)*q])
    q++;
  if (q > n && q < e && *q == ';')
    claims_xs_fail(x, p, T_(x->lang, "entity reference '&%.*s;' refused: "
                                     "entities other than the five predefined "
                                     "ones are never expanded (no DTD is read)"),
                   (int)(q - n), n);
  else
    claims_xs_fail(x, p, T_(x->lang, "'&' not followed by an entity or "
                                     "character reference (write &amp;)"));
  x->at_end = e - p < 64;
  return 0;
}

/* Scans a name at x->p; returns its length, 0 on error. */
static size_t xs_name(XScan *x)
{
  const char *p = x->p, *s = p;
  if (p >= x->end || !(name_cls[(unsigned char)*p] & 1)) {
    if (p >= x->end)
      xs_fail_end(x, p, T_(x->lang, "document ends inside a tag (truncated?)"));
    else
      claims_xs_fail(x, p, T_(x->lang, "expected a name, found '%c'"),
                     (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ? *p : '?');
    return 0;
  }
  while (p < x->end) {
    unsigned char k = name_cls[(unsigned char)*p];
    if (!k)
      break;
    if (k == 3) {
      size_t n = utf8_seq((const unsigned char *)p, (const unsigned char *)x->end);
      if (!n) {
        claims_xs_fail(x, p, T_(x->lang, "invalid UTF-8 byte 0x%02X in a name "
                                         "(the document must be UTF-8)"),
                       (unsigned char)*p);
        x->at_end = x->end - p < 4;
        return 0;
      }
      p += n;
    } else {
      p++;
    }
  }
  x->p = p;
  return (size_t)(p - s);
}

/* Validates UTF-8 and forbidden characters in [p, e). */
static int xs_check_span(XScan *x, const char *p, const char *e)
{
  while (p < e) {
    unsigned char k = text_cls[(unsigned char)*p];
    if (k == 3) {
      size_t n = utf8_seq((const unsigned char *)p, (const unsigned char *)e);
      if (!n)
        return claims_xs_fail(x, p, T_(x->lang, "invalid UTF-8 byte 0x%02X "
                                                "(the document must be UTF-8)"),
                              (unsigned char)*p);
      p += n;
    } else if (k == 4) {
      return claims_xs_fail(x, p, T_(x->lang, "control character U+%04X is "
                                              "not allowed in XML"),
                            (unsigned char)*p);
    } else {
      p++;
    }
  }
  return 0;
}

static const char *find2(const char *p, const char *e, const char *pat,
                         size_t n)
{
  return memmem(p, (size_t)(e - p), pat, n);
}

static void set_local(XScan *x, const char *q, size_t n)
{
  const char *c = memrchr(q, ':', n);
  if (c) {
    x->name = c + 1;
    x->nlen = n - (size_t)(c + 1 - q);
  } else {
    x->name = q;
    x->nlen = n;
  }
}

/* Checks the prolog's start: encoding marks and the XML declaration. */
int claims_xs_init(XScan *x, const char *lang, const char *doc, size_t len)
{
  pthread_once(&tables_once, init_tables);
  memset(x, 0, sizeof *x);
  x->lang = lang;
  x->doc = x->p = doc;
  x->end = doc + len;
  x->eof = 1;
  const unsigned char *u = (const unsigned char *)doc;
  if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    return claims_xs_fail(x, doc, T_(x->lang, "the document is UTF-16 "
                                              "(byte-order mark); only UTF-8 "
                                              "is accepted"));
  if (len >= 2 && ((u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0)))
    return claims_xs_fail(x, doc, T_(x->lang, "the document is UTF-16 or "
                                              "UTF-32 (NUL bytes); only UTF-8 "
                                              "is accepted"));
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    x->p += 3;
  if ((size_t)(x->end - x->p) >= 6 && !memcmp(x->p, "<?xml", 5) &&
      is_ws(x->p[5])) {
    const char *e = find2(x->p, x->end, "?>", 2);
    if (!e)
      return xs_fail_end(x, x->p, T_(x->lang, "unterminated XML declaration "
                                              "(truncated?)"));
    const char *enc = find2(x->p, e, "encoding", 8);
    if (enc) {
      const char *q = enc + 8;
      while (q < e && (is_ws(*q) || *q == '='))
        q++;
      if (q < e && (*q == '"' || *q == '\'')) {
        char quote = *q++;
        const char *v = q;
        while (q < e && *q != quote)
          q++;
        size_t n = (size_t)(q - v);
        if (!((n == 5 && !strncasecmp(v, "utf-8", 5)) ||
              (n == 4 && !strncasecmp(v, "utf8", 4)))) {
          char b[48];
          return claims_xs_fail(x, v, T_(x->lang, "the document declares "
                                                  "encoding '%s'; only UTF-8 "
                                                  "is accepted (convert it "
                                                  "first)"),
                                claims_quote_val(v, n, b, sizeof b));
        }
      }
    }
    if (xs_check_span(x, x->p, e))
      return XT_ERR;
    x->p = e + 2;
  }
  return 0;
}

/* Resumes inside the root element (a split part starting at a record). */
void claims_xs_resume(XScan *x, const char *lang, const char *doc, size_t len,
                      size_t at, const char *root, uint32_t root_len)
{
  pthread_once(&tables_once, init_tables);
  memset(x, 0, sizeof *x);
  x->lang = lang;
  x->doc = doc;
  x->p = doc + at;
  x->end = doc + len;
  x->eof = 1;
  x->depth = 1;
  x->sname[0] = root;
  x->slen[0] = root_len;
  x->seen_root = 1;
}

/* The helpers of claims_xs_next: each reads one kind of token at p (x->p)
 * and returns the token to give, or 0 when it read something the caller
 * skips (a comment, a processing instruction, white space outside the
 * root). */

/* Text up to the next '<': references and UTF-8 checked on the way. */
static inline int xs_text(XScan *x, const char *p)
{
  const char *s = p, *e = x->end;
  int kind = TK_PLAIN;
  while (p < e) {
    p = scan_text_special(p, e);
    if (p >= e)
      break;
    unsigned char k = text_cls[(unsigned char)*p];
    if (!k) {
      p++;
      continue;
    }
    if (k == 1)
      break;
    if (k == 2) {
      size_t n = xs_entity(x, p);
      if (!n)
        return XT_ERR;
      kind = TK_ENTITY;
      p += n;
    } else if (k == 3) {
      size_t n = utf8_seq((const unsigned char *)p, (const unsigned char *)e);
      if (!n) {
        x->at_end = e - p < 4;
        return claims_xs_fail(x, p, T_(x->lang, "invalid UTF-8 byte 0x%02X "
                                                "(the document must be UTF-8)"),
                              (unsigned char)*p);
      }
      p += n;
    } else {
      return claims_xs_fail(x, p, T_(x->lang, "control character U+%04X is "
                                              "not allowed in XML"),
                            (unsigned char)*p);
    }
  }
  x->p = p;
  if (x->depth == 0) {
    for (const char *q = s; q < p; q++)
      if (!is_ws(*q))
        return claims_xs_fail(x, q, T_(x->lang, "text outside the root element"));
    return 0;
  }
  x->text = s;
  x->tlen = (size_t)(p - s);
  x->tkind = kind;
  return XT_TEXT;
}

/* An end tag, p at "</": it must close the innermost open element. */
static inline int xs_end_tag(XScan *x, const char *p)
{
  const char *e = x->end;
  x->p = p + 2;
  const char *q = x->p;
  size_t n = xs_name(x);
  if (!n)
    return XT_ERR;
  while (x->p < e && is_ws(*x->p))
    x->p++;
  if (x->p >= e)
    return xs_fail_end(x, x->p, T_(x->lang, "the document ends inside an end "
                                            "tag (truncated?)"));
  if (*x->p != '>')
    return claims_xs_fail(x, x->p, T_(x->lang, "expected '>' to close </%.*s>"),
                       (int)n, q);
  x->p++;
  if (x->depth == 0)
    return claims_xs_fail(x, p, T_(x->lang, "end tag </%.*s> without a start "
                                            "tag"), (int)n,
                          q);
  int d = x->depth - 1;
  if (x->slen[d] != n || memcmp(x->sname[d], q, n))
    return claims_xs_fail(x, p, T_(x->lang, "end tag </%.*s> does not match "
                                            "<%.*s>"), (int)n,
                          q, (int)x->slen[d], x->sname[d]);
  x->depth = d;
  if (!d)
    x->root_done = 1;
  set_local(x, q, n);
  return XT_END;
}

/* A processing instruction, p at "<?": skipped once checked. */
static int xs_pi(XScan *x, const char *p)
{
  const char *e = x->end;
  const char *c = find2(p + 2, e, "?>", 2);
  if (!c)
    return xs_fail_end(x, p, T_(x->lang, "unterminated processing instruction "
                                         "(truncated?)"));
  if (e - p >= 6 && !strncasecmp(p + 2, "xml", 3) &&
      (is_ws(p[5]) || p[5] == '?'))
    return claims_xs_fail(x, p, T_(x->lang, "XML declaration not at the start "
                                            "of the document"));
  if (xs_check_span(x, p, c))
    return XT_ERR;
  x->p = c + 2;
  return 0;
}

/* Markup at "<!": a comment (skipped), a CDATA section (text), or a
 * DOCTYPE, refused as anything else is. */
static int xs_markup(XScan *x, const char *p)
{
  const char *e = x->end;
  if (e - p >= 4 && !memcmp(p, "<!--", 4)) {
    const char *c = find2(p + 4, e, "-->", 3);
    if (!c)
      return xs_fail_end(x, p, T_(x->lang, "unterminated comment (truncated?)"));
    if (xs_check_span(x, p + 4, c))
      return XT_ERR;
    x->p = c + 3;
    return 0;
  }
  if (e - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
    if (x->depth == 0)
      return claims_xs_fail(x, p, T_(x->lang, "CDATA section outside the root "
                                              "element"));
    const char *c = find2(p + 9, e, "]]>", 3);
    if (!c)
      return xs_fail_end(x, p, T_(x->lang, "unterminated CDATA section "
                                           "(truncated?)"));
    if (xs_check_span(x, p + 9, c))
      return XT_ERR;
    x->text = p + 9;
    x->tlen = (size_t)(c - (p + 9));
    x->tkind = TK_CDATA;
    x->p = c + 3;
    return XT_TEXT;
  }
  if (e - p >= 9 && !memcmp(p, "<!DOCTYPE", 9))
    return claims_xs_fail(x, p, T_(x->lang, "DOCTYPE declaration refused: no "
                                            "DTD is read and no entity is "
                                            "declared or expanded"));
  x->at_end = e - p < 9;
  return claims_xs_fail(x, p, T_(x->lang, "unexpected '<!' markup"));
}

/* One attribute of the start tag <q (n bytes), x->p at its name: the
 * value is checked (references, UTF-8) and skipped; returns 0 or XT_ERR. */
static inline int xs_attribute(XScan *x, const char *q, size_t n)
{
  const char *e = x->end;
  if (!xs_name(x))
    return XT_ERR;
  while (x->p < e && is_ws(*x->p))
    x->p++;
  if (x->p >= e || *x->p != '=') {
    x->at_end = x->p >= e;
    return claims_xs_fail(x, x->p, T_(x->lang, "expected '=' after an "
                                               "attribute name in <%.*s>"),
                          (int)n, q);
  }
  x->p++;
  while (x->p < e && is_ws(*x->p))
    x->p++;
  if (x->p >= e || (*x->p != '"' && *x->p != '\'')) {
    x->at_end = x->p >= e;
    return claims_xs_fail(x, x->p, T_(x->lang, "expected a quoted attribute "
                                               "value in <%.*s>"), (int)n, q);
  }
  char quote = *x->p++;
  while (x->p < e && *x->p != quote) {
    unsigned char k = text_cls[(unsigned char)*x->p];
    if (k == 1)
      return claims_xs_fail(x, x->p, T_(x->lang, "'<' in an attribute value"));
    if (k == 2) {
      size_t m = xs_entity(x, x->p);
      if (!m)
        return XT_ERR;
      x->p += m;
    } else if (k == 3) {
      size_t m = utf8_seq((const unsigned char *)x->p,
                          (const unsigned char *)e);
      if (!m) {
        x->at_end = e - x->p < 4;
        return claims_xs_fail(x, x->p, T_(x->lang, "invalid UTF-8 byte 0x%02X "
                                                   "(the document must be "
                                                   "UTF-8)"),
                              (unsigned char)*x->p);
      }
      x->p += m;
    } else if (k == 4) {
      return claims_xs_fail(x, x->p, T_(x->lang, "control character in an "
                                                 "attribute value"));
    } else {
      x->p++;
    }
  }
  if (x->p >= e)
    return xs_fail_end(x, x->p, T_(x->lang, "the document ends inside an "
                                            "attribute value (truncated?)"));
  x->p++;
  return 0;
}

/* A start tag, p at '<': its name, its attributes, '>' or "/>" (an empty
 * element: its end comes as the next token). */
static inline int xs_start_tag(XScan *x, const char *p)
{
  const char *e = x->end;
  if (x->root_done)
    return claims_xs_fail(x, p, T_(x->lang, "an element after the end of the "
                                            "root element"));
  if (x->depth >= XML_MAX_DEPTH) {
    x->err_status = HICOV_LIMIT; /* a limit of ours, not a broken document */
    return claims_xs_fail(x, p, T_(x->lang, "elements nested deeper than %d "
                                            "levels (refused)"), XML_MAX_DEPTH);
  }
  x->p = p + 1;
  const char *q = x->p;
  size_t n = xs_name(x);
  if (!n)
    return XT_ERR;
  if (n > 1000)
    return claims_xs_fail(x, q, T_(x->lang, "element name longer than 1000 "
                                            "bytes"));
  x->sname[x->depth] = q;
  x->slen[x->depth] = (uint32_t)n;
  for (;;) {
    const char *a = x->p;
    while (x->p < e && is_ws(*x->p))
      x->p++;
    if (x->p >= e)
      return xs_fail_end(x, x->p, T_(x->lang, "the document ends inside "
                                              "<%.*s> (truncated?)"),
                         (int)n, q);
    if (*x->p == '>') {
      x->p++;
      break;
    }
    if (*x->p == '/') {
      if (x->p + 1 >= e || x->p[1] != '>') {
        x->at_end = x->p + 1 >= e;
        return claims_xs_fail(x, x->p, T_(x->lang, "expected '/>' in <%.*s>"),
                              (int)n, q);
      }
      x->p += 2;
      x->pending_end = 1;
      break;
    }
    if (x->p == a)
      return claims_xs_fail(x, x->p, T_(x->lang, "expected a space before an "
                                                 "attribute in <%.*s>"),
                            (int)n, q);
    if (xs_attribute(x, q, n))
      return XT_ERR;
  }
  x->depth++;
  x->seen_root = 1;
  set_local(x, q, n);
  return XT_START;
}

static int xs_next_token(XScan *x)
{
  if (x->pending_end) {
    x->pending_end = 0;
    x->depth--;
    set_local(x, x->sname[x->depth], x->slen[x->depth]);
    if (!x->depth)
      x->root_done = 1;
    return XT_END;
  }
  for (;;) {
    const char *p = x->p, *e = x->end;
    int t;
    if (p >= e) {
      if (x->depth > 0)
        return xs_fail_end(x, p, T_(x->lang, "the document ends inside <%.*s> "
                                             "(truncated?)"),
                           (int)x->slen[x->depth - 1],
                           x->sname[x->depth - 1]);
      if (!x->seen_root)
        return xs_fail_end(x, p, T_(x->lang, "no root element"));
      return XT_EOF;
    }
    if (*p != '<')
      t = xs_text(x, p);
    else if (e - p < 2)
      return xs_fail_end(x, p, T_(x->lang, "the document ends inside a tag "
                                           "(truncated?)"));
    else if (p[1] == '/')
      t = xs_end_tag(x, p);
    else if (p[1] == '?')
      t = xs_pi(x, p);
    else if (p[1] == '!')
      t = xs_markup(x, p);
    else
      t = xs_start_tag(x, p);
    if (t)
      return t;
  }
}

/* The window grows past x->end (in place: what x points to stays); 0, or
 * XT_ERR with the reason. */
static int xs_more(XScan *x)
{
  Part *pt = x->part;
  int rc = claims_part_more(pt, pt->off + pt->avail + 1);
  if (rc) {
    x->err_status = rc;
    return claims_xs_fail(x, x->p, "%s", pt->why);
  }
  x->end = pt->base + pt->avail;
  x->eof = pt->eof;
  return 0;
}

int claims_xs_next(XScan *x)
{
  for (;;) {
    const char *p0 = x->p;
    x->at_end = 0;
    int t = xs_next_token(x);
    /* a token that ran into the window's end: again with more of the
       input (nothing of the scanner's state but p moved) */
    if (x->eof || !(t == XT_EOF || (t == XT_ERR && x->at_end) ||
                    (t == XT_TEXT && x->p == x->end)))
      return t;
    x->p = p0;
    if (xs_more(x))
      return XT_ERR;
  }
}

int claims_xs_init_part(XScan *x, Part *pt)
{
  /* the encoding marks and "<?xml " are looked for in the first bytes */
  if (pt->avail < 256 && !pt->eof) {
    int rc = claims_part_more(pt, pt->off + 256);
    if (rc) {
      claims_xs_init(x, pt->c->lang, pt->base, pt->avail);
      x->err_status = rc;
      return claims_xs_fail(x, x->p, "%s", pt->why);
    }
  }
  for (;;) {
    int t = claims_xs_init(x, pt->c->lang, pt->base, pt->avail);
    x->part = pt;
    x->eof = pt->eof;
    if (t != XT_ERR || !x->at_end || x->eof)
      return t;
    if (xs_more(x))
      return XT_ERR;
  }
}

void claims_xs_resume_part(XScan *x, Part *pt, size_t at, const char *root,
                           uint32_t root_len)
{
  claims_xs_resume(x, pt->c->lang, pt->base, pt->avail, at - pt->off, root,
                   root_len);
  x->part = pt;
  x->eof = pt->eof;
}

/* Room for the names of the open elements (at most 1000 bytes each). */
#define PIN_SLOT 1001

int claims_xs_slide(XScan *x)
{
  Part *pt = x->part;
  size_t keep = pt->off + (size_t)(x->p - pt->base);
  /* the names of the open elements point into the window: kept apart */
  const char *w0 = pt->base, *w1 = pt->base + pt->avail;
  for (int d = 0; d < x->depth; d++) {
    if (x->sname[d] < w0 || x->sname[d] >= w1)
      continue; /* kept already, or not in the window */
    if (!pt->pin && !(pt->pin = hicov_malloc((size_t)XML_MAX_DEPTH * PIN_SLOT))) {
      x->err_status = HICOV_NOMEM;
      return claims_xs_fail(x, x->p, T_(x->lang, "out of memory"));
    }
    char *slot = pt->pin + (size_t)d * PIN_SLOT;
    memcpy(slot, x->sname[d], x->slen[d]);
    x->sname[d] = slot;
  }
  int rc = claims_part_slide(pt, keep);
  x->doc = pt->base;
  x->p = pt->base + (keep - pt->off);
  x->end = pt->base + pt->avail;
  x->eof = pt->eof;
  if (rc) {
    x->err_status = rc;
    return claims_xs_fail(x, x->p, "%s", pt->why);
  }
  return 0;
}

/* Decodes a text token into o (entities, CDATA as is); returns bytes. */
size_t claims_xs_decode(const char *s, size_t n, int kind, char *o)
{
  if (kind != TK_ENTITY) {
    memcpy(o, s, n);
    return n;
  }
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] != '&') {
      o[w++] = s[i++];
      continue;
    }
    const char *q = s + i + 1;
    if (*q == '#') {
      unsigned long v = 0;
      int hex = q[1] == 'x';
      q += 1 + hex;
      while (*q != ';') {
        int dv = *q <= '9' ? *q - '0' : (*q | 0x20) - 'a' + 10;
        v = v * (hex ? 16 : 10) + (unsigned long)dv;
        q++;
      }
      w += put_utf8(o + w, (unsigned)v);
    } else {
      char ch = q[0] == 'l' ? '<' : q[0] == 'g' ? '>' : q[1] == 'm' ? '&'
              : q[0] == 'q' ? '"' : '\'';
      o[w++] = ch;
      while (*q != ';')
        q++;
    }
    i = (size_t)(q + 1 - s);
  }
  return w;
}

/* Line and column (1-based) of offset in doc. */
void claims_line_col(const char *doc, size_t off, long *line, long *col)
{
  long l = 1;
  const char *p = doc, *e = doc + off, *ls = doc;
  while ((p = memchr(p, '\n', (size_t)(e - p)))) {
    l++;
    p++;
    ls = p;
  }
  *line = l;
  *col = (long)(e - ls) + 1;
}
