/*
 * stats: STAT objects from arrays of doubles, in linear time.
 *
 * The input is validated before anything is touched, so a rejected call
 * leaves both the array and the result as they were. Every result depends
 * only on the multiset of values, never on their order, so equal inputs in
 * any order give the same bits:
 *  - the mean and the variance come from exact sums (a superaccumulator),
 *    each divided and rounded once: there is no summation order to depend
 *    on;
 *  - the quantiles, min and max are order statistics, found by selection
 *    under a total order of the bits (-0 before +0), so even which zero a
 *    quantile is does not depend on the input order.
 * Sorting used to give both, and took most of a large run's summary
 * (millions of pooled per-VM downtimes).
 */
#include "sim/stats.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#define EXP_MASK  (UINT64_C(0x7ff) << 52)
#define MANT_MASK ((UINT64_C(1) << 52) - 1)

static inline uint64_t bits_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

/* The bits of a non-NaN double as an unsigned key in the same order, -0 before +0. */
static inline uint64_t key_of_bits(uint64_t u)
{
	return (u >> 63) ? ~u : u ^ (UINT64_C(1) << 63);
}

static inline uint64_t key_of(double d)
{
	return key_of_bits(bits_of(d));
}

static inline double double_of(uint64_t k)
{
	uint64_t u = (k >> 63) ? k ^ (UINT64_C(1) << 63) : ~k;
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

/*
 * An exact sum of finite doubles (the simple superaccumulator of Neal's
 * "xsum"). A finite double is m 2^(p - 1074), m < 2^53 an integer and
 * 0 <= p <= 2045; it is added as three 32-bit digits into int64 chunks,
 * chunk i weighing 2^(32 (i - ACC_FRAC) - 1074). A chunk moves by less
 * than 2^32 a value, so ACC_BATCH values fit in an int64 before the carries
 * must be propagated (carry_range). The ACC_FRAC chunks below 2^-1074 stay
 * zero while summing: they take the fraction bits of a quotient
 * (acc_div_round). The top chunks leave room for the carries of 2^61 values
 * of 2^1024, more than an array of doubles can hold.
 */
enum {
	ACC_FRAC = 2,
	ACC_CHUNKS = 72,
	ACC_BATCH = 1 << 30,
};

struct acc {
	int64_t c[ACC_CHUNKS];
};

/* Adds the finite double of bits u. */
static inline void acc_add(struct acc *a, uint64_t u)
{
	uint64_t m = u & MANT_MASK;
	unsigned e = (unsigned)(u >> 52) & 0x7ff;

	if (e)
		m |= UINT64_C(1) << 52;
	else
		e = 1; /* subnormal: m 2^-1074, the smallest normal exponent's scale */
	const unsigned p = e - 1, s = p & 31;
	int64_t *c = a->c + (p >> 5) + ACC_FRAC;
	/* Branch-free sign: (d ^ neg) - neg is d or -d; the signs of a sample mix at random. */
	const int64_t neg = -(int64_t)(u >> 63);
	const int64_t d0 = (int64_t)((m << s) & 0xffffffff);
	const int64_t d1 = (int64_t)((m >> (32 - s)) & 0xffffffff);
	const int64_t d2 = (int64_t)(m >> 32 >> (32 - s)); /* m >> (64 - s), defined for s = 0 */

	c[0] += (d0 ^ neg) - neg;
	c[1] += (d1 ^ neg) - neg;
	c[2] += (d2 ^ neg) - neg;
}

static inline unsigned digit_bit(const uint32_t *q, int b)
{
	return (q[b >> 5] >> (b & 31)) & 1;
}

/*
 * Q 2^-(1074 + 32 ACC_FRAC), Q the integer of digits q[0..top] (q[top]
 * not 0) plus a fraction that is not 0 if sticky, rounded to the nearest
 * double, ties to even. Digits below top - 3 must be 0 (their weight is
 * in sticky).
 */
static double round_digits(const uint32_t *q, int top, bool sticky)
{
	const int frac_bits = 32 * ACC_FRAC;

	if (top >= 4) {
		/* At least 2^128 Q units, a normal double: round the top 128 bits. */
		const uint64_t hi = (uint64_t)q[top] << 32 | q[top - 1];
		const uint64_t lo = (uint64_t)q[top - 2] << 32 | q[top - 3];
		const int lz = __builtin_clzll(hi);                      /* < 32: q[top] is not 0 */
		const uint64_t w = lz ? hi << lz | lo >> (64 - lz) : hi; /* top bit set */
		uint64_t mant = w >> 11;

		sticky |= (w & 0x3ff) != 0 || (lo << lz) != 0;
		if ((w >> 10 & 1) && (sticky || (mant & 1)))
			mant++; /* may carry to 2^53 (exact), or overflow to inf as it should */
		return ldexp((double)mant, 32 * (top - 3) + 75 - lz - 1074 - frac_bits);
	}
	/* Small or subnormal: bit by bit. */
	int b = 32 * top + 31;

	while (!digit_bit(q, b))
		b--;
	/* The lowest bit kept: 53 bits below the top, or 2^-1074 for a subnormal. */
	const int lo = b - 52 > frac_bits ? b - 52 : frac_bits;
	uint64_t mant = 0;

	for (int i = b; i >= lo; i--)
		mant = mant << 1 | digit_bit(q, i);
	const int r = lo - 1; /* the rounding bit, >= 0 */
	const bool half = digit_bit(q, r);

	for (int j = 0; j < r >> 5; j++)
		sticky |= q[j] != 0;
	sticky |= (q[r >> 5] & ((UINT32_C(1) << (r & 31)) - 1)) != 0;
	if (half && (sticky || (mant & 1)))
		mant++;
	return ldexp((double)mant, lo - 1074 - frac_bits);
}

/*
 * Propagates the carries of c[lo..hi-1]: they end in [0, 2^32), c[hi]
 * holds the sign. The value is unchanged. int64_t is two's complement, so
 * the mask takes the low digit of negative chunks too, and the division is
 * exact.
 */
static void carry_range(int64_t *c, int lo, int hi)
{
	for (int i = lo; i < hi; i++) {
		const int64_t low = c[i] & 0xffffffff;

		c[i + 1] += (c[i] - low) / ((int64_t)1 << 32);
		c[i] = low;
	}
}

/*
 * The exact sum in *a divided by d > 0, correctly rounded: one rounding,
 * so the mean of n copies of v is v, and any permutation gives the same
 * bits. Only the chunks in use are normalised (a few, for a small sample),
 * then long division by 32-bit digits from the top, stopping once four
 * quotient digits (more than the 54 bits rounding needs) are known; what is
 * left only matters as not zero.
 */
static double acc_div_round(const struct acc *a, uint64_t d)
{
	int64_t c[ACC_CHUNKS];
	uint32_t q[ACC_CHUNKS] = {0};
	int lo = 0, hi = ACC_CHUNKS - 1;

	while (lo < ACC_CHUNKS && a->c[lo] == 0)
		lo++;
	if (lo == ACC_CHUNKS)
		return 0; /* an exact 0 is +0, whatever zeros were summed */
	while (a->c[hi] == 0)
		hi--;
	memcpy(c, a->c, sizeof(c));
	carry_range(c, lo, hi);
	/* The digits below c[hi] are not negative: its sign is the sum's. */
	const bool neg = c[hi] < 0;

	if (neg) {
		for (int i = lo; i <= hi; i++)
			c[i] = -c[i];
		carry_range(c, lo, hi);
	}
	/* The sum is now c[hi] >= 0 over digits: carry c[hi] up into digits too. */
	for (; hi < ACC_CHUNKS - 1 && c[hi] > 0xffffffff; hi++) {
		c[hi + 1] += c[hi] >> 32;
		c[hi] &= 0xffffffff;
	}
	while (hi >= lo && c[hi] == 0)
		hi--;
	if (hi < lo)
		return 0; /* terms that cancel exactly */

	uint64_t rem = 0;
	int first = -1, i;

	for (i = hi; i >= 0; i--) {
		const uint64_t digit = (uint64_t)c[i];

		if (d <= UINT32_MAX) {
			const uint64_t cur = rem << 32 | digit; /* rem < d < 2^32 */

			q[i] = (uint32_t)(cur / d);
			rem = cur % d;
		} else {
			/*
			 * d >= 2^32 (2^32 values): a bit at a time. rem < d, so
			 * 2 rem + 1 < 2^65; when it carries out it exceeds d, and
			 * the wrapped subtraction gives the true remainder.
			 */
			uint32_t qd = 0;

			for (int bit = 31; bit >= 0; bit--) {
				const uint64_t out = rem >> 63;

				rem = rem << 1 | ((digit >> bit) & 1);
				qd <<= 1;
				if (out || rem >= d) {
					rem -= d;
					qd |= 1;
				}
			}
			q[i] = qd;
		}
		if (first < 0 && q[i])
			first = i;
		if (first >= 0 && first - i >= 3)
			break;
	}
	bool sticky = rem != 0;

	for (int j = lo; j < i; j++)
		sticky |= c[j] != 0;
	if (first < 0)
		return neg ? -0.0 : 0.0; /* |sum / d| < 2^-1138: rounds to zero */
	const double r = round_digits(q, first, sticky);

	return neg ? -r : r;
}

/* Sorts x[0..n-1] by key, for the short ranges selection ends with. */
static void sort_short(double *x, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const double v = x[i];
		const uint64_t k = key_of(v);
		size_t j = i;

		for (; j > 0 && key_of(x[j - 1]) > k; j--)
			x[j] = x[j - 1];
		x[j] = v;
	}
}

