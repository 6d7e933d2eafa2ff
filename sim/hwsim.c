/*
 * hwsim: simulated hardware on the kernel (see hwsim.h). One kernel event
 * kind per hardware operation; the event's a is the host (or -1) and b the
 * VM (or the cluster, for the manual-remediation delay). The outcome of a
 * request (ok, stun, downtime) is drawn when it starts and kept until its
 * completion fires.
 *
 * vMotion links (fluid sharing): each host has one vMotion link, full
 * duplex, of vmotion_gbps x 125 x efficiency MB/s each way. A running
 * vMotion gets min(src link / vMotions sending from src, dst link /
 * vMotions arriving at dst), so no link ever carries more than it has.
 * When a vMotion starts or ends (or is cancelled), its two hosts' links
 * are marked; at the end of the completion being handled (for requests
 * made outside one, such as the first hosts' at the start, by an event
 * HW_VMOTION with b = -1 at the same instant) the vMotions on the marked
 * links, and only those, are re-shared: each whose share changed is
 * advanced to this instant at its old rate and its completion re-planned
 * at the new one. A vMotion's completion event carries its slot in the
 * pool (a) and its part (b).
 */
#include "sim/hwsim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/vmotion.h"
#include "models/vgpu.h"
#include "sim/rng.h"

struct hwsim {
	struct sim *s;
	const struct estate *e;
	const struct hwsim_ids *ids;
	struct rem *rem;
	gsl_rng *r;
	uint64_t rep_key; /* rng_key_rep(seed, replication) */
	int err;
	struct hw_host *hosts;
	struct hw_link *links; /* per host */
	struct hw_part *parts; /* 2 v + part: a VM's two parts share a cache line */
	double *stun;          /* per VM: its FSR stun on its first host, drawn ahead (fsr_stun) */
	/* Running vMotions (fluid sharing of the links). */
	struct hw_mig *migs;   /* the pool; a free one is on the free list */
	int32_t nmigs;         /* slots used */
	int32_t capmigs;
	int32_t free_mig;      /* free list through next_out (-1: empty) */
	int32_t *marked;       /* hosts whose links changed since the last re-share */
	size_t nmarked;
	int32_t *fresh;        /* vMotions started since the last re-share (their slots; a
				* slot freed and taken again may appear twice) */
	size_t nfresh;
	size_t capfresh;
	uint32_t stamp;        /* re-shares so far: a vMotion is re-planned once in each */
	bool in_complete;      /* a completion is being handled: re-share at its end */
	bool reshare_due;      /* a re-share event is scheduled (requests outside completions) */
};

/* One running vMotion. */
struct hw_mig {
	struct vmotion_params p;
	struct vmotion_state st; /* as of `since` */
	double rate;             /* MB/s since `since` (0: not planned yet) */
	double sdps_s;           /* SDPS time at its end, as last planned */
	double stun_s;           /* its stun, as last planned */
	double vgpu_s;           /* the vGPU frame buffer's stun, added to it (models/vgpu.h) */
	sim_event_id ev;         /* its completion (kept here, not in its part: a
				  * re-plan then touches the vMotion alone) */
	sim_time since;
	int32_t part, src, dst;     /* part -1: a free slot */
	int32_t prev_out, next_out; /* on src's list of vMotions sending */
	int32_t prev_in, next_in;   /* on dst's list of vMotions arriving */
	uint32_t stamp;
};

/* What a host has in flight. */
struct hw_host {
	sim_event_id ev;    /* the pending host-level operation */
	sim_event_id crash; /* the pending crash */
	bool ok;            /* outcome of the pending patch or install */
	bool stuns_drawn;   /* the stuns of the VMs placed on it are drawn (fsr_stun) */
	/* The draws of its live attempt `attempt` (0: none), made together
	 * when the attempt begins (draw_attempt). */
	struct {
		unsigned attempt;
		bool fails;
		double enter, mount, patch, exit;
	} next;
};

/* A host's vMotion link: the vMotions sending and arriving (lists of
 * hw_mig). Apart from hw_host, which the live path reads. */
struct hw_link {
	double rate;         /* each way, MB/s (set while a vMotion uses it) */
	int32_t out, in;     /* list heads, 1 + index (0: empty) */
	uint32_t nout, nin;
	uint32_t nout_seen, nin_seen; /* nout, nin at the last re-share */
	bool marked;         /* on hwsim.marked */
};

/* What a VM part has in flight: kept together, as a completion reads it all. */
struct hw_part {
	sim_event_id ev; /* the pending operation */
	double value;    /* its stun or downtime */
	bool ok;         /* its outcome (FSR, vMotion) */
	uint16_t ops;    /* part 0 only: operations on the VM so far (each draws afresh) */
	int32_t mig;     /* its running vMotion: 1 + index in hwsim.migs (0: none) */
};

