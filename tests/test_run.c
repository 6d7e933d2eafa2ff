/*
 * Tests of whole replications (sim/run + sim/hwsim + models): scenarios
 * with constant latencies whose results are computed by hand, statistical
 * checks of sampled latencies, and bit-identical results for any -j.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include <gsl/gsl_randist.h>

#include "sim/hwsim.h"
#include "sim/rng.h"
#include "tests/run_fixture.h"

static void run_yaml(struct fixture *f, const char *yaml, long reps, int jobs, size_t nstrat)
{
	fixture_run(f, yaml, NULL, reps, jobs, nstrat, SCENARIO_STRATEGY_LIVE_PATCH);
}

/* Constant latencies: a host takes 10 + 30 + 60 + FSRs + 10 seconds. */
#define CONST_HW                                                                                   \
	"hardware:\n"                                                                              \
	"  enter_partial_mm: 10s\n"                                                                \
	"  mount_revision: 30s\n"                                                                  \
	"  patch_revision: 1m\n"                                                                   \
	"  rollback: 30s\n"                                                                        \
	"  exit_partial_mm: 10s\n"                                                                 \
	"  fsr: {stun: {base: 1s, per_gb: 0s, per_vcpu: 0s, sigma: 0}, concurrency: %d}\n"

#define ESTATE                                                                                     \
	"clusters:\n"                                                                              \
	"  - name: c\n"                                                                            \
	"    hosts: [{name: h%%d, count: %d, cores: 16, memory_gb: 256}]\n"                        \
	"    vms: [{name: v%%d, count: %d, vcpus: 1, memory_gb: 8}]\n"

static void test_run_sequential_hosts_take_the_sum_of_their_steps(void **state)
{
	(void)state;
	char y[2048];
	snprintf(y, sizeof(y), "lpsim: 1\nname: t\npatch: {name: p}\n" CONST_HW ESTATE, 1, 2, 4);
	struct fixture f;
	run_yaml(&f, y, 3, 2, 1);
	for (int i = 0; i < 3; i++) {
		const struct rec *r = &f.res.recs[0][i];
		assert_true(r->makespan_s == 2 * 112.0);
		assert_true(r->time_to_compliance_s == 224.0);
		assert_true(r->downtime_total_s == 4.0);
		assert_int_equal(r->vms_fsr, 4);
		assert_int_equal(r->hosts_compliant, 2);
		/* enter, mount, patch, exit + 2 FSRs per host */
		assert_int_equal(r->events, 2 * (4 + 2));
	}
	fixture_fini(&f);
}

static void test_run_parallel_hosts_and_fsr_concurrency_overlap(void **state)
{
	(void)state;
	char y[2048];
	snprintf(y, sizeof(y),
		 "lpsim: 1\nname: t\npatch: {name: p}\n"
		 "vcenter: {remediation: {parallel: {enabled: true, max_hosts: auto}}}\n" CONST_HW ESTATE,
		 2, 3, 6);
	struct fixture f;
	run_yaml(&f, y, 1, 1, 1);
	assert_true(f.res.recs[0][0].makespan_s == 10 + 30 + 60 + 1 + 10);
	assert_true(f.res.recs[0][0].exposure_host_hours == 3 * 111.0 / 3600);
	fixture_fini(&f);
}

static void test_run_patch_that_always_fails_spends_its_retries(void **state)
{
	(void)state;
	char y[2048];
	snprintf(y, sizeof(y),
		 "lpsim: 1\nname: t\npatch: {name: p}\nhorizon: 1d\n"
		 "faults: {patch_failure_prob: 1}\n"
		 "vcenter: {remediation: {failure_action: {retry_count: 2, retry_delay: 1m,\n"
		 "  retry_install: true, failed_host_tolerance_pct: 100}}}\n" CONST_HW
			 ESTATE,
		 1, 2, 2);
	struct fixture f;
	run_yaml(&f, y, 2, 2, 1);
	const struct rec *r = &f.res.recs[0][0];
	/* enter 10 + 3 x (mount 30 + patch 60 + rollback 30) + 2 x delay 60 + exit 10 */
	assert_true(r->makespan_s == 2 * 500.0);
	assert_int_equal(r->hosts_failed, 2);
	assert_true(isnan(r->time_to_compliance_s));
	/* Exposure counts the hosts that became compliant: none here. */
	assert_true(r->exposure_host_hours == 0);
	assert_int_equal(r->hosts[0].attempts, 3);
	assert_int_equal(r->vms_fsr, 0);
	fixture_fini(&f);
}

