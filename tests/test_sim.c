/* Tests of sim/sim: ordering, cancellation, horizon, stop, trace, limits. */
#include <setjmp.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim/sim.h"

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct log {
	int n;
	sim_time t[64];
	int32_t a[64];
};

static void on_log(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct log *l = ctx;
	assert_int_equal(sim_now(s), ev->time);
	l->t[l->n] = ev->time;
	l->a[l->n++] = ev->a;
}

static void test_sim_equal_times_pop_in_insertion_order(void **state)
{
	(void)state;
	struct log l = {0};
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l);
	for (int i = 0; i < 10; i++)
		assert_true(sim_schedule(s, (i % 2) ? 5 : 9, 0, i, 0) != SIM_NONE);
	assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_EMPTY);
	int want[] = {1, 3, 5, 7, 9, 0, 2, 4, 6, 8};
	assert_int_equal(l.n, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(l.a[i], want[i]);
	assert_int_equal(sim_events(s), 10);
	sim_free(s);
}

/* A reset sim, mid-run with events pending and cancelled, behaves exactly
 * as a new one: the same order, times, counts and event ids. */
static void test_sim_reset_is_a_new_sim(void **state)
{
	(void)state;
	struct log l[2] = {{0}, {0}};
	sim_event_id ids[2][12];
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l[0]);
	for (int i = 0; i < 40; i++) /* beyond the hint: the pool grows */
		sim_schedule(s, 100 + i % 7, 0, i, 0);
	sim_cancel(s, sim_schedule(s, 1, 0, 99, 0));
	assert_int_equal(sim_run(s, 103), SIM_HORIZON);
	assert_true(sim_now(s) > 0 && sim_pending(s) > 0);
	for (int k = 0; k < 2; k++) {
		if (k == 0) {
			sim_reset(s);
			sim_on(s, 0, on_log, &l[0]);
			l[0].n = 0;
		} else {
			sim_free(s);
			s = sim_new(1, 0);
			sim_on(s, 0, on_log, &l[1]);
		}
		assert_int_equal(sim_now(s), 0);
		assert_int_equal(sim_pending(s), 0);
		assert_int_equal(sim_events(s), 0);
		for (int i = 0; i < 12; i++)
			ids[k][i] = sim_schedule(s, (i * 5) % 3, 0, i, 0);
		sim_cancel(s, ids[k][4]);
		assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_EMPTY);
		assert_int_equal(sim_events(s), 11);
	}
	assert_int_equal(l[0].n, 11);
	assert_int_equal(l[1].n, 11);
	for (int i = 0; i < 11; i++) {
		assert_int_equal(l[0].a[i], l[1].a[i]);
		assert_int_equal(l[0].t[i], l[1].t[i]);
	}
	for (int i = 0; i < 12; i++)
		assert_int_equal(ids[0][i], ids[1][i]);
	sim_free(s);
}

static void test_sim_cancelled_event_never_fires(void **state)
{
	(void)state;
	struct log l = {0};
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l);
	sim_event_id a = sim_schedule(s, 10, 0, 1, 0);
	sim_event_id b = sim_schedule(s, 20, 0, 2, 0);
	assert_int_equal(sim_pending(s), 2);
	assert_true(sim_cancel(s, a));
	assert_false(sim_cancel(s, a));
	assert_false(sim_cancel(s, SIM_NONE));
	assert_int_equal(sim_pending(s), 1);
	sim_run(s, SIM_TIME_MAX);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.a[0], 2);
	assert_false(sim_cancel(s, b)); /* already fired */
	sim_free(s);
}

static void test_sim_stale_id_does_not_cancel_a_reused_slot(void **state)
{
	(void)state;
	struct log l = {0};
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l);
	sim_event_id a = sim_schedule(s, 1, 0, 1, 0);
	sim_run(s, SIM_TIME_MAX);
	sim_event_id b = sim_schedule(s, 1, 0, 2, 0); /* reuses a's slot */
	assert_true(a != b);
	assert_false(sim_cancel(s, a));
	sim_run(s, SIM_TIME_MAX);
	assert_int_equal(l.n, 2);
	sim_free(s);
}

static void test_sim_horizon_stops_the_clock_there_and_run_resumes(void **state)
{
	(void)state;
	struct log l = {0};
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l);
	sim_schedule(s, 100, 0, 1, 0);
	sim_schedule(s, 300, 0, 2, 0);
	assert_int_equal(sim_run(s, 200), SIM_HORIZON);
	assert_int_equal(sim_now(s), 200);
	assert_int_equal(l.n, 1);
	assert_int_equal(sim_run(s, 300), SIM_EMPTY); /* events at the horizon fire */
	assert_int_equal(l.n, 2);
	assert_int_equal(sim_now(s), 300);
	sim_free(s);
}

