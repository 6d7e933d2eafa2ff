/*
 * test_scenario_load: whole scenarios from YAML text: every default of
 * SCENARIO.md, every distribution form and its checks, overrides, name
 * checks and references, limits, sweep axes, and the exact text and
 * position of errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "sim/dist.h"
#include "tests/scale.h"

#define MINIMAL                                                                                    \
	"lpsim: 1\n"                                                                               \
	"name: t\n"                                                                                \
	"clusters:\n"                                                                              \
	"  - name: c\n"                                                                            \
	"    hosts: [{name: h-%d, count: 2, cores: 8, memory_gb: 64}]\n"                           \
	"    vms: [{name: v-%d, count: 3, vcpus: 2, memory_gb: 4}]\n"                              \
	"patch: {name: p}\n"

/* Loads yaml; fails the test unless it is valid. */
static struct scenario *load_ok(const char *yaml)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &d, &s);
	if (rc != 0) {
		diag_print(&d, stderr);
		fail_msg("scenario rejected (%d)", rc);
	}
	assert_non_null(s);
	diag_fini(&d);
	return s;
}

/* Loads yaml, expects it invalid, returns what validate would print (malloc'd). */
static char *load_errors(const char *yaml)
{
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	int rc = scenario_load_buffer(yaml, strlen(yaml), "t.yaml", &d, &s);
	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	/* SHOWPOS=1: print the text at each error's position (to check new expectations). */
	if (getenv("SHOWPOS"))
		for (size_t i = 0; i < d.n; i++) {
			const char *p = yaml;
			for (uint32_t l = 1; l < d.v[i].pos.line && p; l++) {
				p = strchr(p, '\n');
				if (p)
					p++;
			}
			if (p && d.v[i].pos.line)
				fprintf(stderr, "SHOW %u:%u [%.20s] %s\n", d.v[i].pos.line,
				        d.v[i].pos.col, p + d.v[i].pos.col - 1, d.v[i].msg);
		}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	diag_print(&d, f);
	fclose(f);
	diag_fini(&d);
	return buf;
}

static void expect_errors(const char *yaml, const char *expected)
{
	char *got = load_errors(yaml);
	assert_string_equal(got, expected);
	free(got);
}

/* MINIMAL plus extra top-level text. */
static char *with(const char *extra)
{
	size_t n = strlen(MINIMAL) + strlen(extra) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%s%s", MINIMAL, extra);
	return s;
}

static void expect_extra_errors(const char *extra, const char *expected)
{
	char *yaml = with(extra);
	expect_errors(yaml, expected);
	free(yaml);
}

static struct scenario *load_extra(const char *extra)
{
	char *yaml = with(extra);
	struct scenario *s = load_ok(yaml);
	free(yaml);
	return s;
}

static void assert_lognormal(const struct dist *d, double median, double p95)
{
	assert_int_equal(d->kind, DIST_LOGNORMAL);
	assert_true(fabs(d->a - log(median)) < 1e-12);
	assert_true(fabs(d->b - log(p95 / median) / DIST_Z95) < 1e-12);
	assert_true(d->offset == 0);
}

static void assert_constant(const struct dist *d, double v)
{
	assert_int_equal(d->kind, DIST_CONSTANT);
	assert_true(d->a == v);
	assert_true(d->offset == 0);
}

/* ---- eligibility, reservations, vGPU, defaults' sources (issue 16) ------------ */

static void test_auto_mode_needs_vcenter_91_and_the_error_names_the_version(void **state)
{
	(void)state;
	expect_extra_errors("vcenter: {version: 8.0.3, live_patch_mode: auto}\n",
	                    "t.yaml:8:44: error: 'live_patch_mode: auto' needs vCenter 9.1 or later "
	                    "(AUTO_LIVE_PATCH); this vCenter is 8.0.3 (use enforce or disable, or "
	                    "vcenter.version: 9.1)\n");
	/* The vCenter's default version is 8.0.3: a cluster asking for auto is refused at its key. */
	expect_errors("lpsim: 1\nname: t\npatch: {name: p}\n"
	              "clusters:\n"
	              "  - name: c\n"
	              "    live_patch_mode: auto\n"
	              "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	              "    vms: []\n",
	              "t.yaml:6:22: error: 'live_patch_mode: auto' needs vCenter 9.1 or later "
	              "(AUTO_LIVE_PATCH); this vCenter is 8.0.3 (use enforce or disable, or "
	              "vcenter.version: 9.1)\n");
	struct scenario *s = load_extra("vcenter: {version: 9.1, live_patch_mode: auto}\n");
	assert_int_equal(s->live_patch_mode, SCENARIO_MODE_AUTO);
	scenario_free(s);
}

static void test_builds_reservations_vgpu_and_passthrough_drs_are_read(void **state)
{
	(void)state;
	struct scenario *s = load_ok(
	    "lpsim: 1\nname: t\npatch: {name: p, base_build: 24755229}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    hosts: [{name: h, cores: 8, memory_gb: 256, build: 24585383}]\n"
	    "    vms:\n"
	    "      - {name: plain, vcpus: 1, memory_gb: 16}\n"
	    "      - {name: res, vcpus: 1, memory_gb: 16, reservation_gb: 4}\n"
	    "      - {name: dp, vcpus: 1, memory_gb: 16, directpath: true}\n"
	    "      - {name: gpu, vcpus: 1, memory_gb: 32, vgpu_gb: 16}\n"
	    "  - name: d\n"
	    "    passthrough_drs_automation: true\n"
	    "    hosts: [{name: h, cores: 8, memory_gb: 256}]\n"
	    "    vms: [{name: gpu, vcpus: 1, memory_gb: 32, vgpu_gb: 8, reservation_gb: 32}]\n");
	assert_int_equal(s->patch.base_build, 24755229);
	const struct scenario_cluster *c = &s->clusters[0];
	assert_int_equal(c->hosts[0].build, 24585383);
	assert_int_equal(s->clusters[1].hosts[0].build, 0);
	assert_false(c->passthrough_drs_automation);
	assert_true(c->vms[0].reservation_gb == 0);
	assert_true(c->vms[1].reservation_gb == 4);
	assert_true(c->vms[2].reservation_gb == 16); /* DirectPath: fully reserved */
	assert_true(c->vms[3].reservation_gb == 32); /* vGPU: fully reserved */
	assert_true(c->vms[3].vgpu_gb == 16);
	assert_true(c->vms[3].drs_pinned); /* no passthrough DRS automation in c */
	assert_false(c->vms[0].drs_pinned);
	assert_true(s->clusters[1].passthrough_drs_automation);
	assert_false(s->clusters[1].vms[0].drs_pinned);
	scenario_free(s);
}

static void test_reservations_are_checked_against_memory(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: t\npatch: {name: p, base_build: 0}\n"
	              "clusters:\n"
	              "  - name: c\n"
	              "    hosts: [{name: h, cores: 8, memory_gb: 256, build: -1}]\n"
	              "    vms:\n"
	              "      - {name: a, vcpus: 1, memory_gb: 16, reservation_gb: 17}\n"
	              "      - {name: b, vcpus: 1, memory_gb: 16, directpath: true, reservation_gb: 8}\n"
	              "      - {name: c, vcpus: 1, memory_gb: 16, vgpu_gb: -2}\n",
	              "t.yaml:3:30: error: 'base_build' must be >= 1 (got 0)\n"
	              "t.yaml:6:56: error: 'build' must be >= 1 (got -1)\n"
	              "t.yaml:8:60: error: 'reservation_gb' must be at most the VM's memory_gb 16 "
	              "(got 17)\n"
	              "t.yaml:9:78: error: 'reservation_gb' 8 is less than memory_gb 16, but a "
	              "DirectPath VM has all its memory reserved (leave reservation_gb out)\n"
	              "t.yaml:10:53: error: 'vgpu_gb' must be >= 0 (got -2)\n");
}