/* The stun of VM v's FSR under stun model st is stun_base() e^Z. */
static double stun_base(const struct estate *e, const struct scenario_stun *st, size_t v)
{
	const struct scenario_vm *vm = estate_vm_spec(e, v);
	return st->base + st->per_gb * vm->memory_gb + st->per_vcpu * vm->vcpus;
}

int hwsim_ids_init(struct hwsim_ids *ids, const struct estate *e)
{
	char c[SCENARIO_MAX_NAME_LEN + 1], n[SCENARIO_MAX_NAME_LEN + 1];
	char full[2 * SCENARIO_MAX_NAME_LEN + 2];
	ids->host = malloc((e->nhosts + 1) * sizeof(uint64_t));
	ids->vm = malloc((e->nvms + 1) * sizeof(uint64_t));
	ids->stun_base = malloc((e->nvms + 1) * sizeof(double));
	if (!ids->host || !ids->vm || !ids->stun_base) {
		hwsim_ids_fini(ids);
		return -ENOMEM;
	}
	for (size_t h = 0; h < e->nhosts; h++) {
		estate_cluster_name(e, e->hosts[h].cluster, c, sizeof(c));
		estate_host_name(e, h, n, sizeof(n));
		snprintf(full, sizeof(full), "%s/%s", c, n);
		ids->host[h] = rng_entity_id(full);
	}
	for (size_t v = 0; v < e->nvms; v++) {
		estate_cluster_name(e, e->vms[v].cluster, c, sizeof(c));
		estate_vm_name(e, v, n, sizeof(n));
		snprintf(full, sizeof(full), "%s/%s", c, n);
		/* VM and host names may coincide: keep their ids apart. */
		ids->vm[v] = rng_entity_id(full) ^ UINT64_C(0x9e3779b97f4a7c15);
		const int32_t h = e->vms[v].host;
		ids->stun_base[v] =
		    h < 0 ? 0 : stun_base(e, &estate_host_spec(e, (size_t)h)->hardware.fsr_stun, v);
	}
	return 0;
}

void hwsim_ids_fini(struct hwsim_ids *ids)
{
	free(ids->host);
	free(ids->vm);
	free(ids->stun_base);
	ids->host = ids->vm = NULL;
	ids->stun_base = NULL;
}

static double draw(struct hwsim *hw, uint64_t entity, uint64_t p, const struct dist *d)
{
	rng_reseed(hw->r, rng_key_in(hw->rep_key, entity, p));
	return dist_sample(d, hw->r);
}

static bool chance(struct hwsim *hw, uint64_t entity, uint64_t p, double prob)
{
	if (!(prob > 0))
		return false;
	if (prob >= 1)
		return true;
	rng_reseed(hw->r, rng_key_in(hw->rep_key, entity, p));
	return gsl_rng_uniform(hw->r) < prob;
}

static sim_event_id complete_in(struct hwsim *hw, double seconds, enum hw_op op, int32_t a,
				int32_t b)
{
	/* A draw past the kernel's range (a heavy tail: weibull shape 0.1,
	 * lognormal with a huge sigma) does not end within any horizon (at most
	 * SCENARIO_MAX_DURATION, far below SIM_TIME_MAX): it completes at the
	 * end of time, so the step is still under way at the horizon. */
	sim_time delay = sim_ns(seconds);
	sim_time room = SIM_TIME_MAX - sim_now(hw->s);
	sim_event_id id = sim_schedule(hw->s, delay < room ? delay : room, op, a, b);
	if (id == SIM_NONE && !hw->err) {
		hw->err = -ENOMEM;
		sim_stop(hw->s);
	}
	return id;
}

/* A host-level operation of h completes in `seconds`. */
static void host_op(struct hwsim *hw, double seconds, enum hw_op op, int32_t h)
{
	hw->hosts[h].ev = complete_in(hw, seconds, op, h, -1);
}

/* An operation on VM part p (2 vm + part) about host h completes in `seconds`. */
static void part_op(struct hwsim *hw, double seconds, enum hw_op op, int32_t h, int32_t p)
{
	hw->parts[p].ev = complete_in(hw, seconds, op, h, p);
}

static const struct scenario_hardware *hw_of(const struct hwsim *hw, int32_t host)
{
	return &estate_host_spec(hw->e, (size_t)host)->hardware;
}

/* The latency of host h's step op in attempt a, drawn as the step draws it. */
static double step_time(struct hwsim *hw, int32_t h, enum hw_op op, unsigned a,
			const struct dist *d)
{
	return draw(hw, hw->ids->host[h], hwsim_purpose(op, HWSIM_DRAW_LATENCY, a), d);
}

/* Host h's step op of attempt a completes after its sampled latency. */
static void host_step(struct hwsim *hw, int32_t h, enum hw_op op, unsigned a, const struct dist *d)
{
	host_op(hw, step_time(hw, h, op, a, d), op, h);
}

