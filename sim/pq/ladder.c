/*
 * pq (ladder): a ladder queue (Tang, Goh and Thng, 2005) laid out for the
 * caches: amortised O(1) per item for the kernel's monotone use.
 *
 * Three tiers, from the far future down:
 *   top     an unsorted array of the items at or after top_start;
 *   rungs   up to LQ_RUNGS levels of buckets of equal width (a power of two
 *           of nanoseconds), each bucket an unsorted list of chunks of
 *           LQ_CHUNK items; rung i+1 subdivides one bucket of rung i, the
 *           one before rung i's current bucket;
 *   bottom  a short array sorted by (time, key), consumed from bpos.
 * Pops take bottom's front. When bottom runs out, the innermost rung's next
 * non-empty bucket is sorted into it, or, when it holds more than LQ_THRES
 * items, spread into a new finer rung of about LQ_TARGET items a bucket.
 * When every rung is used up, the top is sorted into bottom if it is short,
 * else spread into a new rung 0 (an "epoch") whose buckets hold about
 * LQ_TARGET items where the items are densest, or n / LQ_FRONT when that is
 * more: rung 0's buckets then number about LQ_FRONT over the mean spread
 * ahead of now, so that the buckets pushes land in, and their last chunks,
 * stay in the caches (LQ_TARGET alone would scatter the pushes of a queue
 * of 10^6 over 10^5 buckets: a cache miss each, as in a heap). A push goes
 * to the top, to the outermost rung whose current bucket does not start
 * after it, or else into bottom in order; a bottom grown past bot_limit
 * (doubled at each such spread, so the cost stays amortised) is spread into
 * a new rung. In a queue of LQ_RUN_SIZE items or more, a pop that leaves
 * fewer than LQ_RUN_MIN in bottom refills it at once (the next bucket's
 * items all come after bottom's, so they are appended): pq_next_run then
 * always shows the kernel a few items whose records it can fetch ahead.
 *
 * Small mode: most of the kernel's queues (one per replication) hold a few
 * dozen items or fewer, where the tiers cost more than a heap. A queue of
 * at most LQ_SMALL items with no rung and an empty top keeps every item in
 * bottom (top_start is then SMALL_MODE, which no tier boundary can equal):
 * a push is inserted in place from bottom's end, a pop takes the front,
 * and pq_peek does nothing more. Up to LQ_TINY items bottom may be
 * "loose": only its front is known to be the least; a push is appended
 * and swapped to the front if it is less, and a pop brings the least of
 * the rest to the front (tiny_push, tiny_front), all without a branch on
 * the items: where a push lands among a few pending events is as good as
 * random (an FSR's completion among its host's others), and an insertion
 * loop then mispredicts its exit about once a push, which costs more than
 * looking at each item. A loose bottom is sorted (settle) before anything
 * else reads it in order. A push that would make a small queue longer than
 * LQ_SMALL moves its items to the top, which starts at the earliest of
 * them, as in a new queue, so that a queue that keeps growing goes through
 * the tiers as before. It becomes small again when a refill sorts a short top into
 * an otherwise empty queue, or when a queue with rungs has drained to
 * LQ_SMALL / 2 items (all then sorted into bottom; the buckets scanned cost
 * about as much as the items that filled them). A new or cleared queue
 * starts small; the top and the chunks are allocated when first needed,
 * unless pq_new's hint is large.
 *
 * Each item is appended to a bucket at most three times and sorted once
 * among a few dozen: sequential work on short arrays, where a heap of 10^6
 * items pays a cache miss on each of its lower levels.
 *
 * Invariants: the rungs are nested: rung i covers [start_i, end_i) with
 * end_0 = top_start and end_{i+1} = cur_start_i (the start of rung i's
 * current bucket); every item of top is at or after top_start; every item
 * of rung i lies in [cur_start_i, end_i), in the bucket of its time; every
 * item of bottom comes before the innermost rung's cur_start (top_start if
 * there is no rung), so before every item of the rungs and top; bottom is
 * sorted from bpos, or loose (only in small mode, with at most LQ_TINY
 * items): its front the least; size counts the items; top_start ==
 * SMALL_MODE only with no rung, an empty top and at most LQ_SMALL items.
 * A rung with no item left is dropped at the next refill.
 */
