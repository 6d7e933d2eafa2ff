/*
 * scenario: a scenario file (shared/SCENARIO.md, scenarios/FORMAT.md) as
 * plain data. Loading is two steps with a tree in between, so that a sweep
 * can change any scalar by path before conversion:
 *
 *     ytree_load_file()  file -> struct ytree    (ynode.h: YAML syntax, limits)
 *     ytree_set()        change one scalar by path (optional)
 *     scenario_convert() tree -> struct scenario (every check of the format)
 *
 * scenario_load_file() does the lot, sweep axes checked included.
 *
 * A struct scenario holds specs, not expanded entities: a host entry with
 * `name: esx-%02d` and `count: 16` is one struct scenario_host; a cluster
 * with `count: 1000` is one struct scenario_cluster. models/ expands them
 * (scenario_name_expand()). Every spec keeps the position of its entry so
 * later checks can report "FILE:LINE:COL: error: ...".
 *
 * Ownership: a scenario owns all its strings and arrays (one arena) and
 * does not borrow from the tree it came from. It is immutable once
 * returned: models borrow pointers into it and share it read-only across
 * threads until scenario_free().
 *
 * Units: durations in seconds (double), memory in GB, NIC speed in Gbit/s,
 * dirty rate in MB/s, probabilities in [0, 1].
 */
#ifndef LPSIM_SCENARIO_H
#define LPSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/diag.h"
#include "scenarios/ynode.h"
#include "sim/dist.h"

/* ---- limits (each named in the message that enforces it) ---------------- */

#define SCENARIO_FORMAT_VERSION     1           /* the only `lpsim:` value read */
#define SCENARIO_MAX_FILE_BYTES     (64L << 20) /* 64 MiB, checked before reading */
#define SCENARIO_MAX_DEPTH          64          /* nesting levels of the YAML */
#define SCENARIO_MAX_NODES          4000000L    /* YAML nodes, aliases expanded */
#define SCENARIO_MAX_ALIAS_NODES    1000000L    /* nodes copied through aliases */
#define SCENARIO_MAX_CLUSTERS       1000000L    /* clusters after `count` */
#define SCENARIO_MAX_HOSTS          1000000L    /* hosts after every `count` */
#define SCENARIO_MAX_VMS            20000000L   /* VMs after every `count` */
#define SCENARIO_MAX_REPLICATIONS   1000000L
#define SCENARIO_MAX_NAME_LEN       255      /* bytes of an expanded name */
#define SCENARIO_MAX_NAME_WIDTH     9        /* field width of a name's %d */
#define SCENARIO_MAX_DURATION       1e9      /* seconds (about 31.7 years) */
#define SCENARIO_MAX_SAMPLES        1000000L /* samples of one empirical distribution */
#define SCENARIO_MAX_CORES          4096
#define SCENARIO_MAX_VCPUS          4096
#define SCENARIO_MAX_MEMORY_GB      1048576.0 /* 1 PiB */
#define SCENARIO_MAX_GBPS           10000.0
#define SCENARIO_MAX_DIRTY_MB_PER_S 1e6
#define SCENARIO_MAX_CPU_OVERCOMMIT 1000.0
#define SCENARIO_MAX_RETRIES        1000
#define SCENARIO_MAX_CONCURRENCY    1024 /* fsr.concurrency, vmotion.max_concurrent */
#define SCENARIO_MAX_ROUNDS         1000 /* vmotion.max_rounds */
#define SCENARIO_MAX_PARALLEL_HOSTS 96   /* parallel.max_hosts */
#define SCENARIO_MAX_BUILD          999999999L /* an ESXi build number (`build`, `base_build`) */
/* live_patch_mode: auto (AUTO_LIVE_PATCH) exists from this vCenter on. */
#define SCENARIO_MIN_AUTO_VCENTER   SCENARIO_VERSION(9, 1, 0)
#define SCENARIO_MAX_SWEEP_AXES     16
#define SCENARIO_MAX_SWEEP_POINTS   100000L /* product of the axes' value counts */
/* Work units (tree nodes + names expanded, per value) for checking sweep values. */
#define SCENARIO_SWEEP_CHECK_BUDGET 50000000L

