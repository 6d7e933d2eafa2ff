/*
 * test_sweep: sweep axes and points (sim/sweep.c) and the shard JSON Lines
 * (sim/shard.c): parsing --param, replacing a scenario axis, the order of
 * points, errors naming the point, common random numbers across points,
 * results independent of jobs, and shard lines that read back into the
 * very same summary.json bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/estate.h"
#include "sim/shard.h"
#include "sim/sweep.h"

static const char yaml[] = "lpsim: 1\n"
                           "name: t\n"
                           "seed: 5\n"
                           "replications: 3\n"
                           "strategies: [live_patch, classic]\n"
                           "vcenter:\n"
                           "  remediation:\n"
                           "    parallel: {enabled: true, max_hosts: 1}\n"
                           "clusters:\n"
                           "  - name: cl\n"
                           "    hosts:\n"
                           "      - {name: esx-%02d, count: 4, cores: 32, memory_gb: 512}\n"
                           "    vms:\n"
                           "      - {name: web-%02d, count: 12, vcpus: 2, memory_gb: 8}\n"
                           "patch: {name: p, components: [vmx]}\n"
                           "sweep:\n"
                           "  - {path: vcenter.remediation.parallel.max_hosts, values: [1, 2]}\n";

struct fix {
	struct diag d;
	struct ytree *t;
	struct scenario *sc;
	struct sweep_plan pl;
};

/* Loads the yaml and builds the plan with the given --param arguments. */
static void fix_init(struct fix *f, const char *const *params, size_t n)
{
	memset(f, 0, sizeof(*f));
	diag_init(&f->d, "t.yaml");
	assert_int_equal(ytree_load_buffer(yaml, strlen(yaml), "t.yaml", &f->d, &f->t), 0);
	f->sc = scenario_convert(f->t, &f->d);
	assert_non_null(f->sc);
	struct sweep_axis ax[4];
	char why[128];
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sweep_axis_parse(params[i], &ax[i], why, sizeof(why)), 0);
	assert_int_equal(sweep_plan_init(&f->pl, f->sc, ax, n), 0);
}

static void fix_fini(struct fix *f)
{
	sweep_plan_fini(&f->pl);
	scenario_free(f->sc);
	ytree_free(f->t);
	diag_fini(&f->d);
}

static struct sweep_opts opts(int jobs, size_t nstrat, enum scenario_strategy first)
{
	struct sweep_opts o = {.nshards = 1};
	o.run.seed = 5;
	o.run.replications = 3;
	o.run.nstrategies = nstrat;
	o.run.strategies[0] = first;
	o.run.strategies[1] = SCENARIO_STRATEGY_CLASSIC;
	o.run.jobs = jobs;
	return o;
}

/* summary.json of point k, without wall_s, into a malloc'd string. */
static char *summary_text(const struct output_summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(output_summary_json(m, s, false), 0);
	fclose(m);
	return buf;
}

static void test_param_splits_path_and_values(void **state)
{
	(void)state;
	struct sweep_axis ax;
	char why[128];
	assert_int_equal(sweep_axis_parse("a.b[web-%03d].c=1,2,auto", &ax, why, sizeof(why)), 0);
	assert_string_equal(ax.path, "a.b[web-%03d].c");
	assert_int_equal(ax.nvalues, 3);
	assert_string_equal(ax.values[2], "auto");
	sweep_axis_fini(&ax);
	assert_int_equal(sweep_axis_parse("novalues", &ax, why, sizeof(why)), -EINVAL);
	assert_int_equal(sweep_axis_parse("a=1,,2", &ax, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "empty"));
}

static void test_param_replaces_the_scenario_axis_of_the_same_path(void **state)
{
	(void)state;
	const char *p[] = {"vcenter.remediation.parallel.max_hosts=1,2,4",
	                   "clusters[0].vms[web-%02d].count=4,8"};
	struct fix f;
	fix_init(&f, p, 2);
	assert_int_equal(f.pl.naxes, 2);
	assert_int_equal(f.pl.axes[0].nvalues, 3);
	assert_int_equal(f.pl.npoints, 6);
	/* The last axis varies fastest. */
	assert_int_equal(sweep_point_value(&f.pl, 0, 0), 0);
	assert_int_equal(sweep_point_value(&f.pl, 1, 0), 0);
	assert_int_equal(sweep_point_value(&f.pl, 1, 1), 1);
	assert_int_equal(sweep_point_value(&f.pl, 5, 0), 2);
	assert_int_equal(sweep_point_value(&f.pl, 4, 1), 0);
	fix_fini(&f);
}

