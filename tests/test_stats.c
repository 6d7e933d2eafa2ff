/*
 * Tests of sim/stats: a STAT against values computed by hand, the edge
 * cases (no value, one value, NaN, infinities), paired differences, and
 * the exact bytes of the JSON object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>

#include <cmocka.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_errno.h>

#include "sim/stats.h"

static void assert_near(const char *what, double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s = %.17g, want %.17g +- %.3g", what, got, want, tol);
}

/* *st as the JSON text stat_write_json gives; the caller frees. */
static char *json_of(const struct stat_summary *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(stat_write_json(f, st), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/*
 * x = {2,4,4,4,5,5,7,9}, given unsorted. By hand: mean 40/8 = 5; squared
 * deviations 9+1+1+1+0+0+4+16 = 32, sd = sqrt(32/7); t(0.975, 7) =
 * 2.364624252, half-width t sd / sqrt(8) = 1.787487918; quantile q at
 * h = 7q between sorted x[floor h] and x[floor h + 1]: p50 h = 3.5 ->
 * (4+5)/2 = 4.5, p95 h = 6.65 -> 7 + 0.65*2 = 8.3, p99 h = 6.93 -> 8.86.
 */
static void test_stat_of_matches_hand_computed_values(void **state)
{
	(void)state;
	double x[] = {9, 4, 2, 5, 4, 7, 4, 5};
	struct stat_summary st;

	assert_int_equal(stat_of(&st, x, 8), 0);
	assert_int_equal(st.n, 8);
	assert_near("mean", st.mean, 5, 1e-15);
	assert_near("sd", st.sd, sqrt(32.0 / 7), 1e-15);
	assert_near("ci95_lo", st.ci95_lo, 5 - 1.787487918, 1e-9);
	assert_near("ci95_hi", st.ci95_hi, 5 + 1.787487918, 1e-9);
	assert_near("p50", st.p50, 4.5, 1e-15);
	assert_near("p95", st.p95, 8.3, 1e-14);
	assert_near("p99", st.p99, 8.86, 1e-14);
	assert_true(st.min == 2);
	assert_true(st.max == 9);
	/* The array is sorted in place. */
	const double sorted[] = {2, 4, 4, 4, 5, 5, 7, 9};

	assert_memory_equal(x, sorted, sizeof(x));
}

/*
 * n = 10001 values, 5001 of -1 and 5000 of +1: mean -1/n, sd^2 =
 * (n - n mean^2)/(n - 1) = (n + 1)/n; t(0.975, 10000) = 1.9602012398906
 * (mpmath), close to the normal's 1.959964.
 */
static void test_stat_of_interval_uses_the_t_quantile_of_n_minus_1_degrees(void **state)
{
	(void)state;
	enum { n = 10001 };
	static double x[n];

	for (int i = 0; i < n; i++)
		x[i] = i % 2 ? 1 : -1;
	struct stat_summary st;

	assert_int_equal(stat_of(&st, x, n), 0);
	const double mean = -1.0 / n, sd = sqrt((n + 1.0) / n);

	assert_near("mean", st.mean, mean, 1e-15);
	assert_near("sd", st.sd, sd, 1e-12);
	assert_near("ci95 half-width", (st.ci95_hi - st.ci95_lo) / 2,
	            1.9602012398906 * sd / sqrt(n), 1e-12);
	assert_near("ci95 centre", (st.ci95_hi + st.ci95_lo) / 2, mean, 1e-15);
	assert_true(st.p50 == -1);
}

static void test_stat_of_no_values_gives_n_0_and_every_field_nan(void **state)
{
	(void)state;
	struct stat_summary st = {.n = 99};

	assert_int_equal(stat_of(&st, NULL, 0), 0);
	assert_int_equal(st.n, 0);
	const double f[] = {st.mean, st.sd,  st.ci95_lo, st.ci95_hi, st.p50,
	                    st.p95,  st.p99, st.min,     st.max};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!isnan(f[i]))
			fail_msg("field %zu = %.17g, want NaN", i, f[i]);
	}
}