static void test_unanchored_defaults_are_counted_per_figure_some_host_keeps(void **state)
{
	(void)state;
	/* 23 figures, 3 anchored (fsr.stun.base, vmotion.max_concurrent,
	 * vmotion.switchover_target): a file that sets none keeps 20 unanchored. */
	int anchored = 0;
	for (int f = 0; f < SCENARIO_HW_NFIGURES; f++) {
		assert_non_null(scenario_hw_figures[f].path);
		assert_non_null(scenario_hw_figures[f].source);
		anchored += scenario_hw_figures[f].anchored;
	}
	assert_int_equal(SCENARIO_HW_NFIGURES, 23);
	assert_int_equal(anchored, 3);
	struct scenario *s = load_ok(MINIMAL);
	assert_int_equal(scenario_hw_count(scenario_unanchored_defaults(s)), 20);
	scenario_free(s);
	/* boot set for all: 19; install set in one host entry only: still counted;
	 * a value written equal to the default is the same assumption: counted. */
	s = load_ok("lpsim: 1\nname: t\npatch: {name: p}\n"
	            "hardware: {boot: 5m, exit_mm: 30s, fsr: {concurrency: 2}}\n"
	            "clusters:\n"
	            "  - name: c\n"
	            "    hosts:\n"
	            "      - {name: a, cores: 8, memory_gb: 64, hardware: {install: 10m}}\n"
	            "      - {name: b, cores: 8, memory_gb: 64}\n"
	            "    vms: []\n");
	uint32_t bits = scenario_unanchored_defaults(s);
	assert_int_equal(scenario_hw_count(bits), 18);
	assert_false(bits & (1u << SCENARIO_HW_BOOT));
	assert_false(bits & (1u << SCENARIO_HW_FSR_CONCURRENCY));
	assert_true(bits & (1u << SCENARIO_HW_INSTALL));
	assert_true(bits & (1u << SCENARIO_HW_EXIT_MM));
	assert_false(bits & (1u << SCENARIO_HW_VMOTION_SWITCHOVER_TARGET)); /* anchored */
	scenario_free(s);
	/* Every host calibrated: nothing left. */
	s = load_ok("lpsim: 1\nname: t\npatch: {name: p}\n"
	            "hardware:\n"
	            "  enter_partial_mm: 11s\n  mount_revision: 31s\n  patch_revision: 61s\n"
	            "  rollback: 31s\n  exit_partial_mm: 11s\n  enter_mm: 31s\n  install: 6m\n"
	            "  post: 4m\n  boot: 5m\n  quick_boot: 1m\n  exit_mm: 31s\n"
	            "  vm_shutdown: 31s\n  vm_boot: 61s\n"
	            "  fsr: {stun: {per_gb: 1ms, per_vcpu: 1ms, sigma: 0.2}, concurrency: 2}\n"
	            "  vmotion: {efficiency: 0.8, switchover_overhead: 100ms, max_rounds: 20}\n"
	            "clusters:\n"
	            "  - name: c\n"
	            "    hosts: [{name: a, cores: 8, memory_gb: 64}]\n"
	            "    vms: []\n");
	assert_int_equal(scenario_unanchored_defaults(s), 0);
	scenario_free(s);
}

/* ---- defaults ----------------------------------------------------------------- */

static void test_minimal_scenario_gets_every_default(void **state)
{
	(void)state;
	struct scenario *s = load_ok(MINIMAL);
	assert_string_equal(s->file, "t.yaml");
	assert_string_equal(s->name, "t");
	assert_string_equal(s->description, "");
	assert_true(s->seed == 1);
	assert_int_equal(s->replications, 1);
	assert_int_equal(s->nstrategies, 2);
	assert_int_equal(s->strategies[0], SCENARIO_STRATEGY_LIVE_PATCH);
	assert_int_equal(s->strategies[1], SCENARIO_STRATEGY_CLASSIC);
	assert_true(s->horizon == 30 * 86400.0);
	assert_int_equal(s->vcenter_version, SCENARIO_VERSION(8, 0, 3));
	assert_int_equal(s->live_patch_mode, SCENARIO_MODE_ENFORCE);

	const struct scenario_remediation *r = &s->remediation;
	assert_false(r->parallel_enabled);
	assert_int_equal(r->max_hosts, 4);
	assert_int_equal(r->power_action, SCENARIO_POWER_ACTION_DO_NOT_CHANGE);
	assert_int_equal(r->retry_count, 3);
	assert_true(r->retry_delay == 300);
	assert_false(r->quick_boot);
	assert_false(r->evacuate_offline_vms);
	assert_true(r->disable_hac);
	assert_int_equal(r->manual_policy, SCENARIO_MANUAL_NONE);
	assert_int_equal(r->manual_start, SCENARIO_MANUAL_AFTER_CLUSTER);
	assert_true(r->manual_delay == 0);

	assert_int_equal(s->nclusters, 1);
	const struct scenario_cluster *cl = &s->clusters[0];
	assert_string_equal(cl->name, "c");
	assert_int_equal(cl->count, 1);
	assert_true(cl->drs_enabled);
	assert_int_equal(cl->drs_automation, SCENARIO_DRS_FULLY_AUTOMATED);
	assert_true(cl->ha_enabled);
	assert_true(cl->ha_admission_control_pct == 0);
	assert_false(cl->vsan);
	assert_true(cl->cpu_overcommit == 4.0);
	assert_int_equal(cl->live_patch_mode, SCENARIO_MODE_ENFORCE);
	assert_memory_equal(&cl->remediation, r, sizeof(*r));
	assert_int_equal(cl->nrules, 0);
	assert_int_equal(cl->hosts_each, 2);
	assert_int_equal(cl->vms_each, 3);
	assert_int_equal(cl->pos.line, 4);
	assert_int_equal(cl->pos.col, 5);

	const struct scenario_host *h = &cl->hosts[0];
	assert_string_equal(h->name, "h-%d");
	assert_int_equal(h->count, 2);
	assert_int_equal(h->version, SCENARIO_VERSION(8, 0, 3));
	assert_int_equal(h->cores, 8);
	assert_true(h->memory_gb == 64);
	assert_false(h->tpm);
	assert_false(h->dpu);
	assert_true(h->vmotion_gbps == 25);
	assert_memory_equal(&h->hardware, &s->hardware, sizeof(s->hardware));
	assert_int_equal(h->pos.line, 5);
	assert_int_equal(h->pos.col, 13);

	const struct scenario_vm *vm = &cl->vms[0];
	assert_string_equal(vm->name, "v-%d");
	assert_int_equal(vm->count, 3);
	assert_int_equal(vm->vcpus, 2);
	assert_true(vm->memory_gb == 4);
	assert_true(vm->dirty_mb_per_s == 100);
	assert_int_equal(vm->power, SCENARIO_POWER_ON);
	assert_false(vm->ft);
	assert_false(vm->directpath);
	assert_false(vm->vsphere_pod);
	assert_false(vm->shared_disk);
	assert_null(vm->host);
	assert_int_equal(vm->pin_entry, -1);

	assert_string_equal(s->patch.name, "p");
	assert_true(s->patch.live_patchable);
	assert_int_equal(s->patch.components, SCENARIO_COMPONENT_VMX);
	assert_true(s->patch.reservation_temporary_gb == 0);
	assert_true(s->patch.reservation_permanent_gb == 0);

	const struct scenario_hardware *hw = &s->hardware;
	assert_lognormal(&hw->enter_partial_mm, 10, 30);
	assert_lognormal(&hw->mount_revision, 30, 60);
	assert_lognormal(&hw->patch_revision, 60, 120);
	assert_constant(&hw->rollback, 30);
	assert_true(hw->fsr_stun.base == 0.1);
	assert_true(hw->fsr_stun.per_gb == 0.002);
	assert_true(hw->fsr_stun.per_vcpu == 0.005);
	assert_true(hw->fsr_stun.sigma == 0.3);
	assert_int_equal(hw->fsr_concurrency, 4);
	assert_constant(&hw->exit_partial_mm, 10);
	assert_constant(&hw->enter_mm, 30);
	assert_lognormal(&hw->install, 300, 480);
	assert_int_equal(hw->post.kind, DIST_UNIFORM);
	assert_true(hw->post.a == 180 && hw->post.b == 480);
	assert_lognormal(&hw->boot, 240, 420);
	assert_lognormal(&hw->quick_boot, 120, 180);
	assert_constant(&hw->exit_mm, 30);
	assert_constant(&hw->vm_shutdown, 30);
	assert_lognormal(&hw->vm_boot, 60, 180);
	assert_true(hw->vmotion.efficiency == 0.9);
	assert_int_equal(hw->vmotion.max_concurrent, 0); /* by NIC speed */
	assert_true(hw->vmotion.sdps);
	assert_true(hw->vmotion.sdps_dirty_fraction == 0.5);
	assert_true(hw->vmotion.switchover_target == 0.5);
	assert_true(hw->vmotion.switchover_overhead == 0.2);
	assert_int_equal(hw->vmotion.max_rounds, 30);

	assert_true(s->faults.patch_failure_prob == 0);
	assert_true(s->faults.fsr_failure_prob == 0);
	assert_true(s->faults.vmotion_failure_prob == 0);
	assert_true(s->faults.host_crash_prob == 0);
	assert_constant(&s->faults.ha_restart, 120);

	assert_int_equal(s->naxes, 0);
	assert_int_equal(s->total_clusters, 1);
	assert_int_equal(s->total_hosts, 2);
	assert_int_equal(s->total_vms, 3);
	scenario_free(s);
}

