/*
 * scan: the compliance scan (SCENARIO.md "Eligibility"): which hosts may
 * take the live path and why not, which path each host takes under its
 * cluster's live_patch_mode, and which VMs cannot be fast-suspend-resumed
 * (FSR). Deterministic and simulation-free: a function of the estate and
 * its initial placement only, O(hosts + VMs) in time and memory.
 *
 * Reasons a host is not eligible (bits of host_reasons, reported in this
 * order under these names):
 *   vcenter_too_old           vCenter < the patch's minimum: 8.0.3, or 9.0
 *                             when its components include vmkernel or daemons
 *   host_too_old              the host's ESXi < the same minimum
 *   tpm                       the host has a TPM and runs ESXi < 9.1 (by the
 *                             host's version, not vCenter's)
 *   base_build                the patch names a base_build and the host's
 *                             build is another one (a host without `build`
 *                             is taken to be on the base build)
 *   dpu                       the host has a DPU
 *   drs_not_fully_automated   DRS disabled, or automation not fully_automated
 *   patch_not_live_patchable  the patch image does not support live patch
 *   insufficient_memory       free memory after initial placement (host
 *                             memory minus every VM placed on it, powered off
 *                             or not, FT secondaries included) < the patch's
 *                             temporary reservation
 *   live_patch_disabled       the cluster's effective live_patch_mode is disable
 *
 * Paths: enforce: if any host of the cluster is ineligible the cluster is
 * blocked and every host of it takes no path (SCAN_PATH_NONE, "blocked");
 * else every host is live. auto: eligible hosts live, the others classic.
 * disable: every host classic.
 *
 * A VM's FSR incompatibilities are its flags ft, directpath, vsphere_pod,
 * shared_disk, whatever its power state and whatever the patch's
 * components: the scan reports what cannot be fast-suspend-resumed; that a
 * vmkernel-only patch needs no FSR is for the simulation to apply.
 */
#ifndef LPSIM_SCAN_H
#define LPSIM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/estate.h"
#include "scenarios/scenario.h"

/* Reasons a host cannot take the live path: bits of scan.host_reasons. */
enum scan_reason {
	SCAN_VCENTER_TOO_OLD = 1u << 0,
	SCAN_HOST_TOO_OLD = 1u << 1,
	SCAN_TPM = 1u << 2,
	SCAN_BASE_BUILD = 1u << 3,
	SCAN_DPU = 1u << 4,
	SCAN_DRS_NOT_FULLY_AUTOMATED = 1u << 5,
	SCAN_PATCH_NOT_LIVE_PATCHABLE = 1u << 6,
	SCAN_INSUFFICIENT_MEMORY = 1u << 7,
	SCAN_LIVE_PATCH_DISABLED = 1u << 8,
};
#define SCAN_NREASONS 9

/* Reasons a VM cannot be fast-suspend-resumed: bits of scan.vm_incompat. */
enum scan_incompat {
	SCAN_FT = 1u << 0,
	SCAN_DIRECTPATH = 1u << 1,
	SCAN_VSPHERE_POD = 1u << 2,
	SCAN_SHARED_DISK = 1u << 3,
};
#define SCAN_NINCOMPAT 4

/* The path a host's remediation takes. */
enum scan_path {
	SCAN_PATH_LIVE,    /* "live" */
	SCAN_PATH_CLASSIC, /* "classic" */
	SCAN_PATH_NONE,    /* "none": its enforce-mode cluster is blocked */
};

/* Versions the reasons compare against. */
#define SCAN_MIN_LIVE_PATCH_VERSION SCENARIO_VERSION(8, 0, 3) /* vmx (8.0 U3) */
#define SCAN_MIN_KERNEL_VERSION     SCENARIO_VERSION(9, 0, 0) /* vmkernel, daemons (9.0) */
#define SCAN_MIN_TPM_HOST_VERSION   SCENARIO_VERSION(9, 1, 0) /* ESXi on a TPM host */

