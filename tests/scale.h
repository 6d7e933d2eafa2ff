/*
 * scale: checks that a cost grows about as the size of the input, without
 * a wall-clock bound (the machine is shared and noisy): scale_ratio()
 * measures the CPU time of fn at n and at 4n within one run and returns
 * their ratio. Linear work gives about 4, n log n a little more, quadratic
 * work 16 and more; tests assert a generous bound (SCALE_LINEAR_BOUND).
 * Each size is repeated until it has taken long enough to measure, the
 * two sizes alternate, and the best of three rounds counts, so that a
 * burst of load on the machine does not decide the ratio.
 */
#ifndef LPSIM_TESTS_SCALE_H
#define LPSIM_TESTS_SCALE_H

#include <math.h>
#include <time.h>

#define SCALE_LINEAR_BOUND 16.0

/* Where the cost ruled out is exactly quadratic, the sizes are n and 16n
 * (scale_ratio_k): quadratic work measures about 256, n log n about 20-25
 * (more when the larger size falls out of the caches of a loaded machine:
 * a 4x step gave 13.6 for n log n work under load once), so this bound
 * keeps a margin of about 3 on either side. */
#define SCALE_NOT_QUADRATIC_16 64.0

typedef void (*scale_fn)(void *arg, long n);

/* CPU seconds of one call of fn(arg, n), repeated for at least 20 ms. */
static inline double scale_once(scale_fn fn, void *arg, long n)
{
	clock_t t0 = clock(), t;
	long reps = 0;
	do {
		fn(arg, n);
		reps++;
		t = clock();
	} while (t - t0 < CLOCKS_PER_SEC / 50);
	return (double)(t - t0) / CLOCKS_PER_SEC / (double)reps;
}

/* The cost of fn at k*n over its cost at n (best of three rounds each). */
static inline double scale_ratio_k(scale_fn fn, void *arg, long n, long k)
{
	double small = HUGE_VAL, big = HUGE_VAL;
	for (int round = 0; round < 3; round++) {
		double s = scale_once(fn, arg, n);
		double b = scale_once(fn, arg, k * n);
		small = s < small ? s : small;
		big = b < big ? b : big;
	}
	return big / small;
}

/* The cost of fn at 4n over its cost at n. */
static inline double scale_ratio(scale_fn fn, void *arg, long n)
{
	return scale_ratio_k(fn, arg, n, 4);
}

#endif
