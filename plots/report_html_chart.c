/*
 * report_html_chart: the HTML report's charts as inline SVG with real
 * text; see report_html.h.
 *
 * Timeline: both strategies on one time axis (the axis on top, so that
 * the script can drop filtered lanes and shorten the chart from below).
 * Up to REPORT_HTML_HOST_LANES hosts a lane each, grouped under their
 * cluster's name, one rectangle per state span; a lane's <title> holds
 * the host's states, times and VMs. Beyond, the worst
 * REPORT_HTML_CLUSTER_LANES clusters a lane each, stacking the share of
 * their hosts in each condition over TL_BINS time bins (rectangles merged
 * where the shares do not change), and a histogram of when every cluster
 * finished. Compliance: the detailed replication's compliant share over
 * time, per strategy, thinned to at most CP_POINTS steps.
 */
#include "plots/report_html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/record.h"
#include "models/scan.h"
#include "plots/plot.h"
#include "plots/plot_draw.h"

#define esc report_html__esc

#define W        1060.0 /* chart width */
#define L        190.0  /* left margin: lane labels */
#define R        20.0   /* right margin */
#define TOP      34.0   /* the axis above the lanes */
#define LANE_H   14.0
#define HEAD_H   18.0
#define CL_H     26.0
#define TL_BINS  160
#define CP_POINTS 2000
#define NAMES_MAX 10 /* incompatible VMs named per host, hosts per cluster */

/* ---- colours ------------------------------------------------------------------ */

struct state_style {
	const char *cls;
	const char *fill;
	const char *label;
};

/* Host states (enum rec_state), then the two halves "done" is split into. */
enum { ST_AWAIT = REC_ST_N, ST_OK, ST_NSTYLES };

static const struct state_style styles[ST_NSTYLES] = {
	[REC_ST_PENDING] = {"s-pending", "#e3e3e3", "pending"},
	[REC_ST_ENTERING_PARTIAL_MM] = {"s-enter", "#56b4e9", "entering (partial) maintenance mode"},
	[REC_ST_ENTERING_MM] = {"s-enter", "#56b4e9", NULL},
	[REC_ST_MOUNTING] = {"s-mount", "#0072b2", "mounting the patch"},
	[REC_ST_PATCHING] = {"s-patch", "#009e73", "patching / installing"},
	[REC_ST_INSTALLING] = {"s-patch", "#009e73", NULL},
	[REC_ST_ROLLBACK] = {"s-retry", "#f0e442", "rollback / waiting to retry"},
	[REC_ST_RETRY_WAIT] = {"s-retry", "#f0e442", NULL},
	[REC_ST_FSR] = {"s-fsr", "#cc79a7", "fast-suspend-resume"},
	[REC_ST_REBOOTING] = {"s-reboot", "#e69f00", "rebooting"},
	[REC_ST_EXITING_PARTIAL_MM] = {"s-exit", "#b3ddf5", "exiting maintenance mode"},
	[REC_ST_EXITING_MM] = {"s-exit", "#b3ddf5", NULL},
	[REC_ST_DONE] = {"s-ok", "#b8e4d8", NULL},
	[REC_ST_FAILED] = {"s-failed", "#d55e00", "failed"},
	[REC_ST_BLOCKED] = {"s-blocked", "#404040", "blocked"},
	[ST_AWAIT] = {"s-await", "#efc29e", "patched, VMs still to remediate"},
	[ST_OK] = {"s-ok", "#b8e4d8", "compliant"},
};

/* Conditions of a cluster lane's hosts at one instant. */
enum cond { C_OK, C_AWAIT, C_BUSY, C_PENDING, C_NOT_STARTED, C_FAILED, C_BLOCKED, C_N };

