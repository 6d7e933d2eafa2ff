/*
 * lpsim sweep: run a scenario at every point of its axes and write
 * sweep.json and sweep.csv (or, with --shard I/N, the shard's JSON Lines
 * for `lpsim merge`). Also what `plan` and `run` share with it: loading a
 * scenario with its axes, judging what sweep_run() returned, --shard's
 * argument, and reading a command line for lpsim-mpi (see cli_sweep.h).
 */
#include "sim/cli_sweep.h"
#include "sim/cli_sweep_table.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/cli_plot.h"
#include "sim/shard.h"

/* sweep's options (cli_sweep_cmdline reads a command line with them too). */
static const char sweep_optstring[] = ":o:p:r:s:j:qh";
static const struct option sweep_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"param", required_argument, NULL, 'p'},
    {"replications", required_argument, NULL, 'r'},
    {"seed", required_argument, NULL, 's'},
    {"strategy", required_argument, NULL, 'S'},
    {"jobs", required_argument, NULL, 'j'},
    {"shard", required_argument, NULL, 'H'},
    {"quiet", no_argument, NULL, 'q'},
    {"no-plots", no_argument, NULL, 'P'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_cmdline_read(const char *optstring, const struct option *opts, int argc, char **argv,
                     struct cli_cmdline *cl)
{
	memset(cl, 0, sizeof(*cl));
	/* getopt_long permutes what it reads: a copy, so argv stays as given. */
	char **av = calloc((size_t)argc + 1, sizeof(char *));
	if (!av)
		return -ENOMEM;
	memcpy(av, argv, (size_t)argc * sizeof(char *));
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, av, optstring, opts, NULL)) != -1) {
		const char *refused = NULL;
		switch (c) {
		case 'o':
			cl->outdir = optarg;
			break;
		case 'q':
			cl->quiet = true;
			break;
		case 'P':
			cl->no_plots = true;
			break;
		case 'h':
			cl->help = true;
			break;
		case 'H':
			/* "--shard=I/N" in one word, or "--shard" then its value */
			refused = optarg != av[optind - 1] ? av[optind - 1] : av[optind - 2];
			break;
		case 'A':
			refused = av[optind - 1];
			break;
		case ':':
			if (optopt == 'H')
				refused = av[optind - 1]; /* --shard without its value */
			break;
		case '?':
			/* sweep has no such option, but lpsim-mpi says why it is refused */
			if (optopt == 0 && !strcmp(av[optind - 1], "--all-replications"))
				refused = av[optind - 1];
			break;
		default:
			break; /* the command's other options */
		}
		if (refused && !cl->refused)
			cl->refused = refused;
	}
	if (optind < argc)
		cl->scenario = av[optind];
	free(av);
	return 0;
}

int cli_sweep_cmdline(int argc, char **argv, struct cli_cmdline *cl)
{
	return cli_cmdline_read(sweep_optstring, sweep_options, argc, argv, cl);
}

void cli_sweep_default_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "lpsim-out/%s-sweep", name);
}

/* shard_write_file's writer of a sweep shard. */
struct sweep_shard {
	const char *scenario_file;
	const struct sweep_plan *pl;
	const struct sweep_result *res;
	size_t shard;
	size_t nshards;
};

static int write_sweep_shard(FILE *f, const void *arg)
{
	const struct sweep_shard *ss = arg;
	return shard_write_sweep(f, ss->scenario_file, ss->pl, ss->res, ss->shard, ss->nshards);
}

bool cli_parse_shard(const char *s, size_t *shard, size_t *nshards)
{
	uint64_t i, n;
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || slash - s > 20)
		return false;
	char head[24];
	memcpy(head, s, (size_t)(slash - s));
	head[slash - s] = '\0';
	if (!cli_parse_count(head, 1000000, &i) || !cli_parse_count(slash + 1, 1000000, &n) ||
	    i > n)
		return false;
	*shard = (size_t)i - 1;
	*nshards = (size_t)n;
	return true;
}

void cli_sweep_input_fini(struct cli_sweep_input *in)
{
	sweep_plan_fini(&in->plan);
	scenario_free(in->sc);
	ytree_free(in->tree);
	diag_fini(&in->d);
	in->sc = NULL;
	in->tree = NULL;
}

