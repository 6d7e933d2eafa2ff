/*
 * dist: sampling and moments of the distributions of SCENARIO.md.
 *
 * Sampling draws from GSL's gsl_ran_* on the caller's generator and adds
 * the offset; it reads the struct dist and changes nothing else. Normal
 * variates, the lognormal's included, come from GSL's ziggurat. Every
 * sample of a dist that passes dist_check is finite and >= 0.
 *
 * The normal is truncated to >= 0. Where the acceptance probability
 * p = P(N(mean, sd) >= 0) is at least 1/4, samples are drawn by rejection;
 * below that, by inversion of the CDF on [0, inf); and where the mean lies
 * more than 35 sd below 0 (p < 1e-268, soon not representable) by
 * Marsaglia's exact tail method, written to return the distance above 0
 * without cancellation (beyond 1e8 sd, the exponential it equals to double
 * precision). All give the same distribution, and none can loop for long:
 * rejection gives up after REJECT_TRIES draws and inverts instead, which
 * is still an exact draw from the truncated law.
 *
 * Means and variances are closed forms. For the truncated normal with
 * alpha = -mean/sd, the inverse Mills ratio lambda = phi(alpha)/Q(alpha)
 * gives mean = mean + sd*lambda and variance = sd^2 (1 + alpha*lambda -
 * lambda^2); for alpha > 2 both are computed from Laplace's continued
 * fraction for lambda - alpha, which avoids the cancellation in those
 * formulas when the normal lies mostly below zero.
 */
#include "sim/dist.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

#define REJECT_TRIES      32
#define REJECT_MIN_ACCEPT 0.25
#define TAIL_FROM         35.0 /* alpha beyond which Q(alpha) < 1e-268 nears underflow */
#define TAIL_TRIES        64
#define EXP_TAIL_FROM     1e8 /* alpha beyond which the tail is Exp(rate alpha) */
#define MILLS_CF_FROM     2.0 /* alpha above which the continued fraction is used */
#define MILLS_CF_TERMS    120 /* enough for 1e-16 at alpha = 2, checked against mpmath */

struct dist dist_constant(double value)
{
	return (struct dist){.kind = DIST_CONSTANT, .a = value};
}

struct dist dist_uniform(double min, double max)
{
	return (struct dist){.kind = DIST_UNIFORM, .a = min, .b = max};
}

struct dist dist_exponential(double mean)
{
	return (struct dist){.kind = DIST_EXPONENTIAL, .a = mean};
}

struct dist dist_normal(double mean, double sd)
{
	return (struct dist){.kind = DIST_NORMAL, .a = mean, .b = sd};
}

struct dist dist_lognormal(double mu, double sigma)
{
	return (struct dist){.kind = DIST_LOGNORMAL, .a = mu, .b = sigma};
}

struct dist dist_lognormal_median_p95(double median, double p95)
{
	return dist_lognormal(log(median), log(p95 / median) / DIST_Z95);
}

struct dist dist_gamma(double shape, double scale)
{
	return (struct dist){.kind = DIST_GAMMA, .a = shape, .b = scale};
}

struct dist dist_gamma_mean_cv(double mean, double cv)
{
	return dist_gamma(1.0 / (cv * cv), mean * cv * cv);
}

struct dist dist_weibull(double shape, double scale)
{
	return (struct dist){.kind = DIST_WEIBULL, .a = shape, .b = scale};
}

struct dist dist_empirical(const double *samples, size_t n)
{
	return (struct dist){.kind = DIST_EMPIRICAL, .samples = samples, .nsamples = n};
}

/* ---- checking ------------------------------------------------------------ */

static const char *check_empirical(const struct dist *d)
{
	if (!d->samples || d->nsamples == 0)
		return "samples must not be empty";
	/* gsl_rng_uniform_int draws an index below the generator's range, 2^32. */
	if (d->nsamples > 0xffffffffUL)
		return "too many samples (at most 4294967295)";
	for (size_t i = 0; i < d->nsamples; i++) {
		if (!isfinite(d->samples[i]))
			return "samples must be finite";
		if (d->samples[i] < 0)
			return "samples must be >= 0";
	}
	return NULL;
}

static const char *check_shape_scale(const struct dist *d)
{
	if (!isfinite(d->a))
		return "shape must be finite";
	if (!(d->a > 0))
		return "shape must be > 0";
	if (!isfinite(d->b))
		return "scale must be finite";
	if (!(d->b > 0))
		return "scale must be > 0";
	return NULL;
}

