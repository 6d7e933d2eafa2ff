/*
 * cli_merge: `lpsim merge SHARD_DIR... -o DIR`: combines the JSON Lines of
 * the shards of one `run --shard` or `sweep --shard` (sim/shard.h) into
 * the files one process would have written. MPI's rank 0 uses the same
 * code on the texts the ranks send it.
 */
#ifndef LPSIM_CLI_MERGE_H
#define LPSIM_CLI_MERGE_H

#include <stdbool.h>
#include <stddef.h>

/* argv[0] is "merge". Returns the exit status (sim/cli.h). */
int cli_merge(int argc, char **argv);

/*
 * Merges shard texts bufs[0..n) (each NUL-terminated, borrowed; names[i]
 * names bufs[i] in messages) and writes the results into outdir: for run
 * shards, the scenario the shards name is loaded again and replication 0
 * simulated again for the CSV detail (and checked against its shard);
 * for sweep shards, sweep.json and sweep.csv. Prints the summary table of
 * a run unless quiet. Returns an exit status (sim/cli.h), after printing
 * what went wrong.
 */
int cli_merge_texts(char *const *bufs, const char *const *names, size_t n, const char *outdir,
                    bool quiet);

#endif
