/*
 * Tests of models/rem and models/livepath with a scripted fake hardware:
 * the test sees every request the models make, completes them in the order
 * and with the outcomes it chooses, and checks what the models do next.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "models/livepath.h"
#include "models/rem.h"

struct req {
	enum hw_op op;
	int32_t host;
	int32_t vm;
	int32_t cluster;
	int attempt;
};

struct fake {
	struct req q[512];
	int n;
	double t;
	struct rem *rem;
};

static void push(struct fake *f, enum hw_op op, int32_t h, int32_t v, int32_t c, int attempt)
{
	assert_true(f->n < 512);
	f->q[f->n++] = (struct req){op, h, v, c, attempt};
}

static void f_enter(void *hw, int32_t h)
{
	push(hw, HW_ENTER_PARTIAL_MM, h, -1, -1, 0);
}
static void f_mount(void *hw, int32_t h, int a)
{
	push(hw, HW_MOUNT_REVISION, h, -1, -1, a);
}
static void f_patch(void *hw, int32_t h, int a)
{
	push(hw, HW_PATCH_REVISION, h, -1, -1, a);
}
static void f_rollback(void *hw, int32_t h, int a)
{
	push(hw, HW_ROLLBACK, h, -1, -1, a);
}
static void f_fsr(void *hw, int32_t h, int32_t v)
{
	push(hw, HW_FSR, h, v, -1, 0);
}
static void f_exit(void *hw, int32_t h)
{
	push(hw, HW_EXIT_PARTIAL_MM, h, -1, -1, 0);
}
static void f_retry(void *hw, int32_t h, int a)
{
	push(hw, HW_RETRY_DELAY, h, -1, -1, a);
}
static void f_cycle(void *hw, int32_t v)
{
	push(hw, HW_VM_POWER_CYCLE, -1, v, -1, 0);
}
static void f_manual(void *hw, int32_t c, int32_t h)
{
	push(hw, HW_MANUAL_DELAY, h, -1, c, 0);
}
static void f_enter_mm(void *hw, int32_t h, int a)
{
	push(hw, HW_ENTER_MM, h, -1, -1, a);
}
static void f_install(void *hw, int32_t h, int a)
{
	push(hw, HW_INSTALL, h, -1, -1, a);
}
static void f_reboot(void *hw, int32_t h, int a)
{
	push(hw, HW_REBOOT, h, -1, -1, a);
}
static void f_exit_mm(void *hw, int32_t h)
{
	push(hw, HW_EXIT_MM, h, -1, -1, 0);
}
static void f_vmotion(void *hw, int32_t v, int part, int32_t src, int32_t dst)
{
	push(hw, HW_VMOTION, src, 2 * v + part, -1, dst);
}
static void f_power_off(void *hw, int32_t v)
{
	push(hw, HW_VM_POWER_OFF, -1, v, -1, 0);
}
static void f_power_on(void *hw, int32_t v)
{
	push(hw, HW_VM_POWER_ON, -1, v, -1, 0);
}
static void f_attempt_start(void *hw, int32_t h, int a, bool classic)
{
	(void)hw, (void)h, (void)a, (void)classic;
}
static void f_attempt_end(void *hw, int32_t h)
{
	(void)hw, (void)h;
}
static void f_recover(void *hw, int32_t h, int a)
{
	push(hw, HW_HOST_RECOVER, h, -1, -1, a);
}
static void f_ha(void *hw, int32_t v, int part, int32_t dst)
{
	push(hw, HW_HA_RESTART, dst, 2 * v + part, -1, 0);
}
/* Drops every outstanding request of host h (host-level ones). */
static void f_cancel_host(void *hw, int32_t h)
{
	struct fake *f = hw;
	for (int i = 0; i < f->n;)
		if (f->q[i].host == h && f->q[i].vm == -1 && f->q[i].op != HW_MANUAL_DELAY)
			memmove(&f->q[i], &f->q[i + 1], (size_t)(--f->n - i) * sizeof(f->q[0]));
		else
			i++;
}
static void f_cancel_vm(void *hw, int32_t v, int part)
{
	struct fake *f = hw;
	for (int i = 0; i < f->n;)
		if (f->q[i].vm == v || (f->q[i].vm == 2 * v + part &&
					(f->q[i].op == HW_VMOTION || f->q[i].op == HW_HA_RESTART)))
			memmove(&f->q[i], &f->q[i + 1], (size_t)(--f->n - i) * sizeof(f->q[0]));
		else
			i++;
}
static double f_now(void *hw)
{
	return ((struct fake *)hw)->t;
}

static const struct hw_ops fake_ops = {
	.enter_partial_mm = f_enter,
	.mount_revision = f_mount,
	.patch_revision = f_patch,
	.rollback = f_rollback,
	.fsr = f_fsr,
	.exit_partial_mm = f_exit,
	.retry_delay = f_retry,
	.vm_power_cycle = f_cycle,
	.manual_delay = f_manual,
	.enter_mm = f_enter_mm,
	.install = f_install,
	.reboot = f_reboot,
	.exit_mm = f_exit_mm,
	.vmotion = f_vmotion,
	.vm_power_off = f_power_off,
	.vm_power_on = f_power_on,
	.attempt_start = f_attempt_start,
	.attempt_end = f_attempt_end,
	.host_recover = f_recover,
	.ha_restart = f_ha,
	.cancel_host = f_cancel_host,
	.cancel_vm = f_cancel_vm,
	.now = f_now,
};

/* Whether a request (op, host, vm) is outstanding. */
static bool pending(const struct fake *f, enum hw_op op, int32_t h, int32_t v)
{
	for (int i = 0; i < f->n; i++)
		if (f->q[i].op == op && f->q[i].host == h && f->q[i].vm == v)
			return true;
	return false;
}

