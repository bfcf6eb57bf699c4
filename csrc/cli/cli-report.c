/* cli-report.c - `hicov report`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "cli.h"
#include "hicov-report.h"
#include "report-private.h"

static const char report_usage[] = N_(
    "usage: hicov report [--data DIR] [--resolution FILE|demo:N]\n"
    "                    [-o REPORT.xml] [--html F] [--pdf F] [--odt F]\n"
    "                    [--docx F] [--lang vi|en] [--time T] [--quiet]\n"
    "                    [--boundaries today|as-published] [--force]\n"
    "                    [--issuer FILE] [--agency A] [--parent-agency P]\n"
    "                    [--number N] [--place P] [--signer NAME]\n"
    "                    [--signer-title T] [--signer-authority A]\n"
    "                    [--recipient R]... [--archive A]\n"
    "Reports how far the unit of a resolution has come on its targets:\n"
    "status, gap, people still needed, required growth and projection for\n"
    "every target, tables by child unit and by year, data-quality findings\n"
    "and provenance.  Writes the XML (-o), HTML (--html), A4 PDF (--pdf)\n"
    "and the editable administrative document (Nghị định 30/2020) as ODT\n"
    "(--odt) and DOCX (--docx), and prints the report's sentences.  The\n"
    "files are written together: each to a temporary file first, then all\n"
    "renamed into place at the end, so that a failure or an interrupt\n"
    "leaves the previous set whole.\n"
    "Without --data the built-in demo is used; without --resolution, the\n"
    "dataset's first resolution (demo:0 is Lang Son 2020-2025, demo:1\n"
    "Lang Son 2025-2030).  --lang picks the labels (default vi).  --time\n"
    "(2026-12-07, 2026-12-07T08:00:00Z or Unix seconds) dates the report;\n"
    "by default $SOURCE_DATE_EPOCH, else now.  The issuing agency, its\n"
    "number, place, signer and recipients come from --issuer (an issuer\n"
    "profile, reports/issuer.xsd) and the options after it, which override\n"
    "the profile's fields.  An output never replaces an input of the\n"
    "command, nor a read-only file unless --force.  Comparisons, the\n"
    "year-by-year table, the projection and the baseline are on today's\n"
    "boundaries (a unit's earlier years include the units merged into it\n"
    "since); --boundaries as-published takes every figure as published at\n"
    "the time.  The provenance says which.\n");

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
    if (!hicov_dataset_resolution_count(ds)) {
      fprintf(stderr, _("hicov report: --resolution %s: the dataset carries "
                        "no resolution: give one as a file with --resolution "
                        "FILE (e.g. reports/examples/)\n"), arg);
      return 2;
    }
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

/* The command's options. */
typedef struct {
  const char *dir, *resarg, *lang, *time, *issuer_file;
  const char *out[5];       /* xml, html, pdf, odt, docx */
  HicovIssuer issuer;       /* from the options; NULL fields: the file's */
  const char *recipients[50];
  size_t nrecipients;
  int quiet;
  int boundaries;           /* HicovBoundaries */
} ReportArgs;

enum { OUT_XML, OUT_HTML, OUT_PDF, OUT_ODT, OUT_DOCX, N_OUT };

/* A value option: "--name value" into *slot. */
static int take(int argc, char **argv, int *i, const char *name,
                const char **slot)
{
  if (strcmp(argv[*i], name) || *i + 1 >= argc)
    return 0;
  *slot = argv[++*i];
  return 1;
}

