/*
 * report_answer: summary.json's issue-17 keys and replications.csv for the
 * report; see report_answer.h.
 */
#include "plots/report_answer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "plots/plot.h"
#include "plots/plot_draw.h"
#include "sim/answer.h"

/* ---- summary.json ---------------------------------------------------------- */

static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

static void jstr(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, key);
	snprintf(buf, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* A STAT object into *st (NaN fields where absent). */
static void jstat(const json_t *o, const char *key, struct stat_summary *st)
{
	const json_t *v = json_object_get(o, key);
	double n = jnum(v, "n");
	st->n = isfinite(n) && n >= 0 ? (size_t)n : 0;
	st->mean = jnum(v, "mean");
	st->sd = jnum(v, "sd");
	st->ci95_lo = jnum(v, "ci95_lo");
	st->ci95_hi = jnum(v, "ci95_hi");
	st->p50 = jnum(v, "p50");
	st->p95 = jnum(v, "p95");
	st->p99 = jnum(v, "p99");
	st->min = jnum(v, "min");
	st->max = jnum(v, "max");
}

static int load_clusters(const json_t *arr, struct report_answer_strategy *x)
{
	static const char *const outcome[5] = {"compliant", "non_compliant", "failed", "blocked",
	                                       "not_started"};
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (!n)
		return 0;
	x->clusters = calloc(n, sizeof(*x->clusters));
	if (!x->clusters)
		return -ENOMEM;
	x->nclusters = n;
	for (size_t c = 0; c < n; c++) {
		const json_t *o = json_array_get(arr, c);
		struct output_cluster *oc = &x->clusters[c];
		jstr(o, "name", oc->name, sizeof(oc->name));
		jstr(o, "blocked", oc->blocked, sizeof(oc->blocked));
		double h = jnum(o, "hosts"), cens = jnum(o, "time_to_compliance_censored");
		oc->hosts = isfinite(h) ? (size_t)h : 0;
		oc->ttc_censored = isfinite(cens) ? (size_t)cens : 0;
		jstat(o, "makespan_s", &oc->makespan_s);
		jstat(o, "time_to_compliance_s", &oc->time_to_compliance_s);
		jstat(o, "exposure_host_hours", &oc->exposure_host_hours);
		jstat(o, "vm_downtime_total_s", &oc->downtime_total_s);
		const json_t *oo = json_object_get(o, "outcomes");
		for (size_t k = 0; k < 5; k++)
			jstat(oo, outcome[k], &oc->outcomes[k]);
		jstat(oo, "unfinished", &oc->unfinished);
	}
	return 0;
}

static void load_intervals(const json_t *o, struct report_answer_strategy *x)
{
	static const char *const names[OUT_H_N] = {"makespan_s", "time_to_compliance_s",
	                                           "exposure_host_hours", "vm_downtime_s.total"};
	if (!json_is_object(o))
		return;
	x->have_intervals = true;
	for (int h = 0; h < OUT_H_N; h++) {
		const json_t *v = json_object_get(o, names[h]);
		struct output_interval *iv = &x->intervals[h];
		iv->mean.lo = jnum(v, "ci95_lo");
		iv->mean.hi = jnum(v, "ci95_hi");
		iv->mean.skewness = jnum(v, "skewness");
		iv->mean.reliable = json_is_true(json_object_get(v, "reliable"));
		const json_t *p95 = json_object_get(v, "p95_ci95"), *p99 = json_object_get(v, "p99_ci95");
		iv->p95_lo = json_is_number(json_array_get(p95, 0)) ? json_number_value(json_array_get(p95, 0)) : (double)NAN;
		iv->p95_hi = json_is_number(json_array_get(p95, 1)) ? json_number_value(json_array_get(p95, 1)) : (double)NAN;
		iv->p99_lo = json_is_number(json_array_get(p99, 0)) ? json_number_value(json_array_get(p99, 0)) : (double)NAN;
		iv->p99_hi = json_is_number(json_array_get(p99, 1)) ? json_number_value(json_array_get(p99, 1)) : (double)NAN;
	}
}

static int load_summary(const char *dir, struct report_answers *a)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	json_t *root = json_load_file(path, 0, NULL);
	const json_t *st = root ? json_object_get(root, "strategies") : NULL;
	int rc = 0;
	for (size_t i = 0; i < a->n && st && rc == 0; i++) {
		struct report_answer_strategy *x = &a->s[i];
		const json_t *o = json_object_get(st, scenario_strategy_name(x->strategy));
		if (!json_is_string(json_object_get(o, "headline")))
			continue;
		x->have = true;
		jstr(o, "headline", x->headline, sizeof(x->headline));
		jstr(o, "blocked", x->blocked, sizeof(x->blocked));
		double w = jnum(o, "whole_estate_patched"), c = jnum(o, "time_to_compliance_censored");
		x->whole_patched = isfinite(w) ? (size_t)w : 0;
		x->ttc_censored = isfinite(c) ? (size_t)c : 0;
		x->makespan_hosts = jnum(json_object_get(o, "makespan_hosts"), "mean");
		jstat(json_object_get(o, "hosts"), "not_started", &x->not_started);
		load_intervals(json_object_get(o, "intervals"), x);
		rc = load_clusters(json_object_get(o, "clusters"), x);
	}
	json_decref(root);
	return rc;
}