/* Whether host h's patch or install of attempt a fails (faults.patch_failure_prob). */
static bool step_fails(struct hwsim *hw, int32_t h, enum hw_op op, unsigned a)
{
	return chance(hw, hw->ids->host[h], hwsim_purpose(op, HWSIM_DRAW_FAILS, a),
		      hw->e->sc->faults.patch_failure_prob);
}

/*
 * The draws of live attempt a of host h, made when it begins, together:
 * each is a chain of dependent arithmetic (key, generator, ziggurat, exp)
 * that would otherwise stand between a step's start and its scheduling;
 * side by side, the processor overlaps them. The same numbers as drawing
 * each when its step starts (the keys are the same). enter and exit are
 * keyed without the attempt.
 */
static void draw_attempt(struct hwsim *hw, int32_t h, unsigned a)
{
	const struct scenario_hardware *hd = hw_of(hw, h);
	struct hw_host *x = &hw->hosts[h];
	x->next.enter = step_time(hw, h, HW_ENTER_PARTIAL_MM, 0, &hd->enter_partial_mm);
	x->next.mount = step_time(hw, h, HW_MOUNT_REVISION, a, &hd->mount_revision);
	x->next.patch = step_time(hw, h, HW_PATCH_REVISION, a, &hd->patch_revision);
	x->next.exit = step_time(hw, h, HW_EXIT_PARTIAL_MM, 0, &hd->exit_partial_mm);
	x->next.fails = step_fails(hw, h, HW_PATCH_REVISION, a);
	x->next.attempt = a;
}

/* ---- the interface --------------------------------------------------------- */

static void enter_partial_mm(void *p, int32_t h)
{
	struct hwsim *hw = p;
	const struct hw_host *x = &hw->hosts[h];
	if (x->next.attempt)
		host_op(hw, x->next.enter, HW_ENTER_PARTIAL_MM, h);
	else
		host_step(hw, h, HW_ENTER_PARTIAL_MM, 0, &hw_of(hw, h)->enter_partial_mm);
}

static void mount_revision(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	const struct hw_host *x = &hw->hosts[h];
	if (x->next.attempt == (unsigned)attempt)
		host_op(hw, x->next.mount, HW_MOUNT_REVISION, h);
	else
		host_step(hw, h, HW_MOUNT_REVISION, (unsigned)attempt, &hw_of(hw, h)->mount_revision);
}

static void patch_revision(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	struct hw_host *x = &hw->hosts[h];
	if (x->next.attempt == (unsigned)attempt) {
		x->ok = !x->next.fails;
		host_op(hw, x->next.patch, HW_PATCH_REVISION, h);
		return;
	}
	x->ok = !step_fails(hw, h, HW_PATCH_REVISION, (unsigned)attempt);
	host_step(hw, h, HW_PATCH_REVISION, (unsigned)attempt, &hw_of(hw, h)->patch_revision);
}

static void rollback(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	host_step(hw, h, HW_ROLLBACK, (unsigned)attempt, &hw_of(hw, h)->rollback);
}

/* The stun of VM v's FSR under stun model st (its host's) is
 * stun_base() e^Z, Z ~ N(0, sigma^2): Z is drawn here. */
static double stun_z(struct hwsim *hw, const struct scenario_stun *st, int32_t v)
{
	if (!(st->sigma > 0))
		return 0;
	rng_reseed(hw->r, rng_key_in(hw->rep_key, hw->ids->vm[v],
				     hwsim_purpose(HW_FSR, HWSIM_DRAW_STUN, 0)));
	return gsl_ran_gaussian_ziggurat(hw->r, st->sigma);
}

/*
 * The stun of VM v's FSR on host h. At the first FSR on h, the stuns of
 * all the VMs placed on h at the start are drawn at once: each draw is a
 * long chain of dependent arithmetic (key, generator, ziggurat, exp) that
 * would otherwise stand between an FSR's start and its scheduling, where
 * the processor can overlap nothing; in short loops over independent VMs
 * (every Z, then every stun, from the base kept for the VM's first host)
 * it overlaps them. A VM that came to h later is drawn when asked. The
 * numbers are the same either way.
 */
static double fsr_stun(struct hwsim *hw, int32_t h, int32_t v)
{
	const struct estate *e = hw->e;
	const bool first_host = e->vms[v].host == h;
	if (first_host && hw->hosts[h].stuns_drawn)
		return hw->stun[v];
	const struct scenario_stun *st = &hw_of(hw, h)->fsr_stun;
	if (!first_host)
		return stun_base(e, st, (size_t)v) * exp(stun_z(hw, st, v));
	/* The VMs whose first host is h (its list also names the FT
	 * secondaries placed on it, whose VMs start elsewhere). */
	const uint32_t *on = e->on_host + e->on_host0[h];
	const uint32_t n = e->on_host0[h + 1] - e->on_host0[h];
	for (uint32_t i = 0; i < n; i++)
		if (e->vms[on[i]].host == h)
			hw->stun[on[i]] = stun_z(hw, st, (int32_t)on[i]);
	for (uint32_t i = 0; i < n; i++)
		if (e->vms[on[i]].host == h)
			hw->stun[on[i]] = hw->ids->stun_base[on[i]] * exp(hw->stun[on[i]]);
	hw->hosts[h].stuns_drawn = true;
	return hw->stun[v];
}

