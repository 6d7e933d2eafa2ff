/*
 * report: the capacity-planning report; see report.h. The content is
 * built section by section on a report_doc; every sentence of the
 * findings is made from numbers of the run (or sweep), and says which
 * replication or statistic it is drawn from.
 */
#include "plots/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/estate.h"
#include "models/record.h"
#include "models/rem.h"
#include "models/scan.h"
#include "plots/plot.h"
#include "plots/report_answer.h"
#include "sim/answer.h"
#include "plots/report_doc.h"
#include "scenarios/scenario.h"
#include "sim/atomicio.h"

#include <cairo-pdf.h>

struct report {
	struct report_opts o;
	char *dir;
	struct plot_run *run;     /* a run directory, or NULL */
	struct plot_sweep *sweep; /* a sweep directory, or NULL */
	/* the scenario file, read again (all NULL when it could not be used) */
	struct scenario *sc;
	struct estate *e;
	struct scan *scan; /* as the live_patch strategy scans (modes as configured) */
	char scenario_note[600]; /* why the scenario file was not used, or "" */
	struct report_answers ans; /* a run's headlines, clusters and whole-estate values */
};

/* The fraction of windows the window check asks for (plan's default --confidence). */
#define REPORT_CONFIDENCE 0.95

void report_opts_default(struct report_opts *o)
{
	o->window_s = NAN;
	o->reload_scenario = true;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	report_answers_fini(&r->ans);
	scan_free(r->scan);
	estate_free(r->e);
	scenario_free(r->sc);
	plot_run_free(r->run);
	plot_sweep_free(r->sweep);
	free(r->dir);
	free(r);
}

/* Reads the scenario file again; on any mismatch leaves r->sc NULL with a note. */
static int reload(struct report *r, const struct output_summary *sum, bool check_totals)
{
	const char *file = sum->scenario_file;
	struct diag d;
	diag_init(&d, file);
	struct scenario *sc = NULL;
	int rc = scenario_load_file(file, &d, &sc);
	if (rc == -ENOMEM || d.oom) {
		diag_fini(&d);
		scenario_free(sc);
		return -ENOMEM;
	}
	if (rc < 0) {
		snprintf(r->scenario_note, sizeof(r->scenario_note),
		         "The scenario file %s could not be read again (%s), so this report shows only "
		         "what the results hold: no patch, modes or eligibility reasons.",
		         file, rc == -EINVAL ? "it is no longer a valid scenario" : strerror(-rc));
		diag_fini(&d);
		return 0;
	}
	diag_fini(&d);
	if (strcmp(sc->name, sum->scenario_name) ||
	    (check_totals && ((size_t)sc->total_hosts != sum->hosts || (size_t)sc->total_vms != sum->vms))) {
		snprintf(r->scenario_note, sizeof(r->scenario_note),
		         "The scenario file %s no longer describes the estate that was run (another "
		         "name or other numbers of hosts and VMs), so this report shows only what the "
		         "results hold.",
		         file);
		scenario_free(sc);
		return 0;
	}
	r->sc = sc;
	if (!check_totals)
		return 0;
	diag_init(&d, file);
	rc = estate_build(sc, &d, &r->e);
	diag_fini(&d);
	if (rc == -ENOMEM)
		return -ENOMEM;
	if (rc < 0) {
		snprintf(r->scenario_note, sizeof(r->scenario_note),
		         "The estate of %s could not be built again; the scan details are left out.", file);
		return 0;
	}
	rc = scan_run(r->e, false, &r->scan);
	return rc;
}

int report_load(const char *dir, const struct report_opts *o, struct report **out, char *msg,
                size_t msglen)
{
	struct report *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->o = *o;
	r->dir = strdup(dir);
	if (!r->dir) {
		free(r);
		return -ENOMEM;
	}
	int rc;
	if (plot_is_sweep_dir(dir))
		rc = plot_sweep_load(dir, &r->sweep, msg, msglen);
	else
		rc = plot_run_load(dir, PLOT_FILE_ALL, 0, &r->run, msg, msglen);
	if (rc == 0 && r->run)
		rc = report_answers_load(dir, &r->run->sum, &r->ans);
	if (rc == 0 && r->run)
		rc = report_answers_load_ft(dir, r->run->rep, &r->ans);
	if (rc == 0 && r->sweep && r->sweep->npoints)
		rc = report_answers_load_sweep(dir, &r->sweep->points[0].sum, r->sweep->npoints,
		                               &r->ans);
	if (rc == 0 && o->reload_scenario)
		rc = reload(r, r->run ? &r->run->sum : &r->sweep->points[0].sum, r->run != NULL);
	else if (rc == 0)
		snprintf(r->scenario_note, sizeof(r->scenario_note),
		         "The scenario file was not read again: this report shows only what the results "
		         "hold.");
	if (rc < 0) {
		if (rc == -ENOMEM)
			plot__errf(msg, msglen, "out of memory reading %s", dir);
		report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* ---- formatting ------------------------------------------------------------------ */

/* "33.2 min [31.0, 35.4]" for a time STAT (mean and its CI, in the mean's unit). */
static char *fmt_time_ci(char *buf, size_t len, const struct stat_summary *st)
{
	if (st->n == 0 || !isfinite(st->mean)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	const char *u;
	double k = plot_duration_unit(st->mean, &u);
	char m[32], lo[32], hi[32];
	plot_fmt_num(m, sizeof(m), st->mean / k);
	if (isfinite(st->ci95_lo) && isfinite(st->ci95_hi))
		snprintf(buf, len, "%s %s [%s, %s]", m, u, plot_fmt_num(lo, sizeof(lo), st->ci95_lo / k),
		         plot_fmt_num(hi, sizeof(hi), st->ci95_hi / k));
	else
		snprintf(buf, len, "%s %s", m, u);
	return buf;
}

/* "9.22 [8.94, 9.51]" for a plain STAT. */
static char *fmt_num_ci(char *buf, size_t len, const struct stat_summary *st)
{
	if (st->n == 0 || !isfinite(st->mean)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	char m[32], lo[32], hi[32];
	plot_fmt_num(m, sizeof(m), st->mean);
	if (isfinite(st->ci95_lo) && isfinite(st->ci95_hi))
		snprintf(buf, len, "%s [%s, %s]", m, plot_fmt_num(lo, sizeof(lo), st->ci95_lo),
		         plot_fmt_num(hi, sizeof(hi), st->ci95_hi));
	else
		snprintf(buf, len, "%s", m);
	return buf;
}

/* A mean count: the integer when every replication agrees, else the mean with its interval. */
static char *fmt_mean_count(char *buf, size_t len, const struct stat_summary *st)
{
	if (st->n == 0)
		snprintf(buf, len, "n/a");
	else if (st->min == st->max)
		plot_fmt_count(buf, len, st->mean);
	else if (isfinite(st->ci95_lo) && isfinite(st->ci95_hi))
		snprintf(buf, len, "%.1f [%.1f, %.1f]", st->mean, st->ci95_lo, st->ci95_hi);
	else
		snprintf(buf, len, "%.1f", st->mean);
	return buf;
}

static const char *reason_text(unsigned bit)
{
	switch (bit) {
	case SCAN_VCENTER_TOO_OLD:
		return "vCenter too old for the patch";
	case SCAN_HOST_TOO_OLD:
		return "ESXi too old for the patch";
	case SCAN_TPM:
		return "TPM host on ESXi older than 9.1";
	case SCAN_BASE_BUILD:
		return "host on another build than the patch's";
	case SCAN_DPU:
		return "host with a DPU";
	case SCAN_DRS_NOT_FULLY_AUTOMATED:
		return "DRS off or not fully automated";
	case SCAN_PATCH_NOT_LIVE_PATCHABLE:
		return "patch cannot be live-patched";
	case SCAN_INSUFFICIENT_MEMORY:
		return "too little free memory for the patch";
	default:
		return "live patch disabled for the cluster";
	}
}

static const char *incompat_text(unsigned bit)
{
	switch (bit) {
	case SCAN_FT:
		return "Fault Tolerance";
	case SCAN_DIRECTPATH:
		return "DirectPath I/O (passthrough devices)";
	case SCAN_VSPHERE_POD:
		return "vSphere Pods";
	default:
		return "shared (multi-writer) disks";
	}
}

/* "ft+shared_disk" */
static char *incompat_names(char *buf, size_t len, unsigned bits)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned b = 0; b < SCAN_NINCOMPAT && n < len; b++)
		if (bits & (1u << b))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
			                      scan_incompat_name(1u << b));
	return buf;
}

/* A growing list of findings (plain-language sentences). */
#define MAX_FINDINGS 24
struct findings {
	char text[MAX_FINDINGS][900];
	size_t n;
	int err; /* -ENOMEM: a finding could not be made; 0 */
};

static void add(struct findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct findings *f, const char *fmt, ...)
{
	if (f->n == MAX_FINDINGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text[f->n++], sizeof(f->text[0]), fmt, ap);
	va_end(ap);
}

/* An empty list of findings (free it with findings_put), or NULL with d's error set. */
static struct findings *findings_new(struct report_doc *d)
{
	struct findings *f = calloc(1, sizeof(*f));
	if (!f)
		report_doc_fail(d, -ENOMEM);
	return f;
}

/* Writes the first max findings of f as bullets, passes its error on to d, and frees f. */
static void findings_put(struct report_doc *d, struct findings *f, size_t max)
{
	for (size_t i = 0; i < f->n && i < max; i++)
		report_doc_bullet(d, f->text[i]);
	if (f->err)
		report_doc_fail(d, f->err);
	free(f);
}

/* ---- the held-back hosts: which VMs keep which hosts non-compliant --------------- */

struct held {
	size_t host;  /* index into the live strategy's hosts */
	double delay; /* compliant_at - end, or INFINITY when never compliant */
};

static int cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;
	if (x->delay != y->delay)
		return x->delay > y->delay ? -1 : 1;
	return x->host < y->host ? -1 : x->host > y->host;
}

