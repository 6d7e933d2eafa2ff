/*
 * Tests of sim/dist: for each distribution, the closed-form mean and
 * variance against values written out by hand, and the sample mean and
 * variance of N draws against the same values.
 *
 * Tolerances come from the sample size. The sample mean of N draws has
 * standard error sqrt(var/N); the sample variance has standard error
 * sqrt((mu4 - var^2)/N) = var * sqrt((kurtosis - 1)/N), with mu4 the
 * fourth central moment. Both must lie within 5 standard errors (a correct
 * implementation fails one such check with probability below 1e-6; the
 * seeds are fixed, so the outcome is deterministic anyway). Kurtoses are
 * the distributions' own, in closed form; for the truncated normal we use
 * the bound 9: its kurtosis lies between about 2.9 and 9 for every
 * truncation point (3 untruncated, 9 in the limit where it becomes an
 * exponential; checked with mpmath over alpha in [-10, 100]).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/dist.h"
#include "sim/rng.h"

#define N                        200000
#define TRUNCNORM_KURTOSIS_BOUND 9.0

static void assert_near(const char *what, double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s = %.17g, want %.17g +- %.3g", what, got, want, tol);
}

/* Relative closeness for closed forms: 1e-12 of the value (absolute near 0). */
static void assert_close(const char *what, double got, double want)
{
	assert_near(what, got, want, 1e-12 * fmax(1.0, fabs(want)));
}

/* N draws of d from stream `seed` into a new array (caller frees). */
static double *draw(const struct dist *d, uint64_t seed)
{
	double *x = malloc(N * sizeof(*x));
	gsl_rng *r = rng_new(rng_key(seed, 0, 0, 0));

	assert_non_null(x);
	assert_non_null(r);
	for (size_t i = 0; i < N; i++)
		x[i] = dist_sample(d, r);
	rng_free(r);
	return x;
}

/*
 * Checks d: dist_check accepts it; dist_mean and dist_variance equal the
 * hand-written mean and var; N samples are finite and >= 0, and their mean
 * and variance agree with mean and var within 5 standard errors.
 */
static void check_moments(const struct dist *d, uint64_t seed, double mean, double var,
                          double kurtosis)
{
	assert_null(dist_check(d));
	assert_close("dist_mean", dist_mean(d), mean);
	assert_close("dist_variance", dist_variance(d), var);

	double *x = draw(d, seed);

	for (size_t i = 0; i < N; i++) {
		if (!(isfinite(x[i]) && x[i] >= 0))
			fail_msg("sample %zu = %.17g", i, x[i]);
	}
	double m = gsl_stats_mean(x, 1, N);
	double v = gsl_stats_variance_m(x, 1, N, m);

	assert_near("sample mean", m, mean, 5 * sqrt(var / N));
	assert_near("sample variance", v, var, 5 * var * sqrt((kurtosis - 1) / N));
	free(x);
}

static void test_dist_constant_always_returns_its_value(void **state)
{
	(void)state;
	struct dist d = dist_constant(3.5);
	gsl_rng *r = rng_new(1);

	assert_null(dist_check(&d));
	assert_non_null(r);
	for (int i = 0; i < 1000; i++)
		assert_true(dist_sample(&d, r) == 3.5);
	assert_true(dist_mean(&d) == 3.5);
	assert_true(dist_variance(&d) == 0);
	rng_free(r);
}

static void test_dist_uniform_matches_its_moments_and_range(void **state)
{
	(void)state;
	struct dist d = dist_uniform(2, 10);

	/* (a+b)/2, (b-a)^2/12, kurtosis 9/5 */
	check_moments(&d, 11, 6.0, 64.0 / 12, 1.8);

	double *x = draw(&d, 12);

	for (size_t i = 0; i < N; i++)
		assert_true(x[i] >= 2 && x[i] <= 10);
	free(x);
}

static void test_dist_exponential_matches_its_moments(void **state)
{
	(void)state;
	struct dist d = dist_exponential(2);

	check_moments(&d, 13, 2.0, 4.0, 9.0);
}