static void test_run_blocked_cluster_touches_no_host(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\nhorizon: 10h\n"
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts: [{name: h%d, count: 2, cores: 16, memory_gb: 256, dpu: true}]\n"
		 "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n",
		 1, 1, 1);
	const struct rec *r = &f.res.recs[0][0];
	assert_int_equal(r->hosts_blocked, 2);
	assert_true(r->makespan_s == 0);
	assert_true(r->exposure_host_hours == 0);
	assert_int_equal(r->hosts_compliant, 0);
	assert_int_equal(r->events, 0);
	fixture_fini(&f);
}

/* Two clusters, one blocked (a DPU host under enforce): the exposure of the
 * hosts that become compliant, the per-cluster figures and the counts are
 * the same whether the run's horizon is one day or thirty (issue 17: it
 * used to add the horizon for every host never patched). */
static void test_run_exposure_does_not_depend_on_the_horizon(void **state)
{
	(void)state;
	struct rec got[2];
	static const char *const horizons[2] = {"1d", "30d"};
	for (int i = 0; i < 2; i++) {
		char y[2048];
		snprintf(y, sizeof(y),
			 "lpsim: 1\nname: t\npatch: {name: p}\nhorizon: %s\n" CONST_HW
			 "clusters:\n"
			 "  - name: ok\n"
			 "    hosts: [{name: h%%d, count: 2, cores: 16, memory_gb: 256}]\n"
			 "    vms: [{name: v%%d, count: 4, vcpus: 1, memory_gb: 8}]\n"
			 "  - name: dpu\n"
			 "    hosts: [{name: d%%d, count: 3, cores: 16, memory_gb: 256, dpu: true}]\n"
			 "    vms: [{name: w%%d, count: 3, vcpus: 1, memory_gb: 8}]\n",
			 horizons[i], 1);
		struct fixture f;
		run_yaml(&f, y, 1, 1, 1);
		got[i] = f.res.recs[0][0];
		assert_int_equal(got[i].nclusters, 2);
		assert_int_equal(got[i].hosts_blocked, 3);
		assert_int_equal(got[i].hosts_compliant, 2);
		/* h1 compliant at 112 s, h2 at 224 s */
		assert_true(fabs(got[i].exposure_host_hours - (112.0 + 224.0) / 3600) < 1e-12);
		assert_true(fabs(got[i].clusters[0].exposure_host_hours - got[i].exposure_host_hours) < 1e-12);
		assert_true(got[i].clusters[0].time_to_compliance_s == 224.0);
		assert_true(got[i].clusters[0].makespan_s == 224.0);
		assert_int_equal(got[i].clusters[1].outcomes[REC_BLOCKED], 3);
		assert_true(isnan(got[i].clusters[1].time_to_compliance_s));
		assert_true(got[i].clusters[1].exposure_host_hours == 0);
		got[i].clusters = NULL; /* freed with the fixture */
		fixture_fini(&f);
	}
	assert_memory_equal(&got[0].exposure_host_hours, &got[1].exposure_host_hours,
			    sizeof(double));
}

/* A single host whose patch latency is lognormal: the mean makespan over
 * the replications must match the closed form within 4 standard errors. */
static void test_run_lognormal_latency_mean_matches_its_closed_form(void **state)
{
	(void)state;
	enum { N = 2000 };
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\nseed: 7\n"
		 "hardware:\n"
		 "  enter_partial_mm: 10s\n"
		 "  mount_revision: 30s\n"
		 "  patch_revision: {dist: lognormal, median: 60s, p95: 120s}\n"
		 "  exit_partial_mm: 10s\n"
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts: [{name: h, cores: 16, memory_gb: 256}]\n"
		 "    vms: [{name: v, vcpus: 1, memory_gb: 8, power: off}]\n",
		 N, 2, 1);
	double mu = log(60.0), sigma = log(2.0) / 1.6448536269514722;
	double want = 50 + exp(mu + sigma * sigma / 2);
	double sd = exp(mu + sigma * sigma / 2) * sqrt(exp(sigma * sigma) - 1);
	double sum = 0;
	for (int i = 0; i < N; i++)
		sum += f.res.recs[0][i].makespan_s;
	double mean = sum / N;
	assert_true(fabs(mean - want) < 4 * sd / sqrt((double)N));
	/* and the replications differ */
	assert_true(f.res.recs[0][0].makespan_s != f.res.recs[0][1].makespan_s);
	fixture_fini(&f);
}

