/*
 * pq (radix heap): the pending-event set as a radix heap (Ahuja, Mehlhorn,
 * Orlin and Tarjan, 1990), for a kernel whose pushes never come before the
 * last pop.
 *
 * Items are kept relative to a base time: bucket 0 holds the items at the
 * base, sorted by key and consumed from pos0; bucket i > 0 those whose time
 * first differs from the base in bit i-1. When bucket 0 runs out, the first
 * non-empty bucket's least time becomes the base and its items move down.
 * An item moves at most 64 times and usually once or twice, always by
 * sequential scans of short arrays: large queues cost few cache misses,
 * where a heap pays one per level.
 *
 * Invariants: every item's time >= base; bucket 0 is sorted by key from
 * pos0 and all its items are at the base; an item in bucket i > 0 has bit
 * i-1 as the highest set bit of (time XOR base); size counts the items.
 */
#include "sim/pq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 65

struct bucket {
	struct pq_item *v;
	size_t n;
	size_t cap;
};

struct pq {
	struct bucket b[NBUCKETS];
	size_t pos0;     /* bucket 0 is consumed from here */
	size_t size;     /* items */
	int64_t base;    /* the time the buckets are relative to */
	int64_t popped;  /* the time of the last item popped: pushes may not precede it */
};

static inline int bucket_of(int64_t t, int64_t base)
{
	uint64_t x = (uint64_t)t ^ (uint64_t)base;
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* Makes room for `more` items in b. 0 or -ENOMEM (b unchanged). */
static int reserve(struct bucket *b, size_t more)
{
	if (b->n + more <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + more) {
		if (cap > SIZE_MAX / 2 / sizeof(struct pq_item))
			return -ENOMEM;
		cap *= 2;
	}
	struct pq_item *v = realloc(b->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->v = v;
	b->cap = cap;
	return 0;
}

struct pq *pq_new(size_t hint)
{
	(void)hint; /* buckets grow as items arrive */
	return calloc(1, sizeof(struct pq));
}

void pq_free(struct pq *q)
{
	if (!q)
		return;
	for (int i = 0; i < NBUCKETS; i++)
		free(q->b[i].v);
	free(q);
}

size_t pq_size(const struct pq *q)
{
	return q->size;
}

void pq_clear(struct pq *q)
{
	for (int i = 0; i < NBUCKETS; i++)
		q->b[i].n = 0;
	q->pos0 = q->size = 0;
	q->base = q->popped = 0;
}

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = ((const struct pq_item *)a)->key, y = ((const struct pq_item *)b)->key;
	return (x > y) - (x < y);
}

/*
 * Moves v[0..n) (items in no bucket: a detached bucket's, or a copy of all)
 * into the buckets relative to `base`. One pass; if a bucket cannot grow,
 * the items already placed are taken back out, so a failure leaves the
 * buckets as they were. Bucket 0 (empty before) is sorted by key after.
 */
static int distribute(struct pq *q, const struct pq_item *v, size_t n, int64_t base)
{
	size_t placed[NBUCKETS] = {0};
	for (size_t k = 0; k < n; k++) {
		int i = bucket_of(v[k].time, base);
		struct bucket *d = &q->b[i];
		if (d->n == d->cap && reserve(d, 1) < 0) {
			for (int j = 0; j < NBUCKETS; j++)
				q->b[j].n -= placed[j];
			return -ENOMEM;
		}
		d->v[d->n++] = v[k];
		placed[i]++;
	}
	q->base = base;
	if (q->b[0].n > 1)
		qsort(q->b[0].v, q->b[0].n, sizeof(struct pq_item), cmp_key);
	return 0;
}

/* Bucket 0 is used up: the next non-empty bucket's least time becomes the base. */
static int refill(struct pq *q)
{
	q->b[0].n = q->pos0 = 0;
	int i = 1;
	while (q->b[i].n == 0)
		i++;
	struct bucket *src = &q->b[i];
	int64_t m = src->v[0].time;
	for (size_t k = 1; k < src->n; k++)
		if (src->v[k].time < m)
			m = src->v[k].time;
	/* Every item of bucket i lands in a lower bucket: detach the array first. */
	struct bucket moving = *src;
	*src = (struct bucket){0};
	int rc = distribute(q, moving.v, moving.n, m);
	if (rc < 0) {
		*src = moving;
		return rc;
	}
	*src = (struct bucket){moving.v, 0, moving.cap}; /* keep the memory */
	return 0;
}

/*
 * A push before the base (possible only after a peek moved the base ahead
 * of the last pop, e.g. when a run stopped at its horizon): every item is
 * redistributed around the earlier base. Rare and O(size).
 */
static int rebase(struct pq *q, int64_t base)
{
	struct pq_item *all = malloc((q->size + 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	size_t n = 0;
	for (int i = 0; i < NBUCKETS; i++) {
		size_t from = i == 0 ? q->pos0 : 0;
		if (q->b[i].n > from) {
			memcpy(all + n, q->b[i].v + from, (q->b[i].n - from) * sizeof(*all));
			n += q->b[i].n - from;
		}
	}
	size_t keep[NBUCKETS];
	for (int i = 0; i < NBUCKETS; i++) {
		keep[i] = q->b[i].n;
		q->b[i].n = 0;
	}
	size_t pos0 = q->pos0;
	int64_t old = q->base;
	q->pos0 = 0;
	int rc = distribute(q, all, n, base);
	if (rc < 0) { /* nothing moved: put the counts back */
		for (int i = 0; i < NBUCKETS; i++)
			q->b[i].n = keep[i];
		q->pos0 = pos0;
		q->base = old;
	}
	free(all);
	return rc;
}

/* The radix heap refuses a push before the last pop, and allocates
 * without asking pq_alloc_fails. */
const bool pq_refuses_early_push = true;
const bool pq_asks_alloc_hook = false;

int pq_push(struct pq *q, struct pq_item it)
{
	if (it.time < q->popped)
		return -EINVAL;
	if (it.time < q->base) {
		int rc = rebase(q, q->popped);
		if (rc < 0)
			return rc;
	}
	struct bucket *b = &q->b[bucket_of(it.time, q->base)];
	if (reserve(b, 1) < 0)
		return -ENOMEM;
	/* Bucket 0 stays sorted: a new key is the largest yet, but after a
	 * rebase equal times may interleave, so insert in place. */
	size_t k = b->n;
	if (b == &q->b[0])
		while (k > q->pos0 && b->v[k - 1].key > it.key) {
			b->v[k] = b->v[k - 1];
			k--;
		}
	b->v[k] = it;
	b->n++;
	q->size++;
	return 0;
}

int pq_peek(struct pq *q, struct pq_item *out)
{
	if (q->size == 0)
		return 0;
	if (q->pos0 == q->b[0].n) {
		int rc = refill(q);
		if (rc < 0)
			return rc;
	}
	*out = q->b[0].v[q->pos0];
	return 1;
}

int pq_pop(struct pq *q, struct pq_item *out)
{
	int rc = pq_peek(q, out);
	if (rc <= 0)
		return rc;
	q->popped = out->time;
	q->size--;
	if (++q->pos0 == q->b[0].n)
		q->b[0].n = q->pos0 = 0;
	return 1;
}

const struct pq_item *pq_next_hint(const struct pq *q)
{
	return q->pos0 < q->b[0].n ? &q->b[0].v[q->pos0] : NULL;
}

const struct pq_item *pq_next_run(const struct pq *q, size_t *n)
{
	*n = q->b[0].n - q->pos0;
	return *n ? &q->b[0].v[q->pos0] : NULL;
}
