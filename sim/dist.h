/*
 * dist: the latency distributions of SCENARIO.md, sampled from GSL.
 *
 * A struct dist is plain data, built once (by the scenario loader or a
 * test) and then shared read-only by every replication: sampling never
 * changes it. Parameters are stored in their canonical form (lognormal as
 * mu/sigma, gamma as shape/scale); the dist_*() constructors convert from
 * the other forms SCENARIO.md allows. Every value is in seconds.
 */
#ifndef LPSIM_DIST_H
#define LPSIM_DIST_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

enum dist_kind {
	DIST_CONSTANT,    /* a = value */
	DIST_UNIFORM,     /* a = min, b = max */
	DIST_EXPONENTIAL, /* a = mean */
	DIST_NORMAL,      /* a = mean, b = sd; truncated to >= 0 */
	DIST_LOGNORMAL,   /* a = mu, b = sigma: ln(X) ~ N(mu, sigma^2) */
	DIST_GAMMA,       /* a = shape, b = scale */
	DIST_WEIBULL,     /* a = shape, b = scale */
	DIST_EMPIRICAL,   /* samples[0..nsamples-1], one chosen uniformly */
};

struct dist {
	enum dist_kind kind;
	double a;               /* first parameter, see enum dist_kind */
	double b;               /* second parameter, see enum dist_kind */
	double offset;          /* constant added to every sample */
	const double *samples;  /* DIST_EMPIRICAL only; borrowed, outlives the dist */
	size_t nsamples;
};

/* z such that P(N(0,1) <= z) = 0.95: the lognormal median/p95 form uses it. */
#define DIST_Z95 1.6448536269514722

/* Constructors: return the distribution; they do not validate (see dist_check). */
struct dist dist_constant(double value);
struct dist dist_uniform(double min, double max);
struct dist dist_exponential(double mean);
struct dist dist_normal(double mean, double sd);
struct dist dist_lognormal(double mu, double sigma);
struct dist dist_lognormal_median_p95(double median, double p95); /* mu = ln median, sigma = ln(p95/median)/z95 */
struct dist dist_gamma(double shape, double scale);
struct dist dist_gamma_mean_cv(double mean, double cv);          /* shape = 1/cv^2, scale = mean*cv^2 */
struct dist dist_weibull(double shape, double scale);
struct dist dist_empirical(const double *samples, size_t n);

/*
 * Returns NULL when the parameters make sense, else a static English
 * phrase saying what is wrong ("sd must be >= 0"). The loader turns it
 * into a file:line:col message.
 */
const char *dist_check(const struct dist *d);

/* One sample (seconds, >= 0 for every valid dist with offset >= 0). */
double dist_sample(const struct dist *d, gsl_rng *r);

/* Closed-form mean and variance of the distribution as sampled (truncation included). */
double dist_mean(const struct dist *d);
double dist_variance(const struct dist *d);

#endif
