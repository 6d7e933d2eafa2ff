/*
 * lpsim report: the capacity-planning report of a run or sweep directory
 * as a PDF (plots/report.h; also for a name without an extension, such as
 * "-" or /dev/null) or, when the output's name ends in .html, as
 * one self-contained interactive HTML file (plots/report_html.h). Any
 * other extension is refused (exit 64) rather than written as a PDF
 * under a misleading name.
 */
#include "sim/cli_report.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plots/plot_draw.h"
#include "plots/report.h"
#include "plots/report_html.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpsim report DIR [-o FILE.pdf|FILE.html] [--window DURATION] [--no-scenario]\n"
		"\n"
		"Writes the capacity-planning report of the run directory DIR (or of a sweep\n"
		"directory, with sweep.json) as a PDF: the scenario in brief, the compliance\n"
		"scan, live patch against classic with confidence intervals, findings in\n"
		"plain language, and the charts. Default FILE: DIR/report.pdf.\n"
		"With FILE.html: one self-contained HTML page (no network needed) with the\n"
		"same numbers, SVG charts, and, in a browser with JavaScript, host details on\n"
		"hover, a cluster filter, strategy toggles and sortable tables.\n"
		"  -o, --output FILE      where to write the report: .pdf or .html (- for standard\n"
		"                           output, a PDF; a device or FIFO is written in place,\n"
		"                           never replaced)\n"
		"  -w, --window DURATION  maintenance window (\"4h\", \"90m\"): does the p95\n"
		"                           makespan fit it?\n"
		"      --no-scenario      do not read the scenario file named in summary.json\n"
		"                           again (the report then shows only what the results\n"
		"                           hold: no eligibility reasons, patch or modes)\n");
}

static int load_status(int rc)
{
	return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : rc == -EINVAL ? LPSIM_EXIT_DATA : LPSIM_EXIT_NOINPUT;
}

/* The HTML report of the run or sweep directory dir into out. */
static int write_html(const char *dir, const char *out, double window_s)
{
	char msg[1024] = "";
	struct plot_run *run = NULL;
	struct plot_sweep *sw = NULL;
	int rc;
	if (plot_is_sweep_dir(dir))
		rc = plot_sweep_load(dir, &sw, msg, sizeof(msg));
	else
		rc = plot_run_load(dir, PLOT_FILE_ALL | PLOT_LOAD_AUTO_LANES, 0, &run, msg,
				   sizeof(msg));
	if (rc < 0) {
		cli_error("%s", msg);
		return load_status(rc);
	}
	struct report_html_opts ho;
	report_html_opts_default(&ho);
	ho.window_s = window_s;
	rc = report_html_save(out, run, sw, &ho, msg, sizeof(msg));
	plot_run_free(run);
	plot_sweep_free(sw);
	if (rc < 0) {
		cli_error("%s", msg);
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	}
	return LPSIM_EXIT_OK;
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
			if (!cli_parse_duration("report", "--window", optarg, &ro.window_s))
				return LPSIM_EXIT_USAGE;
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
	bool html = report_html_path(out);
	/* The format is the extension's; a name without one (standard output
	 * "-", /dev/null, a FIFO) gets the PDF. Another extension is refused. */
	const char *slash = strrchr(out, '/');
	const char *dot = strrchr(slash ? slash : out, '.');
	if (!html && dot && strcasecmp(dot, ".pdf") != 0) {
		cli_error("report: cannot write '%s': the report is a PDF (.pdf) or an HTML page "
			  "(.html); for a single chart use lpsim plot",
			  out);
		return LPSIM_EXIT_USAGE;
	}
	if (html)
		return write_html(dir, out, ro.window_s);
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