int cli_sweep_load(const char *cmd, const char *path, char **params, size_t nparams,
                   struct cli_sweep_input *in)
{
	memset(in, 0, sizeof(*in));
	diag_init(&in->d, path);
	struct sweep_axis *cli = calloc(nparams ? nparams : 1, sizeof(*cli));
	int status = LPSIM_EXIT_SOFTWARE;
	if (!cli) {
		cli_error("out of memory");
		goto out;
	}
	if (nparams > SCENARIO_MAX_SWEEP_AXES) {
		cli_error("%s: --param is given %zu times, more than the limit of %d sweep axes",
		          cmd, nparams, SCENARIO_MAX_SWEEP_AXES);
		status = LPSIM_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < nparams; i++) {
		char why[256];
		int rc = sweep_axis_parse(params[i], &cli[i], why, sizeof(why));
		if (rc < 0) {
			cli_error("%s: %s", cmd, why);
			status = rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_USAGE;
			goto out;
		}
		for (size_t j = 0; j < i; j++) /* at most 16 of them */
			if (!strcmp(cli[j].path, cli[i].path)) {
				cli_error(
				    "%s: --param %.200s is given twice: list its values in one "
				    "--param",
				    cmd, cli[i].path);
				status = LPSIM_EXIT_USAGE;
				goto out;
			}
	}
	int rc = ytree_load_file(path, &in->d, &in->tree);
	if (rc == 0) {
		in->sc = scenario_convert(in->tree, &in->d);
		if (in->sc)
			rc = scenario_check_sweep(in->tree, in->sc, &in->d);
		else
			rc = in->d.oom ? -ENOMEM : -EINVAL;
	}
	if (rc == 0) {
		rc = sweep_plan_init(&in->plan, in->sc, cli, nparams);
		if (rc == -E2BIG) {
			cli_error("%s: %s: more than %d axes or %ld points", cmd, path,
			          SCENARIO_MAX_SWEEP_AXES, SCENARIO_MAX_SWEEP_POINTS);
			status = LPSIM_EXIT_USAGE;
			goto out;
		}
	}
	if (rc == 0)
		rc = sweep_check_cli_axes(in->tree, &in->plan, &in->d);
	if (rc < 0 || diag_failed(&in->d)) {
		diag_print(&in->d, stderr);
		if (rc == -ENOMEM || in->d.oom) {
			cli_error("%s: out of memory", path);
		} else if (rc == -EINVAL || diag_failed(&in->d)) {
			status = LPSIM_EXIT_DATA;
		} else {
			cli_error("%s: %s", path, strerror(-rc));
			status = LPSIM_EXIT_NOINPUT;
		}
		goto out;
	}
	status = 0;
out:
	for (size_t i = 0; cli && i < nparams; i++)
		sweep_axis_fini(&cli[i]);
	free(cli);
	if (status)
		cli_sweep_input_fini(in);
	return status;
}

int cli_sweep_run_status(const char *cmd, const char *path, int rc, struct cli_watcher *w,
                         struct cli_sweep_input *in, struct sweep_result *res,
                         const char *interrupted)
{
	if (rc == -EINTR || atomic_load(&w->stop)) {
		if (rc == 0)
			sweep_result_fini(res);
		cli_error("%s", interrupted);
		return 128 + atomic_load(&w->signo);
	} else if (rc == -EINVAL) {
		diag_print(&in->d, stderr);
		return LPSIM_EXIT_DATA;
	} else if (rc < 0) {
		diag_print(&in->d, stderr);
		cli_error("%s: %s failed: %s", path, cmd, strerror(-rc));
		return LPSIM_EXIT_SOFTWARE;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: lpsim sweep SCENARIO [-o DIR] [--param PATH=V1,V2,...]... [-j JOBS]\n"
	        "                   [-r N] [-s SEED] [--strategy live_patch|classic|both]\n"
	        "                   [--shard I/N] [--no-plots] [--quiet]\n"
	        "\n"
	        "Runs the scenario at every point of the cross product of its sweep axes\n"
	        "(its `sweep:` and the --param options; the last axis varies fastest) and\n"
	        "writes sweep.json, sweep.csv and sweep.png into DIR (default\n"
	        "./lpsim-out/<name>-sweep/).\n"
	        "Every point uses the same seed (common random numbers).\n"
	        "  -p, --param PATH=V,...  an axis: the scalar at PATH takes each value; replaces\n"
	        "                          the scenario's axis of the same PATH\n"
	        "  -o, --output DIR        results directory\n"
	        "  -r, --replications N    replications per point (default: the scenario's)\n"
	        "  -s, --seed SEED         random seed (default: the scenario's)\n"
	        "      --strategy S        live_patch, classic or both (default: the scenario's)\n"
	        "  -j, --jobs JOBS         threads (default: the number of cores)\n"
	        "      --shard I/N         compute only points k with k mod N = I-1 and write\n"
	        "                          DIR/shard-I-of-N.jsonl (combine with `lpsim merge`)\n"
	        "      --no-plots          draw no sweep.png (lpsim plot DIR --chart sweep does)\n"
	        "  -q, --quiet             no progress bar and no table\n");
}

/* Prints sweep.csv of dir as a compact table on stdout; the exit status. */
static int print_table(const char *dir)
{
	char csv[4096];
	snprintf(csv, sizeof(csv), "%s/sweep.csv", dir);
	int rc = cli_sweep_table(stdout, csv);
	if (rc == 0 && fflush(stdout) != 0)
		rc = -(errno ? errno : EIO);
	if (rc < 0) {
		cli_error("%s: %s (the results are in %s)", rc == -EIO || rc == -ENOSPC ? "stdout" : csv,
		          strerror(-rc), dir);
		return rc == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
	}
	return LPSIM_EXIT_OK;
}

