/*
 * output_extra: the fields of a summary that issue 17 added (headlines,
 * whole-estate counts and bound, intervals, paired differences from a
 * sweep's first point, per-cluster statistics), written as one line of
 * JSON for shard files and read back with jansson, so that a merged
 * summary is the one a single process writes, bit for bit. See
 * output_summary_extra in output.h.
 */
#include "sim/output.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* A JSON number as stat_write_json prints one: %.17g, null when not finite. */
static void json_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

/* A STAT as [n,mean,sd,ci95_lo,ci95_hi,p50,p95,p99,min,max], null for NaN. */
static void pack_stat(FILE *f, const struct stat_summary *st)
{
	const double v[9] = {st->mean, st->sd,  st->ci95_lo, st->ci95_hi, st->p50,
	                     st->p95,  st->p99, st->min,     st->max};
	fprintf(f, "[%zu", st->n);
	for (int i = 0; i < 9; i++) {
		fputc(',', f);
		json_number(f, v[i]);
	}
	fputc(']', f);
}

static bool unpack_stat(const json_t *a, struct stat_summary *st)
{
	if (!json_is_array(a) || json_array_size(a) != 10 || !json_is_integer(json_array_get(a, 0)))
		return false;
	double *v[9] = {&st->mean, &st->sd,  &st->ci95_lo, &st->ci95_hi, &st->p50,
	                &st->p95,  &st->p99, &st->min,     &st->max};
	st->n = (size_t)json_integer_value(json_array_get(a, 0));
	for (int i = 0; i < 9; i++) {
		const json_t *x = json_array_get(a, (size_t)i + 1);
		if (json_is_null(x))
			*v[i] = (double)NAN;
		else if (json_is_number(x))
			*v[i] = json_number_value(x);
		else
			return false;
	}
	return true;
}

/* The cluster STATs in pack order. */
static void cluster_stats(struct output_cluster *c, struct stat_summary **out)
{
	out[0] = &c->makespan_s;
	out[1] = &c->time_to_compliance_s;
	out[2] = &c->exposure_host_hours;
	out[3] = &c->downtime_total_s;
	out[4] = &c->unfinished;
	for (int k = 0; k < 5; k++)
		out[5 + k] = &c->outcomes[k];
}

static void strategy_stats(struct output_strategy *o, struct stat_summary **out)
{
	out[0] = &o->makespan_hosts;
	out[1] = &o->hosts_patched;
	out[2] = &o->hosts_never_compliant;
	out[3] = &o->unfinished;
}