/* Completes the outstanding request (op, host, vm) at time t; it must exist. */
static struct req done(struct fake *f, double t, enum hw_op op, int32_t h, int32_t v, bool ok,
		       double value)
{
	for (int i = 0; i < f->n; i++) {
		struct req r = f->q[i];
		if (r.op != op || r.host != h || r.vm != v)
			continue;
		memmove(&f->q[i], &f->q[i + 1], (size_t)(f->n - i - 1) * sizeof(r));
		f->n--;
		f->t = t;
		bool by_part = op == HW_VMOTION || op == HW_HA_RESTART;
		struct hw_done d = {op, h, op == HW_MANUAL_DELAY ? -1 : by_part ? v >> 1 : v,
				    r.cluster, ok, value, by_part ? v & 1 : 0, 0};
		rem_done(f->rem, &d);
		long who;
		const char *bad = rem_check(f->rem, &who);
		if (bad)
			fail_msg("invariant: %s (%ld)", bad, who);
		return r;
	}
	fail_msg("no outstanding request op=%d host=%d vm=%d", op, h, v);
	return (struct req){0};
}

struct world {
	struct diag d;
	struct scenario *sc;
	struct estate *e;
	struct scan *scan;
	struct rec rec;
	struct fake f;
};

static void setup_world(struct world *w, const char *yaml)
{
	memset(w, 0, sizeof(*w));
	diag_init(&w->d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &w->d, &w->sc);
	if (rc)
		diag_print(&w->d, stderr);
	assert_int_equal(rc, 0);
	assert_int_equal(estate_build(w->sc, &w->d, &w->e), 0);
	assert_int_equal(scan_run(w->e, false, &w->scan), 0);
	assert_int_equal(rec_init(&w->rec, w->e->nhosts, w->e->nvms, true), 0);
	w->f.rem = rem_new(w->e, w->scan, &fake_ops, &w->f, &w->rec);
	assert_non_null(w->f.rem);
	assert_int_equal(rem_start(w->f.rem), 0);
}

static void teardown_world(struct world *w)
{
	rem_free(w->f.rem);
	rec_fini(&w->rec);
	scan_free(w->scan);
	estate_free(w->e);
	scenario_free(w->sc);
	diag_fini(&w->d);
}

/* Drives host h from partial MM to patched (attempt `attempt`). */
static void to_patched(struct world *w, double t, int32_t h, bool ok)
{
	done(&w->f, t, HW_ENTER_PARTIAL_MM, h, -1, true, 0);
	done(&w->f, t + 1, HW_MOUNT_REVISION, h, -1, true, 0);
	done(&w->f, t + 2, HW_PATCH_REVISION, h, -1, ok, 0);
}

#define HEAD "lpsim: 1\nname: t\n"
#define HOSTS2 "    hosts: [{name: h%d, count: 2, cores: 16, memory_gb: 256}]\n"

static void test_rem_live_path_runs_hosts_one_at_a_time_and_fsrs_with_concurrency(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "hardware: {fsr: {concurrency: 2}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms: [{name: v%d, count: 6, vcpus: 1, memory_gb: 8}]\n");
	/* Placement alternates: v1 v3 v5 on h1 (index 0), v2 v4 v6 on h2. */
	assert_int_equal(w.f.n, 1);
	assert_int_equal(w.f.q[0].op, HW_ENTER_PARTIAL_MM);
	assert_int_equal(w.f.q[0].host, 0);
	to_patched(&w, 10, 0, true);
	/* Two FSRs at once, in inventory order. */
	assert_int_equal(w.f.n, 2);
	assert_true(pending(&w.f, HW_FSR, 0, 0));
	assert_true(pending(&w.f, HW_FSR, 0, 2));
	done(&w.f, 13, HW_FSR, 0, 0, true, 0.5);
	assert_true(pending(&w.f, HW_FSR, 0, 4));
	done(&w.f, 13.2, HW_FSR, 0, 2, true, 0.25);
	assert_false(pending(&w.f, HW_EXIT_PARTIAL_MM, 0, -1));
	done(&w.f, 13.4, HW_FSR, 0, 4, true, 0.25);
	assert_true(pending(&w.f, HW_EXIT_PARTIAL_MM, 0, -1));
	assert_false(pending(&w.f, HW_ENTER_PARTIAL_MM, 1, -1)); /* one host at a time */
	done(&w.f, 20, HW_EXIT_PARTIAL_MM, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 1, -1));
	to_patched(&w, 30, 1, true);
	for (int v = 1; v < 6; v += 2)
		if (pending(&w.f, HW_FSR, 1, v))
			done(&w.f, 40, HW_FSR, 1, v, true, 1);
	assert_false(pending(&w.f, HW_FSR, 1, 5)); /* started when v2 finished, done above */
	done(&w.f, 50, HW_EXIT_PARTIAL_MM, 1, -1, true, 0);
	assert_int_equal(w.f.n, 0);
	assert_int_equal(rem_finish(w.f.rem, 50, 1000), 0);
	assert_true(w.rec.makespan_s == 50);
	assert_true(w.rec.time_to_compliance_s == 50);
	assert_int_equal(w.rec.vms_fsr, 6);
	assert_int_equal(w.rec.hosts_compliant, 2);
	assert_int_equal(w.rec.hosts_live, 2);
	assert_true(w.rec.downtime_total_s == 4.0);
	assert_int_equal(rec_stun_count(&w.rec), 6);
	assert_true(w.rec.exposure_host_hours == (20.0 + 50.0) / 3600);
	assert_true(w.rec.hosts[0].compliant_at_s == 20);
	assert_int_equal(w.rec.hosts[0].outcome, REC_COMPLIANT);
	assert_int_equal(w.rec.hosts[0].attempts, 1);
	/* compliance steps: 0 at t=0, 1 at 20, 2 at 50 */
	assert_int_equal(w.rec.nsteps, 3);
	assert_int_equal(w.rec.steps[2].compliant, 2);
	teardown_world(&w);
}

