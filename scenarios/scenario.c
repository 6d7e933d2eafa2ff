/*
 * scenario: converts a YAML tree (ynode.h) into a struct scenario with
 * every check of the format (scenarios/FORMAT.md), and the load/free API.
 *
 * The format's keys are described once, as tables (struct sctx): the
 * conversion uses them to find each key's value and to reject unknown
 * keys with a did-you-mean, and sweep paths are checked against them.
 *
 * Conversion never stops at the first error: a bad value is reported and
 * its default kept, so one run reports every error of the file (up to the
 * diag's cap). Nodes already reported (poisoned) stay silent. Defaults are
 * set before conversion and overwritten key by key, which is also how
 * per-cluster remediation overrides and per-host hardware overrides merge.
 */
#include "scenarios/scenario.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/sarena.h"
#include "scenarios/scenario_internal.h"
#include "scenarios/scenario_keys.h"

/* ---- the format's keys ------------------------------------------------------ */

#define NKEYS(a)               (sizeof(a) / sizeof((a)[0]))
#define SCTX(name, what, keys) static const struct sctx name = {what, keys, NKEYS(keys)}

/* Distributions: one table per kind for the conversion, their union for paths. */
enum { KD_DIST, KD_A, KD_B, KD_OFFSET, KD_N };
static const struct skey dist_constant_keys[] = {
    {"dist", SK_LEAF, NULL}, {"value", SK_LEAF, NULL}, {"offset", SK_LEAF, NULL}};
static const struct skey dist_uniform_keys[] = {{"dist", SK_LEAF, NULL},
                                                {"min", SK_LEAF, NULL},
                                                {"max", SK_LEAF, NULL},
                                                {"offset", SK_LEAF, NULL}};
static const struct skey dist_exponential_keys[] = {
    {"dist", SK_LEAF, NULL}, {"mean", SK_LEAF, NULL}, {"offset", SK_LEAF, NULL}};
static const struct skey dist_normal_keys[] = {{"dist", SK_LEAF, NULL},
                                               {"mean", SK_LEAF, NULL},
                                               {"sd", SK_LEAF, NULL},
                                               {"offset", SK_LEAF, NULL}};
static const struct skey dist_lognormal_keys[] = {
    {"dist", SK_LEAF, NULL}, {"median", SK_LEAF, NULL}, {"p95", SK_LEAF, NULL},
    {"mu", SK_LEAF, NULL},   {"sigma", SK_LEAF, NULL},  {"offset", SK_LEAF, NULL}};
static const struct skey dist_gamma_keys[] = {{"dist", SK_LEAF, NULL},  {"mean", SK_LEAF, NULL},
                                              {"cv", SK_LEAF, NULL},    {"shape", SK_LEAF, NULL},
                                              {"scale", SK_LEAF, NULL}, {"offset", SK_LEAF, NULL}};
static const struct skey dist_weibull_keys[] = {{"dist", SK_LEAF, NULL},
                                                {"shape", SK_LEAF, NULL},
                                                {"scale", SK_LEAF, NULL},
                                                {"offset", SK_LEAF, NULL}};
static const struct skey dist_empirical_keys[] = {
    {"dist", SK_LEAF, NULL}, {"samples", SK_SEQ_OF_LEAF, NULL}, {"offset", SK_LEAF, NULL}};
static const struct skey dist_any_keys[] = {
    {"dist", SK_LEAF, NULL},   {"value", SK_LEAF, NULL},
    {"min", SK_LEAF, NULL},    {"max", SK_LEAF, NULL},
    {"mean", SK_LEAF, NULL},   {"sd", SK_LEAF, NULL},
    {"median", SK_LEAF, NULL}, {"p95", SK_LEAF, NULL},
    {"mu", SK_LEAF, NULL},     {"sigma", SK_LEAF, NULL},
    {"cv", SK_LEAF, NULL},     {"shape", SK_LEAF, NULL},
    {"scale", SK_LEAF, NULL},  {"samples", SK_SEQ_OF_LEAF, NULL},
    {"offset", SK_LEAF, NULL},
};
SCTX(dist_constant_ctx, "constant distribution", dist_constant_keys);
SCTX(dist_uniform_ctx, "uniform distribution", dist_uniform_keys);
SCTX(dist_exponential_ctx, "exponential distribution", dist_exponential_keys);
SCTX(dist_normal_ctx, "normal distribution", dist_normal_keys);
SCTX(dist_lognormal_ctx, "lognormal distribution", dist_lognormal_keys);
SCTX(dist_gamma_ctx, "gamma distribution", dist_gamma_keys);
SCTX(dist_weibull_ctx, "weibull distribution", dist_weibull_keys);
SCTX(dist_empirical_ctx, "empirical distribution", dist_empirical_keys);
SCTX(dist_any_ctx, "distribution", dist_any_keys);

enum { KS_BASE, KS_PER_GB, KS_PER_VCPU, KS_SIGMA, KS_N };
static const struct skey stun_keys[] = {
    [KS_BASE] = {"base", SK_LEAF, NULL},
    [KS_PER_GB] = {"per_gb", SK_LEAF, NULL},
    [KS_PER_VCPU] = {"per_vcpu", SK_LEAF, NULL},
    [KS_SIGMA] = {"sigma", SK_LEAF, NULL},
};
SCTX(stun_ctx, "stun", stun_keys);

enum { KF_STUN, KF_CONCURRENCY, KF_N };
static const struct skey fsr_keys[] = {
    [KF_STUN] = {"stun", SK_MAP, &stun_ctx},
    [KF_CONCURRENCY] = {"concurrency", SK_LEAF, NULL},
};
SCTX(fsr_ctx, "fsr", fsr_keys);

enum {
	KM_EFFICIENCY,
	KM_MAX_CONCURRENT,
	KM_TARGET,
	KM_OVERHEAD,
	KM_MAX_ROUNDS,
	KM_SDPS,
	KM_SDPS_FRACTION,
	KM_N
};
static const struct skey vmotion_keys[] = {
    [KM_EFFICIENCY] = {"efficiency", SK_LEAF, NULL},
    [KM_MAX_CONCURRENT] = {"max_concurrent", SK_LEAF, NULL},
    [KM_TARGET] = {"switchover_target", SK_LEAF, NULL},
    [KM_OVERHEAD] = {"switchover_overhead", SK_LEAF, NULL},
    [KM_MAX_ROUNDS] = {"max_rounds", SK_LEAF, NULL},
    [KM_SDPS] = {"sdps", SK_LEAF, NULL},
    [KM_SDPS_FRACTION] = {"sdps_dirty_fraction", SK_LEAF, NULL},
};
SCTX(vmotion_ctx, "vmotion", vmotion_keys);

enum {
	KH_ENTER_PARTIAL_MM,
	KH_MOUNT_REVISION,
	KH_PATCH_REVISION,
	KH_ROLLBACK,
	KH_FSR,
	KH_EXIT_PARTIAL_MM,
	KH_ENTER_MM,
	KH_INSTALL,
	KH_POST,
	KH_BOOT,
	KH_QUICK_BOOT,
	KH_EXIT_MM,
	KH_VM_SHUTDOWN,
	KH_VM_BOOT,
	KH_VMOTION,
	KH_N
};
static const struct skey hardware_keys[] = {
    [KH_ENTER_PARTIAL_MM] = {"enter_partial_mm", SK_DIST, &dist_any_ctx},
    [KH_MOUNT_REVISION] = {"mount_revision", SK_DIST, &dist_any_ctx},
    [KH_PATCH_REVISION] = {"patch_revision", SK_DIST, &dist_any_ctx},
    [KH_ROLLBACK] = {"rollback", SK_DIST, &dist_any_ctx},
    [KH_FSR] = {"fsr", SK_MAP, &fsr_ctx},
    [KH_EXIT_PARTIAL_MM] = {"exit_partial_mm", SK_DIST, &dist_any_ctx},
    [KH_ENTER_MM] = {"enter_mm", SK_DIST, &dist_any_ctx},
    [KH_INSTALL] = {"install", SK_DIST, &dist_any_ctx},
    [KH_POST] = {"post", SK_DIST, &dist_any_ctx},
    [KH_BOOT] = {"boot", SK_DIST, &dist_any_ctx},
    [KH_QUICK_BOOT] = {"quick_boot", SK_DIST, &dist_any_ctx},
    [KH_EXIT_MM] = {"exit_mm", SK_DIST, &dist_any_ctx},
    [KH_VM_SHUTDOWN] = {"vm_shutdown", SK_DIST, &dist_any_ctx},
    [KH_VM_BOOT] = {"vm_boot", SK_DIST, &dist_any_ctx},
    [KH_VMOTION] = {"vmotion", SK_MAP, &vmotion_ctx},
};
SCTX(hardware_ctx, "hardware", hardware_keys);

enum { KP_ENABLED, KP_MAX_HOSTS, KP_UNMOVABLE, KP_N };
static const struct skey parallel_keys[] = {
    [KP_ENABLED] = {"enabled", SK_LEAF, NULL},
    [KP_MAX_HOSTS] = {"max_hosts", SK_LEAF, NULL},
    [KP_UNMOVABLE] = {"unmovable_vms", SK_LEAF, NULL},
};
SCTX(parallel_ctx, "parallel", parallel_keys);

enum { KFA_RETRY_COUNT, KFA_RETRY_DELAY, KFA_TOLERANCE, KFA_RETRY_INSTALL, KFA_N };
static const struct skey failure_keys[] = {
    [KFA_RETRY_COUNT] = {"retry_count", SK_LEAF, NULL},
    [KFA_RETRY_DELAY] = {"retry_delay", SK_LEAF, NULL},
    [KFA_TOLERANCE] = {"failed_host_tolerance_pct", SK_LEAF, NULL},
    [KFA_RETRY_INSTALL] = {"retry_install", SK_LEAF, NULL},
};
SCTX(failure_ctx, "failure_action", failure_keys);

enum { KMR_POLICY, KMR_START, KMR_DELAY, KMR_N };
static const struct skey manual_keys[] = {
    [KMR_POLICY] = {"policy", SK_LEAF, NULL},
    [KMR_START] = {"start", SK_LEAF, NULL},
    [KMR_DELAY] = {"delay", SK_LEAF, NULL},
};
SCTX(manual_ctx, "manual_remediation", manual_keys);

enum {
	KR_PARALLEL,
	KR_POWER_ACTION,
	KR_FAILURE_ACTION,
	KR_QUICK_BOOT,
	KR_EVACUATE_OFFLINE,
	KR_DISABLE_HAC,
	KR_ADMIN_VMOTION,
	KR_MANUAL,
	KR_N
};
static const struct skey remediation_keys[] = {
    [KR_PARALLEL] = {"parallel", SK_MAP, &parallel_ctx},
    [KR_POWER_ACTION] = {"pre_remediation_power_action", SK_LEAF, NULL},
    [KR_FAILURE_ACTION] = {"failure_action", SK_MAP, &failure_ctx},
    [KR_QUICK_BOOT] = {"quick_boot", SK_LEAF, NULL},
    [KR_EVACUATE_OFFLINE] = {"evacuate_offline_vms", SK_LEAF, NULL},
    [KR_DISABLE_HAC] = {"disable_hac", SK_LEAF, NULL},
    [KR_ADMIN_VMOTION] = {"admin_vmotion", SK_LEAF, NULL},
    [KR_MANUAL] = {"manual_remediation", SK_MAP, &manual_ctx},
};
SCTX(remediation_ctx, "remediation", remediation_keys);

enum { KV_VERSION, KV_MODE, KV_REMEDIATION, KV_N };
static const struct skey vcenter_keys[] = {
    [KV_VERSION] = {"version", SK_LEAF, NULL},
    [KV_MODE] = {"live_patch_mode", SK_LEAF, NULL},
    [KV_REMEDIATION] = {"remediation", SK_MAP, &remediation_ctx},
};
SCTX(vcenter_ctx, "vcenter", vcenter_keys);

