/* workbook-read.c - values from a workbook's cells: the layouts (long and
 * wide), the units named by code or name, numbers and periods as people
 * type them, and every rejected cell named by sheet and cell. The rules
 * are documented in hicov-exchange.h.
 *
 * A sheet is read once, row by row (workbook-xlsx.c, -ods.c, -csv.c). The
 * heading rows come first and fix what each column holds; each data row
 * then gives values, kept as candidates. A text number that is ambiguous
 * ("1.234") waits for the end of its sheet, when the other cells of its
 * column have shown which mark they group with. At the end the same key
 * given twice is rejected, and the accepted values are listed for
 * hicov_dataset_merge_values. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-private.h"
#include "report-private.h"
#include "workbook-private.h"

#define MAX_REJECTIONS 10000
#define MAX_NOTES 1000

/* ---- Small helpers ------------------------------------------------------ */

void wb_cell_ref(int col, long row, char *buf, size_t size)
{
  char letters[8];
  int n = 0;
  for (int c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  char rev[8];
  for (int i = 0; i < n; i++)
    rev[i] = letters[n - 1 - i];
  rev[n] = '\0';
  if (row > 0)
    snprintf(buf, size, "%s%ld", rev, row);
  else
    snprintf(buf, size, "%s", rev);
}

void wb_sheet_ref(const char *sheet, int col, long row, char *buf,
                  size_t size)
{
  char cell[24];
  wb_cell_ref(col, row, cell, sizeof cell);
  int plain = sheet[0] != '\0';
  for (const char *p = sheet; *p && plain; p++)
    plain = isalnum((unsigned char)*p) || *p == '_' || *p == '.';
  if (plain)
    snprintf(buf, size, "%s!%s", sheet, cell);
  else {
    /* Excel quotes names with spaces or other marks, doubling quotes */
    size_t o = 0;
    if (o + 1 < size)
      buf[o++] = '\'';
    for (const char *p = sheet; *p && o + 3 < size; p++) {
      if (*p == '\'')
        buf[o++] = '\'';
      buf[o++] = *p;
    }
    snprintf(buf + o, size - o, "'!%s", cell);
  }
}

int wb_column_index(const char *s)
{
  int c = 0, n = 0;
  for (; s[n]; n++) {
    char ch = (char)toupper((unsigned char)s[n]);
    if (ch < 'A' || ch > 'Z' || n >= 3)
      return -1;
    c = c * 26 + (ch - 'A' + 1);
  }
  return n && c <= HICOV_WORKBOOK_MAX_COLUMNS ? c - 1 : -1;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
long wb_days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void wb_civil_from_days(long z, int *y, int *m, int *d)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int hicov_workbook_format_from_path(const char *path)
{
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot)
    return HICOV_WORKBOOK_AUTO;
  if (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm"))
    return HICOV_WORKBOOK_XLSX;
  if (!strcasecmp(dot, ".ods"))
    return HICOV_WORKBOOK_ODS;
  if (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt"))
    return HICOV_WORKBOOK_CSV;
  return HICOV_WORKBOOK_AUTO;
}

int wb_open(const char *name, const void *data, size_t len, int format,
            WbBook **out, char *err, size_t err_size)
{
  *out = NULL;
  WbBook *b = hicov_calloc(1, sizeof *b);
  if (!b)
    return HICOV_NOMEM;
  b->name = name;
  const unsigned char *u = data;
  int zip = len >= 4 && u[0] == 'P' && u[1] == 'K' && u[2] == 3 && u[3] == 4;
  if (format == HICOV_WORKBOOK_AUTO) {
    if (!zip)
      format = HICOV_WORKBOOK_CSV;
    else if (len > 38 && !memcmp(u + 30, "mimetype", 8))
      format = HICOV_WORKBOOK_ODS;
    else
      format = HICOV_WORKBOOK_XLSX;
  }
  if ((format == HICOV_WORKBOOK_XLSX || format == HICOV_WORKBOOK_ODS) && !zip) {
    snprintf(err, err_size, "%s: not an %s file (no zip archive: an old "
             ".xls, or another file renamed?)", name,
             format == HICOV_WORKBOOK_XLSX ? "XLSX" : "ODS");
    hicov_free(b);
    return HICOV_PARSE;
  }
  b->format = format;
  int rc = format == HICOV_WORKBOOK_XLSX ? wb_open_xlsx(b, data, len)
         : format == HICOV_WORKBOOK_ODS ? wb_open_ods(b, data, len)
         : wb_open_csv(b, data, len);
  if (rc) {
    snprintf(err, err_size, "%s", b->err[0] ? b->err :
             hicov_status_string(rc));
    wb_close(b);
    return rc;
  }
  *out = b;
  return HICOV_OK;
}

void wb_close(WbBook *b)
{
  if (!b)
    return;
  if (b->ops)
    b->ops->close(b);
  for (size_t i = 0; i < b->n_sheets; i++)
    hicov_free(b->sheets[i]);
  hicov_free(b);
}

int wb_read_sheet(WbBook *b, size_t i, WbRowFn fn, void *ctx)
{
  if (i >= b->n_sheets)
    return HICOV_INVALID;
  return b->ops->read_sheet(b, i, fn, ctx);
}

/* A folded copy (hicov_text_fold) with a trailing "(...)" removed:
 * "Dân số (người)" is "dân số". Caller frees. */
static char *fold_heading(const char *s)
{
  char *f = hicov_text_fold(s);
  if (!f)
    return NULL;
  size_t n = strlen(f);
  if (n && f[n - 1] == ')') {
    char *open = strrchr(f, '(');
    if (open && open > f) {
      *open = '\0';
      n = strlen(f);
      while (n && f[n - 1] == ' ')
        f[--n] = '\0';
    }
  }
  return f;
}

static int in_list(const char *folded, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(folded, list[i]))
      return 1;
  return 0;
}

/* ---- Measures by name or heading ---------------------------------------- */

static const struct { const char *name, *alias; } measure_aliases[] = {
  { "participants", "số người tham gia" }, { "participants", "người tham gia" },
  { "participants", "số người tham gia bảo hiểm y tế" },
  { "participants", "số người có thẻ bhyt" }, { "participants", "số thẻ bhyt" },
  { "visits", "lượt kcb" }, { "visits", "lượt khám chữa bệnh" },
  { "visits", "số lượt khám chữa bệnh" }, { "visits", "số lượt kcb" },
  { "visits", "lượt kcb bhyt" },
  { "inpatient_visits", "lượt nội trú" }, { "inpatient_visits", "số lượt điều trị nội trú" },
  { "inpatient_days", "số ngày điều trị nội trú" },
  { "total_cost", "tổng chi phí" }, { "total_cost", "chi phí kcb" },
  { "total_cost", "tổng chi phí kcb" }, { "total_cost", "chi phí khám chữa bệnh" },
  { "fund_paid", "bhyt chi trả" }, { "fund_paid", "quỹ chi trả" },
  { "fund_paid", "số chi quỹ bhyt" },
  { "copay", "cùng chi trả" }, { "copay", "người bệnh chi trả" },
  { "fund_revenue", "số thu" }, { "fund_revenue", "thu bhyt" },
  { "fund_revenue", "số thu bhyt" },
  { "card_checkins", "lượt tra cứu" }, { "card_checkins_ok", "lượt tra cứu thành công" },
  { "patients", "người bệnh" },
  { NULL, NULL }
};

/* The measure a text names: its name in values.csv (any case), its
 * English or Vietnamese heading, or a common Vietnamese alias; -1. */
static int find_measure(const char *text)
{
  char name[40];
  size_t n = strlen(text);
  while (n && isspace((unsigned char)text[n - 1]))
    n--;
  while (n && isspace((unsigned char)*text)) {
    text++;
    n--;
  }
  if (n < sizeof name) {
    for (size_t i = 0; i < n; i++)
      name[i] = (char)tolower((unsigned char)text[i]);
    name[n] = '\0';
    int m = hicov_measure_find(name);
    if (m >= 0)
      return m;
  }
  char *f = fold_heading(text);
  if (!f)
    return -1;
  int found = -1;
  for (size_t i = 0; found < 0 && i < hicov_measure_count(); i++) {
    const HicovMeasureInfo *mi = hicov_measure_info(i);
    const HicovIndicatorInfo *ii = hicov_indicator_find(mi->name);
    const char *labels[3] = { mi->label, ii ? report_indicator_label(ii, LANG_VI)
                                            : NULL, NULL };
    for (int k = 0; labels[k] && found < 0; k++) {
      char *lf = fold_heading(labels[k]);
      if (lf && !strcmp(lf, f))
        found = (int)i;
      hicov_free(lf);
    }
  }
  for (size_t i = 0; found < 0 && measure_aliases[i].name; i++)
    if (!strcmp(f, measure_aliases[i].alias))
      found = hicov_measure_find(measure_aliases[i].name);
  hicov_free(f);
  return found;
}

/* ---- Numbers ------------------------------------------------------------ */

/* What one cell says about its column's marks. */
typedef struct {
  long dot_group, dot_decimal, comma_group, comma_decimal;
} Evidence;

enum { NUM_OK = 0, NUM_MISSING, NUM_BAD, NUM_AMBIG_DOT, NUM_AMBIG_COMMA };

/* A decimal text "1234.5" (digits, at most one '.', optional leading '-'
 * and an exponent from stored numbers "1.5E+3") scaled by 10^shift, to
 * centi. 0 if exact to two decimals; 1 if it has more decimals (after
 * trying the shortest float text, for binary noise such as
 * 94.100000000000009); -1 if not a number or too large. */
static int decimal_centi(const char *s, int shift, int64_t *out)
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
        decimal_centi(buf, shift, out) == 0)
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
static int text_number(const char *in, int mode, char *out, size_t size,
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
static int text_period(const char *text, HicovPeriod *out)
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
static int cell_period(const WbCell *c, HicovPeriod *out)
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
    return text_period(c->text, out);
  return -1;
}

/* ---- The result --------------------------------------------------------- */

typedef struct {
  size_t sheet;
  long row;
  int col;
  char *cell, *expected, *found, *message;
} Rejection;

typedef struct {
  char *key;        /* folded text */
  char *text, *cell, *candidates;
  long cells;
  int ambiguous;
} Unmatched;

/* A value read from a cell, until it is accepted or rejected. */
typedef struct {
  size_t sheet;
  long row;
  int col;
  long unit;        /* unit index */
  int measure;
  char *group;      /* NULL: all */
  HicovPeriod period;
  int64_t centi;
  int pending;      /* NUM_AMBIG_*: resolved at the end of the sheet */
  char *text;       /* the cell's text while pending */
  int whole;        /* the measure counts whole things */
  int dropped;      /* rejected after all */
} Cand;

struct HicovWorkbook {
  char errmsg[1024];
  char *name;
  char *source;
  HicovWorkbookCounts counts;
  char **sheet_names;
  size_t n_sheet_names;
  Cand *cands;
  size_t n_cands, cap_cands;
  HicovValue *values;
  char **wheres;
  size_t n_values;
  Rejection *rej;
  size_t n_rej, cap_rej;
  long rej_more;
  Unmatched *um;
  size_t n_um, cap_um;
  char **notes;
  size_t n_notes, cap_notes;
  long notes_more;
  char **unit_codes; /* per candidate's unit, owned copies */
};

void hicov_workbook_free(HicovWorkbook *wb)
{
  if (!wb)
    return;
  for (size_t i = 0; i < wb->n_cands; i++) {
    hicov_free(wb->cands[i].group);
    hicov_free(wb->cands[i].text);
  }
  hicov_free(wb->cands);
  for (size_t i = 0; i < wb->n_values; i++) {
    hicov_free((char *)wb->values[i].unit);
    hicov_free((char *)wb->values[i].group);
    hicov_free((char *)wb->values[i].where);
  }
  hicov_free(wb->values);
  for (size_t i = 0; i < wb->n_rej; i++) {
    hicov_free(wb->rej[i].cell);
    hicov_free(wb->rej[i].expected);
    hicov_free(wb->rej[i].found);
    hicov_free(wb->rej[i].message);
  }
  hicov_free(wb->rej);
  for (size_t i = 0; i < wb->n_um; i++) {
    hicov_free(wb->um[i].key);
    hicov_free(wb->um[i].text);
    hicov_free(wb->um[i].cell);
    hicov_free(wb->um[i].candidates);
  }
  hicov_free(wb->um);
  for (size_t i = 0; i < wb->n_notes; i++)
    hicov_free(wb->notes[i]);
  hicov_free(wb->notes);
  for (size_t i = 0; i < wb->n_sheet_names; i++)
    hicov_free(wb->sheet_names[i]);
  hicov_free(wb->sheet_names);
  hicov_free(wb->name);
  hicov_free(wb->source);
  hicov_free(wb);
}

const char *hicov_workbook_errmsg(const HicovWorkbook *wb)
{
  return wb ? wb->errmsg : "";
}

void hicov_workbook_counts(const HicovWorkbook *wb, HicovWorkbookCounts *out)
{
  if (!out)
    return;
  if (wb)
    *out = wb->counts;
  else
    memset(out, 0, sizeof *out);
}

const HicovValue *hicov_workbook_values(const HicovWorkbook *wb, size_t *n)
{
  if (n)
    *n = wb ? wb->n_values : 0;
  return wb ? wb->values : NULL;
}

size_t hicov_workbook_rejection_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_rej : 0;
}

