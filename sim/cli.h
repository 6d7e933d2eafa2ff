/*
 * cli: the command line's shared contract: exit statuses (RESULTS.md) and
 * the entry point of each subcommand. Each cli_X(argc, argv) gets argv[0]
 * = "X", parses its own options with getopt_long, prints messages to
 * stderr prefixed "lpsim: ", and returns an exit status.
 */
#ifndef LPSIM_CLI_H
#define LPSIM_CLI_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/run.h"

enum lpsim_exit {
	LPSIM_EXIT_OK = 0,
	LPSIM_EXIT_USAGE = 64,    /* bad command line */
	LPSIM_EXIT_DATA = 65,     /* bad scenario or input data */
	LPSIM_EXIT_NOINPUT = 66,  /* an input file missing or unreadable */
	LPSIM_EXIT_SOFTWARE = 70, /* internal error */
	LPSIM_EXIT_CANTCREAT = 73 /* an output cannot be created */
};

/* Prints "lpsim: " + the formatted message + newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parses a count such as "1000", "1e6" or "2M" into *out (1 .. max).
 * Returns false (and prints nothing) when it is not one.
 */
bool cli_parse_count(const char *s, uint64_t max, uint64_t *out);

/*
 * Parses a command-line duration such as "4h", "90m" or "1h30m" into
 * *seconds (> 0). A bare number ("90") is refused rather than read as
 * seconds: the unit is required on the command line. On a bad value prints
 * "lpsim: CMD: OPT ARG: ..." with a hint (e.g. "a duration needs a unit,
 * e.g. 90m or 90s") and returns false; the caller exits 64.
 */
bool cli_parse_duration(const char *cmd, const char *opt, const char *arg, double *seconds);

/*
 * Reports what getopt_long (called with opterr = 0 and an optstring that
 * starts with ':') refused: c is what it returned (':' or '?'); argv is
 * the subcommand's. "lpsim: CMD: unknown option '--x'" and the like.
 */
void cli_option_error(const char *cmd, int c, char *const argv[]);

/* -r, -s and -j, which run, sweep and plan share; 0 where not given. */
struct cli_run_counts {
	uint64_t reps;  /* -r: replications */
	uint64_t seed;  /* -s: the seed, when have_seed */
	bool have_seed;
	uint64_t jobs;  /* -j: threads */
};

/*
 * Takes getopt's c and optarg when c is one of -r, -s, -j. Returns 1 (taken
 * into *rc), 0 (not one of them) or -1 (a bad value: said on stderr as
 * "lpsim: CMD: -r wants ...").
 */
int cli_run_option(const char *cmd, int c, const char *arg, struct cli_run_counts *rc);

struct scenario;

/*
 * Fills o's seed and replications from rc, else from sc; its strategies
 * from sc unless strategy_set (--strategy set them already); its jobs from
 * rc, else the number of cores; and its progress bar, on unless quiet or
 * stderr is no terminal.
 */
void cli_run_opts_fill(struct run_opts *o, const struct cli_run_counts *rc,
                       const struct scenario *sc, bool strategy_set, bool quiet);

/* Sets o's strategies from "live_patch", "classic" or "both"; false for anything else. */
bool cli_parse_strategy(const char *s, struct run_opts *o);

/*
 * SIGINT and SIGTERM blocked in every thread and taken by a watcher
 * thread with sigwait(), which sets stop and signo: no global state and no
 * work in a signal handler. run, sweep and plan pass &stop to the work.
 */
struct cli_watcher {
	sigset_t set;
	atomic_bool stop;     /* a signal arrived: stop the work */
	atomic_bool finished; /* the work is over: the watcher leaves */
	atomic_int signo;     /* the signal that arrived */
	pthread_t thread;
	bool watching;        /* the thread runs */
	bool settled;         /* cli_watcher_settle ran: the signals stay blocked */
};

void cli_watcher_start(struct cli_watcher *w);

/*
 * Every replication keeps each VM's downtime (for the per-VM statistics
 * over all of them), so run and sweep refuse, before simulating, what
 * could not hold them rather than be killed by the kernel halfway:
 * cli_results_bytes() is what at_once runs of reps replications of
 * nstrategies strategies over nvms VMs need, and it fits when it is at
 * most CLI_RESULTS_SHARE of the machine's memory (cli_memory_bytes(); a
 * machine that does not say fits anything).
 */
#define CLI_RESULTS_SHARE 0.75
double cli_results_bytes(double at_once, long reps, size_t nstrategies, size_t nvms);
double cli_memory_bytes(void);
bool cli_results_fit(double need, double have);

/*
 * Where a command's wall time goes, for profiling: with LPSIM_PHASES set
 * in the environment, each cli_phase() prints "lpsim: phase NAME S s" to
 * stderr, the time since the previous one. Otherwise nothing.
 */
struct cli_phases {
	bool on;
	double t;
};
void cli_phases_init(struct cli_phases *ph);
void cli_phase(struct cli_phases *ph, const char *name);
/*
 * The commit point of a command that writes: ends the watcher thread,
 * takes any SIGINT or SIGTERM still pending, and returns the signal that
 * arrived so far (0: none). The signals stay blocked from here to the
 * process's exit: one that arrives after this point is dropped, because
 * the work is then complete (README: "128+N ... nothing written" holds
 * for every signal up to the commit point).
 */
int cli_watcher_settle(struct cli_watcher *w);

/* Ends the watcher (if running) and unblocks the signals, unless settled. */
void cli_watcher_stop(struct cli_watcher *w);

/*
 * Test hook, for deterministic tests of what a signal or a kill does at a
 * given instant: with LPSIM_TEST_HOLD=POINT:FIFO in the environment, the
 * call at POINT writes "POINT\n" to the FIFO, then reads it until end of
 * file (the test's turn: send a signal, look at the files, then write to
 * the FIFO and close it). Points: "write" (run: simulated and summarized,
 * nothing written yet), "commit" (run: everything written to the
 * staging directory, before the commit point) and "swapped" (run: the new
 * set in place, the old one not yet removed). Otherwise nothing.
 */
void cli_test_hold(const char *point);

int cli_bench(int argc, char **argv);

#endif