enum { KDRS_ENABLED, KDRS_AUTOMATION, KDRS_N };
static const struct skey drs_keys[] = {
    [KDRS_ENABLED] = {"enabled", SK_LEAF, NULL},
    [KDRS_AUTOMATION] = {"automation", SK_LEAF, NULL},
};
SCTX(drs_ctx, "drs", drs_keys);

enum { KHA_ENABLED, KHA_ADMISSION, KHA_N };
static const struct skey ha_keys[] = {
    [KHA_ENABLED] = {"enabled", SK_LEAF, NULL},
    [KHA_ADMISSION] = {"admission_control_pct", SK_LEAF, NULL},
};
SCTX(ha_ctx, "ha", ha_keys);

enum {
	KHO_NAME,
	KHO_COUNT,
	KHO_VERSION,
	KHO_CORES,
	KHO_MEMORY,
	KHO_TPM,
	KHO_DPU,
	KHO_GBPS,
	KHO_FAULT_DOMAIN,
	KHO_HARDWARE,
	KHO_BUILD,
	KHO_N
};
static const struct skey host_keys[] = {
    [KHO_NAME] = {"name", SK_LEAF, NULL},
    [KHO_COUNT] = {"count", SK_LEAF, NULL},
    [KHO_VERSION] = {"version", SK_LEAF, NULL},
    [KHO_CORES] = {"cores", SK_LEAF, NULL},
    [KHO_MEMORY] = {"memory_gb", SK_LEAF, NULL},
    [KHO_TPM] = {"tpm", SK_LEAF, NULL},
    [KHO_DPU] = {"dpu", SK_LEAF, NULL},
    [KHO_GBPS] = {"vmotion_gbps", SK_LEAF, NULL},
    [KHO_FAULT_DOMAIN] = {"fault_domain", SK_LEAF, NULL},
    [KHO_HARDWARE] = {"hardware", SK_MAP, &hardware_ctx},
    [KHO_BUILD] = {"build", SK_LEAF, NULL},
};
SCTX(host_ctx, "host", host_keys);

enum {
	KVM_NAME,
	KVM_COUNT,
	KVM_VCPUS,
	KVM_MEMORY,
	KVM_DIRTY,
	KVM_POWER,
	KVM_FT,
	KVM_DIRECTPATH,
	KVM_POD,
	KVM_SHARED_DISK,
	KVM_HOST,
	KVM_RESERVATION,
	KVM_VGPU,
	KVM_N
};
static const struct skey vm_keys[] = {
    [KVM_NAME] = {"name", SK_LEAF, NULL},
    [KVM_COUNT] = {"count", SK_LEAF, NULL},
    [KVM_VCPUS] = {"vcpus", SK_LEAF, NULL},
    [KVM_MEMORY] = {"memory_gb", SK_LEAF, NULL},
    [KVM_DIRTY] = {"dirty_mb_per_s", SK_LEAF, NULL},
    [KVM_POWER] = {"power", SK_LEAF, NULL},
    [KVM_FT] = {"ft", SK_LEAF, NULL},
    [KVM_DIRECTPATH] = {"directpath", SK_LEAF, NULL},
    [KVM_POD] = {"vsphere_pod", SK_LEAF, NULL},
    [KVM_SHARED_DISK] = {"shared_disk", SK_LEAF, NULL},
    [KVM_HOST] = {"host", SK_LEAF, NULL},
    [KVM_RESERVATION] = {"reservation_gb", SK_LEAF, NULL},
    [KVM_VGPU] = {"vgpu_gb", SK_LEAF, NULL},
};
SCTX(vm_ctx, "vm", vm_keys);

enum { KRU_TYPE, KRU_VMS, KRU_N };
static const struct skey rule_keys[] = {
    [KRU_TYPE] = {"type", SK_LEAF, NULL},
    [KRU_VMS] = {"vms", SK_SEQ_OF_LEAF, NULL},
};
SCTX(rule_ctx, "rule", rule_keys);

enum {
	KC_NAME,
	KC_COUNT,
	KC_DRS,
	KC_HA,
	KC_VSAN,
	KC_NSX,
	KC_PREFERRED_FD,
	KC_OVERCOMMIT,
	KC_MODE,
	KC_REMEDIATION,
	KC_HOSTS,
	KC_VMS,
	KC_RULES,
	KC_PASSTHROUGH_DRS,
	KC_N
};
static const struct skey cluster_keys[] = {
    [KC_NAME] = {"name", SK_LEAF, NULL},
    [KC_COUNT] = {"count", SK_LEAF, NULL},
    [KC_DRS] = {"drs", SK_MAP, &drs_ctx},
    [KC_HA] = {"ha", SK_MAP, &ha_ctx},
    [KC_VSAN] = {"vsan", SK_LEAF, NULL},
    [KC_NSX] = {"nsx", SK_LEAF, NULL},
    [KC_PREFERRED_FD] = {"preferred_fault_domain", SK_LEAF, NULL},
    [KC_OVERCOMMIT] = {"cpu_overcommit", SK_LEAF, NULL},
    [KC_MODE] = {"live_patch_mode", SK_LEAF, NULL},
    [KC_REMEDIATION] = {"remediation", SK_MAP, &remediation_ctx},
    [KC_HOSTS] = {"hosts", SK_SEQ_OF_MAP, &host_ctx},
    [KC_VMS] = {"vms", SK_SEQ_OF_MAP, &vm_ctx},
    [KC_RULES] = {"rules", SK_SEQ_OF_MAP, &rule_ctx},
    [KC_PASSTHROUGH_DRS] = {"passthrough_drs_automation", SK_LEAF, NULL},
};
SCTX(cluster_ctx, "cluster", cluster_keys);

enum { KRES_TEMPORARY, KRES_PERMANENT, KRES_N };
static const struct skey reservation_keys[] = {
    [KRES_TEMPORARY] = {"temporary", SK_LEAF, NULL},
    [KRES_PERMANENT] = {"permanent", SK_LEAF, NULL},
};
SCTX(reservation_ctx, "memory_reservation_gb", reservation_keys);

enum { KPA_NAME, KPA_LIVE_PATCHABLE, KPA_COMPONENTS, KPA_RESERVATION, KPA_BASE_BUILD, KPA_N };
static const struct skey patch_keys[] = {
    [KPA_NAME] = {"name", SK_LEAF, NULL},
    [KPA_LIVE_PATCHABLE] = {"live_patchable", SK_LEAF, NULL},
    [KPA_COMPONENTS] = {"components", SK_SEQ_OF_LEAF, NULL},
    [KPA_RESERVATION] = {"memory_reservation_gb", SK_MAP, &reservation_ctx},
    [KPA_BASE_BUILD] = {"base_build", SK_LEAF, NULL},
};
SCTX(patch_ctx, "patch", patch_keys);

enum { KFT_PATCH, KFT_FSR, KFT_VMOTION, KFT_CRASH, KFT_HA_RESTART, KFT_N };
static const struct skey faults_keys[] = {
    [KFT_PATCH] = {"patch_failure_prob", SK_LEAF, NULL},
    [KFT_FSR] = {"fsr_failure_prob", SK_LEAF, NULL},
    [KFT_VMOTION] = {"vmotion_failure_prob", SK_LEAF, NULL},
    [KFT_CRASH] = {"host_crash_prob", SK_LEAF, NULL},
    [KFT_HA_RESTART] = {"ha_restart", SK_DIST, &dist_any_ctx},
};
SCTX(faults_ctx, "faults", faults_keys);

enum { KAX_PATH, KAX_VALUES, KAX_N };
static const struct skey axis_keys[] = {
    [KAX_PATH] = {"path", SK_LEAF, NULL},
    [KAX_VALUES] = {"values", SK_SEQ_OF_LEAF, NULL},
};
SCTX(axis_ctx, "sweep axis", axis_keys);

enum {
	KT_LPSIM,
	KT_NAME,
	KT_DESCRIPTION,
	KT_SEED,
	KT_REPLICATIONS,
	KT_STRATEGIES,
	KT_HORIZON,
	KT_VCENTER,
	KT_CLUSTERS,
	KT_PATCH,
	KT_HARDWARE,
	KT_FAULTS,
	KT_SWEEP,
	KT_N
};
static const struct skey top_keys[] = {
    [KT_LPSIM] = {"lpsim", SK_LEAF, NULL},
    [KT_NAME] = {"name", SK_LEAF, NULL},
    [KT_DESCRIPTION] = {"description", SK_LEAF, NULL},
    [KT_SEED] = {"seed", SK_LEAF, NULL},
    [KT_REPLICATIONS] = {"replications", SK_LEAF, NULL},
    [KT_STRATEGIES] = {"strategies", SK_SEQ_OF_LEAF, NULL},
    [KT_HORIZON] = {"horizon", SK_LEAF, NULL},
    [KT_VCENTER] = {"vcenter", SK_MAP, &vcenter_ctx},
    [KT_CLUSTERS] = {"clusters", SK_SEQ_OF_MAP, &cluster_ctx},
    [KT_PATCH] = {"patch", SK_MAP, &patch_ctx},
    [KT_HARDWARE] = {"hardware", SK_MAP, &hardware_ctx},
    [KT_FAULTS] = {"faults", SK_MAP, &faults_ctx},
    [KT_SWEEP] = {"sweep", SK_SEQ_OF_MAP, &axis_ctx},
};
SCTX(top_ctx, "the scenario", top_keys);

/* ---- enum spellings, in enum order ---------------------------------------- */

static const char *const mode_names[] = {"enforce", "auto", "disable"};
static const char *const power_action_names[] = {"do_not_change",      "power_off",
                                                 "suspend",            "suspend_to_memory",
                                                 "power_off_unmovable", "suspend_unmovable"};
static const char *const prep_action_names[] = {"power_off", "suspend", "skip_host"};
static const char *const manual_policy_names[] = {"none", "auto", "power_cycle"};
static const char *const manual_start_names[] = {"after_host", "after_cluster"};
static const char *const drs_names[] = {"manual", "partially_automated", "fully_automated"};
static const char *const power_names[] = {"on", "off", "suspended"};
static const char *const rule_names[] = {"vm_affinity", "vm_anti_affinity"};
static const char *const strategy_names[] = {"live_patch", "classic"};
static const char *const component_names[] = {"vmx", "vmkernel", "daemons"};
static const char *const dist_names[] = {"constant",  "uniform", "exponential", "normal",
                                         "lognormal", "gamma",   "weibull",     "empirical"};

/* ---- did you mean ------------------------------------------------------------ */

/* Optimal string alignment distance (Damerau-Levenshtein without substring moves). */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
	enum { MAXL = 64 };
	size_t d[MAXL + 1][MAXL + 1];
	if (la > MAXL || lb > MAXL)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

const char *scenario__suggest(const char *s, size_t len, const char *const *names, size_t n)
{
	char low[65];
	if (len == 0 || len > 64)
		return NULL;
	for (size_t i = 0; i < len; i++)
		low[i] = lower(s[i]) == '-' ? '_' : lower(s[i]);
	low[len] = '\0';
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t k = 0; k < n; k++) {
		size_t nl = strlen(names[k]);
		size_t dd = osa_distance(low, len, names[k], nl);
		size_t limit = nl <= 3 ? 1 : nl <= 5 ? 1 : 2;
		/* Same letters up to case and '-' for '_': always a match. */
		if (dd == 0) {
			best = names[k];
			best_d = 0;
			break;
		}
		if (dd > limit || dd >= len)
			continue;
		/* Ties go to the longer common prefix ("of": off, not on). */
		if (dd < best_d ||
		    (dd == best_d && common_prefix(low, names[k]) > common_prefix(low, best))) {
			best = names[k];
			best_d = dd;
		}
	}
	return best;
}

/* ---- conversion context and scalar helpers --------------------------------- */

struct conv {
	struct diag *d;
	struct scenario *s;
	struct sarena *a;
	bool oom;
	bool silent; /* a value was not converted, silently: its node was already reported */
};

