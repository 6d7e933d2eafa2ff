/*
 * pq (heap): a d-ary min-heap of 16-byte items (d = PQ_ARITY, 4 by default).
 *
 * Layout: logical node i lives at physical index i + 3 of a 64-byte aligned
 * array, so that the children of node i (logical 4i+1 .. 4i+4, physical
 * 4(i+1) .. 4(i+1)+3) fill exactly one cache line: a sift-down level costs
 * one line fetch. Pop uses Floyd's bottom-up trick: the hole left by the
 * root walks down the path of least children to a leaf without comparing
 * against the element that will fill it (which, being the last leaf, almost
 * always belongs near the bottom), then that element sifts up.
 *
 * Invariant: for every logical node i > 0, item(parent(i)) <= item(i) in
 * (time, key) order.
 */
#include "sim/pq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef PQ_ARITY
#define PQ_ARITY 4
#endif
#define PQ_SHIFT (PQ_ARITY - 1) /* physical = logical + PQ_SHIFT */
#define PQ_ALIGN (PQ_ARITY * sizeof(struct pq_item))
#define PQ_PREFETCH_MIN (1u << 16) /* items (1 MiB): below, the heap stays in cache */

struct pq {
	struct pq_item *a; /* physical array, a[PQ_SHIFT] is the root */
	size_t n;          /* items */
	size_t cap;        /* logical capacity */
};

static inline bool less(const struct pq_item *x, const struct pq_item *y)
{
	return x->time < y->time || (x->time == y->time && x->key < y->key);
}

static int grow(struct pq *q, size_t want)
{
	size_t cap = q->cap ? q->cap : 64;
	while (cap < want) {
		if (cap > SIZE_MAX / 2 / sizeof(struct pq_item))
			return -ENOMEM;
		cap *= 2;
	}
	size_t bytes = (cap + PQ_SHIFT + PQ_ARITY) * sizeof(struct pq_item);
	bytes = (bytes + PQ_ALIGN - 1) / PQ_ALIGN * PQ_ALIGN;
	struct pq_item *a = aligned_alloc(PQ_ALIGN, bytes);
	if (!a)
		return -ENOMEM;
	if (q->a) {
		memcpy(a + PQ_SHIFT, q->a + PQ_SHIFT, q->n * sizeof(*a));
		free(q->a);
	}
	q->a = a;
	q->cap = cap;
	return 0;
}

struct pq *pq_new(size_t hint)
{
	struct pq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	if (grow(q, hint ? hint : 64) < 0) {
		free(q);
		return NULL;
	}
	return q;
}

void pq_free(struct pq *q)
{
	if (!q)
		return;
	free(q->a);
	free(q);
}

size_t pq_size(const struct pq *q)
{
	return q->n;
}

void pq_clear(struct pq *q)
{
	q->n = 0;
}

int pq_peek(struct pq *q, struct pq_item *out)
{
	if (q->n == 0)
		return 0;
	*out = q->a[PQ_SHIFT];
	return 1;
}

const struct pq_item *pq_next_hint(const struct pq *q)
{
	return q->n ? &q->a[PQ_SHIFT] : NULL;
}

const struct pq_item *pq_next_run(const struct pq *q, size_t *n)
{
	*n = q->n ? 1 : 0;
	return pq_next_hint(q);
}

/* Moves `it` up from the hole at logical index i to its place. */
static void sift_up(struct pq_item *h, size_t i, struct pq_item it)
{
	while (i > 0) {
		size_t p = (i - 1) / PQ_ARITY;
		if (!less(&it, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = it;
}

/* The heap keeps no record of the last pop, so it accepts a push before it
 * (pq.h allows that), which then pops first; it allocates without asking
 * pq_alloc_fails. */
const bool pq_refuses_early_push = false;
const bool pq_asks_alloc_hook = false;

int pq_push(struct pq *q, struct pq_item it)
{
	if (q->n == q->cap && grow(q, q->n + 1) < 0)
		return -ENOMEM;
	sift_up(q->a + PQ_SHIFT, q->n++, it);
	return 0;
}

int pq_pop(struct pq *q, struct pq_item *out)
{
	if (q->n == 0)
		return 0;
	struct pq_item *h = q->a + PQ_SHIFT;
	*out = h[0];
	size_t n = --q->n;
	if (n == 0)
		return 1;
	struct pq_item last = h[n];
	/* Walk the hole down to a leaf along the least children. */
	bool big = n > PQ_PREFETCH_MIN;
	size_t i = 0;
	for (;;) {
		size_t c = PQ_ARITY * i + 1;
		if (c >= n)
			break;
		/* The children of c .. c+3 are contiguous (4 lines): in a heap
		 * larger than the caches, fetch them while this level is compared. */
		if (big && PQ_ARITY * c + 1 < n)
			for (size_t k = 0; k < PQ_ARITY; k++)
				__builtin_prefetch(&h[PQ_ARITY * (c + k) + 1]);
		size_t best = c;
		size_t end = c + PQ_ARITY < n ? c + PQ_ARITY : n;
		for (size_t j = c + 1; j < end; j++)
			if (less(&h[j], &h[best]))
				best = j;
		h[i] = h[best];
		i = best;
	}
	sift_up(h, i, last);
	return 1;
}