/*
 * Hosts of the live strategy's detailed replication that were patched
 * (or left) but compliant only later, or never, while FSR-incompatible VMs
 * ran on them. Returns the count (malloc'd array in *out) or -ENOMEM.
 */
/* Whether host x holds the secondary of an FT VM (of the detailed replication). */
static bool holds_ft_secondary(const struct report_answers *a, const struct plot_host *x)
{
	for (size_t k = 0; k < a->nft; k++)
		if (!strcmp(a->ft[k].host, x->name) && !strcmp(a->ft[k].cluster, x->cluster))
			return true;
	return false;
}

static long held_hosts(const struct plot_strategy *st, const struct report_answers *a,
                       struct held **out)
{
	*out = NULL;
	size_t n = 0;
	struct held *v = malloc((st->nhosts + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t h = 0; h < st->nhosts; h++) {
		const struct plot_host *x = &st->hosts[h];
		if ((!x->manual && !holds_ft_secondary(a, x)) || !isfinite(x->end_s))
			continue;
		double d = isfinite(x->compliant_at_s) ? x->compliant_at_s - x->end_s : (double)INFINITY;
		if (d > 1e-6)
			v[n++] = (struct held){h, d};
	}
	qsort(v, n, sizeof(*v), cmp_held);
	*out = v;
	return (long)n;
}

/* ---- sections of a run report -------------------------------------------------------- */

static void run_findings(const struct report *r, struct findings *f, bool brief)
{
	const struct plot_run *run = r->run;
	const struct output_summary *s = &run->sum;
	const struct output_strategy *lp = plot_summary_strategy(s, SCENARIO_STRATEGY_LIVE_PATCH);
	const struct output_strategy *cl = plot_summary_strategy(s, SCENARIO_STRATEGY_CLASSIC);
	char a[64], b[64], c[64], d[64], e[64], g[64], h[64], lo2[64];
	char hosts[32];
	plot_fmt_count(hosts, sizeof(hosts), (double)s->hosts);
	/* every host counted, first */
	bool whole = true; /* every strategy patched every host in every replication */
	for (size_t i = 0; i < s->nstrategies; i++) {
		const struct report_answer_strategy *x =
		    report_answers_get(&r->ans, s->strategies[i].strategy);
		char nm[32];
		plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(s->strategies[i].strategy));
		if (!x || !x->have) {
			whole = false;
			continue;
		}
		add(f, "%s: %s.", nm, x->headline);
		whole = whole && x->whole_patched == (size_t)s->replications;
	}
	if (!whole) {
		for (size_t i = 0; i < s->nstrategies; i++) {
			const struct output_strategy *o = &s->strategies[i];
			const struct report_answer_strategy *x = report_answers_get(&r->ans, o->strategy);
			char nm[32];
			plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(o->strategy));
			if (x && x->have && x->whole_patched == (size_t)s->replications)
				add(f, "%s remediates all %s hosts in %s on average (95%% CI; p95 %s).", nm,
				    hosts, fmt_time_ci(a, sizeof(a), &o->makespan_s),
				    plot_fmt_duration(b, sizeof(b), o->makespan_s.p95));
			else if (x && x->have)
				add(f,
				    "%s patches the whole estate in %zu of %ld replications; its makespan, "
				    "%s on average (95%% CI), covers only the %s of %s hosts remediated, so "
				    "it is no answer to how long the estate takes.",
				    nm, x->whole_patched, s->replications,
				    fmt_time_ci(a, sizeof(a), &o->makespan_s),
				    plot_fmt_num(c, sizeof(c), x->makespan_hosts), hosts);
			else
				add(f, "%s: makespan %s on average (95%% CI), over the hosts remediated "
				       "(these results do not say how many).",
				    nm, fmt_time_ci(a, sizeof(a), &o->makespan_s));
		}
	} else if (lp && cl) {
		double ratio = lp->makespan_s.mean > 0 ? cl->makespan_s.mean / lp->makespan_s.mean : (double)NAN;
		add(f,
		    "Live patch remediates the %s hosts in %s on average (95%% CI; p95 %s), classic in %s "
		    "(p95 %s): %s times as fast. Replication by replication, live patch takes %s less "
		    "(mean of the paired differences, 95%% CI %s to %s).",
		    hosts, fmt_time_ci(a, sizeof(a), &lp->makespan_s),
		    plot_fmt_duration(b, sizeof(b), lp->makespan_s.p95),
		    fmt_time_ci(c, sizeof(c), &cl->makespan_s),
		    plot_fmt_duration(d, sizeof(d), cl->makespan_s.p95),
		    plot_fmt_num(e, sizeof(e), ratio),
		    plot_fmt_duration(g, sizeof(g), -s->makespan_diff_s.mean),
		    plot_fmt_duration(h, sizeof(h), -s->makespan_diff_s.ci95_hi),
		    plot_fmt_duration(lo2, sizeof(lo2), -s->makespan_diff_s.ci95_lo));
	} else {
		const struct output_strategy *o = lp ? lp : cl;
		if (!o)
			return;
		add(f, "%s remediates the %s hosts in %s on average (95%% CI; p95 %s).",
		    plot_fmt_capital(e, sizeof(e), plot_strategy_label(o->strategy)), hosts,
		    fmt_time_ci(a, sizeof(a), &o->makespan_s),
		    plot_fmt_duration(b, sizeof(b), o->makespan_s.p95));
	}
	/* the window: plan's criterion (sim/answer.h) */
	if (isfinite(r->o.window_s)) {
		for (size_t i = 0; i < s->nstrategies; i++) {
			const struct output_strategy *o = &s->strategies[i];
			char nm[32], t[1400];
			plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(o->strategy));
			report_answer_window(t, sizeof(t), report_answers_get(&r->ans, o->strategy), nm,
			                     r->o.window_s, REPORT_CONFIDENCE);
			add(f, "%s", t);
		}
	} else if (!brief) {
		add(f, "No maintenance window was given; run `lpsim report DIR --window 4h` to check "
		       "whether the whole estate is patched within one in 95%% of windows.");
	}
	for (size_t i = 0; i < s->nstrategies; i++) {
		const struct output_strategy *o = &s->strategies[i];
		char nm[32];
		plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(o->strategy));
		if ((long)o->time_to_compliance_s.n < s->replications) {
			add(f,
			    "%s: in %ld of %ld replications some host never became compliant (failed, "
			    "blocked, or held back by VMs that were not remediated).",
			    nm, s->replications - (long)o->time_to_compliance_s.n, s->replications);
		} else if (!brief) {
			add(f,
			    "%s: every host is compliant after %s (median over replications; p95 %s).",
			    nm, plot_fmt_duration(a, sizeof(a), o->time_to_compliance_s.p50),
			    plot_fmt_duration(b, sizeof(b), o->time_to_compliance_s.p95));
		}
	}
	if (lp && cl) {
		add(f,
		    "VM downtime totals %s under live patch against %s under classic (paired difference "
		    "%s). Per VM, 95%% of VMs are down at most %s under live patch and %s under classic; "
		    "99%%: %s against %s.",
		    fmt_time_ci(a, sizeof(a), &lp->downtime_total_s),
		    fmt_time_ci(b, sizeof(b), &cl->downtime_total_s),
		    plot_fmt_duration(c, sizeof(c), s->downtime_total_diff_s.mean),
		    plot_fmt_duration(d, sizeof(d), lp->downtime_per_vm_s.p95),
		    plot_fmt_duration(e, sizeof(e), cl->downtime_per_vm_s.p95),
		    plot_fmt_duration(g, sizeof(g), lp->downtime_per_vm_s.p99),
		    plot_fmt_duration(h, sizeof(h), cl->downtime_per_vm_s.p99));
		if (lp->hosts_compliant.min == (double)s->hosts && cl->hosts_compliant.min == (double)s->hosts)
			add(f,
			    "Hosts spend %s host-hours unpatched under live patch against %s under classic: "
			    "the exposure to what the patch fixes shrinks by %s host-hours per patch cycle.",
			    fmt_num_ci(a, sizeof(a), &lp->exposure_host_hours),
			    fmt_num_ci(b, sizeof(b), &cl->exposure_host_hours),
			    plot_fmt_num(c, sizeof(c),
			                 cl->exposure_host_hours.mean - lp->exposure_host_hours.mean));
		else
			add(f,
			    "Exposure counts the hosts that became compliant only: %s host-hours over %s "
			    "hosts under live patch (%s never compliant), %s over %s hosts under classic (%s "
			    "never compliant). Hosts never patched stay exposed for as long as they run, "
			    "so the two are not comparable as one number.",
			    fmt_num_ci(a, sizeof(a), &lp->exposure_host_hours),
			    fmt_mean_count(b, sizeof(b), &lp->hosts_compliant),
			    plot_fmt_num(lo2, sizeof(lo2), (double)s->hosts - lp->hosts_compliant.mean),
			    fmt_num_ci(d, sizeof(d), &cl->exposure_host_hours),
			    fmt_mean_count(e, sizeof(e), &cl->hosts_compliant),
			    plot_fmt_num(g, sizeof(g), (double)s->hosts - cl->hosts_compliant.mean));
	}
	/* hosts that could not take the live path */
	if (lp) {
		if (lp->hosts_blocked.mean > 0)
			add(f,
			    "Under live patch %s hosts are not remediated at all: their clusters are in enforce "
			    "mode and hold ineligible hosts, which blocks the whole cluster (see the compliance "
			    "scan). Fix the ineligible hosts or set those clusters to auto.",
			    fmt_mean_count(a, sizeof(a), &lp->hosts_blocked));
		if (lp->hosts_classic.mean > 0)
			add(f,
			    "Under live patch %s hosts still take the classic path (auto mode, hosts not "
			    "eligible): they are evacuated and rebooted, and set the pace of their clusters.",
			    fmt_mean_count(a, sizeof(a), &lp->hosts_classic));
	}
	for (size_t i = 0; i < s->nstrategies; i++) {
		const struct output_strategy *o = &s->strategies[i];
		if (o->hosts_failed.mean > 0) {
			char nm[32];
			plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(o->strategy));
			add(f, "%s: %s hosts fail remediation on average, after every retry (at most %s in a "
			       "replication); they stay non-compliant.",
			    nm, fmt_mean_count(a, sizeof(a), &o->hosts_failed),
			    plot_fmt_count(b, sizeof(b), o->hosts_failed.max));
		}
	}
	/* held-back hosts */
	const struct plot_strategy *st = plot_run_strategy(run, SCENARIO_STRATEGY_LIVE_PATCH);
	if (st && (run->have & PLOT_FILE_VMS) && (run->have & PLOT_FILE_HOSTS)) {
		struct held *v;
		long n = held_hosts(st, &r->ans, &v);
		if (n < 0)
			f->err = (int)n;
		if (n > 0) {
			double down = 0;
			size_t cycles = 0, vmotions = 0, none = 0;
			for (size_t k = 0; k < st->nincompat; k++) {
				down += st->incompat[k].downtime_s;
				cycles += st->incompat[k].remediation == REC_REM_POWER_CYCLE;
				vmotions += st->incompat[k].remediation == REC_REM_VMOTION;
				none += st->incompat[k].remediation == REC_REM_NONE;
			}
			size_t never = 0;
			for (long k = 0; k < n; k++)
				never += !isfinite(v[k].delay);
			char ex[400] = "";
			const struct plot_host *hh = &st->hosts[v[0].host];
			for (size_t k = 0; k < st->nincompat; k++)
				if (st->incompat[k].host == (int32_t)v[0].host) {
					char rs[64];
					snprintf(ex, sizeof(ex), " The longest: %s on %s (%s), %s.",
					         st->incompat[k].name, hh->name,
					         incompat_names(rs, sizeof(rs),
					                        st->incompat[k].incompat),
					         isfinite(v[0].delay)
					             ? plot_fmt_duration(a, sizeof(a), v[0].delay)
					             : "never compliant");
					break;
				}
			add(f,
			    "FSR-incompatible VMs keep hosts non-compliant after their patch: in replication %ld, "
			    "%s of %s hosts were held back (%s never compliant), for a median of %s.%s "
			    "Remediating the %s incompatible VMs cost %s of VM downtime (%zu VMs power-cycled, "
			    "%zu VMs vMotioned%s).",
			    run->rep, plot_fmt_count(b, sizeof(b), (double)n), hosts,
			    plot_fmt_count(c, sizeof(c), (double)never),
			    isfinite(v[n / 2].delay)
			        ? plot_fmt_duration(d, sizeof(d), v[n / 2].delay)
			        : "forever",
			    ex, plot_fmt_count(e, sizeof(e), (double)st->nincompat),
			    plot_fmt_duration(g, sizeof(g), down), cycles, vmotions,
			    none ? "; the others were not remediated" : "");
		}
		free(v);
	}
}