char *output_summary_extra(const struct output_summary *sum)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fputs("[", f);
	for (size_t s = 0; s < sum->nstrategies; s++) {
		struct output_strategy o = sum->strategies[s];
		struct stat_summary *st[10];
		fputs(s ? ",[" : "[", f);
		scan_json_string(f, o.headline);
		fputc(',', f);
		scan_json_string(f, o.blocked);
		fprintf(f, ",%zu,%zu", o.whole_patched, o.ttc_censored);
		strategy_stats(&o, st);
		for (int i = 0; i < 4; i++) {
			fputc(',', f);
			pack_stat(f, st[i]);
		}
		fputs(",[", f);
		for (int h = 0; h < OUT_H_N; h++) {
			const struct output_interval *iv = &o.intervals[h];
			const double v[8] = {iv->mean.lo, iv->mean.hi,     iv->mean.skewness,
			                     iv->mean.reliable, iv->p95_lo, iv->p95_hi,
			                     iv->p99_lo,  iv->p99_hi};
			for (int i = 0; i < 8; i++) {
				if (h || i)
					fputc(',', f);
				json_number(f, v[i]);
			}
		}
		fputc(',', f);
		json_number(f, o.estate_bound_s);
		fprintf(f, ",%d", isnan(o.estate_bound_s) ? 2 : isinf(o.estate_bound_s) ? 1 : 0);
		fprintf(f, "],[%d", o.has_base_diff ? 1 : 0);
		for (int i = 0; i < 2 && o.has_base_diff; i++) {
			fputc(',', f);
			pack_stat(f, &o.base_diff[i]);
		}
		fputs("],[", f);
		for (size_t c = 0; o.clusters && c < o.nclusters; c++) {
			struct output_cluster oc = o.clusters[c];
			fputs(c ? ",[" : "[", f);
			scan_json_string(f, oc.name);
			fputc(',', f);
			scan_json_string(f, oc.blocked);
			fprintf(f, ",%zu,%zu", oc.hosts, oc.ttc_censored);
			cluster_stats(&oc, st);
			for (int i = 0; i < 10; i++) {
				fputc(',', f);
				pack_stat(f, st[i]);
			}
			fputc(']', f);
		}
		fputs("]]", f);
	}
	fputs("]", f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Copies JSON string x into buf (len bytes); false when x is not a string. */
static bool unpack_str(const json_t *x, char *buf, size_t len)
{
	if (!json_is_string(x))
		return false;
	snprintf(buf, len, "%s", json_string_value(x));
	return true;
}

static bool unpack_count(const json_t *x, size_t *out)
{
	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return false;
	*out = (size_t)json_integer_value(x);
	return true;
}

static int unpack_clusters(const json_t *a, struct output_strategy *o)
{
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	if (!json_is_array(a))
		return -EINVAL;
	if (n == 0)
		return 0;
	o->clusters = calloc(n, sizeof(*o->clusters));
	if (!o->clusters)
		return -ENOMEM;
	o->nclusters = n;
	for (size_t c = 0; c < n; c++) {
		const json_t *x = json_array_get(a, c);
		struct output_cluster *oc = &o->clusters[c];
		struct stat_summary *st[10];
		cluster_stats(oc, st);
		bool good = json_is_array(x) && json_array_size(x) == 14 &&
		            unpack_str(json_array_get(x, 0), oc->name, sizeof(oc->name)) &&
		            unpack_str(json_array_get(x, 1), oc->blocked, sizeof(oc->blocked)) &&
		            unpack_count(json_array_get(x, 2), &oc->hosts) &&
		            unpack_count(json_array_get(x, 3), &oc->ttc_censored);
		for (int i = 0; i < 10 && good; i++)
			good = unpack_stat(json_array_get(x, 4 + (size_t)i), st[i]);
		if (!good)
			return -EINVAL;
	}
	return 0;
}

static int unpack_intervals(const json_t *a, struct output_strategy *o)
{
	if (!json_is_array(a) || json_array_size(a) != 8 * OUT_H_N + 2 ||
	    !json_is_integer(json_array_get(a, 8 * OUT_H_N + 1)))
		return -EINVAL;
	const json_t *bv = json_array_get(a, 8 * OUT_H_N);
	switch (json_integer_value(json_array_get(a, 8 * OUT_H_N + 1))) {
	case 0:
		if (!json_is_number(bv))
			return -EINVAL;
		o->estate_bound_s = json_number_value(bv);
		break;
	case 1:
		o->estate_bound_s = (double)INFINITY;
		break;
	case 2:
		o->estate_bound_s = (double)NAN;
		break;
	default:
		return -EINVAL;
	}
	for (int h = 0; h < OUT_H_N; h++) {
		struct output_interval *iv = &o->intervals[h];
		double reliable = 0;
		double *v[8] = {&iv->mean.lo, &iv->mean.hi,  &iv->mean.skewness, &reliable,
		                &iv->p95_lo,  &iv->p95_hi,   &iv->p99_lo,        &iv->p99_hi};
		for (int i = 0; i < 8; i++) {
			const json_t *x = json_array_get(a, (size_t)(8 * h + i));
			if (json_is_null(x))
				*v[i] = (double)NAN;
			else if (json_is_number(x))
				*v[i] = json_number_value(x);
			else
				return -EINVAL;
		}
		iv->mean.reliable = reliable == 1;
	}
	return 0;
}

static bool unpack_base_diff(const json_t *a, struct output_strategy *o)
{
	if (!json_is_array(a) || json_array_size(a) < 1 || !json_is_integer(json_array_get(a, 0)))
		return false;
	o->has_base_diff = json_integer_value(json_array_get(a, 0)) == 1;
	if (json_array_size(a) != (o->has_base_diff ? 3u : 1u))
		return false;
	for (size_t i = 0; i < 2 && o->has_base_diff; i++)
		if (!unpack_stat(json_array_get(a, 1 + i), &o->base_diff[i]))
			return false;
	return true;
}

int output_summary_extra_read(struct output_summary *sum, const char *text)
{
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	int rc = -EINVAL;
	if (!json_is_array(root) || json_array_size(root) != sum->nstrategies)
		goto out;
	for (size_t s = 0; s < sum->nstrategies; s++) {
		const json_t *x = json_array_get(root, s);
		struct output_strategy *o = &sum->strategies[s];
		struct stat_summary *st[4];
		strategy_stats(o, st);
		bool good = json_is_array(x) && json_array_size(x) == 11 &&
		            unpack_str(json_array_get(x, 0), o->headline, sizeof(o->headline)) &&
		            unpack_str(json_array_get(x, 1), o->blocked, sizeof(o->blocked)) &&
		            unpack_count(json_array_get(x, 2), &o->whole_patched) &&
		            unpack_count(json_array_get(x, 3), &o->ttc_censored);
		for (int i = 0; i < 4 && good; i++)
			good = unpack_stat(json_array_get(x, 4 + (size_t)i), st[i]);
		if (!good || unpack_intervals(json_array_get(x, 8), o) < 0 ||
		    !unpack_base_diff(json_array_get(x, 9), o))
			goto out;
		rc = unpack_clusters(json_array_get(x, 10), o);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

