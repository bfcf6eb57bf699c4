/* cli-equity.c - `hicov equity`: how unequal an indicator is across the
 * units of a level below a unit (hicov_equity_on), for a period or for
 * each year of a range on the last year's boundaries. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hicov-core.h"
#include "hicov-format.h"
#include "report-private.h"

#define MAX_YEARS 40

static void usage(FILE *f)
{
  fputs(_("usage: hicov equity --indicator NAME --unit CODE --level L\n"
          "                    (--period P | --from YEAR --to YEAR)\n"
          "                    [--order INDICATOR] [--group G] [--data DIR]\n"
          "                    [--lang vi|en]\n\n"
          "Prints how unequal an indicator is across the units at level L\n"
          "below UNIT, weighted by their population at the end of the\n"
          "period, in the summary measures of WHO's Health Equity Assessment\n"
          "Toolkit: the weighted mean, highest and lowest, difference and\n"
          "ratio, index of disparity, between-group variance, Theil index,\n"
          "mean log deviation, population attributable risk and fraction.\n"
          "With --order, the slope and relative index of inequality (SII,\n"
          "RII): the units ranked by that indicator, lowest first, a\n"
          "weighted least-squares line on their population ridits.  With\n"
          "--from and --to, one column a year, every year on the boundaries\n"
          "of the last.  Units left out are listed with the reason.\n"
          "Without --data the built-in demo is used.\n"), f);
}

static void cell(double v, int decimals, const char *lang, int width)
{
  char buf[64];
  if (isnan(v))
    snprintf(buf, sizeof buf, "-");
  else
    hicov_format_number(v, decimals, lang, buf, sizeof buf);
  printf(" %*s", width, buf);
}

/* Pads a UTF-8 label to width columns (characters, not bytes). */
static void label(const char *s, int width)
{
  int n = 0;
  for (const char *p = s; *p; p++)
    n += ((unsigned char)*p & 0xC0) != 0x80;
  printf("%s%*s", s, n < width ? width - n : 0, "");
}

static int decimals_of(int m)
{
  switch (m) {
  case HICOV_EQ_THEIL: case HICOV_EQ_MLD: /* x 1000 */
  case HICOV_EQ_RATIO: case HICOV_EQ_RII: return 3;
  default: return 2;
  }
}

static void print_table(const HicovEquity *e, const int *years, size_t n,
                        const char *period_text, const char *lang)
{
  label("", 46);
  for (size_t i = 0; i < n; i++) {
    char y[16];
    if (years)
      snprintf(y, sizeof y, "%d", years[i]);
    printf(" %12s", years ? y : period_text);
  }
  printf("\n");
  label(T_(lang, "units used"), 46);
  for (size_t i = 0; i < n; i++) {
    char b[32];
    snprintf(b, sizeof b, "%zu/%zu", e[i].n_used, e[i].n_units);
    printf(" %12s", b);
  }
  printf("\n");
  for (int m = 0; m < HICOV_N_EQ; m++) {
    if ((m == HICOV_EQ_SII || m == HICOV_EQ_RII) && !e[0].ordered)
      continue;
    label(hicov_equity_measure_label(m, lang), 46);
    for (size_t i = 0; i < n; i++)
      cell(hicov_equity_get(&e[i], m) * hicov_equity_measure_scale(m),
           decimals_of(m), lang, 12);
    printf("\n");
  }
}

static const char *unit_name(HicovDataset *ds, const char *code)
{
  size_t u;
  HicovUnit unit = { 0 };
  if (hicov_dataset_find_unit(ds, code, &u) == HICOV_OK)
    hicov_dataset_unit(ds, u, &unit);
  return unit.name ? unit.name : "";
}

/* Highest and lowest units, and the units left out (all of them only when
 * the measures could be computed: otherwise the reason says how many). */
static void print_notes(HicovDataset *ds, const HicovEquity *e,
                        const int *years, size_t n, const char *lang)
{
  for (size_t i = 0; i < n; i++) {
    char y[16] = "";
    if (years)
      snprintf(y, sizeof y, "%d: ", years[i]);
    if (e[i].status != HICOV_OK) {
      printf("%s%s\n", y, e[i].reason);
      continue;
    }
      printf(T_(lang, "%shighest: %s (%s), lowest: %s (%s)\n"), y,
             unit_name(ds, e[i].high_unit), e[i].high_unit,
             unit_name(ds, e[i].low_unit), e[i].low_unit);
    for (size_t k = 0; k < e[i].n_excluded; k++) {
      printf(e[i].excluded[k].ordering_only
             ? T_(lang, "%s  left out of SII and RII: %s (%s): %s\n")
             : T_(lang, "%s  left out: %s (%s): %s\n"),
             y, unit_name(ds, e[i].excluded[k].unit), e[i].excluded[k].unit,
             e[i].excluded[k].reason);
    }
  }
}

