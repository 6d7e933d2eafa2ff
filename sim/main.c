/*
 * lpsim: the command line. Dispatches to one subcommand per verb; each
 * parses its own options (see sim/cli.h for the exit statuses).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "sim/cli.h"
#include "sim/cli_run.h"
#include "sim/cli_plot.h"
#include "sim/cli_report.h"
#include "sim/cli_validate.h"
#include "sim/cli_scan.h"
#include "sim/cli_import.h"
#include "sim/cli_merge.h"
#include "sim/cli_plan.h"
#include "sim/cli_sweep.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"run", cli_run, "simulate the scenario's remediation and write the results"},
	{"validate", cli_validate, "parse and check scenario files"},
	{"scan", cli_scan, "compliance scan: host eligibility and FSR-incompatible VMs"},
	{"sweep", cli_sweep, "run the scenario at every point of its sweep axes"},
	{"plot", cli_plot, "draw a chart of a run or sweep directory (PNG, SVG, PDF)"},
	{"report", cli_report, "capacity-planning report of a run or sweep directory (PDF)"},
	{"plan", cli_plan, "the smallest value of an axis whose makespan fits a window"},
	{"merge", cli_merge, "combine the shards of a run or sweep (--shard I/N)"},
	{"import", cli_import, "RVTools or PowerCLI CSV exports, or a live vCenter, to a scenario"},
	{"bench", cli_bench, "event-kernel throughput (hold model)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: lpsim COMMAND [OPTIONS] [ARGS]\n"
		   "       lpsim --help | --version\n"
		   "\n"
		   "Simulates vSphere clusters being patched with ESXi Live Patch.\n"
		   "\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'lpsim COMMAND --help' tells more about a command.\n"
		   "Exit status: 0 ok, 64 bad usage, 65 bad scenario or data, 66 input\n"
		   "missing or unreadable, 70 internal error, 73 output cannot be created\n"
		   "(standard output too), 128+N interrupted by signal N.\n");
}

/*
 * What a command wrote to standard output must have arrived: a write error
 * there (a full disk, /dev/full, a closed pipe's EPIPE with SIGPIPE
 * ignored) turns a success into 73 with a message, whatever the command.
 */
static int stdout_checked(int status)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (status != LPSIM_EXIT_OK)
		return status; /* it failed already, and said why */
	cli_error("standard output: %s", strerror(errno ? errno : EIO));
	return LPSIM_EXIT_CANTCREAT;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		usage(stderr);
		return LPSIM_EXIT_USAGE;
	}
	const char *verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		usage(stdout);
		return stdout_checked(LPSIM_EXIT_OK);
	}
	if (!strcmp(verb, "--version") || !strcmp(verb, "-V")) {
		printf("lpsim %s\n", LPSIM_VERSION);
		return stdout_checked(LPSIM_EXIT_OK);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(verb, commands[i].name))
			return stdout_checked(commands[i].run(argc - 1, argv + 1));
	if (verb[0] == '-')
		cli_error("unknown option '%s'", verb);
	else
		cli_error("unknown command '%s' (try 'lpsim --help')", verb);
	return LPSIM_EXIT_USAGE;
}