static const struct state_style conds[C_N] = {
	[C_OK] = {"s-ok", NULL, "compliant"},
	[C_AWAIT] = {"s-await", NULL, "patched, VMs still to remediate"},
	[C_BUSY] = {"s-patch", NULL, "in remediation"},
	[C_PENDING] = {"s-pending", NULL, "waiting its turn"},
	[C_NOT_STARTED] = {"s-notstarted", "#9a9a9a", "never started"},
	[C_FAILED] = {"s-failed", NULL, "failed"},
	[C_BLOCKED] = {"s-blocked", NULL, "blocked"},
};

void report_html__chart_css(FILE *f)
{
	for (int i = 0; i < ST_NSTYLES; i++)
		if (styles[i].label)
			fprintf(f, ".%s{fill:%s;background:%s}\n", styles[i].cls, styles[i].fill,
				styles[i].fill);
	fprintf(f, ".%s{fill:%s;background:%s}\n", conds[C_NOT_STARTED].cls,
		conds[C_NOT_STARTED].fill, conds[C_NOT_STARTED].fill);
	fputs("svg .grid{stroke:#ddd;stroke-width:1}svg .win{stroke:#b3261e;stroke-width:1.5;"
	      "stroke-dasharray:6 4}\n",
	      f);
}

static const char *strat_key(enum scenario_strategy s)
{
	return s == SCENARIO_STRATEGY_CLASSIC ? "classic" : "live_patch";
}

/* ---- the time axis ---------------------------------------------------------------- */

struct taxis {
	struct plot_axis a;
	double x0, x1; /* pixels */
};

static void taxis_init(struct taxis *t, double tmax, double x0, double x1)
{
	plot_axis_nice(&t->a, 0, tmax > 0 ? tmax : 1, 8, true);
	t->x0 = x0;
	t->x1 = x1;
}

static double tx(const struct taxis *t, double s)
{
	if (!(s >= t->a.lo))
		s = t->a.lo;
	if (s > t->a.hi)
		s = t->a.hi;
	return t->x0 + (s - t->a.lo) / (t->a.hi - t->a.lo) * (t->x1 - t->x0);
}

/* Ticks and grid lines from y_lab (labels) down to y_end; the window line. */
static void taxis_draw(FILE *f, const struct taxis *t, double y_lab, double y_top, double y_end,
                       double window_s)
{
	char b[48];
	const char *unit = t->a.unit_name ? t->a.unit_name : "s";
	fputs("<g class=\"axis\" font-size=\"11\" fill=\"#444\">", f);
	for (double v = t->a.lo; v <= t->a.hi + t->a.step * 1e-6; v += t->a.step) {
		double x = tx(t, v);
		fprintf(f,
			"<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
			x, x, y_top, y_end, x, y_lab, plot_fmt_num(b, sizeof(b), v / t->a.unit));
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">time (%s)</text>",
		t->x0 - 8, y_lab, unit);
	if (!isnan(window_s)) {
		double x = tx(t, window_s);
		fprintf(f,
			"<line class=\"win\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" fill=\"#b3261e\">window %s</text>",
			x, x, y_top, y_end, x + 3, y_top + 10, plot_fmt_duration(b, sizeof(b), window_s));
	}
	fputs("</g>\n", f);
}

/* ---- per-host lanes ------------------------------------------------------------------ */

/* Span indices grouped by host (counting sort; file order kept within a host). */
struct by_host {
	size_t *first; /* nhosts + 1 */
	size_t *idx;   /* nspans */
};

static int by_host_init(struct by_host *b, const struct plot_strategy *ps)
{
	b->first = calloc(ps->nhosts + 2, sizeof(*b->first));
	b->idx = malloc((ps->nspans ? ps->nspans : 1) * sizeof(*b->idx));
	if (!b->first || !b->idx) {
		free(b->first);
		free(b->idx);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ps->nspans; i++)
		b->first[ps->spans[i].host + 2]++;
	for (size_t h = 2; h < ps->nhosts + 2; h++)
		b->first[h] += b->first[h - 1];
	for (size_t i = 0; i < ps->nspans; i++)
		b->idx[b->first[ps->spans[i].host + 1]++] = i;
	return 0;
}

