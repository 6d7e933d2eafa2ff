/*
 * rem: vLCM remediation (see rem.h).
 *
 * Per cluster, hosts start in inventory order while fewer than `limit` are
 * in remediation (1 without parallel remediation, max_hosts with it, every
 * host with max_hosts: auto). Each host runs the live-path table; the
 * driver here classifies completions into table events and carries out
 * the table's actions through the hardware interface.
 *
 * A VM "holds" a host's compliance while it is powered on there on the old
 * VM runtime and the patch changes the runtime (components include vmx).
 * An FT VM holds both its primary's and its secondary's host. A host is
 * compliant once it is done and holds no VM; the count of holding VMs per
 * host (old_vms) is kept incrementally.
 */
#include "models/rem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/livepath.h"

#define RH_BLOCKED LP_NSTATES /* a host state outside the table: its cluster is blocked */

struct rhost {
	uint8_t state;      /* enum lp_state, or RH_BLOCKED */
	uint8_t shown;      /* enum rec_state on the timeline since `since` */
	uint8_t attempt;    /* patch attempts so far */
	bool gave_up;       /* retries spent: leaving as failed */
	bool compliant;
	uint32_t nfsr;      /* VMs to fast-suspend-resume here */
	uint32_t fsr_started;
	uint32_t fsr_busy;  /* FSRs in flight */
	uint32_t fsr_cursor; /* next position in the estate's on_host list */
	uint32_t old_vms;   /* VMs holding this host's compliance */
	double reserved_gb; /* live patch memory reservations in force */
	double since;
	double start;
	double end;
	double compliant_at;
};

struct rvm {
	bool primary_old;   /* primary runs the old runtime and holds its host */
	bool secondary_old; /* FT secondary likewise */
	bool cycling;       /* a power cycle is under way */
	uint8_t remediation; /* enum rec_remediation, the last applied */
	double downtime;
	double stun;
};

struct rcluster {
	uint32_t limit;     /* hosts in remediation at once */
	uint32_t next;      /* next host to start, relative to host0 */
	uint32_t active;    /* hosts in remediation */
	uint32_t finished;  /* hosts done or failed */
	bool blocked;
};

struct rem {
	const struct estate *e;
	const struct scan *scan;
	const struct hw_ops *ops;
	void *hw;
	struct rec *rec;
	bool vmx;           /* the patch changes the VM runtime */
	uint32_t ncompliant;
	int err;            /* first error (OOM in the record) */
	struct rhost *hosts;
	struct rvm *vms;
	struct rcluster *clusters;
};

static double now(const struct rem *r)
{
	return r->ops->now(r->hw);
}

static const struct scenario_remediation *remediation_of(const struct rem *r, uint32_t c)
{
	return &r->e->clusters[c].spec->remediation;
}

static void note(struct rem *r, int rc)
{
	if (rc < 0 && !r->err)
		r->err = rc;
}

/* The timeline: the host shows `st` from now on. */
static void show(struct rem *r, uint32_t h, enum rec_state st)
{
	struct rhost *x = &r->hosts[h];
	double t = now(r);
	if (x->shown == st)
		return;
	if (r->rec->detail && t > x->since)
		note(r, rec_add_span(r->rec, h, (enum rec_state)x->shown, x->since, t));
	x->shown = (uint8_t)st;
	x->since = t;
}

static enum rec_state shown_state(enum lp_state s)
{
	static const uint8_t map[LP_NSTATES] = {
		[LP_PENDING] = REC_ST_PENDING,
		[LP_ENTERING_PMM] = REC_ST_ENTERING_PARTIAL_MM,
		[LP_MOUNTING] = REC_ST_MOUNTING,
		[LP_PATCHING] = REC_ST_PATCHING,
		[LP_ROLLBACK] = REC_ST_ROLLBACK,
		[LP_RETRY_WAIT] = REC_ST_RETRY_WAIT,
		[LP_FSR] = REC_ST_FSR,
		[LP_EXITING_PMM] = REC_ST_EXITING_PARTIAL_MM,
		[LP_DONE] = REC_ST_DONE,
		[LP_FAILED] = REC_ST_FAILED,
	};
	return (enum rec_state)map[s];
}

static bool powered_on(const struct rem *r, uint32_t v)
{
	return estate_vm_spec(r->e, v)->power == SCENARIO_POWER_ON;
}

