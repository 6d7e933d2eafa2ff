/*
 * plot_draw: the drawing vocabulary every chart and the report share:
 * the palette (Okabe-Ito, safe for the common colour-vision deficiencies),
 * the host-state colours, text in DejaVu Sans through cairo and
 * fontconfig, human time units, nice axis ticks (linear, time, log), axes
 * with grid lines, legends and titles.
 *
 * Every function draws on the cairo context it is given and leaves its
 * state (path, source, font, transformation) as it found it (cairo_save /
 * cairo_restore); sizes are in the context's user units (pixels for PNG,
 * points for PDF and SVG). No global state.
 */
#ifndef LPSIM_PLOT_DRAW_H
#define LPSIM_PLOT_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#define PLOT_PI 3.14159265358979323846

struct plot_rgb {
	double r, g, b;
};

/* Okabe-Ito (2008), as 0..1 RGB. */
extern const struct plot_rgb PLOT_BLACK, PLOT_ORANGE, PLOT_SKY, PLOT_GREEN, PLOT_YELLOW, PLOT_BLUE,
    PLOT_VERMILLION, PLOT_PURPLE;
/* Neutrals: text, axes, grid lines, backgrounds. */
extern const struct plot_rgb PLOT_TEXT, PLOT_MUTED, PLOT_AXIS, PLOT_GRID, PLOT_WHITE, PLOT_PANEL;

/* The font every chart uses (fontconfig resolves it; fonts-dejavu-core has it). */
#define PLOT_FONT "DejaVu Sans"

/* Colour of a strategy's curves: live patch blue, classic orange. */
struct plot_rgb plot_strategy_color(int strategy);

/* A colour mixed with white: t = 0 the colour, 1 white. */
struct plot_rgb plot_tint(struct plot_rgb c, double t);

void plot_set_color(cairo_t *cr, struct plot_rgb c);
void plot_set_color_alpha(cairo_t *cr, struct plot_rgb c, double alpha);

/* A rectangle in user units. */
struct plot_rect {
	double x, y, w, h;
};

/* ---- text ---- */

enum plot_weight { PLOT_REGULAR, PLOT_BOLD };

/*
 * Draws s with its anchor at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0
 * top of the capital letters, 0.5 their middle, 1 the baseline. Returns the
 * text's advance width.
 */
double plot_text(cairo_t *cr, double x, double y, const char *s, double size,
                 enum plot_weight wt, struct plot_rgb c, double ax, double ay);

/* The same, rotated 90 degrees counter-clockwise (a y-axis label), centred at (x, y). */
void plot_text_vertical(cairo_t *cr, double x, double y, const char *s, double size,
                        enum plot_weight wt, struct plot_rgb c);

/* The advance width of s at that size and weight. */
double plot_text_width(cairo_t *cr, const char *s, double size, enum plot_weight wt);

/*
 * Copies s into buf (len bytes) cut so that it is at most maxw wide, with
 * "..." at the end when cut (on a UTF-8 character boundary). Returns buf.
 */
char *plot_text_fit(cairo_t *cr, const char *s, double size, enum plot_weight wt, double maxw,
                    char *buf, size_t len);

/*
 * Draws s wrapped at spaces into lines at most maxw wide, the first
 * baseline at y, lines `leading` apart. Returns the y after the last line
 * (its baseline + leading). With draw false only measures.
 */
double plot_text_wrap(cairo_t *cr, double x, double y, double maxw, const char *s, double size,
                      enum plot_weight wt, struct plot_rgb c, double leading, bool draw);

/* ---- numbers and times ---- */

/* "1,234,567" (rounded to an integer). Returns buf. */
char *plot_fmt_count(char *buf, size_t len, double v);

/* A number with about 3 significant digits, no exponent: "0.123", "12.3", "1234". */
char *plot_fmt_num(char *buf, size_t len, double v);

/*
 * A duration in the unit that reads best: "250 ms", "42 s", "37.6 min",
 * "5.25 h", "3.2 d"; "n/a" for NaN. Returns buf.
 */
char *plot_fmt_duration(char *buf, size_t len, double seconds);

/*
 * The unit plot_fmt_duration writes a duration of s seconds in, from 1 s
 * up (below, it writes ms): 1, 60, 3600 or 86400, *name "s", "min", "h"
 * or "d". For a value and its interval written in one unit.
 */
double plot_duration_unit(double s, const char **name);

/* s copied into buf (len bytes) with its first letter capitalised (ASCII):
 * a label that starts a sentence or a heading. Returns buf. */
char *plot_fmt_capital(char *buf, size_t len, const char *s);

