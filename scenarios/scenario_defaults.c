/*
 * scenario_defaults: the defaults of `hardware` and, next to each, whether
 * a public source anchors it (scenarios/FORMAT.md "Defaults and their
 * sources" has the same table for readers). A default no source anchors is
 * an assumption: `lpsim validate` counts the figures a scenario leaves at
 * such a default, so that its author knows what to calibrate.
 *
 * The table and scenario__hardware_defaults() must agree: a test checks
 * each value's text against the default it describes.
 */
#include "scenarios/scenario.h"

#include "scenarios/scenario_internal.h"

#define NO_SOURCE "no public source: an assumption, calibrate it"

const struct scenario_hw_default scenario_hw_figures[SCENARIO_HW_NFIGURES] = {
    [SCENARIO_HW_ENTER_PARTIAL_MM] = {"enter_partial_mm", "lognormal median 10s, p95 30s", false,
                                      NO_SOURCE},
    [SCENARIO_HW_MOUNT_REVISION] = {"mount_revision", "lognormal median 30s, p95 60s", false,
                                    NO_SOURCE},
    [SCENARIO_HW_PATCH_REVISION] = {"patch_revision", "lognormal median 60s, p95 120s", false,
                                    NO_SOURCE},
    [SCENARIO_HW_ROLLBACK] = {"rollback", "30s", false, NO_SOURCE},
    [SCENARIO_HW_FSR_STUN_BASE] =
        {"fsr.stun.base", "100ms", true,
         "VMware: FSR, as vMotion, keeps the suspend-to-resume time < 1 second (vSphere 7 - "
         "Storage vMotion "
         "Improvements, https://blogs.vmware.com/vsphere/2020/06/"
         "vsphere-7-storage-vmotion-improvements.html); 100ms lies within that bound"},
    [SCENARIO_HW_FSR_STUN_PER_GB] = {"fsr.stun.per_gb", "2ms", false, NO_SOURCE},
    [SCENARIO_HW_FSR_STUN_PER_VCPU] = {"fsr.stun.per_vcpu", "5ms", false, NO_SOURCE},
    [SCENARIO_HW_FSR_STUN_SIGMA] = {"fsr.stun.sigma", "0.3", false, NO_SOURCE},
    [SCENARIO_HW_FSR_CONCURRENCY] = {"fsr.concurrency", "4", false, NO_SOURCE},
    [SCENARIO_HW_EXIT_PARTIAL_MM] = {"exit_partial_mm", "10s", false, NO_SOURCE},
    [SCENARIO_HW_ENTER_MM] = {"enter_mm", "30s", false, NO_SOURCE},
    [SCENARIO_HW_INSTALL] = {"install", "lognormal median 5m, p95 8m", false, NO_SOURCE},
    [SCENARIO_HW_POST] = {"post", "uniform 3m..8m", false, NO_SOURCE},
    [SCENARIO_HW_BOOT] = {"boot", "lognormal median 4m, p95 7m", false, NO_SOURCE},
    [SCENARIO_HW_QUICK_BOOT] = {"quick_boot", "lognormal median 2m, p95 3m", false,
                                "no public source: VMware says Quick Boot skips the firmware "
                                "and device initialization but publishes no time; an "
                                "assumption, calibrate it"},
    [SCENARIO_HW_EXIT_MM] = {"exit_mm", "30s", false, NO_SOURCE},
    [SCENARIO_HW_VM_SHUTDOWN] = {"vm_shutdown", "30s", false, NO_SOURCE},
    [SCENARIO_HW_VM_BOOT] = {"vm_boot", "lognormal median 60s, p95 3m", false, NO_SOURCE},
    [SCENARIO_HW_VMOTION_EFFICIENCY] = {"vmotion.efficiency", "0.9", false, NO_SOURCE},
    [SCENARIO_HW_VMOTION_MAX_CONCURRENT] =
        {"vmotion.max_concurrent", "by NIC speed", true,
         "vSphere: 8 concurrent vMotions per host on 10 GbE and faster, 4 below, counting the "
         "vMotions a host sends and receives (Limits on Simultaneous Migrations, vCenter "
         "Server and Host Management)"},
    [SCENARIO_HW_VMOTION_SWITCHOVER_TARGET] =
        {"vmotion.switchover_target", "500ms", true,
         "VMware: vMotion keeps the time between suspending and resuming the VM < 1 second "
         "(vSphere 7 - Storage vMotion Improvements, https://blogs.vmware.com/vsphere/2020/06/"
         "vsphere-7-storage-vmotion-improvements.html); 500ms lies within that target"},
    [SCENARIO_HW_VMOTION_SWITCHOVER_OVERHEAD] = {"vmotion.switchover_overhead", "200ms", false,
                                                 NO_SOURCE},
    [SCENARIO_HW_VMOTION_MAX_ROUNDS] = {"vmotion.max_rounds", "30", false, NO_SOURCE},
};