static void test_host_version_defaults_to_the_vcenters(void **state)
{
	(void)state;
	struct scenario *s =
	    load_ok("lpsim: 1\nname: t\nvcenter: {version: 9.1}\n"
	            "clusters:\n"
	            "  - name: c\n"
	            "    hosts: [{name: a, cores: 8, memory_gb: 64},\n"
	            "            {name: b, cores: 8, memory_gb: 64, version: 8.0.2}]\n"
	            "    vms: []\n"
	            "patch: {name: p}\n");
	assert_int_equal(s->vcenter_version, SCENARIO_VERSION(9, 1, 0));
	assert_int_equal(s->clusters[0].hosts[0].version, SCENARIO_VERSION(9, 1, 0));
	assert_int_equal(s->clusters[0].hosts[1].version, SCENARIO_VERSION(8, 0, 2));
	assert_int_equal(s->clusters[0].nvms, 0);
	scenario_free(s);
}

static void test_every_key_of_the_format_is_read(void **state)
{
	(void)state;
	struct scenario *s = load_ok(
	    "lpsim: 1\n"
	    "name: all-keys\n"
	    "description: every key\n"
	    "seed: 18446744073709551615\n"
	    "replications: 30\n"
	    "strategies: [classic]\n"
	    "horizon: 2d\n"
	    "vcenter:\n"
	    "  version: 9.1\n"
	    "  live_patch_mode: auto\n"
	    "  remediation:\n"
	    "    parallel: {enabled: true, max_hosts: auto}\n"
	    "    pre_remediation_power_action: suspend_to_memory\n"
	    "    failure_action: {retry_count: 0, retry_delay: 90s}\n"
	    "    quick_boot: true\n"
	    "    evacuate_offline_vms: true\n"
	    "    disable_hac: false\n"
	    "    manual_remediation: {policy: power_cycle, start: after_host, delay: 1h}\n"
	    "clusters:\n"
	    "  - name: cl-%03d\n"
	    "    count: 5\n"
	    "    drs: {enabled: false, automation: partially_automated}\n"
	    "    ha: {enabled: false, admission_control_pct: 25}\n"
	    "    vsan: true\n"
	    "    cpu_overcommit: 2.5\n"
	    "    hosts:\n"
	    "      - {name: esx-%02d, count: 16, version: 8.0.3, cores: 64, memory_gb: 1024,\n"
	    "         tpm: true, dpu: true, vmotion_gbps: 100}\n"
	    "    vms:\n"
	    "      - {name: sql-%02d, count: 2, vcpus: 16, memory_gb: 128, dirty_mb_per_s: 600,\n"
	    "         power: suspended, ft: true, directpath: true, vsphere_pod: true,\n"
	    "         shared_disk: true, host: esx-16}\n"
	    "    rules:\n"
	    "      - {type: vm_anti_affinity, vms: [sql-01, sql-02]}\n"
	    "patch:\n"
	    "  name: ESXi-9.1\n"
	    "  live_patchable: false\n"
	    "  components: [vmkernel, daemons]\n"
	    "  memory_reservation_gb: {temporary: 2, permanent: 0.5}\n"
	    "faults:\n"
	    "  patch_failure_prob: 0.01\n"
	    "  fsr_failure_prob: 0.0005\n"
	    "  vmotion_failure_prob: 1\n"
	    "  host_crash_prob: 0.5\n"
	    "  ha_restart: {dist: exponential, mean: 2m}\n"
	    "sweep:\n"
	    "  - {path: vcenter.remediation.parallel.max_hosts, values: [1, 2, auto]}\n");
	assert_string_equal(s->description, "every key");
	assert_true(s->seed == UINT64_MAX);
	assert_int_equal(s->replications, 30);
	assert_int_equal(s->nstrategies, 1);
	assert_int_equal(s->strategies[0], SCENARIO_STRATEGY_CLASSIC);
	assert_true(s->horizon == 2 * 86400.0);
	assert_int_equal(s->live_patch_mode, SCENARIO_MODE_AUTO);
	const struct scenario_remediation *r = &s->remediation;
	assert_true(r->parallel_enabled);
	assert_int_equal(r->max_hosts, SCENARIO_MAX_HOSTS_AUTO);
	assert_int_equal(r->power_action, SCENARIO_POWER_ACTION_SUSPEND_TO_MEMORY);
	assert_int_equal(r->retry_count, 0);
	assert_true(r->retry_delay == 90);
	assert_true(r->quick_boot);
	assert_true(r->evacuate_offline_vms);
	assert_false(r->disable_hac);
	assert_int_equal(r->manual_policy, SCENARIO_MANUAL_POWER_CYCLE);
	assert_int_equal(r->manual_start, SCENARIO_MANUAL_AFTER_HOST);
	assert_true(r->manual_delay == 3600);
	const struct scenario_cluster *cl = &s->clusters[0];
	assert_int_equal(cl->count, 5);
	assert_false(cl->drs_enabled);
	assert_int_equal(cl->drs_automation, SCENARIO_DRS_PARTIALLY_AUTOMATED);
	assert_false(cl->ha_enabled);
	assert_true(cl->ha_admission_control_pct == 25);
	assert_true(cl->vsan);
	assert_true(cl->cpu_overcommit == 2.5);
	assert_int_equal(cl->live_patch_mode, SCENARIO_MODE_AUTO);
	const struct scenario_host *h = &cl->hosts[0];
	assert_true(h->tpm && h->dpu);
	assert_true(h->vmotion_gbps == 100);
	const struct scenario_vm *vm = &cl->vms[0];
	assert_true(vm->dirty_mb_per_s == 600);
	assert_int_equal(vm->power, SCENARIO_POWER_SUSPENDED);
	assert_true(vm->ft && vm->directpath && vm->vsphere_pod && vm->shared_disk);
	assert_string_equal(vm->host, "esx-16");
	assert_int_equal(vm->pin_entry, 0);
	assert_int_equal(vm->pin_number, 16);
	assert_int_equal(cl->nrules, 1);
	assert_int_equal(cl->rules[0].type, SCENARIO_RULE_VM_ANTI_AFFINITY);
	assert_int_equal(cl->rules[0].nvms, 2);
	assert_int_equal(cl->rules[0].vms[1].entry, 0);
	assert_int_equal(cl->rules[0].vms[1].number, 2);
	assert_false(s->patch.live_patchable);
	assert_int_equal(s->patch.components,
	                 SCENARIO_COMPONENT_VMKERNEL | SCENARIO_COMPONENT_DAEMONS);
	assert_true(s->patch.reservation_temporary_gb == 2);
	assert_true(s->patch.reservation_permanent_gb == 0.5);
	assert_true(s->faults.patch_failure_prob == 0.01);
	assert_true(s->faults.vmotion_failure_prob == 1);
	assert_int_equal(s->faults.ha_restart.kind, DIST_EXPONENTIAL);
	assert_true(s->faults.ha_restart.a == 120);
	assert_int_equal(s->naxes, 1);
	assert_string_equal(s->sweep[0].path, "vcenter.remediation.parallel.max_hosts");
	assert_int_equal(s->sweep[0].nvalues, 3);
	assert_string_equal(s->sweep[0].values[2], "auto");
	assert_int_equal(s->total_clusters, 5);
	assert_int_equal(s->total_hosts, 80);
	assert_int_equal(s->total_vms, 10);
	scenario_free(s);
}

/* ---- distributions --------------------------------------------------------------------- */

static void test_every_distribution_form_loads(void **state)
{
	(void)state;
	struct scenario *s =
	    load_extra("hardware:\n"
	               "  enter_partial_mm: 250ms\n"
	               "  mount_revision: {dist: constant, value: 5s, offset: 1s}\n"
	               "  patch_revision: {dist: uniform, min: 1m, max: 2m}\n"
	               "  rollback: {dist: exponential, mean: 30s}\n"
	               "  exit_partial_mm: {dist: normal, mean: 10s, sd: 2s}\n"
	               "  enter_mm: {dist: lognormal, median: 10s, p95: 30s}\n"
	               "  install: {dist: lognormal, mu: 5.5, sigma: 0.25}\n"
	               "  post: {dist: gamma, mean: 4m, cv: 0.5}\n"
	               "  boot: {dist: gamma, shape: 4, scale: 1m}\n"
	               "  quick_boot: {dist: weibull, shape: 1.5, scale: 2m}\n"
	               "  exit_mm: {dist: empirical, samples: [10s, 20s, 1m]}\n"
	               "  vm_shutdown: 45\n");
	const struct scenario_hardware *hw = &s->hardware;
	assert_constant(&hw->enter_partial_mm, 0.25);
	assert_int_equal(hw->mount_revision.kind, DIST_CONSTANT);
	assert_true(hw->mount_revision.a == 5 && hw->mount_revision.offset == 1);
	assert_int_equal(hw->patch_revision.kind, DIST_UNIFORM);
	assert_true(hw->patch_revision.a == 60 && hw->patch_revision.b == 120);
	assert_int_equal(hw->rollback.kind, DIST_EXPONENTIAL);
	assert_true(hw->rollback.a == 30);
	assert_int_equal(hw->exit_partial_mm.kind, DIST_NORMAL);
	assert_true(hw->exit_partial_mm.a == 10 && hw->exit_partial_mm.b == 2);
	assert_lognormal(&hw->enter_mm, 10, 30);
	assert_int_equal(hw->install.kind, DIST_LOGNORMAL);
	assert_true(hw->install.a == 5.5 && hw->install.b == 0.25);
	assert_int_equal(hw->post.kind, DIST_GAMMA);
	assert_true(fabs(hw->post.a - 4) < 1e-12 && fabs(hw->post.b - 60) < 1e-12);
	assert_int_equal(hw->boot.kind, DIST_GAMMA);
	assert_true(hw->boot.a == 4 && hw->boot.b == 60);
	assert_int_equal(hw->quick_boot.kind, DIST_WEIBULL);
	assert_true(hw->quick_boot.a == 1.5 && hw->quick_boot.b == 120);
	assert_int_equal(hw->exit_mm.kind, DIST_EMPIRICAL);
	assert_int_equal(hw->exit_mm.nsamples, 3);
	assert_true(hw->exit_mm.samples[2] == 60);
	assert_constant(&hw->vm_shutdown, 45);
	/* The host entry sees the same (no overrides). */
	assert_true(s->clusters[0].hosts[0].hardware.exit_mm.samples == hw->exit_mm.samples);
	scenario_free(s);
}

