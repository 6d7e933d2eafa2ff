/*
 * plot_sweep: reading sweep.json; see plot_sweep.h. The document is
 * walked one point at a time (a sweep of 100,000 points is some 700 MB
 * of JSON), and each point's summary goes through the same reader as a
 * run's summary.json.
 */
#include "plots/plot_sweep.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "plots/plot_data.h"
#include "scenarios/sarena.h"
#include "scenarios/scenario.h"
#include "sim/atomicio.h"

bool plot_is_sweep_dir(const char *dir)
{
	char p[4096];
	struct stat sb;
	snprintf(p, sizeof(p), "%s/sweep.json", dir);
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* ---- metrics ------------------------------------------------------------------ */

static const struct stat_summary *m_makespan(const struct output_strategy *s)
{
	return &s->makespan_s;
}
static const struct stat_summary *m_ttc(const struct output_strategy *s)
{
	return &s->time_to_compliance_s;
}
static const struct stat_summary *m_exposure(const struct output_strategy *s)
{
	return &s->exposure_host_hours;
}
static const struct stat_summary *m_downtime(const struct output_strategy *s)
{
	return &s->downtime_total_s;
}
static const struct stat_summary *m_stun(const struct output_strategy *s)
{
	return &s->stun_s;
}

static const struct plot_metric metrics[] = {
    {"makespan_s", "Makespan", true, NULL, m_makespan},
    {"time_to_compliance_s", "Time to full compliance", true, NULL, m_ttc},
    {"exposure_host_hours", "Exposure", false, "host-hours", m_exposure},
    {"vm_downtime_s", "Total VM downtime", true, NULL, m_downtime},
    {"stun_s", "Stun per event", true, NULL, m_stun},
};

const struct plot_metric *plot_metric_find(const char *name)
{
	if (!name)
		return &metrics[0];
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		if (!strcmp(metrics[i].name, name))
			return &metrics[i];
	return NULL;
}

char *plot_metric_names(char *buf, size_t len)
{
	size_t n = 0;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", metrics[i].name);
	return buf;
}

/* ---- loading ------------------------------------------------------------------ */

void plot_sweep_free(struct plot_sweep *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npoints; i++)
		output_summary_fini(&s->points[i].sum);
	sarena_free(s->arena);
	free(s->dir);
	free(s);
}

/* The text of a scalar value, and its number when it has one. false: not a scalar. */
static bool value_text(const json_t *v, char *buf, size_t len, double *num)
{
	*num = NAN;
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		*num = (double)json_integer_value(v);
	} else if (json_is_real(v)) {
		snprintf(buf, len, "%.15g", json_real_value(v));
		*num = json_real_value(v);
	} else if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
		char *end;
		double d = strtod(buf, &end);
		if (end != buf && !*end && isfinite(d))
			*num = d;
		else if (scenario_parse_duration(buf, &d, NULL, 0))
			*num = d;
	} else if (json_is_true(v) || json_is_false(v)) {
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	} else {
		return false;
	}
	return true;
}

/* ---- reading sweep.json one point at a time ------------------------------------ */

/*
 * sweep.json is read as text and walked by a small scanner: the top-level
 * object's members are found by skipping values (strings, nesting), and
 * jansson parses only one value at a time (the axes, then each point),
 * so memory is the text plus one point's tree plus the summaries, not a
 * tree of the whole document (66 KB a point). Each point's params are
 * matched to value indices by binary search in the axes' sorted values,
 * and plot_sweep_find() searches the points sorted by their indices: the
 * whole load and every lookup are O(n log n) and O(log n).
 */
struct jscan {
	const char *t; /* the whole text */
	size_t len;
	size_t pos;
};

static void js_ws(struct jscan *c)
{
	while (c->pos < c->len && (c->t[c->pos] == ' ' || c->t[c->pos] == '\n' ||
	                           c->t[c->pos] == '\r' || c->t[c->pos] == '\t'))
		c->pos++;
}

static bool js_delim(char ch)
{
	switch (ch) {
	case ',': case ':': case ']': case '}': case '"': case ' ': case '\n': case '\r': case '\t':
		return true;
	default:
		return false;
	}
}

