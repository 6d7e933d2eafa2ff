/*
 * replications: replications.csv, one row per strategy and replication
 * with every per-replication figure of the run (RESULTS.md), so that users
 * and reviewers can check any statistic lpsim reports, and `report` can
 * apply the same window criterion as `plan` (sim/answer.h).
 *
 * Columns (REPLICATIONS_CSV_HEADER): the strategy and replication, then
 * makespan_s (over the hosts remediated), makespan_hosts (how many that
 * is), estate_makespan_s (answer_scope_value for the estate: the makespan
 * when every host got patched, empty when some did not: censored),
 * time_to_compliance_s (empty when the estate never became compliant:
 * censored), exposure_host_hours, vm_downtime_total_s, then host counts by
 * path and outcome, clusters_compliant, VM counts, events. Times with
 * %.17g (they read back as the same double). Rows in strategy order, then
 * replication ascending: the same bytes for any -j.
 */
#ifndef LPSIM_REPLICATIONS_H
#define LPSIM_REPLICATIONS_H

#include <stdio.h>

#include "sim/run.h"

#define REPLICATIONS_CSV_HEADER                                                                    \
	"strategy,replication,makespan_s,makespan_hosts,estate_makespan_s,time_to_compliance_s,"  \
	"exposure_host_hours,vm_downtime_total_s,hosts_live,hosts_classic,hosts_patched,"         \
	"hosts_compliant,hosts_failed,hosts_blocked,hosts_not_started,hosts_unfinished,"          \
	"clusters_compliant,vms_fsr,vms_vmotion,vms_power_cycle,vms_powered_off,events"

/* Writes replications.csv for res (borrowed) to f: the header, then every
 * replication of every strategy. Returns 0 or -EIO. */
int replications_write_csv(FILE *f, const struct run_result *res);

#endif
