/*
 * plot_sweep: a sweep directory's sweep.json (RESULTS.md "sweep output")
 * read back for the sweep chart and the report:
 *
 *   {"axes": [{"path": P, "values": [V, ...]}, ...],
 *    "points": [{"params": {P: V, ...}, "summary": <summary.json>}, ...]}
 *
 * Values are JSON numbers or strings. A string that reads as a number or
 * a duration ("5m") is numeric too; the axis is numeric when every value
 * is. Each point's params are matched to a value index per axis; points
 * may come in any order, and a point may be missing (the chart leaves a
 * gap). Read-only once loaded; no global state.
 */
#ifndef LPSIM_PLOT_SWEEP_H
#define LPSIM_PLOT_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/output.h"

struct plot_sweep_axis {
	const char *path;    /* owned by the sweep */
	size_t nvalues;
	const char **values; /* as text: "4", "0.5", "5m" */
	double *num;         /* numeric values (NaN when not numeric) */
	bool numeric;        /* every value is numeric */
};

struct plot_sweep_point {
	size_t *idx;                /* per axis: the index of its value */
	struct output_summary sum;  /* the point's summary */
};

struct plot_sweep {
	char *dir;                  /* owned copy */
	size_t naxes;
	struct plot_sweep_axis *axes;
	size_t npoints;
	struct plot_sweep_point *points;
	size_t *order;              /* points sorted by (idx, position), for plot_sweep_find */
	struct sarena *arena;       /* owns the arrays and strings above */
};

/* Most axes and points read (as the scenario format allows). */
#define PLOT_SWEEP_MAX_AXES   16
#define PLOT_SWEEP_MAX_POINTS 100000

/* True when dir holds a sweep.json (a sweep directory rather than a run directory). */
bool plot_is_sweep_dir(const char *dir);

/*
 * Reads dir/sweep.json. Returns 0 and sets *out (free with
 * plot_sweep_free); -ENOENT and other errno values when it cannot be
 * read; -EINVAL when it is malformed (msg: "DIR/sweep.json: points[3]:
 * 'params' lacks 'vcenter...max_hosts'"); -ENOMEM.
 */
int plot_sweep_load(const char *dir, struct plot_sweep **out, char *msg, size_t msglen);

/* Frees s; NULL is a no-op. */
void plot_sweep_free(struct plot_sweep *s);

/*
 * The point whose value index on each axis is idx[axis] (the first in the
 * file when several are), or NULL when the sweep has no such point.
 * O(log points).
 */
const struct plot_sweep_point *plot_sweep_find(const struct plot_sweep *s, const size_t *idx);

/* plot_sweep_find, adding to *probes (when not NULL) the points it looked
 * at: the tests count the work of a lookup instead of timing it. */
const struct plot_sweep_point *plot_sweep_find_counted(const struct plot_sweep *s,
                                                       const size_t *idx, size_t *probes);

/* A sweep metric: its name, label, and the STAT it reads from a strategy. */
struct plot_metric {
	const char *name;  /* "makespan_s", ... */
	const char *label; /* "Makespan" */
	bool time;         /* seconds (a window line applies); else hours or counts */
	const char *unit;  /* "host-hours", or NULL for times */
	const struct stat_summary *(*get)(const struct output_strategy *s);
};

/* The metric named name (NULL: makespan_s), or NULL when unknown. */
const struct plot_metric *plot_metric_find(const char *name);

/* The metric names, comma separated ("makespan_s, time_to_compliance_s, ..."),
 * for messages, into buf (len bytes; 128 hold them). Returns buf. */
char *plot_metric_names(char *buf, size_t len);

#endif
