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
  char msg[240];
  size_t len;
  Where w = { pt->file, "HOSO", hoso };
  int rc = claims_b64_decode(pt, b64, n, &len, msg, sizeof msg);
  if (rc == HICOV_NOMEM)
    return rc;
  hr->state = 2;
  if (rc) {
    pt->read++;
    pt->c->counts.records_read++;
    return claims_reject(pt, &w, HICOV_CLAIMS_REJECT_BASE64, "", "NOIDUNGFILE",
                         "XML1 content refused: %s", msg);
  }
  XScan x;
  RawRec r;
  raw_reset(&r, pt->arena);
  int t = claims_xs_init(&x, (const char *)pt->inner, len);
  while (t != XT_ERR) {
    t = claims_xs_next(&x);
    if (t != XT_START)
      continue;
    if (!is_name(&x, "TONG_HOP") || x.depth != 1) {
      t = claims_xs_fail(&x, x.name, "expected the root element TONG_HOP, found <%.*s>",
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
      t = claims_xs_fail(&x, x.p, "content after </TONG_HOP>");
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
                         "XML1 document refused at line %ld, column %ld: %s", line, col,
                         x.err);
  }
  int v = claims_validate(pt, &r, &w, &hr->rec);
  if (v < 0)
    return -v;
  if (v == 1)
    hr->state = 1;
  return HICOV_OK;
}

