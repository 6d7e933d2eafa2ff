/*
 * Tests of the classic path and the faults: the pre-copy model by hand,
 * whole classic runs with constant latencies, do_not_change, vSAN, auto
 * mode, common random numbers, and chaos runs with every fault on (the
 * test build checks the invariants after every event).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "models/classic.h"
#include "models/vmotion.h"
#include "tests/run_fixture.h"

static void run_yaml(struct fixture *f, const char *yaml, uint64_t seed, long reps,
		     size_t nstrat, enum scenario_strategy first)
{
	fixture_run(f, yaml, &seed, reps, 2, nstrat, first);
}

/* 4 GB at 10 Gbit/s x 0.9 = 1125 MB/s, dirtying 100 MB/s: round 0 takes
 * 4096/1125 s, leaves 364.09 MB = 0.3236 s <= 0.5 s target: stop. */
#define PRECOPY_T0 (4096.0 / 1125.0)
#define PRECOPY_STUN (100.0 * PRECOPY_T0 / 1125.0 + 0.2)

static void test_vmotion_precopy_matches_the_formula_by_hand(void **state)
{
	(void)state;
	struct vmotion_params p = {4, 100, 0.5, 0.2, 30, 0}; /* SDPS off */
	struct vmotion_result r = vmotion_precopy(&p, vmotion_link_rate(10, 0.9));
	assert_int_equal(r.rounds, 1);
	assert_true(fabs(r.stun_s - PRECOPY_STUN) < 1e-12);
	assert_true(fabs(r.duration_s - (PRECOPY_T0 + PRECOPY_STUN)) < 1e-12);
	assert_true(r.sdps_s == 0);
	/* At half the rate: round 0 twice as long, its dirt 4x the time to
	 * send, so a second round: 2 x 364.09 MB / 562.5 MB/s. */
	r = vmotion_precopy(&p, 562.5);
	double t0 = 4096.0 / 562.5, t1 = 100.0 * t0 / 562.5, rest = 100.0 * t1;
	assert_int_equal(r.rounds, 2);
	assert_true(fabs(r.stun_s - (rest / 562.5 + 0.2)) < 1e-12);
	assert_true(fabs(r.duration_s - (t0 + t1 + rest / 562.5 + 0.2)) < 1e-12);
	/* Converging slowly (D just under R): max_rounds stops it. */
	p.dirty_mb_per_s = 550;
	p.max_rounds = 5;
	assert_int_equal(vmotion_precopy(&p, 562.5).rounds, 5);
	/* Dirtying faster than the link, SDPS off: more rounds would grow the
	 * rest, so pre-copy stops after round 0; it dirtied 2000 x 7.28 s =
	 * 14,563 MB of a 4,096 MB VM: the dirty set is the whole memory, and
	 * the stun sends all of it (7.48 s). */
	p.dirty_mb_per_s = 2000;
	r = vmotion_precopy(&p, 562.5);
	assert_int_equal(r.rounds, 1);
	assert_true(fabs(r.stun_s - (4096.0 / 562.5 + 0.2)) < 1e-9);
}

/*
 * SDPS: the guest dirties 2000 MB/s, the vMotion sends 562.5 MB/s; SDPS
 * holds the guest to half the rate, 281.25 MB/s, so each round leaves half
 * of what it sent: 4096 -> 2048 -> 1024 -> 512 -> 256 MB. 256 MB cross in
 * 0.455 s <= 0.5 s: switchover after 4 rounds. Pre-copy 7680 MB / 562.5
 * = 13.65 s, all of it slowed; stun 256 / 562.5 + 0.2 = 0.655 s, where
 * without SDPS it is 7.48 s (above).
 */