static void test_dist_normal_far_above_zero_is_the_plain_normal(void **state)
{
	(void)state;
	struct dist d = dist_normal(10, 2);

	/* Truncation 5 sd below the mean moves the moments by ~3e-6 (mpmath), the kurtosis less. */
	check_moments(&d, 14, 10.00000297343988181, 3.9999702655923405572, 3.0);
}

/* Closed forms below were computed with mpmath at 40 digits: mu + sd*lambda etc. */
static void test_dist_normal_truncated_by_rejection_matches_the_closed_form(void **state)
{
	(void)state;
	const double pi = 3.14159265358979323846;
	struct dist half = dist_normal(0, 1); /* acceptance 1/2: the half-normal */
	struct dist d = dist_normal(-0.5, 1); /* acceptance 0.309 */

	check_moments(&half, 15, sqrt(2 / pi), 1 - 2 / pi, TRUNCNORM_KURTOSIS_BOUND);
	check_moments(&d, 16, 0.64107777036806448088, 0.26848040715587894618,
	              TRUNCNORM_KURTOSIS_BOUND);
}

static void test_dist_normal_truncated_by_inversion_matches_the_closed_form(void **state)
{
	(void)state;
	struct dist a = dist_normal(-1, 1); /* acceptance 0.159 */
	struct dist b = dist_normal(-3, 2); /* acceptance 0.0668 */
	struct dist c = dist_normal(-3, 1); /* acceptance 0.00135 */

	check_moments(&a, 17, 0.52513527616098120909, 0.19909766557034879155,
	              TRUNCNORM_KURTOSIS_BOUND);
	check_moments(&b, 18, 0.8773543332450863789, 0.59818637420081078125,
	              TRUNCNORM_KURTOSIS_BOUND);
	check_moments(&c, 19, 0.28309865493043650693, 0.070559186785268116862,
	              TRUNCNORM_KURTOSIS_BOUND);
}

/* Mean 50 sd below zero: acceptance 1e-545, far below what a double holds. */
static void test_dist_normal_with_mean_far_below_zero_neither_hangs_nor_goes_negative(void **state)
{
	(void)state;
	struct dist d = dist_normal(-50, 1);
	struct dist e = dist_normal(-1e6, 3);

	check_moments(&d, 20, 0.019984031905639809412, 0.00039904318680389954791,
	              TRUNCNORM_KURTOSIS_BOUND);

	/*
	 * alpha = 333333.3: the asymptotic series mean = sd (1/alpha - 2/alpha^3 + ...),
	 * variance = sd^2 (1/alpha^2 - 6/alpha^4 + ...), next terms 1e-22 relative.
	 */
	const double alpha = 1e6 / 3, a2 = alpha * alpha;

	check_moments(&e, 21, 3 * (1 - 2 / a2) / alpha, 9 * (1 - 6 / a2) / a2,
	              TRUNCNORM_KURTOSIS_BOUND);

	/* alpha = 1e9: the law is Exp(rate alpha/sd) to double precision. */
	struct dist f = dist_normal(-1e9, 1);

	check_moments(&f, 22, 1e-9, 1e-18, TRUNCNORM_KURTOSIS_BOUND);

	/* Absurd truncations still return at once, >= 0 and finite. */
	const struct dist absurd[] = {dist_normal(-1e200, 1), dist_normal(-1, 1e-300),
	                              dist_normal(-5, 1e-310), dist_normal(-1e300, 1e-300)};
	gsl_rng *r = rng_new(23);

	assert_non_null(r);
	for (size_t k = 0; k < sizeof(absurd) / sizeof(absurd[0]); k++) {
		assert_null(dist_check(&absurd[k]));
		assert_true(dist_mean(&absurd[k]) >= 0 && dist_mean(&absurd[k]) < 1e-100);
		for (int i = 0; i < 1000; i++) {
			double x = dist_sample(&absurd[k], r);

			if (!(x >= 0 && x < 1e-100))
				fail_msg("case %zu draw %d = %.17g", k, i, x);
		}
	}
	rng_free(r);
}

