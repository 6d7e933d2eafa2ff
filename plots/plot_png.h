/*
 * plot_png: a cairo RGB24 image surface written as PNG with libpng, set
 * for speed.
 *
 * cairo_surface_write_to_png_stream() leaves libpng at its defaults: zlib
 * level 6 and, per row, a trial of all five filters. For charts, which are
 * large flat areas of a few colours, that was half the time a run's charts
 * took, and bought little: one filter (Up, which turns a row repeated from
 * the one above into zeros) at zlib level 3 writes them in a fifth of the
 * time, a fifth larger (the peer scenario's three charts: 157 KB instead of
 * 131 KB). The pixels are the same: the test reads the file back.
 */
#ifndef LPSIM_PLOT_PNG_H
#define LPSIM_PLOT_PNG_H

#include <stdio.h>

#include <cairo.h>

/*
 * Writes surf (an image surface of format CAIRO_FORMAT_RGB24, flushed) to
 * f as an 8-bit RGB PNG. Returns 0, -ENOMEM, or -errno of a failed write
 * (-EIO when there is none).
 */
int plot__write_png(cairo_surface_t *surf, FILE *f);

#endif
