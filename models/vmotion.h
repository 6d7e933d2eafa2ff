/*
 * vmotion: the pre-copy model of one vMotion (SCENARIO.md), pure functions
 * of its parameters, its state and the rate it is given.
 *
 * Memory M (MB) crosses at R MB/s while the guest dirties D MB/s. Round 0
 * sends all of M; round i sends what was dirtied during round i-1, never
 * more than M (the dirty set is a set of the VM's pages). Pre-copy stops
 * at the end of a round when the rest would cross within the switchover
 * target at the rate of that instant, or after max_rounds rounds, or
 * (with SDPS off, lpsim's addition where SCENARIO.md is silent) when the
 * guest dirties at least as fast as the link sends, since more rounds would
 * only grow the rest. The VM is then stunned while the rest crosses, plus
 * the switchover overhead: that stun is its downtime.
 *
 * Stun During Page Send (SDPS, vSphere 5.0 and later): when the guest
 * dirties memory faster than sdps_fraction x R, vMotion slows its vCPUs so
 * that it dirties at most sdps_fraction x R; pre-copy then converges (each
 * round at most sdps_fraction of the one before), the migration takes
 * longer, the stun stays near the target. The time the VM spends slowed
 * is reported (sdps_s). sdps_fraction 0 turns SDPS off.
 *
 * The rate may change while the vMotion runs (the link is re-shared when
 * other vMotions start or end): the caller advances the state to the
 * instant of the change at the old rate (vmotion_advance), then asks when
 * it will end at the new one (vmotion_finish). With one rate throughout,
 * vmotion_precopy gives the whole vMotion at once.
 *
 * Units: memory in GB is converted to MB with 1024 (vSphere's GB are GiB);
 * link speed in Gbit/s to MB/s with 125 (decimal, as NICs are rated).
 */
#ifndef LPSIM_VMOTION_H
#define LPSIM_VMOTION_H

struct vmotion_params {
	double memory_gb;           /* M = memory_gb * 1024 MB */
	double dirty_mb_per_s;      /* D */
	double switchover_target;   /* s */
	double switchover_overhead; /* s */
	int max_rounds;             /* >= 1 */
	double sdps_fraction;       /* SDPS holds the dirty rate to this x R; 0: SDPS off; < 1 */
};

enum vmotion_phase {
	VMOTION_PRECOPY,    /* a pre-copy round is sending */
	VMOTION_SWITCHOVER, /* the VM is stunned, the rest is sending */
	VMOTION_OVERHEAD,   /* the VM is stunned, the switchover overhead runs */
	VMOTION_DONE,
};

/* Where one vMotion stands. */
struct vmotion_state {
	double left;   /* MB still to send in this round or switchover; s of overhead left */
	double dirty;  /* MB dirtied so far during this pre-copy round (<= M) */
	double stun_s; /* stunned so far */
	double sdps_s; /* slowed by SDPS so far */
	int rounds;    /* pre-copy rounds begun (>= 1) */
	int phase;     /* enum vmotion_phase */
};

struct vmotion_result {
	double duration_s; /* pre-copy rounds plus the stun (from the state given) */
	double stun_s;     /* the whole switchover: rest / R + overhead, the VM's downtime */
	double sdps_s;     /* the whole time SDPS slowed the VM */
	int rounds;        /* pre-copy rounds run (>= 1) */
};

/* The link's rate in MB/s: gbps * 125 * efficiency. */
double vmotion_link_rate(double gbps, double efficiency);

/* The state of a vMotion that has not sent anything yet. */
void vmotion_begin(const struct vmotion_params *p, struct vmotion_state *st);

/* Advances st by dt s (>= 0, may be INFINITY) at rate MB/s (> 0). Returns
 * the time used: dt, or less when the vMotion ends within it. */
double vmotion_advance(const struct vmotion_params *p, struct vmotion_state *st, double rate,
		       double dt);

/* The rest of the vMotion from st if the rate stays `rate` (> 0): how long
 * until it ends, and its totals (stun, SDPS, rounds) at the end. */
struct vmotion_result vmotion_finish(const struct vmotion_params *p,
				     const struct vmotion_state *st, double rate);

/* A whole vMotion at one rate (> 0); every field of p must be valid. */
struct vmotion_result vmotion_precopy(const struct vmotion_params *p, double rate);

#endif
