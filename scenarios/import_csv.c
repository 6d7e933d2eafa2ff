/*
 * import_csv: CSV exports into tables of requested columns, on libcsv.
 *
 * The text is first converted to UTF-8 (icsv_decode), then fed to libcsv
 * one physical line at a time, so that each record's first line is known:
 * libcsv skips blank lines between records, so a record starts on the
 * first line that is not blank after the previous record ended. The
 * header record maps file columns to requested columns; later records
 * keep only the mapped fields, copied into the table's arena.
 */
#include "scenarios/import_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/sarena.h"

/* ---- encoding -------------------------------------------------------------- */

const char *icsv_encoding_name(enum icsv_encoding e)
{
	switch (e) {
	case ICSV_UTF8:
		return "UTF-8";
	case ICSV_UTF8_BOM:
		return "UTF-8 with BOM";
	case ICSV_UTF16LE:
		return "UTF-16LE";
	case ICSV_UTF16BE:
		return "UTF-16BE";
	case ICSV_WINDOWS1252:
		return "Windows-1252";
	}
	return "?";
}

size_t icsv_utf8_char(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len == 0)
		return 0;
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	unsigned min;
	unsigned v;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

bool icsv_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		size_t n = icsv_utf8_char(s + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Appends code point cp as UTF-8 at out; returns the bytes written (1..4). */
static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Windows-1252 0x80..0x9f; 0xfffd where the code page defines nothing. */
static const unsigned short cp1252_high[32] = {
    0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static int decode_utf16(const unsigned char *p, size_t len, bool little, char **out, size_t *outlen)
{
	/* Each 2-byte unit gives at most 3 bytes; a pair of units at most 4. */
	char *buf = malloc(len / 2 * 3 + 4);
	if (!buf)
		return -ENOMEM;
	size_t o = 0;
	size_t i = 0;
	while (i + 1 < len) {
		unsigned u = little ? (unsigned)p[i] | (unsigned)p[i + 1] << 8
		                    : (unsigned)p[i] << 8 | (unsigned)p[i + 1];
		i += 2;
		unsigned cp = u;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < len) {
			unsigned v = little ? (unsigned)p[i] | (unsigned)p[i + 1] << 8
			                    : (unsigned)p[i] << 8 | (unsigned)p[i + 1];
			if (v >= 0xdc00 && v <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
				i += 2;
			} else {
				cp = 0xfffd;
			}
		} else if (u >= 0xd800 && u <= 0xdfff) {
			cp = 0xfffd;
		}
		o += put_utf8(buf + o, cp);
	}
	if (i < len) /* an odd byte at the end */
		o += put_utf8(buf + o, 0xfffd);
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
}

int icsv_decode(const char *data, size_t len, char **out, size_t *outlen, enum icsv_encoding *enc)
{
	const unsigned char *p = (const unsigned char *)data;
	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		*enc = ICSV_UTF16LE;
		return decode_utf16(p + 2, len - 2, true, out, outlen);
	}
	if (len >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		*enc = ICSV_UTF16BE;
		return decode_utf16(p + 2, len - 2, false, out, outlen);
	}
	size_t skip = 0;
	*enc = ICSV_UTF8;
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		skip = 3;
		*enc = ICSV_UTF8_BOM;
	}
	if (icsv_valid_utf8(data + skip, len - skip)) {
		char *buf = malloc(len - skip + 1);
		if (!buf)
			return -ENOMEM;
		if (len > skip)
			memcpy(buf, data + skip, len - skip);
		buf[len - skip] = '\0';
		*out = buf;
		*outlen = len - skip;
		return 0;
	}
	*enc = ICSV_WINDOWS1252;
	if (len > (SIZE_MAX - 1) / 3)
		return -ENOMEM;
	char *buf = malloc(len * 3 + 1);
	if (!buf)
		return -ENOMEM;
	size_t o = 0;
	for (size_t i = skip; i < len; i++) {
		unsigned c = p[i];
		o += put_utf8(buf + o, c >= 0x80 && c < 0xa0 ? cp1252_high[c - 0x80] : c);
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
}

/* ---- header ---------------------------------------------------------------- */

bool icsv_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Lower-case ASCII. */
static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Compares a[0..alen) and b[0..blen) ignoring ASCII case, blanks at the
 * ends and the length of blank runs inside.
 */