void scenario__hardware_defaults(struct scenario_hardware *h)
{
	h->enter_partial_mm = dist_lognormal_median_p95(10, 30);
	h->mount_revision = dist_lognormal_median_p95(30, 60);
	h->patch_revision = dist_lognormal_median_p95(60, 120);
	h->rollback = dist_constant(30);
	h->fsr_stun.base = 0.100;
	h->fsr_stun.per_gb = 0.002;
	h->fsr_stun.per_vcpu = 0.005;
	h->fsr_stun.sigma = 0.3;
	h->fsr_concurrency = 4;
	h->exit_partial_mm = dist_constant(10);
	h->enter_mm = dist_constant(30);
	h->install = dist_lognormal_median_p95(300, 480);
	h->post = dist_uniform(180, 480);
	h->boot = dist_lognormal_median_p95(240, 420);
	h->quick_boot = dist_lognormal_median_p95(120, 180);
	h->exit_mm = dist_constant(30);
	h->vm_shutdown = dist_constant(30);
	h->vm_boot = dist_lognormal_median_p95(60, 180);
	h->vmotion.efficiency = 0.9;
	h->vmotion.max_concurrent = 0; /* by NIC speed at both ends (rem.c) */
	h->vmotion.switchover_target = 0.5;
	h->vmotion.switchover_overhead = 0.2;
	h->vmotion.max_rounds = 30;
	h->vmotion.sdps = true;
	h->vmotion.sdps_dirty_fraction = 0.5; /* no public source: an assumption */
}

int scenario_hw_count(uint32_t bits)
{
	int n = 0;
	for (; bits; bits &= bits - 1)
		n++;
	return n;
}

static bool same_dist(const struct dist *x, const struct dist *y)
{
	return x->kind == y->kind && x->a == y->a && x->b == y->b && x->offset == y->offset &&
	       x->nsamples == y->nsamples && x->nsamples == 0;
}