int hicov_workbook_rejection(const HicovWorkbook *wb, size_t i,
                             HicovWorkbookRejection *out)
{
  if (!wb || !out || i >= wb->n_rej)
    return HICOV_INVALID;
  const Rejection *r = &wb->rej[i];
  out->sheet = wb->sheet_names[r->sheet];
  out->row = r->row;
  out->column = r->col;
  out->cell = r->cell;
  out->expected = r->expected;
  out->found = r->found;
  out->message = r->message;
  return HICOV_OK;
}

size_t hicov_workbook_unmatched_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_um : 0;
}

int hicov_workbook_unmatched(const HicovWorkbook *wb, size_t i,
                             HicovWorkbookUnmatched *out)
{
  if (!wb || !out || i >= wb->n_um)
    return HICOV_INVALID;
  const Unmatched *u = &wb->um[i];
  out->text = u->text;
  out->cell = u->cell;
  out->cells = u->cells;
  out->ambiguous = u->ambiguous;
  out->candidates = u->candidates ? u->candidates : "";
  return HICOV_OK;
}

size_t hicov_workbook_note_count(const HicovWorkbook *wb)
{
  return wb ? wb->n_notes : 0;
}

const char *hicov_workbook_note(const HicovWorkbook *wb, size_t i)
{
  return wb && i < wb->n_notes ? wb->notes[i] : NULL;
}

int hicov_workbook_merge(const HicovWorkbook *wb, HicovDataset *ds,
                         int policy, const char *source,
                         HicovMergeStats *stats, char **conflicts)
{
  if (!wb || !ds)
    return HICOV_INVALID;
  return hicov_dataset_merge_values(ds, wb->values, wb->n_values,
                                    source ? source : wb->source, policy,
                                    stats, conflicts);
}