static void test_stat_of_one_value_gives_sd_0_and_no_interval(void **state)
{
	(void)state;
	double x[] = {3.25};
	struct stat_summary st;

	assert_int_equal(stat_of(&st, x, 1), 0);
	assert_int_equal(st.n, 1);
	assert_true(st.mean == 3.25);
	assert_true(st.sd == 0);
	assert_true(isnan(st.ci95_lo));
	assert_true(isnan(st.ci95_hi));
	assert_true(st.p50 == 3.25 && st.p95 == 3.25 && st.p99 == 3.25);
	assert_true(st.min == 3.25 && st.max == 3.25);
}

static void test_stat_of_rejects_nan_and_null_and_changes_nothing(void **state)
{
	(void)state;
	double x[] = {3, NAN, 1};
	struct stat_summary st = {.n = 7, .mean = 1.5};

	assert_int_equal(stat_of(&st, x, 3), -EINVAL);
	assert_int_equal(st.n, 7);
	assert_true(st.mean == 1.5);
	assert_true(x[0] == 3 && isnan(x[1]) && x[2] == 1); /* not sorted */
	assert_int_equal(stat_of(&st, NULL, 2), -EINVAL);
	assert_int_equal(st.n, 7);
}

static void test_stat_of_accepts_infinities_and_reports_them(void **state)
{
	(void)state;
	double x[] = {1, INFINITY, 2};
	struct stat_summary st;

	assert_int_equal(stat_of(&st, x, 3), 0);
	assert_true(isinf(st.max) && st.max > 0);
	assert_true(st.min == 1);
	assert_true(isinf(st.mean) && st.mean > 0);
}

/* Results depend on the values, not their order: the same bits for any permutation. */
static void test_stat_of_gives_identical_bits_for_any_input_order(void **state)
{
	(void)state;
	enum { n = 1000 };
	static double a[n], b[n];
	uint64_t s = 88172645463325252u;

	for (int i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		a[i] = (double)(s % 1000003) / 7.0;
	}
	for (int i = 0; i < n; i++)
		b[i] = a[n - 1 - i];
	struct stat_summary sa, sb;

	assert_int_equal(stat_of(&sa, a, n), 0);
	assert_int_equal(stat_of(&sb, b, n), 0);
	assert_memory_equal(&sa, &sb, sizeof(sa));
}

/* Large arrays take the radix sort: the same STAT as GSL's own sort gives. */
static void test_stat_of_large_arrays_match_a_gsl_sorted_reference(void **state)
{
	(void)state;
	enum { n = 100000 };
	double *a = malloc(n * sizeof(double)), *ref = malloc(n * sizeof(double));
	uint64_t s = 0x2545F4914F6CDD1Du;
	for (int i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		switch (s % 8) {
		case 0:
			a[i] = 0.0;
			break;
		case 1:
			a[i] = -(double)(s % 1000) * 1e-3; /* negatives, -0 among them */
			break;
		case 2:
			a[i] = (double)(s >> 11) * 1e-300; /* tiny and subnormal */
			break;
		default:
			a[i] = (double)(s % 1000003) / 7.0;
			break;
		}
	}
	a[17] = INFINITY;
	a[99] = -INFINITY;
	memcpy(ref, a, n * sizeof(double));
	gsl_sort(ref, 1, n);
	struct stat_summary st;
	assert_int_equal(stat_of(&st, a, n), 0);
	for (int i = 1; i < n; i++)
		assert_true(a[i - 1] <= a[i]);
	assert_true(st.min == ref[0] && st.max == ref[n - 1]);
	assert_true(st.p50 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.50));
	assert_true(st.p95 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.95));
	assert_true(st.p99 == gsl_stats_quantile_from_sorted_data(ref, 1, n, 0.99));
	free(a);
	free(ref);
}