static bool header_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	while (i < alen && icsv_is_blank(a[i]))
		i++;
	while (j < blen && icsv_is_blank(b[j]))
		j++;
	while (alen > i && icsv_is_blank(a[alen - 1]))
		alen--;
	while (blen > j && icsv_is_blank(b[blen - 1]))
		blen--;
	while (i < alen && j < blen) {
		if (icsv_is_blank(a[i]) && icsv_is_blank(b[j])) {
			while (i < alen && icsv_is_blank(a[i]))
				i++;
			while (j < blen && icsv_is_blank(b[j]))
				j++;
			continue;
		}
		if (fold(a[i]) != fold(b[j]))
			return false;
		i++;
		j++;
	}
	return i == alen && j == blen;
}

bool icsv_header_match(const char *header, const char *names)
{
	size_t hlen = strlen(header);
	/* A BOM left at the start of a header (one written twice) is not part of the name. */
	if (hlen >= 3 && !memcmp(header, "\xef\xbb\xbf", 3)) {
		header += 3;
		hlen -= 3;
	}
	const char *p = names;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (header_eq(header, hlen, p, n))
			return true;
		if (!bar)
			return false;
		p = bar + 1;
	}
}

/* The first of a spec's names (up to '|') into buf. */
static const char *first_name(const char *names, char *buf, size_t size)
{
	const char *bar = strchr(names, '|');
	size_t n = bar ? (size_t)(bar - names) : strlen(names);
	if (n >= size)
		n = size - 1;
	memcpy(buf, names, n);
	buf[n] = '\0';
	return buf;
}

char icsv_detect_delim(const char *s, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (tab > comma && tab > semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/* ---- parsing ----------------------------------------------------------------- */

struct icsv_state {
	struct icsv_table *t;
	struct ilog *log;
	const struct icsv_column *cols;
	size_t ncols;
	const char *what;
	bool header_done;
	const char **hdr; /* header fields (arena strings), malloc'd vector */
	size_t hdr_cap;
	long *map;              /* per header column: the requested column it feeds, or -1 */
	const char **cur;       /* per requested column: the current row's field, or NULL */
	size_t field;           /* index of the next field of the current record */
	bool in_row;            /* a field of the current record was delivered */
	uint32_t pending_start; /* first non-blank line since the last record ended; 0 unknown */
	uint32_t row_line;      /* line the current record starts on */
	uint32_t line;          /* line being fed */
	uint32_t records;       /* records ended, the header included */
	uint32_t record0;       /* record number of the header (1, or 2 after #TYPE) */
	size_t rows_cap;
	bool row_blank;          /* every field of the current record so far is blank */
	uint32_t blank_first;    /* record number of the first skipped blank row, 0: none */
	bool oom;
};

static void icsv_field_cb(void *s, size_t len, void *data)
{
	struct icsv_state *st = data;
	if (!st->in_row) {
		st->in_row = true;
		st->row_line = st->pending_start ? st->pending_start : st->line;
		st->field = 0;
		st->row_blank = true;
	}
	if (st->oom)
		return;
	const char *text = s ? s : "";
	if (!s)
		len = 0;
	for (size_t i = 0; i < len && st->row_blank; i++)
		st->row_blank = icsv_is_blank(text[i]) || text[i] == '\r' || text[i] == '\n';
	if (!st->header_done) {
		if (st->t->nheader == st->hdr_cap) {
			size_t cap = st->hdr_cap ? st->hdr_cap * 2 : 64;
			const char **v = realloc(st->hdr, cap * sizeof(*v));
			if (!v) {
				st->oom = true;
				return;
			}
			st->hdr = v;
			st->hdr_cap = cap;
		}
		const char *copy = sarena_strndup(st->t->arena, text, len);
		if (!copy) {
			st->oom = true;
			return;
		}
		st->hdr[st->t->nheader++] = copy;
	} else if (st->field < st->t->nheader && st->map[st->field] >= 0 &&
	           !st->cur[st->map[st->field]]) {
		const char *copy = sarena_strndup(st->t->arena, text, len);
		if (!copy)
			st->oom = true;
		st->cur[st->map[st->field]] = copy;
	}
	st->field++;
}

/* The header is complete: maps its columns to the requested ones. */
static void icsv_header_done(struct icsv_state *st)
{
	struct icsv_table *t = st->t;
	t->header_line = st->row_line;
	st->map = malloc((t->nheader + 1) * sizeof(long));
	if (!st->map) {
		st->oom = true;
		return;
	}
	for (size_t i = 0; i < t->nheader; i++)
		st->map[i] = -1;
	for (size_t c = 0; c < st->ncols; c++) {
		for (size_t i = 0; i < t->nheader; i++) {
			if (st->map[i] < 0 && icsv_header_match(st->hdr[i], st->cols[c].names)) {
				st->map[i] = (long)c;
				t->col[c] = (long)i;
				t->col_name[c] = st->hdr[i];
				break;
			}
		}
		if (t->col[c] < 0 && st->cols[c].required) {
			char name[128];
			ilog_error(st->log,
			           "%s:%lu: error: no column '%s' in the header (%s has it)",
			           t->file, (unsigned long)t->header_line,
			           first_name(st->cols[c].names, name, sizeof(name)), st->what);
		}
	}
}

static void icsv_row_cb(int c, void *data)
{
	(void)c;
	struct icsv_state *st = data;
	struct icsv_table *t = st->t;
	if (!st->in_row) { /* not with the options used; kept safe */
		st->row_line = st->pending_start ? st->pending_start : st->line;
		st->row_blank = false;
	}
	st->records++;
	st->in_row = false;
	st->pending_start = 0;
	if (st->oom)
		return;
	if (!st->header_done) {
		st->header_done = true;
		icsv_header_done(st);
		return;
	}
	if (st->row_blank) {
		/* Only delimiters and blanks (",,,,", what a spreadsheet saves for
		 * formatted but empty rows): skipped, counted for one warning. */
		if (!t->blank_rows++)
			st->blank_first = st->record0 + st->records - 1;
		for (size_t i = 0; i < st->ncols; i++)
			st->cur[i] = NULL;
		return;
	}
	if (t->nrows == st->rows_cap) {
		size_t cap = st->rows_cap ? st->rows_cap * 2 : 256;
		struct icsv_row *v = realloc(t->rows, cap * sizeof(*v));
		if (!v) {
			st->oom = true;
			return;
		}
		t->rows = v;
		st->rows_cap = cap;
	}
	const char **fields = sarena_array(t->arena, st->ncols + 1, sizeof(char *));
	if (!fields) {
		st->oom = true;
		return;
	}
	for (size_t i = 0; i < st->ncols; i++) {
		fields[i] = st->cur[i] ? st->cur[i] : "";
		st->cur[i] = NULL;
	}
	struct icsv_row *r = &t->rows[t->nrows++];
	r->line = st->row_line;
	r->record = st->record0 + st->records - 1;
	r->field = fields;
}

/* Whether line s[0..len) holds only blanks and line breaks (libcsv skips it). */
static bool line_blank(const char *s, size_t len, char delim)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\r' || c == '\n' || c == ' ' || (c == '\t' && delim != '\t'))
			continue;
		return false;
	}
	return true;
}