static void on_stop(struct sim *s, const struct sim_event *ev, void *ctx)
{
	(void)ev;
	++*(int *)ctx;
	sim_stop(s);
}

static void test_sim_stop_returns_after_the_current_handler(void **state)
{
	(void)state;
	int n = 0;
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_stop, &n);
	sim_schedule(s, 1, 0, 0, 0);
	sim_schedule(s, 2, 0, 0, 0);
	assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOPPED);
	assert_int_equal(n, 1);
	assert_int_equal(sim_pending(s), 1);
	sim_free(s);
}

static void test_sim_rejects_bad_schedules(void **state)
{
	(void)state;
	struct log l = {0};
	struct sim *s = sim_new(2, 0);
	assert_null(sim_new(0, 0));
	assert_int_equal(sim_on(s, 2, on_log, &l), -22);
	assert_int_equal(sim_on(s, 0, NULL, &l), -22);
	sim_on(s, 0, on_log, &l);
	assert_true(sim_schedule(s, -1, 0, 0, 0) == SIM_NONE);
	assert_true(sim_schedule(s, 1, 1, 0, 0) == SIM_NONE); /* no handler */
	assert_true(sim_schedule(s, 1, 7, 0, 0) == SIM_NONE); /* no such kind */
	sim_schedule(s, 50, 0, 0, 0);
	sim_run(s, SIM_TIME_MAX);
	assert_true(sim_schedule_at(s, 49, 0, 0, 0) == SIM_NONE); /* the past */
	assert_true(sim_schedule(s, SIM_TIME_MAX, 0, 0, 0) == SIM_NONE); /* overflow */
	assert_int_equal(sim_pending(s), 0);
	sim_free(s);
}

static void on_trace(const struct sim_event *ev, void *ctx)
{
	(void)ev;
	++*(int *)ctx;
}

static void test_sim_trace_hook_sees_every_fired_event(void **state)
{
	(void)state;
	struct log l = {0};
	int traced = 0;
	struct sim *s = sim_new(1, 0);
	sim_on(s, 0, on_log, &l);
	sim_set_trace(s, on_trace, &traced);
	for (int i = 0; i < 5; i++)
		sim_schedule(s, i, 0, i, 0);
	sim_cancel(s, sim_schedule(s, 3, 0, 99, 0));
	sim_run(s, SIM_TIME_MAX);
	assert_int_equal(traced, 5);
	assert_int_equal(l.n, 5);
	sim_free(s);
}

static void test_sim_seconds_convert_to_nanoseconds_and_back(void **state)
{
	(void)state;
	assert_int_equal(sim_ns(1.5), 1500000000);
	assert_int_equal(sim_ns(0.25e-9), 0);
	assert_int_equal(sim_ns(-3), 0);
	assert_int_equal(sim_ns(NAN), 0);
	assert_true(sim_ns(1e300) == SIM_TIME_MAX);
	assert_true(sim_s(2500000000) == 2.5);
}

/* Nearest, ties to even, by definition (x >= 0, below 2^63). */
static long long round_half_even(double x)
{
	double r = floor(x), f = x - r; /* exact: below 2^52 x - floor(x) is */
	long long i = (long long)r;
	return f > 0.5 || (f == 0.5 && (i & 1)) ? i + 1 : i;
}

/* sim_ns rounds to the nearest, ties to even, on halves, on the doubles
 * either side of them, across every binade up to 2^62 ns, and on random
 * values: results must not change with how it is computed. */
static void test_sim_ns_rounds_to_nearest_ties_to_even(void **state)
{
	(void)state;
	assert_int_equal(sim_ns(0.5e-9), 0);
	assert_int_equal(sim_ns(1.5e-9), 2);
	assert_int_equal(sim_ns(2.5e-9), 2);
	static const double ns[] = {0.5, 1.5, 2.5, 0.49999999999999994, 1e9 + 0.5,
				    4503599627370495.5, 4503599627370496.0, 9007199254740993.0};
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		for (int d = -2; d <= 2; d++) {
			double x = ns[i];
			for (int k = 0; k < abs(d); k++)
				x = d < 0 ? nextafter(x, 0) : nextafter(x, INFINITY);
			double sec = x / SIM_NS_PER_S;
			assert_int_equal(sim_ns(sec), round_half_even(sec * SIM_NS_PER_S));
		}
	uint64_t seed = 88172645463325252u;
	for (int i = 0; i < 200000; i++) {
		int e = (int)(xs(&seed) % 62);
		double sec = ldexp((double)(xs(&seed) >> 11) * 0x1.0p-53, e) / SIM_NS_PER_S;
		assert_int_equal(sim_ns(sec), round_half_even(sec * SIM_NS_PER_S));
		if (i % 4 == 0) { /* a half-nanosecond exactly */
			double h = floor(ldexp(1, e % 50) * (double)(xs(&seed) >> 11) * 0x1.0p-53) + 0.5;
			sec = h / SIM_NS_PER_S;
			assert_int_equal(sim_ns(sec), round_half_even(sec * SIM_NS_PER_S));
		}
	}
}

