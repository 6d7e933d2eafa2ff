/*
 * plot: the charts of a run or sweep directory (RESULTS.md), drawn with
 * cairo.
 *
 *   timeline    one lane per host, grouped by cluster, a coloured band per
 *               state (timeline.csv), FSR and vMotion ticks (vms.csv), live
 *               patch above classic; past PLOT_HOST_LANES_MAX hosts one lane
 *               per cluster (or group of clusters) showing the share of its
 *               hosts in each state over time
 *   compliance  compliant hosts (%) over time, a step curve per strategy,
 *               the 5th-95th percentile band over replications when the
 *               file holds several, the median time to full compliance
 *   downtime    the CDF of per-VM downtime (log time axis) per strategy,
 *               one curve per kind: FSR stun, vMotion stun, power cycle,
 *               powered off
 *   sweep       a metric (mean and 95% CI) against a sweep axis, per
 *               strategy, with the maintenance window when given
 *
 * plot_render() draws a chart on any cairo context (the tests read its
 * pixels; the report draws into its PDF pages); plot_save() writes one
 * file, PNG, SVG or PDF by its extension, atomically (sim/atomicio.h).
 * Everything is a function of the data and the options: the same inputs
 * give the same drawing. No global state.
 */
#ifndef LPSIM_PLOT_H
#define LPSIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

#include "plots/plot_data.h"
#include "plots/plot_draw.h"
#include "plots/plot_sweep.h"

enum plot_chart { PLOT_TIMELINE, PLOT_COMPLIANCE, PLOT_DOWNTIME, PLOT_SWEEP, PLOT_NCHARTS };

enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_PDF };

/* Hosts drawn one lane each, per strategy; beyond, lanes are clusters. */
#define PLOT_HOST_LANES_MAX 200
/* Cluster lanes drawn at most; beyond, consecutive clusters share a lane. */
#define PLOT_CLUSTER_LANES_MAX 24

enum plot_lanes { PLOT_LANES_AUTO, PLOT_LANES_HOSTS, PLOT_LANES_CLUSTERS };

/* Timeline with both strategies: one time axis for both, one each, or
 * (auto) one each only when their lengths differ more than 2.5 times. */
enum plot_time_axis { PLOT_TIME_AUTO, PLOT_TIME_SHARED, PLOT_TIME_OWN };

/* The tallest PNG cairo can draw (its image surfaces' limit, pixels). */
#define PLOT_PNG_MAX_PX 32767

struct plot_opts {
	double window_s;       /* maintenance window (s), or NaN: none */
	int strategy;          /* -1 every strategy, else the only enum scenario_strategy drawn */
	enum plot_lanes lanes; /* timeline lanes */
	enum plot_time_axis time_axis; /* timeline: shared or own time axes */
	const char *metric;    /* sweep: makespan_s (NULL), time_to_compliance_s,
	                          exposure_host_hours, vm_downtime_s, stun_s */
	const char *axis;      /* sweep: the x axis path (NULL: the first with several values) */
	double width;          /* canvas width in user units, 0: the chart's default */
};

/* Default options: no window, every strategy, automatic lanes. */
void plot_opts_default(struct plot_opts *o);

/* What a chart drew, for tests and the report. */
struct plot_layout {
	double width, height;    /* canvas */
	struct plot_rect area;   /* the (first) plot area */
	size_t npanels;          /* panels (strategies) drawn */
	struct plot_rect legend; /* the legend's box (w == 0: none) */
	size_t nlegend;          /* legend entries */
	bool aggregated;         /* timeline: cluster lanes */
	bool ticks;              /* timeline: FSR / vMotion ticks drawn */
	size_t nmatter;          /* timeline: lanes labelled as hosts that matter (not compliant, last done) */
	size_t nreasons;         /* timeline: reasons written on lanes (failed, blocked, ...) */
	bool window;             /* the maintenance window drawn */
	size_t nthin;            /* downtime: curves drawn thin (kinds of few VMs) */
	bool own_axes;           /* timeline: each strategy on its own time axis */
	bool band;               /* compliance: percentile band drawn */
	size_t nseries;          /* curves or series drawn */
	char note[1200];         /* the footnote drawn (what was left out, and why) */
};

/* What a chart draws from. The sweep chart needs sweep; the others run. */
struct plot_source {
	const struct plot_run *run;
	const struct plot_sweep *sweep;
};

