/*
 * plot_draw: palette, text, units, axes, legends; see plot_draw.h. Text
 * goes through cairo's own font selection, which asks fontconfig for
 * PLOT_FONT; metrics are not hinted, so a chart lays out the same in PNG,
 * SVG and PDF.
 */
#include "plots/plot_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

const struct plot_rgb PLOT_BLACK = {0, 0, 0};
const struct plot_rgb PLOT_ORANGE = {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0};
const struct plot_rgb PLOT_SKY = {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0};
const struct plot_rgb PLOT_GREEN = {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0};
const struct plot_rgb PLOT_YELLOW = {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0};
const struct plot_rgb PLOT_BLUE = {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0};
const struct plot_rgb PLOT_VERMILLION = {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0};
const struct plot_rgb PLOT_PURPLE = {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0};
const struct plot_rgb PLOT_TEXT = {0x22 / 255.0, 0x22 / 255.0, 0x22 / 255.0};
const struct plot_rgb PLOT_MUTED = {0x5F / 255.0, 0x5F / 255.0, 0x5F / 255.0};
const struct plot_rgb PLOT_AXIS = {0x44 / 255.0, 0x44 / 255.0, 0x44 / 255.0};
const struct plot_rgb PLOT_GRID = {0xE3 / 255.0, 0xE3 / 255.0, 0xE3 / 255.0};
const struct plot_rgb PLOT_WHITE = {1, 1, 1};
const struct plot_rgb PLOT_PANEL = {0xFA / 255.0, 0xFA / 255.0, 0xFA / 255.0};

struct plot_rgb plot_strategy_color(int strategy)
{
	return strategy == 0 ? PLOT_BLUE : PLOT_ORANGE;
}

struct plot_rgb plot_tint(struct plot_rgb c, double t)
{
	return (struct plot_rgb){c.r + (1 - c.r) * t, c.g + (1 - c.g) * t, c.b + (1 - c.b) * t};
}

void plot_set_color(cairo_t *cr, struct plot_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void plot_set_color_alpha(cairo_t *cr, struct plot_rgb c, double alpha)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* ---- text ---------------------------------------------------------------------- */

static void set_font(cairo_t *cr, double size, enum plot_weight wt)
{
	cairo_select_font_face(cr, PLOT_FONT, CAIRO_FONT_SLANT_NORMAL,
	                       wt == PLOT_BOLD ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
}

/* Cap height of DejaVu Sans, as a fraction of the font size. */
#define CAP 0.73

double plot_text_width(cairo_t *cr, const char *s, double size, enum plot_weight wt)
{
	cairo_save(cr);
	set_font(cr, size, wt);
	cairo_text_extents_t te;
	cairo_text_extents(cr, s, &te);
	cairo_restore(cr);
	return te.x_advance;
}

double plot_text(cairo_t *cr, double x, double y, const char *s, double size,
                 enum plot_weight wt, struct plot_rgb c, double ax, double ay)
{
	cairo_save(cr);
	set_font(cr, size, wt);
	cairo_text_extents_t te;
	cairo_text_extents(cr, s, &te);
	plot_set_color(cr, c);
	cairo_move_to(cr, x - ax * te.x_advance, y + (1 - ay) * CAP * size);
	cairo_show_text(cr, s);
	cairo_new_path(cr);
	cairo_restore(cr);
	return te.x_advance;
}

void plot_text_vertical(cairo_t *cr, double x, double y, const char *s, double size,
                        enum plot_weight wt, struct plot_rgb c)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_rotate(cr, -PLOT_PI / 2);
	plot_text(cr, 0, 0, s, size, wt, c, 0.5, 0.5);
	cairo_restore(cr);
}

char *plot_text_fit(cairo_t *cr, const char *s, double size, enum plot_weight wt, double maxw,
                    char *buf, size_t len)
{
	snprintf(buf, len, "%s", s);
	if (plot_text_width(cr, buf, size, wt) <= maxw)
		return buf;
	size_t n = strlen(buf);
	while (n > 0) {
		n--;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--; /* keep UTF-8 sequences whole */
		if (n + 4 > len)
			continue;
		memcpy(buf + n, "...", 4);
		if (plot_text_width(cr, buf, size, wt) <= maxw)
			return buf;
	}
	snprintf(buf, len, "%s", len > 3 ? "..." : "");
	return buf;
}

double plot_text_wrap(cairo_t *cr, double x, double y, double maxw, const char *s, double size,
                      enum plot_weight wt, struct plot_rgb c, double leading, bool draw)
{
	char line[1024];
	size_t ll = 0;
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		size_t wl = (size_t)(e - p);
		char cand[1024];
		if (wl > 900)
			wl = 900;
		int cl = snprintf(cand, sizeof(cand), "%.*s%s%.*s", (int)ll, line, ll ? " " : "",
		                  (int)wl, p);
		if (ll && (plot_text_width(cr, cand, size, wt) > maxw || cl >= (int)sizeof(line))) {
			line[ll] = '\0';
			if (draw)
				plot_text(cr, x, y, line, size, wt, c, 0, 1);
			y += leading;
			ll = (size_t)snprintf(line, sizeof(line), "%.*s", (int)wl, p);
		} else {
			memcpy(line, cand, (size_t)cl + 1);
			ll = (size_t)cl;
		}
		p = e;
		if (*p == '\n') { /* a forced break */
			line[ll] = '\0';
			if (draw && ll)
				plot_text(cr, x, y, line, size, wt, c, 0, 1);
			y += leading;
			ll = 0;
			p++;
		}
	}
	if (ll) {
		line[ll] = '\0';
		if (draw)
			plot_text(cr, x, y, line, size, wt, c, 0, 1);
		y += leading;
	}
	return y;
}

