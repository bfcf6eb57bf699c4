/* cli-adx.c - `hicov adx export|import`: DHIS2's ADX and dataValueSets
 * JSON out of a dataset and into one, through a mapping file, merged under
 * a conflict policy and saved with -o. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "hicov-data.h"
#include "hicov-dhis2.h"
#include "hicov-report.h"
#include "report-private.h"

static const char adx_usage[] = N_(
    "usage: hicov adx export [--data DIR] [--unit CODE] [--from YEAR] [--to YEAR]\n"
    "                        [--level leaves|commune|district|province|...|all]\n"
    "                        [--period-type yearly|quarterly|monthly]\n"
    "                        [--groups auto|totals|groups|both] [--indicators]\n"
    "                        [--mapping FILE] [--id-scheme code|uid]\n"
    "                        [--skip-unmapped] [--data-set ID]\n"
    "                        [--complete-date YYYY-MM-DD] [--format adx|json]\n"
    "                        -o FILE [--force]\n"
    "       hicov adx import FILE.xml|FILE.json [--data DIR] [-o DIR]\n"
    "                        [--on-conflict error|replace|keep] [--lenient]\n"
    "                        [--mapping FILE] [--id-scheme code|uid]\n"
    "                        [--format adx|json] [--messages N]\n\n"
    "Export writes the measures as IHE ADX (urn:ihe:qrph:adx:2015) or as\n"
    "DHIS2's dataValueSets JSON (--format json, or a .json file name), ready\n"
    "for POST /api/dataValueSets.  By default every period holds the finest\n"
    "units that have each value, so that DHIS2, which adds units up, counts\n"
    "nothing twice (--level commune: the communes existing at the end of each\n"
    "period; --level all: every unit).  Beneficiary groups are category option\n"
    "combos; --indicators adds the derived indicators.  --mapping FILE gives\n"
    "DHIS2's codes or UIDs (README: DHIS2).\n\n"
    "Import reads an ADX or dataValueSets JSON file (DHIS2's own exports\n"
    "included) into the dataset of --data DIR (default: the demo) through the\n"
    "same mapping, strict by default (one rejected value and nothing is\n"
    "imported), merges it (a value that differs from the dataset's: error,\n"
    "replace or keep) and, with -o DIR, saves the dataset (units.csv and\n"
    "values.csv replaced together; DIR may be --data's).\n");

static void usage_error(const char *what, const char *arg)
{
  fprintf(stderr, _("hicov adx %s: unexpected argument '%s'\n"), what, arg);
  fputs(_(adx_usage), stderr);
}

/* --help or -h: the usage on stdout (and exit status 0). */
static int is_help(const char *a)
{
  return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* The options both directions share: --mapping, --id-scheme, --format. */
typedef struct {
  const char *data, *out, *mapping;
  int scheme, format;
} Common;

/* 1 if argv[*i] was a common option (consumed), 0 if not, -1 bad value. */
static int common_option(int argc, char **argv, int *i, Common *c)
{
  const char *a = argv[*i];
  if (*i + 1 >= argc)
    return 0;
  const char *v = argv[*i + 1];
  if (!strcmp(a, "--data"))
    c->data = v;
  else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
    c->out = v;
  else if (!strcmp(a, "--mapping"))
    c->mapping = v;
  else if (!strcmp(a, "--id-scheme")) {
    c->scheme = !strcasecmp(v, "code") ? HICOV_DHIS2_CODE
              : !strcasecmp(v, "uid") ? HICOV_DHIS2_UID : -1;
    if (c->scheme < 0) {
      fprintf(stderr, _("hicov adx: --id-scheme expects code or uid, found "
                        "'%s'\n"), v);
      return -1;
    }
  } else if (!strcmp(a, "--format")) {
    c->format = !strcmp(v, "adx") ? HICOV_DHIS2_ADX
              : !strcmp(v, "json") ? HICOV_DHIS2_JSON : -2;
    if (c->format == -2) {
      fprintf(stderr, _("hicov adx: --format expects adx or json, found "
                        "'%s'\n"), v);
      return -1;
    }
  } else {
    return 0;
  }
  (*i)++;
  return 1;
}

/* The mapping of --mapping (and --id-scheme), or NULL with *failed 0 when
 * none was given. */
static HicovDhis2Map *open_map(const Common *c, int *failed)
{
  *failed = 0;
  if (!c->mapping && c->scheme < 0)
    return NULL;
  HicovDhis2Map *m;
  char err[700];
  if (hicov_dhis2_map_new(&m)) {
    fputs(_("hicov: out of memory\n"), stderr);
    *failed = 1;
    return NULL;
  }
  if (c->scheme >= 0)
    hicov_dhis2_map_set_scheme(m, -1, c->scheme);
  if (c->mapping && hicov_dhis2_map_load(m, c->mapping, err, sizeof err)) {
    fprintf(stderr, _("hicov adx: %s\n"), err);
    hicov_dhis2_map_free(m);
    *failed = 1;
    return NULL;
  }
  return m;
}

/* ---- export --------------------------------------------------------------- */

static int parse_level(const char *v, HicovAdxExportOptions *opt)
{
  if (!strcmp(v, "leaves"))
    opt->units = HICOV_ADX_LEAVES;
  else if (!strcmp(v, "all"))
    opt->units = HICOV_ADX_ALL;
  else if ((opt->level = hicov_level_parse(v)) >= 0)
    opt->units = HICOV_ADX_LEVEL;
  else
    return -1;
  return 0;
}

/* Parses export's own options; 1 consumed, 0 unknown, -1 bad value. */
static int export_option(int argc, char **argv, int *i,
                         HicovAdxExportOptions *opt)
{
  const char *a = argv[*i];
  int has = *i + 1 < argc;
  const char *v = has ? argv[*i + 1] : "";
  if (!strcmp(a, "--no-measures"))
    opt->measures = 0;
  else if (!strcmp(a, "--indicators"))
    opt->indicators = 1;
  else if (!strcmp(a, "--no-indicators"))
    opt->indicators = 0;
  else if (!strcmp(a, "--skip-unmapped"))
    opt->skip_unmapped = 1;
  else if (!has)
    return 0;
  else {
    if (!strcmp(a, "--unit"))
      opt->unit = v;
    else if (!strcmp(a, "--from"))
      opt->first_year = atoi(v);
    else if (!strcmp(a, "--to"))
      opt->last_year = atoi(v);
    else if (!strcmp(a, "--data-set"))
      opt->data_set = v;
    else if (!strcmp(a, "--complete-date"))
      opt->complete_date = v;
    else if (!strcmp(a, "--level")) {
      if (parse_level(v, opt)) {
        fprintf(stderr, _("hicov adx export: --level expects leaves, all, "
                          "country, province, district, commune or "
                          "facility, found '%s'\n"), v);
        return -1;
      }
    } else if (!strcmp(a, "--period-type")) {
      opt->period_type = !strcmp(v, "yearly") ? HICOV_PERIOD_YEAR
                       : !strcmp(v, "quarterly") ? HICOV_PERIOD_QUARTER
                       : !strcmp(v, "monthly") ? HICOV_PERIOD_MONTH : -1;
      if (opt->period_type < 0) {
        fprintf(stderr, _("hicov adx export: --period-type expects yearly, "
                          "quarterly or monthly, found '%s'\n"), v);
        return -1;
      }
    } else if (!strcmp(a, "--groups")) {
      opt->groups = !strcmp(v, "auto") ? HICOV_ADX_GROUPS_AUTO
                  : !strcmp(v, "totals") ? HICOV_ADX_GROUPS_TOTALS
                  : !strcmp(v, "groups") ? HICOV_ADX_GROUPS_ONLY
                  : !strcmp(v, "both") ? HICOV_ADX_GROUPS_BOTH : -1;
      if (opt->groups < 0) {
        fprintf(stderr, _("hicov adx export: --groups expects auto, totals, "
                          "groups or both, found '%s'\n"), v);
        return -1;
      }
    } else {
      return 0;
    }
    (*i)++;
  }
  return 1;
}

/* How to send the file to DHIS2, with the identifier schemes it needs. */
static void print_upload(const HicovDhis2Map *map, int format)
{
  printf("%s", _("DHIS2: POST /api/dataValueSets?dryRun=true"));
  if (format == HICOV_DHIS2_ADX)
    for (int k = 0; k < HICOV_DHIS2_N_KINDS; k++)
      printf("&%s=%s", hicov_dhis2_scheme_param(k),
             hicov_dhis2_scheme_name(hicov_dhis2_map_scheme(map, k)));
  printf(_(" with Content-Type: %s; check the import summary, then send it "
           "again without dryRun=true\n"), format == HICOV_DHIS2_ADX
         ? "application/adx+xml" : "application/json");
}

static int adx_export(int argc, char **argv)
{
  Common c = { NULL, NULL, NULL, -1, -1 };
  HicovAdxExportOptions opt;
  memset(&opt, 0, sizeof opt);
  opt.measures = 1;
  for (int i = 2; i < argc; i++) {
    if (is_help(argv[i])) {
      fputs(_(adx_usage), stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--force")) { /* replace a read-only file */
      report_write_default_flags(REPORT_WRITE_FORCE);
      continue;
    }
    int r = common_option(argc, argv, &i, &c);
    if (r == 0)
      r = export_option(argc, argv, &i, &opt);
    if (r < 0)
      return 2;
    if (r == 0) {
      usage_error("export", argv[i]);
      return 2;
    }
  }
  if (!c.out) {
    fputs(_("hicov adx export: give the output file with -o\n"), stderr);
    return 2;
  }
  char ds_files[2][4096];
  size_t nd = hicov_cli_dataset_inputs(c.data, ds_files);
  const char *inputs[2] = { nd ? ds_files[0] : NULL, nd ? ds_files[1] : NULL };
  const char *hit = hicov_cli_replaces_input(c.out, inputs, 2);
  if (hit) {
    fprintf(stderr, _("hicov adx export: -o %s would replace a file this "
                      "command reads (%s): write the export elsewhere\n"),
            c.out, hit);
    return 2;
  }
  int format = c.format >= 0 ? c.format : hicov_dhis2_format_of_path(c.out);
  int failed;
  HicovDhis2Map *map = open_map(&c, &failed);
  if (failed)
    return 1;
  HicovDataset *ds = hicov_cli_open_dataset(c.data);
  if (!ds) {
    hicov_dhis2_map_free(map);
    return 1;
  }
  opt.map = map;
  char err[1200], *notes = NULL;
  HicovDhis2ExportStats st;
  int rc = hicov_dhis2_save(ds, &opt, format, c.out, &st, &notes, err,
                            sizeof err);
  if (notes)
    fputs(notes, stderr);
  if (rc != HICOV_OK) {
    fprintf(stderr, _("hicov adx export: %s\n"), err);
  } else {
    printf(_("wrote %s: "), c.out);
    printf(hicov_ntext(NULL, "%ld value", "%ld values",
                       (unsigned long)st.values), st.values);
    printf(", ");
    printf(hicov_ntext(NULL, "%ld org unit", "%ld org units",
                       (unsigned long)st.org_units), st.org_units);
    printf(", ");
    printf(hicov_ntext(NULL, "%ld period", "%ld periods",
                       (unsigned long)st.periods), st.periods);
    printf("\n");
    if (st.unmapped)
      printf(_("left out: %ld values the mapping does not name\n"),
             st.unmapped);
    if (st.partial)
      printf(_("%ld unit totals where the units below hold only some values, "
               "or another sum (the notes say which)\n"), st.partial);
    print_upload(map, format);
  }
  hicov_free(notes);
  hicov_dataset_free(ds);
  hicov_dhis2_map_free(map);
  return rc == HICOV_OK ? 0 : 1;
}

/* ---- import --------------------------------------------------------------- */

/* The first max lines of text, and how many more there were. */
static void print_lines(const char *text, long max, const char *prefix)
{
  long shown = 0, more = 0;
  for (const char *p = text; p && *p;) {
    const char *nl = strchr(p, '\n');
    int n = (int)(nl ? nl - p : (long)strlen(p));
    if (shown < max) {
      fprintf(stderr, "%s%.*s\n", prefix, n, p);
      shown++;
    } else {
      more++;
    }
    p = nl ? nl + 1 : p + n;
  }
  if (more)
    fprintf(stderr, _("(%ld more lines not shown; --messages N shows more)\n"),
            more);
}

/* Merges r into ds and saves it to out; the exit status. */
static int merge_and_save(HicovDhis2Read *r, HicovDataset *ds, int policy,
                          const char *out, long max_msgs)
{
  HicovMergeStats ms;
  char *conflicts = NULL, err[1200];
  int rc = hicov_dhis2_read_merge(r, ds, policy, NULL, &ms, &conflicts);
  if (conflicts)
    print_lines(conflicts, max_msgs, policy == HICOV_CONFLICT_ERROR
                                         ? _("conflict ") : "");
  hicov_free(conflicts);
  if (rc != HICOV_OK) {
    fprintf(stderr, _("hicov adx import: %s\n"), hicov_dataset_errmsg(ds));
    if (out)
      fprintf(stderr, _("hicov adx import: %s not written: nothing was "
                        "changed\n"), out);
    return 1;
  }
  hicov_cli_print_merged(ms.added, ms.replaced, ms.kept, ms.unchanged);
  if (!out) {
    printf("%s", _("not saved: give -o DIR to write the merged dataset\n"));
    return 0;
  }
  if (hicov_dataset_save(ds, out, err, sizeof err) != HICOV_OK) {
    fprintf(stderr, _("hicov adx import: %s\n"), err);
    return 1;
  }
  printf(_("wrote %s (units.csv, values.csv)\n"), out);
  return 0;
}

static int adx_import(int argc, char **argv)
{
  Common c = { NULL, NULL, NULL, -1, -1 };
  const char *file = NULL;
  int mode = HICOV_LOAD_STRICT, policy = HICOV_CONFLICT_ERROR;
  long max_msgs = 50;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (is_help(a)) {
      fputs(_(adx_usage), stdout);
      return 0;
    }
    int r = common_option(argc, argv, &i, &c);
    if (r < 0)
      return 2;
    if (r > 0)
      continue;
    if (!strcmp(a, "--lenient")) {
      mode = HICOV_LOAD_LENIENT;
    } else if (!strcmp(a, "--messages") && i + 1 < argc) {
      max_msgs = atol(argv[++i]);
    } else if (!strcmp(a, "--on-conflict") && i + 1 < argc) {
      if ((policy = hicov_conflict_policy_parse(argv[++i])) < 0) {
        fprintf(stderr, _("hicov adx import: --on-conflict expects error, "
                          "replace or keep, found '%s'\n"), argv[i]);
        return 2;
      }
    } else if (a[0] != '-' && !file) {
      file = a;
    } else {
      usage_error("import", a);
      return 2;
    }
  }
  if (!file) {
    fputs(_("hicov adx import: give the ADX or JSON file\n"), stderr);
    return 2;
  }
  int failed;
  HicovDhis2Map *map = open_map(&c, &failed);
  if (failed)
    return 1;
  HicovDataset *ds = hicov_cli_open_dataset(c.data);
  if (!ds) {
    hicov_dhis2_map_free(map);
    return 1;
  }
  HicovDhis2Read *r = NULL;
  int rc = hicov_dhis2_read_file(ds, file, c.format, map, mode, &r);
  const char *rej = hicov_dhis2_read_rejections(r);
  if (rej)
    print_lines(rej, max_msgs, "");
  HicovDhis2Counts k;
  hicov_dhis2_read_counts(r, &k);
  int status = 0;
  if (rc != HICOV_OK) {
    fprintf(stderr, _("hicov adx import: %s\n"), r && hicov_dhis2_read_errmsg(r)[0]
            ? hicov_dhis2_read_errmsg(r) : _(hicov_status_string(rc)));
    if (c.out)
      fprintf(stderr, _("hicov adx import: %s not written: nothing was "
                        "changed\n"), c.out);
    status = 1;
  }
  /* the counts of a file read, if only in part: none for one that could
     not be opened or held no value before its fault */
  if (!status || k.values_read > 0)
    printf(_("%s: %ld values read, %ld imported, %ld derived (indicators, "
             "recomputed from the measures), %ld rejected\n"), file,
           k.values_read, k.values_accepted, k.values_derived,
           k.values_rejected);
  if (!status)
    status = merge_and_save(r, ds, policy, c.out, max_msgs);
  hicov_dhis2_read_free(r);
  hicov_dataset_free(ds);
  hicov_dhis2_map_free(map);
  return status;
}

int hicov_cli_adx(int argc, char **argv)
{
  if (argc >= 2 && !strcmp(argv[1], "export"))
    return adx_export(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "import"))
    return adx_import(argc, argv);
  if (argc >= 2 && is_help(argv[1])) {
    fputs(_(adx_usage), stdout);
    return 0;
  }
  fputs(_(adx_usage), stderr);
  return 2;
}
