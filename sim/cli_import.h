/*
 * cli_import: `lpsim import rvtools|powercli ...`: RVTools or PowerCLI
 * CSV exports to a scenario (scenarios/import.h), and `lpsim import
 * vcenter URL` (sim/cli_import_vcenter.c, scenarios/import_vcenter.h),
 * written whole or not at all (sim/atomicio.h) to -o FILE, or to standard
 * output.
 */
#ifndef LPSIM_CLI_IMPORT_H
#define LPSIM_CLI_IMPORT_H

#include <stddef.h>
#include <stdio.h>

/*
 * argv[0] is "import". Returns the exit status: 0 when the scenario was
 * written; 64 bad command line; 65 bad input data (every error printed,
 * nothing written); 66 an input file missing or unreadable; 70 out of
 * memory, or the scenario written would not load (a bug); 73 the output
 * cannot be created or written.
 */
int cli_import(int argc, char **argv);

/* ---- shared inside sim/ by the import commands ------------------------------ */

/* lpsim import vcenter (argv[0] "vcenter"): exit statuses as above, see README. */
int cli_import__vcenter(int argc, char **argv);

/* Prints import's usage to f. */
void cli_import__usage(FILE *f);

/*
 * Checks that the scenario yaml (len bytes) loads and places as `lpsim
 * validate` would (70 when not: a bug, messages printed), then writes it
 * whole or not at all to out (NULL or "-": standard output). Returns the
 * exit status.
 */
int cli_import__check_and_write(const char *yaml, size_t len, const char *out);

#endif
