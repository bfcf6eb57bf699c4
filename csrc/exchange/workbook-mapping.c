/* workbook-mapping.c - where the values are in a workbook: sheet sections
 * of key = value settings, from the command line, Python or a mapping
 * file (the keys and the file format are in hicov-exchange.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-private.h"
#include "workbook-private.h"

static void set_err(char *err, size_t size, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t size, const char *fmt, ...)
{
  if (!err || !size)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, size, fmt, ap);
  va_end(ap);
  hicov_utf8_trim(err);
}

int hicov_workbook_mapping_new(HicovWorkbookMapping **out)
{
  if (!out)
    return HICOV_INVALID;
  *out = hicov_calloc(1, sizeof **out);
  return *out ? HICOV_OK : HICOV_NOMEM;
}

static void section_clear(WbSection *s)
{
  char **strs[] = { &s->sheet, &s->unit_column, &s->period_column,
                    &s->measure_column, &s->value_column, &s->group_column,
                    &s->parent, &s->period, &s->measure, &s->group,
                    &s->columns, &s->ignore_columns, &s->skip_units };
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
    hicov_free(*strs[i]);
    *strs[i] = NULL;
  }
}

int hicov_workbook_mapping_set_lang(HicovWorkbookMapping *m, const char *lang)
{
  if (!m)
    return HICOV_INVALID;
  m->lang = lang ? hicov_text_lang(lang) : NULL;
  return HICOV_OK;
}

void hicov_workbook_mapping_free(HicovWorkbookMapping *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++)
    section_clear(&m->s[i]);
  hicov_free(m->s);
  hicov_free(m);
}

static int add_section(HicovWorkbookMapping *m, const char *sheet)
{
  if (hicov_grow((void **)&m->s, &m->cap, m->n + 1, sizeof *m->s))
    return HICOV_NOMEM;
  WbSection *s = &m->s[m->n];
  memset(s, 0, sizeof *s);
  s->level = -1;
  if (sheet && !(s->sheet = hicov_strdup(sheet)))
    return HICOV_NOMEM;
  m->n++;
  return HICOV_OK;
}

int hicov_workbook_mapping_add_sheet(HicovWorkbookMapping *m,
                                     const char *sheet, char *err,
                                     size_t err_size)
{
  if (!m || !sheet || !*sheet) {
    set_err(err, err_size, "%s", T_(m ? m->lang : NULL, "a sheet needs a "
            "name, '#N' or '*'"));
    return HICOV_INVALID;
  }
  return add_section(m, sheet);
}

static int parse_row(const char *v, long *out)
{
  char *end;
  long n = strtol(v, &end, 10);
  if (end == v || *end || n < 1 || n > HICOV_WORKBOOK_MAX_ROWS)
    return -1;
  *out = n;
  return 0;
}

int hicov_workbook_mapping_set(HicovWorkbookMapping *m, const char *key,
                               const char *value, char *err, size_t err_size)
{
  if (!m || !key || !value) {
    set_err(err, err_size, "%s", T_(m ? m->lang : NULL, "a setting needs a "
            "key and a value"));
    return HICOV_INVALID;
  }
  char k[40];
  size_t kl = strlen(key);
  if (kl >= sizeof k) {
    set_err(err, err_size, T_(m->lang, "unknown mapping key '%.60s'"), key);
    return HICOV_INVALID;
  }
  for (size_t i = 0; i <= kl; i++) /* --header-row and header_row alike */
    k[i] = key[i] == '-' ? '_' : key[i];
  if (!strcmp(k, "sheet"))
    return hicov_workbook_mapping_add_sheet(m, value, err, err_size);
  if (!m->n && add_section(m, NULL))
    return HICOV_NOMEM;
  WbSection *s = &m->s[m->n - 1];
  struct { const char *key; char **str; long *row; } fields[] = {
    { "unit_column", &s->unit_column, NULL },
    { "period_column", &s->period_column, NULL },
    { "measure_column", &s->measure_column, NULL },
    { "value_column", &s->value_column, NULL },
    { "group_column", &s->group_column, NULL },
    { "parent", &s->parent, NULL }, { "period", &s->period, NULL },
    { "measure", &s->measure, NULL }, { "group", &s->group, NULL },
    { "columns", &s->columns, NULL },
    { "ignore_columns", &s->ignore_columns, NULL },
    { "skip_units", &s->skip_units, NULL },
    { "header_row", NULL, &s->header_row },
    { "first_row", NULL, &s->first_row }, { "last_row", NULL, &s->last_row },
    { "measure_row", NULL, &s->measure_row },
    { "period_row", NULL, &s->period_row },
    { "group_row", NULL, &s->group_row },
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (strcmp(k, fields[i].key))
      continue;
    if (fields[i].row) {
      if (parse_row(value, fields[i].row)) {
        set_err(err, err_size, T_(m->lang, "%s: expected a row number from 1 "
                "to %d, found '%.60s'"), k, HICOV_WORKBOOK_MAX_ROWS, value);
        return HICOV_INVALID;
      }
      return HICOV_OK;
    }
    char *d = hicov_strdup(value);
    if (!d)
      return HICOV_NOMEM;
    hicov_free(*fields[i].str);
    *fields[i].str = d;
    return HICOV_OK;
  }
  if (!strcmp(k, "layout")) {
    s->layout = !strcmp(value, "long") ? WB_LAYOUT_LONG
              : !strcmp(value, "wide") ? WB_LAYOUT_WIDE
              : !strcmp(value, "auto") ? WB_LAYOUT_AUTO : -1;
    if (s->layout < 0) {
      s->layout = 0;
      set_err(err, err_size, T_(m->lang, "layout: expected long, wide or "
              "auto, found '%.60s'"), value);
      return HICOV_INVALID;
    }
    return HICOV_OK;
  }
  if (!strcmp(k, "unit_by")) {
    s->unit_by = !strcmp(value, "auto") ? HICOV_MATCH_AUTO
               : !strcmp(value, "code") ? HICOV_MATCH_CODE
               : !strcmp(value, "name") ? HICOV_MATCH_NAME : -1;
    if (s->unit_by < 0) {
      s->unit_by = 0;
      set_err(err, err_size, T_(m->lang, "unit_by: expected auto, code or "
              "name, found '%.60s'"), value);
      return HICOV_INVALID;
    }
    return HICOV_OK;
  }
  if (!strcmp(k, "numbers")) {
    s->numbers = !strcmp(value, "auto") ? WB_NUMBERS_AUTO
               : !strcmp(value, "vi") ? WB_NUMBERS_VI
               : !strcmp(value, "en") ? WB_NUMBERS_EN : -1;
    if (s->numbers < 0) {
      s->numbers = 0;
      set_err(err, err_size, T_(m->lang, "numbers: expected auto, vi ('.' "
              "groups thousands, ',' is the decimal mark) or en, found "
              "'%.60s'"), value);
      return HICOV_INVALID;
    }
    return HICOV_OK;
  }
  if (!strcmp(k, "level")) {
    s->level = hicov_level_parse(value);
    if (s->level < 0) {
      set_err(err, err_size, T_(m->lang, "level: expected country, province, "
              "district, commune or facility, found '%.60s'"), value);
      return HICOV_INVALID;
    }
    return HICOV_OK;
  }
  set_err(err, err_size, T_(m->lang, "unknown mapping key '%s' (expected "
          "sheet, layout, header_row, first_row, last_row, unit_column, "
          "unit_by, level, parent, period, measure, group, period_column, "
          "measure_column, value_column, group_column, measure_row, "
          "period_row, group_row, columns, ignore_columns, skip_units or "
          "numbers)"), key);
  return HICOV_INVALID;
}

