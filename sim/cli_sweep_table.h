/*
 * cli_sweep_table: the compact table `lpsim sweep` prints on standard
 * output once sweep.csv is written: per point, the axis values and, per
 * strategy, the headline columns of sweep.csv (makespan and total VM
 * downtime means, hosts patched of the total).
 */
#ifndef LPSIM_CLI_SWEEP_TABLE_H
#define LPSIM_CLI_SWEEP_TABLE_H

#include <stdio.h>

/*
 * Reads csv (a sweep.csv: a header row, then one row per point; no quoted
 * fields) and prints the table to out. Returns 0, -errno when csv cannot
 * be read (or holds no header) or out cannot be written, -ENOMEM.
 */
int cli_sweep_table(FILE *out, const char *csv);

#endif
