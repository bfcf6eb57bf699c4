/* workbook-number.c - numbers and periods as people type them: "1.234.567"
 * and "1,5" (Vietnamese marks), "1,234,567.5" (English), "(12)" and
 * "12%", "Quý 3/2025", "Tháng 7/2025", "07/2025", dates. A number whose
 * mark could go either way ("1.234") is reported as ambiguous; the caller
 * settles it with the other cells of its column. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook-read-private.h"

/* A decimal text "1234.5" (digits, at most one '.', optional leading '-'
 * and an exponent from stored numbers "1.5E+3") scaled by 10^shift, to
 * centi. 0 if exact to two decimals; 1 if it has more decimals (after
 * trying the shortest float text, for binary noise such as
 * 94.100000000000009); -1 if not a number or too large. */
int wb_decimal_centi(const char *s, int shift, int64_t *out)
{
  const char *p = s;
  int neg = 0;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  char digits[64];
  int nd = 0, point = -1, any = 0;
  for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
    if (*p == '.') {
      if (point >= 0)
        return -1;
      point = nd;
      continue;
    }
    any = 1;
    if (nd == 0 && *p == '0' && point < 0)
      continue; /* leading zeros */
    if (nd >= 60)
      return -1;
    digits[nd++] = *p;
  }
  if (!any)
    return -1;
  int exp10 = 0;
  if (*p == 'e' || *p == 'E') {
    char *end;
    long e = strtol(p + 1, &end, 10);
    if (end == p + 1 || e < -400 || e > 400)
      return -1;
    exp10 = (int)e;
    p = end;
  }
  if (*p)
    return -1;
  if (point < 0)
    point = nd;
  /* value = digits x 10^(point - nd + exp10 + shift); centi: +2 */
  int scale = point - nd + exp10 + shift + 2;
  int64_t v = 0;
  int inexact = 0;
  for (int i = 0; i < nd; i++) {
    int place = scale + (nd - 1 - i); /* power of ten of this digit */
    if (place < 0) {
      if (digits[i] != '0')
        inexact = 1;
      continue;
    }
    if (v > (INT64_MAX - 9) / 10)
      return -1;
    v = v * 10 + (digits[i] - '0');
  }
  for (int i = 0; i < scale && nd; i++) {
    if (v > INT64_MAX / 10)
      return -1;
    v *= 10;
  }
  if (inexact) {
    /* the shortest text of the double, for 94.100000000000009 */
    char *end;
    double d = hicov_strtod_c(s, &end);
    char buf[64];
    hicov_fmt_c(buf, sizeof buf, "%.15g", d);
    if (strcmp(buf, s) && !strchr(buf, 'e') && strlen(buf) < sizeof buf &&
        wb_decimal_centi(buf, shift, out) == 0)
      return 0;
    return 1;
  }
  *out = neg ? -v : v;
  return 0;
}

/* Checks digit groups "1.234.567": the first 1-3 digits, the rest 3. */
static int groups_ok(const char *s, char sep)
{
  const char *p = s;
  int first = 1, n = 0;
  for (;; p++) {
    if (*p >= '0' && *p <= '9') {
      n++;
      continue;
    }
    if (*p == sep || *p == '\0') {
      if (first ? (n < 1 || n > 3) : n != 3)
        return 0;
      first = 0;
      n = 0;
      if (!*p)
        return 1;
      continue;
    }
    return 0;
  }
}

/* Reads a number typed as text into plain decimal text (out, "1234.5"),
 * *percent when it ends in '%'. Evidence records what the marks showed. */