static void test_bad_point_names_the_point_and_the_value(void **state)
{
	(void)state;
	const char *p[] = {"vcenter.remediation.parallel.max_hosts=1,500"};
	struct fix f;
	fix_init(&f, p, 1);
	struct diag d;
	diag_init(&d, "t.yaml");
	struct scenario *s = sweep_point_scenario(f.t, &f.pl, 1, &d);
	assert_null(s);
	assert_true(d.n >= 1);
	assert_non_null(
	    strstr(d.v[0].msg, "sweep point 1 (vcenter.remediation.parallel.max_hosts=500)"));
	diag_fini(&d);
	diag_init(&d, "t.yaml");
	assert_int_equal(sweep_check_cli_axes(f.t, &f.pl, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "'500'"));
	diag_fini(&d);
	fix_fini(&f);
}

static void test_unknown_path_suggests_the_closest(void **state)
{
	(void)state;
	const char *p[] = {"vcenter.remediation.parallel.max_host=1"};
	struct fix f;
	fix_init(&f, p, 1);
	struct diag d;
	diag_init(&d, "t.yaml");
	assert_int_equal(sweep_check_cli_axes(f.t, &f.pl, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "max_hosts"));
	diag_fini(&d);
	fix_fini(&f);
}

static void test_a_value_that_touches_nothing_changes_nothing(void **state)
{
	(void)state;
	const char *p[] = {"hardware.fsr.concurrency=1,2,8"};
	struct fix f;
	fix_init(&f, p, 1);
	assert_int_equal(f.pl.npoints, 6);
	struct sweep_opts o = opts(2, 1, SCENARIO_STRATEGY_CLASSIC);
	struct sweep_result res;
	struct diag d;
	diag_init(&d, "t.yaml");
	assert_int_equal(sweep_run(f.t, &f.pl, &o, NULL, &d, &res), 0);
	/* Points 0..2 (max_hosts 1) alike, and 3..5 (max_hosts 2) alike. */
	for (size_t base = 0; base < 6; base += 3) {
		char *a = summary_text(&res.sums[base]);
		for (size_t k = base + 1; k < base + 3; k++) {
			char *b = summary_text(&res.sums[k]);
			assert_string_equal(a, b);
			free(b);
		}
		free(a);
	}
	char *x = summary_text(&res.sums[0]), *y = summary_text(&res.sums[3]);
	assert_string_not_equal(x, y); /* max_hosts does change things */
	free(x);
	free(y);
	diag_fini(&d);
	sweep_result_fini(&res);
	fix_fini(&f);
}

static const char two_clusters[] = "lpsim: 1\n"
                                   "name: two\n"
                                   "seed: 9\n"
                                   "replications: 2\n"
                                   "strategies: [live_patch]\n"
                                   "clusters:\n"
                                   "  - name: ca\n"
                                   "    hosts:\n"
                                   "      - {name: a-%02d, count: 3, cores: 32, memory_gb: 512}\n"
                                   "    vms:\n"
                                   "      - {name: av-%02d, count: 9, vcpus: 2, memory_gb: 8}\n"
                                   "  - name: cb\n"
                                   "    hosts:\n"
                                   "      - {name: b-%02d, count: 3, cores: 32, memory_gb: 512}\n"
                                   "    vms:\n"
                                   "      - {name: bv-%02d, count: 9, vcpus: 2, memory_gb: 8}\n"
                                   "patch: {name: p, components: [vmx]}\n";

/* Replication 0 of point k of the plan, with its detail. */
static void run_point0(const struct ytree *t, const struct sweep_plan *pl, size_t k,
                       struct scenario **sc, struct estate **e, struct run_result *res)
{
	struct diag d;
	diag_init(&d, "two.yaml");
	*sc = sweep_point_scenario(t, pl, k, &d);
	assert_non_null(*sc);
	assert_int_equal(estate_build(*sc, &d, e), 0);
	struct run_opts o = {.seed = 9, .replications = 1, .nstrategies = 1, .jobs = 1};
	o.strategies[0] = SCENARIO_STRATEGY_LIVE_PATCH;
	assert_int_equal(run_replications(*sc, *e, &o, NULL, res), 0);
	diag_fini(&d);
}