int claims_read_envelope(Part *pt, XScan *x)
{
  /* element path below the root, by local names */
  enum { E_NONE, E_DONVI, E_MACSKCB, E_HOSO_INFO, E_SOLUONG, E_DANHSACH, E_HOSO,
         E_FILEHOSO, E_LOAI, E_NOIDUNG };
  int64_t hoso_no = 0, declared = -1;
  int lvl_kind[XML_MAX_DEPTH + 1];
  memset(lvl_kind, 0, sizeof lvl_kind);
  char loai[16];
  size_t loai_len = 0;
  const char *content = NULL;
  size_t content_len = 0;
  int content_copied = 0, have_content = 0;
  int n_xml1 = 0;
  HosoResult hr;
  char decl_buf[32];
  size_t decl_len = 0;
  memset(&hr, 0, sizeof hr);
  for (;;) {
    int t = claims_xs_next(x);
    if (t == XT_EOF)
      break;
    if (t == XT_ERR)
      return claims_part_xml_error(pt, x, "");
    int d = x->depth;
    int parent = d >= 2 ? lvl_kind[d - 1] : E_NONE;
    if (t == XT_START) {
      int k = E_NONE;
      if (d == 2 && is_name(x, "THONGTINDONVI"))
        k = E_DONVI;
      else if (d == 3 && parent == E_DONVI && is_name(x, "MACSKCB"))
        k = E_MACSKCB;
      else if (d == 2 && is_name(x, "THONGTINHOSO"))
        k = E_HOSO_INFO;
      else if (d == 3 && parent == E_HOSO_INFO && is_name(x, "SOLUONGHOSO"))
        k = E_SOLUONG;
      else if (d == 3 && parent == E_HOSO_INFO && is_name(x, "DANHSACHHOSO"))
        k = E_DANHSACH;
      else if (d == 4 && parent == E_DANHSACH && is_name(x, "HOSO"))
        k = E_HOSO;
      else if (d == 5 && parent == E_HOSO && is_name(x, "FILEHOSO"))
        k = E_FILEHOSO;
      else if (d == 6 && parent == E_FILEHOSO && is_name(x, "LOAIHOSO"))
        k = E_LOAI;
      else if (d == 6 && parent == E_FILEHOSO && is_name(x, "NOIDUNGFILE"))
        k = E_NOIDUNG;
      lvl_kind[d] = k;
      if (k == E_HOSO) {
        hoso_no++;
        n_xml1 = 0;
        memset(&hr, 0, sizeof hr);
      } else if (k == E_FILEHOSO) {
        loai_len = 0;
        have_content = 0;
        content = NULL;
        content_len = 0;
        content_copied = 0;
        pt->b64_len = 0;
      } else if (k == E_MACSKCB) {
        pt->env_fac[0] = 0;
      } else if (k == E_SOLUONG) {
        decl_len = 0;
      }
      continue;
    }
    if (t == XT_TEXT) {
      int k = lvl_kind[d];
      if (k == E_LOAI) {
        size_t m = x->tlen < sizeof loai - 1 - loai_len ? x->tlen
                                                       : sizeof loai - 1 - loai_len;
        loai_len += claims_xs_decode(x->text, m, x->tkind == TK_ENTITY ? TK_PLAIN : x->tkind,
                                     loai + loai_len);
      } else if (k == E_NOIDUNG) {
        have_content = 1;
        if (!content && x->tkind != TK_ENTITY) {
          content = x->text;
          content_len = x->tlen;
        } else {
          /* several pieces or references: gather a copy */
          if (!content_copied) {
            if (hicov_grow((void **)&pt->b64, &pt->b64_cap, content_len + 1, 1))
              return pt->status = HICOV_NOMEM;
            if (content_len)
              memcpy(pt->b64, content, content_len);
            pt->b64_len = content_len;
            content_copied = 1;
          }
          if (pt->b64_len + x->tlen > INNER_MAX * 2u) {
            hicov_fmt(pt->err, sizeof pt->err, "%s: HOSO %lld: NOIDUNGFILE is "
                      "larger than %u MB", pt->file, (long long)hoso_no,
                      INNER_MAX >> 19);
            return pt->status = HICOV_LIMIT;
          }
          if (hicov_grow((void **)&pt->b64, &pt->b64_cap, pt->b64_len + x->tlen + 1, 1))
            return pt->status = HICOV_NOMEM;
          pt->b64_len += claims_xs_decode(x->text, x->tlen, x->tkind, pt->b64 + pt->b64_len);
          content = pt->b64;
          content_len = pt->b64_len;
        }
      } else if (k == E_MACSKCB) {
        const char *s = x->text;
        size_t m = x->tlen;
        trim(&s, &m);
        if (m <= CLAIMS_FAC_MAX && x->tkind == TK_PLAIN) {
          memcpy(pt->env_fac, s, m);
          pt->env_fac[m] = 0;
        }
      } else if (k == E_SOLUONG) {
        size_t m = x->tlen < sizeof decl_buf - 1 - decl_len ? x->tlen
                                                            : sizeof decl_buf - 1 - decl_len;
        memcpy(decl_buf + decl_len, x->text, m);
        decl_len += m;
      }
      continue;
    }
    /* XT_END: the element at depth d+1 closed */
    int k = lvl_kind[d + 1];
    lvl_kind[d + 1] = E_NONE;
    if (k == E_SOLUONG) {
      long v;
      declared = claims_parse_int(decl_buf, decl_len, 0, 100000000, &v) ? -1 : v;
    } else if (k == E_FILEHOSO) {
      const char *lt = loai;
      size_t ll = loai_len;
      trim(&lt, &ll);
      if (ll == 4 && !memcmp(lt, "XML1", 4)) {
        n_xml1++;
        if (n_xml1 == 1) {
          int rc = read_inner(pt, have_content ? content : "", content_len,
                              hoso_no, &hr);
          if (rc)
            return pt->status = rc;
          pt->pending = hr.state == 1;
        } else if (hr.state == 1) {
          /* a second XML1: the HOSO is ambiguous */
          hr.state = 2;
          pt->pending = 0;
          Where w = { pt->file, "HOSO", hoso_no };
          int rc = claims_reject(pt, &w, HICOV_CLAIMS_REJECT_NO_XML1, hr.rec.ma_lk,
                                 "LOAIHOSO", "the HOSO holds two XML1 files");
          if (rc)
            return pt->status = rc;
        }
      }
    } else if (k == E_HOSO) {
      if (n_xml1 == 0) {
        pt->read++;
        pt->c->counts.records_read++;
        Where w = { pt->file, "HOSO", hoso_no };
        int rc = claims_reject(pt, &w, HICOV_CLAIMS_REJECT_NO_XML1, "", "LOAIHOSO",
                               "the HOSO has no XML1 (TONG_HOP) file");
        if (rc)
          return pt->status = rc;
      } else if (hr.state == 1) {
        pt->pending = 0;
        if ((pt->status = claims_part_push(pt, &hr.rec)))
          return pt->status;
      }
      claims_part_progress(pt, (size_t)(x->p - pt->base));
      if (part_cancelled(pt)) {
        hicov_fmt(pt->err, sizeof pt->err, "%s: cancelled", pt->file);
        return pt->status = HICOV_ERROR;
      }
    }
  }
  if (declared >= 0 && declared != hoso_no) {
    pt->c->counts.flagged_by[HICOV_CLAIMS_FLAG_HOSO_COUNT]++;
    if (pt->c->n_msgs < pt->c->max_msgs)
      claims_message(pt->c, HICOV_CLAIMS_MSG_FLAG, HICOV_CLAIMS_FLAG_HOSO_COUNT,
                     pt->file, "", "SOLUONGHOSO", "%s: SOLUONGHOSO declares %lld "
                     "HOSO, the file holds %lld", pt->file, (long long)declared,
                     (long long)hoso_no);
  }
  pt->stopped = pt->size;
  return HICOV_OK;
}