/* retry_install (an lpsim extension) retries a failed live patch; the host
 * that fails anyway stops the sequential remediation: the next host is
 * not started. */
static void test_rem_failed_patch_rolls_back_and_retries_after_the_delay(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {remediation: {failure_action: {retry_count: 1, retry_delay: 1m,\n"
			     "  retry_install: true}}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n");
	to_patched(&w, 1, 0, false);
	done(&w.f, 5, HW_ROLLBACK, 0, -1, true, 0);
	struct req r = done(&w.f, 65, HW_RETRY_DELAY, 0, -1, true, 0);
	assert_int_equal(r.attempt, 1);
	assert_true(pending(&w.f, HW_MOUNT_REVISION, 0, -1));
	assert_int_equal(w.f.q[0].attempt, 2);
	done(&w.f, 66, HW_MOUNT_REVISION, 0, -1, true, 0);
	done(&w.f, 67, HW_PATCH_REVISION, 0, -1, false, 0); /* the last retry fails too */
	done(&w.f, 68, HW_ROLLBACK, 0, -1, true, 0);
	assert_false(pending(&w.f, HW_RETRY_DELAY, 0, -1)); /* retries spent */
	done(&w.f, 70, HW_EXIT_PARTIAL_MM, 0, -1, true, 0);
	/* failed: sequential remediation stops; the next host never starts */
	assert_int_equal(w.f.n, 0);
	assert_int_equal(rem_finish(w.f.rem, 100, 1000), 0);
	assert_int_equal(w.rec.hosts_failed, 1);
	assert_int_equal(w.rec.hosts_not_started, 1);
	assert_int_equal(w.rec.hosts[0].outcome, REC_FAILED);
	assert_int_equal(w.rec.hosts[1].outcome, REC_NOT_STARTED);
	assert_int_equal(w.rec.hosts[0].attempts, 2);
	assert_true(w.rec.hosts[0].end_s == 70);
	assert_true(isnan(w.rec.time_to_compliance_s));
	assert_true(w.rec.exposure_host_hours == 0); /* neither host became compliant */
	assert_true(w.rec.makespan_s == 70);
	/* The timeline went through every live-path state of a failure. */
	bool seen[REC_ST_N] = {0};
	for (size_t i = 0; i < w.rec.nspans; i++)
		if (w.rec.spans[i].host == 0)
			seen[w.rec.spans[i].state] = true;
	for (int st = REC_ST_ENTERING_PARTIAL_MM; st <= REC_ST_EXITING_PARTIAL_MM; st++)
		if (st != REC_ST_FSR)
			assert_true(seen[st]);
	assert_true(seen[REC_ST_FAILED]);
	teardown_world(&w);
}

static void test_rem_enforce_blocks_a_cluster_with_an_ineligible_host(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts:\n"
			     "      - {name: a, cores: 16, memory_gb: 256}\n"
			     "      - {name: b, cores: 16, memory_gb: 256, tpm: true}\n"
			     "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n"
			     "  - name: d\n" HOSTS2 "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n");
	/* Cluster c is blocked; cluster d starts its first host. */
	assert_int_equal(w.f.n, 1);
	assert_int_equal(w.f.q[0].host, 2);
	assert_int_equal(rem_finish(w.f.rem, 0, 100), 0);
	assert_int_equal(w.rec.hosts_blocked, 2);
	assert_int_equal(w.rec.hosts[1].outcome, REC_BLOCKED);
	assert_int_equal(w.rec.hosts[1].path, REC_PATH_NONE);
	teardown_world(&w);
}

static void test_rem_parallel_remediation_keeps_max_hosts_in_flight(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {remediation: {parallel: {enabled: true, max_hosts: 2}}}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts: [{name: h%d, count: 3, cores: 16, memory_gb: 256}]\n"
			     "    vms: [{name: v%d, count: 3, vcpus: 1, memory_gb: 8, power: off}]\n");
	assert_int_equal(w.f.n, 2);
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 0, -1));
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 1, -1));
	to_patched(&w, 0, 1, true); /* powered-off VMs: nothing to FSR */
	done(&w.f, 5, HW_EXIT_PARTIAL_MM, 1, -1, true, 0);
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 2, -1));
	assert_int_equal(w.rec.nsteps, 2); /* h2 compliant at once: its VM is off */
	teardown_world(&w);
}

static void test_rem_fsr_failure_leaves_the_host_non_compliant_until_power_cycled(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {remediation: {manual_remediation: {policy: power_cycle, start: after_host}}}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts: [{name: h%d, count: 1, cores: 16, memory_gb: 256}]\n"
			     "    vms:\n"
			     "      - {name: v%d, count: 2, vcpus: 1, memory_gb: 8}\n"
			     "      - {name: sql, vcpus: 1, memory_gb: 8, shared_disk: true}\n");
	to_patched(&w, 0, 0, true);
	done(&w.f, 3, HW_FSR, 0, 0, false, 0.2); /* resumes on the old runtime */
	done(&w.f, 3, HW_FSR, 0, 1, true, 0.2);
	done(&w.f, 4, HW_EXIT_PARTIAL_MM, 0, -1, true, 0);
	assert_int_equal(w.rec.nsteps, 1); /* not compliant */
	done(&w.f, 4, HW_MANUAL_DELAY, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_VM_POWER_CYCLE, -1, 0));
	assert_true(pending(&w.f, HW_VM_POWER_CYCLE, -1, 2)); /* the incompatible one */
	assert_false(pending(&w.f, HW_VM_POWER_CYCLE, -1, 1));
	done(&w.f, 100, HW_VM_POWER_CYCLE, -1, 0, true, 96);
	assert_int_equal(w.rec.nsteps, 1);
	done(&w.f, 130, HW_VM_POWER_CYCLE, -1, 2, true, 126);
	assert_int_equal(rem_finish(w.f.rem, 130, 1000), 0);
	assert_true(w.rec.time_to_compliance_s == 130);
	assert_true(w.rec.makespan_s == 4); /* manual remediation is not in the makespan */
	assert_int_equal(w.rec.vms_power_cycle, 2);
	assert_true(w.rec.vm_downtime[0] == 96.2);
	assert_int_equal(w.rec.vms[2].remediation, REC_REM_POWER_CYCLE);
	/* v2's stun is its whole downtime: the record keeps it once, as that
	 * downtime; v1's is not (it was power-cycled too): it is listed. */
	assert_true(rec_is_sole_stun(&w.rec, 1));
	assert_false(rec_is_sole_stun(&w.rec, 0));
	assert_false(rec_is_sole_stun(&w.rec, 2));
	assert_int_equal(w.rec.nstuns, 1);
	assert_true(w.rec.stuns[0] == 0.2);
	assert_int_equal(rec_stun_count(&w.rec), 2);
	teardown_world(&w);
}

