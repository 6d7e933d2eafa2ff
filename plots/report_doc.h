/*
 * report_doc: page layout for the PDF report: pages (A4, portrait or
 * landscape), a cursor that moves down and breaks pages by itself,
 * headings with PDF outline entries, wrapped paragraphs, bullets, tables
 * with a repeated header, a footer with the page number, and charts
 * (plot_render scaled into a page). Text is DejaVu Sans through
 * plot_draw. A doc writes to a cairo PDF surface it owns; no global state.
 */
#ifndef LPSIM_REPORT_DOC_H
#define LPSIM_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "plots/plot.h"

#define REPORT_A4_W 595.276
#define REPORT_A4_H 841.890

struct report_doc {
	cairo_surface_t *surf;
	cairo_t *cr;
	double pw, ph;        /* the current page's size (pt) */
	double left, right;   /* text column */
	double y;             /* the cursor: top of the next block */
	double bottom;        /* the cursor's limit on this page */
	int pages;            /* pages begun */
	char footer[256];     /* drawn at the bottom of every page, with the page number */
	int outline_top;      /* outline id of the current section (0: none) */
	int err;              /* the first error met building the document (a
	                         negative errno, -ENOMEM mostly), or 0: then some
	                         content is missing, and the PDF must not be kept */
};

/* Values of a table column's alignment. */
enum report_align { REPORT_LEFT, REPORT_RIGHT };

/*
 * Starts a doc writing PDF through write_fn(closure, ...) (cairo's stream
 * callback). Returns 0 or -ENOMEM. The first page is begun by the first
 * report_doc_page().
 */
int report_doc_open(struct report_doc *d, cairo_write_func_t write_fn, void *closure,
                    const char *footer);

/*
 * Finishes the PDF (flushes everything to the stream) and frees the
 * surface. Returns 0 or -EIO / -ENOMEM; it does not look at d->err, which
 * the caller checks.
 */
int report_doc_close(struct report_doc *d);

/*
 * Records err (a negative errno) as d->err unless an error is recorded
 * already: what was to be written could not be (out of memory), so the
 * document is incomplete. Writing may go on; the caller discards the PDF.
 */
void report_doc_fail(struct report_doc *d, int err);

/* Begins a new page, portrait or landscape. */
void report_doc_page(struct report_doc *d, bool landscape);

/* Makes sure h more points fit below the cursor, else begins a page of the same orientation. */
void report_doc_need(struct report_doc *d, double h);

/* A section title (with a top-level outline entry) and a subsection title. */
void report_doc_h1(struct report_doc *d, const char *text);
void report_doc_h2(struct report_doc *d, const char *text);

/* A paragraph wrapped to the column, breaking pages between lines as needed. */
void report_doc_p(struct report_doc *d, const char *text);

/* The same in the muted colour and a smaller size (notes, what was left out). */
void report_doc_note(struct report_doc *d, const char *text);

/* A bullet point (wrapped, hanging indent). */
void report_doc_bullet(struct report_doc *d, const char *text);

/* Vertical space. */
void report_doc_space(struct report_doc *d, double h);

/*
 * A table: ncols columns of the given widths (pt; they are scaled to the
 * column when they do not fit) and alignments, a bold header row
 * (repeated after a page break), then nrows rows, cells[row * ncols +
 * col]; cells are cut with "..." to their width. Every other row shaded.
 */
void report_doc_table(struct report_doc *d, size_t ncols, const double *widths,
                      const enum report_align *align, const char *const *header,
                      const char *const *cells, size_t nrows);

/*
 * A chart on a page of its own (landscape, or portrait for a tall
 * timeline), scaled to fit; title (may be NULL) names the page in the PDF
 * outline. Returns plot_render's result. On -EINVAL (the data does not
 * allow the chart) the page says why instead; any other error (-ENOMEM)
 * is recorded in d->err as well (report_doc_fail).
 */
int report_doc_chart(struct report_doc *d, const char *title, const struct plot_source *src,
                     enum plot_chart c, const struct plot_opts *o);

#endif
