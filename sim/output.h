/*
 * output: what `lpsim run` leaves behind (RESULTS.md): the aggregate
 * statistics of a run (struct output_summary), written as summary.json
 * and as the short table summary.txt, and the detail of the recorded
 * replications as hosts.csv, vms.csv, timeline.csv and compliance.csv.
 *
 * Everything written is a function of the records, the estate and the
 * scans only, in a fixed order (strategies as run, replications
 * ascending, entities in inventory order), so it is byte-identical
 * whatever the number of threads that produced the records; wall_s is the
 * one exception and can be left out.
 *
 * Conventions: numbers in summary.json are printed as stat_write_json
 * prints them (%.17g, NaN and infinities as null); times in the CSV files
 * are seconds with %.6f, an undefined time (NaN, "never") an empty field;
 * CSV fields holding a comma, a quote or a line break are quoted, quotes
 * doubled (RFC 4180).
 */
#ifndef LPSIM_OUTPUT_H
#define LPSIM_OUTPUT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/scan.h"
#include "scenarios/scenario.h"
#include "sim/run.h"
#include "sim/stats.h"

/* Room for a headline or a "blocked" explanation. */
#define OUTPUT_WHY_LEN 512

/* One cluster's statistics of one strategy (summary.json's strategies.X.clusters[i]). */
struct output_cluster {
	char name[SCENARIO_MAX_NAME_LEN + 1];
	char blocked[OUTPUT_WHY_LEN]; /* answer_blocked of the cluster, "" when not blocked */
	size_t hosts;
	struct stat_summary makespan_s;           /* over every replication (0: none started) */
	struct stat_summary time_to_compliance_s; /* over the replications where it is compliant */
	size_t ttc_censored;                      /* replications where it never is */
	struct stat_summary exposure_host_hours;  /* over its hosts that became compliant */
	struct stat_summary downtime_total_s;     /* its VMs (placed on it at the start) */
	struct stat_summary outcomes[5];          /* hosts per enum rec_outcome */
	struct stat_summary unfinished;           /* hosts still in remediation at the end */
};

/* A headline mean's robust interval and its quantiles' order-statistic
 * intervals (summary.json's strategies.X.intervals.METRIC). */
struct output_interval {
	struct stat_interval mean; /* bootstrap-t, skewness, reliable */
	double p95_lo, p95_hi;     /* distribution-free 95% CI of the p95 (NaN: too few) */
	double p99_lo, p99_hi;
};

/* The headline metrics with intervals, in summary.json order. */
enum output_headline { OUT_H_MAKESPAN, OUT_H_TTC, OUT_H_EXPOSURE, OUT_H_DOWNTIME, OUT_H_N };

/* The statistics of one strategy over the replications (summary.json's strategies.X). */
struct output_strategy {
	enum scenario_strategy strategy;
	/* "44 of 52 hosts patched; 8 blocked (cluster c is blocked under enforce
	 * by esx-07 (tpm)), 0 failed, 0 not started": every host counted. */
	char headline[OUTPUT_WHY_LEN];
	char blocked[OUTPUT_WHY_LEN]; /* answer_blocked over the estate, "" when none */
	/* Why hosts failed or were not started, in replication 0 (when the run
	 * kept its detail): "esx-01 failed: ...; 5 not started: ..."; "" else. */
	char why[OUTPUT_WHY_LEN];
	struct stat_summary makespan_s; /* over the hosts whose remediation started (makespan_hosts) */
	struct stat_summary makespan_hosts; /* hosts makespan_s covers: not blocked, not not_started */
	size_t whole_patched; /* replications where every host got patched (answer_scope_value finite) */
	/* plan's and report's criterion, for the p95 (the default confidence):
	 * the order-statistic 95% upper bound on the p95 of the whole-estate
	 * makespan (answer_quantile_bound); +inf: never (too many replications
	 * leave some host unpatched), NaN: too few replications. A window
	 * fits in 95% of windows when this is <= it. */
	double estate_bound_s;
	struct stat_summary time_to_compliance_s; /* over replications where it is not NaN */
	size_t ttc_censored; /* replications where the estate never became compliant */
	double cluster_compliant_fraction; /* mean of clusters_compliant / clusters; NaN: none */
	struct stat_summary exposure_host_hours;
	struct stat_summary downtime_total_s;  /* vm_downtime_s.total */
	struct stat_summary downtime_per_vm_s; /* per_vm: every VM of every replication */
	struct stat_summary stun_s;            /* every stun of every replication */
	struct stat_summary sdps_s;            /* per replication: VMs' time slowed by SDPS */
	struct stat_summary hosts_live;
	struct stat_summary hosts_classic;
	struct stat_summary hosts_failed;
	struct stat_summary hosts_blocked;
	struct stat_summary hosts_not_started; /* hosts.not_started */
	struct stat_summary hosts_compliant; /* hosts.compliant_at_end */
	struct stat_summary hosts_patched;   /* not blocked, failed, not started or unfinished */
	struct stat_summary hosts_never_compliant; /* hosts - compliant_at_end */
	struct stat_summary unfinished;            /* hosts still in remediation at the end */
	struct stat_summary vms_fsr;
	struct stat_summary vms_vmotion;
	struct stat_summary vms_power_cycle;
	struct stat_summary vms_powered_off;
	size_t incompatible[SCAN_NINCOMPAT]; /* from the strategy's scan, by bit position */
	struct stat_summary events;
	struct output_interval intervals[OUT_H_N]; /* by enum output_headline */
	/* A sweep point's paired differences from the sweep's first point
	 * (this point minus it, replication by replication: common random
	 * numbers) of makespan_s and vm_downtime_s.total; set by the sweep. */
	bool has_base_diff;
	struct stat_summary base_diff[2];
	size_t nclusters;               /* 0 when the records had no per-cluster figures */
	struct output_cluster *clusters; /* owned (output_summary_fini frees), or NULL */
};

