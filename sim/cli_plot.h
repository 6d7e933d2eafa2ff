/*
 * cli_plot: `lpsim plot DIR --chart KIND [-o FILE] ...` (RESULTS.md): one
 * chart of a run or sweep directory, in the format of FILE's extension.
 * Also the charts `lpsim run` draws into its results directory.
 */
#ifndef LPSIM_CLI_PLOT_H
#define LPSIM_CLI_PLOT_H

#include <stddef.h>

/* argv[0] is "plot". Returns the exit status (sim/cli.h). */
int cli_plot(int argc, char **argv);

/*
 * Draws timeline.png, compliance.png and downtime.png of the run
 * directory dir (just written by `lpsim run`) into it, each atomically.
 * Returns 0, or the exit status after printing "lpsim: PATH: reason"
 * (73: a chart could not be drawn or written; 70: out of memory).
 */
int cli_plot_run_charts(const char *dir);

/*
 * The same, from and into dir (a staging directory), with messages naming
 * shown instead (the results directory). Bit i of *drawn (may be NULL)
 * says that chart i (timeline, compliance, downtime) was written; the
 * first that fails stops the others.
 */
int cli_plot_run_charts_in(const char *dir, const char *shown, unsigned *drawn);

/* The file names of the charts cli_plot_run_charts draws, in order. */
#define CLI_PLOT_RUN_NCHARTS 3
extern const char *const cli_plot_run_chart_files[CLI_PLOT_RUN_NCHARTS];

/* Draws DIR/sweep.png from the sweep.json in DIR (after `lpsim sweep`).
 * Returns an exit status; says why on stderr when it is not 0. */
int cli_plot_sweep_chart(const char *dir);

#endif
