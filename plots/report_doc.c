/*
 * report_doc: page layout of the PDF report; see report_doc.h.
 */
#include "plots/report_doc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#define MARGIN 50.0
#define FOOT 30.0
#define FS_BODY 10.0
#define FS_NOTE 8.8
#define FS_H1 17.0
#define FS_H2 12.5
#define FS_TABLE 8.8
#define LEAD 14.0

int report_doc_open(struct report_doc *d, cairo_write_func_t write_fn, void *closure,
                    const char *footer)
{
	memset(d, 0, sizeof(*d));
	d->surf = cairo_pdf_surface_create_for_stream(write_fn, closure, REPORT_A4_W, REPORT_A4_H);
	d->cr = cairo_create(d->surf);
	if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(d->cr);
		cairo_surface_destroy(d->surf);
		return -ENOMEM;
	}
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "lpsim " LPSIM_VERSION);
	snprintf(d->footer, sizeof(d->footer), "%s", footer);
	return 0;
}

int report_doc_close(struct report_doc *d)
{
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surf);
	cairo_status_t st = cairo_surface_status(d->surf);
	cairo_surface_destroy(d->surf);
	d->cr = NULL;
	d->surf = NULL;
	if (st == CAIRO_STATUS_SUCCESS)
		return 0;
	return st == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
}

void report_doc_fail(struct report_doc *d, int err)
{
	if (!d->err)
		d->err = err;
}

static void footer(struct report_doc *d)
{
	char pg[32];
	snprintf(pg, sizeof(pg), "page %d", d->pages);
	cairo_save(d->cr);
	plot_set_color(d->cr, PLOT_GRID);
	cairo_set_line_width(d->cr, 0.6);
	cairo_move_to(d->cr, MARGIN, d->ph - FOOT - 8);
	cairo_line_to(d->cr, d->pw - MARGIN, d->ph - FOOT - 8);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
	plot_text(d->cr, MARGIN, d->ph - FOOT, d->footer, 7.5, PLOT_REGULAR, PLOT_MUTED, 0, 0.5);
	plot_text(d->cr, d->pw - MARGIN, d->ph - FOOT, pg, 7.5, PLOT_REGULAR, PLOT_MUTED, 1, 0.5);
}

void report_doc_page(struct report_doc *d, bool landscape)
{
	if (d->pages > 0)
		cairo_show_page(d->cr);
	d->pw = landscape ? REPORT_A4_H : REPORT_A4_W;
	d->ph = landscape ? REPORT_A4_W : REPORT_A4_H;
	cairo_pdf_surface_set_size(d->surf, d->pw, d->ph);
	d->pages++;
	d->left = MARGIN;
	d->right = d->pw - MARGIN;
	d->y = MARGIN - 6;
	d->bottom = d->ph - FOOT - 20;
	footer(d);
}

void report_doc_need(struct report_doc *d, double h)
{
	if (d->pages == 0 || d->y + h > d->bottom)
		report_doc_page(d, d->pages ? d->pw > d->ph : false);
}

void report_doc_space(struct report_doc *d, double h)
{
	d->y += h;
}

void report_doc_h1(struct report_doc *d, const char *text)
{
	report_doc_need(d, 70);
	if (d->y > MARGIN)
		d->y += 10;
	plot_text(d->cr, d->left, d->y, text, FS_H1, PLOT_BOLD, PLOT_TEXT, 0, 0);
	char link[64];
	snprintf(link, sizeof(link), "page=%d pos=[%.0f %.0f]", d->pages, d->left, d->y);
	d->outline_top =
	    cairo_pdf_surface_add_outline(d->surf, CAIRO_PDF_OUTLINE_ROOT, text, link, 0);
	d->y += FS_H1 + 4;
	cairo_save(d->cr);
	plot_set_color(d->cr, PLOT_BLUE);
	cairo_set_line_width(d->cr, 1.2);
	cairo_move_to(d->cr, d->left, d->y);
	cairo_line_to(d->cr, d->left + 60, d->y);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
	d->y += 12;
}

