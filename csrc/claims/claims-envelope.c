/* claims-envelope.c - GIAMDINHHS envelopes: the HOSO of each visit, the
 * base64 XML1 document inside it decoded and read as one record, the
 * envelope's facility code and declared HOSO count. */
#include <string.h>

#include "claims-read-private.h"

/* One HOSO's XML1 result. */
typedef struct {
  int state; /* 0 none yet, 1 accepted (rec), 2 rejected (done) */
  ClaimsRec rec;
} HosoResult;

/* Decodes and reads the XML1 document of a HOSO. */
static int read_inner(Part *pt, const char *b64, size_t n, int64_t hoso,
                      HosoResult *hr)
{
  char msg[320];
  size_t len;
  Where w = { pt->file, WHERE_HOSO, hoso };
  int rc = claims_b64_decode(pt, b64, n, &len, msg, sizeof msg);
  if (rc == HICOV_NOMEM)
    return rc;
  hr->state = 2;
  if (rc) {
    pt->read++;
    pt->c->counts.records_read++;
    return claims_reject(pt, &w, HICOV_CLAIMS_REJECT_BASE64, "", "NOIDUNGFILE",
                         T_(pt->c->lang, "XML1 content refused: %s"), msg);
  }
  XScan x;
  RawRec r;
  raw_reset(&r, pt->arena);
  int t = claims_xs_init(&x, pt->c->lang, (const char *)pt->inner, len);
  while (t != XT_ERR) {
    t = claims_xs_next(&x);
    if (t != XT_START)
      continue;
    if (!is_name(&x, "TONG_HOP") || x.depth != 1) {
      t = claims_xs_fail(&x, x.name, T_(x.lang, "expected the root element "
                                                "TONG_HOP, found <%.*s>"),
                         (int)x.nlen, x.name);
      break;
    }
    if (claims_xml_record(&x, &r) == XT_ERR) {
      t = XT_ERR;
      break;
    }
    t = claims_xs_next(&x);
    if (t == XT_EOF)
      break;
    if (t != XT_ERR)
      t = claims_xs_fail(&x, x.p, T_(x.lang, "content after </TONG_HOP>"));
    break;
  }
  pt->read++;
  pt->c->counts.records_read++;
  if (t == XT_ERR) {
    long line, col;
    claims_line_col(x.doc, (size_t)(x.err_at - x.doc), &line, &col);
    /* the key, if the scanner got that far, helps to find the record */
    char lk[CLAIMS_LK_MAX + 1] = "";
    if (r.len[F_MA_LK] && r.len[F_MA_LK] <= CLAIMS_LK_MAX) {
      memcpy(lk, r.v[F_MA_LK], r.len[F_MA_LK]);
      lk[r.len[F_MA_LK]] = 0;
    }
    return claims_reject(pt, &w, HICOV_CLAIMS_REJECT_INNER_XML, lk, "NOIDUNGFILE",
                         T_(pt->c->lang, "XML1 document refused at line %ld, "
                                         "column %ld: %s"), line, col, x.err);
  }
  int v = claims_validate(pt, &r, &w, &hr->rec);
  if (v < 0)
    return -v;
  if (v == 1)
    hr->state = 1;
  return HICOV_OK;
}

/* Elements of an envelope below the root, by local name and place. */
enum { E_NONE, E_DONVI, E_MACSKCB, E_HOSO_INFO, E_SOLUONG, E_DANHSACH, E_HOSO,
       E_FILEHOSO, E_LOAI, E_NOIDUNG };

/* Where the reader of an envelope is: the kind of each open element, and
 * what the current HOSO and FILEHOSO hold so far. */
typedef struct {
  int lvl_kind[XML_MAX_DEPTH + 1];
  int64_t hoso_no, declared;  /* HOSO read; SOLUONGHOSO (-1: none) */
  char loai[16];              /* LOAIHOSO of the FILEHOSO */
  size_t loai_len;
  const char *content;        /* its NOIDUNGFILE: in the input, or pt->b64 */
  size_t content_len;
  int content_copied, have_content;
  int n_xml1;                 /* XML1 files in the HOSO */
  HosoResult hr;              /* the HOSO's record */
  int in_hoso;                /* inside a HOSO: its text is in the window */
  char decl_buf[32];          /* SOLUONGHOSO's text */
  size_t decl_len;
} Env;

