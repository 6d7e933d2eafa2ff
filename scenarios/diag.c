/*
 * diag: positioned error messages, capped at DIAG_MAX_ERRORS, printed in
 * position order. Messages are formatted at once into malloc'd strings.
 */
#include "scenarios/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

void diag_fini(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = 0;
	d->cap = 0;
	d->dropped = 0;
	d->oom = false;
}

bool diag_failed(const struct diag *d)
{
	return d->n > 0 || d->dropped > 0 || d->oom;
}

bool diag_full(const struct diag *d)
{
	return d->n >= DIAG_MAX_ERRORS;
}

static bool diag_is_duplicate(const struct diag *d, struct diag_pos pos, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].pos.line == pos.line && d->v[i].pos.col == pos.col &&
		    !strcmp(d->v[i].msg, msg))
			return true;
	return false;
}

/* Takes ownership of msg (malloc'd). */
static void diag_take(struct diag *d, struct diag_pos pos, char *msg)
{
	if (diag_is_duplicate(d, pos, msg)) {
		free(msg);
		return;
	}
	if (diag_full(d)) {
		d->dropped++;
		free(msg);
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct diag_entry *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->oom = true;
			free(msg);
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n].pos = pos;
	d->v[d->n].msg = msg;
	d->n++;
}

void diag_error(struct diag *d, struct diag_pos pos, const char *fmt, ...)
{
	if (diag_full(d)) {
		d->dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		d->oom = true;
		return;
	}
	char *msg = malloc((size_t)len + 1);
	if (!msg) {
		d->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	diag_take(d, pos, msg);
}

void diag_add(struct diag *d, struct diag_pos pos, const char *msg)
{
	diag_error(d, pos, "%s", msg);
}

static bool diag_before(struct diag_pos a, struct diag_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

void diag_print(struct diag *d, FILE *out)
{
	/* Insertion sort: at most DIAG_MAX_ERRORS entries, and stable. */
	for (size_t i = 1; i < d->n; i++) {
		struct diag_entry e = d->v[i];
		size_t j = i;
		while (j > 0 && diag_before(e.pos, d->v[j - 1].pos)) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = e;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];
		if (e->pos.line)
			fprintf(out, "%s:%lu:%lu: error: %s\n", d->file, (unsigned long)e->pos.line,
			        (unsigned long)e->pos.col, e->msg);
		else
			fprintf(out, "%s: error: %s\n", d->file, e->msg);
	}
	if (d->dropped)
		fprintf(out, "%s: error: too many errors; only the first %d are shown\n", d->file,
		        DIAG_MAX_ERRORS);
	if (d->oom)
		fprintf(out, "%s: error: out of memory while recording errors\n", d->file);
}

char *diag_snippet(char *buf, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t limit = size >= 64 ? 60 : size - 4;
	size_t o = 0;
	size_t i = 0;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = (c >= 0x20 && c < 0x7f) || c >= 0x80;
		if (c >= 0x80) {
			/* Keep valid UTF-8 sequences whole; escape stray bytes. */
			size_t n = (c & 0xe0) == 0xc0   ? 2
			           : (c & 0xf0) == 0xe0 ? 3
			           : (c & 0xf8) == 0xf0 ? 4
			                                : 0;
			plain = n > 0 && i + n <= len;
			for (size_t k = 1; plain && k < n; k++)
				plain = ((unsigned char)s[i + k] & 0xc0) == 0x80;
			if (plain) {
				if (o + n > limit)
					break;
				memcpy(buf + o, s + i, n);
				o += n;
				i += n - 1;
				continue;
			}
		}
		if (plain) {
			if (o + 1 > limit)
				break;
			buf[o++] = (char)c;
		} else {
			if (o + 4 > limit)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < len) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}
