/*
 * plot_timeline: the remediation timeline of one replication; see plot.h.
 *
 * States are drawn as bands, several states sharing a band where the two
 * paths have an equivalent (entering partial MM / entering MM, patching /
 * installing); "done" is split at the host's compliant_at_s into "patched,
 * not yet compliant" (FSR-incompatible VMs still to remediate) and
 * "compliant". Per-host lanes draw every span (at least a pixel wide, so
 * a 0.2 s FSR stays visible); cluster lanes stack the share of their
 * hosts in each band over time, integrated exactly per time bin (a
 * difference array: O(1) per span), so 100,000 hosts cost as little as
 * 100 to draw.
 */
#include "plots/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/record.h"

/* ---- bands ------------------------------------------------------------------- */

enum band {
	B_PENDING,
	B_ENTER,
	B_MOUNT,
	B_PATCH,
	B_RETRY,
	B_FSR,
	B_REBOOT,
	B_EXIT,
	B_FAILED,
	B_BLOCKED,
	B_AWAIT,
	B_DONE,
	B_N
};

/* Bottom to top in cluster lanes: the lifecycle backwards, pending on top. */
static const enum band stack_order[B_N] = {B_DONE,  B_AWAIT, B_EXIT,  B_FSR,    B_REBOOT,  B_PATCH,
                                           B_MOUNT, B_ENTER, B_RETRY, B_FAILED, B_BLOCKED, B_PENDING};

/* Legend order: the lifecycle forwards. */
static const enum band legend_order[B_N] = {B_PENDING, B_ENTER, B_MOUNT,  B_PATCH,   B_FSR,   B_REBOOT,
                                            B_EXIT,    B_AWAIT, B_DONE,   B_RETRY,   B_FAILED, B_BLOCKED};

static struct plot_rgb band_color(enum band b)
{
	switch (b) {
	case B_PENDING:
		return (struct plot_rgb){0.89, 0.89, 0.89};
	case B_ENTER:
		return PLOT_SKY;
	case B_MOUNT:
		return PLOT_BLUE;
	case B_PATCH:
		return PLOT_GREEN;
	case B_RETRY:
		return PLOT_YELLOW;
	case B_FSR:
		return PLOT_PURPLE;
	case B_REBOOT:
		return PLOT_ORANGE;
	case B_EXIT:
		return plot_tint(PLOT_SKY, 0.55);
	case B_FAILED:
		return PLOT_VERMILLION;
	case B_BLOCKED:
		return (struct plot_rgb){0.25, 0.25, 0.25};
	case B_AWAIT:
		return plot_tint(PLOT_VERMILLION, 0.62);
	case B_DONE:
	default:
		return plot_tint(PLOT_GREEN, 0.72);
	}
}

static enum band band_of(unsigned st)
{
	switch (st) {
	case REC_ST_PENDING:
		return B_PENDING;
	case REC_ST_ENTERING_PARTIAL_MM:
	case REC_ST_ENTERING_MM:
		return B_ENTER;
	case REC_ST_MOUNTING:
		return B_MOUNT;
	case REC_ST_PATCHING:
	case REC_ST_INSTALLING:
		return B_PATCH;
	case REC_ST_ROLLBACK:
	case REC_ST_RETRY_WAIT:
		return B_RETRY;
	case REC_ST_FSR:
		return B_FSR;
	case REC_ST_REBOOTING:
		return B_REBOOT;
	case REC_ST_EXITING_PARTIAL_MM:
	case REC_ST_EXITING_MM:
		return B_EXIT;
	case REC_ST_FAILED:
		return B_FAILED;
	case REC_ST_BLOCKED:
		return B_BLOCKED;
	default:
		return B_DONE;
	}
}

/* The legend label of band b given the states present (bits of enum rec_state). */
static const char *band_label(enum band b, unsigned states)
{
	bool pmm = states & (1u << REC_ST_ENTERING_PARTIAL_MM | 1u << REC_ST_EXITING_PARTIAL_MM);
	bool mm = states & (1u << REC_ST_ENTERING_MM | 1u << REC_ST_EXITING_MM);
	bool patch = states & (1u << REC_ST_PATCHING), inst = states & (1u << REC_ST_INSTALLING);
	bool rb = states & (1u << REC_ST_ROLLBACK), rw = states & (1u << REC_ST_RETRY_WAIT);
	switch (b) {
	case B_PENDING:
		return "pending";
	case B_ENTER:
		return pmm && mm ? "entering (partial) MM" : pmm ? "entering partial MM" : "entering MM";
	case B_MOUNT:
		return "mounting";
	case B_PATCH:
		return patch && inst ? "patching / installing" : patch ? "patching" : "installing";
	case B_RETRY:
		return rb && rw ? "rollback / retry wait" : rb ? "rollback" : "retry wait";
	case B_FSR:
		return "FSR";
	case B_REBOOT:
		return "rebooting";
	case B_EXIT:
		return pmm && mm ? "exiting (partial) MM" : pmm ? "exiting partial MM" : "exiting MM";
	case B_FAILED:
		return "failed";
	case B_BLOCKED:
		return "blocked";
	case B_AWAIT:
		return "patched, awaiting compliance";
	default:
		return "compliant";
	}
}

/* ---- the plan: panels, lanes, sizes -------------------------------------------- */

#define MAX_PANELS 2

/* FSR ticks: a darker purple than the FSR band, to stand out on it. */
static const struct plot_rgb FSR_TICK = {0.55, 0.22, 0.45};

