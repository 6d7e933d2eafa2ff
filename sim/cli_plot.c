/*
 * lpsim plot: one chart of a run or sweep directory; see cli_plot.h.
 * Reads only the files the chart needs (a compliance chart of a fleet run
 * does not read its 265 MB vms.csv).
 */
#include "sim/cli_plot.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot.h"
#include "scenarios/scenario.h"
#include "sim/cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpsim plot DIR --chart timeline|compliance|downtime|sweep [-o FILE]\n"
		"                  [--window DURATION] [--strategy live_patch|classic]\n"
		"                  [--replication N] [--lanes auto|hosts|clusters]\n"
		"                  [--time-axis auto|shared|own]\n"
		"                  [--metric METRIC] [--axis PATH] [--width W] [--format F]\n"
		"\n"
		"Draws one chart of the run directory DIR (or, for sweep, of the sweep\n"
		"directory DIR) into FILE (default DIR/CHART.png; - for standard output);\n"
		"the format follows FILE's extension, .png, .svg or .pdf, unless --format\n"
		"says (PNG for -). A device or FIFO is written in place, never replaced.\n"
		"      --chart KIND       timeline: host states over time (one lane per host,\n"
		"                           or per cluster beyond %d hosts); compliance:\n"
		"                           compliant hosts (%%) over time; downtime: CDF of\n"
		"                           per-VM downtime by kind; sweep: a metric against a\n"
		"                           sweep axis\n"
		"  -o, --output FILE      where to write the chart\n"
		"  -w, --window DURATION  maintenance window (\"4h\", \"90m\"): a line on the\n"
		"                           timeline, compliance and sweep charts\n"
		"      --strategy S       draw only live_patch or classic\n"
		"      --replication N    timeline: the replication drawn (default 0; the CSV\n"
		"                           files must hold it: run --all-replications)\n"
		"      --lanes L          timeline: auto (default), hosts or clusters\n"
		"      --time-axis A      timeline: shared (both strategies on one time axis,\n"
		"                           to compare them), own (each its own), or auto\n"
		"                           (default: own only when their lengths differ\n"
		"                           more than 2.5 times)\n"
		"      --metric M         sweep: makespan_s (default), time_to_compliance_s,\n"
		"                           exposure_host_hours, vm_downtime_s, stun_s\n"
		"      --axis PATH        sweep: the axis on x (default: the first with\n"
		"                           several values)\n"
		"      --width W          canvas width (pixels for PNG, points otherwise;\n"
		"                           default 1200)\n"
		"      --format F         png, svg or pdf, whatever FILE's name\n",
		PLOT_HOST_LANES_MAX);
}

/* Exit status for a load error. */
static int load_status(int rc)
{
	if (rc == -ENOMEM)
		return LPSIM_EXIT_SOFTWARE;
	if (rc == -EINVAL)
		return LPSIM_EXIT_DATA;
	return LPSIM_EXIT_NOINPUT;
}

/* Says why the chart at path could not be saved (plot_save's rc and msg); returns the exit
 * status of `run` and `sweep`, which draw their charts themselves. */
static int save_error(int rc, const char *path, const char *msg)
{
	if (rc == -EINVAL)
		cli_error("%s: cannot draw this chart: %s", path, msg);
	else
		cli_error("%s", msg);
	return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
}

/*
 * What the chart asked for is in the run: the strategy of --strategy ran,
 * and the timeline has rows for the replication drawn. Otherwise says
 * why (and what to do) and returns LPSIM_EXIT_DATA, rather than drawing
 * a picture of the complaint; 0 when the chart can be drawn.
 */
