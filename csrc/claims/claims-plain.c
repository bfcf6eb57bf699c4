/* claims-plain.c - records of plain XML: the fields of a TONG_HOP element
 * (the common <NAME>text</NAME> shape read in one step, anything else
 * through the scanner), and the records of a plain XML file or of a slice
 * of one. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "claims-read-private.h"
#include "claims-scan.h"

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

/* Appends one piece of text to field f. */
static void raw_append(RawRec *r, int f, const char *s, size_t n, int kind)
{
  if (!r->len[f] && !r->in_arena[f] && kind == TK_PLAIN) {
    r->v[f] = s;
    r->len[f] = n;
    if (n)
      return;
  }
  if (!n)
    return;
  if (r->arena_len + r->len[f] + n + 8 > ARENA_SIZE) {
    r->overflow = 1;
    return;
  }
  if (!r->in_arena[f]) {
    char *d = r->arena + r->arena_len;
    if (r->len[f])
      memcpy(d, r->v[f], r->len[f]);
    r->v[f] = d;
    r->in_arena[f] = 1;
    r->arena_len += r->len[f];
  } else if (r->v[f] + r->len[f] != r->arena + r->arena_len) {
    /* another field was appended since: move this one to the end */
    char *d = r->arena + r->arena_len;
    memmove(d, r->v[f], r->len[f]);
    r->v[f] = d;
    r->arena_len += r->len[f];
  }
  size_t w = claims_xs_decode(s, n, kind, r->arena + r->arena_len);
  r->len[f] += w;
  r->arena_len += w;
}

/* ------------------------------------------------------------------------ */
/* XML records                                                               */

/* ASCII name characters without ':' (1 may start a name, 2 continue). */
static unsigned char fname_cls[256];
static pthread_once_t fname_once = PTHREAD_ONCE_INIT;

static void init_fname(void)
{
  for (int i = 0; i < 256; i++)
    fname_cls[i] = (i >= 'A' && i <= 'Z') || (i >= 'a' && i <= 'z') || i == '_' ? 1
                 : (i >= '0' && i <= '9') || i == '-' || i == '.' ? 2 : 0;
}

/* The common shape of a field, <NAME>text</NAME> or <NAME/>, with an
 * unprefixed ASCII name, no attributes and text without references or
 * CDATA, read in one step.  Returns 1 when the whole element was read
 * (exactly as the token loop would have read it), 0 when it is anything
 * else: then nothing was consumed and the general scanner takes it, so
 * that every error is still found and reported by claims_xs_next. */
static int fast_field(XScan *x, RawRec *r)
{
  const char *p = x->p, *e = x->end;
  while (p < e && is_ws(*p))
    p++; /* white space between fields is text nobody reads */
  x->p = p;
  if (e - p < 4 || p[0] != '<' || x->depth >= XML_MAX_DEPTH ||
      fname_cls[(unsigned char)p[1]] != 1)
    return 0;
  const char *n = p + 1, *q = scan_name_end(n + 1, e);
  size_t nl = (size_t)(q - n);
  if (q >= e || nl > 1000)
    return 0;
  if (*q == '/') {
    if (q + 1 >= e || q[1] != '>')
      return 0;
    int f = field_lookup(n, nl);
    if (f >= 0) {
      if (r->present[f])
        r->twice[f] = r->odd = 1;
      r->present[f] = 1;
    }
    x->p = q + 2;
    return 1;
  }
  if (*q != '>')
    return 0;
  const char *t0 = q + 1, *t = t0;
  for (;;) {
    t = scan_text_special(t, e);
    if (t >= e)
      return 0;
    unsigned char ch = (unsigned char)*t;
    if (ch == '<')
      break;
    if (ch == '\t' || ch == '\n' || ch == '\r') {
      t++;
    } else if (ch >= 0x80) {
      size_t m = utf8_seq((const unsigned char *)t, (const unsigned char *)e);
      if (!m)
        return 0;
      t += m;
    } else {
      return 0; /* '&' or a control character */
    }
  }
  if ((size_t)(e - t) < nl + 3 || t[1] != '/' || t[2 + nl] != '>' ||
      !eq_bytes(t + 2, n, nl))
    return 0;
  int f = field_lookup(n, nl);
  if (f >= 0) {
    if (r->present[f])
      r->twice[f] = r->odd = 1;
    r->present[f] = 1;
    if (t > t0)
      raw_append(r, f, t0, (size_t)(t - t0), TK_PLAIN);
  }
  x->p = t + 3 + nl;
  return 1;
}

/* Reads the fields of a TONG_HOP element whose start tag was just read.
 * Returns XT_END when the record is complete, else XT_ERR. */
