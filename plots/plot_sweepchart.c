/*
 * plot_sweepchart: a metric against one sweep axis, mean and 95% CI per
 * strategy (and per combination of the other axes' values), with the
 * maintenance window as a horizontal line; see plot.h. Numeric axes are
 * drawn to scale (logarithmic when the values span a factor of 8 or more,
 * as parallelism 1, 2, 4, 8 does), others as evenly spaced categories;
 * ticks sit at the swept values themselves.
 */
#include "plots/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEFT 96.0
#define RIGHT 36.0
#define MAX_COMBOS 6

/* Words for the last key of a sweep path (plot_param_words). */
static const struct {
	const char *key;
	const char *words;
} param_words[] = {
	{"max_hosts", "max hosts in parallel"},
	{"max_concurrent", "concurrent vMotions per host"},
	{"retry_count", "retries per host"},
	{"retry_delay", "delay between retries"},
	{"patch_failure_prob", "patch failure probability"},
	{"fsr_failure_prob", "FSR failure probability"},
	{"vmotion_failure_prob", "vMotion failure probability"},
	{"dirty_mb_per_s", "memory dirtied per VM (MB/s)"},
	{"memory_gb", "memory (GB)"},
	{"cores", "cores per host"},
	{"vcpus", "vCPUs per VM"},
	{"admission_control_pct", "HA admission control (%)"},
	{"failed_host_tolerance_pct", "failed hosts tolerated (%)"},
	{"replications", "replications"},
};

char *plot_param_words(const char *path, char *buf, size_t len)
{
	const char *last = strrchr(path, '.');
	last = last ? last + 1 : path;
	if (!strcmp(last, "count")) {
		/* clusters[0].vms[web-%03d].count: the VMs of a group, clusters[...].hosts[...] */
		const char *v = strstr(path, "vms[");
		const char *h = strstr(path, "hosts[");
		const char *g = v ? v + 4 : h ? h + 6 : NULL;
		const char *e = g ? strchr(g, ']') : NULL;
		/* the group's name pattern up to its number: "web-%03d" -> "web" */
		const char *pct = g ? memchr(g, '%', e ? (size_t)(e - g) : 0) : NULL;
		const char *ge = pct ? pct : e;
		while (ge && ge > g && (ge[-1] == '-' || ge[-1] == '_' || ge[-1] == '.'))
			ge--;
		if (ge == g)
			ge = e;
		if (g && e && !strncmp(path, "clusters[", 9))
			snprintf(buf, len, "%.*s %s per cluster", (int)(ge - g), g, v ? "VMs" : "hosts");
		else if (g && e)
			snprintf(buf, len, "%.*s %s", (int)(ge - g), g, v ? "VMs" : "hosts");
		else
			snprintf(buf, len, "count (%s)", path);
		return buf;
	}
	for (size_t i = 0; i < sizeof(param_words) / sizeof(param_words[0]); i++)
		if (!strcmp(last, param_words[i].key)) {
			snprintf(buf, len, "%s", param_words[i].words);
			return buf;
		}
	size_t n = 0;
	for (const char *c = last; *c && n + 1 < len; c++)
		buf[n++] = *c == '_' ? ' ' : *c;
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return buf;
}

/* Which axis is x: o->axis, else the first with several values. -1 when o->axis is unknown. */
static long x_axis(const struct plot_sweep *s, const struct plot_opts *o)
{
	if (o->axis) {
		for (size_t a = 0; a < s->naxes; a++)
			if (!strcmp(s->axes[a].path, o->axis))
				return (long)a;
		return -1;
	}
	for (size_t a = 0; a < s->naxes; a++)
		if (s->axes[a].nvalues > 1)
			return (long)a;
	return 0;
}

/*
 * The value index on each axis (idx[axis]) of combination c of the axes
 * other than xa, the last axis varying fastest, with value v on xa.
 */
static void combo_index(const struct plot_sweep *s, long xa, size_t c, size_t v, size_t *idx)
{
	size_t rest = c;
	for (size_t a = s->naxes; a-- > 0;) {
		if ((long)a == xa) {
			idx[a] = v;
			continue;
		}
		idx[a] = rest % s->axes[a].nvalues;
		rest /= s->axes[a].nvalues;
	}
}

/*
 * Draws one series: the line through its means (dashed when dashed), then
 * at each mean its 95% CI bar and marker shape `marker`. st[v] is the
 * statistic at the x value v (at xs[v] + dodge), NULL where there is none.
 */