static int note(HicovWorkbook *wb, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
static int note(HicovWorkbook *wb, const char *fmt, ...)
{
  if (wb->n_notes >= MAX_NOTES) {
    wb->notes_more++;
    return HICOV_OK;
  }
  char buf[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char *d = hicov_strdup(buf);
  if (!d || hicov_grow((void **)&wb->notes, &wb->cap_notes, wb->n_notes + 1,
                       sizeof *wb->notes)) {
    hicov_free(d);
    return HICOV_NOMEM;
  }
  wb->notes[wb->n_notes++] = d;
  return HICOV_OK;
}

/* Shortens a cell's text for a message: one line, at most 60 bytes
 * (whole UTF-8 characters). */
static void shorten(const char *s, char *buf, size_t size)
{
  size_t o = 0;
  for (const char *p = s; *p && o + 4 < size && o < 60; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c & 0xC0) != 0x80 && o >= 57)
      break;
    buf[o++] = c == '\n' || c == '\r' || c == '\t' ? ' ' : (char)c;
  }
  while (o && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
    o--; /* no half character */
  buf[o] = '\0';
  if (strlen(s) > o)
    snprintf(buf + o, size - o, "...");
}

/* ---- Reading a sheet ---------------------------------------------------- */

enum { ROLE_NONE = 0, ROLE_UNIT, ROLE_PERIOD, ROLE_MEASURE, ROLE_VALUE,
       ROLE_GROUP, ROLE_WIDE };

typedef struct {
  int role;
  int measure;       /* wide: the column's measure, -1 from the row */
  HicovPeriod period;
  int has_period;
  char *group;
  Evidence ev;
  int noted;         /* numbers without a heading were noted */
} Column;

typedef struct {
  HicovWorkbook *wb;
  HicovDataset *ds;
  HicovUnitMatcher *matcher;
  const WbSection *sec;
  WbBook *book;
  size_t sheet;
  const char *sheet_name;
  int mode;
  int layout;
  long header_row, first_row, last_row;
  long measure_row, period_row, group_row;
  /* heading rows, kept as text per column until the columns are set */
  char **heads[4];   /* [0] header_row, [1] measure_row, [2] period_row,
                        [3] group_row */
  size_t nheads[4];
  int configured;
  int unit_col;
  Column *cols;
  size_t ncols;
  long missing_no_unit; /* rows with values and no unit */
  /* fixed for the sheet */
  int fixed_measure;
  HicovPeriod fixed_period;
  int has_fixed_period;
  char *fixed_group;
  HicovPeriod match_period; /* narrows names: the section's period */
  int status;
  long *skip_seen;
  char **skip_units;
  size_t n_skip;
  /* the unit cell of the current row, reported once */
  long last_unit_row;
} Job;

static int reject(Job *j, long row, int col, const char *expected,
                  const char *found, long values, const char *fmt, ...)
  __attribute__((format(printf, 7, 8)));

/* Records a rejected cell: counts `values` rejected values (0 for a cell
 * that is not a value, such as a unit cell whose values are counted
 * apart). */
static int reject(Job *j, long row, int col, const char *expected,
                  const char *found, long values, const char *fmt, ...)
{
  HicovWorkbook *wb = j->wb;
  wb->counts.values_rejected += values;
  wb->counts.values_read += values;
  if (wb->n_rej >= MAX_REJECTIONS) {
    wb->rej_more++;
    return HICOV_OK;
  }
  if (hicov_grow((void **)&wb->rej, &wb->cap_rej, wb->n_rej + 1,
                 sizeof *wb->rej))
    return HICOV_NOMEM;
  char cell[300], shown[80], why[500], msg[900];
  wb_sheet_ref(j->sheet_name, col, row, cell, sizeof cell);
  shorten(found, shown, sizeof shown);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (why[0])
    snprintf(msg, sizeof msg, "%s: %s", cell, why);
  else
    snprintf(msg, sizeof msg, "%s: expected %s, found '%s'", cell, expected,
             shown);
  Rejection *r = &wb->rej[wb->n_rej];
  r->sheet = j->sheet;
  r->row = row;
  r->col = col;
  r->cell = hicov_strdup(cell);
  r->expected = hicov_strdup(expected);
  r->found = hicov_strdup(found);
  r->message = hicov_strdup(msg);
  wb->n_rej++;
  if (!r->cell || !r->expected || !r->found || !r->message)
    return HICOV_NOMEM;
  return HICOV_OK;
}

static const WbCell *find_cell(const WbCell *cells, size_t n, int col)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cells[mid].col < col)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && cells[lo].col == col ? &cells[lo] : NULL;
}

/* The text a cell shows for messages and headings. */
static const char *cell_text(const WbCell *c, char *buf, size_t size)
{
  if (c->type == WB_DATE && !c->text[0]) {
    snprintf(buf, size, "%04d-%02d-%02d", c->y, c->m, c->d);
    return buf;
  }
  if (c->type == WB_DATE && strchr(c->text, '-') == NULL) {
    snprintf(buf, size, "%04d-%02d-%02d", c->y, c->m, c->d);
    return buf;
  }
  return c->text;
}

static int keep_heading(Job *j, int which, const WbCell *cells, size_t n)
{
  int maxc = n ? cells[n - 1].col + 1 : 0;
  char **h = hicov_calloc((size_t)(maxc ? maxc : 1), sizeof *h);
  if (!h)
    return HICOV_NOMEM;
  for (size_t i = 0; i < n; i++) {
    char buf[32];
    hicov_free(h[cells[i].col]);
    if (!(h[cells[i].col] = hicov_strdup(cell_text(&cells[i], buf, sizeof buf)))) {
      for (int c = 0; c < maxc; c++)
        hicov_free(h[c]);
      hicov_free(h);
      return HICOV_NOMEM;
    }
  }
  for (size_t i = 0; j->heads[which] && i < j->nheads[which]; i++)
    hicov_free(j->heads[which][i]); /* a row given twice: the last wins */
  hicov_free(j->heads[which]);
  j->heads[which] = h;
  j->nheads[which] = (size_t)maxc;
  return HICOV_OK;
}

static const char *heading(const Job *j, int which, int col)
{
  return j->heads[which] && (size_t)col < j->nheads[which]
             ? j->heads[which][col] : NULL;
}

/* A column given as letters ("C") or as a heading text of the header
 * row; -1 with *why when it is neither. */
static int locate(Job *j, const char *spec, const char *what)
{
  int c = wb_column_index(spec);
  int letters = c >= 0;
  for (const char *p = spec; *p && letters; p++)
    letters = *p >= 'A' && *p <= 'Z';
  if (letters)
    return c;
  char *want = fold_heading(spec);
  int found = -1;
  for (size_t i = 0; want && i < j->nheads[0] && found < 0; i++) {
    if (!j->heads[0][i])
      continue;
    char *h = fold_heading(j->heads[0][i]);
    if (h && !strcmp(h, want))
      found = (int)i;
    hicov_free(h);
  }
  hicov_free(want);
  if (found < 0) {
    char shown[80];
    shorten(spec, shown, sizeof shown);
    snprintf(j->wb->errmsg, sizeof j->wb->errmsg, "%s, sheet '%s': no %s "
             "column '%s' (neither column letters nor a heading of row %ld)",
             j->wb->name, j->sheet_name, what, shown, j->header_row);
    j->status = HICOV_INVALID;
  }
  return found;
}

static const char *const unit_words[] = {
  "unit", "code", "unit code", "đơn vị", "mã", "mã đơn vị", "tên đơn vị",
  "mã đvhc", "tên", "địa bàn", "đơn vị hành chính", "tên địa bàn", "xã",
  "huyện", "tỉnh", "xã/phường", "xã, phường, thị trấn", NULL };
static const char *const period_words[] = {
  "period", "kỳ", "kỳ báo cáo", "thời gian", "thời kỳ", "năm", "tháng", "quý",
  NULL };
static const char *const measure_words[] = {
  "measure", "chỉ tiêu", "chỉ số", "loại số liệu", NULL };
static const char *const value_words[] = {
  "value", "giá trị", "số liệu", "số lượng", "trị số", NULL };
static const char *const group_words[] = {
  "group", "nhóm", "nhóm đối tượng", "đối tượng", "mã đối tượng", NULL };

/* The first column of the header row whose heading is in words; -1. */
static int by_words(Job *j, const char *const *words)
{
  for (size_t i = 0; i < j->nheads[0]; i++) {
    if (!j->heads[0][i])
      continue;
    char *h = fold_heading(j->heads[0][i]);
    int hit = h && in_list(h, words);
    hicov_free(h);
    if (hit)
      return (int)i;
  }
  return -1;
}

/* A heading of a row above the header row carries right over empty cells
 * (a merged block heading); the header row's own headings do not. */
static const char *wide_heading(Job *j, int which, long row, int col)
{
  const char *h = heading(j, which, col);
  if (h || row >= j->header_row)
    return h;
  for (int c = col - 1; c > j->unit_col && !h; c--)
    h = heading(j, which, c);
  return h;
}

/* "C=2024, D=participants": the heading given for column col, or NULL. */
static char *given_heading(const char *columns, int col)
{
  if (!columns)
    return NULL;
  const char *p = columns;
  while (*p) {
    while (*p == ' ' || *p == ',' || *p == ';')
      p++;
    const char *eq = strchr(p, '=');
    if (!eq)
      break;
    char letters[8];
    size_t n = 0;
    for (const char *q = p; q < eq && n < 7; q++)
      if (*q != ' ')
        letters[n++] = *q;
    letters[n] = '\0';
    const char *v = eq + 1, *end = v;
    while (*end && *end != ',' && *end != ';')
      end++;
    if (wb_column_index(letters) == col) {
      while (v < end && *v == ' ')
        v++;
      while (end > v && end[-1] == ' ')
        end--;
      return hicov_strndup(v, (size_t)(end - v));
    }
    p = end;
  }
  return NULL;
}