static int cmp_key(const void *a, const void *b)
{
	const uint64_t ka = key_of(*(const double *)a), kb = key_of(*(const double *)b);

	return (ka > kb) - (ka < kb);
}

static inline uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
	if (a > b) {
		const uint64_t t = a;

		a = b;
		b = t;
	}
	/* a <= b */
	return c <= a ? a : c >= b ? b : c;
}

/*
 * A pivot of x[lo..hi-1]: the median of 3 values, or the median of 3
 * medians of 3 for long ranges, at positions drawn from *rng. Which value
 * is the pivot never changes a result (order statistics are unique), only
 * the time: positions drawn at random, not fixed ones, keep regular inputs
 * (sorted, organ pipes, one replication's pattern repeated) from giving
 * lopsided splits. The generator is seeded with a constant, so the time is
 * repeatable too.
 */
static uint64_t pivot_key(const double *x, size_t lo, size_t hi, uint64_t *rng)
{
	const size_t n = hi - lo;
	uint64_t k[9];
	const int m = n < 1024 ? 3 : 9;

	for (int i = 0; i < m; i++) {
		*rng ^= *rng << 13; /* xorshift64 */
		*rng ^= *rng >> 7;
		*rng ^= *rng << 17;
		k[i] = key_of(x[lo + (size_t)(*rng % n)]);
	}
	if (m == 3)
		return median3(k[0], k[1], k[2]);
	return median3(median3(k[0], k[1], k[2]), median3(k[3], k[4], k[5]),
	               median3(k[6], k[7], k[8]));
}