/* ---- values --------------------------------------------------------------- */

/* A version MAJOR.MINOR.UPDATE as one comparable number: 8.0.3 -> 8000003. */
#define SCENARIO_VERSION(major, minor, update)                                                     \
	((uint32_t)(major)*1000000u + (uint32_t)(minor)*1000u + (uint32_t)(update))
#define SCENARIO_VERSION_MAJOR(v)  ((v) / 1000000u)
#define SCENARIO_VERSION_MINOR(v)  ((v) / 1000u % 1000u)
#define SCENARIO_VERSION_UPDATE(v) ((v) % 1000u)

enum scenario_mode {
	SCENARIO_MODE_ENFORCE,
	SCENARIO_MODE_AUTO,
	SCENARIO_MODE_DISABLE,
};

enum scenario_power_action {
	SCENARIO_POWER_ACTION_DO_NOT_CHANGE,
	SCENARIO_POWER_ACTION_POWER_OFF,
	SCENARIO_POWER_ACTION_SUSPEND,
	SCENARIO_POWER_ACTION_SUSPEND_TO_MEMORY,
	/* lpsim extensions, not vLCM settings: the action applies only to the
	 * VMs that cannot be vMotioned; DRS evacuates the others. */
	SCENARIO_POWER_ACTION_POWER_OFF_UNMOVABLE,
	SCENARIO_POWER_ACTION_SUSPEND_UNMOVABLE,
};

/* What the admin does with a VM that cannot be vMotioned when putting a
 * host into maintenance mode for parallel remediation. */
enum scenario_prep_action {
	SCENARIO_PREP_POWER_OFF,
	SCENARIO_PREP_SUSPEND,
	SCENARIO_PREP_SKIP_HOST, /* leave it running: the host stays out of maintenance mode */
};

enum scenario_manual_policy {
	SCENARIO_MANUAL_NONE,
	SCENARIO_MANUAL_AUTO,
	SCENARIO_MANUAL_POWER_CYCLE,
};

enum scenario_manual_start {
	SCENARIO_MANUAL_AFTER_HOST,
	SCENARIO_MANUAL_AFTER_CLUSTER,
};

enum scenario_drs_automation {
	SCENARIO_DRS_MANUAL,
	SCENARIO_DRS_PARTIALLY_AUTOMATED,
	SCENARIO_DRS_FULLY_AUTOMATED,
};

enum scenario_power {
	SCENARIO_POWER_ON,
	SCENARIO_POWER_OFF,
	SCENARIO_POWER_SUSPENDED,
};

enum scenario_rule_type {
	SCENARIO_RULE_VM_AFFINITY,      /* keep the VMs on one host */
	SCENARIO_RULE_VM_ANTI_AFFINITY, /* keep the VMs on different hosts */
};

enum scenario_strategy {
	SCENARIO_STRATEGY_LIVE_PATCH,
	SCENARIO_STRATEGY_CLASSIC,
};

/* Bits of scenario_patch.components. */
enum {
	SCENARIO_COMPONENT_VMX = 1u << 0,
	SCENARIO_COMPONENT_VMKERNEL = 1u << 1,
	SCENARIO_COMPONENT_DAEMONS = 1u << 2,
};

/* max_hosts: auto (every live-path host at once; classic: what capacity allows). */
#define SCENARIO_MAX_HOSTS_AUTO 0

/* ---- specs ---------------------------------------------------------------- */