static void by_host_fini(struct by_host *b)
{
	free(b->first);
	free(b->idx);
}

static void span_rect(FILE *f, const struct taxis *t, int style, double a, double b)
{
	double x0 = tx(t, a), x1 = tx(t, b);
	fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%.0f\"/>",
		styles[style].cls, x0, x1 - x0 < 1 ? 1 : x1 - x0, LANE_H - 4);
}

/* The lane's tooltip: the host, its outcome and times, its states, its VMs. */
static void host_title(FILE *f, const struct plot_strategy *ps, size_t h, const struct by_host *bh)
{
	const struct plot_host *ho = &ps->hosts[h];
	char a[48], b[48];
	fputs("<title>", f);
	esc(f, ho->name);
	fputs(" (cluster ", f);
	esc(f, ho->cluster);
	fprintf(f, "), %s\noutcome: %s; path: %s; %u attempt%s", plot_strategy_label(ps->strategy),
		rec_outcome_name(ho->outcome), rec_path_name(ho->path), (unsigned)ho->attempts,
		ho->attempts == 1 ? "" : "s");
	if (!isnan(ho->compliant_at_s))
		fprintf(f, "; compliant at %s", plot_fmt_duration(a, sizeof(a), ho->compliant_at_s));
	fputs("\nstates:", f);
	for (size_t k = bh->first[h]; k < bh->first[h + 1]; k++) {
		const struct plot_span *sp = &ps->spans[bh->idx[k]];
		fprintf(f, "\n  %-20s %s to %s", rec_state_name(sp->state),
			plot_fmt_duration(a, sizeof(a), sp->start_s),
			plot_fmt_duration(b, sizeof(b), sp->end_s));
	}
	fprintf(f, "\nVMs: %u fast-suspend-resumed, %u vMotioned, %u FSR-incompatible",
		ho->fsr, ho->vmotion, ho->manual);
	size_t named = 0, more = 0;
	for (size_t i = 0; i < ps->nincompat; i++) {
		const struct plot_vm *v = &ps->incompat[i];
		if (v->host != (int32_t)h)
			continue;
		if (named++ >= NAMES_MAX) {
			more++;
			continue;
		}
		fputs("\n  ", f);
		esc(f, v->name);
		fputs(" (", f);
		bool first = true;
		for (unsigned bit = 0; bit < SCAN_NINCOMPAT; bit++)
			if (v->incompat & (1u << bit)) {
				fprintf(f, "%s%s", first ? "" : ", ", scan_incompat_name(1u << bit));
				first = false;
			}
		fprintf(f, "): %s, down %s", rec_remediation_name(v->remediation),
			plot_fmt_duration(a, sizeof(a), v->downtime_s));
	}
	if (more)
		fprintf(f, "\n  and %zu more", more);
	fputs("</title>", f);
}

static void host_lane(FILE *f, const struct plot_strategy *ps, size_t h, const struct by_host *bh,
                      const struct taxis *t, double y)
{
	const struct plot_host *ho = &ps->hosts[h];
	fputs("<g class=\"row lane\" data-cluster=\"", f);
	esc(f, ho->cluster);
	fputs("\" data-host=\"", f);
	esc(f, ho->cluster);
	fputc('/', f);
	esc(f, ho->name);
	fprintf(f, "\" data-h=\"%.0f\" transform=\"translate(0,%.0f)\">", LANE_H, y);
	host_title(f, ps, h, bh);
	fprintf(f, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\" "
		   "fill-opacity=\"0\"/>",
		W, LANE_H);
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" font-size=\"10\">", L - 6,
		LANE_H - 3);
	esc(f, ho->name);
	if (ho->outcome != REC_COMPLIANT)
		fprintf(f, " (%s)", rec_outcome_name(ho->outcome));
	fputs("</text>", f);
	for (size_t k = bh->first[h]; k < bh->first[h + 1]; k++) {
		const struct plot_span *sp = &ps->spans[bh->idx[k]];
		if (sp->state != REC_ST_DONE) {
			span_rect(f, t, sp->state < REC_ST_N ? sp->state : REC_ST_PENDING, sp->start_s,
				  sp->end_s);
			continue;
		}
		double c = ho->compliant_at_s;
		if (isnan(c) || c > sp->end_s)
			c = sp->end_s;
		if (c > sp->start_s)
			span_rect(f, t, ST_AWAIT, sp->start_s, c);
		if (sp->end_s > c)
			span_rect(f, t, ST_OK, c, sp->end_s);
	}
	fputs("</g>\n", f);
}

