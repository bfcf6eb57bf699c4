/* cli-claims.c - `hicov claims`: read claims files, print the
 * reconciliation and totals, optionally write the aggregates as values.csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hicov-claims.h"
#include "hicov-core.h"
#include "hicov-data.h"
#include "hicov-format.h"
#include "report-private.h"

static void usage(FILE *f)
{
  fputs(_(
    "usage: hicov claims [--data DIR] [--threads N] [--progress] [--messages N]\n"
    "                    [--source TEXT] [-o values.csv|DIR [--force]]\n"
    "                    [--on-conflict error|replace|keep] FILES|DIRS...\n\n"
    "Reads BHYT claims (XML1 summaries): GIAMDINHHS envelopes, plain XML of\n"
    "TONG_HOP records, or CSV with XML1 field names; folders are searched.\n"
    "Prints read N, accepted A, rejected R (by reason), what was tolerated and\n"
    "the totals.\n\n"
    "  --data DIR     dataset whose facility units give the commune, district\n"
    "                 and province of each facility (patients per unit, the\n"
    "                 commune-tier share of visits)\n"
    "  --threads N    worker threads (default: all CPUs)\n"
    "  --progress     show a progress bar even when stderr is not a terminal\n"
    "  --messages N   print at most N rejection/flag messages (default 20;\n"
    "                 the files that failed are always printed)\n"
    "  --source TEXT  source column of values.csv (default: claims)\n"
    "  -o FILE.csv    write the aggregates in the values.csv format, once every\n"
    "                 file was read (never over an input of the command)\n"
    "  -o DIR         merge the aggregates into the dataset of --data and save\n"
    "                 it as DIR (units.csv and values.csv replaced together;\n"
    "                 DIR may be --data's)\n"
    "  --on-conflict P  with -o DIR, a value that differs from the dataset's:\n"
    "                 error (the default: nothing is saved), replace or keep\n"
    "  --force        replace FILE even when it is read-only\n\n"
    "Duplicate keys and patient entries beyond about 10 MB, and cells beyond\n"
    "524,288 (25 MB), go to temporary files in $TMPDIR (default /tmp): about\n"
    "8 bytes a record, 24 a patient per facility and month and, past the cell\n"
    "budget, up to 40 a record.\n"), f);
}

typedef struct {
  double t0;
  int shown;
} ProgressState;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_progress(const HicovClaimsProgress *p, void *user)
{
  ProgressState *st = user;
  double frac = p->bytes_total > 0 ? (double)p->bytes_done / (double)p->bytes_total : 1;
  if (frac > 1)
    frac = 1;
  int w = 30, fill = (int)(frac * w);
  double el = now() - st->t0;
  char bar[64];
  for (int i = 0; i < w; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[w] = 0;
  char done[32], total[32], mbs[32], recs[32];
  fputc('\r', stderr);
  fprintf(stderr, _("[%s] %3.0f%%  %s/%s files  %s MB/s  %s records "),
          bar, frac * 100,
          hicov_cli_count((long long)p->files_done, done, sizeof done),
          hicov_cli_count((long long)p->files_total, total, sizeof total),
          hicov_cli_number(el > 0 ? (double)p->bytes_done / 1e6 / el : 0.0, 0,
                           mbs, sizeof mbs),
          hicov_cli_count((long long)p->records, recs, sizeof recs));
  st->shown = 1;
  return 0;
}

/* Money in the language of the command's text, exact from centi: the
 * đồng and the hundredths formatted apart by the core ("1,234,567" and
 * "0.89": "1,234,567.89"; in Vietnamese "1.234.567,89"), so that no total
 * below 10^15 đồng loses its hundredths to a double's 15 digits. */
static const char *money(int64_t centi, char *buf, size_t size)
{
  const char *lang = hicov_text_lang(NULL);
  uint64_t mag = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
  char whole[64], cents[64];
  hicov_format_number((double)(mag / 100), 0, lang, whole, sizeof whole);
  hicov_format_number((double)(mag % 100) / 100.0, 2, lang, cents,
                      sizeof cents);
  snprintf(buf, size, "%s%s%s", centi < 0 ? "-" : "", whole, cents + 1);
  return buf;
}


/* The command line of `hicov claims`. */
typedef struct {
  const char *data, *out, *source;
  int threads, force_progress, force;
  int policy; /* HicovConflictPolicy, for -o DIR */
  long max_msgs;
  const char **paths; /* argv's, in order */
  size_t n_paths;
} ClaimsArgs;