/* ---- numbers and times ------------------------------------------------------------ */

char *plot_fmt_count(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	char d[64];
	snprintf(d, sizeof(d), "%.0f", fabs(v));
	size_t n = strlen(d), o = 0;
	char out[96];
	if (v < 0 && strcmp(d, "0"))
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
	return buf;
}

char *plot_fmt_num(char *buf, size_t len, double v)
{
	double a = fabs(v);
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (a >= 10000)
		plot_fmt_count(buf, len, v);
	else if (a >= 100 || v == 0)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3g", v);
	/* "4.00" -> "4", "37.0" -> "37", "5.20" -> "5.2" */
	char *dot = strchr(buf, '.');
	if (dot && !strpbrk(buf, "e,")) {
		char *e = buf + strlen(buf);
		while (e > dot + 1 && e[-1] == '0')
			*--e = '\0';
		if (e == dot + 1)
			*dot = '\0';
	}
	return buf;
}

double plot_duration_unit(double s, const char **name)
{
	double a = fabs(s);
	if (!(a >= 120)) {
		*name = "s";
		return 1;
	}
	if (a < 7200) {
		*name = "min";
		return 60;
	}
	if (a < 4 * 86400.0) {
		*name = "h";
		return 3600;
	}
	*name = "d";
	return 86400;
}

char *plot_fmt_duration(char *buf, size_t len, double s)
{
	char n[64];
	if (!isfinite(s)) {
		snprintf(buf, len, "n/a");
	} else if (s == 0) {
		snprintf(buf, len, "0 s");
	} else if (fabs(s) < 1) {
		snprintf(buf, len, "%s ms", plot_fmt_num(n, sizeof(n), s * 1000));
	} else {
		const char *u;
		double k = plot_duration_unit(s, &u);
		snprintf(buf, len, "%s %s", plot_fmt_num(n, sizeof(n), s / k), u);
	}
	return buf;
}