struct panel {
	const struct plot_strategy *st;
	bool agg;
	size_t nlanes;   /* hosts, or cluster groups */
	size_t group;    /* agg, not ranked: clusters per lane */
	bool ranked;     /* agg: lanes are the worst clusters, the last one all the others */
	uint32_t *lane_of;                     /* ranked: the lane of each cluster (owned) */
	size_t lane_cl[PLOT_CLUSTER_LANES_MAX]; /* ranked: each lane's cluster; SIZE_MAX: the others */
	bool headers;    /* per-host: a header row per cluster */
	double lane_h;
	double top;      /* y of the panel header */
	double lanes_y;  /* y of the first lane */
	double height;   /* header + lanes */
	double t_end;    /* the last span's end (s) */
};

struct plan {
	size_t npanels;
	struct panel p[MAX_PANELS];
	double t_end;      /* the shared time axis' end (s) */
	bool own_axes;     /* each panel has its own time axis (their spans differ a lot) */
	unsigned states;   /* rec_state bits present in the drawn spans */
	bool done_split;   /* some host was patched before it became compliant */
	bool ticks;        /* FSR / vMotion ticks will be drawn */
	bool have_vms;     /* vms.csv was read */
	struct plot_legend_item legend[B_N + 2];
	size_t nlegend;
	double label_w;    /* left column of lane labels */
	double legend_h;
};

#define HEADER_H 26.0
#define CLUSTER_HDR_H 17.0
#define CLUSTER_GAP 5.0
#define PANEL_GAP 18.0
#define AXIS_H 58.0
#define LEFT 24.0
#define RIGHT 28.0

static double panel_lanes_height(const struct panel *p)
{
	if (p->agg)
		return (double)p->nlanes * p->lane_h + (double)(p->nlanes - 1) * 6;
	size_t ncl = p->st->nclusters;
	double h = (double)p->nlanes * p->lane_h;
	if (ncl > 1)
		h += (double)(ncl - 1) * (p->headers ? CLUSTER_GAP : 2) +
		     (p->headers ? (double)ncl * CLUSTER_HDR_H : 0);
	return h;
}

/* Fills everything of the plan that does not need a canvas height. */
static int make_plan(cairo_t *cr, const struct plot_run *r, const struct plot_opts *o, double w,
                     struct plan *pl, char *msg, size_t msglen)
{
	memset(pl, 0, sizeof(*pl));
	for (size_t i = 0; i < r->nstrategies; i++) {
		const struct plot_strategy *st = &r->st[i];
		if (!plot__wanted(o, st->strategy))
			continue;
		if (!st->nspans)
			continue;
		struct panel *pn = &pl->p[pl->npanels++];
		pn->st = st;
		for (size_t k = 0; k < st->nspans; k++) {
			const struct plot_span *sp = &st->spans[k];
			pl->states |= 1u << sp->state;
			if (sp->end_s > pn->t_end)
				pn->t_end = sp->end_s;
			if (sp->end_s > pl->t_end)
				pl->t_end = sp->end_s;
			const struct plot_host *hh = &st->hosts[sp->host];
			if (sp->state == REC_ST_DONE && !(hh->compliant_at_s <= sp->start_s))
				pl->done_split = true;
		}
	}
	if (!pl->npanels) {
		if (!(r->have & PLOT_FILE_TIMELINE))
			plot__errf(msg, msglen, "%s: no timeline.csv: the timeline chart needs it", r->dir);
		else
			plot__errf(msg, msglen, "%s/timeline.csv has no rows for replication %ld%s", r->dir,
			     r->rep, o->strategy >= 0 ? " of that strategy" : "");
		return r->have & PLOT_FILE_TIMELINE ? 1 : -EINVAL;
	}
	if (!(pl->t_end > 0))
		pl->t_end = 1;
	for (size_t i = 0; i < pl->npanels; i++)
		if (!(pl->p[i].t_end > 0))
			pl->p[i].t_end = pl->t_end;
	if (pl->npanels == 2) {
		double a = pl->p[0].t_end, b = pl->p[1].t_end;
		pl->own_axes = o->time_axis == PLOT_TIME_OWN ||
		               (o->time_axis == PLOT_TIME_AUTO && (a > b ? a / b : b / a) > 2.5);
	}
	/* the maintenance window is always on the chart */
	if (isfinite(o->window_s) && o->window_s > 0) {
		if (o->window_s * 1.02 > pl->t_end)
			pl->t_end = o->window_s * 1.02;
		for (size_t i = 0; i < pl->npanels; i++)
			if (o->window_s * 1.02 > pl->p[i].t_end)
				pl->p[i].t_end = o->window_s * 1.02;
	}
	if (!pl->own_axes)
		for (size_t i = 0; i < pl->npanels; i++)
			pl->p[i].t_end = pl->t_end;
	pl->have_vms = r->have & PLOT_FILE_VMS;
	double lanes_budget = 620;
	for (size_t i = 0; i < pl->npanels; i++) {
		struct panel *p = &pl->p[i];
		size_t nh = p->st->nhosts;
		p->agg = o->lanes == PLOT_LANES_CLUSTERS ||
		         (o->lanes == PLOT_LANES_AUTO && nh > PLOT_HOST_LANES_MAX);
		if (p->agg) {
			size_t maxl = PLOT_CLUSTER_LANES_MAX / pl->npanels;
			size_t ncl = p->st->nclusters ? p->st->nclusters : 1;
			p->group = 1;
			p->nlanes = ncl;
			p->ranked = ncl > maxl;
			if (p->ranked)
				p->nlanes = maxl;
			p->lane_h = p->nlanes <= 4 ? 70 : p->nlanes <= 8 ? 46 : 32;
		} else {
			p->nlanes = nh;
			p->headers = p->st->nclusters > 1 && p->st->nclusters <= 12;
		}
	}
	/* Per-host lanes share a height budget: thin lanes for big clusters. */
	size_t host_lanes = 0;
	for (size_t i = 0; i < pl->npanels; i++)
		if (!pl->p[i].agg)
			host_lanes += pl->p[i].nlanes;
	double lh = host_lanes ? lanes_budget / (double)host_lanes : 18;
	lh = lh > 18 ? 18 : lh < 3 ? 3 : floor(lh * 2) / 2;
	for (size_t i = 0; i < pl->npanels; i++)
		if (!pl->p[i].agg)
			pl->p[i].lane_h = lh;