/* -o FILE.csv writes values.csv; any other -o is a dataset folder. */
static int is_csv_path(const char *path)
{
  size_t n = strlen(path);
  return n >= 4 && !strcasecmp(path + n - 4, ".csv");
}

/* Parses argv into a (a->paths to free); returns -1 to go on, else the
 * exit status (0 after --help, 2 for a usage error, 1 out of memory). */
static int parse_args(int argc, char **argv, ClaimsArgs *a)
{
  memset(a, 0, sizeof *a);
  a->source = "claims";
  a->max_msgs = 20;
  a->paths = calloc((size_t)argc, sizeof *a->paths);
  if (!a->paths)
    return 1;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(s, "--data") && i + 1 < argc) {
      a->data = argv[++i];
    } else if (!strcmp(s, "--threads") && i + 1 < argc) {
      a->threads = atoi(argv[++i]);
      if (a->threads < 1) {
        fprintf(stderr, _("hicov claims: --threads expects a number of 1 or "
                          "more, found '%s'\n"), argv[i]);
        return 2;
      }
    } else if (!strcmp(s, "--messages") && i + 1 < argc) {
      a->max_msgs = atol(argv[++i]);
    } else if (!strcmp(s, "--source") && i + 1 < argc) {
      a->source = argv[++i];
    } else if (!strcmp(s, "--progress")) {
      a->force_progress = 1;
    } else if (!strcmp(s, "--force")) {
      a->force = 1;
    } else if (!strcmp(s, "-o") && i + 1 < argc) {
      a->out = argv[++i];
    } else if (!strcmp(s, "--on-conflict") && i + 1 < argc) {
      if ((a->policy = hicov_conflict_policy_parse(argv[++i])) < 0) {
        fprintf(stderr, _("hicov claims: --on-conflict expects error, replace "
                          "or keep, found '%s'\n"), argv[i]);
        return 2;
      }
    } else if (s[0] == '-' && s[1]) {
      fprintf(stderr, _("hicov claims: unknown option '%s'\n"), s);
      usage(stderr);
      return 2;
    } else {
      a->paths[a->n_paths++] = s;
    }
  }
  if (!a->n_paths) {
    usage(stderr);
    return 2;
  }
  /* -o over what the command reads would lose it (the dataset's own
     values.csv, a claims file): told first, whatever -o names; -o DIR
     saves the dataset as a whole (DIR may be --data's) */
  char ds_files[2][4096];
  size_t nd = hicov_cli_dataset_inputs(a->data, ds_files);
  const char *ds_in[2] = { nd ? ds_files[0] : NULL, nd ? ds_files[1] : NULL };
  const char *hit = NULL;
  if (a->out && is_csv_path(a->out))
    hit = hicov_cli_replaces_input(a->out, ds_in, 2);
  if (a->out && !hit)
    hit = hicov_cli_replaces_input(a->out, a->paths, a->n_paths);
  if (hit) {
    fprintf(stderr, _("hicov claims: -o %s would replace a file this command "
                      "reads (%s): write the values elsewhere\n"), a->out, hit);
    return 2;
  }
  struct stat st;
  if (a->out && !is_csv_path(a->out) && !stat(a->out, &st) &&
      !S_ISDIR(st.st_mode)) {
    fprintf(stderr, _("hicov claims: -o %s is a file but not a .csv one: "
                      "give FILE.csv for the values, or a folder (with "
                      "--data DIR) for the dataset\n"), a->out);
    return 2;
  }
  if (a->out && !is_csv_path(a->out) && !a->data) {
    fprintf(stderr, _("hicov claims: -o %s does not end in .csv, so it names "
                      "a dataset folder: give the dataset the claims join "
                      "with --data DIR (or a .csv file for the values "
                      "alone)\n"), a->out);
    return 2;
  }
  return -1;
}

/* Counts are grouped as the rest of the command's numbers are
 * (hicov_cli_count: "1.234.567" in Vietnamese); C(n) is one in a buffer of
 * its own (a compound literal, alive to the end of the block). */
#define C(n) hicov_cli_count((long long)(n), (char[32]){ 0 }, 32)

/* The reconciliation: read = accepted + rejected by reason, what was
 * tolerated, the files and the speed (el seconds). */