static void section_cover(struct report_doc *d, const struct report *r, const char *kind)
{
	report_doc_page(d, false);
	const struct output_summary *s = r->run ? &r->run->sum : &r->sweep->points[0].sum;
	plot_text(d->cr, d->left, d->y + 30, "ESXi Live Patch", 12, PLOT_BOLD, PLOT_BLUE, 0, 1);
	plot_text(d->cr, d->left, d->y + 58, "Capacity-planning report", 24, PLOT_BOLD, PLOT_TEXT, 0,
	          1);
	d->y += 76;
	char t[1200], a[32], b[32];
	snprintf(t, sizeof(t), "%s of scenario %s (%s), seed %llu, %ld replication%s%s.", kind,
	         s->scenario_name, s->scenario_file, (unsigned long long)s->seed, s->replications,
	         s->replications == 1 ? "" : "s", r->sweep ? " per point" : "");
	report_doc_p(d, t);
	if (r->sc && r->sc->description[0])
		report_doc_p(d, r->sc->description);
	if (r->run) {
		snprintf(t, sizeof(t), "The estate: %s hosts and %s VMs. Results read from %s.",
		         plot_fmt_count(a, sizeof(a), (double)s->hosts),
		         plot_fmt_count(b, sizeof(b), (double)s->vms), r->dir);
		report_doc_p(d, t);
	}
	if (isfinite(r->o.window_s)) {
		snprintf(t, sizeof(t), "Maintenance window checked: %s.",
		         plot_fmt_duration(a, sizeof(a), r->o.window_s));
		report_doc_p(d, t);
	}
	if (r->scenario_note[0])
		report_doc_note(d, r->scenario_note);
}

