/*
 * hwsim: the simulated hardware. It implements the models' hardware
 * interface (models/hw.h) on the event kernel: each request samples its
 * latency from the scenario's `hardware` distributions (the host's, with
 * its overrides), draws its injected faults (`faults`), and schedules its
 * completion, which the kernel later hands to rem_done().
 *
 * Draws are keyed by (seed, replication, entity, purpose): the entity is
 * a stable id of the host's or VM's full name, the purpose names the
 * operation, the quantity and the attempt. So adding a VM changes nobody
 * else's draws, and the live and classic strategies draw the same numbers
 * for the same entity and purpose (common random numbers).
 */
#ifndef LPSIM_HWSIM_H
#define LPSIM_HWSIM_H

#include <stdint.h>

#include "models/estate.h"
#include "models/hw.h"
#include "models/rem.h"
#include "sim/sim.h"

/*
 * The purpose of a draw: which quantity of operation op it is for, and
 * which attempt or ordinal n (the host's attempt, the VM's n-th move). The
 * key of a draw is rng_key(seed, replication, entity id, hwsim_purpose(op,
 * what, n)) (sim/rng.h), so that a test can recompute any draw.
 */
enum hwsim_draw {
	HWSIM_DRAW_LATENCY,  /* its duration (a reboot's: the POST) */
	HWSIM_DRAW_FAILS,    /* whether it fails (a host: crashes), a uniform against the odds */
	HWSIM_DRAW_STUN,     /* an FSR's stun */
	HWSIM_DRAW_SHUTDOWN, /* a VM's shutdown */
	HWSIM_DRAW_BOOT,     /* a VM's or a host's boot */
	HWSIM_DRAW_WHEN,     /* when an injected crash happens */
};

static inline uint64_t hwsim_purpose(enum hw_op op, enum hwsim_draw what, unsigned n)
{
	return (uint64_t)op << 40 | (uint64_t)what << 32 | n;
}

/* What every replication's hardware derives from the estate alone,
 * computed once and shared: the entity ids of its hosts and VMs, and each
 * VM's stun base on its first host. */
struct hwsim_ids {
	uint64_t *host;
	uint64_t *vm;
	double *stun_base; /* per VM: base + per GB + per vCPU of its first host's stun model */
};

/* 0 or -ENOMEM. Free with hwsim_ids_fini. */
int hwsim_ids_init(struct hwsim_ids *ids, const struct estate *e);
void hwsim_ids_fini(struct hwsim_ids *ids);

struct hwsim;

/*
 * Simulated hardware for one replication on kernel s: registers a handler
 * for kinds 0 .. HW_NOPS-1 of s (which needs at least that many kinds).
 * e and ids are borrowed. NULL on OOM. Free with hwsim_free.
 */
struct hwsim *hwsim_new(struct sim *s, const struct estate *e, const struct hwsim_ids *ids,
			uint64_t seed, uint64_t replication);
void hwsim_free(struct hwsim *hw);

/* Makes hw new again (as hwsim_new would) on the new sim s, for another
 * replication, keeping its memory. Returns 0 or -ENOMEM. */
int hwsim_reset(struct hwsim *hw, struct sim *s, uint64_t seed, uint64_t replication);

/* Completions go to r from now on. */
void hwsim_bind(struct hwsim *hw, struct rem *r);

/* The interface, for rem_new(hw_ops, hw). */
const struct hw_ops *hwsim_ops(void);

/* 0, or the first error (a completion that could not be scheduled). */
int hwsim_error(const struct hwsim *hw);

#endif
