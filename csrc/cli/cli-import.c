/* cli-import.c - `hicov import`: values from a workbook (XLSX, ODS, CSV)
 * into a dataset, merged under a conflict policy and saved with -o. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hicov-core.h"
#include "hicov-data.h"
#include "hicov-exchange.h"
#include "hicov-private.h"

static void usage(FILE *f)
{
  fprintf(f,
    _("usage: hicov import FILE.xlsx|FILE.ods|FILE.csv [--data DIR] [-o DIR]\n"
    "                    [--on-conflict error|replace|keep] [--lenient]\n"
    "                    [--mapping FILE] [--sheet S] [--layout long|wide]\n"
    "                    [--header-row N] [--unit-column C] [MAPPING OPTIONS]\n\n"
    "Reads the values of a workbook into the dataset of --data DIR (default:\n"
    "the demo), lists every rejected cell (Sheet1!C12: expected ..., found\n"
    "...), every unit name that matched no unit or several, and what was\n"
    "left out; then merges the values and, with -o DIR, saves the dataset\n"
    "(units.csv and values.csv, replaced together; DIR may be --data's).\n"
    "Strict by default: one rejected cell and nothing is imported.\n\n"
    "  --on-conflict P  a value that differs from the dataset's: error (the\n"
    "                   default: nothing is imported), replace, or keep\n"
    "  --lenient        import what can be read; list the rest\n"
    "  --messages N     print at most N rejections (default 50)\n"
    "  --format F       xlsx, ods or csv (default: from the file name)\n"
    "  --mapping FILE   where the values are (README: Workbooks)\n"
    "mapping options (one sheet; --sheet starts another):\n"
    "  --sheet NAME|#N|*   --layout long|wide   --header-row N\n"
    "  --first-row N  --last-row N  --unit-column C|HEADING\n"
    "  --unit-by auto|code|name  --level L  --parent CODE\n"
    "  --period P  --measure M  --group G   (fixed for the sheet)\n"
    "  --period-column C  --measure-column C  --value-column C\n"
    "  --group-column C  --measure-row N  --period-row N  --group-row N\n"
    "  --columns 'C=2024, D=2025'  --ignore-columns 'A, F'\n"
    "  --skip-units 'Tổng cộng; Toàn tỉnh'  --numbers auto|vi|en\n"));
}

static const char *const mapping_keys[] = {
  "sheet", "layout", "header-row", "first-row", "last-row", "unit-column",
  "unit-by", "level", "parent", "period", "measure", "group",
  "period-column", "measure-column", "value-column", "group-column",
  "measure-row", "period-row", "group-row", "columns", "ignore-columns",
  "skip-units", "numbers", NULL
};

static int is_mapping_key(const char *opt)
{
  if (strncmp(opt, "--", 2))
    return 0;
  for (size_t i = 0; mapping_keys[i]; i++)
    if (!strcmp(opt + 2, mapping_keys[i]))
      return 1;
  return 0;
}

static void print_lists(const HicovWorkbook *wb, long max)
{
  size_t nr = hicov_workbook_rejection_count(wb);
  for (size_t i = 0; i < nr && (long)i < max; i++) {
    HicovWorkbookRejection r;
    hicov_workbook_rejection(wb, i, &r);
    fprintf(stderr, _("rejected %s\n"), r.message);
  }
  if ((long)nr > max)
    fprintf(stderr, _("(%zu more rejections not shown; --messages N shows "
            "more)\n"), nr - (size_t)max);
  size_t nu = hicov_workbook_unmatched_count(wb);
  for (size_t i = 0; i < nu; i++) {
    HicovWorkbookUnmatched u;
    hicov_workbook_unmatched(wb, i, &u);
    unsigned long n = (unsigned long)u.cells;
    if (u.ambiguous)
      fprintf(stderr, hicov_ntext(NULL, "ambiguous unit '%s' (%s, %ld cell): "
                                  "%s\n", "ambiguous unit '%s' (%s, %ld "
                                  "cells): %s\n", n), u.text, u.cell, u.cells,
              u.candidates);
    else
      fprintf(stderr, hicov_ntext(NULL, "unknown unit '%s' (%s, %ld cell)\n",
                                  "unknown unit '%s' (%s, %ld cells)\n", n),
              u.text, u.cell, u.cells);
  }
  size_t nn = hicov_workbook_note_count(wb);
  for (size_t i = 0; i < nn; i++)
    fprintf(stderr, _("note: %s\n"), hicov_workbook_note(wb, i));
}

typedef struct {
  const char *file, *data, *out;
  int mode, policy, format;
  long max_msgs;
} Options;

/* Reads the options into o and map (the mapping file first, whatever its
 * place: flags refine it). -1 to go on, else the exit code (0 after
 * --help). */