/* 0 parsed, 1 --help shown, 2 a usage error. */
static int parse_report_args(int argc, char **argv, ReportArgs *a)
{
  static const char *const outs[N_OUT] = { "-o", "--html", "--pdf", "--odt",
                                           "--docx" };
  memset(a, 0, sizeof *a);
  a->lang = "vi";
  a->boundaries = HICOV_BOUNDARIES_TODAY;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int done = take(argc, argv, &i, "--data", &a->dir) ||
               take(argc, argv, &i, "--resolution", &a->resarg) ||
               take(argc, argv, &i, "--output", &a->out[OUT_XML]) ||
               take(argc, argv, &i, "--lang", &a->lang) ||
               take(argc, argv, &i, "--time", &a->time) ||
               take(argc, argv, &i, "--issuer", &a->issuer_file) ||
               take(argc, argv, &i, "--agency", &a->issuer.agency) ||
               take(argc, argv, &i, "--parent-agency",
                    &a->issuer.parent_agency) ||
               take(argc, argv, &i, "--number", &a->issuer.number) ||
               take(argc, argv, &i, "--place", &a->issuer.place) ||
               take(argc, argv, &i, "--signer", &a->issuer.signer_name) ||
               take(argc, argv, &i, "--signer-title",
                    &a->issuer.signer_title) ||
               take(argc, argv, &i, "--signer-authority",
                    &a->issuer.signer_authority) ||
               take(argc, argv, &i, "--archive", &a->issuer.archive);
    for (int k = 0; !done && k < N_OUT; k++)
      done = take(argc, argv, &i, outs[k], &a->out[k]);
    if (!done && a->nrecipients < 50)
      done = take(argc, argv, &i, "--recipient",
                  &a->recipients[a->nrecipients]) && ++a->nrecipients;
    if (done)
      continue;
    if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
      a->quiet = 1;
    } else if (!strcmp(arg, "--boundaries") && i + 1 < argc) {
      if (hicov_cli_boundaries("report", argv[++i], &a->boundaries))
        return 2;
    } else if (!strcmp(arg, "--force")) {
      report_write_default_flags(REPORT_WRITE_FORCE);
    } else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      fputs(_(report_usage), stdout);
      return 1;
    } else {
      fprintf(stderr, _("hicov report: unexpected argument '%s'\n"), arg);
      fputs(_(report_usage), stderr);
      return 2;
    }
  }
  if (strcmp(a->lang, "vi") && strcmp(a->lang, "en")) {
    fprintf(stderr, _("hicov report: --lang: expected vi or en, found '%s'\n"),
            a->lang);
    return 2;
  }
  return 0;
}

/* An output that is also an input of the command is refused. */
static int refuse_replacing_inputs(const ReportArgs *a)
{
  char ds_files[2][4096];
  size_t nd = hicov_cli_dataset_inputs(a->dir, ds_files);
  const char *inputs[3] = {
    nd ? ds_files[0] : NULL, nd ? ds_files[1] : NULL,
    a->resarg && strncmp(a->resarg, "demo:", 5) ? a->resarg : NULL
  };
  for (size_t i = 0; i < N_OUT; i++) {
    const char *hit = hicov_cli_replaces_input(a->out[i], inputs, 3);
    if (hit) {
      fprintf(stderr, _("hicov report: %s would replace a file this command "
                        "reads (%s): write the report elsewhere\n"),
              a->out[i], hit);
      return 1;
    }
  }
  return 0;
}

/* --time: Unix seconds, or an ISO 8601 date or UTC time. */
static int parse_time(const char *s, int64_t *out)
{
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*s && !*end && v >= 0) {
    *out = v;
    return 0;
  }
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  const char *rest = strptime(s, "%Y-%m-%d", &tm);
  if (rest && *rest)
    rest = strptime(rest, "T%H:%M:%SZ", &tm);
  if (!rest || *rest)
    return -1;
  *out = (int64_t)timegm(&tm);
  return 0;
}

/* The issuer: the profile's fields, overridden by the options. */
static int set_issuer(HicovReport *rep, ReportArgs *a)
{
  HicovIssuer *file = NULL;
  if (a->issuer_file) {
    char err[600];
    if (hicov_issuer_load_file(a->issuer_file, &file, err, sizeof err) !=
        HICOV_OK) {
      fprintf(stderr, "hicov report: --issuer: %s\n", err);
      return 1;
    }
  }
  HicovIssuer is = file ? *file : (HicovIssuer){ 0 };
  const char **fields[] = { &is.parent_agency, &is.agency, &is.number,
                            &is.place, &is.signer_authority, &is.signer_title,
                            &is.signer_name, &is.archive };
  const char *given[] = { a->issuer.parent_agency, a->issuer.agency,
                          a->issuer.number, a->issuer.place,
                          a->issuer.signer_authority, a->issuer.signer_title,
                          a->issuer.signer_name, a->issuer.archive };
  for (size_t i = 0; i < sizeof given / sizeof *given; i++)
    if (given[i])
      *fields[i] = given[i];
  if (a->nrecipients) {
    is.recipients = a->recipients;
    is.n_recipients = a->nrecipients;
  }
  int rc = hicov_report_set_issuer(rep, &is);
  hicov_issuer_free(file);
  if (rc != HICOV_OK)
    fprintf(stderr, "hicov report: %s\n", _(hicov_status_string(rc)));
  return rc == HICOV_OK ? 0 : 1;
}