static void section_scenario(struct report_doc *d, const struct report *r)
{
	report_doc_h1(d, "The scenario in brief");
	const struct output_summary *s = &r->run->sum;
	const struct scenario *sc = r->sc;
	char t[1600], a[32], b[32], c[32];
	double ncl = sc ? (double)sc->total_clusters : (double)r->run->st[0].nclusters;
	snprintf(t, sizeof(t), "%s cluster%s, %s hosts, %s VMs. Simulated: %s; %ld replication%s, seed %llu.",
	         plot_fmt_count(a, sizeof(a), ncl), ncl == 1 ? "" : "s",
	         plot_fmt_count(b, sizeof(b), (double)s->hosts), plot_fmt_count(c, sizeof(c), (double)s->vms),
	         s->nstrategies == 2 ? "live patch and classic, paired by replication"
	         : s->strategies[0].strategy == SCENARIO_STRATEGY_LIVE_PATCH ? "live patch only"
	                                                                      : "classic only",
	         s->replications, s->replications == 1 ? "" : "s", (unsigned long long)s->seed);
	report_doc_p(d, t);
	if (!sc)
		return;
	char v[32], comps[64] = "";
	size_t n = 0;
	static const char *const cn[] = {"vmx", "vmkernel", "daemons"};
	for (unsigned k = 0; k < 3; k++)
		if (sc->patch.components & (1u << k))
			n += (size_t)snprintf(comps + n, sizeof(comps) - n, "%s%s", n ? ", " : "", cn[k]);
	snprintf(t, sizeof(t),
	         "Patch %s (components: %s)%s; temporary memory reservation %s GB. vCenter %s, "
	         "live_patch_mode %s.",
	         sc->patch.name ? sc->patch.name : "(unnamed)", comps,
	         sc->patch.live_patchable ? "" : ", not live-patchable",
	         plot_fmt_num(a, sizeof(a), sc->patch.reservation_temporary_gb),
	         scenario_version_format(sc->vcenter_version, v, sizeof(v)),
	         scenario_mode_name(sc->live_patch_mode));
	report_doc_p(d, t);
	const struct scenario_remediation *rm = &sc->remediation;
	snprintf(t, sizeof(t),
	         "Remediation: %s; pre-remediation power action %s; %d retr%s %s apart; "
	         "manual remediation of FSR-incompatible VMs: %s, %s%s; %s.",
	         rm->parallel_enabled ? (rm->max_hosts == SCENARIO_MAX_HOSTS_AUTO
	                                     ? "parallel, as many hosts as allowed"
	                                     : "parallel")
	                              : "one host at a time",
	         scenario_power_action_name(rm->power_action), rm->retry_count,
	         rm->retry_count == 1 ? "y" : "ies",
	         plot_fmt_duration(a, sizeof(a), rm->retry_delay),
	         scenario_manual_policy_name(rm->manual_policy),
	         scenario_manual_start_name(rm->manual_start),
	         rm->manual_delay > 0 ? " with a delay" : "",
	         rm->quick_boot ? "Quick Boot" : "full reboots");
	report_doc_p(d, t);
	if (rm->parallel_enabled && rm->max_hosts != SCENARIO_MAX_HOSTS_AUTO) {
		snprintf(t, sizeof(t), "At most %d hosts of a cluster are remediated at once.", rm->max_hosts);
		report_doc_p(d, t);
	}
	const struct scenario_faults *fa = &sc->faults;
	snprintf(t, sizeof(t),
	         "Faults: patch or install failure %s, FSR failure %s, vMotion failure %s, host crash %s "
	         "(probabilities per attempt).",
	         plot_fmt_num(a, sizeof(a), fa->patch_failure_prob),
	         plot_fmt_num(b, sizeof(b), fa->fsr_failure_prob),
	         plot_fmt_num(c, sizeof(c), fa->vmotion_failure_prob),
	         plot_fmt_num(v, sizeof(v), fa->host_crash_prob));
	report_doc_p(d, t);
	/* how much of the simulated hardware is assumption (issue 16) */
	uint32_t unanchored = scenario_unanchored_defaults(sc);
	if (unanchored) {
		size_t k = (size_t)snprintf(t, sizeof(t),
		                            "Latencies: %d of %d hardware figures are lpsim's defaults that no "
		                            "public source anchors (assumptions: calibrate them with your own "
		                            "measurements):",
		                            scenario_hw_count(unanchored), SCENARIO_HW_NFIGURES);
		for (int f = 0, first = 1; f < SCENARIO_HW_NFIGURES && k < sizeof(t); f++)
			if (unanchored & (1u << f)) {
				k += (size_t)snprintf(t + k, sizeof(t) - k, "%s %s", first ? "" : ",",
				                      scenario_hw_figures[f].path);
				first = 0;
			}
		if (k < sizeof(t))
			snprintf(t + k, sizeof(t) - k, ".");
		report_doc_p(d, t);
	} else {
		report_doc_p(d, "Latencies: every hardware figure that no public source anchors is set by the "
		                "scenario (calibrated).");
	}
	/* how vLCM remediates each cluster (the first few) */
	if (r->e && r->scan) {
		size_t ncl2 = r->e->nclusters < 8 ? r->e->nclusters : 8;
		for (size_t ci = 0; ci < ncl2; ci++) {
			char nm[SCENARIO_MAX_NAME_LEN + 1], mode[512];
			if (estate_cluster_name(r->e, ci, nm, sizeof(nm)) < 0)
				snprintf(nm, sizeof(nm), "?");
			snprintf(t, sizeof(t), "Cluster %s: %s.", nm,
			         rem_cluster_mode(r->e, r->scan, (uint32_t)ci, mode, sizeof(mode)));
			report_doc_p(d, t);
		}
		if (r->e->nclusters > ncl2) {
			snprintf(t, sizeof(t), "... and %zu more clusters ('lpsim scan' lists them).",
			         r->e->nclusters - ncl2);
			report_doc_note(d, t);
		}
	}
	/* cluster entries */
	size_t nc = sc->nclusters < REPORT_LIST_MAX ? sc->nclusters : REPORT_LIST_MAX;
	const double w[] = {110, 45, 50, 55, 60, 95, 80};
	const enum report_align al[] = {REPORT_LEFT,  REPORT_RIGHT, REPORT_RIGHT, REPORT_RIGHT,
	                                REPORT_LEFT,  REPORT_LEFT,  REPORT_LEFT};
	const char *hdr[] = {"cluster", "copies", "hosts", "VMs", "live patch", "DRS", "parallel"};
	char(*cells)[7][48] = calloc(nc ? nc : 1, sizeof(*cells));
	const char **ptr = calloc((nc ? nc : 1) * 7, sizeof(char *));
	if (!cells || !ptr) {
		free(cells);
		free(ptr);
		report_doc_fail(d, -ENOMEM);
		return;
	}
	for (size_t i = 0; i < nc; i++) {
		const struct scenario_cluster *cl = &sc->clusters[i];
		snprintf(cells[i][0], 48, "%s", cl->name);
		plot_fmt_count(cells[i][1], 48, (double)cl->count);
		plot_fmt_count(cells[i][2], 48, (double)cl->hosts_each);
		plot_fmt_count(cells[i][3], 48, (double)cl->vms_each);
		snprintf(cells[i][4], 48, "%s", scenario_mode_name(cl->live_patch_mode));
		snprintf(cells[i][5], 48, "%s",
		         cl->drs_enabled ? scenario_drs_automation_name(cl->drs_automation) : "off");
		if (cl->remediation.parallel_enabled && cl->remediation.max_hosts != SCENARIO_MAX_HOSTS_AUTO)
			snprintf(cells[i][6], 48, "%d hosts%s", cl->remediation.max_hosts, cl->vsan ? ", vSAN" : "");
		else
			snprintf(cells[i][6], 48, "%s%s", cl->remediation.parallel_enabled ? "auto" : "1 host",
			         cl->vsan ? ", vSAN" : "");
		for (int k = 0; k < 7; k++)
			ptr[i * 7 + (size_t)k] = cells[i][k];
	}
	report_doc_h2(d, "Clusters (hosts and VMs per copy)");
	report_doc_table(d, 7, w, al, hdr, ptr, nc);
	if (sc->nclusters > nc) {
		snprintf(t, sizeof(t), "... and %zu more cluster entries.", sc->nclusters - nc);
		report_doc_note(d, t);
	}
	free(cells);
	free(ptr);
}