static int check_wanted(const struct plot_run *run, enum plot_chart kind, const struct plot_opts *po,
                        long rep, const char *dir)
{
	if (po->strategy >= 0 && !plot_run_strategy(run, (enum scenario_strategy)po->strategy)) {
		cli_error("%s: the run has no %s results (--strategy %s): it ran %s%s%s", dir,
			  plot_strategy_label((enum scenario_strategy)po->strategy),
			  po->strategy == SCENARIO_STRATEGY_CLASSIC ? "classic" : "live_patch",
			  run->nstrategies ? plot_strategy_label(run->st[0].strategy) : "nothing",
			  run->nstrategies > 1 ? " and " : "",
			  run->nstrategies > 1 ? plot_strategy_label(run->st[1].strategy) : "");
		return LPSIM_EXIT_DATA;
	}
	if (kind != PLOT_TIMELINE || !(run->have & PLOT_FILE_TIMELINE))
		return 0;
	for (size_t i = 0; i < run->nstrategies; i++)
		if (plot__wanted(po, run->st[i].strategy) && run->st[i].nspans)
			return 0;
	cli_error("%s/timeline.csv has no rows for replication %ld: a run writes replication 0 only, "
		  "unless run with --all-replications",
		  dir, rep);
	return LPSIM_EXIT_DATA;
}

