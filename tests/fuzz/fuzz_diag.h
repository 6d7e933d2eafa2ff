/*
 * fuzz_diag.h: what the fuzz targets share. Errors are printed into
 * memory and thrown away, so that the printing code is fuzzed too.
 */
#ifndef LPSIM_FUZZ_DIAG_H
#define LPSIM_FUZZ_DIAG_H

#include <stdio.h>
#include <stdlib.h>

#include "scenarios/diag.h"

static inline void fuzz_print_errors(struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		diag_print(d, f);
		fclose(f);
	}
	free(buf);
}

#endif
