/*
 * cli_run: `lpsim run SCENARIO ...` (RESULTS.md): simulate and write the
 * results directory.
 */
#ifndef LPSIM_CLI_RUN_H
#define LPSIM_CLI_RUN_H

#include <stddef.h>

/* argv[0] is "run". Returns the exit status (sim/cli.h). */
int cli_run(int argc, char **argv);

struct cli_cmdline;

/*
 * Reads run's command line (argv[0] = "run") with run's own options into
 * *cl, for lpsim-mpi: cli_cmdline_read (sim/cli_sweep.h). 0 or -ENOMEM.
 */
int cli_run_cmdline(int argc, char **argv, struct cli_cmdline *cl);

/* run's results directory when -o is not given, "lpsim-out/NAME", into buf (len bytes). */
void cli_run_default_dir(char *buf, size_t len, const char *name);

#endif