static int listed_column(const char *list, int col)
{
  if (!list)
    return 0;
  char buf[8];
  size_t n = 0;
  for (const char *p = list;; p++) {
    if (*p == ',' || *p == ';' || *p == ' ' || !*p) {
      buf[n] = '\0';
      if (n && wb_column_index(buf) == col)
        return 1;
      n = 0;
      if (!*p)
        return 0;
    } else if (n < 7) {
      buf[n++] = *p;
    }
  }
}

/* Decides what each column holds, once the heading rows are read. */
static int configure(Job *j, int maxcol)
{
  j->configured = 1;
  const WbSection *s = j->sec;
  /* the unit column */
  if (s->unit_column)
    j->unit_col = locate(j, s->unit_column, "unit");
  else if ((j->unit_col = by_words(j, unit_words)) < 0)
    j->unit_col = 0;
  if (j->status)
    return j->status;
  int pc = -1, mc = -1, vc = -1, gc = -1;
  if (s->period_column)
    pc = locate(j, s->period_column, "period");
  if (!j->status && s->measure_column)
    mc = locate(j, s->measure_column, "measure");
  if (!j->status && s->value_column)
    vc = locate(j, s->value_column, "value");
  if (!j->status && s->group_column)
    gc = locate(j, s->group_column, "group");
  if (j->status)
    return j->status;
  if (!s->value_column)
    vc = by_words(j, value_words);
  if (!s->period_column && !j->has_fixed_period)
    pc = by_words(j, period_words);
  if (!s->measure_column && j->fixed_measure < 0)
    mc = by_words(j, measure_words);
  if (!s->group_column && !j->fixed_group)
    gc = by_words(j, group_words);
  j->layout = s->layout;
  if (j->layout == WB_LAYOUT_AUTO)
    j->layout = vc >= 0 && (pc >= 0 || j->has_fixed_period) &&
                (mc >= 0 || j->fixed_measure >= 0) ? WB_LAYOUT_LONG
                                                   : WB_LAYOUT_WIDE;
  size_t ncols = (size_t)(maxcol > 0 ? maxcol : 1);
  for (int k = 0; k < 4; k++)
    if (j->nheads[k] > ncols)
      ncols = j->nheads[k];
  j->cols = hicov_calloc(ncols, sizeof *j->cols);
  if (!j->cols)
    return HICOV_NOMEM;
  j->ncols = ncols;
  if (j->unit_col >= 0 && (size_t)j->unit_col < ncols)
    j->cols[j->unit_col].role = ROLE_UNIT;
  if (j->layout == WB_LAYOUT_LONG) {
    const char *missing = vc < 0 ? "value"
                        : pc < 0 && !j->has_fixed_period ? "period"
                        : mc < 0 && j->fixed_measure < 0 ? "measure" : NULL;
    if (missing) {
      snprintf(j->wb->errmsg, sizeof j->wb->errmsg, "%s, sheet '%s': a long "
               "layout needs a %s column: none of the headings of row %ld "
               "names one; give --%s-column (or a fixed --%s)", j->wb->name,
               j->sheet_name, missing, j->header_row, missing,
               strcmp(missing, "value") ? missing : "value-column");
      return j->status = HICOV_INVALID;
    }
    int roles[4][2] = { { pc, ROLE_PERIOD }, { mc, ROLE_MEASURE },
                        { vc, ROLE_VALUE }, { gc, ROLE_GROUP } };
    for (int k = 0; k < 4; k++)
      if (roles[k][0] >= 0 && (size_t)roles[k][0] < ncols)
        j->cols[roles[k][0]].role = roles[k][1];
    return HICOV_OK;
  }
  /* wide: each column after the unit column (heading rows: read_sheet) */
  if ((j->fixed_measure < 0 && !j->measure_row) ||
      (!j->has_fixed_period && !j->period_row)) {
    snprintf(j->wb->errmsg, sizeof j->wb->errmsg, "%s, sheet '%s': in a wide "
             "layout each column needs a measure and a period: give --period "
             "(the columns are measures), --measure (the columns are periods), "
             "or a heading row for each (--measure-row, --period-row)",
             j->wb->name, j->sheet_name);
    return j->status = HICOV_INVALID;
  }
  for (size_t c = (size_t)j->unit_col + 1; c < ncols; c++) {
    Column *col = &j->cols[c];
    char ref[16];
    wb_cell_ref((int)c, 0, ref, sizeof ref);
    if (listed_column(j->sec->ignore_columns, (int)c))
      continue;
    char *given = given_heading(j->sec->columns, (int)c);
    const char *head = given ? given : heading(j, 0, (int)c);
    if (!head || !head[0]) {
      hicov_free(given);
      continue; /* no heading: values found there are noted */
    }
    col->measure = j->fixed_measure;
    col->has_period = j->has_fixed_period;
    col->period = j->fixed_period;
    const char *mh = given && j->fixed_measure < 0 ? given :
                     j->fixed_measure < 0 ? wide_heading(j, 1, j->measure_row, (int)c)
                                          : NULL;
    const char *ph = given && j->has_fixed_period ? NULL :
                     given && !j->has_fixed_period && j->fixed_measure >= 0 ? given :
                     !j->has_fixed_period ? wide_heading(j, 2, j->period_row, (int)c)
                                          : NULL;
    const char *gh = j->group_row ? wide_heading(j, 3, j->group_row, (int)c) : NULL;
    char shown[80];
    shorten(head, shown, sizeof shown);
    int ok = 1;
    if (j->fixed_measure < 0) {
      col->measure = mh ? find_measure(mh) : -1;
      if (col->measure < 0) {
        const HicovIndicatorInfo *ii = NULL;
        for (size_t k = 0; mh && k < hicov_indicator_count() && !ii; k++) {
          const HicovIndicatorInfo *x = hicov_indicator_info(k);
          char *a = fold_heading(mh), *b = fold_heading(
              report_indicator_label(x, LANG_VI));
          if (a && b && (!strcmp(a, b) || !strcmp(mh, x->name)))
            ii = x;
          hicov_free(a);
          hicov_free(b);
        }
        note(j->wb, "%s column %s '%s': %s, ignored", j->sheet_name, ref,
             shown, ii ? "an indicator computed from the measures, not a "
                         "measure" : "not a measure");
        ok = 0;
      }
    }
    if (ok && !j->has_fixed_period) {
      if (!ph || text_period(ph, &col->period) != 0) {
        note(j->wb, "%s column %s '%s': not a period, ignored", j->sheet_name,
             ref, shown);
        ok = 0;
      } else {
        col->has_period = 1;
      }
    }
    if (ok) {
      const char *g = gh ? gh : j->fixed_group;
      if (g && !(col->group = hicov_strdup(g))) {
        hicov_free(given);
        return HICOV_NOMEM;
      }
      col->role = ROLE_WIDE;
    }
    hicov_free(given);
  }
  return HICOV_OK;
}

/* A group code as the dataset writes it: 1-8 letters, digits or '_'. */
static int group_ok(const char *g)
{
  size_t n = strlen(g);
  if (n < 1 || n > 8)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)g[i]) && g[i] != '_')
      return 0;
  return 1;
}

/* Records an unmatched or ambiguous unit text (once per text). */
static int unmatched(Job *j, const char *text, long row, const HicovMatch *m)
{
  HicovWorkbook *wb = j->wb;
  char *key = hicov_text_fold(text);
  if (!key)
    return HICOV_NOMEM;
  for (size_t i = 0; i < wb->n_um; i++)
    if (!strcmp(wb->um[i].key, key)) {
      wb->um[i].cells++;
      hicov_free(key);
      return HICOV_OK;
    }
  if (hicov_grow((void **)&wb->um, &wb->cap_um, wb->n_um + 1, sizeof *wb->um)) {
    hicov_free(key);
    return HICOV_NOMEM;
  }
  Unmatched *u = &wb->um[wb->n_um++];
  memset(u, 0, sizeof *u);
  u->key = key;
  u->cells = 1;
  u->ambiguous = m->n_candidates > 1;
  char cell[300];
  wb_sheet_ref(j->sheet_name, j->unit_col, row, cell, sizeof cell);
  u->text = hicov_strdup(text);
  u->cell = hicov_strdup(cell);
  char cand[600] = "";
  size_t o = 0;
  for (size_t i = 0; i < m->n_candidates && i < HICOV_MATCH_MAX_CANDIDATES; i++) {
    HicovUnit un;
    hicov_dataset_unit(j->ds, m->candidates[i], &un);
    int w = snprintf(cand + o, sizeof cand - o, "%s%s %s", i ? "; " : "",
                     un.code, un.name);
    if (w > 0 && (size_t)w < sizeof cand - o)
      o += (size_t)w;
  }
  if (m->n_candidates > HICOV_MATCH_MAX_CANDIDATES && o + 20 < sizeof cand)
    snprintf(cand + o, sizeof cand - o, "; ... (%zu in all)", m->n_candidates);
  u->candidates = hicov_strdup(cand);
  return u->text && u->cell && u->candidates ? HICOV_OK : HICOV_NOMEM;
}

