/*
 * cli_run: `lpsim run SCENARIO ...` (RESULTS.md): simulate and write the
 * results directory.
 */
#ifndef LPSIM_CLI_RUN_H
#define LPSIM_CLI_RUN_H

/* argv[0] is "run". Returns the exit status (sim/cli.h). */
int cli_run(int argc, char **argv);

#endif