/* "timeline" ... ; NULL for anything else. Parses the same names. */
const char *plot_chart_name(enum plot_chart c);
bool plot_chart_parse(const char *s, enum plot_chart *out);

/*
 * A sweep parameter's path in words, for axis titles and legends:
 * "vcenter.remediation.parallel.max_hosts" -> "max hosts in parallel",
 * "clusters[0].vms[web-%03d].count" -> "web VMs per cluster"; an
 * unknown key with its underscores as spaces. Into buf (len bytes);
 * returns buf.
 */
char *plot_param_words(const char *path, char *buf, size_t len);

/* The run-directory files a chart reads (enum plot_file bits). */
unsigned plot_chart_files(enum plot_chart c);

/* Those of them without which it cannot be drawn (0 for the sweep chart). */
unsigned plot_chart_required_files(enum plot_chart c);

/* The format named by path's extension (.png, .svg, .pdf; any case). */
bool plot_format_of(const char *path, enum plot_format *out);

/*
 * The canvas size (user units) chart c wants for src and o; the timeline's
 * height grows with its lanes. Returns 0, or -EINVAL when src lacks what
 * c needs (msg says what).
 */
int plot_size(const struct plot_source *src, enum plot_chart c, const struct plot_opts *o,
              double *w, double *h, char *msg, size_t msglen);

/*
 * Draws chart c of src on cr, over a w x h canvas from the origin, and
 * fills *lay (may be NULL). Returns 0; -EINVAL when the source lacks the
 * data the chart needs (no timeline rows, no sweep...) with the reason in
 * msg; -ENOMEM. cr's state is left as it was.
 */
int plot_render(cairo_t *cr, double w, double h, const struct plot_source *src,
                enum plot_chart c, const struct plot_opts *o, struct plot_layout *lay, char *msg,
                size_t msglen);

/*
 * Draws chart c into the file path, in the format of its extension, at
 * plot_size(); written to a temporary and renamed into place. Returns 0;
 * -EINVAL (the data does not allow the chart, or the extension is not
 * one of .png .svg .pdf, or a PNG would exceed PLOT_PNG_MAX_PX, with what
 * to do instead; msg says which); or another negative errno when the file
 * cannot be written (msg "PATH: strerror").
 */
int plot_save(const char *path, const struct plot_source *src, enum plot_chart c,
              const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen);

/* plot_save in the format fmt whatever path's name ("-": standard output). */
int plot_save_as(const char *path, enum plot_format fmt, const struct plot_source *src,
                 enum plot_chart c, const struct plot_opts *o, struct plot_layout *lay, char *msg,
                 size_t msglen);

/* ---- for plots/ only: one renderer per chart ---- */
/* The indices of the clusters of ps, worst first (most hosts not
 * compliant, then latest to finish, then inventory order), at most max
 * of them into order (room for max). Returns how many; 0 when out of
 * memory. (report_html.c) */
size_t plot__rank_clusters(const struct plot_strategy *ps, size_t *order, size_t max);
int plot__timeline(cairo_t *cr, double w, double h, const struct plot_run *r,
                   const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen);
double plot__timeline_height(const struct plot_run *r, const struct plot_opts *o, double w);
int plot__compliance(cairo_t *cr, double w, double h, const struct plot_run *r,
                     const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen);
int plot__downtime(cairo_t *cr, double w, double h, const struct plot_run *r,
                   const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen);
int plot__sweep(cairo_t *cr, double w, double h, const struct plot_sweep *s,
                const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen);
/* "scenario default, seed 42, 30 replications": the subtitle's start. */
void plot__run_caption(const struct output_summary *sum, char *buf, size_t len);
/* Draws a chart that has nothing to show: the title, and why, centred. Returns 0. */
int plot__no_data(cairo_t *cr, double w, double h, const char *title, const char *why,
                  struct plot_layout *lay);
/* True when strategy s is to be drawn under o. */
bool plot__wanted(const struct plot_opts *o, enum scenario_strategy s);

/* A cairo stream (cairo_write_func_t) onto f, an afile's stream: plot_save's
 * SVG and PDF, the report's PDF. The first failed write sets err (an errno)
 * and fails every later write; the caller checks err before committing. */
struct plot__sink {
	FILE *f;
	int err; /* errno of the first failed write, or 0 */
};
cairo_status_t plot__sink_write(void *closure, const unsigned char *data, unsigned int len);

#endif
