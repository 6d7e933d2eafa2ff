/*
 * import_csv: CSV exports (RVTools, PowerCLI Export-Csv) read into a
 * table of the columns the caller asks for, found by header name.
 *
 * Splitting is libcsv's (Debian libcsv-dev), in its lenient mode: fields
 * quoted with '"' may hold the delimiter, doubled quotes and line breaks;
 * spaces around unquoted fields are dropped; blank lines are skipped;
 * records end at LF, CRLF or CR. What this module adds:
 *
 *  - Encoding: a UTF-8 byte-order mark is dropped; UTF-16 with a BOM
 *    (PowerShell's -Encoding Unicode) is converted to UTF-8; text without
 *    a BOM that is not valid UTF-8 is read as Windows-1252 (ANSI, what
 *    Windows PowerShell 5 and older RVTools write), with a warning. A NUL
 *    character is an error (UTF-16 without a BOM looks like that).
 *  - A first line starting with "#TYPE" (Windows PowerShell 5's
 *    Export-Csv) is skipped; the header is the next record.
 *  - The delimiter is the one of ',', ';' and TAB found most often outside
 *    quotes in the header line (ties: ',' then ';'); RVTools writes ';'
 *    where the list separator of Windows is ';'.
 *  - Header names match a column spec ("In Use MiB|In Use MB") ignoring
 *    ASCII case, spaces around, and runs of spaces inside; the first
 *    matching header of the file wins. Columns nobody asked for are not
 *    kept, so a 90-column export costs only what is read.
 *  - Rows shorter than the header have "" in the missing fields; fields
 *    beyond the header are ignored.
 *  - A row whose every field is blank (",,,,,": what Excel keeps of
 *    formatted empty rows, which xlsx2csv writes out by the thousand) is
 *    skipped and counted (blank_rows), with one warning per file:
 *    "FILE: N rows with no value (only delimiters, e.g. row R): skipped".
 *
 * Positions: every row carries the line it starts on (1-based, physical
 * lines, a quoted line break counts) and its record number, the row a
 * spreadsheet shows: the header is row 1 (row 2 after a #TYPE line).
 */
#ifndef LPSIM_IMPORT_CSV_H
#define LPSIM_IMPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/import_log.h"

/* The largest file icsv_read() takes (1 GiB: an export of a million VMs is far smaller). */
#define ICSV_MAX_BYTES (1L << 30)

/* A column the caller wants. */
struct icsv_column {
	const char
	    *names;    /* accepted header names, '|'-separated; the first names it in messages */
	bool required; /* missing: an error naming the column and the file */
};

enum icsv_encoding {
	ICSV_UTF8,        /* UTF-8 without a BOM (or plain ASCII) */
	ICSV_UTF8_BOM,    /* UTF-8 after a byte-order mark */
	ICSV_UTF16LE,     /* UTF-16 little-endian with a BOM, converted */
	ICSV_UTF16BE,     /* UTF-16 big-endian with a BOM, converted */
	ICSV_WINDOWS1252, /* not UTF-8: read as Windows-1252, converted */
};

struct icsv_row {
	uint32_t line;      /* physical line the row starts on */
	uint32_t record;    /* spreadsheet row number (the header is 1, or 2 after #TYPE) */
	const char **field; /* per requested column: its value, "" when absent or short */
};

struct icsv_table {
	const char *file;            /* display name, borrowed */
	char delim;                  /* ',', ';' or '\t' */
	enum icsv_encoding encoding; /* how the bytes were read */
	bool type_line;              /* a #TYPE line was skipped */
	uint32_t header_line;        /* line of the header row */
	size_t ncolumns;             /* requested columns */
	long *col;                   /* per requested column: its index in the header, or -1 */
	const char **col_name;       /* per requested column: the header as written, or the
	                                first of its names when absent */
	size_t nheader;              /* columns in the file's header */
	size_t nrows;                /* data rows */
	size_t blank_rows;           /* rows skipped for holding no value */
	struct icsv_row *rows;
	struct sarena *arena; /* owns everything above but file */
};

/*
 * Reads data[0..len) (borrowed; need not be NUL-terminated) as a CSV
 * export named file (borrowed, must outlive the table) and keeps the
 * requested columns cols[0..ncols) (borrowed for the call). what names
 * the kind of file in messages ("an RVTools vInfo export").
 *
 * Errors go to log: "FILE: error: the file is empty: no header row",
 * "FILE:LINE: error: no column 'CPUs' in the header (WHAT has it)", one
 * per missing required column, "FILE:LINE: error: row R: a quoted field
 * is not closed before the end of the file", NUL characters, size.
 * Warnings too (Windows-1252). Returns 0 and sets *out (free with
 * icsv_free) even when a required column is missing (the caller decides,
 * with ilog_failed(), whether to go on); -EINVAL when the file could not
 * be read as CSV at all (*out NULL); -ENOMEM.
 */
int icsv_read(const char *data, size_t len, const char *file, const char *what,
              const struct icsv_column *cols, size_t ncols, struct ilog *log,
              struct icsv_table **out);

/* Frees t; NULL is a no-op. */
void icsv_free(struct icsv_table *t);

/* True when the requested column c is in the file. */
bool icsv_has(const struct icsv_table *t, size_t c);

/* Field c of row r ("" when the column is absent). */
const char *icsv_get(const struct icsv_table *t, size_t r, size_t c);

/* A blank: ' ' or TAB, what is ignored around header names (and around values, by the readers). */
bool icsv_is_blank(char c);

/*
 * The character s[0..len) starts with: returns its length (1..4) and sets
 * *cp to its code point. Returns 0, *cp untouched, when s does not start
 * with valid UTF-8 (an overlong form, a surrogate, a code point above
 * U+10FFFF, a sequence cut short by len or by a NUL, or len 0).
 */
size_t icsv_utf8_char(const char *s, size_t len, unsigned *cp);

/* ---- pieces, for the tests ------------------------------------------------ */

/*
 * Converts data[0..len) to UTF-8 as described above: sets *out to a new
 * NUL-terminated buffer (free() it) of *outlen bytes and *enc. Returns 0
 * or -ENOMEM.
 */
int icsv_decode(const char *data, size_t len, char **out, size_t *outlen, enum icsv_encoding *enc);

/* True when s[0..len) is valid UTF-8 (no overlong forms, surrogates, nor code points > U+10FFFF). */
bool icsv_valid_utf8(const char *s, size_t len);

/* The delimiter of a header line s[0..len): ',', ';' or '\t' (see above). */
char icsv_detect_delim(const char *s, size_t len);

/* True when header (NUL-terminated) matches one of the '|'-separated names. */
bool icsv_header_match(const char *header, const char *names);

/* "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252". */
const char *icsv_encoding_name(enum icsv_encoding e);

#endif