typedef int (*RenderFn)(HicovReport *, char **, size_t *);

/* Renders every output asked for into a set of temporary files, then puts
 * them all in place: a failure leaves every earlier file as it was. */
static int write_outputs(HicovReport *rep, const ReportArgs *a)
{
  RenderFn render[N_OUT] = { hicov_report_xml, hicov_report_html,
                             hicov_report_pdf_buffer, hicov_report_odt,
                             hicov_report_docx };
  int need_figures = a->out[OUT_HTML] || a->out[OUT_ODT] || a->out[OUT_DOCX];
  if (need_figures && hicov_report_draw_figures(rep) != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n", hicov_report_errmsg(rep));
    return 1;
  }
  HicovFileSet *set = NULL;
  if (hicov_file_set_new(&set) != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n", _(hicov_status_string(HICOV_NOMEM)));
    return 1;
  }
  int status = 0;
  for (int k = 0; k < N_OUT && !status; k++) {
    if (!a->out[k])
      continue;
    char *buf = NULL;
    size_t len = 0;
    if (render[k](rep, &buf, &len) != HICOV_OK) {
      fprintf(stderr, "hicov report: %s\n", hicov_report_errmsg(rep));
      status = 1;
    } else if (hicov_file_set_add(set, a->out[k], buf, len) != HICOV_OK) {
      fprintf(stderr, "hicov report: %s\n", hicov_file_set_errmsg(set));
      status = 1;
    }
    hicov_free(buf);
  }
  if (!status && hicov_file_set_commit(set) != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n", hicov_file_set_errmsg(set));
    status = 1;
  }
  for (int k = 0; k < N_OUT && !status && !a->quiet; k++)
    if (a->out[k])
      printf(_("wrote %s\n"), a->out[k]);
  hicov_file_set_free(set);
  return status;
}

int hicov_cli_report(int argc, char **argv)
{
  ReportArgs a;
  int status = parse_report_args(argc, argv, &a);
  if (status)
    return status == 1 ? 0 : status;
  int64_t when = 0;
  if (a.time && parse_time(a.time, &when) != 0) {
    fprintf(stderr, _("hicov report: --time: expected 2026-12-07, "
                      "2026-12-07T08:00:00Z or Unix seconds, found '%s'\n"),
            a.time);
    return 2;
  }
  if (refuse_replacing_inputs(&a))
    return 2;
  HicovDataset *ds = hicov_cli_open_dataset(a.dir);
  if (!ds)
    return 1;
  hicov_dataset_set_boundaries(ds, a.boundaries);
  HicovResolution *owned;
  const HicovResolution *res;
  status = open_resolution(ds, a.resarg, &owned, &res);
  if (status) {
    hicov_dataset_free(ds);
    return status;
  }
  HicovReport *rep = NULL;
  int rc = hicov_report_new(ds, res, a.lang, &rep);
  if (rc != HICOV_OK) {
    fprintf(stderr, "hicov report: %s\n",
            rep ? hicov_report_errmsg(rep) : _(hicov_status_string(rc)));
    status = 1;
  }
  if (!status && a.time)
    hicov_report_set_time(rep, when);
  if (!status)
    status = add_inputs(rep, a.dir, a.resarg);
  if (!status)
    status = set_issuer(rep, &a);
  if (!status && !a.quiet) {
    const HicovResolution *r = hicov_report_resolution(rep);
    printf("%s – %s\n\n", hicov_resolution_body(r),
           hicov_resolution_number(r));
    for (size_t i = 0; i < hicov_report_assessment_count(rep); i++)
      printf("%s\n\n", hicov_report_sentence(rep, i, a.lang));
  }
  if (!status)
    status = write_outputs(rep, &a);
  hicov_report_free(rep);
  hicov_resolution_free(owned);
  hicov_dataset_free(ds);
  return status;
}