static void svg_open(FILE *f, const char *k, double h, const char *label)
{
	fprintf(f,
		"<svg class=\"timeline\" data-strategy=\"%s\" data-top=\"%.0f\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
		k, TOP, W, h, W, h);
	esc(f, label);
	fputs("\">\n", f);
}

static int host_lanes(FILE *f, const struct plot_strategy *ps, const struct taxis *t,
                      double window_s)
{
	struct by_host bh;
	if (by_host_init(&bh, ps) < 0)
		return -ENOMEM;
	double h = TOP + (double)ps->nhosts * LANE_H + (double)ps->nclusters * HEAD_H + 10;
	char label[96];
	snprintf(label, sizeof(label), "Timeline of %s, one lane per host",
		 plot_strategy_label(ps->strategy));
	svg_open(f, strat_key(ps->strategy), h, label);
	taxis_draw(f, t, 14, 20, h, window_s);
	double y = TOP;
	uint32_t cl = UINT32_MAX;
	for (size_t i = 0; i < ps->nhosts; i++) {
		if (ps->hosts[i].cluster_idx != cl) {
			cl = ps->hosts[i].cluster_idx;
			fputs("<g class=\"row head\" data-cluster=\"", f);
			esc(f, ps->hosts[i].cluster);
			fprintf(f, "\" data-h=\"%.0f\" transform=\"translate(0,%.0f)\"><text x=\"4\" "
				   "y=\"13\" font-size=\"11\" font-weight=\"bold\">cluster ",
				HEAD_H, y);
			esc(f, ps->hosts[i].cluster);
			fputs("</text></g>\n", f);
			y += HEAD_H;
		}
		host_lane(f, ps, i, &bh, t, y);
		y += LANE_H;
	}
	fputs("</svg>\n", f);
	by_host_fini(&bh);
	return 0;
}

/* ---- cluster lanes (fleet scale) -------------------------------------------------------- */

static enum cond host_cond(const struct plot_host *h, double t)
{
	if (h->outcome == REC_BLOCKED)
		return C_BLOCKED;
	if (isnan(h->start_s))
		return h->outcome == REC_NOT_STARTED ? C_NOT_STARTED : C_PENDING;
	if (t < h->start_s)
		return C_PENDING;
	if (isnan(h->end_s) || t < h->end_s)
		return C_BUSY;
	if (h->outcome == REC_FAILED)
		return C_FAILED;
	if (!isnan(h->compliant_at_s) && t >= h->compliant_at_s)
		return C_OK;
	return C_AWAIT;
}

/* Bottom to top. */
static const enum cond stack[C_N] = {C_OK,      C_AWAIT,  C_BUSY,   C_PENDING,
                                     C_NOT_STARTED, C_FAILED, C_BLOCKED};