static void test_distribution_parameter_checks(void **state)
{
	(void)state;
	expect_extra_errors(
	    "hardware:\n"
	    "  enter_partial_mm: {dist: lognormal, median: 30s, p95: 10s}\n"
	    "  mount_revision: {dist: lognormal, median: 0s, p95: 10s}\n"
	    "  patch_revision: {dist: uniform, min: 2m, max: 1m}\n"
	    "  rollback: {dist: exponential, mean: 0}\n"
	    "  exit_partial_mm: {dist: normal, mean: 10s, sd: -2s}\n"
	    "  enter_mm: {dist: empirical, samples: []}\n"
	    "  install: {dist: gamma, mean: 4m, cv: 0}\n"
	    "  post: {dist: weibull, shape: 1, scale: 0}\n"
	    "  boot: {dist: lognormal, mu: 5, sigma: 0}\n"
	    "  quick_boot: {dist: constant, value: 1s, offset: -1s}\n"
	    "  exit_mm: {dist: poisson, mean: 3}\n"
	    "  vm_shutdown: {dist: normal, mean: 1s}\n"
	    "  vm_boot: {value: 3s}\n",
	    "t.yaml:9:57: error: 'p95' must be > 'median' (got p95 10s, median 30s)\n"
	    "t.yaml:10:45: error: 'median' must be > 0 (got 0s)\n"
	    "t.yaml:11:40: error: 'min' must be <= 'max' (got min 2m, max 1m)\n"
	    "t.yaml:12:39: error: 'mean' must be > 0 (got 0)\n"
	    "t.yaml:13:50: error: 'sd' must not be negative (got -2s)\n"
	    "t.yaml:14:40: error: 'samples' must be a non-empty sequence of durations (got an "
	    "empty sequence)\n"
	    "t.yaml:15:40: error: 'cv' must be > 0 (got 0)\n"
	    "t.yaml:16:42: error: 'scale' must be > 0 (got 0)\n"
	    "t.yaml:17:41: error: 'sigma' must be > 0 (got 0)\n"
	    "t.yaml:18:51: error: 'offset' must not be negative (got -1s)\n"
	    "t.yaml:19:19: error: 'dist' must be one of constant, uniform, exponential, normal, "
	    "lognormal, gamma, weibull or empirical (got poisson)\n"
	    "t.yaml:20:16: error: missing required key 'sd' in normal distribution\n"
	    "t.yaml:21:12: error: missing required key 'dist' in 'vm_boot' (one of constant, "
	    "uniform, exponential, normal, lognormal, gamma, weibull or empirical)\n");
}

static void test_distribution_forms_cannot_mix(void **state)
{
	(void)state;
	expect_extra_errors(
	    "hardware:\n"
	    "  boot: {dist: lognormal, median: 4m, sigma: 0.3}\n"
	    "  install: {dist: lognormal, median: 4m, p95: 5m, mu: 1, sigma: 0.3}\n"
	    "  post: {dist: lognormal, median: 4m}\n"
	    "  quick_boot: {dist: gamma, mean: 4m, shape: 2}\n"
	    "  vm_boot: {dist: gamma}\n"
	    "  exit_mm: {dist: uniform, min: 1s, max: 2s, mean: 1s}\n",
	    "t.yaml:9:9: error: a lognormal distribution takes median and p95, or mu and sigma, "
	    "not a mix\n"
	    "t.yaml:10:12: error: a lognormal distribution takes median and p95, or mu and sigma, "
	    "not a mix\n"
	    "t.yaml:11:9: error: missing required key 'p95' in lognormal distribution (it goes "
	    "with 'median')\n"
	    "t.yaml:12:15: error: a gamma distribution takes mean and cv, or shape and scale, not "
	    "a mix\n"
	    "t.yaml:13:12: error: a gamma distribution needs mean and cv, or shape and scale\n"
	    "t.yaml:14:46: error: unknown key 'mean' in uniform distribution (expected dist, min, "
	    "max, offset)\n");
}

static void test_fsr_stun_and_vmotion_checks(void **state)
{
	(void)state;
	expect_extra_errors("hardware:\n"
	                    "  fsr:\n"
	                    "    stun: {base: -1ms, per_gb: 2ms, per_vcpu: 5ms, sigma: -0.1}\n"
	                    "    concurrency: 0\n"
	                    "  vmotion: {efficiency: 0, max_concurrent: 0, switchover_target: x,\n"
	                    "            switchover_overhead: 1s, max_rounds: 0}\n",
	                    "t.yaml:10:18: error: 'base' must not be negative (got -1ms)\n"
	                    "t.yaml:10:59: error: 'sigma' must be >= 0 (got -0.1)\n"
	                    "t.yaml:11:18: error: 'concurrency' must be >= 1 (got 0)\n"
	                    "t.yaml:12:25: error: 'efficiency' must be > 0 (got 0)\n"
	                    "t.yaml:12:44: error: 'max_concurrent' must be >= 1 (got 0)\n"
	                    "t.yaml:12:66: error: 'switchover_target' must be a duration such as "
	                    "30s, 5m or 2h (got x: expected a number)\n"
	                    "t.yaml:13:50: error: 'max_rounds' must be >= 1 (got 0)\n");
}

/* ---- overrides ---------------------------------------------------------------------------- */

static void test_cluster_overrides_merge_key_by_key(void **state)
{
	(void)state;
	struct scenario *s = load_ok("lpsim: 1\nname: t\n"
	                             "vcenter:\n"
	                             "  live_patch_mode: enforce\n"
	                             "  remediation:\n"
	                             "    parallel: {enabled: true, max_hosts: 2}\n"
	                             "    failure_action: {retry_count: 5, retry_delay: 1m}\n"
	                             "    manual_remediation: {policy: auto, delay: 10m}\n"
	                             "clusters:\n"
	                             "  - name: a\n"
	                             "    live_patch_mode: disable\n"
	                             "    remediation:\n"
	                             "      parallel: {max_hosts: 8}\n"
	                             "      failure_action: {retry_delay: 2m}\n"
	                             "      manual_remediation: {start: after_host}\n"
	                             "      quick_boot: true\n"
	                             "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	                             "    vms: []\n"
	                             "  - name: b\n"
	                             "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	                             "    vms: []\n"
	                             "patch: {name: p}\n");
	const struct scenario_cluster *a = &s->clusters[0];
	const struct scenario_cluster *b = &s->clusters[1];
	assert_int_equal(a->live_patch_mode, SCENARIO_MODE_DISABLE);
	assert_true(a->remediation.parallel_enabled);
	assert_int_equal(a->remediation.max_hosts, 8);
	assert_int_equal(a->remediation.retry_count, 5);
	assert_true(a->remediation.retry_delay == 120);
	assert_int_equal(a->remediation.manual_policy, SCENARIO_MANUAL_AUTO);
	assert_int_equal(a->remediation.manual_start, SCENARIO_MANUAL_AFTER_HOST);
	assert_true(a->remediation.manual_delay == 600);
	assert_true(a->remediation.quick_boot);
	assert_int_equal(b->live_patch_mode, SCENARIO_MODE_ENFORCE);
	assert_memory_equal(&b->remediation, &s->remediation, sizeof(s->remediation));
	assert_int_equal(s->remediation.max_hosts, 2);
	assert_false(s->remediation.quick_boot);
	scenario_free(s);
}

