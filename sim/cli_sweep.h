/*
 * cli_sweep: `lpsim sweep SCENARIO ...` and `lpsim plan SCENARIO ...`
 * (RESULTS.md, SCENARIO.md "Sweeps"), and what the two share: loading a
 * scenario with its axes, judging what sweep_run() returned, and --shard's
 * argument.
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

#endif