static void test_dist_normal_with_zero_sd_is_its_mean(void **state)
{
	(void)state;
	struct dist d = dist_normal(4, 0);
	gsl_rng *r = rng_new(22);

	assert_null(dist_check(&d));
	assert_non_null(r);
	assert_true(dist_sample(&d, r) == 4);
	assert_true(dist_mean(&d) == 4);
	assert_true(dist_variance(&d) == 0);
	rng_free(r);
}

static void test_dist_lognormal_matches_its_moments(void **state)
{
	(void)state;
	const double s2 = 0.25;
	struct dist d = dist_lognormal(0.5, 0.5);

	/* exp(mu + s^2/2), (exp(s^2) - 1) exp(2 mu + s^2), kurtosis e^4s2 + 2e^3s2 + 3e^2s2 - 3 */
	check_moments(&d, 35, exp(0.5 + s2 / 2), (exp(s2) - 1) * exp(1 + s2),
	              exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3);
}

/*
 * The sample q-quantile has standard error sqrt(q (1-q) / N) / f(x_q), f
 * the density: lognormal f(x) = phi((ln x - mu)/sigma) / (x sigma).
 */
static void test_dist_lognormal_median_p95_gives_that_median_and_p95(void **state)
{
	(void)state;
	const double median = 10, p95 = 30;
	struct dist d = dist_lognormal_median_p95(median, p95);
	const double sigma = log(3) / DIST_Z95;

	assert_close("mu", d.a, log(10));
	assert_close("sigma", d.b, sigma);
	assert_null(dist_check(&d));

	double *x = draw(&d, 24);

	gsl_sort(x, 1, N);
	double f50 = gsl_ran_ugaussian_pdf(0) / (median * sigma);
	double f95 = gsl_ran_ugaussian_pdf(DIST_Z95) / (p95 * sigma);

	assert_near("sample median", gsl_stats_quantile_from_sorted_data(x, 1, N, 0.5), median,
	            5 * sqrt(0.5 * 0.5 / N) / f50);
	assert_near("sample p95", gsl_stats_quantile_from_sorted_data(x, 1, N, 0.95), p95,
	            5 * sqrt(0.95 * 0.05 / N) / f95);
	free(x);
}

static void test_dist_gamma_matches_its_moments_for_shapes_above_and_below_one(void **state)
{
	(void)state;
	struct dist a = dist_gamma(2.5, 1.5);
	struct dist b = dist_gamma(0.5, 2);

	/* k theta, k theta^2, kurtosis 3 + 6/k */
	check_moments(&a, 25, 2.5 * 1.5, 2.5 * 1.5 * 1.5, 3 + 6 / 2.5);
	check_moments(&b, 26, 1.0, 2.0, 3 + 6 / 0.5);
}

static void test_dist_gamma_mean_cv_gives_that_mean_and_cv(void **state)
{
	(void)state;
	struct dist d = dist_gamma_mean_cv(4, 0.5);

	assert_close("shape", d.a, 4);
	assert_close("scale", d.b, 1);
	/* mean 4, sd = cv * mean = 2 */
	check_moments(&d, 27, 4.0, 4.0, 3 + 6 / 4.0);
}

/* Weibull raw moments: E X^j = scale^j G(1 + j/shape). */
static void test_dist_weibull_matches_its_moments(void **state)
{
	(void)state;
	const double k = 1.5, l = 2;
	double m[5];

	for (int j = 0; j < 5; j++)
		m[j] = pow(l, j) * tgamma(1 + j / k);
	const double var = m[2] - m[1] * m[1];
	const double mu4 = m[4] - 4 * m[3] * m[1] + 6 * m[2] * m[1] * m[1] - 3 * pow(m[1], 4);
	struct dist d = dist_weibull(k, l);

	/* mpmath: 2 G(5/3) = 1.8054905859018672226, 4 (G(7/3) - G(5/3)^2) = 1.5027611392557280087 */
	assert_close("mean by hand", m[1], 1.8054905859018672226);
	assert_close("variance by hand", var, 1.5027611392557280087);
	check_moments(&d, 28, m[1], var, mu4 / (var * var));

	/* Shape 1 is the exponential with mean = scale (catches swapped parameters). */
	struct dist e = dist_weibull(1, 3);

	check_moments(&e, 29, 3.0, 9.0, 9.0);
}

