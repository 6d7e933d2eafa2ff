/*
 * cli_scan: `lpsim scan SCENARIO [--json] [--strategy live_patch|classic]`:
 * the compliance scan (models/scan.h) of a scenario's estate, without
 * simulating: host eligibility with the reasons, each host's path, and the
 * VMs that cannot be fast-suspend-resumed. A table a person reads on
 * stdout (per host up to CLI_SCAN_MAX_HOST_LINES hosts, per cluster
 * beyond), or the RESULTS.md `scan --json` document with --json.
 */
#ifndef LPSIM_CLI_SCAN_H
#define LPSIM_CLI_SCAN_H

/* Up to this many hosts the table has one line per host; beyond, one per cluster. */
#define CLI_SCAN_MAX_HOST_LINES 200

/* The table names at most this many FSR-incompatible VMs per reason. */
#define CLI_SCAN_MAX_VM_NAMES 50

/*
 * argv[0] is "scan". Returns the exit status: 0 when the scan ran
 * (blocked clusters and ineligible hosts included), 64 for a bad command
 * line, 65 for a bad scenario (placement included), 66 when the file
 * cannot be read, 70 when memory runs out, 73 when stdout cannot be
 * written.
 */
int cli_scan(int argc, char **argv);

#endif