static void test_rem_vmkernel_only_patch_needs_no_fsr(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p, components: [vmkernel]}\n"
			     "vcenter: {version: 9.0}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts: [{name: h%d, count: 1, cores: 16, memory_gb: 256}]\n"
			     "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8, ft: false, directpath: true}]\n");
	to_patched(&w, 0, 0, true);
	assert_true(pending(&w.f, HW_EXIT_PARTIAL_MM, 0, -1));
	done(&w.f, 3, HW_EXIT_PARTIAL_MM, 0, -1, true, 0);
	assert_int_equal(rem_finish(w.f.rem, 3, 1000), 0);
	assert_true(w.rec.time_to_compliance_s == 3);
	assert_int_equal(w.rec.vms_fsr, 0);
	teardown_world(&w);
}

static void test_rem_crash_cancels_the_host_restarts_its_vms_by_ha_and_retries(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "faults: {ha_restart: 2m}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms: [{name: v%d, count: 2, vcpus: 1, memory_gb: 8}]\n");
	/* v1 on h1 (index 0), v2 on h2 */
	done(&w.f, 1, HW_ENTER_PARTIAL_MM, 0, -1, true, 0);
	done(&w.f, 2, HW_MOUNT_REVISION, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_PATCH_REVISION, 0, -1));
	w.f.t = 3;
	rem_done(w.f.rem, &(struct hw_done){HW_HOST_CRASH, 0, -1, -1, true, 0, 0, 0});
	assert_false(pending(&w.f, HW_PATCH_REVISION, 0, -1)); /* cancelled */
	assert_true(pending(&w.f, HW_HA_RESTART, 1, 0));       /* v1 restarts on h2 */
	assert_true(pending(&w.f, HW_HOST_RECOVER, 0, -1));
	done(&w.f, 123, HW_HA_RESTART, 1, 0, true, 0);
	struct req rr = done(&w.f, 400, HW_HOST_RECOVER, 0, -1, true, 0);
	assert_int_equal(rr.attempt, 1);
	/* back to pending, and started again at once: attempt 2 */
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 0, -1));
	done(&w.f, 401, HW_ENTER_PARTIAL_MM, 0, -1, true, 0);
	struct req m = done(&w.f, 402, HW_MOUNT_REVISION, 0, -1, true, 0);
	assert_int_equal(m.attempt, 2);
	done(&w.f, 403, HW_PATCH_REVISION, 0, -1, true, 0);
	done(&w.f, 404, HW_EXIT_PARTIAL_MM, 0, -1, true, 0); /* h1 is empty now: no FSR */
	assert_int_equal(rem_finish(w.f.rem, 404, 1000), 0);
	assert_true(w.rec.vm_downtime[0] == 120);            /* crash to HA restart */
	assert_int_equal(w.rec.vms[0].host_after, 1);
	assert_int_equal(w.rec.hosts[0].attempts, 2);
	assert_int_equal(w.rec.hosts[0].outcome, REC_COMPLIANT);
	teardown_world(&w);
}

/* vMotions under way from host src (to dst when dst >= 0). */
static int running_vmotions(const struct fake *f, int32_t src, int32_t dst)
{
	int n = 0;
	for (int i = 0; i < f->n; i++)
		n += f->q[i].op == HW_VMOTION && f->q[i].host == src &&
		     (dst < 0 || f->q[i].attempt == dst);
	return n;
}

/* Completes one vMotion from src at time t (the first outstanding). */
static void finish_one_vmotion(struct world *w, double t, int32_t src)
{
	for (int i = 0; i < w->f.n; i++)
		if (w->f.q[i].op == HW_VMOTION && w->f.q[i].host == src) {
			done(&w->f, t, HW_VMOTION, src, w->f.q[i].vm, true, 0.2);
			return;
		}
	fail_msg("no vMotion from host %d", src);
}

/* An evacuation of 12 VMs from h0 (the first host) to the `ndst` other
 * hosts; the hosts' vmotion_gbps as given. */
static void setup_limits(struct world *w, int src_gbps, int dst_gbps, int ndst)
{
	char y[1024];
	snprintf(y, sizeof(y),
		 HEAD "patch: {name: p}\n"
		      "vcenter: {live_patch_mode: disable}\n"
		      "clusters:\n"
		      "  - name: c\n"
		      "    hosts:\n"
		      "      - {name: src, cores: 64, memory_gb: 1024, vmotion_gbps: %d}\n"
		      "      - {name: d%%d, count: %d, cores: 64, memory_gb: 128, vmotion_gbps: %d}\n"
		      "    vms: [{name: v%%02d, count: 12, vcpus: 1, memory_gb: 4}]\n",
		 src_gbps, ndst, dst_gbps);
	setup_world(w, y);
}

/* vCenter's network limit (Limits on Simultaneous Migrations): 4 vMotions
 * at once on a host below 10 GbE, 8 from 10 GbE, counted at both ends. */