int cli_sweep(int argc, char **argv)
{
	bool plots = true;
	const char *outdir = NULL, *strategy = NULL;
	struct cli_run_counts counts = {0};
	bool quiet = false, sharded = false;
	size_t shard = 0, nshards = 1, nparams = 0;
	char **params = calloc((size_t)argc + 1, sizeof(char *));
	int c, status = LPSIM_EXIT_USAGE;
	if (!params) {
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, sweep_optstring, sweep_options, NULL)) != -1) {
		int taken = cli_run_option("sweep", c, optarg, &counts);
		if (taken < 0)
			goto out_params;
		if (taken > 0)
			continue;
		switch (c) {
		case 'o':
			if (!*optarg) {
				cli_error("sweep: -o wants a directory (got an empty name)");
				goto out_params;
			}
			outdir = optarg;
			break;
		case 'p':
			params[nparams++] = optarg;
			break;
		case 'S':
			strategy = optarg;
			break;
		case 'H':
			if (!cli_parse_shard(optarg, &shard, &nshards)) {
				cli_error("sweep: --shard wants I/N with 1 <= I <= N (got '%s')",
				          optarg);
				goto out_params;
			}
			sharded = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'P':
			plots = false;
			break;
		case 'h':
			usage(stdout);
			status = LPSIM_EXIT_OK;
			goto out_params;
		default:
			cli_option_error("sweep", c, argv);
			usage(stderr);
			goto out_params;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc ? "sweep: which scenario? (lpsim sweep SCENARIO)"
		                         : "sweep: one scenario at a time (got '%s' too)",
		          optind < argc - 1 ? argv[optind + 1] : "");
		goto out_params;
	}
	struct sweep_opts so = {.shard = shard, .nshards = nshards};
	if (strategy && !cli_parse_strategy(strategy, &so.run)) {
		cli_error("sweep: --strategy wants live_patch, classic or both (got '%s')",
		          strategy);
		goto out_params;
	}
	const char *path = argv[optind];
	struct cli_sweep_input in;
	status = cli_sweep_load("sweep", path, params, nparams, &in);
	if (status)
		goto out_params;
	cli_run_opts_fill(&so.run, &counts, in.sc, strategy != NULL, quiet);

	/* Points run at once each keep every VM's downtime of every replication
	 * (as `run` does): refuse a sweep that could not hold them. The VM count
	 * is the scenario's own; axes that grow it grow the need. */
	size_t mine = sweep_shard_points(in.plan.npoints, shard, nshards);
	double at_once = (double)sweep_points_at_once(so.run.jobs, mine);
	double need = cli_results_bytes(at_once, so.run.replications, so.run.nstrategies,
	                                (size_t)in.sc->total_vms);
	double have = cli_memory_bytes();
	if (!cli_results_fit(need, have)) {
		cli_error(
		    "%s: %.0f points at once of %ld replications of %ld VMs need about %.1f GB "
		    "for the per-VM results, more than this machine's memory allows (%.1f GB); "
		    "use fewer jobs (-j) or replications (-r)",
		    path, at_once, so.run.replications, in.sc->total_vms, need / 1e9,
		    CLI_RESULTS_SHARE * have / 1e9);
		cli_sweep_input_fini(&in);
		status = LPSIM_EXIT_DATA; /* a limit of the input, as every other */
		goto out_params;
	}

	char defdir[SCENARIO_MAX_NAME_LEN + 64];
	if (!outdir) {
		cli_sweep_default_dir(defdir, sizeof(defdir), in.sc->name);
		outdir = defdir;
	}

	struct cli_watcher w;
	cli_watcher_start(&w);
	struct sweep_result res;
	int rc = sweep_run(in.tree, &in.plan, &so, &w.stop, &in.d, &res);
	status =
	    cli_sweep_run_status("sweep", path, rc, &w, &in, &res, "interrupted: nothing written");
	if (status == 0) {
		char errpath[4096] = "";
		int wr;
		if (sharded) {
			struct sweep_shard ss = {.scenario_file = path,
			                         .pl = &in.plan,
			                         .res = &res,
			                         .shard = shard,
			                         .nshards = nshards};
			wr = shard_write_file(outdir, shard, nshards, write_sweep_shard, &ss,
			                      errpath, sizeof(errpath));
		} else {
			wr = sweep_write_dir(outdir, &in.plan, &res, errpath, sizeof(errpath));
		}
		if (wr < 0) {
			cli_error("%s: %s", errpath[0] ? errpath : outdir, strerror(-wr));
			status = wr == -ENOMEM ? LPSIM_EXIT_SOFTWARE : LPSIM_EXIT_CANTCREAT;
		} else {
			/* A chart that could not be drawn: cli_plot_sweep_chart said why. */
			status = plots && !sharded ? cli_plot_sweep_chart(outdir) : LPSIM_EXIT_OK;
			if (status == LPSIM_EXIT_OK && !quiet && !sharded)
				status = print_table(outdir);
			if (status == LPSIM_EXIT_OK && !quiet)
				fprintf(stderr,
				        "lpsim: sweep: %zu points in %.1f s; results in %s\n", mine,
				        res.wall_s, outdir);
		}
		sweep_result_fini(&res);
	}
	cli_watcher_stop(&w);
	cli_sweep_input_fini(&in);
out_params:
	free(params);
	return status;
}
