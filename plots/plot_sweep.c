/*
 * plot_sweep: reading sweep.json; see plot_sweep.h. The whole document is
 * parsed by jansson (a sweep of 100,000 points is some 700 MB of JSON;
 * real sweeps are far smaller), then each point's summary goes through
 * the same reader as a run's summary.json.
 */
#include "plots/plot_sweep.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
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
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!root) {
		plot__errf(msg, msglen, "%s:%d:%d: not valid JSON: %s", path, je.line, je.column, je.text);
		return -EINVAL;
	}
	struct plot_sweep *s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(root);
		return -ENOMEM;
	}
	rc = -ENOMEM;
	s->dir = strdup(dir);
	s->arena = sarena_new();
	if (!s->dir || !s->arena)
		goto out;
	rc = -EINVAL;
	const json_t *axes = json_object_get(root, "axes");
	const json_t *points = json_object_get(root, "points");
	if (!json_is_array(axes) || !json_is_array(points)) {
		plot__errf(msg, msglen, "%s: want the arrays 'axes' and 'points'", path);
		goto out;
	}
	s->naxes = json_array_size(axes);
	size_t np = json_array_size(points);
	if (s->naxes < 1 || s->naxes > PLOT_SWEEP_MAX_AXES || np < 1 || np > PLOT_SWEEP_MAX_POINTS) {
		plot__errf(msg, msglen, "%s: want 1..%d axes and 1..%d points (got %zu and %zu)", path,
		     PLOT_SWEEP_MAX_AXES, PLOT_SWEEP_MAX_POINTS, s->naxes, np);
		goto out;
	}
	s->axes = sarena_array(s->arena, s->naxes, sizeof(*s->axes));
	s->points = sarena_array(s->arena, np, sizeof(*s->points));
	if (!s->axes || !s->points) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t a = 0; a < s->naxes; a++) {
		const json_t *ax = json_array_get(axes, a);
		const json_t *p = json_object_get(ax, "path"), *vals = json_object_get(ax, "values");
		struct plot_sweep_axis *A = &s->axes[a];
		if (!json_is_string(p) || !json_is_array(vals) || json_array_size(vals) < 1) {
			plot__errf(msg, msglen, "%s: axes[%zu]: want a 'path' string and a non-empty 'values' array",
			     path, a);
			goto out;
		}
		A->path = sarena_strdup(s->arena, json_string_value(p));
		A->nvalues = json_array_size(vals);
		A->values = sarena_array(s->arena, A->nvalues, sizeof(char *));
		A->num = sarena_array(s->arena, A->nvalues, sizeof(double));
		if (!A->path || !A->values || !A->num) {
			rc = -ENOMEM;
			goto out;
		}
		A->numeric = true;
		for (size_t v = 0; v < A->nvalues; v++) {
			char t[256];
			if (!value_text(json_array_get(vals, v), t, sizeof(t), &A->num[v])) {
				plot__errf(msg, msglen, "%s: axes[%zu].values[%zu] is not a scalar", path, a, v);
				goto out;
			}
			A->values[v] = sarena_strdup(s->arena, t);
			if (!A->values[v]) {
				rc = -ENOMEM;
				goto out;
			}
			A->numeric = A->numeric && isfinite(A->num[v]);
		}
	}
	for (size_t i = 0; i < np; i++) {
		const json_t *pt = json_array_get(points, i);
		const json_t *params = json_object_get(pt, "params");
		const json_t *sum = json_object_get(pt, "summary");
		struct plot_sweep_point *P = &s->points[i];
		if (!json_is_object(params) || !json_is_object(sum)) {
			plot__errf(msg, msglen, "%s: points[%zu]: want the objects 'params' and 'summary'", path, i);
			goto out;
		}
		P->idx = sarena_array(s->arena, s->naxes, sizeof(size_t));
		if (!P->idx) {
			rc = -ENOMEM;
			goto out;
		}
		for (size_t a = 0; a < s->naxes; a++) {
			const json_t *v = json_object_get(params, s->axes[a].path);
			char t[256];
			double num;
			if (!v || !value_text(v, t, sizeof(t), &num)) {
				plot__errf(msg, msglen, "%s: points[%zu]: 'params' lacks '%s'", path, i,
				     s->axes[a].path);
				goto out;
			}
			size_t k = 0;
			for (; k < s->axes[a].nvalues; k++)
				if (!strcmp(s->axes[a].values[k], t) ||
				    (isfinite(num) && num == s->axes[a].num[k]))
					break;
			if (k == s->axes[a].nvalues) {
				plot__errf(msg, msglen, "%s: points[%zu]: '%s' = '%s' is not one of the axis' values",
				     path, i, s->axes[a].path, t);
				goto out;
			}
			P->idx[a] = k;
		}
		char where[4200];
		snprintf(where, sizeof(where), "%s: points[%zu].summary", path, i);
		int r = plot__summary_from_json(sum, where, &P->sum, msg, msglen);
		if (r < 0) {
			rc = r;
			goto out;
		}
		s->npoints++;
	}
	json_decref(root);
	*out = s;
	return 0;
out:
	json_decref(root);
	if (rc == -ENOMEM)
		plot__errf(msg, msglen, "out of memory reading %s", path);
	plot_sweep_free(s);
	return rc;
}

const struct plot_sweep_point *plot_sweep_find(const struct plot_sweep *s, const size_t *idx)
{
	for (size_t i = 0; i < s->npoints; i++)
		if (!memcmp(s->points[i].idx, idx, s->naxes * sizeof(size_t)))
			return &s->points[i];
	return NULL;
}