static void test_host_hardware_overrides_merge_key_by_key(void **state)
{
	(void)state;
	struct scenario *s = load_ok("lpsim: 1\nname: t\n"
	                             "hardware:\n"
	                             "  boot: 5m\n"
	                             "  fsr: {concurrency: 2}\n"
	                             "clusters:\n"
	                             "  - name: a\n"
	                             "    hosts:\n"
	                             "      - name: slow\n"
	                             "        cores: 8\n"
	                             "        memory_gb: 64\n"
	                             "        hardware:\n"
	                             "          post: {dist: uniform, min: 10m, max: 20m}\n"
	                             "          fsr: {stun: {sigma: 0.5}}\n"
	                             "          vmotion: {max_concurrent: 2}\n"
	                             "      - {name: fast, cores: 8, memory_gb: 64}\n"
	                             "    vms: []\n"
	                             "patch: {name: p}\n");
	const struct scenario_hardware *slow = &s->clusters[0].hosts[0].hardware;
	const struct scenario_hardware *fast = &s->clusters[0].hosts[1].hardware;
	assert_constant(&slow->boot, 300);
	assert_int_equal(slow->post.kind, DIST_UNIFORM);
	assert_true(slow->post.a == 600);
	assert_int_equal(slow->fsr_concurrency, 2);
	assert_true(slow->fsr_stun.sigma == 0.5);
	assert_true(slow->fsr_stun.base == 0.1);
	assert_int_equal(slow->vmotion.max_concurrent, 2);
	assert_true(slow->vmotion.efficiency == 0.9);
	assert_lognormal(&slow->install, 300, 480);
	assert_memory_equal(fast, &s->hardware, sizeof(*fast));
	assert_int_equal(s->hardware.post.kind, DIST_UNIFORM);
	assert_true(s->hardware.post.a == 180);
	scenario_free(s);
}

static void test_suspend_to_memory_needs_quick_boot(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 1\nname: t\n"
	    "vcenter:\n"
	    "  remediation: {pre_remediation_power_action: suspend_to_memory, quick_boot: true}\n"
	    "clusters:\n"
	    "  - name: a\n"
	    "    remediation: {quick_boot: false}\n"
	    "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	    "    vms: []\n"
	    "patch: {name: p}\n",
	    "t.yaml:7:31: error: 'pre_remediation_power_action: suspend_to_memory' needs "
	    "'quick_boot: true'\n");
}

/* ---- names, duplicates, references ------------------------------------------------------- */

static void test_cluster_count_repeats_names_and_multiplies_totals(void **state)
{
	(void)state;
	struct scenario *s =
	    load_ok("lpsim: 1\nname: t\n"
	            "clusters:\n"
	            "  - name: cl-%04d\n"
	            "    count: 1000\n"
	            "    hosts: [{name: esx-%02d, count: 100, cores: 8, memory_gb: 64}]\n"
	            "    vms: [{name: v-%d, count: 2000, vcpus: 1, memory_gb: 1},\n"
	            "          {name: w, vcpus: 1, memory_gb: 1}]\n"
	            "  - {name: other, hosts: [{name: h, cores: 1, memory_gb: 1}], vms: []}\n"
	            "patch: {name: p}\n");
	assert_int_equal(s->total_clusters, 1001);
	assert_int_equal(s->total_hosts, 100001);
	assert_int_equal(s->total_vms, 2001000);
	scenario_free(s);
}

static void test_duplicate_names_are_found_across_entries(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 1\nname: t\n"
	    "clusters:\n"
	    "  - name: cl-%d\n"
	    "    count: 3\n"
	    "    hosts:\n"
	    "      - {name: esx-%02d, count: 16, cores: 8, memory_gb: 64}\n"
	    "      - {name: esx-07, cores: 8, memory_gb: 64}\n"
	    "    vms:\n"
	    "      - {name: web-%d, count: 20, vcpus: 1, memory_gb: 1}\n"
	    "      - {name: web-1%d, count: 3, vcpus: 1, memory_gb: 1}\n"
	    "      - {name: esx-07, vcpus: 1, memory_gb: 1}\n"
	    "  - {name: cl-2, hosts: [{name: h, cores: 1, memory_gb: 1}], vms: []}\n"
	    "patch: {name: p}\n",
	    "t.yaml:8:9: error: duplicate host name 'esx-07' in cluster 'cl-%d' (also made by "
	    "'esx-%02d' at 7:9)\n"
	    "t.yaml:11:9: error: duplicate VM name 'web-11' in cluster 'cl-%d' (also made by "
	    "'web-%d' at 10:9)\n"
	    "t.yaml:13:5: error: duplicate cluster name 'cl-2' (also made by 'cl-%d' at 4:5)\n");
}

static void test_name_without_conversion_and_count_is_an_error(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: t\n"
	              "clusters:\n"
	              "  - name: prod\n"
	              "    count: 2\n"
	              "    hosts: [{name: esx, count: 4, cores: 8, memory_gb: 64}]\n"
	              "    vms: [{name: 'a/b', vcpus: 1, memory_gb: 1}, {name: 'x%s', vcpus: 1, "
	              "memory_gb: 1}]\n"
	              "patch: {name: p}\n",
	              "t.yaml:4:11: error: name 'prod' has no number conversion such as %02d, so "
	              "its 2 clusters would share one name\n"
	              "t.yaml:6:20: error: name 'esx' has no number conversion such as %02d, so "
	              "its 4 hosts would share one name\n"
	              "t.yaml:7:18: error: VM name 'a/b' must not contain '/' (nor control "
	              "characters, '/', ',', '\"', '[' or ']')\n"
	              "t.yaml:7:57: error: bad name pattern 'x%s': '%s' is not an integer "
	              "conversion (use %d, %03d, ...; %% for a percent sign)\n");
}

static void test_pins_and_rules_must_name_existing_entities(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: t\n"
	              "clusters:\n"
	              "  - name: c\n"
	              "    hosts: [{name: esx-%02d, count: 4, cores: 8, memory_gb: 64}]\n"
	              "    vms:\n"
	              "      - {name: sql-%02d, count: 2, vcpus: 1, memory_gb: 1, host: esx-05}\n"
	              "      - {name: web, vcpus: 1, memory_gb: 1, host: esx-4}\n"
	              "    rules:\n"
	              "      - {type: vm_anti_affinity, vms: [sql-01, sql-03, web]}\n"
	              "      - {type: vm_affinity, vms: [web]}\n"
	              "      - {type: vm_afinity, vms: [web, web]}\n"
	              "patch: {name: p}\n",
	              "t.yaml:7:66: error: unknown host 'esx-05' in cluster 'c' (its hosts: "
	              "esx-%02d for 1..4)\n"
	              "t.yaml:8:51: error: unknown host 'esx-4' in cluster 'c' (its hosts: "
	              "esx-%02d for 1..4)\n"
	              "t.yaml:10:48: error: unknown VM 'sql-03' in cluster 'c'\n"
	              "t.yaml:11:34: error: 'vms' must be a sequence of at least two VM names (got "
	              "a sequence with 1 item)\n"
	              "t.yaml:12:16: error: 'type' must be one of vm_affinity or vm_anti_affinity "
	              "(got vm_afinity; did you mean 'vm_affinity'?)\n"
	              "t.yaml:12:39: error: VM 'web' is named twice in this rule\n");
}

static void test_pins_resolve_to_entry_and_number(void **state)
{
	(void)state;
	struct scenario *s = load_ok("lpsim: 1\nname: t\n"
	                             "clusters:\n"
	                             "  - name: c\n"
	                             "    hosts:\n"
	                             "      - {name: a-%d, count: 3, cores: 8, memory_gb: 64}\n"
	                             "      - {name: b-%03d, count: 30, cores: 8, memory_gb: 64}\n"
	                             "      - {name: single, cores: 8, memory_gb: 64}\n"
	                             "    vms:\n"
	                             "      - {name: x, vcpus: 1, memory_gb: 1, host: b-017}\n"
	                             "      - {name: y, vcpus: 1, memory_gb: 1, host: a-2}\n"
	                             "      - {name: z, vcpus: 1, memory_gb: 1, host: single}\n"
	                             "patch: {name: p}\n");
	const struct scenario_cluster *c = &s->clusters[0];
	assert_int_equal(c->vms[0].pin_entry, 1);
	assert_int_equal(c->vms[0].pin_number, 17);
	assert_int_equal(c->vms[0].host_pos.line, 10);
	assert_int_equal(c->vms[0].host_pos.col, 49);
	assert_int_equal(c->vms[1].pin_entry, 0);
	assert_int_equal(c->vms[1].pin_number, 2);
	assert_int_equal(c->vms[2].pin_entry, 2);
	assert_int_equal(c->vms[2].pin_number, 1);
	scenario_free(s);
}

/* ---- limits ---------------------------------------------------------------------------------- */

