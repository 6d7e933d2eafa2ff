/*
 * plot_csv: a streaming reader of the CSV files `lpsim run` writes
 * (RFC 4180: fields holding a comma, a quote or a line break are quoted,
 * quotes doubled; LF or CRLF line ends), fast enough for the 4,000,000
 * rows of a fleet run's vms.csv.
 *
 * A record's fields point into the reader's buffer, unquoted and
 * NUL-terminated, and stay valid until the next plot_csv_read() or
 * plot_csv_close(). Memory is one buffer, as large as the longest record
 * (at most PLOT_CSV_MAX_RECORD bytes). No global state.
 */
#ifndef LPSIM_PLOT_CSV_H
#define LPSIM_PLOT_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* The longest record accepted (bytes); a longer one is malformed input. */
#define PLOT_CSV_MAX_RECORD (1L << 20)
/* The most fields of one record. */
#define PLOT_CSV_MAX_FIELDS 64

struct plot_csv; /* opaque */

/*
 * Opens path for reading. Returns the reader (close with
 * plot_csv_close), or NULL with errno set (ENOENT, EACCES, ENOMEM, ...).
 */
struct plot_csv *plot_csv_open(const char *path);

/* Closes c; NULL is a no-op. */
void plot_csv_close(struct plot_csv *c);

/*
 * Reads the next record into *fields (an array owned by c) and returns its
 * number of fields (>= 1); 0 at the end of the file; or a negative errno:
 * -EINVAL for malformed input (an unterminated quote, a quote inside an
 * unquoted field, a NUL byte, a record over PLOT_CSV_MAX_RECORD bytes or
 * PLOT_CSV_MAX_FIELDS fields), with the reason in plot_csv_error(); -EIO
 * or -ENOMEM. Blank lines are skipped: they are no records.
 */
int plot_csv_read(struct plot_csv *c, char ***fields);

/* The 1-based line the last record read starts on. */
long plot_csv_line(const struct plot_csv *c);

/* Why the last plot_csv_read() returned -EINVAL (a static string), or "". */
const char *plot_csv_error(const struct plot_csv *c);

/*
 * Parses a time or count field: "" (an undefined value) gives NaN when
 * empty_ok, else false; otherwise the whole field must be a finite decimal
 * number. The common form of the run's CSV files ("1234.567890") is read
 * without strtod, to the same double strtod gives. Returns true and sets
 * *out, or false.
 */
bool plot_csv_number(const char *s, bool empty_ok, double *out);

/* Parses a non-negative integer field (at most 2^53). Returns true and sets *out. */
bool plot_csv_count(const char *s, long *out);

#endif
