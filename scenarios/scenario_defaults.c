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
         "VMware: FSR, as vMotion, keeps the suspend-to-resume time < 1 second (vSphere 7 - Storage vMotion "
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
        {"vmotion.max_concurrent", "8", true,
         "vSphere: 8 concurrent vMotions per host on 10 GbE and faster, 4 below (Limits on "
         "Simultaneous Migrations, vCenter Server and Host Management)"},
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
	h->vmotion.max_concurrent = 8;
	h->vmotion.switchover_target = 0.5;
	h->vmotion.switchover_overhead = 0.2;
	h->vmotion.max_rounds = 30;
	h->written = 0;
}

int scenario_hw_count(uint32_t bits)
{
	int n = 0;
	for (; bits; bits &= bits - 1)
		n++;
	return n;
}

uint32_t scenario_unanchored_defaults(const struct scenario *s)
{
	uint32_t unanchored = 0;
	for (int f = 0; f < SCENARIO_HW_NFIGURES; f++)
		if (!scenario_hw_figures[f].anchored)
			unanchored |= 1u << f;
	/* A figure counts when some host entry takes it from the default. */
	uint32_t defaulted = 0;
	for (size_t c = 0; c < s->nclusters; c++)
		for (size_t h = 0; h < s->clusters[c].nhosts; h++)
			defaulted |= ~s->clusters[c].hosts[h].hardware.written;
	return defaulted & unanchored;
}
