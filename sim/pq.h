/*
 * pq: the kernel's pending-event set, a priority queue of small items
 * ordered by (time, key).
 *
 * The queue knows nothing of events: the kernel packs a unique,
 * increasing sequence number and a pool slot into `key`, so that the order
 * is total and items with equal times pop in insertion order. The
 * implementation (a 4-ary heap laid out so that each node's four children
 * share one 64-byte cache line, chosen by measurement: see `make bench`)
 * can be swapped for another that keeps this header.
 *
 * Not thread-safe: each replication owns its queue.
 */
#ifndef LPSIM_PQ_H
#define LPSIM_PQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pq_item {
	int64_t time; /* primary order */
	uint64_t key; /* secondary order; unique among items in the queue */
};

struct pq;

/* A new empty queue with room for `hint` items before it grows; NULL on OOM. */
struct pq *pq_new(size_t hint);

/* Frees q and its items; pq_free(NULL) is a no-op. */
void pq_free(struct pq *q);

/* Adds an item. Returns 0, or -ENOMEM (the queue is unchanged). */
int pq_push(struct pq *q, struct pq_item it);

/* Removes the least item into *out. Returns false (and leaves *out) when empty. */
bool pq_pop(struct pq *q, struct pq_item *out);

/* The least item, or NULL when empty; valid until the next push or pop. */
const struct pq_item *pq_peek(const struct pq *q);

/* Number of items. */
size_t pq_size(const struct pq *q);

/* Removes every item (keeps the memory). */
void pq_clear(struct pq *q);

#endif
