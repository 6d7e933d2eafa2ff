/*
 * Tests of sim/answer: the whole-scope value of a replication (a blocked,
 * failed, not started or unfinished host makes it "never"), the
 * order-statistic bound plan and report share, and the reasons it gives
 * (the blocked cluster and its ineligible host, by name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/estate.h"
#include "models/scan.h"
#include "sim/answer.h"

/* Two clusters; the second holds a TPM host under enforce (vCenter 8.0.3): blocked. */
static const char yaml[] = "lpsim: 1\n"
                           "name: t\n"
                           "patch: {name: p}\n"
                           "vcenter: {version: 8.0.3, live_patch_mode: enforce}\n"
                           "clusters:\n"
                           "  - name: ok\n"
                           "    hosts: [{name: a%d, count: 2, cores: 8, memory_gb: 256}]\n"
                           "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n"
                           "  - name: gen\n"
                           "    hosts:\n"
                           "      - {name: b%d, count: 2, cores: 8, memory_gb: 256}\n"
                           "      - {name: esx-07, cores: 8, memory_gb: 256, tpm: true}\n"
                           "      - {name: c%d, count: 1, cores: 8, memory_gb: 256, tpm: true}\n"
                           "    vms: [{name: w%d, count: 2, vcpus: 1, memory_gb: 8}]\n";

struct fx {
	struct diag d;
	struct scenario *sc;
	struct estate *e;
	struct scan *scan;
};

static void fx_make(struct fx *x)
{
	memset(x, 0, sizeof(*x));
	diag_init(&x->d, "t.yaml");
	assert_int_equal(scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &x->d, &x->sc), 0);
	assert_int_equal(estate_build(x->sc, &x->d, &x->e), 0);
	assert_int_equal(scan_run(x->e, false, &x->scan), 0);
}

static void fx_free(struct fx *x)
{
	scan_free(x->scan);
	estate_free(x->e);
	scenario_free(x->sc);
	diag_fini(&x->d);
}

/* A record of two clusters: every host compliant, makespans 100 and 200. */
static void rec_make(struct rec *r)
{
	assert_int_equal(rec_init(r, 6, 0, false), 0);
	assert_int_equal(rec_init_clusters(r, 2), 0);
	r->makespan_s = 200;
	r->time_to_compliance_s = 250;
	r->hosts_compliant = 6;
	rec_note_host(r, 0, REC_COMPLIANT, 100, false, 120);
	rec_note_host(r, 0, REC_COMPLIANT, 90, false, 110);
	for (int i = 0; i < 4; i++)
		rec_note_host(r, 1, REC_COMPLIANT, 200, false, 250);
}

static void test_answer_scope_value_is_the_makespan_when_every_host_is_patched(void **state)
{
	(void)state;
	struct rec r;
	rec_make(&r);
	assert_true(answer_scope_value(&r, ANSWER_MAKESPAN, ANSWER_ESTATE) == 200);
	assert_true(answer_scope_value(&r, ANSWER_COMPLIANCE, ANSWER_ESTATE) == 250);
	assert_true(answer_scope_value(&r, ANSWER_MAKESPAN, 0) == 100);
	assert_true(answer_scope_value(&r, ANSWER_COMPLIANCE, 0) == 120);
	assert_true(isnan(answer_scope_value(&r, ANSWER_MAKESPAN, 2))); /* no such cluster */
	rec_fini(&r);
}

static void test_answer_scope_value_is_never_when_a_host_is_not_patched(void **state)
{
	(void)state;
	static const enum rec_outcome bad[] = {REC_BLOCKED, REC_FAILED, REC_NOT_STARTED};
	for (size_t i = 0; i < 3; i++) {
		struct rec r;
		rec_make(&r);
		rec_note_host(&r, 1, bad[i], NAN, false, NAN);
		r.hosts_failed = bad[i] == REC_FAILED;
		r.hosts_blocked = bad[i] == REC_BLOCKED;
		r.hosts_not_started = bad[i] == REC_NOT_STARTED;
		assert_true(isinf(answer_scope_value(&r, ANSWER_MAKESPAN, ANSWER_ESTATE)));
		assert_true(isinf(answer_scope_value(&r, ANSWER_MAKESPAN, 1)));
		assert_true(isinf(answer_scope_value(&r, ANSWER_COMPLIANCE, 1)));
		/* the other cluster still answers for itself */
		assert_true(answer_scope_value(&r, ANSWER_MAKESPAN, 0) == 100);
		rec_fini(&r);
	}
	/* still in remediation at the end: not patched either */
	struct rec r;
	rec_make(&r);
	rec_note_host(&r, 0, REC_NON_COMPLIANT, 500, true, NAN);
	assert_true(isinf(answer_scope_value(&r, ANSWER_MAKESPAN, ANSWER_ESTATE)));
	assert_true(isinf(answer_scope_value(&r, ANSWER_MAKESPAN, 0)));
	rec_fini(&r);
}

