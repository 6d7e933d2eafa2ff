/*
 * sim: the discrete-event kernel. It knows nothing about vSphere.
 *
 * A struct sim is one simulated world's clock and pending events (a
 * priority queue, sim/pq.h, chosen at build time). Events
 * are small fixed records (kind, two integer arguments) kept in a pool
 * that grows by doubling, never one malloc per event. They fire in the
 * total order (time, sequence number): equal times fire in the order they
 * were scheduled. A handler is registered per event kind with the exact
 * signature sim_handler; it may schedule and cancel events and stop the run.
 *
 * Time is int64 nanoseconds (sim_time). Integer time keeps the order exact
 * and sums of delays independent of the order they are added in, so results
 * are bit-identical on every machine; 2^63 ns is 292 years, far beyond any
 * horizon. Models speak seconds and convert with sim_ns()/sim_s().
 *
 * No global state: each replication owns its struct sim, so any number of
 * them run on threads at once.
 *
 * Limits: 2^24 - 1 (16,777,215) events pending at once (SIM_MAX_PENDING);
 * 2^40 events scheduled over one sim's life. sim_schedule* returns SIM_NONE
 * beyond them.
 */
#ifndef LPSIM_SIM_H
#define LPSIM_SIM_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time; /* nanoseconds since the start of the run */

#define SIM_TIME_MAX INT64_MAX
#define SIM_NS_PER_S 1000000000.0

/* The most events one sim holds pending at once (2^24 - 1: an event's pool
 * slot takes 24 bits of its queue key); sim_schedule* refuses one more. */
#define SIM_MAX_PENDING ((1L << 24) - 1)

/* Seconds (finite, >= 0) to sim_time, rounded to the nearest ns (ties to
 * even), saturating. */
static inline sim_time sim_ns(double seconds)
{
	if (!(seconds > 0))
		return 0;
	if (seconds >= 9.2e9)
		return SIM_TIME_MAX;
	/* In the default rounding mode, which nothing changes: the build lets
	 * the compiler make it one instruction (-fno-math-errno), where
	 * rounding half away from zero took four, in the chain between a
	 * latency's draw and its event's place in the queue. */
	return llrint(seconds * SIM_NS_PER_S);
}

/* sim_time to seconds. */
static inline double sim_s(sim_time t)
{
	return (double)t / SIM_NS_PER_S;
}

/* One event as a handler sees it (a copy: the pool slot is already free). */
struct sim_event {
	sim_time time; /* when it fires; equals sim_now() in the handler */
	uint32_t kind; /* index of the handler it goes to */
	int32_t a;     /* first argument, e.g. a host index */
	int32_t b;     /* second argument, e.g. a VM index or an attempt */
};

/* Identifies a scheduled event for sim_cancel; SIM_NONE is no event. */
typedef uint64_t sim_event_id;
#define SIM_NONE ((sim_event_id)0)

struct sim;

typedef void sim_handler(struct sim *s, const struct sim_event *ev, void *ctx);
typedef void sim_trace_fn(const struct sim_event *ev, void *ctx);

/* Why sim_run returned (>= 0), or a negative errno-style code. */
enum sim_stop_reason {
	SIM_EMPTY = 0,   /* no event left */
	SIM_HORIZON = 1, /* the next event lies beyond the horizon */
	SIM_STOPPED = 2, /* a handler called sim_stop */
};

/*
 * A new world at time 0 with handlers for kinds 0 .. nkinds-1 (none set
 * yet) and room for `hint` pending events. NULL on OOM or nkinds == 0.
 * Free with sim_free (NULL is a no-op).
 */
struct sim *sim_new(uint32_t nkinds, size_t hint);
void sim_free(struct sim *s);

/*
 * Back to time 0 with nothing pending, as sim_new left it, but keeping
 * the memory, the handlers and the trace hook: for a run of many short
 * simulations, which would otherwise allocate and free the same blocks
 * each time. What follows is exactly what a new sim would do.
 */
void sim_reset(struct sim *s);

/* Sets the handler of `kind` and the context it gets. Returns 0 or -EINVAL. */
int sim_on(struct sim *s, uint32_t kind, sim_handler *fn, void *ctx);

/*
 * Optional, per kind (after sim_on): before each event is handled, fn is
 * told the (a, b) of the next event when it is of this kind, with the
 * kind's ctx, so that it can prefetch the memory that event's handler
 * will touch. It must change nothing. For models whose data do not fit
 * the caches; a small one gains nothing from it.
 */
typedef void sim_prefetch_fn(int32_t a, int32_t b, void *ctx);
int sim_on_prefetch(struct sim *s, uint32_t kind, sim_prefetch_fn *fn);

/* Called before each event is dispatched (NULL to remove). For traces and
 * tests; handlers must not print. */
void sim_set_trace(struct sim *s, sim_trace_fn *fn, void *ctx);

/*
 * Schedules an event of `kind` (which must have a handler) at now + delay
 * (delay >= 0) or at absolute time t (t >= now). Returns its id, or SIM_NONE
 * on a bad argument, OOM or a limit above.
 */
sim_event_id sim_schedule(struct sim *s, sim_time delay, uint32_t kind, int32_t a, int32_t b);
sim_event_id sim_schedule_at(struct sim *s, sim_time t, uint32_t kind, int32_t a, int32_t b);

/* Cancels a pending event. Returns true if it was pending (it will not
 * fire), false if it already fired, was cancelled, or is SIM_NONE. */
bool sim_cancel(struct sim *s, sim_event_id id);

/*
 * Fires events in order until none is left, the next lies beyond `horizon`
 * (the clock then stands at the horizon), or a handler calls sim_stop.
 * Returns an enum sim_stop_reason, or -ENOMEM when the event queue could
 * not reorganise itself. May be called again to continue.
 */
int sim_run(struct sim *s, sim_time horizon);

/* Asks sim_run to return after the current handler. */
void sim_stop(struct sim *s);

sim_time sim_now(const struct sim *s);
size_t sim_pending(const struct sim *s); /* events scheduled, not fired, not cancelled */
uint64_t sim_events(const struct sim *s); /* events fired so far */

#endif