static void fsr(void *p, int32_t h, int32_t v)
{
	struct hwsim *hw = p;
	hw->parts[2 * v].value = fsr_stun(hw, h, v);
	hw->parts[2 * v].ok = !chance(hw, hw->ids->vm[v],
				      hwsim_purpose(HW_FSR, HWSIM_DRAW_FAILS, 0),
				      hw->e->sc->faults.fsr_failure_prob);
	part_op(hw, hw->parts[2 * v].value, HW_FSR, h, 2 * v);
}

static void exit_partial_mm(void *p, int32_t h)
{
	struct hwsim *hw = p;
	const struct hw_host *x = &hw->hosts[h];
	if (x->next.attempt)
		host_op(hw, x->next.exit, HW_EXIT_PARTIAL_MM, h);
	else
		host_step(hw, h, HW_EXIT_PARTIAL_MM, 0, &hw_of(hw, h)->exit_partial_mm);
}

static void retry_delay(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	(void)attempt;
	const struct estate_host *x = &hw->e->hosts[h];
	host_op(hw, hw->e->clusters[x->cluster].spec->remediation.retry_delay, HW_RETRY_DELAY, h);
}

static void vm_power_cycle(void *p, int32_t v)
{
	struct hwsim *hw = p;
	const struct scenario_hardware *hd = hw_of(hw, hw->e->vms[v].host);
	uint64_t id = hw->ids->vm[v];
	unsigned n = hw->parts[2 * v].ops++;
	double t = draw(hw, id, hwsim_purpose(HW_VM_POWER_CYCLE, HWSIM_DRAW_SHUTDOWN, n),
			&hd->vm_shutdown) +
		   draw(hw, id, hwsim_purpose(HW_VM_POWER_CYCLE, HWSIM_DRAW_BOOT, n), &hd->vm_boot);
	hw->parts[2 * v].value = t;
	part_op(hw, t, HW_VM_POWER_CYCLE, -1, 2 * v);
}

static void manual_delay(void *p, int32_t c, int32_t h)
{
	struct hwsim *hw = p;
	complete_in(hw, hw->e->clusters[c].spec->remediation.manual_delay, HW_MANUAL_DELAY, h, c);
}

static void enter_mm(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	host_step(hw, h, HW_ENTER_MM, (unsigned)attempt, &hw_of(hw, h)->enter_mm);
}

static void install(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	hw->hosts[h].ok = !step_fails(hw, h, HW_INSTALL, (unsigned)attempt);
	host_step(hw, h, HW_INSTALL, (unsigned)attempt, &hw_of(hw, h)->install);
}

/* post + boot, or quick boot when the cluster uses it. */
static double reboot_time(struct hwsim *hw, int32_t h, enum hw_op op, unsigned attempt)
{
	const struct scenario_hardware *hd = hw_of(hw, h);
	uint64_t id = hw->ids->host[h];
	const struct estate_host *x = &hw->e->hosts[h];
	if (op == HW_REBOOT && hw->e->clusters[x->cluster].spec->remediation.quick_boot)
		return draw(hw, id, hwsim_purpose(op, HWSIM_DRAW_BOOT, attempt), &hd->quick_boot);
	return draw(hw, id, hwsim_purpose(op, HWSIM_DRAW_LATENCY, attempt), &hd->post) +
	       draw(hw, id, hwsim_purpose(op, HWSIM_DRAW_BOOT, attempt), &hd->boot);
}

static void reboot(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	host_op(hw, reboot_time(hw, h, HW_REBOOT, (unsigned)attempt), HW_REBOOT, h);
}

static void exit_mm(void *p, int32_t h)
{
	struct hwsim *hw = p;
	host_step(hw, h, HW_EXIT_MM, 0, &hw_of(hw, h)->exit_mm);
}

/* ---- vMotion links ---------------------------------------------------------- */

/* Host h's vMotion link, each way, in MB/s. */
static double link_rate(const struct hwsim *hw, int32_t h)
{
	return vmotion_link_rate(estate_host_spec(hw->e, (size_t)h)->vmotion_gbps,
				 hw_of(hw, h)->vmotion.efficiency);
}

/* The share of a vMotion from src to dst: the lesser of its two links' fair shares. */
static double share(const struct hwsim *hw, int32_t src, int32_t dst)
{
	double out = hw->links[src].rate / hw->links[src].nout;
	double in = hw->links[dst].rate / hw->links[dst].nin;
	return out < in ? out : in;
}

static void mark(struct hwsim *hw, int32_t h)
{
	if (hw->links[h].marked)
		return;
	hw->links[h].marked = true;
	hw->marked[hw->nmarked++] = h;
}

