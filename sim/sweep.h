/*
 * sweep: a scenario run at every point of a cross product of axes
 * (SCENARIO.md "Sweeps", RESULTS.md "sweep output").
 *
 * An axis is a scalar PATH of the scenario (ytree_set syntax) and the
 * values it takes. The axes come from the scenario's `sweep:` and from the
 * command line (`--param PATH=V1,V2`, which replaces a scenario axis of
 * the same PATH and otherwise is appended). Point k of the cross product
 * takes, for axis a, value (k / stride(a)) % nvalues(a), where the last
 * axis has stride 1 (it varies fastest).
 *
 * Each point is its own scenario: the loaded tree is cloned, the point's
 * values set, the clone converted with every check, the estate built, and
 * the replications run with the same seed: common random numbers across
 * points (draws depend on (seed, replication, entity name, purpose) only,
 * so a host that a value does not touch sees the same draws at every
 * point). What a point leaves is its struct output_summary.
 *
 * Points run on a pool of threads: with at least as many points to run as
 * jobs, each thread takes whole points (their replications on that
 * thread), which parallelizes loading and summarizing too; with fewer, the
 * points run one after the other, each on every job. Results never depend
 * on the number of jobs.
 *
 * No global state; the plan and the results are plain data owned by the
 * caller.
 */
#ifndef LPSIM_SWEEP_H
#define LPSIM_SWEEP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "sim/output.h"
#include "sim/run.h"

struct sweep_axis {
	char *path;                 /* owned */
	size_t nvalues;             /* >= 1 */
	char **values;              /* owned, scalar text as written */
	bool *quoted;               /* owned, per value */
	struct diag_pos pos;        /* of the path in the file; {0, 0} from the command line */
	struct diag_pos *value_pos; /* owned, per value */
};

struct sweep_plan {
	size_t naxes;
	struct sweep_axis *axes; /* owned */
	size_t npoints;          /* product of the value counts; 1 without axes */
};

/*
 * Parses "PATH=V1,V2,..." into *ax (owned, free with sweep_axis_fini).
 * Values are plain scalars, split at commas, none empty. Returns 0, or
 * -EINVAL with a message in why (whylen bytes), or -ENOMEM.
 */
int sweep_axis_parse(const char *arg, struct sweep_axis *ax, char *why, size_t whylen);

void sweep_axis_fini(struct sweep_axis *ax);

/*
 * Builds the plan: sc's axes, then each of cli[0..ncli) replacing the axis
 * of the same path or appended. The cli axes are moved into the plan (the
 * caller's entries are zeroed). Returns 0, -E2BIG (more axes or points
 * than SCENARIO_MAX_SWEEP_AXES / _POINTS) or -ENOMEM.
 */
int sweep_plan_init(struct sweep_plan *pl, const struct scenario *sc, struct sweep_axis *cli,
                    size_t ncli);

void sweep_plan_fini(struct sweep_plan *pl);

/*
 * Keeps axis ai (< naxes) of pl alone, the others finished: pl's points
 * are then ai's values, in their order.
 */
void sweep_plan_keep_axis(struct sweep_plan *pl, size_t ai);

/* The index of axis a's value at point k. */
size_t sweep_point_value(const struct sweep_plan *pl, size_t k, size_t a);

/*
 * Checks the command-line axes of pl (those at position {0, 0}): the path
 * against the format (scenario_check_path: unknown keys with a
 * did-you-mean) and in the file (ytree_set), and every value alone set
 * into a copy of t and converted. Errors are added to d naming the axis
 * and the value. Returns 0, -EINVAL or -ENOMEM.
 */
int sweep_check_cli_axes(const struct ytree *t, const struct sweep_plan *pl, struct diag *d);

/*
 * The scenario of point k: t (borrowed, only read) cloned, the values set,
 * converted. Returns it (free with scenario_free), or NULL with the errors
 * added to d, each prefixed "sweep point K (PATH=V, ...): ".
 */
struct scenario *sweep_point_scenario(const struct ytree *t, const struct sweep_plan *pl, size_t k,
                                      struct diag *d);

