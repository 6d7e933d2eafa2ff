/*
 * shard: the JSON Lines a shard of `run` or `sweep` writes (`--shard I/N`),
 * an MPI rank sends to rank 0, and `lpsim merge` reads back (README,
 * "Sweeps, planning and many machines").
 *
 * A shard file is one header line, then one line per item:
 *
 *   {"lpsim_shard":1,"kind":"run","shard":I,"of":N,"scenario":"FILE",
 *    "seed":S,"replications":R,"strategies":["live_patch","classic"],"wall_s":W}
 *   {"s":0,"r":5,"t":[makespan_s,time_to_compliance_s,exposure_host_hours,
 *    downtime_total_s,events,hosts_live,hosts_classic,hosts_failed,
 *    hosts_blocked,hosts_compliant,clusters_compliant,vms_fsr,vms_vmotion,
 *    vms_power_cycle,vms_powered_off,hosts_not_started,sdps_total_s],
 *    "vm":[downtime per VM...],
 *    "stun":[...]}
 *
 *   {"lpsim_shard":1,"kind":"sweep","shard":I,"of":N,"scenario":"FILE",
 *    "points":P,"wall_s":W,"axes":[{"path":"P","values":["1","2"],"quoted":[0,0]}]}
 *   {"point":K,"name":"..","file":"..","seed":S,"replications":R,"clusters":C,
 *    "hosts":H,"vms":V,"wall_s":W,"strategies":[...],"v":[numbers]}
 *
 * I is 1-based. Numbers are %.17g (they read back as the same double), an
 * undefined one null, infinities 1e999 and -1e999. A run record carries
 * every per-VM downtime and stun sample, because the per_vm and stun_s
 * statistics (quantiles) pool the values of all replications and cannot
 * be merged from per-shard statistics. A sweep point carries its whole
 * output_summary as a flat array "v" (per strategy the 16 STATs of
 * summary.json in struct order, 10 numbers each, then
 * cluster_compliant_fraction and the incompatible counts; then 1 or 0 for
 * the comparison and its 2 STATs), from which summary.json is written
 * again byte for byte.
 *
 * The reader accepts exactly what the writer writes (key order included).
 */
#ifndef LPSIM_SHARD_H
#define LPSIM_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/record.h"
#include "sim/output.h"
#include "sim/run.h"
#include "sim/sweep.h"

enum shard_kind { SHARD_RUN, SHARD_SWEEP };

/* The most shards of one run or sweep (N of --shard I/N). */
#define SHARD_MAX_SHARDS 1000000L

/* The longest header line `merge` reads (a sweep's lists all axis values). */
#define SHARD_MAX_HEADER_BYTES (256L << 20)

/* The largest shard file `merge` reads (checked before reading it, a
 * regular file by its size, another as it is read); all of them together
 * must also fit in CLI_RESULTS_SHARE of the machine's memory. */
#define SHARD_MAX_FILE_BYTES (16LL << 30)

/* Every shard file starts with these bytes: anything else is refused
 * after reading no more than them. */
#define SHARD_HEADER_PREFIX "{\"lpsim_shard\":1,\"kind\":\""


/* A header line, parsed. Strings and the plan are owned (shard_header_fini). */
struct shard_header {
	enum shard_kind kind;
	size_t shard; /* 0-based */
	size_t nshards;
	char *scenario;
	double wall_s;
	/* run */
	uint64_t seed;
	long replications;
	size_t nstrategies;
	enum scenario_strategy strategies[2];
	/* sweep */
	size_t npoints;
	struct sweep_plan plan;
};

/* The share of replications [*lo, *hi) of shard (0-based) of nshards. */
void shard_rep_range(long replications, size_t shard, size_t nshards, long *lo, long *hi);

/*
 * The path of shard (0-based) of nshards's file in dir,
 * "DIR/shard-I-of-N.jsonl" with I = shard + 1, into buf (len bytes, cut to
 * fit; buf may be NULL when len is 0). Returns its length, as snprintf.
 */
int shard_file_name(char *buf, size_t len, const char *dir, size_t shard, size_t nshards);

/* True when name (without a directory) is a shard file's name, "shard-I-of-N.jsonl". */
bool shard_is_file_name(const char *name);

/*
 * Writes one shard's lines to f (borrowed; the writer does not close it),
 * as shard_write_run or shard_write_sweep; arg is the writer's own. 0 or
 * a negative errno.
 */
typedef int shard_writer(FILE *f, const void *arg);

/*
 * Creates dir (mkdir_p) and writes shard_file_name(dir, shard, nshards)
 * with writer(f, arg) atomically (sim/atomicio.h: the file appears whole
 * or not at all). Returns 0, or -errno with the path concerned (dir when
 * it could not be created, else the file) in errpath (errlen bytes).
 */
int shard_write_file(const char *dir, size_t shard, size_t nshards, shard_writer *writer,
                     const void *arg, char *errpath, size_t errlen);

/*
 * Writes the run shard: the header, then the records of res in
 * [opts.rep_lo, opts.rep_hi) strategy by strategy. Returns 0 or -EIO.
 */
int shard_write_run(FILE *f, const struct run_result *res, size_t shard, size_t nshards);

/* Writes the sweep shard: the header, then each done point of res. 0 or -EIO. */
int shard_write_sweep(FILE *f, const char *scenario_file, const struct sweep_plan *pl,
                      const struct sweep_result *res, size_t shard, size_t nshards);

/*
 * Parses a header line (line[0..len)) and checks its fields against the
 * limits: N 1..SHARD_MAX_SHARDS and I 1..N, replications 1..
 * SCENARIO_MAX_REPLICATIONS, at most SCENARIO_MAX_SWEEP_AXES axes whose
 * points (their product, never wrapped) are 1..SCENARIO_MAX_SWEEP_POINTS
 * and equal "points", wall_s finite and >= 0. Returns 0 (free with
 * shard_header_fini), -EINVAL when it is not one or a field is out of
 * range (why, whylen bytes, says which: "not an lpsim shard header" when
 * it does not parse), or -ENOMEM.
 */
int shard_read_header(const char *line, size_t len, struct shard_header *h, char *why,
                      size_t whylen);
void shard_header_fini(struct shard_header *h);

/*
 * Parses a run record line into *si, *rep and *r (rec_init'ed here
 * without detail for nvms VMs; free with rec_fini). *rep is in
 * [0, LONG_MAX]; the caller checks *si and *rep against its header.
 * Returns 0, -EINVAL (not a record: also a replication that is no long,
 * a count that is no whole number of its type, a number not in JSON's
 * syntax ("nan", "inf"), a duration or sample that is not finite and
 * >= 0 (1e999, null; but a null time to compliance), or not nvms VMs), or
 * -ENOMEM.
 */
int shard_read_record(const char *line, size_t len, size_t nhosts, size_t nvms, size_t *si,
                      long *rep, struct rec *r);

/*
 * Parses a sweep point line into *k and *sum (free with
 * output_summary_fini). Returns 0, -EINVAL or -ENOMEM.
 */
int shard_read_point(const char *line, size_t len, size_t *k, struct output_summary *sum);

#endif
