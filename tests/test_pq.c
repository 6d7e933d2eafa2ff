/*
 * Tests of sim/pq, whichever implementation it is linked with (the Makefile
 * builds this file once per queue: test_pq with the library's default, and
 * test_pq_heap, test_pq_radix and test_pq_ladder), against references over
 * random operations. Pushes never precede the last pop, as in the kernel.
 * Every test holds for any queue; some aim at one queue's machinery (the
 * ladder's epochs, rungs, bottom and far future), named where they do.
 * Where queues may differ (pq.h: pq_refuses_early_push, pq_asks_alloc_hook)
 * each is held to what it declares.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim/pq.h"

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmp_item(const struct pq_item *x, const struct pq_item *y)
{
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void test_pq_empty_queue_pops_nothing(void **state)
{
	(void)state;
	struct pq *q = pq_new(0);
	assert_non_null(q);
	struct pq_item it = {7, 7};
	assert_int_equal(pq_pop(q, &it), 0);
	assert_int_equal(it.time, 7);
	assert_int_equal(pq_peek(q, &it), 0);
	assert_null(pq_next_hint(q));
	assert_int_equal(pq_size(q), 0);
	pq_free(q);
	pq_free(NULL);
}

static void test_pq_pops_in_time_then_key_order(void **state)
{
	(void)state;
	struct pq *q = pq_new(2);
	struct pq_item in[] = {{5, 3}, {1, 9}, {5, 1}, {3, 0}, {1, 2}, {5, 2}};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pq_push(q, in[i]), 0);
	struct pq_item want[] = {{1, 2}, {1, 9}, {3, 0}, {5, 1}, {5, 2}, {5, 3}};
	for (size_t i = 0; i < 6; i++) {
		struct pq_item it;
		assert_int_equal(pq_pop(q, &it), 1);
		assert_int_equal(it.time, want[i].time);
		assert_int_equal(it.key, want[i].key);
	}
	assert_int_equal(pq_pop(q, &(struct pq_item){0, 0}), 0);
	pq_free(q);
}

/* 10^5 random pushes and pops, many equal times, never before the last
 * pop, against a linear-scan reference; they must agree on every pop. */
static void test_pq_matches_a_sorted_reference_over_random_operations(void **state)
{
	(void)state;
	enum { OPS = 100000, MAXN = 1500 };
	struct pq *q = pq_new(1);
	assert_non_null(q);
	struct pq_item *ref = malloc(MAXN * sizeof(*ref));
	assert_non_null(ref);
	size_t n = 0;
	uint64_t seed = 0x9e3779b97f4a7c15u, key = 0;
	int64_t now = 0;
	for (int op = 0; op < OPS; op++) {
		bool push = n == 0 || (n < MAXN && xs(&seed) % 100 < 52);
		if (push) {
			/* small steps ahead of now: lots of ties, some far jumps */
			int64_t d = xs(&seed) % 4 ? (int64_t)(xs(&seed) % 200) : (int64_t)(xs(&seed) >> 20);
			struct pq_item it = {now + d, key++};
			ref[n++] = it;
			assert_int_equal(pq_push(q, it), 0);
		} else {
			size_t best = 0;
			for (size_t i = 1; i < n; i++)
				if (cmp_item(&ref[i], &ref[best]) < 0)
					best = i;
			struct pq_item top;
			assert_int_equal(pq_peek(q, &top), 1);
			assert_int_equal(top.key, ref[best].key);
			struct pq_item it;
			assert_int_equal(pq_pop(q, &it), 1);
			assert_int_equal(it.time, ref[best].time);
			assert_int_equal(it.key, ref[best].key);
			now = it.time;
			ref[best] = ref[--n];
		}
		assert_int_equal(pq_size(q), n);
	}
	/* Drain: the rest comes out sorted. */
	struct pq_item prev = {INT64_MIN, 0}, it;
	size_t drained = 0;
	while (pq_pop(q, &it) == 1) {
		assert_true(cmp_item(&prev, &it) < 0);
		prev = it;
		drained++;
	}
	assert_int_equal(drained, n);
	free(ref);
	pq_free(q);
}

/* A peek may look ahead of the last pop (a run stopped at its horizon);
 * pushes between the last pop and that peek must still come out first. */
