/* Claims XML: hostile and broken documents are refused with a clear error
 * in bounded memory, as outer files and as base64 inner documents; and the
 * scanner reads accepted documents as libxml2 does (same values). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "hicov-claims.h"
#include "b64enc.h"
#include "testutil.h"

static char *b64(const char *s, size_t n)
{
  char *out = malloc(TEST_B64_SIZE(n));
  test_b64_encode(s, n, out);
  return out;
}

static char *wrap(const char *inner_b64)
{
  const char *pre = "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01001</MACSKCB>"
                    "</THONGTINDONVI><THONGTINHOSO><SOLUONGHOSO>1</SOLUONGHOSO>"
                    "<DANHSACHHOSO><HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO>"
                    "<NOIDUNGFILE>";
  const char *post = "</NOIDUNGFILE></FILEHOSO></HOSO></DANHSACHHOSO>"
                     "</THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>";
  char *s = malloc(strlen(pre) + strlen(inner_b64) + strlen(post) + 1);
  strcpy(s, pre);
  strcat(s, inner_b64);
  strcat(s, post);
  return s;
}

#define GOOD_FIELDS "<MA_LK>H1</MA_LK><MA_THE_BHYT>DN4010000000001</MA_THE_BHYT>" \
  "<T_TONGCHI_BV>10</T_TONGCHI_BV><T_BHTT>10</T_BHTT><T_BNCCT>0</T_BNCCT>" \
  "<NAM_QT>2024</NAM_QT><THANG_QT>1</THANG_QT><MA_LOAI_KCB>01</MA_LOAI_KCB>" \
  "<MA_CSKCB>01001</MA_CSKCB>"

static char *deep(int levels)
{
  size_t n = (size_t)levels * 8 + 200;
  char *s = malloc(n), *p = s;
  p += sprintf(p, "<TONG_HOP>");
  for (int i = 0; i < levels; i++)
    p += sprintf(p, "<a>");
  for (int i = 0; i < levels; i++)
    p += sprintf(p, "</a>");
  sprintf(p, GOOD_FIELDS "</TONG_HOP>");
  return s;
}

typedef struct {
  const char *name;
  const char *doc;   /* NULL: built below */
  size_t len;        /* 0: strlen */
  const char *error; /* expected in the message */
} Hostile;

static void check_refused(const char *name, const char *doc, size_t len,
                          const char *error)
{
  /* as a file: refused, nothing accepted */
  HicovClaims *c;
  hicov_claims_new(&c);
  int rc = hicov_claims_read_buffer(c, name, doc, len);
  CHECK(rc == HICOV_PARSE || rc == HICOV_LIMIT);
  CHECK_CONTAINS(hicov_claims_errmsg(c), name);
  CHECK_CONTAINS(hicov_claims_errmsg(c), error);
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.accepted, 0);
  CHECK_INT(k.files_failed, 1);
  CHECK_INT(k.accepted + k.rejected, k.records_read);
  hicov_claims_free(c);
  /* as the inner document of an envelope: the record is refused, the file
   * is fine */
  char *e = b64(doc, len);
  char *env = wrap(e);
  hicov_claims_new(&c);
  rc = hicov_claims_read_buffer(c, "env.xml", env, strlen(env));
  CHECK_INT(rc, HICOV_OK);
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 1);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_INNER_XML], 1);
  HicovClaimsMessage m;
  CHECK_INT(hicov_claims_message(c, 0, &m), HICOV_OK);
  CHECK_CONTAINS(m.message, "env.xml, HOSO 1");
  CHECK_CONTAINS(m.message, error);
  if (!strstr(m.message, error))
    fprintf(stderr, "  (%s) %s\n", name, m.message);
  hicov_claims_free(c);
  free(e);
  free(env);
}

