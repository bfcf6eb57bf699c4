/* cli.c - entry point of the `hicov` command-line tool. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "hicov-core.h"
#include "hicov-report.h"
#include "cli.h"

static const HicovCliCommand commands[] = {
  { "summary", N_("print the indicators of a dataset (default: the demo)"),
    hicov_cli_summary },
  { "report", N_("report on a resolution's targets (XML, HTML, PDF)"),
    hicov_cli_report },
  { "adx", N_("export or import ADX aggregate data (DHIS2)"), hicov_cli_adx },
  { "claims", N_("read claims XML/CSV into visits, costs and patients"),
    hicov_cli_claims },
  { "import", N_("read a workbook (XLSX, ODS, CSV) into a dataset"),
    hicov_cli_import },
  { "table", N_("write a table of indicators as XLSX, ODS or CSV"),
    hicov_cli_table },
  { "equity", N_("how unequal an indicator is across the units of a level"),
    hicov_cli_equity },
  /* other parts add their subcommands here */
};

static void usage(FILE *f)
{
  fputs(_("usage: hicov COMMAND [OPTIONS]\n\ncommands:\n"), f);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fputs(_("\n`hicov COMMAND --help` describes a command's options.\n"), f);
}

/* Ctrl-C or a kill during a write: remove the named temporary files, then
 * end as the signal would have. */
static void on_signal(int sig)
{
  hicov_remove_temporary_files();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

int main(int argc, char **argv)
{
  catch_signals();
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("hicov %s\n", hicov_version());
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, _("hicov: unknown command '%s'\n"), argv[1]);
  usage(stderr);
  return 2;
}
