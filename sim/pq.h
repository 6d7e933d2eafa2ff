/*
 * pq: the kernel's pending-event set, a priority queue of small items
 * ordered by (time, key).
 *
 * The queue knows nothing of events: the kernel packs a unique,
 * increasing sequence number and a pool slot into `key`, so that the order
 * is total and items with equal times pop in insertion order.
 *
 * Monotone: an item pushed must not come before the last item popped
 * (simulated time never goes back); the queue may refuse it (-EINVAL).
 *
 * Three implementations keep this header; the Makefile picks one (PQ=ladder,
 * the default, PQ=heap or PQ=radix), tests/test_pq.c checks each, and
 * `make bench` measures them. The kernel's hold model (`lpsim bench`: pop
 * the earliest, push it again at now + Exp(1) s; one core, millions of
 * events per second, medians of runs taken in turns, 2e7 events):
 *
 *                      10^3 pending  10^5 pending  10^6 pending
 *   ladder (default)       17.7          15.6          12.9
 *   heap (4-ary)           10.0           6.1           3.6
 *   radix                  11.1           7.4           3.7
 *
 *   sim/pq/ladder.c  a ladder queue (Tang, Goh and Thng, 2005): amortised
 *                    O(1); items move two or three times, by sequential
 *                    scans of short arrays, and pop from a short sorted
 *                    array that shows the kernel the next few (pq_next_run)
 *                    so that it can fetch their records ahead. Its first
 *                    rung is kept coarse, so that the buckets pushes land
 *                    in stay in the caches. At 10^6 pending the heap spends
 *                    three quarters of the time in pq_pop, on cache misses
 *                    down its levels; the ladder spends half in its own
 *                    code, the rest in the handler and the Exp draw. On
 *                    `lpsim run` (small queues; the queue is under a tenth
 *                    of the time) a queue of up to 48 items stays in a
 *                    sorted array (its small mode), so that it is even with
 *                    the heap or ahead: callgrind counts 1.4% fewer
 *                    instructions than the heap on tests/peer (3 pending
 *                    or fewer), 2.0% on default.yaml, 1.1% on config-max;
 *                    fleet-100k simulates in 4.8 s instead of 6.8.
 *   sim/pq/heap.c    a 4-ary heap whose children share a cache line
 *   sim/pq/radix.c   a radix heap: amortised near O(1), sequential memory,
 *                    but each item moves once per bit level it crosses: no
 *                    faster than the heap at 10^6
 *
 * The order, and so every result, is the same whichever queue is built.
 * Not thread-safe: each replication owns its queue.
 */
#ifndef LPSIM_PQ_H
#define LPSIM_PQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pq_item {
	int64_t time; /* primary order, >= 0 */
	uint64_t key; /* secondary order; unique among items in the queue */
};

struct pq;

/* A new empty queue with room for about `hint` items; NULL on OOM. */
struct pq *pq_new(size_t hint);

/* Frees q and its items; pq_free(NULL) is a no-op. */
void pq_free(struct pq *q);

/* Adds an item. Returns 0, -ENOMEM or -EINVAL (before the last pop, where
 * pq_refuses_early_push); on error the queue is unchanged. */
int pq_push(struct pq *q, struct pq_item it);

/*
 * The least item, copied into *out without removing it (peek) or removed
 * (pop). Return 1, or 0 when the queue is empty, or -ENOMEM when the
 * queue could not reorganise itself (it is unchanged then).
 */
int pq_peek(struct pq *q, struct pq_item *out);
int pq_pop(struct pq *q, struct pq_item *out);

/* The item that pops next, when the queue knows it without work (for a
 * prefetch); NULL otherwise. Valid until the next call on q. */
const struct pq_item *pq_next_hint(const struct pq *q);

/* The items that pop next, in order, one after another in memory, when the
 * queue knows them without work (for prefetching further ahead): returns
 * the first and sets *n to how many (at least 1), or NULL and *n = 0.
 * Valid until the next call on q. */
const struct pq_item *pq_next_run(const struct pq *q, size_t *n);

/* Number of items. */
size_t pq_size(const struct pq *q);

/* Removes every item (keeps the memory). */
void pq_clear(struct pq *q);

/* For tests: a program may define this; a queue that asks it (see
 * pq_asks_alloc_hook) calls it before each allocation and fails the
 * allocation when it returns true. */
bool pq_alloc_fails(void);

/*
 * What the linked queue guarantees beyond the contract above, so that tests
 * can hold each queue to it (each queue in sim/pq/ defines both):
 *   pq_refuses_early_push  pq_push refuses an item before the last pop
 *                          (-EINVAL, the queue unchanged); when false it
 *                          accepts it (0), and it pops before the rest;
 *   pq_asks_alloc_hook     the queue calls pq_alloc_fails before each of its
 *                          allocations (only the ladder does).
 */
extern const bool pq_refuses_early_push;
extern const bool pq_asks_alloc_hook;

#endif
