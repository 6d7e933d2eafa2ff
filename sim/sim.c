/*
 * sim: the event kernel over pq.
 *
 * Each pending event owns one slot of a pool (kind, a, b, generation).
 * The queue holds (time, seq << SLOT_BITS | slot): the sequence number
 * makes the order total and FIFO among equal times; the slot finds the
 * record. An event id is (generation << 32 | slot + 1); a slot's
 * generation changes each time it is freed, so a stale id never cancels a
 * newer event. Cancelling marks the slot; the queue item is dropped when
 * it reaches the top (lazy deletion), which keeps cancel O(1).
 */
#include "sim/sim.h"

#include <errno.h>
#include <stdlib.h>

#include "sim/pq.h"

#define SLOT_BITS 24
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
_Static_assert(SLOT_MASK == SIM_MAX_PENDING, "sim.h's SIM_MAX_PENDING is the slots a key can name");
#define SEQ_LIMIT (UINT64_C(1) << (64 - SLOT_BITS))
#define KIND_CANCELLED UINT32_MAX
#define KIND_FREE (UINT32_MAX - 1)
#ifndef SIM_PREFETCH
#define SIM_PREFETCH 4 /* event records fetched ahead of their turn */
#endif
#define SIM_PREFETCH_MIN (1u << 14) /* slots (256 KiB): fewer stay in the caches */

struct slot {
	uint32_t kind; /* event kind, KIND_CANCELLED or KIND_FREE */
	int32_t a;
	int32_t b;     /* also the next free slot while KIND_FREE */
	uint32_t gen;  /* bumped on every free */
};

struct handler {
	sim_handler *fn;
	void *ctx;
	sim_prefetch_fn *pre; /* optional */
};

struct sim {
	struct pq *q;
	struct slot *slots;
	uint32_t nslots;     /* slots allocated */
	uint32_t nused;      /* slots ever handed out (the rest are untouched) */
	int64_t free_head;   /* first free slot, -1 when none */
	sim_time now;
	uint64_t seq;        /* next sequence number */
	uint64_t fired;
	size_t ncancelled;   /* cancelled items still in the queue */
	bool stop;
	bool prefetching; /* some kind has a prefetch function */
	uint32_t nkinds;
	struct handler *handlers;
	sim_trace_fn *trace;
	void *trace_ctx;
};

struct sim *sim_new(uint32_t nkinds, size_t hint)
{
	if (nkinds == 0 || nkinds >= KIND_FREE)
		return NULL;
	struct sim *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->nkinds = nkinds;
	s->free_head = -1;
	s->handlers = calloc(nkinds, sizeof(*s->handlers));
	if (!s->handlers)
		goto out_free_sim;
	if (hint < 16)
		hint = 16;
	if (hint > SIM_MAX_PENDING)
		hint = SIM_MAX_PENDING;
	s->q = pq_new(hint);
	if (!s->q)
		goto out_free_handlers;
	s->slots = malloc(hint * sizeof(*s->slots));
	if (!s->slots)
		goto out_free_pq;
	s->nslots = (uint32_t)hint;
	return s;

out_free_pq:
	pq_free(s->q);
out_free_handlers:
	free(s->handlers);
out_free_sim:
	free(s);
	return NULL;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	pq_free(s->q);
	free(s->slots);
	free(s->handlers);
	free(s);
}

void sim_reset(struct sim *s)
{
	pq_clear(s->q);
	s->nused = 0;
	s->free_head = -1;
	s->now = 0;
	s->seq = 0;
	s->fired = 0;
	s->ncancelled = 0;
	s->stop = false;
}

int sim_on(struct sim *s, uint32_t kind, sim_handler *fn, void *ctx)
{
	if (kind >= s->nkinds || !fn)
		return -EINVAL;
	s->handlers[kind].fn = fn;
	s->handlers[kind].ctx = ctx;
	return 0;
}

int sim_on_prefetch(struct sim *s, uint32_t kind, sim_prefetch_fn *fn)
{
	if (kind >= s->nkinds || !s->handlers[kind].fn)
		return -EINVAL;
	s->handlers[kind].pre = fn;
	s->prefetching |= fn != NULL;
	return 0;
}

void sim_set_trace(struct sim *s, sim_trace_fn *fn, void *ctx)
{
	s->trace = fn;
	s->trace_ctx = ctx;
}

/* A free slot index, or -1 on OOM / at the limit. */
static int64_t slot_get(struct sim *s)
{
	if (s->free_head >= 0) {
		int64_t i = s->free_head;
		s->free_head = s->slots[i].b;
		return i;
	}
	if (s->nused == s->nslots) {
		if (s->nslots >= SIM_MAX_PENDING)
			return -1;
		uint64_t cap = (uint64_t)s->nslots * 2;
		if (cap > SIM_MAX_PENDING)
			cap = SIM_MAX_PENDING;
		struct slot *n = realloc(s->slots, cap * sizeof(*n));
		if (!n)
			return -1;
		s->slots = n;
		s->nslots = (uint32_t)cap;
	}
	s->slots[s->nused].gen = 0;
	return s->nused++;
}