static void test_dist_empirical_picks_only_its_samples_uniformly(void **state)
{
	(void)state;
	static const double samples[] = {1, 2, 5, 7};
	struct dist d = dist_empirical(samples, 4);
	long count[4] = {0};
	gsl_rng *r = rng_new(30);

	/* mean 15/4; deviations -2.75, -1.75, 1.25, 3.25; population moments */
	const double var = (2.75 * 2.75 + 1.75 * 1.75 + 1.25 * 1.25 + 3.25 * 3.25) / 4;
	const double mu4 = (pow(2.75, 4) + pow(1.75, 4) + pow(1.25, 4) + pow(3.25, 4)) / 4;

	assert_close("variance by hand", var, 5.6875);
	check_moments(&d, 31, 3.75, var, mu4 / (var * var));
	assert_non_null(r);
	for (int i = 0; i < N; i++) {
		double x = dist_sample(&d, r);
		int hit = -1;

		for (int j = 0; j < 4; j++) {
			if (x == samples[j])
				hit = j;
		}
		if (hit < 0)
			fail_msg("draw %d = %.17g is not one of the samples", i, x);
		count[hit]++;
	}
	/* Each count is binomial(N, 1/4). */
	for (int j = 0; j < 4; j++)
		assert_near("count", (double)count[j], N / 4.0, 5 * sqrt(N * 0.25 * 0.75));
	rng_free(r);
}

static void test_dist_offset_shifts_every_sample_and_the_mean_but_not_the_variance(void **state)
{
	(void)state;
	struct dist d = dist_exponential(2);
	struct dist o = d;

	o.offset = 5;
	check_moments(&o, 32, 7.0, 4.0, 9.0);

	gsl_rng *r = rng_new(33);
	gsl_rng *s = rng_new(33);

	assert_non_null(r);
	assert_non_null(s);
	for (int i = 0; i < 1000; i++)
		assert_true(dist_sample(&o, r) == dist_sample(&d, s) + 5);
	assert_true(dist_mean(&o) == dist_mean(&d) + 5);
	assert_true(dist_variance(&o) == dist_variance(&d));
	rng_free(r);
	rng_free(s);
}

/* The same stream gives the same draws: a dist is read-only data. */
static void test_dist_sampling_is_reproducible_from_the_stream(void **state)
{
	(void)state;
	struct dist d = dist_gamma(2, 3);
	const struct dist copy = d;
	gsl_rng *r = rng_new(34);
	double first[32];

	assert_non_null(r);
	for (int i = 0; i < 32; i++)
		first[i] = dist_sample(&d, r);
	rng_reseed(r, 34);
	for (int i = 0; i < 32; i++)
		assert_true(dist_sample(&d, r) == first[i]);
	assert_memory_equal(&d, &copy, sizeof(d));
	rng_free(r);
}

