/* cli-summary.c - `hicov summary`: the indicators of a dataset at a glance,
 * every number computed by the core; and what the commands share: the
 * dataset of --data, and whether an output would replace an input. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hicov-format.h"

size_t hicov_cli_dataset_inputs(const char *dir, char buf[][4096])
{
  if (!dir)
    return 0;
  snprintf(buf[0], 4096, "%s/units.csv", dir);
  snprintf(buf[1], 4096, "%s/values.csv", dir);
  return 2;
}

/* Is the file at real (a canonical path) inside the folder dir? */
static int inside(const char *real, const struct stat *dir)
{
  char up[PATH_MAX];
  snprintf(up, sizeof up, "%s", real);
  for (;;) {
    char *slash = strrchr(up, '/');
    if (!slash)
      return 0;
    if (slash == up)
      slash[1] = 0; /* "/" */
    else
      *slash = 0;
    struct stat st;
    if (!stat(up, &st) && st.st_dev == dir->st_dev && st.st_ino == dir->st_ino)
      return 1;
    if (slash == up)
      return 0;
  }
}

const char *hicov_cli_replaces_input(const char *out,
                                     const char *const *inputs, size_t n)
{
  struct stat so;
  char real[PATH_MAX];
  if (!out || stat(out, &so) || !realpath(out, real))
    return NULL; /* a new file replaces nothing */
  for (size_t i = 0; i < n; i++) {
    struct stat si;
    if (!inputs[i] || stat(inputs[i], &si))
      continue;
    if (S_ISDIR(si.st_mode) ? inside(real, &si)
                            : si.st_dev == so.st_dev && si.st_ino == so.st_ino)
      return inputs[i];
  }
  return NULL;
}