/* Whether VM v is fast-suspend-resumed when its primary's host is patched. */
static bool fsr_candidate(const struct rem *r, uint32_t v)
{
	return r->vmx && powered_on(r, v) && r->scan->vm_incompat[v] == 0;
}

struct rem *rem_new(const struct estate *e, const struct scan *scan, const struct hw_ops *ops,
		    void *hw, struct rec *rec)
{
	struct rem *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->e = e;
	r->scan = scan;
	r->ops = ops;
	r->hw = hw;
	r->rec = rec;
	r->vmx = (e->sc->patch.components & SCENARIO_COMPONENT_VMX) != 0;
	r->hosts = calloc(e->nhosts + 1, sizeof(*r->hosts));
	r->vms = calloc(e->nvms + 1, sizeof(*r->vms));
	r->clusters = calloc(e->nclusters + 1, sizeof(*r->clusters));
	if (!r->hosts || !r->vms || !r->clusters) {
		rem_free(r);
		return NULL;
	}
	for (size_t h = 0; h < e->nhosts; h++) {
		struct rhost *x = &r->hosts[h];
		x->state = LP_PENDING;
		x->shown = REC_ST_PENDING;
		x->start = x->end = x->compliant_at = NAN;
	}
	for (uint32_t v = 0; v < e->nvms; v++) {
		struct rvm *m = &r->vms[v];
		const struct estate_vm *ev = &e->vms[v];
		bool holds = r->vmx && powered_on(r, v);
		m->primary_old = holds;
		m->secondary_old = holds && ev->secondary >= 0;
		r->hosts[ev->host].old_vms += holds;
		if (ev->secondary >= 0)
			r->hosts[ev->secondary].old_vms += holds;
		r->hosts[ev->host].nfsr += fsr_candidate(r, v);
		if (rec->detail)
			rec->vms[v] = (struct rec_vm){ev->host, ev->host, 0, 0, REC_REM_NONE};
	}
	for (size_t c = 0; c < e->nclusters; c++) {
		const struct scenario_remediation *rm = remediation_of(r, (uint32_t)c);
		uint32_t n = e->clusters[c].nhosts;
		uint32_t limit = !rm->parallel_enabled ? 1
				 : rm->max_hosts == SCENARIO_MAX_HOSTS_AUTO ? n
									    : (uint32_t)rm->max_hosts;
		r->clusters[c].limit = limit ? limit : 1;
		r->clusters[c].blocked = scan->cluster_blocked[c];
	}
	return r;
}

void rem_free(struct rem *r)
{
	if (!r)
		return;
	free(r->hosts);
	free(r->vms);
	free(r->clusters);
	free(r);
}

static void host_event(struct rem *r, uint32_t h, enum lp_event ev);

/* Starts hosts of cluster c in inventory order while the limit allows. */
static void start_hosts(struct rem *r, uint32_t c)
{
	struct rcluster *k = &r->clusters[c];
	const struct estate_cluster *ec = &r->e->clusters[c];
	while (!k->blocked && k->active < k->limit && k->next < ec->nhosts) {
		uint32_t h = ec->host0 + k->next++;
		k->active++;
		host_event(r, h, LP_EV_START);
	}
}

int rem_start(struct rem *r)
{
	for (size_t h = 0; h < r->e->nhosts; h++)
		if (r->scan->host_path[h] == SCAN_PATH_CLASSIC)
			return -ENOTSUP;
	for (uint32_t c = 0; c < r->e->nclusters; c++) {
		if (!r->clusters[c].blocked)
			continue;
		const struct estate_cluster *ec = &r->e->clusters[c];
		for (uint32_t h = ec->host0; h < ec->host0 + ec->nhosts; h++) {
			r->hosts[h].state = RH_BLOCKED;
			show(r, h, REC_ST_BLOCKED);
		}
	}
	note(r, rec_add_step(r->rec, 0, 0));
	for (uint32_t c = 0; c < r->e->nclusters; c++)
		start_hosts(r, c);
	return r->err;
}