/* A free slot of the pool (its index), or -1 on OOM. */
static int32_t mig_alloc(struct hwsim *hw)
{
	if (hw->free_mig >= 0) {
		int32_t i = hw->free_mig;
		hw->free_mig = hw->migs[i].next_out;
		return i;
	}
	if (hw->nmigs == hw->capmigs) {
		int32_t cap = hw->capmigs ? 2 * hw->capmigs : 64;
		struct hw_mig *m = realloc(hw->migs, (size_t)cap * sizeof(*m));
		if (!m)
			return -1;
		hw->migs = m;
		hw->capmigs = cap;
	}
	return hw->nmigs++;
}

/* Puts vMotion i on its hosts' links. */
static void mig_link(struct hwsim *hw, int32_t i)
{
	struct hw_mig *m = &hw->migs[i];
	struct hw_link *s = &hw->links[m->src], *d = &hw->links[m->dst];
	m->prev_out = m->prev_in = -1;
	m->next_out = s->out - 1;
	m->next_in = d->in - 1;
	if (s->out)
		hw->migs[s->out - 1].prev_out = i;
	if (d->in)
		hw->migs[d->in - 1].prev_in = i;
	s->out = d->in = i + 1;
	s->nout++;
	d->nin++;
	mark(hw, m->src);
	mark(hw, m->dst);
}

/* Takes vMotion i off its hosts' links and frees it. */
static void mig_unlink(struct hwsim *hw, int32_t i)
{
	struct hw_mig *m = &hw->migs[i];
	struct hw_link *s = &hw->links[m->src], *d = &hw->links[m->dst];
	if (m->prev_out >= 0)
		hw->migs[m->prev_out].next_out = m->next_out;
	else
		s->out = m->next_out + 1;
	if (m->next_out >= 0)
		hw->migs[m->next_out].prev_out = m->prev_out;
	if (m->prev_in >= 0)
		hw->migs[m->prev_in].next_in = m->next_in;
	else
		d->in = m->next_in + 1;
	if (m->next_in >= 0)
		hw->migs[m->next_in].prev_in = m->prev_in;
	s->nout--;
	d->nin--;
	mark(hw, m->src);
	mark(hw, m->dst);
	hw->parts[m->part].mig = 0;
	m->part = -1;
	m->next_out = hw->free_mig;
	hw->free_mig = i;
}

/* vMotion i at the new share of its links, if that changed: its state
 * advanced to now at the old rate, its completion planned at the new. */
static void replan(struct hwsim *hw, int32_t i, sim_time now)
{
	struct hw_mig *m = &hw->migs[i];
	if (m->stamp == hw->stamp)
		return;
	m->stamp = hw->stamp;
	double r = share(hw, m->src, m->dst);
	if (r == m->rate)
		return;
	if (m->rate > 0)
		vmotion_advance(&m->p, &m->st, m->rate, sim_s(now - m->since));
	m->rate = r;
	m->since = now;
	if (m->st.phase >= VMOTION_OVERHEAD && m->ev != SIM_NONE)
		return; /* the rate no longer matters: the plan stands */
	struct vmotion_result res = vmotion_finish(&m->p, &m->st, r);
	/* vGPU: a separate, additive stun at the switchover; it takes no
	 * link bandwidth (models/vgpu.h). */
	res.stun_s += m->vgpu_s;
	res.duration_s += m->vgpu_s;
	m->stun_s = res.stun_s;
	m->sdps_s = res.sdps_s;
	sim_cancel(hw->s, m->ev);
	m->ev = complete_in(hw, res.duration_s, HW_VMOTION, i, m->part);
}

#ifdef LPSIM_CHECKS
/* The vMotions on host h's link never get more than it has, either way. */
static void check_link(const struct hwsim *hw, int32_t h)
{
	double out = 0, in = 0, cap = link_rate(hw, h) * (1 + 1e-12);
	for (int32_t i = hw->links[h].out - 1; i >= 0; i = hw->migs[i].next_out)
		out += hw->migs[i].rate;
	for (int32_t i = hw->links[h].in - 1; i >= 0; i = hw->migs[i].next_in)
		in += hw->migs[i].rate;
	if (out > cap || in > cap) {
		fprintf(stderr, "lpsim: invariant broken: host %d's vMotion link carries %.9g out, "
			"%.9g in, of %.9g MB/s\n", h, out, in, link_rate(hw, h));
		abort();
	}
}
#endif

/*
 * Re-shares the marked links: a vMotion's share depends only on how many
 * share its two links, so only the lists whose count differs from the last
 * re-share are looked at, and the vMotions new since then.
 */