/*
 * The oldest vCenter and ESXi that can live-patch a patch with these
 * components (SCENARIO_COMPONENT_* bits): 9.0 when they include vmkernel
 * or daemons, else 8.0.3.
 */
uint32_t scan_min_version(unsigned components);

/*
 * Free memory within this much (GB, about 1 KB) of the temporary
 * reservation counts as enough: decimal sizes that add up exactly on paper
 * must not fail on a rounding error.
 */
#define SCAN_MEMORY_EPSILON_GB 1e-6

/*
 * The result of scan_run(). Every per-host, per-VM and per-cluster array
 * is indexed like the estate's. The FSR-incompatible VMs whose primary is
 * on host h are incompat_vms[host_incompat0[h] .. host_incompat0[h + 1]),
 * in inventory order (FT secondaries are not listed under their host).
 */
struct scan {
	bool force_disable;               /* scanned as the classic strategy runs */
	uint16_t *host_reasons;           /* per host: scan_reason bits, 0 = eligible */
	uint8_t *host_path;               /* per host: enum scan_path */
	double *host_free_gb;             /* per host: memory left after initial placement */
	uint8_t *vm_incompat;             /* per VM: scan_incompat bits, 0 = FSR-compatible */
	bool *cluster_blocked;            /* per cluster: enforce mode and some host ineligible */
	enum scenario_mode *cluster_mode; /* per cluster: effective live_patch_mode */
	uint32_t *host_incompat0;         /* nhosts + 1 offsets into incompat_vms */
	uint32_t *incompat_vms;           /* nincompat VM indices, grouped by primary host */
	size_t nincompat;                 /* FSR-incompatible VMs (any reason) */
	size_t eligible_hosts;            /* hosts with no reason */
	size_t paths[3];                  /* hosts per enum scan_path */
	size_t blocked_clusters;          /* clusters with cluster_blocked */
	size_t incompatible[SCAN_NINCOMPAT]; /* VMs per reason by bit position; a VM with two
						reasons counts under both */
};

/*
 * Scans estate e (borrowed, only during the call). With force_disable
 * every cluster's mode is disable, as for the `classic` strategy. Returns
 * 0 and sets *out (free with scan_free()), or -ENOMEM.
 */
int scan_run(const struct estate *e, bool force_disable, struct scan **out);

/* Frees s; NULL is a no-op. */
void scan_free(struct scan *s);

/*
 * The names of one reason bit ("vcenter_too_old", ...), one
 * incompatibility bit ("ft", ...) and one path ("live", "classic",
 * "none"); NULL for anything else. Static strings.
 */
const char *scan_reason_name(unsigned bit);

/* One line (no newline) that explains a reason bit to an administrator; NULL for no reason. */
const char *scan_reason_explain(unsigned bit);
const char *scan_incompat_name(unsigned bit);
const char *scan_path_name(enum scan_path p);

/*
 * Writes the `scan --json` document (RESULTS.md) of s, made from e, to f:
 * clusters, hosts and VMs in inventory order, one host per line, strings
 * JSON-escaped, a newline at the end. Returns 0, -EIO when f reports a
 * write error, or another negative errno.
 */
int scan_write_json(FILE *f, const struct estate *e, const struct scan *s);

/*
 * What a caller adds to the document (scan_write_json_ex): head, when not
 * NULL, is written first inside the top-level object (complete members,
 * each followed by ", "); cluster, when not NULL, is called for each
 * cluster after its "blocked" member to write members of its own, each
 * followed by ", ". arg is passed through.
 */
struct scan_json_extra {
	const char *head;
	void (*cluster)(FILE *f, const struct estate *e, const struct scan *s, size_t c, void *arg);
	void *arg;
};

/* scan_write_json with x's additions (x may be NULL). Same returns. */
int scan_write_json_ex(FILE *f, const struct estate *e, const struct scan *s,
                       const struct scan_json_extra *x);

/*
 * Writes name as a JSON string, quotes included: '"', '\' and control
 * characters escaped, other bytes (UTF-8) as they are.
 */
void scan_json_string(FILE *f, const char *name);

#endif