static const char *check_params(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		if (!isfinite(d->a))
			return "value must be finite";
		if (d->a < 0)
			return "value must be >= 0";
		return NULL;
	case DIST_UNIFORM:
		if (!isfinite(d->a) || !isfinite(d->b))
			return "min and max must be finite";
		if (d->a < 0)
			return "min must be >= 0";
		if (d->b < d->a)
			return "max must be >= min";
		return NULL;
	case DIST_EXPONENTIAL:
		if (!isfinite(d->a))
			return "mean must be finite";
		if (!(d->a > 0))
			return "mean must be > 0";
		return NULL;
	case DIST_NORMAL:
		if (!isfinite(d->a))
			return "mean must be finite";
		if (!isfinite(d->b))
			return "sd must be finite";
		if (d->b < 0)
			return "sd must be >= 0";
		if (d->b == 0 && d->a < 0)
			return "mean must be >= 0 when sd is 0";
		return NULL;
	case DIST_LOGNORMAL:
		if (!isfinite(d->a))
			return "mu must be finite";
		if (!isfinite(d->b))
			return "sigma must be finite";
		if (d->b < 0)
			return "sigma must be >= 0";
		return NULL;
	case DIST_GAMMA:
	case DIST_WEIBULL:
		return check_shape_scale(d);
	case DIST_EMPIRICAL:
		return check_empirical(d);
	}
	return "unknown distribution";
}

const char *dist_check(const struct dist *d)
{
	const char *why = check_params(d);

	if (why)
		return why;
	if (!isfinite(d->offset))
		return "offset must be finite";
	if (d->offset < 0)
		return "offset must be >= 0";
	return NULL;
}

/* ---- sampling ------------------------------------------------------------ */

/*
 * Z - alpha for Z ~ N(0,1) conditioned on Z >= alpha, alpha > TAIL_FROM:
 * Marsaglia's tail method (z = sqrt(alpha^2 - 2 ln V), kept when U z <=
 * alpha), returning z - alpha as (z^2 - alpha^2)/(z + alpha) so that no
 * digits cancel. Beyond EXP_TAIL_FROM the law is Exp(rate alpha) to
 * within 1/alpha^2 < 1e-16 of each density value, and alpha^2 might
 * overflow: draw that instead.
 */
static double truncated_normal_tail_excess(double alpha, gsl_rng *r)
{
	if (alpha <= EXP_TAIL_FROM) {
		/* Acceptance exceeds 1 - 1/alpha^2: TAIL_TRIES failures never happen in practice. */
		for (int i = 0; i < TAIL_TRIES; i++) {
			const double u = gsl_rng_uniform(r);
			const double e = -2 * log(gsl_rng_uniform_pos(r));
			const double z = sqrt(alpha * alpha + e);

			if (u * z <= alpha)
				return e / (z + alpha);
		}
	}
	return gsl_ran_exponential(r, 1 / alpha);
}

/* N(mu, sd) conditioned on >= 0, for sd > 0. */
static double sample_truncated_normal(double mu, double sd, gsl_rng *r)
{
	const double alpha = -mu / sd;
	double x;

	if (alpha > TAIL_FROM) /* mu + sd*alpha is 0: x = sd*(z - alpha) */
		return sd * truncated_normal_tail_excess(alpha, r);

	const double p = gsl_cdf_ugaussian_Q(alpha); /* P(N(mu, sd) >= 0), > 1e-268 */

	if (p >= REJECT_MIN_ACCEPT) {
		for (int i = 0; i < REJECT_TRIES; i++) {
			x = mu + gsl_ran_gaussian_ziggurat(r, sd);
			if (x >= 0)
				return x;
		}
	}
	/* U*p is uniform on (0, p), so Qinv of it is Z | Z > alpha. */
	x = mu + sd * gsl_cdf_ugaussian_Qinv(gsl_rng_uniform_pos(r) * p);
	/* Rounding in mu + sd*z may land an ulp below zero. */
	return x < 0 ? 0 : x;
}

static double sample_base(const struct dist *d, gsl_rng *r)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		return d->a;
	case DIST_UNIFORM:
		return gsl_ran_flat(r, d->a, d->b);
	case DIST_EXPONENTIAL:
		return gsl_ran_exponential(r, d->a);
	case DIST_NORMAL:
		if (d->b > 0)
			return sample_truncated_normal(d->a, d->b, r);
		return d->a < 0 ? 0 : d->a;
	case DIST_LOGNORMAL:
		/* e^(mu + sigma Z), Z by GSL's ziggurat: gsl_ran_lognormal draws Z
		 * by the polar method, which costs a log and a square root more. */
		return exp(d->a + gsl_ran_gaussian_ziggurat(r, d->b));
	case DIST_GAMMA:
		return gsl_ran_gamma(r, d->a, d->b);
	case DIST_WEIBULL:
		return gsl_ran_weibull(r, d->b, d->a); /* GSL takes (scale, shape) */
	case DIST_EMPIRICAL:
		if (!d->samples || d->nsamples == 0)
			return NAN;
		return d->samples[gsl_rng_uniform_int(r, (unsigned long)d->nsamples)];
	}
	return NAN;
}

