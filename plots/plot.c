/*
 * plot: chart names, sizes, dispatch to the renderers, and writing a
 * chart to PNG, SVG or PDF through an afile (temporary + rename).
 */
#include "plots/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "plots/plot_png.h"
#include "sim/atomicio.h"

static const char *const chart_names[PLOT_NCHARTS] = {"timeline", "compliance", "downtime",
                                                       "sweep"};

const char *plot_chart_name(enum plot_chart c)
{
	return (unsigned)c < PLOT_NCHARTS ? chart_names[c] : NULL;
}

bool plot_chart_parse(const char *s, enum plot_chart *out)
{
	for (int i = 0; i < PLOT_NCHARTS; i++)
		if (!strcmp(s, chart_names[i])) {
			*out = (enum plot_chart)i;
			return true;
		}
	return false;
}

/* The files each chart reads, and those it cannot be drawn without. */
static const struct {
	unsigned reads;
	unsigned needs;
} chart_files[PLOT_NCHARTS] = {
    [PLOT_TIMELINE] = {PLOT_FILE_HOSTS | PLOT_FILE_TIMELINE | PLOT_FILE_VMS, PLOT_FILE_TIMELINE},
    [PLOT_COMPLIANCE] = {PLOT_FILE_COMPLIANCE, PLOT_FILE_COMPLIANCE},
    [PLOT_DOWNTIME] = {PLOT_FILE_VMS, PLOT_FILE_VMS},
    [PLOT_SWEEP] = {0, 0},
};

unsigned plot_chart_files(enum plot_chart c)
{
	return (unsigned)c < PLOT_NCHARTS ? chart_files[c].reads : 0;
}

unsigned plot_chart_required_files(enum plot_chart c)
{
	return (unsigned)c < PLOT_NCHARTS ? chart_files[c].needs : 0;
}

bool plot_format_of(const char *path, enum plot_format *out)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return false;
	if (!strcasecmp(dot, ".png"))
		*out = PLOT_PNG;
	else if (!strcasecmp(dot, ".svg"))
		*out = PLOT_SVG;
	else if (!strcasecmp(dot, ".pdf"))
		*out = PLOT_PDF;
	else
		return false;
	return true;
}

void plot_opts_default(struct plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->window_s = NAN;
	o->strategy = -1;
	o->lanes = PLOT_LANES_AUTO;
}

bool plot__wanted(const struct plot_opts *o, enum scenario_strategy s)
{
	return o->strategy < 0 || o->strategy == (int)s;
}

void plot__run_caption(const struct output_summary *sum, char *buf, size_t len)
{
	char h[32], v[32];
	plot_fmt_count(h, sizeof(h), (double)sum->hosts);
	plot_fmt_count(v, sizeof(v), (double)sum->vms);
	snprintf(buf, len, "Scenario %s: %s hosts, %s VMs; %ld replication%s, seed %llu",
	         sum->scenario_name ? sum->scenario_name : "?", h, v, sum->replications,
	         sum->replications == 1 ? "" : "s", (unsigned long long)sum->seed);
}

int plot__no_data(cairo_t *cr, double w, double h, const char *title, const char *why,
                  struct plot_layout *lay)
{
	double y = plot_draw_title(cr, w, title, NULL);
	struct plot_rect area = {24, y + 10, w - 48, h - y - 34};
	plot_set_color(cr, PLOT_PANEL);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_fill(cr);
	plot_text_wrap(cr, area.x + 24, area.y + area.h / 2, area.w - 48, why, PLOT_FS_LABEL,
	               PLOT_REGULAR, PLOT_MUTED, PLOT_FS_LABEL + 5, true);
	lay->area = area;
	snprintf(lay->note, sizeof(lay->note), "%s", why);
	return 0;
}

#define DEFAULT_WIDTH 1200.0

/* 0 when src holds what chart c draws from (a sweep, or a run); else -EINVAL and why. */
static int check_source(const struct plot_source *src, enum plot_chart c, char *msg, size_t msglen)
{
	if (c == PLOT_SWEEP && !src->sweep) {
		plot__errf(msg, msglen, "the sweep chart needs a sweep directory (sweep.json)");
		return -EINVAL;
	}
	if (c != PLOT_SWEEP && !src->run) {
		plot__errf(msg, msglen, "the %s chart needs a run directory (summary.json and CSV files)",
		     plot_chart_name(c));
		return -EINVAL;
	}
	return 0;
}

int plot_size(const struct plot_source *src, enum plot_chart c, const struct plot_opts *o,
              double *w, double *h, char *msg, size_t msglen)
{
	*w = o->width > 0 ? o->width : DEFAULT_WIDTH;
	int rc = check_source(src, c, msg, msglen);
	if (rc < 0)
		return rc;
	switch (c) {
	case PLOT_SWEEP:
		*h = *w * 0.58;
		break;
	case PLOT_TIMELINE:
		*h = plot__timeline_height(src->run, o, *w);
		break;
	case PLOT_COMPLIANCE:
		*h = *w * 0.56;
		break;
	default:
		*h = *w * 0.54;
		break;
	}
	return 0;
}