static void test_counts_past_the_limits_are_refused_with_the_total(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: t\n"
	              "clusters:\n"
	              "  - name: c-%d\n"
	              "    count: 125000\n"
	              "    hosts: [{name: h-%d, count: 8, cores: 8, memory_gb: 64}]\n"
	              "    vms: [{name: v-%d, count: 20000, vcpus: 1, memory_gb: 1}]\n"
	              "patch: {name: p}\n",
	              "t.yaml:4:3: error: the scenario expands to 2500000000 VMs, more than the "
	              "limit of 20000000\n");
	expect_errors("lpsim: 1\nname: t\n"
	              "clusters:\n"
	              "  - name: c-%d\n"
	              "    count: 1000001\n"
	              "    hosts: [{name: h-%d, count: 1000001, cores: 8, memory_gb: 64}]\n"
	              "    vms: [{name: v-%d, count: 20000001, vcpus: 1, memory_gb: 1}]\n"
	              "patch: {name: p}\n",
	              "t.yaml:5:12: error: 'count' must be <= 1000000 (got 1000001)\n"
	              "t.yaml:6:33: error: 'count' must be <= 1000000 (got 1000001)\n"
	              "t.yaml:7:31: error: 'count' must be <= 20000000 (got 20000001)\n");
}

static void test_totals_are_exact_far_past_the_limits(void **state)
{
	(void)state;
	/* 200 entries x 1e6 clusters x 1e6 hosts x 2e7 VMs: 4e15, no overflow anywhere. */
	size_t cap = 200 * 200 + 1000;
	char *yaml = malloc(cap);
	assert_non_null(yaml);
	size_t o = (size_t)snprintf(yaml, cap, "lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n");
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(yaml + o, cap - o,
		                      "  - {name: c%d-%%d, count: 1000000, hosts: [{name: h-%%d, "
		                      "count: 1000000, cores: 1, memory_gb: 1}], vms: [{name: "
		                      "v-%%d, count: 20000000, vcpus: 1, memory_gb: 1}]}\n",
		                      i);
	char *got = load_errors(yaml);
	assert_string_equal(got, "t.yaml:5:3: error: the scenario expands to 200000000 clusters, "
	                         "more than the limit of 1000000\n"
	                         "t.yaml:5:3: error: the scenario expands to 200000000000000 "
	                         "hosts, more than the limit of 1000000\n"
	                         "t.yaml:5:3: error: the scenario expands to 4000000000000000 VMs, "
	                         "more than the limit of 20000000\n");
	free(got);
	free(yaml);
}

/* ---- errors: positions, did-you-mean, all of them ------------------------------------------------ */

static void test_unknown_keys_get_a_did_you_mean(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 1\nname: t\n"
	    "vcenters: {}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    hosts: [{name: h, cores: 8, memroy_gb: 64, Memory_GB: 1}]\n"
	    "    vms: [{name: v, vcpu: 2, memory_gb: 4, frobnicate: 1}]\n"
	    "patch: {name: p, componets: [vmx]}\n",
	    "t.yaml:3:1: error: unknown key 'vcenters' in the scenario (did you mean 'vcenter'?)\n"
	    "t.yaml:6:13: error: missing required key 'memory_gb' in host\n"
	    "t.yaml:6:33: error: unknown key 'memroy_gb' in host (did you mean 'memory_gb'?)\n"
	    "t.yaml:6:48: error: unknown key 'Memory_GB' in host (did you mean 'memory_gb'?)\n"
	    "t.yaml:7:11: error: missing required key 'vcpus' in vm\n"
	    "t.yaml:7:21: error: unknown key 'vcpu' in vm (did you mean 'vcpus'?)\n"
	    "t.yaml:7:44: error: unknown key 'frobnicate' in vm\n"
	    "t.yaml:8:18: error: unknown key 'componets' in patch (did you mean 'components'?)\n");
}

static void test_errors_teach_the_mapping_the_place_and_the_synonym(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 1\nname: t\n"
	    "vcenter: {remediation: {parallel: true, max_hosts: 4}}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	    "    vms: [{name: v, cpus: 2, memory: 4, vcpus: 2, memory_gb: 4}]\n"
	    "patch: {name: p}\n",
	    "t.yaml:3:35: error: 'parallel' must be a mapping (got true), e.g. parallel: "
	    "{enabled: true, max_hosts: 4}\n"
	    "t.yaml:3:41: error: unknown key 'max_hosts' in remediation (it belongs at "
	    "remediation.parallel.max_hosts)\n"
	    "t.yaml:7:21: error: unknown key 'cpus' in vm (did you mean 'vcpus'?)\n"
	    "t.yaml:7:30: error: unknown key 'memory' in vm (did you mean 'memory_gb'?)\n");
}

static void test_type_errors_say_what_was_expected_and_found(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 1\nname: t\n"
	    "seed: abc\n"
	    "replications: 1.5\n"
	    "strategies: live_patch\n"
	    "horizon: {a: 1}\n"
	    "clusters:\n"
	    "  - name: c\n"
	    "    vsan: yes\n"
	    "    drs: true\n"
	    "    hosts: [{name: h, cores: \"8\", memory_gb: lots}]\n"
	    "    vms: [{name: v, vcpus: 2, memory_gb: 4, power: true}, {name: w, vcpus: 2, "
	    "memory_gb: 4, power: of}]\n"
	    "patch: {name: p}\n"
	    "faults: {patch_failure_prob: 2}\n",
	    "t.yaml:3:7: error: 'seed' must be an integer 0..18446744073709551615 (got abc)\n"
	    "t.yaml:4:15: error: 'replications' must be an integer (got 1.5)\n"
	    "t.yaml:5:13: error: 'strategies' must be a non-empty sequence of live_patch and "
	    "classic (got live_patch)\n"
	    "t.yaml:6:10: error: 'horizon' must be a duration such as 30s, 5m or 2h (got a mapping "
	    "with 1 key)\n"
	    "t.yaml:9:11: error: 'vsan' must be true or false (got yes)\n"
	    "t.yaml:10:10: error: 'drs' must be a mapping (got true), e.g. drs: {enabled: true, automation: fully_automated}\n"
	    "t.yaml:11:30: error: 'cores' must be an integer (got \"8\")\n"
	    "t.yaml:11:46: error: 'memory_gb' must be a number (got lots)\n"
	    "t.yaml:12:52: error: 'power' must be one of on, off or suspended, not a boolean (got "
	    "true)\n"
	    "t.yaml:12:100: error: 'power' must be one of on, off or suspended (got of; did you "
	    "mean 'off'?)\n"
	    "t.yaml:14:30: error: 'patch_failure_prob' must be a probability between 0 and 1 (got "
	    "2)\n");
}

static void test_format_version_must_be_1(void **state)
{
	(void)state;
	expect_errors(
	    "lpsim: 2\nname: t\nbogus: 1\n",
	    "t.yaml:1:8: error: unsupported format version 2: this lpsim reads 'lpsim: 1'\n"
	    "t.yaml:3:1: error: unknown key 'bogus' in the scenario\n");
	expect_errors(
	    "name: t\nclusters: []\npatch: {name: p}\n",
	    "t.yaml:1:1: error: missing required key 'lpsim' (the format version: 'lpsim: 1')\n"
	    "t.yaml:2:11: error: 'clusters' must be a sequence of at least one cluster (got an "
	    "empty sequence)\n");
}

static void test_every_error_is_reported_up_to_the_cap(void **state)
{
	(void)state;
	char yaml[8192] = "lpsim: 1\nname: t\npatch: {name: p}\nclusters:\n  - name: c\n"
	                  "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n    vms:\n";
	for (int i = 0; i < 60; i++) {
		char line[100];
		snprintf(line, sizeof(line), "      - {name: v%d, vcpus: 0, memory_gb: 4}\n", i);
		strcat(yaml, line);
	}
	char *got = load_errors(yaml);
	/* 50 errors, in order, then the cap line. */
	assert_non_null(strstr(got, "t.yaml:8:27: error: 'vcpus' must be >= 1 (got 0)\n"));
	assert_non_null(strstr(got,
	                       "t.yaml:57:28: error: 'vcpus' must be >= 1 (got 0)\n"
	                       "t.yaml: error: too many errors; only the first 50 are shown\n"));
	assert_null(strstr(got, "t.yaml:58:"));
	free(got);
}

static void test_errors_in_alias_copies_are_reported_once(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: t\n"
	              "x-vm: &vm {name: v, vcpus: 0, memory_gb: 4}\n"
	              "clusters:\n"
	              "  - {name: a, hosts: [{name: h, cores: 8, memory_gb: 64}], vms: [*vm]}\n"
	              "  - {name: b, hosts: [{name: h, cores: 8, memory_gb: 64}], vms: [*vm]}\n"
	              "patch: {name: p}\n",
	              "t.yaml:3:28: error: 'vcpus' must be >= 1 (got 0)\n");
}

static void test_merge_keys_make_templates(void **state)
{
	(void)state;
	struct scenario *s =
	    load_ok("lpsim: 1\nname: t\n"
	            "clusters:\n"
	            "  - name: c\n"
	            "    hosts: [{name: h, cores: 8, memory_gb: 64}]\n"
	            "    vms:\n"
	            "      - &base {name: a, vcpus: 2, memory_gb: 4, dirty_mb_per_s: 7}\n"
	            "      - {<<: *base, name: b, vcpus: 4}\n"
	            "patch: {name: p}\n");
	assert_int_equal(s->clusters[0].vms[1].vcpus, 4);
	assert_true(s->clusters[0].vms[1].dirty_mb_per_s == 7);
	assert_string_equal(s->clusters[0].vms[1].name, "b");
	scenario_free(s);
}