/*
 * Everything summary.json and summary.txt hold. Plain data that outlives
 * the run_result it was made from (the scenario's name and file are
 * copied), so a sweep can keep one per point. Values that are NaN in a
 * replication (undefined there) are left out of a replication STAT; its
 * n says how many replications counted.
 */
struct output_summary {
	char *scenario_name; /* owned */
	char *scenario_file; /* owned */
	uint64_t seed;
	long replications;
	size_t clusters;
	size_t hosts;
	size_t vms;
	size_t nstrategies;
	struct output_strategy strategies[2]; /* in the order run */
	bool has_comparison;                  /* both strategies ran */
	/* live_patch - classic, replication by replication (when has_comparison) */
	struct stat_summary downtime_total_diff_s;
	struct stat_summary makespan_diff_s;
	double wall_s;
};

/*
 * Computes the statistics of res (borrowed, only during the call) into
 * *sum. The per-VM statistic concatenates every replication's per-VM
 * downtimes into one temporary array (8 bytes x VMs x replications); the
 * records are not modified. Returns 0 (free with output_summary_fini), or
 * -ENOMEM (nothing to free).
 */
int output_summarize(const struct run_result *res, struct output_summary *sum);

/* o->why from rec (replication 0 of strategy o) over estate e (output_why.c). */
void output_why(const struct estate *e, const struct rec *rec, struct output_strategy *o);

/* Frees what sum owns; a zeroed or finished summary is fine. */
void output_summary_fini(struct output_summary *sum);

/*
 * Writes summary.json (RESULTS.md: keys in that order, 2-space
 * indentation, a newline at the end) to f. wall_s is written only when
 * with_wall: without it two runs of the same scenario, seed and
 * replications give identical bytes. Returns 0 or -EIO when f reports a
 * write error.
 */
int output_summary_json(FILE *f, const struct output_summary *sum, bool with_wall);

/*
 * Writes the short table `run` prints and summary.txt holds: per strategy
 * the makespan (mean [95% CI], p95), the time to compliance, the exposure,
 * the VM downtime (total, p95/p99 per VM), the stun, the hosts and VMs by
 * what happened to them; then live_patch - classic when both ran. Times
 * in s, min or h as their size asks. Deterministic (no wall time).
 * Returns 0 or -EIO.
 */
int output_summary_text(FILE *f, const struct output_summary *sum);

/*
 * The header lines of the run directory's CSV files (RESULTS.md), without
 * their newline: output_write_run writes them, plots/plot_data reads them
 * back and checks them.
 */
#define OUTPUT_HOSTS_CSV_HEADER                                                                    \
	"strategy,replication,cluster,host,path,start_s,end_s,compliant_at_s,outcome,attempts"
/* hosts.csv's columns after OUTPUT_HOSTS_CSV_HEADER's: why a failed or not_started
 * host is so (rec_why_name) and the VM or host it names. */