/* The scan, from the re-read scenario. */
static void scan_from_estate(struct report_doc *d, const struct report *r)
{
	const struct estate *e = r->e;
	const struct scan *sc = r->scan;
	char t[1600], a[32], b[32], c[32], g[32], nm1[SCENARIO_MAX_NAME_LEN + 1],
	    nm2[SCENARIO_MAX_NAME_LEN + 1];
	snprintf(t, sizeof(t),
	         "%s of %s hosts may take the live path. With each cluster's live_patch_mode, %s hosts "
	         "take the live path, %s the classic path, and %s none (%s blocked cluster%s).",
	         plot_fmt_count(a, sizeof(a), (double)sc->eligible_hosts),
	         plot_fmt_count(b, sizeof(b), (double)e->nhosts),
	         plot_fmt_count(c, sizeof(c), (double)sc->paths[SCAN_PATH_LIVE]),
	         plot_fmt_count(g, sizeof(g), (double)sc->paths[SCAN_PATH_CLASSIC]),
	         plot_fmt_count(nm1, sizeof(nm1), (double)sc->paths[SCAN_PATH_NONE]),
	         plot_fmt_count(nm2, sizeof(nm2), (double)sc->blocked_clusters),
	         sc->blocked_clusters == 1 ? "" : "s");
	report_doc_p(d, t);
	size_t inel = e->nhosts - sc->eligible_hosts;
	if (inel) {
		size_t per[SCAN_NREASONS] = {0};
		for (size_t h = 0; h < e->nhosts; h++)
			for (unsigned k = 0; k < SCAN_NREASONS; k++)
				per[k] += (sc->host_reasons[h] >> k) & 1u;
		report_doc_h2(d, "Why hosts are not eligible");
		char cells[SCAN_NREASONS][3][64];
		const char *ptr[SCAN_NREASONS * 3];
		size_t nr = 0;
		for (unsigned k = 0; k < SCAN_NREASONS; k++) {
			if (!per[k])
				continue;
			snprintf(cells[nr][0], 64, "%s", scan_reason_name(1u << k));
			snprintf(cells[nr][1], 64, "%s", reason_text(1u << k));
			plot_fmt_count(cells[nr][2], 64, (double)per[k]);
			for (int q = 0; q < 3; q++)
				ptr[nr * 3 + (size_t)q] = cells[nr][q];
			nr++;
		}
		const double w[] = {150, 250, 70};
		const enum report_align al[] = {REPORT_LEFT, REPORT_LEFT, REPORT_RIGHT};
		const char *hdr[] = {"reason", "meaning", "hosts"};
		report_doc_table(d, 3, w, al, hdr, ptr, nr);
		/* the hosts */
		size_t nl = inel < REPORT_LIST_MAX ? inel : REPORT_LIST_MAX;
		char(*rows)[4][160] = calloc(nl, sizeof(*rows));
		const char **rp = calloc(nl * 4, sizeof(char *));
		if (rows && rp) {
			size_t k = 0;
			for (size_t h = 0; h < e->nhosts && k < nl; h++) {
				if (!sc->host_reasons[h])
					continue;
				estate_cluster_name(e, e->hosts[h].cluster, rows[k][0], 160);
				estate_host_name(e, h, rows[k][1], 160);
				size_t n = 0;
				rows[k][2][0] = '\0';
				for (unsigned q = 0; q < SCAN_NREASONS && n < 160; q++)
					if (sc->host_reasons[h] & (1u << q))
						n += (size_t)snprintf(rows[k][2] + n, 160 - n, "%s%s", n ? ", " : "",
						                      scan_reason_name(1u << q));
				snprintf(rows[k][3], 160, "%s",
				         sc->host_path[h] == SCAN_PATH_NONE ? "none (cluster blocked)"
				                                             : scan_path_name(sc->host_path[h]));
				for (int q = 0; q < 4; q++)
					rp[k * 4 + (size_t)q] = rows[k][q];
				k++;
			}
			report_doc_h2(d, "Ineligible hosts");
			const double w2[] = {110, 90, 180, 115};
			const enum report_align al2[] = {REPORT_LEFT, REPORT_LEFT, REPORT_LEFT, REPORT_LEFT};
			const char *hdr2[] = {"cluster", "host", "reasons", "path under live patch"};
			report_doc_table(d, 4, w2, al2, hdr2, rp, k);
			if (inel > k) {
				snprintf(t, sizeof(t), "... and %s more ineligible hosts.",
				         plot_fmt_count(a, sizeof(a), (double)(inel - k)));
				report_doc_note(d, t);
			}
		} else {
			report_doc_fail(d, -ENOMEM);
		}
		free(rows);
		free(rp);
	}
	if (sc->blocked_clusters) {
		size_t n = 0, shown = 0;
		n += (size_t)snprintf(t, sizeof(t), "Blocked clusters (enforce mode with ineligible hosts): ");
		for (size_t ci = 0; ci < e->nclusters && shown < REPORT_LIST_MAX && n < sizeof(t) - 80; ci++)
			if (sc->cluster_blocked[ci]) {
				estate_cluster_name(e, ci, nm1, sizeof(nm1));
				n += (size_t)snprintf(t + n, sizeof(t) - n, "%s%s", shown ? ", " : "", nm1);
				shown++;
			}
		if (sc->blocked_clusters > shown && n < sizeof(t))
			snprintf(t + n, sizeof(t) - n, " ... and %zu more", sc->blocked_clusters - shown);
		report_doc_p(d, t);
	}
	/* FSR-incompatible VMs by reason, with names */
	report_doc_h2(d, "VMs that cannot be fast-suspend-resumed");
	snprintf(t, sizeof(t),
	         "%s VMs cannot be fast-suspend-resumed: their hosts are patched but stay "
	         "non-compliant until the VMs are moved, power-cycled or powered off (manual "
	         "remediation).",
	         plot_fmt_count(a, sizeof(a), (double)sc->nincompat));
	report_doc_p(d, t);
	for (unsigned k = 0; k < SCAN_NINCOMPAT; k++) {
		if (!sc->incompatible[k])
			continue;
		char *list = malloc(12000);
		if (!list) {
			report_doc_fail(d, -ENOMEM);
			return;
		}
		size_t n = (size_t)snprintf(list, 12000, "%s (%s VMs): ", incompat_text(1u << k),
		                            plot_fmt_count(a, sizeof(a), (double)sc->incompatible[k]));
		size_t shown = 0;
		for (size_t h = 0; h < e->nhosts && shown < REPORT_LIST_MAX; h++)
			for (uint32_t q = sc->host_incompat0[h]; q < sc->host_incompat0[h + 1] &&
			                                         shown < REPORT_LIST_MAX; q++) {
				uint32_t vm = sc->incompat_vms[q];
				if (!(sc->vm_incompat[vm] & (1u << k)))
					continue;
				estate_vm_name(e, vm, nm1, sizeof(nm1));
				estate_host_name(e, h, nm2, sizeof(nm2));
				char cl[SCENARIO_MAX_NAME_LEN + 2] = "";
				if (e->nclusters > 1) {
					estate_cluster_name(e, e->hosts[h].cluster, cl, sizeof(cl) - 1);
					strcat(cl, "/");
				}
				n += (size_t)snprintf(list + n, 12000 - n, "%s%s on %s%s", shown ? ", " : "", nm1,
				                      cl, nm2);
				shown++;
			}
		if (sc->incompatible[k] > shown)
			snprintf(list + n, 12000 - n, " ... and %s more.",
			         plot_fmt_count(a, sizeof(a), (double)(sc->incompatible[k] - shown)));
		else
			snprintf(list + n, 12000 - n, ".");
		report_doc_bullet(d, list);
		free(list);
	}
}

/* The scan as far as the results tell (no scenario file). */
static void scan_from_results(struct report_doc *d, const struct report *r)
{
	const struct plot_run *run = r->run;
	const struct plot_strategy *st = plot_run_strategy(run, SCENARIO_STRATEGY_LIVE_PATCH);
	char t[1600], a[32], b[32];
	if (!st) {
		report_doc_p(d, "Only the classic strategy was simulated: every host takes the classic "
		                "path, and there is no live-patch scan to show.");
		return;
	}
	if (run->have & PLOT_FILE_HOSTS) {
		size_t classic = 0, blocked = 0;
		for (size_t h = 0; h < st->nhosts; h++) {
			classic += st->hosts[h].path == REC_PATH_CLASSIC;
			blocked += st->hosts[h].outcome == REC_BLOCKED;
		}
		snprintf(t, sizeof(t),
		         "Under live patch (replication %ld), %s hosts took the classic path (not eligible, "
		         "auto mode) and %s were blocked (enforce mode). Why they are not eligible needs "
		         "the scenario file.",
		         run->rep, plot_fmt_count(a, sizeof(a), (double)classic),
		         plot_fmt_count(b, sizeof(b), (double)blocked));
		report_doc_p(d, t);
	}
	if (!(run->have & PLOT_FILE_VMS)) {
		report_doc_note(d, "vms.csv is not in the directory: the FSR-incompatible VMs cannot be "
		                   "named.");
		return;
	}
	report_doc_h2(d, "VMs that cannot be fast-suspend-resumed");
	for (unsigned k = 0; k < SCAN_NINCOMPAT; k++) {
		size_t cnt = 0;
		for (size_t i = 0; i < st->nincompat; i++)
			cnt += (st->incompat[i].incompat >> k) & 1u;
		if (!cnt)
			continue;
		char *list = malloc(12000);
		if (!list) {
			report_doc_fail(d, -ENOMEM);
			return;
		}
		size_t n = (size_t)snprintf(list, 12000, "%s (%s VMs): ", incompat_text(1u << k),
		                            plot_fmt_count(a, sizeof(a), (double)cnt));
		size_t shown = 0;
		for (size_t i = 0; i < st->nincompat && shown < REPORT_LIST_MAX; i++) {
			const struct plot_vm *v = &st->incompat[i];
			if (!(v->incompat & (1u << k)))
				continue;
			n += (size_t)snprintf(list + n, 12000 - n, "%s%s on %s%s%s", shown ? ", " : "", v->name,
			                      st->nclusters > 1 && v->host >= 0 ? st->hosts[v->host].cluster : "",
			                      st->nclusters > 1 && v->host >= 0 ? "/" : "",
			                      v->host >= 0 ? st->hosts[v->host].name : "?");
			shown++;
		}
		snprintf(list + n, 12000 - n, cnt > shown ? " ... and %zu more." : ".", cnt - shown);
		report_doc_bullet(d, list);
		free(list);
	}
}

static void section_scan(struct report_doc *d, const struct report *r)
{
	report_doc_h1(d, "Compliance scan");
	if (r->scan)
		scan_from_estate(d, r);
	else
		scan_from_results(d, r);
}

