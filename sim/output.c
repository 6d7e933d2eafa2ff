/*
 * output: summary.json, summary.txt and the CSV files of a run; see
 * output.h.
 *
 * The statistics are computed once (output_summarize) and both summaries
 * are printed from them. CSV rows are assembled in a line buffer and
 * written with one fwrite each, the stream locked once per file: vms.csv
 * for millions of VMs is bound by number formatting, not by stdio.
 */
#include "sim/output.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/answer.h"
#include "sim/atomicio.h"
#include "sim/replications.h"

#ifndef LPSIM_VERSION
#define LPSIM_VERSION "unknown"
#endif

/* ---- statistics ----------------------------------------------------------- */

/* The per-replication quantities a replication STAT is taken over. */
enum metric {
	M_MAKESPAN,
	M_TIME_TO_COMPLIANCE,
	M_EXPOSURE,
	M_DOWNTIME_TOTAL,
	M_HOSTS_LIVE,
	M_HOSTS_CLASSIC,
	M_HOSTS_FAILED,
	M_HOSTS_BLOCKED,
	M_HOSTS_NOT_STARTED,
	M_HOSTS_COMPLIANT,
	M_VMS_FSR,
	M_VMS_VMOTION,
	M_VMS_POWER_CYCLE,
	M_VMS_POWERED_OFF,
	M_EVENTS,
	M_SDPS,
};

static double metric(const struct rec *r, enum metric m)
{
	switch (m) {
	case M_MAKESPAN:
		return r->makespan_s;
	case M_TIME_TO_COMPLIANCE:
		return r->time_to_compliance_s;
	case M_EXPOSURE:
		return r->exposure_host_hours;
	case M_DOWNTIME_TOTAL:
		return r->downtime_total_s;
	case M_HOSTS_LIVE:
		return r->hosts_live;
	case M_HOSTS_CLASSIC:
		return r->hosts_classic;
	case M_HOSTS_FAILED:
		return r->hosts_failed;
	case M_HOSTS_BLOCKED:
		return r->hosts_blocked;
	case M_HOSTS_NOT_STARTED:
		return r->hosts_not_started;
	case M_HOSTS_COMPLIANT:
		return r->hosts_compliant;
	case M_VMS_FSR:
		return r->vms_fsr;
	case M_VMS_VMOTION:
		return r->vms_vmotion;
	case M_VMS_POWER_CYCLE:
		return r->vms_power_cycle;
	case M_VMS_POWERED_OFF:
		return r->vms_powered_off;
	case M_EVENTS:
		return (double)r->events;
	case M_SDPS:
		return r->sdps_total_s;
	}
	return (double)NAN;
}

/* STAT of metric m over recs[0..n-1], NaN values left out; scratch holds n doubles. */
static void rep_stat(struct stat_summary *st, const struct rec *recs, size_t n, enum metric m,
                     double *scratch)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double v = metric(&recs[i], m);
		if (!isnan(v))
			scratch[k++] = v;
	}
	/* Cannot fail: no NaN, scratch not NULL when k > 0. */
	stat_of(st, scratch, k);
}

/* How many per-VM downtimes (or stun samples) the n records hold. */
static size_t pooled_count(const struct rec *recs, size_t n, bool stuns)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += stuns ? rec_stun_count(&recs[i]) : recs[i].nvms;
	return total;
}

/* STAT over the concatenation of every record's per-VM downtimes (or stun samples). */
static int pooled_stat(struct stat_summary *st, const struct rec *recs, size_t n, bool stuns)
{
	size_t total = pooled_count(recs, n, stuns);
	double *x = malloc((total ? total : 1) * sizeof(double));
	if (!x)
		return -ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		/* The stuns are copied in place first (the filter then only moves
		 * them down). */
		const double *v = stuns ? x + k : recs[i].vm_downtime;
		size_t m = stuns ? rec_stuns_copy(&recs[i], x + k) : recs[i].nvms;
		for (size_t j = 0; j < m; j++) {
			if (!isnan(v[j]))
				x[k++] = v[j];
		}
	}
	stat_of(st, x, k);
	free(x);
	return 0;
}

/*
 * The pooled STATs (per-VM downtime and stun, per strategy) are most of a
 * large run's summary: millions of values each, and independent of one
 * another, so with jobs > 1 they are taken on threads, two at a time, when
 * the two copies of their values that this holds at once take less than an
 * eighth of the machine's memory. One that finds no memory beside the
 * other is taken again alone afterwards, so threads never make a run fail.
 */
struct pooled_task {
	struct stat_summary *st;
	const struct rec *recs;
	size_t n;
	bool stuns;
	int rc;
};

struct pooled_pool {
	struct pooled_task *t;
	size_t nt;
	atomic_size_t next;
};

static void *pooled_worker(void *arg)
{
	struct pooled_pool *p = arg;
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->nt;)
		p->t[i].rc = pooled_stat(p->t[i].st, p->t[i].recs, p->t[i].n, p->t[i].stuns);
	return NULL;
}

/* The bytes of the copy pooled_stat makes for t. */
static double pooled_bytes(const struct pooled_task *t)
{
	return (double)pooled_count(t->recs, t->n, t->stuns) * (double)sizeof(double);
}

static int pooled_stats(struct pooled_task *t, size_t nt, int jobs)
{
	struct pooled_pool p = {t, nt, 0};
	double top[2] = {0, 0}; /* the two largest copies */
	for (size_t i = 0; i < nt; i++) {
		double b = pooled_bytes(&t[i]);
		if (b > top[0]) {
			top[1] = top[0];
			top[0] = b;
		} else if (b > top[1]) {
			top[1] = b;
		}
	}
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	bool fits = pages > 0 && page > 0 && top[0] + top[1] < (double)pages * (double)page / 8;
	pthread_t th;
	bool helper = jobs > 1 && nt > 1 && fits &&
		      pthread_create(&th, NULL, pooled_worker, &p) == 0;
	pooled_worker(&p);
	if (helper)
		pthread_join(th, NULL);
	for (size_t i = 0; i < nt; i++)
		if (t[i].rc < 0 && (t[i].rc = pooled_stat(t[i].st, t[i].recs, t[i].n, t[i].stuns)) < 0)
			return t[i].rc;
	return 0;
}

/* STAT of a[m] - b[m] over the replications where both are defined. */
static void diff_stat(struct stat_summary *st, const struct rec *a, const struct rec *b, size_t n,
                      enum metric m, double *sa, double *sb)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double x = metric(&a[i], m), y = metric(&b[i], m);
		if (!isnan(x - y)) {
			sa[k] = x;
			sb[k] = y;
			k++;
		}
	}
	stat_of_diff(st, sa, sb, sa, k);
}

static char *dup_str(const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s) + 1;
	char *d = malloc(len);
	if (d)
		memcpy(d, s, len);
	return d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Hosts of r still in remediation at the end (0 without per-cluster figures). */
static uint32_t unfinished(const struct rec *r)
{
	uint32_t u = 0;
	for (size_t c = 0; c < r->nclusters; c++)
		u += r->clusters[c].unfinished;
	return u;
}

/* Per-replication host counts that need the estate's size. */
enum derived { D_PATCHED, D_MAKESPAN_HOSTS, D_NEVER_COMPLIANT };

static double derived(const struct rec *r, size_t nhosts, enum derived d)
{
	double h = (double)nhosts;
	switch (d) {
	case D_PATCHED:
		return h - r->hosts_blocked - r->hosts_not_started - r->hosts_failed - unfinished(r);
	case D_MAKESPAN_HOSTS:
		return h - r->hosts_blocked - r->hosts_not_started;
	case D_NEVER_COMPLIANT:
		return h - r->hosts_compliant;
	}
	return (double)NAN;
}

