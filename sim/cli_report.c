/*
 * lpsim report: the capacity-planning report of a run or sweep directory
 * (plots/report.h) as a PDF.
 */
#include "sim/cli_report.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plots/plot_draw.h"
#include "plots/report.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpsim report DIR [-o FILE.pdf] [--window DURATION] [--no-scenario]\n"
		"\n"
		"Writes the capacity-planning report of the run directory DIR (or of a sweep\n"
		"directory, with sweep.json) as a PDF: the scenario in brief, the compliance\n"
		"scan, live patch against classic with confidence intervals, findings in\n"
		"plain language, and the charts. Default FILE: DIR/report.pdf.\n"
		"  -o, --output FILE      where to write the PDF (- for standard output; a device\n"
		"                           or FIFO is written in place, never replaced)\n"
		"  -w, --window DURATION  maintenance window (\"4h\", \"90m\"): does the p95\n"
		"                           makespan fit it?\n"
		"      --no-scenario      do not read the scenario file named in summary.json\n"
		"                           again (the report then shows only what the results\n"
		"                           hold: no eligibility reasons, patch or modes)\n");
}

int cli_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"window", required_argument, NULL, 'w'},
		{"no-scenario", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct report_opts ro;
	report_opts_default(&ro);
	const char *out = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'w':
			if (!scenario_parse_duration(optarg, &ro.window_s, NULL, 0) || !(ro.window_s > 0)) {
				cli_error("report: --window wants a duration such as 4h or 90m (got '%s')",
					  optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'N':
			ro.reload_scenario = false;
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			cli_option_error("report", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc ? "report: which directory? (lpsim report DIR)"
					 : "report: one directory at a time (got '%s' too)",
			  optind < argc - 1 ? argv[optind + 1] : "");
		return LPSIM_EXIT_USAGE;
	}
	const char *dir = argv[optind];
	char defout[4096];
	if (!out) {
		snprintf(defout, sizeof(defout), "%s/report.pdf", dir);
		out = defout;
	}
	char msg[1024] = "";
	struct report *r;
	int rc = report_load(dir, &ro, &r, msg, sizeof(msg));
	if (rc < 0) {
		cli_error("%s", msg);
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE
		     : rc == -EINVAL ? LPSIM_EXIT_DATA
				     : LPSIM_EXIT_NOINPUT;
	}
	int pages = 0;
	rc = report_write(r, out, &pages, msg, sizeof(msg));
	report_free(r);
	plot_release_fonts();
	if (rc < 0) {
		cli_error("%s", msg);
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	}
	return LPSIM_EXIT_OK;
}