static int parse_args(int argc, char **argv, Options *o,
                      HicovWorkbookMapping *map)
{
  const char *mapping = NULL;
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--mapping"))
      mapping = argv[i + 1];
  char err[700];
  if (mapping && hicov_workbook_mapping_load(map, mapping, err, sizeof err)) {
    fprintf(stderr, "hicov import: %s\n", err);
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--data") && has) {
      o->data = argv[++i];
    } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has) {
      o->out = argv[++i];
    } else if (!strcmp(a, "--mapping") && has) {
      i++;
    } else if (!strcmp(a, "--lenient")) {
      o->mode = HICOV_LOAD_LENIENT;
    } else if (!strcmp(a, "--messages") && has) {
      o->max_msgs = atol(argv[++i]);
    } else if (!strcmp(a, "--on-conflict") && has) {
      o->policy = hicov_conflict_policy_parse(argv[++i]);
      if (o->policy < 0) {
        fprintf(stderr, _("hicov import: --on-conflict expects error, replace "
                "or keep, found '%s'\n"), argv[i]);
        return 2;
      }
    } else if (!strcmp(a, "--format") && has) {
      const char *f = argv[++i];
      o->format = !strcmp(f, "xlsx") ? HICOV_WORKBOOK_XLSX
                : !strcmp(f, "ods") ? HICOV_WORKBOOK_ODS
                : !strcmp(f, "csv") ? HICOV_WORKBOOK_CSV : -1;
      if (o->format < 0) {
        fprintf(stderr, _("hicov import: --format expects xlsx, ods or csv, "
                "found '%s'\n"), f);
        return 2;
      }
    } else if (is_mapping_key(a) && has) {
      if (hicov_workbook_mapping_set(map, a + 2, argv[++i], err, sizeof err)) {
        fprintf(stderr, "hicov import: %s\n", err);
        return 2;
      }
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, _("hicov import: unknown option '%s'\n"), a);
      usage(stderr);
      return 2;
    } else if (!o->file) {
      o->file = a;
    } else {
      fprintf(stderr, _("hicov import: one workbook at a time (found '%s' and "
              "'%s')\n"), o->file, a);
      return 2;
    }
  }
  if (!o->file) {
    usage(stderr);
    return 2;
  }
  return -1;
}

/* Reads the workbook, its format from its name or forced by --format;
 * -1 when the file could not be read at all (said on stderr). */
static int read_workbook(HicovDataset *ds, const Options *o,
                         const HicovWorkbookMapping *map, HicovWorkbook **wb)
{
  if (o->format == HICOV_WORKBOOK_AUTO)
    return hicov_workbook_read_file(ds, o->file, map, o->mode, wb);
  /* a format forced on any file name */
  char *bytes, err[700];
  size_t len;
  int rc = hicov_read_file(o->file, HICOV_WORKBOOK_MAX_BYTES, &bytes, &len,
                           err, sizeof err);
  if (rc) {
    fprintf(stderr, "hicov import: %s\n", err);
    return -1;
  }
  rc = hicov_workbook_read_buffer(ds, o->file, bytes, len, o->format, map,
                                  o->mode, wb);
  hicov_free(bytes);
  return rc;
}

/* What the read gave: the lists, then the counts or the failure; the exit
 * status so far. */