struct sweep_opts {
	struct run_opts run; /* seed, replications, strategies; jobs = threads in all */
	size_t shard;        /* run only points k with k % nshards == shard */
	size_t nshards;      /* >= 1 */
	bool keep_makespans; /* keep every replication's whole-scope value (for `plan`) */
	int metric;          /* enum answer_metric of the kept values (0: makespan) */
	const char *scope;   /* a cluster name, or NULL for the whole estate */
};

struct sweep_result {
	size_t npoints;
	bool *done;                  /* per point: computed (in this shard) */
	struct output_summary *sums; /* per point; zeroed unless done */
	/* When keep_makespans: per done point, answer_scope_value (o->metric,
	 * o->scope) of every replication, strategy by strategy (nstrategies x
	 * replications, in run order): +infinity where the scope was not wholly
	 * patched (compliant), NaN where the point has no cluster o->scope. */
	double **makespans;
	/* When keep_makespans: per done point, nstrategies answer_why strings
	 * of OUTPUT_WHY_LEN bytes each, in one block. */
	char **why;
	double wall_s;
};

/*
 * Runs the points of the shard. t is the loaded tree (borrowed), pl the
 * plan. Returns 0 and fills *res (free with sweep_result_fini); -EINVAL
 * when a point is not a valid scenario (errors in d, in point order);
 * -EINTR when *stop became true; -ENOMEM; another negative errno from a
 * replication. On error *res holds nothing to free.
 */
int sweep_run(const struct ytree *t, const struct sweep_plan *pl, const struct sweep_opts *o,
              const atomic_bool *stop, struct diag *d, struct sweep_result *res);

/* How many of npoints points shard (0-based) of nshards runs: those k with k % nshards == shard. */
size_t sweep_shard_points(size_t npoints, size_t shard, size_t nshards);

/*
 * How many points sweep_run runs at once on jobs threads when it has
 * npoints to run: jobs (each thread takes whole points) when there are at
 * least as many points as jobs, else 1 (each point on every job). A
 * jobs below 1 counts as 1.
 */
int sweep_points_at_once(int jobs, size_t npoints);

int sweep_result_init(struct sweep_result *res, size_t npoints);
void sweep_result_fini(struct sweep_result *res);

/*
 * Writes a scalar value as JSON: as it is when unquoted and JSON reads it
 * as a number, true or false; else a string (an unquoted null too:
 * "null").
 */
void sweep_json_value(FILE *f, const char *v, bool quoted);

/* Writes sweep.json (RESULTS.md) to f; every point must be done. 0 or -EIO. */
int sweep_write_json(FILE *f, const struct sweep_plan *pl, const struct sweep_result *res);

/*
 * Writes sweep.csv to f: one header row, then per point the axis values,
 * then per strategy the mean, ci95_lo and ci95_hi of makespan_s,
 * time_to_compliance_s, exposure_host_hours and vm_downtime_s.total
 * (columns "STRATEGY.METRIC.mean", ...), then whom they cover:
 * STRATEGY.hosts.total, .hosts.patched.mean, .makespan_hosts.mean,
 * .whole_estate_patched (replications) and .time_to_compliance_censored
 * (replications), then the mean, ci95_lo and ci95_hi of the paired
 * difference from the first point of makespan_s and vm_downtime_s.total
 * (STRATEGY.METRIC.diff_from_first.mean, ...: this point minus the first,
 * replication by replication); numbers with %.17g, an undefined one
 * empty. 0 or -EIO.
 */
int sweep_write_csv(FILE *f, const struct sweep_plan *pl, const struct sweep_result *res);

/*
 * Creates dir and writes sweep.json and sweep.csv, both atomically (each
 * to a temporary, renamed once both are complete). Returns 0 or -errno
 * with the path concerned in errpath (as output_write_run).
 */
int sweep_write_dir(const char *dir, const struct sweep_plan *pl, const struct sweep_result *res,
                    char *errpath, size_t errlen);

#endif