static void test_vmotion_sdps_keeps_the_stun_near_the_target_and_costs_slowed_time(void **state)
{
	(void)state;
	struct vmotion_params p = {4, 2000, 0.5, 0.2, 30, 0.5};
	struct vmotion_result r = vmotion_precopy(&p, 562.5);
	assert_int_equal(r.rounds, 4);
	assert_true(fabs(r.stun_s - (256.0 / 562.5 + 0.2)) < 1e-9);
	assert_true(fabs(r.sdps_s - 7680.0 / 562.5) < 1e-9);
	assert_true(fabs(r.duration_s - (7680.0 / 562.5 + 256.0 / 562.5 + 0.2)) < 1e-9);
	/* A guest below half the rate is never slowed. */
	p.dirty_mb_per_s = 200;
	assert_true(vmotion_precopy(&p, 562.5).sdps_s == 0);
}

/*
 * The rate changes mid-way: 4 GB, D = 100 MB/s, alone at 1125 MB/s for
 * 2 s (2250 MB sent, 200 MB dirtied), then at 562.5 MB/s (a peer began):
 * the 1846 MB left of round 0 take 3.2818 s and dirty 328.18 MB more;
 * round 1 sends 528.18 MB in 0.939 s, dirtying 93.9 MB, which cross in
 * 0.167 s <= 0.5 s: the stun is 0.167 + 0.2 s.
 */
static void test_vmotion_advances_at_one_rate_and_finishes_at_another(void **state)
{
	(void)state;
	struct vmotion_params p = {4, 100, 0.5, 0.2, 30, 0.5};
	struct vmotion_state st;
	vmotion_begin(&p, &st);
	assert_true(vmotion_advance(&p, &st, 1125, 2) == 2);
	assert_true(fabs(st.left - 1846) < 1e-9 && fabs(st.dirty - 200) < 1e-9);
	struct vmotion_result r = vmotion_finish(&p, &st, 562.5);
	double a = 1846 / 562.5, d1 = 200 + 100 * a, b = d1 / 562.5, d2 = 100 * b;
	assert_int_equal(r.rounds, 2);
	assert_true(fabs(r.duration_s - (a + b + d2 / 562.5 + 0.2)) < 1e-9);
	assert_true(fabs(r.stun_s - (d2 / 562.5 + 0.2)) < 1e-9);
	/* Advancing past the end uses only the time to the end. */
	double used = vmotion_advance(&p, &st, 562.5, 100);
	assert_true(fabs(used - r.duration_s) < 1e-9);
	assert_int_equal(st.phase, VMOTION_DONE);
}

#define CLASSIC_HW                                                                                 \
	"hardware:\n"                                                                              \
	"  enter_mm: 30s\n"                                                                        \
	"  install: 5m\n"                                                                          \
	"  post: 3m\n"                                                                             \
	"  boot: 4m\n"                                                                             \
	"  exit_mm: 30s\n"                                                                         \
	"  enter_partial_mm: 10s\n"                                                                \
	"  mount_revision: 30s\n"                                                                  \
	"  patch_revision: 1m\n"                                                                   \
	"  exit_partial_mm: 10s\n"

/* One host's classic steps without VMs: 30 + 300 + 180 + 240 + 30 s. */
#define CLASSIC_STEPS 780.0

static void test_classic_run_evacuates_by_vmotion_with_the_hand_computed_stun(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\n" CLASSIC_HW
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts: [{name: h%d, count: 2, cores: 16, memory_gb: 64, vmotion_gbps: 10}]\n"
		 "    vms: [{name: v, vcpus: 2, memory_gb: 4, dirty_mb_per_s: 100}]\n",
		 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	double vm = PRECOPY_T0 + PRECOPY_STUN;
	/* h1 evacuates v to h2, patches; then h2 sends v back and patches. */
	assert_true(fabs(r->makespan_s - 2 * (vm + CLASSIC_STEPS)) < 1e-6);
	assert_int_equal(r->vms_vmotion, 2);
	/* Two stuns of one VM: the record keeps both in its list. */
	double stuns[2];
	assert_int_equal(rec_stun_count(r), 2);
	assert_int_equal(r->nstuns, 2);
	assert_int_equal(rec_stuns_copy(r, stuns), 2);
	assert_true(fabs(stuns[0] - PRECOPY_STUN) < 1e-9);
	assert_true(fabs(stuns[1] - PRECOPY_STUN) < 1e-9);
	assert_true(fabs(r->downtime_total_s - 2 * PRECOPY_STUN) < 1e-9);
	assert_int_equal(r->hosts_classic, 2);
	assert_int_equal(r->hosts_compliant, 2);
	assert_int_equal(r->vms[0].host_after, 0);
	assert_int_equal(r->vms[0].remediation, REC_REM_VMOTION);
	fixture_fini(&f);
}