int claims_xml_record(XScan *x, RawRec *r)
{
  int rec_depth = x->depth;
  int cur = -1;
  pthread_once(&fname_once, init_fname);
  for (;;) {
    if (cur < 0 && !x->pending_end && x->depth == rec_depth &&
        fast_field(x, r))
      continue;
    int t = claims_xs_next(x);
    switch (t) {
    case XT_START:
      if (x->depth == rec_depth + 1) {
        cur = field_lookup(x->name, x->nlen);
        if (cur >= 0) {
          if (r->present[cur])
            r->twice[cur] = r->odd = 1;
          r->present[cur] = 1;
        }
      } else if (cur >= 0) {
        r->nested[cur] = r->odd = 1;
      }
      break;
    case XT_TEXT:
      if (cur >= 0 && x->depth == rec_depth + 1)
        raw_append(r, cur, x->text, x->tlen, x->tkind);
      break;
    case XT_END:
      if (x->depth == rec_depth)
        cur = -1;
      else if (x->depth < rec_depth)
        return XT_END;
      break;
    case XT_EOF:
      return claims_xs_fail(x, x->p, T_(x->lang, "the document ends inside "
                                                 "<TONG_HOP> (truncated?)"));
    default:
      return XT_ERR;
    }
  }
}

/* Turns a scanner error into the part's error. */
int claims_part_xml_error(Part *pt, XScan *x, const char *ctx)
{
  if (x->err_status == HICOV_IO || x->err_status == HICOV_NOMEM ||
      x->err_status == HICOV_ERROR) {
    /* the file, not the document: where in it says nothing */
    hicov_fmt(pt->err, sizeof pt->err, "%s%s: %s", pt->file, ctx, x->err);
    return pt->status = x->err_status;
  }
  long line, col;
  size_t off = pt->off + (size_t)(x->err_at - pt->base);
  claims_part_line_col(pt, off, &line, &col);
  hicov_fmt(pt->err, sizeof pt->err, T_(pt->c->lang, "%s%s: line %ld, column "
                                                     "%ld (byte %zu): %s"),
            pt->file, ctx, line, col, off, x->err);
  /* err_status: HICOV_LIMIT for nesting too deep or a window that cannot
     grow (the text, in any language, is not looked at) */
  pt->status = x->err_status ? x->err_status : HICOV_PARSE;
  return pt->status;
}

/* Reads the records of a plain XML file (or the slice [from, stop_at) of
 * one, resuming inside the root when root != NULL). */
int claims_read_plain(Part *pt, XScan *x)
{
  RawRec r;
  int64_t since_cancel_check = 0;
  for (;;) {
    size_t pos = pt->off + (size_t)(x->p - pt->base);
    if (x->depth == 1 && !x->pending_end) {
      if (pos >= pt->stop_at) {
        int stop;
        if ((pt->status = claims_part_stop(pt, pos, &stop)))
          return pt->status;
        if (stop) {
          pt->stopped = pos;
          return HICOV_OK;
        }
      }
      claims_part_progress(pt, pos);
      if (pos >= pt->next_flush && (pt->status = claims_part_chunk_mark(pt, pos)))
        return pt->status;
      /* the stop and the marks may have grown the window */
      x->end = pt->base + pt->avail;
      x->eof = pt->eof;
    }
    /* between records (or any tokens outside them): the window moves on */
    if (part_low(pt, pos) && claims_xs_slide(x))
      return claims_part_xml_error(pt, x, "");
    int t = claims_xs_next(x);
    if (t == XT_EOF)
      break;
    if (t == XT_ERR)
      return claims_part_xml_error(pt, x, "");
    if (t != XT_START || !is_name(x, "TONG_HOP"))
      continue;
    size_t start = pt->off + (size_t)(x->name - 1 - pt->base);
    raw_reset(&r, pt->arena);
    if (claims_xml_record(x, &r) == XT_ERR) {
      return claims_part_xml_error(pt, x, "");
    }
    pt->read++;
    pt->c->counts.records_read++;
    Where w = { pt->file, WHERE_BYTE, (int64_t)start };
    ClaimsRec *cr = claims_part_slot(pt);
    if (!cr)
      return pt->status = HICOV_NOMEM;
    int v = claims_validate(pt, &r, &w, cr);
    if (v < 0)
      return pt->status = -v;
    if (v == 1 && (pt->status = claims_part_push(pt, cr)))
      return pt->status;
    if (++since_cancel_check >= 256) {
      since_cancel_check = 0;
      if (part_cancelled(pt)) {
        hicov_fmt(pt->err, sizeof pt->err, "%s: cancelled", pt->file);
        return pt->status = HICOV_ERROR;
      }
    }
  }
  pt->stopped = pt->size;
  return HICOV_OK;
}
