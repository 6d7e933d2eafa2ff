/*
 * report_html: the report of a run or sweep directory as one
 * self-contained, interactive HTML file (`lpsim report DIR -o FILE.html`).
 *
 * The file needs nothing else: no network, no external script, style
 * sheet or font (a Content-Security-Policy forbids any fetch). It reads
 * without JavaScript: the numbers are HTML tables and the charts inline
 * SVG with real text; a lane's <title> is its tooltip. With JavaScript a
 * few kilobytes of inline script add: a host's states, times and VMs on
 * hover (or for the host named by the URL's #host=NAME), a cluster
 * filter, strategy toggles, and sortable tables; the URL's fragment
 * (#cluster=C&hide=classic&sort=TABLE:COLUMN[:desc]) sets them, so a
 * view can be shared as a link. Script errors are collected into the
 * element #js-status (data-errors, the messages), for the browser test.
 *
 * Size stays bounded whatever the fleet: up to REPORT_HTML_HOST_LANES
 * hosts per strategy are drawn one lane each and listed one row each;
 * beyond, the timeline ranks the worst REPORT_HTML_CLUSTER_LANES clusters
 * (most hosts not compliant, then latest to finish) as lanes showing the
 * share of their hosts in each state over time, with the distribution of
 * every cluster's finishing time beside it, and the tables list the hosts
 * and clusters that matter (not compliant, latest), at most
 * REPORT_HTML_ROWS_MAX rows each, saying how many they leave out; a
 * sweep lists its first REPORT_HTML_SWEEP_ROWS points.
 *
 * Output is a function of the inputs and options: no dates, no wall
 * times. No global state.
 */
#ifndef LPSIM_REPORT_HTML_H
#define LPSIM_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plots/plot_data.h"
#include "plots/plot_sweep.h"

#define REPORT_HTML_HOST_LANES    200
#define REPORT_HTML_CLUSTER_LANES 30
#define REPORT_HTML_ROWS_MAX      500
#define REPORT_HTML_SWEEP_ROWS    2000 /* sweep points listed at most */

struct report_html_opts {
	double window_s; /* maintenance window (s), or NaN: none */
};

/* Defaults: no window. */
void report_html_opts_default(struct report_html_opts *o);

/* True when path ends in .html or .htm (any case): the report's HTML form. */
bool report_html_path(const char *path);

/*
 * Writes the HTML report of a run (run, loaded by plot_run_load with any
 * of the CSV files; those absent leave their sections out with a note)
 * or of a sweep (sweep; run NULL) to path, through a temporary renamed
 * into place. Borrows its inputs. Returns 0, or a negative errno with
 * "PATH: reason" in msg when the file cannot be created or written;
 * -ENOMEM.
 */
int report_html_save(const char *path, const struct plot_run *run, const struct plot_sweep *sweep,
                     const struct report_html_opts *o, char *msg, size_t msglen);

/* As report_html_save, onto the stream f (not closed). Returns 0, -EIO or -ENOMEM. */
int report_html_write(FILE *f, const struct plot_run *run, const struct plot_sweep *sweep,
                      const struct report_html_opts *o);

/* ---- for plots/ only ---- */

/* s with & < > " ' escaped, onto f. */
void report_html__esc(FILE *f, const char *s);
/* The style rules of the charts' state colours (classes s-NAME). */
void report_html__chart_css(FILE *f);
/* The timeline and compliance charts of run as inline SVG. Returns 0 or -ENOMEM. */
int report_html__charts(FILE *f, const struct plot_run *run, const struct report_html_opts *o);

#endif