static void test_pq_push_after_a_peek_beyond_the_last_pop_keeps_the_order(void **state)
{
	(void)state;
	struct pq *q = pq_new(4);
	struct pq_item it;
	pq_push(q, (struct pq_item){10, 1});
	pq_push(q, (struct pq_item){1000, 2});
	pq_push(q, (struct pq_item){1000, 3});
	assert_int_equal(pq_pop(q, &it), 1);
	assert_int_equal(it.time, 10);
	assert_int_equal(pq_peek(q, &it), 1);
	assert_int_equal(it.time, 1000);
	assert_int_equal(pq_push(q, (struct pq_item){500, 4}), 0);
	assert_int_equal(pq_push(q, (struct pq_item){10, 5}), 0);
	assert_int_equal(pq_push(q, (struct pq_item){1000, 6}), 0);
	int64_t want_t[] = {10, 500, 1000, 1000, 1000};
	uint64_t want_k[] = {5, 4, 2, 3, 6};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(pq_pop(q, &it), 1);
		assert_int_equal(it.time, want_t[i]);
		assert_int_equal(it.key, want_k[i]);
	}
	assert_int_equal(pq_size(q), 0);
	pq_free(q);
}

/* A heap larger than the caches (the pop then prefetches) still pops in order. */
static void test_pq_large_heap_pops_everything_in_order(void **state)
{
	(void)state;
	enum { N = 200000 };
	struct pq *q = pq_new(16);
	uint64_t seed = 42;
	for (uint64_t i = 0; i < N; i++)
		assert_int_equal(pq_push(q, (struct pq_item){(int64_t)(xs(&seed) % 5000), i}), 0);
	struct pq_item prev = {INT64_MIN, 0}, it;
	size_t n = 0;
	while (pq_pop(q, &it) == 1) {
		assert_true(cmp_item(&prev, &it) < 0);
		prev = it;
		n++;
	}
	assert_int_equal(n, N);
	pq_free(q);
}

/* A plain binary heap, the reference for the larger tests, with room for
 * cap items (a test that pushes more fails). */
struct ref {
	struct pq_item *a;
	size_t n;
	size_t cap;
};

static struct ref ref_new(size_t cap)
{
	struct ref r = {malloc(cap * sizeof(struct pq_item)), 0, cap};
	assert_non_null(r.a);
	return r;
}

static void ref_free(struct ref *r)
{
	free(r->a);
	r->a = NULL;
	r->n = r->cap = 0;
}

static bool ref_less(const struct pq_item *x, const struct pq_item *y)
{
	return cmp_item(x, y) < 0;
}