/* Resolves the unit text of a row for a period; -1 when it names none or
 * several (recorded). */
static long resolve_unit(Job *j, const char *text, const HicovPeriod *period,
                         HicovMatch *m)
{
  HicovMatchOptions opt = { j->sec->unit_by, j->sec->level, j->sec->parent,
                            period };
  int rc = hicov_unit_matcher_find(j->matcher, text, &opt, m);
  if (rc == HICOV_OK)
    return (long)m->index;
  if (rc == HICOV_NOMEM)
    j->status = HICOV_NOMEM;
  return -1;
}

/* One value cell: its number, checked for the measure. */
static int value_cell(Job *j, long row, const WbCell *c, long unit,
                      int measure, const char *group, HicovPeriod period,
                      Column *col)
{
  HicovWorkbook *wb = j->wb;
  const HicovMeasureInfo *mi = hicov_measure_info((size_t)measure);
  int money = !strcmp(mi->unit, "VND");
  char expected[120];
  snprintf(expected, sizeof expected, "%s %s (%s)",
           money ? "an amount in" : "a whole number of",
           money ? "đồng" : mi->unit, mi->name);
  char num[128];
  int percent = 0, pending = 0, shift = 0;
  const char *text = c->text;
  if (c->no_value)
    return reject(j, row, c->col, expected, "", 1, "expected %s, found a "
                  "formula whose result was never saved (open the workbook "
                  "in Excel or LibreOffice and save it)", expected);
  switch (c->type) {
  case WB_NUMBER:
    snprintf(num, sizeof num, "%s", c->text);
    percent = c->fmt == WB_FMT_PERCENT;
    shift = percent ? 2 : 0;
    break;
  case WB_TEXT: {
    int r = text_number(c->text, j->sec->numbers, num, sizeof num, &percent,
                        &col->ev);
    if (r == NUM_MISSING) {
      wb->counts.cells_missing++;
      return HICOV_OK;
    }
    if (r == NUM_AMBIG_DOT || r == NUM_AMBIG_COMMA) {
      pending = r;
      break;
    }
    if (r == NUM_BAD)
      return reject(j, row, c->col, expected, text, 1, "%s", "");
    break;
  }
  case WB_DATE:
    return reject(j, row, c->col, expected, text, 1, "expected %s, found the "
                  "date %04d-%02d-%02d", expected, c->y, c->m, c->d);
  case WB_BOOL:
    return reject(j, row, c->col, expected, text, 1, "expected %s, found a "
                  "true/false value", expected);
  case WB_ERROR:
    return reject(j, row, c->col, expected, text, 1, "expected %s, found the "
                  "error '%s'", expected, text);
  default:
    wb->counts.cells_missing++;
    return HICOV_OK;
  }
  if (percent) {
    char shown[80];
    shorten(text, shown, sizeof shown);
    return reject(j, row, c->col, expected, text, 1, "expected %s, found a "
                  "percentage ('%s'%s): %s is not a rate", expected, shown,
                  c->type == WB_NUMBER ? " formatted as %" : "", mi->name);
  }
  int64_t centi = 0;
  if (!pending) {
    int r = decimal_centi(num, shift, &centi);
    if (r != 0)
      return reject(j, row, c->col, expected, text, 1, r > 0 ? "expected %s "
                    "with at most 2 decimals, found '%s'" : "expected %s, "
                    "found '%s'", expected, text);
    if (centi < 0)
      return reject(j, row, c->col, expected, text, 1, "expected %s of zero "
                    "or more, found '%s'", expected, text);
    if (!money && centi % 100)
      return reject(j, row, c->col, expected, text, 1, "expected %s, found "
                    "'%s', which is not a whole number", expected, text);
  }
  if (hicov_grow((void **)&wb->cands, &wb->cap_cands, wb->n_cands + 1,
                 sizeof *wb->cands))
    return HICOV_NOMEM;
  Cand *k = &wb->cands[wb->n_cands];
  memset(k, 0, sizeof *k);
  k->sheet = j->sheet;
  k->row = row;
  k->col = c->col;
  k->unit = unit;
  k->measure = measure;
  k->period = period;
  k->centi = centi;
  k->pending = pending;
  k->whole = !money;
  if (group && !(k->group = hicov_strdup(group)))
    return HICOV_NOMEM;
  if (pending && !(k->text = hicov_strdup(text)))
    return HICOV_NOMEM;
  wb->n_cands++;
  wb->counts.values_read++;
  wb->counts.values_accepted++;
  return HICOV_OK;
}

static int is_blank(const WbCell *c)
{
  if (!c || c->type == WB_EMPTY)
    return !c || !c->no_value;
  if (c->type != WB_TEXT)
    return 0;
  for (const char *p = c->text; *p; p++)
    if (!isspace((unsigned char)*p))
      return 0;
  return 1;
}

/* Columns past the headings (a data row longer than them). */
static int ensure_cols(Job *j, int c)
{
  if ((size_t)c < j->ncols)
    return HICOV_OK;
  size_t cap = j->ncols;
  if (hicov_grow((void **)&j->cols, &cap, (size_t)c + 1, sizeof *j->cols))
    return HICOV_NOMEM;
  memset(j->cols + j->ncols, 0, ((size_t)c + 1 - j->ncols) * sizeof *j->cols);
  j->ncols = (size_t)c + 1;
  return HICOV_OK;
}