static void test_bad_scenario_names_and_strategies(void **state)
{
	(void)state;
	expect_errors("lpsim: 1\nname: ../etc\nstrategies: [classic, classic]\n"
	              "clusters: [{name: c, hosts: [{name: h, cores: 1, memory_gb: 1}], vms: []}]\n"
	              "patch: {name: p, components: [vmx, vmx]}\n",
	              "t.yaml:2:7: error: 'name' must be letters, digits, '.', '_' or '-', not "
	              "starting with '.' (it names the output directory) (got ../etc)\n"
	              "t.yaml:3:23: error: strategy 'classic' is listed twice\n"
	              "t.yaml:5:36: error: component 'vmx' is listed twice\n");
}

/* ---- sweeps -------------------------------------------------------------------------------------- */

static void test_sweep_axes_are_read_and_counted(void **state)
{
	(void)state;
	struct scenario *s = load_extra(
	    "sweep:\n"
	    "  - {path: vcenter.remediation.parallel.max_hosts, values: [1, 2, 4, 8, 16]}\n"
	    "  - {path: \"clusters[0].vms[v-%d].count\", values: [200, 400, 800]}\n"
	    "  - {path: \"clusters[c].hosts[0].hardware.boot\", values: [1m, \"2m\"]}\n"
	    "  - {path: hardware.post.max, values: [10m, 20m]}\n"
	    "hardware:\n"
	    "  post: {dist: uniform, min: 3m, max: 8m}\n");
	assert_int_equal(s->naxes, 4);
	assert_int_equal(s->sweep[0].nvalues, 5);
	assert_string_equal(s->sweep[1].path, "clusters[0].vms[v-%d].count");
	assert_string_equal(s->sweep[1].values[2], "800");
	assert_int_equal(s->sweep[1].value_pos[2].line, 10);
	assert_true(s->sweep[2].quoted[1]);
	scenario_free(s);
}

static void test_sweep_paths_are_checked_against_the_format(void **state)
{
	(void)state;
	expect_extra_errors(
	    "sweep:\n"
	    "  - {path: vcenter.remediaton.parallel.max_hosts, values: [1]}\n"
	    "  - {path: clusters.name, values: [x]}\n"
	    "  - {path: vcenter.remediation, values: [x]}\n"
	    "  - {path: \"seed[0]\", values: [x]}\n"
	    "  - {path: \"a..b\", values: [x]}\n"
	    "  - {path: seed, values: [1, 1]}\n"
	    "  - {path: sweep, values: [1]}\n"
	    "  - {path: horizon, values: [1]}\n"
	    "  - {path: horizon, values: [2]}\n",
	    "t.yaml:9:12: error: sweep path 'vcenter.remediaton.parallel.max_hosts': unknown key "
	    "'remediaton' in vcenter (did you mean 'remediation'?)\n"
	    "t.yaml:10:12: error: sweep path 'clusters.name': 'clusters' is a list: select an "
	    "item, as 'clusters[0]' or 'clusters[NAME]'\n"
	    "t.yaml:11:12: error: sweep path 'vcenter.remediation': 'remediation' is a mapping; "
	    "name one of its keys\n"
	    "t.yaml:12:12: error: sweep path 'seed[0]': 'seed' is a single value\n"
	    "t.yaml:13:12: error: bad sweep path 'a..b': expected keys joined by '.', each with an "
	    "optional [N] or [NAME]\n"
	    "t.yaml:14:30: error: sweep value '1' is listed twice\n"
	    "t.yaml:15:12: error: a sweep cannot set 'sweep'\n"
	    "t.yaml:17:12: error: sweep path 'horizon' is already an axis (at 16:12)\n");
}

static void test_sweep_values_are_checked_like_the_file(void **state)
{
	(void)state;
	expect_extra_errors(
	    "sweep:\n"
	    "  - {path: vcenter.remediation.parallel.max_hosts, values: [1, 200, auto]}\n"
	    "  - {path: \"clusters[0].vms[v-%d].count\", values: [3, 30000000]}\n"
	    "  - {path: \"clusters[0].vms[nope].count\", values: [1]}\n"
	    "  - {path: \"clusters[2].name\", values: [1]}\n"
	    "  - {path: \"clusters[0].hosts[0].name\", values: [h-%d-%d, h%02d]}\n"
	    "  - {path: hardware.install.median, values: [1m]}\n",
	    "t.yaml:9:64: error: sweep value '200' for 'vcenter.remediation.parallel.max_hosts': "
	    "'max_hosts' must be 1..96 or auto (got 200)\n"
	    "t.yaml:10:55: error: sweep value '30000000' for 'clusters[0].vms[v-%d].count': "
	    "'count' must be <= 20000000 (got 30000000)\n"
	    "t.yaml:11:12: error: path 'clusters[0].vms[nope].count': no item of 'clusters[0].vms' "
	    "has name 'nope'\n"
	    "t.yaml:12:12: error: path 'clusters[2].name': 'clusters' has 1 items, so no [2]\n"
	    "t.yaml:13:50: error: sweep value 'h-%d-%d' for 'clusters[0].hosts[0].name': bad name "
	    "pattern 'h-%d-%d': more than one conversion (a name takes one number)\n"
	    "t.yaml:14:46: error: sweep value '1m' for 'hardware.install.median': missing required "
	    "key 'dist' in 'install' (one of constant, uniform, exponential, normal, lognormal, "
	    "gamma, weibull or empirical)\n");
}

static void test_a_tree_changed_by_path_converts_with_the_new_value(void **state)
{
	(void)state;
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer(MINIMAL, strlen(MINIMAL), "t.yaml", &d, &t), 0);
	struct diag_pos at = {0, 0};
	assert_int_equal(ytree_set(t, "clusters[c].vms[v-%d].count", "40", false, at, &d), 0);
	assert_int_equal(
	    ytree_set(t, "vcenter.remediation.parallel.max_hosts", "auto", false, at, &d), 0);
	struct scenario *s = scenario_convert(t, &d);
	assert_non_null(s);
	ytree_free(t); /* the scenario owns its strings */
	assert_int_equal(s->clusters[0].vms[0].count, 40);
	assert_string_equal(s->clusters[0].vms[0].name, "v-%d");
	assert_int_equal(s->remediation.max_hosts, SCENARIO_MAX_HOSTS_AUTO);
	assert_int_equal(s->total_vms, 40);
	assert_false(diag_failed(&d));
	scenario_free(s);
	diag_fini(&d);
}

/* Found by fuzz_scenario: a tree with node errors must never convert to a scenario. */
static void test_a_tree_with_errors_never_converts(void **state)
{
	(void)state;
	const char *yaml = "lpsim: 1\nname: t\npatch: {name: p}\n"
	                   "clusters: [{name: c, hosts: [{name: !esx h, cores: 1, memory_gb: 1}], "
	                   "vms: []}]\n";
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer(yaml, strlen(yaml), "t.yaml", &d, &t), -EINVAL);
	assert_non_null(t);
	assert_true(t->broken);
	assert_string_equal(d.v[0].msg, "unsupported tag '!esx' (lpsim reads plain YAML values)");
	struct diag d2;
	diag_init(&d2, "t.yaml");
	assert_null(scenario_convert(t, &d2));
	assert_int_equal(d2.n, 1);
	assert_string_equal(d2.v[0].msg, "the YAML has errors (reported when it was read)");
	struct ytree *copy = ytree_clone(t);
	assert_true(copy->broken);
	assert_null(scenario_convert(copy, &d));
	ytree_free(copy);
	ytree_free(t);
	diag_fini(&d2);
	diag_fini(&d);
}

static void test_check_path_works_without_a_file(void **state)
{
	(void)state;
	struct diag d;
	struct diag_pos none = {0, 0};
	diag_init(&d, "--param");
	assert_true(scenario_check_path("vcenter.remediation.parallel.max_hosts", &d, none));
	assert_true(scenario_check_path("clusters[0].vms[web-%03d].count", &d, none));
	assert_true(scenario_check_path("clusters[a].hosts[1].hardware.fsr.stun.sigma", &d, none));
	assert_true(scenario_check_path("hardware.install.p95", &d, none));
	assert_true(scenario_check_path("strategies[0]", &d, none));
	assert_false(diag_failed(&d));
	assert_false(scenario_check_path("hardware.fsr.stun", &d, none));
	assert_false(scenario_check_path("clusters[0]", &d, none));
	assert_false(scenario_check_path("lpsim", &d, none));
	assert_false(scenario_check_path("sweep[0].path", &d, none));
	assert_false(scenario_check_path("vcenter.version.x", &d, none));
	assert_false(scenario_check_path("", &d, none));
	assert_false(scenario_check_path("clusters[]", &d, none));
	assert_int_equal(d.n, 7);
	assert_string_equal(d.v[4].msg,
	                    "sweep path 'vcenter.version.x': 'version' is a single value");
	diag_fini(&d);
}