/* The unit a duration axis up to span seconds reads in: 1, 60, 3600 or 86400; *name "s"... */
double plot_time_unit(double span, const char **name);

/* ---- axes ---- */

/* A linear or log axis mapped onto [px0, px1] (y axes: px0 at the bottom). */
struct plot_axis {
	double lo, hi; /* data range (log axes: > 0) */
	bool log;
	double px0, px1;
	double step;  /* linear tick step in data units (0: none) */
	double unit;  /* divide data by this for labels (time axes: 60 for min...) */
	const char *unit_name;
};

/* Data value -> user coordinate. */
double plot_axis_map(const struct plot_axis *a, double v);

/*
 * Sets lo..hi, step and unit of a linear axis starting at lo = 0 (or at
 * lo when lo < 0) reaching at least hi, with about `target` ticks. A time
 * axis (time true) picks its unit with plot_time_unit and steps that suit
 * it (15 and 30 min, 6 and 12 h...).
 */
void plot_axis_nice(struct plot_axis *a, double lo, double hi, int target, bool time);

/* A log axis over whole decades covering [lo, hi] (lo > 0). */
void plot_axis_log(struct plot_axis *a, double lo, double hi);

/*
 * Draws a horizontal axis along the bottom of area: grid lines across
 * area (when grid), ticks, tick labels (times in the axis unit; log axes
 * in human durations when time), and the title centred below.
 */
void plot_draw_xaxis(cairo_t *cr, const struct plot_rect *area, const struct plot_axis *a,
                     const char *title, bool grid, bool time);

/*
 * Draws a vertical axis along the left of area: grid lines, ticks,
 * labels with `suffix` appended ("%"), and the title rotated at x_title.
 * Log axes label decades as durations when time.
 */
void plot_draw_yaxis(cairo_t *cr, const struct plot_rect *area, const struct plot_axis *a,
                     const char *title, const char *suffix, double x_title, bool time);

/* ---- legends and titles ---- */

enum plot_mark {
	PLOT_MARK_BOX,      /* a filled swatch (state bands) */
	PLOT_MARK_LINE,     /* a solid line */
	PLOT_MARK_DASH,     /* a dashed line */
	PLOT_MARK_BAND,     /* a translucent band with a line */
	PLOT_MARK_TICK_DOWN, /* a small triangle pointing down */
	PLOT_MARK_TICK_UP,   /* a small triangle pointing up */
	PLOT_MARK_VLINE,    /* a vertical dashed line */
	PLOT_MARK_DOT,      /* a round marker with error bars */
	PLOT_MARK_DOT_SQUARE,   /* the same, square */
	PLOT_MARK_DOT_TRIANGLE, /* the same, a triangle */
	PLOT_MARK_DOT_DIAMOND,  /* the same, a diamond */
};

/* Draws marker shape k (0 circle, 1 square, 2 triangle, 3 diamond; modulo 4) of size s at (x, y). */
void plot_draw_marker(cairo_t *cr, int k, double x, double y, double s);

struct plot_legend_item {
	const char *label;
	struct plot_rgb color;
	enum plot_mark mark;
};

/*
 * Lays the items out left to right from (x, y) (top), wrapping at
 * x + maxw. Draws them when draw; returns the height used and sets
 * *box to the rectangle covered (box may be NULL).
 */
double plot_draw_legend(cairo_t *cr, double x, double y, double maxw,
                        const struct plot_legend_item *items, size_t n, bool draw,
                        struct plot_rect *box);

/* Draws the mark of a legend item in the box (x, y, w, h). */
void plot_draw_mark(cairo_t *cr, enum plot_mark m, struct plot_rgb c, double x, double y, double w,
                    double h);

/*
 * Paints the background white and draws the title (bold) and subtitle
 * (muted) at the top left of a w-wide canvas. Returns the y below them.
 */
double plot_draw_title(cairo_t *cr, double w, const char *title, const char *subtitle);

/* Draws a small muted note (wrapped to maxw) with its first baseline at y; returns y after it. */
double plot_draw_note(cairo_t *cr, double x, double y, double maxw, const char *note);

/*
 * Releases what cairo and fontconfig cache for the process (font faces,
 * the font configuration), so that a leak checker sees none of it. Call it
 * once drawing is over, when no cairo object is alive and no other thread
 * draws; drawing afterwards works again (the caches refill).
 */
void plot_release_fonts(void);

/* Base font sizes (user units) of the charts. */
#define PLOT_FS_TITLE 19.0
#define PLOT_FS_SUB   13.0
#define PLOT_FS_LABEL 13.0
#define PLOT_FS_TICK  12.0
#define PLOT_FS_SMALL 11.5

#endif
