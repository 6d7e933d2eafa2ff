/*
 * import_rows: what the CSV readers (import.c's RVTools and PowerCLI
 * readers, import_rvtabs.c's vCluster, vDatastore and vSource tabs) share
 * when they take a table's rows apart: reading an optional file, the
 * row/column error message, a field quoted in a message, a True/False
 * field, case-blind keys and a key that two entities share.
 */
#ifndef LPSIM_IMPORT_ROWS_H
#define LPSIM_IMPORT_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "scenarios/import.h"
#include "scenarios/import_csv.h"
#include "scenarios/import_log.h"
#include "scenarios/import_map.h"

/* An imap value for a key that more than one entity has (irow_put_once). */
#define IROW_AMBIGUOUS 0x7fffffffL

/*
 * Reads file f (when given: f->data not NULL) as a CSV export of the
 * columns cols[0..ncols) into *t (NULL when not given; free with
 * icsv_free). what names the kind of file in messages. Sets *oom when
 * memory runs out. False when it could not be read as CSV or lacks a
 * required column (reported to log).
 */
bool irow_read(const struct import_file *f, const char *what, const struct icsv_column *cols,
               size_t ncols, struct ilog *log, bool *oom, struct icsv_table **t);

/* Logs "FILE:LINE: error: row R, column 'C': MESSAGE" for field (row, col) of t. */
void irow_error(struct ilog *log, const struct icsv_table *t, size_t row, size_t col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* s for quoting in a message ("got '...'"), as diag_snippet() writes it into buf. */
const char *irow_snip(char *buf, size_t size, const char *s);

/*
 * Field (row, col) of t as True or False (import_parse_bool; "" and an
 * absent column are false) into *b. False, reported, when it is neither.
 */
bool irow_get_bool(struct ilog *log, const struct icsv_table *t, size_t row, size_t col, bool *b);

/*
 * "a\x1fb": a (NULL: "") and b[0..bn), each with the blanks around it
 * trimmed, in ASCII lower case (malloc'd; free it). NULL when memory runs out.
 */
char *irow_lower_key(const char *a, const char *b, size_t bn);

/* Sets key to v in m, or to IROW_AMBIGUOUS when it holds another value. 0 or -ENOMEM. */
int irow_put_once(struct imap *m, const char *key, long v);

#endif