static int on_row(void *ctx, long row, const WbCell *cells, size_t n)
{
  Job *j = ctx;
  int rc;
  /* heading rows */
  if (row <= j->header_row) {
    int which[4] = { row == j->header_row, row == j->measure_row,
                     row == j->period_row, row == j->group_row };
    for (int k = 0; k < 4; k++)
      if (which[k] && (rc = keep_heading(j, k, cells, n)))
        return rc;
    return HICOV_OK;
  }
  if (row < j->first_row || (j->last_row && row > j->last_row))
    return HICOV_OK;
  if (!j->configured && (rc = configure(j, cells[n - 1].col + 1)))
    return rc;
  HicovWorkbook *wb = j->wb;
  const WbCell *uc = find_cell(cells, n, j->unit_col);
  /* the value cells of the row */
  int has_values = 0;
  for (size_t i = 0; i < n && !has_values; i++) {
    int c = cells[i].col;
    int role = (size_t)c < j->ncols ? j->cols[c].role : ROLE_NONE;
    if ((role == ROLE_WIDE || role == ROLE_VALUE) && !is_blank(&cells[i]))
      has_values = 1;
  }
  /* numbers in a wide sheet's columns without a heading: noted once */
  for (size_t i = 0; i < n && j->layout == WB_LAYOUT_WIDE; i++) {
    int c = cells[i].col;
    if (c <= j->unit_col || cells[i].type != WB_NUMBER)
      continue;
    if ((rc = ensure_cols(j, c)))
      return rc;
    Column *col = &j->cols[c];
    if (col->role != ROLE_NONE || col->noted || heading(j, 0, c) ||
        listed_column(j->sec->ignore_columns, c))
      continue;
    col->noted = 1;
    char ref[16];
    wb_cell_ref(c, 0, ref, sizeof ref);
    if ((rc = note(wb, "%s column %s: numbers from row %ld on, without a "
                   "heading: ignored", j->sheet_name, ref, row)))
      return rc;
  }
  if (!uc || is_blank(uc)) {
    if (has_values) {
      wb->counts.rows_skipped++;
      note(wb, "%s row %ld: values without a unit, skipped", j->sheet_name,
           row);
    }
    return HICOV_OK;
  }
  char ubuf[64];
  const char *utext = uc->type == WB_NUMBER ? uc->text : cell_text(uc, ubuf, sizeof ubuf);
  char code[64];
  if (uc->type == WB_NUMBER) { /* a code typed as a number: 20 or 20.0 */
    snprintf(code, sizeof code, "%s", uc->text);
    size_t cl = strlen(code);
    if (cl > 2 && !strcmp(code + cl - 2, ".0"))
      code[cl - 2] = '\0';
    utext = code;
  }
  if (j->n_skip) {
    char *f = hicov_text_fold(utext);
    for (size_t i = 0; f && i < j->n_skip; i++)
      if (!strcmp(f, j->skip_units[i])) {
        hicov_free(f);
        wb->counts.rows_skipped++;
        return note(wb, "%s row %ld '%s': skipped (skip_units)", j->sheet_name,
                    row, utext);
      }
    hicov_free(f);
  }
  if (!has_values)
    return HICOV_OK;
  /* long: one value per row */
  if (j->layout == WB_LAYOUT_LONG) {
    const WbCell *vc = NULL, *pcell = NULL, *mcell = NULL, *gcell = NULL;
    for (size_t i = 0; i < n; i++) {
      int c = cells[i].col;
      int role = (size_t)c < j->ncols ? j->cols[c].role : ROLE_NONE;
      if (role == ROLE_VALUE) vc = &cells[i];
      if (role == ROLE_PERIOD) pcell = &cells[i];
      if (role == ROLE_MEASURE) mcell = &cells[i];
      if (role == ROLE_GROUP) gcell = &cells[i];
    }
    HicovPeriod p = j->fixed_period;
    char tb[64];
    if (!j->has_fixed_period) {
      if (!pcell || is_blank(pcell) || cell_period(pcell, &p) != 0)
        return reject(j, row, pcell ? pcell->col : vc->col, "a period such as "
                      "2024, Q3/2025 or Tháng 7/2025", pcell ? cell_text(pcell,
                      tb, sizeof tb) : "", 1, "%s", "");
    }
    int m = j->fixed_measure;
    if (m < 0) {
      if (!mcell || is_blank(mcell) || (m = find_measure(mcell->text)) < 0)
        return reject(j, row, mcell ? mcell->col : vc->col, "a measure such as "
                      "participants, population or 'Số người tham gia BHYT'",
                      mcell ? mcell->text : "", 1, "%s", "");
    }
    const char *g = j->fixed_group;
    char gbuf[16];
    if (gcell && !is_blank(gcell)) {
      size_t gl = strlen(gcell->text);
      if (!group_ok(gcell->text) || gl >= sizeof gbuf)
        return reject(j, row, gcell->col, "a beneficiary-group code such as "
                      "DN or HN", gcell->text, 1, "%s", "");
      for (size_t i = 0; i <= gl; i++)
        gbuf[i] = (char)toupper((unsigned char)gcell->text[i]);
      g = gbuf;
    }
    HicovMatch mt;
    long u = resolve_unit(j, utext, &p, &mt);
    if (u < 0) {
      if (j->status)
        return j->status;
      if ((rc = unmatched(j, utext, row, &mt)))
        return rc;
      char pt[24];
      hicov_period_format(p, pt, sizeof pt);
      if (mt.n_candidates > 1)
        return reject(j, row, j->unit_col, "a unit code or name of the "
                      "dataset", utext, 1, "the unit '%s' is ambiguous: %zu "
                      "units have this name in %s; give its code", utext,
                      mt.n_candidates, pt);
      return reject(j, row, j->unit_col, "a unit code or name of the dataset",
                    utext, 1, "%s", "");
    }
    return value_cell(j, row, vc, u, m, g, p, &j->cols[vc->col]);
  }
  /* wide: a value per mapped column */
  long unit_rejected_row = -1;
  for (size_t i = 0; i < n; i++) {
    int c = cells[i].col;
    if ((size_t)c >= j->ncols || j->cols[c].role != ROLE_WIDE)
      continue;
    Column *col = &j->cols[c];
    if (is_blank(&cells[i])) {
      wb->counts.cells_missing++;
      continue;
    }
    HicovMatch mt;
    long u = resolve_unit(j, utext, &col->period, &mt);
    if (u < 0) {
      if (j->status)
        return j->status;
      if (unit_rejected_row != row) {
        unit_rejected_row = row;
        if ((rc = unmatched(j, utext, row, &mt)))
          return rc;
        char pt[24];
        hicov_period_format(col->period, pt, sizeof pt);
        if (mt.n_candidates > 1)
          rc = reject(j, row, j->unit_col, "a unit code or name of the "
                      "dataset", utext, 0, "the unit '%s' is ambiguous: %zu "
                      "units have this name in %s; give its code", utext,
                      mt.n_candidates, pt);
        else
          rc = reject(j, row, j->unit_col, "a unit code or name of the "
                      "dataset", utext, 0, "%s", "");
        if (rc)
          return rc;
      }
      wb->counts.values_read++;
      wb->counts.values_rejected++;
      continue;
    }
    if ((rc = value_cell(j, row, &cells[i], u, col->measure, col->group,
                         col->period, col)))
      return rc;
  }
  return HICOV_OK;
}

/* Settles the sheet's ambiguous numbers with their columns' evidence. */
static int settle(Job *j, size_t first_cand)
{
  HicovWorkbook *wb = j->wb;
  for (size_t i = first_cand; i < wb->n_cands; i++) {
    Cand *k = &wb->cands[i];
    if (!k->pending)
      continue;
    const Evidence *ev = (size_t)k->col < j->ncols ? &j->cols[k->col].ev : NULL;
    long as_group = 0, as_dec = 0;
    if (ev) {
      if (k->pending == NUM_AMBIG_DOT) {
        as_group = ev->dot_group + ev->comma_decimal;
        as_dec = ev->dot_decimal + ev->comma_group;
      } else {
        as_group = ev->comma_group + ev->dot_decimal;
        as_dec = ev->comma_decimal + ev->dot_group;
      }
    }
    char mark = k->pending == NUM_AMBIG_DOT ? '.' : ',';
    char num[128];
    size_t o = 0;
    int rc = HICOV_OK, rejected = 0;
    char col[16];
    wb_cell_ref(k->col, 0, col, sizeof col);
    const HicovMeasureInfo *mi = hicov_measure_info((size_t)k->measure);
    char expected[120];
    snprintf(expected, sizeof expected, "%s %s (%s)",
             k->whole ? "a whole number of" : "an amount in",
             k->whole ? mi->unit : "đồng", mi->name);
    if (as_group && !as_dec) {
      for (const char *p = k->text; *p && o + 1 < sizeof num; p++)
        if (*p != mark && !isspace((unsigned char)*p))
          num[o++] = *p;
      num[o] = '\0';
      if (decimal_centi(num, 0, &k->centi) != 0)
        rejected = 1;
    } else if (as_dec && !as_group) {
      for (const char *p = k->text; *p && o + 1 < sizeof num; p++)
        if (!isspace((unsigned char)*p))
          num[o++] = *p == mark ? '.' : *p;
      num[o] = '\0';
      int r = decimal_centi(num, 0, &k->centi);
      if (r != 0 || (k->whole && k->centi % 100)) {
        /* 1.234 as a decimal is not a whole number of people */
        rc = reject(j, k->row, k->col, expected, k->text, 0, "expected %s, "
                    "found '%s': the other cells of column %s use '%c' as the "
                    "decimal mark, and %s holds %s", expected, k->text, col,
                    mark, mi->name, k->whole ? "whole numbers" :
                    "at most 2 decimals");
        rejected = 2;
      }
    } else {
      rc = reject(j, k->row, k->col, expected, k->text, 0, "'%s' is ambiguous: "
                  "'%c' followed by three digits groups thousands in "
                  "Vietnamese (%c is the decimal mark there) but is a decimal "
                  "mark in English, and the other cells of column %s %s; "
                  "write the number without the mark, or choose --numbers vi "
                  "or en", k->text, mark, mark == '.' ? ',' : '.', col,
                  as_group && as_dec ? "use it both ways" : "do not say which");
      rejected = 2;
    }
    if (rejected == 1)
      rc = reject(j, k->row, k->col, expected, k->text, 0, "%s", "");
    if (rejected) {
      k->dropped = 1;
      wb->counts.values_accepted--;
      wb->counts.values_rejected++;
    }
    k->pending = 0;
    if (rc)
      return rc;
  }
  return HICOV_OK;
}

