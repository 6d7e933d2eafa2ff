/*
 * import_rvtabs: RVTools' cluster-level tabs, applied to the estate that
 * vInfo and vHost made (scenarios/import.c), and the vCenter version.
 *
 *   vCluster (--vcluster): Name, "DRS enabled", "HA enabled" required;
 *     "DRS default VM behavior" (fullyAutomated | partiallyAutomated |
 *     manual; empty: not said), AdmissionControlEnabled, "Failover Level"
 *     (host failures the cluster tolerates), VI SDK Server used when
 *     present. -> drs.enabled, drs.automation, ha.enabled and
 *     ha.admission_control_pct = 100 x Failover Level / the cluster's
 *     hosts (rounded to 0.1, at most 100) when admission control is on,
 *     else 0. vCluster does not say which admission control policy is
 *     set; the percentage is what the "cluster resource percentage"
 *     policy computes from the host failures to tolerate (FORMAT.md).
 *   vDatastore (--vdatastore): Name, Type required; "Cluster name",
 *     Hosts (host names separated by ','), VI SDK Server used when
 *     present. A cluster with a datastore of Type vsan (by its Cluster
 *     name, else by the cluster of any of its Hosts) gets vsan: true;
 *     every other cluster vsan: false, said to come from vDatastore.
 *   vSource (--vsource): VI SDK Server, Version ("8.0.3") or API version,
 *     Build, Fullname: each vCenter's version and build.
 * A row finds its cluster by (VI SDK Server, name), the server in any
 * case; else by the name alone when one cluster only has it. Rows that
 * find none are counted in a warning. Bad values are errors in the
 * import's format ("FILE:LINE: error: row R, column 'C': ...").
 *
 * vCenter version: each cluster's is its VI SDK Server's in vSource,
 * else the oldest VI SDK API Version of its vInfo rows (set by the vInfo
 * reader). A scenario has one vCenter version (vcenter.version; the
 * format has no per-cluster one), so it is the oldest of the clusters
 * that have hosts; when they differ, a warning names each vCenter and
 * each cluster's comment keeps its own.
 */
#ifndef LPSIM_IMPORT_RVTABS_H
#define LPSIM_IMPORT_RVTABS_H

#include <stddef.h>

#include "scenarios/import.h"
#include "scenarios/import_estate.h"
#include "scenarios/import_log.h"

/* Header note lines irv_apply() may write, and their size. */
#define IRV_MAX_NOTES 4
#define IRV_NOTE_LEN  400

struct irv_notes {
	char line[IRV_MAX_NOTES][IRV_NOTE_LEN];
	size_t n;
};

/*
 * Reads the tabs of rq that are given (rq->vcluster, rq->vdatastore,
 * rq->vsource) and applies them to e's clusters as above, then sets
 * e->vcenter_version and e->vcenter_about. Note lines for the scenario's
 * header go to notes (one per tab given). Returns 0; -EINVAL when a tab
 * is bad (errors in log; e may be half changed: write nothing); -ENOMEM.
 */
int irv_apply(const struct import_request *rq, struct iestate *e, struct ilog *log,
              struct irv_notes *notes);

/*
 * vCluster's "DRS default VM behavior": fullyAutomated, partiallyAutomated
 * or manual (any case). Returns false for anything else.
 */
bool irv_parse_drs_behavior(const char *s, enum scenario_drs_automation *a);

/* The admission control percentage for failover_level host failures among hosts hosts. */
double irv_admission_pct(long failover_level, size_t hosts);

#endif
