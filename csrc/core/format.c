/* format.c - locale-aware number, percent and money formatting (libc only).
 *
 * Numbers are rounded in decimal on their 15-significant-digit form, money
 * in 128-bit integer arithmetic, so what is printed never depends on how a
 * binary double happens to round. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-format.h"
#include "util-private.h"

#define MISSING_TEXT "\xe2\x80\x93" /* en dash */

/* Appends s to buf at *pos; returns 0 when it does not fit. */
static int put(char *buf, size_t size, size_t *pos, const char *s)
{
  size_t len = strlen(s);
  if (*pos + len + 1 > size)
    return 0;
  memcpy(buf + *pos, s, len + 1);
  *pos += len;
  return 1;
}

static int finish(char *buf, size_t size, int ok)
{
  if (!ok) {
    buf[0] = '\0';
    return HICOV_LIMIT;
  }
  (void)size;
  return HICOV_OK;
}

/* Writes the decimal digit string `digits` (an integer counted in units of
 * 10^-decimals, no sign) with grouping and the decimal mark of lang. */
static int put_digits(char *buf, size_t size, size_t *pos, const char *digits,
                      int decimals, int vi)
{
  char padded[96];
  size_t len = strlen(digits);
  /* at least one integer digit */
  size_t want = (size_t)decimals + 1;
  size_t lead = len < want ? want - len : 0;
  if (lead + len + 1 > sizeof padded)
    return 0;
  memset(padded, '0', lead);
  memcpy(padded + lead, digits, len + 1);
  len += lead;

  size_t int_len = len - (size_t)decimals;
  const char *group = vi ? "." : ",";
  const char *mark = vi ? "," : ".";
  char one[2] = { 0, 0 };
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0 && !put(buf, size, pos, group))
      return 0;
    one[0] = padded[i];
    if (!put(buf, size, pos, one))
      return 0;
  }
  if (decimals > 0) {
    if (!put(buf, size, pos, mark) ||
        !put(buf, size, pos, padded + int_len))
      return 0;
  }
  return 1;
}

/* Rounds |v| (finite, < 1e15) to `decimals` places, half away from zero, on
 * its 15-significant-digit decimal form.  Writes the result as an integer
 * digit string in units of 10^-decimals (no leading zeros; "0" for zero). */