static void derived_stat(struct stat_summary *st, const struct rec *recs, size_t n, size_t nhosts,
                         enum derived d, double *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = derived(&recs[i], nhosts, d);
	stat_of(st, scratch, n);
}

/* STAT of one cluster figure over the replications, NaN left out. */
static size_t cluster_stat(struct stat_summary *st, const struct rec *recs, size_t n, size_t c,
                           size_t field, double *scratch)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct rec_cluster *x = &recs[i].clusters[c];
		double v = field == 0   ? x->makespan_s
		           : field == 1 ? x->time_to_compliance_s
		           : field == 2 ? x->exposure_host_hours
		           : field == 3 ? x->downtime_total_s
		           : field == 4 ? x->unfinished
		                        : x->outcomes[field - 5];
		if (!isnan(v))
			scratch[k++] = v;
	}
	stat_of(st, scratch, k);
	return k;
}

/* The per-cluster statistics of strategy s, when its records have them. 0 or -ENOMEM. */
static int summarize_clusters(const struct run_result *res, size_t s, size_t n, double *scratch,
                              struct output_strategy *o)
{
	const struct rec *recs = res->recs[s];
	const struct estate *e = res->e;
	for (size_t i = 0; i < n; i++)
		if (recs[i].nclusters != e->nclusters)
			return 0;
	if (n == 0 || e->nclusters == 0)
		return 0;
	o->clusters = calloc(e->nclusters, sizeof(*o->clusters));
	if (!o->clusters)
		return -ENOMEM;
	o->nclusters = e->nclusters;
	for (size_t c = 0; c < e->nclusters; c++) {
		struct output_cluster *oc = &o->clusters[c];
		estate_cluster_name(e, c, oc->name, sizeof(oc->name));
		answer_blocked(oc->blocked, sizeof(oc->blocked), e, res->scans[s], c);
		oc->hosts = e->clusters[c].nhosts;
		cluster_stat(&oc->makespan_s, recs, n, c, 0, scratch);
		oc->ttc_censored = n - cluster_stat(&oc->time_to_compliance_s, recs, n, c, 1, scratch);
		cluster_stat(&oc->exposure_host_hours, recs, n, c, 2, scratch);
		cluster_stat(&oc->downtime_total_s, recs, n, c, 3, scratch);
		cluster_stat(&oc->unfinished, recs, n, c, 4, scratch);
		for (size_t k = 0; k < 5; k++)
			cluster_stat(&oc->outcomes[k], recs, n, c, 5 + k, scratch);
	}
	return 0;
}

/* A mean count: the integer when every replication agrees, else "MEAN [LO, HI]". */
static void fmt_count(char *buf, size_t len, const struct stat_summary *st);

/* o->headline, from o's counts. */
static void make_headline(struct output_strategy *o, size_t nhosts)
{
	char p[96], b[96], f[96], ns[96], nf[96];
	fmt_count(p, sizeof(p), &o->hosts_patched);
	fmt_count(b, sizeof(b), &o->hosts_blocked);
	fmt_count(f, sizeof(f), &o->hosts_failed);
	fmt_count(ns, sizeof(ns), &o->hosts_not_started);
	int len = snprintf(o->headline, sizeof(o->headline), "%s of %zu hosts patched; %s blocked", p,
	                   nhosts, b);
	if (len > 0 && (size_t)len < sizeof(o->headline) && o->blocked[0])
		len += snprintf(o->headline + len, sizeof(o->headline) - (size_t)len, " (%s)",
		                o->blocked);
	if (len > 0 && (size_t)len < sizeof(o->headline))
		len += snprintf(o->headline + len, sizeof(o->headline) - (size_t)len,
		                ", %s failed, %s not started", f, ns);
	if (len > 0 && (size_t)len < sizeof(o->headline) && o->unfinished.max > 0) {
		fmt_count(nf, sizeof(nf), &o->unfinished);
		snprintf(o->headline + len, sizeof(o->headline) - (size_t)len,
		         ", %s still in remediation at the end", nf);
	}
}

/* The robust intervals of o's headline metrics over recs[0..n-1] (replication
 * order; NaN values left out); scratch holds n doubles. 0 or -ENOMEM. */
static int summarize_intervals(const struct rec *recs, size_t n, double *scratch,
                               struct output_strategy *o)
{
	static const enum metric m[OUT_H_N] = {M_MAKESPAN, M_TIME_TO_COMPLIANCE, M_EXPOSURE,
	                                       M_DOWNTIME_TOTAL};
	for (int h = 0; h < OUT_H_N; h++) {
		struct output_interval *iv = &o->intervals[h];
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			double v = metric(&recs[i], m[h]);
			if (isfinite(v))
				scratch[k++] = v;
		}
		if (stat_interval_of(&iv->mean, scratch, k) < 0)
			return -ENOMEM;
		qsort(scratch, k, sizeof(double), cmp_double);
		stat_quantile_ci(scratch, k, 0.95, &iv->p95_lo, &iv->p95_hi);
		stat_quantile_ci(scratch, k, 0.99, &iv->p99_lo, &iv->p99_hi);
	}
	return 0;
}

/* per_vm's interval from the replications' mean per-VM downtimes (VMs of one
 * replication share its hosts' fate: pooled, they are not independent). */
static void per_vm_interval(const struct rec *recs, size_t n, size_t nvms, double *scratch,
                            struct stat_summary *per_vm)
{
	struct stat_summary st;
	for (size_t i = 0; i < n; i++)
		scratch[i] = nvms ? recs[i].downtime_total_s / (double)nvms : 0;
	stat_of(&st, scratch, nvms ? n : 0);
	per_vm->ci95_lo = st.ci95_lo;
	per_vm->ci95_hi = st.ci95_hi;
}

/* The statistics of strategy s (recs[s][0 .. n-1]) but its pooled ones, which are
 * left in pool[0..1]; scratch holds n doubles. */
static void summarize_strategy(const struct run_result *res, size_t s, size_t n, double *scratch,
                               struct output_strategy *o, struct pooled_task pool[2])
{
	const struct rec *recs = res->recs[s];
	const struct {
		enum metric m;
		struct stat_summary *st;
	} reps[] = {
	    {M_MAKESPAN, &o->makespan_s},
	    {M_TIME_TO_COMPLIANCE, &o->time_to_compliance_s},
	    {M_EXPOSURE, &o->exposure_host_hours},
	    {M_DOWNTIME_TOTAL, &o->downtime_total_s},
	    {M_HOSTS_LIVE, &o->hosts_live},
	    {M_HOSTS_CLASSIC, &o->hosts_classic},
	    {M_HOSTS_FAILED, &o->hosts_failed},
	    {M_HOSTS_BLOCKED, &o->hosts_blocked},
	    {M_HOSTS_NOT_STARTED, &o->hosts_not_started},
	    {M_HOSTS_COMPLIANT, &o->hosts_compliant},
	    {M_VMS_FSR, &o->vms_fsr},
	    {M_VMS_VMOTION, &o->vms_vmotion},
	    {M_VMS_POWER_CYCLE, &o->vms_power_cycle},
	    {M_VMS_POWERED_OFF, &o->vms_powered_off},
	    {M_EVENTS, &o->events},
	    {M_SDPS, &o->sdps_s},
	};

