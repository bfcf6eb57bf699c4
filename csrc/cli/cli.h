/* cli.h - subcommands of the `hicov` command-line tool.
 * Each part of hicov adds its subcommand in its own cli-*.c file and one
 * line in the table in cli.c. Every subcommand returns a process exit code:
 * 0 success, 1 failure (message on stderr), 2 usage error. */
#ifndef HICOV_CLI_H
#define HICOV_CLI_H

#include "hicov-core.h"

/* The command speaks the process's language (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG): its text comes from the catalogue (csrc/po), which
 * the core carries, so Vietnamese needs no installed locale. */
#define _(s) hicov_text(NULL, s)
#ifndef N_
#define N_(s) s
#define NC_(ctx, s) ctx "\004" s
#endif

typedef struct {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} HicovCliCommand;

int hicov_cli_summary(int argc, char **argv);
int hicov_cli_claims(int argc, char **argv); /* cli-claims.c */
int hicov_cli_report(int argc, char **argv); /* cli-report.c */
int hicov_cli_adx(int argc, char **argv);    /* cli-adx.c */
int hicov_cli_import(int argc, char **argv); /* cli-import.c */
int hicov_cli_table(int argc, char **argv);  /* cli-table.c */
int hicov_cli_equity(int argc, char **argv); /* cli-equity.c */

/* Opens the dataset named by --data DIR, or the demo when dir is NULL;
 * prints the core's message on failure and returns NULL. */
struct HicovDataset *hicov_cli_open_dataset(const char *dir);

/* The input that writing to out would replace: one of the n files or
 * folders given (a folder's files are inputs too), compared by device and
 * inode, through links.  NULL when out does not exist or is none of them;
 * inputs[i] may be NULL. */
const char *hicov_cli_replaces_input(const char *out,
                                     const char *const *inputs, size_t n);

/* A number as the command line writes it (cli-summary.c): in Vietnamese
 * as Vietnamese write it ("94,10", "764.769"); in English plainly ("94.10",
 * "764769"), as scripts read it.  Returns buf. */
const char *hicov_cli_number(double v, int decimals, char *buf, size_t size);

/* A count the same way ("1.234.567" in Vietnamese, "1234567" in English);
 * counts past 2^53 would lose units to the double.  Returns buf. */
const char *hicov_cli_count(long long n, char *buf, size_t size);

/* "merged: N added, ..." of a merge into a dataset, counts as above. */
void hicov_cli_print_merged(long added, long replaced, long kept,
                            long unchanged);

/* The dataset folder's files (units.csv, values.csv) as inputs of a
 * command, into buf (2 paths of at most size bytes each); returns 2, or 0
 * without a folder. */
size_t hicov_cli_dataset_inputs(const char *dir, char buf[][4096]);

/* --boundaries today|as-published into *out (HicovBoundaries); prints a
 * usage error naming cmd and returns 2 for anything else, else 0. */
int hicov_cli_boundaries(const char *cmd, const char *arg, int *out);

#endif