static void round_decimal(double v, int decimals, char *out, size_t out_size)
{
  char sci[40];
  char digits[16];
  int exp10;
  int nd = 0;

  snprintf(sci, sizeof sci, "%.14e", fabs(v));
  for (const char *p = sci; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9' && nd < 15)
      digits[nd++] = *p;
  exp10 = atoi(strchr(sci, 'e') + 1);

  /* |v| = 0.D0D1...D14 x 10^(exp10 + 1); keep k leading digits. */
  int k = exp10 + 1 + decimals;
  char r[64];
  int rl = 0;
  if (k >= 0) {
    for (int i = 0; i < k && rl < (int)sizeof r - 2; i++)
      r[rl++] = i < nd ? digits[i] : '0';
    int up = k < nd && digits[k] >= '5';
    for (int i = rl - 1; up && i >= 0; i--) {
      if (r[i] == '9') {
        r[i] = '0';
      } else {
        r[i]++;
        up = 0;
      }
    }
    if (up) { /* carry out of the top digit */
      memmove(r + 1, r, (size_t)rl);
      r[0] = '1';
      rl++;
    }
  }
  r[rl] = '\0';
  /* strip leading zeros */
  int start = 0;
  while (start < rl - 1 && r[start] == '0')
    start++;
  if (rl == 0)
    snprintf(out, out_size, "0");
  else
    snprintf(out, out_size, "%s", r + start);
}

static int all_zero(const char *digits)
{
  for (; *digits; digits++)
    if (*digits != '0')
      return 0;
  return 1;
}

static int format_number_into(double v, int decimals, int vi, char *buf,
                              size_t size, size_t *pos)
{
  if (!isfinite(v))
    return put(buf, size, pos, MISSING_TEXT);
  if (fabs(v) >= 1e15) {
    char sci[48];
    snprintf(sci, sizeof sci, "%.*e", decimals > 0 ? decimals : 1, v);
    if (vi) {
      char *dot = strchr(sci, '.');
      if (dot)
        *dot = ',';
    }
    return put(buf, size, pos, sci);
  }
  char digits[64];
  round_decimal(v, decimals, digits, sizeof digits);
  if (v < 0 && !all_zero(digits) && !put(buf, size, pos, "-"))
    return 0;
  return put_digits(buf, size, pos, digits, decimals, vi);
}

static int check_args(char *buf, size_t size, int decimals)
{
  if (!buf || size == 0)
    return HICOV_INVALID;
  buf[0] = '\0';
  if (decimals < 0 || decimals > 9)
    return HICOV_INVALID;
  return HICOV_OK;
}

int hicov_format_number(double v, int decimals, const char *lang, char *buf,
                        size_t size)
{
  int rc = check_args(buf, size, decimals);
  if (rc != HICOV_OK)
    return rc;
  size_t pos = 0;
  return finish(buf, size,
                format_number_into(v, decimals, hicov_format_is_vi(lang), buf,
                                   size, &pos));
}

int hicov_format_percent(double v, int decimals, const char *lang, char *buf,
                         size_t size)
{
  int rc = check_args(buf, size, decimals);
  if (rc != HICOV_OK)
    return rc;
  size_t pos = 0;
  int ok = format_number_into(v, decimals, hicov_format_is_vi(lang), buf,
                              size, &pos);
  if (ok && isfinite(v))
    ok = put(buf, size, &pos, "%");
  return finish(buf, size, ok);
}

int hicov_money_auto_scale(double dong)
{
  double a = fabs(dong);
  if (a >= 1e9)
    return HICOV_MONEY_BILLION;
  if (a >= 1e6)
    return HICOV_MONEY_MILLION;
  return HICOV_MONEY_DONG;
}

double hicov_money_scale_divisor(int scale)
{
  switch (scale) {
  case HICOV_MONEY_THOUSAND: return 1e3;
  case HICOV_MONEY_MILLION: return 1e6;
  case HICOV_MONEY_BILLION: return 1e9;
  default: return 1.0;
  }
}

/* The catalogue's language for a format tag: NULL is English here. */
static const char *text_lang(const char *lang)
{
  return hicov_format_is_vi(lang) ? "vi" : "en";
}

const char *hicov_money_unit_name(int scale, const char *lang)
{
  const char *l = text_lang(lang);
  switch (scale) {
  case HICOV_MONEY_THOUSAND: return T_(l, "thousand VND");
  case HICOV_MONEY_MILLION: return T_(l, "million VND");
  case HICOV_MONEY_BILLION: return T_(l, "billion VND");
  default: return TC_(l, "currency", "VND");
  }
}

int hicov_format_money_vnd(int64_t centi, int scale, int decimals,
                           const char *lang, char *buf, size_t size)
{
  int rc = check_args(buf, size, decimals);
  if (rc != HICOV_OK)
    return rc;
  if (scale == HICOV_MONEY_AUTO)
    scale = hicov_money_auto_scale((double)centi / 100.0);
  if (scale < HICOV_MONEY_DONG || scale > HICOV_MONEY_BILLION)
    return HICOV_INVALID;

  /* q = round(|centi| * 10^decimals / (100 * 1000^scale)), half away from
   * zero, exactly: |centi| < 2^63 and 10^9 < 2^30 fit in 128 bits. */
  unsigned __int128 mag = centi < 0 ? (unsigned __int128)(-(centi + 1)) + 1
                                    : (unsigned __int128)centi;
  unsigned __int128 num = mag, div = 100;
  for (int i = 0; i < decimals; i++)
    num *= 10;
  for (int i = 0; i < scale; i++)
    div *= 1000;
  unsigned __int128 q = num / div, r = num % div;
  if (2 * r >= div)
    q++;

  char digits[64];
  int nd = 0;
  char rev[64];
  do {
    rev[nd++] = (char)('0' + (int)(q % 10));
    q /= 10;
  } while (q > 0 && nd < 60);
  for (int i = 0; i < nd; i++)
    digits[i] = rev[nd - 1 - i];
  digits[nd] = '\0';

  int vi = hicov_format_is_vi(lang);
  const char *l = text_lang(lang);
  int negative = centi < 0 && !all_zero(digits);
  char number[96];
  size_t npos = 0;
  int ok = put_digits(number, sizeof number, &npos, digits, decimals, vi);
  size_t pos = 0;
  if (ok && negative)
    ok = put(buf, size, &pos, "-");
  if (ok) {
    /* The amount (with the language's marks) in the unit's words. */
    char *out = buf + pos;
    size_t room = size - pos;
    int n;
    switch (scale) {
    case HICOV_MONEY_THOUSAND:
      n = snprintf(out, room, T_(l, "VND %s thousand"), number);
      break;
    case HICOV_MONEY_MILLION:
      n = snprintf(out, room, T_(l, "VND %s million"), number);
      break;
    case HICOV_MONEY_BILLION:
      n = snprintf(out, room, T_(l, "VND %s billion"), number);
      break;
    default:
      n = snprintf(out, room, T_(l, "VND %s"), number);
      break;
    }
    ok = n >= 0 && (size_t)n < room;
  }
  return finish(buf, size, ok);
}
