/*
 * answer: whole-scope values, the order-statistic bound and the reasons a
 * scope is not wholly patched; see answer.h.
 */
#include "sim/answer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

const char *answer_metric_name(enum answer_metric m)
{
	return m == ANSWER_COMPLIANCE ? "compliance" : "makespan";
}

bool answer_metric_parse(const char *s, enum answer_metric *out)
{
	if (!strcmp(s, "makespan"))
		*out = ANSWER_MAKESPAN;
	else if (!strcmp(s, "compliance"))
		*out = ANSWER_COMPLIANCE;
	else
		return false;
	return true;
}

/* Hosts of cluster x that did not get patched. */
static uint32_t unpatched(const struct rec_cluster *x)
{
	return x->outcomes[REC_FAILED] + x->outcomes[REC_BLOCKED] + x->outcomes[REC_NOT_STARTED] +
	       x->unfinished;
}

static double or_inf(double v)
{
	return isnan(v) ? (double)INFINITY : v;
}

double answer_scope_value(const struct rec *r, enum answer_metric m, size_t scope)
{
	if (scope != ANSWER_ESTATE) {
		if (scope >= r->nclusters)
			return (double)NAN;
		const struct rec_cluster *x = &r->clusters[scope];
		if (m == ANSWER_COMPLIANCE)
			return or_inf(x->time_to_compliance_s);
		return unpatched(x) ? (double)INFINITY : x->makespan_s;
	}
	if (m == ANSWER_COMPLIANCE)
		return or_inf(r->time_to_compliance_s);
	uint32_t bad = r->hosts_failed + r->hosts_blocked + r->hosts_not_started;
	for (size_t c = 0; c < r->nclusters; c++)
		bad += r->clusters[c].unfinished;
	return bad ? (double)INFINITY : r->makespan_s;
}

long answer_min_replications(double q)
{
	return (long)ceil(log(1 - ANSWER_BOUND_LEVEL) / log(q) - 1e-9);
}

size_t answer_bound_rank(size_t n, double q)
{
	for (size_t k = 1; k <= n; k++)
		if (gsl_cdf_binomial_P((unsigned)(k - 1), q, (unsigned)n) >= ANSWER_BOUND_LEVEL)
			return k;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double answer_quantile_bound(double *x, size_t n, double q)
{
	size_t k = answer_bound_rank(n, q);
	if (!k)
		return (double)NAN;
	qsort(x, n, sizeof(double), cmp_double);
	return x[k - 1];
}

/* Appends to buf (len bytes, NUL-terminated) as snprintf would, truncating. */
static void cat(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	if (used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* "tpm, dpu": the names of reason bits. */
static void reason_names(char *buf, size_t len, unsigned bits)
{
	buf[0] = '\0';
	for (unsigned b = 0; b < SCAN_NREASONS; b++)
		if (bits & (1u << b))
			cat(buf, len, "%s%s", buf[0] ? ", " : "", scan_reason_name(1u << b));
}

size_t answer_blocked(char *buf, size_t len, const struct estate *e, const struct scan *scan,
                      size_t scope)
{
	size_t nblocked = 0;
	if (len)
		buf[0] = '\0';
	if (!scan || !len)
		return 0;
	for (size_t c = 0; c < e->nclusters; c++) {
		if (!scan->cluster_blocked[c] || (scope != ANSWER_ESTATE && scope != c))
			continue;
		const struct estate_cluster *ec = &e->clusters[c];
		char cn[SCENARIO_MAX_NAME_LEN + 1], hn[SCENARIO_MAX_NAME_LEN + 1], rs[200];
		estate_cluster_name(e, c, cn, sizeof(cn));
		size_t first = SIZE_MAX, more = 0;
		for (size_t h = ec->host0; h < ec->host0 + ec->nhosts; h++) {
			unsigned bits = scan->host_reasons[h] & ~(unsigned)SCAN_LIVE_PATCH_DISABLED;
			if (!bits)
				continue;
			if (first == SIZE_MAX)
				first = h;
			else
				more++;
		}
		cat(buf, len, "%scluster %s is blocked under enforce", nblocked ? "; " : "", cn);
		if (first != SIZE_MAX) {
			estate_host_name(e, first, hn, sizeof(hn));
			reason_names(rs, sizeof(rs), scan->host_reasons[first]);
			cat(buf, len, " by %s (%s)", hn, rs);
			if (more)
				cat(buf, len, " and %zu more host%s", more, more == 1 ? "" : "s");
		}
		nblocked++;
	}
	return nblocked;
}

/* Hosts of scope in r with outcome o (o == UNFINISHED: still in remediation at the end). */
#define UNFINISHED 99
static uint32_t scope_count(const struct rec *r, size_t scope, int o)
{
	uint32_t n = 0;
	for (size_t c = 0; c < r->nclusters; c++)
		if (scope == ANSWER_ESTATE || scope == c)
			n += o == UNFINISHED ? r->clusters[c].unfinished : r->clusters[c].outcomes[o];
	if (r->nclusters || scope != ANSWER_ESTATE)
		return n;
	switch (o) {
	case REC_FAILED:
		return r->hosts_failed;
	case REC_NOT_STARTED:
		return r->hosts_not_started;
	case REC_COMPLIANT:
		return r->hosts_compliant;
	default:
		return 0;
	}
}

void answer_why(char *buf, size_t len, const struct estate *e, const struct scan *scan,
                const struct rec *recs, size_t n, enum answer_metric m, size_t scope)
{
	static const struct {
		int o;
		const char *what;
	} kinds[] = {
	    {REC_FAILED, "hosts failed"},
	    {REC_NOT_STARTED, "hosts not started"},
	    {UNFINISHED, "hosts still in remediation at the end"},
	    {REC_NON_COMPLIANT, "hosts held non-compliant (VMs not remediated)"},
	};
	if (!len)
		return;
	answer_blocked(buf, len, e, scan, scope);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (kinds[k].o == REC_NON_COMPLIANT && m != ANSWER_COMPLIANCE)
			continue;
		size_t reps = 0;
		for (size_t i = 0; i < n; i++)
			reps += scope_count(&recs[i], scope, kinds[k].o) > 0;
		if (reps)
			cat(buf, len, "%s%s in %zu of %zu replications", buf[0] ? "; " : "",
			    kinds[k].what, reps, n);
	}
}

size_t answer_scope_find(const struct estate *e, const char *name, bool *found)
{
	char cn[SCENARIO_MAX_NAME_LEN + 1];
	*found = !strcmp(name, "estate");
	for (size_t c = 0; c < e->nclusters && !*found; c++) {
		estate_cluster_name(e, c, cn, sizeof(cn));
		if (!strcmp(cn, name)) {
			*found = true;
			return c;
		}
	}
	return ANSWER_ESTATE;
}
