/*
 * rem: vLCM remediation (see rem.h).
 *
 * Per cluster, hosts start in vLCM's order (host_order) while fewer than
 * `limit` are in remediation: 1 when sequential, max_hosts (every host
 * with auto) for live-path hosts remediated in parallel; classic-path hosts
 * remediated in parallel go in rounds the admin prepares (start_round). A
 * failed host stops a sequential remediation (init_cluster has the rules
 * and their sources). Each host runs the table of its path (livepath.h or
 * classic.h); the driver here classifies completions into table events
 * and carries out the tables' actions through the hardware interface.
 *
 * VMs are tracked as parts: part 2v is VM v's primary, 2v+1 its FT
 * secondary (absent for other VMs). Every part is on exactly one host,
 * listed there in inventory order; a part in flight (vMotion, HA restart)
 * stays on its source until it lands, with the destination's capacity
 * reserved from the start, so no VM is ever lost or counted twice.
 *
 * A part "holds" its host's compliance while its VM is powered on, the
 * part runs (its host did not crash under it), runs the old VM runtime,
 * and the patch changes the runtime (components include vmx). A host is
 * compliant once it runs the new revision and holds no part. The count of
 * holding parts per host (old_vms) is kept incrementally: every change to
 * a VM's parts is bracketed by unhold() and rehold(), or is renew() when
 * a part only starts running the new runtime.
 */
#include "models/rem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/classic.h"
#include "models/livepath.h"

#define RH_BLOCKED 0xff /* a host state outside both tables: its cluster is blocked */
#define NONE (-1)

enum part_op { OP_NONE, OP_FSR, OP_VMOTION, OP_POWER_OFF, OP_POWER_ON, OP_HA };

enum vm_power {
	VP_ON,
	VP_OFF,        /* powered off in the scenario */
	VP_SUSPENDED,  /* suspended in the scenario */
	VP_ACTION_OFF, /* powered off or suspended by pre_remediation_power_action */
};

struct rpart {
	int32_t host;  /* NONE: the part does not exist (non-FT secondary) */
	int32_t dst;   /* vMotion or HA restart: the destination, capacity reserved */
	int32_t qnext; /* next part in the source host's vMotion queue */
	uint8_t op;    /* enum part_op in flight */
	bool old;      /* runs the old VM runtime */
	bool down;     /* its host crashed under it; waiting for a restart */
	bool manual;   /* its vMotion is manual remediation, not an evacuation */
};

struct rvm {
	uint8_t power;       /* enum vm_power */
	uint8_t remediation; /* enum rec_remediation, the last applied */
	bool cycling;        /* a power cycle is under way */
	uint32_t nstuns;     /* stuns so far */
	double downtime;
	double stun;         /* their sum */
	double down_at;      /* when its current outage began (NaN: running) */
	int32_t off_host;    /* VP_ACTION_OFF: the host whose remediation powered it off */
	const struct scenario_vm *spec; /* estate_vm_spec(), kept where the VM's state is */
};

struct rhost {
	uint8_t path;       /* enum scan_path */
	uint8_t state;      /* enum lp_state or enum cl_state by path, or RH_BLOCKED */
	uint8_t shown;      /* enum rec_state on the timeline since `since` */
	uint8_t attempt;    /* attempts begun */
	bool gave_up;       /* retries spent: leaving as failed */
	bool in_mm;         /* classic: in maintenance mode */
	bool evac_failed;   /* classic: this evacuation failed */
	bool patched;       /* runs the new revision */
	bool compliant;
	bool prep;          /* parallel round: counted as not yet in maintenance mode */
	bool held;          /* parallel round: in maintenance mode, waiting for the round */
	bool skipped;       /* parallel round: could not enter maintenance mode; not remediated */
	uint8_t why;        /* enum rec_why: why its last attempt failed, or why it never started */
	int32_t why_ref;    /* the VM (why is about a VM) or host (REC_WHY_STOPPED) it names */
	/* What DRS reads of every host of the cluster for every VM it places
	 * (pick_dst), in the first cache line with the flags above. */
	double mem_cap;     /* GB of memory */
	double mem_used;    /* GB of the parts on it and of those on their way */
	double reserved_gb; /* live-patch memory reservations in force */
	double cpu_cap;     /* vCPUs DRS may place: cores x cpu_overcommit */
	double cpu_used;    /* vCPUs likewise */
	int32_t *list;      /* the parts on the host, in inventory order (ascending) */
	uint32_t n;         /* parts on it */
	uint32_t cap;       /* room in list */
	bool own;           /* list is its own allocation, not part of rem.lists */
	int32_t qhead;      /* vMotion queue of parts leaving this host */
	int32_t qtail;
	int32_t fsr_cursor; /* FSR considers the parts from this one on */
	uint32_t fsr_at;    /* where fsr_cursor was in the list (checked before use) */
	uint32_t nfsr;      /* parts to fast-suspend-resume in this attempt */
	uint32_t fsr_conc;  /* FSRs at once (its hardware's fsr.concurrency) */
	uint32_t fsr_started;
	uint32_t fsr_busy;
	uint32_t outstanding; /* evacuation: vMotions and power actions to finish */
	uint32_t vmotions;  /* vMotions running from this host */
	uint32_t vmotions_in; /* vMotions running to this host */
	uint32_t vmotion_max; /* vMotions it may take part in at once (vmotion_limit) */
	int32_t qlink;      /* next host of the cluster with queued vMotions */
	bool dst_wait;      /* a queued vMotion of it waits for a slot at its destination */
	uint32_t incoming;  /* parts on their way here (vMotion, HA restart) */
	uint32_t old_vms;   /* parts holding this host's compliance */
	double since;
	double start;
	double end;
	double compliant_at;
};

struct rcluster {
	uint32_t limit;    /* hosts in remediation at once */
	uint32_t tolerance; /* failed hosts the remediation goes on after */
	uint32_t failed;   /* hosts failed */
	uint32_t preparing; /* parallel round: hosts not yet in maintenance mode */
	bool rounds;       /* classic parallel remediation: the admin prepares rounds */
	bool stopped;      /* the remediation stopped at a failed host: no host starts */
	int32_t stopped_at; /* that host */
	uint32_t next;     /* next host to start, relative to host0 */
	uint32_t active;   /* hosts in remediation */
	uint32_t finished; /* hosts done or failed */
	uint32_t classic_active; /* classic-path hosts in remediation */
	int32_t qhosts;    /* its hosts with queued vMotions, in the order they queued */
	uint32_t nwait;    /* those of them with dst_wait */
	bool blocked;
};

struct rem {
	const struct estate *e;
	const struct scan *scan;
	const struct hw_ops *ops;
	void *hw;
	struct rec *rec;
	bool vmx;          /* the patch changes the VM runtime */
	bool prefetch;     /* the VM arrays outgrow the caches: FOR_PARTS fetches ahead */
	uint32_t ncompliant;
	int err;           /* first error (OOM in the record, unexpected event) */
	struct rhost *hosts;
	struct rpart *parts;
	struct rvm *vms;
	struct rcluster *clusters;
	int32_t *lists;    /* the hosts' first lists, in one block */
	size_t nlists;     /* its entries */
	int32_t *order;    /* per cluster from its host0: the order hosts start in */
	/* The state at time 0 for `scan`, copied by rem_reset instead of being
	 * built again: taken at the second replication of a strategy (a
	 * single replication needs no copy). */
	struct {
		const struct scan *scan; /* NULL: none taken */
		const struct scan *last; /* the scan of the last init */
		struct rhost *hosts;
		struct rpart *parts;
		struct rvm *vms;
		struct rcluster *clusters;
		int32_t *lists;
	} t0;
};

/*
 * For each part p on host x of r, in inventory order (the list must not
 * change meanwhile). In a large estate a host's parts are scattered over
 * VM arrays larger than the caches, so the first look at each is a cache
 * miss: the loop asks for the part and VM a few places ahead while it
 * handles this one (in a small one, that would be work for nothing).
 */