static void print_counts(const HicovClaimsCounts *k, double el)
{
  printf(_("read %s, accepted %s, rejected %s\n"), C(k->records_read),
         C(k->accepted), C(k->rejected));
  for (int r = 0; r < HICOV_CLAIMS_N_REJECT; r++)
    if (k->rejected_by[r])
      printf(_("  rejected %-16s %s\n"), hicov_claims_reject_name(r),
             C(k->rejected_by[r]));
  if (k->flagged || k->flagged_by[HICOV_CLAIMS_FLAG_HOSO_COUNT]) {
    printf(_("tolerated (accepted with a flag): %s records\n"),
           C(k->flagged));
    static const char *const what[HICOV_CLAIMS_N_FLAG] = {
      N_("\"NaN\" amount read as 0"), N_("comma decimal read as a point"),
      N_("no card: patient by MA_BN, group UNK"),
      N_("malformed card (e.g. 14 characters): patient by MA_BN"),
      N_("only the social-insurance number: group UNK"),
      N_("several cards: the first one used"),
      N_("SO_NGAY_DTRI absent: days from NGAY_VAO/NGAY_RA"),
      N_("MA_CSKCB absent: envelope MACSKCB used"),
      N_("no card and no MA_BN: the visit is its own patient"),
      N_("files whose SOLUONGHOSO differs from the HOSO found"),
    };
    for (int f = 0; f < HICOV_CLAIMS_N_FLAG; f++)
      if (k->flagged_by[f])
        printf("  %-18s %s  (%s)\n", hicov_claims_flag_name(f),
               C(k->flagged_by[f]), _(what[f]));
  }
  char mb[64], sec[64], mbs[64], rps[64];
  double mbytes = (double)k->bytes_read / 1e6;
  hicov_cli_number(mbytes, 1, mb, sizeof mb);
  hicov_cli_number(el, 2, sec, sizeof sec);
  hicov_cli_number(el > 0 ? mbytes / el : 0.0, 0, mbs, sizeof mbs);
  hicov_cli_number(el > 0 ? (double)k->records_read / el : 0.0, 0, rps,
                   sizeof rps);
  printf(_("files %s (%s failed), %s MB in %s s: %s MB/s, %s "
           "records/s, %s era 4210 / %s era 130\n"), C(k->files_read),
         C(k->files_failed), mb, sec, mbs, rps, C(k->records_4210),
         C(k->records_130));
}

/* The totals, and with a dataset the commune-tier share of visits.
 * Returns 1 when the totals failed, else 0. */
static int print_totals(HicovClaims *c, const HicovDataset *ds)
{
  HicovClaimsTotals t;
  if (hicov_claims_totals(c, &t)) {
    fprintf(stderr, _("hicov claims: no totals: %s\n"), hicov_claims_errmsg(c));
    return 1;
  }
  if (!t.visits)
    return 0;
  char b1[140], b2[140], b3[140], p1[16], p2[16];
  hicov_period_format(hicov_period_range(t.first_month, t.first_month), p1, sizeof p1);
  hicov_period_format(hicov_period_range(t.last_month, t.last_month), p2, sizeof p2);
  printf(_("settled %s..%s: visits %s (inpatient %s, %s days), "
           "patients %s, facilities %s\n"), p1, p2, C(t.visits),
         C(t.inpatient_visits), C(t.inpatient_days), C(t.patients),
         C(t.facilities));
  printf(_("total cost %s VND, fund paid %s VND, co-payment %s VND\n"),
         money(t.total_cost, b1, sizeof b1), money(t.fund_paid, b2, sizeof b2),
         money(t.copay, b3, sizeof b3));
  if (ds) {
    int64_t tiers[5];
    if (!hicov_claims_tier_visits(c, ds, tiers)) {
      /* over the visits at facilities of the dataset: the others' tier is
         not known */
      int64_t known = tiers[HICOV_TIER_COMMUNE] + tiers[HICOV_TIER_DISTRICT] +
                      tiers[HICOV_TIER_PROVINCE] + tiers[HICOV_TIER_CENTRAL];
      char pct[64];
      if (known > 0) {
        hicov_format_percent(100.0 * (double)tiers[HICOV_TIER_COMMUNE] /
                             (double)known, 1, hicov_text_lang(NULL), pct,
                             sizeof pct);
        printf(_("commune-tier share of visits: %s"), pct);
      } else {
        fputs(_("commune-tier share of visits: not available"), stdout);
      }
      if (tiers[HICOV_TIER_NONE])
        printf(_(" (%s visits at facilities not in the dataset left out)"),
               C(tiers[HICOV_TIER_NONE]));
      printf("\n");
    }
  }
  return 0;
}

/* At most max_msgs messages, the files' failures first, and how many more
 * there were. */