double dist_sample(const struct dist *d, gsl_rng *r)
{
	return sample_base(d, r) + d->offset;
}

/* ---- moments ------------------------------------------------------------- */

/* Mean and variance of N(mu, sd) conditioned on >= 0, sd > 0; NaNs if GSL fails. */
static void truncated_normal_moments(double mu, double sd, double *mean, double *var)
{
	const double alpha = -mu / sd;

	if (alpha > MILLS_CF_FROM) {
		/*
		 * lambda - alpha = 1/(alpha + g), g = 2/(alpha + 3/(alpha + ...)),
		 * and 1 + alpha*lambda - lambda^2 = (g - (lambda - alpha)) * (lambda - alpha).
		 * mu + sd*alpha is 0, so the mean is sd * (lambda - alpha).
		 */
		double g = 0;

		for (int k = MILLS_CF_TERMS; k >= 2; k--)
			g = k / (alpha + g);
		const double excess = 1 / (alpha + g);

		*mean = sd * excess;
		*var = sd * sd * ((g - excess) * excess);
		return;
	}

	gsl_sf_result lambda;

	if (gsl_sf_hazard_e(alpha, &lambda) != GSL_SUCCESS) {
		*mean = *var = NAN;
		return;
	}
	*mean = mu + sd * lambda.val;
	*var = sd * sd * (1 + alpha * lambda.val - lambda.val * lambda.val);
}

/*
 * Mean and variance of Weibull(shape k, scale l): l*G(1 + 1/k) and
 * l^2 (G(1 + 2/k) - G(1 + 1/k)^2), through log-gamma so that small shapes
 * do not overflow G before the scale brings them back. NaNs if GSL fails.
 */
static void weibull_moments(double k, double l, double *mean, double *var)
{
	gsl_sf_result lg1, lg2;

	if (gsl_sf_lngamma_e(1 + 1 / k, &lg1) != GSL_SUCCESS ||
	    gsl_sf_lngamma_e(1 + 2 / k, &lg2) != GSL_SUCCESS) {
		*mean = *var = NAN;
		return;
	}
	*mean = exp(log(l) + lg1.val);
	*var = -exp(2 * log(l) + lg2.val) * expm1(2 * lg1.val - lg2.val);
}

/* Sample mean and population variance of the samples (two passes). */
static void empirical_moments(const double *x, size_t n, double *mean, double *var)
{
	double sum = 0, ss = 0;

	if (!x || n == 0) {
		*mean = *var = NAN;
		return;
	}
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*var = ss / (double)n;
}

/* Mean and variance without the offset. */
static void moments(const struct dist *d, double *mean, double *var)
{
	const double a = d->a, b = d->b;

	switch (d->kind) {
	case DIST_CONSTANT:
		*mean = a;
		*var = 0;
		return;
	case DIST_UNIFORM:
		*mean = (a + b) / 2;
		*var = (b - a) * (b - a) / 12;
		return;
	case DIST_EXPONENTIAL:
		*mean = a;
		*var = a * a;
		return;
	case DIST_NORMAL:
		if (b > 0) {
			truncated_normal_moments(a, b, mean, var);
		} else {
			*mean = a < 0 ? 0 : a;
			*var = 0;
		}
		return;
	case DIST_LOGNORMAL:
		*mean = exp(a + b * b / 2);
		*var = expm1(b * b) * exp(2 * a + b * b);
		return;
	case DIST_GAMMA:
		*mean = a * b;
		*var = a * b * b;
		return;
	case DIST_WEIBULL:
		weibull_moments(a, b, mean, var);
		return;
	case DIST_EMPIRICAL:
		empirical_moments(d->samples, d->nsamples, mean, var);
		return;
	}
	*mean = *var = NAN;
}

double dist_mean(const struct dist *d)
{
	double mean, var;

	moments(d, &mean, &var);
	return mean + d->offset;
}

double dist_variance(const struct dist *d)
{
	double mean, var;

	moments(d, &mean, &var);
	return var;
}
