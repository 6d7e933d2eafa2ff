/*
 * lpsim plan: the cheapest value of one sweep axis whose makespan fits a
 * maintenance window at a given confidence, with the evidence.
 *
 * The criterion: with confidence C (default 0.95) the window must hold in
 * a fraction C of maintenance windows, i.e. the C-quantile of the makespan
 * must be <= the window. The C-quantile is not known, only n replications
 * of it, so plan takes a distribution-free 95% upper confidence bound on
 * it: the k-th smallest makespan X(k), k the smallest with
 * P(Binomial(n, C) <= k - 1) >= 0.95 (the order-statistic, or binomial,
 * method). A value fits when that bound is <= the window. Unlike the
 * replication quantile itself (the sample p95), which is below the true
 * p95 about half of the time, this errs on the safe side, and it assumes
 * nothing about the shape of the distribution. It needs
 * n >= log(0.05) / log(C) replications (59 for 0.95): plan runs at least
 * that many.
 */
#include "sim/cli_plan.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "sim/cli.h"
#include "sim/cli_sweep.h"
#include "sim/sweep.h"

/* The one-sided confidence level of the bound on the quantile. */
#define PLAN_BOUND_LEVEL 0.95

static void usage(FILE *f)
{
	fprintf(f, "usage: lpsim plan SCENARIO --window DURATION [--confidence C]\n"
	           "                  [--param PATH=V1,V2,...]... [-r N] [-s SEED]\n"
	           "                  [--strategy live_patch|classic|both] [-j JOBS] [--quiet]\n"
	           "\n"
	           "Finds the smallest value of one axis (e.g. parallel.max_hosts) whose\n"
	           "remediation makespan fits the window in a fraction C of maintenance\n"
	           "windows, and prints the evidence for every value.\n"
	           "\n"
	           "The axis: the last --param, else the scenario's first sweep axis; the\n"
	           "scenario's other axes keep the scenario's own values. Values are tried from\n"
	           "the smallest (numerically; in the order given when not all are numbers).\n"
	           "\n"
	           "The criterion: a value fits when a 95%% upper confidence bound on the\n"
	           "C-quantile of the makespan is <= the window. The bound is the k-th smallest\n"
	           "makespan of the n replications, k the smallest with\n"
	           "P(Binomial(n, C) <= k-1) >= 0.95 (distribution-free, order statistics).\n"
	           "The plain replication quantile would be too low half of the time; this\n"
	           "bound errs on the safe side. It needs n >= log(0.05)/log(C) replications\n"
	           "(59 for C = 0.95), so plan runs at least that many.\n"
	           "When no value fits, plan says so (exit status 0) and names the closest.\n"
	           "  -w, --window DURATION   the maintenance window, e.g. 4h, 90m\n"
	           "  -c, --confidence C      fraction of windows that must fit (default 0.95)\n"
	           "  -p, --param PATH=V,...  the axis to choose a value of\n"
	           "  -r, --replications N    per value (default: the scenario's, at least the\n"
	           "                          minimum above)\n"
	           "  -s, --seed SEED, --strategy S, -j JOBS, -q: as for sweep\n");
}

