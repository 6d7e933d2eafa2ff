/*
 * import_log: the messages of one `lpsim import`: errors (the input is
 * bad: the import writes nothing and exits 65) and warnings (the import
 * goes on; the choice it made is also written into the scenario's
 * comments). Each message is one complete line without a newline:
 *
 *     vinfo.csv:7: error: row 7, column 'CPUs': expected ... (got 'four')
 *     vinfo.csv:1: error: no column 'Powerstate' in the header (...)
 *     vinfo.csv: error: the file is empty: no header row
 *
 * Warnings are free text ("3 VMs of cluster 'prod' fit on no host ...");
 * the command line prefixes them with "lpsim: import: warning: ".
 *
 * At most ILOG_MAX_KEPT errors and as many warnings are kept, in the
 * order they were added; past that they are only counted. Out of memory
 * sets oom and is never silent. No global state: one ilog per import.
 */
#ifndef LPSIM_IMPORT_LOG_H
#define LPSIM_IMPORT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The most errors (and, separately, warnings) one log keeps. */
#define ILOG_MAX_KEPT 50

struct ilog {
	char **errors;           /* kept errors, malloc'd lines */
	size_t nerrors;          /* kept */
	size_t errors_dropped;   /* not kept: the list was full */
	char **warnings;         /* kept warnings, malloc'd lines */
	size_t nwarnings;        /* kept */
	size_t warnings_dropped; /* not kept */
	bool oom;                /* a message or a result was lost for want of memory */
};

/* Starts an empty log. */
void ilog_init(struct ilog *l);

/* Frees every message; the log may be ilog_init()ed again. */
void ilog_fini(struct ilog *l);

/* Records an error line (printf-style, no newline). Out of memory sets l->oom. */
void ilog_error(struct ilog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records a warning (printf-style, no newline). Out of memory sets l->oom. */
void ilog_warn(struct ilog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when an error was recorded (kept or dropped) or memory ran out. */
bool ilog_failed(const struct ilog *l);

/*
 * Writes every kept error, one per line, in the order added, then
 * "lpsim: import: N more errors not shown" when some were dropped, then
 * "lpsim: import: out of memory while recording errors" when l->oom.
 */
void ilog_print_errors(const struct ilog *l, FILE *out);

/* Writes every kept warning as "lpsim: import: warning: MSG", then a count of the dropped. */
void ilog_print_warnings(const struct ilog *l, FILE *out);

#endif