static void test_rem_vmotions_at_once_follow_the_nic_limit_at_both_ends(void **state)
{
	(void)state;
	struct world w;
	/* 25 GbE source, one 1 GbE destination: the destination's 4 bind. */
	setup_limits(&w, 25, 1, 1);
	assert_int_equal(running_vmotions(&w.f, 0, -1), 4);
	finish_one_vmotion(&w, 10, 0);
	assert_int_equal(running_vmotions(&w.f, 0, -1), 4); /* the next takes the slot */
	teardown_world(&w);
	/* Two 1 GbE destinations: 4 each, the 25 GbE source's 8 in all. */
	setup_limits(&w, 25, 1, 2);
	assert_int_equal(running_vmotions(&w.f, 0, 1), 4);
	assert_int_equal(running_vmotions(&w.f, 0, 2), 4);
	teardown_world(&w);
	/* A 1 GbE source: 4, whatever its 25 GbE destinations allow. */
	setup_limits(&w, 1, 25, 2);
	assert_int_equal(running_vmotions(&w.f, 0, -1), 4);
	teardown_world(&w);
	/* 25 GbE everywhere, one destination: 8 (10 GbE and above). */
	setup_limits(&w, 25, 25, 1);
	assert_int_equal(running_vmotions(&w.f, 0, -1), 8);
	for (int k = 0; k < 12; k++) {
		assert_true(running_vmotions(&w.f, 0, -1) <= 8);
		finish_one_vmotion(&w, 10 + k, 0);
	}
	assert_int_equal(running_vmotions(&w.f, 0, -1), 0);
	assert_true(pending(&w.f, HW_ENTER_MM, 0, -1));
	teardown_world(&w);
}

/* hardware.vmotion.max_concurrent, when set, replaces the NIC limit at both ends. */
static void test_rem_vmotion_max_concurrent_overrides_the_nic_limit(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable}\n"
			     "hardware: {vmotion: {max_concurrent: 2}}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts:\n"
			     "      - {name: src, cores: 64, memory_gb: 1024, vmotion_gbps: 25}\n"
			     "      - {name: d%d, count: 2, cores: 64, memory_gb: 128, vmotion_gbps: 25}\n"
			     "    vms: [{name: v%02d, count: 12, vcpus: 1, memory_gb: 4}]\n");
	assert_int_equal(running_vmotions(&w.f, 0, -1), 2);
	teardown_world(&w);
}

static void test_rem_classic_path_evacuates_installs_retries_and_reboots(void **state)
{
	(void)state;
	struct world w;
	memset(&w, 0, sizeof(w));
	const char *y = HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {pre_remediation_power_action: power_off_unmovable,\n"
			     "                failure_action: {retry_count: 1, retry_delay: 1m,\n"
			     "                                 retry_install: true}}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms:\n"
			     "      - {name: v%d, count: 2, vcpus: 1, memory_gb: 8}\n"
			     "      - {name: gpu, vcpus: 1, memory_gb: 8, directpath: true, host: h1}\n";
	setup_world(&w, y);
	/* h1 holds v1 and gpu: v1 moves, gpu is powered off */
	assert_true(pending(&w.f, HW_VMOTION, 0, 0));
	assert_true(pending(&w.f, HW_VM_POWER_OFF, -1, 2));
	assert_false(pending(&w.f, HW_ENTER_MM, 0, -1));
	done(&w.f, 5, HW_VMOTION, 0, 0, true, 0.3);
	done(&w.f, 30, HW_VM_POWER_OFF, -1, 2, true, 0);
	done(&w.f, 60, HW_ENTER_MM, 0, -1, true, 0);
	done(&w.f, 360, HW_INSTALL, 0, -1, false, 0); /* fails: retry in maintenance mode */
	done(&w.f, 420, HW_RETRY_DELAY, 0, -1, true, 0);
	struct req in = done(&w.f, 700, HW_INSTALL, 0, -1, true, 0);
	assert_int_equal(in.attempt, 2);
	done(&w.f, 1100, HW_REBOOT, 0, -1, true, 0);
	assert_false(pending(&w.f, HW_ENTER_MM, 1, -1)); /* one host at a time */
	done(&w.f, 1130, HW_EXIT_MM, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_VM_POWER_ON, -1, 2)); /* gpu back after exit */
	done(&w.f, 1190, HW_VM_POWER_ON, -1, 2, true, 0);
	/* h2 evacuates v1 and v2 to h1, which is done */
	assert_true(pending(&w.f, HW_VMOTION, 1, 0));
	assert_true(pending(&w.f, HW_VMOTION, 1, 2 * 1));
	done(&w.f, 1200, HW_VMOTION, 1, 0, false, 0); /* a failed vMotion fails the attempt */
	done(&w.f, 1201, HW_VMOTION, 1, 2, true, 0.2);
	assert_true(pending(&w.f, HW_RETRY_DELAY, 1, -1));
	done(&w.f, 1261, HW_RETRY_DELAY, 1, -1, true, 0);
	done(&w.f, 1265, HW_VMOTION, 1, 0, true, 0.25);
	done(&w.f, 1300, HW_ENTER_MM, 1, -1, true, 0);
	done(&w.f, 1600, HW_INSTALL, 1, -1, true, 0);
	done(&w.f, 2000, HW_REBOOT, 1, -1, true, 0);
	done(&w.f, 2030, HW_EXIT_MM, 1, -1, true, 0);
	assert_int_equal(w.f.n, 0);
	assert_int_equal(rem_finish(w.f.rem, 2030, 5000), 0);
	assert_int_equal(w.rec.hosts_classic, 2);
	assert_int_equal(w.rec.hosts_compliant, 2);
	assert_int_equal(w.rec.hosts[1].attempts, 2);
	assert_int_equal(w.rec.vms_vmotion, 4);
	assert_int_equal(w.rec.vms_powered_off, 1);
	assert_true(w.rec.vm_downtime[2] == 1190 - 0); /* from the power-off to the boot */
	assert_true(w.rec.makespan_s == 2030);
	teardown_world(&w);
}

