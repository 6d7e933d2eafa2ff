/*
 * cli_sweep_table: sweep.csv as a compact table (see the header).
 */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli_sweep_table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST_MAX_COLS 64 /* printed columns: axes and headline figures */

/* What a printed column shows: an axis value, or a figure of a strategy. */
enum st_kind { ST_AXIS, ST_DURATION, ST_PATCHED };

struct st_col {
	enum st_kind kind;
	int src;   /* the field of sweep.csv */
	int total; /* ST_PATCHED: the field of hosts.total */
	char title[96];
};

struct st_table {
	struct st_col col[ST_MAX_COLS];
	int ncol;
	char **cells; /* nrows * ncol, row-major */
	size_t nrows, cap;
};

/* Splits line (modified) at commas into f[0..max); returns the count. */
static int st_split(char *line, char **f, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max;) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int st_find(char **f, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i], name))
			return i;
	return -1;
}

/* An axis path's short title: its last part, with the one before for a bare "count". */
static void st_axis_title(char *buf, size_t len, const char *path)
{
	const char *last = strrchr(path, '.');
	if (!last) {
		snprintf(buf, len, "%s", path);
		return;
	}
	const char *start = last + 1;
	if (!strcmp(start, "count")) {
		const char *prev = last;
		while (prev > path && prev[-1] != '.')
			prev--;
		start = prev;
	}
	snprintf(buf, len, "%s", start);
}

static void st_add(struct st_table *t, enum st_kind k, int src, int total, const char *title)
{
	if (t->ncol >= ST_MAX_COLS || src < 0)
		return;
	struct st_col *c = &t->col[t->ncol++];
	c->kind = k;
	c->src = src;
	c->total = total;
	snprintf(c->title, sizeof(c->title), "%s", title);
}

/* The columns from sweep.csv's header f[0..n). */
static void st_columns(struct st_table *t, char **f, int n)
{
	static const char *const strategies[] = {"live_patch", "classic"};
	for (int i = 0; i < n; i++) {
		if (!strncmp(f[i], "live_patch.", 11) || !strncmp(f[i], "classic.", 8))
			continue;
		char title[96];
		st_axis_title(title, sizeof(title), f[i]);
		st_add(t, ST_AXIS, i, -1, title);
	}
	for (size_t s = 0; s < 2; s++) {
		char name[96], title[96];
		const char *sn = strategies[s];
		snprintf(name, sizeof(name), "%s.makespan_s.mean", sn);
		snprintf(title, sizeof(title), "%s makespan", sn);
		st_add(t, ST_DURATION, st_find(f, n, name), -1, title);
		snprintf(name, sizeof(name), "%s.vm_downtime_s.total.mean", sn);
		snprintf(title, sizeof(title), "%s VM downtime", sn);
		st_add(t, ST_DURATION, st_find(f, n, name), -1, title);
		snprintf(name, sizeof(name), "%s.hosts.patched.mean", sn);
		char tot[96];
		snprintf(tot, sizeof(tot), "%s.hosts.total", sn);
		snprintf(title, sizeof(title), "%s patched", sn);
		st_add(t, ST_PATCHED, st_find(f, n, name), st_find(f, n, tot), title);
	}
}

/* A duration in seconds in the unit that reads best: "42 s", "35.2 m", "4.61 h". */
static void st_duration(char *buf, size_t len, double s)
{
	if (s != s)
		snprintf(buf, len, "-");
	else if (s < 120)
		snprintf(buf, len, "%.3g s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.1f m", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
}

static char *st_cell(const struct st_col *c, char **f, int n)
{
	char buf[128];
	const char *v = c->src < n ? f[c->src] : "";
	double x = *v ? strtod(v, NULL) : 0.0 / 0.0;
	switch (c->kind) {
	case ST_AXIS:
		snprintf(buf, sizeof(buf), "%s", v);
		break;
	case ST_DURATION:
		st_duration(buf, sizeof(buf), x);
		break;
	case ST_PATCHED:
		snprintf(buf, sizeof(buf), "%.4g of %s", x,
		         c->total >= 0 && c->total < n ? f[c->total] : "?");
		break;
	}
	return strdup(buf);
}

static int st_row(struct st_table *t, char **f, int n)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **cells = realloc(t->cells, cap * (size_t)t->ncol * sizeof(*cells));
		if (!cells)
			return -ENOMEM;
		t->cells = cells;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * (size_t)t->ncol;
	for (int i = 0; i < t->ncol; i++) {
		row[i] = st_cell(&t->col[i], f, n);
		if (!row[i]) {
			while (i-- > 0)
				free(row[i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

static int st_print(FILE *out, const struct st_table *t)
{
	size_t w[ST_MAX_COLS];
	for (int i = 0; i < t->ncol; i++) {
		w[i] = strlen(t->col[i].title);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t l = strlen(t->cells[r * (size_t)t->ncol + (size_t)i]);
			w[i] = l > w[i] ? l : w[i];
		}
	}
	for (int i = 0; i < t->ncol; i++)
		fprintf(out, "%s%-*s", i ? "  " : "", i + 1 < t->ncol ? (int)w[i] : 0,
		        t->col[i].title);
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int i = 0; i < t->ncol; i++) {
			const char *s = t->cells[r * (size_t)t->ncol + (size_t)i];
			/* Axis values left, figures right. */
			if (t->col[i].kind == ST_AXIS)
				fprintf(out, "%s%-*s", i ? "  " : "", (int)w[i], s);
			else
				fprintf(out, "%s%*s", i ? "  " : "", (int)w[i], s);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}

int cli_sweep_table(FILE *out, const char *csv)
{
	FILE *in = fopen(csv, "r");
	if (!in)
		return -errno;
	struct st_table t = {.ncol = 0};
	char *line = NULL, *f[1024];
	size_t cap = 0;
	int rc = 0;
	if (getline(&line, &cap, in) < 0) {
		rc = -EINVAL;
		goto out;
	}
	st_columns(&t, f, st_split(line, f, 1024));
	while (rc == 0 && getline(&line, &cap, in) >= 0)
		rc = st_row(&t, f, st_split(line, f, 1024));
	if (rc == 0)
		rc = st_print(out, &t);
out:
	for (size_t i = 0; i < t.nrows * (size_t)t.ncol; i++)
		free(t.cells[i]);
	free(t.cells);
	free(line);
	fclose(in);
	return rc;
}
