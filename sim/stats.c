/*
 * stats: STAT objects from arrays of doubles, with GSL's statistics.
 *
 * The input is validated before anything is touched, so a rejected call
 * leaves both the array and the result as they were. The results depend
 * only on the multiset of values up to the summation order of the mean,
 * which follows the sorted order: equal inputs in any order give the same
 * bits.
 */
#include "sim/stats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* The bits of a non-NaN double as an unsigned key in the same order. */
static inline uint64_t key_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u ^ (UINT64_C(1) << 63);
}

static inline double double_of(uint64_t k)
{
	uint64_t u = (k >> 63) ? k ^ (UINT64_C(1) << 63) : ~k;
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

/*
 * Sorts x ascending. Large arrays (millions of per-VM downtimes pooled over
 * replications) go through an LSD radix sort on the doubles' bits, 8 bits
 * a pass, skipping the passes where every key has the same byte: linear
 * time, where GSL's heapsort took most of a large run. Small arrays, or no
 * memory for the second buffer, use gsl_sort. -0 sorts before +0.
 */
static void sort_doubles(double *x, size_t n)
{
	uint64_t *a = n >= 4096 ? malloc(n * sizeof(*a)) : NULL;
	uint64_t *b = a ? malloc(n * sizeof(*b)) : NULL;
	if (!b) {
		free(a);
		gsl_sort(x, 1, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = key_of(x[i]);
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xff) + 1]++;
		if (count[((a[0] >> shift) & 0xff) + 1] == n)
			continue; /* every key has this byte: the pass changes nothing */
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xff]++] = a[i];
		uint64_t *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = double_of(a[i]);
	free(a);
	free(b);
}

static void stat_empty(struct stat_summary *st)
{
	*st = (struct stat_summary){
	    .n = 0,
	    .mean = NAN,
	    .sd = NAN,
	    .ci95_lo = NAN,
	    .ci95_hi = NAN,
	    .p50 = NAN,
	    .p95 = NAN,
	    .p99 = NAN,
	    .min = NAN,
	    .max = NAN,
	};
}

int stat_of(struct stat_summary *st, double *x, size_t n)
{
	if (n > 0 && !x)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			return -EINVAL;
	}
	stat_empty(st);
	if (n == 0)
		return 0;

	/* Sorting first makes the mean's summation order independent of the input order. */
	sort_doubles(x, n);
	st->n = n;
	st->mean = gsl_stats_mean(x, 1, n);
	st->min = x[0];
	st->max = x[n - 1];
	st->p50 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.50);
	st->p95 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.95);
	st->p99 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.99);
	if (n == 1) {
		st->sd = 0;
		return 0;
	}
	st->sd = gsl_stats_sd_m(x, 1, n, st->mean);

	const double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * st->sd / sqrt((double)n);

	st->ci95_lo = st->mean - half;
	st->ci95_hi = st->mean + half;
	return 0;
}

int stat_of_diff(struct stat_summary *st, const double *a, const double *b, double *scratch,
                 size_t n)
{
	if (n > 0 && (!a || !b || !scratch))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (isnan(a[i] - b[i]))
			return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		scratch[i] = a[i] - b[i];
	return stat_of(st, scratch, n);
}

/* Writes `,"key":value`; returns 0 or -EIO. */
static int put_number(FILE *f, const char *key, double v)
{
	int rc;

	if (isfinite(v))
		rc = fprintf(f, ",\"%s\":%.17g", key, v);
	else
		rc = fprintf(f, ",\"%s\":null", key);
	return rc < 0 ? -EIO : 0;
}

int stat_write_json(FILE *f, const struct stat_summary *st)
{
	const struct {
		const char *key;
		double v;
	} fields[] = {
	    {"mean", st->mean},       {"sd", st->sd},   {"ci95_lo", st->ci95_lo},
	    {"ci95_hi", st->ci95_hi}, {"p50", st->p50}, {"p95", st->p95},
	    {"p99", st->p99},         {"min", st->min}, {"max", st->max},
	};

	if (fprintf(f, "{\"n\":%zu", st->n) < 0)
		return -EIO;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (put_number(f, fields[i].key, fields[i].v) < 0)
			return -EIO;
	}
	return fputc('}', f) == EOF ? -EIO : 0;
}