/* Issue 16, 1: vLCM's power_off changes the power state of every running VM
 * of the host before maintenance mode: nothing is vMotioned, a powered-off
 * VM is left alone, and each comes back when the host leaves. */
static void test_rem_power_off_acts_on_every_running_vm_of_the_host(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {pre_remediation_power_action: power_off}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms:\n"
			     "      - {name: a, vcpus: 1, memory_gb: 8, host: h1}\n"
			     "      - {name: b, vcpus: 1, memory_gb: 8, host: h1, power: off}\n"
			     "      - {name: gpu, vcpus: 1, memory_gb: 8, directpath: true, host: h1}\n"
			     "      - {name: c, vcpus: 1, memory_gb: 8, host: h2}\n");
	assert_int_equal(w.f.n, 2); /* a and gpu, nothing for b, no vMotion */
	assert_true(pending(&w.f, HW_VM_POWER_OFF, -1, 0));
	assert_true(pending(&w.f, HW_VM_POWER_OFF, -1, 2));
	done(&w.f, 30, HW_VM_POWER_OFF, -1, 0, true, 0);
	done(&w.f, 31, HW_VM_POWER_OFF, -1, 2, true, 0);
	done(&w.f, 60, HW_ENTER_MM, 0, -1, true, 0);
	done(&w.f, 360, HW_INSTALL, 0, -1, true, 0);
	done(&w.f, 700, HW_REBOOT, 0, -1, true, 0);
	done(&w.f, 730, HW_EXIT_MM, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_VM_POWER_ON, -1, 0));
	assert_true(pending(&w.f, HW_VM_POWER_ON, -1, 2));
	assert_false(pending(&w.f, HW_VM_POWER_ON, -1, 1));
	done(&w.f, 790, HW_VM_POWER_ON, -1, 0, true, 0);
	done(&w.f, 800, HW_VM_POWER_ON, -1, 2, true, 0);
	assert_true(pending(&w.f, HW_VM_POWER_OFF, -1, 3)); /* h2: c, powered off too */
	assert_int_equal(rem_finish(w.f.rem, 800, 1000), 0);
	assert_int_equal(w.rec.vms_powered_off, 3);
	assert_int_equal(w.rec.vms_vmotion, 0);
	assert_true(w.rec.vm_downtime[1] == 0);
	assert_true(w.rec.vm_downtime[0] == 790);
	assert_true(w.rec.vm_downtime[2] == 800);
	teardown_world(&w);
}

/* Issue 16, 2: with DRS in manual mode, vLCM cannot evacuate the host:
 * under do_not_change a running VM keeps it out of maintenance mode (the
 * attempt fails at once, no vMotion); a power action empties it. */
static void test_rem_drs_manual_evacuates_nothing_by_vmotion(void **state)
{
	(void)state;
#define DRS_MANUAL(action)                                                                         \
	HEAD "patch: {name: p}\n"                                                                  \
	     "vcenter: {live_patch_mode: disable,\n"                                               \
	     "  remediation: {pre_remediation_power_action: " action ",\n"                         \
	     "                failure_action: {retry_count: 1, retry_delay: 1m}}}\n"              \
	     "clusters:\n"                                                                         \
	     "  - name: c\n"                                                                       \
	     "    drs: {enabled: true, automation: manual}\n" HOSTS2 "    vms:\n"                 \
	     "      - {name: a, vcpus: 1, memory_gb: 8, host: h1}\n"
	struct world w;
	setup_world(&w, DRS_MANUAL("do_not_change"));
	assert_int_equal(w.f.n, 1);
	assert_true(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	done(&w.f, 60, HW_RETRY_DELAY, 0, -1, true, 0);
	assert_false(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	assert_int_equal(w.f.n, 0); /* failed after its retry; h2 never starts */
	assert_int_equal(rem_finish(w.f.rem, 60, 1000), 0);
	assert_int_equal(w.rec.hosts_failed, 1);
	assert_int_equal(w.rec.hosts_not_started, 1);
	assert_int_equal(w.rec.vms_vmotion, 0);
	teardown_world(&w);

	setup_world(&w, DRS_MANUAL("power_off"));
	assert_int_equal(w.f.n, 1);
	assert_true(pending(&w.f, HW_VM_POWER_OFF, -1, 0));
	done(&w.f, 30, HW_VM_POWER_OFF, -1, 0, true, 0);
	assert_true(pending(&w.f, HW_ENTER_MM, 0, -1));
	teardown_world(&w);

	/* the admin modelled explicitly: vMotions what DRS would not */
	static const char y2[] =
		HEAD "patch: {name: p}\n"
		     "vcenter: {live_patch_mode: disable, remediation: {admin_vmotion: true}}\n"
		     "clusters:\n"
		     "  - name: c\n"
		     "    drs: {enabled: false}\n" HOSTS2 "    vms:\n"
		     "      - {name: a, vcpus: 1, memory_gb: 8, host: h1}\n";
	setup_world(&w, y2);
	assert_true(pending(&w.f, HW_VMOTION, 0, 0));
	teardown_world(&w);
}

/* Issue 16, 3: parallel remediation of the classic path in rounds: the
 * admin puts max_hosts hosts into maintenance mode, vLCM remediates them
 * once all are in it, and the next round waits for the whole round. */
static void test_rem_parallel_classic_remediates_prepared_rounds(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {parallel: {enabled: true, max_hosts: 2}}}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts: [{name: h%d, count: 4, cores: 16, memory_gb: 256}]\n"
			     "    vms:\n"
			     "      - {name: a, vcpus: 1, memory_gb: 8, host: h1}\n");
	/* round 1: h1 (one VM to move) and h2 (empty) */
	assert_true(pending(&w.f, HW_VMOTION, 0, 0));
	assert_true(pending(&w.f, HW_ENTER_MM, 1, -1));
	assert_false(pending(&w.f, HW_ENTER_MM, 2, -1));
	done(&w.f, 30, HW_ENTER_MM, 1, -1, true, 0);
	assert_false(pending(&w.f, HW_INSTALL, 1, -1)); /* waits for h1 */
	done(&w.f, 40, HW_VMOTION, 0, 0, true, 0.3);
	done(&w.f, 70, HW_ENTER_MM, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_INSTALL, 0, -1));
	assert_true(pending(&w.f, HW_INSTALL, 1, -1));
	for (int h = 0; h < 2; h++) {
		done(&w.f, 400 + h, HW_INSTALL, h, -1, true, 0);
		done(&w.f, 800 + h, HW_REBOOT, h, -1, true, 0);
	}
	done(&w.f, 830, HW_EXIT_MM, 0, -1, true, 0);
	assert_false(pending(&w.f, HW_ENTER_MM, 2, -1)); /* the round is not over */
	done(&w.f, 831, HW_EXIT_MM, 1, -1, true, 0);
	assert_true(pending(&w.f, HW_ENTER_MM, 2, -1) || pending(&w.f, HW_VMOTION, 2, 0));
	teardown_world(&w);
}