/* ---- replications.csv ------------------------------------------------------ */

/* Field k (0-based) of a CSV line without quotes, into buf. */
static bool field(const char *line, size_t k, char *buf, size_t len)
{
	const char *p = line;
	for (size_t i = 0; i < k; i++) {
		p = strchr(p, ',');
		if (!p)
			return false;
		p++;
	}
	size_t n = strcspn(p, ",\r\n");
	if (n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

static int load_replications(const char *dir, struct report_answers *a)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/replications.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[4096], name[64], v[64];
	int rc = 0;
	/* The header names the column; older layouts are not read. */
	if (!fgets(line, sizeof(line), f) || !field(line, 4, v, sizeof(v)) ||
	    strcmp(v, "estate_makespan_s"))
		goto out;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		if (!field(line, 0, name, sizeof(name)) || !field(line, 4, v, sizeof(v)))
			continue;
		for (size_t i = 0; i < a->n; i++) {
			struct report_answer_strategy *x = &a->s[i];
			if (strcmp(name, scenario_strategy_name(x->strategy)))
				continue;
			double *p = realloc(x->estate_makespan, (x->nvalues + 1) * sizeof(double));
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			x->estate_makespan = p;
			char *end;
			double d = strtod(v, &end);
			p[x->nvalues++] = v[0] && !*end ? d : (double)INFINITY;
		}
	}
out:
	fclose(f);
	return rc;
}

int report_answers_load(const char *dir, const struct output_summary *sum,
                        struct report_answers *a)
{
	memset(a, 0, sizeof(*a));
	a->n = sum->nstrategies < 2 ? sum->nstrategies : 2;
	for (size_t i = 0; i < a->n; i++)
		a->s[i].strategy = sum->strategies[i].strategy;
	int rc = load_summary(dir, a);
	if (rc == 0)
		rc = load_replications(dir, a);
	if (rc < 0)
		report_answers_fini(a);
	return rc;
}

int report_answers_load_ft(const char *dir, long rep, struct report_answers *a)
{
	char path[4096], line[4096], f[4][SCENARIO_MAX_NAME_LEN + 1], rs[32];
	snprintf(path, sizeof(path), "%s/vms.csv", dir);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	int rc = 0;
	char want[32];
	snprintf(want, sizeof(want), "%ld", rep);
	/* the header must have the secondary's column (names hold no comma),
	 * found by its name: columns are added at the end over versions */
	int col = -1;
	if (!fgets(line, sizeof(line), fp))
		goto out;
	for (int i = 0; i < 64 && col < 0 && field(line, i, f[0], sizeof(f[0])); i++)
		if (!strcmp(f[0], "secondary_host_before"))
			col = i;
	if (col < 0)
		goto out;
	while (rc == 0 && fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "live_patch,", 11) || !field(line, 1, rs, sizeof(rs)) ||
		    strcmp(rs, want) || !field(line, 2, f[0], sizeof(f[0])) ||
		    !field(line, 3, f[1], sizeof(f[1])) || !field(line, 4, f[2], sizeof(f[2])) ||
		    !field(line, col, f[3], sizeof(f[3])) || !f[3][0] || !strcmp(f[2], f[3]))
			continue;
		struct report_ft_secondary *p = realloc(a->ft, (a->nft + 1) * sizeof(*p));
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		a->ft = p;
		snprintf(p[a->nft].cluster, sizeof(p->cluster), "%s", f[0]);
		snprintf(p[a->nft].vm, sizeof(p->vm), "%s", f[1]);
		snprintf(p[a->nft].host, sizeof(p->host), "%s", f[3]);
		a->nft++;
	}
out:
	fclose(fp);
	return rc;
}

