/*
 * lpsim plan: the cheapest value of one sweep axis under which the whole
 * scope (the estate, or one cluster: --scope) gets patched (--metric
 * makespan) or compliant (--metric compliance) within a maintenance window
 * in a fraction C of windows, with the evidence.
 *
 * The criterion is sim/answer.h's, the one `report` applies too: per
 * replication the scope's makespan (time to compliance), +infinity when
 * some host of the scope was blocked, failed, not started or still in
 * remediation at the end (never compliant); a value fits when the
 * order-statistic 95% upper confidence bound on the C-quantile of these
 * values (the k-th smallest of n, k the smallest with
 * P(Binomial(n, C) <= k - 1) >= 0.95) is <= the window. Unlike the sample
 * quantile, which is below the true one about half of the time, this errs
 * on the safe side and assumes nothing about the distribution's shape. It
 * needs n >= log(0.05) / log(C) replications (59 for 0.95): plan runs at
 * least that many. A value under which the scope is never wholly patched
 * does not fit, and the answer says why (the blocked clusters and their
 * ineligible hosts, the failed or not started hosts).
 */
#include "sim/cli_plan.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/estate.h"
#include "models/scan.h"
#include "sim/answer.h"
#include "sim/cli.h"
#include "sim/cli_sweep.h"
#include "sim/stats.h"
#include "sim/sweep.h"


static void usage(FILE *f)
{
	fprintf(f, "usage: lpsim plan SCENARIO --window DURATION [--confidence C]\n"
	           "                  [--metric makespan|compliance] [--scope CLUSTER|estate]\n"
	           "                  [--param PATH=V1,V2,...]... [-r N] [-s SEED]\n"
	           "                  [--strategy live_patch|classic|both] [-j JOBS] [--quiet]\n"
	           "\n"
	           "Finds the smallest value of one axis (e.g. parallel.max_hosts) under which\n"
	           "the whole scope gets patched (or compliant, --metric compliance) within\n"
	           "the window in a fraction C of maintenance windows, and prints the evidence\n"
	           "for every value. A replication in which some host of the scope is blocked,\n"
	           "failed, not started or still in remediation does not fit any window.\n"
	           "\n"
	           "The axis: the last --param, else the scenario's first sweep axis; the\n"
	           "scenario's other axes keep the scenario's own values. Values are tried from\n"
	           "the smallest (numerically; in the order given when not all are numbers).\n"
	           "\n"
	           "The criterion (the one `lpsim report --window` applies): a value fits when\n"
	           "a 95%% upper confidence bound on the C-quantile of the metric is <= the\n"
	           "window. The bound is the k-th smallest\n"
	           "value of the n replications, k the smallest with\n"
	           "P(Binomial(n, C) <= k-1) >= 0.95 (distribution-free, order statistics).\n"
	           "The plain replication quantile would be too low half of the time; this\n"
	           "bound errs on the safe side. It needs n >= log(0.05)/log(C) replications\n"
	           "(59 for C = 0.95), so plan runs at least that many.\n"
	           "When no value fits, plan says so and why (exit status 0) and names the\n"
	           "closest.\n"
	           "  -w, --window DURATION   the maintenance window, e.g. 4h, 90m\n"
	           "  -m, --metric M          makespan (every host patched, default) or\n"
	           "                          compliance (every host compliant)\n"
	           "  --scope CLUSTER|estate  the hosts that must make it (default: estate)\n"
	           "  -c, --confidence C      fraction of windows that must fit (default 0.95)\n"
	           "  -p, --param PATH=V,...  the axis to choose a value of\n"
	           "  -r, --replications N    per value (default: the scenario's, at least the\n"
	           "                          minimum above)\n"
	           "  -s, --seed SEED         random seed (default: the scenario's)\n"
	           "  --strategy S            live_patch, classic or both (default: the scenario's)\n"
	           "  -j, --jobs JOBS         threads (default: the number of cores)\n"
	           "  -q, --quiet             no progress bar\n"
	           "  --json                  the same as one JSON document: per strategy, every\n"
	           "                          value's row and the answer\n"
	           "                          (plots/schemas/plan.schema.json)\n");
}