/*
 * The kernel against a reference model: handlers schedule and cancel at
 * random (delays often 0 or equal, so ties abound); the reference keeps
 * every live event with its sequence number, and each fired event must be
 * the reference's least (time, seq). 10^5 events with growth beyond the hint.
 */
struct ref_ev {
	sim_time t;
	uint64_t seq;
	sim_event_id id;
	int32_t tag;
};

struct world {
	uint64_t seed;
	struct ref_ev *ref;
	size_t n, cap;
	uint64_t seq;
	int32_t next_tag;
	long fired, budget;
};

static void w_schedule(struct sim *s, struct world *w)
{
	static const sim_time delays[] = {0, 0, 1, 5, 5, 100};
	sim_time d = (xs(&w->seed) % 3) ? delays[xs(&w->seed) % 6] : (sim_time)(xs(&w->seed) % 1000);
	int32_t tag = w->next_tag++;
	sim_event_id id = sim_schedule(s, d, 0, tag, 0);
	assert_true(id != SIM_NONE);
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->ref = realloc(w->ref, w->cap * sizeof(*w->ref));
	}
	w->ref[w->n++] = (struct ref_ev){sim_now(s) + d, w->seq++, id, tag};
}

static void on_world(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct world *w = ctx;
	size_t best = 0;
	for (size_t i = 1; i < w->n; i++)
		if (w->ref[i].t < w->ref[best].t ||
		    (w->ref[i].t == w->ref[best].t && w->ref[i].seq < w->ref[best].seq))
			best = i;
	assert_true(w->n > 0);
	assert_int_equal(ev->a, w->ref[best].tag);
	assert_int_equal(ev->time, w->ref[best].t);
	w->ref[best] = w->ref[--w->n];
	w->fired++;
	if (w->fired >= w->budget)
		return;
	int k = (int)(xs(&w->seed) % 4); /* 0..3 new events */
	for (int i = 0; i < k && w->n < 3000; i++)
		w_schedule(s, w);
	if (w->n > 0 && xs(&w->seed) % 4 == 0) { /* cancel one at random */
		size_t j = xs(&w->seed) % w->n;
		assert_true(sim_cancel(s, w->ref[j].id));
		w->ref[j] = w->ref[--w->n];
	}
	assert_int_equal(sim_pending(s), w->n);
}

static void test_sim_matches_a_reference_over_random_schedules_and_cancels(void **state)
{
	(void)state;
	struct world w = {.seed = 12345, .budget = 100000};
	struct sim *s = sim_new(1, 8);
	sim_on(s, 0, on_world, &w);
	for (int i = 0; i < 200; i++)
		w_schedule(s, &w);
	while (w.fired < w.budget && sim_pending(s) > 0) {
		sim_run(s, SIM_TIME_MAX);
		if (sim_pending(s) == 0 && w.fired < w.budget)
			w_schedule(s, &w);
	}
	assert_true(w.fired >= w.budget || w.n == 0);
	assert_int_equal(sim_events(s), (uint64_t)w.fired);
	free(w.ref);
	sim_free(s);
}

/*
 * A large world (more pending events than the kernel keeps in cache, so
 * sim_run fetches records ahead): 40,000 events, each firing schedules its
 * successor at now + a random delay (ties on purpose), a tenth of them are
 * cancelled and replaced, and the run stops at horizons on the way. Times
 * never go back, equal times fire in scheduling order, and only the live
 * event of each chain fires.
 */
enum { BIG = 40000 };

struct big {
	uint64_t seed;
	sim_event_id id[BIG]; /* the live event of each chain */
	int32_t live[BIG];    /* its scheduling number, in b */
	int32_t nsched;
	sim_time last_t;
	int32_t last_b;
	long fired, cancelled;
};

static void big_schedule(struct sim *s, struct big *g, int32_t a)
{
	uint64_t r = xs(&g->seed);
	sim_time d = r % 8 == 0 ? 0 : r % 8 == 1 ? 1000 : (sim_time)(xs(&g->seed) % 2000000000);
	g->live[a] = g->nsched++;
	g->id[a] = sim_schedule(s, d, 0, a, g->live[a]);
	assert_true(g->id[a] != SIM_NONE);
}