static void section_compare(struct report_doc *d, const struct report *r)
{
	const struct output_summary *s = &r->run->sum;
	report_doc_h1(d, s->nstrategies == 2 ? "Live patch against classic" : "Results");
	char t[600];
	snprintf(t, sizeof(t),
	         "Means over %ld replication%s with their 95%% confidence intervals [low, high]%s. "
	         "Percentiles are over replications, except per-VM downtime and stun, which are over "
	         "every VM or stun of every replication.",
	         s->replications, s->replications == 1 ? "" : "s",
	         s->has_comparison ? "; the last column is live patch minus classic, replication by "
	                             "replication (the two share few random draws, so the pairing "
	                             "narrows this interval little)"
	                           : "");
	report_doc_note(d, t);
	size_t ns = s->nstrategies, nc = 1 + ns + (s->has_comparison ? 1 : 0);
	enum { ROWS = 24 };
	char cells[ROWS][4][96];
	const char *ptr[ROWS * 4];
	size_t nr = 0;
	memset(cells, 0, sizeof(cells));
#define ROW(label) (snprintf(cells[nr][0], 96, "%s", label), nr++)
#define CELL(col, ...) snprintf(cells[nr - 1][col], 96, __VA_ARGS__)
	char a[64];
	ROW("Hosts patched");
	for (size_t i = 0; i < ns; i++) {
		const struct report_answer_strategy *x =
		    report_answers_get(&r->ans, s->strategies[i].strategy);
		if (x && x->have)
			CELL(1 + i, "whole estate in %zu of %ld", x->whole_patched, s->replications);
		else
			CELL(1 + i, "n/a");
	}
	/* the headline means with their bootstrap-t intervals (summary.json's
	 * intervals), "*" where the interval is not to be trusted */
	struct stat_summary hs[2][OUT_H_N];
	bool flag[2][OUT_H_N], any_flag = false;
	for (size_t i = 0; i < ns; i++) {
		const struct output_strategy *o = &s->strategies[i];
		const struct report_answer_strategy *x = report_answers_get(&r->ans, o->strategy);
		const struct stat_summary src[OUT_H_N] = {o->makespan_s, o->time_to_compliance_s,
		                                          o->exposure_host_hours, o->downtime_total_s};
		for (int h = 0; h < OUT_H_N; h++) {
			hs[i][h] = src[h];
			flag[i][h] = false;
			if (x && x->have_intervals) {
				hs[i][h].ci95_lo = x->intervals[h].mean.lo;
				hs[i][h].ci95_hi = x->intervals[h].mean.hi;
				flag[i][h] = !x->intervals[h].mean.reliable && src[h].n > 0;
				any_flag = any_flag || flag[i][h];
			}
		}
	}
#define HCELL(i, h)                                                                                \
	CELL(1 + (i), "%s%s",                                                                      \
	     (h) == OUT_H_EXPOSURE ? fmt_num_ci(a, sizeof(a), &hs[i][h])                          \
	                           : fmt_time_ci(a, sizeof(a), &hs[i][h]),                        \
	     flag[i][h] ? " *" : "")
	ROW("Makespan (remediated hosts)");
	for (size_t i = 0; i < ns; i++)
		HCELL(i, OUT_H_MAKESPAN);
	if (s->has_comparison)
		CELL(1 + ns, "%s", fmt_time_ci(a, sizeof(a), &s->makespan_diff_s));
	ROW("Makespan, p95");
	for (size_t i = 0; i < ns; i++)
		CELL(1 + i, "%s", plot_fmt_duration(a, sizeof(a), s->strategies[i].makespan_s.p95));
	ROW("Time to full compliance");
	for (size_t i = 0; i < ns; i++) {
		const struct stat_summary *x = &s->strategies[i].time_to_compliance_s;
		if (x->n == 0)
			CELL(1 + i, "never (censored in %ld)", s->replications);
		else if ((long)x->n < s->replications)
			CELL(1 + i, "%s (%zu of %ld)%s", fmt_time_ci(a, sizeof(a), &hs[i][OUT_H_TTC]),
			     x->n, s->replications, flag[i][OUT_H_TTC] ? " *" : "");
		else
			HCELL(i, OUT_H_TTC);
	}
	ROW("Time to compliance, p95");
	for (size_t i = 0; i < ns; i++)
		CELL(1 + i, "%s",
		     plot_fmt_duration(a, sizeof(a), s->strategies[i].time_to_compliance_s.p95));
	ROW("VM downtime, total");
	for (size_t i = 0; i < ns; i++)
		HCELL(i, OUT_H_DOWNTIME);
	if (s->has_comparison)
		CELL(1 + ns, "%s", fmt_time_ci(a, sizeof(a), &s->downtime_total_diff_s));
	ROW("VM downtime per VM, p95");
	for (size_t i = 0; i < ns; i++)
		CELL(1 + i, "%s",
		     plot_fmt_duration(a, sizeof(a), s->strategies[i].downtime_per_vm_s.p95));
	ROW("VM downtime per VM, p99");
	for (size_t i = 0; i < ns; i++)
		CELL(1 + i, "%s",
		     plot_fmt_duration(a, sizeof(a), s->strategies[i].downtime_per_vm_s.p99));
	ROW("Exposure, host-h (patched)");
	for (size_t i = 0; i < ns; i++)
		HCELL(i, OUT_H_EXPOSURE);
#undef HCELL
	ROW("Stun, p99 / max");
	for (size_t i = 0; i < ns; i++) {
		char b[32];
		CELL(1 + i, "%s / %s", plot_fmt_duration(a, sizeof(a), s->strategies[i].stun_s.p99),
		     plot_fmt_duration(b, sizeof(b), s->strategies[i].stun_s.max));
	}
	ROW("Clusters compliant at the end");
	for (size_t i = 0; i < ns; i++)
		CELL(1 + i, "%.0f%%", 100 * s->strategies[i].cluster_compliant_fraction);
	static const struct {
		const char *label;
		size_t off;
	} counts[] = {
	    {"Hosts: live path", offsetof(struct output_strategy, hosts_live)},
	    {"Hosts: classic path", offsetof(struct output_strategy, hosts_classic)},
	    {"Hosts: failed", offsetof(struct output_strategy, hosts_failed)},
	    {"Hosts: blocked", offsetof(struct output_strategy, hosts_blocked)},
	    {"Hosts: not started", offsetof(struct output_strategy, hosts_not_started)},
	    {"VMs: FSR", offsetof(struct output_strategy, vms_fsr)},
	    {"vMotions (FT: 2 per VM)", offsetof(struct output_strategy, vms_vmotion)},
	    {"VMs: power-cycled", offsetof(struct output_strategy, vms_power_cycle)},
	    {"VMs: powered off / suspended", offsetof(struct output_strategy, vms_powered_off)},
	};
	for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]) && nr < ROWS; k++) {
		ROW(counts[k].label);
		for (size_t i = 0; i < ns; i++) {
			const struct stat_summary *x =
			    (const struct stat_summary *)((const char *)&s->strategies[i] + counts[k].off);
			const struct report_answer_strategy *ax =
			    report_answers_get(&r->ans, s->strategies[i].strategy);
			if (counts[k].off == offsetof(struct output_strategy, hosts_not_started) && ax &&
			    ax->have)
				x = &ax->not_started; /* read here: plot_data predates it */
			CELL(1 + i, "%s", fmt_mean_count(a, sizeof(a), x));
		}
	}
#undef ROW
#undef CELL
	for (size_t i = 0; i < nr; i++)
		for (size_t c = 0; c < nc; c++)
			ptr[i * nc + c] = cells[i][c];
	const char *hdr[4] = {"", "", "", "live patch - classic"};
	for (size_t i = 0; i < ns; i++)
		hdr[1 + i] = plot_strategy_label(s->strategies[i].strategy);
	const double w[] = {150, 125, 125, 120};
	const enum report_align al[] = {REPORT_LEFT, REPORT_RIGHT, REPORT_RIGHT, REPORT_RIGHT};
	report_doc_table(d, nc, w, al, hdr, ptr, nr);
	report_doc_note(d, any_flag ? "Intervals of the means are bootstrap-t (fixed seed). * : not "
	                              "to be trusted: too few replications, a skewed output or a rare "
	                              "event seen in few replications; run more replications."
	                            : "Intervals of the means are bootstrap-t (fixed seed).");
}

