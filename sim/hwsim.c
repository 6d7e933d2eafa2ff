/*
 * hwsim: simulated hardware on the kernel (see hwsim.h). One kernel event
 * kind per hardware operation; the event's a is the host (or -1) and b the
 * VM (or the cluster, for the manual-remediation delay). The outcome of a
 * request (ok, stun, downtime) is drawn when it starts and kept until its
 * completion fires.
 */
#include "sim/hwsim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"

/* Which quantity of an operation a draw is for. */
enum draw_sub { SUB_LATENCY, SUB_FAILS, SUB_STUN, SUB_SHUTDOWN, SUB_BOOT };

struct hwsim {
	struct sim *s;
	const struct estate *e;
	const struct hwsim_ids *ids;
	struct rem *rem;
	gsl_rng *r;
	uint64_t seed;
	uint64_t rep;
	int err;
	bool *host_ok;     /* outcome of the host's pending patch */
	bool *vm_ok;       /* outcome of the VM's pending FSR */
	double *vm_value;  /* stun or downtime of the VM's pending operation */
	uint16_t *vm_cycles; /* power cycles so far (a fresh draw each) */
};

int hwsim_ids_init(struct hwsim_ids *ids, const struct estate *e)
{
	char c[SCENARIO_MAX_NAME_LEN + 1], n[SCENARIO_MAX_NAME_LEN + 1];
	char full[2 * SCENARIO_MAX_NAME_LEN + 2];
	ids->host = malloc((e->nhosts + 1) * sizeof(uint64_t));
	ids->vm = malloc((e->nvms + 1) * sizeof(uint64_t));
	if (!ids->host || !ids->vm) {
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
	}
	return 0;
}

void hwsim_ids_fini(struct hwsim_ids *ids)
{
	free(ids->host);
	free(ids->vm);
	ids->host = ids->vm = NULL;
}

static uint64_t purpose(enum hw_op op, enum draw_sub sub, unsigned n)
{
	return (uint64_t)op << 40 | (uint64_t)sub << 32 | n;
}

static double draw(struct hwsim *hw, uint64_t entity, uint64_t p, const struct dist *d)
{
	rng_reseed(hw->r, rng_key(hw->seed, hw->rep, entity, p));
	return dist_sample(d, hw->r);
}

static bool chance(struct hwsim *hw, uint64_t entity, uint64_t p, double prob)
{
	if (!(prob > 0))
		return false;
	if (prob >= 1)
		return true;
	rng_reseed(hw->r, rng_key(hw->seed, hw->rep, entity, p));
	return gsl_rng_uniform(hw->r) < prob;
}

static void complete_in(struct hwsim *hw, double seconds, enum hw_op op, int32_t a, int32_t b)
{
	if (sim_schedule(hw->s, sim_ns(seconds), op, a, b) == SIM_NONE && !hw->err) {
		hw->err = -ENOMEM;
		sim_stop(hw->s);
	}
}

static const struct scenario_hardware *hw_of(const struct hwsim *hw, int32_t host)
{
	return &estate_host_spec(hw->e, (size_t)host)->hardware;
}

/* ---- the interface --------------------------------------------------------- */

static void enter_partial_mm(void *p, int32_t h)
{
	struct hwsim *hw = p;
	double t = draw(hw, hw->ids->host[h], purpose(HW_ENTER_PARTIAL_MM, SUB_LATENCY, 0),
			&hw_of(hw, h)->enter_partial_mm);
	complete_in(hw, t, HW_ENTER_PARTIAL_MM, h, -1);
}

static void mount_revision(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	double t = draw(hw, hw->ids->host[h], purpose(HW_MOUNT_REVISION, SUB_LATENCY, (unsigned)attempt),
			&hw_of(hw, h)->mount_revision);
	complete_in(hw, t, HW_MOUNT_REVISION, h, -1);
}

static void patch_revision(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	uint64_t id = hw->ids->host[h];
	double t = draw(hw, id, purpose(HW_PATCH_REVISION, SUB_LATENCY, (unsigned)attempt),
			&hw_of(hw, h)->patch_revision);
	hw->host_ok[h] = !chance(hw, id, purpose(HW_PATCH_REVISION, SUB_FAILS, (unsigned)attempt),
				 hw->e->sc->faults.patch_failure_prob);
	complete_in(hw, t, HW_PATCH_REVISION, h, -1);
}

static void rollback(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	double t = draw(hw, hw->ids->host[h], purpose(HW_ROLLBACK, SUB_LATENCY, (unsigned)attempt),
			&hw_of(hw, h)->rollback);
	complete_in(hw, t, HW_ROLLBACK, h, -1);
}