static void ref_push(struct ref *r, struct pq_item it)
{
	assert_true(r->n < r->cap);
	size_t i = r->n++;
	while (i > 0 && ref_less(&it, &r->a[(i - 1) / 2])) {
		r->a[i] = r->a[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	r->a[i] = it;
}

static struct pq_item ref_pop(struct ref *r)
{
	struct pq_item top = r->a[0], last = r->a[--r->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= r->n)
			break;
		if (c + 1 < r->n && ref_less(&r->a[c + 1], &r->a[c]))
			c++;
		if (!ref_less(&r->a[c], &last))
			break;
		r->a[i] = r->a[c];
		i = c;
	}
	if (r->n)
		r->a[i] = last;
	return top;
}

/* Pops one item from q and the reference; they must agree, and so must
 * pq_peek, pq_next_hint and pq_next_run (whose items pop next, in order). */
static struct pq_item pop_both(struct pq *q, struct ref *r)
{
	struct pq_item want = ref_pop(r), it;
	assert_int_equal(pq_peek(q, &it), 1);
	assert_int_equal(it.time, want.time);
	assert_int_equal(it.key, want.key);
	size_t nrun;
	const struct pq_item *run = pq_next_run(q, &nrun);
	if (run) {
		assert_true(nrun >= 1);
		assert_ptr_equal(pq_next_hint(q), run);
		assert_int_equal(run[0].key, want.key);
		for (size_t k = 1; k < nrun; k++)
			assert_true(cmp_item(&run[k - 1], &run[k]) < 0);
		/* The item after it in the run is the reference's next too. */
		if (nrun > 1)
			assert_int_equal(run[1].key, r->a[0].key);
	} else {
		assert_int_equal(nrun, 0);
	}
	assert_int_equal(pq_pop(q, &it), 1);
	assert_int_equal(it.time, want.time);
	assert_int_equal(it.key, want.key);
	assert_int_equal(pq_size(q), r->n);
	return it;
}

/* Pushes one item to q and the reference; q must take it. */
static void push_both(struct pq *q, struct ref *r, struct pq_item it)
{
	ref_push(r, it);
	assert_int_equal(pq_push(q, it), 0);
}

/* Pops everything left from q and the reference, which must agree; q is
 * then empty. */
static void drain_both(struct pq *q, struct ref *r)
{
	while (r->n)
		pop_both(q, r);
	assert_int_equal(pq_pop(q, &(struct pq_item){0, 0}), 0);
	assert_int_equal(pq_size(q), 0);
}

static int64_t exp_ns(uint64_t *seed, double mean_ns)
{
	double u = (double)(xs(seed) >> 11) * 0x1p-53;
	return (int64_t)llround(-log1p(-u) * mean_ns);
}

/* The kernel's hold model: n pending, each pop pushes one at now + Exp;
 * 30 times n operations, so the ladder goes through many epochs, spawns
 * rungs for its crowded buckets and sorts buckets into its bottom. */
static void hold(size_t n, double mean_ns)
{
	struct pq *q = pq_new(n);
	assert_non_null(q);
	struct ref r = ref_new(n);
	uint64_t seed = 0x2545f4914f6cdd1du ^ n, key = 0;
	for (size_t i = 0; i < n; i++)
		push_both(q, &r, (struct pq_item){exp_ns(&seed, mean_ns), key++});
	for (size_t op = 0; op < 30 * n; op++) {
		struct pq_item it = pop_both(q, &r);
		push_both(q, &r, (struct pq_item){it.time + exp_ns(&seed, mean_ns), key++});
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

static void test_pq_hold_model_matches_the_reference(void **state)
{
	(void)state;
	hold(10, 1e9);
	hold(1000, 1e9);
	hold(20000, 1e3); /* fine times: the rungs reach 1 ns buckets */
	hold(70000, 1e9); /* above 256 x 16 items: coarse rung-0 buckets that spawn rungs */
}

/* Thousands of items at one time cannot be split into rungs: they come
 * out in key order, with the ones pushed meanwhile at that time after them. */
static void test_pq_equal_times_pop_in_key_order(void **state)
{
	(void)state;
	enum { N = 5000 };
	struct pq *q = pq_new(16);
	uint64_t seed = 7;
	for (uint64_t i = 0; i < N; i++)
		assert_int_equal(pq_push(q, (struct pq_item){1000, i}), 0);
	for (uint64_t i = 0; i < 200; i++) /* a few later ones */
		assert_int_equal(pq_push(q, (struct pq_item){1001 + (int64_t)(xs(&seed) % 50), N + i}), 0);
	uint64_t next = 0, key = N + 200;
	struct pq_item it;
	for (uint64_t i = 0; i < N; i++) {
		assert_int_equal(pq_pop(q, &it), 1);
		assert_int_equal(it.time, 1000);
		assert_int_equal(it.key, next++);
		if (i % 3 == 0) /* FIFO: after all the earlier ones at 1000 */
			assert_int_equal(pq_push(q, (struct pq_item){1000, key++}), 0);
	}
	for (uint64_t k = N + 200; k < key; k++) {
		assert_int_equal(pq_pop(q, &it), 1);
		assert_int_equal(it.time, 1000);
		assert_int_equal(it.key, k);
	}
	struct pq_item prev = it;
	size_t rest = 0;
	while (pq_pop(q, &it) == 1) {
		assert_true(cmp_item(&prev, &it) < 0);
		prev = it;
		rest++;
	}
	assert_int_equal(rest, 200);
	pq_free(q);
}

/* now + d, saturating at INT64_MAX. */
static int64_t ahead(int64_t now, uint64_t d)
{
	return d > (uint64_t)(INT64_MAX - now) ? INT64_MAX : now + (int64_t)d;
}

/* Items spread over the whole time range, 0 to INT64_MAX, with clusters:
 * the ladder caps its bucket count and nests rungs down to 1 ns. */
static void test_pq_far_future_and_clusters_keep_the_order(void **state)
{
	(void)state;
	enum { N = 30000 };
	struct pq *q = pq_new(0);
	assert_non_null(q);
	struct ref r = ref_new(N);
	uint64_t seed = 99, key = 0;
	int64_t now = 0;
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N / 4; i++) {
			int64_t t;
			switch (xs(&seed) % 5) {
			case 0: /* far future, up to the end of time */
				t = ahead(now, xs(&seed) >> 1);
				break;
			case 1:
				t = INT64_MAX - (int64_t)(xs(&seed) % 3);
				break;
			case 2: /* a tight cluster just ahead */
				t = ahead(now, 1000 + xs(&seed) % 64);
				break;
			default: /* nanoseconds to seconds ahead */
				t = ahead(now, xs(&seed) % (UINT64_C(1) << (xs(&seed) % 34)));
			}
			push_both(q, &r, (struct pq_item){t, key++});
		}
		for (int i = 0; i < N / 8; i++)
			now = pop_both(q, &r).time;
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* After each pop, a burst of pushes just ahead of now, inside the bucket
 * the ladder sorted last: they go into its bottom, which must spread into
 * a new rung when it grows long, and then keep the order. */
static void test_pq_bursts_just_ahead_keep_the_order(void **state)
{
	(void)state;
	enum { START = 2000, MAX_BURST = 2499 };
	struct pq *q = pq_new(0);
	assert_non_null(q);
	struct ref r = ref_new(START + MAX_BURST);
	uint64_t seed = 3, key = 0;
	for (int i = 0; i < START; i++)
		push_both(q, &r, (struct pq_item){exp_ns(&seed, 1e9), key++});
	for (int round = 0; round < 40; round++) {
		int64_t now = pop_both(q, &r).time;
		int burst = 500 + (int)(xs(&seed) % (MAX_BURST - 500 + 1));
		for (int i = 0; i < burst; i++) {
			int64_t d = (int64_t)(xs(&seed) % 100000);
			push_both(q, &r, (struct pq_item){now + d, key++});
		}
		for (int i = 0; i < burst; i++)
			pop_both(q, &r);
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* A push before the last pop is refused and changes nothing, whatever the
 * queue has done since (a refill, a peek ahead). A queue that declares it
 * does not check (pq_refuses_early_push false: the heap) must take the
 * early item and pop it first. */
static void test_pq_push_before_the_last_pop_is_refused(void **state)
{
	(void)state;
	struct pq *q = pq_new(0);
	assert_non_null(q);
	uint64_t seed = 5;
	for (uint64_t i = 0; i < 3000; i++)
		assert_int_equal(pq_push(q, (struct pq_item){(int64_t)(xs(&seed) % 1000000), i}), 0);
	struct pq_item it, prev;
	for (int i = 0; i < 1500; i++)
		assert_int_equal(pq_pop(q, &prev), 1);
	assert_int_equal(pq_peek(q, &it), 1);
	int rc = pq_push(q, (struct pq_item){prev.time - 1, 9999});
	if (!pq_refuses_early_push) {
		assert_int_equal(rc, 0);
		assert_int_equal(pq_size(q), 1501);
		assert_int_equal(pq_pop(q, &it), 1);
		assert_int_equal(it.key, 9999);
		pq_free(q);
		return;
	}
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(pq_push(q, (struct pq_item){0, 9998}), -EINVAL);
	assert_int_equal(pq_size(q), 1500);
	assert_int_equal(pq_push(q, (struct pq_item){prev.time, 10000}), 0); /* at the last pop: fine */
	assert_int_equal(pq_pop(q, &it), 1);
	assert_true(cmp_item(&prev, &it) < 0);
	size_t n = 1;
	while (pq_pop(q, &it) == 1) {
		assert_true(cmp_item(&prev, &it) < 0);
		prev = it;
		n++;
	}
	assert_int_equal(n, 1501);
	pq_free(q);
}

/* Emptied and refilled many times, with clear in between: nothing of the
 * old contents comes back and the order holds each time. */
static void test_pq_reuse_after_draining_and_clearing(void **state)
{
	(void)state;
	/* A round pushes at most MAX_ROUND, onto at most half of the last
	 * round's (an even round leaves half, the next drains). */
	enum { MAX_ROUND = 10 + 15000 - 1 };
	struct pq *q = pq_new(8);
	assert_non_null(q);
	struct ref r = ref_new(MAX_ROUND + MAX_ROUND / 2);
	uint64_t seed = 11, key = 0;
	int64_t floor = 0; /* the last pop; 0 after a clear */
	for (int round = 0; round < 12; round++) {
		int64_t base = floor + (round % 2 ? 0 : (int64_t)1 << (round * 5));
		size_t n = 10 + xs(&seed) % (MAX_ROUND - 10 + 1);
		for (size_t i = 0; i < n; i++)
			push_both(q, &r, (struct pq_item){base + exp_ns(&seed, 1e6), key++});
		if (round % 3 == 2) {
			pq_clear(q);
			r.n = 0;
			floor = 0;
			assert_int_equal(pq_size(q), 0);
			continue;
		}
		while (r.n > n / 2)
			floor = pop_both(q, &r).time;
		if (round % 2) { /* drained and cleared: time may start again at 0 */
			drain_both(q, &r);
			pq_clear(q);
			floor = 0;
		}
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/*
 * A queue that grows from a few items to a few hundred and drains back, many
 * times, pushing and popping in between, with few distinct times (so many
 * equal ones, which pop in key order): the ladder keeps a small queue all
 * in its sorted bottom, moves it to its tiers when it grows past a few
 * dozen items, and back when it drains.
 */
static void test_pq_small_queue_grows_and_drains_back(void **state)
{
	(void)state;
	static const size_t peak[] = {47, 48, 49, 50, 60, 100, 300, 30, 49, 200, 64, 97};
	size_t most = 0; /* the queue never holds more than the highest peak */
	for (size_t round = 0; round < sizeof(peak) / sizeof(peak[0]); round++)
		most = peak[round] > most ? peak[round] : most;
	struct pq *q = pq_new(16);
	assert_non_null(q);
	struct ref r = ref_new(most);
	uint64_t seed = 31, key = 0;
	int64_t now = 0;
	for (size_t round = 0; round < sizeof(peak) / sizeof(peak[0]); round++) {
		/* Up to the peak: three pushes a pop; coarse times, so that
		 * equal ones come on either side of each switch. */
		for (int k = 1; r.n < peak[round]; k++) {
			int64_t d = (int64_t)(xs(&seed) % (round % 2 ? 4 : 40)) * 1000;
			push_both(q, &r, (struct pq_item){now + d, key++});
			if (k % 3 == 0)
				now = pop_both(q, &r).time;
		}
		/* Down to a few: a push every third pop. */
		for (int k = 0; r.n > 3; k++) {
			now = pop_both(q, &r).time;
			if (k % 3 == 0) {
				int64_t d = (int64_t)(xs(&seed) % 8) * 1000;
				push_both(q, &r, (struct pq_item){now + d, key++});
			}
		}
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* Queues of a few items (the kernel's usual, where the ladder keeps a
 * loose bottom), times from a narrow range and keys in any order:
 * ties are broken by key, whichever side of the pending ones a push lands. */
static void test_pq_few_items_with_ties_and_keys_in_any_order(void **state)
{
	(void)state;
	struct pq *q = pq_new(16);
	assert_non_null(q);
	struct ref r = ref_new(16);
	uint64_t seed = 77, key = 0;
	int64_t now = 0;
	for (int op = 0; op < 200000; op++) {
		size_t most = 1 + (size_t)(op / 1000 % 12); /* 1 to 12 items */
		if (r.n < most && (r.n == 0 || xs(&seed) % 2)) {
			/* unique keys, not in push order */
			uint64_t k = (xs(&seed) % 1024) << 32 | key++;
			push_both(q, &r, (struct pq_item){now + (int64_t)(xs(&seed) % 4), k});
		} else {
			now = pop_both(q, &r).time;
		}
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* Items at one time, as many as a small queue holds and more, pushed in
 * turns with pops at that time: they pop in key order (FIFO) throughout. */
static void test_pq_equal_times_across_the_small_queue_limit(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 130; n += (n < 40 || n > 60) ? 7 : 1) {
		struct pq *q = pq_new(0);
		uint64_t key = 0, next = 0;
		for (size_t i = 0; i < n; i++)
			assert_int_equal(pq_push(q, (struct pq_item){500, key++}), 0);
		struct pq_item it;
		for (size_t i = 0; i < n; i++) { /* one pop, two pushes */
			assert_int_equal(pq_pop(q, &it), 1);
			assert_int_equal(it.time, 500);
			assert_int_equal(it.key, next++);
			assert_int_equal(pq_push(q, (struct pq_item){500, key++}), 0);
			assert_int_equal(pq_push(q, (struct pq_item){500, key++}), 0);
		}
		while (pq_pop(q, &it) == 1) {
			assert_int_equal(it.time, 500);
			assert_int_equal(it.key, next++);
		}
		assert_int_equal(next, key);
		pq_free(q);
	}
}

/* A bucket whose many items share one time cannot be split: it is sorted
 * whole. Here 200 items at 1000 among 100 spread over 100 seconds. */
static void test_pq_a_crowded_single_time_among_spread_items(void **state)
{
	(void)state;
	enum { N = 300 };
	struct pq *q = pq_new(0);
	assert_non_null(q);
	struct ref r = ref_new(N + 1);
	uint64_t seed = 17, key = 0;
	for (int i = 0; i < N; i++) {
		int64_t t = i % 3 ? 1000 : (int64_t)(xs(&seed) % 100000000000u);
		push_both(q, &r, (struct pq_item){t, key++});
	}
	int64_t now = 0;
	while (r.n)
		now = pop_both(q, &r).time;
	/* Then bursts at the current time into an empty front: a long run of
	 * one time, which the ladder's bottom cannot spread either. */
	for (int round = 0; round < 5; round++) {
		push_both(q, &r, (struct pq_item){now + 1000000000, key++});
		for (int i = 0; i < N; i++)
			push_both(q, &r, (struct pq_item){now, key++});
		while (r.n > 1)
			pop_both(q, &r);
		now = pop_both(q, &r).time;
	}
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* Few items at the two ends of time: the ladder's widest buckets. */
static void test_pq_few_items_at_the_ends_of_time(void **state)
{
	(void)state;
	struct pq *q = pq_new(0);
	assert_non_null(q);
	enum { N = 60 };
	struct ref r = ref_new(N);
	uint64_t key = 0;
	for (int i = 0; i < N; i++)
		push_both(q, &r, (struct pq_item){i % 2 ? INT64_MAX - i : i, key++});
	for (int i = 0; i < 35; i++)
		pop_both(q, &r);
	push_both(q, &r, (struct pq_item){INT64_MAX, key++});
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

/* Allocation failures, injected through pq_alloc_fails: every push, peek
 * or pop that fails returns -ENOMEM and leaves the queue as it was. A queue
 * that asks the hook (pq_asks_alloc_hook: the ladder) must have asked it
 * and failed some; one that does not must never have asked it. */
static unsigned fail_every, alloc_calls;

bool pq_alloc_fails(void)
{
	return fail_every && ++alloc_calls % fail_every == 0;
}

static void test_pq_out_of_memory_leaves_the_queue_unchanged(void **state)
{
	(void)state;
	static const unsigned every[] = {2, 3, 5, 11, 2, 3, 7};
	size_t all_failures = 0;
	for (size_t e = 0; e < sizeof(every) / sizeof(every[0]); e++) {
		bool far = e < 4; /* the later rounds: epochs come often */
		struct pq *q = pq_new(0);
		assert_non_null(q);
		enum { MAXN = 30000 };
		struct ref r = ref_new(MAXN);
		uint64_t seed = 23 + e, key = 0;
		int64_t now = 0;
		size_t failures = 0;
		fail_every = every[e];
		alloc_calls = 0;
		for (int op = 0; op < 60000; op++) {
			/* grow and shrink in turns, so that the queue needs more
			 * room at every kind of reorganisation */
			unsigned grow = (op / 6000) % 2 ? 30 : 75;
			bool push = r.n == 0 || (r.n < MAXN && xs(&seed) % 100 < grow);
			if (push) {
				int64_t d = !far || xs(&seed) % 8 ? exp_ns(&seed, 1e6) : exp_ns(&seed, 1e12);
				if (xs(&seed) % 16 == 0)
					d = 0;
				struct pq_item it = {now + d, key};
				int rc = pq_push(q, it);
				if (rc == -ENOMEM) {
					failures++;
				} else {
					assert_int_equal(rc, 0);
					ref_push(&r, it);
					key++;
				}
				assert_int_equal(pq_size(q), r.n);
				continue;
			}
			struct pq_item it;
			int rc = xs(&seed) % 2 ? pq_peek(q, &it) : pq_pop(q, &it);
			if (rc == -ENOMEM) {
				failures++;
				assert_int_equal(pq_size(q), r.n);
				continue;
			}
			assert_int_equal(rc, 1);
			assert_int_equal(it.key, r.a[0].key);
			if (pq_size(q) < r.n) { /* a pop */
				ref_pop(&r);
				now = it.time;
			}
			assert_int_equal(pq_size(q), r.n);
		}
		unsigned every_now = fail_every;
		fail_every = 0;
		/* A queue that asks had allocations fail; some of them may
		 * have been only optimisations (a pop's early refill, a
		 * bottom spread), whose failure the caller does not see. */
		if (pq_asks_alloc_hook)
			assert_true(alloc_calls >= every_now);
		else
			assert_int_equal(alloc_calls, 0);
		all_failures += failures;
		drain_both(q, &r);
		ref_free(&r);
		pq_free(q);
	}
	if (pq_asks_alloc_hook)
		assert_true(all_failures > 0);
	else
		assert_int_equal(all_failures, 0);
}

/* Every allocation fails while a small queue grows: the pushes that need
 * room (the ladder's, when it outgrows its small mode) fail and leave it
 * as it was; it keeps working, and grows once memory is back. */
static void test_pq_out_of_memory_when_a_small_queue_grows(void **state)
{
	(void)state;
	struct pq *q = pq_new(0);
	assert_non_null(q);
	enum { N = 200 };
	struct ref r = ref_new(2 * N);
	uint64_t seed = 41, key = 0;
	int64_t now = 0;
	size_t failures = 0;
	fail_every = 1;
	alloc_calls = 0;
	for (int i = 0; i < N; i++) {
		struct pq_item it = {now + (int64_t)(xs(&seed) % 50), key};
		int rc = pq_push(q, it);
		if (rc == -ENOMEM) {
			failures++;
		} else {
			assert_int_equal(rc, 0);
			ref_push(&r, it);
			key++;
		}
		assert_int_equal(pq_size(q), r.n);
		if (i % 10 == 9) /* pops need no memory here */
			now = pop_both(q, &r).time;
	}
	fail_every = 0;
	if (pq_asks_alloc_hook) { /* it asked, and refused some pushes */
		assert_true(alloc_calls > 0);
		assert_true(failures > 0);
	} else {
		assert_int_equal(alloc_calls, 0);
		assert_int_equal(failures, 0);
	}
	for (int i = 0; i < N; i++)
		push_both(q, &r, (struct pq_item){now + (int64_t)(xs(&seed) % 50), key++});
	drain_both(q, &r);
	ref_free(&r);
	pq_free(q);
}

static void test_pq_clear_empties_and_stays_usable(void **state)
{
	(void)state;
	struct pq *q = pq_new(4);
	for (int i = 0; i < 100; i++)
		pq_push(q, (struct pq_item){100 - i, (uint64_t)i});
	pq_clear(q);
	assert_int_equal(pq_size(q), 0);
	pq_push(q, (struct pq_item){3, 1});
	struct pq_item it;
	assert_int_equal(pq_pop(q, &it), 1);
	assert_int_equal(it.time, 3);
	pq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pq_empty_queue_pops_nothing),
		cmocka_unit_test(test_pq_pops_in_time_then_key_order),
		cmocka_unit_test(test_pq_matches_a_sorted_reference_over_random_operations),
		cmocka_unit_test(test_pq_push_after_a_peek_beyond_the_last_pop_keeps_the_order),
		cmocka_unit_test(test_pq_large_heap_pops_everything_in_order),
		cmocka_unit_test(test_pq_clear_empties_and_stays_usable),
		cmocka_unit_test(test_pq_few_items_with_ties_and_keys_in_any_order),
		cmocka_unit_test(test_pq_hold_model_matches_the_reference),
		cmocka_unit_test(test_pq_equal_times_pop_in_key_order),
		cmocka_unit_test(test_pq_far_future_and_clusters_keep_the_order),
		cmocka_unit_test(test_pq_bursts_just_ahead_keep_the_order),
		cmocka_unit_test(test_pq_push_before_the_last_pop_is_refused),
		cmocka_unit_test(test_pq_reuse_after_draining_and_clearing),
		cmocka_unit_test(test_pq_a_crowded_single_time_among_spread_items),
		cmocka_unit_test(test_pq_few_items_at_the_ends_of_time),
		cmocka_unit_test(test_pq_out_of_memory_leaves_the_queue_unchanged),
		cmocka_unit_test(test_pq_small_queue_grows_and_drains_back),
		cmocka_unit_test(test_pq_equal_times_across_the_small_queue_limit),
		cmocka_unit_test(test_pq_out_of_memory_when_a_small_queue_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