/*
 * Moves the values of x[lo..hi-1] with key < bound before the others;
 * returns where the others start. Branch-free (Lomuto with an unconditional
 * swap): which side a value goes is a coin toss on real data.
 */
static size_t partition(double *x, size_t lo, size_t hi, uint64_t bound)
{
	size_t j = lo;

	for (size_t i = lo; i < hi; i++) {
		const double v = x[i];
		const uint64_t k = key_of(v);

		x[i] = x[j];
		x[j] = v;
		j += k < bound;
	}
	return j;
}

/*
 * Selection of several order statistics at once: reorders x[lo..hi-1] so
 * that for each rank r[0..nr-1] (ascending, within [lo, hi)) x[r] is the
 * value a sort by key would put there. If least is not NULL, every key in
 * the range is at least *least (the pivot that split it off). Ties: a
 * pivot equal to *least is the range's least value, and its copies are
 * split off whole, so many equal values cost a pass, not a quadratic
 * crawl. depth bounds the partitions of a path; past it the range is
 * sorted (qsort, O(n log n)), so no input makes this quadratic.
 */
static void select_ranks(double *x, size_t lo, size_t hi, const size_t *r, size_t nr,
                         const uint64_t *least, int depth, uint64_t *rng)
{
	uint64_t least_key;

	while (nr > 0) {
		if (hi - lo <= 32) {
			sort_short(x + lo, hi - lo);
			return;
		}
		if (depth-- == 0) {
			qsort(x + lo, hi - lo, sizeof(*x), cmp_key);
			return;
		}
		const uint64_t pk = pivot_key(x, lo, hi, rng);

		if (least && pk == *least) {
			/* pk + 1: no key is UINT64_MAX (that would be a NaN). */
			const size_t mid = partition(x, lo, hi, pk + 1);

			for (; nr > 0 && r[0] < mid; r++, nr--)
				; /* all copies of the least value: in place */
			lo = mid;
			continue;
		}
		const size_t mid = partition(x, lo, hi, pk);
		size_t nl = 0;

		while (nl < nr && r[nl] < mid)
			nl++;
		if (nl > 0)
			select_ranks(x, lo, mid, r, nl, least, depth, rng);
		r += nl;
		nr -= nl;
		lo = mid;
		least_key = pk;
		least = &least_key;
	}
}

