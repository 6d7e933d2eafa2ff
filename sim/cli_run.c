/*
 * lpsim run: load a scenario, build the estate, run the replications of
 * each strategy, write the results directory (RESULTS.md) and print the
 * summary table.
 *
 * SIGINT and SIGTERM stop the run through a watcher thread (sim/cli.h);
 * an interrupted run writes nothing. The results directory is checked and
 * locked before the simulation, written (results and charts) into a
 * staging directory, and swapped in as a whole at the commit point
 * (sim/atomicio.h's adir): a signal before that point leaves the previous
 * results as they were.
 */
#include "sim/cli_run.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/estate.h"
#include "scenarios/scenario.h"
#include "sim/atomicio.h"
#include "sim/cli.h"
#include "sim/cli_plot.h"
#include "sim/cli_sweep.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/shard.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpsim run SCENARIO [-o DIR] [-r N] [-s SEED] [--strategy live_patch|classic|both]\n"
		"                 [-j JOBS] [--no-plots] [--all-replications] [--shard I/N] [--quiet]\n"
		"                 [--precision REL [--max-replications N]]\n"
		"\n"
		"Simulates the scenario's remediation over its replications and writes\n"
		"summary.json, summary.txt, hosts.csv, vms.csv, timeline.csv and\n"
		"compliance.csv, and the charts timeline.png, compliance.png and\n"
		"downtime.png, into DIR (default ./lpsim-out/<scenario name>/).\n"
		"  -o, --output DIR        results directory\n"
		"  -r, --replications N    replications (default: the scenario's)\n"
		"  -s, --seed SEED         random seed (default: the scenario's)\n"
		"      --strategy S        live_patch, classic or both (default: the scenario's)\n"
		"  -j, --jobs JOBS         threads (default: the number of cores); results never\n"
		"                          depend on it\n"
		"      --no-plots          draw no charts (timeline.png, compliance.png and\n"
		"                          downtime.png; lpsim plot draws them and others)\n"
		"      --all-replications  CSV rows for every replication, not only the first\n"
		"      --precision REL     run replications (from -r, at least 10; doubling) until\n"
		"                          every headline mean's 95%% half-width is within REL of\n"
		"                          the mean, e.g. 0.05; the result is that of -r FINAL\n"
		"      --max-replications N  the most --precision runs (default 100000)\n"
		"      --shard I/N         compute only the I-th of N equal blocks of replications\n"
		"                          and write DIR/shard-I-of-N.jsonl (combine the shards\n"
		"                          with `lpsim merge`)\n"
		"  -q, --quiet             no progress bar and no summary table\n");
}

/* run's options (cli_run_cmdline reads a command line with them too). */
static const char run_optstring[] = ":o:r:s:j:qh";
static const struct option run_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"replications", required_argument, NULL, 'r'},
    {"seed", required_argument, NULL, 's'},
    {"strategy", required_argument, NULL, 'S'},
    {"jobs", required_argument, NULL, 'j'},
    {"no-plots", no_argument, NULL, 'P'},
    {"all-replications", no_argument, NULL, 'A'},
    {"quiet", no_argument, NULL, 'q'},
    {"shard", required_argument, NULL, 'H'},
    {"precision", required_argument, NULL, 'E'},
    {"max-replications", required_argument, NULL, 'M'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_run_cmdline(int argc, char **argv, struct cli_cmdline *cl)
{
	return cli_cmdline_read(run_optstring, run_options, argc, argv, cl);
}

void cli_run_default_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "lpsim-out/%s", name);
}

/* shard_write_file's writer of a run shard. */
struct run_shard {
	const struct run_result *res;
	size_t shard;
	size_t nshards;
};

static int write_run_shard(FILE *f, const void *arg)
{
	const struct run_shard *rs = arg;
	return shard_write_run(f, rs->res, rs->shard, rs->nshards);
}

/* The test hook at the "swapped" point (sim/cli.h). */
static void hold_swapped(void *arg)
{
	(void)arg;
	cli_test_hold("swapped");
}

