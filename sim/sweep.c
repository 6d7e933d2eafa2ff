/*
 * sweep: axes, points and the pool that runs them (see sweep.h).
 *
 * Work items are points handed out by an atomic counter; each writes only
 * its own slot of the result (summary, errors). Errors of points are kept
 * per point and copied into the caller's diag in point order after the
 * threads are joined, so messages do not depend on the thread schedule.
 */
#include "sim/sweep.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/estate.h"
#include "models/scan.h"
#include "sim/answer.h"
#include "sim/atomicio.h"

void sweep_axis_fini(struct sweep_axis *ax)
{
	if (!ax)
		return;
	for (size_t i = 0; ax->values && i < ax->nvalues; i++)
		free(ax->values[i]);
	free(ax->values);
	free(ax->quoted);
	free(ax->value_pos);
	free(ax->path);
	memset(ax, 0, sizeof(*ax));
}

/* Refuses (-EINVAL, why) a value of ax listed twice, like a scenario's sweep values. */
static int axis_duplicates(struct sweep_axis *ax, char *why, size_t whylen)
{
	bool *twice = malloc(ax->nvalues * sizeof(*twice));
	int count =
	    twice ? scenario_duplicate_values((const char *const *)ax->values, ax->nvalues, twice)
	          : -ENOMEM;
	size_t i = 0;
	while (count > 0 && !twice[i])
		i++;
	if (count > 0)
		snprintf(why, whylen, "--param %s: value '%.64s' is listed twice%s", ax->path,
		         ax->values[i], count > 1 ? " (and other values too)" : "");
	else if (count < 0)
		snprintf(why, whylen, "out of memory");
	free(twice);
	if (count != 0)
		sweep_axis_fini(ax);
	return count > 0 ? -EINVAL : count;
}

int sweep_axis_parse(const char *arg, struct sweep_axis *ax, char *why, size_t whylen)
{
	memset(ax, 0, sizeof(*ax));
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		snprintf(why, whylen, "--param wants PATH=V1,V2,... (got '%s')", arg);
		return -EINVAL;
	}
	size_t n = 1;
	for (const char *p = eq + 1; *p; p++)
		n += *p == ',';
	ax->path = malloc((size_t)(eq - arg) + 1);
	ax->values = calloc(n, sizeof(char *));
	ax->quoted = calloc(n, sizeof(bool));
	ax->value_pos = calloc(n, sizeof(struct diag_pos));
	if (!ax->path || !ax->values || !ax->quoted || !ax->value_pos)
		goto out_oom;
	memcpy(ax->path, arg, (size_t)(eq - arg));
	ax->path[eq - arg] = '\0';
	const char *v = eq + 1;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		if (len == 0) {
			snprintf(why, whylen, "--param %s: value %zu is empty", ax->path, i + 1);
			sweep_axis_fini(ax);
			return -EINVAL;
		}
		ax->values[i] = malloc(len + 1);
		if (!ax->values[i])
			goto out_oom;
		memcpy(ax->values[i], v, len);
		ax->values[i][len] = '\0';
		ax->nvalues = i + 1;
		v = end ? end + 1 : v + len;
	}
	return axis_duplicates(ax, why, whylen);
out_oom:
	ax->nvalues = n;
	sweep_axis_fini(ax);
	snprintf(why, whylen, "out of memory");
	return -ENOMEM;
}

/* A copy of one of the scenario's axes. */
static int axis_copy(struct sweep_axis *dst, const struct scenario_sweep_axis *a)
{
	memset(dst, 0, sizeof(*dst));
	dst->path = strdup(a->path);
	dst->values = calloc(a->nvalues, sizeof(char *));
	dst->quoted = calloc(a->nvalues, sizeof(bool));
	dst->value_pos = calloc(a->nvalues, sizeof(struct diag_pos));
	dst->nvalues = a->nvalues;
	dst->pos = a->pos;
	if (!dst->path || !dst->values || !dst->quoted || !dst->value_pos)
		goto out_oom;
	for (size_t i = 0; i < a->nvalues; i++) {
		dst->values[i] = strdup(a->values[i]);
		if (!dst->values[i])
			goto out_oom;
		dst->quoted[i] = a->quoted[i];
		dst->value_pos[i] = a->value_pos[i];
	}
	return 0;
out_oom:
	sweep_axis_fini(dst);
	return -ENOMEM;
}