/* a - b = {2, 0, -1, 4}: mean 5/4, sorted {-1, 0, 2, 4}, p50 = 1. */
static void test_stat_of_diff_summarises_paired_differences(void **state)
{
	(void)state;
	const double a[] = {10, 12, 9, 6};
	const double b[] = {8, 12, 10, 2};
	double scratch[4];
	struct stat_summary st;

	assert_int_equal(stat_of_diff(&st, a, b, scratch, 4), 0);
	assert_int_equal(st.n, 4);
	assert_near("mean", st.mean, 1.25, 1e-15);
	/* deviations 0.75, -1.25, -2.25, 2.75: squares sum to 14.75 */
	assert_near("sd", st.sd, sqrt(14.75 / 3), 1e-15);
	assert_true(st.p50 == 1);
	assert_true(st.min == -1 && st.max == 4);
	assert_true(a[0] == 10 && b[3] == 2); /* inputs untouched */

	const double inf[] = {INFINITY};

	assert_int_equal(stat_of_diff(&st, inf, inf, scratch, 1), -EINVAL); /* inf - inf */
	assert_int_equal(stat_of_diff(&st, a, NULL, scratch, 4), -EINVAL);
	assert_int_equal(stat_of_diff(&st, a, b, NULL, 4), -EINVAL);
}

static void test_stat_write_json_prints_keys_in_order_with_round_trip_numbers(void **state)
{
	(void)state;
	const struct stat_summary st = {
	    .n = 3,
	    .mean = 0.1,
	    .sd = 1.0 / 3,
	    .ci95_lo = NAN,
	    .ci95_hi = INFINITY,
	    .p50 = -0.0,
	    .p95 = 1e300,
	    .p99 = 2.5,
	    .min = -INFINITY,
	    .max = 42,
	};
	char *s = json_of(&st);

	assert_string_equal(s,
	                    "{\"n\":3,\"mean\":0.10000000000000001,\"sd\":0.33333333333333331,"
	                    "\"ci95_lo\":null,\"ci95_hi\":null,\"p50\":-0,"
	                    "\"p95\":1.0000000000000001e+300,\"p99\":2.5,\"min\":null,\"max\":42}");
	/* %.17g reads back as the same double. */
	assert_true(strtod("0.33333333333333331", NULL) == 1.0 / 3);
	free(s);
}

static void test_stat_write_json_of_one_and_no_values(void **state)
{
	(void)state;
	double x[] = {3};
	struct stat_summary st;

	assert_int_equal(stat_of(&st, x, 1), 0);
	char *s = json_of(&st);

	assert_string_equal(s, "{\"n\":1,\"mean\":3,\"sd\":0,\"ci95_lo\":null,\"ci95_hi\":null,"
	                       "\"p50\":3,\"p95\":3,\"p99\":3,\"min\":3,\"max\":3}");
	free(s);
	assert_int_equal(stat_of(&st, NULL, 0), 0);
	s = json_of(&st);
	assert_string_equal(s, "{\"n\":0,\"mean\":null,\"sd\":null,\"ci95_lo\":null,"
	                       "\"ci95_hi\":null,\"p50\":null,\"p95\":null,\"p99\":null,"
	                       "\"min\":null,\"max\":null}");
	free(s);
}

static void test_stat_write_json_reports_a_failed_write(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/null", "r"); /* writes fail on a read-only stream */
	struct stat_summary st;

	assert_non_null(f);
	assert_int_equal(stat_of(&st, NULL, 0), 0);
	assert_int_equal(stat_write_json(f, &st), -EIO);
	fclose(f);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stat_of_matches_hand_computed_values),
	    cmocka_unit_test(test_stat_of_interval_uses_the_t_quantile_of_n_minus_1_degrees),
	    cmocka_unit_test(test_stat_of_no_values_gives_n_0_and_every_field_nan),
	    cmocka_unit_test(test_stat_of_one_value_gives_sd_0_and_no_interval),
	    cmocka_unit_test(test_stat_of_rejects_nan_and_null_and_changes_nothing),
	    cmocka_unit_test(test_stat_of_accepts_infinities_and_reports_them),
	    cmocka_unit_test(test_stat_of_gives_identical_bits_for_any_input_order),
	    cmocka_unit_test(test_stat_of_large_arrays_match_a_gsl_sorted_reference),
	    cmocka_unit_test(test_stat_of_diff_summarises_paired_differences),
	    cmocka_unit_test(test_stat_write_json_prints_keys_in_order_with_round_trip_numbers),
	    cmocka_unit_test(test_stat_write_json_of_one_and_no_values),
	    cmocka_unit_test(test_stat_write_json_reports_a_failed_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