/* Skips one JSON value (not checked: jansson checks what is used). False at a bad end. */
static bool js_skip(struct jscan *c)
{
	size_t depth = 0;
	do {
		js_ws(c);
		if (c->pos >= c->len)
			return false;
		char ch = c->t[c->pos];
		if (ch == '"') {
			for (c->pos++; c->pos < c->len && c->t[c->pos] != '"'; c->pos++)
				if (c->t[c->pos] == '\\')
					c->pos++;
			if (c->pos >= c->len)
				return false;
			c->pos++;
		} else if (ch == '[' || ch == '{') {
			depth++;
			c->pos++;
		} else if (ch == ']' || ch == '}') {
			if (!depth)
				return false;
			depth--;
			c->pos++;
		} else {
			while (c->pos < c->len && !js_delim(c->t[c->pos]))
				c->pos++;
		}
		js_ws(c);
		if (depth && c->pos < c->len && (c->t[c->pos] == ',' || c->t[c->pos] == ':'))
			c->pos++;
	} while (depth);
	return true;
}

/* The line:col of byte pos of the text, for messages. */
static void js_where(const struct jscan *c, size_t pos, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos && i < c->len; i++) {
		if (c->t[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* Parses the one JSON value at c->pos (jansson) and moves past it; NULL after msg. */
static json_t *js_value(struct jscan *c, const char *path, char *msg, size_t msglen)
{
	json_error_t je;
	js_ws(c);
	json_t *v = json_loadb(c->t + c->pos, c->len - c->pos,
	                       JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
	                       &je);
	if (!v) {
		size_t line, col;
		js_where(c, c->pos + (size_t)(je.position > 0 ? je.position : 0), &line, &col);
		plot__errf(msg, msglen, "%s:%zu:%zu: not valid JSON: %s", path, line, col, je.text);
		return NULL;
	}
	c->pos += je.position;
	return v;
}

/* Expects ch at c->pos (after blanks); false after msg. */
static bool js_char(struct jscan *c, char ch, const char *path, char *msg, size_t msglen)
{
	js_ws(c);
	if (c->pos < c->len && c->t[c->pos] == ch) {
		c->pos++;
		return true;
	}
	size_t line, col;
	js_where(c, c->pos, &line, &col);
	plot__errf(msg, msglen, "%s:%zu:%zu: not valid JSON: expected '%c'", path, line, col, ch);
	return false;
}

/* Where the top level's "axes" and "points" values start; false after msg. */
static bool js_top(struct jscan *c, size_t *axes, size_t *points, const char *path, char *msg,
                     size_t msglen)
{
	*axes = *points = SIZE_MAX;
	if (!js_char(c, '{', path, msg, msglen))
		return false;
	js_ws(c);
	bool first = true;
	while (c->pos < c->len && c->t[c->pos] != '}') {
		if (!first && !js_char(c, ',', path, msg, msglen))
			return false;
		first = false;
		json_t *k = js_value(c, path, msg, msglen);
		if (!k)
			return false;
		bool is_axes = json_is_string(k) && !strcmp(json_string_value(k), "axes");
		bool is_points = json_is_string(k) && !strcmp(json_string_value(k), "points");
		bool is_str = json_is_string(k);
		json_decref(k);
		if (!is_str || !js_char(c, ':', path, msg, msglen)) {
			if (!is_str)
				plot__errf(msg, msglen, "%s: not valid JSON: a key that is no string", path);
			return false;
		}
		js_ws(c);
		size_t *at = is_axes ? axes : is_points ? points : NULL;
		if (at && *at != SIZE_MAX) {
			plot__errf(msg, msglen, "%s: not valid JSON: duplicate key '%s'", path,
			           is_axes ? "axes" : "points");
			return false;
		}
		if (at)
			*at = c->pos;
		if (!js_skip(c)) {
			plot__errf(msg, msglen, "%s: not valid JSON: the text ends inside a value", path);
			return false;
		}
		js_ws(c);
	}
	if (!js_char(c, '}', path, msg, msglen))
		return false;
	js_ws(c);
	if (c->pos != c->len) {
		plot__errf(msg, msglen, "%s: not valid JSON: text after the object", path);
		return false;
	}
	return true;
}

/* ---- value lookups -------------------------------------------------------------- */

struct vkey {
	const char *text;
	double num;
	size_t k;
};

static int vkey_by_text(const void *pa, const void *pb)
{
	const struct vkey *a = pa, *b = pb;
	int c = strcmp(a->text, b->text);
	return c ? c : (a->k > b->k) - (a->k < b->k);
}

static int vkey_by_num(const void *pa, const void *pb)
{
	const struct vkey *a = pa, *b = pb;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return (a->k > b->k) - (a->k < b->k);
}

/* An axis' values sorted by text and (the finite ones) by number. */
struct vindex {
	struct vkey *by_text;
	struct vkey *by_num;
	size_t nnum;
};

static int vindex_init(struct vindex *x, const struct plot_sweep_axis *A)
{
	x->by_text = malloc((A->nvalues + 1) * sizeof(*x->by_text));
	x->by_num = malloc((A->nvalues + 1) * sizeof(*x->by_num));
	x->nnum = 0;
	if (!x->by_text || !x->by_num)
		return -ENOMEM;
	for (size_t k = 0; k < A->nvalues; k++) {
		x->by_text[k] = (struct vkey){A->values[k], A->num[k], k};
		if (isfinite(A->num[k]))
			x->by_num[x->nnum++] = x->by_text[k];
	}
	qsort(x->by_text, A->nvalues, sizeof(*x->by_text), vkey_by_text);
	qsort(x->by_num, x->nnum, sizeof(*x->by_num), vkey_by_num);
	return 0;
}

static void vindex_fini(struct vindex *x)
{
	free(x->by_text);
	free(x->by_num);
}

/* The first index k whose value has the text t or (finite) the number num; nvalues when none. */
static size_t vindex_find(const struct vindex *x, size_t nvalues, const char *t, double num)
{
	size_t best = nvalues, lo = 0, hi = nvalues;
	while (lo < hi) { /* the first by (text, k) with text >= t */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->by_text[mid].text, t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nvalues && !strcmp(x->by_text[lo].text, t))
		best = x->by_text[lo].k;
	if (isfinite(num)) {
		lo = 0;
		hi = x->nnum;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (x->by_num[mid].num < num)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < x->nnum && x->by_num[lo].num == num && x->by_num[lo].k < best)
			best = x->by_num[lo].k;
	}
	return best;
}

/* ---- loading -------------------------------------------------------------------- */

static int load_axes(struct plot_sweep *s, const json_t *axes, const char *path, char *msg,
                     size_t msglen)
{
	for (size_t a = 0; a < s->naxes; a++) {
		const json_t *ax = json_array_get(axes, a);
		const json_t *p = json_object_get(ax, "path"), *vals = json_object_get(ax, "values");
		struct plot_sweep_axis *A = &s->axes[a];
		if (!json_is_string(p) || !json_is_array(vals) || json_array_size(vals) < 1) {
			plot__errf(msg, msglen, "%s: axes[%zu]: want a 'path' string and a non-empty 'values' array",
			     path, a);
			return -EINVAL;
		}
		A->path = sarena_strdup(s->arena, json_string_value(p));
		A->nvalues = json_array_size(vals);
		A->values = sarena_array(s->arena, A->nvalues, sizeof(char *));
		A->num = sarena_array(s->arena, A->nvalues, sizeof(double));
		if (!A->path || !A->values || !A->num)
			return -ENOMEM;
		A->numeric = true;
		for (size_t v = 0; v < A->nvalues; v++) {
			char t[256];
			if (!value_text(json_array_get(vals, v), t, sizeof(t), &A->num[v])) {
				plot__errf(msg, msglen, "%s: axes[%zu].values[%zu] is not a scalar", path, a, v);
				return -EINVAL;
			}
			A->values[v] = sarena_strdup(s->arena, t);
			if (!A->values[v])
				return -ENOMEM;
			A->numeric = A->numeric && isfinite(A->num[v]);
		}
	}
	return 0;
}

/* Reads point i (pt) into s->points[i]. */
static int load_point(struct plot_sweep *s, const struct vindex *vx, const json_t *pt, size_t i,
                      const char *path, char *msg, size_t msglen)
{
	const json_t *params = json_object_get(pt, "params");
	const json_t *sum = json_object_get(pt, "summary");
	struct plot_sweep_point *P = &s->points[i];
	if (!json_is_object(params) || !json_is_object(sum)) {
		plot__errf(msg, msglen, "%s: points[%zu]: want the objects 'params' and 'summary'", path, i);
		return -EINVAL;
	}
	P->idx = sarena_array(s->arena, s->naxes, sizeof(size_t));
	if (!P->idx)
		return -ENOMEM;
	for (size_t a = 0; a < s->naxes; a++) {
		const json_t *v = json_object_get(params, s->axes[a].path);
		char t[256];
		double num;
		if (!v || !value_text(v, t, sizeof(t), &num)) {
			plot__errf(msg, msglen, "%s: points[%zu]: 'params' lacks '%s'", path, i,
			     s->axes[a].path);
			return -EINVAL;
		}
		size_t k = vindex_find(&vx[a], s->axes[a].nvalues, t, num);
		if (k == s->axes[a].nvalues) {
			plot__errf(msg, msglen, "%s: points[%zu]: '%s' = '%s' is not one of the axis' values",
			     path, i, s->axes[a].path, t);
			return -EINVAL;
		}
		P->idx[a] = k;
	}
	char where[4200];
	snprintf(where, sizeof(where), "%s: points[%zu].summary", path, i);
	return plot__summary_from_json(sum, where, &P->sum, msg, msglen);
}

/* The number of elements of the array at c->pos (skipped, not parsed); SIZE_MAX when it is none. */
static size_t js_count(struct jscan c)
{
	js_ws(&c);
	if (c.pos >= c.len || c.t[c.pos] != '[')
		return SIZE_MAX;
	c.pos++;
	js_ws(&c);
	size_t n = 0;
	while (c.pos < c.len && c.t[c.pos] != ']') {
		if (n && c.t[c.pos] == ',')
			c.pos++;
		else if (n)
			return SIZE_MAX;
		if (!js_skip(&c))
			return SIZE_MAX;
		n++;
		if (n > PLOT_SWEEP_MAX_POINTS)
			return n; /* enough to refuse */
	}
	return c.pos < c.len ? n : SIZE_MAX;
}

static int load_points(struct plot_sweep *s, struct jscan *c, size_t np, const char *path, char *msg,
                       size_t msglen)
{
	struct vindex *vx = calloc(s->naxes, sizeof(*vx));
	int rc = vx ? 0 : -ENOMEM;
	for (size_t a = 0; a < s->naxes && !rc; a++)
		rc = vindex_init(&vx[a], &s->axes[a]);
	if (!rc && !js_char(c, '[', path, msg, msglen))
		rc = -EINVAL;
	for (size_t i = 0; i < np && !rc; i++) {
		if (i && !js_char(c, ',', path, msg, msglen)) {
			rc = -EINVAL;
			break;
		}
		json_t *pt = js_value(c, path, msg, msglen);
		if (!pt) {
			rc = -EINVAL;
			break;
		}
		rc = load_point(s, vx, pt, i, path, msg, msglen);
		json_decref(pt);
		if (!rc)
			s->npoints++;
	}
	for (size_t a = 0; vx && a < s->naxes; a++)
		vindex_fini(&vx[a]);
	free(vx);
	return rc;
}

static int idx_cmp(const struct plot_sweep *s, const size_t *a, const size_t *b)
{
	for (size_t i = 0; i < s->naxes; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Sorts s->order by (indices, position): insertion into runs, then merging, without globals. */
static void sort_points(struct plot_sweep *s, size_t *tmp)
{
	size_t n = s->npoints, *a = s->order, *b = tmp;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				b[o++] = idx_cmp(s, s->points[a[j]].idx, s->points[a[i]].idx) < 0 ? a[j++]
				                                                               : a[i++];
			while (i < mid)
				b[o++] = a[i++];
			while (j < hi)
				b[o++] = a[j++];
		}
		size_t *t = a;
		a = b;
		b = t;
	}
	if (a != s->order)
		memcpy(s->order, a, n * sizeof(size_t));
}

int plot_sweep_load(const char *dir, struct plot_sweep **out, char *msg, size_t msglen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	char *text;
	size_t len;
	int rc = atomicio_read_file(path, &text, &len, PLOT_JSON_MAX_BYTES);
	if (rc < 0) {
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	struct jscan c = {text, len, 0};
	size_t at_axes, at_points;
	if (!js_top(&c, &at_axes, &at_points, path, msg, msglen)) {
		free(text);
		return -EINVAL;
	}
	json_t *axes = NULL;
	struct plot_sweep *s = calloc(1, sizeof(*s));
	size_t *tmp = NULL;
	rc = -ENOMEM;
	if (!s)
		goto out;
	s->dir = strdup(dir);
	s->arena = sarena_new();
	if (!s->dir || !s->arena)
		goto out;
	rc = -EINVAL;
	c.pos = at_axes;
	axes = at_axes == SIZE_MAX ? NULL : js_value(&c, path, msg, msglen);
	c.pos = at_points;
	size_t np = at_points == SIZE_MAX ? SIZE_MAX : js_count(c);
	if ((at_axes != SIZE_MAX && !axes && msg[0]))
		goto out;
	if (!json_is_array(axes) || np == SIZE_MAX) {
		plot__errf(msg, msglen, "%s: want the arrays 'axes' and 'points'", path);
		goto out;
	}
	s->naxes = json_array_size(axes);
	if (s->naxes < 1 || s->naxes > PLOT_SWEEP_MAX_AXES || np < 1 || np > PLOT_SWEEP_MAX_POINTS) {
		plot__errf(msg, msglen, "%s: want 1..%d axes and 1..%d points (got %zu and %zu)", path,
		     PLOT_SWEEP_MAX_AXES, PLOT_SWEEP_MAX_POINTS, s->naxes, np);
		goto out;
	}
	s->axes = sarena_array(s->arena, s->naxes, sizeof(*s->axes));
	s->points = sarena_array(s->arena, np, sizeof(*s->points));
	s->order = sarena_array(s->arena, np, sizeof(*s->order));
	tmp = malloc(np * sizeof(*tmp));
	if (!s->axes || !s->points || !s->order || !tmp) {
		rc = -ENOMEM;
		goto out;
	}
	rc = load_axes(s, axes, path, msg, msglen);
	if (!rc)
		rc = load_points(s, &c, np, path, msg, msglen);
	if (rc)
		goto out;
	for (size_t i = 0; i < s->npoints; i++)
		s->order[i] = i;
	sort_points(s, tmp);
	free(tmp);
	json_decref(axes);
	free(text);
	*out = s;
	return 0;
out:
	free(tmp);
	json_decref(axes);
	free(text);
	if (rc == -ENOMEM)
		plot__errf(msg, msglen, "out of memory reading %s", path);
	plot_sweep_free(s);
	return rc;
}

const struct plot_sweep_point *plot_sweep_find(const struct plot_sweep *s, const size_t *idx)
{
	return plot_sweep_find_counted(s, idx, NULL);
}

const struct plot_sweep_point *plot_sweep_find_counted(const struct plot_sweep *s,
                                                       const size_t *idx, size_t *probes)
{
	size_t lo = 0, hi = s->npoints;
	while (lo < hi) { /* the first in (indices, position) order with indices >= idx */
		size_t mid = lo + (hi - lo) / 2;
		if (probes)
			++*probes;
		if (idx_cmp(s, s->points[s->order[mid]].idx, idx) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->npoints && !idx_cmp(s, s->points[s->order[lo]].idx, idx))
		return &s->points[s->order[lo]];
	return NULL;
}