static void fmt_dur(char *buf, size_t len, double s)
{
	if (!isfinite(s))
		snprintf(buf, len, "-");
	else if (s < 120)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.1f min", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The smallest n for which the bound exists at quantile q. */
static long min_replications(double q)
{
	return (long)ceil(log(1 - PLAN_BOUND_LEVEL) / log(q) - 1e-9);
}

/*
 * The 1-based rank k of the order statistic that bounds the q-quantile of
 * n values from above with confidence PLAN_BOUND_LEVEL; 0 when n is too
 * small.
 */
static size_t bound_rank(size_t n, double q)
{
	for (size_t k = 1; k <= n; k++)
		if (gsl_cdf_binomial_P((unsigned)(k - 1), q, (unsigned)n) >= PLAN_BOUND_LEVEL)
			return k;
	return 0;
}

/*
 * The limits run and sweep enforce, checked before anything runs: the
 * replications the confidence needs (the limit of -r), and the memory the
 * per-VM results and the kept makespans need. Reports and returns true
 * when plan must refuse (exit status LPSIM_EXIT_USAGE, as run's).
 */
static bool plan_over_limits(const char *path, double conf, long nmin, const struct sweep_opts *so,
                             const struct cli_sweep_input *in)
{
	if (nmin > SCENARIO_MAX_REPLICATIONS) {
		cli_error("plan: --confidence %g needs at least %ld replications for a 95%% bound "
		          "on the p%g, more than the limit of %ld replications",
		          conf, nmin, conf * 100, SCENARIO_MAX_REPLICATIONS);
		return true;
	}
	const struct sweep_axis *ax = &in->plan.axes[0];
	long reps = so->run.replications;
	double at_once = (double)sweep_points_at_once(so->run.jobs, ax->nvalues);
	double need = cli_results_bytes(at_once, reps, so->run.nstrategies,
	                                (size_t)in->sc->total_vms) +
	              (double)ax->nvalues * (double)reps * (double)so->run.nstrategies *
	                  (double)sizeof(double);
	double have = cli_memory_bytes();
	if (!cli_results_fit(need, have)) {
		cli_error("%s: %zu values of %ld replications of %ld VMs need about %.1f GB for "
		          "the per-VM results and makespans, more than this machine's memory "
		          "allows (%.1f GB); use fewer jobs (-j), replications (-r) or a lower "
		          "--confidence",
		          path, ax->nvalues, reps, in->sc->total_vms, need / 1e9,
		          CLI_RESULTS_SHARE * have / 1e9);
		return true;
	}
	return false;
}

int cli_plan(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"window", required_argument, NULL, 'w'},
	    {"confidence", required_argument, NULL, 'c'},
	    {"param", required_argument, NULL, 'p'},
	    {"replications", required_argument, NULL, 'r'},
	    {"seed", required_argument, NULL, 's'},
	    {"strategy", required_argument, NULL, 'S'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *strategy = NULL;
	double window = -1, conf = 0.95;
	struct cli_run_counts counts = {0};
	bool quiet = false;
	size_t nparams = 0;
	char **params = calloc((size_t)argc + 1, sizeof(char *));
	int c, status = LPSIM_EXIT_USAGE;
	if (!params) {
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:c:p:r:s:j:qh", opts, NULL)) != -1) {
		int taken = cli_run_option("plan", c, optarg, &counts);
		if (taken < 0)
			goto out_params;
		if (taken > 0)
			continue;
		char why[128];
		char *end;
		switch (c) {
		case 'w':
			if (!scenario_parse_duration(optarg, &window, why, sizeof(why)) ||
			    !(window > 0)) {
				cli_error(
				    "plan: --window wants a duration such as 4h or 90m (got '%s')",
				    optarg);
				goto out_params;
			}
			break;
		case 'c':
			errno = 0;
			conf = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(conf > 0 && conf < 1)) {
				cli_error("plan: --confidence wants a number between 0 and 1, "
				          "exclusive (got '%s')",
				          optarg);
				goto out_params;
			}
			break;
		case 'p':
			params[nparams++] = optarg;
			break;
		case 'S':
			strategy = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			status = LPSIM_EXIT_OK;
			goto out_params;
		default:
			cli_option_error("plan", c, argv);
			usage(stderr);
			goto out_params;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc ? "plan: which scenario? (lpsim plan SCENARIO --window 4h)"
		                         : "plan: one scenario at a time (got '%s' too)",
		          optind < argc - 1 ? argv[optind + 1] : "");
		goto out_params;
	}
	if (window < 0) {
		cli_error("plan: which window? (--window 4h)");
		goto out_params;
	}
	struct sweep_opts so = {.nshards = 1, .keep_makespans = true};
	if (strategy && !cli_parse_strategy(strategy, &so.run)) {
		cli_error("plan: --strategy wants live_patch, classic or both (got '%s')",
		          strategy);
		goto out_params;
	}
	const char *path = argv[optind];
	struct cli_sweep_input in;
	status = cli_sweep_load("plan", path, params, nparams, &in);
	if (status)
		goto out_params;
	status = LPSIM_EXIT_USAGE;
	if (in.plan.naxes == 0) {
		cli_error("plan: %s has no sweep axis: name the one to choose with --param "
		          "PATH=V1,V2,...",
		          path);
		goto out_input;
	}
	/* The axis: the last --param (found by path), else the first. */
	size_t ai = 0;
	if (nparams) {
		const char *eq = strchr(params[nparams - 1], '=');
		size_t plen = (size_t)(eq - params[nparams - 1]);
		for (size_t a = 0; a < in.plan.naxes; a++)
			if (strlen(in.plan.axes[a].path) == plen &&
			    !strncmp(in.plan.axes[a].path, params[nparams - 1], plen))
				ai = a;
	}
	sweep_plan_keep_axis(&in.plan, ai);
	const struct sweep_axis *ax = &in.plan.axes[0];

	long nmin = min_replications(conf);
	cli_run_opts_fill(&so.run, &counts, in.sc, strategy != NULL, quiet);
	if (!counts.reps && so.run.replications < nmin)
		so.run.replications = nmin;
	if (plan_over_limits(path, conf, nmin, &so, &in))
		goto out_input;

	/* Values from the smallest: numerically when all are numbers. */
	size_t nv = ax->nvalues;
	size_t *order = calloc(nv, sizeof(size_t));
	double *num = calloc(nv, sizeof(double));
	double *xs = calloc((size_t)so.run.replications, sizeof(double));
	if (!order || !num || !xs) {
		cli_error("out of memory");
		status = LPSIM_EXIT_SOFTWARE;
		goto out_free;
	}
	bool numeric = true;
	for (size_t j = 0; j < nv; j++) {
		char *end;
		num[j] = strtod(ax->values[j], &end);
		numeric = numeric && end != ax->values[j] && !*end;
		order[j] = j;
	}
	for (size_t i = 1; numeric && i < nv; i++)
		for (size_t j = i; j > 0 && num[order[j - 1]] > num[order[j]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}

	struct cli_watcher w;
	cli_watcher_start(&w);
	struct sweep_result res;
	int rc = sweep_run(in.tree, &in.plan, &so, &w.stop, &in.d, &res);
	cli_watcher_stop(&w);
	status = cli_sweep_run_status("plan", path, rc, &w, &in, &res, "interrupted");
	if (status)
		goto out_free;

	size_t n = (size_t)so.run.replications;
	size_t k = bound_rank(n, conf);
	char wbuf[32];
	fmt_dur(wbuf, sizeof(wbuf), window);
	printf("plan: the smallest %s whose makespan fits %s in %g%% of windows\n", ax->path, wbuf,
	       conf * 100);
	if (k)
		printf("bound: the %zu-th smallest of %zu replications, a 95%% upper confidence "
		       "bound on the p%g of the makespan\n",
		       k, n, conf * 100);
	else
		printf("bound: none: %zu replications are too few for a 95%% bound on the p%g "
		       "(need %ld; -r)\n",
		       n, conf * 100, nmin);
	for (size_t si = 0; si < so.run.nstrategies; si++) {
		printf("\n%s\n  %-12s %12s %12s %12s  %s\n",
		       scenario_strategy_name(so.run.strategies[si]), "value", "mean", "p95",
		       "bound", "fits");
		size_t best = SIZE_MAX, closest = SIZE_MAX;
		double closest_b = (double)INFINITY;
		for (size_t i = 0; i < nv; i++) {
			size_t j = order[i];
			const struct output_strategy *o = &res.sums[j].strategies[si];
			for (size_t r = 0; r < n; r++) {
				double v = res.makespans[j][si * n + r];
				xs[r] = isnan(v) ? (double)INFINITY : v;
			}
			qsort(xs, n, sizeof(double), cmp_double);
			double b = k ? xs[k - 1] : (double)NAN;
			bool fits = k && b <= window;
			if (fits && best == SIZE_MAX)
				best = j;
			if (k && b < closest_b) {
				closest_b = b;
				closest = j;
			}
			char m[32], p[32], bb[32];
			fmt_dur(m, sizeof(m), o->makespan_s.mean);
			fmt_dur(p, sizeof(p), o->makespan_s.p95);
			fmt_dur(bb, sizeof(bb), b);
			printf("  %-12s %12s %12s %12s  %s\n", ax->values[j], m, p, bb,
			       fits ? "yes" : "no");
		}
		if (best != SIZE_MAX)
			printf("answer: %s = %s\n", ax->path, ax->values[best]);
		else if (closest != SIZE_MAX) {
			fmt_dur(wbuf, sizeof(wbuf), closest_b);
			printf("answer: none fits; the closest is %s = %s (bound %s)\n", ax->path,
			       ax->values[closest], wbuf);
		} else
			printf("answer: none can be shown to fit (too few replications)\n");
	}
	status = LPSIM_EXIT_OK;
	if (fflush(stdout) != 0) {
		cli_error("stdout: %s", strerror(errno ? errno : EIO));
		status = LPSIM_EXIT_CANTCREAT;
	}
	sweep_result_fini(&res);
out_free:
	free(order);
	free(num);
	free(xs);
out_input:
	cli_sweep_input_fini(&in);
out_params:
	free(params);
	return status;
}
