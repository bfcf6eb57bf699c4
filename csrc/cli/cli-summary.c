/* cli-summary.c - `hicov summary`: the indicators of a dataset at a glance,
 * every number computed by the core. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hicov-core.h"
#include "cli.h"

HicovDataset *hicov_cli_open_dataset(const char *dir)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds)) {
    fprintf(stderr, "hicov: out of memory\n");
    return NULL;
  }
  int rc = dir ? hicov_dataset_load_dir(ds, dir, HICOV_LOAD_STRICT)
               : hicov_dataset_load_demo(ds);
  if (rc) {
    fprintf(stderr, "hicov: %s\n", hicov_dataset_errmsg(ds));
    hicov_dataset_free(ds);
    return NULL;
  }
  return ds;
}

/* Prints s in a column of `width` characters (not bytes: names are
 * Vietnamese), cut if longer. */
static void print_padded(const char *s, int width)
{
  int chars = 0;
  const char *p = s;
  while (*p && chars < width) {
    const char *start = p++;
    while ((*p & 0xC0) == 0x80)
      p++;
    fwrite(start, 1, (size_t)(p - start), stdout);
    chars++;
  }
  for (; chars < width; chars++)
    putchar(' ');
}

static void print_value(const HicovResult *r, int decimals, int width)
{
  if (r->status == HICOV_OK)
    printf("%*.*f", width, decimals, r->value);
  else
    printf("%*s", width, "-");
}

/* Latest year in which `unit` has a coverage rate. */
static int latest_year(HicovDataset *ds, const char *unit, int first, int last)
{
  for (int y = last; y >= first; y--) {
    HicovResult r;
    if (hicov_indicator_value(ds, "coverage_rate", unit, hicov_period_year(y),
                              NULL, &r) == HICOV_OK && r.status == HICOV_OK)
      return y;
  }
  return 0;
}

static int summary_unit(HicovDataset *ds, size_t idx, int y0, int y1,
                        const HicovPeriod *forced)
{
  HicovUnit u;
  hicov_dataset_unit(ds, idx, &u);
  HicovPeriod p;
  if (forced) {
    p = *forced;
  } else {
    int y = latest_year(ds, u.code, y0, y1);
    if (!y)
      return 0;
    p = hicov_period_year(y);
  }
  char pt[24];
  hicov_period_format(p, pt, sizeof pt);
  static const struct { const char *ind; int decimals; } cols[] = {
    { "coverage_rate", 2 }, { "participants", 0 }, { "coverage_change", 2 },
    { "participants_growth", 2 }, { "visits", 0 }, { "total_cost", 0 },
    { "cost_per_visit", 0 },
  };
  printf("%-6s ", u.code);
  print_padded(u.name, 22);
  printf(" %-16s", pt);
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
    HicovResult r;
    if (hicov_indicator_value(ds, cols[i].ind, u.code, p, NULL, &r))
      return 1;
    print_value(&r, cols[i].decimals, i == 5 ? 17 : 12);
  }
  printf("\n");
  return 0;
}