/* One row per cluster and strategy: outcomes, makespan, time to compliance, exposure, downtime. */
static void section_clusters(struct report_doc *d, const struct report *r)
{
	const struct output_summary *s = &r->run->sum;
	size_t nrows = 0;
	for (size_t i = 0; i < r->ans.n; i++)
		nrows += r->ans.s[i].nclusters;
	if (!nrows)
		return;
	report_doc_h2(d, "Per cluster");
	size_t nl = nrows < REPORT_LIST_MAX ? nrows : REPORT_LIST_MAX;
	enum { NC = 8 };
	char(*rows)[NC][SCENARIO_MAX_NAME_LEN + 8] = calloc(nl, sizeof(*rows));
	const char **rp = calloc(nl * NC, sizeof(char *));
	if (!rows || !rp) {
		report_doc_fail(d, -ENOMEM);
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < r->ans.n; i++) {
		const struct report_answer_strategy *x = &r->ans.s[i];
		for (size_t c = 0; c < x->nclusters && k < nl; c++, k++) {
			const struct output_cluster *oc = &x->clusters[c];
			const size_t L = sizeof(rows[k][0]);
			static const int outs[4] = {REC_COMPLIANT, REC_BLOCKED, REC_FAILED,
			                            REC_NOT_STARTED};
			snprintf(rows[k][0], L, "%s", oc->name);
			snprintf(rows[k][1], L, "%s", plot_strategy_label(x->strategy));
			snprintf(rows[k][2], L, "%zu", oc->hosts);
			size_t used = 0;
			for (int q = 0; q < 4; q++) {
				const struct stat_summary *st = &oc->outcomes[outs[q]];
				char v[32];
				if (st->min == st->max)
					plot_fmt_count(v, sizeof(v), st->mean);
				else
					snprintf(v, sizeof(v), "%.1f", st->mean);
				used += (size_t)snprintf(rows[k][3] + used, L - used, "%s%s",
				                         q ? " / " : "", v);
			}
			if (oc->outcomes[REC_BLOCKED].min == (double)oc->hosts)
				snprintf(rows[k][4], L, "blocked");
			else
				plot_fmt_duration(rows[k][4], L, oc->makespan_s.mean);
			if (oc->time_to_compliance_s.n == 0)
				snprintf(rows[k][5], L, "never (%ld)", s->replications);
			else if (oc->ttc_censored) {
				char t[40];
				snprintf(rows[k][5], L, "%s; never %zu",
				         plot_fmt_duration(t, sizeof(t), oc->time_to_compliance_s.mean),
				         oc->ttc_censored);
			} else
				plot_fmt_duration(rows[k][5], L, oc->time_to_compliance_s.mean);
			plot_fmt_num(rows[k][6], L, oc->exposure_host_hours.mean);
			plot_fmt_duration(rows[k][7], L, oc->downtime_total_s.mean);
			for (int q = 0; q < NC; q++)
				rp[k * NC + (size_t)q] = rows[k][q];
		}
	}
	const double w[] = {55, 60, 40, 115, 55, 65, 50, 60};
	const enum report_align al[] = {REPORT_LEFT,  REPORT_LEFT,  REPORT_RIGHT, REPORT_RIGHT,
	                                REPORT_RIGHT, REPORT_RIGHT, REPORT_RIGHT, REPORT_RIGHT};
	const char *hdr[] = {"cluster",  "strategy",   "hosts",    "ok/blocked/failed/n.s.",
	                     "makespan", "compliance", "exposure", "downtime"};
	report_doc_table(d, NC, w, al, hdr, rp, k);
	report_doc_note(d, "Means over replications (their 95% intervals are in summary.json, "
	                   "strategies.*.clusters); a count is an integer where every replication "
	                   "agrees. ok: hosts compliant at the end; n.s.: not started. Compliance: the time to "
	                   "compliance of the cluster's hosts, over the replications where they all "
	                   "became compliant; never N: in N replications some never did (censored). "
	                   "Exposure: host-hours unpatched of the hosts that became compliant. "
	                   "Downtime: total VM downtime of the cluster's VMs.");
out:
	free(rows);
	free(rp);
}

static void section_findings(struct report_doc *d, const struct report *r)
{
	report_doc_h1(d, "Findings");
	struct findings *f = findings_new(d);
	if (!f)
		return;
	run_findings(r, f, false);
	findings_put(d, f, MAX_FINDINGS);
	/* the held-back hosts, in a table */
	const struct plot_run *run = r->run;
	const struct plot_strategy *st = plot_run_strategy(run, SCENARIO_STRATEGY_LIVE_PATCH);
	if (!st || !(run->have & PLOT_FILE_VMS))
		return;
	struct held *v;
	long n = held_hosts(st, &r->ans, &v);
	if (n <= 0) {
		if (n < 0)
			report_doc_fail(d, (int)n);
		free(v);
		return;
	}
	char t[300];
	snprintf(t, sizeof(t), "Hosts held back by FSR-incompatible VMs (live patch, replication %ld)",
	         run->rep);
	report_doc_h2(d, t);
	size_t nl = (size_t)n < REPORT_LIST_MAX ? (size_t)n : REPORT_LIST_MAX;
	char(*rows)[6][200] = calloc(nl, sizeof(*rows));
	const char **rp = calloc(nl * 6, sizeof(char *));
	if (rows && rp) {
		for (size_t k = 0; k < nl; k++) {
			const struct plot_host *h = &st->hosts[v[k].host];
			snprintf(rows[k][0], 200, "%s", h->cluster);
			snprintf(rows[k][1], 200, "%s", h->name);
			if (isfinite(v[k].delay))
				plot_fmt_duration(rows[k][2], 200, v[k].delay);
			else
				snprintf(rows[k][2], 200, "never compliant");
			size_t nn = 0, nm = 0;
			double down = 0;
			unsigned rems = 0;
			rows[k][3][0] = '\0';
			for (size_t q = 0; q < st->nincompat; q++) {
				const struct plot_vm *x = &st->incompat[q];
				if (x->host != (int32_t)v[k].host)
					continue;
				char rs[64];
				if (nn < 160)
					nn += (size_t)snprintf(rows[k][3] + nn, 200 - nn, "%s%s (%s)", nm ? ", " : "",
					                       x->name, incompat_names(rs, sizeof(rs), x->incompat));
				nm++;
				down += x->downtime_s;
				rems |= 1u << x->remediation;
			}
			/* FT secondaries on this host: held back as their primaries' hosts are */
			for (size_t q = 0; q < r->ans.nft; q++) {
				const struct report_ft_secondary *x = &r->ans.ft[q];
				if (strcmp(x->host, h->name) || strcmp(x->cluster, h->cluster))
					continue;
				if (nn < 160)
					nn += (size_t)snprintf(rows[k][3] + nn, 200 - nn,
					                       "%s%s (ft secondary)", nm ? ", " : "", x->vm);
				nm++;
			}
			size_t rn = 0;
			rows[k][4][0] = '\0';
			for (unsigned q = 0; q < 6; q++)
				if (rems & (1u << q))
					rn += (size_t)snprintf(rows[k][4] + rn, 200 - rn, "%s%s", rn ? ", " : "",
					                       rec_remediation_name((enum rec_remediation)q));
			plot_fmt_duration(rows[k][5], 200, down);
			for (int q = 0; q < 6; q++)
				rp[k * 6 + (size_t)q] = rows[k][q];
		}
		const double w[] = {70, 60, 70, 170, 70, 55};
		const enum report_align al[] = {REPORT_LEFT, REPORT_LEFT,  REPORT_RIGHT,
		                                REPORT_LEFT, REPORT_LEFT, REPORT_RIGHT};
		const char *hdr[] = {"cluster", "host", "held back", "FSR-incompatible VMs", "remediation",
		                     "downtime"};
		report_doc_table(d, 6, w, al, hdr, rp, nl);
		report_doc_note(d, "Held back: from the end of the host's patch to the instant it became "
		                   "compliant, when the manual remediation of its VMs was done. Downtime: "
		                   "what that remediation cost those VMs.");
		if ((size_t)n > nl) {
			char a[32];
			snprintf(t, sizeof(t), "... and %s more hosts held back.",
			         plot_fmt_count(a, sizeof(a), (double)((size_t)n - nl)));
			report_doc_note(d, t);
		}
	} else {
		report_doc_fail(d, -ENOMEM);
	}
	free(rows);
	free(rp);
	free(v);
}

static void write_run(struct report_doc *d, const struct report *r)
{
	section_cover(d, r, "Simulation");
	report_doc_h2(d, "Key findings");
	struct findings *f = findings_new(d);
	if (f) {
		run_findings(r, f, true);
		findings_put(d, f, 7);
	}
	report_doc_page(d, false);
	section_scenario(d, r);
	section_scan(d, r);
	report_doc_page(d, false);
	section_compare(d, r);
	section_clusters(d, r);
	section_findings(d, r);
	struct plot_opts po;
	plot_opts_default(&po);
	po.window_s = r->o.window_s;
	struct plot_source src = {r->run, NULL};
	const struct plot_run *run = r->run;
	if (run->have & PLOT_FILE_TIMELINE)
		report_doc_chart(d, "Chart: remediation timeline", &src, PLOT_TIMELINE, &po);
	if (run->have & PLOT_FILE_COMPLIANCE)
		report_doc_chart(d, "Chart: compliance over time", &src, PLOT_COMPLIANCE, &po);
	if (run->have & PLOT_FILE_VMS)
		report_doc_chart(d, "Chart: VM downtime", &src, PLOT_DOWNTIME, &po);
	if ((run->have & PLOT_FILE_ALL) != PLOT_FILE_ALL) {
		report_doc_page(d, false);
		report_doc_h1(d, "Left out");
		report_doc_p(d, "Some CSV files are not in the results directory, so the charts and "
		                "tables that need them are left out. `lpsim run` writes all of them.");
	}
}

/* ---- a sweep report ---------------------------------------------------------------- */