HicovDataset *hicov_cli_open_dataset(const char *dir)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds)) {
    fprintf(stderr, "%s", _("hicov: out of memory\n"));
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

int hicov_cli_boundaries(const char *cmd, const char *arg, int *out)
{
  *out = hicov_boundaries_parse(arg);
  if (*out >= 0)
    return 0;
  fprintf(stderr, _("hicov %s: --boundaries: expected today or as-published, "
                    "found '%s'\n"), cmd, arg);
  return 2;
}

/* Characters (not bytes: names and labels may be Vietnamese) in s. */
static int utf8_chars(const char *s)
{
  int n = 0;
  for (; *s; s++)
    n += (*s & 0xC0) != 0x80;
  return n;
}

/* Prints s in a column of `width` characters, cut if longer. */
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

/* The same, right-aligned. */
static void print_right(const char *s, int width)
{
  for (int pad = width - utf8_chars(s); pad > 0; pad--)
    putchar(' ');
  print_padded(s, utf8_chars(s) < width ? utf8_chars(s) : width);
}

const char *hicov_cli_number(double v, int decimals, char *buf, size_t size)
{
  if (hicov_format_is_vi(hicov_text_lang(NULL)))
    hicov_format_number(v, decimals, "vi", buf, size);
  else
    snprintf(buf, size, "%.*f", decimals, v);
  return buf;
}

const char *hicov_cli_count(long long n, char *buf, size_t size)
{
  return hicov_cli_number((double)n, 0, buf, size);
}

void hicov_cli_print_merged(long added, long replaced, long kept,
                            long unchanged)
{
  char a[32], r[32], k[32], u[32];
  printf(_("merged: %s added, %s replaced, %s kept, %s unchanged\n"),
         hicov_cli_count(added, a, sizeof a),
         hicov_cli_count(replaced, r, sizeof r),
         hicov_cli_count(kept, k, sizeof k),
         hicov_cli_count(unchanged, u, sizeof u));
}

/* A value, or "-"; an estimate (a crosswalk share) ends in "*". */
static void print_value(const HicovResult *r, int decimals, int width)
{
  if (r->status != HICOV_OK) {
    printf("%*s", width, "-");
    return;
  }
  char buf[64];
  hicov_cli_number(r->value, decimals, buf, sizeof buf - 1);
  if (r->estimate)
    strcat(buf, "*");
  print_right(buf, width);
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

/* The columns of the table: an indicator, its decimals, the column's
 * width and its title (a msgid). */
static const struct {
  const char *ind;
  int decimals, width;
  const char *title;
  int compares; /* against a year earlier */
} cols[] = {
  /* xgettext:no-c-format */
  { "coverage_rate", 2, 12, NC_("summary column", "coverage %") },
  { "participants", 0, 12, NC_("summary column", "insured") },
  { "coverage_change", 2, 12, NC_("summary column", "change pts"), 1 },
  /* xgettext:no-c-format */
  { "participants_growth", 2, 12, NC_("summary column", "growth %"), 1 },
  { "visits", 0, 12, NC_("summary column", "visits") },
  { "total_cost", 0, 17, NC_("summary column", "cost VND") },
  { "cost_per_visit", 0, 12, NC_("summary column", "VND/visit") },
};

/* Under a unit that units joined since the year before: what its
 * comparisons take in ("change pts, growth %: on today's boundaries: with
 * Hòa Bình"), and the mark of an estimate. */
static void compared_with(HicovDataset *ds, const char *code, HicovPeriod p,
                          const HicovResult *r)
{
  enum { NCOLS = sizeof cols / sizeof cols[0] };
  int any = 0, estimate = 0;
  for (size_t i = 0; i < NCOLS; i++) {
    any |= cols[i].compares && r[i].status == HICOV_OK;
    estimate |= r[i].status == HICOV_OK && r[i].estimate;
  }
  const char *codes[4];
  size_t n = any ? hicov_dataset_predecessors(
                       ds, code, hicov_period_shift_years(p, -1).last, p.last,
                       codes, 4)
                 : 0;
  if (n) {
    printf("%7s", "");
    for (size_t i = 0, first = 1; i < NCOLS; i++)
      if (cols[i].compares && r[i].status == HICOV_OK) {
        printf("%s%s", first ? "" : ", ", _(cols[i].title));
        first = 0;
      }
    /* TRANSLATORS: "on today's boundaries: with Hòa Bình" */
    printf(_(": %s: with "), hicov_boundaries_label(
                                 hicov_dataset_boundaries(ds), NULL));
    for (size_t i = 0; i < n && i < 4; i++) {
      size_t k;
      HicovUnit u;
      int found = hicov_dataset_find_unit(ds, codes[i], &k) == HICOV_OK &&
                  hicov_dataset_unit(ds, k, &u) == HICOV_OK;
      printf("%s%s", i ? ", " : "", found ? u.name : codes[i]);
    }
    printf("%s\n", n > 4 ? ", ..." : "");
  }
  if (estimate)
    printf("%7s%s\n", "", _("*: an estimate, from the shares of divided "
                            "units (crosswalk.csv)"));
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
  enum { NCOLS = sizeof cols / sizeof cols[0] };
  HicovResult r[NCOLS];
  printf("%-6s ", u.code);
  print_padded(u.name, 22);
  printf(" %-16s", pt);
  for (size_t i = 0; i < NCOLS; i++) {
    if (hicov_indicator_value(ds, cols[i].ind, u.code, p, NULL, &r[i]))
      return 1;
    print_value(&r[i], cols[i].decimals, cols[i].width);
  }
  printf("\n");
  /* Why values are missing: each reason once, after the columns it
   * empties. */
  for (size_t i = 0; i < NCOLS; i++) {
    if (r[i].status == HICOV_OK || !r[i].reason[0])
      continue;
    size_t k = 0;
    while (k < i &&
           (r[k].status == HICOV_OK || strcmp(r[k].reason, r[i].reason)))
      k++;
    if (k < i)
      continue; /* printed with an earlier column */
    printf("%7s", "");
    for (size_t j = i, first = 1; j < NCOLS; j++)
      if (r[j].status != HICOV_OK && !strcmp(r[j].reason, r[i].reason)) {
        printf("%s%s", first ? "" : ", ", _(cols[j].title));
        first = 0;
      }
    printf(": %s\n", r[i].reason);
  }
  compared_with(ds, u.code, p, r);
  return 0;
}

/* A unit as the data-quality findings name it: "Lạng Sơn (20)", or its
 * code alone when the dataset gives no name. */
static const char *unit_text(HicovDataset *ds, const char *code, char *buf,
                             size_t size)
{
  size_t k;
  HicovUnit u;
  if (hicov_dataset_find_unit(ds, code, &k) == HICOV_OK &&
      hicov_dataset_unit(ds, k, &u) == HICOV_OK && u.name && u.name[0])
    snprintf(buf, size, "%s (%s)", u.name, code);
  else
    snprintf(buf, size, "%s", code);
  return buf;
}

/* Decimals of an indicator's values in the lines below: none for counts
 * and money, two for rates, points and ratios (as the table's columns). */
static int value_decimals(const HicovIndicatorInfo *info)
{
  static const char *const whole[] = { "people", "visits", "VND", "cards" };
  for (size_t i = 0; info && info->unit && i < 4; i++)
    if (!strcmp(info->unit, whole[i]))
      return 0;
  return 2;
}

/* How far a target is from its assessment's latest value: a floor short
 * of it or exceeded, a cap over or below it; percentage points for rates
 * (a growth target's gap is in percent a year). */
static void print_gap(const HicovTarget *t, const HicovIndicatorInfo *info,
                      const HicovAssessment *a)
{
  int dec = value_decimals(info);
  char num[64], zero[64];
  double gap = a->gap;
  hicov_cli_number(fabs(gap), dec, num, sizeof num);
  if (!strcmp(num, hicov_cli_number(0, dec, zero, sizeof zero)))
    gap = 0; /* as printed: never "gap 0.00" */
  int points = t->kind != HICOV_TARGET_KIND_GROWTH && info &&
               (info->is_rate || (info->unit && (!strcmp(info->unit, "%") ||
                                                 !strcmp(info->unit,
                                                         "points"))));
  /* TRANSLATORS: after the gap of a rate in the summary's target lines */
  strcat(num, points ? _(NC_("summary gap", " points")) : "");
  int cap = t->comparison == HICOV_CMP_AT_MOST;
  if (gap > 0)
    printf(cap ? _(", %s over the cap") : _(", gap %s"), num);
  else if (gap < 0)
    printf(cap ? _(", %s below the cap") : _(", exceeded by %s"), num);
  else
    printf("%s", cap ? _(", at the cap") : _(", at the target"));
  char people[64];
  if (gap > 0 && !isnan(a->participants_needed) && a->participants_needed > 0)
    printf(_(", %s more participants needed"),
           hicov_cli_number(a->participants_needed, 0, people, sizeof people));
}

/* One assessment on one line, for people and scripts alike: the unit and
 * the indicator by name, numbers as the table writes them ("  Lạng Sơn
 * (20): Coverage rate >= 98.00 by 2025: not achieved; latest 95.00 (2025),
 * gap 3.00 points, ..."). */
static void print_assessment(HicovDataset *ds, const HicovTarget *t,
                             const HicovAssessment *a)
{
  /* The status as hicov_target_status_name writes it, translated. */
  static const char *const status_words[] = {
    N_("unknown"), N_("achieved"), N_("on track"), N_("at risk"),
    N_("not achieved") };
  const char *lang = hicov_text_lang(NULL);
  const HicovIndicatorInfo *info = hicov_indicator_find(t->indicator);
  int st = a->status >= 0 && a->status <= 4 ? a->status : 0;
  int dec = value_decimals(info);
  char who[256], thr[64], latest[64], proj[64];
  printf(_("  %s: %s %s %s by %d: %s"), unit_text(ds, a->unit, who, sizeof who),
         info ? hicov_indicator_label(info, lang) : t->indicator,
         t->comparison == HICOV_CMP_AT_MOST ? "<=" : ">=",
         hicov_cli_number(t->threshold, dec, thr, sizeof thr), t->deadline_year,
         _(status_words[st]));
  if (!isnan(a->latest_value)) {
    printf(_("; latest %s (%d)"),
           hicov_cli_number(a->latest_value, dec, latest, sizeof latest),
           a->latest_year);
    if (!isnan(a->gap))
      print_gap(t, info, a);
  }
  if (!isnan(a->projected_value))
    printf(_(", projected %s in %d"),
           hicov_cli_number(a->projected_value, dec, proj, sizeof proj),
           t->deadline_year);
  if (!isnan(a->projected_year))
    printf(_(", reached in %.0f"), a->projected_year);
  if (a->reason[0])
    printf(" (%s)", a->reason);
  printf("\n");
}

int hicov_cli_summary(int argc, char **argv)
{
  const char *dir = NULL, *period = NULL, *unit = NULL;
  int boundaries = HICOV_BOUNDARIES_TODAY;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--data") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp(argv[i], "--boundaries") && i + 1 < argc) {
      if (hicov_cli_boundaries("summary", argv[++i], &boundaries))
        return 2;
    }
    else if (!strcmp(argv[i], "--period") && i + 1 < argc)
      period = argv[++i];
    else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
      unit = argv[++i];
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(_("usage: hicov summary [--data DIR] [--unit CODE] [--period P]\n"
              "                     [--boundaries today|as-published]\n"
              "Prints coverage and spending indicators of each country and\n"
              "province (or of UNIT and its children), why a value is\n"
              "missing, the assessment of the dataset's resolutions and its\n"
              "data-quality findings. Without --data the built-in demo is\n"
              "used. Text follows the process's language (LANG, LANGUAGE).\n"
              "Changes compare a unit with the same territory a year\n"
              "earlier (the units merged into it since added): on today's\n"
              "boundaries; --boundaries as-published compares the figures\n"
              "as published at the time.\n"),
            stdout);
      return 0;
    } else {
      fprintf(stderr, _("hicov summary: unexpected argument '%s'\n"), argv[i]);
      return 2;
    }
  }
  HicovPeriod forced;
  if (period && hicov_period_parse(period, &forced)) {
    fprintf(stderr, _("hicov summary: --period: expected 2024, 2024-Q3, "
                      "2024-10 or 2025-01/2025-10, found '%s'\n"), period);
    return 2;
  }
  HicovDataset *ds = hicov_cli_open_dataset(dir);
  if (!ds)
    return 1;
  size_t one = 0;
  if (unit && hicov_dataset_find_unit(ds, unit, &one)) {
    fprintf(stderr, _("hicov summary: unknown unit '%s'\n"), unit);
    hicov_dataset_free(ds);
    return 1;
  }
  hicov_dataset_set_boundaries(ds, boundaries);
  int first = 0, last = 0;
  hicov_dataset_month_span(ds, &first, &last);
  printf("hicov %s: %s\n", hicov_version(),
         dir ? dir : _("built-in demo (published figures; communes and group "
                       "split synthetic)"));
  /* TRANSLATORS: "Comparisons and trends: on today's boundaries" */
  printf(_("Comparisons and trends: %s\n\n"),
         hicov_boundaries_label(boundaries, NULL));
  print_padded(_(NC_("summary column", "unit")), 6);
  putchar(' ');
  print_padded(_(NC_("summary column", "name")), 22);
  putchar(' ');
  print_padded(_(NC_("summary column", "period")), 16);
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    print_right(_(cols[i].title), cols[i].width);
  printf("\n");
  int rc = 0;
  size_t *idx = NULL, n = 0;
  if (unit) {
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
    for (size_t i = 0; i < na; i++)
      print_assessment(ds, hicov_resolution_target(res, a[i].target_index),
                       &a[i]);
    hicov_free(a);
  }

  HicovFinding *f;
  size_t nf;
  if (!rc && hicov_dataset_check(ds, &f, &nf) == HICOV_OK) {
    printf(_("\nData-quality findings: %zu\n"), nf);
    for (size_t i = 0; i < nf && i < 12; i++)
      printf("  [%s] %s\n", hicov_finding_kind_name(f[i].kind), f[i].message);
    if (nf > 12)
      printf(_("  ... and %zu more\n"), nf - 12);
    hicov_free(f);
  }
  hicov_dataset_free(ds);
  return rc;
}
