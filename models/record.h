/*
 * record: what one replication of one strategy leaves behind.
 *
 * The totals and the per-VM downtimes and stun samples are always kept
 * (summary.json needs them over every replication); the detail (per-host
 * and per-VM rows, the timeline and the compliance steps) only when the
 * replication's CSV rows will be written (rec_init's `detail`), so memory
 * grows with what is asked. Times are seconds since remediation started;
 * NaN means "never" (a host that never became compliant).
 *
 * A record is written by one replication on one thread and read by the
 * aggregation afterwards; it owns its arrays (rec_fini frees them).
 */
#ifndef LPSIM_RECORD_H
#define LPSIM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rec_path { REC_PATH_LIVE, REC_PATH_CLASSIC, REC_PATH_NONE };

/* not_started: vLCM never remediated the host (its cluster's remediation
 * stopped at a failed host first, or parallel remediation skipped it). */
enum rec_outcome { REC_COMPLIANT, REC_NON_COMPLIANT, REC_FAILED, REC_BLOCKED, REC_NOT_STARTED };

enum rec_remediation {
	REC_REM_NONE,
	REC_REM_FSR,
	REC_REM_VMOTION,
	REC_REM_POWER_CYCLE,
	REC_REM_POWER_OFF,
	REC_REM_SUSPEND,
};

/* Host states as the timeline shows them (both paths). */
enum rec_state {
	REC_ST_PENDING,
	REC_ST_ENTERING_PARTIAL_MM,
	REC_ST_MOUNTING,
	REC_ST_PATCHING,
	REC_ST_ROLLBACK,
	REC_ST_RETRY_WAIT,
	REC_ST_FSR,
	REC_ST_EXITING_PARTIAL_MM,
	REC_ST_DONE,
	REC_ST_FAILED,
	REC_ST_BLOCKED,
	REC_ST_ENTERING_MM,
	REC_ST_INSTALLING,
	REC_ST_REBOOTING,
	REC_ST_EXITING_MM,
	REC_ST_N
};

/* Why a host failed (its last attempt's failure) or was not started. */
enum rec_why {
	REC_WHY_NONE,
	REC_WHY_CANNOT_MOVE,     /* a running VM that cannot be vMotioned, and no power action for it */
	REC_WHY_NO_DRS,          /* DRS not fully automated: vLCM cannot evacuate a running VM */
	REC_WHY_NO_ROOM,         /* no host with room (and the rules) for a VM */
	REC_WHY_HA_ADMISSION,    /* HA admission control would be violated */
	REC_WHY_FT_BUSY,         /* an FT VM's other part was busy elsewhere */
	REC_WHY_VMOTION_FAILED,  /* a vMotion of the evacuation failed */
	REC_WHY_INSTALL_FAILED,  /* the install failed */
	REC_WHY_PATCH_FAILED,    /* the live patch failed (rolled back) */
	REC_WHY_CRASHED,         /* the host crashed */
	REC_WHY_STOPPED,         /* not started: the cluster's remediation stopped at a failed host */
	REC_WHY_N
};

struct rec_host {
	double start_s;        /* remediation started (NaN: never) */
	double end_s;          /* left remediation, done or failed (NaN: never) */
	double compliant_at_s; /* NaN: not compliant by the end */
	uint8_t path;          /* enum rec_path */
	uint8_t outcome;       /* enum rec_outcome */
	uint8_t attempts;      /* patch or install attempts */
	uint8_t why;           /* enum rec_why: for failed and not_started hosts */
	int32_t why_ref;       /* the VM, or for REC_WHY_STOPPED the host, it names; -1: none */
};

struct rec_vm {
	int32_t host_before;
	int32_t host_after;
	double downtime_s;
	double stun_s;
	uint8_t remediation; /* enum rec_remediation: the last one applied */
	double sdps_s;       /* its vMotions' time slowed by SDPS */
	int32_t secondary_after; /* FT VMs: the host of the secondary at the end; -1: none */
};

struct rec_span {
	uint32_t host;
	uint8_t state; /* enum rec_state */
	double start_s;
	double end_s;
};

struct rec_step {
	double t_s;
	uint32_t compliant; /* compliant hosts from t_s on */
};

/*
 * One cluster's figures in one replication (rec.clusters), made by
 * rec_note_host and rec_note_vm as the replication ends. Times are seconds
 * since remediation started.
 */
struct rec_cluster {
	double makespan_s;           /* the last of its hosts to leave remediation (0: none started) */
	double time_to_compliance_s; /* the last of its hosts to become compliant; NaN: some never */
	double exposure_host_hours;  /* sum of compliant_at over its hosts that became compliant */
	double downtime_total_s;     /* VM downtime of the VMs placed on it at the start */
	uint32_t outcomes[5];        /* hosts per enum rec_outcome */
	uint32_t unfinished;         /* hosts still in remediation at the end */
};