int sweep_plan_init(struct sweep_plan *pl, const struct scenario *sc, struct sweep_axis *cli,
                    size_t ncli)
{
	memset(pl, 0, sizeof(*pl));
	size_t cap = sc->naxes + ncli;
	pl->axes = calloc(cap ? cap : 1, sizeof(struct sweep_axis));
	if (!pl->axes)
		return -ENOMEM;
	for (size_t i = 0; i < sc->naxes; i++) {
		if (axis_copy(&pl->axes[i], &sc->sweep[i]) < 0) {
			sweep_plan_fini(pl);
			return -ENOMEM;
		}
		pl->naxes = i + 1;
	}
	for (size_t i = 0; i < ncli; i++) {
		size_t a = 0;
		while (a < pl->naxes && strcmp(pl->axes[a].path, cli[i].path) != 0)
			a++;
		if (a < pl->naxes)
			sweep_axis_fini(&pl->axes[a]);
		else
			pl->naxes++;
		pl->axes[a] = cli[i];
		memset(&cli[i], 0, sizeof(cli[i]));
	}
	if (pl->naxes > SCENARIO_MAX_SWEEP_AXES) {
		sweep_plan_fini(pl);
		return -E2BIG;
	}
	pl->npoints = 1;
	for (size_t a = 0; a < pl->naxes; a++) {
		if (pl->npoints * pl->axes[a].nvalues > (size_t)SCENARIO_MAX_SWEEP_POINTS) {
			sweep_plan_fini(pl);
			return -E2BIG;
		}
		pl->npoints *= pl->axes[a].nvalues;
	}
	return 0;
}

void sweep_plan_fini(struct sweep_plan *pl)
{
	for (size_t a = 0; pl->axes && a < pl->naxes; a++)
		sweep_axis_fini(&pl->axes[a]);
	free(pl->axes);
	memset(pl, 0, sizeof(*pl));
}

void sweep_plan_keep_axis(struct sweep_plan *pl, size_t ai)
{
	for (size_t a = 0; a < pl->naxes; a++)
		if (a != ai)
			sweep_axis_fini(&pl->axes[a]);
	pl->axes[0] = pl->axes[ai];
	if (ai != 0)
		memset(&pl->axes[ai], 0, sizeof(pl->axes[ai]));
	pl->naxes = 1;
	pl->npoints = pl->axes[0].nvalues;
}

size_t sweep_point_value(const struct sweep_plan *pl, size_t k, size_t a)
{
	size_t stride = 1;
	for (size_t b = pl->naxes; b-- > a + 1;)
		stride *= pl->axes[b].nvalues;
	return (k / stride) % pl->axes[a].nvalues;
}

/* Levenshtein distance of a and b (each cut to 255 bytes). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strnlen(a, 255), lb = strnlen(b, 255);
	size_t row[256];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

struct closest {
	const char *want;
	char best[256];
	size_t dist;
	long budget; /* nodes still to visit: a bound on the work for huge trees */
};