static void fsr(void *p, int32_t h, int32_t v)
{
	struct hwsim *hw = p;
	const struct scenario_vm *vm = estate_vm_spec(hw->e, (size_t)v);
	const struct scenario_stun *st = &hw_of(hw, h)->fsr_stun;
	uint64_t id = hw->ids->vm[v];
	double base = st->base + st->per_gb * vm->memory_gb + st->per_vcpu * vm->vcpus;
	double z = 0;
	if (st->sigma > 0) {
		rng_reseed(hw->r, rng_key(hw->seed, hw->rep, id, purpose(HW_FSR, SUB_STUN, 0)));
		z = gsl_ran_gaussian_ziggurat(hw->r, st->sigma);
	}
	hw->vm_value[v] = base * exp(z);
	hw->vm_ok[v] = !chance(hw, id, purpose(HW_FSR, SUB_FAILS, 0),
			       hw->e->sc->faults.fsr_failure_prob);
	complete_in(hw, hw->vm_value[v], HW_FSR, h, v);
}

static void exit_partial_mm(void *p, int32_t h)
{
	struct hwsim *hw = p;
	double t = draw(hw, hw->ids->host[h], purpose(HW_EXIT_PARTIAL_MM, SUB_LATENCY, 0),
			&hw_of(hw, h)->exit_partial_mm);
	complete_in(hw, t, HW_EXIT_PARTIAL_MM, h, -1);
}

static void retry_delay(void *p, int32_t h, int attempt)
{
	struct hwsim *hw = p;
	(void)attempt;
	const struct estate_host *x = &hw->e->hosts[h];
	complete_in(hw, hw->e->clusters[x->cluster].spec->remediation.retry_delay, HW_RETRY_DELAY, h,
		    -1);
}

static void vm_power_cycle(void *p, int32_t v)
{
	struct hwsim *hw = p;
	const struct scenario_hardware *hd = hw_of(hw, hw->e->vms[v].host);
	uint64_t id = hw->ids->vm[v];
	unsigned n = hw->vm_cycles[v]++;
	double t = draw(hw, id, purpose(HW_VM_POWER_CYCLE, SUB_SHUTDOWN, n), &hd->vm_shutdown) +
		   draw(hw, id, purpose(HW_VM_POWER_CYCLE, SUB_BOOT, n), &hd->vm_boot);
	hw->vm_value[v] = t;
	complete_in(hw, t, HW_VM_POWER_CYCLE, -1, v);
}

static void manual_delay(void *p, int32_t c, int32_t h)
{
	struct hwsim *hw = p;
	complete_in(hw, hw->e->clusters[c].spec->remediation.manual_delay, HW_MANUAL_DELAY, h, c);
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
	.now = now,
};

const struct hw_ops *hwsim_ops(void)
{
	return &ops;
}

/* ---- completions ----------------------------------------------------------- */

static void on_complete(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct hwsim *hw = ctx;
	struct hw_done d = {.op = (enum hw_op)ev->kind, .host = ev->a, .vm = ev->b, .cluster = -1,
			    .ok = true};
	switch (d.op) {
	case HW_PATCH_REVISION:
		d.ok = hw->host_ok[ev->a];
		break;
	case HW_FSR:
		d.ok = hw->vm_ok[ev->b];
		d.value_s = hw->vm_value[ev->b];
		break;
	case HW_VM_POWER_CYCLE:
		d.value_s = hw->vm_value[ev->b];
		break;
	case HW_MANUAL_DELAY:
		d.vm = -1;
		d.cluster = ev->b;
		break;
	default:
		break;
	}
	rem_done(hw->rem, &d);
#ifdef LPSIM_CHECKS
	long who;
	const char *bad = rem_check(hw->rem, &who);
	if (bad) {
		fprintf(stderr, "lpsim: invariant broken at t=%.9f s after event %u (a=%d b=%d): %s (entity %ld)\n",
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
	hw->s = s;
	hw->e = e;
	hw->ids = ids;
	hw->seed = seed;
	hw->rep = replication;
	hw->r = rng_new(0);
	hw->host_ok = calloc(e->nhosts + 1, sizeof(bool));
	hw->vm_ok = calloc(e->nvms + 1, sizeof(bool));
	hw->vm_value = calloc(e->nvms + 1, sizeof(double));
	hw->vm_cycles = calloc(e->nvms + 1, sizeof(uint16_t));
	if (!hw->r || !hw->host_ok || !hw->vm_ok || !hw->vm_value || !hw->vm_cycles)
		goto out_free;
	for (uint32_t k = 0; k < HW_NOPS; k++)
		if (sim_on(s, k, on_complete, hw) < 0)
			goto out_free;
	return hw;
out_free:
	hwsim_free(hw);
	return NULL;
}

void hwsim_free(struct hwsim *hw)
{
	if (!hw)
		return;
	rng_free(hw->r);
	free(hw->host_ok);
	free(hw->vm_ok);
	free(hw->vm_value);
	free(hw->vm_cycles);
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
