/*
 * cli_report: `lpsim report DIR [-o FILE.pdf] [--window DURATION]`
 * (RESULTS.md): the capacity-planning report of a run or sweep directory.
 */
#ifndef LPSIM_CLI_REPORT_H
#define LPSIM_CLI_REPORT_H

/* argv[0] is "report". Returns the exit status (sim/cli.h). */
int cli_report(int argc, char **argv);

#endif