/* A host the admin cannot put into maintenance mode (unmovable_vms:
 * skip_host) is skipped by vLCM (not_started); a parallel remediation goes
 * on past failures. */
static void test_rem_parallel_skips_a_host_not_in_maintenance_mode(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {parallel: {enabled: true, max_hosts: 1,\n"
			     "                           unmovable_vms: skip_host}}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms:\n"
			     "      - {name: gpu, vcpus: 1, memory_gb: 8, directpath: true, host: h1}\n");
	assert_true(pending(&w.f, HW_ENTER_MM, 1, -1)); /* h1 skipped at once, h2 next */
	done(&w.f, 30, HW_ENTER_MM, 1, -1, true, 0);
	done(&w.f, 330, HW_INSTALL, 1, -1, false, 0); /* fails: no retry of an install */
	done(&w.f, 360, HW_EXIT_MM, 1, -1, true, 0);
	assert_int_equal(w.f.n, 0);
	assert_int_equal(rem_finish(w.f.rem, 360, 1000), 0);
	assert_int_equal(w.rec.hosts[0].outcome, REC_NOT_STARTED);
	assert_int_equal(w.rec.hosts[1].outcome, REC_FAILED);
	assert_true(w.rec.vm_downtime[0] == 0);
	teardown_world(&w);
}

/* Issue 16, 9: a vSAN cluster goes fault domain by fault domain, the
 * preferred one first, one host at a time, even with parallel enabled. */
static void test_rem_vsan_goes_fault_domain_by_fault_domain(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {parallel: {enabled: true, max_hosts: 4}}}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    vsan: true\n"
			     "    preferred_fault_domain: b\n"
			     "    hosts:\n"
			     "      - {name: h1, cores: 16, memory_gb: 256, fault_domain: a}\n"
			     "      - {name: h2, cores: 16, memory_gb: 256, fault_domain: c}\n"
			     "      - {name: h3, cores: 16, memory_gb: 256, fault_domain: a}\n"
			     "      - {name: h4, cores: 16, memory_gb: 256, fault_domain: b}\n"
			     "    vms: []\n");
	int32_t want[4] = {3, 0, 2, 1}; /* b (preferred), a, a, c */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(w.f.n, 1);
		assert_true(pending(&w.f, HW_ENTER_MM, want[i], -1));
		done(&w.f, 100.0 * i + 1, HW_ENTER_MM, want[i], -1, true, 0);
		done(&w.f, 100.0 * i + 2, HW_INSTALL, want[i], -1, true, 0);
		done(&w.f, 100.0 * i + 3, HW_REBOOT, want[i], -1, true, 0);
		done(&w.f, 100.0 * i + 4, HW_EXIT_MM, want[i], -1, true, 0);
	}
	assert_int_equal(w.f.n, 0);
	teardown_world(&w);
}

/* Issue 16, 4: a failed host tolerance lets sequential remediation go on
 * past failed hosts up to that share of the cluster (here 50% of 2). */
static void test_rem_failed_host_tolerance_lets_remediation_go_on(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {remediation: {failure_action: {failed_host_tolerance_pct: 50}}}\n"
			     "clusters:\n"
			     "  - name: c\n" HOSTS2 "    vms: []\n");
	to_patched(&w, 0, 0, false);
	done(&w.f, 5, HW_ROLLBACK, 0, -1, true, 0); /* no retry: failed */
	assert_false(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	done(&w.f, 10, HW_EXIT_PARTIAL_MM, 0, -1, true, 0);
	assert_true(pending(&w.f, HW_ENTER_PARTIAL_MM, 1, -1));
	teardown_world(&w);
}

/* Issue 20: a powered-off VM consumes no host memory for DRS: it does not
 * keep a running VM from being evacuated to its host. */
static void test_rem_powered_off_vms_take_no_room_from_an_evacuation(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable}\n"
			     "clusters:\n"
			     "  - name: c\n"
			     "    hosts: [{name: h%d, count: 2, cores: 16, memory_gb: 64}]\n"
			     "    vms:\n"
			     "      - {name: a, vcpus: 1, memory_gb: 32, host: h1}\n"
			     "      - {name: b, vcpus: 1, memory_gb: 48, host: h2, power: off}\n");
	assert_true(pending(&w.f, HW_VMOTION, 0, 0)); /* a goes to h2 */
	assert_false(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	teardown_world(&w);
}

/* Issue 16, 3: scan and the report say how each cluster is remediated, and
 * why parallel remediation falls back to sequential. */