/* k: the smallest with P(Binomial(n, q) <= k - 1) >= 0.95. */
static void test_answer_bound_rank_is_the_binomial_order_statistic(void **state)
{
	(void)state;
	assert_int_equal(answer_min_replications(0.95), 59);
	assert_int_equal(answer_bound_rank(58, 0.95), 0);
	assert_int_equal(answer_bound_rank(59, 0.95), 59);
	assert_int_equal(answer_bound_rank(100, 0.95), 99);
	assert_int_equal(answer_min_replications(0.9), 29);
	/* the bound of 1..59 at 0.95 is the largest; one "never" makes it never */
	double x[59];
	for (int i = 0; i < 59; i++)
		x[i] = 59 - i;
	assert_true(answer_quantile_bound(x, 59, 0.95) == 59);
	x[3] = INFINITY;
	assert_true(isinf(answer_quantile_bound(x, 59, 0.95)));
	assert_true(isnan(answer_quantile_bound(x, 20, 0.95)));
}

static void test_answer_blocked_names_the_cluster_and_its_ineligible_host(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x);
	char buf[512];
	assert_int_equal(answer_blocked(buf, sizeof(buf), x.e, x.scan, ANSWER_ESTATE), 1);
	assert_string_equal(buf, "cluster gen is blocked under enforce by esx-07 (tpm) and 1 more host");
	assert_int_equal(answer_blocked(buf, sizeof(buf), x.e, x.scan, 0), 0);
	assert_string_equal(buf, "");
	bool found;
	assert_int_equal(answer_scope_find(x.e, "gen", &found), 1);
	assert_true(found);
	answer_scope_find(x.e, "nosuch", &found);
	assert_false(found);
	answer_scope_find(x.e, "estate", &found);
	assert_true(found);
	fx_free(&x);
}

static void test_answer_why_counts_the_replications_with_each_reason(void **state)
{
	(void)state;
	struct fx x;
	fx_make(&x);
	struct rec r[3];
	for (int i = 0; i < 3; i++)
		rec_make(&r[i]);
	rec_note_host(&r[1], 0, REC_FAILED, 50, false, NAN);
	rec_note_host(&r[1], 0, REC_NOT_STARTED, NAN, false, NAN);
	rec_note_host(&r[2], 0, REC_NOT_STARTED, NAN, false, NAN);
	char buf[512];
	answer_why(buf, sizeof(buf), x.e, x.scan, r, 3, ANSWER_MAKESPAN, ANSWER_ESTATE);
	assert_string_equal(buf, "cluster gen is blocked under enforce by esx-07 (tpm) and 1 more "
	                         "host; hosts failed in 1 of 3 replications; hosts not started in 2 "
	                         "of 3 replications");
	answer_why(buf, sizeof(buf), x.e, x.scan, r, 1, ANSWER_MAKESPAN, 0);
	assert_string_equal(buf, "");
	for (int i = 0; i < 3; i++)
		rec_fini(&r[i]);
	fx_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_answer_scope_value_is_the_makespan_when_every_host_is_patched),
	    cmocka_unit_test(test_answer_scope_value_is_never_when_a_host_is_not_patched),
	    cmocka_unit_test(test_answer_bound_rank_is_the_binomial_order_statistic),
	    cmocka_unit_test(test_answer_blocked_names_the_cluster_and_its_ineligible_host),
	    cmocka_unit_test(test_answer_why_counts_the_replications_with_each_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
