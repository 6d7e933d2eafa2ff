/*
 * plot_png: see plot_png.h. libpng reports errors by longjmp; everything
 * that must survive one (the row buffer, the error code) lives in a struct
 * reached through a pointer, so no local changes between setjmp and a jump.
 */
#include "plots/plot_png.h"

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct png_job {
	FILE *f;
	int err;            /* first failure: -errno, -ENOMEM */
	unsigned char *row; /* one row of RGB */
};

static void on_error(png_structp png, png_const_charp what)
{
	struct png_job *j = png_get_error_ptr(png);
	(void)what;
	if (!j->err)
		j->err = -EIO;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp what)
{
	(void)png;
	(void)what;
}

static void on_write(png_structp png, png_bytep data, size_t len)
{
	struct png_job *j = png_get_io_ptr(png);
	if (fwrite(data, 1, len, j->f) != len) {
		j->err = errno ? -errno : -EIO;
		png_error(png, "write failed");
	}
}

static void on_flush(png_structp png)
{
	(void)png;
}

static void *on_malloc(png_structp png, png_alloc_size_t n)
{
	struct png_job *j = png_get_mem_ptr(png);
	void *p = malloc(n);
	if (!p && !j->err)
		j->err = -ENOMEM;
	return p;
}

static void on_free(png_structp png, png_voidp p)
{
	(void)png;
	free(p);
}

/* Rows of RGB24 pixels (native-endian 32-bit 0x00RRGGBB) as RGB bytes. */
static void write_rows(png_structp png, struct png_job *j, const unsigned char *data, int w, int h,
                       int stride)
{
	for (int y = 0; y < h; y++) {
		const unsigned char *src = data + (size_t)y * (size_t)stride;
		unsigned char *out = j->row;
		for (int x = 0; x < w; x++) {
			uint32_t px;
			memcpy(&px, src + 4 * (size_t)x, sizeof(px));
			out[0] = (unsigned char)(px >> 16);
			out[1] = (unsigned char)(px >> 8);
			out[2] = (unsigned char)px;
			out += 3;
		}
		png_write_row(png, j->row);
	}
}

int plot__write_png(cairo_surface_t *surf, FILE *f)
{
	const int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
	const int stride = cairo_image_surface_get_stride(surf);
	const unsigned char *data = cairo_image_surface_get_data(surf);
	if (!data || w <= 0 || h <= 0 || cairo_image_surface_get_format(surf) != CAIRO_FORMAT_RGB24)
		return -EINVAL;
	struct png_job job = {f, 0, malloc(3 * (size_t)w)}, *j = &job;
	if (!j->row)
		return -ENOMEM;
	png_structp png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, j, on_error, on_warning,
	                                            j, on_malloc, on_free);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(png ? &png : NULL, NULL);
		free(j->row);
		return -ENOMEM;
	}
	if (setjmp(png_jmpbuf(png)) == 0) {
		png_set_write_fn(png, j, on_write, on_flush);
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		             PNG_FILTER_TYPE_DEFAULT);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
		png_set_compression_level(png, 3);
		png_write_info(png, info);
		write_rows(png, j, data, w, h, stride);
		png_write_end(png, info);
	}
	png_destroy_write_struct(&png, &info);
	free(j->row);
	return j->err;
}