static int report_read(const HicovWorkbook *wb, int rc, const Options *o)
{
  int status = 0;
  if (wb)
    print_lists(wb, o->max_msgs);
  HicovWorkbookCounts k;
  hicov_workbook_counts(wb, &k);
  if (rc != HICOV_OK && rc != HICOV_PARSE) {
    fprintf(stderr, "hicov import: %s\n", wb ? hicov_workbook_errmsg(wb)
                                            : hicov_status_string(rc));
    status = 1;
  } else {
    /* "long.csv: 9 values read: 9 accepted, 0 rejected; 1 cell blank or
       '-' (missing), 0 rows skipped" */
    printf(hicov_ntext(NULL, "%s: %ld value read", "%s: %ld values read",
                       (unsigned long)k.values_read), o->file, k.values_read);
    printf(_(": %ld accepted, %ld rejected; "), k.values_accepted,
           k.values_rejected);
    printf(hicov_ntext(NULL, "%ld cell blank or '-' (missing), ", "%ld cells "
                       "blank or '-' (missing), ",
                       (unsigned long)k.cells_missing), k.cells_missing);
    printf(hicov_ntext(NULL, "%ld row skipped\n", "%ld rows skipped\n",
                       (unsigned long)k.rows_skipped), k.rows_skipped);
    if (rc == HICOV_PARSE) {
      fprintf(stderr, "hicov import: %s\n", hicov_workbook_errmsg(wb));
      status = 1;
    }
  }
  return status;
}

/* Merges the values under the policy, with the conflicts it found, one
 * line each; the exit status. */
static int merge(const HicovWorkbook *wb, HicovDataset *ds, const Options *o)
{
  HicovMergeStats ms;
  char *conflicts = NULL;
  int rc = hicov_workbook_merge(wb, ds, o->policy, NULL, &ms, &conflicts);
  if (conflicts && o->policy != HICOV_CONFLICT_ERROR) {
    /* what replace or keep decided, one line each */
    fprintf(stderr, "%s", conflicts);
  } else if (conflicts) {
    long shown = 0;
    for (char *p = conflicts; *p && shown < o->max_msgs; shown++) {
      char *nl = strchr(p, '\n');
      fprintf(stderr, _("conflict %.*s\n"),
              (int)(nl ? nl - p : (long)strlen(p)), p);
      p = nl ? nl + 1 : p + strlen(p);
    }
  }
  hicov_free(conflicts);
  if (rc != HICOV_OK) {
    fprintf(stderr, "hicov import: %s\n", hicov_dataset_errmsg(ds));
    return 1;
  }
  hicov_cli_print_merged(ms.added, ms.replaced, ms.kept, ms.unchanged);
  return 0;
}

/* Saves the merged dataset with -o; the exit status. */
static int save(HicovDataset *ds, const Options *o, int status)
{
  char err[700];
  if (!status && o->out) {
    if (hicov_dataset_save(ds, o->out, err, sizeof err) != HICOV_OK) {
      fprintf(stderr, "hicov import: %s\n", err);
      return 1;
    }
    printf(_("wrote %s (units.csv, values.csv)\n"), o->out);
  } else if (o->out) {
    fprintf(stderr, _("hicov import: %s not written: nothing was changed\n"),
            o->out);
  } else if (!status) {
    printf(_("not saved: give -o DIR to write the merged dataset\n"));
  }
  return status;
}

int hicov_cli_import(int argc, char **argv)
{
  Options o = { NULL, NULL, NULL, HICOV_LOAD_STRICT, HICOV_CONFLICT_ERROR,
                HICOV_WORKBOOK_AUTO, 50 };
  HicovWorkbookMapping *map;
  if (hicov_workbook_mapping_new(&map)) {
    fprintf(stderr, _("hicov import: out of memory\n"));
    return 1;
  }
  int status = parse_args(argc, argv, &o, map);
  HicovDataset *ds = NULL;
  if (status < 0 && !(ds = hicov_cli_open_dataset(o.data)))
    status = 1;
  HicovWorkbook *wb = NULL;
  if (status < 0) {
    int rc = read_workbook(ds, &o, map, &wb);
    status = rc < 0 ? 1 : report_read(wb, rc, &o);
    if (rc >= 0) {
      if (!status)
        status = merge(wb, ds, &o);
      status = save(ds, &o, status);
    }
  }
  hicov_workbook_free(wb);
  hicov_workbook_mapping_free(map);
  hicov_dataset_free(ds);
  return status;
}