static void test_run_results_do_not_depend_on_the_number_of_threads(void **state)
{
	(void)state;
	const char *y = "lpsim: 1\nname: t\npatch: {name: p}\nseed: 3\n"
			"faults: {patch_failure_prob: 0.3, fsr_failure_prob: 0.1}\n"
			"vcenter: {remediation: {parallel: {enabled: true, max_hosts: 2},\n"
			"  manual_remediation: {policy: power_cycle}}}\n"
			"clusters:\n"
			"  - name: c\n"
			"    hosts: [{name: h%d, count: 4, cores: 16, memory_gb: 256}]\n"
			"    vms: [{name: v%d, count: 20, vcpus: 2, memory_gb: 8}]\n";
	struct fixture a, b;
	run_yaml(&a, y, 16, 1, 1);
	run_yaml(&b, y, 16, 4, 1);
	for (int i = 0; i < 16; i++) {
		const struct rec *x = &a.res.recs[0][i], *z = &b.res.recs[0][i];
		assert_memory_equal(&x->makespan_s, &z->makespan_s, sizeof(double));
		assert_memory_equal(&x->exposure_host_hours, &z->exposure_host_hours, sizeof(double));
		assert_int_equal(x->events, z->events);
		assert_memory_equal(x->vm_downtime, z->vm_downtime, x->nvms * sizeof(double));
		size_t n = rec_stun_count(x);
		assert_int_equal(n, rec_stun_count(z));
		double *sx = malloc((2 * n + 1) * sizeof(double)), *sz = sx + n;
		assert_non_null(sx);
		assert_int_equal(rec_stuns_copy(x, sx), n);
		assert_int_equal(rec_stuns_copy(z, sz), n);
		assert_memory_equal(sx, sz, n * sizeof(double));
		free(sx);
	}
	fixture_fini(&a);
	fixture_fini(&b);
}

/* Doubles ascending, for comparing multisets. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * An FSR's stun is a pure function of (seed, replication, the VM's name)
 * and the stun model of the host it runs on: (base + per GB + per vCPU)
 * e^Z, Z ~ N(0, sigma^2) drawn by GSL's ziggurat from the VM's stream for
 * (HW_FSR, stun, 0). However the simulated hardware schedules its draws
 * (it draws a host's stuns ahead, in batches), every replication's stuns
 * are exactly these, here with two host models.
 */
