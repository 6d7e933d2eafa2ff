/*
 * Tests of sim/rng: reproducible streams, keys that depend on every input
 * bit, entity ids that depend only on names, and the generator's output
 * (reference values and simple uniformity checks). Reference values were
 * computed with an independent Python transcription of splitmix64
 * (prng.di.unimi.it/splitmix64.c; its seed 1234567 gives the published
 * 6457827717110365317 first) and FNV-1a 64.
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

#include "sim/rng.h"

static void assert_near(const char *what, double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s = %.17g, want %.17g +- %.3g", what, got, want, tol);
}

static int popcount64(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static void test_rng_type_is_splitmix64_with_32_bit_range(void **state)
{
	(void)state;
	gsl_rng *r = rng_new(1);

	assert_non_null(r);
	assert_string_equal(gsl_rng_name(r), "splitmix64");
	assert_int_equal(gsl_rng_max(r), 0xffffffffUL);
	assert_int_equal(gsl_rng_min(r), 0);
	assert_ptr_equal(r->type, rng_type());
	rng_free(r);
	rng_free(NULL);
}

static void test_rng_matches_reference_splitmix64_outputs(void **state)
{
	(void)state;
	const uint64_t keys[2] = {0, UINT64_C(0x0123456789abcdef)};
	const unsigned long want_get[2][4] = {
	    {0xe220a839UL, 0x6e789e6aUL, 0x06c45d18UL, 0xf88bb8a8UL},
	    {0x157a3807UL, 0xd573529bUL, 0x2f90b72eUL, 0xa2d41933UL},
	};
	const double want_double[2][4] = {
	    {0.8833108082136426, 0.43152799704850997, 0.026433771592597743, 0.9708819781538285},
	    {0.08389616190521443, 0.8337909344596774, 0.18580193412474622, 0.6360488653411038},
	};

	gsl_rng *p = rng_new(1234567); /* the reference's published first output */
	assert_non_null(p);
	assert_int_equal(rng_next(p->state), UINT64_C(6457827717110365317));
	assert_int_equal(rng_next(p->state), UINT64_C(3203168211198807973));
	rng_free(p);
	for (int k = 0; k < 2; k++) {
		gsl_rng *r = rng_new(keys[k]);

		assert_non_null(r);
		for (int i = 0; i < 4; i++)
			assert_int_equal(gsl_rng_get(r), want_get[k][i]);
		rng_reseed(r, keys[k]);
		for (int i = 0; i < 4; i++) {
			double u = gsl_rng_uniform(r);

			if (u != want_double[k][i])
				fail_msg("key %d draw %d: %.17g, want %.17g", k, i, u,
				         want_double[k][i]);
		}
		rng_free(r);
	}
}

static void test_rng_same_key_gives_the_same_sequence(void **state)
{
	(void)state;
	gsl_rng *a = rng_new(rng_key(42, 3, 7, 1));
	gsl_rng *b = rng_new(rng_key(42, 3, 7, 1));

	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
	rng_free(a);
	rng_free(b);
}

static void test_rng_reseed_restarts_a_stream_like_a_fresh_generator(void **state)
{
	(void)state;
	gsl_rng *r = rng_new(5);
	gsl_rng *fresh = rng_new(77);
	unsigned long first[16];

	assert_non_null(r);
	assert_non_null(fresh);
	for (int i = 0; i < 16; i++)
		first[i] = gsl_rng_get(r);
	rng_reseed(r, 5);
	for (int i = 0; i < 16; i++)
		assert_int_equal(gsl_rng_get(r), first[i]);
	rng_reseed(r, 77);
	for (int i = 0; i < 16; i++)
		assert_int_equal(gsl_rng_get(r), gsl_rng_get(fresh));
	rng_free(r);
	rng_free(fresh);
}

static void test_rng_gsl_rng_set_positions_like_rng_reseed(void **state)
{
	(void)state;
	gsl_rng *a = gsl_rng_alloc(rng_type());
	gsl_rng *b = rng_new(0);
	const uint64_t key = rng_key(1, 2, 3, 4);

	assert_non_null(a);
	assert_non_null(b);
	/* gsl_rng_alloc positions at GSL's default seed, 0. */
	for (int i = 0; i < 8; i++)
		assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
	if (sizeof(unsigned long) >= sizeof(uint64_t)) {
		gsl_rng_set(a, (unsigned long)key);
		rng_reseed(b, key);
		for (int i = 0; i < 8; i++)
			assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
	}
	gsl_rng_free(a);
	rng_free(b);
}