static void test_dist_check_rejects_each_bad_parameter_set(void **state)
{
	(void)state;
	static const double negative[] = {1, -1};
	static const double not_finite[] = {1, NAN};
	struct dist neg_offset = dist_exponential(1);
	struct dist inf_offset = dist_constant(1);
	struct dist unknown = dist_constant(1);

	neg_offset.offset = -1;
	inf_offset.offset = INFINITY;
	unknown.kind = (enum dist_kind)99;
	const struct {
		struct dist d;
		const char *why;
	} bad[] = {
	    {dist_constant(-1), "value must be >= 0"},
	    {dist_constant(NAN), "value must be finite"},
	    {dist_uniform(5, 2), "max must be >= min"},
	    {dist_uniform(-1, 2), "min must be >= 0"},
	    {dist_uniform(0, INFINITY), "min and max must be finite"},
	    {dist_exponential(0), "mean must be > 0"},
	    {dist_exponential(-1), "mean must be > 0"},
	    {dist_exponential(INFINITY), "mean must be finite"},
	    {dist_normal(1, -1), "sd must be >= 0"},
	    {dist_normal(NAN, 1), "mean must be finite"},
	    {dist_normal(1, INFINITY), "sd must be finite"},
	    {dist_normal(-1, 0), "mean must be >= 0 when sd is 0"},
	    {dist_lognormal(0, -0.1), "sigma must be >= 0"},
	    {dist_lognormal(0, NAN), "sigma must be finite"},
	    {dist_lognormal_median_p95(0, 10), "mu must be finite"},
	    {dist_gamma(0, 1), "shape must be > 0"},
	    {dist_gamma(1, 0), "scale must be > 0"},
	    {dist_gamma(1, INFINITY), "scale must be finite"},
	    {dist_gamma_mean_cv(1, 0), "shape must be finite"},
	    {dist_weibull(-1, 1), "shape must be > 0"},
	    {dist_weibull(1, -2), "scale must be > 0"},
	    {dist_empirical(NULL, 0), "samples must not be empty"},
	    {dist_empirical(negative, 0), "samples must not be empty"},
	    {dist_empirical(negative, 2), "samples must be >= 0"},
	    {dist_empirical(not_finite, 2), "samples must be finite"},
	    {neg_offset, "offset must be >= 0"},
	    {inf_offset, "offset must be finite"},
	    {unknown, "unknown distribution"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = dist_check(&bad[i].d);

		if (!why || strcmp(why, bad[i].why) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, why ? why : "(null)",
			         bad[i].why);
	}
}

static void test_dist_check_accepts_edge_cases_that_make_sense(void **state)
{
	(void)state;
	static const double zero[] = {0};
	const struct dist good[] = {
	    dist_constant(0),        dist_uniform(3, 3),      dist_normal(-5, 1),
	    dist_normal(0, 0),       dist_lognormal(-2, 0),   dist_gamma(0.01, 100),
	    dist_weibull(0.3, 1e-3), dist_empirical(zero, 1), dist_lognormal_median_p95(1, 1.5),
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const char *why = dist_check(&good[i]);

		if (why)
			fail_msg("case %zu rejected: %s", i, why);
		assert_true(isfinite(dist_mean(&good[i])) && dist_mean(&good[i]) >= 0);
		assert_true(isfinite(dist_variance(&good[i])) && dist_variance(&good[i]) >= 0);
	}
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dist_constant_always_returns_its_value),
	    cmocka_unit_test(test_dist_uniform_matches_its_moments_and_range),
	    cmocka_unit_test(test_dist_exponential_matches_its_moments),
	    cmocka_unit_test(test_dist_normal_far_above_zero_is_the_plain_normal),
	    cmocka_unit_test(test_dist_normal_truncated_by_rejection_matches_the_closed_form),
	    cmocka_unit_test(test_dist_normal_truncated_by_inversion_matches_the_closed_form),
	    cmocka_unit_test(
	        test_dist_normal_with_mean_far_below_zero_neither_hangs_nor_goes_negative),
	    cmocka_unit_test(test_dist_normal_with_zero_sd_is_its_mean),
	    cmocka_unit_test(test_dist_lognormal_matches_its_moments),
	    cmocka_unit_test(test_dist_lognormal_median_p95_gives_that_median_and_p95),
	    cmocka_unit_test(test_dist_gamma_matches_its_moments_for_shapes_above_and_below_one),
	    cmocka_unit_test(test_dist_gamma_mean_cv_gives_that_mean_and_cv),
	    cmocka_unit_test(test_dist_weibull_matches_its_moments),
	    cmocka_unit_test(test_dist_empirical_picks_only_its_samples_uniformly),
	    cmocka_unit_test(
	        test_dist_offset_shifts_every_sample_and_the_mean_but_not_the_variance),
	    cmocka_unit_test(test_dist_sampling_is_reproducible_from_the_stream),
	    cmocka_unit_test(test_dist_check_rejects_each_bad_parameter_set),
	    cmocka_unit_test(test_dist_check_accepts_edge_cases_that_make_sense),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
