/*
 * plot_data: a run directory (RESULTS.md) read back for charts and the
 * report: summary.json into a struct output_summary, and from the CSV
 * files what the charts draw.
 *
 * What is kept, per strategy (in summary.json's order):
 *   - hosts.csv and timeline.csv: the rows of ONE replication (the
 *     "detailed" one, 0 unless asked), hosts in file order (inventory
 *     order), each span pointing at its host;
 *   - compliance.csv: the steps of every replication in the file;
 *   - vms.csv: the downtime and remediation of every row (every
 *     replication in the file: 4,000,000 rows of a fleet run cost 5 bytes
 *     each), the per-host FSR and vMotion counts of the detailed
 *     replication, and, with names, its FSR-incompatible VMs only.
 * Which files are read is the caller's choice (PLOT_WANT_*): a compliance
 * chart need not read a 265 MB vms.csv. A wanted file that is absent is
 * not an error here (its `have` bit stays clear); the caller decides
 * whether it can do without.
 *
 * Errors are values: -ENOENT (no such directory, or no summary.json),
 * -EACCES and other errno values of open/read, -EINVAL for malformed
 * content, -ENOMEM; with a message "PATH:LINE: what is wrong" in the
 * caller's buffer. A plot_run is read-only once loaded; no global state.
 */
#ifndef LPSIM_PLOT_DATA_H
#define LPSIM_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sim/output.h"

/* Files of a run directory (bits of plot_run_load's want and plot_run.have). */
enum plot_file {
	PLOT_FILE_HOSTS = 1u << 0,
	PLOT_FILE_VMS = 1u << 1,
	PLOT_FILE_TIMELINE = 1u << 2,
	PLOT_FILE_COMPLIANCE = 1u << 3,
	PLOT_FILE_ALL = 15u,
	/* Not a file: count each host's FSRs and vMotions (for the timeline's
	 * per-host ticks) only in a strategy of at most PLOT_HOST_LANES_MAX
	 * hosts, the most that automatic lanes draw one by one. Incompatible
	 * VMs are attributed to their hosts in any case. Saves a lookup per
	 * VM row of a fleet. */
	PLOT_LOAD_AUTO_LANES = 1u << 4,
};

/* One host of the detailed replication (hosts.csv). */
struct plot_host {
	const char *cluster;   /* owned by the run */
	const char *name;      /* owned by the run */
	uint32_t cluster_idx;  /* index into plot_strategy.clusters */
	uint8_t path;          /* enum rec_path */
	uint8_t outcome;       /* enum rec_outcome */
	uint16_t attempts;
	double start_s;        /* NaN: never */
	double end_s;          /* NaN: never */
	double compliant_at_s; /* NaN: not compliant by the end */
	uint32_t fsr;          /* VMs of this host (host_before) fast-suspend-resumed (vms.csv) */
	uint32_t vmotion;      /* VMs of this host vMotioned (vms.csv) */
	uint32_t manual;       /* FSR-incompatible VMs of this host (vms.csv) */
};

/* One timeline span of the detailed replication. */
struct plot_span {
	uint32_t host; /* index into plot_strategy.hosts */
	uint8_t state; /* enum rec_state */
	double start_s;
	double end_s;
};

/* One compliance step: from t_s on, `compliant` of `total` hosts are compliant. */
struct plot_step {
	uint32_t rep;
	uint32_t compliant;
	uint32_t total;
	double t_s;
};

/* An FSR-incompatible VM of the detailed replication (vms.csv, `incompatible` not empty). */
struct plot_vm {
	const char *name;        /* owned by the run */
	int32_t host;            /* host_before, index into plot_strategy.hosts; -1 unknown */
	uint8_t incompat;        /* scan_incompat bits */
	uint8_t remediation;     /* enum rec_remediation */
	double downtime_s;
	double stun_s;
};