static void job_clear(Job *j)
{
  for (int k = 0; k < 4; k++) {
    for (size_t i = 0; j->heads[k] && i < j->nheads[k]; i++)
      hicov_free(j->heads[k][i]);
    hicov_free(j->heads[k]);
    j->heads[k] = NULL;
    j->nheads[k] = 0;
  }
  for (size_t i = 0; j->cols && i < j->ncols; i++)
    hicov_free(j->cols[i].group);
  hicov_free(j->cols);
  j->cols = NULL;
  j->ncols = 0;
}

static int read_sheet(HicovWorkbook *wb, HicovDataset *ds,
                      HicovUnitMatcher *matcher, WbBook *book,
                      const WbSection *sec, size_t sheet, int mode)
{
  Job j;
  memset(&j, 0, sizeof j);
  j.wb = wb;
  j.ds = ds;
  j.matcher = matcher;
  j.sec = sec;
  j.book = book;
  j.sheet = sheet;
  j.sheet_name = book->sheets[sheet];
  j.mode = mode;
  j.header_row = sec->header_row ? sec->header_row : 1;
  j.first_row = sec->first_row ? sec->first_row : j.header_row + 1;
  j.last_row = sec->last_row;
  j.measure_row = sec->measure_row;
  j.period_row = sec->period_row;
  j.group_row = sec->group_row;
  j.fixed_measure = -1;
  int rc = HICOV_OK;
  long rows[3] = { j.measure_row, j.period_row, j.group_row };
  for (int k = 0; k < 3; k++)
    if (rows[k] > j.header_row) {
      snprintf(wb->errmsg, sizeof wb->errmsg, "%s, sheet '%s': heading rows "
               "(measure_row, period_row, group_row) must not come after the "
               "header row %ld", wb->name, j.sheet_name, j.header_row);
      return HICOV_INVALID;
    }
  if (j.first_row <= j.header_row) {
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s, sheet '%s': first_row %ld "
             "must come after the header row %ld", wb->name, j.sheet_name,
             j.first_row, j.header_row);
    return HICOV_INVALID;
  }
  if (sec->measure) {
    j.fixed_measure = find_measure(sec->measure);
    if (j.fixed_measure < 0) {
      snprintf(wb->errmsg, sizeof wb->errmsg, "%s: measure '%s' is not a "
               "measure (participants, population, visits, ...)", wb->name,
               sec->measure);
      return HICOV_INVALID;
    }
  }
  if (sec->period) {
    if (text_period(sec->period, &j.fixed_period) != 0) {
      snprintf(wb->errmsg, sizeof wb->errmsg, "%s: period '%s' is not a "
               "period (2024, 2024-Q3, Q3/2025, Tháng 7/2025, ...)", wb->name,
               sec->period);
      return HICOV_INVALID;
    }
    j.has_fixed_period = 1;
  }
  if (sec->group) {
    if (!group_ok(sec->group)) {
      snprintf(wb->errmsg, sizeof wb->errmsg, "%s: group '%s' is not a "
               "beneficiary-group code such as DN or HN", wb->name,
               sec->group);
      return HICOV_INVALID;
    }
    j.fixed_group = sec->group;
  }
  if (sec->parent && hicov_dataset_find_unit(ds, sec->parent, NULL)) {
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s: parent '%s' is not a unit "
             "of the dataset", wb->name, sec->parent);
    return HICOV_INVALID;
  }
  /* which heading rows a wide layout reads: the header row holds what is
     not fixed, unless another row is named for it */
  if (j.fixed_measure < 0 && !j.measure_row &&
      (j.has_fixed_period || (j.period_row && j.period_row != j.header_row)))
    j.measure_row = j.header_row;
  if (!j.has_fixed_period && !j.period_row &&
      (j.fixed_measure >= 0 || (j.measure_row && j.measure_row != j.header_row)))
    j.period_row = j.header_row;
  /* skip_units: folded texts separated by ';' */
  char *skips = sec->skip_units ? hicov_strdup(sec->skip_units) : NULL;
  char *list[64];
  size_t nlist = 0;
  for (char *p = skips, *save = NULL, *t; p && (t = strtok_r(p, ";", &save)) &&
       nlist < 64; p = NULL) {
    char *f = hicov_text_fold(t);
    if (f && f[0])
      list[nlist++] = f;
    else
      hicov_free(f);
  }
  j.skip_units = list;
  j.n_skip = nlist;
  size_t first_cand = wb->n_cands;
  rc = wb_read_sheet(book, sheet, on_row, &j);
  if (rc && !j.status && book->err[0])
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s", book->err);
  if (!rc && !j.configured) {
    note(wb, "%s: no data rows after the header row %ld", j.sheet_name,
         j.header_row);
  }
  if (!rc)
    rc = settle(&j, first_cand);
  wb->counts.sheets_read++;
  for (size_t i = 0; i < nlist; i++)
    hicov_free(list[i]);
  hicov_free(skips);
  job_clear(&j);
  return rc;
}

/* ---- The whole read ----------------------------------------------------- */

typedef struct {
  const Cand *c;
  size_t index;
} CandRef;

static int cmp_cand(const void *a, const void *b)
{
  const Cand *x = ((const CandRef *)a)->c, *y = ((const CandRef *)b)->c;
  if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
  if (x->measure != y->measure) return x->measure < y->measure ? -1 : 1;
  int g = strcmp(x->group ? x->group : "", y->group ? y->group : "");
  if (g) return g;
  if (x->period.first != y->period.first)
    return x->period.first < y->period.first ? -1 : 1;
  if (x->period.last != y->period.last)
    return x->period.last < y->period.last ? -1 : 1;
  size_t i = ((const CandRef *)a)->index, k = ((const CandRef *)b)->index;
  return (i > k) - (i < k);
}

/* The same unit, measure, group and period twice: the later cell is
 * rejected, naming the first. */
static int reject_duplicates(HicovWorkbook *wb, HicovDataset *ds)
{
  size_t n = wb->n_cands;
  if (n < 2)
    return HICOV_OK;
  CandRef *refs = hicov_malloc(n * sizeof *refs);
  if (!refs)
    return HICOV_NOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!wb->cands[i].dropped)
      refs[m++] = (CandRef){ &wb->cands[i], i };
  qsort(refs, m, sizeof *refs, cmp_cand);
  int rc = HICOV_OK;
  for (size_t i = 1; i < m && !rc; i++) {
    const Cand *a = refs[i - 1].c;
    Cand *b = &wb->cands[refs[i].index];
    if (a->unit != b->unit || a->measure != b->measure ||
        strcmp(a->group ? a->group : "", b->group ? b->group : "") ||
        a->period.first != b->period.first || a->period.last != b->period.last)
      continue;
    /* a run of equal keys: each later one against the first of the run */
    size_t first = i - 1;
    while (first > 0 && refs[first - 1].c->unit == a->unit &&
           refs[first - 1].c->measure == a->measure &&
           !strcmp(refs[first - 1].c->group ? refs[first - 1].c->group : "",
                   a->group ? a->group : "") &&
           refs[first - 1].c->period.first == a->period.first &&
           refs[first - 1].c->period.last == a->period.last)
      first--;
    const Cand *f = refs[first].c;
    char fcell[300], pt[24];
    wb_sheet_ref(wb->sheet_names[f->sheet], f->col, f->row, fcell, sizeof fcell);
    hicov_period_format(b->period, pt, sizeof pt);
    HicovUnit u;
    hicov_dataset_unit(ds, (size_t)b->unit, &u);
    Job j;
    memset(&j, 0, sizeof j);
    j.wb = wb;
    j.sheet = b->sheet;
    j.sheet_name = wb->sheet_names[b->sheet];
    rc = reject(&j, b->row, b->col, "one value per unit, measure and period",
                "", 0, "a second value of %s for %s (%s), %s%s%s: the first "
                "is in %s", hicov_measure_info((size_t)b->measure)->name,
                u.code, u.name, pt, b->group ? ", group " : "",
                b->group ? b->group : "", fcell);
    b->dropped = 1;
    wb->counts.values_accepted--;
    wb->counts.values_rejected++;
  }
  hicov_free(refs);
  return rc;
}