static void test_hostile(void)
{
  char *d10000 = deep(10000);
  char *d70 = deep(70);
  static const char utf16[] = "\xff\xfe<\0T\0O\0N\0G\0_\0H\0O\0P\0>\0";
  Hostile h[] = {
    { "xxe.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE TONG_HOP [<!ENTITY xxe "
      "SYSTEM \"file:///etc/passwd\">]>\n<TONG_HOP><MA_LK>&xxe;</MA_LK></TONG_HOP>",
      0, "DOCTYPE declaration refused" },
    { "xxe-net.xml", "<!DOCTYPE TONG_HOP SYSTEM \"http://example.invalid/x.dtd\">"
      "<TONG_HOP/>", 0, "DOCTYPE declaration refused" },
    { "laughs.xml", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
      "<TONG_HOP><MA_LK>&lol3;</MA_LK></TONG_HOP>", 0, "DOCTYPE declaration refused" },
    { "undeclared.xml", "<TONG_HOP><MA_LK>&lol;</MA_LK></TONG_HOP>", 0,
      "entity reference '&lol;' refused" },
    { "deep.xml", d10000, 0, "nested deeper than 64 levels" },
    { "deep70.xml", d70, 0, "nested deeper than 64 levels" },
    { "truncated.xml", "<TONG_HOP>" GOOD_FIELDS "<HO_TEN>NGUY", 0, "truncated" },
    { "truncated-tag.xml", "<TONG_HOP>" GOOD_FIELDS "<HO_T", 0, "truncated" },
    { "utf16.xml", utf16, sizeof utf16 - 1, "UTF-16" },
    { "latin1.xml", "<TONG_HOP>" GOOD_FIELDS "<HO_TEN>L\xca V\xc3N</HO_TEN></TONG_HOP>",
      0, "invalid UTF-8 byte 0xCA" },
    { "declared-latin1.xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
      "<TONG_HOP/>", 0, "declares encoding 'ISO-8859-1'" },
    { "mismatch.xml", "<TONG_HOP><MA_LK>x</MA_BN></TONG_HOP>", 0,
      "end tag </MA_BN> does not match <MA_LK>" },
    { "two-roots.xml", "<TONG_HOP/><TONG_HOP/>", 0, "after the end of the root" },
    { "control.xml", "<TONG_HOP><MA_LK>a\x01</MA_LK></TONG_HOP>", 0,
      "control character U+0001" },
    { "bad-charref.xml", "<TONG_HOP><MA_LK>&#0;</MA_LK></TONG_HOP>", 0,
      "U+0000" },
    { "comment-only.xml", "<!-- nothing -->\n", 0, "no root element" },
  };
  for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
    size_t len = h[i].len ? h[i].len : strlen(h[i].doc);
    check_refused(h[i].name, h[i].doc, len, h[i].error);
    /* libxml2 with our options refuses the broken ones too (it cannot
     * refuse a DOCTYPE by option, which is why we do not use it) */
    if (!strncmp(h[i].name, "truncated", 9) || !strcmp(h[i].name, "mismatch.xml") ||
        !strcmp(h[i].name, "latin1.xml") || !strcmp(h[i].name, "undeclared.xml")) {
      xmlDocPtr d = xmlReadMemory(h[i].doc, (int)len, h[i].name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
      CHECK(d == NULL);
      xmlFreeDoc(d);
    }
  }
  free(d10000);
  free(d70);

  /* envelope-level problems */
  struct {
    const char *name, *env, *error;
    int reason;
  } e[] = {
    { "b64-char.xml", "<GIAMDINHHS><THONGTINHOSO><DANHSACHHOSO><HOSO><FILEHOSO>"
      "<LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>PFRP*05HX0hPUD4=</NOIDUNGFILE>"
      "</FILEHOSO></HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>",
      "invalid base64 character 0x2A", HICOV_CLAIMS_REJECT_BASE64 },
    { "b64-short.xml", "<GIAMDINHHS><THONGTINHOSO><DANHSACHHOSO><HOSO><FILEHOSO>"
      "<LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>PFRPTkdfSE9QPg</NOIDUNGFILE>"
      "</FILEHOSO></HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>",
      "not a multiple of 4", HICOV_CLAIMS_REJECT_BASE64 },
    { "no-xml1.xml", "<GIAMDINHHS><THONGTINHOSO><DANHSACHHOSO><HOSO><FILEHOSO>"
      "<LOAIHOSO>XML2</LOAIHOSO><NOIDUNGFILE>PFRPTkdfSE9QPg==</NOIDUNGFILE>"
      "</FILEHOSO></HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>",
      "no XML1", HICOV_CLAIMS_REJECT_NO_XML1 },
  };
  for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
    HicovClaims *c;
    hicov_claims_new(&c);
    CHECK_INT(hicov_claims_read_buffer(c, e[i].name, e[i].env, strlen(e[i].env)),
              HICOV_OK);
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.records_read, 1);
    CHECK_INT(k.rejected_by[e[i].reason], 1);
    HicovClaimsMessage m;
    CHECK_INT(hicov_claims_message(c, 0, &m), HICOV_OK);
    CHECK_CONTAINS(m.message, e[i].name);
    CHECK_CONTAINS(m.message, e[i].error);
    hicov_claims_free(c);
  }

  /* an envelope cut short after its first HOSO: the file is refused and
   * the record held back with it counts as rejected */
  const char *cut = "<GIAMDINHHS><THONGTINHOSO><DANHSACHHOSO><HOSO><FILEHOSO>"
                    "<LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>";
  char *inner = b64("<TONG_HOP>" GOOD_FIELDS "</TONG_HOP>",
                    strlen("<TONG_HOP>" GOOD_FIELDS "</TONG_HOP>"));
  size_t dl = strlen(cut) + strlen(inner) + 200;
  char *doc = malloc(dl);
  if (!doc)
    abort();
  snprintf(doc, dl, "%s%s</NOIDUNGFILE></FILEHOSO></HOSO><HOSO><FILE", cut, inner);
  HicovClaims *c;
  hicov_claims_new(&c);
  CHECK_INT(hicov_claims_read_buffer(c, "cut.xml", doc, strlen(doc)), HICOV_PARSE);
  CHECK_CONTAINS(hicov_claims_errmsg(c), "cut.xml: line 1");
  CHECK_CONTAINS(hicov_claims_errmsg(c), "1 record of the file rejected with it");
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  CHECK_INT(k.records_read, 1);
  CHECK_INT(k.accepted, 0);
  CHECK_INT(k.rejected_by[HICOV_CLAIMS_REJECT_FILE], 1);
  hicov_claims_free(c);
  free(inner);
  free(doc);
}