/* What a node is, for "(got ...)": the text of a scalar, else its kind. */
static const char *got(const struct ynode *n, char *buf, size_t len)
{
	if (n->kind != YNODE_SCALAR) {
		if (n->len == 0)
			snprintf(buf, len, "an empty %s", ynode_kind_name(n->kind) + 2);
		else
			snprintf(buf, len, "%s with %zu %s", ynode_kind_name(n->kind), n->len,
			         n->kind == YNODE_MAPPING ? (n->len == 1 ? "key" : "keys")
			                                  : (n->len == 1 ? "item" : "items"));
		return buf;
	}
	if (!n->quoted && n->len == 0) {
		snprintf(buf, len, "nothing");
		return buf;
	}
	char snip[64];
	diag_snippet(snip, sizeof(snip), n->str, n->len);
	if (n->quoted)
		snprintf(buf, len, "\"%s\"", snip);
	else
		snprintf(buf, len, "%s", snip);
	return buf;
}

/* "'key' must be EXPECTED (got ...)" at n, unless n was already reported. */
static void conv_expected(struct conv *c, const struct ynode *n, const char *key,
                          const char *expected)
{
	if (n->poisoned) {
		c->silent = true;
		return;
	}
	if (diag_full(c->d)) {
		c->d->dropped++;
		return;
	}
	char g[80];
	diag_error(c->d, ynode_pos(n), "'%s' must be %s (got %s)", key, expected,
	           got(n, g, sizeof(g)));
}

/* A number for messages: integers without exponent, others as %g. */
static const char *fmt_num(double v, char *buf, size_t len)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
	return buf;
}

static bool conv_scalar_text(struct conv *c, const struct ynode *n, const char *key,
                             const char *expected)
{
	if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		conv_expected(c, n, key, expected);
		return false;
	}
	if (n->poisoned) {
		c->silent = true;
		return false;
	}
	return true;
}

static bool is_int_text(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/* YAML 1.2 core decimal number (no hex, octal, .inf or .nan). */
static bool is_number_text(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	size_t digits = 0;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static bool conv_bool(struct conv *c, const struct ynode *n, const char *key, bool *out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "true or false"))
		return false;
	const char *s = n->str;
	if (!n->quoted && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) {
		*out = true;
		return true;
	}
	if (!n->quoted && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))) {
		*out = false;
		return true;
	}
	conv_expected(c, n, key, "true or false");
	return false;
}

/* An integer in [min, max]. */
static bool conv_long(struct conv *c, const struct ynode *n, const char *key, long min, long max,
                      long *out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "an integer"))
		return false;
	if (n->quoted || !is_int_text(n->str)) {
		conv_expected(c, n, key, "an integer");
		return false;
	}
	errno = 0;
	long v = strtol(n->str, NULL, 10);
	bool range = errno == ERANGE;
	char g[80];
	if (v < min || (range && n->str[0] == '-')) {
		diag_error(c->d, ynode_pos(n), "'%s' must be >= %ld (got %s)", key, min,
		           got(n, g, sizeof(g)));
		return false;
	}
	if (v > max || range) {
		diag_error(c->d, ynode_pos(n), "'%s' must be <= %ld (got %s)", key, max,
		           got(n, g, sizeof(g)));
		return false;
	}
	*out = v;
	return true;
}

static bool conv_int(struct conv *c, const struct ynode *n, const char *key, long min, long max,
                     int *out)
{
	long v;
	if (!n)
		return true;
	if (!conv_long(c, n, key, min, max, &v))
		return false;
	*out = (int)v;
	return true;
}

/* A number in [lo, hi] ((lo, hi] when lo_open). */
static bool conv_number(struct conv *c, const struct ynode *n, const char *key, double lo,
                        bool lo_open, double hi, double *out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "a number"))
		return false;
	if (n->quoted || !is_number_text(n->str)) {
		conv_expected(c, n, key, "a number");
		return false;
	}
	double v = strtod(n->str, NULL);
	char g[80];
	char b[40];
	if (!isfinite(v) || v > hi) {
		diag_error(c->d, ynode_pos(n), "'%s' must be <= %s (got %s)", key,
		           fmt_num(hi, b, sizeof(b)), got(n, g, sizeof(g)));
		return false;
	}
	if (lo_open ? !(v > lo) : !(v >= lo)) {
		diag_error(c->d, ynode_pos(n), "'%s' must be %s %s (got %s)", key,
		           lo_open ? ">" : ">=", fmt_num(lo, b, sizeof(b)), got(n, g, sizeof(g)));
		return false;
	}
	*out = v == 0 ? 0 : v;
	return true;
}

static bool conv_prob(struct conv *c, const struct ynode *n, const char *key, double *out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "a probability between 0 and 1"))
		return false;
	double v = -1;
	if (!n->quoted && is_number_text(n->str))
		v = strtod(n->str, NULL);
	if (!(v >= 0 && v <= 1)) {
		conv_expected(c, n, key, "a probability between 0 and 1");
		return false;
	}
	*out = v == 0 ? 0 : v;
	return true;
}

static bool conv_duration(struct conv *c, const struct ynode *n, const char *key, double *out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "a duration such as 30s, 5m or 2h"))
		return false;
	char why[120] = "not text";
	double v;
	char g[80];
	if (n->len != strlen(n->str) || !scenario_parse_duration(n->str, &v, why, sizeof(why))) {
		if (!strcmp(why, "negative"))
			diag_error(c->d, ynode_pos(n), "'%s' must not be negative (got %s)", key,
			           got(n, g, sizeof(g)));
		else
			diag_error(c->d, ynode_pos(n),
			           "'%s' must be a duration such as 30s, 5m or 2h (got %s: %s)",
			           key, got(n, g, sizeof(g)), why);
		return false;
	}
	*out = v;
	return true;
}

static bool conv_enum(struct conv *c, const struct ynode *n, const char *key,
                      const char *const *names, size_t nnames, int *out)
{
	if (!n)
		return true;
	char expected[160] = "one of ";
	for (size_t i = 0; i < nnames; i++) {
		strncat(expected, names[i], sizeof(expected) - strlen(expected) - 1);
		if (i + 1 < nnames)
			strncat(expected, i + 2 == nnames ? " or " : ", ",
			        sizeof(expected) - strlen(expected) - 1);
	}
	if (!conv_scalar_text(c, n, key, expected))
		return false;
	for (size_t i = 0; i < nnames; i++) {
		if (n->len == strlen(names[i]) && !strcmp(n->str, names[i])) {
			*out = (int)i;
			return true;
		}
	}
	const char *hint = scenario__suggest(n->str, n->len, names, nnames);
	char g[80];
	if (hint)
		diag_error(c->d, ynode_pos(n), "'%s' must be %s (got %s; did you mean '%s'?)", key,
		           expected, got(n, g, sizeof(g)), hint);
	else
		conv_expected(c, n, key, expected);
	return false;
}

/* Any non-null scalar as text, copied into the scenario. */
static bool conv_string(struct conv *c, const struct ynode *n, const char *key, const char **out)
{
	if (!n)
		return true;
	if (!conv_scalar_text(c, n, key, "a string"))
		return false;
	if (strlen(n->str) != n->len) {
		diag_error(c->d, ynode_pos(n), "'%s' must not contain NUL characters", key);
		return false;
	}
	char *s = sarena_strndup(c->a, n->str, n->len);
	if (!s) {
		c->oom = true;
		return false;
	}
	*out = s;
	return true;
}

static bool conv_version(struct conv *c, const struct ynode *n, const char *key, uint32_t *out)
{
	if (!n)
		return true;
	const char *expected = "a version such as 8.0.3 or 9.1";
	if (!conv_scalar_text(c, n, key, expected))
		return false;
	if (strlen(n->str) != n->len || !scenario_parse_version(n->str, out)) {
		conv_expected(c, n, key, expected);
		return false;
	}
	return true;
}

/*
 * Checks that n (the value of key) is a mapping. Returns 1 for a mapping,
 * 0 for null or absent (nothing to convert), -1 after an error.
 */
static int conv_is_map(struct conv *c, const struct ynode *n, const char *key)
{
	if (!n || ynode_is_null(n))
		return 0;
	if (n->kind != YNODE_MAPPING) {
		const char *example = scenario_hint_example(key);
		char g[80];
		if (!example || n->poisoned || diag_full(c->d))
			conv_expected(c, n, key, "a mapping");
		else /* a scalar where a mapping goes: show one */
			diag_error(c->d, ynode_pos(n), "'%s' must be a mapping (got %s), e.g. %s", key,
			           got(n, g, sizeof(g)), example);
		return -1;
	}
	return 1;
}

static int conv_is_seq(struct conv *c, const struct ynode *n, const char *key)
{
	if (!n || ynode_is_null(n))
		return 0;
	if (n->kind != YNODE_SEQUENCE) {
		conv_expected(c, n, key, "a sequence");
		return -1;
	}
	return 1;
}

/*
 * Looks up every key of mapping m in ctx: vals[i] gets the value of
 * ctx->keys[i] or NULL. Unknown keys are errors, with a did-you-mean.
 */
static void conv_fields(struct conv *c, const struct ynode *m, const struct sctx *ctx,
                        const struct ynode **vals)
{
	const char *names[32];
	for (size_t k = 0; k < ctx->nkeys; k++) {
		vals[k] = NULL;
		names[k] = ctx->keys[k].name;
	}
	if (!m || m->kind != YNODE_MAPPING)
		return;
	for (size_t i = 0; i < m->len; i++) {
		const struct ynode *key = m->items[2 * i];
		size_t k = 0;
		while (k < ctx->nkeys &&
		       !(strlen(names[k]) == key->len && !memcmp(names[k], key->str, key->len)))
			k++;
		if (k < ctx->nkeys) {
			vals[k] = m->items[2 * i + 1];
			continue;
		}
		if (key->poisoned || m->poisoned)
			continue;
		/* Top-level "x-..." keys are free for anchors (templates), as in compose files. */
		if (ctx == &top_ctx && key->len >= 2 && !memcmp(key->str, "x-", 2))
			continue;
		if (diag_full(c->d)) {
			c->d->dropped++; /* no need to look for a suggestion */
			continue;
		}
		char snip[64];
		diag_snippet(snip, sizeof(snip), key->str, key->len);
		const char *hint = scenario__suggest(key->str, key->len, names, ctx->nkeys);
		char path[256];
		if (!hint)
			hint = scenario_hint_synonym(key->str, key->len, names, ctx->nkeys);
		if (!hint && scenario_hint_path(&top_ctx, ctx, key->str, key->len, path, sizeof(path))) {
			diag_error(c->d, ynode_pos(key), "unknown key '%s' in %s (it belongs at %s)",
			           snip, ctx->what, path);
		} else if (hint) {
			diag_error(c->d, ynode_pos(key),
			           "unknown key '%s' in %s (did you mean '%s'?)", snip, ctx->what,
			           hint);
		} else if (ctx->nkeys <= 6) {
			char list[160] = "";
			for (size_t j = 0; j < ctx->nkeys; j++) {
				strncat(list, names[j], sizeof(list) - strlen(list) - 1);
				if (j + 1 < ctx->nkeys)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			}
			diag_error(c->d, ynode_pos(key), "unknown key '%s' in %s (expected %s)",
			           snip, ctx->what, list);
		} else {
			diag_error(c->d, ynode_pos(key), "unknown key '%s' in %s", snip, ctx->what);
		}
	}
}

static void conv_missing(struct conv *c, const struct ynode *m, const char *key, const char *what)
{
	if (m->poisoned) {
		c->silent = true;
		return;
	}
	diag_error(c->d, ynode_pos(m), "missing required key '%s' in %s", key, what);
}

/* ---- distributions ------------------------------------------------------------ */

static const struct sctx *const dist_ctxs[] = {
    [DIST_CONSTANT] = &dist_constant_ctx,       [DIST_UNIFORM] = &dist_uniform_ctx,
    [DIST_EXPONENTIAL] = &dist_exponential_ctx, [DIST_NORMAL] = &dist_normal_ctx,
    [DIST_LOGNORMAL] = &dist_lognormal_ctx,     [DIST_GAMMA] = &dist_gamma_ctx,
    [DIST_WEIBULL] = &dist_weibull_ctx,         [DIST_EMPIRICAL] = &dist_empirical_ctx,
};