	o->strategy = res->opts.strategies[s];
	for (size_t i = 0; i < sizeof(reps) / sizeof(reps[0]); i++)
		rep_stat(reps[i].st, recs, n, reps[i].m, scratch);
	size_t nh = res->e->nhosts;
	derived_stat(&o->hosts_patched, recs, n, nh, D_PATCHED, scratch);
	derived_stat(&o->makespan_hosts, recs, n, nh, D_MAKESPAN_HOSTS, scratch);
	derived_stat(&o->hosts_never_compliant, recs, n, nh, D_NEVER_COMPLIANT, scratch);
	for (size_t i = 0; i < n; i++)
		scratch[i] = unfinished(&recs[i]);
	stat_of(&o->unfinished, scratch, n);
	o->ttc_censored = n - o->time_to_compliance_s.n;
	o->whole_patched = 0;
	for (size_t i = 0; i < n; i++) {
		scratch[i] = answer_scope_value(&recs[i], ANSWER_MAKESPAN, ANSWER_ESTATE);
		o->whole_patched += isfinite(scratch[i]);
	}
	o->estate_bound_s = o->whole_patched ? answer_quantile_bound(scratch, n, 0.95)
	                                     : (double)INFINITY;
	answer_blocked(o->blocked, sizeof(o->blocked), res->e, res->scans[s], ANSWER_ESTATE);
	make_headline(o, nh);

	double sum = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && res->e->nclusters > 0; i++, k++)
		sum += (double)recs[i].clusters_compliant / (double)res->e->nclusters;
	o->cluster_compliant_fraction = k ? sum / (double)k : (double)NAN;

	for (unsigned b = 0; b < SCAN_NINCOMPAT; b++)
		o->incompatible[b] = res->scans[s] ? res->scans[s]->incompatible[b] : 0;

	pool[0] = (struct pooled_task){&o->downtime_per_vm_s, recs, n, false, 0};
	pool[1] = (struct pooled_task){&o->stun_s, recs, n, true, 0};
}

int output_summarize(const struct run_result *res, struct output_summary *sum)
{
	const size_t n = res->opts.replications > 0 ? (size_t)res->opts.replications : 0;

	memset(sum, 0, sizeof(*sum));
	sum->scenario_name = dup_str(res->sc->name);
	sum->scenario_file = dup_str(res->sc->file);
	double *scratch = malloc(2 * (n ? n : 1) * sizeof(double));
	if (!sum->scenario_name || !sum->scenario_file || !scratch)
		goto out_oom;
	sum->seed = res->opts.seed;
	sum->replications = res->opts.replications;
	sum->clusters = res->e->nclusters;
	sum->hosts = res->e->nhosts;
	sum->vms = res->e->nvms;
	sum->wall_s = res->wall_s;
	sum->nstrategies = res->opts.nstrategies < 2 ? res->opts.nstrategies : 2;

	int live = -1, classic = -1;
	struct pooled_task pool[4];
	for (size_t s = 0; s < sum->nstrategies; s++) {
		summarize_strategy(res, s, n, scratch, &sum->strategies[s], pool + 2 * s);
		output_why(res->e, n ? &res->recs[s][0] : NULL, &sum->strategies[s]);
		if (summarize_clusters(res, s, n, scratch, &sum->strategies[s]) < 0 ||
		    summarize_intervals(res->recs[s], n, scratch, &sum->strategies[s]) < 0)
			goto out_oom;
		if (res->opts.strategies[s] == SCENARIO_STRATEGY_LIVE_PATCH)
			live = (int)s;
		else if (res->opts.strategies[s] == SCENARIO_STRATEGY_CLASSIC)
			classic = (int)s;
	}
	if (live >= 0 && classic >= 0) {
		sum->has_comparison = true;
		diff_stat(&sum->downtime_total_diff_s, res->recs[live], res->recs[classic], n,
		          M_DOWNTIME_TOTAL, scratch, scratch + n);
		diff_stat(&sum->makespan_diff_s, res->recs[live], res->recs[classic], n, M_MAKESPAN,
		          scratch, scratch + n);
	}
	free(scratch);
	scratch = NULL;
	if (pooled_stats(pool, 2 * sum->nstrategies, res->opts.jobs) < 0)
		goto out_oom;
	scratch = malloc((n ? n : 1) * sizeof(double));
	if (!scratch)
		goto out_oom;
	for (size_t s = 0; s < sum->nstrategies; s++)
		per_vm_interval(res->recs[s], n, res->e->nvms, scratch,
		                &sum->strategies[s].downtime_per_vm_s);
	free(scratch);
	return 0;

out_oom:
	free(scratch);
	output_summary_fini(sum);
	return -ENOMEM;
}

void output_summary_fini(struct output_summary *sum)
{
	for (size_t s = 0; s < 2; s++) {
		free(sum->strategies[s].clusters);
		sum->strategies[s].clusters = NULL;
		sum->strategies[s].nclusters = 0;
	}
	free(sum->scenario_name);
	free(sum->scenario_file);
	sum->scenario_name = NULL;
	sum->scenario_file = NULL;
}

/* ---- summary.json --------------------------------------------------------- */

/* A JSON number as stat_write_json prints one: %.17g, null when not finite. */
static void json_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

/* `INDENT"key": STAT` followed by ",\n" or "\n". */
static void json_stat(FILE *f, const char *indent, const char *key, const struct stat_summary *st,
                      bool last)
{
	fprintf(f, "%s\"%s\": ", indent, key);
	stat_write_json(f, st);
	fputs(last ? "\n" : ",\n", f);
}

static const char *const headline_names[OUT_H_N] = {"makespan_s", "time_to_compliance_s",
                                                     "exposure_host_hours", "vm_downtime_s.total"};

/* A [lo, hi] pair, null for NaN. */
static void json_pair(FILE *f, double lo, double hi)
{
	fputc('[', f);
	json_number(f, lo);
	fputs(", ", f);
	json_number(f, hi);
	fputc(']', f);
}

/* "intervals": the headline means' bootstrap-t intervals with their
 * reliability, and the order-statistic intervals of their p95 and p99. */
static void json_intervals(FILE *f, const struct output_strategy *o)
{
	fputs("      \"intervals\": {", f);
	for (int h = 0; h < OUT_H_N; h++) {
		const struct output_interval *iv = &o->intervals[h];
		fprintf(f, "%s\n        \"%s\": {\"method\": \"bootstrap-t\", \"ci95_lo\": ",
		        h ? "," : "", headline_names[h]);
		json_number(f, iv->mean.lo);
		fputs(", \"ci95_hi\": ", f);
		json_number(f, iv->mean.hi);
		fputs(", \"skewness\": ", f);
		json_number(f, iv->mean.skewness);
		fprintf(f, ", \"reliable\": %s, \"p95_ci95\": ", iv->mean.reliable ? "true" : "false");
		json_pair(f, iv->p95_lo, iv->p95_hi);
		fputs(", \"p99_ci95\": ", f);
		json_pair(f, iv->p99_lo, iv->p99_hi);
		fputc('}', f);
	}
	fputs("\n      },\n", f);
}

/* "clusters": [{...}, ...], one cluster per line; nothing without per-cluster figures. */
static void json_clusters(FILE *f, const struct output_strategy *o)
{
	static const char *const outcome[5] = {"compliant", "non_compliant", "failed", "blocked",
	                                       "not_started"};
	if (!o->clusters)
		return;
	fputs("      \"clusters\": [", f);
	for (size_t c = 0; c < o->nclusters; c++) {
		const struct output_cluster *x = &o->clusters[c];
		fputs(c ? ",\n        {\"name\": " : "\n        {\"name\": ", f);
		scan_json_string(f, x->name);
		fputs(", \"blocked\": ", f);
		scan_json_string(f, x->blocked);
		fprintf(f, ", \"hosts\": %zu, \"makespan_s\": ", x->hosts);
		stat_write_json(f, &x->makespan_s);
		fputs(", \"time_to_compliance_s\": ", f);
		stat_write_json(f, &x->time_to_compliance_s);
		fprintf(f, ", \"time_to_compliance_censored\": %zu, \"exposure_host_hours\": ",
		        x->ttc_censored);
		stat_write_json(f, &x->exposure_host_hours);
		fputs(", \"vm_downtime_total_s\": ", f);
		stat_write_json(f, &x->downtime_total_s);
		fputs(", \"outcomes\": {", f);
		for (size_t k = 0; k < 5; k++) {
			fprintf(f, "%s\"%s\": ", k ? ", " : "", outcome[k]);
			stat_write_json(f, &x->outcomes[k]);
		}
		fputs(", \"unfinished\": ", f);
		stat_write_json(f, &x->unfinished);
		fputs("}}", f);
	}
	fputs("\n      ],\n", f);
}

