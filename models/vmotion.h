/*
 * vmotion: the pre-copy model of a vMotion (SCENARIO.md), a pure function.
 *
 * Memory M (MB) crosses at R MB/s while the guest dirties D MB/s. Round 0
 * sends all of M in M/R s; round i sends what was dirtied during round
 * i-1. Pre-copy stops when the rest would cross within the switchover
 * target at R, or after max_rounds rounds, or (lpsim's addition, where
 * SCENARIO.md is silent) after a round when the guest dirties memory at
 * least as fast as the link sends it, since further rounds would only grow
 * the rest; the VM is then stunned while the rest crosses, plus the
 * switchover overhead.
 *
 * Units: memory in GB is converted to MB with 1024 (vSphere's GB are GiB);
 * link speed in Gbit/s to MB/s with 125 (decimal, as NICs are rated).
 */
#ifndef LPSIM_VMOTION_H
#define LPSIM_VMOTION_H

struct vmotion_params {
	double memory_gb;        /* M = memory_gb * 1024 MB */
	double dirty_mb_per_s;   /* D */
	double gbps;             /* the source host's vmotion_gbps */
	double efficiency;       /* hardware.vmotion.efficiency */
	int concurrent;          /* k: vMotions the source runs at once, fixed at the start */
	double switchover_target; /* s */
	double switchover_overhead; /* s */
	int max_rounds;
};

struct vmotion_result {
	double duration_s; /* pre-copy rounds plus the stun */
	double stun_s;     /* rest / R + overhead: the VM's downtime */
	int rounds;        /* pre-copy rounds run (>= 1) */
};

/* R in MB/s: gbps * 125 * efficiency / concurrent. */
double vmotion_rate(const struct vmotion_params *p);

/* The vMotion of p; every field of p must be valid (concurrent >= 1, ...). */
struct vmotion_result vmotion_precopy(const struct vmotion_params *p);

#endif