static int cmp_rej(const void *a, const void *b)
{
  const Rejection *x = a, *y = b;
  if (x->sheet != y->sheet) return x->sheet < y->sheet ? -1 : 1;
  if (x->row != y->row) return x->row < y->row ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

static int make_values(HicovWorkbook *wb, HicovDataset *ds)
{
  size_t n = 0;
  for (size_t i = 0; i < wb->n_cands; i++)
    n += !wb->cands[i].dropped;
  wb->values = hicov_calloc(n ? n : 1, sizeof *wb->values);
  if (!wb->values)
    return HICOV_NOMEM;
  for (size_t i = 0; i < wb->n_cands; i++) {
    const Cand *k = &wb->cands[i];
    if (k->dropped)
      continue;
    HicovValue *v = &wb->values[wb->n_values++];
    HicovUnit u;
    hicov_dataset_unit(ds, (size_t)k->unit, &u);
    char where[300];
    wb_sheet_ref(wb->sheet_names[k->sheet], k->col, k->row, where, sizeof where);
    v->unit = hicov_strdup(u.code);
    v->measure = hicov_measure_info((size_t)k->measure)->name;
    v->group = k->group ? hicov_strdup(k->group) : NULL;
    v->period = k->period;
    v->centi = k->centi;
    v->where = hicov_strdup(where);
    if (!v->unit || !v->where || (k->group && !v->group))
      return HICOV_NOMEM;
  }
  return HICOV_OK;
}

/* The sheets a section names: a name (exact, then folded), "#N", "*" or
 * none (the first). */
static int section_sheets(HicovWorkbook *wb, WbBook *book,
                          const WbSection *sec, size_t *out, size_t *n)
{
  *n = 0;
  if (!sec->sheet) {
    out[(*n)++] = 0;
    return HICOV_OK;
  }
  if (!strcmp(sec->sheet, "*")) {
    for (size_t i = 0; i < book->n_sheets; i++)
      out[(*n)++] = i;
    return HICOV_OK;
  }
  if (sec->sheet[0] == '#') {
    char *end;
    long k = strtol(sec->sheet + 1, &end, 10);
    if (*end || k < 1 || (size_t)k > book->n_sheets) {
      snprintf(wb->errmsg, sizeof wb->errmsg, "%s: no sheet %s (the workbook "
               "has %zu)", wb->name, sec->sheet, book->n_sheets);
      return HICOV_INVALID;
    }
    out[(*n)++] = (size_t)k - 1;
    return HICOV_OK;
  }
  for (size_t i = 0; i < book->n_sheets; i++)
    if (!strcmp(book->sheets[i], sec->sheet)) {
      out[(*n)++] = i;
      return HICOV_OK;
    }
  char *want = hicov_text_fold(sec->sheet);
  for (size_t i = 0; want && i < book->n_sheets && !*n; i++) {
    char *f = hicov_text_fold(book->sheets[i]);
    if (f && !strcmp(f, want))
      out[(*n)++] = i;
    hicov_free(f);
  }
  hicov_free(want);
  if (*n)
    return HICOV_OK;
  char names[400] = "";
  size_t o = 0;
  for (size_t i = 0; i < book->n_sheets && o + 40 < sizeof names; i++) {
    int w = snprintf(names + o, sizeof names - o, "%s'%s'", i ? ", " : "",
                     book->sheets[i]);
    if (w > 0)
      o += (size_t)w;
  }
  snprintf(wb->errmsg, sizeof wb->errmsg, "%s: no sheet '%s' (the workbook "
           "has %s)", wb->name, sec->sheet, names);
  return HICOV_INVALID;
}

int hicov_workbook_read_buffer(HicovDataset *ds, const char *name,
                               const void *data, size_t len, int format,
                               const HicovWorkbookMapping *map, int mode,
                               HicovWorkbook **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ds || (!data && len))
    return HICOV_INVALID;
  HicovWorkbook *wb = hicov_calloc(1, sizeof *wb);
  if (!wb)
    return HICOV_NOMEM;
  if (!name)
    name = "workbook";
  const char *slash = strrchr(name, '/');
  wb->name = hicov_strdup(slash ? slash + 1 : name);
  if (!wb->name) {
    hicov_free(wb);
    return HICOV_NOMEM;
  }
  *out = wb;
  size_t sl = strlen(wb->name) + 16;
  if (!(wb->source = hicov_malloc(sl)))
    return HICOV_NOMEM;
  snprintf(wb->source, sl, "workbook:%s", wb->name);
  if (len > HICOV_WORKBOOK_MAX_BYTES) {
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s: %zu bytes, more than the %zu "
             "a workbook may have", wb->name, len,
             (size_t)HICOV_WORKBOOK_MAX_BYTES);
    return HICOV_LIMIT;
  }
  WbBook *book = NULL;
  xmlResetLastError();
  int rc = wb_open(wb->name, data ? data : "", len, format, &book,
                   wb->errmsg, sizeof wb->errmsg);
  if (rc)
    return rc;
  wb->sheet_names = hicov_calloc(book->n_sheets, sizeof *wb->sheet_names);
  if (!wb->sheet_names) {
    wb_close(book);
    return HICOV_NOMEM;
  }
  for (size_t i = 0; i < book->n_sheets; i++)
    if (!(wb->sheet_names[wb->n_sheet_names++] = hicov_strdup(book->sheets[i]))) {
      wb_close(book);
      return HICOV_NOMEM;
    }
  HicovUnitMatcher *matcher = NULL;
  rc = hicov_unit_matcher_new(ds, &matcher);
  WbSection def;
  memset(&def, 0, sizeof def);
  def.level = -1;
  const WbSection *secs = map && map->n ? map->s : &def;
  size_t nsec = map && map->n ? map->n : 1;
  size_t *which = hicov_malloc((book->n_sheets ? book->n_sheets : 1) *
                               sizeof *which);
  if (!rc && !which)
    rc = HICOV_NOMEM;
  for (size_t s = 0; s < nsec && !rc; s++) {
    size_t nw;
    rc = section_sheets(wb, book, &secs[s], which, &nw);
    for (size_t k = 0; k < nw && !rc; k++)
      rc = read_sheet(wb, ds, matcher, book, &secs[s], which[k], mode);
  }
  hicov_free(which);
  hicov_unit_matcher_free(matcher);
  wb_close(book);
  if (!rc)
    rc = reject_duplicates(wb, ds);
  if (wb->n_rej > 1)
    qsort(wb->rej, wb->n_rej, sizeof *wb->rej, cmp_rej);
  if (!rc)
    rc = make_values(wb, ds);
  if (rc == HICOV_NOMEM)
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s: out of memory", wb->name);
  if (!rc && wb->rej_more && wb->n_notes < MAX_NOTES)
    note(wb, "%ld more rejected cells not listed", wb->rej_more);
  if (!rc && wb->counts.values_rejected && mode == HICOV_LOAD_STRICT) {
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s (%ld value%s rejected in all; "
             "strict: nothing may be imported)", wb->n_rej ?
             wb->rej[0].message : "rejected values",
             wb->counts.values_rejected,
             wb->counts.values_rejected == 1 ? "" : "s");
    rc = HICOV_PARSE;
  }
  if (!rc && wb->n_rej && mode == HICOV_LOAD_STRICT) /* unit cells only */
    rc = HICOV_PARSE;
  return rc;
}

int hicov_workbook_read_file(HicovDataset *ds, const char *path,
                             const HicovWorkbookMapping *map, int mode,
                             HicovWorkbook **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = NULL;
  if (!ds || !path)
    return HICOV_INVALID;
  char *data;
  size_t len;
  char err[600];
  int rc = hicov_read_file(path, HICOV_WORKBOOK_MAX_BYTES, &data, &len, err,
                           sizeof err);
  if (rc) {
    HicovWorkbook *wb = hicov_calloc(1, sizeof *wb);
    if (!wb)
      return HICOV_NOMEM;
    snprintf(wb->errmsg, sizeof wb->errmsg, "%s", err);
    *out = wb;
    return rc;
  }
  int format = hicov_workbook_format_from_path(path);
  rc = hicov_workbook_read_buffer(ds, path, data, len, format, map, mode, out);
  hicov_free(data);
  return rc;
}