static void print_messages(HicovClaims *c, const HicovClaimsCounts *k,
                           long max_msgs)
{
  size_t nm = hicov_claims_message_count(c);
  long shown = 0;
  /* a file that failed, whatever --messages says: the values are not
     written because of it; notes are no failures, but a skipped folder or
     a file with nothing to read is worth a line too */
  for (size_t i = 0; i < nm; i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == HICOV_CLAIMS_MSG_FILE)
      fprintf(stderr, "hicov claims: %s\n", m.message);
  }
  for (size_t i = 0; i < nm; i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == HICOV_CLAIMS_MSG_NOTE)
      fprintf(stderr, _("note: %s\n"), m.message);
  }
  for (size_t i = 0; i < nm && shown < max_msgs; i++) {
    HicovClaimsMessage m;
    hicov_claims_message(c, i, &m);
    if (m.kind == HICOV_CLAIMS_MSG_REJECT || m.kind == HICOV_CLAIMS_MSG_FLAG) {
      fprintf(stderr, "%s: %s\n", m.kind == HICOV_CLAIMS_MSG_REJECT ?
              _("rejected") : _("tolerated"), m.message);
      shown++;
    }
  }
  /* records rejected with their file have the file's message only */
  int64_t all = k->rejected - k->rejected_by[HICOV_CLAIMS_REJECT_FILE] +
                k->flagged;
  if (all > shown && nm)
    fprintf(stderr, _("(%s more messages not shown; --messages N shows "
                      "more)\n"), C(all - shown));
}

typedef struct {
  const char *path;
  unsigned flags;
  ReportAtomicStream *s;
  int failed; /* the file's failure, in err */
  char err[512];
} ValuesOut;

/* Opens the file at the first piece: values that cannot be made (an
 * overflow) leave it untouched and are told as before. */
static int values_piece(void *ctx, const void *data, size_t n)
{
  ValuesOut *o = ctx;
  int rc = HICOV_OK;
  if (!o->s)
    rc = report_atomic_stream_open(&o->s, o->path, o->flags, NULL, o->err,
                                   sizeof o->err);
  if (!rc)
    rc = report_atomic_stream_write(o->s, data, n);
  o->failed = rc != 0;
  return rc;
}

/* The aggregates as values.csv at path, streamed: a 1 GB claims file gives
 * some 150 MB of values, which are never held in memory whole.  They are
 * made before the totals are printed (their distinct counts count the
 * patients the totals print, which then need not read the triples again)
 * and written in place after them, only when everything else succeeded
 * (values_finish).  Returns the status; o->err or c's message on a
 * failure. */
static int values_make(HicovClaims *c, const HicovDataset *ds,
                       const char *source, ValuesOut *o, size_t *len)
{
  int rc = hicov_claims_values_csv_write(c, ds, source, values_piece, o, len);
  if (rc && !o->failed)
    hicov_fmt(o->err, sizeof o->err, "%s", hicov_claims_errmsg(c));
  return rc;
}

/* Puts made values in place (commit) or drops them; tells the outcome
 * when told to.  Returns 1 on a failure (path untouched), else 0. */
static int values_finish(ValuesOut *o, int made_rc, int commit, size_t len)
{
  int rc = made_rc;
  if (rc || !commit)
    report_atomic_stream_close(o->s, 0);
  else
    rc = report_atomic_stream_close(o->s, 1);
  o->s = NULL;
  if (!commit)
    return 1;
  if (rc) {
    fprintf(stderr, "hicov claims: %s\n", o->err);
    return 1;
  }
  printf(_("wrote %s (%zu bytes)\n"), o->path, len);
  return 0;
}

/* The aggregates as a dataset folder: merged into ds before the totals are
 * printed (their patient counts give the totals' count, which then need
 * not read the triples again), ds saved after them, only when everything
 * succeeded (until then ds is only in memory). */
typedef struct {
  int rc;
  HicovMergeStats ms;
  char *conflicts;
  char err[1200];
} DatasetOut;

static void dataset_make(HicovClaims *c, HicovDataset *ds, const char *source,
                         int policy, DatasetOut *o)
{
  o->rc = hicov_claims_merge_into(c, ds, source, policy, &o->ms,
                                  &o->conflicts);
  if (o->rc)
    snprintf(o->err, sizeof o->err, "%s", hicov_claims_errmsg(c));
}

/* Saves ds as the folder dir (commit) after a merge, or tells nothing.
 * Returns 1 on a failure (dir untouched), else 0. */