/* Strips spaces at both ends, and one pair of quotes around a value. */
static char *trim(char *s, int unquote)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  if (unquote && n >= 2 && ((s[0] == '"' && s[n - 1] == '"') ||
                            (s[0] == '\'' && s[n - 1] == '\''))) {
    s[n - 1] = '\0';
    s++;
  }
  return s;
}

int hicov_workbook_mapping_parse(HicovWorkbookMapping *m, const char *name,
                                 const char *text, size_t len, char *err,
                                 size_t err_size)
{
  if (!m || !text)
    return HICOV_INVALID;
  if (!name)
    name = "mapping";
  char *copy = hicov_strndup(text, len);
  if (!copy)
    return HICOV_NOMEM;
  char *p = copy;
  if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
      (unsigned char)p[2] == 0xBF)
    p += 3;
  long line = 0;
  int rc = HICOV_OK;
  while (p && *p && !rc) {
    line++;
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    /* a comment after the text: " # ..." outside quotes ("#2" is a sheet) */
    char quote = 0;
    for (char *c = p; *c; c++) {
      if (quote) {
        quote = *c == quote ? 0 : quote;
      } else if (*c == '"' || *c == '\'') {
        quote = *c;
      } else if (*c == '#' && c > p && (c[-1] == ' ' || c[-1] == '\t') &&
                 (c[1] == ' ' || c[1] == '\0' || c[1] == '\r')) {
        *c = '\0';
        break;
      }
    }
    char *l = trim(p, 0);
    p = nl ? nl + 1 : NULL;
    if (!*l || *l == '#' || *l == ';')
      continue;
    char msg[400];
    if (*l == '[') {
      size_t n = strlen(l);
      if (l[n - 1] != ']' || strncmp(l, "[sheet", 6) ||
          (l[6] != ' ' && l[6] != ']')) {
        set_err(err, err_size, T_(m->lang, "%s line %ld: expected a section "
                "such as [sheet \"Dân số\"], [sheet #2] or [sheet *], found "
                "'%.80s'"), name, line, l);
        rc = HICOV_INVALID;
        break;
      }
      l[n - 1] = '\0';
      char *sheet = trim(l + 6, 1);
      if (!*sheet)
        rc = add_section(m, NULL);
      else
        rc = hicov_workbook_mapping_add_sheet(m, sheet, msg, sizeof msg);
      continue;
    }
    char *eq = strchr(l, '=');
    if (!eq) {
      set_err(err, err_size, T_(m->lang, "%s line %ld: expected key = value, "
              "found '%.80s'"), name, line, l);
      rc = HICOV_INVALID;
      break;
    }
    *eq = '\0';
    char *key = trim(l, 0), *value = trim(eq + 1, 1);
    rc = hicov_workbook_mapping_set(m, key, value, msg, sizeof msg);
    if (rc == HICOV_INVALID && err && err_size)
      set_err(err, err_size, T_(m->lang, "%s line %ld: %s"), name, line, msg);
  }
  hicov_free(copy);
  return rc;
}

int hicov_workbook_mapping_load(HicovWorkbookMapping *m, const char *path,
                                char *err, size_t err_size)
{
  if (!m || !path)
    return HICOV_INVALID;
  char *data;
  size_t len;
  int rc = hicov_read_file_lang(path, (size_t)1 << 20, m->lang, &data, &len,
                                err, err_size);
  if (rc)
    return rc;
  const char *slash = strrchr(path, '/');
  rc = hicov_workbook_mapping_parse(m, slash ? slash + 1 : path, data, len,
                                    err, err_size);
  hicov_free(data);
  return rc;
}