int report_answers_load_sweep(const char *dir, const struct output_summary *sum, size_t npoints,
                              struct report_answers *a)
{
	memset(a, 0, sizeof(*a));
	a->n = sum->nstrategies < 2 ? sum->nstrategies : 2;
	for (size_t i = 0; i < a->n; i++) {
		a->s[i].strategy = sum->strategies[i].strategy;
		a->s[i].point_bound = malloc((npoints ? npoints : 1) * sizeof(double));
		if (!a->s[i].point_bound) {
			report_answers_fini(a);
			return -ENOMEM;
		}
		a->s[i].npoints = npoints;
		for (size_t k = 0; k < npoints; k++)
			a->s[i].point_bound[k] = (double)NAN;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	json_t *root = json_load_file(path, 0, NULL);
	const json_t *pts = json_object_get(root, "points");
	for (size_t k = 0; k < npoints && k < json_array_size(pts); k++) {
		const json_t *st = json_object_get(json_object_get(json_array_get(pts, k), "summary"),
		                                   "strategies");
		for (size_t i = 0; i < a->n; i++) {
			const json_t *o = json_object_get(st, scenario_strategy_name(a->s[i].strategy));
			const json_t *state = json_object_get(o, "estate_makespan_p95_bound");
			if (!json_is_string(state))
				continue;
			if (!strcmp(json_string_value(state), "never"))
				a->s[i].point_bound[k] = (double)INFINITY;
			else if (!strcmp(json_string_value(state), "bound"))
				a->s[i].point_bound[k] = jnum(o, "estate_makespan_p95_bound_s");
		}
	}
	json_decref(root);
	return 0;
}

void report_answers_fini(struct report_answers *a)
{
	for (size_t i = 0; i < 2; i++)
		free(a->s[i].point_bound);
	free(a->ft);
	for (size_t i = 0; i < 2; i++) {
		free(a->s[i].clusters);
		free(a->s[i].estate_makespan);
	}
	memset(a, 0, sizeof(*a));
}

const struct report_answer_strategy *report_answers_get(const struct report_answers *a,
                                                        enum scenario_strategy s)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->s[i].strategy == s)
			return &a->s[i];
	return NULL;
}

/* ---- the window ------------------------------------------------------------ */

int report_answer_window(char *buf, size_t len, const struct report_answer_strategy *x,
                         const char *label, double window_s, double conf)
{
	char w[64], b[64];
	plot_fmt_duration(w, sizeof(w), window_s);
	if (!x || !x->nvalues) {
		snprintf(buf, len,
		         "%s: whether the whole estate is patched within the %s window cannot be "
		         "checked: the results directory has no replications.csv (run lpsim run "
		         "again).",
		         label, w);
		return -1;
	}
	size_t n = x->nvalues, whole = 0;
	double *v = malloc(n * sizeof(double));
	if (!v) {
		snprintf(buf, len, "%s: out of memory checking the window.", label);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		whole += isfinite(v[i] = x->estate_makespan[i]);
	double bound = answer_quantile_bound(v, n, conf);
	free(v);
	int rc;
	if (whole == 0)
		bound = (double)INFINITY; /* no bound needed: every replication is "never" */
	if (isnan(bound)) {
		snprintf(buf, len,
		         "%s: with %zu replications there is no 95%% upper confidence bound on the "
		         "p%g makespan, so whether the whole estate is patched within the %s window in "
		         "%g%% of windows cannot be shown; run at least %ld replications (lpsim run -r "
		         "%ld), as lpsim plan does.%s",
		         label, n, conf * 100, w, conf * 100, answer_min_replications(conf),
		         answer_min_replications(conf),
		         whole < n ? " Already now: some replications never patch every host." : "");
		rc = -1;
	} else if (isinf(bound)) {
		snprintf(buf, len,
		         "%s does not fit the %s window: the whole estate is patched in only %zu of %zu "
		         "replications%s%s%s.",
		         label, w, whole, n, x->blocked[0] ? " (" : "", x->blocked,
		         x->blocked[0] ? ")" : "");
		rc = 0;
	} else {
		plot_fmt_duration(b, sizeof(b), bound);
		rc = bound <= window_s;
		snprintf(buf, len,
		         "%s %s the %s window: a 95%% upper confidence bound on the p%g of the "
		         "whole-estate makespan is %s (order statistic of %zu replications, the "
		         "criterion lpsim plan uses).",
		         label, rc ? "fits" : "does not fit", w, conf * 100, b, n);
	}
	return rc;
}