/* GSL's gsl_stats_quantile_from_sorted_data, reading only x[lhs] and x[lhs + 1]. */
static double quantile(const double *x, size_t n, double f)
{
	const double index = f * (double)(n - 1);
	const size_t lhs = (size_t)index;
	const double delta = index - (double)lhs;

	if (lhs == n - 1)
		return x[lhs];
	return (1 - delta) * x[lhs] + delta * x[lhs + 1];
}

/* Puts the order statistics the quantiles of quantile() read in place. */
static void select_quantiles(double *x, size_t n, const double *f, size_t nf)
{
	size_t r[8], nr = 0;
	int depth = 8;
	uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);

	for (size_t i = 0; i < nf; i++) {
		const size_t lhs = (size_t)(f[i] * (double)(n - 1));

		for (size_t k = lhs; k <= lhs + 1 && k < n; k++) {
			if (nr == 0 || r[nr - 1] < k)
				r[nr++] = k; /* f ascending: ranks ascending */
		}
	}
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	select_ranks(x, 0, n, r, nr, NULL, depth, &rng);
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

/*
 * The sample standard deviation about mean (finite): sqrt(S / (n - 1)),
 * S the exact sum of the squared deviations, each computed in double. The
 * deviations are scaled by a power of two that puts the largest near 1, so
 * no square overflows or underflows (the widest range of doubles would);
 * the scaling is exact and undone at the end, so otherwise the bits are
 * those of the unscaled sum.
 */
static double sd_about(const double *x, size_t n, double mean, double min, double max)
{
	/* x - mean rounds monotonically: the largest deviation is at an end. */
	const double dmax = fmax(fabs(min - mean), fabs(max - mean));

	if (dmax == 0)
		return 0;
	if (isinf(dmax))
		return (double)INFINITY; /* a deviation overflows, as it did in double */
	int k = ilogb(dmax);

	k = k < -1022 ? -1022 : k > 1023 ? 1023 : k;
	const double s = ldexp(1.0, -k);
	struct acc sq = {{0}};

	for (size_t i0 = 0; i0 < n; i0 += ACC_BATCH) {
		const size_t i1 = n - i0 > ACC_BATCH ? i0 + ACC_BATCH : n;

		for (size_t i = i0; i < i1; i++) {
			const double d = (x[i] - mean) * s;

			acc_add(&sq, bits_of(d * d));
		}
		/* Before a chunk can overflow; acc_div_round carries the last batch. */
		if (i1 < n)
			carry_range(sq.c, 0, ACC_CHUNKS - 1);
	}
	return ldexp(sqrt(acc_div_round(&sq, n - 1)), k);
}