/* Two 10 GbE hosts (1125 MB/s each way): h1 holds the VMs, h2 (64 GB)
 * takes them, then gives them back; VMS is the vms: list. */
#define TWO_HOSTS(VMS)                                                                             \
	"lpsim: 1\nname: t\npatch: {name: p}\n" CLASSIC_HW "clusters:\n"                               \
	"  - name: c\n"                                                                             \
	"    hosts:\n"                                                                              \
	"      - {name: h1, cores: 64, memory_gb: 1024, vmotion_gbps: 10}\n"                        \
	"      - {name: h2, cores: 64, memory_gb: 64, vmotion_gbps: 10}\n"                          \
	"    vms: " VMS "\n"

/*
 * Eight equal VMs (4 GB, 10 MB/s) leave h1 together (the 10 GbE limit is
 * 8): the link is shared, 1125 / 8 = 140.625 MB/s each, never more in all.
 * Each: round 0 4096 MB in 29.127 s, dirtying 291.27 MB; round 1 sends
 * them in 2.0713 s, dirtying 20.713 MB; those cross in 0.1473 s <= 0.5 s:
 * stun 0.3473 s. All eight alike (with shares fixed at the start, 1/k of
 * the link for the k-th, the first would cross at 1125 MB/s with a 0.23 s
 * stun, and the eight would carry 2.7 times the link).
 */
static void test_classic_eight_vmotions_share_one_link_and_end_together(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f, TWO_HOSTS("[{name: v%d, count: 8, vcpus: 1, memory_gb: 4, dirty_mb_per_s: 10}]"),
		 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	const double R = 1125.0 / 8, t0 = 4096 / R, t1 = 10 * t0 / R, last = 10 * t1 / R;
	const double stun = last + 0.2, evac = t0 + t1 + stun;
	assert_int_equal(r->vms_vmotion, 16);
	assert_true(fabs(r->makespan_s - 2 * (evac + CLASSIC_STEPS)) < 1e-6);
	double stuns[16];
	assert_int_equal(rec_stuns_copy(r, stuns), 16);
	for (int i = 0; i < 16; i++)
		assert_true(fabs(stuns[i] - stun) < 1e-6);
	assert_true(r->sdps_total_s == 0); /* 10 MB/s is far below half of 140.625 */
	fixture_fini(&f);
}

/*
 * a (2 GB) and b (6 GB), no dirtying, leave h1 together at 562.5 MB/s
 * each. a has sent its 2048 MB at 3.641 s and ends at t1 = 3.841 s (its
 * 0.2 s switchover overhead holds its share); b, 2160.5 MB sent by then,
 * has the whole link for the 3983.5 MB left: 3.541 s, then 0.2 s. b ends
 * at 7.582 s (at 562.5 MB/s throughout it would end at 11.12 s).
 */
static void test_classic_vmotion_speeds_up_when_its_peer_ends(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 TWO_HOSTS("[{name: a, vcpus: 1, memory_gb: 2, dirty_mb_per_s: 0},"
			   " {name: b, vcpus: 1, memory_gb: 6, dirty_mb_per_s: 0}]"),
		 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	const double t1 = 2048 / 562.5 + 0.2, b_end = t1 + (6144 - 562.5 * t1) / 1125 + 0.2;
	assert_true(fabs(b_end - 7.58178) < 1e-5);
	assert_true(fabs(r->makespan_s - 2 * (b_end + CLASSIC_STEPS)) < 1e-6);
	fixture_fini(&f);
}

