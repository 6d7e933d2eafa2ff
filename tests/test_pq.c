/*
 * Tests of sim/pq, whichever implementation it is linked with (the Makefile
 * builds this file twice: test_pq with the library's queue, the 4-ary heap,
 * and test_pq_radix with the radix heap), against a reference over random
 * operations. Pushes never precede the last pop, as in the kernel.
 */
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
	struct pq_item *ref = malloc(MAXN * sizeof(*ref));
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
