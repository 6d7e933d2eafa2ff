/*
 * lpsim: the command line. Dispatches to one subcommand per verb; each
 * parses its own options (see sim/cli.h for the exit statuses).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "sim/cli.h"
#include "sim/cli_run.h"
#include "sim/cli_validate.h"
#include "sim/cli_scan.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"run", cli_run, "simulate the scenario's remediation and write the results"},
	{"validate", cli_validate, "parse and check scenario files"},
	{"scan", cli_scan, "compliance scan: host eligibility and FSR-incompatible VMs"},
	{"bench", cli_bench, "event-kernel throughput (hold model)"},
};

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("lpsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

bool cli_parse_count(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	char *end;
	/* Integers exactly; "1e6" and "2M"/"3k" as conveniences. */
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end == 'e' || *end == 'E' || *end == '.') {
		double d = strtod(s, &end);
		if (errno || *end || !(d >= 1) || d > (double)max || d != (double)(unsigned long long)d)
			return false;
		v = (unsigned long long)d;
	} else if (*end) {
		unsigned long long mul = *end == 'k' ? 1000ULL : *end == 'M' ? 1000000ULL : *end == 'G' ? 1000000000ULL : 0;
		if (!mul || end[1] || v > max / mul)
			return false;
		v *= mul;
	}
	if (v < 1 || v > max)
		return false;
	*out = v;
	return true;
}

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
		   "missing or unreadable, 70 internal error, 73 output cannot be created.\n");
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
		return LPSIM_EXIT_OK;
	}
	if (!strcmp(verb, "--version") || !strcmp(verb, "-V")) {
		printf("lpsim %s\n", LPSIM_VERSION);
		return LPSIM_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(verb, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (verb[0] == '-')
		cli_error("unknown option '%s'", verb);
	else
		cli_error("unknown command '%s' (try 'lpsim --help')", verb);
	return LPSIM_EXIT_USAGE;
}