static void test_rng_key_matches_its_reference_value(void **state)
{
	(void)state;
	/* mix(mix(mix(42) ^ 3) ^ 7 ^ mix(1)), mix the splitmix64 finalizer
	 * with its increment: part of every result, so it must never change
	 * by accident. */
	assert_int_equal(rng_key(42, 3, 7, 1), UINT64_C(0x2eba22465c6bd6de));
}

/* Flipping any single bit of any argument changes the key, and about half its bits. */
static void test_rng_key_depends_on_every_bit_of_every_argument(void **state)
{
	(void)state;
	const uint64_t base[4] = {42, 3, UINT64_C(0x5555aaaa0000ffff), 1};
	const uint64_t k0 = rng_key(base[0], base[1], base[2], base[3]);
	long changed = 0;

	for (int arg = 0; arg < 4; arg++) {
		for (int bit = 0; bit < 64; bit++) {
			uint64_t v[4] = {base[0], base[1], base[2], base[3]};

			v[arg] ^= UINT64_C(1) << bit;
			const uint64_t k = rng_key(v[0], v[1], v[2], v[3]);

			if (k == k0)
				fail_msg("flipping bit %d of argument %d leaves the key unchanged",
				         bit, arg);
			changed += popcount64(k ^ k0);
		}
	}
	/* 256 flips of 64 bits: binomial mean 32, sd of the average 4/16 = 0.25. */
	assert_near("mean key bits changed per input bit", (double)changed / 256.0, 32.0, 1.5);
}

static void test_rng_different_replication_entity_or_purpose_gives_different_draws(void **state)
{
	(void)state;
	const uint64_t keys[] = {
	    rng_key(1, 0, 10, 0), rng_key(1, 1, 10, 0), rng_key(1, 0, 11, 0),
	    rng_key(1, 0, 10, 1), rng_key(2, 0, 10, 0),
	};
	const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
	unsigned long first[sizeof(keys) / sizeof(keys[0])][4];
	gsl_rng *r = rng_new(0);

	assert_non_null(r);
	for (size_t k = 0; k < nkeys; k++) {
		rng_reseed(r, keys[k]);
		for (int i = 0; i < 4; i++)
			first[k][i] = gsl_rng_get(r);
	}
	for (size_t j = 0; j < nkeys; j++) {
		for (size_t k = j + 1; k < nkeys; k++) {
			if (memcmp(first[j], first[k], sizeof(first[j])) == 0)
				fail_msg("streams %zu and %zu start alike", j, k);
		}
	}
	rng_free(r);
}

/* Neighbouring streams (entities 0 and 1) are uncorrelated: |r| < 5/sqrt(n). */
static void test_rng_neighbouring_streams_are_uncorrelated(void **state)
{
	(void)state;
	const int n = 100000;
	gsl_rng *a = rng_new(rng_key(9, 0, 0, 0));
	gsl_rng *b = rng_new(rng_key(9, 0, 1, 0));
	double sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;

	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < n; i++) {
		double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);

		sa += x;
		sb += y;
		sab += x * y;
		saa += x * x;
		sbb += y * y;
	}
	double cov = sab / n - (sa / n) * (sb / n);
	double corr = cov / sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));

	assert_near("correlation", corr, 0.0, 5.0 / sqrt((double)n));
	rng_free(a);
	rng_free(b);
}

static void test_rng_entity_id_is_stable_and_distinguishes_names(void **state)
{
	(void)state;
	const char *names[] = {"",          "a",      "b",           "ab",          "ba",
	                       "esx-1",     "esx-10", "cl-a/esx-01", "cl-b/esx-01", "cl-a/esx-02",
	                       "cl-a/esx-1"};
	const size_t n = sizeof(names) / sizeof(names[0]);

	/* Golden values: FNV-1a 64 (whose "a" is 0xaf63dc4c8601ec8c) then splitmix64's finalizer. */
	assert_int_equal(rng_entity_id("cl-a/esx-01"), UINT64_C(0x67a573ab3bbf77fc));
	assert_int_equal(rng_entity_id(""), UINT64_C(0xc3817c016ba4ff30));

	char copy[] = "cl-a/esx-01";

	assert_int_equal(rng_entity_id(copy), rng_entity_id("cl-a/esx-01"));
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (rng_entity_id(names[i]) == rng_entity_id(names[j]))
				fail_msg("\"%s\" and \"%s\" share an id", names[i], names[j]);
		}
	}
}

/*
 * What the models do: each entity draws from its own stream, keyed by the
 * id of its name. Inserting an entity in the middle of the inventory must
 * leave every other entity's draws bit-identical.
 */
#define DRAWS 8

static void draw_for(gsl_rng *r, const char *const *names, size_t n, double out[][DRAWS])
{
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < DRAWS; k++) {
			/* One reseed per draw, as a model does: purpose k. */
			rng_reseed(r, rng_key(42, 0, rng_entity_id(names[i]), (uint64_t)k));
			out[i][k] = gsl_rng_uniform(r);
		}
	}
}