int wb_text_number(const char *in, int mode, char *out, size_t size,
                   int *percent, Evidence *ev)
{
  char buf[128];
  size_t o = 0;
  *percent = 0;
  /* drop spaces (also no-break and narrow no-break) between digits */
  const unsigned char *p = (const unsigned char *)in;
  while (*p && o + 1 < sizeof buf) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      p++;
      continue;
    }
    if (p[0] == 0xC2 && p[1] == 0xA0) {
      p += 2;
      continue;
    }
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) {
      p += 3;
      continue;
    }
    if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) { /* U+2212 minus */
      buf[o++] = '-';
      p += 3;
      continue;
    }
    buf[o++] = (char)*p++;
  }
  if (*p)
    return NUM_BAD;
  buf[o] = '\0';
  if (!o || !strcmp(buf, "-") || !strcmp(buf, "--") ||
      !strcmp(buf, "\xE2\x80\x93") || !strcmp(buf, "\xE2\x80\x94"))
    return NUM_MISSING;
  char *s = buf;
  int neg = 0;
  if (*s == '(' && o > 2 && buf[o - 1] == ')') {
    neg = 1;
    buf[--o] = '\0';
    s++;
  }
  if (*s == '-' || *s == '+')
    neg = *s++ == '-' ? 1 : neg;
  size_t n = strlen(s);
  if (n && s[n - 1] == '%') {
    *percent = 1;
    s[--n] = '\0';
  }
  if (!n || !(s[0] >= '0' && s[0] <= '9'))
    return NUM_BAD;
  int nd = 0, nc = 0;
  const char *lastd = NULL, *lastc = NULL;
  for (const char *q = s; *q; q++) {
    if (*q == '.') {
      nd++;
      lastd = q;
    } else if (*q == ',') {
      nc++;
      lastc = q;
    } else if (*q < '0' || *q > '9') {
      return NUM_BAD;
    }
  }
  char dec = 0, grp = 0; /* the decimal mark and the grouping mark */
  if (nd && nc) {
    dec = lastd > lastc ? '.' : ',';
    grp = dec == '.' ? ',' : '.';
    if ((dec == '.' ? nd : nc) != 1)
      return NUM_BAD;
  } else if (nd > 1 || nc > 1) {
    grp = nd > 1 ? '.' : ',';
  } else if (nd == 1 || nc == 1) {
    char mark = nd ? '.' : ',';
    const char *at = nd ? lastd : lastc;
    size_t after = strlen(at + 1), before = (size_t)(at - s);
    int looks_grouped = after == 3 && before >= 1 && before <= 3 && s[0] != '0';
    if (mode == WB_NUMBERS_VI) {
      if (mark == '.')
        grp = '.';
      else
        dec = ',';
    } else if (mode == WB_NUMBERS_EN) {
      if (mark == ',')
        grp = ',';
      else
        dec = '.';
    } else if (looks_grouped) {
      return mark == '.' ? NUM_AMBIG_DOT : NUM_AMBIG_COMMA;
    } else {
      dec = mark;
    }
  }
  /* check the grouping of the integer part, then write plain text */
  char intpart[128];
  const char *decpos = dec ? strchr(s, dec) : NULL;
  size_t il = decpos ? (size_t)(decpos - s) : strlen(s);
  memcpy(intpart, s, il);
  intpart[il] = '\0';
  if (grp && !groups_ok(intpart, grp))
    return NUM_BAD;
  if (!grp && (strchr(intpart, '.') || strchr(intpart, ',')))
    return NUM_BAD;
  if (decpos && (!decpos[1] || strchr(decpos + 1, '.') || strchr(decpos + 1, ',')))
    return NUM_BAD;
  if (ev) {
    if (grp == '.') ev->dot_group++;
    if (grp == ',') ev->comma_group++;
    if (dec == '.') ev->dot_decimal++;
    if (dec == ',') ev->comma_decimal++;
  }
  size_t w = 0;
  if (neg && w + 1 < size)
    out[w++] = '-';
  for (const char *q = s; *q && w + 1 < size; q++) {
    if (*q == grp)
      continue;
    out[w++] = *q == dec ? '.' : *q;
  }
  out[w] = '\0';
  return NUM_OK;
}

/* ---- Periods ------------------------------------------------------------ */

static int roman(const char *s)
{
  static const char *const r[] = { "i", "ii", "iii", "iv" };
  for (int i = 0; i < 4; i++)
    if (!strcmp(s, r[i]))
      return i + 1;
  return 0;
}

/* A period typed as text ("Quý 3/2025", "Tháng 7/2025", "07/2025",
 * "31/12/2024"), after hicov's own forms; 0 or -1. */
