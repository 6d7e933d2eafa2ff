/*
 * run: replications of a scenario on threads.
 *
 * Each replication of each strategy gets its own kernel (struct sim),
 * simulated hardware and model state; they share the scenario, the
 * estate and the scans read-only. A replication's random draws depend
 * only on (seed, replication, entity, purpose), never on the thread that
 * runs it or on the order replications finish, so the records, and
 * everything computed from them, are bit-identical for any number of jobs.
 */
#ifndef LPSIM_RUN_H
#define LPSIM_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/estate.h"
#include "models/record.h"
#include "models/scan.h"
#include "scenarios/scenario.h"

struct run_opts {
	uint64_t seed;
	long replications;
	size_t nstrategies;
	enum scenario_strategy strategies[2];
	int jobs;              /* threads, >= 1 */
	bool all_replications; /* keep the detail (CSV rows) of every replication, not only #0 */
	bool progress;         /* draw a progress bar on stderr */
	/* When ranged, only replications [rep_lo, rep_hi) of every strategy
	 * are computed (a shard's share, possibly empty); the records outside
	 * stay zeroed, for the caller to fill (lpsim merge, MPI) before
	 * summarizing. */
	bool ranged;
	long rep_lo;
	long rep_hi;
	/* Sequential stopping (--precision): when precision > 0 (and not
	 * ranged), run_replications starts with `replications` (at least
	 * RUN_PRECISION_MIN_REPS) and doubles the count, up to
	 * max_replications, until every headline mean (makespan, time to
	 * compliance over the replications where it is defined, exposure, VM
	 * downtime total) of every strategy has a Student-t 95% half-width
	 * <= precision x |mean|. Replication r is the same whatever the count,
	 * so the result is exactly that of a run of the final count (which
	 * res->opts.replications holds), whatever `jobs`. */
	double precision;
	long max_replications;
};

#define RUN_PRECISION_MIN_REPS 10
#define RUN_DEFAULT_MAX_REPLICATIONS 100000 /* --precision without --max-replications */

struct run_result {
	const struct scenario *sc; /* borrowed */
	const struct estate *e;    /* borrowed */
	struct run_opts opts;
	struct scan *scans[2];     /* per strategy (classic: live_patch_mode disable everywhere) */
	struct rec *recs[2];       /* per strategy: recs[s][0 .. replications-1] */
	double wall_s;
};

/* Whether every headline mean of res is within rel of its value (see run_opts.precision). */
bool run_precise_enough(const struct run_result *res, double rel);

/*
 * Runs every replication of every strategy. Returns 0 and fills *res
 * (free with run_result_fini); -ENOMEM; -EINVAL for a range outside
 * [0, replications]; -EINTR when *stop became true
 * (stop may be NULL; a signal handler may set it); or another negative
 * errno for an internal error in a replication.
 */
int run_replications(const struct scenario *sc, const struct estate *e,
		     const struct run_opts *opts, const atomic_bool *stop,
		     struct run_result *res);

void run_result_fini(struct run_result *res);

#endif
