/*
 * diag: a list of positioned error messages, the way every module reports
 * bad input: "FILE:LINE:COL: error: MESSAGE". The scenario loader fills
 * one per file; later checks (initial placement in models/, the command
 * line) append to the same list; the CLI prints it once.
 *
 * A diag keeps at most DIAG_MAX_ERRORS messages. Past that it only counts,
 * and diag_print() closes with a "too many errors" line. An error repeated
 * with the same position and text (YAML aliases copy nodes, positions
 * included) is kept once. diag_print() orders errors by position, so the
 * output reads top to bottom whatever order the checks ran in.
 */
#ifndef LPSIM_DIAG_H
#define LPSIM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most errors one diag keeps (and prints). */
#define DIAG_MAX_ERRORS 50

/* A place in the input: 1-based line and column (in characters). */
struct diag_pos {
	uint32_t line; /* 0: no position (the message is about the whole file) */
	uint32_t col;
};

struct diag_entry {
	struct diag_pos pos;
	char *msg; /* malloc'd, without "error: " and without newline */
};

struct diag {
	const char *file;     /* display name used in every line; borrowed */
	struct diag_entry *v; /* kept errors, in the order they were added */
	size_t n;             /* kept errors */
	size_t cap;           /* allocated entries of v */
	size_t dropped;       /* errors not kept because the list was full */
	bool oom;             /* an error could not be recorded for want of memory */
};

/* Starts an empty list; file is borrowed and must outlive the diag. */
void diag_init(struct diag *d, const char *file);

/* Frees the messages; the diag may be diag_init()ed again. */
void diag_fini(struct diag *d);

/*
 * Records an error at pos (printf-style message, no trailing newline).
 * Never fails visibly: out of memory sets d->oom.
 */
void diag_error(struct diag *d, struct diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A copy of one recorded error: its position and its text. */
void diag_add(struct diag *d, struct diag_pos pos, const char *msg);

/* True when any error was recorded (kept or dropped, or lost to memory). */
bool diag_failed(const struct diag *d);

/* True when the list is full: further errors are only counted. */
bool diag_full(const struct diag *d);

/*
 * Writes every kept error, ordered by position (stable), one per line:
 * "FILE:LINE:COL: error: MSG" ("FILE: error: MSG" without a position),
 * then "FILE: error: too many errors; only the first 50 are shown" when
 * errors were dropped. Reorders d->v.
 */
void diag_print(struct diag *d, FILE *out);

/*
 * Writes s[0..len) into buf (size >= 8) for quoting in a message: control
 * and non-ASCII-printable bytes as \xNN, cut to about 60 characters with
 * "...". Always NUL-terminates. Returns buf.
 */
char *diag_snippet(char *buf, size_t size, const char *s, size_t len);

#endif