/* The value of key in a distribution mapping (NULL when absent). */
static const struct ynode *dist_val(const struct ynode *const *vals, const struct sctx *ctx,
                                    const char *key)
{
	for (size_t k = 0; k < ctx->nkeys; k++)
		if (!strcmp(ctx->keys[k].name, key))
			return vals[k];
	return NULL;
}

/* Two alternative parameter pairs (a1, a2) or (b1, b2): exactly one, complete. */
static int dist_form(struct conv *c, const struct ynode *m, const char *kind,
                     const struct ynode *a1, const struct ynode *a2, const char *na1,
                     const char *na2, const struct ynode *b1, const struct ynode *b2,
                     const char *nb1, const char *nb2)
{
	bool a = a1 || a2;
	bool b = b1 || b2;
	if (a && b) {
		diag_error(c->d, ynode_pos(m),
		           "a %s distribution takes %s and %s, or %s and %s, not a mix", kind, na1,
		           na2, nb1, nb2);
		return -1;
	}
	if (!a && !b) {
		diag_error(c->d, ynode_pos(m), "a %s distribution needs %s and %s, or %s and %s",
		           kind, na1, na2, nb1, nb2);
		return -1;
	}
	if (a && !(a1 && a2)) {
		diag_error(c->d, ynode_pos(m),
		           "missing required key '%s' in %s distribution (it goes with '%s')",
		           a1 ? na2 : na1, kind, a1 ? na1 : na2);
		return -1;
	}
	if (b && !(b1 && b2)) {
		diag_error(c->d, ynode_pos(m),
		           "missing required key '%s' in %s distribution (it goes with '%s')",
		           b1 ? nb2 : nb1, kind, b1 ? nb1 : nb2);
		return -1;
	}
	return a ? 0 : 1;
}

static bool dist_need(struct conv *c, const struct ynode *m, const struct ynode *v, const char *key,
                      const char *kind)
{
	if (v)
		return true;
	diag_error(c->d, ynode_pos(m), "missing required key '%s' in %s distribution", key, kind);
	return false;
}

/* "'KEY' must be > 0" at v, the node of parameter p, unless p > 0. */
static bool dist_positive(struct conv *c, const struct ynode *v, double p, const char *key)
{
	char g[80];
	if (p > 0)
		return true;
	diag_error(c->d, ynode_pos(v), "'%s' must be > 0 (got %s)", key, got(v, g, sizeof(g)));
	return false;
}

/*
 * A latency: a duration (a constant) or a mapping with 'dist:'. *out is
 * replaced only when the whole value is good.
 */
static bool conv_dist(struct conv *c, const struct ynode *n, const char *key, struct dist *out)
{
	if (!n)
		return true;
	if (n->kind == YNODE_SCALAR && !ynode_is_null(n)) {
		double v;
		if (!conv_duration(c, n, key, &v))
			return false;
		*out = dist_constant(v);
		return true;
	}
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, key, "a duration or a mapping with 'dist:'");
		return false;
	}
	const struct ynode *kindn = ynode_get(n, "dist");
	if (!kindn) {
		const struct ynode *any[NKEYS(dist_any_keys)];
		conv_fields(c, n, &dist_any_ctx, any);
		c->silent |= n->poisoned;
		if (!n->poisoned)
			diag_error(c->d, ynode_pos(n),
			           "missing required key 'dist' in '%s' (one of constant, uniform, "
			           "exponential, normal, lognormal, gamma, weibull or empirical)",
			           key);
		return false;
	}
	int kind;
	if (!conv_enum(c, kindn, "dist", dist_names, NKEYS(dist_names), &kind)) {
		const struct ynode *any[NKEYS(dist_any_keys)];
		conv_fields(c, n, &dist_any_ctx, any);
		return false;
	}
	const struct sctx *ctx = dist_ctxs[kind];
	const struct ynode *vals[8];
	size_t errors = c->d->n + c->d->dropped;
	conv_fields(c, n, ctx, vals);
	const char *kname = dist_names[kind];

	/* Every parameter but mu, sigma, cv and shape is a duration. */
	double p[8] = {0};
	bool ok = true;
	for (size_t k = 1; k < ctx->nkeys; k++) {
		const char *pk = ctx->keys[k].name;
		if (!vals[k] || ctx->keys[k].kind == SK_SEQ_OF_LEAF)
			continue;
		if (!strcmp(pk, "mu"))
			ok &= conv_number(c, vals[k], pk, -50, false, 50, &p[k]);
		else if (!strcmp(pk, "sigma") || !strcmp(pk, "cv") || !strcmp(pk, "shape"))
			ok &= conv_number(c, vals[k], pk, 0, true, 1e6, &p[k]);
		else
			ok &= conv_duration(c, vals[k], pk, &p[k]);
	}
	double offset = 0;
	const struct ynode *offn = dist_val(vals, ctx, "offset");
	for (size_t k = 0; k < ctx->nkeys; k++)
		if (vals[k] == offn)
			offset = p[k];

	struct dist d = dist_constant(0);
	switch ((enum dist_kind)kind) {
	case DIST_CONSTANT:
		ok &= dist_need(c, n, vals[1], "value", kname);
		d = dist_constant(p[1]);
		break;
	case DIST_UNIFORM:
		ok &= dist_need(c, n, vals[1], "min", kname);
		ok &= dist_need(c, n, vals[2], "max", kname);
		if (ok && p[1] > p[2]) {
			char g1[80];
			char g2[80];
			diag_error(c->d, ynode_pos(vals[1]),
			           "'min' must be <= 'max' (got min %s, max %s)",
			           got(vals[1], g1, sizeof(g1)), got(vals[2], g2, sizeof(g2)));
			ok = false;
		}
		d = dist_uniform(p[1], p[2]);
		break;
	case DIST_EXPONENTIAL:
		ok &= dist_need(c, n, vals[1], "mean", kname);
		ok = ok && dist_positive(c, vals[1], p[1], "mean");
		d = dist_exponential(p[1]);
		break;
	case DIST_NORMAL:
		ok &= dist_need(c, n, vals[1], "mean", kname);
		ok &= dist_need(c, n, vals[2], "sd", kname);
		d = dist_normal(p[1], p[2]);
		break;
	case DIST_LOGNORMAL: {
		int form = dist_form(c, n, kname, vals[1], vals[2], "median", "p95", vals[3],
		                     vals[4], "mu", "sigma");
		if (form < 0) {
			ok = false;
		} else if (form == 0) {
			char g1[80];
			char g2[80];
			ok = ok && dist_positive(c, vals[1], p[1], "median");
			if (ok && !(p[2] > p[1])) {
				diag_error(c->d, ynode_pos(vals[2]),
				           "'p95' must be > 'median' (got p95 %s, median %s)",
				           got(vals[2], g2, sizeof(g2)),
				           got(vals[1], g1, sizeof(g1)));
				ok = false;
			}
			if (ok)
				d = dist_lognormal_median_p95(p[1], p[2]);
		} else {
			d = dist_lognormal(p[3], p[4]);
		}
		break;
	}
	case DIST_GAMMA: {
		int form = dist_form(c, n, kname, vals[1], vals[2], "mean", "cv", vals[3], vals[4],
		                     "shape", "scale");
		if (form < 0) {
			ok = false;
		} else if (form == 0) {
			ok = ok && dist_positive(c, vals[1], p[1], "mean");
			d = dist_gamma_mean_cv(p[1], p[2]);
		} else {
			ok = ok && dist_positive(c, vals[4], p[4], "scale");
			d = dist_gamma(p[3], p[4]);
		}
		break;
	}
	case DIST_WEIBULL:
		ok &= dist_need(c, n, vals[1], "shape", kname);
		ok &= dist_need(c, n, vals[2], "scale", kname);
		ok = ok && dist_positive(c, vals[2], p[2], "scale");
		d = dist_weibull(p[1], p[2]);
		break;
	case DIST_EMPIRICAL: {
		const struct ynode *sn = vals[1];
		ok &= dist_need(c, n, sn, "samples", kname);
		if (!sn)
			break;
		if (sn->kind != YNODE_SEQUENCE || sn->len == 0) {
			conv_expected(c, sn, "samples", "a non-empty sequence of durations");
			ok = false;
			break;
		}
		if (sn->len > (size_t)SCENARIO_MAX_SAMPLES) {
			diag_error(c->d, ynode_pos(sn),
			           "'samples' has %zu values, more than the limit of %ld", sn->len,
			           SCENARIO_MAX_SAMPLES);
			ok = false;
			break;
		}
		double *v = sarena_array(c->a, sn->len, sizeof(*v));
		if (!v) {
			c->oom = true;
			return false;
		}
		for (size_t i = 0; i < sn->len; i++)
			ok &= conv_duration(c, sn->items[i], "samples", &v[i]);
		d = dist_empirical(v, sn->len);
		break;
	}
	}
	if (!ok || c->d->n + c->d->dropped > errors)
		return false;
	d.offset = offset;
	const char *why = dist_check(&d);
	if (why) {
		diag_error(c->d, ynode_pos(n), "bad %s distribution for '%s': %s", kname, key, why);
		return false;
	}
	*out = d;
	return true;
}

/* ---- sections ----------------------------------------------------------------- */

static void conv_stun(struct conv *c, const struct ynode *n, struct scenario_stun *st)
{
	if (!n)
		return;
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, "stun", "a mapping with base, per_gb, per_vcpu and sigma");
		return;
	}
	const struct ynode *v[KS_N];
	conv_fields(c, n, &stun_ctx, v);
	conv_duration(c, v[KS_BASE], "base", &st->base);
	conv_duration(c, v[KS_PER_GB], "per_gb", &st->per_gb);
	conv_duration(c, v[KS_PER_VCPU], "per_vcpu", &st->per_vcpu);
	conv_number(c, v[KS_SIGMA], "sigma", 0, false, 10, &st->sigma);
}

/* Overwrites the keys of hw that the mapping n sets. */
static void conv_hardware(struct conv *c, const struct ynode *n, struct scenario_hardware *hw)
{
	if (conv_is_map(c, n, "hardware") <= 0)
		return;
	const struct ynode *v[KH_N];
	conv_fields(c, n, &hardware_ctx, v);
	conv_dist(c, v[KH_ENTER_PARTIAL_MM], "enter_partial_mm", &hw->enter_partial_mm);
	conv_dist(c, v[KH_MOUNT_REVISION], "mount_revision", &hw->mount_revision);
	conv_dist(c, v[KH_PATCH_REVISION], "patch_revision", &hw->patch_revision);
	conv_dist(c, v[KH_ROLLBACK], "rollback", &hw->rollback);
	conv_dist(c, v[KH_EXIT_PARTIAL_MM], "exit_partial_mm", &hw->exit_partial_mm);
	conv_dist(c, v[KH_ENTER_MM], "enter_mm", &hw->enter_mm);
	conv_dist(c, v[KH_INSTALL], "install", &hw->install);
	conv_dist(c, v[KH_POST], "post", &hw->post);
	conv_dist(c, v[KH_BOOT], "boot", &hw->boot);
	conv_dist(c, v[KH_QUICK_BOOT], "quick_boot", &hw->quick_boot);
	conv_dist(c, v[KH_EXIT_MM], "exit_mm", &hw->exit_mm);
	conv_dist(c, v[KH_VM_SHUTDOWN], "vm_shutdown", &hw->vm_shutdown);
	conv_dist(c, v[KH_VM_BOOT], "vm_boot", &hw->vm_boot);
	if (conv_is_map(c, v[KH_FSR], "fsr") > 0) {
		const struct ynode *f[KF_N];
		conv_fields(c, v[KH_FSR], &fsr_ctx, f);
			conv_stun(c, f[KF_STUN], &hw->fsr_stun);
		conv_int(c, f[KF_CONCURRENCY], "concurrency", 1, SCENARIO_MAX_CONCURRENCY,
		         &hw->fsr_concurrency);
	}
	if (conv_is_map(c, v[KH_VMOTION], "vmotion") > 0) {
		const struct ynode *m[KM_N];
		struct scenario_vmotion *vm = &hw->vmotion;
		conv_fields(c, v[KH_VMOTION], &vmotion_ctx, m);
							conv_number(c, m[KM_EFFICIENCY], "efficiency", 0, true, 1, &vm->efficiency);
		conv_int(c, m[KM_MAX_CONCURRENT], "max_concurrent", 1, SCENARIO_MAX_CONCURRENCY,
		         &vm->max_concurrent);
		conv_duration(c, m[KM_TARGET], "switchover_target", &vm->switchover_target);
		conv_duration(c, m[KM_OVERHEAD], "switchover_overhead", &vm->switchover_overhead);
		conv_int(c, m[KM_MAX_ROUNDS], "max_rounds", 1, SCENARIO_MAX_ROUNDS,
		         &vm->max_rounds);
		conv_bool(c, m[KM_SDPS], "sdps", &vm->sdps);
		conv_number(c, m[KM_SDPS_FRACTION], "sdps_dirty_fraction", 0, true, 1,
		            &vm->sdps_dirty_fraction);
	}
}