static void reshare(struct hwsim *hw)
{
	sim_time now = sim_now(hw->s);
	hw->stamp++;
	for (size_t k = 0; k < hw->nfresh; k++)
		if (hw->migs[hw->fresh[k]].part >= 0) /* not cancelled since */
			replan(hw, hw->fresh[k], now);
	hw->nfresh = 0;
	for (size_t k = 0; k < hw->nmarked; k++) {
		struct hw_link *x = &hw->links[hw->marked[k]];
		x->marked = false;
		if (x->nout != x->nout_seen)
			for (int32_t i = x->out - 1; i >= 0; i = hw->migs[i].next_out)
				replan(hw, i, now);
		if (x->nin != x->nin_seen)
			for (int32_t i = x->in - 1; i >= 0; i = hw->migs[i].next_in)
				replan(hw, i, now);
		x->nout_seen = x->nout;
		x->nin_seen = x->nin;
	}
#ifdef LPSIM_CHECKS
	for (size_t k = 0; k < hw->nmarked; k++)
		check_link(hw, hw->marked[k]);
#endif
	hw->nmarked = 0;
}

/* The marked links are re-shared at the end of this completion, or by an
 * event at this instant when the request came from outside one. */
static void reshare_later(struct hwsim *hw)
{
	if (hw->in_complete || hw->reshare_due)
		return;
	hw->reshare_due = complete_in(hw, 0, HW_VMOTION, -1, -1) != SIM_NONE;
}

static void vmotion(void *p, int32_t v, int part, int32_t src, int32_t dst)
{
	struct hwsim *hw = p;
	const struct scenario_vm *vm = estate_vm_spec(hw->e, (size_t)v);
	const struct scenario_vmotion *hv = &hw_of(hw, src)->vmotion;
	int32_t pi = 2 * v + part;
	unsigned n = hw->parts[2 * v].ops++;
	hw->parts[pi].ok = !chance(hw, hw->ids->vm[v],
				   hwsim_purpose(HW_VMOTION, HWSIM_DRAW_FAILS, n),
				   hw->e->sc->faults.vmotion_failure_prob);
	if (hw->nfresh == hw->capfresh) {
		size_t cap = hw->capfresh ? 2 * hw->capfresh : 64;
		int32_t *f = realloc(hw->fresh, cap * sizeof(*f));
		if (f) {
			hw->fresh = f;
			hw->capfresh = cap;
		}
	}
	int32_t i = hw->nfresh < hw->capfresh ? mig_alloc(hw) : -1;
	if (i < 0) {
		if (!hw->err)
			hw->err = -ENOMEM;
		sim_stop(hw->s);
		return;
	}
	struct hw_mig *m = &hw->migs[i];
	m->p = (struct vmotion_params){
	    .memory_gb = vm->memory_gb,
	    .dirty_mb_per_s = vm->dirty_mb_per_s,
	    .switchover_target = hv->switchover_target,
	    .switchover_overhead = hv->switchover_overhead,
	    .max_rounds = hv->max_rounds,
	    .sdps_fraction = hv->sdps ? hv->sdps_dirty_fraction : 0,
	};
	vmotion_begin(&m->p, &m->st);
	m->vgpu_s = vgpu_vmotion_stun_s(vm->vgpu_gb, estate_host_spec(hw->e, (size_t)src)->vmotion_gbps,
					estate_host_spec(hw->e, (size_t)dst)->vmotion_gbps);
	m->rate = 0;
	m->since = sim_now(hw->s);
	m->part = pi;
	m->src = src;
	m->dst = dst;
	m->stamp = hw->stamp;
	hw->fresh[hw->nfresh++] = i;
	hw->parts[pi].mig = i + 1;
	hw->parts[pi].ev = SIM_NONE; /* the vMotion keeps its event */
	m->ev = SIM_NONE;
	hw->links[src].rate = link_rate(hw, src);
	hw->links[dst].rate = link_rate(hw, dst);
	mig_link(hw, i);
	reshare_later(hw);
}

static void vm_power_off(void *p, int32_t v)
{
	struct hwsim *hw = p;
	unsigned n = hw->parts[2 * v].ops++;
	double t = draw(hw, hw->ids->vm[v], hwsim_purpose(HW_VM_POWER_OFF, HWSIM_DRAW_SHUTDOWN, n),
			&hw_of(hw, hw->e->vms[v].host)->vm_shutdown);
	part_op(hw, t, HW_VM_POWER_OFF, -1, 2 * v);
}

static void vm_power_on(void *p, int32_t v)
{
	struct hwsim *hw = p;
	unsigned n = hw->parts[2 * v].ops++;
	double t = draw(hw, hw->ids->vm[v], hwsim_purpose(HW_VM_POWER_ON, HWSIM_DRAW_BOOT, n),
			&hw_of(hw, hw->e->vms[v].host)->vm_boot);
	part_op(hw, t, HW_VM_POWER_ON, -1, 2 * v);
}