void icsv_free(struct icsv_table *t)
{
	if (!t)
		return;
	free(t->rows);
	sarena_free(t->arena);
	free(t);
}

bool icsv_has(const struct icsv_table *t, size_t c)
{
	return c < t->ncolumns && t->col[c] >= 0;
}

const char *icsv_get(const struct icsv_table *t, size_t r, size_t c)
{
	return t->rows[r].field[c];
}

static struct icsv_table *icsv_table_new(const char *file, size_t ncols)
{
	struct icsv_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->file = file;
	t->ncolumns = ncols;
	t->arena = sarena_new();
	if (!t->arena) {
		free(t);
		return NULL;
	}
	t->col = sarena_array(t->arena, ncols + 1, sizeof(long));
	t->col_name = sarena_array(t->arena, ncols + 1, sizeof(char *));
	if (!t->col || !t->col_name) {
		icsv_free(t);
		return NULL;
	}
	return t;
}

/* Feeds text[0..len) to libcsv line by line. Returns 0, -EINVAL (error logged) or -ENOMEM. */
static int icsv_parse(struct icsv_state *st, const char *text, size_t len, size_t start)
{
	struct icsv_table *t = st->t;
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return -ENOMEM;
	csv_set_delim(&p, (unsigned char)t->delim);
	int rc = 0;
	size_t i = start;
	while (i < len && !st->oom) {
		size_t j = i;
		while (j < len && text[j] != '\n' && text[j] != '\r')
			j++;
		if (j < len)
			j += text[j] == '\r' && j + 1 < len && text[j + 1] == '\n' ? 2 : 1;
		if (!st->in_row && !st->pending_start && !line_blank(text + i, j - i, t->delim))
			st->pending_start = st->line;
		if (csv_parse(&p, text + i, j - i, icsv_field_cb, icsv_row_cb, st) != j - i) {
			rc =
			    -ENOMEM; /* CSV_ENOMEM or CSV_ETOOBIG: not strict, so never a parse error */
			goto out_free_parser;
		}
		if (st->line < UINT32_MAX)
			st->line++;
		i = j;
	}
	if (st->oom) {
		rc = -ENOMEM;
		goto out_free_parser;
	}
	/* Lenient while parsing; strict at the end, so that a quote never closed is an error. */
	csv_set_opts(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	if (csv_fini(&p, icsv_field_cb, icsv_row_cb, st) != 0) {
		if (csv_error(&p) != CSV_EPARSE) {
			rc = -ENOMEM;
			goto out_free_parser;
		}
		uint32_t at = st->in_row ? st->row_line : st->pending_start;
		ilog_error(st->log,
		           "%s:%lu: error: row %lu: a quoted field is not closed before the end of "
		           "the file",
		           t->file, (unsigned long)at, (unsigned long)(st->record0 + st->records));
		rc = -EINVAL;
		goto out_free_parser;
	}
	if (st->oom)
		rc = -ENOMEM;
out_free_parser:
	csv_free(&p);
	return rc;
}

int icsv_read(const char *data, size_t len, const char *file, const char *what,
              const struct icsv_column *cols, size_t ncols, struct ilog *log,
              struct icsv_table **out)
{
	*out = NULL;
	if (len > (size_t)ICSV_MAX_BYTES) {
		ilog_error(log, "%s: error: the file is %zu bytes, more than the limit of %ld",
		           file, len, ICSV_MAX_BYTES);
		return -EINVAL;
	}
	struct icsv_table *t = icsv_table_new(file, ncols);
	if (!t)
		return -ENOMEM;
	for (size_t c = 0; c < ncols; c++) {
		t->col[c] = -1;
		t->col_name[c] = NULL;
	}
	char *text = NULL;
	size_t tlen = 0;
	int rc = icsv_decode(data, len, &text, &tlen, &t->encoding);
	if (rc < 0)
		goto out_free_table;
	if (t->encoding == ICSV_WINDOWS1252)
		ilog_warn(log, "%s is not UTF-8 text: read as Windows-1252 (ANSI)", file);

	/* A NUL character: not text. */
	const char *nul = memchr(text, '\0', tlen);
	if (nul) {
		unsigned long line = 1;
		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		ilog_error(log,
		           "%s:%lu: error: the file is not text: it holds a NUL character "
		           "(UTF-16 without a byte-order mark?)",
		           file, line);
		rc = -EINVAL;
		goto out_free_text;
	}

	struct icsv_state st = {
	    .t = t,
	    .log = log,
	    .cols = cols,
	    .ncols = ncols,
	    .what = what,
	    .line = 1,
	    .record0 = 1,
	};
	size_t start = 0;
	if (tlen >= 5 && !memcmp(text, "#TYPE", 5)) {
		while (start < tlen && text[start] != '\n' && text[start] != '\r')
			start++;
		if (start < tlen)
			start += text[start] == '\r' && start + 1 < tlen && text[start + 1] == '\n'
			             ? 2
			             : 1;
		t->type_line = true;
		st.line = 2;
		st.record0 = 2;
	}
	/* The delimiter, from the header line: the first line that is not blank. */
	size_t h = start;
	while (h < tlen && (text[h] == '\r' || text[h] == '\n' || icsv_is_blank(text[h])))
		h++;
	t->delim = icsv_detect_delim(text + h, tlen - h);
	st.cur = calloc(ncols + 1, sizeof(char *));
	if (!st.cur) {
		rc = -ENOMEM;
		goto out_free_text;
	}
	rc = icsv_parse(&st, text, tlen, start);
	free(st.hdr);
	free(st.map);
	free(st.cur);
	if (rc < 0)
		goto out_free_text;
	if (!st.header_done) {
		ilog_error(log, "%s: error: the file is empty: no header row", file);
		rc = -EINVAL;
		goto out_free_text;
	}
	if (t->blank_rows)
		ilog_warn(log,
		          "%s: %zu row%s with no value (only delimiters, e.g. row %lu): skipped",
		          file, t->blank_rows, t->blank_rows == 1 ? "" : "s",
		          (unsigned long)st.blank_first);
	for (size_t c = 0; c < ncols; c++)
		if (!t->col_name[c]) {
			char name[128];
			t->col_name[c] =
			    sarena_strdup(t->arena, first_name(cols[c].names, name, sizeof(name)));
			if (!t->col_name[c]) {
				rc = -ENOMEM;
				goto out_free_text;
			}
		}
	free(text);
	*out = t;
	return 0;
out_free_text:
	free(text);
out_free_table:
	icsv_free(t);
	return rc;
}
