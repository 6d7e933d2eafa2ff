/*
 * run: replications on a pool of threads (see run.h).
 *
 * Work items are (strategy, replication) pairs handed out by an atomic
 * counter; each writes only its own record. The main thread waits, drawing
 * the progress bar when asked.
 */
#include "sim/run.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/rem.h"
#include "sim/hwsim.h"
#include "sim/sim.h"
#include "sim/stats.h"

struct pool {
	const struct scenario *sc;
	const struct estate *e;
	struct run_result *res;
	struct hwsim_ids ids;
	const atomic_bool *stop;
	long lo, hi;         /* replications computed: [lo, hi) */
	long total;          /* work items */
	atomic_long next;    /* next work item */
	atomic_long done;    /* finished work items */
	atomic_int err;      /* first error */
};

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * What a worker keeps between its replications: the kernel, the simulated
 * hardware and the remediation are made once, at the estate's size, and
 * reset for each (their arrays are most of a small replication's set-up,
 * and freeing them each time makes the allocator give the pages back to
 * the system and fault them in again).
 */
struct worker_state {
	struct sim *s;
	struct hwsim *hw;
	struct rem *r;
};

static void worker_state_fini(struct worker_state *w)
{
	rem_free(w->r);
	hwsim_free(w->hw);
	sim_free(w->s);
	w->r = NULL;
	w->hw = NULL;
	w->s = NULL;
}

/* One replication of one strategy into its record. */
static int run_one(struct pool *p, struct worker_state *w, size_t si, long rep)
{
	const struct run_opts *o = &p->res->opts;
	const struct estate *e = p->e;
	const struct scan *scan = p->res->scans[si];
	struct rec *rec = &p->res->recs[si][rep];
	bool detail = rep == 0 || o->all_replications;
	int rc = rec_init(rec, e->nhosts, e->nvms, detail);
	if (rc == 0)
		rc = rec_init_clusters(rec, e->nclusters);
	if (rc < 0)
		return rc;
	rc = -ENOMEM;
	if (w->s)
		sim_reset(w->s);
	else if (!(w->s = sim_new(HW_NOPS, e->nhosts + 64)))
		return rc;
	struct sim *s = w->s;
	if (!w->hw) {
		w->hw = hwsim_new(s, e, &p->ids, o->seed, (uint64_t)rep);
		w->r = w->hw ? rem_new(e, scan, hwsim_ops(), w->hw, rec) : NULL;
		if (!w->r) {
			worker_state_fini(w);
			return rc;
		}
	} else {
		if (hwsim_reset(w->hw, s, o->seed, (uint64_t)rep) < 0)
			return rc;
		rem_reset(w->r, scan, rec);
	}
	hwsim_bind(w->hw, w->r);
	rc = rem_start(w->r);
	if (rc < 0)
		return rc;
	sim_time horizon = sim_ns(p->sc->horizon);
	sim_run(s, horizon);
	rc = hwsim_error(w->hw);
	if (rc < 0)
		return rc;
	rc = rem_finish(w->r, sim_s(sim_now(s)), p->sc->horizon);
	rec->events = sim_events(s);
	rec_trim(rec);
	return rc;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct worker_state w = {NULL, NULL, NULL};
	long lo = p->lo, span = p->hi - p->lo;
	for (;;) {
		if (atomic_load(&p->err) || (p->stop && atomic_load(p->stop)))
			break;
		long i = atomic_fetch_add(&p->next, 1);
		if (i >= p->total)
			break;
		int rc = run_one(p, &w, (size_t)(i / span), lo + i % span);
		if (rc < 0) {
			int zero = 0;
			atomic_compare_exchange_strong(&p->err, &zero, rc);
		}
		atomic_fetch_add(&p->done, 1);
	}
	worker_state_fini(&w);
	return NULL;
}

static void progress(long done, long total, double t0)
{
	int width = 40, fill = total ? (int)(width * done / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %ld/%ld replications  %.1f s", fill,
		"########################################", width - fill, "", done, total,
		wall() - t0);
	fflush(stderr);
}

static int run_fixed(const struct scenario *sc, const struct estate *e,
		     const struct run_opts *opts, const atomic_bool *stop,
		     struct run_result *res);

/* Student-t 95% half-width of the values of x[0..n-1] within rel of their mean. */
static bool within(double *x, size_t n, double rel)
{
	if (n < 2)
		return n == 0; /* nothing to estimate, or one value: no interval */
	struct stat_summary st;
	stat_of(&st, x, n);
	double half = (st.ci95_hi - st.ci95_lo) / 2;
	return half <= rel * fabs(st.mean);
}

bool run_precise_enough(const struct run_result *res, double rel)
{
	size_t n = (size_t)res->opts.replications;
	double *x = malloc((n ? n : 1) * sizeof(double));
	if (!x)
		return false;
	bool ok = true;
	for (size_t si = 0; si < res->opts.nstrategies && ok; si++) {
		for (int m = 0; m < 4 && ok; m++) {
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				const struct rec *r = &res->recs[si][i];
				double v = m == 0 ? r->makespan_s
					   : m == 1 ? r->time_to_compliance_s
					   : m == 2 ? r->exposure_host_hours
						    : r->downtime_total_s;
				if (!isnan(v))
					x[k++] = v;
			}
			ok = within(x, k, rel);
		}
	}
	free(x);
	return ok;
}