static void draw_series(cairo_t *cr, const struct stat_summary *const *st, const double *xs,
                        size_t nv, double dodge, const struct plot_axis *ay, struct plot_rgb col,
                        int marker, bool dashed)
{
	bool pen = false;
	for (size_t v = 0; v < nv; v++) {
		if (!st[v] || !isfinite(st[v]->mean)) {
			pen = false;
			continue;
		}
		double x = xs[v] + dodge, ym = plot_axis_map(ay, st[v]->mean);
		if (pen)
			cairo_line_to(cr, x, ym);
		else
			cairo_move_to(cr, x, ym);
		pen = true;
	}
	plot_set_color(cr, col);
	cairo_set_line_width(cr, 2.2);
	if (dashed) {
		double d[] = {7, 4};
		cairo_set_dash(cr, d, 2, 0);
	}
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	for (size_t v = 0; v < nv; v++) {
		if (!st[v] || !isfinite(st[v]->mean))
			continue;
		double x = xs[v] + dodge, ym = plot_axis_map(ay, st[v]->mean);
		plot_set_color(cr, col);
		if (isfinite(st[v]->ci95_lo) && isfinite(st[v]->ci95_hi)) {
			double y0 = plot_axis_map(ay, st[v]->ci95_lo),
			       y1 = plot_axis_map(ay, st[v]->ci95_hi);
			cairo_set_line_width(cr, 1.6);
			cairo_move_to(cr, x, y0);
			cairo_line_to(cr, x, y1);
			cairo_move_to(cr, x - 5, y0);
			cairo_line_to(cr, x + 5, y0);
			cairo_move_to(cr, x - 5, y1);
			cairo_line_to(cr, x + 5, y1);
			cairo_stroke(cr);
		}
		plot_draw_marker(cr, marker, x, ym, 4.5);
	}
}

