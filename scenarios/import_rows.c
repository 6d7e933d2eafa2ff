/*
 * import_rows: the CSV readers' shared row helpers (the contracts are in
 * import_rows.h).
 */
#include "scenarios/import_rows.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/diag.h"

bool irow_read(const struct import_file *f, const char *what, const struct icsv_column *cols,
               size_t ncols, struct ilog *log, bool *oom, struct icsv_table **t)
{
	*t = NULL;
	if (!f->data)
		return true;
	size_t before = log->nerrors + log->errors_dropped;
	int rc = icsv_read(f->data, f->len, f->name, what, cols, ncols, log, t);
	if (rc == -ENOMEM)
		*oom = true;
	return rc == 0 && log->nerrors + log->errors_dropped == before;
}

void irow_error(struct ilog *log, const struct icsv_table *t, size_t row, size_t col,
                const char *fmt, ...)
{
	char msg[512], name[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *cn = t->col_name[col];
	ilog_error(log, "%s:%lu: error: row %lu, column '%s': %s", t->file,
	           (unsigned long)t->rows[row].line, (unsigned long)t->rows[row].record,
	           diag_snippet(name, sizeof(name), cn, strlen(cn)), msg);
}

const char *irow_snip(char *buf, size_t size, const char *s)
{
	return diag_snippet(buf, size, s, strlen(s));
}

bool irow_get_bool(struct ilog *log, const struct icsv_table *t, size_t row, size_t col, bool *b)
{
	char sn[80];
	*b = false;
	const char *s = icsv_get(t, row, col); /* "" when the column is absent: false */
	if (import_parse_bool(s, b))
		return true;
	irow_error(log, t, row, col, "expected True or False (got '%s')",
	           irow_snip(sn, sizeof(sn), s));
	return false;
}

char *irow_lower_key(const char *a, const char *b, size_t bn)
{
	size_t an = 0;
	a = a ? import_trimmed(a, &an) : "";
	while (bn > 0 && icsv_is_blank(*b)) {
		b++;
		bn--;
	}
	while (bn > 0 && icsv_is_blank(b[bn - 1]))
		bn--;
	char *k = malloc(an + bn + 2);
	if (!k)
		return NULL;
	memcpy(k, a, an);
	k[an] = '\x1f';
	memcpy(k + an + 1, b, bn);
	k[an + 1 + bn] = '\0';
	for (char *p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

int irow_put_once(struct imap *m, const char *key, long v)
{
	long old = imap_get(m, key);
	return imap_put(m, key, old >= 0 && old != v ? IROW_AMBIGUOUS : v);
}