/* Opens (creates, locks) the results directory: an exit status, said on stderr when not 0. */
static int open_results_dir(const char *dir, struct adir **ad)
{
	int rc = adir_open(dir, output_run_files, OUTPUT_RUN_NFILES, ad);
	if (rc == -EWOULDBLOCK) {
		cli_error("%s: another lpsim is writing into this results directory; run again "
		          "when it is done, or choose another -o",
		          dir);
	} else if (rc < 0) {
		cli_error("%s: %s", dir, strerror(-rc));
	} else {
		adir_set_hook(*ad, hold_swapped, NULL);
		return LPSIM_EXIT_OK;
	}
	return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
}

/* A shard's directory exists (or is made) and takes files: an exit status. */
static int check_shard_dir(const char *dir)
{
	int rc = mkdir_p(dir);
	if (rc == 0 && access(dir, W_OK | X_OK) < 0)
		rc = -errno;
	if (rc == 0)
		return LPSIM_EXIT_OK;
	cli_error("%s: %s", dir, strerror(-rc));
	return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
}

/* Says which files a run whose charts failed left in dir (drawn: the charts written). */
static void say_partial(const char *dir, unsigned drawn)
{
	char done[512] = "summary.json, summary.txt, hosts.csv, vms.csv, timeline.csv, "
	                 "compliance.csv",
	     missing[256] = "";
	for (int i = 0; i < CLI_PLOT_RUN_NCHARTS; i++) {
		char *to = drawn & (1u << i) ? done : missing;
		size_t len = strlen(to), room = (drawn & (1u << i) ? sizeof(done) : sizeof(missing));
		snprintf(to + len, room - len, "%s%s", len ? ", " : "", cli_plot_run_chart_files[i]);
	}
	cli_error("%s: the results are complete (%s); not written: %s", dir, done, missing);
}

/*
 * Prints "results in DIR/ (summary.json, F, ...)": where run wrote its
 * results, the files as they are in DIR after the commit (summary.json
 * first, the rest by name). Returns what printf returns (< 0: an error).
 */