/* The figures of hw equal to their defaults in def. */
static uint32_t at_default(const struct scenario_hardware *hw, const struct scenario_hardware *def)
{
	const struct dist *const dists[][2] = {
	    [SCENARIO_HW_ENTER_PARTIAL_MM] = {&hw->enter_partial_mm, &def->enter_partial_mm},
	    [SCENARIO_HW_MOUNT_REVISION] = {&hw->mount_revision, &def->mount_revision},
	    [SCENARIO_HW_PATCH_REVISION] = {&hw->patch_revision, &def->patch_revision},
	    [SCENARIO_HW_ROLLBACK] = {&hw->rollback, &def->rollback},
	    [SCENARIO_HW_EXIT_PARTIAL_MM] = {&hw->exit_partial_mm, &def->exit_partial_mm},
	    [SCENARIO_HW_ENTER_MM] = {&hw->enter_mm, &def->enter_mm},
	    [SCENARIO_HW_INSTALL] = {&hw->install, &def->install},
	    [SCENARIO_HW_POST] = {&hw->post, &def->post},
	    [SCENARIO_HW_BOOT] = {&hw->boot, &def->boot},
	    [SCENARIO_HW_QUICK_BOOT] = {&hw->quick_boot, &def->quick_boot},
	    [SCENARIO_HW_EXIT_MM] = {&hw->exit_mm, &def->exit_mm},
	    [SCENARIO_HW_VM_SHUTDOWN] = {&hw->vm_shutdown, &def->vm_shutdown},
	    [SCENARIO_HW_VM_BOOT] = {&hw->vm_boot, &def->vm_boot},
	};
	uint32_t bits = 0;
	for (size_t f = 0; f < sizeof(dists) / sizeof(dists[0]); f++)
		if (dists[f][0] && same_dist(dists[f][0], dists[f][1]))
			bits |= 1u << f;
	const double nums[][2] = {
	    [SCENARIO_HW_FSR_STUN_BASE] = {hw->fsr_stun.base, def->fsr_stun.base},
	    [SCENARIO_HW_FSR_STUN_PER_GB] = {hw->fsr_stun.per_gb, def->fsr_stun.per_gb},
	    [SCENARIO_HW_FSR_STUN_PER_VCPU] = {hw->fsr_stun.per_vcpu, def->fsr_stun.per_vcpu},
	    [SCENARIO_HW_FSR_STUN_SIGMA] = {hw->fsr_stun.sigma, def->fsr_stun.sigma},
	    [SCENARIO_HW_FSR_CONCURRENCY] = {hw->fsr_concurrency, def->fsr_concurrency},
	    [SCENARIO_HW_VMOTION_EFFICIENCY] = {hw->vmotion.efficiency, def->vmotion.efficiency},
	    [SCENARIO_HW_VMOTION_MAX_CONCURRENT] = {hw->vmotion.max_concurrent,
	                                            def->vmotion.max_concurrent},
	    [SCENARIO_HW_VMOTION_SWITCHOVER_TARGET] = {hw->vmotion.switchover_target,
	                                               def->vmotion.switchover_target},
	    [SCENARIO_HW_VMOTION_SWITCHOVER_OVERHEAD] = {hw->vmotion.switchover_overhead,
	                                                 def->vmotion.switchover_overhead},
	    [SCENARIO_HW_VMOTION_MAX_ROUNDS] = {hw->vmotion.max_rounds, def->vmotion.max_rounds},
	};
	static const enum scenario_hw_figure numeric[] = {
	    SCENARIO_HW_FSR_STUN_BASE,
	    SCENARIO_HW_FSR_STUN_PER_GB,
	    SCENARIO_HW_FSR_STUN_PER_VCPU,
	    SCENARIO_HW_FSR_STUN_SIGMA,
	    SCENARIO_HW_FSR_CONCURRENCY,
	    SCENARIO_HW_VMOTION_EFFICIENCY,
	    SCENARIO_HW_VMOTION_MAX_CONCURRENT,
	    SCENARIO_HW_VMOTION_SWITCHOVER_TARGET,
	    SCENARIO_HW_VMOTION_SWITCHOVER_OVERHEAD,
	    SCENARIO_HW_VMOTION_MAX_ROUNDS,
	};
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
		if (nums[numeric[i]][0] == nums[numeric[i]][1])
			bits |= 1u << numeric[i];
	return bits;
}

uint32_t scenario_unanchored_defaults(const struct scenario *s)
{
	struct scenario_hardware def;
	scenario__hardware_defaults(&def);
	uint32_t unanchored = 0;
	for (int f = 0; f < SCENARIO_HW_NFIGURES; f++)
		if (!scenario_hw_figures[f].anchored)
			unanchored |= 1u << f;
	uint32_t defaulted = 0;
	for (size_t c = 0; c < s->nclusters; c++)
		for (size_t h = 0; h < s->clusters[c].nhosts; h++)
			defaulted |= at_default(&s->clusters[c].hosts[h].hardware, &def);
	return defaulted & unanchored;
}
