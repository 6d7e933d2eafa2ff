/*
 * fuzz_pq: libFuzzer target for the kernel's event queue (sim/pq.h, the
 * implementation the build picks: the ladder queue by default). The input
 * is a program of operations, 3 bytes each: push (at the last popped time
 * plus a delay of 0 .. 2^31 ns, spread over many scales so that every tier
 * and bucket width is reached), pop, peek, or clear, plus pushes before
 * the last pop, which must be refused by a queue that says it refuses them
 * (pq_refuses_early_push) and taken by one that does not. Every result is
 * checked against a plain reference (an unsorted array searched for its
 * least item): order by (time, key), sizes, pq_next_hint and pq_next_run.
 * Any difference aborts.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ITEMS 4096

struct ref {
	struct pq_item a[MAX_ITEMS];
	size_t n;
};

static int cmp_item(const struct pq_item *x, const struct pq_item *y)
{
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static size_t ref_min(const struct ref *r)
{
	size_t m = 0;
	for (size_t i = 1; i < r->n; i++)
		if (cmp_item(&r->a[i], &r->a[m]) < 0)
			m = i;
	return m;
}

static void check_at(int ok, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz_pq.c:%d: the queue and the reference differ\n", line);
		abort();
	}
}
#define check(ok) check_at((ok), __LINE__)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ref *r = malloc(sizeof(*r));
	struct pq *q = r ? pq_new(size ? data[0] * 64u : 16) : NULL;
	if (!q) {
		free(r);
		return 0;
	}
	r->n = 0;
	int64_t popped = 0;
	uint64_t key = 0;
	for (size_t i = 1; i + 3 <= size; i += 3) {
		uint8_t op = data[i];
		uint16_t arg = (uint16_t)(data[i + 1] | data[i + 2] << 8);
		struct pq_item got;
		switch (op % 8) {
		case 0: case 1: case 2: case 3: { /* push at popped + arg << scale */
			if (r->n == MAX_ITEMS)
				break;
			unsigned scale = (op >> 3) % 16;
			struct pq_item it = {popped + ((int64_t)arg << scale), key++};
			check(pq_push(q, it) == 0);
			r->a[r->n++] = it;
			break;
		}
		case 4: { /* pop */
			int rc = pq_pop(q, &got);
			if (r->n == 0) {
				check(rc == 0);
				break;
			}
			check(rc == 1);
			size_t m = ref_min(r);
			check(cmp_item(&got, &r->a[m]) == 0);
			r->a[m] = r->a[--r->n];
			popped = got.time;
			break;
		}
		case 5: { /* peek, and what the queue says comes next */
			int rc = pq_peek(q, &got);
			check(rc == (r->n ? 1 : 0));
			if (!r->n)
				break;
			check(cmp_item(&got, &r->a[ref_min(r)]) == 0);
			const struct pq_item *h = pq_next_hint(q);
			check(!h || cmp_item(h, &got) == 0);
			size_t nrun;
			const struct pq_item *run = pq_next_run(q, &nrun);
			check(!run || cmp_item(&run[0], &got) == 0);
			for (size_t k = 1; run && k < nrun; k++)
				check(cmp_item(&run[k - 1], &run[k]) < 0);
			break;
		}
		case 6: /* a push before the last pop: refused, the queue unchanged,
			 * where the queue says so; else taken like any other */
			if (popped > 0 && (pq_refuses_early_push || r->n < MAX_ITEMS)) {
				struct pq_item it = {popped - 1 - (arg % (uint64_t)popped), key++};
				if (pq_refuses_early_push) {
					check(pq_push(q, it) == -EINVAL);
				} else {
					check(pq_push(q, it) == 0);
					r->a[r->n++] = it;
				}
			}
			break;
		case 7: /* clear, now and then */
			if (arg % 16 == 0) {
				pq_clear(q);
				r->n = 0;
				popped = 0; /* a cleared queue starts afresh */
			}
			break;
		}
		check(pq_size(q) == r->n);
	}
	while (r->n) {
		struct pq_item got;
		check(pq_pop(q, &got) == 1);
		size_t m = ref_min(r);
		check(cmp_item(&got, &r->a[m]) == 0);
		r->a[m] = r->a[--r->n];
	}
	pq_free(q);
	free(r);
	return 0;
}