static void test_rng_adding_an_entity_leaves_other_entities_draws_unchanged(void **state)
{
	(void)state;
	const char *const before[] = {"cl/esx-01", "cl/esx-02", "cl/esx-03", "cl/esx-04"};
	const char *const after[] = {"cl/esx-01", "cl/esx-02", "cl/esx-new", "cl/esx-03",
	                             "cl/esx-04"};
	double d0[4][DRAWS], d1[5][DRAWS];
	gsl_rng *r = rng_new(0);

	assert_non_null(r);
	draw_for(r, before, 4, d0);
	draw_for(r, after, 5, d1);
	for (size_t i = 0; i < 4; i++) {
		size_t j = i < 2 ? i : i + 1;

		assert_string_equal(before[i], after[j]);
		assert_memory_equal(d0[i], d1[j], sizeof(d0[i]));
	}
	/* And the new entity does not merely copy a neighbour. */
	assert_memory_not_equal(d1[2], d1[1], sizeof(d1[2]));
	assert_memory_not_equal(d1[2], d1[3], sizeof(d1[2]));
	rng_free(r);
}

static void test_rng_uniform_doubles_lie_in_0_1_with_mean_one_half(void **state)
{
	(void)state;
	const int n = 1000000;
	gsl_rng *r = rng_new(rng_key(3, 1, 4, 1));
	double sum = 0, sum2 = 0;

	assert_non_null(r);
	for (int i = 0; i < n; i++) {
		double u = gsl_rng_uniform(r);

		if (!(u >= 0 && u < 1))
			fail_msg("draw %d = %.17g is outside [0, 1)", i, u);
		sum += u;
		sum2 += u * u;
	}
	double mean = sum / n, var = sum2 / n - mean * mean;

	/* U(0,1): variance 1/12; the sample variance's variance is (1/80 - 1/144)/n. */
	assert_near("mean", mean, 0.5, 5 * sqrt(1.0 / 12 / n));
	assert_near("variance", var, 1.0 / 12, 5 * sqrt((1.0 / 80 - 1.0 / 144) / n));
	rng_free(r);
}

/* Chi-square over 256 cells of the top and of the bottom byte of gsl_rng_get. */
static void test_rng_get_is_uniform_over_its_high_and_low_bytes(void **state)
{
	(void)state;
	const int n = 256 * 2000;
	long hi[256] = {0}, lo[256] = {0};
	gsl_rng *r = rng_new(rng_key(8, 0, 0, 2));

	assert_non_null(r);
	for (int i = 0; i < n; i++) {
		unsigned long x = gsl_rng_get(r);

		assert_true(x <= 0xffffffffUL);
		hi[x >> 24]++;
		lo[x & 0xff]++;
	}
	double chi_hi = 0, chi_lo = 0, e = n / 256.0;

	for (int c = 0; c < 256; c++) {
		chi_hi += (hi[c] - e) * (hi[c] - e) / e;
		chi_lo += (lo[c] - e) * (lo[c] - e) / e;
	}
	/* 255 degrees of freedom: mean 255, sd sqrt(510) ~ 22.6; accept within 5 sd. */
	assert_near("chi-square of the high byte", chi_hi, 255, 5 * sqrt(510.0));
	assert_near("chi-square of the low byte", chi_lo, 255, 5 * sqrt(510.0));
	rng_free(r);
}

/* The inverse of an odd a modulo 2^64 (Newton: each step doubles the correct bits). */
static uint64_t inverse_mod64(uint64_t a)
{
	uint64_t x = a;

	for (int i = 0; i < 6; i++)
		x *= 2 - a * x;
	return x;
}

/*
 * How models use streams: one or two draws from each of many keys. The
 * first draws of the streams of entities 0..n-1 are uniform (chi-square
 * over 100 bins, below its 0.999 quantile), and uncorrelated with the next
 * entity's, with the same entity's next purpose and with the same
 * entity's in the next replication (|r| < 5/sqrt(n)): the entity, the
 * purpose and the replication are xored before the last finalizer, so
 * each of these pairs of keys differs by a fixed word.
 */