static void slot_put(struct sim *s, uint32_t i)
{
	s->slots[i].kind = KIND_FREE;
	s->slots[i].gen++;
	s->slots[i].b = (int32_t)s->free_head;
	s->free_head = i;
}

sim_event_id sim_schedule_at(struct sim *s, sim_time t, uint32_t kind, int32_t a, int32_t b)
{
	if (t < s->now || kind >= s->nkinds || !s->handlers[kind].fn || s->seq >= SEQ_LIMIT)
		return SIM_NONE;
	int64_t i = slot_get(s);
	if (i < 0)
		return SIM_NONE;
	struct pq_item it = {.time = t, .key = s->seq << SLOT_BITS | (uint64_t)i};
	if (pq_push(s->q, it) < 0) {
		s->slots[i].kind = KIND_FREE;
		s->slots[i].b = (int32_t)s->free_head;
		s->free_head = i;
		return SIM_NONE;
	}
	s->seq++;
	struct slot *sl = &s->slots[i];
	sl->kind = kind;
	sl->a = a;
	sl->b = b;
	return (uint64_t)sl->gen << 32 | (uint64_t)(i + 1);
}

sim_event_id sim_schedule(struct sim *s, sim_time delay, uint32_t kind, int32_t a, int32_t b)
{
	if (delay < 0 || delay > SIM_TIME_MAX - s->now)
		return SIM_NONE;
	return sim_schedule_at(s, s->now + delay, kind, a, b);
}

bool sim_cancel(struct sim *s, sim_event_id id)
{
	uint64_t i = (id & 0xffffffffu);
	if (i == 0 || i > s->nused)
		return false;
	struct slot *sl = &s->slots[i - 1];
	if (sl->gen != (uint32_t)(id >> 32) || sl->kind >= KIND_FREE)
		return false;
	sl->kind = KIND_CANCELLED;
	s->ncancelled++;
	return true;
}

int sim_run(struct sim *s, sim_time horizon)
{
	s->stop = false;
	for (;;) {
		struct pq_item it;
		int rc = pq_peek(s->q, &it);
		if (rc <= 0)
			return rc < 0 ? rc : SIM_EMPTY;
		if (it.time > horizon) {
			if (horizon > s->now)
				s->now = horizon;
			return SIM_HORIZON;
		}
		pq_pop(s->q, &it); /* the item just peeked: it cannot fail */
		/* In a large world the records of the next events are likely
		 * cache misses: start fetching them now, while this one is
		 * handled. One event ahead is too close to hide a miss behind a
		 * short handler; a line already on its way costs nothing more.
		 * A handler's own data may be cache misses too: the next event's
		 * kind, when it asked, is told to fetch them now. */
		bool ahead = s->nused > SIM_PREFETCH_MIN;
		if (ahead || s->prefetching) {
			size_t nrun;
			const struct pq_item *run = pq_next_run(s->q, &nrun);
			for (size_t k = 0; ahead && k < nrun && k < SIM_PREFETCH; k++)
				__builtin_prefetch(&s->slots[run[k].key & SLOT_MASK]);
			const struct slot *ns = nrun ? &s->slots[run[0].key & SLOT_MASK] : NULL;
			if (s->prefetching && ns && ns->kind < s->nkinds && s->handlers[ns->kind].pre)
				s->handlers[ns->kind].pre(ns->a, ns->b, s->handlers[ns->kind].ctx);
		}
		uint32_t i = (uint32_t)(it.key & SLOT_MASK);
		struct slot *sl = &s->slots[i];
		struct sim_event ev = {.time = it.time, .kind = sl->kind, .a = sl->a, .b = sl->b};
		slot_put(s, i);
		if (ev.kind == KIND_CANCELLED) {
			s->ncancelled--;
			continue;
		}
		s->now = ev.time;
		s->fired++;
		if (s->trace)
			s->trace(&ev, s->trace_ctx);
		const struct handler *h = &s->handlers[ev.kind];
		h->fn(s, &ev, h->ctx);
		if (s->stop)
			return SIM_STOPPED;
	}
}

void sim_stop(struct sim *s)
{
	s->stop = true;
}

sim_time sim_now(const struct sim *s)
{
	return s->now;
}

size_t sim_pending(const struct sim *s)
{
	return pq_size(s->q) - s->ncancelled;
}

uint64_t sim_events(const struct sim *s)
{
	return s->fired;
}
