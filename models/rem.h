/*
 * rem: vLCM remediation of an estate, for one replication of one strategy.
 *
 * It decides which host starts when (inventory order, one at a time or up
 * to max_hosts per cluster, clusters concurrently, enforce mode blocking a
 * cluster with any ineligible host, vSAN one host in maintenance mode),
 * drives each host's state machine (models/livepath.h, models/classic.h)
 * through the hardware interface (models/hw.h), evacuates classic-path
 * hosts as DRS would (vMotion, pre-remediation power actions), handles
 * injected crashes (HA restarts), carries out manual remediation of the
 * VMs left on the old runtime, and writes what happened into a struct rec
 * (models/record.h).
 *
 * It owns the replication's mutable state (host states, where each VM is
 * and which runtime it runs, capacity, reservations); the estate and scan
 * are borrowed read-only
 * and shared with other replications. It reads no clock but hw->now().
 */
#ifndef LPSIM_REM_H
#define LPSIM_REM_H

#include "models/estate.h"
#include "models/hw.h"
#include "models/record.h"
#include "models/scan.h"

struct rem;

/*
 * A new remediation of e at time 0, acting through ops/hw and writing
 * into rec (rec_init()ed for e). Returns NULL on OOM. The path of each
 * host is the scan's. Free with rem_free (NULL is a no-op).
 */
struct rem *rem_new(const struct estate *e, const struct scan *scan, const struct hw_ops *ops,
		    void *hw, struct rec *rec);
void rem_free(struct rem *r);

/* Makes r a new remediation at time 0 (as rem_new would, with this scan
 * and record) for the next replication, keeping its memory. */
void rem_reset(struct rem *r, const struct scan *scan, struct rec *rec);

/* Starts remediation at time 0: shows what the scan blocked as blocked and
 * starts the first hosts of every cluster. Returns 0 or -ENOMEM. */
int rem_start(struct rem *r);

/* A completion from the hardware. */
void rem_done(struct rem *r, const struct hw_done *d);

/* A completion about host h (or -1) and VM part p (or -1) comes next:
 * fetches what rem_done will read of them into the caches. */
void rem_prefetch(const struct rem *r, int32_t h, int32_t p);

/*
 * Closes the record at end_s (the run's end: the last event, or the
 * horizon): open timeline spans, outcomes, makespan, the per-cluster
 * figures; exposure sums the hosts that became compliant only (one never
 * compliant is counted apart, so nothing depends on horizon_s, which is
 * unused). Returns 0, or -ENOMEM when the
 * record could not hold everything at some point, or -EPROTO when a
 * completion arrived that the state machine did not expect.
 */
int rem_finish(struct rem *r, double end_s, double horizon_s);

/*
 * How vLCM remediates cluster c of e under scan: one line for `scan` and
 * the report ("sequential, stopping at a failed host", "parallel, classic
 * path in rounds of 4 hosts the admin puts into maintenance mode", ...),
 * with the reason when parallel remediation was asked for and cannot be
 * (vSAN, vSphere Pods, NSX) and the assumption behind parallel partial
 * maintenance mode. Writes at most n bytes to buf; returns buf.
 */
char *rem_cluster_mode(const struct estate *e, const struct scan *scan, uint32_t c, char *buf,
		       size_t n);

/*
 * Checks the invariants (every VM part on exactly one host, host lists in
 * inventory order, per-host counts of old-runtime VMs matching the VMs,
 * capacity never exceeded, FSR counts consistent). Returns
 * NULL, or a static description of the first violation, with the entity
 * index in *who. The test build calls it after every event.
 */
const char *rem_check(const struct rem *r, long *who);

#endif