static void test_rem_cluster_mode_says_why_parallel_falls_back(void **state)
{
	(void)state;
	struct world w;
	setup_world(&w, HEAD "patch: {name: p}\n"
			     "vcenter: {live_patch_mode: disable,\n"
			     "  remediation: {parallel: {enabled: true, max_hosts: 3}}}\n"
			     "clusters:\n"
			     "  - name: a\n"
			     "    vsan: true\n" HOSTS2 "    vms: []\n"
			     "  - name: b\n" HOSTS2 "    vms: []\n"
			     "  - name: c\n"
			     "    nsx: true\n"
			     "    remediation: {parallel: {enabled: false}}\n" HOSTS2 "    vms: []\n");
	char buf[512];
	assert_non_null(strstr(rem_cluster_mode(w.e, w.scan, 0, buf, sizeof(buf)),
			       "not supported with vSAN"));
	assert_non_null(strstr(rem_cluster_mode(w.e, w.scan, 1, buf, sizeof(buf)),
			       "parallel (max_hosts 3): classic-path hosts in rounds"));
	assert_non_null(strstr(rem_cluster_mode(w.e, w.scan, 2, buf, sizeof(buf)),
			       "sequential, one host at a time, stopping at the first failed host"));
	teardown_world(&w);
}

/*
 * HA admission control (percentage policy) counts reservations plus
 * overhead, not configured memory. Two 100 GB hosts, 50% kept free; h1's
 * evacuation moves v1 (40 GB) next to v2 (40 GB) on h2. Configured memory
 * would be 80 GB > 50 GB; with no reservations the count is the two VMs'
 * overhead, (14.2 + 7.58 x 40 + 4.1 x 1) / 1024 = 0.314 GB each: the
 * evacuation goes ahead. With reservation_gb: 30 each, 60.6 GB > 50 GB:
 * the attempt fails before anything moves, and waits for its retry.
 */
static void admission_world(struct world *w, const char *reservation)
{
	char y[1024];
	snprintf(y, sizeof(y),
		 HEAD "patch: {name: p}\n"
		      "vcenter: {live_patch_mode: disable, remediation: {disable_hac: false}}\n"
		      "clusters:\n"
		      "  - name: c\n"
		      "    ha: {enabled: true, admission_control_pct: 50}\n"
		      "    hosts: [{name: h%%d, count: 2, cores: 16, memory_gb: 100}]\n"
		      "    vms:\n"
		      "      - {name: v1, vcpus: 1, memory_gb: 40, host: h1%s}\n"
		      "      - {name: v2, vcpus: 1, memory_gb: 40, host: h2%s}\n",
		 reservation, reservation);
	setup_world(w, y);
}

static void test_rem_ha_admission_control_counts_reservations_and_overhead(void **state)
{
	(void)state;
	struct world w;
	admission_world(&w, "");
	assert_true(pending(&w.f, HW_VMOTION, 0, 0));
	assert_false(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	teardown_world(&w);

	admission_world(&w, ", reservation_gb: 30");
	assert_false(pending(&w.f, HW_VMOTION, 0, 0));
	assert_true(pending(&w.f, HW_RETRY_DELAY, 0, -1));
	teardown_world(&w);
}

static void test_livepath_table_has_no_exit_from_final_states(void **state)
{
	(void)state;
	for (int ev = 0; ev < LP_NEVENTS; ev++) {
		assert_false(lp_transition(LP_DONE, (enum lp_event)ev).valid);
		assert_false(lp_transition(LP_FAILED, (enum lp_event)ev).valid);
	}
	for (int s = 0; s < LP_DONE; s++) {
		bool any = false;
		for (int ev = 0; ev < LP_NEVENTS; ev++)
			any |= lp_transition((enum lp_state)s, (enum lp_event)ev).valid;
		assert_true(any);
	}
	assert_false(lp_transition(LP_NSTATES, LP_EV_START).valid);
	assert_string_equal(lp_state_name(LP_EXITING_PMM), "exiting_partial_mm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rem_live_path_runs_hosts_one_at_a_time_and_fsrs_with_concurrency),
		cmocka_unit_test(test_rem_failed_patch_rolls_back_and_retries_after_the_delay),
		cmocka_unit_test(test_rem_enforce_blocks_a_cluster_with_an_ineligible_host),
		cmocka_unit_test(test_rem_parallel_remediation_keeps_max_hosts_in_flight),
		cmocka_unit_test(test_rem_fsr_failure_leaves_the_host_non_compliant_until_power_cycled),
		cmocka_unit_test(test_rem_vmkernel_only_patch_needs_no_fsr),
		cmocka_unit_test(test_rem_crash_cancels_the_host_restarts_its_vms_by_ha_and_retries),
		cmocka_unit_test(test_rem_classic_path_evacuates_installs_retries_and_reboots),
		cmocka_unit_test(test_rem_power_off_acts_on_every_running_vm_of_the_host),
		cmocka_unit_test(test_rem_drs_manual_evacuates_nothing_by_vmotion),
		cmocka_unit_test(test_rem_parallel_classic_remediates_prepared_rounds),
		cmocka_unit_test(test_rem_parallel_skips_a_host_not_in_maintenance_mode),
		cmocka_unit_test(test_rem_vsan_goes_fault_domain_by_fault_domain),
		cmocka_unit_test(test_rem_failed_host_tolerance_lets_remediation_go_on),
		cmocka_unit_test(test_rem_powered_off_vms_take_no_room_from_an_evacuation),
		cmocka_unit_test(test_rem_cluster_mode_says_why_parallel_falls_back),
		cmocka_unit_test(test_rem_ha_admission_control_counts_reservations_and_overhead),
		cmocka_unit_test(test_rem_vmotions_at_once_follow_the_nic_limit_at_both_ends),
		cmocka_unit_test(test_rem_vmotion_max_concurrent_overrides_the_nic_limit),
		cmocka_unit_test(test_livepath_table_has_no_exit_from_final_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
