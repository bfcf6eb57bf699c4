/* hicov-format.h - locale-aware number formatting for hicov front ends.
 *
 * The GUI, the reports, the Python module and the charts print numbers the
 * way their readers write them:
 *   "vi"  1.281.865   94,1%   2.237 tỷ đồng
 *   "en"  1,281,865   94.1%   VND 2,237 billion
 * lang is a language tag; anything starting with "vi" selects Vietnamese,
 * everything else (NULL included) English.
 *
 * Rounding is decimal and half away from zero on the number as written with
 * 15 significant digits, so 94.85 rounds to 94.9 (not to 94.8 as the binary
 * double 94.8499999... would).  Money is formatted from exact integers.
 *
 * Every function writes a NUL-terminated string into buf (size bytes,
 * NUL included) and returns HICOV_OK, HICOV_INVALID (NULL buf, size 0,
 * negative decimals or more than 9) or HICOV_LIMIT (buf too small: buf then
 * holds ""). 64 bytes always suffice.  Missing values (NaN, infinities) are
 * written as an en dash "–".
 *
 * libc only (part `core`); never reads the process locale.
 */
#ifndef HICOV_FORMAT_H
#define HICOV_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "hicov-core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if lang selects Vietnamese conventions ("vi", "vi_VN", ...), else 0. */
HICOV_API int hicov_format_is_vi(const char *lang);

/* A number with `decimals` digits after the decimal mark and grouped
 * thousands: vi "1.281.865,50", en "1,281,865.50".  Magnitudes of 1e15 and
 * more are written in scientific form ("1,5e+20" / "1.5e+20"). */
HICOV_API int hicov_format_number(double v, int decimals, const char *lang,
                                  char *buf, size_t size);

/* A percentage: v is in percent (94.1 means 94.1%): vi "94,1%", en "94.1%". */
HICOV_API int hicov_format_percent(double v, int decimals, const char *lang,
                                   char *buf, size_t size);

/* Scales for money. */
typedef enum {
  HICOV_MONEY_AUTO = -1,    /* the largest scale not above the magnitude */
  HICOV_MONEY_DONG = 0,     /* vi "1.234 đồng"         en "VND 1,234" */
  HICOV_MONEY_THOUSAND = 1, /* vi "1.234 nghìn đồng"   en "VND 1,234 thousand" */
  HICOV_MONEY_MILLION = 2,  /* vi "1.234 triệu đồng"   en "VND 1,234 million" */
  HICOV_MONEY_BILLION = 3   /* vi "2.237 tỷ đồng"      en "VND 2,237 billion" */
} HicovMoneyScale;

/* Money in exact hundredths of a đồng (the core's centi values), rounded
 * to `decimals` digits of the chosen scale in integer arithmetic.  E.g.
 * centi = 223700000000000 (2,237 billion đồng), BILLION, 0 decimals:
 * vi "2.237 tỷ đồng", en "VND 2,237 billion"; negative values get a
 * leading "-" ("-5 tỷ đồng", "-VND 5 billion"). */
HICOV_API int hicov_format_money_vnd(int64_t centi, int scale, int decimals,
                                     const char *lang, char *buf,
                                     size_t size);

/* The scale HICOV_MONEY_AUTO picks for a magnitude in đồng. */
HICOV_API int hicov_money_auto_scale(double dong);
/* The divisor of a scale (1, 1e3, 1e6, 1e9); 1 for an unknown scale. */
HICOV_API double hicov_money_scale_divisor(int scale);
/* Unit name of a scale for axis titles: vi "tỷ đồng", en "billion VND";
 * vi "đồng", en "VND" for HICOV_MONEY_DONG. Static string. */
HICOV_API const char *hicov_money_unit_name(int scale, const char *lang);

#ifdef __cplusplus
}
#endif

#endif /* HICOV_FORMAT_H */