/* Where pre_remediation_power_action and quick_boot were set by one remediation mapping. */
struct remediation_set {
	const struct ynode *power_action;
	const struct ynode *quick_boot;
};

/* Overwrites the keys of r that the mapping n sets. */
static void conv_remediation(struct conv *c, const struct ynode *n, struct scenario_remediation *r,
                             struct remediation_set *set)
{
	memset(set, 0, sizeof(*set));
	if (conv_is_map(c, n, "remediation") <= 0)
		return;
	const struct ynode *v[KR_N];
	conv_fields(c, n, &remediation_ctx, v);
	if (conv_is_map(c, v[KR_PARALLEL], "parallel") > 0) {
		const struct ynode *p[KP_N];
		conv_fields(c, v[KR_PARALLEL], &parallel_ctx, p);
		conv_bool(c, p[KP_ENABLED], "enabled", &r->parallel_enabled);
		const struct ynode *mh = p[KP_MAX_HOSTS];
		if (mh && mh->kind == YNODE_SCALAR && !mh->quoted && !strcmp(mh->str, "auto")) {
			r->max_hosts = SCENARIO_MAX_HOSTS_AUTO;
		} else if (mh && mh->poisoned) {
			c->silent = true;
		} else if (mh) {
			long v2 = 0;
			bool ok = mh->kind == YNODE_SCALAR && !mh->quoted && is_int_text(mh->str);
			if (ok) {
				errno = 0;
				v2 = strtol(mh->str, NULL, 10);
				ok = errno == 0 && v2 >= 1 && v2 <= SCENARIO_MAX_PARALLEL_HOSTS;
			}
			if (ok)
				r->max_hosts = (int)v2;
			else
				conv_expected(c, mh, "max_hosts", "1..96 or auto");
		}
		int pa;
		if (p[KP_UNMOVABLE] && conv_enum(c, p[KP_UNMOVABLE], "unmovable_vms", prep_action_names,
		                                 NKEYS(prep_action_names), &pa))
			r->prep_action = (enum scenario_prep_action)pa;
	}
	int e;
	if (v[KR_POWER_ACTION] && conv_enum(c, v[KR_POWER_ACTION], "pre_remediation_power_action",
	                                    power_action_names, NKEYS(power_action_names), &e)) {
		set->power_action = v[KR_POWER_ACTION];
		r->power_action = (enum scenario_power_action)e;
	}
	if (conv_is_map(c, v[KR_FAILURE_ACTION], "failure_action") > 0) {
		const struct ynode *f[KFA_N];
		conv_fields(c, v[KR_FAILURE_ACTION], &failure_ctx, f);
		conv_int(c, f[KFA_RETRY_COUNT], "retry_count", 0, SCENARIO_MAX_RETRIES,
		         &r->retry_count);
		conv_duration(c, f[KFA_RETRY_DELAY], "retry_delay", &r->retry_delay);
		conv_number(c, f[KFA_TOLERANCE], "failed_host_tolerance_pct", 0, false, 100,
		            &r->failed_host_tolerance_pct);
		conv_bool(c, f[KFA_RETRY_INSTALL], "retry_install", &r->retry_install);
	}
	if (v[KR_QUICK_BOOT] && conv_bool(c, v[KR_QUICK_BOOT], "quick_boot", &r->quick_boot))
		set->quick_boot = v[KR_QUICK_BOOT];
	conv_bool(c, v[KR_EVACUATE_OFFLINE], "evacuate_offline_vms", &r->evacuate_offline_vms);
	conv_bool(c, v[KR_DISABLE_HAC], "disable_hac", &r->disable_hac);
	conv_bool(c, v[KR_ADMIN_VMOTION], "admin_vmotion", &r->admin_vmotion);
	if (conv_is_map(c, v[KR_MANUAL], "manual_remediation") > 0) {
		const struct ynode *m[KMR_N];
		conv_fields(c, v[KR_MANUAL], &manual_ctx, m);
		if (conv_enum(c, m[KMR_POLICY], "policy", manual_policy_names,
		              NKEYS(manual_policy_names), &e) &&
		    m[KMR_POLICY])
			r->manual_policy = (enum scenario_manual_policy)e;
		if (conv_enum(c, m[KMR_START], "start", manual_start_names,
		              NKEYS(manual_start_names), &e) &&
		    m[KMR_START])
			r->manual_start = (enum scenario_manual_start)e;
		conv_duration(c, m[KMR_DELAY], "delay", &r->manual_delay);
	}
}

/* suspend_to_memory needs Quick Boot; reported where this mapping set either. */
static void check_suspend_to_memory(struct conv *c, const struct scenario_remediation *r,
                                    const struct remediation_set *set)
{
	if (r->power_action != SCENARIO_POWER_ACTION_SUSPEND_TO_MEMORY || r->quick_boot)
		return;
	const struct ynode *at = set->power_action ? set->power_action : set->quick_boot;
	if (!at)
		return;
	diag_error(c->d, ynode_pos(at),
	           "'pre_remediation_power_action: suspend_to_memory' needs 'quick_boot: true'");
}

static bool name_char_ok(unsigned char ch)
{
	return ch >= 0x20 && ch != 0x7f && ch != '/' && ch != ',' && ch != '"' && ch != '[' &&
	       ch != ']';
}

/*
 * A name pattern of an entry making count entities of kind what ("host"):
 * one integer conversion at most, needed when count > 1; allowed
 * characters; expanded length within SCENARIO_MAX_NAME_LEN.
 */
static bool conv_name_pattern(struct conv *c, const struct ynode *n, long count, const char *what,
                              const char *plural, const char **out)
{
	if (!conv_string(c, n, "name", out))
		return false;
	const char *p = *out;
	char why[160];
	char snip[64];
	bool has_conv;
	diag_snippet(snip, sizeof(snip), n->str, n->len);
	if (!scenario_name_pattern_ok(p, &has_conv, why, sizeof(why))) {
		diag_error(c->d, ynode_pos(n), "bad name pattern '%s': %s", snip, why);
		*out = NULL;
		return false;
	}
	for (const char *q = p; *q; q++) {
		/* C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) as C0 ones. */
		bool c1 = (unsigned char)q[0] == 0xc2 && (unsigned char)q[1] >= 0x80 &&
		          (unsigned char)q[1] <= 0x9f;
		if (c1 || !name_char_ok((unsigned char)*q)) {
			char chs[16];
			if (c1)
				snprintf(chs, sizeof(chs), "U+%04X", (unsigned char)q[1]);
			else
				diag_snippet(chs, sizeof(chs), q, 1);
			diag_error(c->d, ynode_pos(n),
			           "%s name '%s' must not contain '%s' (nor control characters, "
			           "'/', ',', '\"', '[' or ']')",
			           what, snip, chs);
			*out = NULL;
			return false;
		}
	}
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	int len = scenario_name_expand(p, count > 0 ? count : 1, buf, sizeof(buf));
	if (len == -ENOSPC) {
		diag_error(c->d, ynode_pos(n), "%s name '%s' is longer than the limit of %d bytes",
		           what, snip, SCENARIO_MAX_NAME_LEN);
		*out = NULL;
		return false;
	}
	if (len == 0) {
		diag_error(c->d, ynode_pos(n), "a %s name must not be empty", what);
		*out = NULL;
		return false;
	}
	if (!has_conv && count > 1) {
		diag_error(c->d, ynode_pos(n),
		           "name '%s' has no number conversion such as %%02d, so its %ld %s would "
		           "share one name",
		           snip, count, plural);
		*out = NULL;
		return false;
	}
	return true;
}

static void conv_host(struct conv *c, const struct ynode *n, struct scenario_host *h)
{
	const struct ynode *v[KHO_N];
	h->pos = ynode_pos(n);
	h->count = 1;
	h->version = c->s->vcenter_version;
	h->vmotion_gbps = 25;
	h->hardware = c->s->hardware;
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, "hosts", "a sequence of host mappings");
		h->count = 0;
		return;
	}
	conv_fields(c, n, &host_ctx, v);
	bool count_ok = conv_long(c, v[KHO_COUNT], "count", 1, SCENARIO_MAX_HOSTS, &h->count);
	if (!v[KHO_NAME])
		conv_missing(c, n, "name", "host");
	else
		conv_name_pattern(c, v[KHO_NAME], count_ok ? h->count : 1, "host", "hosts",
		                  &h->name);
	conv_version(c, v[KHO_VERSION], "version", &h->version);
	if (!v[KHO_CORES])
		conv_missing(c, n, "cores", "host");
	conv_int(c, v[KHO_CORES], "cores", 1, SCENARIO_MAX_CORES, &h->cores);
	if (!v[KHO_MEMORY])
		conv_missing(c, n, "memory_gb", "host");
	conv_number(c, v[KHO_MEMORY], "memory_gb", 0, true, SCENARIO_MAX_MEMORY_GB, &h->memory_gb);
	conv_bool(c, v[KHO_TPM], "tpm", &h->tpm);
	conv_bool(c, v[KHO_DPU], "dpu", &h->dpu);
	conv_string(c, v[KHO_FAULT_DOMAIN], "fault_domain", &h->fault_domain);
	conv_number(c, v[KHO_GBPS], "vmotion_gbps", 0, true, SCENARIO_MAX_GBPS, &h->vmotion_gbps);
	conv_hardware(c, v[KHO_HARDWARE], &h->hardware);
	conv_long(c, v[KHO_BUILD], "build", 1, SCENARIO_MAX_BUILD, &h->build);
}

/*
 * reservation_gb and vgpu_gb. A DirectPath or vGPU VM has all its memory
 * reserved (vSphere reserves it when the device is added), so a smaller
 * reservation written for one is an error; neither may exceed memory_gb.
 */
static void conv_vm_memory_kinds(struct conv *c, const struct ynode *res, const struct ynode *vgpu,
                                 struct scenario_vm *vm)
{
	char a[32], b[32];
	conv_number(c, vgpu, "vgpu_gb", 0, false, SCENARIO_MAX_MEMORY_GB, &vm->vgpu_gb);
	if (conv_number(c, res, "reservation_gb", 0, false, SCENARIO_MAX_MEMORY_GB,
	                &vm->reservation_gb) &&
	    res && vm->reservation_gb > vm->memory_gb) {
		diag_error(c->d, ynode_pos(res),
		           "'reservation_gb' must be at most the VM's memory_gb %s (got %s)",
		           fmt_num(vm->memory_gb, a, sizeof(a)),
		           fmt_num(vm->reservation_gb, b, sizeof(b)));
		return;
	}
	bool full = vm->directpath || vm->vgpu_gb > 0;
	if (full && res && vm->reservation_gb < vm->memory_gb) {
		diag_error(c->d, ynode_pos(res),
		           "'reservation_gb' %s is less than memory_gb %s, but a %s VM has all its "
		           "memory reserved (leave reservation_gb out)",
		           fmt_num(vm->reservation_gb, b, sizeof(b)),
		           fmt_num(vm->memory_gb, a, sizeof(a)),
		           vm->directpath ? "DirectPath" : "vGPU");
		return;
	}
	if (full)
		vm->reservation_gb = vm->memory_gb;
}