/* The kind of the element that just started at depth d. */
static int env_kind(const XScan *x, int d, int parent)
{
  if (d == 2 && is_name(x, "THONGTINDONVI"))
    return E_DONVI;
  if (d == 3 && parent == E_DONVI && is_name(x, "MACSKCB"))
    return E_MACSKCB;
  if (d == 2 && is_name(x, "THONGTINHOSO"))
    return E_HOSO_INFO;
  if (d == 3 && parent == E_HOSO_INFO && is_name(x, "SOLUONGHOSO"))
    return E_SOLUONG;
  if (d == 3 && parent == E_HOSO_INFO && is_name(x, "DANHSACHHOSO"))
    return E_DANHSACH;
  if (d == 4 && parent == E_DANHSACH && is_name(x, "HOSO"))
    return E_HOSO;
  if (d == 5 && parent == E_HOSO && is_name(x, "FILEHOSO"))
    return E_FILEHOSO;
  if (d == 6 && parent == E_FILEHOSO && is_name(x, "LOAIHOSO"))
    return E_LOAI;
  if (d == 6 && parent == E_FILEHOSO && is_name(x, "NOIDUNGFILE"))
    return E_NOIDUNG;
  return E_NONE;
}

/* A start tag: its kind, and a new HOSO, FILEHOSO, MACSKCB or SOLUONGHOSO
 * starts empty. */
static void env_start(Part *pt, Env *v, const XScan *x)
{
  int d = x->depth;
  int k = env_kind(x, d, d >= 2 ? v->lvl_kind[d - 1] : E_NONE);
  v->lvl_kind[d] = k;
  if (k == E_HOSO) {
    v->in_hoso = 1;
    v->hoso_no++;
    v->n_xml1 = 0;
    memset(&v->hr, 0, sizeof v->hr);
  } else if (k == E_FILEHOSO) {
    v->loai_len = 0;
    v->have_content = 0;
    v->content = NULL;
    v->content_len = 0;
    v->content_copied = 0;
    pt->b64_len = 0;
  } else if (k == E_MACSKCB) {
    pt->env_fac[0] = 0;
  } else if (k == E_SOLUONG) {
    v->decl_len = 0;
  }
}

/* A piece of NOIDUNGFILE: one plain piece is used where it is, several
 * pieces or references are gathered in a copy.  Returns a status. */
static int env_content(Part *pt, Env *v, const XScan *x)
{
  v->have_content = 1;
  if (!v->content && x->tkind != TK_ENTITY) {
    v->content = x->text;
    v->content_len = x->tlen;
    return HICOV_OK;
  }
  if (!v->content_copied) {
    if (hicov_grow((void **)&pt->b64, &pt->b64_cap, v->content_len + 1, 1))
      return pt->status = HICOV_NOMEM;
    if (v->content_len)
      memcpy(pt->b64, v->content, v->content_len);
    pt->b64_len = v->content_len;
    v->content_copied = 1;
  }
  if (pt->b64_len + x->tlen > INNER_MAX * 2u) {
    hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s: HOSO %lld: "
                                                       "NOIDUNGFILE is larger "
                                                       "than %u MB"),
              pt->file, (long long)v->hoso_no,
              INNER_MAX >> 19);
    return pt->status = HICOV_LIMIT;
  }
  if (hicov_grow((void **)&pt->b64, &pt->b64_cap, pt->b64_len + x->tlen + 1, 1))
    return pt->status = HICOV_NOMEM;
  pt->b64_len += claims_xs_decode(x->text, x->tlen, x->tkind,
                                  pt->b64 + pt->b64_len);
  v->content = pt->b64;
  v->content_len = pt->b64_len;
  return HICOV_OK;
}

/* Text in the element at depth x->depth.  Returns a status. */
static int env_text(Part *pt, Env *v, const XScan *x)
{
  int k = v->lvl_kind[x->depth];
  if (k == E_LOAI) {
    size_t room = sizeof v->loai - 1 - v->loai_len;
    size_t m = x->tlen < room ? x->tlen : room;
    v->loai_len += claims_xs_decode(x->text, m, x->tkind == TK_ENTITY
                                                    ? TK_PLAIN : x->tkind,
                                    v->loai + v->loai_len);
  } else if (k == E_NOIDUNG) {
    return env_content(pt, v, x);
  } else if (k == E_MACSKCB) {
    const char *s = x->text;
    size_t m = x->tlen;
    trim(&s, &m);
    if (m <= CLAIMS_FAC_MAX && x->tkind == TK_PLAIN) {
      memcpy(pt->env_fac, s, m);
      pt->env_fac[m] = 0;
    }
  } else if (k == E_SOLUONG) {
    size_t room = sizeof v->decl_buf - 1 - v->decl_len;
    size_t m = x->tlen < room ? x->tlen : room;
    memcpy(v->decl_buf + v->decl_len, x->text, m);
    v->decl_len += m;
  }
  return HICOV_OK;
}

/* A FILEHOSO closed: the first XML1 of the HOSO is read; a second one
 * makes the HOSO ambiguous.  Returns a status. */