/* Host h became compliant if it is done and no VM holds it. */
static void check_compliant(struct rem *r, uint32_t h)
{
	struct rhost *x = &r->hosts[h];
	if (x->compliant || x->state != LP_DONE || x->old_vms > 0)
		return;
	x->compliant = true;
	x->compliant_at = now(r);
	r->ncompliant++;
	note(r, rec_add_step(r->rec, x->compliant_at, r->ncompliant));
	if (r->ncompliant == r->e->nhosts)
		r->rec->time_to_compliance_s = x->compliant_at;
}

/* VM v's part on host h no longer holds it (it runs the new runtime). */
static void release(struct rem *r, uint32_t h)
{
	r->hosts[h].old_vms--;
	check_compliant(r, h);
}

/* Starts FSRs on host h, in inventory order, up to the concurrency. */
static void fsr_fill(struct rem *r, uint32_t h)
{
	struct rhost *x = &r->hosts[h];
	const struct estate *e = r->e;
	int conc = estate_host_spec(e, h)->hardware.fsr_concurrency;
	while (x->fsr_busy < (uint32_t)conc && x->fsr_started < x->nfsr) {
		uint32_t v = e->on_host[e->on_host0[h] + x->fsr_cursor++];
		if (e->vms[v].host != (int32_t)h || !fsr_candidate(r, v))
			continue;
		x->fsr_started++;
		x->fsr_busy++;
		r->ops->fsr(r->hw, (int32_t)h, (int32_t)v);
	}
}

static void manual_trigger(struct rem *r, uint32_t h);

/* Carries out one table action for host h. */
static void act(struct rem *r, uint32_t h, enum lp_action a)
{
	struct rhost *x = &r->hosts[h];
	const struct scenario *sc = r->e->sc;
	uint32_t c = r->e->hosts[h].cluster;
	switch (a) {
	case LP_ACT_NONE:
		break;
	case LP_ACT_ENTER_PMM:
		x->start = now(r);
		x->reserved_gb += sc->patch.reservation_temporary_gb;
		r->ops->enter_partial_mm(r->hw, (int32_t)h);
		break;
	case LP_ACT_MOUNT:
		x->attempt++;
		r->ops->mount_revision(r->hw, (int32_t)h, x->attempt);
		break;
	case LP_ACT_PATCH:
		r->ops->patch_revision(r->hw, (int32_t)h, x->attempt);
		break;
	case LP_ACT_ROLLBACK:
		r->ops->rollback(r->hw, (int32_t)h, x->attempt);
		break;
	case LP_ACT_WAIT_RETRY:
		r->ops->retry_delay(r->hw, (int32_t)h, x->attempt);
		break;
	case LP_ACT_FSR_START:
	case LP_ACT_FSR_NEXT:
		fsr_fill(r, h);
		break;
	case LP_ACT_EXIT_PMM:
		r->ops->exit_partial_mm(r->hw, (int32_t)h);
		break;
	case LP_ACT_FINISH:
		x->end = now(r);
		x->reserved_gb -= sc->patch.reservation_temporary_gb;
		if (x->state == LP_DONE) {
			x->reserved_gb += sc->patch.reservation_permanent_gb;
			check_compliant(r, h);
		}
		r->clusters[c].active--;
		r->clusters[c].finished++;
		manual_trigger(r, h);
		start_hosts(r, c);
		break;
	}
}

/* Feeds one event to host h's state machine. */
static void host_event(struct rem *r, uint32_t h, enum lp_event ev)
{
	struct rhost *x = &r->hosts[h];
	struct lp_step st = lp_transition((enum lp_state)x->state, ev);
	if (!st.valid) {
		note(r, -EPROTO);
		return;
	}
	x->state = st.next;
	show(r, h, shown_state((enum lp_state)st.next));
	act(r, h, (enum lp_action)st.action);
}

/* ---- manual remediation ---------------------------------------------------- */

/* After a host finishes: asks for the manual-remediation delay when due. */
static void manual_trigger(struct rem *r, uint32_t h)
{
	uint32_t c = r->e->hosts[h].cluster;
	const struct scenario_remediation *rm = remediation_of(r, c);
	if (rm->manual_policy == SCENARIO_MANUAL_NONE || !r->vmx)
		return;
	if (rm->manual_start == SCENARIO_MANUAL_AFTER_HOST) {
		if (r->hosts[h].state == LP_DONE && r->hosts[h].old_vms > 0)
			r->ops->manual_delay(r->hw, (int32_t)c, (int32_t)h);
	} else if (r->clusters[c].finished == r->e->clusters[c].nhosts) {
		r->ops->manual_delay(r->hw, (int32_t)c, -1);
	}
}