static int run(HicovDataset *ds, const char *indicator, const char *unit,
               int level, const char *period_text, int from, int to,
               const char *order, const char *group, const char *lang)
{
  HicovEquity e[MAX_YEARS];
  int years[MAX_YEARS];
  size_t n = 0;
  HicovPeriod p;
  int rc = HICOV_OK;
  if (period_text) {
    hicov_period_parse(period_text, &p);
    rc = hicov_equity(ds, indicator, unit, level, p, group, order, &e[n++]);
  } else {
    int asof = hicov_period_year(to).last;
    for (int y = from; y <= to && !rc; y++) {
      years[n] = y;
      rc = hicov_equity_on(ds, indicator, unit, level, hicov_period_year(y),
                           asof, group, order, &e[n++]);
    }
  }
  if (rc) {
    fprintf(stderr, "hicov equity: %s\n", hicov_dataset_errmsg(ds)[0]
            ? hicov_dataset_errmsg(ds) : hicov_status_string(rc));
    for (size_t i = 0; i < n; i++)
      hicov_equity_clear(&e[i]);
    return 1;
  }
  const HicovIndicatorInfo *info = hicov_indicator_find(indicator);
  size_t ui = 0;
  HicovUnit parent = { 0 };
  if (hicov_dataset_find_unit(ds, unit, &ui) == HICOV_OK)
    hicov_dataset_unit(ds, ui, &parent);
  printf(T_(lang, "Equity across units: %s, %s below %s (%s)\n"),
         hicov_indicator_label(info, lang), hicov_level_word(level, lang),
         parent.name, unit);
  printf(T_(lang, "Weighted by population at the end of the period; %s.\n"),
         hicov_boundaries_label(HICOV_BOUNDARIES_TODAY, lang));
  if (order)
    printf(T_(lang, "SII and RII: units ranked by %s, lowest first; a "
              "weighted least-squares line on population ridits.\n"),
           hicov_indicator_label(hicov_indicator_find(order), lang));
  printf("\n");
  print_table(e, period_text ? NULL : years, n, period_text, lang);
  printf("\n");
  print_notes(ds, e, period_text ? NULL : years, n, lang);
  for (size_t i = 0; i < n; i++)
    hicov_equity_clear(&e[i]);
  return 0;
}

int hicov_cli_equity(int argc, char **argv)
{
  const char *indicator = NULL, *unit = NULL, *level_text = NULL;
  const char *period_text = NULL, *order = NULL, *group = NULL;
  const char *data = NULL, *lang = NULL;
  int from = 0, to = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--indicator") && has) {
      indicator = argv[++i];
    } else if (!strcmp(a, "--unit") && has) {
      unit = argv[++i];
    } else if (!strcmp(a, "--level") && has) {
      level_text = argv[++i];
    } else if (!strcmp(a, "--period") && has) {
      period_text = argv[++i];
    } else if (!strcmp(a, "--from") && has) {
      from = atoi(argv[++i]);
    } else if (!strcmp(a, "--to") && has) {
      to = atoi(argv[++i]);
    } else if (!strcmp(a, "--order") && has) {
      order = argv[++i];
    } else if (!strcmp(a, "--group") && has) {
      group = argv[++i];
    } else if (!strcmp(a, "--data") && has) {
      data = argv[++i];
    } else if (!strcmp(a, "--lang") && has) {
      lang = argv[++i];
    } else {
      fprintf(stderr, _("hicov equity: unknown option '%s'\n"), a);
      usage(stderr);
      return 2;
    }
  }
  int level = level_text ? hicov_level_parse(level_text) : -1;
  HicovPeriod p;
  if (!indicator || !unit || level < 0 || (!period_text && !(from && to))) {
    fprintf(stderr, _("hicov equity: give --indicator, --unit, --level and "
                      "--period (or --from and --to)\n"));
    usage(stderr);
    return 2;
  }
  if (period_text && hicov_period_parse(period_text, &p) != HICOV_OK) {
    fprintf(stderr, _("hicov equity: --period expects 2024, 2024-Q3, 2024-10 "
                      "or 2025-01/2025-10, found '%s'\n"), period_text);
    return 2;
  }
  if (!period_text && (from < 1900 || to < from || to - from >= MAX_YEARS)) {
    fprintf(stderr, _("hicov equity: --from and --to expect two years, the "
                      "first not after the second, at most %d apart\n"),
            MAX_YEARS - 1);
    return 2;
  }
  HicovDataset *ds = hicov_cli_open_dataset(data);
  if (!ds)
    return 1;
  if (lang)
    hicov_dataset_set_lang(ds, lang);
  /* the numbers in the language of the labels: --lang's, else the
     process's (LANG, LANGUAGE) */
  lang = hicov_text_lang(lang);
  int status = run(ds, indicator, unit, level, period_text, from, to, order,
                   group, lang);
  hicov_dataset_free(ds);
  return status;
}
