/* period.c - periods as spans of whole months.
 *
 * A month is numbered year * 12 + (month - 1), so spans compare and shift
 * with integer arithmetic and "the same period one year earlier" is a shift
 * by 12. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util-private.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2200

static int classify(int first, int last)
{
  if (first == last)
    return HICOV_PERIOD_MONTH;
  if (first % 12 == 0 && last == first + 11)
    return HICOV_PERIOD_YEAR;
  if (first % 3 == 0 && last == first + 2)
    return HICOV_PERIOD_QUARTER;
  return HICOV_PERIOD_RANGE;
}

HicovPeriod hicov_period_year(int year)
{
  HicovPeriod p = { HICOV_PERIOD_YEAR, year * 12, year * 12 + 11 };
  return p;
}

HicovPeriod hicov_period_quarter(int year, int quarter)
{
  HicovPeriod p = { HICOV_PERIOD_QUARTER, year * 12 + (quarter - 1) * 3,
                    year * 12 + (quarter - 1) * 3 + 2 };
  return p;
}

HicovPeriod hicov_period_month(int year, int month)
{
  HicovPeriod p = { HICOV_PERIOD_MONTH, year * 12 + month - 1,
                    year * 12 + month - 1 };
  return p;
}

HicovPeriod hicov_period_range(int first_month, int last_month)
{
  HicovPeriod p = { classify(first_month, last_month), first_month,
                    last_month };
  return p;
}

HicovPeriod hicov_period_shift_years(HicovPeriod p, int years)
{
  p.first += years * 12;
  p.last += years * 12;
  return p;
}

int hicov_period_end_year(HicovPeriod p)
{
  return p.last / 12;
}

/* Reads exactly n digits at *s; advances *s. */
static int digits(const char **s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*s)[i]))
      return 0;
    v = v * 10 + ((*s)[i] - '0');
  }
  *s += n;
  *out = v;
  return 1;
}

/* One endpoint: "2024", "2024-Q3" or "2024-10". Gives its month span. */
static int parse_one(const char **s, int *first, int *last, int *kind)
{
  int year, v;
  if (!digits(s, 4, &year) || year < YEAR_MIN || year > YEAR_MAX)
    return 0;
  if (**s != '-') {
    *first = year * 12;
    *last = year * 12 + 11;
    *kind = HICOV_PERIOD_YEAR;
    return 1;
  }
  (*s)++;
  if (**s == 'Q' || **s == 'q') {
    (*s)++;
    if (!digits(s, 1, &v) || v < 1 || v > 4)
      return 0;
    *first = year * 12 + (v - 1) * 3;
    *last = *first + 2;
    *kind = HICOV_PERIOD_QUARTER;
    return 1;
  }
  if (!digits(s, 2, &v) || v < 1 || v > 12)
    return 0;
  *first = *last = year * 12 + v - 1;
  *kind = HICOV_PERIOD_MONTH;
  return 1;
}

int hicov_period_parse(const char *text, HicovPeriod *out)
{
  if (!text || !out)
    return HICOV_INVALID;
  const char *s = text;
  while (*s == ' ')
    s++;
  int f1, l1, k1;
  if (!parse_one(&s, &f1, &l1, &k1))
    return HICOV_PARSE;
  if (*s == '/') {
    s++;
    int f2, l2, k2;
    if (!parse_one(&s, &f2, &l2, &k2))
      return HICOV_PARSE;
    while (*s == ' ')
      s++;
    if (*s || f2 < f1 || l2 < l1)
      return HICOV_PARSE;
    out->first = f1;
    out->last = l2;
    out->kind = classify(f1, l2);
    return HICOV_OK;
  }
  while (*s == ' ')
    s++;
  if (*s)
    return HICOV_PARSE;
  out->first = f1;
  out->last = l1;
  out->kind = k1;
  return HICOV_OK;
}

int hicov_period_format(HicovPeriod p, char *buf, size_t size)
{
  if (!buf || size == 0 || p.first > p.last || p.first < 0)
    return HICOV_INVALID;
  int y1 = p.first / 12, m1 = p.first % 12 + 1;
  int y2 = p.last / 12, m2 = p.last % 12 + 1;
  int n;
  switch (classify(p.first, p.last)) {
  case HICOV_PERIOD_YEAR:
    n = snprintf(buf, size, "%04d", y1);
    break;
  case HICOV_PERIOD_QUARTER:
    n = snprintf(buf, size, "%04d-Q%d", y1, (m1 - 1) / 3 + 1);
    break;
  case HICOV_PERIOD_MONTH:
    n = snprintf(buf, size, "%04d-%02d", y1, m1);
    break;
  default:
    n = snprintf(buf, size, "%04d-%02d/%04d-%02d", y1, m1, y2, m2);
    break;
  }
  return (n < 0 || (size_t)n >= size) ? HICOV_INVALID : HICOV_OK;
}