struct plot_strategy {
	enum scenario_strategy strategy;
	/* hosts.csv, detailed replication */
	size_t nhosts;
	struct plot_host *hosts;
	size_t nclusters;
	const char **clusters; /* names in order of first appearance */
	/* timeline.csv, detailed replication, in file order */
	size_t nspans;
	struct plot_span *spans;
	/* compliance.csv, every replication in the file, in file order */
	size_t nsteps;
	struct plot_step *steps;
	size_t compliance_reps; /* distinct replications with steps */
	/* vms.csv, every row */
	size_t nvmrows;
	float *downtime_s;     /* per row */
	uint8_t *remediation;  /* per row: enum rec_remediation */
	size_t vm_reps;        /* distinct replications with rows */
	size_t vms_per_rep;    /* rows of the detailed replication */
	size_t nincompat;      /* FSR-incompatible VMs of the detailed replication */
	struct plot_vm *incompat;
};

struct plot_run {
	char *dir;                  /* owned copy */
	struct output_summary sum;  /* summary.json */
	unsigned have;              /* enum plot_file bits of the CSV files read */
	long rep;                   /* the detailed replication */
	size_t nstrategies;         /* as sum.nstrategies */
	struct plot_strategy st[2]; /* in summary.json's order */
	struct sarena *arena;       /* owns names and the arrays above */
};

/*
 * Reads the run directory dir: summary.json (required) and the CSV files
 * in want (enum plot_file bits) that exist. rep is the replication whose
 * detail (hosts, timeline, incompatible VMs) is kept; it must be below the
 * summary's replications. Returns 0 and sets *out (free with
 * plot_run_free); or a negative errno with a message in msg (msglen
 * bytes, "lpsim: " not included): -ENOENT / -ENOTDIR / -EACCES / ... when
 * the directory or summary.json cannot be read, -EINVAL for malformed
 * content ("DIR/vms.csv:12: 'downtime_s' is not a number: 'x'"), -ENOMEM.
 */
int plot_run_load(const char *dir, unsigned want, long rep, struct plot_run **out, char *msg,
                  size_t msglen);

/* Frees r; NULL is a no-op. */
void plot_run_free(struct plot_run *r);

/* "hosts.csv" ... : the name of file bit (one PLOT_FILE_* bit), or NULL. Static. */
const char *plot_file_name(enum plot_file bit);

/*
 * Parses a summary.json document (text[0..len), NUL not needed) into
 * *sum, as output_summary_json writes it; the file name is for messages.
 * Missing keys and values of the wrong type are -EINVAL with a message
 * naming the key; a JSON null is a NaN. Returns 0 (free with
 * output_summary_fini), -EINVAL or -ENOMEM.
 */
int plot_summary_parse(const char *text, size_t len, const char *file,
                       struct output_summary *sum, char *msg, size_t msglen);

/* The strategy s of r, or NULL when r does not hold it. Borrowed from r. */
const struct plot_strategy *plot_run_strategy(const struct plot_run *r,
                                              enum scenario_strategy s);

/* The statistics of strategy s in sum, or NULL when it did not run. Borrowed from sum. */
const struct output_strategy *plot_summary_strategy(const struct output_summary *sum,
                                                    enum scenario_strategy s);

/* "live patch" / "classic": the name people read. */
const char *plot_strategy_label(enum scenario_strategy s);

/* Parses "live_patch" / "classic". */
bool plot_strategy_parse(const char *s, enum scenario_strategy *out);

/* ---- for plots/ only ---- */

/* As plot_summary_parse, from a parsed document (borrowed). */
int plot__summary_from_json(const json_t *root, const char *file, struct output_summary *sum,
                            char *msg, size_t msglen);

/* The longest summary.json or sweep.json the charts read (atomicio_read_file). */
#define PLOT_JSON_MAX_BYTES ((size_t)1 << 30)

/* printf into msg (len bytes; nothing when msg is NULL or len 0): the
 * message of a failed load or drawing. */
void plot__errf(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