static void conv_vm(struct conv *c, const struct ynode *n, struct scenario_vm *vm)
{
	const struct ynode *v[KVM_N];
	vm->pos = ynode_pos(n);
	vm->count = 1;
	vm->dirty_mb_per_s = 100;
	vm->power = SCENARIO_POWER_ON;
	vm->pin_entry = -1;
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, "vms", "a sequence of VM mappings");
		vm->count = 0;
		return;
	}
	conv_fields(c, n, &vm_ctx, v);
	bool count_ok = conv_long(c, v[KVM_COUNT], "count", 0, SCENARIO_MAX_VMS, &vm->count);
	if (!v[KVM_NAME])
		conv_missing(c, n, "name", "vm");
	else
		conv_name_pattern(c, v[KVM_NAME], count_ok ? vm->count : 1, "VM", "VMs", &vm->name);
	if (!v[KVM_VCPUS])
		conv_missing(c, n, "vcpus", "vm");
	conv_int(c, v[KVM_VCPUS], "vcpus", 1, SCENARIO_MAX_VCPUS, &vm->vcpus);
	if (!v[KVM_MEMORY])
		conv_missing(c, n, "memory_gb", "vm");
	conv_number(c, v[KVM_MEMORY], "memory_gb", 0, true, SCENARIO_MAX_MEMORY_GB, &vm->memory_gb);
	conv_number(c, v[KVM_DIRTY], "dirty_mb_per_s", 0, false, SCENARIO_MAX_DIRTY_MB_PER_S,
	            &vm->dirty_mb_per_s);
	int e;
	if (v[KVM_POWER] && v[KVM_POWER]->kind == YNODE_SCALAR && !v[KVM_POWER]->quoted &&
	    (!strcmp(v[KVM_POWER]->str, "true") || !strcmp(v[KVM_POWER]->str, "false"))) {
		char g[80];
		diag_error(c->d, ynode_pos(v[KVM_POWER]),
		           "'power' must be one of on, off or suspended, not a boolean (got %s)",
		           got(v[KVM_POWER], g, sizeof(g)));
	} else if (conv_enum(c, v[KVM_POWER], "power", power_names, NKEYS(power_names), &e) &&
	           v[KVM_POWER]) {
		vm->power = (enum scenario_power)e;
	}
	conv_bool(c, v[KVM_FT], "ft", &vm->ft);
	conv_bool(c, v[KVM_DIRECTPATH], "directpath", &vm->directpath);
	conv_bool(c, v[KVM_POD], "vsphere_pod", &vm->vsphere_pod);
	conv_bool(c, v[KVM_SHARED_DISK], "shared_disk", &vm->shared_disk);
	if (v[KVM_HOST] && conv_string(c, v[KVM_HOST], "host", &vm->host))
		vm->host_pos = ynode_pos(v[KVM_HOST]);
	conv_vm_memory_kinds(c, v[KVM_RESERVATION], v[KVM_VGPU], vm);
}

static void conv_rule(struct conv *c, const struct ynode *n, struct scenario_rule *r)
{
	const struct ynode *v[KRU_N];
	r->pos = ynode_pos(n);
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, "rules", "a sequence of rule mappings");
		return;
	}
	conv_fields(c, n, &rule_ctx, v);
	int e;
	if (!v[KRU_TYPE])
		conv_missing(c, n, "type", "rule");
	else if (conv_enum(c, v[KRU_TYPE], "type", rule_names, NKEYS(rule_names), &e))
		r->type = (enum scenario_rule_type)e;
	if (!v[KRU_VMS]) {
		conv_missing(c, n, "vms", "rule");
		return;
	}
	const struct ynode *vms = v[KRU_VMS];
	if (vms->kind != YNODE_SEQUENCE || vms->len < 2) {
		conv_expected(c, vms, "vms", "a sequence of at least two VM names");
		return;
	}
	r->vm_names = sarena_array(c->a, vms->len, sizeof(*r->vm_names));
	r->vm_pos = sarena_array(c->a, vms->len, sizeof(*r->vm_pos));
	r->vms = sarena_array(c->a, vms->len, sizeof(*r->vms));
	if (!r->vm_names || !r->vm_pos || !r->vms) {
		c->oom = true;
		return;
	}
	/* Every name first (NULL when it does not convert), then duplicates by sorting. */
	const char **names = sarena_array(c->a, vms->len, sizeof(*names));
	bool *twice = sarena_array(c->a, vms->len, sizeof(*twice));
	if (!names || !twice) {
		c->oom = true;
		return;
	}
	for (size_t i = 0; i < vms->len; i++)
		if (!conv_string(c, vms->items[i], "vms", &names[i]))
			names[i] = NULL;
	if (scenario__duplicates(names, vms->len, twice) < 0) {
		c->oom = true;
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < vms->len; i++) {
		const struct ynode *it = vms->items[i];
		const char *name = names[i];
		if (!name)
			continue;
		if (twice[i]) {
			char snip[64];
			diag_error(c->d, ynode_pos(it), "VM '%s' is named twice in this rule",
			           diag_snippet(snip, sizeof(snip), it->str, it->len));
			continue;
		}
		r->vm_names[k] = name;
		r->vm_pos[k] = ynode_pos(it);
		k++;
	}
	r->nvms = k;
}

static long sat_add_long(long a, long b)
{
	return a > LONG_MAX - b ? LONG_MAX : a + b;
}

/* live_patch_mode: auto (9.1 AUTO_LIVE_PATCH) on an older vCenter, reported at the mode. */
static void check_auto_mode(struct conv *c, const struct ynode *at, enum scenario_mode m)
{
	if (m != SCENARIO_MODE_AUTO || c->s->vcenter_version >= SCENARIO_MIN_AUTO_VCENTER)
		return;
	char ver[32];
	diag_error(c->d, ynode_pos(at),
	           "'live_patch_mode: auto' needs vCenter 9.1 or later (AUTO_LIVE_PATCH); "
	           "this vCenter is %s (use enforce or disable, or vcenter.version: 9.1)",
	           scenario_version_format(c->s->vcenter_version, ver, sizeof(ver)));
}

static void conv_cluster(struct conv *c, const struct ynode *n, struct scenario_cluster *cl)
{
	struct scenario *s = c->s;
	const struct ynode *v[KC_N];
	cl->pos = ynode_pos(n);
	cl->count = 1;
	cl->drs_enabled = true;
	cl->drs_automation = SCENARIO_DRS_FULLY_AUTOMATED;
	cl->ha_enabled = true;
	cl->cpu_overcommit = 4.0;
	cl->live_patch_mode = s->live_patch_mode;
	cl->remediation = s->remediation;
	if (n->kind != YNODE_MAPPING) {
		conv_expected(c, n, "clusters", "a sequence of cluster mappings");
		cl->count = 0;
		return;
	}
	conv_fields(c, n, &cluster_ctx, v);
	bool count_ok = conv_long(c, v[KC_COUNT], "count", 1, SCENARIO_MAX_CLUSTERS, &cl->count);
	if (!v[KC_NAME])
		conv_missing(c, n, "name", "cluster");
	else
		conv_name_pattern(c, v[KC_NAME], count_ok ? cl->count : 1, "cluster", "clusters",
		                  &cl->name);
	if (conv_is_map(c, v[KC_DRS], "drs") > 0) {
		const struct ynode *d[KDRS_N];
		int e;
		conv_fields(c, v[KC_DRS], &drs_ctx, d);
		conv_bool(c, d[KDRS_ENABLED], "enabled", &cl->drs_enabled);
		if (conv_enum(c, d[KDRS_AUTOMATION], "automation", drs_names, NKEYS(drs_names),
		              &e) &&
		    d[KDRS_AUTOMATION])
			cl->drs_automation = (enum scenario_drs_automation)e;
	}
	if (conv_is_map(c, v[KC_HA], "ha") > 0) {
		const struct ynode *h[KHA_N];
		conv_fields(c, v[KC_HA], &ha_ctx, h);
		conv_bool(c, h[KHA_ENABLED], "enabled", &cl->ha_enabled);
		conv_number(c, h[KHA_ADMISSION], "admission_control_pct", 0, false, 100,
		            &cl->ha_admission_control_pct);
	}
	conv_bool(c, v[KC_VSAN], "vsan", &cl->vsan);
	conv_bool(c, v[KC_NSX], "nsx", &cl->nsx);
	conv_string(c, v[KC_PREFERRED_FD], "preferred_fault_domain", &cl->preferred_fault_domain);
	conv_bool(c, v[KC_PASSTHROUGH_DRS], "passthrough_drs_automation",
	          &cl->passthrough_drs_automation);
	conv_number(c, v[KC_OVERCOMMIT], "cpu_overcommit", 0, true, SCENARIO_MAX_CPU_OVERCOMMIT,
	            &cl->cpu_overcommit);
	int e;
	if (conv_enum(c, v[KC_MODE], "live_patch_mode", mode_names, NKEYS(mode_names), &e) &&
	    v[KC_MODE]) {
		cl->live_patch_mode = (enum scenario_mode)e;
		check_auto_mode(c, v[KC_MODE], cl->live_patch_mode);
	}
	struct remediation_set set;
	conv_remediation(c, v[KC_REMEDIATION], &cl->remediation, &set);
	check_suspend_to_memory(c, &cl->remediation, &set);

	/* hosts: required, at least one. */
	const struct ynode *hosts = v[KC_HOSTS];
	if (!hosts) {
		conv_missing(c, n, "hosts", "cluster");
	} else if (conv_is_seq(c, hosts, "hosts") == 0 ||
	           (hosts->kind == YNODE_SEQUENCE && hosts->len == 0)) {
		conv_expected(c, hosts, "hosts", "a sequence of at least one host");
	} else if (hosts->kind == YNODE_SEQUENCE) {
		cl->hosts = sarena_array(c->a, hosts->len, sizeof(*cl->hosts));
		if (!cl->hosts) {
			c->oom = true;
			return;
		}
		cl->nhosts = hosts->len;
		for (size_t i = 0; i < hosts->len; i++) {
			conv_host(c, hosts->items[i], &cl->hosts[i]);
			cl->hosts_each = sat_add_long(cl->hosts_each, cl->hosts[i].count);
		}
	}
	/* vms: required, may be empty. */
	const struct ynode *vms = v[KC_VMS];
	if (!vms) {
		conv_missing(c, n, "vms", "cluster");
	} else if (conv_is_seq(c, vms, "vms") > 0) {
		cl->vms = sarena_array(c->a, vms->len, sizeof(*cl->vms));
		if (!cl->vms && vms->len) {
			c->oom = true;
			return;
		}
		cl->nvms = vms->len;
		for (size_t i = 0; i < vms->len; i++) {
			conv_vm(c, vms->items[i], &cl->vms[i]);
			cl->vms_each = sat_add_long(cl->vms_each, cl->vms[i].count);
			cl->vms[i].drs_pinned =
			    cl->vms[i].vgpu_gb > 0 && !cl->passthrough_drs_automation;
		}
	}
	const struct ynode *rules = v[KC_RULES];
	if (conv_is_seq(c, rules, "rules") > 0) {
		cl->rules = sarena_array(c->a, rules->len, sizeof(*cl->rules));
		if (!cl->rules && rules->len) {
			c->oom = true;
			return;
		}
		cl->nrules = rules->len;
		for (size_t i = 0; i < rules->len; i++)
			conv_rule(c, rules->items[i], &cl->rules[i]);
	}
}