void report_doc_h2(struct report_doc *d, const char *text)
{
	report_doc_need(d, 50);
	d->y += 6;
	plot_text(d->cr, d->left, d->y, text, FS_H2, PLOT_BOLD, PLOT_TEXT, 0, 0);
	if (d->outline_top > 0) {
		char link[64];
		snprintf(link, sizeof(link), "page=%d pos=[%.0f %.0f]", d->pages, d->left, d->y);
		cairo_pdf_surface_add_outline(d->surf, d->outline_top, text, link, 0);
	}
	d->y += FS_H2 + 8;
}

/* Wraps text at x..right, breaking pages between lines. */
static void wrapped(struct report_doc *d, double x, const char *text, double size,
                    enum plot_weight wt, struct plot_rgb c, double lead)
{
	/* Measure per line by wrapping a line at a time: split into words, build lines. */
	const char *p = text;
	char line[2048];
	size_t ll = 0;
	double maxw = d->right - x;
	for (;;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		bool end = !*p || *p == '\n';
		if (!end) {
			char cand[2048];
			int cl = snprintf(cand, sizeof(cand), "%.*s%s%.*s", (int)ll, line, ll ? " " : "",
			                  (int)(e - p > 1000 ? 1000 : e - p), p);
			if (ll && (plot_text_width(d->cr, cand, size, wt) > maxw || cl >= (int)sizeof(line))) {
				end = true; /* flush the line, then retry the word */
			} else {
				memcpy(line, cand, (size_t)cl + 1);
				ll = (size_t)cl;
				p = e;
				continue;
			}
		}
		if (ll) {
			line[ll] = '\0';
			report_doc_need(d, lead);
			plot_text(d->cr, x, d->y + size * 0.73, line, size, wt, c, 0, 1);
			d->y += lead;
			ll = 0;
		}
		if (!*p)
			break;
		if (*p == '\n') {
			p++;
			d->y += lead * 0.4;
		}
	}
}

void report_doc_p(struct report_doc *d, const char *text)
{
	report_doc_need(d, LEAD);
	wrapped(d, d->left, text, FS_BODY, PLOT_REGULAR, PLOT_TEXT, LEAD);
	d->y += 6;
}

void report_doc_note(struct report_doc *d, const char *text)
{
	report_doc_need(d, LEAD);
	wrapped(d, d->left, text, FS_NOTE, PLOT_REGULAR, PLOT_MUTED, FS_NOTE + 3.5);
	d->y += 5;
}

void report_doc_bullet(struct report_doc *d, const char *text)
{
	report_doc_need(d, LEAD * 2);
	cairo_save(d->cr);
	plot_set_color(d->cr, PLOT_BLUE);
	cairo_arc(d->cr, d->left + 4, d->y + FS_BODY * 0.4, 2.2, 0, 2 * PLOT_PI);
	cairo_fill(d->cr);
	cairo_restore(d->cr);
	wrapped(d, d->left + 14, text, FS_BODY, PLOT_REGULAR, PLOT_TEXT, LEAD);
	d->y += 4;
}

static void table_row(struct report_doc *d, size_t ncols, const double *w,
                      const enum report_align *align, const char *const *cells, bool bold,
                      bool shade)
{
	const double rh = FS_TABLE + 7;
	if (shade) {
		cairo_save(d->cr);
		plot_set_color(d->cr, (struct plot_rgb){0.955, 0.962, 0.972});
		cairo_rectangle(d->cr, d->left, d->y, d->right - d->left, rh);
		cairo_fill(d->cr);
		cairo_restore(d->cr);
	}
	double x = d->left;
	for (size_t c = 0; c < ncols; c++) {
		char buf[512];
		const char *s = cells[c] ? cells[c] : "";
		plot_text_fit(d->cr, s, FS_TABLE, bold ? PLOT_BOLD : PLOT_REGULAR, w[c] - 8, buf,
		              sizeof(buf));
		if (align[c] == REPORT_RIGHT)
			plot_text(d->cr, x + w[c] - 4, d->y + rh / 2, buf, FS_TABLE,
			          bold ? PLOT_BOLD : PLOT_REGULAR, PLOT_TEXT, 1, 0.5);
		else
			plot_text(d->cr, x + 4, d->y + rh / 2, buf, FS_TABLE, bold ? PLOT_BOLD : PLOT_REGULAR,
			          PLOT_TEXT, 0, 0.5);
		x += w[c];
	}
	d->y += rh;
}