static void test_every_repeated_sweep_value_is_reported_in_order(void **state)
{
	(void)state;
	expect_extra_errors("sweep:\n"
	                    "  - {path: seed, values: [3, 1, 3, 2, 1, 3]}\n",
	                    "t.yaml:9:33: error: sweep value '3' is listed twice\n"
	                    "t.yaml:9:39: error: sweep value '1' is listed twice\n"
	                    "t.yaml:9:42: error: sweep value '3' is listed twice\n");
}

/* MINIMAL with one sweep axis of n distinct seeds (malloc'd). */
static char *sweep_of(long n)
{
	size_t cap = strlen(MINIMAL) + 64 + (size_t)n * 12;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t o = (size_t)snprintf(s, cap, "%ssweep:\n  - path: seed\n    values: [", MINIMAL);
	for (long v = 1; v <= n; v++)
		o += (size_t)snprintf(s + o, cap - o, "%s%ld", v > 1 ? "," : "", v);
	snprintf(s + o, cap - o, "]\n");
	return s;
}

static void load_sweep_of(void *arg, long n)
{
	char **yaml = arg;
	char *y = yaml[n > 1000];
	struct diag d;
	struct scenario *s = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(scenario_load_buffer(y, strlen(y), "t.yaml", &d, &s), 0);
	scenario_free(s);
	diag_fini(&d);
}

static void test_sweep_values_cost_about_their_number(void **state)
{
	(void)state;
	/* 1,000 and 4,000 values: the old check (every pair, on every check copy) was cubic. */
	char *yaml[2] = {sweep_of(1000), sweep_of(4000)};
	double r = scale_ratio(load_sweep_of, yaml, 1000);
	if (r >= SCALE_LINEAR_BOUND)
		fail_msg("4x the sweep values cost %.1fx the time", r);
	free(yaml[0]);
	free(yaml[1]);
}

/*
 * A mapping of n plain keys whose FNV-1a hashes (the hash the key map once
 * used, with linear probing on the low bits) agree in their low 16 bits:
 * for that map, a quadratic number of probes. Each key is "kX" with X in
 * hex and two letters chosen to steer the hash's low bits to 0 (they
 * depend only on the low bits before each byte). malloc'd.
 */
static char *colliding_keys(long n)
{
	const uint64_t prime = 1099511628211ull, mask = 0xffff;
	uint64_t inv = prime; /* prime^-1 mod 2^64, by Newton's iteration */
	for (int i = 0; i < 6; i++)
		inv *= 2 - prime * inv;
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t cap = (size_t)n * 24 + 16, o = 0;
	char *y = malloc(cap);
	assert_non_null(y);
	o += (size_t)snprintf(y, cap, "extra:\n");
	long got = 0;
	for (uint64_t c = 0; got < n; c++) {
		char k[24];
		int len = snprintf(k, sizeof(k), "k%llx", (unsigned long long)c);
		uint64_t h = 1469598103934665603ull;
		for (int i = 0; i < len; i++)
			h = (h ^ (unsigned char)k[i]) * prime;
		/* ((h ^ c1) * p ^ c2) * p == 0 (low bits): c1 = h ^ (c2 * p^-1). */
		for (const char *c2 = alnum; *c2; c2++) {
			uint64_t c1 = (h ^ ((uint64_t)(unsigned char)*c2 * inv)) & mask;
			if (c1 < 128 && c1 && strchr(alnum, (int)c1)) {
				o += (size_t)snprintf(y + o, cap - o, "  %s%c%c: 1\n", k, (char)c1, *c2);
				got++;
				break;
			}
		}
	}
	return y;
}

static void load_tree_of(void *arg, long n)
{
	char **yaml = arg;
	char *y = yaml[n > 10000];
	struct diag d;
	struct ytree *t = NULL;
	diag_init(&d, "t.yaml");
	assert_int_equal(ytree_load_buffer(y, strlen(y), "t.yaml", &d, &t), 0);
	assert_int_equal(t->root->items[1]->len, n);
	ytree_free(t);
	diag_fini(&d);
}

static void test_colliding_mapping_keys_cost_about_their_number(void **state)
{
	(void)state;
	char *yaml[2] = {colliding_keys(8192), colliding_keys(32768)};
	/* The keys do collide in FNV-1a's low 16 bits. */
	const char *k = strstr(yaml[1], "\n  ") + 3;
	uint64_t h = 1469598103934665603ull;
	while (*k != ':')
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	assert_int_equal(h & 0xffff, 0);
	double r = scale_ratio(load_tree_of, yaml, 8192);
	if (r >= SCALE_LINEAR_BOUND)
		fail_msg("4x the colliding keys cost %.1fx the time", r);
	free(yaml[0]);
	free(yaml[1]);
}

static void test_sweep_points_are_limited(void **state)
{
	(void)state;
	char extra[4096] = "sweep:\n";
	const char *paths[] = {"seed",          "replications", "horizon", "hardware.rollback",
	                       "hardware.post", "hardware.boot"};
	for (int a = 0; a < 6; a++) {
		char line[512];
		int o = snprintf(line, sizeof(line), "  - {path: %s, values: [", paths[a]);
		for (int v = 1; v <= (a < 5 ? 10 : 2); v++)
			o += snprintf(line + o, sizeof(line) - (size_t)o, "%s%d", v > 1 ? ", " : "",
			              v);
		snprintf(line + o, sizeof(line) - (size_t)o, "]}\n");
		strcat(extra, line);
	}
	char *yaml = with(extra);
	char *got = load_errors(yaml);
	assert_string_equal(
	    got, "t.yaml:9:3: error: the sweep has 200000 points, more than the limit of 100000\n");
	free(got);
	free(yaml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal_scenario_gets_every_default),
	    cmocka_unit_test(test_auto_mode_needs_vcenter_91_and_the_error_names_the_version),
	    cmocka_unit_test(test_builds_reservations_vgpu_and_passthrough_drs_are_read),
	    cmocka_unit_test(test_reservations_are_checked_against_memory),
	    cmocka_unit_test(test_unanchored_defaults_are_counted_per_figure_some_host_keeps),
	    cmocka_unit_test(test_host_version_defaults_to_the_vcenters),
	    cmocka_unit_test(test_every_key_of_the_format_is_read),
	    cmocka_unit_test(test_every_distribution_form_loads),
	    cmocka_unit_test(test_distribution_parameter_checks),
	    cmocka_unit_test(test_distribution_forms_cannot_mix),
	    cmocka_unit_test(test_fsr_stun_and_vmotion_checks),
	    cmocka_unit_test(test_cluster_overrides_merge_key_by_key),
	    cmocka_unit_test(test_host_hardware_overrides_merge_key_by_key),
	    cmocka_unit_test(test_suspend_to_memory_needs_quick_boot),
	    cmocka_unit_test(test_cluster_count_repeats_names_and_multiplies_totals),
	    cmocka_unit_test(test_duplicate_names_are_found_across_entries),
	    cmocka_unit_test(test_name_without_conversion_and_count_is_an_error),
	    cmocka_unit_test(test_pins_and_rules_must_name_existing_entities),
	    cmocka_unit_test(test_pins_resolve_to_entry_and_number),
	    cmocka_unit_test(test_counts_past_the_limits_are_refused_with_the_total),
	    cmocka_unit_test(test_totals_are_exact_far_past_the_limits),
	    cmocka_unit_test(test_unknown_keys_get_a_did_you_mean),
	    cmocka_unit_test(test_errors_teach_the_mapping_the_place_and_the_synonym),
	    cmocka_unit_test(test_type_errors_say_what_was_expected_and_found),
	    cmocka_unit_test(test_format_version_must_be_1),
	    cmocka_unit_test(test_every_error_is_reported_up_to_the_cap),
	    cmocka_unit_test(test_errors_in_alias_copies_are_reported_once),
	    cmocka_unit_test(test_merge_keys_make_templates),
	    cmocka_unit_test(test_bad_scenario_names_and_strategies),
	    cmocka_unit_test(test_sweep_axes_are_read_and_counted),
	    cmocka_unit_test(test_sweep_paths_are_checked_against_the_format),
	    cmocka_unit_test(test_sweep_values_are_checked_like_the_file),
	    cmocka_unit_test(test_a_tree_changed_by_path_converts_with_the_new_value),
	    cmocka_unit_test(test_a_tree_with_errors_never_converts),
	    cmocka_unit_test(test_check_path_works_without_a_file),
	    cmocka_unit_test(test_sweep_points_are_limited),
	    cmocka_unit_test(test_every_repeated_sweep_value_is_reported_in_order),
	    cmocka_unit_test(test_sweep_values_cost_about_their_number),
	    cmocka_unit_test(test_colliding_mapping_keys_cost_about_their_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