/*
 * A guest dirtying 2000 MB/s, faster than the 1125 MB/s link: SDPS holds it
 * to 562.5 MB/s, so rounds send 4096, 2048, 1024 MB and leave 512 MB,
 * which cross in 0.455 s <= 0.5 s. Stun 0.655 s (without SDPS the stun
 * would send all 4 GB: 3.84 s); slowed for the 7168 MB of pre-copy,
 * 6.37 s, on each of its two vMotions.
 */
static void test_classic_sdps_bounds_the_stun_of_a_guest_faster_than_the_link(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f, TWO_HOSTS("[{name: v, vcpus: 1, memory_gb: 4, dirty_mb_per_s: 2000}]"), 1, 1,
		 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	const double stun = 512 / 1125.0 + 0.2, slowed = 7168 / 1125.0;
	double stuns[2];
	assert_int_equal(rec_stuns_copy(r, stuns), 2);
	assert_true(fabs(stuns[0] - stun) < 1e-6 && fabs(stuns[1] - stun) < 1e-6);
	assert_true(fabs(r->sdps_total_s - 2 * slowed) < 1e-6);
	assert_true(fabs(r->vms[0].sdps_s - 2 * slowed) < 1e-6);
	assert_true(fabs(r->makespan_s - 2 * (slowed + stun + CLASSIC_STEPS)) < 1e-6);
	fixture_fini(&f);
}


/* A VM that cannot move blocks maintenance mode under do_not_change: the
 * host fails after its retries, and sequential remediation stops there:
 * the second host is never started (not_started). */
static void test_classic_do_not_change_blocks_maintenance_mode_until_failed(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\n" CLASSIC_HW
		 "vcenter: {remediation: {pre_remediation_power_action: do_not_change,\n"
		 "  failure_action: {retry_count: 2, retry_delay: 1m}}}\n"
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts: [{name: h%d, count: 2, cores: 16, memory_gb: 64}]\n"
		 "    vms: [{name: gpu, vcpus: 2, memory_gb: 4, directpath: true, host: h1}]\n",
		 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	assert_int_equal(r->hosts_failed, 1);
	assert_int_equal(r->hosts[0].outcome, REC_FAILED);
	assert_int_equal(r->hosts[0].attempts, 3);
	assert_true(r->hosts[0].end_s == 120); /* attempts at 0, 60, 120 */
	assert_true(r->makespan_s == 120);
	assert_int_equal(r->hosts_not_started, 1);
	assert_int_equal(r->hosts[1].outcome, REC_NOT_STARTED);
	assert_true(isnan(r->hosts[1].start_s));
	/* and they say why: the DirectPath VM, and the host the remediation stopped at */
	assert_int_equal(r->hosts[0].why, REC_WHY_CANNOT_MOVE);
	assert_int_equal(r->hosts[0].why_ref, 0);
	assert_int_equal(r->hosts[1].why, REC_WHY_STOPPED);
	assert_int_equal(r->hosts[1].why_ref, 0);
	assert_true(r->downtime_total_s == 0);
	fixture_fini(&f);
}

static void test_classic_power_off_brings_the_vm_back_after_exit(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\n" CLASSIC_HW "  vm_shutdown: 20s\n"
		 "  vm_boot: 40s\n"
		 "vcenter: {remediation: {pre_remediation_power_action: power_off}}\n"
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts: [{name: h, cores: 16, memory_gb: 64}]\n"
		 "    vms: [{name: gpu, vcpus: 2, memory_gb: 4, directpath: true}]\n",
		 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	const struct rec *r = &f.res.recs[0][0];
	/* shutdown 20, then the host's steps, then the boot: down 20 + 780 + 40 */
	assert_true(r->makespan_s == 20 + CLASSIC_STEPS);
	assert_true(r->downtime_total_s == 20 + CLASSIC_STEPS + 40);
	assert_int_equal(r->vms_powered_off, 1);
	assert_int_equal(r->vms[0].remediation, REC_REM_POWER_OFF);
	assert_true(r->time_to_compliance_s == 20 + CLASSIC_STEPS);
	fixture_fini(&f);
}

