/*
 * plot_downtime: the distribution (CDF) of per-VM downtime, one panel per
 * strategy, one curve per kind of downtime (vms.csv's remediation): FSR
 * stun, vMotion stun, power cycle, powered off or suspended, and all VMs
 * together; see plot.h. The time axis is logarithmic, so VMs with no
 * downtime are counted in the panel's header instead. The CDF is
 * evaluated on LOG_BINS logarithmic bins (one pass, no sort): exact at
 * the bin edges, which are finer than a pixel.
 */
#include "plots/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/record.h"

#define LOG_BINS 1200
#define LEFT 90.0
#define RIGHT 30.0
#define GAP 70.0

enum kind { K_FSR, K_VMOTION, K_CYCLE, K_OFF, K_OTHER, K_ALL, K_N };

static const char *const kind_label[K_N] = {"FSR stun",        "vMotion stun",
                                            "power cycle",     "powered off / suspended",
                                            "other (HA restart...)", "all VMs with downtime"};

static struct plot_rgb kind_color(enum kind k)
{
	switch (k) {
	case K_FSR:
		return PLOT_PURPLE;
	case K_VMOTION:
		return PLOT_BLUE;
	case K_CYCLE:
		return PLOT_VERMILLION;
	case K_OFF:
		return PLOT_ORANGE;
	case K_OTHER:
		return PLOT_GREEN;
	default:
		return PLOT_BLACK;
	}
}

static enum kind kind_of(unsigned rem)
{
	switch (rem) {
	case REC_REM_FSR:
		return K_FSR;
	case REC_REM_VMOTION:
		return K_VMOTION;
	case REC_REM_POWER_CYCLE:
		return K_CYCLE;
	case REC_REM_POWER_OFF:
	case REC_REM_SUSPEND:
		return K_OFF;
	default:
		return K_OTHER;
	}
}

struct hist {
	size_t n[K_N];    /* VMs with downtime > 0, per kind */
	size_t zero;      /* rows with no downtime */
	uint32_t *bins;   /* [K_N][LOG_BINS] */
};

/* A kind with fewer than this share of a panel's VMs with downtime draws thin. */
#define MINOR_SHARE 0.05

/* "FSR stun (8,000 VMs)", or with two panels "FSR stun (8,000 live patch, 0 classic)". */
static void legend_label(char *buf, size_t len, enum kind k, const struct plot_strategy *const *draw,
                         const struct hist *hs, size_t nd)
{
	char a[32], b[32];
	if (nd == 1)
		snprintf(buf, len, "%s (%s VM%s)", kind_label[k], plot_fmt_count(a, sizeof(a), (double)hs[0].n[k]),
		         hs[0].n[k] == 1 ? "" : "s");
	else
		snprintf(buf, len, "%s (%s %s, %s %s)", kind_label[k],
		         plot_fmt_count(a, sizeof(a), (double)hs[0].n[k]), plot_strategy_label(draw[0]->strategy),
		         plot_fmt_count(b, sizeof(b), (double)hs[1].n[k]), plot_strategy_label(draw[1]->strategy));
}

