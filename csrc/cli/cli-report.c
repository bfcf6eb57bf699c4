/* cli-report.c - `hicov report`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hicov-report.h"
#include "report-private.h"

static const char report_usage[] = N_(
    "usage: hicov report [--data DIR] [--resolution FILE|demo:N]\n"
    "                    [-o REPORT.xml] [--html F] [--pdf F] [--lang vi|en]\n"
    "                    [--boundaries today|as-published] [--quiet]\n"
    "                    [--force]\n"
    "Reports how far the unit of a resolution has come on its targets:\n"
    "status, gap, people still needed, required growth and projection for\n"
    "every target, tables by child unit and by year, data-quality findings\n"
    "and provenance.  Writes the XML (-o), HTML (--html) and A4 PDF (--pdf)\n"
    "reports, each atomically, and prints the report's sentences.\n"
    "Without --data the built-in demo is used; without --resolution, the\n"
    "dataset's first resolution (demo:0 is Lang Son 2020-2025, demo:1\n"
    "Lang Son 2025-2030).  --lang picks the labels (default vi).  An output\n"
    "never replaces an input of the command, nor a read-only file unless\n"
    "--force.  Comparisons, the year-by-year table, the projection and the\n"
    "baseline are on today's boundaries (a unit's earlier years include the\n"
    "units merged into it since); --boundaries as-published takes every\n"
    "figure as published at the time.  The provenance says which.\n");

/* Loads the resolution named on the command line. */
static int open_resolution(HicovDataset *ds, const char *arg,
                           HicovResolution **owned,
                           const HicovResolution **res)
{
  *owned = NULL;
  *res = NULL;
  if (!arg)
    return 0; /* the dataset's first */
  if (!strncmp(arg, "demo:", 5)) {
    char *end;
    long i = strtol(arg + 5, &end, 10);
    if (*end || end == arg + 5 || i < 0 ||
        (size_t)i >= hicov_dataset_resolution_count(ds)) {
      fprintf(stderr, _("hicov report: --resolution %s: the dataset carries "
                        "%zu resolution(s), numbered from 0\n"), arg,
              hicov_dataset_resolution_count(ds));
      return 2;
    }
    *res = hicov_dataset_resolution(ds, (size_t)i);
    return 0;
  }
  char err[600];
  if (hicov_resolution_load_file(arg, owned, err, sizeof err) != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n", err);
    return 1;
  }
  *res = *owned;
  return 0;
}

static int add_inputs(HicovReport *rep, const char *dir, const char *resfile)
{
  int rc = 0;
  if (dir) {
    static const char *const files[][2] = { { "units.csv", "units" },
                                            { "values.csv", "values" },
                                            { "crosswalk.csv", "crosswalk" } };
    for (size_t i = 0; i < 3 && !rc; i++) {
      size_t n = strlen(dir) + strlen(files[i][0]) + 2;
      char *path = malloc(n);
      if (!path)
        return 1;
      snprintf(path, n, "%s/%s", dir, files[i][0]);
      /* the crosswalk is there only for datasets with divided units */
      if (i < 2 || access(path, F_OK) == 0)
        rc = hicov_report_add_input(rep, path, files[i][1]);
      free(path);
    }
  } else {
    /* In the report's language, not the command's. */
    rc = hicov_report_set_source(
        rep, hicov_text(hicov_report_lang(rep),
                        NC_("report source", "built-in demo (published "
                            "figures; communes synthetic)")));
  }
  if (!rc && resfile && strncmp(resfile, "demo:", 5))
    rc = hicov_report_add_input(rep, resfile, "resolution");
  if (rc)
    fprintf(stderr, "hicov report: %s\n", hicov_report_errmsg(rep));
  return rc ? 1 : 0;
}

int hicov_cli_report(int argc, char **argv)
{
  const char *dir = NULL, *resarg = NULL, *out = NULL, *html = NULL,
             *pdf = NULL, *lang = "vi";
  int quiet = 0, boundaries = HICOV_BOUNDARIES_TODAY;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--data") && has)
      dir = argv[++i];
    else if (!strcmp(a, "--resolution") && has)
      resarg = argv[++i];
    else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has)
      out = argv[++i];
    else if (!strcmp(a, "--html") && has)
      html = argv[++i];
    else if (!strcmp(a, "--pdf") && has)
      pdf = argv[++i];
    else if (!strcmp(a, "--lang") && has)
      lang = argv[++i];
    else if (!strcmp(a, "--boundaries") && has) {
      if (hicov_cli_boundaries("report", argv[++i], &boundaries))
        return 2;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
      quiet = 1;
    else if (!strcmp(a, "--force"))
      report_write_default_flags(REPORT_WRITE_FORCE);
    else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(_(report_usage), stdout);
      return 0;
    } else {
      fprintf(stderr, _("hicov report: unexpected argument '%s'\n"), a);
      fputs(_(report_usage), stderr);
      return 2;
    }
  }
  if (strcmp(lang, "vi") && strcmp(lang, "en")) {
    fprintf(stderr, _("hicov report: --lang: expected vi or en, found '%s'\n"),
            lang);
    return 2;
  }
  char ds_files[2][4096];
  size_t nd = hicov_cli_dataset_inputs(dir, ds_files);
  const char *inputs[3] = {
    nd ? ds_files[0] : NULL, nd ? ds_files[1] : NULL,
    resarg && strncmp(resarg, "demo:", 5) ? resarg : NULL
  };
  const char *outs[3] = { out, html, pdf };
  for (size_t i = 0; i < 3; i++) {
    const char *hit = hicov_cli_replaces_input(outs[i], inputs, 3);
    if (hit) {
      fprintf(stderr, _("hicov report: %s would replace a file this command "
                        "reads (%s): write the report elsewhere\n"), outs[i],
              hit);
      return 2;
    }
  }
  HicovDataset *ds = hicov_cli_open_dataset(dir);
  if (!ds)
    return 1;
  hicov_dataset_set_boundaries(ds, boundaries);
  HicovResolution *owned;
  const HicovResolution *res;
  int status = open_resolution(ds, resarg, &owned, &res);
  if (status) {
    hicov_dataset_free(ds);
    return status;
  }

  HicovReport *rep = NULL;
  int rc = hicov_report_new(ds, res, lang, &rep);
  if (rc != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n",
            rep ? hicov_report_errmsg(rep) : _(hicov_status_string(rc)));
    status = 1;
  }
  if (!status)
    status = add_inputs(rep, dir, resarg);
  if (!status && !quiet) {
    const HicovResolution *r = hicov_report_resolution(rep);
    printf("%s – %s\n\n", hicov_resolution_body(r),
           hicov_resolution_number(r));
    for (size_t i = 0; i < hicov_report_assessment_count(rep); i++)
      printf("%s\n\n", hicov_report_sentence(rep, i, lang));
  }
  struct {
    const char *path;
    int (*save)(HicovReport *, const char *);
  } outputs[] = { { out, hicov_report_save },
                  { html, hicov_report_save_html },
                  { pdf, hicov_report_pdf } };
  for (size_t i = 0; !status && i < 3; i++) {
    if (!outputs[i].path)
      continue;
    if (outputs[i].save(rep, outputs[i].path) != HICOV_OK) {
      fprintf(stderr, "hicov report: %s\n", hicov_report_errmsg(rep));
      status = 1;
    } else if (!quiet) {
      printf(_("wrote %s\n"), outputs[i].path);
    }
  }
  hicov_report_free(rep);
  hicov_resolution_free(owned);
  hicov_dataset_free(ds);
  return status;
}