static void test_vsan_cluster_puts_one_host_at_a_time_in_maintenance_mode(void **state)
{
	(void)state;
#define VSAN_FMT                                                                                   \
	"lpsim: 1\nname: t\npatch: {name: p}\n" CLASSIC_HW                                          \
	"vcenter: {remediation: {parallel: {enabled: true, max_hosts: 4}}}\n"                       \
	"clusters:\n"                                                                              \
	"  - name: c\n"                                                                            \
	"    vsan: %s\n"                                                                           \
	"    hosts: [{name: h%%d, count: 3, cores: 16, memory_gb: 64}]\n"                          \
	"    vms: [{name: v, vcpus: 2, memory_gb: 4, power: off}]\n"
	char y[2048];
	struct fixture f;
	snprintf(y, sizeof(y), VSAN_FMT, "true");
	run_yaml(&f, y, 1, 1, 2, SCENARIO_STRATEGY_LIVE_PATCH);
	assert_true(f.res.recs[0][0].makespan_s == 110);               /* live: all at once */
	assert_true(f.res.recs[1][0].makespan_s == 3 * CLASSIC_STEPS); /* classic: serial */
	fixture_fini(&f);
	snprintf(y, sizeof(y), VSAN_FMT, "false");
	run_yaml(&f, y, 1, 1, 1, SCENARIO_STRATEGY_CLASSIC);
	assert_true(f.res.recs[0][0].makespan_s == CLASSIC_STEPS);
	fixture_fini(&f);
}

/* Auto mode: the TPM host takes the classic path; it reboots with the same
 * drawn boot time under both strategies (common random numbers). */
static void test_auto_mode_sends_ineligible_hosts_classic_with_common_random_numbers(void **state)
{
	(void)state;
	struct fixture f;
	run_yaml(&f,
		 "lpsim: 1\nname: t\npatch: {name: p}\nseed: 11\n"
		 "vcenter: {version: 9.1, live_patch_mode: auto}\n"
		 "clusters:\n"
		 "  - name: c\n"
		 "    hosts:\n"
		 "      - {name: h%d, count: 3, version: 8.0.3, cores: 16, memory_gb: 256}\n"
		 "      - {name: t, version: 8.0.3, cores: 16, memory_gb: 256, tpm: true}\n"
		 "    vms: [{name: v%d, count: 8, vcpus: 2, memory_gb: 8}]\n",
		 11, 3, 2, SCENARIO_STRATEGY_LIVE_PATCH);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f.res.recs[0][i].hosts_live, 3);
		assert_int_equal(f.res.recs[0][i].hosts_classic, 1);
		assert_int_equal(f.res.recs[1][i].hosts_classic, 4);
	}
	/* The TPM host (index 3) reboots for the same time under both strategies. */
	double reboot[2] = {-1, -1};
	for (int s = 0; s < 2; s++) {
		const struct rec *r = &f.res.recs[s][0];
		for (size_t i = 0; i < r->nspans; i++)
			if (r->spans[i].host == 3 && r->spans[i].state == REC_ST_REBOOTING)
				reboot[s] = r->spans[i].end_s - r->spans[i].start_s;
	}
	assert_true(reboot[0] > 0);
	assert_true(fabs(reboot[0] - reboot[1]) < 2e-9);
	fixture_fini(&f);
}

static void test_classic_table_reaches_done_only_through_exit(void **state)
{
	(void)state;
	for (int s = 0; s < CL_NSTATES; s++)
		if (cl_transition((enum cl_state)s, CL_EV_EXITED).valid)
			assert_int_equal(cl_transition((enum cl_state)s, CL_EV_EXITED).next, CL_DONE);
	for (int ev = 0; ev < CL_NEVENTS; ev++) {
		assert_false(cl_transition(CL_DONE, (enum cl_event)ev).valid);
		assert_false(cl_transition(CL_FAILED, (enum cl_event)ev).valid);
		if (cl_transition(CL_PENDING, (enum cl_event)ev).valid)
			assert_int_equal(ev, CL_EV_START);
	}
	assert_string_equal(cl_state_name(CL_EVACUATING), "evacuating");
}