/* The attempt's own steps, drawn as they will be: the span a crash falls in. */
static double attempt_span(struct hwsim *hw, int32_t h, unsigned a, bool classic)
{
	const struct scenario_hardware *hd = hw_of(hw, h);
	if (classic)
		return step_time(hw, h, HW_ENTER_MM, a, &hd->enter_mm) +
		       step_time(hw, h, HW_INSTALL, a, &hd->install) +
		       reboot_time(hw, h, HW_REBOOT, a) + step_time(hw, h, HW_EXIT_MM, 0, &hd->exit_mm);
	const struct hw_host *x = &hw->hosts[h]; /* draw_attempt drew them */
	return x->next.enter + x->next.mount + x->next.patch + x->next.exit;
}

static void attempt_start(void *p, int32_t h, int attempt, bool classic)
{
	struct hwsim *hw = p;
	uint64_t id = hw->ids->host[h];
	unsigned a = (unsigned)attempt;
	if (!classic)
		draw_attempt(hw, h, a);
	if (!chance(hw, id, hwsim_purpose(HW_HOST_CRASH, HWSIM_DRAW_FAILS, a),
		    hw->e->sc->faults.host_crash_prob))
		return;
	double span = attempt_span(hw, h, a, classic);
	rng_reseed(hw->r,
		   rng_key_in(hw->rep_key, id, hwsim_purpose(HW_HOST_CRASH, HWSIM_DRAW_WHEN, a)));
	hw->hosts[h].crash = complete_in(hw, gsl_rng_uniform(hw->r) * span, HW_HOST_CRASH, h, -1);
}

static void attempt_end(void *p, int32_t h)
{
	struct hwsim *hw = p;
	sim_cancel(hw->s, hw->hosts[h].crash);
	hw->hosts[h].crash = SIM_NONE;
}

static void host_recover(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	host_op(hw, reboot_time(hw, h, HW_HOST_RECOVER, (unsigned)attempt), HW_HOST_RECOVER, h);
}

static void ha_restart(void *p, int32_t v, int part, int32_t dst)
{
	struct hwsim *hw = p;
	unsigned n = hw->parts[2 * v].ops++;
	double t = draw(hw, hw->ids->vm[v], hwsim_purpose(HW_HA_RESTART, HWSIM_DRAW_LATENCY, n),
			&hw->e->sc->faults.ha_restart);
	part_op(hw, t, HW_HA_RESTART, dst, 2 * v + part);
}

static void cancel_host(void *p, int32_t h)
{
	struct hwsim *hw = p;
	sim_cancel(hw->s, hw->hosts[h].ev);
	hw->hosts[h].ev = SIM_NONE;
	hw->hosts[h].crash = SIM_NONE; /* it is the crash being handled */
}

static void cancel_vm(void *p, int32_t v, int part)
{
	struct hwsim *hw = p;
	struct hw_part *x = &hw->parts[2 * v + part];
	sim_cancel(hw->s, x->ev);
	x->ev = SIM_NONE;
	if (x->mig) {
		sim_cancel(hw->s, hw->migs[x->mig - 1].ev);
		mig_unlink(hw, x->mig - 1);
		reshare_later(hw);
	}
}

static double now(void *p)
{
	struct hwsim *hw = p;
	return sim_s(sim_now(hw->s));
}

static const struct hw_ops ops = {
	.enter_partial_mm = enter_partial_mm,
	.mount_revision = mount_revision,
	.patch_revision = patch_revision,
	.rollback = rollback,
	.fsr = fsr,
	.exit_partial_mm = exit_partial_mm,
	.retry_delay = retry_delay,
	.vm_power_cycle = vm_power_cycle,
	.manual_delay = manual_delay,
	.enter_mm = enter_mm,
	.install = install,
	.reboot = reboot,
	.exit_mm = exit_mm,
	.vmotion = vmotion,
	.vm_power_off = vm_power_off,
	.vm_power_on = vm_power_on,
	.attempt_start = attempt_start,
	.attempt_end = attempt_end,
	.host_recover = host_recover,
	.ha_restart = ha_restart,
	.cancel_host = cancel_host,
	.cancel_vm = cancel_vm,
	.now = now,
};

const struct hw_ops *hwsim_ops(void)
{
	return &ops;
}

/* ---- completions ----------------------------------------------------------- */

/*
 * A large estate's per-VM state is spread over arrays of millions: the
 * first touch of a VM's is a cache miss in each. The kernel tells what
 * completes next, so that it is fetched while the current one is handled.
 */
#define HWSIM_PREFETCH_VMS 65536

static void prefetch(int32_t a, int32_t b, void *ctx)
{
	const struct hwsim *hw = ctx;
	if (b >= 0 && (size_t)b < 2 * hw->e->nvms)
		__builtin_prefetch(&hw->parts[b]);
	if (hw->rem)
		rem_prefetch(hw->rem, a, b);
}

/* A vMotion's completion: a is its slot in the pool, b its part. */
static void prefetch_vmotion(int32_t a, int32_t b, void *ctx)
{
	const struct hwsim *hw = ctx;
	if (a >= 0 && a < hw->nmigs)
		__builtin_prefetch(&hw->migs[a]);
	if (b >= 0 && (size_t)b < 2 * hw->e->nvms)
		__builtin_prefetch(&hw->parts[b]);
	if (hw->rem)
		rem_prefetch(hw->rem, -1, b);
}