/* vcenter.remediation, or a cluster's copy of it with the cluster's overrides. */
struct scenario_remediation {
	bool parallel_enabled; /* parallel.enabled (default false) */
	int max_hosts; /* parallel.max_hosts 1..96, or SCENARIO_MAX_HOSTS_AUTO (default 4) */
	enum scenario_power_action power_action; /* pre_remediation_power_action (do_not_change) */
	int retry_count;                         /* failure_action.retry_count (3) */
	double retry_delay;                      /* failure_action.retry_delay, s (300) */
	double failed_host_tolerance_pct; /* failure_action.failed_host_tolerance_pct; < 0: unset */
	bool retry_install; /* failure_action.retry_install (false): lpsim extension */
	bool admin_vmotion; /* (false): the admin vMotions what DRS would not (DRS not fully automated) */
	enum scenario_prep_action prep_action; /* parallel.unmovable_vms (power_off) */
	bool quick_boot;                         /* (false) */
	bool evacuate_offline_vms;               /* (false) */
	bool disable_hac;                        /* (true) */
	enum scenario_manual_policy manual_policy; /* manual_remediation.policy (none) */
	enum scenario_manual_start manual_start;   /* manual_remediation.start (after_cluster) */
	double manual_delay;                       /* manual_remediation.delay, s (0) */
};

/* FSR stun: (base + per_gb * GB + per_vcpu * vCPUs) * e^N(0, sigma^2), seconds. */
struct scenario_stun {
	double base;
	double per_gb;
	double per_vcpu;
	double sigma;
};

struct scenario_vmotion {
	double efficiency;          /* (0, 1] of the NIC's line rate */
	int max_concurrent;         /* vMotions a host takes part in at once (source or
	                             * destination), >= 1; 0 (the default): by NIC speed */
	double switchover_target;   /* s: stop pre-copy when the rest takes this long */
	double switchover_overhead; /* s: added to every stun */
	int max_rounds;             /* pre-copy rounds, >= 1 */
	bool sdps;                  /* Stun During Page Send slows a guest that outruns the link */
	double sdps_dirty_fraction; /* (0, 1]: SDPS holds the dirty rate to this x the rate */
};

/* The latency models (SCENARIO.md "hardware"). Empirical samples are owned by the scenario. */
struct scenario_hardware {
	struct dist enter_partial_mm;
	struct dist mount_revision;
	struct dist patch_revision;
	struct dist rollback;
	struct scenario_stun fsr_stun;
	int fsr_concurrency; /* VMs fast-suspend-resumed at once per host, >= 1 */
	struct dist exit_partial_mm;
	struct dist enter_mm;
	struct dist install;
	struct dist post;
	struct dist boot;
	struct dist quick_boot;
	struct dist exit_mm;
	struct dist vm_shutdown;
	struct dist vm_boot;
	struct scenario_vmotion vmotion;
};

/*
 * The figures of `hardware`, one bit each in the masks below. The table of
 * their defaults, and which of them a public source anchors, is
 * scenario_hw_figures[] (scenarios/scenario_defaults.c).
 */
enum scenario_hw_figure {
	SCENARIO_HW_ENTER_PARTIAL_MM,
	SCENARIO_HW_MOUNT_REVISION,
	SCENARIO_HW_PATCH_REVISION,
	SCENARIO_HW_ROLLBACK,
	SCENARIO_HW_FSR_STUN_BASE,
	SCENARIO_HW_FSR_STUN_PER_GB,
	SCENARIO_HW_FSR_STUN_PER_VCPU,
	SCENARIO_HW_FSR_STUN_SIGMA,
	SCENARIO_HW_FSR_CONCURRENCY,
	SCENARIO_HW_EXIT_PARTIAL_MM,
	SCENARIO_HW_ENTER_MM,
	SCENARIO_HW_INSTALL,
	SCENARIO_HW_POST,
	SCENARIO_HW_BOOT,
	SCENARIO_HW_QUICK_BOOT,
	SCENARIO_HW_EXIT_MM,
	SCENARIO_HW_VM_SHUTDOWN,
	SCENARIO_HW_VM_BOOT,
	SCENARIO_HW_VMOTION_EFFICIENCY,
	SCENARIO_HW_VMOTION_MAX_CONCURRENT,
	SCENARIO_HW_VMOTION_SWITCHOVER_TARGET,
	SCENARIO_HW_VMOTION_SWITCHOVER_OVERHEAD,
	SCENARIO_HW_VMOTION_MAX_ROUNDS,
	SCENARIO_HW_NFIGURES
};