static void sweep_findings(const struct report *r, struct findings *f)
{
	const struct plot_sweep *sw = r->sweep;
	const struct output_summary *s0 = &sw->points[0].sum;
	char a[64], b[64], c[64], p1[400], p2[400];
	for (size_t i = 0; i < s0->nstrategies; i++) {
		enum scenario_strategy k = s0->strategies[i].strategy;
		const struct plot_sweep_point *best = NULL, *worst = NULL;
		const struct output_strategy *bo = NULL, *wo = NULL;
		size_t fit = 0, never = 0, few = 0, n = 0;
		const struct report_answer_strategy *x = report_answers_get(&r->ans, k);
		for (size_t q = 0; q < sw->npoints; q++) {
			/* plan's criterion: the bound on the p95 of the whole-estate makespan */
			double bound = x && q < x->npoints ? x->point_bound[q] : (double)NAN;
			fit += isfinite(r->o.window_s) && bound <= r->o.window_s;
			never += isinf(bound);
			few += isnan(bound);
			const struct output_strategy *o =
			    plot_summary_strategy(&sw->points[q].sum, k);
			if (!o || !isfinite(o->makespan_s.mean))
				continue;
			n++;
			if (!bo || o->makespan_s.mean < bo->makespan_s.mean) {
				best = &sw->points[q];
				bo = o;
			}
			if (!wo || o->makespan_s.mean > wo->makespan_s.mean) {
				worst = &sw->points[q];
				wo = o;
			}
		}
		if (!best || !worst || !bo || !wo)
			continue;
		size_t l1 = 0, l2 = 0;
		p1[0] = p2[0] = '\0';
		for (size_t ax = 0; ax < sw->naxes; ax++) {
			l1 += (size_t)snprintf(p1 + l1, sizeof(p1) - (l1 < sizeof(p1) ? l1 : sizeof(p1)), "%s%s = %s",
			                       ax ? ", " : "", sw->axes[ax].path,
			                       sw->axes[ax].values[best->idx[ax]]);
			l2 += (size_t)snprintf(p2 + l2, sizeof(p2) - (l2 < sizeof(p2) ? l2 : sizeof(p2)), "%s%s = %s",
			                       ax ? ", " : "", sw->axes[ax].path,
			                       sw->axes[ax].values[worst->idx[ax]]);
			if (l1 >= sizeof(p1) || l2 >= sizeof(p2))
				break;
		}
		char nm[32];
		plot_fmt_capital(nm, sizeof(nm), plot_strategy_label(k));
		add(f, "%s: the shortest mean makespan, %s, is at %s; the longest, %s, at %s.", nm,
		    fmt_time_ci(a, sizeof(a), &bo->makespan_s), p1, fmt_time_ci(b, sizeof(b), &wo->makespan_s),
		    p2);
		if (isfinite(r->o.window_s))
			add(f,
			    "%s patches the whole estate within the %s window in 95%% of windows (the "
			    "order-statistic bound lpsim plan uses) at %zu of %zu points%s; at %zu points "
			    "too many replications leave some host unpatched; %zu points have too few "
			    "replications for the bound (it needs %ld).",
			    nm, plot_fmt_duration(c, sizeof(c), r->o.window_s), fit, sw->npoints,
			    fit == 0 ? " (no setting swept is enough)" : "", never, few,
			    answer_min_replications(0.95));
	}
	if (!isfinite(r->o.window_s))
		add(f, "No maintenance window was given; `lpsim report DIR --window 4h` counts the points "
		       "whose whole estate is patched within one in 95%% of windows.");
}

static void write_sweep(struct report_doc *d, const struct report *r)
{
	const struct plot_sweep *sw = r->sweep;
	section_cover(d, r, "Sweep");
	char t[1200];
	size_t n = (size_t)snprintf(t, sizeof(t), "%zu points over %zu ax%s: ", sw->npoints, sw->naxes,
	                            sw->naxes == 1 ? "is" : "es");
	for (size_t a = 0; a < sw->naxes && n < sizeof(t); a++) {
		n += (size_t)snprintf(t + n, sizeof(t) - n, "%s%s (", a ? "; " : "", sw->axes[a].path);
		for (size_t v = 0; v < sw->axes[a].nvalues && n < sizeof(t); v++)
			n += (size_t)snprintf(t + n, sizeof(t) - n, "%s%s", v ? ", " : "", sw->axes[a].values[v]);
		if (n < sizeof(t))
			n += (size_t)snprintf(t + n, sizeof(t) - n, ")");
	}
	report_doc_p(d, t);
	report_doc_h2(d, "Key findings");
	struct findings *f = findings_new(d);
	if (f) {
		sweep_findings(r, f);
		findings_put(d, f, MAX_FINDINGS);
	}
	/* the points */
	report_doc_page(d, false);
	report_doc_h1(d, "The points");
	size_t na = sw->naxes < 3 ? sw->naxes : 3;
	const struct output_summary *s0 = &sw->points[0].sum;
	size_t ns = s0->nstrategies;
	size_t nc = na + 3 * ns;
	size_t np = sw->npoints < 400 ? sw->npoints : 400;
	char(*cells)[12][64] = calloc(np, sizeof(*cells));
	const char **ptr = calloc(np * nc, sizeof(char *));
	const char *hdr[12];
	char hbuf[12][64];
	double w[12];
	enum report_align al[12];
	if (cells && ptr) {
		for (size_t a = 0; a < na; a++) {
			const char *p = strrchr(sw->axes[a].path, '.');
			snprintf(hbuf[a], 64, "%s", p ? p + 1 : sw->axes[a].path);
			hdr[a] = hbuf[a];
			w[a] = 58;
			al[a] = REPORT_RIGHT;
		}
		static const char *const what[3] = {"span", "100%", "down"};
		for (size_t i = 0; i < ns; i++)
			for (size_t m = 0; m < 3; m++) {
				size_t col = na + i * 3 + m;
				snprintf(hbuf[col], 64, "%s %s",
				         s0->strategies[i].strategy == SCENARIO_STRATEGY_LIVE_PATCH ? "live" : "cl.",
				         what[m]);
				hdr[col] = hbuf[col];
				w[col] = 62;
				al[col] = REPORT_RIGHT;
			}
		for (size_t q = 0; q < np; q++) {
			const struct plot_sweep_point *p = &sw->points[q];
			for (size_t a = 0; a < na; a++)
				snprintf(cells[q][a], 64, "%s", sw->axes[a].values[p->idx[a]]);
			for (size_t i = 0; i < ns; i++) {
				const struct output_strategy *o =
				    plot_summary_strategy(&p->sum, s0->strategies[i].strategy);
				if (!o)
					continue;
				plot_fmt_duration(cells[q][na + i * 3], 64, o->makespan_s.mean);
				plot_fmt_duration(cells[q][na + i * 3 + 1], 64,
				                  o->time_to_compliance_s.mean);
				plot_fmt_duration(cells[q][na + i * 3 + 2], 64,
				                  o->downtime_total_s.mean);
			}
			for (size_t c = 0; c < nc; c++)
				ptr[q * nc + c] = cells[q][c];
		}
		report_doc_note(d, "Means over each point's replications. live: live patch; cl.: classic. "
		                   "span: makespan, from the start of remediation to the last host done; "
		                   "100%: time to full compliance; down: total VM downtime.");
		report_doc_table(d, nc, w, al, hdr, ptr, np);
		if (sw->npoints > np)
			report_doc_note(d, "Only the first 400 points are listed.");
		if (sw->naxes > na)
			report_doc_note(d, "Only the first three axes are shown as columns.");
	} else {
		report_doc_fail(d, -ENOMEM);
	}
	free(cells);
	free(ptr);
	struct plot_opts po;
	plot_opts_default(&po);
	po.window_s = r->o.window_s;
	struct plot_source src = {NULL, sw};
	static const char *const metrics[] = {"makespan_s", "time_to_compliance_s", "vm_downtime_s",
	                                      "exposure_host_hours"};
	for (size_t m = 0; m < 4; m++) {
		po.metric = metrics[m];
		report_doc_chart(d, m == 0 ? "Charts" : NULL, &src, PLOT_SWEEP, &po);
	}
}

/* ---- writing ---------------------------------------------------------------------- */

int report_write(const struct report *r, const char *path, int *pages, char *msg, size_t msglen)
{
	struct afile *af = afile_open(path);
	if (!af) {
		int e = errno;
		plot__errf(msg, msglen, "%s: %s", path, strerror(e));
		return -e;
	}
	struct plot__sink sk = {afile_stream(af), 0};
	struct report_doc d;
	char footer[300];
	const struct output_summary *s = r->run ? &r->run->sum : &r->sweep->points[0].sum;
	snprintf(footer, sizeof(footer), "lpsim %s report - scenario %s", LPSIM_VERSION,
	         s->scenario_name);
	int rc = report_doc_open(&d, plot__sink_write, &sk, footer);
	if (rc < 0) {
		afile_abort(af);
		plot__errf(msg, msglen, "out of memory writing %s", path);
		return rc;
	}
	cairo_pdf_surface_set_metadata(d.surf, CAIRO_PDF_METADATA_TITLE,
	                               "ESXi Live Patch capacity-planning report");
	if (r->run)
		write_run(&d, r);
	else
		write_sweep(&d, r);
	int np = d.pages, err = d.err;
	rc = report_doc_close(&d);
	if (err < 0) { /* a part is missing: keep no file rather than an incomplete one */
		if (err == -ENOMEM)
			plot__errf(msg, msglen, "out of memory writing %s", path);
		else
			plot__errf(msg, msglen, "%s: %s", path, strerror(-err));
		afile_abort(af);
		return err;
	}
	if (rc < 0 || sk.err) {
		rc = sk.err ? -sk.err : rc;
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		afile_abort(af);
		return rc;
	}
	rc = afile_commit(af);
	if (rc < 0) {
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (pages)
		*pages = np;
	return 0;
}