struct rec {
	/* Totals of the replication. */
	double makespan_s;
	double time_to_compliance_s; /* NaN when some host never became compliant */
	double exposure_host_hours; /* over the hosts that became compliant (hosts_compliant) */
	double downtime_total_s;
	double sdps_total_s;         /* the VMs' time slowed by SDPS during vMotions */
	uint64_t events;
	uint32_t hosts_live;
	uint32_t hosts_classic;
	uint32_t hosts_failed;
	uint32_t hosts_blocked;
	uint32_t hosts_not_started;
	uint32_t hosts_compliant;
	uint32_t clusters_compliant;
	uint32_t vms_fsr;
	uint32_t vms_vmotion;
	uint32_t vms_power_cycle;
	uint32_t vms_powered_off;
	/* Per cluster, when rec_init_clusters was called (a record read back
	 * from a shard has none: nclusters 0, clusters NULL). */
	size_t nclusters;
	struct rec_cluster *clusters;
	/* Always kept. */
	size_t nvms;
	double *vm_downtime; /* per VM */
	/* Every stun (FSR and vMotion switchover) of the replication, in two
	 * parts. Most VMs are stunned once and are down for nothing else: such
	 * a stun equals its VM's vm_downtime and is kept there only, marked by
	 * the VM's bit in `sole` (this halves a replication's memory, most of
	 * whose cost is the first touch of new pages). `stuns` holds every
	 * other. rec_stun_count and rec_stuns_copy see them as one list. */
	uint64_t *sole;      /* a bit per VM, in the block of vm_downtime */
	double *stuns;
	size_t nstuns;
	size_t capstuns;
	/* Detail, when asked. */
	bool detail;
	size_t nhosts;
	struct rec_host *hosts;
	struct rec_vm *vms;
	struct rec_span *spans;
	size_t nspans;
	size_t capspans;
	struct rec_step *steps;
	size_t nsteps;
	size_t capsteps;
};

/* Zeroes r and allocates its per-VM arrays (and the detail when asked). 0 or -ENOMEM. */
int rec_init(struct rec *r, size_t nhosts, size_t nvms, bool detail);

/* Gives r (rec_init()ed) zeroed per-cluster figures for nclusters clusters
 * (time_to_compliance_s 0 until a host says otherwise). 0 or -ENOMEM. */
int rec_init_clusters(struct rec *r, size_t nclusters);

/*
 * How host h of cluster c ended (a no-op without per-cluster figures):
 * its outcome, when it left remediation (NaN: never started or blocked;
 * still in remediation at the end: unfinished, with the end time) and when
 * it became compliant (NaN: never).
 */
void rec_note_host(struct rec *r, uint32_t c, enum rec_outcome o, double left_s, bool unfinished,
		   double compliant_at_s);

/* Cluster figures as REC_CLUSTER_NFIELDS doubles (for shard files) and back. */
#define REC_CLUSTER_NFIELDS 11
void rec_cluster_fields(const struct rec_cluster *x, double *out);
void rec_cluster_from_fields(struct rec_cluster *x, const double *in);

/* VM downtime of a VM first placed in cluster c (a no-op without per-cluster figures). */
void rec_note_vm(struct rec *r, uint32_t c, double downtime_s);

/* Frees what r owns; r may be rec_init()ed again. */
void rec_fini(struct rec *r);

/* Gives back the room kept for stuns that did not happen (after the run). */
void rec_trim(struct rec *r);

/* Appends a stun sample / a timeline span / a compliance step. 0 or -ENOMEM.
 * rec_add_stun is inline, as every FSR adds one: only a full array calls
 * out, to grow it. */
int rec__add_stun_grow(struct rec *r, double stun_s);
static inline int rec_add_stun(struct rec *r, double stun_s)
{
	if (r->nstuns < r->capstuns) {
		r->stuns[r->nstuns++] = stun_s;
		return 0;
	}
	return rec__add_stun_grow(r, stun_s);
}

/* VM v's one stun is its whole downtime, vm_downtime[v] (see `sole`). */
static inline void rec_add_sole_stun(struct rec *r, size_t v)
{
	r->sole[v / 64] |= UINT64_C(1) << (v % 64);
}

static inline bool rec_is_sole_stun(const struct rec *r, size_t v)
{
	return r->sole[v / 64] >> (v % 64) & 1;
}

/* Every stun of r: how many, and a copy into out (room for the count):
 * the sole stuns in VM order, then the others in the order they came. */
size_t rec_stun_count(const struct rec *r);
size_t rec_stuns_copy(const struct rec *r, double *out);

int rec_add_span(struct rec *r, uint32_t host, enum rec_state st, double start_s, double end_s);
int rec_add_step(struct rec *r, double t_s, uint32_t compliant);

/* The CSV spellings: "live", "compliant", "fsr", "entering_partial_mm", ... */
const char *rec_path_name(enum rec_path p);
const char *rec_outcome_name(enum rec_outcome o);
/* "cannot_move", "no_room", ... ("" for REC_WHY_NONE). */
const char *rec_why_name(enum rec_why w);
/* One line saying what it means: "a running VM that cannot be vMotioned keeps it out of maintenance mode". */
const char *rec_why_explain(enum rec_why w);
const char *rec_remediation_name(enum rec_remediation m);
const char *rec_state_name(enum rec_state s);

#endif