static int dataset_finish(DatasetOut *o, HicovDataset *ds, int policy,
                          const char *dir, int commit)
{
  int rc = o->rc;
  if (commit && o->conflicts && policy != HICOV_CONFLICT_ERROR)
    fputs(o->conflicts, stderr);
  if (commit && !rc) {
    hicov_cli_print_merged(o->ms.added, o->ms.replaced, o->ms.kept,
                           o->ms.unchanged);
    rc = hicov_dataset_save(ds, dir, o->err, sizeof o->err);
  }
  if (commit && rc)
    fprintf(stderr, _("hicov claims: %s (%s not written)\n"), o->err[0]
            ? o->err : _(hicov_status_string(rc)), dir);
  else if (commit)
    printf(_("wrote %s (units.csv, values.csv)\n"), dir);
  hicov_free(o->conflicts);
  o->conflicts = NULL;
  return commit && !rc ? 0 : 1;
}

/* Reads the claims of a's paths into c and reports on them; returns the
 * exit status. */
static int run(const ClaimsArgs *a, HicovClaims *c, HicovDataset *ds)
{
  if (a->max_msgs > 1000)
    hicov_claims_set_max_messages(c, (size_t)a->max_msgs);
  ProgressState st = { now(), 0 };
  int show = a->force_progress || isatty(2);
  int rc = hicov_claims_read_paths(c, a->paths, a->n_paths, a->threads,
                                   show ? on_progress : NULL, &st);
  double el = now() - st.t0;
  if (st.shown)
    fprintf(stderr, "\n");
  HicovClaimsCounts k;
  hicov_claims_counts(c, &k);
  /* any failure ends in a non-zero status, and the values are not written:
     a file's (its message is printed below), or the read's own */
  int status = rc != HICOV_OK;
  if (rc && !k.files_failed)
    fprintf(stderr, "hicov claims: %s\n", hicov_claims_errmsg(c));
  print_counts(&k, el);
  /* values.csv made first, kept aside until the totals are printed */
  int csv_out = a->out && !status && !k.files_failed && is_csv_path(a->out);
  ValuesOut vo = { a->out, a->force ? REPORT_WRITE_FORCE : 0, NULL, 0, "" };
  size_t vlen = 0;
  int vrc = csv_out ? values_make(c, ds, a->source, &vo, &vlen) : HICOV_OK;
  /* or the dataset folder's values, made first as well */
  int ds_out = a->out && !status && !k.files_failed && !csv_out;
  DatasetOut dso = { 0 };
  if (ds_out)
    dataset_make(c, ds, a->source, a->policy, &dso);
  if (print_totals(c, ds))
    status = 1;
  print_messages(c, &k, a->max_msgs);
  if (k.files_failed)
    status = 1;
  int told = 0; /* what became of -o said already */
  if (csv_out && !status) {
    status = values_finish(&vo, vrc, 1, vlen);
    told = 1;
  } else if (csv_out) {
    values_finish(&vo, vrc, 0, vlen); /* dropped, said below */
  }
  if (ds_out && !status) {
    status = dataset_finish(&dso, ds, a->policy, a->out, 1);
    told = 1;
  } else if (ds_out) {
    dataset_finish(&dso, ds, a->policy, a->out, 0); /* said below */
  }
  if (a->out && !told)
    fprintf(stderr, k.files_failed
                        ? _("hicov claims: %s not written because files "
                            "failed\n")
                        : rc ? _("hicov claims: %s not written because the "
                                 "read failed\n")
                        : _("hicov claims: %s not written because the totals "
                            "failed\n"), a->out);
  return status;
}

int hicov_cli_claims(int argc, char **argv)
{
  ClaimsArgs a;
  int status = parse_args(argc, argv, &a);
  if (status >= 0) {
    free(a.paths);
    return status;
  }
  HicovDataset *ds = NULL;
  if (a.data && !(ds = hicov_cli_open_dataset(a.data))) {
    free(a.paths);
    return 1;
  }
  HicovClaims *c;
  if (hicov_claims_new(&c)) {
    fputs(_("hicov claims: out of memory\n"), stderr);
    hicov_dataset_free(ds);
    free(a.paths);
    return 1;
  }
  /* the claims' messages in the language of the command's own text */
  hicov_claims_set_lang(c, hicov_text_lang(NULL));
  status = run(&a, c, ds);
  hicov_claims_free(c);
  hicov_dataset_free(ds);
  free(a.paths);
  return status;
}