#define FOR_PARTS(p, r, x)                                                          \
	for (int32_t p##_i = 0, p;                                                  \
	     p##_i < (int32_t)(x)->n &&                                             \
	     (p = (x)->list[p##_i], PREFETCH_PART((r), (x), p##_i + PREFETCH_AHEAD), true); \
	     p##_i++)

#define PREFETCH_AHEAD 4
#define REM_PREFETCH_VMS 16384 /* 1 MB and more of part and VM state */

/* A macro, not a function: GCC finds a function that only prefetches pure
 * and drops its calls. */
#define PREFETCH_PART(r, x, i)                                                  \
	((r)->prefetch && (i) < (int32_t)(x)->n ? (__builtin_prefetch(&(r)->parts[(x)->list[(i)]]), \
				  __builtin_prefetch(&(r)->vms[(x)->list[(i)] >> 1]))  \
			       : (void)0)

/* ---- small helpers ---------------------------------------------------------- */

static double now(const struct rem *r)
{
	return r->ops->now(r->hw);
}

static void note(struct rem *r, int rc)
{
	if (rc < 0 && !r->err)
		r->err = rc;
}

static uint32_t cluster_of(const struct rem *r, int32_t h)
{
	return r->e->hosts[h].cluster;
}

static const struct scenario_cluster *cspec(const struct rem *r, int32_t h)
{
	return r->e->clusters[cluster_of(r, h)].spec;
}

static const struct scenario_remediation *remediation_of(const struct rem *r, int32_t h)
{
	return &cspec(r, h)->remediation;
}

static const struct scenario_vm *vspec(const struct rem *r, int32_t p)
{
	return r->vms[p >> 1].spec;
}

static bool classic(const struct rem *r, int32_t h)
{
	return r->hosts[h].path == SCAN_PATH_CLASSIC;
}

static double free_mem(const struct rem *r, int32_t h)
{
	const struct rhost *x = &r->hosts[h];
	return x->mem_cap - x->mem_used - x->reserved_gb;
}

static double free_cpu(const struct rem *r, int32_t h)
{
	return r->hosts[h].cpu_cap - r->hosts[h].cpu_used;
}

/* Whether VM v can be vMotioned at all (SCENARIO.md); a vGPU VM only with
 * its cluster's passthrough_drs_automation (drs_pinned, SEMANTICS.md). */
static bool movable(const struct scenario_vm *s)
{
	return !s->directpath && !s->vsphere_pod && !s->shared_disk && !s->drs_pinned;
}

static inline bool holds(const struct rem *r, int32_t p)
{
	const struct rpart *x = &r->parts[p];
	return r->vmx && x->host != NONE && x->old && !x->down && r->vms[p >> 1].power == VP_ON;
}

static inline void check_compliant(struct rem *r, int32_t h);

/* Before a change to VM v's parts or power: they stop holding their hosts. */
static void unhold(struct rem *r, int32_t v)
{
	for (int32_t p = 2 * v; p < 2 * v + 2; p++)
		if (holds(r, p))
			r->hosts[r->parts[p].host].old_vms--;
}

/* After the change: they hold again where they should; then (both parts
 * counted, as an FT VM's two may share a host for an instant) hosts may
 * become compliant. */
static void rehold(struct rem *r, int32_t v)
{
	for (int32_t p = 2 * v; p < 2 * v + 2; p++)
		if (holds(r, p))
			r->hosts[r->parts[p].host].old_vms++;
	for (int32_t p = 2 * v; p < 2 * v + 2; p++)
		if (r->parts[p].host != NONE)
			check_compliant(r, r->parts[p].host);
}

/* Part p now runs the new VM runtime (its FSR, or a reboot under it): the
 * one change to its VM, so rather than unhold() and rehold() around it,
 * only p's count moves; then both parts' hosts are checked, as rehold()
 * does. */
static void renew(struct rem *r, int32_t p)
{
	if (holds(r, p))
		r->hosts[r->parts[p].host].old_vms--;
	r->parts[p].old = false;
	const int32_t primary = r->parts[p & ~1].host, secondary = r->parts[p | 1].host;
	if (primary != NONE)
		check_compliant(r, primary);
	if (secondary != NONE)
		check_compliant(r, secondary);
}

/* VM v was stunned for s seconds (its FSR, or a vMotion's switchover). A
 * first stun is kept in the VM only: rem_finish tells the record whether
 * it was the VM's whole downtime (record.h, `sole`); from the second on,
 * every one goes to the record. */
static inline void stunned(struct rem *r, int32_t v, double s)
{
	struct rvm *m = &r->vms[v];
	if (m->nstuns == 1)
		note(r, rec_add_stun(r->rec, m->stun));
	if (m->nstuns >= 1)
		note(r, rec_add_stun(r->rec, s));
	m->nstuns++;
	m->stun += s;
	m->downtime += s;
}

/* ---- parts on hosts ---------------------------------------------------------- */

/* Memory and vCPUs part p takes on a host, for DRS and HA: nothing for a VM
 * powered off or suspended in the scenario (it consumes no host memory and
 * stays off through the run); a VM a power action turned off keeps its
 * share, as it powers on again on the same host. */
static double part_mem(const struct rem *r, int32_t p)
{
	uint8_t pw = r->vms[p >> 1].power;
	return pw == VP_OFF || pw == VP_SUSPENDED ? 0 : vspec(r, p)->memory_gb;
}

static double part_cpu(const struct rem *r, int32_t p)
{
	uint8_t pw = r->vms[p >> 1].power;
	return pw == VP_OFF || pw == VP_SUSPENDED ? 0 : vspec(r, p)->vcpus;
}

static void reserve(struct rem *r, int32_t h, int32_t p)
{
	r->hosts[h].mem_used += part_mem(r, p);
	r->hosts[h].cpu_used += part_cpu(r, p);
}

static void unreserve(struct rem *r, int32_t h, int32_t p)
{
	r->hosts[h].mem_used -= part_mem(r, p);
	r->hosts[h].cpu_used -= part_cpu(r, p);
}

static void start_hosts(struct rem *r, uint32_t c);

/* Part p is on its way to dst: capacity taken there from now on. */
static void reserve_dst(struct rem *r, int32_t p, int32_t dst)
{
	reserve(r, dst, p);
	r->parts[p].dst = dst;
	r->hosts[dst].incoming++;
}

/*
 * Part p arrived at its destination (keep the capacity) or will not go
 * (give it back). vLCM holds back a host with VMs on their way to it; with
 * wake, such a host may start now. (An evacuation plan that fails gives
 * its reservations back without waking anyone.)
 */
static void clear_dst(struct rem *r, int32_t p, bool arrived, bool wake)
{
	int32_t dst = r->parts[p].dst;
	if (!arrived)
		unreserve(r, dst, p);
	r->parts[p].dst = NONE;
	if (--r->hosts[dst].incoming == 0 && wake && r->hosts[dst].state == 0)
		start_hosts(r, r->e->hosts[dst].cluster);
}

/* Where part p is or would go in host x's list: the first index holding a part >= p. */
static uint32_t list_pos(const struct rhost *x, int32_t p)
{
	uint32_t lo = 0, hi = x->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (x->list[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Adds part p to host h's list, in inventory order (capacity not touched).
 * The list is a small sorted array: arrivals land anywhere in it, and a
 * binary search and a short move stay within a few cache lines, where a
 * linked list took a cache miss a step. Returns 0 or -ENOMEM (the list is
 * unchanged then).
 */
static int link_part(struct rem *r, int32_t p, int32_t h)
{
	struct rhost *y = &r->hosts[h];
	if (y->n == y->cap) {
		uint32_t cap = y->cap < 4 ? 8 : 2 * y->cap;
		int32_t *l = malloc((size_t)cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		memcpy(l, y->list, (size_t)y->n * sizeof(*l));
		if (y->own)
			free(y->list);
		y->list = l;
		y->cap = cap;
		y->own = true;
	}
	uint32_t at = list_pos(y, p);
	memmove(&y->list[at + 1], &y->list[at], (size_t)(y->n - at) * sizeof(*y->list));
	y->list[at] = p;
	y->n++;
	r->parts[p].host = h;
	return 0;
}

static void unlink_part(struct rem *r, int32_t p, int32_t h)
{
	struct rhost *y = &r->hosts[h];
	uint32_t at = list_pos(y, p);
	memmove(&y->list[at], &y->list[at + 1], (size_t)(y->n - at - 1) * sizeof(*y->list));
	y->n--;
}

/* Moves part p from its host's list to dst's (capacity not touched). On
 * OOM it stays where it was and the run fails (rem.err). */
static void move_part(struct rem *r, int32_t p, int32_t dst)
{
	int32_t src = r->parts[p].host;
	int rc = link_part(r, p, dst);
	if (rc < 0) {
		note(r, rc);
		return;
	}
	unlink_part(r, p, src);
}

/* Part p lands on dst (whose capacity was reserved for it), leaving its host. */
static void land(struct rem *r, int32_t p, int32_t dst)
{
	int32_t v = p >> 1, src = r->parts[p].host;
	unhold(r, v);
	unreserve(r, src, p);
	move_part(r, p, dst);
	r->parts[p].old = !r->hosts[dst].patched;
	rehold(r, v);
	check_compliant(r, src); /* it may have been the last part holding src */
	clear_dst(r, p, true, true);
}

/* ---- timeline and compliance ------------------------------------------------ */

static enum rec_state shown_state(const struct rem *r, int32_t h)
{
	static const uint8_t live[LP_NSTATES] = {
		[LP_PENDING] = REC_ST_PENDING,
		[LP_ENTERING_PMM] = REC_ST_ENTERING_PARTIAL_MM,
		[LP_MOUNTING] = REC_ST_MOUNTING,
		[LP_PATCHING] = REC_ST_PATCHING,
		[LP_ROLLBACK] = REC_ST_ROLLBACK,
		[LP_RETRY_WAIT] = REC_ST_RETRY_WAIT,
		[LP_FSR] = REC_ST_FSR,
		[LP_EXITING_PMM] = REC_ST_EXITING_PARTIAL_MM,
		[LP_CRASHED] = REC_ST_REBOOTING,
		[LP_DONE] = REC_ST_DONE,
		[LP_FAILED] = REC_ST_FAILED,
	};
	static const uint8_t cl[CL_NSTATES] = {
		[CL_PENDING] = REC_ST_PENDING,
		[CL_EVACUATING] = REC_ST_ENTERING_MM,
		[CL_ENTERING_MM] = REC_ST_ENTERING_MM,
		[CL_INSTALLING] = REC_ST_INSTALLING,
		[CL_REBOOTING] = REC_ST_REBOOTING,
		[CL_EXITING_MM] = REC_ST_EXITING_MM,
		[CL_RETRY_WAIT] = REC_ST_RETRY_WAIT,
		[CL_CRASHED] = REC_ST_REBOOTING,
		[CL_DONE] = REC_ST_DONE,
		[CL_FAILED] = REC_ST_FAILED,
	};
	uint8_t s = r->hosts[h].state;
	if (s == RH_BLOCKED)
		return REC_ST_BLOCKED;
	return (enum rec_state)(classic(r, h) ? cl[s] : live[s]);
}

/* The timeline: the host shows its current state from now on. */
static void show(struct rem *r, int32_t h)
{
	if (!r->rec->detail)
		return; /* only a replication whose timeline is written keeps one */
	struct rhost *x = &r->hosts[h];
	enum rec_state st = shown_state(r, h);
	if (x->shown == st)
		return;
	double t = now(r);
	if (r->rec->detail && t > x->since)
		note(r, rec_add_span(r->rec, (uint32_t)h, (enum rec_state)x->shown, x->since, t));
	x->shown = (uint8_t)st;
	x->since = t;
}

static void become_compliant(struct rem *r, int32_t h);

/* Host h became compliant if it runs the new revision and no part holds
 * it. Inline, as most changes leave the host as it was (an FSR of one of
 * many VMs); the change itself is out of line. */
static inline void check_compliant(struct rem *r, int32_t h)
{
	const struct rhost *x = &r->hosts[h];
	if (!x->compliant && x->patched && x->old_vms == 0)
		become_compliant(r, h);
}

static void become_compliant(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	x->compliant = true;
	x->compliant_at = now(r);
	r->ncompliant++;
	if (r->rec->detail)
		note(r, rec_add_step(r->rec, x->compliant_at, r->ncompliant));
	if (r->ncompliant == r->e->nhosts)
		r->rec->time_to_compliance_s = x->compliant_at;
}

/* ---- construction ------------------------------------------------------------ */

/* Room for host h's list in rem.lists: half as many again as it holds at
 * first (evacuations bring VMs); a list that outgrows it moves to an
 * allocation of its own. */
static uint32_t first_room(const struct estate *e, size_t h)
{
	uint32_t n0 = e->on_host0[h + 1] - e->on_host0[h];
	return n0 + n0 / 2 + 4;
}

/* Frees the lists that outgrew their first room. */
static void free_own_lists(struct rem *r)
{
	for (size_t h = 0; h < r->e->nhosts; h++)
		if (r->hosts[h].own)
			free(r->hosts[h].list);
}

static uint32_t vmotion_limit(const struct rem *r, int32_t h);

/* Replication rec's per-VM rows (when it keeps them) as at time 0. */
static void rec_vms_init(const struct rem *r, struct rec *rec)
{
	if (!rec->detail)
		return;
	for (size_t v = 0; v < r->e->nvms; v++)
		rec->vms[v] = (struct rec_vm){.host_before = r->e->vms[v].host,
					      .host_after = r->e->vms[v].host,
					      .remediation = REC_REM_NONE,
					      .secondary_after = r->e->vms[v].secondary};
}

/*
 * Why vLCM may not remediate cluster c's hosts in parallel ("vSAN", "NSX",
 * "vSphere Pods": vSphere with Tanzu), or NULL when it may ("vSphere
 * Lifecycle Manager Feature Spotlight: Parallel Remediation"). Where it may
 * not, lpsim falls back to sequential remediation for the classic path.
 */
static const char *parallel_unsupported(const struct estate *e, uint32_t c)
{
	const struct estate_cluster *ec = &e->clusters[c];
	if (ec->spec->vsan)
		return "vSAN";
	if (ec->spec->nsx)
		return "NSX";
	for (uint32_t v = ec->vm0; v < ec->vm0 + ec->nvms; v++)
		if (estate_vm_spec(e, v)->vsphere_pod)
			return "vSphere Pods";
	return NULL;
}

/*
 * Cluster c's remediation as vLCM runs it. Sequentially one host at a
 * time, the remediation stopping at the first failed host; in parallel
 * (where supported), a failed host does not stop the others. A failed
 * host tolerance (vSphere 9.1) lets it go on until more hosts than that
 * share of the cluster failed. Classic-path hosts of a cluster remediated
 * in parallel go in rounds the admin prepares (start_round); live-path
 * hosts go max_hosts at a time into partial maintenance mode (vLCM's
 * documentation is silent on it: an assumption).
 */
static void init_cluster(struct rem *r, uint32_t c, const struct scan *scan)
{
	const struct estate *e = r->e;
	const struct estate_cluster *ec = &e->clusters[c];
	const struct scenario_remediation *rm = &ec->spec->remediation;
	struct rcluster *k = &r->clusters[c];
	uint32_t n = ec->nhosts;
	bool any_classic = false;
	for (uint32_t h = ec->host0; h < ec->host0 + n; h++)
		any_classic |= scan->host_path[h] == SCAN_PATH_CLASSIC;
	bool parallel = rm->parallel_enabled && (!any_classic || !parallel_unsupported(e, c));
	uint32_t limit = !parallel ? 1
			 : rm->max_hosts == SCENARIO_MAX_HOSTS_AUTO ? n
								    : (uint32_t)rm->max_hosts;
	k->limit = limit ? limit : 1;
	k->rounds = parallel && any_classic;
	k->blocked = scan->cluster_blocked[c];
	k->qhosts = NONE;
	if (rm->failed_host_tolerance_pct >= 0)
		k->tolerance = (uint32_t)floor(rm->failed_host_tolerance_pct / 100.0 * n + 1e-9);
	else
		k->tolerance = parallel ? UINT32_MAX : 0;
}

char *rem_cluster_mode(const struct estate *e, const struct scan *scan, uint32_t c, char *buf,
		       size_t n)
{
	const struct estate_cluster *ec = &e->clusters[c];
	const struct scenario_cluster *sc = ec->spec;
	const struct scenario_remediation *rm = &sc->remediation;
	bool any_classic = false, any_live = false;
	for (uint32_t h = ec->host0; h < ec->host0 + ec->nhosts; h++) {
		any_classic |= scan->host_path[h] == SCAN_PATH_CLASSIC;
		any_live |= scan->host_path[h] == SCAN_PATH_LIVE;
	}
	char mh[16];
	if (rm->max_hosts == SCENARIO_MAX_HOSTS_AUTO)
		snprintf(mh, sizeof(mh), "auto");
	else
		snprintf(mh, sizeof(mh), "%d", rm->max_hosts);
	const char *why = rm->parallel_enabled && any_classic ? parallel_unsupported(e, c) : NULL;
	char stop[64];
	if (rm->failed_host_tolerance_pct >= 0)
		snprintf(stop, sizeof(stop), "going on until more than %g%% of its hosts failed",
			 rm->failed_host_tolerance_pct);
	else
		snprintf(stop, sizeof(stop), "%s", "stopping at the first failed host");
	if (scan->cluster_blocked[c])
		snprintf(buf, n, "not remediated: blocked under enforce mode");
	else if (!rm->parallel_enabled || why)
		snprintf(buf, n, "sequential, one host at a time%s, %s%s%s%s",
			 sc->vsan ? " (vSAN: fault domain by fault domain)" : "", stop,
			 why ? "; parallel remediation is not supported with " : "", why ? why : "",
			 why && any_live ? " (live-path hosts go max_hosts at once: an assumption)"
					 : "");
	else if (any_classic)
		snprintf(buf, n,
			 "parallel (max_hosts %s): classic-path hosts in rounds the admin puts into "
			 "maintenance mode%s; %s",
			 mh, any_live ? ", live-path hosts with them" : "",
			 rm->failed_host_tolerance_pct >= 0 ? stop : "a failed host stops nothing");
	else
		snprintf(buf, n,
			 "parallel (max_hosts %s) in partial maintenance mode (an assumption: vLCM's "
			 "documentation is silent on it); %s",
			 mh, rm->failed_host_tolerance_pct >= 0 ? stop : "a failed host stops nothing");
	return buf;
}

/* A host and its fault domain, sorted by domain to rank the domains. */
struct fd_host {
	const char *fd; /* NULL: none */
	uint32_t h;
};

static int fd_host_cmp(const void *pa, const void *pb)
{
	const struct fd_host *a = pa, *b = pb;
	int c = !a->fd || !b->fd ? (a->fd != NULL) - (b->fd != NULL) : strcmp(a->fd, b->fd);
	return c ? c : (a->h > b->h) - (a->h < b->h);
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return (a > b) - (a < b);
}

/*
 * The order vLCM remediates each cluster's hosts in: inventory order; on
 * vSAN, fault domain by fault domain (in the order each first appears in
 * the inventory), the preferred fault domain of a stretched cluster first,
 * hosts without a fault domain last ("Remediation Specifics of vSAN
 * Clusters", vSphere Lifecycle Manager documentation). O(n log n).
 * Returns 0 or -ENOMEM.
 */
static int host_order(const struct estate *e, int32_t *order)
{
	for (uint32_t c = 0; c < e->nclusters; c++) {
		const struct estate_cluster *ec = &e->clusters[c];
		uint32_t n = ec->nhosts;
		for (uint32_t i = 0; i < n; i++)
			order[ec->host0 + i] = (int32_t)(ec->host0 + i);
		if (!ec->spec->vsan || n < 2)
			continue;
		struct fd_host *fh = malloc(n * sizeof(*fh));
		uint64_t *key = malloc(n * sizeof(*key));
		if (!fh || !key) {
			free(fh);
			free(key);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < n; i++)
			fh[i] = (struct fd_host){estate_host_spec(e, ec->host0 + i)->fault_domain, i};
		qsort(fh, n, sizeof(*fh), fd_host_cmp);
		const char *pref = ec->spec->preferred_fault_domain;
		for (uint32_t i = 0, first = 0; i < n; i++) {
			if (i == 0 || fd_host_cmp(&(struct fd_host){fh[i].fd, 0},
						  &(struct fd_host){fh[i - 1].fd, 0}))
				first = fh[i].h; /* the domain's first host in the inventory */
			uint64_t rank = !fh[i].fd			   ? (uint64_t)n + 1
					: pref && !strcmp(fh[i].fd, pref) ? 0
									   : (uint64_t)first + 1;
			key[i] = rank << 32 | fh[i].h;
		}
		qsort(key, n, sizeof(*key), u64_cmp);
		for (uint32_t i = 0; i < n; i++)
			order[ec->host0 + i] = (int32_t)(ec->host0 + (uint32_t)key[i]);
		free(fh);
		free(key);
	}
	return 0;
}

/* Every host, part, VM and cluster as at time 0 of a remediation, the
 * lists back in their first room. */
static void init(struct rem *r, const struct scan *scan, struct rec *rec)
{
	const struct estate *e = r->e;
	free_own_lists(r);
	memset(r->hosts, 0, (e->nhosts + 1) * sizeof(*r->hosts));
	memset(r->parts, 0, (2 * e->nvms + 1) * sizeof(*r->parts));
	memset(r->vms, 0, (e->nvms + 1) * sizeof(*r->vms));
	memset(r->clusters, 0, (e->nclusters + 1) * sizeof(*r->clusters));
	r->scan = scan;
	r->rec = rec;
	r->ncompliant = 0;
	r->err = 0;
	size_t room = 0;
	for (size_t h = 0; h < e->nhosts; h++) {
		struct rhost *x = &r->hosts[h];
		x->list = r->lists + room;
		x->cap = first_room(e, h);
		room += x->cap;
		x->path = scan->host_path[h];
		x->state = x->path == SCAN_PATH_NONE ? RH_BLOCKED : 0; /* 0: pending in both tables */
		x->shown = REC_ST_PENDING;
		x->qhead = x->qtail = x->fsr_cursor = x->qlink = NONE;
		x->vmotion_max = vmotion_limit(r, (int32_t)h);
		x->start = x->end = x->compliant_at = NAN;
		x->mem_cap = estate_host_spec(e, h)->memory_gb;
		x->fsr_conc = (uint32_t)estate_host_spec(e, h)->hardware.fsr_concurrency;
		x->cpu_cap = estate_host_spec(e, h)->cores * cspec(r, (int32_t)h)->cpu_overcommit;
	}
	static const uint8_t power[] = {[SCENARIO_POWER_ON] = VP_ON,
					[SCENARIO_POWER_OFF] = VP_OFF,
					[SCENARIO_POWER_SUSPENDED] = VP_SUSPENDED};
	for (size_t v = 0; v < e->nvms; v++) {
		const struct estate_vm *ev = &e->vms[v];
		struct rvm *m = &r->vms[v];
		m->spec = estate_vm_spec(e, v);
		m->power = power[m->spec->power];
		m->down_at = NAN;
		m->off_host = NONE;
		int32_t where[2] = {ev->host, ev->secondary};
		for (int k = 0; k < 2; k++) {
			int32_t p = (int32_t)(2 * v) + k;
			struct rpart *x = &r->parts[p];
			x->host = x->dst = x->qnext = NONE;
			if (where[k] == NONE)
				continue;
			x->old = true;
			link_part(r, p, where[k]); /* an append, within the first room */
			reserve(r, where[k], p);
		}
		rehold(r, (int32_t)v);
	}
	rec_vms_init(r, rec);
	for (size_t c = 0; c < e->nclusters; c++)
		init_cluster(r, (uint32_t)c, scan);
}

struct rem *rem_new(const struct estate *e, const struct scan *scan, const struct hw_ops *ops,
		    void *hw, struct rec *rec)
{
	struct rem *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->e = e;
	r->ops = ops;
	r->hw = hw;
	r->vmx = (e->sc->patch.components & SCENARIO_COMPONENT_VMX) != 0;
	r->prefetch = e->nvms >= REM_PREFETCH_VMS;
	r->hosts = calloc(e->nhosts + 1, sizeof(*r->hosts));
	r->parts = calloc(2 * e->nvms + 1, sizeof(*r->parts));
	r->vms = calloc(e->nvms + 1, sizeof(*r->vms));
	r->clusters = calloc(e->nclusters + 1, sizeof(*r->clusters));
	size_t room = 0;
	for (size_t h = 0; h < e->nhosts; h++)
		room += first_room(e, h);
	r->nlists = room + 1;
	r->lists = malloc(r->nlists * sizeof(*r->lists));
	r->order = malloc((e->nhosts + 1) * sizeof(*r->order));
	if (!r->hosts || !r->parts || !r->vms || !r->clusters || !r->lists || !r->order ||
	    host_order(e, r->order) < 0) {
		rem_free(r);
		return NULL;
	}
	init(r, scan, rec);
	r->t0.last = scan;
	return r;
}

static void t0_free(struct rem *r)
{
	free(r->t0.hosts);
	free(r->t0.parts);
	free(r->t0.vms);
	free(r->t0.clusters);
	free(r->t0.lists);
	memset(&r->t0, 0, sizeof(r->t0));
}

/* A copy of n bytes at p, or NULL. */
static void *dup_bytes(const void *p, size_t n)
{
	void *c = malloc(n);
	return c ? memcpy(c, p, n) : NULL;
}

/* Copies the state just built by init() as the time-0 state of its scan
 * (without the memory, nothing is copied and init() runs each time). */
static void t0_take(struct rem *r)
{
	const struct estate *e = r->e;
	const struct scan *last = r->t0.last;
	t0_free(r);
	r->t0.last = last;
	r->t0.hosts = dup_bytes(r->hosts, (e->nhosts + 1) * sizeof(*r->hosts));
	r->t0.parts = dup_bytes(r->parts, (2 * e->nvms + 1) * sizeof(*r->parts));
	r->t0.vms = dup_bytes(r->vms, (e->nvms + 1) * sizeof(*r->vms));
	r->t0.clusters = dup_bytes(r->clusters, (e->nclusters + 1) * sizeof(*r->clusters));
	r->t0.lists = dup_bytes(r->lists, r->nlists * sizeof(*r->lists));
	if (r->t0.hosts && r->t0.parts && r->t0.vms && r->t0.clusters && r->t0.lists)
		r->t0.scan = r->scan;
}

void rem_reset(struct rem *r, const struct scan *scan, struct rec *rec)
{
	if (r->t0.scan != scan) {
		init(r, scan, rec);
		if (r->t0.last == scan)
			t0_take(r);
		r->t0.last = scan;
		return;
	}
	const struct estate *e = r->e;
	free_own_lists(r);
	memcpy(r->hosts, r->t0.hosts, (e->nhosts + 1) * sizeof(*r->hosts));
	memcpy(r->parts, r->t0.parts, (2 * e->nvms + 1) * sizeof(*r->parts));
	memcpy(r->vms, r->t0.vms, (e->nvms + 1) * sizeof(*r->vms));
	memcpy(r->clusters, r->t0.clusters, (e->nclusters + 1) * sizeof(*r->clusters));
	memcpy(r->lists, r->t0.lists, r->nlists * sizeof(*r->lists));
	r->scan = scan;
	r->rec = rec;
	r->ncompliant = 0;
	r->err = 0;
	rec_vms_init(r, rec);
}

void rem_free(struct rem *r)
{
	if (!r)
		return;
	if (r->hosts)
		free_own_lists(r);
	t0_free(r);
	free(r->lists);
	free(r->order);
	free(r->hosts);
	free(r->parts);
	free(r->vms);
	free(r->clusters);
	free(r);
}

/* ---- DRS: where a part may go ------------------------------------------------ */

enum dst_kind {
	DST_EVACUATE, /* DRS evacuation: any host of the cluster that takes VMs */
	DST_HA,       /* HA restart: likewise */
	DST_DONE,     /* manual remediation: a host already done */
};

/* Whether host h takes incoming VMs: in neither (partial) maintenance mode nor crashed. */
static bool takes_vms(const struct rem *r, int32_t h)
{
	const struct rhost *x = &r->hosts[h];
	if (x->state == RH_BLOCKED)
		return true;
	if (classic(r, h)) /* a host the admin is putting into maintenance mode takes none */
		return (x->state == CL_PENDING && !x->prep) || x->state == CL_DONE ||
		       x->state == CL_FAILED || (x->state == CL_RETRY_WAIT && !x->in_mm);
	return x->state == LP_PENDING || x->state == LP_DONE || x->state == LP_FAILED;
}

/* Whether part p is on host h or on its way there (it counts on both
 * until it lands). */
static bool occupies(const struct rem *r, int32_t p, int32_t h)
{
	return r->parts[p].host != NONE && (r->parts[p].host == h || r->parts[p].dst == h);
}

/* Whether part p may run on host h of cluster ec (p's): FT separation and
 * anti-affinity rules. */
static bool rules_allow(const struct rem *r, int32_t p, int32_t h, const struct estate_cluster *ec)
{
	if (occupies(r, p ^ 1, h))
		return false;
	const struct scenario_cluster *c = ec->spec;
	if (c->nrules == 0)
		return true; /* most clusters: no need to look the VM up */
	const struct estate_vm *ev = &r->e->vms[p >> 1];
	for (size_t i = 0; i < c->nrules; i++) {
		const struct scenario_rule *rule = &c->rules[i];
		if (rule->type != SCENARIO_RULE_VM_ANTI_AFFINITY)
			continue;
		bool member = false;
		for (size_t j = 0; j < rule->nvms && !member; j++)
			member = rule->vms[j].entry == ev->entry && rule->vms[j].number == (long)ev->number;
		if (!member)
			continue;
		for (size_t j = 0; j < rule->nvms; j++) {
			/* the member's VM index: the cluster's VMs are in entry order */
			size_t base = 0;
			for (size_t k = 0; k < rule->vms[j].entry; k++)
				base += (size_t)c->vms[k].count;
			int32_t u = (int32_t)(ec->vm0 + base + (size_t)rule->vms[j].number - 1);
			if (u != p >> 1 && occupies(r, 2 * u, h))
				return false;
		}
	}
	return true;
}

/* The destination for part p leaving host src: the host of its cluster with
 * the most free memory that takes it, ties to the earliest; NONE if none. */
static int32_t pick_dst(const struct rem *r, int32_t p, int32_t src, enum dst_kind kind)
{
	const struct estate_cluster *ec = &r->e->clusters[cluster_of(r, src)];
	double need_mem = part_mem(r, p), need_cpu = part_cpu(r, p);
	int32_t best = NONE;
	double best_free = 0;
	for (int32_t h = (int32_t)ec->host0; h < (int32_t)(ec->host0 + ec->nhosts); h++) {
		double fm = free_mem(r, h);
		if (r->hosts[h].path == SCAN_PATH_LIVE && r->hosts[h].state == LP_PENDING)
			fm -= r->e->sc->patch.reservation_temporary_gb; /* room for its live patch */
		/* The cheap test first: a host with no more room than the best so
		 * far cannot win (ties go to the earliest), whatever else holds. */
		if (fm < need_mem || (best != NONE && fm <= best_free))
			continue;
		if (h == src || !takes_vms(r, h) || (kind == DST_DONE && !r->hosts[h].patched))
			continue;
		if (free_cpu(r, h) < need_cpu || !rules_allow(r, p, h, ec))
			continue;
		best = h;
		best_free = fm;
	}
	return best;
}

/* ---- vMotion queues ---------------------------------------------------------- */

/*
 * vMotions wait in their source host's queue (inventory order) until both
 * ends have a free slot: a host takes part in at most vmotion_limit()
 * vMotions at once, as source or destination (vCenter's network limit,
 * "Limits on Simultaneous Migrations"). A queued vMotion whose destination
 * is full lets those behind it go first. The hosts with queued vMotions
 * are listed per cluster (destinations are in the cluster), so that a slot
 * freed at a destination wakes the queues that may wait for it.
 */

/* The vMotions host h takes part in at once: max_concurrent when the
 * scenario sets it, else 4 on a link below 10 Gbit/s and 8 from 10 up. */
static uint32_t vmotion_limit(const struct rem *r, int32_t h)
{
	const struct scenario_host *hs = estate_host_spec(r->e, (size_t)h);
	if (hs->hardware.vmotion.max_concurrent > 0)
		return (uint32_t)hs->hardware.vmotion.max_concurrent;
	return hs->vmotion_gbps < 10 ? 4 : 8;
}

static bool vmotion_slot(const struct rem *r, int32_t h)
{
	const struct rhost *x = &r->hosts[h];
	return x->vmotions + x->vmotions_in < x->vmotion_max;
}

/* Whether host h's queue waits for a slot at a destination (only a slot
 * freed elsewhere can start it: its own are free). */
static void set_dst_wait(struct rem *r, int32_t h, bool wait)
{
	struct rhost *x = &r->hosts[h];
	if (x->dst_wait == wait)
		return;
	x->dst_wait = wait;
	if (wait)
		r->clusters[cluster_of(r, h)].nwait++;
	else
		r->clusters[cluster_of(r, h)].nwait--;
}

/* Host h's queue became non-empty (listed) or empty (unlisted). */
static void list_queue(struct rem *r, int32_t h, bool listed)
{
	int32_t *at = &r->clusters[cluster_of(r, h)].qhosts;
	while (*at != NONE && *at != h)
		at = &r->hosts[*at].qlink;
	if (listed && *at == NONE) {
		*at = h;
		r->hosts[h].qlink = NONE;
	} else if (!listed && *at == h) {
		*at = r->hosts[h].qlink;
		r->hosts[h].qlink = NONE;
	}
}

static void enqueue(struct rem *r, int32_t src, int32_t p, int32_t dst, bool manual)
{
	struct rhost *x = &r->hosts[src];
	struct rpart *y = &r->parts[p];
	reserve_dst(r, p, dst);
	y->manual = manual;
	y->qnext = NONE;
	if (x->qtail == NONE) {
		x->qhead = p;
		list_queue(r, src, true);
	} else {
		r->parts[x->qtail].qnext = p;
	}
	x->qtail = p;
}

/* Drops the queued vMotions of host src (their reservations too); returns
 * how many of them were the evacuation's. */
static uint32_t drop_queue(struct rem *r, int32_t src, bool wake)
{
	struct rhost *x = &r->hosts[src];
	uint32_t evac = 0;
	for (int32_t p = x->qhead, n; p != NONE; p = n) {
		n = r->parts[p].qnext;
		clear_dst(r, p, false, wake);
		r->parts[p].qnext = NONE;
		evac += !r->parts[p].manual;
	}
	if (x->qhead != NONE)
		list_queue(r, src, false);
	set_dst_wait(r, src, false);
	x->qhead = x->qtail = NONE;
	return evac;
}

/* Starts the queued vMotions of src, in order, while src has a free slot;
 * one whose destination has none stays queued. */
static void pump(struct rem *r, int32_t src)
{
	struct rhost *x = &r->hosts[src];
	if (x->qhead == NONE)
		return; /* unlisted, not waiting, when it emptied */
	int32_t prev = NONE;
	bool waits = false;
	for (int32_t p = x->qhead, n; p != NONE && vmotion_slot(r, src); p = n) {
		struct rpart *y = &r->parts[p];
		n = y->qnext;
		if (!vmotion_slot(r, y->dst)) {
			prev = p;
			waits = true;
			continue;
		}
		if (prev == NONE)
			x->qhead = n;
		else
			r->parts[prev].qnext = n;
		if (x->qtail == p)
			x->qtail = prev;
		y->qnext = NONE;
		y->op = OP_VMOTION;
		x->vmotions++;
		r->hosts[y->dst].vmotions_in++;
		r->ops->vmotion(r->hw, p >> 1, p & 1, src, y->dst);
	}
	set_dst_wait(r, src, waits && vmotion_slot(r, src));
	if (x->qhead == NONE)
		list_queue(r, src, false);
}

/* Slots were freed at destinations in cluster c: the queues waiting for
 * one go on (all its queues when `all`). */
static void pump_cluster(struct rem *r, uint32_t c, bool all)
{
	if (r->clusters[c].nwait == 0 && !all)
		return;
	for (int32_t h = r->clusters[c].qhosts, n; h != NONE; h = n) {
		n = r->hosts[h].qlink; /* pump may unlist h */
		if (all || r->hosts[h].dst_wait)
			pump(r, h);
	}
}

/* ---- the host machines ------------------------------------------------------- */

static void live_event(struct rem *r, int32_t h, enum lp_event ev);
static void classic_event(struct rem *r, int32_t h, enum cl_event ev);
static void manual_trigger(struct rem *r, int32_t h);

/* A new attempt of host h begins: counted, and the hardware may crash within it. */
static void begin_attempt(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	x->attempt++;
	r->ops->attempt_start(r->hw, h, x->attempt, classic(r, h));
}

static bool retries_left(const struct rem *r, int32_t h)
{
	return r->hosts[h].attempt <= remediation_of(r, h)->retry_count;
}


/* Host h of cluster k starts its remediation. */
static void start_host(struct rem *r, struct rcluster *k, int32_t h)
{
	if (classic(r, h))
		k->classic_active++;
	k->next++;
	k->active++;
	r->hosts[h].start = now(r);
	begin_attempt(r, h);
	if (classic(r, h))
		classic_event(r, h, CL_EV_START);
	else
		live_event(r, h, LP_EV_START);
}

/*
 * Parallel remediation of classic-path hosts: vLCM remediates in parallel
 * only hosts already in maintenance mode, and skips the others ("vSphere
 * Lifecycle Manager Feature Spotlight: Parallel Remediation"). lpsim
 * models the admin's preparation as rounds: the admin puts the next
 * max_hosts hosts into maintenance mode (with auto, as many as DRS can
 * evacuate at once), their VMs leaving by vMotion (what cannot move is
 * handled per parallel.unmovable_vms); vLCM remediates them together once
 * all are in maintenance mode (or given up: skipped, not remediated); the
 * next round starts when every host of this one left remediation.
 */
static void start_round(struct rem *r, uint32_t c)
{
	struct rcluster *k = &r->clusters[c];
	const struct estate_cluster *ec = &r->e->clusters[c];
	const struct scenario_remediation *rm = &ec->spec->remediation;
	if (k->active > 0 || k->stopped)
		return;
	/* The round: the next max_hosts hosts; with auto, as many as the
	 * memory of the other hosts can take the running VMs of (at least
	 * one). They are chosen before any moves, so that none of them is
	 * a destination of another's evacuation. */
	double spare = 0, need = 0;
	for (int32_t g = (int32_t)ec->host0; g < (int32_t)(ec->host0 + ec->nhosts); g++)
		if (takes_vms(r, g))
			spare += free_mem(r, g);
	uint32_t end = k->next;
	while (end < ec->nhosts && end - k->next < k->limit) {
		int32_t h = r->order[ec->host0 + end];
		if (r->hosts[h].incoming > 0)
			break; /* VMs on their way to it: it waits for the next round */
		if (rm->max_hosts == SCENARIO_MAX_HOSTS_AUTO && end > k->next) {
			double n2 = need + r->hosts[h].mem_used, s2 = spare - free_mem(r, h);
			if (n2 > s2)
				break;
		}
		need += r->hosts[h].mem_used;
		spare -= free_mem(r, h);
		if (classic(r, h)) {
			r->hosts[h].prep = true;
			k->preparing++;
		}
		end++;
	}
	while (k->next < end)
		start_host(r, k, r->order[ec->host0 + k->next]);
}

/*
 * Starts cluster c's next hosts while fewer than its limit are in
 * remediation. Without rounds, a cluster with classic-path hosts is
 * sequential (limit 1: a vSAN cluster's one host in maintenance mode at a
 * time comes with it), and one remediated in parallel has live-path hosts
 * only (init_cluster).
 */
static void start_hosts(struct rem *r, uint32_t c)
{
	struct rcluster *k = &r->clusters[c];
	const struct estate_cluster *ec = &r->e->clusters[c];
	if (k->blocked || k->stopped)
		return;
	if (k->rounds) {
		start_round(r, c);
		return;
	}
	while (k->active < k->limit && k->next < ec->nhosts) {
		int32_t h = r->order[ec->host0 + k->next];
		if (r->hosts[h].incoming > 0)
			break; /* VMs on their way to it: it starts when they land */
		start_host(r, k, h);
	}
}

/* VMs powered off for host h's remediation come back now, on whatever it
 * runs (there are none before a power action has run). */
static void power_on_left(struct rem *r, int32_t h)
{
	if (!r->rec->vms_powered_off)
		return;
	FOR_PARTS (p, r, &r->hosts[h]) {
		int32_t v = p >> 1;
		if (r->vms[v].power == VP_ACTION_OFF && r->vms[v].off_host == h &&
		    r->parts[2 * v].op == OP_NONE) {
			r->parts[2 * v].op = OP_POWER_ON;
			r->ops->vm_power_on(r->hw, v);
		}
	}
}

/* Parallel round: host h no longer waits to enter maintenance mode (it is
 * in it, left remediation, or was skipped). When the last host of the
 * round is ready, vLCM remediates the round's hosts in maintenance mode. */
static void round_prepared(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	if (!x->prep)
		return;
	x->prep = false;
	uint32_t c = cluster_of(r, h);
	if (--r->clusters[c].preparing > 0)
		return;
	const struct estate_cluster *ec = &r->e->clusters[c];
	for (int32_t g = (int32_t)ec->host0; g < (int32_t)(ec->host0 + ec->nhosts); g++)
		if (r->hosts[g].held) {
			r->hosts[g].held = false;
			classic_event(r, g, CL_EV_ENTERED);
		}
}

/* Host h left remediation, done (patched) or failed. */
static void finish(struct rem *r, int32_t h, bool done)
{
	struct rhost *x = &r->hosts[h];
	uint32_t c = cluster_of(r, h);
	r->ops->attempt_end(r->hw, h);
	x->end = now(r);
	x->reserved_gb = 0;
	if (done) {
		x->patched = true;
		x->reserved_gb = r->e->sc->patch.reservation_permanent_gb;
		if (classic(r, h)) /* a reboot restarts every runtime */
			FOR_PARTS (p, r, x)
				renew(r, p);
		check_compliant(r, h);
	}
	power_on_left(r, h);
	struct rcluster *k = &r->clusters[c];
	k->active--;
	k->finished++;
	if (classic(r, h))
		k->classic_active--;
	if (!done && ++k->failed > k->tolerance && !k->stopped) {
		k->stopped = true; /* the hosts after it are not remediated */
		k->stopped_at = h;
	}
	round_prepared(r, h);
	manual_trigger(r, h);
	start_hosts(r, c);
}

/* Starts FSRs on live host h, in inventory order, up to the concurrency. */
static void fsr_fill(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	while (x->fsr_busy < x->fsr_conc && x->fsr_started < x->nfsr) {
		uint32_t at = x->fsr_at;
		if (at > x->n || (at < x->n && x->list[at] < x->fsr_cursor) ||
		    (at > 0 && x->list[at - 1] >= x->fsr_cursor))
			at = list_pos(x, x->fsr_cursor); /* the list changed meanwhile */
		if (at == x->n)
			break; /* cannot happen: nfsr counted this list */
		int32_t p = x->list[at];
		x->fsr_cursor = p + 1;
		x->fsr_at = at + 1;
		if (!holds(r, p) || (p & 1) || r->scan->vm_incompat[p >> 1])
			continue;
		x->fsr_started++;
		x->fsr_busy++;
		r->parts[p].op = OP_FSR;
		r->ops->fsr(r->hw, h, p >> 1);
	}
}

/* How many parts live host h fast-suspend-resumes: its powered-on, compatible primaries. */
static uint32_t count_fsr(const struct rem *r, int32_t h)
{
	uint32_t n = 0;
	FOR_PARTS (p, r, &r->hosts[h])
		n += holds(r, p) && !(p & 1) && !r->scan->vm_incompat[p >> 1];
	return n;
}

static void crash(struct rem *r, int32_t h);

static void live_act(struct rem *r, int32_t h, enum lp_action a)
{
	struct rhost *x = &r->hosts[h];
	switch (a) {
	case LP_ACT_NONE:
		break;
	case LP_ACT_ENTER_PMM:
		x->reserved_gb = r->e->sc->patch.reservation_temporary_gb;
		r->ops->enter_partial_mm(r->hw, h);
		break;
	case LP_ACT_MOUNT:
		r->ops->mount_revision(r->hw, h, x->attempt);
		break;
	case LP_ACT_PATCH:
		r->ops->patch_revision(r->hw, h, x->attempt);
		break;
	case LP_ACT_ROLLBACK:
		r->ops->rollback(r->hw, h, x->attempt);
		break;
	case LP_ACT_WAIT_RETRY:
		r->ops->retry_delay(r->hw, h, x->attempt);
		break;
	case LP_ACT_FSR_START:
		x->fsr_cursor = 0;
		x->fsr_at = 0;
		x->fsr_started = x->fsr_busy = 0;
		fsr_fill(r, h);
		break;
	case LP_ACT_FSR_NEXT:
		fsr_fill(r, h);
		break;
	case LP_ACT_EXIT_PMM:
		r->ops->exit_partial_mm(r->hw, h);
		break;
	case LP_ACT_CRASH:
		crash(r, h);
		break;
	case LP_ACT_RESTART:
		begin_attempt(r, h);
		live_event(r, h, LP_EV_START);
		break;
	case LP_ACT_FINISH:
		finish(r, h, x->state == LP_DONE);
		break;
	}
}

static void live_event(struct rem *r, int32_t h, enum lp_event ev)
{
	struct rhost *x = &r->hosts[h];
	struct lp_step st = lp_transition((enum lp_state)x->state, ev);
	if (!st.valid) {
		note(r, -EPROTO);
		return;
	}
	if (st.next != x->state) { /* the timeline shows states: same state, nothing to show */
		x->state = st.next;
		show(r, h);
	}
	live_act(r, h, (enum lp_action)st.action);
}

/* ---- classic path: evacuation -------------------------------------------- */

enum leave {
	LEAVE_STAYS,     /* stays on the host, not running (powered off or suspended) */
	LEAVE_MOVES,     /* vMotion to another host */
	LEAVE_POWER_OFF, /* the power action: powered off or suspended until the host is back */
	LEAVE_BLOCKS,    /* runs and cannot leave: the host cannot enter maintenance mode */
};

static bool power_action_on_all(enum scenario_power_action a)
{
	return a == SCENARIO_POWER_ACTION_POWER_OFF || a == SCENARIO_POWER_ACTION_SUSPEND ||
	       a == SCENARIO_POWER_ACTION_SUSPEND_TO_MEMORY;
}

/*
 * What becomes of part p's VM when classic host h enters maintenance mode.
 *
 * vLCM's pre-remediation power action (power off, suspend to disk,
 * suspend to memory) changes the power state of every VM running on the
 * host before maintenance mode; with "do not change", DRS evacuates the
 * running VMs by vMotion, which it does only when enabled and fully
 * automated: vLCM cannot put the host into maintenance mode otherwise
 * ("Configure Remediation Settings for vSphere Lifecycle Manager Images";
 * "Remediate a Cluster Against a Single Image"). The *_unmovable actions
 * (an lpsim extension) act only on the VMs that cannot be vMotioned. A
 * host the admin prepares for parallel remediation is emptied by vMotion
 * (DRS or the admin), what cannot move per parallel.unmovable_vms.
 * Powered-off and suspended VMs do not keep a host out of maintenance
 * mode; they move only with evacuate_offline_vms. With admin_vmotion, the
 * admin vMotions by hand what DRS would not move (DRS not fully automated).
 */
static enum leave how_leaves(const struct rem *r, int32_t h, int32_t p)
{
	const struct scenario_remediation *rm = remediation_of(r, h);
	const struct scenario_cluster *c = cspec(r, h);
	const struct rvm *m = &r->vms[p >> 1];
	if (m->power == VP_ACTION_OFF)
		return LEAVE_STAYS; /* it comes back with the host that powered it off */
	bool on = m->power == VP_ON;
	bool admin = r->hosts[h].prep;
	if (on && !admin && power_action_on_all(rm->power_action))
		return LEAVE_POWER_OFF;
	if (!on && !rm->evacuate_offline_vms)
		return LEAVE_STAYS;
	bool drs = admin || rm->admin_vmotion ||
		   (c->drs_enabled && c->drs_automation == SCENARIO_DRS_FULLY_AUTOMATED);
	if (drs && movable(vspec(r, p)))
		return LEAVE_MOVES;
	if (!on)
		return LEAVE_STAYS;
	bool act = admin ? rm->prep_action != SCENARIO_PREP_SKIP_HOST
			 : rm->power_action == SCENARIO_POWER_ACTION_POWER_OFF_UNMOVABLE ||
				   rm->power_action == SCENARIO_POWER_ACTION_SUSPEND_UNMOVABLE;
	return act ? LEAVE_POWER_OFF : LEAVE_BLOCKS;
}

/* How the power action on host h is recorded: power off or suspend. */
static enum rec_remediation power_action_kind(const struct rem *r, int32_t h)
{
	const struct scenario_remediation *rm = remediation_of(r, h);
	if (r->hosts[h].prep)
		return rm->prep_action == SCENARIO_PREP_SUSPEND ? REC_REM_SUSPEND : REC_REM_POWER_OFF;
	return rm->power_action == SCENARIO_POWER_ACTION_POWER_OFF ||
			       rm->power_action == SCENARIO_POWER_ACTION_POWER_OFF_UNMOVABLE
		       ? REC_REM_POWER_OFF
		       : REC_REM_SUSPEND;
}

/* Why host h's attempt failed (or it never started), naming VM or host ref. */
static void why(struct rem *r, int32_t h, enum rec_why w, int32_t ref)
{
	r->hosts[h].why = (uint8_t)w;
	r->hosts[h].why_ref = ref;
}

/*
 * Plans the evacuation of classic host h: a destination for each part
 * that must move (reserved, queued), the power action for each VM that
 * cannot. Returns false, with nothing reserved or queued, when it cannot
 * be done (a VM that blocks maintenance mode, no destination, HA admission
 * control).
 */
static bool plan_evacuation(struct rem *r, int32_t h)
{
	const struct scenario_remediation *rm = remediation_of(r, h);
	const struct scenario_cluster *c = cspec(r, h);
	struct rhost *x = &r->hosts[h];
	bool ok = true;
	FOR_PARTS (p, r, x) {
		if (!ok)
			break;
		if (r->parts[p].dst != NONE || r->parts[p].op != OP_NONE)
			continue; /* already on its way or busy */
		switch (how_leaves(r, h, p)) {
		case LEAVE_STAYS:
			continue;
		case LEAVE_BLOCKS:
			ok = false;
			why(r, h, movable(vspec(r, p)) ? REC_WHY_NO_DRS : REC_WHY_CANNOT_MOVE, p >> 1);
			continue;
		case LEAVE_POWER_OFF: /* an FT VM's other part may be busy elsewhere */
			ok = r->parts[p ^ 1].host == NONE || r->parts[p ^ 1].op == OP_NONE;
			if (!ok)
				why(r, h, REC_WHY_FT_BUSY, p >> 1);
			continue;
		case LEAVE_MOVES:
			break;
		}
		int32_t dst = pick_dst(r, p, h, DST_EVACUATE);
		if (dst == NONE) {
			ok = false;
			why(r, h, REC_WHY_NO_ROOM, p >> 1);
			break;
		}
		enqueue(r, h, p, dst, false); /* reserve now, so later parts see it */
	}
	/* HA admission control (percentage policy): the reservations plus
	 * overhead of the powered-on VMs that will run on the hosts that take
	 * VMs (where each part lands, this plan included), and the live-patch
	 * reservations there, must leave admission_control_pct of those hosts'
	 * memory free. Configured memory does not count (SEMANTICS.md). */
	if (ok && !rm->disable_hac && c->ha_enabled && c->ha_admission_control_pct > 0) {
		const struct estate_cluster *ec = &r->e->clusters[cluster_of(r, h)];
		double cap = 0, used = 0;
		for (int32_t g = (int32_t)ec->host0; g < (int32_t)(ec->host0 + ec->nhosts); g++) {
			FOR_PARTS (p, r, &r->hosts[g]) {
				int32_t at = r->parts[p].dst != NONE ? r->parts[p].dst : g;
				if (at != h && takes_vms(r, at) && r->vms[p >> 1].power == VP_ON)
					used += estate_vm_admission_gb(vspec(r, p));
			}
			if (g == h || !takes_vms(r, g))
				continue;
			cap += r->hosts[g].mem_cap;
			used += r->hosts[g].reserved_gb;
		}
		ok = used <= cap * (1 - c->ha_admission_control_pct / 100.0);
		if (!ok)
			why(r, h, REC_WHY_HA_ADMISSION, NONE);
	}
	if (!ok)
		drop_queue(r, h, false);
	return ok;
}


/*
 * Parallel round: the admin could not put host h into maintenance mode, so
 * vLCM skips it ("hosts that are not in maintenance mode are skipped"): it
 * goes back into service unremediated (outcome not_started), the VMs
 * powered off for it come back, those vMotioned away stay where they are.
 */
static void skip_host(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	uint32_t c = cluster_of(r, h);
	struct rcluster *k = &r->clusters[c];
	r->ops->attempt_end(r->hw, h);
	x->skipped = true; /* why: the failed evacuation's reason, kept */
	x->state = CL_PENDING;
	x->end = now(r);
	show(r, h);
	power_on_left(r, h);
	k->active--;
	k->classic_active--;
	k->finished++;
	round_prepared(r, h);
	manual_trigger(r, h);
	start_hosts(r, c);
}

/* The evacuation of h is over when nothing is outstanding: on to maintenance mode, or not. */
static void evacuation_check(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	if (x->state != CL_EVACUATING || x->outstanding > 0 || x->vmotions > 0)
		return;
	if (!x->evac_failed) {
		classic_event(r, h, CL_EV_EVACUATED);
		return;
	}
	if (x->prep) {
		skip_host(r, h); /* the admin could not put it into maintenance mode */
		return;
	}
	/* VMs powered off for the failed attempt stay off for the next one;
	 * they come back when the host leaves remediation (finish). vLCM's
	 * failure_action retries are retries of entering maintenance mode. */
	r->ops->attempt_end(r->hw, h);
	classic_event(r, h, retries_left(r, h) ? CL_EV_EVAC_FAILED_RETRY : CL_EV_EVAC_FAILED_LAST);
}

static void evacuate(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	x->evac_failed = false;
	x->outstanding = 0;
	if (!plan_evacuation(r, h)) {
		x->evac_failed = true;
		evacuation_check(r, h);
		return;
	}
	for (int32_t p = x->qhead; p != NONE; p = r->parts[p].qnext)
		x->outstanding++;
	/* The power action, VM by VM (an FT VM's two parts with it). */
	enum rec_remediation kind = power_action_kind(r, h);
	FOR_PARTS (p, r, x) {
		int32_t v = p >> 1;
		if (r->parts[p].op != OP_NONE || r->parts[p].dst != NONE ||
		    how_leaves(r, h, p) != LEAVE_POWER_OFF)
			continue;
		unhold(r, v);
		r->vms[v].power = VP_ACTION_OFF;
		r->vms[v].off_host = h;
		r->vms[v].down_at = now(r);
		r->vms[v].remediation = (uint8_t)kind;
		rehold(r, v);
		r->rec->vms_powered_off++;
		r->parts[2 * v].op = OP_POWER_OFF;
		x->outstanding++;
		r->ops->vm_power_off(r->hw, v);
	}
	pump(r, h);
	evacuation_check(r, h);
}

static void classic_act(struct rem *r, int32_t h, enum cl_action a)
{
	struct rhost *x = &r->hosts[h];
	switch (a) {
	case CL_ACT_NONE:
		break;
	case CL_ACT_EVACUATE:
		evacuate(r, h);
		break;
	case CL_ACT_ENTER_MM:
		r->ops->enter_mm(r->hw, h, x->attempt);
		break;
	case CL_ACT_INSTALL:
		x->in_mm = true;
		r->ops->install(r->hw, h, x->attempt);
		break;
	case CL_ACT_REBOOT:
		r->ops->reboot(r->hw, h, x->attempt);
		break;
	case CL_ACT_EXIT_MM:
		r->ops->exit_mm(r->hw, h);
		break;
	case CL_ACT_WAIT_RETRY:
		r->ops->retry_delay(r->hw, h, x->attempt);
		break;
	case CL_ACT_CRASH:
		crash(r, h);
		break;
	case CL_ACT_RESTART:
		begin_attempt(r, h);
		classic_event(r, h, CL_EV_START);
		break;
	case CL_ACT_FINISH:
		x->in_mm = false;
		finish(r, h, x->state == CL_DONE);
		break;
	}
}

static void classic_event(struct rem *r, int32_t h, enum cl_event ev)
{
	struct rhost *x = &r->hosts[h];
	struct cl_step st = cl_transition((enum cl_state)x->state, ev);
	if (!st.valid) {
		note(r, -EPROTO);
		return;
	}
	x->state = st.next;
	show(r, h);
	classic_act(r, h, (enum cl_action)st.action);
}

/* ---- crashes ------------------------------------------------------------------ */

/* Host h crashed: what ran on it is cancelled, its VMs go down and HA
 * restarts them elsewhere when it can; the host reboots. */
static void crash(struct rem *r, int32_t h)
{
	struct rhost *x = &r->hosts[h];
	const struct scenario_cluster *c = cspec(r, h);
	r->ops->cancel_host(r->hw, h);
	drop_queue(r, h, true);
	x->outstanding = 0;
	x->fsr_busy = x->fsr_started = x->nfsr = 0;
	x->vmotions = 0;
	x->in_mm = false;
	x->held = false; /* it enters maintenance mode again after its reboot */
	why(r, h, REC_WHY_CRASHED, NONE);
	x->reserved_gb = 0;
	double t = now(r);
	FOR_PARTS (p, r, x) {
		struct rpart *y = &r->parts[p];
		int32_t v = p >> 1;
		/* A part HA is already restarting elsewhere (from an earlier
		 * crash of this host) left it then: its restart goes on. */
		if (y->op == OP_HA)
			continue;
		switch (y->op) {
		case OP_VMOTION:
			r->ops->cancel_vm(r->hw, v, p & 1);
			r->hosts[y->dst].vmotions_in--;
			clear_dst(r, p, false, true);
			break;
		case OP_FSR:
		case OP_POWER_OFF:
		case OP_POWER_ON:
			r->ops->cancel_vm(r->hw, v, p & 1);
			break;
		default:
			break;
		}
		y->op = OP_NONE;
		/* A VM powered off for the evacuation stays off through the crash;
		 * it comes back when its host leaves remediation. */
		unhold(r, v);
		if (r->vms[v].power == VP_ON && !y->down) {
			y->down = true;
			int32_t other = p ^ 1;
			bool ft_survives = r->parts[other].host != NONE && !r->parts[other].down;
			if (!ft_survives && isnan(r->vms[v].down_at))
				r->vms[v].down_at = t;
		}
		rehold(r, v);
	}
	pump_cluster(r, cluster_of(r, h), true); /* its vMotions' destinations have slots again */
	if (c->ha_enabled)
		FOR_PARTS (p, r, x) {
			if (!r->parts[p].down || r->parts[p].op == OP_HA)
				continue;
			int32_t dst = pick_dst(r, p, h, DST_HA);
			if (dst == NONE)
				continue; /* restarts when the host is back */
			reserve_dst(r, p, dst);
			r->parts[p].op = OP_HA;
			r->ops->ha_restart(r->hw, p >> 1, p & 1, dst);
		}
	r->ops->host_recover(r->hw, h, x->attempt);
}

static bool crashed(const struct rem *r, int32_t h)
{
	return r->hosts[h].state == (classic(r, h) ? CL_CRASHED : LP_CRASHED);
}

/* Part p of a crashed host runs again (on its host or where HA put it). */
static void part_up(struct rem *r, int32_t p)
{
	int32_t v = p >> 1;
	unhold(r, v);
	r->parts[p].down = false;
	r->parts[p].old = !r->hosts[r->parts[p].host].patched;
	if (!isnan(r->vms[v].down_at)) {
		r->vms[v].downtime += now(r) - r->vms[v].down_at;
		r->vms[v].down_at = NAN;
	}
	rehold(r, v);
}

static void recovered(struct rem *r, int32_t h)
{
	/* Parts HA did not restart elsewhere restart here as the host comes
	 * up, before its next attempt looks at them. */
	FOR_PARTS (p, r, &r->hosts[h])
		if (r->parts[p].down && r->parts[p].op == OP_NONE)
			part_up(r, p);
	bool retry = retries_left(r, h);
	if (classic(r, h))
		classic_event(r, h, retry ? CL_EV_RECOVERED_RETRY : CL_EV_RECOVERED_LAST);
	else
		live_event(r, h, retry ? LP_EV_RECOVERED_RETRY : LP_EV_RECOVERED_LAST);
}

/* ---- manual remediation ------------------------------------------------------- */

/* After a host finishes: asks for the manual-remediation delay when due. */
static void manual_trigger(struct rem *r, int32_t h)
{
	uint32_t c = cluster_of(r, h);
	const struct scenario_remediation *rm = remediation_of(r, h);
	if (rm->manual_policy == SCENARIO_MANUAL_NONE || !r->vmx)
		return;
	if (rm->manual_start == SCENARIO_MANUAL_AFTER_HOST) {
		if (r->hosts[h].patched && r->hosts[h].old_vms > 0)
			r->ops->manual_delay(r->hw, (int32_t)c, h);
	} else if (r->clusters[c].finished == r->e->clusters[c].nhosts ||
		   (r->clusters[c].stopped && r->clusters[c].active == 0)) {
		r->ops->manual_delay(r->hw, (int32_t)c, NONE);
	}
}

/* Deals with every part holding patched host h: FT VMs under policy auto
 * move by vMotion to another host already done (power cycle when there is
 * none with room); the others are power-cycled. */
static void manual_host(struct rem *r, int32_t h)
{
	if (!r->hosts[h].patched)
		return;
	bool auto_policy = remediation_of(r, h)->manual_policy == SCENARIO_MANUAL_AUTO;
	FOR_PARTS (p, r, &r->hosts[h]) {
		int32_t v = p >> 1;
		if (!holds(r, p) || r->parts[p].op != OP_NONE || r->parts[p].dst != NONE ||
		    r->vms[v].cycling)
			continue;
		if (auto_policy && vspec(r, p)->ft) {
			int32_t dst = pick_dst(r, p, h, DST_DONE);
			if (dst != NONE) {
				enqueue(r, h, p, dst, true);
				continue;
			}
		}
		r->vms[v].cycling = true;
		r->ops->vm_power_cycle(r->hw, v);
	}
	pump(r, h);
}

static void manual_done(struct rem *r, const struct hw_done *d)
{
	if (d->host != NONE) {
		manual_host(r, d->host);
		return;
	}
	const struct estate_cluster *ec = &r->e->clusters[d->cluster];
	for (int32_t h = (int32_t)ec->host0; h < (int32_t)(ec->host0 + ec->nhosts); h++)
		manual_host(r, h);
}

/* ---- completions ---------------------------------------------------------------- */

static void fsr_done(struct rem *r, const struct hw_done *d)
{
	int32_t h = d->host, p = 2 * d->vm;
	struct rhost *x = &r->hosts[h];
	struct rvm *m = &r->vms[d->vm];
	x->fsr_busy--;
	r->parts[p].op = OP_NONE;
	stunned(r, d->vm, d->value_s);
	m->remediation = REC_REM_FSR;
	r->rec->vms_fsr++;
	if (d->ok)
		renew(r, p);
	bool last = x->fsr_busy == 0 && x->fsr_started == x->nfsr;
	live_event(r, h, last ? LP_EV_FSR_LAST : LP_EV_FSR_MORE);
}

static void vmotion_done(struct rem *r, const struct hw_done *d)
{
	int32_t p = 2 * d->vm + d->part;
	struct rpart *y = &r->parts[p];
	int32_t src = y->host;
	struct rhost *x = &r->hosts[src];
	struct rvm *m = &r->vms[d->vm];
	bool manual = y->manual;
	int32_t dst = y->dst;
	y->op = OP_NONE;
	x->vmotions--;
	r->hosts[dst].vmotions_in--;
	r->rec->vms_vmotion++;
	/* In the record directly (the live path, whose completions are FSRs,
	 * keeps its per-VM state as small as it was), and only when SDPS
	 * slowed the VM: the record's row of a VM is seldom in the cache. */
	if (d->sdps_s > 0 && m->power == VP_ON) { /* a VM not running is not slowed */
		r->rec->sdps_total_s += d->sdps_s;
		if (r->rec->detail)
			r->rec->vms[d->vm].sdps_s += d->sdps_s;
	}
	if (d->ok) {
		if (m->power == VP_ON) { /* a powered-off VM moves without a stun */
			stunned(r, d->vm, d->value_s);
			m->remediation = REC_REM_VMOTION;
		}
		land(r, p, y->dst);
	} else {
		clear_dst(r, p, false, true);
		if (!manual && !x->evac_failed) {
			x->evac_failed = true;
			why(r, src, REC_WHY_VMOTION_FAILED, d->vm);
			x->outstanding -= drop_queue(r, src, true);
		} else if (manual && !m->cycling) {
			/* the admin falls back to a power cycle */
			m->cycling = true;
			r->ops->vm_power_cycle(r->hw, d->vm);
		}
	}
	if (!manual)
		x->outstanding--;
	pump(r, src);
	pump(r, dst); /* its own queue, if it sends too */
	pump_cluster(r, cluster_of(r, src), false); /* those waiting for dst */
	if (classic(r, src))
		evacuation_check(r, src);
}

static void power_cycle_done(struct rem *r, const struct hw_done *d)
{
	int32_t v = d->vm;
	struct rvm *m = &r->vms[v];
	unhold(r, v);
	m->cycling = false;
	m->downtime += d->value_s;
	m->remediation = REC_REM_POWER_CYCLE;
	r->rec->vms_power_cycle++;
	/* Each part restarts on the runtime of its host. */
	for (int32_t p = 2 * v; p < 2 * v + 2; p++)
		if (r->parts[p].host != NONE)
			r->parts[p].old = !r->hosts[r->parts[p].host].patched;
	rehold(r, v);
}

static void power_off_done(struct rem *r, const struct hw_done *d)
{
	int32_t p = 2 * d->vm;
	int32_t h = r->vms[d->vm].off_host;
	r->parts[p].op = OP_NONE;
	r->hosts[h].outstanding--;
	evacuation_check(r, h);
}

static void power_on_done(struct rem *r, const struct hw_done *d)
{
	int32_t v = d->vm;
	struct rvm *m = &r->vms[v];
	r->parts[2 * v].op = OP_NONE;
	if (m->power == VP_ACTION_OFF) {
		unhold(r, v);
		m->power = VP_ON;
		for (int32_t p = 2 * v; p < 2 * v + 2; p++)
			if (r->parts[p].host != NONE)
				r->parts[p].old = !r->hosts[r->parts[p].host].patched;
		if (!isnan(m->down_at)) {
			m->downtime += now(r) - m->down_at;
			m->down_at = NAN;
		}
		rehold(r, v);
	}
	for (int32_t p = 2 * v; p < 2 * v + 2; p++)
		if (r->parts[p].host != NONE && r->parts[p].down && r->parts[p].op == OP_NONE)
			part_up(r, p);
}

static void ha_done(struct rem *r, const struct hw_done *d)
{
	int32_t p = 2 * d->vm + d->part;
	r->parts[p].op = OP_NONE;
	int32_t dst = r->parts[p].dst, src = r->parts[p].host;
	unhold(r, d->vm);
	unreserve(r, src, p);
	move_part(r, p, dst);
	rehold(r, d->vm);
	check_compliant(r, src);
	clear_dst(r, p, true, true);
	if (!crashed(r, dst))
		part_up(r, p); /* else it restarts when its new host is back */
}

void rem_prefetch(const struct rem *r, int32_t h, int32_t p)
{
	if (h >= 0 && (size_t)h < r->e->nhosts)
		__builtin_prefetch(&r->hosts[h]);
	if (p >= 0 && (size_t)p < 2 * r->e->nvms) {
		__builtin_prefetch(&r->parts[p]);
		__builtin_prefetch(&r->vms[p >> 1]);
	}
}

void rem_done(struct rem *r, const struct hw_done *d)
{
	if (r->err)
		return; /* the run has failed: let the queue drain */
	int32_t h = d->host;
	switch (d->op) {
	case HW_ENTER_PARTIAL_MM:
		live_event(r, h, LP_EV_ENTERED);
		break;
	case HW_MOUNT_REVISION:
		live_event(r, h, LP_EV_MOUNTED);
		break;
	case HW_PATCH_REVISION:
		if (!d->ok) {
			live_event(r, h, LP_EV_PATCH_FAILED);
			break;
		}
		r->hosts[h].nfsr = count_fsr(r, h);
		live_event(r, h, r->hosts[h].nfsr ? LP_EV_PATCHED : LP_EV_PATCHED_NO_FSR);
		break;
	case HW_ROLLBACK: {
		bool retry = retries_left(r, h) && remediation_of(r, h)->retry_install;
		why(r, h, REC_WHY_PATCH_FAILED, NONE);
		r->ops->attempt_end(r->hw, h);
		r->hosts[h].gave_up = !retry;
		live_event(r, h, retry ? LP_EV_ROLLED_BACK_RETRY : LP_EV_ROLLED_BACK_LAST);
		break;
	}
	case HW_RETRY_DELAY:
		begin_attempt(r, h);
		if (!classic(r, h))
			live_event(r, h, LP_EV_RETRY);
		else
			classic_event(r, h,
				      r->hosts[h].in_mm ? CL_EV_RETRY_INSTALL : CL_EV_RETRY_EVACUATE);
		break;
	case HW_FSR:
		fsr_done(r, d);
		break;
	case HW_EXIT_PARTIAL_MM:
		live_event(r, h, r->hosts[h].gave_up ? LP_EV_EXITED_FAILED : LP_EV_EXITED);
		break;
	case HW_VM_POWER_CYCLE:
		power_cycle_done(r, d);
		break;
	case HW_MANUAL_DELAY:
		manual_done(r, d);
		break;
	case HW_ENTER_MM:
		if (r->hosts[h].prep) { /* waits for the round: released with the last */
			r->hosts[h].held = true;
			round_prepared(r, h);
		} else {
			classic_event(r, h, CL_EV_ENTERED);
		}
		break;
	case HW_INSTALL:
		if (d->ok) {
			classic_event(r, h, CL_EV_INSTALLED);
		} else {
			bool retry = retries_left(r, h) && remediation_of(r, h)->retry_install;
			why(r, h, REC_WHY_INSTALL_FAILED, NONE);
			r->ops->attempt_end(r->hw, h);
			r->hosts[h].gave_up = !retry;
			classic_event(r, h,
				      retry ? CL_EV_INSTALL_FAILED_RETRY : CL_EV_INSTALL_FAILED_LAST);
		}
		break;
	case HW_REBOOT:
		classic_event(r, h, CL_EV_REBOOTED);
		break;
	case HW_EXIT_MM:
		classic_event(r, h, r->hosts[h].gave_up ? CL_EV_EXITED_FAILED : CL_EV_EXITED);
		break;
	case HW_VMOTION:
		vmotion_done(r, d);
		break;
	case HW_VM_POWER_OFF:
		power_off_done(r, d);
		break;
	case HW_VM_POWER_ON:
		power_on_done(r, d);
		break;
	case HW_HOST_CRASH:
		if (classic(r, h))
			classic_event(r, h, CL_EV_CRASHED);
		else
			live_event(r, h, LP_EV_CRASHED);
		break;
	case HW_HOST_RECOVER:
		recovered(r, h);
		break;
	case HW_HA_RESTART:
		ha_done(r, d);
		break;
	case HW_NOPS:
		note(r, -EPROTO);
		break;
	}
}

int rem_start(struct rem *r)
{
	for (size_t h = 0; h < r->e->nhosts; h++)
		if (r->hosts[h].state == RH_BLOCKED)
			show(r, (int32_t)h);
	if (r->rec->detail)
		note(r, rec_add_step(r->rec, 0, 0));
	for (uint32_t c = 0; c < r->e->nclusters; c++)
		start_hosts(r, c);
	return r->err;
}

/* ---- the end ---------------------------------------------------------------------- */

static bool left_remediation(const struct rem *r, int32_t h)
{
	const struct rhost *x = &r->hosts[h];
	if (classic(r, h))
		return x->state == CL_DONE || x->state == CL_FAILED;
	return x->state == LP_DONE || x->state == LP_FAILED;
}

static bool failed(const struct rem *r, int32_t h)
{
	return r->hosts[h].state == (classic(r, h) ? CL_FAILED : LP_FAILED);
}

int rem_finish(struct rem *r, double end_s, double horizon_s)
{
	const struct estate *e = r->e;
	struct rec *rec = r->rec;
	double makespan = 0, exposure = 0;
	(void)horizon_s; /* exposure no longer runs to the horizon (issue 17) */
	for (int32_t h = 0; h < (int32_t)e->nhosts; h++) {
		struct rhost *x = &r->hosts[h];
		bool blocked = x->state == RH_BLOCKED;
		bool left = !blocked && (x->skipped || left_remediation(r, h));
		if (!blocked && !left && !isnan(x->start))
			makespan = end_s; /* still in remediation at the end */
		else if (left && x->end > makespan)
			makespan = x->end;
		exposure += x->compliant ? x->compliant_at : 0; /* never compliant: counted apart */
		bool not_started = !blocked && (x->skipped || isnan(x->start));
		enum rec_outcome o = blocked        ? REC_BLOCKED
				     : not_started  ? REC_NOT_STARTED
				     : failed(r, h) ? REC_FAILED
				     : x->compliant ? REC_COMPLIANT
						    : REC_NON_COMPLIANT;
		rec->hosts_live += x->path == SCAN_PATH_LIVE;
		rec->hosts_classic += x->path == SCAN_PATH_CLASSIC;
		rec->hosts_failed += o == REC_FAILED;
		rec->hosts_blocked += o == REC_BLOCKED;
		rec->hosts_not_started += o == REC_NOT_STARTED;
		rec->hosts_compliant += o == REC_COMPLIANT;
		bool unfinished = !blocked && !left && !isnan(x->start);
		rec_note_host(rec, e->hosts[h].cluster, o,
			      unfinished ? end_s : left && !x->skipped ? x->end : (double)NAN,
			      unfinished, x->compliant ? x->compliant_at : (double)NAN);
		if (rec->detail) {
			if (end_s > x->since)
				note(r, rec_add_span(rec, (uint32_t)h, (enum rec_state)x->shown,
						     x->since, end_s));
			rec->hosts[h] = (struct rec_host){
				.start_s = x->start,
				.end_s = x->end,
				.compliant_at_s = x->compliant ? x->compliant_at : (double)NAN,
				.path = (uint8_t)(blocked       ? REC_PATH_NONE
						  : classic(r, h) ? REC_PATH_CLASSIC
								  : REC_PATH_LIVE),
				.outcome = (uint8_t)o,
				.attempts = x->attempt,
				.why = REC_WHY_NONE,
				.why_ref = NONE,
			};
			if (o == REC_FAILED || (o == REC_NOT_STARTED && x->skipped)) {
				rec->hosts[h].why = x->why;
				rec->hosts[h].why_ref = x->why_ref;
			} else if (o == REC_NOT_STARTED && r->clusters[cluster_of(r, h)].stopped) {
				rec->hosts[h].why = REC_WHY_STOPPED;
				rec->hosts[h].why_ref = r->clusters[cluster_of(r, h)].stopped_at;
			}
		}
	}
	for (uint32_t c = 0; c < e->nclusters; c++) {
		const struct estate_cluster *ec = &e->clusters[c];
		bool all = true;
		for (uint32_t h = ec->host0; h < ec->host0 + ec->nhosts && all; h++)
			all = r->hosts[h].compliant;
		rec->clusters_compliant += all;
	}
	double total = 0;
	for (uint32_t v = 0; v < e->nvms; v++) {
		struct rvm *m = &r->vms[v];
		if (!isnan(m->down_at)) /* still down at the end */
			m->downtime += end_s - m->down_at;
		rec->vm_downtime[v] = m->downtime;
		total += m->downtime;
		rec_note_vm(rec, e->vms[v].cluster, m->downtime);
		if (m->nstuns == 1) { /* the record has none of its stuns yet */
			if (m->downtime == m->stun)
				rec_add_sole_stun(rec, v);
			else
				note(r, rec_add_stun(rec, m->stun));
		}
		if (rec->detail) {
			rec->vms[v].host_after = r->parts[2 * v].host;
			rec->vms[v].secondary_after = r->parts[2 * v + 1].host;
			rec->vms[v].downtime_s = m->downtime;
			rec->vms[v].stun_s = m->stun;
			rec->vms[v].remediation = m->remediation;
		}
	}
	rec->makespan_s = makespan;
	rec->exposure_host_hours = exposure / 3600.0;
	rec->downtime_total_s = total;
	if (r->ncompliant != e->nhosts)
		rec->time_to_compliance_s = NAN;
	return r->err;
}

/* ---- invariants ------------------------------------------------------------------- */

const char *rem_check(const struct rem *r, long *who)
{
	const struct estate *e = r->e;
	/* Every part on exactly one host: count each host's list against the parts. */
	size_t listed = 0, existing = 0, moving = 0, arriving = 0;
	for (int32_t h = 0; h < (int32_t)e->nhosts; h++) {
		const struct rhost *x = &r->hosts[h];
		*who = h;
		uint32_t holding = 0, sending = 0;
		double mem = 0;
		int32_t prev = NONE;
		if (x->n > x->cap)
			return "host's VM list overflows";
		FOR_PARTS (p, r, x) {
			if (p < 0 || p >= (int32_t)(2 * e->nvms) || r->parts[p].host != h)
				return "host's VM list is inconsistent";
			if (prev != NONE && p <= prev)
				return "host's VM list is out of inventory order";
			holding += holds(r, p);
			sending += r->parts[p].op == OP_VMOTION;
			mem += part_mem(r, p);
			listed++;
			prev = p;
		}
		if (holding != x->old_vms)
			return "host's count of old-runtime VMs differs from its VMs";
		if (x->compliant && x->old_vms)
			return "compliant host still holds old-runtime VMs";
		if (x->fsr_busy > x->fsr_started || x->fsr_started > x->nfsr)
			return "host FSR counts inconsistent";
		if (x->mem_used > x->mem_cap + 1e-6 ||
		    free_cpu(r, h) < -1e-6)
			return "host capacity exceeded";
		if (x->mem_used < mem - 1e-6)
			return "host memory accounting lost a VM";
		if (sending != x->vmotions)
			return "host's count of vMotions differs from its VMs moving";
		if (x->vmotions + x->vmotions_in > x->vmotion_max)
			return "host takes part in more vMotions than vCenter allows";
		moving += sending;
		arriving += x->vmotions_in;
	}
	if (moving != arriving)
		return "vMotions sent and received differ";
	for (size_t p = 0; p < 2 * e->nvms; p++)
		existing += r->parts[p].host != NONE;
	*who = -1;
	if (listed != existing)
		return "a VM is lost or on two hosts";
	return NULL;
}