/* The index of the cluster called name in e (which must have one). */
static size_t cluster_named(const struct estate *e, const char *name)
{
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	for (size_t c = 0; c < e->nclusters; c++) {
		assert_true(estate_cluster_name(e, c, buf, sizeof(buf)) >= 0);
		if (strcmp(buf, name) == 0)
			return c;
	}
	fail_msg("no cluster %s", name);
	return 0;
}

static void test_a_host_the_value_does_not_touch_sees_the_same_draws(void **state)
{
	(void)state;
	/* Cluster cb's VM count changes; cluster ca's hosts (remediated
	 * concurrently, independently) must go through exactly the same times. */
	struct diag d;
	diag_init(&d, "two.yaml");
	struct ytree *t;
	assert_int_equal(ytree_load_buffer(two_clusters, strlen(two_clusters), "two.yaml", &d, &t),
	                 0);
	struct scenario *base = scenario_convert(t, &d);
	assert_non_null(base);
	struct sweep_axis ax;
	char why[64];
	assert_int_equal(
	    sweep_axis_parse("clusters[cb].vms[bv-%02d].count=3,30", &ax, why, sizeof(why)), 0);
	struct sweep_plan pl;
	assert_int_equal(sweep_plan_init(&pl, base, &ax, 1), 0);
	struct scenario *s0, *s1;
	struct estate *e0, *e1;
	struct run_result r0, r1;
	run_point0(t, &pl, 0, &s0, &e0, &r0);
	run_point0(t, &pl, 1, &s1, &e1, &r1);
	const struct rec *a = &r0.recs[0][0], *b = &r1.recs[0][0];
	/* The two points have the same hosts, in the same order. */
	char n0[SCENARIO_MAX_NAME_LEN + 1], n1[SCENARIO_MAX_NAME_LEN + 1];
	assert_int_equal(e0->nhosts, e1->nhosts);
	const size_t ca0 = cluster_named(e0, "ca"), ca1 = cluster_named(e1, "ca");
	size_t nca = 0;
	bool cb_differs = false;
	for (size_t h = 0; h < e0->nhosts; h++) {
		assert_true(estate_host_name(e0, h, n0, sizeof(n0)) >= 0);
		assert_true(estate_host_name(e1, h, n1, sizeof(n1)) >= 0);
		assert_string_equal(n0, n1);
		assert_int_equal(e0->hosts[h].cluster == ca0, e1->hosts[h].cluster == ca1);
		if (e0->hosts[h].cluster == ca0) {
			assert_true(a->hosts[h].start_s == b->hosts[h].start_s);
			assert_true(a->hosts[h].end_s == b->hosts[h].end_s);
			nca++;
		} else if (a->hosts[h].end_s != b->hosts[h].end_s) {
			cb_differs = true;
		}
	}
	assert_int_equal(nca, e0->clusters[ca0].nhosts);
	assert_true(nca > 0);
	assert_true(cb_differs); /* the value does matter to cluster cb */
	/* and ca's VMs, the same at both points, were stunned alike */
	const struct estate_cluster *va = &e0->clusters[ca0], *vb = &e1->clusters[ca1];
	assert_int_equal(va->nvms, vb->nvms);
	assert_true(va->nvms > 0);
	for (size_t i = 0; i < va->nvms; i++) {
		assert_true(estate_vm_name(e0, va->vm0 + i, n0, sizeof(n0)) >= 0);
		assert_true(estate_vm_name(e1, vb->vm0 + i, n1, sizeof(n1)) >= 0);
		assert_string_equal(n0, n1);
		assert_true(a->vm_downtime[va->vm0 + i] == b->vm_downtime[vb->vm0 + i]);
	}
	run_result_fini(&r0);
	run_result_fini(&r1);
	estate_free(e0);
	estate_free(e1);
	scenario_free(s0);
	scenario_free(s1);
	sweep_plan_fini(&pl);
	scenario_free(base);
	ytree_free(t);
	diag_fini(&d);
}

