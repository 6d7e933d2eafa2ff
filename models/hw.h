/*
 * hw: the hardware interface of the models.
 *
 * The patch state machines and vLCM act on the world only through these
 * requests, and hear back only through hw_done(): they never look at a
 * clock of their own or sample a latency. sim/hwsim.c implements the
 * interface on the event kernel (sampled latencies, injected faults); the
 * tests implement it with a scripted fake; a dry run that prints the
 * vSphere API calls in order could implement it too.
 *
 * Contract: every request completes exactly once, later (never inside the
 * request call), with one struct hw_done carrying the same op, host and
 * vm, unless the model cancels it (a crashing host). Requests on
 * different hosts and VMs run concurrently.
 */
#ifndef LPSIM_HW_H
#define LPSIM_HW_H

#include <stdbool.h>
#include <stdint.h>

enum hw_op {
	HW_ENTER_PARTIAL_MM, /* host enters partial maintenance mode */
	HW_MOUNT_REVISION,   /* mount the new revision beside the running one */
	HW_PATCH_REVISION,   /* patch the mounted revision; may fail */
	HW_ROLLBACK,         /* unmount the new revision after a failure */
	HW_FSR,              /* fast-suspend-resume one VM; may fail (old runtime) */
	HW_EXIT_PARTIAL_MM,
	HW_RETRY_DELAY,      /* failure_action.retry_delay elapses */
	HW_VM_POWER_CYCLE,   /* shut a VM down and boot it again */
	HW_MANUAL_DELAY,     /* manual_remediation.delay elapses */
	HW_ENTER_MM,         /* classic: enter maintenance mode once evacuated */
	HW_INSTALL,          /* classic: install the patch; may fail */
	HW_REBOOT,           /* classic: post + boot, or quick boot */
	HW_EXIT_MM,
	HW_VMOTION,          /* move one VM part to another host; may fail */
	HW_VM_POWER_OFF,     /* shut down (or suspend) a VM */
	HW_VM_POWER_ON,      /* boot (or resume) a VM */
	HW_HOST_CRASH,       /* injected: the host crashed during its attempt */
	HW_HOST_RECOVER,     /* a crashed host is back (post + boot) */
	HW_HA_RESTART,       /* HA restarted a crashed host's VM part elsewhere */
	HW_NOPS
};

/* What a completed request reports. */
struct hw_done {
	enum hw_op op;
	int32_t host;   /* the host the request was about (-1: none) */
	int32_t vm;     /* the VM (-1: none) */
	int32_t cluster; /* HW_MANUAL_DELAY: the cluster; else -1 */
	bool ok;        /* false: the operation failed (patch, FSR) */
	double value_s; /* FSR, vMotion: the stun; power cycle: the downtime; else 0 */
	int32_t part;   /* VM operations: 0 the primary, 1 the FT secondary */
	double sdps_s;  /* vMotion: how long SDPS slowed the VM's vCPUs; else 0 */
};

struct hw_ops {
	/* Host steps of the live path; `attempt` counts from 1 (retries). */
	void (*enter_partial_mm)(void *hw, int32_t host);
	void (*mount_revision)(void *hw, int32_t host, int attempt);
	void (*patch_revision)(void *hw, int32_t host, int attempt);
	void (*rollback)(void *hw, int32_t host, int attempt);
	void (*fsr)(void *hw, int32_t host, int32_t vm);
	void (*exit_partial_mm)(void *hw, int32_t host);
	void (*retry_delay)(void *hw, int32_t host, int attempt);
	/* Manual remediation. */
	void (*vm_power_cycle)(void *hw, int32_t vm);
	/* manual_remediation.delay of the cluster, after one host (host >= 0)
	 * or after the whole cluster (host -1) */
	void (*manual_delay)(void *hw, int32_t cluster, int32_t host);
	/* Classic path. */
	void (*enter_mm)(void *hw, int32_t host, int attempt);
	void (*install)(void *hw, int32_t host, int attempt);
	void (*reboot)(void *hw, int32_t host, int attempt);
	void (*exit_mm)(void *hw, int32_t host);
	/* Move part (0 primary, 1 secondary) of VM vm from src to dst. The
	 * hardware shares each host's vMotion link among the vMotions running
	 * on it (the model keeps their number within vCenter's limits). */
	void (*vmotion)(void *hw, int32_t vm, int part, int32_t src, int32_t dst);
	void (*vm_power_off)(void *hw, int32_t vm);
	void (*vm_power_on)(void *hw, int32_t vm);
	/* Faults: an attempt of host starts (the hardware may schedule a
	 * HW_HOST_CRASH within it) or ends (no crash can come from it any more). */
	void (*attempt_start)(void *hw, int32_t host, int attempt, bool classic);
	void (*attempt_end)(void *hw, int32_t host);
	void (*host_recover)(void *hw, int32_t host, int attempt);
	/* HA restart of a crashed host's VM part on host dst. */
	void (*ha_restart)(void *hw, int32_t vm, int part, int32_t dst);
	/* Cancels the pending request of host (its one host-level operation),
	 * or of VM part (vm, part); no completion will come for it. */
	void (*cancel_host)(void *hw, int32_t host);
	void (*cancel_vm)(void *hw, int32_t vm, int part);
	/* The present instant, in seconds since remediation started. */
	double (*now)(void *hw);
};

#endif
