/* cli-table.c - `hicov table`: a table of indicators by unit for a period,
 * written as XLSX, ODS or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hicov-core.h"
#include "hicov-data.h"
#include "hicov-exchange.h"
#include "report-private.h"

static void usage(FILE *f)
{
  fprintf(f,
    _("usage: hicov table INDICATOR[,INDICATOR...] --period P [--level L]\n"
    "                   [--parent CODE] [--group G] [--data DIR]\n"
    "                   [--lang vi|en] [--no-total] -o out.xlsx|out.ods|out.csv\n\n"
    "Writes one row per unit at level L below the parent (default: the\n"
    "parent's direct children; without a parent, every province) that\n"
    "exists at the end of period P, in Vietnamese alphabetical order, one\n"
    "column per indicator, and the parent's own row last. XLSX and ODS have\n"
    "Vietnamese headings (--lang en for English), number formats (#,##0,\n"
    "0.0%%), a frozen heading row, a missing value's reason as a comment and\n"
    "a second sheet describing the table; CSV has the numbers alone.\n"
    "Indicators: `hicov table --list`.\n"));
}

int hicov_cli_table(int argc, char **argv)
{
  const char *inds = NULL, *period_text = NULL, *level_text = NULL;
  const char *parent = NULL, *group = NULL, *data = NULL, *out = NULL;
  const char *lang = "vi";
  int total = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--list")) {
      for (size_t k = 0; k < hicov_indicator_count(); k++) {
        const HicovIndicatorInfo *ii = hicov_indicator_info(k);
        printf("%-26s %s (%s)\n", ii->name, hicov_indicator_label(ii, NULL),
               report_unit_word(ii->unit, NULL));
      }
      return 0;
    } else if (!strcmp(a, "--period") && has) {
      period_text = argv[++i];
    } else if (!strcmp(a, "--level") && has) {
      level_text = argv[++i];
    } else if (!strcmp(a, "--parent") && has) {
      parent = argv[++i];
    } else if (!strcmp(a, "--group") && has) {
      group = argv[++i];
    } else if (!strcmp(a, "--data") && has) {
      data = argv[++i];
    } else if (!strcmp(a, "--lang") && has) {
      lang = argv[++i];
    } else if (!strcmp(a, "--no-total")) {
      total = 0;
    } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has) {
      out = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, _("hicov table: unknown option '%s'\n"), a);
      usage(stderr);
      return 2;
    } else if (!inds) {
      inds = a;
    } else {
      fprintf(stderr, _("hicov table: unexpected argument '%s' (several "
              "indicators are separated by commas)\n"), a);
      return 2;
    }
  }
  if (!inds || !period_text || !out) {
    fprintf(stderr, _("hicov table: give the indicators, --period and -o\n"));
    usage(stderr);
    return 2;
  }
  HicovTableSpec spec;
  memset(&spec, 0, sizeof spec);
  if (hicov_period_parse(period_text, &spec.period) != HICOV_OK) {
    fprintf(stderr, _("hicov table: --period expects 2024, 2024-Q3, 2024-10 or "
            "2025-01/2025-10, found '%s'\n"), period_text);
    return 2;
  }
  spec.level = level_text ? hicov_level_parse(level_text)
             : parent ? -1 : HICOV_LEVEL_PROVINCE;
  if (level_text && spec.level < 0) {
    fprintf(stderr, _("hicov table: --level expects country, province, "
            "district, commune or facility, found '%s'\n"), level_text);
    return 2;
  }
  if (hicov_workbook_write_format_from_path(out) == HICOV_WORKBOOK_AUTO) {
    fprintf(stderr, _("hicov table: -o expects a file name ending in .xlsx, "
            ".ods or .csv, found '%s'\n"), out);
    return 2;
  }
  /* the indicators, split on commas */
  char *list = strdup(inds);
  const char *names[HICOV_TABLE_MAX_COLUMNS];
  size_t n = 0;
  for (char *save = NULL, *t = strtok_r(list, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    while (*t == ' ')
      t++;
    if (!*t)
      continue;
    if (n == HICOV_TABLE_MAX_COLUMNS) {
      fprintf(stderr, _("hicov table: at most %d indicators\n"),
              HICOV_TABLE_MAX_COLUMNS);
      free(list);
      return 2;
    }
    if (!hicov_indicator_find(t)) {
      fprintf(stderr, _("hicov table: unknown indicator '%s' (hicov table "
              "--list names them)\n"), t);
      free(list);
      return 2;
    }
    names[n++] = t;
  }
  spec.indicators = names;
  spec.n_indicators = n;
  spec.parent = parent;
  spec.group = group;
  spec.total_row = total && parent;
  HicovDataset *ds = hicov_cli_open_dataset(data);
  if (!ds) {
    free(list);
    return 1;
  }
  HicovTable *t = NULL;
  int status = 0;
  int rc = hicov_table_new(ds, &spec, &t);
  if (rc) {
    fprintf(stderr, "hicov table: %s\n", hicov_dataset_errmsg(ds)[0] ?
            hicov_dataset_errmsg(ds) : hicov_status_string(rc));
    status = 1;
  } else {
    char err[600];
    if (hicov_table_save(t, out, HICOV_WORKBOOK_AUTO, lang, err, sizeof err)) {
      fprintf(stderr, "hicov table: %s\n", err);
      status = 1;
    } else {
      printf(_("wrote %s (%zu rows, %zu indicators)\n"), out,
             hicov_table_row_count(t), hicov_table_column_count(t));
    }
  }
  hicov_table_free(t);
  hicov_dataset_free(ds);
  free(list);
  return status;
}