static int env_file_end(Part *pt, Env *v)
{
  const char *lt = v->loai;
  size_t ll = v->loai_len;
  trim(&lt, &ll);
  if (ll != 4 || memcmp(lt, "XML1", 4))
    return HICOV_OK;
  v->n_xml1++;
  if (v->n_xml1 == 1) {
    int rc = read_inner(pt, v->have_content ? v->content : "", v->content_len,
                        v->hoso_no, &v->hr);
    if (rc)
      return pt->status = rc;
    pt->pending = v->hr.state == 1;
  } else if (v->hr.state == 1) {
    /* a second XML1: the HOSO is ambiguous */
    v->hr.state = 2;
    pt->pending = 0;
    Where w = { pt->file, WHERE_HOSO, v->hoso_no };
    int rc = claims_reject(pt, &w, HICOV_CLAIMS_REJECT_NO_XML1, v->hr.rec.ma_lk,
                           "LOAIHOSO", "%s",
                           T_(pt->c->lang, "the HOSO holds two XML1 files"));
    if (rc)
      return pt->status = rc;
  }
  return HICOV_OK;
}

/* A HOSO closed: its record goes in, or it is rejected for holding no
 * XML1.  Returns a status. */
static int env_hoso_end(Part *pt, Env *v, const XScan *x)
{
  if (v->n_xml1 == 0) {
    pt->read++;
    pt->c->counts.records_read++;
    Where w = { pt->file, WHERE_HOSO, v->hoso_no };
    int rc = claims_reject(pt, &w, HICOV_CLAIMS_REJECT_NO_XML1, "", "LOAIHOSO",
                           "%s", T_(pt->c->lang, "the HOSO has no XML1 "
                                                 "(TONG_HOP) file"));
    if (rc)
      return pt->status = rc;
  } else if (v->hr.state == 1) {
    pt->pending = 0;
    if ((pt->status = claims_part_push(pt, &v->hr.rec)))
      return pt->status;
  }
  v->in_hoso = 0;
  claims_part_progress(pt, pt->off + (size_t)(x->p - pt->base));
  if (part_cancelled(pt)) {
    hicov_fmt(pt->err, sizeof pt->err, "%s: cancelled", pt->file);
    return pt->status = HICOV_ERROR;
  }
  return HICOV_OK;
}

/* An end tag: the element at depth x->depth + 1 closed.  Returns a
 * status. */
static int env_end(Part *pt, Env *v, const XScan *x)
{
  int d = x->depth;
  int k = v->lvl_kind[d + 1];
  v->lvl_kind[d + 1] = E_NONE;
  if (k == E_SOLUONG) {
    long n;
    v->declared = claims_parse_int(v->decl_buf, v->decl_len, 0, 100000000, &n)
                      ? -1 : n;
  } else if (k == E_FILEHOSO) {
    return env_file_end(pt, v);
  } else if (k == E_HOSO) {
    return env_hoso_end(pt, v, x);
  }
  return HICOV_OK;
}

int claims_read_envelope(Part *pt, XScan *x)
{
  Env v;
  memset(&v, 0, sizeof v);
  v.declared = -1;
  for (;;) {
    /* between HOSO, the window moves on (inside one, NOIDUNGFILE may be
       a slice of it) */
    if (!v.in_hoso && part_low(pt, pt->off + (size_t)(x->p - pt->base)) &&
        claims_xs_slide(x))
      return claims_part_xml_error(pt, x, "");
    int t = claims_xs_next(x), rc = HICOV_OK;
    if (t == XT_EOF)
      break;
    if (t == XT_ERR)
      return claims_part_xml_error(pt, x, "");
    if (t == XT_START)
      env_start(pt, &v, x);
    else if (t == XT_TEXT)
      rc = env_text(pt, &v, x);
    else
      rc = env_end(pt, &v, x);
    if (rc)
      return rc;
  }
  if (v.declared >= 0 && v.declared != v.hoso_no) {
    pt->c->counts.flagged_by[HICOV_CLAIMS_FLAG_HOSO_COUNT]++;
    if (pt->c->n_msgs < pt->c->max_msgs)
      claims_message(pt->c, HICOV_CLAIMS_MSG_FLAG, HICOV_CLAIMS_FLAG_HOSO_COUNT,
                     pt->file, "", "SOLUONGHOSO", T_(pt->c->lang, "%s: "
                                                                  "SOLUONGHOSO "
                                                                  "declares "
                                                                  "%lld HOSO, "
                                                                  "the file "
                                                                  "holds %lld"),
                     pt->file, (long long)v.declared,
                     (long long)v.hoso_no);
  }
  pt->stopped = pt->size;
  return HICOV_OK;
}