/*
 * Chaos: every fault on, both strategies, many seeds. Every host must end
 * compliant, failed or blocked, every VM keep a finite downtime, and the
 * test build checks after every event that no VM is lost or duplicated and
 * no host over capacity (rem_check, LPSIM_CHECKS).
 */
static void test_chaos_runs_keep_every_vm_and_end_every_host(void **state)
{
	(void)state;
	const char *y =
		"lpsim: 1\nname: chaos\npatch: {name: p, memory_reservation_gb: {temporary: 2}}\n"
		"horizon: 30d\n"
		"faults: {patch_failure_prob: 0.2, fsr_failure_prob: 0.1, vmotion_failure_prob: 0.1,\n"
		"  host_crash_prob: 0.3, ha_restart: 2m}\n"
		"vcenter:\n"
		"  version: 9.1\n"
		"  live_patch_mode: auto\n"
		"  remediation:\n"
		"    parallel: {enabled: true, max_hosts: 2}\n"
		"    pre_remediation_power_action: suspend\n"
		"    failure_action: {retry_count: 3, retry_delay: 1m}\n"
		"    manual_remediation: {policy: auto, start: after_host}\n"
		"clusters:\n"
		"  - name: c\n"
		"    hosts:\n"
		"      - {name: h%d, count: 4, cores: 32, memory_gb: 256}\n"
		"      - {name: d, cores: 32, memory_gb: 256, dpu: true}\n"
		"    vms:\n"
		"      - {name: web-%02d, count: 20, vcpus: 2, memory_gb: 8}\n"
		"      - {name: ft-%d, count: 2, vcpus: 2, memory_gb: 8, ft: true}\n"
		"      - {name: gpu, vcpus: 4, memory_gb: 16, directpath: true}\n"
		"      - {name: sql-%d, count: 2, vcpus: 4, memory_gb: 16, shared_disk: true}\n"
		"      - {name: off, vcpus: 1, memory_gb: 4, power: off}\n"
		"    rules: [{type: vm_anti_affinity, vms: [sql-1, sql-2]}]\n";
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct fixture f;
		run_yaml(&f, y, seed, 3, 2, SCENARIO_STRATEGY_LIVE_PATCH);
		for (size_t s = 0; s < 2; s++)
			for (int i = 0; i < 3; i++) {
				const struct rec *r = &f.res.recs[s][i];
				assert_int_equal(r->hosts_compliant + r->hosts_failed + r->hosts_blocked +
							 r->hosts_not_started,
						 5);
				for (size_t v = 0; v < r->nvms; v++)
					assert_true(isfinite(r->vm_downtime[v]) &&
						    r->vm_downtime[v] >= 0);
			}
		fixture_fini(&f);
	}
}

static int setup(void **state)
{
	(void)state;
	gsl_set_error_handler_off();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmotion_precopy_matches_the_formula_by_hand),
		cmocka_unit_test(test_vmotion_sdps_keeps_the_stun_near_the_target_and_costs_slowed_time),
		cmocka_unit_test(test_vmotion_advances_at_one_rate_and_finishes_at_another),
		cmocka_unit_test(test_classic_run_evacuates_by_vmotion_with_the_hand_computed_stun),
		cmocka_unit_test(test_classic_eight_vmotions_share_one_link_and_end_together),
		cmocka_unit_test(test_classic_vmotion_speeds_up_when_its_peer_ends),
		cmocka_unit_test(test_classic_sdps_bounds_the_stun_of_a_guest_faster_than_the_link),
		cmocka_unit_test(test_classic_do_not_change_blocks_maintenance_mode_until_failed),
		cmocka_unit_test(test_classic_power_off_brings_the_vm_back_after_exit),
		cmocka_unit_test(test_vsan_cluster_puts_one_host_at_a_time_in_maintenance_mode),
		cmocka_unit_test(test_auto_mode_sends_ineligible_hosts_classic_with_common_random_numbers),
		cmocka_unit_test(test_classic_table_reaches_done_only_through_exit),
		cmocka_unit_test(test_chaos_runs_keep_every_vm_and_end_every_host),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