int plot__sweep(cairo_t *cr, double w, double h, const struct plot_sweep *s,
                const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen)
{
	const struct plot_metric *m = plot_metric_find(o->metric);
	if (!m) {
		char names[256];
		plot__errf(msg, msglen, "unknown metric '%s' (want one of %s)", o->metric,
		           plot_metric_names(names, sizeof(names)));
		return -EINVAL;
	}
	long xa = x_axis(s, o);
	if (xa < 0) {
		plot__errf(msg, msglen, "%s/sweep.json has no axis '%s'", s->dir, o->axis);
		return -EINVAL;
	}
	const struct plot_sweep_axis *X = &s->axes[xa];
	/* strategies: those of the first point, filtered */
	enum scenario_strategy strat[2];
	size_t ns = 0;
	const struct output_summary *s0 = &s->points[0].sum;
	for (size_t i = 0; i < s0->nstrategies; i++)
		if (plot__wanted(o, s0->strategies[i].strategy))
			strat[ns++] = s0->strategies[i].strategy;
	if (!ns) {
		plot__errf(msg, msglen, "%s/sweep.json: no point holds that strategy", s->dir);
		return -EINVAL;
	}
	/* combinations of the other axes' values */
	size_t ncombo = 1;
	for (size_t a = 0; a < s->naxes; a++)
		if ((long)a != xa)
			ncombo = ncombo > 100000 / s->axes[a].nvalues ? 100000 : ncombo * s->axes[a].nvalues;
	size_t drawn_combos = ncombo > MAX_COMBOS ? MAX_COMBOS : ncombo;

	/* the statistic of each series at each x value: [strategy][combination][value] */
	size_t nvals = X->nvalues;
	const struct stat_summary **stats = calloc(ns * drawn_combos * nvals, sizeof(*stats));
	if (!stats) {
		plot__errf(msg, msglen, "out of memory drawing the sweep chart");
		return -ENOMEM;
	}
	size_t idx[PLOT_SWEEP_MAX_AXES];
	for (size_t c = 0; c < drawn_combos; c++)
		for (size_t v = 0; v < nvals; v++) {
			combo_index(s, xa, c, v, idx);
			const struct plot_sweep_point *p = plot_sweep_find(s, idx);
			for (size_t k = 0; p && k < ns; k++) {
				const struct output_strategy *os =
				    plot_summary_strategy(&p->sum, strat[k]);
				stats[(k * drawn_combos + c) * nvals + v] = os ? m->get(os) : NULL;
			}
		}

	/* y range */
	double ymax = 0, ymin = INFINITY;
	for (size_t c = 0; c < drawn_combos; c++)
		for (size_t v = 0; v < nvals; v++)
			for (size_t k = 0; k < ns; k++) {
				const struct stat_summary *st =
				    stats[(k * drawn_combos + c) * nvals + v];
				if (!st)
					continue;
				double top = isfinite(st->ci95_hi) ? st->ci95_hi : st->mean;
				double bot = isfinite(st->ci95_lo) ? st->ci95_lo : st->mean;
				if (top > ymax)
					ymax = top;
				if (st->mean > 0 && st->mean < ymin)
					ymin = st->mean;
				if (bot > 0 && bot < ymin)
					ymin = bot;
			}
	bool window = m->time && isfinite(o->window_s);
	if (window && o->window_s > ymax)
		ymax = o->window_s;
	if (!(ymax > 0))
		ymax = 1;

	char sub[1024], cnt[32];
	snprintf(sub, sizeof(sub),
	         "Sweep of scenario %s: %zu point%s, %ld replication%s each, seed %llu. Mean and 95%% "
	         "confidence interval of the mean.",
	         s0->scenario_name, s->npoints, s->npoints == 1 ? "" : "s", s0->replications,
	         s0->replications == 1 ? "" : "s", (unsigned long long)s0->seed);
	char title[512], xwords[256];
	plot_param_words(X->path, xwords, sizeof(xwords));
	snprintf(title, sizeof(title), "%s against %s", m->label, xwords);
	double y = plot_draw_title(cr, w, title, sub);

	/* legend: one entry per series */
	struct plot_legend_item items[2 * MAX_COMBOS + 1];
	char labels[2 * MAX_COMBOS + 1][200];
	size_t ni = 0;
	for (size_t k = 0; k < ns; k++)
		for (size_t c = 0; c < drawn_combos; c++) {
			size_t n = (size_t)snprintf(labels[ni], sizeof(labels[ni]), "%s",
			                            plot_strategy_label(strat[k]));
			combo_index(s, xa, c, 0, idx);
			for (size_t a = s->naxes; a-- > 0;) {
				const struct plot_sweep_axis *A = &s->axes[a];
				char aw[160];
				if ((long)a != xa && A->nvalues > 1 && n < sizeof(labels[ni]))
					n += (size_t)snprintf(labels[ni] + n,
					                      sizeof(labels[ni]) - n, ", %s %s",
					                      A->values[idx[a]],
					                      plot_param_words(A->path, aw, sizeof(aw)));
			}
			items[ni] = (struct plot_legend_item){labels[ni], plot_strategy_color((int)strat[k]),
			                                      (enum plot_mark)(PLOT_MARK_DOT + (int)(c % 4))};
			ni++;
		}
	if (window)
		items[ni++] = (struct plot_legend_item){"maintenance window", PLOT_VERMILLION,
		                                        PLOT_MARK_DASH};
	double lh = plot_draw_legend(cr, LEFT, y, w - LEFT - RIGHT, items, ni, true, &lay->legend);
	lay->nlegend = ni;
	y += lh + 16;

	struct plot_rect area = {LEFT, y, w - LEFT - RIGHT, h - y - 70};
	lay->area = area;
	lay->npanels = 1;
	struct plot_axis ay;
	bool logy = isfinite(ymin) && ymax / ymin > 30;
	if (window && o->window_s < ymin)
		ymin = o->window_s;
	if (logy)
		plot_axis_log(&ay, ymin, ymax);
	else
		plot_axis_nice(&ay, 0, ymax * 1.05, 6, m->time);
	ay.px0 = area.y + area.h;
	ay.px1 = area.y;
	plot_set_color(cr, PLOT_PANEL);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_fill(cr);
	char ylab[128];
	snprintf(ylab, sizeof(ylab), "%s%s%s%s%s", m->label, m->unit ? " (" : "", m->unit ? m->unit : "",
	         m->unit ? ")" : "", logy ? " (log scale)" : "");
	plot_draw_yaxis(cr, &area, &ay, ylab, NULL, 28, m->time);

	/* x positions of the values */
	double xs[4096];
	size_t nv = X->nvalues < 4096 ? X->nvalues : 4096;
	double pad = area.w * 0.06;
	bool logx = false;
	double mn = INFINITY, mx = -INFINITY;
	if (X->numeric) {
		for (size_t v = 0; v < nv; v++) {
			mn = X->num[v] < mn ? X->num[v] : mn;
			mx = X->num[v] > mx ? X->num[v] : mx;
		}
		logx = mn > 0 && mx / mn >= 8;
	}
	for (size_t v = 0; v < nv; v++) {
		double t;
		if (!X->numeric || !(mx > mn))
			t = nv > 1 ? (double)v / (double)(nv - 1) : 0.5;
		else if (logx)
			t = (log(X->num[v]) - log(mn)) / (log(mx) - log(mn));
		else
			t = (X->num[v] - mn) / (mx - mn);
		xs[v] = area.x + pad + t * (area.w - 2 * pad);
	}
	/* x axis: ticks at the values */
	cairo_save(cr);
	plot_set_color(cr, PLOT_GRID);
	cairo_set_line_width(cr, 1);
	for (size_t v = 0; v < nv; v++) {
		cairo_move_to(cr, round(xs[v]) + 0.5, area.y);
		cairo_line_to(cr, round(xs[v]) + 0.5, area.y + area.h);
	}
	cairo_stroke(cr);
	plot_set_color(cr, PLOT_AXIS);
	cairo_move_to(cr, area.x, round(area.y + area.h) + 0.5);
	cairo_line_to(cr, area.x + area.w, round(area.y + area.h) + 0.5);
	cairo_stroke(cr);
	double every = 1;
	double minsep = 1e9;
	for (size_t v = 1; v < nv; v++)
		minsep = fabs(xs[v] - xs[v - 1]) < minsep ? fabs(xs[v] - xs[v - 1]) : minsep;
	if (minsep < 40)
		every = ceil(40 / minsep);
	for (size_t v = 0; v < nv; v++)
		if (v % (size_t)every == 0)
			plot_text(cr, xs[v], area.y + area.h + 9, X->values[v], PLOT_FS_TICK, PLOT_REGULAR,
			          PLOT_TEXT, 0.5, 0);
	char xl[600];
	plot_fmt_capital(xl, sizeof(xl), xwords);
	snprintf(xl + strlen(xl), sizeof(xl) - strlen(xl), "%s", logx ? " (log scale)" : "");
	plot_text(cr, area.x + area.w / 2, area.y + area.h + 32, xl, PLOT_FS_LABEL, PLOT_REGULAR,
	          PLOT_TEXT, 0.5, 0);
	cairo_restore(cr);

	if (window) {
		double wy = round(plot_axis_map(&ay, o->window_s)) + 0.5, d[] = {8, 4};
		plot_set_color(cr, PLOT_VERMILLION);
		cairo_set_line_width(cr, 2);
		cairo_set_dash(cr, d, 2, 0);
		cairo_move_to(cr, area.x, wy);
		cairo_line_to(cr, area.x + area.w, wy);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		char lab[64], dur[32];
		snprintf(lab, sizeof(lab), "window %s", plot_fmt_duration(dur, sizeof(dur), o->window_s));
		plot_text(cr, area.x + area.w - 6, wy - 9, lab, PLOT_FS_SMALL, PLOT_BOLD, PLOT_VERMILLION,
		          1, 0.5);
	}

	/* series */
	size_t nser = ns * drawn_combos, si = 0;
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y - 4, area.w, area.h + 8);
	cairo_clip(cr);
	for (size_t k = 0; k < ns; k++)
		for (size_t c = 0; c < drawn_combos; c++, si++) {
			double dodge = ((double)si - (double)(nser - 1) / 2) * 5;
			draw_series(cr, stats + (k * drawn_combos + c) * nvals, xs, nv, dodge, &ay,
			            plot_strategy_color((int)strat[k]), (int)c, k > 0);
			lay->nseries++;
		}
	cairo_restore(cr);
	char note[1024] = "";
	size_t nn = (size_t)snprintf(note, sizeof(note), "x: %s. ", X->path);
	if (ncombo > drawn_combos)
		snprintf(note + nn, sizeof(note) - nn,
		         "%s combinations of the other axes' values; the first %d are drawn (choose the x "
		         "axis with --axis).",
		         plot_fmt_count(cnt, sizeof(cnt), (double)ncombo), MAX_COMBOS);
	else if (isfinite(o->window_s) && !m->time)
		snprintf(note + nn, sizeof(note) - nn,
		         "The maintenance window applies to time metrics only.");
	if (*note)
		plot_draw_note(cr, LEFT, h - 14, w - LEFT - RIGHT, note);
	snprintf(lay->note, sizeof(lay->note), "%s", note);
	free(stats);
	return 0;
}
