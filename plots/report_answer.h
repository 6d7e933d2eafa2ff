/*
 * report_answer: what the report's answers need beyond struct
 * output_summary: summary.json's headlines, blocked clusters, whole-estate
 * counts and per-cluster figures (read with jansson), and replications.csv's
 * whole-estate values, so that "fits the window" is decided by the same
 * criterion as `lpsim plan` (sim/answer.h): the order-statistic 95% upper
 * confidence bound on the C-quantile of the whole-estate makespan, a
 * replication where some host was not patched counting as never.
 *
 * Everything is optional: a results directory written before issue 17
 * lacks the keys and replications.csv, and the report then says what it
 * cannot check. Plain data, freed with report_answers_fini.
 */
#ifndef LPSIM_REPORT_ANSWER_H
#define LPSIM_REPORT_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/output.h"

struct report_answer_strategy {
	enum scenario_strategy strategy;
	bool have;                     /* summary.json had the issue-17 keys */
	char headline[OUTPUT_WHY_LEN]; /* "44 of 52 hosts patched; ..." */
	char blocked[OUTPUT_WHY_LEN];
	size_t whole_patched;          /* replications with every host patched */
	size_t ttc_censored;           /* replications never wholly compliant */
	double makespan_hosts;         /* mean hosts the makespan covers */
	struct stat_summary not_started; /* hosts.not_started */
	struct output_interval intervals[OUT_H_N]; /* bootstrap-t of the headline means */
	bool have_intervals;
	size_t nclusters;
	struct output_cluster *clusters; /* owned */
	double *point_bound;             /* sweep: per point, estate_makespan_p95_bound_s
	                                    (+inf never, NaN too few or absent); owned */
	size_t npoints;
	size_t nvalues;                  /* replications.csv rows of the strategy (0: none) */
	double *estate_makespan;         /* owned: +inf where not wholly patched */
};

/* An FT VM of the live strategy's detailed replication whose secondary ran on
 * another host than its primary (vms.csv's secondary_host_before). */
struct report_ft_secondary {
	char cluster[SCENARIO_MAX_NAME_LEN + 1];
	char vm[SCENARIO_MAX_NAME_LEN + 1];
	char host[SCENARIO_MAX_NAME_LEN + 1]; /* the secondary's host at the start */
};

struct report_answers {
	size_t n;
	struct report_answer_strategy s[2];
	size_t nft;
	struct report_ft_secondary *ft; /* owned */
};

/* Reads the FT secondaries of replication rep of live_patch from dir/vms.csv
 * into a (a missing file or column: none). 0 or -ENOMEM. */
int report_answers_load_ft(const char *dir, long rep, struct report_answers *a);

/*
 * Reads dir/summary.json and dir/replications.csv for the strategies of
 * sum (borrowed). Missing files or keys leave the fields empty. Returns 0
 * or -ENOMEM.
 */
int report_answers_load(const char *dir, const struct output_summary *sum,
                        struct report_answers *a);

void report_answers_fini(struct report_answers *a);

/*
 * Reads dir/sweep.json's per-point estate_makespan_p95_bound_s of the
 * strategies of sum (the first point's summary, borrowed) into a; points
 * written before issue 17 give NaN. 0, or -ENOMEM.
 */
int report_answers_load_sweep(const char *dir, const struct output_summary *sum, size_t npoints,
                              struct report_answers *a);

/* The strategy's answers, or NULL. */
const struct report_answer_strategy *report_answers_get(const struct report_answers *a,
                                                        enum scenario_strategy s);

/*
 * The window sentence for strategy x over window_s at quantile conf, in
 * buf: whether the whole estate is patched within the window in a
 * fraction conf of windows, by the bound plan uses; with too few
 * replications, that and how many are needed; without replications.csv,
 * that it cannot say. Returns 1 when it fits, 0 when it does not, -1 when
 * it cannot say.
 */
int report_answer_window(char *buf, size_t len, const struct report_answer_strategy *x,
                         const char *label, double window_s, double conf);

#endif