/* One default of `hardware`: its path, its value as FORMAT.md writes it, its source. */
struct scenario_hw_default {
	const char *path;   /* "vmotion.switchover_target" */
	const char *value;  /* "500ms" */
	bool anchored;      /* a public source publishes this figure (or a bound it keeps) */
	const char *source; /* the source (title, URL), or why none: an assumption */
};

/* Indexed by enum scenario_hw_figure. */
extern const struct scenario_hw_default scenario_hw_figures[SCENARIO_HW_NFIGURES];

struct scenario;

/*
 * The figures of s that some host has at an unanchored default: equal to
 * the default (left out of the file, or written with the default's value,
 * which is the same assumption) and not anchored by a public source. Their
 * bits (1u << enum scenario_hw_figure); scenario_hw_count() counts them.
 */
uint32_t scenario_unanchored_defaults(const struct scenario *s);

/* The number of bits set in bits. */
int scenario_hw_count(uint32_t bits);

/* One host entry: `count` hosts named by expanding `name` with 1..count. */
struct scenario_host {
	const char *name; /* name pattern (at most one integer conversion) */
	long count;       /* >= 1 */
	uint32_t version; /* SCENARIO_VERSION(); default the vCenter's */
	int cores;
	double memory_gb;
	bool tpm;
	bool dpu;
	double vmotion_gbps;
	const char *fault_domain; /* vSAN fault domain, or NULL */
	long build; /* ESXi build number (`build`), or 0: not given (the patch's base build) */
	struct scenario_hardware
	    hardware;        /* the scenario's, with this entry's `hardware:` overrides */
	struct diag_pos pos; /* the entry's first key */
};

/* One VM entry: `count` VMs named by expanding `name` with 1..count. */
struct scenario_vm {
	const char *name; /* name pattern */
	long count;       /* >= 0 (0: the entry makes no VM) */
	int vcpus;
	double memory_gb;
	double dirty_mb_per_s;
	enum scenario_power power;
	bool ft;
	bool directpath;
	bool vsphere_pod;
	bool shared_disk;
	double reservation_gb; /* memory reservation (`reservation_gb`, 0); memory_gb when
				  directpath or vgpu_gb > 0 (fully reserved) */
	double vgpu_gb;        /* vGPU frame buffer in use (`vgpu_gb`), 0: no vGPU */
	bool drs_pinned;       /* derived: a vGPU VM in a cluster without
				  passthrough_drs_automation; DRS does not migrate it */
	const char *host; /* `host:` pin (an expanded host name of the cluster), or NULL */
	long pin_entry;   /* index into the cluster's hosts[] of the pinned host, or -1 */
	long pin_number;  /* its number (1-based) within that entry, or 0 */
	struct diag_pos pos;
	struct diag_pos host_pos; /* of the `host:` value */
};

/* A VM named in a rule: entry index into the cluster's vms[], number within it (1-based). */
struct scenario_vm_ref {
	size_t entry;
	long number;
};

struct scenario_rule {
	enum scenario_rule_type type;
	size_t nvms;                 /* >= 2 */
	const char **vm_names;       /* as written */
	struct scenario_vm_ref *vms; /* resolved */
	struct diag_pos *vm_pos;     /* of each name */
	struct diag_pos pos;
};

/* One cluster entry: `count` clusters named by expanding `name`, each with all hosts and VMs. */
struct scenario_cluster {
	const char *name; /* name pattern; needs a conversion when count > 1 */
	long count;       /* >= 1 */
	bool drs_enabled;
	enum scenario_drs_automation drs_automation;
	bool ha_enabled;
	double ha_admission_control_pct; /* 0..100 */
	bool vsan;
	bool nsx;                                /* (false): parallel remediation unsupported */
	const char *preferred_fault_domain; /* vSAN stretched cluster: remediated first, or NULL */
	double cpu_overcommit;                   /* vCPUs per core DRS may place, > 0 */
	bool passthrough_drs_automation; /* DRS migrates vGPU VMs automatically (false) */
	enum scenario_mode live_patch_mode;      /* the vCenter's unless overridden */
	struct scenario_remediation remediation; /* the vCenter's with this cluster's overrides */
	size_t nhosts;
	struct scenario_host *hosts;
	size_t nvms;
	struct scenario_vm *vms;
	size_t nrules;
	struct scenario_rule *rules;
	long hosts_each; /* hosts in one copy of this cluster (sum of counts) */
	long vms_each;   /* VMs in one copy */
	struct diag_pos pos;
};

