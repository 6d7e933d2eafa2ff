/*
 * import_values: the values of exports (versions, power states, booleans,
 * numbers, sizes, names) as the readers of scenarios/import.c parse them,
 * and the import's small text helpers; contracts in import.h.
 */
#include "scenarios/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/import_csv.h"

/* ---- values ------------------------------------------------------------------ */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Compares s[0..n) with the NUL-terminated word w, ignoring ASCII case. */
bool import_word_eq(const char *s, size_t n, const char *w)
{
	size_t i = 0;
	for (; i < n && w[i]; i++) {
		char a = s[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return i == n && !w[i];
}

/* s without the blanks around it: *len set, start returned. */
const char *import_trimmed(const char *s, size_t *len)
{
	while (icsv_is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && icsv_is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* Whether trimmed s is one of the words (any case). */
bool import_is_word(const char *s, const char *w)
{
	size_t n;
	const char *t = import_trimmed(s, &n);
	return import_word_eq(t, n, w);
}

/* Digits at *p as a part of a version (0..999); advances *p. */
static bool version_part(const char **p, unsigned *out)
{
	const char *s = *p;
	if (!is_digit(*s))
		return false;
	unsigned v = 0;
	while (is_digit(*s)) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 999)
			return false;
		s++;
	}
	*p = s;
	*out = v;
	return true;
}

bool import_parse_esx_version(const char *s, uint32_t *v)
{
	for (size_t i = 0; s[i]; i++) {
		if (!is_digit(s[i]) || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '.')))
			continue;
		const char *p = s + i;
		unsigned a, b, c = 0;
		if (!version_part(&p, &a) || *p != '.')
			continue;
		p++;
		if (!version_part(&p, &b))
			continue;
		if (*p == '.' && is_digit(p[1])) {
			p++;
			if (!version_part(&p, &c))
				continue;
		} else {
			/* An update: "U3", " U3", " Update 3". */
			const char *q = p;
			while (icsv_is_blank(*q))
				q++;
			size_t n = 0;
			while (q[n] >= 'A' && q[n] <= 'z' && is_alnum(q[n]))
				n++;
			if (import_word_eq(q, n, "u") || import_word_eq(q, n, "update")) {
				q += n;
				while (icsv_is_blank(*q))
					q++;
				unsigned u;
				if (version_part(&q, &u))
					c = u;
			}
		}
		*v = SCENARIO_VERSION(a, b, c);
		return true;
	}
	return false;
}

int import_ft_state(const char *s)
{
	static const char *const ft[] = {"running", "enabled", "starting", "needSecondary"};
	static const char *const not_ft[] = {"", "notConfigured", "disabled"};
	for (size_t i = 0; i < sizeof(ft) / sizeof(ft[0]); i++)
		if (import_is_word(s, ft[i]))
			return 1;
	for (size_t i = 0; i < sizeof(not_ft) / sizeof(not_ft[0]); i++)
		if (import_is_word(s, not_ft[i]))
			return 0;
	return -1;
}

bool import_parse_power(const char *s, enum scenario_power *p)
{
	if (import_is_word(s, "poweredOn"))
		*p = SCENARIO_POWER_ON;
	else if (import_is_word(s, "poweredOff"))
		*p = SCENARIO_POWER_OFF;
	else if (import_is_word(s, "suspended"))
		*p = SCENARIO_POWER_SUSPENDED;
	else
		return false;
	return true;
}

bool import_parse_bool(const char *s, bool *b)
{
	if (import_is_word(s, "true") || import_is_word(s, "yes") || import_is_word(s, "1"))
		*b = true;
	else if (import_is_word(s, "false") || import_is_word(s, "no") || import_is_word(s, "0") ||
	         import_is_word(s, ""))
		*b = false;
	else
		return false;
	return true;
}

bool import_parse_whole(const char *s, long max, long *out)
{
	size_t n;
	const char *t = import_trimmed(s, &n);
	if (n == 0)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(t[i]))
			return false;
		int d = t[i] - '0';
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool import_parse_size(const char *s, bool comma_decimal, double *out)
{
	size_t n;
	const char *t = import_trimmed(s, &n);
	char buf[64];
	if (n == 0 || n >= sizeof(buf))
		return false;
	size_t digits = 0;
	bool sep = false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (is_digit(c)) {
			digits++;
			buf[i] = c;
		} else if (!sep && (c == '.' || (c == ',' && comma_decimal))) {
			sep = true;
			buf[i] = '.';
		} else {
			return false;
		}
	}
	if (!digits)
		return false;
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

double import_mib_to_gb(double mib)
{
	return mib / 1024.0;
}

static bool scenario_name_char(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '-';
}

void import_scenario_name_from_path(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size && o < SCENARIO_MAX_NAME_LEN; i++) {
		char c = base[i];
		if (o == 0 && c == '.')
			continue;
		buf[o++] = scenario_name_char(c) ? c : '-';
	}
	buf[o] = '\0';
	if (o == 0)
		snprintf(buf, size, "%s", "imported");
}

void import_append_skipped(const struct import_result *res, long dropped, char *buf, size_t size)
{
	const struct {
		long n;
		const char *one;
		const char *many;
	} why[] = {
	    {res->skipped_templates, "template", "templates"},
	    {res->skipped_srm, "SRM placeholder", "SRM placeholders"},
	    {res->skipped_ft_secondaries, "FT secondary", "FT secondaries"},
	    {res->skipped_disconnected, "not connected", "not connected"},
	    {res->skipped_homeless, "with no known cluster", "with no known cluster"},
	    {dropped, "in a cluster without hosts", "in clusters without hosts"},
	};
	size_t n = strlen(buf);
	const char *sep = "; not imported: ";
	for (size_t k = 0; k < sizeof(why) / sizeof(why[0]) && n < size; k++) {
		if (!why[k].n)
			continue;
		int m = snprintf(buf + n, size - n, "%s%ld %s", sep, why[k].n,
		                 why[k].n == 1 ? why[k].one : why[k].many);
		if (m < 0)
			return;
		n += (size_t)m;
		sep = ", ";
	}
}

void import_result_fini(struct import_result *res)
{
	free(res->yaml);
	memset(res, 0, sizeof(*res));
}