	/* Ticks: per-host lanes with vms.csv read. */
	bool any_host_lanes = host_lanes > 0;
	pl->ticks = any_host_lanes && pl->have_vms;
	unsigned bands = 0;
	for (unsigned s = 0; s < REC_ST_N; s++)
		if (pl->states & (1u << s))
			bands |= 1u << band_of(s);
	if (pl->done_split) /* implies a REC_ST_DONE span */
		bands |= 1u << B_AWAIT;
	for (size_t i = 0; i < B_N; i++) {
		enum band b = legend_order[i];
		if (bands & (1u << b))
			pl->legend[pl->nlegend++] =
			    (struct plot_legend_item){band_label(b, pl->states), band_color(b), PLOT_MARK_BOX};
	}
	if (pl->ticks) {
		bool fsr = false, vm = false;
		for (size_t i = 0; i < pl->npanels; i++)
			for (size_t h = 0; h < pl->p[i].st->nhosts && !pl->p[i].agg; h++) {
				fsr = fsr || pl->p[i].st->hosts[h].fsr;
				vm = vm || pl->p[i].st->hosts[h].vmotion;
			}
		if (fsr)
			pl->legend[pl->nlegend++] = (struct plot_legend_item){
			    "FSR of the host's VMs", FSR_TICK, PLOT_MARK_TICK_DOWN};
		if (vm)
			pl->legend[pl->nlegend++] =
			    (struct plot_legend_item){"vMotions", PLOT_BLUE, PLOT_MARK_TICK_UP};
	}
	/* Lane labels: the longest host or cluster name, within limits. */
	double lw = 60;
	for (size_t i = 0; i < pl->npanels; i++) {
		const struct panel *p = &pl->p[i];
		if (p->agg) {
			lw = lw < 150 ? 150 : lw;
			continue;
		}
		for (size_t h = 0; h < p->st->nhosts && h < 400; h++) {
			double tw = plot_text_width(cr, p->st->hosts[h].name, PLOT_FS_SMALL, PLOT_REGULAR);
			if (tw + 12 > lw)
				lw = tw + 12;
		}
	}
	pl->label_w = lw > 170 ? 170 : lw;
	pl->legend_h = plot_draw_legend(cr, LEFT, 0, w - LEFT - RIGHT, pl->legend, pl->nlegend, false,
	                                NULL);
	return 0;
}

/* A scratch context for measuring text outside drawing. */
static cairo_t *scratch(cairo_surface_t **s)
{
	*s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	return cairo_create(*s);
}

/* Height of the title block (measured by drawing it on a scratch context). */
static double title_height(cairo_t *cr, double w, const char *title, const char *sub)
{
	cairo_save(cr);
	double y = plot_draw_title(cr, w, title, sub);
	cairo_restore(cr);
	return y;
}

static void subtitle(const struct plot_run *r, const struct plan *pl, char *buf, size_t len)
{
	char cap[512];
	plot__run_caption(&r->sum, cap, sizeof(cap));
	snprintf(buf, len, "%s. Replication %ld%s.", cap, r->rep,
	         pl->npanels < 2 ? ""
	         : pl->own_axes  ? "; live patch above, classic below, each on its own time axis"
	                         : "; live patch above, classic below, on one time axis");
}

static double notes_height(cairo_t *cr, double w, const char *note)
{
	if (!*note)
		return 0;
	return plot_text_wrap(cr, LEFT, 0, w - LEFT - RIGHT, note, PLOT_FS_SMALL, PLOT_REGULAR,
	                      PLOT_MUTED, PLOT_FS_SMALL + 4, false) +
	       8;
}

static void make_note(const struct plot_run *r, const struct plan *pl, char *buf, size_t len)
{
	buf[0] = '\0';
	bool agg = false, hosts = false, ranked = false;
	for (size_t i = 0; i < pl->npanels; i++) {
		ranked = ranked || pl->p[i].ranked;
		agg = agg || pl->p[i].agg;
		hosts = hosts || !pl->p[i].agg;
	}
	size_t n = 0;
	if (agg)
		n += (size_t)snprintf(buf, len,
		                      "Too many hosts for a lane each: each lane is a cluster, coloured "
		                      "by the share of its hosts in each state over time. %s",
		                      ranked ? "Too many clusters for a lane each: the clusters with the "
		                               "most hosts not compliant (then the latest to finish) are "
		                               "ranked on top, and the last lane holds all the others, "
		                               "their spread over time. "
		                             : "");
	if (hosts && !pl->have_vms)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
		                      "No FSR or vMotion marks: %s has no vms.csv. ", r->dir);
	else if (pl->ticks)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
		                      "A mark above a lane: the host's VMs were fast-suspend-resumed "
		                      "(FSR) in that phase; below: VMs moved by vMotion (to empty the "
		                      "host, or to remediate VMs that cannot be fast-suspend-resumed). "
		                      "Marks show the host's phase, not each VM's instant. ");
	else if (agg && pl->have_vms)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
		                      "FSR and vMotion marks are drawn in lanes of one host only. ");
	if (n > len)
		n = len;
	if (pl->done_split && n < len)
		snprintf(buf + n, len - n,
		         "\"Patched, awaiting compliance\": the host runs the patch, but VMs that "
		         "cannot be fast-suspend-resumed (FT, DirectPath I/O, shared disks, vSphere "
		         "Pods) still run the old code until they are vMotioned or restarted.");
}