struct scenario_patch {
	const char *name;
	bool live_patchable;             /* (true) */
	unsigned components;             /* SCENARIO_COMPONENT_* bits, never 0 (vmx) */
	long base_build;                 /* the ESXi build it applies to (`base_build`), 0: any */
	double reservation_temporary_gb; /* memory_reservation_gb.temporary (0) */
	double reservation_permanent_gb; /* memory_reservation_gb.permanent (0) */
};

struct scenario_faults {
	double patch_failure_prob;   /* (0) */
	double fsr_failure_prob;     /* (0) */
	double vmotion_failure_prob; /* (0) */
	double host_crash_prob;      /* (0) */
	struct dist ha_restart;      /* (constant 120 s) */
};

/* One sweep axis: the scalar at path takes each value in turn. */
struct scenario_sweep_axis {
	const char *path;
	size_t nvalues;      /* >= 1 */
	const char **values; /* scalar text as written */
	bool *quoted;        /* whether each value was quoted */
	struct diag_pos *value_pos;
	struct diag_pos pos; /* of the path */
};

struct scenario {
	const char *file;                        /* display name it was loaded as */
	const char *name;                        /* [A-Za-z0-9._-]+, not starting with '.' */
	const char *description;                 /* "" when absent */
	uint64_t seed;                           /* (1) */
	long replications;                       /* (1) */
	size_t nstrategies;                      /* 1 or 2 */
	enum scenario_strategy strategies[2];    /* in the order written (live_patch, classic) */
	double horizon;                          /* s (30 days) */
	uint32_t vcenter_version;                /* (8.0.3) */
	enum scenario_mode live_patch_mode;      /* vcenter.live_patch_mode (enforce) */
	struct scenario_remediation remediation; /* vcenter.remediation */
	size_t nclusters;
	struct scenario_cluster *clusters;
	struct scenario_patch patch;
	struct scenario_hardware hardware;
	struct scenario_faults faults;
	size_t naxes;
	struct scenario_sweep_axis *sweep;
	long total_clusters; /* after every count */
	long total_hosts;
	long total_vms;
	struct sarena *arena; /* owns everything above */
};

/* ---- loading -------------------------------------------------------------- */

/*
 * Converts a tree into a scenario, making every check of the format but
 * those of the sweep axes' values (scenario_check_sweep()). Returns the
 * scenario (free with scenario_free()) or NULL when the tree is not a
 * valid scenario (errors added to d; a tree with node errors, t->broken,
 * is never valid) or memory runs out (d->oom set). The tree is only read,
 * and may be freed before the scenario.
 */
struct scenario *scenario_convert(const struct ytree *t, struct diag *d);

/*
 * Checks every value of every sweep axis of s (converted from t): each is
 * set into a copy of t and the copy converted, and whatever that reports
 * is added to d at the value, e.g. "sweep value '200' for
 * 'vcenter.remediation.parallel.max_hosts': 'max_hosts' must be 1..96 or
 * auto (got 200)". When the work (tree nodes plus names expanded, times
 * values) would pass SCENARIO_SWEEP_CHECK_BUDGET, the remaining values
 * skip the name checks. Returns 0 when all are good, -EINVAL, or -ENOMEM.
 */
int scenario_check_sweep(const struct ytree *t, const struct scenario *s, struct diag *d);

/*
 * Checks a sweep path against the format, without a file: known keys,
 * [N] or [NAME] exactly on lists, ending at a single value, a distribution
 * or a key in one, not under `sweep` nor `lpsim`... Returns true, or false
 * after adding an error at pos ("sweep path 'x': unknown key ..."). Syntax
 * as ytree_set(); whether [N] or [NAME] exists in a file is ytree_set()'s
 * check.
 */