static void json_strategy(FILE *f, const struct output_summary *sum,
                          const struct output_strategy *o)
{
	static const char in3[] = "      ", in4[] = "        ";

	fprintf(f, "%s\"headline\": ", in3);
	scan_json_string(f, o->headline);
	fprintf(f, ",\n%s\"blocked\": ", in3);
	scan_json_string(f, o->blocked);
	fputs(",\n", f);
	json_stat(f, in3, "makespan_s", &o->makespan_s, false);
	json_stat(f, in3, "makespan_hosts", &o->makespan_hosts, false);
	fprintf(f, "%s\"whole_estate_patched\": %zu,\n", in3, o->whole_patched);
	fprintf(f, "%s\"estate_makespan_p95_bound_s\": ", in3);
	json_number(f, o->estate_bound_s);
	fprintf(f, ",\n%s\"estate_makespan_p95_bound\": \"%s\",\n", in3,
	        isnan(o->estate_bound_s)   ? "too_few_replications"
	        : isinf(o->estate_bound_s) ? "never"
	                                   : "bound");
	json_stat(f, in3, "time_to_compliance_s", &o->time_to_compliance_s, false);
	fprintf(f, "%s\"time_to_compliance_censored\": %zu,\n", in3, o->ttc_censored);
	fprintf(f, "%s\"cluster_compliant_fraction\": ", in3);
	json_number(f, o->cluster_compliant_fraction);
	fputs(",\n", f);
	json_stat(f, in3, "exposure_host_hours", &o->exposure_host_hours, false);
	fprintf(f, "%s\"vm_downtime_s\": {\n", in3);
	json_stat(f, in4, "total", &o->downtime_total_s, false);
	json_stat(f, in4, "per_vm", &o->downtime_per_vm_s, true);
	fprintf(f, "%s},\n", in3);
	json_stat(f, in3, "stun_s", &o->stun_s, false);
	json_stat(f, in3, "sdps_s", &o->sdps_s, false);

	fprintf(f, "%s\"hosts\": {\n%s\"total\": %zu,\n", in3, in4, sum->hosts);
	json_stat(f, in4, "live", &o->hosts_live, false);
	json_stat(f, in4, "classic", &o->hosts_classic, false);
	json_stat(f, in4, "failed", &o->hosts_failed, false);
	json_stat(f, in4, "blocked", &o->hosts_blocked, false);
	json_stat(f, in4, "not_started", &o->hosts_not_started, false);
	json_stat(f, in4, "compliant_at_end", &o->hosts_compliant, false);
	json_stat(f, in4, "patched", &o->hosts_patched, false);
	json_stat(f, in4, "never_compliant", &o->hosts_never_compliant, false);
	json_stat(f, in4, "unfinished", &o->unfinished, true);
	fprintf(f, "%s},\n", in3);

	fprintf(f, "%s\"vms\": {\n%s\"total\": %zu,\n", in3, in4, sum->vms);
	json_stat(f, in4, "fsr", &o->vms_fsr, false);
	json_stat(f, in4, "vmotion", &o->vms_vmotion, false);
	json_stat(f, in4, "power_cycle", &o->vms_power_cycle, false);
	json_stat(f, in4, "powered_off", &o->vms_powered_off, false);
	fprintf(f, "%s\"incompatible\": {", in4);
	for (unsigned b = 0; b < SCAN_NINCOMPAT; b++)
		fprintf(f, "%s\"%s\": %zu", b ? ", " : "", scan_incompat_name(1u << b),
		        o->incompatible[b]);
	fprintf(f, "}\n%s},\n", in3);
	json_intervals(f, o);
	json_clusters(f, o);
	json_stat(f, in3, "events", &o->events, true);
}