static void test_run_fsr_stuns_are_the_keyed_draws_of_their_host_model(void **state)
{
	(void)state;
	static const char yaml[] =
	    "lpsim: 1\nname: t\nseed: 7\npatch: {name: p}\n"
	    "hardware: {fsr: {stun: {base: 100ms, per_gb: 2ms, per_vcpu: 5ms, sigma: 0.3}, concurrency: 3}}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    hosts:\n"
	    "      - {name: a%d, count: 2, cores: 16, memory_gb: 256}\n"
	    "      - {name: b%d, count: 2, cores: 16, memory_gb: 256,\n"
	    "         hardware: {fsr: {stun: {base: 300ms, per_gb: 1ms, per_vcpu: 0s, sigma: 0.5}}}}\n"
	    "    vms:\n"
	    "      - {name: db%d, count: 5, vcpus: 8, memory_gb: 32}\n"
	    "      - {name: web%d, count: 11, vcpus: 2, memory_gb: 4}\n";
	enum { REPS = 4 };
	struct fixture f;
	run_yaml(&f, yaml, REPS, 2, 1);
	struct hwsim_ids ids;
	assert_int_equal(hwsim_ids_init(&ids, f.e), 0);
	gsl_rng *r = rng_new(0);
	assert_non_null(r);
	const size_t n = f.e->nvms;
	double want[16], got[16];
	assert_int_equal(n, 16);
	bool both_models = false;
	for (long rep = 0; rep < REPS; rep++) {
		const struct rec *rc = &f.res.recs[0][rep];
		assert_int_equal(rec_stun_count(rc), n);
		double all[16];
		assert_int_equal(rec_stuns_copy(rc, all), n);
		for (size_t v = 0; v < n; v++) {
			const struct scenario_stun *st =
			    &estate_host_spec(f.e, (size_t)f.e->vms[v].host)->hardware.fsr_stun;
			const struct scenario_vm *vm = estate_vm_spec(f.e, v);
			both_models |= st->sigma == 0.5;
			rng_reseed(r, rng_key(f.sc->seed, (uint64_t)rep, ids.vm[v],
					      hwsim_purpose(HW_FSR, HWSIM_DRAW_STUN, 0)));
			double z = gsl_ran_gaussian_ziggurat(r, st->sigma);
			want[v] = (st->base + st->per_gb * vm->memory_gb + st->per_vcpu * vm->vcpus) * exp(z);
			got[v] = all[v];
			if (rep == 0) /* replication 0 keeps the per-VM rows */
				assert_true(rc->vms[v].stun_s == want[v]);
		}
		qsort(want, n, sizeof(double), cmp_double);
		qsort(got, n, sizeof(double), cmp_double);
		for (size_t v = 0; v < n; v++)
			if (got[v] != want[v])
				fail_msg("replication %ld: stun %zu is %.17g, want %.17g", rep, v, got[v],
					 want[v]);
	}
	assert_true(both_models); /* VMs were placed on both kinds of host */
	rng_free(r);
	hwsim_ids_fini(&ids);
	fixture_fini(&f);
}

/*
 * A live attempt's steps are keyed draws too: attempt k of a host mounts
 * for the draw of (HW_MOUNT_REVISION, latency, k), patches for that of
 * (HW_PATCH_REVISION, latency, k), and fails when the uniform of
 * (HW_PATCH_REVISION, fails, k) is below patch_failure_prob. Replication
 * 0's timeline shows each attempt's mounting and patching spans, which
 * must be exactly those draws (to the clock's nanosecond), attempt after
 * attempt, whatever order the hardware drew them in.
 */
static void test_run_attempt_steps_are_the_keyed_draws_of_their_attempt(void **state)
{
	(void)state;
	static const char yaml[] =
	    "lpsim: 1\nname: t\nseed: 11\npatch: {name: p}\n"
	    "vcenter: {remediation: {failure_action: {retry_count: 3, retry_delay: 1m,\n"
	    "  retry_install: true, failed_host_tolerance_pct: 100}}}\n"
	    "hardware:\n"
	    "  mount_revision: {dist: lognormal, median: 30s, p95: 60s}\n"
	    "  patch_revision: {dist: uniform, min: 40s, max: 90s}\n"
	    "faults: {patch_failure_prob: 0.5, fsr_failure_prob: 0}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    hosts: [{name: h%d, count: 6, cores: 16, memory_gb: 256}]\n"
	    "    vms: [{name: v%d, count: 6, vcpus: 1, memory_gb: 8}]\n";
	struct fixture f;
	run_yaml(&f, yaml, 1, 1, 1);
	struct hwsim_ids ids;
	assert_int_equal(hwsim_ids_init(&ids, f.e), 0);
	gsl_rng *r = rng_new(0);
	assert_non_null(r);
	const struct rec *rc = &f.res.recs[0][0];
	const double fail_prob = f.sc->faults.patch_failure_prob;
	int retried = 0;
	for (size_t h = 0; h < f.e->nhosts; h++) {
		const struct scenario_hardware *hd = &estate_host_spec(f.e, h)->hardware;
		unsigned attempt = 0, fails = 0;
		for (size_t i = 0; i < rc->nspans; i++) {
			const struct rec_span *sp = &rc->spans[i];
			if (sp->host != h || (sp->state != REC_ST_MOUNTING && sp->state != REC_ST_PATCHING))
				continue;
			bool mount = sp->state == REC_ST_MOUNTING;
			attempt += mount;
			enum hw_op op = mount ? HW_MOUNT_REVISION : HW_PATCH_REVISION;
			rng_reseed(r, rng_key(f.sc->seed, 0, ids.host[h],
					      hwsim_purpose(op, HWSIM_DRAW_LATENCY, attempt)));
			double want = dist_sample(mount ? &hd->mount_revision : &hd->patch_revision, r);
			if (fabs((sp->end_s - sp->start_s) - want) > 2e-9 * (1 + want))
				fail_msg("host %zu attempt %u %s: %.9f s, want %.9f s", h, attempt,
					 mount ? "mount" : "patch", sp->end_s - sp->start_s, want);
			if (!mount) {
				rng_reseed(r, rng_key(f.sc->seed, 0, ids.host[h],
						      hwsim_purpose(op, HWSIM_DRAW_FAILS, attempt)));
				fails += gsl_rng_uniform(r) < fail_prob;
			}
		}
		assert_int_equal(attempt, rc->hosts[h].attempts);
		/* Every attempt but a successful last one failed its patch. */
		bool done = rc->hosts[h].outcome == REC_COMPLIANT;
		assert_int_equal(fails, attempt - (done ? 1 : 0));
		retried += attempt > 1;
	}
	assert_true(retried > 0); /* the seed gives some host a second attempt */
	rng_free(r);
	hwsim_ids_fini(&ids);
	fixture_fini(&f);
}