int hicov_cli_summary(int argc, char **argv)
{
  const char *dir = NULL, *period = NULL, *unit = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--data") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp(argv[i], "--period") && i + 1 < argc)
      period = argv[++i];
    else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
      unit = argv[++i];
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: hicov summary [--data DIR] [--unit CODE] [--period P]\n"
             "Prints coverage and spending indicators of each country and\n"
             "province (or of UNIT and its children), the assessment of the\n"
             "dataset's resolutions and its data-quality findings. Without\n"
             "--data the built-in demo is used.\n");
      return 0;
    } else {
      fprintf(stderr, "hicov summary: unexpected argument '%s'\n", argv[i]);
      return 2;
    }
  }
  HicovPeriod forced;
  if (period && hicov_period_parse(period, &forced)) {
    fprintf(stderr, "hicov summary: --period: expected 2024, 2024-Q3, 2024-10 "
            "or 2025-01/2025-10, found '%s'\n", period);
    return 2;
  }
  HicovDataset *ds = hicov_cli_open_dataset(dir);
  if (!ds)
    return 1;
  int first = 0, last = 0;
  hicov_dataset_month_span(ds, &first, &last);
  printf("hicov %s: %s\n\n", hicov_version(), dir ? dir : "built-in demo "
         "(published figures; communes and group split synthetic)");
  printf("%-6s %-22s %-16s%12s%12s%12s%12s%12s%17s%12s\n", "unit", "name",
         "period", "coverage %", "insured", "change pts", "growth %",
         "visits", "cost VND", "VND/visit");
  int rc = 0;
  size_t *idx = NULL, n = 0;
  if (unit) {
    size_t one;
    if (hicov_dataset_find_unit(ds, unit, &one)) {
      fprintf(stderr, "hicov summary: unknown unit '%s'\n", unit);
      hicov_dataset_free(ds);
      return 1;
    }
    rc = summary_unit(ds, one, first / 12, last / 12, period ? &forced : NULL);
    HicovPeriod *pp = period ? &forced : NULL;
    if (!rc && !hicov_dataset_children(ds, unit, pp, &idx, &n))
      for (size_t i = 0; i < n && !rc; i++)
        rc = summary_unit(ds, idx[i], first / 12, last / 12, pp);
    hicov_free(idx);
  } else {
    for (int level = HICOV_LEVEL_COUNTRY; level <= HICOV_LEVEL_PROVINCE && !rc; level++) {
      if (hicov_dataset_units_at(ds, level, NULL, NULL, &idx, &n))
        break;
      for (size_t i = 0; i < n && !rc; i++)
        rc = summary_unit(ds, idx[i], first / 12, last / 12, period ? &forced : NULL);
      hicov_free(idx);
    }
  }

  for (size_t r = 0; r < hicov_dataset_resolution_count(ds) && !rc; r++) {
    const HicovResolution *res = hicov_dataset_resolution(ds, r);
    int ts, te;
    hicov_resolution_term(res, &ts, &te);
    printf("\n%s (%d-%d)\n", hicov_resolution_title(res), ts, te);
    HicovAssessment *a;
    size_t na;
    if (hicov_assess(ds, res, &a, &na)) {
      fprintf(stderr, "hicov: %s\n", hicov_dataset_errmsg(ds));
      rc = 1;
      break;
    }
    for (size_t i = 0; i < na; i++) {
      const HicovTarget *t = hicov_resolution_target(res, a[i].target_index);
      printf("  %s %s %s %.2f by %d: %s; latest %.2f (%d), gap %.2f points",
             a[i].unit, t->indicator,
             t->comparison == HICOV_CMP_AT_MOST ? "<=" : ">=", t->threshold,
             t->deadline_year, hicov_target_status_name(a[i].status),
             a[i].latest_value, a[i].latest_year, a[i].gap);
      if (!isnan(a[i].participants_needed))
        printf(", %.0f more participants needed", a[i].participants_needed);
      if (!isnan(a[i].projected_value))
        printf(", projected %.2f in %d", a[i].projected_value, t->deadline_year);
      if (!isnan(a[i].projected_year))
        printf(", reached in %.0f", a[i].projected_year);
      printf("\n");
    }
    hicov_free(a);
  }

  HicovFinding *f;
  size_t nf;
  if (!rc && hicov_dataset_check(ds, &f, &nf) == HICOV_OK) {
    printf("\nData-quality findings: %zu\n", nf);
    for (size_t i = 0; i < nf && i < 12; i++)
      printf("  [%s] %s\n", hicov_finding_kind_name(f[i].kind), f[i].message);
    if (nf > 12)
      printf("  ... and %zu more\n", nf - 12);
    hicov_free(f);
  }
  hicov_dataset_free(ds);
  return rc;
}