int plot_render(cairo_t *cr, double w, double h, const struct plot_source *src,
                enum plot_chart c, const struct plot_opts *o, struct plot_layout *lay, char *msg,
                size_t msglen)
{
	struct plot_layout dummy;
	if (!lay)
		lay = &dummy;
	memset(lay, 0, sizeof(*lay));
	lay->width = w;
	lay->height = h;
	int rc = check_source(src, c, msg, msglen);
	if (rc < 0)
		return rc;
	cairo_save(cr);
	switch (c) {
	case PLOT_TIMELINE:
		rc = plot__timeline(cr, w, h, src->run, o, lay, msg, msglen);
		break;
	case PLOT_COMPLIANCE:
		rc = plot__compliance(cr, w, h, src->run, o, lay, msg, msglen);
		break;
	case PLOT_DOWNTIME:
		rc = plot__downtime(cr, w, h, src->run, o, lay, msg, msglen);
		break;
	case PLOT_SWEEP:
		rc = plot__sweep(cr, w, h, src->sweep, o, lay, msg, msglen);
		break;
	default:
		plot__errf(msg, msglen, "unknown chart");
		rc = -EINVAL;
	}
	cairo_restore(cr);
	if (rc == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		plot__errf(msg, msglen, "drawing failed: %s", cairo_status_to_string(cairo_status(cr)));
		rc = cairo_status(cr) == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
	}
	return rc;
}

cairo_status_t plot__sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct plot__sink *s = closure;
	if (s->err)
		return CAIRO_STATUS_WRITE_ERROR;
	if (fwrite(data, 1, len, s->f) != len) {
		s->err = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

int plot_save(const char *path, const struct plot_source *src, enum plot_chart c,
              const struct plot_opts *o, struct plot_layout *lay, char *msg, size_t msglen)
{
	enum plot_format fmt;
	if (!plot_format_of(path, &fmt)) {
		plot__errf(msg, msglen, "%s: the file name must end in .png, .svg or .pdf", path);
		return -EINVAL;
	}
	return plot_save_as(path, fmt, src, c, o, lay, msg, msglen);
}

int plot_save_as(const char *path, enum plot_format fmt, const struct plot_source *src,
                 enum plot_chart c, const struct plot_opts *o, struct plot_layout *lay, char *msg,
                 size_t msglen)
{
	double w, h;
	int rc = plot_size(src, c, o, &w, &h, msg, msglen);
	if (rc < 0)
		return rc;
	if (fmt == PLOT_PNG && (ceil(h) > PLOT_PNG_MAX_PX || ceil(w) > PLOT_PNG_MAX_PX)) {
		plot__errf(msg, msglen,
			   "%s: the %s chart would be %.0f pixels tall, more than a PNG can hold "
			   "(%d): draw it as .svg or .pdf%s",
			   path, plot_chart_name(c), ceil(h), PLOT_PNG_MAX_PX,
			   c != PLOT_TIMELINE ? ""
			   : o->strategy < 0 ? ", with --lanes clusters, or one --strategy at a time"
					     : ", or with --lanes clusters");
		return -EINVAL;
	}
	struct afile *af = afile_open(path);
	if (!af) {
		rc = -errno;
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	struct plot__sink sk = {afile_stream(af), 0};
	cairo_surface_t *surf;
	if (fmt == PLOT_PNG)
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w), (int)ceil(h));
	else if (fmt == PLOT_SVG)
		surf = cairo_svg_surface_create_for_stream(plot__sink_write, &sk, w, h);
	else
		surf = cairo_pdf_surface_create_for_stream(plot__sink_write, &sk, w, h);
	cairo_t *cr = cairo_create(surf);
	rc = plot_render(cr, w, h, src, c, o, lay, msg, msglen);
	cairo_destroy(cr);
	if (rc == 0 && fmt == PLOT_PNG) {
		cairo_surface_flush(surf);
		rc = cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS ? plot__write_png(surf, sk.f)
									: -ENOMEM;
		if (rc < 0)
			plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
	} else if (rc == 0) {
		cairo_surface_finish(surf);
		cairo_status_t st = cairo_surface_status(surf);
		if (st != CAIRO_STATUS_SUCCESS) {
			rc = sk.err ? -sk.err : st == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
			plot__errf(msg, msglen, "%s: %s", path,
			     sk.err ? strerror(sk.err) : cairo_status_to_string(st));
		}
	}
	cairo_surface_destroy(surf);
	if (rc < 0) {
		afile_abort(af);
		return rc;
	}
	rc = afile_commit(af);
	if (rc < 0)
		plot__errf(msg, msglen, "%s: %s", path, strerror(-rc));
	return rc;
}