int output_summary_json(FILE *f, const struct output_summary *sum, bool with_wall)
{
	fputs("{\n  \"lpsim\": ", f);
	scan_json_string(f, LPSIM_VERSION);
	fputs(",\n  \"scenario\": {\"name\": ", f);
	scan_json_string(f, sum->scenario_name ? sum->scenario_name : "");
	fputs(", \"file\": ", f);
	scan_json_string(f, sum->scenario_file ? sum->scenario_file : "");
	fprintf(f, "},\n  \"seed\": %" PRIu64 ",\n  \"replications\": %ld,\n", sum->seed,
	        sum->replications);
	fputs("  \"strategies\": {", f);
	for (size_t s = 0; s < sum->nstrategies; s++) {
		const struct output_strategy *o = &sum->strategies[s];
		fprintf(f, "%s\n    \"%s\": {\n", s ? "," : "",
		        scenario_strategy_name(o->strategy));
		json_strategy(f, sum, o);
		fputs("    }", f);
	}
	fputs(sum->nstrategies ? "\n  }" : "}", f);
	if (sum->has_comparison) {
		fputs(",\n  \"comparison\": {\n", f);
		json_stat(f, "    ", "vm_downtime_total_diff_s", &sum->downtime_total_diff_s,
		          false);
		json_stat(f, "    ", "makespan_diff_s", &sum->makespan_diff_s, true);
		fputs("  }", f);
	}
	if (with_wall) {
		fputs(",\n  \"wall_s\": ", f);
		/* Measured, not simulated: milliseconds are all it means. */
		if (isfinite(sum->wall_s))
			fprintf(f, "%.3f", sum->wall_s);
		else
			fputs("null", f);
	}
	fputs("\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- summary.txt ---------------------------------------------------------- */

/* Digits for a human: 3 significant-ish figures, no exponent. */
static void fmt_num(char *buf, size_t len, double v)
{
	double a = fabs(v);
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (v == 0)
		snprintf(buf, len, "0");
	else if (a >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3f", v);
}

/* The unit a duration of magnitude |s| reads best in: s below 2 min, min below 2 h, else h. */
static const char *dur_unit(double s, double *scale)
{
	double a = fabs(s);
	if (!(a >= 120)) { /* NaN too */
		*scale = 1;
		return "s";
	}
	if (a < 7200) {
		*scale = 60;
		return "min";
	}
	*scale = 3600;
	return "h";
}

/* "v UNIT" for a duration in seconds. */
static void fmt_dur(char *buf, size_t len, double s)
{
	double scale;
	const char *unit = dur_unit(s, &scale);
	char n[64];
	fmt_num(n, sizeof(n), s / scale);
	if (isfinite(s))
		snprintf(buf, len, "%s %s", n, unit);
	else
		snprintf(buf, len, "n/a");
}

/*
 * "MEAN UNIT [LO, HI]" in the mean's unit (the interval left out when
 * undefined), with unit NULL for durations in seconds, scaled.
 */
static void fmt_mean_ci(char *buf, size_t len, const struct stat_summary *st, const char *unit)
{
	double scale = 1;
	char m[64], lo[64], hi[64];
	if (st->n == 0) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (!unit)
		unit = dur_unit(st->mean, &scale);
	fmt_num(m, sizeof(m), st->mean / scale);
	if (isfinite(st->ci95_lo) && isfinite(st->ci95_hi)) {
		fmt_num(lo, sizeof(lo), st->ci95_lo / scale);
		fmt_num(hi, sizeof(hi), st->ci95_hi / scale);
		snprintf(buf, len, "%s %s [%s, %s]", m, unit, lo, hi);
	} else {
		snprintf(buf, len, "%s %s", m, unit);
	}
}

static void fmt_count(char *buf, size_t len, const struct stat_summary *st)
{
	if (st->n == 0)
		snprintf(buf, len, "n/a");
	else if (st->min == st->max)
		snprintf(buf, len, "%.0f", st->mean);
	else if (isfinite(st->ci95_lo) && isfinite(st->ci95_hi))
		snprintf(buf, len, "%.1f [%.1f, %.1f]", st->mean, st->ci95_lo, st->ci95_hi);
	else
		snprintf(buf, len, "%.1f", st->mean);
}

#define LABEL "  %-20s"

/* Which headline intervals not to trust, and why. */
static void text_reliability(FILE *f, const struct output_strategy *o)
{
	static const char *const label[OUT_H_N] = {"makespan", "time to compliance", "exposure",
	                                           "VM downtime total"};
	char list[400] = "";
	size_t used = 0;
	for (int h = 0; h < OUT_H_N && used < sizeof(list); h++) {
		const struct stat_interval *iv = &o->intervals[h].mean;
		if (iv->reliable || isnan(iv->lo))
			continue;
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "",
		                         label[h]);
		if (used < sizeof(list) && isfinite(iv->skewness))
			used += (size_t)snprintf(list + used, sizeof(list) - used, " (skewness %.1f)",
			                         iv->skewness);
	}
	if (list[0])
		fprintf(f, LABEL "unreliable intervals: %s: skewed, or a rare event in few "
		                 "replications; run more\n",
		        "caution", list);
}

static void text_strategy(FILE *f, const struct output_summary *sum,
                          const struct output_strategy *o)
{
	char a[320], b[64], c[64], d[64], e[64], g[64];

	fprintf(f, "%s: %s\n", scenario_strategy_name(o->strategy), o->headline);

	/* the headline means with their bootstrap-t intervals */
	struct stat_summary hs[OUT_H_N] = {o->makespan_s, o->time_to_compliance_s,
	                                   o->exposure_host_hours, o->downtime_total_s};
	for (int h = 0; h < OUT_H_N; h++) {
		hs[h].ci95_lo = o->intervals[h].mean.lo;
		hs[h].ci95_hi = o->intervals[h].mean.hi;
	}

	fmt_mean_ci(a, sizeof(a), &hs[OUT_H_MAKESPAN], NULL);
	fmt_dur(b, sizeof(b), o->makespan_s.p95);
	fmt_count(c, sizeof(c), &o->makespan_hosts);
	if (o->whole_patched == (size_t)sum->replications)
		fprintf(f, LABEL "%s, p95 %s (all %zu hosts)\n", "makespan", a, b, sum->hosts);
	else
		fprintf(f, LABEL "%s, p95 %s over the %s of %zu hosts remediated; the whole estate "
		                 "patched in %zu of %ld replications\n",
		        "makespan", a, b, c, sum->hosts, o->whole_patched, sum->replications);

	fmt_mean_ci(a, sizeof(a), &hs[OUT_H_TTC], NULL);
	fmt_dur(b, sizeof(b), o->time_to_compliance_s.p95);
	if (o->time_to_compliance_s.n == 0)
		fprintf(f, LABEL "never: censored in %zu of %ld replications (some host never "
		                 "compliant)\n",
		        "time to compliance", o->ttc_censored, sum->replications);
	else if (o->ttc_censored)
		fprintf(f, LABEL "%s, p95 %s over the %zu of %ld replications that became "
		                 "compliant; censored (never compliant) in %zu\n",
		        "time to compliance", a, b, o->time_to_compliance_s.n, sum->replications,
		        o->ttc_censored);
	else
		fprintf(f, LABEL "%s, p95 %s (all %zu hosts)\n", "time to compliance", a, b,
		        sum->hosts);

	fmt_mean_ci(a, sizeof(a), &hs[OUT_H_EXPOSURE], "host-h");
	fmt_count(b, sizeof(b), &o->hosts_compliant);
	fmt_count(c, sizeof(c), &o->hosts_never_compliant);
	fmt_num(d, sizeof(d), o->cluster_compliant_fraction * 100);
	fprintf(f, LABEL "%s over the %s hosts that became compliant; %s never compliant; "
	                 "clusters compliant %s%%\n",
	        "exposure", a, b, c, d);

	fmt_mean_ci(a, sizeof(a), &hs[OUT_H_DOWNTIME], NULL);
	fmt_dur(b, sizeof(b), o->downtime_per_vm_s.p95);
	fmt_dur(c, sizeof(c), o->downtime_per_vm_s.p99);
	fprintf(f, LABEL "total %s; per VM p95 %s, p99 %s\n", "VM downtime", a, b, c);

	if (o->stun_s.n == 0) {
		fprintf(f, LABEL "none\n", "stun");
	} else {
		fmt_dur(a, sizeof(a), o->stun_s.mean);
		fmt_dur(b, sizeof(b), o->stun_s.p95);
		fmt_dur(c, sizeof(c), o->stun_s.p99);
		fmt_dur(d, sizeof(d), o->stun_s.max);
		fprintf(f, LABEL "mean %s, p95 %s, p99 %s, max %s (%zu stuns)\n", "stun", a, b, c,
		        d, o->stun_s.n);
	}

	text_reliability(f, o);

	fmt_count(a, sizeof(a), &o->hosts_live);
	fmt_count(b, sizeof(b), &o->hosts_classic);
	fmt_count(c, sizeof(c), &o->hosts_failed);
	fmt_count(d, sizeof(d), &o->hosts_blocked);
	fmt_count(e, sizeof(e), &o->hosts_compliant);
	char ns[64];
	fmt_count(ns, sizeof(ns), &o->hosts_not_started);
	snprintf(g, sizeof(g), "hosts (%zu)", sum->hosts);
	fprintf(f, LABEL "live %s, classic %s, failed %s, blocked %s, not started %s, compliant %s\n",
	        g, a, b, c, d, ns, e);
	if (o->why[0])
		fprintf(f, LABEL "%s\n", "why (rep. 0)", o->why);

	fmt_count(a, sizeof(a), &o->vms_fsr);
	fmt_count(b, sizeof(b), &o->vms_vmotion);
	fmt_count(c, sizeof(c), &o->vms_power_cycle);
	fmt_count(d, sizeof(d), &o->vms_powered_off);
	snprintf(g, sizeof(g), "VMs (%zu)", sum->vms);
	fprintf(f, LABEL "fsr %s, vmotion %s, power cycled %s, powered off %s\n", g, a, b, c, d);

	fprintf(f, LABEL, "FSR-incompatible");
	for (unsigned bit = 0; bit < SCAN_NINCOMPAT; bit++)
		fprintf(f, "%s%s %zu", bit ? ", " : "", scan_incompat_name(1u << bit),
		        o->incompatible[bit]);
	fputc('\n', f);
}

/* The qualifier of a paired makespan difference whose strategies cover different hosts. */
static const char *text_subset_note(const struct output_summary *sum)
{
	for (size_t s = 0; s < sum->nstrategies; s++)
		if (sum->strategies[s].whole_patched != (size_t)sum->replications)
			return " (not like for like: a makespan covers only the hosts remediated; see "
			       "the hosts patched above)";
	return "";
}

int output_summary_text(FILE *f, const struct output_summary *sum)
{
	fprintf(f, "lpsim %s: scenario %s (%s), seed %" PRIu64 ", %ld replication%s\n",
	        LPSIM_VERSION, sum->scenario_name ? sum->scenario_name : "",
	        sum->scenario_file ? sum->scenario_file : "", sum->seed, sum->replications,
	        sum->replications == 1 ? "" : "s");
	fprintf(f, "%zu cluster%s, %zu host%s, %zu VM%s; means over replications, [95%% CI, "
	           "bootstrap-t]\n",
	        sum->clusters, sum->clusters == 1 ? "" : "s", sum->hosts,
	        sum->hosts == 1 ? "" : "s", sum->vms, sum->vms == 1 ? "" : "s");
	for (size_t s = 0; s < sum->nstrategies; s++) {
		fputc('\n', f);
		text_strategy(f, sum, &sum->strategies[s]);
	}
	if (sum->has_comparison) {
		char a[320];
		fputs("\nlive_patch - classic (paired by replication)\n", f);
		fmt_mean_ci(a, sizeof(a), &sum->makespan_diff_s, NULL);
		fprintf(f, LABEL "%s%s\n", "makespan", a, text_subset_note(sum));
		fmt_mean_ci(a, sizeof(a), &sum->downtime_total_diff_s, NULL);
		fprintf(f, LABEL "%s\n", "VM downtime total", a);
	}
	return ferror(f) ? -EIO : 0;
}

/* ---- CSV ------------------------------------------------------------------ */

/* %.6f of the largest double: 309 digits, a sign, a point, 6 decimals, the NUL. */
#define TIME_MAX_CHARS 320

/*
 * One CSV row under construction. The longest row (vms.csv: six names of
 * at most SCENARIO_MAX_NAME_LEN bytes, each quoted with every byte a
 * quote, and at most three times and a few words) fits.
 */
struct line {
	size_t n;
	size_t rows;              /* rows flushed, for the stop check every 4096 */
	const atomic_bool *stop;  /* set: stop writing (-EINTR); may be NULL */
	char buf[6 * (2 * SCENARIO_MAX_NAME_LEN + 3) + 3 * TIME_MAX_CHARS + 256];
};

static void line_raw(struct line *l, const char *s, size_t len)
{
	if (len > sizeof(l->buf) - l->n)
		len = sizeof(l->buf) - l->n; /* cannot happen: see struct line */
	memcpy(l->buf + l->n, s, len);
	l->n += len;
}

static void line_char(struct line *l, char c)
{
	if (l->n < sizeof(l->buf))
		l->buf[l->n++] = c;
}

static void line_str(struct line *l, const char *s)
{
	line_raw(l, s, strlen(s));
}

static bool csv_needs_quotes(const char *s)
{
	return s[strcspn(s, ",\"\r\n")] != '\0';
}

/* s as one CSV field. */
static void line_field(struct line *l, const char *s)
{
	if (!csv_needs_quotes(s)) {
		line_str(l, s);
		return;
	}
	line_char(l, '"');
	for (; *s; s++) {
		if (*s == '"')
			line_char(l, '"');
		line_char(l, *s);
	}
	line_char(l, '"');
}

static void line_uint(struct line *l, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	line_raw(l, tmp + i, sizeof(tmp) - i);
}

/* Below this magnitude v * 1e6 is an integer-exact double (< 2^53) and the fast path applies. */
#define TIME_FAST_MAX 1e9

int output_format_time(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	if (v == 0)
		v = 0; /* -0 */
	const double a = fabs(v);
	if (a < TIME_FAST_MAX && len >= OUTPUT_TIME_LEN) {
		/*
		 * s = a * 1e6 rounded once, so within half an ulp of the exact
		 * product printf rounds. Unless s lies that close to a
		 * half-integer, both round to the same integer.
		 */
		const double s = a * 1e6;
		const double fl = floor(s);
		const double frac = s - fl; /* exact */
		if (fabs(frac - 0.5) > s * 0x1p-50) {
			uint64_t r = (uint64_t)fl + (frac > 0.5);
			uint64_t ip = r / 1000000u;
			unsigned fp = (unsigned)(r % 1000000u);
			char tmp[24];
			size_t i = sizeof(tmp), n = 0;
			do {
				tmp[--i] = (char)('0' + ip % 10);
				ip /= 10;
			} while (ip);
			if (v < 0)
				buf[n++] = '-';
			memcpy(buf + n, tmp + i, sizeof(tmp) - i);
			n += sizeof(tmp) - i;
			buf[n++] = '.';
			for (int k = 5; k >= 0; k--) {
				buf[n + (size_t)k] = (char)('0' + fp % 10);
				fp /= 10;
			}
			n += 6;
			buf[n] = '\0';
			return (int)n;
		}
	}
	if (len == 0)
		return 0;
	int n = snprintf(buf, len, "%.6f", v);
	return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}

/* A time in seconds (output_format_time); empty when undefined. */
static void line_time(struct line *l, double v)
{
	/* In place, as a row has room for its times (struct line): a copy of a
	 * few bytes from a buffer was most of the cost of a time. */
	if (sizeof(l->buf) - l->n >= TIME_MAX_CHARS) {
		l->n += (size_t)output_format_time(l->buf + l->n, TIME_MAX_CHARS, v);
		return;
	}
	char tmp[TIME_MAX_CHARS];
	int len = output_format_time(tmp, sizeof(tmp), v);
	line_raw(l, tmp, (size_t)len);
}

/*
 * Ends the row and writes it. Returns 0 or the write's -errno, read at
 * once: stdio keeps no errno once it has dropped the data (ENOSPC would
 * become EIO at the seal).
 */
static int line_flush(struct line *l, FILE *f)
{
	line_char(l, '\n');
	size_t n = l->n;
	l->n = 0;
	errno = 0;
	if (fwrite(l->buf, 1, n, f) != n)
		return errno > 0 ? -errno : -EIO;
	if (l->stop && (++l->rows & 4095) == 0 && atomic_load_explicit(l->stop, memory_order_relaxed))
		return -EINTR;
	return 0;
}

/*
 * Names of the estate's entities: the current cluster's kept between rows,
 * and every host's, as a CSV field, made once at the first host row (a
 * VM's row names two hosts, and a fleet has millions of rows).
 */
struct names {
	const struct estate *e;
	size_t cluster; /* whose name cname holds; SIZE_MAX: none */
	char cname[SCENARIO_MAX_NAME_LEN + 1];
	char buf[SCENARIO_MAX_NAME_LEN + 1];
	bool hosts_tried;
	char *hosts;     /* host h's field is hosts[host_at[h] .. host_at[h + 1]) */
	size_t *host_at; /* NULL: expand each time (no memory for the table) */
};

static void names_init(struct names *nm, const struct estate *e)
{
	nm->e = e;
	nm->cluster = SIZE_MAX;
	nm->cname[0] = '\0';
	nm->hosts_tried = false;
	nm->hosts = NULL;
	nm->host_at = NULL;
}

static void names_fini(struct names *nm)
{
	free(nm->hosts);
	free(nm->host_at);
}

static const char *cluster_name(struct names *nm, size_t c)
{
	if (c != nm->cluster) {
		if (estate_cluster_name(nm->e, c, nm->cname, sizeof(nm->cname)) < 0)
			nm->cname[0] = '\0';
		nm->cluster = c;
	}
	return nm->cname;
}

/* The table of host fields; false when there is no memory for it. */
static bool names_hosts(struct names *nm)
{
	if (nm->hosts_tried)
		return nm->host_at != NULL;
	nm->hosts_tried = true;
	size_t n = nm->e->nhosts, cap = 16 * n + 64, len = 0;
	char *buf = malloc(cap);
	size_t *at = malloc((n + 1) * sizeof(*at));
	struct line *l = malloc(sizeof(*l));
	if (!buf || !at || !l)
		goto fail;
	for (size_t h = 0; h < n; h++) {
		at[h] = len;
		l->n = 0;
		if (estate_host_name(nm->e, h, nm->buf, sizeof(nm->buf)) >= 0)
			line_field(l, nm->buf);
		if (len + l->n > cap) {
			cap = 2 * (len + l->n);
			char *b = realloc(buf, cap);
			if (!b)
				goto fail;
			buf = b;
		}
		memcpy(buf + len, l->buf, l->n);
		len += l->n;
	}
	at[n] = len;
	free(l);
	nm->hosts = buf;
	nm->host_at = at;
	return true;
fail:
	free(l);
	free(at);
	free(buf);
	return false;
}

static void line_host(struct line *l, struct names *nm, int64_t h)
{
	if (h < 0 || (uint64_t)h >= nm->e->nhosts)
		return;
	if (names_hosts(nm))
		line_raw(l, nm->hosts + nm->host_at[h], nm->host_at[h + 1] - nm->host_at[h]);
	else if (estate_host_name(nm->e, (size_t)h, nm->buf, sizeof(nm->buf)) >= 0)
		line_field(l, nm->buf);
}

static void line_vm(struct line *l, struct names *nm, size_t v)
{
	if (estate_vm_name(nm->e, v, nm->buf, sizeof(nm->buf)) >= 0)
		line_field(l, nm->buf);
}

/* Rows of records that have them: replication 0, or all with all_replications. */
static size_t csv_replications(const struct run_result *res)
{
	size_t n = res->opts.replications > 0 ? (size_t)res->opts.replications : 0;
	return res->opts.all_replications ? n : (n ? 1 : 0);
}

/* "strategy,replication," */
static void line_prefix(struct line *l, const struct run_result *res, size_t s, size_t r)
{
	line_str(l, scenario_strategy_name(res->opts.strategies[s]));
	line_char(l, ',');
	line_uint(l, r);
	line_char(l, ',');
}

typedef int (*csv_rows_fn)(FILE *f, const struct run_result *res, size_t s, size_t r,
                           const struct rec *rec, struct line *l, struct names *nm);

static int hosts_rows(FILE *f, const struct run_result *res, size_t s, size_t r,
                      const struct rec *rec, struct line *l, struct names *nm)
{
	const struct estate *e = res->e;
	size_t n = rec->nhosts < e->nhosts ? rec->nhosts : e->nhosts;
	for (size_t h = 0; h < n; h++) {
		const struct rec_host *x = &rec->hosts[h];
		line_prefix(l, res, s, r);
		line_field(l, cluster_name(nm, e->hosts[h].cluster));
		line_char(l, ',');
		line_host(l, nm, (int64_t)h);
		line_char(l, ',');
		line_str(l, rec_path_name((enum rec_path)x->path));
		line_char(l, ',');
		line_time(l, x->start_s);
		line_char(l, ',');
		line_time(l, x->end_s);
		line_char(l, ',');
		line_time(l, x->compliant_at_s);
		line_char(l, ',');
		line_str(l, rec_outcome_name((enum rec_outcome)x->outcome));
		line_char(l, ',');
		line_uint(l, x->attempts);
		line_char(l, ',');
		line_str(l, rec_why_name((enum rec_why)x->why));
		line_char(l, ',');
		if (x->why == REC_WHY_STOPPED && x->why_ref >= 0)
			line_host(l, nm, x->why_ref);
		else if (x->why != REC_WHY_NONE && x->why_ref >= 0)
			line_vm(l, nm, (size_t)x->why_ref);
		int rc = line_flush(l, f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int vms_rows(FILE *f, const struct run_result *res, size_t s, size_t r,
                    const struct rec *rec, struct line *l, struct names *nm)
{
	const struct estate *e = res->e;
	const struct scan *sc = res->scans[s];
	size_t n = rec->nvms < e->nvms ? rec->nvms : e->nvms;
	for (size_t v = 0; v < n; v++) {
		const struct rec_vm *x = &rec->vms[v];
		line_prefix(l, res, s, r);
		line_field(l, cluster_name(nm, e->vms[v].cluster));
		line_char(l, ',');
		line_vm(l, nm, v);
		line_char(l, ',');
		line_host(l, nm, x->host_before);
		line_char(l, ',');
		line_host(l, nm, x->host_after);
		line_char(l, ',');
		line_time(l, x->downtime_s);
		line_char(l, ',');
		line_time(l, x->stun_s);
		line_char(l, ',');
		line_str(l, rec_remediation_name((enum rec_remediation)x->remediation));
		line_char(l, ',');
		unsigned bits = sc ? sc->vm_incompat[v] : 0;
		for (unsigned b = 0, first = 1; b < SCAN_NINCOMPAT; b++) {
			if (!(bits & (1u << b)))
				continue;
			if (!first)
				line_char(l, '+');
			line_str(l, scan_incompat_name(1u << b));
			first = 0;
		}
		line_char(l, ',');
		line_time(l, x->sdps_s);
		line_char(l, ',');
		line_host(l, nm, e->vms[v].secondary);
		line_char(l, ',');
		if (e->vms[v].secondary >= 0)
			line_host(l, nm, x->secondary_after);
		int rc = line_flush(l, f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int timeline_rows(FILE *f, const struct run_result *res, size_t s, size_t r,
                         const struct rec *rec, struct line *l, struct names *nm)
{
	const struct estate *e = res->e;
	for (size_t i = 0; i < rec->nspans; i++) {
		const struct rec_span *x = &rec->spans[i];
		if (x->host >= e->nhosts)
			continue; /* not a host of this estate: nothing to name it by */
		line_prefix(l, res, s, r);
		line_field(l, cluster_name(nm, e->hosts[x->host].cluster));
		line_char(l, ',');
		line_host(l, nm, x->host);
		line_char(l, ',');
		line_str(l, rec_state_name((enum rec_state)x->state));
		line_char(l, ',');
		line_time(l, x->start_s);
		line_char(l, ',');
		line_time(l, x->end_s);
		int rc = line_flush(l, f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int compliance_rows(FILE *f, const struct run_result *res, size_t s, size_t r,
                           const struct rec *rec, struct line *l, struct names *nm)
{
	(void)nm;
	for (size_t i = 0; i < rec->nsteps; i++) {
		line_prefix(l, res, s, r);
		line_time(l, rec->steps[i].t_s);
		line_char(l, ',');
		line_uint(l, rec->steps[i].compliant);
		line_char(l, ',');
		line_uint(l, res->e->nhosts);
		int rc = line_flush(l, f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The header, then fn's rows for every strategy and every recorded replication. */
static int write_csv(FILE *f, const struct run_result *res, const char *header, csv_rows_fn fn,
                     const atomic_bool *stop)
{
	struct line *l = malloc(sizeof(*l));
	struct names *nm = malloc(sizeof(*nm));
	int rc = -ENOMEM;
	if (!l || !nm)
		goto out_free;
	l->n = 0;
	l->rows = 0;
	l->stop = stop;
	names_init(nm, res->e);

	flockfile(f);
	rc = fputs(header, f) == EOF ? -EIO : 0;
	const size_t nrep = csv_replications(res);
	for (size_t s = 0; s < res->opts.nstrategies && s < 2 && rc == 0; s++) {
		for (size_t r = 0; r < nrep && rc == 0; r++) {
			const struct rec *rec = &res->recs[s][r];
			if (rec->detail)
				rc = fn(f, res, s, r, rec, l, nm);
		}
	}
	funlockfile(f);
	if (rc == 0 && ferror(f))
		rc = -EIO;
	names_fini(nm);
out_free:
	free(nm);
	free(l);
	return rc;
}

int output_csv_field(FILE *f, const char *s)
{
	if (!csv_needs_quotes(s))
		return fputs(s, f) == EOF ? -EIO : 0;
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	return putc('"', f) == EOF ? -EIO : 0;
}

/* ---- the run directory ---------------------------------------------------- */

enum out_file { F_JSON, F_TXT, F_HOSTS, F_VMS, F_TIMELINE, F_COMPLIANCE, F_REPS, F_N };

static const char *const file_names[F_N] = {
    [F_JSON] = "summary.json", [F_TXT] = "summary.txt",       [F_HOSTS] = "hosts.csv",
    [F_VMS] = "vms.csv",       [F_TIMELINE] = "timeline.csv", [F_COMPLIANCE] = "compliance.csv",
    [F_REPS] = "replications.csv",
};

static void set_errpath(char *errpath, size_t errlen, const char *path)
{
	if (errpath && errlen)
		snprintf(errpath, errlen, "%s", path);
}

static int write_file(enum out_file which, FILE *f, const struct run_result *res,
                      const struct output_summary *sum, const atomic_bool *stop)
{
	switch (which) {
	case F_JSON:
		return output_summary_json(f, sum, true);
	case F_TXT:
		return output_summary_text(f, sum);
	case F_HOSTS:
		return write_csv(f, res, OUTPUT_HOSTS_CSV_HEADER OUTPUT_HOSTS_CSV_MORE "\n", hosts_rows,
		                 stop);
	case F_VMS:
		return write_csv(f, res,
		                 OUTPUT_VMS_CSV_HEADER OUTPUT_VMS_CSV_MORE OUTPUT_VMS_CSV_FT_COLUMNS "\n",
		                 vms_rows, stop);
	case F_TIMELINE:
		return write_csv(f, res, OUTPUT_TIMELINE_CSV_HEADER "\n", timeline_rows, stop);
	case F_COMPLIANCE:
		return write_csv(f, res, OUTPUT_COMPLIANCE_CSV_HEADER "\n", compliance_rows, stop);
	case F_REPS:
		return replications_write_csv(f, res);
	case F_N:
		break;
	}
	return -EINVAL;
}

/* dir/name into path (room for both); no doubled slash when dir ends with one. */
static void join(char *path, const char *dir, const char *name)
{
	size_t len = strlen(dir);
	sprintf(path, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name);
}

/* One file of the run directory, written and sealed (on a thread of its own). */
struct file_job {
	enum out_file which;
	const char *dir;
	const struct run_result *res;
	const struct output_summary *sum;
	const atomic_bool *stop;
	struct afile *af; /* NULL when it could not be opened */
	int rc;
};

static void *file_job_run(void *arg)
{
	struct file_job *j = arg;
	char *path = malloc(strlen(j->dir) + 32);
	if (!path) {
		j->rc = -ENOMEM;
		return NULL;
	}
	join(path, j->dir, file_names[j->which]);
	j->af = afile_open(path);
	free(path);
	if (!j->af) {
		j->rc = errno > 0 ? -errno : -EIO;
		return NULL;
	}
	int rc = write_file(j->which, afile_stream(j->af), j->res, j->sum, j->stop);
	/* Sealing names the real cause of a write error (ENOSPC, not EIO). */
	int seal = afile_seal(j->af);
	if (rc == 0 || (rc == -EIO && seal < 0))
		rc = seal;
	j->rc = rc;
	return NULL;
}

/*
 * Writes and seals every file, the CSV files each on a thread of its own:
 * a large estate's vms.csv and timeline.csv are hundreds of MB, and the
 * kernel copies each file's pages under its own lock. Returns 0, or the
 * first failing file's error with its index in *failed.
 */
static int write_files(const char *dir, const struct run_result *res,
                       const struct output_summary *sum, const atomic_bool *stop,
                       struct afile *af[F_N], int *failed)
{
	struct file_job jobs[F_N];
	pthread_t th[F_N];
	bool threaded[F_N] = {false};
	for (int i = 0; i < F_N; i++) {
		jobs[i] = (struct file_job){(enum out_file)i, dir, res, sum, stop, NULL, 0};
		bool big = i != F_JSON && i != F_TXT;
		threaded[i] = big && pthread_create(&th[i], NULL, file_job_run, &jobs[i]) == 0;
	}
	for (int i = 0; i < F_N; i++) {
		if (threaded[i])
			pthread_join(th[i], NULL);
		else
			file_job_run(&jobs[i]);
		af[i] = jobs[i].af;
	}
	for (int i = 0; i < F_N; i++) {
		if (jobs[i].rc < 0) {
			*failed = i;
			return jobs[i].rc;
		}
	}
	return 0;
}

/* Every file `run` owns in its results directory: what it writes, and the
 * reports `lpsim report DIR` writes there by default, which describe an
 * earlier run once a new one lands (issue 19: nothing stale beside a new
 * summary.json). */
const char *const output_run_files[OUTPUT_RUN_NFILES] = {
    "summary.txt",  "hosts.csv",      "vms.csv",      "timeline.csv", "compliance.csv",
    "replications.csv", "timeline.png", "compliance.png", "downtime.png", "report.pdf",
    "report.html",  "summary.json",
};

int output_write_files(const char *dir, const char *shown, const struct run_result *res,
                       const struct output_summary *sum, const atomic_bool *stop,
                       char *errpath, size_t errlen)
{
	struct output_summary own;
	struct afile *af[F_N] = {NULL};
	int rc, i, failed = 0;

	if (errpath && errlen)
		errpath[0] = '\0';
	if (!sum) {
		rc = output_summarize(res, &own);
		if (rc < 0)
			return rc;
		sum = &own;
	}
	/* Write and seal every file; any failure aborts them all. */
	rc = write_files(dir, res, sum, stop, af, &failed);
	if (rc < 0)
		goto out_abort;
	/* Rename, summary.json last: its presence means the set is whole. */
	for (int k = 0; k < F_N; k++) {
		i = k == F_N - 1 ? F_JSON : k + 1; /* F_TXT .. F_REPS, then F_JSON */
		rc = afile_commit(af[i]);
		af[i] = NULL;
		if (rc < 0) {
			failed = i;
			goto out_abort;
		}
	}
	goto out_summary;

out_abort:
	if (rc != -ENOMEM && rc != -EINTR && errpath && errlen) {
		size_t len = strlen(shown);
		snprintf(errpath, errlen, "%s%s%s", shown, len && shown[len - 1] == '/' ? "" : "/",
		         file_names[failed]);
	}
	for (i = 0; i < F_N; i++)
		afile_abort(af[i]);
out_summary:
	if (sum == &own)
		output_summary_fini(&own);
	return rc;
}

int output_write_run(const char *dir, const struct run_result *res,
                     const struct output_summary *sum, char *errpath, size_t errlen)
{
	struct adir *ad;
	if (errpath && errlen)
		errpath[0] = '\0';
	int rc = adir_open(dir, output_run_files, OUTPUT_RUN_NFILES, &ad);
	if (rc < 0) {
		set_errpath(errpath, errlen, dir);
		return rc;
	}
	rc = output_write_files(adir_staging(ad), dir, res, sum, NULL, errpath, errlen);
	if (rc < 0) {
		adir_abort(ad);
		return rc;
	}
	rc = adir_commit(ad);
	if (rc < 0)
		set_errpath(errpath, errlen, dir);
	return rc;
}