#define OUTPUT_HOSTS_CSV_MORE ",reason,reason_of"
#define OUTPUT_VMS_CSV_HEADER                                                                      \
	"strategy,replication,cluster,vm,host_before,host_after,downtime_s,stun_s,remediation,"    \
	"incompatible"
/* vms.csv's columns after OUTPUT_VMS_CSV_HEADER's (readers of the older files need none). */
#define OUTPUT_VMS_CSV_MORE ",sdps_s"
/* vms.csv's last columns (issue 17): an FT VM's secondary, where it ran at the
 * start and at the end (empty for other VMs). Readers that know only
 * OUTPUT_VMS_CSV_HEADER read the columns before them. */
#define OUTPUT_VMS_CSV_FT_COLUMNS ",secondary_host_before,secondary_host_after"
#define OUTPUT_TIMELINE_CSV_HEADER   "strategy,replication,cluster,host,state,start_s,end_s"
#define OUTPUT_COMPLIANCE_CSV_HEADER "strategy,replication,t_s,compliant_hosts,total_hosts"

/*
 * A run directory's files (RESULTS.md), the set that adir_open() is given:
 * the six results, the three charts, summary.json last (in a file-by-file
 * commit its arrival marks a complete set).
 */
#define OUTPUT_RUN_NFILES 12
extern const char *const output_run_files[OUTPUT_RUN_NFILES];

/*
 * Writes summary.json, summary.txt, hosts.csv, vms.csv, timeline.csv and
 * compliance.csv into the existing directory dir (a staging directory of
 * sim/atomicio.h's adir, normally), each through an afile: on any error
 * none of them is left. The CSV rows come from replication 0, or every
 * replication when res->opts.all_replications, and only from records that
 * kept their detail.
 *
 * sum is the summary of res, or NULL to compute it here. res and sum are
 * borrowed. Returns 0, or -errno with "SHOWN/FILE" of the failing file
 * copied into errpath (errlen bytes, truncated; errpath may be NULL):
 * shown is the directory to name in messages (the results directory, not
 * its staging directory). -ENOMEM leaves errpath empty. stop (may be
 * NULL) is polled every few thousand CSV rows: once set, the writing
 * stops and -EINTR is returned (nothing left, errpath empty).
 */
int output_write_files(const char *dir, const char *shown, const struct run_result *res,
                       const struct output_summary *sum, const atomic_bool *stop,
                       char *errpath, size_t errlen);

/*
 * Writes a run's directory as one step: adir_open(dir) (created with its
 * parents, locked, stale temporaries removed), output_write_files() into
 * its staging directory, adir_commit(). The directory then holds the new
 * results and no charts (the old charts belong to the old results), and
 * keeps the files that are not of the set. Returns 0, or -errno with the
 * path concerned (the directory or a file in it) in errpath, for the
 * caller to print "lpsim: PATH: strerror" and exit 73; -EWOULDBLOCK: another
 * lpsim writes into dir.
 */
int output_write_run(const char *dir, const struct run_result *res,
                     const struct output_summary *sum, char *errpath, size_t errlen);

/*
 * The fields of sum that issue 17 added (headlines, blocked clusters,
 * whole-estate and censoring counts, the derived host counts, the
 * per-cluster statistics) as one line of JSON, for shard files:
 * output_summary_extra returns it (malloc'd, NULL when out of memory);
 * output_summary_extra_read reads such a text back into sum (whose
 * strategies are already set), so that a merged summary is the one a
 * single process writes, bit for bit. Returns 0, -EINVAL (not such a
 * text) or -ENOMEM.
 */
char *output_summary_extra(const struct output_summary *sum);
int output_summary_extra_read(struct output_summary *sum, const char *text);

/* Room for output_format_time's fast path, and for any |v| < 1e20. */
#define OUTPUT_TIME_LEN 32

/*
 * Formats a time in seconds for the CSV files into buf (len bytes, NUL
 * included): exactly what snprintf's "%.6f" makes of v (the value rounded
 * to a microsecond as printf rounds it), but several times faster below
 * 1e9 s, except that negative zero is "0.000000". NaN and infinities
 * give "" (an empty field). Returns the length written (truncated to
 * len - 1 as snprintf truncates).
 */
int output_format_time(char *buf, size_t len, double v);

/*
 * Writes s as one CSV field: as it is, or in double quotes (quotes
 * doubled) when it holds a comma, a quote, a CR or an LF. Returns 0 or
 * -EIO.
 */
int output_csv_field(FILE *f, const char *s);

#endif