double plot__timeline_height(const struct plot_run *r, const struct plot_opts *o, double w)
{
	cairo_surface_t *s;
	cairo_t *cr = scratch(&s);
	struct plan pl;
	double h = 400;
	if (make_plan(cr, r, o, w, &pl, NULL, 0) == 0) {
		char sub[1024], note[1200];
		subtitle(r, &pl, sub, sizeof(sub));
		make_note(r, &pl, note, sizeof(note));
		h = title_height(cr, w, "Remediation timeline", sub) + pl.legend_h + 14;
		for (size_t i = 0; i < pl.npanels; i++)
			h += HEADER_H + panel_lanes_height(&pl.p[i]) + (i ? PANEL_GAP : 0);
		h += AXIS_H * (pl.own_axes ? (double)pl.npanels : 1) + notes_height(cr, w, note) + 10;
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return ceil(h);
}

/* ---- drawing ---------------------------------------------------------------------- */

/* x of time t, clamped to the plot area. */
static double tx(const struct plot_axis *ax, double t)
{
	double x = plot_axis_map(ax, t);
	double a = ax->px0, b = ax->px1;
	return x < a ? a : x > b ? b : x;
}

static void fill_span(cairo_t *cr, const struct plot_axis *ax, double a, double b, double y,
                      double h, enum band bd)
{
	double x0 = tx(ax, a), x1 = tx(ax, b);
	bool thin_ok = bd == B_PENDING || bd == B_DONE || bd == B_AWAIT;
	if (x1 - x0 < 1.2 && !thin_ok)
		x1 = x0 + 1.2;
	if (x1 <= x0)
		return;
	plot_set_color(cr, band_color(bd));
	cairo_rectangle(cr, x0, y, x1 - x0, h);
	cairo_fill(cr);
}

static void tick(cairo_t *cr, double x, double y, double lane_h, bool down, struct plot_rgb c)
{
	if (lane_h >= 9) {
		double s = lane_h >= 14 ? 4.5 : 3.5;
		plot_set_color(cr, c);
		if (down) { /* above the lane, pointing down at it */
			cairo_move_to(cr, x - s, y - s * 0.2);
			cairo_line_to(cr, x + s, y - s * 0.2);
			cairo_line_to(cr, x, y + s * 1.1);
		} else { /* below the lane, pointing up */
			cairo_move_to(cr, x - s, y + lane_h + s * 0.2);
			cairo_line_to(cr, x + s, y + lane_h + s * 0.2);
			cairo_line_to(cr, x, y + lane_h - s * 1.1);
		}
		cairo_close_path(cr);
		cairo_fill(cr);
	} else {
		plot_set_color(cr, c);
		cairo_rectangle(cr, x - 0.6, y - 0.5, 1.2, lane_h + 1);
		cairo_fill(cr);
	}
}

/* Why a host did not end compliant, in words (NULL: it did). */
static const char *host_reason(const struct plot_host *h, char *buf, size_t len)
{
	switch (h->outcome) {
	case REC_FAILED:
		snprintf(buf, len, "failed after %u attempt%s", (unsigned)h->attempts,
		         h->attempts == 1 ? "" : "s");
		return buf;
	case REC_BLOCKED:
		return "blocked: enforce mode refused its cluster (lpsim scan says why)";
	case REC_NOT_STARTED:
		return "never started: its cluster's remediation stopped at a failed host, or it "
		       "was skipped";
	case REC_NON_COMPLIANT:
		return "patched, but FSR-incompatible VMs still run the old code";
	default:
		return NULL;
	}
}

/* The host of st that left remediation last (the makespan's), or SIZE_MAX. */
static size_t latest_host(const struct plot_strategy *st)
{
	size_t best = SIZE_MAX;
	for (size_t h = 0; h < st->nhosts; h++)
		if (!isnan(st->hosts[h].end_s) &&
		    (best == SIZE_MAX || st->hosts[h].end_s > st->hosts[best].end_s))
			best = h;
	return best;
}

/*
 * Which lanes get a label when there are too many lanes for one each
 * (every > 1): the hosts that matter (not compliant, or the last done),
 * and, between them, every `every`-th host where no label of a host that
 * matters is near. kind[h]: 0 none, 1 plain, 2 a host that matters.
 */
static void label_plan(const struct plot_strategy *st, size_t every, size_t latest, uint8_t *kind)
{
	for (size_t h = 0; h < st->nhosts; h++)
		kind[h] = st->hosts[h].outcome != REC_COMPLIANT || h == latest ? 2 : 0;
	size_t last = SIZE_MAX; /* the last labelled lane */
	for (size_t h = 0; h < st->nhosts; h++) {
		if (kind[h] == 2) {
			last = h;
			continue;
		}
		bool near = last != SIZE_MAX && h - last < every;
		for (size_t k = h + 1; k < st->nhosts && k < h + every && !near; k++)
			near = kind[k] == 2;
		if (!near && (last == SIZE_MAX || h - last >= every)) {
			kind[h] = 1;
			last = h;
		}
	}
}

static void lane_label(cairo_t *cr, const struct plan *pl, const struct panel *p,
                       const struct plot_host *hh, bool matters, bool latest, double y,
                       struct plot_layout *lay)
{
	lay->nmatter += matters;
	char buf[256], txt[256], why[96];
	double fs = p->lane_h < 9 ? PLOT_FS_SMALL - 1.5 : PLOT_FS_SMALL;
	const char *r = host_reason(hh, why, sizeof(why));
	if (matters && p->lane_h < 9 && (r || latest))
		snprintf(txt, sizeof(txt), "%s (%s)", hh->name,
		         latest && !r ? "last done" : rec_outcome_name(hh->outcome));
	else
		snprintf(txt, sizeof(txt), "%s", hh->name);
	plot_text(cr, LEFT + pl->label_w - 8, y + p->lane_h / 2,
	          plot_text_fit(cr, txt, fs, matters && r ? PLOT_BOLD : PLOT_REGULAR, pl->label_w - 12,
	                        buf, sizeof(buf)),
	          fs, matters && r ? PLOT_BOLD : PLOT_REGULAR, matters && r ? PLOT_VERMILLION : PLOT_TEXT,
	          1, 0.5);
}

/* The reason a host did not end compliant, written on its lane after its last span. */
static void lane_reason(cairo_t *cr, const struct plot_axis *ax, const struct panel *p,
                        const struct plot_host *hh, double y, struct plot_layout *lay)
{
	char why[96];
	const char *r = host_reason(hh, why, sizeof(why));
	if (!r || p->lane_h < 9)
		return;
	lay->nreasons++;
	double t = isnan(hh->end_s) ? 0 : hh->end_s;
	double x = tx(ax, t) + 4;
	double room = ax->px1 - x - 4;
	char buf[256];
	if (room < 60) /* no room after the band: on it, from the left */
		x = ax->px0 + 4, room = ax->px1 - ax->px0 - 8;
	plot_text(cr, x, y + p->lane_h / 2,
	          plot_text_fit(cr, r, PLOT_FS_SMALL - 2, PLOT_REGULAR, room, buf, sizeof(buf)),
	          PLOT_FS_SMALL - 2, PLOT_REGULAR, hh->outcome == REC_BLOCKED ? PLOT_TEXT : PLOT_VERMILLION,
	          0, 0.5);
}

static void draw_host_lanes(cairo_t *cr, const struct plan *pl, const struct panel *p,
                            const struct plot_axis *ax, double *y_of_host, struct plot_layout *lay)
{
	const struct plot_strategy *st = p->st;
	double y = p->lanes_y;
	size_t every = (size_t)ceil(13.5 / p->lane_h); /* label every that many lanes; >= 1 */
	char buf[256];
	uint32_t cur = UINT32_MAX;
	size_t latest = latest_host(st);
	uint8_t *kind = every > 1 ? calloc(st->nhosts ? st->nhosts : 1, 1) : NULL;
	if (kind)
		label_plan(st, every, latest, kind);
	for (size_t h = 0; h < st->nhosts; h++) {
		const struct plot_host *hh = &st->hosts[h];
		if (hh->cluster_idx != cur) {
			if (cur != UINT32_MAX)
				y += p->headers ? CLUSTER_GAP : 2;
			cur = hh->cluster_idx;
			if (p->headers) {
				plot_text(cr, LEFT, y + CLUSTER_HDR_H / 2, plot_text_fit(cr, hh->cluster, PLOT_FS_SMALL, PLOT_BOLD, pl->label_w + 200, buf, sizeof(buf)),
				          PLOT_FS_SMALL, PLOT_BOLD, PLOT_TEXT, 0, 0.5);
				y += CLUSTER_HDR_H;
			}
		}
		y_of_host[h] = y;
		bool matters = hh->outcome != REC_COMPLIANT || h == latest;
		if (every == 1 || (kind && kind[h]) || (!kind && h % every == 0))
			lane_label(cr, pl, p, hh, matters && (every > 1 || hh->outcome != REC_COMPLIANT),
			           h == latest, y, lay);
		y += p->lane_h;
	}
	free(kind);
	double gap = p->lane_h >= 9 ? 2.5 : p->lane_h >= 5 ? 1 : 0.4;
	for (size_t k = 0; k < st->nspans; k++) {
		const struct plot_span *sp = &st->spans[k];
		const struct plot_host *hh = &st->hosts[sp->host];
		double yy = y_of_host[sp->host] + gap / 2, hh_h = p->lane_h - gap;
		enum band bd = band_of(sp->state);
		if (bd == B_DONE) {
			double c = hh->compliant_at_s;
			if (!(c < sp->end_s)) /* NaN too: never compliant in this span */
				fill_span(cr, ax, sp->start_s, sp->end_s, yy, hh_h, B_AWAIT);
			else if (c > sp->start_s) {
				fill_span(cr, ax, sp->start_s, c, yy, hh_h, B_AWAIT);
				fill_span(cr, ax, c, sp->end_s, yy, hh_h, B_DONE);
			} else {
				fill_span(cr, ax, sp->start_s, sp->end_s, yy, hh_h, B_DONE);
			}
		} else {
			fill_span(cr, ax, sp->start_s, sp->end_s, yy, hh_h, bd);
		}
	}
	for (size_t h = 0; h < st->nhosts; h++)
		lane_reason(cr, ax, p, &st->hosts[h], y_of_host[h], lay);
	if (!pl->ticks)
		return;
	/* ticks: FSR at each FSR phase; vMotions at the evacuation, or at the manual remediation */
	const struct plot_rgb fsr_c = FSR_TICK, vm_c = PLOT_BLUE;
	for (size_t k = 0; k < st->nspans; k++) {
		const struct plot_span *sp = &st->spans[k];
		const struct plot_host *hh = &st->hosts[sp->host];
		if (sp->state == REC_ST_FSR && hh->fsr)
			tick(cr, tx(ax, sp->start_s), y_of_host[sp->host], p->lane_h, true, fsr_c);
		if (sp->state == REC_ST_ENTERING_MM && hh->vmotion)
			tick(cr, tx(ax, sp->start_s), y_of_host[sp->host], p->lane_h, false, vm_c);
	}
	for (size_t h = 0; h < st->nhosts; h++) {
		const struct plot_host *hh = &st->hosts[h];
		if (hh->vmotion && hh->path == REC_PATH_LIVE && hh->compliant_at_s > hh->end_s)
			tick(cr, tx(ax, hh->compliant_at_s), y_of_host[h], p->lane_h, false, vm_c);
	}
}

/*
 * Draws the cluster lanes of panel p: the share of each lane's hosts in
 * each band, bin by bin. occ (2 * p->nlanes * B_N * (nbins + 1) doubles),
 * lane_hosts (p->nlanes) and below (nbins) are the caller's scratch, so
 * that drawing cannot fail halfway.
 */
/*
 * Ranked cluster lanes: the nlanes - 1 worst clusters (plot__rank_clusters)
 * a lane each, worst on top, and every other cluster in the last lane.
 * Returns 0 or -ENOMEM.
 */
static int rank_lanes(struct panel *p)
{
	const struct plot_strategy *st = p->st;
	size_t order[PLOT_CLUSTER_LANES_MAX];
	p->lane_of = malloc((st->nclusters ? st->nclusters : 1) * sizeof(*p->lane_of));
	if (!p->lane_of)
		return -ENOMEM;
	size_t n = plot__rank_clusters(st, order, p->nlanes - 1);
	if (n < p->nlanes - 1 && st->nclusters >= p->nlanes - 1)
		return -ENOMEM;
	for (size_t c = 0; c < st->nclusters; c++)
		p->lane_of[c] = (uint32_t)n;
	for (size_t l = 0; l < n; l++) {
		p->lane_of[order[l]] = (uint32_t)l;
		p->lane_cl[l] = order[l];
	}
	p->lane_cl[n] = SIZE_MAX;
	p->nlanes = n + 1;
	return 0;
}

static void draw_cluster_lanes(cairo_t *cr, const struct plan *pl, const struct panel *p,
                               const struct plot_axis *ax, double *occ, size_t *lane_hosts,
                               double *below, size_t nbins)
{
	const struct plot_strategy *st = p->st;
	size_t nl = p->nlanes;
	double t0 = 0, dt = ax->hi / (double)nbins;
	/* occ[((lane * B_N) + band) * (nbins + 1) + bin]: host-bins in the band; the extra
	 * slot per row takes the difference array's last decrement. */
	size_t row = nbins + 1;
	memset(occ, 0, nl * B_N * row * sizeof(double));
	double *dif = occ + nl * B_N * row;
	memset(dif, 0, nl * B_N * row * sizeof(double));
	memset(lane_hosts, 0, nl * sizeof(*lane_hosts));
	size_t lane_bad[PLOT_CLUSTER_LANES_MAX] = {0}; /* ranked: hosts not compliant per lane */
	for (size_t h = 0; h < st->nhosts; h++) {
		size_t lane = p->ranked ? p->lane_of[st->hosts[h].cluster_idx]
		                        : st->hosts[h].cluster_idx / p->group;
		lane_hosts[lane]++;
		if (p->ranked && st->hosts[h].outcome != REC_COMPLIANT)
			lane_bad[lane]++;
	}
	for (size_t k = 0; k < st->nspans; k++) {
		const struct plot_span *sp = &st->spans[k];
		const struct plot_host *hh = &st->hosts[sp->host];
		size_t lane = p->ranked ? p->lane_of[hh->cluster_idx] : hh->cluster_idx / p->group;
		double a = sp->start_s, b = sp->end_s;
		enum band bd = band_of(sp->state);
		double pieces[2][2] = {{a, b}, {0, 0}};
		enum band pb[2] = {bd, bd};
		int np = 1;
		if (bd == B_DONE) {
			double c = hh->compliant_at_s;
			if (!(c < b))
				pb[0] = B_AWAIT;
			else if (c > a) {
				pieces[0][1] = c;
				pb[0] = B_AWAIT;
				pieces[1][0] = c;
				pieces[1][1] = b;
				pb[1] = B_DONE;
				np = 2;
			}
		}
		for (int q = 0; q < np; q++) {
			double fa = (pieces[q][0] - t0) / dt, fb = (pieces[q][1] - t0) / dt;
			if (fa < 0)
				fa = 0;
			if (fb > (double)nbins)
				fb = (double)nbins;
			if (!(fb > fa))
				continue;
			size_t ia = (size_t)fa, ib = (size_t)fb;
			if (ia >= nbins)
				continue;
			double *o = occ + (lane * B_N + pb[q]) * row;
			double *d = dif + (lane * B_N + pb[q]) * row;
			if (ia == ib) {
				o[ia] += fb - fa;
			} else {
				o[ia] += (double)(ia + 1) - fa;
				d[ia + 1] += 1;
				d[ib] -= 1;
				if (ib < nbins)
					o[ib] += fb - (double)ib;
			}
		}
	}
	for (size_t l = 0; l < nl * B_N; l++) {
		double run = 0;
		for (size_t i = 0; i < nbins; i++) {
			run += dif[l * row + i];
			occ[l * row + i] += run;
		}
	}
	char buf[256], lab[300], cnt[32];
	double px_per_bin = (ax->px1 - ax->px0) / (double)nbins;
	for (size_t l = 0; l < nl; l++) {
		double y = p->lanes_y + (double)l * (p->lane_h + 6), hgt = p->lane_h;
		size_t c0 = l * p->group, c1 = c0 + p->group - 1;
		if (c1 >= st->nclusters)
			c1 = st->nclusters - 1;
		if (p->ranked && p->lane_cl[l] == SIZE_MAX)
			snprintf(lab, sizeof(lab), "%s others",
			         plot_fmt_count(cnt, sizeof(cnt), (double)(st->nclusters - (p->nlanes - 1))));
		else if (p->ranked)
			snprintf(lab, sizeof(lab), "%zu. %s", l + 1, st->clusters[p->lane_cl[l]]);
		else if (c0 == c1)
			snprintf(lab, sizeof(lab), "%s", st->clusters[c0]);
		else
			snprintf(lab, sizeof(lab), "%s - %s", st->clusters[c0], st->clusters[c1]);
		plot_text(cr, LEFT + pl->label_w - 8, y + hgt / 2 - 7,
		          plot_text_fit(cr, lab, PLOT_FS_SMALL, PLOT_REGULAR, pl->label_w - 12, buf,
		                        sizeof(buf)),
		          PLOT_FS_SMALL, PLOT_REGULAR, PLOT_TEXT, 1, 0.5);
		size_t nb = 0;
		nb = p->ranked ? lane_bad[l] : 0;
		if (nb)
			snprintf(lab, sizeof(lab), "%s hosts, %s not compliant",
			         plot_fmt_count(cnt, sizeof(cnt), (double)lane_hosts[l]),
			         plot_fmt_count(buf, sizeof(buf), (double)nb));
		else
			snprintf(lab, sizeof(lab), "%s hosts",
			         plot_fmt_count(cnt, sizeof(cnt), (double)lane_hosts[l]));
		plot_text(cr, LEFT + pl->label_w - 8, y + hgt / 2 + 8, lab, PLOT_FS_SMALL - 1.5,
		          PLOT_REGULAR, PLOT_MUTED, 1, 0.5);
		if (!lane_hosts[l])
			continue;
		double norm = 1.0 / (double)lane_hosts[l];
		/* cumulative share below each band, bin by bin */
		memset(below, 0, nbins * sizeof(*below));
		for (size_t oi = 0; oi < B_N; oi++) {
			enum band bd = stack_order[oi];
			const double *o = occ + (l * B_N + bd) * row;
			size_t first = nbins, last = 0;
			for (size_t i = 0; i < nbins; i++)
				if (o[i] > 1e-9) {
					if (first == nbins)
						first = i;
					last = i;
				}
			if (first == nbins)
				continue;
			plot_set_color(cr, band_color(bd));
			/* upper edge left to right, lower edge back */
			for (size_t i = first; i <= last; i++) {
				double top = below[i] + o[i] * norm;
				double x0 = ax->px0 + (double)i * px_per_bin;
				double yt = y + hgt - top * hgt;
				if (i == first)
					cairo_move_to(cr, x0, yt);
				else
					cairo_line_to(cr, x0, yt);
				cairo_line_to(cr, x0 + px_per_bin, yt);
			}
			for (size_t i = last + 1; i-- > first;) {
				double x0 = ax->px0 + (double)i * px_per_bin;
				double yb = y + hgt - below[i] * hgt;
				cairo_line_to(cr, x0 + px_per_bin, yb);
				cairo_line_to(cr, x0, yb);
			}
			cairo_close_path(cr);
			cairo_fill(cr);
			for (size_t i = first; i <= last; i++)
				below[i] += o[i] * norm;
		}
		plot_set_color_alpha(cr, PLOT_AXIS, 0.35);
		cairo_set_line_width(cr, 0.8);
		cairo_rectangle(cr, ax->px0, y, ax->px1 - ax->px0, hgt);
		cairo_stroke(cr);
	}
}

/* The maintenance window: a dashed line across the panel, labelled at its top. */
static void draw_window(cairo_t *cr, const struct plot_axis *ax, const struct plot_rect *area,
                        double window_s)
{
	double x = round(plot_axis_map(ax, window_s)) + 0.5, d[] = {5, 4};
	char lab[64], dur[32];
	if (x < ax->px0 || x > ax->px1 + 1)
		return;
	cairo_save(cr);
	plot_set_color(cr, PLOT_VERMILLION);
	cairo_set_line_width(cr, 1.6);
	cairo_set_dash(cr, d, 2, 0);
	cairo_move_to(cr, x, area->y);
	cairo_line_to(cr, x, area->y + area->h);
	cairo_stroke(cr);
	cairo_restore(cr);
	snprintf(lab, sizeof(lab), "maintenance window %s",
	         plot_fmt_duration(dur, sizeof(dur), window_s));
	double tw = plot_text_width(cr, lab, PLOT_FS_SMALL - 1, PLOT_BOLD);
	bool left = x + 4 + tw > ax->px1;
	double bx = left ? x - 4 - tw : x + 4;
	plot_set_color(cr, PLOT_WHITE);
	cairo_rectangle(cr, bx - 2, area->y + 2, tw + 4, PLOT_FS_SMALL + 2);
	cairo_fill(cr);
	plot_text(cr, bx, area->y + 3 + PLOT_FS_SMALL / 2, lab, PLOT_FS_SMALL - 1, PLOT_BOLD,
	          PLOT_VERMILLION, 0, 0.5);
}

int plot__timeline(cairo_t *cr, double w, double h, const struct plot_run *r,
                   const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen)
{
	struct plan pl;
	int rc = make_plan(cr, r, o, w, &pl, msg, msglen);
	if (rc > 0)
		return plot__no_data(cr, w, h, "Remediation timeline", msg, lay);
	if (rc < 0)
		return rc;
	char sub[1024], note[1200];
	subtitle(r, &pl, sub, sizeof(sub));
	make_note(r, &pl, note, sizeof(note));
	double y = plot_draw_title(cr, w, "Remediation timeline", sub);
	plot_draw_legend(cr, LEFT, y, w - LEFT - RIGHT, pl.legend, pl.nlegend, true, &lay->legend);
	lay->nlegend = pl.nlegend;
	y += pl.legend_h + 14;

	struct plot_axis ax;
	plot_axis_nice(&ax, 0, pl.t_end, 10, true);
	ax.px0 = LEFT + pl.label_w;
	ax.px1 = w - RIGHT;
	size_t maxhosts = 0, maxlanes = 0;
	for (size_t i = 0; i < pl.npanels; i++) {
		maxhosts = pl.p[i].st->nhosts > maxhosts ? pl.p[i].st->nhosts : maxhosts;
		maxlanes = pl.p[i].nlanes > maxlanes ? pl.p[i].nlanes : maxlanes;
	}
	double *y_of_host = calloc(maxhosts + 1, sizeof(double));
	size_t nbins = (size_t)(ax.px1 - ax.px0);
	nbins = nbins < 50 ? 50 : nbins > 2000 ? 2000 : nbins;
	double *occ = calloc(2 * (maxlanes + 1) * B_N * (nbins + 1), sizeof(double));
	size_t *lane_hosts = calloc(maxlanes + 1, sizeof(size_t));
	double *below = calloc(nbins, sizeof(double));
	if (!y_of_host || !occ || !lane_hosts || !below) {
		free(y_of_host);
		free(occ);
		free(lane_hosts);
		free(below);
		plot__errf(msg, msglen, "out of memory drawing the timeline");
		return -ENOMEM;
	}
	for (size_t i = 0; i < pl.npanels; i++)
		if (pl.p[i].ranked && rank_lanes(&pl.p[i]) < 0) {
			free(y_of_host);
			free(occ);
			free(lane_hosts);
			free(below);
			for (size_t j = 0; j < pl.npanels; j++)
				free(pl.p[j].lane_of);
			plot__errf(msg, msglen, "out of memory drawing the timeline");
			return -ENOMEM;
		}
	for (size_t i = 0; i < pl.npanels; i++) {
		struct panel *p = &pl.p[i];
		plot_axis_nice(&ax, 0, p->t_end, 10, true);
		if (i)
			y += PANEL_GAP;
		p->top = y;
		p->lanes_y = y + HEADER_H;
		p->height = HEADER_H + panel_lanes_height(p);
		double last = 0;
		for (size_t k = 0; k < p->st->nhosts; k++)
			if (p->st->hosts[k].end_s > last)
				last = p->st->hosts[k].end_s;
		char hdr[512], cnt[32], d[32];
		plot_fmt_capital(hdr, sizeof(hdr), plot_strategy_label(p->st->strategy));
		double tw = plot_text(cr, LEFT, y + 10, hdr, PLOT_FS_LABEL + 1, PLOT_BOLD,
		                      plot_strategy_color(p->st->strategy), 0, 0.5);
		snprintf(hdr, sizeof(hdr), "%s hosts in %s cluster%s; last host done after %s%s",
		         plot_fmt_count(cnt, sizeof(cnt), (double)p->st->nhosts),
		         plot_fmt_count(d, sizeof(d), (double)p->st->nclusters),
		         p->st->nclusters == 1 ? "" : "s", plot_fmt_duration(sub, sizeof(sub), last),
		         p->agg ? "; lanes: share of hosts in each state" : "");
		plot_text(cr, LEFT + tw + 12, y + 10, hdr, PLOT_FS_SMALL, PLOT_REGULAR, PLOT_MUTED, 0,
		          0.5);
		/* the plot area's background and vertical grid */
		double lanes_h = panel_lanes_height(p);
		plot_set_color(cr, PLOT_PANEL);
		cairo_rectangle(cr, ax.px0, p->lanes_y, ax.px1 - ax.px0, lanes_h);
		cairo_fill(cr);
		struct plot_rect area = {ax.px0, p->lanes_y - 3, ax.px1 - ax.px0, lanes_h + 6};
		if (i == 0)
			lay->area = (struct plot_rect){ax.px0, p->lanes_y, ax.px1 - ax.px0, lanes_h};
		cairo_save(cr);
		plot_set_color(cr, PLOT_GRID);
		cairo_set_line_width(cr, 1);
		for (double t = 0; t <= ax.hi + ax.step * 1e-6; t += ax.step) {
			double x = round(plot_axis_map(&ax, t)) + 0.5;
			cairo_move_to(cr, x, area.y);
			cairo_line_to(cr, x, area.y + area.h);
		}
		cairo_stroke(cr);
		cairo_restore(cr);
		if (p->agg)
			draw_cluster_lanes(cr, &pl, p, &ax, occ, lane_hosts, below, nbins);
		else
			draw_host_lanes(cr, &pl, p, &ax, y_of_host, lay);
		if (isfinite(o->window_s) && o->window_s > 0) {
			draw_window(cr, &ax, &area, o->window_s);
			lay->window = true;
		}
		y = p->lanes_y + lanes_h;
		lay->aggregated = lay->aggregated || p->agg;
		if (pl.own_axes || i + 1 == pl.npanels) {
			struct plot_rect xa = {ax.px0, y - 1, ax.px1 - ax.px0, 1};
			plot_draw_xaxis(cr, &xa, &ax, "Time since remediation started", false, true);
			y += AXIS_H;
		}
	}
	free(y_of_host);
	free(occ);
	free(lane_hosts);
	free(below);
	for (size_t i = 0; i < pl.npanels; i++)
		free(pl.p[i].lane_of);
	lay->npanels = pl.npanels;
	lay->ticks = pl.ticks;
	lay->own_axes = pl.own_axes;
	lay->nseries = pl.npanels;
	if (*note)
		plot_draw_note(cr, LEFT, y, w - LEFT - RIGHT, note);
	snprintf(lay->note, sizeof(lay->note), "%s", note);
	(void)h;
	return 0;
}