/* Base64 in lines (MIME encoders write 76 characters a line, some 64;
 * others break anywhere): the same record whatever the width, line end or
 * padding, decoded by the vector steps between the line breaks and by the
 * character loop where a break falls inside a group of four. */
static void test_wrapped_base64(void)
{
  const int widths[] = { 76, 64, 4, 10, 1, 1 << 20 };
  const char *ends[] = { "\n", "\r\n", " " };
  int eqs = 0; /* the paddings seen: none, "=", "==" */
  for (int pad = 0; pad < 3; pad++) {
    char doc[2048];
    /* 0-2 spaces change the length mod 3: no padding, "==" and "=" */
    snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
             "<TONG_HOP>%.*s%s<T_TONGCHI_BV>123456.50</T_TONGCHI_BV>"
             "<T_BHTT>98765.25</T_BHTT><T_BNCCT>0</T_BNCCT><NAM_QT>2024"
             "</NAM_QT><THANG_QT>3</THANG_QT><MA_LOAI_KCB>01</MA_LOAI_KCB>"
             "<MA_CSKCB>01001</MA_CSKCB><HO_TEN>Nguyễn Thị Hồng Nhung, "
             "thôn Bản Chắt, xã Na Sầm, huyện Văn Lãng</HO_TEN></TONG_HOP>",
             pad, "  ", "<MA_LK>W1</MA_LK><MA_THE_BHYT>DN4010000000001"
             "</MA_THE_BHYT>");
    char *flat = b64(doc, strlen(doc));
    size_t fl = strlen(flat);
    eqs |= 1 << ((flat[fl - 1] == '=') + (flat[fl - 2] == '='));
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
      for (size_t e = 0; e < 3; e++) {
        char *lines = malloc(fl * 3 + 16);
        size_t o = 0;
        lines[o++] = '\n'; /* white space before and after, too */
        for (size_t i = 0; i < fl; i++) {
          if (i && i % (size_t)widths[w] == 0) {
            strcpy(lines + o, ends[e]);
            o += strlen(ends[e]);
          }
          lines[o++] = flat[i];
        }
        strcpy(lines + o, ends[e]);
        char *env = wrap(lines);
        HicovClaims *c;
        hicov_claims_new(&c);
        CHECK_INT(hicov_claims_read_buffer(c, "lines.xml", env, strlen(env)),
                  HICOV_OK);
        HicovClaimsCounts k;
        hicov_claims_counts(c, &k);
        HicovClaimsTotals t;
        CHECK_INT(hicov_claims_totals(c, &t), HICOV_OK);
        if (k.accepted != 1 || t.fund_paid != 9876525 || t.total_cost != 12345650)
          fprintf(stderr, "padding %d, width %d, line end %zu: accepted %lld, "
                  "fund %lld: %s\n", pad, widths[w], e, (long long)k.accepted,
                  (long long)t.fund_paid, hicov_claims_errmsg(c));
        CHECK_INT(k.accepted, 1);
        CHECK_INT(t.fund_paid, 9876525);
        CHECK_INT(t.total_cost, 12345650);
        hicov_claims_free(c);
        free(env);
        free(lines);
      }
    }
    free(flat);
  }
  CHECK_INT(eqs, 7);
}

