/*
 * answer: the questions a change board asks of a run, answered the same
 * way everywhere (run table, summary.json, plan, report, sweep.csv).
 *
 * "Does the whole scope get patched (or compliant) within the window in a
 * fraction C of windows?" Per replication the scope's value is its
 * makespan (or time to compliance) when every host of the scope got
 * patched (compliant), and +infinity when some host was blocked, failed,
 * not started or still in remediation at the end (never compliant): such a
 * replication does not fit any window. A window fits when the
 * order-statistic 95% upper confidence bound on the C-quantile of these
 * values is <= the window: the k-th smallest of n, k the smallest with
 * P(Binomial(n, C) <= k - 1) >= 0.95. It needs n >= log(0.05) / log(C)
 * replications (59 for C = 0.95); with fewer there is no bound.
 *
 * Everything here is a pure function of its arguments.
 */
#ifndef LPSIM_ANSWER_H
#define LPSIM_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "models/estate.h"
#include "models/record.h"
#include "models/scan.h"

/* The one-sided confidence level of the bound on the quantile. */
#define ANSWER_BOUND_LEVEL 0.95

/* The scope "the whole estate" (else a cluster index). */
#define ANSWER_ESTATE ((size_t)-1)

enum answer_metric {
	ANSWER_MAKESPAN,   /* every host of the scope patched: the last leaves remediation */
	ANSWER_COMPLIANCE, /* every host of the scope compliant */
};

/* "makespan" / "compliance"; parses the same. */
const char *answer_metric_name(enum answer_metric m);
bool answer_metric_parse(const char *s, enum answer_metric *out);

/*
 * The value of replication r for metric m over scope (a cluster index
 * below r->nclusters, or ANSWER_ESTATE): seconds, or +infinity when the
 * scope is not wholly patched (compliant). A record without per-cluster
 * figures answers for the estate from its totals (a host still in
 * remediation at the end then counts as patched at the end); for a
 * cluster it answers NaN.
 */
double answer_scope_value(const struct rec *r, enum answer_metric m, size_t scope);

/* The fewest replications for which the bound on the q-quantile exists. */
long answer_min_replications(double q);

/* The 1-based rank of the order statistic that bounds the q-quantile of n
 * values from above with confidence ANSWER_BOUND_LEVEL; 0 when n is too small. */
size_t answer_bound_rank(size_t n, double q);

/*
 * The bound on the q-quantile of x[0..n-1] (sorted in place; +infinity
 * allowed, NaN not): the answer_bound_rank-th smallest, or NaN when n is
 * too small.
 */
double answer_quantile_bound(double *x, size_t n, double q);

/*
 * Why scope cannot be wholly patched whatever the run: the blocked
 * clusters of scan in scope, as "cluster prod-gen is blocked under enforce
 * by esx-07 (tpm)" (the first ineligible host of each, "and N more hosts"
 * when there are others), joined by "; ". Writes "" when none is blocked.
 * Returns the number of blocked clusters in scope.
 */
size_t answer_blocked(char *buf, size_t len, const struct estate *e, const struct scan *scan,
                      size_t scope);

/*
 * Why scope is not wholly patched (compliant, for ANSWER_COMPLIANCE) in
 * every one of recs[0..n-1]: the blocked clusters (answer_blocked), then
 * "hosts failed in K of N replications", "hosts not started in ...",
 * "hosts still in remediation at the end in ...", and, for compliance,
 * "hosts held non-compliant (by VMs not remediated) in ...". "" when it
 * is in every replication.
 */
void answer_why(char *buf, size_t len, const struct estate *e, const struct scan *scan,
                const struct rec *recs, size_t n, enum answer_metric m, size_t scope);

/* Cluster index of name in e, or ANSWER_ESTATE when there is none (or name is "estate"). */
size_t answer_scope_find(const struct estate *e, const char *name, bool *found);

#endif