/* Power-cycles every VM holding done host h (policies power_cycle and auto). */
static void manual_host(struct rem *r, uint32_t h)
{
	const struct estate *e = r->e;
	if (r->hosts[h].state != LP_DONE)
		return;
	for (uint32_t i = e->on_host0[h]; i < e->on_host0[h + 1]; i++) {
		uint32_t v = e->on_host[i];
		struct rvm *m = &r->vms[v];
		bool holds = (e->vms[v].host == (int32_t)h && m->primary_old) ||
			     (e->vms[v].secondary == (int32_t)h && m->secondary_old);
		if (!holds || m->cycling)
			continue;
		/* FT VMs under policy auto move by vMotion: the classic-path
		 * release brings vMotion; until then they are power-cycled too. */
		m->cycling = true;
		r->ops->vm_power_cycle(r->hw, (int32_t)v);
	}
}

static void manual_done(struct rem *r, const struct hw_done *d)
{
	if (d->host >= 0) {
		manual_host(r, (uint32_t)d->host);
		return;
	}
	const struct estate_cluster *ec = &r->e->clusters[d->cluster];
	for (uint32_t h = ec->host0; h < ec->host0 + ec->nhosts; h++)
		manual_host(r, h);
}

static void power_cycle_done(struct rem *r, const struct hw_done *d)
{
	uint32_t v = (uint32_t)d->vm;
	struct rvm *m = &r->vms[v];
	const struct estate_vm *ev = &r->e->vms[v];
	m->cycling = false;
	m->downtime += d->value_s;
	m->remediation = REC_REM_POWER_CYCLE;
	r->rec->vms_power_cycle++;
	/* Each part restarts on the runtime of its host. */
	if (m->primary_old && r->hosts[ev->host].state == LP_DONE) {
		m->primary_old = false;
		release(r, (uint32_t)ev->host);
	}
	if (m->secondary_old && r->hosts[ev->secondary].state == LP_DONE) {
		m->secondary_old = false;
		release(r, (uint32_t)ev->secondary);
	}
}

/* ---- completions ----------------------------------------------------------- */

static void fsr_done(struct rem *r, const struct hw_done *d)
{
	uint32_t h = (uint32_t)d->host, v = (uint32_t)d->vm;
	struct rhost *x = &r->hosts[h];
	struct rvm *m = &r->vms[v];
	x->fsr_busy--;
	m->stun += d->value_s;
	m->downtime += d->value_s;
	m->remediation = REC_REM_FSR;
	r->rec->vms_fsr++;
	note(r, rec_add_stun(r->rec, d->value_s));
	if (d->ok && m->primary_old) {
		m->primary_old = false;
		x->old_vms--; /* the host is not done yet: no compliance check */
	}
	bool last = x->fsr_busy == 0 && x->fsr_started == x->nfsr;
	host_event(r, h, last ? LP_EV_FSR_LAST : LP_EV_FSR_MORE);
}

void rem_done(struct rem *r, const struct hw_done *d)
{
	uint32_t h = (uint32_t)d->host;
	switch (d->op) {
	case HW_ENTER_PARTIAL_MM:
		host_event(r, h, LP_EV_ENTERED);
		break;
	case HW_MOUNT_REVISION:
		host_event(r, h, LP_EV_MOUNTED);
		break;
	case HW_PATCH_REVISION:
		if (!d->ok)
			host_event(r, h, LP_EV_PATCH_FAILED);
		else
			host_event(r, h, r->hosts[h].nfsr ? LP_EV_PATCHED : LP_EV_PATCHED_NO_FSR);
		break;
	case HW_ROLLBACK: {
		int retries = remediation_of(r, r->e->hosts[h].cluster)->retry_count;
		bool retry = r->hosts[h].attempt <= retries;
		r->hosts[h].gave_up = !retry;
		host_event(r, h, retry ? LP_EV_ROLLED_BACK_RETRY : LP_EV_ROLLED_BACK_LAST);
		break;
	}
	case HW_RETRY_DELAY:
		host_event(r, h, LP_EV_RETRY);
		break;
	case HW_FSR:
		fsr_done(r, d);
		break;
	case HW_EXIT_PARTIAL_MM:
		host_event(r, h, r->hosts[h].gave_up ? LP_EV_EXITED_FAILED : LP_EV_EXITED);
		break;
	case HW_VM_POWER_CYCLE:
		power_cycle_done(r, d);
		break;
	case HW_MANUAL_DELAY:
		manual_done(r, d);
		break;
	case HW_NOPS:
		note(r, -EPROTO);
		break;
	}
}