/* Accepted documents: libxml2 sees the same T_BHTT and MA_LK. */
static void test_same_as_libxml2(void)
{
  const char *docs[] = {
    "<TONG_HOP>" GOOD_FIELDS "</TONG_HOP>",
    "<?xml version='1.0' encoding='utf-8'?><!-- c --><TONG_HOP a='1' b=\"&lt;&amp;\">"
    "<MA_LK>H&#x31;&#50;</MA_LK><MA_THE_BHYT>DN4010000000001</MA_THE_BHYT>"
    "<T_TONGCHI_BV>10</T_TONGCHI_BV><T_BHTT><![CDATA[12]]>34.5<!-- x -->6</T_BHTT>"
    "<T_BNCCT>0</T_BNCCT><NAM_QT>2024</NAM_QT><THANG_QT>1</THANG_QT>"
    "<MA_LOAI_KCB>01</MA_LOAI_KCB><MA_CSKCB>01001</MA_CSKCB></TONG_HOP><?pi x?>\n",
    "<p:TONG_HOP xmlns:p='urn:p'><p:MA_LK>Z</p:MA_LK><p:MA_THE_BHYT>DN4010000000001"
    "</p:MA_THE_BHYT><p:T_TONGCHI_BV>10</p:T_TONGCHI_BV><p:T_BHTT> 7.1 </p:T_BHTT>"
    "<p:T_BNCCT>0</p:T_BNCCT><p:NAM_QT>2024</p:NAM_QT><p:THANG_QT>1</p:THANG_QT>"
    "<p:MA_LOAI_KCB>01</p:MA_LOAI_KCB><p:MA_CSKCB>01001</p:MA_CSKCB></p:TONG_HOP>",
  };
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    HicovClaims *c;
    hicov_claims_new(&c);
    CHECK_INT(hicov_claims_read_buffer(c, "ok.xml", docs[i], strlen(docs[i])),
              HICOV_OK);
    HicovClaimsTotals t;
    hicov_claims_totals(c, &t);
    xmlDocPtr d = xmlReadMemory(docs[i], (int)strlen(docs[i]), "ok.xml", NULL,
                                XML_PARSE_NONET);
    CHECK(d != NULL);
    if (d) {
      int64_t fund = -1;
      for (xmlNodePtr n = xmlDocGetRootElement(d)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "T_BHTT"))
          continue;
        xmlChar *v = xmlNodeGetContent(n);
        double x = strtod((const char *)v, NULL); /* test oracle only */
        fund = (int64_t)(x * 100 + 0.5);
        xmlFree(v);
      }
      CHECK_INT(t.fund_paid, fund);
      xmlFreeDoc(d);
    }
    HicovClaimsCounts k;
    hicov_claims_counts(c, &k);
    CHECK_INT(k.accepted, 1);
    hicov_claims_free(c);
  }
}

int main(void)
{
  test_wrapped_base64();
  test_hostile();
  test_same_as_libxml2();
  xmlCleanupParser();
  return test_finish("test-claims-xml");
}