static void test_results_do_not_depend_on_jobs(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, NULL, 0);
	struct sweep_result r1, r3;
	struct diag d;
	diag_init(&d, "t.yaml");
	struct sweep_opts o1 = opts(1, 2, SCENARIO_STRATEGY_LIVE_PATCH);
	struct sweep_opts o3 = opts(3, 2, SCENARIO_STRATEGY_LIVE_PATCH);
	assert_int_equal(sweep_run(f.t, &f.pl, &o1, NULL, &d, &r1), 0);
	assert_int_equal(sweep_run(f.t, &f.pl, &o3, NULL, &d, &r3), 0);
	for (size_t k = 0; k < f.pl.npoints; k++) {
		char *a = summary_text(&r1.sums[k]), *b = summary_text(&r3.sums[k]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	diag_fini(&d);
	sweep_result_fini(&r1);
	sweep_result_fini(&r3);
	fix_fini(&f);
}

static void test_sweep_shard_lines_read_back_into_the_same_summary(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, NULL, 0);
	struct sweep_opts o = opts(2, 2, SCENARIO_STRATEGY_LIVE_PATCH);
	o.shard = 1;
	o.nshards = 2;
	struct sweep_result res;
	struct diag d;
	diag_init(&d, "t.yaml");
	assert_int_equal(sweep_run(f.t, &f.pl, &o, NULL, &d, &res), 0);
	assert_false(res.done[0]);
	assert_true(res.done[1]);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_int_equal(shard_write_sweep(m, "t.yaml", &f.pl, &res, 1, 2), 0);
	fclose(m);
	char *nl = strchr(buf, '\n');
	struct shard_header h;
	char why[160];
	assert_int_equal(shard_read_header(buf, (size_t)(nl - buf), &h, why, sizeof(why)), 0);
	assert_int_equal(h.kind, SHARD_SWEEP);
	assert_int_equal(h.shard, 1);
	assert_int_equal(h.nshards, 2);
	assert_int_equal(h.npoints, 2);
	assert_string_equal(h.plan.axes[0].path, "vcenter.remediation.parallel.max_hosts");
	char *line = nl + 1;
	char *end = strchr(line, '\n');
	size_t k;
	struct output_summary s;
	assert_int_equal(shard_read_point(line, (size_t)(end - line), &k, &s), 0);
	assert_int_equal(k, 1);
	char *a = summary_text(&res.sums[1]), *b = summary_text(&s);
	assert_string_equal(a, b);
	assert_true(s.wall_s == res.sums[1].wall_s);
	free(a);
	free(b);
	output_summary_fini(&s);
	/* A damaged line is refused. */
	line[5] = 'x';
	assert_int_equal(shard_read_point(line, (size_t)(end - line), &k, &s), -EINVAL);
	free(buf);
	shard_header_fini(&h);
	diag_fini(&d);
	sweep_result_fini(&res);
	fix_fini(&f);
}

/* The shards' ranges follow one another from 0 to n, and are as even as
 * can be: floor(n / k) or one more each, also with more shards than
 * replications (some then get none). */
static void test_rep_ranges_cover_every_replication_once(void **state)
{
	(void)state;
	static const struct {
		long n;
		size_t nshards;
	} cases[] = {{10, 7}, {10, 1}, {10, 10}, {10, 3}, {1, 1}, {0, 3}, {3, 5}, {1, 4},
		     {1000, 7}, {1000, 999}, {7, 64}, {100000, 9}};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const long n = cases[c].n;
		const size_t k = cases[c].nshards;
		const long even = n / (long)k;
		long prev = 0;
		for (size_t i = 0; i < k; i++) {
			long lo, hi;
			shard_rep_range(n, i, k, &lo, &hi);
			assert_int_equal(lo, prev);
			assert_true(hi >= lo);
			if (hi - lo != even && hi - lo != even + 1)
				fail_msg("%ld replications, shard %zu of %zu: %ld, want %ld or %ld",
					 n, i, k, hi - lo, even, even + 1);
			prev = hi;
		}
		assert_int_equal(prev, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_param_splits_path_and_values),
	    cmocka_unit_test(test_param_replaces_the_scenario_axis_of_the_same_path),
	    cmocka_unit_test(test_bad_point_names_the_point_and_the_value),
	    cmocka_unit_test(test_unknown_path_suggests_the_closest),
	    cmocka_unit_test(test_a_value_that_touches_nothing_changes_nothing),
	    cmocka_unit_test(test_a_host_the_value_does_not_touch_sees_the_same_draws),
	    cmocka_unit_test(test_results_do_not_depend_on_jobs),
	    cmocka_unit_test(test_sweep_shard_lines_read_back_into_the_same_summary),
	    cmocka_unit_test(test_rep_ranges_cover_every_replication_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
