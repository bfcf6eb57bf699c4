/* cli-report.c - `hicov report` and `hicov adx export|import`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "hicov-report.h"

static const char report_usage[] = N_(
    "usage: hicov report [--data DIR] [--resolution FILE|demo:N]\n"
    "                    [-o REPORT.xml] [--html F] [--pdf F] [--odt F]\n"
    "                    [--docx F] [--lang vi|en] [--time T] [--quiet]\n"
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
    "the profile's fields.\n");

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
                                            { "values.csv", "values" } };
    for (size_t i = 0; i < 2 && !rc; i++) {
      size_t n = strlen(dir) + strlen(files[i][0]) + 2;
      char *path = malloc(n);
      if (!path)
        return 1;
      snprintf(path, n, "%s/%s", dir, files[i][0]);
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
  HicovDataset *ds = hicov_cli_open_dataset(a.dir);
  if (!ds)
    return 1;
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

/* ---- hicov adx --------------------------------------------------------- */

static const char adx_usage[] = N_(
    "usage: hicov adx export [--data DIR] [--unit CODE] [--from YEAR]\n"
    "                        [--to YEAR] [--no-measures] [--no-indicators]\n"
    "                        -o FILE.xml\n"
    "       hicov adx import FILE.xml [--data DIR] [--lenient]\n"
    "Exports annual measures and indicators as IHE ADX (urn:ihe:qrph:adx:2015,\n"
    "the format DHIS2 imports), or imports the measures of an ADX document\n"
    "into the dataset (units must exist) and reports what was imported and\n"
    "what was rejected, with line numbers.  Without --data the demo is used.\n"
    "Import is strict by default: one rejected value and nothing is imported.\n");

static int adx_export(int argc, char **argv)
{
  const char *dir = NULL, *out = NULL;
  HicovAdxExportOptions opt = { NULL, 0, 0, 1, 1, 0 };
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--data") && has)
      dir = argv[++i];
    else if (!strcmp(a, "--unit") && has)
      opt.unit = argv[++i];
    else if (!strcmp(a, "--from") && has)
      opt.first_year = atoi(argv[++i]);
    else if (!strcmp(a, "--to") && has)
      opt.last_year = atoi(argv[++i]);
    else if (!strcmp(a, "--no-measures"))
      opt.measures = 0;
    else if (!strcmp(a, "--no-indicators"))
      opt.indicators = 0;
    else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has)
      out = argv[++i];
    else {
      fprintf(stderr, _("hicov adx export: unexpected argument '%s'\n"), a);
      fputs(_(adx_usage), stderr);
      return 2;
    }
  }
  if (!out) {
    fputs(_("hicov adx export: give the output file with -o\n"), stderr);
    return 2;
  }
  HicovDataset *ds = hicov_cli_open_dataset(dir);
  if (!ds)
    return 1;
  char err[600];
  int rc = hicov_adx_save(ds, &opt, out, err, sizeof err);
  if (rc != HICOV_OK)
    fprintf(stderr, _("hicov adx export: %s\n"), err);
  else
    printf(_("wrote %s\n"), out);
  hicov_dataset_free(ds);
  return rc == HICOV_OK ? 0 : 1;
}

static int adx_import(int argc, char **argv)
{
  const char *dir = NULL, *file = NULL;
  int mode = HICOV_LOAD_STRICT;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--data") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp(a, "--lenient"))
      mode = HICOV_LOAD_LENIENT;
    else if (a[0] != '-' && !file)
      file = a;
    else {
      fprintf(stderr, _("hicov adx import: unexpected argument '%s'\n"), a);
      fputs(_(adx_usage), stderr);
      return 2;
    }
  }
  if (!file) {
    fputs(_("hicov adx import: give the ADX file\n"), stderr);
    return 2;
  }
  HicovDataset *ds = hicov_cli_open_dataset(dir);
  if (!ds)
    return 1;
  HicovAdxImportStats st;
  char *rejections = NULL, err[700] = "";
  int rc = hicov_adx_import_file(ds, file, mode, &st, &rejections, err,
                                 sizeof err);
  if (rejections && mode == HICOV_LOAD_LENIENT)
    fputs(rejections, stderr);
  if (rc != HICOV_OK)
    fprintf(stderr, _("hicov adx import: %s\n"), err[0] ? err :
            _(hicov_status_string(rc)));
  printf(_("%s: %ld values read, %ld imported, %ld derived (indicators, "
           "recomputed from the measures), %ld rejected\n"), file,
         st.values_read, st.values_imported, st.values_derived,
         st.values_rejected);
  hicov_free(rejections);
  hicov_dataset_free(ds);
  return rc == HICOV_OK ? 0 : 1;
}

int hicov_cli_adx(int argc, char **argv)
{
  if (argc >= 2 && !strcmp(argv[1], "export"))
    return adx_export(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "import"))
    return adx_import(argc, argv);
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(_(adx_usage), stdout);
    return 0;
  }
  fputs(_(adx_usage), stderr);
  return 2;
}