#include "sim/pq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef LQ_CHUNK
#define LQ_CHUNK 16        /* items per chunk (256 bytes, four cache lines) */
#endif
#ifndef LQ_TARGET
#define LQ_TARGET 16       /* items wanted per bucket of a new finer rung */
#endif
#ifndef LQ_FRONT
#define LQ_FRONT 256       /* at most about this many rung-0 buckets per mean spread */
#endif
#ifndef LQ_THRES
#define LQ_THRES 48        /* a bucket with more items spawns a finer rung */
#endif
#define LQ_AHEAD 4         /* chunks fetched ahead when a bucket is read */
#define LQ_RUN_MIN 8       /* a large queue refills bottom below this many items */
#define LQ_RUN_SIZE 4096   /* ... when it holds at least this many */
#define LQ_RUNGS 8         /* at most this many rungs */
#define LQ_BOTTOM_MIN 64   /* bottom may grow this long before it is spread */
#ifndef LQ_SMALL
#define LQ_SMALL 48        /* a queue of at most this many may be all bottom */
#endif
#ifndef LQ_TINY
#define LQ_TINY 8          /* a small queue of at most this many may be loose */
#endif
#define SMALL_MODE UINT64_MAX /* top_start of a queue that is all bottom */
#define LQ_PREALLOC 1024   /* pq_new sizes the top and chunks for a larger hint */
#ifndef LQ_SORT_SMALL
#define LQ_SORT_SMALL 64   /* insertion sort up to here, qsort above */
#endif
#define NIL UINT32_MAX

struct bucket {
	uint32_t head; /* first chunk */
	uint32_t tail; /* last chunk, filled to ((n - 1) % LQ_CHUNK) + 1 */
	uint32_t n;    /* items */
};

struct rung {
	struct bucket *b;
	size_t nb;          /* buckets in use */
	size_t cap;         /* buckets allocated */
	size_t cur;         /* first bucket not yet consumed */
	size_t n;           /* items in the rung */
	uint64_t start;     /* time at which bucket 0 starts */
	uint64_t cur_start; /* start + (cur << shift) */
	int shift;          /* buckets are 2^shift ns wide */
};

struct pq {
	/* bottom, the hot part */
	struct pq_item *bot;
	size_t bpos, bn, bcap;
	size_t size;
	int64_t popped; /* time of the last pop: pushes may not precede it */
	size_t bot_limit;
	bool loose; /* bottom's front is the least, the rest in any order */
	int nr; /* rungs in use */
	uint64_t top_start;
	/* top */
	struct pq_item *top;
	size_t tn, tcap;
	int64_t tmin, tmax;
	/* chunks: chunk c is cv[c * LQ_CHUNK ..], its successor cnext[c] */
	struct pq_item *cv;
	uint32_t *cnext;
	uint32_t ncap;  /* chunks allocated */
	uint32_t cused; /* chunks ever handed out since the last clear */
	uint32_t cfree; /* free list through cnext */
	struct rung r[LQ_RUNGS];
};

/* Tests may define pq_alloc_fails (sim/pq.h) to make allocations fail:
 * every allocation asks it. A push before the last pop is refused. */
extern bool pq_alloc_fails(void) __attribute__((weak));
const bool pq_refuses_early_push = true;
const bool pq_asks_alloc_hook = true;

static inline bool alloc_fails(void)
{
	return pq_alloc_fails && pq_alloc_fails();
}

static inline bool less(const struct pq_item *x, const struct pq_item *y)
{
	return x->time < y->time || (x->time == y->time && x->key < y->key);
}

/* *d = *s as two 8-byte moves (see pq_push). */
static inline void copy_item(struct pq_item *d, const struct pq_item *s)
{
	int64_t t = s->time;
	uint64_t k = s->key;
	__asm__("" : "+r"(t), "+r"(k)); /* keep the halves apart */
	d->time = t;
	d->key = k;
}

static int cmp_item(const void *a, const void *b)
{
	const struct pq_item *x = a, *y = b;
	return less(x, y) ? -1 : less(y, x);
}