static void conv_patch(struct conv *c, const struct ynode *n)
{
	struct scenario_patch *p = &c->s->patch;
	const struct ynode *v[KPA_N];
	conv_fields(c, n, &patch_ctx, v);
	if (!v[KPA_NAME])
		conv_missing(c, n, "name", "patch");
	else if (conv_string(c, v[KPA_NAME], "name", &p->name) && !*p->name)
		conv_expected(c, v[KPA_NAME], "name", "a non-empty string");
	conv_bool(c, v[KPA_LIVE_PATCHABLE], "live_patchable", &p->live_patchable);
	const struct ynode *comp = v[KPA_COMPONENTS];
	if (comp) {
		if (comp->kind != YNODE_SEQUENCE || comp->len == 0) {
			conv_expected(c, comp, "components",
			              "a non-empty sequence of vmx, vmkernel or daemons");
		} else {
			unsigned bits = 0;
			bool ok = true;
			for (size_t i = 0; i < comp->len; i++) {
				int e;
				if (!conv_enum(c, comp->items[i], "components", component_names,
				               NKEYS(component_names), &e)) {
					ok = false;
					continue;
				}
				if (bits & (1u << e)) {
					diag_error(c->d, ynode_pos(comp->items[i]),
					           "component '%s' is listed twice",
					           component_names[e]);
					ok = false;
				}
				bits |= 1u << e;
			}
			if (ok)
				p->components = bits;
		}
	}
	if (conv_is_map(c, v[KPA_RESERVATION], "memory_reservation_gb") > 0) {
		const struct ynode *r[KRES_N];
		conv_fields(c, v[KPA_RESERVATION], &reservation_ctx, r);
		conv_number(c, r[KRES_TEMPORARY], "temporary", 0, false, SCENARIO_MAX_MEMORY_GB,
		            &p->reservation_temporary_gb);
		conv_number(c, r[KRES_PERMANENT], "permanent", 0, false, SCENARIO_MAX_MEMORY_GB,
		            &p->reservation_permanent_gb);
	}
	conv_long(c, v[KPA_BASE_BUILD], "base_build", 1, SCENARIO_MAX_BUILD, &p->base_build);
}

static void conv_faults(struct conv *c, const struct ynode *n)
{
	struct scenario_faults *f = &c->s->faults;
	const struct ynode *v[KFT_N];
	if (conv_is_map(c, n, "faults") <= 0)
		return;
	conv_fields(c, n, &faults_ctx, v);
	conv_prob(c, v[KFT_PATCH], "patch_failure_prob", &f->patch_failure_prob);
	conv_prob(c, v[KFT_FSR], "fsr_failure_prob", &f->fsr_failure_prob);
	conv_prob(c, v[KFT_VMOTION], "vmotion_failure_prob", &f->vmotion_failure_prob);
	conv_prob(c, v[KFT_CRASH], "host_crash_prob", &f->host_crash_prob);
	conv_dist(c, v[KFT_HA_RESTART], "ha_restart", &f->ha_restart);
}

