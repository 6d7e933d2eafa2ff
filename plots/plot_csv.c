/*
 * plot_csv: streaming CSV reader; see plot_csv.h. The file is read in
 * large chunks into one buffer; a record is found whole in the buffer
 * (the buffer is refilled, and grown up to the record limit, when a
 * record crosses its end), then split in place: separators become NULs
 * and quoted fields are unquoted by moving their bytes down.
 */
#include "plots/plot_csv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)

struct plot_csv {
	FILE *f;
	char *buf;
	size_t cap;  /* allocated bytes of buf (one more for a NUL) */
	size_t pos;  /* start of the unread data */
	size_t len;  /* end of the data */
	bool eof;    /* f has no more data */
	long line;   /* line of the byte at pos */
	long rec_line; /* line of the last record returned */
	const char *err;
	char *fields[PLOT_CSV_MAX_FIELDS];
};

struct plot_csv *plot_csv_open(const char *path)
{
	struct plot_csv *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->f = fopen(path, "rb");
	if (!c->f) {
		int e = errno;
		free(c);
		errno = e;
		return NULL;
	}
	c->cap = CHUNK;
	c->buf = malloc(c->cap + 1);
	if (!c->buf) {
		fclose(c->f);
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	c->line = 1;
	c->err = "";
	return c;
}

void plot_csv_close(struct plot_csv *c)
{
	if (!c)
		return;
	fclose(c->f);
	free(c->buf);
	free(c);
}

long plot_csv_line(const struct plot_csv *c)
{
	return c->rec_line;
}

const char *plot_csv_error(const struct plot_csv *c)
{
	return c->err;
}

/* Moves the unread data to the front and reads more; grows the buffer when full. 0 or -errno. */
static int refill(struct plot_csv *c)
{
	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	if (c->len == c->cap) {
		if (c->cap >= (size_t)PLOT_CSV_MAX_RECORD + CHUNK) {
			c->err = "record too long";
			return -EINVAL;
		}
		size_t ncap = c->cap * 2;
		char *nb = realloc(c->buf, ncap + 1);
		if (!nb)
			return -ENOMEM;
		c->buf = nb;
		c->cap = ncap;
	}
	size_t got = fread(c->buf + c->len, 1, c->cap - c->len, c->f);
	c->len += got;
	if (got == 0) {
		if (ferror(c->f))
			return -EIO;
		c->eof = true;
	}
	return 0;
}

/*
 * Finds the end of the record starting at pos: sets *end to the index of
 * its terminating LF (or len at the end of the file) and *nl to the line
 * breaks inside it. Returns 1 when found, 0 when more data is needed, or
 * -EINVAL (a NUL byte).
 */
static int find_end(const struct plot_csv *c, size_t *end, long *nl)
{
	const char *b = c->buf;
	size_t i = c->pos;
	const char *lf = memchr(b + i, '\n', c->len - i);
	size_t stop = lf ? (size_t)(lf - b) : c->len;
	if (!memchr(b + i, '"', stop - i)) {
		if (memchr(b + i, '\0', stop - i))
			return -EINVAL;
		if (!lf && !c->eof)
			return 0;
		*end = stop;
		*nl = 0;
		return 1;
	}
	bool q = false;
	long n = 0;
	for (; i < c->len; i++) {
		char ch = b[i];
		if (ch == '\0')
			return -EINVAL;
		if (ch == '"')
			q = !q;
		else if (ch == '\n') {
			if (!q) {
				*end = i;
				*nl = n;
				return 1;
			}
			n++;
		}
	}
	if (!c->eof)
		return 0;
	*end = c->len;
	*nl = n;
	return 1;
}

/* Splits buf[s, e) (NUL at e) into fields. Returns the count or -EINVAL. */
static int split(struct plot_csv *c, size_t s, size_t e)
{
	char *b = c->buf;
	if (e > s && b[e - 1] == '\r')
		b[--e] = '\0';
	int n = 0;
	size_t i = s;
	for (;;) {
		if (n == PLOT_CSV_MAX_FIELDS) {
			c->err = "too many fields";
			return -EINVAL;
		}
		if (i < e && b[i] == '"') {
			size_t w = i; /* unquote in place */
			c->fields[n++] = b + w;
			i++;
			for (;;) {
				if (i >= e) {
					c->err = "unterminated quoted field";
					return -EINVAL;
				}
				if (b[i] == '"') {
					if (i + 1 < e && b[i + 1] == '"') {
						b[w++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				b[w++] = b[i++];
			}
			b[w] = '\0';
			if (i == e)
				return n;
			if (b[i] != ',') {
				c->err = "text after a closing quote";
				return -EINVAL;
			}
			i++;
		} else {
			c->fields[n++] = b + i;
			char *sep = memchr(b + i, ',', e - i);
			size_t j = sep ? (size_t)(sep - b) : e;
			if (memchr(b + i, '"', j - i)) {
				c->err = "a quote inside an unquoted field";
				return -EINVAL;
			}
			b[j] = '\0';
			if (!sep)
				return n;
			i = j + 1;
		}
	}
}

int plot_csv_read(struct plot_csv *c, char ***fields)
{
	c->err = "";
	for (;;) {
		size_t end;
		long nl;
		int r = c->pos < c->len ? find_end(c, &end, &nl) : 0;
		if (r < 0) {
			c->rec_line = c->line;
			c->err = "a NUL byte";
			return -EINVAL;
		}
		if (r == 0) {
			if (c->eof) {
				c->rec_line = c->line;
				return 0;
			}
			int e = refill(c);
			if (e < 0) {
				c->rec_line = c->line;
				return e;
			}
			continue;
		}
		size_t s = c->pos;
		c->rec_line = c->line;
		c->line += nl + 1;
		c->pos = end < c->len ? end + 1 : end;
		c->buf[end] = '\0';
		if (end == s || (end == s + 1 && c->buf[s] == '\r'))
			continue; /* a blank line is no record */
		int n = split(c, s, end);
		if (n > 0)
			*fields = c->fields;
		return n;
	}
}

bool plot_csv_number(const char *s, bool empty_ok, double *out)
{
	if (!*s) {
		if (!empty_ok)
			return false;
		*out = NAN;
		return true;
	}
	/* Fast path: [-]DIGITS.DDDDDD with at most 15 digits in all: N / 1e6 is exact-rounded. */
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	uint64_t ip = 0;
	int nd = 0;
	while (*p >= '0' && *p <= '9' && nd < 16) {
		ip = ip * 10 + (uint64_t)(*p++ - '0');
		nd++;
	}
	if (nd > 0 && nd <= 9 && *p == '.') {
		const char *f = p + 1;
		int k = 0;
		uint64_t fr = 0;
		while (k < 6 && f[k] >= '0' && f[k] <= '9') {
			fr = fr * 10 + (uint64_t)(f[k] - '0');
			k++;
		}
		if (k == 6 && f[6] == '\0') {
			double v = (double)(ip * 1000000u + fr) / 1e6;
			*out = neg ? -v : v;
			return true;
		}
	} else if (nd > 0 && nd <= 15 && *p == '\0') {
		*out = neg ? -(double)ip : (double)ip;
		return true;
	}
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v))
		return false;
	/* strtod also takes "inf", hex and leading blanks; the files hold none of those. */
	if (*s == ' ' || *s == '\t' || strpbrk(s, "xXnN"))
		return false;
	*out = v;
	return true;
}

bool plot_csv_count(const char *s, long *out)
{
	if (!*s)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (1L << 53) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return true;
}