static void fmt_dur(char *buf, size_t len, double s)
{
	if (!isfinite(s))
		snprintf(buf, len, "-");
	else if (fabs(s) < 120)
		snprintf(buf, len, "%.1f s", s);
	else if (fabs(s) < 7200)
		snprintf(buf, len, "%.1f min", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
}

/* Whether the scenario has a cluster named name; says so on stderr when not. */
static bool scope_exists(const struct scenario *sc, const char *name)
{
	struct diag d;
	diag_init(&d, sc->file);
	struct estate *e = NULL;
	bool found = false;
	if (estate_build(sc, &d, &e) == 0)
		answer_scope_find(e, name, &found);
	else
		found = true; /* placement errors: the sweep reports them */
	if (!found) {
		cli_error("plan: --scope wants a cluster of %s or estate (got '%s')", sc->file,
		          name);
		if (e && e->nclusters) {
			char cn[SCENARIO_MAX_NAME_LEN + 1];
			estate_cluster_name(e, 0, cn, sizeof(cn));
			fprintf(stderr, "lpsim: its first cluster is '%s'\n", cn);
		}
	}
	estate_free(e);
	diag_fini(&d);
	return found;
}

/*
 * The paired difference x[r] - base[r] over the replications where both
 * are finite (the same replication at two values: common random numbers),
 * into *st (its n the count); false when none (or out of memory).
 */
static bool paired_stats(struct stat_summary *st, const double *base, const double *x, size_t n)
{
	double *a = malloc(2 * (n ? n : 1) * sizeof(double)), *b = a ? a + n : NULL;
	size_t k = 0;
	for (size_t r = 0; a && r < n; r++)
		if (isfinite(base[r]) && isfinite(x[r])) {
			a[k] = x[r];
			b[k] = base[r];
			k++;
		}
	bool ok = a && k && stat_of_diff(st, a, b, a, k) == 0;
	free(a);
	return ok;
}

/* A number as JSON: null when not finite. */
static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

/* One value of the axis at one strategy: what the table shows. */
struct plan_row {
	double mean;  /* over the replications that patched the whole scope; NaN if none */
	size_t whole; /* replications that did */
	double bound; /* the order-statistic bound; INFINITY: never */
	bool fits;
	bool have_diff; /* diff: the paired difference from the first value */
	struct stat_summary diff;
};

static void plan_row(struct plan_row *row, const struct sweep_result *res, size_t j,
                     size_t first, size_t si, size_t n, double conf, double window, double *xs)
{
	double sum = 0;
	row->whole = 0;
	for (size_t r = 0; r < n; r++) {
		double v = res->makespans[j][si * n + r];
		xs[r] = isnan(v) ? (double)INFINITY : v;
		if (isfinite(xs[r])) {
			row->whole++;
			sum += xs[r];
		}
	}
	row->bound = answer_quantile_bound(xs, n, conf);
	if (row->whole == 0)
		row->bound = (double)INFINITY; /* no bound needed: every replication is "never" */
	row->mean = row->whole ? sum / (double)row->whole : (double)NAN;
	row->fits = !isnan(row->bound) && row->bound <= window;
	row->have_diff = j != first && paired_stats(&row->diff, res->makespans[first] + si * n,
	                                            res->makespans[j] + si * n, n);
}

static void print_row(const struct plan_row *row, const char *value, size_t n, bool baseline)
{
	char m[32], w[32], bb[32], pd[160] = "-";
	fmt_dur(m, sizeof(m), row->mean);
	snprintf(w, sizeof(w), "%zu/%zu", row->whole, n);
	if (isinf(row->bound))
		snprintf(bb, sizeof(bb), "never");
	else
		fmt_dur(bb, sizeof(bb), row->bound);
	if (baseline) {
		snprintf(pd, sizeof(pd), "(baseline)");
	} else if (row->have_diff) {
		char dm[32], lo[32], hi[32];
		fmt_dur(dm, sizeof(dm), row->diff.mean);
		fmt_dur(lo, sizeof(lo), row->diff.ci95_lo);
		fmt_dur(hi, sizeof(hi), row->diff.ci95_hi);
		snprintf(pd, sizeof(pd), "%s [%s, %s] (%zu)", dm, lo, hi, row->diff.n);
	}
	printf("  %-12s %12s %12s %12s  %-4s  %s\n", value, m, w, bb, row->fits ? "yes" : "no", pd);
}

static void json_row(FILE *f, const struct plan_row *row, const char *value, size_t n,
                     bool first)
{
	fputs(first ? "{\"value\": " : ", {\"value\": ", f);
	scan_json_string(f, value);
	fputs(", \"mean_s\": ", f);
	json_num(f, row->mean);
	fprintf(f, ", \"whole\": %zu, \"replications\": %zu, \"bound_s\": ", row->whole, n);
	json_num(f, row->bound);
	fprintf(f, ", \"never\": %s, \"fits\": %s, \"paired_difference_s\": ",
	        isinf(row->bound) ? "true" : "false", row->fits ? "true" : "false");
	if (row->have_diff) {
		fputs("{\"mean\": ", f);
		json_num(f, row->diff.mean);
		fputs(", \"ci95_lo\": ", f);
		json_num(f, row->diff.ci95_lo);
		fputs(", \"ci95_hi\": ", f);
		json_num(f, row->diff.ci95_hi);
		fprintf(f, ", \"n\": %zu}", row->diff.n);
	} else {
		fputs("null", f);
	}
	fputc('}', f);
}

/*
 * One strategy's table and answer, as text or (json) as one member of
 * "strategies". xs: room for n doubles.
 */
static void plan_strategy(const struct sweep_result *res, const struct sweep_axis *ax,
                          const size_t *order, size_t nv, size_t si, size_t n, double conf,
                          double window, enum answer_metric metric, double *xs, bool json)
{
	const struct output_summary *s0 = &res->sums[order[0]];
	const char *sname = scenario_strategy_name(s0->strategies[si].strategy);
	if (json) {
		printf("%s{\"strategy\": \"%s\", \"values\": [", si ? ", " : "", sname);
	} else {
		printf("\n%s\n  %-12s %12s %12s %12s  %-4s  %s\n", sname, "value", "mean", "whole",
		       "bound", "fits", "paired difference from the first value [95% CI]");
	}
	size_t best = SIZE_MAX, closest = SIZE_MAX, wholes = 0;
	double closest_b = (double)INFINITY;
	for (size_t i = 0; i < nv; i++) {
		size_t j = order[i];
		struct plan_row row;
		plan_row(&row, res, j, order[0], si, n, conf, window, xs);
		wholes += row.whole;
		if (row.fits && best == SIZE_MAX)
			best = j;
		if (!isnan(row.bound) && row.bound < closest_b) {
			closest_b = row.bound;
			closest = j;
		}
		if (json)
			json_row(stdout, &row, ax->values[j], n, i == 0);
		else
			print_row(&row, ax->values[j], n, i == 0);
	}
	char answer[512];
	if (best != SIZE_MAX) {
		snprintf(answer, sizeof(answer), "%s = %s", ax->path, ax->values[best]);
	} else if (closest != SIZE_MAX) {
		char c[32];
		fmt_dur(c, sizeof(c), closest_b);
		snprintf(answer, sizeof(answer), "none fits; the closest is %s = %s (bound %s)",
		         ax->path, ax->values[closest], c);
	} else {
		/* Every bound is "never" (or there is none): say why, from the first value. */
		const char *why = res->why[order[0]] + si * OUTPUT_WHY_LEN;
		bool too_few = wholes && answer_bound_rank(n, conf) == 0;
		if (too_few)
			snprintf(answer, sizeof(answer),
			         "none can be shown to fit (too few replications)");
		else if (why[0])
			snprintf(answer, sizeof(answer), "none fits: %s", why);
		else
			snprintf(answer, sizeof(answer),
			         "none fits: the scope is never wholly %s within the window",
			         metric == ANSWER_COMPLIANCE ? "compliant" : "patched");
	}
	if (!json) {
		printf("answer: %s\n", answer);
		return;
	}
	printf("], \"answer\": {\"fits\": %s, \"value\": ", best != SIZE_MAX ? "true" : "false");
	if (best != SIZE_MAX)
		scan_json_string(stdout, ax->values[best]);
	else
		fputs("null", stdout);
	fputs(", \"closest\": ", stdout);
	if (best == SIZE_MAX && closest != SIZE_MAX)
		scan_json_string(stdout, ax->values[closest]);
	else
		fputs("null", stdout);
	fputs(", \"text\": ", stdout);
	scan_json_string(stdout, answer);
	fputs("}}", stdout);
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
	    {"metric", required_argument, NULL, 'm'},
	    {"scope", required_argument, NULL, 'O'},
	    {"param", required_argument, NULL, 'p'},
	    {"replications", required_argument, NULL, 'r'},
	    {"seed", required_argument, NULL, 's'},
	    {"strategy", required_argument, NULL, 'S'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *strategy = NULL, *scope = NULL;
	enum answer_metric metric = ANSWER_MAKESPAN;
	double window = -1, conf = 0.95;
	struct cli_run_counts counts = {0};
	bool quiet = false, json = false;
	size_t nparams = 0;
	char **params = calloc((size_t)argc + 1, sizeof(char *));
	int c, status = LPSIM_EXIT_USAGE;
	if (!params) {
		cli_error("out of memory");
		return LPSIM_EXIT_SOFTWARE;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:c:m:p:r:s:j:qh", opts, NULL)) != -1) {
		int taken = cli_run_option("plan", c, optarg, &counts);
		if (taken < 0)
			goto out_params;
		if (taken > 0)
			continue;
		char *end;
		switch (c) {
		case 'w':
			if (!cli_parse_duration("plan", "--window", optarg, &window))
				goto out_params;
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
		case 'm':
			if (!answer_metric_parse(optarg, &metric)) {
				cli_error("plan: --metric wants makespan or compliance (got '%s')",
				          optarg);
				goto out_params;
			}
			break;
		case 'O':
			scope = optarg;
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
		case 'J':
			json = true;
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
	struct sweep_opts so = {.nshards = 1, .keep_makespans = true, .metric = (int)metric};
	if (scope && strcmp(scope, "estate"))
		so.scope = scope;
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
	if (so.scope && !scope_exists(in.sc, so.scope))
		goto out_input;
	sweep_plan_keep_axis(&in.plan, ai);
	const struct sweep_axis *ax = &in.plan.axes[0];

	long nmin = answer_min_replications(conf);
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
	size_t k = answer_bound_rank(n, conf);
	char wbuf[32];
	const char *what = metric == ANSWER_COMPLIANCE ? "compliant" : "patched";
	fmt_dur(wbuf, sizeof(wbuf), window);
	char question[1024], bound[512];
	snprintf(question, sizeof(question),
	         "the smallest %s under which %s%s is %s%s within %s in %g%% of windows", ax->path,
	         so.scope ? "cluster " : "the whole estate", so.scope ? so.scope : "",
	         so.scope ? "wholly " : "", what, wbuf, conf * 100);
	if (k)
		snprintf(bound, sizeof(bound),
		         "the %zu-th smallest of %zu replications, a 95%% upper confidence "
		         "bound on the p%g of the %s (a replication where some host is not %s "
		         "counts as never)",
		         k, n, conf * 100,
		         metric == ANSWER_COMPLIANCE ? "time to compliance" : "makespan", what);
	else
		snprintf(bound, sizeof(bound),
		         "none: %zu replications are too few for a 95%% bound on the p%g "
		         "(need %ld; -r)",
		         n, conf * 100, nmin);
	if (json) {
		printf("{\"tool\": \"lpsim\", \"version\": \"%s\", \"scenario\": ", LPSIM_VERSION);
		scan_json_string(stdout, path);
		fputs(", \"axis\": ", stdout);
		scan_json_string(stdout, ax->path);
		fputs(", \"metric\": ", stdout);
		scan_json_string(stdout, metric == ANSWER_COMPLIANCE ? "compliance" : "makespan");
		fputs(", \"scope\": ", stdout);
		if (so.scope)
			scan_json_string(stdout, so.scope);
		else
			fputs("null", stdout);
		printf(", \"window_s\": %.17g, \"confidence\": %.17g, \"replications\": %zu, "
		       "\"bound_rank\": ",
		       window, conf, n);
		if (k)
			printf("%zu", k);
		else
			fputs("null", stdout);
		fputs(", \"question\": ", stdout);
		scan_json_string(stdout, question);
		fputs(", \"bound\": ", stdout);
		scan_json_string(stdout, bound);
		fputs(", \"strategies\": [", stdout);
	} else {
		printf("plan: %s\nbound: %s\n", question, bound);
	}
	for (size_t si = 0; si < so.run.nstrategies; si++)
		plan_strategy(&res, ax, order, nv, si, n, conf, window, metric, xs, json);
	if (json)
		fputs("]}\n", stdout);
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