char *plot_fmt_capital(char *buf, size_t len, const char *s)
{
	snprintf(buf, len, "%s", s);
	if (len && buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

double plot_time_unit(double span, const char **name)
{
	if (!(span > 180)) {
		*name = "s";
		return 1;
	}
	if (span <= 3 * 3600.0) {
		*name = "min";
		return 60;
	}
	if (span <= 4 * 86400.0) {
		*name = "h";
		return 3600;
	}
	*name = "d";
	return 86400;
}

/* ---- axes ---------------------------------------------------------------------- */

double plot_axis_map(const struct plot_axis *a, double v)
{
	double t;
	if (a->log) {
		double lv = v > 0 ? log10(v) : log10(a->lo) - 1;
		t = (lv - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		t = a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0;
	}
	return a->px0 + t * (a->px1 - a->px0);
}

/* The smallest "nice" step >= raw (in the axis unit). */
static double nice_step(double raw, const char *unit)
{
	static const double mins[] = {1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720};
	static const double hours[] = {1, 2, 3, 4, 6, 12, 24, 48, 72};
	if (raw >= 1 && unit && (!strcmp(unit, "s") || !strcmp(unit, "min"))) {
		for (size_t i = 0; i < sizeof(mins) / sizeof(mins[0]); i++)
			if (mins[i] >= raw)
				return mins[i];
	}
	if (raw >= 1 && unit && !strcmp(unit, "h")) {
		for (size_t i = 0; i < sizeof(hours) / sizeof(hours[0]); i++)
			if (hours[i] >= raw)
				return hours[i];
	}
	double mag = pow(10, floor(log10(raw)));
	static const double f[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < 5; i++)
		if (f[i] * mag >= raw * (1 - 1e-9))
			return f[i] * mag;
	return 10 * mag;
}

void plot_axis_nice(struct plot_axis *a, double lo, double hi, int target, bool time)
{
	a->log = false;
	a->unit = 1;
	a->unit_name = NULL;
	if (!(hi > lo))
		hi = lo + 1;
	if (time)
		a->unit = plot_time_unit(hi - (lo < 0 ? lo : 0), &a->unit_name);
	double span = (hi - (lo < 0 ? lo : 0)) / a->unit;
	double step = nice_step(span / (target > 0 ? target : 5), a->unit_name);
	a->step = step * a->unit;
	a->lo = lo < 0 ? floor(lo / a->step) * a->step : 0;
	a->hi = ceil(hi / a->step - 1e-9) * a->step;
	if (a->hi <= a->lo)
		a->hi = a->lo + a->step;
}

void plot_axis_log(struct plot_axis *a, double lo, double hi)
{
	a->log = true;
	a->unit = 1;
	a->unit_name = NULL;
	a->step = 0;
	if (!(lo > 0))
		lo = 1e-3;
	if (!(hi > lo))
		hi = lo * 10;
	a->lo = pow(10, floor(log10(lo) + 1e-9));
	a->hi = pow(10, ceil(log10(hi) - 1e-9));
	if (a->hi <= a->lo)
		a->hi = a->lo * 10;
}

/* Label of a linear tick value in the axis unit: "12", "2.5", "1,200". */
static void tick_label(char *buf, size_t len, double v, double step)
{
	if (fabs(v) < step * 1e-6)
		v = 0;
	if (step >= 1 || v == 0)
		plot_fmt_count(buf, len, v);
	else if (step >= 0.1)
		snprintf(buf, len, "%.1f", v);
	else if (step >= 0.01)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%g", v);
}

/* Ticks of a log time axis: human units rather than decades. */
static const double log_time_ticks[] = {0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 36000, 86400, 864000};
static const char *const log_time_names[] = {"1 ms", "10 ms", "100 ms", "1 s",  "10 s", "1 min",
                                             "10 min", "1 h",  "10 h",  "1 d", "10 d"};

/* Calls back for each tick of a: value and label. */
static size_t axis_ticks(const struct plot_axis *a, bool time, double *vals, char (*labels)[32],
                         size_t max)
{
	size_t n = 0;
	if (a->log && time) {
		for (size_t i = 0; i < sizeof(log_time_ticks) / sizeof(log_time_ticks[0]) && n < max;
		     i++) {
			double v = log_time_ticks[i];
			if (v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
				continue;
			vals[n] = v;
			snprintf(labels[n++], 32, "%s", log_time_names[i]);
		}
	} else if (a->log) {
		for (double v = a->lo; v <= a->hi * (1 + 1e-9) && n < max; v *= 10) {
			vals[n] = v;
			if (v >= 1)
				plot_fmt_count(labels[n++], 32, v);
			else
				snprintf(labels[n++], 32, "%g", v);
		}
	} else if (a->step > 0) {
		for (double v = a->lo; v <= a->hi + a->step * 1e-6 && n < max; v += a->step) {
			vals[n] = v;
			tick_label(labels[n++], 32, v / a->unit, a->step / a->unit);
		}
	}
	return n;
}

void plot_draw_xaxis(cairo_t *cr, const struct plot_rect *r, const struct plot_axis *a,
                     const char *title, bool grid, bool time)
{
	double vals[64];
	char labels[64][32];
	size_t n = axis_ticks(a, time, vals, labels, 64);
	cairo_save(cr);
	cairo_set_line_width(cr, 1);
	if (grid) {
		plot_set_color(cr, PLOT_GRID);
		for (size_t i = 0; i < n; i++) {
			double x = round(plot_axis_map(a, vals[i])) + 0.5;
			cairo_move_to(cr, x, r->y);
			cairo_line_to(cr, x, r->y + r->h);
		}
		cairo_stroke(cr);
		if (a->log) { /* faint minor lines at 2..9 x each decade */
			plot_set_color_alpha(cr, PLOT_GRID, 0.5);
			for (double d = a->lo; d < a->hi; d *= 10)
				for (int k = 2; k < 10; k++) {
					double x = round(plot_axis_map(a, d * k)) + 0.5;
					cairo_move_to(cr, x, r->y);
					cairo_line_to(cr, x, r->y + r->h);
				}
			cairo_stroke(cr);
		}
	}
	plot_set_color(cr, PLOT_AXIS);
	double yb = round(r->y + r->h) + 0.5;
	cairo_move_to(cr, r->x, yb);
	cairo_line_to(cr, r->x + r->w, yb);
	for (size_t i = 0; i < n; i++) {
		double x = round(plot_axis_map(a, vals[i])) + 0.5;
		cairo_move_to(cr, x, yb);
		cairo_line_to(cr, x, yb + 5);
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < n; i++)
		plot_text(cr, plot_axis_map(a, vals[i]), yb + 9, labels[i], PLOT_FS_TICK, PLOT_REGULAR,
		          PLOT_TEXT, 0.5, 0);
	if (title) {
		char t[256];
		if (a->unit_name && !a->log)
			snprintf(t, sizeof(t), "%s (%s)", title, a->unit_name);
		else
			snprintf(t, sizeof(t), "%s", title);
		plot_text(cr, r->x + r->w / 2, yb + 30, t, PLOT_FS_LABEL, PLOT_REGULAR, PLOT_TEXT, 0.5,
		          0);
	}
	cairo_restore(cr);
}

void plot_draw_yaxis(cairo_t *cr, const struct plot_rect *r, const struct plot_axis *a,
                     const char *title, const char *suffix, double x_title, bool time)
{
	double vals[64];
	char labels[64][32];
	size_t n = axis_ticks(a, time, vals, labels, 64);
	cairo_save(cr);
	cairo_set_line_width(cr, 1);
	plot_set_color(cr, PLOT_GRID);
	for (size_t i = 0; i < n; i++) {
		double y = round(plot_axis_map(a, vals[i])) + 0.5;
		cairo_move_to(cr, r->x, y);
		cairo_line_to(cr, r->x + r->w, y);
	}
	cairo_stroke(cr);
	plot_set_color(cr, PLOT_AXIS);
	double xl = round(r->x) + 0.5;
	cairo_move_to(cr, xl, r->y);
	cairo_line_to(cr, xl, r->y + r->h);
	for (size_t i = 0; i < n; i++) {
		double y = round(plot_axis_map(a, vals[i])) + 0.5;
		cairo_move_to(cr, xl - 5, y);
		cairo_line_to(cr, xl, y);
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < n; i++) {
		char l[48];
		snprintf(l, sizeof(l), "%.31s%.15s", labels[i], suffix ? suffix : "");
		plot_text(cr, xl - 8, plot_axis_map(a, vals[i]), l, PLOT_FS_TICK, PLOT_REGULAR,
		          PLOT_TEXT, 1, 0.5);
	}
	if (title) {
		char t[256];
		if (a->unit_name && !a->log)
			snprintf(t, sizeof(t), "%s (%s)", title, a->unit_name);
		else
			snprintf(t, sizeof(t), "%s", title);
		plot_text_vertical(cr, x_title, r->y + r->h / 2, t, PLOT_FS_LABEL, PLOT_REGULAR,
		                   PLOT_TEXT);
	}
	cairo_restore(cr);
}

/* ---- legends and titles ----------------------------------------------------------- */

void plot_draw_mark(cairo_t *cr, enum plot_mark m, struct plot_rgb c, double x, double y, double w,
                    double h)
{
	cairo_save(cr);
	double cy = y + h / 2, cx = x + w / 2;
	switch (m) {
	case PLOT_MARK_BOX:
		plot_set_color(cr, c);
		cairo_rectangle(cr, x, y, w, h);
		cairo_fill_preserve(cr);
		plot_set_color_alpha(cr, PLOT_BLACK, 0.25);
		cairo_set_line_width(cr, 0.75);
		cairo_stroke(cr);
		break;
	case PLOT_MARK_BAND:
		plot_set_color_alpha(cr, c, 0.25);
		cairo_rectangle(cr, x, y, w, h);
		cairo_fill(cr);
		/* and the band's median line: */
		/* fall through */
	case PLOT_MARK_LINE:
	case PLOT_MARK_DASH:
		plot_set_color(cr, c);
		cairo_set_line_width(cr, 2.5);
		if (m == PLOT_MARK_DASH) {
			double d[] = {6, 3};
			cairo_set_dash(cr, d, 2, 0);
		}
		cairo_move_to(cr, x, cy);
		cairo_line_to(cr, x + w, cy);
		cairo_stroke(cr);
		break;
	case PLOT_MARK_TICK_DOWN:
	case PLOT_MARK_TICK_UP: {
		double s = h * 0.45, dir = m == PLOT_MARK_TICK_DOWN ? 1 : -1;
		plot_set_color(cr, c);
		cairo_move_to(cr, cx - s, cy - dir * s);
		cairo_line_to(cr, cx + s, cy - dir * s);
		cairo_line_to(cr, cx, cy + dir * s);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	}
	case PLOT_MARK_VLINE: {
		double d[] = {4, 3};
		plot_set_color(cr, c);
		cairo_set_line_width(cr, 1.5);
		cairo_set_dash(cr, d, 2, 0);
		cairo_move_to(cr, cx, y - 2);
		cairo_line_to(cr, cx, y + h + 2);
		cairo_stroke(cr);
		break;
	}
	case PLOT_MARK_DOT:
	case PLOT_MARK_DOT_SQUARE:
	case PLOT_MARK_DOT_TRIANGLE:
	case PLOT_MARK_DOT_DIAMOND:
		plot_set_color(cr, c);
		cairo_set_line_width(cr, 1.5);
		cairo_move_to(cr, cx, y - 2);
		cairo_line_to(cr, cx, y + h + 2);
		cairo_move_to(cr, cx - 4, y - 2);
		cairo_line_to(cr, cx + 4, y - 2);
		cairo_move_to(cr, cx - 4, y + h + 2);
		cairo_line_to(cr, cx + 4, y + h + 2);
		cairo_stroke(cr);
		plot_draw_marker(cr, (int)(m - PLOT_MARK_DOT), cx, cy, 4);
		break;
	}
	cairo_restore(cr);
}

void plot_draw_marker(cairo_t *cr, int k, double x, double y, double s)
{
	switch (k % 4) {
	case 0:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, s, 0, 2 * PLOT_PI);
		break;
	case 1:
		cairo_rectangle(cr, x - s * 0.9, y - s * 0.9, s * 1.8, s * 1.8);
		break;
	case 2:
		cairo_move_to(cr, x, y - s * 1.2);
		cairo_line_to(cr, x + s * 1.1, y + s * 0.8);
		cairo_line_to(cr, x - s * 1.1, y + s * 0.8);
		cairo_close_path(cr);
		break;
	default:
		cairo_move_to(cr, x, y - s * 1.3);
		cairo_line_to(cr, x + s * 1.1, y);
		cairo_line_to(cr, x, y + s * 1.3);
		cairo_line_to(cr, x - s * 1.1, y);
		cairo_close_path(cr);
		break;
	}
	cairo_fill(cr);
}

double plot_draw_legend(cairo_t *cr, double x, double y, double maxw,
                        const struct plot_legend_item *items, size_t n, bool draw,
                        struct plot_rect *box)
{
	const double mw = 24, mh = 12, gap = 7, sep = 20, lh = 20;
	double cx = x, cy = y, right = x;
	for (size_t i = 0; i < n; i++) {
		double tw = plot_text_width(cr, items[i].label, PLOT_FS_SMALL + 0.5, PLOT_REGULAR);
		double iw = mw + gap + tw;
		if (cx > x && cx + iw > x + maxw) {
			cx = x;
			cy += lh;
		}
		if (draw) {
			plot_draw_mark(cr, items[i].mark, items[i].color, cx, cy + (lh - mh) / 2 - 2, mw,
			               mh);
			plot_text(cr, cx + mw + gap, cy + lh / 2 - 2, items[i].label, PLOT_FS_SMALL + 0.5,
			          PLOT_REGULAR, PLOT_TEXT, 0, 0.5);
		}
		cx += iw;
		if (cx > right)
			right = cx;
		cx += sep;
	}
	double h = n ? cy + lh - y : 0;
	if (box)
		*box = (struct plot_rect){x, y, right - x, h};
	return h;
}

double plot_draw_title(cairo_t *cr, double w, const char *title, const char *subtitle)
{
	cairo_save(cr);
	plot_set_color(cr, PLOT_WHITE);
	cairo_paint(cr);
	cairo_restore(cr);
	double y = 16;
	plot_text(cr, 24, y, title, PLOT_FS_TITLE, PLOT_BOLD, PLOT_TEXT, 0, 0);
	y += PLOT_FS_TITLE + 8;
	if (subtitle && *subtitle)
		y = plot_text_wrap(cr, 24, y + CAP * PLOT_FS_SUB, w - 48, subtitle, PLOT_FS_SUB,
		                   PLOT_REGULAR, PLOT_MUTED, PLOT_FS_SUB + 5, true) -
		    CAP * PLOT_FS_SUB;
	return y + 6;
}

double plot_draw_note(cairo_t *cr, double x, double y, double maxw, const char *note)
{
	return plot_text_wrap(cr, x, y, maxw, note, PLOT_FS_SMALL, PLOT_REGULAR, PLOT_MUTED,
	                      PLOT_FS_SMALL + 4, true);
}

void plot_release_fonts(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