static void on_big(struct sim *s, const struct sim_event *ev, void *ctx)
{
	struct big *g = ctx;
	assert_true(ev->time >= g->last_t);
	if (ev->time == g->last_t)
		assert_true(ev->b > g->last_b);
	g->last_t = ev->time;
	g->last_b = ev->b;
	assert_int_equal(ev->b, g->live[ev->a]);
	g->fired++;
	big_schedule(s, g, ev->a);
	if (xs(&g->seed) % 10 == 0) { /* cancel another chain's event and replace it */
		int32_t c = (int32_t)(xs(&g->seed) % BIG);
		if (c != ev->a) {
			assert_true(sim_cancel(s, g->id[c]));
			g->cancelled++;
			big_schedule(s, g, c);
		}
	}
}

static void test_sim_large_world_keeps_the_order(void **state)
{
	(void)state;
	struct big *g = calloc(1, sizeof(*g));
	g->seed = 777;
	g->last_b = -1;
	struct sim *s = sim_new(1, 1000);
	sim_on(s, 0, on_big, g);
	for (int32_t a = 0; a < BIG; a++)
		big_schedule(s, g, a);
	for (int step = 1; step <= 8; step++) {
		assert_int_equal(sim_run(s, (sim_time)step * 1500000000), SIM_HORIZON);
		assert_int_equal(sim_pending(s), BIG);
	}
	assert_true(g->fired > 100000);
	assert_true(g->cancelled > 10000);
	assert_int_equal(sim_events(s), (uint64_t)g->fired);
	sim_free(s);
	free(g);
}

/* The prefetch hook of kind 1 is told the next event's (a, b) when it is
 * of kind 1, before the event ahead of it is handled; kind 0 has none. */
struct pre_log {
	struct log fired;  /* a of each event handled, in order */
	int npre;
	int32_t pre_a[64]; /* a of each event announced */
	int32_t pre_b[64];
	int handled_then[64]; /* events handled when it was announced */
};

static void on_pre_fired(struct sim *s, const struct sim_event *ev, void *ctx)
{
	on_log(s, ev, &((struct pre_log *)ctx)->fired);
}

static void on_pre(int32_t a, int32_t b, void *ctx)
{
	struct pre_log *l = ctx;
	l->pre_a[l->npre] = a;
	l->pre_b[l->npre] = b;
	l->handled_then[l->npre++] = l->fired.n;
}

static void test_sim_prefetch_hook_hears_of_the_next_event_of_its_kind(void **state)
{
	(void)state;
	struct sim *s = sim_new(2, 16);
	struct pre_log l = {0};
	assert_int_equal(sim_on_prefetch(s, 1, on_pre), -EINVAL); /* no handler yet */
	assert_int_equal(sim_on(s, 0, on_pre_fired, &l), 0);
	assert_int_equal(sim_on(s, 1, on_pre_fired, &l), 0);
	assert_int_equal(sim_on_prefetch(s, 1, on_pre), 0);
	assert_int_equal(sim_on_prefetch(s, 2, on_pre), -EINVAL);
	/* kinds by time: 0 (a 10), 1 (a 11, b 7), 0 (a 12), 1 (a 13, b 9) */
	sim_schedule(s, 1, 0, 10, 0);
	sim_schedule(s, 2, 1, 11, 7);
	sim_schedule(s, 3, 0, 12, 0);
	sim_schedule(s, 4, 1, 13, 9);
	sim_run(s, SIM_TIME_MAX);
	assert_int_equal(l.fired.n, 4);
	assert_int_equal(l.npre, 2);
	assert_int_equal(l.pre_a[0], 11);
	assert_int_equal(l.pre_b[0], 7);
	assert_int_equal(l.handled_then[0], 0); /* heard of before event 10 ran */
	assert_int_equal(l.pre_a[1], 13);
	assert_int_equal(l.pre_b[1], 9);
	assert_int_equal(l.handled_then[1], 2);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_equal_times_pop_in_insertion_order),
		cmocka_unit_test(test_sim_cancelled_event_never_fires),
		cmocka_unit_test(test_sim_reset_is_a_new_sim),
		cmocka_unit_test(test_sim_stale_id_does_not_cancel_a_reused_slot),
		cmocka_unit_test(test_sim_horizon_stops_the_clock_there_and_run_resumes),
		cmocka_unit_test(test_sim_stop_returns_after_the_current_handler),
		cmocka_unit_test(test_sim_rejects_bad_schedules),
		cmocka_unit_test(test_sim_trace_hook_sees_every_fired_event),
		cmocka_unit_test(test_sim_seconds_convert_to_nanoseconds_and_back),
		cmocka_unit_test(test_sim_ns_rounds_to_nearest_ties_to_even),
		cmocka_unit_test(test_sim_matches_a_reference_over_random_schedules_and_cancels),
		cmocka_unit_test(test_sim_large_world_keeps_the_order),
		cmocka_unit_test(test_sim_prefetch_hook_hears_of_the_next_event_of_its_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