int rem_finish(struct rem *r, double end_s, double horizon_s)
{
	const struct estate *e = r->e;
	struct rec *rec = r->rec;
	double makespan = 0, exposure = 0;
	for (uint32_t h = 0; h < e->nhosts; h++) {
		struct rhost *x = &r->hosts[h];
		bool blocked = x->state == RH_BLOCKED;
		bool left = x->state == LP_DONE || x->state == LP_FAILED;
		if (!blocked && !left && x->state != LP_PENDING)
			makespan = end_s; /* still in remediation at the end */
		else if (left && x->end > makespan)
			makespan = x->end;
		exposure += x->compliant ? x->compliant_at : horizon_s;
		enum rec_outcome o = blocked             ? REC_BLOCKED
				     : x->state == LP_FAILED ? REC_FAILED
				     : x->compliant          ? REC_COMPLIANT
							     : REC_NON_COMPLIANT;
		rec->hosts_live += r->scan->host_path[h] == SCAN_PATH_LIVE;
		rec->hosts_classic += r->scan->host_path[h] == SCAN_PATH_CLASSIC;
		rec->hosts_failed += o == REC_FAILED;
		rec->hosts_blocked += o == REC_BLOCKED;
		rec->hosts_compliant += o == REC_COMPLIANT;
		if (rec->detail) {
			if (end_s > x->since)
				note(r, rec_add_span(rec, h, (enum rec_state)x->shown, x->since, end_s));
			rec->hosts[h] = (struct rec_host){
				.start_s = x->start,
				.end_s = x->end,
				.compliant_at_s = x->compliant ? x->compliant_at : (double)NAN,
				.path = (uint8_t)(blocked ? REC_PATH_NONE
						  : r->scan->host_path[h] == SCAN_PATH_CLASSIC
							  ? REC_PATH_CLASSIC
							  : REC_PATH_LIVE),
				.outcome = (uint8_t)o,
				.attempts = x->attempt,
			};
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
		rec->vm_downtime[v] = r->vms[v].downtime;
		total += r->vms[v].downtime;
		if (rec->detail) {
			rec->vms[v].downtime_s = r->vms[v].downtime;
			rec->vms[v].stun_s = r->vms[v].stun;
			rec->vms[v].remediation = r->vms[v].remediation;
		}
	}
	rec->makespan_s = makespan;
	rec->exposure_host_hours = exposure / 3600.0;
	rec->downtime_total_s = total;
	if (r->ncompliant != e->nhosts)
		rec->time_to_compliance_s = NAN;
	return r->err;
}

const char *rem_check(const struct rem *r, long *who)
{
	const struct estate *e = r->e;
	for (uint32_t h = 0; h < e->nhosts; h++) {
		const struct rhost *x = &r->hosts[h];
		*who = h;
		if (x->state > RH_BLOCKED)
			return "host in no valid state";
		if (x->fsr_busy > x->fsr_started || x->fsr_started > x->nfsr)
			return "host FSR counts inconsistent";
		if (x->reserved_gb < -1e-9 || x->reserved_gb > estate_host_spec(e, h)->memory_gb)
			return "host memory reservation out of range";
		if (x->compliant && x->old_vms)
			return "compliant host still holds old-runtime VMs";
		uint32_t holds = 0;
		for (uint32_t i = e->on_host0[h]; i < e->on_host0[h + 1]; i++) {
			uint32_t v = e->on_host[i];
			holds += (e->vms[v].host == (int32_t)h && r->vms[v].primary_old) +
				 (e->vms[v].secondary == (int32_t)h && r->vms[v].secondary_old);
		}
		if (holds != x->old_vms)
			return "host's count of old-runtime VMs differs from its VMs";
	}
	*who = -1;
	return NULL;
}