static void test_rng_first_draws_of_keyed_streams_are_uniform_and_independent(void **state)
{
	(void)state;
	enum { N = 100000, BINS = 100 };
	gsl_rng *r = rng_new(0);
	double *u = malloc(N * sizeof(double)), *w = malloc(N * sizeof(double));
	double *x = malloc(N * sizeof(double));
	long bin[BINS] = {0};

	assert_non_null(r);
	assert_non_null(u);
	assert_non_null(w);
	assert_non_null(x);
	for (int i = 0; i < N; i++) {
		rng_reseed(r, rng_key(3, 0, (uint64_t)i, 7));
		u[i] = gsl_rng_uniform(r);
		rng_reseed(r, rng_key(3, 0, (uint64_t)i, 8));
		w[i] = gsl_rng_uniform(r);
		rng_reseed(r, rng_key(3, 1, (uint64_t)i, 7));
		x[i] = gsl_rng_uniform(r);
		bin[(int)(u[i] * BINS)]++;
	}
	double chi2 = 0, e = (double)N / BINS;
	for (int b = 0; b < BINS; b++)
		chi2 += (bin[b] - e) * (bin[b] - e) / e;
	if (!(chi2 < 148.2)) /* chi-square, 99 degrees of freedom, 0.999 quantile */
		fail_msg("chi-square %.1f over %d bins", chi2, BINS);
	static const char *const what[3] = {"correlation across entities",
					    "correlation across purposes",
					    "correlation across replications"};
	for (int k = 0; k < 3; k++) {
		const double *a = u, *b = k == 0 ? u + 1 : k == 1 ? w : x;
		int n = k ? N : N - 1;
		double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
		for (int i = 0; i < n; i++) {
			sa += a[i];
			sb += b[i];
			sab += a[i] * b[i];
			saa += a[i] * a[i];
			sbb += b[i] * b[i];
		}
		double cov = sab / n - (sa / n) * (sb / n);
		double corr = cov / sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
		assert_near(what[k], corr, 0.0, 5.0 / sqrt((double)n));
	}
	free(u);
	free(w);
	free(x);
	rng_free(r);
}

/* Inverts x ^= x >> k. */
static uint64_t unxorshift(uint64_t y, int k)
{
	uint64_t x = y;

	for (int i = 0; i < 64 / k + 1; i++)
		x = y ^ (x >> k);
	return x;
}

/*
 * White box: craft the state (one uint64_t, a counter; the output is
 * rng_mix64 of it, the splitmix64 finalizer of counter + the golden gamma)
 * so that the next 64-bit output is all ones, by running the finalizer
 * backwards. The double (its upper 53 bits times 2^-53) must still be < 1,
 * 1 - 2^-53 exactly, and the 32-bit output (its upper half) the maximum.
 */
static void test_rng_uniform_stays_below_one_for_the_largest_output(void **state)
{
	(void)state;
	gsl_rng *r = rng_new(0);

	assert_non_null(r);
	assert_int_equal(gsl_rng_size(r), sizeof(uint64_t));
	/* The counter whose output is all ones: the finalizer run backwards. */
	uint64_t z = unxorshift(UINT64_MAX, 31) * inverse_mod64(UINT64_C(0x94d049bb133111eb));
	z = unxorshift(z, 27) * inverse_mod64(UINT64_C(0xbf58476d1ce4e5b9));
	z = unxorshift(z, 30) - RNG_GOLDEN_GAMMA;
	uint64_t *s = gsl_rng_state(r);

	*s = z;
	assert_int_equal(rng_mix64(z), UINT64_MAX);
	double u = gsl_rng_uniform(r);

	assert_true(u < 1.0);
	assert_true(u == 1.0 - 0x1.0p-53);
	*s = z;
	assert_int_equal(gsl_rng_get(r), 0xffffffffUL);
	rng_free(r);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rng_type_is_splitmix64_with_32_bit_range),
	    cmocka_unit_test(test_rng_matches_reference_splitmix64_outputs),
	    cmocka_unit_test(test_rng_same_key_gives_the_same_sequence),
	    cmocka_unit_test(test_rng_reseed_restarts_a_stream_like_a_fresh_generator),
	    cmocka_unit_test(test_rng_gsl_rng_set_positions_like_rng_reseed),
	    cmocka_unit_test(test_rng_key_matches_its_reference_value),
	    cmocka_unit_test(test_rng_key_depends_on_every_bit_of_every_argument),
	    cmocka_unit_test(
	        test_rng_different_replication_entity_or_purpose_gives_different_draws),
	    cmocka_unit_test(test_rng_neighbouring_streams_are_uncorrelated),
	    cmocka_unit_test(test_rng_first_draws_of_keyed_streams_are_uniform_and_independent),
	    cmocka_unit_test(test_rng_entity_id_is_stable_and_distinguishes_names),
	    cmocka_unit_test(test_rng_adding_an_entity_leaves_other_entities_draws_unchanged),
	    cmocka_unit_test(test_rng_uniform_doubles_lie_in_0_1_with_mean_one_half),
	    cmocka_unit_test(test_rng_get_is_uniform_over_its_high_and_low_bytes),
	    cmocka_unit_test(test_rng_uniform_stays_below_one_for_the_largest_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
