/*
 * import_log: errors and warnings of one import, formatted at once into
 * malloc'd lines and capped at ILOG_MAX_KEPT each.
 */
#include "scenarios/import_log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ilog_init(struct ilog *l)
{
	memset(l, 0, sizeof(*l));
}

static void ilog_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ilog_fini(struct ilog *l)
{
	ilog_free_list(l->errors, l->nerrors);
	ilog_free_list(l->warnings, l->nwarnings);
	memset(l, 0, sizeof(*l));
}

/* Formats into a new list item, or counts it as dropped when the list is full. */
static void ilog_add(struct ilog *l, char ***v, size_t *n, size_t *dropped, const char *fmt,
                     va_list ap)
{
	if (*n >= ILOG_MAX_KEPT) {
		(*dropped)++;
		return;
	}
	if (!*v) {
		*v = calloc(ILOG_MAX_KEPT, sizeof(char *));
		if (!*v) {
			l->oom = true;
			return;
		}
	}
	va_list aq;
	va_copy(aq, ap);
	int len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!msg) {
		l->oom = true;
		return;
	}
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	(*v)[(*n)++] = msg;
}

void ilog_error(struct ilog *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ilog_add(l, &l->errors, &l->nerrors, &l->errors_dropped, fmt, ap);
	va_end(ap);
}

void ilog_warn(struct ilog *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ilog_add(l, &l->warnings, &l->nwarnings, &l->warnings_dropped, fmt, ap);
	va_end(ap);
}

bool ilog_failed(const struct ilog *l)
{
	return l->nerrors > 0 || l->errors_dropped > 0 || l->oom;
}

void ilog_print_errors(const struct ilog *l, FILE *out)
{
	for (size_t i = 0; i < l->nerrors; i++)
		fprintf(out, "%s\n", l->errors[i]);
	if (l->errors_dropped)
		fprintf(out, "lpsim: import: %zu more error%s not shown\n", l->errors_dropped,
		        l->errors_dropped == 1 ? "" : "s");
	if (l->oom)
		fputs("lpsim: import: out of memory while recording errors\n", out);
}

void ilog_print_warnings(const struct ilog *l, FILE *out)
{
	for (size_t i = 0; i < l->nwarnings; i++)
		fprintf(out, "lpsim: import: warning: %s\n", l->warnings[i]);
	if (l->warnings_dropped)
		fprintf(out, "lpsim: import: %zu more warning%s not shown\n", l->warnings_dropped,
		        l->warnings_dropped == 1 ? "" : "s");
}