int plot__downtime(cairo_t *cr, double w, double h, const struct plot_run *r,
                   const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen)
{
	const struct plot_strategy *draw[2];
	size_t nd = 0;
	double lo = INFINITY, hi = 0;
	for (size_t i = 0; i < r->nstrategies; i++) {
		const struct plot_strategy *st = &r->st[i];
		if (!plot__wanted(o, st->strategy) || !st->nvmrows)
			continue;
		draw[nd++] = st;
		for (size_t k = 0; k < st->nvmrows; k++) {
			double d = st->downtime_s[k];
			if (d > 0 && d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
	}
	if (!nd) {
		if (!(r->have & PLOT_FILE_VMS))
			plot__errf(msg, msglen, "%s: no vms.csv: the downtime chart needs it", r->dir);
		else
			return plot__no_data(cr, w, h, "VM downtime by kind",
			                     o->strategy >= 0 ? "vms.csv has no rows for that strategy."
			                                      : "vms.csv has no rows: the scenario has no VMs.",
			                     lay);
		return -EINVAL;
	}
	if (!(hi > 0)) {
		lo = 0.1;
		hi = 1;
	}
	if (lo < 1e-3)
		lo = 1e-3;
	struct plot_axis ax;
	plot_axis_log(&ax, lo, hi);
	double llo = log10(ax.lo), lhi = log10(ax.hi);

	struct hist hs[2];
	memset(hs, 0, sizeof(hs));
	for (size_t i = 0; i < nd; i++) {
		hs[i].bins = calloc((size_t)K_N * LOG_BINS, sizeof(uint32_t));
		if (!hs[i].bins) {
			free(hs[0].bins);
			plot__errf(msg, msglen, "out of memory drawing the downtime chart");
			return -ENOMEM;
		}
		const struct plot_strategy *st = draw[i];
		for (size_t k = 0; k < st->nvmrows; k++) {
			double d = st->downtime_s[k];
			if (!(d > 0)) {
				hs[i].zero++;
				continue;
			}
			double f = (log10(d) - llo) / (lhi - llo) * LOG_BINS;
			size_t b = f < 0 ? 0 : f >= LOG_BINS ? LOG_BINS - 1 : (size_t)f;
			enum kind kd = kind_of(st->remediation[k]);
			hs[i].bins[kd * LOG_BINS + b]++;
			hs[i].bins[K_ALL * LOG_BINS + b]++;
			hs[i].n[kd]++;
			hs[i].n[K_ALL]++;
		}
	}

	char cap[512], sub[1200];
	plot__run_caption(&r->sum, cap, sizeof(cap));
	size_t reps = draw[0]->vm_reps;
	snprintf(sub, sizeof(sub),
	         "%s. Per-VM downtime over %s; each curve is the share of its own VMs down at "
	         "most that long; the legend counts the VMs of each kind, and kinds under 5%% of "
	         "the VMs with downtime are drawn thin.",
	         cap, reps > 1 ? "every replication" : "one replication");
	double y = plot_draw_title(cr, w, "VM downtime by kind", sub);

	struct plot_legend_item items[K_N];
	char labels[K_N][160];
	size_t ni = 0;
	for (int k = 0; k < K_N; k++) {
		size_t tot = 0;
		for (size_t i = 0; i < nd; i++)
			tot += hs[i].n[k];
		if (!tot)
			continue;
		legend_label(labels[ni], sizeof(labels[ni]), (enum kind)k, draw, hs, nd);
		items[ni] = (struct plot_legend_item){labels[ni], kind_color((enum kind)k),
		                                      k == K_ALL ? PLOT_MARK_DASH : PLOT_MARK_LINE};
		ni++;
	}
	double lh = plot_draw_legend(cr, LEFT, y, w - LEFT - RIGHT, items, ni, true, &lay->legend);
	lay->nlegend = ni;
	y += lh + 14;

	double pw = (w - LEFT - RIGHT - GAP * (double)(nd - 1)) / (double)nd;
	double top = y + 38, bottom = h - 74;
	lay->npanels = nd;
	for (size_t i = 0; i < nd; i++) {
		const struct plot_strategy *st = draw[i];
		const struct output_strategy *os = plot_summary_strategy(&r->sum, st->strategy);
		struct plot_rect area = {LEFT + (double)i * (pw + GAP), top, pw, bottom - top};
		if (i == 0)
			lay->area = area;
		/* header: strategy, counts, the summary's per-VM tail */
		char hdr[160], n1[32], n2[32], d1[32], d2[32], line[400];
		plot_fmt_capital(hdr, sizeof(hdr), plot_strategy_label(st->strategy));
		plot_text(cr, area.x, y + 6, hdr, PLOT_FS_LABEL + 1, PLOT_BOLD,
		          plot_strategy_color(st->strategy), 0, 0.5);
		snprintf(line, sizeof(line), "%s VMs with downtime, %s without%s%s%s%s",
		         plot_fmt_count(n1, sizeof(n1), (double)hs[i].n[K_ALL]),
		         plot_fmt_count(n2, sizeof(n2), (double)hs[i].zero), os ? "; per VM p95 " : "",
		         os ? plot_fmt_duration(d1, sizeof(d1), os->downtime_per_vm_s.p95) : "",
		         os ? ", p99 " : "", os ? plot_fmt_duration(d2, sizeof(d2), os->downtime_per_vm_s.p99) : "");
		char fit[400];
		plot_text(cr, area.x, y + 24,
		          plot_text_fit(cr, line, PLOT_FS_SMALL, PLOT_REGULAR, area.w, fit, sizeof(fit)),
		          PLOT_FS_SMALL, PLOT_REGULAR, PLOT_MUTED, 0, 0.5);

		struct plot_axis a = ax, ay = {0, 100, false, area.y + area.h, area.y, 20, 1, NULL};
		a.px0 = area.x;
		a.px1 = area.x + area.w;
		plot_set_color(cr, PLOT_PANEL);
		cairo_rectangle(cr, area.x, area.y, area.w, area.h);
		cairo_fill(cr);
		plot_draw_yaxis(cr, &area, &ay, i == 0 ? "VMs down at most that long" : NULL, "%", 28,
		                false);
		plot_draw_xaxis(cr, &area, &a, "Downtime per VM (log scale)", true, true);
		cairo_save(cr);
		cairo_rectangle(cr, area.x - 2, area.y - 3, area.w + 4, area.h + 6);
		cairo_clip(cr);
		for (int k = 0; k < K_N; k++) {
			if (!hs[i].n[k])
				continue;
			const uint32_t *b = hs[i].bins + (size_t)k * LOG_BINS;
			double cum = 0, n = (double)hs[i].n[k];
			double bw = area.w / LOG_BINS;
			cairo_move_to(cr, area.x, ay.px0);
			for (size_t j = 0; j < LOG_BINS; j++) {
				if (!b[j])
					continue;
				double x = area.x + bw * (double)j;
				cairo_line_to(cr, x, plot_axis_map(&ay, 100 * cum / n));
				cum += b[j];
				cairo_line_to(cr, x + bw, plot_axis_map(&ay, 100 * cum / n));
			}
			cairo_line_to(cr, area.x + area.w, plot_axis_map(&ay, 100 * cum / n));
			/* a kind of few VMs draws thin and light: 3 power cycles must not
			 * look as weighty as 8,000 FSRs (the legend gives the counts) */
			bool minor = k != K_ALL && n < MINOR_SHARE * (double)hs[i].n[K_ALL];
			lay->nthin += minor;
			plot_set_color_alpha(cr, kind_color((enum kind)k), minor ? 0.55 : 1);
			cairo_set_line_width(cr, k == K_ALL ? 1.8 : minor ? 1.2 : 2.6);
			if (k == K_ALL) {
				double d[] = {6, 4};
				cairo_set_dash(cr, d, 2, 0);
			}
			cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
			lay->nseries++;
		}
		cairo_restore(cr);
	}
	char note[512];
	size_t zero = 0;
	for (size_t i = 0; i < nd; i++)
		zero += hs[i].zero;
	snprintf(note, sizeof(note), "%s",
	         zero ? "VMs with no downtime (powered off from the start, or not remediated) are not on "
	                "the log axis; their numbers are in each panel's header. p95 and p99 are "
	                "summary.json's, over every VM."
	              : "");
	if (*note)
		plot_draw_note(cr, LEFT, h - 14, w - LEFT - RIGHT, note);
	snprintf(lay->note, sizeof(lay->note), "%s", note);
	for (size_t i = 0; i < nd; i++)
		free(hs[i].bins);
	return 0;
}
