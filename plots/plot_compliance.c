/*
 * plot_compliance: compliant hosts (%) over time; see plot.h.
 *
 * With one replication in compliance.csv the curve is its exact step
 * function. With several, every replication's step function is sampled
 * on a grid of GRID times; the curve is the median and the band the 5th
 * to 95th percentile at each grid time (type-7 quantiles, as
 * sim/stats.c). The median time to full compliance is summary.json's
 * time_to_compliance_s.p50 (over the replications that got there).
 */
#include "plots/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID 800
#define LEFT 90.0
#define RIGHT 36.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile(const double *sorted, size_t n, double q)
{
	double hh = (double)(n - 1) * q;
	size_t lo = (size_t)floor(hh);
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (hh - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/*
 * Samples each replication's step curve (percent compliant) at grid times
 * t_i = i * tmax / (GRID - 1); vals[rep * GRID + i]. Returns the number of
 * replications, or 0 when out of memory.
 */
static size_t sample(const struct plot_strategy *st, double tmax, double **out)
{
	size_t nreps = st->compliance_reps;
	double *v = malloc(nreps * GRID * sizeof(double));
	if (!v)
		return 0;
	size_t rep = 0, k = 0;
	while (k < st->nsteps && rep < nreps) {
		size_t e = k;
		while (e < st->nsteps && st->steps[e].rep == st->steps[k].rep)
			e++;
		size_t j = k;
		double cur = 0;
		for (size_t i = 0; i < GRID; i++) {
			double t = tmax * (double)i / (GRID - 1);
			while (j < e && st->steps[j].t_s <= t) {
				cur = st->steps[j].total ? 100.0 * st->steps[j].compliant / st->steps[j].total : 0;
				j++;
			}
			v[rep * GRID + i] = cur;
		}
		rep++;
		k = e;
	}
	*out = v;
	return rep;
}

int plot__compliance(cairo_t *cr, double w, double h, const struct plot_run *r,
                     const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen)
{
	const struct plot_strategy *draw[2];
	const struct output_strategy *sums[2];
	size_t nd = 0;
	double tmax = 0;
	for (size_t i = 0; i < r->nstrategies; i++) {
		const struct plot_strategy *st = &r->st[i];
		if (!plot__wanted(o, st->strategy) || !st->nsteps)
			continue;
		sums[nd] = &r->sum.strategies[i];
		draw[nd++] = st;
		for (size_t k = 0; k < st->nsteps; k++)
			if (st->steps[k].t_s > tmax)
				tmax = st->steps[k].t_s;
		double p50 = r->sum.strategies[i].time_to_compliance_s.p50;
		if (p50 > tmax)
			tmax = p50;
	}
	if (!nd) {
		if (!(r->have & PLOT_FILE_COMPLIANCE))
			plot__errf(msg, msglen, "%s: no compliance.csv: the compliance chart needs it", r->dir);
		else
			return plot__no_data(cr, w, h, "Compliant hosts over time",
			                     o->strategy >= 0 ? "compliance.csv has no rows for that strategy"
			                                      : "compliance.csv has no rows.",
			                     lay);
		return -EINVAL;
	}
	if (!(tmax > 0))
		tmax = 1;
	tmax *= 1.04;
	if (isfinite(o->window_s) && o->window_s * 1.04 > tmax)
		tmax = o->window_s * 1.04; /* the window is always on the chart */

	char cap[512], sub[1024];
	plot__run_caption(&r->sum, cap, sizeof(cap));
	bool band = false;
	for (size_t i = 0; i < nd; i++)
		band = band || draw[i]->compliance_reps > 1;
	if (band)
		snprintf(sub, sizeof(sub), "%s. Line: the median share of compliant hosts over %zu "
		                           "replications; band: 5th to 95th percentile of them.",
		         cap, draw[0]->compliance_reps);
	else
		snprintf(sub, sizeof(sub), "%s. Replication %u only (run with --all-replications for "
		                           "the spread over replications).",
		         cap, draw[0]->steps[0].rep);
	double y = plot_draw_title(cr, w, "Compliant hosts over time", sub);

	struct plot_legend_item items[8];
	size_t ni = 0;
	char labels[8][160];
	for (size_t i = 0; i < nd; i++) {
		const char *nm = plot_strategy_label(draw[i]->strategy);
		snprintf(labels[ni], sizeof(labels[ni]), "%s%s", nm,
		         draw[i]->compliance_reps > 1 ? " (median, 5-95% band)" : "");
		items[ni] = (struct plot_legend_item){labels[ni], plot_strategy_color(draw[i]->strategy),
		                                      draw[i]->compliance_reps > 1 ? PLOT_MARK_BAND
		                                      : i ? PLOT_MARK_DASH
		                                          : PLOT_MARK_LINE};
		ni++;
	}
	for (size_t i = 0; i < nd; i++) {
		if (!isfinite(sums[i]->time_to_compliance_s.p50))
			continue;
		snprintf(labels[ni], sizeof(labels[ni]), "median time to full compliance, %s",
		         plot_strategy_label(draw[i]->strategy));
		items[ni] = (struct plot_legend_item){labels[ni], plot_strategy_color(draw[i]->strategy),
		                                      PLOT_MARK_VLINE};
		ni++;
	}
	if (isfinite(o->window_s)) {
		snprintf(labels[ni], sizeof(labels[ni]), "maintenance window");
		items[ni] = (struct plot_legend_item){labels[ni], PLOT_VERMILLION, PLOT_MARK_VLINE};
		ni++;
	}
	double lh = plot_draw_legend(cr, LEFT, y, w - LEFT - RIGHT, items, ni, true, &lay->legend);
	lay->nlegend = ni;
	y += lh + 16;

	struct plot_rect area = {LEFT, y, w - LEFT - RIGHT, h - y - 66};
	lay->area = area;
	lay->npanels = 1;
	struct plot_axis ax, ay;
	plot_axis_nice(&ax, 0, tmax, 10, true);
	ax.px0 = area.x;
	ax.px1 = area.x + area.w;
	ay.lo = 0;
	ay.hi = 100;
	ay.log = false;
	ay.step = 20;
	ay.unit = 1;
	ay.unit_name = NULL;
	ay.px0 = area.y + area.h;
	ay.px1 = area.y;
	plot_set_color(cr, PLOT_PANEL);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_fill(cr);
	plot_draw_yaxis(cr, &area, &ay, "Compliant hosts", "%", 28, false);
	plot_draw_xaxis(cr, &area, &ax, "Time since remediation started", true, true);

	cairo_save(cr);
	cairo_rectangle(cr, area.x - 2, area.y - 3, area.w + 4, area.h + 6);
	cairo_clip(cr);
	for (size_t i = 0; i < nd; i++) {
		const struct plot_strategy *st = draw[i];
		struct plot_rgb c = plot_strategy_color(st->strategy);
		double dash[] = {7, 4};
		if (st->compliance_reps > 1) {
			double *v = NULL;
			size_t n = sample(st, ax.hi, &v);
			double *col = malloc((n ? n : 1) * sizeof(double));
			double *lo = malloc(GRID * sizeof(double)), *md = malloc(GRID * sizeof(double)),
			       *hi = malloc(GRID * sizeof(double));
			if (!n || !col || !lo || !md || !hi) {
				free(v);
				free(col);
				free(lo);
				free(md);
				free(hi);
				cairo_restore(cr);
				plot__errf(msg, msglen, "out of memory drawing the compliance chart");
				return -ENOMEM;
			}
			for (size_t g = 0; g < GRID; g++) {
				for (size_t k = 0; k < n; k++)
					col[k] = v[k * GRID + g];
				qsort(col, n, sizeof(double), cmp_double);
				lo[g] = quantile(col, n, 0.05);
				md[g] = quantile(col, n, 0.5);
				hi[g] = quantile(col, n, 0.95);
			}
			double dx = (ax.px1 - ax.px0) / (GRID - 1);
			plot_set_color_alpha(cr, c, 0.22);
			for (size_t g = 0; g < GRID; g++) {
				double x = ax.px0 + dx * (double)g;
				if (g == 0)
					cairo_move_to(cr, x, plot_axis_map(&ay, hi[g]));
				else
					cairo_line_to(cr, x, plot_axis_map(&ay, hi[g]));
			}
			for (size_t g = GRID; g-- > 0;)
				cairo_line_to(cr, ax.px0 + dx * (double)g, plot_axis_map(&ay, lo[g]));
			cairo_close_path(cr);
			cairo_fill(cr);
			plot_set_color(cr, c);
			cairo_set_line_width(cr, 2.5);
			if (i)
				cairo_set_dash(cr, dash, 2, 0);
			for (size_t g = 0; g < GRID; g++) {
				double x = ax.px0 + dx * (double)g, yy = plot_axis_map(&ay, md[g]);
				if (g == 0)
					cairo_move_to(cr, x, yy);
				else {
					cairo_line_to(cr, x, plot_axis_map(&ay, md[g - 1]));
					cairo_line_to(cr, x, yy);
				}
			}
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
			free(v);
			free(col);
			free(lo);
			free(md);
			free(hi);
			lay->band = true;
		} else {
			/* exact steps, thinned to one vertex pair per pixel column */
			plot_set_color(cr, c);
			cairo_set_line_width(cr, 2.5);
			if (i)
				cairo_set_dash(cr, dash, 2, 0);
			double prev = 0, lastx = -1;
			cairo_move_to(cr, ax.px0, plot_axis_map(&ay, 0));
			for (size_t k = 0; k < st->nsteps; k++) {
				const struct plot_step *s = &st->steps[k];
				double v = s->total ? 100.0 * s->compliant / s->total : 0;
				double x = plot_axis_map(&ax, s->t_s);
				if (x - lastx < 0.5 && k + 1 < st->nsteps &&
				    st->steps[k + 1].t_s <= s->t_s + (ax.hi / (ax.px1 - ax.px0)) * 0.5) {
					continue; /* a later step in the same pixel column */
				}
				cairo_line_to(cr, x, plot_axis_map(&ay, prev));
				cairo_line_to(cr, x, plot_axis_map(&ay, v));
				prev = v;
				lastx = x;
			}
			cairo_line_to(cr, ax.px1, plot_axis_map(&ay, prev));
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		lay->nseries++;
	}
	/* the median time to full compliance, and the window */
	double label_y = area.y + 12;
	for (size_t i = 0; i < nd; i++) {
		double t = sums[i]->time_to_compliance_s.p50;
		if (!isfinite(t))
			continue;
		struct plot_rgb c = plot_strategy_color(draw[i]->strategy);
		double x = round(plot_axis_map(&ax, t)) + 0.5, d[] = {5, 4};
		plot_set_color(cr, c);
		cairo_set_line_width(cr, 1.6);
		cairo_set_dash(cr, d, 2, 0);
		cairo_move_to(cr, x, area.y);
		cairo_line_to(cr, x, area.y + area.h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		char lab[160], dur[32];
		const struct stat_summary *s = &sums[i]->time_to_compliance_s;
		if ((long)s->n < r->sum.replications)
			snprintf(lab, sizeof(lab), "%s (median of the %zu of %ld replications that got there)",
			         plot_fmt_duration(dur, sizeof(dur), t), s->n, r->sum.replications);
		else
			snprintf(lab, sizeof(lab), "100%% at %s", plot_fmt_duration(dur, sizeof(dur), t));
		double tw = plot_text_width(cr, lab, PLOT_FS_SMALL, PLOT_BOLD);
		bool left = x + 6 + tw > area.x + area.w;
		plot_set_color(cr, PLOT_WHITE);
		cairo_rectangle(cr, left ? x - 8 - tw : x + 4, label_y - 8, tw + 6, 17);
		cairo_fill(cr);
		plot_text(cr, left ? x - 5 : x + 7, label_y, lab, PLOT_FS_SMALL, PLOT_BOLD, c,
		          left ? 1 : 0, 0.5);
		label_y += 20;
	}
	if (isfinite(o->window_s)) {
		double x = round(plot_axis_map(&ax, o->window_s)) + 0.5, d[] = {2, 3};
		plot_set_color(cr, PLOT_VERMILLION);
		cairo_set_line_width(cr, 2);
		cairo_set_dash(cr, d, 2, 0);
		cairo_move_to(cr, x, area.y);
		cairo_line_to(cr, x, area.y + area.h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		char lab[64], dur[32];
		snprintf(lab, sizeof(lab), "window %s", plot_fmt_duration(dur, sizeof(dur), o->window_s));
		plot_text(cr, x - 5, area.y + area.h - 12, lab, PLOT_FS_SMALL, PLOT_BOLD, PLOT_VERMILLION,
		          1, 0.5);
	}
	cairo_restore(cr);
	snprintf(lay->note, sizeof(lay->note), "%s", band ? "" : "single replication");
	return 0;
}