int cli_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{"chart", required_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"window", required_argument, NULL, 'w'},
		{"strategy", required_argument, NULL, 'S'},
		{"replication", required_argument, NULL, 'R'},
		{"lanes", required_argument, NULL, 'L'},
		{"time-axis", required_argument, NULL, 'T'},
		{"metric", required_argument, NULL, 'M'},
		{"axis", required_argument, NULL, 'X'},
		{"width", required_argument, NULL, 'W'},
		{"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct plot_opts po;
	plot_opts_default(&po);
	const char *chart = NULL, *out = NULL, *format = NULL;
	long rep = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			chart = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'w':
			if (!cli_parse_duration("plot", "--window", optarg, &po.window_s))
				return LPSIM_EXIT_USAGE;
			break;
		case 'S': {
			enum scenario_strategy s;
			if (!plot_strategy_parse(optarg, &s)) {
				cli_error("plot: --strategy wants live_patch or classic (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			po.strategy = (int)s;
			break;
		}
		case 'R': {
			uint64_t v = 0;
			if (strcmp(optarg, "0") && !cli_parse_count(optarg, SCENARIO_MAX_REPLICATIONS, &v)) {
				cli_error("plot: --replication wants a replication number (got '%s')",
					  optarg);
				return LPSIM_EXIT_USAGE;
			}
			rep = (long)v;
			break;
		}
		case 'L':
			if (!strcmp(optarg, "auto"))
				po.lanes = PLOT_LANES_AUTO;
			else if (!strcmp(optarg, "hosts"))
				po.lanes = PLOT_LANES_HOSTS;
			else if (!strcmp(optarg, "clusters"))
				po.lanes = PLOT_LANES_CLUSTERS;
			else {
				cli_error("plot: --lanes wants auto, hosts or clusters (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'T':
			if (!strcmp(optarg, "auto"))
				po.time_axis = PLOT_TIME_AUTO;
			else if (!strcmp(optarg, "shared"))
				po.time_axis = PLOT_TIME_SHARED;
			else if (!strcmp(optarg, "own"))
				po.time_axis = PLOT_TIME_OWN;
			else {
				cli_error("plot: --time-axis wants auto, shared or own (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'M':
			if (!plot_metric_find(optarg)) {
				char names[256];
				cli_error("plot: --metric wants one of %s (got '%s')",
					  plot_metric_names(names, sizeof(names)), optarg);
				return LPSIM_EXIT_USAGE;
			}
			po.metric = optarg;
			break;
		case 'X':
			po.axis = optarg;
			break;
		case 'W': {
			uint64_t v;
			if (!cli_parse_count(optarg, 10000, &v) || v < 400) {
				cli_error("plot: --width wants 400 to 10000 (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			po.width = (double)v;
			break;
		}
		case 'F':
			format = optarg;
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			if (c == '?' && optopt == 'c') {
				/* -c is plan's --confidence in every command: one meaning per letter. */
				cli_error("plot: -c is not a plot option (it is plan's --confidence); "
					  "the chart is --chart KIND");
				return LPSIM_EXIT_USAGE;
			}
			cli_option_error("plot", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc ? "plot: which directory? (lpsim plot DIR --chart KIND)"
					 : "plot: one directory at a time (got '%s' too)",
			  optind < argc - 1 ? argv[optind + 1] : "");
		return LPSIM_EXIT_USAGE;
	}
	enum plot_chart kind;
	if (!chart) {
		cli_error("plot: which chart? (--chart timeline|compliance|downtime|sweep)");
		return LPSIM_EXIT_USAGE;
	}
	if (!plot_chart_parse(chart, &kind)) {
		cli_error("plot: --chart wants timeline, compliance, downtime or sweep (got '%s')",
			  chart);
		return LPSIM_EXIT_USAGE;
	}
	const char *dir = argv[optind];
	char defout[4096];
	if (!out) {
		snprintf(defout, sizeof(defout), "%s/%s.png", dir, plot_chart_name(kind));
		out = defout;
	}
	enum plot_format fmt;
	if (format) {
		char probe[8];
		snprintf(probe, sizeof(probe), ".%s", format);
		if (strlen(format) > 3 || !plot_format_of(probe, &fmt)) {
			cli_error("plot: --format wants png, svg or pdf (got '%s')", format);
			return LPSIM_EXIT_USAGE;
		}
	} else if (!strcmp(out, "-")) {
		fmt = PLOT_PNG;
	} else if (!plot_format_of(out, &fmt)) {
		cli_error("plot: %s: the output must end in .png, .svg or .pdf (or give --format)",
		          out);
		return LPSIM_EXIT_USAGE;
	}

	char msg[1024] = "";
	struct plot_source src = {NULL, NULL};
	struct plot_run *run = NULL;
	struct plot_sweep *sw = NULL;
	int rc;
	if (kind == PLOT_SWEEP) {
		if (!plot_is_sweep_dir(dir)) {
			cli_error("%s: no sweep.json: the sweep chart needs a sweep directory", dir);
			return LPSIM_EXIT_NOINPUT;
		}
		rc = plot_sweep_load(dir, &sw, msg, sizeof(msg));
		if (rc < 0) {
			cli_error("%s", msg);
			return load_status(rc);
		}
		src.sweep = sw;
	} else {
		rc = plot_run_load(dir, plot_chart_files(kind), rep, &run, msg, sizeof(msg));
		if (rc < 0) {
			cli_error("%s", msg);
			return load_status(rc);
		}
		unsigned miss = plot_chart_required_files(kind) & ~run->have;
		if (miss) {
			cli_error("%s/%s: %s (the %s chart needs it)", dir,
				  plot_file_name((enum plot_file)miss), strerror(ENOENT), chart);
			plot_run_free(run);
			return LPSIM_EXIT_NOINPUT;
		}
		int bad = check_wanted(run, kind, &po, rep, dir);
		if (bad) {
			plot_run_free(run);
			return bad;
		}
		src.run = run;
	}
	int status = LPSIM_EXIT_OK;
	rc = plot_save_as(out, fmt, &src, kind, &po, NULL, msg, sizeof(msg));
	if (rc < 0) {
		cli_error("%s", msg);
		status = rc == -EINVAL ? LPSIM_EXIT_DATA
		       : rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE
				       : LPSIM_EXIT_CANTCREAT;
	}
	plot_run_free(run);
	plot_sweep_free(sw);
	plot_release_fonts();
	return status;
}

/* vms.csv loaded on a thread of its own (for the downtime chart). */
struct vms_job {
	const char *dir;
	struct plot_run *run;
	int rc;
	char msg[1024];
};

static void *load_vms_job(void *arg)
{
	struct vms_job *j = arg;
	j->rc = plot_run_load(j->dir, PLOT_FILE_VMS, 0, &j->run, j->msg, sizeof(j->msg));
	return NULL;
}

const char *const cli_plot_run_chart_files[CLI_PLOT_RUN_NCHARTS] = {
    "timeline.png", "compliance.png", "downtime.png"};

/* Prints msg with a leading dir (a staging directory) named as shown. */
static void error_shown(const char *msg, const char *dir, const char *shown)
{
	size_t len = strlen(dir);
	if (strcmp(dir, shown) && !strncmp(msg, dir, len))
		cli_error("%s%s", shown, msg + len);
	else
		cli_error("%s", msg);
}

int cli_plot_run_charts(const char *dir)
{
	return cli_plot_run_charts_in(dir, dir, NULL);
}

int cli_plot_run_charts_in(const char *dir, const char *shown, unsigned *drawn)
{
	static const enum plot_chart charts[] = {PLOT_TIMELINE, PLOT_COMPLIANCE, PLOT_DOWNTIME};
	char msg[1024] = "";
	struct plot_run *run = NULL;
	struct vms_job vj = {.dir = dir};
	/*
	 * Reading the CSV files is most of the work, and summary.json (read
	 * alone first: it is small) says how they are best read. A large
	 * run's timeline is drawn by cluster, without its VM rows: then
	 * vms.csv (the largest file) is read on a thread of its own, for the
	 * downtime chart, while the rest is read here. A small run's timeline
	 * ticks need the VM rows with the hosts: everything is read at once,
	 * and the one run serves every chart.
	 */
	int rc = plot_run_load(dir, 0, 0, &run, msg, sizeof(msg));
	bool large = rc == 0 && run->sum.hosts > PLOT_HOST_LANES_MAX;
	plot_run_free(run);
	run = NULL;
	unsigned want =
	    PLOT_FILE_HOSTS | PLOT_FILE_TIMELINE | PLOT_FILE_COMPLIANCE | PLOT_LOAD_AUTO_LANES;
	if (rc == 0 && large) {
		pthread_t th;
		bool threaded = pthread_create(&th, NULL, load_vms_job, &vj) == 0;
		rc = plot_run_load(dir, want, 0, &run, msg, sizeof(msg));
		if (threaded)
			pthread_join(th, NULL);
		else
			load_vms_job(&vj);
		if (rc == 0 && vj.rc < 0) {
			rc = vj.rc;
			snprintf(msg, sizeof(msg), "%s", vj.msg);
		} else if (rc == 0) {
			/* The VM rows are vj.run's, but the timeline's note says whether
			 * vms.csv was read ("ticks are drawn in per-host lanes only"). */
			run->have |= vj.run->have & PLOT_FILE_VMS;
		}
	} else if (rc == 0) {
		rc = plot_run_load(dir, want | PLOT_FILE_VMS, 0, &run, msg, sizeof(msg));
	}
	if (drawn)
		*drawn = 0;
	if (rc < 0) {
		error_shown(msg, dir, shown);
		plot_run_free(run);
		plot_run_free(vj.run);
		plot_release_fonts();
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	}
	struct plot_opts po;
	plot_opts_default(&po);
	int status = LPSIM_EXIT_OK;
	for (size_t i = 0; i < 3 && status == LPSIM_EXIT_OK; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.png", dir, plot_chart_name(charts[i]));
		/* the downtime chart from vj.run when vms.csv was read apart */
		const struct plot_run *from = charts[i] == PLOT_DOWNTIME && vj.run ? vj.run : run;
		struct plot_source src = {from, NULL};
		rc = plot_save(path, &src, charts[i], &po, NULL, msg, sizeof(msg));
		if (rc < 0) {
			char shown_path[4096], shown_msg[1024];
			snprintf(shown_path, sizeof(shown_path), "%s/%s.png", shown,
			         plot_chart_name(charts[i]));
			size_t len = strlen(dir);
			if (strcmp(dir, shown) && !strncmp(msg, dir, len))
				snprintf(shown_msg, sizeof(shown_msg), "%s%s", shown, msg + len);
			else
				snprintf(shown_msg, sizeof(shown_msg), "%s", msg);
			status = save_error(rc, shown_path, shown_msg);
		} else if (drawn) {
			*drawn |= 1u << i;
		}
	}
	plot_run_free(run);
	plot_run_free(vj.run);
	plot_release_fonts();
	return status;
}

int cli_plot_sweep_chart(const char *dir)
{
	char msg[1024] = "", path[4096];
	struct plot_sweep *sw = NULL;
	int rc = plot_sweep_load(dir, &sw, msg, sizeof(msg));
	if (rc < 0) {
		cli_error("%s", msg);
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	}
	struct plot_opts po;
	plot_opts_default(&po);
	struct plot_source src = {NULL, sw};
	int status = LPSIM_EXIT_OK;
	snprintf(path, sizeof(path), "%s/sweep.png", dir);
	rc = plot_save(path, &src, PLOT_SWEEP, &po, NULL, msg, sizeof(msg));
	if (rc < 0)
		status = save_error(rc, path, msg);
	plot_sweep_free(sw);
	plot_release_fonts();
	return status;
}