/* Moves the first n records of every strategy of from into to (whose are zeroed), then
 * frees what is left of from. */
static void take_records(struct run_result *to, struct run_result *from, long n)
{
	for (size_t si = 0; si < from->opts.nstrategies; si++) {
		for (long i = 0; i < n; i++)
			to->recs[si][i] = from->recs[si][i];
		free(from->recs[si]);
		from->recs[si] = NULL;
	}
	to->wall_s += from->wall_s;
	from->opts.replications = 0;
	run_result_fini(from);
}

int run_replications(const struct scenario *sc, const struct estate *e,
		     const struct run_opts *opts, const atomic_bool *stop,
		     struct run_result *res)
{
	if (!(opts->precision > 0) || opts->ranged)
		return run_fixed(sc, e, opts, stop, res);
	struct run_opts o = *opts;
	long max = o.max_replications > 0 ? o.max_replications : SCENARIO_MAX_REPLICATIONS;
	long n = o.replications < RUN_PRECISION_MIN_REPS ? RUN_PRECISION_MIN_REPS : o.replications;
	n = n > max ? max : n;
	o.replications = n;
	int rc = run_fixed(sc, e, &o, stop, res);
	while (rc == 0 && n < max && !run_precise_enough(res, o.precision)) {
		long m = n > max / 2 ? max : 2 * n;
		struct run_result more;
		o.replications = m;
		o.ranged = true;
		o.rep_lo = n;
		o.rep_hi = m;
		rc = run_fixed(sc, e, &o, stop, &more);
		if (rc < 0) {
			run_result_fini(res);
			break;
		}
		take_records(&more, res, n);
		*res = more;
		res->opts.ranged = false;
		res->opts.rep_lo = res->opts.rep_hi = 0;
		o.ranged = false;
		n = m;
	}
	return rc;
}

static int run_fixed(const struct scenario *sc, const struct estate *e,
		     const struct run_opts *opts, const atomic_bool *stop,
		     struct run_result *res)
{
	memset(res, 0, sizeof(*res));
	res->sc = sc;
	res->e = e;
	res->opts = *opts;
	double t0 = wall();
	struct pool p = {.sc = sc, .e = e, .res = res, .stop = stop};
	int rc = hwsim_ids_init(&p.ids, e);
	if (rc < 0)
		return rc;
	rc = -ENOMEM;
	for (size_t si = 0; si < opts->nstrategies; si++) {
		bool classic = opts->strategies[si] == SCENARIO_STRATEGY_CLASSIC;
		if (scan_run(e, classic, &res->scans[si]) < 0)
			goto out;
		res->recs[si] = calloc((size_t)opts->replications, sizeof(struct rec));
		if (!res->recs[si])
			goto out;
	}
	p.lo = 0;
	p.hi = opts->replications;
	if (opts->ranged) {
		if (opts->rep_lo < 0 || opts->rep_hi > opts->replications || opts->rep_lo > opts->rep_hi) {
			rc = -EINVAL;
			goto out;
		}
		p.lo = opts->rep_lo;
		p.hi = opts->rep_hi;
	}
	p.total = (p.hi - p.lo) * (long)opts->nstrategies;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.err, 0);
	int jobs = opts->jobs < 1 ? 1 : opts->jobs;
	if (jobs > p.total)
		jobs = p.total > 0 ? (int)p.total : 1;
	pthread_t *th = calloc((size_t)jobs, sizeof(*th));
	if (!th)
		goto out;
	int started = 0;
	for (; started < jobs; started++)
		if (pthread_create(&th[started], NULL, worker, &p) != 0)
			break;
	if (started == 0)
		worker(&p); /* no thread to be had: do it here */
	if (opts->progress) {
		while (atomic_load(&p.done) < p.total && !atomic_load(&p.err) && !(stop && atomic_load(stop))) {
			progress(atomic_load(&p.done), p.total, t0);
			nanosleep(&(struct timespec){0, 100000000}, NULL);
		}
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (opts->progress) {
		progress(atomic_load(&p.done), p.total, t0);
		fputc('\n', stderr);
	}
	rc = atomic_load(&p.err);
	if (!rc && stop && atomic_load(stop))
		rc = -EINTR;
	res->wall_s = wall() - t0;
out:
	hwsim_ids_fini(&p.ids);
	if (rc < 0)
		run_result_fini(res);
	return rc;
}

void run_result_fini(struct run_result *res)
{
	for (size_t si = 0; si < 2; si++) {
		if (res->recs[si])
			for (long i = 0; i < res->opts.replications; i++)
				rec_fini(&res->recs[si][i]);
		free(res->recs[si]);
		scan_free(res->scans[si]);
		res->recs[si] = NULL;
		res->scans[si] = NULL;
	}
}
