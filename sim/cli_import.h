/*
 * cli_import: `lpsim import rvtools|powercli ...`: RVTools or PowerCLI
 * CSV exports to a scenario (scenarios/import.h), and `lpsim import
 * vcenter URL` (sim/cli_import_vcenter.c, scenarios/import_vcenter.h),
 * written whole or not at all (sim/atomicio.h) to -o FILE, or to standard
 * output.
 */
#ifndef LPSIM_CLI_IMPORT_H
#define LPSIM_CLI_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scenarios/import_estate.h"

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
 * The end of an import command's option loop: c 'h' prints the usage to
 * stdout (returns 0); any other c is a bad option of argv (getopt's ':'
 * or '?'), printed as cli_option_error() does with the usage on stderr
 * (returns 64).
 */
int cli_import__help_or_bad(const char *cmd, int c, char **argv);

/*
 * Checks that the scenario yaml (len bytes) loads and places as `lpsim
 * validate` would (70 when not: a bug, messages printed; "CMD: out of
 * memory" when memory runs out), then writes it whole or not at all to
 * out (NULL or "-": standard output). Returns the exit status.
 */
int cli_import__check_and_write(const char *cmd, const char *yaml, size_t len, const char *out);

/*
 * True when name is a scenario name (scenario_name_ok); else prints
 * "CMD: --name wants ..." and returns false (the caller exits 64).
 */
bool cli_import__name_ok(const char *cmd, const char *name);

/*
 * The scenario's name: name when given, else one made of out (NULL or "-":
 * "imported") into buf[0..size).
 */
const char *cli_import__name(const char *name, const char *out, char *buf, size_t size);

/*
 * Prints the summary line's common head to stderr, without its newline:
 * "lpsim: import: wrote OUT: N clusters, N hosts, N VMs (N pinned)" and
 * the VMs given count 0; the caller adds what was not imported.
 */
void cli_import__summary(const char *out, const struct iestate_stats *s);

#endif