static void cluster_lane_title(FILE *f, const struct plot_strategy *ps, size_t c,
                               const uint32_t *cnt_end, size_t nh)
{
	char a[48];
	fputs("<title>cluster ", f);
	esc(f, ps->clusters[c]);
	fprintf(f, ", %s: %s host%s", plot_strategy_label(ps->strategy),
		plot_fmt_count(a, sizeof(a), (double)nh), nh == 1 ? "" : "s");
	for (int k = 0; k < C_N; k++)
		if (cnt_end[k])
			fprintf(f, "\n  %s at the end: %u", conds[k].label, cnt_end[k]);
	size_t named = 0;
	double last = NAN;
	const char *last_name = NULL;
	for (size_t i = 0; i < ps->nhosts; i++) {
		const struct plot_host *h = &ps->hosts[i];
		if (h->cluster_idx != c)
			continue;
		if (!isnan(h->end_s) && !(h->end_s <= last)) {
			last = h->end_s;
			last_name = h->name;
		}
		if (h->outcome == REC_COMPLIANT || named >= NAMES_MAX)
			continue;
		if (named++ == 0)
			fputs("\nhosts not compliant:", f);
		fputs("\n  ", f);
		esc(f, h->name);
		fprintf(f, " (%s)", rec_outcome_name(h->outcome));
	}
	if (last_name) {
		fputs("\nlast to finish: ", f);
		esc(f, last_name);
		fprintf(f, " at %s", plot_fmt_duration(a, sizeof(a), last));
	}
	fputs("</title>", f);
}

/* One cluster lane: the share of its hosts in each condition per bin. */
static int cluster_lane(FILE *f, const struct plot_strategy *ps, size_t c, const struct taxis *t,
                        double y)
{
	uint32_t(*cnt)[C_N] = calloc(TL_BINS, sizeof(*cnt));
	if (!cnt)
		return -ENOMEM;
	uint32_t end[C_N] = {0};
	size_t nh = 0;
	double span = t->a.hi - t->a.lo;
	for (size_t i = 0; i < ps->nhosts; i++) {
		const struct plot_host *h = &ps->hosts[i];
		if (h->cluster_idx != c)
			continue;
		nh++;
		for (int b = 0; b < TL_BINS; b++)
			cnt[b][host_cond(h, t->a.lo + (b + 0.5) * span / TL_BINS)]++;
		end[host_cond(h, INFINITY)]++;
	}
	fputs("<g class=\"row lane\" data-cluster=\"", f);
	esc(f, ps->clusters[c]);
	fputs("\" data-host=\"", f);
	esc(f, ps->clusters[c]);
	fprintf(f, "\" data-h=\"%.0f\" transform=\"translate(0,%.0f)\">", CL_H, y);
	cluster_lane_title(f, ps, c, end, nh);
	fprintf(f, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\" "
		   "fill-opacity=\"0\"/><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" "
		   "font-size=\"10\">",
		W, CL_H, L - 6, CL_H / 2 + 4);
	esc(f, ps->clusters[c]);
	fprintf(f, " (%zu not compliant)</text>", nh - end[C_OK]);
	double hh = CL_H - 4, bw = (t->x1 - t->x0) / TL_BINS;
	for (int s = 0; s < C_N; s++) {
		enum cond k = stack[s];
		int run = -1;
		double lo0 = 0, hi0 = 0;
		for (int b = 0; b <= TL_BINS; b++) {
			double lo = 0, hi = 0;
			if (b < TL_BINS && nh) {
				for (int q = 0; q < s; q++)
					lo += cnt[b][stack[q]];
				hi = lo + cnt[b][k];
				lo /= (double)nh;
				hi /= (double)nh;
			}
			if (run >= 0 && (b == TL_BINS || lo != lo0 || hi != hi0)) {
				if (hi0 > lo0)
					fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
						   "height=\"%.1f\"/>",
						conds[k].cls, t->x0 + run * bw, 2 + hh * (1 - hi0),
						(b - run) * bw, hh * (hi0 - lo0));
				run = -1;
			}
			if (run < 0 && b < TL_BINS) {
				run = b;
				lo0 = lo;
				hi0 = hi;
			}
		}
	}
	fputs("</g>\n", f);
	free(cnt);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* When every cluster finished: a histogram, and its quantiles in words. */