static void sort_items(struct pq_item *v, size_t n)
{
	if (n > LQ_SORT_SMALL) {
		qsort(v, n, sizeof(*v), cmp_item);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct pq_item x = v[i];
		size_t j = i;
		while (j > 0 && less(&x, &v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* (time, key) as one 128-bit number, which orders items as less() does
 * (time is never negative), compared without a branch. */
typedef unsigned __int128 u128;
static inline u128 rank(const struct pq_item *x)
{
	return (u128)(uint64_t)x->time << 64 | x->key;
}

/* Appends it to bottom's m items (m < LQ_TINY, room after them), then
 * swaps it with the front if it is less: the front stays the least. */
static inline void tiny_push(struct pq_item *w, size_t m, struct pq_item it)
{
	const struct pq_item f = w[0];
	const bool lt = m > 0 && rank(&it) < rank(&f);
	w[0].time = lt ? it.time : f.time;
	w[0].key = lt ? it.key : f.key;
	w[m].time = lt ? f.time : it.time;
	w[m].key = lt ? f.key : it.key;
}

/* Swaps the least of bottom's m items (m >= 1) to the front. */
static inline void tiny_front(struct pq_item *w, size_t m)
{
	size_t best = 0;
	u128 least = rank(&w[0]);
	for (size_t j = 1; j < m; j++) {
		const u128 r = rank(&w[j]);
		const bool lt = r < least;
		best = lt ? j : best;
		least = lt ? r : least;
	}
	const struct pq_item f = w[0], b = w[best];
	w[best] = f;
	w[0] = b;
}

/* A loose bottom in order again. */
static void settle(struct pq *q)
{
	if (q->loose) {
		sort_items(q->bot + q->bpos, q->bn - q->bpos);
		q->loose = false;
	}
}

/* Makes room for `want` items in *v (capacity *cap). 0 or -ENOMEM (unchanged). */
static int reserve(struct pq_item **v, size_t *cap, size_t want)
{
	if (want <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < want) {
		if (c > SIZE_MAX / 2 / sizeof(**v))
			return -ENOMEM;
		c *= 2;
	}
	struct pq_item *n = alloc_fails() ? NULL : realloc(*v, c * sizeof(*n));
	if (!n)
		return -ENOMEM;
	*v = n;
	*cap = c;
	return 0;
}

static int chunk_grow(struct pq *q, uint32_t want)
{
	uint64_t cap = q->ncap ? q->ncap : 16;
	while (cap < want)
		cap *= 2;
	if (cap >= NIL)
		cap = NIL - 1;
	if (cap <= q->ncap || cap > SIZE_MAX / (LQ_CHUNK * sizeof(struct pq_item)))
		return -ENOMEM;
	uint32_t *nx = alloc_fails() ? NULL : realloc(q->cnext, cap * sizeof(*nx));
	if (!nx)
		return -ENOMEM;
	q->cnext = nx;
	struct pq_item *v = alloc_fails() ? NULL : realloc(q->cv, cap * LQ_CHUNK * sizeof(*v));
	if (!v)
		return -ENOMEM; /* cnext is larger than needed: harmless */
	q->cv = v;
	q->ncap = (uint32_t)cap;
	return 0;
}

/* A free chunk, or NIL on OOM. */
static inline uint32_t chunk_get(struct pq *q)
{
	uint32_t c = q->cfree;
	if (c != NIL) {
		q->cfree = q->cnext[c];
		return c;
	}
	if (q->cused == q->ncap && chunk_grow(q, q->ncap + 1) < 0)
		return NIL;
	return q->cused++;
}

static inline void chunk_prefetch(const struct pq *q, uint32_t c)
{
	const char *p = (const char *)(q->cv + (size_t)c * LQ_CHUNK);
	for (size_t off = 0; off < LQ_CHUNK * sizeof(struct pq_item); off += 64)
		__builtin_prefetch(p + off);
}

/* Gives a bucket's chunks back (the bucket is left as is). */
static inline void chain_free(struct pq *q, const struct bucket *b)
{
	q->cnext[b->tail] = q->cfree;
	q->cfree = b->head;
}

/* Appends `it` to its bucket of rg. 0 or -ENOMEM (unchanged). */
static inline int bucket_add(struct pq *q, struct rung *rg, struct pq_item it)
{
	struct bucket *b = &rg->b[((uint64_t)it.time - rg->start) >> rg->shift];
	uint32_t fill = b->n % LQ_CHUNK;
	if (fill == 0) {
		uint32_t c = chunk_get(q);
		if (c == NIL)
			return -ENOMEM;
		if (b->n == 0)
			b->head = c;
		else
			q->cnext[b->tail] = c;
		b->tail = c;
	}
	q->cv[(size_t)b->tail * LQ_CHUNK + fill] = it;
	b->n++;
	rg->n++;
	return 0;
}

/*
 * The bucket width (a shift) for n items over [lo, lo + range), range >= 1,
 * whose mean lies `mean` after lo: about `target` items per bucket where
 * they are densest (near the mean, for a spread like the exponential's), at
 * most 2n + 16 buckets (a few items far away must not make billions).
 */
static int pick_shift(uint64_t range, size_t n, double mean, size_t target)
{
	double w = mean * (double)target / (double)n;
	int s = 0; /* the largest s with 2^s <= w, or 0 */
	if (w >= 0x1p62)
		s = 62;
	else if (w >= 2)
		s = 63 - __builtin_clzll((uint64_t)w);
	uint64_t nbmax = 2 * (uint64_t)n + 16;
	while (s < 63 && ((range - 1) >> s) + 1 > nbmax)
		s++;
	return s;
}

/* Sets up rung k (not yet counted in nr) over [lo, lo + range). 0 or -ENOMEM. */
static int rung_init(struct pq *q, int k, uint64_t lo, uint64_t range, int shift)
{
	struct rung *rg = &q->r[k];
	size_t nb = (size_t)(((range - 1) >> shift) + 1);
	if (nb > rg->cap) {
		if (nb > SIZE_MAX / sizeof(struct bucket))
			return -ENOMEM;
		struct bucket *b = alloc_fails() ? NULL : malloc(nb * sizeof(*b));
		if (!b)
			return -ENOMEM;
		free(rg->b);
		rg->b = b;
		rg->cap = nb;
	}
	memset(rg->b, 0, nb * sizeof(*rg->b));
	rg->nb = nb;
	rg->cur = 0;
	rg->n = 0;
	rg->start = lo;
	rg->cur_start = lo;
	rg->shift = shift;
	return 0;
}

/* Undoes a rung_init and the bucket_adds after it (on OOM). */
static void rung_release(struct pq *q, struct rung *rg)
{
	for (size_t j = 0; j < rg->nb && rg->n; j++)
		if (rg->b[j].n) {
			chain_free(q, &rg->b[j]);
			rg->n -= rg->b[j].n;
			rg->b[j].n = 0;
		}
}

static inline void rung_advance(struct rung *rg, size_t cur)
{
	rg->cur = cur;
	rg->cur_start = rg->start + ((uint64_t)cur << rg->shift);
}

/* Spreads the top into a new rung 0 (no rung is in use). 0 or -ENOMEM. */
static int epoch(struct pq *q)
{
	uint64_t lo = (uint64_t)q->tmin, range = (uint64_t)q->tmax - lo + 1;
	double sum = 0;
	for (size_t k = 0; k < q->tn; k++)
		sum += (double)((uint64_t)q->top[k].time - lo);
	/* Buckets fine enough to be sorted (LQ_TARGET items), but no more than
	 * LQ_FRONT over the mean spread: the buckets a push lands in, and
	 * their last chunks, then stay in the caches; a bucket too full to
	 * sort spawns a finer rung when its turn comes. */
	size_t target = q->tn / LQ_FRONT > LQ_TARGET ? q->tn / LQ_FRONT : LQ_TARGET;
	int shift = pick_shift(range, q->tn, sum / (double)q->tn, target);
	int rc = rung_init(q, 0, lo, range, shift);
	if (rc < 0)
		return rc;
	struct rung *rg = &q->r[0];
	for (size_t k = 0; k < q->tn; k++)
		if (bucket_add(q, rg, q->top[k]) < 0) {
			rung_release(q, rg);
			return -ENOMEM;
		}
	q->tn = 0;
	q->top_start = lo + ((uint64_t)rg->nb << shift);
	q->nr = 1;
	return 0;
}

/* Room for n more items at the end of bottom (moving its live part to the
 * front first), or NULL on OOM (bottom unchanged). */
static inline struct pq_item *bottom_room(struct pq *q, size_t n)
{
	if (q->bpos == 0 && q->bn + n <= q->bcap)
		return q->bot + q->bn;
	if (q->bpos > 0) {
		memmove(q->bot, q->bot + q->bpos, (q->bn - q->bpos) * sizeof(*q->bot));
		q->bn -= q->bpos;
		q->bpos = 0;
	}
	if (reserve(&q->bot, &q->bcap, q->bn + n) < 0)
		return NULL;
	return q->bot + q->bn;
}

/* n sorted items were written after bottom's end. */
static void bottom_grown(struct pq *q, size_t n)
{
	q->bn += n;
	size_t live = q->bn - q->bpos;
	q->bot_limit = 2 * live > LQ_BOTTOM_MIN ? 2 * live : LQ_BOTTOM_MIN;
}

/* Few items, all in the top (no rung is in use): sorts them after bottom
 * (they all come after it), which then reaches up to the top's new start.
 * 0 or -ENOMEM. */
static int top_to_bottom(struct pq *q)
{
	size_t n = q->tn;
	struct pq_item *v = bottom_room(q, n);
	if (!v)
		return -ENOMEM;
	memcpy(v, q->top, n * sizeof(*v));
	sort_items(v, n);
	bottom_grown(q, n);
	q->tn = 0;
	/* Every item is in bottom now: a small queue keeps them all there. */
	q->top_start = q->size <= LQ_SMALL ? SMALL_MODE : (uint64_t)q->tmax + 1;
	return 0;
}

/* Sorts bucket j of the innermost rung after bottom (its items all come
 * after bottom's). 0 or -ENOMEM. */
static int to_bottom(struct pq *q, struct rung *rg, size_t j)
{
	struct bucket *b = &rg->b[j];
	size_t n = b->n;
	struct pq_item *v = bottom_room(q, n);
	if (!v)
		return -ENOMEM;
	uint32_t c = b->head;
	for (size_t k = 0; k < n; k += LQ_CHUNK) {
		size_t m = n - k < LQ_CHUNK ? n - k : LQ_CHUNK;
		memcpy(v + k, q->cv + (size_t)c * LQ_CHUNK, m * sizeof(struct pq_item));
		c = q->cnext[c];
	}
	chain_free(q, b);
	b->n = 0;
	rg->n -= n;
	rung_advance(rg, j + 1);
	/* The next bucket comes after these n pops: fetch its first chunk. */
	if (j + 1 < rg->nb && rg->b[j + 1].n)
		chunk_prefetch(q, rg->b[j + 1].head);
	sort_items(v, n);
	bottom_grown(q, n);
	return 0;
}

/*
 * Bucket j of the innermost rung (n > LQ_THRES items) into a finer rung
 * inside it. 1 if spawned, 0 if pointless (one time only), or -ENOMEM.
 */
static int spawn(struct pq *q, struct rung *rg, size_t j)
{
	struct bucket *b = &rg->b[j];
	size_t n = b->n;
	uint64_t bstart = rg->start + ((uint64_t)j << rg->shift);
	int64_t mn = INT64_MAX, mx = INT64_MIN;
	double sum = 0;
	/* The chunks lie anywhere: fetch a few ahead along the chain. */
	uint32_t c = b->head, ahead = b->head;
	size_t nch = (n + LQ_CHUNK - 1) / LQ_CHUNK, k_ahead = 0;
	for (size_t k = 0; k < n; k += LQ_CHUNK) {
		for (; k_ahead < nch && k_ahead * LQ_CHUNK < k + LQ_AHEAD * LQ_CHUNK; k_ahead++) {
			chunk_prefetch(q, ahead);
			ahead = q->cnext[ahead];
		}
		size_t m = n - k < LQ_CHUNK ? n - k : LQ_CHUNK;
		const struct pq_item *v = q->cv + (size_t)c * LQ_CHUNK;
		for (size_t i = 0; i < m; i++) {
			if (v[i].time < mn)
				mn = v[i].time;
			if (v[i].time > mx)
				mx = v[i].time;
			sum += (double)((uint64_t)v[i].time - bstart);
		}
		c = q->cnext[c];
	}
	if (mn == mx)
		return 0;
	sum -= (double)n * (double)((uint64_t)mn - bstart); /* now from mn */
	uint64_t lo = (uint64_t)mn;
	uint64_t hi = rg->start + ((uint64_t)(j + 1) << rg->shift);
	int shift = pick_shift(hi - lo, n, sum / (double)n, LQ_TARGET);
	if (shift >= rg->shift)
		shift = rg->shift - 1;
	int rc = rung_init(q, q->nr, lo, hi - lo, shift);
	if (rc < 0)
		return rc;
	struct rung *child = &q->r[q->nr];
	c = b->head;
	for (size_t k = 0; k < n; k += LQ_CHUNK) {
		size_t m = n - k < LQ_CHUNK ? n - k : LQ_CHUNK;
		for (size_t i = 0; i < m; i++)
			/* cv may move as chunks are added: index it afresh */
			if (bucket_add(q, child, q->cv[(size_t)c * LQ_CHUNK + i]) < 0) {
				rung_release(q, child);
				return -ENOMEM;
			}
		c = q->cnext[c];
	}
	chain_free(q, b);
	b->n = 0;
	rg->n -= n;
	rung_advance(rg, j + 1);
	q->nr++;
	return 1;
}

/*
 * A queue with rungs has drained to a few items: sorts every item of the
 * rungs and the top after bottom (they all come after its items), and the
 * queue is small again. Scanning the rungs' buckets costs about as much as
 * the items that filled them. 0 or -ENOMEM (unchanged).
 */
static int to_small(struct pq *q)
{
	size_t n = q->size - (q->bn - q->bpos);
	struct pq_item *v = bottom_room(q, n);
	if (!v)
		return -ENOMEM;
	size_t m = 0;
	for (int i = 0; i < q->nr; i++) {
		struct rung *rg = &q->r[i];
		for (size_t j = rg->cur; j < rg->nb && rg->n; j++) {
			struct bucket *b = &rg->b[j];
			if (b->n == 0)
				continue;
			uint32_t c = b->head;
			for (size_t k = 0; k < b->n; k += LQ_CHUNK) {
				size_t l = b->n - k < LQ_CHUNK ? b->n - k : LQ_CHUNK;
				memcpy(v + m + k, q->cv + (size_t)c * LQ_CHUNK, l * sizeof(*v));
				c = q->cnext[c];
			}
			chain_free(q, b);
			m += b->n;
			rg->n -= b->n;
			b->n = 0;
		}
	}
	memcpy(v + m, q->top, q->tn * sizeof(*v));
	sort_items(v, n);
	bottom_grown(q, n);
	q->tn = 0;
	q->nr = 0;
	q->top_start = SMALL_MODE;
	return 0;
}

/* Some items are outside bottom: adds the next of them to bottom. 0 or
 * -ENOMEM (the queue's contents and order unchanged). */
static int refill(struct pq *q)
{
	/* Drained back to a few: all of them into bottom (LQ_SMALL / 2, so
	 * that a queue near LQ_SMALL does not go to and fro). */
	if (q->nr > 0 && q->size <= LQ_SMALL / 2)
		return to_small(q);
	for (;;) {
		if (q->nr == 0) {
			if (q->tn <= LQ_THRES)
				return top_to_bottom(q);
			int rc = epoch(q);
			if (rc < 0)
				return rc;
		}
		struct rung *rg = &q->r[q->nr - 1];
		if (rg->n == 0) {
			q->nr--;
			continue;
		}
		size_t j = rg->cur;
		while (rg->b[j].n == 0)
			j++;
		rung_advance(rg, j); /* the empty buckets before are behind us */
		if (rg->b[j].n > LQ_THRES && rg->shift > 0 && q->nr < LQ_RUNGS) {
			int rc = spawn(q, rg, j);
			if (rc < 0)
				return rc;
			if (rc > 0)
				continue;
		}
		return to_bottom(q, rg, j);
	}
}

/* Spreads a long bottom (not all at one time) into a new innermost rung. */
static int bottom_spread(struct pq *q)
{
	size_t n = q->bn - q->bpos;
	const struct pq_item *v = q->bot + q->bpos;
	uint64_t lo = (uint64_t)v[0].time;
	uint64_t hi = q->nr ? q->r[q->nr - 1].cur_start : q->top_start;
	if (v[n - 1].time == v[0].time || q->nr == LQ_RUNGS)
		return 0;
	double sum = 0;
	for (size_t k = 0; k < n; k++)
		sum += (double)((uint64_t)v[k].time - lo);
	int shift = pick_shift(hi - lo, n, sum / (double)n, LQ_TARGET);
	int rc = rung_init(q, q->nr, lo, hi - lo, shift);
	if (rc < 0)
		return rc;
	struct rung *rg = &q->r[q->nr];
	for (size_t k = 0; k < n; k++)
		if (bucket_add(q, rg, v[k]) < 0) {
			rung_release(q, rg);
			return -ENOMEM;
		}
	q->bpos = q->bn = 0;
	q->nr++;
	return 1;
}

static int route(struct pq *q, struct pq_item it);
static int top_add(struct pq *q, struct pq_item it);

/*
 * A small queue grows past LQ_SMALL: its items go back to the top, which
 * starts at the earliest of them, as in a new queue, so that a queue that
 * keeps growing is spread by an epoch at its next refill. Then routes
 * `it`. 0 or -ENOMEM (unchanged).
 */
static int leave_small(struct pq *q, struct pq_item it)
{
	size_t live = q->bn - q->bpos;
	if (reserve(&q->top, &q->tcap, live + 1) < 0)
		return -ENOMEM;
	const struct pq_item *v = q->bot + q->bpos;
	memcpy(q->top, v, live * sizeof(*v));
	q->tn = live;
	q->tmin = v[0].time;
	q->tmax = v[live - 1].time;
	q->top_start = (uint64_t)v[0].time;
	q->bpos = q->bn = 0;
	q->bot_limit = LQ_BOTTOM_MIN;
	/* Cannot fail: it goes to the top, which has room, or into the empty
	 * bottom, which has room for LQ_SMALL items. */
	return route(q, it);
}

static int bottom_add(struct pq *q, struct pq_item it)
{
	size_t live = q->bn - q->bpos;
	/* Before everything in bottom, and there is room in front. */
	if (q->bpos > 0 && less(&it, &q->bot[q->bpos])) {
		q->bot[--q->bpos] = it;
		return 0;
	}
	if (q->top_start == SMALL_MODE) {
		if (live >= LQ_SMALL)
			return leave_small(q, it);
	} else if (live >= q->bot_limit) {
		int rc = bottom_spread(q);
		/* On failure (OOM, or one time only) bottom stays as it was. */
		q->bot_limit = 2 * (q->bn - q->bpos);
		if (q->bot_limit < LQ_BOTTOM_MIN)
			q->bot_limit = LQ_BOTTOM_MIN;
		if (rc > 0)
			return route(q, it); /* bottom is empty now: no second spread */
	}
	/* Its place: the first item after it, by binary search (a bottom
	 * outside the small mode may be long). */
	const struct pq_item *v = q->bot + q->bpos;
	size_t lo = 0, n = live;
	while (n > 1) {
		size_t half = n / 2;
		lo = less(&v[lo + half - 1], &it) ? lo + half : lo;
		n -= half;
	}
	if (n == 1 && less(&v[lo], &it))
		lo++;
	size_t k = q->bpos + lo;
	/* Move the shorter side: the front down into a free slot, or the back up. */
	if (q->bpos > 0 && lo < live - lo) {
		memmove(q->bot + q->bpos - 1, q->bot + q->bpos, lo * sizeof(*q->bot));
		q->bpos--;
		q->bot[k - 1] = it;
		return 0;
	}
	if (q->bn == q->bcap) {
		if (q->bpos > 0) {
			memmove(q->bot, q->bot + q->bpos, live * sizeof(*q->bot));
			k -= q->bpos;
			q->bn = live;
			q->bpos = 0;
		} else if (reserve(&q->bot, &q->bcap, q->bn + 1) < 0) {
			return -ENOMEM;
		}
	}
	memmove(q->bot + k + 1, q->bot + k, (q->bn - k) * sizeof(*q->bot));
	q->bot[k] = it;
	q->bn++;
	return 0;
}

static int top_add(struct pq *q, struct pq_item it)
{
	if (q->tn == q->tcap && reserve(&q->top, &q->tcap, q->tn + 1) < 0)
		return -ENOMEM;
	if (q->tn == 0 || it.time < q->tmin)
		q->tmin = it.time;
	if (q->tn == 0 || it.time > q->tmax)
		q->tmax = it.time;
	q->top[q->tn++] = it;
	return 0;
}

struct pq *pq_new(size_t hint)
{
	struct pq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->cfree = NIL;
	q->bot_limit = LQ_BOTTOM_MIN;
	q->top_start = SMALL_MODE;
	if (reserve(&q->bot, &q->bcap, LQ_BOTTOM_MIN) < 0)
		goto fail;
	/* A queue expected to stay small may never use the top or a chunk:
	 * they are allocated when first needed. */
	if (hint > LQ_PREALLOC &&
	    (reserve(&q->top, &q->tcap, hint) < 0 ||
	     chunk_grow(q, (uint32_t)(hint / LQ_CHUNK < NIL / 2 ? hint / LQ_CHUNK : NIL / 2)) < 0))
		goto fail;
	return q;

fail:
	pq_free(q);
	return NULL;
}

void pq_free(struct pq *q)
{
	if (!q)
		return;
	for (int i = 0; i < LQ_RUNGS; i++)
		free(q->r[i].b);
	free(q->cv);
	free(q->cnext);
	free(q->top);
	free(q->bot);
	free(q);
}

size_t pq_size(const struct pq *q)
{
	return q->size;
}

void pq_clear(struct pq *q)
{
	q->bpos = q->bn = q->tn = q->size = 0;
	q->nr = 0;
	q->popped = 0;
	q->top_start = SMALL_MODE;
	q->bot_limit = LQ_BOTTOM_MIN;
	q->loose = false;
	q->cused = 0;
	q->cfree = NIL;
}

/* Puts `it` in its tier. 0 or -ENOMEM (unchanged, but for the order of a
 * loose bottom). */
static int route(struct pq *q, struct pq_item it)
{
	settle(q);
	uint64_t t = (uint64_t)it.time;
	if (t >= q->top_start)
		return top_add(q, it);
	int i = 0;
	while (i < q->nr && t < q->r[i].cur_start)
		i++;
	return i < q->nr ? bucket_add(q, &q->r[i], it) : bottom_add(q, it);
}

int pq_push(struct pq *q, struct pq_item it)
{
	if (it.time < q->popped)
		return -EINVAL;
	/* A small queue, with room at bottom's end: insert in place. */
	if (q->top_start == SMALL_MODE && q->bn < q->bcap && q->bn - q->bpos < LQ_SMALL) {
		const size_t live = q->bn - q->bpos;
		if (live < LQ_TINY) {
			tiny_push(q->bot + q->bpos, live, it);
			q->loose = live > 0;
		} else {
			settle(q);
			/* From the end (most pushes come after the items pending,
			 * or near the end), item by item, in halves: a half was
			 * likely stored as such by a recent push, and a whole-item
			 * load would wait for it. */
			struct pq_item *v = q->bot;
			size_t k = q->bn;
			while (k > q->bpos && less(&it, &v[k - 1])) {
				copy_item(&v[k], &v[k - 1]);
				k--;
			}
			v[k] = it;
		}
		q->bn++;
		q->size++;
		return 0;
	}
	if (q->size >= UINT32_MAX)
		return -ENOMEM; /* a bucket counts its items in 32 bits */
	int rc = route(q, it);
	if (rc == 0)
		q->size++;
	return rc;
}

int pq_peek(struct pq *q, struct pq_item *out)
{
	if (q->bpos == q->bn) {
		if (q->size == 0)
			return 0;
		int rc = refill(q);
		if (rc < 0)
			return rc;
	}
	copy_item(out, &q->bot[q->bpos]);
	return 1;
}

int pq_pop(struct pq *q, struct pq_item *out)
{
	int rc = pq_peek(q, out);
	if (rc <= 0)
		return rc;
	if (++q->bpos == q->bn) {
		q->bpos = q->bn = 0;
		q->loose = false;
	} else if (q->loose) {
		tiny_front(q->bot + q->bpos, q->bn - q->bpos);
	}
	q->size--;
	q->popped = out->time;
	/* In a large queue, refill before bottom runs dry, so that
	 * pq_next_run always shows a few items (the kernel fetches their
	 * records ahead). Only an optimisation: on OOM, the next peek retries. */
	if (q->size >= LQ_RUN_SIZE && q->bn - q->bpos < LQ_RUN_MIN && q->size > q->bn - q->bpos)
		(void)refill(q);
	return 1;
}

const struct pq_item *pq_next_hint(const struct pq *q)
{
	return q->bpos < q->bn ? &q->bot[q->bpos] : NULL;
}

const struct pq_item *pq_next_run(const struct pq *q, size_t *n)
{
	*n = q->bn - q->bpos;
	if (q->loose && *n > 1)
		*n = 1; /* only the front is in its place */
	return *n ? &q->bot[q->bpos] : NULL;
}