static int say_where(FILE *f, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t dl = strlen(dir);
	int rc = fprintf(f, "results in %s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/");
	bool first = true;
	for (int pass = 0; pass < 2 && rc >= 0; pass++) {
		for (int i = 0; i < n && rc >= 0; i++) {
			const char *e = names[i]->d_name;
			if (e[0] == '.' || (pass == 0) != !strcmp(e, "summary.json"))
				continue;
			rc = fprintf(f, "%s%s", first ? " (" : ", ", e);
			first = false;
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc >= 0)
		rc = fprintf(f, "%s\n", first ? "" : ")");
	return rc;
}

/*
 * Writes the run's files and charts into the staging directory of ad,
 * then, unless a signal came, commits them and prints the table. Consumes
 * ad. Returns the exit status.
 */
static int write_run(struct adir *ad, const char *outdir, const struct run_result *res,
                     struct cli_watcher *w, bool plots, bool quiet, struct cli_phases *ph)
{
	char errpath[4096] = "";
	struct output_summary sum;
	if (output_summarize(res, &sum) < 0) {
		adir_abort(ad);
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	cli_phase(ph, "summarize");
	const char *staging = adir_staging(ad);
	int status = LPSIM_EXIT_OK, charts = LPSIM_EXIT_OK;
	unsigned drawn = 0;
	cli_test_hold("write");
	int wr = atomic_load(&w->stop) ? 0
	                                : output_write_files(staging, outdir, res, &sum, &w->stop,
	                                                     errpath, sizeof(errpath));
	cli_phase(ph, "write");
	if (wr < 0 && wr != -EINTR) { /* -EINTR: a signal, taken at the commit point */
		adir_abort(ad);
		cli_error("%s: %s", errpath[0] ? errpath : outdir, strerror(-wr));
		status = wr == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
		goto out;
	}
	if (plots && !atomic_load(&w->stop))
		charts = cli_plot_run_charts_in(staging, outdir, &drawn);
	cli_phase(ph, "plot");

	/* The commit point: a signal up to here leaves the old results. */
	cli_test_hold("commit");
	int sig = cli_watcher_settle(w);
	if (sig) {
		adir_abort(ad);
		cli_error("interrupted: nothing written");
		status = 128 + sig;
		goto out;
	}
	int cr = adir_commit(ad);
	if (cr < 0) {
		cli_error("%s: %s", outdir, strerror(-cr));
		status = LPSIM_EXIT_CANTCREAT;
	} else if (charts != LPSIM_EXIT_OK) {
		/* cli_plot_run_charts_in said why; the table is not printed. */
		say_partial(outdir, drawn);
		status = charts;
	} else if (!quiet && (output_summary_text(stdout, &sum) < 0 || say_where(stdout, outdir) < 0 ||
	                      fflush(stdout) != 0)) {
		cli_error("stdout: %s (the results are in %s)", strerror(errno ? errno : EIO), outdir);
		status = LPSIM_EXIT_CANTCREAT;
	}
out:
	output_summary_fini(&sum);
	return status;
}

int cli_run(int argc, char **argv)
{
	const char *outdir = NULL, *strategy = NULL;
	struct cli_run_counts counts = {0};
	bool all = false, quiet = false, sharded = false;
	bool plots = true; /* draw the charts (not with --no-plots) */
	double precision = 0; /* --precision: 0 for a fixed count */
	uint64_t max_reps = 0;
	size_t shard = 0, nshards = 1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, run_optstring, run_options, NULL)) != -1) {
		int taken = cli_run_option("run", c, optarg, &counts);
		if (taken < 0)
			return LPSIM_EXIT_USAGE;
		if (taken > 0)
			continue;
		switch (c) {
		case 'o':
			if (!*optarg) {
				cli_error("run: -o wants a directory (got an empty name)");
				return LPSIM_EXIT_USAGE;
			}
			outdir = optarg;
			break;
		case 'S':
			strategy = optarg;
			break;
		case 'P':
			plots = false;
			break;
		case 'A':
			all = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'H':
			if (!cli_parse_shard(optarg, &shard, &nshards)) {
				cli_error("run: --shard wants I/N with 1 <= I <= N (got '%s')", optarg);
				return LPSIM_EXIT_USAGE;
			}
			sharded = true;
			break;
		case 'E': {
			char *end;
			errno = 0;
			precision = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(precision > 0 && precision < 1)) {
				cli_error("run: --precision wants a fraction between 0 and 1, exclusive "
				          "(got '%s')",
				          optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		}
		case 'M':
			if (!cli_parse_count(optarg, SCENARIO_MAX_REPLICATIONS, &max_reps)) {
				cli_error("run: --max-replications wants a count from 1 to %ld (got '%s')",
				          SCENARIO_MAX_REPLICATIONS, optarg);
				return LPSIM_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return LPSIM_EXIT_OK;
		default:
			cli_option_error("run", c, argv);
			usage(stderr);
			return LPSIM_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc ? "run: which scenario? (lpsim run SCENARIO)"
					 : "run: one scenario at a time (got '%s' too)",
			  optind < argc - 1 ? argv[optind + 1] : "");
		return LPSIM_EXIT_USAGE;
	}
	if (precision > 0 && sharded) {
		cli_error("run: --precision and --shard do not go together (the count is found as "
		          "the run goes)");
		return LPSIM_EXIT_USAGE;
	}
	if (max_reps && !(precision > 0)) {
		cli_error("run: --max-replications goes with --precision");
		return LPSIM_EXIT_USAGE;
	}
	if (sharded && all) {
		cli_error("run: --shard and --all-replications do not go together (a merge "
			  "rebuilds the CSV rows of replication 0 only)");
		return LPSIM_EXIT_USAGE;
	}
	struct run_opts o = {0};
	if (strategy && !cli_parse_strategy(strategy, &o)) {
		cli_error("run: --strategy wants live_patch, classic or both (got '%s')", strategy);
		return LPSIM_EXIT_USAGE;
	}

	const char *path = argv[optind];
	int status = LPSIM_EXIT_SOFTWARE;
	struct diag d;
	struct scenario *sc = NULL;
	struct estate *e = NULL;
	struct cli_phases ph;
	cli_phases_init(&ph);
	diag_init(&d, path);
	int rc = scenario_load_file(path, &d, &sc);
	cli_phase(&ph, "load");
	if (rc == 0 && estate_build(sc, &d, &e) < 0 && !diag_failed(&d))
		rc = -ENOMEM;
	cli_phase(&ph, "place");
	if (rc < 0 || diag_failed(&d)) {
		diag_print(&d, stderr);
		if (rc == -ENOMEM || d.oom) {
			cli_error("%s: out of memory", path);
		} else if (rc == -EINVAL || diag_failed(&d)) {
			status = LPSIM_EXIT_DATA;
		} else {
			cli_error("%s: %s", path, strerror(-rc));
			status = LPSIM_EXIT_NOINPUT;
		}
		goto out;
	}

	cli_run_opts_fill(&o, &counts, sc, strategy != NULL, quiet);
	o.all_replications = all;
	o.precision = precision;
	o.max_replications = max_reps ? (long)max_reps : RUN_DEFAULT_MAX_REPLICATIONS;
	if (sharded) {
		o.ranged = true;
		shard_rep_range(o.replications, shard, nshards, &o.rep_lo, &o.rep_hi);
	}

	/* Every replication keeps each VM's downtime (for the per-VM statistics
	 * over all of them): refuse a run that could not hold them, rather than
	 * be killed by the kernel halfway. A shard holds its own only. */
	long nreps = sharded ? o.rep_hi - o.rep_lo : precision > 0 && max_reps ? o.max_replications : o.replications;
	double need = cli_results_bytes(1, nreps, o.nstrategies, e->nvms);
	double have = cli_memory_bytes();
	if (!cli_results_fit(need, have)) {
		cli_error("%s: %ld replications of %zu VMs need about %.1f GB for the per-VM "
		          "results, more than this machine's memory allows (%.1f GB); use fewer "
		          "replications (-r)",
		          path, nreps, e->nvms, need / 1e9, CLI_RESULTS_SHARE * have / 1e9);
		status = LPSIM_EXIT_DATA; /* a limit of the input, as every other */
		goto out;
	}

	char defdir[SCENARIO_MAX_NAME_LEN + 64];
	if (!outdir) {
		cli_run_default_dir(defdir, sizeof(defdir), sc->name);
		outdir = defdir;
	}

	/* The output is checked (and a results directory locked) before the
	 * simulation, not found unusable after it. */
	struct adir *ad = NULL;
	status = sharded ? check_shard_dir(outdir) : open_results_dir(outdir, &ad);
	if (status != LPSIM_EXIT_OK)
		goto out;
	status = LPSIM_EXIT_SOFTWARE;

	struct cli_watcher w;
	cli_watcher_start(&w);

	struct run_result res;
	rc = run_replications(sc, e, &o, &w.stop, &res);
	cli_phase(&ph, "simulate");
	if (rc == 0 && sharded && !atomic_load(&w.stop)) {
		char errpath[4096];
		struct run_shard rs = {.res = &res, .shard = shard, .nshards = nshards};
		int wr = shard_write_file(outdir, shard, nshards, write_run_shard, &rs, errpath,
		                          sizeof(errpath));
		if (wr < 0) {
			cli_error("%s: %s", errpath, strerror(-wr));
			status = LPSIM_EXIT_CANTCREAT; /* also out of memory */
		} else {
			status = LPSIM_EXIT_OK;
		}
		run_result_fini(&res);
	} else if (rc == 0 && !atomic_load(&w.stop)) {
		status = write_run(ad, outdir, &res, &w, plots, quiet, &ph);
		ad = NULL;
		run_result_fini(&res);
		cli_phase(&ph, "free");
	} else if (rc == -EINTR || atomic_load(&w.stop)) {
		if (rc == 0)
			run_result_fini(&res);
		cli_error("interrupted: nothing written");
		status = 128 + atomic_load(&w.signo);
	} else {
		cli_error("%s: simulation failed: %s", path, strerror(-rc));
	}
	cli_watcher_stop(&w);
	adir_abort(ad);
out:
	estate_free(e);
	scenario_free(sc);
	diag_fini(&d);
	return status;
}