static int cluster_distribution(FILE *f, const struct plot_strategy *ps, const struct taxis *t)
{
	double *last = malloc((ps->nclusters ? ps->nclusters : 1) * sizeof(*last));
	if (!last)
		return -ENOMEM;
	for (size_t c = 0; c < ps->nclusters; c++)
		last[c] = NAN;
	for (size_t i = 0; i < ps->nhosts; i++) {
		const struct plot_host *h = &ps->hosts[i];
		if (!isnan(h->end_s) && !(h->end_s <= last[h->cluster_idx]))
			last[h->cluster_idx] = h->end_s;
	}
	size_t n = 0;
	for (size_t c = 0; c < ps->nclusters; c++)
		if (!isnan(last[c]))
			last[n++] = last[c];
	qsort(last, n, sizeof(*last), cmp_double);
	enum { NB = 60 };
	size_t hist[NB] = {0}, peak = 1;
	double span = t->a.hi - t->a.lo;
	for (size_t i = 0; i < n; i++) {
		int b = (int)((last[i] - t->a.lo) / span * NB);
		b = b < 0 ? 0 : b >= NB ? NB - 1 : b;
		if (++hist[b] > peak)
			peak = hist[b];
	}
	char a[48], p50[48], p95[48], mx[48];
	const double H = 90;
	fprintf(f, "<svg class=\"dist\" data-strategy=\"%s\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"When each cluster finished\">\n",
		strat_key(ps->strategy), W, H + 30, W, H + 30);
	fprintf(f, "<text x=\"%.0f\" y=\"16\" text-anchor=\"end\" font-size=\"11\">clusters finished"
		   "</text><text x=\"%.0f\" y=\"30\" text-anchor=\"end\" font-size=\"11\">per %s"
		   "</text>",
		L - 6, L - 6, plot_fmt_duration(a, sizeof(a), span / NB));
	double bw = (t->x1 - t->x0) / NB;
	for (int b = 0; b < NB; b++)
		if (hist[b]) {
			double bh = H * (double)hist[b] / (double)peak;
			fprintf(f, "<rect fill=\"#0072b2\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\"><title>%zu clusters</title></rect>",
				t->x0 + b * bw, 4 + H - bh, bw - 1, bh, hist[b]);
		}
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">peak %zu clusters</text>",
		t->x0 + 4, 14.0, peak);
	fputs("</svg>\n", f);
	if (n) {
		fprintf(f,
			"<p class=\"note dist-caption\" data-strategy=\"%s\">%s: %s clusters finished; "
			"the last host of half of them was done by %s, of 95%% by %s, of all by %s.</p>\n",
			strat_key(ps->strategy), plot_strategy_label(ps->strategy),
			plot_fmt_count(a, sizeof(a), (double)n),
			plot_fmt_duration(p50, sizeof(p50), last[(n - 1) / 2]),
			plot_fmt_duration(p95, sizeof(p95), last[(size_t)ceil(0.95 * (double)n) - 1]),
			plot_fmt_duration(mx, sizeof(mx), last[n - 1]));
	}
	free(last);
	return 0;
}

static int cluster_lanes(FILE *f, const struct plot_strategy *ps, const struct taxis *t,
                         double window_s)
{
	size_t order[REPORT_HTML_CLUSTER_LANES];
	size_t n = plot__rank_clusters(ps, order, REPORT_HTML_CLUSTER_LANES);
	char label[128], a[48], b[48];
	snprintf(label, sizeof(label), "Timeline of %s: the %zu worst clusters",
		 plot_strategy_label(ps->strategy), n);
	double h = TOP + (double)n * CL_H + 10;
	fprintf(f, "<p class=\"note\" data-strategy=\"%s\">%s: %s hosts in %s clusters, too many for "
		   "a lane each: the %zu clusters with the most hosts not compliant (then the latest "
		   "to finish), each lane the share of its hosts in each condition over time; "
		   "below, when every cluster finished.</p>\n",
		strat_key(ps->strategy), plot_strategy_label(ps->strategy),
		plot_fmt_count(a, sizeof(a), (double)ps->nhosts),
		plot_fmt_count(b, sizeof(b), (double)ps->nclusters), n);
	svg_open(f, strat_key(ps->strategy), h, label);
	taxis_draw(f, t, 14, 20, h, window_s);
	for (size_t j = 0; j < n; j++)
		if (cluster_lane(f, ps, order[j], t, TOP + (double)j * CL_H) < 0)
			return -ENOMEM;
	fputs("</svg>\n", f);
	return cluster_distribution(f, ps, t);
}