/* Visits every scalar of n under path prefix (len bytes used of 256). */
static void closest_walk(const struct ynode *n, char *prefix, size_t len, struct closest *c)
{
	if (--c->budget < 0)
		return;
	if (n->kind == YNODE_SCALAR) {
		size_t d = edit_distance(prefix, c->want);
		if (d < c->dist) {
			c->dist = d;
			snprintf(c->best, sizeof(c->best), "%s", prefix);
		}
		return;
	}
	for (size_t i = 0; i < n->len; i++) {
		const struct ynode *child;
		int w;
		if (n->kind == YNODE_MAPPING) {
			child = n->items[2 * i + 1];
			if (n->items[2 * i]->kind != YNODE_SCALAR)
				continue;
			w = snprintf(prefix + len, 256 - len, "%s%s", len ? "." : "",
			             n->items[2 * i]->str);
		} else {
			/* An item by its name (when it has one), and by its index. */
			child = n->items[i];
			const struct ynode *name = ynode_get(child, "name");
			if (name && name->kind == YNODE_SCALAR) {
				w = snprintf(prefix + len, 256 - len, "[%s]", name->str);
				if (w > 0 && len + (size_t)w < 256)
					closest_walk(child, prefix, len + (size_t)w, c);
			}
			w = snprintf(prefix + len, 256 - len, "[%zu]", i);
		}
		if (w > 0 && len + (size_t)w < 256)
			closest_walk(child, prefix, len + (size_t)w, c);
		prefix[len] = '\0';
	}
}

/* The scalar path of t closest to want (edit distance), into buf; "" if none. */
static void closest_path(const struct ytree *t, const char *want, char *buf, size_t len)
{
	struct closest c = {.want = want, .dist = SIZE_MAX, .budget = 1000000};
	char prefix[256] = "";
	c.best[0] = '\0';
	closest_walk(t->root, prefix, 0, &c);
	snprintf(buf, len, "%s", c.best);
}

int sweep_check_cli_axes(const struct ytree *t, const struct sweep_plan *pl, struct diag *d)
{
	int rc = 0;
	for (size_t a = 0; a < pl->naxes; a++) {
		const struct sweep_axis *ax = &pl->axes[a];
		if (ax->pos.line)
			continue; /* checked when the scenario was loaded */
		struct diag sub;
		diag_init(&sub, t->file);
		if (!scenario_check_path(ax->path, &sub, ax->pos)) {
			for (size_t i = 0; i < sub.n; i++)
				diag_error(d, ax->pos, "--param %s", sub.v[i].msg);
			diag_fini(&sub);
			rc = -EINVAL;
			continue;
		}
		for (size_t j = 0; j < ax->nvalues; j++) {
			struct ytree *copy = ytree_clone_without(t, "sweep");
			if (!copy) {
				diag_fini(&sub);
				return -ENOMEM;
			}
			int set =
			    ytree_set(copy, ax->path, ax->values[j], ax->quoted[j], ax->pos, &sub);
			struct scenario *s = set == 0 ? scenario_convert(copy, &sub) : NULL;
			scenario_free(s);
			ytree_free(copy);
			char near[256] = "";
			if (set == -EINVAL)
				closest_path(t, ax->path, near, sizeof(near));
			for (size_t i = 0; i < sub.n; i++)
				diag_error(d, ax->pos, "--param value '%s' for '%s': %s%s%s%s",
				           ax->values[j], ax->path, sub.v[i].msg,
				           near[0] ? " (the closest path: '" : "", near,
				           near[0] ? "')" : "");
			bool bad = set < 0 || diag_failed(&sub);
			bool oom = set == -ENOMEM || sub.oom;
			diag_fini(&sub);
			diag_init(&sub, t->file);
			if (oom)
				return -ENOMEM;
			if (bad)
				rc = -EINVAL;
			if (set == -EINVAL)
				break; /* the path does not resolve: once per axis */
		}
		diag_fini(&sub);
	}
	return rc;
}