static void on_complete(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct hwsim *hw = ctx;
	struct hw_done d = {.op = (enum hw_op)ev->kind, .host = ev->a, .vm = -1, .cluster = -1,
			    .ok = true};
	switch (d.op) {
	case HW_MANUAL_DELAY:
		d.cluster = ev->b;
		break;
	case HW_HOST_CRASH:
		hw->hosts[ev->a].crash = SIM_NONE;
		break;
	case HW_VMOTION:
		if (ev->b < 0) { /* the re-share of requests made outside a completion */
			hw->reshare_due = false;
			reshare(hw);
			return;
		}
		d.host = hw->migs[ev->a].src;
		d.vm = ev->b >> 1;
		d.part = ev->b & 1;
		d.ok = hw->parts[ev->b].ok;
		d.value_s = hw->migs[ev->a].stun_s;
		d.sdps_s = hw->migs[ev->a].sdps_s;
		mig_unlink(hw, ev->a);
		break;
	default:
		if (ev->b >= 0) { /* an operation on a VM part */
			struct hw_part *x = &hw->parts[ev->b];
			d.vm = ev->b >> 1;
			d.part = ev->b & 1;
			d.ok = x->ok;
			d.value_s = x->value;
			x->ev = SIM_NONE;
		} else {
			d.ok = hw->hosts[ev->a].ok;
			hw->hosts[ev->a].ev = SIM_NONE;
		}
		break;
	}
	hw->in_complete = true;
	rem_done(hw->rem, &d);
	hw->in_complete = false;
	if (hw->nmarked)
		reshare(hw);
#ifdef LPSIM_CHECKS
	long who;
	const char *bad = rem_check(hw->rem, &who);
	if (bad) {
		fprintf(stderr,
			"lpsim: invariant broken at t=%.9f s after event %u (a=%d b=%d): %s "
			"(entity %ld)\n",
			sim_s(sim_now(s)), ev->kind, ev->a, ev->b, bad, who);
		abort();
	}
#else
	(void)s;
#endif
}

struct hwsim *hwsim_new(struct sim *s, const struct estate *e, const struct hwsim_ids *ids,
			uint64_t seed, uint64_t replication)
{
	struct hwsim *hw = calloc(1, sizeof(*hw));
	if (!hw)
		return NULL;
	hw->e = e;
	hw->ids = ids;
	hw->r = rng_new(0);
	hw->hosts = calloc(e->nhosts + 1, sizeof(*hw->hosts));
	hw->parts = calloc(2 * e->nvms + 1, sizeof(*hw->parts));
	hw->stun = malloc((e->nvms + 1) * sizeof(*hw->stun));
	hw->marked = malloc((e->nhosts + 1) * sizeof(*hw->marked));
	hw->links = calloc(e->nhosts + 1, sizeof(*hw->links));
	if (!hw->r || !hw->hosts || !hw->parts || !hw->stun || !hw->marked || !hw->links ||
	    hwsim_reset(hw, s, seed, replication) < 0) {
		hwsim_free(hw);
		return NULL;
	}
	return hw;
}

int hwsim_reset(struct hwsim *hw, struct sim *s, uint64_t seed, uint64_t replication)
{
	const struct estate *e = hw->e;
	hw->s = s;
	hw->rem = NULL;
	hw->err = 0;
	hw->rep_key = rng_key_rep(seed, replication);
	memset(hw->hosts, 0, (e->nhosts + 1) * sizeof(*hw->hosts));
	memset(hw->parts, 0, (2 * e->nvms + 1) * sizeof(*hw->parts));
	if (hw->nmigs) /* a replication with vMotions used them */
		memset(hw->links, 0, (e->nhosts + 1) * sizeof(*hw->links));
	hw->nmigs = 0;
	hw->free_mig = -1;
	hw->nmarked = 0;
	hw->nfresh = 0;
	hw->stamp = 0;
	hw->reshare_due = false;
	hw->in_complete = false;
	bool big = e->nvms >= HWSIM_PREFETCH_VMS;
	for (uint32_t k = 0; k < HW_NOPS; k++)
		if (sim_on(s, k, on_complete, hw) < 0 ||
		    (big && sim_on_prefetch(s, k, k == HW_VMOTION ? prefetch_vmotion : prefetch) < 0))
			return -ENOMEM;
	return 0;
}

void hwsim_free(struct hwsim *hw)
{
	if (!hw)
		return;
	rng_free(hw->r);
	free(hw->hosts);
	free(hw->parts);
	free(hw->stun);
	free(hw->migs);
	free(hw->marked);
	free(hw->links);
	free(hw->fresh);
	free(hw);
}

void hwsim_bind(struct hwsim *hw, struct rem *r)
{
	hw->rem = r;
}

int hwsim_error(const struct hwsim *hw)
{
	return hw->err;
}
