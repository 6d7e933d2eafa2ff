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
 * Two implementations keep this header; the Makefile picks one (PQ=heap,
 * the default, or PQ=radix) and `make bench` measures both:
 *   sim/pq/heap.c   a 4-ary heap whose children share a cache line: the
 *                   fastest for the queues replications make (hundreds to
 *                   thousands of events) and within 10% at 10^6
 *   sim/pq/radix.c  a radix heap: amortised near O(1), sequential memory;
 *                   ahead only for very large queues, and slower to set up
 *
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

/* Adds an item. Returns 0, -ENOMEM or -EINVAL (before the last pop); on
 * error the queue is unchanged. */
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

/* Number of items. */
size_t pq_size(const struct pq *q);

/* Removes every item (keeps the memory). */
void pq_clear(struct pq *q);

#endif