/* "PATH=V, PATH=V" of point k into buf. */
static void point_label(char *buf, size_t len, const struct sweep_plan *pl, size_t k)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t a = 0; a < pl->naxes && used < len; a++) {
		int w = snprintf(buf + used, len - used, "%s%s=%s", a ? ", " : "", pl->axes[a].path,
		                 pl->axes[a].values[sweep_point_value(pl, k, a)]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

struct scenario *sweep_point_scenario(const struct ytree *t, const struct sweep_plan *pl, size_t k,
                                      struct diag *d)
{
	struct ytree *copy = ytree_clone_without(t, "sweep");
	if (!copy) {
		d->oom = true;
		return NULL;
	}
	struct diag sub;
	diag_init(&sub, t->file);
	struct scenario *s = NULL;
	int rc = 0;
	for (size_t a = 0; a < pl->naxes && rc == 0; a++) {
		size_t j = sweep_point_value(pl, k, a);
		const struct sweep_axis *ax = &pl->axes[a];
		rc =
		    ytree_set(copy, ax->path, ax->values[j], ax->quoted[j], ax->value_pos[j], &sub);
	}
	if (rc == 0)
		s = scenario_convert(copy, &sub);
	if (!s) {
		char label[512];
		point_label(label, sizeof(label), pl, k);
		for (size_t i = 0; i < sub.n; i++)
			diag_error(d, sub.v[i].pos, "sweep point %zu (%s): %s", k, label,
			           sub.v[i].msg);
		if (sub.oom || rc == -ENOMEM)
			d->oom = true;
		if (!diag_failed(d))
			d->oom = true; /* failed without a message: only memory does that */
	}
	diag_fini(&sub);
	ytree_free(copy);
	return s;
}

int sweep_result_init(struct sweep_result *res, size_t npoints)
{
	memset(res, 0, sizeof(*res));
	res->npoints = npoints;
	res->done = calloc(npoints ? npoints : 1, sizeof(bool));
	res->sums = calloc(npoints ? npoints : 1, sizeof(struct output_summary));
	res->makespans = calloc(npoints ? npoints : 1, sizeof(double *));
	res->why = calloc(npoints ? npoints : 1, sizeof(char *));
	if (!res->done || !res->sums || !res->makespans || !res->why) {
		sweep_result_fini(res);
		return -ENOMEM;
	}
	return 0;
}

void sweep_result_fini(struct sweep_result *res)
{
	for (size_t k = 0; res->sums && k < res->npoints; k++)
		output_summary_fini(&res->sums[k]);
	for (size_t k = 0; res->makespans && k < res->npoints; k++)
		free(res->makespans[k]);
	free(res->makespans);
	for (size_t k = 0; res->why && k < res->npoints; k++)
		free(res->why[k]);
	free(res->why);
	free(res->sums);
	free(res->done);
	memset(res, 0, sizeof(*res));
}

/* ---- the pool ------------------------------------------------------------- */

struct pool {
	const struct ytree *t;
	const struct sweep_plan *pl;
	const struct sweep_opts *o;
	const atomic_bool *stop;
	struct sweep_result *res;
	struct diag *diags; /* per point */
	int inner_jobs;     /* threads each point's replications get */
	size_t *todo;       /* the shard's points */
	/* The first point's makespan and VM downtime total per strategy and
	 * replication (2 x nstrategies x replications), the baseline of every
	 * point's paired differences; NULL while it is being made. */
	double *base;
	bool making_base;
	size_t ntodo;
	atomic_size_t next;
	atomic_size_t done;
	atomic_int err;
};

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The baseline values of rr (the first point) into p->base, when it is being made; then
 * the paired differences of rr from the baseline into sum. */
static void base_diffs(struct pool *p, const struct run_result *rr, struct output_summary *sum)
{
	size_t n = (size_t)rr->opts.replications, ns = rr->opts.nstrategies;
	if (p->making_base && p->base)
		for (size_t si = 0; si < ns; si++)
			for (size_t r = 0; r < n; r++) {
				p->base[(2 * si) * n + r] = rr->recs[si][r].makespan_s;
				p->base[(2 * si + 1) * n + r] = rr->recs[si][r].downtime_total_s;
			}
	if (!p->base)
		return;
	double *a = malloc(2 * (n ? n : 1) * sizeof(double));
	if (!a)
		return; /* the differences are left out, nothing else */
	for (size_t si = 0; si < ns && si < 2; si++) {
		for (int m = 0; m < 2; m++) {
			const double *b = p->base + (2 * si + (size_t)m) * n;
			size_t k = 0;
			for (size_t r = 0; r < n; r++) {
				double v = m ? rr->recs[si][r].downtime_total_s : rr->recs[si][r].makespan_s;
				if (!isnan(v - b[r])) {
					a[k] = v;
					a[n + k] = b[r];
					k++;
				}
			}
			stat_of_diff(&sum->strategies[si].base_diff[m], a, a + n, a, k);
		}
		sum->strategies[si].has_base_diff = true;
	}
	free(a);
}

/* One point: scenario, estate, replications, summary. */
static int run_point(struct pool *p, size_t k)
{
	struct diag *d = &p->diags[k];
	struct scenario *sc = sweep_point_scenario(p->t, p->pl, k, d);
	if (!sc)
		return d->oom && d->n == 0 ? -ENOMEM : -EINVAL;
	struct estate *e = NULL;
	struct diag sub;
	diag_init(&sub, p->t->file);
	int rc = estate_build(sc, &sub, &e);
	if (rc < 0 || diag_failed(&sub)) {
		/* Placement errors of this point: say which point. */
		char label[512];
		point_label(label, sizeof(label), p->pl, k);
		for (size_t i = 0; i < sub.n; i++)
			diag_error(d, sub.v[i].pos, "sweep point %zu (%s): %s", k, label,
			           sub.v[i].msg);
		rc = sub.n && !sub.oom ? -EINVAL : -ENOMEM;
		diag_fini(&sub);
		goto out;
	}
	diag_fini(&sub);
	struct run_opts ro = p->o->run;
	ro.jobs = p->inner_jobs;
	ro.progress = false;
	ro.all_replications = false;
	ro.ranged = false;
	struct run_result rr;
	rc = run_replications(sc, e, &ro, p->stop, &rr);
	if (rc < 0)
		goto out;
	rc = output_summarize(&rr, &p->res->sums[k]);
	if (rc == 0)
		base_diffs(p, &rr, &p->res->sums[k]);
	if (rc == 0 && p->o->keep_makespans) {
		size_t n = (size_t)ro.replications;
		double *m = malloc(ro.nstrategies * n * sizeof(double) + 1);
		char *why = calloc(ro.nstrategies + 1, OUTPUT_WHY_LEN);
		if (m && why) {
			enum answer_metric am = (enum answer_metric)p->o->metric;
			bool found = true;
			size_t scope = p->o->scope ? answer_scope_find(e, p->o->scope, &found)
			                           : ANSWER_ESTATE;
			for (size_t si = 0; si < ro.nstrategies; si++) {
				for (size_t r = 0; r < n; r++)
					m[si * n + r] = found ? answer_scope_value(&rr.recs[si][r],
					                                           am, scope)
					                      : (double)NAN;
				if (found)
					answer_why(why + si * OUTPUT_WHY_LEN, OUTPUT_WHY_LEN, e,
					           rr.scans[si], rr.recs[si], n, am, scope);
			}
			p->res->makespans[k] = m;
			p->res->why[k] = why;
		} else {
			free(m);
			free(why);
			output_summary_fini(&p->res->sums[k]);
			rc = -ENOMEM;
		}
	}
	run_result_fini(&rr);
	if (rc == 0)
		p->res->done[k] = true;
out:
	estate_free(e);
	scenario_free(sc);
	return rc;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		if (atomic_load(&p->err) || (p->stop && atomic_load(p->stop)))
			break;
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->ntodo)
			break;
		int rc = run_point(p, p->todo[i]);
		if (rc < 0) {
			int zero = 0;
			atomic_compare_exchange_strong(&p->err, &zero, rc);
		}
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

static void progress(size_t done, size_t total, double t0)
{
	int width = 40, fill = total ? (int)(width * (double)done / (double)total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu points  %.1f s", fill,
	        "########################################", width - fill, "", done, total,
	        wall() - t0);
	fflush(stderr);
}

size_t sweep_shard_points(size_t npoints, size_t shard, size_t nshards)
{
	if (nshards < 1)
		nshards = 1;
	return shard < npoints ? (npoints - shard + nshards - 1) / nshards : 0;
}

int sweep_points_at_once(int jobs, size_t npoints)
{
	if (jobs < 1)
		jobs = 1;
	return (size_t)jobs > npoints ? 1 : jobs;
}

int sweep_run(const struct ytree *t, const struct sweep_plan *pl, const struct sweep_opts *o,
              const atomic_bool *stop, struct diag *d, struct sweep_result *res)
{
	double t0 = wall();
	int rc = sweep_result_init(res, pl->npoints);
	if (rc < 0)
		return rc;
	size_t nsh = o->nshards ? o->nshards : 1;
	struct pool p = {.t = t, .pl = pl, .o = o, .stop = stop, .res = res};
	p.diags = calloc(pl->npoints, sizeof(struct diag));
	p.todo = calloc(pl->npoints, sizeof(size_t));
	pthread_t *th = NULL;
	rc = -ENOMEM;
	if (!p.diags || !p.todo)
		goto out;
	for (size_t k = 0; k < pl->npoints; k++) {
		diag_init(&p.diags[k], t->file);
		if (k % nsh == o->shard)
			p.todo[p.ntodo++] = k;
	}
	int jobs = o->run.jobs < 1 ? 1 : o->run.jobs;
	/* The first point first, on every job: the baseline of the paired
	 * differences (a shard without it runs it too, and keeps only that). */
	if (pl->npoints > 1 && !(stop && atomic_load(stop))) {
		p.base = calloc(2 * o->run.nstrategies * (size_t)o->run.replications + 1,
		                sizeof(double));
		if (p.base) {
			p.making_base = true;
			p.inner_jobs = jobs;
			rc = run_point(&p, 0);
			p.making_base = false;
			if (rc < 0)
				goto out;
			if (p.ntodo && p.todo[0] == 0) {
				memmove(p.todo, p.todo + 1, (p.ntodo - 1) * sizeof(size_t));
				p.ntodo--;
			} else {
				output_summary_fini(&res->sums[0]);
				memset(&res->sums[0], 0, sizeof(res->sums[0]));
				res->done[0] = false;
				free(res->makespans[0]);
				free(res->why[0]);
				res->makespans[0] = NULL;
				res->why[0] = NULL;
			}
		}
	}
	rc = -ENOMEM;
	int outer = sweep_points_at_once(jobs, p.ntodo);
	/* Fewer points than jobs: points in turn, each on every job. */
	p.inner_jobs = outer == 1 ? jobs : 1;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.err, 0);
	th = calloc((size_t)outer, sizeof(*th));
	if (!th)
		goto out;
	int started = 0;
	for (; started < outer; started++)
		if (pthread_create(&th[started], NULL, worker, &p) != 0)
			break;
	if (started == 0)
		worker(&p);
	if (o->run.progress) {
		while (atomic_load(&p.done) < p.ntodo && !atomic_load(&p.err) &&
		       !(stop && atomic_load(stop))) {
			progress(atomic_load(&p.done), p.ntodo, t0);
			nanosleep(&(struct timespec){0, 100000000}, NULL);
		}
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (o->run.progress) {
		progress(atomic_load(&p.done), p.ntodo, t0);
		fputc('\n', stderr);
	}
	rc = atomic_load(&p.err);
	if (!rc && stop && atomic_load(stop))
		rc = -EINTR;
	/* The points' errors, in point order. */
	for (size_t k = 0; k < pl->npoints; k++) {
		for (size_t i = 0; i < p.diags[k].n; i++)
			diag_add(d, p.diags[k].v[i].pos, p.diags[k].v[i].msg);
		if (p.diags[k].oom)
			d->oom = true;
	}
	res->wall_s = wall() - t0;
out:
	free(th);
	for (size_t k = 0; p.diags && k < pl->npoints; k++)
		diag_fini(&p.diags[k]);
	free(p.diags);
	free(p.todo);
	free(p.base);
	if (rc < 0)
		sweep_result_fini(res);
	return rc;
}

/* ---- output --------------------------------------------------------------- */

/* True when s is a JSON number (RFC 8259 grammar). */
static bool json_number_like(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void sweep_json_value(FILE *f, const char *v, bool quoted)
{
	if (!quoted && (json_number_like(v) || !strcmp(v, "true") || !strcmp(v, "false")))
		fputs(v, f);
	else
		scan_json_string(f, v);
}

/* Writes the summary.json of sum indented by two more levels (inside "points"). */
static int write_summary_indented(FILE *f, const struct output_summary *sum)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	int rc = output_summary_json(m, sum, true);
	if (fclose(m) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc < 0) {
		free(buf);
		return rc;
	}
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len; i++) {
		fputc(buf[i], f);
		if (buf[i] == '\n')
			fputs("      ", f);
	}
	free(buf);
	return 0;
}

int sweep_write_json(FILE *f, const struct sweep_plan *pl, const struct sweep_result *res)
{
	fputs("{\n  \"axes\": [", f);
	for (size_t a = 0; a < pl->naxes; a++) {
		const struct sweep_axis *ax = &pl->axes[a];
		fputs(a ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
		scan_json_string(f, ax->path);
		fputs(", \"values\": [", f);
		for (size_t j = 0; j < ax->nvalues; j++) {
			if (j)
				fputs(", ", f);
			sweep_json_value(f, ax->values[j], ax->quoted[j]);
		}
		fputs("]}", f);
	}
	fputs(pl->naxes ? "\n  ],\n  \"points\": [" : "],\n  \"points\": [", f);
	for (size_t k = 0; k < res->npoints; k++) {
		fputs(k ? ",\n    {\n      \"params\": {" : "\n    {\n      \"params\": {", f);
		for (size_t a = 0; a < pl->naxes; a++) {
			const struct sweep_axis *ax = &pl->axes[a];
			size_t j = sweep_point_value(pl, k, a);
			if (a)
				fputs(", ", f);
			scan_json_string(f, ax->path);
			fputs(": ", f);
			sweep_json_value(f, ax->values[j], ax->quoted[j]);
		}
		fputs("},\n      \"summary\": ", f);
		int rc = write_summary_indented(f, &res->sums[k]);
		if (rc < 0)
			return rc;
		fputs("\n    }", f);
	}
	fputs(res->npoints ? "\n  ]\n}\n" : "]\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.17g", v);
	else
		fputc(',', f);
}

int sweep_write_csv(FILE *f, const struct sweep_plan *pl, const struct sweep_result *res)
{
	static const char *const metrics[] = {"makespan_s", "time_to_compliance_s",
	                                      "exposure_host_hours", "vm_downtime_s.total"};
	static const char *const parts[] = {"mean", "ci95_lo", "ci95_hi"};
	const struct output_summary *first = res->npoints ? &res->sums[0] : NULL;
	size_t nst = first ? first->nstrategies : 0;
	for (size_t a = 0; a < pl->naxes; a++) {
		if (a)
			fputc(',', f);
		output_csv_field(f, pl->axes[a].path);
	}
	for (size_t s = 0; s < nst; s++) {
		const char *sn = scenario_strategy_name(first->strategies[s].strategy);
		for (size_t m = 0; m < 4; m++)
			for (size_t q = 0; q < 3; q++)
				fprintf(f, "%s%s.%s.%s", (pl->naxes || s || m || q) ? "," : "", sn,
				        metrics[m], parts[q]);
		/* whom the figures cover (issue 17) */
		fprintf(f,
		        ",%s.hosts.total,%s.hosts.patched.mean,%s.makespan_hosts.mean,"
		        "%s.whole_estate_patched,%s.time_to_compliance_censored",
		        sn, sn, sn, sn, sn);
		/* paired differences from the first point (issue 17) */
		for (size_t m = 0; m < 2; m++)
			for (size_t q = 0; q < 3; q++)
				fprintf(f, ",%s.%s.diff_from_first.%s", sn, m ? "vm_downtime_s.total" : "makespan_s",
				        parts[q]);
	}
	fputc('\n', f);
	for (size_t k = 0; k < res->npoints; k++) {
		for (size_t a = 0; a < pl->naxes; a++) {
			if (a)
				fputc(',', f);
			output_csv_field(f, pl->axes[a].values[sweep_point_value(pl, k, a)]);
		}
		bool lead = pl->naxes == 0;
		for (size_t s = 0; s < nst && s < res->sums[k].nstrategies; s++) {
			const struct output_strategy *o = &res->sums[k].strategies[s];
			const struct stat_summary *st[] = {&o->makespan_s, &o->time_to_compliance_s,
			                                   &o->exposure_host_hours,
			                                   &o->downtime_total_s};
			for (size_t m = 0; m < 4; m++) {
				double v[] = {st[m]->mean, st[m]->ci95_lo, st[m]->ci95_hi};
				for (size_t q = 0; q < 3; q++) {
					if (lead) {
						/* no axis column before: no leading comma */
						if (isfinite(v[q]))
							fprintf(f, "%.17g", v[q]);
						lead = false;
					} else {
						csv_num(f, v[q]);
					}
				}
			}
			fprintf(f, ",%zu", res->sums[k].hosts);
			csv_num(f, o->hosts_patched.mean);
			csv_num(f, o->makespan_hosts.mean);
			fprintf(f, ",%zu,%zu", o->whole_patched, o->ttc_censored);
			for (size_t m = 0; m < 2; m++) {
				const struct stat_summary *d = &o->base_diff[m];
				double v[] = {d->mean, d->ci95_lo, d->ci95_hi};
				for (size_t q = 0; q < 3; q++)
					csv_num(f, o->has_base_diff ? v[q] : (double)NAN);
			}
		}
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

static void set_errpath(char *errpath, size_t errlen, const char *path)
{
	if (errpath && errlen)
		snprintf(errpath, errlen, "%s", path);
}

int sweep_write_dir(const char *dir, const struct sweep_plan *pl, const struct sweep_result *res,
                    char *errpath, size_t errlen)
{
	static const char *const names[] = {"sweep.csv", "sweep.json"};
	struct afile *af[2] = {NULL, NULL};
	if (errpath && errlen)
		errpath[0] = '\0';
	int rc = mkdir_p(dir);
	if (rc < 0) {
		set_errpath(errpath, errlen, dir);
		return rc;
	}
	size_t plen = strlen(dir) + 32;
	char *path = malloc(plen);
	if (!path)
		return -ENOMEM;
	for (int i = 0; i < 2; i++) {
		snprintf(path, plen, "%s/%s", dir, names[i]);
		af[i] = afile_open(path);
		if (!af[i]) {
			rc = errno > 0 ? -errno : -EIO;
			goto out_abort;
		}
		rc = i == 0 ? sweep_write_csv(afile_stream(af[i]), pl, res)
		            : sweep_write_json(afile_stream(af[i]), pl, res);
		int seal = afile_seal(af[i]);
		if (rc == 0 || (rc == -EIO && seal < 0))
			rc = seal;
		if (rc < 0)
			goto out_abort;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(path, plen, "%s/%s", dir, names[i]);
		rc = afile_commit(af[i]);
		af[i] = NULL;
		if (rc < 0)
			goto out_abort;
	}
	free(path);
	return 0;
out_abort:
	if (rc != -ENOMEM)
		set_errpath(errpath, errlen, path);
	for (int i = 0; i < 2; i++)
		afile_abort(af[i]);
	free(path);
	return rc;
}