static int setup(void **state)
{
	(void)state;
	gsl_set_error_handler_off();
	return 0;
}

/* Issue 22, 1: a host that crashes again while HA is still restarting its
 * VM elsewhere (a 10-minute restart against a reboot of a few minutes)
 * must leave that restart alone: a second restart of the same VM made its
 * first completion land on no host (a heap overflow). Every attempt of
 * both hosts crashes, so both hosts fail; the VM is never lost
 * (LPSIM_CHECKS in the sanitizer build). */
static void test_run_crash_during_a_pending_ha_restart_keeps_the_restart(void **state)
{
	(void)state;
	static const char *const ha[] = {"10m", "{dist: exponential, mean: 10m}"};
	for (size_t i = 0; i < 2; i++) {
		for (int strat = 0; strat < 2; strat++) {
			char y[2048];
			snprintf(y, sizeof(y),
				 "lpsim: 1\nname: t\npatch: {name: p}\nhorizon: 10d\n"
				 "faults: {host_crash_prob: 1, ha_restart: %s}\n"
				 "vcenter: {remediation: {failure_action: {retry_count: 3, "
				 "retry_delay: 1m, failed_host_tolerance_pct: 100}}}\n"
				 "clusters:\n"
				 "  - name: c\n"
				 "    hosts: [{name: h%%d, count: 2, cores: 16, memory_gb: 256}]\n"
				 "    vms: [{name: v1, vcpus: 1, memory_gb: 8}]\n",
				 ha[i]);
			struct fixture f;
			fixture_run(&f, y, NULL, 20, 2, 1,
				    strat ? SCENARIO_STRATEGY_CLASSIC : SCENARIO_STRATEGY_LIVE_PATCH);
			for (long k = 0; k < 20; k++) {
				const struct rec *r = &f.res.recs[0][k];
				assert_int_equal(r->hosts_failed, 2);
				assert_true(isfinite(r->downtime_total_s));
				assert_true(r->downtime_total_s > 0);
			}
			/* On the live path the VM stays on its host when it crashes:
			 * down for at least one constant 10-minute restart. */
			if (!strat && i == 0)
				assert_true(f.res.recs[0][0].downtime_total_s >= 600.0);
			fixture_fini(&f);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_sequential_hosts_take_the_sum_of_their_steps),
		cmocka_unit_test(test_run_parallel_hosts_and_fsr_concurrency_overlap),
		cmocka_unit_test(test_run_patch_that_always_fails_spends_its_retries),
		cmocka_unit_test(test_run_blocked_cluster_touches_no_host),
		cmocka_unit_test(test_run_exposure_does_not_depend_on_the_horizon),
		cmocka_unit_test(test_run_lognormal_latency_mean_matches_its_closed_form),
		cmocka_unit_test(test_run_results_do_not_depend_on_the_number_of_threads),
		cmocka_unit_test(test_run_fsr_stuns_are_the_keyed_draws_of_their_host_model),
		cmocka_unit_test(test_run_attempt_steps_are_the_keyed_draws_of_their_attempt),
		cmocka_unit_test(test_run_crash_during_a_pending_ha_restart_keeps_the_restart),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
