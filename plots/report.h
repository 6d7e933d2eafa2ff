/*
 * report: the capacity-planning report of a run or sweep directory, a
 * multi-page PDF drawn with cairo (RESULTS.md `lpsim report`).
 *
 * A run directory gives: the scenario in brief; the compliance scan
 * (ineligible hosts and their reasons, FSR-incompatible VMs by reason with
 * their names, lists cut at REPORT_LIST_MAX names with the count of the
 * rest); live patch against classic (makespan, time to compliance, VM
 * downtime, exposure, with 95% CIs and the paired difference); findings
 * in plain language drawn from the numbers; the timeline, compliance and
 * downtime charts. A sweep directory gives the sweep's points in a table,
 * its charts and its findings.
 *
 * Where the results do not say (why a host is ineligible, the patch, the
 * modes), the scenario file named in summary.json is read again, when it
 * can be and still describes the estate that was run (same name, same
 * numbers of hosts and VMs); otherwise the report says what it leaves
 * out. The output is a function of the directory, the scenario file and
 * the options: no dates, no wall times. No global state.
 */
#ifndef LPSIM_REPORT_H
#define LPSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Names listed at most per list (ineligible hosts, incompatible VMs per reason...). */
#define REPORT_LIST_MAX 40

struct report_opts {
	double window_s;        /* maintenance window (s), or NaN: none */
	bool reload_scenario;   /* read the scenario file again for details (default true) */
};

/* Defaults: no window, reload the scenario. */
void report_opts_default(struct report_opts *o);

struct report; /* opaque: the loaded inputs */

/*
 * Reads the run directory (summary.json and the CSV files present) or
 * the sweep directory (sweep.json) dir, and, when o asks and it can, the
 * scenario file. Returns 0 and sets *out (free with report_free); or a
 * negative errno with a message in msg: -ENOENT and other open errors
 * (input missing or unreadable), -EINVAL (malformed input), -ENOMEM.
 */
int report_load(const char *dir, const struct report_opts *o, struct report **out, char *msg,
                size_t msglen);

/* Frees r; NULL is a no-op. */
void report_free(struct report *r);

/*
 * Writes the report of r to path (a PDF, whatever its extension), through
 * a temporary renamed into place. Sets *pages (may be NULL) to the pages
 * written. Returns 0, or a negative errno with "PATH: reason" in msg
 * (the output cannot be created or written; -ENOMEM).
 */
int report_write(const struct report *r, const char *path, int *pages, char *msg, size_t msglen);

#endif
