/*
 * cli_import: `lpsim import rvtools|powercli ...`: RVTools or PowerCLI
 * CSV exports to a scenario (scenarios/import.h), written whole or not at
 * all (sim/atomicio.h) to -o FILE, or to standard output.
 */
#ifndef LPSIM_CLI_IMPORT_H
#define LPSIM_CLI_IMPORT_H

/*
 * argv[0] is "import". Returns the exit status: 0 when the scenario was
 * written; 64 bad command line; 65 bad input data (every error printed,
 * nothing written); 66 an input file missing or unreadable; 70 out of
 * memory, or the scenario written would not load (a bug); 73 the output
 * cannot be created or written.
 */
int cli_import(int argc, char **argv);

#endif