bool scenario_check_path(const char *path, struct diag *d, struct diag_pos pos);

/*
 * Sets twice[i] when values[i] (NULL: none) equals an earlier value, the
 * check of duplicate sweep values (for --param too). O(n log n). Returns
 * how many do, or -ENOMEM.
 */
int scenario_duplicate_values(const char *const *values, size_t n, bool *twice);

/*
 * File to checked scenario: ytree_load_file + scenario_convert +
 * scenario_check_sweep. Returns 0 and sets *out; -EINVAL for a bad
 * scenario (errors in d); -ENOMEM; or a negative errno when the file
 * cannot be read (nothing in d: the caller says "lpsim: FILE: strerror").
 */
int scenario_load_file(const char *path, struct diag *d, struct scenario **out);

/* The same from memory; file is the display name (copied). */
int scenario_load_buffer(const char *buf, size_t len, const char *file, struct diag *d,
                         struct scenario **out);

/* Frees s and everything it owns; NULL is a no-op. */
void scenario_free(struct scenario *s);

/* ---- values, for models and tests ---------------------------------------- */

/*
 * Expands a name pattern for entity number i: the one integer conversion
 * (%d, %i or %u, with flags 0 or - and a width up to
 * SCENARIO_MAX_NAME_WIDTH) is replaced by i, %% by %. Writes at most len
 * bytes including the NUL. Returns the name's length, -EINVAL for a bad
 * pattern (%s, %n, two conversions, ...) or -ENOSPC when buf is too small.
 * Never passes the pattern to printf.
 */
int scenario_name_expand(const char *pattern, long i, char *buf, size_t len);

/*
 * Checks a name pattern. Returns true and sets *has_conversion; or false
 * with a reason ("'%s' is not an integer conversion") in why.
 */
bool scenario_name_pattern_ok(const char *pattern, bool *has_conversion, char *why, size_t whylen);

/*
 * The rule for a scenario's name (it names the output directory):
 * [A-Za-z0-9._-]+, not starting with '.', at most SCENARIO_MAX_NAME_LEN
 * bytes. Returns true when s (NUL-terminated) follows it.
 */
bool scenario_name_ok(const char *s);

/*
 * If name is pattern expanded for some i in 1..count, returns true and
 * sets *i. pattern must be valid.
 */
bool scenario_name_match(const char *pattern, long count, const char *name, long *i);

/*
 * Parses a duration: a number of seconds ("90", "1.5", "1e3") or numbers
 * with units in decreasing order ("250ms", "30s", "5m", "1.5h", "1h30m",
 * "1d"). Returns true and sets *seconds (0..SCENARIO_MAX_DURATION); or
 * false with the reason in why ("unknown unit 'x'; ...", "negative");
 * why may be NULL.
 */
bool scenario_parse_duration(const char *s, double *seconds, char *why, size_t whylen);

/*
 * Parses a version "8.0.3", "9.1", "8", "8.0U3", "8.0 U3" (each part
 * 0..999). Returns true and sets *v = SCENARIO_VERSION(...).
 */
bool scenario_parse_version(const char *s, uint32_t *v);

/* Writes "8.0.3" (or "9.1.0") for v into buf; returns buf. */
char *scenario_version_format(uint32_t v, char *buf, size_t len);

/* "enforce", "power_off", ... : the YAML spelling of each enum value. */
const char *scenario_mode_name(enum scenario_mode m);
const char *scenario_power_action_name(enum scenario_power_action a);
const char *scenario_manual_policy_name(enum scenario_manual_policy p);
const char *scenario_manual_start_name(enum scenario_manual_start s);
const char *scenario_drs_automation_name(enum scenario_drs_automation a);
const char *scenario_power_name(enum scenario_power p);
const char *scenario_rule_type_name(enum scenario_rule_type t);
const char *scenario_strategy_name(enum scenario_strategy s);

#endif
