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

/* A tighter bound where the cost being ruled out is exactly quadratic
 * (whose measured ratio, diluted by linear work, falls a little short of
 * 16), still about twice what n log n work measures. */
#define SCALE_NOT_QUADRATIC 10.0

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

/* The cost of fn at 4n over its cost at n (best of three rounds each). */
static inline double scale_ratio(scale_fn fn, void *arg, long n)
{
	double small = HUGE_VAL, big = HUGE_VAL;
	for (int round = 0; round < 3; round++) {
		double s = scale_once(fn, arg, n);
		double b = scale_once(fn, arg, 4 * n);
		small = s < small ? s : small;
		big = b < big ? b : big;
	}
	return big / small;
}

#endif