/* ---- the timeline section -------------------------------------------------------------------- */

static double run_tmax(const struct plot_run *run)
{
	double m = 0;
	for (size_t si = 0; si < run->nstrategies; si++) {
		const struct plot_strategy *ps = &run->st[si];
		for (size_t i = 0; i < ps->nspans; i++)
			if (ps->spans[i].end_s > m)
				m = ps->spans[i].end_s;
		for (size_t i = 0; i < ps->nhosts; i++) {
			if (ps->hosts[i].end_s > m)
				m = ps->hosts[i].end_s;
			if (ps->hosts[i].compliant_at_s > m)
				m = ps->hosts[i].compliant_at_s;
		}
	}
	return m;
}

static void legend(FILE *f, bool hosts)
{
	fputs("<p class=\"legend\">", f);
	if (hosts) {
		for (int i = 0; i < ST_NSTYLES; i++)
			if (styles[i].label)
				fprintf(f, "<span><i class=\"%s\"></i>%s</span>", styles[i].cls,
					styles[i].label);
	} else {
		for (int i = C_N - 1; i >= 0; i--)
			fprintf(f, "<span><i class=\"%s\"></i>%s</span>", conds[stack[i]].cls,
				conds[stack[i]].label);
	}
	fputs("</p>\n", f);
}

static int timeline(FILE *f, const struct plot_run *run, const struct report_html_opts *o)
{
	fputs("<h2 id=\"timeline-h\">Timeline</h2>\n", f);
	if (!(run->have & PLOT_FILE_HOSTS) || !(run->have & PLOT_FILE_TIMELINE)) {
		fputs("<p class=\"note\">hosts.csv or timeline.csv is not in the directory: no "
		      "timeline.</p>\n",
		      f);
		return 0;
	}
	double tmax = run_tmax(run);
	if (!isnan(o->window_s) && o->window_s > tmax)
		tmax = o->window_s;
	struct taxis t;
	taxis_init(&t, tmax, L, W - R);
	bool hosts = true;
	for (size_t si = 0; si < run->nstrategies; si++)
		hosts = hosts && run->st[si].nhosts <= REPORT_HTML_HOST_LANES;
	fprintf(f, "<p class=\"note\">Replication %ld%s. Point at a lane for its detail.</p>\n",
		run->rep, run->nstrategies > 1 ? "; both strategies on one time axis" : "");
	legend(f, hosts);
	for (size_t si = 0; si < run->nstrategies; si++) {
		const struct plot_strategy *ps = &run->st[si];
		fprintf(f, "<h3 data-strategy=\"%s\">%s</h3>\n", strat_key(ps->strategy),
			plot_strategy_label(ps->strategy));
		int rc = hosts ? host_lanes(f, ps, &t, o->window_s) : cluster_lanes(f, ps, &t, o->window_s);
		if (rc < 0)
			return rc;
	}
	fputs("<h3 id=\"detail-h\">Selected lane</h3>\n<div id=\"detail\">Point at a lane of the "
	      "timeline to see its states, times and VMs; click it to keep them here.</div>\n",
	      f);
	return 0;
}

/* ---- compliance over time ---------------------------------------------------------------------- */