static void conv_strategies(struct conv *c, const struct ynode *n)
{
	struct scenario *s = c->s;
	if (!n)
		return;
	if (n->kind != YNODE_SEQUENCE || n->len == 0) {
		conv_expected(c, n, "strategies", "a non-empty sequence of live_patch and classic");
		return;
	}
	enum scenario_strategy got_s[2];
	size_t k = 0;
	bool ok = true;
	for (size_t i = 0; i < n->len; i++) {
		int e;
		if (!conv_enum(c, n->items[i], "strategies", strategy_names, NKEYS(strategy_names),
		               &e)) {
			ok = false;
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= got_s[j] == (enum scenario_strategy)e;
		if (dup) {
			diag_error(c->d, ynode_pos(n->items[i]), "strategy '%s' is listed twice",
			           strategy_names[e]);
			ok = false;
			continue;
		}
		got_s[k++] = (enum scenario_strategy)e;
	}
	if (ok) {
		s->nstrategies = k;
		for (size_t j = 0; j < k; j++)
			s->strategies[j] = got_s[j];
	}
}

bool scenario_name_ok(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > SCENARIO_MAX_NAME_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

static void conv_sweep(struct conv *c, const struct ynode *n)
{
	struct scenario *s = c->s;
	if (conv_is_seq(c, n, "sweep") <= 0)
		return;
	if (n->len > SCENARIO_MAX_SWEEP_AXES) {
		diag_error(c->d, ynode_pos(n), "'sweep' has %zu axes, more than the limit of %d",
		           n->len, SCENARIO_MAX_SWEEP_AXES);
		return;
	}
	s->sweep = sarena_array(c->a, n->len, sizeof(*s->sweep));
	if (!s->sweep && n->len) {
		c->oom = true;
		return;
	}
	uint64_t points = 1;
	for (size_t i = 0; i < n->len; i++) {
		const struct ynode *ax = n->items[i];
		struct scenario_sweep_axis *a = &s->sweep[s->naxes];
		const struct ynode *v[KAX_N];
		if (ax->kind != YNODE_MAPPING) {
			conv_expected(c, ax, "sweep", "a sequence of {path, values} mappings");
			continue;
		}
		conv_fields(c, ax, &axis_ctx, v);
		a->pos = ynode_pos(ax);
		bool ok = true;
		if (!v[KAX_PATH]) {
			conv_missing(c, ax, "path", "sweep axis");
			ok = false;
		} else if (conv_string(c, v[KAX_PATH], "path", &a->path)) {
			a->pos = ynode_pos(v[KAX_PATH]);
			char snip[64];
			diag_snippet(snip, sizeof(snip), a->path, strlen(a->path));
			if (!scenario_check_path(a->path, c->d, a->pos)) {
				ok = false;
			}
			for (size_t j = 0; ok && j < s->naxes; j++) {
				if (!strcmp(s->sweep[j].path, a->path)) {
					diag_error(
					    c->d, a->pos,
					    "sweep path '%s' is already an axis (at %lu:%lu)", snip,
					    (unsigned long)s->sweep[j].pos.line,
					    (unsigned long)s->sweep[j].pos.col);
					ok = false;
				}
			}
		} else {
			ok = false;
		}
		const struct ynode *vals = v[KAX_VALUES];
		if (!vals) {
			conv_missing(c, ax, "values", "sweep axis");
			continue;
		}
		if (vals->kind != YNODE_SEQUENCE || vals->len == 0) {
			conv_expected(c, vals, "values", "a non-empty sequence of scalars");
			continue;
		}
		a->values = sarena_array(c->a, vals->len, sizeof(*a->values));
		a->quoted = sarena_array(c->a, vals->len, sizeof(*a->quoted));
		a->value_pos = sarena_array(c->a, vals->len, sizeof(*a->value_pos));
		if (!a->values || !a->quoted || !a->value_pos) {
			c->oom = true;
			return;
		}
		for (size_t j = 0; j < vals->len; j++) {
			const struct ynode *it = vals->items[j];
			if (!conv_string(c, it, "values", &a->values[j])) {
				ok = false;
				continue;
			}
			a->quoted[j] = it->quoted;
			a->value_pos[j] = ynode_pos(it);
		}
		int dups = scenario__sweep_duplicates(vals, a->values, c->d);
		if (dups < 0) {
			c->oom = true;
			return;
		}
		if (dups > 0)
			ok = false;
		a->nvalues = vals->len;
		points = points > UINT64_MAX / vals->len ? UINT64_MAX : points * vals->len;
		if (ok)
			s->naxes++;
	}
	if (points > (uint64_t)SCENARIO_MAX_SWEEP_POINTS)
		diag_error(c->d, ynode_pos(n),
		           "the sweep has %llu points, more than the limit of %ld",
		           (unsigned long long)points, SCENARIO_MAX_SWEEP_POINTS);
}

/* ---- defaults ------------------------------------------------------------------ */

static void scenario_defaults(struct scenario *s)
{
	s->description = "";
	s->seed = 1;
	s->replications = 1;
	s->nstrategies = 2;
	s->strategies[0] = SCENARIO_STRATEGY_LIVE_PATCH;
	s->strategies[1] = SCENARIO_STRATEGY_CLASSIC;
	s->horizon = 30 * 86400.0;
	s->vcenter_version = SCENARIO_VERSION(8, 0, 3);
	s->live_patch_mode = SCENARIO_MODE_ENFORCE;

	struct scenario_remediation *r = &s->remediation;
	r->parallel_enabled = false;
	r->max_hosts = 4;
	r->power_action = SCENARIO_POWER_ACTION_DO_NOT_CHANGE;
	r->retry_count = 3;
	r->retry_delay = 300;
	r->failed_host_tolerance_pct = -1;
	r->retry_install = false;
	r->prep_action = SCENARIO_PREP_POWER_OFF;
	r->quick_boot = false;
	r->evacuate_offline_vms = false;
	r->disable_hac = true;
	r->manual_policy = SCENARIO_MANUAL_NONE;
	r->manual_start = SCENARIO_MANUAL_AFTER_CLUSTER;
	r->manual_delay = 0;

	s->patch.live_patchable = true;
	s->patch.components = SCENARIO_COMPONENT_VMX;

	scenario__hardware_defaults(&s->hardware);

	s->faults.ha_restart = dist_constant(120);
}

/* ---- the whole scenario --------------------------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static bool check_total(struct conv *c, const struct ynode *at, uint64_t n, long limit,
                        const char *what)
{
	if (n <= (uint64_t)limit)
		return true;
	if (n == UINT64_MAX)
		diag_error(c->d, ynode_pos(at),
		           "the scenario expands to more than 18446744073709551614 %s, more than "
		           "the limit of %ld",
		           what, limit);
	else
		diag_error(c->d, ynode_pos(at),
		           "the scenario expands to %llu %s, more than the limit of %ld",
		           (unsigned long long)n, what, limit);
	return false;
}

static void conv_top(struct conv *c, const struct ynode *root, unsigned flags, long *name_work)
{
	struct scenario *s = c->s;
	const struct ynode *v[KT_N];
	if (root->kind != YNODE_MAPPING) {
		char g[80];
		diag_error(c->d, ynode_pos(root),
		           "a scenario is a mapping with 'lpsim: %d' (got %s)",
		           SCENARIO_FORMAT_VERSION, got(root, g, sizeof(g)));
		return;
	}
	conv_fields(c, root, &top_ctx, v);

	/* The version first: a file of another version is not read further. */
	if (!v[KT_LPSIM]) {
		diag_error(c->d, ynode_pos(root),
		           "missing required key 'lpsim' (the format version: 'lpsim: %d')",
		           SCENARIO_FORMAT_VERSION);
	} else {
		const struct ynode *ver = v[KT_LPSIM];
		if (ver->kind != YNODE_SCALAR || ver->quoted || strcmp(ver->str, "1")) {
			char g[80];
			if (ver->kind == YNODE_SCALAR && !ver->quoted && is_int_text(ver->str))
				diag_error(
				    c->d, ynode_pos(ver),
				    "unsupported format version %s: this lpsim reads 'lpsim: %d'",
				    got(ver, g, sizeof(g)), SCENARIO_FORMAT_VERSION);
			else
				conv_expected(c, ver, "lpsim", "the format version 1");
			return;
		}
	}

	if (!v[KT_NAME]) {
		conv_missing(c, root, "name", "the scenario");
	} else if (conv_string(c, v[KT_NAME], "name", &s->name)) {
		char snip[64];
		if (strlen(s->name) > SCENARIO_MAX_NAME_LEN) {
			/* Its own message: every limit is named in the one refusing it. */
			diag_error(c->d, ynode_pos(v[KT_NAME]),
			           "scenario name '%s' is longer than the limit of %d bytes",
			           diag_snippet(snip, sizeof(snip), v[KT_NAME]->str,
			                        v[KT_NAME]->len),
			           SCENARIO_MAX_NAME_LEN);
			s->name = NULL;
		} else if (!scenario_name_ok(s->name)) {
			conv_expected(c, v[KT_NAME], "name",
			              "letters, digits, '.', '_' or '-', not starting with '.' (it "
			              "names the output directory)");
			s->name = NULL;
		}
	}
	conv_string(c, v[KT_DESCRIPTION], "description", &s->description);
	if (v[KT_SEED]) {
		const struct ynode *sn = v[KT_SEED];
		if (conv_scalar_text(c, sn, "seed", "an integer 0..18446744073709551615")) {
			bool ok = !sn->quoted && sn->str[0] >= '0' && sn->str[0] <= '9' &&
			          is_int_text(sn->str);
			errno = 0;
			unsigned long long seed = ok ? strtoull(sn->str, NULL, 10) : 0;
			if (!ok || errno == ERANGE)
				conv_expected(c, sn, "seed", "an integer 0..18446744073709551615");
			else
				s->seed = (uint64_t)seed;
		}
	}
	conv_long(c, v[KT_REPLICATIONS], "replications", 1, SCENARIO_MAX_REPLICATIONS,
	          &s->replications);
	conv_strategies(c, v[KT_STRATEGIES]);
	if (conv_duration(c, v[KT_HORIZON], "horizon", &s->horizon) && !(s->horizon > 0)) {
		conv_expected(c, v[KT_HORIZON], "horizon", "a duration > 0");
		s->horizon = 30 * 86400.0;
	}

	if (conv_is_map(c, v[KT_VCENTER], "vcenter") > 0) {
		const struct ynode *vc[KV_N];
		int e;
		conv_fields(c, v[KT_VCENTER], &vcenter_ctx, vc);
		conv_version(c, vc[KV_VERSION], "version", &s->vcenter_version);
		if (conv_enum(c, vc[KV_MODE], "live_patch_mode", mode_names, NKEYS(mode_names),
		              &e) &&
		    vc[KV_MODE]) {
			s->live_patch_mode = (enum scenario_mode)e;
			check_auto_mode(c, vc[KV_MODE], s->live_patch_mode);
		}
		struct remediation_set set;
		conv_remediation(c, vc[KV_REMEDIATION], &s->remediation, &set);
		check_suspend_to_memory(c, &s->remediation, &set);
	}
	conv_hardware(c, v[KT_HARDWARE], &s->hardware);
	if (!v[KT_PATCH])
		conv_missing(c, root, "patch", "the scenario");
	else if (conv_is_map(c, v[KT_PATCH], "patch") == 0)
		conv_expected(c, v[KT_PATCH], "patch", "a mapping with at least 'name'");
	else if (v[KT_PATCH]->kind == YNODE_MAPPING)
		conv_patch(c, v[KT_PATCH]);
	conv_faults(c, v[KT_FAULTS]);

	const struct ynode *cls = v[KT_CLUSTERS];
	bool clusters_ok = false;
	if (!cls) {
		conv_missing(c, root, "clusters", "the scenario");
	} else if (cls->kind != YNODE_SEQUENCE || cls->len == 0) {
		conv_expected(c, cls, "clusters", "a sequence of at least one cluster");
	} else {
		s->clusters = sarena_array(c->a, cls->len, sizeof(*s->clusters));
		if (!s->clusters) {
			c->oom = true;
			return;
		}
		s->nclusters = cls->len;
		for (size_t i = 0; i < cls->len; i++)
			conv_cluster(c, cls->items[i], &s->clusters[i]);
		clusters_ok = true;
	}
	conv_sweep(c, v[KT_SWEEP]);

	if (!clusters_ok || c->oom)
		return;
	/* Totals, overflow-safe, before anything is expanded. */
	uint64_t nclusters = 0;
	uint64_t nhosts = 0;
	uint64_t nvms = 0;
	for (size_t i = 0; i < s->nclusters; i++) {
		const struct scenario_cluster *cl = &s->clusters[i];
		uint64_t cc = cl->count > 0 ? (uint64_t)cl->count : 0;
		uint64_t he = 0;
		uint64_t ve = 0;
		for (size_t j = 0; j < cl->nhosts; j++)
			he = sat_add(he, (uint64_t)cl->hosts[j].count);
		for (size_t j = 0; j < cl->nvms; j++)
			ve = sat_add(ve, cl->vms[j].count > 0 ? (uint64_t)cl->vms[j].count : 0);
		nclusters = sat_add(nclusters, cc);
		nhosts = sat_add(nhosts, sat_mul(cc, he));
		nvms = sat_add(nvms, sat_mul(cc, ve));
	}
	bool ok = check_total(c, cls, nclusters, SCENARIO_MAX_CLUSTERS, "clusters");
	ok &= check_total(c, cls, nhosts, SCENARIO_MAX_HOSTS, "hosts");
	ok &= check_total(c, cls, nvms, SCENARIO_MAX_VMS, "VMs");
	if (!ok)
		return;
	s->total_clusters = (long)nclusters;
	s->total_hosts = (long)nhosts;
	s->total_vms = (long)nvms;
	if (!(flags & SCENARIO__NO_NAME_CHECKS) && scenario__check_names(s, c->d, name_work))
		c->oom = true;
}

struct scenario *scenario__convert(const struct ytree *t, struct diag *d, unsigned flags,
                                   long *name_work)
{
	struct scenario *s = calloc(1, sizeof(*s));
	if (!s) {
		d->oom = true;
		return NULL;
	}
	s->arena = sarena_new();
	if (!s->arena) {
		free(s);
		d->oom = true;
		return NULL;
	}
	struct conv c = {d, s, s->arena, false, false};
	size_t errors = d->n + d->dropped;
	scenario_defaults(s);
	s->file = sarena_strdup(s->arena, t->file ? t->file : "");
	if (!s->file)
		c.oom = true;
	else
		conv_top(&c, t->root, flags, name_work);
	if (c.oom)
		d->oom = true;
	if ((c.silent || t->broken) && !diag_failed(d)) {
		/* The errors were reported when the tree was read, maybe to another diag. */
		struct diag_pos none = {0, 0};
		diag_error(d, none, "the YAML has errors (reported when it was read)");
	}
	if (c.oom || c.silent || t->broken || d->n + d->dropped > errors || d->oom) {
		scenario_free(s);
		return NULL;
	}
	return s;
}

struct scenario *scenario_convert(const struct ytree *t, struct diag *d)
{
	long work = 0;
	return scenario__convert(t, d, 0, &work);
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	sarena_free(s->arena);
	free(s);
}

static int scenario_load_tree(struct ytree *t, int rc, struct diag *d, struct scenario **out)
{
	if (!t)
		return rc;
	size_t errors = d->n + d->dropped;
	struct scenario *s = scenario_convert(t, d);
	if (s && rc == 0 && scenario_check_sweep(t, s, d) == -ENOMEM)
		rc = -ENOMEM;
	ytree_free(t);
	if (d->oom)
		rc = -ENOMEM;
	if (!s || rc || d->n + d->dropped > errors) {
		scenario_free(s);
		return rc ? rc : -EINVAL;
	}
	*out = s;
	return 0;
}

int scenario_load_file(const char *path, struct diag *d, struct scenario **out)
{
	struct ytree *t = NULL;
	*out = NULL;
	int rc = ytree_load_file(path, d, &t);
	return scenario_load_tree(t, rc, d, out);
}

int scenario_load_buffer(const char *buf, size_t len, const char *file, struct diag *d,
                         struct scenario **out)
{
	struct ytree *t = NULL;
	*out = NULL;
	int rc = ytree_load_buffer(buf, len, file, d, &t);
	return scenario_load_tree(t, rc, d, out);
}

/* ---- sweep paths against the format ---------------------------------------------- */

/* Syntax only: KEY([SEL])?(.KEY([SEL])?)* with non-empty keys and selectors. */
static bool path_syntax_ok(const char *p)
{
	for (;;) {
		const char *key = p;
		while (*p && *p != '.' && *p != '[' && *p != ']')
			p++;
		if (p == key)
			return false;
		if (*p == '[') {
			const char *sel = ++p;
			while (*p && *p != ']')
				p++;
			if (!*p || p == sel)
				return false;
			p++;
		}
		if (!*p)
			return true;
		if (*p != '.')
			return false;
		p++;
	}
}

bool scenario_check_path(const char *path, struct diag *d, struct diag_pos pos)
{
	const struct sctx *ctx = &top_ctx;
	const char *p = path;
	char snip[64];
	diag_snippet(snip, sizeof(snip), path, strlen(path));
	if (!path_syntax_ok(path)) {
		diag_error(d, pos,
		           "bad sweep path '%s': expected keys joined by '.', each with an "
		           "optional [N] or [NAME]",
		           snip);
		return false;
	}
	for (int depth = 0; depth < SCENARIO_MAX_DEPTH; depth++) {
		const char *key = p;
		while (*p && *p != '.' && *p != '[' && *p != ']')
			p++;
		size_t klen = (size_t)(p - key);
		bool sel = *p == '[';
		if (sel) {
			const char *open = p;
			while (*p && *p != ']')
				p++;
			if (!*p || p == open + 1) {
				diag_error(d, pos, "bad sweep path '%s': expected [N] or [NAME]",
				           snip);
				return false;
			}
			p++;
		}
		if (klen == 0 || (*p && *p != '.') || (*p == '.' && !p[1])) {
			diag_error(d, pos, "bad sweep path '%s': expected keys joined by '.'",
			           snip);
			return false;
		}
		const struct skey *k = NULL;
		const char *names[32];
		for (size_t i = 0; i < ctx->nkeys; i++) {
			names[i] = ctx->keys[i].name;
			if (strlen(names[i]) == klen && !memcmp(names[i], key, klen))
				k = &ctx->keys[i];
		}
		char ks[64];
		diag_snippet(ks, sizeof(ks), key, klen);
		if (ctx == &top_ctx && (!strcmp(ks, "sweep") || !strcmp(ks, "lpsim"))) {
			diag_error(d, pos, "a sweep cannot set '%s'", ks);
			return false;
		}
		if (!k) {
			const char *hint = scenario__suggest(key, klen, names, ctx->nkeys);
			if (hint)
				diag_error(
				    d, pos,
				    "sweep path '%s': unknown key '%s' in %s (did you mean '%s'?)",
				    snip, ks, ctx->what, hint);
			else
				diag_error(d, pos, "sweep path '%s': unknown key '%s' in %s", snip,
				           ks, ctx->what);
			return false;
		}
		bool last = *p == '\0';
		switch (k->kind) {
		case SK_LEAF:
			if (sel || !last) {
				diag_error(d, pos, "sweep path '%s': '%s' is a single value", snip,
				           ks);
				return false;
			}
			return true;
		case SK_SEQ_OF_LEAF:
			if (!sel || !last) {
				diag_error(d, pos,
				           "sweep path '%s': '%s' is a list: a sweep sets one "
				           "item, as '%s[0]'",
				           snip, ks, ks);
				return false;
			}
			return true;
		case SK_DIST:
			if (sel) {
				diag_error(d, pos, "sweep path '%s': '%s' is not a list", snip, ks);
				return false;
			}
			if (last)
				return true;
			break;
		case SK_MAP:
			if (sel) {
				diag_error(d, pos, "sweep path '%s': '%s' is not a list", snip, ks);
				return false;
			}
			if (last) {
				diag_error(
				    d, pos,
				    "sweep path '%s': '%s' is a mapping; name one of its keys",
				    snip, ks);
				return false;
			}
			break;
		case SK_SEQ_OF_MAP:
			if (!sel) {
				diag_error(d, pos,
				           "sweep path '%s': '%s' is a list: select an item, as "
				           "'%s[0]' or '%s[NAME]'",
				           snip, ks, ks, ks);
				return false;
			}
			if (last) {
				diag_error(d, pos,
				           "sweep path '%s': '%s' items are mappings; name one of "
				           "their keys",
				           snip, ks);
				return false;
			}
			break;
		}
		ctx = k->child;
		p++; /* the '.' */
	}
	diag_error(d, pos, "bad sweep path '%s': deeper than the limit of %d levels", snip,
	           SCENARIO_MAX_DEPTH);
	return false;
}
