/*
 * cli_validate: `lpsim validate SCENARIO...`: parses and checks scenario
 * files (scenarios/scenario.h) and reports, per file, "FILE: ok — ..." on
 * stdout or every error on stderr.
 */
#ifndef LPSIM_CLI_VALIDATE_H
#define LPSIM_CLI_VALIDATE_H

/*
 * argv[0] is "validate". Returns the exit status: 0 when every file is
 * valid, 66 when any file cannot be read, else 65 when any is invalid,
 * 64 for a bad command line, 70 when memory runs out.
 */
int cli_validate(int argc, char **argv);

#endif
