/*
 * cli_sweep: `lpsim sweep SCENARIO ...` and `lpsim plan SCENARIO ...`
 * (RESULTS.md, SCENARIO.md "Sweeps"), and what the two share: loading a
 * scenario with its axes, judging what sweep_run() returned, and --shard's
 * argument; also how lpsim-mpi reads a run or sweep command line.
 */
#ifndef LPSIM_CLI_SWEEP_H
#define LPSIM_CLI_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "scenarios/diag.h"
#include "scenarios/scenario.h"
#include "scenarios/ynode.h"
#include "sim/sweep.h"

/* argv[0] is "sweep". Returns the exit status (sim/cli.h). */
int cli_sweep(int argc, char **argv);

/* A loaded sweep: the tree, the base scenario and the plan (all owned). */
struct cli_sweep_input {
	struct diag d;
	struct ytree *tree;
	struct scenario *sc;
	struct sweep_plan plan;
};

/*
 * Loads path, converts and checks it, builds the plan from its axes and
 * params[0..nparams) ("PATH=V1,V2"), and checks the command-line axes.
 * Returns 0, or an exit status after printing the errors (the input is
 * then finished). cmd names the command in messages.
 */
int cli_sweep_load(const char *cmd, const char *path, char **params, size_t nparams,
                   struct cli_sweep_input *in);

void cli_sweep_input_fini(struct cli_sweep_input *in);

struct cli_watcher;

/*
 * Judges rc, what sweep_run() of in's plan into *res returned under the
 * watcher w. Returns 0 when it succeeded (*res is then the caller's to
 * finish). Otherwise says why on stderr ("lpsim: " + interrupted when a
 * signal stopped it; in's errors; "lpsim: PATH: CMD failed: ...") and
 * returns the exit status, *res finished or never made.
 */
int cli_sweep_run_status(const char *cmd, const char *path, int rc, struct cli_watcher *w,
                         struct cli_sweep_input *in, struct sweep_result *res,
                         const char *interrupted);

/* Parses "I/N" (1 <= I <= N) into a 0-based shard index and a count. */
bool cli_parse_shard(const char *s, size_t *shard, size_t *nshards);

/* sweep's results directory when -o is not given, "lpsim-out/NAME-sweep", into buf (len bytes). */
void cli_sweep_default_dir(char *buf, size_t len, const char *name);

/*
 * A run or sweep command line as lpsim-mpi must know it before it shares
 * the work. Strings are borrowed from the argv read.
 */
struct cli_cmdline {
	const char *outdir;   /* -o DIR (the last one), or NULL */
	const char *scenario; /* the first operand, or NULL */
	const char *refused;  /* the first --shard or --all-replications, as written, or NULL */
	bool quiet;           /* -q */
	bool no_plots;        /* --no-plots */
	bool help;            /* -h */
};

struct option;

/*
 * Reads argv[0..argc) (argv[0] = "run" or "sweep") with getopt_long and
 * the command's own optstring and opts into *cl, so that -oDIR,
 * --out=DIR, --qui and the like mean what they mean to the command.
 * Options the command would refuse are skipped (it says why when it
 * runs); argv itself is left as given. Returns 0 or -ENOMEM.
 */
int cli_cmdline_read(const char *optstring, const struct option *opts, int argc, char **argv,
                     struct cli_cmdline *cl);

/* cli_cmdline_read with sweep's options (argv[0] = "sweep"). 0 or -ENOMEM. */
int cli_sweep_cmdline(int argc, char **argv, struct cli_cmdline *cl);

#endif