int stat_of(struct stat_summary *st, double *x, size_t n)
{
	static const double f[] = {0.50, 0.95, 0.99};
	struct acc sum = {{0}};
	uint64_t kmin = UINT64_MAX, kmax = 0;
	unsigned inf = 0; /* 1: a +inf, 2: a -inf */

	if (n > 0 && !x)
		return -EINVAL;
	/* One read-only pass: validation, the exact sum, min and max. */
	for (size_t i0 = 0; i0 < n; i0 += ACC_BATCH) {
		const size_t i1 = n - i0 > ACC_BATCH ? i0 + ACC_BATCH : n;

		for (size_t i = i0; i < i1; i++) {
			const uint64_t u = bits_of(x[i]);
			const uint64_t k = key_of_bits(u);

			if ((u & EXP_MASK) == EXP_MASK) {
				if (u & MANT_MASK)
					return -EINVAL; /* NaN */
				inf |= 1u << (u >> 63);
			} else {
				acc_add(&sum, u);
			}
			kmin = k < kmin ? k : kmin;
			kmax = k > kmax ? k : kmax;
		}
		if (i1 < n)
			carry_range(sum.c, 0, ACC_CHUNKS - 1); /* as in sd_about */
	}
	stat_empty(st);
	if (n == 0)
		return 0;

	st->n = n;
	st->min = double_of(kmin);
	st->max = double_of(kmax);
	/* Infinities of one sign sum to that infinity, of both to nothing. */
	if (inf)
		st->mean = inf == 1 ? (double)INFINITY : inf == 2 ? -(double)INFINITY : (double)NAN;
	else
		st->mean = acc_div_round(&sum, n);
	select_quantiles(x, n, f, sizeof(f) / sizeof(f[0]));
	st->p50 = quantile(x, n, f[0]);
	st->p95 = quantile(x, n, f[1]);
	st->p99 = quantile(x, n, f[2]);
	if (n == 1) {
		st->sd = 0;
		return 0;
	}
	/* An infinite mean leaves the deviations undefined (inf - inf). */
	st->sd = isfinite(st->mean) ? sd_about(x, n, st->mean, st->min, st->max) : (double)NAN;

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

/* ---- intervals for skewed outputs ----------------------------------------- */

/* splitmix64: the bootstrap's own small stream (a fixed seed, no state outside the call). */
static uint64_t boot_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform index below n (multiply-shift; the bias is below 2^-32 for any n we see). */
static size_t boot_index(uint64_t *s, size_t n)
{
	return (size_t)(((boot_next(s) >> 32) * (uint64_t)n) >> 32);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Mean and sample sd of x[0..n-1], plainly summed in order. */
static void mean_sd(const double *x, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	double m = s / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*mean = m;
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

/* Whether at most 2 values carry half of the total absolute deviation from the median. */
static bool few_carry_it(const double *x, size_t n, double *scratch)
{
	memcpy(scratch, x, n * sizeof(double));
	qsort(scratch, n, sizeof(double), cmp_dbl);
	double med = n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
	double tot = 0;
	for (size_t i = 0; i < n; i++) {
		scratch[i] = fabs(scratch[i] - med);
		tot += scratch[i];
	}
	if (!(tot > 0))
		return false;
	qsort(scratch, n, sizeof(double), cmp_dbl);
	return scratch[n - 1] + (n > 1 ? scratch[n - 2] : 0) >= tot / 2;
}

int stat_interval_of(struct stat_interval *out, const double *x, size_t n)
{
	out->lo = out->hi = out->skewness = (double)NAN;
	out->reliable = 0;
	if (n < 2)
		return 0;
	double m, sd;
	mean_sd(x, n, &m, &sd);
	double se = sd / sqrt((double)n);
	if (!(sd > 0)) {
		out->lo = out->hi = m;
		out->reliable = n >= STAT_RELIABLE_MIN_N;
		return 0;
	}
	double m3 = 0;
	for (size_t i = 0; i < n; i++)
		m3 += (x[i] - m) * (x[i] - m) * (x[i] - m);
	double sdn = sd * sqrt((double)(n - 1) / (double)n); /* the divisor-n sd */
	if (n >= 3)
		out->skewness = m3 / (double)n / (sdn * sdn * sdn);

	double *t = malloc((STAT_BOOT_RESAMPLES + n) * sizeof(double));
	if (!t)
		return -ENOMEM;
	double *y = t + STAT_BOOT_RESAMPLES;
	uint64_t state = STAT_BOOT_SEED ^ (uint64_t)n;
	size_t k = 0;
	/* From STAT_BOOT_MAX_N values on, Student's t (the resamples would cost
	 * B n draws per metric, and the two intervals have converged). */
	size_t nboot = n < STAT_BOOT_MAX_N ? STAT_BOOT_RESAMPLES : 0;
	for (size_t b = 0; b < nboot; b++) {
		for (size_t i = 0; i < n; i++)
			y[i] = x[boot_index(&state, n)];
		double mb, sb;
		mean_sd(y, n, &mb, &sb);
		if (sb > 0)
			t[k++] = (mb - m) / (sb / sqrt((double)n));
	}
	if (k >= 40 && n >= STAT_RELIABLE_MIN_N) { /* below: t* explodes on near-constant resamples */
		qsort(t, k, sizeof(double), cmp_dbl);
		/* the 2.5% and 97.5% points of t*, order statistics (k + 1) p */
		size_t lo = (size_t)floor(0.025 * (double)(k + 1)), hi = (size_t)ceil(0.975 * (double)(k + 1));
		lo = lo < 1 ? 1 : lo;
		hi = hi > k ? k : hi;
		out->lo = m - t[hi - 1] * se;
		out->hi = m - t[lo - 1] * se;
	} else { /* too few resamples vary: Student's t */
		double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * se;
		out->lo = m - half;
		out->hi = m + half;
	}
	bool rare = few_carry_it(x, n, t);
	out->reliable = n >= STAT_RELIABLE_MIN_N && !(fabs(out->skewness) > STAT_RELIABLE_MAX_SKEW) &&
	                !rare;
	free(t);
	return 0;
}

void stat_quantile_ci(const double *sorted, size_t n, double q, double *lo, double *hi)
{
	*lo = *hi = (double)NAN;
	if (n == 0)
		return;
	/* Ranks l < u (1-based) widening from around n q until the binomial mass
	 * of [l, u) reaches 0.95. */
	double c = (double)n * q;
	long l = (long)floor(c), u = l + 1;
	if (l < 0)
		l = 0;
	for (;;) {
		/* P(l <= B < u) with B ~ Binomial(n, q), l and u as counts of values below */
		double p = gsl_cdf_binomial_P((unsigned)(u - 1), q, (unsigned)n) -
		           (l > 0 ? gsl_cdf_binomial_P((unsigned)(l - 1), q, (unsigned)n) : 0);
		if (p >= 0.95)
			break;
		bool can_l = l > 0, can_u = u <= (long)n;
		if (!can_l && !can_u)
			return;
		/* widen toward the side with more mass left */
		double pl = can_l ? gsl_ran_binomial_pdf((unsigned)(l - 1), q, (unsigned)n) : -1;
		double pu = can_u ? gsl_ran_binomial_pdf((unsigned)u, q, (unsigned)n) : -1;
		if (pl >= pu)
			l--;
		else
			u++;
	}
	/* X(l) <= quantile < X(u) holds when l values are below and ... : the
	 * interval [X(l), X(u)], 1-based; l == 0 or u == n + 1: unbounded */
	*lo = l >= 1 ? sorted[l - 1] : (double)NAN;
	*hi = u <= (long)n ? sorted[u - 1] : (double)NAN;
}
