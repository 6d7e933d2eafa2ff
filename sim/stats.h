/*
 * stats: the STAT object of RESULTS.md, summary statistics of a sample
 * (one value per replication, or per VM or stun event).
 *
 * A struct stat_summary (not `struct stat`, which <sys/stat.h> owns) is
 * plain data computed once from the values. Writing it as JSON is
 * deterministic (same values, same bytes), so results are identical
 * whatever the number of threads or ranks. Undefined statistics (every
 * field of an empty sample, the interval of a single value) are NaN and
 * written as JSON null.
 */
#ifndef LPSIM_STATS_H
#define LPSIM_STATS_H

#include <stddef.h>
#include <stdio.h>

struct stat_summary {
	size_t n;       /* number of values */
	double mean;    /* arithmetic mean */
	double sd;      /* sample standard deviation (divisor n - 1); 0 when n == 1 */
	double ci95_lo; /* Student-t 95% interval of the mean: mean -/+ t(0.975, n-1) sd/sqrt(n) */
	double ci95_hi; /* NaN when n < 2 */
	double p50;     /* quantiles, linear interpolation between order statistics */
	double p95;
	double p99;
	double min;
	double max;
};

/*
 * Statistics of x[0..n-1] into *st, in time linear in n. Reorders x in
 * place (the caller's array, borrowed; selection of the quantiles leaves
 * it partly ordered, not sorted). The results depend only on the multiset
 * of values: any order of the same values gives the same bits. The mean
 * is the exact sum divided by n, rounded once (so n copies of v have mean
 * v); sd is sqrt(S / (n - 1)) with S the exact sum of the squared
 * deviations from that mean, each squared in double. n == 0: st->n = 0 and
 * every other field NaN. n == 1: sd = 0 and the interval NaN. Quantile q is
 * what GSL's gsl_stats_quantile_from_sorted_data gives on the sorted values
 * (R's type 7): with h = (n - 1) q, (1 - d) x(floor h) + d x(floor h + 1),
 * d = h - floor h, x(k) the k-th smallest. Order statistics rank -0 below
 * +0. Infinite values are accepted: the mean is their infinity (NaN if both
 * signs occur), sd and the interval NaN. Returns 0, or -EINVAL if x is NULL
 * with n > 0 or any x[i] is NaN; on error *st and x are unchanged.
 */
int stat_of(struct stat_summary *st, double *x, size_t n);

/*
 * Statistics of the paired differences a[i] - b[i], i < n, as stat_of
 * (e.g. live patch minus classic, replication by replication). a and b are
 * borrowed and only read; scratch (n doubles, the caller's) receives the
 * differences, in some order. scratch may be a or b itself (which then ends
 * up holding the differences). Returns 0 or -EINVAL (a NULL array with n > 0,
 * or a NaN difference, such as inf - inf); on error nothing is written.
 */
int stat_of_diff(struct stat_summary *st, const double *a, const double *b, double *scratch,
                 size_t n);

/*
 * Writes *st to f as one JSON object, keys in RESULTS.md order:
 * {"n":8,"mean":5,"sd":...,"ci95_lo":...,"ci95_hi":...,"p50":...,"p95":...,
 * "p99":...,"min":...,"max":...}. No spaces or newline. Numbers are printed
 * with %.17g, so they read back as the same double; NaN and infinities are
 * null. Assumes the C locale for numbers (lpsim never calls setlocale).
 * Returns 0, or -EIO if a write fails (errors the stream reports only at
 * fflush/fclose remain the caller's to check).
 */
int stat_write_json(FILE *f, const struct stat_summary *st);

/*
 * An interval of the mean that keeps its coverage better than Student's t
 * on skewed outputs (rare failures dominate VM downtime), and a flag for
 * when even it should not be trusted.
 *
 * method "bootstrap-t" (studentized bootstrap, Efron and Tibshirani, "An
 * Introduction to the Bootstrap", ch. 12): STAT_BOOT_RESAMPLES resamples
 * of the n values drawn with a fixed seed (STAT_BOOT_SEED, so results stay
 * bit-identical), t* = (mean* - mean) / (sd* / sqrt n) over the resamples
 * whose sd* > 0, and [mean - t*(0.975) se, mean - t*(0.025) se]. With
 * n < 2, or every value equal, the t interval is kept (NaN, or zero width);
 * below STAT_RELIABLE_MIN_N values too (resamples of a handful of values
 * are often nearly constant, and t* explodes), flagged unreliable; and from
 * STAT_BOOT_MAX_N values on (B n draws would dominate a large run's
 * summary; the coverage study shows the intervals converging by then).
 * skewness is the sample skewness g1 (NaN when n < 3 or sd = 0).
 * reliable is false when n < STAT_RELIABLE_MIN_N, when |g1| >
 * STAT_RELIABLE_MAX_SKEW, or when at most 2 values carry half of the sum
 * of |x - median| (a rare event seen in few replications): then even the
 * bootstrap-t interval may undercover (the coverage study of
 * tests/test_stats.c measures it).
 */
#define STAT_BOOT_RESAMPLES    1999
#define STAT_BOOT_MAX_N        1000 /* from this many values on, Student's t */
#define STAT_BOOT_SEED         0x6c7073696d2d6274ULL /* "lpsim-bt" */
#define STAT_RELIABLE_MIN_N    10
#define STAT_RELIABLE_MAX_SKEW 1.0

struct stat_interval {
	double lo;       /* 95% interval of the mean (bootstrap-t) */
	double hi;
	double skewness; /* sample skewness g1 */
	int reliable;    /* 1, or 0 (see above) */
};

/*
 * The interval of the mean of x[0..n-1] (borrowed, only read; the result
 * depends on the order of the values, which callers keep fixed:
 * replication order). No NaN or infinity in x. Returns 0, or -ENOMEM.
 */
int stat_interval_of(struct stat_interval *out, const double *x, size_t n);

/*
 * The distribution-free 95% confidence interval of the q-quantile from
 * order statistics (x sorted ascending, n values): [x(l), x(u)], l and u
 * the ranks with P(l <= Binomial(n, q) < u) >= 0.95 as nearly symmetric
 * as the binomial allows. NaN bounds where n is too small for one side.
 */
void stat_quantile_ci(const double *sorted, size_t n, double q, double *lo, double *hi);

#endif
