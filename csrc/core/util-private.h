/* util-private.h - the core's bottom layer: allocation through the
 * overridable allocator and locale-proof formatting (alloc.c).  Every core
 * file may use it.  Not API. */
#ifndef HICOV_UTIL_PRIVATE_H
#define HICOV_UTIL_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "hicov-core.h"

#if defined(__GNUC__)
#define HICOV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HICOV_PRINTF(f, a)
#endif

/* Allocation through the overridable allocator (alloc.c). */
void *hicov_malloc(size_t size);
void *hicov_calloc(size_t n, size_t size);
void *hicov_realloc(void *ptr, size_t size);
/* Grows an array to hold at least `need` elements; doubles capacity. */
int hicov_grow(void **ptr, size_t *cap, size_t need, size_t elem);
char *hicov_strdup(const char *s);
char *hicov_strndup(const char *s, size_t n);

/* Number text for files (XML, CSV) must not follow the process locale: a
 * program that set LC_NUMERIC to vi_VN would write "92,8". These format and
 * parse in the C locale whatever the process or thread locale is. */
void hicov_fmt_c(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);
double hicov_strtod_c(const char *s, char **end);

/* snprintf that always terminates and never fails. */
void hicov_fmt(char *buf, size_t size, const char *fmt, ...) HICOV_PRINTF(3, 4);

#endif