static void compliance_curve(FILE *f, const struct plot_run *run, const struct plot_strategy *ps,
                             const struct taxis *t, double y0, double hh)
{
	size_t n = 0;
	for (size_t i = 0; i < ps->nsteps; i++)
		n += ps->steps[i].rep == (uint32_t)run->rep;
	size_t stride = n > CP_POINTS ? (n + CP_POINTS - 1) / CP_POINTS : 1;
	const char *col = ps->strategy == SCENARIO_STRATEGY_CLASSIC ? "#e69f00" : "#0072b2";
	fprintf(f, "<polyline data-strategy=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		   "points=\"",
		strat_key(ps->strategy), col);
	double prev = NAN;
	size_t k = 0;
	for (size_t i = 0; i < ps->nsteps; i++) {
		const struct plot_step *s = &ps->steps[i];
		if (s->rep != (uint32_t)run->rep)
			continue;
		bool last = ++k == n;
		if ((k - 1) % stride && !last)
			continue;
		double pct = s->total ? (double)s->compliant / s->total : 0;
		double x = tx(t, s->t_s), y = y0 + hh * (1 - pct);
		if (!isnan(prev))
			fprintf(f, "%.1f,%.1f ", x, prev);
		fprintf(f, "%.1f,%.1f ", x, y);
		prev = y;
	}
	if (!isnan(prev))
		fprintf(f, "%.1f,%.1f", t->x1, prev);
	fprintf(f, "\"><title>%s</title></polyline>\n", plot_strategy_label(ps->strategy));
}

static void compliance(FILE *f, const struct plot_run *run, const struct report_html_opts *o)
{
	fputs("<h2 id=\"compliance-h\">Compliance over time</h2>\n", f);
	if (!(run->have & PLOT_FILE_COMPLIANCE)) {
		fputs("<p class=\"note\">compliance.csv is not in the directory: no compliance "
		      "chart.</p>\n",
		      f);
		return;
	}
	double tmax = run_tmax(run);
	for (size_t si = 0; si < run->nstrategies; si++)
		for (size_t i = 0; i < run->st[si].nsteps; i++)
			if (run->st[si].steps[i].t_s > tmax)
				tmax = run->st[si].steps[i].t_s;
	if (!isnan(o->window_s) && o->window_s > tmax)
		tmax = o->window_s;
	struct taxis t;
	taxis_init(&t, tmax, 70, W - R);
	const double y0 = 30, hh = 220, H = y0 + hh + 20;
	fprintf(f, "<svg class=\"compliance\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
		   "%.0f\" role=\"img\" aria-label=\"Compliant hosts over time\">\n",
		W, H, W, H);
	taxis_draw(f, &t, 14, y0, y0 + hh, o->window_s);
	fputs("<g font-size=\"11\" fill=\"#444\">", f);
	for (int p = 0; p <= 100; p += 25) {
		double y = y0 + hh * (1 - p / 100.0);
		fprintf(f, "<line class=\"grid\" x1=\"70\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			   "<text x=\"64\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>",
			W - R, y, y, y + 4, p);
	}
	fprintf(f, "<text x=\"70\" y=\"%.0f\">compliant hosts (replication %ld)</text></g>\n",
		y0 + hh + 16, run->rep);
	for (size_t si = 0; si < run->nstrategies; si++)
		compliance_curve(f, run, &run->st[si], &t, y0, hh);
	fputs("</svg>\n<p class=\"legend\">", f);
	for (size_t si = 0; si < run->nstrategies; si++)
		fprintf(f, "<span data-strategy=\"%s\"><i style=\"background:%s\"></i>%s</span>",
			strat_key(run->st[si].strategy),
			run->st[si].strategy == SCENARIO_STRATEGY_CLASSIC ? "#e69f00" : "#0072b2",
			plot_strategy_label(run->st[si].strategy));
	fputs("</p>\n", f);
}

int report_html__charts(FILE *f, const struct plot_run *run, const struct report_html_opts *o)
{
	int rc = timeline(f, run, o);
	if (rc < 0)
		return rc;
	compliance(f, run, o);
	return 0;
}