int wb_text_period(const char *text, HicovPeriod *out)
{
  char trimmed[64];
  size_t n = strlen(text);
  while (n && isspace((unsigned char)text[n - 1]))
    n--;
  while (n && isspace((unsigned char)*text)) {
    text++;
    n--;
  }
  if (n >= sizeof trimmed)
    return -1;
  memcpy(trimmed, text, n);
  trimmed[n] = '\0';
  if (hicov_period_parse(trimmed, out) == HICOV_OK)
    return 0;
  char *f = hicov_text_fold(trimmed);
  if (!f)
    return -1;
  /* tokens: runs of letters or of digits; separators dropped */
  char tok[6][16];
  int nt = 0, ok = 1;
  for (const char *p = f; *p && ok;) {
    if (*p == ' ' || *p == '/' || *p == '-' || *p == '.' || *p == '_' ||
        *p == ',') {
      p++;
      continue;
    }
    int digit = *p >= '0' && *p <= '9';
    const char *start = p;
    while (*p && *p != ' ' && *p != '/' && *p != '-' && *p != '.' &&
           *p != '_' && *p != ',' && (digit ? (*p >= '0' && *p <= '9')
                                            : !(*p >= '0' && *p <= '9')))
      p++;
    size_t len = (size_t)(p - start);
    if (nt >= 6 || len >= sizeof tok[0])
      ok = 0;
    else {
      memcpy(tok[nt], start, len);
      tok[nt++][len] = '\0';
    }
  }
  hicov_free(f);
  if (!ok)
    return -1;
  /* drop "năm" (year) wherever it is */
  int k = 0;
  for (int i = 0; i < nt; i++)
    if (strcmp(tok[i], "n\xC4\x83m") && strcmp(tok[i], "nam"))
      memmove(tok[k++], tok[i], sizeof tok[0]);
  nt = k;
#define NUM(i) (tok[i][0] >= '0' && tok[i][0] <= '9' ? atoi(tok[i]) : -1)
#define YEAR(i) (strlen(tok[i]) == 4 && NUM(i) >= 1900 && NUM(i) <= 2200)
  int q = 0, m = 0, y = 0;
  if (nt == 1 && YEAR(0)) {
    *out = hicov_period_year(NUM(0));
    return 0;
  }
  if (nt == 3 && (!strcmp(tok[0], "qu\xC3\xBD") || !strcmp(tok[0], "quy") ||
                  !strcmp(tok[0], "q")) && YEAR(2))
    q = NUM(1) > 0 ? NUM(1) : roman(tok[1]), y = NUM(2);
  else if (nt == 3 && YEAR(0) && (!strcmp(tok[1], "q") ||
                                  !strcmp(tok[1], "qu\xC3\xBD")))
    q = NUM(2), y = NUM(0);
  else if (nt == 3 && (!strcmp(tok[0], "th\xC3\xA1ng") || !strcmp(tok[0], "thang") ||
                       !strcmp(tok[0], "t")) && YEAR(2))
    m = NUM(1), y = NUM(2);
  else if (nt == 2 && NUM(0) >= 1 && NUM(0) <= 12 && YEAR(1))
    m = NUM(0), y = NUM(1);
  else if (nt == 3 && NUM(0) >= 1 && NUM(0) <= 31 && NUM(1) >= 1 &&
           NUM(1) <= 12 && YEAR(2))
    m = NUM(1), y = NUM(2); /* a date 31/12/2024: its month */
  else if (nt == 3 && YEAR(0) && NUM(1) >= 1 && NUM(1) <= 12 && NUM(2) >= 1 &&
           NUM(2) <= 31)
    m = NUM(1), y = NUM(0);
  else if (nt == 2 && YEAR(0) && NUM(1) >= 1 && NUM(1) <= 12)
    m = NUM(1), y = NUM(0);
#undef NUM
#undef YEAR
  if (q >= 1 && q <= 4) {
    *out = hicov_period_quarter(y, q);
    return 0;
  }
  if (m >= 1 && m <= 12) {
    *out = hicov_period_month(y, m);
    return 0;
  }
  return -1;
}

/* A period from a cell: text, a year as a number, or a date. */
int wb_cell_period(const WbCell *c, HicovPeriod *out)
{
  if (c->type == WB_DATE) {
    if (c->y < 1900 || c->y > 2200 || c->m < 1 || c->m > 12)
      return -1;
    *out = hicov_period_month(c->y, c->m);
    return 0;
  }
  if (c->type == WB_NUMBER && c->fmt == WB_FMT_GENERAL) {
    char *end;
    double v = hicov_strtod_c(c->text, &end);
    if (*end || v != floor(v) || v < 1900 || v > 2200)
      return -1;
    *out = hicov_period_year((int)v);
    return 0;
  }
  if (c->type == WB_TEXT)
    return wb_text_period(c->text, out);
  return -1;
}