void report_doc_table(struct report_doc *d, size_t ncols, const double *widths,
                      const enum report_align *align, const char *const *header,
                      const char *const *cells, size_t nrows)
{
	double w[32], tot = 0;
	if (ncols > 32)
		ncols = 32;
	for (size_t c = 0; c < ncols; c++)
		tot += widths[c];
	double k = tot > d->right - d->left ? (d->right - d->left) / tot : 1;
	for (size_t c = 0; c < ncols; c++)
		w[c] = widths[c] * k;
	const double rh = FS_TABLE + 7;
	report_doc_need(d, rh * 3);
	for (size_t r = 0; r <= nrows; r++) {
		if (r == 0 || d->y + rh > d->bottom) {
			if (r > 0)
				report_doc_page(d, d->pw > d->ph);
			table_row(d, ncols, w, align, header, true, false);
			cairo_save(d->cr);
			plot_set_color(d->cr, PLOT_AXIS);
			cairo_set_line_width(d->cr, 0.8);
			cairo_move_to(d->cr, d->left, d->y);
			cairo_line_to(d->cr, d->left + tot * k, d->y);
			cairo_stroke(d->cr);
			cairo_restore(d->cr);
		}
		if (r == nrows)
			break;
		table_row(d, ncols, w, align, cells + r * ncols, false, r % 2 == 1);
	}
	d->y += 8;
}

int report_doc_chart(struct report_doc *d, const char *title, const struct plot_source *src,
                     enum plot_chart c, const struct plot_opts *o)
{
	/* Wide charts on landscape pages; tall ones (a timeline of many hosts) drawn narrower on
	 * portrait pages, so that their text stays about 8 pt. */
	struct plot_opts po = *o;
	po.width = 1040;
	double w, h;
	char msg[1024] = "";
	int rc = plot_size(src, c, &po, &w, &h, msg, sizeof(msg));
	bool landscape = rc < 0 || h / w <= 0.72;
	if (!landscape) {
		po.width = 820;
		rc = plot_size(src, c, &po, &w, &h, msg, sizeof(msg));
	}
	report_doc_page(d, landscape);
	if (title) {
		char link[64];
		snprintf(link, sizeof(link), "page=%d pos=[%.0f %.0f]", d->pages, d->left, d->y);
		cairo_pdf_surface_add_outline(d->surf, CAIRO_PDF_OUTLINE_ROOT, title, link, 0);
	}
	if (rc < 0) {
		report_doc_p(d, msg);
		return rc;
	}
	double aw = d->right - d->left, ah = d->bottom - d->y;
	double s = aw / w < ah / h ? aw / w : ah / h;
	double x0 = d->left + (aw - w * s) / 2;
	cairo_save(d->cr);
	cairo_translate(d->cr, x0, d->y);
	cairo_scale(d->cr, s, s);
	cairo_rectangle(d->cr, 0, 0, w, h);
	cairo_clip(d->cr);
	rc = plot_render(d->cr, w, h, src, c, &po, NULL, msg, sizeof(msg));
	cairo_restore(d->cr);
	if (rc < 0)
		report_doc_p(d, msg);
	if (rc < 0 && rc != -EINVAL)
		report_doc_fail(d, rc);
	d->y += h * s + 6;
	return rc;
}
